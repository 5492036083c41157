//! Risk profiles and release decisions: every rule type of the EU and GB sample profiles,
//! the profile schema, broken profiles, and the decision ladder.

mod common;

use std::path::Path;

use serde_json::{json, Value};
use xborder::release::Decision;
use xborder::{AssessOptions, Engine, ErrorCode};

fn root() -> &'static Path {
    common::repo()
}

/// A test tariff adding lines the sample tariffs lack (plants, medicines, firearms, meat);
/// the 0 % rates are fixtures, not legal claims.
const TEST_TARIFF: &str = "hs,duty,description,source,checked
0201,0%,meat fixture,test fixture,2026-11-29
220421,0%,wine fixture,test fixture,2026-11-29
060290,0%,plants fixture,test fixture,2026-11-29
300490,0%,medicines fixture,test fixture,2026-11-29
930400,0%,weapons fixture,test fixture,2026-11-29
610910,12%,T-shirts fixture,test fixture,2026-11-29
640351,0%,footwear fixture,test fixture,2026-11-29
851713,0%,smartphones fixture,test fixture,2026-11-29
";

fn engine() -> Engine {
    Engine::embedded().unwrap()
}

fn engine_with_test_tariff() -> Engine {
    Engine::builder()
        .tariff("EU", TEST_TARIFF)
        .tariff("GB", TEST_TARIFF)
        .build()
        .unwrap()
}

/// A low-risk EU consignment: IOSS seller, advance data lodged 6 h before arrival. Germany,
/// because France charged a per-line small-parcel fee at import from 2026-03-01.
fn eu() -> Value {
    json!({
        "id": "risk-eu", "date": "2026-03-15", "destination": "DE", "currency": "EUR",
        "items": [{"description": "Cotton T-shirt", "hs_code": "610910", "quantity": 1,
                   "value": "40.00", "origin": "CN", "net_mass_kg": "0.2"}],
        "seller": {"name": "Shop", "country": "CN",
                   "registrations": [{"scheme": "IOSS", "number": "IM2500000001"}]},
        "consignee": {"name": "A. Buyer", "country": "DE",
                      "address": {"line1": "Hauptstr. 1", "city": "Berlin", "postcode": "10115", "country": "DE"}},
        "lodged_at": "2026-03-14T20:00:00Z", "arrival_at": "2026-03-15T02:00:00Z"
    })
}

/// A low-risk GB consignment: GB_VAT-registered seller, advance data on time.
fn gb() -> Value {
    json!({
        "id": "risk-gb", "date": "2025-10-01", "destination": "GB", "currency": "GBP",
        "items": [{"description": "T-shirt, cotton, knitted", "hs_code": "610910", "quantity": 2,
                   "value": "40.00", "origin": "US", "net_mass_kg": "0.4"}],
        "seller": {"name": "Portland Outdoor Supply LLC", "country": "US",
                   "registrations": [{"scheme": "GB_VAT", "number": "GB123456789"}]},
        "consignee": {"name": "Oliver Smith", "kind": "individual", "country": "GB",
                      "address": {"line1": "221 High Street", "city": "Manchester", "postcode": "M1 1AA", "country": "GB"}},
        "lodged_at": "2025-09-30T10:00:00+01:00", "arrival_at": "2025-10-01T06:00:00Z"
    })
}

fn release(engine: &Engine, decl: &Value) -> Value {
    let result = engine
        .assess_json(&decl.to_string(), &AssessOptions::traced())
        .unwrap_or_else(|e| panic!("{e}"));
    let value = serde_json::to_value(&result).unwrap();
    let steps: Vec<&str> = value["trace"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["step"].as_str().unwrap())
        .collect();
    // The decision comes last, after the totals it depends on.
    assert_eq!(steps.last(), Some(&"release"), "{steps:?}");
    value["release"].clone()
}

fn codes(release: &Value) -> Vec<String> {
    release["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_string())
        .collect()
}

fn reason<'a>(release: &'a Value, code: &str) -> &'a Value {
    release["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == code)
        .unwrap_or_else(|| panic!("no reason {code} in {release:#}"))
}

