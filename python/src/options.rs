//! Assessment options from Python: `{"trace": bool, "date": "YYYY-MM-DD", "regime": "EU",
//! "options": {"flat_duty_scope": "ioss_and_postal"}}`, the same document the C API's
//! `_with_options` functions take.

use std::collections::BTreeMap;

use pyo3::prelude::*;
use serde::Deserialize;
use xborder::{AssessOptions, ErrorCode};

use crate::boundary::{Failure, Outcome};

/// The options document. Unknown keys are refused, so a typo never falls back to a default.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OptionsDoc {
    #[serde(default)]
    trace: bool,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    regime: Option<String>,
    #[serde(default)]
    options: BTreeMap<String, String>,
}

/// Parses `options` (a mapping, JSON text or `None`).
pub(crate) fn parse(options: Option<&Bound<'_, PyAny>>) -> Outcome<AssessOptions> {
    let Some(value) = options.filter(|v| !v.is_none()) else {
        return Ok(AssessOptions::default());
    };
    let text = crate::documents::text(value, "options", 64 * 1024)?;
    from_json(&text).map_err(Into::into)
}

fn from_json(text: &str) -> Result<AssessOptions, Failure> {
    let doc: OptionsDoc = serde_json::from_str(text)
        .map_err(|e| Failure::new(ErrorCode::InvalidOption, Some("options"), e.to_string()))?;
    let date = doc
        .date
        .map(|d| {
            d.parse().map_err(|e: xborder::date::DateError| {
                Failure::new(
                    ErrorCode::InvalidDate,
                    Some("options.date"),
                    format!("{d:?}: {e}"),
                )
            })
        })
        .transpose()?;
    Ok(AssessOptions {
        trace: doc.trace,
        options: doc.options,
        date,
        regime: doc.regime,
    })
}

/// `options` as the document [`parse`] reads, for `Engine.options`.
pub(crate) fn to_json(options: &AssessOptions) -> String {
    serde_json::json!({
        "trace": options.trace,
        "date": options.date.map(|d| d.to_string()),
        "regime": options.regime,
        "options": options.options,
    })
    .to_string()
}
