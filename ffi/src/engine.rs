//! `XbEngine` and `XbEngineBuilder`: building, sharing and freeing engines; listing regimes.

use std::ffi::c_char;
use std::sync::Arc;

use xborder_core::tariff::CsvLayout;
use xborder_core::{limits, Engine, EngineBuilder, Error, ErrorCode, Origin};

use crate::boundary::{arg_mut, arg_ref, input_str, input_str_limited, xb_ffi, Failure, Out};
use crate::status::XbStatus;
use crate::strings::OwnedText;

/// An immutable set of regimes, tariffs and exchange rates to assess declarations with.
///
/// Opaque. Made by `xb_engine_new` (the embedded reference regimes) or
/// `xb_engine_builder_build`; freed by `xb_engine_free`.
///
/// Thread safety: an engine never changes after it is built, so one engine may be used by any
/// number of threads at once without locking. It is reference-counted: `xb_engine_clone`
/// gives another owner of the same engine, and the engine is freed when its last owner calls
/// `xb_engine_free`.
pub struct XbEngine {
    pub(crate) engine: Engine,
}

/// Collects regime packs, tariffs and exchange rates for a new `XbEngine`.
///
/// Opaque. Made by `xb_engine_builder_new`, freed by `xb_engine_builder_free`.
///
/// Thread safety: a builder may be moved between threads but not used by two threads at once.
pub struct XbEngineBuilder {
    builder: EngineBuilder,
}

// The thread-safety promised in the documentation above.
const _: () = {
    const fn shared_between_threads<T: Send + Sync>() {}
    shared_between_threads::<XbEngine>();
    const fn moved_between_threads<T: Send>() {}
    moved_between_threads::<XbEngineBuilder>();
};

/// The status of a failed engine build: from the code, and for the codes any document can
/// raise (an expression, a nesting limit) from the error's origin.
pub(crate) fn build_status(error: &Error) -> XbStatus {
    match error.code {
        ErrorCode::InputTooLarge | ErrorCode::PackTooLarge | ErrorCode::TariffTooLarge => {
            XbStatus::InputTooLarge
        }
        ErrorCode::InvalidPack => XbStatus::InvalidPack,
        ErrorCode::InvalidExpression | ErrorCode::ExpressionTooLong | ErrorCode::NestingTooDeep => {
            match error.origin {
                Origin::Tariff => XbStatus::InvalidTariff,
                Origin::Rates => XbStatus::InvalidRates,
                // Packs, and risk profiles, which the C API reports as packs.
                _ => XbStatus::InvalidPack,
            }
        }
        ErrorCode::InvalidTariff => XbStatus::InvalidTariff,
        ErrorCode::InvalidRates => XbStatus::InvalidRates,
        ErrorCode::Internal => XbStatus::Internal,
        _ => XbStatus::InvalidEngine,
    }
}

fn publish(built: Result<Engine, Error>, out: Out<XbEngine>) -> Result<(), Failure> {
    let engine = built.map_err(|e| Failure::from_core(build_status(&e), &e))?;
    out.set(Arc::into_raw(Arc::new(XbEngine { engine })).cast_mut());
    Ok(())
}

/// Builds an engine from the reference regimes and official rate tables (ECB, HMRC) embedded
/// in the library.
///
/// On `XB_STATUS_OK`, `*out` is a new engine to be freed with `xb_engine_free`; on any other
/// status `*out` is NULL. Building parses and validates the packs (a few milliseconds): build
/// one engine and share it rather than building one per request.
///
/// # Safety
///
/// `out` must be NULL (which gives `XB_STATUS_NULL_PARAMETER`) or valid for writing an
/// `XbEngine*`.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_new(out: *mut *mut XbEngine) -> XbStatus {
    xb_ffi! {
        // SAFETY: `out` is NULL or writable (this function's contract).
        let out = unsafe { Out::new(out, "out") }?;
        publish(Engine::embedded(), out)
    }
}

