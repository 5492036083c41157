//! Statistics from assessment results (FoS Standard 14): counts, declared values and revenue by
//! release category, collection model and scheme, origin, destination subdivision, HS chapter
//! and channel, per period, with no cell that reveals fewer than a minimum number of
//! consignments.
//!
//! [`Aggregator`] reads result JSON lines (the output of `assess`, error objects included) one
//! at a time; aggregators can be merged, so a stream can be split over threads. Memory grows
//! with the number of distinct keys (periods × values of each dimension), never with the
//! number of records. [`Aggregator::report`] then applies the disclosure control described in
//! `docs/stats.md`: primary suppression of cells under the minimum size, and complementary
//! suppression so that no suppressed cell can be recovered from a published total.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::Amount;

/// The default minimum number of consignments in a published cell.
pub const DEFAULT_MIN_CELL: u64 = 5;

/// The dimensions every period is broken down by, in report order.
pub const DIMENSIONS: [&str; 7] = [
    "category",
    "collection_model",
    "collection_scheme",
    "origin",
    "subdivision",
    "hs_chapter",
    "channel",
];

/// How records are grouped in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// `YYYY-MM-DD`.
    Day,
    /// `YYYY-MM` (the default).
    Month,
    /// `YYYY-Qn`.
    Quarter,
    /// `YYYY`.
    Year,
    /// One period, `all`.
    All,
}

impl std::str::FromStr for Period {
    type Err = String;
    fn from_str(s: &str) -> Result<Period, String> {
        Ok(match s {
            "day" => Period::Day,
            "month" => Period::Month,
            "quarter" => Period::Quarter,
            "year" => Period::Year,
            "all" => Period::All,
            _ => return Err(format!("{s:?}: expected day, month, quarter, year or all")),
        })
    }
}

impl Period {
    /// The period a `YYYY-MM-DD` date falls in.
    fn of<'a>(self, date: &'a str) -> Cow<'a, str> {
        let part = |n: usize| Cow::Borrowed(date.get(..n).unwrap_or(date));
        match self {
            Period::Day => Cow::Borrowed(date),
            Period::Month => part(7),
            Period::Year => part(4),
            Period::All => Cow::Borrowed("all"),
            Period::Quarter => {
                let q = date
                    .get(5..7)
                    .and_then(|m| m.parse::<u32>().ok())
                    .map_or(0, |m| m.div_ceil(3));
                Cow::Owned(format!("{}-Q{q}", date.get(..4).unwrap_or(date)))
            }
        }
    }
}

/// Sums over a set of consignments.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Totals {
    /// Consignments.
    pub count: u64,
    /// Sum of intrinsic values (the goods as declared, in the regime currency).
    #[serde(with = "decimal_text")]
    pub declared_value: Decimal,
    /// Sum of duty.
    #[serde(with = "decimal_text")]
    pub duty: Decimal,
    /// Sum of taxes.
    #[serde(with = "decimal_text")]
    pub tax: Decimal,
    /// Sum of fees.
    #[serde(with = "decimal_text")]
    pub fees: Decimal,
    /// Sum of everything payable (duty + tax + fees).
    #[serde(with = "decimal_text")]
    pub revenue: Decimal,
}

/// Sums in a saved [`Aggregator`] state: exact decimal strings. Not [`Amount`]'s grammar,
/// whose digit limits are for one declaration's amounts, not for a country's year of them.
mod decimal_text {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(value)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        Decimal::from_str_exact(&text).map_err(serde::de::Error::custom)
    }
}

impl Totals {
    fn add(&mut self, o: &Totals) {
        self.count += o.count;
        self.declared_value += o.declared_value;
        self.duty += o.duty;
        self.tax += o.tax;
        self.fees += o.fees;
        self.revenue += o.revenue;
    }
}

