//! Returns and refunds: what the rules allow, at the original date's rules, never more than
//! what was paid.

use rust_decimal::Decimal;
use serde_json::{json, Value};
use xborder::{AssessOptions, Engine, ErrorCode};

fn border_de(date: &str) -> Value {
    json!({
        "id": "orig-1", "date": date, "destination": "DE", "currency": "EUR",
        "items": [
            {"description": "Cotton T-shirt", "hs_code": "610910", "quantity": 3, "value": "300.00", "origin": "CN"},
            {"description": "Cotton jersey", "hs_code": "611020", "quantity": 1, "value": "100.00", "origin": "CN"}
        ],
        "seller": {"name": "Shop", "country": "CN"},
        "consignee": {"name": "Anna", "country": "DE"}
    })
}

fn refund(engine: &Engine, ret: Value) -> Value {
    let r = engine
        .refund_json(&ret.to_string(), &AssessOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    serde_json::to_value(r).unwrap()
}

fn component<'a>(r: &'a Value, name: &str) -> &'a Value {
    r["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["component"] == name)
        .unwrap_or_else(|| panic!("no {name} in {r:#}"))
}

#[test]
fn a_defective_item_gets_its_duty_and_import_vat_back() {
    let engine = Engine::embedded().unwrap();
    // Original: duty 12 % x 300 = 36.00 and 12 % x 100 = 12.00; VAT 19 % x (400 + 48) = 85.12.
    let r = refund(
        &engine,
        json!({
            "id": "ret-1", "original": border_de("2026-03-15"), "returned_on": "2026-04-02",
            "reason": "defective", "items": [{"item": 0, "quantity": 1}]
        }),
    );
    // One T-shirt of three: duty 36.00 / 3 = 12.00; VAT 19 % x (100 + 12) = 21.28.
    assert_eq!(component(&r, "duty")["assessed"], "48.00");
    assert_eq!(component(&r, "duty")["refund"], "12.00");
    assert_eq!(component(&r, "duty")["refunded_by"], "customs");
    assert_eq!(component(&r, "tax_at_import")["assessed"], "85.12");
    assert_eq!(component(&r, "tax_at_import")["refund"], "21.28");
    assert_eq!(r["total_refund"], "33.28");
    assert_eq!(r["regime_version"], "EU@2021-07-01");
    assert!(component(&r, "duty")["source"]
        .as_str()
        .unwrap()
        .contains("Article 118"));
}

#[test]
fn withdrawal_and_lateness_do_not_qualify_for_customs_repayment() {
    let engine = Engine::embedded().unwrap();
    let base = json!({"id": "ret-2", "original": border_de("2026-03-15"), "returned_on": "2026-04-02",
                      "reason": "withdrawal", "items": [{"item": 1}]});
    let r = refund(&engine, base.clone());
    assert_eq!(component(&r, "duty")["refund"], "0.00");
    assert_eq!(component(&r, "duty")["returned_share"], "12.00");
    assert!(component(&r, "duty")["explanation"]
        .as_str()
        .unwrap()
        .contains("withdrawal does not qualify"));
    assert_eq!(r["total_refund"], "0.00");

    // One year from the original date: 2027-03-15 is the last day.
    let mut late = base.clone();
    late["reason"] = json!("defective");
    late["returned_on"] = json!("2027-03-15");
    assert_eq!(refund(&engine, late.clone())["total_refund"], "33.28"); // 12.00 + 19 % x 112
    late["returned_on"] = json!("2027-03-16");
    let r = refund(&engine, late);
    assert_eq!(r["total_refund"], "0.00");
    assert!(component(&r, "duty")["explanation"]
        .as_str()
        .unwrap()
        .contains("12-month limit ending 2027-03-15"));
}

