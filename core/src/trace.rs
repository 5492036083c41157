//! The trace: why each number is what it is, step by step, each naming its rule and source.

use serde::{Deserialize, Serialize};

/// The name a value has in JSON: the snake_case name of an enum variant (`at_sale`,
/// `customs_value`, `consignment`), as the contract and the packs spell it. Trace steps and
/// messages name enum values this way, never with Rust's `Debug` names (`AtSale`), which mean
/// nothing to the people reading them (a test scans every vector's trace for them).
///
/// A list of names (a gift relief's `relieves`) is written as compact JSON, `["duty","tax"]`.
/// That is written here rather than by `serde_json::Value`'s `Display`, which would link
/// serde_json's whole value serializer (compact and pretty) into the WASM module for this one
/// case (about 2 kB gzipped, BENCHMARKS.md, WASM, session 36); the names are snake_case and
/// JSON writes them without escapes. Anything else (never named here) is `?`.
pub(crate) fn wire_name<T: Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        Ok(serde_json::Value::Array(names)) => {
            name_list(&names).unwrap_or_else(|| String::from("?"))
        }
        _ => String::from("?"),
    }
}

/// `names` as compact JSON when each is a string that JSON writes without an escape.
fn name_list(names: &[serde_json::Value]) -> Option<String> {
    let mut out = String::from("[");
    for (i, name) in names.iter().enumerate() {
        let name = name
            .as_str()
            .filter(|n| !n.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\'))?;
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        out.push_str(name);
        out.push('"');
    }
    out.push(']');
    Some(out)
}

/// One step of an assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct TraceStep {
    /// Pipeline step.
    pub step: Step,
    /// Rule path inside the pack (`EU@2021-07-01/de_minimis.duty`).
    pub rule: String,
    /// Legal source of the rule.
    pub source: String,
    /// What happened, with the figures.
    pub detail: String,
}

/// A step of the assessment pipeline, as `trace[].step` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Step {
    /// The regime and version chosen.
    Regime,
    /// The exchange rate applied.
    Exchange,
    /// Valuation: intrinsic and customs value.
    Value,
    /// The WCO immediate-release category.
    Category,
    /// A de minimis test or waiver.
    DeMinimis,
    /// Gift relief.
    GiftRelief,
    /// A duty line or duty rule.
    Duty,
    /// A surcharge on other charges.
    Surcharge,
    /// A tax line or tax rule.
    Tax,
    /// A fee.
    Fee,
    /// The collection model and scheme.
    Collection,
    /// The totals.
    Total,
    /// A risk rule.
    Risk,
    /// The release decision.
    Release,
}

impl Step {
    /// The name used in JSON (`duty`, `de_minimis`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Regime => "regime",
            Step::Exchange => "exchange",
            Step::Value => "value",
            Step::Category => "category",
            Step::DeMinimis => "de_minimis",
            Step::GiftRelief => "gift_relief",
            Step::Duty => "duty",
            Step::Surcharge => "surcharge",
            Step::Tax => "tax",
            Step::Fee => "fee",
            Step::Collection => "collection",
            Step::Total => "total",
            Step::Risk => "risk",
            Step::Release => "release",
        }
    }
}

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `pad`, not `write_str`, so that width and alignment apply (the CLI's table).
        f.pad(self.as_str())
    }
}

/// Collects steps when the caller asked for a trace; costs nothing otherwise.
///
/// Steps are recorded through `&self` (a `RefCell` inside) so that a step's closure can read
/// the assessment context the tracer lives in.
#[derive(Debug, Default)]
pub(crate) struct Tracer {
    steps: Option<std::cell::RefCell<Vec<TraceStep>>>,
}

impl Tracer {
    /// Whether steps are recorded: a caller with several steps to describe (or a function of
    /// its own that only traces) tests it once, inlined, instead of calling in to find out.
    #[inline]
    pub(crate) fn is_on(&self) -> bool {
        self.steps.is_some()
    }

    /// Records a step. The closure runs only when tracing, so formatting costs nothing on the
    /// fast path.
    #[inline]
    pub(crate) fn step(&self, step: Step, make: impl FnOnce() -> (String, String, String)) {
        if self.steps.is_some() {
            self.push(step, make());
        }
    }

    /// The part of [`Tracer::step`] that does not depend on the closure, out of line: one
    /// copy of the borrow and the push instead of one in each of the ~40 callers (the npm
    /// module's size; only traced assessments call it).
    #[inline(never)]
    fn push(&self, step: Step, (rule, source, detail): (String, String, String)) {
        if let Some(steps) = &self.steps {
            steps.borrow_mut().push(TraceStep {
                step,
                rule,
                source,
                detail,
            });
        }
    }

    /// A tracer recording when `enabled`, into `steps` (emptied) so that an earlier
    /// result's capacity is reused.
    pub(crate) fn reusing(enabled: bool, mut steps: Vec<TraceStep>) -> Tracer {
        steps.clear();
        Tracer {
            steps: enabled.then(|| std::cell::RefCell::new(steps)),
        }
    }

    /// The steps recorded (`None` when not tracing), leaving the tracer off.
    pub(crate) fn take(&mut self) -> Option<Vec<TraceStep>> {
        self.steps.take().map(std::cell::RefCell::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::wire_name;
    use crate::regime::pack::{Charge, Collector, FeePer, TaxPoint};
    use serde::Serialize;

    /// What `wire_name` wrote before it stopped using `serde_json::Value`'s `Display`.
    fn by_value<T: Serialize>(value: &T) -> String {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::String(name)) => name,
            Ok(other) => other.to_string(),
            Err(_) => String::from("?"),
        }
    }

    #[test]
    fn names_and_lists_of_names_as_serde_json_writes_them() {
        assert_eq!(wire_name(&TaxPoint::AtSale), by_value(&TaxPoint::AtSale));
        assert_eq!(wire_name(&FeePer::KgGross), "kg_gross");
        assert_eq!(
            wire_name(&Collector::Customs),
            by_value(&Collector::Customs)
        );
        for list in [vec![], vec![Charge::Duty], vec![Charge::Duty, Charge::Tax]] {
            assert_eq!(wire_name(&list), by_value(&list));
        }
        assert_eq!(
            wire_name(&vec![Charge::Tax, Charge::Duty]),
            r#"["tax","duty"]"#
        );
    }
}