/// Another owner of `engine`: returns `engine` itself, with its reference count raised by one.
/// Each owner calls `xb_engine_free` once. Returns NULL when `engine` is NULL.
///
/// # Safety
///
/// `engine` must be NULL or a live engine from this library.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_clone(engine: *const XbEngine) -> *mut XbEngine {
    xb_ffi!(value => {
        if engine.is_null() {
            return std::ptr::null_mut();
        }
        // SAFETY: `engine` came from Arc::into_raw (xb_engine_new / xb_engine_builder_build)
        // and is live, so its strong count is at least one.
        unsafe { Arc::increment_strong_count(engine) };
        engine.cast_mut()
    })
}

/// Releases one owner of `engine`; the engine is freed with its last owner. NULL is accepted
/// and ignored.
///
/// # Safety
///
/// `engine` must be NULL or an engine from this library that this owner has not freed yet.
/// No call may be using it through this owner at the time, or afterwards.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_free(engine: *mut XbEngine) {
    xb_ffi!(value => {
        if !engine.is_null() {
            // SAFETY: `engine` came from Arc::into_raw and this owner's reference is given up
            // exactly once (this function's contract).
            drop(unsafe { Arc::from_raw(engine.cast_const()) });
        }
    })
}

/// Starts an engine builder holding the embedded reference regimes, no extra packs, tariffs
/// or rates.
///
/// On `XB_STATUS_OK`, `*out` is a new builder to be freed with `xb_engine_builder_free`; on any
/// other status `*out` is NULL.
///
/// # Safety
///
/// `out` must be NULL or valid for writing an `XbEngineBuilder*`.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_new(out: *mut *mut XbEngineBuilder) -> XbStatus {
    xb_ffi! {
        // SAFETY: `out` is NULL or writable (this function's contract).
        let out = unsafe { Out::new(out, "out") }?;
        let builder = Box::new(XbEngineBuilder { builder: Engine::builder() });
        out.set(Box::into_raw(builder));
        Ok(())
    }
}

/// Frees a builder. NULL is accepted and ignored. Engines built from it are not affected.
///
/// # Safety
///
/// `builder` must be NULL or a builder from `xb_engine_builder_new` not freed yet.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_free(builder: *mut XbEngineBuilder) {
    xb_ffi!(value => {
        if !builder.is_null() {
            // SAFETY: `builder` came from Box::into_raw and is freed once (contract).
            drop(unsafe { Box::from_raw(builder) });
        }
    })
}

/// Applies `change` to the builder behind `builder`.
///
/// # Safety
///
/// `builder` must be NULL or a live builder not used elsewhere during the call.
unsafe fn update(
    builder: *mut XbEngineBuilder,
    change: impl FnOnce(EngineBuilder) -> EngineBuilder,
) -> Result<(), Failure> {
    // SAFETY: forwarded from this function's contract.
    let slot = unsafe { arg_mut(builder, "builder") }?;
    let current = std::mem::replace(&mut slot.builder, Engine::builder());
    slot.builder = change(current);
    Ok(())
}

/// Leaves the embedded reference regimes out of the engine: it will hold only the packs added
/// with `xb_engine_builder_regime_json`.
///
/// # Safety
///
/// `builder` must be NULL or a live builder that no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_without_embedded(
    builder: *mut XbEngineBuilder,
) -> XbStatus {
    xb_ffi! {
        // SAFETY: this function's contract.
        unsafe { update(builder, EngineBuilder::without_embedded) }
    }
}

/// Adds a regime pack: `len` bytes of UTF-8 JSON at `ptr` (the format of
/// `regimes/<ID>/pack.json`, described in `docs/regime-format.md`). A pack with the id of an
/// embedded regime replaces it. The text is copied; it is parsed and validated by
/// `xb_engine_builder_build`, which reports a bad pack.
///
/// Returns `XB_STATUS_NULL_PARAMETER` (NULL `builder`, or NULL `ptr` with `len > 0`),
/// `XB_STATUS_INPUT_TOO_LARGE` (over 16 MiB, code `E_PACK_TOO_LARGE`) or
/// `XB_STATUS_INVALID_UTF8`.
///
/// # Safety
///
/// `builder` must be NULL or a live builder that no other thread is using; `ptr` must be NULL
/// or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_regime_json(
    builder: *mut XbEngineBuilder,
    ptr: *const u8,
    len: usize,
) -> XbStatus {
    xb_ffi! {
        // SAFETY: `ptr`/`len` as in this function's contract.
        let text = unsafe {
            input_str_limited(ptr, len, "ptr", limits::MAX_PACK_BYTES, ErrorCode::PackTooLarge)
        }?;
        let text = text.to_string();
        // SAFETY: this function's contract.
        unsafe { update(builder, |b| b.regime_json(text)) }
    }
}

