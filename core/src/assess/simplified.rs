//! Simplified (flat-rate) regimes: one rate on the customs value in place of the tariff, and
//! possibly of the import tax too — Mexico's courier global rate, South Africa's flat 20 % on
//! small parcels, Brazil's simplified taxation regime with its deduction, India's rate for
//! personal imports. The first entry of `simplified_rates` whose conditions all hold covers the
//! whole consignment.

use rust_decimal::Decimal;

use super::collection::Chosen;
use super::threshold::{dispatch_country, gate_open};
use super::{add, Ctx};
use crate::error::{Error, ErrorCode};
use crate::regime::excluded_by;
use crate::regime::pack::SimplifiedRateFile;
use crate::trace::Step;

/// The simplified rate covering this consignment, if any.
pub(crate) fn choose<'a>(
    ctx: &Ctx<'a>,
    chosen: &Chosen<'_>,
) -> Result<Option<&'a SimplifiedRateFile>, Error> {
    let decl = ctx.decl;
    for rate in &ctx.version.rules.simplified_rates {
        let dated = rate.from.is_none_or(|f| f <= ctx.date) && rate.to.is_none_or(|t| ctx.date < t);
        let holds = dated
            && super::flow_allowed(&rate.channels, &rate.transactions, decl)
            && rate
                .origins
                .as_ref()
                .is_none_or(|o| dispatch_country(decl).is_some_and(|d| o.iter().any(|c| c == d)))
            && rate
                .schemes
                .as_ref()
                .is_none_or(|ids| chosen.is_one_of(ids))
            && rate
                .above
                .as_ref()
                .is_none_or(|c| ctx.basis_value(c.basis) > c.amount.0)
            && rate
                .ceiling
                .as_ref()
                .is_none_or(|c| ctx.basis_value(c.basis) <= c.amount.0)
            && !decl
                .items
                .iter()
                .any(|i| excluded_by(&rate.excluded, i.hs_code.as_deref()).is_some())
            && rate.natures.as_ref().is_none_or(|n| {
                decl.items
                    .iter()
                    .filter(|i| i.nature != crate::declaration::Nature::Document)
                    .all(|i| n.contains(&i.nature))
            });
        // The option is consulted only for a rate that would otherwise apply, so that
        // `reject` fails only the consignments the uncertain rule could change.
        if holds && gates_open(ctx, rate)? {
            ctx.tracer.step(Step::Duty, || {
                (
                    ctx.rule(&format!("simplified_rates.{}", rate.id)),
                    rate.source.clone(),
                    format!(
                        "{} applies{}{}{}: replaces {}",
                        rate.name,
                        rate.ceiling
                            .as_ref()
                            .map(|c| format!("; {}", super::value_condition(ctx, c, "at or below")))
                            .unwrap_or_default(),
                        rate.above
                            .as_ref()
                            .map(|c| format!("; {}", super::value_condition(ctx, c, "above")))
                            .unwrap_or_default(),
                        rate.origins
                            .as_ref()
                            .map(|_| format!(
                                "; dispatched from {}",
                                dispatch_country(decl).unwrap_or("")
                            ))
                            .unwrap_or_default(),
                        match rate.replaces {
                            crate::regime::pack::Replaces::Duty => "the tariff",
                            crate::regime::pack::Replaces::DutyAndTax =>
                                "the tariff and the import tax",
                        }
                    ),
                )
            });
            return Ok(Some(rate));
        }
    }
    Ok(None)
}

/// Whether every option gate of `rate` (its `when_option` and `when_options`) is open; stops
/// at the first closed one, so `reject` fails only when the rest would still let it apply.
fn gates_open(ctx: &Ctx<'_>, rate: &SimplifiedRateFile) -> Result<bool, Error> {
    let what = format!("the simplified rate {}", rate.id);
    for gate in rate.when_option.iter().chain(&rate.when_options) {
        if !gate_open(ctx, Some(gate), &what)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The rate for item `i`: the longest matching prefix rate, else the default `rate`.
pub(crate) fn line_rate(
    rate: &SimplifiedRateFile,
    i: usize,
    hs: Option<&str>,
) -> Result<Decimal, Error> {
    let by_prefix = hs.and_then(|code| {
        rate.rates
            .iter()
            .filter(|p| code.starts_with(p.hs_prefix.as_str()))
            .max_by_key(|p| p.hs_prefix.len())
    });
    match (by_prefix, &rate.rate) {
        (Some(p), _) => Ok(p.rate.0),
        (None, Some(default)) => Ok(default.0),
        (None, None) => Err(match hs {
            None => Error::at(
                ErrorCode::MissingField,
                format!("items[{i}].hs_code"),
                format!("an HS code is needed to find the {} rate", rate.id),
            ),
            Some(code) => Error::at(
                ErrorCode::HsNoTariffLine,
                format!("items[{i}].hs_code"),
                format!(
                    "HS {code} matches none of the {} rates of {} ({} prefixes)",
                    rate.id,
                    rate.name,
                    rate.rates.len()
                ),
            ),
        }),
    }
}

/// Shares `deduction` (at most the total) over `amounts` in proportion to them, by cumulative
/// rounding to `scale`, and returns each amount less its share: the results add up to
/// `max(total − deduction, 0)` exactly and none is negative.
pub(crate) fn deduct(
    amounts: &[Decimal],
    deduction: Decimal,
    scale: u32,
) -> Result<Vec<Decimal>, Error> {
    let total = amounts
        .iter()
        .try_fold(Decimal::ZERO, |acc, a| add(acc, *a))?;
    let taken = deduction.min(total);
    if taken <= Decimal::ZERO || total.is_zero() {
        return Ok(amounts.to_vec());
    }
    let shares = super::apportion(taken, amounts, scale)?;
    Ok(amounts
        .iter()
        .zip(&shares)
        .map(|(a, share)| (*a - share).max(Decimal::ZERO))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn deduction_is_shared_and_never_negative() {
        // Brazil: 60 % of 60 and 40 less USD 20 shared 12/8.
        assert_eq!(
            deduct(&[d("36"), d("24")], d("20"), 2).unwrap(),
            vec![d("24"), d("16")]
        );
        // A deduction larger than the charge leaves nothing, not a negative amount.
        assert_eq!(
            deduct(&[d("3"), d("2")], d("20"), 2).unwrap(),
            vec![d("0"), d("0")]
        );
        // A zero line gets no share; the results add up exactly.
        let out = deduct(&[d("10.01"), d("0"), d("20.02")], d("10"), 2).unwrap();
        assert_eq!(out.iter().sum::<Decimal>(), d("20.03"));
        assert_eq!(out[1], d("0"));
        assert_eq!(deduct(&[d("5")], d("0"), 2).unwrap(), vec![d("5")]);
    }
}
