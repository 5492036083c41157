//! Tariffs: duty lines keyed by HS prefix, looked up by longest prefix.
//!
//! A regime pack's own lines, or a caller's replacement for them as JSON or CSV, are a
//! [`Tariff`]. A national schedule with its revisions is a tariff file ([`mod@file`], loaded as a
//! [`schedule::Schedule`]); for the dates one of its revisions covers it takes precedence over
//! the pack's lines. An HS code that matches no line is an error, never 0 %.

use std::collections::HashMap;

use serde::Deserialize;

use crate::date::Date;
use crate::duty_expr::DutyExpression;
use crate::error::{Error, ErrorCode};
use crate::regime::pack::{Confidence, TariffLineFile};

pub mod correlation;
mod csv_tariff;
pub mod file;
pub mod schedule;

pub use csv_tariff::{CsvField, CsvLayout};

/// One tariff line, its duty expression parsed.
#[derive(Debug, Clone)]
pub struct TariffLine {
    /// HS prefix the line covers.
    pub hs: String,
    /// The parsed duty expression.
    pub duty: DutyExpression,
    /// The expression's text, shared by every result that cites it.
    pub text: std::sync::Arc<str>,
    /// What the goods are.
    pub description: String,
    /// Where the rate comes from.
    pub source: String,
    /// When it was checked.
    pub checked: Date,
    /// How sure the source is.
    pub confidence: Confidence,
}

/// A set of tariff lines with a longest-prefix index.
#[derive(Debug, Clone, Default)]
pub struct Tariff {
    lines: Vec<TariffLine>,
    /// HS prefix → line number. The prefixes come from a pack or the caller's tariff, never
    /// from a declaration: hashed by [`crate::hashing::FxBuild`], not SipHash.
    index: HashMap<Box<str>, u32, crate::hashing::FxBuild>,
    /// Line numbers sorted by HS prefix, for the lines under a code shorter than theirs.
    sorted: Vec<u32>,
    // Bit n set when some line has an n-digit prefix: lookups try only those lengths.
    lengths: u16,
}

impl Tariff {
    /// Builds a tariff from pack lines, checking each prefix and expression.
    /// `path` names the lines in errors (`EU: versions[0].tariff.lines`).
    pub fn from_lines(
        lines: &[TariffLineFile],
        currency: &str,
        path: &str,
    ) -> Result<Tariff, Error> {
        let mut tariff = Tariff::default();
        for (i, line) in lines.iter().enumerate() {
            let at = format!("{path}[{i}]");
            tariff.push(
                TariffLine {
                    text: std::sync::Arc::from(line.duty.as_str()),
                    hs: line.hs.clone(),
                    duty: parse_expression(&line.duty, currency, &format!("{at}.duty"))?,
                    description: line.description.clone(),
                    source: line.source.clone(),
                    checked: line.checked,
                    confidence: line.confidence,
                },
                &at,
            )?;
        }
        tariff.sort();
        Ok(tariff)
    }

    /// Sorts the index of lines by prefix, once every line is in.
    fn sort(&mut self) {
        let lines = &self.lines;
        self.sorted = (0..lines.len() as u32).collect();
        crate::sort::sort_by(&mut self.sorted, |&a, &b| {
            lines[a as usize].hs.cmp(&lines[b as usize].hs)
        });
    }

    /// The lines whose prefix starts with `hs_code` (a code less precise than the tariff's
    /// lines), in code order; a line equal to `hs_code` is included.
    pub fn lines_under<'t>(
        &'t self,
        hs_code: &str,
    ) -> impl Iterator<Item = &'t TariffLine> + Clone + 't {
        let key = hs_code.as_bytes();
        let head = |i: &u32| {
            let hs = self.lines[*i as usize].hs.as_bytes();
            &hs[..hs.len().min(key.len())]
        };
        let start = self.sorted.partition_point(|i| head(i) < key);
        let end = start + self.sorted[start..].partition_point(|i| head(i) == key);
        self.sorted[start..end]
            .iter()
            .map(move |&i| &self.lines[i as usize])
    }

    fn push(&mut self, line: TariffLine, at: &str) -> Result<(), Error> {
        let hs = &line.hs;
        if !(2..=10).contains(&hs.len()) || !hs.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::at(
                ErrorCode::InvalidTariff,
                format!("{at}.hs"),
                format!("{hs:?} is not an HS prefix of 2 to 10 digits"),
            ));
        }
        let index = u32::try_from(self.lines.len())
            .map_err(|_| Error::new(ErrorCode::InvalidTariff, "too many tariff lines"))?;
        if self.index.insert(hs.as_str().into(), index).is_some() {
            return Err(Error::at(
                ErrorCode::InvalidTariff,
                format!("{at}.hs"),
                format!("HS prefix {hs} appears twice in the tariff"),
            ));
        }
        self.lengths |= 1 << hs.len();
        self.lines.push(line);
        Ok(())
    }

    /// The line with the longest prefix of `hs_code`, if any. Any text may be given: one that
    /// is not an HS code finds no line.
    pub fn lookup(&self, hs_code: &str) -> Option<&TariffLine> {
        let max = hs_code.len().min(10);
        // `get`, not indexing: a prefix length may fall inside a multi-byte character of text
        // that is not an HS code (found by fuzz/fuzz_targets/tariff.rs).
        (2..=max)
            .rev()
            .filter(|len| self.lengths & (1 << len) != 0)
            .find_map(|len| self.index.get(hs_code.get(..len)?))
            .map(|&i| &self.lines[i as usize])
    }

    /// All lines, in file order.
    pub fn lines(&self) -> &[TariffLine] {
        &self.lines
    }

    /// Loads a caller's tariff: JSON `{"lines": [...]}` (pack line shape) or CSV with header
    /// `hs,duty,description,source,checked` (in any order, separated by `,` or `;`; see
    /// [`Tariff::from_csv`] for other headers).
    pub fn from_text(text: &str, currency: &str) -> Result<Tariff, Error> {
        Tariff::parse(text, currency).map_err(|e| e.from_origin(crate::Origin::Tariff))
    }

    fn parse(text: &str, currency: &str) -> Result<Tariff, Error> {
        check_size(text)?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim_start().starts_with('{') {
            #[derive(Deserialize)]
            #[serde(deny_unknown_fields)]
            struct File {
                lines: Vec<TariffLineFile>,
            }
            let file: File = crate::error::from_json_data(text).map_err(|mut err: Error| {
                if let Some(err) = crate::limits::nesting_error(text, "tariff", Some("tariff")) {
                    return err;
                }
                err.code = ErrorCode::InvalidTariff;
                err
            })?;
            Tariff::from_lines(&file.lines, currency, "lines")
        } else {
            Tariff::from_csv(text, currency, &CsvLayout::default())
        }
    }
}

