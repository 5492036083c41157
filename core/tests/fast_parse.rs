//! The fast declaration reader (`Declaration::from_json_fast`, feature `fast-parse`) against
//! the strict serde reader (`Declaration::from_json_strict`): whenever the fast reader gives a
//! declaration, the strict one gives the very same (compared through `Debug`, which shows each
//! decimal's scale, not only its value); everything else is left to the strict reader. Checked
//! on every vector and example (as written, compact and pretty), on hand-made edge cases and on
//! random mutations of valid declarations. Generated declarations of every regime are checked
//! in cli/tests/fast_parse.rs (the generator is the CLI's).
#![cfg(feature = "fast-parse")]

mod common;

use proptest::prelude::*;
use serde_json::value::RawValue;
use serde_json::Value;
use xborder::Declaration;

/// The fast reader's answer for `text`, checked against the strict reader: `true` when the fast
/// reader took it.
fn agrees(text: &str) -> bool {
    let fast = Declaration::from_json_fast(text);
    let strict = Declaration::from_json_strict(text);
    // The public entry never panics and gives the strict reader's answer.
    let public = Declaration::from_json(text);
    assert_eq!(
        format!("{public:?}"),
        format!("{strict:?}"),
        "from_json differs from the strict reader on {text}"
    );
    match fast {
        None => false,
        Some(d) => {
            let strict = strict.unwrap_or_else(|e| {
                panic!("fast reader accepted what the strict reader refuses ({e}): {text}")
            });
            assert_eq!(format!("{d:?}"), format!("{strict:?}"), "on {text}");
            assert_eq!(d, strict);
            true
        }
    }
}

/// The declarations of the vectors (as written in the file, and compact) and of
/// examples/declarations (each file as written, compact and pretty; every line of all.ndjson).
fn corpus() -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct VectorFile<'a> {
        #[serde(borrow)]
        declaration: &'a RawValue,
    }
    let mut texts = Vec::new();
    for file in common::vector_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let v: VectorFile = serde_json::from_str(&text).unwrap();
        texts.push(v.declaration.get().to_string());
    }
    let dir = common::repo().join("examples/declarations");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        if path.extension().is_some_and(|e| e == "ndjson") {
            texts.extend(text.lines().map(str::to_string));
        } else {
            texts.push(text);
        }
    }
    let mut all = Vec::new();
    for text in texts {
        if let Ok(value) = serde_json::from_str::<Value>(&text) {
            all.push(value.to_string());
            all.push(serde_json::to_string_pretty(&value).unwrap());
        }
        all.push(text);
    }
    all
}

#[test]
fn every_vector_and_example_reads_the_same_and_fast() {
    let texts = corpus();
    assert!(texts.len() > 150, "{} texts", texts.len());
    let mut strict_ok = 0;
    let mut fast = 0;
    for text in &texts {
        strict_ok += usize::from(Declaration::from_json_strict(text).is_ok());
        fast += usize::from(agrees(text));
    }
    // Every declaration the strict reader takes has the common shape.
    assert_eq!(fast, strict_ok, "of {} texts", texts.len());
}

/// A small valid declaration, compact, for the hand-made cases.
const BASE: &str = r#"{"id":"a-1","date":"2026-03-01","destination":"FR","currency":"EUR","items":[{"description":"Shirt","hs_code":"610910","quantity":"2","value":"20.00","net_mass_kg":"0.3"}],"seller":{"name":"S","country":"CN"},"consignee":{"name":"C","country":"FR"}}"#;

/// `BASE` with `from` replaced by `to` (once).
fn with(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "{from}");
    BASE.replacen(from, to, 1)
}

