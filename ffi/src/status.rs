//! `XbStatus`: the one result code of every fallible C function.
//!
//! Numbers are banded by area and written out explicitly. They are append-only: a number, once
//! published, keeps its meaning for ever, and a retired one is commented out, never reused
//! (`tests::numbers_are_pinned` holds every value). C code receives the enum as a `uint32_t`,
//! and functions that take a status back from C (`xb_status_message`) take a `uint32_t` and
//! fall back on unknown numbers, so a library newer than its header can never hand C a value
//! the enum cannot hold.

use std::ffi::{c_char, CStr};
use std::fmt;

/// The result of a call into xborder.
///
/// Bands: `0` success; `100`-`199` the call's own arguments were unusable and nothing was
/// done (`*out`, when the function has one, is `NULL`); `200`-`299` a declaration was
/// assessed-not, and `*out` holds the error record (docs/contract.md); `300`-`399` an engine
/// could not be built; `400`-`499` NDJSON batches; `900`-`999` a fault inside xborder. Numbers
/// are never reused. After any status other than `XB_STATUS_OK`, `xb_last_error_code()`,
/// `xb_last_error_message()` and `xb_last_error_path()` describe the failure.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum XbStatus {
    /// Success.
    Ok = 0,

    // 100-199: the call's arguments. Nothing was done; `*out` is NULL.
    /// A pointer argument that must not be NULL was NULL (also: an input pointer that is NULL
    /// while its length is not 0). `xb_last_error_path()` names the parameter. Error code
    /// `E_NULL_PARAMETER`.
    NullParameter = 100,
    /// An input is not valid UTF-8. Error code `E_INVALID_UTF8`.
    InvalidUtf8 = 101,
    /// An input is larger than xborder accepts (a declaration: 1 MiB, see `docs/limits.md`).
    /// Error code `E_INPUT_TOO_LARGE`.
    InputTooLarge = 102,
    /// The options JSON of an `_with_options` call is malformed, has an unknown key or a
    /// value of the wrong kind. `xb_last_error_path()` names the key (`"trcae"`, `"date"`,
    /// `"options.flat_duty_scope"`). Error code `E_INVALID_OPTION` (`E_INVALID_DATE` for a
    /// date that is not a real date), as every binding reports it.
    InvalidOptions = 103,
    /// A text argument that is not a document names something xborder does not know or
    /// cannot use: a statement period other than `day`, `month` or `quarter`
    /// (`E_INVALID_VALUE`), a regime the engine does not hold (`E_NO_REGIME`) or whose risk
    /// profile has no split-consignment rule (`E_INVALID_VALUE`). `xb_last_error_path()` names
    /// the parameter.
    InvalidArgument = 104,

    // 200-299: a declaration was rejected. `*out` holds the error object.
    /// The declaration could not be assessed: it is malformed or invalid, or the loaded rules
    /// cannot assess it (no regime, no tariff line, no exchange rate …); or a return
    /// declaration could not be refunded. `*out` holds the error record (docs/contract.md)
    /// `{"id":…,"error":{"code","message","path"}}` and the `xb_last_error_*` functions return
    /// the same code, message and path. `xb_statement_add`, which has no `char **out`,
    /// reports the error through `xb_last_error_*` alone.
    Rejected = 200,

    // 300-399: building an engine.
    /// A regime pack (or a duty expression in it), or a risk profile, failed to load or
    /// validate.
    InvalidPack = 300,
    /// A tariff (JSON or CSV) failed to load.
    InvalidTariff = 301,
    /// An exchange-rate table failed to load.
    InvalidRates = 302,
    /// The parts of an engine do not fit together: a tariff for a regime that is not loaded,
    /// two regimes claiming one destination, and the like. `xb_last_error_code()` says which.
    InvalidEngine = 303,

    // 400-499: NDJSON batches.
    /// At least one line of an NDJSON batch was rejected. `*out` holds one line per input
    /// record all the same, the rejected ones as error objects in place.
    /// `xb_last_error_*` describe the first rejected line.
    BatchRejected = 400,

    // 900-999: faults inside xborder.
    /// xborder panicked (a bug). The panic was caught at the boundary; the message holds the
    /// panic's text. The objects passed to the call remain valid and must still be freed.
    Panic = 900,
    /// xborder hit an internal inconsistency (a bug, error code `E_INTERNAL`). When the call
    /// assesses declarations, `*out` holds the error object as for `XB_STATUS_REJECTED`.
    Internal = 901,
}