/// Gives regime `regime_id` (e.g. `"EU"`, `regime_id_len` bytes, no NUL needed) a full tariff:
/// `len` bytes of UTF-8 text at `ptr`, either a national tariff file (`docs/tariff-format.md`,
/// first line `xborder-tariff` TAB `1`), which replaces the embedded one and prices every date
/// its revisions cover, or the JSON or CSV form of `docs/regime-format.md`, which replaces the
/// pack's own lines and the embedded file, pricing every date. The text is copied and loaded
/// by `xb_engine_builder_build`, which reports a bad tariff (`XB_STATUS_INVALID_TARIFF`) or
/// an unknown regime (`XB_STATUS_INVALID_ENGINE`, code `E_NO_REGIME`).
///
/// Returns `XB_STATUS_NULL_PARAMETER`, `XB_STATUS_INPUT_TOO_LARGE` (tariff over 64 MiB, code
/// `E_TARIFF_TOO_LARGE`) or `XB_STATUS_INVALID_UTF8` for unusable arguments.
///
/// # Safety
///
/// `builder` must be NULL or a live builder that no other thread is using; `regime_id` and
/// `ptr` must each be NULL or point to their length in readable bytes.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_tariff(
    builder: *mut XbEngineBuilder,
    regime_id: *const u8,
    regime_id_len: usize,
    ptr: *const u8,
    len: usize,
) -> XbStatus {
    xb_ffi! {
        // SAFETY: this function's contract is `add_tariff`'s.
        unsafe { add_tariff(builder, regime_id, regime_id_len, ptr, len, EngineBuilder::tariff) }
    }
}

/// Gives regime `regime_id` a CSV tariff (`len` bytes of UTF-8 at `ptr`) laid out as the JSON
/// layout at `layout_ptr` says (`layout_len` bytes; empty means the default header
/// `hs,duty,description,source,checked`): a spreadsheet exported as it stands. The layout is
/// `{"columns": {"hs": "Commodity code", "duty": "Third country duty", …}, "separator": ";",
/// "source": "…", "checked": "YYYY-MM-DD"}`, every key optional, each meaning what the CLI's
/// `--tariff-columns`, `--tariff-separator`, `--tariff-source` and `--tariff-checked` mean
/// (`docs/regime-format.md`, "A caller's tariff as CSV"); the WASM package takes the same
/// object as `EngineConfig.tariffLayouts`. Like a CSV given to `xb_engine_builder_tariff`, the
/// tariff replaces the pack's lines and the embedded file; `xb_engine_builder_build` reads it
/// and reports a column the header lacks as `XB_STATUS_INVALID_TARIFF` (path `tariff[ID].line 1`).
///
/// A layout that does not read is refused here: `XB_STATUS_INVALID_ARGUMENT`, with the key as
/// path under `layout` (`layout.columns.hz`: `E_UNKNOWN_FIELD`; `layout.separator`:
/// `E_INVALID_VALUE`; `layout.checked`: `E_INVALID_DATE`). Otherwise as
/// `xb_engine_builder_tariff`: `XB_STATUS_NULL_PARAMETER`, `XB_STATUS_INPUT_TOO_LARGE`,
/// `XB_STATUS_INVALID_UTF8`.
///
/// # Safety
///
/// `builder` must be NULL or a live builder that no other thread is using; `regime_id`, `ptr`
/// and `layout_ptr` must each be NULL or point to their length in readable bytes.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_tariff_csv(
    builder: *mut XbEngineBuilder,
    regime_id: *const u8,
    regime_id_len: usize,
    ptr: *const u8,
    len: usize,
    layout_ptr: *const u8,
    layout_len: usize,
) -> XbStatus {
    xb_ffi! {
        // SAFETY: `layout_ptr`/`layout_len` as in this function's contract.
        let text = unsafe { input_str(layout_ptr, layout_len, "layout", limits::MAX_OPTIONS_BYTES) }?;
        let layout = if text.trim().is_empty() {
            CsvLayout::default()
        } else {
            CsvLayout::from_json(text).map_err(|e| {
                let path = match &e.path {
                    Some(p) => format!("layout.{p}"),
                    None => "layout".to_string(),
                };
                Failure::from_core(XbStatus::InvalidArgument, &Error::at(e.code, path, e.message))
            })?
        };
        // SAFETY: this function's contract is `add_tariff`'s.
        unsafe {
            add_tariff(builder, regime_id, regime_id_len, ptr, len, |b, id, text| {
                b.tariff_csv(id, text, layout)
            })
        }
    }
}

