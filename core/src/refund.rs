//! Returns and refunds (FoS Standard 5: simplified procedures for returns; the refund of
//! duties and taxes on goods sent back).
//!
//! A [`ReturnDeclaration`] references the original consignment (its declaration, from which
//! the original assessment is re-derived at the original date's rules, tariff and exchange
//! rates) and says which items and quantities went back, when and why. Each component of
//! what was charged — duty, tax at sale, tax at import, fees — is refunded under the
//! regime's return rules (`regimes/<ID>/returns.json`): whether it is refundable at all, for
//! which reasons, within which window, and by whom (customs, or the collector who charged it
//! at sale). A refund is the returned goods' share of the component, rounded by the regime's
//! rounding, and never more than what was charged or, when the caller says so, paid.

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::assess::AssessOptions;
use crate::date::Date;
use crate::declaration::{Declaration, Text};
use crate::error::{Error, ErrorCode};
use crate::money::{with_scale, Amount, Quantity};
use crate::regime::pack::{rule, Confidence, Provenance, Sourced, TaxPoint};
use crate::Engine;

/// `(regime id, returns JSON)` embedded with the reference regimes.
pub const EMBEDDED: &[(&str, &str)] = xborder_regimes::RETURNS;

/// The format tag every returns file carries.
pub const FORMAT: &str = "xborder-returns/1";

/// Why goods went back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReturnReason {
    /// Defective, or damaged before release.
    Defective,
    /// Not as described in or required by the contract of sale.
    NotAsContracted,
    /// The consumer withdrew from the distance sale (changed their mind).
    Withdrawal,
    /// Refused or undeliverable: never handed to the consignee.
    Undelivered,
}

/// One returned line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReturnedItem {
    /// Index of the item in the original declaration's `items`.
    pub item: usize,
    /// How many of its units went back; all of them when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Quantity>,
}

/// What was actually paid, per component, when less than what was assessed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Paid {
    /// Duty paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duty: Option<Amount>,
    /// Tax paid at sale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_at_sale: Option<Amount>,
    /// Tax paid at import.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_at_import: Option<Amount>,
    /// Fees paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fees: Option<Amount>,
}

/// A return of goods, referencing the original consignment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReturnDeclaration {
    /// The caller's reference for the return.
    pub id: Text,
    /// The original declaration, exactly as assessed.
    pub original: Declaration,
    /// When the goods went back.
    pub returned_on: Date,
    /// Why.
    pub reason: ReturnReason,
    /// The returned lines; at least one.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub items: Vec<ReturnedItem>,
    /// What was paid, in the regime currency, when less than assessed (amounts default to the
    /// assessed ones).
    #[serde(default)]
    pub paid: Paid,
}

rule! {
    /// The rule for one component.
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct ComponentRule {
        /// Whether the component is refunded at all.
        pub refundable: bool,
        /// `customs`, `collector` (who charged it at sale) or `none`.
        pub refunded_by: String,
        /// Reasons that qualify.
        pub reasons: Vec<ReturnReason>,
        /// Months after the original date within which the goods must go back; none for no
        /// limit.
        pub window_months: Option<u32>,
        /// Days after the original date within which the goods must go back, for limits the
        /// law counts in days (China's 30-day cross-border e-commerce return window); at most
        /// one of `window_months` and `window_days` is given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub window_days: Option<u32>,
    }
}

impl ComponentRule {
    /// The last day on which goods assessed on `date` may go back, if there is a limit.
    fn deadline(&self, date: Date) -> Option<Date> {
        match (self.window_months, self.window_days) {
            (Some(m), _) => Some(add_months(date, m)),
            // A day count past the calendar's end leaves no limit rather than wrapping.
            (None, Some(d)) => Date::from_days_since_epoch(date.days_since_epoch() + i64::from(d)),
            (None, None) => None,
        }
    }

    /// The limit as text: "12-month" or "30-day".
    fn window_text(&self) -> String {
        match (self.window_months, self.window_days) {
            (Some(m), _) => format!("{m}-month"),
            (None, Some(d)) => format!("{d}-day"),
            (None, None) => String::new(),
        }
    }
}

