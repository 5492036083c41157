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
