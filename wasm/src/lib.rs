//! xborder for JavaScript: the npm package `xborder`, built with wasm-bindgen.
//!
//! A thin, mechanical layer over the core (`crate xborder`):
//!
//! * `assess(declaration, options?)` — a plain JS object in, a plain JS object out, with the
//!   the field names of docs/contract.md and every amount a decimal string;
//! * `assessJson(text, options?)` — JSON text in and out, byte-identical to the core's (and the
//!   CLI's) output, because both come from `Engine::assess_json_into`;
//! * `Engine#assessNdjson(text, options?)` — an NDJSON batch, one result or error record per
//!   line, as `xborder assess` writes it (`Engine::assess_ndjson_batch`);
//! * `Engine#refund(ret, options?)` / `refundJson` — refunds on returned goods (feature
//!   `refunds`); `Statement` — collector statements (feature `statements`); `SplitLedger` — the
//!   split-shipment ledger (feature `ledger`): the C API's workflows, with its bytes. The npm
//!   package builds this crate twice: its checkout module (`xborder`) without these features,
//!   its workflows module (`xborder/workflows`) with them;
//! * `regimes()` — the loaded regimes, versions and validity dates;
//! * `new Engine({ regimes?, tariffs?, rates?, rateTables?, riskProfiles?, sampleRiskProfiles?,
//!   returnRules?, embedded? })` —
//!   caller-supplied packs, tariffs, exchange rates and official rate tables (the package carries
//!   none compiled in: `regimes/<ID>/<ID>.rates` is loaded as text), with the same three methods;
//! * `version()` — the library version.
//!
//! The functions without an engine use the embedded reference regimes (feature `embedded`,
//! which the Rust-side tests turn on; the npm build embeds none, and its JavaScript entry points
//! replace these functions with ones over the package's data files, `js/index.js`), parsed once
//! on first use. Every failure is thrown as an `XborderError` (a JS `Error` subclass carrying `code`,
//! `path` and `id`). Nothing here panics on any input: there is no `unwrap`, no indexing of
//! caller data, and every JavaScript call that can throw is caught (`js_sys`'s `catch`
//! bindings). A panic would be a trap on wasm32 (the release build aborts); the optional
//! `panic-hook` feature logs its message first.
//!
//! The `.d.ts` types come from `js/types.d.ts` (pasted in below), and the exported signatures
//! use them (`typescript_type`), so nothing is typed `any`.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
mod input;
mod io;
#[cfg(feature = "ledger")]
mod ledger;
#[cfg(feature = "refunds")]
mod refund;
#[cfg(feature = "statements")]
mod statement;

use std::sync::OnceLock;

use js_sys::JSON;
use wasm_bindgen::prelude::*;
use xborder::tariff::CsvLayout;
use xborder::{AssessOptions, Engine, Error, ErrorCode};

pub use error::JsXborderError;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = include_str!("../js/types.d.ts");

#[wasm_bindgen]
extern "C" {
    /// TypeScript `Declaration`.
    #[wasm_bindgen(typescript_type = "Declaration")]
    pub type IDeclaration;
    /// TypeScript `AssessOptions`.
    #[wasm_bindgen(typescript_type = "AssessOptions")]
    pub type IAssessOptions;
    /// TypeScript `Assessment`.
    #[wasm_bindgen(typescript_type = "Assessment")]
    pub type IAssessment;
    /// TypeScript `RegimeInfo[]`.
    #[wasm_bindgen(typescript_type = "RegimeInfo[]")]
    pub type IRegimeList;
    /// TypeScript `EngineConfig`.
    #[wasm_bindgen(typescript_type = "EngineConfig")]
    pub type IEngineConfig;
    /// TypeScript `Declaration | string` (statements and ledgers take either).
    #[wasm_bindgen(typescript_type = "Declaration | string")]
    pub type IDeclarationOrText;
    /// TypeScript `string` (checked at run time, since JavaScript may pass anything).
    #[wasm_bindgen(typescript_type = "string")]
    pub type IJsonText;
}

/// Installs the panic hook when the `panic-hook` feature is on.
#[cfg(feature = "panic-hook")]
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The engine with the embedded regimes, built on first use.
fn embedded() -> Result<&'static Engine, JsValue> {
    static EMBEDDED: OnceLock<Result<Engine, Error>> = OnceLock::new();
    EMBEDDED
        .get_or_init(Engine::embedded)
        .as_ref()
        .map_err(|e| error::to_js(e, None))
}

/// Assesses a declaration given as a plain object; returns the result as a plain object.
#[wasm_bindgen(js_name = assess)]
pub fn assess(
    declaration: &IDeclaration,
    options: Option<IAssessOptions>,
) -> Result<IAssessment, JsValue> {
    assess_object(embedded()?, declaration, options.as_deref())
}

