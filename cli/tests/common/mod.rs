//! What the CLI integration tests share: the repository root and running the built binary.

#![allow(dead_code)] // each test crate uses its own subset

#[cfg(target_os = "linux")]
pub mod extents;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The repository root, where the tests run the binary (sample paths are relative to it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs the built `xborder` with `args` from the repository root, feeding `stdin` (nothing
/// when `None`), and returns its status and output.
pub fn xborder(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xborder"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(bytes) = stdin {
        input.write_all(bytes).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

/// Three T-shirt consignments to France in May 2025 (EUR 60, 120, 200; 12 % duty, 20 % VAT)
/// and a line no rules accept, one per line: the fixed batch of the batch and analyst tests.
pub fn tshirt_batch() -> Vec<u8> {
    let mut out = Vec::new();
    for (id, value) in [("low", "60.00"), ("mid", "120.00"), ("high", "200.00")] {
        out.extend_from_slice(
            format!(
                r#"{{"id":"{id}","date":"2025-05-10","destination":"FR","currency":"EUR","items":[{{"description":"T-shirts","hs_code":"610910","quantity":3,"value":"{value}","origin":"CN"}}],"seller":{{"name":"S","country":"CN"}},"consignee":{{"name":"C","country":"FR"}}}}"#
            )
            .as_bytes(),
        );
        out.push(b'\n');
    }
    out.extend_from_slice(b"{\"id\":\"broken\"}\n");
    out
}
