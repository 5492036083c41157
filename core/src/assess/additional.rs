//! Duties added on top of the tariff by the goods' country of origin (`additional_duties`):
//! the US IEEPA duties, the Section 122 surcharge and the postal duty methods that stood in for
//! the tariff on mail.
//!
//! An additional duty is charged only on lines whose duty comes from the tariff, so relief
//! (gift, de minimis, a scheme) removes it too. A line that falls under a duty whose rate the
//! pack cannot give for the line's origin fails the assessment with a message naming the
//! missing fact: a wrong 0 % would promise a landed cost the border contradicts.

use rust_decimal::Decimal;

use super::{add, mul, percent_of, Ctx};
use crate::declaration::Item;
use crate::error::{Error, ErrorCode};
use crate::regime::excluded_by;
use crate::regime::goods_list::{membership, GoodsList, Membership};
use crate::regime::pack::{AdditionalDutyFile, DutyNeeds, FeePer, NeedsMeasure, RateBand};
use crate::result::{DutyBasis, DutyLine};
use crate::trace::{wire_name, Step};

/// The code of a fact the pack knowingly does not hold.
const MISSING_FACT: ErrorCode = ErrorCode::OutOfScope;

/// Whether `d` is in force on the assessment date (its own `from`/`to` inside the version).
fn in_force(ctx: &Ctx<'_>, d: &AdditionalDutyFile) -> bool {
    d.from.is_none_or(|f| f <= ctx.date) && d.to.is_none_or(|t| ctx.date < t)
}

/// The item's origin, or an error when a rule needs it and the caller did not declare it.
fn origin<'i>(item: &'i Item, i: usize, d: &AdditionalDutyFile) -> Result<&'i str, Error> {
    item.origin.as_deref().ok_or_else(|| {
        Error::at(
            ErrorCode::MissingField,
            format!("items[{i}].origin"),
            format!(
                "the country of origin is needed: {} ({}) depends on it",
                d.id, d.name
            ),
        )
    })
}

/// Whether the duty's origin conditions hold for `origin`.
fn origin_in_scope(d: &AdditionalDutyFile, origin: &str) -> bool {
    d.origins
        .as_ref()
        .is_none_or(|o| o.iter().any(|c| c == origin))
        && !d.excluded_origins.iter().any(|c| c == origin)
}

/// Whether the duty's conditions depend on the origin at all (then it must be declared).
fn needs_origin(d: &AdditionalDutyFile) -> bool {
    d.origins.is_some()
        || !d.excluded_origins.is_empty()
        || !d.rates_by_origin.is_empty()
        || !d.rate_from.is_empty()
}

/// Whether `d` applies to item `i`: its own conditions hold, and no duty charged in lieu of it
/// (`in_lieu_of`) applies.
fn applies(ctx: &Ctx<'_>, d: &AdditionalDutyFile, i: usize) -> Result<bool, Error> {
    if !applies_own(ctx, d, i)? {
        return Ok(false);
    }
    for x in &ctx.version.rules.additional_duties {
        // One level: the pack refuses a duty in lieu of others that is itself set aside.
        if x.in_lieu_of.contains(&d.id) && applies_own(ctx, x, i)? && owed(ctx, x, i)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Whether a duty that applies to item `i` is owed on it: not where its `needs` reads a metal
/// content that makes the line owe none of it (a weight share below its threshold, no content
/// of its metals). A duty set aside only by a duty that is owed: goods of U.S. note 16(c) whose
/// metal is under 15 % of the weight pay the Section 122 surcharge (heading 9903.82.03 is not
/// among those note 2(aa)(v)(1) exempts from it).
fn owed(ctx: &Ctx<'_>, d: &AdditionalDutyFile, i: usize) -> Result<bool, Error> {
    match &d.needs {
        Some(n) if n.measure.is_some() => Ok(needed_base(ctx, d, n, i, false)?.is_some()),
        _ => Ok(true),
    }
}

/// Whether `d`'s own conditions hold for item `i`: in force, on this channel, for this
/// origin, not for excluded goods, and under the chosen reading of its option.
fn applies_own(ctx: &Ctx<'_>, d: &AdditionalDutyFile, i: usize) -> Result<bool, Error> {
    let item = &ctx.decl.items[i];
    if !in_force(ctx, d)
        || d.channels
            .as_ref()
            .is_some_and(|c| !c.contains(&ctx.decl.channel))
        || excluded_by(&d.excluded, item.hs_code.as_deref()).is_some()
    {
        return Ok(false);
    }
    if needs_origin(d) && !origin_in_scope(d, origin(item, i, d)?) {
        return Ok(false);
    }
    if !goods_in_scope(ctx, d, i)? {
        return Ok(false);
    }
    super::threshold::gate_open(
        ctx,
        d.when_option.as_ref(),
        &format!("additional duty {}", d.id),
    )
}

/// Item `i`'s HS code, which deciding whether `d` applies needs.
fn hs_code<'c>(ctx: &Ctx<'c>, d: &AdditionalDutyFile, i: usize) -> Result<&'c str, Error> {
    ctx.decl.items[i].hs_code.as_deref().ok_or_else(|| {
        Error::at(
            ErrorCode::MissingField,
            format!("items[{i}].hs_code"),
            format!("an HS code is needed to tell whether {} applies", d.id),
        )
    })
}

/// Whether item `i`'s goods are in the duty's goods lists and not in its excluded lists. A
/// declared code covering goods on both sides of a list cannot be decided from the
/// declaration: that fails, naming the list, rather than guess either way.
fn goods_in_scope(ctx: &Ctx<'_>, d: &AdditionalDutyFile, i: usize) -> Result<bool, Error> {
    if d.goods.is_none() && d.excluded_goods.is_empty() {
        return Ok(true);
    }
    let code = hs_code(ctx, d, i)?;
    let lists = &ctx.regime.goods_lists;
    let undecided = |list: Option<&GoodsList>| {
        let list = list.map_or_else(String::new, |l| format!("{} ({})", l.name, l.id));
        Error::at(
            ErrorCode::OutOfScope,
            format!("items[{i}].hs_code"),
            format!(
                "HS {code} covers goods both in and out of {list}, on which {} ({}) depends: declare the full national code",
                d.id, d.name
            ),
        )
    };
    match membership(lists, &d.excluded_goods, ctx.date, code) {
        (Membership::In, _) => return Ok(false),
        (Membership::Partly, list) => return Err(undecided(list)),
        (Membership::Out, _) => {}
    }
    let Some(goods) = &d.goods else {
        return Ok(true);
    };
    match membership(lists, goods, ctx.date, code) {
        (Membership::In, _) => Ok(true),
        (Membership::Partly, list) => Err(undecided(list)),
        (Membership::Out, _) => Ok(false),
    }
}

/// Whether an additional duty in force replaces the tariff for item `i`.
pub(crate) fn replaces_tariff(ctx: &Ctx<'_>, i: usize) -> Result<bool, Error> {
    for d in &ctx.version.rules.additional_duties {
        if d.replaces_tariff && applies(ctx, d, i)? {
            return Ok(true);
        }
    }
    Ok(false)
}

