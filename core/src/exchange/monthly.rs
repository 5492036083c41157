//! Monthly official rate tables and their text format, `xborder-rates 1`
//! (`docs/rates-format.md`).
//!
//! Customs administrations that publish one rate per currency per calendar month (the EU under
//! Art. 146 UCC-IA, HMRC) are held as a [`MonthlyTable`]: one row per month, one column per
//! currency, each row in force from the first to the last day of its month and never beyond.
//! The text form is TAB-separated, one month per line, so a new month is a one-line diff.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use crate::date::Date;
use crate::error::{Error, ErrorCode};
use crate::regime::pack::Confidence;

/// The first line of every table in this format.
pub const MAGIC: &str = "xborder-rates\t1";

/// A calendar month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    /// Its first day, so that every `Month` is a real one.
    first: Date,
}

impl Month {
    /// The month `date` falls in.
    pub fn of(date: Date) -> Month {
        Month {
            first: date.first_of_month(),
        }
    }

    /// The month `year`-`month`, if it exists.
    pub fn new(year: u32, month: u32) -> Option<Month> {
        Date::new(year, month, 1).ok().map(Month::of)
    }

    /// Parses `YYYY-MM`.
    pub fn parse(text: &str) -> Option<Month> {
        let (y, m) = text.split_once('-')?;
        if y.len() != 4 || m.len() != 2 || !(y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        Month::new(y.parse().ok()?, m.parse().ok()?)
    }

    /// The year.
    pub fn year(self) -> u32 {
        self.first.year()
    }

    /// The month of the year, 1-12.
    pub fn month(self) -> u32 {
        self.first.month()
    }

    /// Its first day.
    pub fn first_day(self) -> Date {
        self.first
    }

    /// Its last day.
    pub fn last_day(self) -> Date {
        self.first.last_of_month()
    }

    /// The month after it (`None` after 9999-12).
    pub fn next(self) -> Option<Month> {
        Date::from_days_since_epoch(self.last_day().days_since_epoch() + 1).map(Month::of)
    }

    /// The month before it (`None` before 0001-01).
    pub fn previous(self) -> Option<Month> {
        Date::from_days_since_epoch(self.first.days_since_epoch() - 1).map(Month::of)
    }

    /// The month's English name and year, `January 2027`.
    pub fn name(self) -> String {
        let name = crate::date::MONTH_NAMES
            .get(self.month() as usize - 1)
            .copied()
            .unwrap_or("month");
        format!("{name} {}", self.year())
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

/// How a table quotes its rates against its base currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quote {
    /// Units of the currency per one unit of the base (1 EUR = 1.1845 USD): an amount in the
    /// currency is divided by the rate. The ECB and HMRC quote this way.
    PerBase,
    /// Units of the base per one unit of the currency: an amount is multiplied by the rate.
    InBase,
}

impl Quote {
    fn parse(text: &str) -> Option<Quote> {
        match text {
            "per_base" => Some(Quote::PerBase),
            "in_base" => Some(Quote::InBase),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Quote::PerBase => "per_base",
            Quote::InBase => "in_base",
        }
    }
}

/// When a month's rates are published, so that a date beyond the table can be told apart
/// from a month the table leaves out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicationRule {
    /// On the penultimate Wednesday of the month before (Art. 146(2) UCC-IA).
    PenultimateWednesday,
}

impl PublicationRule {
    fn parse(text: &str) -> Option<PublicationRule> {
        (text == "penultimate_wednesday").then_some(PublicationRule::PenultimateWednesday)
    }

    fn as_str(self) -> &'static str {
        "penultimate_wednesday"
    }

    /// The day the rates for `month` are (or were) published.
    pub fn date_for(self, month: Month) -> Option<Date> {
        month.previous().map(super::art146::penultimate_wednesday)
    }
}

