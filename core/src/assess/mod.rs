//! The assessment pipeline.
//!
//! regime version in force → checks → values (exchange, intrinsic, customs) → collection
//! scheme → duties (gift relief, de minimis, flat duty, tariff) → taxes → fees → totals →
//! release category → data-set findings. Each step records a trace entry naming its rule and
//! source when the caller asks for a trace.

mod additional;
mod collection;
mod context;
mod conversion;
mod duty;
mod fees;
mod personal_use;
pub(crate) mod plan;
mod relief;
mod required_data;
mod scope;
mod simplified;
pub(crate) mod spare;
mod surcharge;
mod tariff;
mod tax;
mod threshold;
mod totals;
mod valuation;
mod waivers;

use rust_decimal::Decimal;

pub use crate::options::AssessOptions;
pub(crate) use context::Ctx;
pub(crate) use plan::PlanId;
pub(crate) use valuation::{Line, Valuation};

use crate::declaration::{Declaration, Nature};
use crate::error::{Error, ErrorCode};
use crate::regime::pack::{Payer, Sourced};
use crate::release::Screened;
use crate::result::{Assessment, Severity};
use crate::Engine;
use totals::Totals;

/// `customs_value value 120 is above 50`: how a value condition compared, for traces and
/// messages.
pub(crate) fn value_condition(
    ctx: &Ctx<'_>,
    condition: &crate::regime::pack::Ceiling,
    relation: &str,
) -> String {
    format!(
        "{} value {} is {relation} {}",
        condition.basis.as_str(),
        ctx.basis_value(condition.basis),
        condition.amount.0
    )
}

/// Whether a rule limited to `list` (`None` = no limit) covers `value`: a channel, a
/// transaction type.
#[inline]
pub(crate) fn allowed<T: PartialEq>(list: &Option<Vec<T>>, value: &T) -> bool {
    list.as_ref().is_none_or(|l| l.contains(value))
}

/// Whether a rule limited to channels and transaction types covers the declaration.
#[inline]
pub(crate) fn flow_allowed(
    channels: &Option<Vec<crate::declaration::Channel>>,
    transactions: &Option<Vec<crate::declaration::Transaction>>,
    decl: &Declaration,
) -> bool {
    allowed(channels, &decl.channel) && allowed(transactions, &decl.transaction)
}

/// Exact addition: a sum that overflows, or that `rust_decimal` could hold only by dropping
/// decimal places, is `E_OVERFLOW` ([`crate::exact`]), never a wrap, a panic or a rounded figure.
/// Always inlined: called a few dozen times per assessment, and returning the large
/// `Result` through memory cost more than the sum.
#[inline(always)]
pub(crate) fn add(a: Decimal, b: Decimal) -> Result<Decimal, Error> {
    crate::exact::add(a, b).ok_or_else(overflow)
}

/// Exact multiplication, as [`add`].
#[inline(always)]
pub(crate) fn mul(a: Decimal, b: Decimal) -> Result<Decimal, Error> {
    crate::exact::mul(a, b).ok_or_else(overflow)
}

/// `rate` per cent of `base`, exactly: dividing by 100 is a shift of the decimal point, far
/// cheaper than a decimal division.
///
/// The common case (amounts and rates of a few digits) is one product in integers
/// ([`crate::exact::percent_fast`]), inlined on native targets; the rest is apart. One copy in
/// the WASM module (size, issue 17).
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
#[cfg_attr(target_arch = "wasm32", inline(never))]
pub(crate) fn percent_of(base: Decimal, rate: Decimal) -> Result<Decimal, Error> {
    match crate::exact::percent_fast(base, rate) {
        Some(p) => Ok(p),
        None => percent_general(base, rate),
    }
}

