//! The assessment options' one grammar (`AssessOptions::from_json`) and the readings' one judge,
//! on the cases every binding runs: `tests/options/errors.json`. The C API
//! (ffi/tests/c_programs.rs), the WASM package (wasm/tests/node.rs) and Python
//! (python/tests/test_api.py) must give the same code and path for each.

use std::path::{Path, PathBuf};

use serde_json::Value;
use xborder::{AssessOptions, Engine, ErrorCode};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn every_binding_case_gives_its_code_and_path_in_rust() {
    let fixture: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("tests/options/errors.json")).unwrap(),
    )
    .unwrap();
    let declaration =
        std::fs::read_to_string(repo().join(fixture["declaration"].as_str().unwrap())).unwrap();
    let engine = Engine::embedded().unwrap();
    let cases = fixture["cases"].as_array().unwrap();
    assert!(cases.len() >= 10);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let stage = case["stage"].as_str().unwrap();
        let want = (
            case["code"].as_str().map(str::to_string),
            case["path"].as_str().map(str::to_string),
        );
        let got = match AssessOptions::from_json(&case["options"].to_string()) {
            Err(e) => {
                assert_eq!(stage, "parse", "{name}: refused when read: {e}");
                (Some(e.code.as_str().to_string()), e.path)
            }
            Ok(options) => {
                assert_ne!(stage, "parse", "{name}: read");
                // The parsed options write back as the document they were read from (nulls
                // and absent keys aside).
                let again = AssessOptions::from_json(&serde_json::to_string(&options).unwrap());
                assert_eq!(again.as_ref(), Ok(&options), "{name}");
                match engine.assess_json(&declaration, &options) {
                    Err(e) => {
                        assert_eq!(stage, "assess", "{name}: {e}");
                        (Some(e.code.as_str().to_string()), e.path)
                    }
                    Ok(_) => {
                        assert_eq!(stage, "ok", "{name}: assessed");
                        (None, None)
                    }
                }
            }
        };
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn the_document_maps_to_the_struct() {
    let options = AssessOptions::from_json(
        r#"{"trace":true,"date":"2026-07-01","regime":"EU","options":{"flat_duty_scope":"ioss_and_postal"}}"#,
    )
    .unwrap();
    assert_eq!(
        options,
        AssessOptions {
            trace: true,
            date: "2026-07-01".parse().ok(),
            regime: Some("EU".into()),
            ..AssessOptions::default()
        }
        .option("flat_duty_scope", "ioss_and_postal")
    );
    assert_eq!(
        AssessOptions::from_json("{}").unwrap(),
        AssessOptions::default()
    );
    assert_eq!(
        serde_json::to_string(&AssessOptions::default()).unwrap(),
        r#"{"trace":false,"date":null,"regime":null,"options":{}}"#
    );
}

#[test]
fn the_document_is_one_bounded_object() {
    let code = |text: &str| AssessOptions::from_json(text).unwrap_err().code;
    assert_eq!(code(""), ErrorCode::InvalidOption);
    assert_eq!(code("{"), ErrorCode::InvalidOption);
    assert_eq!(code("{} {}"), ErrorCode::InvalidOption);
    assert_eq!(code(r#""trace""#), ErrorCode::InvalidOption);
    assert_eq!(
        code(r#"{"trace":true,"trace":false}"#),
        ErrorCode::InvalidOption
    );
    let long = format!(
        r#"{{"regime":"{}"}}"#,
        "x".repeat(xborder::limits::MAX_OPTIONS_BYTES)
    );
    assert_eq!(code(&long), ErrorCode::InputTooLarge);
    let err = AssessOptions::from_json(r#"{"trcae":true}"#).unwrap_err();
    assert!(
        err.message
            .starts_with("assessment options: unknown field `trcae`"),
        "{}",
        err.message
    );
}
