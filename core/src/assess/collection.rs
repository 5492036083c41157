//! Revenue-collection model (FoS Standard 7): which scheme applies, who collects, and when.

use rust_decimal::Decimal;

use super::{import_charges_payer, Ctx};
use crate::hashing::same_text;
use crate::message_text::push_decimal;
use crate::regime::pack::{Collector, Model, SchemeFile, TaxPoint, ThresholdUnit, When};
use crate::result::{CollectionOutcome, Severity};
use crate::trace::{wire_name, Step};

/// The scheme chosen for a consignment (none: traditional collection at the border).
pub(crate) struct Chosen<'a> {
    pub scheme: Option<&'a SchemeFile>,
    /// The collector, with `registrant` resolved to seller or marketplace.
    pub collector: Collector,
}

impl Chosen<'_> {
    /// Where the scheme charges the tax.
    pub fn tax_point(&self) -> TaxPoint {
        self.scheme.map_or(TaxPoint::AtImport, |s| s.taxes)
    }

    /// The scheme's id, if any.
    pub fn id(&self) -> Option<&str> {
        self.scheme.map(|s| s.id.as_str())
    }

    /// Whether the chosen scheme is one of `ids`, where `border` names "no scheme".
    pub fn is_one_of(&self, ids: &[String]) -> bool {
        let id = self.id().unwrap_or(BORDER);
        ids.iter().any(|i| i == id)
    }
}

/// The id pack conditions use for "no scheme applies: traditional collection at the border".
pub(crate) const BORDER: &str = "border";

/// Picks the first scheme, in the pack's priority order, whose conditions the consignment meets.
pub(crate) fn choose<'a>(ctx: &Ctx<'a>, documents_only: bool) -> Chosen<'a> {
    let border = Chosen {
        scheme: None,
        collector: Collector::Customs,
    };
    if documents_only {
        return border;
    }
    let version = ctx.version;
    for (i, scheme) in version.rules.schemes.iter().enumerate() {
        if let Some(collector) = applies(ctx, scheme, version.scheme_patterns[i].as_ref()) {
            ctx.tracer.step(Step::Collection, || {
                (
                    ctx.rule(&format!("schemes.{}", scheme.id)),
                    scheme.source.clone(),
                    format!(
                        "{} ({}) applies: model {}, collected by {}, tax charged {}",
                        scheme.id,
                        scheme.name,
                        wire_name(&scheme.model),
                        wire_name(&collector),
                        wire_name(&scheme.taxes)
                    ),
                )
            });
            return Chosen {
                scheme: Some(scheme),
                collector,
            };
        }
    }
    ctx.tracer.step(Step::Collection, || {
        (
            ctx.rule("schemes"),
            "WCO Framework of Standards on Cross-Border E-Commerce, Standard 7 (traditional collection)".to_string(),
            "no collection scheme applies: duties and taxes are collected by customs at import".to_string(),
        )
    });
    border
}

/// Whether `scheme` applies; returns the resolved collector when it does.
fn applies(
    ctx: &Ctx<'_>,
    scheme: &SchemeFile,
    pattern: Option<&crate::pattern::Pattern>,
) -> Option<Collector> {
    let decl = ctx.decl;
    let fits = super::flow_allowed(&scheme.channels, &scheme.transactions, decl)
        && !over_ceiling(ctx, scheme)
        && !decl
            .items
            .iter()
            .any(|i| scheme.natures_excluded.contains(&i.nature));
    // The per-person limit is traced, so it is looked at only when the rest fits.
    if !fits || !per_person_within(ctx, scheme) {
        return None;
    }
    let codes = decl.items.iter().map(|i| i.hs_code.as_deref());
    let parties_fit = !super::plan::any_excluded(ctx.plan, &scheme.excluded, codes)
        && (!scheme.requires_carrier_opt_in
            || decl.carrier.as_ref().is_some_and(|c| {
                (c.schemes.iter()).any(|s| same_text(s.as_bytes(), scheme.id.as_bytes()))
            }))
        && (!scheme.requires_consignee_tax_id || decl.consignee.tax_id.is_some());
    if !parties_fit {
        return None;
    }
    let collector = match scheme.collector {
        Collector::Registrant if decl.marketplace.is_some() => Collector::Marketplace,
        Collector::Registrant => Collector::Seller,
        other => other,
    };
    registration_holds(ctx, scheme, pattern, collector).then_some(collector)
}

/// Whether the consignment (or one of its items) is worth more than the scheme's ceiling.
fn over_ceiling(ctx: &Ctx<'_>, scheme: &SchemeFile) -> bool {
    let Some(ceiling) = &scheme.ceiling else {
        return false;
    };
    match scheme.ceiling_unit {
        ThresholdUnit::Consignment => {
            crate::exact::cmp(ctx.basis_value(ceiling.basis), ceiling.amount.0).is_gt()
        }
        ThresholdUnit::Item => ctx.values.lines.iter().any(|l| {
            crate::exact::cmp(
                super::threshold::line_basis_value(ceiling.basis, l),
                ceiling.amount.0,
            )
            .is_gt()
        }),
    }
}