/// [`percent_of`] for any operands.
#[inline(never)]
fn percent_general(base: Decimal, rate: Decimal) -> Result<Decimal, Error> {
    let mut product = mul(base, rate)?;
    let scale = product.scale() + 2;
    if scale <= 28 {
        product.set_scale(scale).map_err(|_| overflow())?;
        Ok(product)
    } else {
        // Past 28 places the shift drops digits: exact only when they are zeros.
        let shifted = product
            .checked_div(Decimal::ONE_HUNDRED)
            .ok_or_else(overflow)?;
        if mul(shifted, Decimal::ONE_HUNDRED)? == product {
            Ok(shifted)
        } else {
            Err(overflow())
        }
    }
}

#[cold]
pub(crate) fn overflow() -> Error {
    Error::new(
        ErrorCode::Overflow,
        "an amount overflowed during the assessment: it needs more than the 28 significant \
         digits xborder computes with exactly",
    )
}

/// Applies a rounding rule, mapping overflow to an error.
#[inline]
pub(crate) fn round(rule: &crate::money::Rounding, value: Decimal) -> Result<Decimal, Error> {
    rule.apply(value).ok_or_else(overflow)
}

/// Splits `total` in proportion to `weights` (a line's value, an amount), rounded to `scale`
/// by cumulative rounding so that the shares add up to `total` exactly. When every weight is
/// zero the shares are equal.
pub(crate) fn apportion(
    total: Decimal,
    weights: &[Decimal],
    scale: u32,
) -> Result<Vec<Decimal>, Error> {
    apportion_by(total, weights.len(), |i| weights[i], scale)
}

/// [`apportion`] over `n` weights read by `weight`, so that callers need not collect them.
pub(crate) fn apportion_by(
    total: Decimal,
    n: usize,
    weight: impl Fn(usize) -> Decimal,
    scale: u32,
) -> Result<Vec<Decimal>, Error> {
    // Each weight becomes its share, in place.
    let mut shares: Vec<Decimal> = (0..n).map(weight).collect();
    apportion_in(total, &mut shares, |w| *w, scale, |share, s| *share = s)?;
    Ok(shares)
}

/// [`apportion`] over `items`, each weighed by `weight` and handed its share by `put`, so
/// that the shares go where they are needed (a valuation line's shipping) without a list of
/// their own. `put` may overwrite what `weight` reads: an item's weight is read for the last
/// time before its share is put.
pub(crate) fn apportion_in<T>(
    total: Decimal,
    items: &mut [T],
    weight: impl Fn(&T) -> Decimal,
    scale: u32,
    mut put: impl FnMut(&mut T, Decimal),
) -> Result<(), Error> {
    let n = items.len();
    if total.is_zero() || n == 0 {
        for item in items.iter_mut() {
            put(item, Decimal::ZERO);
        }
        return Ok(());
    }
    if let [item] = items {
        // One item (most consignments) takes the whole total, as the loop below would give
        // it (`total` less the nothing given before it), without adding up the weights.
        let given = Decimal::ZERO;
        put(item, total - given);
        return Ok(());
    }
    // Not in the WASM modules, whose size counts more there than these instructions (issue
    // 17): the general path alone, as before.
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(shares) = crate::exact::Shares::of(total, items.iter().map(&weight), scale) {
        // The usual figures, in integers: the same shares as below, bit for bit.
        let mut cumulative = 0u64;
        let mut given = Decimal::ZERO;
        for (i, item) in items.iter_mut().enumerate() {
            let reached = if i + 1 == n {
                total
            } else {
                // Not past the sum, which `Shares::of` found below 2⁶³.
                cumulative += crate::exact::Shares::weight(weight(item));
                shares.reached(cumulative).ok_or_else(overflow)?
            };
            put(item, crate::exact::difference(reached, given));
            given = reached;
        }
        return Ok(());
    }
    apportion_general(total, items, weight, scale, put)
}

