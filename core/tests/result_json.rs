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
    let checked = common::each_vector_result(engine(), |vector, a| {
        same_bytes(a).unwrap_or_else(|e| panic!("{}: {e}", vector.file.display()))
    });
    assert!(checked >= 80, "only {checked} vectors assessed");
}

#[test]
fn the_determinism_batch_writes_as_serde_does() {
    let batch = batch::ndjson(common::repo(), 7);
    let checked = common::each_batch_result(engine(), &batch, |a| same_bytes(a).unwrap());
    assert!(checked >= 6_000, "only {checked} declarations assessed");
}

/// Every assessed vector (with and without the trace) made longer than any room the writer
/// starts with: its lines repeated, its texts long and full of bytes that take six bytes
/// escaped, its tax lines' item lists long. The writer reserves room from the counts and the
/// messages' lengths, not from the escaped lengths, so all of these run out of it.
#[test]
fn results_longer_than_their_room_write_as_serde_does() {
    let mut checked = 0;
    for vector in common::vectors() {
        let text = vector.declaration();
        for trace in [false, true] {
            let options = AssessOptions {
                trace,
                ..vector.options()
            };
            let Ok(a) = engine().assess_json(&text, &options) else {
                continue;
            };
            // With the trace (written by serde_json after the findings), one shape is enough.
            let shapes: &[(usize, usize)] = if trace {
                &[(3, 3)]
            } else {
                &[(2, 2), (30, 1), (1, 30)]
            };
            for &(texts, lines) in shapes {
                same_bytes(&longer(&a, texts, lines))
                    .unwrap_or_else(|e| panic!("{}: {e}", vector.name));
            }
            checked += 1;
        }
    }
    assert!(checked >= 80, "only {checked} vectors assessed");
}

/// `a` with each of its lines `lines` times, its texts `texts` times longer and hostile.
fn longer(a: &Assessment, texts: usize, lines: usize) -> Assessment {
    let hostile = |s: &str| {
        format!(
            "{}\u{1}\"\u{1f}{}",
            s.repeat(texts),
            "\u{0}".repeat(texts * 8)
        )
    };
    let mut a = a.clone();
    a.id = hostile(&a.id).into();
    a.subdivision = hostile(&a.subdivision).into();
    for finding in &mut a.findings {
        finding.message = hostile(&finding.message).into();
    }
    for reason in &mut a.release.reasons {
        reason.message = hostile(&reason.message).into();
    }
    for tax in &mut a.taxes {
        tax.items = (0..lines * 20).map(|i| usize::MAX - i).collect();
    }
    repeat(&mut a.duties, lines);
    repeat(&mut a.taxes, lines);
    repeat(&mut a.fees, lines);
    repeat(&mut a.findings, lines);
    repeat(&mut a.release.reasons, lines);
    repeat(&mut a.release.agencies, lines);
    a
}

/// `list`'s elements `times` times over.
fn repeat<T: Clone>(list: &mut Vec<T>, times: usize) {
    *list = (0..times).flat_map(|_| list.iter().cloned()).collect();
}

/// Results written one after the other into one buffer, as a stream writes them, give the
/// bytes each gives alone: the room reserved past one result's end is given back.
#[test]
fn results_written_into_one_buffer_follow_each_other() {
    let mut all = Vec::new();
    let mut expected = Vec::new();
    for vector in common::vectors() {
        let Ok(a) = engine().assess_json(&vector.declaration(), &vector.options()) else {
            continue;
        };
        for a in [longer(&a, 3, 3), a] {
            a.write_json(&mut all);
            all.push(b'\n');
            expected.extend(serde_json::to_vec(&a).unwrap());
            expected.push(b'\n');
        }
    }
    assert!(
        all == expected,
        "the stream differs from the results written alone"
    );
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
