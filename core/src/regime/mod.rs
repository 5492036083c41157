//! Regimes: a jurisdiction's effective-dated rules, loaded from a regime pack.
//!
//! The pack format is documented in `docs/regime-format.md`; [`pack`] mirrors it. Loading
//! validates everything a JSON Schema cannot: dated series sorted and non-overlapping, duty
//! expressions and registration patterns that parse, options that exist.

mod compile;
pub(crate) mod decode;
pub mod embedded;
pub mod goods_list;
pub mod listing;
pub mod pack;
pub mod surcharge;

use std::collections::BTreeMap;
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::date::Date;
use crate::declaration::Text;
use crate::error::{Error, ErrorCode};
use crate::money::{minor_units, Rounding};
use crate::tariff::Tariff;
use pack::{PackFile, VersionFile};

pub(crate) use compile::{rate_index, Subdivision};

/// A loaded, validated regime.
#[derive(Debug, Clone)]
pub struct Regime {
    /// Regime id (`EU`).
    pub id: String,
    /// Human name.
    pub name: String,
    /// Currency of amounts and results.
    pub currency: String,
    /// Destination countries that select it.
    pub destinations: Vec<String>,
    /// Versions, sorted by start date.
    pub versions: Vec<Version>,
    /// Periods the pack knowingly does not cover, with what is missing.
    pub gaps: Vec<pack::GapFile>,
    /// The goods lists its rules name, by id.
    pub goods_lists: goods_list::GoodsLists,
    /// The exchange rates its customs administration converts with.
    pub exchange_rates: Option<pack::ExchangeRatesFile>,
    /// The national tariff file (embedded or the caller's): for the dates its revisions cover
    /// it is the tariff, and the versions' own `tariff` lines apply only before its first
    /// revision.
    pub tariff_file: Option<Arc<crate::tariff::schedule::LazySchedule>>,
}

/// One version of a regime, ready to assess with.
#[derive(Debug, Clone)]
pub struct Version {
    /// `ID@YYYY-MM-DD`, e.g. `EU@2026-07-01`.
    pub label: String,
    /// The rules as written in the pack.
    pub rules: VersionFile,
    /// The tariff (the pack's, or the caller's replacement).
    pub tariff: Arc<Tariff>,
    /// Compiled rounding steps.
    pub rounding: RoundingSteps,
    /// Compiled registration patterns, parallel to `rules.schemes`.
    pub scheme_patterns: Vec<Option<crate::pattern::Pattern>>,
    /// Minor units of the regime currency.
    pub currency_scale: u32,
    /// Strings every result repeats, shared instead of copied per assessment.
    pub texts: SharedTexts,
    /// Compiled surcharges, parallel to `rules.surcharges`.
    pub surcharges: Vec<surcharge::Surcharge>,
    /// The tax subdivisions resolved once, so that an assessment finds its rates and texts
    /// without looking names up again.
    pub(crate) subdivisions: compile::Subdivisions,
    /// The options `rules` declares, each with its default, in a flat list: an assessment
    /// reading one scans a few boxed strings rather than walking the map's nodes (about 100
    /// instructions a lookup, issue 16).
    pub(crate) option_defaults: Box<[(Box<str>, Box<str>)]>,
}

/// Strings a version's results repeat, made once per version.
///
/// The short ones are [`Text`]s: cloning one copies 24 bytes, with no allocation and no
/// reference count the threads assessing with the engine would contend for (issue 16). Duty
/// line texts can be longer than a `Text` keeps inline: they are `Arc`s, and a result cites
/// its thread's own copy of them rather than a clone of the engine's.
#[derive(Debug, Clone)]
pub struct SharedTexts {
    /// Regime id.
    pub regime: Text,
    /// Version label.
    pub label: Text,
    /// Regime currency.
    pub currency: Text,
    /// Kind of tax (`VAT`).
    pub tax_kind: Text,
    /// Tax subdivision names.
    pub subdivisions: BTreeMap<String, Text>,
    /// Every tax rate of the version as text (`20%`).
    pub rates: BTreeMap<Decimal, Text>,
    /// Duty line text for gift relief.
    pub relief_gift: Arc<str>,
    /// Duty line text for de minimis relief.
    pub relief_de_minimis: Arc<str>,
    /// Duty line text for the flat duty, when the version has one.
    pub flat_duty: Option<Arc<str>>,
}

impl SharedTexts {
    /// The text of a tax rate (`20%`).
    pub fn rate(&self, rate: Decimal) -> Text {
        self.rates
            .get(&rate)
            .cloned()
            .unwrap_or_else(|| compile::rate_text(rate))
    }
}

