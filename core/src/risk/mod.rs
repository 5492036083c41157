//! Risk profiles (FoS Standards 3-4, 6, 9-10): rules a customs administration maintains as
//! data, kept apart from the regime pack because they change weekly and are owned by a
//! different team (the targeting centre, not tariff and tax policy).
//!
//! A profile names its regime and currency, the score thresholds at which a consignment goes
//! to a documentary check or an inspection, and a list of rules. Each rule has a stable
//! `code`, a `weight` (negative for facilitation, e.g. AEO status), an optional forced
//! `action` (`hold`, `refer_to_agency` with the `agency` that must see the goods — the
//! single-window routing of Standard 10), a `reason`, a `when` condition and, like every
//! pack rule, its `source` and `checked` date. The format is documented in
//! `docs/risk-profiles.md` and `regimes/schema/risk-profile.schema.json`.

#[cfg(test)]
mod edit_tests;
mod evaluate;
mod memo;
mod text;

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::error::{Error, ErrorCode};
use crate::money::Amount;
use crate::regime::pack::{rule, Confidence, Provenance, Sourced};
use crate::release::Decision;

pub(crate) use evaluate::evaluate;

/// Lower-case words separated by single spaces: how names and descriptions are compared.
pub fn normalize_text(text: &str) -> String {
    evaluate::normalize(text)
}

/// The format tag every profile carries.
pub const FORMAT: &str = "xborder-risk-profile/1";

/// `(regime id, profile JSON)` for the sample profiles embedded with the reference regimes.
pub const EMBEDDED: &[(&str, &str)] = xborder_regimes::RISK_PROFILES;

/// A risk profile: the administration's targeting rules for one regime.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskProfile {
    /// Always [`FORMAT`].
    pub format: String,
    /// Profile id, e.g. `EU-sample`; shown in each release decision.
    pub id: String,
    /// The regime whose declarations the profile screens.
    pub regime: String,
    /// Human name.
    pub name: String,
    /// Currency of every amount in the profile (the regime's).
    pub currency: String,
    /// Date the profile was issued.
    pub issued: Date,
    /// Who maintains the profile, or where its rules come from.
    pub source: String,
    /// Date the profile was last reviewed.
    pub checked: Date,
    /// Free-text remark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Score thresholds.
    pub thresholds: Thresholds,
    /// The rules, evaluated in order: read with [`RiskProfile::rules`], changed with
    /// [`RiskProfile::set_rules`], never in place, so that [`RiskProfile::compiled`] is always
    /// theirs (a rule edited behind it screened with the searchers, codes and messages of the
    /// rule it replaced).
    pub(crate) rules: Vec<RiskRule>,
    /// How a [`crate::ledger::SplitLedger`] screens consignments for splitting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split_consignments: Option<SplitRule>,
    /// Lookup structures built once at load, so that screening costs no searcher set-up, from
    /// the rules (and from the id and thresholds, which screening compares each time as they
    /// are public: [`evaluate::Compiled::score_tail`]).
    #[serde(skip)]
    pub(crate) compiled: evaluate::Compiled,
}

rule! {
    /// Split-consignment screening (misuse of de minimis, FoS Standard 8): consignments from
    /// the same seller to the same buyer inside a window whose combined value crosses a
    /// threshold.
    pub struct SplitRule {
        /// Stable code, `R_…`, of the flag.
        pub code: String,
        /// Window, in hours, that consignments are grouped over.
        pub window_hours: u32,
        /// Combined intrinsic value (in the profile's currency) above which the group is
        /// flagged.
        pub threshold: Amount,
        /// Whether the regime assesses the group as one consignment (e.g. same-day
        /// aggregation); when false the group is only flagged for a check.
        pub reassess: bool,
        /// Consignments the ledger remembers at most; the oldest are forgotten first.
        pub max_entries: usize,
        /// Why the rule exists.
        pub reason: String,
    }
}

/// Score thresholds: a consignment whose summed weight reaches one goes to that control.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// Score from which the documents are checked.
    pub documentary_check: i32,
    /// Score from which the goods are inspected.
    pub inspection: i32,
    /// Score from which the goods are held, if the profile holds on score at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold: Option<i32>,
}

rule! {
    /// One targeting or facilitation rule.
    pub struct RiskRule {
        /// Stable code, `R_…`; appears in release reasons.
        pub code: String,
        /// Added to the score when the rule hits; negative for facilitation.
        pub weight: i32,
        /// Control the rule forces whatever the score (`documentary_check`, `inspection`,
        /// `refer_to_agency`, `hold`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub action: Option<Decision>,
        /// The agency that must see the consignment (required with `refer_to_agency`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub agency: Option<String>,
        /// Why the rule exists, in plain language.
        pub reason: String,
        /// When the rule hits.
        pub when: Condition,
    }
}

