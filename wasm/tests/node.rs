//! The exported functions, called from Rust inside WebAssembly on Node.js:
//!
//! ```text
//! CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!   cargo test -p xborder-wasm --target wasm32-unknown-unknown --test node
//! ```
//!
//! The JavaScript suite (wasm/test/*.test.mjs) covers the built package and the conformance
//! vectors against the native core; this one pins the wrapper itself: results equal to the core
//! compiled into the same module, errors as `XborderError` objects, strict options, and no trap
//! on any JavaScript value.

#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, Object, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use xborder::{AssessOptions, Engine as CoreEngine};
use xborder_wasm::{
    assess, assess_json, regimes, version, IAssessOptions, IDeclaration, WasmEngine as Engine,
};

const IOSS: &str = include_str!("../../examples/declarations/eu-cat3-ioss-seller.json");
/// The options cases every binding runs.
const OPTION_CASES: &str = include_str!("../../tests/options/errors.json");
const SAMPLES: &[&str] = &[
    include_str!("../../examples/declarations/eu-cat1-documents.json"),
    include_str!("../../examples/declarations/eu-cat2-gift-c2c.json"),
    include_str!("../../examples/declarations/eu-cat3-border.json"),
    include_str!("../../examples/declarations/eu-cat3-ioss-marketplace.json"),
    include_str!("../../examples/declarations/eu-cat3-ioss-seller.json"),
    include_str!("../../examples/declarations/eu-cat4-border.json"),
    include_str!("../../examples/declarations/gb-cat2-b2b-reverse-charge.json"),
    include_str!("../../examples/declarations/gb-cat3-pos-seller.json"),
    include_str!("../../examples/declarations/gb-cat4-border.json"),
];
const RATES: &str = include_str!("../../examples/rates/sample-rates.json");
const USD: &str = include_str!("../../examples/declarations/eu-cat3-ioss-usd.json");

fn parse(text: &str) -> JsValue {
    JSON::parse(text).expect("test JSON parses")
}

fn declaration(text: &str) -> IDeclaration {
    parse(text).unchecked_into()
}

fn options(text: &str) -> Option<IAssessOptions> {
    Some(parse(text).unchecked_into())
}

fn text(value: &str) -> JsValue {
    JsValue::from_str(value)
}

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).expect("property readable")
}

fn string(object: &JsValue, key: &str) -> Option<String> {
    get(object, key).as_string()
}

/// Checks a thrown value is an `XborderError` (an `Error`) with this code and path.
fn assert_error(thrown: JsValue, code: &str, path: Option<&str>) {
    assert!(
        thrown.is_instance_of::<js_sys::Error>(),
        "thrown value is an Error"
    );
    assert_eq!(string(&thrown, "name").as_deref(), Some("XborderError"));
    assert_eq!(string(&thrown, "code").as_deref(), Some(code), "code");
    let actual_path = get(&thrown, "path");
    match path {
        Some(p) => assert_eq!(actual_path.as_string().as_deref(), Some(p), "path"),
        None => assert!(actual_path.is_null(), "path is null"),
    }
    let message = string(&thrown, "message").unwrap_or_default();
    assert!(!message.is_empty(), "message is set");
}

/// The error of a call that must fail.
fn rejected<T>(result: Result<T, JsValue>, what: &str) -> JsValue {
    match result {
        Ok(_) => panic!("{what}: expected an error"),
        Err(thrown) => thrown,
    }
}

fn core_json(text: &str, options: &AssessOptions) -> String {
    let engine = CoreEngine::embedded().expect("embedded packs load");
    engine.assess_to_json(text, options).0
}

