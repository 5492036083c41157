//! What Python hands in: documents (packs, tariffs, rate tables, declarations) and their
//! conversion to the JSON text the core reads.
//!
//! A document is given as text (`str`, or UTF-8 `bytes`), as a file (`os.PathLike`, e.g.
//! `pathlib.Path`), or as a Python object (`dict`, `list`) that `json.dumps` writes. A `str` is
//! always the document itself, never a file name: `"rates.json"` would be ambiguous.

use std::io::Read;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyString};
use xborder::ErrorCode;

use crate::boundary::{Failure, Outcome};

/// The text of `value`, a document named `what` at `path`, at most `limit` bytes.
pub(crate) fn text(value: &Bound<'_, PyAny>, path: &str, limit: usize) -> Outcome<String> {
    let py = value.py();
    let text = if let Ok(s) = value.cast::<PyString>() {
        str_text(s, path)?
    } else if let Ok(b) = value.cast::<PyBytes>() {
        utf8(b.as_bytes().to_vec(), path)?
    } else if value.hasattr("__fspath__")? {
        let os = py.import("os")?;
        let file: String = os.call_method1("fspath", (value,))?.extract()?;
        read_file(&file, path, limit)?
    } else {
        json_text(value, path)?
    };
    if text.len() > limit {
        return Err(Failure::new(
            ErrorCode::InputTooLarge,
            Some(path),
            format!("{} bytes; the limit is {limit} bytes", text.len()),
        )
        .into());
    }
    Ok(text)
}

/// A declaration given as a Python object, as JSON text: `json.dumps` with
/// [`json_default`] for `decimal.Decimal` and `datetime.date`.
pub(crate) fn json_text(value: &Bound<'_, PyAny>, path: &str) -> Outcome<String> {
    let py = value.py();
    static DUMPS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let dumps = DUMPS.import(py, "json", "dumps")?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("default", wrap_pyfunction!(json_default, py)?)?;
    kwargs.set_item("ensure_ascii", false)?;
    kwargs.set_item("allow_nan", false)?;
    match dumps.call((value,), Some(&kwargs)) {
        Ok(text) => Ok(text.extract::<String>()?),
        // TypeError (an object json cannot write), ValueError (NaN, a circular reference).
        Err(e) => Err(Failure::new(
            ErrorCode::InvalidType,
            Some(path),
            format!("cannot be written as JSON: {}", e.value(py)),
        )
        .into()),
    }
}

/// `json.dumps(default=…)`: a `decimal.Decimal` becomes its exact decimal string (`"12.50"`,
/// never a float), a `datetime.date` its ISO form (`"2026-03-15"`).
#[pyfunction]
fn json_default(value: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let py = value.py();
    static DECIMAL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    static DATE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    static DATETIME: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    if value.is_instance(DECIMAL.import(py, "decimal", "Decimal")?)? {
        // Fixed-point notation: `Decimal("1E+3")` is written `"1000"`, which the core's strict
        // amount grammar accepts; NaN and infinities stay words, which it refuses.
        return Ok(py
            .import("builtins")?
            .call_method1("format", (value, "f"))?
            .unbind());
    }
    // A datetime is a date too; its time of day would be silently dropped, so it is refused.
    if value.is_instance(DATE.import(py, "datetime", "date")?)?
        && !value.is_instance(DATETIME.import(py, "datetime", "datetime")?)?
    {
        return Ok(value.call_method0("isoformat")?.unbind());
    }
    Err(pyo3::exceptions::PyTypeError::new_err(format!(
        "Object of type {} is not JSON serializable",
        value.get_type().name()?
    )))
}

/// A `str` as Rust text. A `str` holding a lone surrogate (`"\\ud800"`) has no UTF-8 form.
fn str_text(s: &Bound<'_, PyString>, path: &str) -> Result<String, Failure> {
    s.to_cow().map(|t| t.into_owned()).map_err(|e| {
        Failure::new(
            ErrorCode::InvalidUtf8,
            Some(path),
            format!("has no UTF-8 form: {}", e.value(s.py())),
        )
    })
}

fn utf8(bytes: Vec<u8>, path: &str) -> Outcome<String> {
    String::from_utf8(bytes).map_err(|e| {
        Failure::new(
            ErrorCode::InvalidUtf8,
            Some(path),
            format!("is not UTF-8 (byte {})", e.utf8_error().valid_up_to()),
        )
        .into()
    })
}

/// Reads at most `limit + 1` bytes of `file`, so that a huge file costs no more than the limit.
fn read_file(file: &str, path: &str, limit: usize) -> Outcome<String> {
    let unreadable = |e: std::io::Error| {
        Failure::new(ErrorCode::InvalidValue, Some(path), format!("{file}: {e}"))
    };
    let handle = std::fs::File::open(file).map_err(unreadable)?;
    let mut bytes = Vec::new();
    handle
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    utf8(bytes, path)
}
