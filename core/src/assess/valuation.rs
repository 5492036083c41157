//! Valuation, the first stage: the declared amounts converted to the regime currency, each
//! line's value, shipping and insurance share and customs value, and the consignment's
//! intrinsic and customs values that every threshold and ceiling compares.

use rust_decimal::Decimal;

use super::{add, apportion_two, conversion, Ctx};
use crate::date::Date;
use crate::error::{Error, ErrorCode};
use crate::regime::pack::Basis;
use crate::result::ExchangeUsed;
use crate::trace::Step;

/// One line's values in the regime currency.
#[derive(Debug, Clone, Default)]
pub(crate) struct Line {
    /// Line value.
    pub value: Decimal,
    /// Share of shipping + insurance apportioned to the line.
    pub transport: Decimal,
    /// Share of shipping apportioned to the line.
    pub shipping: Decimal,
    /// Share of insurance apportioned to the line.
    pub insurance: Decimal,
    /// Customs value of the line.
    pub customs: Decimal,
}

/// The consignment's values in the regime currency.
#[derive(Debug, Clone, Default)]
pub(crate) struct Valuation {
    /// One per declared item, in order.
    pub lines: Vec<Line>,
    /// Price of the goods, without transport and insurance.
    pub intrinsic: Decimal,
    pub shipping: Decimal,
    pub insurance: Decimal,
    pub customs_value: Decimal,
    /// The declared earlier purchases (converted only when a per-person limit needs them).
    pub prior: Vec<(Date, Decimal)>,
}

impl Valuation {
    /// The value a threshold or ceiling compares. Inlined: a field read in the common cases,
    /// where the call cost some 25 instructions, four times a record; the rare sum is apart.
    #[inline]
    pub fn basis_value(&self, basis: Basis) -> Decimal {
        match basis {
            Basis::Intrinsic => self.intrinsic,
            Basis::IntrinsicPlusTransport => self.intrinsic_plus_transport(),
            Basis::CustomsValue => self.customs_value,
            // Thresholds on the tax amount are tested where the tax is known; as a value
            // basis it would compare nothing meaningful, so it never passes.
            Basis::TaxAmount => Decimal::MAX,
        }
    }

    /// The intrinsic value plus shipping and insurance ([`Valuation::basis_value`]).
    #[inline(never)]
    fn intrinsic_plus_transport(&self) -> Decimal {
        self.intrinsic + self.shipping + self.insurance
    }
}

/// Values the consignment into `v`, a new (default) valuation (the regime, version and date
/// are in `ctx`; its values are not read), and writes the exchange rate applied, when the
/// declaration's currency is not the regime's, into `exchange` (the result's: nothing else
/// reads it). Filled where the caller holds them: returned through a `Result`, the valuation
/// and the exchange in it were copied three times (about 130 instructions a record).
pub(crate) fn value(
    ctx: &Ctx<'_>,
    v: &mut Valuation,
    exchange: &mut Option<ExchangeUsed>,
) -> Result<(), Error> {
    let decl = ctx.decl;
    let rate =
        if crate::hashing::same_text(decl.currency.as_bytes(), ctx.regime.currency.as_bytes()) {
            None
        } else {
            Some(conversion::rate_for(
                ctx,
                &decl.currency,
                ctx.date,
                "currency".into(),
            )?)
        };
    // The conversions the trace shows: every item, and shipping and insurance when charged.
    let mut shown: Vec<conversion::Converted> = Vec::new();
    let mut convert = |what: (&'static str, Option<usize>), v: Decimal| match &rate {
        None => Ok(v),
        Some((_, r)) => {
            let c = conversion::convert(ctx, r, v)?;
            if ctx.opts.trace && (what.1.is_some() || !v.is_zero()) {
                shown.push((what, v, c));
            }
            Ok::<_, Error>(c)
        }
    };
    // The thread's last assessment's vector, emptied ([`super::spare::lines`]).
    v.lines = super::spare::lines(decl.items.len());
    for (i, item) in decl.items.iter().enumerate() {
        let value = convert(("items", Some(i)), item.value.0)?;
        // From the first item, not from the zero the valuation starts with (the same sum).
        v.intrinsic = if i == 0 {
            value
        } else {
            add(v.intrinsic, value)?
        };
        v.lines.push(Line {
            value,
            ..Line::default()
        });
    }
    v.prior = prior_purchases(ctx)?;
    v.shipping = convert(("shipping", None), decl.shipping.0)?;
    v.insurance = convert(("insurance", None), decl.insurance.0)?;
    match rate {
        Some((table, r)) => *exchange = Some(conversion::record(ctx, table, &r, &shown)),
        // An earlier result's (a reused one) goes; a `None` is left as it is.
        None if exchange.is_some() => *exchange = None,
        None => {}
    }
    customs_values(ctx, v)?;
    ctx.tracer.step(Step::Value, || {
        (
            ctx.rule("valuation.customs_value"),
            ctx.version.rules.valuation.source.clone(),
            format!(
                "intrinsic value {} (sum of {} item values); shipping {} + insurance {}; customs value {} on basis {}",
                v.intrinsic,
                v.lines.len(),
                v.shipping,
                v.insurance,
                v.customs_value,
                ctx.version.rules.valuation.customs_value.as_str()
            ),
        )
    });
    Ok(())
}