#[test]
fn low_risk_with_advance_data_and_settled_revenue_is_released_immediately() {
    for (decl, profile) in [(eu(), "EU-sample"), (gb(), "GB-sample")] {
        let r = release(&engine(), &decl);
        assert_eq!(r["decision"], "immediate_release", "{r:#}");
        assert_eq!(r["score"], 0);
        assert_eq!(r["profile"], profile);
        assert_eq!(codes(&r), ["REL_REVENUE_SETTLED"]);
    }
}

#[test]
fn revenue_due_at_the_border_means_release_after_payment() {
    let mut d = eu();
    d["seller"]["registrations"] = json!([]);
    let r = release(&engine(), &d);
    assert_eq!(r["decision"], "release_after_payment", "{r:#}");
    assert_eq!(reason(&r, "R_EU_SELLER_NOT_IOSS")["weight"], 0);
    assert!(reason(&r, "REL_REVENUE_DUE")["message"]
        .as_str()
        .unwrap()
        .contains("7.60 is due at import"));
}

#[test]
fn carrier_special_arrangements_do_not_wait_for_payment() {
    let mut d = eu();
    d["seller"]["registrations"] = json!([]);
    d["channel"] = json!("postal");
    d["carrier"] = json!({"name": "La Poste", "kind": "postal", "schemes": ["EU_SA"]});
    let result = engine()
        .assess_json(&d.to_string(), &AssessOptions::default())
        .unwrap();
    assert_eq!(result.collection.scheme.as_deref(), Some("EU_SA"));
    assert!(!result.due_at_import.0.is_zero());
    assert_eq!(result.release.decision, Decision::ImmediateRelease);
    assert_eq!(
        result.release.reasons.last().unwrap().code.as_ref(),
        "REL_REVENUE_SETTLED"
    );
}

#[test]
fn missing_advance_data_forces_a_documentary_check_even_for_aeo() {
    for (mut d, code) in [
        (eu(), "R_EU_ADVANCE_DATA_MISSING"),
        (gb(), "R_GB_ADVANCE_DATA_MISSING"),
    ] {
        d.as_object_mut().unwrap().remove("lodged_at");
        d["carrier"] = json!({"name": "X", "kind": "express", "aeo": true});
        let r = release(&engine(), &d);
        assert_eq!(r["decision"], "documentary_check", "{r:#}");
        assert_eq!(reason(&r, code)["path"], "lodged_at");
        assert_eq!(reason(&r, code)["action"], "documentary_check");
    }
    let mut d = eu();
    d.as_object_mut().unwrap().remove("arrival_at");
    let r = release(&engine(), &d);
    assert_eq!(
        reason(&r, "R_EU_ADVANCE_DATA_MISSING")["path"],
        "arrival_at"
    );
    // The message of a lodging time without an arrival time is its own, not the compiled one
    // of the usual hit (no lodging time); with neither time, the usual one.
    let reason_text =
        "No advance electronic data (lodging and arrival times) for pre-arrival risk analysis";
    assert_eq!(
        reason(&r, "R_EU_ADVANCE_DATA_MISSING")["message"],
        format!("{reason_text}: no arrival time is declared")
    );
    d.as_object_mut().unwrap().remove("lodged_at");
    let r = release(&engine(), &d);
    assert_eq!(reason(&r, "R_EU_ADVANCE_DATA_MISSING")["path"], "lodged_at");
    assert_eq!(
        reason(&r, "R_EU_ADVANCE_DATA_MISSING")["message"],
        format!("{reason_text}: no lodging time of the advance data is declared")
    );
}

#[test]
fn late_advance_data_adds_weight_that_aeo_status_offsets() {
    let mut d = eu();
    d["lodged_at"] = json!("2026-03-15T00:30:00Z"); // 1 h 30 before arrival; the limit is 4 h
    let r = release(&engine(), &d);
    assert_eq!(r["decision"], "documentary_check", "{r:#}");
    assert_eq!(r["score"], 30);
    assert!(reason(&r, "R_EU_ADVANCE_DATA_LATE")["message"]
        .as_str()
        .unwrap()
        .contains("1h30 before arrival"));
    assert_eq!(reason(&r, "REL_SCORE")["action"], "documentary_check");

    // Exactly 4 h before arrival is on time.
    d["lodged_at"] = json!("2026-03-14T22:00:00Z");
    assert_eq!(release(&engine(), &d)["decision"], "immediate_release");

    // Late, but an AEO carrier (Standard 6) brings the score under the threshold.
    d["lodged_at"] = json!("2026-03-15T00:30:00Z");
    d["carrier"] = json!({"name": "X", "kind": "express", "aeo": true});
    let r = release(&engine(), &d);
    assert_eq!(r["score"], 15);
    assert_eq!(r["decision"], "immediate_release", "{r:#}");
    assert_eq!(reason(&r, "R_EU_AEO_CARRIER")["weight"], -15);
}

