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
use crate::regime::pack::{AdditionalDutyFile, FeePer, RateBand};
use crate::result::DutyLine;

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

/// Whether `d` applies to item `i`: in force, on this channel, for this origin, not for
/// excluded goods, and under the chosen reading of its option.
fn applies(ctx: &Ctx<'_>, d: &AdditionalDutyFile, i: usize) -> Result<bool, Error> {
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
    super::threshold::gate_open(
        ctx,
        d.when_option.as_ref(),
        &format!("additional duty {}", d.id),
    )
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
    ctx.tracer.step("duty", || {
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
        let mut package: Option<(usize, Decimal, Decimal, Decimal)> = None;
        for &i in eligible {
            if !applies(ctx, d, i)? {
                continue;
            }
            let item = &ctx.decl.items[i];
            if let Some(goods) = &d.checked_goods {
                let hs = item.hs_code.as_deref().ok_or_else(|| {
                    Error::at(
                        ErrorCode::MissingField,
                        format!("items[{i}].hs_code"),
                        format!("an HS code is needed to tell whether {} applies", d.id),
                    )
                })?;
                if !goods.iter().any(|p| hs.starts_with(p.as_str())) {
                    return Err(Error::at(
                        MISSING_FACT,
                        format!("items[{i}].hs_code"),
                        format!(
                            "whether HS {hs} is exempt from {} ({}) is not modelled: the pack checked only HS {} against its exemption lists",
                            d.id,
                            d.name,
                            goods.join(", ")
                        ),
                    ));
                }
            }
            let rate = rate(ctx, d, i)?;
            let customs = ctx.lines[i].customs;
            let Some(specific) = &d.specific else {
                let amount = percent_of(customs, rate)?;
                ctx.tracer.step("duty", || {
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
                out.push(DutyLine {
                    item: i,
                    hs_code: item.hs_code.clone(),
                    rate: std::sync::Arc::from(format!("{}% ({})", rate.normalize(), d.id)),
                    base: ctx.out(customs),
                    amount: ctx.out(amount),
                    basis: "additional",
                });
                continue;
            };
            let b = band(&specific.bands, rate).ok_or_else(|| {
                Error::at(
                    MISSING_FACT,
                    format!("items[{i}].origin"),
                    format!("{}: no band covers the rate {rate}%", d.id),
                )
            })?;
            match specific.per {
                FeePer::Consignment => match package {
                    None => package = Some((i, rate, b.amount.0, customs)),
                    Some((first, first_rate, amount, base)) => {
                        if amount != b.amount.0 {
                            return Err(Error::at(
                                MISSING_FACT,
                                format!("items[{i}].origin"),
                                format!(
                                    "{}: item {first} (rate {first_rate}%) and item {i} (rate {rate}%) fall in different bands, and which one decides a package with goods of several origins is not sourced",
                                    d.id
                                ),
                            ));
                        }
                        package = Some((first, first_rate, amount, add(base, customs)?));
                    }
                },
                per => {
                    let count = if per == FeePer::Item {
                        item.quantity.0
                    } else {
                        Decimal::ONE
                    };
                    let amount = mul(b.amount.0, count)?;
                    ctx.tracer.step("duty", || {
                        (
                            ctx.rule(&format!("additional_duties.{}", d.id)),
                            d.source.clone(),
                            format!(
                                "item {i}: {} for origin {}: rate {rate}% falls in the band of {} per {per:?}; × {count} = {amount}",
                                d.name,
                                item.origin.as_deref().unwrap_or("(not declared)"),
                                b.amount.0
                            ),
                        )
                    });
                    out.push(DutyLine {
                        item: i,
                        hs_code: item.hs_code.clone(),
                        rate: std::sync::Arc::from(format!(
                            "{} {} per {} ({})",
                            b.amount.0,
                            ctx.regime.currency,
                            if per == FeePer::Item { "unit" } else { "line" },
                            d.id
                        )),
                        base: ctx.out(customs),
                        amount: ctx.out(amount),
                        basis: "additional",
                    });
                }
            }
        }
        if let Some((first, rate, amount, base)) = package {
            ctx.tracer.step("duty", || {
                (
                    ctx.rule(&format!("additional_duties.{}", d.id)),
                    d.source.clone(),
                    format!(
                        "{}: the origin rate {rate}% falls in the band of {amount} {} per package; charged once (on item {first})",
                        d.name, ctx.regime.currency
                    ),
                )
            });
            out.push(DutyLine {
                item: first,
                hs_code: ctx.decl.items[first].hs_code.clone(),
                rate: std::sync::Arc::from(format!(
                    "{amount} {} per package ({})",
                    ctx.regime.currency, d.id
                )),
                base: ctx.out(base),
                amount: ctx.out(amount),
                basis: "additional",
            });
        }
    }
    Ok(out)
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
}
