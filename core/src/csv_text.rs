//! CSV, read with the `csv` crate as callers hand it in (tariffs, rate tables): RFC 4180
//! quoting, the separator `,` or `;` (Excel writes `;` where the decimal mark is a comma), a
//! UTF-8 byte-order mark (Excel's "CSV UTF-8") ignored, and every error tied to the line a
//! person sees in an editor. Written (statements, statistics) by hand, as the `csv` crate's
//! writer would: `,`, LF line ends, and quotes only around a field that holds `,`, `"`, CR or LF.

use csv::StringRecord;

/// Reads CSV text record by record, with the line each record starts on.
pub(crate) struct CsvReader<'t> {
    inner: csv::Reader<&'t [u8]>,
    bytes: &'t [u8],
    /// Lines counted so far: `line` is the line of byte `counted_to`.
    counted_to: usize,
    line: u64,
}

impl<'t> CsvReader<'t> {
    /// A reader of `text`, separated by `separator`, or when `None`, by `,` or `;`, whichever
    /// the first line holds more of outside quotes (`,` on a tie).
    pub(crate) fn new(text: &'t str, separator: Option<u8>) -> CsvReader<'t> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let separator = separator.unwrap_or_else(|| detect_separator(text));
        let inner = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(separator)
            .from_reader(text.as_bytes());
        CsvReader {
            inner,
            bytes: text.as_bytes(),
            counted_to: 0,
            line: 1,
        }
    }

    /// Reads the next record into `record`: `Ok(Some(line))` with the line it starts on,
    /// `Ok(None)` at the end. Blank lines are skipped. `Err((line, message))` for text that is
    /// not UTF-8 or a quoted field left open at the end of the text.
    pub(crate) fn read(&mut self, record: &mut StringRecord) -> Result<Option<u64>, (u64, String)> {
        let before = self.inner.position().byte() as usize;
        let more = self
            .inner
            .read_record(record)
            .map_err(|e| (self.line_at(before), format!("not CSV: {e}")))?;
        if !more {
            return Ok(None);
        }
        // A record's position may lie before the line ends and blank lines the reader skipped
        // to reach it (the `csv` crate counts lines that way): its first line is found here.
        let from = record.position().map_or(before, |p| p.byte() as usize);
        let first = from
            + self.bytes[from.min(self.bytes.len())..]
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
        let line = self.line_at(first);
        // The `csv` crate reads a quote that is never closed as running to the end of the
        // text; an odd number of quotes in a record that ends there is that mistake.
        let end = self.inner.position().byte() as usize;
        if end >= self.bytes.len() && bytecount(&self.bytes[first.min(end)..], b'"') % 2 == 1 {
            return Err((line, "unterminated quoted field".into()));
        }
        Ok(Some(line))
    }

    /// The line of byte `at`, counting on from the last byte asked for (records come in order).
    fn line_at(&mut self, at: usize) -> u64 {
        let at = at.min(self.bytes.len());
        if at >= self.counted_to {
            self.line += bytecount(&self.bytes[self.counted_to..at], b'\n') as u64;
            self.counted_to = at;
        }
        self.line
    }
}

fn bytecount(bytes: &[u8], b: u8) -> usize {
    bytes.iter().filter(|&&x| x == b).count()
}

/// `;` when the first line holds more semicolons than commas outside quotes, else `,`.
fn detect_separator(text: &str) -> u8 {
    let (mut commas, mut semicolons, mut quoted) = (0usize, 0usize, false);
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas {
        b';'
    } else {
        b','
    }
}

/// The index of the column named `name` in `header`: names compared trimmed and without
/// regard to ASCII case, as spreadsheets vary both.
pub(crate) fn column(header: &StringRecord, name: &str) -> Option<usize> {
    let name = name.trim();
    header
        .iter()
        .position(|h| h.trim().eq_ignore_ascii_case(name))
}

/// CSV text being written, row by row: the bytes the `csv` crate's writer gives with its
/// defaults (`QuoteStyle::Necessary`, `,`, `"` doubled) and LF line ends, written by hand so
/// that the WASM module does not link that writer, whose runtime choice of quoting styles pulls
/// in the standard library's float parser and its tables (`is_non_numeric`, about 20 kB before
/// compression; BENCHMARKS.md, WASM). A property test compares the two.
pub(crate) struct CsvWriter {
    out: Vec<u8>,
}

impl CsvWriter {
    /// An empty text.
    pub(crate) fn new() -> CsvWriter {
        CsvWriter { out: Vec::new() }
    }

