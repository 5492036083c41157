//! Every regime pack validates against the JSON Schema and loads; broken packs are rejected
//! with precise errors.

use std::path::Path;

use serde_json::Value;
use xborder::regime::Regime;
use xborder::{Engine, ErrorCode};

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn pack_paths() -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root().join("regimes")).unwrap() {
        let p = entry.unwrap().path().join("pack.json");
        if p.exists() {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn schema() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("regimes/schema/regime-pack.schema.json")).unwrap(),
    )
    .unwrap();
    jsonschema::validator_for(&schema).expect("the schema is itself valid")
}

#[test]
fn every_pack_matches_the_schema_and_loads() {
    let validator = schema();
    let paths = pack_paths();
    assert!(paths.len() >= 2, "EU and GB packs at least");
    for p in paths {
        let text = std::fs::read_to_string(&p).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{}: {}", p.display(), errors.join("\n"));
        let regime = Regime::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        for v in &regime.versions {
            // A version may hold no tariff lines only when a simplified rate with a default
            // rate prices every HS code in their place (Mexico's courier global rate, Brazil's
            // RTS), or when every consignment it does not price is refused as out of scope
            // (China's cross-border e-commerce, whose scheme relieves duty).
            let priced_without_tariff = v.rules.simplified_rates.iter().any(|r| r.rate.is_some())
                || !v.rules.out_of_scope.is_empty();
            assert!(
                !v.tariff.lines().is_empty() || priced_without_tariff,
                "{} has an empty tariff",
                v.label
            );
        }
    }
}

#[test]
fn embedded_packs_are_the_files_in_regimes() {
    let engine = Engine::embedded().unwrap();
    let ids: Vec<&str> = engine.regime_ids().collect();
    for p in pack_paths() {
        let id = p
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        assert!(ids.contains(&id.as_str()), "regimes/{id} is not embedded");
    }
}

/// Breaks the EU pack in one place and checks the loader names that place.
fn broken(edit: impl FnOnce(&mut Value)) -> xborder::Error {
    broken_in("EU", edit)
}

/// Breaks pack `id` in one place; the loader must reject it.
fn broken_in(id: &str, edit: impl FnOnce(&mut Value)) -> xborder::Error {
    let mut v: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join(format!("regimes/{id}/pack.json"))).unwrap(),
    )
    .unwrap();
    edit(&mut v);
    Regime::from_json(&v.to_string()).expect_err("the broken pack must be rejected")
}

#[test]
fn broken_packs_are_rejected_with_paths() {
    let e = broken(|v| v["versions"][0]["taxes"]["standard"]["FR"][0]["rate"] = Value::from(20));
    assert_eq!(e.code, ErrorCode::InvalidPack);
    assert_eq!(
        e.path.as_deref(),
        Some("versions[0].taxes.standard.FR[0].rate"),
        "{e}"
    );

    let e = broken(|v| v["versions"][0]["tarif"] = Value::Null);
    assert_eq!(e.code, ErrorCode::InvalidPack);
    assert!(e.message.contains("unknown field"), "{e}");

    let e = broken(|v| v["versions"][0]["tariff"]["lines"][0]["duty"] = Value::from("12 %%"));
    assert_eq!(e.code, ErrorCode::InvalidExpression);
    assert_eq!(e.path.as_deref(), Some("versions[0].tariff.lines[0].duty"));

    let e = broken(|v| v["versions"][1]["from"] = Value::from("2026-06-01"));
    assert_eq!(e.code, ErrorCode::ConflictingRules, "{e}");
    assert_eq!(e.path.as_deref(), Some("versions[1].from"));

    let e = broken(|v| {
        let series = v["versions"][0]["taxes"]["standard"]["FI"]
            .as_array_mut()
            .unwrap();
        let first = series[0].clone();
        series.push(first);
    });
    assert_eq!(e.code, ErrorCode::ConflictingRules, "{e}");

    let e = broken(|v| {
        v["versions"][0]["schemes"][0]["registration"]["pattern"] = Value::from("^IM[0-9")
    });
    assert_eq!(e.code, ErrorCode::InvalidPack);
    assert_eq!(
        e.path.as_deref(),
        Some("versions[0].schemes[0].registration.pattern")
    );

    let e = broken(|v| v["versions"][0]["checked"] = Value::from("2026-02-30"));
    assert_eq!(e.code, ErrorCode::InvalidPack);
    assert_eq!(e.path.as_deref(), Some("versions[0].checked"));

    let e = broken(|v| v["currency"] = Value::from("EURO"));
    assert_eq!(e.code, ErrorCode::InvalidPack);

    let e = broken(|v| {
        v["versions"][1]["options"]["flat_duty_scope"]["default"] = Value::from("everything")
    });
    assert_eq!(
        e.path.as_deref(),
        Some("versions[1].options.flat_duty_scope.default")
    );

    let e = Regime::from_json("{\"format\":1,").unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidPack);
}

#[test]
fn schema_rejects_what_the_loader_rejects() {
    let validator = schema();
    let mut v: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("regimes/GB/pack.json")).unwrap(),
    )
    .unwrap();
    v["versions"][0]["taxes"]["standard"]["GB"][0]["rate"] = Value::from(20);
    assert!(!validator.is_valid(&v));
    v["versions"][0]["taxes"]["standard"]["GB"][0]["rate"] = Value::from("20");
    v["versions"][0].as_object_mut().unwrap().remove("checked");
    assert!(!validator.is_valid(&v));
}

