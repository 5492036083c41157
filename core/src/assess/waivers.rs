//! Waivers: charges computed and then not collected. A threshold on the tax amount itself
//! ("tax of CHF 5 or less is not levied"), which may take the duty with it, and the minimum
//! collectable tax. This stage reads the finished duty and tax and returns adjusted ones; the
//! minimum collectable duty is decided with the duty, since the import tax base takes the
//! duty actually collected.

use rust_decimal::Decimal;

use super::duty::DutyOutcome;
use super::tax::{TaxCharge, TaxOutcome};
use super::threshold::{gate_open, trace_de_minimis, Active};
use super::Ctx;
use crate::error::Error;
use crate::regime::pack::{Basis, Charge, TaxPoint};
use crate::result::DutyBasis;
use crate::trace::Step;

/// Applies the waivers of the tax collected at import to the duty and tax, in place (each is
/// a few hundred bytes: handing them in and back by value copied both, about 120
/// instructions a record).
pub(crate) fn apply(
    ctx: &Ctx<'_>,
    duty: &mut DutyOutcome<'_>,
    tax: &mut TaxOutcome<'_>,
) -> Result<(), Error> {
    if tax.charge == TaxCharge::At(TaxPoint::AtImport) {
        // Held apart while the tax it waives is changed.
        let threshold = tax.threshold.take();
        if let Some(active) = threshold
            .as_ref()
            .filter(|a| a.threshold.basis == Basis::TaxAmount)
        {
            tax.de_minimis.basis_value = Some(ctx.out(tax.total));
            if tax_not_levied(ctx, active, tax.total) {
                tax.de_minimis.applies = true;
                waive_tax(ctx, tax);
                if duty_waived_too(ctx, active, duty)? {
                    waive_duty(ctx, duty);
                }
            }
        }
        tax.threshold = threshold;
        minimum_collectable_tax(ctx, tax)?;
    }
    if tax.charge != TaxCharge::Documents {
        let threshold = tax.threshold.as_ref().map(|a| a.threshold);
        trace_de_minimis(ctx, "tax", threshold, &tax.de_minimis);
    }
    Ok(())
}

/// Whether an import tax of `total` is at or below the threshold on the tax amount.
fn tax_not_levied(ctx: &Ctx<'_>, active: &Active<'_>, total: Decimal) -> bool {
    let limit = active.resolved.amount;
    let relieved = total <= limit && !total.is_zero();
    if relieved {
        ctx.tracer.step(Step::DeMinimis, || {
            (
                ctx.rule("de_minimis.tax"),
                active.threshold.source.clone(),
                format!("import tax {total} is at or below {limit}: not levied"),
            )
        });
    }
    relieved
}

/// Whether the threshold on the tax amount also relieves the duty (`also_relieves`). The
/// option is asked only when it changes the result, so `reject` fails only then.
fn duty_waived_too(
    ctx: &Ctx<'_>,
    active: &Active<'_>,
    duty: &DutyOutcome<'_>,
) -> Result<bool, Error> {
    let t = active.threshold;
    let Some(also) = t
        .also_relieves
        .as_ref()
        .filter(|a| a.charges.contains(&Charge::Duty))
    else {
        return Ok(false);
    };
    if duty.total.is_zero()
        || !gate_open(
            ctx,
            also.when_option.as_ref(),
            "waiving the duty with the tax",
        )?
    {
        return Ok(false);
    }
    let waived = duty.total;
    ctx.tracer.step(Step::DeMinimis, || {
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
    Ok(true)
}

/// The minimum collectable tax: an import tax below it is waived.
fn minimum_collectable_tax(ctx: &Ctx<'_>, tax: &mut TaxOutcome<'_>) -> Result<(), Error> {
    let Some(min) = ctx.version.rules.minimum_collectable.as_ref() else {
        return Ok(());
    };
    let Some(floor) = min.tax else {
        return Ok(());
    };
    let total = tax.total;
    // The option is asked only when the minimum would change the result.
    if total.is_zero()
        || total >= floor.0
        || !gate_open(ctx, min.when_option.as_ref(), "the minimum collectable tax")?
    {
        return Ok(());
    }
    ctx.tracer.step(Step::Tax, || {
        (
            ctx.rule("minimum_collectable.tax"),
            min.source.clone(),
            format!(
                "import tax {total} is below the minimum collectable {}: waived",
                floor.0
            ),
        )
    });
    waive_tax(ctx, tax);
    Ok(())
}

fn waive_tax(ctx: &Ctx<'_>, tax: &mut TaxOutcome<'_>) {
    for l in &mut tax.lines {
        l.amount = ctx.out(Decimal::ZERO);
    }
    tax.total = Decimal::ZERO;
}

fn waive_duty(ctx: &Ctx<'_>, duty: &mut DutyOutcome<'_>) {
    for l in &mut duty.lines {
        l.amount = ctx.out(Decimal::ZERO);
        l.basis = DutyBasis::DeMinimis;
    }
    duty.total = Decimal::ZERO;
}
