//! Compiling one version of a pack: everything a JSON Schema cannot check (options and their
//! gates, rounding increments, dated tax rates, HS prefixes, registration patterns, fees,
//! additional duties, simplified rates), then the shared texts results cite.

use std::collections::BTreeMap;
use std::sync::Arc;

use rust_decimal::Decimal;

use super::pack::{self, DatedRate, RoundingRule, VersionFile};
use super::{check_series, surcharge, RoundingSteps, SharedTexts, Version};
use crate::declaration::Text;
use crate::engine::alpha2_slot;
use crate::error::{Error, ErrorCode};
use crate::money::{minor_units, Rounding};
use crate::tariff::Tariff;

/// An error in the pack at `path`.
fn bad(path: String, message: impl Into<String>) -> Error {
    Error::at(ErrorCode::InvalidPack, path, message)
}

/// Validates and compiles version `rules` of regime `id` (found at `at` in the pack).
pub(super) fn compile_version(
    id: &str,
    currency: &str,
    currency_scale: u32,
    rules: VersionFile,
    at: &str,
) -> Result<Version, Error> {
    check_options(&rules, at)?;
    let rounding = compile_rounding_steps(&rules.rounding, at)?;
    let surcharges = compile_surcharges(&rules, at)?;
    check_de_minimis(&rules, at)?;
    if let Some(min) = &rules.minimum_collectable {
        check_gate(
            min.when_option.as_ref(),
            &rules.options,
            &format!("{at}.minimum_collectable.when_option"),
        )?;
    }
    check_taxes(&rules, at)?;
    let tariff = Tariff::from_lines(&rules.tariff.lines, currency, &format!("{at}.tariff.lines"))
        .map_err(|mut e| {
        if e.code == ErrorCode::InvalidTariff {
            e.code = ErrorCode::InvalidPack;
        }
        e
    })?;
    check_flat_duty(&rules, at)?;
    let scheme_patterns = compile_schemes(&rules, at)?;
    for (i, fee) in rules.fees.iter().enumerate() {
        check_fee(fee, &rules, &format!("{at}.fees[{i}]"))?;
    }
    check_additional_duties(&rules, at)?;
    check_simplified(&rules, at)?;
    check_out_of_scope(&rules, at)?;
    check_valuation(&rules, at)?;
    check_goods_lists(&rules, at)?;
    let label = format!("{id}@{}", rules.from);
    let texts = shared_texts(id, currency, &label, &rules);
    let subdivisions = Subdivisions::of(&rules);
    let option_defaults = rules
        .options
        .iter()
        .map(|(name, o)| (Box::from(name.as_str()), Box::from(o.default.as_str())))
        .collect();
    Ok(Version {
        subdivisions,
        option_defaults,
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

/// Each option's default is one of its values, and `reject` is never listed.
fn check_options(rules: &VersionFile, at: &str) -> Result<(), Error> {
    for (name, opt) in &rules.options {
        if crate::options::engine_option(name).is_some() {
            return Err(bad(
                format!("{at}.options.{name}"),
                format!("{name} is an option of the engine itself; choose another name"),
            ));
        }
        if !opt.values.contains(&opt.default) {
            return Err(bad(
                format!("{at}.options.{name}.default"),
                format!("default {:?} is not one of its values", opt.default),
            ));
        }
        if opt.values.iter().any(|v| v == "reject") {
            return Err(bad(
                format!("{at}.options.{name}.values"),
                "\"reject\" is always allowed and must not be listed",
            ));
        }
    }
    Ok(())
}

fn compile_rounding_steps(r: &pack::RoundingSet, at: &str) -> Result<RoundingSteps, Error> {
    let optional = |rule: Option<&RoundingRule>, name: &str| {
        rule.map(|g| compile_rounding(g, &format!("{at}.rounding.{name}")))
            .transpose()
    };
    Ok(RoundingSteps {
        exchange: compile_rounding(&r.exchange, &format!("{at}.rounding.exchange"))?,
        duty: compile_rounding(&r.duty, &format!("{at}.rounding.duty"))?,
        tax: compile_rounding(&r.tax, &format!("{at}.rounding.tax"))?,
        fee: compile_rounding(&r.fee, &format!("{at}.rounding.fee"))?,
        gross_mass: optional(r.gross_mass.as_ref(), "gross_mass")?,
        tax_base: optional(r.tax_base.as_ref(), "tax_base")?,
    })
}

fn compile_surcharges(rules: &VersionFile, at: &str) -> Result<Vec<surcharge::Surcharge>, Error> {
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
    Ok(surcharges)
}

/// The duty and tax thresholds: HS prefixes, cases, per-person limits, option gates, and
/// `also_relieves` only on a threshold on the tax amount.
fn check_de_minimis(rules: &VersionFile, at: &str) -> Result<(), Error> {
    for (kind, threshold) in [
        ("duty", &rules.de_minimis.duty),
        ("tax", &rules.de_minimis.tax),
    ] {
        let Some(t) = threshold else { continue };
        let path = format!("{at}.de_minimis.{kind}");
        for (i, e) in t.excluded.iter().enumerate() {
            check_hs_prefix(&e.hs_prefix, format!("{path}.excluded[{i}].hs_prefix"))?;
        }
        check_threshold_extras(t, &path)?;
        for (i, c) in t.cases.iter().enumerate() {
            check_gate(
                c.when_option.as_ref(),
                &rules.options,
                &format!("{path}.cases[{i}].when_option"),
            )?;
        }
        check_gate(
            t.when_option.as_ref(),
            &rules.options,
            &format!("{path}.when_option"),
        )?;
        if let Some(also) = &t.also_relieves {
            if kind != "tax" || t.basis != pack::Basis::TaxAmount {
                return Err(bad(
                    format!("{path}.also_relieves"),
                    "also_relieves is only meaningful on a tax threshold with basis tax_amount",
                ));
            }
            check_gate(
                also.when_option.as_ref(),
                &rules.options,
                &format!("{path}.also_relieves.when_option"),
            )?;
        }
    }
    Ok(())
}

/// A standard rate per subdivision; dated series sorted; reduced rates for known
/// subdivisions under HS prefixes.
fn check_taxes(rules: &VersionFile, at: &str) -> Result<(), Error> {
    if rules.taxes.standard.is_empty() {
        return Err(bad(format!("{at}.taxes.standard"), "no standard tax rate"));
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
    Ok(())
}

/// The flat duty's subheading digits, and its scope and count options offer only the readings
/// the engine knows.
fn check_flat_duty(rules: &VersionFile, at: &str) -> Result<(), Error> {
    let Some(flat) = &rules.flat_duty else {
        return Ok(());
    };
    if !(2..=10).contains(&flat.hs_digits) {
        return Err(bad(
            format!("{at}.flat_duty.hs_digits"),
            "must be between 2 and 10",
        ));
    }
    if let Some(opt) = &flat.scope_option {
        let known = ["all_distance_sales", "ioss_and_postal"];
        check_option_values(rules, at, "flat_duty.scope_option", opt, &known, "scope")?;
    }
    if let Some(opt) = &flat.per_option {
        let known = ["tariff_subheading", "declaration_line"];
        check_option_values(rules, at, "flat_duty.per_option", opt, &known, "count")?;
    }
    Ok(())
}

/// An option a flat-duty key names is declared, and offers only readings the engine knows.
fn check_option_values(
    rules: &VersionFile,
    at: &str,
    key: &str,
    opt: &str,
    known: &[&str],
    what: &str,
) -> Result<(), Error> {
    let declared = rules.options.get(opt).ok_or_else(|| {
        bad(
            format!("{at}.{key}"),
            format!("option {opt:?} is not declared in options"),
        )
    })?;
    match declared
        .values
        .iter()
        .find(|v| !known.contains(&v.as_str()))
    {
        Some(v) => Err(bad(
            format!("{at}.options.{opt}.values"),
            format!("{v:?} is not a flat-duty {what} the engine knows"),
        )),
        None => Ok(()),
    }
}

/// Checks the collection schemes and compiles their registration patterns.
fn compile_schemes(
    rules: &VersionFile,
    at: &str,
) -> Result<Vec<Option<crate::pattern::Pattern>>, Error> {
    let mut patterns = Vec::with_capacity(rules.schemes.len());
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
                "collector \"registrant\" needs a registration rule",
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
        patterns.push(match &scheme.registration {
            Some(reg) => Some(crate::pattern::Pattern::new(&reg.pattern).map_err(|e| {
                bad(
                    format!("{path}.registration.pattern"),
                    format!("invalid pattern: {e}"),
                )
            })?),
            None => None,
        });
    }
    Ok(patterns)
}

/// One fee at `path`: its dates, how it is taxed, its gate, currency, bases and
/// subdivisions.
fn check_fee(fee: &pack::FeeFile, rules: &VersionFile, path: &str) -> Result<(), Error> {
    if let (Some(from), Some(to)) = (fee.from, fee.to) {
        if to <= from {
            return Err(bad(format!("{path}.to"), "fee ends before it starts"));
        }
    }
    if fee.taxed && fee.in_tax_base {
        // Taxing the fee on its own and in the goods' base would tax it twice.
        return Err(bad(
            format!("{path}.taxed"),
            "a fee in the tax base is already taxed with the goods; it cannot also be taxed on its own",
        ));
    }
    if fee.only_if_payable && fee.in_tax_base {
        // Whether the fee is charged depends on the tax, and the tax on the fee.
        return Err(bad(
            format!("{path}.in_tax_base"),
            "a fee charged only when something is payable cannot also enter the tax base",
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
        ("below", fee.below.as_ref().map(|b| b.basis)),
    ] {
        if basis == Some(pack::Basis::TaxAmount) {
            return Err(bad(
                format!("{path}.{what}.basis"),
                "a fee cannot depend on the tax amount",
            ));
        }
    }
    for (j, s) in fee.subdivisions.iter().flatten().enumerate() {
        if !rules.taxes.standard.contains_key(s) {
            return Err(bad(
                format!("{path}.subdivisions[{j}]"),
                format!("{s:?} is not a tax subdivision of this regime"),
            ));
        }
    }
    Ok(())
}

/// A tax base listing `uplift` needs one, its rate is a percentage, and the personal-use share
/// is a share with a declared gate.
fn check_valuation(rules: &VersionFile, at: &str) -> Result<(), Error> {
    let uses_uplift = rules
        .valuation
        .import_tax_base
        .iter()
        .chain(&rules.valuation.sale_tax_base)
        .any(|p| *p == pack::TaxBasePart::Uplift);
    if uses_uplift && rules.valuation.uplift.is_none() {
        return Err(bad(
            format!("{at}.valuation.uplift"),
            "a tax base lists `uplift` but the valuation defines none",
        ));
    }
    if let Some(personal) = &rules.valuation.personal_use {
        if personal.rate.0 <= Decimal::ZERO || personal.rate.0 > Decimal::ONE_HUNDRED {
            return Err(bad(
                format!("{at}.valuation.personal_use.rate"),
                format!("{}% is not a share between 0 and 100", personal.rate.0),
            ));
        }
        check_gate(
            personal.when_option.as_ref(),
            &rules.options,
            &format!("{at}.valuation.personal_use.when_option"),
        )?;
    }
    if let Some(uplift) = &rules.valuation.uplift {
        if uplift.rate.0 < Decimal::ZERO || uplift.rate.0 > Decimal::ONE_HUNDRED {
            return Err(bad(
                format!("{at}.valuation.uplift.rate"),
                format!("{}% is not a percentage between 0 and 100", uplift.rate.0),
            ));
        }
    }
    Ok(())
}

/// The HS prefixes of the excise goods and of the gift relief's exclusions.
fn check_goods_lists(rules: &VersionFile, at: &str) -> Result<(), Error> {
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
    Ok(())
}

/// A version's tax subdivisions, in the order of `taxes.standard`, with what an assessment
/// reads of each: found by a comparison of packed integers, not of strings, and without a
/// tree walk per assessment.
#[derive(Debug, Clone)]
pub(crate) struct Subdivisions {
    /// Each subdivision's key packed by [`pack_key`] (`None`: too long to pack).
    keys: Vec<Option<u128>>,
    /// For each key of two capital letters (`FR`, the destinations of a multi-country
    /// regime), its index in `list` plus one, at [`alpha2_slot`]; 0 where there is none. A
    /// member state is then one load away instead of a scan of the 27 keys (about 180
    /// instructions an EU assessment, issue 16).
    alpha2: Box<[u8; 26 * 26]>,
    list: Vec<Subdivision>,
    /// The text of each reduced rate, parallel to `taxes.reduced[i].rates`.
    pub reduced_texts: Vec<Vec<Text>>,
}

/// One tax subdivision of a version.
#[derive(Debug, Clone)]
pub(crate) struct Subdivision {
    /// Its key in `taxes.standard` (`FR`).
    pub key: String,
    /// The key as results print it.
    pub name: Text,
    /// Its standard rates (`taxes.standard[key]`).
    pub standard: Vec<DatedRate>,
    /// The text of each standard rate (`20%`), parallel to `standard`.
    pub standard_texts: Vec<Text>,
    /// Indices in `taxes.reduced` of its reduced rates, in pack order.
    pub reduced: Vec<usize>,
}

/// `key`'s bytes and length packed into one integer when it has at most 15 bytes: two keys
/// are equal exactly when their packed forms are.
fn pack_key(key: &str) -> Option<u128> {
    let bytes = key.as_bytes();
    if bytes.len() > 15 {
        return None;
    }
    let mut packed = [0u8; 16];
    packed[..bytes.len()].copy_from_slice(bytes);
    packed[15] = bytes.len() as u8;
    Some(u128::from_le_bytes(packed))
}

/// The text of a tax rate, as [`SharedTexts::rate`] gives it.
pub(super) fn rate_text(rate: Decimal) -> Text {
    // Through a `String`: writing into a `Text` would link its growth code into the WASM module
    // for this once-per-version text.
    Text::from(format!("{}%", rate.normalize()))
}

impl Subdivisions {
    fn of(rules: &VersionFile) -> Subdivisions {
        let taxes = &rules.taxes;
        let list: Vec<Subdivision> = taxes
            .standard
            .iter()
            .map(|(key, series)| Subdivision {
                key: key.clone(),
                name: Text::from(key.as_str()),
                standard: series.clone(),
                standard_texts: series.iter().map(|r| rate_text(r.rate.0)).collect(),
                reduced: (taxes.reduced.iter().enumerate())
                    .filter(|(_, r)| r.subdivision == *key)
                    .map(|(i, _)| i)
                    .collect(),
            })
            .collect();
        let mut alpha2 = Box::new([0u8; 26 * 26]);
        for (i, sub) in list.iter().enumerate() {
            if let (Some(slot), Ok(index)) = (alpha2_slot(&sub.key), u8::try_from(i + 1)) {
                // The first of equal keys, as the scan finds it.
                if alpha2[slot] == 0 {
                    alpha2[slot] = index;
                }
            }
        }
        Subdivisions {
            keys: list.iter().map(|s| pack_key(&s.key)).collect(),
            alpha2,
            list,
            reduced_texts: (taxes.reduced.iter())
                .map(|r| r.rates.iter().map(|d| rate_text(d.rate.0)).collect())
                .collect(),
        }
    }

    /// The subdivision with key `key`.
    pub fn get(&self, key: &str) -> Option<&Subdivision> {
        if let Some(slot) = alpha2_slot(key) {
            let at = usize::from(self.alpha2[slot]);
            // Every two-letter key is in the table (unless there are more than 255 keys).
            if at > 0 || self.list.len() < usize::from(u8::MAX) {
                return at.checked_sub(1).map(|i| &self.list[i]);
            }
        }
        let at = match pack_key(key) {
            Some(packed) => self.keys.iter().position(|k| *k == Some(packed)),
            None => self.list.iter().position(|s| s.key == key),
        };
        at.map(|i| &self.list[i])
    }

    /// The only subdivision, when there is exactly one.
    pub fn only(&self) -> Option<&Subdivision> {
        match self.list.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }

    /// Every subdivision key, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.list.iter().map(|s| s.key.as_str())
    }
}

/// Index in `series` of the rate in force on `date` (the latest one whose period covers it).
pub(crate) fn rate_index(series: &[DatedRate], date: crate::date::Date) -> Option<usize> {
    series
        .iter()
        .rposition(|r| r.from <= date && r.to.is_none_or(|to| date < to))
}

/// The texts every result of this version shares (regime, label, rates as text).
fn shared_texts(id: &str, currency: &str, label: &str, rules: &VersionFile) -> SharedTexts {
    let mut rates = BTreeMap::new();
    let all_rates = rules
        .taxes
        .standard
        .values()
        .flatten()
        .chain(rules.taxes.reduced.iter().flat_map(|r| &r.rates));
    for r in all_rates {
        rates.entry(r.rate.0).or_insert_with(|| rate_text(r.rate.0));
    }
    // Inserted one by one, not collected: `collect` into a map sorts its input first, and that
    // sort was the last instance of the standard library's sort in the npm checkout module
    // (crate::sort).
    let mut subdivisions = BTreeMap::new();
    for k in rules.taxes.standard.keys() {
        subdivisions.insert(k.clone(), Text::from(k.as_str()));
    }
    SharedTexts {
        regime: Text::from(id),
        label: Text::from(label),
        currency: Text::from(currency),
        tax_kind: Text::from(rules.taxes.kind.as_str()),
        subdivisions,
        rates,
        relief_gift: Arc::from("relieved (gift)"),
        relief_de_minimis: Arc::from("relieved (de minimis)"),
        flat_duty: rules.flat_duty.as_ref().map(|f| {
            Arc::from(format!(
                "{} {currency} per tariff subheading (flat)",
                f.amount.0
            ))
        }),
    }
}

pub(super) fn check_hs_prefix(prefix: &str, path: String) -> Result<(), Error> {
    if (2..=10).contains(&prefix.len()) && prefix.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(bad(
            path,
            format!("{prefix:?} is not an HS prefix of 2 to 10 digits"),
        ))
    }
}

fn check_rate(rate: &DatedRate, path: String) -> Result<(), Error> {
    if rate.rate.0 < Decimal::ZERO || rate.rate.0 > Decimal::ONE_HUNDRED {
        return Err(bad(
            format!("{path}.rate"),
            format!("{}% is not a percentage between 0 and 100", rate.rate.0),
        ));
    }
    Ok(())
}

fn compile_rounding(rule: &RoundingRule, path: &str) -> Result<Rounding, Error> {
    Rounding::new(rule.mode, rule.increment.0).ok_or_else(|| {
        bad(
            format!("{path}.increment"),
            "rounding increment must be positive",
        )
    })
}

/// Checks the simplified rates of a version: ids unique, rates are
/// percentages, prefixes are HS prefixes, option gates declared, every rate entry can price a
/// line (a `rate` or at least one prefix rate), and value conditions compare values.
fn check_simplified(rules: &VersionFile, at: &str) -> Result<(), Error> {
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
            return Err(bad(path, "a simplified rate needs `rate` or `rates`"));
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
                "a deduction cannot be negative",
            ));
        }
        value_basis(r.above.as_ref(), format!("{path}.above.basis"))?;
        value_basis(r.ceiling.as_ref(), format!("{path}.ceiling.basis"))?;
        if let (Some(from), Some(to)) = (r.from, r.to) {
            if to <= from {
                return Err(bad(format!("{path}.to"), "the rate ends before it starts"));
            }
        }
        check_gate(
            r.when_option.as_ref(),
            &rules.options,
            &format!("{path}.when_option"),
        )?;
        for (g, gate) in r.when_options.iter().enumerate() {
            check_gate(
                Some(gate),
                &rules.options,
                &format!("{path}.when_options[{g}]"),
            )?;
        }
    }
    Ok(())
}

