//! Exchange rates supplied by the caller as a dated table.
//!
//! Customs administrations publish their own rates (the EU's monthly customs rates under
//! Art. 146 UCC-IA, HMRC's monthly rates); xborder never fetches or invents one. The rate in
//! force on the declaration's date converts every declared amount, and the result reports it.

use std::collections::HashMap;

use serde::Deserialize;

use crate::date::Date;
use crate::error::{Error, ErrorCode};
use crate::money::Amount;

/// One dated rate: `rate` units of `to` per unit of `from`, from `valid_from` until the next
/// rate for the same pair.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateEntry {
    /// Currency converted from.
    pub from: String,
    /// Currency converted to.
    pub to: String,
    /// First day in force.
    pub valid_from: Date,
    /// Units of `to` per unit of `from`.
    pub rate: Amount,
    /// Where the rate comes from (overrides the table's).
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RateFile {
    label: String,
    source: String,
    rates: Vec<RateEntry>,
}

/// A table of dated exchange rates.
#[derive(Debug, Clone, Default)]
pub struct RateTable {
    /// What the table is (e.g. "SAMPLE RATES — not official").
    pub label: String,
    /// Where its rates come from.
    pub source: String,
    by_pair: HashMap<(String, String), Vec<RateEntry>>,
}

impl RateTable {
    /// Loads `{ "label", "source", "rates": [{from, to, valid_from, rate, source?}] }`.
    pub fn from_json(text: &str) -> Result<RateTable, Error> {
        crate::limits::check_size(
            text,
            crate::limits::MAX_RATES_BYTES,
            ErrorCode::InputTooLarge,
            "rate table",
        )?;
        let file: RateFile = crate::error::from_json_data(text).map_err(|mut err: Error| {
            if let Some(err) = crate::limits::nesting_error(text, "rate table", Some("rates")) {
                return err;
            }
            err.code = ErrorCode::InvalidRates;
            err
        })?;
        let mut table = RateTable {
            label: file.label,
            source: file.source,
            by_pair: HashMap::new(),
        };
        for (i, entry) in file.rates.into_iter().enumerate() {
            let at = format!("rates[{i}]");
            for (field, code) in [("from", &entry.from), ("to", &entry.to)] {
                if crate::money::minor_units(code).is_none() {
                    return Err(Error::at(
                        ErrorCode::InvalidRates,
                        format!("{at}.{field}"),
                        format!("{code:?} is not an ISO 4217 currency"),
                    ));
                }
            }
            if entry.rate.0 <= rust_decimal::Decimal::ZERO {
                return Err(Error::at(
                    ErrorCode::InvalidRates,
                    format!("{at}.rate"),
                    "an exchange rate must be positive",
                ));
            }
            let series = table
                .by_pair
                .entry((entry.from.clone(), entry.to.clone()))
                .or_default();
            if series.iter().any(|e| e.valid_from == entry.valid_from) {
                return Err(Error::at(
                    ErrorCode::InvalidRates,
                    format!("{at}.valid_from"),
                    format!(
                        "two {}→{} rates start on {}",
                        entry.from, entry.to, entry.valid_from
                    ),
                ));
            }
            series.push(entry);
        }
        for series in table.by_pair.values_mut() {
            series.sort_by_key(|e| e.valid_from);
        }
        Ok(table)
    }

    /// The rate converting `from` into `to` in force on `date`.
    pub fn rate_on(&self, from: &str, to: &str, date: Date) -> Option<&RateEntry> {
        let series = self.by_pair.get(&(from.to_string(), to.to_string()))?;
        let i = series.partition_point(|e| e.valid_from <= date);
        i.checked_sub(1).map(|i| &series[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = r#"{"label":"test","source":"unit test","rates":[
        {"from":"USD","to":"EUR","valid_from":"2026-02-01","rate":"0.90"},
        {"from":"USD","to":"EUR","valid_from":"2026-01-01","rate":"0.80"}]}"#;

    #[test]
    fn picks_rate_in_force() {
        let t = RateTable::from_json(TABLE).unwrap();
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert!(t.rate_on("USD", "EUR", d("2025-12-31")).is_none());
        assert_eq!(
            t.rate_on("USD", "EUR", d("2026-01-31"))
                .unwrap()
                .rate
                .0
                .to_string(),
            "0.80"
        );
        assert_eq!(
            t.rate_on("USD", "EUR", d("2026-02-01"))
                .unwrap()
                .rate
                .0
                .to_string(),
            "0.90"
        );
        assert!(t.rate_on("EUR", "USD", d("2026-02-01")).is_none());
    }

    #[test]
    fn rejects_bad_tables() {
        let bad = r#"{"label":"x","source":"y","rates":[{"from":"USD","to":"EUR","valid_from":"2026-01-01","rate":"0"}]}"#;
        let err = RateTable::from_json(bad).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidRates);
        assert_eq!(err.path.as_deref(), Some("rates[0].rate"));
        let bad = r#"{"label":"x","source":"y","rates":[{"from":"USD","to":"EUR","valid_from":"2026-01-01","rate":0.9}]}"#;
        let err = RateTable::from_json(bad).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidRates);
    }
}
