//! What JavaScript hands in: declarations, assessment options and engine configuration.
//!
//! Everything is checked strictly: an unknown key, a value of the wrong type or a malformed
//! date is an `XborderError` with code `E_INVALID_OPTION` (or `E_INVALID_DATE`) and the
//! offending key as `path`, never a silent default. Assessment options are read by the core's
//! options grammar (`AssessOptions::from_json`), as in the C API and Python.
//!
//! Caller objects may be Proxies or have getters that throw. A JavaScript exception must never
//! unwind through WebAssembly frames (the Rust stack would be left as it was), so every call
//! that can run caller code goes through a binding marked `catch`: `JSON.stringify`,
//! `Reflect.get`, and the two declared below.

use js_sys::{Array, Reflect, JSON};
use wasm_bindgen::prelude::*;
use xborder::{AssessOptions, ErrorCode};

use crate::error::{js_error, thrown_message, to_js};

#[wasm_bindgen]
extern "C" {
    /// `Array.isArray`, which throws for a revoked Proxy.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn is_array_checked(value: &JsValue) -> Result<bool, JsValue>;

    /// `Object.keys`, which runs a Proxy's `ownKeys` and `getOwnPropertyDescriptor` traps.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn object_keys_checked(value: &JsValue) -> Result<Array, JsValue>;
}

/// The most entries a caller's list or map may have (regime packs, tariffs, option readings).
const MAX_ENTRIES: u32 = 1024;

fn is_array(value: &JsValue) -> bool {
    is_array_checked(value).unwrap_or(false)
}

/// The own enumerable keys of `object`, read safely.
fn keys(object: &JsValue, path: &str) -> Result<Vec<String>, JsValue> {
    let keys = object_keys_checked(object)
        .map_err(|thrown| invalid(path, format!("cannot be read: {}", thrown_message(&thrown))))?;
    if keys.length() > MAX_ENTRIES {
        return Err(invalid(
            path,
            format!("has more than {MAX_ENTRIES} entries"),
        ));
    }
    // A fresh array of strings made by Object.keys: iterating it runs no caller code.
    Ok(keys.iter().filter_map(|k| k.as_string()).collect())
}

/// How large a document may be before it is copied into the module, and how its refusals read.
#[derive(Clone, Copy)]
pub struct SizeLimit {
    /// Most bytes of UTF-8 the core accepts.
    pub bytes: usize,
    /// The code of a refusal for size.
    pub code: ErrorCode,
    /// The code of a refusal for text that is not UTF-16 (the core's code for malformed JSON
    /// of this kind of document).
    pub malformed: ErrorCode,
    /// What the document is, for the message.
    pub what: &'static str,
}

/// A declaration (`E_INPUT_TOO_LARGE`).
pub const DECLARATION: SizeLimit = SizeLimit {
    bytes: xborder::limits::MAX_DECLARATION_BYTES,
    code: ErrorCode::InputTooLarge,
    malformed: ErrorCode::JsonSyntax,
    what: "declaration",
};
const PACK: SizeLimit = SizeLimit {
    bytes: xborder::limits::MAX_PACK_BYTES,
    code: ErrorCode::PackTooLarge,
    malformed: ErrorCode::InvalidPack,
    what: "regime pack",
};
const RISK_PROFILE: SizeLimit = SizeLimit {
    bytes: xborder::limits::MAX_PACK_BYTES,
    code: ErrorCode::InputTooLarge,
    malformed: ErrorCode::InvalidPack,
    what: "risk profile",
};
const RETURN_RULES: SizeLimit = SizeLimit {
    bytes: xborder::limits::MAX_PACK_BYTES,
    code: ErrorCode::InputTooLarge,
    malformed: ErrorCode::InvalidPack,
    what: "return rules",
};
const TARIFF: SizeLimit = SizeLimit {
    bytes: xborder::limits::MAX_TARIFF_BYTES,
    code: ErrorCode::TariffTooLarge,
    malformed: ErrorCode::InvalidTariff,
    what: "tariff",
};
const RATES: SizeLimit = SizeLimit {
    bytes: xborder::limits::MAX_RATES_BYTES,
    code: ErrorCode::InputTooLarge,
    malformed: ErrorCode::InvalidRates,
    what: "rate table",
};

