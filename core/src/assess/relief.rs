//! What removes or replaces the tariff, decided once per consignment (gift relief, the duty de
//! minimis, a scheme's relief, the flat duty, a simplified rate, the gift flat rate), and the
//! one rule each line falls under: [`line_rule`].

use rust_decimal::Decimal;

use super::collection::Chosen;
use super::threshold::Active;
use super::{add, Ctx, Line};
use crate::declaration::{Channel, Item, Nature};
use crate::error::{Error, ErrorCode};
use crate::regime::excluded_by;
use crate::regime::pack::{
    Charge, FlatDutyFile, GiftFlatRate, GiftMode, GiftReliefFile, SchemeFile, SimplifiedRateFile,
    TaxPoint,
};
use crate::trace::{wire_name, Step};

/// The gift relief, for a consignment it covers.
pub(crate) struct Gift<'a> {
    /// The pack's rule.
    pub rule: &'a GiftReliefFile,
    /// The value is at or below the relief amount: the relieved charges are not due.
    pub relieved: bool,
    /// Above the relief, the flat duty rate that replaces the tariff (within its ceiling).
    pub flat: Option<&'a GiftFlatRate>,
    /// Above an allowance (`mode: allowance`), each item's share of it, deducted from the value
    /// the relieved charges are computed on; all zero otherwise.
    pub allowance: Vec<Decimal>,
    /// The allowance shared (zero when none is).
    pub allowance_total: Decimal,
}

impl Gift<'_> {
    /// Whether the relief concerns `charge`.
    pub fn covers(&self, charge: Charge) -> bool {
        self.rule.relieves.contains(&charge)
    }

    /// Whether the relief relieves `charge` entirely.
    pub fn relieves(&self, charge: Charge) -> bool {
        self.relieved && self.covers(charge)
    }

    /// Whether an allowance is deducted from the base of `charge`.
    pub fn allowance_on(&self, charge: Charge) -> bool {
        !self.allowance_total.is_zero() && self.covers(charge)
    }

    /// Whether the goods of `item` are excluded from the relief.
    fn excludes(&self, item: &Item) -> bool {
        excluded_by(&self.rule.excluded, item.hs_code.as_deref()).is_some()
    }
}

/// Everything that can relieve a line of duty or replace its tariff, for this consignment.
pub(crate) struct DutyReliefs<'a> {
    /// The gift relief, when the consignment is a gift it covers.
    pub gift: Option<Gift<'a>>,
    /// The duty de minimis, when it holds for the consignment.
    pub threshold: Option<Active<'a>>,
    /// The collection scheme, when it relieves duty (Norway's VOEC).
    pub scheme: Option<&'a SchemeFile>,
    /// The flat duty per tariff subheading, when the consignment is in its scope.
    pub flat: Option<&'a FlatDutyFile>,
    /// The simplified rate pricing the consignment, if any.
    pub simplified: Option<&'a SimplifiedRateFile>,
}

impl DutyReliefs<'_> {
    /// No relief (yet): what [`decide`] starts from.
    pub fn none() -> Self {
        DutyReliefs {
            gift: None,
            threshold: None,
            scheme: None,
            flat: None,
            simplified: None,
        }
    }
}