/// The fields of a result line statistics read; everything else is skipped.
#[derive(Deserialize)]
struct Row<'a> {
    #[serde(borrow, default)]
    regime: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    currency: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    date: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    subdivision: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    category: Option<RowCategory<'a>>,
    #[serde(borrow, default)]
    collection: Option<RowCollection<'a>>,
    #[serde(borrow, default)]
    flow: Option<RowFlow<'a>>,
    #[serde(default)]
    intrinsic_value: Option<Amount>,
    #[serde(default)]
    duty_total: Option<Amount>,
    #[serde(default)]
    tax_total: Option<Amount>,
    #[serde(default)]
    fee_total: Option<Amount>,
    #[serde(default)]
    total_payable: Option<Amount>,
    #[serde(default)]
    error: Option<serde::de::IgnoredAny>,
}

#[derive(Deserialize)]
struct RowCategory<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
}

#[derive(Deserialize)]
struct RowCollection<'a> {
    #[serde(borrow)]
    model: Cow<'a, str>,
    #[serde(borrow, default)]
    scheme: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct RowFlow<'a> {
    #[serde(borrow)]
    channel: Cow<'a, str>,
    #[serde(borrow, default)]
    origin: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    hs_chapter: Option<Cow<'a, str>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PeriodAgg {
    total: Totals,
    dims: [HashMap<Box<str>, Totals>; DIMENSIONS.len()],
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegimeAgg {
    currency: String,
    periods: HashMap<Box<str>, PeriodAgg>,
}

/// What one line was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// An assessment result, counted.
    Result,
    /// An error object (a rejected declaration), counted apart.
    Rejected,
    /// Blank.
    Blank,
    /// Not a result line at all.
    Unreadable,
}

/// Running sums over result lines.
///
/// An aggregator can be saved ([`Aggregator::to_state`]) and read back
/// ([`Aggregator::from_state`]), so that the workers of a distributed job (Spark executors)
/// each aggregate their share and send the partial sums to one place to be merged and
/// reported. A state holds unsuppressed sums: it is working data, never a publication.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aggregator {
    period: Period,
    regimes: BTreeMap<String, RegimeAgg>,
    /// Result lines read.
    pub results: u64,
    /// Error objects read (declarations that were rejected).
    pub rejected: u64,
    /// Lines that were neither results nor error objects.
    pub unreadable: u64,
}

impl Aggregator {
    /// An empty aggregator grouping by `period`.
    pub fn new(period: Period) -> Aggregator {
        Aggregator {
            period,
            regimes: BTreeMap::new(),
            results: 0,
            rejected: 0,
            unreadable: 0,
        }
    }

    /// Adds one line of `assess` output.
    pub fn add_line(&mut self, line: &[u8]) -> RowKind {
        if line.iter().all(u8::is_ascii_whitespace) {
            return RowKind::Blank;
        }
        let row: Row = match serde_json::from_slice(line) {
            Ok(r) => r,
            Err(_) => {
                self.unreadable += 1;
                return RowKind::Unreadable;
            }
        };
        if row.error.is_some() {
            self.rejected += 1;
            return RowKind::Rejected;
        }
        let (Some(regime), Some(currency), Some(date), Some(category), Some(collection)) = (
            row.regime,
            row.currency,
            row.date,
            row.category,
            row.collection,
        ) else {
            self.unreadable += 1;
            return RowKind::Unreadable;
        };
        let amount = |a: Option<Amount>| a.map_or(Decimal::ZERO, |a| a.0);
        let totals = Totals {
            count: 1,
            declared_value: amount(row.intrinsic_value),
            duty: amount(row.duty_total),
            tax: amount(row.tax_total),
            fees: amount(row.fee_total),
            revenue: amount(row.total_payable),
        };
        let unknown = "unknown";
        let flow = row.flow.as_ref();
        let keys: [&str; DIMENSIONS.len()] = [
            &category.name,
            &collection.model,
            collection.scheme.as_deref().unwrap_or("border"),
            flow.and_then(|f| f.origin.as_deref()).unwrap_or(unknown),
            row.subdivision.as_deref().unwrap_or(unknown),
            flow.and_then(|f| f.hs_chapter.as_deref()).unwrap_or("none"),
            flow.map_or(unknown, |f| &f.channel),
        ];
        let r = match self.regimes.get_mut(regime.as_ref()) {
            Some(r) => r,
            None => self
                .regimes
                .entry(regime.into_owned())
                .or_insert_with(|| RegimeAgg {
                    currency: currency.into_owned(),
                    periods: HashMap::new(),
                }),
        };
        let period = self.period.of(&date);
        let p = match r.periods.get_mut(period.as_ref()) {
            Some(p) => p,
            None => r.periods.entry(period.into()).or_default(),
        };
        p.total.add(&totals);
        for (map, key) in p.dims.iter_mut().zip(keys) {
            match map.get_mut(key) {
                Some(t) => t.add(&totals),
                None => {
                    map.insert(key.into(), totals);
                }
            }
        }
        self.results += 1;
        RowKind::Result
    }

