//! Exchange rates: the tables customs administrations publish, which rate a date takes, and how
//! a declared amount is converted into the regime's currency.
//!
//! xborder never fetches or invents a rate. It reads the tables a caller gives (the project's
//! JSON, or the official files themselves: the ECB's reference rates, HMRC's monthly XML) and the
//! official tables it carries (`regimes/<ID>/<ID>.rates`, format `xborder-rates 1`, see
//! `docs/rates-format.md`): the EU's monthly customs rates selected from the ECB history by
//! Art. 146 UCC-IA ([`art146`]), and HMRC's monthly rates ([`hmrc`]).
//!
//! **Which table answers.** The caller's table, currency pair by currency pair; for a pair it
//! does not hold, the official table the regime pack names (`exchange_rates.table`). A regime
//! with no official table that xborder can derive (the United States, Canada, …) needs the
//! caller's, and the error says which publication to load ([`Rates::find`]).
//!
//! **How an amount is converted.** The ECB and HMRC quote units of the foreign currency per
//! euro or pound (1 EUR = 1.1845 USD), so an amount is *divided* by the published rate:
//! USD 100.00 ÷ 1.1845 = EUR 84.4238… → 84.42. No inverted rate is ever rounded: the quotient
//! is exact to rust_decimal's 28 significant digits and is rounded once, by the regime's
//! `rounding.exchange`. A caller's JSON rate is units of the regime currency per unit of the
//! declared one, and multiplies.
//!
//! **Dates.** A monthly rate is in force from the first to the last day of its month, never
//! beyond: a date whose month has no published rate fails with `E_NO_EXCHANGE_RATE`, and an
//! older month's rate never stands in.

pub mod art146;
#[cfg(feature = "rate-csv")]
mod csv_table;
pub mod ecb;
pub mod hmrc;
mod json;
pub mod monthly;
#[cfg(feature = "rate-xml")]
mod xml;

use std::collections::HashMap;
use std::sync::Arc;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::error::{Error, ErrorCode};
use crate::regime::Regime;

pub use json::RateEntry;
pub(crate) use json::{rate as rate_value, RateFile};
pub use monthly::{Month, MonthlyTable};

/// How a rate converts an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The amount is multiplied by the rate (units of the target currency per unit of the
    /// source).
    Multiply,
    /// The amount is divided by the rate (units of the source currency per unit of the target:
    /// 1 EUR = 1.1845 USD), as the ECB and HMRC quote.
    Divide,
}

/// One rate, in force over a period.
#[derive(Debug, Clone, PartialEq)]
pub struct Rate {
    /// Currency converted from.
    pub from: Arc<str>,
    /// Currency converted to.
    pub to: Arc<str>,
    /// The rate as its table gives it; [`Rate::method`] says how it converts.
    pub rate: Decimal,
    /// Multiply or divide.
    pub method: Method,
    /// First day in force.
    pub valid_from: Date,
    /// Last day in force; `None` until the pair's next rate.
    pub valid_to: Option<Date>,
    /// The publication the rate comes from (`ECB 2026-02-18 (Art. 146 UCC-IA)`).
    pub publication: Arc<str>,
    /// Where the rate comes from.
    pub source: Arc<str>,
}

impl Rate {
    /// `amount` in the `to` currency, unrounded; `None` on overflow, or when the product needs
    /// more than 28 digits (it is exact or nothing; a quotient keeps 28 significant digits).
    pub fn convert(&self, amount: Decimal) -> Option<Decimal> {
        match self.method {
            Method::Multiply => crate::exact::mul(amount, self.rate),
            Method::Divide => amount.checked_div(self.rate),
        }
    }

    /// The rate as a sentence: `1 GBP = 1.3573 USD` (divide) or `1 USD = 0.86 EUR` (multiply).
    pub fn quotation(&self) -> String {
        match self.method {
            Method::Multiply => format!("1 {} = {} {}", self.from, self.rate, self.to),
            Method::Divide => format!("1 {} = {} {}", self.to, self.rate, self.from),
        }
    }

