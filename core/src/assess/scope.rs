//! Cases a pack knows it does not model (`out_of_scope`): the assessment stops with
//! `E_OUT_OF_SCOPE` and the pack's reason instead of giving a figure no rule supports —
//! Brazil's simplified regime above USD 3,000, a channel whose rates were never sourced.

use super::collection::Chosen;
use super::Ctx;
use crate::error::{Error, ErrorCode};
use crate::regime::pack::OutOfScopeFile;

/// Fails when one of the version's out-of-scope rules holds for this consignment.
pub(crate) fn check(ctx: &Ctx<'_>, chosen: &Chosen<'_>) -> Result<(), Error> {
    for rule in &ctx.version.rules.out_of_scope {
        if holds(ctx, chosen, rule) {
            let path = if rule.above.is_some() {
                "items"
            } else if rule.unless_schemes.is_some() {
                "seller.registrations"
            } else if rule.channels.is_some() {
                "channel"
            } else {
                "transaction"
            };
            let value = rule
                .above
                .as_ref()
                .map(|c| format!(" ({})", super::value_condition(ctx, c, "above")))
                .unwrap_or_default();
            return Err(Error::at(
                ErrorCode::OutOfScope,
                path,
                format!(
                    "{}/out_of_scope.{}: {}{value} [{}, checked {}]",
                    ctx.version.label, rule.id, rule.message, rule.source, rule.checked
                ),
            ));
        }
    }
    Ok(())
}

/// Whether every condition the rule names holds.
fn holds(ctx: &Ctx<'_>, chosen: &Chosen<'_>, rule: &OutOfScopeFile) -> bool {
    let decl = ctx.decl;
    super::flow_allowed(&rule.channels, &rule.transactions, decl)
        && rule
            .above
            .as_ref()
            .is_none_or(|c| crate::exact::cmp(ctx.basis_value(c.basis), c.amount.0).is_gt())
        && rule
            .unless_schemes
            .as_ref()
            .is_none_or(|ids| !chosen.is_one_of(ids))
}
