//! The C entry points, called from Rust with fuzzed bytes, lengths and call sequences.
//!
//! Every call gets valid memory for the bytes it is told to read; what is fuzzed is the
//! content, the lengths (zero, NULL with a length, a length over the limit with a pointer
//! that must not be read), the order of calls and the builder's inputs.
//!
//! Invariants after every call: an out-parameter is NULL exactly when the contract says so
//! and otherwise a NUL-terminated UTF-8 JSON document; a failed status leaves a code in
//! `xb_last_error_code()`; every string is freed once (the sanitizer's leak check and
//! use-after-free detection watch the rest).
#![no_main]

use std::ffi::{c_char, CStr};
use std::ptr;
use std::sync::OnceLock;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use xborder_core::limits::{MAX_DECLARATION_BYTES, MAX_PACK_BYTES};
use xborder_ffi::*;

/// How a byte argument is passed.
#[derive(Debug, Arbitrary)]
enum Arg {
    /// The bytes as they are.
    Bytes(Vec<u8>),
    /// NULL with length 0 (allowed: an empty input).
    NullEmpty,
    /// NULL with a non-zero length (refused before reading).
    NullWithLength(u16),
    /// A dangling pointer with length 0 (never read).
    DanglingEmpty,
    /// A dangling pointer with a length over the argument's limit (refused before reading).
    DanglingOverLimit(u16),
}

#[derive(Debug, Arbitrary)]
enum Op {
    Assess(Arg),
    AssessWithOptions(Arg, Arg),
    Ndjson(Arg),
    NdjsonWithOptions(Arg, Arg),
    BuilderNew,
    BuilderWithoutEmbedded,
    BuilderRegime(Arg),
    BuilderTariff(Arg, Arg),
    BuilderRates(Arg),
    BuilderBuild,
    BuilderFree,
    EngineClone,
    EngineFree,
    Regimes,
    StatusMessage(u32),
    NullOut,
}

struct Embedded(*mut XbEngine);
// SAFETY: an XbEngine is immutable and may be shared between threads (ffi/src/engine.rs).
unsafe impl Send for Embedded {}
// SAFETY: as above.
unsafe impl Sync for Embedded {}

fn embedded() -> *mut XbEngine {
    static ENGINE: OnceLock<Embedded> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let mut e = ptr::null_mut();
            // SAFETY: `e` is a live local.
            assert_eq!(unsafe { xb_engine_new(&mut e) }, XbStatus::Ok);
            Embedded(e)
        })
        .0
}

/// A pointer/length pair for `arg`; `keep` holds the bytes alive for the call. `limit` is the
/// argument's size limit, when it has one (inputs without one never get a dangling length).
fn pass(arg: &Arg, limit: Option<usize>) -> (*const u8, usize) {
    match arg {
        Arg::Bytes(b) => (
            if b.is_empty() {
                ptr::null()
            } else {
                b.as_ptr()
            },
            b.len(),
        ),
        Arg::NullEmpty => (ptr::null(), 0),
        Arg::NullWithLength(n) => (ptr::null(), usize::from(*n).max(1)),
        Arg::DanglingEmpty => (ptr::dangling(), 0),
        Arg::DanglingOverLimit(n) => match limit {
            Some(limit) => (ptr::dangling(), limit + 1 + usize::from(*n)),
            None => (ptr::null(), 0),
        },
    }
}

/// Checks an out string against the status and frees it.
fn take(status: XbStatus, out: *mut c_char, out_on: &[XbStatus]) {
    if out_on.contains(&status) {
        assert!(!out.is_null(), "{status:?} without output");
        // SAFETY: a non-NULL out string is NUL-terminated and ours until freed.
        let text = unsafe { CStr::from_ptr(out) }
            .to_str()
            .expect("UTF-8 output");
        if !text.is_empty() {
            for line in text.lines() {
                serde_json::from_str::<serde_json::Value>(line).expect("JSON output");
            }
        }
        // SAFETY: freed exactly once.
        unsafe { xb_string_free(out) };
    } else {
        assert!(out.is_null(), "{status:?} with output");
    }
    if status != XbStatus::Ok {
        assert!(
            !xb_last_error_code().is_null(),
            "{status:?} without a last error"
        );
        assert_eq!(xb_last_error_status(), status);
    }
    assert_ne!(status, XbStatus::Panic, "a panic reached the boundary");
}

const ONE: &[XbStatus] = &[XbStatus::Ok, XbStatus::Rejected, XbStatus::Internal];
const BATCH: &[XbStatus] = &[XbStatus::Ok, XbStatus::BatchRejected];

