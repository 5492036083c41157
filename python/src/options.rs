//! Assessment options from Python: `{"trace": bool, "date": "YYYY-MM-DD", "regime": "EU",
//! "options": {"flat_duty_scope": "ioss_and_postal"}}`, the document the C API's
//! `_with_options` functions and the WASM package take, read by the same grammar
//! (`AssessOptions::from_json`): the same bad options give the same code and path in every
//! binding.

use pyo3::prelude::*;
use xborder::limits::MAX_OPTIONS_BYTES;
use xborder::AssessOptions;

use crate::boundary::Outcome;

/// Parses `options` (a mapping, JSON text or `None`). Unknown keys are refused, so a typo never
/// falls back to a default.
pub(crate) fn parse(options: Option<&Bound<'_, PyAny>>) -> Outcome<AssessOptions> {
    let Some(value) = options.filter(|v| !v.is_none()) else {
        return Ok(AssessOptions::default());
    };
    let text = crate::documents::text(value, "options", MAX_OPTIONS_BYTES)?;
    AssessOptions::from_json(&text).map_err(Into::into)
}

/// `options` as the document [`parse`] reads, for `Engine.options`.
pub(crate) fn to_json(options: &AssessOptions) -> String {
    // Serializing a struct of strings, a bool and a date cannot fail.
    serde_json::to_string(options).unwrap_or_default()
}
