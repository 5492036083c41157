//! JSON Schemas (draft 2020-12) of the documents the library reads and writes, so that users
//! of other languages can validate them and generate types (feature `schema`).
//!
//! * [`declaration`]: the declaration, as [`Declaration::from_json`] reads it;
//! * [`options`]: the assessment options, as [`AssessOptions::from_json`] reads them;
//! * [`assessment`]: the result, as every binding writes it;
//! * [`rejection`]: the error record written in place of a result (`{"id", "error"}`);
//! * [`return_declaration`] and [`refund`]: a return of goods, as [`Engine::refund_json`] reads
//!   it, and the refund every binding writes for it (docs/returns.md);
//! * [`return_rules`]: a regime's return rules (`regimes/<ID>/returns.json`, or the caller's);
//! * [`statement`]: an account-based statement (docs/statements.md);
//! * [`regimes`]: the listing of the loaded regimes (`xborder regimes --json`, `regimes()`);
//! * [`stats`]: the statistics report (docs/stats.md);
//! * [`simulation`] and [`simulation_difference`]: a policy simulation's report and its
//!   `--diff` lines (docs/simulate.md);
//! * [`split_flag`]: a split-consignment ledger's flag;
//! * [`rate_table`]: a caller's JSON exchange-rate table.
//!
//! They are derived (schemars) from the same types and serde attributes that read and write
//! the JSON, so a field added to a type is in its schema. What serde does by hand has its
//! schema here, beside the reading rules it repeats: amounts are decimal strings (never JSON
//! numbers), quantities decimal strings or numbers, dates `YYYY-MM-DD`, times RFC 3339, error
//! codes the published list. Inputs are described as they are read (a field with a default
//! may be left out, an unknown field is refused); outputs as they are written (every field
//! that is always written is required, and readers should allow fields added later:
//! docs/contract.md). Checks serde does not make, such as an HS code's digits, are not all in
//! the schemas: a declaration the schema accepts may still be rejected, with its error code
//! and path.
//!
//! The repository's `schemas/*.schema.json` are these values, pretty-printed ([`FILES`],
//! [`to_file_text`]); `core/tests/schemas.rs` fails when they are stale and validates every
//! conformance vector against them.
//!
//! [`Declaration::from_json`]: crate::Declaration::from_json
//! [`AssessOptions::from_json`]: crate::AssessOptions::from_json
//! [`Engine::refund_json`]: crate::Engine::refund_json

use std::borrow::Cow;

use schemars::generate::SchemaSettings;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::{Map, Value};

use crate::limits::{AMOUNT_INTEGER_DIGITS, AMOUNT_SCALE, QUANTITY_INTEGER_DIGITS, QUANTITY_SCALE};

/// The schema of a declaration (`schemas/declaration.schema.json`).
pub fn declaration() -> Value {
    generate::<crate::Declaration>(
        Direction::Input,
        "xborder declaration",
        "One consignment's advance electronic data, as the engine reads it (docs/contract.md, \
         \"Declaration\"). Amounts are decimal strings in `currency`; fields not listed are refused.",
    )
}

/// The schema of the assessment options (`schemas/options.schema.json`).
pub fn options() -> Value {
    generate::<crate::AssessOptions>(
        Direction::Input,
        "xborder assessment options",
        "Options for one assessment (docs/contract.md, \"Assessment options\"): every key optional, \
         null meaning absent for `date`, `regime` and `options`, any other key refused.",
    )
}

/// The schema of a result (`schemas/assessment.schema.json`).
pub fn assessment() -> Value {
    generate::<crate::Assessment>(
        Direction::Output,
        "xborder assessment",
        "The assessment of one consignment, as every binding writes it (docs/contract.md, \
         \"Assessment result\"). Amounts are decimal strings in `currency` at its minor-unit precision. \
         Fields are only ever added: a reader should ignore fields it does not know.",
    )
}