    /// The conversion of `amount` into `converted`, for a trace:
    /// `40.00 USD ÷ 1.3573 = 29.47 GBP`.
    pub fn shown(&self, amount: Decimal, converted: Decimal) -> String {
        let op = match self.method {
            Method::Multiply => '×',
            Method::Divide => '÷',
        };
        format!(
            "{amount} {} {op} {} = {converted} {}",
            self.from, self.rate, self.to
        )
    }
}

/// A table of dated exchange rates.
#[derive(Debug, Clone, PartialEq)]
pub struct RateTable {
    /// Short id of an official table (`ECB`, `HMRC`), by which packs name it.
    pub id: Option<String>,
    /// What the table is (a JSON table's `label`, a monthly table's `title`).
    pub label: String,
    /// Where its rates come from.
    pub source: String,
    body: Body,
}

/// How a table holds its rates.
#[derive(Debug, Clone, PartialEq)]
enum Body {
    /// Dated rates by currency pair, each in force until the pair's next (the project's JSON).
    Dated(HashMap<(String, String), Vec<Rate>>),
    /// One row per month, one column per currency (the official monthly tables): kept as
    /// published, and a [`Rate`] is made only for the rate asked for.
    Monthly(MonthlyIndex),
}

/// A monthly table indexed by month and currency.
#[derive(Debug, Clone, PartialEq)]
struct MonthlyIndex {
    base: Arc<str>,
    method: Method,
    columns: HashMap<String, usize>,
    currencies: Vec<Arc<str>>,
    first: Month,
    last: Month,
    /// By months since `first`: that month's row, when the table has one.
    rows: Vec<Option<IndexedRow>>,
    source: Arc<str>,
    published: Option<monthly::PublicationRule>,
    basis: String,
}

#[derive(Debug, Clone, PartialEq)]
struct IndexedRow {
    month: Month,
    publication: Arc<str>,
    rates: Vec<Option<Decimal>>,
}

impl MonthlyIndex {
    /// The months from `first` to `month`, if `month` is in the table's span.
    fn offset(&self, month: Month) -> Option<usize> {
        let n = |m: Month| i64::from(m.year()) * 12 + i64::from(m.month());
        usize::try_from(n(month) - n(self.first)).ok()
    }

    fn row(&self, month: Month) -> Option<&IndexedRow> {
        self.rows.get(self.offset(month)?)?.as_ref()
    }
}

/// The formats a rate table can be given in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The project's JSON (`examples/rates/sample-rates.json`).
    Json,
    /// `xborder-rates 1` (`docs/rates-format.md`).
    Monthly,
    /// The ECB's reference rates as CSV (`eurofxref-hist.csv`, `eurofxref.csv`).
    EcbCsv,
    /// The ECB's reference rates as XML (`eurofxref-hist.xml`, `eurofxref-daily.xml`).
    EcbXml,
    /// HMRC's monthly exchange rates as XML.
    HmrcXml,
    /// HMRC's monthly exchange rates as the UK Trade Tariff's CSV (`monthly_csv_YYYY-M.csv`).
    HmrcCsv,
    /// The project's CSV: `from,to,valid_from,rate,method,source` (`docs/rates-format.md`).
    Csv,
}

impl Format {
    /// Recognises a table's format from its first bytes.
    pub fn detect(text: &str) -> Option<Format> {
        let t = text.trim_start_matches('\u{feff}').trim_start();
        if t.starts_with('{') {
            Some(Format::Json)
        } else if t.starts_with(monthly::MAGIC) {
            Some(Format::Monthly)
        } else if t.starts_with("Date,") || t.starts_with("Date ,") {
            Some(Format::EcbCsv)
        } else if let Some(csv) = csv_detect(t) {
            Some(csv)
        } else if t.starts_with('<') {
            // The root element is near the start; a cut inside a character reads the whole.
            let head = t.get(..t.len().min(4096)).unwrap_or(t);
            if head.contains("exchangeRateMonthList") {
                Some(Format::HmrcXml)
            } else if head.contains("Envelope") || head.contains("eurofxref") {
                Some(Format::EcbXml)
            } else {
                None
            }
        } else {
            None
        }
    }
}

