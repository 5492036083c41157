//! Rate tables as CSV (`docs/rates-format.md`, "Rate tables as CSV"):
//!
//! * the project's own, the JSON table's rates as rows: `from,to,valid_from,rate,method,source`
//!   (a header row, columns by name in any order; `method` and `source` may be left out);
//! * HMRC's monthly rates as the UK Trade Tariff publishes them (`monthly_csv_YYYY-M.csv`):
//!   `Country/Territories,Currency,Currency Code,Currency Units per £1,Start date,End date`,
//!   one month per file, units per pound, divided.
//!
//! Both are read with the `csv` crate, separated by `,` or `;`, a byte-order mark ignored.

use std::collections::BTreeMap;

use csv::StringRecord;
use rust_decimal::Decimal;

use super::hmrc::{self, MonthFile};
use super::json::RateEntry;
use super::monthly::{is_currency_code, parse_rate, Month};
use super::{Method, RateTable};
use crate::csv_text::{column, CsvReader};
use crate::date::Date;
use crate::error::{Error, ErrorCode};
use crate::money::Amount;

/// The columns of HMRC's monthly CSV that are read, by header name.
const HMRC_CODE: &str = "Currency Code";
const HMRC_RATE: &str = "Currency Units per £1";
const HMRC_START: &str = "Start date";
const HMRC_END: &str = "End date";

fn invalid_at(line: u64, message: impl Into<String>) -> Error {
    Error::at(ErrorCode::InvalidRates, format!("line {line}"), message)
}

/// The header row, or the error for an empty text.
fn header(reader: &mut CsvReader<'_>) -> Result<StringRecord, Error> {
    let mut header = StringRecord::new();
    match reader.read(&mut header) {
        Ok(Some(_)) => Ok(header),
        Ok(None) => Err(Error::new(ErrorCode::InvalidRates, "the rate CSV is empty")),
        Err((line, m)) => Err(invalid_at(line, m)),
    }
}

/// The index of each named column, or the error naming the one missing.
fn columns<const N: usize>(header: &StringRecord, names: [&str; N]) -> Result<[usize; N], Error> {
    let mut at = [0; N];
    for (slot, name) in at.iter_mut().zip(names) {
        *slot = column(header, name).ok_or_else(|| {
            invalid_at(
                1,
                format!(
                    "the rate CSV has no column {name:?}; its header is {:?}",
                    header.iter().map(str::trim).collect::<Vec<_>>()
                ),
            )
        })?;
    }
    Ok(at)
}

/// Every record after the header, with its line, each checked to have the header's width.
fn records<'t>(
    mut reader: CsvReader<'t>,
    width: usize,
) -> impl Iterator<Item = Result<(u64, StringRecord), Error>> + 't {
    std::iter::from_fn(move || {
        let mut record = StringRecord::new();
        match reader.read(&mut record) {
            Ok(None) => None,
            Err((line, m)) => Some(Err(invalid_at(line, m))),
            Ok(Some(line)) if record.len() != width => Some(Err(invalid_at(
                line,
                format!(
                    "expected {width} fields, as in the header, found {}",
                    record.len()
                ),
            ))),
            Ok(Some(line)) => Some(Ok((line, record))),
        }
    })
}

/// A rate as written: a plain decimal with a decimal point (a decimal comma is refused, not
/// guessed at: `1,1845` could be a thousands separator).
fn rate(text: &str) -> Result<Decimal, String> {
    if text.contains(',') {
        return Err(format!(
            "rate {text:?}: write the rate with a decimal point (1.1845), not a comma"
        ));
    }
    parse_rate(text.trim())
}