/// [`apportion_in`] of two totals over the same `items` and weights (a consignment's shipping
/// and insurance over its lines), `put` handed each item's two shares: the same shares as two
/// calls of `apportion_in`, in one pass over the items with the weights summed once where both
/// take the integer path (native only, as that path), else by those two calls; a zero total
/// is left out, its shares left as the items hold them (a new line's are zero, what
/// `apportion_in` would put).
pub(crate) fn apportion_two<T>(
    totals: [Decimal; 2],
    items: &mut [T],
    weight: impl Fn(&T) -> Decimal,
    scale: u32,
    mut put: impl FnMut(&mut T, usize, Decimal),
) -> Result<(), Error> {
    #[cfg(not(target_arch = "wasm32"))]
    if items.len() > 1 && !totals[0].is_zero() && !totals[1].is_zero() {
        use crate::exact::Shares;
        let both = Shares::sum(items.iter().map(&weight)).and_then(|sum| {
            Some((
                Shares::over(totals[0], sum, scale)?,
                Shares::over(totals[1], sum, scale)?,
            ))
        });
        if let Some((first, second)) = both {
            let n = items.len();
            let mut cumulative = 0u64;
            let mut given = [Decimal::ZERO; 2];
            for (i, item) in items.iter_mut().enumerate() {
                let reached = if i + 1 == n {
                    totals
                } else {
                    cumulative += Shares::weight(weight(item));
                    [
                        first.reached(cumulative).ok_or_else(overflow)?,
                        second.reached(cumulative).ok_or_else(overflow)?,
                    ]
                };
                put(item, 0, crate::exact::difference(reached[0], given[0]));
                put(item, 1, crate::exact::difference(reached[1], given[1]));
                given = reached;
            }
            return Ok(());
        }
    }
    for (k, &total) in totals.iter().enumerate() {
        if !total.is_zero() {
            apportion_in(total, items, &weight, scale, |item, share| {
                put(item, k, share)
            })?;
        }
    }
    Ok(())
}

/// [`apportion_in`] for any figures (`total` not zero, two items or more).
#[inline(never)]
fn apportion_general<T>(
    total: Decimal,
    items: &mut [T],
    weight: impl Fn(&T) -> Decimal,
    scale: u32,
    mut put: impl FnMut(&mut T, Decimal),
) -> Result<(), Error> {
    let n = items.len();
    let sum = items.iter().map(&weight).try_fold(Decimal::ZERO, add)?;
    // Cumulative rounding: each share is round(total × cumulative weight) minus what the shares
    // before it got. The shares add up to `total` exactly, a zero weight gets exactly zero, and
    // no share is negative (rounding is monotone), which giving the whole remainder to the
    // last share could not guarantee.
    let round = |x: Decimal| {
        crate::exact::round_dp(
            x,
            scale,
            rust_decimal::RoundingStrategy::MidpointAwayFromZero,
        )
    };
    let mut cumulative = Decimal::ZERO;
    let mut given = Decimal::ZERO;
    for (i, item) in items.iter_mut().enumerate() {
        let reached = if i + 1 == n {
            total
        } else if sum.is_zero() {
            round(
                mul(total, Decimal::from(i as u64 + 1))?
                    .checked_div(Decimal::from(n as u64))
                    .ok_or_else(overflow)?,
            )
        } else {
            cumulative = add(cumulative, weight(item))?;
            // A quotient: `total × cumulative` may need more than 28 digits (shipping of 10¹²
            // on a line of 10¹²), and rust_decimal then keeps its 28 most significant, a
            // relative error below 10⁻²⁷ of a share that is rounded to `scale` next.
            // In integers when the figures allow it, bit for bit the same ([`crate::exact::share`]).
            crate::exact::share(total, cumulative, sum, scale).ok_or_else(overflow)?
        };
        put(item, reached - given);
        given = reached;
    }
    Ok(())
}

