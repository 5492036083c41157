//! Customs duty: gift relief, duty de minimis, the flat duty per tariff subheading, and the
//! tariff, in that order of precedence.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::collection::Chosen;
use super::{add, overflow, percent_of, round, Ctx};
use crate::declaration::{Channel, Nature, QuantityUnit};
use crate::duty_expr::{DutyExprError, DutyInputs};
use crate::error::{Error, ErrorCode};
use crate::regime::excluded_by;
use crate::regime::pack::{
    Basis, Charge, FlatDutyFile, GiftMode, GiftReliefFile, RoundingScope, SimplifiedRateFile,
    TaxPoint, Threshold, ThresholdUnit,
};
use crate::result::{DeMinimisOutcome, DutyLine};

/// The duty side of an assessment.
pub(crate) struct DutyOutcome<'a> {
    pub lines: Vec<DutyLine>,
    pub total: Decimal,
    pub de_minimis: DeMinimisOutcome,
    /// Gift relief relieves the tax too.
    pub gift_relieves_tax: bool,
    /// A gift allowance is deducted from the import tax base (each line's `gift_allowance`).
    pub allowance_on_tax: bool,
    /// The simplified rate that priced the consignment (it may replace the import tax too).
    pub simplified: Option<&'a SimplifiedRateFile>,
}

/// What removed or replaced the tariff for a line.
enum LineRule {
    GiftRelief,
    DeMinimis,
    /// The collection scheme relieves duty (Norway's VOEC).
    Scheme,
    Flat,
    /// A simplified rate in place of the tariff.
    Simplified,
    GiftFlatRate,
    Tariff,
}

