//! Regimes: a jurisdiction's effective-dated rules, loaded from a regime pack.
//!
//! The pack format is documented in `docs/regime-format.md`; [`pack`] mirrors it. Loading
//! validates everything a JSON Schema cannot: dated series sorted and non-overlapping, duty
//! expressions and registration patterns that parse, options that exist.

pub mod embedded;
pub mod goods_list;
pub mod listing;
pub mod pack;
pub mod surcharge;

use std::collections::BTreeMap;
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::date::Date;
use crate::error::{Error, ErrorCode};
use crate::money::{minor_units, Rounding};
use crate::tariff::Tariff;
use pack::{DatedRate, PackFile, RoundingRule, VersionFile};

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
}

/// Strings a version's results repeat: cloning an `Arc` costs no allocation.
#[derive(Debug, Clone)]
pub struct SharedTexts {
    /// Regime id.
    pub regime: Arc<str>,
    /// Version label.
    pub label: Arc<str>,
    /// Regime currency.
    pub currency: Arc<str>,
    /// Kind of tax (`VAT`).
    pub tax_kind: Arc<str>,
    /// Tax subdivision names.
    pub subdivisions: BTreeMap<String, Arc<str>>,
    /// Every tax rate of the version as text (`20%`).
    pub rates: BTreeMap<Decimal, Arc<str>>,
    /// Duty line text for gift relief.
    pub relief_gift: Arc<str>,
    /// Duty line text for de minimis relief.
    pub relief_de_minimis: Arc<str>,
    /// Duty line text for the flat duty, when the version has one.
    pub flat_duty: Option<Arc<str>>,
}

