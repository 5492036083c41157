//! The safety review's tests (docs/security.md): every pointer-and-length argument of every
//! exported function, called from Rust with NULL, a dangling pointer with length 0, a length
//! past the limit behind a pointer that must never be read, and invalid UTF-8; every object
//! argument NULL; every out-parameter NULL, and NULLed on failure. Run under AddressSanitizer
//! by the C programs and under valgrind by scripts/ffi-valgrind.sh; a pointer read that these
//! checks let through would fault here.

use std::ffi::{c_char, CStr};
use std::ptr;

use xborder::*;
use xborder_core::limits::{
    MAX_DECLARATION_BYTES, MAX_PACK_BYTES, MAX_RATES_BYTES, MAX_TARIFF_BYTES,
};

fn last_code() -> String {
    // SAFETY: the getter returns a NUL-terminated string valid until the next failing call.
    unsafe { CStr::from_ptr(xb_last_error_code()) }
        .to_str()
        .unwrap()
        .to_string()
}

fn last_path() -> String {
    // SAFETY: as above.
    unsafe { CStr::from_ptr(xb_last_error_path()) }
        .to_str()
        .unwrap()
        .to_string()
}

/// Takes an out string: its text, freed.
fn take(out: *mut c_char) -> String {
    assert!(!out.is_null());
    // SAFETY: a non-NULL out string is NUL-terminated and ours; freed once.
    unsafe {
        let text = CStr::from_ptr(out).to_str().unwrap().to_string();
        xb_string_free(out);
        text
    }
}

fn engine() -> *mut XbEngine {
    let mut e = ptr::null_mut();
    // SAFETY: `e` is a live local.
    assert_eq!(unsafe { xb_engine_new(&mut e) }, XbStatus::Ok);
    e
}

/// A dangling, never-NULL pointer: reading through it would fault under the sanitizers.
fn dangling() -> *const u8 {
    ptr::NonNull::dangling().as_ptr()
}

/// One byte-argument of one function: calls it with `(ptr, len)` and returns the status and,
/// for functions with an out string, that string.
type Call<'a> = Box<dyn Fn(*const u8, usize) -> (XbStatus, Option<String>) + 'a>;

struct Case<'a> {
    name: &'static str,
    param: &'static str,
    /// The byte limit, and the code past it; `None` for NDJSON batches (only `isize::MAX`).
    limit: Option<(usize, &'static str)>,
    /// Whether the bytes must be UTF-8 (NDJSON batches report bad lines in place instead).
    text: bool,
    call: Call<'a>,
}