/// What a rule looks for. Keywords match whole words, case-insensitively.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// An item's HS code starts with one of these prefixes.
    HsPrefix(Vec<String>),
    /// An item's description contains one of these words or phrases.
    Keyword(Vec<String>),
    /// An item under these HS prefixes is declared below a reference value.
    Undervalued {
        /// HS prefixes the reference value covers.
        hs_prefix: Vec<String>,
        /// What the value is divided by.
        per: ValueUnit,
        /// Lowest credible value per unit or per kg, in the profile's currency.
        minimum: Amount,
    },
    /// An item's description consists only of these words (`gift`, `parts`, `sample`).
    VagueDescription(Vec<String>),
    /// An item's description names goods of these HS chapters, but its HS code is in none.
    DescriptionChapter {
        /// Words or phrases naming the goods.
        keywords: Vec<String>,
        /// HS chapters (2 digits) or headings those goods belong to.
        chapters: Vec<String>,
    },
    /// Neither seller nor marketplace holds a registration under any of these schemes while
    /// the intrinsic value is at most `max_value` (when given). A registration duty concerns
    /// sales only: the rule never holds for a consignment with no item of nature `sale`, nor
    /// for a transaction outside `transactions` (default B2C only), so a private C2C gift is
    /// never sent to a check for an unregistered "seller".
    SellerUnregistered {
        /// Scheme ids (`GB_VAT`, `IOSS`).
        schemes: Vec<String>,
        /// Upper bound of intrinsic value for the rule to apply.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_value: Option<Amount>,
        /// Transactions the registration duty covers; absent means B2C only.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        transactions: Option<Vec<crate::declaration::Transaction>>,
    },
    /// The seller cannot be identified: no country and no registration.
    SellerUnknown {},
    /// The seller's or marketplace's name is on this watch list (case-insensitive).
    PartyListed(Vec<String>),
    /// An item originates in one of these countries (optionally only under HS prefixes).
    Origin {
        /// ISO 3166-1 alpha-2 codes.
        countries: Vec<String>,
        /// HS prefixes the rule is limited to; all goods when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        hs_prefix: Option<Vec<String>>,
    },
    /// This party is an Authorized Economic Operator (Standard 6).
    Aeo(AeoParty),
    /// The declaration gives no lodging or no arrival time.
    AdvanceDataMissing {},
    /// Advance data was lodged later than this many hours before arrival (Standard 5).
    AdvanceDataLate {
        /// The deadline, in hours before arrival.
        hours_before_arrival: u32,
    },
    /// The consignment's release category is one of these (1-4).
    Category(Vec<u8>),
}

/// What an undervaluation reference value is per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueUnit {
    /// Per unit of `quantity`.
    Unit,
    /// Per kilogram of `net_mass_kg`.
    Kg,
}

/// Whose AEO status a rule reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AeoParty {
    /// `carrier.aeo`.
    Carrier,
    /// `seller.aeo`.
    Seller,
    /// `marketplace.aeo`.
    Marketplace,
}

/// Parses a rules file (risk profile, return rules): strict, with the path of the first
/// offending field, every failure `E_INVALID_PACK`; larger than a pack may be is
/// `E_INPUT_TOO_LARGE`.
pub(crate) fn rules_from_json<T: crate::regime::decode::Decode + serde::de::DeserializeOwned>(
    text: &str,
) -> Result<T, Error> {
    if text.len() > crate::limits::MAX_PACK_BYTES {
        return Err(Error::new(
            ErrorCode::InputTooLarge,
            format!(
                "the rules file is {} bytes; the limit is {}",
                text.len(),
                crate::limits::MAX_PACK_BYTES
            ),
        ));
    }
    crate::regime::decode::from_json_data(text).map_err(|mut err: Error| {
        err.code = ErrorCode::InvalidPack;
        err
    })
}

impl RiskProfile {
    /// Parses and validates a profile; errors are `E_INVALID_PACK` with the path of the field.
    pub fn from_json(text: &str) -> Result<RiskProfile, Error> {
        RiskProfile::parse(text).map_err(|e| e.from_origin(crate::Origin::Profile))
    }

    fn parse(text: &str) -> Result<RiskProfile, Error> {
        let mut profile: RiskProfile = rules_from_json(text)?;
        profile.validate()?;
        profile.prepare();
        Ok(profile)
    }

