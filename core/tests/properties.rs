//! Invariants that must hold for every input (proptest).

mod common;

use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use xborder::{AssessOptions, Assessment, Engine};

fn engine() -> &'static Engine {
    common::sample_engine()
}

/// Money-shaped amounts: scale 0-2, up to 5 000 — not rust_decimal's full range.
fn money() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u64..500_000).prop_map(|cents| format!("{}.{:02}", cents / 100, cents % 100)),
        (0u64..5_000).prop_map(|units| units.to_string()),
        Just("150.00".to_string()),
        Just("150.01".to_string()),
        Just("135.00".to_string()),
        Just("45.00".to_string()),
    ]
}

fn hs_code() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "610910", "611020", "610510", "640351", "420221", "851713", "95030075", "61091000",
        "999999",
    ])
    .prop_map(String::from)
}

fn item() -> impl Strategy<Value = Value> {
    (
        hs_code(),
        1u32..6,
        money(),
        prop::sample::select(vec!["sale", "sale", "sale", "gift", "sample", "document"]),
        prop::option::of(0u32..5000),
    )
        .prop_map(|(hs, q, value, nature, grams)| {
            let mut item = json!({"description": "goods", "quantity": q, "value": value, "origin": "CN", "nature": nature});
            if nature != "document" {
                item["hs_code"] = Value::from(hs);
            }
            if let Some(g) = grams {
                item["net_mass_kg"] = Value::from(format!("{}.{:03}", g / 1000, g % 1000));
            }
            item
        })
}

fn declaration() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(vec!["FR", "DE", "IE", "AT", "NL", "FI", "GB", "GB", "ZZ"]),
        prop::sample::select(vec![
            "2021-07-01", "2023-05-10", "2024-09-01", "2026-03-15", "2026-06-30", "2026-07-01", "2026-11-28", "2020-01-01",
        ]),
        prop::sample::select(vec!["B2C", "B2C", "C2C", "B2B"]),
        prop::sample::select(vec!["postal", "express", "freight"]),
        prop::sample::select(vec!["EUR", "GBP", "USD", "CNY"]),
        prop::collection::vec(item(), 1..5),
        money(),
        (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()),
    )
        .prop_map(|(dest, date, tx, channel, currency, items, shipping, flags)| {
            let (ioss, marketplace, sa, ddp, tax_id) = flags;
            let mut d = json!({
                "id": "p", "date": date, "destination": dest, "transaction": tx, "channel": channel,
                "currency": currency, "items": items, "shipping": shipping,
                "seller": {"name": "S", "country": "CN", "registrations": []},
                "consignee": {"name": "C", "country": dest},
                "incoterm": if ddp { "DDP" } else { "DAP" },
            });
            if ioss {
                d["seller"]["registrations"] = json!([{"scheme": "IOSS", "number": "IM2500000001"}, {"scheme": "GB_VAT", "number": "GB123456789"}]);
            }
            if marketplace {
                d["marketplace"] = json!({"name": "M", "registrations": [{"scheme": "IOSS", "number": "IM2500000002"}]});
            }
            if sa {
                d["carrier"] = json!({"name": "Post", "kind": "postal", "schemes": ["EU_SA"]});
            }
            if tax_id {
                d["consignee"]["tax_id"] = Value::from("X123");
            }
            d
        })
}

fn dec(a: &xborder::Amount) -> Decimal {
    a.0
}

