//! The regime pack file format, exactly as `docs/regime-format.md` describes it.
//!
//! These types mirror the JSON one to one (unknown keys are errors) and are also the runtime
//! representation: the loader ([`super::Regime::from_json`]) validates them and adds only what cannot be
//! read directly (parsed duty expressions, compiled patterns, the tariff index).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::declaration::{Channel, Nature, Transaction};
use crate::money::{Amount, RoundingMode};

/// Where a rule comes from and how sure we are of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provenance<'a> {
    /// URL or legal reference.
    pub source: &'a str,
    /// When the fact was last verified against the source.
    pub checked: Date,
    /// How sure we are.
    pub confidence: Confidence,
}

/// How well a rule is supported by its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Seen in a primary or official source.
    #[default]
    Confirmed,
    /// Seen only in a secondary source.
    Secondary,
    /// Not found in any source; held only because the engine needs a value.
    Unconfirmed,
}

impl Confidence {
    /// The name used in JSON and in tariff files.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Confirmed => "confirmed",
            Confidence::Secondary => "secondary",
            Confidence::Unconfirmed => "unconfirmed",
        }
    }

    /// Reads a name written by [`Confidence::as_str`].
    pub fn from_name(name: &str) -> Option<Confidence> {
        [
            Confidence::Confirmed,
            Confidence::Secondary,
            Confidence::Unconfirmed,
        ]
        .into_iter()
        .find(|c| c.as_str() == name)
    }
}

/// Implemented by every rule object: anything carrying a source and a checked date.
pub trait Sourced {
    /// The rule's provenance.
    fn provenance(&self) -> Provenance<'_>;
    /// A free-text note on the rule.
    fn note(&self) -> Option<&str>;
}

/// Declares a rule struct: the given fields plus `source`, `checked`, `confidence` and `note`,
/// which serde cannot add by `flatten` while also refusing unknown keys.
macro_rules! rule {
    ($(#[$meta:meta])* pub struct $name:ident { $($(#[$fmeta:meta])* pub $field:ident : $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($(#[$fmeta])* pub $field: $ty,)*
            /// URL or legal reference the rule comes from.
            pub source: String,
            /// Date the rule was last verified against its source.
            pub checked: Date,
            /// How well the source supports the rule.
            #[serde(default)]
            pub confidence: Confidence,
            /// Free-text remark (uncertainties, readings, caveats).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub note: Option<String>,
        }

        impl Sourced for $name {
            fn provenance(&self) -> Provenance<'_> {
                Provenance { source: &self.source, checked: self.checked, confidence: self.confidence }
            }
            fn note(&self) -> Option<&str> {
                self.note.as_deref()
            }
        }
    };
}
pub(crate) use rule;

/// A whole pack file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackFile {
    /// Format version; `1`.
    pub format: u32,
    /// Regime id (`EU`, `GB`).
    pub id: String,
    /// Human name.
    pub name: String,
    /// Currency of every amount in the pack and of results.
    pub currency: String,
    /// Destination countries that select this regime.
    pub destinations: Vec<String>,
    /// The versions, sorted and non-overlapping.
    pub versions: Vec<VersionFile>,
    /// Periods the pack knowingly does not cover, with the fact that is missing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gaps: Vec<GapFile>,
    /// Named lists of HS codes that rules point to (`goods`, `excluded_goods` of additional
    /// duties). An embedded regime's lists may live in their own file (`regimes/US/
    /// goods-lists.json`); the engine adds them to the pack's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goods_lists: Vec<GoodsListFile>,
    /// The exchange rates the regime's customs administration converts with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_rates: Option<ExchangeRatesFile>,
}

rule! {
    /// A named list of HS codes (docs/regime-format.md, "Goods lists").
    pub struct GoodsListFile {
        /// List id, unique in the regime (`US_9903_88_15`).
        pub id: String,
        /// Human name (what the list is, and the legal text that holds it).
        pub name: String,
        /// HS codes of 2 to 10 digits separated by white space; a code covers every code it
        /// begins.
        pub codes: String,
        /// How the list was made from its source (the recipe `xborder tariff lists` reruns);
        /// the engine does not read it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub derive: Option<serde_json::Value>,
    }
}

/// A rule's reference to a goods list: its id, or `{ "list", "from", "to" }` when the list
/// holds for the rule only over part of the rule's period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "GoodsRefText")]
pub struct GoodsRef {
    /// The list's id.
    pub list: String,
    /// First day the reference holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    /// First day it no longer holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Date>,
}

/// The two spellings of a [`GoodsRef`].
#[derive(Deserialize)]
#[serde(untagged)]
enum GoodsRefText {
    Id(String),
    Dated {
        list: String,
        #[serde(default)]
        from: Option<Date>,
        #[serde(default)]
        to: Option<Date>,
    },
}

impl From<GoodsRefText> for GoodsRef {
    fn from(t: GoodsRefText) -> GoodsRef {
        match t {
            GoodsRefText::Id(list) => GoodsRef {
                list,
                from: None,
                to: None,
            },
            GoodsRefText::Dated { list, from, to } => GoodsRef { list, from, to },
        }
    }
}

