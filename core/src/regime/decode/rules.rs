//! The tables of the rules files the compact reader reads besides regime packs: risk profiles
//! (`risk/mod.rs`), return rules (`refund.rs`) and the project's JSON rate table
//! (`exchange/json.rs`). Each table lists its struct's fields as the derive declares them; the
//! tests of `decode.rs` and `json_path_tests.rs` compare both readers on every file and on
//! every mutation of them.

use std::any::Any;

use super::{boxed_default, take, Boxed, Decode, EnumTable, Kind, Leaf, Table, UnitTable, Variant};
use crate::date::Date;
use crate::declaration::Transaction;
use crate::exchange::{Method, RateEntry, RateFile};
use crate::money::Amount;
use crate::refund::{ComponentRule, ReturnReason, ReturnRules, ReturnsVersion};
use crate::regime::pack::Confidence;
use crate::release::Decision;
use crate::risk::{AeoParty, Condition, RiskProfile, RiskRule, SplitRule, Thresholds, ValueUnit};

table!(RiskProfile {
    format: String,
    id: String,
    regime: String,
    name: String,
    currency: String,
    issued: Date,
    source: String,
    checked: Date,
    note: Option<String> = default,
    thresholds: Thresholds,
    rules: Vec<RiskRule>,
    split_consignments: Option<SplitRule> = default,
}, compiled: Default::default());

table!(rule SplitRule {
    code: String,
    window_hours: u32,
    threshold: Amount,
    reassess: bool,
    max_entries: usize,
    reason: String,
});

table!(Thresholds {
    documentary_check: i32,
    inspection: i32,
    hold: Option<i32> = default,
});

table!(rule RiskRule {
    code: String,
    weight: i32,
    action: Option<Decision> = default,
    agency: Option<String> = default,
    reason: String,
    when: Condition,
});

enum_table!(Condition {
    "hs_prefix" => HsPrefix(Vec<String>),
    "keyword" => Keyword(Vec<String>),
    "undervalued" => Undervalued {
        hs_prefix: Vec<String>,
        per: ValueUnit,
        minimum: Amount,
    },
    "vague_description" => VagueDescription(Vec<String>),
    "description_chapter" => DescriptionChapter {
        keywords: Vec<String>,
        chapters: Vec<String>,
    },
    "seller_unregistered" => SellerUnregistered {
        schemes: Vec<String>,
        max_value: Option<Amount> = default,
        transactions: Option<Vec<Transaction>> = default,
    },
    "seller_unknown" => SellerUnknown {},
    "party_listed" => PartyListed(Vec<String>),
    "origin" => Origin {
        countries: Vec<String>,
        hs_prefix: Option<Vec<String>> = default,
    },
    "aeo" => Aeo(AeoParty),
    "advance_data_missing" => AdvanceDataMissing {},
    "advance_data_late" => AdvanceDataLate {
        hours_before_arrival: u32,
    },
    "category" => Category(Vec<u8>),
});

table!(ReturnRules {
    format: String,
    regime: String,
    versions: Vec<ReturnsVersion>,
});

table!(ReturnsVersion {
    from: Date,
    duty: ComponentRule,
    tax_at_import: ComponentRule,
    tax_at_sale: ComponentRule,
    fees: ComponentRule,
});

table!(rule ComponentRule {
    refundable: bool,
    refunded_by: String,
    reasons: Vec<ReturnReason>,
    window_months: Option<u32> = default,
    window_days: Option<u32> = default,
});

table!(RateFile {
    label: String,
    source: String,
    rates: Vec<RateEntry>,
});

table!(RateEntry {
    from: String,
    to: String,
    valid_from: Date,
    rate: Amount [Kind::Leaf(Leaf::Rate)],
    method: Method = boxed_multiply,
    source: Option<String> = default,
});

/// `RateEntry::method`'s default.
fn boxed_multiply() -> Boxed {
    Box::new(Method::Multiply) as Box<dyn Any>
}

unit_enums! {
    ValueUnit {
        "unit" => Unit,
        "kg" => Kg,
    }
    AeoParty {
        "carrier" => Carrier,
        "seller" => Seller,
        "marketplace" => Marketplace,
    }
    ReturnReason {
        "defective" => Defective,
        "not_as_contracted" => NotAsContracted,
        "withdrawal" => Withdrawal,
        "undelivered" => Undelivered,
    }
    Method {
        "multiply" => Multiply,
        "divide" => Divide,
    }
}
