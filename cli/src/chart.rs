//! SVG charts of a statistics report, drawn from the published cells only.
//!
//! Sums over periods are sums of published cells; what the suppressed cells hold together is
//! shown as one grey "suppressed" bar (the published total minus the published cells), which
//! anyone could compute from the report, so the charts disclose nothing the tables do not.

use std::collections::BTreeMap;
use std::fmt::Write;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use xborder::stats::{Breakdown, RegimeReport, Report};

const WIDTH: f64 = 1000.0;
const CATEGORIES: [(&str, &str, &str); 4] = [
    ("documents", "1 documents", "#8da0cb"),
    ("low_value_non_dutiable", "2 low value, no duty", "#66c2a5"),
    ("low_value_dutiable", "3 low value, dutiable", "#fc8d62"),
    ("high_value", "4 high value", "#e78ac3"),
];
const BAR: &str = "#4c78a8";
const GREY: &str = "#bbbbbb";

/// The report on one page: consignments per period by release category (all regimes), every
/// regime in a row of its own, and the main breakdowns summed over the regimes. Its height
/// grows by one row per regime, not by a panel per regime: 20 regimes make about 1,400 px.
pub(crate) fn render(report: &Report) -> String {
    let mut body = String::new();
    let mut y = 20.0;
    let _ = writeln!(
        body,
        r##"<text x="20" y="{}" class="h1">Cross-border e-commerce statistics (WCO FoS Standard 14)</text>"##,
        y + 18.0
    );
    let _ = writeln!(
        body,
        r##"<text x="20" y="{}" class="note">Cells with fewer than {} consignments, and the cells that would reveal them, are suppressed (grey).</text>"##,
        y + 38.0,
        report.min_cell
    );
    let _ = writeln!(
        body,
        r##"<text x="20" y="{}" class="note">Consignments are summed over regimes; revenue is in each regime's own currency.</text>"##,
        y + 52.0
    );
    y += 70.0;
    y = periods_chart(&mut body, &period_stacks(report), y);
    y = regimes_chart(&mut body, report, y);
    y = breakdown_panels(&mut body, report, y);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="DejaVu Sans, Arial, sans-serif">
<style>
text {{ font-size: 12px; fill: #222; }}
.h1 {{ font-size: 20px; font-weight: bold; }}
.h2 {{ font-size: 16px; font-weight: bold; }}
.h3 {{ font-size: 13px; font-weight: bold; }}
.note {{ font-size: 11px; fill: #555; }}
.axis {{ stroke: #999; stroke-width: 1; }}
.grid {{ stroke: #e4e4e4; stroke-width: 1; }}
</style>
<rect width="100%" height="100%" fill="white"/>
{body}</svg>
"##,
        w = WIDTH,
        h = y + 20.0
    )
}

/// A round step for an axis from 0 to at least `max`: 1, 2 or 5 times a power of ten, so
/// that about `ticks` steps cover it (ticks at 0, 500, 1 000, 1 500, never 409, 819, 1 228).
fn round_step(max: u64, ticks: u64) -> u64 {
    let raw = max.div_ceil(ticks.max(1)).max(1);
    let mut magnitude = 1u64;
    while magnitude <= raw / 10 {
        magnitude *= 10;
    }
    [1, 2, 5, 10]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|step| *step >= raw)
        .unwrap_or(10 * magnitude)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `1234567` as `1 234 567`.
fn thousands(n: i128) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{2009}');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

fn money(d: Decimal) -> String {
    thousands(d.round().to_i128().unwrap_or(0))
}

/// Every regime in a row: its consignments stacked by release category (the suppressed rest
/// grey), the count, and its revenue in its own currency.
fn regimes_chart(body: &mut String, report: &Report, y: f64) -> f64 {
    let _ = writeln!(
        body,
        r##"<text x="20" y="{}" class="h3">Every regime: consignments by release category, and revenue (duty + tax + fees)</text>"##,
        y + 12.0
    );
    // Per regime: its published consignments by category, and the suppressed rest.
    let rows: Vec<(&RegimeReport, Stack)> = report
        .regimes
        .iter()
        .map(|r| {
            let cats = category_counts(r.periods.iter().flat_map(|p| &p.breakdowns));
            let published: u64 = cats.iter().map(|c| c.1).sum();
            let hidden = r
                .total
                .totals
                .map_or(0, |t| t.count.saturating_sub(published));
            (r, (r.regime.clone(), cats, hidden))
        })
        .collect();
    let max = rows
        .iter()
        .map(|(_, (_, c, h))| c.iter().map(|x| x.1).sum::<u64>() + h)
        .max()
        .unwrap_or(0)
        .max(1);
    let (label_w, text_w, bar_h) = (50.0, 380.0, 20.0);
    let span = WIDTH - 40.0 - label_w - text_w;
    let mut by = y + 24.0;
    for (r, (_, cats, hidden)) in &rows {
        let _ = writeln!(
            body,
            r##"<text x="{}" y="{}" text-anchor="end" class="h3">{}</text>"##,
            20.0 + label_w - 8.0,
            by + 14.0,
            esc(&r.regime)
        );
        let mut x = 20.0 + label_w;
        let segs = cats.iter().map(|(c, v)| (CATEGORIES[*c].2, *v));
        for (color, v) in segs.chain(std::iter::once((GREY, *hidden))) {
            let w = v as f64 / max as f64 * span;
            if w > 0.0 {
                let _ = writeln!(
                    body,
                    r##"<rect x="{x:.1}" y="{by}" width="{w:.1}" height="{}" fill="{color}"/>"##,
                    bar_h - 5.0
                );
                x += w;
            }
        }
        let text = match r.total.totals {
            Some(t) => format!(
                "{} consignments · revenue {} {}",
                thousands(i128::from(t.count)),
                money(t.revenue),
                r.currency
            ),
            None => "totals suppressed".to_string(),
        };
        let _ = writeln!(
            body,
            r##"<text x="{:.1}" y="{}">{}</text>"##,
            x + 6.0,
            by + 12.0,
            esc(&text)
        );
        by += bar_h;
    }
    by + 30.0
}

/// The published consignments of each release category in `breakdowns` (category index,
/// count), summed.
fn category_counts<'a>(breakdowns: impl Iterator<Item = &'a Breakdown>) -> Vec<(usize, u64)> {
    let mut counts = [0u64; 4];
    for c in breakdowns
        .filter(|b| b.dimension == "category")
        .flat_map(|b| &b.cells)
    {
        if let (Some(i), Some(t)) = (
            CATEGORIES.iter().position(|(k, _, _)| *k == c.key),
            c.totals,
        ) {
            counts[i] += t.count;
        }
    }
    counts
        .into_iter()
        .enumerate()
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// The main breakdowns, consignments summed over every regime and period, two panels a row.
fn breakdown_panels(body: &mut String, report: &Report, mut y: f64) -> f64 {
    let panels: [(&str, &str); 4] = [
        ("channel", "Consignments by channel"),
        ("collection_scheme", "Consignments by collection scheme"),
        ("origin", "Consignments by origin (top 10)"),
        (
            "hs_chapter",
            "Consignments by HS chapter of the main item (top 10)",
        ),
    ];
    let col_w = (WIDTH - 60.0) / 2.0;
    let mut row_h: f64 = 0.0;
    for (i, (dim, title)) in panels.iter().enumerate() {
        let x = 20.0 + (i % 2) as f64 * (col_w + 20.0);
        if i % 2 == 0 && i > 0 {
            y += row_h + 20.0;
            row_h = 0.0;
        }
        let h = hbar_chart(body, x, y, col_w, title, &panel_bars(report, dim));
        row_h = row_h.max(h);
    }
    y + row_h + 20.0
}

/// One panel's bars (label, consignments, as text): the published cells of `dim` summed over
/// regimes and periods, the nine largest and the rest as "others", and what disclosure
/// control suppressed (each regime's total less its published cells).
fn panel_bars(report: &Report, dim: &str) -> Vec<(String, f64, String)> {
    let mut sums: BTreeMap<&str, u64> = BTreeMap::new();
    let mut hidden = 0u64;
    for r in &report.regimes {
        let mut published = 0u64;
        for p in &r.periods {
            for c in p
                .breakdowns
                .iter()
                .filter(|b| b.dimension == dim)
                .flat_map(|b| &b.cells)
            {
                if let Some(t) = c.totals {
                    *sums.entry(c.key.as_str()).or_default() += t.count;
                    published += t.count;
                }
            }
        }
        hidden += r
            .total
            .totals
            .map_or(0, |t| t.count.saturating_sub(published));
    }
    let mut bars: Vec<(String, u64)> = sums.into_iter().map(|(k, n)| (k.to_string(), n)).collect();
    bars.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    if bars.len() > 10 {
        let rest: u64 = bars[9..].iter().map(|b| b.1).sum();
        let n = bars.len() - 9;
        bars.truncate(9);
        bars.push((format!("{n} others"), rest));
    }
    if hidden > 0 {
        bars.push(("suppressed".into(), hidden));
    }
    bars.into_iter()
        .map(|(k, n)| (k, n as f64, thousands(i128::from(n))))
        .collect()
}

fn hbar_chart(
    body: &mut String,
    x: f64,
    y: f64,
    w: f64,
    title: &str,
    bars: &[(String, f64, String)],
) -> f64 {
    let _ = writeln!(
        body,
        r##"<text x="{x}" y="{}" class="h3">{}</text>"##,
        y + 12.0,
        esc(title)
    );
    let max = bars.iter().map(|b| b.1).fold(0.0, f64::max).max(1e-9);
    let (label_w, value_w, bar_h) = (150.0, 90.0, 18.0);
    let span = w - label_w - value_w;
    let mut by = y + 24.0;
    for (key, v, label) in bars {
        let len = (v / max * span).max(if *v > 0.0 { 1.0 } else { 0.0 });
        let color = if key == "suppressed" { GREY } else { BAR };
        let _ = writeln!(
            body,
            r##"<text x="{}" y="{}" text-anchor="end">{}</text><rect x="{}" y="{by}" width="{len:.1}" height="{}" fill="{color}"/><text x="{}" y="{}">{}</text>"##,
            x + label_w - 6.0,
            by + 13.0,
            esc(key),
            x + label_w,
            bar_h - 4.0,
            x + label_w + len + 5.0,
            by + 13.0,
            esc(label)
        );
        by += bar_h;
    }
    if bars.is_empty() {
        let _ = writeln!(
            body,
            r##"<text x="{x}" y="{}" class="note">nothing published</text>"##,
            by + 13.0
        );
        by += bar_h;
    }
    by - y
}

/// Per period, over every regime: its label, the published consignments of each release
/// category (index, count), and the suppressed rest.
type Stack = (String, Vec<(usize, u64)>, u64);

fn period_stacks(report: &Report) -> Vec<Stack> {
    let mut by_period: BTreeMap<&str, ([u64; 4], u64)> = BTreeMap::new();
    for p in report.regimes.iter().flat_map(|r| &r.periods) {
        let cats = category_counts(p.breakdowns.iter());
        let published: u64 = cats.iter().map(|c| c.1).sum();
        let e = by_period.entry(p.period.as_str()).or_default();
        for (i, n) in cats {
            e.0[i] += n;
        }
        e.1 += p
            .total
            .totals
            .map_or(0, |t| t.count.saturating_sub(published));
    }
    by_period
        .into_iter()
        .map(|(period, (cats, hidden))| {
            let cats = cats.into_iter().enumerate().filter(|c| c.1 > 0).collect();
            (period.to_string(), cats, hidden)
        })
        .collect()
}

/// Stacked columns: consignments per period by release category, over every regime, on an
/// axis with round ticks.
fn periods_chart(body: &mut String, stacks: &[Stack], y: f64) -> f64 {
    let _ = writeln!(
        body,
        r##"<text x="20" y="{}" class="h3">Consignments per period by release category, all regimes (WCO Immediate Release Guidelines)</text>"##,
        y + 12.0
    );
    let (x0, top, h) = (70.0, y + 30.0, 200.0);
    let n = stacks.len().max(1) as f64;
    let plot_w = WIDTH - x0 - 200.0;
    let slot = plot_w / n;
    let col_w = (slot * 0.7).clamp(2.0, 60.0);
    let tallest = stacks
        .iter()
        .map(|(_, c, hid)| c.iter().map(|x| x.1).sum::<u64>() + hid)
        .max()
        .unwrap_or(0)
        .max(1);
    let step = round_step(tallest, 5);
    let max = tallest.div_ceil(step) * step;
    let mut tick = 0;
    while tick <= max {
        let ty = top + h - h * tick as f64 / max as f64;
        let _ = writeln!(
            body,
            r##"<line x1="{x0}" y1="{ty:.1}" x2="{}" y2="{ty:.1}" class="grid"/><text x="{}" y="{:.1}" text-anchor="end" class="note">{}</text>"##,
            x0 + plot_w,
            x0 - 6.0,
            ty + 4.0,
            thousands(i128::from(tick))
        );
        tick += step;
    }
    let _ = writeln!(
        body,
        r##"<line x1="{x0}" y1="{}" x2="{}" y2="{}" class="axis"/><line x1="{x0}" y1="{top}" x2="{x0}" y2="{}" class="axis"/>"##,
        top + h,
        x0 + plot_w,
        top + h,
        top + h
    );
    let label_every = ((n / 12.0).ceil() as usize).max(1);
    for (i, (period, cats, hidden)) in stacks.iter().enumerate() {
        let cx = x0 + slot * i as f64 + (slot - col_w) / 2.0;
        let mut base = top + h;
        let segs = cats.iter().map(|(c, v)| (CATEGORIES[*c].2, *v));
        for (color, v) in segs.chain(std::iter::once((GREY, *hidden))) {
            let sh = v as f64 / max as f64 * h;
            if sh <= 0.0 {
                continue;
            }
            base -= sh;
            let _ = writeln!(
                body,
                r##"<rect x="{cx:.1}" y="{base:.1}" width="{col_w:.1}" height="{sh:.1}" fill="{color}"/>"##
            );
        }
        if i % label_every == 0 {
            let _ = writeln!(
                body,
                r##"<text x="{:.1}" y="{}" text-anchor="middle" class="note">{}</text>"##,
                cx + col_w / 2.0,
                top + h + 14.0,
                esc(period)
            );
        }
    }
    let lx = x0 + plot_w + 20.0;
    for (i, (_, label, color)) in CATEGORIES
        .iter()
        .chain(std::iter::once(&("", "suppressed", GREY)))
        .enumerate()
    {
        let ly = top + 10.0 + i as f64 * 20.0;
        let _ = writeln!(
            body,
            r##"<rect x="{lx}" y="{ly}" width="12" height="12" fill="{color}"/><text x="{}" y="{}">{}</text>"##,
            lx + 18.0,
            ly + 10.0,
            esc(label)
        );
    }
    top + h + 40.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(thousands(1_234_567), "1\u{2009}234\u{2009}567");
        assert_eq!(thousands(999), "999");
        assert_eq!(money(Decimal::new(-123_456, 2)), "-1\u{2009}235");
        assert_eq!(esc("a<b&\"c\""), "a&lt;b&amp;&quot;c&quot;");
    }

    #[test]
    fn steps_are_round() {
        // The issue's chart: a tallest column of 1 638 had ticks at 409, 819, 1 228.
        assert_eq!(round_step(1638, 5), 500);
        for (max, step) in [
            (1, 1),
            (7, 2),
            (10, 2),
            (49, 10),
            (51, 20),
            (999, 200),
            (12_345, 5_000),
            (100_000, 20_000),
        ] {
            assert_eq!(round_step(max, 5), step, "{max}");
        }
        for max in 1..5000u64 {
            let step = round_step(max, 5);
            let lead = step / 10u64.pow(step.ilog10());
            assert!(matches!(lead, 1 | 2 | 5), "{max}: {step}");
            // 3 to 10 ticks cover the axis.
            assert!(
                (3..=10).contains(&max.div_ceil(step)) || max < 10,
                "{max}: {step}"
            );
        }
    }
}