fn cases(
    engine: *const XbEngine,
    builder: *mut XbEngineBuilder,
    statement: *mut XbStatement,
    ledger: *mut XbSplitLedger,
) -> Vec<Case<'static>> {
    let assess = move |f: unsafe extern "C" fn(
        *const XbEngine,
        *const u8,
        usize,
        *mut *mut c_char,
    ) -> XbStatus|
          -> Call<'static> {
        Box::new(move |p, n| {
            let mut out: *mut c_char = ptr::NonNull::dangling().as_ptr();
            // SAFETY: the engine is live; `p`/`n` are what the case is about; `out` is local.
            let s = unsafe { f(engine, p, n, &mut out) };
            (s, (!out.is_null()).then(|| take(out)))
        })
    };
    let with_options = move |f: unsafe extern "C" fn(
        *const XbEngine,
        *const u8,
        usize,
        *const u8,
        usize,
        *mut *mut c_char,
    ) -> XbStatus,
                             options: bool|
          -> Call<'static> {
        Box::new(move |p, n| {
            let mut out: *mut c_char = ptr::NonNull::dangling().as_ptr();
            let doc = b"{\"id\":\"x\"}";
            // SAFETY: as above; the other byte argument is valid for its length.
            let s = unsafe {
                if options {
                    f(engine, doc.as_ptr(), doc.len(), p, n, &mut out)
                } else {
                    f(engine, p, n, ptr::null(), 0, &mut out)
                }
            };
            (s, (!out.is_null()).then(|| take(out)))
        })
    };
    let build = move |f: Box<dyn Fn(*const u8, usize) -> XbStatus>| -> Call<'static> {
        Box::new(move |p, n| (f(p, n), None))
    };
    vec![
        Case {
            name: "xb_assess_json",
            param: "ptr",
            limit: Some((MAX_DECLARATION_BYTES, "E_INPUT_TOO_LARGE")),
            text: true,
            call: assess(xb_assess_json),
        },
        Case {
            name: "xb_assess_json_with_options",
            param: "ptr",
            limit: Some((MAX_DECLARATION_BYTES, "E_INPUT_TOO_LARGE")),
            text: true,
            call: with_options(xb_assess_json_with_options, false),
        },
        Case {
            name: "xb_assess_json_with_options",
            param: "options",
            limit: Some((64 * 1024, "E_INPUT_TOO_LARGE")),
            text: true,
            call: with_options(xb_assess_json_with_options, true),
        },
        Case {
            name: "xb_assess_ndjson",
            param: "ptr",
            limit: None,
            text: false,
            call: assess(xb_assess_ndjson),
        },
        Case {
            name: "xb_assess_ndjson_with_options",
            param: "ptr",
            limit: None,
            text: false,
            call: with_options(xb_assess_ndjson_with_options, false),
        },
        Case {
            name: "xb_assess_ndjson_with_options",
            param: "options",
            limit: Some((64 * 1024, "E_INPUT_TOO_LARGE")),
            text: true,
            call: with_options(xb_assess_ndjson_with_options, true),
        },
        Case {
            name: "xb_refund_json",
            param: "ptr",
            limit: Some((MAX_DECLARATION_BYTES, "E_INPUT_TOO_LARGE")),
            text: true,
            call: with_options(xb_refund_json, false),
        },
        Case {
            name: "xb_refund_json",
            param: "options",
            limit: Some((64 * 1024, "E_INPUT_TOO_LARGE")),
            text: true,
            call: with_options(xb_refund_json, true),
        },
        // SAFETY (the statement and ledger calls): each object is live and used by this
        // thread only; the other byte argument is valid for its length.
        Case {
            name: "xb_statement_new",
            param: "period",
            limit: Some((16, "E_INPUT_TOO_LARGE")),
            text: true,
            call: Box::new(|p, n| unsafe {
                let mut made: *mut XbStatement = ptr::NonNull::dangling().as_ptr();
                let s = xb_statement_new(p, n, &mut made);
                assert_eq!(made.is_null(), s != XbStatus::Ok);
                xb_statement_free(made);
                (s, None)
            }),
        },
        Case {
            name: "xb_statement_add",
            param: "ptr",
            limit: Some((MAX_DECLARATION_BYTES, "E_INPUT_TOO_LARGE")),
            text: true,
            call: Box::new(move |p, n| unsafe {
                (
                    xb_statement_add(statement, engine, p, n, ptr::null(), 0),
                    None,
                )
            }),
        },
        Case {
            name: "xb_statement_add",
            param: "options",
            limit: Some((64 * 1024, "E_INPUT_TOO_LARGE")),
            text: true,
            call: Box::new(move |p, n| unsafe {
                let doc = b"{\"id\":\"x\"}";
                (
                    xb_statement_add(statement, engine, doc.as_ptr(), doc.len(), p, n),
                    None,
                )
            }),
        },
        Case {
            name: "xb_split_ledger_new",
            param: "regime_id",
            limit: Some((128, "E_INPUT_TOO_LARGE")),
            text: true,
            call: Box::new(move |p, n| unsafe {
                let mut made: *mut XbSplitLedger = ptr::NonNull::dangling().as_ptr();
                let s = xb_split_ledger_new(engine, p, n, &mut made);
                assert_eq!(made.is_null(), s != XbStatus::Ok);
                xb_split_ledger_free(made);
                (s, None)
            }),
        },
        Case {
            name: "xb_split_ledger_record",
            param: "ptr",
            limit: Some((MAX_DECLARATION_BYTES, "E_INPUT_TOO_LARGE")),
            text: true,
            call: Box::new(move |p, n| unsafe {
                let mut out: *mut c_char = ptr::NonNull::dangling().as_ptr();
                let s = xb_split_ledger_record(ledger, engine, p, n, ptr::null(), 0, &mut out);
                (s, (!out.is_null()).then(|| take(out)))
            }),
        },
        Case {
            name: "xb_split_ledger_record",
            param: "options",
            limit: Some((64 * 1024, "E_INPUT_TOO_LARGE")),
            text: true,
            call: Box::new(move |p, n| unsafe {
                let mut out: *mut c_char = ptr::NonNull::dangling().as_ptr();
                let doc = b"{\"id\":\"x\"}";
                let s =
                    xb_split_ledger_record(ledger, engine, doc.as_ptr(), doc.len(), p, n, &mut out);
                (s, (!out.is_null()).then(|| take(out)))
            }),
        },
        // SAFETY (the builder calls): the builder is live and used by this thread only.
        Case {
            name: "xb_engine_builder_regime_json",
            param: "ptr",
            limit: Some((MAX_PACK_BYTES, "E_PACK_TOO_LARGE")),
            text: true,
            call: build(Box::new(move |p, n| unsafe {
                xb_engine_builder_regime_json(builder, p, n)
            })),
        },
        Case {
            name: "xb_engine_builder_tariff",
            param: "regime_id",
            limit: Some((128, "E_INPUT_TOO_LARGE")),
            text: true,
            call: build(Box::new(move |p, n| unsafe {
                xb_engine_builder_tariff(builder, p, n, b"x".as_ptr(), 1)
            })),
        },
        Case {
            name: "xb_engine_builder_tariff",
            param: "ptr",
            limit: Some((MAX_TARIFF_BYTES, "E_TARIFF_TOO_LARGE")),
            text: true,
            call: build(Box::new(move |p, n| unsafe {
                xb_engine_builder_tariff(builder, b"GB".as_ptr(), 2, p, n)
            })),
        },
        Case {
            name: "xb_engine_builder_tariff_csv",
            param: "regime_id",
            limit: Some((128, "E_INPUT_TOO_LARGE")),
            text: true,
            call: build(Box::new(move |p, n| unsafe {
                xb_engine_builder_tariff_csv(builder, p, n, b"x".as_ptr(), 1, ptr::null(), 0)
            })),
        },
        Case {
            name: "xb_engine_builder_tariff_csv",
            param: "ptr",
            limit: Some((MAX_TARIFF_BYTES, "E_TARIFF_TOO_LARGE")),
            text: true,
            call: build(Box::new(move |p, n| unsafe {
                xb_engine_builder_tariff_csv(builder, b"GB".as_ptr(), 2, p, n, ptr::null(), 0)
            })),
        },
        Case {
            name: "xb_engine_builder_tariff_csv",
            param: "layout",
            limit: Some((64 * 1024, "E_INPUT_TOO_LARGE")),
            text: true,
            call: build(Box::new(move |p, n| unsafe {
                xb_engine_builder_tariff_csv(builder, b"GB".as_ptr(), 2, b"x".as_ptr(), 1, p, n)
            })),
        },
        Case {
            name: "xb_engine_builder_return_rules_json",
            param: "ptr",
            limit: Some((MAX_PACK_BYTES, "E_INPUT_TOO_LARGE")),
            text: true,
            call: build(Box::new(move |p, n| unsafe {
                xb_engine_builder_return_rules_json(builder, p, n)
            })),
        },
        Case {
            name: "xb_engine_builder_rates_json",
            param: "ptr",
            limit: Some((MAX_RATES_BYTES, "E_INPUT_TOO_LARGE")),
            text: true,
            call: build(Box::new(move |p, n| unsafe {
                xb_engine_builder_rates_json(builder, p, n)
            })),
        },
        Case {
            name: "xb_engine_builder_rates",
            param: "ptr",
            limit: Some((MAX_RATES_BYTES, "E_INPUT_TOO_LARGE")),
            text: true,
            call: build(Box::new(move |p, n| unsafe {
                xb_engine_builder_rates(builder, p, n)
            })),
        },
        Case {
            name: "xb_engine_builder_risk_profile_json",
            param: "ptr",
            limit: Some((MAX_PACK_BYTES, "E_INPUT_TOO_LARGE")),
            text: true,
            call: build(Box::new(move |p, n| unsafe {
                xb_engine_builder_risk_profile_json(builder, p, n)
            })),
        },
        Case {
            name: "xb_engine_builder_rate_table",
            param: "ptr",
            limit: Some((MAX_RATES_BYTES, "E_INPUT_TOO_LARGE")),
            text: true,
            call: build(Box::new(move |p, n| unsafe {
                xb_engine_builder_rate_table(builder, p, n)
            })),
        },
    ]
}

