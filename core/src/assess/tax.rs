//! VAT/GST (at sale, at import, or self-assessed) and fees.

use rust_decimal::Decimal;

use super::collection::Chosen;
use super::duty::DutyOutcome;
use super::threshold::trace_de_minimis;
use super::{add, apportion, mul, percent_of, round, Ctx};
use crate::declaration::Nature;
use crate::error::{Error, ErrorCode};
use crate::regime::pack::{
    Basis, Charge, FeeFile, FeePer, Payer, RateChoice, Replaces, RoundingScope, TaxBasePart,
    TaxPoint,
};
use crate::regime::rate_on;
use crate::result::{DeMinimisOutcome, FeeLine, Severity, TaxLine};

/// The tax and fee side of an assessment.
pub(crate) struct TaxOutcome {
    pub lines: Vec<TaxLine>,
    pub at_sale: Decimal,
    pub at_import: Decimal,
    pub de_minimis: DeMinimisOutcome,
    pub fees: Vec<FeeLine>,
    pub fee_total: Decimal,
    /// Tax charged on fees marked `taxed` (included in `at_import` and in `lines`).
    pub fee_tax: Decimal,
}

pub(crate) fn assess(
    ctx: &mut Ctx<'_>,
    chosen: &Chosen<'_>,
    duty: &mut DutyOutcome<'_>,
    documents_only: bool,
) -> Result<TaxOutcome, Error> {
    let rules = &ctx.version.rules;
    let decl = ctx.decl;
    let (active, mut de_minimis) =
        super::threshold::for_charge(ctx, rules.de_minimis.tax.as_ref(), "the tax de minimis")?;
    let threshold = active.as_ref().map(|a| a.threshold);
    let resolved = active.as_ref().map(|a| &a.resolved);
    let gift = duty.reliefs.gift.as_ref();
    let gift_relieves_tax = gift.is_some_and(|g| g.relieves(Charge::Tax));
    let allowance_on_tax = gift.is_some_and(|g| g.allowance_on(Charge::Tax));
    let mut out = TaxOutcome {
        lines: Vec::new(),
        at_sale: Decimal::ZERO,
        at_import: Decimal::ZERO,
        de_minimis: de_minimis.clone(),
        fees: Vec::new(),
        fee_total: Decimal::ZERO,
        fee_tax: Decimal::ZERO,
    };
    if documents_only {
        return Ok(out);
    }
    let tax_point = chosen.tax_point();

    // Fees that do not depend on what is payable come first: some enter the import tax base.
    let mut fees_in_base = Decimal::ZERO;
    let mut taxed_fees: Vec<(&FeeFile, Decimal)> = Vec::new();
    for fee in rules.fees.iter().filter(|f| !f.only_if_payable) {
        if let Some(line) = fee_line(ctx, fee)? {
            if fee.in_tax_base {
                fees_in_base = add(fees_in_base, line.amount.0)?;
            }
            if fee.taxed {
                taxed_fees.push((fee, line.amount.0));
            }
            out.fee_total = add(out.fee_total, line.amount.0)?;
            out.fees.push(line);
        }
    }

    if tax_point == TaxPoint::SelfAssessed {
        let scheme = chosen.id().unwrap_or("reverse charge");
        ctx.finding(
            "F_TAX_SELF_ASSESSED",
            Severity::Info,
            Some("consignee.tax_id".into()),
            format!("under {scheme} the consignee accounts for the {} in its own return; nothing is collected at sale or at import", rules.taxes.kind),
        );
    } else if let Some(rule) = duty
        .reliefs
        .simplified
        .filter(|r| r.replaces == Replaces::DutyAndTax && tax_point == TaxPoint::AtImport)
    {
        // One global rate covers duty and import tax: the tax is in the duty lines.
        let items: Vec<usize> = (0..ctx.lines.len())
            .filter(|&i| decl.items[i].nature != Nature::Document)
            .collect();
        ctx.tracer.step("tax", || {
            (
                ctx.rule(&format!("simplified_rates.{}", rule.id)),
                rule.source.clone(),
                format!(
                    "{}: the import {} is included in the simplified rate {} (items {items:?}); nothing more is charged",
                    rules.taxes.kind, rules.taxes.kind, rule.id
                ),
            )
        });
        out.lines.push(TaxLine {
            kind: ctx.version.texts.tax_kind.clone(),
            rate: std::sync::Arc::from(format!("included in {}", rule.id)),
            base: ctx.out(Decimal::ZERO),
            amount: ctx.out(Decimal::ZERO),
            charged: "at_import",
            items,
            basis: None,
        });
    } else {
        let scale = ctx.version.currency_scale;
        let values: Vec<Decimal> = ctx.lines.iter().map(|l| l.value).collect();
        let fee_shares = apportion(fees_in_base, &values, scale)?;
        let parts = match tax_point {
            TaxPoint::AtSale => &rules.valuation.sale_tax_base,
            _ => &rules.valuation.import_tax_base,
        };
        let rate_choice = chosen.scheme.map_or(RateChoice::Destination, |s| s.rate);
        let charged = match tax_point {
            TaxPoint::AtSale => "at_sale",
            _ => "at_import",
        };
        let share = chosen.scheme.and_then(|s| s.tax_share).map(|a| a.0);
        let rounding = ctx.version.rounding.tax;
        let scope = rules.rounding.tax.scope;
        let mut relieved_any = false;
        if let Some(u) = rules
            .valuation
            .uplift
            .as_ref()
            .filter(|_| parts.contains(&TaxBasePart::Uplift))
        {
            ctx.tracer.step("tax", || {
                (
                    ctx.rule("valuation.uplift"),
                    u.source.clone(),
                    format!(
                        "the tax base adds {}% of each line's customs value{}",
                        u.rate.0.normalize(),
                        if u.excluded_origins.is_empty() {
                            String::new()
                        } else {
                            format!(
                                " (not for goods of origin {})",
                                u.excluded_origins.join(", ")
                            )
                        }
                    ),
                )
            });
        }
        // (rate, base, unrounded amount, rounded amount, items)
        let mut groups: Vec<(Decimal, Decimal, Decimal, Decimal, Vec<usize>)> = Vec::new();
        for (i, (item, line)) in decl.items.iter().zip(&ctx.lines).enumerate() {
            if item.nature == Nature::Document {
                continue;
            }
            // A de minimis is an import relief: it never removes tax a scheme charges at sale.
            let relieved_by_threshold = tax_point == TaxPoint::AtImport
                && active.as_ref().is_some_and(|a| {
                    a.threshold.basis != Basis::TaxAmount && a.relieves_item(ctx, item, line)
                });
            if gift_relieves_tax || relieved_by_threshold {
                relieved_any |= relieved_by_threshold;
                continue;
            }
            let mut base = Decimal::ZERO;
            for part in parts {
                let v = match part {
                    TaxBasePart::CustomsValue => line.customs,
                    TaxBasePart::Duty => duty.item_duty[i],
                    TaxBasePart::FeesInTaxBase => fee_shares[i],
                    TaxBasePart::Goods => line.value,
                    TaxBasePart::Shipping => line.shipping,
                    TaxBasePart::Insurance => line.insurance,
                    TaxBasePart::Uplift => uplift(ctx, i)?,
                };
                base = add(base, v)?;
            }
            if allowance_on_tax && tax_point == TaxPoint::AtImport {
                let allowance = gift.map_or(Decimal::ZERO, |g| g.allowance[i]);
                base = (base - allowance).max(Decimal::ZERO);
            }
            // Japan computes consumption tax on the base truncated to JPY 1,000, per line.
            if let Some(r) = &ctx.version.rounding.tax_base {
                base = round(r, base)?;
            }
            let rate = line_rate(ctx, i, rate_choice)?;
            let unrounded = tax_on(base, rate, rules.taxes.inclusive, share)?;
            let rounded = round(&rounding, unrounded)?;
            match groups.iter_mut().find(|g| g.0 == rate) {
                Some(g) => {
                    g.1 = add(g.1, base)?;
                    g.2 = add(g.2, unrounded)?;
                    g.3 = add(g.3, rounded)?;
                    g.4.push(i);
                }
                None => groups.push((rate, base, unrounded, rounded, vec![i])),
            }
        }
        let kind = &rules.taxes.kind;
        let mut total = Decimal::ZERO;
        for (rate, base, unrounded, rounded, items) in groups {
            let amount = match scope {
                RoundingScope::Line => rounded,
                RoundingScope::Consignment => round(&rounding, unrounded)?,
            };
            total = add(total, amount)?;
            ctx.tracer.step("tax", || {
                (
                    ctx.rule(&format!("taxes.{}", ctx.subdivision)),
                    tax_source(ctx, &items, rate_choice),
                    format!(
                        "{kind} {}% {charged} on {} (items {:?}; base = {}{}){}{} = {amount}",
                        rate.normalize(),
                        base,
                        items,
                        parts
                            .iter()
                            .map(|p| format!("{p:?}"))
                            .collect::<Vec<_>>()
                            .join(" + "),
                        ctx.version
                            .rounding
                            .tax_base
                            .map(|r| format!(
                                ", each line's base rounded {:?} to {} by rounding.tax_base",
                                r.mode, r.increment
                            ))
                            .unwrap_or_default(),
                        if rules.taxes.inclusive {
                            format!(
                                "; tax-inclusive base: base × {r} / (100 − {r})",
                                r = rate.normalize()
                            )
                        } else {
                            String::new()
                        },
                        share
                            .map(|s| format!(
                                "; {}% of the tax charged under {}",
                                s.normalize(),
                                chosen.id().unwrap_or("the scheme")
                            ))
                            .unwrap_or_default()
                    ),
                )
            });
            out.lines.push(TaxLine {
                kind: ctx.version.texts.tax_kind.clone(),
                rate: ctx.version.texts.rate(rate),
                base: ctx.out(base),
                amount: ctx.out(amount),
                charged,
                items,
                basis: None,
            });
        }
        // Surcharges on the tax (Japan's local consumption tax) are part of the tax total, so
        // a threshold on the tax amount or a minimum collectable below sees them too.
        let (surcharges, surcharged) = super::surcharge::on_tax(ctx, &out.lines)?;
        out.lines.extend(surcharges);
        total = add(total, surcharged)?;
        // A threshold on the tax amount itself (e.g. "tax of CHF 5 or less is not levied").
        if let Some(t) =
            threshold.filter(|t| t.basis == Basis::TaxAmount && tax_point == TaxPoint::AtImport)
        {
            de_minimis.basis_value = Some(ctx.out(total));
            let limit = resolved.map_or(t.amount.0, |r| r.amount);
            if total <= limit && !total.is_zero() {
                relieved_any = true;
                ctx.tracer.step("de_minimis", || {
                    (
                        ctx.rule("de_minimis.tax"),
                        t.source.clone(),
                        format!("import tax {total} is at or below {limit}: not levied"),
                    )
                });
                for l in &mut out.lines {
                    l.amount = ctx.out(Decimal::ZERO);
                }
                total = Decimal::ZERO;
                if let Some(also) = t
                    .also_relieves
                    .as_ref()
                    .filter(|a| a.charges.contains(&Charge::Duty))
                {
                    // Asked only when it changes the result, so `reject` fails only then.
                    if !duty.total.is_zero()
                        && super::threshold::gate_open(
                            ctx,
                            also.when_option.as_ref(),
                            "waiving the duty with the tax",
                        )?
                    {
                        let waived = duty.total;
                        ctx.tracer.step("de_minimis", || {
                            let source = also
                                .when_option
                                .as_ref()
                                .and_then(|g| ctx.version.rules.options.get(&g.option))
                                .map_or_else(|| t.source.clone(), |o| o.source.clone());
                            (
                                ctx.rule("de_minimis.tax.also_relieves"),
                                source,
                                format!("the import tax is not levied, so duty {waived} is not collected either"),
                            )
                        });
                        for l in &mut duty.lines {
                            l.amount = ctx.out(Decimal::ZERO);
                            l.basis = "de_minimis";
                        }
                        duty.total = Decimal::ZERO;
                    }
                }
            }
        }
        if tax_point == TaxPoint::AtImport {
            if let Some(min) = rules.minimum_collectable.as_ref() {
                if let Some(floor) = min.tax {
                    if !total.is_zero()
                        && total < floor.0
                        && super::threshold::gate_open(
                            ctx,
                            min.when_option.as_ref(),
                            "the minimum collectable tax",
                        )?
                    {
                        ctx.tracer.step("tax", || {
                            (ctx.rule("minimum_collectable.tax"), min.source.clone(), format!("import tax {total} is below the minimum collectable {}: waived", floor.0))
                        });
                        for l in &mut out.lines {
                            l.amount = ctx.out(Decimal::ZERO);
                        }
                        total = Decimal::ZERO;
                    }
                }
            }
            out.at_import = total;
        } else {
            out.at_sale = total;
        }
        de_minimis.applies = relieved_any;
    }
    trace_de_minimis(ctx, "tax", threshold, &de_minimis);
    out.de_minimis = de_minimis;

    // Fees charged only when something is payable at import (a carrier's handling fee).
    let payable = !duty.total.is_zero() || !out.at_import.is_zero();
    if payable {
        for fee in rules.fees.iter().filter(|f| f.only_if_payable) {
            if let Some(line) = fee_line(ctx, fee)? {
                if fee.taxed {
                    taxed_fees.push((fee, line.amount.0));
                }
                out.fee_total = add(out.fee_total, line.amount.0)?;
                out.fees.push(line);
            }
        }
    }
    for (fee, amount) in taxed_fees {
        tax_fee(ctx, fee, amount, &mut out)?;
    }
    Ok(out)
}

