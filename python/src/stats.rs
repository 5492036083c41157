//! `xborder.Stats`: Standard 14 statistics over assessment results, with the aggregation and
//! disclosure control of `xborder stats` (the core's `xborder::stats`), so that a Spark job or
//! a notebook publishes exactly the tables the CLI would.

use std::sync::{Arc, Mutex};

use arrow_array::builder::{BooleanBuilder, Int64Builder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use xborder::stats::{Aggregator, Period, DEFAULT_MIN_CELL};
use xborder::ErrorCode;

use crate::boundary::{guard, without_gil, Failure, Outcome};

/// Running sums over result JSON lines; see `docs/stats.md` for the tables and the
/// suppression rules.
#[pyclass(module = "xborder", frozen, name = "Stats")]
pub(crate) struct Stats {
    aggregator: Mutex<Aggregator>,
}

#[pymethods]
impl Stats {
    /// `Stats(period="month")`: group by `day`, `month`, `quarter`, `year` or `all`.
    #[new]
    #[pyo3(signature = (period="month"))]
    fn new(py: Python<'_>, period: &str) -> PyResult<Stats> {
        guard(py, || {
            let period: Period = period
                .parse()
                .map_err(|e: String| Failure::new(ErrorCode::InvalidOption, Some("period"), e))?;
            Ok(Stats::from(Aggregator::new(period)))
        })
    }

    /// Adds result lines: Arrow data with a string column `column` (default `result`, what
    /// `assess_arrow(…, result_json=True)` gives) holding one result or error record per row.
    #[pyo3(signature = (data, column="result"))]
    fn add_arrow(&self, py: Python<'_>, data: &Bound<'_, PyAny>, column: &str) -> PyResult<()> {
        guard(py, || {
            let mut batches = crate::arrow_ffi::import(data)?;
            let mut partial = Aggregator::new(self.lock()?.period());
            while let Some(batch) = batches.next_batch()? {
                let lines = result_column(&batch, column)?;
                partial = without_gil(py, move || {
                    add_lines(&mut partial, lines.as_ref());
                    partial
                })?;
            }
            self.lock()?.merge(partial);
            Ok(())
        })
    }

    /// Adds one result line (JSON text, as `xborder assess` writes it).
    fn add_json(&self, py: Python<'_>, line: &str) -> PyResult<()> {
        guard(py, || {
            self.lock()?.add_line(line.as_bytes());
            Ok(())
        })
    }

    /// Adds the sums of another `Stats` (the same period grouping).
    fn merge(&self, py: Python<'_>, other: &Bound<'_, Stats>) -> PyResult<()> {
        guard(py, || {
            let theirs = other.get().lock()?.clone();
            let mut mine = self.lock()?;
            if theirs.period() != mine.period() {
                return Err(Failure::new(
                    ErrorCode::InvalidOption,
                    Some("period"),
                    "cannot merge statistics grouped by different periods",
                )
                .into());
            }
            mine.merge(theirs);
            Ok(())
        })
    }

    /// The running sums as bytes (`Stats.from_state` reads them back): how a distributed job
    /// sends each worker's partial sums to the driver. Unsuppressed: never publish a state.
    fn to_state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let state = guard(py, || Ok(self.lock()?.to_state()))?;
        Ok(PyBytes::new(py, state.as_bytes()))
    }

    /// A `Stats` from `to_state`'s bytes.
    #[staticmethod]
    fn from_state(py: Python<'_>, state: &[u8]) -> PyResult<Stats> {
        guard(py, || {
            let text = std::str::from_utf8(state)
                .map_err(|e| Failure::new(ErrorCode::InvalidUtf8, Some("state"), e.to_string()))?;
            Ok(Stats::from(Aggregator::from_state(text)?))
        })
    }

    /// Result records read, rejected declarations (error records) and lines that were neither.
    #[getter]
    fn counts(&self, py: Python<'_>) -> PyResult<(u64, u64, u64)> {
        guard(py, || {
            let a = self.lock()?;
            Ok((a.results, a.rejected, a.unreadable))
        })
    }

    /// The publishable report as a dict: the JSON of `xborder stats`.
    #[pyo3(signature = (min_cell=DEFAULT_MIN_CELL))]
    fn report(&self, py: Python<'_>, min_cell: u64) -> PyResult<Py<PyAny>> {
        guard(py, || {
            let json = serde_json::to_string(&self.lock()?.report(min_cell))
                .map_err(|e| Failure::new(ErrorCode::Internal, None, format!("report: {e}")))?;
            Ok(crate::engine::loads(py, &json)?)
        })
    }

    /// The report as CSV: `xborder stats --format csv`.
    #[pyo3(signature = (min_cell=DEFAULT_MIN_CELL))]
    fn report_csv(&self, py: Python<'_>, min_cell: u64) -> PyResult<String> {
        guard(py, || Ok(self.lock()?.report(min_cell).to_csv()))
    }

    /// The report as a `pyarrow.Table` with the CSV's columns (amounts as decimal strings,
    /// a suppressed cell with null figures and `suppressed` true).
    #[pyo3(signature = (min_cell=DEFAULT_MIN_CELL))]
    fn report_arrow(&self, py: Python<'_>, min_cell: u64) -> PyResult<Py<PyAny>> {
        guard(py, || {
            let report = self.lock()?.report(min_cell);
            let batch = report_batch(&report)?;
            let stream = crate::arrow_ffi::ResultStream::new(batch.schema(), vec![batch]);
            Ok(crate::engine::pyarrow_table(py, stream)?)
        })
    }
}

