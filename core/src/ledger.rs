//! Split-consignment detection (misuse of de minimis; FoS Standards 4 and 8).
//!
//! A seller who splits one order into several parcels can keep each under a threshold (the
//! EU's EUR 150 IOSS and duty-relief limit, the UK's GBP 135). One consignment cannot show
//! it; a ledger of recent consignments can. The host feeds a [`SplitLedger`] every assessed
//! consignment, in roughly chronological order; the ledger flags a consignment when, together
//! with earlier ones from the same seller to the same buyer inside the rule's window, the
//! combined intrinsic value crosses the threshold while each one alone stays under it.
//! Where the regime assesses such a group as one consignment (a same-day aggregation rule,
//! `reassess: true`), the ledger assesses the combined declaration and reports what more is
//! payable.
//!
//! Memory is bounded: the ledger holds at most `max_entries` consignments and forgets those
//! that fell out of the window. Parties are held as 64-bit hashes of their normalized name,
//! country and postcode, not as names.

use std::collections::{HashMap, VecDeque};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::assess::AssessOptions;
use crate::declaration::{Declaration, Text};
use crate::error::{Error, ErrorCode};
use crate::money::Amount;
use crate::release::{Decision, Release, ReleaseReason};
use crate::result::Assessment;
use crate::risk::SplitRule;
use crate::timestamp::Timestamp;
use crate::Engine;

#[derive(Debug, Clone)]
struct Entry {
    time: i64,
    pair: u64,
    regime: Text,
    id: Text,
    value: Decimal,
    total_payable: Decimal,
    // Kept only when the rule re-assesses groups.
    declaration: Option<Declaration>,
}

/// A bounded-memory ledger of recent consignments for one regime's split rule.
///
/// Entries are indexed by seller-buyer pair, so recording costs the same whatever the
/// ledger holds; a queue in feed order decides what is forgotten first.
#[derive(Debug, Clone)]
pub struct SplitLedger {
    rule: SplitRule,
    order: VecDeque<(i64, u64)>,
    by_pair: HashMap<u64, VecDeque<Entry>>,
    latest: i64,
}

/// A consignment flagged as part of a split group.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SplitFlag {
    /// The rule's code.
    pub code: Arc<str>,
    /// Ids of the group's consignments, oldest first; the flagged one is last.
    pub ids: Vec<Text>,
    /// Combined intrinsic value of the group.
    pub combined_value: Amount,
    /// The threshold it crossed.
    pub threshold: Amount,
    /// Plain-language explanation.
    pub message: String,
    /// The group assessed as one consignment, when the rule re-assesses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aggregate: Option<Box<Assessment>>,
    /// What the aggregate owes beyond the sum of the members' `total_payable` (never
    /// negative: the members' payments stand).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_payable: Option<Amount>,
}

impl SplitFlag {
    /// Adds the flag to a release decision: a documentary check at least, with the reason.
    pub fn apply(&self, release: &mut Release) {
        release.decision = release.decision.max(Decision::DocumentaryCheck);
        release.reasons.push(ReleaseReason {
            code: self.code.clone(),
            weight: 0,
            action: Some(Decision::DocumentaryCheck),
            agency: None,
            path: None,
            message: self.message.as_str().into(),
        });
    }
}

fn party_hash(h: &mut impl Hasher, name: &str, country: Option<&str>, postcode: Option<&str>) {
    crate::risk::normalize_text(name).hash(h);
    country.unwrap_or("").hash(h);
    postcode
        .map(|p| {
            p.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_uppercase)
                .collect::<String>()
        })
        .unwrap_or_default()
        .hash(h);
}

fn pair_key(decl: &Declaration) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let seller = &decl.seller;
    party_hash(&mut h, &seller.name, seller.country.as_deref(), None);
    let c = &decl.consignee;
    let address = c.address.as_ref();
    party_hash(
        &mut h,
        &c.name,
        c.country
            .as_deref()
            .or(address.and_then(|a| a.country.as_deref())),
        address.and_then(|a| a.postcode.as_deref()),
    );
    h.finish()
}

/// When the consignment happened: the lodging time, else arrival, else its date at midnight.
fn moment(decl: &Declaration) -> i64 {
    decl.lodged_at
        .or(decl.arrival_at)
        .unwrap_or_else(|| Timestamp::start_of(decl.date))
        .unix_seconds()
}

impl SplitLedger {
    /// An empty ledger for `rule` (e.g. a risk profile's `split_consignments`).
    pub fn new(rule: SplitRule) -> SplitLedger {
        SplitLedger {
            rule,
            order: VecDeque::new(),
            by_pair: HashMap::new(),
            latest: i64::MIN,
        }
    }

    /// Consignments currently remembered.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// True when the ledger remembers nothing.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Forgets the oldest consignment fed.
    fn forget_oldest(&mut self) {
        if let Some((_, pair)) = self.order.pop_front() {
            if let Some(list) = self.by_pair.get_mut(&pair) {
                list.pop_front();
                if list.is_empty() {
                    self.by_pair.remove(&pair);
                }
            }
        }
    }

