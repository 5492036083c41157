//! The direct result writer (`Assessment::write_json`) against serde_json's derived
//! serializer, which defined the output bytes before it (issue 16): every conformance vector
//! with its options, the determinism batch with and without the trace, and generated
//! declarations must give the same bytes both ways.

#[path = "../../tests/determinism/batch.rs"]
mod batch;
mod common;

use proptest::prelude::*;
use serde_json::{json, Value};
use xborder::{AssessOptions, Assessment, Engine};

/// Every declaration here is assessed with the sample rate table, whatever its vector asks.
fn engine() -> &'static Engine {
    common::sample_engine()
}

fn same_bytes(a: &Assessment) -> Result<(), String> {
    let mut direct = Vec::new();
    a.write_json(&mut direct);
    let serde = serde_json::to_vec(a).unwrap();
    if direct == serde {
        Ok(())
    } else {
        Err(format!(
            "{}: the writers differ\n direct: {}\n  serde: {}",
            a.id,
            String::from_utf8_lossy(&direct),
            String::from_utf8_lossy(&serde)
        ))
    }
}

#[test]
fn every_vector_writes_as_serde_does() {
    let mut checked = 0;
    for vector in common::vectors() {
        let text = vector.declaration();
        let options = vector.options();
        for trace in [false, true] {
            let options = AssessOptions {
                trace,
                ..options.clone()
            };
            if let Ok(a) = engine().assess_json(&text, &options) {
                same_bytes(&a).unwrap_or_else(|e| panic!("{}: {e}", vector.file.display()));
                checked += 1;
            }
        }
    }
    assert!(checked >= 80, "only {checked} vectors assessed");
}

#[test]
fn the_determinism_batch_writes_as_serde_does() {
    let batch = batch::ndjson(common::repo(), 7);
    let mut checked = 0;
    for (i, line) in batch.split(|&b| b == b'\n').enumerate() {
        let Ok(text) = std::str::from_utf8(line) else {
            continue;
        };
        // The trace on one line in ten keeps the test quick.
        let options = AssessOptions {
            trace: i % 10 == 0,
            ..AssessOptions::default()
        };
        if let Ok(a) = engine().assess_json(text, &options) {
            same_bytes(&a).unwrap();
            checked += 1;
        }
    }
    assert!(checked >= 6_000, "only {checked} declarations assessed");
}

fn declaration() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(vec!["FR", "DE", "GB", "US", "AU", "CA", "BR", "JP", "CH"]),
        prop::sample::select(vec!["2021-07-01", "2024-09-01", "2026-03-15", "2026-07-01"]),
        prop::sample::select(vec!["EUR", "GBP", "USD", "CNY"]),
        prop::collection::vec(
            (
                prop::sample::select(vec!["610910", "640351", "420221", "851713", "61091000"]),
                0u64..500_000,
                "[a-z \"\\\\\\x01é\u{2028}]{0,12}",
            ),
            1..5,
        ),
        "[A-Za-z0-9\"\\\\\\x00-\\x1f\u{7f}]{1,20}",
        (any::<bool>(), any::<bool>()),
    )
        .prop_map(|(dest, date, currency, items, id, (ioss, ddp))| {
            let items: Vec<Value> = items
                .into_iter()
                .map(|(hs, cents, description)| {
                    json!({"description": description, "hs_code": hs, "quantity": 2,
                           "value": format!("{}.{:02}", cents / 100, cents % 100), "origin": "CN"})
                })
                .collect();
            let mut d = json!({
                "id": id, "date": date, "destination": dest, "channel": "postal",
                "currency": currency, "items": items, "shipping": "4.50",
                "seller": {"name": "S", "country": "CN", "registrations": []},
                "consignee": {"name": "C", "country": dest},
                "incoterm": if ddp { "DDP" } else { "DAP" },
            });
            if ioss {
                d["seller"]["registrations"] =
                    json!([{"scheme": "IOSS", "number": "IM2500000001"}]);
            }
            d
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn generated_declarations_write_as_serde_does(d in declaration(), trace: bool) {
        let options = AssessOptions { trace, ..AssessOptions::default() };
        if let Ok(a) = engine().assess_json(&d.to_string(), &options) {
            prop_assert!(same_bytes(&a).is_ok(), "{}", same_bytes(&a).unwrap_err());
        }
    }
}
