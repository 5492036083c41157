//! HS 2017 ↔ HS 2022: which subheadings of one edition a subheading of the other corresponds
//! to, so that a code declared in the edition in force on a date can be read against a tariff
//! written in the other.
//!
//! The table (`xborder_regimes::HS_CORRELATION_2022_2017`, from the UN Statistics Division's
//! correlation tables) lists only the subheadings whose correlation is not one-to-one with
//! themselves; every other subheading is the same in both editions. A code on the other
//! edition's side of the table only is one the declared edition does not have: it has no
//! counterpart and must fail, never match a wrong line.
//!
//! The table is read once, on first use, into sorted arrays, from its packed form
//! (`xborder_regimes::HS_CORRELATION_2022_2017_PACKED`, 3 kB compressed where the text is
//! 10 kB: what the WASM module carries; [`Correlation::unpack`]). It is compiled-in constant
//! data, so the memo is not state: every caller sees the same table.

use std::sync::OnceLock;

use super::file::HsEdition;

/// A 6-digit subheading.
type Sub = [u8; 6];

/// What a subheading corresponds to in the other edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counterparts<'c> {
    /// The same subheading: the code reads unchanged (national digits included).
    Same,
    /// These subheadings (split, merged or moved); the declared code's national digits mean
    /// nothing in the other edition.
    Codes(&'c [Sub]),
    /// The declared edition has no such subheading; `these` are what it corresponds to in the
    /// edition it belongs to (for the message).
    NotInEdition {
        /// The subheadings of the tariff's edition the code corresponds to.
        these: &'c [Sub],
    },
}

/// The parsed correlation, both ways.
#[derive(Debug, PartialEq, Eq)]
pub struct Correlation {
    /// HS 2022 subheading → range in `to_2017`, sorted by subheading.
    from_2022: Vec<(Sub, u32, u32)>,
    to_2017: Vec<Sub>,
    /// HS 2017 subheading → range in `to_2022`, sorted by subheading.
    from_2017: Vec<(Sub, u32, u32)>,
    to_2022: Vec<Sub>,
}

/// The embedded correlation, parsed on first use.
pub fn embedded() -> &'static Correlation {
    static TABLE: OnceLock<Correlation> = OnceLock::new();
    TABLE.get_or_init(|| Correlation::unpack(xborder_regimes::HS_CORRELATION_2022_2017_PACKED))
}