fn missing(d: &AdditionalDutyFile, i: usize, origin: Option<&str>, what: Option<&str>) -> Error {
    Error::at(
        MISSING_FACT,
        format!("items[{i}].origin"),
        format!(
            "{} ({}) applies to this item, but the pack has no sourced rate for origin {}: {}",
            d.id,
            d.name,
            origin.unwrap_or("(any)"),
            what.or(d.missing.as_deref())
                .unwrap_or("no rate is given for it")
        ),
    )
}

/// The duty's own rate for `origin` (its table, else its default), ignoring `rate_from`.
fn own_rate(d: &AdditionalDutyFile, i: usize, origin: Option<&str>) -> Result<Decimal, Error> {
    if let Some(entry) = origin.and_then(|o| d.rates_by_origin.get(o)) {
        return entry
            .rate
            .map(|r| r.0)
            .ok_or_else(|| missing(d, i, origin, entry.missing.as_deref()));
    }
    d.rate
        .map(|r| r.0)
        .ok_or_else(|| missing(d, i, origin, None))
}

/// The percentage `d` charges on item `i`.
fn rate(ctx: &Ctx<'_>, d: &AdditionalDutyFile, i: usize) -> Result<Decimal, Error> {
    let item = &ctx.decl.items[i];
    let origin = if needs_origin(d) {
        Some(origin(item, i, d)?)
    } else {
        item.origin.as_deref()
    };
    if d.rate_from.is_empty() {
        return own_rate(d, i, origin);
    }
    let mut sum = Decimal::ZERO;
    let mut parts = Vec::new();
    for id in &d.rate_from {
        let Some(r) = ctx
            .version
            .rules
            .additional_duties
            .iter()
            .find(|x| &x.id == id)
        else {
            return Err(Error::new(
                ErrorCode::Internal,
                format!("{}: rate_from names unknown duty {id}", d.id),
            ));
        };
        // The country rate: the referenced duty's goods exclusions and channels do not count,
        // its dates and origins do (a duty not in force or not on this origin adds nothing).
        let covers = in_force(ctx, r) && origin.is_none_or(|o| origin_in_scope(r, o));
        if covers {
            let part = own_rate(r, i, origin)?;
            sum = add(sum, part)?;
            parts.push((r.id.as_str(), part));
        }
    }
    ctx.tracer.step(Step::Duty, || {
        (
            ctx.rule(&format!("additional_duties.{}.rate_from", d.id)),
            d.source.clone(),
            format!(
                "item {i}: rate for origin {} = {}",
                origin.unwrap_or("(not declared)"),
                if parts.is_empty() {
                    "0% (none of the named duties covers it)".to_string()
                } else {
                    parts
                        .iter()
                        .map(|(id, r)| format!("{id} {r}%"))
                        .collect::<Vec<_>>()
                        .join(" + ")
                        + &format!(" = {sum}%")
                }
            ),
        )
    });
    Ok(sum)
}

/// The band `rate` falls in.
fn band(bands: &[RateBand], rate: Decimal) -> Option<&RateBand> {
    bands.iter().find(|b| match (b.below, b.up_to) {
        (Some(below), _) => rate < below.0,
        (None, Some(up_to)) => rate <= up_to.0,
        (None, None) => true,
    })
}

/// The additional duty lines for the items in `eligible` (those whose duty comes from the
/// tariff, or would but for a duty that replaces it).
pub(crate) fn assess(ctx: &Ctx<'_>, eligible: &[usize]) -> Result<Vec<DutyLine>, Error> {
    let mut out = Vec::new();
    for d in &ctx.version.rules.additional_duties {
        // Per-consignment specific duties: one amount for the package, the same whatever line
        // decides it.
        let mut package: Option<Package> = None;
        for &i in eligible {
            if !applies(ctx, d, i)? {
                continue;
            }
            check_goods(ctx, d, i)?;
            let base = match &d.needs {
                None => None,
                // The fact decides that the line owes none of this duty.
                Some(n) => match needed_base(ctx, d, n, i, true)? {
                    None => continue,
                    base => base,
                },
            };
            if d.tariff_column.is_some() {
                out.push(column_line(ctx, d, i)?);
                continue;
            }
            let rate = rate(ctx, d, i)?;
            let Some(specific) = &d.specific else {
                out.push(ad_valorem_line(ctx, d, i, rate, base)?);
                continue;
            };
            let b = band(&specific.bands, rate).ok_or_else(|| {
                Error::at(
                    MISSING_FACT,
                    format!("items[{i}].origin"),
                    format!("{}: no band covers the rate {rate}%", d.id),
                )
            })?;
            let customs = ctx.values.lines[i].customs;
            match specific.per {
                FeePer::Consignment => {
                    package = Some(match package {
                        None => Package {
                            first: i,
                            rate,
                            amount: b.amount.0,
                            base: customs,
                        },
                        Some(p) => p.with(d, i, rate, b.amount.0, customs)?,
                    });
                }
                per => out.push(specific_line(ctx, d, i, rate, b, per)?),
            }
        }
        if let Some(p) = package {
            out.push(package_line(ctx, d, &p));
        }
    }
    Ok(out)
}

/// `E_MISSING_DUTY_INPUT` at `path` for a line under a duty charged on (or decided by) a fact
/// the declaration does not give: the duty, its source and the fact, so the caller knows what
/// to supply.
fn needs(d: &AdditionalDutyFile, path: String, what: &str) -> Error {
    Error::at(
        ErrorCode::MissingDutyInput,
        path,
        format!(
            "{} ({}) applies to this item's goods and needs {what}, which the declaration does not give ({})",
            d.id, d.name, d.source
        ),
    )
}