#[test]
fn ioss_vat_is_refunded_by_the_seller_for_any_return() {
    let engine = Engine::embedded().unwrap();
    let original = json!({
        "id": "ioss-1", "date": "2026-03-15", "destination": "DE", "currency": "EUR",
        "items": [{"description": "Cotton T-shirt", "hs_code": "610910", "quantity": 1, "value": "40.00", "origin": "CN"}],
        "shipping": "5.00",
        "seller": {"name": "Shop", "country": "CN", "registrations": [{"scheme": "IOSS", "number": "IM2500000001"}]},
        "consignee": {"name": "Anna", "country": "DE"}
    });
    let r = refund(
        &engine,
        json!({"id": "ret-3", "original": original, "returned_on": "2026-05-01",
                                   "reason": "withdrawal", "items": [{"item": 0}]}),
    );
    let vat = component(&r, "tax_at_sale");
    assert_eq!(vat["refund"], "8.55"); // 19 % x 45.00, shipping included: the whole sale is undone
    assert_eq!(vat["refunded_by"], "seller");
    assert_eq!(
        r["components"].as_array().unwrap().len(),
        1,
        "nothing else was charged"
    );
}

#[test]
fn china_cbec_tax_is_refunded_within_30_days_of_release() {
    let engine = Engine::embedded().unwrap();
    // Worked example derived from the CBEC comprehensive-rate formula: order CNY 200,
    // VAT 13 % x 70 % = 18.20 withheld by the platform.
    let original = json!({
        "id": "cbec-1", "date": "2025-12-15", "destination": "CN", "currency": "CNY",
        "items": [{"description": "Cotton T-shirt", "hs_code": "610910", "quantity": 2, "value": "200.00", "origin": "VN"}],
        "seller": {"name": "Platform", "country": "HK", "registrations": [{"scheme": "CN_CBEC", "number": "3120960001"}]},
        "consignee": {"name": "Li Wei", "country": "CN", "tax_id": "110101199003070000"}
    });
    let ret = |on: &str| {
        json!({"id": "ret-cn", "original": original, "returned_on": on,
               "reason": "withdrawal", "items": [{"item": 0, "quantity": 1}]})
    };
    // Day 30 (across the year end) is the last day: half the tax comes back, from customs.
    let r = refund(&engine, ret("2026-01-14"));
    let vat = component(&r, "tax_at_sale");
    assert_eq!(vat["assessed"], "18.20");
    assert_eq!(vat["refund"], "9.10");
    assert_eq!(vat["refunded_by"], "customs");
    // Day 31: too late.
    let late = refund(&engine, ret("2026-01-15"));
    let vat = component(&late, "tax_at_sale");
    assert_eq!(vat["refund"], "0.00");
    assert!(vat["explanation"]
        .as_str()
        .unwrap()
        .contains("after the 30-day limit ending 2026-01-14"));
}

