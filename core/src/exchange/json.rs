//! The project's own JSON rate table (`examples/rates/sample-rates.json`): dated rates a caller
//! writes by hand, each in force until the next rate of its pair. Each rate is quoted either
//! way round: units of `to` per unit of `from` (multiplied), or, as the ECB and HMRC publish,
//! units of `from` per unit of `to` (`"method": "divide"`: 1 EUR = 1.1845 USD), never inverted.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Deserializer};

use super::{Method, Rate, RateTable};
use crate::date::Date;
use crate::error::{Error, ErrorCode};
use crate::money::Amount;
// Derived readers by default, the compact one in the WASM package (issue 17).
use crate::regime::decode::from_json_data;

/// One dated rate, from `valid_from` until the next rate for the same pair: `rate` units of
/// `to` per unit of `from` ([`Method::Multiply`], the default), or units of `from` per unit of
/// `to` ([`Method::Divide`], the inverse quote the ECB and HMRC publish).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RateEntry {
    /// Currency converted from.
    #[cfg_attr(feature = "schema", schemars(pattern(crate::schema::CURRENCY)))]
    pub from: String,
    /// Currency converted to.
    #[cfg_attr(feature = "schema", schemars(pattern(crate::schema::CURRENCY)))]
    pub to: String,
    /// First day in force.
    pub valid_from: Date,
    /// The rate as published; [`RateEntry::method`] says which way round it is quoted.
    #[serde(deserialize_with = "rate")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::rate_value")
    )]
    pub rate: Amount,
    /// How the rate converts: `multiply` (units of `to` per unit of `from`, the default) or
    /// `divide` (units of `from` per unit of `to`: 1 EUR = 1.1845 USD for `USD` → `EUR`).
    #[serde(default = "multiply")]
    pub method: Method,
    /// Where the rate comes from (overrides the table's).
    #[serde(default)]
    pub source: Option<String>,
}

fn multiply() -> Method {
    Method::Multiply
}

/// A rate: a decimal string with up to [`crate::limits::RATE_SCALE`] places (the ECB quotes
/// the pound to five). Read by a visitor, so that a value of another type is refused where it
/// stands (`invalid type: map, expected …`, with the field's path in every build: read whole
/// first, an object's error would be placed after it, where the objects-only read's scanned
/// path could not tell it from an error of the object's last field).
pub(crate) fn rate<'de, D: Deserializer<'de>>(d: D) -> Result<Amount, D::Error> {
    struct Rate;
    impl serde::de::Visitor<'_> for Rate {
        type Value = Amount;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a rate as a decimal string such as \"0.86\"")
        }
        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Amount, E> {
            crate::money::parse_decimal(
                text,
                crate::limits::AMOUNT_INTEGER_DIGITS,
                crate::limits::RATE_SCALE,
            )
            .map(Amount)
            .map_err(|e| E::custom(format!("[{}] {}", e.code, e.message)))
        }
        fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Amount, E> {
            Err(number())
        }
        fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Amount, E> {
            Err(number())
        }
        fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Amount, E> {
            Err(number())
        }
    }
    fn number<E: serde::de::Error>() -> E {
        E::custom(
            "[E_INVALID_AMOUNT] a rate is a decimal string such as \"0.86\", not a JSON number",
        )
    }
    d.deserialize_any(Rate)
}

/// The document: a label, a source and the rates (crate-visible for the tests of field paths,
/// `json_path_tests.rs`).
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct RateFile {
    /// The table's name, shown with its source in every conversion it makes.
    pub(crate) label: String,
    /// Where the rates come from, for rates that do not name their own.
    pub(crate) source: String,
    /// The dated rates, in any order.
    pub(crate) rates: Vec<RateEntry>,
}

/// Parses the JSON table.
pub(super) fn parse(text: &str) -> Result<RateTable, Error> {
    super::check_size(text)?;
    let file: RateFile = from_json_data(text).map_err(|mut err: Error| {
        if let Some(err) = crate::limits::nesting_error(text, "rate table", Some("rates")) {
            return err;
        }
        err.code = ErrorCode::InvalidRates;
        err
    })?;
    let entries = file
        .rates
        .into_iter()
        .enumerate()
        .map(|(i, e)| (format!("rates[{i}]"), e));
    build(file.label, file.source, entries)
}

/// The table of `entries`, each with the path its errors name (`rates[3]`, `line 4`): every
/// currency ISO 4217, every rate positive, no two rates of a pair starting on the same day.
pub(super) fn build(
    label: String,
    source: String,
    entries: impl Iterator<Item = (String, RateEntry)>,
) -> Result<RateTable, Error> {
    let table_source: Arc<str> = Arc::from(format!("{source} ({label})"));
    let mut by_pair: HashMap<(String, String), Vec<Rate>> = HashMap::new();
    for (at, entry) in entries {
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
        let series = by_pair
            .entry((entry.from.clone(), entry.to.clone()))
            .or_default();
        if series.iter().any(|r| r.valid_from == entry.valid_from) {
            return Err(Error::at(
                ErrorCode::InvalidRates,
                format!("{at}.valid_from"),
                format!(
                    "two {}→{} rates start on {}",
                    entry.from, entry.to, entry.valid_from
                ),
            ));
        }
        series.push(Rate {
            publication: Arc::from(format!("rate in force from {}", entry.valid_from)),
            source: entry.source.map_or_else(|| table_source.clone(), Arc::from),
            from: Arc::from(entry.from.as_str()),
            to: Arc::from(entry.to.as_str()),
            rate: entry.rate.0,
            method: entry.method,
            valid_from: entry.valid_from,
            valid_to: None,
        });
    }
    for series in by_pair.values_mut() {
        crate::sort::sort_by_key(series, |r| r.valid_from);
    }
    Ok(RateTable::from_parts(label, source, by_pair))
}