/// The return rules in force from one date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReturnsVersion {
    /// First day in force.
    pub from: Date,
    /// Duty.
    pub duty: ComponentRule,
    /// Tax charged at import.
    pub tax_at_import: ComponentRule,
    /// Tax charged at sale.
    pub tax_at_sale: ComponentRule,
    /// Fees.
    pub fees: ComponentRule,
}

/// A regime's return rules (`regimes/<ID>/returns.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReturnRules {
    /// Always [`FORMAT`].
    pub format: String,
    /// Regime id.
    pub regime: String,
    /// Versions, by start date.
    pub versions: Vec<ReturnsVersion>,
}

impl ReturnRules {
    /// Parses and validates a returns file (`E_INVALID_PACK` with the path on error).
    pub fn from_json(text: &str) -> Result<ReturnRules, Error> {
        ReturnRules::parse(text).map_err(|e| e.from_origin(crate::Origin::Pack))
    }

    fn parse(text: &str) -> Result<ReturnRules, Error> {
        let mut rules: ReturnRules = crate::risk::rules_from_json(text)?;
        if rules.format != FORMAT {
            return Err(Error::at(
                ErrorCode::InvalidPack,
                "format",
                format!("expected {FORMAT:?}"),
            ));
        }
        for (i, v) in rules.versions.iter().enumerate() {
            let components = [
                ("duty", &v.duty),
                ("tax_at_import", &v.tax_at_import),
                ("tax_at_sale", &v.tax_at_sale),
                ("fees", &v.fees),
            ];
            for (name, c) in components {
                if c.window_months.is_some() && c.window_days.is_some() {
                    return Err(Error::at(
                        ErrorCode::InvalidPack,
                        format!("versions[{i}].{name}.window_days"),
                        "give the return window in months or in days, not both",
                    ));
                }
            }
        }
        crate::sort::sort_by_key(&mut rules.versions, |v| v.from);
        if rules.versions.windows(2).any(|w| w[0].from == w[1].from) {
            return Err(Error::at(
                ErrorCode::ConflictingRules,
                "versions",
                "two versions start on the same date",
            ));
        }
        Ok(rules)
    }

    /// The version in force on `date`.
    pub fn version_on(&self, date: Date) -> Option<&ReturnsVersion> {
        self.versions.iter().rev().find(|v| v.from <= date)
    }
}

/// Loads the embedded returns files keyed by regime.
pub(crate) fn embedded() -> Result<HashMap<String, ReturnRules>, Error> {
    let mut out = HashMap::new();
    for (id, text) in EMBEDDED {
        let rules = ReturnRules::from_json(text)
            .map_err(|e| e.within(&format!("regimes/{id}/returns.json")))?;
        out.insert(rules.regime.clone(), rules);
    }
    Ok(out)
}

/// One component of a refund.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RefundComponent {
    /// `duty`, `tax_at_sale`, `tax_at_import` or `fees`.
    #[cfg_attr(
        feature = "schema",
        schemars(extend("enum" = ["duty", "tax_at_sale", "tax_at_import", "fees"]))
    )]
    pub component: &'static str,
    /// What the original assessment charged.
    pub assessed: Amount,
    /// The cap: what was paid (the assessed amount unless the caller said less).
    pub paid: Amount,
    /// The returned goods' share of the component.
    pub returned_share: Amount,
    /// What is refunded: the share when the rules allow it, capped at what was paid.
    pub refund: Amount,
    /// Who refunds it: `customs`, or the collector (`seller`, `marketplace`, `carrier`).
    pub refunded_by: String,
    /// Why the refund is what it is.
    pub explanation: String,
    /// Legal source of the rule applied.
    pub source: String,
}