pub(crate) fn assess<'a>(
    ctx: &mut Ctx<'a>,
    chosen: &Chosen<'_>,
    documents_only: bool,
) -> Result<DutyOutcome<'a>, Error> {
    let version = ctx.version;
    let rules = &version.rules;
    let decl = ctx.decl;

    let threshold = match rules.de_minimis.duty.as_ref().filter(|t| {
        t.transactions
            .as_ref()
            .is_none_or(|tx| tx.contains(&decl.transaction))
    }) {
        Some(t)
            if super::threshold::gate_open(ctx, t.when_option.as_ref(), "the duty de minimis")? =>
        {
            Some(t)
        }
        _ => None,
    };
    let de_minimis = de_minimis_outcome(ctx, rules.de_minimis.duty.as_ref())?;
    let resolved = threshold
        .map(|t| super::threshold::resolve(ctx, t))
        .transpose()?;

    let gift = gift_relief(ctx);
    let (gift_relieved, gift_flat) = match gift {
        Some(g) => {
            let value = ctx.basis_value(g.basis);
            let relieved = value <= g.amount.0;
            let flat = (!relieved)
                .then_some(g.flat_rate.as_ref())
                .flatten()
                .filter(|f| ctx.basis_value(f.basis) <= f.ceiling.0);
            ctx.tracer.step("gift_relief", || {
                (
                    ctx.rule("gift_relief"),
                    g.source.clone(),
                    match (relieved, flat) {
                        (true, _) => format!("gift consignment: {} value {value} is at or below {}: {:?} relieved", g.basis.as_str(), g.amount.0, g.relieves),
                        (false, Some(f)) => format!("gift consignment: {} value {value} is above {} and at or below {}: flat duty rate {}%", g.basis.as_str(), g.amount.0, f.ceiling.0, f.rate.0),
                        (false, None) if g.mode == GiftMode::Allowance => format!("gift consignment: {} value {value} is above {}: {:?} due on the excess only (allowance)", g.basis.as_str(), g.amount.0, g.relieves),
                        (false, None) => format!("gift consignment: {} value {value} is above {}: no relief", g.basis.as_str(), g.amount.0),
                    },
                )
            });
            (relieved, flat)
        }
        None => (false, None),
    };
    // Above an allowance, the relieved charges fall on the excess only.
    let allowance = match gift {
        Some(g) if !gift_relieved && g.mode == GiftMode::Allowance => share_allowance(ctx, g)?,
        _ => Decimal::ZERO,
    };
    let allowance_on_duty =
        !allowance.is_zero() && gift.is_some_and(|g| g.relieves.contains(&Charge::Duty));
    let flat = flat_duty_in_scope(ctx, chosen)?;
    // When the reliefs leave no line to price (Mexico's exempt tier: at or below USD 50 from
    // the US), no simplified rate applies: otherwise it would be reported as the rule that
    // priced the consignment and would take the import tax with it, hiding the tax relief.
    let all_relieved = decl
        .items
        .iter()
        .zip(&ctx.lines)
        .filter(|(item, _)| item.nature != Nature::Document)
        .all(|(item, line)| {
            let hs = item.hs_code.as_deref();
            (gift_relieved
                && gift.is_some_and(|g| {
                    g.relieves.contains(&Charge::Duty) && excluded_by(&g.excluded, hs).is_none()
                }))
                || threshold.is_some_and(|t| {
                    resolved
                        .as_ref()
                        .is_some_and(|r| super::threshold::relieves(ctx, t, r, line))
                        && excluded_by(&t.excluded, hs).is_none()
                })
        });
    let simplified = if documents_only || flat.is_some() || all_relieved {
        None
    } else {
        super::simplified::choose(ctx, chosen)?
    };
    let mut simplified_lines = Vec::new();

    let mut lines = Vec::with_capacity(decl.items.len());
    let mut flat_groups: BTreeMap<&str, (usize, Decimal)> = BTreeMap::new();
    let mut dm_applied = false;
    // Lines whose duty comes from the tariff (or from a duty replacing it): the ones additional
    // duties by origin are charged on.
    let mut from_tariff = Vec::new();
    if let Some(t) = threshold.filter(|t| !t.excluded_origins.is_empty()) {
        // Relief depends on the origin: an undeclared one must not be guessed either way.
        if let Some(i) = decl
            .items
            .iter()
            .position(|it| it.nature != Nature::Document && it.origin.is_none())
        {
            return Err(Error::at(
                ErrorCode::MissingField,
                format!("items[{i}].origin"),
                format!(
                    "the country of origin is needed: the duty de minimis excludes goods originating in {}",
                    t.excluded_origins.join(", ")
                ),
            ));
        }
    }
    for (i, item) in decl.items.iter().enumerate() {
        if item.nature == Nature::Document {
            continue;
        }
        let hs = item.hs_code.as_deref();
        let line = &ctx.lines[i];
        let rule = if gift_relieved
            && gift.is_some_and(|g| {
                g.relieves.contains(&Charge::Duty) && excluded_by(&g.excluded, hs).is_none()
            }) {
            LineRule::GiftRelief
        } else if threshold.is_some_and(|t| {
            resolved
                .as_ref()
                .is_some_and(|r| super::threshold::relieves(ctx, t, r, line))
                && excluded_by(&t.excluded, hs).is_none()
                && !origin_excluded(t, item)
        }) {
            dm_applied = true;
            LineRule::DeMinimis
        } else if chosen.scheme.is_some_and(|s| s.relieves_duty) {
            LineRule::Scheme
        } else if flat.is_some() {
            LineRule::Flat
        } else if simplified.is_some() {
            LineRule::Simplified
        } else if gift_flat.is_some()
            && gift.is_some_and(|g| excluded_by(&g.excluded, hs).is_none())
        {
            LineRule::GiftFlatRate
        } else {
            LineRule::Tariff
        };
        let customs = if allowance_on_duty {
            (line.customs - line.gift_allowance).max(Decimal::ZERO)
        } else {
            line.customs
        };
        // The value the rate applied to, as reported; only the tariff rounds it.
        let mut base = customs;
        let (rate, amount, basis) = match rule {
            LineRule::GiftRelief => (
                version.texts.relief_gift.clone(),
                Decimal::ZERO,
                "gift_relief",
            ),
            LineRule::DeMinimis => (
                version.texts.relief_de_minimis.clone(),
                Decimal::ZERO,
                "de_minimis",
            ),
            LineRule::Scheme => {
                let scheme = chosen.scheme.ok_or_else(overflow)?;
                ctx.tracer.step("duty", || {
                    (
                        ctx.rule(&format!("schemes.{}", scheme.id)),
                        scheme.source.clone(),
                        format!(
                            "item {i}: goods under {} are relieved of customs duty",
                            scheme.id
                        ),
                    )
                });
                (
                    std::sync::Arc::from(format!("relieved ({})", scheme.id)),
                    Decimal::ZERO,
                    "scheme",
                )
            }
            LineRule::Flat => {
                let flat = flat.as_ref().ok_or_else(overflow)?;
                let digits = usize::from(flat.hs_digits);
                if let Some(code) = hs {
                    let key = &code[..digits.min(code.len())];
                    let entry = flat_groups.entry(key).or_insert((i, Decimal::ZERO));
                    entry.1 = add(entry.1, customs)?;
                }
                continue;
            }
            LineRule::Simplified => {
                let rule = simplified.ok_or_else(overflow)?;
                let rate = super::simplified::line_rate(rule, i, hs)?;
                let amount = percent_of(customs, rate)?;
                ctx.tracer.step("duty", || {
                    (
                        ctx.rule(&format!("simplified_rates.{}", rule.id)),
                        rule.source.clone(),
                        format!(
                            "item {i}: {}% of customs value {customs} = {amount}",
                            rate.normalize()
                        ),
                    )
                });
                simplified_lines.push(lines.len());
                (
                    std::sync::Arc::from(format!("{}% ({})", rate.normalize(), rule.id)),
                    amount,
                    "simplified_rate",
                )
            }
            LineRule::GiftFlatRate => {
                let f = gift_flat.ok_or_else(overflow)?;
                // Goods the tariff already lets in free stay free: the flat rate replaces a
                // duty, it does not create one.
                let free = hs
                    .and_then(|h| version.tariff.lookup(h))
                    .is_some_and(|l| l.duty.is_free());
                let amount = if free {
                    Decimal::ZERO
                } else {
                    percent_of(customs, f.rate.0)?
                };
                (
                    std::sync::Arc::from(format!("{}% (gift flat rate)", f.rate.0)),
                    amount,
                    "gift_flat_rate",
                )
            }
            LineRule::Tariff => {
                from_tariff.push(i);
                if super::additional::replaces_tariff(ctx, i)? {
                    continue;
                }
                let code = hs.ok_or_else(|| {
                    Error::at(
                        ErrorCode::MissingField,
                        format!("items[{i}].hs_code"),
                        "an HS code is needed to find the duty rate",
                    )
                })?;
                let tariff_line = version.tariff.lookup(code).ok_or_else(|| {
                    Error::at(
                        ErrorCode::HsNoTariffLine,
                        format!("items[{i}].hs_code"),
                        format!(
                            "HS {code} matches no line of the {} tariff ({} lines loaded); load the full tariff with --tariff or correct the code",
                            version.label,
                            version.tariff.lines().len()
                        ),
                    )
                })?;
                // Japan computes duty on the customs value truncated to JPY 1,000.
                if let Some(r) = &version.rounding.tax_base {
                    base = round(r, customs)?;
                }
                let gross_mass_kg = match (item.gross_mass_kg, version.rounding.gross_mass) {
                    (Some(m), Some(rule)) => Some(round(&rule, m.0)?),
                    (m, _) => m.map(|q| q.0),
                };
                let inputs = DutyInputs {
                    value: base,
                    quantity: item.quantity.0,
                    net_mass_kg: item.net_mass_kg.map(|q| q.0),
                    gross_mass_kg,
                    litres: (item.quantity_unit == QuantityUnit::L).then_some(item.quantity.0),
                };
                let amount = tariff_line.duty.evaluate(&inputs).map_err(|e| match e {
                    DutyExprError::MissingInput { what, .. } => Error::at(
                        ErrorCode::MissingDutyInput,
                        format!(
                            "items[{i}].{}",
                            match what {
                                "gross mass" => "gross_mass_kg",
                                w if w.contains("mass") => "net_mass_kg",
                                _ => "quantity",
                            }
                        ),
                        e.to_string(),
                    ),
                    DutyExprError::Overflow { .. } => overflow(),
                    other => Error::at(
                        ErrorCode::InvalidExpression,
                        format!("items[{i}].hs_code"),
                        other.to_string(),
                    ),
                })?;
                ctx.tracer.step("duty", || {
                    (
                        ctx.rule(&format!("tariff.lines[{}]", tariff_line.hs)),
                        tariff_line.source.clone(),
                        format!(
                            "item {i}: HS {code} → line {} ({}): {} on {base}{}{} = {amount}",
                            tariff_line.hs,
                            tariff_line.description,
                            tariff_line.duty.text(),
                            if base == customs {
                                String::new()
                            } else {
                                format!(" (customs value {customs} rounded by rounding.tax_base)")
                            },
                            match (tariff_line.duty.needs().gross_mass, item.gross_mass_kg, gross_mass_kg) {
                                (true, Some(declared), Some(used)) => format!(
                                    " and gross mass {} kg (declared {}, rounded per rounding.gross_mass)",
                                    used, declared.0
                                ),
                                _ => String::new(),
                            }
                        ),
                    )
                });
                (tariff_line.text.clone(), amount, "tariff")
            }
        };
        lines.push(DutyLine {
            item: i,
            hs_code: item.hs_code.clone(),
            rate,
            base: ctx.out(base),
            amount: ctx.out(amount),
            basis,
        });
    }
    if let Some(flat) = &flat {
        let mut groups: Vec<_> = flat_groups.into_iter().collect();
        groups.sort_by_key(|(_, (first, _))| *first);
        for (key, (first, base)) in groups {
            ctx.tracer.step("duty", || {
                (
                    ctx.rule("flat_duty"),
                    flat.source.clone(),
                    format!(
                        "tariff subheading {key} (first at item {first}): flat {} per subheading",
                        flat.amount.0
                    ),
                )
            });
            lines.push(DutyLine {
                item: first,
                hs_code: Some(key.into()),
                rate: version
                    .texts
                    .flat_duty
                    .clone()
                    .unwrap_or_else(|| std::sync::Arc::from("flat")),
                base: ctx.out(base),
                amount: ctx.out(flat.amount.0),
                basis: "flat_duty",
            });
        }
        lines.sort_by_key(|l| l.item);
    }
    if let Some((rule, deduction)) = simplified.and_then(|r| r.deduction.map(|d| (r, d.0))) {
        let rounding = &ctx.version.rounding.duty;
        let mut amounts = Vec::with_capacity(simplified_lines.len());
        for &k in &simplified_lines {
            amounts.push(round(rounding, lines[k].amount.0)?);
        }
        let before = amounts
            .iter()
            .try_fold(Decimal::ZERO, |acc, a| add(acc, *a))?;
        let after = super::simplified::deduct(&amounts, deduction, ctx.version.currency_scale)?;
        for (&k, amount) in simplified_lines.iter().zip(&after) {
            lines[k].amount = ctx.out(*amount);
            lines[k].rate = std::sync::Arc::from(format!("{} − {deduction} shared", lines[k].rate));
        }
        ctx.tracer.step("duty", || {
            (
                ctx.rule(&format!("simplified_rates.{}.deduction", rule.id)),
                rule.source.clone(),
                format!(
                    "{before} less the deduction {deduction} (shared over the lines in proportion to their amounts, never below zero) = {}",
                    after.iter().copied().sum::<Decimal>()
                ),
            )
        });
    }
    let extra = super::additional::assess(ctx, &from_tariff)?;
    if !extra.is_empty() {
        lines.extend(extra);
        // Stable: each item's tariff line stays ahead of the duties added to it.
        lines.sort_by_key(|l| l.item);
    }
    let (total, carried) = round_lines(ctx, &mut lines)?;
    // Surcharges are computed on the rounded duty, and a minimum collectable looks at the
    // duty the consignment owes in all.
    let (surcharges, surcharged) = super::surcharge::on_duty(ctx, &lines)?;
    lines.extend(surcharges);
    let total = add(total, surcharged)?;
    let total = apply_minimum(ctx, &mut lines, total)?;
    // Keep each line's duty for the import tax base: its own rounded duty, without the
    // difference a consignment-scope total carried onto it (Japan's consumption-tax base adds
    // each line's duty after rounding, Customs Answer 1111).
    for (at, l) in lines.iter().enumerate() {
        let carry = match carried {
            Some((c, diff)) if c == at && l.basis != "minimum_collectable" => diff,
            _ => Decimal::ZERO,
        };
        if let Some(line) = ctx.lines.get_mut(l.item) {
            line.duty = add(line.duty, l.amount.0 - carry)?;
        }
    }
    let mut de_minimis = de_minimis;
    de_minimis.applies = dm_applied;
    if !documents_only {
        trace_de_minimis(ctx, "duty", threshold, &de_minimis);
    }
    Ok(DutyOutcome {
        lines,
        total,
        de_minimis,
        gift_relieves_tax: gift_relieved && gift.is_some_and(|g| g.relieves.contains(&Charge::Tax)),
        allowance_on_tax: !allowance.is_zero()
            && gift.is_some_and(|g| g.relieves.contains(&Charge::Tax)),
        simplified,
    })
}