/// `value` as a Rust string when it is a JS string, refused with `limit`'s code **before** it
/// is copied into the module's memory when it is too long: a string of `length` UTF-16 code
/// units takes at least `length` bytes of UTF-8, so a `length` above the byte limit can only be
/// refused (a 1.5 GB string was copied, and kept the module at 3.9 GB, before the core's check).
/// The core checks the exact byte length of what passes.
fn bounded_string(
    value: &JsValue,
    limit: SizeLimit,
    path: Option<&str>,
) -> Result<Option<String>, JsValue> {
    let Some(text) = value.dyn_ref::<js_sys::JsString>() else {
        return Ok(None);
    };
    let units = text.length() as usize;
    if units > limit.bytes {
        return Err(js_error(
            limit.code,
            path,
            format!(
                "the {} is {units} characters long; the limit is {} bytes",
                limit.what, limit.bytes
            ),
        ));
    }
    let Some(copy) = value.as_string() else {
        return Ok(None);
    };
    // A lone surrogate has no UTF-8 form: the copy holds U+FFFD in its place, so assessJson
    // assessed a declaration whose `id` assess (JSON.stringify escapes it, the core's JSON
    // reader refuses the escape) refused. Only a copy holding U+FFFD can have lost one, so
    // the code units are walked (one call into JS each) only then.
    if copy.contains('\u{FFFD}') && !text.is_valid_utf16() {
        let at = text
            .iter()
            .enumerate()
            .position(|(i, unit)| is_lone_surrogate(text, i, unit))
            .unwrap_or(0);
        return Err(js_error(
            limit.malformed,
            path,
            format!(
                "the {} holds a lone UTF-16 surrogate at index {at}, which is not text and \
                 has no UTF-8 form",
                limit.what
            ),
        ));
    }
    Ok(Some(copy))
}

/// Whether the code unit `unit` at `i` of `text` is a surrogate without its pair.
fn is_lone_surrogate(text: &js_sys::JsString, i: usize, unit: u16) -> bool {
    let unit_at = |j: usize| text.char_code_at(j as u32) as u16;
    let len = text.length() as usize;
    match unit {
        0xD800..=0xDBFF => i + 1 >= len || !(0xDC00..=0xDFFF).contains(&unit_at(i + 1)),
        0xDC00..=0xDFFF => i == 0 || !(0xD800..=0xDBFF).contains(&unit_at(i - 1)),
        _ => false,
    }
}

/// JSON text of a declaration given as a JS value (`JSON.stringify`). Whatever the value is,
/// this either returns text for the core to judge or an `E_INVALID_TYPE` error: `undefined`,
/// functions, BigInts and cyclic objects cannot be written as JSON.
pub fn declaration_text(value: &JsValue) -> Result<String, JsValue> {
    stringify(value, DECLARATION, None)?.map_err(|why| {
        js_error(
            ErrorCode::InvalidType,
            None,
            format!("the declaration cannot be read as JSON: {why}"),
        )
    })
}

/// An NDJSON batch (`E_INPUT_TOO_LARGE` over 256 MiB: the module's memory must also hold the
/// results, about three times the input). Each line is held to the declaration limit by the
/// core.
const BATCH: SizeLimit = SizeLimit {
    bytes: MAX_BATCH_BYTES,
    code: ErrorCode::InputTooLarge,
    malformed: ErrorCode::JsonSyntax,
    what: "NDJSON batch",
};

/// The most bytes of an NDJSON batch given to `assessNdjson`.
pub const MAX_BATCH_BYTES: usize = 256 << 20;

