//! The strings xborder hands to C, and `xb_string_free()`, the one way to free them.
//!
//! An owned string is the text plus a NUL inside one Rust `Vec<u8>`, preceded by a small
//! header holding the vector's length and capacity:
//!
//! ```text
//! [len: usize][capacity: usize][text ...][NUL]
//!                              ^ the `char *` C receives
//! ```
//!
//! The output is written straight after the header, so handing it to C copies nothing and
//! freeing it needs neither `strlen` nor a reallocation: results of several megabytes (NDJSON
//! batches) cost no more to return than to compute.

use std::ffi::c_char;
use std::mem::{size_of, ManuallyDrop};

use crate::boundary::xb_ffi;

/// Bytes before the text: length and capacity of the allocation.
const HEADER: usize = 2 * size_of::<usize>();

/// Text being written for C: a vector whose first [`HEADER`] bytes are reserved.
pub(crate) struct OwnedText {
    buf: Vec<u8>,
}

impl OwnedText {
    /// Room for about `capacity` bytes of text.
    pub(crate) fn with_capacity(capacity: usize) -> OwnedText {
        let mut buf = Vec::with_capacity(capacity.saturating_add(HEADER + 1));
        buf.resize(HEADER, 0);
        OwnedText { buf }
    }

    /// A copy of `text`.
    #[cfg(test)]
    pub(crate) fn from_bytes(text: &[u8]) -> OwnedText {
        let mut owned = OwnedText::with_capacity(text.len());
        owned.buf.extend_from_slice(text);
        owned
    }

    /// The buffer to append text to. The header stays in front: write only by appending (or by
    /// truncating to a length taken after [`OwnedText::with_capacity`]).
    pub(crate) fn buf(&mut self) -> &mut Vec<u8> {
        &mut self.buf
    }

    /// The text written so far.
    #[cfg(test)]
    pub(crate) fn text(&self) -> &[u8] {
        &self.buf[HEADER..]
    }

    /// Hands the text to C: NUL-terminated, owned by the caller until `xb_string_free`.
    pub(crate) fn into_raw(self) -> *mut c_char {
        let mut buf = self.buf;
        assert!(buf.len() >= HEADER, "the header of an OwnedText was cut");
        // Every producer writes serde_json output (which escapes U+0000) or fixed ASCII, so a NUL
        // inside the text would be a bug; it could only make C see a shorter string.
        debug_assert!(!buf[HEADER..].contains(&0), "NUL inside text for C");
        buf.push(0);
        let mut buf = ManuallyDrop::new(buf);
        let (base, len, capacity) = (buf.as_mut_ptr(), buf.len(), buf.capacity());
        // SAFETY: the vector holds at least HEADER initialised bytes (asserted above), so both
        // the header write and `add(HEADER)` stay inside its allocation; `write_unaligned`
        // because a Vec<u8> is only byte-aligned. The allocation now belongs to the C caller
        // and is rebuilt by `free_raw`.
        unsafe {
            base.cast::<[usize; 2]>().write_unaligned([len, capacity]);
            base.add(HEADER).cast::<c_char>()
        }
    }
}

/// Frees a string made by [`OwnedText::into_raw`].
///
/// # Safety
///
/// `s` must come from [`OwnedText::into_raw`] and not have been freed; its header must be
/// intact.
unsafe fn free_raw(s: *mut c_char) {
    // SAFETY: `s` is HEADER bytes into an allocation made by OwnedText::into_raw (contract),
    // whose header holds the vector's length and capacity; rebuilding the Vec with them frees
    // the allocation with the layout it was made with.
    unsafe {
        let base = s.cast::<u8>().sub(HEADER);
        let [len, capacity] = base.cast::<[usize; 2]>().read_unaligned();
        drop(Vec::from_raw_parts(base, len, capacity));
    }
}

/// Frees a string that xborder returned through a `char **out` parameter. NULL is accepted
/// and ignored.
///
/// Only for those strings: never for the `const char *` of `xb_version`,
/// `xb_status_message` or `xb_last_error_*`, and never for memory from `malloc`.
///
/// # Safety
///
/// `s` must be NULL or a string from a `char **out` of this library that has not been freed
/// yet. The caller may read it, and may write inside it (up to its NUL), but must not pass a
/// pointer into its middle.
#[no_mangle]
pub unsafe extern "C" fn xb_string_free(s: *mut c_char) {
    xb_ffi!(value => {
        if !s.is_null() {
            // SAFETY: `s` came from an out-parameter of this library and is freed once
            // (contract); those strings are all made by OwnedText::into_raw.
            unsafe { free_raw(s) };
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn strings_round_trip_without_copies() {
        for text in [&b""[..], b"{}", &[b'x'; 100_000]] {
            let mut owned = OwnedText::with_capacity(4);
            owned.buf().extend_from_slice(text);
            assert_eq!(owned.text(), text);
            let raw = owned.into_raw();
            // SAFETY: `raw` is a live NUL-terminated string from into_raw, freed once below.
            unsafe {
                assert_eq!(CStr::from_ptr(raw).to_bytes(), text);
                xb_string_free(raw);
            }
        }
        let raw = OwnedText::from_bytes(b"[1,2]").into_raw();
        // SAFETY: as above.
        unsafe {
            assert_eq!(CStr::from_ptr(raw).to_bytes(), b"[1,2]");
            xb_string_free(raw);
        }
    }

    #[test]
    fn string_free_accepts_null() {
        // SAFETY: NULL is documented as accepted.
        unsafe { xb_string_free(std::ptr::null_mut()) };
    }
}
