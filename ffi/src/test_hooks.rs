//! Deliberate panics inside the boundary, for the tests that prove no panic reaches C.
//!
//! Compiled only with debug assertions (never into a release library) and left out of the
//! header; `tests/c/panic.c` declares them itself.

use std::ffi::c_char;

use crate::boundary::xb_ffi;
use crate::status::XbStatus;

/// Panics inside a status-returning boundary: returns `XB_STATUS_PANIC`, `*out` NULL.
///
/// # Safety
///
/// `out` must be NULL or valid for writing a `char*`.
#[no_mangle]
pub unsafe extern "C" fn xb_test_panic(out: *mut *mut c_char) -> XbStatus {
    xb_ffi! {
        // SAFETY: `out` is NULL or writable (contract).
        let _out = unsafe { crate::boundary::Out::new(out, "out") }?;
        panic!("deliberate panic from xb_test_panic")
    }
}

/// Panics inside a pointer-returning boundary: returns NULL.
#[no_mangle]
pub extern "C" fn xb_test_panic_pointer() -> *const c_char {
    xb_ffi!(value => { panic!("deliberate panic from xb_test_panic_pointer") })
}
