//! Mexico and South Africa packs: worked examples that need a caller's tariff, and the
//! options and refusals the conformance vectors cannot express (no rate table, `reject`).

use serde_json::{json, Value};
use xborder::{AssessOptions, Engine, ErrorCode};

const RATES: &str = include_str!("../../examples/rates/sample-rates.json");

fn decl(dest: &str, date: &str, currency: &str, hs: &str, value: &str, from: &str) -> String {
    json!({
        "id": "t", "date": date, "destination": dest, "channel": "express", "currency": currency,
        "items": [{"description": "goods", "hs_code": hs, "quantity": 1, "value": value, "origin": from}],
        "seller": {"name": "S", "country": from},
        "consignee": {"name": "C", "kind": "individual", "country": dest,
                      "address": {"line1": "1", "city": "T", "postcode": "1", "country": dest}}
    })
    .to_string()
}

fn opts(name: &str, reading: &str) -> AssessOptions {
    AssessOptions::default().option(name, reading)
}

/// docs/research/ZA.md example 1 (pioneerfreight.co.za, reproducing the SARS rule): invoice
/// ZAR 1,000, duty 20 % = 200; ATV = 1,000 + 10 % + 200 = 1,300; VAT 15 % = 195. Duty-free
/// goods: ATV 1,100, VAT 165. The example gives the duty rates, not the goods, so the caller's
/// tariff holds them (the pack itself has no such lines).
#[test]
fn za_pioneerfreight_vat_on_added_tax_value() {
    let tariff = "hs,duty,description,source,checked\n\
                  9503,20%,goods at the example's 20 % rate,pioneerfreight.co.za worked example,2026-11-29\n\
                  8471,0%,goods at the example's duty-free rate,pioneerfreight.co.za worked example,2026-11-29\n";
    let e = Engine::builder().tariff("ZA", tariff).build().unwrap();
    let r = e
        .assess_json(
            &decl("ZA", "2024-06-03", "ZAR", "95030090", "1000.00", "CN"),
            &AssessOptions::default(),
        )
        .unwrap();
    assert_eq!(r.duty_total.to_string(), "200.00");
    assert_eq!(r.taxes[0].base.to_string(), "1300.00");
    assert_eq!(r.tax_total.to_string(), "195.00");
    let r = e
        .assess_json(
            &decl("ZA", "2024-06-03", "ZAR", "84713000", "1000.00", "CN"),
            &AssessOptions::default(),
        )
        .unwrap();
    assert_eq!(r.duty_total.to_string(), "0.00");
    assert_eq!(r.taxes[0].base.to_string(), "1100.00");
    assert_eq!(r.tax_total.to_string(), "165.00");
}

/// "less than R500" (SARS, default) vs "ZAR500 or less": only a consignment of exactly ZAR 500
/// depends on the reading, so only it fails under `reject`.
#[test]
fn za_concession_boundary_reading() {
    let e = Engine::embedded().unwrap();
    let at_500 = decl("ZA", "2024-06-03", "ZAR", "61091000", "500.00", "CN");
    // Default: not in the concession; tariff 45 % = 225; VAT 15 % × (500 + 50 + 225) = 116.25.
    let r = e.assess_json(&at_500, &AssessOptions::default()).unwrap();
    assert_eq!(r.duty_total.to_string(), "225.00");
    assert_eq!(r.tax_total.to_string(), "116.25");
    // up_to_500: flat 20 % = 100, no VAT before 2024-09-01.
    let r = e
        .assess_json(&at_500, &opts("za_concession_boundary", "up_to_500"))
        .unwrap();
    assert_eq!(r.duty_total.to_string(), "100.00");
    assert_eq!(r.tax_total.to_string(), "0.00");
    let err = e
        .assess_json(&at_500, &opts("za_concession_boundary", "reject"))
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::UncertainRule);
    // ZAR 400 is in the concession under both readings: reject changes nothing.
    let r = e
        .assess_json(
            &decl("ZA", "2024-06-03", "ZAR", "61091000", "400.00", "CN"),
            &opts("za_concession_boundary", "reject"),
        )
        .unwrap();
    assert_eq!(r.duty_total.to_string(), "80.00");
}

