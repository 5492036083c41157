//! `xborder statement`: the sample declarations as JSON and CSV statements.

use std::process::{Command, Output};

use serde_json::Value;

mod common;
use common::root;

fn xborder(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xborder"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

const RATES: &str = "examples/rates/sample-rates.json";
const SAMPLES: &str = "examples/declarations/all.ndjson";

#[test]
fn the_samples_give_a_reconciled_statement_in_json_and_csv() {
    let out = xborder(&["statement", "--rates", RATES, SAMPLES]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["period"], "month");
    let recon = s["reconciliation"].as_array().unwrap();
    // One reconciliation per currency the samples were assessed in.
    let assessed = xborder(&["assess", "--rates", RATES, SAMPLES]);
    let currencies: std::collections::BTreeSet<String> = String::from_utf8_lossy(&assessed.stdout)
        .lines()
        .filter_map(|l| {
            serde_json::from_str::<Value>(l).ok()?["currency"]
                .as_str()
                .map(String::from)
        })
        .collect();
    assert!(
        currencies.contains("EUR") && currencies.contains("GBP"),
        "{currencies:?}"
    );
    let reconciled: std::collections::BTreeSet<String> = recon
        .iter()
        .map(|r| r["currency"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(reconciled, currencies);
    assert_eq!(
        recon.len(),
        currencies.len(),
        "one reconciliation per currency"
    );
    for r in recon {
        assert_eq!(r["statement_total"], r["assessed_total_payable"]);
    }
    let consignments: u64 = recon
        .iter()
        .map(|r| r["consignments"].as_u64().unwrap())
        .sum();
    let lines = std::fs::read_to_string(root().join(SAMPLES)).unwrap();
    assert_eq!(
        consignments as usize,
        lines.lines().filter(|l| !l.trim().is_empty()).count()
    );
    let roles: Vec<&str> = s["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["operator"]["role"].as_str().unwrap())
        .collect();
    for role in ["seller", "marketplace", "carrier", "border"] {
        assert!(roles.contains(&role), "{role} missing from {roles:?}");
    }

    let out = xborder(&[
        "statement",
        "--rates",
        RATES,
        "--format",
        "csv",
        "--period",
        "quarter",
        SAMPLES,
    ]);
    assert_eq!(out.status.code(), Some(0));
    let csv = String::from_utf8(out.stdout).unwrap();
    let mut rows = csv.lines();
    assert_eq!(rows.next().unwrap().split(',').count(), 16);
    // Every row's period is a quarter (YYYY-Qn).
    assert!(rows.all(|r| {
        let p = r.split(',').next().unwrap();
        p.len() == 7 && p[4..6] == *"-Q" && matches!(&p[6..], "1" | "2" | "3" | "4")
    }));
}

#[test]
fn rejected_records_are_reported_and_usage_errors_exit_2() {
    // Without rates the USD declaration cannot be assessed: reported, left out, exit 1.
    let out = xborder(&["statement", SAMPLES]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("E_NO_EXCHANGE_RATE"));
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(s["accounts"].as_array().is_some_and(|a| !a.is_empty()));

    assert_eq!(
        xborder(&["statement", "--period", "week", SAMPLES])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        xborder(&["statement", "--format", "xml", SAMPLES])
            .status
            .code(),
        Some(2)
    );
}
