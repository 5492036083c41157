//! One line of an NDJSON stream, as every binding reads it: what makes a line blank, how long
//! it is, and what refuses it before any JSON is parsed.
//!
//! Kept in one place so that the CLI, the C batch, the WASM package and the batch commands
//! agree on which lines are records: a line that one of them skipped and another reported
//! would lose a record.

use crate::error::{Error, ErrorCode};
use crate::limits::MAX_DECLARATION_BYTES;

/// True when `line` (without its `\n`; a trailing `\r` is ignored) holds no record: it is empty
/// or holds only ASCII spaces and tabs. Any other character, Unicode spaces (U+00A0, U+3000,
/// U+2028, U+0085) and ASCII control characters (VT, FF) included, makes the line a record,
/// which is then refused with an error line rather than dropped.
pub fn is_blank(line: &[u8]) -> bool {
    only_spaces(line.strip_suffix(b"\r").unwrap_or(line))
}

fn only_spaces(content: &[u8]) -> bool {
    content.iter().all(|&b| b == b' ' || b == b'\t')
}

/// The record on a line: `Ok(None)` for a blank line, the text, or the error that refuses the
/// line (`E_INPUT_TOO_LARGE`, `E_INVALID_UTF8`, with the path `line N`).
///
/// `line` is the line without its `\n`; a trailing `\r` belongs to the terminator and is not
/// counted against the limit. `full_len` is the line's length in the input: a reader may keep
/// only a prefix of a line longer than [`MAX_DECLARATION_BYTES`] and pass its full length, and
/// any `full_len` above `line.len()` marks such a cut line.
pub fn line_text(line: &[u8], full_len: usize, line_no: u64) -> Result<Option<&str>, Error> {
    let Some(content) = record_bytes(line, full_len, line_no)? else {
        return Ok(None);
    };
    std::str::from_utf8(content).map(Some).map_err(|_| {
        Error::at(
            ErrorCode::InvalidUtf8,
            format!("line {line_no}"),
            "the line is not valid UTF-8",
        )
    })
}

/// [`line_text`] of a line already known to be text (a reader that validated a whole block of
/// lines at once): the same record, blank line or `E_INPUT_TOO_LARGE`, without validating the
/// line again.
pub fn line_str(line: &str, full_len: usize, line_no: u64) -> Result<Option<&str>, Error> {
    let content = line.strip_suffix('\r').unwrap_or(line);
    Ok(record_bytes(line.as_bytes(), full_len, line_no)?.map(|_| content))
}

/// One line of a block that the reader has already checked is text (UTF-8), with what
/// [`line_str`] needs to know of it: what [`crate::Engine::assess_ndjson_text_lines`] takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextLine<'a> {
    /// The line without its `\n` (a trailing `\r` is ignored).
    pub line: &'a str,
    /// The line's length in the input (more than `line.len()` for a line the reader cut).
    pub full_len: usize,
    /// The line's 1-based number in the input, for error paths.
    pub line_no: u64,
}

/// The record's bytes on a line (without a trailing `\r`), `None` for a blank line, or the
/// `E_INPUT_TOO_LARGE` error: [`line_text`] before its UTF-8 check.
fn record_bytes(line: &[u8], full_len: usize, line_no: u64) -> Result<Option<&[u8]>, Error> {
    let content = line.strip_suffix(b"\r").unwrap_or(line);
    let len = if full_len > line.len() {
        full_len
    } else {
        content.len()
    };
    if len > MAX_DECLARATION_BYTES {
        return Err(Error::at(
            ErrorCode::InputTooLarge,
            format!("line {line_no}"),
            format!(
                "the line is {len} bytes; the limit is {MAX_DECLARATION_BYTES} bytes per \
                 declaration"
            ),
        ));
    }
    Ok((!only_spaces(content)).then_some(content))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ascii_space_and_tab_are_blank() {
        for blank in ["", " ", "\t", " \t ", "\r", "  \r"] {
            assert!(is_blank(blank.as_bytes()), "{blank:?}");
            assert_eq!(line_text(blank.as_bytes(), blank.len(), 1), Ok(None));
        }
        for record in [
            "\u{a0}", "\u{3000}", "\u{b}", "\u{c}", "\u{2028}", "\u{85}", "\r\r", "x",
        ] {
            assert!(!is_blank(record.as_bytes()), "{record:?}");
            let text = line_text(record.as_bytes(), record.len(), 1).unwrap();
            assert_eq!(text, Some(record.strip_suffix('\r').unwrap_or(record)));
        }
    }

    #[test]
    fn the_terminator_does_not_count_against_the_limit() {
        let mut line = vec![b' '; MAX_DECLARATION_BYTES - 1];
        line.push(b'x');
        assert!(line_text(&line, line.len(), 1).unwrap().is_some());
        line.push(b'\r');
        assert!(line_text(&line, line.len(), 1).unwrap().is_some());
        line.insert(0, b' ');
        let e = line_text(&line, line.len(), 7).unwrap_err();
        assert_eq!(
            (e.code, e.path.as_deref()),
            (ErrorCode::InputTooLarge, Some("line 7"))
        );
        // A cut line is refused whatever its kept prefix holds.
        assert_eq!(
            line_text(b"{}", MAX_DECLARATION_BYTES + 2, 1)
                .unwrap_err()
                .code,
            ErrorCode::InputTooLarge
        );
    }

    /// A line of known text is the same record (blank, too large, or the text) as its bytes.
    #[test]
    fn a_line_of_text_is_the_record_its_bytes_are() {
        let long = format!("{}x", " ".repeat(MAX_DECLARATION_BYTES));
        for (line, full) in [
            ("", 0),
            (" \t\r", 3),
            ("{}", 2),
            ("{}\r", 3),
            ("\r\r", 2),
            ("é", 2),
            ("{", MAX_DECLARATION_BYTES + 1),
            (long.as_str(), long.len()),
        ] {
            for no in [1, 9] {
                assert_eq!(
                    line_str(line, full, no),
                    line_text(line.as_bytes(), full, no),
                    "{line:?}"
                );
            }
        }
    }

    #[test]
    fn invalid_utf8_is_refused_with_the_line() {
        let e = line_text(b"\xff\xfe", 2, 3).unwrap_err();
        assert_eq!(
            (e.code, e.path.as_deref()),
            (ErrorCode::InvalidUtf8, Some("line 3"))
        );
    }
}
