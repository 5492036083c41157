//! The public data types as a Rust user (or a code generator) sees them: every vector's result
//! reads back into `Assessment` unchanged, and declarations can be built in Rust.

use std::path::{Path, PathBuf};

use serde_json::Value;
use xborder::declaration::{Declaration, Item};
use xborder::{Amount, AssessOptions, Assessment, Date, Engine};

fn vector_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut files = Vec::new();
    for regime in std::fs::read_dir(dir).expect("tests/vectors exists") {
        let regime = regime.unwrap().path();
        if regime.is_dir() {
            for f in std::fs::read_dir(&regime).unwrap() {
                let f = f.unwrap().path();
                if f.extension().is_some_and(|e| e == "json") {
                    files.push(f);
                }
            }
        }
    }
    files.sort();
    files
}

/// Every vector's declaration and its result JSON (with the trace, so that every step reads
/// back too); `None` for a vector whose declaration is rejected.
fn vector_results() -> Vec<(String, Value, Option<String>)> {
    let with_sample = Engine::builder()
        .rates_json(include_str!("../../examples/rates/sample-rates.json"))
        .build()
        .unwrap();
    let official = Engine::embedded().unwrap();
    let mut out = Vec::new();
    for file in vector_files() {
        let vector: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let name = vector["name"].as_str().unwrap().to_string();
        let mut options = match vector.get("options") {
            Some(o) => AssessOptions::from_json(&o.to_string()).unwrap(),
            None => AssessOptions::default(),
        };
        options.trace = true;
        let engine = if vector.get("rates").is_some() {
            &with_sample
        } else {
            &official
        };
        let text = vector["declaration"].to_string();
        let result = engine
            .assess_record(&text, &options)
            .ok()
            .map(|r| serde_json::to_string(&r).unwrap());
        out.push((name, vector["declaration"].clone(), result));
    }
    out
}

#[test]
fn every_vector_result_reads_back_into_an_assessment() {
    let results = vector_results();
    assert!(results.len() >= 40, "{} vectors", results.len());
    let mut read = 0;
    for (name, _, json) in results {
        let Some(json) = json else { continue };
        let back: Assessment =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: {e}\n{json}"));
        assert_eq!(serde_json::to_string(&back).unwrap(), json, "{name}");
        read += 1;
    }
    assert!(read >= 40, "only {read} vectors were assessed");
}

#[test]
fn a_declaration_built_in_rust_is_the_one_read_from_json() {
    let built = Declaration {
        items: vec![Item::new(
            "T-shirt",
            "610910",
            "20.00".parse::<Amount>().unwrap(),
        )],
        ..Declaration::new("rust-1", Date::new(2026, 3, 1).unwrap(), "FR", "EUR")
    };
    let json = r#"{"id":"rust-1","date":"2026-03-01","destination":"FR","currency":"EUR",
        "items":[{"description":"T-shirt","hs_code":"610910","quantity":1,"value":"20.00"}],
        "seller":{"name":""},"consignee":{"name":""}}"#;
    let read = Declaration::from_json(json).unwrap();
    assert_eq!(built, read);
    let engine = Engine::embedded().unwrap();
    let a = engine.assess(&built, &AssessOptions::default()).unwrap();
    let b = engine.assess(&read, &AssessOptions::default()).unwrap();
    assert_eq!(a, b);
}
