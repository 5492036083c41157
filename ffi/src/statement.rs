//! Collector statements (`docs/statements.md`): `XbStatement`, an opaque handle around the
//! core's `StatementBuilder`, fed one declaration at a time.
//!
//! A handle rather than one call over a batch because the core's builder is a running total:
//! memory grows with the number of accounts, never with the number of declarations, so a
//! month of traffic can be fed from a stream without holding it. `xborder statement` folds
//! its input the same way (`Declaration::from_json`, `Engine::assess`,
//! `StatementBuilder::add`), so the statement's bytes are the CLI's (compact rather than
//! pretty-printed JSON; the CSV is the same text).

use std::ffi::c_char;

use xborder_core::limits::MAX_DECLARATION_BYTES;
use xborder_core::statement::{Period, Statement, StatementBuilder};
use xborder_core::{Declaration, ErrorCode};

use crate::assess::options_arg;
use crate::boundary::{arg_mut, arg_ref, input_str, xb_ffi, Failure, Out};
use crate::engine::XbEngine;
use crate::status::XbStatus;
use crate::strings::OwnedText;

/// A collector statement being built: what each collecting operator owes, to whom, per
/// period (FoS Standard 5, account-based system).
///
/// Opaque. Made by `xb_statement_new`, fed by `xb_statement_add`, read by
/// `xb_statement_json` / `xb_statement_csv` (as often as wanted), freed by
/// `xb_statement_free`.
///
/// Thread safety: a statement may be moved between threads but not used by two threads at
/// once.
pub struct XbStatement {
    builder: StatementBuilder,
}

// The thread-safety promised above.
const _: () = {
    const fn moved_between_threads<T: Send>() {}
    moved_between_threads::<XbStatement>();
};

/// Starts an empty statement over `period`: `period_len` bytes at `period`, `day`, `month` or
/// `quarter` (the period of `xborder statement --period`); empty (`period_len == 0`) is
/// `month`, the CLI's default.
///
/// On `XB_STATUS_OK`, `*out` is a new statement to be freed with `xb_statement_free`;
/// otherwise `*out` is NULL. Another period gives `XB_STATUS_INVALID_ARGUMENT` (code
/// `E_INVALID_VALUE`, path `period`).
///
/// # Safety
///
/// `period` must be NULL or point to `period_len` readable bytes; `out` must be NULL or valid
/// for writing an `XbStatement*`.
#[no_mangle]
pub unsafe extern "C" fn xb_statement_new(
    period: *const u8,
    period_len: usize,
    out: *mut *mut XbStatement,
) -> XbStatus {
    xb_ffi! {
        // SAFETY: `out` is NULL or writable (contract).
        let out = unsafe { Out::new(out, "out") }?;
        // SAFETY: `period`/`period_len` as in the contract. 16 bytes hold every period.
        let text = unsafe { input_str(period, period_len, "period", 16) }?;
        let period = match text {
            "" => Period::default(),
            other => Period::parse(other).ok_or_else(|| {
                Failure::argument(
                    "period",
                    ErrorCode::InvalidValue,
                    format!("period {other:?}: choose day, month or quarter"),
                )
            })?,
        };
        let statement = Box::new(XbStatement { builder: StatementBuilder::new(period) });
        out.set(Box::into_raw(statement));
        Ok(())
    }
}

/// Frees a statement. NULL is accepted and ignored.
///
/// # Safety
///
/// `statement` must be NULL or a statement from `xb_statement_new` not freed yet.
#[no_mangle]
pub unsafe extern "C" fn xb_statement_free(statement: *mut XbStatement) {
    xb_ffi!(value => {
        if !statement.is_null() {
            // SAFETY: `statement` came from Box::into_raw and is freed once (contract).
            drop(unsafe { Box::from_raw(statement) });
        }
    })
}