/// What a table is and where it comes from: the header of the text form.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// Short id results name the table by (`ECB`, `HMRC`); packs refer to it.
    pub id: String,
    /// What the table is.
    pub title: String,
    /// Who publishes the rates.
    pub publisher: String,
    /// The dataset the table was made from, as precisely as possible.
    pub source: String,
    /// Terms of reuse of the figures.
    pub licence: String,
    /// The currency every rate is quoted against (`EUR`, `GBP`).
    pub base: String,
    /// How the rates are quoted.
    pub quote: Quote,
    /// Short legal basis, named in each publication (`Art. 146 UCC-IA`).
    pub basis: String,
    /// When a month's rates are published, if the rule is known.
    pub published: Option<PublicationRule>,
    /// How sure the figures are.
    pub confidence: Confidence,
    /// When the table was made and spot-checked against its source.
    pub checked: Date,
    /// The command that wrote the table.
    pub converter: Option<String>,
    /// Anything a user must know.
    pub notes: Vec<String>,
}

/// One month's rates.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthRow {
    /// The month the rates are in force, from its first to its last day.
    pub month: Month,
    /// The day the rates were published, when the source says.
    pub published: Option<Date>,
    /// One rate per column of [`MonthlyTable::currencies`]; `None` where none was published.
    pub rates: Vec<Option<Decimal>>,
}

/// A table of monthly rates against one base currency.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthlyTable {
    /// What the table is.
    pub header: Header,
    /// The currency of each rate column.
    pub currencies: Vec<String>,
    /// The months, ascending, at most one row each.
    pub rows: Vec<MonthRow>,
}

impl MonthlyTable {
    /// The publication name of a row: `ECB 2026-02-18 (Art. 146 UCC-IA)` when the source dates
    /// it, `HMRC 2026-03 (s. 18 TCTA 2018)` otherwise.
    pub fn publication(&self, row: &MonthRow) -> String {
        match row.published {
            Some(day) => format!("{} {day} ({})", self.header.id, self.header.basis),
            None => format!("{} {} ({})", self.header.id, row.month, self.header.basis),
        }
    }

    /// Keeps the rows from `from` on.
    pub fn retain_from(&mut self, from: Month) {
        self.rows.retain(|r| r.month >= from);
    }

    /// Drops the currency columns no row quotes.
    pub fn drop_empty_columns(&mut self) {
        let keep: Vec<bool> = (0..self.currencies.len())
            .map(|c| {
                self.rows
                    .iter()
                    .any(|r| r.rates.get(c).is_some_and(Option::is_some))
            })
            .collect();
        let mut i = 0;
        self.currencies.retain(|_| {
            i += 1;
            keep[i - 1]
        });
        for row in &mut self.rows {
            let mut i = 0;
            row.rates.retain(|_| {
                i += 1;
                keep[i - 1]
            });
        }
    }

    /// Parses the text form (`docs/rates-format.md`).
    pub fn parse(text: &str) -> Result<MonthlyTable, Error> {
        MonthlyTable::parse_text(text).map_err(|e| e.from_origin(crate::Origin::Rates))
    }

    fn parse_text(text: &str) -> Result<MonthlyTable, Error> {
        super::check_size(text)?;
        let mut lines = text
            .strip_suffix('\n')
            .unwrap_or(text)
            .split('\n')
            .enumerate()
            .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)));
        match lines.next() {
            Some((_, MAGIC)) => {}
            _ => return Err(bad(1, format!("the first line must be {MAGIC:?}"))),
        }
        let mut fields = HeaderFields::default();
        let mut currencies = None;
        for (n, line) in lines.by_ref() {
            if let Some(rest) = line.strip_prefix("%rates") {
                currencies = Some(parse_currencies(n, rest)?);
                break;
            }
            let (key, value) = line
                .split_once('\t')
                .ok_or_else(|| bad(n, "a header line is `key TAB value`"))?;
            fields.set(n, key, value)?;
        }
        let currencies = currencies.ok_or_else(|| bad(0, "the table has no `%rates` line"))?;
        let header = fields.finish()?;
        let mut rows: Vec<MonthRow> = Vec::new();
        for (n, line) in lines {
            let row = parse_row(n, line, currencies.len(), &header)?;
            if let Some(last) = rows.last() {
                if row.month <= last.month {
                    return Err(bad(
                        n,
                        format!("month {} does not follow {}", row.month, last.month),
                    ));
                }
            }
            rows.push(row);
        }
        Ok(MonthlyTable {
            header,
            currencies,
            rows,
        })
    }

    /// Writes the text form: the same bytes for the same table.
    pub fn to_text(&self) -> String {
        let h = &self.header;
        let mut out =
            String::with_capacity(64 + self.rows.len() * (12 + 9 * self.currencies.len()));
        out.push_str(MAGIC);
        out.push('\n');
        let mut field = |key: &str, value: &str| {
            out.push_str(key);
            out.push('\t');
            out.push_str(&escape(value));
            out.push('\n');
        };
        field("id", &h.id);
        field("title", &h.title);
        field("publisher", &h.publisher);
        field("source", &h.source);
        field("licence", &h.licence);
        field("base", &h.base);
        field("quote", h.quote.as_str());
        field("basis", &h.basis);
        if let Some(rule) = h.published {
            field("published", rule.as_str());
        }
        field(
            "confidence",
            match h.confidence {
                Confidence::Confirmed => "confirmed",
                Confidence::Secondary => "secondary",
                Confidence::Unconfirmed => "unconfirmed",
            },
        );
        field("checked", &h.checked.to_string());
        if let Some(c) = &h.converter {
            field("converter", c);
        }
        for note in &h.notes {
            field("note", note);
        }
        out.push_str("%rates");
        for c in &self.currencies {
            out.push('\t');
            out.push_str(c);
        }
        out.push('\n');
        for row in &self.rows {
            let _ = write!(out, "{}\t", row.month);
            match row.published {
                Some(d) => {
                    let _ = write!(out, "{d}");
                }
                None => out.push('-'),
            }
            for rate in &row.rates {
                out.push('\t');
                match rate {
                    Some(r) => {
                        let _ = write!(out, "{r}");
                    }
                    None => out.push('-'),
                }
            }
            out.push('\n');
        }
        out
    }
}

