//! The boundary every exported function goes through.
//!
//! `xb_ffi!` wraps the body of each `extern "C"` function. It
//! - runs the body under `catch_unwind`, so that no panic unwinds into C: a panic becomes
//!   `XB_STATUS_PANIC` (or NULL / nothing for functions that cannot return a status, see
//!   [`XbDefault`]) and its message is kept for `xb_last_error_message()`;
//! - records the outcome for the `xb_last_error_*` functions: a [`Failure`] is stored, a
//!   success clears what an earlier call stored;
//! - gives the body the argument checks below, each returning a [`Failure`] through `?`:
//!   `input_str` and `input_bytes` (NULL only with length 0, size limit, UTF-8; the
//!   pointer is never turned into a slice before those checks), `Out::new` (non-NULL
//!   out-parameter, set to NULL before anything else can fail) and `arg_ref`/`arg_mut`.
//!
//! Owned strings for C are built in `strings::OwnedText` and freed by `xb_string_free`.

use std::any::Any;
use std::ffi::c_char;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use xborder_core::{Error, ErrorCode};

use crate::last_error;
use crate::status::XbStatus;
use crate::strings::OwnedText;

/// Code of [`XbStatus::NullParameter`] failures. Only C can pass a NULL pointer; the core
/// reserves the code so that no other error ever takes it.
pub(crate) const E_NULL_PARAMETER: &str = ErrorCode::NullParameter.as_str();

/// Why a call failed: the status it returns and the error `xb_last_error_*` report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// What the function returns.
    pub status: XbStatus,
    /// Stable code (`E_…`), from the core's list or `E_NULL_PARAMETER`.
    pub code: &'static str,
    /// Plain-language message.
    pub message: String,
    /// The JSON path of the offending field, or the name of the offending parameter.
    pub path: Option<String>,
}

impl Failure {
    /// A failure carrying a core error.
    #[cold]
    pub(crate) fn from_core(status: XbStatus, error: &Error) -> Failure {
        Failure {
            status,
            code: error.code.as_str(),
            message: error.message.clone(),
            path: error.path.clone(),
        }
    }

    /// A NULL pointer where one is required.
    #[cold]
    pub(crate) fn null(param: &'static str) -> Failure {
        Failure {
            status: XbStatus::NullParameter,
            code: E_NULL_PARAMETER,
            message: format!("`{param}` is NULL"),
            path: Some(param.to_string()),
        }
    }

    /// An input larger than allowed; `code` says which limit (`E_INPUT_TOO_LARGE`,
    /// `E_PACK_TOO_LARGE`, `E_TARIFF_TOO_LARGE`), the status is `XB_STATUS_INPUT_TOO_LARGE`.
    #[cold]
    pub(crate) fn too_large(
        param: &'static str,
        len: usize,
        limit: usize,
        code: ErrorCode,
    ) -> Failure {
        Failure {
            status: XbStatus::InputTooLarge,
            code: code.as_str(),
            message: format!("`{param}` is {len} bytes; the limit is {limit} bytes"),
            path: Some(param.to_string()),
        }
    }

    /// An argument naming something xborder cannot use ([`XbStatus::InvalidArgument`]).
    #[cold]
    pub(crate) fn argument(
        param: &'static str,
        code: ErrorCode,
        message: impl Into<String>,
    ) -> Failure {
        Failure {
            status: XbStatus::InvalidArgument,
            code: code.as_str(),
            message: message.into(),
            path: Some(param.to_string()),
        }
    }

    /// A record (declaration, return declaration) the core rejected: `XB_STATUS_REJECTED`, or
    /// `XB_STATUS_INTERNAL` when the core reports a bug of its own.
    #[cold]
    pub(crate) fn rejected(error: &Error) -> Failure {
        let status = match error.code {
            ErrorCode::Internal => XbStatus::Internal,
            _ => XbStatus::Rejected,
        };
        Failure::from_core(status, error)
    }

