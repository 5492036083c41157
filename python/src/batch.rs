//! `Engine.assess_arrow`: Arrow batches of declarations in, flat result columns out, one row
//! per input row in input order, a rejected declaration as a row with its error columns set.
//!
//! Each input batch is read with the GIL held (its producer may need it) and assessed with the
//! GIL released. Amount columns are decimal strings: see `docs/python.md`, "Result columns".

use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Int8Builder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use serde::Serialize;
use xborder::{AssessOptions, Assessment, Engine, ErrorCode};

use crate::boundary::Failure;
use crate::rows::RowWriter;

/// At most this many rows per output batch, so that no string column outgrows the 2 GiB that
/// Arrow's 32-bit offsets (and Spark) allow.
const ROWS_PER_BATCH: usize = 16 * 1024;
/// An output batch is closed early once its result JSON passes this many bytes.
const JSON_BYTES_PER_BATCH: usize = 512 << 20;

/// The string columns of the result, in order, after `id`.
const TEXT_COLUMNS: [&str; 4] = ["regime", "regime_version", "currency", "date"];
/// The amount columns: decimal strings in the result's currency.
pub(crate) const AMOUNT_COLUMNS: [&str; 9] = [
    "intrinsic_value",
    "customs_value",
    "duty_total",
    "tax_total",
    "fee_total",
    "total_payable",
    "due_at_sale",
    "due_at_import",
    "landed_cost",
];
const OUTCOME_COLUMNS: [&str; 5] = [
    "collection_model",
    "collection_scheme",
    "collection_collector",
    "collection_when",
    "release_decision",
];
const ERROR_COLUMNS: [&str; 3] = ["error_code", "error_path", "error_message"];

/// The schema of `assess_arrow`'s output; `result` (the JSON line `xborder assess` writes)
/// only when asked for.
pub(crate) fn schema(with_json: bool) -> SchemaRef {
    let text = |name: &str| Field::new(name, DataType::Utf8, true);
    let mut fields = vec![text("id")];
    fields.extend(TEXT_COLUMNS.iter().map(|n| text(n)));
    fields.push(Field::new("category_code", DataType::Int8, true));
    fields.push(text("category_name"));
    fields.push(Field::new("category_sample", DataType::Boolean, true));
    fields.extend(AMOUNT_COLUMNS.iter().map(|n| text(n)));
    fields.extend(OUTCOME_COLUMNS.iter().map(|n| text(n)));
    fields.extend(ERROR_COLUMNS.iter().map(|n| text(n)));
    if with_json {
        fields.push(text("result"));
    }
    Arc::new(Schema::new(fields))
}

/// Where the declarations are in a batch.
pub(crate) enum Source {
    /// One JSON declaration per row in the named string column.
    Json(String),
    /// The declaration's fields as columns (`rows.rs`).
    Flat,
}

impl Source {
    /// A column named `declaration` holds JSON text; otherwise the columns are the fields.
    pub(crate) fn of(batch: &RecordBatch) -> Source {
        match batch.schema().column_with_name("declaration") {
            Some(_) => Source::Json("declaration".to_string()),
            None => Source::Flat,
        }
    }
}

/// The assessment of every row of `batch`, appended to `out` as result batches.
pub(crate) fn assess_batch(
    engine: &Engine,
    options: &AssessOptions,
    batch: &RecordBatch,
    source: &Source,
    with_json: bool,
    out: &mut Vec<RecordBatch>,
) -> Result<(), Failure> {
    let mut columns = Columns::new(with_json, batch.num_rows().min(ROWS_PER_BATCH));
    let mut text = Vec::with_capacity(2048);
    match source {
        Source::Json(name) => {
            let column = json_column(batch, name)?;
            for row in 0..batch.num_rows() {
                match json_text(column.as_ref(), row) {
                    Some(t) => columns.assess(engine, options, t),
                    None => columns.null_declaration(),
                }
                columns.flush_if_full(out)?;
            }
        }
        Source::Flat => {
            let writer = RowWriter::new(batch)?;
            for row in 0..batch.num_rows() {
                writer.write(row, &mut text);
                match std::str::from_utf8(&text) {
                    Ok(t) => columns.assess(engine, options, t),
                    // Only text and ASCII are written; should that ever break, the row says so.
                    Err(e) => columns.reject(
                        None,
                        &xborder::Error::new(ErrorCode::Internal, format!("row text: {e}")),
                        None,
                    ),
                }
                columns.flush_if_full(out)?;
            }
        }
    }
    columns.flush(out)
}

