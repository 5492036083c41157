//! The bytes that end plain content in a JSON string — `"`, `\` and the control characters
//! below U+0020 — found eight at a time in a `u64`.
//!
//! The fast declaration reader stops its string scan at them, and the result writer hands a
//! string holding one to serde_json's escaper (serde_json escapes exactly these bytes), so
//! both ask the same question of the same bytes.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// `b` in every byte of a word.
const fn splat(b: u8) -> u64 {
    ONES * b as u64
}

/// The high bit of every zero byte of `v`. A borrow can also flag a byte above a true zero,
/// never one below, so the lowest flagged byte is the first zero and a non-zero result is
/// exact as to whether there is one.
#[inline]
fn zero_bytes(v: u64) -> u64 {
    v.wrapping_sub(ONES) & !v & HIGH
}

/// The high bit of the bytes of `x` (little-endian) equal to `b`, as [`zero_bytes`] flags them.
#[inline]
pub(crate) fn bytes_equal(x: u64, b: u8) -> u64 {
    zero_bytes(x ^ splat(b))
}

/// The high bit of the bytes of `x` that are `"`, `\` or below 0x20, as [`zero_bytes`] flags
/// them: non-zero exactly when there is one, and the lowest flagged byte is the first. Two word
/// tests, not three: the bytes of `x ^ 0x0202…` below 0x21 are those below 0x20 and `"` (`b ^ 2
/// <= 0x20`, as [`special_lanes`] asks), and the zero bytes of `x ^ 0x5c5c…` are the
/// backslashes; a borrow flags bytes above a true one only, in either test.
#[inline]
pub(crate) fn specials(x: u64) -> u64 {
    let low = x ^ splat(2);
    let below = low.wrapping_sub(splat(0x21)) & !low & HIGH;
    below | bytes_equal(x, b'\\')
}

/// The bytes of `chunk` that are `"`, `\` or below 0x20, each as `0xff` in its lane of the
/// result (first byte lowest), the others `0x00`: every lane exact, so the lowest set byte is
/// the first. Each lane is tested with no early exit, which the compiler turns into a few
/// vector instructions on native targets. `b ^ 2 <= 0x20` is `b < 0x20 || b == b'"'` in one
/// test.
#[inline(always)]
pub(crate) fn special_lanes(chunk: &[u8; 16]) -> u128 {
    let mut lanes = [0u8; 16];
    for (lane, &b) in lanes.iter_mut().zip(chunk) {
        *lane = 0u8.wrapping_sub(u8::from(b ^ 2 <= 0x20 || b == b'\\'));
    }
    u128::from_le_bytes(lanes)
}

/// The index of the first byte of `rest` that is `"`, `\` or below 0x20: sixteen bytes at a
/// time ([`special_lanes`]) on native targets, then eight ([`position`]), which is all of it
/// on WASM (no vector instructions in its build).
#[inline]
pub(crate) fn first_special(rest: &[u8]) -> Option<usize> {
    let mut k = 0;
    if !cfg!(target_arch = "wasm32") {
        let mut tail = rest;
        while let Some((chunk, more)) = tail.split_first_chunk::<16>() {
            let found = special_lanes(chunk);
            if found != 0 {
                return Some(k + (found.trailing_zeros() / 8) as usize);
            }
            tail = more;
            k += 16;
        }
    }
    Some(k + position(rest.get(k..)?, specials, is_special)?)
}

/// Whether `b` is `"`, `\` or below 0x20.
#[inline]
pub(crate) fn is_special(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// The index of the first byte of the first word-flagged kind in `rest`, eight bytes at a time
/// while eight remain, then byte by byte (`flags` per word, `hit` per byte, asking the same).
#[inline]
pub(crate) fn position(
    rest: &[u8],
    flags: impl Fn(u64) -> u64,
    hit: impl Fn(u8) -> bool,
) -> Option<usize> {
    let mut k = 0;
    while let Some(chunk) = rest.get(k..k + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let found = flags(u64::from_le_bytes(word));
        if found != 0 {
            return Some(k + (found.trailing_zeros() / 8) as usize);
        }
        k += 8;
    }
    Some(k + rest.get(k..)?.iter().position(|&b| hit(b))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_bytes_agree_on_every_byte_at_every_place() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut word = [b'a'; 8];
                word[at] = b;
                let x = u64::from_le_bytes(word);
                assert_eq!(specials(x) != 0, is_special(b), "{b:#x} at {at}");
                if is_special(b) {
                    assert_eq!(specials(x).trailing_zeros() / 8, at as u32);
                }
                assert_eq!(bytes_equal(x, b'"') != 0, b == b'"');
            }
            for at in 0..16 {
                let mut chunk = [b'a'; 16];
                chunk[at] = b;
                let lanes = special_lanes(&chunk);
                let expected = if is_special(b) {
                    0xffu128 << (8 * at)
                } else {
                    0
                };
                assert_eq!(lanes, expected, "{b:#x} at {at}");
            }
        }
    }

    /// [`specials`]'s lowest flag is the first special byte whatever stands above it: every
    /// pair of bytes at every pair of places, over plain and high bytes (a borrow out of a
    /// flagged byte may flag the ones above it, never one below).
    #[test]
    fn the_lowest_flag_is_the_first_special_byte() {
        for fill in [b'a', 0x80, 0xff] {
            for first in 0..=255u8 {
                for second in 0..=255u8 {
                    for i in 0..8 {
                        for j in i + 1..8 {
                            let mut word = [fill; 8];
                            word[i] = first;
                            word[j] = second;
                            let x = u64::from_le_bytes(word);
                            let expected = word.iter().position(|&b| is_special(b));
                            let found = specials(x);
                            let at = (found != 0).then(|| (found.trailing_zeros() / 8) as usize);
                            assert_eq!(at, expected, "{word:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn position_finds_the_first_across_words_and_the_tail() {
        let text = b"0123456789abcdef\"xy\\";
        assert_eq!(position(text, specials, is_special), Some(16));
        assert_eq!(position(&text[17..], specials, is_special), Some(2));
        assert_eq!(position(b"plain text, no stop", specials, is_special), None);
    }

    #[test]
    fn first_special_is_the_first_position_finds() {
        for len in 0..70 {
            for at in 0..=len {
                for b in [b'"', b'\\', 0, 0x1f, b' ', b'a', 0x7f, 0xc3] {
                    let mut text = vec![b'x'; len];
                    if at < len {
                        text[at] = b;
                    }
                    assert_eq!(
                        first_special(&text),
                        position(&text, specials, is_special),
                        "{b:#x} at {at} of {len}"
                    );
                }
            }
        }
    }
}
