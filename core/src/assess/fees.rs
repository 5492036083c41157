//! Fees: handling and processing charges (`fees`), in two steps. The fees that do not depend
//! on what is payable come before the tax, since some enter the import tax base; the fees
//! charged only when something is payable at import (a carrier's handling fee) come after the
//! tax and its waivers, followed by the tax on the fees quoted "+ tax".

use rust_decimal::Decimal;

use super::{add, mul, percent_of, round, Ctx};
use crate::declaration::Nature;
use crate::error::{Error, ErrorCode};
use crate::hashing::same_text;
use crate::regime::pack::{FeeFile, FeePer, Payer, TaxPoint};
use crate::result::{FeeLine, TaxBasis, TaxLine};
use crate::trace::{wire_name, Step};

/// The fees charged on a consignment.
pub(crate) struct Fees<'a> {
    pub lines: Vec<FeeLine>,
    pub total: Decimal,
    /// The fees that enter the import tax base (`in_tax_base`).
    pub in_tax_base: Decimal,
    /// The fees quoted "+ tax" (`taxed`), with their amounts, in the order charged.
    taxed: Vec<(&'a FeeFile, Decimal)>,
}

impl Fees<'_> {
    /// Drops the vectors, those moved into the result (empty) without a drop call
    /// ([`super::spare::drop_vec`]). Always inlined, as [`super::duty::DutyOutcome::dispose`].
    #[inline(always)]
    pub fn dispose(self) {
        super::spare::drop_vec(self.lines);
        super::spare::drop_vec(self.taxed);
    }
}

/// The tax charged on fees quoted "+ tax": one line per fee, and their sum.
pub(crate) struct FeeTax {
    pub lines: Vec<TaxLine>,
    pub total: Decimal,
}

/// The fees that do not depend on what is payable (none on documents).
pub(crate) fn before_tax<'a>(ctx: &Ctx<'a>, documents_only: bool) -> Result<Fees<'a>, Error> {
    let mut fees = Fees {
        lines: ctx.spare.fees.take(),
        total: Decimal::ZERO,
        in_tax_base: Decimal::ZERO,
        taxed: Vec::new(),
    };
    if documents_only {
        return Ok(fees);
    }
    for fee in planned(ctx, false) {
        if let Some(line) = fee_line(ctx, fee)? {
            if fee.in_tax_base {
                fees.in_tax_base = add(fees.in_tax_base, line.amount.0)?;
            }
            fees.charge(fee, line)?;
        }
    }
    Ok(fees)
}

/// Adds the fees charged only when something is `payable` at import to `fees`, in place (the
/// fees moved in and back out through a `Result` were copied each way), and returns the tax on
/// every fee quoted "+ tax".
pub(crate) fn after_tax<'a>(
    ctx: &Ctx<'a>,
    fees: &mut Fees<'a>,
    payable: bool,
) -> Result<FeeTax, Error> {
    if payable {
        for fee in planned(ctx, true) {
            if let Some(line) = fee_line(ctx, fee)? {
                fees.charge(fee, line)?;
            }
        }
    }
    let mut tax = FeeTax {
        lines: Vec::with_capacity(fees.taxed.len()),
        total: Decimal::ZERO,
    };
    for &(fee, amount) in &fees.taxed {
        let line = tax_on_fee(ctx, fee, amount)?;
        tax.total = add(tax.total, line.amount.0)?;
        tax.lines.push(line);
    }
    Ok(tax)
}

/// The fees of the version charged before the tax (`only_if_payable` false) or only when
/// something is payable, in the pack's order, less those the tax subdivision's plan rules out
/// (their subdivision list leaves it out: [`super::plan::fees_for`]) and those not in force on
/// the date. Each is still tested in full ([`charged_on`]), whose first tests these are.
fn planned<'a>(ctx: &Ctx<'a>, if_payable: bool) -> Planned<'a> {
    let fees = &ctx.version.rules.fees;
    let set = super::plan::fees_for(ctx.plan, ctx.version, ctx.sub);
    let mask = if if_payable {
        set.if_payable
    } else {
        set.before_tax
    };
    let date = ctx.date;
    // Past 64 fees the plan is `ALL`, and the fees beyond its bits are all kept.
    let first = fees.len().min(64);
    Planned {
        fees,
        bits: mask & u64::MAX.checked_shr(64 - first as u32).unwrap_or(0),
        rest: first,
        if_payable,
        date,
    }
}

