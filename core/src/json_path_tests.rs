//! The scanned paths against `serde_path_to_error`'s, on declarations and options broken in
//! every way a derived deserializer refuses: each vector's declaration with, at every place, a
//! field removed, an unknown field added, a key repeated, or a value of each JSON type, written
//! compact and pretty (so that errors fall on later lines too).

use serde_json::{Map, Value};

use crate::declaration::Declaration;
use crate::error::{from_json_scanning, from_json_tracked, Error};
use crate::options::AssessOptions;

/// The replacement values tried at every place.
fn replacements() -> Vec<Value> {
    [
        "1",
        "-1.5",
        "\"x\"",
        "\"\"",
        "[]",
        "{}",
        "null",
        "true",
        "{\"a\":1}",
        "[1]",
        "\"2026-13-45\"",
        "1e3",
        "\"12.345678901234567890\"",
        "[{}]",
    ]
    .iter()
    .map(|t| serde_json::from_str(t).unwrap())
    .collect()
}

/// What a mutation does at the place it is applied.
#[derive(Clone)]
enum Edit {
    Replace(Value),
    Remove(String),
    AddUnknown,
    Repeat(String),
}

/// Writes `value` as JSON, applying `edit` at `target` (a list of keys and indexes).
fn write(
    value: &Value,
    at: &mut Vec<String>,
    target: &[String],
    edit: &Edit,
    pretty: bool,
    out: &mut String,
) {
    let here = at.as_slice() == target;
    if here {
        if let Edit::Replace(v) = edit {
            out.push_str(&v.to_string());
            return;
        }
    }
    let nl = if pretty { "\n" } else { "" };
    match value {
        Value::Object(map) => {
            out.push('{');
            out.push_str(nl);
            let mut first = true;
            let mut entry = |k: &str, v: &Value, at: &mut Vec<String>, out: &mut String| {
                if !first {
                    out.push(',');
                    out.push_str(nl);
                }
                first = false;
                out.push_str(&Value::String(k.to_string()).to_string());
                out.push_str(if pretty { ": " } else { ":" });
                at.push(k.to_string());
                write(v, at, target, edit, pretty, out);
                at.pop();
            };
            for (k, v) in map {
                if here && matches!(edit, Edit::Remove(r) if r == k) {
                    continue;
                }
                entry(k, v, at, out);
                if here && matches!(edit, Edit::Repeat(r) if r == k) {
                    entry(k, v, at, out);
                }
            }
            if here && matches!(edit, Edit::AddUnknown) {
                entry("zz_unknown", &Value::Bool(true), at, out);
            }
            out.push_str(nl);
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                    out.push_str(nl);
                }
                at.push(i.to_string());
                write(v, at, target, edit, pretty, out);
                at.pop();
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Every place in `value` with the edits that apply there.
fn edits(value: &Value, at: &mut Vec<String>, out: &mut Vec<(Vec<String>, Edit)>) {
    if !at.is_empty() {
        for r in replacements() {
            out.push((at.clone(), Edit::Replace(r)));
        }
    }
    match value {
        Value::Object(map) => {
            out.push((at.clone(), Edit::AddUnknown));
            for (k, v) in map {
                out.push((at.clone(), Edit::Remove(k.clone())));
                out.push((at.clone(), Edit::Repeat(k.clone())));
                at.push(k.clone());
                edits(v, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                at.push(i.to_string());
                edits(v, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn outcome<T>(r: Result<T, Error>) -> Option<(String, Option<String>, String)> {
    r.err()
        .map(|e| (e.code.as_str().to_string(), e.path, e.message))
}

/// Compares both ways of finding paths on every mutation of `doc`; returns how many failed.
fn compare<T: serde::de::DeserializeOwned>(doc: &Value, failures: &mut Vec<String>) -> usize {
    let mut all = Vec::new();
    edits(doc, &mut Vec::new(), &mut all);
    let mut refused = 0;
    for (target, edit) in &all {
        for pretty in [false, true] {
            let mut text = String::new();
            write(doc, &mut Vec::new(), target, edit, pretty, &mut text);
            let tracked = outcome(from_json_tracked::<T>(&text));
            let scanned = outcome(from_json_scanning::<T>(&text));
            refused += usize::from(tracked.is_some());
            if tracked != scanned {
                failures.push(format!(
                    "{text}\n  tracked {tracked:?}\n  scanned {scanned:?}"
                ));
            }
        }
    }
    refused
}

#[test]
fn scanned_paths_are_serde_path_to_errors() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors");
    let mut files: Vec<_> = Vec::new();
    for dir in std::fs::read_dir(root).unwrap().flatten() {
        if dir.path().is_dir() {
            files.extend(
                std::fs::read_dir(dir.path())
                    .unwrap()
                    .flatten()
                    .map(|f| f.path()),
            );
        }
    }
    files.sort();
    let mut failures = Vec::new();
    let mut refused = 0;
    // Every fifth vector: the declarations share their shape, and each is mutated everywhere.
    for path in files.iter().step_by(5) {
        let text = std::fs::read_to_string(path).unwrap();
        let Ok(vector) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        if let Some(decl) = vector.get("declaration") {
            refused += compare::<Declaration>(decl, &mut failures);
        }
    }
    let mut options = Map::new();
    options.insert("trace".into(), Value::Bool(true));
    options.insert("date".into(), Value::String("2026-07-01".into()));
    options.insert("regime".into(), Value::String("EU".into()));
    options.insert(
        "options".into(),
        serde_json::json!({"flat_duty_scope": "ioss_and_postal"}),
    );
    refused += compare::<AssessOptions>(&Value::Object(options), &mut failures);
    assert!(
        failures.is_empty(),
        "{} differences, e.g.\n{}",
        failures.len(),
        failures[..failures.len().min(5)].join("\n")
    );
    assert!(refused > 1000, "only {refused} refusals compared");
}