    /// The rules, evaluated in order.
    pub fn rules(&self) -> &[RiskRule] {
        &self.rules
    }

    /// Replaces the rules, checked as [`RiskProfile::from_json`] checks them (errors are
    /// `E_INVALID_PACK` with the path of the field, e.g. `rules[3].when`, and leave the
    /// profile as it was), and compiles them for screening. To edit one rule, change a copy:
    /// `let mut rules = profile.rules().to_vec(); rules[3].weight = 50;
    /// profile.set_rules(rules)?;`.
    pub fn set_rules(&mut self, rules: Vec<RiskRule>) -> Result<(), Error> {
        let old = std::mem::replace(&mut self.rules, rules);
        if let Err(err) = self.validate_rules() {
            self.rules = old;
            return Err(err.from_origin(crate::Origin::Profile));
        }
        self.prepare();
        Ok(())
    }

    /// Readies validated rules for screening, as loaded or as set: keywords normalized, then
    /// compiled from them.
    fn prepare(&mut self) {
        self.normalize();
        self.compiled = evaluate::Compiled::new(self);
    }

    fn validate(&self) -> Result<(), Error> {
        let bad =
            |path: String, message: String| Err(Error::at(ErrorCode::InvalidPack, path, message));
        if self.format != FORMAT {
            return bad(
                "format".into(),
                format!("expected {FORMAT:?}, found {:?}", self.format),
            );
        }
        if crate::money::minor_units(&self.currency).is_none() {
            return bad(
                "currency".into(),
                format!("{:?} is not an ISO 4217 code", self.currency),
            );
        }
        let t = &self.thresholds;
        if t.documentary_check <= 0
            || t.inspection < t.documentary_check
            || t.hold.is_some_and(|h| h < t.inspection)
        {
            return bad(
                "thresholds".into(),
                "thresholds must be positive and ordered documentary_check <= inspection <= hold"
                    .into(),
            );
        }
        if let Some(split) = &self.split_consignments {
            check_split_rule(split)?;
        }
        self.validate_rules()
    }

    fn validate_rules(&self) -> Result<(), Error> {
        let mut codes = std::collections::HashSet::new();
        for (i, rule) in self.rules.iter().enumerate() {
            check_rule(rule, i, &mut codes)?;
        }
        Ok(())
    }

    /// Keywords are matched against normalized descriptions; normalize them once here.
    fn normalize(&mut self) {
        for rule in &mut self.rules {
            match &mut rule.when {
                Condition::Keyword(words)
                | Condition::VagueDescription(words)
                | Condition::PartyListed(words) => {
                    words.iter_mut().for_each(|w| *w = evaluate::normalize(w));
                }
                Condition::DescriptionChapter { keywords, .. } => {
                    keywords
                        .iter_mut()
                        .for_each(|w| *w = evaluate::normalize(w));
                }
                _ => {}
            }
        }
    }

    /// Checks the profile fits the regime it is loaded for.
    pub(crate) fn check_against(&self, regime: &crate::regime::Regime) -> Result<(), Error> {
        self.check_fit(regime)
            .map_err(|e| e.from_origin(crate::Origin::Profile))
    }

    fn check_fit(&self, regime: &crate::regime::Regime) -> Result<(), Error> {
        if self.currency != regime.currency {
            return Err(Error::at(
                ErrorCode::InvalidPack,
                "currency",
                format!(
                    "profile {} is in {} but regime {} assesses in {}",
                    self.id, self.currency, regime.id, regime.currency
                ),
            ));
        }
        Ok(())
    }
}

