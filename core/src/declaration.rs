//! The declaration: harmonized advance electronic data for one consignment (FoS Standards 1-2).
//!
//! Field names and meanings follow `docs/contract.md`. Parsing is strict (unknown fields are an
//! error, amounts are decimal strings); [`Declaration::check`] then enforces the bounds and the
//! formats serde cannot express, reporting each problem with the JSON path of its field.

use std::cell::Cell;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::date::Date;

/// Text fields of a declaration: most are short (codes, ids, names), and a compact string
/// keeps up to 24 bytes inline, so parsing a declaration allocates far less.
pub type Text = compact_str::CompactString;
use crate::error::{Error, ErrorCode};
use crate::limits;
use crate::money::{minor_units, Amount, Quantity};

#[cfg(feature = "fast-parse")]
mod fast;

#[cfg(all(feature = "fast-parse", not(target_arch = "wasm32")))]
pub(crate) use fast::decimal as plain_decimal;

/// One consignment's advance electronic data.
///
/// Built from JSON ([`Declaration::from_json`]) or in Rust with [`Declaration::new`] and
/// struct-update syntax:
///
/// ```
/// use xborder::declaration::{Declaration, Item};
/// use xborder::{Amount, Date};
///
/// let declaration = Declaration {
///     items: vec![Item::new("T-shirt", "610910", "20.00".parse::<Amount>().unwrap())],
///     ..Declaration::new("order-1", Date::new(2026, 3, 1).unwrap(), "FR", "EUR")
/// };
/// assert_eq!(declaration.items.len(), 1);
/// ```
///
/// The declaration's types are not `#[non_exhaustive]`, so that such struct literals work;
/// every field added later has a default (docs/contract.md: fields are only added).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Declaration {
    /// The caller's reference, echoed in the result.
    pub id: Text,
    /// The date whose rules apply (acceptance of the declaration / time of supply).
    pub date: Date,
    /// Importing country (ISO 3166-1 alpha-2); selects the regime.
    #[cfg_attr(feature = "schema", schemars(pattern(crate::schema::COUNTRY)))]
    pub destination: Text,
    /// Explicit regime id; overrides the one `destination` selects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regime: Option<Text>,
    /// Kind of transaction.
    #[serde(default)]
    pub transaction: Transaction,
    /// How the consignment travels.
    #[serde(default)]
    pub channel: Channel,
    /// Currency of every amount in the declaration (ISO 4217).
    #[cfg_attr(feature = "schema", schemars(pattern(crate::schema::CURRENCY)))]
    pub currency: Text,
    /// The goods; at least one.
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = limits::MAX_ITEMS)))]
    pub items: Vec<Item>,
    /// Transport charged to the buyer.
    #[serde(default)]
    pub shipping: Amount,
    /// Insurance charged to the buyer.
    #[serde(default)]
    pub insurance: Amount,
    /// The seller (e-vendor).
    pub seller: Party,
    /// The electronic interface that facilitated the sale, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marketplace: Option<Party>,
    /// The carrier or other intermediary presenting the goods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carrier: Option<Carrier>,
    /// The buyer / consignee.
    pub consignee: Consignee,
    /// Who pays import charges.
    #[serde(default)]
    pub incoterm: Incoterm,
    /// Tax the seller or marketplace already charged at checkout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected_at_sale: Option<CollectedAtSale>,
    /// When the advance electronic data was lodged with customs (FoS Standard 5,
    /// pre-arrival processing); compared with `arrival_at` by the risk profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lodged_at: Option<crate::timestamp::Timestamp>,
    /// When the means of transport arrives (or is expected to) at the first point of entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrival_at: Option<crate::timestamp::Timestamp>,
    /// Country the consignment is shipped from (place of direct shipment), when it differs
    /// from `seller.country`; thresholds that depend on the dispatch country read this first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(pattern(crate::schema::COUNTRY)))]
    pub dispatch_country: Option<Text>,
    /// The consignee's earlier imports, for limits per person over a period (US "per person
    /// per day", China's annual quota). Only purchases dated on or before `date` count.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "schema", schemars(length(max = limits::MAX_ITEMS)))]
    pub prior_purchases: Vec<PriorPurchase>,
}

/// One earlier import by the same consignee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PriorPurchase {
    /// Date of the earlier import.
    pub date: Date,
    /// Its value, on the basis of the limit that counts it (e.g. the intrinsic value).
    pub value: Amount,
    /// Currency of `value` (ISO 4217); default the declaration's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(pattern(crate::schema::CURRENCY)))]
    pub currency: Option<Text>,
}

/// Kind of transaction between the parties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Transaction {
    /// Business to consumer (the default).
    #[default]
    B2C,
    /// Consumer to consumer.
    C2C,
    /// Business to business.
    B2B,
}

/// How the consignment travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Postal operator (UPU).
    Postal,
    /// Express / courier (the default).
    #[default]
    Express,
    /// General cargo.
    Freight,
}

/// What an item is, for relief and categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Nature {
    /// Goods sold (the default).
    #[default]
    Sale,
    /// A gift between private persons.
    Gift,
    /// A commercial sample.
    Sample,
    /// Goods returned.
    Return,
    /// Documents and correspondence.
    Document,
}

