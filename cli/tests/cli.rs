//! Drives the real `xborder` binary: exit codes, order, errors in place, input forms.

use std::process::Output;

use serde_json::Value;

mod common;
use common::{root, xborder};

fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

const GOOD: &str = r#"{"id":"ok-1","date":"2025-05-01","destination":"FR","currency":"EUR","items":[{"description":"T-shirt","hs_code":"610910","quantity":1,"value":"20.00","origin":"CN"}],"seller":{"name":"S","country":"CN"},"consignee":{"name":"C"}}"#;

#[test]
fn sample_declarations_all_assess_in_order() {
    let out = xborder(
        &[
            "assess",
            "--rates",
            "examples/rates/sample-rates.json",
            "examples/declarations/all.ndjson",
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let input = std::fs::read_to_string(root().join("examples/declarations/all.ndjson")).unwrap();
    let ids: Vec<Value> = input
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].clone())
        .collect();
    let results = lines(&out);
    assert_eq!(results.len(), ids.len());
    for (r, id) in results.iter().zip(&ids) {
        assert_eq!(&r["id"], id);
        assert!(r.get("error").is_none(), "{r}");
    }
}

#[test]
fn bad_records_are_reported_in_place_and_nothing_is_lost() {
    let mut input = Vec::new();
    input.extend_from_slice(GOOD.as_bytes());
    input.extend_from_slice(b"\n\n{\"id\":\"broken\",\n");
    input.extend_from_slice(b"\xff\xfe not utf-8\n");
    input.extend_from_slice(
        GOOD.replace("ok-1", "ok-2")
            .replace("610910", "999999")
            .replace("\"20.00\"", "\"200.00\"")
            .as_bytes(),
    );
    input.push(b'\n');
    input.extend_from_slice(
        format!("{{\"id\":\"huge\",\"pad\":\"{}\"}}\n", "x".repeat(1 << 20)).as_bytes(),
    );
    input.extend_from_slice(GOOD.replace("ok-1", "ok-3").as_bytes());
    let out = xborder(&["assess", "-"], Some(&input));
    assert_eq!(out.status.code(), Some(1));
    let r = lines(&out);
    assert_eq!(r.len(), 6, "one line per non-blank input line");
    assert_eq!(r[0]["id"], "ok-1");
    assert_eq!(r[1]["error"]["code"], "E_JSON_SYNTAX");
    assert_eq!(r[1]["error"]["path"], Value::Null);
    assert_eq!(r[2]["error"]["code"], "E_INVALID_UTF8");
    assert_eq!(r[3]["id"], "ok-2");
    assert_eq!(r[3]["error"]["code"], "E_HS_NO_TARIFF_LINE");
    assert_eq!(r[3]["error"]["path"], "items[0].hs_code");
    assert_eq!(r[4]["error"]["code"], "E_INPUT_TOO_LARGE");
    assert_eq!(r[5]["id"], "ok-3");
}

#[test]
fn a_pretty_printed_document_is_one_record() {
    let pretty =
        serde_json::to_string_pretty(&serde_json::from_str::<Value>(GOOD).unwrap()).unwrap();
    let out = xborder(&["assess", "--trace"], Some(pretty.as_bytes()));
    assert_eq!(out.status.code(), Some(0));
    let r = lines(&out);
    assert_eq!(r.len(), 1);
    assert!(r[0]["trace"].as_array().is_some_and(|t| t.len() > 5));
}

#[test]
fn usage_and_io_errors_exit_2() {
    assert_eq!(
        xborder(&["assess", "no/such/file.ndjson"], None)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        xborder(&["assess", "--date", "2026-02-30", "-"], Some(b""))
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        xborder(&["assess", "--option", "nonsense", "-"], Some(b""))
            .status
            .code(),
        Some(2)
    );
    assert_eq!(xborder(&["frobnicate"], None).status.code(), Some(2));
}