#[test]
fn every_byte_argument_is_checked_before_it_is_read() {
    let engine = engine();
    let mut builder = ptr::null_mut();
    // SAFETY: `builder` is a live local.
    assert_eq!(unsafe { xb_engine_builder_new(&mut builder) }, XbStatus::Ok);
    let (mut statement, mut ledger) = (ptr::null_mut(), ptr::null_mut());
    // SAFETY: the engine is live; the out-pointers are live locals.
    unsafe {
        assert_eq!(
            xb_statement_new(ptr::null(), 0, &mut statement),
            XbStatus::Ok
        );
        assert_eq!(
            xb_split_ledger_new(engine, b"EU".as_ptr(), 2, &mut ledger),
            XbStatus::Ok
        );
    }
    for case in cases(engine, builder, statement, ledger) {
        let what = format!("{}({})", case.name, case.param);

        // NULL with a length: refused, naming the parameter, out NULL.
        let (s, out) = (case.call)(ptr::null(), 5);
        assert_eq!(s, XbStatus::NullParameter, "{what}");
        assert_eq!(
            (last_code().as_str(), last_path()),
            ("E_NULL_PARAMETER", case.param.to_string()),
            "{what}"
        );
        assert!(out.is_none(), "{what}");

        // Length 0: NULL and a dangling pointer are both the empty input, never read.
        let null_empty = (case.call)(ptr::null(), 0);
        let dangling_empty = (case.call)(dangling(), 0);
        assert_eq!(null_empty, dangling_empty, "{what}");
        assert!(
            null_empty.0 != XbStatus::NullParameter && null_empty.0 != XbStatus::Panic,
            "{what}"
        );

        // A length past the limit: refused before the (dangling) pointer is read.
        let (limit, code) = case
            .limit
            .unwrap_or((isize::MAX as usize, "E_INPUT_TOO_LARGE"));
        for len in [limit + 1, usize::MAX] {
            let (s, out) = (case.call)(dangling(), len);
            assert_eq!(s, XbStatus::InputTooLarge, "{what} len {len}");
            assert_eq!(last_code(), code, "{what}");
            assert_eq!(last_path(), case.param, "{what}");
            assert!(out.is_none(), "{what}");
        }

        // Invalid UTF-8: refused for text; in a batch, reported in place on its line.
        let bad = b"{\"id\":\"\xff\xfe\"}";
        let (s, out) = (case.call)(bad.as_ptr(), bad.len());
        if case.text {
            assert_eq!(s, XbStatus::InvalidUtf8, "{what}");
            assert_eq!(
                (last_code().as_str(), last_path()),
                ("E_INVALID_UTF8", case.param.to_string()),
                "{what}"
            );
            assert!(out.is_none(), "{what}");
        } else {
            assert_eq!(s, XbStatus::BatchRejected, "{what}");
            let out = out.unwrap();
            assert!(
                out.contains("E_INVALID_UTF8") && out.contains("line 1"),
                "{what}: {out}"
            );
        }
    }
    // SAFETY: each freed once.
    unsafe {
        xb_statement_free(statement);
        xb_split_ledger_free(ledger);
        xb_engine_builder_free(builder);
        xb_engine_free(engine);
    }
}

