//! The reference regime packs, embedded into the library at build time.
//!
//! The JSON files live in the `xborder-regimes` crate (`regimes/` in the repository), the
//! single source; `include_str!` there puts them in the binary so that the C library, the WASM
//! package and the CLI need no files at run time.

/// `(id, pack JSON)` for every embedded pack.
pub const PACKS: &[(&str, &str)] = xborder_regimes::PACKS;

/// `(regime id, goods lists JSON)`: lists of HS codes too long to keep inline in a pack
/// (`{"format": 1, "regime": "US", "goods_lists": [...]}`). A pack for that regime, embedded or
/// the caller's, gets every list it does not define itself.
pub const GOODS_LISTS: &[(&str, &str)] = xborder_regimes::GOODS_LISTS;
