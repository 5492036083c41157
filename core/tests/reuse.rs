//! A stream of assessments reuses one result per thread (`Engine::assess_json_into` fills the
//! thread's last result in place, its vectors included, issue 16); a result handed back by
//! value (`Engine::assess_json`) is a new one. Whatever came before, the two must give the
//! same bytes: nothing of an earlier record (a longer list of lines, a finding, a trace, an
//! exchange rate, a rejection) may show in a later one. The same holds for a result the caller
//! keeps and passes to `Engine::assess_into`.

#[path = "../../tests/determinism/batch.rs"]
mod batch;
mod common;

use proptest::prelude::*;
use xborder::{AssessOptions, Engine};

/// Every declaration here is assessed with the sample rate table, whatever its vector asks.
fn engine() -> &'static Engine {
    common::sample_engine()
}

/// The bytes of a new result (or the error record) for `text`.
fn fresh(text: &str, options: &AssessOptions) -> Vec<u8> {
    let mut out = Vec::new();
    match engine().assess_json(text, options) {
        Ok(a) => a.write_json(&mut out),
        Err(_) => {
            let rejection = engine().assess_record(text, options).unwrap_err();
            out.extend_from_slice(rejection.to_json().as_bytes());
        }
    }
    out
}

/// The bytes the streaming path writes for `text`, after whatever this thread assessed before.
fn streamed(text: &str, options: &AssessOptions) -> Vec<u8> {
    let mut out = Vec::new();
    engine().assess_json_into(text, options, &mut out);
    out
}

/// The determinism batch in order (one line in twenty broken, so that rejections fall between
/// results), the trace on one line in seven.
#[test]
fn the_batch_streamed_is_the_batch_assessed_afresh() {
    let batch = batch::ndjson(common::repo(), 11);
    let mut checked = 0;
    for (i, line) in batch.split(|&b| b == b'\n').enumerate() {
        let Ok(text) = std::str::from_utf8(line) else {
            continue;
        };
        if xborder::ndjson::is_blank(line) {
            continue;
        }
        let options = AssessOptions {
            trace: i % 7 == 0,
            ..AssessOptions::default()
        };
        let (a, b) = (streamed(text, &options), fresh(text, &options));
        assert!(
            a == b,
            "line {i}\nstreamed: {}\n   fresh: {}",
            String::from_utf8_lossy(&a),
            String::from_utf8_lossy(&b)
        );
        checked += 1;
    }
    assert!(checked >= 8_500, "only {checked} lines checked");
}

