//! Converting declared amounts into the regime's currency: which rate, and how it shows in the
//! result and the trace (`crate::exchange` holds the tables and the rules).

use rust_decimal::Decimal;

use super::{overflow, round, Ctx};
use crate::date::Date;
use crate::error::Error;
use crate::exchange::{Rate, RateTable};
use crate::result::ExchangeUsed;
use crate::trace::{wire_name, Step};

/// The rate converting `currency` into the regime's currency on `date` and its table, or the
/// `E_NO_EXCHANGE_RATE` error at `path` saying why there is none and what to load.
pub(super) fn rate_for<'a>(
    ctx: &Ctx<'a>,
    currency: &str,
    date: Date,
    path: String,
) -> Result<(&'a RateTable, Rate), Error> {
    ctx.rates.find(ctx.regime, currency, date).map_err(|why| {
        crate::exchange::no_rate(
            path,
            format!(
                "no {currency}→{} exchange rate is in force on {date}",
                ctx.regime.currency
            ),
            why,
        )
    })
}

/// `amount` converted at `rate` and rounded by the version's `rounding.exchange`: one rounding,
/// of the exact product or quotient.
pub(super) fn convert(ctx: &Ctx<'_>, rate: &Rate, amount: Decimal) -> Result<Decimal, Error> {
    round(
        &ctx.version.rounding.exchange,
        rate.convert(amount).ok_or_else(overflow)?,
    )
}

/// What a converted amount is: `("items", Some(0))`, `("shipping", None)`.
pub(super) type Converted = ((&'static str, Option<usize>), Decimal, Decimal);

/// The result's `exchange` and the trace step showing each conversion (what, declared amount,
/// converted amount).
pub(super) fn record(
    ctx: &Ctx<'_>,
    table: &RateTable,
    rate: &Rate,
    conversions: &[Converted],
) -> ExchangeUsed {
    let table = table.name();
    let used = ExchangeUsed {
        from: ctx.decl.currency.clone(),
        to: ctx.regime.currency.clone(),
        rate: crate::money::Amount(rate.rate),
        method: rate.method,
        valid_from: rate.valid_from,
        valid_to: rate.valid_to,
        table: table.to_string(),
        publication: rate.publication.to_string(),
        source: rate.source.to_string(),
    };
    let rounding = ctx.version.rounding.exchange;
    let rule = ctx.rule("rounding.exchange");
    ctx.tracer.step(Step::Exchange, || {
        let period = match rate.valid_to {
            Some(last) => format!("in force {} to {last}", rate.valid_from),
            None => format!("in force from {}", rate.valid_from),
        };
        let verb = match rate.method {
            crate::exchange::Method::Multiply => "multiplied by",
            crate::exchange::Method::Divide => "divided by",
        };
        let shown: Vec<String> = conversions
            .iter()
            .map(|((what, index), amount, converted)| match index {
                Some(i) => format!("{what}[{i}] {}", rate.shown(*amount, *converted)),
                None => format!("{what} {}", rate.shown(*amount, *converted)),
            })
            .collect();
        (
            rule,
            format!("{} — {}", rate.publication, rate.source),
            format!(
                "{} ({}, {period}, table {table}); each amount {verb} the rate and rounded {} to {}: {}",
                rate.quotation(),
                rate.publication,
                wire_name(&rounding.mode),
                rounding.increment,
                shown.join("; ")
            ),
        )
    });
    used
}
