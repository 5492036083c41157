//! VAT/GST on the goods: where it is charged (at sale, at import, self-assessed, or included in
//! a simplified rate), each line's base and rate, the amounts per rate and the surcharges on
//! them. What later removes the tax (a threshold on its amount, a minimum collectable) is in
//! `waivers.rs`; the fees and the tax on fees are in `fees.rs`.

use std::cell::Cell;

use rust_decimal::Decimal;

use super::collection::Chosen;
use super::duty::DutyOutcome;
use super::threshold::Active;
use super::{add, apportion_by, mul, percent_of, round, Ctx};
use crate::declaration::Nature;
use crate::error::{Error, ErrorCode};
#[cfg(not(target_arch = "wasm32"))]
use crate::exact::Sum;
use crate::regime::pack::{
    Basis, Charge, DatedRate, RateChoice, Replaces, RoundingScope, SimplifiedRateFile, TaxBasePart,
    TaxPoint,
};
use crate::regime::rate_index;
use crate::result::{DeMinimisOutcome, Severity, TaxLine};
use crate::trace::{wire_name, Step};

/// How the tax on the goods is dealt with for this consignment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum TaxCharge<'a> {
    /// Documents only: no tax.
    Documents,
    /// The consignee accounts for the tax in its own return (reverse charge).
    SelfAssessed,
    /// A simplified rate covers duty and import tax alike.
    Included(&'a SimplifiedRateFile),
    /// Charged at sale or at import.
    At(TaxPoint),
}

/// The tax side of an assessment.
pub(crate) struct TaxOutcome<'a> {
    pub charge: TaxCharge<'a>,
    /// Tax lines (per rate, then surcharges); the tax on fees is added by the driver.
    pub lines: Vec<TaxLine>,
    /// The tax on the goods, where `charge` says it is charged.
    pub total: Decimal,
    pub de_minimis: DeMinimisOutcome,
    /// The tax de minimis in force, if any.
    pub threshold: Option<Active<'a>>,
}

impl TaxOutcome<'_> {
    /// The tax on the goods charged at sale.
    pub fn at_sale(&self) -> Decimal {
        match self.charge {
            TaxCharge::At(TaxPoint::AtSale) => self.total,
            _ => Decimal::ZERO,
        }
    }

    /// The tax on the goods charged at import.
    pub fn at_import(&self) -> Decimal {
        match self.charge {
            TaxCharge::At(TaxPoint::AtImport) => self.total,
            _ => Decimal::ZERO,
        }
    }
}

impl<'a> TaxOutcome<'a> {
    /// An outcome with no tax (documents only), its lines' vector taken from the context's
    /// spare ones, for [`threshold`] and [`assess`] to fill where the pipeline keeps it
    /// (returned through a `Result`, it was copied twice, and the de minimis more on its way).
    pub fn new(ctx: &Ctx<'a>) -> Self {
        TaxOutcome {
            charge: TaxCharge::Documents,
            lines: ctx.spare.taxes.take(),
            total: Decimal::ZERO,
            de_minimis: DeMinimisOutcome::none(),
            threshold: None,
        }
    }
}

/// The tax de minimis as it holds for this consignment, and its outcome as reported, into
/// `out`.
pub(crate) fn threshold<'a>(ctx: &Ctx<'a>, out: &mut TaxOutcome<'a>) -> Result<(), Error> {
    super::threshold::for_charge(
        ctx,
        ctx.version.rules.de_minimis.tax.as_ref(),
        "the tax de minimis",
        &mut out.threshold,
        &mut out.de_minimis,
    )
}