/// The regime's tax on a fee quoted "+ GST" (`taxed: true`): the standard rate of the tax
/// subdivision on the fee's amount, rounded as tax, charged at import whoever collects the
/// goods' tax. It is reported as its own tax line (basis `fee`) so it is never confused with
/// tax on the goods, and de minimis reliefs, which concern the goods, do not touch it.
fn tax_fee(
    ctx: &mut Ctx<'_>,
    fee: &FeeFile,
    amount: Decimal,
    out: &mut TaxOutcome,
) -> Result<(), Error> {
    let taxes = &ctx.version.rules.taxes;
    let dated = taxes
        .standard
        .get(ctx.subdivision)
        .and_then(|series| rate_on(series, ctx.date))
        .ok_or_else(|| {
            Error::at(
                ErrorCode::NoTaxRate,
                "date",
                format!(
                    "{} has no {} rate for {} in force on {} to charge on fee {}",
                    ctx.version.label, taxes.kind, ctx.subdivision, ctx.date, fee.id
                ),
            )
        })?;
    let rate = dated.rate.0;
    let tax = round(
        &ctx.version.rounding.tax,
        tax_on(amount, rate, taxes.inclusive, None)?,
    )?;
    ctx.tracer.step("tax", || {
        (
            ctx.rule(&format!("fees.{}.taxed", fee.id)),
            dated.source.clone(),
            format!(
                "{} {}% on fee {} ({}) of {amount} = {tax}, charged at import",
                taxes.kind,
                rate.normalize(),
                fee.id,
                fee.name
            ),
        )
    });
    out.lines.push(TaxLine {
        kind: ctx.version.texts.tax_kind.clone(),
        rate: ctx.version.texts.rate(rate),
        base: ctx.out(amount),
        amount: ctx.out(tax),
        charged: "at_import",
        items: Vec::new(),
        basis: Some("fee"),
    });
    out.at_import = add(out.at_import, tax)?;
    out.fee_tax = add(out.fee_tax, tax)?;
    Ok(())
}

