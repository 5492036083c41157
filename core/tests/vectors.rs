//! Runs every vector in `tests/vectors/<REGIME>/*.json` through the Rust core.
//!
//! The same files are run by the C and WASM bindings; see `tests/vectors/README.md` for the
//! format. A vector passes when every `expect` path resolves to exactly the expected JSON.

use std::path::{Path, PathBuf};

use serde_json::Value;
use xborder::{AssessOptions, Engine};

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

fn vector_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for regime in std::fs::read_dir(vectors_dir()).expect("tests/vectors exists") {
        let regime = regime.unwrap().path();
        if !regime.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&regime).unwrap() {
            let f = f.unwrap().path();
            if f.extension().is_some_and(|e| e == "json") {
                files.push(f);
            }
        }
    }
    files.sort();
    files
}

fn resolve<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.')
        .try_fold(value, |v, seg| match seg.parse::<usize>() {
            Ok(i) if v.is_array() => v.get(i),
            _ => v.get(seg),
        })
}

/// The assessment options of a vector (its `options`, read by the one options grammar every
/// binding uses), and whether it asks for the sample rate table (`"rates": "sample"`); without
/// it, only the built-in official rates convert.
fn options_of(vector: &Value) -> (AssessOptions, bool) {
    let opts = match vector.get("options") {
        Some(o) => AssessOptions::from_json(&o.to_string())
            .unwrap_or_else(|e| panic!("{}: bad options: {e}", vector["name"])),
        None => AssessOptions::default(),
    };
    let sample = match vector.get("rates") {
        None => false,
        Some(Value::String(s)) if s == "sample" => true,
        Some(other) => panic!("{}: unknown rates {other}", vector["name"]),
    };
    (opts, sample)
}

#[test]
fn every_vector_gives_its_expected_figures() {
    let with_sample = Engine::builder()
        .rates_json(include_str!("../../examples/rates/sample-rates.json"))
        .build()
        .unwrap();
    let official = Engine::embedded().unwrap();
    let files = vector_files();
    assert!(
        files.len() >= 40,
        "expected the vector set, found {} files",
        files.len()
    );
    let mut failures = Vec::new();
    for file in &files {
        let vector: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let name = file.file_stem().unwrap().to_string_lossy().to_string();
        assert_eq!(
            vector["name"],
            Value::String(name.clone()),
            "{}: name must match the file",
            file.display()
        );
        let declaration = serde_json::to_string(&vector["declaration"]).unwrap();
        let (options, sample) = options_of(&vector);
        let engine = if sample { &with_sample } else { &official };
        let (json, _) = engine.assess_to_json(&declaration, &options);
        let result: Value = serde_json::from_str(&json).unwrap();
        let expect = vector["expect"].as_object().expect("expect is an object");
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