impl SharedTexts {
    /// The text of a tax rate (`20%`).
    pub fn rate(&self, rate: Decimal) -> Arc<str> {
        self.rates
            .get(&rate)
            .cloned()
            .unwrap_or_else(|| Arc::from(format!("{}%", rate.normalize())))
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
    /// Parses and validates a pack. Errors carry `E_INVALID_PACK` (or the expression's code)
    /// and a path such as `versions[1].taxes.standard.FI[0]`.
    pub fn from_json(text: &str) -> Result<Regime, Error> {
        crate::limits::check_size(
            text,
            crate::limits::MAX_PACK_BYTES,
            ErrorCode::PackTooLarge,
            "regime pack",
        )?;
        let pack: PackFile = crate::error::from_json_tracked(text).map_err(|mut err: Error| {
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
        if pack.versions.is_empty() {
            return Err(bad(
                "versions".into(),
                "a pack needs at least one version".into(),
            ));
        }
        check_series(pack.versions.iter().map(|v| (v.from, v.to)), "versions")?;
        check_series(pack.gaps.iter().map(|g| (g.from, g.to)), "gaps")?;
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
                return Err(bad(
                    format!("gaps[{i}].missing"),
                    "a gap must say what is missing".into(),
                ));
            }
        }
        let mut goods_lists = goods_list::embedded(&pack.id)?;
        // The pack's own lists win over the embedded ones of the same id.
        goods_lists.extend(goods_list::compile_all(&pack.goods_lists)?);
        let mut versions = Vec::with_capacity(pack.versions.len());
        for (i, rules) in pack.versions.into_iter().enumerate() {
            check_goods_refs(&rules, &goods_lists, &format!("versions[{i}]"))?;
            let at = format!("versions[{i}]");
            versions.push(compile_version(
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
        })
    }

    /// The version in force on `date`.
    pub fn version_on(&self, date: Date) -> Result<&Version, Error> {
        // Versions are sorted and non-overlapping, so the candidate is the last one starting
        // on or before the date.
        let i = self.versions.partition_point(|v| v.rules.from <= date);
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

/// The rate of a dated series in force on `date`.
pub(crate) fn rate_on(series: &[DatedRate], date: Date) -> Option<&DatedRate> {
    series
        .iter()
        .rev()
        .find(|r| r.from <= date && r.to.is_none_or(|to| date < to))
}

fn check_hs_prefix(prefix: &str, path: String) -> Result<(), Error> {
    if (2..=10).contains(&prefix.len()) && prefix.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(Error::at(
            ErrorCode::InvalidPack,
            path,
            format!("{prefix:?} is not an HS prefix of 2 to 10 digits"),
        ))
    }
}

fn check_rate(rate: &DatedRate, path: String) -> Result<(), Error> {
    if rate.rate.0 < Decimal::ZERO || rate.rate.0 > Decimal::ONE_HUNDRED {
        return Err(Error::at(
            ErrorCode::InvalidPack,
            format!("{path}.rate"),
            format!("{}% is not a percentage between 0 and 100", rate.rate.0),
        ));
    }
    Ok(())
}

fn compile_rounding(rule: &RoundingRule, path: &str) -> Result<Rounding, Error> {
    Rounding::new(rule.mode, rule.increment.0).ok_or_else(|| {
        Error::at(
            ErrorCode::InvalidPack,
            format!("{path}.increment"),
            "rounding increment must be positive",
        )
    })
}

fn compile_version(
    id: &str,
    currency: &str,
    currency_scale: u32,
    rules: VersionFile,
    at: &str,
) -> Result<Version, Error> {
    let bad = |path: String, msg: String| Error::at(ErrorCode::InvalidPack, path, msg);
    for (name, opt) in &rules.options {
        if !opt.values.contains(&opt.default) {
            return Err(bad(
                format!("{at}.options.{name}.default"),
                format!("default {:?} is not one of its values", opt.default),
            ));
        }
        if opt.values.iter().any(|v| v == "reject") {
            return Err(bad(
                format!("{at}.options.{name}.values"),
                "\"reject\" is always allowed and must not be listed".into(),
            ));
        }
    }
    let r = &rules.rounding;
    let rounding = RoundingSteps {
        exchange: compile_rounding(&r.exchange, &format!("{at}.rounding.exchange"))?,
        duty: compile_rounding(&r.duty, &format!("{at}.rounding.duty"))?,
        tax: compile_rounding(&r.tax, &format!("{at}.rounding.tax"))?,
        fee: compile_rounding(&r.fee, &format!("{at}.rounding.fee"))?,
        gross_mass: r
            .gross_mass
            .as_ref()
            .map(|g| compile_rounding(g, &format!("{at}.rounding.gross_mass")))
            .transpose()?,
        tax_base: r
            .tax_base
            .as_ref()
            .map(|t| compile_rounding(t, &format!("{at}.rounding.tax_base")))
            .transpose()?,
    };
    let mut surcharges = Vec::with_capacity(rules.surcharges.len());
    for (i, s) in rules.surcharges.iter().enumerate() {
        let path = format!("{at}.surcharges[{i}]");
        if rules.surcharges[..i].iter().any(|o| o.id == s.id) {
            return Err(bad(
                format!("{path}.id"),
                format!("duplicate surcharge id {:?}", s.id),
            ));
        }
        surcharges.push(surcharge::compile(s, &path)?);
    }
    for (kind, threshold) in [
        ("duty", &rules.de_minimis.duty),
        ("tax", &rules.de_minimis.tax),
    ] {
        if let Some(t) = threshold {
            for (i, e) in t.excluded.iter().enumerate() {
                check_hs_prefix(
                    &e.hs_prefix,
                    format!("{at}.de_minimis.{kind}.excluded[{i}].hs_prefix"),
                )?;
            }
            check_threshold_extras(t, &format!("{at}.de_minimis.{kind}"))?;
            for (i, c) in t.cases.iter().enumerate() {
                check_gate(
                    c.when_option.as_ref(),
                    &rules.options,
                    &format!("{at}.de_minimis.{kind}.cases[{i}].when_option"),
                )?;
            }
            check_gate(
                t.when_option.as_ref(),
                &rules.options,
                &format!("{at}.de_minimis.{kind}.when_option"),
            )?;
            if let Some(also) = &t.also_relieves {
                if kind != "tax" || t.basis != pack::Basis::TaxAmount {
                    return Err(Error::at(
                        ErrorCode::InvalidPack,
                        format!("{at}.de_minimis.{kind}.also_relieves"),
                        "also_relieves is only meaningful on a tax threshold with basis tax_amount",
                    ));
                }
                check_gate(
                    also.when_option.as_ref(),
                    &rules.options,
                    &format!("{at}.de_minimis.{kind}.also_relieves.when_option"),
                )?;
            }
        }
    }
    if let Some(min) = &rules.minimum_collectable {
        check_gate(
            min.when_option.as_ref(),
            &rules.options,
            &format!("{at}.minimum_collectable.when_option"),
        )?;
    }
    if rules.taxes.standard.is_empty() {
        return Err(bad(
            format!("{at}.taxes.standard"),
            "no standard tax rate".into(),
        ));
    }
    for (sub, series) in &rules.taxes.standard {
        let path = format!("{at}.taxes.standard.{sub}");
        check_series(series.iter().map(|r| (r.from, r.to)), &path)?;
        for (i, rate) in series.iter().enumerate() {
            check_rate(rate, format!("{path}[{i}]"))?;
        }
    }
    for (i, reduced) in rules.taxes.reduced.iter().enumerate() {
        let path = format!("{at}.taxes.reduced[{i}]");
        check_hs_prefix(&reduced.hs_prefix, format!("{path}.hs_prefix"))?;
        if !rules.taxes.standard.contains_key(&reduced.subdivision) {
            return Err(bad(
                format!("{path}.subdivision"),
                format!("{:?} has no standard rate", reduced.subdivision),
            ));
        }
        check_series(
            reduced.rates.iter().map(|r| (r.from, r.to)),
            &format!("{path}.rates"),
        )?;
        for (j, rate) in reduced.rates.iter().enumerate() {
            check_rate(rate, format!("{path}.rates[{j}]"))?;
        }
    }
    let tariff = Tariff::from_lines(&rules.tariff.lines, currency, &format!("{at}.tariff.lines"))
        .map_err(|mut e| {
        if e.code == ErrorCode::InvalidTariff {
            e.code = ErrorCode::InvalidPack;
        }
        e
    })?;
    if let Some(flat) = &rules.flat_duty {
        if !(2..=10).contains(&flat.hs_digits) {
            return Err(bad(
                format!("{at}.flat_duty.hs_digits"),
                "must be between 2 and 10".into(),
            ));
        }
        if let Some(opt) = &flat.scope_option {
            let known = rules.options.get(opt).ok_or_else(|| {
                bad(
                    format!("{at}.flat_duty.scope_option"),
                    format!("option {opt:?} is not declared in options"),
                )
            })?;
            for v in &known.values {
                if v != "all_distance_sales" && v != "ioss_and_postal" {
                    return Err(bad(
                        format!("{at}.options.{opt}.values"),
                        format!("{v:?} is not a flat-duty scope the engine knows"),
                    ));
                }
            }
        }
    }
    let mut scheme_patterns = Vec::with_capacity(rules.schemes.len());
    for (i, scheme) in rules.schemes.iter().enumerate() {
        let path = format!("{at}.schemes[{i}]");
        if rules.schemes[..i].iter().any(|s| s.id == scheme.id) {
            return Err(bad(
                format!("{path}.id"),
                format!("scheme {} is declared twice", scheme.id),
            ));
        }
        if scheme.collector == pack::Collector::Registrant && scheme.registration.is_none() {
            return Err(bad(
                format!("{path}.collector"),
                "collector \"registrant\" needs a registration rule".into(),
            ));
        }
        for (j, e) in scheme.excluded.iter().enumerate() {
            check_hs_prefix(&e.hs_prefix, format!("{path}.excluded[{j}].hs_prefix"))?;
        }
        if let Some(share) = scheme.tax_share {
            if share.0 <= Decimal::ZERO || share.0 > Decimal::ONE_HUNDRED {
                return Err(bad(
                    format!("{path}.tax_share"),
                    format!("{} is not a percentage above 0 and at most 100", share.0),
                ));
            }
        }
        scheme_patterns.push(match &scheme.registration {
            Some(reg) => Some(crate::pattern::Pattern::new(&reg.pattern).map_err(|e| {
                bad(
                    format!("{path}.registration.pattern"),
                    format!("invalid pattern: {e}"),
                )
            })?),
            None => None,
        });
    }
    for (i, fee) in rules.fees.iter().enumerate() {
        let path = format!("{at}.fees[{i}]");
        if let (Some(from), Some(to)) = (fee.from, fee.to) {
            if to <= from {
                return Err(bad(
                    format!("{path}.to"),
                    "fee ends before it starts".into(),
                ));
            }
        }
        if fee.taxed && fee.in_tax_base {
            // Taxing the fee on its own and in the goods' base would tax it twice.
            return Err(bad(
                format!("{path}.taxed"),
                "a fee in the tax base is already taxed with the goods; it cannot also be taxed on its own"
                    .into(),
            ));
        }
        if fee.only_if_payable && fee.in_tax_base {
            // Whether the fee is charged depends on the tax, and the tax on the fee.
            return Err(bad(
                format!("{path}.in_tax_base"),
                "a fee charged only when something is payable cannot also enter the tax base"
                    .into(),
            ));
        }
        check_gate(
            fee.when_option.as_ref(),
            &rules.options,
            &format!("{path}.when_option"),
        )?;
        if let Some(code) = &fee.currency {
            if minor_units(code).is_none() {
                return Err(bad(
                    format!("{path}.currency"),
                    format!("{code:?} is not an ISO 4217 currency"),
                ));
            }
        }
        for (what, basis) in [
            ("ad_valorem", fee.ad_valorem.as_ref().map(|a| a.basis)),
            ("above", fee.above.as_ref().map(|a| a.basis)),
        ] {
            if basis == Some(pack::Basis::TaxAmount) {
                return Err(bad(
                    format!("{path}.{what}.basis"),
                    "a fee cannot depend on the tax amount".into(),
                ));
            }
        }
        if let Some(subs) = &fee.subdivisions {
            for (j, s) in subs.iter().enumerate() {
                if !rules.taxes.standard.contains_key(s) {
                    return Err(bad(
                        format!("{path}.subdivisions[{j}]"),
                        format!("{s:?} is not a tax subdivision of this regime"),
                    ));
                }
            }
        }
    }
    check_additional_duties(&rules, at)?;
    check_simplified(&rules, at)?;
    let uses_uplift = rules
        .valuation
        .import_tax_base
        .iter()
        .chain(&rules.valuation.sale_tax_base)
        .any(|p| *p == pack::TaxBasePart::Uplift);
    if uses_uplift && rules.valuation.uplift.is_none() {
        return Err(bad(
            format!("{at}.valuation.uplift"),
            "a tax base lists `uplift` but the valuation defines none".into(),
        ));
    }
    if let Some(uplift) = &rules.valuation.uplift {
        if uplift.rate.0 < Decimal::ZERO || uplift.rate.0 > Decimal::ONE_HUNDRED {
            return Err(bad(
                format!("{at}.valuation.uplift.rate"),
                format!("{}% is not a percentage between 0 and 100", uplift.rate.0),
            ));
        }
    }
    if let Some(excise) = &rules.excise_goods {
        for (i, p) in excise.hs_prefixes.iter().enumerate() {
            check_hs_prefix(p, format!("{at}.excise_goods.hs_prefixes[{i}]"))?;
        }
    }
    if let Some(gift) = &rules.gift_relief {
        for (i, e) in gift.excluded.iter().enumerate() {
            check_hs_prefix(
                &e.hs_prefix,
                format!("{at}.gift_relief.excluded[{i}].hs_prefix"),
            )?;
        }
    }
    let label = format!("{id}@{}", rules.from);
    let mut rates = BTreeMap::new();
    let all_rates = rules
        .taxes
        .standard
        .values()
        .flatten()
        .chain(rules.taxes.reduced.iter().flat_map(|r| &r.rates));
    for r in all_rates {
        rates
            .entry(r.rate.0)
            .or_insert_with(|| Arc::from(format!("{}%", r.rate.0.normalize())));
    }
    let texts = SharedTexts {
        regime: Arc::from(id),
        label: Arc::from(label.as_str()),
        currency: Arc::from(currency),
        tax_kind: Arc::from(rules.taxes.kind.as_str()),
        subdivisions: rules
            .taxes
            .standard
            .keys()
            .map(|k| (k.clone(), Arc::from(k.as_str())))
            .collect(),
        rates,
        relief_gift: Arc::from("relieved (gift)"),
        relief_de_minimis: Arc::from("relieved (de minimis)"),
        flat_duty: rules.flat_duty.as_ref().map(|f| {
            Arc::from(format!(
                "{} {currency} per tariff subheading (flat)",
                f.amount.0
            ))
        }),
    };
    Ok(Version {
        texts,
        label,
        rules,
        tariff: Arc::new(tariff),
        rounding,
        scheme_patterns,
        currency_scale,
        surcharges,
    })
}

/// True when `hs_code` starts with one of the exclusions' prefixes.
pub(crate) fn excluded_by<'a>(
    exclusions: &'a [pack::Exclusion],
    hs_code: Option<&str>,
) -> Option<&'a pack::Exclusion> {
    let hs = hs_code?;
    exclusions
        .iter()
        .find(|e| hs.starts_with(e.hs_prefix.as_str()))
}

/// Checks the simplified rates and out-of-scope rules of a version: ids unique, rates are
/// percentages, prefixes are HS prefixes, option gates declared, every rate entry can price a
/// line (a `rate` or at least one prefix rate), and value conditions compare values.
fn check_simplified(rules: &VersionFile, at: &str) -> Result<(), Error> {
    let bad = |path: String, msg: String| Error::at(ErrorCode::InvalidPack, path, msg);
    let percent = |r: &crate::money::Amount, path: String| {
        if r.0 < Decimal::ZERO || r.0 > Decimal::ONE_HUNDRED {
            Err(bad(
                path,
                format!("{}% is not a percentage between 0 and 100", r.0),
            ))
        } else {
            Ok(())
        }
    };
    let value_basis = |c: Option<&pack::Ceiling>, path: String| match c {
        Some(c) if c.basis == pack::Basis::TaxAmount => Err(bad(
            path,
            "this condition needs a value basis, not tax_amount".into(),
        )),
        _ => Ok(()),
    };
    let mut ids = std::collections::BTreeSet::new();
    for (i, r) in rules.simplified_rates.iter().enumerate() {
        let path = format!("{at}.simplified_rates[{i}]");
        if !ids.insert(r.id.as_str()) {
            return Err(bad(
                format!("{path}.id"),
                format!("id {:?} is used twice", r.id),
            ));
        }
        if r.rate.is_none() && r.rates.is_empty() {
            return Err(bad(
                path,
                "a simplified rate needs `rate` or `rates`".into(),
            ));
        }
        if let Some(rate) = &r.rate {
            percent(rate, format!("{path}.rate"))?;
        }
        for (j, p) in r.rates.iter().enumerate() {
            check_hs_prefix(&p.hs_prefix, format!("{path}.rates[{j}].hs_prefix"))?;
            percent(&p.rate, format!("{path}.rates[{j}].rate"))?;
        }
        for (j, e) in r.excluded.iter().enumerate() {
            check_hs_prefix(&e.hs_prefix, format!("{path}.excluded[{j}].hs_prefix"))?;
        }
        if r.deduction.is_some_and(|d| d.0 < Decimal::ZERO) {
            return Err(bad(
                format!("{path}.deduction"),
                "a deduction cannot be negative".into(),
            ));
        }
        value_basis(r.above.as_ref(), format!("{path}.above.basis"))?;
        value_basis(r.ceiling.as_ref(), format!("{path}.ceiling.basis"))?;
        if let (Some(from), Some(to)) = (r.from, r.to) {
            if to <= from {
                return Err(bad(
                    format!("{path}.to"),
                    "the rate ends before it starts".into(),
                ));
            }
        }
        check_gate(
            r.when_option.as_ref(),
            &rules.options,
            &format!("{path}.when_option"),
        )?;
    }
    ids.clear();
    for (i, o) in rules.out_of_scope.iter().enumerate() {
        let path = format!("{at}.out_of_scope[{i}]");
        if !ids.insert(o.id.as_str()) {
            return Err(bad(
                format!("{path}.id"),
                format!("id {:?} is used twice", o.id),
            ));
        }
        if o.message.trim().is_empty() {
            return Err(bad(
                format!("{path}.message"),
                "say what is not modelled".into(),
            ));
        }
        value_basis(o.above.as_ref(), format!("{path}.above.basis"))?;
    }
    Ok(())
}

/// Checks that a rule's option gate names a declared option and one of its readings.
fn check_gate(
    gate: Option<&pack::OptionGate>,
    options: &BTreeMap<String, pack::OptionFile>,
    at: &str,
) -> Result<(), Error> {
    let Some(gate) = gate else { return Ok(()) };
    let bad = |path: String, msg: String| Error::at(ErrorCode::InvalidPack, path, msg);
    let Some(opt) = options.get(&gate.option) else {
        return Err(bad(
            format!("{at}.option"),
            format!("{:?} is not an option of this version", gate.option),
        ));
    };
    if !opt.values.contains(&gate.reading) {
        return Err(bad(
            format!("{at}.reading"),
            format!("{:?} is not a reading of {}", gate.reading, gate.option),
        ));
    }
    Ok(())
}

/// Checks a threshold's cases and per-person limit: the limit counts whole consignments on a
/// value basis, and a case's origins are country codes.
fn check_threshold_extras(t: &pack::Threshold, at: &str) -> Result<(), Error> {
    let bad = |path: String, msg: String| Error::at(ErrorCode::InvalidPack, path, msg);
    if t.per_person.is_some() {
        if t.unit != pack::ThresholdUnit::Consignment {
            return Err(bad(
                format!("{at}.per_person"),
                "a per-person limit needs unit \"consignment\"".into(),
            ));
        }
        if t.basis == pack::Basis::TaxAmount {
            return Err(bad(
                format!("{at}.per_person"),
                "a per-person limit needs a value basis, not tax_amount".into(),
            ));
        }
    }
    for (j, o) in t.excluded_origins.iter().enumerate() {
        check_country(o, format!("{at}.excluded_origins[{j}]"))?;
    }
    for (i, c) in t.cases.iter().enumerate() {
        for (j, o) in c.origins.iter().flatten().enumerate() {
            if o.len() != 2 || !o.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(bad(
                    format!("{at}.cases[{i}].origins[{j}]"),
                    format!("{o:?} is not an ISO 3166-1 alpha-2 code"),
                ));
            }
        }
        if c.origins.is_none() && c.channels.is_none() && c.when_option.is_none() {
            return Err(bad(
                format!("{at}.cases[{i}]"),
                "a case needs origins, channels or when_option (else it always holds)".into(),
            ));
        }
        if c.basis.is_some()
            && (c.basis == Some(pack::Basis::TaxAmount) || t.basis == pack::Basis::TaxAmount)
        {
            return Err(bad(
                format!("{at}.cases[{i}].basis"),
                "a case may change one value basis for another, not switch to or from tax_amount"
                    .into(),
            ));
        }
        for (j, e) in c.excluded.iter().enumerate() {
            check_hs_prefix(
                &e.hs_prefix,
                format!("{at}.cases[{i}].excluded[{j}].hs_prefix"),
            )?;
        }
    }
    Ok(())
}