/// The unit `quantity` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuantityUnit {
    /// Pieces (the default).
    #[default]
    Item,
    /// Pairs (footwear, gloves).
    Pair,
    /// Litres.
    L,
    /// Kilograms.
    Kg,
}

/// One line of goods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Plain-language description.
    pub description: Text,
    /// Harmonized System code, 6-10 digits; may be absent only for documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(pattern(crate::schema::HS_CODE)))]
    pub hs_code: Option<Text>,
    /// Number of units.
    pub quantity: Quantity,
    /// What `quantity` counts (default: items).
    #[serde(default)]
    pub quantity_unit: QuantityUnit,
    /// Line value (not unit price), excluding VAT.
    pub value: Amount,
    /// Country of origin (ISO 3166-1 alpha-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(pattern(crate::schema::COUNTRY)))]
    pub origin: Option<Text>,
    /// Net mass in kilograms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub net_mass_kg: Option<Quantity>,
    /// Gross mass in kilograms: the goods with their packing. Needed only where a tariff line
    /// is charged on gross weight (Switzerland's specific duties per 100 kg gross before 2024).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gross_mass_kg: Option<Quantity>,
    /// What the item is.
    #[serde(default)]
    pub nature: Nature,
    /// The metals the goods contain, with their mass and value: needed only where a duty is
    /// charged on the value of the metal content or applies by the metal's share of the weight
    /// (the US Section 232 derivatives). Declared, it lists every such metal in the goods: a
    /// metal not listed is read as absent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metal_content: Vec<MetalContent>,
}

/// A metal in an item's goods (`items[i].metal_content[k]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MetalContent {
    /// Which metal.
    pub metal: Metal,
    /// The metal's mass in the goods, in kilograms (for a duty decided by its share of the
    /// item's `net_mass_kg`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mass_kg: Option<Quantity>,
    /// The value of the metal content, in the declaration's currency and part of the item's
    /// `value` (for a duty charged on it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Amount>,
}

/// A metal whose content a duty may be charged on (`items[i].metal_content[k].metal`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(transform = crate::schema::metal_alias))]
#[serde(rename_all = "snake_case")]
pub enum Metal {
    /// Iron and steel.
    Steel,
    /// Aluminium (also read as `aluminum`).
    #[serde(alias = "aluminum")]
    Aluminium,
    /// Copper.
    Copper,
}

impl Metal {
    /// The wire name (`steel`, `aluminium`, `copper`).
    pub fn as_str(self) -> &'static str {
        match self {
            Metal::Steel => "steel",
            Metal::Aluminium => "aluminium",
            Metal::Copper => "copper",
        }
    }
}

/// A party to the sale: seller or marketplace.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// Name.
    pub name: Text,
    /// Country of establishment (ISO 3166-1 alpha-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(pattern(crate::schema::COUNTRY)))]
    pub country: Option<Text>,
    /// Tax registrations (IOSS, GB_VAT, AU_ARN …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "schema", schemars(length(max = limits::MAX_REGISTRATIONS)))]
    pub registrations: Vec<Registration>,
    /// Authorized Economic Operator / trusted-trader status (FoS Standard 6).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub aeo: bool,
}

/// A registration number under a collection scheme.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Registration {
    /// Scheme id, e.g. `IOSS`, `GB_VAT`.
    pub scheme: Text,
    /// The number as issued.
    pub number: Text,
}

/// The carrier or other intermediary presenting the goods.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Carrier {
    /// Name.
    pub name: Text,
    /// Kind of operator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<CarrierKind>,
    /// Authorized Economic Operator status (FoS Standard 6).
    #[serde(default)]
    pub aeo: bool,
    /// Collection schemes the carrier operates for this consignment (e.g. `EU_SA`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "schema", schemars(length(max = limits::MAX_REGISTRATIONS)))]
    pub schemes: Vec<Text>,
}

/// Kind of carrier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CarrierKind {
    /// Designated postal operator.
    Postal,
    /// Express / courier.
    Express,
    /// Freight forwarder.
    Forwarder,
}

/// The buyer / consignee.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Consignee {
    /// Name.
    pub name: Text,
    /// Private person or business.
    #[serde(default)]
    pub kind: ConsigneeKind,
    /// Country (ISO 3166-1 alpha-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(pattern(crate::schema::COUNTRY)))]
    pub country: Option<Text>,
    /// Tax identifier (VAT number, EORI …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_id: Option<Text>,
    /// Delivery address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
}

/// Private person or business.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConsigneeKind {
    /// A private person (the default).
    #[default]
    Individual,
    /// A business.
    Business,
}

/// A postal address.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// Street line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line1: Option<Text>,
    /// City.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<Text>,
    /// Postcode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<Text>,
    /// Country (ISO 3166-1 alpha-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(pattern(crate::schema::COUNTRY)))]
    pub country: Option<Text>,
    /// ISO 3166-2 subdivision where taxes differ by province or state (`CA-ON`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(pattern(crate::schema::SUBDIVISION)))]
    pub subdivision: Option<Text>,
}

/// Who pays import charges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Incoterm {
    /// Delivered at place: the buyer pays import charges (the default).
    #[default]
    DAP,
    /// Delivered duty paid: the seller pays import charges.
    DDP,
}