/// `R_` followed by upper-case letters, digits and underscores, at most 64 bytes.
fn code_ok(code: &str) -> bool {
    (3..=64).contains(&code.len())
        && code.starts_with("R_")
        && code[2..]
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

fn check_condition(when: &Condition, at: &str) -> Result<(), Error> {
    let bad = |message: String| Err(Error::at(ErrorCode::InvalidPack, at, message));
    let hs_ok = |p: &[String]| {
        !p.is_empty()
            && p.iter()
                .all(|p| (1..=10).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
    };
    let words_ok = |w: &[String]| {
        !w.is_empty()
            && w.iter().all(|w| {
                let words = evaluate::normalize(w);
                !words.is_empty() && words.split(' ').count() <= crate::limits::MAX_KEYWORD_WORDS
            })
    };
    let countries_ok = |c: &[String]| {
        !c.is_empty()
            && c.iter()
                .all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()))
    };
    match when {
        Condition::HsPrefix(p) if !hs_ok(p) => {
            bad("HS prefixes are 1-10 digits, at least one".into())
        }
        Condition::Keyword(w) | Condition::VagueDescription(w) | Condition::PartyListed(w)
            if !words_ok(w) =>
        {
            bad(format!(
                "give at least one non-empty word, and at most {} words per phrase",
                crate::limits::MAX_KEYWORD_WORDS
            ))
        }
        Condition::Undervalued {
            hs_prefix, minimum, ..
        } => {
            if !hs_ok(hs_prefix) {
                bad("HS prefixes are 1-10 digits, at least one".into())
            } else if minimum.0 <= rust_decimal::Decimal::ZERO {
                bad("the reference minimum is above zero".into())
            } else {
                Ok(())
            }
        }
        Condition::DescriptionChapter { keywords, chapters }
            if !words_ok(keywords) || !hs_ok(chapters) =>
        {
            bad(format!(
                "give keywords (at most {} words each) and HS chapters",
                crate::limits::MAX_KEYWORD_WORDS
            ))
        }
        Condition::SellerUnregistered { schemes, .. } if schemes.is_empty() => {
            bad("name at least one scheme".into())
        }
        Condition::Origin {
            countries,
            hs_prefix,
        } => {
            if !countries_ok(countries) {
                bad("countries are ISO 3166-1 alpha-2 codes, at least one".into())
            } else if hs_prefix.as_deref().is_some_and(|p| !hs_ok(p)) {
                bad("HS prefixes are 1-10 digits".into())
            } else {
                Ok(())
            }
        }
        Condition::AdvanceDataLate {
            hours_before_arrival,
        } if *hours_before_arrival > 24 * 30 => {
            bad("a deadline of more than 30 days before arrival is not plausible".into())
        }
        Condition::Category(c) if c.is_empty() || c.iter().any(|c| !(1..=4).contains(c)) => {
            bad("categories are 1-4".into())
        }
        _ => Ok(()),
    }
}
/// The split-consignment rule: a rule code, a window within a year, a positive threshold and
/// a bounded ledger.
fn check_split_rule(split: &SplitRule) -> Result<(), Error> {
    let bad = |path: &str, message: &str| Err(Error::at(ErrorCode::InvalidPack, path, message));
    if !code_ok(&split.code) {
        return bad("split_consignments.code", "a rule code is R_[A-Z0-9_]+");
    }
    if split.window_hours == 0 || split.window_hours > 24 * 366 {
        return bad(
            "split_consignments.window_hours",
            "a window lies within 1 hour and 366 days",
        );
    }
    if split.threshold.0 <= rust_decimal::Decimal::ZERO {
        return bad(
            "split_consignments.threshold",
            "the threshold is above zero",
        );
    }
    if !(2..=1_000_000).contains(&split.max_entries) {
        return bad(
            "split_consignments.max_entries",
            "the ledger holds 2 to 1000000 consignments",
        );
    }
    Ok(())
}

/// Rule `i`: a unique rule code (recorded in `codes`), a bounded weight, an action that is a
/// control (naming the agency it refers to), a reason and source, a valid condition.
fn check_rule<'r>(
    rule: &'r RiskRule,
    i: usize,
    codes: &mut std::collections::HashSet<&'r str>,
) -> Result<(), Error> {
    let bad = |field: &str, message: String| {
        Err(Error::at(
            ErrorCode::InvalidPack,
            format!("rules[{i}].{field}"),
            message,
        ))
    };
    if !code_ok(&rule.code) {
        return bad(
            "code",
            format!("{:?} is not a rule code R_[A-Z0-9_]+", rule.code),
        );
    }
    if !codes.insert(rule.code.as_str()) {
        return bad("code", format!("rule code {} is used twice", rule.code));
    }
    if !(-1000..=1000).contains(&rule.weight) {
        return bad("weight", "a weight lies within -1000..=1000".into());
    }
    match rule.action {
        Some(Decision::ImmediateRelease | Decision::ReleaseAfterPayment) => {
            return bad("action", "a rule can force a control, not a release".into())
        }
        Some(Decision::ReferToAgency) if rule.agency.as_deref().is_none_or(str::is_empty) => {
            return bad("agency", "refer_to_agency names the agency".into())
        }
        _ => {}
    }
    if rule.reason.trim().is_empty() || rule.source.trim().is_empty() {
        return bad("reason", "every rule gives its reason and source".into());
    }
    check_condition(&rule.when, &format!("rules[{i}].when"))
}
