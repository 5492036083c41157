//! Decimal overflow anywhere in the pipeline is `E_OVERFLOW`, never a wrap or a panic: every
//! figure pushed to its limit (`docs/limits.md`), with the reference packs and with a pack and
//! rate table of absurd but valid figures.

use proptest::prelude::*;
use serde_json::{json, Value};
use xborder::{AssessOptions, Engine, ErrorCode};

const MAX_AMOUNT: &str = "999999999999.9999";
const MAX_QUANTITY: &str = "999999999.999999";

/// The embedded packs, whose rates are real (at most 100 %).
fn reference() -> Engine {
    Engine::embedded().unwrap()
}

/// The GB and EU regimes with every duty at the grammar's largest figures, and exchange rates
/// of 10¹² and 10⁻⁴.
fn absurd() -> Engine {
    let line = |hs: &str, cur: &str| {
        format!(
            "{hs},\"999999999999.999999 {cur}/kg + 999999999999.999999 {cur}/item + 999999999999.999999%\",absurd,test,2026-11-28\n"
        )
    };
    let tariff = |cur: &str| {
        format!(
            "hs,duty,description,source,checked\n{}{}{}",
            line("85", cur),
            line("61", cur),
            line("64", cur)
        )
    };
    let rates = json!({"label": "absurd", "source": "test", "rates": [
        {"from": "USD", "to": "GBP", "valid_from": "2020-01-01", "rate": MAX_AMOUNT},
        {"from": "USD", "to": "EUR", "valid_from": "2020-01-01", "rate": MAX_AMOUNT},
        {"from": "JPY", "to": "GBP", "valid_from": "2020-01-01", "rate": "0.0001"},
        {"from": "JPY", "to": "EUR", "valid_from": "2020-01-01", "rate": "0.0001"},
    ]});
    Engine::builder()
        .tariff("GB", tariff("GBP"))
        .tariff("EU", tariff("EUR"))
        .rates_json(rates.to_string())
        .build()
        .unwrap()
}

fn item(hs: &str, value: &str, quantity: &str, mass: &str) -> Value {
    json!({"description": "goods", "hs_code": hs, "quantity": quantity, "value": value,
           "origin": "CN", "net_mass_kg": mass})
}

fn declaration(
    destination: &str,
    currency: &str,
    date: &str,
    items: Vec<Value>,
    extra: &str,
) -> Value {
    json!({
        "id": "overflow", "date": date, "destination": destination, "currency": currency,
        "items": items, "shipping": extra, "insurance": extra,
        "seller": {"name": "Seller", "country": "CN"},
        "consignee": {"name": "Buyer", "country": destination},
    })
}

/// Assesses, checking the output is a document and every amount in it a non-negative decimal.
fn assess(engine: &Engine, d: &Value, traced: bool) -> Result<(), ErrorCode> {
    let options = if traced {
        AssessOptions::traced()
    } else {
        AssessOptions::default()
    };
    let (json, error) = engine.assess_to_json(&d.to_string(), &options);
    let value: Value = serde_json::from_str(&json).unwrap();
    if let Some(e) = error {
        assert_ne!(e.error.code, ErrorCode::Internal, "{e}");
        return Err(e.error.code);
    }
    for key in ["duty_total", "tax_total", "total_payable", "landed_cost"] {
        let text = value[key]
            .as_str()
            .unwrap_or_else(|| panic!("{key} in {json}"));
        let amount: rust_decimal::Decimal = text.parse().unwrap();
        assert!(amount >= rust_decimal::Decimal::ZERO, "{key} = {text}");
    }
    Ok(())
}

/// A figure within a field's limits: its largest value, or any value with up to `digits`
/// integer digits and `scale` decimal places (never zero, so it is a valid quantity too).
fn figure(max: &'static str, digits: u32, scale: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        Just(max.to_string()),
        (1..10u64.pow(digits), 0..10u64.pow(scale as u32))
            .prop_map(move |(i, f)| format!("{i}.{f:0scale$}")),
    ]
}

fn amount() -> impl Strategy<Value = String> {
    figure(MAX_AMOUNT, 12, 4)
}

fn quantity() -> impl Strategy<Value = String> {
    figure(MAX_QUANTITY, 9, 6)
}

