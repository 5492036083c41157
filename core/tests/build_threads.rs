//! An engine built on several threads (`EngineBuilder::threads`) is the engine one thread
//! builds: the same regimes in the same order, the same rates, the same results byte for byte,
//! and the same error when a text is bad (the one the sequential reading meets first).

use std::path::Path;

use xborder::{AssessOptions, Engine, EngineBuilder};

fn samples() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/declarations/all.ndjson");
    std::fs::read_to_string(path).unwrap()
}

/// Every sample's result (or error record) and every regime's listing, as JSON text.
fn everything(engine: &Engine) -> Vec<String> {
    let options = AssessOptions::default();
    let mut out = vec![engine.regimes_json()];
    out.extend(engine.regime_ids().map(|id| {
        let regime = engine.regime(id).unwrap();
        format!(
            "{id} {} versions, {:?}",
            regime.versions.len(),
            regime.destinations
        )
    }));
    for line in samples().lines() {
        out.push(engine.assess_to_json(line, &options).0);
    }
    out
}

fn built(threads: usize, builder: impl Fn() -> EngineBuilder) -> Engine {
    builder().threads(threads).build().unwrap()
}

#[test]
fn the_embedded_engine_is_the_same_on_any_number_of_threads() {
    let one = everything(&built(1, Engine::builder));
    assert!(one.len() > 30, "the samples were read");
    for threads in [0, 2, 3, 16] {
        assert_eq!(
            everything(&built(threads, Engine::builder)),
            one,
            "{threads} threads"
        );
    }
}

#[test]
fn a_caller_pack_replaces_the_embedded_one_on_any_number_of_threads() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../regimes/GB/pack.json");
    let pack = std::fs::read_to_string(path).unwrap();
    let builder = || Engine::builder().regime_json(pack.clone());
    let one = built(1, builder);
    let two = built(2, builder);
    assert_eq!(
        one.regime_ids().collect::<Vec<_>>(),
        two.regime_ids().collect::<Vec<_>>()
    );
    assert_eq!(everything(&one), everything(&two));
}

#[test]
fn the_first_bad_pack_is_the_error_on_any_number_of_threads() {
    // Two bad caller packs: the sequential reading stops at the first, `pack[0]`, though the
    // second is shorter (and so read first by a helper thread).
    let bad_currency = r#"{"id": "XX", "name": "Broken", "currency": 5}"#;
    let not_json = "{";
    for threads in [1, 2, 4] {
        let err = Engine::builder()
            .regime_json(bad_currency)
            .regime_json(not_json)
            .threads(threads)
            .build()
            .unwrap_err();
        let path = err.path.clone().unwrap_or_default();
        assert!(path.starts_with("pack[0]"), "{threads} threads: {err}");
    }
}
