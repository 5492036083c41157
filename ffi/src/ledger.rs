//! The split-consignment ledger (`docs/risk-profiles.md`, "Split consignments"):
//! `XbSplitLedger`, an opaque handle around the core's `SplitLedger`.
//!
//! A handle rather than a JSON state passed in and out, because the core's ledger is a
//! mutable, bounded window (up to the rule's `max_entries` consignments, with the whole
//! declarations when the rule re-assesses groups): passing it through JSON would cost time
//! proportional to the window on every consignment, and would publish its internals (party
//! hashes that are not stable across library versions) as a format to keep.

use std::ffi::c_char;

use xborder_core::ledger::SplitLedger;
use xborder_core::limits::{MAX_DECLARATION_BYTES, MAX_ID_CHARS};
use xborder_core::{Declaration, Engine, Error, ErrorCode};

use crate::assess::options_arg;
use crate::boundary::{arg_mut, arg_ref, input_str, xb_ffi, Failure, Out};
use crate::engine::XbEngine;
use crate::status::XbStatus;
use crate::strings::OwnedText;

/// A bounded-memory ledger of recent consignments for one regime's split-consignment rule:
/// it flags a consignment that, with earlier ones from the same seller to the same buyer
/// inside the rule's window, crosses the rule's threshold while each stays under it.
///
/// Opaque. Made by `xb_split_ledger_new`, fed by `xb_split_ledger_record`, freed by
/// `xb_split_ledger_free`.
///
/// Thread safety: a ledger may be moved between threads but not used by two threads at
/// once; feed it from one thread (or under the caller's lock), in roughly chronological
/// order.
pub struct XbSplitLedger {
    ledger: SplitLedger,
}

// The thread-safety promised above.
const _: () = {
    const fn moved_between_threads<T: Send>() {}
    moved_between_threads::<XbSplitLedger>();
};

/// Starts an empty ledger for the split-consignment rule (`split_consignments`) of the risk
/// profile that `engine` holds for regime `regime_id` (`regime_id_len` bytes, e.g. `"EU"`):
/// the embedded sample profile, or the caller's from `xb_engine_builder_risk_profile_json`.
/// The rule is copied: the ledger does not keep the engine.
///
/// On `XB_STATUS_OK`, `*out` is a new ledger to be freed with `xb_split_ledger_free`;
/// otherwise `*out` is NULL. A regime the engine does not hold gives
/// `XB_STATUS_INVALID_ARGUMENT` (code `E_NO_REGIME`, path `regime_id`), and so does a regime
/// with no risk profile or a profile without a split rule (code `E_INVALID_VALUE`).
///
/// # Safety
///
/// `engine` must be NULL or a live engine; `regime_id` must be NULL or point to
/// `regime_id_len` readable bytes; `out` must be NULL or valid for writing an
/// `XbSplitLedger*`.
#[no_mangle]
pub unsafe extern "C" fn xb_split_ledger_new(
    engine: *const XbEngine,
    regime_id: *const u8,
    regime_id_len: usize,
    out: *mut *mut XbSplitLedger,
) -> XbStatus {
    xb_ffi! {
        // SAFETY: `out` is NULL or writable (contract).
        let out = unsafe { Out::new(out, "out") }?;
        // SAFETY: `engine` is NULL or live (contract).
        let engine = unsafe { arg_ref(engine, "engine") }?;
        // SAFETY: `regime_id`/`regime_id_len` as in the contract.
        let id = unsafe { input_str(regime_id, regime_id_len, "regime_id", MAX_ID_CHARS) }?;
        let rule = split_rule(&engine.engine, id)?;
        out.set(Box::into_raw(Box::new(XbSplitLedger { ledger: SplitLedger::new(rule) })));
        Ok(())
    }
}

/// The split rule of regime `id`'s risk profile in `engine`.
fn split_rule(engine: &Engine, id: &str) -> Result<xborder_core::risk::SplitRule, Failure> {
    if engine.regime(id).is_none() {
        return Err(Failure::argument(
            "regime_id",
            ErrorCode::NoRegime,
            format!("the engine holds no regime {id:?}"),
        ));
    }
    let profile = engine.risk_profile(id).ok_or_else(|| {
        Failure::argument(
            "regime_id",
            ErrorCode::InvalidValue,
            format!("regime {id} has no risk profile, so no split-consignment rule"),
        )
    })?;
    profile.split_consignments.clone().ok_or_else(|| {
        Failure::argument(
            "regime_id",
            ErrorCode::InvalidValue,
            format!(
                "the risk profile {} of regime {id} has no split-consignment rule",
                profile.id
            ),
        )
    })
}

