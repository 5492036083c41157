//! Error details handed to the caller: `XbError` and the `_ex` variant of every function that
//! returns an `XbStatus`.
//!
//! The `xb_last_error_*` functions describe the last failure *of the calling OS thread*. That
//! needs the failing call and the read to run on one thread, which runtimes that move work
//! between OS threads do not promise: a Java virtual thread can be unmounted between two
//! native calls and resumed on another carrier thread, as can Go goroutines, Kotlin coroutines
//! and async tasks on a multi-threaded executor. Each `xb_X_ex` function takes the arguments of
//! `xb_X` plus a last `XbError **error` and, when the call fails, hands the error to the
//! caller in `*error` within the same call. The per-thread last error is still set as well,
//! so the two styles can be mixed.

use std::ffi::{c_char, CStr, CString};
use std::ptr;

use crate::assess::{
    xb_assess_json, xb_assess_json_with_options, xb_assess_ndjson, xb_assess_ndjson_with_options,
};
use crate::boundary::{value_boundary, xb_ffi};
use crate::engine::{
    xb_engine_builder_build, xb_engine_builder_new, xb_engine_builder_rate_table,
    xb_engine_builder_rates, xb_engine_builder_rates_json, xb_engine_builder_regime_json,
    xb_engine_builder_return_rules_json, xb_engine_builder_risk_profile_json,
    xb_engine_builder_tariff, xb_engine_builder_tariff_csv, xb_engine_builder_tariff_on_demand,
    xb_engine_builder_without_builtin_rates, xb_engine_builder_without_embedded,
    xb_engine_builder_without_embedded_tariffs, xb_engine_builder_without_sample_risk_profiles,
    xb_engine_new, xb_regimes_json, XbEngine, XbEngineBuilder,
};
use crate::last_error;
use crate::ledger::{xb_split_ledger_new, xb_split_ledger_record, XbSplitLedger};
use crate::refund::xb_refund_json;
use crate::statement::{
    xb_statement_add, xb_statement_csv, xb_statement_json, xb_statement_new, XbStatement,
};
use crate::status::XbStatus;

/// The error of one failed call, owned by the caller: its status, stable code, message and
/// path, the same four things `xb_last_error_status()`, `_code()`, `_message()` and `_path()`
/// report for the calling thread.
///
/// Opaque. Made by a failing `xb_*_ex` function, read with `xb_error_status`,
/// `xb_error_code`, `xb_error_message` and `xb_error_path`, freed with `xb_error_free`.
///
/// Thread safety: an error is immutable; any thread may read or free it (free it once).
pub struct XbError {
    status: XbStatus,
    code: CString,
    message: CString,
    path: CString,
}

impl XbError {
    /// A copy of the calling thread's last error, or NULL when there is none.
    fn from_last_error() -> *mut XbError {
        match last_error::copy() {
            Some((status, code, message, path)) => Box::into_raw(Box::new(XbError {
                status,
                code,
                message,
                path: path.unwrap_or_default(),
            })),
            None => ptr::null_mut(),
        }
    }
}

/// Runs `call` (an `xb_*` function returning a status) and, when it fails and `error` is not
/// NULL, writes a copy of the failure to `*error`. `*error` is set to NULL first, so it is
/// NULL after every success. The copy is taken on the thread that ran `call`, right after it:
/// nothing else runs on this thread in between.
///
/// # Safety
///
/// `error` must be NULL or valid for writing an `XbError*`.
unsafe fn with_error(error: *mut *mut XbError, call: impl FnOnce() -> XbStatus) -> XbStatus {
    if !error.is_null() {
        // SAFETY: not NULL and writable (contract); `write` does not read the old value.
        unsafe { error.write(ptr::null_mut()) };
    }
    let status = call();
    if status != XbStatus::Ok && !error.is_null() {
        // A panic while copying (only allocation could fail, which aborts) gives NULL.
        let copy = value_boundary(XbError::from_last_error);
        // SAFETY: as above.
        unsafe { error.write(copy) };
    }
    status
}