/// The schema of the error record (`schemas/rejection.schema.json`).
pub fn rejection() -> Value {
    generate::<crate::Rejection>(
        Direction::Output,
        "xborder error record",
        "Written in place of a result when a declaration cannot be assessed (docs/contract.md, \
         \"Errors\"): the declaration's `id` when it could be read, and the error.",
    )
}

/// The schema of a return declaration (`schemas/return.schema.json`), the request
/// [`crate::Engine::refund_json`] reads.
pub fn return_declaration() -> Value {
    generate::<crate::refund::ReturnDeclaration>(
        Direction::Input,
        "xborder return declaration",
        "A return of goods, referencing the original consignment (docs/returns.md): the original \
         declaration exactly as assessed, which items went back, when and why. Fields not listed \
         are refused.",
    )
}

/// The schema of a refund (`schemas/refund.schema.json`), as every binding writes it.
pub fn refund() -> Value {
    generate::<crate::refund::Refund>(
        Direction::Output,
        "xborder refund",
        "The refund of one return (docs/returns.md): per component charged, what was assessed, \
         paid, the returned goods' share and what is refunded, by whom and why. Amounts are decimal \
         strings in `currency`. Fields are only ever added: a reader should ignore fields it does \
         not know.",
    )
}

/// The schema of a regime's return rules (`schemas/return-rules.schema.json`): the embedded
/// `regimes/<ID>/returns.json` and the rules a caller gives an engine.
pub fn return_rules() -> Value {
    let mut schema = generate::<crate::refund::ReturnRules>(
        Direction::Input,
        "xborder return rules (format xborder-returns/1)",
        "A regime's rules for refunding duty, taxes and fees on returned goods, versioned by start \
         date (docs/returns.md). That versions start on different dates is checked by the loader, \
         not here.",
    );
    // serde reads `format` as any string; the loader accepts one value.
    if let Some(format) = schema.pointer_mut("/properties/format") {
        *format = serde_json::json!({
            "const": crate::refund::FORMAT,
            "description": "The format tag; always this value.",
        });
    }
    // The loader refuses a window given both ways (E_INVALID_PACK).
    if let Some(Value::Object(rule)) = schema.pointer_mut("/$defs/ComponentRule") {
        rule.insert(
            "not".into(),
            serde_json::json!({
                "required": ["window_months", "window_days"],
                "properties": {
                    "window_months": {"type": "integer"},
                    "window_days": {"type": "integer"},
                },
            }),
        );
    }
    schema
}

/// The schema of a caller's JSON exchange-rate table (`schemas/rate-table.schema.json`,
/// docs/rates-format.md): the format of `examples/rates/sample-rates.json`, as
/// `EngineBuilder::rates_json` and `xborder assess --rates` read it. That each currency is in
/// ISO 4217, each rate positive and no two rates of a pair start on one day is checked by the
/// loader, not here.
pub fn rate_table() -> Value {
    generate::<crate::exchange::RateFile>(
        Direction::Input,
        "xborder exchange-rate table (JSON)",
        "Dated exchange rates a caller writes by hand: each rate is in force from `valid_from` \
         until the next rate of its pair, quoted as units of `to` per unit of `from` \
         (`multiply`, the default) or units of `from` per unit of `to` (`divide`, as the ECB and \
         HMRC publish). Rates are decimal strings.",
    )
}

/// A rate as a rate table holds it: a positive decimal string with up to
/// [`crate::limits::RATE_SCALE`] places (schemars' `schema_with` of `RateEntry::rate`).
pub(crate) fn rate_value(_: &mut SchemaGenerator) -> Schema {
    use crate::limits::RATE_SCALE;
    json_schema!({
        "type": "string",
        "pattern": declared_decimal(AMOUNT_INTEGER_DIGITS, RATE_SCALE),
        "description": format!(
            "The rate as published: a plain decimal string such as \"0.86\" (never a JSON \
             number), up to {AMOUNT_INTEGER_DIGITS} digits before the point and {RATE_SCALE} \
             after it; the loader refuses zero."
        ),
        "examples": ["1.1845"],
    })
}