/// The refund of one return.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Refund {
    /// The return's reference.
    pub id: Text,
    /// The original declaration's id.
    pub original_id: Text,
    /// Regime version of the original assessment (its date's rules).
    pub regime_version: std::sync::Arc<str>,
    /// Currency of every amount.
    pub currency: std::sync::Arc<str>,
    /// The original date.
    pub original_date: Date,
    /// When the goods went back.
    pub returned_on: Date,
    /// Why.
    pub reason: ReturnReason,
    /// Per component.
    pub components: Vec<RefundComponent>,
    /// Sum of `components[].refund`.
    pub total_refund: Amount,
}

/// `date` plus `months` calendar months, the day clamped to the month's end.
fn add_months(date: Date, months: u32) -> Date {
    let total = date.year() * 12 + (date.month() - 1) + months;
    let (year, month) = (total / 12, total % 12 + 1);
    let mut day = date.day();
    loop {
        if let Ok(d) = Date::new(year, month, day) {
            return d;
        }
        if day <= 28 {
            return date;
        }
        day -= 1;
    }
}

fn reason_text(r: ReturnReason) -> &'static str {
    match r {
        ReturnReason::Defective => "defective",
        ReturnReason::NotAsContracted => "not_as_contracted",
        ReturnReason::Withdrawal => "withdrawal",
        ReturnReason::Undelivered => "undelivered",
    }
}

impl Engine {
    /// Parses a return declaration (JSON) and computes its refund.
    pub fn refund_json(&self, text: &str, options: &AssessOptions) -> Result<Refund, Error> {
        if text.len() > crate::limits::MAX_DECLARATION_BYTES {
            return Err(Error::new(
                ErrorCode::InputTooLarge,
                "the return declaration is too large",
            ));
        }
        // Without `serde-error-paths` (the WASM package) by the compact reader, which reads the
        // original declaration too (`regime/decode/declaration.rs`): the same errors.
        #[cfg(feature = "serde-error-paths")]
        let ret: ReturnDeclaration = crate::error::from_json_tracked(text)?;
        #[cfg(not(feature = "serde-error-paths"))]
        let ret: ReturnDeclaration = crate::regime::decode::from_json(text)?;
        self.refund(&ret, options)
    }

    /// Computes the refund of a return: the original is re-assessed at its own date (its
    /// rules, tariff and exchange rates), whatever `options.date` says.
    pub fn refund(
        &self,
        ret: &ReturnDeclaration,
        options: &AssessOptions,
    ) -> Result<Refund, Error> {
        let original = &ret.original;
        let opts = AssessOptions {
            date: None,
            trace: false,
            ..options.clone()
        };
        let assessed = self
            .assess(original, &opts)
            .map_err(|e| e.within("original"))?;
        if ret.returned_on < assessed.date {
            return Err(Error::at(
                ErrorCode::InvalidDate,
                "returned_on",
                format!(
                    "the goods cannot go back ({}) before the original date ({})",
                    ret.returned_on, assessed.date
                ),
            ));
        }
        let share = returned_fractions(ret)?;
        let regime = self
            .regime(&assessed.regime)
            .ok_or_else(|| Error::new(ErrorCode::Internal, "assessed regime vanished"))?;
        let version = regime.version_on(assessed.date)?;
        let rules = self
            .return_rules(&assessed.regime)
            .and_then(|r| r.version_on(assessed.date))
            .ok_or_else(|| {
                Error::at(
                    ErrorCode::NoVersionInForce,
                    "original.date",
                    format!(
                        "no return rules of regime {} are in force on {}",
                        assessed.regime, assessed.date
                    ),
                )
            })?;
        let charged = Charged::returned_share(&assessed, original, &share)?;
        let at = Refunding {
            ret,
            assessed: &assessed,
            label: &version.label,
            scale: version.currency_scale,
        };
        let (components, total) = at.components(&charged, rules, &version.rounding)?;
        Ok(Refund {
            id: ret.id.clone(),
            original_id: original.id.clone(),
            regime_version: std::sync::Arc::from(assessed.regime_version.as_str()),
            currency: std::sync::Arc::from(assessed.currency.as_str()),
            original_date: assessed.date,
            returned_on: ret.returned_on,
            reason: ret.reason,
            components,
            total_refund: Amount(with_scale(total, version.currency_scale)),
        })
    }
}

