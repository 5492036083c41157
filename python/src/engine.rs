//! `xborder.Engine`: regimes, tariffs and rates loaded once; `assess`, `assess_json` and
//! `assess_arrow` over the core's `Engine`.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyString};
use xborder::limits::{MAX_PACK_BYTES, MAX_RATES_BYTES, MAX_TARIFF_BYTES};
use xborder::{AssessOptions, Engine as CoreEngine, ErrorCode};

use crate::arrow_ffi::ResultStream;
use crate::batch::Source;
use crate::boundary::{guard, without_gil, Failure, Outcome};
use crate::documents;

/// An immutable engine: the embedded regimes (or the caller's packs), tariffs, exchange rates
/// and the assessment options every call uses.
///
/// Safe to share between threads; every assessment releases the GIL while it runs.
#[pyclass(module = "xborder", frozen, name = "Engine")]
pub(crate) struct Engine {
    pub(crate) core: Arc<CoreEngine>,
    pub(crate) options: Arc<AssessOptions>,
}

#[pymethods]
impl Engine {
    #[new]
    #[pyo3(signature = (rates=None, tariffs=None, packs=None, options=None, *, risk_profiles=None, embedded=true))]
    fn new(
        py: Python<'_>,
        rates: Option<&Bound<'_, PyAny>>,
        tariffs: Option<&Bound<'_, PyAny>>,
        packs: Option<&Bound<'_, PyAny>>,
        options: Option<&Bound<'_, PyAny>>,
        risk_profiles: Option<&Bound<'_, PyAny>>,
        embedded: bool,
    ) -> PyResult<Engine> {
        guard(py, || {
            let mut builder = CoreEngine::builder();
            if !embedded {
                builder = builder.without_embedded();
            }
            for (i, pack) in sequence(packs, "packs")?.iter().enumerate() {
                builder = builder.regime_json(documents::text(
                    pack,
                    &format!("packs[{i}]"),
                    MAX_PACK_BYTES,
                )?);
            }
            if let Some(tariffs) = tariffs.filter(|t| !t.is_none()) {
                let map = tariffs.cast::<PyDict>().map_err(|_| {
                    Failure::new(
                        ErrorCode::InvalidType,
                        Some("tariffs"),
                        "must be a dict of regime id to tariff (JSON or CSV text, or a path)",
                    )
                })?;
                for (id, tariff) in map.iter() {
                    let id: String = id.extract().map_err(|_| {
                        Failure::new(
                            ErrorCode::InvalidType,
                            Some("tariffs"),
                            "keys must be regime ids",
                        )
                    })?;
                    let text =
                        documents::text(&tariff, &format!("tariffs[{id}]"), MAX_TARIFF_BYTES)?;
                    builder = builder.tariff(id, text);
                }
            }
            if let Some(rates) = rates.filter(|r| !r.is_none()) {
                builder = builder.rates_json(documents::text(rates, "rates", MAX_RATES_BYTES)?);
            }
            for (i, profile) in sequence(risk_profiles, "risk_profiles")?.iter().enumerate() {
                builder = builder.risk_profile_json(documents::text(
                    profile,
                    &format!("risk_profiles[{i}]"),
                    MAX_PACK_BYTES,
                )?);
            }
            let options = crate::options::parse(options)?;
            let core = without_gil(py, move || builder.build())??;
            Ok(Engine {
                core: Arc::new(core),
                options: Arc::new(options),
            })
        })
    }

    /// The same regimes, tariffs and rates with other assessment options (cheap: nothing is
    /// loaded again).
    fn with_options(&self, py: Python<'_>, options: Option<&Bound<'_, PyAny>>) -> PyResult<Engine> {
        guard(py, || {
            Ok(Engine {
                core: Arc::clone(&self.core),
                options: Arc::new(crate::options::parse(options)?),
            })
        })
    }