/// The tax on the goods, into `out` (a [`TaxOutcome::new`] whose de minimis [`threshold`]
/// filled); `fees_in_base` the fees that enter the import tax base.
pub(crate) fn assess<'a>(
    ctx: &Ctx<'a>,
    chosen: &Chosen<'a>,
    duty: &DutyOutcome<'a>,
    fees_in_base: Decimal,
    documents_only: bool,
    out: &mut TaxOutcome<'a>,
) -> Result<(), Error> {
    if documents_only {
        return Ok(());
    }
    let tax_point = chosen.tax_point();
    let included = duty
        .reliefs
        .simplified
        .filter(|r| r.replaces == Replaces::DutyAndTax && tax_point == TaxPoint::AtImport);
    if tax_point == TaxPoint::SelfAssessed {
        out.charge = TaxCharge::SelfAssessed;
        let scheme = chosen.id().unwrap_or("reverse charge");
        ctx.finding(
            "F_TAX_SELF_ASSESSED",
            Severity::Info,
            Some("consignee.tax_id".into()),
            format!("under {scheme} the consignee accounts for the {} in its own return; nothing is collected at sale or at import", ctx.version.rules.taxes.kind),
        );
    } else if let Some(rule) = included {
        out.charge = TaxCharge::Included(rule);
        out.lines.push(included_line(ctx, rule));
    } else {
        out.charge = TaxCharge::At(tax_point);
        let base = Base::new(ctx, chosen, duty, fees_in_base)?;
        let (mut groups, relieved) = group_by_rate(ctx, &base, out.threshold.as_ref())?;
        out.de_minimis.applies = relieved;
        // The groups' lines, their surcharges and the taxes on fees the result adds after
        // them, without growing the vector.
        super::spare::reserve_exact(
            &mut out.lines,
            groups.len() + ctx.version.rules.fees.len() + 1,
        );
        for group in groups.drain(..) {
            let amount = group_line(ctx, &base, group, &mut out.lines)?;
            out.total = add(out.total, amount)?;
        }
        // Emptied, for the thread's next assessment.
        super::spare::keep(&GROUPS, groups);
        // Surcharges on the tax (Japan's local consumption tax) are part of the tax total, so
        // a threshold on the tax amount or a minimum collectable sees them too.
        let (surcharges, surcharged) = super::surcharge::on_tax(ctx, &out.lines)?;
        out.lines.extend(surcharges);
        out.total = add(out.total, surcharged)?;
    }
    Ok(())
}

/// The line saying that the simplified rate `rule` includes the import tax.
fn included_line(ctx: &Ctx<'_>, rule: &SimplifiedRateFile) -> TaxLine {
    let kind = &ctx.version.rules.taxes.kind;
    let items: Vec<usize> = (0..ctx.values.lines.len())
        .filter(|&i| ctx.decl.items[i].nature != Nature::Document)
        .collect();
    ctx.tracer.step(Step::Tax, || {
        (
            ctx.rule(&format!("simplified_rates.{}", rule.id)),
            rule.source.clone(),
            format!(
                "{kind}: the import {kind} is included in the simplified rate {} (items {items:?}); nothing more is charged",
                rule.id
            ),
        )
    });
    TaxLine {
        kind: ctx.version.texts.tax_kind.clone(),
        rate: crate::declaration::Text::from(format!("included in {}", rule.id)),
        base: ctx.out(Decimal::ZERO),
        amount: ctx.out(Decimal::ZERO),
        charged: TaxPoint::AtImport,
        items,
        basis: None,
    }
}

/// What each line's tax base is made of, and how the tax on it is charged.
struct Base<'c, 'a> {
    point: TaxPoint,
    /// The parts the base adds up (`valuation.import_tax_base` or `sale_tax_base`).
    parts: &'a [TaxBasePart],
    /// Each item's duty, as the base adds it.
    duty: &'c [Decimal],
    /// Each item's share of the fees in the tax base (empty when there are none).
    fees: Vec<Decimal>,
    /// The gift relief: relieves the tax, or deducts an allowance from the import tax base.
    gift: Option<&'c super::relief::Gift<'a>>,
    /// Whose rates apply (the destination's reduced rates, or the standard rate only).
    rates: RateChoice,
    /// The part of the tax a scheme charges (per cent), if not all of it.
    share: Option<Decimal>,
    /// The scheme's id, for the trace.
    scheme: Option<&'a str>,
    /// The subdivision's standard rate in force (the same for every line: looked up once).
    standard: Option<Rated<'a>>,
}

impl<'c, 'a> Base<'c, 'a> {
    fn new(
        ctx: &Ctx<'a>,
        chosen: &Chosen<'a>,
        duty: &'c DutyOutcome<'a>,
        fees_in_base: Decimal,
    ) -> Result<Base<'c, 'a>, Error> {
        let point = chosen.tax_point();
        let valuation = &ctx.version.rules.valuation;
        let parts = match point {
            TaxPoint::AtSale => &valuation.sale_tax_base,
            _ => &valuation.import_tax_base,
        };
        let lines = &ctx.values.lines;
        // No fees in the base (the common case): no list of zero shares.
        let fees = if fees_in_base.is_zero() {
            Vec::new()
        } else {
            apportion_by(
                fees_in_base,
                lines.len(),
                |i| lines[i].value,
                ctx.version.currency_scale,
            )?
        };
        let base = Base {
            point,
            parts,
            duty: &duty.item_duty,
            fees,
            gift: duty.reliefs.gift.as_ref(),
            rates: chosen.scheme.map_or(RateChoice::Destination, |s| s.rate),
            share: chosen.scheme.and_then(|s| s.tax_share).map(|a| a.0),
            scheme: chosen.scheme.map(|s| s.id.as_str()),
            standard: standard_rate(ctx),
        };
        if parts.contains(&TaxBasePart::Uplift) {
            trace_uplift(ctx);
        }
        Ok(base)
    }