/// The rule that decides one line's duty, with what it needs to price the line.
pub(crate) enum LineRule<'a> {
    /// The gift relief: no duty.
    GiftRelief,
    /// The duty de minimis: no duty.
    DeMinimis,
    /// The collection scheme relieves the duty.
    Scheme(&'a SchemeFile),
    /// The flat duty replaces the tariff (counted per group in the duty stage).
    Flat,
    /// A simplified rate replaces the tariff.
    Simplified(&'a SimplifiedRateFile),
    /// The gift flat rate replaces the tariff.
    GiftFlatRate(&'a GiftFlatRate),
    /// The tariff (and the additional duties by origin on top of it).
    Tariff,
}

impl LineRule<'_> {
    /// Whether the rule removes the duty (rather than pricing it another way).
    fn is_relief(&self) -> bool {
        matches!(self, LineRule::GiftRelief | LineRule::DeMinimis)
    }
}

/// The rule that decides the duty of `item` (valued as `line`), in order of precedence: the
/// reliefs first, then what replaces the tariff, else the tariff. Inlined on native targets,
/// where the duty stage calls it once a line: with the de minimis test inlined in it
/// ([`super::threshold::Active::relieves_item`]), LLVM left it out of line.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub(crate) fn line_rule<'a>(
    ctx: &Ctx<'_>,
    reliefs: &DutyReliefs<'a>,
    item: &Item,
    line: &Line,
) -> LineRule<'a> {
    let gift = reliefs.gift.as_ref().filter(|g| !g.excludes(item));
    if gift.is_some_and(|g| g.relieves(Charge::Duty)) {
        LineRule::GiftRelief
    } else if reliefs
        .threshold
        .as_ref()
        .is_some_and(|t| t.relieves_item(ctx, item, line))
    {
        LineRule::DeMinimis
    } else if let Some(scheme) = reliefs.scheme {
        LineRule::Scheme(scheme)
    } else if reliefs.flat.is_some() {
        LineRule::Flat
    } else if let Some(rate) = reliefs.simplified {
        LineRule::Simplified(rate)
    } else if let Some(flat) = gift.and_then(|g| g.flat) {
        LineRule::GiftFlatRate(flat)
    } else {
        LineRule::Tariff
    }
}

