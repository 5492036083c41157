//! Declaration JSON → assessment, as every binding runs it (`Engine::assess_to_json`).
//!
//! Invariants beyond "no panic, no hang, no OOM": the output is one JSON object; it is an error
//! record (with the error's code) exactly when the call reported an error, and that error is
//! one input may cause (never `E_INTERNAL`); a declaration that
//! parses survives a serialize → parse round trip unchanged.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

mod common;
use xborder_core::{AssessOptions, Declaration, Engine};

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::embedded().expect("the embedded packs load"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Odd lengths also build the trace, which walks every step again.
    let options = if !data.len().is_multiple_of(2) {
        AssessOptions::traced()
    } else {
        AssessOptions::default()
    };
    let (json, error) = engine().assess_to_json(text, &options);
    let value: serde_json::Value = serde_json::from_str(&json).expect("output is JSON");
    let object = value.as_object().expect("output is an object");
    match &error {
        Some(e) => {
            assert_eq!(object["error"]["code"], e.code.as_str(), "{json}");
            common::assert_input_refusal(e);
        }
        None => assert!(!object.contains_key("error"), "{json}"),
    }
    if let Ok(declaration) = Declaration::from_json(text) {
        let again = serde_json::to_string(&declaration).expect("a declaration serializes");
        let back = Declaration::from_json(&again).expect("a serialized declaration parses");
        assert_eq!(back, declaration, "round trip changed {again}");
    }
});