/// Line `i`'s `valuation.uplift`: the rate per cent of its customs value, nothing for goods
/// from the excluded origins (South Africa: no 10 % on goods from the customs union).
fn uplift(ctx: &Ctx<'_>, i: usize) -> Result<Decimal, Error> {
    let Some(u) = ctx.version.rules.valuation.uplift.as_ref() else {
        return Ok(Decimal::ZERO);
    };
    let origin = ctx.decl.items[i].origin.as_deref();
    if origin.is_some_and(|o| u.excluded_origins.iter().any(|e| e == o)) {
        return Ok(Decimal::ZERO);
    }
    percent_of(ctx.lines[i].customs, u.rate.0)
}

/// Tax at `rate` per cent on `base`: on a tax-inclusive base ("por dentro") the tax is part of
/// its own base, `base × rate / (100 − rate)`; `share` (per cent) then keeps part of it.
pub(crate) fn tax_on(
    base: Decimal,
    rate: Decimal,
    inclusive: bool,
    share: Option<Decimal>,
) -> Result<Decimal, Error> {
    let mut tax = percent_of(base, rate)?;
    if inclusive {
        let rest = Decimal::ONE_HUNDRED - rate;
        if rest <= Decimal::ZERO {
            return Err(Error::new(
                ErrorCode::InvalidPack,
                format!("a tax-inclusive rate must be below 100 %, not {rate}"),
            ));
        }
        tax = mul(base, rate)?
            .checked_div(rest)
            .ok_or_else(super::overflow)?;
    }
    match share {
        Some(s) => percent_of(tax, s),
        None => Ok(tax),
    }
}

