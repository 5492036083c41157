//! Unit tests of the pipeline's mechanisms, each on a declaration built for it; several use
//! the EU pack with one rule changed, to exercise mechanisms the reference packs do not use yet.

use serde_json::{json, Value};

use crate::{AssessOptions, Assessment, Engine, Error, ErrorCode};

const EU_PACK: &str = include_str!("../../../regimes/EU/pack.json");

fn base() -> Value {
    json!({
        "id": "t", "date": "2025-05-01", "destination": "FR", "currency": "EUR",
        "items": [{"description": "T-shirt", "hs_code": "610910", "quantity": 2, "value": "40.00", "origin": "CN", "net_mass_kg": "0.3"}],
        "shipping": "10.00",
        "seller": {"name": "S", "country": "CN"},
        "consignee": {"name": "C", "country": "FR", "address": {"line1": "1 rue", "city": "Paris", "postcode": "75001", "country": "FR"}}
    })
}

fn run(engine: &Engine, d: &Value, opts: &AssessOptions) -> Result<Assessment, Error> {
    engine.assess_json(&d.to_string(), opts)
}

fn embedded() -> Engine {
    Engine::embedded().unwrap()
}

/// An engine with the EU pack, `edit` applied to every version (the other mechanisms' unit
/// tests use it too); the build error when the edit makes the pack invalid. The embedded
/// national tariff files are left out, so the pack's own tariff lines (which `edit` may change)
/// price every date.
pub(crate) fn eu_engine_with(edit: impl Fn(&mut Value)) -> Result<Engine, Error> {
    let mut pack: Value = serde_json::from_str(EU_PACK).unwrap();
    for v in pack["versions"].as_array_mut().unwrap() {
        edit(v);
    }
    Engine::builder()
        .without_embedded_tariffs()
        .regime_json(pack.to_string())
        .build()
}

/// The EU pack with `edit` applied to every version.
pub(crate) fn eu_with(edit: impl Fn(&mut Value)) -> Engine {
    eu_engine_with(edit).unwrap()
}

fn codes(r: &Assessment) -> Vec<&str> {
    r.findings.iter().map(|f| f.code.as_ref()).collect()
}

#[test]
fn border_collection_charges_vat_on_customs_value_plus_duty() {
    let mut d = base();
    d["items"][0]["value"] = json!("200.00");
    let r = run(&embedded(), &d, &AssessOptions::default()).unwrap();
    assert_eq!(r.category.code, 4);
    assert_eq!(r.customs_value.to_string(), "210.00");
    assert_eq!(r.duty_total.to_string(), "25.20"); // 12 % of 210.00
    assert_eq!(r.taxes[0].base.to_string(), "235.20");
    assert_eq!(r.tax_total.to_string(), "47.04"); // 20 % of 235.20
    assert_eq!(r.due_at_import.to_string(), "72.24");
    assert_eq!(r.landed_cost.to_string(), "282.24");
}

#[test]
fn flat_duty_scope_readings() {
    let mut d = base();
    d["date"] = json!("2026-08-01");
    d["destination"] = json!("DE");
    d["consignee"]["address"]["country"] = json!("DE");
    let e = embedded();
    // Default reading: every B2C distance sale <= EUR 150 pays EUR 3 per subheading.
    let r = run(&e, &d, &AssessOptions::default()).unwrap();
    assert_eq!(r.duty_total.to_string(), "3.00");
    // Narrow reading: an express, non-IOSS parcel is out of scope and pays the tariff (12 % of 50).
    let narrow = AssessOptions::default().option("flat_duty_scope", "ioss_and_postal");
    let r = run(&e, &d, &narrow).unwrap();
    assert_eq!(r.duty_total.to_string(), "6.00");
    // Reject: the readings disagree for this parcel, so it fails rather than guess...
    let reject = AssessOptions::default().option("flat_duty_scope", "reject");
    let err = run(&e, &d, &reject).unwrap_err();
    assert_eq!(err.code, ErrorCode::UncertainRule);
    // ...but a postal parcel is in scope under both readings, so reject changes nothing.
    d["channel"] = json!("postal");
    assert_eq!(run(&e, &d, &reject).unwrap().duty_total.to_string(), "3.00");
    // A reading the pack does not know is an error, not a default.
    let bad = AssessOptions::default().option("flat_duty_scope", "everything");
    assert_eq!(
        run(&e, &d, &bad).unwrap_err().code,
        ErrorCode::InvalidOption
    );
}

/// Issue 21 item 6: a misspelt option priced the consignment under the default reading with
/// only an info finding (duty 3.00 where the caller's reading gives 6.00).
#[test]
fn an_option_no_loaded_regime_declares_is_refused() {
    let mut d = base();
    d["date"] = json!("2026-08-01");
    d["destination"] = json!("DE");
    d["consignee"]["address"]["country"] = json!("DE");
    let e = embedded();
    let misspelt = AssessOptions::default().option("flat_dty_scope", "ioss_and_postal");
    let err = run(&e, &d, &misspelt).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidOption);
    assert_eq!(err.path.as_deref(), Some("options.flat_dty_scope"));
    assert!(err.message.contains("flat_duty_scope"), "{}", err.message);
    // An option another loaded regime declares (a mixed batch shares its options) is ignored
    // for this one, with a finding saying so.
    let other = AssessOptions::default().option("us_postal_method", "ad_valorem");
    let r = run(&e, &d, &other).unwrap();
    assert_eq!(r.duty_total.to_string(), "3.00");
    assert!(codes(&r).contains(&"F_OPTION_NOT_USED"), "{:?}", r.findings);
    // An engine without the regime that declares it refuses it too.
    let eu_only = Engine::builder()
        .without_embedded()
        .regime_json(EU_PACK)
        .build()
        .unwrap();
    assert_eq!(
        run(&eu_only, &d, &other).unwrap_err().code,
        ErrorCode::InvalidOption
    );
}

