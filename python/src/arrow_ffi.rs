//! Arrow data in and out through the Arrow C data and C stream interfaces, handed over as
//! PyCapsules (the Arrow PyCapsule protocol: `__arrow_c_stream__`, `__arrow_c_array__`).
//!
//! Any producer of the protocol works as input: a `pyarrow.Table`, `RecordBatch` or
//! `RecordBatchReader`, a Polars or pandas `DataFrame`, DuckDB results; columns are moved, not
//! copied, and no Python object is made per row. Output is a stream object that
//! `pyarrow.table()` (or any consumer of the protocol) imports.

use std::ffi::CStr;
use std::sync::Mutex;

use arrow_array::ffi::{from_ffi, FFI_ArrowArray, FFI_ArrowSchema};
use arrow_array::ffi_stream::{FFI_ArrowArrayStream, RecordBatchStreamReader};
use arrow_array::{RecordBatch, RecordBatchIterator, StructArray};
use arrow_schema::{ArrowError, SchemaRef};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyTuple};
use xborder::ErrorCode;

use crate::boundary::{Failure, Outcome};

const STREAM: &CStr = c"arrow_array_stream";
const SCHEMA: &CStr = c"arrow_schema";
const ARRAY: &CStr = c"arrow_array";

/// Record batches read from a Python object, one at a time.
pub(crate) enum Batches {
    /// A C stream (`__arrow_c_stream__`): batches are pulled as they are needed.
    Stream(RecordBatchStreamReader),
    /// One batch (`__arrow_c_array__` of a struct array), or batches from a list of objects.
    Ready(std::vec::IntoIter<RecordBatch>),
}

impl Batches {
    /// The next batch. Pulling from a stream may call back into its producer, which takes
    /// the GIL itself when it needs it (pyarrow does), so the caller may hold it or not.
    pub(crate) fn next_batch(&mut self) -> Outcome<Option<RecordBatch>> {
        match self {
            Batches::Stream(reader) => reader.next().transpose().map_err(arrow_failure),
            Batches::Ready(batches) => Ok(batches.next()),
        }
    }
}

/// Reads `data`: an object with `__arrow_c_stream__` or `__arrow_c_array__`, or a list of such
/// objects (each a table or a batch).
pub(crate) fn import(data: &Bound<'_, PyAny>) -> Outcome<Batches> {
    if data.hasattr("__arrow_c_stream__")? {
        return import_stream(data).map(Batches::Stream);
    }
    if data.hasattr("__arrow_c_array__")? {
        return Ok(Batches::Ready(vec![import_batch(data)?].into_iter()));
    }
    if data.is_instance_of::<pyo3::types::PyList>() || data.is_instance_of::<PyTuple>() {
        let mut all = Vec::new();
        for item in data.try_iter()? {
            let mut batches = import(&item?)?;
            while let Some(batch) = batches.next_batch()? {
                all.push(batch);
            }
        }
        return Ok(Batches::Ready(all.into_iter()));
    }
    Err(Failure::new(
        ErrorCode::InvalidType,
        Some("data"),
        format!(
            "expected Arrow data (a pyarrow Table, RecordBatch or RecordBatchReader, a Polars or \
             pandas DataFrame: anything with __arrow_c_stream__ or __arrow_c_array__), or a list \
             of them, not {}",
            data.get_type().name()?
        ),
    )
    .into())
}

fn import_stream(data: &Bound<'_, PyAny>) -> Outcome<RecordBatchStreamReader> {
    let capsule = data.call_method0("__arrow_c_stream__")?;
    let capsule = capsule
        .cast::<PyCapsule>()
        .map_err(|_| not_capsule("__arrow_c_stream__"))?;
    let pointer = capsule.pointer_checked(Some(STREAM))?;
    // SAFETY: the capsule is named "arrow_array_stream", so by the PyCapsule protocol it holds
    // a valid FFI_ArrowArrayStream. `from_raw` moves the stream out and leaves a released one
    // behind, which the capsule's destructor then frees without releasing it twice.
    unsafe { RecordBatchStreamReader::from_raw(pointer.as_ptr().cast::<FFI_ArrowArrayStream>()) }
        .map_err(arrow_failure)
}

fn import_batch(data: &Bound<'_, PyAny>) -> Outcome<RecordBatch> {
    let pair = data.call_method0("__arrow_c_array__")?;
    let (schema, array): (Bound<'_, PyAny>, Bound<'_, PyAny>) = pair.extract()?;
    let schema = schema
        .cast::<PyCapsule>()
        .map_err(|_| not_capsule("__arrow_c_array__"))?;
    let array = array
        .cast::<PyCapsule>()
        .map_err(|_| not_capsule("__arrow_c_array__"))?;
    let schema_ptr = schema.pointer_checked(Some(SCHEMA))?;
    let array_ptr = array.pointer_checked(Some(ARRAY))?;
    // SAFETY: the capsules are named "arrow_schema" and "arrow_array", so they hold a valid
    // FFI_ArrowSchema and FFI_ArrowArray. The array is moved out (its capsule then frees an
    // empty struct); the schema is only borrowed and stays owned by its capsule, which is
    // alive until the end of this function.
    let data = unsafe {
        let array = FFI_ArrowArray::from_raw(array_ptr.as_ptr().cast::<FFI_ArrowArray>());
        let schema = &*schema_ptr.as_ptr().cast::<FFI_ArrowSchema>();
        from_ffi(array, schema)
    }
    .map_err(arrow_failure)?;
    if !matches!(data.data_type(), arrow_schema::DataType::Struct(_)) {
        return Err(Failure::new(
            ErrorCode::InvalidType,
            Some("data"),
            format!(
                "an Arrow array of {} is not a table: pass a Table or RecordBatch",
                data.data_type()
            ),
        )
        .into());
    }
    Ok(RecordBatch::from(StructArray::from(data)))
}

/// Assessment results on their way to Python: `__arrow_c_stream__` hands them over once.
#[pyclass(module = "xborder", name = "_ResultStream")]
pub(crate) struct ResultStream {
    batches: Mutex<Option<(SchemaRef, Vec<RecordBatch>)>>,
}

impl ResultStream {
    pub(crate) fn new(schema: SchemaRef, batches: Vec<RecordBatch>) -> ResultStream {
        ResultStream {
            batches: Mutex::new(Some((schema, batches))),
        }
    }
}

#[pymethods]
impl ResultStream {
    /// The Arrow PyCapsule protocol. `requested_schema` is ignored: the result columns have
    /// one schema (docs/python.md).
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let taken = self
            .batches
            .lock()
            .map_err(|_| pyo3::exceptions::PyRuntimeError::new_err("result stream poisoned"))?
            .take();
        let (schema, batches) = taken.ok_or_else(|| {
            pyo3::exceptions::PyRuntimeError::new_err("the result stream was already consumed")
        })?;
        let reader = RecordBatchIterator::new(batches.into_iter().map(Ok), schema);
        let stream = FFI_ArrowArrayStream::new(Box::new(reader));
        // The capsule owns the stream; a consumer moves it out, and an unconsumed stream is
        // released by FFI_ArrowArrayStream's Drop when the capsule is destroyed.
        PyCapsule::new_with_value(py, stream, STREAM)
    }
}

fn not_capsule(method: &str) -> Failure {
    Failure::new(
        ErrorCode::InvalidType,
        Some("data"),
        format!("{method}() did not return an Arrow PyCapsule"),
    )
}

fn arrow_failure(e: ArrowError) -> crate::boundary::Raised {
    Failure::new(
        ErrorCode::InvalidType,
        Some("data"),
        format!("Arrow data: {e}"),
    )
    .into()
}
