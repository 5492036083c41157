//! Policy simulation (FoS Standard 8): the same consignments under the rules in force and
//! under a variant, side by side.
//!
//! A variant is a regime pack: the reference one with overrides ([`set_in_pack`], e.g. a lower
//! duty de minimis), or a whole pack. [`Simulation`] sums, per regime, the revenue by kind of
//! charge, the consignments per release category and collection model under both, and counts
//! the consignments whose category or collection model changes; [`Difference::between`] gives
//! one consignment's differences. Sums are exact decimals, so merging partial simulations in
//! any order gives the same report.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, ErrorCode};
use crate::money::Amount;
use crate::result::Assessment;

/// Sets `value` at `path` in a regime pack (JSON), returning how many places were set.
///
/// `path` is dotted object keys with array selectors: `[3]` (an index), `[*]` (every
/// element), `[id=IOSS]` (elements whose `id` is `IOSS`) and, on `versions`, `[@2025-06-01]`
/// (the version in force on that date). Examples: `versions[@2025-06-01].de_minimis.duty.amount`,
/// `versions[*].schemes[id=IOSS].ceiling.amount`.
///
/// The value keeps the JSON type of what it replaces: amounts stay strings (`"100"`), numbers
/// stay numbers; where nothing is there yet, or it is null, `value` is read as JSON if it
/// parses and as a string otherwise. Every selected place must exist up to its last key.
pub fn set_in_pack(pack: &mut Value, path: &str, value: &str) -> Result<usize, Error> {
    let steps = parse_path(path)?;
    let bad = |msg: String| Error::at(ErrorCode::InvalidPack, path.to_string(), msg);
    let mut count = 0;
    set_at(pack, &steps, value, &mut count).map_err(bad)?;
    if count == 0 {
        return Err(bad("the path selects nothing in the pack".into()));
    }
    Ok(count)
}

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
    All,
    Field(String, String),
    InForce(String),
}

fn parse_path(path: &str) -> Result<Vec<Step>, Error> {
    let bad = |msg: &str| Error::at(ErrorCode::InvalidPack, path.to_string(), msg.to_string());
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if key.is_empty() {
            return Err(bad("empty key in the path"));
        }
        steps.push(Step::Key(key.to_string()));
        while !rest.is_empty() {
            let end = rest
                .find(']')
                .filter(|_| rest.starts_with('['))
                .ok_or_else(|| bad("expected [selector]"))?;
            let sel = &rest[1..end];
            steps.push(if sel == "*" {
                Step::All
            } else if let Some(date) = sel.strip_prefix('@') {
                Step::InForce(date.to_string())
            } else if let Some((k, v)) = sel.split_once('=') {
                Step::Field(k.to_string(), v.to_string())
            } else {
                Step::Index(sel.parse().map_err(|_| bad("bad array index"))?)
            });
            rest = &rest[end + 1..];
        }
    }
    Ok(steps)
}

fn set_at(node: &mut Value, steps: &[Step], value: &str, count: &mut usize) -> Result<(), String> {
    let Some((step, rest)) = steps.split_first() else {
        let new = match &*node {
            Value::String(_) => Value::String(value.to_string()),
            Value::Number(_) => serde_json::from_str::<serde_json::Number>(value)
                .map(Value::Number)
                .map_err(|_| format!("{value:?} is not a number"))?,
            Value::Bool(_) => Value::Bool(
                value
                    .parse()
                    .map_err(|_| format!("{value:?} is not true or false"))?,
            ),
            _ => serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.into())),
        };
        *node = new;
        *count += 1;
        return Ok(());
    };
    match step {
        Step::Key(k) => {
            let obj = node
                .as_object_mut()
                .ok_or_else(|| format!("{k} is not inside an object"))?;
            if rest.is_empty() {
                let slot = obj.entry(k.clone()).or_insert(Value::Null);
                return set_at(slot, rest, value, count);
            }
            let child = obj
                .get_mut(k)
                .ok_or_else(|| format!("no {k} in the pack"))?;
            set_at(child, rest, value, count)
        }
        _ => {
            let arr = node
                .as_array_mut()
                .ok_or_else(|| "a selector applies only to an array".to_string())?;
            let len = arr.len();
            for (i, el) in arr.iter_mut().enumerate() {
                let take = match step {
                    Step::Index(n) => i == *n,
                    Step::All => true,
                    Step::Field(k, v) => el.get(k).and_then(Value::as_str) == Some(v.as_str()),
                    Step::InForce(d) => {
                        let from = el.get("from").and_then(Value::as_str).unwrap_or("");
                        let to = el.get("to").and_then(Value::as_str);
                        from <= d.as_str() && to.is_none_or(|t| d.as_str() < t)
                    }
                    Step::Key(_) => false,
                };
                if take {
                    set_at(el, rest, value, count)?;
                }
            }
            if let Step::Index(n) = step {
                if *n >= len {
                    return Err(format!("index {n} is out of range (the array has {len})"));
                }
            }
            Ok(())
        }
    }
}

