//! Resolving a de minimis threshold for one consignment: the case that fits its dispatch
//! country and channel (Canada's CUSMA courier thresholds), and the limit per person over a
//! period that counts the caller's record of earlier purchases (the historic US "per person per
//! day", China's annual quota).

use rust_decimal::Decimal;

use super::duty::line_basis_value;
use super::{add, Ctx, Line};
use crate::date::Date;
use crate::declaration::{Channel, Declaration};
use crate::regime::pack::{
    Basis, OptionGate, PerPersonLimit, Period, Threshold, ThresholdCase, ThresholdUnit,
};

/// A threshold as it holds for this consignment.
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
) -> Result<bool, crate::error::Error> {
    let Some(gate) = gate else { return Ok(true) };
    let reading = ctx.option(&gate.option)?;
    if reading == "reject" {
        return Err(crate::error::Error::at(
            crate::error::ErrorCode::UncertainRule,
            format!("options.{}", gate.option),
            format!(
                "whether {what} applies depends on {}, which the caller chose to reject: {}",
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

/// The threshold's amount and per-person limit for this consignment.
pub(crate) fn resolve<'a>(
    ctx: &Ctx<'_>,
    t: &'a Threshold,
) -> Result<Resolved<'a>, crate::error::Error> {
    let dispatch = dispatch_country(ctx.decl);
    let mut case = None;
    for (i, c) in t.cases.iter().enumerate() {
        let goods_ok =
            !ctx.decl.items.iter().any(|item| {
                crate::regime::excluded_by(&c.excluded, item.hs_code.as_deref()).is_some()
            });
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
            for (date, value) in &ctx.prior {
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
    let within = match t.unit {
        ThresholdUnit::Consignment => ctx.basis_value(r.basis) <= r.amount,
        ThresholdUnit::Item => line_basis_value(r.basis, line) <= r.amount,
    };
    within && per_person_within(ctx, r)
}

/// Whether the per-person limit (if any) still has room for this consignment.
pub(crate) fn per_person_within(ctx: &Ctx<'_>, r: &Resolved<'_>) -> bool {
    r.per_person.is_none_or(|(limit, prior)| {
        ctx.basis_value(r.basis)
            .checked_add(prior)
            .is_some_and(|sum| sum <= limit.amount.0)
    })
}

/// What the trace says about the case and the per-person limit.
pub(crate) fn describe(ctx: &Ctx<'_>, t: &Threshold, r: &Resolved<'_>) -> String {
    let mut out = String::new();
    if let Some(i) = r.case {
        let c = &t.cases[i];
        out.push_str(&format!(
            "; case {i} applies (dispatch country {}, channel {:?}): amount {} on {}{}",
            dispatch_country(ctx.decl).unwrap_or("unknown"),
            ctx.decl.channel,
            c.amount.0,
            r.basis.as_str(),
            c.source
                .as_deref()
                .map(|s| format!(" [{s}]"))
                .unwrap_or_default()
        ));
    } else if !t.cases.is_empty() {
        out.push_str(&format!(
            "; no case matches (dispatch country {}, channel {:?}): amount {}",
            dispatch_country(ctx.decl).unwrap_or("unknown"),
            ctx.decl.channel,
            t.amount.0
        ));
    }
    if let Some((limit, prior)) = r.per_person {
        let value = ctx.basis_value(r.basis);
        out.push_str(&format!(
            "; per person per {:?}: this consignment {value} + earlier purchases {prior} = {} against {}{}: {}",
            limit.period,
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