/// Reads a string of an error, or `""` for a NULL error.
///
/// # Safety
///
/// `error` must be NULL or a live error.
unsafe fn text(error: *const XbError, pick: fn(&XbError) -> &CStr) -> *const c_char {
    // SAFETY: NULL or live (contract).
    match unsafe { error.as_ref() } {
        Some(e) => pick(e).as_ptr(),
        None => c"".as_ptr(),
    }
}

/// The status the failed call returned; `XB_STATUS_OK` when `error` is NULL.
///
/// # Safety
///
/// `error` must be NULL or an error from an `xb_*_ex` function, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn xb_error_status(error: *const XbError) -> XbStatus {
    xb_ffi!(value => {
        // SAFETY: NULL or live (contract).
        unsafe { error.as_ref() }.map_or(XbStatus::Ok, |e| e.status)
    })
}

/// The stable code of the failure (`"E_HS_NO_TARIFF_LINE"`, `"E_NULL_PARAMETER"`, …; as
/// `xb_last_error_code`); `""` when `error` is NULL. The string belongs to `error` and lives
/// until `xb_error_free(error)`.
///
/// # Safety
///
/// As for `xb_error_status`.
#[no_mangle]
pub unsafe extern "C" fn xb_error_code(error: *const XbError) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    xb_ffi!(value => { unsafe { text(error, |e| &e.code) } })
}

/// The English message of the failure (as `xb_last_error_message`); `""` when `error` is NULL.
/// The string belongs to `error` and lives until `xb_error_free(error)`.
///
/// # Safety
///
/// As for `xb_error_status`.
#[no_mangle]
pub unsafe extern "C" fn xb_error_message(error: *const XbError) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    xb_ffi!(value => { unsafe { text(error, |e| &e.message) } })
}

/// Where the failure lies (as `xb_last_error_path`): a JSON path, `"line N"`, an options key or
/// a parameter name; `""` when the error has no path or `error` is NULL. The string belongs to
/// `error` and lives until `xb_error_free(error)`.
///
/// # Safety
///
/// As for `xb_error_status`.
#[no_mangle]
pub unsafe extern "C" fn xb_error_path(error: *const XbError) -> *const c_char {
    // SAFETY: forwarded from this function's contract.
    xb_ffi!(value => { unsafe { text(error, |e| &e.path) } })
}

/// Frees an error from an `xb_*_ex` function. NULL is allowed (nothing happens); freeing one
/// error twice is undefined behaviour. The strings read from it become invalid.
///
/// # Safety
///
/// `error` must be NULL or an error from an `xb_*_ex` function, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn xb_error_free(error: *mut XbError) {
    xb_ffi!(value => {
        if !error.is_null() {
            // SAFETY: made by Box::into_raw in from_last_error, freed at most once (contract).
            drop(unsafe { Box::from_raw(error) });
        }
    })
}

/// As `xb_engine_new`; a failure is also written to `*error`.
///
/// # Safety
///
/// As for `xb_engine_new`; `error` must be NULL or valid for writing
/// an `XbError*`.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_new_ex(
    out: *mut *mut XbEngine,
    error: *mut *mut XbError,
) -> XbStatus {
    // SAFETY: the arguments are forwarded under this function's contract, which is the
    // wrapped function's; `error` is NULL or writable (contract).
    unsafe { with_error(error, || xb_engine_new(out)) }
}

/// As `xb_engine_builder_new`; a failure is also written to `*error`.
///
/// # Safety
///
/// As for `xb_engine_builder_new`; `error` must be NULL or valid for writing
/// an `XbError*`.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_new_ex(
    out: *mut *mut XbEngineBuilder,
    error: *mut *mut XbError,
) -> XbStatus {
    // SAFETY: the arguments are forwarded under this function's contract, which is the
    // wrapped function's; `error` is NULL or writable (contract).
    unsafe { with_error(error, || xb_engine_builder_new(out)) }
}