#[test]
fn ioss_needs_a_well_formed_number_and_excludes_excise_goods() {
    let e = embedded();
    let mut d = base();
    d["seller"]["registrations"] = json!([{"scheme": "IOSS", "number": "IM12"}]);
    let r = run(&e, &d, &AssessOptions::default()).unwrap();
    assert_eq!(r.collection.scheme, None);
    assert!(
        codes(&r).contains(&"F_REGISTRATION_FORMAT"),
        "{:?}",
        r.findings
    );
    d["seller"]["registrations"] = json!([{"scheme": "IOSS", "number": "IM2500000001"}]);
    let r = run(&e, &d, &AssessOptions::default()).unwrap();
    assert_eq!(r.collection.scheme.as_deref(), Some("IOSS"));
    assert_eq!(r.due_at_sale.to_string(), "10.00"); // 20 % of 40 + 10
    assert_eq!(r.due_at_import.to_string(), "0.00");
    // Whisky is an excise good: excluded from duty relief, so it needs a tariff line, which
    // the pack's sample tariff does not have: an error, never a silent 0 %.
    d["items"][0]["hs_code"] = json!("220830");
    let pack_lines = eu_with(|_| {});
    let err = run(&pack_lines, &d, &AssessOptions::default()).unwrap_err();
    assert_eq!(err.code, ErrorCode::HsNoTariffLine);
    // With a (test) tariff line it is out of IOSS, and flagged because excise is not assessed.
    let e = eu_with(|v| {
        v["tariff"]["lines"]
            .as_array_mut()
            .unwrap()
            .push(json!({"hs": "2208", "duty": "0%", "description": "test", "source": "test", "checked": "2026-11-28"}));
    });
    let r = run(&e, &d, &AssessOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.collection.scheme, None);
    assert!(codes(&r).contains(&"F_EXCISE_NOT_ASSESSED"));
}

#[test]
fn collected_at_sale_is_checked_against_the_rules() {
    let e = embedded();
    let mut d = base();
    d["seller"]["registrations"] = json!([{"scheme": "IOSS", "number": "IM2500000001"}]);
    d["collected_at_sale"] = json!({"scheme": "IOSS", "tax_amount": "9.00"});
    let r = run(&e, &d, &AssessOptions::default()).unwrap();
    assert!(codes(&r).contains(&"F_COLLECTED_AMOUNT_DIFFERS"));
    // Above EUR 150 IOSS cannot be used: import VAT is due and the finding says why.
    d["items"][0]["value"] = json!("150.01");
    let r = run(&e, &d, &AssessOptions::default()).unwrap();
    assert!(codes(&r).contains(&"F_COLLECTED_AT_SALE_NOT_APPLICABLE"));
    assert!(!r.due_at_import.0.is_zero());
}

#[test]
fn missing_rules_are_errors_not_zeroes() {
    let e = embedded();
    let mut d = base();
    d["date"] = json!("2021-06-30");
    assert_eq!(
        run(&e, &d, &AssessOptions::default()).unwrap_err().code,
        ErrorCode::NoVersionInForce
    );
    // A currency the ECB does not quote: no rate (the Member State sets one, Art. 146(4)).
    let mut d = base();
    d["currency"] = json!("ARS");
    let err = run(&e, &d, &AssessOptions::default()).unwrap_err();
    assert_eq!(
        (err.code, err.path.as_deref()),
        (ErrorCode::NoExchangeRate, Some("currency"))
    );
    assert!(
        err.message.contains("the ECB table quotes no ARS"),
        "{}",
        err.message
    );
    let mut d = base();
    d["items"][0]["value"] = json!("500");
    // No HS subheading, and so no line of the Common Customs Tariff.
    d["items"][0]["hs_code"] = json!("999999");
    let err = run(&e, &d, &AssessOptions::default()).unwrap_err();
    assert_eq!(
        (err.code, err.path.as_deref()),
        (ErrorCode::HsNoTariffLine, Some("items[0].hs_code"))
    );
    let mut d = base();
    // Antarctica: no pack will ever select it.
    d["destination"] = json!("AQ");
    assert_eq!(
        run(&e, &d, &AssessOptions::default()).unwrap_err().code,
        ErrorCode::NoRegime
    );
}

#[test]
fn specific_duties_need_their_quantities() {
    let e = eu_with(|v| {
        v["tariff"]["lines"]
            .as_array_mut()
            .unwrap()
            .push(json!({"hs": "0101", "duty": "10% MIN 20 EUR/100kg", "description": "test", "source": "test", "checked": "2026-11-28"}));
    });
    let mut d = base();
    d["items"][0] = json!({"description": "x", "hs_code": "010121", "quantity": 1, "value": "500.00", "origin": "CN"});
    let err = run(&e, &d, &AssessOptions::default()).unwrap_err();
    assert_eq!(
        (err.code, err.path.as_deref()),
        (ErrorCode::MissingDutyInput, Some("items[0].net_mass_kg"))
    );
    d["items"][0]["net_mass_kg"] = json!("300");
    let r = run(&e, &d, &AssessOptions::default()).unwrap();
    assert_eq!(r.duty_total.to_string(), "60.00"); // max(10 % of 510, 20 x 3) = 60
}

