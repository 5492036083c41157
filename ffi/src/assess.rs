//! Assessing declarations: one JSON document, or an NDJSON batch.
//!
//! Every path ends in `Engine::assess_json_into`, the function the CLI and the WASM package use
//! too, so the JSON written here is byte for byte the core's.

use std::ffi::c_char;

use xborder_core::limits::{MAX_DECLARATION_BYTES, MAX_OPTIONS_BYTES};
use xborder_core::{AssessOptions, Engine, Error, ErrorCode, LineOutcome};

use crate::boundary::{arg_ref, input_bytes, input_str, xb_ffi, Failure, Out};
use crate::engine::XbEngine;
use crate::status::XbStatus;
use crate::strings::OwnedText;

/// The status of a rejected record.
fn record_status(error: &Error) -> XbStatus {
    match error.code {
        ErrorCode::Internal => XbStatus::Internal,
        _ => XbStatus::Rejected,
    }
}

/// Parses the options JSON of the `_with_options` functions with the core's one options
/// grammar (`AssessOptions::from_json`, shared with the WASM and Python packages and the CLI),
/// so the same bad options give the same code and path in every binding. Empty (or blank) text
/// means the defaults. Anything unexpected is `XB_STATUS_INVALID_OPTIONS`, never silently
/// ignored.
pub(crate) fn parse_options(text: &str) -> Result<AssessOptions, Failure> {
    if text.trim().is_empty() {
        return Ok(AssessOptions::default());
    }
    AssessOptions::from_json(text).map_err(|e| Failure::from_core(XbStatus::InvalidOptions, &e))
}

/// Reads the options argument of an `_with_options` function.
///
/// # Safety
///
/// `ptr` must be NULL or point to `len` readable bytes.
pub(crate) unsafe fn options_arg(ptr: *const u8, len: usize) -> Result<AssessOptions, Failure> {
    // SAFETY: forwarded from this function's contract.
    let text = unsafe { input_str(ptr, len, "options", MAX_OPTIONS_BYTES) }?;
    parse_options(text)
}

/// Assesses one declaration into `out`.
pub(crate) fn assess_one(
    engine: &Engine,
    text: &str,
    options: &AssessOptions,
    out: Out<c_char>,
) -> Result<(), Failure> {
    let mut json = OwnedText::with_capacity(1024);
    let error = engine.assess_json_into(text, options, json.buf());
    out.set_text(json);
    match error {
        None => Ok(()),
        Some(r) => Err(Failure::from_core(record_status(&r.error), &r.error)),
    }
}

/// The tally of one NDJSON batch: how many records, how many rejected, and the first
/// rejected line's number and error.
#[derive(Default)]
struct Tally {
    records: usize,
    rejected: usize,
    first: Option<(u64, Error)>,
}

impl Tally {
    fn add(&mut self, line_no: u64, outcome: LineOutcome) {
        match outcome {
            LineOutcome::Blank => {}
            LineOutcome::Assessed => self.records += 1,
            LineOutcome::Rejected(r) => {
                self.records += 1;
                self.rejected += 1;
                if self.first.is_none() {
                    self.first = Some((line_no, r.error));
                }
            }
        }
    }
}

/// Assesses an NDJSON batch: one output line per non-blank input line, in order, exactly as
/// `xborder assess` writes them. Returns the output and the first rejected line's failure.
pub(crate) fn assess_lines(
    engine: &Engine,
    input: &[u8],
    options: &AssessOptions,
) -> (OwnedText, Option<Failure>) {
    // Results are a few times larger than declarations; growing costs little either way.
    let mut out = OwnedText::with_capacity(input.len().saturating_mul(3).saturating_add(64));
    let mut tally = Tally::default();
    // One implementation of a batch for every binding: the CLI, C and WASM write the same
    // bytes for the same lines.
    engine.assess_ndjson_batch(input, options, out.buf(), |line_no, outcome| {
        tally.add(line_no, outcome);
    });
    let Tally {
        records,
        rejected,
        first,
    } = tally;
    let failure = first.map(|(line_no, e)| Failure {
        status: XbStatus::BatchRejected,
        code: e.code.as_str(),
        message: format!(
            "{rejected} of {records} records rejected; the first, on line {line_no}: {}",
            e.message
        ),
        path: e.path,
    });
    (out, failure)
}

fn assess_batch(
    engine: &Engine,
    input: &[u8],
    options: &AssessOptions,
    out: Out<c_char>,
) -> Result<(), Failure> {
    let (json, failure) = assess_lines(engine, input, options);
    out.set_text(json);
    failure.map_or(Ok(()), Err)
}