/// Runs the whole pipeline for one declaration: each stage reads what the stages before it
/// produced and hands its own outcome on. The result is [`fill`]ed over an empty one, as a
/// reused result is by [`assess_into`], so that the fields are mapped in one place.
pub(crate) fn assess(
    engine: &Engine,
    decl: &Declaration,
    opts: &AssessOptions,
) -> Result<Assessment, Error> {
    let mut out = Assessment::empty();
    run(engine, decl, opts, &mut out, true)?;
    Ok(out)
}

/// [`assess`] into `out`, an earlier result: its vectors are emptied and filled again (their
/// capacity kept), and the result is written where it lies rather than handed back through a
/// `Result` ([`spare::assess_then`]). On an error `out` holds the earlier result's other
/// fields (the exchange this declaration's, once it is valued) and empty vectors.
pub(crate) fn assess_into(
    engine: &Engine,
    decl: &Declaration,
    opts: &AssessOptions,
    out: &mut Assessment,
) -> Result<(), Error> {
    run(engine, decl, opts, out, false)
}

/// The pipeline, its vectors taken from `out` (the lines, findings and trace steps, and the
/// release reasons: a new result's are empty), its outcome [`fill`]ed into `out` (a new
/// result or a reused one: the same code fills both). The vectors are taken here, not handed
/// in: their 170 bytes were copied into the call. `fresh`: `out` is [`Assessment::empty`],
/// whose vectors hold nothing to take ([`spare::Spare::taken`]).
fn run(
    engine: &Engine,
    decl: &Declaration,
    opts: &AssessOptions,
    out: &mut Assessment,
    fresh: bool,
) -> Result<(), Error> {
    let spare = spare::Spare::taken(out, fresh, decl.items.len());
    let reasons = spare::reasons(out, fresh);
    decl.check()?;
    let selected = Ctx::select(engine, decl, opts)?;
    let mut ctx = Ctx::new(engine, decl, opts, selected, spare);
    ctx.start(engine)?;
    // Set once, before any stage that reads the values.
    let mut values = valuation::Valuation::default();
    valuation::value(&ctx, &mut values, &mut out.exchange)?;
    // The context's default valuation, replaced, holds no allocation: forgotten, not dropped.
    std::mem::forget(std::mem::replace(&mut ctx.values, values));
    excise_findings(&ctx);
    let documents_only = decl.items.iter().all(|i| i.nature == Nature::Document);
    let scheme = collection::choose(&ctx, documents_only);
    if !documents_only {
        scope::check(&ctx, &scheme)?;
    }
    // The charges stay in this frame, each where its stage wrote it: gathered by value into
    // one struct and handed back through a `Result`, they were copied twice (their 600 bytes
    // in `memcpy` calls, about 120 instructions a record).
    let mut duty = duty::DutyOutcome::new();
    duty::assess(&ctx, &scheme, documents_only, &mut duty)?;
    let mut tax = tax::TaxOutcome::new(&ctx);
    tax::threshold(&ctx, &mut tax)?;
    let mut fees = fees::before_tax(&ctx, documents_only)?;
    tax::assess(
        &ctx,
        &scheme,
        &duty,
        fees.in_tax_base,
        documents_only,
        &mut tax,
    )?;
    waivers::apply(&ctx, &mut duty, &mut tax)?;
    let payable = !duty.total.is_zero() || !tax.at_import().is_zero();
    let mut fee_tax = fees::after_tax(&ctx, &mut fees, payable)?;
    let mut charges = Charges {
        duty: &mut duty,
        tax: &mut tax,
        fees: &mut fees,
        fee_tax: &mut fee_tax,
    };
    let totals = Totals::of(&ctx, &scheme, &charges)?;
    let category = totals::category(&ctx, &totals, documents_only);
    required_data::check(&ctx, category.code);
    collection::check_collected_at_sale(&ctx, &scheme, totals.tax_at_sale);
    let collection = collection::outcome(&ctx, &scheme);
    totals.trace(&ctx, &scheme);
    let findings = ctx.take_findings();
    let release = match ctx.engine_option(&crate::options::SCREENING)? {
        "off" => crate::release::not_screened(&ctx.tracer, reasons),
        _ => crate::release::decide(
            ctx.risk_profile,
            &Screened {
                decl,
                values: &ctx.values,
                category: category.code,
                collection: &collection,
                due_at_import: totals.due_at_import,
                findings: &findings,
            },
            &ctx.tracer,
            reasons,
        ),
    };
    let finished = Finished {
        category,
        collection,
        release,
        findings,
    };
    // By reference: the context is some 500 bytes, copied when passed by value.
    fill(out, &mut ctx, &mut charges, &totals, finished);
    // The valuation lines and item duties, for the thread's next assessment.
    spare::keep_working(
        std::mem::take(&mut ctx.values.lines),
        std::mem::take(&mut duty.item_duty),
    );
    // The outcomes' vectors not moved into `out`, mostly the empty ones `Spare::of` left
    // there: an empty one is dropped without a call of its drop glue, one with room through
    // `spare::drop_vec`'s out-of-line drop (some 80 instructions a record).
    // In place: the outcome moved into a call, even an inlined one, was copied first (some
    // 280 bytes, about 50 instructions a record, issue 16); emptied, it holds nothing to free.
    duty.dispose();
    std::mem::forget(duty);
    spare::drop_vec(tax.lines);
    fees.dispose();
    spare::drop_vec(fee_tax.lines);
    Ok(())
}