impl Correlation {
    /// Parses `code TAB counterpart counterpart…` lines; `#` lines and malformed codes are
    /// skipped (the embedded table is checked by a test).
    pub fn parse(text: &str) -> Correlation {
        let mut pairs: Vec<(Sub, Sub)> = Vec::new();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let Some((new, old)) = line.split_once('\t') else {
                continue;
            };
            let Some(new) = sub(new) else { continue };
            pairs.extend(old.split(' ').filter_map(sub).map(|o| (new, o)));
        }
        Correlation::of(pairs)
    }

    /// Reads the packed form of the table (`xborder_regimes::HS_CORRELATION_2022_2017_PACKED`
    /// says how it is written): the same table as [`Correlation::parse`] of the text it was
    /// packed from. A truncated or out-of-range entry ends the table (the embedded one is
    /// checked by a test).
    pub fn unpack(packed: &[u8]) -> Correlation {
        // Each pair as the index sorts it ([`index`]), built from the numbers directly.
        let mut pairs: Vec<u64> = Vec::with_capacity(packed.len() / 2);
        let mut at = 0;
        let mut key = 0i64;
        'lines: while at < packed.len() {
            let (Some(step), Some(count)) = (varint(packed, &mut at), varint(packed, &mut at))
            else {
                break;
            };
            key += unzigzag(step);
            let Some(new) = bcd(key) else { break };
            let mut value = key;
            for _ in 0..count {
                let Some(step) = varint(packed, &mut at) else {
                    break 'lines;
                };
                value += unzigzag(step);
                let Some(old) = bcd(value) else {
                    break 'lines;
                };
                pairs.push(new << 24 | old);
            }
        }
        Correlation::of_packed(pairs)
    }

    /// The table of `(HS 2022, HS 2017)` pairs, indexed both ways.
    fn of(pairs: Vec<(Sub, Sub)>) -> Correlation {
        Correlation::of_packed(
            pairs
                .iter()
                .map(|(new, old)| nibbles(new) << 24 | nibbles(old))
                .collect(),
        )
    }

    /// [`Correlation::of`] on pairs packed as [`index`] takes them.
    fn of_packed(pairs: Vec<u64>) -> Correlation {
        let reversed: Vec<u64> = pairs
            .iter()
            .map(|&pair| (pair & 0xff_ffff) << 24 | pair >> 24)
            .collect();
        let (from_2022, to_2017) = index(pairs);
        let (from_2017, to_2022) = index(reversed);
        Correlation {
            from_2022,
            to_2017,
            from_2017,
            to_2022,
        }
    }

    /// What `code` (of any length; its first six digits are the subheading) of edition `from`
    /// corresponds to in edition `to`.
    pub fn counterparts(&self, code: &str, from: HsEdition, to: HsEdition) -> Counterparts<'_> {
        if from == to {
            return Counterparts::Same;
        }
        let Some(s) = code.get(..6).and_then(sub) else {
            return Counterparts::Same;
        };
        let (forward, targets, backward, sources) = match from {
            HsEdition::Hs2022 => (
                &self.from_2022,
                &self.to_2017,
                &self.from_2017,
                &self.to_2022,
            ),
            HsEdition::Hs2017 => (
                &self.from_2017,
                &self.to_2022,
                &self.from_2022,
                &self.to_2017,
            ),
        };
        if let Some(codes) = find(forward, targets, &s) {
            // Listed only because other subheadings moved into its counterpart (HS 2022 9503.00
            // is all of HS 2017 9503.00, which also went partly to 8549): the subheading is
            // whole in the other edition, so the national digits keep their meaning.
            if codes == [s] {
                return Counterparts::Same;
            }
            return Counterparts::Codes(codes);
        }
        // Only on the other edition's side: the declared edition has no such subheading.
        match find(backward, sources, &s) {
            Some(these) => Counterparts::NotInEdition { these },
            None => Counterparts::Same,
        }
    }

    /// Number of subheadings of each edition the table lists, for the tests and the listing.
    pub fn len(&self) -> (usize, usize) {
        (self.from_2022.len(), self.from_2017.len())
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.from_2022.is_empty()
    }
}

/// Text of a subheading.
pub fn text(s: &Sub) -> &str {
    std::str::from_utf8(s).unwrap_or_default()
}

/// A 6-digit subheading from text.
fn sub(text: &str) -> Option<Sub> {
    let bytes: Sub = text.as_bytes().try_into().ok()?;
    bytes.iter().all(u8::is_ascii_digit).then_some(bytes)
}

/// The next unsigned LEB128 number of `bytes` from `at` (moved past it); `None` at the end or
/// past 63 bits.
fn varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..63).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

/// A zigzag-encoded number (0, 1, 2, 3, 4 … for 0, −1, 1, −2, 2 …).
fn unzigzag(v: u64) -> i64 {
    (v >> 1) as i64 ^ -((v & 1) as i64)
}

/// The subheading of number `n` (six digits, leading zeros written) as [`nibbles`] gives it,
/// if it has six digits.
fn bcd(n: i64) -> Option<u64> {
    let mut n = u32::try_from(n).ok().filter(|&n| n < 1_000_000)?;
    let mut out = 0;
    for shift in (0..24).step_by(4) {
        out |= u64::from(n % 10) << shift;
        n /= 10;
    }
    Some(out)
}

/// Sorts `(key, value)` pairs and groups them: keys with their range of values.
///
/// Each pair is one integer (key and value as [`nibbles`] side by side, `key << 24 | value`,
/// whose order is the pairs' byte order): an integer compare where an array compare called
/// `memcmp` (5.0 M instructions for the embedded table's two indexes).
#[allow(clippy::type_complexity)]
fn index(mut packed: Vec<u64>) -> (Vec<(Sub, u32, u32)>, Vec<Sub>) {
    crate::sort::sort(&mut packed);
    packed.dedup();
    let mut keys: Vec<(Sub, u32, u32)> = Vec::new();
    let mut values = Vec::with_capacity(packed.len());
    let mut previous = None;
    for &pair in &packed {
        let (k, v) = (pair >> 24, pair & 0xff_ffff);
        match keys.last_mut() {
            Some(last) if previous == Some(k) => last.2 += 1,
            _ => keys.push((unnibble(k), values.len() as u32, values.len() as u32 + 1)),
        }
        previous = Some(k);
        values.push(unnibble(v));
    }
    (keys, values)
}