/// Assesses one declaration: `len` bytes of UTF-8 JSON at `ptr` (no NUL terminator needed),
/// with the default options (no trace; each declaration's own date and regime).
///
/// `*out` receives an owned NUL-terminated JSON string, freed with `xb_string_free`:
/// - `XB_STATUS_OK`: the assessment result (docs/contract.md, "Assessment result").
/// - `XB_STATUS_REJECTED`: the declaration could not be assessed; `*out` holds the error
///   object `{"id":…,"error":{"code","message","path"}}` and `xb_last_error_code()`,
///   `_message()` and `_path()` return the same code, message and path.
/// - `XB_STATUS_INTERNAL`: as `XB_STATUS_REJECTED`, for a bug in xborder.
/// - any other status (`XB_STATUS_NULL_PARAMETER`, `XB_STATUS_INVALID_UTF8`,
///   `XB_STATUS_INPUT_TOO_LARGE` over 1 MiB, `XB_STATUS_PANIC`): `*out` is NULL.
///
/// The JSON is byte for byte what the Rust core, the CLI and the WASM package give.
/// Thread-safe: any number of threads may assess with one engine at once.
///
/// # Safety
///
/// `engine` must be NULL or a live engine; `ptr` must be NULL or point to `len` readable
/// bytes; `out` must be NULL or valid for writing a `char*`.
#[no_mangle]
pub unsafe extern "C" fn xb_assess_json(
    engine: *const XbEngine,
    ptr: *const u8,
    len: usize,
    out: *mut *mut c_char,
) -> XbStatus {
    xb_ffi! {
        // SAFETY: `out` is NULL or writable (contract).
        let out = unsafe { Out::new(out, "out") }?;
        // SAFETY: `engine` is NULL or live (contract).
        let engine = unsafe { arg_ref(engine, "engine") }?;
        // SAFETY: `ptr`/`len` as in the contract.
        let text = unsafe { input_str(ptr, len, "ptr", MAX_DECLARATION_BYTES) }?;
        assess_one(&engine.engine, text, &AssessOptions::default(), out)
    }
}

/// As `xb_assess_json`, with options: `options_len` bytes of UTF-8 JSON at `options_ptr`, an
/// object with any of
/// - `"trace"`: `true` to include the trace (why each number is what it is);
/// - `"date"`: `"YYYY-MM-DD"`, apply the rules of this date instead of the declaration's;
/// - `"regime"`: a regime id (`"EU"`), used whatever the declaration's destination;
/// - `"options"`: readings of uncertain rules, e.g. `{"flat_duty_scope": "ioss_and_postal"}`
///   (`"reject"` makes an assessment that depends on the rule fail).
///
/// An empty options text (`options_len == 0`, `options_ptr` may then be NULL) means the
/// defaults. A malformed options document, an unknown key or a value of the wrong kind gives
/// `XB_STATUS_INVALID_OPTIONS` (code `E_INVALID_OPTION`, or `E_INVALID_DATE` for a date that
/// is not a real date; path the key, relative to the options document: `"date"`,
/// `"options.flat_duty_scope"`) and `*out` NULL; an option name no loaded regime declares, or
/// a reading its regime does not declare, rejects the declaration (`XB_STATUS_REJECTED`, code
/// `E_INVALID_OPTION`, path `"options.<name>"`). The WASM and Python packages read the same
/// document with the same grammar and report the same codes and paths.
///
/// # Safety
///
/// As for `xb_assess_json`; `options_ptr` must be NULL or point to `options_len` readable
/// bytes.
#[no_mangle]
pub unsafe extern "C" fn xb_assess_json_with_options(
    engine: *const XbEngine,
    ptr: *const u8,
    len: usize,
    options_ptr: *const u8,
    options_len: usize,
    out: *mut *mut c_char,
) -> XbStatus {
    xb_ffi! {
        // SAFETY: `out` is NULL or writable (contract).
        let out = unsafe { Out::new(out, "out") }?;
        // SAFETY: `engine` is NULL or live (contract).
        let engine = unsafe { arg_ref(engine, "engine") }?;
        // SAFETY: `ptr`/`len` as in the contract.
        let text = unsafe { input_str(ptr, len, "ptr", MAX_DECLARATION_BYTES) }?;
        // SAFETY: `options_ptr`/`options_len` as in the contract.
        let options = unsafe { options_arg(options_ptr, options_len) }?;
        assess_one(&engine.engine, text, &options, out)
    }
}

