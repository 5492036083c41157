//! Valuation of goods for the importer's personal use at a share of the price paid (Japan's
//! Customs Tariff Act Art. 4-6(2): the wholesale-level price, taken as the overseas retail price
//! × 0.6), before transport is added.

use rust_decimal::Decimal;

use super::{percent_of, round, Ctx};
use crate::declaration::{ConsigneeKind, Item};
use crate::error::Error;
use crate::regime::excluded_by;
use crate::regime::pack::PersonalUseFile;

/// The personal-use valuation, when it applies to this consignment: a private consignee, a
/// transaction it covers and, last, the reading of its option (so that `reject` fails only a
/// consignment it would change).
pub(crate) fn applies<'a>(ctx: &Ctx<'a>) -> Result<Option<&'a PersonalUseFile>, Error> {
    let Some(rule) = ctx.version.rules.valuation.personal_use.as_ref() else {
        return Ok(None);
    };
    let decl = ctx.decl;
    if decl.consignee.kind != ConsigneeKind::Individual
        || !super::allowed(&rule.transactions, &decl.transaction)
    {
        return Ok(None);
    }
    let open =
        super::threshold::gate_open(ctx, rule.when_option.as_ref(), "the personal-use valuation")?;
    Ok(open.then_some(rule))
}

/// The value of one line's goods for customs: `rate` % of the price paid, rounded by the
/// regime's exchange rounding like any converted amount; excluded goods at their full price.
pub(crate) fn goods_value(
    ctx: &Ctx<'_>,
    rule: &PersonalUseFile,
    item: &Item,
    value: Decimal,
) -> Result<Decimal, Error> {
    if excluded_by(&rule.excluded, item.hs_code.as_deref()).is_some() {
        return Ok(value);
    }
    round(
        &ctx.version.rounding.exchange,
        percent_of(value, rule.rate.0)?,
    )
}
