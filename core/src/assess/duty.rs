//! Customs duty: each line priced by the rule [`line_rule`] picks for it (a relief, the flat
//! duty, a simplified rate, the gift flat rate or the tariff), then the consignment's steps:
//! the flat duty per subheading, a simplified rate's deduction, additional duties by origin,
//! rounding, surcharges and the minimum collectable.

use std::sync::Arc;

use rust_decimal::Decimal;

use super::collection::Chosen;
use super::relief::{line_rule, DutyReliefs, LineRule};
use super::{add, percent_of, round, threshold, Ctx};
use crate::declaration::{Item, Nature};
use crate::error::{Error, ErrorCode};
use crate::regime::pack::{
    Charge, FlatDutyFile, FlatDutyPer, GiftFlatRate, RoundingScope, SchemeFile, SimplifiedRateFile,
};
use crate::result::{DeMinimisOutcome, DutyBasis, DutyLine};
use crate::trace::Step;

/// The duty side of an assessment.
pub(crate) struct DutyOutcome<'a> {
    pub lines: Vec<DutyLine>,
    pub total: Decimal,
    pub de_minimis: DeMinimisOutcome,
    /// The reliefs the lines were priced under (the gift relief and a simplified rate also
    /// concern the tax).
    pub reliefs: DutyReliefs<'a>,
    /// Each item's duty as the import tax base adds it: its own rounded duty, without the
    /// difference a consignment-scope total carried onto it (Japan's consumption-tax base adds
    /// each line's duty after rounding, Customs Answer 1111).
    pub item_duty: Vec<Decimal>,
}

/// Prices every line's duty and totals it.
pub(crate) fn assess<'a>(
    ctx: &Ctx<'a>,
    chosen: &Chosen<'a>,
    documents_only: bool,
) -> Result<DutyOutcome<'a>, Error> {
    let (active, mut de_minimis) = threshold::for_charge(
        ctx,
        ctx.version.rules.de_minimis.duty.as_ref(),
        "the duty de minimis",
    )?;
    let traced = active.as_ref().map(|a| a.threshold);
    let reliefs = super::relief::decide(ctx, chosen, active, documents_only)?;
    let mut priced = Priced::default();
    for (i, item) in ctx.decl.items.iter().enumerate() {
        if item.nature != Nature::Document {
            let rule = line_rule(ctx, &reliefs, item, &ctx.values.lines[i]);
            priced.line(ctx, &reliefs, i, item, rule)?;
        }
    }
    de_minimis.applies = priced.de_minimis_applied;
    let mut lines = priced.finish(ctx, &reliefs)?;
    let (total, carried) = round_lines(ctx, &mut lines)?;
    // Surcharges are computed on the rounded duty, and a minimum collectable looks at the
    // duty the consignment owes in all.
    let (surcharges, surcharged) = super::surcharge::on_duty(ctx, &lines, reliefs.simplified)?;
    lines.extend(surcharges);
    let total = add(total, surcharged)?;
    let total = apply_minimum(ctx, &mut lines, total)?;
    let item_duty = item_duty(ctx, &lines, carried)?;
    if !documents_only {
        threshold::trace_de_minimis(ctx, "duty", traced, &de_minimis);
    }
    Ok(DutyOutcome {
        lines,
        total,
        de_minimis,
        reliefs,
        item_duty,
    })
}

/// One line's duty before rounding.
struct LineDuty {
    /// Text of the rate applied.
    rate: Arc<str>,
    /// The value the rate applied to, as reported.
    base: Decimal,
    amount: Decimal,
    basis: DutyBasis,
    /// The tariff file's revision and line, for a line priced from one.
    tariff: Option<crate::result::TariffCitation>,
}

/// The lines priced so far, and what the consignment's steps after them need.
#[derive(Default)]
struct Priced<'d> {
    lines: Vec<DutyLine>,
    /// Under the flat duty: each item it covers, with its customs value; grouped per
    /// subheading or per declaration line in `finish`.
    flat_items: Vec<(usize, &'d Item, Decimal)>,
    /// Indices in `lines` of the lines a simplified rate priced (its deduction is shared
    /// over them).
    simplified: Vec<usize>,
    /// Items whose duty comes from the tariff (or from a duty replacing it): the ones
    /// additional duties by origin are charged on.
    from_tariff: Vec<usize>,
    de_minimis_applied: bool,
}

