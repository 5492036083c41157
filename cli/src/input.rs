//! Reading records: one JSON document, or NDJSON with bounded line length.
//!
//! Memory stays constant however large the stream: a line is read into one reused buffer, and
//! a line longer than the limit is skipped to its end (and reported) without being held.

use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use xborder::limits::MAX_DECLARATION_BYTES;
use xborder::{Error, ErrorCode};

use crate::Fatal;

/// One input record.
pub(crate) enum Record<'a> {
    /// The text of a record.
    Text(&'a str),
    /// A line that is not valid UTF-8.
    NotUtf8,
    /// A line longer than the limit.
    TooLong,
}

/// Reads the next line into `buf` (without its line ending), keeping at most `limit` bytes.
/// Returns `None` at end of input, else the line's full length.
pub(crate) fn read_line(
    reader: &mut (impl BufRead + ?Sized),
    buf: &mut Vec<u8>,
    limit: usize,
) -> io::Result<Option<usize>> {
    buf.clear();
    let mut total = 0usize;
    let mut seen_any = false;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(seen_any.then_some(total));
        }
        seen_any = true;
        let (part, done) = match memchr_newline(chunk) {
            Some(i) => (&chunk[..i], Some(i + 1)),
            None => (chunk, None),
        };
        if buf.len() < limit {
            let room = limit - buf.len();
            buf.extend_from_slice(&part[..part.len().min(room)]);
        }
        total += part.len();
        let consumed = done.unwrap_or(chunk.len());
        reader.consume(consumed);
        if done.is_some() {
            if buf.last() == Some(&b'\r') {
                buf.pop();
                total -= 1;
            }
            return Ok(Some(total));
        }
    }
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n')
}

/// Classifies a line read by [`read_line`].
pub(crate) fn record(buf: &[u8], len: usize) -> Record<'_> {
    if len > MAX_DECLARATION_BYTES {
        return Record::TooLong;
    }
    match std::str::from_utf8(buf) {
        Ok(s) => Record::Text(s),
        Err(_) => Record::NotUtf8,
    }
}

/// True when `line` holds a complete JSON object on its own (NDJSON), false when it only opens
/// one (a pretty-printed single document).
pub(crate) fn is_complete_object(line: &str) -> bool {
    xborder::limits::json_nesting(line).open <= 0
}

/// `FILE`, or standard input for `-` or no file, buffered for line reading.
pub(crate) fn open_input(file: Option<&Path>) -> Result<Box<dyn BufRead>, Fatal> {
    Ok(Box::new(BufReader::with_capacity(
        1 << 16,
        crate::pipeline::open_input(file)?,
    )))
}

/// Feeds `each(line_no, record)` every record of a stream, one at a time and in order, for the
/// commands that handle records sequentially (`statement`, `refund`): NDJSON lines, or one
/// pretty-printed document (from a first line that is not a complete object to the end of the
/// input). Blank lines are skipped; a line that is not UTF-8 or is longer than the declaration
/// limit comes as its error, with the line as its path.
pub(crate) fn for_each_record(
    reader: &mut dyn BufRead,
    mut each: impl FnMut(u64, Result<&str, Error>) -> Result<(), Fatal>,
) -> Result<(), Fatal> {
    let io_err = |e: io::Error| Fatal(format!("I/O error: {e}"));
    let limit = MAX_DECLARATION_BYTES;
    let mut buf = Vec::with_capacity(4096);
    let mut line_no = 0u64;
    while let Some(len) = read_line(reader, &mut buf, limit + 1).map_err(io_err)? {
        line_no += 1;
        match record(&buf, len) {
            Record::Text(t) if t.trim().is_empty() => {}
            Record::Text(t) if !is_complete_object(t) => {
                let mut doc = t.to_string();
                doc.push('\n');
                let mut rest = String::new();
                reader
                    .take((limit + 1).saturating_sub(doc.len()) as u64)
                    .read_to_string(&mut rest)
                    .map_err(io_err)?;
                doc.push_str(&rest);
                return each(line_no, Ok(&doc));
            }
            Record::Text(t) => each(line_no, Ok(t))?,
            Record::NotUtf8 => each(
                line_no,
                Err(Error::at(
                    ErrorCode::InvalidUtf8,
                    format!("line {line_no}"),
                    "the line is not valid UTF-8",
                )),
            )?,
            Record::TooLong => each(
                line_no,
                Err(Error::at(
                    ErrorCode::InputTooLarge,
                    format!("line {line_no}"),
                    "the line is too long",
                )),
            )?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_lines() {
        let data = b"abc\r\n0123456789\nlast";
        let mut r = io::BufReader::with_capacity(4, &data[..]);
        let mut buf = Vec::new();
        assert_eq!(read_line(&mut r, &mut buf, 5).unwrap(), Some(3));
        assert_eq!(buf, b"abc");
        assert_eq!(read_line(&mut r, &mut buf, 5).unwrap(), Some(10));
        assert_eq!(buf, b"01234");
        assert_eq!(read_line(&mut r, &mut buf, 5).unwrap(), Some(4));
        assert_eq!(buf, b"last");
        assert_eq!(read_line(&mut r, &mut buf, 5).unwrap(), None);
    }

    #[test]
    fn detects_pretty_documents() {
        assert!(is_complete_object(r#"{"id":"a","x":{"y":"}"}}"#));
        assert!(!is_complete_object("{"));
        assert!(!is_complete_object(r#"{"id": "a","#));
    }
}