rule! {
    /// The exchange rates a regime's customs administration converts declared amounts with:
    /// the official table xborder carries for it, or (where none can be derived) the
    /// publication a caller must load, named in every `E_NO_EXCHANGE_RATE` message.
    pub struct ExchangeRatesFile {
        /// Id of the official rate table used for pairs the caller's table does not hold
        /// (`ECB`, `HMRC`; `regimes/<ID>/<ID>.rates`); `None` when xborder has none.
        #[serde(default)]
        pub table: Option<String>,
        /// The official rates and the rule that picks one for a date, in words, with where to
        /// get them.
        pub official: String,
    }
}

rule! {
    /// A period the pack does not cover because a fact could not be sourced: an assessment
    /// dated inside it fails with `E_NO_VERSION_IN_FORCE` quoting `missing`.
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct GapFile {
        /// First day of the gap.
        pub from: Date,
        /// First day after the gap; `None` = open-ended.
        #[serde(default)]
        pub to: Option<Date>,
        /// What is missing (the fact a version would need).
        pub missing: String,
    }
}

rule! {
    /// The rules in force over one period.
    pub struct VersionFile {
        /// First day in force.
        pub from: Date,
        /// First day no longer in force; `None` = until further notice.
        #[serde(default)]
        pub to: Option<Date>,
        /// What changed in this version.
        pub summary: String,
        /// Explicit readings of uncertain facts.
        #[serde(default)]
        pub options: BTreeMap<String, OptionFile>,
        /// Named rounding steps.
        pub rounding: RoundingSet,
        /// Release categories.
        pub categories: CategoriesFile,
        /// Duty and tax de minimis.
        pub de_minimis: DeMinimisFile,
        /// What duty and tax are computed on.
        pub valuation: ValuationFile,
        /// Tax rates.
        pub taxes: TaxesFile,
        /// Duty lines.
        pub tariff: TariffFile,
        /// Flat duty per distinct tariff subheading.
        #[serde(default)]
        pub flat_duty: Option<FlatDutyFile>,
        /// Gift relief.
        #[serde(default)]
        pub gift_relief: Option<GiftReliefFile>,
        /// Collection schemes, in priority order.
        #[serde(default)]
        pub schemes: Vec<SchemeFile>,
        /// Fees.
        #[serde(default)]
        pub fees: Vec<FeeFile>,
        /// Amounts below which nothing is collected.
        #[serde(default)]
        pub minimum_collectable: Option<MinimumCollectableFile>,
        /// Excise goods the pack does not assess excise for.
        #[serde(default)]
        pub excise_goods: Option<ExciseGoodsFile>,
        /// Duties added on top of the tariff by the goods' country of origin (US IEEPA duties,
        /// the Section 122 surcharge, the postal duty methods).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub additional_duties: Vec<AdditionalDutyFile>,
        /// Flat-rate regimes replacing the tariff (and possibly the import tax), first match wins.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub simplified_rates: Vec<SimplifiedRateFile>,
        /// Cases the pack knows it does not model: assessments fail with `E_OUT_OF_SCOPE`.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub out_of_scope: Vec<OutOfScopeFile>,
        /// Charges computed as a share of another charge (India's social welfare surcharge,
        /// Japan's local consumption tax), in the order they are applied.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub surcharges: Vec<SurchargeFile>,
    }
}

/// What a simplified rate replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Replaces {
    /// The tariff only; import tax is computed as usual (on a base holding the flat duty).
    Duty,
    /// The tariff and the import tax: one global rate covers both (Mexico's courier rate).
    DutyAndTax,
}

/// A rate for the lines whose HS code starts with `hs_prefix`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrefixRate {
    /// HS code prefix (2-10 digits); the longest matching prefix wins.
    pub hs_prefix: String,
    /// Percentage of the line's customs value.
    pub rate: Amount,
    /// What the goods are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

rule! {
    /// A flat-rate regime replacing the tariff (and optionally the import tax) for the
    /// consignments it covers: Mexico's courier global rate, South Africa's flat 20 %, Brazil's
    /// simplified taxation regime, India's rate for personal imports.
    pub struct SimplifiedRateFile {
        /// Rule id, unique in the version.
        pub id: String,
        /// Human name.
        pub name: String,
        /// What the rate replaces.
        pub replaces: Replaces,
        /// Percentage of each line's customs value; the default when `rates` has no match.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub rate: Option<Amount>,
        /// Rates by HS prefix (longest prefix wins).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub rates: Vec<PrefixRate>,
        /// Amount deducted once from the consignment's charge (never below zero).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub deduction: Option<Amount>,
        /// Applies only when the basis value is above the amount.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub above: Option<Ceiling>,
        /// Applies only when the basis value is at or below the amount.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub ceiling: Option<Ceiling>,
        /// Dispatch countries (`dispatch_country`, else `seller.country`); `None` = any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub origins: Option<Vec<String>>,
        /// Channels; `None` = any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub channels: Option<Vec<Channel>>,
        /// Transactions; `None` = any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub transactions: Option<Vec<Transaction>>,
        /// Natures every goods item must have (India: purchases and gifts pay different
        /// rates); `None` = any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub natures: Option<Vec<Nature>>,
        /// Duty surcharges (ids) not charged on this rate's lines (India: no Social Welfare
        /// Surcharge on gifts at heading 9804).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub without_surcharges: Vec<String>,
        /// Collection scheme ids the rate needs (`border` = no scheme); `None` = any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub schemes: Option<Vec<String>>,
        /// Goods that take the consignment out of this rate.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub excluded: Vec<Exclusion>,
        /// The rate holds only under one reading of an uncertain fact.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub when_option: Option<OptionGate>,
        /// Further gates that must all hold, when the rate depends on several uncertain facts
        /// (India: courier imports at heading 9804 and the date of the 2026 cut).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub when_options: Vec<OptionGate>,
        /// First day inside the version the rate applies.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub from: Option<Date>,
        /// First day it no longer applies.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub to: Option<Date>,
    }
}