/// As `xb_engine_builder_without_embedded`; a failure is also written to `*error`.
///
/// # Safety
///
/// As for `xb_engine_builder_without_embedded`; `error` must be NULL or valid for writing
/// an `XbError*`.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_without_embedded_ex(
    builder: *mut XbEngineBuilder,
    error: *mut *mut XbError,
) -> XbStatus {
    // SAFETY: the arguments are forwarded under this function's contract, which is the
    // wrapped function's; `error` is NULL or writable (contract).
    unsafe { with_error(error, || xb_engine_builder_without_embedded(builder)) }
}

/// As `xb_engine_builder_regime_json`; a failure is also written to `*error`.
///
/// # Safety
///
/// As for `xb_engine_builder_regime_json`; `error` must be NULL or valid for writing
/// an `XbError*`.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_regime_json_ex(
    builder: *mut XbEngineBuilder,
    ptr: *const u8,
    len: usize,
    error: *mut *mut XbError,
) -> XbStatus {
    // SAFETY: the arguments are forwarded under this function's contract, which is the
    // wrapped function's; `error` is NULL or writable (contract).
    unsafe { with_error(error, || xb_engine_builder_regime_json(builder, ptr, len)) }
}

/// As `xb_engine_builder_tariff`; a failure is also written to `*error`.
///
/// # Safety
///
/// As for `xb_engine_builder_tariff`; `error` must be NULL or valid for writing
/// an `XbError*`.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_tariff_ex(
    builder: *mut XbEngineBuilder,
    regime_id: *const u8,
    regime_id_len: usize,
    ptr: *const u8,
    len: usize,
    error: *mut *mut XbError,
) -> XbStatus {
    // SAFETY: the arguments are forwarded under this function's contract, which is the
    // wrapped function's; `error` is NULL or writable (contract).
    unsafe {
        with_error(error, || {
            xb_engine_builder_tariff(builder, regime_id, regime_id_len, ptr, len)
        })
    }
}

/// As `xb_engine_builder_tariff_csv`; a failure is also written to `*error`.
///
/// # Safety
///
/// As for `xb_engine_builder_tariff_csv`; `error` must be NULL or valid for writing
/// an `XbError*`.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_tariff_csv_ex(
    builder: *mut XbEngineBuilder,
    regime_id: *const u8,
    regime_id_len: usize,
    ptr: *const u8,
    len: usize,
    layout_ptr: *const u8,
    layout_len: usize,
    error: *mut *mut XbError,
) -> XbStatus {
    // SAFETY: the arguments are forwarded under this function's contract, which is the
    // wrapped function's; `error` is NULL or writable (contract).
    unsafe {
        with_error(error, || {
            xb_engine_builder_tariff_csv(
                builder,
                regime_id,
                regime_id_len,
                ptr,
                len,
                layout_ptr,
                layout_len,
            )
        })
    }
}

/// As `xb_engine_builder_tariff_on_demand`; a failure is also written to `*error`.
///
/// # Safety
///
/// As for `xb_engine_builder_tariff_on_demand`; `error` must be NULL or valid for writing
/// an `XbError*`.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_tariff_on_demand_ex(
    builder: *mut XbEngineBuilder,
    regime_id: *const u8,
    regime_id_len: usize,
    ptr: *const u8,
    len: usize,
    error: *mut *mut XbError,
) -> XbStatus {
    // SAFETY: the arguments are forwarded under this function's contract, which is the
    // wrapped function's; `error` is NULL or writable (contract).
    unsafe {
        with_error(error, || {
            xb_engine_builder_tariff_on_demand(builder, regime_id, regime_id_len, ptr, len)
        })
    }
}

/// As `xb_engine_builder_rates_json`; a failure is also written to `*error`.
///
/// # Safety
///
/// As for `xb_engine_builder_rates_json`; `error` must be NULL or valid for writing
/// an `XbError*`.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_rates_json_ex(
    builder: *mut XbEngineBuilder,
    ptr: *const u8,
    len: usize,
    error: *mut *mut XbError,
) -> XbStatus {
    // SAFETY: the arguments are forwarded under this function's contract, which is the
    // wrapped function's; `error` is NULL or writable (contract).
    unsafe { with_error(error, || xb_engine_builder_rates_json(builder, ptr, len)) }
}