/// The text of an NDJSON batch given as a string (`assessNdjson`).
pub fn batch_string(value: &JsValue) -> Result<String, JsValue> {
    bounded_string(value, BATCH, None)?.ok_or_else(|| {
        js_error(
            ErrorCode::InvalidType,
            None,
            format!(
                "assessNdjson expects NDJSON text (one declaration per line), not {}",
                type_name(value)
            ),
        )
    })
}

/// JSON text of a document that `entry` accepts as a JS object or as JSON text (a return
/// declaration, a declaration fed to a statement or a ledger), held to the declaration limit.
#[cfg(any(feature = "refunds", feature = "statements", feature = "ledger"))]
pub fn document_text(value: &JsValue, entry: &str, what: &str) -> Result<String, JsValue> {
    if let Some(text) = bounded_string(value, DECLARATION, None)? {
        return Ok(text);
    }
    if value.is_object() {
        return declaration_text(value);
    }
    Err(js_error(
        ErrorCode::InvalidType,
        None,
        format!(
            "{entry} expects {what} as an object or JSON text, not {}",
            type_name(value)
        ),
    ))
}

/// JSON text of a declaration given as a string (`assessJson`).
pub fn json_string(value: &JsValue) -> Result<String, JsValue> {
    bounded_string(value, DECLARATION, None)?.ok_or_else(|| {
        js_error(
            ErrorCode::InvalidType,
            None,
            format!(
                "assessJson expects the declaration as a JSON string, not {}",
                type_name(value)
            ),
        )
    })
}

/// `JSON.stringify(value)`, or why it gives no text; text longer than `limit` is refused before
/// it enters the module (the outer error).
fn stringify(
    value: &JsValue,
    limit: SizeLimit,
    path: Option<&str>,
) -> Result<Result<String, String>, JsValue> {
    Ok(match JSON::stringify(value) {
        // JSON.stringify returns undefined (not a string) for undefined, functions and symbols.
        Ok(text) => bounded_string(&JsValue::from(text), limit, path)?
            .ok_or_else(|| format!("{} has no JSON form", type_name(value))),
        Err(thrown) => Err(thrown_message(&thrown)),
    })
}

fn type_name(value: &JsValue) -> String {
    if value.is_null() {
        "null".to_string()
    } else if is_array(value) {
        "an array".to_string()
    } else {
        format!(
            "a value of type {}",
            value.js_typeof().as_string().unwrap_or_default()
        )
    }
}

/// The options argument, written as JSON (`E_INPUT_TOO_LARGE` past the core's limit).
const OPTIONS: SizeLimit = SizeLimit {
    bytes: xborder::limits::MAX_OPTIONS_BYTES,
    code: ErrorCode::InputTooLarge,
    malformed: ErrorCode::InvalidOption,
    what: "assessment options",
};

/// Parses the optional `options` argument of `assess` / `assessJson`:
/// `{ trace?: boolean, date?: "YYYY-MM-DD", regime?: string, options?: { name: reading } }`.
/// The object is written as JSON (`JSON.stringify`, as a declaration object is) and read by the
/// core's one options grammar, `AssessOptions::from_json`, the C API's and Python's too: an
/// unknown key, a value of the wrong type or a date that is no date gets the same code and path
/// (relative to the options object: `trcae`, `date`, `options.flat_duty_scope`) in every
/// binding. `undefined` and `null` mean the defaults.
pub fn assess_options(value: Option<&JsValue>) -> Result<AssessOptions, JsValue> {
    let value = match value {
        Some(v) if !v.is_undefined() && !v.is_null() => v,
        _ => return Ok(AssessOptions::default()),
    };
    let text = stringify(value, OPTIONS, None)?.map_err(|why| {
        js_error(
            ErrorCode::InvalidOption,
            None,
            format!("assessment options: cannot be read as JSON: {why}"),
        )
    })?;
    AssessOptions::from_json(&text).map_err(|e| to_js(&e, None))
}

fn truncate(text: &str) -> String {
    text.chars().take(40).collect()
}