/// Whether this consignment and the earlier purchases in the period stay within the scheme's
/// per-person limit (true when it has none). Traced.
fn per_person_within(ctx: &Ctx<'_>, scheme: &SchemeFile) -> bool {
    let Some(limit) = &scheme.per_person else {
        return true;
    };
    let basis = scheme
        .ceiling
        .as_ref()
        .map_or(crate::regime::pack::Basis::CustomsValue, |c| c.basis);
    let value = ctx.basis_value(basis);
    let prior = ctx
        .values
        .prior
        .iter()
        .filter(|(date, _)| super::threshold::in_period(limit.period, *date, ctx.date))
        .fold(Decimal::ZERO, |acc, (_, v)| acc.saturating_add(*v));
    let within = value
        .checked_add(prior)
        .is_some_and(|sum| crate::exact::cmp(sum, limit.amount.0).is_le());
    ctx.tracer.step(Step::Collection, || {
        (
            ctx.rule(&format!("schemes.{}.per_person", scheme.id)),
            limit.source.clone().unwrap_or_else(|| scheme.source.clone()),
            format!(
                "{}: this consignment {value} + earlier purchases {prior} in the same {} = {} against the per-person limit {}: {}",
                scheme.id,
                limit.period.words(),
                value.saturating_add(prior),
                limit.amount.0,
                if within { "within" } else { "exceeded, the scheme does not apply" }
            ),
        )
    });
    within
}

/// Whether the collector holds the registration the scheme requires. A malformed or missing
/// registration is a finding; it stops the scheme only when the registration is required.
fn registration_holds(
    ctx: &Ctx<'_>,
    scheme: &SchemeFile,
    pattern: Option<&crate::pattern::Pattern>,
    collector: Collector,
) -> bool {
    let (Some(rule), Some(pattern)) = (&scheme.registration, pattern) else {
        return true;
    };
    let decl = ctx.decl;
    let (party, path) = match collector {
        Collector::Marketplace => (decl.marketplace.as_ref(), "marketplace"),
        _ => (Some(&decl.seller), "seller"),
    };
    let held = party.and_then(|p| {
        p.registrations
            .iter()
            .position(|r| same_text(r.scheme.as_bytes(), rule.scheme.as_bytes()))
            .map(|i| (i, p.registrations[i].number.as_str()))
    });
    match held {
        Some((_, number)) if pattern.is_match(number) => true,
        Some((i, number)) => {
            ctx.finding(
                "F_REGISTRATION_FORMAT",
                Severity::Warning,
                Some(format!("{path}.registrations[{i}].number").into()),
                format!(
                    "{number:?} is not a well-formed {} number (expected {})",
                    rule.scheme, rule.pattern
                ),
            );
            !rule.required
        }
        None if rule.required => false,
        None => {
            ctx.finding(
                "F_REGISTRATION_MISSING",
                Severity::Warning,
                Some(format!("{path}.registrations").into()),
                format!(
                    "{} applies, so the {path} must hold a {} registration; none is declared",
                    scheme.id, rule.scheme
                ),
            );
            true
        }
    }
}

/// The `collection` (docs/contract.md) object.
pub(crate) fn outcome(ctx: &Ctx<'_>, chosen: &Chosen<'_>) -> CollectionOutcome {
    match chosen.scheme {
        Some(s) => CollectionOutcome {
            model: s.model,
            scheme: Some(crate::declaration::Text::from(s.id.as_str())),
            collector: chosen.collector,
            when: s.when,
            import_charges_payer: import_charges_payer(ctx.decl),
            duty_at_sale: s.duty_at_sale,
        },
        None => CollectionOutcome {
            model: Model::Border,
            scheme: None,
            collector: Collector::Customs,
            when: When::AtImport,
            import_charges_payer: import_charges_payer(ctx.decl),
            duty_at_sale: false,
        },
    }
}

/// Compares what the declaration says was charged at checkout with what the rules charge.
pub(crate) fn check_collected_at_sale(ctx: &Ctx<'_>, chosen: &Chosen<'_>, computed: Decimal) {
    let Some(collected) = &ctx.decl.collected_at_sale else {
        if chosen.tax_point() == TaxPoint::AtSale && !computed.is_zero() {
            // By hand, not `format!`: half the records of a batch under IOSS get this finding.
            ctx.finding_written(
                "F_COLLECTED_AT_SALE_MISSING",
                Severity::Info,
                Some("collected_at_sale".into()),
                |message| {
                    message.push_str(chosen.id().unwrap_or("the scheme"));
                    message.push_str(" charges ");
                    push_decimal(message, computed);
                    message.push_str(" at checkout; the declaration does not say what was charged");
                },
            );
        }
        return;
    };
    if chosen.tax_point() != TaxPoint::AtSale || chosen.id() != Some(collected.scheme.as_str()) {
        let message = format!(
            "tax of {} was charged at checkout under {}, but {} applies to this consignment, so import tax is due at the border; the seller must refund or correct the tax charged at sale",
            collected.tax_amount.0,
            collected.scheme,
            chosen.id().unwrap_or("traditional border collection")
        );
        ctx.finding(
            "F_COLLECTED_AT_SALE_NOT_APPLICABLE",
            Severity::Warning,
            Some("collected_at_sale.scheme".into()),
            message,
        );
        return;
    }
    let declared = collected.tax_amount.0;
    // The declared amount is in the declaration's currency; compare only like with like.
    let same_currency = same_text(ctx.decl.currency.as_bytes(), ctx.regime.currency.as_bytes());
    if same_currency && declared != computed {
        ctx.finding_written(
            "F_COLLECTED_AMOUNT_DIFFERS",
            Severity::Warning,
            Some("collected_at_sale.tax_amount".into()),
            |message| {
                push_decimal(message, declared);
                message.push_str(" was charged at checkout; the rules give ");
                push_decimal(message, computed);
            },
        );
    }
}
