//! The trace: why each number is what it is, step by step, each naming its rule and source.

use serde::Serialize;

/// One step of an assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TraceStep {
    /// Pipeline step (`regime`, `exchange`, `value`, `category`, `de_minimis`, `duty`, `tax`,
    /// `fee`, `collection`, `total`, `risk`, `release`).
    pub step: &'static str,
    /// Rule path inside the pack (`EU@2021-07-01/de_minimis.duty`).
    pub rule: String,
    /// Legal source of the rule.
    pub source: String,
    /// What happened, with the figures.
    pub detail: String,
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
    pub(crate) fn new(enabled: bool) -> Tracer {
        Tracer {
            steps: enabled.then(|| std::cell::RefCell::new(Vec::new())),
        }
    }

    /// Records a step. The closure runs only when tracing, so formatting costs nothing on the
    /// fast path.
    #[inline]
    pub(crate) fn step(&self, step: &'static str, make: impl FnOnce() -> (String, String, String)) {
        if let Some(steps) = &self.steps {
            let (rule, source, detail) = make();
            steps.borrow_mut().push(TraceStep {
                step,
                rule,
                source,
                detail,
            });
        }
    }

    pub(crate) fn finish(self) -> Option<Vec<TraceStep>> {
        self.steps.map(std::cell::RefCell::into_inner)
    }
}