    /// The period grouping.
    pub fn period(&self) -> Period {
        self.period
    }

    /// The running sums as JSON text, for [`Aggregator::from_state`].
    pub fn to_state(&self) -> String {
        // Strings, integers and maps with string keys: serializing cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// An aggregator from a state written by [`Aggregator::to_state`].
    pub fn from_state(text: &str) -> Result<Aggregator, crate::Error> {
        serde_json::from_str(text).map_err(|e| {
            crate::Error::new(
                crate::ErrorCode::InvalidValue,
                format!("not a statistics state: {e}"),
            )
        })
    }

    /// Adds another aggregator's sums (same period grouping) to this one.
    pub fn merge(&mut self, other: Aggregator) {
        self.results += other.results;
        self.rejected += other.rejected;
        self.unreadable += other.unreadable;
        for (id, r) in other.regimes {
            let mine = self.regimes.entry(id).or_insert_with(|| RegimeAgg {
                currency: r.currency.clone(),
                periods: HashMap::new(),
            });
            for (period, p) in r.periods {
                let into = mine.periods.entry(period).or_default();
                into.total.add(&p.total);
                for (to, from) in into.dims.iter_mut().zip(p.dims) {
                    for (k, t) in from {
                        to.entry(k).or_default().add(&t);
                    }
                }
            }
        }
    }

    /// The publishable report: cells under `min_cell` consignments and the cells that would
    /// let them be recovered are suppressed (see `docs/stats.md`).
    pub fn report(&self, min_cell: u64) -> Report {
        let min_cell = min_cell.max(1);
        let mut regimes: Vec<(String, &RegimeAgg, Totals)> = self
            .regimes
            .iter()
            .map(|(id, r)| {
                let mut t = Totals::default();
                for p in r.periods.values() {
                    t.add(&p.total);
                }
                (id.clone(), r, t)
            })
            .collect();
        regimes.sort_by(|a, b| a.0.cmp(&b.0));
        let regime_cells = protect(
            regimes.iter().map(|(id, _, t)| (id.clone(), *t)).collect(),
            min_cell,
            false,
        );
        let mut out = Vec::new();
        for ((id, r, _), regime_cell) in regimes.iter().zip(regime_cells) {
            let mut periods: Vec<(&Box<str>, &PeriodAgg)> = r.periods.iter().collect();
            periods.sort_by(|a, b| a.0.cmp(b.0));
            let regime_hidden = regime_cell.totals.is_none();
            let period_cells = protect(
                periods
                    .iter()
                    .map(|(k, p)| (k.to_string(), p.total))
                    .collect(),
                min_cell,
                regime_hidden,
            );
            let mut period_reports = Vec::new();
            for ((_, p), period_cell) in periods.iter().zip(period_cells) {
                let hidden = period_cell.totals.is_none();
                let breakdowns = DIMENSIONS
                    .iter()
                    .zip(&p.dims)
                    .map(|(dim, map)| {
                        let mut cells: Vec<(String, Totals)> =
                            map.iter().map(|(k, t)| (k.to_string(), *t)).collect();
                        cells.sort_by(|a, b| a.0.cmp(&b.0));
                        Breakdown {
                            dimension: dim,
                            cells: protect(cells, min_cell, hidden),
                        }
                    })
                    .collect();
                period_reports.push(PeriodReport {
                    period: period_cell.key.clone(),
                    total: period_cell,
                    breakdowns,
                });
            }
            out.push(RegimeReport {
                regime: id.clone(),
                currency: r.currency.clone(),
                total: regime_cell,
                periods: period_reports,
            });
        }
        Report {
            min_cell,
            period: self.period,
            rejected: self.rejected,
            unreadable: self.unreadable,
            regimes: out,
        }
    }
}

/// Primary and complementary suppression of one breakdown whose cells add up to a published
/// (or, when `parent_hidden`, suppressed) total.
///
/// A cell with fewer than `min` consignments is suppressed. Then, while the suppressed cells
/// are fewer than two, or hold together fewer than `min` consignments, the smallest published
/// cell is suppressed too: the total minus the published cells then gives only the sum of
/// several cells, which covers at least `min` consignments. When the total itself is
/// suppressed, every cell is, or the cells would add up to it.
fn protect(cells: Vec<(String, Totals)>, min: u64, parent_hidden: bool) -> Vec<Cell> {
    let mut hidden: Vec<bool> = cells
        .iter()
        .map(|(_, t)| parent_hidden || (t.count > 0 && t.count < min))
        .collect();
    loop {
        let (n, sum) = cells
            .iter()
            .zip(&hidden)
            .filter(|(_, h)| **h)
            .fold((0, 0), |(n, s), ((_, t), _)| (n + 1, s + t.count));
        if n == 0 || (n >= 2 && sum >= min) {
            break;
        }
        let next = cells
            .iter()
            .enumerate()
            .filter(|(i, _)| !hidden[*i])
            .min_by(|a, b| a.1 .1.count.cmp(&b.1 .1.count).then(a.1 .0.cmp(&b.1 .0)))
            .map(|(i, _)| i);
        match next {
            Some(i) => hidden[i] = true,
            None => break,
        }
    }
    cells
        .into_iter()
        .zip(hidden)
        .map(|((key, t), h)| Cell {
            key,
            totals: (!h).then_some(t),
        })
        .collect()
}

/// One published or suppressed cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The value of the dimension (`CN`, `postal`, `2026-03`).
    pub key: String,
    /// The sums, or `None` when suppressed.
    pub totals: Option<Totals>,
}

