//! The public data types as a Rust user (or a code generator) sees them: every vector's result
//! reads back into `Assessment` unchanged, and declarations can be built in Rust.

mod common;

use xborder::declaration::{Declaration, Item};
use xborder::{Amount, AssessOptions, Assessment, Date, Engine};

/// Every vector's name and result JSON (with the trace, so that every step reads back too);
/// `None` for a vector whose declaration is rejected.
fn vector_results() -> Vec<(String, Option<String>)> {
    common::vectors()
        .iter()
        .map(|vector| {
            let mut options = vector.options();
            options.trace = true;
            let result = vector
                .engine()
                .assess_record(&vector.declaration(), &options)
                .ok()
                .map(|r| serde_json::to_string(&r).unwrap());
            (vector.name.clone(), result)
        })
        .collect()
}

#[test]
fn every_vector_result_reads_back_into_an_assessment() {
    let results = vector_results();
    assert!(results.len() >= 40, "{} vectors", results.len());
    let mut read = 0;
    for (name, json) in results {
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