/// What `new Engine(config)` asks for.
#[derive(Debug, Default)]
pub struct EngineConfig {
    /// Start from the embedded packs.
    pub embedded: bool,
    /// Pack JSON texts.
    pub regimes: Vec<String>,
    /// `(regime id, tariff text)`.
    pub tariffs: Vec<(String, String)>,
    /// `(regime id, tariff file text)` whose lines are parsed when first used (the package's
    /// own tariffs, as `Engine.load` passes them).
    pub tariffs_on_demand: Vec<(String, String)>,
    /// The caller's rate table: JSON, xborder-rates, ECB or HMRC text.
    pub rates: Option<String>,
    /// Official rate tables (`regimes/<ID>/<ID>.rates`), which regime packs name by id.
    pub rate_tables: Vec<String>,
    /// Risk profile JSON texts (docs/risk-profiles.md).
    pub risk_profiles: Vec<String>,
    /// Whether the embedded regimes bring their sample risk profiles (default true).
    pub sample_risk_profiles: bool,
    /// Return and refund rules JSON texts (docs/returns.md).
    pub return_rules: Vec<String>,
    /// `(regime id, CSV layout JSON)`: how the CSV in `tariffs` of that regime is laid out.
    pub tariff_layouts: Vec<(String, String)>,
}

const CONFIG_KEYS: [&str; 10] = [
    "embedded",
    "regimes",
    "tariffs",
    "tariffsOnDemand",
    "rates",
    "rateTables",
    "riskProfiles",
    "sampleRiskProfiles",
    "returnRules",
    "tariffLayouts",
];

/// Reads `{ embedded?, sampleRiskProfiles?, regimes?, tariffs?, tariffsOnDemand?, rates?,
/// rateTables?, riskProfiles?, returnRules? }`; packs, tariffs and rates may be JSON text or objects, rate tables and
/// tariffs on demand are text.
pub fn engine_config(value: Option<&JsValue>) -> Result<EngineConfig, JsValue> {
    let mut config = EngineConfig {
        embedded: true,
        sample_risk_profiles: true,
        ..EngineConfig::default()
    };
    let value = match value {
        Some(v) if !v.is_undefined() && !v.is_null() => v,
        _ => return Ok(config),
    };
    let object = plain_object(value, "config")?;
    check_keys(object, &CONFIG_KEYS, "", "engine option")?;
    config.embedded = flag(object, "embedded", true)?;
    config.sample_risk_profiles = flag(object, "sampleRiskProfiles", true)?;
    config.regimes = texts(object, "regimes", "regime packs", PACK)?;
    config.risk_profiles = texts(object, "riskProfiles", "risk profiles", RISK_PROFILE)?;
    config.return_rules = texts(object, "returnRules", "return rules", RETURN_RULES)?;
    config.rate_tables = texts(object, "rateTables", "rate tables", RATES)?;
    config.tariffs = tariff_map(object, "tariffs")?;
    config.tariffs_on_demand = tariff_map(object, "tariffsOnDemand")?;
    config.tariff_layouts = layout_map(object, &config.tariffs)?;
    let rates = get(object, "rates", "rates")?;
    if !rates.is_undefined() && !rates.is_null() {
        config.rates = Some(text_of(&rates, "rates", RATES)?);
    }
    Ok(config)
}

/// An optional `true` or `false` under `key`, `default` when absent.
fn flag(object: &JsValue, key: &str, default: bool) -> Result<bool, JsValue> {
    let value = get(object, key, key)?;
    if value.is_undefined() {
        return Ok(default);
    }
    value
        .as_bool()
        .ok_or_else(|| invalid(key, "must be true or false"))
}