rule! {
    /// A case the pack knows it does not model. When every condition given holds, the
    /// assessment fails with `E_OUT_OF_SCOPE` and `message`, rather than give a wrong figure.
    pub struct OutOfScopeFile {
        /// Rule id, unique in the version.
        pub id: String,
        /// Holds when the basis value is above the amount.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub above: Option<Ceiling>,
        /// Holds when the chosen collection scheme is none of these ids (`border` = no scheme).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub unless_schemes: Option<Vec<String>>,
        /// Channels; `None` = any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub channels: Option<Vec<Channel>>,
        /// Transactions; `None` = any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub transactions: Option<Vec<Transaction>>,
        /// What is not modelled and what the caller should do instead.
        pub message: String,
    }
}

rule! {
    /// An uncertain fact and its readings.
    pub struct OptionFile {
        /// The readings (besides `reject`, always allowed).
        pub values: Vec<String>,
        /// The reading used unless the caller picks another.
        pub default: String,
        /// The question the sources disagree on.
        pub question: String,
    }
}

/// The rounding steps a regime names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundingSet {
    /// Converting declared amounts into the regime currency.
    pub exchange: RoundingRule,
    /// Duty amounts.
    pub duty: RoundingRule,
    /// Tax amounts.
    pub tax: RoundingRule,
    /// Fee amounts.
    pub fee: RoundingRule,
    /// Gross mass before a duty per kg or 100 kg gross is computed (Switzerland: rounded up to
    /// the next 100 g, Customs Tariff Act Art. 2 para. 3). Absent: the declared mass is used
    /// as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gross_mass: Option<RoundingRule>,
    /// The value duty and import tax are computed on, per line, before the rate applies
    /// (Japan truncates both bases to JPY 1,000); absent = bases are not rounded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_base: Option<RoundingRule>,
}

/// Whether rounding is done per line or once per consignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundingScope {
    /// Each line is rounded, then the rounded lines are summed.
    #[default]
    Line,
    /// Unrounded lines are summed, and the sum is rounded once.
    Consignment,
}

rule! {
    /// One named rounding step.
    pub struct RoundingRule {
        /// Direction and tie-breaking.
        pub mode: RoundingMode,
        /// Step, e.g. `0.01`.
        pub increment: Amount,
        /// Per line or per consignment.
        #[serde(default)]
        pub scope: RoundingScope,
    }
}

/// What value a threshold or ceiling compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Price of the goods, excluding separately charged transport and insurance.
    Intrinsic,
    /// Intrinsic value plus shipping and insurance.
    IntrinsicPlusTransport,
    /// The value duty is assessed on.
    CustomsValue,
    /// The amount of tax.
    TaxAmount,
}

impl Basis {
    /// The name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Intrinsic => "intrinsic",
            Basis::IntrinsicPlusTransport => "intrinsic_plus_transport",
            Basis::CustomsValue => "customs_value",
            Basis::TaxAmount => "tax_amount",
        }
    }
}

/// A value ceiling inside another rule (its provenance is the enclosing rule's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ceiling {
    /// The amount, in the regime currency; the ceiling holds at or below it.
    pub amount: Amount,
    /// What value is compared.
    pub basis: Basis,
}

/// Release-category rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoriesFile {
    /// Above this, a consignment is high value (category 4).
    pub high_value_threshold: ValueThreshold,
    /// Data elements each category requires.
    pub required_data: RequiredData,
}

rule! {
    /// A sourced value threshold.
    pub struct ValueThreshold {
        /// The amount.
        pub amount: Amount,
        /// What value is compared.
        pub basis: Basis,
    }
}

rule! {
    /// Declaration fields each release category requires.
    pub struct RequiredData {
        /// Category 1.
        pub documents: Vec<String>,
        /// Category 2.
        pub low_value_non_dutiable: Vec<String>,
        /// Category 3.
        pub low_value_dutiable: Vec<String>,
        /// Category 4.
        pub high_value: Vec<String>,
    }
}

/// Duty and tax de minimis; `None` means there is none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeMinimisFile {
    /// Duty de minimis.
    pub duty: Option<Threshold>,
    /// Tax de minimis.
    pub tax: Option<Threshold>,
}

/// Whether a threshold compares the whole consignment or each line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ThresholdUnit {
    /// The consignment's value.
    Consignment,
    /// Each line's value.
    Item,
}

fn consignment_unit() -> ThresholdUnit {
    ThresholdUnit::Consignment
}

fn is_consignment(unit: &ThresholdUnit) -> bool {
    *unit == ThresholdUnit::Consignment
}

/// Goods a rule does not cover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    /// HS code prefix (2-10 digits).
    pub hs_prefix: String,
    /// Why (e.g. "tobacco (excise good)").
    pub reason: String,
}

