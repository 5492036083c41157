//! HMRC's monthly exchange rates, which UK customs and import VAT use: section 18 of the
//! Taxation (Cross-border Trade) Act 2018 has them fixed by public notice, and HMRC publishes
//! each month's rates before the month starts, "applicable from the first to the last day of
//! the next calendar month" (gov.uk, Customs valuation: exchange rates).
//!
//! HMRC's monthly XML (`exrates-monthly-MMYY.xml`, and the Trade Tariff's `monthly_xml_YYYY-MM.xml`):
//!
//! ```xml
//! <exchangeRateMonthList Period="01/Mar/2026 to 31/Mar/2026">
//!   <exchangeRate>
//!     <countryName>USA</countryName>
//!     <countryCode>US</countryCode>
//!     <currencyName>Dollar</currencyName>
//!     <currencyCode>USD</currencyCode>
//!     <rateNew>1.3573</rateNew>
//!   </exchangeRate>
//!   …
//! ```
//!
//! `rateNew` is in currency units per pound (1 GBP = 1.3573 USD), so an amount is divided by it.
//! The same rates come as CSV from the UK Trade Tariff (`monthly_csv_YYYY-M.csv`), read by
//! [`parse_month_csv`] without the `rate-xml` feature.
//!
//! A currency several countries use is listed once per country; when the listings disagree
//! (XCD in April 2015: 3.9831 for six countries, 3.983 for Montserrat) the value most of them
//! give is taken, and a tie is refused.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

#[cfg(feature = "rate-xml")]
use super::monthly::{is_currency_code, parse_rate};
use super::monthly::{Header, Month, MonthRow, MonthlyTable, Quote};
use crate::date::Date;
use crate::error::{Error, ErrorCode};
use crate::regime::pack::Confidence;

#[cfg(feature = "rate-csv")]
pub use super::csv_table::parse_hmrc_month as parse_month_csv;

/// The header of an HMRC table made from `source`.
pub fn header(source: String, checked: Date) -> Header {
    Header {
        id: "HMRC".into(),
        title: "HMRC monthly exchange rates for customs and VAT".into(),
        publisher: "HM Revenue & Customs".into(),
        source,
        licence: "Crown copyright, Open Government Licence v3.0".into(),
        base: "GBP".into(),
        quote: Quote::PerBase,
        basis: "s. 18 TCTA 2018".into(),
        published: None,
        confidence: Confidence::Confirmed,
        checked,
        converter: None,
        notes: vec![
            "Each month's rates apply from the first to the last day of that month (Taxation (Cross-border Trade) Act 2018 s. 18; gov.uk Customs valuation: exchange rates). HMRC may amend a currency's rate during a month when it moves by more than 5 %; the monthly file HMRC publishes is the one held here.".into(),
        ],
    }
}

/// One month's file: the month and its rates, by currency.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthFile {
    /// The month the rates apply.
    pub month: Month,
    /// Currency code → units per GBP.
    pub rates: BTreeMap<String, Decimal>,
}

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidRates, message)
}

#[cfg(feature = "rate-xml")]
fn invalid_at(line: usize, message: impl Into<String>) -> Error {
    Error::at(ErrorCode::InvalidRates, format!("line {line}"), message)
}

/// Parses one monthly XML file.
#[cfg(feature = "rate-xml")]
pub fn parse_month(text: &str) -> Result<MonthFile, Error> {
    let doc = super::xml::parse(text)?;
    let root = doc.root_element();
    if root.tag_name().name() != "exchangeRateMonthList" {
        return Err(invalid(format!(
            "an HMRC monthly file's root element is exchangeRateMonthList, not {}",
            root.tag_name().name()
        )));
    }
    let period = root
        .attribute("Period")
        .ok_or_else(|| invalid("exchangeRateMonthList has no Period attribute"))?;
    let month = parse_period(period).ok_or_else(|| {
        invalid(format!(
            "Period {period:?} is not one calendar month (01/Mar/2026 to 31/Mar/2026)"
        ))
    })?;
    let mut listed: BTreeMap<String, Vec<Decimal>> = BTreeMap::new();
    for entry in root
        .children()
        .filter(|n| n.is_element() && n.tag_name().name() == "exchangeRate")
    {
        let at = super::xml::line(&doc, entry);
        let field = |name: &str| {
            entry
                .children()
                .find(|n| n.is_element() && n.tag_name().name() == name)
                .and_then(|n| n.text())
                .map(str::trim)
                .ok_or_else(|| invalid_at(at, format!("an exchangeRate has no {name}")))
        };
        let code = field("currencyCode")?;
        if !is_currency_code(code) {
            return Err(invalid_at(at, format!("{code:?} is not a currency code")));
        }
        let rate =
            parse_rate(field("rateNew")?).map_err(|m| invalid_at(at, format!("{code}: {m}")))?;
        listed.entry(code.to_string()).or_default().push(rate);
    }
    if listed.is_empty() {
        return Err(invalid(format!("the HMRC file for {month} lists no rate")));
    }
    let mut rates = BTreeMap::new();
    for (code, values) in listed {
        rates.insert(code.clone(), agreed(&code, month, &values)?);
    }
    Ok(MonthFile { month, rates })
}

