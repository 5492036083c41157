//! What every converter shares: the outcome of translating one published rate, numbers
//! written the grammar's way, and short descriptions.

use std::str::FromStr;

use rust_decimal::Decimal;

use xborder::tariff::file::Duty;

/// How one published rate text reads in xborder's duty grammar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Translation {
    /// An expression the engine evaluates.
    Expr(String),
    /// A rate the law defines but a declaration cannot price (an entry price, the goods'
    /// sugar content): the reason, which the engine quotes when the line is hit.
    NotComputable(String),
    /// A text the converter does not know how to read: a gap in the converter, counted and
    /// listed so that it is fixed rather than shipped.
    Unrecognised,
}

/// Reason written for a text the converter could not read; the engine quotes it when the line
/// is hit, so such a line fails clearly instead of being priced wrong.
pub const UNRECOGNISED: &str = "the converter could not read this duty text";

impl Translation {
    /// The duty of a line: the published text with its expression or reason.
    pub fn into_duty(self, text: &str) -> Duty {
        Duty {
            text: text.to_string(),
            expression: match self {
                Translation::Expr(e) => Ok(e),
                Translation::NotComputable(r) => Err(r),
                Translation::Unrecognised => Err(UNRECOGNISED.to_string()),
            },
        }
    }
}

/// A published number (`10.00`, `1,024.00`, `19,508`) as the grammar writes it: no thousands
/// separator, no trailing zeros (`10`, `1024`, `19508`). `None` when it is not a number.
pub fn number(published: &str) -> Option<String> {
    let s = published.trim();
    // A comma is a thousands separator only between groups of exactly three digits.
    let mut digits = String::with_capacity(s.len());
    for (i, part) in s.split(',').enumerate() {
        let int_len = part.find('.').unwrap_or(part.len());
        if i > 0 && int_len != 3 {
            return None;
        }
        digits.push_str(part);
    }
    if digits.is_empty()
        || !digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        || digits.starts_with('.')
        || digits.ends_with('.')
    {
        return None;
    }
    let value = Decimal::from_str(&digits).ok()?;
    Some(value.normalize().to_string())
}

/// The decimal value of a number the grammar writes (for comparing two rates).
pub fn decimal(grammar_number: &str) -> Option<Decimal> {
    Decimal::from_str(grammar_number).ok()
}

/// `text` cut to at most `max` characters, ending with `…` when it was cut.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Writes `lines` as a one-revision tariff file, which parses every expression with the duty
/// grammar: the proof, in each converter's tests, that what it translates is valid.
#[cfg(test)]
pub fn write_for_test(
    regime: &str,
    currency: &str,
    lines: Vec<xborder::tariff::file::Line>,
) -> String {
    use xborder::tariff::file::{write, Header, HsEdition, Revision};
    let header = Header {
        regime: regime.into(),
        currency: currency.into(),
        edition: HsEdition::Hs2022,
        title: "test".into(),
        publisher: "test".into(),
        source: "fixture".into(),
        licence: "test".into(),
        columns: vec!["duty".into()],
        confidence: xborder::regime::pack::Confidence::Secondary,
        checked: "2026-12-04".parse().unwrap(),
        current_through: None,
        converter: None,
        notes: Vec::new(),
    };
    let revision = Revision {
        id: "test".into(),
        from: "2026-01-01".parse().unwrap(),
        title: "test".into(),
        edition: None,
        lines,
    };
    write(&header, &[revision]).unwrap_or_else(|e| panic!("{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_lose_separators_and_trailing_zeros() {
        assert_eq!(number("10.00").as_deref(), Some("10"));
        assert_eq!(number("0.30").as_deref(), Some("0.3"));
        assert_eq!(number("1,024.00").as_deref(), Some("1024"));
        assert_eq!(number("4,000,000").as_deref(), Some("4000000"));
        assert_eq!(
            number("1,5"),
            None,
            "a decimal comma is not a thousands separator"
        );
        assert_eq!(number("12a"), None);
        assert_eq!(number(""), None);
        assert_eq!(number(".5"), None);
    }

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate("あいう", 3), "あいう");
        assert_eq!(truncate("あいうえ", 3), "あい…");
    }
}
