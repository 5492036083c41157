//! National tariff files through the engine: precedence over the pack's lines, lookup of codes
//! more and less precise than the schedule, `E_HS_AMBIGUOUS` and `hs_ambiguity=highest`,
//! rates that cannot be computed, HS editions, citations and the out-of-date finding. The
//! tariffs are real excerpts (`fixtures/tariff/`, cut from the USITC and UKGT publications).

use serde_json::{json, Value};
use xborder::{AssessOptions, Engine, ErrorCode};

const US: &str = include_str!("fixtures/tariff/us-excerpt.tariff");
const GB: &str = include_str!("fixtures/tariff/gb-excerpt.tariff");

fn decl(
    dest: &str,
    date: &str,
    currency: &str,
    hs: &str,
    value: &str,
    mass: Option<&str>,
) -> String {
    let mut item = json!({"description": "goods", "hs_code": hs, "quantity": 1, "value": value,
                          "origin": "GB"});
    if let Some(m) = mass {
        item["net_mass_kg"] = json!(m);
    }
    json!({
        "id": "t", "date": date, "destination": dest, "channel": "express", "currency": currency,
        "items": [item],
        "seller": {"name": "S", "country": "GB"},
        "consignee": {"name": "C", "kind": "individual", "country": dest,
                      "address": {"line1": "1", "city": "T", "postcode": "1", "country": dest}}
    })
    .to_string()
}

fn us() -> Engine {
    Engine::builder().tariff("US", US).build().unwrap()
}

fn gb() -> Engine {
    Engine::builder().tariff("GB", GB).build().unwrap()
}

fn json(engine: &Engine, text: &str, opts: &AssessOptions) -> Value {
    let (out, _) = engine.assess_to_json(text, opts);
    serde_json::from_str(&out).unwrap()
}

fn error(engine: &Engine, text: &str, opts: &AssessOptions) -> xborder::Error {
    engine.assess_json(text, opts).unwrap_err()
}

#[test]
fn a_full_code_is_priced_and_cited() {
    // Spot check against the official schedule: US 6109.10.00 is 16.5 %.
    let v = json(
        &us(),
        &decl("US", "2026-06-10", "USD", "6109100012", "1000.00", None),
        &AssessOptions::traced(),
    );
    let line = &v["duties"][0];
    assert_eq!(line["rate"], "16.5%", "{v}");
    assert_eq!(line["amount"], "165.00");
    assert_eq!(
        line["tariff"],
        json!({"revision": "2026-rev-10", "line": "61091000", "confidence": "confirmed"})
    );
    let step = v["trace"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["rule"] == "US.tariff/2026-rev-10/61091000")
        .unwrap_or_else(|| panic!("{v}"));
    let detail = step["detail"].as_str().unwrap();
    assert!(detail.contains("published rate \"16.5%\""), "{detail}");
    assert!(detail.contains("HTS 2026 Revision 10"), "{detail}");
    assert!(step["source"].as_str().unwrap().contains("USITC"), "{step}");
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["code"] != "F_TARIFF_NOT_CURRENT"));
}

#[test]
fn the_revision_in_force_prices() {
    let e = us();
    // 1801.00.00.00 was a 10-digit line in 2025 and the 8-digit 1801.00.00 from 2026 Rev 10.
    let cocoa = |date| {
        json(
            &e,
            &decl("US", date, "USD", "180100", "1000.00", None),
            &AssessOptions::default(),
        )
    };
    let before = cocoa("2025-01-15");
    assert_eq!(
        before["duties"][0]["tariff"]["line"], "1801000000",
        "{before}"
    );
    assert_eq!(before["duties"][0]["tariff"]["revision"], "2025-basic");
    let after = cocoa("2026-08-10");
    assert_eq!(after["duties"][0]["tariff"]["line"], "18010000", "{after}");
    assert_eq!(after["duties"][0]["tariff"]["revision"], "2026-rev-10");
}