/// A call given only its `char **out`.
type OutCall<'a> = dyn Fn(&mut *mut c_char) -> XbStatus + 'a;

#[test]
fn null_objects_and_out_parameters_are_refused() {
    let engine = engine();
    let doc = b"{}";
    let mut out: *mut c_char = ptr::NonNull::dangling().as_ptr();
    let mut built: *mut XbEngine = ptr::NonNull::dangling().as_ptr();
    // SAFETY: every non-NULL pointer below is live; the NULL ones are what is tested.
    unsafe {
        let mut ledger = ptr::null_mut();
        assert_eq!(
            xb_split_ledger_new(engine, b"EU".as_ptr(), 2, &mut ledger),
            XbStatus::Ok
        );
        let mut statement = ptr::null_mut();
        assert_eq!(
            xb_statement_new(ptr::null(), 0, &mut statement),
            XbStatus::Ok
        );
        let calls: [&dyn Fn(&mut *mut c_char) -> XbStatus; 7] = [
            &|o| xb_refund_json(ptr::null(), doc.as_ptr(), 2, ptr::null(), 0, o),
            &|o| xb_split_ledger_record(ledger, ptr::null(), doc.as_ptr(), 2, ptr::null(), 0, o),
            &|o| xb_assess_json(ptr::null(), doc.as_ptr(), 2, o),
            &|o| xb_assess_json_with_options(ptr::null(), doc.as_ptr(), 2, ptr::null(), 0, o),
            &|o| xb_assess_ndjson(ptr::null(), doc.as_ptr(), 2, o),
            &|o| xb_assess_ndjson_with_options(ptr::null(), doc.as_ptr(), 2, ptr::null(), 0, o),
            &|o| xb_regimes_json(ptr::null(), o),
        ];
        for call in calls {
            out = ptr::NonNull::dangling().as_ptr();
            assert_eq!(call(&mut out), XbStatus::NullParameter);
            assert_eq!(last_path(), "engine");
            assert!(out.is_null(), "the out-parameter is NULLed first");
        }
        let null_builder = [
            xb_engine_builder_without_embedded(ptr::null_mut()),
            xb_engine_builder_regime_json(ptr::null_mut(), doc.as_ptr(), 2),
            xb_engine_builder_tariff(ptr::null_mut(), b"GB".as_ptr(), 2, doc.as_ptr(), 2),
            xb_engine_builder_rates_json(ptr::null_mut(), doc.as_ptr(), 2),
            xb_engine_builder_rates(ptr::null_mut(), doc.as_ptr(), 2),
            xb_engine_builder_rate_table(ptr::null_mut(), doc.as_ptr(), 2),
            xb_engine_builder_without_builtin_rates(ptr::null_mut()),
            xb_engine_builder_without_embedded_tariffs(ptr::null_mut()),
            xb_engine_builder_without_sample_risk_profiles(ptr::null_mut()),
            xb_engine_builder_risk_profile_json(ptr::null_mut(), doc.as_ptr(), 2),
            xb_engine_builder_build(ptr::null(), &mut built),
        ];
        for s in null_builder {
            assert_eq!(s, XbStatus::NullParameter);
            assert_eq!(last_path(), "builder");
        }
        assert!(built.is_null());
        let mut made_ledger: *mut XbSplitLedger = ptr::NonNull::dangling().as_ptr();
        assert_eq!(
            xb_split_ledger_new(ptr::null(), b"EU".as_ptr(), 2, &mut made_ledger),
            XbStatus::NullParameter
        );
        assert_eq!(last_path(), "engine");
        assert!(made_ledger.is_null());
        assert_eq!(
            xb_statement_add(statement, ptr::null(), doc.as_ptr(), 2, ptr::null(), 0),
            XbStatus::NullParameter
        );
        assert_eq!(last_path(), "engine");
        // (call, the parameter named, whether it has an out-parameter to NULL)
        let null_objects: [(&OutCall, &str, bool); 4] = [
            (
                &|_| xb_statement_add(ptr::null_mut(), engine, doc.as_ptr(), 2, ptr::null(), 0),
                "statement",
                false,
            ),
            (&|o| xb_statement_json(ptr::null(), o), "statement", true),
            (&|o| xb_statement_csv(ptr::null(), o), "statement", true),
            (
                &|o| {
                    xb_split_ledger_record(
                        ptr::null_mut(),
                        engine,
                        doc.as_ptr(),
                        2,
                        ptr::null(),
                        0,
                        o,
                    )
                },
                "ledger",
                true,
            ),
        ];
        for (call, path, has_out) in null_objects {
            out = ptr::NonNull::dangling().as_ptr();
            assert_eq!(call(&mut out), XbStatus::NullParameter, "{path}");
            assert_eq!(last_path(), path);
            assert_eq!(out.is_null(), has_out, "the out-parameter is NULLed first");
        }
        let null_out = [
            xb_engine_new(ptr::null_mut()),
            xb_engine_builder_new(ptr::null_mut()),
            xb_assess_json(engine, doc.as_ptr(), 2, ptr::null_mut()),
            xb_assess_json_with_options(engine, doc.as_ptr(), 2, ptr::null(), 0, ptr::null_mut()),
            xb_assess_ndjson(engine, doc.as_ptr(), 2, ptr::null_mut()),
            xb_assess_ndjson_with_options(engine, doc.as_ptr(), 2, ptr::null(), 0, ptr::null_mut()),
            xb_regimes_json(engine, ptr::null_mut()),
            xb_refund_json(engine, doc.as_ptr(), 2, ptr::null(), 0, ptr::null_mut()),
            xb_statement_new(ptr::null(), 0, ptr::null_mut()),
            xb_statement_json(statement, ptr::null_mut()),
            xb_statement_csv(statement, ptr::null_mut()),
            xb_split_ledger_new(engine, b"EU".as_ptr(), 2, ptr::null_mut()),
            xb_split_ledger_record(
                ledger,
                engine,
                doc.as_ptr(),
                2,
                ptr::null(),
                0,
                ptr::null_mut(),
            ),
        ];
        for s in null_out {
            assert_eq!(s, XbStatus::NullParameter);
            assert_eq!(last_path(), "out");
        }
        // The freeing functions accept NULL; clone gives NULL for NULL.
        xb_string_free(ptr::null_mut());
        xb_engine_free(ptr::null_mut());
        xb_engine_builder_free(ptr::null_mut());
        xb_statement_free(ptr::null_mut());
        xb_split_ledger_free(ptr::null_mut());
        xb_statement_free(statement);
        xb_split_ledger_free(ledger);
        assert!(xb_engine_clone(ptr::null()).is_null());
        // Clone and free keep the engine alive until its last owner.
        let other = xb_engine_clone(engine);
        xb_engine_free(engine);
        let s = xb_assess_json(other, doc.as_ptr(), 2, &mut out);
        assert_eq!(s, XbStatus::Rejected);
        take(out);
        xb_engine_free(other);
    }
}
