//! Refunds on returned goods (`docs/returns.md`): `xb_refund_json`.
//!
//! The one call is `Engine::refund_json`, which the CLI's `xborder refund` uses too, and the
//! refund is written with serde as the CLI writes it, so the bytes are the CLI's.

use std::ffi::c_char;

use xborder_core::error_json;
use xborder_core::limits::MAX_DECLARATION_BYTES;

use crate::assess::options_arg;
use crate::boundary::{arg_ref, input_str, xb_ffi, Failure, Out};
use crate::engine::XbEngine;
use crate::status::XbStatus;
use crate::strings::OwnedText;

/// Computes the refund of one return declaration: `len` bytes of UTF-8 JSON at `ptr`
/// (`docs/returns.md`: `id`, the `original` declaration, `returned_on`, `reason`, the returned
/// `items` and optionally what was `paid`), at most 1 MiB. The original is re-assessed at its
/// own date's rules, tariff and exchange rates, with the readings and regime of the options.
///
/// The options are those of `xb_assess_json_with_options` (`options_len` bytes at
/// `options_ptr`; empty means the defaults); `"date"` and `"trace"` do not apply to a refund.
///
/// `*out` receives an owned NUL-terminated JSON string, freed with `xb_string_free`:
/// - `XB_STATUS_OK`: the refund, `{"id","original_id","regime_version","currency",
///   "original_date","returned_on","reason","components":[…],"total_refund"}`, byte for byte
///   a line of `xborder refund`.
/// - `XB_STATUS_REJECTED`: the return cannot be refunded (malformed JSON, an unknown item,
///   a return before the original date, an original that cannot be assessed (its error with
///   the path under `original.`), no return rules for the regime …); `*out` holds the error
///   record `{"id":null,"error":{"code","message","path"}}` that `xborder refund` writes, and
///   `xb_last_error_*` return the same code, message and path.
/// - `XB_STATUS_INTERNAL`: as `XB_STATUS_REJECTED`, for a bug in xborder.
/// - any other status (`XB_STATUS_NULL_PARAMETER`, `XB_STATUS_INVALID_UTF8`,
///   `XB_STATUS_INPUT_TOO_LARGE`, `XB_STATUS_INVALID_OPTIONS`, `XB_STATUS_PANIC`): `*out` is
///   NULL.
///
/// Thread-safe: any number of threads may compute refunds with one engine at once.
///
/// # Safety
///
/// `engine` must be NULL or a live engine; `ptr` must be NULL or point to `len` readable
/// bytes; `options_ptr` must be NULL or point to `options_len` readable bytes; `out` must be
/// NULL or valid for writing a `char*`.
#[no_mangle]
pub unsafe extern "C" fn xb_refund_json(
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
        let mut json = OwnedText::with_capacity(1024);
        match engine.engine.refund_json(text, &options) {
            Ok(refund) => {
                serde_json::to_writer(json.buf(), &refund)
                    .map_err(|e| Failure::internal(format!("refund did not serialize: {e}")))?;
                out.set_text(json);
                Ok(())
            }
            Err(e) => {
                // The record `xborder refund` writes in place of a refund.
                json.buf().extend_from_slice(error_json(None, &e).as_bytes());
                out.set_text(json);
                Err(Failure::rejected(&e))
            }
        }
    }
}
