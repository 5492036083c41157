//! The assessment result, with exactly the fields `docs/contract.md` names (and a few additions).

use std::sync::Arc;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

pub(crate) mod json;
mod message;
#[cfg(feature = "tape")]
mod tape;

pub(crate) use message::push_in_place;
pub use message::Message;

use crate::date::Date;
use crate::money::Amount;
use crate::regime::pack::{Basis, Collector, Model, Payer, TaxPoint, ThresholdUnit, When};
use crate::trace::TraceStep;

/// The full assessment of one consignment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Assessment {
    /// The caller's reference.
    pub id: crate::declaration::Text,
    /// Regime id (`EU`).
    pub regime: crate::declaration::Text,
    /// Version label (`EU@2026-07-01`).
    pub regime_version: crate::declaration::Text,
    /// Currency of every amount below.
    pub currency: crate::declaration::Text,
    /// The date whose rules were applied.
    pub date: Date,
    /// The tax subdivision whose rates applied (`FR`, `GB`).
    pub subdivision: crate::declaration::Text,
    /// The trade flow statistics group the consignment by (FoS Standard 14).
    pub flow: Flow,
    /// The exchange rate used, when the declaration's currency differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchange: Option<ExchangeUsed>,
    /// Price of the goods, excluding transport and insurance.
    pub intrinsic_value: Amount,
    /// Value duty was assessed on.
    pub customs_value: Amount,
    /// WCO Immediate Release Guidelines category.
    pub category: CategoryOutcome,
    /// Duty and tax de minimis outcomes.
    pub de_minimis: DeMinimisOutcomes,
    /// Duty per line.
    pub duties: Vec<DutyLine>,
    /// Sum of `duties`.
    pub duty_total: Amount,
    /// Taxes per kind and rate.
    pub taxes: Vec<TaxLine>,
    /// Sum of `taxes`.
    pub tax_total: Amount,
    /// Fees.
    pub fees: Vec<FeeLine>,
    /// Sum of `fees`.
    pub fee_total: Amount,
    /// Who collects what, and when.
    pub collection: CollectionOutcome,
    /// Collected at checkout.
    pub due_at_sale: Amount,
    /// Collected at the border / on delivery.
    pub due_at_import: Amount,
    /// `duty_total + tax_total + fee_total`.
    pub total_payable: Amount,
    /// Goods + shipping + insurance + `total_payable`.
    pub landed_cost: Amount,
    /// The release decision and the reasons that led to it.
    pub release: crate::release::Release,
    /// Data-quality and validation findings.
    pub findings: Vec<Finding>,
    /// Why each number is what it is (on request).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<Vec<TraceStep>>,
}

impl Assessment {
    /// A result with empty texts and vectors and placeholder values (no regime, the date
    /// 1970-01-01, zero amounts), for an assessment to fill: [`crate::Engine::assess_into`]
    /// overwrites every field. (The engine fills a result it hands back by value the same way,
    /// so that the fields are mapped in one place.)
    pub fn empty() -> Assessment {
        let de_minimis = DeMinimisOutcome::none();
        Assessment {
            id: Default::default(),
            regime: Default::default(),
            regime_version: Default::default(),
            currency: Default::default(),
            date: Date::EPOCH,
            subdivision: Default::default(),
            flow: Flow {
                destination: Default::default(),
                channel: Default::default(),
                transaction: Default::default(),
                origin: None,
                hs_chapter: None,
            },
            exchange: None,
            intrinsic_value: Amount::ZERO,
            customs_value: Amount::ZERO,
            category: CategoryOutcome {
                code: 1,
                name: Category::Documents,
                sample: false,
            },
            de_minimis: DeMinimisOutcomes {
                duty: de_minimis.clone(),
                tax: de_minimis,
            },
            duties: Vec::new(),
            duty_total: Amount::ZERO,
            taxes: Vec::new(),
            tax_total: Amount::ZERO,
            fees: Vec::new(),
            fee_total: Amount::ZERO,
            collection: CollectionOutcome {
                model: Model::Border,
                scheme: None,
                collector: Collector::Customs,
                when: When::AtImport,
                import_charges_payer: Payer::Consignee,
                duty_at_sale: false,
            },
            due_at_sale: Amount::ZERO,
            due_at_import: Amount::ZERO,
            total_payable: Amount::ZERO,
            landed_cost: Amount::ZERO,
            release: crate::release::Release {
                decision: crate::release::Decision::NotScreened,
                score: 0,
                profile: None,
                agencies: Vec::new(),
                reasons: Vec::new(),
            },
            findings: Vec::new(),
            trace: None,
        }
    }
}