fn json_column(batch: &RecordBatch, name: &str) -> Result<ArrayRef, Failure> {
    let column = batch.column_by_name(name).ok_or_else(|| {
        Failure::new(
            ErrorCode::MissingField,
            Some(name),
            format!("the data has no column {name:?} of JSON declarations"),
        )
    })?;
    match column.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => Ok(column.clone()),
        other => Err(Failure::new(
            ErrorCode::InvalidType,
            Some(name),
            format!("column {name:?} holds {other}, not JSON text (a string column)"),
        )),
    }
}

fn json_text(column: &dyn Array, row: usize) -> Option<&str> {
    if column.is_null(row) {
        return None;
    }
    Some(match column.data_type() {
        DataType::Utf8 => column.as_string::<i32>().value(row),
        DataType::LargeUtf8 => column.as_string::<i64>().value(row),
        _ => column.as_string_view().value(row),
    })
}

/// The result columns being built.
struct Columns {
    id: StringBuilder,
    text: [StringBuilder; TEXT_COLUMNS.len()],
    category_code: Int8Builder,
    category_name: StringBuilder,
    category_sample: BooleanBuilder,
    amounts: [StringBuilder; AMOUNT_COLUMNS.len()],
    outcome: [StringBuilder; OUTCOME_COLUMNS.len()],
    error: [StringBuilder; ERROR_COLUMNS.len()],
    json: Option<StringBuilder>,
    rows: usize,
    /// Scratch for enum names written by serde.
    scratch: Vec<u8>,
    schema: SchemaRef,
}

impl Columns {
    fn new(with_json: bool, rows: usize) -> Columns {
        let strings = || StringBuilder::with_capacity(rows, rows * 8);
        Columns {
            id: strings(),
            text: std::array::from_fn(|_| strings()),
            category_code: Int8Builder::with_capacity(rows),
            category_name: strings(),
            category_sample: BooleanBuilder::with_capacity(rows),
            amounts: std::array::from_fn(|_| strings()),
            outcome: std::array::from_fn(|_| strings()),
            error: std::array::from_fn(|_| strings()),
            json: with_json.then(|| StringBuilder::with_capacity(rows, rows * 1024)),
            rows: 0,
            scratch: Vec::with_capacity(32),
            schema: schema(with_json),
        }
    }

    /// Assesses one declaration's JSON text and appends its row.
    fn assess(&mut self, engine: &Engine, options: &AssessOptions, text: &str) {
        match engine.assess_record(text, options) {
            Ok(result) => self.accept(&result),
            Err(rejection) => {
                // The CLI's exact error record, with the id the core could read.
                let record = rejection.to_json();
                self.reject(rejection.id.as_deref(), &rejection.error, Some(&record));
            }
        }
    }

    fn accept(&mut self, a: &Assessment) {
        use std::fmt::Write as _;
        self.id.append_value(a.id.as_str());
        let texts: [&dyn std::fmt::Display; TEXT_COLUMNS.len()] =
            [&a.regime, &a.regime_version, &a.currency, &a.date];
        for (b, v) in self.text.iter_mut().zip(texts) {
            let _ = write!(b, "{v}");
            b.append_value("");
        }
        self.category_code
            .append_value(i8::try_from(a.category.code).unwrap_or(i8::MAX));
        self.category_name.append_value(a.category.name.as_str());
        self.category_sample.append_value(a.category.sample);
        let amounts = [
            a.intrinsic_value,
            a.customs_value,
            a.duty_total,
            a.tax_total,
            a.fee_total,
            a.total_payable,
            a.due_at_sale,
            a.due_at_import,
            a.landed_cost,
        ];
        for (b, v) in self.amounts.iter_mut().zip(amounts) {
            // Amount's Display is its JSON text: the same digits as in the result.
            let _ = write!(b, "{v}");
            b.append_value("");
        }
        let c = &a.collection;
        let [model, scheme, collector, when, decision] = &mut self.outcome;
        name(&mut self.scratch, model, &c.model);
        scheme.append_option(c.scheme.as_deref());
        name(&mut self.scratch, collector, &c.collector);
        name(&mut self.scratch, when, &c.when);
        name(&mut self.scratch, decision, &a.release.decision);
        for b in &mut self.error {
            b.append_null();
        }
        if let Some(json) = &mut self.json {
            // The serializer `Engine::assess_json_into` uses: the CLI's bytes.
            self.scratch.clear();
            match serde_json::to_writer(&mut self.scratch, a) {
                Ok(()) => json.append_value(String::from_utf8_lossy(&self.scratch)),
                Err(e) => json.append_value(xborder::error_json(
                    Some(a.id.to_string()),
                    &xborder::Error::new(
                        ErrorCode::Internal,
                        format!("result did not serialize: {e}"),
                    ),
                )),
            }
        }
        self.rows += 1;
    }

