//! Errors say which input is to blame (`Error::origin`), and the JSON entry points return a
//! typed `Rejection` whose record is the one every binding writes.

use serde_json::Value;
use xborder::{AssessOptions, Engine, ErrorCode, Origin, Rejection};

const GB: &str = include_str!("../../examples/declarations/gb-cat4-border.json");

fn build_origin(builder: xborder::EngineBuilder) -> Origin {
    builder.build().unwrap_err().origin
}

#[test]
fn each_document_names_itself() {
    assert_eq!(
        build_origin(Engine::builder().regime_json("{")),
        Origin::Pack
    );
    assert_eq!(
        build_origin(Engine::builder().tariff("GB", "{\"lines\": 1}")),
        Origin::Tariff
    );
    assert_eq!(
        build_origin(Engine::builder().tariff("XX", "{\"lines\": []}")),
        Origin::Tariff
    );
    assert_eq!(
        build_origin(Engine::builder().rates_json("{}")),
        Origin::Rates
    );
    assert_eq!(
        build_origin(Engine::builder().rate_table("{\"rates\": []}")),
        Origin::Rates
    );
    assert_eq!(
        build_origin(Engine::builder().risk_profile_json("{}")),
        Origin::Profile
    );
    let options = AssessOptions::from_json(r#"{"trcae": true}"#).unwrap_err();
    assert_eq!(options.origin, Origin::Options);
}

#[test]
fn a_rejection_carries_the_id_and_the_record() {
    let engine = Engine::embedded().unwrap();
    let mut decl: Value = serde_json::from_str(GB).unwrap();
    let id = decl["id"].as_str().unwrap().to_string();

    // A declaration that does not parse: its id is still read.
    decl["currency"] = Value::from(12);
    let text = decl.to_string();
    let r: Rejection = engine
        .assess_record(&text, &AssessOptions::default())
        .unwrap_err();
    assert_eq!(r.id.as_deref(), Some(id.as_str()));
    assert_eq!(r.error.origin, Origin::Declaration);
    let (json, rejection) = engine.assess_to_json(&text, &AssessOptions::default());
    assert_eq!(rejection.as_ref(), Some(&r));
    assert_eq!(json, r.to_json());
    assert_eq!(json, xborder::error_json(r.id.clone(), &r.error));

    // A declaration that parses but an option the regime does not declare rejects it.
    decl["currency"] = Value::from("GBP");
    let text = decl.to_string();
    let options = AssessOptions::from_json(r#"{"options": {"no_such_option": "x"}}"#).unwrap();
    let r = engine.assess_record(&text, &options).unwrap_err();
    assert_eq!(r.error.code, ErrorCode::InvalidOption);
    assert_eq!(r.error.origin, Origin::Options);
    assert_eq!(r.id.as_deref(), Some(id.as_str()));
    let mut out = Vec::new();
    assert_eq!(
        engine.assess_json_into(&text, &options, &mut out),
        Some(r.clone())
    );
    assert_eq!(String::from_utf8(out).unwrap(), r.to_json());

    // The origin is not part of the record: its bytes are docs/contract.md's.
    let record: Value = serde_json::from_str(&r.to_json()).unwrap();
    let keys: Vec<&String> = record["error"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["code", "message", "path"]);
}