fn check_country(code: &str, path: String) -> Result<(), Error> {
    if code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(Error::at(
            ErrorCode::InvalidPack,
            path,
            format!("{code:?} is not an ISO 3166-1 alpha-2 code"),
        ))
    }
}

/// Checks the additional duties: unique ids, rates that are percentages, country codes and HS
/// prefixes that parse, `rate_from` naming other duties that carry their own rates, bands with
/// one bound each, and some way to find a rate (or a statement of what is missing).
fn check_additional_duties(rules: &VersionFile, at: &str) -> Result<(), Error> {
    let bad = |path: String, msg: String| Error::at(ErrorCode::InvalidPack, path, msg);
    let duties = &rules.additional_duties;
    // IEEPA rates on Chinese goods reached 125 %; a rate far above that is a typo.
    let max_rate = Decimal::from(1000);
    let check_pct = |r: Decimal, path: String| {
        if r < Decimal::ZERO || r > max_rate {
            Err(bad(path, format!("{r}% is not a rate between 0 and 1000")))
        } else {
            Ok(())
        }
    };
    for (i, d) in duties.iter().enumerate() {
        let path = format!("{at}.additional_duties[{i}]");
        if duties[..i].iter().any(|x| x.id == d.id) {
            return Err(bad(
                format!("{path}.id"),
                format!("additional duty {} is declared twice", d.id),
            ));
        }
        if let Some(r) = d.rate {
            check_pct(r.0, format!("{path}.rate"))?;
        }
        for (o, entry) in &d.rates_by_origin {
            let p = format!("{path}.rates_by_origin.{o}");
            check_country(o, p.clone())?;
            match (entry.rate, &entry.missing) {
                (Some(r), _) => check_pct(r.0, format!("{p}.rate"))?,
                (None, Some(_)) => {}
                (None, None) => {
                    return Err(bad(
                        p,
                        "an origin needs a rate or a statement of what is missing".into(),
                    ))
                }
            }
        }
        for (j, id) in d.rate_from.iter().enumerate() {
            let p = format!("{path}.rate_from[{j}]");
            match duties.iter().find(|x| &x.id == id) {
                None => {
                    return Err(bad(
                        p,
                        format!("{id:?} is not an additional duty of this version"),
                    ))
                }
                Some(x) if !x.rate_from.is_empty() => {
                    return Err(bad(
                        p,
                        format!("{id} takes its rate from other duties itself"),
                    ))
                }
                Some(_) => {}
            }
        }
        if !d.rate_from.is_empty() && (d.rate.is_some() || !d.rates_by_origin.is_empty()) {
            return Err(bad(
                format!("{path}.rate_from"),
                "rate_from cannot be combined with rate or rates_by_origin".into(),
            ));
        }
        if d.rate.is_none()
            && d.rates_by_origin.is_empty()
            && d.rate_from.is_empty()
            && d.missing.is_none()
        {
            return Err(bad(
                path,
                "needs rate, rates_by_origin, rate_from or missing".into(),
            ));
        }
        if let Some(spec) = &d.specific {
            if spec.bands.is_empty() {
                return Err(bad(format!("{path}.specific.bands"), "no bands".into()));
            }
            for (j, b) in spec.bands.iter().enumerate() {
                if b.below.is_some() && b.up_to.is_some() {
                    return Err(bad(
                        format!("{path}.specific.bands[{j}]"),
                        "give below or up_to, not both".into(),
                    ));
                }
                if b.amount.0 < Decimal::ZERO {
                    return Err(bad(
                        format!("{path}.specific.bands[{j}].amount"),
                        "a negative duty".into(),
                    ));
                }
            }
        }
        if let (Some(from), Some(to)) = (d.from, d.to) {
            if to <= from {
                return Err(bad(
                    format!("{path}.to"),
                    "duty ends before it starts".into(),
                ));
            }
        }
        for (j, o) in d.origins.iter().flatten().enumerate() {
            check_country(o, format!("{path}.origins[{j}]"))?;
        }
        for (j, o) in d.excluded_origins.iter().enumerate() {
            check_country(o, format!("{path}.excluded_origins[{j}]"))?;
        }
        for (j, e) in d.excluded.iter().enumerate() {
            check_hs_prefix(&e.hs_prefix, format!("{path}.excluded[{j}].hs_prefix"))?;
        }
        for (j, g) in d.checked_goods.iter().flatten().enumerate() {
            check_hs_prefix(g, format!("{path}.checked_goods[{j}]"))?;
        }
        check_gate(
            d.when_option.as_ref(),
            &rules.options,
            &format!("{path}.when_option"),
        )?;
    }
    Ok(())
}