    /// A row for a rejected declaration: id (when known), error columns and record.
    fn reject(&mut self, id: Option<&str>, error: &xborder::Error, record: Option<&str>) {
        self.id.append_option(id);
        for b in &mut self.text {
            b.append_null();
        }
        self.category_code.append_null();
        self.category_name.append_null();
        self.category_sample.append_null();
        for b in self.amounts.iter_mut().chain(&mut self.outcome) {
            b.append_null();
        }
        let [code, path, message] = &mut self.error;
        code.append_value(error.code.as_str());
        path.append_option(error.path.as_deref());
        message.append_value(&error.message);
        if let Some(json) = &mut self.json {
            match record {
                Some(r) => json.append_value(r),
                None => json.append_value(xborder::error_json(id.map(str::to_string), error)),
            }
        }
        self.rows += 1;
    }

    /// A null in the JSON column: no declaration to assess.
    fn null_declaration(&mut self) {
        let error = xborder::Error::new(
            ErrorCode::MissingField,
            "the row's declaration is null (no JSON text)",
        );
        self.reject(None, &error, None);
    }

    fn flush_if_full(&mut self, out: &mut Vec<RecordBatch>) -> Result<(), Failure> {
        let json_bytes = self.json.as_ref().map_or(0, |j| j.values_slice().len());
        if self.rows >= ROWS_PER_BATCH || json_bytes >= JSON_BYTES_PER_BATCH {
            self.flush(out)?;
        }
        Ok(())
    }

    /// Closes the rows built so far into a batch (none when there are none).
    fn flush(&mut self, out: &mut Vec<RecordBatch>) -> Result<(), Failure> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut arrays: Vec<ArrayRef> = vec![Arc::new(self.id.finish())];
        arrays.extend(
            self.text
                .iter_mut()
                .map(|b| Arc::new(b.finish()) as ArrayRef),
        );
        arrays.push(Arc::new(self.category_code.finish()));
        arrays.push(Arc::new(self.category_name.finish()));
        arrays.push(Arc::new(self.category_sample.finish()));
        for b in self
            .amounts
            .iter_mut()
            .chain(&mut self.outcome)
            .chain(&mut self.error)
        {
            arrays.push(Arc::new(b.finish()));
        }
        if let Some(json) = &mut self.json {
            arrays.push(Arc::new(json.finish()));
        }
        self.rows = 0;
        let batch = RecordBatch::try_new(self.schema.clone(), arrays)
            .map_err(|e| Failure::new(ErrorCode::Internal, None, format!("result batch: {e}")))?;
        out.push(batch);
        Ok(())
    }
}

/// Appends the serde name of a unit enum (`vendor`, `at_sale`, `release_after_payment`): the
/// word the result JSON holds.
fn name(scratch: &mut Vec<u8>, builder: &mut StringBuilder, value: &impl Serialize) {
    scratch.clear();
    match serde_json::to_writer(&mut *scratch, value) {
        Ok(()) => {
            let text = String::from_utf8_lossy(scratch);
            builder.append_value(text.trim_matches('"'));
        }
        Err(_) => builder.append_null(),
    }
}
