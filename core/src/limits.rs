//! Bounds on every input, so that no input can exhaust memory or overflow a computation.
//!
//! Each bound exceeded has its own error code (see [`crate::ErrorCode`]); the figures are
//! documented in `docs/limits.md`.

/// Largest declaration document, in bytes (also the largest NDJSON line).
pub const MAX_DECLARATION_BYTES: usize = 1 << 20;
/// Most items in one consignment (the EU H7 data set allows 999 lines).
pub const MAX_ITEMS: usize = 999;
/// Longest free-text field (descriptions, names, address lines), in characters.
pub const MAX_TEXT_CHARS: usize = 512;
/// Longest identifier (`id`, registration numbers, tax ids), in characters.
pub const MAX_ID_CHARS: usize = 128;
/// Most registrations on one party.
pub const MAX_REGISTRATIONS: usize = 16;
/// Digits before the decimal point of an amount (< 1 000 000 000 000).
pub const AMOUNT_INTEGER_DIGITS: usize = 12;
/// Decimal places of an amount.
pub const AMOUNT_SCALE: usize = 4;
/// Decimal places of an exchange rate (the ECB quotes the pound to five).
pub const RATE_SCALE: usize = 10;
/// Digits before the decimal point of a quantity or mass.
pub const QUANTITY_INTEGER_DIGITS: usize = 9;
/// Decimal places of a quantity or mass.
pub const QUANTITY_SCALE: usize = 6;
/// Largest assessment options document (`AssessOptions::from_json`), in bytes. A real one is
/// a few hundred bytes.
pub const MAX_OPTIONS_BYTES: usize = 64 << 10;
/// Largest regime pack, in bytes.
pub const MAX_PACK_BYTES: usize = 16 << 20;
/// Largest tariff file, in bytes.
pub const MAX_TARIFF_BYTES: usize = 64 << 20;
/// Largest exchange-rate table, in bytes.
pub const MAX_RATES_BYTES: usize = 16 << 20;
/// Longest duty expression, in bytes. Tariff rates are short; anything longer is corrupt data,
/// and the bound bounds parse time.
pub const MAX_EXPRESSION_BYTES: usize = 256;
/// Most words in one risk-profile keyword phrase (the sample profiles use at most 4): keyword
/// matching looks this many words ahead of each word of a description, whatever the number of
/// keywords.
pub const MAX_KEYWORD_WORDS: usize = 8;
/// Deepest nesting of arrays and objects in any JSON document the library reads. A valid
/// declaration nests 4 deep and the reference packs 8; serde_json's own recursion limit (128) stays
/// the backstop.
pub const MAX_JSON_DEPTH: usize = 32;

/// How deeply `text`, read as JSON, nests arrays and objects: `deepest` is the most open at
/// once, `open` how many are still open at the end (negative when more were closed than
/// opened). A byte scan that skips strings: it needs no valid JSON and allocates nothing, so it
/// can run on a document serde has just refused, to tell the caller the real reason (and the
/// CLI uses `open` to tell an NDJSON line from the first line of a pretty-printed document).
pub fn json_nesting(text: &str) -> JsonNesting {
    let mut depth = 0isize;
    let mut deepest = 0isize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in text.as_bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth -= 1,
            _ => {}
        }
    }
    JsonNesting {
        deepest: deepest.unsigned_abs(),
        open: depth,
    }
}

/// What [`json_nesting`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonNesting {
    /// Most arrays and objects open at once.
    pub deepest: usize,
    /// Still open at the end; negative when more were closed than opened.
    pub open: isize,
}

/// True when `text` opens more than `max` arrays and objects at once (see [`json_nesting`]).
pub fn json_depth_exceeds(text: &str, max: usize) -> bool {
    json_nesting(text).deepest > max
}

/// Refuses `text` with `code` when it is longer than `limit` bytes; `what` names it.
pub(crate) fn check_size(
    text: &str,
    limit: usize,
    code: crate::ErrorCode,
    what: &str,
) -> Result<(), crate::Error> {
    if text.len() > limit {
        return Err(crate::Error::new(
            code,
            format!("the {what} is {} bytes; the limit is {limit}", text.len()),
        ));
    }
    Ok(())
}

/// The `E_NESTING_TOO_DEEP` error for a document that [`json_depth_exceeds`]
/// [`MAX_JSON_DEPTH`]: called when serde refused `text`, so that the limit, not the first
/// misplaced bracket, is reported. `what` names the document; `path`, when given, too. The
/// caller sets the error's origin (which document it is).
pub(crate) fn nesting_error(text: &str, what: &str, path: Option<&str>) -> Option<crate::Error> {
    json_depth_exceeds(text, MAX_JSON_DEPTH).then(|| {
        let code = crate::ErrorCode::NestingTooDeep;
        let message =
            format!("the {what} nests arrays and objects more than {MAX_JSON_DEPTH} deep");
        match path {
            Some(path) => crate::Error::at(code, path, message),
            None => crate::Error::new(code, message),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_brackets_outside_strings() {
        assert!(!json_depth_exceeds("", 0));
        assert!(!json_depth_exceeds("{}", 1));
        assert!(json_depth_exceeds("{}", 0));
        assert!(!json_depth_exceeds(r#"{"a":[{"b":[]}]}"#, 4));
        assert!(json_depth_exceeds(r#"{"a":[{"b":[]}]}"#, 3));
        // Brackets inside strings, escaped quotes and closers do not count.
        assert!(!json_depth_exceeds(r#"{"[[[[\"[[[": "{{{{"}"#, 1));
        assert!(!json_depth_exceeds("]]]]}}}}[]", 1));
        assert!(json_depth_exceeds(&"[".repeat(33), MAX_JSON_DEPTH));
        assert!(!json_depth_exceeds(&"[".repeat(32), MAX_JSON_DEPTH));
        let n = json_nesting(r#"{"a":[1,{"b":"}"}"#);
        assert_eq!((n.deepest, n.open), (3, 2));
        assert_eq!(json_nesting("]]{").open, -1);
    }
}