#[test]
fn aeo_of_seller_and_marketplace_is_read() {
    let mut d = gb();
    d["seller"]["aeo"] = json!(true);
    d["marketplace"] = json!({"name": "Market", "country": "US", "aeo": true,
                              "registrations": [{"scheme": "GB_VAT", "number": "GB987654321"}]});
    let r = release(&engine(), &d);
    assert_eq!(r["score"], -20, "{r:#}");
    assert_eq!(reason(&r, "R_GB_AEO_SELLER")["path"], "seller.aeo");
    assert_eq!(
        reason(&r, "R_GB_AEO_MARKETPLACE")["path"],
        "marketplace.aeo"
    );
}

#[test]
fn restricted_goods_by_hs_prefix_are_routed_to_their_agency() {
    let e = engine_with_test_tariff();
    for (hs, code, agency) in [
        ("060290", "R_EU_PLANT_HEALTH", "plant health authority"),
        ("300490", "R_EU_MEDICINES", "national medicines authority"),
        (
            "930400",
            "R_EU_FIREARMS",
            "national firearms licensing authority",
        ),
        (
            "020130",
            "R_EU_ANIMAL_PRODUCTS",
            "veterinary border control post",
        ),
    ] {
        let mut d = eu();
        d["items"][0]["hs_code"] = json!(hs);
        d["items"][0]["description"] = json!("Declared goods");
        let r = release(&e, &d);
        assert_eq!(r["decision"], "refer_to_agency", "{hs}: {r:#}");
        assert_eq!(r["agencies"], json!([agency]));
        assert_eq!(reason(&r, code)["agency"], agency);
        assert_eq!(reason(&r, code)["path"], "items[0].hs_code");
    }
    let mut d = gb();
    d["items"][0]["hs_code"] = json!("300490");
    d["items"][0]["description"] = json!("Paracetamol tablets");
    let r = release(&e, &d);
    assert_eq!(
        r["agencies"],
        json!(["Medicines and Healthcare products Regulatory Agency"])
    );
}

#[test]
fn restricted_and_prohibited_goods_by_keyword() {
    let mut d = eu();
    d["items"][0]["description"] = json!("Carved IVORY figurine");
    d["items"][0]["hs_code"] = json!("610910");
    let r = release(&engine(), &d);
    assert_eq!(r["decision"], "refer_to_agency", "{r:#}");
    assert_eq!(r["agencies"], json!(["CITES management authority"]));

    let mut d = gb();
    d["items"][0]["description"] = json!("Flick knife, chrome");
    let r = release(&engine(), &d);
    assert_eq!(r["decision"], "hold", "{r:#}");
    assert_eq!(reason(&r, "R_GB_OFFENSIVE_WEAPONS")["action"], "hold");

    // Whole words only: "fakes" is not "fake", "counterparts" is not "parts".
    let mut d = eu();
    d["items"][0]["description"] = json!("Counterparts board game T-shirt");
    assert_eq!(release(&engine(), &d)["decision"], "immediate_release");

    // A hold outranks a referral, and every agency is still listed.
    let mut d = eu();
    d["items"][0]["description"] = json!("Replica ivory bracelet");
    let r = release(&engine(), &d);
    assert_eq!(r["decision"], "hold");
    assert_eq!(r["agencies"], json!(["CITES management authority"]));
}