/// Tax charged at checkout.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CollectedAtSale {
    /// The scheme it was charged under (`IOSS`, `GB_POS` …).
    pub scheme: Text,
    /// The tax charged.
    pub tax_amount: Amount,
}

impl Declaration {
    /// Parses a declaration from JSON text, reporting the path of the first offending field.
    ///
    /// Declarations of the common shape are read by a fast single-pass reader
    /// ([`Declaration::from_json_fast`]); the rest, and every error, by the strict reader
    /// ([`Declaration::from_json_strict`]), with the same result.
    pub fn from_json(text: &str) -> Result<Declaration, Error> {
        if text.len() <= limits::MAX_DECLARATION_BYTES {
            if let Some(declaration) = Declaration::from_json_fast(text) {
                return Ok(declaration);
            }
        }
        Declaration::from_json_strict(text)
    }

    /// [`Declaration::from_json`] into `self` (a default declaration or one read before): the
    /// same declaration or error, without the copies of a large value handed back through
    /// `Option` and `Result` (three moves of the whole declaration, about 300 instructions a
    /// record, when the engine parsed through `from_json`), and with the vectors of the
    /// declaration read before reused. On an error `self` holds whatever was read.
    ///
    /// `Ok(true)` when the fast reader read it and found every field [`Declaration::check`]
    /// tests valid as it went (lend it to the assessment through [`with_checked`]);
    /// `Ok(false)` when `check` must look.
    pub(crate) fn read_json(&mut self, text: &str) -> Result<bool, Error> {
        #[cfg(feature = "fast-parse")]
        if text.len() <= limits::MAX_DECLARATION_BYTES {
            if let Some(checked) = fast::parse_into(text, self) {
                return Ok(checked);
            }
        }
        // On wasm32 through a pointer wasm-opt cannot see through: inlined into the engine's
        // hot function (its only caller), the strict reader cost the fast path about 1 % of an
        // `assessJson` (BENCHMARKS.md, WASM, session 35). Natively a direct call, as before.
        #[cfg(target_arch = "wasm32")]
        let strict = std::hint::black_box(
            Declaration::from_json_strict as fn(&str) -> Result<Declaration, Error>,
        );
        #[cfg(not(target_arch = "wasm32"))]
        let strict = Declaration::from_json_strict;
        *self = strict(text)?;
        Ok(false)
    }

    /// The fast reader alone (feature `fast-parse`, on by default): the declaration when `text`
    /// has the common shape that reader handles (well-formed, known keys once each, strings
    /// without escapes, amounts as decimal strings), `None` when it leaves the text to the
    /// strict reader, and always `None` without the feature. Whenever it gives a declaration,
    /// [`Declaration::from_json_strict`] gives an equal one. It applies no size limit;
    /// [`Declaration::from_json`] does.
    pub fn from_json_fast(text: &str) -> Option<Declaration> {
        #[cfg(feature = "fast-parse")]
        {
            fast::parse(text)
        }
        #[cfg(not(feature = "fast-parse"))]
        {
            let _ = text;
            None
        }
    }

    /// [`Declaration::from_json`] without the fast reader: the strict parse, which decides
    /// every text the fast reader leaves and reports every error (code, path, message). The
    /// reference the fast reader is tested against.
    ///
    /// With the feature `serde-error-paths` (default) this is serde's derived reader; without
    /// it (the WASM package) the compact table reader of `regime/decode.rs`, which accepts and
    /// refuses the same texts with the same codes, paths and messages, in far less code.
    pub fn from_json_strict(text: &str) -> Result<Declaration, Error> {
        if text.len() > limits::MAX_DECLARATION_BYTES {
            return Err(Error::new(
                ErrorCode::InputTooLarge,
                format!(
                    "declaration is {} bytes; the limit is {} bytes",
                    text.len(),
                    limits::MAX_DECLARATION_BYTES
                ),
            ));
        }
        crate::error::refuse_array_document(text, "a declaration")
            .map_err(|err| limits::nesting_error(text, "declaration", None).unwrap_or(err))?;
        #[cfg(not(feature = "serde-error-paths"))]
        {
            from_json_compact(text)
        }
        #[cfg(feature = "serde-error-paths")]
        {
            // The first parse does not track paths; only a failure pays for a second,
            // path-tracking parse.
            match serde_json::from_str::<Declaration>(text) {
                Ok(d) => Ok(d),
                Err(_) => {
                    if let Some(err) = limits::nesting_error(text, "declaration", None) {
                        return Err(err);
                    }
                    // The fast parse refused the text, so this one does too (trailing content
                    // included); it only finds the path.
                    crate::error::from_json_tracked(text)
                }
            }
        }
    }

    /// Checks bounds and formats; the first problem is returned as an error with its path.
    ///
    /// A declaration the fast reader found valid as it read it, lent to the assessment by the
    /// crate's own pipeline (`declaration::with_checked`), is not walked again (issue 16: about 600 instructions a record).
    #[inline]
    pub fn check(&self) -> Result<(), Error> {
        if CHECKED
            .try_with(Cell::get)
            .is_ok_and(|checked| std::ptr::eq(checked, self))
        {
            return Ok(());
        }
        self.check_unread()
    }