/// A subheading's six digits as six four-bit fields (an ASCII digit's low four bits are its
/// value), the first digit highest: the fields' order is the subheading's. The six bytes are
/// read as one integer and their low nibbles drawn together two, then four at a time.
#[inline]
fn nibbles(s: &Sub) -> u64 {
    let [a, b, c, d, e, f] = *s;
    // Bytes 5..0 hold the digits, the first highest; each byte's low nibble kept.
    let x = u64::from_be_bytes([0, 0, a, b, c, d, e, f]) & 0x0f0f_0f0f_0f0f;
    // Each pair of digits into the low byte of its 16-bit lane (bytes 4, 2, 0).
    let x = (x | x >> 4) & 0x00ff_00ff_00ff;
    // Those three bytes side by side.
    let x = x | x >> 8;
    x & 0xffff | x >> 8 & 0xff_0000
}

/// The subheading of six four-bit digits ([`nibbles`]): its steps backwards.
#[inline]
fn unnibble(n: u64) -> Sub {
    let x = n & 0xff | (n & 0xff00) << 8 | (n & 0xff_0000) << 16;
    let x = (x | x << 4) & 0x0f0f_0f0f_0f0f | 0x3030_3030_3030;
    let [_, _, a, b, c, d, e, f] = x.to_be_bytes();
    [a, b, c, d, e, f]
}

/// A subheading as one big-endian integer: the integers' order is the bytes' order, and one
/// compare is far cheaper than the `memcmp` an array compare calls (every tariff-file lookup
/// of a code in the other edition searches the table twice).
#[inline]
fn number(s: &Sub) -> u64 {
    let [a, b, c, d, e, f] = *s;
    u64::from_be_bytes([0, 0, a, b, c, d, e, f])
}

