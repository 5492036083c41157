//! An NDJSON batch: malformed, truncated, over-long and non-UTF-8 lines.
//!
//! Each line goes through `Engine::assess_ndjson_line`, the handler the CLI, C and WASM
//! batches share. A line starting with byte 0x01 stands for the kept prefix of a line longer
//! than the limit (the CLI's reader passes such a prefix with the line's full length), so
//! the over-long path is reached without megabyte inputs.
//!
//! Invariants: exactly one output line per non-blank input line, each a JSON object on one
//! line; a rejected line's output is an error record; the whole batch through the C API
//! (`xb_assess_ndjson`) gives the same bytes when no line stands for an over-long one.
#![no_main]

use std::ffi::{c_char, CStr};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

mod common;
use xborder_core::limits::MAX_DECLARATION_BYTES;
use xborder_core::{AssessOptions, Engine, LineOutcome};

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::embedded().expect("the embedded packs load"))
}

struct CEngine(*mut xborder_ffi::XbEngine);
// SAFETY: an XbEngine is immutable and shared between threads by design (ffi/src/engine.rs).
unsafe impl Send for CEngine {}
// SAFETY: as above.
unsafe impl Sync for CEngine {}

fn c_engine() -> *const xborder_ffi::XbEngine {
    static ENGINE: OnceLock<CEngine> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let mut e = std::ptr::null_mut();
            // SAFETY: `e` is a live local.
            let status = unsafe { xborder_ffi::xb_engine_new(&mut e) };
            assert_eq!(status, xborder_ffi::XbStatus::Ok);
            CEngine(e)
        })
        .0
}

fuzz_target!(|data: &[u8]| {
    let engine = engine();
    let options = AssessOptions::default();
    let mut out = Vec::new();
    let mut expected_lines = 0usize;
    let mut long_stand_in = false;
    for (i, line) in data.split(|&b| b == b'\n').enumerate() {
        let full_len = if line.first() == Some(&1) {
            long_stand_in = true;
            MAX_DECLARATION_BYTES + line.len()
        } else {
            line.len()
        };
        let trimmed = line.strip_suffix(b"\r").unwrap_or(line);
        let blank = full_len <= MAX_DECLARATION_BYTES
            && std::str::from_utf8(trimmed).is_ok_and(|t| t.trim().is_empty());
        let before = out.len();
        let outcome = engine.assess_ndjson_line(line, full_len, i as u64 + 1, &options, &mut out);
        let written = &out[before..];
        match outcome {
            LineOutcome::Blank => {
                assert!(blank, "line {} is not blank", i + 1);
                assert!(written.is_empty());
                continue;
            }
            LineOutcome::Assessed | LineOutcome::Rejected(_) => assert!(!blank),
        }
        expected_lines += 1;
        let (last, body) = written.split_last().expect("a record writes a line");
        assert_eq!(*last, b'\n');
        assert!(!body.contains(&b'\n'), "a record spans lines");
        let value: serde_json::Value = serde_json::from_slice(body).expect("output is JSON");
        let is_error = value.get("error").is_some();
        match outcome {
            LineOutcome::Rejected(e) => {
                assert!(is_error);
                assert_eq!(value["error"]["code"], e.code.as_str());
                common::assert_input_refusal(&e);
            }
            _ => assert!(!is_error),
        }
    }
    assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), expected_lines);

    if !long_stand_in {
        let mut c_out: *mut c_char = std::ptr::null_mut();
        // SAFETY: the engine is live, `data` is `data.len()` readable bytes, `c_out` a local.
        let status = unsafe {
            xborder_ffi::xb_assess_ndjson(c_engine(), data.as_ptr(), data.len(), &mut c_out)
        };
        assert!(!c_out.is_null(), "{status:?}");
        // SAFETY: a non-NULL out string is NUL-terminated and owned by us until freed.
        let bytes = unsafe { CStr::from_ptr(c_out) }.to_bytes().to_vec();
        // SAFETY: freed once.
        unsafe { xborder_ffi::xb_string_free(c_out) };
        assert_eq!(bytes, out, "the C API and the core differ");
    }
});
