//! The two cheap hashes of the engine's own tables (ids, profile words, HS prefixes), whose
//! keys come from packs and profiles, never chosen by a declaration: SipHash's resistance to
//! chosen collisions buys nothing there and costs the most on short keys.

/// One step of rustc's FxHasher (multiply-rotate): folds `word` into `hash`.
#[inline]
pub(crate) fn fx_step(hash: u64, word: u64) -> u64 {
    (hash.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95)
}

/// Fibonacci hashing: spreads `key` over the high bits, which index a power-of-two table.
#[inline]
pub(crate) fn spread(key: u64) -> u64 {
    key.wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// `a == b`, inlined and a word at a time: the texts an entry of these tables (and a few
/// other hot compares: option names, currency codes) is compared with are a few to a few dozen
/// bytes, for which `==`'s call of `memcmp` cost more than the compare (issue 16).
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
#[cfg_attr(target_arch = "wasm32", inline(never))] // one copy in the WASM module (size, issue 17)
pub(crate) fn same_text(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word = |s: &[u8], at: usize| {
        s.get(at..at + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            .map(u64::from_le_bytes)
    };
    let half = |s: &[u8], at: usize| {
        s.get(at..at + 4)
            .and_then(|w| <[u8; 4]>::try_from(w).ok())
            .map(u32::from_le_bytes)
    };
    match n {
        0..=3 => a.iter().zip(b).all(|(x, y)| x == y),
        // The first and last four bytes (overlapping below eight).
        4..=7 => half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4),
        _ => {
            // Whole words from the start, then the last eight bytes (overlapping the one
            // before).
            let mut at = 0;
            while at + 8 < n {
                if word(a, at) != word(b, at) {
                    return false;
                }
                at += 8;
            }
            word(a, n - 8) == word(b, n - 8)
        }
    }
}

/// rustc's FxHasher over whole words, for the engine's own tables keyed by text (a tariff
/// file's descriptions while it is interned, a pack tariff's HS prefixes): about a tenth of
/// SipHash's cost on keys of a few dozen bytes. Only for keys a declaration cannot choose.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.0 = fx_step(self.0, u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.0 = fx_step(self.0, u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u8(&mut self, byte: u8) {
        self.0 = fx_step(self.0, u64::from(byte));
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.0 = fx_step(self.0, n as u64);
    }

    /// The product's high bits are its best mixed: rotated down to where a table takes its
    /// bucket index from (rustc-hash 2 does the same).
    #[inline]
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

/// Builds [`FxHasher`]s for a `HashMap`.
pub(crate) type FxBuild = std::hash::BuildHasherDefault<FxHasher>;

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::FxBuild;

    #[test]
    fn fx_map_finds_every_key() {
        let keys: Vec<String> = (0..5000).map(|n| format!("line {n} of a tariff")).collect();
        let mut map: HashMap<&str, usize, FxBuild> = HashMap::default();
        for (i, k) in keys.iter().enumerate() {
            assert!(map.insert(k, i).is_none());
        }
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(map.get(k.as_str()), Some(&i));
        }
        assert_eq!(map.get("line 5000 of a tariff"), None);
    }

    proptest::proptest! {
        /// `same_text` says what `==` says, at every length around its word boundaries, for
        /// texts of equal length that differ in one byte too.
        #[test]
        fn same_text_is_eq(a in "[a-c_]{0,26}", b in "[a-c_]{0,26}", at in 0usize..26) {
            let (a, b) = (a.into_bytes(), b.into_bytes());
            proptest::prop_assert_eq!(super::same_text(&a, &b), a == b);
            proptest::prop_assert!(super::same_text(&a, &a.clone()));
            let mut c = a.clone();
            if let Some(x) = c.get_mut(at) {
                *x = if *x == b'a' { b'b' } else { b'a' };
            }
            proptest::prop_assert_eq!(super::same_text(&a, &c), a == c);
        }
    }
}
