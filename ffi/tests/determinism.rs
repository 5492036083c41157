//! Determinism across bindings: the 10,000-declaration batch of `tests/determinism/batch.rs`
//! through the C API (the whole batch in one call, the batch split between two threads sharing
//! one engine, and record by record) gives the core's bytes. `cli/tests/determinism.rs`
//! checks runs and CLI thread counts against the same batch.

#[path = "../../tests/determinism/batch.rs"]
mod batch;

use std::ffi::{c_char, CStr};
use std::path::{Path, PathBuf};
use std::ptr;

use xborder::*;
use xborder_core::{AssessOptions, Engine};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn rates() -> String {
    std::fs::read_to_string(root().join("examples/rates/sample-rates.json")).unwrap()
}

fn core_output(input: &[u8]) -> Vec<u8> {
    let engine = Engine::builder().rates_json(rates()).build().unwrap();
    let options = AssessOptions::default();
    let mut out = Vec::new();
    for (i, line) in input.split(|&b| b == b'\n').enumerate() {
        engine.assess_ndjson_line(line, line.len(), i as u64 + 1, &options, &mut out);
    }
    out
}

struct Shared(*mut XbEngine);
// SAFETY: an XbEngine is immutable and documented as usable from any number of threads.
unsafe impl Send for Shared {}
// SAFETY: as above.
unsafe impl Sync for Shared {}

/// `xb_assess_ndjson` on `input`: the output bytes.
fn c_batch(engine: &Shared, input: &[u8]) -> Vec<u8> {
    let mut out: *mut c_char = ptr::null_mut();
    // SAFETY: the engine is live, `input` is `input.len()` readable bytes, `out` a local.
    let status = unsafe { xb_assess_ndjson(engine.0, input.as_ptr(), input.len(), &mut out) };
    assert!(matches!(status, XbStatus::Ok | XbStatus::BatchRejected));
    // SAFETY: a non-NULL out string, NUL-terminated, freed once.
    unsafe {
        let bytes = CStr::from_ptr(out).to_bytes().to_vec();
        xb_string_free(out);
        bytes
    }
}

#[test]
fn the_c_api_gives_the_cores_bytes_for_a_large_batch() {
    let input = batch::ndjson(&root(), 0x5eed);
    let core = core_output(&input);

    let mut builder = ptr::null_mut();
    let mut engine = ptr::null_mut();
    let rates = rates();
    // SAFETY: locals and live objects; `rates` outlives the call.
    unsafe {
        assert_eq!(xb_engine_builder_new(&mut builder), XbStatus::Ok);
        let s = xb_engine_builder_rates_json(builder, rates.as_ptr(), rates.len());
        assert_eq!(s, XbStatus::Ok);
        assert_eq!(xb_engine_builder_build(builder, &mut engine), XbStatus::Ok);
        xb_engine_builder_free(builder);
    }
    let engine = Shared(engine);

    let whole = c_batch(&engine, &input);
    assert!(
        whole == core,
        "C batch hash {:016x}, core {:016x}",
        batch::fnv1a(&whole),
        batch::fnv1a(&core)
    );

    // Two threads, one engine, each half of the batch (split at a line end).
    let middle = input[..input.len() / 2]
        .iter()
        .rposition(|&b| b == b'\n')
        .unwrap()
        + 1;
    let (first, second) = input.split_at(middle);
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| c_batch(&engine, first));
        let b = s.spawn(|| c_batch(&engine, second));
        (a.join().unwrap(), b.join().unwrap())
    });
    // Line numbers in "line N" paths restart in the second half; everything else is equal.
    let joined = [a, b].concat();
    let renumbered = |bytes: &[u8]| -> Vec<String> {
        String::from_utf8(bytes.to_vec())
            .unwrap()
            .lines()
            .map(|l| match l.find("\"path\":\"line ") {
                Some(i) => l[..i].to_string(),
                None => l.to_string(),
            })
            .collect()
    };
    assert_eq!(renumbered(&joined), renumbered(&core), "two threads differ");

    // Record by record through xb_assess_json, for every line that is a UTF-8 record.
    let core_text = String::from_utf8(core.clone()).unwrap();
    let mut lines_out = core_text.lines();
    for line in input.split(|&b| b == b'\n') {
        let Ok(text) = std::str::from_utf8(line) else {
            lines_out.next();
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        let want = lines_out.next().unwrap();
        let mut out: *mut c_char = ptr::null_mut();
        // SAFETY: as in c_batch.
        let got = unsafe {
            xb_assess_json(engine.0, line.as_ptr(), line.len(), &mut out);
            let got = CStr::from_ptr(out).to_str().unwrap().to_string();
            xb_string_free(out);
            got
        };
        assert_eq!(got, want);
    }
    assert!(lines_out.next().is_none());
    // SAFETY: freed once.
    unsafe { xb_engine_free(engine.0) };
    eprintln!(
        "{} bytes out, FNV-1a {:016x}",
        core.len(),
        batch::fnv1a(&core)
    );
}