rule! {
    /// A de minimis threshold.
    pub struct Threshold {
        /// The amount; relief applies at or below it.
        pub amount: Amount,
        /// What value is compared.
        pub basis: Basis,
        /// Per consignment or per item.
        pub unit: ThresholdUnit,
        /// Goods never relieved.
        #[serde(default)]
        pub excluded: Vec<Exclusion>,
        /// Transactions the relief covers (default: all).
        #[serde(default)]
        pub transactions: Option<Vec<Transaction>>,
        /// Other amounts for some dispatch countries or channels; the first case whose
        /// conditions all hold replaces `amount`.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub cases: Vec<ThresholdCase>,
        /// A second limit on what one person bought over a period, counting the purchases the
        /// caller lists in the declaration's `prior_purchases`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub per_person: Option<PerPersonLimit>,
        /// The threshold holds only under one reading of an uncertain fact.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub when_option: Option<OptionGate>,
        /// On a tax threshold on the tax amount: other charges that are not collected either
        /// when the tax is not levied (Switzerland before 2024, where carriers and consumer
        /// guides say no duty is collected when the VAT is CHF 5 or less).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub also_relieves: Option<AlsoRelieves>,
        /// Countries of origin (`items[].origin`) whose goods are never relieved (the US removal
        /// of de minimis for products of China and Hong Kong from 2025-05-02).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub excluded_origins: Vec<String>,
    }
}

/// Charges a tax-amount threshold removes together with the tax.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlsoRelieves {
    /// The charges (`duty`).
    pub charges: Vec<Charge>,
    /// Only under this reading of an uncertain fact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when_option: Option<OptionGate>,
}

/// Makes a rule depend on the reading of a pack option: it applies only when the option reads
/// `reading`; when the caller picks `reject`, an assessment the rule could change fails with
/// `E_UNCERTAIN_RULE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionGate {
    /// The option's name (declared in the version's `options`).
    pub option: String,
    /// The reading under which the rule applies.
    pub reading: String,
}

/// A threshold amount that holds only for some dispatch countries and/or channels (its
/// provenance is the enclosing threshold's unless it names its own `source`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThresholdCase {
    /// The amount in this case.
    pub amount: Amount,
    /// Countries the consignment is dispatched from (`dispatch_country`, else `seller.country`);
    /// `None` = any.
    #[serde(default)]
    pub origins: Option<Vec<String>>,
    /// Channels; `None` = any.
    #[serde(default)]
    pub channels: Option<Vec<Channel>>,
    /// The case holds only under one reading of an uncertain fact (a disputed threshold basis).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when_option: Option<OptionGate>,
    /// The value compared in this case, when it differs from the threshold's (a value basis).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<Basis>,
    /// Goods that keep the case from holding: a consignment holding one of them gets the
    /// threshold's own amount (Korea: food and cosmetics from the US are relieved only to
    /// USD 150, not to the US case's USD 200).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded: Vec<Exclusion>,
    /// Where this case comes from, when not from the threshold's own source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Free-text remark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The period a per-person limit counts purchases over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// The same calendar day as the assessment date.
    Day,
    /// 1 January of the assessment date's year up to the assessment date.
    CalendarYear,
}

impl Period {
    /// The period in words, for traces: `day`, `calendar year`.
    pub fn words(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::CalendarYear => "calendar year",
        }
    }
}

/// A limit on the value one person imports over a period (US "per person per day", China's
/// annual CBEC quota). Relief holds only when the consignment's basis value plus the listed
/// earlier purchases in the period is at or below `amount`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerPersonLimit {
    /// The amount over the period, in the regime currency.
    pub amount: Amount,
    /// The period.
    pub period: Period,
    /// Where the limit comes from, when not from the threshold's own source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A part of a tax base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaxBasePart {
    /// The customs value.
    CustomsValue,
    /// Duty assessed.
    Duty,
    /// Fees marked `in_tax_base`.
    FeesInTaxBase,
    /// The goods' price.
    Goods,
    /// Shipping charged.
    Shipping,
    /// Insurance charged.
    Insurance,
    /// `valuation.uplift`: a percentage of the customs value (South Africa's added tax value).
    Uplift,
}

rule! {
    /// What duty and taxes are computed on.
    pub struct ValuationFile {
        /// `intrinsic` or `intrinsic_plus_transport`.
        pub customs_value: Basis,
        /// Import VAT/GST base.
        pub import_tax_base: Vec<TaxBasePart>,
        /// Base of tax charged at sale under a vendor scheme.
        pub sale_tax_base: Vec<TaxBasePart>,
        /// A percentage of the customs value added to the tax base (part `uplift`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub uplift: Option<UpliftFile>,
        /// Goods for the consignee's personal use valued at a percentage of their retail
        /// price (Japan: 60 %).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub personal_use: Option<PersonalUseFile>,
    }
}

rule! {
    /// The valuation of goods imported for the importer's own use at a share of the price paid
    /// (Japan: customs value = overseas retail price × 0.6, then transport). Applies to
    /// consignments to a private person (consignee kind `individual`).
    pub struct PersonalUseFile {
        /// Percentage of each line's value that is its value for customs.
        pub rate: Amount,
        /// Transactions; `None` = any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub transactions: Option<Vec<Transaction>>,
        /// Goods valued at their full price (gold and platinum, whose retail and wholesale
        /// prices do not differ).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub excluded: Vec<Exclusion>,
        /// Applies only under one reading of an uncertain fact (whether the goods are for the
        /// importer's personal use, which a declaration does not say).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub when_option: Option<OptionGate>,
    }
}