#[test]
fn per_item_de_minimis_and_tax_amount_threshold() {
    // A threshold per item (Norway/Australia style) and "tax of 5 or less is not levied"
    // (Switzerland style), on an otherwise EU pack.
    let e = eu_with(|v| {
        v["de_minimis"]["duty"] = json!({"amount": "50", "basis": "intrinsic", "unit": "item", "source": "t", "checked": "2026-11-28"});
        v["de_minimis"]["tax"] = json!({"amount": "5", "basis": "tax_amount", "unit": "consignment", "source": "t", "checked": "2026-11-28"});
    });
    let mut d = base();
    d["date"] = json!("2026-08-01");
    d["items"] = json!([
        {"description": "a", "hs_code": "610910", "quantity": 1, "value": "40.00", "origin": "CN"},
        {"description": "b", "hs_code": "610910", "quantity": 1, "value": "60.00", "origin": "CN"}
    ]);
    d["shipping"] = json!("0");
    let narrow = AssessOptions::default().option("flat_duty_scope", "ioss_and_postal");
    let r = run(&e, &d, &narrow).unwrap();
    assert!(r.de_minimis.duty.applies);
    assert_eq!(r.duties[0].basis, crate::result::DutyBasis::DeMinimis);
    assert_eq!(r.duties[1].amount.to_string(), "7.20"); // only the 60.00 line pays
    assert_eq!(r.tax_total.to_string(), "21.44"); // 20 % of 107.20, above 5: levied
    d["items"] = json!([{"description": "a", "hs_code": "610910", "quantity": 1, "value": "20.00", "origin": "CN"}]);
    let r = run(&e, &d, &narrow).unwrap();
    assert!(r.de_minimis.tax.applies, "{:?}", r.de_minimis);
    assert_eq!(r.tax_total.to_string(), "0.00"); // 4.00 of tax is not levied
    assert_eq!(r.category.code, 2);
}

#[test]
fn minimum_collectable_and_consignment_rounding() {
    let e = eu_with(|v| {
        v["minimum_collectable"] =
            json!({"duty": "10", "tax": "0", "source": "t", "checked": "2026-11-28"});
        v["rounding"]["tax"]["scope"] = json!("consignment");
    });
    let mut d = base();
    d["items"] = json!([
        {"description": "a", "hs_code": "610910", "quantity": 1, "value": "100.03", "origin": "CN"},
        {"description": "b", "hs_code": "610910", "quantity": 1, "value": "100.03", "origin": "CN"}
    ]);
    d["shipping"] = json!("0");
    let r = run(&e, &d, &AssessOptions::default()).unwrap();
    // Duty 12.0036 per line -> 12.00 each, above the minimum.
    assert_eq!(r.duty_total.to_string(), "24.00");
    // Consignment rounding: 20 % of (224.06 + 0.0072) summed before rounding.
    assert_eq!(r.tax_total.to_string(), "44.81");
    d["items"] = json!([{"description": "a", "hs_code": "611020", "quantity": 1, "value": "151.00", "origin": "CN"}]);
    d["items"][0]["value"] = json!("160.00");
    d["items"][0]["hs_code"] = json!("420221"); // 3 % of 160 = 4.80 < 10: waived
    let r = run(&e, &d, &AssessOptions::default()).unwrap();
    assert_eq!(r.duty_total.to_string(), "0.00");
    assert_eq!(
        r.duties[0].basis,
        crate::result::DutyBasis::MinimumCollectable
    );
}

#[test]
fn fees_by_line_channel_and_payability() {
    let e = eu_with(|v| {
        v["fees"] = json!([
            {"id": "PER_LINE", "kind": "small_parcel_tax", "name": "t", "amount": "2", "per": "line", "subdivisions": ["FR"],
             "ceiling": {"amount": "150", "basis": "intrinsic"}, "payer": "registrant", "source": "t", "checked": "2026-11-28"},
            {"id": "HANDLING", "kind": "handling", "name": "t", "amount": "9.95", "per": "consignment", "channels": ["postal"],
             "only_if_payable": true, "payer": "consignee", "source": "t", "checked": "2026-11-28"}
        ]);
    });
    let mut d = base();
    d["items"] = json!([
        {"description": "a", "hs_code": "610910", "quantity": 1, "value": "40.00", "origin": "CN"},
        {"description": "b", "hs_code": "611020", "quantity": 1, "value": "40.00", "origin": "CN"}
    ]);
    let r = run(&e, &d, &AssessOptions::default()).unwrap();
    assert_eq!(r.fee_total.to_string(), "4.00");
    assert_eq!(r.fees[0].payer, crate::regime::pack::Payer::Seller);
    d["channel"] = json!("postal");
    let r = run(&e, &d, &AssessOptions::default()).unwrap();
    assert_eq!(r.fee_total.to_string(), "13.95");
    d["transaction"] = json!("C2C");
    d["items"][0]["nature"] = json!("gift");
    d["items"][1]["nature"] = json!("gift");
    d["items"][1]["value"] = json!("1.00");
    d["shipping"] = json!("0");
    let r = run(&e, &d, &AssessOptions::default()).unwrap(); // a gift of 41 <= 45: nothing payable
    assert_eq!(r.fee_total.to_string(), "4.00");
}

#[test]
fn gift_flat_rate_between_relief_and_ceiling() {
    let e = embedded();
    let mut d = base();
    d["date"] = json!("2026-08-01");
    d["transaction"] = json!("C2C");
    d["items"] = json!([
        {"description": "jumper", "hs_code": "611020", "quantity": 1, "value": "200.00", "origin": "CN", "nature": "gift"},
        {"description": "phone", "hs_code": "851713", "quantity": 1, "value": "100.00", "origin": "CN", "nature": "gift"}
    ]);
    d["shipping"] = json!("0");
    let r = run(&e, &d, &AssessOptions::default()).unwrap();
    assert_eq!(r.duties[0].basis, crate::result::DutyBasis::GiftFlatRate);
    assert_eq!(r.duties[0].amount.to_string(), "5.00"); // 2.5 % of 200
    assert_eq!(r.duties[1].amount.to_string(), "0.00"); // a free line stays free
}