/// What a duty with `needs` is charged on for item `i`: `Some(base)` with the base of a
/// content-value duty, or the customs value where a weight share reaches the threshold (as an
/// explicit base, so the trace says why); `None` where the declared metal content means the
/// line owes none of the duty. A fact the declaration does not give is `E_MISSING_DUTY_INPUT`.
/// `traced`: whether the reading goes into the trace (not when another duty only asks whether
/// this one is owed).
fn needed_base(
    ctx: &Ctx<'_>,
    d: &AdditionalDutyFile,
    n: &DutyNeeds,
    i: usize,
    traced: bool,
) -> Result<Option<Decimal>, Error> {
    let item = &ctx.decl.items[i];
    let Some(measure) = n.measure else {
        return Err(needs(d, format!("items[{i}]"), &n.fact));
    };
    if item.metal_content.is_empty() {
        return Err(needs(d, format!("items[{i}].metal_content"), &n.fact));
    }
    let customs = ctx.values.lines[i].customs;
    let counted = || {
        item.metal_content
            .iter()
            .enumerate()
            .filter(|(_, m)| n.metals.contains(&m.metal))
    };
    let metals = n
        .metals
        .iter()
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let rule = || ctx.rule(&format!("additional_duties.{}.needs", d.id));
    match measure {
        NeedsMeasure::ContentValue => {
            let mut content = Decimal::ZERO;
            for (k, m) in counted() {
                let v = m.value.ok_or_else(|| {
                    needs(d, format!("items[{i}].metal_content[{k}].value"), &n.fact)
                })?;
                content = add(content, v.0)?;
            }
            // The content's share of the line's customs value: the declared content value
            // itself when the line is valued at its price in the regime's currency.
            let base = if content == item.value.0 {
                customs
            } else {
                mul(customs, content)?
                    .checked_div(item.value.0)
                    .ok_or_else(super::overflow)?
                    .round_dp_with_strategy(
                        ctx.version.currency_scale,
                        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                    )
            };
            if traced {
                ctx.tracer.step(Step::Duty, || {
                    (
                        rule(),
                        d.source.clone(),
                        format!(
                            "item {i}: {} is charged on the value of its {metals} content: {content} of the item's {} declared, {base} of its customs value {customs}",
                            d.id, item.value.0
                        ),
                    )
                });
            }
            Ok((!base.is_zero()).then_some(base))
        }
        NeedsMeasure::WeightShare => {
            let net = item
                .net_mass_kg
                .ok_or_else(|| needs(d, format!("items[{i}].net_mass_kg"), &n.fact))?;
            let mut mass = Decimal::ZERO;
            for (k, m) in counted() {
                let kg = m.mass_kg.ok_or_else(|| {
                    needs(d, format!("items[{i}].metal_content[{k}].mass_kg"), &n.fact)
                })?;
                mass = add(mass, kg.0)?;
            }
            let threshold = n.at_least.map_or(Decimal::ZERO, |t| t.0);
            // mass / net >= threshold %, compared without dividing (a zero net mass has no
            // share: only a zero threshold, which the pack check refuses, would reach it).
            let reaches =
                !net.0.is_zero() && mul(mass, Decimal::ONE_HUNDRED)? >= mul(net.0, threshold)?;
            if traced {
                ctx.tracer.step(Step::Duty, || {
                    (
                        rule(),
                        d.source.clone(),
                        format!(
                            "item {i}: {mass} kg of {metals} in {} kg net is {} {threshold}% of the weight: {}",
                            net.0,
                            if reaches { "at least" } else { "less than" },
                            if reaches { format!("{} applies", d.id) } else { format!("{} does not apply", d.id) }
                        ),
                    )
                });
            }
            Ok(reaches.then_some(customs))
        }
    }
}

/// Fails when the duty's exemptions were checked only for some goods and item `i` is not
/// among them.
fn check_goods(ctx: &Ctx<'_>, d: &AdditionalDutyFile, i: usize) -> Result<(), Error> {
    let Some(goods) = &d.checked_goods else {
        return Ok(());
    };
    let hs = hs_code(ctx, d, i)?;
    if goods
        .iter()
        .any(|p| crate::regime::hs_starts_with(hs, p.as_str()))
    {
        return Ok(());
    }
    Err(Error::at(
        MISSING_FACT,
        format!("items[{i}].hs_code"),
        format!(
            "whether HS {hs} is exempt from {} ({}) is not modelled: the pack checked only HS {} against its exemption lists",
            d.id,
            d.name,
            goods.join(", ")
        ),
    ))
}

/// Item `i`'s duty from the tariff column `d` names, in place of the tariff's first column: the
/// published rate, the column and the rule in its rate text, the file's revision and line in its
/// citation.
fn column_line<'t>(ctx: &Ctx<'t>, d: &'t AdditionalDutyFile, i: usize) -> Result<DutyLine, Error> {
    let item = &ctx.decl.items[i];
    let customs = ctx.values.lines[i].customs;
    let priced = super::tariff::column_duty(ctx, d, i, item, customs)?;
    Ok(DutyLine {
        item: i,
        hs_code: item.hs_code.clone(),
        rate: std::sync::Arc::from(format!(
            "{} ({}, {})",
            priced.rate,
            d.tariff_column.as_deref().unwrap_or_default(),
            d.id
        )),
        base: ctx.out(priced.base),
        amount: ctx.out(priced.amount),
        basis: DutyBasis::Additional,
        tariff: priced.citation,
    })
}

/// The duty at `rate` per cent of `base`, or of item `i`'s customs value when the duty
/// names no other base (`needs`).
fn ad_valorem_line(
    ctx: &Ctx<'_>,
    d: &AdditionalDutyFile,
    i: usize,
    rate: Decimal,
    base: Option<Decimal>,
) -> Result<DutyLine, Error> {
    let item = &ctx.decl.items[i];
    let customs = base.unwrap_or(ctx.values.lines[i].customs);
    let amount = percent_of(customs, rate)?;
    ctx.tracer.step(Step::Duty, || {
        (
            ctx.rule(&format!("additional_duties.{}", d.id)),
            d.source.clone(),
            format!(
                "item {i}: {} for origin {}: {rate}% of {customs} = {amount}",
                d.name,
                item.origin.as_deref().unwrap_or("(not declared)")
            ),
        )
    });
    Ok(DutyLine {
        item: i,
        hs_code: item.hs_code.clone(),
        rate: std::sync::Arc::from(format!("{}% ({})", rate.normalize(), d.id)),
        base: ctx.out(customs),
        amount: ctx.out(amount),
        basis: DutyBasis::Additional,
        tariff: None,
    })
}

/// The specific amount of the band the rate falls in, per line or per unit of item `i`.
fn specific_line(
    ctx: &Ctx<'_>,
    d: &AdditionalDutyFile,
    i: usize,
    rate: Decimal,
    b: &RateBand,
    per: FeePer,
) -> Result<DutyLine, Error> {
    let item = &ctx.decl.items[i];
    let count = if per == FeePer::Item {
        item.quantity.0
    } else {
        Decimal::ONE
    };
    let amount = mul(b.amount.0, count)?;
    ctx.tracer.step(Step::Duty, || {
        (
            ctx.rule(&format!("additional_duties.{}", d.id)),
            d.source.clone(),
            format!(
                "item {i}: {} for origin {}: rate {rate}% falls in the band of {} per {}; × {count} = {amount}",
                d.name,
                item.origin.as_deref().unwrap_or("(not declared)"),
                b.amount.0,
                wire_name(&per)
            ),
        )
    });
    Ok(DutyLine {
        item: i,
        hs_code: item.hs_code.clone(),
        rate: std::sync::Arc::from(format!(
            "{} {} per {} ({})",
            b.amount.0,
            ctx.regime.currency,
            if per == FeePer::Item { "unit" } else { "line" },
            d.id
        )),
        base: ctx.out(ctx.values.lines[i].customs),
        amount: ctx.out(amount),
        basis: DutyBasis::Additional,
        tariff: None,
    })
}

/// A specific duty charged once per package: the band of its first line decides it.
struct Package {
    first: usize,
    rate: Decimal,
    amount: Decimal,
    /// The customs value of the lines it covers.
    base: Decimal,
}

impl Package {
    /// The package with item `i` added; fails when `i`'s band gives another amount, since
    /// which one decides a package of several origins is not sourced.
    fn with(
        self,
        d: &AdditionalDutyFile,
        i: usize,
        rate: Decimal,
        amount: Decimal,
        customs: Decimal,
    ) -> Result<Package, Error> {
        if amount != self.amount {
            return Err(Error::at(
                MISSING_FACT,
                format!("items[{i}].origin"),
                format!(
                    "{}: item {} (rate {}%) and item {i} (rate {rate}%) fall in different bands, and which one decides a package with goods of several origins is not sourced",
                    d.id, self.first, self.rate
                ),
            ));
        }
        Ok(Package {
            base: add(self.base, customs)?,
            ..self
        })
    }
}