    /// Line `i`'s tax base.
    fn of(&self, ctx: &Ctx<'_>, i: usize) -> Result<Decimal, Error> {
        let line = &ctx.values.lines[i];
        // A part's value, written out where it is read: as a closure returning a `Result` (for
        // the uplift) it cost some 60 instructions a line more than the loop over an
        // `Option`, which the slice pattern below saves some 30 on (and a loop with the first
        // part told by its index loses some 40).
        macro_rules! value {
            ($part:expr) => {
                match $part {
                    TaxBasePart::CustomsValue => line.customs,
                    TaxBasePart::Duty => self.duty[i],
                    TaxBasePart::FeesInTaxBase => {
                        self.fees.get(i).copied().unwrap_or(Decimal::ZERO)
                    }
                    TaxBasePart::Goods => line.value,
                    TaxBasePart::Shipping => line.shipping,
                    TaxBasePart::Insurance => line.insurance,
                    TaxBasePart::Uplift => uplift(ctx, i)?,
                }
            };
        }
        // Started from the first part, not from a zero (`add` of a zero is the other operand,
        // so the sum is the same): one sum fewer a line. A [`Sum`]: the running base is not
        // packed into a decimal after each part nor unpacked before the next.
        #[cfg(not(target_arch = "wasm32"))]
        let mut base = match self.parts {
            [] => Decimal::ZERO,
            [first, rest @ ..] => {
                let mut base = Sum::of(value!(first));
                for part in rest {
                    base.add(value!(part)).ok_or_else(super::overflow)?;
                }
                base.value()
            }
        };
        // One copy of the part's value in the WASM module (the form above made the checkout
        // module about 1 kB larger gzipped; size, issue 17).
        #[cfg(target_arch = "wasm32")]
        let mut base = {
            let mut base = None;
            for part in self.parts {
                let v = value!(part);
                base = Some(match base {
                    None => v,
                    Some(b) => add(b, v)?,
                });
            }
            base.unwrap_or(Decimal::ZERO)
        };
        if let Some(g) = self
            .gift
            .filter(|g| g.allowance_on(Charge::Tax) && self.point == TaxPoint::AtImport)
        {
            base = (base - g.allowance[i]).max(Decimal::ZERO);
        }
        // Japan computes consumption tax on the base truncated to JPY 1,000, per line.
        if let Some(r) = &ctx.version.rounding.tax_base {
            base = round(r, base)?;
        }
        Ok(base)
    }
}

