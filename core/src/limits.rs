//! Bounds on every input, so that no input can exhaust memory or overflow a computation.
//!
//! Each bound exceeded has its own error code (see [`crate::ErrorCode`]); the figures are
//! documented in `docs/limits.md`.

/// Largest declaration document, in bytes (also the largest NDJSON line).
pub const MAX_DECLARATION_BYTES: usize = 1 << 20;
/// Most items in one consignment (the EU H7 data set allows 999 lines).
pub const MAX_ITEMS: usize = 999;
/// Longest free-text field (descriptions, names, address lines), in characters.
pub const MAX_TEXT_CHARS: usize = 512;
/// Longest identifier (`id`, registration numbers, tax ids), in characters.
pub const MAX_ID_CHARS: usize = 128;
/// Most registrations on one party.
pub const MAX_REGISTRATIONS: usize = 16;
/// Digits before the decimal point of an amount (< 1 000 000 000 000).
pub const AMOUNT_INTEGER_DIGITS: usize = 12;
/// Decimal places of an amount.
pub const AMOUNT_SCALE: usize = 4;
/// Digits before the decimal point of a quantity or mass.
pub const QUANTITY_INTEGER_DIGITS: usize = 9;
/// Decimal places of a quantity or mass.
pub const QUANTITY_SCALE: usize = 6;
/// Largest regime pack, in bytes.
pub const MAX_PACK_BYTES: usize = 16 << 20;
/// Largest tariff file, in bytes.
pub const MAX_TARIFF_BYTES: usize = 64 << 20;
