//! Determinism across runs and threads: a batch of 10,000 generated declarations
//! (`tests/determinism/batch.rs`) gives byte-identical output from the core, run twice with
//! separately built engines, and from the `xborder` binary with one and with two worker
//! threads. `ffi/tests/determinism.rs` checks the C API against the same bytes.

// A test's diagnostics go to the harness's captured stderr (cli/clippy.toml is for the binary).
#![allow(clippy::disallowed_macros)]

#[path = "../../tests/determinism/batch.rs"]
mod batch;

use std::path::{Path, PathBuf};
use std::process::Command;

use xborder::{AssessOptions, Engine};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

const RATES: &str = "examples/rates/sample-rates.json";

/// The batch through the core's NDJSON line handler, as every binding runs it.
fn core_output(input: &[u8]) -> Vec<u8> {
    let rates = std::fs::read_to_string(root().join(RATES)).unwrap();
    let engine = Engine::builder().rates_json(rates).build().unwrap();
    let options = AssessOptions::default();
    let mut out = Vec::new();
    for (i, line) in input.split(|&b| b == b'\n').enumerate() {
        engine.assess_ndjson_line(line, line.len(), i as u64 + 1, &options, &mut out);
    }
    out
}

#[test]
fn a_large_batch_is_byte_identical_across_runs_and_threads() {
    let input = batch::ndjson(&root(), 0x5eed);
    assert_eq!(
        input.iter().filter(|&&b| b == b'\n').count(),
        batch::SIZE,
        "one line per declaration"
    );
    let core = core_output(&input);
    assert_eq!(core, core_output(&input), "two core runs differ");
    let text = String::from_utf8(core.clone()).unwrap();
    let errors = text.lines().filter(|l| l.contains("\"error\":{")).count();
    let records = text.lines().count();
    // Blank lines write nothing; every other line writes exactly one.
    assert!(
        records > batch::SIZE * 9 / 10 && records < batch::SIZE,
        "{records}"
    );
    assert!(
        errors > records / 50 && errors < records / 2,
        "{errors} of {records}"
    );

    let file = Path::new(env!("CARGO_TARGET_TMPDIR")).join("determinism-batch.ndjson");
    std::fs::write(&file, &input).unwrap();
    for threads in ["1", "2"] {
        let out = Command::new(env!("CARGO_BIN_EXE_xborder"))
            .current_dir(root())
            .args(["assess", "--rates", RATES, "--threads", threads])
            .arg(&file)
            .output()
            .unwrap();
        // Exit code 1: some records were rejected (the batch has broken lines on purpose).
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stdout == core,
            "--threads {threads}: output hash {:016x}, core {:016x}",
            batch::fnv1a(&out.stdout),
            batch::fnv1a(&core)
        );
    }
    let _ = std::fs::remove_file(&file);
    eprintln!(
        "{records} records ({errors} rejected), {} bytes out, FNV-1a {:016x}",
        core.len(),
        batch::fnv1a(&core)
    );
}