/// Shares a gift allowance over the lines it covers (goods, not excluded), in proportion to
/// their customs value with cumulative rounding so the shares add up exactly; never more than
/// those lines are worth. Returns the amount shared.
fn share_allowance(ctx: &mut Ctx<'_>, g: &GiftReliefFile) -> Result<Decimal, Error> {
    let decl = ctx.decl;
    let covered: Vec<usize> = decl
        .items
        .iter()
        .enumerate()
        .filter(|(_, item)| {
            item.nature != Nature::Document
                && excluded_by(&g.excluded, item.hs_code.as_deref()).is_none()
        })
        .map(|(i, _)| i)
        .collect();
    let mut parts: Vec<super::Line> = covered
        .iter()
        .map(|&i| super::Line {
            value: ctx.lines[i].customs,
            ..super::Line::default()
        })
        .collect();
    let worth = parts
        .iter()
        .try_fold(Decimal::ZERO, |acc, l| add(acc, l.value))?;
    let total = g.amount.0.min(worth);
    super::apportion(total, &mut parts, ctx.version.currency_scale, |l, share| {
        l.gift_allowance = share
    })?;
    for (&i, part) in covered.iter().zip(&parts) {
        ctx.lines[i].gift_allowance = part.gift_allowance;
    }
    ctx.tracer.step("gift_relief", || {
        (
            ctx.rule("gift_relief"),
            g.source.clone(),
            format!(
                "gift allowance: the first {total} stays relieved of {:?}; shares deducted from the customs value of items {covered:?}: {:?}",
                g.relieves,
                parts.iter().map(|p| p.gift_allowance).collect::<Vec<_>>()
            ),
        )
    });
    Ok(total)
}