impl<'d> Priced<'d> {
    /// Prices item `i` under `rule`.
    fn line(
        &mut self,
        ctx: &Ctx<'_>,
        reliefs: &DutyReliefs<'_>,
        i: usize,
        item: &'d Item,
        rule: LineRule<'_>,
    ) -> Result<(), Error> {
        let customs = match &reliefs.gift {
            Some(g) if g.allowance_on(Charge::Duty) => {
                (ctx.values.lines[i].customs - g.allowance[i]).max(Decimal::ZERO)
            }
            _ => ctx.values.lines[i].customs,
        };
        let texts = &ctx.version.texts;
        let hs = item.hs_code.as_deref();
        let duty = match rule {
            LineRule::GiftRelief => {
                relieved(texts.relief_gift.clone(), customs, DutyBasis::GiftRelief)
            }
            LineRule::DeMinimis => {
                self.de_minimis_applied = true;
                relieved(
                    texts.relief_de_minimis.clone(),
                    customs,
                    DutyBasis::DeMinimis,
                )
            }
            LineRule::Scheme(scheme) => scheme_relief(ctx, scheme, i, customs),
            LineRule::Flat => {
                if hs.is_some() {
                    self.flat_items.push((i, item, customs));
                }
                return Ok(());
            }
            LineRule::Simplified(rate) => {
                self.simplified.push(self.lines.len());
                simplified_duty(ctx, rate, i, hs, customs)?
            }
            LineRule::GiftFlatRate(flat) => gift_flat_duty(ctx, flat, hs, customs)?,
            LineRule::Tariff => {
                self.from_tariff.push(i);
                if super::additional::replaces_tariff(ctx, i)? {
                    return Ok(());
                }
                let priced = super::tariff::duty(ctx, i, item, customs)?;
                LineDuty {
                    rate: priced.rate,
                    base: priced.base,
                    amount: priced.amount,
                    basis: DutyBasis::Tariff,
                    tariff: priced.citation,
                }
            }
        };
        self.lines.push(DutyLine {
            item: i,
            hs_code: item.hs_code.clone(),
            rate: duty.rate,
            base: ctx.out(duty.base),
            amount: ctx.out(duty.amount),
            basis: duty.basis,
            tariff: duty.tariff,
        });
        Ok(())
    }

    /// The consignment's steps on the priced lines: one flat duty per subheading, a simplified
    /// rate's deduction, the additional duties by origin. Returns the lines in item order.
    fn finish(self, ctx: &Ctx<'_>, reliefs: &DutyReliefs<'_>) -> Result<Vec<DutyLine>, Error> {
        let mut lines = self.lines;
        if let Some(flat) = reliefs.flat {
            let per = flat_per(ctx, flat, &self.flat_items)?;
            lines.extend(flat_lines(ctx, flat, per, &self.flat_items)?);
            lines.sort_by_key(|l| l.item);
        }
        if let Some(rate) = reliefs.simplified {
            deduct(ctx, rate, &mut lines, &self.simplified)?;
        }
        let extra = super::additional::assess(ctx, &self.from_tariff)?;
        if !extra.is_empty() {
            lines.extend(extra);
            // Stable: each item's tariff line stays ahead of the duties added to it.
            lines.sort_by_key(|l| l.item);
        }
        Ok(lines)
    }
}

/// A line a relief leaves free of duty.
fn relieved(rate: Arc<str>, customs: Decimal, basis: DutyBasis) -> LineDuty {
    LineDuty {
        rate,
        base: customs,
        amount: Decimal::ZERO,
        basis,
        tariff: None,
    }
}

/// A line the collection scheme relieves of duty.
fn scheme_relief(ctx: &Ctx<'_>, scheme: &SchemeFile, i: usize, customs: Decimal) -> LineDuty {
    ctx.tracer.step(Step::Duty, || {
        (
            ctx.rule(&format!("schemes.{}", scheme.id)),
            scheme.source.clone(),
            format!(
                "item {i}: goods under {} are relieved of customs duty",
                scheme.id
            ),
        )
    });
    relieved(
        Arc::from(format!("relieved ({})", scheme.id)),
        customs,
        DutyBasis::Scheme,
    )
}