/// As `xb_engine_builder_tariff`, but a national tariff file's lines are parsed when an
/// assessment first needs them, as the embedded files' are: `xb_engine_builder_build` checks
/// only the file's header (its regime and currency: `XB_STATUS_INVALID_TARIFF`), so building
/// stays fast whatever the file's size, and a fault in the lines fails every assessment to the
/// regime (`XB_STATUS_REJECTED`, code `E_INVALID_TARIFF`, path `tariff[ID].line N…`) instead of
/// the build. For files the caller trusts and may not use. A JSON or CSV tariff is parsed when
/// the engine is built, as with `xb_engine_builder_tariff`.
///
/// Returns `XB_STATUS_NULL_PARAMETER`, `XB_STATUS_INPUT_TOO_LARGE` (tariff over 64 MiB, code
/// `E_TARIFF_TOO_LARGE`) or `XB_STATUS_INVALID_UTF8` for unusable arguments.
///
/// # Safety
///
/// `builder` must be NULL or a live builder that no other thread is using; `regime_id` and
/// `ptr` must each be NULL or point to their length in readable bytes.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_tariff_on_demand(
    builder: *mut XbEngineBuilder,
    regime_id: *const u8,
    regime_id_len: usize,
    ptr: *const u8,
    len: usize,
) -> XbStatus {
    xb_ffi! {
        // SAFETY: this function's contract is `add_tariff`'s.
        unsafe {
            add_tariff(builder, regime_id, regime_id_len, ptr, len, EngineBuilder::tariff_on_demand)
        }
    }
}

/// Copies a regime id and a tariff text into the builder with `add`: the one body of the two
/// tariff calls above.
///
/// # Safety
///
/// `builder` must be NULL or a live builder that no other thread is using; `regime_id` and
/// `ptr` must each be NULL or point to their length in readable bytes.
unsafe fn add_tariff(
    builder: *mut XbEngineBuilder,
    regime_id: *const u8,
    regime_id_len: usize,
    ptr: *const u8,
    len: usize,
    add: impl FnOnce(EngineBuilder, String, String) -> EngineBuilder,
) -> Result<(), Failure> {
    // SAFETY: `regime_id`/`regime_id_len` as in this function's contract.
    let id = unsafe {
        input_str(
            regime_id,
            regime_id_len,
            "regime_id",
            xborder_core::limits::MAX_ID_CHARS,
        )
    }?;
    // SAFETY: `ptr`/`len` as in this function's contract.
    let text = unsafe {
        input_str_limited(
            ptr,
            len,
            "ptr",
            limits::MAX_TARIFF_BYTES,
            ErrorCode::TariffTooLarge,
        )
    }?;
    let (id, text) = (id.to_string(), text.to_string());
    // SAFETY: this function's contract.
    unsafe { update(builder, |b| add(b, id, text)) }
}

/// Copies the rate text at `ptr`/`len` (at most `MAX_RATES_BYTES` of UTF-8) into the builder
/// with `set`: the one body of the three rate setters below.
///
/// # Safety
///
/// `builder` must be NULL or a live builder that no other thread is using; `ptr` must be NULL
/// or point to `len` readable bytes.
unsafe fn set_rate_text(
    builder: *mut XbEngineBuilder,
    ptr: *const u8,
    len: usize,
    set: fn(EngineBuilder, String) -> EngineBuilder,
) -> Result<(), Failure> {
    // SAFETY: `ptr`/`len` as in this function's contract.
    let text = unsafe { input_str(ptr, len, "ptr", limits::MAX_RATES_BYTES) }?.to_string();
    // SAFETY: this function's contract.
    unsafe { update(builder, |b| set(b, text)) }
}

