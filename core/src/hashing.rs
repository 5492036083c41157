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