#[test]
fn reverse_charge_and_required_data() {
    let e = embedded();
    let mut d = base();
    d["destination"] = json!("GB");
    d["currency"] = json!("GBP");
    d["transaction"] = json!("B2B");
    d["consignee"] = json!({"name": "Ltd", "kind": "business", "tax_id": "GB123456789"});
    let r = run(&e, &d, &AssessOptions::default()).unwrap();
    assert_eq!(r.collection.scheme.as_deref(), Some("GB_REVERSE_CHARGE"));
    assert_eq!(r.total_payable.to_string(), "0.00");
    assert!(codes(&r).contains(&"F_TAX_SELF_ASSESSED"));
    assert!(r
        .findings
        .iter()
        .any(|f| f.code == "F_MISSING_DATA_ELEMENT"
            && f.path.as_deref() == Some("consignee.address")));
}

#[test]
fn trace_names_a_rule_and_source_for_every_step() {
    let mut d = base();
    d["items"][0]["value"] = json!("200.00");
    let r = run(&embedded(), &d, &AssessOptions::traced()).unwrap();
    let trace = r.trace.unwrap();
    for step in [
        "regime",
        "value",
        "collection",
        "duty",
        "tax",
        "category",
        "total",
    ] {
        assert!(
            trace.iter().any(|t| t.step.as_str() == step),
            "no {step} step"
        );
    }
    for t in &trace {
        assert!(!t.rule.is_empty() && !t.source.is_empty(), "{t:?}");
    }
}

#[test]
fn tax_inclusive_base_and_scheme_share_reach_the_result_and_trace() {
    // Border: T-shirts 200 + shipping 10 = customs value 210, duty 12 % = 25.20, base 235.20.
    let mut d = base();
    d["items"][0]["value"] = json!("200.00");
    let e = eu_with(|v| v["taxes"]["inclusive"] = json!(true));
    let r = run(&e, &d, &AssessOptions::traced()).unwrap();
    // 235.20 × 20 / 80 = 58.80: 20 % of 235.20 + 58.80.
    assert_eq!(r.tax_total.to_string(), "58.80");
    let trace = serde_json::to_string(&r.trace).unwrap();
    assert!(trace.contains("tax-inclusive base"), "{trace}");

    // IOSS at sale, keeping 70 % of the tax: 20 % of (40 + 10) = 10.00 → 7.00.
    let e = eu_with(|v| v["schemes"][0]["tax_share"] = json!("70"));
    let mut d = base();
    d["seller"]["registrations"] = json!([{"scheme": "IOSS", "number": "IM2500000001"}]);
    let r = run(&e, &d, &AssessOptions::traced()).unwrap();
    assert_eq!(r.collection.scheme.as_deref(), Some("IOSS"));
    assert_eq!(r.due_at_sale.to_string(), "7.00");
    let trace = serde_json::to_string(&r.trace).unwrap();
    assert!(
        trace.contains("70% of the tax charged under IOSS"),
        "{trace}"
    );
}

/// A de minimis threshold without cases or a per-person limit is resolved where it is called
/// (`threshold::resolve`'s fast path); one with a limit that never binds takes the general
/// path (`resolve_cases`). Below, at and above the EU's EUR 150, their results are the same.
#[test]
fn a_plain_threshold_resolves_as_the_general_path_does() {
    let general = eu_with(|v| {
        if v["de_minimis"]["duty"].is_object() {
            v["de_minimis"]["duty"]["per_person"] = json!({"amount": "999999999", "period": "day"});
        }
    });
    let plain = eu_with(|_| {});
    for value in ["40.00", "140.00", "150.00", "150.01", "600.00"] {
        let mut d = base();
        d["items"][0]["value"] = json!(value);
        d["shipping"] = json!("0.00");
        let (a, b) = (
            run(&plain, &d, &AssessOptions::default()).unwrap(),
            run(&general, &d, &AssessOptions::default()).unwrap(),
        );
        assert_eq!(a.de_minimis.duty, b.de_minimis.duty, "{value}");
        assert_eq!(a.duties, b.duties, "{value}");
        assert_eq!(a.taxes, b.taxes, "{value}");
        assert_eq!(a.duty_total, b.duty_total, "{value}");
    }
}

#[test]
fn per_person_limit_counts_converted_prior_purchases_and_needs_a_rate() {
    // The EU duty relief with a per-person limit of EUR 150 per day (a test reading only).
    let e = eu_with(|v| {
        if v["de_minimis"]["duty"].is_object() {
            v["de_minimis"]["duty"]["per_person"] = json!({"amount": "150", "period": "day"});
        }
    });
    let mut d = base();
    d["prior_purchases"] = json!([{"date": "2025-05-01", "value": "100.00"}]);
    let r = run(&e, &d, &AssessOptions::default()).unwrap();
    // 40 + 100 = 140 <= 150: relieved.
    assert!(r.de_minimis.duty.applies);
    d["prior_purchases"] = json!([{"date": "2025-05-01", "value": "120.00"}]);
    let r = run(&e, &d, &AssessOptions::default()).unwrap();
    assert!(!r.de_minimis.duty.applies);
    // In USD: converted at the ECB rate of 2025-04-23 (1.1415): 125.00 ÷ 1.1415 = 109.51,
    // and 40 + 109.51 = 149.51 <= 150.
    d["prior_purchases"] = json!([{"date": "2025-05-01", "value": "125.00", "currency": "USD"}]);
    assert!(
        run(&e, &d, &AssessOptions::default())
            .unwrap()
            .de_minimis
            .duty
            .applies
    );
    // A currency the rate tables do not quote: a clear error at the purchase's currency.
    d["prior_purchases"] = json!([{"date": "2025-05-01", "value": "1.00", "currency": "ARS"}]);
    let err = run(&e, &d, &AssessOptions::default()).unwrap_err();
    assert_eq!(
        (err.code, err.path.as_deref()),
        (
            ErrorCode::NoExchangeRate,
            Some("prior_purchases[0].currency")
        )
    );
}

