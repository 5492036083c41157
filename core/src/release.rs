//! The release decision (WCO Immediate Release Guidelines; FoS Standards 3-6 and 10).
//!
//! The decision is the most severe of:
//! * every control a risk-profile rule forces (`hold`, `refer_to_agency`, `inspection`,
//!   `documentary_check`);
//! * the control the summed rule weights reach on the profile's thresholds (AEO and timely
//!   advance data carry negative weights and pull the score down);
//! * a documentary check when the assessment raised an error-severity finding (the data set
//!   the release category requires is incomplete, or excise goods the engine does not assess);
//!
//! and otherwise a release: `immediate_release` when the revenue is settled (nothing is due
//! at import, or it is paid periodically on an operator's account), `release_after_payment`
//! when duties, taxes or fees are still to be paid at the border.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use rust_decimal::Decimal;

use crate::message_text::push_i32;
use crate::regime::pack::{Collector, Model, When};
use crate::result::Message;
use crate::result::{CollectionOutcome, Finding, Severity};
use crate::risk::RiskProfile;
use crate::trace::{Step, Tracer};

/// What happens to the consignment, from most to least facilitated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Released on arrival: low risk, revenue settled.
    ImmediateRelease,
    /// Released once the duties, taxes and fees due at import are paid.
    ReleaseAfterPayment,
    /// The documents (invoice, data) are checked before release.
    DocumentaryCheck,
    /// The goods are physically inspected.
    Inspection,
    /// Another agency (health, agriculture, CITES …) must clear the goods (Standard 10).
    ReferToAgency,
    /// The goods are held (prohibited goods, enforcement).
    Hold,
    /// No release decision was made: the caller chose `screening=off` (a checkout estimating
    /// the landed cost). Never a risk rule's action.
    #[serde(skip_deserializing)]
    NotScreened,
}

/// Reads a result's decision: every name [`Decision::as_str`] writes, `not_screened` too,
/// which a risk rule's action may not be (and `Decision`'s own `Deserialize` refuses).
fn any_decision<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Decision, D::Error> {
    let name = <std::borrow::Cow<'de, str>>::deserialize(de)?;
    Decision::ALL
        .iter()
        .copied()
        .find(|d| d.as_str() == name)
        .ok_or_else(|| serde::de::Error::custom(format!("unknown release decision {name:?}")))
}

impl Decision {
    /// Every decision, from most to least facilitated, then `not_screened`.
    pub const ALL: &'static [Decision] = &[
        Decision::ImmediateRelease,
        Decision::ReleaseAfterPayment,
        Decision::DocumentaryCheck,
        Decision::Inspection,
        Decision::ReferToAgency,
        Decision::Hold,
        Decision::NotScreened,
    ];

    /// The decision as it appears in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::ImmediateRelease => "immediate_release",
            Decision::ReleaseAfterPayment => "release_after_payment",
            Decision::DocumentaryCheck => "documentary_check",
            Decision::Inspection => "inspection",
            Decision::ReferToAgency => "refer_to_agency",
            Decision::Hold => "hold",
            Decision::NotScreened => "not_screened",
        }
    }
}

/// `release` (docs/contract.md): the decision and every reason that led to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Release {
    /// The decision.
    #[serde(deserialize_with = "any_decision")]
    pub decision: Decision,
    /// Sum of the weights of the risk rules that hit.
    pub score: i32,
    /// Id of the risk profile applied, or null when the regime has none loaded.
    pub profile: Option<crate::declaration::Text>,
    /// Agencies the consignment is routed to (single window, Standard 10), in rule order.
    pub agencies: Vec<Arc<str>>,
    /// Why: every rule that hit, each finding that forced a check, and the revenue state.
    pub reasons: Vec<ReleaseReason>,
}

/// One reason of a release decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ReleaseReason {
    /// Rule code (`R_…`), finding code (`F_…`) or release code (`REL_…`).
    pub code: Arc<str>,
    /// Weight the reason added to the score (0 for findings and revenue).
    pub weight: i32,
    /// The control the reason forces, if any.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub action: Option<Decision>,
    /// The agency that must see the goods, for `refer_to_agency`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub agency: Option<Arc<str>>,
    /// JSON path of the field concerned.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub path: Option<crate::declaration::Text>,
    /// Plain-language explanation with the figures.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub message: crate::result::Message,
}