/// Rounds the duty lines per the regime and returns the total, and where a difference was
/// carried. With consignment scope, the total is rounded once and the difference is carried by
/// the last non-zero line, so that the lines still add up to the total.
fn round_lines(
    ctx: &Ctx<'_>,
    lines: &mut [DutyLine],
) -> Result<(Decimal, Option<(usize, Decimal)>), Error> {
    let rule = &ctx.version.rounding.duty;
    let scope = ctx.version.rules.rounding.duty.scope;
    let mut unrounded = Decimal::ZERO;
    let mut total = Decimal::ZERO;
    for l in lines.iter_mut() {
        unrounded = add(unrounded, l.amount.0)?;
        l.amount = ctx.out(round(rule, l.amount.0)?);
        total = add(total, l.amount.0)?;
    }
    let mut carried = None;
    if scope == RoundingScope::Consignment {
        let once = round(rule, unrounded)?;
        if let Some((at, last)) = lines
            .iter_mut()
            .enumerate()
            .rev()
            .find(|(_, l)| !l.amount.0.is_zero())
        {
            last.amount = ctx.out(add(last.amount.0, once - total)?);
            carried = Some((at, once - total));
        }
        total = once;
    }
    Ok((total, carried))
}

fn apply_minimum(
    ctx: &mut Ctx<'_>,
    lines: &mut [DutyLine],
    total: Decimal,
) -> Result<Decimal, Error> {
    let Some(min) = ctx.version.rules.minimum_collectable.as_ref() else {
        return Ok(total);
    };
    let Some(floor) = min.duty else {
        return Ok(total);
    };
    // The option is asked only when the minimum would change the result.
    if total.is_zero()
        || total >= floor.0
        || !super::threshold::gate_open(
            ctx,
            min.when_option.as_ref(),
            "the minimum collectable duty",
        )?
    {
        return Ok(total);
    }
    ctx.tracer.step("duty", || {
        (
            ctx.rule("minimum_collectable.duty"),
            min.source.clone(),
            format!(
                "duty total {total} is below the minimum collectable {}: waived",
                floor.0
            ),
        )
    });
    for l in lines.iter_mut() {
        l.amount = ctx.out(Decimal::ZERO);
        l.basis = "minimum_collectable";
    }
    Ok(Decimal::ZERO)
}