    /// An inconsistency inside xborder.
    #[cold]
    pub(crate) fn internal(message: impl Into<String>) -> Failure {
        Failure {
            status: XbStatus::Internal,
            code: ErrorCode::Internal.as_str(),
            message: message.into(),
            path: None,
        }
    }

    /// A caught panic.
    #[cold]
    fn panic(payload: &(dyn Any + Send)) -> Failure {
        let text = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("(no message)");
        Failure {
            status: XbStatus::Panic,
            code: ErrorCode::Internal.as_str(),
            message: format!("xborder panicked (a bug; please report it): {text}"),
            path: None,
        }
    }
}

/// What a function returns when it cannot run its body: after a panic, or when a pointer it
/// needs is NULL. Functions returning [`XbStatus`] report `XB_STATUS_PANIC` and
/// `XB_STATUS_NULL_PARAMETER`; functions returning a pointer return NULL.
pub trait XbDefault {
    /// The value returned after a caught panic.
    fn on_panic() -> Self;
}

impl XbDefault for XbStatus {
    fn on_panic() -> Self {
        XbStatus::Panic
    }
}

impl<T> XbDefault for *const T {
    fn on_panic() -> Self {
        ptr::null()
    }
}

impl<T> XbDefault for *mut T {
    fn on_panic() -> Self {
        ptr::null_mut()
    }
}

impl XbDefault for () {
    fn on_panic() -> Self {}
}

/// Runs the body of a function that returns a status; see `xb_ffi!`.
#[inline]
pub(crate) fn status_boundary(body: impl FnOnce() -> Result<(), Failure>) -> XbStatus {
    // AssertUnwindSafe: after a panic nothing the closure touched is used again by this
    // function; the objects passed in stay memory-safe (their state is at worst partly
    // updated), which the documentation of XB_STATUS_PANIC states.
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => {
            last_error::clear();
            XbStatus::Ok
        }
        Ok(Err(failure)) => {
            let status = failure.status;
            last_error::set(failure);
            status
        }
        Err(payload) => {
            let failure = Failure::panic(payload.as_ref());
            // Dropping the payload could itself panic; keep it from unwinding further.
            let _ = catch_unwind(AssertUnwindSafe(move || drop(payload)));
            last_error::set(failure);
            XbStatus::Panic
        }
    }
}

/// Runs the body of a function that cannot return a status (it returns a pointer, or
/// nothing). A panic gives [`XbDefault::on_panic`] and is recorded as the last error; a
/// normal return leaves the last error as it was, so that these functions can be called
/// while reading one.
#[inline]
pub(crate) fn value_boundary<R: XbDefault>(body: impl FnOnce() -> R) -> R {
    // AssertUnwindSafe: as in status_boundary.
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(value) => value,
        Err(payload) => {
            let failure = Failure::panic(payload.as_ref());
            let _ = catch_unwind(AssertUnwindSafe(move || drop(payload)));
            last_error::set(failure);
            R::on_panic()
        }
    }
}

/// Wraps the body of an exported function: catches panics, records the last error.
///
/// `xb_ffi! { …; Ok(()) }` is for functions returning [`XbStatus`]: the body evaluates to
/// `Result<(), Failure>` and uses `?` on the argument checks of this module.
/// `xb_ffi!(value => { … })` is for functions returning a pointer or nothing.
macro_rules! xb_ffi {
    (value => $body:block) => {
        $crate::boundary::value_boundary(move || $body)
    };
    ($($body:tt)*) => {
        $crate::boundary::status_boundary(
            move || -> ::core::result::Result<(), $crate::boundary::Failure> { $($body)* },
        )
    };
}
pub(crate) use xb_ffi;

