//! Pieces of messages and paths (findings, release reasons, risk hits), written without
//! `core::fmt`: a finding on half the records (`F_COLLECTED_AT_SALE_MISSING`) cost 900
//! instructions through `format!`, the release's score message 1 570, most of it the
//! formatting machinery, not the bytes (issue 16).

use rust_decimal::Decimal;

use crate::result::Message;

/// What messages are written into: a `String` (errors, the trace, texts kept per thread) or a
/// [`Message`] (findings and release reasons, inline when short).
pub(crate) trait Push: std::fmt::Write {
    /// Appends `text`.
    fn push_str(&mut self, text: &str);
    /// Appends `c`.
    fn push(&mut self, c: char);
    /// Makes room for `more` bytes, where that is a thing (a `String`'s capacity).
    fn reserve(&mut self, more: usize);
}

impl Push for String {
    #[inline]
    fn push_str(&mut self, text: &str) {
        String::push_str(self, text);
    }

    #[inline]
    fn push(&mut self, c: char) {
        String::push(self, c);
    }

    #[inline]
    fn reserve(&mut self, more: usize) {
        String::reserve(self, more);
    }
}

impl Push for Message {
    #[inline]
    fn push_str(&mut self, text: &str) {
        Message::push_str(self, text);
    }

    #[inline(always)]
    fn push(&mut self, c: char) {
        Message::push(self, c);
    }

    /// Nothing to do: the inline room is fixed, and a text that outgrows it moves to the heap
    /// with room to spare.
    #[inline]
    fn reserve(&mut self, _more: usize) {}
}

/// Appends `n` in decimal, zero-padded to `width` digits (`format!("{n:0width$}")`).
pub(crate) fn push_number(out: &mut impl Push, mut n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut at = digits.len();
    while n > 0 || digits.len() - at < width.max(1) {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    push_ascii(out, &digits[at..]);
}

/// Appends `bytes`, ASCII text this crate wrote (digits, a point, a date's dashes), a byte at
/// a time: `str::from_utf8` and `push_str`'s copy cost more than the pushes for the few bytes
/// of a number or a date (about 60 instructions a call, issue 16). Each byte is masked to
/// seven bits, so that the compiler keeps only the one-byte path of `String::push`; for
/// ASCII the mask changes nothing.
#[inline]
pub(crate) fn push_ascii(out: &mut impl Push, bytes: &[u8]) {
    debug_assert!(bytes.is_ascii(), "{bytes:?}");
    out.reserve(bytes.len());
    for &b in bytes {
        out.push(char::from(b & 0x7f));
    }
}

/// Appends `n` as `Display` writes it.
#[inline]
pub(crate) fn push_count(out: &mut impl Push, n: usize) {
    push_u64(out, n as u64);
}

/// Appends `n` as `Display` writes it.
pub(crate) fn push_u64(out: &mut impl Push, n: u64) {
    // Weights, scores, thresholds and item indices: nearly always one or two digits.
    if n < 100 {
        if n >= 10 {
            out.push(char::from(b'0' + (n / 10) as u8));
        }
        out.push(char::from(b'0' + (n % 10) as u8));
        return;
    }
    push_number(out, n, 1);
}

/// Appends `n` as `Display` writes it.
pub(crate) fn push_i32(out: &mut impl Push, n: i32) {
    if n < 0 {
        out.push('-');
    }
    push_u64(out, u64::from(n.unsigned_abs()));
}

/// Appends `date` as its `Display` writes it (`YYYY-MM-DD`).
pub(crate) fn push_date(out: &mut impl Push, date: crate::date::Date) {
    push_ascii(out, &date.iso_bytes());
}

/// Appends `d` as its `Display` writes it (no precision).
#[inline]
pub(crate) fn push_decimal(out: &mut impl Push, d: Decimal) {
    crate::result::json::push_decimal(out, d);
}

/// `items[3].hs_code`: the path of an item's field, as findings and reasons carry it (inline
/// up to 24 bytes: no allocation for `items[12].description`).
pub(crate) fn item_path(i: usize, field: &str) -> crate::declaration::Text {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = i;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let digits = &digits[at..];
    // Put together on the stack and made a `Text` in one copy: three `push_str`s on a `Text`
    // cost more than the bytes.
    let mut path = [0u8; 64];
    let mut end = 0;
    for part in [b"items[".as_slice(), digits, b"].", field.as_bytes()] {
        let Some(to) = path.get_mut(end..end + part.len()) else {
            return format!("items[{i}].{field}").into();
        };
        to.copy_from_slice(part);
        end += part.len();
    }
    crate::declaration::Text::from(std::str::from_utf8(&path[..end]).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;
    use proptest::prelude::*;
    use std::str::FromStr;

    #[test]
    fn pushed_numbers_and_dates_are_their_display() {
        for (n, width) in [
            (0u64, 1usize),
            (7, 1),
            (7, 2),
            (12, 2),
            (2026, 4),
            (987, 4),
            (12345, 4),
            (u64::MAX, 1),
        ] {
            let mut out = String::new();
            push_number(&mut out, n, width);
            assert_eq!(out, format!("{n:0width$}"));
        }
        for (y, m, d) in [(2026, 9, 14), (1999, 12, 31), (2000, 1, 1)] {
            let date = Date::new(y, m, d).unwrap();
            let mut out = String::from("x");
            push_date(&mut out, date);
            assert_eq!(out, format!("x{date}"));
        }
        assert_eq!(item_path(0, "hs_code"), "items[0].hs_code");
        assert_eq!(item_path(123, "origin"), format!("items[{}].origin", 123));
    }

    proptest! {
        /// The messages quote amounts as `Display` does, small and large, any scale and sign.
        #[test]
        fn pushed_decimals_are_their_display(m in any::<i64>(), wide in any::<u32>(), scale in 0u32..=28) {
            for mantissa in [i128::from(m), i128::from(m) * i128::from(wide), i128::from(m % 10_000_000)] {
                let d = Decimal::from_i128_with_scale(mantissa, scale);
                let mut out = String::new();
                push_decimal(&mut out, d);
                prop_assert_eq!(&out, &d.to_string());
                prop_assert_eq!(Decimal::from_str(&out).unwrap(), d);
            }
        }

        #[test]
        fn pushed_counts_are_their_display(n in any::<usize>()) {
            let mut out = String::new();
            push_count(&mut out, n);
            prop_assert_eq!(out, n.to_string());
        }
    }
}