/// Assesses one declaration (`len` bytes of UTF-8 JSON at `ptr`, at most 1 MiB) with
/// `engine` and the options of `xb_assess_json_with_options` (`options_len` bytes at
/// `options_ptr`; empty means the defaults), and adds what it owes to the statement's
/// accounts, as `xborder statement` does for each record.
///
/// Returns `XB_STATUS_OK` when the declaration was added. A declaration that cannot be
/// assessed is left out of the statement and gives `XB_STATUS_REJECTED`, with its code,
/// message and path in `xb_last_error_*` (the CLI reports it on its standard error and goes
/// on); the statement is unchanged and can be fed further. `E_OVERFLOW` (sums beyond
/// 7.9 × 10²⁸) is reported the same way but leaves the statement partly updated: free it.
/// Argument errors are `XB_STATUS_NULL_PARAMETER`, `XB_STATUS_INVALID_UTF8`,
/// `XB_STATUS_INPUT_TOO_LARGE` and `XB_STATUS_INVALID_OPTIONS`.
///
/// # Safety
///
/// `statement` must be NULL or a live statement that no other thread is using; `engine`
/// must be NULL or a live engine; `ptr` must be NULL or point to `len` readable bytes;
/// `options_ptr` must be NULL or point to `options_len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn xb_statement_add(
    statement: *mut XbStatement,
    engine: *const XbEngine,
    ptr: *const u8,
    len: usize,
    options_ptr: *const u8,
    options_len: usize,
) -> XbStatus {
    xb_ffi! {
        // SAFETY: `statement` is NULL or live and used by this thread only (contract).
        let statement = unsafe { arg_mut(statement, "statement") }?;
        // SAFETY: `engine` is NULL or live (contract).
        let engine = unsafe { arg_ref(engine, "engine") }?;
        // SAFETY: `ptr`/`len` as in the contract.
        let text = unsafe { input_str(ptr, len, "ptr", MAX_DECLARATION_BYTES) }?;
        // SAFETY: `options_ptr`/`options_len` as in the contract.
        let options = unsafe { options_arg(options_ptr, options_len) }?;
        let engine = &engine.engine;
        let declaration = Declaration::from_json(text).map_err(|e| Failure::rejected(&e))?;
        let result = engine
            .assess(&declaration, &options)
            .map_err(|e| Failure::rejected(&e))?;
        statement
            .builder
            .add(&declaration, &result, Some(engine))
            .map_err(|e| Failure::rejected(&e))
    }
}

/// The statement so far, written by `write`, into `out`; `XB_STATUS_INTERNAL` (with the
/// text all the same) when it does not reconcile with its assessments, a bug.
///
/// # Safety
///
/// `statement` must be NULL or a live statement that no other thread is changing; `out` must
/// be NULL or valid for writing a `char*`.
unsafe fn publish(
    statement: *const XbStatement,
    out: *mut *mut c_char,
    write: impl FnOnce(&Statement, &mut Vec<u8>) -> Result<(), Failure>,
) -> Result<(), Failure> {
    // SAFETY: `out` is NULL or writable (contract).
    let out = unsafe { Out::new(out, "out") }?;
    // SAFETY: `statement` is NULL or live and not changed during the call (contract).
    let statement = unsafe { arg_ref(statement, "statement") }?;
    let finished = statement.builder.finish();
    let mut text = OwnedText::with_capacity(4096);
    write(&finished, text.buf())?;
    out.set_text(text);
    if finished.reconciles() {
        Ok(())
    } else {
        Err(Failure::internal(
            "the statement does not reconcile with its assessments; please report this bug",
        ))
    }
}

/// The statement so far as JSON: `{"period","accounts":[{"regime","currency","period",
/// "operator":{"role","name","scheme","registration"},"consignments","lines":[…],"total"}],
/// "reconciliation":[{"currency","consignments","assessed_total_payable","statement_total",
/// "difference"}]}`, the document of `xborder statement` (`docs/statements.md`) written
/// compactly. The statement is not consumed: it can be fed further and read again.
///
/// On `XB_STATUS_OK`, `*out` is an owned NUL-terminated string to be freed with
/// `xb_string_free`. `XB_STATUS_INTERNAL` (a bug) means the totals do not reconcile with the
/// assessments; `*out` then holds the statement all the same, whose `reconciliation` shows
/// the difference. Otherwise `*out` is NULL.
///
/// # Safety
///
/// `statement` must be NULL or a live statement that no other thread is changing; `out` must
/// be NULL or valid for writing a `char*`.
#[no_mangle]
pub unsafe extern "C" fn xb_statement_json(
    statement: *const XbStatement,
    out: *mut *mut c_char,
) -> XbStatus {
    xb_ffi! {
        // SAFETY: forwarded from this function's contract.
        unsafe {
            publish(statement, out, |s, buf| {
                serde_json::to_writer(buf, s).map_err(|e| {
                    Failure::internal(format!("statement did not serialize: {e}"))
                })
            })
        }
    }
}

/// The statement so far as CSV, the text of `xborder statement --format csv`: a header row,
/// then one row per account line with the account's identity repeated (`period`, `regime`,
/// `currency`, `operator_role`, `operator_name`, `scheme`, `registration`, `member_state`,
/// `component`, `kind`, `rate`, `charged`, `owed_to`, `consignments`, `base`, `amount`).
/// A NUL character in a declared name, which a C string cannot hold, is written as `\0`.
/// Statuses and ownership as for `xb_statement_json`.
///
/// # Safety
///
/// As for `xb_statement_json`.
#[no_mangle]
pub unsafe extern "C" fn xb_statement_csv(
    statement: *const XbStatement,
    out: *mut *mut c_char,
) -> XbStatus {
    xb_ffi! {
        // SAFETY: forwarded from this function's contract.
        unsafe {
            publish(statement, out, |s, buf| {
                // A C string cannot hold a NUL, which a declared name may contain (JSON
                // `\u0000`); it is written as `\0`, as in `xb_last_error_message`.
                buf.extend_from_slice(s.to_csv().replace('\0', "\\0").as_bytes());
                Ok(())
            })
        }
    }
}