fn sourced(mut v: Value) -> Value {
    v["source"] = json!("test rule");
    v["checked"] = json!("2026-11-29");
    v
}

/// The EU pack with these simplified rates in every version.
fn eu_simplified(rates: Value) -> Engine {
    eu_with(|v| v["simplified_rates"] = rates.clone())
}

#[test]
fn simplified_rate_can_replace_duty_and_tax() {
    let engine = eu_simplified(json!([sourced(json!({
        "id": "T_GLOBAL", "name": "global rate", "replaces": "duty_and_tax", "rate": "33.5",
        "ceiling": {"amount": "2500", "basis": "customs_value"}
    }))]));
    let mut d = base();
    d["items"][0]["value"] = json!("200.00");
    let r = run(&engine, &d, &AssessOptions::traced()).unwrap();
    assert_eq!(r.duty_total.to_string(), "70.35"); // 33.5 % of 210.00
    assert_eq!(r.duties[0].basis, crate::result::DutyBasis::SimplifiedRate);
    assert_eq!(&*r.duties[0].rate, "33.5% (T_GLOBAL)");
    assert_eq!(r.tax_total.to_string(), "0.00");
    assert_eq!(&*r.taxes[0].rate, "included in T_GLOBAL");
    assert!(serde_json::to_string(&r.trace)
        .unwrap()
        .contains("simplified_rates.T_GLOBAL"));
    // Above the ceiling the ordinary tariff and VAT apply again.
    d["items"][0]["value"] = json!("3000.00");
    let r = run(&engine, &d, &AssessOptions::default()).unwrap();
    assert_eq!(r.duties[0].basis, crate::result::DutyBasis::Tariff);
    assert!(!r.tax_total.0.is_zero());
}

#[test]
fn simplified_rate_brackets_deduction_and_scheme_condition() {
    let engine = eu_simplified(json!([
        sourced(
            json!({"id": "LOW", "name": "low bracket", "replaces": "duty", "rate": "20",
            "ceiling": {"amount": "50", "basis": "customs_value"}, "schemes": ["border"], "origins": ["CN"]})
        ),
        sourced(
            json!({"id": "HIGH", "name": "high bracket", "replaces": "duty", "rate": "60",
            "deduction": "20", "schemes": ["border"], "origins": ["CN"]})
        )
    ]));
    let mut d = base();
    d["shipping"] = json!("0");
    d["items"] = json!([
        {"description": "a", "hs_code": "610910", "quantity": 1, "value": "180.00", "origin": "CN"},
        {"description": "b", "hs_code": "640399", "quantity": 1, "value": "120.00", "origin": "CN"}
    ]);
    let r = run(&engine, &d, &AssessOptions::default()).unwrap();
    // 60 % of 300 = 180, less 20 shared 12/8 → 96 + 64 = 160.
    assert_eq!(r.duty_total.to_string(), "160.00");
    assert_eq!(r.duties[0].amount.to_string(), "96.00");
    assert_eq!(r.duties[1].amount.to_string(), "64.00");
    // VAT is on customs value + the simplified duty.
    assert_eq!(r.taxes[0].base.to_string(), "460.00");
    // The low bracket: 20 % of 40, no deduction. (EU's duty de minimis is lifted for the test.)
    let engine = eu_with(|v| {
        v["de_minimis"]["duty"] = Value::Null;
        v["simplified_rates"] = json!([sourced(
            json!({"id": "LOW", "name": "low bracket", "replaces": "duty", "rate": "20",
                "ceiling": {"amount": "50", "basis": "customs_value"}})
        )]);
    });
    let mut d = base();
    d["shipping"] = json!("0");
    let r = run(&engine, &d, &AssessOptions::default()).unwrap();
    assert_eq!(r.duty_total.to_string(), "8.00");
    // Another dispatch country or a collection scheme takes the consignment out.
    let engine = eu_simplified(json!([sourced(
        json!({"id": "HIGH", "name": "h", "replaces": "duty",
        "rate": "60", "origins": ["CN"], "schemes": ["border"]})
    )]));
    let mut d = base();
    d["items"][0]["value"] = json!("200.00");
    d["seller"]["country"] = json!("US");
    let r = run(&engine, &d, &AssessOptions::default()).unwrap();
    assert_eq!(r.duties[0].basis, crate::result::DutyBasis::Tariff);
}

/// One relief test decides both whether a line is relieved and whether any line is left to
/// price: goods of an origin the de minimis excludes are priced, by the simplified rate when
/// one applies (the old second copy of the test forgot the origin and left them to the tariff).
#[test]
fn lines_the_de_minimis_does_not_relieve_are_left_to_the_simplified_rate() {
    let engine = eu_with(|v| {
        if v["de_minimis"]["duty"].is_object() {
            v["de_minimis"]["duty"]["excluded_origins"] = json!(["CN"]);
        }
        v["simplified_rates"] = json!([sourced(
            json!({"id": "LOW", "name": "low", "replaces": "duty", "rate": "20",
                "ceiling": {"amount": "150", "basis": "customs_value"}})
        )]);
    });
    let mut d = base();
    d["shipping"] = json!("0");
    let r = run(&engine, &d, &AssessOptions::default()).unwrap();
    assert_eq!(r.duties[0].basis, crate::result::DutyBasis::SimplifiedRate);
    assert_eq!(r.duty_total.to_string(), "8.00"); // 20 % of 40
                                                  // Goods of another origin stay relieved, and no simplified rate is reported.
    d["items"][0]["origin"] = json!("VN");
    let r = run(&engine, &d, &AssessOptions::traced()).unwrap();
    assert_eq!(r.duties[0].basis, crate::result::DutyBasis::DeMinimis);
    assert!(!serde_json::to_string(&r.trace)
        .unwrap()
        .contains("simplified_rates.LOW"));
}

