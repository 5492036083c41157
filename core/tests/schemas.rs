//! The JSON Schemas of `schemas/` (docs/schemas.md): generated from the types by
//! `xborder::schema`, committed so that users of other languages can generate types from them,
//! and checked here against every conformance vector.
//!
//! A change to the declaration, the options, the result or the error record changes a schema:
//! `XBORDER_BLESS_SCHEMAS=1 cargo test -p xborder --test schemas` writes the new files, and
//! the diff shows what users' generated types will see.

mod common;

use std::collections::BTreeSet;

use jsonschema::Validator;
use serde_json::{json, Value};
use xborder::schema;

/// The committed schema `file` of `schemas/`, parsed.
fn committed(file: &str) -> Value {
    let path = common::repo().join("schemas").join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; generate it (see this file's doc)", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// A validator of `schema` that checks `format`s too (so `2026-02-30` is no `date`).
fn validator(schema: &Value) -> Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("the schema is itself valid")
}

/// The validator of the committed schema `file`.
fn committed_validator(file: &str) -> Validator {
    validator(&committed(file))
}

/// Why `instance` does not match, one line per error; empty when it does.
fn errors(validator: &Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect()
}

#[test]
fn the_committed_schemas_are_current() {
    let dir = common::repo().join("schemas");
    let bless = std::env::var_os("XBORDER_BLESS_SCHEMAS").is_some();
    let mut stale = Vec::new();
    for (file, make) in schema::FILES {
        let text = schema::to_file_text(&make());
        let path = dir.join(file);
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(*file);
        }
    }
    assert!(
        stale.is_empty(),
        "stale schemas {stale:?}: run XBORDER_BLESS_SCHEMAS=1 cargo test -p xborder --test schemas"
    );
    // No schema file is left behind when one is renamed or dropped.
    let listed: BTreeSet<&str> = schema::FILES.iter().map(|(f, _)| *f).collect();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        if name.ends_with(".schema.json") {
            assert!(
                listed.contains(name.as_str()),
                "schemas/{name} is not generated"
            );
        }
    }
}

#[test]
fn the_schemas_are_draft_2020_12() {
    for (file, _) in schema::FILES {
        let schema = committed(file);
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{file}"
        );
        assert!(schema["title"].is_string() && schema["description"].is_string());
        // Rustdoc's link syntax would mean nothing to a reader of the schema.
        let text = schema.to_string();
        assert!(
            !text.contains("[`"),
            "{file}: rustdoc link in a description"
        );
    }
}

/// The result schema with every object closed (`additionalProperties: false`): the committed
/// one stays open, since fields are only added and readers must allow new ones, but every field
/// the engine writes today must be in it.
fn closed(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut map: serde_json::Map<String, Value> =
                map.iter().map(|(k, v)| (k.clone(), closed(v))).collect();
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            Value::Object(map)
        }
        Value::Array(items) => Value::Array(items.iter().map(closed).collect()),
        other => other.clone(),
    }
}

/// The error codes a declaration's schema must catch by itself: JSON types, shapes and
/// patterns. Others (a tariff line missing, a rule out of scope) need the engine.
const SCHEMA_CODES: &[&str] = &[
    "E_INVALID_TYPE",
    "E_UNKNOWN_FIELD",
    "E_INVALID_AMOUNT",
    "E_AMOUNT_TOO_LARGE",
    "E_AMOUNT_TOO_PRECISE",
    "E_INVALID_DATE",
    "E_INVALID_COUNTRY",
    "E_INVALID_HS_CODE",
];