/// The exchange rate applied to the declaration's amounts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ExchangeUsed {
    /// Declaration currency.
    pub from: crate::declaration::Text,
    /// Regime currency.
    pub to: String,
    /// The rate as its table gives it: units of `to` per unit of `from` when `method` is
    /// `multiply` (a caller's JSON table); units of `from` per unit of `to` when it is `divide`
    /// (the ECB's and HMRC's quotation, 1 EUR = 1.1845 USD).
    pub rate: Amount,
    /// How each amount was converted: `multiply` or `divide` by `rate`.
    pub method: crate::exchange::Method,
    /// First day the rate is in force.
    pub valid_from: Date,
    /// Last day the rate is in force (a monthly rate's month end); `null` until the next rate.
    pub valid_to: Option<Date>,
    /// The table the rate comes from (`ECB`, `HMRC`, or a caller's table's label).
    pub table: String,
    /// The publication the rate comes from (`ECB 2026-02-18 (Art. 146 UCC-IA)`).
    pub publication: String,
    /// Where the rate comes from.
    pub source: String,
}

/// `category` (docs/contract.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CategoryOutcome {
    /// 1-4.
    pub code: u8,
    /// `documents`, `low_value_non_dutiable`, `low_value_dutiable`, `high_value`.
    pub name: Category,
    /// True when the consignment holds samples.
    pub sample: bool,
}

/// A WCO Immediate Release Guidelines category (`category.name`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 1: documents only.
    Documents,
    /// 2: low value, no duty or tax payable.
    LowValueNonDutiable,
    /// 3: low value, duty or tax payable.
    LowValueDutiable,
    /// 4: above the regime's high-value threshold.
    HighValue,
}

impl Category {
    /// The name used in JSON (`documents`, `low_value_non_dutiable`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Documents => "documents",
            Category::LowValueNonDutiable => "low_value_non_dutiable",
            Category::LowValueDutiable => "low_value_dutiable",
            Category::HighValue => "high_value",
        }
    }

    /// The category's number, 1 to 4 (`category.code`).
    pub fn code(self) -> u8 {
        match self {
            Category::Documents => 1,
            Category::LowValueNonDutiable => 2,
            Category::LowValueDutiable => 3,
            Category::HighValue => 4,
        }
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// `de_minimis` (docs/contract.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct DeMinimisOutcomes {
    /// Duty de minimis.
    pub duty: DeMinimisOutcome,
    /// Tax de minimis.
    pub tax: DeMinimisOutcome,
}

/// One de minimis test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct DeMinimisOutcome {
    /// Whether the relief applied (to the consignment, or to at least one item).
    pub applies: bool,
    /// The threshold, or null when the regime has none.
    pub threshold: Option<Amount>,
    /// What value was compared.
    pub basis: Option<Basis>,
    /// Per consignment or item.
    pub unit: Option<ThresholdUnit>,
    /// The value compared (the consignment's, for per-item thresholds the largest line's).
    pub basis_value: Option<Amount>,
}

impl DeMinimisOutcome {
    /// No threshold: nothing compared, nothing relieved.
    pub(crate) fn none() -> Self {
        DeMinimisOutcome {
            applies: false,
            threshold: None,
            basis: None,
            unit: None,
            basis_value: None,
        }
    }
}

/// Duty on one line (or, for a flat duty, one tariff subheading).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct DutyLine {
    /// Index of the item in `items`.
    pub item: usize,
    /// The HS code assessed.
    pub hs_code: Option<crate::declaration::Text>,
    /// Text of the rate rule applied.
    // An `Arc` (the assessing thread's copy of the engine's text), not a `Text`: rule texts are
    // often longer than a `Text` keeps inline, and would allocate on every clone.
    pub rate: Arc<str>,
    /// Value the rate applied to.
    pub base: Amount,
    /// Duty.
    pub amount: Amount,
    /// Why the line is what it is.
    pub basis: DutyBasis,
    /// The revision and line of the national tariff file that priced the line; absent when the
    /// duty did not come from a tariff file (a pack's own tariff lines, a relief, a flat rate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tariff: Option<TariffCitation>,
}

/// Where in a national tariff file a duty comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct TariffCitation {
    /// The revision in force on the date (`2026-rev-10`).
    pub revision: crate::declaration::Text,
    /// The code of the line that priced it (`61091000`).
    pub line: crate::declaration::Text,
    /// How sure the rate is: the file's confidence, lowered to `secondary` when the date is
    /// after the last date the file is known to be current.
    pub confidence: crate::regime::pack::Confidence,
}

