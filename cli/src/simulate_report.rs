//! `xborder simulate --format csv|table`: every variant's report as rows, one per variant,
//! regime and measure, with the figure in force, under the variant, the change and the change
//! in per cent (docs/simulate.md, "CSV and table").
//!
//! The per cent is (variant − in force) ÷ in force × 100, computed in decimals and rounded
//! half away from zero to two places; it is empty (`n/a` in the table) when the figure in
//! force is zero, where no per cent exists.

use std::collections::BTreeSet;

use rust_decimal::{Decimal, RoundingStrategy};
use xborder::simulate::{RegimeSimulation, Side, SimulationReport};

/// The CSV header.
const HEADER: [&str; 8] = [
    "variant",
    "regime",
    "currency",
    "measure",
    "in_force",
    "under_variant",
    "change",
    "change_percent",
];

/// One measure of one regime under one variant.
struct Row<'a> {
    variant: &'a str,
    regime: &'a str,
    currency: &'a str,
    measure: String,
    in_force: Decimal,
    under: Decimal,
}

impl Row<'_> {
    fn change(&self) -> Decimal {
        self.under - self.in_force
    }

    /// The change in per cent of the figure in force, to two places; `None` when that is zero.
    fn percent(&self) -> Option<Decimal> {
        if self.in_force.is_zero() {
            return None;
        }
        let p = self
            .change()
            .checked_mul(Decimal::ONE_HUNDRED)?
            .checked_div(self.in_force)?
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        let mut p = p;
        p.rescale(2);
        Some(p)
    }
}

/// The measures of one regime, in a fixed order: revenue (duty, each tax, fees, total),
/// consignments assessed and rejected, then per release category, collection model and
/// collection scheme.
fn measures(r: &RegimeSimulation) -> Vec<(String, Decimal, Decimal)> {
    let (a, b) = (&r.in_force, &r.variant);
    let mut out = Vec::new();
    let kinds: BTreeSet<&String> = a.revenue.keys().chain(b.revenue.keys()).collect();
    let rank = |k: &str| match k {
        "duty" => 0,
        "fees" => 2,
        "total" => 3,
        _ => 1,
    };
    let mut kinds: Vec<&String> = kinds.into_iter().collect();
    kinds.sort_by_key(|k| rank(k));
    for k in kinds {
        let get = |s: &Side| s.revenue.get(k).map_or(Decimal::ZERO, |v| v.0);
        out.push((format!("revenue.{k}"), get(a), get(b)));
    }
    out.push((
        "consignments.assessed".into(),
        a.assessed.into(),
        b.assessed.into(),
    ));
    out.push((
        "consignments.rejected".into(),
        a.rejected.into(),
        b.rejected.into(),
    ));
    type Counts = fn(&Side) -> &std::collections::BTreeMap<String, u64>;
    let groups: [(&str, Counts); 3] = [
        ("category", |s| &s.categories),
        ("collection_model", |s| &s.collection_models),
        ("collection_scheme", |s| &s.collection_schemes),
    ];
    for (group, counts) in groups {
        let keys: BTreeSet<&String> = counts(a).keys().chain(counts(b).keys()).collect();
        for k in keys {
            let get = |s: &Side| Decimal::from(counts(s).get(k).copied().unwrap_or(0));
            out.push((format!("{group}.{k}"), get(a), get(b)));
        }
    }
    out
}

fn rows<'a>(reports: &'a [(&'a str, SimulationReport)]) -> Vec<Row<'a>> {
    let mut rows = Vec::new();
    for (variant, report) in reports {
        for r in &report.regimes {
            for (measure, in_force, under) in measures(r) {
                rows.push(Row {
                    variant,
                    regime: &r.regime,
                    currency: &r.currency,
                    measure,
                    in_force,
                    under,
                });
            }
        }
    }
    rows
}

/// The report as CSV (`HEADER`), written with the `csv` crate.
pub(crate) fn csv(reports: &[(&str, SimulationReport)]) -> std::io::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER)?;
    for row in rows(reports) {
        w.write_record([
            row.variant,
            row.regime,
            row.currency,
            &row.measure,
            &row.in_force.to_string(),
            &row.under.to_string(),
            &row.change().to_string(),
            &row.percent().map(|p| p.to_string()).unwrap_or_default(),
        ])?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    String::from_utf8(bytes).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// The report as an aligned text table: the CSV's rows without those zero on both sides,
/// numbers right-aligned, changes signed.
pub(crate) fn table(reports: &[(&str, SimulationReport)]) -> String {
    let signed = |d: Decimal| {
        if d > Decimal::ZERO {
            format!("+{d}")
        } else {
            d.to_string()
        }
    };
    let mut cells: Vec<[String; 7]> = vec![[
        "variant".into(),
        "regime".into(),
        "measure".into(),
        "in force".into(),
        "variant".into(),
        "change".into(),
        "change %".into(),
    ]];
    for row in rows(reports) {
        if row.in_force.is_zero() && row.under.is_zero() {
            continue;
        }
        let measure = match row.measure.strip_prefix("revenue.") {
            Some(kind) => format!("revenue {kind} ({})", row.currency),
            None => row.measure.replacen('.', " ", 1),
        };
        cells.push([
            row.variant.to_string(),
            row.regime.to_string(),
            measure,
            row.in_force.to_string(),
            row.under.to_string(),
            signed(row.change()),
            row.percent()
                .map_or_else(|| "n/a".to_string(), |p| format!("{}%", signed(p))),
        ]);
    }
    let mut widths = [0usize; 7];
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    for row in &cells {
        let mut line = String::new();
        for (i, (c, w)) in row.iter().zip(widths).enumerate() {
            let pad = " ".repeat(w - c.chars().count());
            if i > 0 {
                line.push_str("  ");
            }
            // Text left, numbers right.
            if i < 3 {
                line.push_str(c);
                line.push_str(&pad);
            } else {
                line.push_str(&pad);
                line.push_str(c);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(in_force: &str, under: &str) -> Row<'static> {
        Row {
            variant: "v",
            regime: "EU",
            currency: "EUR",
            measure: "revenue.duty".into(),
            in_force: in_force.parse().unwrap(),
            under: under.parse().unwrap(),
        }
    }

    #[test]
    fn per_cent_is_exact_then_rounded_half_away_from_zero() {
        let p = |a, b| row(a, b).percent().map(|p| p.to_string());
        assert_eq!(p("200.00", "217.28"), Some("8.64".into()));
        assert_eq!(p("3", "4"), Some("33.33".into()));
        assert_eq!(p("3", "2"), Some("-33.33".into()));
        // 1/8 % = 0.125 %: half away from zero.
        assert_eq!(p("800", "801"), Some("0.13".into()));
        assert_eq!(p("800", "799"), Some("-0.13".into()));
        assert_eq!(p("5", "5"), Some("0.00".into()));
        assert_eq!(p("0", "5"), None);
    }
}