/// The rate for line `i`: a reduced rate by HS prefix (longest wins) when the choice allows,
/// else the standard rate of the subdivision.
fn line_rate(ctx: &Ctx<'_>, i: usize, choice: RateChoice) -> Result<Decimal, Error> {
    let taxes = &ctx.version.rules.taxes;
    if choice == RateChoice::Destination {
        if let Some(hs) = ctx.decl.items[i].hs_code.as_deref() {
            let reduced = taxes
                .reduced
                .iter()
                .filter(|r| {
                    r.subdivision == ctx.subdivision && hs.starts_with(r.hs_prefix.as_str())
                })
                .max_by_key(|r| r.hs_prefix.len())
                .and_then(|r| rate_on(&r.rates, ctx.date));
            if let Some(r) = reduced {
                return Ok(r.rate.0);
            }
        }
    }
    taxes
        .standard
        .get(ctx.subdivision)
        .and_then(|series| rate_on(series, ctx.date))
        .map(|r| r.rate.0)
        .ok_or_else(|| {
            Error::at(
                ErrorCode::NoTaxRate,
                "date",
                format!(
                    "{} has no {} rate for {} in force on {}",
                    ctx.version.label, taxes.kind, ctx.subdivision, ctx.date
                ),
            )
        })
}

fn tax_source(ctx: &Ctx<'_>, items: &[usize], choice: RateChoice) -> String {
    let taxes = &ctx.version.rules.taxes;
    let standard = taxes
        .standard
        .get(ctx.subdivision)
        .and_then(|s| rate_on(s, ctx.date));
    let reduced = (choice == RateChoice::Destination)
        .then(|| {
            items.iter().find_map(|&i| {
                let hs = ctx.decl.items[i].hs_code.as_deref()?;
                taxes
                    .reduced
                    .iter()
                    .filter(|r| {
                        r.subdivision == ctx.subdivision && hs.starts_with(r.hs_prefix.as_str())
                    })
                    .max_by_key(|r| r.hs_prefix.len())
                    .and_then(|r| rate_on(&r.rates, ctx.date))
            })
        })
        .flatten();
    reduced
        .or(standard)
        .map(|r| r.source.clone())
        .unwrap_or_default()
}