#[test]
fn simplified_rates_by_prefix_need_a_match() {
    let engine = eu_simplified(json!([sourced(
        json!({"id": "BY_HS", "name": "by HS", "replaces": "duty",
        "rates": [{"hs_prefix": "61", "rate": "10"}, {"hs_prefix": "6109", "rate": "5"}]})
    )]));
    let mut d = base();
    d["items"][0]["value"] = json!("200.00");
    let r = run(&engine, &d, &AssessOptions::default()).unwrap();
    assert_eq!(r.duty_total.to_string(), "10.50"); // longest prefix 6109: 5 % of 210
    d["items"][0]["hs_code"] = json!("640399");
    let e = run(&engine, &d, &AssessOptions::default()).unwrap_err();
    assert_eq!(e.code, ErrorCode::HsNoTariffLine);
    assert_eq!(e.path.as_deref(), Some("items[0].hs_code"));
}

#[test]
fn out_of_scope_refuses_with_the_packs_reason() {
    let engine = eu_with(|v| {
        v["out_of_scope"] = json!([sourced(
            json!({"id": "BIG", "message": "formal entry not modelled",
            "above": {"amount": "1000", "basis": "customs_value"}})
        )]);
    });
    let mut d = base();
    d["items"][0]["value"] = json!("2000.00");
    let e = run(&engine, &d, &AssessOptions::default()).unwrap_err();
    assert_eq!(e.code, ErrorCode::OutOfScope);
    assert_eq!(e.path.as_deref(), Some("items"));
    assert!(
        e.message.contains("formal entry not modelled"),
        "{}",
        e.message
    );
    d["items"][0]["value"] = json!("500.00");
    assert!(run(&engine, &d, &AssessOptions::default()).is_ok());
    // A scheme condition: refused unless IOSS collects.
    let engine = eu_with(|v| {
        v["out_of_scope"] = json!([sourced(
            json!({"id": "ONLY_IOSS", "message": "only IOSS modelled",
            "unless_schemes": ["IOSS"]})
        )]);
    });
    let e = run(&engine, &d, &AssessOptions::default()).unwrap_err();
    assert_eq!(e.path.as_deref(), Some("seller.registrations"));
    let mut d = base();
    d["seller"]["registrations"] = json!([{"scheme": "IOSS", "number": "IM2500000001"}]);
    assert!(run(&engine, &d, &AssessOptions::default()).is_ok());
}

#[test]
fn uplift_enters_the_tax_base_except_for_excluded_origins() {
    let engine = eu_with(|v| {
        v["valuation"]["uplift"] = sourced(json!({"rate": "10", "excluded_origins": ["BW"]}));
        v["valuation"]["import_tax_base"] = json!(["customs_value", "uplift", "duty"]);
    });
    let mut d = base();
    d["items"][0]["value"] = json!("200.00");
    let r = run(&engine, &d, &AssessOptions::default()).unwrap();
    // 210 + 21 + duty 25.20 = 256.20
    assert_eq!(r.taxes[0].base.to_string(), "256.20");
    d["items"][0]["origin"] = json!("BW");
    let r = run(&engine, &d, &AssessOptions::default()).unwrap();
    assert_eq!(r.taxes[0].base.to_string(), "235.20");
    // Listing `uplift` without defining it is a pack error.
    let mut pack: Value = serde_json::from_str(EU_PACK).unwrap();
    pack["versions"][0]["valuation"]["import_tax_base"] = json!(["customs_value", "uplift"]);
    let e = Engine::builder()
        .regime_json(pack.to_string())
        .build()
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidPack);
}

#[test]
fn scheme_per_person_limit_counts_earlier_purchases() {
    let engine = eu_with(|v| {
        for s in v["schemes"].as_array_mut().unwrap() {
            if s["id"] == "IOSS" {
                s["per_person"] = json!({"amount": "300", "period": "calendar_year"});
            }
        }
    });
    let mut d = base();
    d["seller"]["registrations"] = json!([{"scheme": "IOSS", "number": "IM2500000001"}]);
    d["prior_purchases"] = json!([{"date": "2025-02-01", "value": "200.00"}]);
    let r = run(&engine, &d, &AssessOptions::traced()).unwrap();
    assert_eq!(r.collection.scheme.as_deref(), Some("IOSS")); // intrinsic 40 + 200 <= 300
    d["prior_purchases"] = json!([{"date": "2025-02-01", "value": "270.00"}]);
    let r = run(&engine, &d, &AssessOptions::traced()).unwrap();
    assert_eq!(r.collection.scheme, None); // 40 + 270 > 300
    assert!(serde_json::to_string(&r.trace)
        .unwrap()
        .contains("exceeded"));
    // Purchases of an earlier year do not count.
    d["prior_purchases"] = json!([{"date": "2024-12-31", "value": "260.00"}]);
    let r = run(&engine, &d, &AssessOptions::default()).unwrap();
    assert_eq!(r.collection.scheme.as_deref(), Some("IOSS"));
}

#[test]
fn gaps_say_which_fact_is_missing() {
    let mut pack: Value = serde_json::from_str(EU_PACK).unwrap();
    pack["gaps"] = json!([sourced(json!({"from": "2021-01-01", "to": "2021-07-01",
        "missing": "the pre-2021 e-commerce package rules are not sourced"}))]);
    let engine = Engine::builder()
        .regime_json(pack.to_string())
        .build()
        .unwrap();
    let mut d = base();
    d["date"] = json!("2021-03-01");
    let e = run(&engine, &d, &AssessOptions::default()).unwrap_err();
    assert_eq!(e.code, ErrorCode::NoVersionInForce);
    assert!(
        e.message.contains("pre-2021 e-commerce package"),
        "{}",
        e.message
    );
    // Outside the gap the plain message stays.
    d["date"] = json!("2020-03-01");
    let e = run(&engine, &d, &AssessOptions::default()).unwrap_err();
    assert!(!e.message.contains("pre-2021"));
    // A gap overlapping a version is refused.
    pack["gaps"][0]["to"] = json!("2021-08-01");
    let e = Engine::builder()
        .regime_json(pack.to_string())
        .build()
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::ConflictingRules);
}