/// The schema of an account-based statement (`schemas/statement.schema.json`).
pub fn statement() -> Value {
    generate::<crate::statement::Statement>(
        Direction::Output,
        "xborder statement",
        "What each collecting operator owes, to whom, per period, and its reconciliation with the \
         assessments (docs/statements.md). Amounts are decimal strings in the account's currency. \
         Fields are only ever added: a reader should ignore fields it does not know.",
    )
}

/// The schema of the regime listing (`schemas/regimes.schema.json`): `xborder regimes --json`,
/// the C API's `xb_regimes_json`, the npm package's `regimes()` and Python's
/// `Engine.regimes()`.
pub fn regimes() -> Value {
    generate::<Vec<crate::regime::listing::RegimeInfo<'static>>>(
        Direction::Output,
        "xborder regime listing",
        "The engine's regimes in load order: ids, versions and their validity, the readings of \
         uncertain rules (options), known gaps and the national tariff file. Fields are only ever \
         added: a reader should ignore fields it does not know.",
    )
}

/// The schema of the statistics report (`schemas/stats.schema.json`): `xborder stats` and
/// Python's `Stats.report()`.
pub fn stats() -> Value {
    generate::<crate::stats::Report>(
        Direction::Output,
        "xborder statistics report",
        "Counts, declared values and revenue per regime, period and dimension, with every cell \
         under the minimum size suppressed (docs/stats.md). Amounts are decimal strings in the \
         regime's currency. Fields are only ever added: a reader should ignore fields it does not \
         know.",
    )
}

/// The schema of a policy simulation's report (`schemas/simulation.schema.json`):
/// `xborder simulate`'s JSON, one variant's report or, with several, `{"variants": […]}`.
pub fn simulation() -> Value {
    let mut schema = generate::<crate::simulate::SimulationReport>(
        Direction::Output,
        "xborder simulation report",
        "The same consignments under the rules in force and under a variant, per regime \
         (docs/simulate.md): one variant's report or, with several variants, `{\"variants\": [...]}` \
         holding each one's report with its name. Amounts are decimal strings in the regime's \
         currency. Fields are only ever added: a reader should ignore fields it does not know.",
    );
    several_variants(&mut schema);
    schema
}

/// The schema of one line of a simulation's differences (`schemas/simulation-difference.schema.json`,
/// `xborder simulate --diff`).
pub fn simulation_difference() -> Value {
    let mut schema = generate::<crate::simulate::Difference>(
        Direction::Output,
        "xborder simulation difference",
        "How one consignment's assessment differs under a variant (docs/simulate.md, `--diff`): \
         each field that changed as `{\"in_force\", \"variant\"}`, the others left out. Fields are \
         only ever added: a reader should ignore fields it does not know.",
    );
    if let Some(Value::Object(properties)) = schema.pointer_mut("/properties") {
        properties.insert(
            "variant".into(),
            serde_json::json!({
                "type": "string",
                "description": "The variant's name; written first, and only when the simulation \
                    has several variants.",
            }),
        );
    }
    schema
}

/// The schema of a split-consignment ledger's flag (`schemas/split-flag.schema.json`), as the
/// C API's and the npm package's `SplitLedger` write it.
pub fn split_flag() -> Value {
    generate::<crate::ledger::SplitFlag>(
        Direction::Output,
        "xborder split-consignment flag",
        "A consignment flagged, with earlier ones from the same seller to the same buyer, as one \
         order split to stay under a threshold; with the group re-assessed as one consignment when \
         the regime's rule says so. Fields are only ever added: a reader should ignore fields it \
         does not know.",
    )
}

/// A schema's generator: [`declaration`], [`options`], [`assessment`], [`rejection`] and the
/// other documents of [`FILES`].
pub type Generate = fn() -> Value;