/// Header values may hold any text but TAB and newline; these are written `\t`, `\n`, `\\`.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
}

fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn bad(line: usize, message: impl Into<String>) -> Error {
    let message = message.into();
    if line == 0 {
        Error::new(ErrorCode::InvalidRates, message)
    } else {
        Error::at(ErrorCode::InvalidRates, format!("line {line}"), message)
    }
}

/// A rate as published: a positive plain decimal.
pub(crate) fn parse_rate(text: &str) -> Result<Decimal, String> {
    let (digits, scale) = (
        crate::limits::AMOUNT_INTEGER_DIGITS,
        crate::limits::RATE_SCALE,
    );
    let value = match direct_decimal(text, digits, scale) {
        Some(value) => value,
        None => crate::money::parse_decimal(text, digits, scale).map_err(|e| e.message)?,
    };
    if value <= Decimal::ZERO {
        return Err(format!("rate {text} is not positive"));
    }
    Ok(value)
}

/// The digits read directly (the very decimal `parse_decimal` gives, as the declaration reader
/// reads amounts), `None` where `parse_decimal` must say why: an embedded table holds some
/// 6 000 rates, and a third of their parse was `rust_decimal`'s `from_str_exact`. Not on
/// wasm32, whose module has no embedded tables and no room for the code.
#[cfg(all(feature = "fast-parse", not(target_arch = "wasm32")))]
fn direct_decimal(text: &str, digits: usize, scale: usize) -> Option<Decimal> {
    crate::declaration::plain_decimal(text, digits, scale)
}

/// Without the fast reader (or on wasm32), every rate goes through `parse_decimal`.
#[cfg(not(all(feature = "fast-parse", not(target_arch = "wasm32"))))]
fn direct_decimal(_: &str, _: usize, _: usize) -> Option<Decimal> {
    None
}

/// A currency code as published: three capital letters (not necessarily ISO 4217 today: old
/// tables hold currencies since replaced).
pub(crate) fn is_currency_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

fn parse_currencies(n: usize, rest: &str) -> Result<Vec<String>, Error> {
    let rest = rest
        .strip_prefix('\t')
        .ok_or_else(|| bad(n, "`%rates` is followed by TAB and the currency codes"))?;
    let mut codes: Vec<String> = Vec::new();
    for code in rest.split('\t') {
        if !is_currency_code(code) {
            return Err(bad(n, format!("{code:?} is not a currency code")));
        }
        if codes.iter().any(|c| c == code) {
            return Err(bad(n, format!("currency {code} is listed twice")));
        }
        codes.push(code.to_string());
    }
    Ok(codes)
}

