//! Every limit of `docs/limits.md`, at its value (accepted) and one past it (refused with its
//! own code and the path of the field).

use serde_json::{json, Value};
use xborder::limits::*;
use xborder::regime::Regime;
use xborder::tariff::Tariff;
use xborder::{AssessOptions, Engine, ErrorCode, LineOutcome};

const GB: &str = include_str!("../../examples/declarations/gb-cat4-border.json");
const GB_PACK: &str = include_str!("../../regimes/GB/pack.json");

fn engine() -> Engine {
    Engine::embedded().unwrap()
}

fn base() -> Value {
    serde_json::from_str(GB).unwrap()
}

/// The error code and path of assessing `declaration`, or `None` when it was assessed.
fn outcome(engine: &Engine, declaration: &Value) -> Option<(ErrorCode, Option<String>)> {
    let text = declaration.to_string();
    match engine.assess_json(&text, &AssessOptions::default()) {
        Ok(_) => None,
        Err(e) => Some((e.code, e.path)),
    }
}

fn refused(engine: &Engine, declaration: &Value, code: ErrorCode, path: &str) {
    let got = outcome(engine, declaration);
    assert_eq!(got, Some((code, Some(path.to_string()))), "{path}");
}

#[test]
fn declaration_and_ndjson_line_bytes() {
    let engine = engine();
    let text = base().to_string();
    // Whitespace padding keeps the JSON valid at exactly the limit.
    let at_limit = format!("{text}{}", " ".repeat(MAX_DECLARATION_BYTES - text.len()));
    assert_eq!(at_limit.len(), MAX_DECLARATION_BYTES);
    engine
        .assess_json(&at_limit, &AssessOptions::default())
        .unwrap();
    let over = format!("{at_limit} ");
    let err = engine
        .assess_json(&over, &AssessOptions::default())
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InputTooLarge);

    let options = AssessOptions::default();
    let mut out = Vec::new();
    let ok = engine.assess_ndjson_line(at_limit.as_bytes(), at_limit.len(), 1, &options, &mut out);
    assert_eq!(ok, LineOutcome::Assessed);
    out.clear();
    // A reader that kept only a prefix passes the line's full length.
    let LineOutcome::Rejected(err) =
        engine.assess_ndjson_line(b"{", MAX_DECLARATION_BYTES + 1, 7, &options, &mut out)
    else {
        panic!("an over-long line is rejected");
    };
    assert_eq!(err.error.code, ErrorCode::InputTooLarge);
    assert_eq!(err.error.path.as_deref(), Some("line 7"));
}

#[test]
fn items_per_consignment_and_registrations() {
    let engine = engine();
    let mut d = base();
    let item = d["items"][0].clone();
    d["items"] = Value::Array(vec![item.clone(); MAX_ITEMS]);
    assert_eq!(outcome(&engine, &d), None);
    d["items"].as_array_mut().unwrap().push(item);
    refused(&engine, &d, ErrorCode::TooManyItems, "items");

    let mut d = base();
    let reg = json!({"scheme": "GB_VAT", "number": "GB123456789"});
    d["seller"]["registrations"] = Value::Array(vec![reg.clone(); MAX_REGISTRATIONS]);
    assert_eq!(outcome(&engine, &d), None);
    d["seller"]["registrations"]
        .as_array_mut()
        .unwrap()
        .push(reg);
    refused(&engine, &d, ErrorCode::TooManyItems, "seller.registrations");
}

#[test]
fn digits_and_scale_of_amounts_and_quantities() {
    let engine = engine();
    let largest = format!(
        "{}.{}",
        "9".repeat(AMOUNT_INTEGER_DIGITS),
        "9".repeat(AMOUNT_SCALE)
    );
    for field in ["shipping", "insurance"] {
        let mut d = base();
        d[field] = json!(largest);
        assert_eq!(outcome(&engine, &d), None, "{field}");
        d[field] = json!(format!("1{}", "0".repeat(AMOUNT_INTEGER_DIGITS)));
        refused(&engine, &d, ErrorCode::AmountTooLarge, field);
        d[field] = json!(format!("1.{}1", "0".repeat(AMOUNT_SCALE)));
        refused(&engine, &d, ErrorCode::AmountTooPrecise, field);
    }
    let mut d = base();
    d["items"][0]["value"] = json!(largest);
    assert_eq!(outcome(&engine, &d), None);
    d["items"][0]["value"] = json!(format!("1{}", "0".repeat(AMOUNT_INTEGER_DIGITS)));
    refused(&engine, &d, ErrorCode::AmountTooLarge, "items[0].value");
    // Leading zeros are not digits of the amount.
    d["items"][0]["value"] = json!(format!("000{largest}"));
    assert_eq!(outcome(&engine, &d), None);

    let largest_q = format!(
        "{}.{}",
        "9".repeat(QUANTITY_INTEGER_DIGITS),
        "9".repeat(QUANTITY_SCALE)
    );
    for field in ["quantity", "net_mass_kg"] {
        let mut d = base();
        d["items"][1][field] = json!(largest_q);
        assert_eq!(outcome(&engine, &d), None, "{field}");
        let path = format!("items[1].{field}");
        d["items"][1][field] = json!(format!("1{}", "0".repeat(QUANTITY_INTEGER_DIGITS)));
        refused(&engine, &d, ErrorCode::AmountTooLarge, &path);
        d["items"][1][field] = json!(format!("1.{}1", "0".repeat(QUANTITY_SCALE)));
        refused(&engine, &d, ErrorCode::AmountTooPrecise, &path);
    }
}