/// The named rounding steps of a version.
#[derive(Debug, Clone, Copy)]
pub struct RoundingSteps {
    /// Converting declared amounts.
    pub exchange: Rounding,
    /// Duty amounts.
    pub duty: Rounding,
    /// Tax amounts.
    pub tax: Rounding,
    /// Fees.
    pub fee: Rounding,
    /// Gross mass for duties on gross weight, when the pack names a rounding for it.
    pub gross_mass: Option<Rounding>,
    /// Duty and import tax bases, per line (`None`: not rounded).
    pub tax_base: Option<Rounding>,
}

impl Regime {
    /// Parses and validates a pack. Errors carry `E_INVALID_PACK` (or the expression's code),
    /// a path such as `versions[1].taxes.standard.FI[0]` and the origin [`Origin::Pack`].
    ///
    /// [`Origin::Pack`]: crate::Origin::Pack
    pub fn from_json(text: &str) -> Result<Regime, Error> {
        Regime::parse_pack(text).map_err(|e| e.from_origin(crate::Origin::Pack))
    }

    /// [`Regime::from_json`] of an embedded pack (`embedded::PACKS`): the same regime, read by
    /// plain serde_json first, without `serde_path_to_error`'s tracking, which only an error
    /// needs (its path): reading the twenty packs took 19.1 M instructions at every start of
    /// the CLI with it, 14.5 M without. The plain read takes structs from JSON objects only
    /// ([`crate::map_only`], half the code of a derived reader); anything it refuses is read
    /// again by [`Regime::from_json`], so an error (or a pack that writes a struct as an
    /// array) is read as before.
    pub(crate) fn from_embedded_json(text: &str) -> Result<Regime, Error> {
        #[cfg(feature = "data-error-paths")]
        if text.len() <= crate::limits::MAX_PACK_BYTES {
            if let Ok(pack) = crate::error::from_json_map_only::<PackFile>(text) {
                return Regime::from_pack(pack).map_err(|e| e.from_origin(crate::Origin::Pack));
            }
        }
        Regime::from_json(text)
    }

    fn parse_pack(text: &str) -> Result<Regime, Error> {
        crate::limits::check_size(
            text,
            crate::limits::MAX_PACK_BYTES,
            ErrorCode::PackTooLarge,
            "regime pack",
        )?;
        // The WASM package reads packs with the compact reader (`decode.rs`), which gives the
        // same errors with a fraction of the derived deserializers' code.
        #[cfg(feature = "data-error-paths")]
        let pack: Result<PackFile, Error> = crate::error::from_json_data(text);
        #[cfg(not(feature = "data-error-paths"))]
        let pack: Result<PackFile, Error> = decode::from_json(text);
        let pack = pack.map_err(|mut err: Error| {
            if let Some(err) = crate::limits::nesting_error(text, "regime pack", None) {
                return err;
            }
            if err.code != ErrorCode::NestingTooDeep {
                err.message = format!("{} ({})", err.message, err.code);
                err.code = ErrorCode::InvalidPack;
            }
            err
        })?;
        Regime::from_pack(pack)
    }

    /// Validates an already-parsed pack.
    pub fn from_pack(pack: PackFile) -> Result<Regime, Error> {
        let scale = check_identity(&pack)?;
        let bad = |path: String, msg: String| Error::at(ErrorCode::InvalidPack, path, msg);
        if pack.versions.is_empty() {
            return Err(bad(
                "versions".into(),
                "a pack needs at least one version".into(),
            ));
        }
        check_series(pack.versions.iter().map(|v| (v.from, v.to)), "versions")?;
        check_series(pack.gaps.iter().map(|g| (g.from, g.to)), "gaps")?;
        check_gaps(&pack)?;
        let mut goods_lists = goods_list::embedded(&pack.id)?;
        // The pack's own lists win over the embedded ones of the same id.
        goods_lists.extend(goods_list::compile_all(&pack.goods_lists)?);
        if let Some(x) = &pack.exchange_rates {
            if x.official.trim().is_empty() {
                return Err(bad(
                    "exchange_rates.official".into(),
                    "say which official rates the customs administration uses".into(),
                ));
            }
            if let Some(id) = x.table.as_deref() {
                let ok = (1..=16).contains(&id.len())
                    && id
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
                if !ok {
                    return Err(bad(
                        "exchange_rates.table".into(),
                        format!("{id:?} is not a rate table id"),
                    ));
                }
            }
        }
        let mut versions = Vec::with_capacity(pack.versions.len());
        for (i, rules) in pack.versions.into_iter().enumerate() {
            check_goods_refs(&rules, &goods_lists, &format!("versions[{i}]"))?;
            let at = format!("versions[{i}]");
            versions.push(compile::compile_version(
                &pack.id,
                &pack.currency,
                scale,
                rules,
                &at,
            )?);
        }
        Ok(Regime {
            id: pack.id,
            name: pack.name,
            currency: pack.currency,
            destinations: pack.destinations,
            versions,
            gaps: pack.gaps,
            goods_lists,
            exchange_rates: pack.exchange_rates,
            tariff_file: None,
        })
    }