#[test]
fn a_scheme_can_collect_the_duty_at_sale() {
    let mut d = base();
    d["date"] = json!("2026-08-01");
    d["destination"] = json!("DE");
    d["consignee"]["address"]["country"] = json!("DE");
    d["seller"]["registrations"] = json!([{"scheme": "IOSS", "number": "IM2500000001"}]);
    // IOSS collects VAT only: the EUR 3 flat duty is due at import.
    let r = run(&embedded(), &d, &AssessOptions::default()).unwrap();
    assert_eq!(r.duty_total.to_string(), "3.00");
    assert_eq!(r.due_at_sale.to_string(), "9.50"); // 19 % of 40 + 10
    assert_eq!(r.due_at_import.to_string(), "3.00");
    // A scheme that also collects the duty at checkout (Brazil's Remessa Conforme) moves it.
    let e = eu_with(|v| {
        for s in v["schemes"].as_array_mut().unwrap() {
            if s["id"] == "IOSS" {
                s["duty_at_sale"] = json!(true);
            }
        }
    });
    let r = run(&e, &d, &AssessOptions::traced()).unwrap();
    assert_eq!(r.due_at_sale.to_string(), "12.50");
    assert_eq!(r.due_at_import.to_string(), "0.00");
    assert_eq!(r.total_payable.to_string(), "12.50");
    let trace = r.trace.as_ref().unwrap();
    let total = trace
        .iter()
        .find(|s| s.step == crate::trace::Step::Total)
        .unwrap();
    assert!(
        total.detail.contains("IOSS collects it at sale"),
        "{}",
        total.detail
    );
}

#[test]
fn taxed_fee_gets_its_own_tax_line_and_no_category() {
    let e = eu_with(|v| {
        v["fees"] = json!([sourced(json!({
            "id": "LEVY", "kind": "levy", "name": "levy + VAT", "amount": "2.21", "per": "consignment",
            "payer": "consignee", "taxed": true
        }))]);
    });
    let mut d = base();
    d["transaction"] = json!("C2C");
    d["items"][0]["nature"] = json!("gift");
    d["shipping"] = json!("0");
    // A gift of 40 <= 45 is relieved; only the levy and the VAT on it (20 % of 2.21 = 0.442)
    // are due, and that VAT does not make the consignment dutiable.
    let r = run(&e, &d, &AssessOptions::traced()).unwrap();
    assert_eq!(r.fee_total.to_string(), "2.21");
    let fee_tax = r
        .taxes
        .iter()
        .find(|t| t.basis == Some(crate::result::TaxBasis::Fee))
        .unwrap();
    assert_eq!(
        (fee_tax.base.to_string(), fee_tax.amount.to_string()),
        ("2.21".into(), "0.44".into())
    );
    assert!(fee_tax.items.is_empty());
    assert_eq!(r.tax_total.to_string(), "0.44");
    assert_eq!(r.due_at_import.to_string(), "2.65");
    assert_eq!(r.category.code, 2);
    assert!(r
        .trace
        .iter()
        .flatten()
        .any(|s| s.rule.ends_with("fees.LEVY.taxed") && s.detail.contains("0.44")));
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["taxes"][0]["basis"], json!("fee"));

    // Taxed on its own and in the goods' base would tax it twice: the pack is refused.
    let mut pack: Value = serde_json::from_str(EU_PACK).unwrap();
    pack["versions"][0]["fees"] = json!([sourced(json!({
        "id": "LEVY", "kind": "levy", "name": "t", "amount": "1", "per": "consignment",
        "payer": "consignee", "taxed": true, "in_tax_base": true
    }))]);
    let err = Engine::builder()
        .regime_json(pack.to_string())
        .build()
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidPack);
}

#[test]
fn gift_allowance_charges_the_excess_only() {
    let e = eu_with(|v| {
        v["gift_relief"]["mode"] = json!("allowance");
        v["gift_relief"]["flat_rate"] = Value::Null;
    });
    let mut d = base();
    d["transaction"] = json!("C2C");
    d["shipping"] = json!("0");
    d["items"] = json!([
        {"description": "t-shirt", "hs_code": "610910", "quantity": 1, "value": "200.00", "origin": "CN", "nature": "gift"},
        {"description": "jumper", "hs_code": "611020", "quantity": 1, "value": "100.00", "origin": "CN", "nature": "gift"}
    ]);
    // 45 shared 200:100 = 30 + 15; duty 12 % of 170 and 85 = 20.40 + 10.20; VAT 20 % of
    // (170 + 20.40) + (85 + 10.20) = 285.60 → 57.12.
    let r = run(&e, &d, &AssessOptions::traced()).unwrap();
    assert_eq!(r.customs_value.to_string(), "300.00");
    assert_eq!(r.duties[0].base.to_string(), "170.00");
    assert_eq!(r.duties[0].amount.to_string(), "20.40");
    assert_eq!(r.duties[1].base.to_string(), "85.00");
    assert_eq!(r.duties[1].amount.to_string(), "10.20");
    assert_eq!(r.taxes[0].base.to_string(), "285.60");
    assert_eq!(r.tax_total.to_string(), "57.12");
    assert!(r
        .trace
        .iter()
        .flatten()
        .any(|s| s.step == crate::trace::Step::GiftRelief && s.detail.contains("allowance")));
    // At or below the amount the allowance relieves everything, as a threshold would.
    d["items"][0]["value"] = json!("30.00");
    d["items"][1]["value"] = json!("15.00");
    let r = run(&e, &d, &AssessOptions::default()).unwrap();
    assert_eq!(r.total_payable.to_string(), "0.00");
    // The default mode charges the full value above the amount.
    let threshold = eu_with(|v| v["gift_relief"]["flat_rate"] = Value::Null);
    d["items"][0]["value"] = json!("200.00");
    d["items"][1]["value"] = json!("100.00");
    let r = run(&threshold, &d, &AssessOptions::default()).unwrap();
    assert_eq!(r.duty_total.to_string(), "36.00");
}

