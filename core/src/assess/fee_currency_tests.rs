//! Fees fixed in another currency than the pack's (a Fee's `currency`), on the EU pack with
//! one fee added: conversion at the caller's rate on the assessment date, the regime's exchange
//! rounding, min/max converted too, the trace, and a clear error when no rate is in force.

use serde_json::{json, Value};

use crate::{AssessOptions, Engine, ErrorCode};

const EU_PACK: &str = include_str!("../../../regimes/EU/pack.json");

/// USD→EUR from 2025-01-01 at a rate that puts a converted figure on half a cent.
const RATES: &str = r#"{"label": "test", "source": "test rates", "rates": [
  {"from": "USD", "to": "EUR", "valid_from": "2024-01-01", "rate": "0.9"},
  {"from": "USD", "to": "EUR", "valid_from": "2025-01-01", "rate": "0.905"}
]}"#;

fn pack_with_fee(fee: Value) -> String {
    let mut pack: Value = serde_json::from_str(EU_PACK).unwrap();
    for v in pack["versions"].as_array_mut().unwrap() {
        v["fees"] = json!([fee.clone()]);
    }
    pack.to_string()
}

fn fee(extra: Value) -> Value {
    let mut f = json!({"id": "USD_FEE", "kind": "processing", "name": "t", "amount": "4.50",
        "per": "line", "payer": "consignee", "source": "t", "checked": "2026-11-29"});
    for (k, v) in extra.as_object().unwrap() {
        f[k] = v.clone();
    }
    f
}

fn engine(fee: Value, rates: bool) -> Engine {
    let b = Engine::builder().regime_json(pack_with_fee(fee));
    let b = if rates {
        b.rates_json(RATES)
    } else {
        b.without_builtin_rates()
    };
    b.build().unwrap()
}

fn decl(date: &str, lines: usize) -> String {
    let items: Vec<Value> = (0..lines)
        .map(|_| json!({"description": "T-shirt", "hs_code": "610910", "quantity": 1, "value": "20.00", "origin": "CN"}))
        .collect();
    json!({
        "id": "t", "date": date, "destination": "DE", "currency": "EUR", "items": items,
        "seller": {"name": "S", "country": "CN"},
        "consignee": {"name": "C", "country": "DE", "address": {"line1": "1", "city": "B", "postcode": "1", "country": "DE"}}
    })
    .to_string()
}

#[test]
fn fee_in_another_currency_is_converted_at_the_rate_of_the_day_and_rounded() {
    let e = engine(fee(json!({"currency": "USD"})), true);
    // USD 4.50 × 0.905 = 4.0725 → EUR 4.07 (exchange rounding half-up to the cent), per line.
    let r = e
        .assess_json(&decl("2025-05-01", 2), &AssessOptions::traced())
        .unwrap();
    assert_eq!(r.fee_total.to_string(), "8.14");
    assert_eq!(r.fees[0].amount.to_string(), "8.14");
    let step = r
        .trace
        .iter()
        .flatten()
        .find(|s| s.step == crate::trace::Step::Fee)
        .expect("a fee step");
    assert!(
        step.detail
            .contains("4.50 USD at 1 USD = 0.905 EUR, rate in force from 2025-01-01"),
        "{}",
        step.detail
    );
    // The rate in force on the assessment date, not the newest one.
    let r = e
        .assess_json(&decl("2024-06-01", 1), &AssessOptions::default())
        .unwrap();
    assert_eq!(r.fee_total.to_string(), "4.05"); // 4.50 × 0.9
}

#[test]
fn min_and_max_are_converted_with_the_amount() {
    // USD 1 per line, at least USD 5, at most USD 7: converted 0.91 (0.905 rounded half-up),
    // 4.53 (4.525) and 6.34 (6.335).
    let f = fee(json!({"currency": "USD", "amount": "1", "min": "5", "max": "7"}));
    let e = engine(f, true);
    let r = e
        .assess_json(&decl("2025-05-01", 1), &AssessOptions::default())
        .unwrap();
    assert_eq!(r.fee_total.to_string(), "4.53");
    let r = e
        .assess_json(&decl("2025-05-01", 9), &AssessOptions::default())
        .unwrap();
    assert_eq!(r.fee_total.to_string(), "6.34"); // 9 × 0.91 = 8.19, clamped
}

#[test]
fn missing_rate_is_an_error_naming_the_fee() {
    let e = engine(fee(json!({"currency": "USD"})), false);
    let err = e
        .assess_json(&decl("2025-05-01", 1), &AssessOptions::default())
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::NoExchangeRate);
    assert_eq!(err.path.as_deref(), Some("fees.USD_FEE.currency"));
    assert!(err.message.contains("USD→EUR"), "{}", err.message);
    // Before the first rate of the caller's table, too: the caller's table answers for the
    // pair, so the official ECB rate of that month does not stand in.
    let e = engine(fee(json!({"currency": "USD"})), true);
    let err = e
        .assess_json(&decl("2023-05-01", 1), &AssessOptions::default())
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::NoExchangeRate);
    assert!(
        err.message.contains("caller's table answers"),
        "{}",
        err.message
    );
}

#[test]
fn without_a_callers_rate_the_official_table_converts_the_fee() {
    // The EU pack names the ECB table: USD 4.50 on 2025-05-01 at the ECB rate of 2025-04-23
    // (1.1415 USD per EUR): 4.50 ÷ 1.1415 = 3.9422… → EUR 3.94.
    let e = Engine::builder()
        .regime_json(pack_with_fee(fee(json!({"currency": "USD"}))))
        .build()
        .unwrap();
    let r = e
        .assess_json(&decl("2025-05-01", 1), &AssessOptions::traced())
        .unwrap();
    assert_eq!(r.fee_total.to_string(), "3.94");
    let trace = serde_json::to_string(&r.trace).unwrap();
    assert!(
        trace.contains("4.50 USD at 1 EUR = 1.1415 USD, ECB 2025-04-23 (Art. 146 UCC-IA)"),
        "{trace}"
    );
}

#[test]
fn pack_currency_or_no_currency_needs_no_rate() {
    for extra in [json!({"currency": "EUR"}), json!({})] {
        let e = engine(fee(extra), false);
        let r = e
            .assess_json(&decl("2025-05-01", 1), &AssessOptions::default())
            .unwrap();
        assert_eq!(r.fee_total.to_string(), "4.50");
    }
}

#[test]
fn a_fee_that_does_not_apply_needs_no_rate() {
    // Conversion happens only for a fee that is charged: a postal-only fee on an express
    // parcel must not fail for want of a rate.
    let e = engine(
        fee(json!({"currency": "USD", "channels": ["postal"]})),
        false,
    );
    let r = e
        .assess_json(&decl("2025-05-01", 1), &AssessOptions::default())
        .unwrap();
    assert_eq!(r.fee_total.to_string(), "0.00");
}

#[test]
fn an_unknown_fee_currency_is_rejected_when_the_pack_loads() {
    let err = Engine::builder()
        .regime_json(pack_with_fee(fee(json!({"currency": "usd"}))))
        .build()
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidPack);
    assert!(
        err.path
            .as_deref()
            .is_some_and(|p| p.ends_with("fees[0].currency")),
        "{:?}",
        err.path
    );
}
