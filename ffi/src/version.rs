//! `xb_version()`: the library's version and a fingerprint of the embedded regime packs.

use std::ffi::{c_char, CString};
use std::sync::OnceLock;

use crate::boundary::xb_ffi;

/// A fingerprint of the embedded regime packs: FNV-1a (64 bit) over each pack's id and text.
/// It changes whenever any embedded rule, rate or tariff line changes.
pub fn packs_fingerprint() -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    for (id, text) in xborder_core::regime::embedded::PACKS {
        for &b in id
            .as_bytes()
            .iter()
            .chain(&[0])
            .chain(text.as_bytes())
            .chain(&[0])
        {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    hash
}

/// The text `xb_version()` returns.
pub fn version_text() -> String {
    let ids: Vec<&str> = xborder_core::regime::embedded::PACKS
        .iter()
        .map(|(id, _)| *id)
        .collect();
    format!(
        "xborder-ffi/{} xborder/{} packs/{} fnv1a64/{:016x}",
        env!("CARGO_PKG_VERSION"),
        xborder_core::VERSION,
        ids.join("+"),
        packs_fingerprint()
    )
}

/// The library's version and the embedded regime packs it carries, as a static NUL-terminated
/// string such as `"xborder-ffi/0.1.0 xborder/0.1.0 packs/EU+GB+…+AE fnv1a64/0123456789abcdef"`:
/// the C library's version, the core's, the ids of the embedded packs (20 jurisdictions) and a
/// fingerprint of their contents (it changes whenever an embedded rule, rate or tariff line does).
///
/// Compare the first part with `XB_VERSION_MAJOR`/`MINOR`/`PATCH` to detect a header that does
/// not match the library. The string lives as long as the program; do not free it.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn xb_version() -> *const c_char {
    static VERSION: OnceLock<CString> = OnceLock::new();
    xb_ffi!(value => {
        VERSION
            .get_or_init(|| CString::new(version_text()).unwrap_or_default())
            .as_ptr()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn version_names_the_crates_and_packs() {
        // SAFETY: xb_version returns a static NUL-terminated string.
        let v = unsafe { CStr::from_ptr(xb_version()) }.to_str().unwrap();
        let ids: Vec<&str> = xborder_core::regime::embedded::PACKS
            .iter()
            .map(|(id, _)| *id)
            .collect();
        assert!(ids.starts_with(&["EU", "GB"]), "{ids:?}");
        assert!(v.starts_with(&format!(
            "xborder-ffi/{} xborder/{} packs/{} fnv1a64/",
            env!("CARGO_PKG_VERSION"),
            xborder_core::VERSION,
            ids.join("+")
        )));
        assert!(v.ends_with(&format!("{:016x}", packs_fingerprint())));
        assert_eq!(xb_version(), xb_version(), "one static string");
    }
}