/// One side (in force, or variant) of a regime's simulation.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Side {
    /// Consignments assessed.
    pub assessed: u64,
    /// Consignments rejected (an error instead of a result).
    pub rejected: u64,
    /// Revenue by kind: `duty`, each tax kind (`VAT`), `fees`, and `total` (everything
    /// payable).
    pub revenue: BTreeMap<String, Amount>,
    /// Consignments per release category name.
    pub categories: BTreeMap<String, u64>,
    /// Consignments per collection model.
    pub collection_models: BTreeMap<String, u64>,
    /// Consignments per collection scheme (`border` when none).
    pub collection_schemes: BTreeMap<String, u64>,
}

impl Side {
    fn add(&mut self, r: &Assessment) {
        self.assessed += 1;
        let mut plus = |k: &str, v: Decimal| {
            let e = self
                .revenue
                .entry(k.to_string())
                .or_insert(Amount(Decimal::ZERO));
            e.0 += v;
        };
        plus("duty", r.duty_total.0);
        for t in &r.taxes {
            plus(&t.kind, t.amount.0);
        }
        plus("fees", r.fee_total.0);
        plus("total", r.total_payable.0);
        *self
            .categories
            .entry(r.category.name.as_str().into())
            .or_default() += 1;
        *self.collection_models.entry(model(r)).or_default() += 1;
        *self
            .collection_schemes
            .entry(
                r.collection
                    .scheme
                    .as_deref()
                    .unwrap_or("border")
                    .to_string(),
            )
            .or_default() += 1;
    }

    fn merge(&mut self, o: Side) {
        self.assessed += o.assessed;
        self.rejected += o.rejected;
        for (k, v) in o.revenue {
            self.revenue.entry(k).or_insert(Amount(Decimal::ZERO)).0 += v.0;
        }
        for (mine, theirs) in [
            (&mut self.categories, o.categories),
            (&mut self.collection_models, o.collection_models),
            (&mut self.collection_schemes, o.collection_schemes),
        ] {
            for (k, v) in theirs {
                *mine.entry(k).or_default() += v;
            }
        }
    }
}

fn model(r: &Assessment) -> String {
    serde_json::to_value(r.collection.model)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// One regime's two sides and what changed between them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RegimeSimulation {
    /// Regime id.
    pub regime: String,
    /// Currency of every amount.
    pub currency: String,
    /// Consignments seen (assessed or rejected on either side).
    pub consignments: u64,
    /// Under the rules in force.
    pub in_force: Side,
    /// Under the variant.
    pub variant: Side,
    /// Variant minus in force, by kind of revenue.
    pub revenue_difference: BTreeMap<String, Amount>,
    /// Consignments whose collection model or scheme differs.
    pub changed_collection: u64,
    /// Consignments whose release category differs.
    pub changed_category: u64,
    /// Consignments whose total payable differs.
    pub changed_amount: u64,
    /// Consignments assessed on one side and rejected on the other.
    pub changed_acceptance: u64,
}

/// Running sums of a simulation; merge partial ones from several threads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Simulation {
    regimes: BTreeMap<String, RegimeSimulation>,
    /// Declarations rejected on both sides (unreadable or invalid under either rules).
    pub rejected_both: u64,
}

impl Simulation {
    /// An empty simulation.
    pub fn new() -> Simulation {
        Simulation::default()
    }

    /// Adds one consignment's two outcomes; returns its differences, if any.
    pub fn add(
        &mut self,
        id: Option<&str>,
        in_force: &Result<Assessment, Error>,
        variant: &Result<Assessment, Error>,
    ) -> Option<Difference> {
        let any = match (in_force, variant) {
            (Ok(a), _) | (Err(_), Ok(a)) => a,
            (Err(_), Err(_)) => {
                self.rejected_both += 1;
                return None;
            }
        };
        let r = self
            .regimes
            .entry(any.regime.to_string())
            .or_insert_with(|| RegimeSimulation {
                regime: any.regime.to_string(),
                currency: any.currency.to_string(),
                ..RegimeSimulation::default()
            });
        r.consignments += 1;
        for (side, outcome) in [(&mut r.in_force, in_force), (&mut r.variant, variant)] {
            match outcome {
                Ok(a) => side.add(a),
                Err(_) => side.rejected += 1,
            }
        }
        let diff = Difference::between(id.unwrap_or(&any.id), in_force, variant);
        if let Some(d) = &diff {
            r.changed_collection += u64::from(d.collection.is_some());
            r.changed_category += u64::from(d.category.is_some());
            r.changed_amount += u64::from(d.total_payable.is_some());
            r.changed_acceptance += u64::from(d.error.is_some());
        }
        diff
    }