/// Every schema with the name of its file in the repository's `schemas/` directory.
pub const FILES: &[(&str, Generate)] = &[
    ("declaration.schema.json", declaration),
    ("options.schema.json", options),
    ("assessment.schema.json", assessment),
    ("rejection.schema.json", rejection),
    ("return.schema.json", return_declaration),
    ("refund.schema.json", refund),
    ("return-rules.schema.json", return_rules),
    ("statement.schema.json", statement),
    ("regimes.schema.json", regimes),
    ("stats.schema.json", stats),
    ("simulation.schema.json", simulation),
    ("simulation-difference.schema.json", simulation_difference),
    ("split-flag.schema.json", split_flag),
    ("rate-table.schema.json", rate_table),
];

/// Makes the simulation report's schema accept the CLI's several-variant form too:
/// `{"variants": [{"variant": NAME, <the report's fields>}, …]}`.
fn several_variants(schema: &mut Value) {
    let Value::Object(root) = schema else {
        return;
    };
    let report_keys = ["type", "properties", "required"];
    let mut report = Map::new();
    for key in report_keys {
        if let Some(v) = root.remove(key) {
            report.insert(key.into(), v);
        }
    }
    let mut named = report.clone();
    if let Some(Value::Object(p)) = named.get_mut("properties") {
        p.insert(
            "variant".into(),
            serde_json::json!({"type": "string", "description": "The variant's name."}),
        );
    }
    if let Some(Value::Array(required)) = named.get_mut("required") {
        required.insert(0, "variant".into());
    }
    report.insert(
        "description".into(),
        "The report of a simulation with one variant.".into(),
    );
    root.insert(
        "anyOf".into(),
        serde_json::json!([
            Value::Object(report),
            {
                "type": "object",
                "description": "The report of a simulation with several variants, in the order given.",
                "required": ["variants"],
                "properties": {"variants": {"type": "array", "items": Value::Object(named)}},
            },
        ]),
    );
}

/// A schema as its file holds it: pretty-printed (two-space indent), keys sorted, one final
/// newline.
pub fn to_file_text(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(&sorted(schema)).unwrap_or_default();
    text.push('\n');
    text
}

/// Whether a schema describes JSON read by the engine or JSON written by it: serde's
/// defaults, `skip_serializing_if` and the amounts' limits differ between the two.
#[derive(Clone, Copy)]
enum Direction {
    Input,
    Output,
}

fn generate<T: JsonSchema>(direction: Direction, title: &str, description: &str) -> Value {
    let settings = match direction {
        Direction::Input => SchemaSettings::draft2020_12().for_deserialize(),
        Direction::Output => SchemaSettings::draft2020_12().for_serialize(),
    };
    let mut schema = settings
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value();
    tidy(&mut schema);
    if let Value::Object(root) = &mut schema {
        root.insert("title".into(), title.into());
        root.insert("description".into(), description.into());
    }
    schema
}

