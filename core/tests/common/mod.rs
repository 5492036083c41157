//! What the integration tests that run the conformance vectors share: the one walker over
//! `tests/vectors/<REGIME>/*.json`, the reading of a vector's `options` and `rates`, and the
//! two engines a vector is assessed with. `tests/vectors/README.md` describes the format.
//!
//! Each test file is its own crate and uses only part of this module (`mod common;`), hence
//! the `dead_code` allowance.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;
use xborder::{AssessOptions, Assessment, Engine};

/// The repository's root.
pub fn repo() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// Every vector file, `tests/vectors/<REGIME>/*.json`, sorted by path.
pub fn vector_files() -> Vec<PathBuf> {
    let dir = repo().join("tests/vectors");
    let mut files = Vec::new();
    for regime in std::fs::read_dir(dir).expect("tests/vectors exists") {
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

/// One vector file, read.
pub struct Vector {
    /// Where it is.
    pub file: PathBuf,
    /// Its `name` (the file's stem, which `every_vector_gives_its_expected_figures` checks).
    pub name: String,
    /// The whole document.
    pub json: Value,
}

impl Vector {
    /// The declaration as the JSON text a caller sends.
    pub fn declaration(&self) -> String {
        self.json["declaration"].to_string()
    }

    /// The assessment options of the vector (its `options`, read by the one options grammar
    /// every binding uses).
    pub fn options(&self) -> AssessOptions {
        match self.json.get("options") {
            Some(o) => AssessOptions::from_json(&o.to_string())
                .unwrap_or_else(|e| panic!("{}: bad options: {e}", self.name)),
            None => AssessOptions::default(),
        }
    }

    /// Whether the vector asks for the sample rate table (`"rates": "sample"`); without it,
    /// only the built-in official rates convert.
    pub fn sample_rates(&self) -> bool {
        match self.json.get("rates") {
            None => false,
            Some(Value::String(s)) if s == "sample" => true,
            Some(other) => panic!("{}: unknown rates {other}", self.name),
        }
    }

    /// The engine the vector is assessed with: [`sample_engine`] or [`official_engine`].
    pub fn engine(&self) -> &'static Engine {
        if self.sample_rates() {
            sample_engine()
        } else {
            official_engine()
        }
    }
}

/// Every vector, read and parsed, in path order.
pub fn vectors() -> Vec<Vector> {
    vector_files()
        .into_iter()
        .map(|file| {
            let json: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let name = json["name"].as_str().unwrap_or("?").to_string();
            Vector { file, name, json }
        })
        .collect()
}

/// Every vector assessed by `engine` under its options, without and then with the trace:
/// `check` sees each result (a declaration the engine refuses is skipped). Returns how many
/// results it saw, for the caller's floor.
pub fn each_vector_result(engine: &Engine, mut check: impl FnMut(&Vector, &Assessment)) -> usize {
    let mut checked = 0;
    for vector in vectors() {
        let text = vector.declaration();
        for trace in [false, true] {
            let options = AssessOptions {
                trace,
                ..vector.options()
            };
            if let Ok(a) = engine.assess_json(&text, &options) {
                check(&vector, &a);
                checked += 1;
            }
        }
    }
    checked
}

/// Every line of the NDJSON `batch` assessed by `engine`, the trace on one line in ten (which
/// keeps a test quick): `check` sees each result (a refused line is skipped). Returns how many
/// results it saw.
pub fn each_batch_result(
    engine: &Engine,
    batch: &[u8],
    mut check: impl FnMut(&Assessment),
) -> usize {
    let mut checked = 0;
    for (i, line) in batch.split(|&b| b == b'\n').enumerate() {
        let Ok(text) = std::str::from_utf8(line) else {
            continue;
        };
        let options = AssessOptions {
            trace: i % 10 == 0,
            ..AssessOptions::default()
        };
        if let Ok(a) = engine.assess_json(text, &options) {
            check(&a);
            checked += 1;
        }
    }
    checked
}

/// The embedded regimes with the sample rate table of `examples/rates/sample-rates.json`
/// (winning over the official tables, pair by pair).
pub fn sample_engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::builder()
            .rates_json(include_str!("../../../examples/rates/sample-rates.json"))
            .build()
            .unwrap()
    })
}

/// The embedded regimes with only the official rate tables.
pub fn official_engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::embedded().unwrap())
}
