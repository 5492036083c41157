//! What every target accepts as a refusal, derived from the error-code table itself
//! (`ErrorCode::ALL`), so that a code added to the library can never make a target abort.
//!
//! A fuzzed input may be refused with any published code except the two that input alone can
//! never cause: `E_INTERNAL` (a bug) and `E_NULL_PARAMETER` (raised by the C library for a
//! NULL pointer, which these targets never pass where a value is needed).

use xborder_core::{Error, ErrorCode};

/// Panics unless `e` is a refusal an input may cause: a published code other than the two
/// above, with a message.
pub fn assert_input_refusal(e: &Error) {
    assert!(ErrorCode::ALL.contains(&e.code), "unlisted code: {e}");
    assert_eq!(ErrorCode::from_text(e.code.as_str()), Some(e.code), "{e}");
    assert!(
        !matches!(e.code, ErrorCode::Internal | ErrorCode::NullParameter),
        "{e}"
    );
    assert!(!e.message.is_empty(), "{e:?} has no message");
}