    /// [`Declaration::check`] of a declaration the fast reader did not check (built in Rust,
    /// or read and then changed): the usual one passes every test, told in one pass of plain
    /// tests ([`Declaration::passes`]) without the paths and `Result`s the field-by-field walk
    /// carries for its errors (issue 16: some 200 instructions of a pre-parsed three-item
    /// assessment). Out of line, as `check_fields` was, so that `check`'s callers are as they were.
    /// The WASM modules walk the fields alone (their size, issue 17).
    #[inline(never)]
    fn check_unread(&self) -> Result<(), Error> {
        #[cfg(not(target_arch = "wasm32"))]
        if self.passes() {
            return Ok(());
        }
        self.check_fields()
    }

    /// Whether the declaration passes [`Declaration::check_fields`], told without an error: only
    /// when every field passes the same test (and a few that are rare, earlier purchases and
    /// metal contents, are absent; a text or id longer in bytes than its limit in characters,
    /// an id not starting with a visible ASCII character, are left to `check_fields` too).
    /// `false` says nothing: `check_fields` then finds the error, or none.
    #[cfg(not(target_arch = "wasm32"))]
    #[inline]
    fn passes(&self) -> bool {
        if !(passes_id(&self.id)
            && is_country(&self.destination)
            && self.regime.as_deref().is_none_or(passes_id)
            && minor_units(&self.currency).is_some()
            && (1..=limits::MAX_ITEMS).contains(&self.items.len()))
        {
            return false;
        }
        for i in &self.items {
            if !passes_item(i) {
                return false;
            }
        }
        if !(passes_non_negative(self.shipping.0)
            && passes_non_negative(self.insurance.0)
            && passes_party(&self.seller)
            && self.marketplace.as_ref().is_none_or(passes_party))
        {
            return false;
        }
        if let Some(k) = &self.carrier {
            if !(passes_text(&k.name) && k.schemes.len() <= limits::MAX_REGISTRATIONS) {
                return false;
            }
            for s in &k.schemes {
                if !passes_id(s) {
                    return false;
                }
            }
        }
        let c = &self.consignee;
        if !(passes_text(&c.name)
            && passes_country(&c.country)
            && c.tax_id.as_deref().is_none_or(passes_id))
        {
            return false;
        }
        if let Some(a) = &c.address {
            if !(a.line1.as_deref().is_none_or(passes_text)
                && a.city.as_deref().is_none_or(passes_text)
                && a.postcode.as_deref().is_none_or(passes_text)
                && passes_country(&a.country)
                && a.subdivision.as_deref().is_none_or(is_subdivision))
            {
                return false;
            }
        }
        passes_country(&self.dispatch_country)
            && self.prior_purchases.is_empty()
            && self
                .collected_at_sale
                .as_ref()
                .is_none_or(|c| passes_id(&c.scheme) && passes_non_negative(c.tax_amount.0))
    }

    /// [`Declaration::check`] field by field. Out of line, so that `check` of a declaration
    /// already checked is its test alone.
    #[inline(never)]
    fn check_fields(&self) -> Result<(), Error> {
        check_id("id", &self.id)?;
        check_country("destination", &self.destination)?;
        if let Some(r) = &self.regime {
            check_id("regime", r)?;
        }
        if minor_units(&self.currency).is_none() {
            return Err(Error::at(
                ErrorCode::InvalidCurrency,
                "currency",
                format!(
                    "{:?} is not an ISO 4217 currency code",
                    truncate(&self.currency)
                ),
            ));
        }
        if self.items.is_empty() {
            return Err(Error::at(
                ErrorCode::MissingField,
                "items",
                "a declaration needs at least one item",
            ));
        }
        if self.items.len() > limits::MAX_ITEMS {
            return Err(Error::at(
                ErrorCode::TooManyItems,
                "items",
                format!(
                    "{} items; the limit is {} per consignment",
                    self.items.len(),
                    limits::MAX_ITEMS
                ),
            ));
        }
        for (i, item) in self.items.iter().enumerate() {
            item.check(i)?;
        }
        check_non_negative("shipping", self.shipping)?;
        check_non_negative("insurance", self.insurance)?;
        self.seller.check("seller")?;
        if let Some(m) = &self.marketplace {
            m.check("marketplace")?;
        }
        if let Some(c) = &self.carrier {
            c.check()?;
        }
        self.consignee.check()?;
        if let Some(c) = &self.dispatch_country {
            check_country("dispatch_country", c)?;
        }
        self.check_prior_purchases()?;
        if let Some(c) = &self.collected_at_sale {
            check_id("collected_at_sale.scheme", &c.scheme)?;
            check_non_negative("collected_at_sale.tax_amount", c.tax_amount)?;
        }
        Ok(())
    }
}