#[test]
fn text_and_identifiers() {
    let engine = engine();
    let mut d = base();
    d["items"][0]["description"] = json!("é".repeat(MAX_TEXT_CHARS));
    d["id"] = json!("x".repeat(MAX_ID_CHARS));
    assert_eq!(outcome(&engine, &d), None);
    d["items"][0]["description"] = json!("é".repeat(MAX_TEXT_CHARS + 1));
    refused(&engine, &d, ErrorCode::TextTooLong, "items[0].description");
    let mut d = base();
    d["id"] = json!("x".repeat(MAX_ID_CHARS + 1));
    refused(&engine, &d, ErrorCode::TextTooLong, "id");
}

fn nest(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

#[test]
fn nesting_depth() {
    let engine = engine();
    let text = base().to_string();
    // The declaration object is level 1, so an array in `id` starts at level 2.
    let deep = |depth: usize| text.replacen("\"gb-cat4-border\"", &nest(depth), 1);
    let err = engine
        .assess_json(&deep(MAX_JSON_DEPTH - 1), &AssessOptions::default())
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidType, "{err}");
    let err = engine
        .assess_json(&deep(MAX_JSON_DEPTH), &AssessOptions::default())
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::NestingTooDeep, "{err}");
    // Far past serde_json's own recursion limit too, and with nothing closed.
    let err = engine
        .assess_json(&"[".repeat(200_000), &AssessOptions::default())
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::NestingTooDeep, "{err}");

    let pack = GB_PACK.replacen("\"GB\"", &nest(MAX_JSON_DEPTH), 1);
    let err = Regime::from_json(&pack).unwrap_err();
    assert_eq!(err.code, ErrorCode::NestingTooDeep, "{err}");
    let err = Engine::builder().regime_json(pack).build().unwrap_err();
    assert_eq!(
        (err.code, err.path.as_deref()),
        (ErrorCode::NestingTooDeep, Some("pack[0]"))
    );
    let tariff = format!("{{\"lines\":{}}}", nest(MAX_JSON_DEPTH));
    let err = Tariff::from_text(&tariff, "GBP").unwrap_err();
    assert_eq!(
        (err.code, err.path.as_deref()),
        (ErrorCode::NestingTooDeep, Some("tariff"))
    );
    let rates = format!("{{\"rates\":{}}}", nest(MAX_JSON_DEPTH));
    let err = Engine::builder().rates_json(rates).build().unwrap_err();
    assert_eq!(
        (err.code, err.path.as_deref()),
        (ErrorCode::NestingTooDeep, Some("rates"))
    );
}

#[test]
fn pack_tariff_and_rate_table_size() {
    let padded = |text: &str, size: usize| format!("{text}{}", " ".repeat(size - text.len()));
    Regime::from_json(&padded(GB_PACK, MAX_PACK_BYTES)).unwrap();
    let err = Regime::from_json(&padded(GB_PACK, MAX_PACK_BYTES + 1)).unwrap_err();
    assert_eq!(err.code, ErrorCode::PackTooLarge);

    let csv = "hs,duty,description,source,checked\n6109,12%,T-shirts,test,2026-11-28\n";
    Tariff::from_text(&padded(csv, MAX_TARIFF_BYTES), "GBP").unwrap();
    let err = Tariff::from_text(&padded(csv, MAX_TARIFF_BYTES + 1), "GBP").unwrap_err();
    assert_eq!(err.code, ErrorCode::TariffTooLarge);

    let rates = r#"{"label":"l","source":"s","rates":[]}"#;
    Engine::builder()
        .rates_json(padded(rates, MAX_RATES_BYTES))
        .build()
        .unwrap();
    let err = Engine::builder()
        .rates_json(padded(rates, MAX_RATES_BYTES + 1))
        .build()
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InputTooLarge);
}

#[test]
fn expression_length() {
    let line =
        |duty: &str| format!("hs,duty,description,source,checked\n6109,{duty},x,y,2026-11-28\n");
    // Whitespace between tokens counts towards the length (the CSV reader trims only the
    // field's ends).
    let at_limit = format!("12{}%", " ".repeat(MAX_EXPRESSION_BYTES - 3));
    assert_eq!(at_limit.len(), MAX_EXPRESSION_BYTES);
    let tariff = Tariff::from_text(&line(&at_limit), "GBP").unwrap();
    assert_eq!(tariff.lines()[0].duty.to_string(), "12%");
    let over = format!("12{}%", " ".repeat(MAX_EXPRESSION_BYTES - 2));
    let err = Tariff::from_text(&line(&over), "GBP").unwrap_err();
    assert_eq!(
        (err.code, err.path.as_deref()),
        (ErrorCode::ExpressionTooLong, Some("line 2.duty"))
    );
    // In a pack, the same code with the pack's path.
    let mut pack: Value = serde_json::from_str(GB_PACK).unwrap();
    pack["versions"][0]["tariff"]["lines"][0]["duty"] = json!(over);
    let err = Engine::builder()
        .regime_json(pack.to_string())
        .build()
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::ExpressionTooLong, "{err}");
    assert!(err.path.unwrap().starts_with("pack[0]"));
}