/// Borrows the `len` bytes at `ptr`.
///
/// `len == 0` gives an empty slice whatever `ptr` is (NULL included). A NULL `ptr` with
/// `len > 0` is [`XbStatus::NullParameter`]; `len > isize::MAX` (which no allocation can
/// have) is [`XbStatus::InputTooLarge`]. Only then is the pointer made into a slice.
///
/// # Safety
///
/// When `ptr` is not NULL and `len > 0`, `ptr` must point to `len` initialised bytes that stay
/// valid and unmodified for `'a`.
pub(crate) unsafe fn input_bytes<'a>(
    ptr: *const u8,
    len: usize,
    param: &'static str,
) -> Result<&'a [u8], Failure> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        let mut failure = Failure::null(param);
        failure.message = format!("`{param}` is NULL but its length is {len}");
        return Err(failure);
    }
    if len > isize::MAX as usize {
        return Err(Failure::too_large(
            param,
            len,
            isize::MAX as usize,
            ErrorCode::InputTooLarge,
        ));
    }
    // SAFETY: `ptr` is not NULL, `len` is in 1..=isize::MAX, `u8` needs no alignment, and the
    // caller guarantees `len` readable bytes at `ptr` for 'a.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Borrows the `len` bytes at `ptr` as UTF-8 text of at most `limit` bytes: the checks of
/// `input_bytes`, then the size limit (exceeding it is `E_INPUT_TOO_LARGE`; see
/// [`input_str_limited`] for another code), then UTF-8 validation.
///
/// # Safety
///
/// As for `input_bytes`.
pub(crate) unsafe fn input_str<'a>(
    ptr: *const u8,
    len: usize,
    param: &'static str,
    limit: usize,
) -> Result<&'a str, Failure> {
    // SAFETY: forwarded from this function's contract.
    unsafe { input_str_limited(ptr, len, param, limit, ErrorCode::InputTooLarge) }
}

/// As `input_str`, reporting an input over `limit` with `code` (the core's code for that
/// limit, so that C sees the code the core would give).
///
/// # Safety
///
/// As for `input_bytes`.
pub(crate) unsafe fn input_str_limited<'a>(
    ptr: *const u8,
    len: usize,
    param: &'static str,
    limit: usize,
    code: ErrorCode,
) -> Result<&'a str, Failure> {
    if len > limit {
        // Checked before anything reads the bytes.
        if ptr.is_null() {
            return Err(Failure::null(param));
        }
        return Err(Failure::too_large(param, len, limit, code));
    }
    // SAFETY: forwarded from this function's contract.
    let bytes = unsafe { input_bytes(ptr, len, param) }?;
    std::str::from_utf8(bytes).map_err(|e| Failure {
        status: XbStatus::InvalidUtf8,
        code: ErrorCode::InvalidUtf8.as_str(),
        message: format!(
            "`{param}` is not valid UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        ),
        path: Some(param.to_string()),
    })
}

/// Borrows the object behind a required `const` pointer.
///
/// # Safety
///
/// `ptr`, when not NULL, must point to a live `T` that is not mutated for `'a`.
pub(crate) unsafe fn arg_ref<'a, T>(ptr: *const T, param: &'static str) -> Result<&'a T, Failure> {
    // SAFETY: the caller guarantees that a non-NULL `ptr` points to a live T.
    unsafe { ptr.as_ref() }.ok_or_else(|| Failure::null(param))
}

/// Borrows the object behind a required mutable pointer.
///
/// # Safety
///
/// `ptr`, when not NULL, must point to a live `T` that nothing else accesses for `'a`.
pub(crate) unsafe fn arg_mut<'a, T>(
    ptr: *mut T,
    param: &'static str,
) -> Result<&'a mut T, Failure> {
    // SAFETY: the caller guarantees that a non-NULL `ptr` points to a live, unaliased T.
    unsafe { ptr.as_mut() }.ok_or_else(|| Failure::null(param))
}

/// An out-parameter `T **out`: checked non-NULL and set to NULL on creation, so that it is NULL
/// on every failure, and written at most once more.
pub(crate) struct Out<T> {
    slot: *mut *mut T,
}

impl<T> Out<T> {
    /// Checks `slot` and sets `*slot = NULL`.
    ///
    /// # Safety
    ///
    /// `slot`, when not NULL, must be valid for writing a pointer (it may point to
    /// uninitialised memory) until the [`Out`] is dropped.
    pub(crate) unsafe fn new(slot: *mut *mut T, param: &'static str) -> Result<Out<T>, Failure> {
        if slot.is_null() {
            return Err(Failure::null(param));
        }
        // SAFETY: not NULL, and writable by this function's contract. `write` does not read
        // (or drop) the possibly uninitialised old value.
        unsafe { slot.write(ptr::null_mut()) };
        Ok(Out { slot })
    }

