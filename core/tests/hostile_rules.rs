//! Packs and risk profiles within every documented limit but shaped to be as costly as possible
//! (issue 21, items 11 and 12): the cost of an assessment is bounded by the size of the input,
//! not by its shape.
//!
//! These are not timed tests: each case ran for minutes before the fix (194 s and 119 s in a
//! release build) and takes milliseconds after it. A run that does not finish within a minute
//! fails as hung, a bound generous enough for any machine.

use std::sync::mpsc;
use std::time::Duration;

use serde_json::{json, Value};
use xborder::{AssessOptions, Engine, ErrorCode};

/// Runs `f` on its own thread and fails the test if it has not finished within a minute.
fn finishes<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|_| panic!("{what} did not finish within a minute"))
}

fn xborder_regimes_eu_pack() -> &'static str {
    include_str!("../../regimes/EU/pack.json")
}

/// Replaces every registration pattern of the EU pack (the IOSS number format).
fn eu_pack_with_pattern(pattern: &str) -> String {
    let text = xborder_regimes_eu_pack().replace("^IM[0-9]{10}$", &pattern.replace('\\', "\\\\"));
    assert_ne!(text, xborder_regimes_eu_pack());
    text
}

/// A declaration of `items` goods items with this description, from an IOSS seller whose
/// number is `ioss`.
fn declaration(items: usize, description: &str, ioss: &str) -> String {
    let item = json!({"description": description, "hs_code": "610910", "quantity": 1,
                      "value": "0.10", "origin": "CN"});
    json!({
        "id": "hostile", "date": "2026-03-15", "destination": "DE", "currency": "EUR",
        "items": vec![item; items],
        "seller": {"name": "Shop", "country": "CN",
                   "registrations": [{"scheme": "IOSS", "number": ioss}]},
        "consignee": {"name": "A. Buyer", "country": "DE"}
    })
    .to_string()
}

#[test]
fn nested_counted_repetitions_are_refused_when_the_pack_loads() {
    let pack = eu_pack_with_pattern("^(((((a?){127}){127}){127}){127}){127}$");
    let e = Engine::builder().regime_json(pack).build().unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidPack, "{e}");
    assert!(e.message.contains("too complex"), "{e}");
    assert!(
        e.path.as_deref().is_some_and(|p| p.starts_with("pack[0]")),
        "{e:?}"
    );
    // Four levels (1.5 s per declaration before) are refused too.
    let pack = eu_pack_with_pattern("^((((a?){127}){127}){127}){127}$");
    assert!(Engine::builder().regime_json(pack).build().is_err());
}

#[test]
fn the_costliest_pattern_admitted_is_cheap_to_match_and_to_generate_from() {
    // Expanded size 2,033 of the 2,048 allowed.
    let pattern = "^(a{0,14}){127}$";
    let engine = Engine::builder()
        .regime_json(eu_pack_with_pattern(pattern))
        .build()
        .unwrap();
    let text = declaration(999, "T-shirt", &"a".repeat(127));
    let result = finishes("999 items with a costly registration pattern", move || {
        engine.assess_json(&text, &AssessOptions::default())
    });
    let result = serde_json::to_value(result.unwrap()).unwrap();
    assert_eq!(
        result["collection"]["scheme"], "IOSS",
        "{}",
        result["collection"]
    );
    let p = xborder::pattern::Pattern::new(pattern).unwrap();
    let mut longest = |n: u32| n.saturating_sub(1);
    assert!(p.example(&mut longest).len() as u64 <= xborder::pattern::MAX_EXPANDED_SIZE);
}

/// The EU sample profile with one more rule holding `keywords`.
fn profile_with_keywords(keywords: Vec<String>) -> String {
    let mut profile: Value =
        serde_json::from_str(include_str!("../../regimes/EU/risk-profile.json")).unwrap();
    profile["rules"].as_array_mut().unwrap().push(json!({
        "code": "R_HOSTILE", "weight": 10, "reason": "many keywords",
        "when": {"keyword": keywords}, "source": "test", "checked": "2026-12-01"
    }));
    profile.to_string()
}

#[test]
fn keyword_matching_does_not_grow_with_the_number_of_keywords() {
    // 100,000 keywords sharing their first word (a 1.3 MB profile): every occurrence of the
    // word tried them all, 119 s for this declaration.
    let keywords: Vec<String> = (0..100_000).map(|i| format!("lithium k{i}")).collect();
    let profile = profile_with_keywords(keywords);
    assert!(profile.len() > 1_200_000);
    let engine = Engine::builder()
        .risk_profile_json(profile)
        .build()
        .unwrap();
    let crowded = "lithium ".repeat(63);
    let texts = [
        declaration(999, crowded.trim_end(), "IM2500000001"),
        declaration(
            999,
            &format!("{} k99999", crowded.trim_end()),
            "IM2500000001",
        ),
    ];
    let releases = finishes("999 items against 100,000 keywords", move || {
        texts
            .iter()
            .map(|t| {
                let r = engine.assess_json(t, &AssessOptions::default()).unwrap();
                serde_json::to_value(r).unwrap()["release"].clone()
            })
            .collect::<Vec<_>>()
    });
    let codes = |r: &Value| -> Vec<String> {
        r["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(!codes(&releases[0]).contains(&"R_HOSTILE".to_string()));
    let hit = releases[1]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "R_HOSTILE")
        .unwrap_or_else(|| panic!("{:#}", releases[1]));
    assert!(
        hit["message"].as_str().unwrap().contains("lithium k99999"),
        "{hit}"
    );
    assert_eq!(hit["path"], "items[0].description");
}

#[test]
fn keyword_phrases_are_limited_in_words() {
    let eight = "a b c d e f g h".to_string();
    assert!(Engine::builder()
        .risk_profile_json(profile_with_keywords(vec![eight.clone()]))
        .build()
        .is_ok());
    let e = Engine::builder()
        .risk_profile_json(profile_with_keywords(vec![format!("{eight} i")]))
        .build()
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidPack, "{e}");
    assert!(e.message.contains("at most 8 words"), "{e}");
}