#[test]
fn undervaluation_per_unit_and_per_kg() {
    let e = engine_with_test_tariff();
    let mut d = eu();
    d["items"][0] = json!({"description": "Smartphone", "hs_code": "851713", "quantity": 2,
                           "value": "50.00", "origin": "CN"});
    let r = release(&e, &d);
    assert_eq!(r["decision"], "documentary_check", "{r:#}");
    let hit = reason(&r, "R_EU_UNDERVALUED_PHONES");
    assert_eq!(hit["path"], "items[0].value");
    assert!(
        hit["message"].as_str().unwrap().contains("25.00 per unit"),
        "{hit}"
    );
    // 2 phones at 30.00 each meet the reference.
    d["items"][0]["value"] = json!("60.00");
    assert_eq!(release(&e, &d)["decision"], "immediate_release");

    let mut d = gb();
    d["items"][0] = json!({"description": "Leather shoes", "hs_code": "640351", "quantity": 1,
                           "value": "7.00", "origin": "CN", "net_mass_kg": "1.0"});
    let r = release(&e, &d);
    assert!(
        codes(&r).contains(&"R_GB_UNDERVALUED_FOOTWEAR".to_string()),
        "{r:#}"
    );
    // Without a mass the per-kg reference cannot be applied, and nothing is guessed.
    d["items"][0].as_object_mut().unwrap().remove("net_mass_kg");
    assert!(!codes(&release(&e, &d)).contains(&"R_GB_UNDERVALUED_FOOTWEAR".to_string()));
}

#[test]
fn vague_descriptions_and_hs_inconsistent_with_the_description() {
    for text in ["Gift", "spare parts", "SAMPLES", "accessories - various"] {
        let mut d = eu();
        d["items"][0]["description"] = json!(text);
        let r = release(&engine(), &d);
        assert_eq!(r["decision"], "documentary_check", "{text}: {r:#}");
        assert_eq!(
            reason(&r, "R_EU_VAGUE_DESCRIPTION")["path"],
            "items[0].description"
        );
    }
    let mut d = gb();
    d["items"][0]["description"] = json!("Gift: cotton T-shirt");
    assert_eq!(release(&engine(), &d)["decision"], "immediate_release");

    // A phone declared under the T-shirt heading.
    let mut d = gb();
    d["items"][0]["description"] = json!("Mobile phone case and phone");
    let r = release(&engine(), &d);
    assert_eq!(
        reason(&r, "R_GB_HS_NOT_PHONE_OR_COMPUTER")["path"],
        "items[0].hs_code"
    );
    let mut d = eu();
    d["items"][0]["description"] = json!("Running shoes");
    assert!(codes(&release(&engine(), &d)).contains(&"R_EU_HS_NOT_FOOTWEAR".to_string()));
}

#[test]
fn unknown_unregistered_and_listed_sellers() {
    let mut d = gb();
    d["seller"] = json!({"name": "Someone"});
    let r = release(&engine(), &d);
    assert_eq!(r["score"], 50, "{r:#}"); // unknown 20 + unregistered 30
    assert!(codes(&r).contains(&"R_GB_SELLER_UNKNOWN".to_string()));
    assert!(codes(&r).contains(&"R_GB_SELLER_UNREGISTERED".to_string()));

    // Above GBP 135 the seller need not be registered.
    let mut d = gb();
    d["seller"]["registrations"] = json!([]);
    d["items"][0]["value"] = json!("200.00");
    assert!(!codes(&release(&engine(), &d)).contains(&"R_GB_SELLER_UNREGISTERED".to_string()));

    let mut d = eu();
    d["marketplace"] = json!({"name": "example  watchlisted trading LTD", "country": "CN"});
    let r = release(&engine(), &d);
    assert_eq!(r["decision"], "inspection", "{r:#}");
    assert_eq!(reason(&r, "R_EU_WATCH_LIST")["path"], "marketplace.name");
}

#[test]
fn origin_rules_and_release_categories() {
    let mut d = gb();
    d["items"][0]["origin"] = json!("KP");
    let r = release(&engine(), &d);
    assert_eq!(r["decision"], "hold", "{r:#}");
    assert_eq!(reason(&r, "R_GB_ORIGIN_DPRK")["path"], "items[0].origin");

    let mut d = eu();
    d["items"][0]["value"] = json!("400.00");
    let r = release(&engine(), &d);
    assert_eq!(r["decision"], "documentary_check", "{r:#}");
    assert_eq!(reason(&r, "R_EU_HIGH_VALUE")["action"], "documentary_check");
}