/// Assesses a declaration given as JSON text; returns the result as JSON text, byte-identical
/// to the core's output.
#[wasm_bindgen(js_name = assessJson)]
pub fn assess_json(text: &IJsonText, options: Option<IAssessOptions>) -> Result<String, JsValue> {
    assess_text(embedded()?, text, options.as_deref())
}

/// The embedded regimes, their versions and validity dates.
#[wasm_bindgen(js_name = regimes)]
pub fn regimes() -> Result<IRegimeList, JsValue> {
    regime_list(embedded()?)
}

/// The library version (`0.1.0`).
#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    xborder::VERSION.to_string()
}

/// An engine built from caller-supplied regime packs, tariffs and exchange rates.
#[wasm_bindgen(js_name = Engine)]
pub struct WasmEngine {
    pub(crate) inner: Engine,
}

#[wasm_bindgen(js_class = Engine)]
impl WasmEngine {
    /// `new Engine({ regimes?, tariffs?, rates?, rateTables?, riskProfiles?, embedded? })`: packs
    /// (JSON text or objects), tariffs by regime id (JSON or CSV text), the caller's exchange-rate
    /// table (JSON text or object, or an xborder-rates table's or the ECB CSV's text), official rate
    /// tables (the text of `regimes/<ID>/<ID>.rates`, named by the packs), and whether to start
    /// from the embedded regimes (default true). Throws `XborderError` when anything fails to
    /// load.
    #[wasm_bindgen(constructor)]
    pub fn new(config: Option<IEngineConfig>) -> Result<WasmEngine, JsValue> {
        let config = input::engine_config(config.as_deref())?;
        let mut builder = Engine::builder();
        if !config.embedded {
            builder = builder.without_embedded();
        }
        if !config.sample_risk_profiles {
            builder = builder.without_sample_risk_profiles();
        }
        for pack in config.regimes {
            builder = builder.regime_json(pack);
        }
        for (id, text) in config.tariffs {
            builder = match config.tariff_layouts.iter().find(|(l, _)| *l == id) {
                Some((_, layout)) => {
                    let layout = CsvLayout::from_json(layout).map_err(|e| {
                        let path = match &e.path {
                            Some(p) => format!("tariffLayouts.{id}.{p}"),
                            None => format!("tariffLayouts.{id}"),
                        };
                        error::js_error(e.code, Some(&path), e.message)
                    })?;
                    builder.tariff_csv(id, text, layout)
                }
                None => builder.tariff(id, text),
            };
        }
        for (id, text) in config.tariffs_on_demand {
            builder = builder.tariff_on_demand(id, text);
        }
        if let Some(rates) = config.rates {
            builder = builder.rates(rates);
        }
        for table in config.rate_tables {
            builder = builder.rate_table(table);
        }
        for profile in config.risk_profiles {
            builder = builder.risk_profile_json(profile);
        }
        for rules in config.return_rules {
            builder = builder.return_rules_json(rules);
        }
        let inner = builder.build().map_err(|e| error::to_js(&e, None))?;
        Ok(WasmEngine { inner })
    }

    /// Like the module's `assess`, with this engine's regimes and rates.
    pub fn assess(
        &self,
        declaration: &IDeclaration,
        options: Option<IAssessOptions>,
    ) -> Result<IAssessment, JsValue> {
        assess_object(&self.inner, declaration, options.as_deref())
    }

    /// Like the module's `assessJson`, with this engine's regimes and rates.
    #[wasm_bindgen(js_name = assessJson)]
    pub fn assess_json(
        &self,
        text: &IJsonText,
        options: Option<IAssessOptions>,
    ) -> Result<String, JsValue> {
        assess_text(&self.inner, text, options.as_deref())
    }

    /// An NDJSON batch (`assessNdjson`): one output line per non-blank input line, in order,
    /// each ended by `\n`: the result, or the error record of a rejected line in its place,
    /// byte for byte what `xborder assess` and `xb_assess_ndjson` write for the same lines. A
    /// rejected line does not throw; a batch that is not a string, or longer than
    /// `limits::MAX_BATCH_BYTES`, or options that do not parse, do.
    #[wasm_bindgen(js_name = assessNdjson)]
    pub fn assess_ndjson(
        &self,
        text: &IJsonText,
        options: Option<IAssessOptions>,
    ) -> Result<String, JsValue> {
        let options = input::assess_options(options.as_deref())?;
        let text = input::batch_string(text)?;
        Ok(batch(&self.inner, &text, &options))
    }