/// Whether the threshold never relieves this item's goods because of their origin.
pub(crate) fn origin_excluded(t: &Threshold, item: &crate::declaration::Item) -> bool {
    !t.excluded_origins.is_empty()
        && item
            .origin
            .as_deref()
            .is_some_and(|o| t.excluded_origins.iter().any(|x| x == o))
}

pub(crate) fn line_basis_value(basis: Basis, line: &super::Line) -> Decimal {
    match basis {
        Basis::Intrinsic => line.value,
        Basis::IntrinsicPlusTransport => line.value + line.transport,
        Basis::CustomsValue => line.customs,
        Basis::TaxAmount => Decimal::MAX,
    }
}

/// Records a de minimis test (or the absence of one) in the trace.
pub(crate) fn trace_de_minimis(
    ctx: &Ctx<'_>,
    kind: &'static str,
    threshold: Option<&Threshold>,
    outcome: &DeMinimisOutcome,
) {
    ctx.tracer.step("de_minimis", || {
        let rule = ctx.rule(&format!("de_minimis.{kind}"));
        match threshold {
            Some(t) => (
                rule,
                t.source.clone(),
                format!(
                    "{kind} de minimis {} {} per {:?} on {} value {}{}: {}",
                    outcome.threshold.as_ref().map_or(t.amount.0, |a| a.0),
                    ctx.regime.currency,
                    t.unit,
                    outcome.basis.unwrap_or(t.basis).as_str(),
                    outcome
                        .basis_value
                        .map(|a| a.0.to_string())
                        .unwrap_or_default(),
                    super::threshold::resolve(ctx, t)
                        .map(|r| super::threshold::describe(ctx, t, &r))
                        .unwrap_or_default(),
                    if outcome.applies {
                        "relief applies"
                    } else {
                        "no relief"
                    }
                ),
            ),
            None => (
                rule,
                ctx.version.rules.source.clone(),
                format!(
                    "{} has no {kind} de minimis: {kind} is due whatever the value",
                    ctx.version.label
                ),
            ),
        }
    });
}

