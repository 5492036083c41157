//! xborder for Python: the extension module `xborder._xborder`, wrapped by the package
//! `python/xborder/`.
//!
//! A thin, mechanical layer over the core (crate `xborder`), like the C and WASM bindings:
//! JSON text crosses into the core's one grammar for declarations, the core's one serializer
//! writes results, and batches cross as Arrow columns through the C data interface.
//!
//! * `Engine(rates=None, tariffs=None, packs=None, options=None)`: `assess(dict) -> dict`,
//!   `assess_json(str) -> str` (the CLI's bytes), `assess_arrow(table) -> pyarrow.Table`;
//! * `Stats(period)`: Standard 14 statistics with the CLI's disclosure control, mergeable
//!   across processes (Spark);
//! * errors raise `xborder.XborderError` with `code`, `path`, `id`; no panic reaches Python.

mod arrow_ffi;
mod batch;
mod boundary;
mod documents;
mod engine;
mod options;
mod rows;
mod stats;

use pyo3::prelude::*;

/// The native part of the `xborder` package.
#[pymodule]
fn _xborder(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<engine::Engine>()?;
    m.add_class::<stats::Stats>()?;
    m.add_class::<arrow_ffi::ResultStream>()?;
    m.add("__version__", xborder::VERSION)?;
    m.add_function(wrap_pyfunction!(result_columns, m)?)?;
    #[cfg(feature = "test-hooks")]
    m.add_function(wrap_pyfunction!(_test_panic, m)?)?;
    Ok(())
}

/// The names of `assess_arrow`'s output columns, in order.
#[pyfunction]
#[pyo3(signature = (result_json=false))]
fn result_columns(result_json: bool) -> Vec<String> {
    batch::schema(result_json)
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect()
}

/// Panics inside the boundary: must raise `XborderError` with code `E_INTERNAL`.
#[cfg(feature = "test-hooks")]
#[pyfunction]
fn _test_panic(py: Python<'_>) -> PyResult<()> {
    boundary::guard(py, || {
        boundary::without_gil(py, || -> () { panic!("deliberate panic from _test_panic") })?;
        Ok(())
    })
}