fn trace_uplift(ctx: &Ctx<'_>) {
    let Some(u) = ctx.version.rules.valuation.uplift.as_ref() else {
        return;
    };
    ctx.tracer.step(Step::Tax, || {
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

thread_local! {
    /// The rate groups' vector of this thread's last assessment, emptied: one allocation a
    /// record fewer ([`super::spare::take`], [`super::spare::keep`]).
    static GROUPS: Cell<Vec<RateGroup>> = const { Cell::new(Vec::new()) };
}

/// The lines taxed at one rate.
struct RateGroup {
    rate: Decimal,
    /// The rate's text (a copy of the version's, moved into the tax line: `20%` is kept
    /// inline), so that a group borrows nothing and the thread can keep the vector of groups.
    text: crate::declaration::Text,
    base: Decimal,
    unrounded: Decimal,
    /// The sum of the line-rounded amounts.
    rounded: Decimal,
    items: Vec<usize>,
}

/// The goods lines grouped by rate, in order of first appearance; and whether the tax de
/// minimis relieved any line. A relieved line is in no group.
fn group_by_rate<'a>(
    ctx: &Ctx<'a>,
    base: &Base<'_, '_>,
    threshold: Option<&Active<'_>>,
) -> Result<(Vec<RateGroup>, bool), Error> {
    let gift_relieves = base.gift.is_some_and(|g| g.relieves(Charge::Tax));
    let taxes = &ctx.version.rules.taxes;
    // The thread's vector of an earlier assessment, emptied ([`GROUPS`]).
    let mut groups = super::spare::take(&GROUPS);
    groups.reserve(ctx.decl.items.len());
    let mut relieved_any = false;
    for (i, (item, line)) in ctx.decl.items.iter().zip(&ctx.values.lines).enumerate() {
        if item.nature == Nature::Document {
            continue;
        }
        // A de minimis is an import relief: it never removes tax a scheme charges at sale.
        let relieved = base.point == TaxPoint::AtImport
            && threshold.is_some_and(|a| {
                a.threshold.basis != Basis::TaxAmount && a.relieves_item(ctx, item, line)
            });
        if gift_relieves || relieved {
            relieved_any |= relieved;
            continue;
        }
        let line_base = base.of(ctx, i)?;
        let (rate, text) = line_rate(ctx, i, base.rates, base.standard)?;
        let unrounded = tax_on(line_base, rate, taxes.inclusive, base.share)?;
        let rounded = round(&ctx.version.rounding.tax, unrounded)?;
        match groups.iter_mut().find(|g| g.rate == rate) {
            Some(g) => {
                g.base = add(g.base, line_base)?;
                g.unrounded = add(g.unrounded, unrounded)?;
                g.rounded = add(g.rounded, rounded)?;
                g.items.push(i);
            }
            None => groups.push(RateGroup {
                rate,
                text: text.clone(),
                base: line_base,
                unrounded,
                rounded,
                // Room for every item left, so the lines sharing the rate are added without
                // growing it (a reallocation each); the first group's list is an earlier
                // result's when there is one ([`super::spare::Spare::tax_items`]).
                items: {
                    let mut items = ctx.spare.tax_items.take();
                    items.clear();
                    super::spare::reserve_exact(&mut items, ctx.decl.items.len() - i);
                    items.push(i);
                    items
                },
            }),
        }
    }
    Ok((groups, relieved_any))
}

/// One rate's tax line, rounded per line or once per consignment as the regime says, onto
/// `lines`; returns its amount. Pushed here rather than returned: the line (some 120 bytes)
/// was copied out through the `Result` and again into the vector.
fn group_line(
    ctx: &Ctx<'_>,
    base: &Base<'_, '_>,
    group: RateGroup,
    lines: &mut Vec<TaxLine>,
) -> Result<Decimal, Error> {
    let amount = match ctx.version.rules.rounding.tax.scope {
        RoundingScope::Line => group.rounded,
        RoundingScope::Consignment => round(&ctx.version.rounding.tax, group.unrounded)?,
    };
    let charged = match base.point {
        TaxPoint::AtSale => TaxPoint::AtSale,
        _ => TaxPoint::AtImport,
    };
    let RateGroup {
        rate,
        text,
        base: sum,
        items,
        ..
    } = group;
    ctx.tracer.step(Step::Tax, || {
        (
            ctx.rule(&format!("taxes.{}", ctx.subdivision)),
            tax_source(ctx, &items, base.rates),
            format!(
                "{} {}% {charged} on {sum} (items {items:?}; base = {}){} = {amount}",
                ctx.version.rules.taxes.kind,
                rate.normalize(),
                describe_base(ctx, base),
                describe_rate(ctx, base, rate),
            ),
        )
    });
    lines.push(TaxLine {
        kind: ctx.version.texts.tax_kind.clone(),
        rate: text,
        base: ctx.out(sum),
        amount: ctx.out(amount),
        charged,
        items,
        basis: None,
    });
    Ok(amount)
}

/// `customs_value + duty, each line's base rounded …`: what the base is made of, for the trace.
fn describe_base(ctx: &Ctx<'_>, base: &Base<'_, '_>) -> String {
    let parts = base
        .parts
        .iter()
        .map(wire_name)
        .collect::<Vec<_>>()
        .join(" + ");
    let rounded = ctx
        .version
        .rounding
        .tax_base
        .map(|r| {
            format!(
                ", each line's base rounded {} to {} by rounding.tax_base",
                wire_name(&r.mode),
                r.increment
            )
        })
        .unwrap_or_default();
    parts + &rounded
}

/// How the rate applies when it is not a plain percentage of the base, for the trace.
fn describe_rate(ctx: &Ctx<'_>, base: &Base<'_, '_>, rate: Decimal) -> String {
    let mut out = String::new();
    if ctx.version.rules.taxes.inclusive {
        out.push_str(&format!(
            "; tax-inclusive base: base × {r} / (100 − {r})",
            r = rate.normalize()
        ));
    }
    if let Some(s) = base.share {
        out.push_str(&format!(
            "; {}% of the tax charged under {}",
            s.normalize(),
            base.scheme.unwrap_or("the scheme")
        ));
    }
    out
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
    percent_of(ctx.values.lines[i].customs, u.rate.0)
}

/// Tax at `rate` per cent on `base`: on a tax-inclusive base ("por dentro") the tax is part of
/// its own base, `base × rate / (100 − rate)`; `share` (per cent) then keeps part of it. The
/// plain per cent (nearly every line) is inlined where it is called on native targets (the
/// call cost about as much as the per cent; one copy in the WASM module), the rest apart.
#[inline]
pub(crate) fn tax_on(
    base: Decimal,
    rate: Decimal,
    inclusive: bool,
    share: Option<Decimal>,
) -> Result<Decimal, Error> {
    if !inclusive && share.is_none() {
        return percent_of(base, rate);
    }
    tax_on_general(base, rate, inclusive, share)
}

/// [`tax_on`] on a tax-inclusive base or with a share.
#[inline(never)]
fn tax_on_general(
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
        tax = crate::exact::quotient(mul(base, rate)?, rest).ok_or_else(super::overflow)?;
    }
    match share {
        Some(s) => percent_of(tax, s),
        None => Ok(tax),
    }
}

/// A rate in force, with its text (`20%`) resolved when the version was compiled.
type Rated<'a> = (&'a DatedRate, &'a crate::declaration::Text);

/// The reduced rate for goods of HS `hs` in the tax subdivision (the longest prefix wins).
fn reduced_rate<'a>(ctx: &Ctx<'a>, hs: &str) -> Option<Rated<'a>> {
    let reduced = &ctx.version.rules.taxes.reduced;
    let i = (ctx.sub.reduced.iter().copied())
        .filter(|&i| crate::regime::hs_starts_with(hs, reduced[i].hs_prefix.as_str()))
        .max_by_key(|&i| reduced[i].hs_prefix.len())?;
    let k = rate_index(&reduced[i].rates, ctx.date)?;
    Some((
        &reduced[i].rates[k],
        &ctx.version.subdivisions.reduced_texts[i][k],
    ))
}