/// The declared earlier purchases in the regime currency, each at the rate of its own date;
/// none when no per-person limit of the version counts them.
fn prior_purchases(ctx: &Ctx<'_>) -> Result<Vec<(Date, Decimal)>, Error> {
    let (decl, rules) = (ctx.decl, &ctx.version.rules);
    let dm = &rules.de_minimis;
    let counted = [&dm.duty, &dm.tax]
        .iter()
        .any(|t| t.as_ref().is_some_and(|t| t.per_person.is_some()))
        || rules.schemes.iter().any(|s| s.per_person.is_some());
    if !counted {
        return Ok(Vec::new());
    }
    let to = ctx.regime.currency.as_str();
    let mut prior = Vec::with_capacity(decl.prior_purchases.len());
    for (i, p) in decl.prior_purchases.iter().enumerate() {
        let currency = p.currency.as_deref().unwrap_or(&decl.currency);
        let v = if currency == to {
            p.value.0
        } else {
            let path = format!("prior_purchases[{i}].currency");
            let (_, rate) = conversion::rate_for(ctx, currency, p.date, path)?;
            conversion::convert(ctx, &rate, p.value.0)?
        };
        prior.push((p.date, v));
    }
    Ok(prior)
}

/// Shares shipping and insurance over the lines by value, and works out each line's customs
/// value and their sum, on the version's customs value basis.
fn customs_values(ctx: &Ctx<'_>, v: &mut Valuation) -> Result<(), Error> {
    let version = ctx.version;
    let scale = version.currency_scale;
    // The shares are written into the lines (new ones, their shares zero), without a list of
    // their own; nothing to share leaves them zero (insurance is rarely declared).
    // Both over the same lines, in one pass where the integer path allows it.
    apportion_two(
        [v.shipping, v.insurance],
        &mut v.lines,
        |l| l.value,
        scale,
        |l, k, s| {
            if k == 0 {
                l.shipping = s;
            } else {
                l.insurance = s;
            }
        },
    )?;
    let with_transport = match version.rules.valuation.customs_value {
        Basis::Intrinsic => false,
        Basis::IntrinsicPlusTransport => true,
        other => {
            return Err(Error::new(
                ErrorCode::InvalidPack,
                format!(
                    "{}: customs value basis {} is not a value basis",
                    version.label,
                    other.as_str()
                ),
            ))
        }
    };
    let personal = super::personal_use::applies(ctx)?;
    let mut customs_value = Decimal::ZERO;
    for (i, (line, item)) in v.lines.iter_mut().zip(&ctx.decl.items).enumerate() {
        line.transport = add(line.shipping, line.insurance)?;
        let goods = match personal {
            Some(rule) => super::personal_use::goods_value(ctx, rule, item, line.value)?,
            None => line.value,
        };
        line.customs = if with_transport {
            add(goods, line.transport)?
        } else {
            goods
        };
        // From the first line, not from a zero (`add` of a zero is the other operand).
        customs_value = if i == 0 {
            line.customs
        } else {
            add(customs_value, line.customs)?
        };
    }
    v.customs_value = customs_value;
    if let Some(rule) = personal {
        ctx.tracer.step(Step::Value, || {
            (
                ctx.rule("valuation.personal_use"),
                rule.source.clone(),
                format!(
                    "goods for the consignee's personal use valued at {}% of the price paid, before transport",
                    rule.rate.0
                ),
            )
        });
    }
    Ok(())
}