rule! {
    /// A percentage of the customs value that enters the import tax base (South Africa: the
    /// added tax value is customs value + duty + 10 % of the customs value).
    pub struct UpliftFile {
        /// Percentage of the line's customs value.
        pub rate: Amount,
        /// Countries of origin (`items[].origin`) whose goods get no uplift.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub excluded_origins: Vec<String>,
    }
}

/// Tax rates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxesFile {
    /// `VAT`, `GST`.
    pub kind: String,
    /// Standard rates by tax subdivision.
    pub standard: BTreeMap<String, Vec<DatedRate>>,
    /// Reduced rates by HS prefix.
    #[serde(default)]
    pub reduced: Vec<ReducedRate>,
    /// The tax is part of its own base ("por dentro", Brazil's ICMS): the amount is
    /// `base × rate / (100 − rate)`, so that it equals `rate` per cent of base + tax.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inclusive: bool,
}

rule! {
    /// A rate in force over a period.
    pub struct DatedRate {
        /// First day in force.
        pub from: Date,
        /// First day no longer in force.
        #[serde(default)]
        pub to: Option<Date>,
        /// Percentage.
        pub rate: Amount,
    }
}

/// A reduced rate for some goods in one subdivision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReducedRate {
    /// HS prefix of the goods.
    pub hs_prefix: String,
    /// Tax subdivision.
    pub subdivision: String,
    /// What the goods are.
    pub description: String,
    /// The dated rate series.
    pub rates: Vec<DatedRate>,
}

rule! {
    /// The tariff.
    pub struct TariffFile {
        /// Lines by HS prefix.
        pub lines: Vec<TariffLineFile>,
    }
}

rule! {
    /// One tariff line.
    pub struct TariffLineFile {
        /// HS prefix, 2-10 digits.
        pub hs: String,
        /// Duty expression.
        pub duty: String,
        /// What the goods are.
        pub description: String,
    }
}

/// What a flat duty is counted per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlatDutyPer {
    /// Each distinct tariff subheading in the consignment (the first `hs_digits` digits).
    TariffSubheading,
    /// Each declaration line: goods sharing the declared classification, description and
    /// origin count once (the European Commission's guidance on the EU's EUR 3 duty).
    DeclarationLine,
}

impl FlatDutyPer {
    /// The reading's name, as an option value.
    pub fn as_str(self) -> &'static str {
        match self {
            FlatDutyPer::TariffSubheading => "tariff_subheading",
            FlatDutyPer::DeclarationLine => "declaration_line",
        }
    }
}

rule! {
    /// A flat duty per distinct tariff subheading.
    pub struct FlatDutyFile {
        /// Amount per subheading.
        pub amount: Amount,
        /// What it is counted per.
        pub per: FlatDutyPer,
        /// Digits that make a subheading distinct.
        pub hs_digits: u8,
        /// Consignments at or below this are in scope.
        pub ceiling: Ceiling,
        /// Transactions in scope (default all).
        #[serde(default)]
        pub transactions: Option<Vec<Transaction>>,
        /// Option deciding which consignments are in scope.
        #[serde(default)]
        pub scope_option: Option<String>,
        /// Option deciding what the amount is counted per, when the sources disagree: its
        /// readings are `tariff_subheading` and `declaration_line`, and it replaces `per`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub per_option: Option<String>,
    }
}

/// A charge a relief can remove.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Charge {
    /// Customs duty.
    Duty,
    /// VAT/GST.
    Tax,
}

rule! {
    /// A charge computed as a share of another charge: one line per line of the charge it is
    /// `of`. A duty-kind surcharge adds duty lines (basis `surcharge`) that enter the import
    /// tax base; a tax-kind surcharge adds tax lines.
    pub struct SurchargeFile {
        /// Stable id, quoted in the rate text and the trace.
        pub id: String,
        /// Human name.
        pub name: String,
        /// What the surcharge is: customs duty or tax.
        pub kind: Charge,
        /// The charge whose lines it is computed on (after their rounding).
        pub of: Charge,
        /// Percentage of the charge (`"10"`); exactly one of `rate` and `fraction`.
        #[serde(default)]
        pub rate: Option<Amount>,
        /// Exact fraction of the charge, `"22/78"`: multiplied, then divided.
        #[serde(default)]
        pub fraction: Option<String>,
        /// Only on lines of these bases (`tariff`, `simplified_rate`, …; for tax lines the
        /// tax line's charge point, `at_import`/`at_sale`); absent = every line.
        #[serde(default)]
        pub bases: Option<Vec<String>>,
        /// Rounding of each surcharge line; absent = the regime's rounding for its kind.
        #[serde(default)]
        pub rounding: Option<RoundingRule>,
        /// Rounding of the sum of the rounded lines (the last non-zero line carries the
        /// difference): Japan truncates the local consumption tax total to JPY 100.
        #[serde(default)]
        pub total_rounding: Option<RoundingRule>,
        /// First day in force inside the version.
        #[serde(default)]
        pub from: Option<Date>,
        /// First day no longer in force.
        #[serde(default)]
        pub to: Option<Date>,
    }
}