/// Whether the revenue of this consignment is settled for release purposes: nothing is due
/// at import, or what is due is paid periodically on an operator's account, or a carrier
/// collects it from the consignee on delivery and remits it monthly (EU special arrangements,
/// Directive 2006/112/EC Articles 369y-369zb), so customs need not wait for it.
fn revenue_settled(collection: &CollectionOutcome, due_at_import: rust_decimal::Decimal) -> bool {
    due_at_import.is_zero()
        || collection.when == When::Periodic
        || collection.model == Model::Account
        || (collection.model == Model::Intermediary && collection.collector == Collector::Carrier)
}

fn collector_name(collector: Collector) -> &'static str {
    match collector {
        Collector::Registrant => "registrant",
        Collector::Seller => "seller",
        Collector::Marketplace => "marketplace",
        Collector::Carrier => "carrier",
        Collector::Consignee => "consignee",
        Collector::Customs => "customs",
    }
}

/// The codes of the reasons the release decision adds itself.
#[derive(Debug, Clone, Copy)]
enum Code {
    Score,
    RevenueSettled,
    RevenueDue,
    NotScreened,
}

thread_local! {
    /// This thread's own `Arc`s of the [`Code`]s, by number: cloned for about a fifth of what
    /// finding them in `per_thread`'s table by address cost (issue 16).
    static CODES: [Arc<str>; 4] = Code::ALL.map(|c| Arc::from(c.as_str()));
}

impl Code {
    const ALL: [Code; 4] = [
        Code::Score,
        Code::RevenueSettled,
        Code::RevenueDue,
        Code::NotScreened,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Code::Score => "REL_SCORE",
            Code::RevenueSettled => "REL_REVENUE_SETTLED",
            Code::RevenueDue => "REL_REVENUE_DUE",
            Code::NotScreened => "REL_NOT_SCREENED",
        }
    }

    /// The code as this thread's reasons cite it (a new `Arc` while the thread is exiting).
    /// Inlined natively: left out of line by changes elsewhere, its call cost some 20
    /// instructions a record.
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    fn cited(self) -> Arc<str> {
        CODES
            .try_with(|codes| Arc::clone(&codes[self as usize]))
            .unwrap_or_else(|_| Arc::from(self.as_str()))
    }
}

/// What the release decision and the risk rules look at: the declaration and the finished
/// assessment.
pub(crate) struct Screened<'a> {
    pub decl: &'a crate::declaration::Declaration,
    /// The consignment's values in the regime currency.
    pub values: &'a crate::assess::Valuation,
    /// The release category (1-4).
    pub category: u8,
    pub collection: &'a CollectionOutcome,
    pub due_at_import: Decimal,
    /// The assessment's findings.
    pub findings: &'a [Finding],
}

/// The reasons gathered so far, and what they force.
#[derive(Default)]
struct Reasons {
    list: Vec<ReleaseReason>,
    agencies: Vec<Arc<str>>,
    score: i32,
    forced: Option<Decision>,
}

impl Reasons {
    /// Adds `reason` (moved in, with its message still to write) and gives its message to be
    /// written in place: a message built first and moved in would be copied a second time
    /// with its text (`result::Message`, issue 16).
    #[inline]
    fn force(&mut self, reason: ReleaseReason) -> Option<&mut Message> {
        self.forced = self.forced.max(reason.action);
        self.list.push(reason);
        self.list.last_mut().map(|r| &mut r.message)
    }
}

/// Decides the release of the assessed consignment; its reasons are pushed onto `list` (empty,
/// an earlier result's vector whose capacity is reused, or a new one).
pub(crate) fn decide(
    profile: Option<&RiskProfile>,
    screened: &Screened<'_>,
    tracer: &Tracer,
    mut list: Vec<ReleaseReason>,
) -> Release {
    // Rule hits, findings and the revenue reason: rarely more than four.
    list.reserve(4);
    let mut reasons = Reasons {
        list,
        ..Reasons::default()
    };
    if let Some(profile) = profile {
        risk_reasons(profile, screened, tracer, &mut reasons);
    }
    for f in screened
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
    {
        let message = reasons.force(ReleaseReason {
            // Finding codes can be longer than a `Text` keeps inline (`per_thread`).
            code: match &f.code {
                std::borrow::Cow::Borrowed(code) => crate::per_thread::fixed(code),
                std::borrow::Cow::Owned(code) => Arc::from(code.as_str()),
            },
            weight: 0,
            action: Some(Decision::DocumentaryCheck),
            agency: None,
            path: f.path.clone(),
            message: Message::new(),
        });
        // The text copied in place, not the finding's `Message` cloned and moved in.
        if let Some(message) = message {
            message.push_str(&f.message);
        }
    }
    let decision = match reasons.forced {
        Some(d) => d,
        None => revenue_decision(screened, &mut reasons.list),
    };
    trace_decision(profile, tracer, decision, &reasons);
    Release {
        decision,
        score: reasons.score,
        profile: profile.map(|p| crate::declaration::Text::from(p.id.as_str())),
        agencies: reasons.agencies,
        reasons: reasons.list,
    }
}