#[test]
fn before_the_first_revision_the_pack_prices() {
    // The pack's own line for T-shirts (2024): no citation, the pack's source in the trace.
    let v = json(
        &us(),
        &decl("US", "2024-11-01", "USD", "61091000", "900.00", None),
        &AssessOptions::traced(),
    );
    assert_eq!(v["duties"][0]["rate"], "16.5%", "{v}");
    assert!(v["duties"][0].get("tariff").is_none(), "{v}");
    let detail = v["trace"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step"] == "duty")
        .unwrap()["detail"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(detail.contains("before the first revision"), "{detail}");
}

#[test]
fn a_code_covering_different_rates_is_ambiguous() {
    // The example: 620140 against US 6201.40.10 to .75, 4.4 % to 49.7¢/kg + 19.7 %.
    let err = error(
        &us(),
        &decl("US", "2025-09-15", "USD", "620140", "1000.00", Some("1.0")),
        &AssessOptions::default(),
    );
    assert_eq!(err.code, ErrorCode::HsAmbiguous);
    assert_eq!(err.path.as_deref(), Some("items[0].hs_code"));
    let m = &err.message;
    assert!(m.starts_with("HS 620140 covers 13 lines of Harmonized Tariff Schedule of the United States (test excerpt), revision 2025-rev-18 with different duties: 6201401000 (4.4%), 62014015 (49.7¢/kg + 19.7%), 62014020 (27.7%)"), "{m}");
    assert!(m.contains(" and 5 more; "), "{m}");
    assert!(m.contains("hs_ambiguity=highest"), "{m}");
}

#[test]
fn the_dearest_line_when_asked() {
    let opts = AssessOptions::default().option("hs_ambiguity", "highest");
    // USD 1000, 1 kg: 27.7 % = 277 beats 49.7¢/kg + 19.7 % = 197.497 and 4.4 % = 44.
    let v = json(
        &us(),
        &decl("US", "2025-01-15", "USD", "620140", "1000.00", Some("1.0")),
        &opts,
    );
    assert_eq!(v["duties"][0]["rate"], "27.7%", "{v}");
    assert_eq!(v["duties"][0]["amount"], "277.00");
    assert_eq!(v["duties"][0]["tariff"]["line"], "62014020");
    let finding = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "F_HS_AMBIGUOUS_PRICED_HIGHEST")
        .unwrap_or_else(|| panic!("{v}"));
    let m = finding["message"].as_str().unwrap();
    assert!(
        m.contains(
            "dearest for this line, 62014020 (27.7% = 277); the others: 6201401000 (4.4% = 44),"
        ),
        "{m}"
    );
    assert!(m.contains("62014015 (49.7¢/kg + 19.7% = 197.497)"), "{m}");
    assert!(
        !v["findings"].to_string().contains("F_OPTION_NOT_USED"),
        "{v}"
    );
    // 1000 kg of wool anoraks at USD 1000: 497 + 197 = 694 beats 277.
    let v = json(
        &us(),
        &decl("US", "2025-01-15", "USD", "620140", "1000.00", Some("1000")),
        &opts,
    );
    assert_eq!(v["duties"][0]["tariff"]["line"], "62014015", "{v}");
    // Without a mass the dearest cannot be told.
    let err = error(
        &us(),
        &decl("US", "2025-01-15", "USD", "620140", "1000.00", None),
        &opts,
    );
    assert_eq!(err.code, ErrorCode::MissingDutyInput);
    assert_eq!(err.path.as_deref(), Some("items[0].net_mass_kg"));
    // A reading the engine does not have.
    let err = error(
        &us(),
        &decl("US", "2025-01-15", "USD", "620140", "1000.00", None),
        &AssessOptions::default().option("hs_ambiguity", "lowest"),
    );
    assert_eq!(err.code, ErrorCode::InvalidOption);
    assert_eq!(err.path.as_deref(), Some("options.hs_ambiguity"));
}

#[test]
fn one_rate_under_a_shorter_code_prices() {
    // 6109.10 has one line; 2204.10 (sparkling wine) has several, all at 19.8¢/liter.
    let v = json(
        &us(),
        &decl("US", "2026-06-10", "USD", "610910", "1000.00", None),
        &AssessOptions::default(),
    );
    assert_eq!(v["duties"][0]["tariff"]["line"], "61091000", "{v}");
    let err = error(
        &us(),
        &decl("US", "2026-06-10", "USD", "97", "1000.00", None),
        &AssessOptions::default(),
    );
    assert_eq!(err.code, ErrorCode::InvalidHsCode, "{err}");
    let err = error(
        &us(),
        &decl("US", "2026-06-10", "USD", "970110", "1000.00", None),
        &AssessOptions::default(),
    );
    assert_eq!(err.code, ErrorCode::HsNoTariffLine, "{err}");
    assert!(err.message.contains("revision 2026-rev-10"), "{err}");
}

#[test]
fn a_rate_that_cannot_be_computed_fails_clearly() {
    // Watches: "40¢ each + 6% on the case": the case's value is not declared.
    let err = error(
        &us(),
        &decl("US", "2025-09-15", "USD", "91011140", "1000.00", None),
        &AssessOptions::default(),
    );
    assert_eq!(err.code, ErrorCode::DutyNotComputable, "{err}");
    assert!(err.message.contains("on the case"), "{err}");
    assert!(
        err.message
            .contains("whose values a declaration does not give"),
        "{err}"
    );
}

#[test]
fn after_current_through_the_confidence_is_lowered() {
    let v = json(
        &us(),
        &decl("US", "2026-08-10", "USD", "61091000", "1000.00", None),
        &AssessOptions::default(),
    );
    assert_eq!(v["duties"][0]["tariff"]["confidence"], "secondary", "{v}");
    let f: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "F_TARIFF_NOT_CURRENT")
        .collect();
    assert_eq!(f.len(), 1, "{v}");
    assert!(
        f[0]["message"].as_str().unwrap().contains("2026-06-30"),
        "{v}"
    );
}