/// [`planned`]'s fees: the first 64 by the plan's bits, set bit by set bit (most fees of a
/// pack are ruled out, and a walk of them all tested each), then any beyond.
struct Planned<'a> {
    fees: &'a [FeeFile],
    bits: u64,
    rest: usize,
    if_payable: bool,
    date: crate::date::Date,
}

impl<'a> Iterator for Planned<'a> {
    type Item = &'a FeeFile;

    fn next(&mut self) -> Option<&'a FeeFile> {
        loop {
            let fee = if self.bits != 0 {
                let i = self.bits.trailing_zeros() as usize;
                self.bits &= self.bits - 1;
                self.fees.get(i)?
            } else {
                let fee = self.fees.get(self.rest)?;
                self.rest += 1;
                fee
            };
            if fee.only_if_payable == self.if_payable && dated(fee, self.date) {
                return Some(fee);
            }
        }
    }
}

/// Whether the fee is in force on `date`.
#[inline]
fn dated(fee: &FeeFile, date: crate::date::Date) -> bool {
    fee.from.is_none_or(|f| f <= date) && fee.to.is_none_or(|t| date < t)
}

impl<'a> Fees<'a> {
    fn charge(&mut self, fee: &'a FeeFile, line: FeeLine) -> Result<(), Error> {
        if fee.taxed {
            self.taxed.push((fee, line.amount.0));
        }
        self.total = add(self.total, line.amount.0)?;
        self.lines.push(line);
        Ok(())
    }
}

