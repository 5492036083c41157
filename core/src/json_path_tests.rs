//! The scanned paths against `serde_path_to_error`'s, on declarations and options broken in
//! every way a derived deserializer refuses: each vector's declaration with, at every place, a
//! field removed, an unknown field added, a key repeated, or a value of each JSON type, written
//! compact and pretty (so that errors fall on later lines too). The same for reference data
//! (regime packs, risk profiles, return rules, rate tables) read as the WASM package reads it,
//! objects only ([`from_json_map_only`]).

use serde_json::{Map, Value};

use crate::declaration::Declaration;
use crate::error::{from_json_map_only, from_json_scanning, from_json_tracked, Error};
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

/// A refusal's code, path and message (`None`: the text was read).
type Outcome = Option<(String, Option<String>, String)>;

fn outcome<T>(r: Result<T, Error>) -> Outcome {
    r.err()
        .map(|e| (e.code.as_str().to_string(), e.path, e.message))
}

/// Compares both ways of finding paths on every mutation of `doc`; returns how many failed.
fn compare<T: serde::de::DeserializeOwned>(doc: &Value, failures: &mut Vec<String>) -> usize {
    compare_with(
        doc,
        1,
        from_json_tracked::<T>,
        from_json_scanning::<T>,
        failures,
    )
}

/// Compares `expected` with `actual` on every `step`-th mutation of `doc` (both layouts);
/// returns how many `expected` refused.
fn compare_with<T>(
    doc: &Value,
    step: usize,
    expected: impl Fn(&str) -> Result<T, Error>,
    actual: impl Fn(&str) -> Result<T, Error>,
    failures: &mut Vec<String>,
) -> usize {
    let mut all = Vec::new();
    edits(doc, &mut Vec::new(), &mut all);
    let mut refused = 0;
    for (target, edit) in all.iter().step_by(step) {
        for pretty in [false, true] {
            let mut text = String::new();
            write(doc, &mut Vec::new(), target, edit, pretty, &mut text);
            let expected = outcome(expected(&text));
            let actual = outcome(actual(&text));
            refused += usize::from(expected.is_some());
            if expected != actual {
                failures.push(format!(
                    "{text}\n  expected {expected:?}\n  actual {actual:?}"
                ));
            }
        }
    }
    refused
}

/// Reference data as the default build reads it with `serde_path_to_error`, but with structs
/// read from objects only, as the WASM package reads them: the same deserializer as
/// [`from_json_map_only`], so any difference is in the paths.
#[cfg(feature = "serde-error-paths")]
fn tracked_map_only<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Error> {
    crate::error::refuse_array_document(text, "the document")?;
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(crate::map_only::MapOnly(&mut de))
        .map_err(crate::error::from_json_error)
}

/// Compares, on every `step`-th mutation of the document in `file` (under the repository),
/// the objects-only read's scanned paths with `serde_path_to_error`'s over the same read
/// (exactly), and with the default build's read (wherever a struct was not written as an
/// array). Returns how many mutations the default build refused.
#[cfg(feature = "serde-error-paths")]
fn compare_data<T: serde::de::DeserializeOwned>(
    file: &str,
    step: usize,
    failures: &mut Vec<String>,
) -> usize {
    let path = format!("{}/../{file}", env!("CARGO_MANIFEST_DIR"));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(from_json_map_only::<T>(&doc.to_string()).is_ok(), "{file}");
    let mut mine = Vec::new();
    compare_with(
        &doc,
        step,
        tracked_map_only::<T>,
        from_json_map_only::<T>,
        &mut mine,
    );
    let refused = compare_with(
        &doc,
        step,
        from_json_tracked::<T>,
        |text| match from_json_map_only::<T>(text) {
            // A struct written as an array: read by position by the default build, refused by
            // the objects-only read (by design, `map_only.rs`); not compared.
            Err(e)
                if e.message
                    .starts_with("invalid type: sequence, expected struct") =>
            {
                from_json_tracked::<T>(text)
            }
            r => r,
        },
        &mut mine,
    );
    failures.extend(mine.into_iter().map(|f| format!("{file}: {f}")));
    refused
}

/// Issue 17: in the WASM build (no `data-error-paths`) a broken pack, risk profile, return
/// rules file or rate table gets the field path the default build gives, found by scanning.
#[cfg(feature = "serde-error-paths")]
/// No comparison found a difference, and enough of them were made to mean something.
fn assert_agreed(failures: &[String], refused: usize) {
    assert!(
        failures.is_empty(),
        "{} differences, e.g.\n{}",
        failures.len(),
        failures[..failures.len().min(5)].join("\n")
    );
    assert!(refused > 1000, "only {refused} refusals compared");
}

