//! SVG charts of a statistics report, drawn from the published cells only.
//!
//! Sums over periods are sums of published cells; what the suppressed cells hold together is
//! shown as one grey "suppressed" bar (the published total minus the published cells), which
//! anyone could compute from the report, so the charts disclose nothing the tables do not.

use std::collections::BTreeMap;
use std::fmt::Write;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use xborder::stats::{Report, Totals};

const WIDTH: f64 = 1000.0;
const CATEGORIES: [(&str, &str, &str); 4] = [
    ("documents", "1 documents", "#8da0cb"),
    ("low_value_non_dutiable", "2 low value, no duty", "#66c2a5"),
    ("low_value_dutiable", "3 low value, dutiable", "#fc8d62"),
    ("high_value", "4 high value", "#e78ac3"),
];
const BAR: &str = "#4c78a8";
const GREY: &str = "#bbbbbb";

/// The report's main breakdowns, one panel per regime.
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
    y += 60.0;
    for r in &report.regimes {
        y = regime_panel(&mut body, r, y);
    }
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="DejaVu Sans, Arial, sans-serif">
<style>
text {{ font-size: 12px; fill: #222; }}
.h1 {{ font-size: 20px; font-weight: bold; }}
.h2 {{ font-size: 16px; font-weight: bold; }}
.h3 {{ font-size: 13px; font-weight: bold; }}
.note {{ font-size: 11px; fill: #555; }}
.axis {{ stroke: #999; stroke-width: 1; }}
</style>
<rect width="100%" height="100%" fill="white"/>
{body}</svg>
"##,
        w = WIDTH,
        h = y + 20.0
    )
}

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
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

fn regime_panel(body: &mut String, r: &xborder::stats::RegimeReport, mut y: f64) -> f64 {
    y = headline(body, r, y);
    y = periods_chart(body, r, y);
    let panels: [(&str, &str, bool); 4] = [
        ("collection_scheme", "Revenue by collection scheme", true),
        ("origin", "Consignments by origin (top 10)", false),
        (
            "hs_chapter",
            "Revenue by HS chapter of the main item (top 10)",
            true,
        ),
        ("channel", "Consignments by channel", false),
    ];
    let col_w = (WIDTH - 60.0) / 2.0;
    let mut row_h: f64 = 0.0;
    for (i, (dim, title, revenue)) in panels.iter().enumerate() {
        let x = 20.0 + (i % 2) as f64 * (col_w + 20.0);
        if i % 2 == 0 && i > 0 {
            y += row_h + 20.0;
            row_h = 0.0;
        }
        let bars = panel_bars(r, dim, *revenue);
        let unit = if *revenue {
            format!(" ({})", r.currency)
        } else {
            String::new()
        };
        let h = hbar_chart(body, x, y, col_w, &format!("{title}{unit}"), &bars);
        row_h = row_h.max(h);
    }
    y + row_h + 40.0
}

/// The regime's headline (counts, value, revenue); returns the y below it.
fn headline(body: &mut String, r: &xborder::stats::RegimeReport, mut y: f64) -> f64 {
    let headline = match r.total.totals {
        Some(t) => format!(
            "{}: {} consignments, declared value {} {c}|revenue {} {c}: duty {}, tax {}, fees {}",
            r.regime,
            thousands(i128::from(t.count)),
            money(t.declared_value),
            money(t.revenue),
            money(t.duty),
            money(t.tax),
            money(t.fees),
            c = r.currency
        ),
        None => format!("{}: totals suppressed", r.regime),
    };
    for line in headline.split('|') {
        let _ = writeln!(
            body,
            r##"<text x="20" y="{}" class="h2">{}</text>"##,
            y + 16.0,
            esc(line)
        );
        y += 22.0;
    }
    y + 12.0
}

/// Sums over periods of the published cells of one dimension.
fn dimension_sums(r: &xborder::stats::RegimeReport, dim: &str) -> BTreeMap<String, Totals> {
    let mut m: BTreeMap<String, Totals> = BTreeMap::new();
    for p in &r.periods {
        for b in p.breakdowns.iter().filter(|b| b.dimension == dim) {
            for c in &b.cells {
                if let Some(t) = &c.totals {
                    let e = m.entry(c.key.clone()).or_default();
                    e.count += t.count;
                    e.revenue += t.revenue;
                    e.declared_value += t.declared_value;
                }
            }
        }
    }
    m
}

/// One panel's bars (label, value, value as text): the ten largest cells by revenue or
/// count, the rest as "others", and what disclosure control suppressed.
fn panel_bars(
    r: &xborder::stats::RegimeReport,
    dim: &str,
    revenue: bool,
) -> Vec<(String, f64, String)> {
    let m = dimension_sums(r, dim);
    let value = |t: &Totals| {
        if revenue {
            f(t.revenue)
        } else {
            t.count as f64
        }
    };
    let mut bars: Vec<(String, f64, String)> = m
        .iter()
        .map(|(k, t)| {
            let label = if revenue {
                money(t.revenue)
            } else {
                thousands(i128::from(t.count))
            };
            (k.clone(), value(t), label)
        })
        .collect();
    bars.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    if bars.len() > 10 {
        let rest: f64 = bars[9..].iter().map(|b| b.1).sum();
        let n = bars.len() - 9;
        bars.truncate(9);
        let label = if revenue {
            money(Decimal::from_f64_retain(rest).unwrap_or_default())
        } else {
            thousands(rest as i128)
        };
        bars.push((format!("{n} others"), rest, label));
    }
    if let Some(t) = r.total.totals {
        let published: f64 = m.values().map(&value).sum();
        let hidden = value(&t) - published;
        if hidden > 0.5 {
            let label = if revenue {
                money(t.revenue - m.values().map(|t| t.revenue).sum::<Decimal>())
            } else {
                thousands(hidden.round() as i128)
            };
            bars.push(("suppressed".into(), hidden, label));
        }
    }
    bars
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

/// Stacked columns: consignments per period by release category.
fn periods_chart(body: &mut String, r: &xborder::stats::RegimeReport, y: f64) -> f64 {
    let _ = writeln!(
        body,
        r##"<text x="20" y="{}" class="h3">Consignments per period by release category (WCO Immediate Release Guidelines)</text>"##,
        y + 12.0
    );
    let (x0, top, h) = (70.0, y + 30.0, 200.0);
    let n = r.periods.len().max(1) as f64;
    let plot_w = WIDTH - x0 - 200.0;
    let slot = plot_w / n;
    let col_w = (slot * 0.7).clamp(2.0, 60.0);
    // Per period: its label, (category index, consignments) published, and the suppressed rest.
    type Stack = (String, Vec<(usize, f64)>, f64);
    let stacks: Vec<Stack> = r
        .periods
        .iter()
        .map(|p| {
            let cats: Vec<(usize, f64)> = p
                .breakdowns
                .iter()
                .filter(|b| b.dimension == "category")
                .flat_map(|b| &b.cells)
                .filter_map(|c| {
                    let i = CATEGORIES.iter().position(|(k, _, _)| *k == c.key)?;
                    Some((i, c.totals?.count as f64))
                })
                .collect();
            let published: f64 = cats.iter().map(|c| c.1).sum();
            let hidden = p.total.totals.map_or(0.0, |t| t.count as f64 - published);
            (p.period.clone(), cats, hidden.max(0.0))
        })
        .collect();
    let max = stacks
        .iter()
        .map(|(_, c, hid)| c.iter().map(|x| x.1).sum::<f64>() + hid)
        .fold(0.0, f64::max)
        .max(1.0);
    let _ = writeln!(
        body,
        r##"<line x1="{x0}" y1="{}" x2="{}" y2="{}" class="axis"/><line x1="{x0}" y1="{top}" x2="{x0}" y2="{}" class="axis"/>"##,
        top + h,
        x0 + plot_w,
        top + h,
        top + h
    );
    for k in 0..=4 {
        let v = max * f64::from(k) / 4.0;
        let ty = top + h - h * f64::from(k) / 4.0;
        let _ = writeln!(
            body,
            r##"<text x="{}" y="{}" text-anchor="end" class="note">{}</text>"##,
            x0 - 6.0,
            ty + 4.0,
            thousands(v.round() as i128)
        );
    }
    let label_every = ((n / 12.0).ceil() as usize).max(1);
    for (i, (period, cats, hidden)) in stacks.iter().enumerate() {
        let cx = x0 + slot * i as f64 + (slot - col_w) / 2.0;
        let mut base = top + h;
        let mut segs: Vec<(&str, f64)> = cats.iter().map(|(c, v)| (CATEGORIES[*c].2, *v)).collect();
        segs.push((GREY, *hidden));
        for (color, v) in segs {
            let sh = v / max * h;
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
}