#[test]
fn duty_on_gross_mass_is_rounded_by_the_pack() {
    let e = eu_with(|v| {
        v["rounding"]["gross_mass"] = sourced(json!({"mode": "up", "increment": "0.1"}));
        for line in v["tariff"]["lines"].as_array_mut().unwrap() {
            if line["hs"] == json!("610910") {
                line["duty"] = json!("20 EUR/100kg gross");
            }
        }
    });
    let mut d = base();
    d["items"][0]["value"] = json!("200.00");
    d["items"][0]["gross_mass_kg"] = json!("1.234");
    // 1.234 kg rounded up to 1.3 kg; 20 × 1.3 / 100 = 0.26.
    let r = run(&e, &d, &AssessOptions::traced()).unwrap();
    assert_eq!(r.duties[0].amount.to_string(), "0.26");
    assert!(r
        .trace
        .iter()
        .flatten()
        .any(|s| s.step == crate::trace::Step::Duty && s.detail.contains("gross mass 1.3 kg")));
    d["items"][0]["gross_mass_kg"] = Value::Null;
    let err = run(&e, &d, &AssessOptions::default()).unwrap_err();
    assert_eq!(
        (err.code, err.path.as_deref()),
        (ErrorCode::MissingDutyInput, Some("items[0].gross_mass_kg"))
    );
    d["items"][0]["gross_mass_kg"] = json!("-1");
    let err = run(&e, &d, &AssessOptions::default()).unwrap_err();
    assert_eq!(err.path.as_deref(), Some("items[0].gross_mass_kg"));
}

#[test]
fn tax_threshold_can_waive_the_duty_too_under_an_option() {
    // Switzerland before 2024: a T-shirt whose VAT (3.50) is CHF 5 or less, with a duty of
    // 0.46 per 100 kg gross.
    let d = json!({
        "id": "t", "date": "2023-02-15", "destination": "CH", "currency": "CHF",
        "items": [{"description": "T-shirt", "hs_code": "61091000", "quantity": 1, "value": "40.00", "origin": "CN", "gross_mass_kg": "0.3"}],
        "shipping": "5.00",
        "seller": {"name": "S", "country": "CN"},
        "consignee": {"name": "C", "country": "CH", "address": {"line1": "1", "city": "Bern", "postcode": "3000", "country": "CH"}}
    });
    let e = embedded();
    let option = "ch_duty_when_tax_not_levied";
    // Keep the small duty out of the other rule (duty below CHF 5 not collected).
    let base = || AssessOptions::default().option("ch_duty_under_5_not_collected", "collected");
    let waived = run(&e, &d, &base()).unwrap();
    assert_eq!(waived.duty_total.to_string(), "0.00");
    assert_eq!(waived.duties[0].basis, crate::result::DutyBasis::DeMinimis);
    let collected = run(&e, &d, &base().option(option, "collected")).unwrap();
    assert_eq!(collected.duty_total.to_string(), "0.46");
    let err = run(&e, &d, &base().option(option, "reject")).unwrap_err();
    assert_eq!(err.code, ErrorCode::UncertainRule);
    // Where the VAT is levied the reading does not matter, so `reject` does not fail.
    let mut big = d.clone();
    big["items"][0]["value"] = json!("200.00");
    let r = run(&e, &big, &base().option(option, "reject")).unwrap();
    assert_eq!(r.duty_total.to_string(), "0.46");
    // Under the default reading of the other option, a duty below CHF 5 is not collected.
    let r = run(&e, &big, &AssessOptions::default()).unwrap();
    assert_eq!(r.duty_total.to_string(), "0.00");
    assert_eq!(
        r.duties[0].basis,
        crate::result::DutyBasis::MinimumCollectable
    );
}

/// A result filled over an earlier one (the streaming path, `assess_into`) is the result
/// assessed afresh (`assess`, [`super::fill`] over [`Assessment::empty`]): nothing of the
/// earlier declaration (more lines, findings, a trace) shows.
#[test]
fn assess_into_is_assess() {
    let engine = embedded();
    let mut big = base();
    big["items"] = json!([
        {"description": "T-shirt", "hs_code": "610910", "quantity": 2, "value": "400.00", "origin": "CN"},
        {"description": "Watch", "hs_code": "910211", "quantity": 1, "value": "90.00", "origin": "CH"},
        {"description": "Letter", "quantity": 1, "value": "0.00", "nature": "document"}
    ]);
    let mut small = base();
    small["destination"] = json!("DE");
    let traced = AssessOptions {
        trace: true,
        ..AssessOptions::default()
    };
    let plain = AssessOptions::default();
    let cases = [
        (&big, &traced),
        (&small, &plain),
        (&big, &plain),
        (&small, &traced),
    ];
    let decl = |v: &Value| crate::declaration::Declaration::from_json(&v.to_string()).unwrap();
    for (before, before_opts) in cases {
        for (after, after_opts) in cases {
            let mut out = super::assess(&engine, &decl(before), before_opts).unwrap();
            super::assess_into(&engine, &decl(after), after_opts, &mut out).unwrap();
            let fresh = super::assess(&engine, &decl(after), after_opts).unwrap();
            assert_eq!(out, fresh);
        }
    }
}