fn parse_expression(text: &str, currency: &str, path: &str) -> Result<DutyExpression, Error> {
    DutyExpression::parse(text, currency).map_err(|e| {
        let code = match e {
            crate::duty_expr::DutyExprError::TooLong { .. } => ErrorCode::ExpressionTooLong,
            _ => ErrorCode::InvalidExpression,
        };
        Error::at(code, path, e.to_string())
    })
}

/// Refuses a tariff (file, JSON or CSV) larger than `limits::MAX_TARIFF_BYTES` before reading it.
pub(crate) fn check_size(text: &str) -> Result<(), Error> {
    crate::limits::check_size(
        text,
        crate::limits::MAX_TARIFF_BYTES,
        ErrorCode::TariffTooLarge,
        "tariff",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tariff() -> Tariff {
        Tariff::from_text(
            "hs,duty,description,source,checked\n\
             61,12%,Knitted apparel,test,2026-11-28\n\
             610910,\"12%\",\"T-shirts, of cotton\",test,2026-11-28\n\
             851713,0%,Smartphones,test,2026-11-28\n",
            "EUR",
        )
        .unwrap()
    }

    #[test]
    fn longest_prefix_wins() {
        let t = tariff();
        assert_eq!(t.lookup("6109100010").unwrap().hs, "610910");
        assert_eq!(t.lookup("611020").unwrap().hs, "61");
        assert_eq!(t.lookup("85171300").unwrap().hs, "851713");
        assert!(t.lookup("999999").is_none());
        assert_eq!(t.lines()[1].description, "T-shirts, of cotton");
    }

    #[test]
    fn lines_under_a_shorter_code() {
        let t = tariff();
        let under = |code: &str| {
            t.lines_under(code)
                .map(|l| l.hs.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(under("6109"), ["610910"]);
        assert_eq!(under("61"), ["61", "610910"]);
        assert_eq!(under("8517"), ["851713"]);
        assert!(under("62").is_empty());
        assert!(under("é").is_empty());
    }

    #[test]
    fn csv_errors_name_the_line() {
        let err = Tariff::from_text(
            "hs,duty,description,source,checked\n6109,12 %%,x,y,2026-01-01\n",
            "EUR",
        )
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidExpression);
        assert_eq!(err.path.as_deref(), Some("line 2.duty"));
        let err = Tariff::from_text("hs,rate\n", "EUR").unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidTariff);
        let err = Tariff::from_text(
            "hs,duty,description,source,checked\n6109,12%,x,y,2026-01-01\n6109,5%,x,y,2026-01-01\n",
            "EUR",
        )
        .unwrap_err();
        assert!(err.message.contains("twice"), "{err}");
        let err = Tariff::from_text("hs,duty,description,source,checked\n\"6109,12%\n", "EUR")
            .unwrap_err();
        assert!(err.message.contains("unterminated"), "{err}");
    }

    #[test]
    fn json_tariffs_load() {
        let t = Tariff::from_text(
            r#"{"lines":[{"hs":"6403","duty":"8%","description":"Footwear","source":"s","checked":"2026-11-28"}]}"#,
            "EUR",
        )
        .unwrap();
        assert_eq!(t.lookup("640399").unwrap().duty.text(), "8%");
        let err = Tariff::from_text(r#"{"lines":[{"hs":"6403"}]}"#, "EUR").unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidTariff);
    }
}