rule! {
    /// Relief for gifts between private persons.
    pub struct GiftReliefFile {
        /// Transactions it covers.
        pub transactions: Vec<Transaction>,
        /// Relief at or below this.
        pub amount: Amount,
        /// What value is compared.
        pub basis: Basis,
        /// Which charges are relieved.
        pub relieves: Vec<Charge>,
        /// Goods never relieved.
        #[serde(default)]
        pub excluded: Vec<Exclusion>,
        /// Flat duty rate above the relief.
        #[serde(default)]
        pub flat_rate: Option<GiftFlatRate>,
        /// What happens above `amount`: nothing is relieved (`threshold`, the default) or the
        /// first `amount` stays relieved and charges fall on the excess only (`allowance`).
        #[serde(default, skip_serializing_if = "GiftMode::is_threshold")]
        pub mode: GiftMode,
    }
}

/// How a gift relief treats a gift worth more than its amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GiftMode {
    /// All or nothing: a gift above the amount pays on its full value (Switzerland's CHF 100,
    /// "bis zu einem Wert von 100 Franken").
    #[default]
    Threshold,
    /// The amount is an allowance: above it, the relieved charges are computed on the value
    /// minus the amount (Canada's CAD 60: a CAD 200 gift pays on CAD 140).
    Allowance,
}

impl GiftMode {
    fn is_threshold(&self) -> bool {
        *self == GiftMode::Threshold
    }
}

rule! {
    /// A flat duty rate for gifts above the relief.
    pub struct GiftFlatRate {
        /// Percentage.
        pub rate: Amount,
        /// At or below this.
        pub ceiling: Amount,
        /// What value is compared.
        pub basis: Basis,
    }
}

/// `collection.model` (docs/contract.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Model {
    /// The seller collects at sale.
    Vendor,
    /// A marketplace, carrier or other intermediary collects.
    Intermediary,
    /// The buyer pays or self-assesses.
    Consumer,
    /// Customs collects at the border.
    Border,
    /// An operator's account is settled periodically.
    Account,
}

/// `collection.collector` (docs/contract.md), plus `registrant` in packs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Collector {
    /// In packs only: the marketplace if one is declared, else the seller.
    Registrant,
    /// The seller.
    Seller,
    /// The marketplace (deemed supplier).
    Marketplace,
    /// The carrier or postal operator.
    Carrier,
    /// The consignee.
    Consignee,
    /// Customs.
    Customs,
}

/// `collection.when` (docs/contract.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum When {
    /// At checkout.
    AtSale,
    /// At import / delivery.
    AtImport,
    /// In a periodic return.
    Periodic,
}

/// Where a scheme charges the tax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TaxPoint {
    /// At checkout on the sale tax base; import is exempt.
    AtSale,
    /// At import on the import tax base.
    AtImport,
    /// Reverse charge: the consignee accounts for it in its own return.
    SelfAssessed,
}

impl TaxPoint {
    /// The name used in JSON (`at_sale`, `at_import`, `self_assessed`).
    pub fn as_str(self) -> &'static str {
        match self {
            TaxPoint::AtSale => "at_sale",
            TaxPoint::AtImport => "at_import",
            TaxPoint::SelfAssessed => "self_assessed",
        }
    }
}

impl std::fmt::Display for TaxPoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which rate a scheme charges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateChoice {
    /// Standard or reduced rate of the destination subdivision.
    Destination,
    /// The standard rate only.
    Standard,
}

/// The registration a scheme's collector must hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistrationRule {
    /// Registration scheme id (`IOSS`).
    pub scheme: String,
    /// Regular expression the number must match.
    pub pattern: String,
    /// Whether the scheme applies only with a well-formed registration.
    pub required: bool,
}

rule! {
    /// A revenue-collection scheme.
    pub struct SchemeFile {
        /// Scheme id (`IOSS`, `EU_SA`, `GB_POS`).
        pub id: String,
        /// Human name.
        pub name: String,
        /// Collection model.
        pub model: Model,
        /// Who collects.
        pub collector: Collector,
        /// When.
        pub when: When,
        /// Where the tax is charged.
        pub taxes: TaxPoint,
        /// Registration the collector must hold.
        #[serde(default)]
        pub registration: Option<RegistrationRule>,
        /// Value ceiling (per consignment or per line, see `ceiling_unit`).
        #[serde(default)]
        pub ceiling: Option<Ceiling>,
        /// Whether `ceiling` compares the whole consignment (default) or each line (Australia's
        /// LVIG, Norway's VOEC, New Zealand's low-value goods: a value per item).
        #[serde(default = "consignment_unit", skip_serializing_if = "is_consignment")]
        pub ceiling_unit: ThresholdUnit,
        /// Customs duty is not charged on goods under the scheme (Norway's VOEC).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        pub relieves_duty: bool,
        /// The collector also collects the customs duty at sale, with the tax (Brazil's Remessa
        /// Conforme: the certified company charges import tax and ICMS at purchase), so the
        /// duty is due at sale rather than at import.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        pub duty_at_sale: bool,
        /// Transactions in scope (default all).
        #[serde(default)]
        pub transactions: Option<Vec<Transaction>>,
        /// Channels in scope (default all).
        #[serde(default)]
        pub channels: Option<Vec<Channel>>,
        /// Item natures that take a consignment out of the scheme.
        #[serde(default)]
        pub natures_excluded: Vec<Nature>,
        /// Goods that take a consignment out of the scheme.
        #[serde(default)]
        pub excluded: Vec<Exclusion>,
        /// Applies only when the carrier lists the scheme.
        #[serde(default)]
        pub requires_carrier_opt_in: bool,
        /// Applies only when the consignee has a tax id.
        #[serde(default)]
        pub requires_consignee_tax_id: bool,
        /// Which rate is charged.
        pub rate: RateChoice,
        /// Percentage of the computed tax that is charged under the scheme (China's
        /// cross-border e-commerce imports: 70 % of VAT and consumption tax); default 100.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tax_share: Option<Amount>,
        /// A limit on what one person buys under the scheme over a period (China's annual
        /// cross-border e-commerce quota), counting the declaration's `prior_purchases`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub per_person: Option<PerPersonLimit>,
    }
}