#[test]
fn the_original_dates_rules_apply_not_todays() {
    let engine = Engine::embedded().unwrap();
    // An IOSS consignment of 2026-06-30 had duty relief up to EUR 150; from 2026-07-01 a flat
    // duty applies. Returned in August, it refunds what June charged: no duty.
    let mut original = json!({
        "id": "june", "date": "2026-06-30", "destination": "FR", "currency": "EUR",
        "items": [{"description": "Cotton T-shirt", "hs_code": "610910", "quantity": 1, "value": "20.00", "origin": "CN"}],
        "seller": {"name": "Shop", "country": "CN", "registrations": [{"scheme": "IOSS", "number": "IM2500000001"}]},
        "consignee": {"name": "Anna", "country": "FR"}
    });
    let ret = |o: &Value| json!({"id": "r", "original": o, "returned_on": "2026-08-03", "reason": "defective", "items": [{"item": 0}]});
    let options = AssessOptions {
        date: Some("2026-08-03".parse().unwrap()),
        ..AssessOptions::default()
    };
    let r = serde_json::to_value(
        engine
            .refund_json(&ret(&original).to_string(), &options)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(r["original_date"], "2026-06-30");
    assert!(r["components"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["component"] != "duty"));
    // The same goods sent on 2026-07-01 paid a flat duty, and get it back.
    original["date"] = json!("2026-07-01");
    let r = refund(&engine, ret(&original));
    assert_eq!(r["regime_version"], "EU@2026-07-01");
    let duty = component(&r, "duty");
    assert_eq!(duty["refund"], duty["assessed"]);
    assert!(duty["refund"] != "0.00");
}

#[test]
fn never_more_than_what_was_paid() {
    let engine = Engine::embedded().unwrap();
    let r = refund(
        &engine,
        json!({
            "id": "ret-4", "original": border_de("2026-03-15"), "returned_on": "2026-04-02",
            "reason": "not_as_contracted", "items": [{"item": 0}, {"item": 1}],
            "paid": {"tax_at_import": "50.00"}
        }),
    );
    assert_eq!(component(&r, "duty")["refund"], "48.00");
    let vat = component(&r, "tax_at_import");
    assert_eq!(vat["returned_share"], "85.12");
    assert_eq!(vat["refund"], "50.00");
    assert!(vat["explanation"]
        .as_str()
        .unwrap()
        .contains("capped at 50.00 paid"));
}

#[test]
fn gb_rejected_imports_and_point_of_sale_vat() {
    let engine = Engine::embedded().unwrap();
    let original = json!({
        "id": "gb-1", "date": "2025-10-01", "destination": "GB", "currency": "GBP",
        "items": [{"description": "T-shirt", "hs_code": "610910", "quantity": 2, "value": "40.00", "origin": "US"}],
        "shipping": "4.99",
        "seller": {"name": "US Shop", "country": "US"},
        "marketplace": {"name": "Market", "country": "US", "registrations": [{"scheme": "GB_VAT", "number": "GB123456789"}]},
        "consignee": {"name": "Oliver", "country": "GB"}
    });
    let r = refund(
        &engine,
        json!({"id": "r", "original": original, "returned_on": "2025-10-20",
                                   "reason": "withdrawal", "items": [{"item": 0, "quantity": 1}]}),
    );
    let vat = component(&r, "tax_at_sale");
    assert_eq!(vat["assessed"], "9.00"); // 20 % x 44.99 = 8.998
    assert_eq!(vat["refund"], "4.50");
    assert_eq!(vat["refunded_by"], "marketplace");
}

#[test]
fn bad_returns_are_rejected_with_paths() {
    let engine = Engine::embedded().unwrap();
    let cases = [
        (
            json!([{"item": 5}]),
            "2026-04-02",
            ErrorCode::InvalidValue,
            "items[0].item",
        ),
        (
            json!([{"item": 0, "quantity": 4}]),
            "2026-04-02",
            ErrorCode::InvalidValue,
            "items[0].quantity",
        ),
        (
            json!([{"item": 0}, {"item": 0}]),
            "2026-04-02",
            ErrorCode::InvalidValue,
            "items[1].item",
        ),
        (json!([]), "2026-04-02", ErrorCode::MissingField, "items"),
        (
            json!([{"item": 0}]),
            "2026-03-14",
            ErrorCode::InvalidDate,
            "returned_on",
        ),
    ];
    for (items, on, code, path) in cases {
        let ret = json!({"id": "bad", "original": border_de("2026-03-15"), "returned_on": on,
                         "reason": "defective", "items": items});
        let e = engine
            .refund_json(&ret.to_string(), &AssessOptions::default())
            .unwrap_err();
        assert_eq!((e.code, e.path.as_deref()), (code, Some(path)), "{e}");
    }
    let mut ret = json!({"id": "bad", "original": border_de("2026-03-15"), "returned_on": "2026-04-02",
                         "reason": "defective", "items": [{"item": 0}]});
    ret["original"]["items"][0]["hs_code"] = json!("999999");
    let e = engine
        .refund_json(&ret.to_string(), &AssessOptions::default())
        .unwrap_err();
    assert_eq!(e.path.as_deref(), Some("original.items[0].hs_code"));
    ret["reason"] = json!("bored");
    let e = engine
        .refund_json(&ret.to_string(), &AssessOptions::default())
        .unwrap_err();
    assert_eq!(
        (e.code, e.path.as_deref()),
        (ErrorCode::InvalidValue, Some("reason"))
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// A refund never exceeds what was charged or paid, its total is the sum of its
        /// components, and returning everything for a qualifying reason refunds exactly what
        /// the refundable components charged.
        #[test]
        fn refunds_are_bounded_and_complete(
            v0 in 1u32..200_000, v1 in 1u32..200_000, q0 in 1u32..5,
            back0 in 0u32..5, back1 in any::<bool>(),
            paid_cents in proptest::option::of(0u32..20_000),
            reason in 0usize..4, month in 1u32..=12,
        ) {
            let engine = Engine::embedded().unwrap();
            let mut original = border_de(&format!("2026-{month:02}-10"));
            original["items"][0]["value"] = json!(format!("{}.{:02}", v0 / 100, v0 % 100));
            original["items"][0]["quantity"] = json!(q0);
            original["items"][1]["value"] = json!(format!("{}.{:02}", v1 / 100, v1 % 100));
            let mut items = Vec::new();
            if back0 % (q0 + 1) > 0 {
                items.push(json!({"item": 0, "quantity": back0 % (q0 + 1)}));
            }
            if back1 || items.is_empty() {
                items.push(json!({"item": 1}));
            }
            let everything = items.len() == 2 && back0 % (q0 + 1) == q0;
            let reason_text = ["defective", "not_as_contracted", "withdrawal", "undelivered"][reason];
            let mut ret = json!({"id": "p", "original": original, "returned_on": "2026-12-31",
                                 "reason": reason_text,
                                 "items": items});
            if let Some(p) = paid_cents {
                ret["paid"] = json!({"tax_at_import": format!("{}.{:02}", p / 100, p % 100)});
            }
            let r = refund(&engine, ret);
            let mut sum = Decimal::ZERO;
            for c in r["components"].as_array().unwrap() {
                let d = |k: &str| c[k].as_str().unwrap().parse::<Decimal>().unwrap();
                prop_assert!(d("refund") >= Decimal::ZERO);
                prop_assert!(d("refund") <= d("paid"));
                prop_assert!(d("paid") <= d("assessed"));
                prop_assert!(d("returned_share") <= d("assessed"));
                if everything && reason < 2 && paid_cents.is_none() && c["component"] != "fees" {
                    prop_assert_eq!(d("refund"), d("assessed"), "{}", c);
                }
                sum += d("refund");
            }
            prop_assert_eq!(sum, r["total_refund"].as_str().unwrap().parse::<Decimal>().unwrap());
        }
    }
}

#[test]
fn embedded_return_rules_are_the_files_and_every_rule_has_a_source() {
    let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    for (id, text) in xborder::refund::EMBEDDED {
        let on_disk =
            std::fs::read_to_string(root.join(format!("regimes/{id}/returns.json"))).unwrap();
        assert_eq!(&on_disk, text);
        let rules = xborder::refund::ReturnRules::from_json(text).unwrap();
        assert_eq!(rules.regime, *id);
        for v in &rules.versions {
            for c in [&v.duty, &v.tax_at_import, &v.tax_at_sale, &v.fees] {
                assert!(c.source.len() > 20, "{id}: {}", c.source);
                assert!(["customs", "collector", "none"].contains(&c.refunded_by.as_str()));
                assert_eq!(
                    c.refundable,
                    !c.reasons.is_empty(),
                    "{id}: refundable iff some reason qualifies"
                );
            }
        }
    }
    let broken = xborder::refund::ReturnRules::from_json(r#"{"format":"xborder-returns/1","regime":"EU","versions":[{"from":"2021-07-01","typo":1}]}"#)
        .unwrap_err();
    assert_eq!(broken.code, ErrorCode::InvalidPack);
    assert_eq!(broken.path.as_deref(), Some("versions[0].typo"));
}