#[test]
fn common_shapes_are_taken() {
    for text in [
        BASE.to_string(),
        format!(" \n\t{BASE}\r\n "),
        with(r#""quantity":"2""#, r#""quantity":2"#),
        with(r#""quantity":"2""#, r#""quantity":0.5"#),
        with(r#""quantity":"2""#, r#""quantity":-0"#),
        with(r#""quantity":"2""#, r#""quantity":"007.50""#),
        with(r#""net_mass_kg":"0.3""#, r#""net_mass_kg":null"#),
        with(r#""hs_code":"610910""#, r#""hs_code":null"#),
        with(
            r#""country":"CN"}"#,
            r#""country":"CN","aeo":true,"registrations":[]}"#,
        ),
        with(r#""id":"a-1""#, r#""id":"ünïcødé €""#),
        with(
            r#""currency":"EUR""#,
            r#""currency":"EUR","marketplace":null,"carrier":null"#,
        ),
        with(
            r#""currency":"EUR""#,
            r#""currency":"EUR","lodged_at":"2026-02-28T10:00:00+02:00""#,
        ),
        with(
            r#""value":"20.00""#,
            r#""value":"20.00","metal_content":[{"metal":"aluminum","mass_kg":0.1,"value":null}]"#,
        ),
        with(r#""value":"20.00""#, r#""value":"-20.00""#),
        with(r#""items":[{"#, r#""items" : [ {"#),
        // Tokens and values the reader takes in place, with whitespace around or inside
        // them, or in a form it reads through its general path.
        with(r#""date":"2026-03-01""#, r#""date" :"2026-03-01""#),
        with(r#""date":"2026-03-01""#, r#""date": "2026-03-01""#),
        with(r#""value":"20.00""#, r#""value": "20.00""#),
        with(r#""value":"20.00""#, r#""value":"00000000000000000020.00""#),
        with(r#""quantity":"2""#, r#""quantity":"123456.123456""#),
        with(
            r#""currency":"EUR""#,
            r#""currency":"EUR","lodged_at": "2026-02-28T10:00:00Z","arrival_at":"2026-02-28T10:00Z""#,
        ),
        with(r#""country":"FR"}"#, r#""country":"FR" }"#),
    ] {
        assert!(agrees(&text), "not taken: {text}");
    }
}

#[test]
fn unusual_shapes_are_left_to_the_strict_reader() {
    for text in [
        with(r#""id":"a-1""#, r#""id":"a\u002d1""#),
        with(r#""id":"a-1""#, r#""id":"a-1","id":"a-2""#),
        with(r#""id":"a-1""#, r#""id":"a-1","extra":1"#),
        with(r#""quantity":"2""#, r#""quantity":1e2"#),
        with(r#""quantity":"2""#, r#""quantity":1.0E7"#),
        with(r#""quantity":"2""#, r#""quantity":01"#),
        with(r#""quantity":"2""#, r#""quantity":"1e2""#),
        with(r#""quantity":"2""#, r#""quantity":1.1234567"#),
        with(r#""quantity":"2""#, r#""quantity":12345678901234567890"#),
        with(r#""value":"20.00""#, r#""value":20.00"#),
        with(r#""value":"20.00""#, r#""value":"1e2""#),
        with(r#""value":"20.00""#, r#""value":null"#),
        with(r#""date":"2026-03-01""#, r#""date":"2026-02-30""#),
        with(r#""date":"2026-03-01""#, r#""date":"2026-03-01 ""#),
        with(r#""value":"20.00""#, r#""value":"20.00000""#),
        with(r#""value":"20.00""#, r#""value":"1234567890123.00""#),
        with(r#""value":"20.00""#, r#""value":"2\u0030.00""#),
        with(r#""quantity":"2""#, r#""quantity":"2.""#),
        with(r#""id":"a-1""#, r#""id" "a-1""#),
        with(r#""id":"a-1""#, r#""id":"a-1"#),
        with(
            r#""currency":"EUR""#,
            r#""currency":"EUR","transaction":null"#,
        ),
        with(
            r#""currency":"EUR""#,
            r#""currency":"EUR","channel":"Postal""#,
        ),
        with(
            r#""seller":{"name":"S","country":"CN"}"#,
            r#""seller":["S","CN"]"#,
        ),
        with(r#""id":"a-1","#, ""),
        format!("{BASE}x"),
        format!("{BASE}{{}}"),
        format!("[{BASE}]"),
        BASE.replace('}', ",}"),
        "{}".to_string(),
        String::new(),
    ] {
        assert!(!agrees(&text), "taken: {text}");
    }
}

/// Pieces a mutation inserts: tokens, escapes, numbers of every awkward kind, keys that are
/// repeated or unknown.
const INSERTS: &[&str] = &[
    "null",
    "true",
    "false",
    "0",
    "-0",
    "01",
    "1e2",
    "1E+2",
    "-1",
    "1.",
    ".5",
    "0.0000001",
    "99999999999999999999",
    "1234567890123",
    "\"\"",
    "\"x\"",
    "\"1e2\"",
    "\"-0\"",
    "\"\\u0041\"",
    "\\",
    "\"",
    ",",
    ":",
    "{",
    "}",
    "[",
    "]",
    " ",
    "\n",
    "é",
    "\u{1}",
    "\"id\":\"dup\",",
    "\"quantity\":2,",
    "\"name\":\"n\",",
    "\"country\":\"FR\",",
    "\"aeo\":true,",
    "\"aeo\":null,",
    "\"value\":\"1.00\",",
    "\"unknown\":1,",
    "\"hs_code\":null,",
    "\"kind\":\"postal\",",
    "\"metal_content\":[{\"metal\":\"steel\"}],",
    "\"registrations\":[],",
    "\"date\":\"2026-01-01\",",
];

#[test]
fn every_single_deletion_and_insertion_in_a_small_declaration_agrees() {
    let (mut taken, mut total) = (0, 0);
    for at in 0..=BASE.len() {
        let mut variants = vec![];
        if at < BASE.len() {
            let mut deleted = BASE.as_bytes().to_vec();
            deleted.remove(at);
            variants.push(deleted);
        }
        for insert in INSERTS {
            let mut b = BASE.as_bytes().to_vec();
            b.splice(at..at, insert.bytes());
            variants.push(b);
        }
        for bytes in variants {
            if let Ok(text) = String::from_utf8(bytes) {
                total += 1;
                taken += usize::from(agrees(&text));
            }
        }
    }
    // Insertions inside strings and of whitespace keep many texts valid: the comparison is
    // not vacuous.
    assert!(taken > total / 20, "fast reader took {taken} of {total}");
}

/// One edit of the text's bytes.
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, usize),
    Replace(usize, u8),
    Swap(usize, usize, usize),
    AfterBrace(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 1usize..8).prop_map(|(at, n)| Edit::Delete(at, n)),
        (any::<usize>(), 0..INSERTS.len()).prop_map(|(at, k)| Edit::Insert(at, k)),
        (any::<usize>(), 0x20u8..0x7f).prop_map(|(at, b)| Edit::Replace(at, b)),
        (any::<usize>(), any::<usize>(), 1usize..12).prop_map(|(a, b, n)| Edit::Swap(a, b, n)),
        (any::<usize>(), 0..INSERTS.len()).prop_map(|(at, k)| Edit::AfterBrace(at, k)),
    ]
}

fn apply(bytes: &mut Vec<u8>, edit: &Edit) {
    let len = bytes.len().max(1);
    match *edit {
        Edit::Delete(at, n) => {
            let at = at % len;
            let end = (at + n).min(bytes.len());
            bytes.drain(at.min(end)..end);
        }
        Edit::Insert(at, k) => {
            let at = at % (bytes.len() + 1);
            bytes.splice(at..at, INSERTS[k].bytes());
        }
        Edit::Replace(at, b) => {
            if let Some(x) = bytes.get_mut(at % len) {
                *x = b;
            }
        }
        Edit::Swap(a, b, n) => {
            let (a, b) = ((a % len).min(b % len), (a % len).max(b % len));
            if a + n <= b && b + n <= bytes.len() {
                for k in 0..n {
                    bytes.swap(a + k, b + k);
                }
            }
        }
        Edit::AfterBrace(at, k) => {
            let braces: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i] == b'{').collect();
            if !braces.is_empty() {
                let at = braces[at % braces.len()] + 1;
                bytes.splice(at..at, INSERTS[k].bytes());
            }
        }
    }
}

fn bases() -> &'static [String] {
    static BASES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    BASES.get_or_init(|| {
        let mut texts: Vec<String> = corpus()
            .into_iter()
            .filter(|t| Declaration::from_json_strict(t).is_ok())
            .collect();
        texts.push(BASE.to_string());
        texts
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10000, .. ProptestConfig::default() })]

    /// Mutated declarations: whatever the fast reader takes, the strict reader reads the same;
    /// no input panics either reader.
    #[test]
    fn mutations_never_make_the_readers_disagree(
        base in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..4),
    ) {
        let bases = bases();
        let mut bytes = bases[base.index(bases.len())].clone().into_bytes();
        for e in &edits {
            apply(&mut bytes, e);
        }
        if let Ok(text) = String::from_utf8(bytes) {
            agrees(&text);
        }
    }
}

/// The keys of each object in the struct's order (the order the reader tries first), by the
/// object's place in the declaration.
fn struct_order(place: &str) -> &'static [&'static str] {
    match place {
        "" => &[
            "id",
            "date",
            "destination",
            "regime",
            "transaction",
            "channel",
            "currency",
            "items",
            "shipping",
            "insurance",
            "seller",
            "marketplace",
            "carrier",
            "consignee",
            "incoterm",
            "collected_at_sale",
            "lodged_at",
            "arrival_at",
            "dispatch_country",
            "prior_purchases",
        ],
        "items" => &[
            "description",
            "hs_code",
            "quantity",
            "quantity_unit",
            "value",
            "origin",
            "net_mass_kg",
            "gross_mass_kg",
            "nature",
            "metal_content",
        ],
        "seller" | "marketplace" => &["name", "country", "registrations", "aeo"],
        "carrier" => &["name", "kind", "aeo", "schemes"],
        "consignee" => &["name", "kind", "country", "tax_id", "address"],
        "address" => &["line1", "city", "postcode", "country", "subdivision"],
        "registrations" | "collected_at_sale" => &["scheme", "number", "tax_amount"],
        "metal_content" => &["metal", "mass_kg", "value"],
        "prior_purchases" => &["date", "value", "currency"],
        _ => &[],
    }
}

/// A small deterministic generator of choices, seeded by proptest.
struct Dice(u64);

impl Dice {
    /// A number below `n` (xorshift).
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }

    /// `true` once in `n` throws.
    fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }
}

/// `value` (a declaration or a part of it at `place`) as JSON text shaped by `dice`: each
/// object's keys in the struct's order (most often, so that the reader's guesses hold), with
/// two keys swapped, or shuffled; now and then a key left out (the strict reader then decides
/// whether that is an error), whitespace between tokens, or a string character escaped.
fn render(value: &Value, place: &str, dice: &mut Dice, out: &mut String) {
    let space = |dice: &mut Dice, out: &mut String| {
        if dice.one_in(40) {
            out.push_str([" ", "\n", "\t", "\r\n  "][dice.below(4) as usize]);
        }
    };
    match value {
        Value::Object(map) => {
            let order = struct_order(place);
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by_key(|k| order.iter().position(|o| o == k).unwrap_or(usize::MAX));
            match dice.below(8) {
                0 if keys.len() > 1 => {
                    let (a, b) = (dice.below(keys.len() as u64), dice.below(keys.len() as u64));
                    keys.swap(a as usize, b as usize);
                }
                1 => {
                    for k in (1..keys.len()).rev() {
                        keys.swap(k, dice.below(k as u64 + 1) as usize);
                    }
                }
                2 if !keys.is_empty() && dice.one_in(4) => {
                    keys.remove(dice.below(keys.len() as u64) as usize);
                }
                _ => {}
            }
            out.push('{');
            for (n, k) in keys.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                space(dice, out);
                out.push_str(&serde_json::to_string(k).unwrap());
                space(dice, out);
                out.push(':');
                space(dice, out);
                let inner = match place {
                    "" | "consignee" => k.as_str(),
                    _ => place,
                };
                render(&map[k.as_str()], inner, dice, out);
                space(dice, out);
            }
            out.push('}');
        }
        Value::Array(elements) => {
            out.push('[');
            for (n, e) in elements.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                render(e, place, dice, out);
            }
            out.push(']');
        }
        Value::String(s) if dice.one_in(30) && !s.is_empty() => {
            // One character escaped: the fast reader leaves the text to the strict reader.
            let at = s
                .char_indices()
                .nth(dice.below(s.chars().count() as u64) as usize);
            let (at, c) = at.unwrap();
            let escaped = if (c as u32) < 0x10000 {
                format!("\\u{:04x}", c as u32)
            } else {
                c.to_string()
            };
            let quoted = serde_json::to_string(&s[..at]).unwrap();
            out.push_str(&quoted[..quoted.len() - 1]);
            out.push_str(&escaped);
            out.push_str(&serde_json::to_string(&s[at + c.len_utf8()..]).unwrap()[1..]);
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The valid declarations of the corpus as values.
fn base_values() -> &'static [Value] {
    static VALUES: std::sync::OnceLock<Vec<Value>> = std::sync::OnceLock::new();
    VALUES.get_or_init(|| {
        bases()
            .iter()
            .filter_map(|t| serde_json::from_str(t).ok())
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, .. ProptestConfig::default() })]

    /// Sequences of declarations whose objects switch shape from one record to the next: keys
    /// in the struct's order or not, keys left out, whitespace, escapes. The reader's guesses
    /// of the next key (learned from the records before, in this thread) hold for some keys
    /// and fail for others, at any point of an object; whatever the fast reader takes, the
    /// strict reader reads the same.
    #[test]
    fn records_that_switch_shape_read_as_the_strict_reader_reads_them(
        records in prop::collection::vec((any::<prop::sample::Index>(), any::<u64>()), 1..8),
    ) {
        let values = base_values();
        for (base, seed) in &records {
            let mut text = String::new();
            let mut dice = Dice(seed | 1);
            render(&values[base.index(values.len())], "", &mut dice, &mut text);
            agrees(&text);
        }
    }
}

/// The shapes of [`records_that_switch_shape_read_as_the_strict_reader_reads_them`] are read
/// fast for most records (the comparison is not vacuous), alternating with the others.
#[test]
fn switching_shapes_are_mostly_taken() {
    let values = base_values();
    let (mut taken, mut total) = (0, 0);
    for seed in 1..3000u64 {
        let mut text = String::new();
        let mut dice = Dice(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        render(
            &values[seed as usize % values.len()],
            "",
            &mut dice,
            &mut text,
        );
        total += 1;
        taken += usize::from(agrees(&text));
    }
    assert!(taken > total / 4, "fast reader took {taken} of {total}");
}