/// A fee's fixed figures in the pack currency.
struct FeeFigures {
    amount: Decimal,
    min: Option<Decimal>,
    max: Option<Decimal>,
    /// How they were converted, for the trace (empty when no conversion was needed).
    converted: String,
}

/// The fee's `amount`, `min` and `max` in the pack currency: a fee fixed in another currency
/// (Mexico's DTA in MXN in a USD pack) is converted at the caller's rate in force on the
/// assessment date, each figure rounded by the regime's exchange rounding as a declared
/// amount would be. Without a rate the fee cannot be known, so the assessment fails rather
/// than leave the fee out.
fn fee_figures(ctx: &Ctx<'_>, fee: &FeeFile) -> Result<FeeFigures, Error> {
    let pack_currency = ctx.regime.currency.as_str();
    let currency = match fee.currency.as_deref() {
        Some(c) if c != pack_currency => c,
        _ => {
            return Ok(FeeFigures {
                amount: fee.amount.0,
                min: fee.min.map(|m| m.0),
                max: fee.max.map(|m| m.0),
                converted: String::new(),
            })
        }
    };
    let entry = ctx
        .rates
        .and_then(|t| t.rate_on(currency, pack_currency, ctx.date))
        .ok_or_else(|| {
            Error::at(
                ErrorCode::NoExchangeRate,
                format!("fees.{}.currency", fee.id),
                format!(
                    "fee {} of {} is fixed in {currency}; no {currency}→{pack_currency} exchange rate is in force on {}; supply a rate table",
                    fee.id, ctx.version.label, ctx.date
                ),
            )
        })?;
    let rounding = &ctx.version.rounding.exchange;
    let convert = |v: Decimal| round(rounding, mul(v, entry.rate.0)?);
    Ok(FeeFigures {
        amount: convert(fee.amount.0)?,
        min: fee.min.map(|m| convert(m.0)).transpose()?,
        max: fee.max.map(|m| convert(m.0)).transpose()?,
        converted: format!(
            " ({} {currency} at {} {pack_currency}/{currency} in force from {}, rounded {:?} to {})",
            fee.amount.0, entry.rate.0, entry.valid_from, rounding.mode, rounding.increment
        ),
    })
}