/// Uses this exchange-rate table (`len` bytes of UTF-8 JSON at `ptr`, the format of
/// `examples/rates/sample-rates.json`) for declarations whose currency is not the regime's,
/// before the built-in official rates, currency pair by currency pair. A later call (or
/// `xb_engine_builder_rates`) replaces an earlier one. The text is copied and loaded by
/// `xb_engine_builder_build` (`XB_STATUS_INVALID_RATES` when it is bad).
///
/// # Safety
///
/// `builder` must be NULL or a live builder that no other thread is using; `ptr` must be NULL
/// or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_rates_json(
    builder: *mut XbEngineBuilder,
    ptr: *const u8,
    len: usize,
) -> XbStatus {
    xb_ffi! {
        // SAFETY: forwarded from this function's contract.
        unsafe { set_rate_text(builder, ptr, len, EngineBuilder::rates_json) }
    }
}

/// Like `xb_engine_builder_rates_json`, for a table in any format xborder reads: the
/// project's JSON, an `xborder-rates` table (`docs/rates-format.md`), the ECB's reference
/// rates as downloaded (`eurofxref-hist.csv` or `.xml`; the monthly customs rates of
/// Art. 146 UCC-IA are selected from them) or HMRC's monthly XML. A later call replaces an
/// earlier one.
///
/// # Safety
///
/// `builder` must be NULL or a live builder that no other thread is using; `ptr` must be NULL
/// or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_rates(
    builder: *mut XbEngineBuilder,
    ptr: *const u8,
    len: usize,
) -> XbStatus {
    xb_ffi! {
        // SAFETY: forwarded from this function's contract.
        unsafe { set_rate_text(builder, ptr, len, EngineBuilder::rates) }
    }
}

/// Adds an official rate table (`len` bytes at `ptr`: an `xborder-rates` table such as
/// `regimes/EU/EU.rates`, or an ECB or HMRC file), which regime packs name by its id
/// (`ECB`, `HMRC`): it replaces the built-in table with the same id. The text is copied and
/// loaded by `xb_engine_builder_build` (`XB_STATUS_INVALID_RATES` when it is bad).
///
/// # Safety
///
/// `builder` must be NULL or a live builder that no other thread is using; `ptr` must be NULL
/// or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_rate_table(
    builder: *mut XbEngineBuilder,
    ptr: *const u8,
    len: usize,
) -> XbStatus {
    xb_ffi! {
        // SAFETY: forwarded from this function's contract.
        unsafe { set_rate_text(builder, ptr, len, EngineBuilder::rate_table) }
    }
}

/// Leaves the built-in official rate tables (ECB, HMRC) out of the engine: only the caller's
/// rates (`xb_engine_builder_rates*`) and rate tables (`xb_engine_builder_rate_table`) convert.
///
/// # Safety
///
/// `builder` must be NULL or a live builder that no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_without_builtin_rates(
    builder: *mut XbEngineBuilder,
) -> XbStatus {
    xb_ffi! {
        // SAFETY: this function's contract.
        unsafe { update(builder, EngineBuilder::without_builtin_rates) }
    }
}

/// Leaves the embedded national tariff files out of the engine (`regimes/<ID>/<ID>.tariff`,
/// for the regimes that have one: AU, EU, GB, JP, US): the packs' own tariff lines then price
/// every date, and a tariff given with `xb_engine_builder_tariff` still applies.
///
/// # Safety
///
/// `builder` must be NULL or a live builder that no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_without_embedded_tariffs(
    builder: *mut XbEngineBuilder,
) -> XbStatus {
    xb_ffi! {
        // SAFETY: this function's contract.
        unsafe { update(builder, EngineBuilder::without_embedded_tariffs) }
    }
}