/// [`Declaration::passes`]'s tests of one field.
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn passes_text(t: &str) -> bool {
    t.len() <= limits::MAX_TEXT_CHARS
}
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn passes_id(t: &str) -> bool {
    t.len() <= limits::MAX_ID_CHARS && t.as_bytes().first().is_some_and(u8::is_ascii_graphic)
}
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn passes_non_negative(v: rust_decimal::Decimal) -> bool {
    !v.is_sign_negative() || v.is_zero()
}
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn passes_country(c: &Option<Text>) -> bool {
    match c {
        Some(c) => is_country(c),
        None => true,
    }
}
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn passes_party(p: &Party) -> bool {
    if !(passes_text(&p.name)
        && passes_country(&p.country)
        && p.registrations.len() <= limits::MAX_REGISTRATIONS)
    {
        return false;
    }
    for r in &p.registrations {
        if !(passes_id(&r.scheme) && passes_id(&r.number)) {
            return false;
        }
    }
    true
}
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn passes_item(i: &Item) -> bool {
    passes_text(&i.description)
        && match &i.hs_code {
            Some(hs) => is_hs_code(hs),
            None => i.nature == Nature::Document,
        }
        && !i.quantity.0.is_sign_negative()
        && !i.quantity.0.is_zero()
        && passes_non_negative(i.value.0)
        && passes_country(&i.origin)
        && i.net_mass_kg.is_none_or(|m| passes_non_negative(m.0))
        && i.gross_mass_kg.is_none_or(|m| passes_non_negative(m.0))
        && i.metal_content.is_empty()
}

/// The declaration read by the compact table reader (`regime/decode.rs`), as
/// [`Declaration::from_json_strict`] reads it without `serde-error-paths` (after its size and
/// array checks): a text nested too deeply is `E_NESTING_TOO_DEEP`, as with the derived reader;
/// otherwise the reader's own error, whose code, path and message are the derived reader's
/// (`json_path_tests.rs` compares both on every mutation of the vectors).
#[cfg_attr(all(feature = "serde-error-paths", not(test)), allow(dead_code))]
pub(crate) fn from_json_compact(text: &str) -> Result<Declaration, Error> {
    crate::regime::decode::from_json::<Declaration>(text)
        .map_err(|err| limits::nesting_error(text, "declaration", None).unwrap_or(err))
}

thread_local! {
    /// The declaration this thread is assessing that the fast reader found valid as it read
    /// it ([`with_checked`]), or null.
    static CHECKED: Cell<*const Declaration> = const { Cell::new(std::ptr::null()) };
}

/// Runs `f`, with `d` known to pass [`Declaration::check`] when `checked`: `check` then answers
/// `Ok` for it at once. `checked` is [`Declaration::read_json`]'s answer for `d`: the fast
/// reader tested every field `check` tests as it read it. Sound because `d` is borrowed for the
/// whole of `f`: nothing can change or move it, and a declaration at its address during `f` is
/// `d` itself. The earlier mark is put back when `f` returns or unwinds.
#[inline(always)]
pub(crate) fn with_checked<R>(d: &Declaration, checked: bool, f: impl FnOnce() -> R) -> R {
    struct Restore(*const Declaration);
    impl Drop for Restore {
        fn drop(&mut self) {
            let _ = CHECKED.try_with(|c| c.set(self.0));
        }
    }
    let _restore = if checked {
        CHECKED.try_with(|c| c.replace(d)).ok().map(Restore)
    } else {
        None
    };
    f()
}

thread_local! {
    /// This thread's last declaration read by [`read_then`], boxed so that taking it out and
    /// putting it back moves a pointer, not the declaration.
    static SPARE: std::cell::Cell<Option<Box<Declaration>>> = const { std::cell::Cell::new(None) };
}

/// The largest list of items a thread's spare declaration keeps: a rare long declaration
/// does not hold its memory for the rest of the thread's life.
pub(crate) const SPARE_ITEMS: usize = 64;

/// Reads `text` ([`Declaration::from_json`]) into this thread's spare declaration and hands
/// the outcome to `then`: a stream of records reuses one declaration, its vectors (items,
/// registrations, schemes) included, and builds, moves and frees none (issue 16). The first
/// record of a thread, a nested call or a thread being torn down reads into a new one.
#[inline(always)]
pub(crate) fn read_then<R>(text: &str, then: impl FnOnce(Result<&Declaration, Error>) -> R) -> R {
    let mut d = SPARE
        .try_with(std::cell::Cell::take)
        .ok()
        .flatten()
        .unwrap_or_default();
    let out = match d.read_json(text) {
        Ok(checked) => with_checked(&d, checked, || then(Ok(&d))),
        Err(e) => then(Err(e)),
    };
    if d.items.capacity() <= SPARE_ITEMS {
        let _ = SPARE.try_with(|slot| slot.set(Some(d)));
    }
    out
}

impl Declaration {
    /// The earlier purchases: at most as many as items, amounts not negative, currencies
    /// ISO 4217.
    fn check_prior_purchases(&self) -> Result<(), Error> {
        if self.prior_purchases.len() > limits::MAX_ITEMS {
            return Err(Error::at(
                ErrorCode::TooManyItems,
                "prior_purchases",
                format!(
                    "{} prior purchases; the limit is {}",
                    self.prior_purchases.len(),
                    limits::MAX_ITEMS
                ),
            ));
        }
        for (i, p) in self.prior_purchases.iter().enumerate() {
            check_non_negative(format!("prior_purchases[{i}].value"), p.value)?;
            if let Some(c) = &p.currency {
                if minor_units(c).is_none() {
                    return Err(Error::at(
                        ErrorCode::InvalidCurrency,
                        format!("prior_purchases[{i}].currency"),
                        format!("{:?} is not an ISO 4217 currency code", truncate(c)),
                    ));
                }
            }
        }
        Ok(())
    }
}