/// A line priced by a simplified rate: the rate for its goods on its customs value.
fn simplified_duty(
    ctx: &Ctx<'_>,
    rule: &SimplifiedRateFile,
    i: usize,
    hs: Option<&str>,
    customs: Decimal,
) -> Result<LineDuty, Error> {
    let rate = super::simplified::line_rate(rule, i, hs)?;
    let amount = percent_of(customs, rate)?;
    ctx.tracer.step(Step::Duty, || {
        (
            ctx.rule(&format!("simplified_rates.{}", rule.id)),
            rule.source.clone(),
            format!(
                "item {i}: {}% of customs value {customs} = {amount}",
                rate.normalize()
            ),
        )
    });
    Ok(LineDuty {
        rate: Arc::from(format!("{}% ({})", rate.normalize(), rule.id)),
        base: customs,
        amount,
        basis: DutyBasis::SimplifiedRate,
        tariff: None,
    })
}

/// A gift above the relief priced at the gift flat rate.
fn gift_flat_duty(
    ctx: &Ctx<'_>,
    flat: &GiftFlatRate,
    hs: Option<&str>,
    customs: Decimal,
) -> Result<LineDuty, Error> {
    // Goods the tariff already lets in free stay free: the flat rate replaces a duty, it does
    // not create one.
    let free = hs.is_some_and(|h| super::tariff::is_free(ctx, h));
    let amount = if free {
        Decimal::ZERO
    } else {
        percent_of(customs, flat.rate.0)?
    };
    Ok(LineDuty {
        rate: Arc::from(format!("{}% (gift flat rate)", flat.rate.0)),
        base: customs,
        amount,
        basis: DutyBasis::GiftFlatRate,
        tariff: None,
    })
}

/// What the flat duty is counted per: the pack's `per`, or the reading of its `per_option`.
/// With `reject` the assessment fails only when the two readings count differently.
fn flat_per(
    ctx: &Ctx<'_>,
    flat: &FlatDutyFile,
    items: &[(usize, &Item, Decimal)],
) -> Result<FlatDutyPer, Error> {
    let Some(option) = &flat.per_option else {
        return Ok(flat.per);
    };
    match ctx.option(option)? {
        "declaration_line" => Ok(FlatDutyPer::DeclarationLine),
        "tariff_subheading" => Ok(FlatDutyPer::TariffSubheading),
        _ => {
            let by = |per| flat_groups(flat, per, items).map(|g| g.len());
            if by(FlatDutyPer::TariffSubheading)? == by(FlatDutyPer::DeclarationLine)? {
                return Ok(FlatDutyPer::TariffSubheading);
            }
            Err(Error::at(
                ErrorCode::UncertainRule,
                format!("options.{option}"),
                format!(
                    "the flat duty counts differently per tariff subheading and per declaration line for this consignment; {option} was rejected: {}",
                    ctx.version.rules.options.get(option).map(|o| o.question.as_str()).unwrap_or("")
                ),
            ))
        }
    }
}

