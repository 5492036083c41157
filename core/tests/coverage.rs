//! Issue 5's promise, checked across every embedded regime and every month since 2021: a
//! declaration gets an assessment whose every step names its rule and source, or an error that
//! says which fact is missing (a code from the "not modelled / not sourced" family, a path and
//! a message) — never a bare "no version", never a silent zero.

use serde_json::{json, Value};
use xborder::{AssessOptions, Engine, ErrorCode};

/// Codes that say "this fact is not in the pack" or "this input is needed".
const MISSING_FACT: &[ErrorCode] = &[
    ErrorCode::OutOfScope,
    ErrorCode::HsNoTariffLine,
    ErrorCode::HsAmbiguous,
    ErrorCode::DutyNotComputable,
    ErrorCode::NoTaxRate,
    ErrorCode::NoExchangeRate,
    ErrorCode::NoVersionInForce,
    ErrorCode::MissingDutyInput,
    ErrorCode::MissingField,
];

fn declaration(id: &str, date: &str, destination: &str, currency: &str, channel: &str) -> Value {
    // Provinces and states where taxes differ; the pack picks the rest from the destination.
    let subdivision = match destination {
        "CA" => Some("CA-ON"),
        "BR" => Some("BR-SP"),
        _ => None,
    };
    json!({
        "id": id, "date": date, "destination": destination, "currency": currency,
        "channel": channel,
        "items": [{"description": "Cotton T-shirt", "hs_code": "610910", "quantity": 1,
                   "value": "120.00", "origin": "CN", "net_mass_kg": "0.3", "gross_mass_kg": "0.4"}],
        "shipping": "10.00",
        "seller": {"name": "Example Shop", "country": "CN"},
        "consignee": {"name": "A. Buyer", "kind": "individual", "country": destination,
            "address": {"line1": "1 Main St", "city": "Town", "postcode": "1000",
                        "country": destination, "subdivision": subdivision}}
    })
}

#[test]
fn every_regime_every_month_is_assessed_or_says_what_is_missing() {
    let engine = Engine::embedded().unwrap();
    let listing: Value = serde_json::from_str(&engine.regimes_json()).unwrap();
    // Issue 15's done-when: at least 20 jurisdictions.
    assert!(
        listing.as_array().unwrap().len() >= 20,
        "{} regimes",
        listing.as_array().unwrap().len()
    );
    let mut assessed = 0;
    let mut refused = 0;
    let mut why = std::collections::BTreeMap::new();
    for regime in listing.as_array().unwrap() {
        let id = regime["id"].as_str().unwrap();
        let currency = regime["currency"].as_str().unwrap();
        let destination = regime["destinations"][0].as_str().unwrap();
        for year in 2021..=2026 {
            for month in 1..=12 {
                if year == 2026 && month > 11 {
                    break;
                }
                for channel in ["express", "postal"] {
                    let date = format!("{year}-{month:02}-15");
                    let name = format!("{id}-{date}-{channel}");
                    let d = declaration(&name, &date, destination, currency, channel);
                    match engine.assess_json(&d.to_string(), &AssessOptions::traced()) {
                        Ok(r) => {
                            assessed += 1;
                            let trace = r.trace.as_ref().expect("trace asked for");
                            assert!(!trace.is_empty(), "{name}: no trace");
                            for step in trace {
                                assert!(
                                    !step.rule.is_empty() && !step.source.is_empty(),
                                    "{name}: a {} step names no rule or source",
                                    step.step
                                );
                            }
                            let sum = r.duty_total.0 + r.tax_total.0 + r.fee_total.0;
                            assert_eq!(sum, r.total_payable.0, "{name}: totals");
                        }
                        Err(e) => {
                            refused += 1;
                            *why.entry(format!("{id} {}", e.code)).or_insert(0) += 1;
                            assert!(
                                MISSING_FACT.contains(&e.code),
                                "{name}: {} is not a missing-fact error: {}",
                                e.code,
                                e.message
                            );
                            assert!(e.path.is_some(), "{name}: {} without a path", e.code);
                            assert!(
                                e.message.len() > 20,
                                "{name}: terse message {:?}",
                                e.message
                            );
                            if e.code == ErrorCode::NoVersionInForce {
                                // Inside 2021-2026 a date without a version is a declared gap,
                                // whose message says what is missing.
                                assert!(
                                    e.message.contains("checked"),
                                    "{name}: a date without a version must be a declared gap: {}",
                                    e.message
                                );
                            }
                        }
                    }
                }
            }
        }
    }
    eprintln!("coverage grid: {assessed} assessed, {refused} refused with a missing fact: {why:?}");
    // Most of the grid is assessable; the refusals are the sourced gaps.
    assert!(assessed > refused, "assessed {assessed}, refused {refused}");
}