/// The regime's tax on a fee quoted "+ GST" (`taxed: true`): the standard rate of the tax
/// subdivision on the fee's amount, rounded as tax, charged at import whoever collects the
/// goods' tax. It is reported as its own tax line (basis `fee`) so it is never confused with
/// tax on the goods, and de minimis reliefs, which concern the goods, do not touch it.
fn tax_on_fee(ctx: &Ctx<'_>, fee: &FeeFile, amount: Decimal) -> Result<TaxLine, Error> {
    let taxes = &ctx.version.rules.taxes;
    let (dated, text) = super::tax::standard_rate(ctx).ok_or_else(|| {
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
        super::tax::tax_on(amount, rate, taxes.inclusive, None)?,
    )?;
    ctx.tracer.step(Step::Tax, || {
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
    Ok(TaxLine {
        kind: ctx.version.texts.tax_kind.clone(),
        rate: text.clone(),
        base: ctx.out(amount),
        amount: ctx.out(tax),
        charged: TaxPoint::AtImport,
        items: Vec::new(),
        basis: Some(TaxBasis::Fee),
    })
}

/// A fee's fixed figures in the pack currency.
struct FeeFigures<'f> {
    amount: Decimal,
    min: Option<Decimal>,
    max: Option<Decimal>,
    /// The currency they were fixed in and the rate that converted them, when they were.
    conversion: Option<(&'f str, crate::exchange::Rate)>,
}

impl FeeFigures<'_> {
    /// How the figures were converted, for the trace (empty when they were not). Written only
    /// when a trace is asked for: formatted for every fee in another currency, it cost some
    /// 5 000 instructions a fee.
    fn converted(&self, ctx: &Ctx<'_>, fee: &FeeFile) -> String {
        let Some((currency, rate)) = &self.conversion else {
            return String::new();
        };
        let rounding = &ctx.version.rounding.exchange;
        format!(
            " ({} {currency} at {}, {}, rounded {} to {})",
            fee.amount.0,
            rate.quotation(),
            rate.publication,
            wire_name(&rounding.mode),
            rounding.increment
        )
    }
}

/// The fee's `amount`, `min` and `max` in the pack currency: a fee fixed in another currency
/// (Mexico's DTA in MXN in a USD pack) is converted at the caller's rate in force on the
/// assessment date, each figure rounded by the regime's exchange rounding as a declared
/// amount would be. Without a rate the fee cannot be known, so the assessment fails rather
/// than leave the fee out.
fn fee_figures<'f>(ctx: &Ctx<'_>, fee: &'f FeeFile) -> Result<FeeFigures<'f>, Error> {
    let pack_currency = ctx.regime.currency.as_str();
    let currency = match fee.currency.as_deref() {
        Some(c) if !same_text(c.as_bytes(), pack_currency.as_bytes()) => c,
        _ => {
            return Ok(FeeFigures {
                amount: fee.amount.0,
                min: fee.min.map(|m| m.0),
                max: fee.max.map(|m| m.0),
                conversion: None,
            })
        }
    };
    let (_, rate) = ctx.rates.find(ctx.regime, currency, ctx.date).map_err(|why| {
        crate::exchange::no_rate(
            format!("fees.{}.currency", fee.id),
            format!(
                "fee {} of {} is fixed in {currency}; no {currency}→{pack_currency} exchange rate is in force on {}",
                fee.id, ctx.version.label, ctx.date
            ),
            why,
        )
    })?;
    let rounding = &ctx.version.rounding.exchange;
    let convert = |v: Decimal| round(rounding, rate.convert(v).ok_or_else(super::overflow)?);
    Ok(FeeFigures {
        amount: convert(fee.amount.0)?,
        min: fee.min.map(|m| convert(m.0)).transpose()?,
        max: fee.max.map(|m| convert(m.0)).transpose()?,
        conversion: Some((currency, rate)),
    })
}

/// Whether the fee is charged on this consignment: in force on the date, for its tax
/// subdivision, channel, dispatch country and value, and under the chosen reading of its
/// option.
fn charged_on(ctx: &Ctx<'_>, fee: &FeeFile) -> Result<bool, Error> {
    let decl = ctx.decl;
    let date = ctx.date;
    // Cheapest tests first, each returning as soon as it fails: most fees are for one tax
    // subdivision and period, and the value tests are decimal comparisons.
    if !dated(fee, date) {
        return Ok(false);
    }
    let subdivision_ok = fee
        .subdivisions
        .as_ref()
        .is_none_or(|s| (s.iter()).any(|s| same_text(s.as_bytes(), ctx.subdivision.as_bytes())));
    let channel_ok = super::allowed(&fee.channels, &decl.channel)
        && super::allowed(&fee.transactions, &decl.transaction);
    if !(subdivision_ok && channel_ok) {
        return Ok(false);
    }
    let origin_ok = fee.origins.as_ref().is_none_or(|origins| {
        super::threshold::dispatch_country(decl).is_some_and(|d| {
            origins
                .iter()
                .any(|o| same_text(o.as_bytes(), d.as_bytes()))
        })
    });
    let value_ok = || {
        fee.ceiling
            .as_ref()
            .is_none_or(|c| crate::exact::cmp(ctx.basis_value(c.basis), c.amount.0).is_le())
            && fee
                .above
                .as_ref()
                .is_none_or(|a| crate::exact::cmp(ctx.basis_value(a.basis), a.amount.0).is_gt())
            && fee
                .below
                .as_ref()
                .is_none_or(|b| crate::exact::cmp(ctx.basis_value(b.basis), b.amount.0).is_lt())
    };
    if !(origin_ok && value_ok()) {
        return Ok(false);
    }
    // Last: `reject` fails only a consignment the fee would otherwise be charged on.
    super::threshold::gate_open_with(ctx, fee.when_option.as_ref(), || format!("fee {}", fee.id))
}

/// One fee, when it applies to this consignment.
fn fee_line(ctx: &Ctx<'_>, fee: &FeeFile) -> Result<Option<FeeLine>, Error> {
    if !charged_on(ctx, fee)? {
        return Ok(None);
    }
    let fixed = fee_figures(ctx, fee)?;
    let mut goods = ctx
        .decl
        .items
        .iter()
        .filter(|i| i.nature != Nature::Document);
    let count = match fee.per {
        FeePer::Consignment => Decimal::ONE,
        FeePer::Line => Decimal::from(goods.count() as u64),
        FeePer::Item => goods.try_fold(Decimal::ZERO, |acc, i| add(acc, i.quantity.0.ceil()))?,
        FeePer::KgGross => gross_kg(ctx, fee)?,
    };
    let mut amount = mul(fixed.amount, count)?;
    // The trace's text for the ad valorem part is written only when a trace is asked for.
    let mut ad_valorem_value = None;
    if let Some(av) = &fee.ad_valorem {
        let value = ctx.basis_value(av.basis);
        amount = add(amount, percent_of(value, av.rate.0)?)?;
        ad_valorem_value = Some((av, value));
    }
    let unclamped = amount;
    if let Some(min) = fixed.min {
        amount = amount.max(min);
    }
    if let Some(max) = fixed.max {
        amount = amount.min(max);
    }
    let amount = round(&ctx.version.rounding.fee, amount)?;
    let payer = resolve(ctx, fee.payer);
    let collector = fee.collector.map(|c| resolve(ctx, c));
    ctx.tracer.step(Step::Fee, || {
        let clamped = match (fixed.min, fixed.max) {
            (None, None) => String::new(),
            (min, max) => format!(
                " (clamped to min {} / max {})",
                min.map_or("-".into(), |m| m.to_string()),
                max.map_or("-".into(), |m| m.to_string())
            ),
        };
        let ad_valorem = ad_valorem_value
            .map(|(av, value)| format!(" + {}% of {} {value}", av.rate.0, av.basis.as_str()))
            .unwrap_or_default();
        (
            ctx.rule(&format!("fees.{}", fee.id)),
            fee.source.clone(),
            format!(
                "{} ({}): {}{} × {count} per {}{ad_valorem} = {}{clamped} = {amount}, paid by {}{}",
                fee.name,
                fee.kind,
                fixed.amount,
                fixed.converted(ctx, fee),
                wire_name(&fee.per),
                unclamped.normalize(),
                wire_name(&payer),
                collector
                    .map(|c| format!(", collected by {}", wire_name(&c)))
                    .unwrap_or_default(),
            ),
        )
    });
    Ok(Some(FeeLine {
        id: crate::declaration::Text::from(fee.id.as_str()),
        kind: crate::declaration::Text::from(fee.kind.as_str()),
        payer,
        collector,
        amount: ctx.out(amount),
    }))
}

/// The party a fee names: `registrant` is the marketplace when one is declared, else the
/// seller.
fn resolve(ctx: &Ctx<'_>, party: Payer) -> Payer {
    match party {
        Payer::Registrant if ctx.decl.marketplace.is_some() => Payer::Marketplace,
        Payer::Registrant => Payer::Seller,
        other => other,
    }
}

/// The consignment's gross mass in kg, for a fee charged per kg: every goods item must declare
/// `gross_mass_kg`, or the fee cannot be known.
fn gross_kg(ctx: &Ctx<'_>, fee: &FeeFile) -> Result<Decimal, Error> {
    let mut total = Decimal::ZERO;
    for (i, item) in ctx.decl.items.iter().enumerate() {
        if item.nature == Nature::Document {
            continue;
        }
        let kg = item.gross_mass_kg.ok_or_else(|| {
            Error::at(
                ErrorCode::MissingField,
                format!("items[{i}].gross_mass_kg"),
                format!(
                    "fee {} is charged per kg of gross mass; declare each item's gross_mass_kg",
                    fee.id
                ),
            )
        })?;
        total = add(total, kg.0)?;
    }
    Ok(total)
}