/// The value most listings of one currency give.
#[cfg_attr(not(any(feature = "rate-xml", feature = "rate-csv")), allow(dead_code))]
pub(super) fn agreed(code: &str, month: Month, values: &[Decimal]) -> Result<Decimal, Error> {
    let mut counts: Vec<(Decimal, usize)> = Vec::new();
    for v in values {
        match counts.iter_mut().find(|(x, _)| x == v) {
            Some((_, n)) => *n += 1,
            None => counts.push((*v, 1)),
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    match counts.as_slice() {
        [(only, _)] => Ok(*only),
        [(top, n), (_, m), ..] if n > m => Ok(*top),
        _ => Err(invalid(format!(
            "{code} is listed for {month} with different rates and no majority: {}",
            values
                .iter()
                .map(Decimal::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// `01/Mar/2026 to 31/Mar/2026` → March 2026 (the whole month, or nothing).
#[cfg(feature = "rate-xml")]
fn parse_period(period: &str) -> Option<Month> {
    let (from, to) = period.split_once(" to ")?;
    let from = parse_day(from.trim())?;
    let to = parse_day(to.trim())?;
    let month = Month::of(from);
    (from == month.first_day() && to == month.last_day()).then_some(month)
}

/// `01/Mar/2026`.
#[cfg(feature = "rate-xml")]
fn parse_day(text: &str) -> Option<Date> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mut parts = text.split('/');
    let day: u32 = parts.next()?.parse().ok()?;
    let name = parts.next()?;
    let month = MONTHS.iter().position(|m| *m == name)? as u32 + 1;
    let year: u32 = parts.next()?.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    Date::new(year, month, day).ok()
}

/// A table of several months' files (any order; each month once).
pub fn monthly_table(
    files: Vec<MonthFile>,
    source: String,
    checked: Date,
) -> Result<MonthlyTable, Error> {
    let mut by_month: BTreeMap<Month, BTreeMap<String, Decimal>> = BTreeMap::new();
    for file in files {
        if by_month.insert(file.month, file.rates).is_some() {
            return Err(invalid(format!("two HMRC files are for {}", file.month)));
        }
    }
    let mut currencies: Vec<String> = by_month.values().flat_map(|r| r.keys().cloned()).collect();
    currencies.sort();
    currencies.dedup();
    let rows = by_month
        .into_iter()
        .map(|(month, rates)| MonthRow {
            month,
            published: None,
            rates: currencies.iter().map(|c| rates.get(c).copied()).collect(),
        })
        .collect();
    Ok(MonthlyTable {
        header: header(source, checked),
        currencies,
        rows,
    })
}

#[cfg(all(test, feature = "rate-xml"))]
mod tests {
    use super::*;

    const MARCH_2026: &str = include_str!("testdata/hmrc-monthly-2026-03.xml");
    const APRIL_2015: &str = include_str!("testdata/hmrc-monthly-2015-04.xml");

    #[test]
    fn reads_march_2026() {
        let f = parse_month(MARCH_2026).unwrap();
        assert_eq!(f.month.to_string(), "2026-03");
        assert_eq!(f.rates["USD"].to_string(), "1.3573");
        assert_eq!(f.rates["AED"].to_string(), "4.9847");
        assert_eq!(f.rates.len(), 141); // 163 listings, some currencies listed for several countries
    }

    #[test]
    fn a_currency_listed_with_different_rates_takes_the_majority() {
        let f = parse_month(APRIL_2015).unwrap();
        assert_eq!(f.rates["XCD"].to_string(), "3.9831");
        let e = agreed(
            "XCD",
            f.month,
            &["3.9831".parse().unwrap(), "3.983".parse().unwrap()],
        )
        .unwrap_err();
        assert!(e.message.contains("no majority"), "{}", e.message);
    }

    #[test]
    fn builds_a_table_of_several_months() {
        let t = monthly_table(
            vec![
                parse_month(MARCH_2026).unwrap(),
                parse_month(APRIL_2015).unwrap(),
            ],
            "test".into(),
            "2026-12-05".parse().unwrap(),
        )
        .unwrap();
        assert_eq!(t.rows[0].month.to_string(), "2015-04");
        assert_eq!(t.rows[1].month.to_string(), "2026-03");
        let usd = t.currencies.iter().position(|c| c == "USD").unwrap();
        assert_eq!(t.rows[1].rates[usd].unwrap().to_string(), "1.3573");
        assert_eq!(t.publication(&t.rows[1]), "HMRC 2026-03 (s. 18 TCTA 2018)");
        let text = t.to_text();
        assert_eq!(MonthlyTable::parse(&text).unwrap(), t);
        assert!(monthly_table(
            vec![
                parse_month(MARCH_2026).unwrap(),
                parse_month(MARCH_2026).unwrap()
            ],
            "x".into(),
            "2026-12-05".parse().unwrap()
        )
        .is_err());
    }

    #[test]
    fn refuses_what_is_not_one_month() {
        let half = MARCH_2026.replace("01/Mar/2026 to 31/Mar/2026", "01/Mar/2026 to 15/Mar/2026");
        assert!(parse_month(&half)
            .unwrap_err()
            .message
            .contains("one calendar month"));
        let bad = MARCH_2026.replacen("<rateNew>4.9847</rateNew>", "<rateNew>x</rateNew>", 1);
        let e = parse_month(&bad).unwrap_err();
        assert_eq!(e.path.as_deref(), Some("line 3"));
        let dtd = format!(
            "<!DOCTYPE x [<!ENTITY a 'b'>]>{}",
            MARCH_2026.trim_start_matches("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        );
        assert_eq!(parse_month(&dtd).unwrap_err().code, ErrorCode::InvalidRates);
    }
}