/// One tax at one rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct TaxLine {
    /// `VAT`, `GST`.
    pub kind: crate::declaration::Text,
    /// Rate as text (`20%`).
    pub rate: crate::declaration::Text,
    /// Base.
    pub base: Amount,
    /// Tax.
    pub amount: Amount,
    /// Where it is charged: `at_sale`, `at_import` or `self_assessed`.
    pub charged: TaxPoint,
    /// Items it covers.
    pub items: Vec<usize>,
    /// What the tax is charged on when it is not the goods: `fee` for the tax on a fee quoted
    /// "+ GST" (the line's `items` is then empty), `surcharge` for a tax computed on other tax
    /// lines. Absent for tax on goods.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basis: Option<TaxBasis>,
}

/// Why a duty line is what it is (`duties[].basis`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DutyBasis {
    /// The tariff's rate for the line's HS code.
    Tariff,
    /// Relieved by the duty de minimis.
    DeMinimis,
    /// Relieved as a gift.
    GiftRelief,
    /// Relieved by the collection scheme (Norway's VOEC).
    Scheme,
    /// A flat rate in place of the tariff (the EU's 3 % for low-value goods).
    FlatDuty,
    /// A flat rate for gifts above the gift relief.
    GiftFlatRate,
    /// A simplified rate by goods category in place of the tariff.
    SimplifiedRate,
    /// Waived because the consignment's charges are below the minimum collected.
    MinimumCollectable,
    /// A duty added by the goods' origin (the pack's `additional_duties`).
    Additional,
    /// A surcharge computed on other duty lines (India's social welfare surcharge).
    Surcharge,
}

impl DutyBasis {
    /// The name used in JSON (`tariff`, `de_minimis`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            DutyBasis::Tariff => "tariff",
            DutyBasis::DeMinimis => "de_minimis",
            DutyBasis::GiftRelief => "gift_relief",
            DutyBasis::Scheme => "scheme",
            DutyBasis::FlatDuty => "flat_duty",
            DutyBasis::GiftFlatRate => "gift_flat_rate",
            DutyBasis::SimplifiedRate => "simplified_rate",
            DutyBasis::MinimumCollectable => "minimum_collectable",
            DutyBasis::Additional => "additional",
            DutyBasis::Surcharge => "surcharge",
        }
    }
}

impl std::fmt::Display for DutyBasis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a tax line is charged on when it is not the goods (`taxes[].basis`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TaxBasis {
    /// A fee quoted "+ GST".
    Fee,
    /// Other tax lines (Japan's local consumption tax on the national one).
    Surcharge,
}

impl TaxBasis {
    /// The name used in JSON (`fee`, `surcharge`).
    pub fn as_str(self) -> &'static str {
        match self {
            TaxBasis::Fee => "fee",
            TaxBasis::Surcharge => "surcharge",
        }
    }
}

impl std::fmt::Display for TaxBasis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One fee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct FeeLine {
    /// Fee id.
    pub id: crate::declaration::Text,
    /// Kind of fee.
    pub kind: crate::declaration::Text,
    /// Who pays it.
    pub payer: Payer,
    /// Who collects it, when a pack names a collector other than the payer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collector: Option<Payer>,
    /// Amount.
    pub amount: Amount,
}

/// `collection` (docs/contract.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CollectionOutcome {
    /// Collection model.
    pub model: Model,
    /// Scheme id, or null for traditional border collection.
    pub scheme: Option<crate::declaration::Text>,
    /// Who collects.
    pub collector: Collector,
    /// When.
    pub when: When,
    /// Who bears the import charges (DAP: consignee, DDP: seller).
    pub import_charges_payer: Payer,
    /// The collector also collects the customs duty at sale (Brazil's Remessa Conforme): the
    /// duty is in `due_at_sale` and on the collector's statement. Omitted when false.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub duty_at_sale: bool,
}

/// Severity of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Informational.
    Info,
    /// Probably wrong, but assessed.
    Warning,
    /// The declaration is incomplete or inconsistent for its category.
    Error,
}

/// A data-quality or validation finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Finding {
    /// Stable code (`F_…`).
    pub code: Cow<'static, str>,
    /// Severity.
    pub severity: Severity,
    /// JSON path of the field concerned.
    pub path: Option<crate::declaration::Text>,
    /// Plain-language explanation.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub message: Message,
}

/// What statistics (FoS Standard 14) group a consignment by, echoed from the declaration so
/// that results alone can be aggregated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Flow {
    /// Importing country.
    pub destination: crate::declaration::Text,
    /// How the consignment travelled.
    pub channel: crate::declaration::Channel,
    /// Kind of transaction.
    pub transaction: crate::declaration::Transaction,
    /// Origin of the most valuable item (the first on a tie); null when it states none.
    pub origin: Option<crate::declaration::Text>,
    /// HS chapter (two digits) of the most valuable item with an HS code; null for documents.
    pub hs_chapter: Option<crate::declaration::Text>,
}