impl XbStatus {
    /// Every status, in numeric order.
    pub const ALL: &'static [XbStatus] = &[
        XbStatus::Ok,
        XbStatus::NullParameter,
        XbStatus::InvalidUtf8,
        XbStatus::InputTooLarge,
        XbStatus::InvalidOptions,
        XbStatus::InvalidArgument,
        XbStatus::Rejected,
        XbStatus::InvalidPack,
        XbStatus::InvalidTariff,
        XbStatus::InvalidRates,
        XbStatus::InvalidEngine,
        XbStatus::BatchRejected,
        XbStatus::Panic,
        XbStatus::Internal,
    ];

    /// The status with this number, if there is one.
    pub fn from_u32(number: u32) -> Option<XbStatus> {
        XbStatus::ALL.iter().copied().find(|s| *s as u32 == number)
    }

    /// The name C code sees (`XB_STATUS_OK`).
    pub fn name(self) -> &'static str {
        match self {
            XbStatus::Ok => "XB_STATUS_OK",
            XbStatus::NullParameter => "XB_STATUS_NULL_PARAMETER",
            XbStatus::InvalidUtf8 => "XB_STATUS_INVALID_UTF8",
            XbStatus::InputTooLarge => "XB_STATUS_INPUT_TOO_LARGE",
            XbStatus::InvalidOptions => "XB_STATUS_INVALID_OPTIONS",
            XbStatus::InvalidArgument => "XB_STATUS_INVALID_ARGUMENT",
            XbStatus::Rejected => "XB_STATUS_REJECTED",
            XbStatus::InvalidPack => "XB_STATUS_INVALID_PACK",
            XbStatus::InvalidTariff => "XB_STATUS_INVALID_TARIFF",
            XbStatus::InvalidRates => "XB_STATUS_INVALID_RATES",
            XbStatus::InvalidEngine => "XB_STATUS_INVALID_ENGINE",
            XbStatus::BatchRejected => "XB_STATUS_BATCH_REJECTED",
            XbStatus::Panic => "XB_STATUS_PANIC",
            XbStatus::Internal => "XB_STATUS_INTERNAL",
        }
    }

    /// A short description, as a NUL-terminated static string.
    pub fn message_cstr(self) -> &'static CStr {
        match self {
            XbStatus::Ok => c"success",
            XbStatus::NullParameter => c"a required pointer argument was NULL",
            XbStatus::InvalidUtf8 => c"an input is not valid UTF-8",
            XbStatus::InputTooLarge => c"an input is larger than xborder accepts",
            XbStatus::InvalidOptions => c"the assessment options are invalid",
            XbStatus::InvalidArgument => c"an argument names something xborder cannot use",
            XbStatus::Rejected => c"the declaration was rejected",
            XbStatus::InvalidPack => c"a regime pack could not be loaded",
            XbStatus::InvalidTariff => c"a tariff could not be loaded",
            XbStatus::InvalidRates => c"an exchange-rate table could not be loaded",
            XbStatus::InvalidEngine => {
                c"the engine's regimes, tariffs and rates do not fit together"
            }
            XbStatus::BatchRejected => c"some records of the batch were rejected",
            XbStatus::Panic => c"xborder panicked (a bug; please report it)",
            XbStatus::Internal => c"internal error in xborder (a bug; please report it)",
        }
    }

    /// A short description.
    pub fn message(self) -> &'static str {
        // Every message above is ASCII.
        self.message_cstr().to_str().unwrap_or("")
    }
}

impl fmt::Display for XbStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.name(), *self as u32, self.message())
    }
}

/// A short English description of a status, as a static NUL-terminated string.
///
/// Takes the number as a `uint32_t` so that any value is safe to pass: an unknown number gives
/// `"unknown status"`. The string lives as long as the program; do not free it. Thread-safe.
#[no_mangle]
pub extern "C" fn xb_status_message(status: u32) -> *const c_char {
    // Nothing here can panic, but every entry point goes through the boundary.
    crate::boundary::value_boundary(|| {
        XbStatus::from_u32(status)
            .map_or(c"unknown status", XbStatus::message_cstr)
            .as_ptr()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The numbers are ABI: this list may only grow, and no value may change.
    #[test]
    fn numbers_are_pinned() {
        let pinned: &[(XbStatus, u32)] = &[
            (XbStatus::Ok, 0),
            (XbStatus::NullParameter, 100),
            (XbStatus::InvalidUtf8, 101),
            (XbStatus::InputTooLarge, 102),
            (XbStatus::InvalidOptions, 103),
            (XbStatus::InvalidArgument, 104),
            (XbStatus::Rejected, 200),
            (XbStatus::InvalidPack, 300),
            (XbStatus::InvalidTariff, 301),
            (XbStatus::InvalidRates, 302),
            (XbStatus::InvalidEngine, 303),
            (XbStatus::BatchRejected, 400),
            (XbStatus::Panic, 900),
            (XbStatus::Internal, 901),
        ];
        assert_eq!(pinned.len(), XbStatus::ALL.len(), "pin every status");
        for (status, number) in pinned {
            assert_eq!(*status as u32, *number, "{status:?} moved");
            assert_eq!(XbStatus::from_u32(*number), Some(*status));
        }
        let numbers: Vec<u32> = XbStatus::ALL.iter().map(|s| *s as u32).collect();
        let sorted = {
            let mut n = numbers.clone();
            n.sort_unstable();
            n.dedup();
            n
        };
        assert_eq!(
            numbers, sorted,
            "ALL is in numeric order, without duplicates"
        );
    }

    #[test]
    fn unknown_numbers_fall_back() {
        for n in [1, 99, 199, 201, 399, 999, u32::MAX] {
            assert_eq!(XbStatus::from_u32(n), None);
        }
        // SAFETY: xb_status_message returns a static NUL-terminated string.
        let text = unsafe { CStr::from_ptr(xb_status_message(4242)) };
        assert_eq!(text.to_str().unwrap(), "unknown status");
    }

    #[test]
    fn every_status_has_a_name_and_message() {
        for s in XbStatus::ALL {
            assert!(s.name().starts_with("XB_STATUS_"));
            assert!(!s.message().is_empty());
            // SAFETY: as above.
            let text = unsafe { CStr::from_ptr(xb_status_message(*s as u32)) };
            assert_eq!(text.to_str().unwrap(), s.message());
            assert!(s.to_string().contains(s.name()));
        }
    }
}