    /// Adds another partial simulation.
    pub fn merge(&mut self, other: Simulation) {
        self.rejected_both += other.rejected_both;
        for (id, o) in other.regimes {
            match self.regimes.get_mut(&id) {
                None => {
                    self.regimes.insert(id, o);
                }
                Some(r) => {
                    r.consignments += o.consignments;
                    r.in_force.merge(o.in_force);
                    r.variant.merge(o.variant);
                    r.changed_collection += o.changed_collection;
                    r.changed_category += o.changed_category;
                    r.changed_amount += o.changed_amount;
                    r.changed_acceptance += o.changed_acceptance;
                }
            }
        }
    }

    /// The side-by-side report, with the revenue differences worked out.
    pub fn report(&self) -> SimulationReport {
        let regimes = self
            .regimes
            .values()
            .map(|r| {
                let mut r = r.clone();
                let kinds: std::collections::BTreeSet<&String> = r
                    .in_force
                    .revenue
                    .keys()
                    .chain(r.variant.revenue.keys())
                    .collect();
                let zero = Amount(Decimal::ZERO);
                r.revenue_difference = kinds
                    .into_iter()
                    .map(|k| {
                        let a = r.in_force.revenue.get(k).unwrap_or(&zero).0;
                        let b = r.variant.revenue.get(k).unwrap_or(&zero).0;
                        (k.clone(), Amount(b - a))
                    })
                    .collect();
                r
            })
            .collect();
        SimulationReport {
            regimes,
            rejected_both: self.rejected_both,
        }
    }
}

/// A simulation's outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SimulationReport {
    /// Per regime.
    pub regimes: Vec<RegimeSimulation>,
    /// Declarations rejected under both rule sets.
    pub rejected_both: u64,
}

/// A value under the rules in force and under the variant.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "Change_of_{T}"))]
pub struct Change<T> {
    /// In force.
    pub in_force: T,
    /// Variant.
    pub variant: T,
}

/// How one consignment's assessment differs under the variant.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Difference {
    /// The declaration id.
    pub id: String,
    /// Release category name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Change<&'static str>>,
    /// `model/scheme` (`vendor/IOSS`, `border/-`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collection: Option<Change<String>>,
    /// Duty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duty_total: Option<Change<Amount>>,
    /// Taxes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax_total: Option<Change<Amount>>,
    /// Fees.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fee_total: Option<Change<Amount>>,
    /// Everything payable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_payable: Option<Change<Amount>>,
    /// Error codes, when one side rejected the declaration (null for a result).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Change<Option<ErrorCode>>>,
}