fn check_invariants(r: &Assessment) -> Result<(), TestCaseError> {
    let all = [
        r.intrinsic_value,
        r.customs_value,
        r.duty_total,
        r.tax_total,
        r.fee_total,
        r.due_at_sale,
        r.due_at_import,
        r.total_payable,
        r.landed_cost,
    ];
    for a in all
        .iter()
        .chain(r.duties.iter().flat_map(|d| [&d.base, &d.amount]))
        .chain(r.taxes.iter().flat_map(|t| [&t.base, &t.amount]))
        .chain(r.fees.iter().map(|f| &f.amount))
    {
        prop_assert!(
            !a.0.is_sign_negative() || a.0.is_zero(),
            "negative amount {a:?} in {r:?}"
        );
        prop_assert_eq!(
            a.0.scale(),
            2,
            "amount {} not at the currency's precision",
            a.0
        );
    }
    let sum = |it: &mut dyn Iterator<Item = Decimal>| it.fold(Decimal::ZERO, |a, b| a + b);
    prop_assert_eq!(
        sum(&mut r.duties.iter().map(|d| dec(&d.amount))),
        dec(&r.duty_total)
    );
    prop_assert_eq!(
        sum(&mut r.taxes.iter().map(|t| dec(&t.amount))),
        dec(&r.tax_total)
    );
    prop_assert_eq!(
        sum(&mut r.fees.iter().map(|f| dec(&f.amount))),
        dec(&r.fee_total)
    );
    prop_assert_eq!(
        dec(&r.duty_total) + dec(&r.tax_total) + dec(&r.fee_total),
        dec(&r.total_payable)
    );
    prop_assert_eq!(
        dec(&r.due_at_sale) + dec(&r.due_at_import),
        dec(&r.total_payable)
    );
    prop_assert!(dec(&r.landed_cost) >= dec(&r.intrinsic_value) + dec(&r.total_payable));
    prop_assert!(dec(&r.customs_value) >= dec(&r.intrinsic_value));
    // VAT charged at sale is never charged again at import.
    let at_sale = r
        .taxes
        .iter()
        .any(|t| t.charged == xborder::regime::pack::TaxPoint::AtSale);
    let at_import = r
        .taxes
        .iter()
        .any(|t| t.charged == xborder::regime::pack::TaxPoint::AtImport && !t.amount.0.is_zero());
    prop_assert!(
        !(at_sale && at_import),
        "tax charged both at sale and at import: {r:?}"
    );
    match r.category.code {
        1 => prop_assert!(r.total_payable.0.is_zero() || !r.fees.is_empty()),
        2 => prop_assert!(r.duty_total.0.is_zero() && r.tax_total.0.is_zero()),
        3 => prop_assert!(!(r.duty_total.0.is_zero() && r.tax_total.0.is_zero())),
        4 => {}
        c => prop_assert!(false, "category {c}"),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]

    /// Amounts never negative, totals equal the sum of their parts, precision is the currency's.
    #[test]
    fn totals_add_up(d in declaration()) {
        let text = d.to_string();
        if let Ok(r) = engine().assess_json(&text, &AssessOptions::default()) {
            check_invariants(&r)?;
        }
    }

    /// The same input always gives the same output, and asking for a trace changes nothing else.
    #[test]
    fn deterministic_and_trace_neutral(d in declaration()) {
        let text = d.to_string();
        let (a, _) = engine().assess_to_json(&text, &AssessOptions::default());
        let (b, _) = engine().assess_to_json(&text, &AssessOptions::default());
        prop_assert_eq!(&a, &b);
        let (traced, _) = engine().assess_to_json(&text, &AssessOptions::traced());
        let mut traced: Value = serde_json::from_str(&traced).unwrap();
        if let Some(o) = traced.as_object_mut() {
            if let Some(t) = o.remove("trace") {
                prop_assert!(t.as_array().is_some_and(|s| !s.is_empty()));
            }
        }
        prop_assert_eq!(traced, serde_json::from_str::<Value>(&a).unwrap());
    }

    /// No input panics: arbitrary text, and valid declarations with one field replaced by junk.
    #[test]
    fn no_input_panics(text in ".{0,400}") {
        let (json, _) = engine().assess_to_json(&text, &AssessOptions::default());
        prop_assert!(serde_json::from_str::<Value>(&json).is_ok());
    }

    #[test]
    fn mutated_declarations_never_panic(d in declaration(), field in 0usize..12, junk in prop_oneof![
        Just(Value::Null), Just(json!(-1)), Just(json!("-5.00")), Just(json!("1e9")), Just(json!(1.5)),
        Just(json!("99999999999999999999")), Just(json!([])), Just(json!({})), Just(json!("")),
        Just(json!("0.00001")), ".{0,20}".prop_map(Value::from),
    ]) {
        let mut d = d;
        let keys = ["id", "date", "destination", "currency", "shipping", "insurance", "transaction", "channel", "incoterm", "items", "seller", "consignee"];
        d[keys[field]] = junk.clone();
        if let Some(items) = d["items"].as_array_mut() {
            if let Some(first) = items.first_mut() {
                first["value"] = junk;
            }
        }
        let (json, err) = engine().assess_to_json(&d.to_string(), &AssessOptions::default());
        let v: Value = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(v.get("error").is_some(), err.is_some());
    }
}