/// The de minimis outcome as reported (whether it applied is filled in by the caller).
pub(crate) fn de_minimis_outcome(
    ctx: &Ctx<'_>,
    threshold: Option<&Threshold>,
) -> Result<DeMinimisOutcome, Error> {
    Ok(match threshold {
        None => DeMinimisOutcome {
            applies: false,
            threshold: None,
            basis: None,
            unit: None,
            basis_value: None,
        },
        Some(t) => {
            let resolved = super::threshold::resolve(ctx, t)?;
            let value = match (t.unit, resolved.basis) {
                (_, Basis::TaxAmount) => None,
                (ThresholdUnit::Consignment, b) => Some(ctx.basis_value(b)),
                (ThresholdUnit::Item, b) => ctx.lines.iter().map(|l| line_basis_value(b, l)).max(),
            };
            DeMinimisOutcome {
                applies: false,
                threshold: Some(ctx.out(resolved.amount)),
                basis: Some(resolved.basis),
                unit: Some(t.unit),
                basis_value: value.map(|v| ctx.out(v)),
            }
        }
    })
}

/// The gift relief rule, when the consignment is a gift it covers.
fn gift_relief<'a>(ctx: &Ctx<'a>) -> Option<&'a GiftReliefFile> {
    let gift = ctx.version.rules.gift_relief.as_ref()?;
    let items = &ctx.decl.items;
    let all_gifts = items
        .iter()
        .all(|i| matches!(i.nature, Nature::Gift | Nature::Document))
        && items.iter().any(|i| i.nature == Nature::Gift);
    (all_gifts && gift.transactions.contains(&ctx.decl.transaction)).then_some(gift)
}