/// The release of an assessment with `screening=off`: no rule, finding or revenue test is
/// applied, and the one reason says so (pushed onto `list`, empty).
pub(crate) fn not_screened(tracer: &Tracer, mut list: Vec<ReleaseReason>) -> Release {
    const MESSAGE: &str = "screening=off: no risk profile, finding or revenue check was applied; customs decide the release when the goods arrive";
    tracer.step(Step::Release, || {
        (
            "release".to_string(),
            "option screening=off".to_string(),
            format!("not_screened: {MESSAGE}"),
        )
    });
    list.push(ReleaseReason {
        code: Code::NotScreened.cited(),
        weight: 0,
        action: None,
        agency: None,
        path: None,
        message: Message::from_static(MESSAGE),
    });
    Release {
        decision: Decision::NotScreened,
        score: 0,
        profile: None,
        agencies: Vec::new(),
        reasons: list,
    }
}

/// The reasons of every risk rule that hits, and of the score when it reaches a threshold.
fn risk_reasons(
    profile: &RiskProfile,
    screened: &Screened<'_>,
    tracer: &Tracer,
    reasons: &mut Reasons,
) {
    crate::risk::evaluate(profile, screened, |hit, cited| {
        let rule = hit.rule;
        reasons.score = reasons.score.saturating_add(rule.weight);
        // Codes and agencies can be longer than a `Text` keeps inline: `cited` has this
        // thread's `Arc`s of the profile's (`per_thread`), with the message of a rule whose
        // message is fixed.
        let (code, agency) = (cited.code, cited.agency);
        if let Some(a) = &agency {
            if !reasons.agencies.contains(a) {
                reasons.agencies.push(a.clone());
            }
        }
        tracer.step(Step::Risk, || {
            (
                format!("{}/{}", profile.id, rule.code),
                rule.source.clone(),
                format!(
                    "{} (weight {:+}{}): {}",
                    rule.reason,
                    rule.weight,
                    rule.action
                        .map(|a| format!(", {}", a.as_str()))
                        .unwrap_or_default(),
                    hit.detail
                ),
            )
        });
        // A fixed message is shared; any other is written into the reason's message once the
        // reason is pushed (the reason itself is moved in, its message still empty), the
        // detail straight after the rule's reason: no allocation up to `Message`'s inline room.
        let fixed = cited.message.is_some();
        let message = reasons.force(ReleaseReason {
            code,
            weight: rule.weight,
            action: rule.action,
            agency,
            path: hit.path.to_path(),
            message: cited.message.map_or_else(Message::new, Message::shared),
        });
        if let (Some(message), false) = (message, fixed) {
            message.push_str(&rule.reason);
            message.push_str(": ");
            hit.detail.write(message);
        }
    });
    let (score, t) = (reasons.score, &profile.thresholds);
    if let Some(d) = score_decision(score, t) {
        // This thread's shared copy of the whole message, natively; else written here.
        #[cfg(not(target_arch = "wasm32"))]
        let shared = profile.compiled.score_message(profile, d, score);
        #[cfg(target_arch = "wasm32")]
        let shared: Option<Arc<str>> = None;
        let written = shared.is_none();
        let message = reasons.force(ReleaseReason {
            code: Code::Score.cited(),
            weight: 0,
            action: Some(d),
            agency: None,
            path: None,
            message: shared.map_or_else(Message::new, Message::shared),
        });
        if let (Some(message), true) = (message, written) {
            message.push_str("risk score ");
            push_i32(message, score);
            match profile.compiled.score_tail(profile, d) {
                Some(tail) => message.push_str(tail),
                None => score_tail(message, d, &profile.id, t),
            }
        }
    }
}