#[wasm_bindgen_test]
fn assess_json_is_byte_identical_to_the_core() {
    for sample in SAMPLES {
        let ours = assess_json(text(sample).unchecked_ref(), None).expect("assessed");
        assert_eq!(ours, core_json(sample, &AssessOptions::default()));
        let traced = assess_json(text(sample).unchecked_ref(), options(r#"{"trace":true}"#))
            .expect("assessed with trace");
        assert_eq!(traced, core_json(sample, &AssessOptions::traced()));
    }
}

#[wasm_bindgen_test]
fn assess_gives_a_plain_object_equal_to_the_core_json() {
    for sample in SAMPLES {
        let result = assess(&declaration(sample), None).expect("assessed");
        assert!(result.is_object() && !Array::is_array(&result));
        let round_trip = JSON::stringify(&result).expect("stringifies");
        assert_eq!(
            String::from(round_trip),
            core_json(sample, &AssessOptions::default())
        );
    }
}

#[wasm_bindgen_test]
fn amounts_are_decimal_strings() {
    let result = assess(&declaration(IOSS), None).expect("assessed");
    for key in [
        "intrinsic_value",
        "customs_value",
        "duty_total",
        "tax_total",
        "fee_total",
        "due_at_sale",
        "due_at_import",
        "total_payable",
        "landed_cost",
    ] {
        let value = string(&result, key).unwrap_or_else(|| panic!("{key} is a string"));
        assert!(
            value.chars().all(|c| c.is_ascii_digit() || c == '.') && value.contains('.'),
            "{key} = {value:?} is a decimal string"
        );
    }
    assert_eq!(string(&result, "due_at_sale").as_deref(), Some("15.30"));
    let category = get(&result, "category");
    assert_eq!(get(&category, "code").as_f64(), Some(3.0));
    let collection = get(&result, "collection");
    assert_eq!(string(&collection, "scheme").as_deref(), Some("IOSS"));
}

#[wasm_bindgen_test]
fn trace_is_present_only_when_asked_for() {
    let plain = assess(&declaration(IOSS), None).expect("assessed");
    assert!(get(&plain, "trace").is_undefined());
    let traced = assess(&declaration(IOSS), options(r#"{"trace":true}"#)).expect("assessed");
    let steps: Array = get(&traced, "trace").dyn_into().expect("trace is an array");
    assert!(steps.length() > 3);
    assert_eq!(string(&steps.get(0), "step").as_deref(), Some("regime"));
}

#[wasm_bindgen_test]
fn rejected_declarations_throw_coded_errors_with_paths() {
    let cases: &[(&str, &str, Option<&str>)] = &[
        (r#"{"id":"x"}"#, "E_MISSING_FIELD", Some("date")),
        (
            r#"{"id":"x","date":"2026-02-30","destination":"FR","currency":"EUR","items":[],"seller":{"name":"s"},"consignee":{"name":"c"}}"#,
            "E_INVALID_DATE",
            Some("date"),
        ),
        (
            r#"{"id":"x","date":"2026-01-10","destination":"FR","currency":"EUR","items":[],"seller":{"name":"s"},"consignee":{"name":"c"}}"#,
            "E_MISSING_FIELD",
            Some("items"),
        ),
        (
            r#"{"id":"x","date":"2026-01-10","destination":"FR","currency":"EUR","items":[{"description":"d","hs_code":"610910","quantity":1,"value":12.5}],"seller":{"name":"s"},"consignee":{"name":"c"}}"#,
            "E_INVALID_AMOUNT",
            Some("items[0].value"),
        ),
        (
            r#"{"id":"x","date":"2026-01-10","destination":"ZZ","currency":"EUR","items":[{"description":"d","hs_code":"610910","quantity":1,"value":"12.50"}],"seller":{"name":"s"},"consignee":{"name":"c"}}"#,
            "E_NO_REGIME",
            Some("destination"),
        ),
        (
            r#"{"id":"x","colour":"red"}"#,
            "E_UNKNOWN_FIELD",
            Some("colour"),
        ),
    ];
    for (input, code, path) in cases {
        let thrown = rejected(assess(&declaration(input), None), "rejected");
        assert_error(thrown, code, *path);
        let thrown = rejected(assess_json(text(input).unchecked_ref(), None), "rejected");
        assert_eq!(string(&thrown, "id").as_deref(), Some("x"), "id is kept");
        // The error serializes to the core's error record, byte for byte.
        let record = String::from(JSON::stringify(&thrown).expect("stringifies"));
        assert_eq!(record, core_json(input, &AssessOptions::default()));
    }
}

#[wasm_bindgen_test]
fn the_module_keeps_working_after_errors() {
    let expected = core_json(IOSS, &AssessOptions::default());
    for _ in 0..50 {
        assert!(assess_json(text("{").unchecked_ref(), None).is_err());
        assert!(assess(&declaration("[]"), None).is_err());
        assert_eq!(
            assess_json(text(IOSS).unchecked_ref(), None).expect("assessed"),
            expected
        );
    }
}

#[wasm_bindgen_test]
fn any_javascript_value_is_an_error_not_a_trap() {
    let cyclic = Object::new();
    Reflect::set(&cyclic, &"self".into(), &cyclic).expect("set");
    let bigint = parse("{}");
    Reflect::set(&bigint, &"n".into(), &js_sys::BigInt::from(1u32).into()).expect("set");
    let throwing = Function::new_no_args("throw new RangeError('boom')");
    let with_to_json = Object::new();
    Reflect::set(&with_to_json, &"toJSON".into(), &throwing).expect("set");
    let values: Vec<JsValue> = vec![
        JsValue::UNDEFINED,
        JsValue::NULL,
        JsValue::TRUE,
        JsValue::from_f64(f64::NAN),
        JsValue::from_str("not json at all"),
        Array::new().into(),
        Object::new().into(),
        cyclic.into(),
        bigint,
        with_to_json.into(),
        Function::new_no_args("return 1").into(),
        js_sys::Symbol::for_("x").into(),
        text(&"[".repeat(100_000)),
        parse(r#""\ud800""#),
    ];
    for value in &values {
        let thrown = rejected(assess(value.unchecked_ref(), None), "rejected");
        assert!(
            string(&thrown, "code").is_some(),
            "coded error for {value:?}"
        );
        let thrown = rejected(assess_json(value.unchecked_ref(), None), "rejected");
        assert!(
            string(&thrown, "code").is_some(),
            "coded error for {value:?}"
        );
    }
    // A declaration as a string is JSON text for assessJson, but a wrong type for assess.
    let thrown = rejected(assess(text(IOSS).unchecked_ref(), None), "string");
    assert_error(thrown, "E_INVALID_TYPE", None);
    // Deep nesting in JSON text, and a declaration past the size limit.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let thrown = rejected(assess_json(text(&deep).unchecked_ref(), None), "deep");
    assert_eq!(
        string(&thrown, "code").as_deref(),
        Some("E_NESTING_TOO_DEEP")
    );
    let huge = format!(r#"{{"id":"{}"}}"#, "x".repeat(3_000_000));
    let thrown = rejected(assess_json(text(&huge).unchecked_ref(), None), "rejected");
    assert_eq!(
        string(&thrown, "code").as_deref(),
        Some("E_INPUT_TOO_LARGE")
    );
    assert!(assess_json(text(IOSS).unchecked_ref(), None).is_ok());
}

/// A value made by JavaScript source (Proxies and other hostile objects).
fn js(source: &str) -> JsValue {
    Function::new_no_args(source)
        .call0(&JsValue::NULL)
        .expect("test value builds")
}

#[wasm_bindgen_test]
fn hostile_objects_are_errors_not_unwinding_exceptions() {
    let hostile = [
        "return new Proxy({}, { ownKeys() { throw new Error('ownKeys trap') } })",
        "return new Proxy({}, { get() { throw new Error('get trap') } })",
        "const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy",
        "return { get trace() { throw new Error('getter') } }",
        "return { get date() { throw 'a string' } }",
    ];
    let d = declaration(IOSS);
    for source in hostile {
        let value = js(source);
        let thrown = rejected(assess(value.unchecked_ref(), None), source);
        assert!(string(&thrown, "code").is_some(), "declaration {source}");
        let thrown = rejected(assess(&d, Some(value.clone().unchecked_into())), source);
        assert_eq!(
            string(&thrown, "code").as_deref(),
            Some("E_INVALID_OPTION"),
            "options {source}"
        );
        let thrown = Engine::new(Some(value.unchecked_into()))
            .err()
            .expect("rejected");
        assert_eq!(
            string(&thrown, "code").as_deref(),
            Some("E_INVALID_OPTION"),
            "config {source}"
        );
    }
    let long = js(
        "return { regimes: new Proxy([], { get(t, k) { return k === 'length' ? 1e9 : t[k] } }) }",
    );
    let thrown = Engine::new(Some(long.unchecked_into()))
        .err()
        .expect("rejected");
    assert_error(thrown, "E_INVALID_OPTION", Some("regimes"));
    let getter = js("return { regimes: [{ get id() { throw new Error('pack getter') } }] }");
    let thrown = Engine::new(Some(getter.unchecked_into()))
        .err()
        .expect("rejected");
    assert_error(thrown, "E_INVALID_OPTION", Some("regimes[0]"));
    // Nothing was left half-done: the module still assesses.
    assert_eq!(
        assess_json(text(IOSS).unchecked_ref(), None).expect("assessed"),
        core_json(IOSS, &AssessOptions::default())
    );
}

/// The options cases every binding runs (`tests/options/errors.json`): the package reads its
/// options object with the core's grammar, so each gives the code and path the core, the C API
/// and Python give.
#[wasm_bindgen_test]
fn bad_options_give_the_cores_code_and_path() {
    let fixture = parse(OPTION_CASES);
    assert_eq!(
        string(&fixture, "declaration").as_deref(),
        Some("examples/declarations/eu-cat3-ioss-seller.json"),
        "the fixture's declaration is IOSS"
    );
    let d = declaration(IOSS);
    let cases: Array = get(&fixture, "cases").unchecked_into();
    assert!(cases.length() >= 10);
    for case in cases.iter() {
        let name = string(&case, "name").unwrap_or_default();
        let given: IAssessOptions = get(&case, "options").unchecked_into();
        let outcome = assess(&d, Some(given));
        match string(&case, "code") {
            None => assert!(outcome.is_ok(), "{name}: assessed"),
            Some(code) => {
                let thrown = rejected(outcome, &name);
                assert_error(thrown, &code, string(&case, "path").as_deref());
            }
        }
    }
}

#[wasm_bindgen_test]
fn options_are_strict() {
    let d = declaration(IOSS);
    let cases: &[(&str, &str, Option<&str>)] = &[
        (r#"{"tracer":true}"#, "E_INVALID_OPTION", Some("tracer")),
        (r#"{"trace":"yes"}"#, "E_INVALID_OPTION", Some("trace")),
        (r#"{"date":"2026-13-01"}"#, "E_INVALID_DATE", Some("date")),
        ("[]", "E_INVALID_OPTION", None),
        ("\"trace\"", "E_INVALID_OPTION", None),
    ];
    for (given, code, path) in cases {
        let thrown = rejected(assess(&d, options(given)), "rejected");
        assert_error(thrown, code, *path);
    }
    // null means "no options"; a name only another regime declares is a finding.
    assert!(assess(&d, Some(JsValue::NULL.unchecked_into())).is_ok());
    let result = assess(
        &d,
        options(r#"{"options":{"us_postal_method":"specific"}}"#),
    )
    .expect("assessed");
    let findings = JSON::stringify(&get(&result, "findings")).expect("stringifies");
    assert!(String::from(findings).contains("F_OPTION_NOT_USED"));
    // An object JSON cannot write (a throwing getter) is refused, not trapped on.
    let getter = js("return { get trace() { throw new Error('trace getter') } }");
    let thrown = rejected(assess(&d, Some(getter.unchecked_into())), "getter");
    assert_error(thrown, "E_INVALID_OPTION", None);
}

#[wasm_bindgen_test]
fn options_change_the_rules_applied() {
    // The same consignment under the 2026-07-01 rules pays the EUR 3 flat duty.
    let d = declaration(IOSS);
    let before = assess(&d, options(r#"{"date":"2026-06-30"}"#)).expect("assessed");
    let after = assess(&d, options(r#"{"date":"2026-07-01"}"#)).expect("assessed");
    assert_eq!(
        string(&before, "regime_version").as_deref(),
        Some("EU@2021-07-01")
    );
    assert_eq!(
        string(&after, "regime_version").as_deref(),
        Some("EU@2026-07-01")
    );
    let options = AssessOptions {
        date: "2026-06-30".parse().ok(),
        ..AssessOptions::default()
    };
    assert_eq!(
        String::from(JSON::stringify(&before).expect("stringifies")),
        core_json(IOSS, &options)
    );
}

#[wasm_bindgen_test]
fn engine_with_rates_converts_currencies() {
    // The embedded engine converts at the official ECB table (Art. 146 UCC-IA) ...
    let official = assess(&declaration(USD), None).expect("assessed at the official rate");
    assert_eq!(
        string(&get(&official, "exchange"), "table").as_deref(),
        Some("ECB")
    );
    // ... and the caller's table answers first for the pairs it holds.
    let config = Object::new();
    Reflect::set(&config, &"rates".into(), &text(RATES)).expect("set");
    let engine = Engine::new(Some(config.unchecked_into())).expect("engine builds");
    let ours = engine
        .assess_json(text(USD).unchecked_ref(), None)
        .expect("assessed");
    let core = CoreEngine::builder()
        .rates_json(RATES)
        .build()
        .expect("core engine builds");
    assert_eq!(ours, core.assess_to_json(USD, &AssessOptions::default()).0);
    // Rates given as an object work the same.
    let config = Object::new();
    Reflect::set(&config, &"rates".into(), &parse(RATES)).expect("set");
    let engine = Engine::new(Some(config.unchecked_into())).expect("engine builds");
    let result = engine.assess(&declaration(USD), None).expect("assessed");
    assert_eq!(string(&result, "currency").as_deref(), Some("EUR"));
    assert_eq!(
        string(&get(&result, "exchange"), "rate").as_deref(),
        Some("0.86")
    );
}

#[wasm_bindgen_test]
fn engine_config_is_strict() {
    let cases: &[(&str, &str, Option<&str>)] = &[
        (r#"{"rate":"{}"}"#, "E_INVALID_OPTION", Some("rate")),
        (r#"{"embedded":"no"}"#, "E_INVALID_OPTION", Some("embedded")),
        (r#"{"regimes":"{}"}"#, "E_INVALID_OPTION", Some("regimes")),
        (r#"{"regimes":[1]}"#, "E_INVALID_OPTION", Some("regimes[0]")),
        (
            r#"{"tariffs":{"EU":5}}"#,
            "E_INVALID_OPTION",
            Some("tariffs.EU"),
        ),
        (r#"{"rates":"{"}"#, "E_INVALID_RATES", None),
        (
            r#"{"regimes":["{}"]}"#,
            "E_INVALID_PACK",
            Some("pack[0].format"),
        ),
        (r#"{"tariffs":{"XX":"{}"}}"#, "E_NO_REGIME", None),
        ("[]", "E_INVALID_OPTION", Some("config")),
    ];
    for (config, code, path) in cases {
        let thrown = Engine::new(Some(parse(config).unchecked_into())).err();
        let thrown = thrown.unwrap_or_else(|| panic!("{config} is rejected"));
        assert_eq!(
            string(&thrown, "code").as_deref(),
            Some(*code),
            "code for {config}"
        );
        if let Some(p) = path {
            assert_eq!(
                string(&thrown, "path").as_deref(),
                Some(*p),
                "path for {config}"
            );
        }
    }
    // An engine without any regime assesses nothing, with a coded error.
    let empty = Engine::new(Some(parse(r#"{"embedded":false}"#).unchecked_into())).expect("empty");
    assert_eq!(Array::from(&empty.regimes().expect("listed")).length(), 0);
    let thrown = rejected(empty.assess(&declaration(IOSS), None), "no regime");
    assert_error(thrown, "E_NO_REGIME", Some("destination"));
}

#[wasm_bindgen_test]
fn regimes_lists_the_embedded_packs() {
    let list = Array::from(&regimes().expect("listed"));
    let ids: Vec<String> = list.iter().filter_map(|r| string(&r, "id")).collect();
    assert!(ids.contains(&"EU".to_string()) && ids.contains(&"GB".to_string()));
    for regime in list.iter() {
        let versions = Array::from(&get(&regime, "versions"));
        assert!(versions.length() > 0);
        for v in versions.iter() {
            let label = string(&v, "version").expect("version label");
            assert!(label.contains('@'));
            assert!(string(&v, "from").is_some());
            assert!(get(&v, "tariff_lines").as_f64().is_some());
        }
    }
    assert_eq!(version(), xborder::VERSION);
}