fuzz_target!(|ops: Vec<Op>| {
    let mut builder: *mut XbEngineBuilder = ptr::null_mut();
    // Owners of engines this run made or cloned; each is freed once.
    let mut engines: Vec<*mut XbEngine> = vec![embedded()];
    let mut owned = 0usize; // engines[owned..] are ours to free (engines[0] is shared).
    owned += 1;
    for op in ops.iter().take(32) {
        let engine = *engines.last().expect("always one");
        let mut out: *mut c_char = ptr::dangling_mut();
        // SAFETY (every call below): `engine` is live; every pointer/length pair from `pass`
        // is either valid for its length, zero-length, or refused by the documented checks
        // before it is read; `out` is a live local; `builder` is NULL or live.
        unsafe {
            match op {
                Op::Assess(a) => {
                    let (p, n) = pass(a, Some(MAX_DECLARATION_BYTES));
                    let s = xb_assess_json(engine, p, n, &mut out);
                    take(s, out, ONE);
                }
                Op::AssessWithOptions(a, o) => {
                    let (p, n) = pass(a, Some(MAX_DECLARATION_BYTES));
                    let (op_, on) = pass(o, Some(64 * 1024));
                    let s = xb_assess_json_with_options(engine, p, n, op_, on, &mut out);
                    take(s, out, ONE);
                }
                Op::Ndjson(a) => {
                    let (p, n) = pass(a, None);
                    let s = xb_assess_ndjson(engine, p, n, &mut out);
                    take(s, out, BATCH);
                }
                Op::NdjsonWithOptions(a, o) => {
                    let (p, n) = pass(a, None);
                    let (op_, on) = pass(o, Some(64 * 1024));
                    let s = xb_assess_ndjson_with_options(engine, p, n, op_, on, &mut out);
                    take(s, out, BATCH);
                }
                Op::BuilderNew => {
                    xb_engine_builder_free(builder);
                    builder = ptr::null_mut();
                    let s = xb_engine_builder_new(&mut builder);
                    assert_eq!(s, XbStatus::Ok);
                    assert!(!builder.is_null());
                }
                Op::BuilderWithoutEmbedded => {
                    let s = xb_engine_builder_without_embedded(builder);
                    assert_eq!(s == XbStatus::Ok, !builder.is_null());
                }
                Op::BuilderRegime(a) => {
                    let (p, n) = pass(a, Some(MAX_PACK_BYTES));
                    let s = xb_engine_builder_regime_json(builder, p, n);
                    take(s, ptr::null_mut(), &[]);
                }
                Op::BuilderTariff(id, a) => {
                    let (ip, il) = pass(id, Some(xborder_core::limits::MAX_ID_CHARS));
                    let (p, n) = pass(a, Some(xborder_core::limits::MAX_TARIFF_BYTES));
                    let s = xb_engine_builder_tariff(builder, ip, il, p, n);
                    take(s, ptr::null_mut(), &[]);
                }
                Op::BuilderRates(a) => {
                    let (p, n) = pass(a, Some(MAX_PACK_BYTES));
                    let s = xb_engine_builder_rates_json(builder, p, n);
                    take(s, ptr::null_mut(), &[]);
                }
                Op::BuilderBuild => {
                    let mut built: *mut XbEngine = ptr::dangling_mut();
                    let s = xb_engine_builder_build(builder, &mut built);
                    if s == XbStatus::Ok {
                        assert!(!built.is_null());
                        engines.push(built);
                    } else {
                        assert!(built.is_null());
                        take(s, ptr::null_mut(), &[]);
                    }
                }
                Op::BuilderFree => {
                    xb_engine_builder_free(builder);
                    builder = ptr::null_mut();
                }
                Op::EngineClone => {
                    let c = xb_engine_clone(engine);
                    assert_eq!(c, engine);
                    engines.push(c);
                }
                Op::EngineFree => {
                    if engines.len() > owned {
                        xb_engine_free(engines.pop().expect("checked"));
                    }
                }
                Op::Regimes => {
                    let s = xb_regimes_json(engine, &mut out);
                    take(s, out, &[XbStatus::Ok]);
                }
                Op::StatusMessage(n) => {
                    let m = xb_status_message(*n);
                    assert!(!m.is_null());
                    CStr::from_ptr(m).to_str().expect("UTF-8");
                }
                Op::NullOut => {
                    let s = xb_assess_json(engine, ptr::null(), 0, ptr::null_mut());
                    assert_eq!(s, XbStatus::NullParameter);
                    assert_eq!(
                        CStr::from_ptr(xb_last_error_code()).to_bytes(),
                        b"E_NULL_PARAMETER"
                    );
                }
            }
        }
    }
    // SAFETY: each pointer is freed once; engines[0] is the shared one and stays.
    unsafe {
        xb_engine_builder_free(builder);
        for e in engines.drain(owned..) {
            xb_engine_free(e);
        }
    }
});