/// Leaves out the sample risk profiles shipped with the embedded regimes
/// (`regimes/<ID>/risk-profile.json`): a regime without a profile of the caller's
/// (`xb_engine_builder_risk_profile_json`) then decides release on findings and revenue
/// alone, and has no split-consignment rule.
///
/// # Safety
///
/// `builder` must be NULL or a live builder that no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_without_sample_risk_profiles(
    builder: *mut XbEngineBuilder,
) -> XbStatus {
    xb_ffi! {
        // SAFETY: this function's contract.
        unsafe { update(builder, EngineBuilder::without_sample_risk_profiles) }
    }
}

/// Adds a risk profile: `len` bytes of UTF-8 JSON at `ptr` (`docs/risk-profiles.md`). It
/// replaces any profile of the same regime, the embedded sample included; several calls add
/// profiles for several regimes. The text is copied; it is parsed and validated by
/// `xb_engine_builder_build`, which reports a bad profile as `XB_STATUS_INVALID_PACK` (code
/// `E_INVALID_PACK`, path `risk_profile[N].…`, N counting the profiles added from 0) and a
/// profile for a regime the engine does not hold as `XB_STATUS_INVALID_ENGINE` (code
/// `E_NO_REGIME`, path `risk_profile[N].regime`).
///
/// Returns `XB_STATUS_NULL_PARAMETER` (NULL `builder`, or NULL `ptr` with `len > 0`),
/// `XB_STATUS_INPUT_TOO_LARGE` (over 16 MiB, the limit of a pack, code `E_INPUT_TOO_LARGE`)
/// or `XB_STATUS_INVALID_UTF8`.
///
/// # Safety
///
/// `builder` must be NULL or a live builder that no other thread is using; `ptr` must be NULL
/// or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_risk_profile_json(
    builder: *mut XbEngineBuilder,
    ptr: *const u8,
    len: usize,
) -> XbStatus {
    xb_ffi! {
        // SAFETY: `ptr`/`len` as in this function's contract. The core refuses a profile over
        // the pack limit with E_INPUT_TOO_LARGE; refusing it here gives the same code sooner.
        let text = unsafe { input_str(ptr, len, "ptr", limits::MAX_PACK_BYTES) }?.to_string();
        // SAFETY: this function's contract.
        unsafe { update(builder, |b| b.risk_profile_json(text)) }
    }
}

/// Adds a regime's return and refund rules: `len` bytes of UTF-8 JSON at `ptr`
/// (`docs/returns.md`, the format of `regimes/<ID>/returns.json`). They replace the rules of
/// the same regime, the embedded ones included, for `xb_refund_json`; a builder without the
/// embedded regimes has no return rules but these. The text is copied; it is parsed and
/// validated by `xb_engine_builder_build`, which reports bad rules as `XB_STATUS_INVALID_PACK`
/// (path `return_rules[N].…`, N counting the rules added from 0) and rules for a regime the
/// engine does not hold as `XB_STATUS_INVALID_ENGINE` (code `E_NO_REGIME`, path
/// `return_rules[N].regime`).
///
/// Returns `XB_STATUS_NULL_PARAMETER` (NULL `builder`, or NULL `ptr` with `len > 0`),
/// `XB_STATUS_INPUT_TOO_LARGE` (over 16 MiB, the limit of a pack) or `XB_STATUS_INVALID_UTF8`.
///
/// # Safety
///
/// `builder` must be NULL or a live builder that no other thread is using; `ptr` must be NULL
/// or point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_return_rules_json(
    builder: *mut XbEngineBuilder,
    ptr: *const u8,
    len: usize,
) -> XbStatus {
    xb_ffi! {
        // SAFETY: `ptr`/`len` as in this function's contract.
        let text = unsafe { input_str(ptr, len, "ptr", limits::MAX_PACK_BYTES) }?.to_string();
        // SAFETY: this function's contract.
        unsafe { update(builder, |b| b.return_rules_json(text)) }
    }
}