fn overflow() -> Error {
    Error::new(ErrorCode::Overflow, "a refund amount overflowed")
}

fn mul(a: Decimal, b: Decimal) -> Result<Decimal, Error> {
    a.checked_mul(b).ok_or_else(overflow)
}

/// The fraction (0..=1) of each original item that went back; fails on an unknown or
/// repeated item and on more units than were declared.
fn returned_fractions(ret: &ReturnDeclaration) -> Result<Vec<Decimal>, Error> {
    if ret.items.is_empty() {
        return Err(Error::at(
            ErrorCode::MissingField,
            "items",
            "a return names at least one item",
        ));
    }
    let original = &ret.original;
    let mut share = vec![Decimal::ZERO; original.items.len()];
    for (i, r) in ret.items.iter().enumerate() {
        let at = |f: &str| format!("items[{i}].{f}");
        let item = original.items.get(r.item).ok_or_else(|| {
            Error::at(
                ErrorCode::InvalidValue,
                at("item"),
                format!("the original has no item {}", r.item),
            )
        })?;
        if !share[r.item].is_zero() {
            return Err(Error::at(
                ErrorCode::InvalidValue,
                at("item"),
                format!("item {} is returned twice", r.item),
            ));
        }
        let q = r.quantity.map_or(item.quantity.0, |q| q.0);
        if q <= Decimal::ZERO || q > item.quantity.0 {
            return Err(Error::at(
                ErrorCode::InvalidValue,
                at("quantity"),
                format!(
                    "{q} units cannot go back of the {} declared",
                    item.quantity.0
                ),
            ));
        }
        share[r.item] = q.checked_div(item.quantity.0).unwrap_or(Decimal::ONE);
    }
    Ok(share)
}

/// Per component: what the original assessment charged, and the returned goods' share of it
/// (unrounded).
struct Charged {
    duty: (Decimal, Decimal),
    tax_at_sale: (Decimal, Decimal),
    tax_at_import: (Decimal, Decimal),
    fees: (Decimal, Decimal),
}

impl Charged {
    /// Duty lines belong to one item each; a tax line covers several items, each in
    /// proportion to its value; fees are per consignment, shared by the goods' value.
    fn returned_share(
        assessed: &crate::Assessment,
        original: &Declaration,
        share: &[Decimal],
    ) -> Result<Charged, Error> {
        let of = |i: usize| share.get(i).copied().unwrap_or_default();
        let mut duty_share = Decimal::ZERO;
        for line in &assessed.duties {
            duty_share += mul(line.amount.0, of(line.item))?;
        }
        let value_of = |i: usize| original.items.get(i).map_or(Decimal::ZERO, |it| it.value.0);
        let (mut sale, mut import) = (
            (Decimal::ZERO, Decimal::ZERO),
            (Decimal::ZERO, Decimal::ZERO),
        );
        for line in &assessed.taxes {
            let total_value: Decimal = line.items.iter().map(|&i| value_of(i)).sum();
            let mut part = Decimal::ZERO;
            for &i in &line.items {
                let weight = if total_value.is_zero() {
                    Decimal::ONE / Decimal::from(line.items.len().max(1) as u64)
                } else {
                    value_of(i).checked_div(total_value).ok_or_else(overflow)?
                };
                part += mul(mul(line.amount.0, weight)?, of(i))?;
            }
            let sum = match line.charged {
                TaxPoint::AtSale => &mut sale,
                TaxPoint::AtImport => &mut import,
                _ => continue,
            };
            sum.0 += line.amount.0;
            sum.1 += part;
        }
        let goods: Decimal = original.items.iter().map(|i| i.value.0).sum();
        let returned_goods: Decimal = original
            .items
            .iter()
            .zip(share)
            .map(|(i, s)| i.value.0 * s)
            .sum();
        let fee_share = if goods.is_zero() {
            Decimal::ZERO
        } else {
            mul(
                assessed.fee_total.0,
                returned_goods.checked_div(goods).ok_or_else(overflow)?,
            )?
        };
        Ok(Charged {
            duty: (assessed.duty_total.0, duty_share),
            tax_at_sale: sale,
            tax_at_import: import,
            fees: (assessed.fee_total.0, fee_share),
        })
    }
}