#[test]
fn error_findings_force_a_documentary_check() {
    let mut d = eu();
    d["items"][0]["hs_code"] = json!("220421");
    d["items"][0]["description"] = json!("Red wine, 75 cl bottle");
    let result = engine_with_test_tariff()
        .assess_json(&d.to_string(), &AssessOptions::default())
        .unwrap();
    assert!(result
        .findings
        .iter()
        .any(|f| f.code == "F_EXCISE_NOT_ASSESSED"));
    assert_eq!(result.release.decision, Decision::DocumentaryCheck);
    let reason = result
        .release
        .reasons
        .iter()
        .find(|r| r.code.as_ref() == "F_EXCISE_NOT_ASSESSED")
        .unwrap();
    assert_eq!(reason.path.as_deref(), Some("items[0].hs_code"));
    assert_eq!(reason.action, Some(Decision::DocumentaryCheck));
}

#[test]
fn caller_profiles_replace_the_samples_and_can_be_left_out() {
    let custom = json!({
        "format": "xborder-risk-profile/1", "id": "FR-targeting-2026-11", "regime": "EU",
        "name": "test", "currency": "EUR", "issued": "2026-11-29", "source": "test",
        "checked": "2026-11-29", "thresholds": {"documentary_check": 10, "inspection": 20, "hold": 40},
        "rules": [{"code": "R_TSHIRT", "weight": 25, "reason": "T-shirts this week",
                   "when": {"hs_prefix": ["6109"]}, "source": "test", "checked": "2026-11-29"},
                  {"code": "R_CN", "weight": 20, "reason": "origin CN this week",
                   "when": {"origin": {"countries": ["CN"], "hs_prefix": ["61"]}},
                   "source": "test", "checked": "2026-11-29"}]
    });
    let e = Engine::builder()
        .risk_profile_json(custom.to_string())
        .build()
        .unwrap();
    let r = release(&e, &eu());
    assert_eq!(r["profile"], "FR-targeting-2026-11");
    assert_eq!(r["score"], 45);
    assert_eq!(r["decision"], "hold", "{r:#}");
    // GB keeps its sample.
    assert_eq!(release(&e, &gb())["profile"], "GB-sample");

    let e = Engine::builder()
        .without_sample_risk_profiles()
        .build()
        .unwrap();
    let mut d = eu();
    d["items"][0]["description"] = json!("Gift");
    let r = release(&e, &d);
    assert_eq!(r["profile"], Value::Null);
    assert_eq!(r["decision"], "immediate_release");
    assert_eq!(codes(&r), ["REL_REVENUE_SETTLED"]);
}

/// An edit that breaks a profile.
type Edit = Box<dyn Fn(&mut Value)>;

fn broken(edit: impl Fn(&mut Value)) -> xborder::Error {
    let mut p: Value =
        serde_json::from_str(include_str!("../../regimes/EU/risk-profile.json")).unwrap();
    edit(&mut p);
    Engine::builder()
        .risk_profile_json(p.to_string())
        .build()
        .expect_err("the broken profile must be rejected")
}