/// Decides the consignment's duty reliefs into `reliefs` (a new [`DutyReliefs::none`] whose
/// `threshold` holds the duty de minimis in force), in place. Traces each relief as it is
/// decided; fails when a rule the caller chose to reject would decide, or when the de minimis
/// needs an origin the declaration does not give.
pub(crate) fn decide<'a>(
    ctx: &Ctx<'a>,
    chosen: &Chosen<'a>,
    documents_only: bool,
    reliefs: &mut DutyReliefs<'a>,
) -> Result<(), Error> {
    reliefs.gift = gift(ctx)?;
    reliefs.flat = flat_duty_in_scope(ctx, chosen)?;
    reliefs.scheme = chosen.scheme.filter(|s| s.relieves_duty);
    // When the reliefs leave no line to price (Mexico's exempt tier: at or below USD 50 from
    // the US), no simplified rate applies: otherwise it would be reported as the rule that
    // priced the consignment and would take the import tax with it, hiding the tax relief.
    // A version without simplified rates (most) chooses none: the lines' rules are not
    // worked out for that (a pass over the lines that the duty stage makes again).
    if !(documents_only
        || reliefs.flat.is_some()
        || ctx.version.rules.simplified_rates.is_empty()
        || goods(ctx).all(|(item, line)| line_rule(ctx, reliefs, item, line).is_relief()))
    {
        reliefs.simplified = super::simplified::choose(ctx, chosen)?;
    }
    if let Some(t) = reliefs
        .threshold
        .as_ref()
        .filter(|t| !t.threshold.excluded_origins.is_empty())
    {
        // Relief depends on the origin: an undeclared one must not be guessed either way.
        if let Some(i) = ctx
            .decl
            .items
            .iter()
            .position(|it| it.nature != Nature::Document && it.origin.is_none())
        {
            return Err(Error::at(
                ErrorCode::MissingField,
                format!("items[{i}].origin"),
                format!(
                    "the country of origin is needed: the duty de minimis excludes goods originating in {}",
                    t.threshold.excluded_origins.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// The goods (not documents) of the declaration with their values.
pub(crate) fn goods<'c>(ctx: &'c Ctx<'_>) -> impl Iterator<Item = (&'c Item, &'c Line)> {
    ctx.decl
        .items
        .iter()
        .zip(&ctx.values.lines)
        .filter(|(item, _)| item.nature != Nature::Document)
}

/// The gift relief, when the consignment is a gift it covers: relieved, at a flat rate, or
/// with an allowance shared over its lines. Traces the decision.
fn gift<'a>(ctx: &Ctx<'a>) -> Result<Option<Gift<'a>>, Error> {
    let Some(rule) = covering_gift_relief(ctx) else {
        return Ok(None);
    };
    let value = ctx.basis_value(rule.basis);
    let relieved = crate::exact::cmp(value, rule.amount.0).is_le();
    let flat = (!relieved)
        .then_some(rule.flat_rate.as_ref())
        .flatten()
        .filter(|f| crate::exact::cmp(ctx.basis_value(f.basis), f.ceiling.0).is_le());
    ctx.tracer.step(Step::GiftRelief, || {
        let head = format!("gift consignment: {} value {value} is", rule.basis.as_str());
        let amount = rule.amount.0;
        (
            ctx.rule("gift_relief"),
            rule.source.clone(),
            match (relieved, flat) {
                (true, _) => format!(
                    "{head} at or below {amount}: {} relieved",
                    wire_name(&rule.relieves)
                ),
                (false, Some(f)) => format!(
                    "{head} above {amount} and at or below {}: flat duty rate {}%",
                    f.ceiling.0, f.rate.0
                ),
                (false, None) if rule.mode == GiftMode::Allowance => format!(
                    "{head} above {amount}: {} due on the excess only (allowance)",
                    wire_name(&rule.relieves)
                ),
                (false, None) => format!("{head} above {amount}: no relief"),
            },
        )
    });
    let mut gift = Gift {
        rule,
        relieved,
        flat,
        allowance: vec![Decimal::ZERO; ctx.values.lines.len()],
        allowance_total: Decimal::ZERO,
    };
    // Above an allowance, the relieved charges fall on the excess only.
    if !relieved && rule.mode == GiftMode::Allowance {
        share_allowance(ctx, &mut gift)?;
    }
    Ok(Some(gift))
}

/// The gift relief rule, when the consignment is a gift it covers.
fn covering_gift_relief<'a>(ctx: &Ctx<'a>) -> Option<&'a GiftReliefFile> {
    let gift = ctx.version.rules.gift_relief.as_ref()?;
    let items = &ctx.decl.items;
    let all_gifts = items
        .iter()
        .all(|i| matches!(i.nature, Nature::Gift | Nature::Document))
        && items.iter().any(|i| i.nature == Nature::Gift);
    (all_gifts && gift.transactions.contains(&ctx.decl.transaction)).then_some(gift)
}

/// Shares a gift allowance over the lines it covers (goods, not excluded), in proportion to
/// their customs value with cumulative rounding so the shares add up exactly; never more than
/// those lines are worth.
fn share_allowance(ctx: &Ctx<'_>, gift: &mut Gift<'_>) -> Result<(), Error> {
    let covered: Vec<usize> = ctx
        .decl
        .items
        .iter()
        .enumerate()
        .filter(|(_, item)| item.nature != Nature::Document && !gift.excludes(item))
        .map(|(i, _)| i)
        .collect();
    let worth: Vec<Decimal> = covered
        .iter()
        .map(|&i| ctx.values.lines[i].customs)
        .collect();
    let total = gift.rule.amount.0.min(
        worth
            .iter()
            .try_fold(Decimal::ZERO, |acc, v| add(acc, *v))?,
    );
    let shares = super::apportion(total, &worth, ctx.version.currency_scale)?;
    for (&i, share) in covered.iter().zip(&shares) {
        gift.allowance[i] = *share;
    }
    gift.allowance_total = total;
    ctx.tracer.step(Step::GiftRelief, || {
        (
            ctx.rule("gift_relief"),
            gift.rule.source.clone(),
            format!(
                "gift allowance: the first {total} stays relieved of {}; shares deducted from the customs value of items {covered:?}: {shares:?}",
                wire_name(&gift.rule.relieves),
            ),
        )
    });
    Ok(())
}

/// The flat duty rule, when this consignment is in its scope.
fn flat_duty_in_scope<'a>(
    ctx: &Ctx<'a>,
    chosen: &Chosen<'_>,
) -> Result<Option<&'a FlatDutyFile>, Error> {
    let Some(flat) = ctx.version.rules.flat_duty.as_ref() else {
        return Ok(None);
    };
    if !super::allowed(&flat.transactions, &ctx.decl.transaction) {
        return Ok(None);
    }
    let value = ctx.basis_value(flat.ceiling.basis);
    if crate::exact::cmp(value, flat.ceiling.amount.0).is_gt() {
        return Ok(None);
    }
    let Some(option) = &flat.scope_option else {
        return Ok(Some(flat));
    };
    let narrow = chosen.tax_point() == TaxPoint::AtSale && chosen.id() == Some("IOSS")
        || ctx.decl.channel == Channel::Postal;
    let reading = ctx.option(option)?;
    let in_scope = match reading {
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
    ctx.tracer.step(Step::Duty, || {
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
