//! Assesses one declaration file with the embedded regimes and the sample rates, and prints
//! the result with its trace: `cargo run -p xborder --example assess_file -- FILE`.

use xborder::{AssessOptions, Engine};

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "examples/declarations/eu-cat3-ioss-seller.json".into());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let engine = Engine::builder()
        .rates_json(include_str!("../../examples/rates/sample-rates.json"))
        .build()
        .expect("embedded regimes load");
    let (json, _) = engine.assess_to_json(&text, &AssessOptions::traced());
    println!("{json}");
}