#[test]
fn data_paths_are_serde_path_to_errors() {
    use crate::regime::pack::PackFile;
    let mut failures = Vec::new();
    let mut refused = 0;
    refused += compare_data::<PackFile>("regimes/SA/pack.json", 2, &mut failures);
    refused += compare_data::<PackFile>("regimes/AU/pack.json", 13, &mut failures);
    refused += compare_data::<PackFile>("regimes/EU/pack.json", 199, &mut failures);
    refused +=
        compare_data::<crate::risk::RiskProfile>("regimes/EU/risk-profile.json", 5, &mut failures);
    refused +=
        compare_data::<crate::refund::ReturnRules>("regimes/EU/returns.json", 1, &mut failures);
    refused += compare_data::<crate::exchange::RateFile>(
        "examples/rates/sample-rates.json",
        1,
        &mut failures,
    );
    assert_agreed(&failures, refused);
}

/// Issue 17: the WASM package reads packs with the compact reader (`regime/decode.rs`), which
/// must accept and refuse exactly what the objects-only derived reader did (same code, path and
/// message), and so what the default build does, but for a struct written as an array (refused
/// by design, `map_only.rs`) and the path of a goods reference matching neither spelling in a
/// list, which the scan cannot find for either reader (it names the list, the default build the
/// element). The packs are chosen for the pack structs they hold between them (simplified
/// rates, surcharges, out of scope, per-person limits, personal use, uplift; the US pack, cut to
/// its last version and three tariff lines, for additional duties with origin rates, needs,
/// specific bands and goods references).
#[cfg(feature = "serde-error-paths")]
#[test]
fn compact_pack_reader_refuses_as_serde_does() {
    use crate::regime::pack::PackFile;
    let read = |file: &str| -> Value {
        let path = format!("{}/../{file}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    let mut us = read("regimes/US/pack.json");
    let last = us["versions"].as_array().unwrap().last().unwrap().clone();
    us["versions"] = Value::Array(vec![last]);
    us["versions"][0]["tariff"]["lines"]
        .as_array_mut()
        .unwrap()
        .truncate(3);
    let mut failures = Vec::new();
    let mut refused = 0;
    for (file, doc, step) in [
        ("SA", read("regimes/SA/pack.json"), 7),
        ("CN", read("regimes/CN/pack.json"), 11),
        ("IN", read("regimes/IN/pack.json"), 29),
        ("JP", read("regimes/JP/pack.json"), 29),
        ("ZA", read("regimes/ZA/pack.json"), 79),
        ("MX", read("regimes/MX/pack.json"), 131),
        ("EU", read("regimes/EU/pack.json"), 797),
        ("US (cut)", us, 53),
    ] {
        refused += compare_compact_doc::<PackFile>(file, &doc, step, &mut failures);
    }
    assert_agreed(&failures, refused);
}

/// Every fifth vector's declaration: the declarations share their shape, and each is mutated
/// everywhere.
fn vector_declarations() -> Vec<Value> {
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
    files
        .iter()
        .step_by(5)
        .filter_map(|path| {
            let text = std::fs::read_to_string(path).unwrap();
            let vector = serde_json::from_str::<Value>(&text).ok()?;
            vector.get("declaration").cloned()
        })
        .collect()
}

#[test]
fn scanned_paths_are_serde_path_to_errors() {
    let mut failures = Vec::new();
    let mut refused = 0;
    for decl in vector_declarations() {
        refused += compare::<Declaration>(&decl, &mut failures);
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
    assert_agreed(&failures, refused);
}

/// Compares the compact reader of `T` (`regime/decode.rs`) with the objects-only derived
/// reader (exactly) and with the default build's on every `step`-th mutation of `doc` (`file`
/// names it in the failures). Returns how many mutations the default build refused.
#[cfg(feature = "serde-error-paths")]
fn compare_compact_doc<T>(file: &str, doc: &Value, step: usize, failures: &mut Vec<String>) -> usize
where
    T: crate::regime::decode::Decode + serde::de::DeserializeOwned,
{
    let compact = crate::regime::decode::from_json::<T>;
    assert!(compact(&doc.to_string()).is_ok(), "{file}");
    let mut mine = Vec::new();
    compare_with(doc, step, from_json_map_only::<T>, compact, &mut mine);
    let refused = compare_with(
        doc,
        step,
        from_json_tracked::<T>,
        |text| match compact(text) {
            // A struct written as an array: read by position by the default build, refused by
            // design here (`map_only.rs`).
            Err(e)
                if e.message
                    .starts_with("invalid type: sequence, expected struct") =>
            {
                from_json_tracked::<T>(text)
            }
            // A goods reference matching neither spelling in a list: the scan names the list,
            // the default build the element (BENCHMARKS.md, WASM, session 32).
            Err(e) if e.message.contains("untagged enum GoodsRefText") => {
                match from_json_tracked::<T>(text) {
                    Err(t) if (t.code, &t.message) == (e.code, &e.message) => Err(t),
                    _ => Err(e),
                }
            }
            r => r,
        },
        &mut mine,
    );
    failures.extend(mine.into_iter().map(|f| format!("{file}: {f}")));
    refused
}

/// [`compare_compact_doc`] on the document in `file` (under the repository).
#[cfg(feature = "serde-error-paths")]
fn compare_compact<T>(file: &str, step: usize, failures: &mut Vec<String>) -> usize
where
    T: crate::regime::decode::Decode + serde::de::DeserializeOwned,
{
    let path = format!("{}/../{file}", env!("CARGO_MANIFEST_DIR"));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    compare_compact_doc::<T>(file, &doc, step, failures)
}

/// Issue 17: the WASM package reads risk profiles, return rules and the JSON rate table with
/// the compact reader too (`regime/decode/rules.rs`): the same codes, paths and messages. The EU
/// profile holds a rule of every condition, newtype and struct variants alike.
#[cfg(feature = "serde-error-paths")]
#[test]
fn compact_rules_readers_refuse_as_serde_does() {
    use crate::refund::ReturnRules;
    use crate::risk::RiskProfile;
    let mut failures = Vec::new();
    let mut refused = 0;
    refused += compare_compact::<RiskProfile>("regimes/EU/risk-profile.json", 3, &mut failures);
    refused += compare_compact::<RiskProfile>("regimes/GB/risk-profile.json", 11, &mut failures);
    for file in [
        "regimes/EU/returns.json",
        "regimes/GB/returns.json",
        "regimes/CN/returns.json",
    ] {
        refused += compare_compact::<ReturnRules>(file, 1, &mut failures);
    }
    refused += compare_compact::<crate::exchange::RateFile>(
        "examples/rates/sample-rates.json",
        1,
        &mut failures,
    );
    assert_agreed(&failures, refused);
}

/// Compares a compact reader (`compact`) with the package's former derived reader
/// (`from_json_scanning`: exactly, the value included, with no exemption) and with the CLI's
/// (`from_json_tracked`) on every mutation of `doc`; returns how many the former refused.
fn compare_compact_exactly<T>(
    doc: &Value,
    compact: impl Fn(&str) -> Result<T, Error>,
    failures: &mut Vec<String>,
) -> usize
where
    T: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    // The compact read, and a refusal of its own when it reads a value the derived reader
    // reads differently (`outcome` compares refusals only).
    let checked = |text: &str| {
        let read = compact(text);
        match (&read, from_json_scanning::<T>(text)) {
            (Ok(a), Ok(b)) if *a != b => Err(Error::new(
                crate::error::ErrorCode::InvalidValue,
                format!("read differently: {a:?}"),
            )),
            _ => read,
        }
    };
    let refused = compare_with(doc, 1, from_json_scanning::<T>, checked, failures);
    compare_with(doc, 1, from_json_tracked::<T>, &compact, failures);
    refused
}

/// Issue 17: without `serde-error-paths` (the WASM package) the declaration is read by the
/// compact reader (`regime/decode/declaration.rs`), which must accept and refuse exactly what
/// the package's derived reader did, and so what the CLI's reader does: on every mutation of
/// every fifth vector's declaration.
#[test]
fn compact_declaration_reader_refuses_as_serde_does() {
    let mut failures = Vec::new();
    let mut refused = 0;
    for decl in vector_declarations() {
        refused +=
            compare_compact_exactly(&decl, crate::declaration::from_json_compact, &mut failures);
    }
    assert_agreed(&failures, refused);
}

/// The same for a return declaration (`Engine::refund_json`), which holds a declaration: on
/// every mutation of the example return.
#[test]
fn compact_return_reader_refuses_as_serde_does() {
    use crate::refund::ReturnDeclaration;
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/returns/eu-defective-return.json"
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut failures = Vec::new();
    let refused = compare_compact_exactly(
        &doc,
        crate::regime::decode::from_json::<ReturnDeclaration>,
        &mut failures,
    );
    assert_agreed(&failures, refused);
}
