//! The boundary every call from Python goes through: core errors become `xborder.XborderError`
//! and no Rust panic ever reaches Python.
//!
//! PyO3 would turn a panic into `pyo3_runtime.PanicException`, a `BaseException` that
//! `except Exception` does not catch. [`guard`] catches it first and raises an `XborderError`
//! with code `E_INTERNAL` instead, like the C library's `XB_STATUS_PANIC`.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;
use xborder::{Error, ErrorCode};

/// An error on its way to Python as `XborderError(message, code, path, id, record)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    pub code: &'static str,
    pub message: String,
    pub path: Option<String>,
    /// The `id` of the declaration that was rejected, when it could be read.
    pub id: Option<String>,
    /// The CONTRACT error record (`{"id":…,"error":{…}}`), the line the CLI writes.
    pub record: Option<String>,
}

impl Failure {
    /// A core error (engine building, a document the caller handed in).
    pub(crate) fn core(error: &Error) -> Failure {
        Failure {
            code: error.code.as_str(),
            message: error.message.clone(),
            path: error.path.clone(),
            id: None,
            record: None,
        }
    }

    /// A rejected declaration: the core error with the record the CLI would write for it.
    pub(crate) fn rejected(error: &Error, id: Option<String>, record: String) -> Failure {
        Failure {
            id,
            record: Some(record),
            ..Failure::core(error)
        }
    }

    /// A failure of the binding's own checks (an argument of the wrong type, an unreadable
    /// file), with a code from the core's list.
    pub(crate) fn new(code: ErrorCode, path: Option<&str>, message: impl Into<String>) -> Failure {
        Failure {
            code: code.as_str(),
            message: message.into(),
            path: path.map(str::to_string),
            id: None,
            record: None,
        }
    }

    fn into_pyerr(self, py: Python<'_>) -> PyErr {
        match error_class(py).and_then(|class| {
            class.call1((self.message, self.code, self.path, self.id, self.record))
        }) {
            Ok(instance) => PyErr::from_value(instance),
            Err(e) => e,
        }
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure::core(&error)
    }
}

/// What a bound function returns before the boundary turns it into a Python result.
pub(crate) type Outcome<T> = Result<T, Raised>;

/// Why a call failed: a failure of ours, or a Python exception raised by Python code we
/// called (which passes through unchanged).
#[derive(Debug)]
pub(crate) enum Raised {
    Failure(Failure),
    Python(PyErr),
}

impl From<Failure> for Raised {
    fn from(f: Failure) -> Raised {
        Raised::Failure(f)
    }
}

impl From<Error> for Raised {
    fn from(e: Error) -> Raised {
        Raised::Failure(Failure::core(&e))
    }
}

impl From<PyErr> for Raised {
    fn from(e: PyErr) -> Raised {
        Raised::Python(e)
    }
}

/// `xborder._errors.XborderError`, imported once.
fn error_class(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static CLASS: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    CLASS.import(py, "xborder._errors", "XborderError")
}

/// Runs the body of a bound function: a [`Failure`] becomes an `XborderError`, a panic an
/// `XborderError` with code `E_INTERNAL` (never a `PanicException`).
pub(crate) fn guard<T>(py: Python<'_>, body: impl FnOnce() -> Outcome<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(Raised::Python(e))) => Err(e),
        Ok(Err(Raised::Failure(f))) => Err(f.into_pyerr(py)),
        Err(payload) => Err(Failure::new(
            ErrorCode::Internal,
            None,
            format!(
                "internal error (a bug in xborder): {}",
                panic_message(&payload)
            ),
        )
        .into_pyerr(py)),
    }
}

/// Runs `work` without the GIL, so that other Python threads run meanwhile. A panic inside is
/// caught here too: unwinding out of `detach` would re-take the GIL on the way, which is
/// sound, but the catch keeps the message.
pub(crate) fn without_gil<T: Send>(py: Python<'_>, work: impl FnOnce() -> T + Send) -> Outcome<T> {
    py.detach(|| catch_unwind(AssertUnwindSafe(work)))
        .map_err(|payload| {
            Raised::Failure(Failure::new(
                ErrorCode::Internal,
                None,
                format!(
                    "internal error (a bug in xborder): {}",
                    panic_message(&payload)
                ),
            ))
        })
}

fn panic_message(payload: &Box<dyn Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic with a non-text payload".to_string())
}