/// The flags are judged by the core's options grammar, as the options object is in every
/// binding: the same code, and the flag the key came from.
#[test]
fn option_flags_are_judged_as_the_options_object() {
    let out = xborder(&["assess", "--date", "2026-02-30", "-"], Some(b""));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--date: ") && stderr.contains("(E_INVALID_DATE)"),
        "{stderr}"
    );
    // A reading no regime declares rejects each declaration, as in C, WASM and Python.
    let out = xborder(
        &["assess", "--option", "hs_ambiguity=lowest"],
        Some(GOOD.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1));
    let error = &lines(&out)[0]["error"];
    assert_eq!(
        (&error["code"], &error["path"]),
        (
            &serde_json::json!("E_INVALID_OPTION"),
            &serde_json::json!("options.hs_ambiguity")
        )
    );
}

#[test]
fn overrides_date_regime_tariff_and_options() {
    // The same T-shirt on 2026-07-01 pays the €3 flat duty instead of relief.
    let out = xborder(&["assess", "--date", "2026-07-01"], Some(GOOD.as_bytes()));
    let r = &lines(&out)[0];
    assert_eq!(r["regime_version"], "EU@2026-07-01");
    assert_eq!(r["duty_total"], "3.00");
    // ... unless the caller rejects the uncertain scope for a non-IOSS express parcel.
    let out = xborder(
        &[
            "assess",
            "--date",
            "2026-07-01",
            "--option",
            "flat_duty_scope=reject",
        ],
        Some(GOOD.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(lines(&out)[0]["error"]["code"], "E_UNCERTAIN_RULE");
    // A caller's full tariff replaces the pack's.
    let dir = std::env::temp_dir().join(format!("xborder-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("tariff.csv");
    std::fs::write(
        &csv,
        "hs,duty,description,source,checked\n99,5%,Everything,test tariff,2026-11-28\n",
    )
    .unwrap();
    let over = GOOD
        .replace("\"20.00\"", "\"200.00\"")
        .replace("610910", "999999");
    let out = xborder(
        &["assess", "--tariff", &format!("EU={}", csv.display())],
        Some(over.as_bytes()),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(lines(&out)[0]["duty_total"], "10.00");
    assert_eq!(
        xborder(
            &["assess", "--tariff", csv.to_str().unwrap(), "-"],
            Some(b"")
        )
        .status
        .code(),
        Some(2)
    );
}

#[test]
fn regimes_and_explain() {
    let out = xborder(&["regimes"], None);
    let text = String::from_utf8(out.stdout).unwrap();
    for v in [
        "EU@2021-07-01",
        "EU@2026-07-01",
        "GB@2021-01-01",
        "CA@2021-01-01",
        "US@2021-01-01",
    ] {
        assert!(text.contains(v), "{text}");
    }
    let out = xborder(&["regimes", "--json"], None);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    // One entry per pack in regimes/ (every pack is embedded).
    let packs = std::fs::read_dir("../regimes")
        .or_else(|_| std::fs::read_dir("regimes"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().join("pack.json").exists())
        .count();
    assert_eq!(v.as_array().unwrap().len(), packs);

    let out = xborder(
        &[
            "explain",
            "--rates",
            "examples/rates/sample-rates.json",
            "examples/declarations/eu-cat3-ioss-usd.json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Category 3 (low_value_dutiable)"), "{text}");
    assert!(text.contains("source:") && text.contains("rule:"), "{text}");
    assert!(text.contains("1 USD = 0.86 EUR"), "{text}");
}

#[test]
fn parallel_streams_keep_input_order_across_chunks() {
    let mut input = String::new();
    for i in 0..3000 {
        let line = if i % 7 == 3 {
            format!("{{\"id\":\"r{i}\",\"broken\":true}}")
        } else {
            GOOD.replace("ok-1", &format!("r{i}"))
        };
        input.push_str(&line);
        input.push('\n');
        if i % 100 == 0 {
            input.push('\n');
        }
    }
    for threads in ["1", "3"] {
        let out = xborder(
            &["assess", "--threads", threads, "-"],
            Some(input.as_bytes()),
        );
        assert_eq!(out.status.code(), Some(1));
        let r = lines(&out);
        assert_eq!(r.len(), 3000);
        for (i, rec) in r.iter().enumerate() {
            assert_eq!(rec["id"], format!("r{i}"), "threads {threads}");
            assert_eq!(rec.get("error").is_some(), i % 7 == 3);
        }
    }
}