/// One fee, when it applies to this consignment.
fn fee_line(ctx: &mut Ctx<'_>, fee: &FeeFile) -> Result<Option<FeeLine>, Error> {
    let decl = ctx.decl;
    let date = ctx.date;
    if fee.from.is_some_and(|f| date < f) || fee.to.is_some_and(|t| date >= t) {
        return Ok(None);
    }
    if fee
        .subdivisions
        .as_ref()
        .is_some_and(|s| !s.iter().any(|s| s == ctx.subdivision))
    {
        return Ok(None);
    }
    if fee
        .channels
        .as_ref()
        .is_some_and(|c| !c.contains(&decl.channel))
    {
        return Ok(None);
    }
    if let Some(origins) = &fee.origins {
        let dispatch = super::threshold::dispatch_country(decl);
        if !dispatch.is_some_and(|d| origins.iter().any(|o| o == d)) {
            return Ok(None);
        }
    }
    if let Some(ceiling) = &fee.ceiling {
        if ctx.basis_value(ceiling.basis) > ceiling.amount.0 {
            return Ok(None);
        }
    }
    if let Some(above) = &fee.above {
        if ctx.basis_value(above.basis) <= above.amount.0 {
            return Ok(None);
        }
    }
    // Last: `reject` fails only a consignment the fee would otherwise be charged on.
    if !super::threshold::gate_open(ctx, fee.when_option.as_ref(), &format!("fee {}", fee.id))? {
        return Ok(None);
    }
    let fixed = fee_figures(ctx, fee)?;
    let mut goods = decl.items.iter().filter(|i| i.nature != Nature::Document);
    let count = match fee.per {
        FeePer::Consignment => Decimal::ONE,
        FeePer::Line => Decimal::from(goods.count() as u64),
        FeePer::Item => goods.try_fold(Decimal::ZERO, |acc, i| add(acc, i.quantity.0.ceil()))?,
    };
    let mut amount = mul(fixed.amount, count)?;
    let ad_valorem = match &fee.ad_valorem {
        Some(av) => {
            let part = percent_of(ctx.basis_value(av.basis), av.rate.0)?;
            amount = add(amount, part)?;
            format!(
                " + {}% of {} {}",
                av.rate.0,
                av.basis.as_str(),
                ctx.basis_value(av.basis)
            )
        }
        None => String::new(),
    };
    let unclamped = amount;
    if let Some(min) = fixed.min {
        amount = amount.max(min);
    }
    if let Some(max) = fixed.max {
        amount = amount.min(max);
    }
    let amount = round(&ctx.version.rounding.fee, amount)?;
    let payer = match fee.payer {
        Payer::Registrant if decl.marketplace.is_some() => Payer::Marketplace,
        Payer::Registrant => Payer::Seller,
        other => other,
    };
    ctx.tracer.step("fee", || {
        (
            ctx.rule(&format!("fees.{}", fee.id)),
            fee.source.clone(),
            format!(
                "{} ({}): {}{} × {count} per {:?}{ad_valorem} = {}{} = {amount}, paid by {payer:?}",
                fee.name,
                fee.kind,
                fixed.amount,
                fixed.converted,
                fee.per,
                unclamped.normalize(),
                match (fixed.min, fixed.max) {
                    (None, None) => String::new(),
                    (min, max) => format!(
                        " (clamped to min {} / max {})",
                        min.map_or("-".into(), |m| m.to_string()),
                        max.map_or("-".into(), |m| m.to_string())
                    ),
                }
            ),
        )
    });
    Ok(Some(FeeLine {
        id: fee.id.clone(),
        kind: fee.kind.clone(),
        payer,
        amount: ctx.out(amount),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn exclusive_tax_is_a_plain_percentage() {
        assert_eq!(tax_on(d("200"), d("13"), false, None).unwrap(), d("26"));
    }

    /// FACTS.md example 24 (Brazil, derived): CIF 100 + II 40 = 140; ICMS 17 % "por dentro"
    /// = 140 / 0.83 × 0.17 = 28.67; at 20 % on CIF 40 + II 8 = 48: 12.00.
    #[test]
    fn inclusive_tax_is_part_of_its_own_base() {
        let icms = tax_on(d("140"), d("17"), true, None).unwrap();
        assert_eq!(icms.round_dp(2), d("28.67"));
        // The tax is 17 % of base + tax.
        assert_eq!(
            percent_of(d("140") + icms, d("17")).unwrap().round_dp(10),
            icms.round_dp(10)
        );
        assert_eq!(
            tax_on(d("48"), d("20"), true, None).unwrap().round_dp(2),
            d("12.00")
        );
        assert_eq!(
            tax_on(d("40"), d("17"), true, None).unwrap().round_dp(2),
            d("8.19")
        );
        assert!(tax_on(d("1"), d("100"), true, None).is_err());
    }

    /// FACTS.md example 23 (China CBEC, derived): 13 % VAT at 70 % = 9.1 %; order CNY 200 →
    /// 18.20.
    #[test]
    fn share_keeps_part_of_the_tax() {
        assert_eq!(
            tax_on(d("200"), d("13"), false, Some(d("70"))).unwrap(),
            d("18.2")
        );
    }
}
