//! # xborder-regimes
//!
//! The reference data of [xborder](https://docs.rs/xborder), as text embedded at build time:
//! the regime packs, sample risk profiles and return rules of every reference jurisdiction,
//! and (behind cargo features) full national tariffs and official exchange-rate tables.
//!
//! This crate holds data only: it has no code that interprets it. The `xborder` crate parses
//! and validates every file when an engine is built; `docs/regime-format.md` and
//! `docs/tariff-format.md` in the repository describe the formats. Each file names its sources.
//!
//! Keeping the data in its own crate lets the core stay small and lets a build that must not
//! carry the data at all (the WASM package, which ships every file separately and loads it on
//! demand) leave it out with `default-features = false`: without the feature `packs`, the pack,
//! risk-profile, returns and goods-list lists below are empty; without `tariffs` and `rates`,
//! `TARIFFS` and `RATES` do not exist.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

/// `(regime id, pack JSON)` for every reference regime pack, in the order the engine lists
/// them (empty without the feature `packs`).
#[cfg(feature = "packs")]
pub const PACKS: &[(&str, &str)] = &[
    ("EU", include_str!("../EU/pack.json")),
    ("GB", include_str!("../GB/pack.json")),
    ("CA", include_str!("../CA/pack.json")),
    ("US", include_str!("../US/pack.json")),
    ("AU", include_str!("../AU/pack.json")),
    ("NZ", include_str!("../NZ/pack.json")),
    ("NO", include_str!("../NO/pack.json")),
    ("CH", include_str!("../CH/pack.json")),
    ("SG", include_str!("../SG/pack.json")),
    ("KR", include_str!("../KR/pack.json")),
    ("JP", include_str!("../JP/pack.json")),
    ("IN", include_str!("../IN/pack.json")),
    ("MX", include_str!("../MX/pack.json")),
    ("ZA", include_str!("../ZA/pack.json")),
    ("BR", include_str!("../BR/pack.json")),
    ("CN", include_str!("../CN/pack.json")),
    ("TH", include_str!("../TH/pack.json")),
    ("MY", include_str!("../MY/pack.json")),
    ("SA", include_str!("../SA/pack.json")),
    ("AE", include_str!("../AE/pack.json")),
];
/// No packs without the feature `packs`.
#[cfg(not(feature = "packs"))]
pub const PACKS: &[(&str, &str)] = &[];

/// `(regime id, risk profile JSON)`: the illustrative sample profiles (empty without the
/// feature `packs`).
#[cfg(feature = "packs")]
pub const RISK_PROFILES: &[(&str, &str)] = &[
    ("EU", include_str!("../EU/risk-profile.json")),
    ("GB", include_str!("../GB/risk-profile.json")),
];
/// No risk profiles without the feature `packs`.
#[cfg(not(feature = "packs"))]
pub const RISK_PROFILES: &[(&str, &str)] = &[];

/// `(regime id, returns JSON)`: return and refund rules (empty without the feature `packs`).
#[cfg(feature = "packs")]
pub const RETURNS: &[(&str, &str)] = &[
    ("EU", include_str!("../EU/returns.json")),
    ("GB", include_str!("../GB/returns.json")),
    ("CN", include_str!("../CN/returns.json")),
];
/// No return rules without the feature `packs`.
#[cfg(not(feature = "packs"))]
pub const RETURNS: &[(&str, &str)] = &[];

/// `(regime id, goods lists JSON)`: lists of HS codes that a regime's rules name but that are
/// too long to keep inline in its pack (the US Section 301 lists, exemption annexes). Empty
/// without the feature `packs`.
#[cfg(feature = "packs")]
pub const GOODS_LISTS: &[(&str, &str)] = &[("US", include_str!("../US/goods-lists.json"))];
/// No goods lists without the feature `packs`.
#[cfg(not(feature = "packs"))]
pub const GOODS_LISTS: &[(&str, &str)] = &[];

/// The HS 2017 ↔ HS 2022 correlation, for the subheadings that are not the same in both
/// editions: one line per HS 2022 subheading, `code TAB counterparts` (space-separated HS 2017
/// subheadings), after `#` comment lines naming the source (the UN Statistics Division's
/// correlation tables). Always available (about 90 kB, 10 kB compressed): reading a code
/// against a tariff of the other edition needs the table. The core reads the packed form,
/// [`HS_CORRELATION_2022_2017_PACKED`], so a binary carries this text only if it uses it.
pub const HS_CORRELATION_2022_2017: &str = include_str!("../hs-correlation/hs2022-hs2017.tsv");

/// [`HS_CORRELATION_2022_2017`] packed by this crate's build script, for a build that must be
/// small (the WASM module carries this form only: about 15 kB, 3 kB compressed, against the
/// text's 92 kB and 10 kB). For each line of the text with a well-formed subheading, in the
/// text's order, unsigned LEB128 numbers: the HS 2022 subheading (as a number) minus the
/// previous line's, zigzag-encoded (0, −1, 1, −2 … as 0, 1, 2, 3 …; the first line's minus
/// 0); the count of its well-formed HS 2017 counterparts; then each counterpart minus the one
/// before it (the first: minus the HS 2022 subheading), zigzag-encoded. A subheading is six
/// digits, so its number is below 10⁶. Comment lines, lines without a tab and malformed codes
/// are left out, as the core's reader of the text leaves them out.
pub const HS_CORRELATION_2022_2017_PACKED: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/hs2022-hs2017.packed"));

/// `(regime id, tariff text)`: full national tariffs in the xborder tariff format
/// (`docs/tariff-format.md`), one per regime that has one.
#[cfg(feature = "tariffs")]
pub const TARIFFS: &[(&str, &str)] = &[
    ("AU", include_str!("../AU/AU.tariff")),
    ("EU", include_str!("../EU/EU.tariff")),
    ("GB", include_str!("../GB/GB.tariff")),
    ("JP", include_str!("../JP/JP.tariff")),
    ("US", include_str!("../US/US.tariff")),
];

/// `(regime id, rate table text)`: the official exchange-rate tables, in the xborder-rates
/// format (`docs/rates-format.md`), one per regime whose customs rates can be derived from a
/// published source: the EU's monthly rates under Art. 146 UCC-IA (table `ECB`, selected from
/// the ECB's daily reference rates) and HMRC's monthly rates (table `HMRC`). Each regime pack
/// names its table in `exchange_rates.table`.
#[cfg(feature = "rates")]
pub const RATES: &[(&str, &str)] = &[
    ("EU", include_str!("../EU/EU.rates")),
    ("GB", include_str!("../GB/GB.rates")),
];

#[cfg(all(test, feature = "packs"))]
mod tests {
    #[test]
    fn ids_are_unique() {
        let mut ids: Vec<_> = super::PACKS.iter().map(|(id, _)| *id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), super::PACKS.len());
    }
}