#[test]
fn a_caller_tariff_error_names_the_tariff_and_the_line() {
    use xborder::Engine;
    let csv = "hs,duty,description,source,checked\n610910,12%,T-shirts,ref,2026-01-01\n6110,12 PERCENT,Jerseys,ref,2026-01-01\n";
    let e = Engine::builder().tariff("GB", csv).build().unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidExpression, "{e}");
    let path = e.path.as_deref().unwrap();
    assert!(path.starts_with("tariff[GB]."), "{path}");

    let e = Engine::builder()
        .tariff("GB", r#"{"lines":[{"hs":"61x","duty":"12%","description":"x","source":"s","checked":"2026-01-01"}]}"#)
        .build()
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidTariff);
    assert_eq!(e.path.as_deref(), Some("tariff[GB].lines[0].hs"));
}

#[test]
fn bad_threshold_cases_and_limits_are_rejected() {
    let dm = |v: &mut Value| v["versions"][0]["de_minimis"]["duty"].take();
    let e = broken_in("CA", |v| {
        let mut t = dm(v);
        t["cases"][0]["origins"][0] = Value::from("usa");
        v["versions"][0]["de_minimis"]["duty"] = t;
    });
    assert_eq!(e.code, ErrorCode::InvalidPack);
    assert_eq!(
        e.path.as_deref(),
        Some("versions[0].de_minimis.duty.cases[0].origins[0]")
    );

    let e = broken_in("CA", |v| {
        let mut t = dm(v);
        t["unit"] = Value::from("item");
        t["per_person"] = serde_json::json!({ "amount": "800", "period": "day" });
        v["versions"][0]["de_minimis"]["duty"] = t;
    });
    assert_eq!(
        e.path.as_deref(),
        Some("versions[0].de_minimis.duty.per_person")
    );

    let e = broken_in("CA", |v| {
        v["versions"][0]["fees"][0]["above"] =
            serde_json::json!({ "amount": "5", "basis": "tax_amount" })
    });
    assert_eq!(e.path.as_deref(), Some("versions[0].fees[0].above.basis"));
}

/// The validator of `regimes/schema/tariff.schema.json`, whose lines refer to the pack schema's.
fn tariff_schema() -> jsonschema::Validator {
    let read = |name: &str| -> Value {
        let path = root().join("regimes/schema").join(name);
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    let pack = jsonschema::Resource::from_contents(read("regime-pack.schema.json"))
        .expect("the pack schema is a resource");
    jsonschema::options()
        .with_resource("https://xborder.dev/schema/regime-pack.schema.json", pack)
        .build(&read("tariff.schema.json"))
        .expect("the tariff schema is itself valid")
}

/// Every pack version's tariff lines, given as a caller's JSON tariff, match the tariff schema and
/// loads; what the loader refuses in a line, the schema refuses too.
#[test]
fn a_json_tariff_matches_its_schema_and_it_refuses_what_the_loader_refuses() {
    let validator = tariff_schema();
    let mut tariffs = Vec::new();
    for p in pack_paths() {
        let pack: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        let currency = pack["currency"].as_str().unwrap().to_string();
        for version in pack["versions"].as_array().unwrap() {
            // A pack's tariff has its own source; a caller's has only the lines.
            if let Some(tariff) = version.get("tariff") {
                let lines = serde_json::json!({"lines": tariff["lines"]});
                tariffs.push((p.display().to_string(), currency.clone(), lines));
            }
        }
    }
    assert!(tariffs.len() >= 16, "only {} tariffs", tariffs.len());
    for (pack, currency, tariff) in &tariffs {
        let errors: Vec<String> = validator
            .iter_errors(tariff)
            .map(|e| format!("{e} at {}", e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{pack}: {errors:?}");
        xborder::tariff::Tariff::from_text(&tariff.to_string(), currency)
            .unwrap_or_else(|e| panic!("{pack}: {e}"));
    }
    type Edit = fn(&mut Value);
    let cases: &[(&str, Edit)] = &[
        ("a line without a description", |t| {
            drop(t["lines"][0].as_object_mut().unwrap().remove("description"))
        }),
        ("a line without a source", |t| {
            drop(t["lines"][0].as_object_mut().unwrap().remove("source"))
        }),
        ("an HS prefix with a letter", |t| {
            t["lines"][0]["hs"] = "61A9".into()
        }),
        ("a duty as a JSON number", |t| {
            t["lines"][0]["duty"] = 12.into()
        }),
        ("an unknown confidence", |t| {
            t["lines"][0]["confidence"] = "likely".into()
        }),
        ("an unknown line field", |t| {
            t["lines"][0]["colour"] = "red".into()
        }),
        ("an unknown field", |t| t["colour"] = "red".into()),
        ("no lines", |t| {
            drop(t.as_object_mut().unwrap().remove("lines"))
        }),
    ];
    let (_, currency, good) = &tariffs[0];
    for (what, edit) in cases {
        let mut t = good.clone();
        edit(&mut t);
        assert!(!validator.is_valid(&t), "the schema accepts {what}");
        assert!(
            xborder::tariff::Tariff::from_text(&t.to_string(), currency).is_err(),
            "the loader accepts {what}"
        );
    }
}