/// What every component of one refund is decided against.
struct Refunding<'a> {
    ret: &'a ReturnDeclaration,
    assessed: &'a crate::Assessment,
    /// The version label, for explanations.
    label: &'a str,
    scale: u32,
}

impl Refunding<'_> {
    /// Every component the original charged (or the caller says was paid), and their total.
    fn components(
        &self,
        charged: &Charged,
        rules: &ReturnsVersion,
        rounding: &crate::regime::RoundingSteps,
    ) -> Result<(Vec<RefundComponent>, Decimal), Error> {
        let paid = &self.ret.paid;
        let parts = [
            ("duty", charged.duty, paid.duty, &rules.duty, &rounding.duty),
            (
                "tax_at_sale",
                charged.tax_at_sale,
                paid.tax_at_sale,
                &rules.tax_at_sale,
                &rounding.tax,
            ),
            (
                "tax_at_import",
                charged.tax_at_import,
                paid.tax_at_import,
                &rules.tax_at_import,
                &rounding.tax,
            ),
            ("fees", charged.fees, paid.fees, &rules.fees, &rounding.tax),
        ];
        let mut components = Vec::new();
        let mut total = Decimal::ZERO;
        for (name, (charged, share), paid, rule, round) in parts {
            if charged.is_zero() && paid.is_none() {
                continue;
            }
            let (component, refund) = self.component(name, charged, share, paid, rule, round)?;
            total += refund;
            components.push(component);
        }
        Ok((components, total))
    }

    /// One component's refund: the returned share, rounded, capped by what was charged and
    /// paid, if the rule refunds it for this reason within its window. Returns the component
    /// and the amount refunded.
    fn component(
        &self,
        name: &'static str,
        charged: Decimal,
        share: Decimal,
        paid: Option<Amount>,
        rule: &ComponentRule,
        round: &crate::money::Rounding,
    ) -> Result<(RefundComponent, Decimal), Error> {
        let ret = self.ret;
        let share_rounded = round.apply(share).ok_or_else(overflow)?.min(charged);
        let cap = paid.map_or(charged, |p| p.0.min(charged));
        let deadline = rule.deadline(self.assessed.date);
        let (refund, explanation) = if !rule.refundable {
            (
                Decimal::ZERO,
                format!("{name} is not refunded under {}", self.label),
            )
        } else if !rule.reasons.contains(&ret.reason) {
            let qualifying: Vec<&str> = rule.reasons.iter().map(|r| reason_text(*r)).collect();
            (
                Decimal::ZERO,
                format!(
                    "a return for reason {} does not qualify (qualifying: {})",
                    reason_text(ret.reason),
                    qualifying.join(", ")
                ),
            )
        } else if let Some(d) = deadline.filter(|d| ret.returned_on > *d) {
            (
                Decimal::ZERO,
                format!(
                    "returned on {}, after the {} limit ending {d}",
                    ret.returned_on,
                    rule.window_text(),
                ),
            )
        } else {
            let refund = share_rounded.min(cap);
            let capped = if refund < share_rounded {
                format!(", capped at {cap} paid")
            } else {
                String::new()
            };
            (
                refund,
                format!("returned goods' share {share_rounded} of {charged} charged at the original date's rules{capped}"),
            )
        };
        let refund = refund.max(Decimal::ZERO);
        let amount = |v: Decimal| Amount(with_scale(v, self.scale));
        let component = RefundComponent {
            component: name,
            assessed: amount(charged),
            paid: amount(cap),
            returned_share: amount(share_rounded),
            refund: amount(refund),
            refunded_by: if rule.refunded_by == "collector" {
                format!("{:?}", self.assessed.collection.collector).to_lowercase()
            } else {
                rule.refunded_by.clone()
            },
            explanation,
            source: rule.source.clone(),
        };
        Ok((component, refund))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_added_with_the_day_clamped() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(add_months(d("2026-03-15"), 12), d("2027-03-15"));
        assert_eq!(add_months(d("2024-02-29"), 12), d("2025-02-28"));
        assert_eq!(add_months(d("2026-01-31"), 1), d("2026-02-28"));
        assert_eq!(add_months(d("2026-11-30"), 3), d("2027-02-28"));
    }

    fn component(months: Option<u32>, days: Option<u32>) -> ComponentRule {
        ComponentRule {
            refundable: true,
            refunded_by: "customs".into(),
            reasons: vec![ReturnReason::Withdrawal],
            window_months: months,
            window_days: days,
            source: "test".into(),
            checked: "2026-11-29".parse().unwrap(),
            confidence: Confidence::default(),
            note: None,
        }
    }

    #[test]
    fn windows_count_months_or_days() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        // 30 days after 2025-12-15 crosses the year end: 2026-01-14 is the last day.
        let days = component(None, Some(30));
        assert_eq!(days.deadline(d("2025-12-15")), Some(d("2026-01-14")));
        assert_eq!(days.window_text(), "30-day");
        let months = component(Some(12), None);
        assert_eq!(months.deadline(d("2026-03-15")), Some(d("2027-03-15")));
        assert_eq!(months.window_text(), "12-month");
        assert_eq!(component(None, None).deadline(d("2026-03-15")), None);
    }

    #[test]
    fn a_window_in_months_and_days_is_rejected() {
        let rule = r#"{"refundable": true, "refunded_by": "customs", "reasons": ["withdrawal"],
            "window_months": 1, "window_days": 30, "source": "s", "checked": "2026-11-29"}"#;
        let none = r#"{"refundable": false, "refunded_by": "none", "reasons": [],
            "window_months": null, "source": "s", "checked": "2026-11-29"}"#;
        let text = format!(
            r#"{{"format": "xborder-returns/1", "regime": "CN", "versions": [{{"from": "2021-01-01",
            "duty": {none}, "tax_at_import": {none}, "tax_at_sale": {rule}, "fees": {none}}}]}}"#
        );
        let e = ReturnRules::from_json(&text).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidPack);
        assert_eq!(
            e.path.as_deref(),
            Some("versions[0].tax_at_sale.window_days")
        );
    }

    #[test]
    fn a_callers_return_rules_replace_the_embedded_ones() {
        let eu = EMBEDDED.iter().find(|(id, _)| *id == "EU").unwrap().1;
        let ret = include_str!("../../examples/returns/eu-defective-return.json");
        let opts = AssessOptions::default();
        let embedded = Engine::embedded().unwrap().refund_json(ret, &opts).unwrap();
        assert!(!embedded.total_refund.0.is_zero());
        let mut rules: serde_json::Value = serde_json::from_str(eu).unwrap();
        for version in rules["versions"].as_array_mut().unwrap() {
            for component in ["duty", "tax_at_import", "tax_at_sale", "fees"] {
                version[component]["refundable"] = false.into();
            }
        }
        let own = Engine::builder()
            .return_rules_json(rules.to_string())
            .build()
            .unwrap();
        let refund = own.refund_json(ret, &opts).unwrap();
        assert!(refund.total_refund.0.is_zero(), "{refund:?}");

        let unknown = eu.replacen("\"regime\": \"EU\"", "\"regime\": \"XX\"", 1);
        let e = Engine::builder()
            .return_rules_json(unknown)
            .build()
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::NoRegime);
        assert_eq!(e.path.as_deref(), Some("return_rules[0].regime"));
        let e = Engine::builder()
            .return_rules_json(r#"{"format": "xborder-returns/2", "regime": "EU", "versions": []}"#)
            .build()
            .unwrap_err();
        assert_eq!(e.path.as_deref(), Some("return_rules[0].format"));
    }

    #[test]
    fn embedded_rules_load() {
        let rules = embedded().unwrap();
        assert!(rules.contains_key("EU") && rules.contains_key("GB") && rules.contains_key("CN"));
    }
}