    /// Records one assessed consignment; returns a flag when it completes a split group.
    /// `engine` and `options` are used to re-assess the group when the rule says so.
    pub fn record(
        &mut self,
        engine: &Engine,
        options: &AssessOptions,
        decl: &Declaration,
        result: &Assessment,
    ) -> Result<Option<SplitFlag>, Error> {
        let window = i64::from(self.rule.window_hours) * 3600;
        let time = moment(decl);
        let pair = pair_key(decl);
        self.latest = self.latest.max(time);
        // Forget what no later consignment can be grouped with, and keep within capacity.
        let horizon = self.latest.saturating_sub(window);
        while self.order.front().is_some_and(|(t, _)| *t < horizon) {
            self.forget_oldest();
        }
        while self.order.len() >= self.rule.max_entries {
            self.forget_oldest();
        }
        let value = result.intrinsic_value.0;
        let threshold = self.rule.threshold.0;
        let group: Vec<&Entry> = self
            .by_pair
            .get(&pair)
            .into_iter()
            .flatten()
            .filter(|e| {
                e.pair == pair && e.regime == result.regime && (e.time - time).abs() <= window
            })
            .collect();
        let mut combined = value;
        for e in &group {
            combined = combined
                .checked_add(e.value)
                .ok_or_else(|| Error::new(ErrorCode::Overflow, "split ledger total overflowed"))?;
        }
        let split = !group.is_empty()
            && combined > threshold
            && value <= threshold
            && group.iter().all(|e| e.value <= threshold);
        let flag = if split {
            Some(self.flag(engine, options, decl, result, &group, combined)?)
        } else {
            None
        };
        self.order.push_back((time, pair));
        self.by_pair.entry(pair).or_default().push_back(Entry {
            time,
            pair,
            regime: result.regime.clone(),
            id: decl.id.clone(),
            value,
            total_payable: result.total_payable.0,
            declaration: self.rule.reassess.then(|| decl.clone()),
        });
        Ok(flag)
    }
}

impl SplitLedger {
    /// The flag for `decl`, which completes the split group `group` worth `combined`; the
    /// group is re-assessed as one consignment when the rule says so.
    fn flag(
        &self,
        engine: &Engine,
        options: &AssessOptions,
        decl: &Declaration,
        result: &Assessment,
        group: &[&Entry],
        combined: Decimal,
    ) -> Result<SplitFlag, Error> {
        let mut ids: Vec<Text> = group.iter().map(|e| e.id.clone()).collect();
        ids.push(decl.id.clone());
        let (aggregate, additional) = if self.rule.reassess {
            reassess(engine, options, decl, result, group)?
        } else {
            (None, None)
        };
        let message = format!(
            "{}: consignments {} from the same seller to the same buyer within {} h are worth {} together, above {}{}",
            self.rule.reason,
            ids.iter().map(|i| i.as_str()).collect::<Vec<_>>().join(", "),
            self.rule.window_hours,
            combined,
            self.rule.threshold.0,
            match &additional {
                Some(a) => format!("; assessed as one consignment they owe {} more", a.0),
                None if self.rule.reassess => "; the group could not be combined into one declaration (currencies or item count differ)".to_string(),
                None => String::new(),
            }
        );
        Ok(SplitFlag {
            code: Arc::from(self.rule.code.as_str()),
            ids,
            combined_value: Amount(combined),
            threshold: self.rule.threshold,
            message,
            aggregate,
            additional_payable: additional,
        })
    }
}

/// The group assessed as one consignment, and what it owes beyond what its members paid;
/// none when the members cannot be combined.
fn reassess(
    engine: &Engine,
    options: &AssessOptions,
    decl: &Declaration,
    result: &Assessment,
    group: &[&Entry],
) -> Result<(Option<Box<Assessment>>, Option<Amount>), Error> {
    let members: Vec<&Declaration> = group
        .iter()
        .filter_map(|e| e.declaration.as_ref())
        .collect();
    let paid = group.iter().try_fold(result.total_payable.0, |acc, e| {
        acc.checked_add(e.total_payable)
    });
    Ok(match (aggregate_declaration(&members, decl), paid) {
        (Some(combined_decl), Some(paid)) => {
            let aggregate = engine.assess(&combined_decl, options)?;
            let due = aggregate.total_payable.0;
            let extra = crate::money::with_scale((due - paid).max(Decimal::ZERO), due.scale());
            (Some(Box::new(aggregate)), Some(Amount(extra)))
        }
        _ => (None, None),
    })
}

/// The group as one declaration: every item, shipping and insurance summed, in the flagged
/// consignment's name and date. None when currencies differ or the items exceed the limit.
fn aggregate_declaration(members: &[&Declaration], current: &Declaration) -> Option<Declaration> {
    let mut combined = current.clone();
    combined.id = Text::from(format!("{}+split", current.id));
    for m in members {
        if m.currency != current.currency {
            return None;
        }
        combined.items.extend(m.items.iter().cloned());
        combined.shipping = Amount(combined.shipping.0.checked_add(m.shipping.0)?);
        combined.insurance = Amount(combined.insurance.0.checked_add(m.insurance.0)?);
    }
    (combined.items.len() <= crate::limits::MAX_ITEMS).then_some(combined)
}