fn parse_row(n: usize, line: &str, width: usize, header: &Header) -> Result<MonthRow, Error> {
    let mut fields = line.split('\t');
    let month_text = fields.next().unwrap_or_default();
    let month = Month::parse(month_text)
        .ok_or_else(|| bad(n, format!("{month_text:?} is not a month YYYY-MM")))?;
    let published = match fields.next() {
        Some("-") => None,
        Some(d) => {
            let day: Date = d
                .parse()
                .map_err(|e: crate::date::DateError| bad(n, format!("published date: {e}")))?;
            if day >= month.first_day() {
                return Err(bad(
                    n,
                    format!(
                        "the rates for {month} cannot be published on {day}, in or after the month"
                    ),
                ));
            }
            if let Some(rule) = header.published.and_then(|r| r.date_for(month)) {
                if day > rule {
                    return Err(bad(
                        n,
                        format!("the rates for {month} are published on {rule} at the latest, not {day}"),
                    ));
                }
            }
            Some(day)
        }
        None => return Err(bad(n, "a row is `month TAB published TAB rates…`")),
    };
    let mut rates = Vec::with_capacity(width);
    for field in fields {
        rates.push(match field {
            "-" => None,
            text => Some(parse_rate(text).map_err(|m| bad(n, m))?),
        });
    }
    if rates.len() != width {
        return Err(bad(
            n,
            format!("the row has {} rates for {width} currencies", rates.len()),
        ));
    }
    Ok(MonthRow {
        month,
        published,
        rates,
    })
}

/// The header lines read so far.
#[derive(Default)]
struct HeaderFields {
    id: Option<String>,
    title: Option<String>,
    publisher: Option<String>,
    source: Option<String>,
    licence: Option<String>,
    base: Option<String>,
    quote: Option<Quote>,
    basis: Option<String>,
    published: Option<PublicationRule>,
    confidence: Option<Confidence>,
    checked: Option<Date>,
    converter: Option<String>,
    notes: Vec<String>,
}

impl HeaderFields {
    fn set(&mut self, n: usize, key: &str, raw: &str) -> Result<(), Error> {
        let value = unescape(raw);
        if value.is_empty() {
            return Err(bad(n, format!("`{key}` is empty")));
        }
        let text = |slot: &mut Option<String>| -> Result<(), Error> {
            if slot.replace(value.clone()).is_some() {
                return Err(bad(n, format!("`{key}` is given twice")));
            }
            Ok(())
        };
        match key {
            "id" => text(&mut self.id),
            "title" => text(&mut self.title),
            "publisher" => text(&mut self.publisher),
            "source" => text(&mut self.source),
            "licence" => text(&mut self.licence),
            "basis" => text(&mut self.basis),
            "converter" => text(&mut self.converter),
            "note" => {
                self.notes.push(value);
                Ok(())
            }
            "base" => {
                if !is_currency_code(&value) {
                    return Err(bad(n, format!("base {value:?} is not a currency code")));
                }
                text(&mut self.base)
            }
            "quote" => {
                self.quote = Some(Quote::parse(&value).ok_or_else(|| {
                    bad(
                        n,
                        format!("quote {value:?} is neither per_base nor in_base"),
                    )
                })?);
                Ok(())
            }
            "published" => {
                self.published = Some(PublicationRule::parse(&value).ok_or_else(|| {
                    bad(
                        n,
                        format!("published rule {value:?} is not penultimate_wednesday"),
                    )
                })?);
                Ok(())
            }
            "confidence" => {
                self.confidence = Some(match value.as_str() {
                    "confirmed" => Confidence::Confirmed,
                    "secondary" => Confidence::Secondary,
                    "unconfirmed" => Confidence::Unconfirmed,
                    other => return Err(bad(n, format!("confidence {other:?} is not known"))),
                });
                Ok(())
            }
            "checked" => {
                self.checked = Some(
                    value
                        .parse()
                        .map_err(|e: crate::date::DateError| bad(n, format!("checked: {e}")))?,
                );
                Ok(())
            }
            other => Err(bad(n, format!("unknown header key `{other}`"))),
        }
    }