/// As `xb_engine_builder_rates`; a failure is also written to `*error`.
///
/// # Safety
///
/// As for `xb_engine_builder_rates`; `error` must be NULL or valid for writing
/// an `XbError*`.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_rates_ex(
    builder: *mut XbEngineBuilder,
    ptr: *const u8,
    len: usize,
    error: *mut *mut XbError,
) -> XbStatus {
    // SAFETY: the arguments are forwarded under this function's contract, which is the
    // wrapped function's; `error` is NULL or writable (contract).
    unsafe { with_error(error, || xb_engine_builder_rates(builder, ptr, len)) }
}

/// As `xb_engine_builder_rate_table`; a failure is also written to `*error`.
///
/// # Safety
///
/// As for `xb_engine_builder_rate_table`; `error` must be NULL or valid for writing
/// an `XbError*`.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_rate_table_ex(
    builder: *mut XbEngineBuilder,
    ptr: *const u8,
    len: usize,
    error: *mut *mut XbError,
) -> XbStatus {
    // SAFETY: the arguments are forwarded under this function's contract, which is the
    // wrapped function's; `error` is NULL or writable (contract).
    unsafe { with_error(error, || xb_engine_builder_rate_table(builder, ptr, len)) }
}

/// As `xb_engine_builder_without_builtin_rates`; a failure is also written to `*error`.
///
/// # Safety
///
/// As for `xb_engine_builder_without_builtin_rates`; `error` must be NULL or valid for writing
/// an `XbError*`.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_without_builtin_rates_ex(
    builder: *mut XbEngineBuilder,
    error: *mut *mut XbError,
) -> XbStatus {
    // SAFETY: the arguments are forwarded under this function's contract, which is the
    // wrapped function's; `error` is NULL or writable (contract).
    unsafe { with_error(error, || xb_engine_builder_without_builtin_rates(builder)) }
}

/// As `xb_engine_builder_without_embedded_tariffs`; a failure is also written to `*error`.
///
/// # Safety
///
/// As for `xb_engine_builder_without_embedded_tariffs`; `error` must be NULL or valid for writing
/// an `XbError*`.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_without_embedded_tariffs_ex(
    builder: *mut XbEngineBuilder,
    error: *mut *mut XbError,
) -> XbStatus {
    // SAFETY: the arguments are forwarded under this function's contract, which is the
    // wrapped function's; `error` is NULL or writable (contract).
    unsafe {
        with_error(error, || {
            xb_engine_builder_without_embedded_tariffs(builder)
        })
    }
}

/// As `xb_engine_builder_without_sample_risk_profiles`; a failure is also written to `*error`.
///
/// # Safety
///
/// As for `xb_engine_builder_without_sample_risk_profiles`; `error` must be NULL or valid
/// for writing an `XbError*`.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_without_sample_risk_profiles_ex(
    builder: *mut XbEngineBuilder,
    error: *mut *mut XbError,
) -> XbStatus {
    // SAFETY: the arguments are forwarded under this function's contract, which is the
    // wrapped function's; `error` is NULL or writable (contract).
    unsafe {
        with_error(error, || {
            xb_engine_builder_without_sample_risk_profiles(builder)
        })
    }
}

/// As `xb_engine_builder_risk_profile_json`; a failure is also written to `*error`.
///
/// # Safety
///
/// As for `xb_engine_builder_risk_profile_json`; `error` must be NULL or valid for writing
/// an `XbError*`.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_risk_profile_json_ex(
    builder: *mut XbEngineBuilder,
    ptr: *const u8,
    len: usize,
    error: *mut *mut XbError,
) -> XbStatus {
    // SAFETY: the arguments are forwarded under this function's contract, which is the
    // wrapped function's; `error` is NULL or writable (contract).
    unsafe {
        with_error(error, || {
            xb_engine_builder_risk_profile_json(builder, ptr, len)
        })
    }
}

