//! Every JSON document the library reads is one JSON object, and its refusals say where
//! (issue 21 items 8, 9 and 10): trailing content is `E_JSON_SYNTAX` with a position, a
//! repeated key is named by its path, and a top-level array is refused rather than read as the
//! object's fields in order.

use serde_json::Value;
use xborder::exchange::RateTable;
use xborder::regime::Regime;
use xborder::risk::RiskProfile;
use xborder::tariff::Tariff;
use xborder::{AssessOptions, Declaration, Engine, Error, ErrorCode};

const GB: &str = include_str!("../../examples/declarations/gb-cat4-border.json");
const GB_PACK: &str = include_str!("../../regimes/GB/pack.json");
const RATES: &str = include_str!("../../examples/rates/sample-rates.json");
const RISK: &str = include_str!("../../regimes/GB/risk-profile.json");

/// One line of minified JSON.
fn minified(text: &str) -> String {
    serde_json::from_str::<Value>(text).unwrap().to_string()
}

/// A document kind's parser, its result dropped.
type Parser = Box<dyn Fn(&str) -> Result<(), Error>>;

/// Each kind of document, by name, with a valid example and its parser.
fn parsers() -> Vec<(&'static str, String, Parser)> {
    vec![
        (
            "declaration",
            minified(GB),
            Box::new(|t| Declaration::from_json(t).map(drop)),
        ),
        (
            "pack",
            minified(GB_PACK),
            Box::new(|t| Regime::from_json(t).map(drop)),
        ),
        (
            "rates",
            minified(RATES),
            Box::new(|t| RateTable::from_json(t).map(drop)),
        ),
        (
            "risk profile",
            minified(RISK),
            Box::new(|t| RiskProfile::from_json(t).map(drop)),
        ),
        (
            "tariff",
            r#"{"lines":[{"hs":"6109","duty":"12%","description":"T-shirts","source":"s","checked":"2026-01-01"}]}"#
                .to_string(),
            Box::new(|t| Tariff::from_text(t, "GBP").map(drop)),
        ),
    ]
}

/// Item 8: `{…} x`, two objects on one line and a NUL after the object gave E_INTERNAL for a
/// declaration ("parsed only with path tracking") and were ignored in the other documents.
#[test]
fn trailing_content_is_a_syntax_error_with_its_position() {
    for (what, text, parse) in parsers() {
        parse(&text).unwrap_or_else(|e| panic!("{what}: {e:?}"));
        for tail in [" x", &text, "\0", "}"] {
            let err = parse(&format!("{text}{tail}")).unwrap_err();
            // A declaration's own code; the other documents report every flaw with their
            // kind's code (E_INVALID_PACK …), the syntax error in the message.
            let expected = match what {
                "declaration" => ErrorCode::JsonSyntax,
                "rates" => ErrorCode::InvalidRates,
                "tariff" => ErrorCode::InvalidTariff,
                _ => ErrorCode::InvalidPack,
            };
            assert_eq!(err.code, expected, "{what} + {tail:?}: {err:?}");
            assert!(err.message.contains("column"), "{what}: {}", err.message);
        }
        // Trailing whitespace is not content.
        parse(&format!("{text} \r\n\t")).unwrap();
    }
}

/// Item 10: `[{…}]` was assessed as a declaration (serde reads an array as a struct's fields
/// in order); every document kind refuses an array.
#[test]
fn a_top_level_array_is_refused() {
    for (what, text, parse) in parsers() {
        for array in [format!("[{text}]"), format!(" \n[{text}]")] {
            let err = parse(&array).unwrap_err();
            if what == "tariff" {
                // Text that does not start with `{` is read as CSV, and refused as such.
                assert_eq!(err.code, ErrorCode::InvalidTariff);
                continue;
            }
            assert!(
                err.message.contains("not an array"),
                "{what}: {}",
                err.message
            );
        }
    }
    // The declaration's fields in the struct's order, as an array, were assessed.
    let decl: Value = serde_json::from_str(GB).unwrap();
    let mut fields: Vec<Value> = ["id", "date", "destination"]
        .iter()
        .map(|k| decl[k].clone())
        .collect();
    fields.extend([Value::Null, "B2C".into(), "express".into()]); // regime, transaction, channel
    for k in ["currency", "items", "shipping", "insurance", "seller"] {
        fields.push(decl[k].clone());
    }
    fields.extend([
        Value::Null,
        decl["carrier"].clone(),
        decl["consignee"].clone(),
    ]);
    let positional = Value::Array(fields).to_string();
    let engine = Engine::embedded().unwrap();
    let err = engine
        .assess_json(&positional, &AssessOptions::default())
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidType);
    assert!(err.message.contains("not an array"), "{}", err.message);
}

/// Item 9: a repeated key gave `path: null`; the path names it, at any depth.
#[test]
fn a_repeated_key_is_named_by_its_path() {
    let engine = Engine::embedded().unwrap();
    // The minified text's keys are sorted; each case repeats a key at the start of its object.
    let cases = [
        ("{", r#"{"id":"x","#, "id"),
        ("{", r#"{"shipping":"1.00","#, "shipping"),
        (
            r#""items":[{"#,
            r#""items":[{"hs_code":"610910","#,
            "items[0].hs_code",
        ),
    ];
    let text = minified(GB);
    for (find, replace, path) in cases {
        assert!(text.contains(find), "{find}");
        let doubled = text.replacen(find, replace, 1);
        let err = engine
            .assess_json(&doubled, &AssessOptions::default())
            .unwrap_err();
        assert_eq!(err.path.as_deref(), Some(path), "{err:?}");
        assert_eq!(err.code, ErrorCode::InvalidValue);
    }
}