/// Assesses an NDJSON batch: `len` bytes at `ptr`, one JSON declaration per line (`\n` or
/// `\r\n`), with the default options.
///
/// `*out` receives one output line per non-blank input line, in input order, each ended by
/// `\n`: the result, or the error object in place for a line that was rejected (as
/// `xborder assess` writes them: a line that is not UTF-8 or longer than 1 MiB gives an
/// `E_INVALID_UTF8` / `E_INPUT_TOO_LARGE` error object with path `"line N"`). Blank lines are
/// skipped. An empty batch gives `""`.
///
/// Returns `XB_STATUS_OK` when every line was assessed and `XB_STATUS_BATCH_REJECTED` when some
/// were rejected; `*out` holds every line in both cases, and after a rejection the
/// `xb_last_error_*` functions describe the first rejected line. For other statuses `*out` is
/// NULL. The batch is assessed on the calling thread; callers wanting parallelism split the
/// batch and call from several threads with the same engine. Only each line is limited in
/// size, so the output of a large batch is large: keep batches to what fits in memory twice.
///
/// # Safety
///
/// `engine` must be NULL or a live engine; `ptr` must be NULL or point to `len` readable
/// bytes; `out` must be NULL or valid for writing a `char*`.
#[no_mangle]
pub unsafe extern "C" fn xb_assess_ndjson(
    engine: *const XbEngine,
    ptr: *const u8,
    len: usize,
    out: *mut *mut c_char,
) -> XbStatus {
    xb_ffi! {
        // SAFETY: `out` is NULL or writable (contract).
        let out = unsafe { Out::new(out, "out") }?;
        // SAFETY: `engine` is NULL or live (contract).
        let engine = unsafe { arg_ref(engine, "engine") }?;
        // SAFETY: `ptr`/`len` as in the contract.
        let input = unsafe { input_bytes(ptr, len, "ptr") }?;
        assess_batch(&engine.engine, input, &AssessOptions::default(), out)
    }
}

/// As `xb_assess_ndjson`, with the options of `xb_assess_json_with_options` applied to every
/// line.
///
/// # Safety
///
/// As for `xb_assess_ndjson`; `options_ptr` must be NULL or point to `options_len` readable
/// bytes.
#[no_mangle]
pub unsafe extern "C" fn xb_assess_ndjson_with_options(
    engine: *const XbEngine,
    ptr: *const u8,
    len: usize,
    options_ptr: *const u8,
    options_len: usize,
    out: *mut *mut c_char,
) -> XbStatus {
    xb_ffi! {
        // SAFETY: `out` is NULL or writable (contract).
        let out = unsafe { Out::new(out, "out") }?;
        // SAFETY: `engine` is NULL or live (contract).
        let engine = unsafe { arg_ref(engine, "engine") }?;
        // SAFETY: `ptr`/`len` as in the contract.
        let input = unsafe { input_bytes(ptr, len, "ptr") }?;
        // SAFETY: `options_ptr`/`options_len` as in the contract.
        let options = unsafe { options_arg(options_ptr, options_len) }?;
        assess_batch(&engine.engine, input, &options, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_strict() {
        assert_eq!(parse_options("").unwrap(), AssessOptions::default());
        assert_eq!(parse_options(" \n").unwrap(), AssessOptions::default());
        let o = parse_options(
            r#"{"trace":true,"date":"2026-07-01","regime":"EU","options":{"flat_duty_scope":"reject"}}"#,
        )
        .unwrap();
        assert!(o.trace);
        assert_eq!(o.date, Some("2026-07-01".parse().unwrap()));
        assert_eq!(o.regime.as_deref(), Some("EU"));
        assert_eq!(o.options["flat_duty_scope"], "reject");
        assert_eq!(parse_options(r#"{"date":null}"#).unwrap().date, None);
        for (bad, code, path) in [
            ("{", "E_INVALID_OPTION", None),
            ("[]", "E_INVALID_OPTION", None),
            (r#"{"trace":"yes"}"#, "E_INVALID_OPTION", Some("trace")),
            (r#"{"date":"2026-02-30"}"#, "E_INVALID_DATE", Some("date")),
            (r#"{"regime":1}"#, "E_INVALID_OPTION", Some("regime")),
            (
                r#"{"options":{"x":1}}"#,
                "E_INVALID_OPTION",
                Some("options.x"),
            ),
            (r#"{"options":[]}"#, "E_INVALID_OPTION", Some("options")),
            (r#"{"trcae":true}"#, "E_INVALID_OPTION", Some("trcae")),
        ] {
            let f = parse_options(bad).unwrap_err();
            assert_eq!(f.status, XbStatus::InvalidOptions, "{bad}");
            assert_eq!(f.code, code, "{bad}");
            assert_eq!(f.path.as_deref(), path, "{bad}");
        }
    }

    #[test]
    fn batch_lines_keep_their_place() {
        let engine = Engine::embedded().unwrap();
        let input = b"{\"id\":\"a\"}\n\n   \r\n\xff\xfe\r\nnot json\n";
        let (out, failure) = assess_lines(&engine, input, &AssessOptions::default());
        let text = String::from_utf8(out.text().to_vec()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(
            lines[0].starts_with(r#"{"id":"a","error":"#),
            "{}",
            lines[0]
        );
        assert!(lines[1].contains("E_INVALID_UTF8") && lines[1].contains("line 4"));
        assert!(lines[2].contains("E_JSON_SYNTAX"), "{}", lines[2]);
        let failure = failure.unwrap();
        assert_eq!(failure.status, XbStatus::BatchRejected);
        assert!(failure
            .message
            .starts_with("3 of 3 records rejected; the first, on line 1"));
        let (out, failure) = assess_lines(&engine, b"", &AssessOptions::default());
        assert!(out.text().is_empty() && failure.is_none());
    }
}