    /// The assessment options, as the dict the constructor takes.
    #[getter]
    fn options(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, || {
            Ok(loads(py, &crate::options::to_json(&self.options))?)
        })
    }

    /// Assesses one declaration given as a dict; returns the result as a dict (amounts are
    /// decimal strings). Raises `XborderError` when the declaration is rejected.
    fn assess(&self, py: Python<'_>, declaration: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        guard(py, || {
            let text = documents::json_text(declaration, "declaration")?;
            let json = self.assess_text(py, text)?;
            Ok(loads(py, &json)?)
        })
    }

    /// Assesses one declaration given as JSON text; returns the result JSON, byte for byte
    /// what `xborder assess` writes for it. Raises `XborderError` when it is rejected (the
    /// CLI's error line is the exception's `record`).
    fn assess_json(&self, py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<String> {
        guard(py, || {
            if !(text.is_instance_of::<PyString>() || text.is_instance_of::<PyBytes>()) {
                return Err(Failure::new(
                    ErrorCode::InvalidType,
                    Some("declaration"),
                    format!(
                        "assess_json expects JSON text (str or bytes), not {}",
                        text.get_type().name()?
                    ),
                )
                .into());
            }
            // No limit here: the core refuses a declaration over its own size limit.
            let text = documents::text(text, "declaration", usize::MAX)?;
            self.assess_text(py, text)
        })
    }

    /// Assesses Arrow data: one JSON declaration per row in a string column (`json_column`, or
    /// a column named `declaration`), or the declaration's fields as columns. Returns a
    /// `pyarrow.Table` of result columns, one row per input row in input order; a rejected
    /// declaration is a row with `error_code`, `error_path` and `error_message` set.
    /// `result_json=True` adds `result`: the JSON line `xborder assess` writes for the row.
    #[pyo3(signature = (data, *, json_column=None, result_json=false))]
    fn assess_arrow(
        &self,
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        json_column: Option<String>,
        result_json: bool,
    ) -> PyResult<Py<PyAny>> {
        guard(py, || {
            let mut batches = crate::arrow_ffi::import(data)?;
            let mut source = json_column.map(Source::Json);
            let mut out = Vec::new();
            let (core, options) = (&*self.core, &*self.options);
            while let Some(batch) = batches.next_batch()? {
                let source = source.get_or_insert_with(|| Source::of(&batch));
                let out = &mut out;
                without_gil(py, || {
                    crate::batch::assess_batch(core, options, &batch, source, result_json, out)
                })??;
            }
            let stream = ResultStream::new(crate::batch::schema(result_json), out);
            Ok(pyarrow_table(py, stream)?)
        })
    }

    /// The loaded regimes, their versions and validity dates (`xborder regimes --json`).
    fn regimes(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, || Ok(loads(py, &self.core.regimes_json())?))
    }

    fn __repr__(&self) -> String {
        let ids: Vec<&str> = self.core.regime_ids().collect();
        format!("<xborder.Engine regimes={}>", ids.join(","))
    }
}

impl Engine {
    /// The core's JSON for one declaration, or its rejection as a [`Failure`].
    fn assess_text(&self, py: Python<'_>, text: String) -> Outcome<String> {
        let (core, options) = (&self.core, &self.options);
        let (json, error) = without_gil(py, || core.assess_to_json(&text, options))?;
        match error {
            None => Ok(json),
            Some(rejection) => Err(Failure::rejected(&rejection.error, rejection.id, json).into()),
        }
    }
}

/// The items of an optional list argument.
fn sequence<'py>(value: Option<&Bound<'py, PyAny>>, path: &str) -> Outcome<Vec<Bound<'py, PyAny>>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(Vec::new());
    };
    if value.is_instance_of::<PyString>() || value.is_instance_of::<PyDict>() {
        return Err(Failure::new(
            ErrorCode::InvalidType,
            Some(path),
            "must be a list of documents (text, path or dict)",
        )
        .into());
    }
    Ok(value.try_iter()?.collect::<PyResult<Vec<_>>>()?)
}

/// `pyarrow.table(stream)`: the result batches as a `pyarrow.Table`, handed over through the
/// Arrow C stream interface.
pub(crate) fn pyarrow_table(py: Python<'_>, stream: ResultStream) -> PyResult<Py<PyAny>> {
    static TABLE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let table = TABLE.import(py, "pyarrow", "table")?;
    Ok(table.call1((Bound::new(py, stream)?,))?.unbind())
}

/// `json.loads(text)`.
pub(crate) fn loads(py: Python<'_>, text: &str) -> PyResult<Py<PyAny>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    Ok(LOADS.import(py, "json", "loads")?.call1((text,))?.unbind())
}