/// What a fee is counted per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeePer {
    /// Once per consignment.
    Consignment,
    /// Per declaration line.
    Line,
    /// Per unit of quantity.
    Item,
    /// Per kilogram of the items' declared gross mass (New Zealand's mail levy).
    KgGross,
}

/// Who pays a fee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Payer {
    /// In packs only: the marketplace if one is declared, else the seller.
    Registrant,
    /// The consignee.
    Consignee,
    /// The seller.
    Seller,
    /// The marketplace.
    Marketplace,
    /// The carrier.
    Carrier,
}

rule! {
    /// A fee or national charge.
    pub struct FeeFile {
        /// Fee id.
        pub id: String,
        /// Kind (`handling`, `processing`, `small_parcel_tax`).
        pub kind: String,
        /// Human name.
        pub name: String,
        /// Amount per unit of `per`.
        pub amount: Amount,
        /// What it is counted per.
        pub per: FeePer,
        /// First day in force inside the version.
        #[serde(default)]
        pub from: Option<Date>,
        /// First day no longer in force.
        #[serde(default)]
        pub to: Option<Date>,
        /// Tax subdivisions it applies in (default all).
        #[serde(default)]
        pub subdivisions: Option<Vec<String>>,
        /// Channels (default all).
        #[serde(default)]
        pub channels: Option<Vec<Channel>>,
        /// Dispatch countries (`dispatch_country`, else `seller.country`; default all).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub origins: Option<Vec<String>>,
        /// Value ceiling.
        #[serde(default)]
        pub ceiling: Option<Ceiling>,
        /// Charged only when something is payable at import.
        #[serde(default)]
        pub only_if_payable: bool,
        /// Who pays.
        pub payer: Payer,
        /// Who collects it when that is not who owes it (Romania: the seller owes, the carrier
        /// collects); reported on the fee line.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub collector: Option<Payer>,
        /// Transactions; `None` = any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub transactions: Option<Vec<Transaction>>,
        /// Whether it enters the import tax base.
        #[serde(default)]
        pub in_tax_base: bool,
        /// The regime's tax at the subdivision's standard rate is charged on the fee itself
        /// (New Zealand's levy, "NZD 2.21 + GST"); reported as a tax line with basis `fee`.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        pub taxed: bool,
        /// A percentage of a value, added to `amount` × count (ad valorem fees such as the US
        /// merchandise processing fee).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub ad_valorem: Option<FeeAdValorem>,
        /// Charged only when the basis value is above this amount (value tiers, with `ceiling`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub above: Option<Ceiling>,
        /// Charged only when the basis value is strictly below this amount, for a law that
        /// says "below" where `ceiling` means "at or below" (Romania's logistics tax on parcels
        /// "sub plafonul de 150 Euro").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub below: Option<Ceiling>,
        /// The fee applies only under one reading of an uncertain fact.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub when_option: Option<OptionGate>,
        /// Minimum fee.
        #[serde(default)]
        pub min: Option<Amount>,
        /// Maximum fee.
        #[serde(default)]
        pub max: Option<Amount>,
        /// ISO 4217 currency of `amount`, `min` and `max` when it differs from the pack's
        /// (Mexico's DTA is fixed in MXN while the pack counts in USD). They are converted
        /// into the pack currency at the caller's rate in force on the assessment date and
        /// rounded by the regime's exchange rounding; the ad valorem part is already in the
        /// pack currency. Absent: the pack currency.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub currency: Option<String>,
    }
}

/// The ad valorem part of a fee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeAdValorem {
    /// Percentage.
    pub rate: Amount,
    /// The value the percentage is taken of.
    pub basis: Basis,
}

rule! {
    /// Amounts below which nothing is collected.
    pub struct MinimumCollectableFile {
        /// Duty total below this is waived.
        #[serde(default)]
        pub duty: Option<Amount>,
        /// Tax total below this is waived.
        #[serde(default)]
        pub tax: Option<Amount>,
        /// The minimums hold only under one reading of an uncertain fact.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub when_option: Option<OptionGate>,
    }
}

rule! {
    /// Excise goods the pack does not assess excise for.
    pub struct ExciseGoodsFile {
        /// HS prefixes.
        pub hs_prefixes: Vec<String>,
    }
}

