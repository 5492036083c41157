//! The result's tape (`Assessment::write_tape`, feature `tape`) against its JSON: every tape is
//! read back with the layout file `core/src/result/tape_layout.json` into JSON text, as the
//! WASM package's generated decoder (`wasm/js/result-tape.js`) reads it into objects, and that
//! text must be byte for byte what `Assessment::write_json` writes (key order, left-out fields
//! and nulls included). The layout is also checked against the result's JSON Schema.

#[path = "../../tests/determinism/batch.rs"]
mod batch;
mod common;

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use xborder::{AssessOptions, Assessment, Engine};

fn engine() -> &'static Engine {
    common::sample_engine()
}

fn layout() -> &'static Value {
    static LAYOUT: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    LAYOUT.get_or_init(|| {
        let path = common::repo().join("core/src/result/tape_layout.json");
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
    })
}

/// Reads one tape record into JSON text with the layout.
struct Reader<'a> {
    tape: &'a [i32],
    at: usize,
    /// The record's text, as UTF-16 code units (JavaScript's view of it).
    text: Vec<u16>,
    /// Where the next string must start: strings follow each other in tape order.
    next: usize,
    out: String,
}

impl Reader<'_> {
    fn word(&mut self) -> i32 {
        let w = self.tape[self.at];
        self.at += 1;
        w
    }

    /// A string, or `None` for a null one (start −1).
    fn string(&mut self) -> Option<String> {
        let (start, len) = (self.word(), self.word());
        if start < 0 {
            assert_eq!(len, 0, "a null string has length 0");
            return None;
        }
        let (start, len) = (start as usize, len as usize);
        assert_eq!(start, self.next, "strings are in tape order");
        self.next = start + len;
        Some(String::from_utf16(&self.text[start..start + len]).unwrap())
    }

    fn value(&mut self, kind: &Value) {
        if let Some(kind) = kind.as_str() {
            return self.scalar(kind);
        }
        let (key, arg) = kind.as_object().unwrap().iter().next().unwrap();
        match key.as_str() {
            "e" | "ne" => {
                let i = self.word();
                if i < 0 && key == "ne" {
                    self.out.push_str("null");
                } else {
                    let name = layout()["enums"][arg.as_str().unwrap()][i as usize]
                        .as_str()
                        .unwrap_or_else(|| panic!("{arg}: no name {i}"));
                    self.out.push_str(&serde_json::to_string(name).unwrap());
                }
            }
            "o" => self.object(arg.as_str().unwrap()),
            "a" => {
                let n = self.word();
                self.out.push('[');
                for k in 0..n {
                    if k > 0 {
                        self.out.push(',');
                    }
                    self.value(arg);
                }
                self.out.push(']');
            }
            // serde_json's text, as it is.
            "json" => {
                let text = self.string().unwrap();
                self.out.push_str(&text);
            }
            _ => panic!("kind {kind}"),
        }
    }

    fn scalar(&mut self, kind: &str) {
        match kind {
            "str" | "nstr" => match self.string() {
                Some(s) => self.out.push_str(&serde_json::to_string(&s).unwrap()),
                None if kind == "nstr" => self.out.push_str("null"),
                None => panic!("a null str"),
            },
            "uint" | "int" => {
                let n = self.word();
                assert!(kind == "int" || n >= 0);
                self.out.push_str(&n.to_string());
            }
            "bool" => {
                let b = self.word();
                assert!(b == 0 || b == 1, "bool {b}");
                self.out.push_str(if b == 1 { "true" } else { "false" });
            }
            _ => panic!("kind {kind}"),
        }
    }

    fn object(&mut self, name: &str) {
        let fields = layout()["types"][name]
            .as_array()
            .unwrap_or_else(|| panic!("no type {name}"));
        let omits = fields.iter().filter(|f| f.get(2).is_some()).count();
        let mask = if omits > 0 { self.word() } else { 0 };
        assert!(mask >> omits == 0, "{name}: mask {mask}");
        self.out.push('{');
        let (mut bit, mut first) = (0, true);
        for f in fields {
            if f.get(2).is_some() {
                bit += 1;
                if mask & (1 << (bit - 1)) == 0 {
                    continue;
                }
            }
            if !first {
                self.out.push(',');
            }
            first = false;
            self.out.push_str(&serde_json::to_string(&f[0]).unwrap());
            self.out.push(':');
            self.value(&f[1]);
        }
        self.out.push('}');
    }
}

/// The JSON text of the tape record at the start of `tape`, with `text` its strings; checks
/// that the record and its text are read to their ends.
fn read_tape(tape: &[i32], text: &[u8]) -> String {
    assert_eq!(
        tape[0] as usize,
        text.len(),
        "word 0 is the text's byte length"
    );
    let text = std::str::from_utf8(text).unwrap();
    let mut r = Reader {
        tape,
        at: 1,
        text: text.encode_utf16().collect(),
        next: 0,
        out: String::new(),
    };
    r.object("Assessment");
    assert_eq!(r.at, tape.len(), "the tape is read to its end");
    assert_eq!(r.next, r.text.len(), "the text is read to its end");
    r.out
}

fn same_as_json(a: &Assessment) -> Result<(), String> {
    let mut json = Vec::new();
    a.write_json(&mut json);
    let (mut tape, mut text) = (Vec::new(), Vec::new());
    a.write_tape(&mut tape, &mut text);
    let read = read_tape(&tape, &text);
    if read.as_bytes() == json {
        Ok(())
    } else {
        Err(format!(
            "{}: the tape reads differently\n json: {}\n tape: {read}",
            a.id,
            String::from_utf8_lossy(&json)
        ))
    }
}