fn items() -> impl Strategy<Value = Vec<Value>> {
    prop::collection::vec(
        (
            prop::sample::select(vec!["851713", "6109100010", "64039905"]),
            amount(),
            quantity(),
            quantity(),
        )
            .prop_map(|(hs, v, q, m)| item(hs, &v, &q, &m)),
        1..40,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Real rates never overflow, whatever the declaration's figures within the limits.
    #[test]
    fn reference_packs_never_overflow(
        items in items(),
        extra in amount(),
        eu in any::<bool>(),
        late in any::<bool>(),
        traced in any::<bool>(),
    ) {
        let (dest, cur) = if eu { ("FR", "EUR") } else { ("GB", "GBP") };
        let date = if late { "2026-09-25" } else { "2025-06-01" };
        let d = declaration(dest, cur, date, items, &extra);
        prop_assert_eq!(assess(&reference(), &d, traced), Ok(()));
    }

    /// Absurd duties and rates give a result or `E_OVERFLOW`, nothing else.
    #[test]
    fn absurd_figures_give_a_result_or_overflow(
        items in items(),
        extra in amount(),
        eu in any::<bool>(),
        currency in prop::sample::select(vec!["USD", "JPY", "LOCAL"]),
        traced in any::<bool>(),
    ) {
        let dest = if eu { "FR" } else { "GB" };
        let cur = match currency { "LOCAL" if eu => "EUR", "LOCAL" => "GBP", c => c };
        let d = declaration(dest, cur, "2026-09-25", items, &extra);
        match assess(&absurd(), &d, traced) {
            Ok(()) | Err(ErrorCode::Overflow) => {}
            Err(other) => prop_assert!(false, "{other}"),
        }
    }
}

/// The largest consignment: 999 lines, every figure at its limit.
fn largest(dest: &str, currency: &str) -> Value {
    let items = vec![item("851713", MAX_AMOUNT, MAX_QUANTITY, MAX_QUANTITY); 999];
    declaration(dest, currency, "2026-09-25", items, MAX_AMOUNT)
}

#[test]
fn the_largest_consignment_is_assessed_with_real_rates() {
    assert_eq!(assess(&reference(), &largest("GB", "GBP"), true), Ok(()));
    assert_eq!(assess(&reference(), &largest("FR", "EUR"), false), Ok(()));
}

#[test]
fn absurd_duties_and_rates_overflow_with_a_code() {
    let engine = absurd();
    // 10¹² USD at 10¹² GBP per USD is 10²⁴ GBP, times a 10¹⁰-fold ad valorem rate: past 10²⁸.
    let one = declaration(
        "GB",
        "USD",
        "2026-09-25",
        vec![item("851713", MAX_AMOUNT, "1", "1")],
        "0",
    );
    assert_eq!(assess(&engine, &one, true), Err(ErrorCode::Overflow));
    assert_eq!(
        assess(&engine, &largest("FR", "USD"), false),
        Err(ErrorCode::Overflow)
    );
    // In the regime's own currency the largest consignment's duty per kg (10¹² × 10⁹, twelve
    // places) needs 33 digits: before issue 21 item 5 it was rounded silently and assessed.
    assert_eq!(
        assess(&engine, &largest("GB", "GBP"), false),
        Err(ErrorCode::Overflow)
    );
    // The same absurd duties on a small line stay exact and are assessed.
    let small = declaration(
        "GB",
        "GBP",
        "2026-09-25",
        vec![item("851713", "1.5", "2", "0.25")],
        "0",
    );
    assert_eq!(assess(&engine, &small, true), Ok(()));
}

/// An engine with the embedded packs and one exchange rate into the pound and the euro.
fn with_rate(rate: &str) -> Engine {
    let rates = json!({"label": "test", "source": "test", "rates": [
        {"from": "USD", "to": "GBP", "valid_from": "2020-01-01", "rate": rate},
        {"from": "USD", "to": "EUR", "valid_from": "2020-01-01", "rate": rate},
    ]});
    Engine::builder()
        .rates_json(rates.to_string())
        .build()
        .unwrap()
}

/// A decimal of at most 4 places as an integer count of 10⁻⁴.
fn units(text: &str) -> i128 {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    format!("{int}{frac:0<4}").parse().unwrap()
}

/// The exact intrinsic value in cents: each item converted exactly, rounded half up to the
/// cent (`rounding.exchange` of the GB and EU packs), summed; i128 holds 999 × 10³² exactly.
fn exact_intrinsic_cents(values: &[String], rate: &str) -> i128 {
    let rate = units(rate);
    values
        .iter()
        .map(|v| (units(v) * rate + 500_000) / 1_000_000)
        .sum()
}

fn intrinsic(engine: &Engine, d: &Value) -> Result<rust_decimal::Decimal, ErrorCode> {
    let (json, error) = engine.assess_to_json(&d.to_string(), &AssessOptions::default());
    if let Some(e) = error {
        return Err(e.error.code);
    }
    let value: Value = serde_json::from_str(&json).unwrap();
    Ok(value["intrinsic_value"].as_str().unwrap().parse().unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Exactness at the limits (issue 21 item 5): values and exchange rates anywhere within
    /// their limits give the exact intrinsic value or `E_OVERFLOW`, never a rounded figure;
    /// and while every converted figure stays below 10¹⁶ the answer is always a result.
    #[test]
    fn converted_values_are_exact_or_overflow(
        values in prop::collection::vec(amount(), 1..40),
        rate in figure(MAX_AMOUNT, 12, 4).prop_filter("positive", |r| units(r) > 0),
        eu in any::<bool>(),
    ) {
        let dest = if eu { "FR" } else { "GB" };
        let items = values.iter().map(|v| item("851713", v, "1", "1")).collect();
        let d = declaration(dest, "USD", "2026-09-25", items, "0");
        let exact = rust_decimal::Decimal::from_i128_with_scale(
            exact_intrinsic_cents(&values, &rate),
            2,
        );
        let small = values.iter().all(|v| units(v) * units(&rate) < 10i128.pow(24));
        match intrinsic(&with_rate(&rate), &d) {
            Ok(got) => prop_assert_eq!(got, exact),
            Err(ErrorCode::Overflow) => prop_assert!(!small, "{values:?} at {rate}"),
            Err(other) => prop_assert!(false, "{other}"),
        }
    }
}

/// The case: 999 items of about 10¹² at 999999999999.9999 gave an intrinsic value
/// ending …349.7 (`rust_decimal` dropped places of each 32-digit product); now `E_OVERFLOW`.
/// At a rate that keeps each product within 28 digits the value is exact to the cent.
#[test]
fn precision_is_never_lost_silently() {
    let values = vec!["999999999999.9999".to_string(); 999];
    let items = values
        .iter()
        .map(|v| item("851713", v, "1", "1"))
        .collect::<Vec<_>>();
    let d = declaration("GB", "USD", "2026-09-25", items.clone(), "0");
    assert_eq!(
        intrinsic(&with_rate(MAX_AMOUNT), &d),
        Err(ErrorCode::Overflow)
    );
    let rate = "1234567.8912";
    assert_eq!(
        intrinsic(&with_rate(rate), &d).unwrap(),
        rust_decimal::Decimal::from_i128_with_scale(exact_intrinsic_cents(&values, rate), 2)
    );
}