#[test]
fn codes_are_read_in_the_edition_of_the_date() {
    let e = gb();
    // The UKGT excerpt is in HS 2017. HS 2022 6201.40 (2023) is HS 2017 6201.13 and 6201.93:
    // every line of both is 12 %.
    let v = json(
        &e,
        &decl("GB", "2023-05-02", "GBP", "620140", "400.00", None),
        &AssessOptions::traced(),
    );
    assert_eq!(v["duties"][0]["rate"], "12.0%", "{v}");
    assert_eq!(v["duties"][0]["tariff"]["revision"], "ukgt-2021");
    let trace = v["trace"].to_string();
    assert!(
        trace.contains("HS2022, read as HS2017 620113, 620193"),
        "{trace}"
    );
    // 6201.93 is no HS 2022 subheading: it never matches the HS 2017 line of that code.
    let err = error(
        &e,
        &decl("GB", "2023-05-02", "GBP", "62019300", "400.00", None),
        &AssessOptions::default(),
    );
    assert_eq!(err.code, ErrorCode::HsNoTariffLine, "{err}");
    assert!(err.message.contains("not a subheading of HS2022"), "{err}");
    assert!(err.message.contains("620140"), "{err}");
    // In 2021 (HS 2017 in force) the same code prices from its own line.
    let v = json(
        &e,
        &decl("GB", "2021-05-03", "GBP", "62019300", "400.00", None),
        &AssessOptions::default(),
    );
    assert_eq!(v["duties"][0]["tariff"]["line"], "62019300", "{v}");
    // Unchanged subheadings keep their national digits: UK 6109.10.00 is 12 %.
    let v = json(
        &e,
        &decl("GB", "2024-05-02", "GBP", "61091000", "400.00", None),
        &AssessOptions::default(),
    );
    assert_eq!(v["duties"][0]["tariff"]["line"], "61091000", "{v}");
    assert_eq!(v["duties"][0]["rate"], "12.0%");
}

#[test]
fn a_tariff_file_must_fit_its_regime() {
    let err = Engine::builder().tariff("GB", US).build().unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidTariff, "{err}");
    assert!(err.message.contains("USD"), "{err}");
    let err = Engine::builder()
        .tariff("US", US.replace("regime\tUS", "regime\tGB"))
        .build()
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidTariff, "{err}");
    assert_eq!(err.path.as_deref(), Some("tariff[US].regime"));
    let err = Engine::builder()
        .tariff("US", US.replace("61091000\t", "61091000x\t"))
        .build()
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidTariff, "{err}");
    assert!(
        err.path.as_deref().unwrap().starts_with("tariff[US].line "),
        "{err}"
    );
}