impl Serialize for Cell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("key", &self.key)?;
        match &self.totals {
            None => m.serialize_entry("suppressed", &true)?,
            Some(t) => {
                m.serialize_entry("count", &t.count)?;
                m.serialize_entry("declared_value", &Amount(t.declared_value))?;
                m.serialize_entry("duty", &Amount(t.duty))?;
                m.serialize_entry("tax", &Amount(t.tax))?;
                m.serialize_entry("fees", &Amount(t.fees))?;
                m.serialize_entry("revenue", &Amount(t.revenue))?;
            }
        }
        m.end()
    }
}

/// One dimension of one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Breakdown {
    /// One of [`DIMENSIONS`].
    #[cfg_attr(
        feature = "schema",
        schemars(extend("enum" = DIMENSIONS))
    )]
    pub dimension: &'static str,
    /// Cells sorted by key.
    pub cells: Vec<Cell>,
}

/// One period of one regime.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PeriodReport {
    /// `2026-03`, `2026-Q1`, `all` …
    pub period: String,
    /// The period's total.
    pub total: Cell,
    /// One breakdown per dimension.
    pub breakdowns: Vec<Breakdown>,
}

/// One regime (one currency).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RegimeReport {
    /// Regime id.
    pub regime: String,
    /// Currency of every amount.
    pub currency: String,
    /// The regime's total over all periods.
    pub total: Cell,
    /// Periods in order.
    pub periods: Vec<PeriodReport>,
}