/// Whether the first line of `text` is the header of a CSV rate table this module reads: the
/// project's (it names `from`, `to` and `rate`) or HMRC's (it starts `Country/Territories`).
fn csv_detect(text: &str) -> Option<Format> {
    let first = text.lines().next()?.trim_start_matches('\u{feff}');
    if first
        .get(..19)
        .is_some_and(|h| h.eq_ignore_ascii_case("Country/Territories"))
    {
        return Some(Format::HmrcCsv);
    }
    let names: Vec<String> = first
        .split([',', ';'])
        .map(|n| n.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    ["from", "to", "rate"]
        .iter()
        .all(|want| names.iter().any(|n| n == want))
        .then_some(Format::Csv)
}

impl RateTable {
    /// Loads `{ "label", "source", "rates": [{from, to, valid_from, rate, source?}] }`.
    pub fn from_json(text: &str) -> Result<RateTable, Error> {
        json::parse(text).map_err(|e| e.from_origin(crate::Origin::Rates))
    }

    /// Loads a table in any [`Format`], recognised from its first bytes: a caller can hand in
    /// the file the customs administration publishes. An ECB daily history is turned into the
    /// monthly customs rates of Art. 146 UCC-IA on the way.
    pub fn from_text(text: &str) -> Result<RateTable, Error> {
        RateTable::parse_any(text).map_err(|e| e.from_origin(crate::Origin::Rates))
    }

    fn parse_any(text: &str) -> Result<RateTable, Error> {
        check_size(text)?;
        // Excel's "CSV UTF-8" and some editors start the text with a byte-order mark.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        match Format::detect(text) {
            Some(Format::Json) => RateTable::from_json(text),
            Some(Format::Monthly) => Ok(RateTable::from_monthly(MonthlyTable::parse(text)?)),
            Some(Format::EcbCsv) => Ok(RateTable::from_monthly(ecb::monthly_table(text, "CSV")?)),
            Some(Format::EcbXml) => Ok(RateTable::from_monthly(ecb::monthly_table(text, "XML")?)),
            #[cfg(feature = "rate-csv")]
            Some(Format::HmrcCsv) => csv_table::hmrc_table(text),
            #[cfg(feature = "rate-csv")]
            Some(Format::Csv) => csv_table::parse(text),
            #[cfg(not(feature = "rate-csv"))]
            Some(Format::HmrcCsv | Format::Csv) => Err(csv_left_out()),
            #[cfg(feature = "rate-xml")]
            Some(Format::HmrcXml) => {
                let file = hmrc::parse_month(text)?;
                let last = file.month.first_day();
                Ok(RateTable::from_monthly(hmrc::monthly_table(
                    vec![file],
                    "HMRC monthly exchange rates, one month's XML file".into(),
                    last,
                )?))
            }
            #[cfg(not(feature = "rate-xml"))]
            Some(Format::HmrcXml) => Err(xml_left_out()),
            None => Err(Error::new(
                ErrorCode::InvalidRates,
                "not a rate table: expected the project's JSON or CSV (from,to,valid_from,rate,…), an xborder-rates table, the ECB's reference rates (CSV or XML) or HMRC's monthly rates (XML or CSV)",
            )),
        }
    }

    /// The rates of a monthly table, each in force for its month only.
    pub fn from_monthly(table: MonthlyTable) -> RateTable {
        let MonthlyTable {
            header,
            currencies,
            rows,
        } = table;
        let method = match header.quote {
            monthly::Quote::PerBase => Method::Divide,
            monthly::Quote::InBase => Method::Multiply,
        };
        let (first, last) = match (rows.first(), rows.last()) {
            (Some(f), Some(l)) => (f.month, l.month),
            // No month at all: a table that answers nothing.
            _ => (Month::of(header.checked), Month::of(header.checked)),
        };
        let mut index = MonthlyIndex {
            base: Arc::from(header.base.as_str()),
            method,
            columns: currencies
                .iter()
                .enumerate()
                // A column no month quotes holds no pair.
                .filter(|(c, _)| {
                    rows.iter()
                        .any(|r| r.rates.get(*c).is_some_and(Option::is_some))
                })
                .map(|(c, code)| (code.clone(), c))
                .collect(),
            currencies: currencies.iter().map(|c| Arc::from(c.as_str())).collect(),
            first,
            last,
            rows: Vec::new(),
            source: Arc::from(format!("{}: {}", header.publisher, header.source)),
            published: header.published,
            basis: header.basis.clone(),
        };
        for row in rows {
            let Some(at) = index.offset(row.month) else {
                continue;
            };
            if index.rows.len() <= at {
                index.rows.resize(at + 1, None);
            }
            let publication = match row.published {
                Some(day) => format!("{} {day} ({})", header.id, header.basis),
                None => format!("{} {} ({})", header.id, row.month, header.basis),
            };
            index.rows[at] = Some(IndexedRow {
                month: row.month,
                publication: Arc::from(publication),
                rates: row.rates,
            });
        }
        RateTable {
            id: Some(header.id),
            label: header.title,
            source: header.source,
            body: Body::Monthly(index),
        }
    }

    pub(crate) fn from_parts(
        label: String,
        source: String,
        by_pair: HashMap<(String, String), Vec<Rate>>,
    ) -> RateTable {
        RateTable {
            id: None,
            label,
            source,
            body: Body::Dated(by_pair),
        }
    }

    /// The rate converting `from` into `to` in force on `date`.
    pub fn rate_on(&self, from: &str, to: &str, date: Date) -> Option<Rate> {
        match &self.body {
            Body::Dated(by_pair) => {
                let series = by_pair.get(&(from.to_string(), to.to_string()))?;
                let i = series.partition_point(|r| r.valid_from <= date);
                let rate = &series[i.checked_sub(1)?];
                rate.valid_to
                    .is_none_or(|last| date <= last)
                    .then(|| rate.clone())
            }
            Body::Monthly(m) => {
                if *m.base != *to {
                    return None;
                }
                let column = *m.columns.get(from)?;
                let row = m.row(Month::of(date))?;
                let rate = (*row.rates.get(column)?)?;
                Some(Rate {
                    from: m.currencies[column].clone(),
                    to: m.base.clone(),
                    rate,
                    method: m.method,
                    valid_from: row.month.first_day(),
                    valid_to: Some(row.month.last_day()),
                    publication: row.publication.clone(),
                    source: m.source.clone(),
                })
            }
        }
    }

    /// True when the table holds any `from` → `to` rate.
    pub fn has_pair(&self, from: &str, to: &str) -> bool {
        match &self.body {
            Body::Dated(by_pair) => by_pair.contains_key(&(from.to_string(), to.to_string())),
            Body::Monthly(m) => *m.base == *to && m.columns.contains_key(from),
        }
    }

    /// The name a result gives the table: its id, or its label.
    pub fn name(&self) -> &str {
        self.id.as_deref().unwrap_or(&self.label)
    }

    /// Why the table has no `from` → `to` rate on `date` (when [`RateTable::rate_on`] gives
    /// none): the words of an `E_NO_EXCHANGE_RATE` message.
    pub fn why_none(&self, from: &str, to: &str, date: Date) -> String {
        let name = self.name();
        let month = Month::of(date);
        match &self.body {
            Body::Monthly(m) if *m.base == *to => {
                if month > m.last {
                    let when = match m.published.and_then(|rule| rule.date_for(month)) {
                        Some(day) => format!(
                            "the {name} rate for {} is published on {day} ({})",
                            month.name(),
                            m.basis
                        ),
                        None => format!(
                            "the {name} rates for {} are published shortly before the month starts",
                            month.name()
                        ),
                    };
                    format!(
                        "{when}; the {name} table ends with {}, so that rate is not yet published or not yet in the table",
                        m.last.name()
                    )
                } else if month < m.first {
                    format!("the {name} table starts with {}", m.first.name())
                } else if !m.columns.contains_key(from) {
                    format!("the {name} table quotes no {from}")
                } else {
                    format!(
                        "the {name} table quotes no {from} for {} (not in that month's publication)",
                        month.name()
                    )
                }
            }
            Body::Monthly(m) => format!("the {name} table converts into {} only", m.base),
            Body::Dated(by_pair) => match by_pair
                .get(&(from.to_string(), to.to_string()))
                .and_then(|s| s.first())
            {
                Some(first) if date < first.valid_from => format!(
                    "the table {name:?} has {from}→{to} rates from {} only",
                    first.valid_from
                ),
                Some(_) => format!("the table {name:?} has no {from}→{to} rate in force on {date}"),
                None => format!("the table {name:?} has no {from}→{to} rate"),
            },
        }
    }
}