/// The out-of-scope rules: unique ids, a message saying what is not modelled, value
/// conditions on a value basis.
fn check_out_of_scope(rules: &VersionFile, at: &str) -> Result<(), Error> {
    let mut ids = std::collections::BTreeSet::new();
    for (i, o) in rules.out_of_scope.iter().enumerate() {
        let path = format!("{at}.out_of_scope[{i}]");
        if !ids.insert(o.id.as_str()) {
            return Err(bad(
                format!("{path}.id"),
                format!("id {:?} is used twice", o.id),
            ));
        }
        if o.message.trim().is_empty() {
            return Err(bad(format!("{path}.message"), "say what is not modelled"));
        }
        value_basis(o.above.as_ref(), format!("{path}.above.basis"))?;
    }
    Ok(())
}

/// A value condition compares a value, not the tax amount.
fn value_basis(c: Option<&pack::Ceiling>, path: String) -> Result<(), Error> {
    match c {
        Some(c) if c.basis == pack::Basis::TaxAmount => Err(bad(
            path,
            "this condition needs a value basis, not tax_amount",
        )),
        _ => Ok(()),
    }
}

/// Checks that a rule's option gate names a declared option and one of its readings.
fn check_gate(
    gate: Option<&pack::OptionGate>,
    options: &BTreeMap<String, pack::OptionFile>,
    at: &str,
) -> Result<(), Error> {
    let Some(gate) = gate else { return Ok(()) };
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
    if t.per_person.is_some() {
        if t.unit != pack::ThresholdUnit::Consignment {
            return Err(bad(
                format!("{at}.per_person"),
                "a per-person limit needs unit \"consignment\"",
            ));
        }
        if t.basis == pack::Basis::TaxAmount {
            return Err(bad(
                format!("{at}.per_person"),
                "a per-person limit needs a value basis, not tax_amount",
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
                "a case needs origins, channels or when_option (else it always holds)",
            ));
        }
        if c.basis.is_some()
            && (c.basis == Some(pack::Basis::TaxAmount) || t.basis == pack::Basis::TaxAmount)
        {
            return Err(bad(
                format!("{at}.cases[{i}].basis"),
                "a case may change one value basis for another, not switch to or from tax_amount",
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
    let duties = &rules.additional_duties;
    for (i, d) in duties.iter().enumerate() {
        let path = format!("{at}.additional_duties[{i}]");
        if duties[..i].iter().any(|x| x.id == d.id) {
            return Err(bad(
                format!("{path}.id"),
                format!("additional duty {} is declared twice", d.id),
            ));
        }
        check_duty_rates(d, duties, &path)?;
        check_column_and_lieu(d, duties, &path)?;
        if let Some(spec) = &d.specific {
            check_bands(spec, &path)?;
        }
        if let (Some(from), Some(to)) = (d.from, d.to) {
            if to <= from {
                return Err(bad(format!("{path}.to"), "duty ends before it starts"));
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

/// An additional duty's rate, rates by origin and `rate_from`: percentages up to 1000, one
/// way to find a rate (or a statement of what is missing).
fn check_duty_rates(
    d: &pack::AdditionalDutyFile,
    duties: &[pack::AdditionalDutyFile],
    path: &str,
) -> Result<(), Error> {
    // IEEPA rates on Chinese goods reached 125 %; a rate far above that is a typo.
    let check_pct = |r: Decimal, path: String| {
        if r < Decimal::ZERO || r > Decimal::from(1000) {
            Err(bad(path, format!("{r}% is not a rate between 0 and 1000")))
        } else {
            Ok(())
        }
    };
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
                    "an origin needs a rate or a statement of what is missing",
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
            "rate_from cannot be combined with rate or rates_by_origin",
        ));
    }
    if d.rate.is_none()
        && d.rates_by_origin.is_empty()
        && d.rate_from.is_empty()
        && d.missing.is_none()
        && d.tariff_column.is_none()
        && d.needs.as_ref().is_none_or(|n| n.measure.is_some())
    {
        return Err(bad(
            path.to_string(),
            "needs rate, rates_by_origin, rate_from, tariff_column, missing or needs without a measure",
        ));
    }
    if let Some(n) = &d.needs {
        check_needs(n, d, path)?;
    }
    Ok(())
}

/// A duty's `needs`: a fact in words; a measure counts named metals, a weight share has its
/// threshold (a percentage of the net mass), and neither goes with a duty priced another way
/// than a percentage of the customs value.
fn check_needs(n: &pack::DutyNeeds, d: &pack::AdditionalDutyFile, path: &str) -> Result<(), Error> {
    let p = format!("{path}.needs");
    if n.fact.trim().is_empty() {
        return Err(bad(format!("{p}.fact"), "the fact needed is empty"));
    }
    let Some(measure) = n.measure else {
        if !n.metals.is_empty() || n.at_least.is_some() {
            return Err(bad(p, "metals and at_least need a measure"));
        }
        return Ok(());
    };
    if n.metals.is_empty() {
        return Err(bad(
            format!("{p}.metals"),
            "a measure counts at least one metal",
        ));
    }
    if d.tariff_column.is_some() || d.specific.is_some() || d.replaces_tariff {
        return Err(bad(
            format!("{p}.measure"),
            "a measure applies to a percentage added to the tariff, not with tariff_column, specific or replaces_tariff",
        ));
    }
    match (measure, n.at_least) {
        (pack::NeedsMeasure::WeightShare, Some(t))
            if t.0 > Decimal::ZERO && t.0 <= Decimal::ONE_HUNDRED =>
        {
            Ok(())
        }
        (pack::NeedsMeasure::WeightShare, _) => Err(bad(
            format!("{p}.at_least"),
            "a weight share needs at_least, a percentage above 0 and up to 100",
        )),
        (pack::NeedsMeasure::ContentValue, None) => Ok(()),
        (pack::NeedsMeasure::ContentValue, Some(_)) => {
            Err(bad(format!("{p}.at_least"), "at_least is for weight_share"))
        }
    }
}

/// A duty priced from a tariff column: it replaces the tariff and has no rate of its own, and
/// no `rate_from` takes a percentage from it. `in_lieu_of` names other duties of the version,
/// one level deep (a duty set aside does not itself set others aside).
fn check_column_and_lieu(
    d: &pack::AdditionalDutyFile,
    duties: &[pack::AdditionalDutyFile],
    path: &str,
) -> Result<(), Error> {
    if let Some(column) = &d.tariff_column {
        let p = format!("{path}.tariff_column");
        if column.trim().is_empty() {
            return Err(bad(p, "the column name is empty"));
        }
        if !d.replaces_tariff {
            return Err(bad(
                p,
                "a duty priced from a tariff column replaces the tariff: set replaces_tariff",
            ));
        }
        if d.rate.is_some()
            || !d.rates_by_origin.is_empty()
            || !d.rate_from.is_empty()
            || d.specific.is_some()
        {
            return Err(bad(
                p,
                "tariff_column cannot be combined with rate, rates_by_origin, rate_from or specific",
            ));
        }
        if let Some(x) = duties.iter().find(|x| x.rate_from.contains(&d.id)) {
            return Err(bad(
                p,
                format!(
                    "{} takes its rate from {}, whose duty is a tariff column, not a percentage",
                    x.id, d.id
                ),
            ));
        }
    }
    for (j, id) in d.in_lieu_of.iter().enumerate() {
        let p = format!("{path}.in_lieu_of[{j}]");
        match duties.iter().find(|x| &x.id == id) {
            None => {
                return Err(bad(
                    p,
                    format!("{id:?} is not an additional duty of this version"),
                ))
            }
            Some(x) if x.id == d.id => return Err(bad(p, "a duty cannot replace itself")),
            Some(x) if !x.in_lieu_of.is_empty() => {
                return Err(bad(
                    p,
                    format!("{id} is charged in lieu of other duties itself"),
                ))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// A specific duty's bands: at least one, one bound each, no negative amount.
fn check_bands(spec: &pack::SpecificByRate, path: &str) -> Result<(), Error> {
    if spec.bands.is_empty() {
        return Err(bad(format!("{path}.specific.bands"), "no bands"));
    }
    for (j, b) in spec.bands.iter().enumerate() {
        if b.below.is_some() && b.up_to.is_some() {
            return Err(bad(
                format!("{path}.specific.bands[{j}]"),
                "give below or up_to, not both",
            ));
        }
        if b.amount.0 < Decimal::ZERO {
            return Err(bad(
                format!("{path}.specific.bands[{j}].amount"),
                "a negative duty",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod subdivision_tests {
    /// The table of two-letter keys finds what the scan of the packed keys finds, for every
    /// two-letter key and some others, in every version of every embedded regime.
    #[test]
    fn alpha2_table_finds_what_the_scan_finds() {
        let engine = crate::Engine::embedded().unwrap();
        let mut probes: Vec<String> = ["", "A", "fr", "Fr", "FRA", "CA-ON", "BR-SP", "ÉU", "F"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for a in b'A'..=b'Z' {
            for b in b'A'..=b'Z' {
                probes.push(String::from_utf8(vec![a, b]).unwrap());
            }
        }
        let mut found = 0;
        for version in engine.regimes().iter().flat_map(|r| &r.versions) {
            let subs = &version.subdivisions;
            for key in subs
                .keys()
                .map(str::to_string)
                .chain(probes.iter().cloned())
            {
                let scanned = subs.list.iter().position(|s| s.key == key);
                let got = subs.get(&key).map(|s| s as *const super::Subdivision);
                assert_eq!(got, scanned.map(|i| &subs.list[i] as *const _), "{key}");
                found += usize::from(scanned.is_some());
            }
        }
        assert!(found > 100, "{found}");
    }
}