/// Makes a derived schema read well in a generator and for a person: an enum whose variants
/// carry doc comments (which schemars writes as `oneOf` of `const`s) becomes a plain `enum`,
/// its variants' descriptions listed in its own, and rustdoc's link brackets go.
fn tidy(value: &mut Value) {
    match value {
        Value::Object(map) => {
            collapse_const_one_of(map);
            for (key, v) in map.iter_mut() {
                if key == "description" || key == "title" {
                    if let Value::String(text) = v {
                        *text = plain_text(text);
                    }
                } else {
                    tidy(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(tidy),
        _ => {}
    }
}

/// `{"oneOf": [{"type": "string", "const": "b2c", "description": "…"}, …]}` →
/// `{"type": "string", "enum": ["b2c", …], "description": "`b2c`: …"}`.
fn collapse_const_one_of(map: &mut Map<String, Value>) {
    let Some(Value::Array(variants)) = map.get("oneOf") else {
        return;
    };
    let mut names = Vec::new();
    let mut lines = Vec::new();
    for variant in variants {
        let Some(Value::String(name)) = variant.get("const") else {
            return;
        };
        let explained = variant.get("description").and_then(Value::as_str);
        lines.push(match explained {
            Some(text) => format!("- `{name}`: {}", text.replace('\n', " ")),
            None => format!("- `{name}`"),
        });
        names.push(Value::String(name.clone()));
    }
    map.remove("oneOf");
    map.insert("type".into(), "string".into());
    map.insert("enum".into(), Value::Array(names));
    let own = map.get("description").and_then(Value::as_str).unwrap_or("");
    let description = if own.is_empty() {
        lines.join("\n")
    } else {
        format!("{own}\n\n{}", lines.join("\n"))
    };
    map.insert("description".into(), description.into());
}

/// A doc comment as a description: rustdoc's intra-doc links (`` [`Date::EPOCH`] ``) as plain
/// code spans, and the lines of a paragraph joined (the source's wrapping means nothing to a
/// reader of the schema); blank lines and list items keep their line breaks.
fn plain_text(text: &str) -> String {
    let text = text.replace("[`", "`").replace("`]", "`");
    let mut out = String::with_capacity(text.len());
    let mut previous_blank = true;
    for (i, line) in text.split('\n').enumerate() {
        let blank = line.trim().is_empty();
        if i > 0 {
            let keep = blank || previous_blank || line.starts_with("- ") || line.starts_with("* ");
            out.push(if keep { '\n' } else { ' ' });
        }
        out.push_str(line);
        previous_blank = blank;
    }
    out
}

/// The value with every object's keys in order, whatever map serde_json was built with.
fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), sorted(&map[k])))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// An ISO 3166-1 alpha-2 country code, as [`crate::Declaration::check`] accepts one.
pub(crate) const COUNTRY: &str = "^[A-Z]{2}$";

/// The shape of an ISO 4217 currency code; the engine also checks the code is one it knows.
pub(crate) const CURRENCY: &str = "^[A-Z]{3}$";

/// An HS code: 6 to 10 digits, without dots or spaces.
pub(crate) const HS_CODE: &str = "^[0-9]{6,10}$";

/// An ISO 3166-2 subdivision code (`CA-ON`).
pub(crate) const SUBDIVISION: &str = "^[A-Z]{2}-[A-Z0-9]{1,3}$";

/// Adds `aluminum` to the schema of [`crate::declaration::Metal`], which serde reads as
/// `aluminium` (an `alias`, which schemars does not see); it is never written.
pub(crate) fn metal_alias(schema: &mut Schema) {
    let Some(map) = schema.as_object_mut() else {
        return;
    };
    if let Some(Value::Array(variants)) = map.get_mut("oneOf") {
        variants.push(serde_json::json!({
            "type": "string",
            "const": "aluminum",
            "description": "Aluminium, in American spelling (read as `aluminium`).",
        }));
    } else if let Some(Value::Array(names)) = map.get_mut("enum") {
        names.push("aluminum".into());
    }
}

/// A plain decimal, as the engine writes one (`12.50`, `-3`, `1.1845`).
const DECIMAL: &str = r"^-?[0-9]+(\.[0-9]+)?$";

/// A decimal string as a declaration may hold it: at most `digits` significant digits before
/// the point and `scale` after it, not negative (a negative zero is zero).
fn declared_decimal(digits: usize, scale: usize) -> String {
    format!(r"^(0*[0-9]{{1,{digits}}}(\.[0-9]{{1,{scale}}})?|-0+(\.0{{1,{scale}}})?)$")
}

impl JsonSchema for crate::Amount {
    fn schema_name() -> Cow<'static, str> {
        "Amount".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        if generator.contract().is_deserialize() {
            json_schema!({
                "type": "string",
                "pattern": declared_decimal(AMOUNT_INTEGER_DIGITS, AMOUNT_SCALE),
                "description": format!(
                    "An amount: a plain decimal string such as \"12.50\" (never a JSON number, \
                     no exponent, no separators), not negative, up to {AMOUNT_INTEGER_DIGITS} digits \
                     before the point and {AMOUNT_SCALE} after it."
                ),
                "examples": ["12.50"],
            })
        } else {
            json_schema!({
                "type": "string",
                "pattern": DECIMAL,
                "description": "An amount: a plain decimal string such as \"12.50\", at the \
                    currency's minor-unit precision (\"92400\" in JPY); an exchange rate keeps \
                    its table's decimals.",
                "examples": ["12.50"],
            })
        }
    }
}