/// What a consignment is charged, after the waivers: duty, then the tax (whose base may hold
/// the duty and some fees), the waivers that read both, and the fees that depend on what is
/// still payable. Borrowed from the pipeline's frame, where each stage left its outcome.
pub(crate) struct Charges<'c, 'a> {
    pub duty: &'c mut duty::DutyOutcome<'a>,
    pub tax: &'c mut tax::TaxOutcome<'a>,
    pub fees: &'c mut fees::Fees<'a>,
    pub fee_tax: &'c mut fees::FeeTax,
}

/// The outcomes decided after the charges.
struct Finished {
    category: crate::result::CategoryOutcome,
    collection: crate::result::CollectionOutcome,
    release: crate::release::Release,
    findings: Vec<crate::result::Finding>,
}

/// The result written over `out` field by field, the context's and the charges' vectors moved
/// into it (`out`'s own, emptied by [`spare::Spare::of`], go back to the stages next time):
/// building the result and then moving it into place copied its 784 bytes (about 100
/// instructions a record). The destructuring names every field, so that a field added to
/// [`Assessment`] fails to compile here until it is filled; `assess_into_is_assess` (tests)
/// checks that a result filled over an earlier one is a new one.
fn fill(
    out: &mut Assessment,
    ctx: &mut Ctx<'_>,
    charges: &mut Charges<'_, '_>,
    totals: &Totals,
    done: Finished,
) {
    let Assessment {
        id,
        regime,
        regime_version,
        currency,
        date,
        subdivision,
        flow,
        // Written by the valuation ([`valuation::value`]).
        exchange: _,
        intrinsic_value,
        customs_value,
        category,
        de_minimis,
        duties,
        duty_total,
        taxes,
        tax_total,
        fees,
        fee_total,
        collection,
        due_at_sale,
        due_at_import,
        total_payable,
        landed_cost,
        release,
        findings,
        trace,
    } = out;
    let (decl, version) = (ctx.decl, ctx.version);
    id.clone_from(&decl.id);
    regime.clone_from(&version.texts.regime);
    regime_version.clone_from(&version.texts.label);
    currency.clone_from(&version.texts.currency);
    *date = ctx.date;
    subdivision.clone_from(&ctx.sub.name);
    *flow = crate::result::Flow::of(decl);
    *intrinsic_value = ctx.out(ctx.values.intrinsic);
    *customs_value = ctx.out(ctx.values.customs_value);
    *category = done.category;
    de_minimis.duty.clone_from(&charges.duty.de_minimis);
    de_minimis.tax.clone_from(&charges.tax.de_minimis);
    std::mem::swap(duties, &mut charges.duty.lines);
    *duty_total = ctx.out(totals.duty);
    std::mem::swap(taxes, &mut charges.tax.lines);
    taxes.append(&mut charges.fee_tax.lines);
    *tax_total = ctx.out(totals.tax);
    std::mem::swap(fees, &mut charges.fees.lines);
    *fee_total = ctx.out(totals.fees);
    *collection = done.collection;
    *due_at_sale = ctx.out(totals.due_at_sale);
    *due_at_import = ctx.out(totals.due_at_import);
    *total_payable = ctx.out(totals.payable);
    *landed_cost = ctx.out(totals.landed_cost);
    // Field by field: the earlier release's reasons were taken ([`run`]), and its agencies
    // are dropped without the drop glue's call when there are none.
    let crate::release::Release {
        decision,
        score,
        profile,
        agencies,
        reasons,
    } = done.release;
    release.decision = decision;
    release.score = score;
    release.profile = profile;
    spare::drop_vec(std::mem::replace(&mut release.agencies, agencies));
    spare::drop_vec(std::mem::replace(&mut release.reasons, reasons));
    // The vector replaced is the empty one `Spare::of` left.
    spare::drop_vec(std::mem::replace(findings, done.findings));
    *trace = ctx.tracer.take();
}

