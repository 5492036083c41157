//! Reading records: one JSON document, or NDJSON with bounded line length, and how a stream
//! is framed as one or the other.
//!
//! Memory stays constant however large the stream: a line is read into one reused buffer, and
//! a line longer than the limit is skipped to its end (and reported) without being held.

use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use xborder::limits::MAX_DECLARATION_BYTES;
use xborder::Error;

use crate::Fatal;

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

/// True when `line` holds a complete JSON object on its own (NDJSON), false when it only opens
/// one (perhaps the first line of a pretty-printed single document).
pub(crate) fn is_complete_object(line: &str) -> bool {
    xborder::limits::json_nesting(line).open <= 0
}

/// How a stream is cut into records.
pub(crate) enum Framing {
    /// No record at all (empty, or only blank lines).
    Empty,
    /// The whole input is one JSON document over several lines (a pretty-printed
    /// declaration), starting on the given line.
    Document(String, u64),
    /// NDJSON: one record per line, from `Start` on; the reader goes on after it.
    Lines(crate::pipeline::Start),
}

/// Decides how `reader` is framed, reading as little as it needs.
///
/// A stream is NDJSON unless its first record line opens an object it does not close and the
/// whole input, up to the declaration limit, parses as exactly one JSON document. When that
/// parse fails (a truncated first line, a second document, anything after it, more than the
/// limit, bytes that are not UTF-8), the stream is read line by line after all, from its first
/// record: every line gets its own output line, so no record behind a broken first line is lost.
pub(crate) fn frame(reader: &mut dyn BufRead) -> io::Result<Framing> {
    let limit = MAX_DECLARATION_BYTES;
    let mut buf = Vec::with_capacity(4096);
    let mut line_no = 0u64;
    while let Some(len) = read_line(reader, &mut buf, limit + 1)? {
        line_no += 1;
        if len <= limit && xborder::ndjson::is_blank(&buf) {
            continue;
        }
        let mut start = crate::pipeline::Start {
            line: line_no,
            long: if len > buf.len() {
                vec![(line_no, len)]
            } else {
                Vec::new()
            },
            head: std::mem::take(&mut buf),
        };
        start.head.push(b'\n');
        let opens = len <= limit
            && std::str::from_utf8(&start.head[..start.head.len() - 1])
                .is_ok_and(|t| !is_complete_object(t));
        if opens {
            reader
                .take((limit + 1).saturating_sub(start.head.len()) as u64)
                .read_to_end(&mut start.head)?;
            if let Some(doc) = one_document(&start.head, limit) {
                return Ok(Framing::Document(doc, line_no));
            }
        }
        return Ok(Framing::Lines(start));
    }
    Ok(Framing::Empty)
}

/// `bytes` as text when they hold exactly one JSON document within `limit` bytes.
fn one_document(bytes: &[u8], limit: usize) -> Option<String> {
    if bytes.len() > limit {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    serde_json::from_str::<serde::de::IgnoredAny>(text).ok()?;
    Some(text.to_string())
}

/// The text of the file at `path`, refused as soon as it is longer than `limit` bytes: at most
/// `limit + 1` bytes are ever read, so a huge file or `/dev/zero` costs no more memory than the
/// limit. Every option that names a document to load (`--pack`, `--tariff`, `--rates`,
/// `--risk-profile`, `explain FILE`) reads through here; `what` names the document.
pub(crate) fn read_limited(path: &Path, limit: usize, what: &str) -> Result<String, Fatal> {
    let fail = |e: io::Error| Fatal(format!("{}: {e}", path.display()));
    let file = std::fs::File::open(path).map_err(fail)?;
    read_source(file, &path.display().to_string(), limit, what)
}

/// [`read_limited`] for standard input (`explain -`), named `-` in messages as on the command
/// line.
pub(crate) fn read_stdin_limited(limit: usize, what: &str) -> Result<String, Fatal> {
    read_source(io::stdin().lock(), "-", limit, what)
}

fn read_source(source: impl Read, name: &str, limit: usize, what: &str) -> Result<String, Fatal> {
    let mut bytes = Vec::new();
    source
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Fatal(format!("{name}: {e}")))?;
    if bytes.len() > limit {
        return Err(Fatal(format!(
            "{name}: larger than {limit} bytes, the limit for a {what}"
        )));
    }
    String::from_utf8(bytes).map_err(|_| Fatal(format!("{name}: the {what} is not valid UTF-8")))
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
/// pretty-printed document, framed as [`frame`] decides. Blank lines are skipped; a line that
/// is not UTF-8 or is longer than the declaration limit comes as its error, with the line as
/// its path.
pub(crate) fn for_each_record(
    reader: &mut dyn BufRead,
    mut each: impl FnMut(u64, Result<&str, Error>) -> Result<(), Fatal>,
) -> Result<(), Fatal> {
    let io_err = Fatal::io;
    let start = match frame(reader).map_err(io_err)? {
        Framing::Empty => return Ok(()),
        Framing::Document(doc, line_no) => return each(line_no, Ok(&doc)),
        Framing::Lines(start) => start,
    };
    // The lines already read come first; a cut line among them is still longer than the limit.
    let mut lines = io::Cursor::new(start.head).chain(reader);
    let limit = MAX_DECLARATION_BYTES;
    let mut buf = Vec::with_capacity(4096);
    let mut line_no = start.line - 1;
    let mut lines = BufReader::new(&mut lines);
    while let Some(len) = read_line(&mut lines, &mut buf, limit + 1).map_err(io_err)? {
        line_no += 1;
        let len = start
            .long
            .iter()
            .find(|&&(no, _)| no == line_no)
            .map_or(len, |&(_, full)| full);
        match xborder::ndjson::line_text(&buf, len, line_no) {
            Ok(None) => {}
            Ok(Some(text)) => each(line_no, Ok(text))?,
            Err(e) => each(line_no, Err(e))?,
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