impl Flow {
    /// The flow of a declaration.
    pub fn of(decl: &crate::declaration::Declaration) -> Flow {
        // The most valuable item (the first on a tie). When it has an HS code it is also the
        // most valuable with one (an earlier one of equal value would be an earlier item of
        // equal value), as in almost every consignment: the second pass, over the items with
        // an HS code, is for those whose most valuable item has none (a document).
        let any = most_valuable(decl.items.iter());
        let with_hs = match any {
            Some(item) if has_hs(item) => any,
            _ => most_valuable(decl.items.iter().filter(|i| has_hs(i))),
        };
        Flow {
            destination: decl.destination.clone(),
            channel: decl.channel,
            transaction: decl.transaction,
            origin: any.and_then(|i| i.origin.clone()),
            hs_chapter: with_hs
                .and_then(|i| i.hs_code.as_deref())
                .and_then(|h| h.get(..2))
                .map(crate::declaration::Text::from),
        }
    }
}

/// Whether an item has an HS code of at least two digits (a chapter).
fn has_hs(item: &crate::declaration::Item) -> bool {
    item.hs_code.as_deref().is_some_and(|h| h.len() >= 2)
}

/// The most valuable of `items`, the first on a tie.
#[inline]
fn most_valuable<'d>(
    mut items: impl Iterator<Item = &'d crate::declaration::Item>,
) -> Option<&'d crate::declaration::Item> {
    let mut best = items.next()?;
    for item in items {
        if crate::exact::cmp(item.value.0, best.value.0).is_gt() {
            best = item;
        }
    }
    Some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_follows_the_most_valuable_item() {
        let decl = crate::declaration::Declaration::from_json(
            r#"{"id":"f","date":"2026-03-01","destination":"FR","channel":"postal","currency":"EUR",
               "items":[{"description":"letter","quantity":1,"value":"90.00","origin":"US","nature":"document"},
                        {"description":"shirt","hs_code":"610910","quantity":1,"value":"20.00","origin":"CN"},
                        {"description":"watch","hs_code":"910211","quantity":1,"value":"40.00","origin":"CH"},
                        {"description":"watch","hs_code":"910212","quantity":1,"value":"40.00","origin":"JP"}],
               "seller":{"name":"S"},"consignee":{"name":"C"}}"#,
        )
        .unwrap();
        let flow = Flow::of(&decl);
        assert_eq!(flow.destination, "FR");
        assert_eq!(flow.channel, crate::declaration::Channel::Postal);
        assert_eq!(flow.origin.as_deref(), Some("US"));
        assert_eq!(flow.hs_chapter.as_deref(), Some("91"));
        let json = serde_json::to_string(&flow).unwrap();
        assert_eq!(
            json,
            r#"{"destination":"FR","channel":"postal","transaction":"B2C","origin":"US","hs_chapter":"91"}"#
        );
    }

    proptest::proptest! {
        /// The one-pass choice is the two folds it replaced: the first most valuable item, and
        /// the first most valuable with an HS code.
        #[test]
        fn flow_picks_as_two_folds_do(
            items in proptest::collection::vec((0i64..4, 0u32..3, proptest::prelude::any::<bool>()), 1..6),
        ) {
            use crate::declaration::{Declaration, Item};
            let mut decl = Declaration::default();
            for (k, (value, scale, hs)) in items.iter().enumerate() {
                let mut item = Item::new("x", "610910", crate::money::Amount(rust_decimal::Decimal::new(*value, *scale)));
                item.hs_code = hs.then(|| format!("{k}{k}0000").into());
                item.origin = Some(format!("O{k}").into());
                decl.items.push(item);
            }
            let fold = |with_hs: bool| {
                decl.items
                    .iter()
                    .filter(|i| !with_hs || i.hs_code.as_deref().is_some_and(|h| h.len() >= 2))
                    .fold(None, |best: Option<&Item>, item| match best {
                        Some(b) if b.value.0 >= item.value.0 => Some(b),
                        _ => Some(item),
                    })
            };
            let flow = Flow::of(&decl);
            proptest::prop_assert_eq!(flow.origin, fold(false).and_then(|i| i.origin.clone()));
            proptest::prop_assert_eq!(
                flow.hs_chapter.as_deref(),
                fold(true).and_then(|i| i.hs_code.as_deref()).and_then(|h| h.get(..2))
            );
        }
    }
}