    fn finish(self) -> Result<Header, Error> {
        let missing = |key: &str| bad(0, format!("the header has no `{key}`"));
        let id = self.id.ok_or_else(|| missing("id"))?;
        if id.len() > 16
            || !id
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(bad(
                0,
                format!("table id {id:?} is not 1-16 capitals, digits or _"),
            ));
        }
        Ok(Header {
            id,
            title: self.title.ok_or_else(|| missing("title"))?,
            publisher: self.publisher.ok_or_else(|| missing("publisher"))?,
            source: self.source.ok_or_else(|| missing("source"))?,
            licence: self.licence.ok_or_else(|| missing("licence"))?,
            base: self.base.ok_or_else(|| missing("base"))?,
            quote: self.quote.ok_or_else(|| missing("quote"))?,
            basis: self.basis.ok_or_else(|| missing("basis"))?,
            published: self.published,
            confidence: self.confidence.ok_or_else(|| missing("confidence"))?,
            checked: self.checked.ok_or_else(|| missing("checked"))?,
            converter: self.converter,
            notes: self.notes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "xborder-rates\t1
id\tECB
title\tECB reference rates, monthly customs rates
publisher\tEuropean Central Bank
source\tunit test
licence\tECB statistics, reusable with the source named
base\tEUR
quote\tper_base
basis\tArt. 146 UCC-IA
published\tpenultimate_wednesday
confidence\tconfirmed
checked\t2026-12-05
note\ta note with a \\t tab
%rates\tUSD\tGBP\tRUB
2026-02\t2026-01-21\t1.1702\t0.87013\t-
2026-03\t2026-02-18\t1.1845\t0.87343\t-
";

    #[test]
    fn parses_and_writes_the_same_bytes() {
        let t = MonthlyTable::parse(TABLE).unwrap();
        assert_eq!(t.header.id, "ECB");
        assert_eq!(t.header.notes, vec!["a note with a \t tab".to_string()]);
        assert_eq!(t.currencies, ["USD", "GBP", "RUB"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1].rates[0].unwrap().to_string(), "1.1845");
        assert_eq!(t.rows[1].rates[2], None);
        assert_eq!(
            t.publication(&t.rows[1]),
            "ECB 2026-02-18 (Art. 146 UCC-IA)"
        );
        assert_eq!(t.to_text(), TABLE);
        let mut t = t;
        t.drop_empty_columns();
        assert_eq!(t.currencies, ["USD", "GBP"]);
        t.retain_from(Month::parse("2026-03").unwrap());
        assert_eq!(t.rows.len(), 1);
    }

    #[test]
    fn refuses_bad_tables_with_the_line() {
        let cases = [
            (
                TABLE.replace("xborder-rates\t1", "xborder-rates\t2"),
                "line 1",
            ),
            (
                TABLE.replace("quote\tper_base", "quote\tsideways"),
                "line 8",
            ),
            (TABLE.replace("1.1845", "0"), "line 16"),
            (TABLE.replace("1.1845", "1,1845"), "line 16"),
            (TABLE.replace("\t0.87343\t-", "\t0.87343"), "line 16"),
            (TABLE.replace("2026-03\t", "2026-02\t"), "line 16"),
            (TABLE.replace("2026-02-18", "2026-03-04"), "line 16"),
            // Published later than the rule allows (the penultimate Wednesday of February).
            (TABLE.replace("2026-02-18", "2026-02-25"), "line 16"),
            (TABLE.replace("RUB", "USD"), "line 14"),
            (TABLE.replace("licence\t", "licence2\t"), "line 6"),
        ];
        for (text, line) in cases {
            let e = MonthlyTable::parse(&text).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidRates, "{text}");
            assert_eq!(e.path.as_deref(), Some(line), "{}", e.message);
        }
        let e = MonthlyTable::parse(&TABLE.replace("id\tECB\n", "")).unwrap_err();
        assert!(e.message.contains("no `id`"), "{}", e.message);
    }

    #[test]
    fn months() {
        let m = Month::parse("2026-12").unwrap();
        assert_eq!(m.next().unwrap().to_string(), "2027-01");
        assert_eq!(m.previous().unwrap().to_string(), "2026-11");
        assert_eq!(m.last_day().to_string(), "2026-12-31");
        assert_eq!(
            Month::parse("2024-02").unwrap().last_day().to_string(),
            "2024-02-29"
        );
        assert_eq!(m.name(), "December 2026");
        for bad in ["2026-13", "2026-1", "26-01", "2026-01-01", ""] {
            assert!(Month::parse(bad).is_none(), "{bad}");
        }
    }
}