#[test]
fn broken_profiles_are_rejected_with_paths() {
    let cases: Vec<(Edit, ErrorCode, &str)> = vec![
        (
            Box::new(|p| p["format"] = json!("2")),
            ErrorCode::InvalidPack,
            "risk_profile[0].format",
        ),
        (
            Box::new(|p| p["rules"][0]["code"] = json!("lower")),
            ErrorCode::InvalidPack,
            "risk_profile[0].rules[0].code",
        ),
        (
            Box::new(|p| p["rules"][1]["code"] = p["rules"][0]["code"].clone()),
            ErrorCode::InvalidPack,
            "risk_profile[0].rules[1].code",
        ),
        (
            Box::new(|p| {
                p["rules"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("agency")
                    .map(|_| ())
                    .unwrap()
            }),
            ErrorCode::InvalidPack,
            "risk_profile[0].rules[0].agency",
        ),
        (
            Box::new(|p| p["rules"][0]["action"] = json!("immediate_release")),
            ErrorCode::InvalidPack,
            "risk_profile[0].rules[0].action",
        ),
        (
            Box::new(|p| p["rules"][0]["when"] = json!({"hs_prefix": ["06a"]})),
            ErrorCode::InvalidPack,
            "risk_profile[0].rules[0].when",
        ),
        (
            Box::new(|p| p["rules"][0]["when"] = json!({"colour": ["red"]})),
            ErrorCode::InvalidPack,
            "risk_profile[0].rules[0].when",
        ),
        (
            Box::new(|p| p["rules"][0]["weight"] = json!(5000)),
            ErrorCode::InvalidPack,
            "risk_profile[0].rules[0].weight",
        ),
        (
            Box::new(|p| p["rules"][0]["typo"] = json!(1)),
            ErrorCode::InvalidPack,
            "risk_profile[0].rules[0].typo",
        ),
        (
            Box::new(|p| p["thresholds"]["inspection"] = json!(5)),
            ErrorCode::InvalidPack,
            "risk_profile[0].thresholds",
        ),
        (
            Box::new(|p| p["currency"] = json!("GBP")),
            ErrorCode::InvalidPack,
            "risk_profile[0].currency",
        ),
        (
            Box::new(|p| p["regime"] = json!("XX")),
            ErrorCode::NoRegime,
            "risk_profile[0].regime",
        ),
    ];
    for (i, (edit, code, path)) in cases.into_iter().enumerate() {
        let e = broken(edit);
        assert_eq!(e.code, code, "case {i}: {e}");
        assert_eq!(e.path.as_deref(), Some(path), "case {i}: {e}");
    }
}

fn profile_schema() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("regimes/schema/risk-profile.schema.json")).unwrap(),
    )
    .unwrap();
    jsonschema::validator_for(&schema).expect("the schema is itself valid")
}

#[test]
fn sample_profiles_match_the_schema_and_use_every_rule_type() {
    let validator = profile_schema();
    let mut kinds = std::collections::BTreeSet::new();
    for (id, text) in xborder::risk::EMBEDDED {
        let on_disk =
            std::fs::read_to_string(root().join(format!("regimes/{id}/risk-profile.json")))
                .unwrap();
        assert_eq!(
            &on_disk, text,
            "{id}: embedded profile differs from the file"
        );
        let value: Value = serde_json::from_str(text).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{e} at {}", e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{id}: {}", errors.join("\n"));
        for rule in value["rules"].as_array().unwrap() {
            kinds.insert(
                rule["when"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .next()
                    .unwrap()
                    .clone(),
            );
            assert!(
                rule["source"].as_str().unwrap().len() > 10,
                "{}",
                rule["code"]
            );
        }
    }
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        [
            "advance_data_late",
            "advance_data_missing",
            "aeo",
            "category",
            "description_chapter",
            "hs_prefix",
            "keyword",
            "origin",
            "party_listed",
            "seller_unknown",
            "seller_unregistered",
            "undervalued",
            "vague_description"
        ]
    );
}

#[test]
fn schema_rejects_what_the_loader_rejects() {
    let validator = profile_schema();
    let base: Value =
        serde_json::from_str(include_str!("../../regimes/GB/risk-profile.json")).unwrap();
    let edits: Vec<Edit> = vec![
        Box::new(|p| p["format"] = json!("2")),
        Box::new(|p| p["rules"][0]["code"] = json!("lower")),
        Box::new(|p| {
            p["rules"][0].as_object_mut().unwrap().remove("agency");
        }),
        Box::new(|p| p["rules"][0]["when"] = json!({"hs_prefix": ["06a"]})),
        Box::new(|p| p["rules"][0]["when"] = json!({"colour": ["red"]})),
        Box::new(|p| p["rules"][0]["weight"] = json!(5000)),
        Box::new(|p| p["rules"][0]["typo"] = json!(1)),
        Box::new(|p| {
            p["rules"][0]["when"] =
                json!({"undervalued": {"hs_prefix": ["85"], "per": "unit", "minimum": 3}})
        }),
    ];
    for (i, edit) in edits.iter().enumerate() {
        let mut p = base.clone();
        edit(&mut p);
        assert!(!validator.is_valid(&p), "schema accepted broken case {i}");
        assert!(
            xborder::risk::RiskProfile::from_json(&p.to_string()).is_err(),
            "loader accepted case {i}"
        );
    }
}