/// As `xb_engine_builder_return_rules_json`; a failure is also written to `*error`.
///
/// # Safety
///
/// As for `xb_engine_builder_return_rules_json`; `error` must be NULL or valid for writing
/// an `XbError*`.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_return_rules_json_ex(
    builder: *mut XbEngineBuilder,
    ptr: *const u8,
    len: usize,
    error: *mut *mut XbError,
) -> XbStatus {
    // SAFETY: the arguments are forwarded under this function's contract, which is the
    // wrapped function's; `error` is NULL or writable (contract).
    unsafe {
        with_error(error, || {
            xb_engine_builder_return_rules_json(builder, ptr, len)
        })
    }
}

/// As `xb_engine_builder_build`; a failure is also written to `*error`.
///
/// # Safety
///
/// As for `xb_engine_builder_build`; `error` must be NULL or valid for writing
/// an `XbError*`.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_build_ex(
    builder: *const XbEngineBuilder,
    out: *mut *mut XbEngine,
    error: *mut *mut XbError,
) -> XbStatus {
    // SAFETY: the arguments are forwarded under this function's contract, which is the
    // wrapped function's; `error` is NULL or writable (contract).
    unsafe { with_error(error, || xb_engine_builder_build(builder, out)) }
}

/// As `xb_regimes_json`; a failure is also written to `*error`.
///
/// # Safety
///
/// As for `xb_regimes_json`; `error` must be NULL or valid for writing
/// an `XbError*`.
#[no_mangle]
pub unsafe extern "C" fn xb_regimes_json_ex(
    engine: *const XbEngine,
    out: *mut *mut c_char,
    error: *mut *mut XbError,
) -> XbStatus {
    // SAFETY: the arguments are forwarded under this function's contract, which is the
    // wrapped function's; `error` is NULL or writable (contract).
    unsafe { with_error(error, || xb_regimes_json(engine, out)) }
}

/// As `xb_assess_json`; a failure is also written to `*error`.
///
/// # Safety
///
/// As for `xb_assess_json`; `error` must be NULL or valid for writing
/// an `XbError*`.
#[no_mangle]
pub unsafe extern "C" fn xb_assess_json_ex(
    engine: *const XbEngine,
    ptr: *const u8,
    len: usize,
    out: *mut *mut c_char,
    error: *mut *mut XbError,
) -> XbStatus {
    // SAFETY: the arguments are forwarded under this function's contract, which is the
    // wrapped function's; `error` is NULL or writable (contract).
    unsafe { with_error(error, || xb_assess_json(engine, ptr, len, out)) }
}

/// As `xb_assess_json_with_options`; a failure is also written to `*error`.
///
/// # Safety
///
/// As for `xb_assess_json_with_options`; `error` must be NULL or valid for writing
/// an `XbError*`.
#[no_mangle]
pub unsafe extern "C" fn xb_assess_json_with_options_ex(
    engine: *const XbEngine,
    ptr: *const u8,
    len: usize,
    options_ptr: *const u8,
    options_len: usize,
    out: *mut *mut c_char,
    error: *mut *mut XbError,
) -> XbStatus {
    // SAFETY: the arguments are forwarded under this function's contract, which is the
    // wrapped function's; `error` is NULL or writable (contract).
    unsafe {
        with_error(error, || {
            xb_assess_json_with_options(engine, ptr, len, options_ptr, options_len, out)
        })
    }
}

/// As `xb_assess_ndjson`; a failure is also written to `*error`.
///
/// # Safety
///
/// As for `xb_assess_ndjson`; `error` must be NULL or valid for writing
/// an `XbError*`.
#[no_mangle]
pub unsafe extern "C" fn xb_assess_ndjson_ex(
    engine: *const XbEngine,
    ptr: *const u8,
    len: usize,
    out: *mut *mut c_char,
    error: *mut *mut XbError,
) -> XbStatus {
    // SAFETY: the arguments are forwarded under this function's contract, which is the
    // wrapped function's; `error` is NULL or writable (contract).
    unsafe { with_error(error, || xb_assess_ndjson(engine, ptr, len, out)) }
}