/// Publishable statistics.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Report {
    /// Minimum consignments per published cell.
    pub min_cell: u64,
    /// Period grouping.
    pub period: Period,
    /// Rejected declarations (error objects) in the input; not broken down.
    pub rejected: u64,
    /// Lines that were not results.
    pub unreadable: u64,
    /// Per regime.
    pub regimes: Vec<RegimeReport>,
}

impl Report {
    /// Every cell of the report in publication order, one row each: the regime's total
    /// (period `all`, dimension `total`), then for each period its total (dimension `period`)
    /// and its breakdowns. The rows of [`Report::to_csv`], for bindings that write tables.
    pub fn rows(&self) -> impl Iterator<Item = ReportRow<'_>> {
        self.regimes.iter().flat_map(|r| {
            let row = move |period: &'static str, dimension: &'static str, cell| ReportRow {
                regime: &r.regime,
                currency: &r.currency,
                period,
                dimension,
                cell,
            };
            std::iter::once(row("all", "total", &r.total)).chain(r.periods.iter().flat_map(
                move |p| {
                    let at = move |dimension: &'static str, cell| ReportRow {
                        regime: &r.regime,
                        currency: &r.currency,
                        period: p.period.as_str(),
                        dimension,
                        cell,
                    };
                    std::iter::once(at("period", &p.total)).chain(
                        p.breakdowns
                            .iter()
                            .flat_map(move |b| b.cells.iter().map(move |c| at(b.dimension, c))),
                    )
                },
            ))
        })
    }

    /// The report as CSV: one row per cell ([`Report::rows`]), totals as dimension `total`,
    /// `period` rows for the per-period totals; suppressed cells have `suppressed` = `true` and
    /// empty figures.
    pub fn to_csv(&self) -> String {
        let mut w = crate::csv_text::CsvWriter::new();
        w.row([
            "regime",
            "currency",
            "period",
            "dimension",
            "key",
            "count",
            "declared_value",
            "duty",
            "tax",
            "fees",
            "revenue",
            "suppressed",
        ]);
        for r in self.rows() {
            // Suppressed: the figures empty, `suppressed` true.
            let figures: [String; 7] = match &r.cell.totals {
                Some(t) => [
                    t.count.to_string(),
                    t.declared_value.to_string(),
                    t.duty.to_string(),
                    t.tax.to_string(),
                    t.fees.to_string(),
                    t.revenue.to_string(),
                    "false".into(),
                ],
                None => std::array::from_fn(|i| if i == 6 { "true".into() } else { String::new() }),
            };
            let place = [r.regime, r.currency, r.period, r.dimension, &r.cell.key];
            w.row(place.into_iter().chain(figures.iter().map(String::as_str)));
        }
        w.finish()
    }
}