/// `Engine::assess_json` reads into the thread's spare declaration (issue 16): it gives what
/// reading a new declaration by `Declaration::from_json` and assessing it gives, the result or
/// the error (code, path, message), whatever the thread read before (the batch in order, one
/// line in twenty broken).
#[test]
fn assess_json_is_a_new_declaration_assessed() {
    let batch = batch::ndjson(common::repo(), 11);
    let options = AssessOptions::default();
    for (i, line) in batch.split(|&b| b == b'\n').enumerate() {
        let Ok(text) = std::str::from_utf8(line) else {
            continue;
        };
        if xborder::ndjson::is_blank(line) {
            continue;
        }
        let new = xborder::Declaration::from_json(text).and_then(|d| engine().assess(&d, &options));
        match (new, engine().assess_json(text, &options)) {
            (Ok(a), Ok(b)) => assert!(a == b, "line {i}"),
            (Err(a), Err(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}"), "line {i}"),
            (a, b) => panic!("line {i}: {:?} against {:?}", a.err(), b.err()),
        }
    }
}

/// The glue `assess_record` shares with `assess_json_into`: the same result, or the same
/// rejection with the same id.
#[test]
fn a_record_is_what_the_stream_writes() {
    for vector in common::vectors() {
        let text = vector.declaration();
        let options = vector.options();
        let mut record = Vec::new();
        match engine().assess_record(&text, &options) {
            Ok(a) => a.write_json(&mut record),
            Err(r) => record.extend_from_slice(r.to_json().as_bytes()),
        }
        assert_eq!(
            String::from_utf8_lossy(&record),
            String::from_utf8_lossy(&streamed(&text, &options)),
            "{}",
            vector.name
        );
    }
    for text in ["{", r#"{"id": "x1", "items": 3}"#, "[]", r#"{"id": 7}"#] {
        let options = AssessOptions::default();
        let rejection = engine().assess_record(text, &options).unwrap_err();
        assert_eq!(
            rejection.to_json().into_bytes(),
            streamed(text, &options),
            "{text}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Any order of the vectors, with or without the trace, repeated or not: each streamed
    /// result is the new one.
    #[test]
    fn any_sequence_streams_as_assessed_afresh(
        picks in prop::collection::vec((any::<prop::sample::Index>(), any::<bool>()), 1..24)
    ) {
        let vectors = vectors();
        for (pick, trace) in picks {
            let (text, options) = &vectors[pick.index(vectors.len())];
            let options = AssessOptions { trace, ..options.clone() };
            let (a, b) = (streamed(text, &options), fresh(text, &options));
            prop_assert!(a == b, "streamed: {}\n   fresh: {}",
                String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// The public reuse path, `Engine::assess_into` with one result the caller keeps: after any
    /// sequence of vectors (an error included, which leaves the result unspecified), each
    /// assessment equals the one handed back by value, field for field.
    #[test]
    fn assess_into_a_kept_result_is_assess(
        picks in prop::collection::vec((any::<prop::sample::Index>(), any::<bool>()), 1..24)
    ) {
        let vectors = vectors();
        let mut kept = xborder::Assessment::empty();
        for (pick, trace) in picks {
            let (text, options) = &vectors[pick.index(vectors.len())];
            let options = AssessOptions { trace, ..options.clone() };
            let Ok(declaration) = xborder::Declaration::from_json(text) else {
                continue;
            };
            let into = engine().assess_into(&declaration, &options, &mut kept);
            match engine().assess(&declaration, &options) {
                Ok(fresh) => {
                    prop_assert!(into.is_ok());
                    prop_assert_eq!(&kept, &fresh);
                }
                Err(error) => prop_assert_eq!(into.unwrap_err(), error),
            }
        }
    }
}

/// Every vector's declaration text and options, read once.
fn vectors() -> &'static [(String, AssessOptions)] {
    static VECTORS: std::sync::OnceLock<Vec<(String, AssessOptions)>> = std::sync::OnceLock::new();
    VECTORS.get_or_init(|| {
        common::vectors()
            .iter()
            .map(|v| (v.declaration(), v.options()))
            .collect()
    })
}

/// What the one-line path writes for `lines`, one after the other, and the outcomes it gives.
fn line_by_line(
    lines: &[xborder::ndjson::TextLine<'_>],
    options: &AssessOptions,
) -> (Vec<u8>, Vec<xborder::LineOutcome>) {
    let mut out = Vec::new();
    let outcomes = lines
        .iter()
        .map(|l| engine().assess_ndjson_text_line(l.line, l.full_len, l.line_no, options, &mut out))
        .collect();
    (out, outcomes)
}

/// What `Engine::assess_ndjson_text_lines` writes for `lines`, and the outcomes it gives.
fn in_runs(
    lines: &[xborder::ndjson::TextLine<'_>],
    options: &AssessOptions,
) -> (Vec<u8>, Vec<xborder::LineOutcome>) {
    let mut out = Vec::new();
    let mut outcomes = Vec::new();
    engine().assess_ndjson_text_lines(lines, options, &mut out, |o| outcomes.push(o));
    (out, outcomes)
}

fn text_lines(text: &str) -> Vec<xborder::ndjson::TextLine<'_>> {
    text.split('\n')
        .zip(1..)
        .map(|(line, line_no)| xborder::ndjson::TextLine {
            line,
            full_len: line.len(),
            line_no,
        })
        .collect()
}

/// The first `count` lines of the determinism batch that are text (its non-UTF-8 lines left out,
/// which a reader never passes as text), joined by `\n`.
fn batch_text(count: usize) -> String {
    batch::ndjson(common::repo(), 12)
        .split(|&b| b == b'\n')
        .filter_map(|line| std::str::from_utf8(line).ok())
        .take(count)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The determinism batch (results, rejections and blank lines interleaved; its non-UTF-8 lines
/// left out, which a reader never passes as text), with and without the trace: the lines
/// read, assessed and written in runs give the bytes and outcomes of the lines one by one.
#[test]
fn the_batch_in_runs_is_the_batch_line_by_line() {
    let text = batch_text(usize::MAX);
    let lines = text_lines(&text);
    assert!(lines.len() >= 9_000, "only {} lines", lines.len());
    for options in [AssessOptions::default(), AssessOptions::traced()] {
        let (expected, expected_outcomes) = line_by_line(&lines, &options);
        let (actual, outcomes) = in_runs(&lines, &options);
        assert!(
            expected == actual,
            "the bytes differ (trace: {})",
            options.trace
        );
        assert_eq!(expected_outcomes, outcomes);
    }
}

/// `Engine::assess_ndjson_text_lines_over` writes over a reused buffer, from an end inside it,
/// at its end or past it, the bytes and outcomes `assess_ndjson_text_lines` appends, with the
/// bytes before the end untouched (and zeros between the buffer's end and an end past it); with
/// and without the trace (whose results are appended after the buffer is cut at the end).
#[test]
fn lines_written_over_a_buffer_are_the_lines_appended() {
    let text = batch_text(1_500);
    let lines = text_lines(&text);
    for options in [AssessOptions::default(), AssessOptions::traced()] {
        let (expected, expected_outcomes) = in_runs(&lines, &options);
        // Left-over bytes, as a buffer used before holds; reused from one write to the next.
        let mut buf: Vec<u8> = (0..expected.len() / 2)
            .map(|k| (k * 7 % 251) as u8)
            .collect();
        for start in [0, 7, 1_000, buf.len(), 3 * expected.len(), 13] {
            let before = buf.clone();
            let mut end = start;
            let mut outcomes = Vec::new();
            engine().assess_ndjson_text_lines_over(&lines, &options, &mut buf, &mut end, |o| {
                outcomes.push(o)
            });
            let kept = start.min(before.len());
            assert!(buf[..kept] == before[..kept], "start {start}");
            assert!(buf[kept..start].iter().all(|&b| b == 0), "start {start}");
            assert!(
                buf[start..end] == expected[..],
                "start {start}, trace {}",
                options.trace
            );
            assert_eq!(outcomes, expected_outcomes);
        }
    }
}

/// What `Engine::assess_ndjson_line` writes for each `\n`-separated line of `input`, and each
/// line's number and outcome.
fn batch_line_by_line(
    input: &[u8],
    options: &AssessOptions,
) -> (Vec<u8>, Vec<(u64, xborder::LineOutcome)>) {
    let mut out = Vec::new();
    let outcomes = input
        .split(|&b| b == b'\n')
        .zip(1..)
        .map(|(line, no)| {
            let outcome = engine().assess_ndjson_line(line, line.len(), no, options, &mut out);
            (no, outcome)
        })
        .collect();
    (out, outcomes)
}

/// What `Engine::assess_ndjson_batch` writes for `input`, and the numbers and outcomes it gives.
fn batch_in_runs(
    input: &[u8],
    options: &AssessOptions,
) -> (Vec<u8>, Vec<(u64, xborder::LineOutcome)>) {
    let mut out = Vec::new();
    let mut outcomes = Vec::new();
    engine().assess_ndjson_batch(input, options, &mut out, |no, o| outcomes.push((no, o)));
    (out, outcomes)
}

/// The whole determinism batch, its lines that are not UTF-8 included, as one buffer (what
/// `xb_assess_ndjson` and `assessNdjson` take): the same bytes, numbers and outcomes as line by
/// line, with and without the trace.
#[test]
fn a_batch_in_memory_is_the_batch_line_by_line() {
    let batch = batch::ndjson(common::repo(), 12);
    assert!(
        batch
            .split(|&b| b == b'\n')
            .any(|l| std::str::from_utf8(l).is_err()),
        "the batch has no line that is not UTF-8"
    );
    for options in [AssessOptions::default(), AssessOptions::traced()] {
        let (expected, expected_outcomes) = batch_line_by_line(&batch, &options);
        let (actual, outcomes) = batch_in_runs(&batch, &options);
        assert!(
            expected == actual,
            "the bytes differ (trace: {})",
            options.trace
        );
        assert_eq!(expected_outcomes, outcomes);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// Any sequence of vectors, blank lines, lines ending in `\r`, broken JSON, lines cut at
    /// the size limit and declarations of many items (past what a kept declaration may hold),
    /// longer than a run or not: the same bytes and outcomes as line by line, in order.
    #[test]
    fn any_lines_in_runs_are_the_lines_one_by_one(
        picks in prop::collection::vec(any::<prop::sample::Index>(), 1..200),
        trace in any::<bool>(),
    ) {
        let pool = line_pool();
        let lines: Vec<xborder::ndjson::TextLine<'_>> = picks
            .iter()
            .zip(1..)
            .map(|(pick, line_no)| {
                let (line, full_len) = &pool[pick.index(pool.len())];
                xborder::ndjson::TextLine { line, full_len: *full_len, line_no }
            })
            .collect();
        let options = AssessOptions { trace, ..AssessOptions::default() };
        let (expected, expected_outcomes) = line_by_line(&lines, &options);
        let (actual, outcomes) = in_runs(&lines, &options);
        prop_assert!(expected == actual, "in runs: {}\nby line: {}",
            String::from_utf8_lossy(&actual), String::from_utf8_lossy(&expected));
        prop_assert_eq!(expected_outcomes, outcomes);
    }

    /// Any batch in memory of those lines and of lines that are not UTF-8 (short, and longer
    /// than the limit), which end a group of text lines: the bytes, numbers and outcomes of
    /// the lines one by one.
    #[test]
    fn any_batch_in_memory_is_its_lines_one_by_one(
        picks in prop::collection::vec(any::<prop::sample::Index>(), 0..600),
        trace in any::<bool>(),
    ) {
        let pool = byte_pool();
        let lines: Vec<&[u8]> = picks.iter().map(|p| pool[p.index(pool.len())].as_slice()).collect();
        let input = lines.join(&b'\n');
        let options = AssessOptions { trace, ..AssessOptions::default() };
        let (expected, expected_outcomes) = batch_line_by_line(&input, &options);
        let (actual, outcomes) = batch_in_runs(&input, &options);
        prop_assert!(expected == actual, "in runs: {}\nby line: {}",
            String::from_utf8_lossy(&actual), String::from_utf8_lossy(&expected));
        prop_assert_eq!(expected_outcomes, outcomes);
    }
}

/// The lines of [`line_pool`] that a batch holds as they are (not the cut one), lines that are
/// not UTF-8, and a line of text and one of bytes longer than the limit.
fn byte_pool() -> &'static [Vec<u8>] {
    static POOL: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        let over = xborder::limits::MAX_DECLARATION_BYTES + 1;
        let mut pool: Vec<Vec<u8>> = line_pool()
            .iter()
            .filter(|(line, full_len)| line.len() == *full_len)
            .map(|(line, _)| line.clone().into_bytes())
            .collect();
        pool.extend([b"\xff".to_vec(), b"{\"id\": \"\xc3\"}\r".to_vec()]);
        pool.extend([vec![b'x'; over], vec![0xff; over]]);
        pool
    })
}

/// Lines of every kind a stream holds, with the length each had in the input.
fn line_pool() -> &'static [(String, usize)] {
    static POOL: std::sync::OnceLock<Vec<(String, usize)>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        let mut pool: Vec<String> = vectors().iter().map(|(text, _)| one_line(text)).collect();
        let first = pool[0].clone();
        pool.push(many_items(&first, 150));
        pool.extend(["", "  \t", "\r", "{", "[]", r#"{"id": "x1", "items": 3}"#].map(String::from));
        pool.push(format!("{first}\r"));
        let mut pool: Vec<(String, usize)> =
            pool.into_iter().map(|l| (l.clone(), l.len())).collect();
        // A line the reader cut: a prefix, and its full length past the limit.
        pool.push((first.clone(), xborder::limits::MAX_DECLARATION_BYTES + 10));
        pool
    })
}

/// `text` (one JSON document) on one line.
fn one_line(text: &str) -> String {
    serde_json::from_str::<serde_json::Value>(text)
        .map_or_else(|_| text.replace('\n', " "), |v| v.to_string())
}

/// The declaration `line` with its first item repeated to `n` items.
fn many_items(line: &str, n: usize) -> String {
    let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
    let item = v["items"][0].clone();
    v["items"] = serde_json::Value::Array(vec![item; n]);
    v.to_string()
}