/// The flat duty rule, when this consignment is in its scope.
fn flat_duty_in_scope<'a>(
    ctx: &mut Ctx<'a>,
    chosen: &Chosen<'_>,
) -> Result<Option<&'a FlatDutyFile>, Error> {
    let Some(flat) = ctx.version.rules.flat_duty.as_ref() else {
        return Ok(None);
    };
    if flat
        .transactions
        .as_ref()
        .is_some_and(|t| !t.contains(&ctx.decl.transaction))
    {
        return Ok(None);
    }
    let value = ctx.basis_value(flat.ceiling.basis);
    if value > flat.ceiling.amount.0 {
        return Ok(None);
    }
    let Some(option) = &flat.scope_option else {
        return Ok(Some(flat));
    };
    let narrow = chosen.tax_point() == TaxPoint::AtSale && chosen.id() == Some("IOSS")
        || ctx.decl.channel == Channel::Postal;
    let reading = ctx.option(option)?.to_string();
    let in_scope = match reading.as_str() {
        "all_distance_sales" => true,
        "ioss_and_postal" => narrow,
        // "reject": fail only when the readings disagree for this consignment.
        _ if narrow => true,
        _ => {
            return Err(Error::at(
                ErrorCode::UncertainRule,
                format!("options.{option}"),
                format!(
                    "whether the flat duty applies to this consignment (not IOSS, not postal) depends on {option}, which the caller chose to reject: {}",
                    ctx.version.rules.options.get(option).map(|o| o.question.as_str()).unwrap_or("")
                ),
            ))
        }
    };
    ctx.tracer.step("duty", || {
        (
            ctx.rule("flat_duty"),
            flat.source.clone(),
            format!(
                "{} value {value} is at or below {}; scope reading {option}={reading}: {}",
                flat.ceiling.basis.as_str(),
                flat.ceiling.amount.0,
                if in_scope {
                    "flat duty replaces the tariff"
                } else {
                    "out of scope, tariff applies"
                }
            ),
        )
    });
    Ok(in_scope.then_some(flat))
}