/// The values of `key`, if it is listed.
fn find<'c>(keys: &[(Sub, u32, u32)], values: &'c [Sub], key: &Sub) -> Option<&'c [Sub]> {
    let wanted = number(key);
    let i = keys
        .binary_search_by(|(k, _, _)| number(k).cmp(&wanted))
        .ok()?;
    let (_, start, end) = keys[i];
    values.get(start as usize..end as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(c: Counterparts<'_>) -> Vec<&str> {
        match c {
            Counterparts::Codes(c) | Counterparts::NotInEdition { these: c } => {
                c.iter().map(text).collect()
            }
            Counterparts::Same => vec!["same"],
        }
    }

    #[test]
    fn subheading_numbers_sort_as_their_bytes() {
        let table = embedded();
        for keys in [&table.from_2022, &table.from_2017] {
            assert!(keys.windows(2).all(|w| number(&w[0].0) < number(&w[1].0)));
            // Every listed subheading is found by the integer search.
            for (k, start, end) in keys.iter() {
                let values = if std::ptr::eq(keys, &table.from_2022) {
                    &table.to_2017
                } else {
                    &table.to_2022
                };
                assert_eq!(
                    find(keys, values, k),
                    values.get(*start as usize..*end as usize)
                );
            }
        }
        assert_eq!(find(&table.from_2022, &table.to_2017, b"000000"), None);
        assert_eq!(find(&table.from_2022, &table.to_2017, b"999999"), None);
    }

    /// Every subheading: the packed digits are the digits' values in order, `unnibble`
    /// gives the subheading back, and `bcd` of its number is the same integer.
    #[test]
    fn every_subheading_packs_and_unpacks() {
        for n in 0..1_000_000i64 {
            let s: Sub = format!("{n:06}").into_bytes().try_into().unwrap();
            let fold = s.iter().fold(0, |acc, &d| acc << 4 | u64::from(d - b'0'));
            assert_eq!(nibbles(&s), fold, "{n}");
            assert_eq!(unnibble(fold), s, "{n}");
            assert_eq!(bcd(n), Some(fold), "{n}");
        }
        assert_eq!(bcd(1_000_000), None);
        assert_eq!(bcd(-1), None);
    }

    #[test]
    fn the_embedded_table_reads_whole() {
        let table = embedded();
        let listed = xborder_regimes::HS_CORRELATION_2022_2017
            .lines()
            .filter(|l| !l.starts_with('#'))
            .count();
        // Every data line is a well-formed subheading with counterparts.
        assert_eq!(table.len().0, listed);
        assert_eq!(listed, 1543);
        assert_eq!(table.len().1, 1317);
    }

    #[test]
    fn anoraks_moved_from_620193_to_620140() {
        let t = embedded();
        use HsEdition::{Hs2017, Hs2022};
        // HS 2022 6201.40 (men's anoraks of man-made fibres) was 6201.13 and 6201.93.
        assert_eq!(
            codes(t.counterparts("6201400000", Hs2022, Hs2017)),
            ["620113", "620193"]
        );
        // 6201.93 no longer exists in HS 2022.
        let c = t.counterparts("620193", Hs2022, Hs2017);
        assert!(matches!(c, Counterparts::NotInEdition { .. }), "{c:?}");
        assert_eq!(codes(c), ["620140"]);
        // The other way: HS 2017 6201.93 became 6201.40, and HS 2017 has no 6201.40.
        assert_eq!(codes(t.counterparts("620193", Hs2017, Hs2022)), ["620140"]);
        assert!(matches!(
            t.counterparts("620140", Hs2017, Hs2022),
            Counterparts::NotInEdition { .. }
        ));
        // Smartphones: HS 2022 8517.13 was part of HS 2017 8517.12.
        assert_eq!(codes(t.counterparts("851713", Hs2022, Hs2017)), ["851712"]);
        // All of HS 2022 9503.00 is HS 2017 9503.00 (which also fed the new 85.49): the code
        // reads as declared, national digits included.
        assert_eq!(
            t.counterparts("95030010", Hs2022, Hs2017),
            Counterparts::Same
        );
        // But HS 2017 9503.00 is split in HS 2022.
        assert!(t.counterparts("950300", Hs2017, Hs2022) != Counterparts::Same);
        // T-shirts of cotton did not change.
        assert_eq!(
            t.counterparts("6109100012", Hs2022, Hs2017),
            Counterparts::Same
        );
        assert_eq!(t.counterparts("610910", Hs2017, Hs2022), Counterparts::Same);
        assert_eq!(t.counterparts("610910", Hs2022, Hs2022), Counterparts::Same);
        assert_eq!(t.counterparts("6109", Hs2022, Hs2017), Counterparts::Same);
    }

    #[test]
    fn the_packed_table_is_the_text() {
        let text = Correlation::parse(xborder_regimes::HS_CORRELATION_2022_2017);
        assert_eq!(*embedded(), text);
        assert_eq!(text.len(), (1543, 1317));
        // Packed much smaller than the text (the point of the packed form).
        assert!(xborder_regimes::HS_CORRELATION_2022_2017_PACKED.len() < 20_000);
    }

    #[test]
    fn unpacks_what_it_is_given() {
        // 111111 → 222222 333333; 000042 → 000042 000007; then a truncated entry.
        let mut packed = vec![0x8e, 0xc8, 0x0d, 2, 0x8e, 0xc8, 0x0d, 0x8e, 0xc8, 0x0d];
        // 000042 − 111111 = −111069 → zigzag 222137; 0; 7 − 42 = −35 → 69.
        packed.extend([0xb9, 0xc7, 0x0d, 2, 0, 69]);
        let t = Correlation::unpack(&packed);
        let whole = Correlation::parse("111111\t222222 333333\n000042\t000042 000007\n");
        assert_eq!(t, whole);
        packed.extend([0x80]);
        assert_eq!(Correlation::unpack(&packed), whole);
        assert_eq!(bcd(42), Some(0x42));
    }

    #[test]
    fn parses_what_it_is_given() {
        let t = Correlation::parse("# c\n111111\t222222 333333\n444444\t444444 222222\nbad\n");
        use HsEdition::{Hs2017, Hs2022};
        assert_eq!(
            codes(t.counterparts("111111", Hs2022, Hs2017)),
            ["222222", "333333"]
        );
        assert_eq!(
            codes(t.counterparts("222222", Hs2017, Hs2022)),
            ["111111", "444444"]
        );
        assert!(matches!(
            t.counterparts("333333", Hs2022, Hs2017),
            Counterparts::NotInEdition { .. }
        ));
        assert_eq!(t.len(), (2, 3));
    }
}