#[test]
fn every_vector_reads_back_as_its_json() {
    let checked = common::each_vector_result(engine(), |vector, a| {
        same_as_json(a).unwrap_or_else(|e| panic!("{}: {e}", vector.file.display()))
    });
    assert!(checked >= 80, "only {checked} vectors assessed");
}

#[test]
fn the_determinism_batch_reads_back_as_its_json() {
    let batch = batch::ndjson(common::repo(), 7);
    let checked = common::each_batch_result(engine(), &batch, |a| same_as_json(a).unwrap());
    assert!(checked >= 6_000, "only {checked} declarations assessed");
}

/// `Engine::assess_tape_into` writes what `write_tape` writes for `assess_json`'s result,
/// appending record after record; a rejected declaration appends nothing.
#[test]
fn the_engine_appends_tape_records() {
    let (mut tape, mut text) = (Vec::new(), Vec::new());
    let (mut expected_tape, mut expected_text) = (Vec::new(), Vec::new());
    let options = AssessOptions::default();
    let mut rejected = 0;
    for vector in common::vectors() {
        let json = vector.declaration();
        match engine().assess_tape_into(&json, &options, &mut tape, &mut text) {
            None => engine()
                .assess_json(&json, &options)
                .unwrap()
                .write_tape(&mut expected_tape, &mut expected_text),
            Some(rejection) => {
                let expected = engine().assess_json(&json, &options).unwrap_err();
                assert_eq!(rejection.error, expected);
                rejected += 1;
            }
        }
        assert_eq!(tape, expected_tape, "{}", vector.name);
        assert_eq!(text, expected_text, "{}", vector.name);
    }
    assert!(rejected > 0 && tape.len() > 1000);
}

/// Strings are counted in UTF-16 code units: text with two-, three- and four-byte characters
/// (an astral one takes two units) and bytes JSON escapes.
#[test]
fn strings_are_counted_in_utf16_units() {
    let d = json!({
        "id": "Größe € 😀 \"q\" \\ \u{1}", "date": "2026-07-01", "destination": "FR",
        "channel": "postal", "currency": "EUR", "shipping": "4.50",
        "items": [{"description": "😀😀 日本 \u{2028}", "hs_code": "610910", "quantity": 2,
                   "value": "12.00", "origin": "CN"}],
        "seller": {"name": "S", "country": "CN", "registrations": []},
        "consignee": {"name": "C", "country": "FR"},
    });
    let a = engine()
        .assess_json(&d.to_string(), &AssessOptions::default())
        .unwrap();
    assert!(a.id.contains('😀'));
    same_as_json(&a).unwrap();
}

/// The layout against `schemas/assessment.schema.json`: for each type, the same fields, the
/// fields left out when absent exactly those not `required`, and every enum's names the
/// schema's. A field or variant added to the result without a layout entry fails here.
#[test]
fn the_layout_matches_the_result_schema() {
    let path = common::repo().join("schemas/assessment.schema.json");
    let schema: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let defs = schema["$defs"].as_object().unwrap();
    for (name, fields) in layout()["types"].as_object().unwrap() {
        let def = if name == "Assessment" {
            &schema
        } else {
            &defs[name]
        };
        let props: Map<String, Value> = def["properties"].as_object().unwrap().clone();
        let mut keys: Vec<&str> = props.keys().map(String::as_str).collect();
        let mut listed: Vec<&str> = fields
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f[0].as_str().unwrap())
            .collect();
        keys.sort_unstable();
        listed.sort_unstable();
        assert_eq!(listed, keys, "{name}: fields");
        let mut required: Vec<&str> = def["required"]
            .as_array()
            .map(|r| r.iter().map(|k| k.as_str().unwrap()).collect())
            .unwrap_or_default();
        let mut kept: Vec<&str> = fields
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f.get(2).is_none())
            .map(|f| f[0].as_str().unwrap())
            .collect();
        required.sort_unstable();
        kept.sort_unstable();
        assert_eq!(kept, required, "{name}: required fields");
    }
    for (name, names) in layout()["enums"].as_object().unwrap() {
        let listed = schema_enum(&defs[name]);
        assert_eq!(&listed, names.as_array().unwrap(), "enum {name}");
    }
}

/// The names of a schema enum: an `enum` list, or a `oneOf` of `const`s (with descriptions).
fn schema_enum(def: &Value) -> Vec<Value> {
    if let Some(names) = def["enum"].as_array() {
        return names.clone();
    }
    def["oneOf"]
        .as_array()
        .unwrap_or_else(|| panic!("not an enum: {def}"))
        .iter()
        .flat_map(|v| match v["const"].clone() {
            Value::Null => v["enum"].as_array().cloned().unwrap_or_default(),
            c => vec![c],
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]
    #[test]
    fn generated_declarations_read_back_as_their_json(
        id in "[A-Za-z0-9\"\\\\\\x00-\\x1f\u{7f}é😀]{1,20}",
        description in "[a-z \"\\\\\\x01é\u{2028}😀]{0,12}",
        trace: bool,
        currency in prop::sample::select(vec!["EUR", "GBP", "USD", "CNY"]),
    ) {
        let d = json!({
            "id": id, "date": "2026-07-01", "destination": "FR", "channel": "postal",
            "currency": currency, "shipping": "4.50",
            "items": [{"description": description, "hs_code": "610910", "quantity": 2,
                       "value": "30.00", "origin": "CN"}],
            "seller": {"name": "S", "country": "CN", "registrations": []},
            "consignee": {"name": "C", "country": "FR"},
        });
        let options = AssessOptions { trace, ..AssessOptions::default() };
        if let Ok(a) = engine().assess_json(&d.to_string(), &options) {
            prop_assert!(same_as_json(&a).is_ok(), "{}", same_as_json(&a).unwrap_err());
        }
    }
}