impl Carrier {
    fn check(&self) -> Result<(), Error> {
        check_text("carrier.name", &self.name)?;
        if self.schemes.len() > limits::MAX_REGISTRATIONS {
            return Err(Error::at(
                ErrorCode::TooManyItems,
                "carrier.schemes",
                "too many schemes",
            ));
        }
        for (i, s) in self.schemes.iter().enumerate() {
            check_id(FieldPath("carrier.schemes", Some(i), ""), s)?;
        }
        Ok(())
    }
}

impl Default for Declaration {
    /// An empty declaration dated [`Date::EPOCH`]: no items, unnamed parties, the defaults of
    /// docs/contract.md for the rest. A base for struct-update syntax.
    fn default() -> Declaration {
        Declaration {
            id: Text::default(),
            date: Date::EPOCH,
            destination: Text::default(),
            regime: None,
            transaction: Transaction::default(),
            channel: Channel::default(),
            currency: Text::default(),
            items: Vec::new(),
            shipping: Amount::default(),
            insurance: Amount::default(),
            seller: Party::default(),
            marketplace: None,
            carrier: None,
            consignee: Consignee::default(),
            incoterm: Incoterm::default(),
            collected_at_sale: None,
            lodged_at: None,
            arrival_at: None,
            dispatch_country: None,
            prior_purchases: Vec::new(),
        }
    }
}

impl Declaration {
    /// A declaration with its identity filled in and everything else at its default (no
    /// items yet): the base of a struct literal (`..Declaration::new(…)`).
    pub fn new(id: &str, date: Date, destination: &str, currency: &str) -> Declaration {
        Declaration {
            id: Text::from(id),
            date,
            destination: Text::from(destination),
            currency: Text::from(currency),
            ..Declaration::default()
        }
    }
}

impl Default for Item {
    /// One unit of nothing: no description, no HS code, value 0, a sale.
    fn default() -> Item {
        Item {
            description: Text::default(),
            hs_code: None,
            quantity: Quantity(rust_decimal::Decimal::ONE),
            quantity_unit: QuantityUnit::default(),
            value: Amount::default(),
            origin: None,
            net_mass_kg: None,
            gross_mass_kg: None,
            nature: Nature::default(),
            metal_content: Vec::new(),
        }
    }
}

impl Item {
    /// One unit of goods sold, with its HS code and the line's value; the other fields at
    /// their defaults.
    pub fn new(description: &str, hs_code: &str, value: Amount) -> Item {
        Item {
            description: Text::from(description),
            hs_code: Some(Text::from(hs_code)),
            value,
            ..Item::default()
        }
    }

    fn check(&self, index: usize) -> Result<(), Error> {
        let path = |field| FieldPath("items", Some(index), field);
        check_text(path("description"), &self.description)?;
        match &self.hs_code {
            Some(hs) if !is_hs_code(hs) => {
                return Err(Error::at(
                    ErrorCode::InvalidHsCode,
                    path("hs_code").to_string(),
                    format!(
                        "{:?} is not an HS code of 6 to 10 digits (write it without dots or spaces)",
                        truncate(hs)
                    ),
                ));
            }
            Some(_) => {}
            None if self.nature != Nature::Document => {
                return Err(Error::at(
                    ErrorCode::MissingField,
                    path("hs_code").to_string(),
                    "an HS code is required for every item that is not a document",
                ));
            }
            None => {}
        }
        // Sign and zero tests rather than a decimal comparison with zero (every item).
        if self.quantity.0.is_sign_negative() || self.quantity.0.is_zero() {
            return Err(Error::at(
                ErrorCode::InvalidValue,
                path("quantity").to_string(),
                "quantity must be greater than zero",
            ));
        }
        check_non_negative(path("value"), self.value)?;
        if let Some(o) = &self.origin {
            check_country(path("origin"), o)?;
        }
        if let Some(m) = self.net_mass_kg {
            if m.0.is_sign_negative() && !m.0.is_zero() {
                return Err(Error::at(
                    ErrorCode::InvalidValue,
                    path("net_mass_kg").to_string(),
                    "net mass cannot be negative",
                ));
            }
        }
        if let Some(m) = self.gross_mass_kg {
            if m.0.is_sign_negative() && !m.0.is_zero() {
                return Err(Error::at(
                    ErrorCode::InvalidValue,
                    path("gross_mass_kg").to_string(),
                    "gross mass cannot be negative",
                ));
            }
        }
        self.check_metal_content(index)
    }