#[test]
fn bad_advance_data_times_are_input_errors() {
    let mut d = eu();
    d["lodged_at"] = json!("2026-03-15 08:00");
    let e = engine()
        .assess_json(&d.to_string(), &AssessOptions::default())
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidDate);
    assert_eq!(e.path.as_deref(), Some("lodged_at"));
}

#[test]
fn every_vector_result_carries_a_release() {
    let e = common::sample_engine();
    let mut seen = 0;
    for vector in common::vectors() {
        let regime = vector.file.parent().unwrap().file_name().unwrap();
        if regime != "EU" && regime != "GB" {
            continue;
        }
        if let Ok(result) = e.assess_json(&vector.declaration(), &AssessOptions::default()) {
            let json = serde_json::to_value(&result).unwrap();
            assert!(json["release"]["decision"].is_string());
            assert!(!json["release"]["reasons"].as_array().unwrap().is_empty());
            seen += 1;
        }
    }
    assert!(seen > 30);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn declaration(
        value_cents: u32,
        description: usize,
        lead_minutes: Option<i64>,
        ioss: bool,
        aeo: bool,
    ) -> Value {
        let mut d = eu();
        d["items"][0]["value"] = json!(format!("{}.{:02}", value_cents / 100, value_cents % 100));
        d["items"][0]["description"] = json!(
            [
                "Cotton T-shirt",
                "Gift",
                "Ivory T-shirt",
                "Replica T-shirt",
                "shoes"
            ][description]
        );
        if !ioss {
            d["seller"]["registrations"] = json!([]);
        }
        match lead_minutes {
            None => {
                d.as_object_mut().unwrap().remove("lodged_at");
            }
            Some(m) => {
                // arrival 2026-03-15T02:00Z minus m minutes, as an offset-free UTC time
                let t = 26 * 60 - m; // minutes after 2026-03-14T00:00Z
                let (day, rest) = (14 + t.div_euclid(1440), t.rem_euclid(1440));
                d["lodged_at"] = json!(format!(
                    "2026-03-{day:02}T{:02}:{:02}:00Z",
                    rest / 60,
                    rest % 60
                ));
            }
        }
        if aeo {
            d["carrier"] = json!({"name": "X", "kind": "express", "aeo": true});
        }
        d
    }

    proptest! {
        /// Trusted-trader status is a facilitation: it never makes the decision stricter.
        /// And a consignment is released immediately only when nothing awaits payment.
        #[test]
        fn aeo_never_tightens_and_immediate_release_needs_settled_revenue(
            value_cents in 1u32..60_000,
            description in 0usize..5,
            lead_minutes in proptest::option::of(0i64..1_000),
            ioss in any::<bool>(),
        ) {
            let e = engine();
            let assess = |aeo: bool| {
                e.assess_json(
                    &declaration(value_cents, description, lead_minutes, ioss, aeo).to_string(),
                    &AssessOptions::default(),
                )
                .unwrap()
            };
            let (plain, trusted) = (assess(false), assess(true));
            prop_assert!(trusted.release.decision <= plain.release.decision,
                "{:?} with AEO vs {:?} without", trusted.release.decision, plain.release.decision);
            prop_assert!(trusted.release.score < plain.release.score);
            for r in [&plain, &trusted] {
                if r.release.decision == Decision::ImmediateRelease {
                    prop_assert!(r.due_at_import.0.is_zero() || r.collection.when == xborder::regime::pack::When::Periodic);
                }
                let sum: i32 = r.release.reasons.iter().map(|x| x.weight).sum();
                prop_assert_eq!(sum, r.release.score);
            }
        }
    }
}