/// The standard rate of the tax subdivision.
pub(crate) fn standard_rate<'a>(ctx: &Ctx<'a>) -> Option<Rated<'a>> {
    let k = rate_index(&ctx.sub.standard, ctx.date)?;
    Some((&ctx.sub.standard[k], &ctx.sub.standard_texts[k]))
}

/// The rate for line `i`, with its text: a reduced rate by HS prefix (longest wins) when the
/// choice allows, else `standard`, the standard rate of the subdivision ([`standard_rate`]).
fn line_rate<'a>(
    ctx: &Ctx<'a>,
    i: usize,
    choice: RateChoice,
    standard: Option<Rated<'a>>,
) -> Result<(Decimal, &'a crate::declaration::Text), Error> {
    let hs = ctx.decl.items[i].hs_code.as_deref();
    // No reduced rates in the subdivision (the EU's pack has none): no call to look for one.
    let reduced = hs
        .filter(|_| choice == RateChoice::Destination && !ctx.sub.reduced.is_empty())
        .and_then(|hs| reduced_rate(ctx, hs));
    reduced
        .or(standard)
        .map(|(r, text)| (r.rate.0, text))
        .ok_or_else(|| {
            Error::at(
                ErrorCode::NoTaxRate,
                "date",
                format!(
                    "{} has no {} rate for {} in force on {}",
                    ctx.version.label, ctx.version.rules.taxes.kind, ctx.subdivision, ctx.date
                ),
            )
        })
}

/// The source of the rate a group of lines was taxed at.
fn tax_source(ctx: &Ctx<'_>, items: &[usize], choice: RateChoice) -> String {
    let reduced = items
        .iter()
        .filter(|_| choice == RateChoice::Destination)
        .find_map(|&i| reduced_rate(ctx, ctx.decl.items[i].hs_code.as_deref()?));
    reduced
        .or_else(|| standard_rate(ctx))
        .map(|(r, _)| r.source.clone())
        .unwrap_or_default()
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

    /// Brazil, worked example derived from the RTS and ICMS rules (docs/research/BR.md 5):
    /// CIF 100 + II 40 = 140; ICMS 17 % "por dentro" = 140 / 0.83 × 0.17 = 28.67; at 20 % on
    /// CIF 40 + II 8 = 48: 12.00.
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

    /// China CBEC, worked example derived from 财关税〔2018〕49号 (docs/research/CN.md 1):
    /// 13 % VAT at 70 % = 9.1 %; order CNY 200 → 18.20.
    #[test]
    fn share_keeps_part_of_the_tax() {
        assert_eq!(
            tax_on(d("200"), d("13"), false, Some(d("70"))).unwrap(),
            d("18.2")
        );
    }
}
