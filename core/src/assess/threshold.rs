//! Resolving a de minimis threshold for one consignment: the case that fits its dispatch
//! country and channel (Canada's CUSMA courier thresholds), and the limit per person over a
//! period that counts the caller's record of earlier purchases (the historic US "per person per
//! day", China's annual quota).

use rust_decimal::Decimal;

use super::{add, Ctx, Line};
use crate::date::Date;
use crate::declaration::{Channel, Declaration, Item};
use crate::error::{Error, ErrorCode};
use crate::regime::excluded_by;
use crate::regime::pack::{
    Basis, OptionGate, PerPersonLimit, Period, Threshold, ThresholdCase, ThresholdUnit,
};
use crate::result::DeMinimisOutcome;
use crate::trace::{wire_name, Step};

/// A de minimis threshold that holds for this consignment (its transactions cover it and its
/// option gate is open), resolved.
pub(crate) struct Active<'a> {
    /// The pack's threshold.
    pub threshold: &'a Threshold,
    /// Its amount, basis and per-person limit for this consignment.
    pub resolved: Resolved<'a>,
    /// For a threshold per consignment, whether the consignment is within it (its value and
    /// the per-person limit): the same for every line, so told once, not per line.
    consignment_within: Option<bool>,
    /// The chapters of the threshold's goods exclusions ([`super::plan::exclusion_chapters`]),
    /// looked up once a consignment, not once a line.
    excluded_chapters: Option<super::plan::Chapters>,
}

impl Active<'_> {
    /// Whether the threshold relieves `item` (valued as `line`): its goods and origin are not
    /// excluded, and its value (or the consignment's) is within the amount and the per-person
    /// limit.
    ///
    /// Inlined where it is called on native targets (the duty's line rule and the tax's
    /// grouping, once a line each): out of line, its call, prologue and spills were some 25
    /// of its 80 instructions a line (issue 16). One copy in the WASM modules (size, issue 17).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn relieves_item(&self, ctx: &Ctx<'_>, item: &Item, line: &Line) -> bool {
        // A consignment above a threshold per consignment has no line to relieve: told before
        // the goods' exclusions are looked up (the same answer, the tests have no effects).
        self.consignment_within != Some(false)
            && !super::plan::excluded_among(
                self.excluded_chapters,
                &self.threshold.excluded,
                item.hs_code.as_deref(),
            )
            && !origin_excluded(self.threshold, item)
            && self
                .consignment_within
                .unwrap_or_else(|| relieves(ctx, self.threshold, &self.resolved, line))
    }
}

/// The de minimis `threshold` of one charge (`what`: "the duty de minimis") as it holds for
/// this consignment, into `active`, and its outcome as reported, into `outcome` (`applies` is
/// filled in by the caller). The threshold is not in force when its transactions do not cover
/// the declaration or its option gate is closed; the outcome still shows it. Written where the
/// charge's outcome keeps them: returned as a pair through a `Result`, they were copied three
/// or four times on their way there (some 130 bytes).
pub(crate) fn for_charge<'a>(
    ctx: &Ctx<'_>,
    threshold: Option<&'a Threshold>,
    what: &str,
    active: &mut Option<Active<'a>>,
    outcome: &mut DeMinimisOutcome,
) -> Result<(), Error> {
    let in_force = match threshold.filter(|t| {
        t.transactions
            .as_ref()
            .is_none_or(|tx| tx.contains(&ctx.decl.transaction))
    }) {
        // An ungated threshold (nearly all) is open without the call.
        Some(t) if t.when_option.is_none() || gate_open(ctx, t.when_option.as_ref(), what)? => {
            Some(t)
        }
        _ => None,
    };
    // Resolved once for the outcome and the relief (it reads nothing either changes).
    let resolved = threshold.map(|t| resolve(ctx, t)).transpose()?;
    *outcome = de_minimis_outcome(ctx, threshold.zip(resolved));
    *active = in_force.zip(resolved).map(|(t, resolved)| Active {
        threshold: t,
        resolved,
        consignment_within: (t.unit == ThresholdUnit::Consignment)
            .then(|| within_consignment(ctx, &resolved)),
        excluded_chapters: super::plan::exclusion_chapters(ctx.plan, &t.excluded),
    });
    Ok(())
}

/// Whether the threshold never relieves this item's goods because of their origin.
pub(crate) fn origin_excluded(t: &Threshold, item: &Item) -> bool {
    !t.excluded_origins.is_empty()
        && item.origin.as_deref().is_some_and(|o| {
            (t.excluded_origins.iter())
                .any(|x| crate::hashing::same_text(x.as_bytes(), o.as_bytes()))
        })
}