/// One published or suppressed cell of a [`Report`] with where it sits.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow<'a> {
    /// Regime id.
    pub regime: &'a str,
    /// The regime's currency.
    pub currency: &'a str,
    /// The period (`2026-03`), or `all` for the regime's total.
    pub period: &'a str,
    /// `total`, `period`, or one of [`DIMENSIONS`].
    pub dimension: &'a str,
    /// The cell.
    pub cell: &'a Cell,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(count: u64) -> Totals {
        Totals {
            count,
            revenue: Decimal::from(count * 10),
            ..Totals::default()
        }
    }

    fn hidden(cells: &[Cell]) -> Vec<&str> {
        cells
            .iter()
            .filter(|c| c.totals.is_none())
            .map(|c| c.key.as_str())
            .collect()
    }

    #[test]
    fn small_cells_and_their_complements_are_suppressed() {
        let cells = vec![
            ("CN".to_string(), t(100)),
            ("US".to_string(), t(40)),
            ("TR".to_string(), t(2)),
            ("JP".to_string(), t(9)),
        ];
        let out = protect(cells, 5, false);
        // TR alone could be backed out from the total; JP (the smallest other) hides it.
        assert_eq!(hidden(&out), ["TR", "JP"]);
    }

    #[test]
    fn suppressed_cells_together_reach_the_minimum() {
        let cells = vec![
            ("a".to_string(), t(1)),
            ("b".to_string(), t(1)),
            ("c".to_string(), t(50)),
            ("d".to_string(), t(60)),
        ];
        // a and b together hold 2 < 5 consignments: c joins them.
        assert_eq!(hidden(&protect(cells, 5, false)), ["a", "b", "c"]);
        let fine = vec![("x".to_string(), t(5)), ("y".to_string(), t(7))];
        assert!(hidden(&protect(fine, 5, false)).is_empty());
        let under_hidden_total = vec![("x".to_string(), t(50)), ("y".to_string(), t(70))];
        assert_eq!(hidden(&protect(under_hidden_total, 5, true)), ["x", "y"]);
    }

    /// Whatever the cell sizes, no suppressed cell can be recovered: either nothing is
    /// suppressed, or at least two cells are, and together they hold at least `min`
    /// consignments (or the total itself is under `min` and every cell is hidden).
    #[test]
    fn no_cell_can_be_backed_out() {
        use proptest::prelude::*;
        proptest!(|(counts in proptest::collection::vec(1u64..30, 1..12), min in 1u64..10)| {
            let cells: Vec<(String, Totals)> =
                counts.iter().enumerate().map(|(i, &c)| (format!("k{i:02}"), t(c))).collect();
            let out = protect(cells, min, false);
            let hidden: Vec<u64> = out.iter().zip(&counts)
                .filter(|(c, _)| c.totals.is_none()).map(|(_, &n)| n).collect();
            for (c, &n) in out.iter().zip(&counts) {
                if c.totals.is_some() { prop_assert!(n >= min); }
            }
            if !hidden.is_empty() {
                let total: u64 = counts.iter().sum();
                prop_assert!(
                    (hidden.len() >= 2 && hidden.iter().sum::<u64>() >= min)
                        || hidden.len() == counts.len(),
                    "hidden {:?} of {:?}, total {}", hidden, counts, total
                );
            }
        });
    }

    const R1: &str = r#"{"id":"a","regime":"EU","currency":"EUR","date":"2026-03-04","subdivision":"FR","flow":{"destination":"FR","channel":"postal","transaction":"B2C","origin":"CN","hs_chapter":"61"},"intrinsic_value":"20.00","category":{"code":3,"name":"low_value_dutiable","sample":false},"collection":{"model":"vendor","scheme":"IOSS"},"duty_total":"0.00","tax_total":"4.00","fee_total":"0.00","total_payable":"4.00"}"#;

    #[test]
    fn aggregates_and_merges() {
        let mut a = Aggregator::new(Period::Month);
        let mut b = Aggregator::new(Period::Month);
        for _ in 0..3 {
            assert_eq!(a.add_line(R1.as_bytes()), RowKind::Result);
            b.add_line(R1.as_bytes());
        }
        assert_eq!(
            b.add_line(br#"{"id":"x","error":{"code":"E_X","message":"m","path":null}}"#),
            RowKind::Rejected
        );
        assert_eq!(b.add_line(b"not json"), RowKind::Unreadable);
        assert_eq!(b.add_line(b"  "), RowKind::Blank);
        a.merge(b);
        assert_eq!((a.results, a.rejected, a.unreadable), (6, 1, 1));
        let report = a.report(5);
        let eu = &report.regimes[0];
        let total = eu.total.totals.unwrap();
        assert_eq!(total.count, 6);
        assert_eq!(total.tax.to_string(), "24.00");
        assert_eq!(total.declared_value.to_string(), "120.00");
        assert_eq!(eu.periods[0].period, "2026-03");
        let origin = &eu.periods[0].breakdowns[3];
        assert_eq!(origin.dimension, "origin");
        assert_eq!(origin.cells[0].key, "CN");
        assert_eq!(origin.cells[0].totals.unwrap().count, 6);
        // Under a minimum of 7, the whole regime is one cell of 6: everything is hidden.
        let strict = a.report(7);
        assert!(strict.regimes[0].total.totals.is_none());
        assert!(strict
            .to_csv()
            .lines()
            .skip(1)
            .all(|l| l.ends_with(",true")));
        assert!(report
            .to_csv()
            .contains("EU,EUR,2026-03,origin,CN,6,120.00,0.00,24.00,0.00,24.00,false"));
    }

    /// A saved state reads back to the same sums, exactly (no digit lost to a float or to
    /// the amount grammar's limits), and merging states equals aggregating in one place.
    #[test]
    fn state_round_trips_and_merges() {
        let mut whole = Aggregator::new(Period::Quarter);
        let mut parts = vec![
            Aggregator::new(Period::Quarter),
            Aggregator::new(Period::Quarter),
        ];
        for i in 0..7 {
            whole.add_line(R1.as_bytes());
            parts[i % 2].add_line(R1.as_bytes());
        }
        whole.add_line(b"not json");
        parts[1].add_line(b"not json");
        let mut merged = Aggregator::new(Period::Quarter);
        for part in parts {
            merged.merge(Aggregator::from_state(&part.to_state()).unwrap());
        }
        assert_eq!(merged.period(), Period::Quarter);
        assert_eq!(merged.report(1).to_csv(), whole.report(1).to_csv());
        assert_eq!((merged.results, merged.unreadable), (7, 1));
        // Sums beyond one declaration's amount grammar survive the trip.
        let mut big = Aggregator::new(Period::All);
        big.regimes
            .entry("EU".into())
            .or_default()
            .periods
            .entry("all".into())
            .or_default()
            .total = Totals {
            count: 1,
            revenue: Decimal::new(123_456_789_012_345_678, 2),
            ..Totals::default()
        };
        let back = Aggregator::from_state(&big.to_state()).unwrap();
        assert_eq!(back.to_state(), big.to_state());
        let err = Aggregator::from_state(r#"{"period":"month"}"#).unwrap_err();
        assert_eq!(err.code, crate::ErrorCode::InvalidValue);
        assert!(Aggregator::from_state("{\"period\":\"month\",\"extra\":1}").is_err());
    }

    /// `rows` is the CSV, cell for cell.
    #[test]
    fn rows_are_the_csv_rows() {
        let mut a = Aggregator::new(Period::Month);
        for _ in 0..6 {
            a.add_line(R1.as_bytes());
        }
        let report = a.report(5);
        let csv = report.to_csv();
        let rows: Vec<ReportRow<'_>> = report.rows().collect();
        assert_eq!(rows.len(), csv.lines().count() - 1);
        assert_eq!((rows[0].period, rows[0].dimension), ("all", "total"));
        assert_eq!((rows[1].period, rows[1].dimension), ("2026-03", "period"));
        for (row, line) in rows.iter().zip(csv.lines().skip(1)) {
            assert!(line.starts_with(&format!(
                "{},{},{},{},",
                row.regime, row.currency, row.period, row.dimension
            )));
        }
    }

    #[test]
    fn periods() {
        assert_eq!(Period::Quarter.of("2026-08-31"), "2026-Q3");
        assert_eq!(Period::Year.of("2026-08-31"), "2026");
        assert_eq!(Period::All.of("2026-08-31"), "all");
        assert_eq!("quarter".parse::<Period>(), Ok(Period::Quarter));
        assert!("week".parse::<Period>().is_err());
    }
}