/// The flat duty's groups: a key (subheading, or classification + description + origin) →
/// its declared code, first item and summed customs value, in item order.
fn flat_groups<'d>(
    flat: &FlatDutyFile,
    per: FlatDutyPer,
    items: &[(usize, &'d Item, Decimal)],
) -> Result<Vec<(String, &'d str, usize, Decimal)>, Error> {
    let mut groups: Vec<(String, &'d str, usize, Decimal)> = Vec::new();
    for &(i, item, customs) in items {
        let Some(code) = item.hs_code.as_deref() else {
            continue;
        };
        let key = match per {
            FlatDutyPer::TariffSubheading => {
                code[..usize::from(flat.hs_digits).min(code.len())].to_string()
            }
            FlatDutyPer::DeclarationLine => format!(
                "{code} / {} / {}",
                item.description.as_str().trim().to_lowercase(),
                item.origin.as_deref().unwrap_or("-")
            ),
        };
        match groups.iter_mut().find(|g| g.0 == key) {
            Some(g) => g.3 = add(g.3, customs)?,
            None => groups.push((key, code, i, customs)),
        }
    }
    Ok(groups)
}

/// One flat-duty line per group, at the group's first item.
fn flat_lines(
    ctx: &Ctx<'_>,
    flat: &FlatDutyFile,
    per: FlatDutyPer,
    items: &[(usize, &Item, Decimal)],
) -> Result<Vec<DutyLine>, Error> {
    let rate = ctx
        .version
        .texts
        .flat_duty
        .clone()
        .unwrap_or_else(|| Arc::from("flat"));
    let what = match per {
        FlatDutyPer::TariffSubheading => "tariff subheading",
        FlatDutyPer::DeclarationLine => "declaration line",
    };
    Ok(flat_groups(flat, per, items)?
        .into_iter()
        .map(|(key, code, first, base)| {
            ctx.tracer.step(Step::Duty, || {
                (
                    ctx.rule("flat_duty"),
                    flat.source.clone(),
                    format!(
                        "{what} {key} (first at item {first}): flat {} per {what}{}",
                        flat.amount.0,
                        flat.per_option
                            .as_ref()
                            .map(|o| format!(" (reading {o}={})", per.as_str()))
                            .unwrap_or_default()
                    ),
                )
            });
            let hs = match per {
                FlatDutyPer::TariffSubheading => key,
                FlatDutyPer::DeclarationLine => code.to_string(),
            };
            DutyLine {
                item: first,
                hs_code: Some(hs.as_str().into()),
                rate: rate.clone(),
                base: ctx.out(base),
                amount: ctx.out(flat.amount.0),
                basis: DutyBasis::FlatDuty,
                tariff: None,
            }
        })
        .collect())
}

/// A simplified rate's deduction, shared over the lines it priced (`at`) in proportion to
/// their rounded amounts.
fn deduct(
    ctx: &Ctx<'_>,
    rule: &SimplifiedRateFile,
    lines: &mut [DutyLine],
    at: &[usize],
) -> Result<(), Error> {
    let Some(deduction) = rule.deduction.map(|d| d.0) else {
        return Ok(());
    };
    let rounding = &ctx.version.rounding.duty;
    let mut amounts = Vec::with_capacity(at.len());
    for &k in at {
        amounts.push(round(rounding, lines[k].amount.0)?);
    }
    let before = amounts
        .iter()
        .try_fold(Decimal::ZERO, |acc, a| add(acc, *a))?;
    let after = super::simplified::deduct(&amounts, deduction, ctx.version.currency_scale)?;
    for (&k, amount) in at.iter().zip(&after) {
        lines[k].amount = ctx.out(*amount);
        lines[k].rate = Arc::from(format!("{} − {deduction} shared", lines[k].rate));
    }
    ctx.tracer.step(Step::Duty, || {
        (
            ctx.rule(&format!("simplified_rates.{}.deduction", rule.id)),
            rule.source.clone(),
            format!(
                "{before} less the deduction {deduction} (shared over the lines in proportion to their amounts, never below zero) = {}",
                after.iter().copied().sum::<Decimal>()
            ),
        )
    });
    Ok(())
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

/// The minimum collectable duty: a total below it is waived. Decided with the duty, not
/// after the tax, because the import tax base takes the duty actually collected.
fn apply_minimum(ctx: &Ctx<'_>, lines: &mut [DutyLine], total: Decimal) -> Result<Decimal, Error> {
    let Some(min) = ctx.version.rules.minimum_collectable.as_ref() else {
        return Ok(total);
    };
    let Some(floor) = min.duty else {
        return Ok(total);
    };
    // The option is asked only when the minimum would change the result.
    if total.is_zero()
        || total >= floor.0
        || !threshold::gate_open(
            ctx,
            min.when_option.as_ref(),
            "the minimum collectable duty",
        )?
    {
        return Ok(total);
    }
    ctx.tracer.step(Step::Duty, || {
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
        l.basis = DutyBasis::MinimumCollectable;
    }
    Ok(Decimal::ZERO)
}

/// Each item's duty for the import tax base: the sum of its lines, less the difference a
/// consignment-scope total `carried` onto one of them.
fn item_duty(
    ctx: &Ctx<'_>,
    lines: &[DutyLine],
    carried: Option<(usize, Decimal)>,
) -> Result<Vec<Decimal>, Error> {
    let mut duty = vec![Decimal::ZERO; ctx.values.lines.len()];
    for (at, l) in lines.iter().enumerate() {
        let carry = match carried {
            Some((c, diff)) if c == at && l.basis != DutyBasis::MinimumCollectable => diff,
            _ => Decimal::ZERO,
        };
        if let Some(d) = duty.get_mut(l.item) {
            *d = add(*d, l.amount.0 - carry)?;
        }
    }
    Ok(duty)
}
