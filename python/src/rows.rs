//! One declaration per row of flattened Arrow columns, written as the JSON text the core
//! reads, so that a table and an NDJSON file go through one grammar (`Declaration::from_json`)
//! and give the same results.
//!
//! The mapping is the natural one between JSON and Arrow (what `pyarrow.Table.from_pylist`,
//! `polars.read_ndjson` or Spark's `read.json` produce from the declarations): a column per
//! top-level field, a struct for an object (`seller`, `consignee`), a list of structs for an
//! array of objects (`items`, `registrations`). A null is an absent field. Amounts are strings
//! or decimals (written as the exact decimal string, never as a number), dates are strings or
//! `date32`. Every column is a field: a column the declaration format does not know is
//! refused by the core (`E_UNKNOWN_FIELD`), exactly as in JSON.

use std::io::Write as _;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Decimal128Type, DecimalType, Float32Type, Float64Type, Int16Type, Int32Type,
    Int64Type, Int8Type, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field};
use xborder::ErrorCode;

use crate::boundary::Failure;

/// Writes the rows of a batch of flattened declaration columns as JSON objects.
pub(crate) struct RowWriter {
    /// `(JSON-escaped key with its quotes, column)`.
    columns: Vec<(String, ArrayRef)>,
}

impl RowWriter {
    /// Checks every column's type (recursively) and prepares the keys.
    pub(crate) fn new(batch: &RecordBatch) -> Result<RowWriter, Failure> {
        let schema = batch.schema();
        let mut columns = Vec::with_capacity(batch.num_columns());
        for (field, column) in schema.fields().iter().zip(batch.columns()) {
            check(field, field.name())?;
            columns.push((quoted(field.name()), column.clone()));
        }
        Ok(RowWriter { columns })
    }

    /// Replaces `out` with row `row` as a JSON object (UTF-8: only text and ASCII is written).
    pub(crate) fn write(&self, row: usize, out: &mut Vec<u8>) {
        out.clear();
        out.push(b'{');
        let mut first = true;
        for (key, column) in &self.columns {
            if column.is_null(row) {
                continue;
            }
            if !first {
                out.push(b',');
            }
            first = false;
            out.extend_from_slice(key.as_bytes());
            out.push(b':');
            value(column.as_ref(), row, out);
        }
        out.push(b'}');
    }
}

/// Refuses, before any row is read, an Arrow type that has no place in a declaration.
fn check(field: &Field, path: &str) -> Result<(), Failure> {
    match field.data_type() {
        DataType::Null
        | DataType::Boolean
        | DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64
        | DataType::Float32
        | DataType::Float64
        | DataType::Utf8
        | DataType::LargeUtf8
        | DataType::Utf8View
        | DataType::Decimal128(_, _)
        | DataType::Date32 => Ok(()),
        DataType::Struct(fields) => fields
            .iter()
            .try_for_each(|f| check(f, &format!("{path}.{}", f.name()))),
        DataType::List(item) | DataType::LargeList(item) | DataType::FixedSizeList(item, _) => {
            check(item, &format!("{path}[]"))
        }
        DataType::Dictionary(_, values)
            if matches!(
                values.as_ref(),
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
            ) =>
        {
            Ok(())
        }
        other => Err(Failure::new(
            ErrorCode::InvalidType,
            Some(path),
            format!(
                "column {path:?} has Arrow type {other}, which has no JSON form in a \
                 declaration: use strings (or decimal128 for amounts, date32 for dates), \
                 integers, booleans, structs and lists"
            ),
        )),
    }
}