/// The value of one line a per-item threshold or ceiling compares.
pub(crate) fn line_basis_value(basis: Basis, line: &Line) -> Decimal {
    match basis {
        Basis::Intrinsic => line.value,
        Basis::IntrinsicPlusTransport => line.value + line.transport,
        Basis::CustomsValue => line.customs,
        Basis::TaxAmount => Decimal::MAX,
    }
}

/// Records a de minimis test (or the absence of one) in the trace. The test of the tracer is
/// inlined where it is called (twice a record), the step apart: the call alone cost some 20
/// instructions each when nothing is traced.
#[inline]
pub(crate) fn trace_de_minimis(
    ctx: &Ctx<'_>,
    kind: &'static str,
    threshold: Option<&Threshold>,
    outcome: &DeMinimisOutcome,
) {
    if ctx.tracer.is_on() {
        trace_de_minimis_step(ctx, kind, threshold, outcome);
    }
}

/// [`trace_de_minimis`]'s step.
#[inline(never)]
fn trace_de_minimis_step(
    ctx: &Ctx<'_>,
    kind: &'static str,
    threshold: Option<&Threshold>,
    outcome: &DeMinimisOutcome,
) {
    ctx.tracer.step(Step::DeMinimis, || {
        let rule = ctx.rule(&format!("de_minimis.{kind}"));
        match threshold {
            Some(t) => (
                rule,
                t.source.clone(),
                format!(
                    "{kind} de minimis {} {} per {} on {} value {}{}: {}",
                    outcome.threshold.as_ref().map_or(t.amount.0, |a| a.0),
                    ctx.regime.currency,
                    wire_name(&t.unit),
                    outcome.basis.unwrap_or(t.basis).as_str(),
                    outcome
                        .basis_value
                        .map(|a| a.0.to_string())
                        .unwrap_or_default(),
                    resolve(ctx, t)
                        .map(|r| describe(ctx, t, &r))
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

/// The de minimis outcome of a threshold (and its resolution) as reported (whether it applied
/// is filled in by the caller).
fn de_minimis_outcome(
    ctx: &Ctx<'_>,
    threshold: Option<(&Threshold, Resolved<'_>)>,
) -> DeMinimisOutcome {
    match threshold {
        None => DeMinimisOutcome::none(),
        Some((t, resolved)) => {
            let value = match (t.unit, resolved.basis) {
                (_, Basis::TaxAmount) => None,
                (ThresholdUnit::Consignment, b) => Some(ctx.basis_value(b)),
                (ThresholdUnit::Item, b) => ctx
                    .values
                    .lines
                    .iter()
                    .map(|l| line_basis_value(b, l))
                    .max(),
            };
            DeMinimisOutcome {
                applies: false,
                threshold: Some(ctx.out(resolved.amount)),
                basis: Some(resolved.basis),
                unit: Some(t.unit),
                basis_value: value.map(|v| ctx.out(v)),
            }
        }
    }
}

/// A threshold as it holds for this consignment.
#[derive(Clone, Copy)]
pub(crate) struct Resolved<'a> {
    /// The amount compared with the basis value.
    pub amount: Decimal,
    /// The value compared: the case's basis, else the threshold's.
    pub basis: Basis,
    /// Index of the case that replaced the threshold's own amount.
    pub case: Option<usize>,
    /// The per-person limit, and what the listed earlier purchases in its period add up to.
    pub per_person: Option<(&'a PerPersonLimit, Decimal)>,
}

/// The country the consignment is shipped from: the declared dispatch country, else the
/// seller's country.
pub(crate) fn dispatch_country(decl: &Declaration) -> Option<&str> {
    decl.dispatch_country
        .as_deref()
        .or(decl.seller.country.as_deref())
}

/// Whether a rule gated on an option reading applies. `reject` makes the assessment fail,
/// naming the option and its question.
pub(crate) fn gate_open(
    ctx: &Ctx<'_>,
    gate: Option<&OptionGate>,
    what: &str,
) -> Result<bool, Error> {
    gate_open_with(ctx, gate, || what.to_string())
}

/// [`gate_open`], the rule's description built only for the error (`fee X` per fee would
/// otherwise be formatted for every fee of every consignment).
pub(crate) fn gate_open_with(
    ctx: &Ctx<'_>,
    gate: Option<&OptionGate>,
    what: impl FnOnce() -> String,
) -> Result<bool, Error> {
    let Some(gate) = gate else { return Ok(true) };
    let reading = ctx.option(&gate.option)?;
    if reading == "reject" {
        return Err(Error::at(
            ErrorCode::UncertainRule,
            format!("options.{}", gate.option),
            format!(
                "whether {} applies depends on {}, which the caller chose to reject: {}",
                what(),
                gate.option,
                ctx.version
                    .rules
                    .options
                    .get(&gate.option)
                    .map(|o| o.question.as_str())
                    .unwrap_or("")
            ),
        ));
    }
    Ok(reading == gate.reading)
}

/// Whether `case` holds for a consignment dispatched from `dispatch` over `channel`. A case
/// naming origins never holds when the dispatch country is unknown.
pub(crate) fn case_matches(case: &ThresholdCase, dispatch: Option<&str>, channel: Channel) -> bool {
    let origin_ok = case
        .origins
        .as_ref()
        .is_none_or(|o| dispatch.is_some_and(|d| o.iter().any(|c| c == d)));
    let channel_ok = case.channels.as_ref().is_none_or(|c| c.contains(&channel));
    origin_ok && channel_ok
}

/// Whether a purchase dated `purchase` falls in `period` as seen on `date`.
pub(crate) fn in_period(period: Period, purchase: Date, date: Date) -> bool {
    purchase <= date
        && match period {
            Period::Day => purchase == date,
            Period::CalendarYear => purchase.year() == date.year(),
        }
}

/// The threshold's amount and per-person limit for this consignment. A threshold without
/// cases or a per-person limit (the EU's, the UK's, Australia's, Japan's) is its own amount and
/// basis, told where it is called (twice a record): the call cost some 50 instructions. The
/// WASM modules keep the one function (size, issue 17).
#[cfg_attr(not(target_arch = "wasm32"), inline)]
pub(crate) fn resolve<'a>(ctx: &Ctx<'_>, t: &'a Threshold) -> Result<Resolved<'a>, Error> {
    #[cfg(not(target_arch = "wasm32"))]
    if t.cases.is_empty() && t.per_person.is_none() {
        return Ok(Resolved {
            amount: t.amount.0,
            basis: t.basis,
            case: None,
            per_person: None,
        });
    }
    resolve_cases(ctx, t)
}

/// [`resolve`] for a threshold with cases or a per-person limit (for any, on WASM).
#[cfg_attr(not(target_arch = "wasm32"), inline(never))]
#[cfg_attr(target_arch = "wasm32", inline(always))]
fn resolve_cases<'a>(ctx: &Ctx<'_>, t: &'a Threshold) -> Result<Resolved<'a>, Error> {
    let dispatch = dispatch_country(ctx.decl);
    let mut case = None;
    for (i, c) in t.cases.iter().enumerate() {
        let goods_ok = !ctx
            .decl
            .items
            .iter()
            .any(|item| excluded_by(&c.excluded, item.hs_code.as_deref()).is_some());
        if case_matches(c, dispatch, ctx.decl.channel)
            && goods_ok
            && gate_open(ctx, c.when_option.as_ref(), "a de minimis case")?
        {
            case = Some(i);
            break;
        }
    }
    let amount = case.map_or(t.amount.0, |i| t.cases[i].amount.0);
    let basis = case.and_then(|i| t.cases[i].basis).unwrap_or(t.basis);
    let per_person = match &t.per_person {
        None => None,
        Some(limit) => {
            let mut prior = Decimal::ZERO;
            for (date, value) in &ctx.values.prior {
                if in_period(limit.period, *date, ctx.date) {
                    prior = add(prior, *value)?;
                }
            }
            Some((limit, prior))
        }
    };
    Ok(Resolved {
        amount,
        basis,
        case,
        per_person,
    })
}

/// Whether the resolved threshold relieves `line`: its value (or the consignment's) is at or
/// below the amount, and the consignment plus the earlier purchases in the period stay within
/// the per-person limit.
pub(crate) fn relieves(ctx: &Ctx<'_>, t: &Threshold, r: &Resolved<'_>, line: &Line) -> bool {
    match t.unit {
        ThresholdUnit::Consignment => within_consignment(ctx, r),
        ThresholdUnit::Item => {
            crate::exact::cmp(line_basis_value(r.basis, line), r.amount).is_le()
                && per_person_within(ctx, r)
        }
    }
}

/// [`relieves`] for a threshold per consignment, which no line changes.
fn within_consignment(ctx: &Ctx<'_>, r: &Resolved<'_>) -> bool {
    crate::exact::cmp(ctx.basis_value(r.basis), r.amount).is_le() && per_person_within(ctx, r)
}

/// Whether the per-person limit (if any) still has room for this consignment. Without one
/// (most thresholds) told where it is called, without the call; the WASM modules keep the
/// one function (size, issue 17).
#[cfg_attr(not(target_arch = "wasm32"), inline)]
pub(crate) fn per_person_within(ctx: &Ctx<'_>, r: &Resolved<'_>) -> bool {
    #[cfg(not(target_arch = "wasm32"))]
    if r.per_person.is_none() {
        return true;
    }
    per_person_room(ctx, r)
}

/// [`per_person_within`] with a per-person limit (with any, on WASM).
#[cfg_attr(not(target_arch = "wasm32"), inline(never))]
#[cfg_attr(target_arch = "wasm32", inline(always))]
fn per_person_room(ctx: &Ctx<'_>, r: &Resolved<'_>) -> bool {
    r.per_person.is_none_or(|(limit, prior)| {
        ctx.basis_value(r.basis)
            .checked_add(prior)
            .is_some_and(|sum| crate::exact::cmp(sum, limit.amount.0).is_le())
    })
}

/// What the trace says about the case and the per-person limit.
pub(crate) fn describe(ctx: &Ctx<'_>, t: &Threshold, r: &Resolved<'_>) -> String {
    let mut out = String::new();
    if let Some(i) = r.case {
        let c = &t.cases[i];
        out.push_str(&format!(
            "; case {i} applies (dispatch country {}, channel {}): amount {} on {}{}",
            dispatch_country(ctx.decl).unwrap_or("unknown"),
            wire_name(&ctx.decl.channel),
            c.amount.0,
            r.basis.as_str(),
            c.source
                .as_deref()
                .map(|s| format!(" [{s}]"))
                .unwrap_or_default()
        ));
    } else if !t.cases.is_empty() {
        out.push_str(&format!(
            "; no case matches (dispatch country {}, channel {}): amount {}",
            dispatch_country(ctx.decl).unwrap_or("unknown"),
            wire_name(&ctx.decl.channel),
            t.amount.0
        ));
    }
    if let Some((limit, prior)) = r.per_person {
        let value = ctx.basis_value(r.basis);
        out.push_str(&format!(
            "; per person per {}: this consignment {value} + earlier purchases {prior} = {} against {}{}: {}",
            limit.period.words(),
            value + prior,
            limit.amount.0,
            limit
                .source
                .as_deref()
                .map(|s| format!(" [{s}]"))
                .unwrap_or_default(),
            if per_person_within(ctx, r) { "within" } else { "exceeded" }
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Amount;
    use std::str::FromStr;

    fn case(origins: Option<&[&str]>, channels: Option<&[Channel]>) -> ThresholdCase {
        ThresholdCase {
            amount: Amount(Decimal::from_str("150").unwrap()),
            origins: origins.map(|o| o.iter().map(|s| s.to_string()).collect()),
            channels: channels.map(|c| c.to_vec()),
            when_option: None,
            basis: None,
            excluded: Vec::new(),
            source: None,
            note: None,
        }
    }

    fn date(s: &str) -> Date {
        Date::from_str(s).unwrap()
    }

    #[test]
    fn case_needs_every_condition() {
        let c = case(Some(&["US", "MX"]), Some(&[Channel::Express]));
        assert!(case_matches(&c, Some("US"), Channel::Express));
        assert!(case_matches(&c, Some("MX"), Channel::Express));
        assert!(!case_matches(&c, Some("CN"), Channel::Express));
        assert!(!case_matches(&c, Some("US"), Channel::Postal));
        // An unknown dispatch country never satisfies an origin condition.
        assert!(!case_matches(&c, None, Channel::Express));
        let any_origin = case(None, Some(&[Channel::Postal]));
        assert!(case_matches(&any_origin, None, Channel::Postal));
        assert!(case_matches(&case(None, None), None, Channel::Freight));
    }

    #[test]
    fn periods() {
        let on = date("2024-05-10");
        assert!(in_period(Period::Day, date("2024-05-10"), on));
        assert!(!in_period(Period::Day, date("2024-05-09"), on));
        assert!(in_period(Period::CalendarYear, date("2024-01-01"), on));
        assert!(!in_period(Period::CalendarYear, date("2023-12-31"), on));
        // Later purchases never count, even in the same year.
        assert!(!in_period(Period::CalendarYear, date("2024-05-11"), on));
    }
}