    /// Each metal once, its mass within the item's net mass and its value within the item's
    /// value: a content larger than the goods would charge a duty on more than was sold.
    fn check_metal_content(&self, index: usize) -> Result<(), Error> {
        let bad = |k: usize, field: &str, message: String| {
            Error::at(
                ErrorCode::InvalidValue,
                format!("items[{index}].metal_content[{k}].{field}"),
                message,
            )
        };
        for (k, m) in self.metal_content.iter().enumerate() {
            if self.metal_content[..k].iter().any(|x| x.metal == m.metal) {
                return Err(bad(
                    k,
                    "metal",
                    format!("{} is listed twice", m.metal.as_str()),
                ));
            }
            if let Some(mass) = m.mass_kg {
                if mass.0 < rust_decimal::Decimal::ZERO {
                    return Err(bad(k, "mass_kg", "mass cannot be negative".into()));
                }
                if self.net_mass_kg.is_some_and(|net| mass.0 > net.0) {
                    return Err(bad(
                        k,
                        "mass_kg",
                        format!(
                            "{} kg of {} is more than the item's net mass",
                            mass.0,
                            m.metal.as_str()
                        ),
                    ));
                }
            }
            if let Some(value) = m.value {
                check_non_negative(format!("items[{index}].metal_content[{k}].value"), value)?;
                if value.0 > self.value.0 {
                    return Err(bad(
                        k,
                        "value",
                        format!(
                            "the {} content's value {} is more than the item's value",
                            m.metal.as_str(),
                            value.0
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}

impl Party {
    fn check(&self, at: &str) -> Result<(), Error> {
        check_text(FieldPath(at, None, "name"), &self.name)?;
        if let Some(c) = &self.country {
            check_country(FieldPath(at, None, "country"), c)?;
        }
        if self.registrations.len() > limits::MAX_REGISTRATIONS {
            return Err(Error::at(
                ErrorCode::TooManyItems,
                format!("{at}.registrations"),
                format!(
                    "{} registrations; the limit is {}",
                    self.registrations.len(),
                    limits::MAX_REGISTRATIONS
                ),
            ));
        }
        for (i, r) in self.registrations.iter().enumerate() {
            check_id(FieldPath(at, Some(i), "scheme"), &r.scheme)?;
            check_id(FieldPath(at, Some(i), "number"), &r.number)?;
        }
        Ok(())
    }

    /// The number registered under `scheme`, if any.
    pub fn registration(&self, scheme: &str) -> Option<&str> {
        self.registrations
            .iter()
            .find(|r| r.scheme == scheme)
            .map(|r| r.number.as_str())
    }
}

impl Consignee {
    fn check(&self) -> Result<(), Error> {
        check_text("consignee.name", &self.name)?;
        if let Some(c) = &self.country {
            check_country("consignee.country", c)?;
        }
        if let Some(t) = &self.tax_id {
            check_id("consignee.tax_id", t)?;
        }
        if let Some(a) = &self.address {
            for (field, v) in [
                ("line1", &a.line1),
                ("city", &a.city),
                ("postcode", &a.postcode),
            ] {
                if let Some(v) = v {
                    check_text(FieldPath("consignee.address", None, field), v)?;
                }
            }
            if let Some(c) = &a.country {
                check_country("consignee.address.country", c)?;
            }
            if let Some(s) = &a.subdivision {
                if !is_subdivision(s) {
                    return Err(Error::at(
                        ErrorCode::InvalidCountry,
                        "consignee.address.subdivision",
                        format!(
                            "{:?} is not an ISO 3166-2 subdivision code such as \"CA-ON\"",
                            truncate(s)
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// A field path built only when an error needs it: `prefix[index].field`. For parties the
/// index is a registration's (`seller.registrations[0].number`).
#[derive(Clone, Copy)]
struct FieldPath<'a>(&'a str, Option<usize>, &'a str);

impl fmt::Display for FieldPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let FieldPath(prefix, index, field) = *self;
        f.write_str(prefix)?;
        match index {
            Some(i) if prefix == "items" || prefix.ends_with("schemes") => write!(f, "[{i}]")?,
            Some(i) => write!(f, ".registrations[{i}]")?,
            None => {}
        }
        if !field.is_empty() {
            write!(f, ".{field}")?;
        }
        Ok(())
    }
}

fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

#[inline]
fn check_text(path: impl fmt::Display, text: &str) -> Result<(), Error> {
    check_len(path, text, limits::MAX_TEXT_CHARS)
}

#[inline]
fn check_id(path: impl fmt::Display + Copy, text: &str) -> Result<(), Error> {
    check_len(path, text, limits::MAX_ID_CHARS)?;
    // An id that starts with a visible ASCII character is not blank: the Unicode trim is
    // needed only for the others (every record's id, parties and registrations pass here).
    if !text.as_bytes().first().is_some_and(u8::is_ascii_graphic) && text.trim().is_empty() {
        return Err(blank(&path));
    }
    Ok(())
}

#[cold]
#[inline(never)]
fn blank(path: &dyn fmt::Display) -> Error {
    Error::at(
        ErrorCode::InvalidValue,
        path.to_string(),
        "must not be empty",
    )
}

#[inline]
fn check_len(path: impl fmt::Display, text: &str, max: usize) -> Result<(), Error> {
    // Byte length bounds the character count from above, so most strings skip the count.
    if text.len() > max && text.chars().count() > max {
        return Err(too_long(&path, max));
    }
    Ok(())
}

#[cold]
#[inline(never)]
fn too_long(path: &dyn fmt::Display, max: usize) -> Error {
    Error::at(
        ErrorCode::TextTooLong,
        path.to_string(),
        format!("text is longer than {max} characters"),
    )
}

/// Whether `hs` is 6 to 10 ASCII digits. Three overlapping runs of four bytes (first, middle,
/// last) cover every byte of such a text and are tested for digits together, a few operations
/// in place of a loop over the bytes (the loop was about 75 instructions an item).
#[inline]
fn is_hs_code(hs: &str) -> bool {
    let b = hs.as_bytes();
    let n = b.len();
    if !(6..=10).contains(&n) {
        return false;
    }
    let four = |at: usize| b.get(at..at + 4).and_then(|s| <[u8; 4]>::try_from(s).ok());
    let (Some(first), Some(middle), Some(last)) = (four(0), four(n / 2 - 2), four(n - 4)) else {
        return false;
    };
    let x = u64::from(u32::from_le_bytes(first)) | u64::from(u32::from_le_bytes(last)) << 32;
    let y = u64::from(u32::from_le_bytes(middle)) * 0x1_0000_0001;
    not_digits(x) | not_digits(y) == 0
}

/// The bytes of `w` (little-endian) that are not ASCII digits, flagged: zero when all eight are
/// digits, and the lowest flagged byte is exactly the first that is not one (the fast reader
/// finds an HS code's close quote by it). A byte is a digit when, XOR 0x30, its high nibble is
/// zero and adding 6 carries nothing into bit 4; a carry out of a byte that is not a digit only
/// reaches bytes above it, and that byte is flagged already.
#[inline(always)]
pub(crate) fn not_digits(w: u64) -> u64 {
    let v = w ^ 0x3030_3030_3030_3030;
    (v & 0xF0F0_F0F0_F0F0_F0F0) | (v.wrapping_add(0x0606_0606_0606_0606) & 0x1010_1010_1010_1010)
}

/// Whether `code` has the form of an ISO 3166-1 alpha-2 code: two ASCII capitals.
#[inline]
fn is_country(code: &str) -> bool {
    matches!(code.as_bytes(), [a, b] if a.is_ascii_uppercase() && b.is_ascii_uppercase())
}

#[inline]
fn check_country(path: impl fmt::Display, code: &str) -> Result<(), Error> {
    if is_country(code) {
        Ok(())
    } else {
        Err(not_a_country(&path, code))
    }
}

/// Whether `s` has the form of an ISO 3166-2 subdivision code (`CA-ON`): two ASCII capitals,
/// `-`, then one to three ASCII letters or digits.
#[inline]
fn is_subdivision(s: &str) -> bool {
    let b = s.as_bytes();
    (4..=6).contains(&b.len())
        && b[2] == b'-'
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[3..].iter().all(u8::is_ascii_alphanumeric)
}

#[cold]
#[inline(never)]
fn not_a_country(path: &dyn fmt::Display, code: &str) -> Error {
    Error::at(
        ErrorCode::InvalidCountry,
        path.to_string(),
        format!(
            "{:?} is not an ISO 3166-1 alpha-2 country code such as \"FR\"",
            truncate(code)
        ),
    )
}

#[inline]
fn check_non_negative(path: impl fmt::Display, amount: Amount) -> Result<(), Error> {
    if amount.0.is_sign_negative() && !amount.0.is_zero() {
        return Err(negative(&path));
    }
    Ok(())
}

#[cold]
#[inline(never)]
fn negative(path: &dyn fmt::Display) -> Error {
    Error::at(
        ErrorCode::InvalidAmount,
        path.to_string(),
        "amount cannot be negative",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain test [`is_hs_code`] replaces.
    fn plain(hs: &str) -> bool {
        (6..=10).contains(&hs.len()) && hs.bytes().all(|b| b.is_ascii_digit())
    }

    /// [`with_checked`] vouches for the declaration it lends and for no other, only while it
    /// runs, and puts the earlier mark back on return and on a panic.
    #[test]
    fn only_the_declaration_lent_as_checked_skips_check() {
        // No id, destination, currency or items: refused by `check`.
        let lent = Declaration::default();
        let other = Declaration::default();
        assert!(lent.check().is_err());
        with_checked(&lent, true, || {
            assert!(lent.check().is_ok());
            assert!(other.check().is_err());
            with_checked(&other, false, || assert!(lent.check().is_ok()));
            with_checked(&other, true, || {
                assert!(other.check().is_ok());
                assert!(lent.check().is_err());
            });
            assert!(lent.check().is_ok());
        });
        assert!(lent.check().is_err());
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            with_checked(&lent, true, || {
                panic!("in the lent declaration's assessment")
            })
        }));
        assert!(panicked.is_err());
        assert!(lent.check().is_err());
    }

    #[test]
    fn hs_codes_of_every_length_with_a_bad_byte_anywhere() {
        for n in 0..=12 {
            let digits: String = "0123456789012".chars().take(n).collect();
            assert_eq!(is_hs_code(&digits), plain(&digits), "{digits}");
            for at in 0..n {
                for c in ['/', ':', '.', ' ', 'a', '\u{0}', '\u{7f}', 'é', '٣', '９'] {
                    let mut s: Vec<char> = digits.chars().collect();
                    s[at] = c;
                    let s: String = s.into_iter().collect();
                    assert_eq!(is_hs_code(&s), plain(&s), "{s:?}");
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn hs_codes_read_as_the_byte_loop_reads_them(
            s in "[0-9]{0,12}|[0-9/:. a-z]{0,12}|\\PC{0,12}"
        ) {
            proptest::prop_assert_eq!(is_hs_code(&s), plain(&s), "{:?}", s);
        }
    }
}