/// As `xb_assess_ndjson_with_options`; a failure is also written to `*error`.
///
/// # Safety
///
/// As for `xb_assess_ndjson_with_options`; `error` must be NULL or valid for writing
/// an `XbError*`.
#[no_mangle]
pub unsafe extern "C" fn xb_assess_ndjson_with_options_ex(
    engine: *const XbEngine,
    ptr: *const u8,
    len: usize,
    options_ptr: *const u8,
    options_len: usize,
    out: *mut *mut c_char,
    error: *mut *mut XbError,
) -> XbStatus {
    // SAFETY: the arguments are forwarded under this function's contract, which is the
    // wrapped function's; `error` is NULL or writable (contract).
    unsafe {
        with_error(error, || {
            xb_assess_ndjson_with_options(engine, ptr, len, options_ptr, options_len, out)
        })
    }
}

/// As `xb_refund_json`; a failure is also written to `*error`.
///
/// # Safety
///
/// As for `xb_refund_json`; `error` must be NULL or valid for writing
/// an `XbError*`.
#[no_mangle]
pub unsafe extern "C" fn xb_refund_json_ex(
    engine: *const XbEngine,
    ptr: *const u8,
    len: usize,
    options_ptr: *const u8,
    options_len: usize,
    out: *mut *mut c_char,
    error: *mut *mut XbError,
) -> XbStatus {
    // SAFETY: the arguments are forwarded under this function's contract, which is the
    // wrapped function's; `error` is NULL or writable (contract).
    unsafe {
        with_error(error, || {
            xb_refund_json(engine, ptr, len, options_ptr, options_len, out)
        })
    }
}

/// As `xb_statement_new`; a failure is also written to `*error`.
///
/// # Safety
///
/// As for `xb_statement_new`; `error` must be NULL or valid for writing
/// an `XbError*`.
#[no_mangle]
pub unsafe extern "C" fn xb_statement_new_ex(
    period: *const u8,
    period_len: usize,
    out: *mut *mut XbStatement,
    error: *mut *mut XbError,
) -> XbStatus {
    // SAFETY: the arguments are forwarded under this function's contract, which is the
    // wrapped function's; `error` is NULL or writable (contract).
    unsafe { with_error(error, || xb_statement_new(period, period_len, out)) }
}

/// As `xb_statement_add`; a failure is also written to `*error`.
///
/// # Safety
///
/// As for `xb_statement_add`; `error` must be NULL or valid for writing
/// an `XbError*`.
#[no_mangle]
pub unsafe extern "C" fn xb_statement_add_ex(
    statement: *mut XbStatement,
    engine: *const XbEngine,
    ptr: *const u8,
    len: usize,
    options_ptr: *const u8,
    options_len: usize,
    error: *mut *mut XbError,
) -> XbStatus {
    // SAFETY: the arguments are forwarded under this function's contract, which is the
    // wrapped function's; `error` is NULL or writable (contract).
    unsafe {
        with_error(error, || {
            xb_statement_add(statement, engine, ptr, len, options_ptr, options_len)
        })
    }
}

/// As `xb_statement_json`; a failure is also written to `*error`.
///
/// # Safety
///
/// As for `xb_statement_json`; `error` must be NULL or valid for writing
/// an `XbError*`.
#[no_mangle]
pub unsafe extern "C" fn xb_statement_json_ex(
    statement: *const XbStatement,
    out: *mut *mut c_char,
    error: *mut *mut XbError,
) -> XbStatus {
    // SAFETY: the arguments are forwarded under this function's contract, which is the
    // wrapped function's; `error` is NULL or writable (contract).
    unsafe { with_error(error, || xb_statement_json(statement, out)) }
}

/// As `xb_statement_csv`; a failure is also written to `*error`.
///
/// # Safety
///
/// As for `xb_statement_csv`; `error` must be NULL or valid for writing
/// an `XbError*`.
#[no_mangle]
pub unsafe extern "C" fn xb_statement_csv_ex(
    statement: *const XbStatement,
    out: *mut *mut c_char,
    error: *mut *mut XbError,
) -> XbStatus {
    // SAFETY: the arguments are forwarded under this function's contract, which is the
    // wrapped function's; `error` is NULL or writable (contract).
    unsafe { with_error(error, || xb_statement_csv(statement, out)) }
}

