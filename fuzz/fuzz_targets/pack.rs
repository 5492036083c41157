//! Regime pack JSON → validation; a pack that validates is then built into an engine and
//! assesses the example declarations, so that absurd but valid figures reach the arithmetic.
//!
//! Invariants: no panic, no hang, no OOM; every error from a fuzzed pack or from assessing
//! against it carries a stable code and is never `E_INTERNAL`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xborder_core::regime::Regime;
use xborder_core::{AssessOptions, Engine};

mod common;

const DECLARATIONS: &[&str] = &[
    include_str!("../../examples/declarations/eu-cat3-ioss-seller.json"),
    include_str!("../../examples/declarations/gb-cat4-border.json"),
    include_str!("../../examples/declarations/eu-cat2-gift-c2c.json"),
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let regime = match Regime::from_json(text) {
        Ok(r) => r,
        Err(e) => {
            common::assert_input_refusal(&e);
            return;
        }
    };
    let engine = match Engine::builder()
        .without_embedded()
        .regime_json(text)
        .build()
    {
        Ok(e) => e,
        Err(e) => {
            common::assert_input_refusal(&e);
            return;
        }
    };
    let mut options = AssessOptions::traced();
    options.regime = Some(regime.id.clone());
    for declaration in DECLARATIONS {
        let (json, error) = engine.assess_to_json(declaration, &options);
        serde_json::from_str::<serde_json::Value>(&json).expect("output is JSON");
        if let Some(e) = error {
            common::assert_input_refusal(&e);
        }
    }
});