/// The rates an engine converts with: the caller's table, and the official tables packs name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rates {
    /// The caller's table: it answers first, for every pair it holds.
    pub caller: Option<RateTable>,
    /// Official tables by id (`ECB`, `HMRC`): the embedded ones and any the caller adds.
    pub official: Vec<RateTable>,
}

impl Rates {
    /// The official table with this id.
    pub fn official(&self, id: &str) -> Option<&RateTable> {
        self.official.iter().find(|t| t.id.as_deref() == Some(id))
    }

    /// Adds an official table, replacing one with the same id.
    pub fn add_official(&mut self, table: RateTable) {
        match self.official.iter_mut().find(|t| t.id == table.id) {
            Some(slot) => *slot = table,
            None => self.official.push(table),
        }
    }

    /// The rate converting `from` into `regime`'s currency on `date`, with the table it comes
    /// from: the caller's table for a pair it holds, else the official table the pack names.
    /// `Err` says why there is none, in words for the `E_NO_EXCHANGE_RATE` message.
    pub fn find(
        &self,
        regime: &Regime,
        from: &str,
        date: Date,
    ) -> Result<(&RateTable, Rate), String> {
        let to = regime.currency.as_str();
        if let Some(table) = self.caller.as_ref().filter(|t| t.has_pair(from, to)) {
            return table
                .rate_on(from, to, date)
                .map(|r| (table, r))
                .ok_or_else(|| {
                    format!(
                        "{}; the caller's table answers for this pair",
                        table.why_none(from, to, date)
                    )
                });
        }
        let pointer = regime.exchange_rates.as_ref();
        match pointer.and_then(|p| p.table.as_deref()) {
            Some(id) => match self.official(id) {
                Some(table) => table.rate_on(from, to, date).map(|r| (table, r)).ok_or_else(|| {
                    format!(
                        "{}; load a newer {id} table or supply a rate table",
                        table.why_none(from, to, date)
                    )
                }),
                None => Err(format!(
                    "regime {} takes its rates from the table {id}, which is not loaded (load regimes/{}/{}.rates as a rate table, or supply a rate table)",
                    regime.id, regime.id, regime.id
                )),
            },
            None => Err(match pointer {
                Some(p) => format!(
                    "regime {} has no official rate table xborder can derive; supply a rate table with the customs administration's rates: {}",
                    regime.id, p.official
                ),
                None => "supply a rate table".to_string(),
            }),
        }
    }
}

