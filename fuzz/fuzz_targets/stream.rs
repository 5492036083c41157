//! A byte stream through `xborder assess`'s own stream code (`cli/src/stream.rs`: the framing
//! decision and the parallel pipeline), in memory, with one and with two worker threads.
//!
//! Invariants: no panic, hang or OOM; one and two threads give the same bytes; and those bytes
//! are what assessing the input line by line gives (`Engine::assess_ndjson_line` for every
//! line, a blank line writing nothing) unless the whole input, from its first record, is one
//! JSON document opened on a line it does not close, which is then assessed once. So no record
//! is lost, duplicated or reordered by the framing.
#![no_main]
#![allow(dead_code)] // the CLI modules bring helpers this target does not call

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use xborder_core::limits::MAX_DECLARATION_BYTES;
use xborder_core::{AssessOptions, Engine};

#[path = "../../cli/src/input.rs"]
mod input;
#[path = "../../cli/src/pipeline.rs"]
mod pipeline;
#[path = "../../cli/src/progress.rs"]
mod progress;
#[path = "../../cli/src/stream.rs"]
mod stream;

// What the CLI modules expect from their crate root.
extern crate xborder_core as xborder;
pub(crate) struct Fatal(pub String);
impl Fatal {
    pub(crate) fn io(e: std::io::Error) -> Fatal {
        Fatal(e.to_string())
    }
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::embedded().expect("the embedded packs load"))
}

fn run(data: &[u8], threads: usize) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::new();
    let progress = progress::Progress::new(false, None, "declarations");
    let mut reader = std::io::BufReader::with_capacity(64, data);
    stream::assess_stream(
        engine(),
        &AssessOptions::default(),
        &mut reader,
        threads,
        &mut out,
        &progress,
    )
    .expect("in-memory streams cannot fail to read or write");
    out
}

/// What the stream must give, worked out line by line without the CLI's code.
fn oracle(data: &[u8]) -> Vec<u8> {
    let engine = engine();
    let options = AssessOptions::default();
    let mut lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    if data.ends_with(b"\n") || data.is_empty() {
        lines.pop();
    }
    let first = lines
        .iter()
        .position(|l| !matches!(xborder::ndjson::line_text(l, l.len(), 1), Ok(None)));
    let Some(first) = first else {
        return Vec::new();
    };
    let head = lines[first].strip_suffix(b"\r").unwrap_or(lines[first]);
    let opens = head.len() <= MAX_DECLARATION_BYTES
        && std::str::from_utf8(head).is_ok_and(|t| xborder::limits::json_nesting(t).open > 0);
    if opens {
        // The document: the first record line (without its CR) and everything after it.
        let offset: usize = lines[..=first].iter().map(|l| l.len() + 1).sum();
        let mut doc = head.to_vec();
        doc.push(b'\n');
        doc.extend_from_slice(data.get(offset..).unwrap_or_default());
        if doc.len() <= MAX_DECLARATION_BYTES {
            if let Ok(text) = std::str::from_utf8(&doc) {
                if serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() {
                    let (json, _) = engine.assess_to_json(text, &options);
                    return format!("{json}\n").into_bytes();
                }
            }
        }
    }
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        engine.assess_ndjson_line(line, line.len(), i as u64 + 1, &options, &mut out);
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let one = run(data, 1);
    let two = run(data, 2);
    assert!(one == two, "one and two threads differ");
    let expected = oracle(data);
    assert!(
        one == expected,
        "the stream gave\n{}\nline by line gives\n{}",
        String::from_utf8_lossy(&one),
        String::from_utf8_lossy(&expected)
    );
});