/// Frees a ledger. NULL is accepted and ignored.
///
/// # Safety
///
/// `ledger` must be NULL or a ledger from `xb_split_ledger_new` not freed yet.
#[no_mangle]
pub unsafe extern "C" fn xb_split_ledger_free(ledger: *mut XbSplitLedger) {
    xb_ffi!(value => {
        if !ledger.is_null() {
            // SAFETY: `ledger` came from Box::into_raw and is freed once (contract).
            drop(unsafe { Box::from_raw(ledger) });
        }
    })
}

/// Assesses one declaration (`len` bytes of UTF-8 JSON at `ptr`, at most 1 MiB) with
/// `engine` and the options of `xb_assess_json_with_options` (`options_len` bytes at
/// `options_ptr`; empty means the defaults), and records it in the ledger
/// (`SplitLedger::record`). The time of a consignment is its `lodged_at`, else its
/// `arrival_at`, else its date at midnight. Feed the ledger the consignments of its regime;
/// a consignment is only ever grouped with others of the same regime.
///
/// `*out` receives an owned NUL-terminated JSON string, freed with `xb_string_free`:
/// - `XB_STATUS_OK`: `null` when the consignment completes no split group, otherwise the
///   flag `{"code","ids":[…],"combined_value","threshold","message"}` (the group's ids,
///   oldest first, this one last), with `"aggregate"` (the group assessed as one
///   consignment) and `"additional_payable"` when the rule re-assesses groups. A flagged
///   consignment warrants a documentary check at least (`SplitFlag::apply` in Rust).
/// - `XB_STATUS_REJECTED`: the declaration cannot be assessed and is not recorded; `*out`
///   holds the error record, byte for byte what `xb_assess_json` gives for it, and
///   `xb_last_error_*` the same code, message and path.
/// - `XB_STATUS_INTERNAL`: as `XB_STATUS_REJECTED`, for a bug in xborder.
/// - any other status (`XB_STATUS_NULL_PARAMETER`, `XB_STATUS_INVALID_UTF8`,
///   `XB_STATUS_INPUT_TOO_LARGE`, `XB_STATUS_INVALID_OPTIONS`, `XB_STATUS_PANIC`): `*out` is
///   NULL and nothing is recorded.
///
/// # Safety
///
/// `ledger` must be NULL or a live ledger that no other thread is using; `engine` must be
/// NULL or a live engine; `ptr` must be NULL or point to `len` readable bytes; `options_ptr`
/// must be NULL or point to `options_len` readable bytes; `out` must be NULL or valid for
/// writing a `char*`.
#[no_mangle]
pub unsafe extern "C" fn xb_split_ledger_record(
    ledger: *mut XbSplitLedger,
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
        // SAFETY: `ledger` is NULL or live and used by this thread only (contract).
        let ledger = unsafe { arg_mut(ledger, "ledger") }?;
        // SAFETY: `engine` is NULL or live (contract).
        let engine = unsafe { arg_ref(engine, "engine") }?;
        // SAFETY: `ptr`/`len` as in the contract.
        let text = unsafe { input_str(ptr, len, "ptr", MAX_DECLARATION_BYTES) }?;
        // SAFETY: `options_ptr`/`options_len` as in the contract.
        let options = unsafe { options_arg(options_ptr, options_len) }?;
        let engine = &engine.engine;
        let mut json = OwnedText::with_capacity(256);
        let recorded = Declaration::from_json(text).and_then(|declaration| {
            let result = engine.assess(&declaration, &options)?;
            ledger.ledger.record(engine, &options, &declaration, &result)
        });
        match recorded {
            Ok(flag) => {
                serde_json::to_writer(json.buf(), &flag)
                    .map_err(|e| Failure::internal(format!("flag did not serialize: {e}")))?;
                out.set_text(json);
                Ok(())
            }
            Err(e) => {
                write_error_record(engine, text, &options, &e, json.buf());
                out.set_text(json);
                Err(Failure::rejected(&e))
            }
        }
    }
}

/// The error record of a declaration that could not be recorded: the one `xb_assess_json`
/// writes (with the declaration's id when it can be read), got by assessing the text again
/// on this rare path, so that both calls give the same bytes for the same declaration. An
/// error of the ledger itself (an overflowing group total) gets a record without an id.
fn write_error_record(
    engine: &Engine,
    text: &str,
    options: &xborder_core::AssessOptions,
    error: &Error,
    buf: &mut Vec<u8>,
) {
    let mark = buf.len();
    if engine
        .assess_json_into(text, options, buf)
        .is_none_or(|r| r.error != *error)
    {
        buf.truncate(mark);
        buf.extend_from_slice(xborder_core::error_json(None, error).as_bytes());
    }
}