    /// The fast path of the package's `assess` and `assessJson` (`js/index.js`): assesses the
    /// first `len` bytes of the input buffer (`io`), which JavaScript filled, and returns the
    /// length of the result's JSON in the output buffer, or throws what `assessJson` throws.
    #[wasm_bindgen(js_name = __assessInput, skip_typescript)]
    pub fn assess_input(
        &self,
        len: usize,
        options: Option<IAssessOptions>,
    ) -> Result<usize, JsValue> {
        io::assess_input(&self.inner, len, options.as_deref())
    }

    /// The fast path of the package's `assess` (`js/runtime.js`): like `__assessInput`, with the
    /// result written as a tape (`io::TAPE`, its strings in the output buffer) for the generated
    /// decoder `js/result-tape.js`; returns the tape's length in words.
    #[wasm_bindgen(js_name = __assessTape, skip_typescript)]
    pub fn assess_tape(
        &self,
        len: usize,
        options: Option<IAssessOptions>,
    ) -> Result<usize, JsValue> {
        io::assess_input_tape(&self.inner, len, options.as_deref())
    }

    /// This engine's regimes.
    pub fn regimes(&self) -> Result<IRegimeList, JsValue> {
        regime_list(&self.inner)
    }
}

fn assess_object(
    engine: &Engine,
    declaration: &JsValue,
    options: Option<&JsValue>,
) -> Result<IAssessment, JsValue> {
    let options = input::assess_options(options)?;
    let text = input::declaration_text(declaration)?;
    let json = run(engine, &text, &options)?;
    parse(&json).map(JsCast::unchecked_into)
}

fn assess_text(
    engine: &Engine,
    text: &JsValue,
    options: Option<&JsValue>,
) -> Result<String, JsValue> {
    let options = input::assess_options(options)?;
    let text = input::json_string(text)?;
    run(engine, &text, &options)
}

/// The NDJSON output of a batch: the core's batch function (`\n`-separated lines, numbered
/// from 1, read, assessed and written in runs), so that blank lines, `\r\n` endings and line
/// errors are the CLI's.
fn batch(engine: &Engine, text: &str, options: &AssessOptions) -> String {
    let mut out = Vec::with_capacity(text.len().saturating_mul(3));
    engine.assess_ndjson_batch(text.as_bytes(), options, &mut out, |_, _| {});
    // The core writes UTF-8 JSON; a lossy conversion can only ever be a no-op here.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The `XborderError` of a declaration that a statement or a ledger could not take: the error
/// `assessJson` throws for it (with the declaration's id when it can be read), found by
/// assessing the text again on this rare path, so that both give the same record. An error
/// of the statement or ledger itself (an overflowing total) has no id.
#[cfg(any(feature = "statements", feature = "ledger"))]
fn declaration_error(
    engine: &Engine,
    text: &str,
    options: &AssessOptions,
    error: &Error,
) -> JsValue {
    let id = match engine.assess_record(text, options) {
        Err(rejection) if rejection.error == *error => rejection.id,
        _ => None,
    };
    error::to_js(error, id)
}

/// `value` as JSON text, for a result the caller asked for as text (`…Json`).
#[cfg(any(feature = "refunds", feature = "ledger"))]
fn to_json(value: &impl serde::Serialize, what: &str) -> Result<String, JsValue> {
    serde_json::to_string(value).map_err(|e| {
        error::js_error(
            ErrorCode::Internal,
            None,
            format!("{what} did not serialize: {e}"),
        )
    })
}

/// The core's JSON for one declaration, or its error as an `XborderError`.
fn run(engine: &Engine, text: &str, options: &AssessOptions) -> Result<String, JsValue> {
    // The path of the buffers (`io`), so that the module holds one copy of the core's writer.
    let mut out = Vec::with_capacity(1024);
    io::assess_into(engine, text, options, &mut out)?;
    // The core writes UTF-8 JSON; a lossy conversion can only ever be a no-op here.
    Ok(String::from_utf8(out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

fn regime_list(engine: &Engine) -> Result<IRegimeList, JsValue> {
    let json = serde_json::to_string(&engine.regime_listing()).map_err(|e| {
        error::js_error(
            ErrorCode::Internal,
            None,
            format!("regimes did not serialize: {e}"),
        )
    })?;
    parse(&json).map(JsCast::unchecked_into)
}

/// `JSON.parse` of text the core wrote.
fn parse(json: &str) -> Result<JsValue, JsValue> {
    JSON::parse(json).map_err(|thrown| {
        error::js_error(
            ErrorCode::Internal,
            None,
            format!(
                "result JSON did not parse: {}",
                error::thrown_message(&thrown)
            ),
        )
    })
}