impl Difference {
    /// The differences between two outcomes of one declaration, or `None` when they agree
    /// on all the fields compared.
    pub fn between(
        id: &str,
        in_force: &Result<Assessment, Error>,
        variant: &Result<Assessment, Error>,
    ) -> Option<Difference> {
        fn change<T: PartialEq>(a: T, b: T) -> Option<Change<T>> {
            (a != b).then_some(Change {
                in_force: a,
                variant: b,
            })
        }
        let mut d = Difference {
            id: id.to_string(),
            category: None,
            collection: None,
            duty_total: None,
            tax_total: None,
            fee_total: None,
            total_payable: None,
            error: None,
        };
        match (in_force, variant) {
            (Ok(a), Ok(b)) => {
                let coll = |r: &Assessment| {
                    format!(
                        "{}/{}",
                        model(r),
                        r.collection.scheme.as_deref().unwrap_or("-")
                    )
                };
                d.category = change(a.category.name.as_str(), b.category.name.as_str());
                d.collection = change(coll(a), coll(b));
                d.duty_total = change(a.duty_total, b.duty_total);
                d.tax_total = change(a.tax_total, b.tax_total);
                d.fee_total = change(a.fee_total, b.fee_total);
                d.total_payable = change(a.total_payable, b.total_payable);
            }
            (a, b) => {
                d.error = change(
                    a.as_ref().err().map(|e| e.code),
                    b.as_ref().err().map(|e| e.code),
                );
            }
        }
        let same = d.category.is_none()
            && d.collection.is_none()
            && d.duty_total.is_none()
            && d.tax_total.is_none()
            && d.fee_total.is_none()
            && d.total_payable.is_none()
            && d.error.is_none();
        (!same).then_some(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AssessOptions, Engine};

    fn eu() -> Value {
        let text = crate::regime::embedded::PACKS
            .iter()
            .find(|(id, _)| *id == "EU")
            .unwrap()
            .1;
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn overrides_keep_types_and_select_versions() {
        let mut pack = eu();
        let n = set_in_pack(
            &mut pack,
            "versions[@2025-06-01].de_minimis.duty.amount",
            "100",
        )
        .unwrap();
        assert_eq!(n, 1);
        assert_eq!(pack["versions"][0]["de_minimis"]["duty"]["amount"], "100");
        let n = set_in_pack(
            &mut pack,
            "versions[*].schemes[id=IOSS].ceiling.amount",
            "120",
        )
        .unwrap();
        assert_eq!(n, 2);
        assert_eq!(
            pack["versions"][1]["schemes"][0]["ceiling"]["amount"],
            "120"
        );
        set_in_pack(&mut pack, "versions[1].flat_duty.hs_digits", "8").unwrap();
        assert_eq!(pack["versions"][1]["flat_duty"]["hs_digits"], 8);
        for bad in [
            "versions[9].de_minimis.duty.amount",
            "versions[@1990-01-01].de_minimis.duty.amount",
            "nothing.here",
            "versions[x].a",
            "versions[1.a",
        ] {
            let e = set_in_pack(&mut pack, bad, "1").unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidPack, "{bad}");
            assert_eq!(e.path.as_deref(), Some(bad));
        }
        assert!(set_in_pack(&mut pack, "versions[1].flat_duty.hs_digits", "six").is_err());
    }

    /// Lowering the EU duty de minimis from €150 to €100 on three fixed consignments: only
    /// the one worth €120 changes. Its duty becomes 12 % of 120.00 = 14.40, and the import VAT
    /// base grows by that duty, so VAT rises by 20 % × 14.40 = 2.88: revenue +17.28 in all.
    #[test]
    fn lowering_the_duty_de_minimis_changes_revenue_exactly() {
        let decl = |id: &str, value: &str| {
            format!(
                r#"{{"id":"{id}","date":"2025-05-10","destination":"FR","channel":"express","currency":"EUR",
                    "items":[{{"description":"T-shirts","hs_code":"610910","quantity":3,"value":"{value}","origin":"CN"}}],
                    "seller":{{"name":"S","country":"CN"}},"consignee":{{"name":"C","country":"FR"}}}}"#
            )
        };
        let decls = [
            decl("low", "60.00"),
            decl("mid", "120.00"),
            decl("high", "200.00"),
        ];
        let mut pack = eu();
        set_in_pack(
            &mut pack,
            "versions[@2025-05-10].de_minimis.duty.amount",
            "100",
        )
        .unwrap();
        let base = Engine::embedded().unwrap();
        let variant = Engine::builder()
            .regime_json(serde_json::to_string(&pack).unwrap())
            .build()
            .unwrap();
        let opts = AssessOptions::default();
        let mut sim = Simulation::new();
        let mut diffs = Vec::new();
        for d in &decls {
            let a = base.assess_json(d, &opts);
            let b = variant.assess_json(d, &opts);
            diffs.extend(sim.add(None, &a, &b));
        }
        let report = sim.report();
        let eu = &report.regimes[0];
        assert_eq!(eu.consignments, 3);
        let diff = |k: &str| eu.revenue_difference[k].to_string();
        assert_eq!(diff("duty"), "14.40");
        assert_eq!(diff("VAT"), "2.88");
        assert_eq!(diff("total"), "17.28");
        assert_eq!(diff("fees"), "0.00");
        assert_eq!(diffs.len(), 1);
        assert_eq!(diffs[0].id, "mid");
        let duty = diffs[0].duty_total.as_ref().unwrap();
        assert_eq!(
            (duty.in_force.to_string(), duty.variant.to_string()),
            ("0.00".into(), "14.40".into())
        );
        assert_eq!(eu.changed_amount, 1);
        // Merging partial simulations gives the same report.
        let mut parts = Simulation::new();
        for d in &decls {
            let mut one = Simulation::new();
            one.add(
                None,
                &base.assess_json(d, &opts),
                &variant.assess_json(d, &opts),
            );
            parts.merge(one);
        }
        assert_eq!(parts.report(), report);
    }
}
