//! Assessment options: the one grammar every binding reads them with, and the options the
//! engine itself declares for every regime, beside the ones a pack declares for its uncertain
//! rules.
//!
//! [`AssessOptions`] is the options object of docs/contract.md ("Assessment options"). The C
//! API's options JSON, the WASM package's options object (read as JSON), the Python package's
//! `options` and the conformance vectors' `options` are all parsed by
//! [`AssessOptions::from_json`]; the CLI's flags build the same document and go through it too.
//! So the same bad options give the same code and path in every binding. What the JSON grammar
//! cannot judge alone, the readings against the regime's declared options, is judged in one
//! place, `judge_readings`, when an assessment selects its regime version.
//!
//! The engine's own options are chosen the same way (`AssessOptions::options`,
//! `--option name=value`, the C and WASM options object) and listed the same way
//! (`xborder regimes`, `Engine::regime_listing`, under every version), so a caller finds them
//! where it finds the packs' options. A pack may not declare an option of the same name.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

use crate::date::Date;
use crate::error::{Error, ErrorCode, Origin};
use crate::limits::MAX_OPTIONS_BYTES;
use crate::regime::Version;
use crate::Engine;

/// Options for one assessment.
///
/// As JSON (the C API, the WASM package, Python, the vectors):
/// `{"trace": true, "date": "2026-07-01", "regime": "EU", "options": {"flat_duty_scope":
/// "ioss_and_postal"}}`, every key optional, `null` meaning absent for `date`, `regime` and
/// `options`, and any other key an error ([`AssessOptions::from_json`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AssessOptions {
    /// Include the trace in the result.
    #[serde(default)]
    pub trace: bool,
    /// Apply the rules of this date instead of the declaration's.
    #[serde(default)]
    pub date: Option<Date>,
    /// Use this regime instead of the one the declaration selects.
    #[serde(default)]
    pub regime: Option<String>,
    /// Readings of uncertain rules, by option name (`flat_duty_scope` → `ioss_and_postal`);
    /// the value `reject` makes an assessment that depends on the rule fail.
    #[serde(default, deserialize_with = "readings")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<BTreeMap<String, String>>")
    )]
    pub options: BTreeMap<String, String>,
}

/// `options`: an object of strings, or `null` for none (the WASM package always took `null`).
fn readings<'de, D: Deserializer<'de>>(de: D) -> Result<BTreeMap<String, String>, D::Error> {
    Ok(Option::<BTreeMap<String, String>>::deserialize(de)?.unwrap_or_default())
}

impl AssessOptions {
    /// Options with the trace switched on.
    pub fn traced() -> AssessOptions {
        AssessOptions {
            trace: true,
            ..AssessOptions::default()
        }
    }

    /// Sets an option reading (builder style).
    pub fn option(mut self, name: &str, value: &str) -> AssessOptions {
        self.options.insert(name.to_string(), value.to_string());
        self
    }

    /// Parses an options document, strictly: an unknown key (a typo such as `trcae`), a value
    /// of the wrong JSON type or a malformed document is `E_INVALID_OPTION`, a `date` that is
    /// not a real `YYYY-MM-DD` date `E_INVALID_DATE`, a document over [`MAX_OPTIONS_BYTES`]
    /// `E_INPUT_TOO_LARGE`. Paths are relative to the options document (`date`, `trcae`,
    /// `options.flat_duty_scope`), as the readings' own errors during an assessment are; an
    /// error about the whole document has none.
    ///
    /// Whether a reading is one the regime declares depends on the regime the declaration
    /// selects, so that is judged per assessment, when the regime version is known (an
    /// unknown name or reading then rejects the declaration with `E_INVALID_OPTION` at
    /// `options.<name>`), not here.
    pub fn from_json(text: &str) -> Result<AssessOptions, Error> {
        if text.len() > MAX_OPTIONS_BYTES {
            return Err(Error::new(
                ErrorCode::InputTooLarge,
                format!(
                    "the assessment options are {} bytes; the limit is {MAX_OPTIONS_BYTES} bytes",
                    text.len()
                ),
            )
            .from_origin(Origin::Options));
        }
        crate::error::from_json_tracked(text).map_err(options_error)
    }
}

/// An error of the options document: `E_INVALID_OPTION` whatever the JSON grammar found (so a
/// binding branches on one code), except a date that is no date and the limits, which keep
/// their own codes as they do in a declaration.
#[cold]
fn options_error(mut err: Error) -> Error {
    if !matches!(
        err.code,
        ErrorCode::InvalidDate | ErrorCode::NestingTooDeep | ErrorCode::InputTooLarge
    ) {
        err.code = ErrorCode::InvalidOption;
    }
    err.message = format!("assessment options: {}", err.message);
    err.from_origin(Origin::Options)
}