/// The project's CSV table: the JSON table's rates, one per row.
pub(super) fn parse(text: &str) -> Result<RateTable, Error> {
    super::check_size(text)?;
    let mut reader = CsvReader::new(text, None);
    let header = header(&mut reader)?;
    let [from, to, valid_from, rate_at] = columns(&header, ["from", "to", "valid_from", "rate"])?;
    let method = column(&header, "method");
    let source = column(&header, "source");
    let mut entries = Vec::new();
    for record in records(reader, header.len()) {
        let (line, r) = record?;
        let at = format!("line {line}");
        let field = |i: usize| r.get(i).unwrap_or_default().trim();
        let bad =
            |name: &str, m: String| Error::at(ErrorCode::InvalidRates, format!("{at}.{name}"), m);
        entries.push((
            at.clone(),
            RateEntry {
                from: field(from).to_string(),
                to: field(to).to_string(),
                valid_from: field(valid_from)
                    .parse()
                    .map_err(|e: crate::date::DateError| bad("valid_from", e.0))?,
                rate: Amount(rate(field(rate_at)).map_err(|m| bad("rate", m))?),
                method: match method.map(field) {
                    None | Some("" | "multiply") => Method::Multiply,
                    Some("divide") => Method::Divide,
                    Some(other) => {
                        return Err(bad(
                            "method",
                            format!("method {other:?} is neither multiply nor divide"),
                        ))
                    }
                },
                source: source
                    .map(field)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
            },
        ));
    }
    super::json::build(
        "CSV rate table".into(),
        "the caller's CSV rate table".into(),
        entries.into_iter(),
    )
}

/// One month of HMRC's monthly CSV: every row's period must be that whole month.
pub fn parse_hmrc_month(text: &str) -> Result<MonthFile, Error> {
    super::check_size(text)?;
    let mut reader = CsvReader::new(text, None);
    let header = header(&mut reader)?;
    let [code_at, rate_at, start_at, end_at] =
        columns(&header, [HMRC_CODE, HMRC_RATE, HMRC_START, HMRC_END])?;
    let mut month: Option<Month> = None;
    let mut listed: BTreeMap<String, Vec<Decimal>> = BTreeMap::new();
    for record in records(reader, header.len()) {
        let (line, r) = record?;
        let field = |i: usize| r.get(i).unwrap_or_default().trim();
        let period = match (day(field(start_at)), day(field(end_at))) {
            (Some(from), Some(to)) if Month::of(from) == Month::of(to) => {
                let m = Month::of(from);
                (from == m.first_day() && to == m.last_day()).then_some(m)
            }
            _ => None,
        }
        .ok_or_else(|| {
            invalid_at(
                line,
                format!(
                    "{:?} to {:?} is not one calendar month (01/03/2026 to 31/03/2026)",
                    field(start_at),
                    field(end_at)
                ),
            )
        })?;
        match month {
            Some(m) if m != period => {
                return Err(invalid_at(
                    line,
                    format!("the file is for {m}, this row for {period}: give one month per file"),
                ))
            }
            _ => month = Some(period),
        }
        let code = field(code_at);
        if !is_currency_code(code) {
            return Err(invalid_at(line, format!("{code:?} is not a currency code")));
        }
        let value = rate(field(rate_at)).map_err(|m| invalid_at(line, format!("{code}: {m}")))?;
        listed.entry(code.to_string()).or_default().push(value);
    }
    let month =
        month.ok_or_else(|| Error::new(ErrorCode::InvalidRates, "the HMRC CSV lists no rate"))?;
    let mut rates = BTreeMap::new();
    for (code, values) in listed {
        rates.insert(code.clone(), hmrc::agreed(&code, month, &values)?);
    }
    Ok(MonthFile { month, rates })
}

/// A day as HMRC's CSV writes it, `01/03/2026`, or ISO `2026-03-01`.
fn day(text: &str) -> Option<Date> {
    if let Ok(d) = text.parse() {
        return Some(d);
    }
    let mut parts = text.split('/');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 {
        return None;
    }
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

/// A table of one HMRC CSV month.
pub(super) fn hmrc_table(text: &str) -> Result<RateTable, Error> {
    let file = parse_hmrc_month(text)?;
    let checked = file.month.first_day();
    Ok(RateTable::from_monthly(hmrc::monthly_table(
        vec![file],
        "HMRC monthly exchange rates, one month's CSV file".into(),
        checked,
    )?))
}