rule! {
    /// A duty added on top of the tariff, by the goods' country of origin (`items[].origin`).
    ///
    /// It is charged only on lines whose duty comes from the tariff: goods relieved by gift
    /// relief, the de minimis or a scheme pay none. Its rate is, in order: the origin's entry in
    /// `rates_by_origin`, else `rate`, else the sum of the country rates of the duties named in
    /// `rate_from`; an origin none of these covers is an error naming the missing fact, never 0 %.
    /// A duty with `tariff_column` has no rate of its own: it prices the line from that column
    /// of the regime's tariff file (the US column 2 rates).
    pub struct AdditionalDutyFile {
        /// Rule id (`US_IEEPA_RECIPROCAL`), unique in the version.
        pub id: String,
        /// Human name.
        pub name: String,
        /// Percentage of the line's customs value for any origin not in `rates_by_origin`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub rate: Option<Amount>,
        /// Percentages by country of origin; an entry without `rate` names a missing fact.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        pub rates_by_origin: BTreeMap<String, OriginRate>,
        /// The rate is the sum of these duties' rates for the origin (their country rates,
        /// whatever their goods exclusions, channels or dates inside the version): a postal duty
        /// "equal to the effective IEEPA rate of the country of origin".
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub rate_from: Vec<String>,
        /// A specific amount in place of the percentage, chosen by the band the rate falls in.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub specific: Option<SpecificByRate>,
        /// For the lines it applies to, the duty replaces the tariff (no tariff line is needed).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        pub replaces_tariff: bool,
        /// Countries of origin it applies to; `None` = all.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub origins: Option<Vec<String>>,
        /// Countries of origin it never applies to.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub excluded_origins: Vec<String>,
        /// Goods it never applies to.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub excluded: Vec<Exclusion>,
        /// HS prefixes the pack has checked against the measure's exemption lists; a line with
        /// other goods fails with `E_OUT_OF_SCOPE` rather than risk charging exempt goods.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub checked_goods: Option<Vec<String>>,
        /// Goods lists the duty covers (any of them); `None` = all goods.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub goods: Option<Vec<GoodsRef>>,
        /// Goods lists whose goods it never covers.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub excluded_goods: Vec<GoodsRef>,
        /// Channels; `None` = all.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub channels: Option<Vec<Channel>>,
        /// First day in force inside the version.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub from: Option<Date>,
        /// First day no longer in force.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub to: Option<Date>,
        /// The duty applies only under one reading of an uncertain fact.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub when_option: Option<OptionGate>,
        /// What is missing when a line falls under the duty but no rate covers its origin.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub missing: Option<String>,
        /// The name of a column of the regime's tariff file (`column2`): on the lines the duty
        /// applies to, the line's duty is that column's rate, looked up exactly as the first
        /// column is. Such a duty replaces the tariff and has no rate of its own.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tariff_column: Option<String>,
        /// Duties of the version this one is charged in lieu of: on a line it applies to, they
        /// do not apply ("35 % in lieu of the column 2 rate").
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub in_lieu_of: Vec<String>,
        /// A fact beyond the customs value the duty is charged on, or depends on (the value of a
        /// derivative's steel content, the share of the metal in the article's weight): read from
        /// the item's `metal_content` where `measure` says how, else a line the duty applies to
        /// fails with `E_MISSING_DUTY_INPUT` naming it, rather than be charged on a guessed figure
        /// or left uncharged.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub needs: Option<DutyNeeds>,
    }
}

/// The fact an additional duty needs (`additional_duties[].needs`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DutyNeeds {
    /// The fact in words, quoted when the declaration does not give it.
    pub fact: String,
    /// How the declaration gives it; `None`: no declaration field does, so every line the duty
    /// applies to fails naming `fact`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<NeedsMeasure>,
    /// The metals of `items[i].metal_content` the measure counts (their values or masses added).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metals: Vec<crate::declaration::Metal>,
    /// For `weight_share`: the share of the item's net mass, in per cent, from which the duty
    /// applies (below it the line owes none of it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<Amount>,
}

/// How a duty's needed fact is read from the declaration (`needs.measure`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NeedsMeasure {
    /// The duty's rate is charged on the value of the metal content (`metal_content[].value`
    /// of `metals`), as a share of the line's customs value, instead of on the whole of it.
    ContentValue,
    /// The duty applies, on the full customs value, only where the mass of `metals`
    /// (`metal_content[].mass_kg`) is at least `at_least` per cent of the item's
    /// `net_mass_kg`.
    WeightShare,
}

/// An additional duty's rate for one country of origin (its provenance is the duty's unless it
/// names its own `source`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OriginRate {
    /// Percentage; `None` = not sourced, and `missing` says what is missing.
    #[serde(default)]
    pub rate: Option<Amount>,
    /// What is missing for this origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<String>,
    /// Where the rate comes from, when not from the duty's own source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Free-text remark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A specific duty whose amount depends on the band an ad valorem rate falls in (the US postal
/// "Methodology 2": USD 80, 160 or 200 per postal item by the origin's IEEPA rate).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecificByRate {
    /// Counted per consignment (postal item), per line or per unit of quantity.
    pub per: FeePer,
    /// Tried in order; the first band whose bound holds gives the amount.
    pub bands: Vec<RateBand>,
}

/// One band of a [`SpecificByRate`]: at most one of `below` and `up_to`; neither = any rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateBand {
    /// Holds when the rate is below this percentage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<Amount>,
    /// Holds when the rate is at or below this percentage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub up_to: Option<Amount>,
    /// Amount in the regime currency per unit of `per`.
    pub amount: Amount,
}