/// As `xb_split_ledger_new`; a failure is also written to `*error`.
///
/// # Safety
///
/// As for `xb_split_ledger_new`; `error` must be NULL or valid for writing
/// an `XbError*`.
#[no_mangle]
pub unsafe extern "C" fn xb_split_ledger_new_ex(
    engine: *const XbEngine,
    regime_id: *const u8,
    regime_id_len: usize,
    out: *mut *mut XbSplitLedger,
    error: *mut *mut XbError,
) -> XbStatus {
    // SAFETY: the arguments are forwarded under this function's contract, which is the
    // wrapped function's; `error` is NULL or writable (contract).
    unsafe {
        with_error(error, || {
            xb_split_ledger_new(engine, regime_id, regime_id_len, out)
        })
    }
}

/// As `xb_split_ledger_record`; a failure is also written to `*error`.
///
/// # Safety
///
/// As for `xb_split_ledger_record`; `error` must be NULL or valid for writing
/// an `XbError*`.
#[no_mangle]
pub unsafe extern "C" fn xb_split_ledger_record_ex(
    ledger: *mut XbSplitLedger,
    engine: *const XbEngine,
    ptr: *const u8,
    len: usize,
    options_ptr: *const u8,
    options_len: usize,
    out: *mut *mut c_char,
    error: *mut *mut XbError,
) -> XbStatus {
    // SAFETY: the arguments are forwarded under this function's contract, which is the
    // wrapped function's; `error` is NULL or writable (contract).
    unsafe {
        with_error(error, || {
            xb_split_ledger_record(ledger, engine, ptr, len, options_ptr, options_len, out)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(p: *const c_char) -> String {
        // SAFETY: the getters return NUL-terminated strings that live as long as the error.
        unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_string()
    }

    #[test]
    fn a_failure_is_handed_over_and_a_success_leaves_null() {
        let mut error: *mut XbError = ptr::dangling_mut();
        // SAFETY: NULL `out` is refused before anything is written; `error` is a live local.
        let status = unsafe { xb_engine_builder_new_ex(ptr::null_mut(), &mut error) };
        assert_eq!(status, XbStatus::NullParameter);
        assert!(!error.is_null());
        // SAFETY: `error` came from the _ex call above and is freed once, at the end.
        unsafe {
            assert_eq!(xb_error_status(error), XbStatus::NullParameter);
            assert_eq!(read(xb_error_code(error)), "E_NULL_PARAMETER");
            assert_eq!(read(xb_error_path(error)), "out");
            assert_eq!(read(xb_error_message(error)), "`out` is NULL");
            // The thread's last error says the same.
            assert_eq!(read(crate::xb_last_error_code()), "E_NULL_PARAMETER");
            xb_error_free(error);
        }

        let mut builder: *mut XbEngineBuilder = ptr::null_mut();
        error = ptr::dangling_mut();
        // SAFETY: live locals; the builder is freed below.
        unsafe {
            assert_eq!(
                xb_engine_builder_new_ex(&mut builder, &mut error),
                XbStatus::Ok
            );
            assert!(error.is_null(), "a success leaves *error NULL");
            // A NULL `error` is allowed: the failure is reported through the status and the
            // thread's last error only.
            let bad = [0xffu8];
            let status = xb_engine_builder_rates_json_ex(builder, bad.as_ptr(), 1, ptr::null_mut());
            assert_eq!(status, XbStatus::InvalidUtf8);
            crate::xb_engine_builder_free(builder);
        }
    }

    #[test]
    fn a_null_error_reads_as_empty() {
        // SAFETY: NULL is allowed everywhere.
        unsafe {
            assert_eq!(xb_error_status(ptr::null()), XbStatus::Ok);
            assert_eq!(read(xb_error_code(ptr::null())), "");
            assert_eq!(read(xb_error_message(ptr::null())), "");
            assert_eq!(read(xb_error_path(ptr::null())), "");
            xb_error_free(ptr::null_mut());
        }
    }
}