/// The package's one line, at its first item.
fn package_line(ctx: &Ctx<'_>, d: &AdditionalDutyFile, p: &Package) -> DutyLine {
    let (first, rate, amount) = (p.first, p.rate, p.amount);
    ctx.tracer.step(Step::Duty, || {
        (
            ctx.rule(&format!("additional_duties.{}", d.id)),
            d.source.clone(),
            format!(
                "{}: the origin rate {rate}% falls in the band of {amount} {} per package; charged once (on item {first})",
                d.name, ctx.regime.currency
            ),
        )
    });
    DutyLine {
        item: first,
        hs_code: ctx.decl.items[first].hs_code.clone(),
        rate: std::sync::Arc::from(format!(
            "{amount} {} per package ({})",
            ctx.regime.currency, d.id
        )),
        base: ctx.out(p.base),
        amount: ctx.out(amount),
        basis: DutyBasis::Additional,
        tariff: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Amount;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn bands() -> Vec<RateBand> {
        let b = |below: Option<&str>, up_to: Option<&str>, amount: &str| RateBand {
            below: below.map(|x| Amount(d(x))),
            up_to: up_to.map(|x| Amount(d(x))),
            amount: Amount(d(amount)),
        };
        vec![
            b(Some("16"), None, "80"),
            b(None, Some("25"), "160"),
            b(None, None, "200"),
        ]
    }

    #[test]
    fn bands_follow_their_bounds() {
        let amount = |rate: &str| band(&bands(), d(rate)).map(|b| b.amount.0);
        assert_eq!(amount("10"), Some(d("80")));
        assert_eq!(amount("15.99"), Some(d("80")));
        // "between 16 and 25 percent (inclusive)": both edges are in the middle band.
        assert_eq!(amount("16"), Some(d("160")));
        assert_eq!(amount("25"), Some(d("160")));
        assert_eq!(amount("25.01"), Some(d("200")));
        assert_eq!(band(&bands()[..2], d("30")), None);
    }

    // The mechanisms on the EU pack (whose rules are well covered elsewhere) with duties added,
    // so that each test shows one behaviour of the data, not of a country.
    use crate::{AssessOptions, Assessment, Engine, ErrorCode};
    use serde_json::{json, Value};

    use crate::assess::pipeline_tests::eu_engine_with as engine;

    fn with_duties(duties: Value) -> Engine {
        engine(|v| {
            let mut duties = duties.clone();
            for d in duties.as_array_mut().unwrap() {
                d["source"] = json!("test rule");
                d["checked"] = json!("2026-11-29");
            }
            v["additional_duties"] = duties;
        })
        .unwrap()
    }

    /// A T-shirt from `origin` worth `value` (+10.00 shipping) to France in 2025.
    fn decl(origin: Option<&str>, value: &str) -> Value {
        let mut d = json!({
            "id": "t", "date": "2025-05-01", "destination": "FR", "currency": "EUR",
            "items": [{"description": "T-shirt", "hs_code": "610910", "quantity": 2, "value": value, "net_mass_kg": "0.3"}],
            "shipping": "10.00",
            "seller": {"name": "S", "country": "CN"},
            "consignee": {"name": "C", "country": "FR", "address": {"line1": "1 rue", "city": "Paris", "postcode": "75001", "country": "FR"}}
        });
        if let Some(o) = origin {
            d["items"][0]["origin"] = json!(o);
        }
        d
    }

    fn run(e: &Engine, d: &Value, opts: &AssessOptions) -> Result<Assessment, crate::Error> {
        e.assess_json(&d.to_string(), opts)
    }

    #[test]
    fn rate_by_origin_adds_a_traced_line_that_enters_the_tax_base() {
        let e = with_duties(json!([{"id": "T_EXTRA", "name": "extra", "rate": "10",
            "rates_by_origin": {"CN": {"rate": "25"}}}]));
        let r = run(&e, &decl(Some("CN"), "200.00"), &AssessOptions::traced()).unwrap();
        // Tariff 12 % of 210 = 25.20, then 25 % of 210 = 52.50 on the same item.
        assert_eq!(r.duties.len(), 2);
        assert_eq!(r.duties[1].basis, crate::result::DutyBasis::Additional);
        assert_eq!(r.duties[1].amount.to_string(), "52.50");
        assert_eq!(&*r.duties[1].rate, "25% (T_EXTRA)");
        assert_eq!(r.duty_total.to_string(), "77.70");
        // VAT 20 % of 210 + 77.70.
        assert_eq!(r.tax_total.to_string(), "57.54");
        let trace = r.trace.unwrap();
        assert!(trace
            .iter()
            .any(|t| t.rule.ends_with("additional_duties.T_EXTRA") && t.source == "test rule"));
        // Another origin gets the default rate.
        let r = run(&e, &decl(Some("VN"), "200.00"), &AssessOptions::default()).unwrap();
        assert_eq!(r.duties[1].amount.to_string(), "21.00");
    }

    #[test]
    fn a_duty_on_an_undeclared_fact_fails_naming_it() {
        // A fact no declaration field carries: every line under the duty fails.
        let e = with_duties(json!([{"id": "T_FACT", "name": "on a fact",
            "excluded_origins": ["VN"],
            "needs": {"fact": "the country where the steel was melted and poured"}}]));
        let err = run(&e, &decl(Some("CN"), "200.00"), &AssessOptions::default()).unwrap_err();
        assert_eq!(err.code, ErrorCode::MissingDutyInput);
        assert_eq!(err.path.as_deref(), Some("items[0]"));
        assert!(
            err.message.contains("T_FACT")
                && err.message.contains("melted and poured")
                && err.message.contains("test rule"),
            "{}",
            err.message
        );
        // Where the duty does not apply, nothing is needed.
        assert!(run(&e, &decl(Some("VN"), "200.00"), &AssessOptions::default()).is_ok());
    }

    #[test]
    fn a_duty_on_the_metal_content_value_charges_its_share_of_the_customs_value() {
        // Section 232 on a derivative: 50 % of the value of its steel content.
        let e = with_duties(json!([{"id": "T_CONTENT", "name": "on the steel content",
            "rate": "50", "excluded_origins": ["VN"],
            "needs": {"fact": "the value of the steel content", "measure": "content_value",
                "metals": ["steel"]}}]));
        let mut d = decl(Some("CN"), "200.00");
        let err = run(&e, &d, &AssessOptions::default()).unwrap_err();
        assert_eq!(err.code, ErrorCode::MissingDutyInput);
        assert_eq!(err.path.as_deref(), Some("items[0].metal_content"));
        assert!(
            err.message.contains("the value of the steel content"),
            "{}",
            err.message
        );
        d["items"][0]["metal_content"] = json!([{"metal": "steel", "mass_kg": "0.1"}]);
        let err = run(&e, &d, &AssessOptions::default()).unwrap_err();
        assert_eq!(err.path.as_deref(), Some("items[0].metal_content[0].value"));
        // 50.00 of the 200.00 price is steel: a quarter of the customs value 210.00 (shipping
        // included in France), 52.50, at 50 %.
        d["items"][0]["metal_content"] = json!([{"metal": "copper", "value": "20.00"},
            {"metal": "steel", "value": "50.00"}]);
        let r = run(&e, &d, &AssessOptions::traced()).unwrap();
        assert_eq!(r.duties.len(), 2);
        assert_eq!(r.duties[1].base.to_string(), "52.50");
        assert_eq!(r.duties[1].amount.to_string(), "26.25");
        assert!(r
            .trace
            .unwrap()
            .iter()
            .any(|t| t.rule.ends_with("T_CONTENT.needs")));
        // No steel declared: no steel content, no line.
        d["items"][0]["metal_content"] = json!([{"metal": "aluminium", "value": "20.00"}]);
        let r = run(&e, &d, &AssessOptions::default()).unwrap();
        assert_eq!(r.duties.len(), 1);
        // A content worth more than the goods is not a declaration.
        d["items"][0]["metal_content"] = json!([{"metal": "steel", "value": "200.01"}]);
        let err = run(&e, &d, &AssessOptions::default()).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidValue);
        assert_eq!(err.path.as_deref(), Some("items[0].metal_content[0].value"));
    }

    #[test]
    fn a_duty_by_weight_share_applies_from_its_threshold() {
        let e = with_duties(json!([{"id": "T_WEIGHT", "name": "by metal weight",
            "rate": "25",
            "needs": {"fact": "the metal's share of the weight", "measure": "weight_share",
                "metals": ["steel", "aluminium"], "at_least": "15"}}]));
        let mut d = decl(Some("CN"), "200.00");
        let err = run(&e, &d, &AssessOptions::default()).unwrap_err();
        assert_eq!(err.code, ErrorCode::MissingDutyInput);
        assert_eq!(err.path.as_deref(), Some("items[0].metal_content"));
        // 0.03 + 0.015 kg of 0.3 kg net = 15 %: applies, on the full customs value 210.00.
        d["items"][0]["metal_content"] = json!([{"metal": "steel", "mass_kg": "0.03"},
            {"metal": "aluminum", "mass_kg": "0.015"}]);
        let r = run(&e, &d, &AssessOptions::default()).unwrap();
        assert_eq!(r.duties[1].amount.to_string(), "52.50");
        // 14.9 %: does not.
        d["items"][0]["metal_content"] = json!([{"metal": "steel", "mass_kg": "0.0447"}]);
        let r = run(&e, &d, &AssessOptions::default()).unwrap();
        assert_eq!(r.duties.len(), 1);
        d["items"][0]["metal_content"] = json!([{"metal": "steel"}]);
        let err = run(&e, &d, &AssessOptions::default()).unwrap_err();
        assert_eq!(
            err.path.as_deref(),
            Some("items[0].metal_content[0].mass_kg")
        );
        d["items"][0]["metal_content"] = json!([{"metal": "steel", "mass_kg": "0.31"}]);
        let err = run(&e, &d, &AssessOptions::default()).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidValue);
        d["items"][0]["metal_content"] = json!([{"metal": "steel", "mass_kg": "0.1"},
            {"metal": "steel", "mass_kg": "0.1"}]);
        let err = run(&e, &d, &AssessOptions::default()).unwrap_err();
        assert_eq!(err.path.as_deref(), Some("items[0].metal_content[1].metal"));
        d["items"][0]["metal_content"] = json!([{"metal": "steel", "mass_kg": "0.1"}]);
        d["items"][0].as_object_mut().unwrap().remove("net_mass_kg");
        let err = run(&e, &d, &AssessOptions::default()).unwrap_err();
        assert_eq!(err.path.as_deref(), Some("items[0].net_mass_kg"));
    }

    #[test]
    fn an_origin_without_a_sourced_rate_is_an_error_naming_the_fact() {
        let e = with_duties(json!([{"id": "T_EXTRA", "name": "extra",
            "rates_by_origin": {"CN": {"rate": "25"}, "MX": {"missing": "USMCA qualification"}},
            "missing": "rates for other origins"}]));
        let err = run(&e, &decl(Some("MX"), "200.00"), &AssessOptions::default()).unwrap_err();
        assert_eq!(err.code, ErrorCode::OutOfScope);
        assert_eq!(err.path.as_deref(), Some("items[0].origin"));
        assert!(
            err.message.contains("USMCA qualification"),
            "{}",
            err.message
        );
        let err = run(&e, &decl(Some("VN"), "200.00"), &AssessOptions::default()).unwrap_err();
        assert!(
            err.message.contains("rates for other origins"),
            "{}",
            err.message
        );
        // The origin is needed, never assumed.
        let err = run(&e, &decl(None, "200.00"), &AssessOptions::default()).unwrap_err();
        assert_eq!(err.code, ErrorCode::MissingField);
        assert_eq!(err.path.as_deref(), Some("items[0].origin"));
        // Relieved goods (below the EUR 150 duty de minimis) pay no additional duty, so the
        // missing rate does not matter.
        let r = run(&e, &decl(Some("VN"), "40.00"), &AssessOptions::default()).unwrap();
        assert_eq!(r.duty_total.to_string(), "0.00");
    }

    #[test]
    fn origins_dates_goods_and_channels_narrow_a_duty() {
        let e = with_duties(json!([
            {"id": "T_CN", "name": "cn only", "rate": "20", "origins": ["CN"], "from": "2025-03-04"},
            {"id": "T_ALL", "name": "others", "rate": "10", "excluded_origins": ["CN"],
             "excluded": [{"hs_prefix": "6109", "reason": "exempt"}]},
            {"id": "T_POST", "name": "post", "rate": "5", "channels": ["postal"]}
        ]));
        let r = run(&e, &decl(Some("CN"), "200.00"), &AssessOptions::default()).unwrap();
        assert_eq!(r.duty_total.to_string(), "67.20"); // 25.20 + 42.00
        let mut d = decl(Some("CN"), "200.00");
        d["date"] = json!("2025-03-03");
        assert_eq!(
            run(&e, &d, &AssessOptions::default())
                .unwrap()
                .duty_total
                .to_string(),
            "25.20"
        );
        d["channel"] = json!("postal");
        assert_eq!(
            run(&e, &d, &AssessOptions::default())
                .unwrap()
                .duty_total
                .to_string(),
            "35.70"
        );
        // T_ALL excludes 6109 T-shirts.
        let r = run(&e, &decl(Some("VN"), "200.00"), &AssessOptions::default()).unwrap();
        assert_eq!(r.duty_total.to_string(), "25.20");
    }

    /// The EU pack with `lists` at pack level and `duties` in every version.
    fn with_lists(lists: Value, duties: Value) -> Result<Engine, crate::Error> {
        let mut pack: Value = serde_json::from_str(crate::regime::embedded::PACKS[0].1).unwrap();
        let mut lists = lists;
        for l in lists.as_array_mut().unwrap() {
            l["source"] = json!("test list");
            l["checked"] = json!("2026-12-04");
        }
        pack["goods_lists"] = lists;
        for v in pack["versions"].as_array_mut().unwrap() {
            let mut duties = duties.clone();
            for d in duties.as_array_mut().unwrap() {
                d["source"] = json!("test rule");
                d["checked"] = json!("2026-12-04");
            }
            v["additional_duties"] = duties;
        }
        Engine::builder().regime_json(pack.to_string()).build()
    }

    #[test]
    fn goods_lists_narrow_a_duty_on_their_dates() {
        let e = with_lists(
            json!([{"id": "TEES", "name": "T-shirts", "codes": "610910"},
                   {"id": "GREY", "name": "grey tees", "codes": "6109100040"},
                   {"id": "LATER", "name": "later list", "codes": "6109"}]),
            json!([{"id": "T_ON_TEES", "name": "on tees", "rate": "10", "origins": ["CN"],
                    "goods": ["TEES"]},
                   {"id": "T_NOT_GREY", "name": "not grey", "rate": "1", "origins": ["VN"],
                    "excluded_goods": ["GREY"]},
                   {"id": "T_LATER", "name": "later", "rate": "5",
                    "goods": [{"list": "LATER", "from": "2025-06-01"}]}]),
        )
        .unwrap();
        let total = |origin: &str, hs: &str, date: &str| {
            let mut d = decl(Some(origin), "200.00");
            d["items"][0]["hs_code"] = json!(hs);
            d["date"] = json!(date);
            run(&e, &d, &AssessOptions::default()).map(|r| r.duty_total.to_string())
        };
        // 12 % tariff on 210 = 25.20, then 10 % = 21.00 on goods of the list from China.
        assert_eq!(total("CN", "610910", "2025-05-01").unwrap(), "46.20");
        // Other goods: no duty.
        assert_eq!(total("CN", "611020", "2025-05-01").unwrap(), "25.20");
        // Excluded goods pay nothing, others 1 % (2.10).
        assert_eq!(total("VN", "6109100040", "2025-05-01").unwrap(), "25.20");
        assert_eq!(total("VN", "6109100010", "2025-05-01").unwrap(), "27.30");
        // 610910 covers goods in and out of GREY: the exclusion cannot be decided.
        let err = total("VN", "610910", "2025-05-01").unwrap_err();
        assert_eq!(err.path.as_deref(), Some("items[0].hs_code"));
        // From 2025-06-01 LATER adds 5 % (10.50).
        assert_eq!(total("CN", "610910", "2025-07-01").unwrap(), "56.70");
    }

    #[test]
    fn a_code_partly_in_a_list_fails_naming_it() {
        let e = with_lists(
            json!([{"id": "GREY", "name": "grey tees", "codes": "6109100040"}]),
            json!([{"id": "T_GREY", "name": "grey", "rate": "10", "goods": ["GREY"]}]),
        )
        .unwrap();
        let err = run(&e, &decl(Some("CN"), "200.00"), &AssessOptions::default()).unwrap_err();
        assert_eq!(err.code, ErrorCode::OutOfScope);
        assert_eq!(err.path.as_deref(), Some("items[0].hs_code"));
        assert!(err.message.contains("grey tees (GREY)"), "{}", err.message);
        // A list that is not defined, or malformed, is refused when the pack loads.
        let bad = with_lists(
            json!([{"id": "GREY", "name": "grey tees", "codes": "6109100040"}]),
            json!([{"id": "T", "name": "t", "rate": "10", "goods": ["NOPE"]}]),
        );
        assert_eq!(bad.unwrap_err().code, ErrorCode::InvalidPack);
        let bad = with_lists(
            json!([{"id": "GREY", "name": "grey tees", "codes": "61-09"}]),
            json!([]),
        );
        assert_eq!(bad.unwrap_err().code, ErrorCode::InvalidPack);
    }

    #[test]
    fn unchecked_goods_fail_rather_than_risk_an_exemption() {
        let e = with_duties(json!([{"id": "T_EXTRA", "name": "extra", "rate": "10",
            "checked_goods": ["6110"]}]));
        let err = run(&e, &decl(Some("VN"), "200.00"), &AssessOptions::default()).unwrap_err();
        assert_eq!(err.code, ErrorCode::OutOfScope);
        assert_eq!(err.path.as_deref(), Some("items[0].hs_code"));
    }

    #[test]
    fn rate_from_specific_bands_and_replacing_the_tariff() {
        let duties = json!([
            {"id": "T_A", "name": "a", "rate": "10", "channels": ["express"]},
            {"id": "T_B", "name": "b", "rate": "20", "origins": ["CN"], "channels": ["express"]},
            {"id": "T_POST_AV", "name": "postal ad valorem", "rate_from": ["T_A", "T_B"],
             "replaces_tariff": true, "channels": ["postal"],
             "when_option": {"option": "t_method", "reading": "ad_valorem"}},
            {"id": "T_POST_SP", "name": "postal specific", "rate_from": ["T_A", "T_B"],
             "replaces_tariff": true, "channels": ["postal"],
             "specific": {"per": "consignment", "bands": [{"below": "16", "amount": "80"},
                 {"up_to": "25", "amount": "160"}, {"amount": "200"}]},
             "when_option": {"option": "t_method", "reading": "specific"}}
        ]);
        let e = engine(|v| {
            let mut ds = duties.clone();
            for d in ds.as_array_mut().unwrap() {
                d["source"] = json!("test rule");
                d["checked"] = json!("2026-11-29");
            }
            v["additional_duties"] = ds;
            v["options"]["t_method"] = json!({"values": ["ad_valorem", "specific"],
                "default": "ad_valorem", "question": "which method?",
                "source": "test", "checked": "2026-11-29"});
        })
        .unwrap();
        let mut d = decl(Some("CN"), "200.00");
        d["channel"] = json!("postal");
        // An HS code the EU sample tariff lacks: no tariff line is needed when replaced.
        d["items"][0]["hs_code"] = json!("950300");
        let r = run(&e, &d, &AssessOptions::traced()).unwrap();
        assert_eq!(r.duties.len(), 1);
        assert_eq!(r.duty_total.to_string(), "63.00"); // (10 + 20) % of 210
        let trace = r.trace.unwrap();
        assert!(trace
            .iter()
            .any(|t| t.detail.contains("T_A 10% + T_B 20% = 30%")));
        let specific = AssessOptions::default().option("t_method", "specific");
        assert_eq!(
            run(&e, &d, &specific).unwrap().duty_total.to_string(),
            "200.00"
        );
        // Two items in one package: charged once, when their bands agree...
        let mut two = d.clone();
        two["items"]
            .as_array_mut()
            .unwrap()
            .push(json!({"description": "toy", "hs_code": "950300", "quantity": 1, "value": "10.00", "origin": "CN"}));
        let r = run(&e, &two, &specific).unwrap();
        assert_eq!(r.duties.len(), 1);
        assert_eq!(r.duty_total.to_string(), "200.00");
        // ...and an error when they do not (10 % for VN, 30 % for CN).
        two["items"][1]["origin"] = json!("VN");
        let err = run(&e, &two, &specific).unwrap_err();
        assert_eq!(err.code, ErrorCode::OutOfScope);
        // Reject: the duty depends on the option, so it fails.
        let reject = AssessOptions::default().option("t_method", "reject");
        assert_eq!(
            run(&e, &d, &reject).unwrap_err().code,
            ErrorCode::UncertainRule
        );
    }

    /// A two-column tariff of the EU (`general`, `column2`) from 2025-01-01: grey T-shirts 90 %
    /// in column 2, other T-shirts a compound rate, T-shirts of other materials no column-2
    /// rate, jerseys a column-2 rate that cannot be computed.
    const TWO_COLUMNS: &str = "xborder-tariff\t1\nregime\tEU\ncurrency\tEUR\nedition\tHS2022\n\
        title\tTest tariff\npublisher\tTest\nsource\tTest\nlicence\tTest\n\
        columns\tgeneral\tcolumn2\nconfidence\tconfirmed\nchecked\t2026-12-05\n\
        %duties\n12%\t12%\n90%\t90%\n0.5 EUR/kg + 20%\t0.5 EUR/kg + 20%\n\
        see note 9\t!depends on note 9\n\
        %revision\tr1\t2025-01-01\tRevision 1\n\
        6109100010\t0\t1\tT-shirts: grey\n6109100040\t0\t2\tT-shirts: other\n\
        610990\t0\t-\tT-shirts of other materials\n611020\t0\t3\tJerseys of cotton\n";

    /// The EU pack with `duties` (and the lists `lists`) in every version, and `tariff` as the
    /// caller's tariff file (none when `None`); the embedded tariffs left out.
    fn with_tariff(
        duties: Value,
        lists: Value,
        tariff: Option<&str>,
    ) -> Result<Engine, crate::Error> {
        let mut pack: Value = serde_json::from_str(crate::regime::embedded::PACKS[0].1).unwrap();
        let mut lists = lists;
        for l in lists.as_array_mut().unwrap() {
            l["source"] = json!("test list");
            l["checked"] = json!("2026-12-05");
        }
        pack["goods_lists"] = lists;
        for v in pack["versions"].as_array_mut().unwrap() {
            let mut duties = duties.clone();
            for d in duties.as_array_mut().unwrap() {
                d["source"] = json!("test rule");
                d["checked"] = json!("2026-12-05");
            }
            v["additional_duties"] = duties;
        }
        let mut b = Engine::builder()
            .without_embedded_tariffs()
            .regime_json(pack.to_string());
        if let Some(t) = tariff {
            b = b.tariff("EU", t);
        }
        b.build()
    }

    fn column2_duty() -> Value {
        json!([{"id": "T_COL2", "name": "column 2", "origins": ["CU"],
                "replaces_tariff": true, "tariff_column": "column2"}])
    }

    fn with_hs(origin: &str, hs: &str) -> Value {
        let mut d = decl(Some(origin), "200.00");
        d["items"][0]["hs_code"] = json!(hs);
        d
    }

    #[test]
    fn a_tariff_column_prices_the_line_in_place_of_the_first() {
        let e = with_tariff(column2_duty(), json!([]), Some(TWO_COLUMNS)).unwrap();
        let r = run(&e, &with_hs("CU", "6109100010"), &AssessOptions::traced()).unwrap();
        // No first-column line: column 2 replaces it. 90 % of 210 = 189.00.
        assert_eq!(r.duties.len(), 1);
        let line = &r.duties[0];
        assert_eq!(line.basis, crate::result::DutyBasis::Additional);
        assert_eq!(&*line.rate, "90% (column2, T_COL2)");
        assert_eq!(line.amount.to_string(), "189.00");
        let cite = line.tariff.as_ref().unwrap();
        assert_eq!((&*cite.revision, cite.line.as_str()), ("r1", "6109100010"));
        let trace = r.trace.unwrap();
        let step = trace
            .iter()
            .find(|t| t.rule.ends_with("additional_duties.T_COL2"))
            .unwrap();
        assert!(
            step.detail
                .contains("from column column2 of Test tariff, revision r1"),
            "{}",
            step.detail
        );
        assert!(
            step.source.contains("test rule")
                && step
                    .source
                    .contains("EU.tariff/r1/6109100010 column column2"),
            "{}",
            step.source
        );
        // Compound duties are read as in the first column: 0.5 × 0.3 kg + 20 % of 210.
        let r = run(&e, &with_hs("CU", "6109100040"), &AssessOptions::default()).unwrap();
        assert_eq!(r.duty_total.to_string(), "42.15");
        // Another origin pays the first column.
        let r = run(&e, &with_hs("VN", "6109100010"), &AssessOptions::default()).unwrap();
        assert_eq!(r.duties[0].basis, crate::result::DutyBasis::Tariff);
        assert_eq!(r.duty_total.to_string(), "25.20");
        // The origin is needed, as for any duty by origin.
        let err = run(&e, &decl(None, "200.00"), &AssessOptions::default()).unwrap_err();
        assert_eq!(err.code, ErrorCode::MissingField);
        assert_eq!(err.path.as_deref(), Some("items[0].origin"));
    }

    #[test]
    fn a_tariff_column_is_looked_up_like_the_first() {
        let e = with_tariff(column2_duty(), json!([]), Some(TWO_COLUMNS)).unwrap();
        // 610910 is one rate in the first column, two in column 2.
        let r = run(&e, &with_hs("VN", "610910"), &AssessOptions::default()).unwrap();
        assert_eq!(r.duty_total.to_string(), "25.20");
        let err = run(&e, &with_hs("CU", "610910"), &AssessOptions::default()).unwrap_err();
        assert_eq!(err.code, ErrorCode::HsAmbiguous);
        assert!(
            err.message.contains("revision r1, column column2"),
            "{}",
            err.message
        );
        let highest = AssessOptions::default().option("hs_ambiguity", "highest");
        let r = run(&e, &with_hs("CU", "610910"), &highest).unwrap();
        assert_eq!(r.duty_total.to_string(), "189.00");
        // No rate in the column ("-"): never the first column's, never a shorter line's.
        let err = run(&e, &with_hs("CU", "6109900000"), &AssessOptions::default()).unwrap_err();
        assert_eq!(err.code, ErrorCode::DutyNotComputable);
        assert!(
            err.message.contains("no rate in this column"),
            "{}",
            err.message
        );
        // A rate that cannot be computed.
        let err = run(&e, &with_hs("CU", "611020"), &AssessOptions::default()).unwrap_err();
        assert_eq!(err.code, ErrorCode::DutyNotComputable);
        assert!(err.message.contains("depends on note 9"), "{}", err.message);
    }

    #[test]
    fn a_tariff_column_fails_where_no_file_holds_it() {
        let refused = |e: &Engine, d: &Value, why: &str| {
            let err = run(e, d, &AssessOptions::default()).unwrap_err();
            assert_eq!(err.code, ErrorCode::OutOfScope);
            assert_eq!(err.path.as_deref(), Some("items[0].origin"));
            assert!(
                err.message.contains("T_COL2") && err.message.contains(why),
                "{}",
                err.message
            );
        };
        // A caller's file without the column.
        let one = TWO_COLUMNS
            .replace("columns\tgeneral\tcolumn2", "columns\tgeneral")
            .replace("\t0\t1\t", "\t0\t")
            .replace("\t0\t2\t", "\t0\t")
            .replace("\t0\t-\t", "\t0\t")
            .replace("\t0\t3\t", "\t0\t");
        let e = with_tariff(column2_duty(), json!([]), Some(&one)).unwrap();
        refused(&e, &with_hs("CU", "6109100010"), "has no such column");
        // No file at all.
        let e = with_tariff(column2_duty(), json!([]), None).unwrap();
        refused(&e, &with_hs("CU", "6109100010"), "no tariff file is loaded");
        // A date before the file's first revision: the pack's own lines have one column.
        let e = with_tariff(column2_duty(), json!([]), Some(TWO_COLUMNS)).unwrap();
        let mut d = with_hs("CU", "6109100010");
        d["date"] = json!("2024-06-03");
        refused(&e, &d, "first revision (r1)");
    }

    #[test]
    fn a_duty_in_lieu_of_another_sets_it_aside() {
        let duties = json!([
            {"id": "T_COL2", "name": "column 2", "origins": ["CU", "KP"],
             "replaces_tariff": true, "tariff_column": "column2"},
            {"id": "T_LIEU", "name": "35 % in lieu", "rate": "35", "origins": ["CU"],
             "goods": ["GREY"], "replaces_tariff": true, "in_lieu_of": ["T_COL2"]}
        ]);
        let lists = json!([{"id": "GREY", "name": "grey tees", "codes": "6109100010"}]);
        let e = with_tariff(duties, lists, Some(TWO_COLUMNS)).unwrap();
        // Listed goods of CU: 35 % of 210 only.
        let r = run(&e, &with_hs("CU", "6109100010"), &AssessOptions::default()).unwrap();
        assert_eq!(r.duties.len(), 1);
        assert_eq!(&*r.duties[0].rate, "35% (T_LIEU)");
        assert_eq!(r.duty_total.to_string(), "73.50");
        // Other goods of CU, and listed goods of KP: column 2.
        let r = run(&e, &with_hs("CU", "6109100040"), &AssessOptions::default()).unwrap();
        assert_eq!(r.duty_total.to_string(), "42.15");
        let r = run(&e, &with_hs("KP", "6109100010"), &AssessOptions::default()).unwrap();
        assert_eq!(r.duty_total.to_string(), "189.00");
    }

    #[test]
    fn a_duty_by_weight_share_sets_another_aside_only_where_it_is_owed() {
        let e = with_duties(json!([
            {"id": "T_SURCHARGE", "name": "surcharge", "rate": "10"},
            {"id": "T_WEIGHT", "name": "by metal weight", "rate": "25",
             "in_lieu_of": ["T_SURCHARGE"],
             "needs": {"fact": "the metal's share of the weight", "measure": "weight_share",
                "metals": ["steel"], "at_least": "15"}}]));
        let mut d = decl(Some("CN"), "200.00");
        // 20 % steel: 25 % in lieu of the surcharge.
        d["items"][0]["metal_content"] = json!([{"metal": "steel", "mass_kg": "0.06"}]);
        let r = run(&e, &d, &AssessOptions::default()).unwrap();
        let rates: Vec<&str> = r.duties.iter().map(|l| &*l.rate).collect();
        assert_eq!(rates, ["12%", "25% (T_WEIGHT)"]);
        // 10 % steel: the duty is not owed, so the surcharge is.
        d["items"][0]["metal_content"] = json!([{"metal": "steel", "mass_kg": "0.03"}]);
        let r = run(&e, &d, &AssessOptions::default()).unwrap();
        let rates: Vec<&str> = r.duties.iter().map(|l| &*l.rate).collect();
        assert_eq!(rates, ["12%", "10% (T_SURCHARGE)"]);
        // Not declared: the fact is needed to tell which.
        d["items"][0]
            .as_object_mut()
            .unwrap()
            .remove("metal_content");
        let err = run(&e, &d, &AssessOptions::default()).unwrap_err();
        assert_eq!(err.code, ErrorCode::MissingDutyInput);
    }

    #[test]
    fn tariff_columns_and_in_lieu_of_are_checked_when_the_pack_loads() {
        let bad = |duties: Value| {
            let err = with_tariff(duties, json!([]), Some(TWO_COLUMNS)).unwrap_err();
            let path = err.path.clone().unwrap_or_default();
            assert!(
                path.contains(".tariff_column") || path.contains(".in_lieu_of["),
                "{path}: {}",
                err.message
            );
            err.code
        };
        for duties in [
            json!([{"id": "X", "name": "x", "tariff_column": "column2"}]),
            json!([{"id": "X", "name": "x", "tariff_column": "column2", "replaces_tariff": true, "rate": "10"}]),
            json!([{"id": "X", "name": "x", "tariff_column": " ", "replaces_tariff": true}]),
            json!([{"id": "X", "name": "x", "tariff_column": "column2", "replaces_tariff": true},
                   {"id": "Y", "name": "y", "rate_from": ["X"]}]),
            json!([{"id": "X", "name": "x", "rate": "1", "in_lieu_of": ["NOPE"]}]),
            json!([{"id": "X", "name": "x", "rate": "1", "in_lieu_of": ["X"]}]),
            json!([{"id": "X", "name": "x", "rate": "1", "in_lieu_of": ["Y"]},
                   {"id": "Y", "name": "y", "rate": "1", "in_lieu_of": ["Z"]},
                   {"id": "Z", "name": "z", "rate": "1"}]),
        ] {
            assert_eq!(bad(duties), ErrorCode::InvalidPack);
        }
        // A column the regime's embedded file does not have (the EU file's only column is
        // third_country), with the path in the caller's pack.
        let mut pack: Value = serde_json::from_str(crate::regime::embedded::PACKS[0].1).unwrap();
        pack["versions"][1]["additional_duties"] = json!([{"id": "X", "name": "x",
            "replaces_tariff": true, "tariff_column": "column2",
            "source": "s", "checked": "2026-12-05"}]);
        let err = Engine::builder()
            .regime_json(pack.to_string())
            .build()
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidPack);
        assert_eq!(
            err.path.as_deref(),
            Some("pack[0].versions[1].additional_duties[0].tariff_column")
        );
        assert!(err.message.contains("third_country"), "{}", err.message);
    }

    #[test]
    fn de_minimis_can_exclude_origins() {
        let e = engine(|v| {
            if v["de_minimis"]["duty"].is_object() {
                v["de_minimis"]["duty"]["excluded_origins"] = json!(["CN"]);
            }
        })
        .unwrap();
        let r = run(&e, &decl(Some("CN"), "40.00"), &AssessOptions::default()).unwrap();
        assert!(!r.de_minimis.duty.applies);
        assert_eq!(r.duty_total.to_string(), "6.00"); // 12 % of 50
        let r = run(&e, &decl(Some("VN"), "40.00"), &AssessOptions::default()).unwrap();
        assert!(r.de_minimis.duty.applies);
        let err = run(&e, &decl(None, "40.00"), &AssessOptions::default()).unwrap_err();
        assert_eq!(err.code, ErrorCode::MissingField);
    }

    #[test]
    fn malformed_duties_are_refused_when_the_pack_loads() {
        let bad = |duty: Value| {
            engine(|v| {
                let mut duty = duty.clone();
                duty["source"] = json!("s");
                duty["checked"] = json!("2026-11-29");
                v["additional_duties"] = json!([duty]);
            })
            .unwrap_err()
            .code
        };
        for duty in [
            json!({"id": "X", "name": "x"}),
            json!({"id": "X", "name": "x", "rate_from": ["NOPE"]}),
            json!({"id": "X", "name": "x", "rates_by_origin": {"CN": {}}}),
            json!({"id": "X", "name": "x", "rate": "-1"}),
            json!({"id": "X", "name": "x", "rate": "10", "origins": ["china"]}),
            json!({"id": "X", "name": "x", "rate": "10", "specific": {"per": "consignment",
                "bands": [{"below": "1", "up_to": "2", "amount": "3"}]}}),
        ] {
            assert_eq!(bad(duty), ErrorCode::InvalidPack);
        }
    }
}