impl JsonSchema for crate::money::Quantity {
    fn schema_name() -> Cow<'static, str> {
        "Quantity".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        if generator.contract().is_deserialize() {
            // `pattern` constrains the string form, `minimum` and `exclusiveMaximum` the number.
            json_schema!({
                "type": ["string", "number"],
                "pattern": declared_decimal(QUANTITY_INTEGER_DIGITS, QUANTITY_SCALE),
                "minimum": 0,
                "exclusiveMaximum": 10u64.pow(QUANTITY_INTEGER_DIGITS as u32),
                "description": format!(
                    "A quantity or mass: a decimal string (\"0.5\") or a JSON number (1, 0.5), \
                     read exactly as written, up to {QUANTITY_INTEGER_DIGITS} digits before the \
                     point and {QUANTITY_SCALE} after it."
                ),
            })
        } else {
            json_schema!({
                "type": "string",
                "pattern": DECIMAL,
                "description": "A quantity or mass as a decimal string, without trailing zeros.",
            })
        }
    }
}

impl JsonSchema for crate::Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
            "description": "A calendar date YYYY-MM-DD that exists (years 0001-9999).",
            "examples": ["2026-07-01"],
        })
    }
}

impl JsonSchema for crate::timestamp::Timestamp {
    fn schema_name() -> Cow<'static, str> {
        "Timestamp".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        if generator.contract().is_deserialize() {
            // Not `format: date-time`: seconds may be left out, which RFC 3339 requires, and
            // fractions of a second are refused, which it allows.
            json_schema!({
                "type": "string",
                "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$",
                "description": "An instant: YYYY-MM-DDTHH:MM[:SS] followed by Z or a ±HH:MM \
                    offset, without fractions of a second.",
                "examples": ["2026-03-15T08:30:00Z"],
            })
        } else {
            json_schema!({
                "type": "string",
                "format": "date-time",
                "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                "description": "An instant in UTC, to the second.",
            })
        }
    }
}

impl JsonSchema for crate::ErrorCode {
    fn schema_name() -> Cow<'static, str> {
        "ErrorCode".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let codes: Vec<&str> = crate::ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        json_schema!({
            "type": "string",
            "enum": codes,
            "description": "A stable error code (docs/contract.md, \"Errors\"). Codes are only ever \
                added, never renamed or reused: a reader should expect codes it does not know.",
        })
    }
}

impl JsonSchema for crate::stats::Cell {
    fn schema_name() -> Cow<'static, str> {
        "Cell".into()
    }

    // Written by hand (`impl Serialize for Cell`): the figures, or `suppressed` in their place.
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let amount = generator.subschema_for::<crate::Amount>();
        let key = json_schema!({
            "type": "string",
            "description": "The value of the dimension (`CN`, `postal`, `2026-03`), or the period \
                or `all` for a total.",
        });
        json_schema!({
            "description": "One cell: its figures, or `suppressed` in their place when it covers \
                fewer consignments than the minimum (or could be backed out from a total).",
            "oneOf": [
                {
                    "type": "object",
                    "required": ["key", "count", "declared_value", "duty", "tax", "fees", "revenue"],
                    "properties": {
                        "key": key,
                        "count": {"type": "integer", "minimum": 0, "description": "Consignments."},
                        "declared_value": amount,
                        "duty": amount,
                        "tax": amount,
                        "fees": amount,
                        "revenue": amount,
                    },
                },
                {
                    "type": "object",
                    "required": ["key", "suppressed"],
                    "properties": {
                        "key": key,
                        "suppressed": {"const": true, "description": "The figures are withheld."},
                    },
                },
            ],
        })
    }
}
