//! Totals and the release category: what is payable, when, and the landed cost; then the
//! Immediate Release Guidelines category, which depends on whether anything is payable.

use rust_decimal::Decimal;

use super::collection::Chosen;
use super::{add, Charges, Ctx};
use crate::declaration::Nature;
use crate::error::Error;
use crate::result::{Category, CategoryOutcome};
use crate::trace::Step;

/// The consignment's totals, in the regime currency.
pub(crate) struct Totals {
    pub duty: Decimal,
    /// Tax on the goods and on fees.
    pub tax: Decimal,
    /// Tax on fees (in `tax`, charged at import).
    pub fee_tax: Decimal,
    pub tax_at_sale: Decimal,
    pub fees: Decimal,
    /// `duty + tax + fees`.
    pub payable: Decimal,
    /// The scheme collects the duty at checkout (it is then due at sale, not at import).
    pub duty_at_sale: bool,
    pub due_at_sale: Decimal,
    pub due_at_import: Decimal,
    /// Goods + shipping + insurance + `payable`.
    pub landed_cost: Decimal,
}

impl Totals {
    /// Adds up the finished duty, tax and fees. Always inlined (one caller): returned through
    /// a `Result`, its 170 bytes were copied twice.
    #[inline(always)]
    pub fn of(
        ctx: &Ctx<'_>,
        chosen: &Chosen<'_>,
        charges: &Charges<'_, '_>,
    ) -> Result<Totals, Error> {
        let Charges {
            duty,
            tax,
            fees,
            fee_tax,
        } = charges;
        let tax_at_sale = tax.at_sale();
        let tax_at_import = add(tax.at_import(), fee_tax.total)?;
        let tax_total = crate::exact::plus(tax_at_sale, tax_at_import);
        let payable = add(add(duty.total, tax_total)?, fees.total)?;
        // A scheme that collects the duty at checkout moves it from the border to the sale.
        let duty_at_sale = chosen.scheme.is_some_and(|s| s.duty_at_sale);
        let (duty_due_at_sale, duty_due_at_import) = if duty_at_sale {
            (duty.total, Decimal::ZERO)
        } else {
            (Decimal::ZERO, duty.total)
        };
        let v = &ctx.values;
        // Every sum before the totals are put together: a sum that could fail while they were
        // being written made the compiler build them apart and copy them (170 bytes).
        let due_at_sale = add(tax_at_sale, duty_due_at_sale)?;
        let due_at_import = add(add(duty_due_at_import, tax_at_import)?, fees.total)?;
        let landed_cost = add(add(add(v.intrinsic, v.shipping)?, v.insurance)?, payable)?;
        Ok(Totals {
            duty: duty.total,
            tax: tax_total,
            fee_tax: fee_tax.total,
            tax_at_sale,
            fees: fees.total,
            payable,
            duty_at_sale,
            due_at_sale,
            due_at_import,
            landed_cost,
        })
    }

    /// Records the totals in the trace (the tracer's test inlined, the step apart).
    #[inline]
    pub fn trace(&self, ctx: &Ctx<'_>, chosen: &Chosen<'_>) {
        if ctx.tracer.is_on() {
            self.trace_step(ctx, chosen);
        }
    }

    /// [`Totals::trace`]'s step.
    #[inline(never)]
    fn trace_step(&self, ctx: &Ctx<'_>, chosen: &Chosen<'_>) {
        ctx.tracer.step(Step::Total, || {
            let duty_too = if self.duty_at_sale {
                format!(
                    " (the duty too: {} collects it at sale)",
                    chosen.id().unwrap_or("the scheme")
                )
            } else {
                String::new()
            };
            (
                ctx.rule("totals"),
                "xborder: total_payable = duty_total + tax_total + fee_total; landed_cost = goods + shipping + insurance + total_payable".to_string(),
                format!(
                    "duty {} + tax {} + fees {} = {}; due at sale {}{duty_too}, due at import {}; landed cost {}",
                    self.duty,
                    self.tax,
                    self.fees,
                    self.payable,
                    self.due_at_sale,
                    self.due_at_import,
                    self.landed_cost
                ),
            )
        });
    }
}

/// The release category (Immediate Release Guidelines): documents, high value above the
/// regime's threshold, else low value with nothing or something payable.
pub(crate) fn category(ctx: &Ctx<'_>, totals: &Totals, documents_only: bool) -> CategoryOutcome {
    let high = &ctx.version.rules.categories.high_value_threshold;
    let sample = ctx.decl.items.iter().any(|i| i.nature == Nature::Sample);
    let value = ctx.basis_value(high.basis);
    let name = if documents_only {
        Category::Documents
    } else if crate::exact::cmp(value, high.amount.0).is_gt() {
        Category::HighValue
    } else if totals.duty.is_zero() && crate::exact::minus(totals.tax, totals.fee_tax).is_zero() {
        // Tax on a fee is not duty or tax on the goods: it does not make a consignment
        // dutiable in the IRG's sense.
        Category::LowValueNonDutiable
    } else {
        Category::LowValueDutiable
    };
    let code = name.code();
    ctx.tracer.step(Step::Category, || {
        let compared = format!("{} value {value} is", high.basis.as_str());
        let why = match code {
            1 => "every item is a document".to_string(),
            4 => format!(
                "{compared} above the high-value threshold {}",
                high.amount.0
            ),
            2 => format!(
                "{compared} at or below {} and no duty or tax is payable",
                high.amount.0
            ),
            _ => format!(
                "{compared} at or below {} and duty {} / tax {} is payable",
                high.amount.0, totals.duty, totals.tax
            ),
        };
        (
            ctx.rule("categories.high_value_threshold"),
            high.source.clone(),
            format!(
                "category {code} ({name}): {why}{}",
                if sample { "; holds samples" } else { "" }
            ),
        )
    });
    CategoryOutcome { code, name, sample }
}