/// Issue 15: a private gift is not a sale, so the seller-registration rules never fire on it.
/// A GBP 30 wool scarf from a relative used to go to a documentary check for "an overseas
/// seller ... must be VAT-registered".
#[test]
fn a_private_c2c_gift_never_fires_the_seller_registration_rules() {
    let mut d = gb();
    d["transaction"] = json!("C2C");
    d["items"] = json!([{"description": "Wool scarf", "hs_code": "611710", "quantity": 1,
                          "value": "30.00", "origin": "US", "net_mass_kg": "0.2", "nature": "gift"}]);
    d["seller"] = json!({"name": "Aunt Mary", "country": "US"});
    let r = release(&engine(), &d);
    assert!(
        !codes(&r).contains(&"R_GB_SELLER_UNREGISTERED".to_string()),
        "{r:#}"
    );
    assert_eq!(r["decision"], "immediate_release", "{r:#}");

    let mut e = eu();
    e["transaction"] = json!("C2C");
    e["items"][0]["nature"] = json!("gift");
    e["seller"] = json!({"name": "Uncle Bob", "country": "US"});
    let r = release(&engine(), &e);
    assert!(
        !codes(&r).contains(&"R_EU_SELLER_NOT_IOSS".to_string()),
        "{r:#}"
    );

    // A B2C consignment with no item sold (a shop's free gift, a return) is not a sale either.
    let mut g = gb();
    g["seller"]["registrations"] = json!([]);
    g["items"][0]["nature"] = json!("return");
    let r = release(&engine(), &g);
    assert!(
        !codes(&r).contains(&"R_GB_SELLER_UNREGISTERED".to_string()),
        "{r:#}"
    );
    // The same consignment sold still fires: the rule is narrowed, not switched off.
    g["items"][0]["nature"] = json!("sale");
    let r = release(&engine(), &g);
    assert!(
        codes(&r).contains(&"R_GB_SELLER_UNREGISTERED".to_string()),
        "{r:#}"
    );
}

/// The profile may widen the transactions a registration duty covers.
#[test]
fn seller_registration_rule_transactions_are_data() {
    let mut profile: Value =
        serde_json::from_str(include_str!("../../regimes/GB/risk-profile.json")).unwrap();
    for rule in profile["rules"].as_array_mut().unwrap() {
        if rule["code"] == "R_GB_SELLER_UNREGISTERED" {
            rule["when"]["seller_unregistered"]["transactions"] = json!(["B2C", "C2C"]);
        }
    }
    let engine = Engine::builder()
        .risk_profile_json(profile.to_string())
        .build()
        .unwrap();
    let mut d = gb();
    d["transaction"] = json!("C2C");
    d["seller"]["registrations"] = json!([]);
    let r = release(&engine, &d);
    assert!(
        codes(&r).contains(&"R_GB_SELLER_UNREGISTERED".to_string()),
        "{r:#}"
    );
}

#[test]
fn screening_off_leaves_the_release_undecided_and_the_charges_alone() {
    let mut d = gb();
    // A missing lodgement time forces a documentary check when screening is on...
    d.as_object_mut().unwrap().remove("lodged_at");
    let on = engine()
        .assess_json(&d.to_string(), &AssessOptions::traced())
        .unwrap();
    assert_eq!(on.release.decision.as_str(), "documentary_check");
    // ...and is not looked at when it is off: one reason, no score, no profile.
    let off_opts = AssessOptions::traced().option("screening", "off");
    let off = engine().assess_json(&d.to_string(), &off_opts).unwrap();
    let r = serde_json::to_value(&off.release).unwrap();
    assert_eq!(r["decision"], "not_screened", "{r:#}");
    assert_eq!(r["score"], 0);
    assert_eq!(r["profile"], Value::Null);
    assert_eq!(codes(&r), ["REL_NOT_SCREENED"]);
    assert_eq!(off.total_payable, on.total_payable);
    assert_eq!(off.duties, on.duties);
    assert_eq!(off.taxes, on.taxes);
    let last = off.trace.as_ref().and_then(|t| t.last()).unwrap();
    assert_eq!(
        (last.step, last.source.as_str()),
        (xborder::trace::Step::Release, "option screening=off")
    );
    // Only the two readings are accepted.
    let err = engine()
        .assess_json(
            &d.to_string(),
            &AssessOptions::default().option("screening", "maybe"),
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidOption, "{err}");
}

#[test]
fn not_screened_is_no_risk_rule_action() {
    let mut profile: Value =
        serde_json::from_str(include_str!("../../regimes/GB/risk-profile.json")).unwrap();
    profile["rules"][0]["action"] = json!("not_screened");
    let err = Engine::builder()
        .risk_profile_json(profile.to_string())
        .build()
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidPack, "{err}");
    assert!(
        err.path.as_deref().unwrap_or("").contains("action"),
        "{err}"
    );
}