    /// Checks that every column an additional duty prices from (`tariff_column`) is a column of
    /// the regime's tariff file, when one is attached: `E_INVALID_PACK` at
    /// `versions[i].additional_duties[j].tariff_column` otherwise. Without a file there is
    /// nothing to check against; a caller's file given later is checked when a line needs it.
    pub fn check_tariff_columns(&self) -> Result<(), Error> {
        self.check_columns()
            .map_err(|e| e.from_origin(crate::Origin::Pack))
    }

    fn check_columns(&self) -> Result<(), Error> {
        let Some(file) = &self.tariff_file else {
            return Ok(());
        };
        let header = file.header();
        for (v, version) in self.versions.iter().enumerate() {
            for (j, d) in version.rules.additional_duties.iter().enumerate() {
                let Some(column) = &d.tariff_column else {
                    continue;
                };
                if !header.columns.iter().any(|c| c == column) {
                    return Err(Error::at(
                        ErrorCode::InvalidPack,
                        format!("versions[{v}].additional_duties[{j}].tariff_column"),
                        format!(
                            "{} prices from column {column:?}, which the tariff of {} ({}) does not have; its columns: {}",
                            d.id,
                            self.id,
                            header.title,
                            header.columns.join(", ")
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The version in force on `date`.
    pub fn version_on(&self, date: Date) -> Result<&Version, Error> {
        // Versions are sorted and non-overlapping, so the candidate is the last one starting
        // on or before the date: most often the latest version, tried first (what the search
        // would find, in fewer instructions).
        let i = match self.versions.last() {
            Some(last) if last.rules.from <= date => self.versions.len(),
            _ => self.versions.partition_point(|v| v.rules.from <= date),
        };
        match i.checked_sub(1).map(|i| &self.versions[i]) {
            Some(v) if v.rules.to.is_none_or(|to| date < to) => Ok(v),
            _ => Err(match self.gaps.iter().find(|g| {
                g.from <= date && g.to.is_none_or(|to| date < to)
            }) {
                Some(gap) => Error::at(
                    ErrorCode::NoVersionInForce,
                    "date",
                    format!(
                        "regime {} has no rules in force on {date}: {} [{}, checked {}]; its versions cover {}",
                        self.id,
                        gap.missing,
                        gap.source,
                        gap.checked,
                        self.coverage()
                    ),
                ),
                None => Error::at(
                ErrorCode::NoVersionInForce,
                "date",
                format!(
                    "regime {} has no rules in force on {date}; its versions cover {}",
                    self.id,
                    self.coverage()
                ),
            ),
            }),
        }
    }

    /// The periods the versions cover, for messages (`2021-01-01 to 2025-02-04`).
    pub fn coverage(&self) -> String {
        self.versions
            .iter()
            .map(|v| match v.rules.to {
                Some(to) => format!("{} to {}", v.rules.from, to),
                None => format!("{} onwards", v.rules.from),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Replaces the tariff of every version (a caller's full national tariff).
    pub fn replace_tariff(&mut self, tariff: Tariff) {
        let tariff = Arc::new(tariff);
        for v in &mut self.versions {
            v.tariff = Arc::clone(&tariff);
        }
    }
}

/// Checks that every goods list a version's additional duties name exists, and that each
/// reference's dates are in order.
fn check_goods_refs(
    rules: &VersionFile,
    lists: &goods_list::GoodsLists,
    at: &str,
) -> Result<(), Error> {
    for (i, d) in rules.additional_duties.iter().enumerate() {
        let named = d
            .goods
            .iter()
            .flatten()
            .map(|r| ("goods", r))
            .chain(d.excluded_goods.iter().map(|r| ("excluded_goods", r)));
        for (j, (key, r)) in named.enumerate() {
            let path = format!("{at}.additional_duties[{i}].{key}");
            if !lists.contains_key(&r.list) {
                return Err(Error::at(
                    ErrorCode::InvalidPack,
                    path,
                    format!("{}: goods list {:?} is not defined", d.id, r.list),
                ));
            }
            if let (Some(from), Some(to)) = (r.from, r.to) {
                if to <= from {
                    return Err(Error::at(
                        ErrorCode::InvalidPack,
                        path,
                        format!("reference {j} to {} ends before it starts", r.list),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The pack's format, id, currency (returning its minor units) and destinations.
fn check_identity(pack: &PackFile) -> Result<u32, Error> {
    let bad = |path: String, msg: String| Error::at(ErrorCode::InvalidPack, path, msg);
    if pack.format != 1 {
        return Err(bad(
            "format".into(),
            format!("format {} is not supported (expected 1)", pack.format),
        ));
    }
    let id_ok = (2..=16).contains(&pack.id.len())
        && pack.id.as_bytes()[0].is_ascii_uppercase()
        && pack
            .id
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    if !id_ok {
        return Err(bad(
            "id".into(),
            format!("{:?} is not a regime id", pack.id),
        ));
    }
    let scale = minor_units(&pack.currency).ok_or_else(|| {
        bad(
            "currency".into(),
            format!("{:?} is not an ISO 4217 currency", pack.currency),
        )
    })?;
    for (i, d) in pack.destinations.iter().enumerate() {
        if d.len() != 2 || !d.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(bad(
                format!("destinations[{i}]"),
                format!("{d:?} is not an ISO 3166-1 alpha-2 code"),
            ));
        }
    }
    Ok(scale)
}

/// Each gap says what is missing and overlaps no version.
fn check_gaps(pack: &PackFile) -> Result<(), Error> {
    for (i, gap) in pack.gaps.iter().enumerate() {
        // A gap is where no version is; one that overlaps a version contradicts it.
        if let Some(v) = pack.versions.iter().position(|v| {
            v.to.is_none_or(|to| gap.from < to) && gap.to.is_none_or(|to| v.from < to)
        }) {
            return Err(Error::at(
                ErrorCode::ConflictingRules,
                format!("gaps[{i}]"),
                format!("the gap overlaps versions[{v}]"),
            ));
        }
        if gap.missing.trim().is_empty() {
            return Err(Error::at(
                ErrorCode::InvalidPack,
                format!("gaps[{i}].missing"),
                "a gap must say what is missing",
            ));
        }
    }
    Ok(())
}

/// Checks a dated series is sorted, each range non-empty, and no two ranges overlap.
fn check_series(
    ranges: impl Iterator<Item = (Date, Option<Date>)>,
    path: &str,
) -> Result<(), Error> {
    let mut previous_end: Option<Option<Date>> = None;
    for (i, (from, to)) in ranges.enumerate() {
        if let Some(to) = to {
            if to <= from {
                return Err(Error::at(
                    ErrorCode::InvalidPack,
                    format!("{path}[{i}].to"),
                    format!("range ends ({to}) on or before it starts ({from})"),
                ));
            }
        }
        match previous_end {
            Some(None) => {
                return Err(Error::at(
                    ErrorCode::ConflictingRules,
                    format!("{path}[{i}]"),
                    "an earlier entry is open-ended (to: null), so this one overlaps it",
                ))
            }
            Some(Some(end)) if from < end => {
                return Err(Error::at(
                    ErrorCode::ConflictingRules,
                    format!("{path}[{i}].from"),
                    format!("starts {from}, before the previous entry ends ({end}): two rules would be in force at once"),
                ))
            }
            _ => {}
        }
        previous_end = Some(to);
    }
    Ok(())
}

/// True when `hs_code` starts with one of the exclusions' prefixes.
pub(crate) fn excluded_by<'a>(
    exclusions: &'a [pack::Exclusion],
    hs_code: Option<&str>,
) -> Option<&'a pack::Exclusion> {
    let hs = hs_code?;
    exclusions
        .iter()
        .find(|e| hs_starts_with(hs, e.hs_prefix.as_str()))
}

/// `hs.starts_with(prefix)`, deciding on the first two digits inline: lists of HS prefixes
/// (de minimis exclusions, excise goods) are tested against every item, and nearly every
/// prefix differs from the code in its chapter, which the library `memcmp` call cost more to
/// tell.
#[inline]
pub(crate) fn hs_starts_with(hs: &str, prefix: &str) -> bool {
    let (h, p) = (hs.as_bytes(), prefix.as_bytes());
    if let ([h0, h1, ..], [p0, p1, ..]) = (h, p) {
        if (h0, h1) != (p0, p1) {
            return false;
        }
    }
    h.starts_with(p)
}

#[cfg(test)]
mod prefix_tests {
    proptest::proptest! {
        /// The inline two-digit test decides as `str::starts_with` does, prefixes and codes of
        /// any length (empty and one byte included).
        #[test]
        fn hs_starts_with_is_starts_with(hs in "[0-9]{0,10}", prefix in "[0-9]{0,6}") {
            proptest::prop_assert_eq!(super::hs_starts_with(&hs, &prefix), hs.starts_with(prefix.as_str()));
            let own = &hs[..hs.len().min(prefix.len())];
            proptest::prop_assert!(super::hs_starts_with(&hs, own));
        }
    }
}