/// The control the summed weights reach on the profile's thresholds, if any.
fn score_decision(score: i32, t: &crate::risk::Thresholds) -> Option<Decision> {
    if t.hold.is_some_and(|h| score >= h) {
        Some(Decision::Hold)
    } else if score >= t.inspection {
        Some(Decision::Inspection)
    } else if score >= t.documentary_check {
        Some(Decision::DocumentaryCheck)
    } else {
        None
    }
}

/// The score reason's message after `risk score 30`: ` reaches the documentary_check
/// threshold of profile EU-sample (documentary check 30, inspection 60[, hold 90])`, put
/// together by hand (`format!` took 1 570 instructions here, issue 16). A compiled profile
/// keeps it for each control ([`crate::risk`]'s score tails), so a release writes it only for a
/// profile whose id or thresholds changed since.
pub(crate) fn score_tail(
    message: &mut impl crate::message_text::Push,
    d: Decision,
    profile: &str,
    t: &crate::risk::Thresholds,
) {
    message.push_str(" reaches the ");
    message.push_str(d.as_str());
    message.push_str(" threshold of profile ");
    message.push_str(profile);
    message.push_str(" (documentary check ");
    push_i32(message, t.documentary_check);
    message.push_str(", inspection ");
    push_i32(message, t.inspection);
    if let Some(h) = t.hold {
        message.push_str(", hold ");
        push_i32(message, h);
    }
    message.push(')');
}

/// With no control forced: immediate release when the revenue is settled, else release
/// after payment; adds the reason.
fn revenue_decision(screened: &Screened<'_>, reasons: &mut Vec<ReleaseReason>) -> Decision {
    let (collection, due) = (screened.collection, screened.due_at_import);
    let settled = revenue_settled(collection, due);
    let code = if settled {
        Code::RevenueSettled
    } else {
        Code::RevenueDue
    };
    let made = crate::result::push_in_place(reasons, || ReleaseReason {
        code: code.cited(),
        weight: 0,
        action: None,
        agency: None,
        path: None,
        message: Message::new(),
    });
    // Written in the reason's place (a message moved in is copied with its inline room). By
    // hand: `format!` and `Decimal`'s `Display` cost more than the rest of the release
    // decision (issue 16).
    if let Some(message) = made.map(|r| &mut r.message) {
        if !settled {
            message.push_str("no risk rule requires a control; ");
            crate::result::json::push_decimal(message, due);
            message.push_str(" is due at import before release");
        } else if due.is_zero() {
            *message = Message::from_static(
                "no risk rule requires a control and nothing is due at import",
            );
        } else {
            message.push_str("no risk rule requires a control and the ");
            crate::result::json::push_decimal(message, due);
            message.push_str(" due at import is paid to customs periodically by the ");
            message.push_str(collector_name(collection.collector));
            message.push_str(" (no payment is awaited at the border)");
        }
    }
    if settled {
        Decision::ImmediateRelease
    } else {
        Decision::ReleaseAfterPayment
    }
}