/// The optional `tariffLayouts`: a CSV layout (object or JSON text) by regime id, each for the
/// CSV given in `tariffs` under the same id.
fn layout_map(
    object: &JsValue,
    tariffs: &[(String, String)],
) -> Result<Vec<(String, String)>, JsValue> {
    let key = "tariffLayouts";
    let layouts = get(object, key, key)?;
    let mut out = Vec::new();
    if !layouts.is_undefined() {
        let map = plain_object(&layouts, key)?;
        for id in keys(map, key)? {
            let path = format!("{key}.{id}");
            if !tariffs.iter().any(|(t, _)| *t == id) {
                return Err(invalid(
                    &path,
                    format!(
                        "a layout is for a CSV given in tariffs, and tariffs has none for {id}"
                    ),
                ));
            }
            let text = text_of(&get(map, &id, &path)?, &path, OPTIONS)?;
            out.push((id, text));
        }
    }
    Ok(out)
}

/// An optional map of tariffs by regime id under `key`.
fn tariff_map(object: &JsValue, key: &str) -> Result<Vec<(String, String)>, JsValue> {
    let tariffs = get(object, key, key)?;
    let mut out = Vec::new();
    if !tariffs.is_undefined() {
        let map = plain_object(&tariffs, key)?;
        for id in keys(map, key)? {
            let path = format!("{key}.{id}");
            let text = text_of(&get(map, &id, &path)?, &path, TARIFF)?;
            out.push((id, text));
        }
    }
    Ok(out)
}

/// An optional array of JSON documents (text or objects) under `key`.
fn texts(
    object: &JsValue,
    key: &str,
    what: &str,
    limit: SizeLimit,
) -> Result<Vec<String>, JsValue> {
    let list = get(object, key, key)?;
    let mut out = Vec::new();
    if list.is_undefined() {
        return Ok(out);
    }
    if !is_array(&list) {
        return Err(invalid(key, format!("must be an array of {what}")));
    }
    let length = get(&list, "length", key)?
        .as_f64()
        .filter(|n| *n >= 0.0 && *n <= f64::from(MAX_ENTRIES))
        .ok_or_else(|| invalid(key, format!("must hold at most {MAX_ENTRIES} {what}")))?;
    for i in 0..length as u32 {
        let path = format!("{key}[{i}]");
        let item = Reflect::get_u32(&list, i).map_err(|thrown| {
            invalid(
                &path,
                format!("cannot be read: {}", thrown_message(&thrown)),
            )
        })?;
        out.push(text_of(&item, &path, limit)?);
    }
    Ok(out)
}

fn invalid(path: &str, message: impl Into<String>) -> JsValue {
    js_error(ErrorCode::InvalidOption, Some(path), message)
}

fn plain_object<'a>(value: &'a JsValue, path: &str) -> Result<&'a JsValue, JsValue> {
    if value.is_object() && !is_array(value) {
        Ok(value)
    } else {
        Err(invalid(
            path,
            format!("must be an object, not {}", type_name(value)),
        ))
    }
}

/// Rejects keys outside `known` (a typo must not fall back to a default silently).
fn check_keys(object: &JsValue, known: &[&str], prefix: &str, what: &str) -> Result<(), JsValue> {
    let path = prefix.strip_suffix('.').unwrap_or("config");
    for key in keys(object, path)? {
        if !known.contains(&key.as_str()) {
            return Err(invalid(
                &format!("{prefix}{key}"),
                format!(
                    "unknown {what} `{}`; expected one of {}",
                    truncate(&key),
                    known.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// `object[key]`; a throwing getter or proxy becomes an error at `path`.
fn get(object: &JsValue, key: &str, path: &str) -> Result<JsValue, JsValue> {
    Reflect::get(object, &JsValue::from_str(key))
        .map_err(|thrown| invalid(path, format!("cannot be read: {}", thrown_message(&thrown))))
}

/// A document given as text or as an object (written with `JSON.stringify`), refused before it
/// is copied when longer than `limit`.
fn text_of(value: &JsValue, path: &str, limit: SizeLimit) -> Result<String, JsValue> {
    if let Some(text) = bounded_string(value, limit, Some(path))? {
        return Ok(text);
    }
    if value.is_object() {
        return stringify(value, limit, Some(path))?.map_err(|why| invalid(path, why));
    }
    Err(invalid(
        path,
        format!("must be JSON text or an object, not {}", type_name(value)),
    ))
}
