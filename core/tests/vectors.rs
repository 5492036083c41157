//! Runs every vector in `tests/vectors/<REGIME>/*.json` through the Rust core.
//!
//! The same files are run by the C and WASM bindings; see `tests/vectors/README.md` for the
//! format. A vector passes when every `expect` path resolves to exactly the expected JSON.

mod common;

use serde_json::Value;

fn resolve<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.')
        .try_fold(value, |v, seg| match seg.parse::<usize>() {
            Ok(i) if v.is_array() => v.get(i),
            _ => v.get(seg),
        })
}

#[test]
fn every_vector_gives_its_expected_figures() {
    let vectors = common::vectors();
    assert!(
        vectors.len() >= 40,
        "expected the vector set, found {} files",
        vectors.len()
    );
    let mut failures = Vec::new();
    for vector in &vectors {
        let stem = vector.file.file_stem().unwrap().to_string_lossy();
        assert_eq!(
            vector.json["name"],
            Value::String(stem.to_string()),
            "{}: name must match the file",
            vector.file.display()
        );
        let name = &vector.name;
        let (json, _) = vector
            .engine()
            .assess_to_json(&vector.declaration(), &vector.options());
        let result: Value = serde_json::from_str(&json).unwrap();
        let expect = vector.json["expect"]
            .as_object()
            .expect("expect is an object");
        assert!(!expect.is_empty(), "{name}: expects nothing");
        for (path, want) in expect {
            let got = resolve(&result, path);
            let ok = match got {
                Some(g) => g == want,
                None => want.is_null(),
            };
            if !ok {
                failures.push(format!(
                    "{name}: {path}: expected {want}, got {}\n    result: {}",
                    got.map_or("<absent>".to_string(), |g| g.to_string()),
                    &json[..json.len().min(600)]
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