fn excise_findings(ctx: &Ctx<'_>) {
    let Some(excise) = &ctx.version.rules.excise_goods else {
        return;
    };
    // The prefixes' chapters looked up once: an item in none of them is not compared with
    // each prefix (some 90 instructions an item on the EU's list).
    let chapters = plan::prefix_chapters(ctx.plan, &excise.hs_prefixes);
    for (i, item) in ctx.decl.items.iter().enumerate() {
        if let Some(hs) = item
            .hs_code
            .as_deref()
            .filter(|hs| plan::may_start(chapters, hs))
        {
            if let Some(prefix) = excise
                .hs_prefixes
                .iter()
                .find(|p| crate::regime::hs_starts_with(hs, p.as_str()))
            {
                let message = format!(
                    "HS {hs} is an excise good (prefix {prefix}, {}); excise duty is not assessed by xborder and is not in the totals",
                    excise.provenance().source
                );
                ctx.finding(
                    "F_EXCISE_NOT_ASSESSED",
                    Severity::Error,
                    Some(crate::message_text::item_path(i, "hs_code")),
                    message,
                );
            }
        }
    }
}

/// Who bears import charges under the declared incoterm.
pub(crate) fn import_charges_payer(decl: &Declaration) -> Payer {
    match decl.incoterm {
        crate::declaration::Incoterm::DAP => Payer::Consignee,
        crate::declaration::Incoterm::DDP => Payer::Seller,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn percent_is_exact() {
        assert_eq!(percent_of(d("235.20"), d("20")).unwrap(), d("47.04"));
        assert_eq!(percent_of(d("0.01"), d("25.5")).unwrap(), d("0.00255"));
        assert_eq!(percent_of(d("100"), d("0")).unwrap(), d("0"));
    }

    #[test]
    fn apportion_adds_up_exactly() {
        let shares = |total: &str, values: &[&str]| {
            let weights: Vec<Decimal> = values.iter().map(|v| d(v)).collect();
            apportion(d(total), &weights, 2).unwrap()
        };
        assert_eq!(
            shares("10.00", &["1", "1", "1"]),
            vec![d("3.33"), d("3.34"), d("3.33")]
        );
        assert_eq!(shares("5", &["0", "0"]).iter().sum::<Decimal>(), d("5"));
        assert_eq!(shares("0", &["3"]), vec![d("0")]);
        assert_eq!(shares("10", &["30", "10"]), vec![d("7.50"), d("2.50")]);
        // Regression (found by the property test): rounding the earlier shares up once left
        // the zero-value last line with -0.01.
        let s = shares("479", &["45.00", "3434", "1200", "0"]);
        assert_eq!(s.iter().sum::<Decimal>(), d("479"));
        assert_eq!(s[3], d("0"));
        assert!(s.iter().all(|x| !x.is_sign_negative()), "{s:?}");
        // Found again on another branch: the others rounded up past the total.
        assert_eq!(
            shares("11", &["135", "135", "150", "0"]),
            vec![d("3.54"), d("3.53"), d("3.93"), d("0.00")]
        );
        let s = shares("0.05", &["1"; 10]);
        assert_eq!(s.iter().sum::<Decimal>(), d("0.05"));
        assert!(s.iter().all(|x| *x >= d("0") && *x <= d("0.01")), "{s:?}");
    }

    /// An apportionment's figures: amounts of up to 12 integer digits and 4 places, small
    /// ones, zeros, or any decimal (negative ones included).
    fn apportioned() -> impl proptest::strategy::Strategy<Value = Decimal> {
        use proptest::prelude::*;
        prop_oneof![
            3 => (0i64..=9_999_999_999_999_999, 0u32..=4).prop_map(|(m, s)| Decimal::new(m, s)),
            4 => (0i64..=100_000, 2u32..=2).prop_map(|(m, s)| Decimal::new(m, s)),
            2 => (0i64..=1_000, 0u32..=6).prop_map(|(m, s)| Decimal::new(m, s)),
            1 => (any::<i64>(), 0u32..=28).prop_map(|(m, s)| Decimal::new(m, s)),
            1 => (any::<u128>(), 0u32..=28).prop_map(|(m, s)| {
                Decimal::from_i128_with_scale((m >> 32) as i128, s)
            }),
        ]
    }

    /// `weights` made positive and brought to the first one's scale when `same_scale` (the
    /// case the integer path takes), else as they are.
    fn at_one_scale(weights: Vec<Decimal>, same_scale: bool) -> Vec<Decimal> {
        if !same_scale {
            return weights;
        }
        let scale = weights[0].scale();
        weights
            .iter()
            .map(|w| {
                let mut w = w.abs();
                w.rescale(scale);
                w
            })
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 20000, ..Default::default() })]

        /// The apportionment's integer path gives the general path's shares bit for bit
        /// (scale and sign included), or fails where it fails.
        #[test]
        fn apportion_in_is_its_general_path(
            total in apportioned(),
            weights in proptest::collection::vec(apportioned(), 2..6),
            same_scale in proptest::prelude::any::<bool>(),
            dp in 0u32..=5,
        ) {
            // Mostly weights at one scale, the case the integer path takes.
            let weights = at_one_scale(weights, same_scale);
            if total.is_zero() {
                return Ok(());
            }
            let run = |general: bool| {
                let mut shares = weights.clone();
                let done = if general {
                    apportion_general(total, &mut shares, |w| *w, dp, |w, s| *w = s)
                } else {
                    apportion_in(total, &mut shares, |w| *w, dp, |w, s| *w = s)
                };
                done.ok().map(|()| shares.iter().map(|s| s.serialize()).collect::<Vec<_>>())
            };
            let general = std::panic::catch_unwind(|| run(true));
            let fast = std::panic::catch_unwind(|| run(false));
            proptest::prop_assert_eq!(fast.ok(), general.ok(), "{} over {:?} to {}", total, weights, dp);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 20000, ..Default::default() })]

        /// Two totals apportioned together are each apportioned alone, bit for bit, or fail
        /// where one of those fails.
        #[test]
        fn apportion_two_is_two_apportionments(
            first in apportioned(),
            second in apportioned(),
            weights in proptest::collection::vec(apportioned(), 1..6),
            same_scale in proptest::prelude::any::<bool>(),
            dp in 0u32..=5,
        ) {
            let weights = at_one_scale(weights, same_scale);
            let run = |together: bool| {
                let mut lines: Vec<(Decimal, Decimal, Decimal)> =
                    weights.iter().map(|&w| (w, Decimal::ZERO, Decimal::ZERO)).collect();
                let done = if together {
                    apportion_two([first, second], &mut lines, |l| l.0, dp, |l, k, s| {
                        if k == 0 { l.1 = s } else { l.2 = s }
                    })
                } else {
                    apportion_in(first, &mut lines, |l| l.0, dp, |l, s| l.1 = s).and_then(|()| {
                        apportion_in(second, &mut lines, |l| l.0, dp, |l, s| l.2 = s)
                    })
                };
                done.ok().map(|()| {
                    lines.iter().map(|l| (l.1.serialize(), l.2.serialize())).collect::<Vec<_>>()
                })
            };
            let together = std::panic::catch_unwind(|| run(true));
            let apart = std::panic::catch_unwind(|| run(false));
            proptest::prop_assert_eq!(together.ok(), apart.ok(), "{} and {} over {:?} to {}", first, second, weights, dp);
        }
    }

    #[test]
    fn apportion_in_at_midpoints_and_small_totals() {
        for (total, weights, dp) in [
            ("8.50", &["60.00", "45.00", "30.00"][..], 2),
            ("1.50", &["60.00", "45.00", "30.00"][..], 2),
            ("0.01", &["1", "1000"][..], 2),
            ("0.01", &["1.00", "1000.00"][..], 2),
            ("10.00", &["1", "1", "1"][..], 2),
            ("10", &["1", "1", "1"][..], 2),
            ("10.000", &["1", "1", "1"][..], 2),
            ("10.005", &["1", "1"][..], 2),
            ("0.005", &["1", "1", "2"][..], 2),
            ("10", &["1", "1", "2"][..], 0),
            ("11", &["135", "135", "150", "0"][..], 2),
            ("479", &["45.00", "3434", "1200", "0"][..], 2),
        ] {
            let weights: Vec<Decimal> = weights.iter().map(|w| d(w)).collect();
            let (mut fast, mut general) = (weights.clone(), weights.clone());
            apportion_in(d(total), &mut fast, |w| *w, dp, |w, s| *w = s).unwrap();
            apportion_general(d(total), &mut general, |w| *w, dp, |w, s| *w = s).unwrap();
            assert_eq!(
                fast.iter().map(|s| s.serialize()).collect::<Vec<_>>(),
                general.iter().map(|s| s.serialize()).collect::<Vec<_>>(),
                "{total} over {weights:?}"
            );
        }
        // The integer path is the one taken for a consignment's shipping over its lines.
        let lines = [d("60.00"), d("45.00"), d("30.00")];
        assert!(crate::exact::Shares::of(d("8.50"), lines.into_iter(), 2).is_some());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 4096, ..Default::default() })]

        /// `percent_of` (its integer fast path where it applies) is its general path bit for
        /// bit, scale and sign of zero included, or fails where that fails.
        #[test]
        fn percent_of_is_its_general_path(
            m in proptest::prop_oneof![
                proptest::prelude::any::<i64>(),
                0i64..=0,
                -99_999_999i64..=99_999_999,
            ],
            scale in 0u32..=8,
            negative_zero in proptest::prelude::any::<bool>(),
            rate in -100_000i64..=100_000,
            rate_scale in 0u32..=6,
        ) {
            let mut base = Decimal::new(m, scale);
            if m == 0 && negative_zero {
                base.set_sign_negative(true);
            }
            let rate = Decimal::new(rate, rate_scale);
            let fast = percent_of(base, rate).map(|p| p.serialize()).ok();
            let general = percent_general(base, rate).map(|p| p.serialize()).ok();
            proptest::prop_assert_eq!(fast, general);
        }
    }
}

#[cfg(test)]
mod pipeline_tests;

#[cfg(test)]
mod fee_currency_tests;

#[cfg(test)]
mod plan_tests;