fn trace_decision(
    profile: Option<&RiskProfile>,
    tracer: &Tracer,
    decision: Decision,
    reasons: &Reasons,
) {
    tracer.step(Step::Release, || {
        let routed = if reasons.agencies.is_empty() {
            String::new()
        } else {
            let names: Vec<&str> = reasons.agencies.iter().map(|a| a.as_ref()).collect();
            format!(", routed to {}", names.join(", "))
        };
        (
            profile.map_or_else(|| "release".to_string(), |p| format!("{}/thresholds", p.id)),
            profile.map_or_else(
                || {
                    "WCO Immediate Release Guidelines; no risk profile loaded for this regime"
                        .to_string()
                },
                |p| p.source.clone(),
            ),
            format!(
                "{}: score {}, {} reason(s){routed}",
                decision.as_str(),
                reasons.score,
                reasons.list.len(),
            ),
        )
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The release of the EU example with no advance data: rule hits and `REL_SCORE`.
    fn eu_release(engine: &crate::Engine) -> Release {
        let mut d: serde_json::Value = serde_json::from_str(include_str!(
            "../../examples/declarations/eu-cat3-ioss-seller.json"
        ))
        .unwrap();
        if let Some(d) = d.as_object_mut() {
            d.remove("lodged_at");
        }
        let options = crate::AssessOptions::default();
        engine
            .assess_json(&d.to_string(), &options)
            .unwrap()
            .release
    }

    #[test]
    fn each_thread_cites_its_own_copies_of_the_profile_texts() {
        let engine = crate::Engine::embedded().unwrap();
        let (a, b) = (eu_release(&engine), eu_release(&engine));
        let other = std::thread::scope(|s| s.spawn(|| eu_release(&engine)).join().unwrap());
        assert_eq!(a, other);
        let code = a.reasons[0].code.clone();
        assert_eq!(a.profile.as_deref(), Some("EU-sample"));
        assert!(code.starts_with("R_EU_"), "{code}");
        // One thread shares its copies between releases; another thread has its own.
        assert!(Arc::ptr_eq(&code, &b.reasons[0].code));
        assert!(!Arc::ptr_eq(&code, &other.reasons[0].code));
    }

    /// The embedded EU risk profile's text.
    fn eu_profile_text() -> &'static str {
        crate::risk::EMBEDDED
            .iter()
            .find(|(id, _)| *id == "EU")
            .unwrap()
            .1
    }

    #[test]
    fn profiles_compiled_apart_are_equal() {
        let text = eu_profile_text();
        let (a, b) = (RiskProfile::from_json(text), RiskProfile::from_json(text));
        assert_eq!(a.unwrap(), b.unwrap());
    }

    /// A compiled profile's score tails are those written at the release, and a profile whose
    /// id or thresholds changed after it was compiled has them written again.
    #[test]
    fn score_tails_compiled_are_written_ones() {
        let mut profile = RiskProfile::from_json(eu_profile_text()).unwrap();
        for &d in Decision::ALL {
            let mut written = String::new();
            score_tail(&mut written, d, &profile.id, &profile.thresholds);
            let compiled = profile.compiled.score_tail(&profile, d);
            match d {
                Decision::DocumentaryCheck | Decision::Inspection | Decision::Hold => {
                    assert_eq!(compiled, Some(written.as_str()));
                }
                _ => assert_eq!(compiled, None),
            }
        }
        // The shared whole messages read as written ones, for any score, and a thread gives
        // out one copy of each.
        #[cfg(not(target_arch = "wasm32"))]
        for score in [-5, 0, 30, 31, 60, 70, 1_000_000, i32::MIN, i32::MAX] {
            for &d in Decision::ALL {
                let mut written = String::from("risk score ");
                push_i32(&mut written, score);
                score_tail(&mut written, d, &profile.id, &profile.thresholds);
                let shared = profile.compiled.score_message(&profile, d, score);
                match d {
                    Decision::DocumentaryCheck | Decision::Inspection | Decision::Hold => {
                        let shared = shared.unwrap();
                        assert_eq!(&*shared, written.as_str());
                        let again = profile.compiled.score_message(&profile, d, score).unwrap();
                        assert!(Arc::ptr_eq(&shared, &again));
                    }
                    _ => assert!(shared.is_none()),
                }
            }
        }
        profile.thresholds.inspection += 1;
        assert_eq!(
            profile.compiled.score_tail(&profile, Decision::Inspection),
            None
        );
        #[cfg(not(target_arch = "wasm32"))]
        assert!(profile
            .compiled
            .score_message(&profile, Decision::Inspection, 60)
            .is_none());
        profile.thresholds.inspection -= 1;
        profile.id.push('x');
        assert_eq!(
            profile.compiled.score_tail(&profile, Decision::Inspection),
            None
        );
    }

    proptest::proptest! {
        #[test]
        fn score_messages_read_as_format_wrote_them(
            score in proptest::prelude::any::<i32>(),
            documentary_check in proptest::prelude::any::<i32>(),
            inspection in -1000i32..100_000,
            hold in proptest::option::of(proptest::prelude::any::<i32>()),
            profile in "[A-Za-z0-9_-]{0,20}",
            d in proptest::sample::select(Decision::ALL),
        ) {
            let t = crate::risk::Thresholds { documentary_check, inspection, hold };
            let expected = format!(
                "risk score {score} reaches the {} threshold of profile {} (documentary check {}, inspection {}{})",
                d.as_str(),
                profile,
                t.documentary_check,
                t.inspection,
                t.hold.map(|h| format!(", hold {h}")).unwrap_or_default()
            );
            let mut message = Message::new();
            message.push_str("risk score ");
            push_i32(&mut message, score);
            score_tail(&mut message, d, &profile, &t);
            proptest::prop_assert_eq!(message, expected);
        }
    }
}