/// Writes `array[row]` (not null) as JSON.
fn value(array: &dyn Array, row: usize, out: &mut Vec<u8>) {
    if array.is_null(row) {
        out.extend_from_slice(b"null");
        return;
    }
    match array.data_type() {
        DataType::Boolean => out.extend_from_slice(if array.as_boolean().value(row) {
            b"true"
        } else {
            b"false"
        }),
        DataType::Int8 => number(out, array.as_primitive::<Int8Type>().value(row)),
        DataType::Int16 => number(out, array.as_primitive::<Int16Type>().value(row)),
        DataType::Int32 => number(out, array.as_primitive::<Int32Type>().value(row)),
        DataType::Int64 => number(out, array.as_primitive::<Int64Type>().value(row)),
        DataType::UInt8 => number(out, array.as_primitive::<UInt8Type>().value(row)),
        DataType::UInt16 => number(out, array.as_primitive::<UInt16Type>().value(row)),
        DataType::UInt32 => number(out, array.as_primitive::<UInt32Type>().value(row)),
        DataType::UInt64 => number(out, array.as_primitive::<UInt64Type>().value(row)),
        // Quantities and masses may be numbers (DESIGN.md); an amount given as a float is
        // refused by the core (E_INVALID_AMOUNT), as a JSON number would be.
        DataType::Float32 => float(
            out,
            f64::from(array.as_primitive::<Float32Type>().value(row)),
        ),
        DataType::Float64 => float(out, array.as_primitive::<Float64Type>().value(row)),
        DataType::Utf8 => string(out, array.as_string::<i32>().value(row)),
        DataType::LargeUtf8 => string(out, array.as_string::<i64>().value(row)),
        DataType::Utf8View => string(out, array.as_string_view().value(row)),
        DataType::Decimal128(precision, scale) => {
            let v = array.as_primitive::<Decimal128Type>().value(row);
            string(out, &Decimal128Type::format_decimal(v, *precision, *scale));
        }
        DataType::Date32 => {
            match Date32Type::to_naive_date_opt(array.as_primitive::<Date32Type>().value(row)) {
                Some(d) => string(out, &d.format("%Y-%m-%d").to_string()),
                None => out.extend_from_slice(b"null"),
            }
        }
        DataType::Struct(_) => {
            let s = array.as_struct();
            out.push(b'{');
            let mut first = true;
            for (field, column) in s.fields().iter().zip(s.columns()) {
                if column.is_null(row) {
                    continue;
                }
                if !first {
                    out.push(b',');
                }
                first = false;
                string(out, field.name());
                out.push(b':');
                value(column.as_ref(), row, out);
            }
            out.push(b'}');
        }
        DataType::List(_) => list(out, &array.as_list::<i32>().value(row)),
        DataType::LargeList(_) => list(out, &array.as_list::<i64>().value(row)),
        DataType::FixedSizeList(_, _) => list(out, &array.as_fixed_size_list().value(row)),
        DataType::Dictionary(_, _) => {
            let d = array.as_any_dictionary();
            match dictionary_key(d.keys(), row) {
                Some(key) if key < d.values().len() => value(d.values().as_ref(), key, out),
                _ => out.extend_from_slice(b"null"),
            }
        }
        // `check` refused every other type before the first row.
        other => unreachable!("type {other} passed the schema check"),
    }
}

/// The dictionary index at `row` (dictionary keys are integers).
fn dictionary_key(keys: &dyn Array, row: usize) -> Option<usize> {
    let key = match keys.data_type() {
        DataType::Int8 => i64::from(keys.as_primitive::<Int8Type>().value(row)),
        DataType::Int16 => i64::from(keys.as_primitive::<Int16Type>().value(row)),
        DataType::Int32 => i64::from(keys.as_primitive::<Int32Type>().value(row)),
        DataType::Int64 => keys.as_primitive::<Int64Type>().value(row),
        DataType::UInt8 => i64::from(keys.as_primitive::<UInt8Type>().value(row)),
        DataType::UInt16 => i64::from(keys.as_primitive::<UInt16Type>().value(row)),
        DataType::UInt32 => i64::from(keys.as_primitive::<UInt32Type>().value(row)),
        DataType::UInt64 => i64::try_from(keys.as_primitive::<UInt64Type>().value(row)).ok()?,
        _ => return None,
    };
    usize::try_from(key).ok()
}

fn list(out: &mut Vec<u8>, items: &ArrayRef) {
    out.push(b'[');
    for i in 0..items.len() {
        if i > 0 {
            out.push(b',');
        }
        value(items.as_ref(), i, out);
    }
    out.push(b']');
}

fn number(out: &mut Vec<u8>, v: impl std::fmt::Display) {
    let _ = write!(out, "{v}");
}

fn float(out: &mut Vec<u8>, v: f64) {
    if v.is_finite() {
        // The shortest text that reads back as the same double (`0.25`, `1.1`), as JSON
        // producers write it.
        let _ = serde_json::to_writer(&mut *out, &v);
    } else {
        out.extend_from_slice(b"null");
    }
}

/// `s` as a JSON string, with serde_json's escaping, so that any text round-trips.
fn string(out: &mut Vec<u8>, s: &str) {
    let _ = serde_json::to_writer(&mut *out, s);
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}