/// The error for an XML rate file in a build without the `rate-xml` feature (the WASM package).
#[cfg(not(feature = "rate-xml"))]
pub(crate) fn xml_left_out() -> Error {
    Error::new(
        ErrorCode::InvalidRates,
        "this build reads no XML rate files (feature rate-xml is off, as in the WASM package): convert the file with `xborder rates import`, or give the ECB's CSV",
    )
}

/// The error for a rate CSV other than the ECB's in a build without the `rate-csv` feature
/// (the WASM package).
#[cfg(not(feature = "rate-csv"))]
pub(crate) fn csv_left_out() -> Error {
    Error::new(
        ErrorCode::InvalidRates,
        "this build reads no HMRC or project CSV rate files (feature rate-csv is off, as in the WASM package): convert the file with `xborder rates import`, or give the project's JSON",
    )
}

/// Refuses a rate table over [`crate::limits::MAX_RATES_BYTES`], whatever its format.
pub(crate) fn check_size(text: &str) -> Result<(), Error> {
    crate::limits::check_size(
        text,
        crate::limits::MAX_RATES_BYTES,
        ErrorCode::InputTooLarge,
        "rate table",
    )
}

/// The `E_NO_EXCHANGE_RATE` error for a missing rate.
pub(crate) fn no_rate(path: impl Into<String>, what: String, why: String) -> Error {
    Error::at(ErrorCode::NoExchangeRate, path, format!("{what}: {why}"))
}

#[cfg(test)]
mod tests;