    /// Appends one row. A field holding `,`, `"`, CR or LF is quoted (its quotes doubled); a
    /// row that would be empty (no fields, or one empty field) is written `""`, so that it
    /// still reads back as a row.
    pub(crate) fn row<I, T>(&mut self, fields: I)
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        let start = self.out.len();
        for (i, field) in fields.into_iter().enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            let field = field.as_ref();
            if field
                .iter()
                .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
            {
                self.out.push(b'"');
                for &b in field {
                    if b == b'"' {
                        self.out.push(b'"');
                    }
                    self.out.push(b);
                }
                self.out.push(b'"');
            } else {
                self.out.extend_from_slice(field);
            }
        }
        if self.out.len() == start {
            self.out.extend_from_slice(b"\"\"");
        }
        self.out.push(b'\n');
    }

    /// The text written.
    pub(crate) fn finish(self) -> String {
        // Every field was a `&str`: the bytes are UTF-8.
        String::from_utf8(self.out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Rows = Vec<(u64, Vec<String>)>;

    fn rows(text: &str) -> Result<Rows, (u64, String)> {
        let mut r = CsvReader::new(text, None);
        let mut rec = StringRecord::new();
        let mut out = Vec::new();
        while let Some(line) = r.read(&mut rec)? {
            out.push((line, rec.iter().map(str::to_string).collect()));
        }
        Ok(out)
    }

    #[test]
    fn separators_quotes_and_lines() {
        let r = rows("\u{feff}a;b;c\n1;\"x;y\";3\n\n\"multi\nline\";2;3\r\nlast;1,5;2\n").unwrap();
        assert_eq!(r[0], (1, vec!["a".into(), "b".into(), "c".into()]));
        assert_eq!(r[1].1[1], "x;y");
        // The blank line is skipped; a record keeps the line it starts on.
        assert_eq!(r[2].0, 4);
        assert_eq!(r[2].1[0], "multi\nline");
        assert_eq!(r[3], (6, vec!["last".into(), "1,5".into(), "2".into()]));
        let r = rows("a,b\n\"1,5\",\"say \"\"hi\"\"\"\n").unwrap();
        assert_eq!(r[1].1, ["1,5", "say \"hi\""]);
        // A header with a quoted `;` is still comma-separated.
        assert_eq!(rows("\"a;b\",c\n").unwrap()[0].1, ["a;b", "c"]);
    }

    #[test]
    fn an_open_quote_is_an_error_on_its_line() {
        assert_eq!(
            rows("a,b\n1,2\n\"3,4\n5,6\n").unwrap_err(),
            (3, "unterminated quoted field".to_string())
        );
        assert!(rows("a,b\n1,\"2\"\n").is_ok());
    }

    #[test]
    fn written_fields_are_quoted_only_when_needed() {
        let mut w = CsvWriter::new();
        w.row(["a", "b,c", "say \"hi\"", "", "line\nbreak", "cr\r", "-1"]);
        w.row(["x"; 2]);
        assert_eq!(
            w.finish(),
            "a,\"b,c\",\"say \"\"hi\"\"\",,\"line\nbreak\",\"cr\r\",-1\nx,x\n"
        );
    }

    /// What the `csv` crate's writer, as this module configured it before, gives for `rows`.
    fn csv_crate(rows: &[Vec<String>]) -> String {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .flexible(true)
            .from_writer(Vec::new());
        for row in rows {
            w.write_record(row).unwrap();
        }
        String::from_utf8(w.into_inner().unwrap()).unwrap()
    }

    #[test]
    fn empty_rows_are_written_as_the_csv_crate_writes_them() {
        let cases: Vec<Vec<Vec<String>>> = vec![
            vec![vec![]],
            vec![vec![String::new()]],
            vec![vec![String::new(), String::new()]],
            vec![
                vec!["a".into()],
                vec![],
                vec![String::new()],
                vec!["\"".into()],
            ],
        ];
        for rows in cases {
            let mut w = CsvWriter::new();
            for row in &rows {
                w.row(row);
            }
            assert_eq!(w.finish(), csv_crate(&rows), "{rows:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2048, ..Default::default() })]
        /// Byte for byte the `csv` crate's output, on fields made of the characters that matter.
        #[test]
        fn written_as_the_csv_crate_writes(
            rows in proptest::collection::vec(
                proptest::collection::vec("[a,;\"\r\n \t'#é0-9.-]{0,6}", 0..5),
                0..6,
            )
        ) {
            let mut w = CsvWriter::new();
            for row in &rows {
                w.row(row);
            }
            proptest::prop_assert_eq!(w.finish(), csv_crate(&rows));
        }
    }

    #[test]
    fn columns_are_found_by_name() {
        let header = StringRecord::from(vec![" Code ", "Duty rate"]);
        assert_eq!(column(&header, "code"), Some(0));
        assert_eq!(column(&header, "DUTY RATE"), Some(1));
        assert_eq!(column(&header, "duty"), None);
    }
}
