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

/// `(regime id, rate table text)`: the official exchange-rate tables (`regimes/<ID>/<ID>.rates`,
/// format `xborder-rates 1`), when the `embedded-rates` feature is on. Without it (the WASM
/// package) the caller loads them (`EngineBuilder::rate_table`).
#[cfg(feature = "embedded-rates")]
pub const RATES: &[(&str, &str)] = xborder_regimes::RATES;

/// No embedded rate tables: the `embedded-rates` feature is off.
#[cfg(not(feature = "embedded-rates"))]
pub const RATES: &[(&str, &str)] = &[];