#[test]
fn every_vector_matches_the_schemas() {
    let declaration = committed_validator("declaration.schema.json");
    let options = committed_validator("options.schema.json");
    let assessment = committed_validator("assessment.schema.json");
    let assessment_closed = validator(&closed(&committed("assessment.schema.json")));
    let rejection = committed_validator("rejection.schema.json");
    let (mut results, mut rejections, mut caught) = (0, 0, 0);
    let mut problems = Vec::new();
    for vector in common::vectors() {
        let name = &vector.name;
        let expect = vector.json["expect"].as_object().unwrap();
        let is_error = expect.keys().all(|k| k.starts_with("error."));
        if let Some(o) = vector.json.get("options") {
            for e in errors(&options, o) {
                problems.push(format!("{name}: options: {e}"));
            }
        }
        let declared = errors(&declaration, &vector.json["declaration"]);
        if !is_error {
            problems.extend(declared.iter().map(|e| format!("{name}: declaration: {e}")));
        }
        let code = expect.get("error.code").and_then(Value::as_str);
        if code.is_some_and(|c| SCHEMA_CODES.contains(&c)) {
            if declared.is_empty() {
                problems.push(format!(
                    "{name}: the schema accepts a declaration refused with {code:?}"
                ));
            } else {
                caught += 1;
            }
        }
        for trace in [false, true] {
            let mut opts = vector.options();
            opts.trace = trace;
            let (json, rejected) = vector.engine().assess_to_json(&vector.declaration(), &opts);
            let value: Value = serde_json::from_str(&json).unwrap();
            let found = match rejected {
                None => {
                    results += 1;
                    let mut found = errors(&assessment, &value);
                    found.extend(
                        errors(&assessment_closed, &value)
                            .into_iter()
                            .map(|e| format!("(closed) {e}")),
                    );
                    found
                }
                Some(_) => {
                    rejections += 1;
                    errors(&rejection, &value)
                }
            };
            problems.extend(
                found
                    .into_iter()
                    .map(|e| format!("{name} (trace {trace}): result: {e}")),
            );
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(
        results >= 400 && rejections >= 100,
        "{results} results, {rejections} error records"
    );
    assert!(
        caught >= 4,
        "only {caught} error vectors are caught by the declaration schema"
    );
}

/// A change to a document, named by what it makes of it.
type Edit = fn(&mut Value);

/// Each edit of `good` is refused by `schema` and by the reader (`read` is `Err` on the
/// edited document's text): the schema refuses what the engine refuses.
fn assert_both_refuse<T, E>(
    schema: &Validator,
    good: &Value,
    cases: &[(&str, Edit)],
    read: impl Fn(&str) -> Result<T, E>,
) {
    for (what, edit) in cases {
        let mut d = good.clone();
        edit(&mut d);
        assert!(!schema.is_valid(&d), "the schema accepts {what}");
        assert!(read(&d.to_string()).is_err(), "the reader accepts {what}");
    }
}

/// A valid declaration, to break one field at a time.
fn declaration() -> Value {
    json!({
        "id": "schema-1", "date": "2026-03-15", "destination": "FR", "currency": "EUR",
        "channel": "postal", "transaction": "B2C", "incoterm": "DAP",
        "items": [{"description": "T-shirt", "hs_code": "610910", "quantity": 1,
                   "value": "20.00", "origin": "CN", "net_mass_kg": "0.25"}],
        "shipping": "4.50",
        "seller": {"name": "Shop", "country": "CN",
                   "registrations": [{"scheme": "IOSS", "number": "IM2500000001"}]},
        "consignee": {"name": "A. Buyer", "country": "FR",
                      "address": {"city": "Lyon", "subdivision": "FR-ARA"}},
        "lodged_at": "2026-03-14T08:30Z", "arrival_at": "2026-03-15T06:00:00+01:00"
    })
}

#[test]
fn the_declaration_schema_refuses_what_the_engine_refuses() {
    let schema = committed_validator("declaration.schema.json");
    let engine = common::official_engine();
    let good = declaration();
    assert_eq!(errors(&schema, &good), Vec::<String>::new());
    assert!(engine
        .assess_json(&good.to_string(), &Default::default())
        .is_ok());
    let cases: &[(&str, Edit)] = &[
        ("a number amount", |d| d["items"][0]["value"] = json!(20.0)),
        ("an integer amount", |d| d["shipping"] = json!(4)),
        ("an amount with an exponent", |d| {
            d["items"][0]["value"] = json!("2e1")
        }),
        ("a negative amount", |d| {
            d["items"][0]["value"] = json!("-20.00")
        }),
        ("an amount too precise", |d| {
            d["shipping"] = json!("4.50001")
        }),
        ("an amount too large", |d| {
            d["shipping"] = json!("1234567890123")
        }),
        ("an unknown field", |d| d["colour"] = json!("red")),
        ("an unknown item field", |d| {
            d["items"][0]["colour"] = json!("red")
        }),
        ("an unknown party field", |d| {
            d["seller"]["vat"] = json!("x")
        }),
        ("a missing required field", |d| {
            drop(d.as_object_mut().unwrap().remove("seller"))
        }),
        ("no items", |d| d["items"] = json!([])),
        ("a date of another form", |d| {
            d["date"] = json!("15/03/2026")
        }),
        ("a date that does not exist", |d| {
            d["date"] = json!("2026-02-30")
        }),
        ("a time with fractions", |d| {
            d["lodged_at"] = json!("2026-03-14T08:30:00.5Z")
        }),
        ("an unknown channel", |d| d["channel"] = json!("pigeon")),
        ("a channel in capitals", |d| d["channel"] = json!("Postal")),
        ("a transaction in lower case", |d| {
            d["transaction"] = json!("b2c")
        }),
        ("a null enum", |d| d["incoterm"] = Value::Null),
        ("an HS code with dots", |d| {
            d["items"][0]["hs_code"] = json!("6109.10")
        }),
        ("a lower-case country", |d| d["destination"] = json!("fr")),
        ("a quantity string with letters", |d| {
            d["items"][0]["quantity"] = json!("one")
        }),
        ("a negative quantity", |d| {
            d["items"][0]["net_mass_kg"] = json!(-1)
        }),
        ("a boolean quantity", |d| {
            d["items"][0]["quantity"] = json!(true)
        }),
        ("an unknown metal", |d| {
            d["items"][0]["metal_content"] = json!([{"metal": "gold", "mass_kg": "0.1"}])
        }),
    ];
    assert_both_refuse(&schema, &good, cases, |text| {
        engine.assess_json(text, &Default::default())
    });
    // What the engine reads, the schema accepts: defaults left out, null for an absent option,
    // numbers for quantities, a time without seconds, a negative zero.
    let accepted: &[(&str, Edit)] = &[
        ("defaults left out", |d| {
            for key in [
                "channel",
                "transaction",
                "incoterm",
                "shipping",
                "lodged_at",
            ] {
                d.as_object_mut().unwrap().remove(key);
            }
        }),
        ("null for an optional field", |d| {
            d["marketplace"] = Value::Null
        }),
        ("a decimal quantity string", |d| {
            d["items"][0]["quantity"] = json!("2")
        }),
        ("a number mass", |d| {
            d["items"][0]["net_mass_kg"] = json!(0.5)
        }),
        ("a negative zero", |d| d["shipping"] = json!("-0.00")),
        ("leading zeros", |d| d["shipping"] = json!("0004.50")),
        ("a metal in American spelling (a serde alias)", |d| {
            d["items"][0]["metal_content"] = json!([{"metal": "aluminum", "mass_kg": "0.1"}])
        }),
    ];
    for (what, edit) in accepted {
        let mut d = good.clone();
        edit(&mut d);
        assert_eq!(errors(&schema, &d), Vec::<String>::new(), "{what}");
        assert!(
            engine
                .assess_json(&d.to_string(), &Default::default())
                .is_ok(),
            "the engine refuses {what}"
        );
    }
}

#[test]
fn the_other_schemas_refuse_what_is_not_written() {
    let options = committed_validator("options.schema.json");
    assert!(options.is_valid(&json!({"trace": true, "date": null, "options": null})));
    assert!(options
        .is_valid(&json!({"regime": "EU", "options": {"flat_duty_scope": "ioss_and_postal"}})));
    assert!(!options.is_valid(&json!({"trcae": true})));
    assert!(!options.is_valid(&json!({"trace": "yes"})));
    assert!(!options.is_valid(&json!({"options": {"flat_duty_scope": 1}})));

    let engine = common::official_engine();
    let (json, _) = engine.assess_to_json(&declaration().to_string(), &Default::default());
    let good: Value = serde_json::from_str(&json).unwrap();
    let assessment = committed_validator("assessment.schema.json");
    assert_eq!(errors(&assessment, &good), Vec::<String>::new());
    let cases: &[(&str, Edit)] = &[
        ("a number amount", |r| r["duty_total"] = json!(0)),
        ("a category as text", |r| r["category"]["code"] = json!("3")),
        ("an unknown category", |r| {
            r["category"]["name"] = json!("medium_value")
        }),
        ("a missing total", |r| {
            drop(r.as_object_mut().unwrap().remove("landed_cost"))
        }),
        ("an unknown release decision", |r| {
            r["release"]["decision"] = json!("maybe")
        }),
        ("a tax charged nowhere", |r| {
            r["taxes"][0]["charged"] = json!("later")
        }),
    ];
    for (what, edit) in cases {
        let mut r = good.clone();
        edit(&mut r);
        assert!(!assessment.is_valid(&r), "the result schema accepts {what}");
    }

    let rejection = committed_validator("rejection.schema.json");
    let record =
        json!({"id": null, "error": {"code": "E_INVALID_DATE", "message": "m", "path": "date"}});
    assert!(rejection.is_valid(&record));
    let mut unknown = record.clone();
    unknown["error"]["code"] = json!("E_NOT_A_CODE");
    assert!(!rejection.is_valid(&unknown));
    let mut pathless = record.clone();
    pathless["error"].as_object_mut().unwrap().remove("path");
    assert!(
        !rejection.is_valid(&pathless),
        "path is always written, null when none"
    );
}

/// An output schema, as committed and with every object closed: a document must match both,
/// so that a field the code writes and the schema lacks (a field added to a type whose schema
/// is written by hand, such as a statistics cell's) fails as surely as a wrong one.
struct Output {
    open: Validator,
    closed: Validator,
}

impl Output {
    fn new(file: &str) -> Output {
        let schema = committed(file);
        Output {
            open: validator(&schema),
            closed: validator(&closed(&schema)),
        }
    }

    /// Adds why `doc` (named `what`) does not match to `problems`.
    fn check(&self, what: &str, doc: &Value, problems: &mut Vec<String>) {
        problems.extend(
            errors(&self.open, doc)
                .into_iter()
                .map(|e| format!("{what}: {e}")),
        );
        problems.extend(
            errors(&self.closed, doc)
                .into_iter()
                .map(|e| format!("{what}: (closed) {e}")),
        );
    }
}

fn assert_no_problems(problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems[..problems.len().min(40)].join("\n")
    );
}

/// A return of a vector's `declaration`, the `n`-th made: reasons, the items sent back, paid
/// amounts and lateness vary, so that refunds of every kind, and refusals, are written.
fn a_return(n: usize, declaration: &Value) -> Option<Value> {
    let date = declaration["date"].as_str()?;
    let reasons = [
        "defective",
        "not_as_contracted",
        "withdrawal",
        "undelivered",
    ];
    let items = declaration["items"].as_array().map_or(1, Vec::len).max(1);
    let returned: Vec<Value> = (0..items)
        .step_by(1 + n % 2)
        .map(|i| json!({"item": i}))
        .collect();
    // Every fifth goes back two years later: past every window.
    let returned_on = match (n % 5, date[..4].parse::<u32>()) {
        (0, Ok(year)) => format!("{}{}", year + 2, &date[4..]),
        _ => date.to_string(),
    };
    let mut ret = json!({
        "id": format!("ret-{n}"),
        "original": declaration,
        "returned_on": returned_on,
        "reason": reasons[n % reasons.len()],
        "items": returned,
    });
    if n % 3 == 0 {
        ret["paid"] = json!({"duty": "0.00", "tax_at_import": "1.00"});
    }
    Some(ret)
}

#[test]
fn every_refund_of_a_vector_matches_the_schemas() {
    let request = committed_validator("return.schema.json");
    let refund = Output::new("refund.schema.json");
    let rejection = Output::new("rejection.schema.json");
    let mut problems = Vec::new();
    let (mut refunds, mut refused, mut refunded, mut withheld) = (0, 0, 0, 0);
    let mut returns: Vec<(String, Value, &xborder::Engine, xborder::AssessOptions)> = Vec::new();
    for path in std::fs::read_dir(common::repo().join("examples/returns")).unwrap() {
        let path = path.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.display().to_string();
        let ret = serde_json::from_str(&text).unwrap();
        returns.push((name, ret, common::official_engine(), Default::default()));
    }
    for (n, vector) in common::vectors().iter().enumerate() {
        let expect = vector.json["expect"].as_object().unwrap();
        if expect.keys().all(|k| k.starts_with("error.")) {
            continue;
        }
        if let Some(ret) = a_return(n, &vector.json["declaration"]) {
            returns.push((vector.name.clone(), ret, vector.engine(), vector.options()));
        }
    }
    for (name, ret, engine, options) in &returns {
        for e in errors(&request, ret) {
            problems.push(format!("{name}: return: {e}"));
        }
        match engine.refund_json(&ret.to_string(), options) {
            Ok(r) => {
                refunds += 1;
                for c in &r.components {
                    *(if c.refund.0.is_zero() {
                        &mut withheld
                    } else {
                        &mut refunded
                    }) += 1;
                }
                let doc = serde_json::to_value(&r).unwrap();
                refund.check(&format!("{name}: refund"), &doc, &mut problems);
            }
            Err(e) => {
                refused += 1;
                let doc: Value = serde_json::from_str(&xborder::error_json(None, &e)).unwrap();
                rejection.check(&format!("{name}: error record"), &doc, &mut problems);
            }
        }
    }
    assert_no_problems(&problems);
    assert!(
        refunds >= 50 && refused >= 10 && refunded >= 20 && withheld >= 20,
        "{refunds} refunds ({refunded} components refunded, {withheld} not), {refused} refused"
    );
}

#[test]
fn the_return_schema_refuses_what_the_engine_refuses() {
    let schema = committed_validator("return.schema.json");
    let engine = common::official_engine();
    let text =
        std::fs::read_to_string(common::repo().join("examples/returns/eu-defective-return.json"));
    let good: Value = serde_json::from_str(&text.unwrap()).unwrap();
    assert_eq!(errors(&schema, &good), Vec::<String>::new());
    let cases: &[(&str, Edit)] = &[
        ("an unknown field", |r| r["colour"] = json!("red")),
        ("an unknown item field", |r| {
            r["items"][0]["colour"] = json!("red")
        }),
        ("an unknown reason", |r| r["reason"] = json!("bored")),
        ("no items", |r| r["items"] = json!([])),
        ("a negative item", |r| r["items"][0]["item"] = json!(-1)),
        ("a number amount paid", |r| r["paid"] = json!({"duty": 1.5})),
        ("an unknown component paid", |r| {
            r["paid"] = json!({"excise": "1.00"})
        }),
        ("a date that does not exist", |r| {
            r["returned_on"] = json!("2026-02-30")
        }),
        ("no original", |r| {
            drop(r.as_object_mut().unwrap().remove("original"))
        }),
        ("an original with an unknown field", |r| {
            r["original"]["colour"] = json!("red")
        }),
    ];
    assert_both_refuse(&schema, &good, cases, |text| {
        engine.refund_json(text, &Default::default())
    });
}

#[test]
fn the_return_rules_match_their_schema_and_it_refuses_what_the_loader_refuses() {
    let schema = committed_validator("return-rules.schema.json");
    for (id, text) in xborder::refund::EMBEDDED {
        let rules: Value = serde_json::from_str(text).unwrap();
        assert_eq!(errors(&schema, &rules), Vec::<String>::new(), "{id}");
    }
    let good: Value = serde_json::from_str(xborder::refund::EMBEDDED[0].1).unwrap();
    let cases: &[(&str, Edit)] = &[
        ("another format", |r| {
            r["format"] = json!("xborder-returns/2")
        }),
        ("an unknown field", |r| r["colour"] = json!("red")),
        ("an unknown rule field", |r| {
            r["versions"][0]["duty"]["colour"] = json!("red")
        }),
        ("an unknown reason", |r| {
            r["versions"][0]["duty"]["reasons"] = json!(["bored"])
        }),
        ("a window in months and days", |r| {
            r["versions"][0]["duty"]["window_months"] = json!(12);
            r["versions"][0]["duty"]["window_days"] = json!(30);
        }),
        ("a rule without a source", |r| {
            drop(
                r["versions"][0]["fees"]
                    .as_object_mut()
                    .unwrap()
                    .remove("source"),
            )
        }),
        ("a negative window", |r| {
            r["versions"][0]["duty"]["window_months"] = json!(-1)
        }),
    ];
    assert_both_refuse(
        &schema,
        &good,
        cases,
        xborder::refund::ReturnRules::from_json,
    );
}

#[test]
fn the_regime_listing_matches_its_schema() {
    let schema = Output::new("regimes.schema.json");
    let listing: Value = serde_json::from_str(&common::official_engine().regimes_json()).unwrap();
    let mut problems = Vec::new();
    schema.check("regimes", &listing, &mut problems);
    assert_no_problems(&problems);
    let regimes = listing.as_array().unwrap();
    assert!(regimes.len() >= 20);
    // The fields written only sometimes are in what was checked.
    assert!(regimes.iter().any(|r| r.get("tariff").is_some()));
    assert!(regimes.iter().any(|r| r.get("gaps").is_some()));
}

/// The EU and GB packs with a lower duty de minimis, and the EU's IOSS ceiling and high-value
/// threshold lower: the variant of the simulations below, which changes amounts, categories and collection.
fn variant_engine() -> xborder::Engine {
    let sets: &[(&str, &[&str])] = &[
        (
            "EU",
            &[
                "versions[0].de_minimis.duty.amount",
                "versions[*].schemes[id=IOSS].ceiling.amount",
                "versions[*].categories.high_value_threshold.amount",
            ],
        ),
        ("GB", &["versions[0].de_minimis.duty.amount"]),
    ];
    let mut builder = xborder::Engine::builder();
    for (id, paths) in sets {
        let packs = xborder::regime::embedded::PACKS;
        let text = packs.iter().find(|(i, _)| i == id).unwrap().1;
        let mut pack: Value = serde_json::from_str(text).unwrap();
        for path in *paths {
            xborder::simulate::set_in_pack(&mut pack, path, "20").unwrap();
        }
        builder = builder.regime_json(pack.to_string());
    }
    builder.build().unwrap()
}

/// What the vectors make: statements for each period, statistics aggregators for each
/// grouping, a simulation against [`variant_engine`] and its differences.
struct Fed {
    statements: Vec<xborder::statement::StatementBuilder>,
    stats: Vec<xborder::stats::Aggregator>,
    simulation: xborder::simulate::Simulation,
    differences: Vec<Value>,
}

fn feed_the_vectors() -> Fed {
    use xborder::statement::{Period as StatementPeriod, StatementBuilder};
    use xborder::stats::{Aggregator, Period};
    let mut fed = Fed {
        statements: [
            StatementPeriod::Day,
            StatementPeriod::Month,
            StatementPeriod::Quarter,
        ]
        .map(StatementBuilder::new)
        .into(),
        stats: [
            Period::Day,
            Period::Month,
            Period::Quarter,
            Period::Year,
            Period::All,
        ]
        .map(Aggregator::new)
        .into(),
        simulation: xborder::simulate::Simulation::new(),
        differences: Vec::new(),
    };
    let variant = variant_engine();
    for vector in common::vectors() {
        let (engine, options) = (vector.engine(), vector.options());
        let (line, _) = engine.assess_to_json(&vector.declaration(), &options);
        for stats in &mut fed.stats {
            stats.add_line(line.as_bytes());
        }
        let Ok(declaration) = xborder::Declaration::from_json(&vector.declaration()) else {
            continue;
        };
        let in_force = engine.assess(&declaration, &options);
        if let Ok(result) = &in_force {
            for statement in &mut fed.statements {
                statement.add(&declaration, result, Some(engine)).unwrap();
            }
        }
        if !vector.sample_rates() {
            let under_variant = variant.assess(&declaration, &options);
            let id = Some(vector.name.as_str());
            if let Some(d) = fed.simulation.add(id, &in_force, &under_variant) {
                fed.differences.push(serde_json::to_value(&d).unwrap());
            }
        }
    }
    for stats in &mut fed.stats {
        stats.add_line(b"not a result");
    }
    fed
}

#[test]
fn statements_statistics_and_simulations_of_the_vectors_match_the_schemas() {
    let fed = feed_the_vectors();
    let mut problems = Vec::new();
    let statement = Output::new("statement.schema.json");
    for s in &fed.statements {
        let doc = serde_json::to_value(s.finish()).unwrap();
        assert!(doc["accounts"].as_array().unwrap().len() >= 20);
        statement.check(
            &format!("statement by {}", doc["period"]),
            &doc,
            &mut problems,
        );
    }
    let stats = Output::new("stats.schema.json");
    let (mut published, mut suppressed) = (0, 0);
    for s in &fed.stats {
        for min_cell in [1, 5, 20] {
            let doc = serde_json::to_value(s.report(min_cell)).unwrap();
            let text = doc.to_string();
            suppressed += text.matches("\"suppressed\":true").count();
            published += text.matches("\"revenue\":").count();
            let what = format!("stats by {} over {min_cell}", doc["period"]);
            stats.check(&what, &doc, &mut problems);
        }
    }
    assert!(
        published >= 100 && suppressed >= 100,
        "{published} cells published, {suppressed} suppressed"
    );

    let simulation = Output::new("simulation.schema.json");
    let report = serde_json::to_value(fed.simulation.report()).unwrap();
    simulation.check("simulation", &report, &mut problems);
    // With several variants, `xborder simulate` writes each report with its name
    // (cli/src/simulate.rs, `json_report`).
    let named = |name: &str| {
        let mut r = report.clone();
        r["variant"] = json!(name);
        r
    };
    let several = json!({"variants": [named("dm20"), named("dm20-again")]});
    simulation.check("simulation of two variants", &several, &mut problems);
    let difference = Output::new("simulation-difference.schema.json");
    for d in &fed.differences {
        difference.check(&format!("difference {}", d["id"]), d, &mut problems);
        let mut with_variant = d.clone();
        with_variant["variant"] = json!("dm20");
        difference.check(
            &format!("difference {} of a variant", d["id"]),
            &with_variant,
            &mut problems,
        );
    }
    assert_no_problems(&problems);
    let changed = |key: &str| {
        fed.differences
            .iter()
            .filter(|d| d.get(key).is_some())
            .count()
    };
    assert!(
        changed("duty_total") >= 5 && changed("category") >= 1 && changed("collection") >= 1,
        "{} differences: {} in duty, {} in category, {} in collection",
        fed.differences.len(),
        changed("duty_total"),
        changed("category"),
        changed("collection")
    );
}

#[test]
fn split_flags_of_the_vectors_match_their_schema() {
    use xborder::ledger::SplitLedger;
    let schema = Output::new("split-flag.schema.json");
    let (mut problems, mut flags, mut reassessed) = (Vec::new(), 0, 0);
    for vector in common::vectors() {
        let (engine, options) = (vector.engine(), vector.options());
        let Ok(first) = xborder::Declaration::from_json(&vector.declaration()) else {
            continue;
        };
        let Ok(result) = engine.assess(&first, &options) else {
            continue;
        };
        let Some(rule) = engine
            .risk_profile(&result.regime)
            .and_then(|p| p.split_consignments.clone())
        else {
            continue;
        };
        // The same parcel again, to the same buyer at the same time: a split if two of them
        // cross the threshold.
        let mut again = vector.json["declaration"].clone();
        again["id"] = json!(format!("{}-again", vector.name));
        let second = xborder::Declaration::from_json(&again.to_string()).unwrap();
        let second_result = engine.assess(&second, &options).unwrap();
        for reassess in [false, true] {
            let mut ledger = SplitLedger::new(xborder::risk::SplitRule {
                reassess,
                ..rule.clone()
            });
            ledger.record(engine, &options, &first, &result).unwrap();
            let Some(flag) = ledger
                .record(engine, &options, &second, &second_result)
                .unwrap()
            else {
                continue;
            };
            flags += 1;
            reassessed += usize::from(flag.aggregate.is_some());
            let doc = serde_json::to_value(&flag).unwrap();
            schema.check(
                &format!("{} (reassess {reassess})", vector.name),
                &doc,
                &mut problems,
            );
        }
    }
    assert_no_problems(&problems);
    assert!(
        flags >= 10 && reassessed >= 5,
        "{flags} flags, {reassessed} re-assessed"
    );
}

#[test]
fn the_sample_rate_table_matches_its_schema_and_it_refuses_what_the_loader_refuses() {
    let schema = committed_validator("rate-table.schema.json");
    let text =
        std::fs::read_to_string(common::repo().join("examples/rates/sample-rates.json")).unwrap();
    let good: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(errors(&schema, &good), Vec::<String>::new());
    let mut divided = good.clone();
    divided["rates"][0]["method"] = json!("divide");
    divided["rates"][0]["source"] = json!("ECB reference rate");
    assert_eq!(errors(&schema, &divided), Vec::<String>::new());
    assert!(xborder::exchange::RateTable::from_json(&divided.to_string()).is_ok());
    let cases: &[(&str, Edit)] = &[
        ("a rate as a JSON number", |r| {
            r["rates"][0]["rate"] = json!(0.82)
        }),
        ("a rate with an exponent", |r| {
            r["rates"][0]["rate"] = json!("8.2e-1")
        }),
        ("a rate with eleven places", |r| {
            r["rates"][0]["rate"] = json!("0.12345678901")
        }),
        ("a currency in lower case", |r| {
            r["rates"][0]["from"] = json!("usd")
        }),
        ("an unknown method", |r| {
            r["rates"][0]["method"] = json!("invert")
        }),
        ("an unknown field", |r| r["colour"] = json!("red")),
        ("an unknown rate field", |r| {
            r["rates"][0]["colour"] = json!("red")
        }),
        ("a rate without its date", |r| {
            drop(r["rates"][0].as_object_mut().unwrap().remove("valid_from"))
        }),
        ("a date that does not exist", |r| {
            r["rates"][0]["valid_from"] = json!("2026-02-30")
        }),
        ("no label", |r| {
            drop(r.as_object_mut().unwrap().remove("label"))
        }),
    ];
    assert_both_refuse(
        &schema,
        &good,
        cases,
        xborder::exchange::RateTable::from_json,
    );
}