/// Judges the readings of `options` against `version` (the regime version an assessment
/// selected), the engine's own options and the other regimes `engine` holds: the one place
/// option names and readings are checked. A reading of an option `version` or the engine
/// declares must be one of its values (or `reject`, for a pack's option); a name only another
/// loaded regime declares is returned, for the caller to report as unused (a mixed batch shares
/// one set of options), after its reading is checked against that regime's values; a name no
/// loaded regime declares is a misspelling or a stale name, and ignoring it would price the
/// consignment under the default reading the caller meant to change (issue 21 item 6).
/// Every error is `E_INVALID_OPTION` at `options.<name>`.
pub(crate) fn judge_readings<'o>(
    engine: &Engine,
    version: &Version,
    options: &'o AssessOptions,
) -> Result<Vec<&'o str>, Error> {
    let mut unused = Vec::new();
    for (name, reading) in &options.options {
        let reading = reading.as_str();
        if let Some(declared) = version.rules.options.get(name) {
            if reading != "reject" && !declared.values.iter().any(|v| v == reading) {
                return Err(not_a_reading(name, reading, &declared.values, true));
            }
        } else if let Some(option) = engine_option(name) {
            if !option.values.contains(&reading) {
                return Err(not_a_reading(name, reading, option.values, false));
            }
        } else {
            let elsewhere: Vec<&String> = engine
                .regimes()
                .iter()
                .flat_map(|regime| &regime.versions)
                .filter_map(|v| v.rules.options.get(name))
                .flat_map(|declared| &declared.values)
                .collect();
            if elsewhere.is_empty() {
                return Err(unknown_option(name, version));
            }
            if reading != "reject" && !elsewhere.iter().any(|v| *v == reading) {
                return Err(not_a_reading(name, reading, &elsewhere, true));
            }
            unused.push(name.as_str());
        }
    }
    Ok(unused)
}

/// `E_INVALID_OPTION`: `reading` is none of `values` (nor `reject`, when `reject` is allowed).
#[cold]
fn not_a_reading<V: AsRef<str>>(name: &str, reading: &str, values: &[V], reject: bool) -> Error {
    let mut choices: Vec<&str> = values.iter().map(AsRef::as_ref).collect();
    crate::sort::sort(&mut choices);
    choices.dedup();
    Error::at(
        ErrorCode::InvalidOption,
        format!("options.{name}"),
        format!(
            "{reading:?} is not a reading of {name}; choose one of {}{}",
            choices.join(", "),
            if reject { ", or reject" } else { "" }
        ),
    )
    .from_origin(Origin::Options)
}

/// `E_INVALID_OPTION` for an option name no loaded regime declares, naming the ones `version`
/// does declare.
#[cold]
fn unknown_option(name: &str, version: &Version) -> Error {
    let known: Vec<&str> = version.rules.options.keys().map(String::as_str).collect();
    let known = if known.is_empty() {
        format!("{} declares no options", version.label)
    } else {
        format!("{} declares {}", version.label, known.join(", "))
    };
    Error::at(
        ErrorCode::InvalidOption,
        format!("options.{name}"),
        format!("no loaded regime declares an option {name}; {known}"),
    )
    .from_origin(Origin::Options)
}

/// An option the engine declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EngineOption {
    /// Name, as given in `AssessOptions::options`.
    pub name: &'static str,
    /// The value used when the caller does not choose.
    pub default: &'static str,
    /// Every accepted value.
    pub values: &'static [&'static str],
    /// The question the option answers.
    pub question: &'static str,
}

/// What to do when a declared HS code covers national tariff lines with different duties.
pub const HS_AMBIGUITY: EngineOption = EngineOption {
    name: "hs_ambiguity",
    default: "reject",
    values: &["reject", "highest"],
    question: "When the declared HS code is less precise than the tariff and covers lines with different duties, refuse the assessment (E_HS_AMBIGUOUS, listing the lines) or price the dearest line for this consignment's facts (with a finding naming the others)?",
};

/// Whether the release decision is screened (risk profile, checks that error findings force,
/// revenue state) or left out, as a checkout estimating the landed cost wants: a shopper needs
/// the charges, not a customs control.
pub const SCREENING: EngineOption = EngineOption {
    name: "screening",
    default: "on",
    values: &["on", "off"],
    question: "Decide the release (risk profile rules, checks forced by error findings, the revenue state), or leave it out with the decision not_screened, as a checkout estimating the landed cost does?",
};

/// Every engine-level option.
pub const ENGINE_OPTIONS: &[EngineOption] = &[HS_AMBIGUITY, SCREENING];

/// The engine option of this name.
pub fn engine_option(name: &str) -> Option<&'static EngineOption> {
    ENGINE_OPTIONS.iter().find(|o| o.name == name)
}