#[test]
fn a_tariff_given_on_demand_is_parsed_when_first_used() {
    // The header is checked when the engine is built...
    let err = Engine::builder()
        .tariff_on_demand("GB", US)
        .build()
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidTariff, "{err}");
    assert_eq!(err.path.as_deref(), Some("tariff[GB].currency"), "{err}");
    let err = Engine::builder()
        .tariff_on_demand("US", US.replace("regime\tUS", "regime\tGB"))
        .build()
        .unwrap_err();
    assert_eq!(err.path.as_deref(), Some("tariff[US].regime"), "{err}");
    // ...the lines when an assessment needs them: a fault fails that assessment, not the build.
    let broken = Engine::builder()
        .tariff_on_demand("US", US.replace("61091000\t", "61091000x\t"))
        .build()
        .unwrap();
    let shirt = decl("US", "2026-06-10", "USD", "6109100012", "1000.00", None);
    let err = error(&broken, &shirt, &AssessOptions::default());
    assert_eq!(err.code, ErrorCode::InvalidTariff, "{err}");
    assert!(
        err.path.as_deref().unwrap().starts_with("tariff[US].line "),
        "{err}"
    );
    // A sound file prices exactly as when parsed at once.
    let on_demand = Engine::builder()
        .tariff_on_demand("US", US)
        .build()
        .unwrap();
    let opts = AssessOptions::traced();
    assert_eq!(
        on_demand.assess_to_json(&shirt, &opts).0,
        us().assess_to_json(&shirt, &opts).0
    );
}

#[test]
fn a_pack_may_not_take_an_engine_option_name() {
    let pack = include_str!("../../regimes/GB/pack.json");
    let mut v: Value = serde_json::from_str(pack).unwrap();
    v["versions"][0]["options"]["hs_ambiguity"] =
        json!({"default": "a", "values": ["a", "b"], "question": "q?"});
    let err = Engine::builder()
        .regime_json(v.to_string())
        .build()
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidPack, "{err}");
}

#[test]
fn a_callers_csv_tariff_is_read_the_same_way() {
    // A pack-style tariff (no file): 6-digit code, two 8-digit lines with different rates.
    let csv = "hs,duty,description,source,checked\n\
               61091000,12%,T-shirts of cotton,test,2026-12-04\n\
               61091090,8%,other T-shirts of cotton,test,2026-12-04\n\
               61099020,12%,T-shirts of wool,test,2026-12-04\n";
    // It replaces the embedded national file as well as the pack's lines: every date is its.
    let e = Engine::builder().tariff("GB", csv).build().unwrap();
    assert!(e.regime("GB").unwrap().tariff_file.is_none());
    let err = error(
        &e,
        &decl("GB", "2024-05-02", "GBP", "610910", "400.00", None),
        &AssessOptions::default(),
    );
    assert_eq!(err.code, ErrorCode::HsAmbiguous, "{err}");
    assert!(
        err.message.contains("61091000 (12%), 61091090 (8%)"),
        "{err}"
    );
    assert!(err.message.contains("the pack's tariff"), "{err}");
    let v = json(
        &e,
        &decl("GB", "2024-05-02", "GBP", "610990", "400.00", None),
        &AssessOptions::default(),
    );
    assert_eq!(v["duties"][0]["rate"], "12%", "{v}");
    assert!(v["duties"][0].get("tariff").is_none(), "{v}");
}

#[test]
fn the_listing_shows_the_tariff_file_and_the_engine_option() {
    let listing: Value = serde_json::from_str(&us().regimes_json()).unwrap();
    let us = listing
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "US")
        .unwrap();
    let t = &us["tariff"];
    assert_eq!(
        t["title"],
        "Harmonized Tariff Schedule of the United States (test excerpt)"
    );
    assert_eq!(t["revisions"], 4);
    assert_eq!(t["first_from"], "2025-01-01");
    assert_eq!(t["latest_revision"], "2026-rev-10");
    assert_eq!(t["latest_from"], "2026-06-08");
    assert_eq!(t["latest_edition"], "HS2022");
    assert_eq!(t["edition"], "HS2022");
    assert_eq!(t["current_through"], "2026-06-30");
    assert_eq!(t["lines"], 207);
    assert!(t.get("error").is_none());
    for version in us["versions"].as_array().unwrap() {
        let option = version["options"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == "hs_ambiguity")
            .unwrap_or_else(|| panic!("{version}"));
        assert_eq!(option["default"], "reject");
        assert_eq!(option["values"], json!(["reject", "highest"]));
    }
    // Regimes without a file have no `tariff` key.
    let bare = Engine::builder()
        .without_embedded_tariffs()
        .build()
        .unwrap();
    let listing: Value = serde_json::from_str(&bare.regimes_json()).unwrap();
    assert!(listing
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r.get("tariff").is_none()));
}