impl From<Aggregator> for Stats {
    fn from(aggregator: Aggregator) -> Stats {
        Stats {
            aggregator: Mutex::new(aggregator),
        }
    }
}

impl Stats {
    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Aggregator>, Failure> {
        self.aggregator
            .lock()
            .map_err(|_| Failure::new(ErrorCode::Internal, None, "statistics lock poisoned"))
    }
}

fn result_column(batch: &RecordBatch, name: &str) -> Outcome<ArrayRef> {
    let column = batch.column_by_name(name).ok_or_else(|| {
        Failure::new(
            ErrorCode::MissingField,
            Some(name),
            format!(
                "no column {name:?} of result JSON (assess_arrow(…, result_json=True) adds it)"
            ),
        )
    })?;
    match column.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => Ok(Arc::clone(column)),
        other => Err(Failure::new(
            ErrorCode::InvalidType,
            Some(name),
            format!("column {name:?} holds {other}, not JSON text"),
        )
        .into()),
    }
}

fn add_lines(aggregator: &mut Aggregator, lines: &dyn Array) {
    for row in 0..lines.len() {
        if lines.is_null(row) {
            aggregator.unreadable += 1;
            continue;
        }
        let line = match lines.data_type() {
            DataType::Utf8 => lines.as_string::<i32>().value(row),
            DataType::LargeUtf8 => lines.as_string::<i64>().value(row),
            _ => lines.as_string_view().value(row),
        };
        aggregator.add_line(line.as_bytes());
    }
}

/// The report's rows ([`xborder::stats::Report::rows`]) as one Arrow batch.
fn report_batch(report: &xborder::stats::Report) -> Result<RecordBatch, Failure> {
    let text = |name: &str| Field::new(name, DataType::Utf8, true);
    let schema = Arc::new(Schema::new(vec![
        text("regime"),
        text("currency"),
        text("period"),
        text("dimension"),
        text("key"),
        Field::new("count", DataType::Int64, true),
        text("declared_value"),
        text("duty"),
        text("tax"),
        text("fees"),
        text("revenue"),
        Field::new("suppressed", DataType::Boolean, false),
    ]));
    let mut labels: [StringBuilder; 5] = std::array::from_fn(|_| StringBuilder::new());
    let mut count = Int64Builder::new();
    let mut sums: [StringBuilder; 5] = std::array::from_fn(|_| StringBuilder::new());
    let mut suppressed = BooleanBuilder::new();
    for row in report.rows() {
        let values = [
            row.regime,
            row.currency,
            row.period,
            row.dimension,
            &row.cell.key,
        ];
        for (b, v) in labels.iter_mut().zip(values) {
            b.append_value(v);
        }
        match &row.cell.totals {
            Some(t) => {
                count.append_value(i64::try_from(t.count).unwrap_or(i64::MAX));
                let figures = [t.declared_value, t.duty, t.tax, t.fees, t.revenue];
                for (b, v) in sums.iter_mut().zip(figures) {
                    b.append_value(v.to_string());
                }
            }
            None => {
                count.append_null();
                sums.iter_mut().for_each(StringBuilder::append_null);
            }
        }
        suppressed.append_value(row.cell.totals.is_none());
    }
    let mut arrays: Vec<ArrayRef> = labels
        .iter_mut()
        .map(|b| Arc::new(b.finish()) as ArrayRef)
        .collect();
    arrays.push(Arc::new(count.finish()));
    arrays.extend(sums.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
    arrays.push(Arc::new(suppressed.finish()));
    RecordBatch::try_new(schema, arrays)
        .map_err(|e| Failure::new(ErrorCode::Internal, None, format!("report batch: {e}")))
}