/// The flat-rate VAT base under the interim measure has one expressible reading; a caller who
/// holds the other refuses the flat-rate consignments, not the others.
#[test]
fn za_flat_vat_base_reject_refuses_only_flat_rate_consignments() {
    let e = Engine::embedded().unwrap();
    let reject = opts("za_flat_vat_base", "reject");
    let err = e
        .assess_json(
            &decl("ZA", "2024-10-01", "ZAR", "95030090", "400.00", "CN"),
            &reject,
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::UncertainRule);
    assert_eq!(err.path.as_deref(), Some("options.za_flat_vat_base"));
    let r = e
        .assess_json(
            &decl("ZA", "2024-10-01", "ZAR", "61091000", "1000.00", "CN"),
            &reject,
        )
        .unwrap();
    assert_eq!(r.duty_total.to_string(), "450.00");
}

/// The DTA is fixed in MXN: without a MXN→USD rate an exempt-tier consignment cannot be
/// assessed, and the error names the fee.
#[test]
fn mx_dta_needs_a_peso_rate() {
    let plain = Engine::embedded().unwrap();
    let exempt = decl("MX", "2025-09-10", "USD", "61091000", "40.00", "US");
    let err = plain
        .assess_json(&exempt, &AssessOptions::default())
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::NoExchangeRate);
    assert_eq!(
        err.path.as_deref(),
        Some("fees.MX_DTA_2025_EXEMPT_USMCA.currency")
    );
    // A consignment paying the global rate owes no DTA under the default reading: no rate needed.
    let r = plain
        .assess_json(
            &decl("MX", "2025-09-10", "USD", "61091000", "100.00", "CN"),
            &AssessOptions::default(),
        )
        .unwrap();
    assert_eq!(r.total_payable.to_string(), "33.50");
    // With rates, a declaration in pesos is converted for the tiers: MXN 800 × 0.052 = USD 41.60
    // from the US, exempt; DTA 23.14.
    let e = Engine::builder().rates_json(RATES).build().unwrap();
    let r = e
        .assess_json(
            &decl("MX", "2025-09-10", "MXN", "61091000", "800.00", "US"),
            &AssessOptions::default(),
        )
        .unwrap();
    assert_eq!(r.customs_value.to_string(), "41.60");
    assert_eq!(r.duty_total.to_string(), "0.00");
    assert_eq!(r.fee_total.to_string(), "23.14");
    let err = e
        .assess_json(&exempt, &opts("mx_dta_scope", "reject"))
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::UncertainRule);
}

/// Refusals where the pack knows it has no sourced figure, and the origin test on the country
/// of dispatch.
#[test]
fn mx_out_of_scope_and_origin_by_dispatch_country() {
    let e = Engine::embedded().unwrap();
    // Version B above USD 1,000: the 20 % tier of 2020 is not sourced for 2025.
    let err = e
        .assess_json(
            &decl("MX", "2025-03-10", "USD", "84713000", "1200.00", "CN"),
            &AssessOptions::default(),
        )
        .unwrap_err();
    assert_eq!(
        (err.code, err.path.as_deref()),
        (ErrorCode::OutOfScope, Some("items"))
    );
    // Made in China, shipped from the US: the USMCA tier applies (origin read as "shipped
    // from"), 17 % of 100.
    let mut d: Value =
        serde_json::from_str(&decl("MX", "2025-09-10", "USD", "61091000", "100.00", "CN")).unwrap();
    d["dispatch_country"] = json!("US");
    let r = e
        .assess_json(&d.to_string(), &AssessOptions::default())
        .unwrap();
    assert_eq!(r.duty_total.to_string(), "17.00");
}

/// An exempt-tier consignment is relieved by the de minimis, not priced by the global rate:
/// no simplified rate is reported (in the duties, taxes or trace) and the tax relief shows.
#[test]
fn mx_exempt_tier_is_not_attributed_to_the_global_rate() {
    let e = Engine::builder().rates_json(RATES).build().unwrap();
    let r = e
        .assess_json(
            &decl("MX", "2025-09-10", "USD", "61091000", "40.00", "US"),
            &AssessOptions::traced(),
        )
        .unwrap();
    assert!(r.de_minimis.duty.applies && r.de_minimis.tax.applies);
    assert_eq!(r.duties[0].basis, xborder::result::DutyBasis::DeMinimis);
    assert!(r.taxes.iter().all(|t| !t.rate.contains("MX_C_GLOBAL")));
    let trace = r.trace.unwrap_or_default();
    assert!(
        trace.iter().all(|s| !s.rule.contains("simplified_rates")),
        "{trace:#?}"
    );
    // One dollar more and the USMCA 17 % tier prices it.
    let r = e
        .assess_json(
            &decl("MX", "2025-09-10", "USD", "61091000", "51.00", "US"),
            &AssessOptions::default(),
        )
        .unwrap();
    assert!(!r.de_minimis.duty.applies);
    assert_eq!(r.duty_total.to_string(), "8.67"); // 17 % of 51
}