    /// Hands `value` to the caller.
    pub(crate) fn set(self, value: *mut T) {
        // SAFETY: `slot` was checked non-NULL and is writable for the life of `self`
        // (contract of `Out::new`).
        unsafe { self.slot.write(value) };
    }
}

impl Out<c_char> {
    /// Hands `text` to the caller as an owned NUL-terminated string (freed with
    /// `xb_string_free`).
    pub(crate) fn set_text(self, text: OwnedText) {
        self.set(text.into_raw());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_status_and_a_message() {
        let status = status_boundary(|| panic!("boom {}", 42));
        assert_eq!(status, XbStatus::Panic);
        let last = last_error::snapshot().unwrap();
        assert_eq!(last.code, "E_INTERNAL");
        assert!(last.message.contains("boom 42"), "{}", last.message);
        // A &'static str payload too.
        let p: *const u8 = value_boundary(|| panic!("static"));
        assert!(p.is_null());
        assert!(last_error::snapshot().unwrap().message.contains("static"));
        // A success clears it; a value_boundary success leaves it alone.
        last_error::set(Failure::null("x"));
        let _: () = value_boundary(|| ());
        assert!(last_error::snapshot().is_some());
        assert_eq!(status_boundary(|| Ok(())), XbStatus::Ok);
        assert!(last_error::snapshot().is_none());
    }

    #[test]
    fn inputs_are_checked_before_they_are_read() {
        // SAFETY: in every call below, a pointer that is read points to `len` bytes; the
        // NULL and dangling ones are refused (or have length 0) before anything reads them.
        unsafe {
            assert_eq!(input_bytes(ptr::null(), 0, "p").unwrap(), b"");
            assert_eq!(
                input_bytes(ptr::null(), 3, "p").unwrap_err().status,
                XbStatus::NullParameter
            );
            // A dangling pointer with length 0 is never dereferenced.
            assert_eq!(input_bytes(ptr::dangling::<u8>(), 0, "p").unwrap(), b"");
            // An impossible length is refused before any slice exists.
            assert_eq!(
                input_bytes(ptr::dangling::<u8>(), usize::MAX, "p")
                    .unwrap_err()
                    .status,
                XbStatus::InputTooLarge
            );
            assert_eq!(
                input_str(ptr::dangling::<u8>(), 11, "p", 10)
                    .unwrap_err()
                    .status,
                XbStatus::InputTooLarge
            );
            let bad = [b'{', 0xff, b'}'];
            let err = input_str(bad.as_ptr(), bad.len(), "ptr", 10).unwrap_err();
            assert_eq!(err.status, XbStatus::InvalidUtf8);
            assert_eq!(err.code, "E_INVALID_UTF8");
            assert!(err.message.contains("offset 1"), "{}", err.message);
            assert_eq!(input_str(b"ok".as_ptr(), 2, "p", 10).unwrap(), "ok");
        }
    }

    #[test]
    fn out_parameters_are_nulled_first() {
        let mut slot: *mut c_char = ptr::dangling_mut();
        // SAFETY: `slot` is a live local.
        let out = unsafe { Out::new(&mut slot, "out") }.unwrap();
        assert!(slot.is_null());
        out.set_text(OwnedText::from_bytes(b"{}"));
        assert!(!slot.is_null());
        // SAFETY: `slot` is an owned string from set_text just above.
        unsafe { crate::xb_string_free(slot) };
        // SAFETY: NULL is allowed and checked.
        let err = unsafe { Out::<c_char>::new(ptr::null_mut(), "out") }
            .err()
            .unwrap();
        assert_eq!(err.status, XbStatus::NullParameter);
        assert_eq!(err.path.as_deref(), Some("out"));
    }
}