/// Parses and validates everything the builder holds and makes an engine of it.
///
/// The builder is not consumed: free it with `xb_engine_builder_free` (it may also be changed
/// and built again). On `XB_STATUS_OK`, `*out` is a new engine to be freed with
/// `xb_engine_free`; otherwise `*out` is NULL and the status says what failed:
/// `XB_STATUS_INVALID_PACK`, `XB_STATUS_INVALID_TARIFF`, `XB_STATUS_INVALID_RATES`,
/// `XB_STATUS_INVALID_ENGINE` or `XB_STATUS_INPUT_TOO_LARGE`, with the code, message and path
/// (e.g. `pack[0].versions[1].taxes…`) in `xb_last_error_*`.
///
/// # Safety
///
/// `builder` must be NULL or a live builder that no other thread is changing; `out` must be
/// NULL or valid for writing an `XbEngine*`.
#[no_mangle]
pub unsafe extern "C" fn xb_engine_builder_build(
    builder: *const XbEngineBuilder,
    out: *mut *mut XbEngine,
) -> XbStatus {
    xb_ffi! {
        // SAFETY: `out` is NULL or writable (contract).
        let out = unsafe { Out::new(out, "out") }?;
        // SAFETY: `builder` is NULL or live and not changed during the call (contract).
        let builder = unsafe { arg_ref(builder, "builder") }?;
        publish(builder.builder.clone().build(), out)
    }
}

/// The regimes an engine holds, as JSON: an array of
/// `{"id","name","currency","destinations":[…],"versions":[{"version","from","to","summary",
/// "tariff_lines","options":[{"name","default","values"}]}]}`, the same fields as
/// `xborder regimes --json`.
///
/// On `XB_STATUS_OK`, `*out` is an owned NUL-terminated string to be freed with
/// `xb_string_free`; otherwise it is NULL.
///
/// # Safety
///
/// `engine` must be NULL or a live engine; `out` must be NULL or valid for writing a `char*`.
#[no_mangle]
pub unsafe extern "C" fn xb_regimes_json(
    engine: *const XbEngine,
    out: *mut *mut c_char,
) -> XbStatus {
    xb_ffi! {
        // SAFETY: `out` is NULL or writable (contract).
        let out = unsafe { Out::new(out, "out") }?;
        // SAFETY: `engine` is NULL or a live engine (contract).
        let engine = unsafe { arg_ref(engine, "engine") }?;
        let mut json = OwnedText::with_capacity(16 * 1024);
        serde_json::to_writer(json.buf(), &engine.engine.regime_listing())
            .map_err(|e| Failure::internal(format!("regimes did not serialize: {e}")))?;
        out.set_text(json);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;

    use super::*;
    use crate::xb_string_free;

    #[test]
    fn the_regime_listing_is_the_cores_byte_for_byte() {
        let mut engine = std::ptr::null_mut();
        let mut out = std::ptr::null_mut();
        // SAFETY: both out-pointers are valid and writable; the engine and the text are freed
        // once, by their own free functions, after their last use.
        unsafe {
            assert_eq!(xb_engine_new(&mut engine), XbStatus::Ok);
            assert_eq!(xb_regimes_json(engine, &mut out), XbStatus::Ok);
            let text = CStr::from_ptr(out).to_str().unwrap().to_owned();
            xb_string_free(out);
            xb_engine_free(engine);
            assert_eq!(text, Engine::embedded().unwrap().regimes_json());
        }
    }

    /// The status follows the document that failed, whatever its path: a nesting limit in a
    /// caller's tariff or official rate table is that document's error, not a pack's.
    #[test]
    fn a_build_error_is_the_status_of_its_document() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let deep_object = format!("{{\"a\":{deep}}}");
        let status = |builder: EngineBuilder| build_status(&builder.build().unwrap_err());
        assert_eq!(
            status(Engine::builder().regime_json(deep_object.clone())),
            XbStatus::InvalidPack
        );
        assert_eq!(
            status(Engine::builder().tariff("EU", deep_object.clone())),
            XbStatus::InvalidTariff
        );
        assert_eq!(
            status(Engine::builder().rates_json(deep_object.clone())),
            XbStatus::InvalidRates
        );
        assert_eq!(
            status(Engine::builder().rate_table(deep_object.clone())),
            XbStatus::InvalidRates
        );
        assert_eq!(
            status(Engine::builder().risk_profile_json(deep_object)),
            XbStatus::InvalidPack
        );
    }
}
