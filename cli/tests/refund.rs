//! `xborder refund`: one refund or error line per return declaration.

use std::process::Output;

use serde_json::Value;

mod common;
use common::{root, xborder};

fn run(args: &[&str], stdin: &[u8]) -> Output {
    xborder(args, Some(stdin))
}

#[test]
fn the_example_return_is_refunded_and_bad_records_are_reported_in_place() {
    let out = run(
        &["refund", "examples/returns/eu-defective-return.json"],
        b"",
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["original_id"], "eu-cat4-border");
    // A laptop (0 % duty): only the import VAT is charged, and all of it comes back.
    assert_eq!(r["components"][0]["component"], "tax_at_import");
    assert_eq!(r["total_refund"], r["components"][0]["assessed"]);

    let example =
        std::fs::read_to_string(root().join("examples/returns/eu-defective-return.json")).unwrap();
    let one_line: Value = serde_json::from_str(&example).unwrap();
    let mut withdrawn = one_line.clone();
    withdrawn["reason"] = Value::from("withdrawal");
    let input = format!("{one_line}\n{{\"id\":\"bad\"}}\n\n{withdrawn}\n");
    let out = run(&["refund", "-"], input.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0]["total_refund"].is_string());
    assert_eq!(lines[1]["error"]["code"], "E_MISSING_FIELD");
    assert_eq!(
        lines[2]["total_refund"], "0.00",
        "a withdrawal gets no customs repayment"
    );
}
