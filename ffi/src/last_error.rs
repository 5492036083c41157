//! The last error of the calling thread: `xb_last_error_code()`, `xb_last_error_message()`,
//! `xb_last_error_path()`.
//!
//! Every function returning an `XbStatus` stores its failure here, or clears what was stored
//! when it succeeds. The store is per thread, so threads sharing one engine never see each
//! other's errors.

use std::cell::RefCell;
use std::ffi::{c_char, CStr, CString};

use crate::boundary::{xb_ffi, Failure};
use crate::status::XbStatus;

/// A stored failure, with NUL-terminated copies for C.
struct Stored {
    failure: Failure,
    code: CString,
    message: CString,
    path: Option<CString>,
}

thread_local! {
    static LAST_ERROR: RefCell<Option<Stored>> = const { RefCell::new(None) };
}

/// Text for C: a NUL byte (which C could not see past) is written as `\0`.
fn c_text(text: &str) -> CString {
    CString::new(text.replace('\0', "\\0")).unwrap_or_default()
}

/// Stores `failure` as this thread's last error.
pub(crate) fn set(failure: Failure) {
    let stored = Stored {
        code: c_text(failure.code),
        message: c_text(&failure.message),
        path: failure.path.as_deref().map(c_text),
        failure,
    };
    // `try_with`: during thread teardown the slot may be gone; nothing is stored then.
    let _ = LAST_ERROR.try_with(|slot| *slot.borrow_mut() = Some(stored));
}

/// Clears this thread's last error (after a successful call).
#[inline]
pub(crate) fn clear() {
    let _ = LAST_ERROR.try_with(|slot| {
        // Only write (and free) when something is stored: the common case costs one check.
        if slot.borrow().is_some() {
            *slot.borrow_mut() = None;
        }
    });
}

/// Copies of this thread's last error (status, code, message, path) for an `XbError`, or
/// `None` when the last call succeeded.
pub(crate) fn copy() -> Option<(XbStatus, CString, CString, Option<CString>)> {
    LAST_ERROR
        .try_with(|slot| {
            slot.borrow().as_ref().map(|s| {
                (
                    s.failure.status,
                    s.code.clone(),
                    s.message.clone(),
                    s.path.clone(),
                )
            })
        })
        .ok()
        .flatten()
}

/// A copy of this thread's last error, for tests.
#[cfg(test)]
pub(crate) fn snapshot() -> Option<Failure> {
    LAST_ERROR.with(|slot| slot.borrow().as_ref().map(|s| s.failure.clone()))
}

/// A pointer into this thread's last error, or to a static empty string.
fn pointer(pick: impl Fn(&Stored) -> Option<&CStr>) -> *const c_char {
    LAST_ERROR
        .try_with(|slot| slot.borrow().as_ref().and_then(pick).map(CStr::as_ptr))
        .ok()
        .flatten()
        // The CString's heap buffer does not move when the RefCell borrow ends; it lives until
        // the next call on this thread stores or clears an error.
        .unwrap_or(c"".as_ptr())
}

/// The message of the last failed call on this thread, in English.
///
/// Returns `""` when the last call that returns an `XbStatus` succeeded (or none was made
/// yet). The string belongs to xborder: do not free it. It stays valid until the next call on
/// this thread to a function that returns an `XbStatus`; copy it to keep it. Calling
/// `xb_last_error_*`, `xb_status_message`, `xb_version` or `xb_string_free` does not change
/// it. Thread-safe: each thread has its own last error.
#[no_mangle]
pub extern "C" fn xb_last_error_message() -> *const c_char {
    xb_ffi!(value => { pointer(|s| Some(&s.message)) })
}

/// The stable code of the last failed call on this thread: one of the core's error codes
/// (`"E_HS_NO_TARIFF_LINE"`, `"E_INVALID_UTF8"`, …, the same strings as the JSON `code`
/// field), or `"E_NULL_PARAMETER"` for `XB_STATUS_NULL_PARAMETER`. Branch on this rather than
/// on the message.
///
/// Returns `""` when there is no last error. Lifetime and threading as for
/// `xb_last_error_message`.
#[no_mangle]
pub extern "C" fn xb_last_error_code() -> *const c_char {
    xb_ffi!(value => { pointer(|s| Some(&s.code)) })
}

/// Where the last failure on this thread lies: the JSON path of the offending field
/// (`"items[0].hs_code"`), `"line N"` for a batch line that was not valid UTF-8 or too long,
/// the options key for `XB_STATUS_INVALID_OPTIONS` (`"date"`, `"options.flat_duty_scope"`), or the name of the parameter (`"engine"`,
/// `"ptr"`, `"out"`) for the argument checks of the `100`-`199` band.
///
/// Returns `""` when the error has no path or there is no last error. Lifetime and threading
/// as for `xb_last_error_message`.
#[no_mangle]
pub extern "C" fn xb_last_error_path() -> *const c_char {
    xb_ffi!(value => { pointer(|s| s.path.as_deref()) })
}

/// The status of the last failed call on this thread, for code that has lost it; `0`
/// (`XB_STATUS_OK`) when the last call succeeded. Threading as for `xb_last_error_message`.
#[no_mangle]
pub extern "C" fn xb_last_error_status() -> XbStatus {
    xb_ffi!(value => {
        LAST_ERROR
            .try_with(|slot| slot.borrow().as_ref().map(|s| s.failure.status))
            .ok()
            .flatten()
            .unwrap_or(XbStatus::Ok)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(p: *const c_char) -> String {
        // SAFETY: the getters return NUL-terminated strings valid until the next store.
        unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_string()
    }

    #[test]
    fn stored_per_thread_and_cleared() {
        set(Failure::null("engine"));
        assert_eq!(read(xb_last_error_code()), "E_NULL_PARAMETER");
        assert_eq!(read(xb_last_error_path()), "engine");
        assert_eq!(read(xb_last_error_message()), "`engine` is NULL");
        assert_eq!(xb_last_error_status(), XbStatus::NullParameter);
        std::thread::spawn(|| {
            assert_eq!(read(xb_last_error_code()), "");
            assert_eq!(xb_last_error_status(), XbStatus::Ok);
        })
        .join()
        .unwrap();
        let mut f = Failure::internal("a\0b");
        f.path = None;
        set(f);
        assert_eq!(read(xb_last_error_message()), "a\\0b");
        assert_eq!(read(xb_last_error_path()), "");
        clear();
        assert_eq!(read(xb_last_error_message()), "");
        assert_eq!(xb_last_error_status(), XbStatus::Ok);
    }
}
