//! Split-consignment detection: the ledger flags groups that cross a threshold together.

use rust_decimal::Decimal;
use serde_json::{json, Value};
use xborder::ledger::{SplitFlag, SplitLedger};
use xborder::release::Decision;
use xborder::risk::SplitRule;
use xborder::{AssessOptions, Declaration, Engine};

fn decl(id: &str, lodged: &str, value: &str, seller: &str, buyer: &str) -> Declaration {
    serde_json::from_value(json!({
        "id": id, "date": &lodged[..10], "destination": "DE", "currency": "EUR",
        "items": [{"description": "Cotton T-shirt", "hs_code": "610910", "quantity": 1,
                   "value": value, "origin": "CN"}],
        "shipping": "5.00",
        "seller": {"name": seller, "country": "CN",
                   "registrations": [{"scheme": "IOSS", "number": "IM2500000001"}]},
        "consignee": {"name": buyer, "country": "DE",
                      "address": {"line1": "Hauptstr. 1", "city": "Berlin", "postcode": "10115", "country": "DE"}},
        "lodged_at": lodged, "arrival_at": "2026-03-20T00:00:00Z"
    }))
    .unwrap()
}

fn eu_rule(engine: &Engine) -> SplitRule {
    engine
        .risk_profile("EU")
        .and_then(|p| p.split_consignments.clone())
        .expect("the EU sample profile has a split rule")
}

fn feed(engine: &Engine, ledger: &mut SplitLedger, d: &Declaration) -> Option<SplitFlag> {
    let r = engine.assess(d, &AssessOptions::default()).unwrap();
    ledger
        .record(engine, &AssessOptions::default(), d, &r)
        .unwrap()
}

#[test]
fn same_seller_same_buyer_same_day_above_the_threshold_is_flagged() {
    let engine = Engine::embedded().unwrap();
    let mut ledger = SplitLedger::new(eu_rule(&engine));
    assert!(feed(
        &engine,
        &mut ledger,
        &decl(
            "a",
            "2026-03-15T08:00:00Z",
            "100.00",
            "Shop Ltd",
            "Anna Berg"
        )
    )
    .is_none());
    // Another buyer: no group.
    assert!(feed(
        &engine,
        &mut ledger,
        &decl(
            "x",
            "2026-03-15T09:00:00Z",
            "90.00",
            "Shop Ltd",
            "Karl Kurz"
        )
    )
    .is_none());
    // Same pair, names written differently: 100 + 80 = 180 > 150.
    let flag = feed(
        &engine,
        &mut ledger,
        &decl(
            "b",
            "2026-03-15T20:00:00Z",
            "80.00",
            "SHOP, LTD.",
            "anna  berg",
        ),
    )
    .expect("the second parcel completes a split");
    assert_eq!(flag.code.as_ref(), "R_EU_SPLIT_CONSIGNMENT");
    assert_eq!(flag.ids, ["a", "b"]);
    assert_eq!(flag.combined_value.0.to_string(), "180.00");
    assert_eq!(flag.threshold.0.to_string(), "150.00");
    assert!(
        flag.aggregate.is_none(),
        "EU law tests each consignment: flag only"
    );
    assert!(flag.message.contains("a, b"));

    // The host adds the flag to the release decision.
    let d = decl(
        "b",
        "2026-03-15T20:00:00Z",
        "80.00",
        "SHOP, LTD.",
        "anna  berg",
    );
    let mut r = engine.assess(&d, &AssessOptions::default()).unwrap();
    assert_eq!(r.release.decision, Decision::ImmediateRelease);
    flag.apply(&mut r.release);
    assert_eq!(r.release.decision, Decision::DocumentaryCheck);
    assert_eq!(
        r.release.reasons.last().unwrap().code.as_ref(),
        "R_EU_SPLIT_CONSIGNMENT"
    );
}

#[test]
fn outside_the_window_or_over_the_threshold_alone_is_not_a_split() {
    let engine = Engine::embedded().unwrap();
    let mut ledger = SplitLedger::new(eu_rule(&engine));
    feed(
        &engine,
        &mut ledger,
        &decl("a", "2026-03-15T08:00:00Z", "100.00", "Shop", "Anna"),
    );
    // 24 h 1 min later: outside the 24-hour window.
    assert!(feed(
        &engine,
        &mut ledger,
        &decl("b", "2026-03-16T08:01:00Z", "100.00", "Shop", "Anna")
    )
    .is_none());
    // Exactly at the threshold together: 100 + 50 = 150 is not above 150.
    assert!(feed(
        &engine,
        &mut ledger,
        &decl("c", "2026-03-16T09:00:00Z", "50.00", "Shop", "Anna")
    )
    .is_none());
    // A consignment over the threshold on its own hides nothing.
    assert!(feed(
        &engine,
        &mut ledger,
        &decl("d", "2026-03-16T10:00:00Z", "400.00", "Shop", "Anna")
    )
    .is_none());
    // The window has forgotten "a".
    assert!(ledger.len() <= 3);
}

#[test]
fn memory_is_bounded_by_max_entries() {
    let engine = Engine::embedded().unwrap();
    let mut rule = eu_rule(&engine);
    rule.max_entries = 3;
    let mut ledger = SplitLedger::new(rule);
    feed(
        &engine,
        &mut ledger,
        &decl("a", "2026-03-15T08:00:00Z", "100.00", "Shop", "Anna"),
    );
    for i in 0..10 {
        feed(
            &engine,
            &mut ledger,
            &decl(
                &format!("n{i}"),
                "2026-03-15T09:00:00Z",
                "10.00",
                "Shop",
                &format!("Buyer {i}"),
            ),
        );
        assert!(ledger.len() <= 3);
    }
    // "a" was forgotten, so its pair's second parcel is not grouped with it.
    assert!(feed(
        &engine,
        &mut ledger,
        &decl("b", "2026-03-15T10:00:00Z", "100.00", "Shop", "Anna")
    )
    .is_none());
}

#[test]
fn a_same_day_aggregation_rule_reassesses_the_group() {
    let engine = Engine::embedded().unwrap();
    let mut rule = eu_rule(&engine);
    rule.reassess = true;
    let mut ledger = SplitLedger::new(rule);
    let a = decl("a", "2026-03-15T08:00:00Z", "100.00", "Shop", "Anna");
    let b = decl("b", "2026-03-15T12:00:00Z", "100.00", "Shop", "Anna");
    let paid: Decimal = [&a, &b]
        .iter()
        .map(|d| {
            engine
                .assess(d, &AssessOptions::default())
                .unwrap()
                .total_payable
                .0
        })
        .sum();
    assert!(feed(&engine, &mut ledger, &a).is_none());
    let flag = feed(&engine, &mut ledger, &b).unwrap();
    let aggregate = flag.aggregate.as_ref().expect("re-assessed");
    // Combined: EUR 200 intrinsic is above EUR 150, so IOSS no longer applies and the group
    // pays duty and import VAT at the border.
    assert_eq!(aggregate.id.as_str(), "b+split");
    assert_eq!(aggregate.intrinsic_value.0.to_string(), "200.00");
    assert_eq!(aggregate.category.code, 4);
    assert_eq!(aggregate.collection.scheme, None);
    let combined: Value = serde_json::to_value(aggregate).unwrap();
    assert_eq!(
        combined["items"],
        Value::Null,
        "the result, not the declaration"
    );
    let expected = aggregate.total_payable.0 - paid;
    assert!(expected > Decimal::ZERO);
    assert_eq!(flag.additional_payable.unwrap().0, expected);
    assert!(flag.message.contains(&format!("they owe {expected} more")));
}
