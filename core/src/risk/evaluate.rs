//! Matching a profile's rules against one assessed consignment.

use rust_decimal::Decimal;
use std::sync::Arc;

use super::memo::CitedTexts;
use super::text::{Found as TextFound, Index, TextRules};
use super::{AeoParty, Condition, RiskProfile, RiskRule, ValueUnit};
use crate::declaration::{Declaration, Item, Nature};
use crate::message_text::Push;
use crate::release::Screened;
use crate::result::json::push_decimal;
use crate::timestamp::Timestamp;

/// Lower-case words separated by single spaces, with a space at each end, so that a keyword
/// `" parts "` matches whole words only ("spare parts", not "counterparts").
pub(crate) fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// Whether the consignment is a sale under one of `transactions` (default B2C): at least one
/// item is sold (nature `sale`). Registration duties concern sales, never a private gift,
/// sample or return.
fn is_sale(
    decl: &Declaration,
    transactions: &Option<Vec<crate::declaration::Transaction>>,
) -> bool {
    let covered = match transactions {
        Some(t) => t.contains(&decl.transaction),
        None => decl.transaction == crate::declaration::Transaction::B2C,
    };
    covered && decl.items.iter().any(|i| i.nature == Nature::Sale)
}

/// HS digits packed four bits each from the top of a `u64` (up to 16 digits), each digit as
/// its value plus one, so that the zero bits after the last digit match no digit: whether a
/// code starts with a prefix is then one mask and compare instead of a call to `memcmp`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Digits {
    bits: u64,
    /// The bits the digits occupy.
    mask: u64,
}

impl Digits {
    /// `None` for anything but 0 to 16 ASCII digits.
    pub(crate) fn pack(text: &str) -> Option<Digits> {
        if text.len() > 16 {
            return None;
        }
        let mut bits = 0u64;
        for (i, b) in text.bytes().enumerate() {
            let digit = b.wrapping_sub(b'0');
            if digit > 9 {
                return None;
            }
            bits |= u64::from(digit + 1) << (60 - 4 * i);
        }
        let mask = u64::MAX
            .checked_shl(64 - 4 * text.len() as u32)
            .unwrap_or(0);
        Some(Digits { bits, mask })
    }

    /// Whether these digits start with `prefix`'s.
    #[inline]
    pub(crate) fn starts_with(self, prefix: Digits) -> bool {
        (self.bits ^ prefix.bits) & prefix.mask == 0
    }
}

/// A rule's HS prefixes (or chapters) and countries, in forms compared without `memcmp`.
#[derive(Debug, Clone, Default, PartialEq)]
struct Prepared {
    /// The prefixes packed, in profile order; `None` if one is not all digits.
    prefixes: Option<Vec<Digits>>,
    /// ISO alpha-2 codes as two bytes (`u16::from_le_bytes`).
    countries: Vec<u16>,
    /// The rule's bit in [`CodeFacts::hs_rules`], for the first 64 rules with prefixes.
    bit: Option<u8>,
}

/// Every packed HS prefix of the profile, so that one look-up per prefix length finds the
/// rules (by bit) whose prefixes an item's HS code starts with.
#[derive(Debug, Clone, Default, PartialEq)]
struct HsTable {
    /// The mask of each prefix length in use.
    masks: Vec<u64>,
    /// `(prefix bits, rules)`.
    keys: Vec<(u64, u64)>,
    index: Index,
}

fn hs_hash(bits: u64) -> u64 {
    crate::hashing::spread(bits)
}

impl HsTable {
    /// Numbers the first 64 rules with packed prefixes and indexes their prefixes.
    fn new(prepared: &mut [Prepared]) -> HsTable {
        let mut rules: std::collections::HashMap<u64, u64> = std::collections::HashMap::new();
        let mut masks = Vec::new();
        let with_prefixes = prepared.iter_mut().filter(|p| p.prefixes.is_some());
        for (bit, p) in with_prefixes.take(64).enumerate() {
            p.bit = Some(bit as u8);
            for d in p.prefixes.iter().flatten() {
                *rules.entry(d.bits).or_default() |= 1 << bit;
                if !masks.contains(&d.mask) {
                    masks.push(d.mask);
                }
            }
        }
        let mut keys: Vec<(u64, u64)> = rules.into_iter().collect();
        crate::sort::sort(&mut keys);
        let index = Index::new(keys.iter().map(|(bits, _)| hs_hash(*bits)));
        HsTable { masks, keys, index }
    }

    /// The bits of the rules one of whose prefixes `hs` starts with.
    fn rules(&self, hs: Digits) -> u64 {
        let mut rules = 0;
        for mask in &self.masks {
            let key = hs.bits & mask;
            if let Some(e) = self.index.find(hs_hash(key), |e| self.keys[e].0 == key) {
                rules |= self.keys[e].1;
            }
        }
        rules
    }
}

impl Prepared {
    fn new(when: &Condition) -> Prepared {
        let pack = |p: &[String]| p.iter().map(|p| Digits::pack(p)).collect();
        let (prefixes, countries): (Option<&Vec<String>>, &[String]) = match when {
            Condition::HsPrefix(p) | Condition::Undervalued { hs_prefix: p, .. } => (Some(p), &[]),
            Condition::DescriptionChapter { chapters, .. } => (Some(chapters), &[]),
            Condition::Origin {
                countries,
                hs_prefix,
            } => (hs_prefix.as_ref(), countries),
            _ => (None, &[]),
        };
        Prepared {
            prefixes: prefixes.and_then(|p| pack(p)),
            countries: countries.iter().filter_map(|c| country(c)).collect(),
            bit: None,
        }
    }
}

/// A two-letter code as a `u16`; `None` (matching no code) for any other length.
fn country(code: &str) -> Option<u16> {
    match code.as_bytes() {
        &[a, b] => Some(u16::from_le_bytes([a, b])),
        _ => None,
    }
}

/// What a profile's rules look for, compiled once at load, so that screening costs no
/// searcher set-up and compares no strings it can compare as numbers.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Compiled {
    /// Each rule's code, and its agency, as the engine shares them: a release cites its
    /// thread's own copies ([`Compiled::cited`]).
    codes: Vec<Arc<str>>,
    agencies: Vec<Option<Arc<str>>>,
    /// The message of each rule whose message is always (or usually) the same
    /// ([`fixed_message`]).
    messages: Vec<Option<Arc<str>>>,
    text: TextRules,
    /// Each rule's prefixes and countries.
    prepared: Vec<Prepared>,
    hs: HsTable,
    /// Which rules a screening visits, when the profile has at most 64.
    gates: Option<Gates>,
    /// By rule, the parts of its hits' details that only the profile decides ([`parts`]),
    /// written once here natively (none in the WASM module, which writes them whole).
    parts: Vec<Vec<Box<str>>>,
    /// Names this compilation's entries in each thread's memo ([`super::memo`]).
    memo_id: MemoId,
    /// The score reason's message after `risk score N`, written once here (natively: in the
    /// WASM module, where a checkout assesses one declaration at a time, the release writes it
    /// whole and the module is some 900 bytes smaller).
    #[cfg(not(target_arch = "wasm32"))]
    score_tails: ScoreTails,
}

/// The score reason's message after its score (` reaches the inspection threshold of profile
/// EU-sample (documentary check 30, inspection 60)`) for each control a score can reach,
/// written when the profile is compiled ([`crate::release::score_tail`]), and the profile id
/// and thresholds it was written for: a release writes the score and one of these, not the
/// eight texts and three numbers again (issue 16).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone, Default, PartialEq)]
struct ScoreTails {
    id: String,
    thresholds: Option<super::Thresholds>,
    /// For a documentary check, an inspection and a hold.
    tails: [String; 3],
}

/// Slots of each thread's table of score messages ([`Compiled::score_message`]).
#[cfg(not(target_arch = "wasm32"))]
const SCORE_SLOTS: usize = 16;

/// A score reason's message as this thread shares it, and what it was written for.
#[cfg(not(target_arch = "wasm32"))]
struct ScoreMessage {
    /// The memo id of the compilation whose tail it ends with.
    owner: u64,
    score: i32,
    control: crate::release::Decision,
    text: Arc<str>,
}

#[cfg(not(target_arch = "wasm32"))]
thread_local! {
    /// This thread's score messages, one per slot (a newcomer replaces the slot's).
    static SCORE_MESSAGES: crate::per_thread::Slots<ScoreMessage> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// A number no other compilation of a profile has (0: none, for a profile not compiled), so
/// that a thread's memo never answers for another profile. Clones share it, as they are
/// equal; two compilations of the same rules are equal whatever their numbers.
#[derive(Debug, Clone, Copy, Default)]
struct MemoId(u64);

impl PartialEq for MemoId {
    fn eq(&self, _: &MemoId) -> bool {
        true
    }
}

impl MemoId {
    fn next() -> MemoId {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        MemoId(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }
}

/// The rules of a profile of at most 64 rules by bit (rule `i` is bit `i`), sorted by what
/// can make them hit, so that a screening visits only the rules that can: the ones no item's
/// HS code falls under and the text rules no description matched are never dispatched.
#[derive(Debug, Clone, Default, PartialEq)]
struct Gates {
    /// Rules visited whatever the consignment.
    always: u64,
    /// Rules that need an item under one of their HS prefixes.
    by_prefix: u64,
    /// For each bit of [`CodeFacts::hs_rules`], the rule bit of a rule in `by_prefix`, or 0.
    prefix_rule: Vec<u64>,
    /// Of `always`, the rules that hit only when a fact of the declaration holds (an AEO
    /// flag, the advance-data times, an unknown seller, the release category) ...
    gated: u64,
    /// ... and, for each [`Fact`], the rules of `gated` it lets through.
    on_fact: [u64; FACTS],
    /// The longest deadline of the advance-data-late rules, in seconds before arrival: a lead
    /// at least this long makes none of them hit ([`Fact::LeadShort`]).
    late_within: i64,
    /// Origin rules of every HS code, which need a goods item from one of their countries ...
    by_origin: u64,
    /// ... for each country of such a rule, the rules that list it.
    origins: Vec<(u16, u64)>,
    /// The length of the shortest name on a watch list: an ASCII name shorter than this is
    /// on none ([`eq_normalized`]).
    listed_min: usize,
}

/// Facts of a declaration some rules need before anything else: the rules that need one the
/// declaration does not show are not visited (on the EU profile six of the nine rules visited
/// on every declaration before; each visit cost about 100 instructions).
#[derive(Debug, Clone, Copy)]
enum Fact {
    CarrierAeo,
    SellerAeo,
    MarketplaceAeo,
    /// No lodging or no arrival time.
    TimesMissing,
    /// Both times, the advance data lodged less than [`Gates::late_within`] before arrival.
    LeadShort,
    /// No seller country and no registration.
    SellerUnknown,
    /// The seller's or marketplace's name is not too short for the watch lists
    /// ([`Gates::listed_min`]).
    MaybeListed,
    /// Release category 1; categories 2-4 follow.
    Category1,
}

/// The number of [`Fact`]s: categories 1 to 4 are four.
const FACTS: usize = Fact::Category1 as usize + 4;

impl Fact {
    /// The facts of which a rule needs one to hit, or `None` when it needs none of them.
    fn needed(when: &Condition) -> Option<Vec<usize>> {
        let fact = match when {
            Condition::Aeo(AeoParty::Carrier) => Fact::CarrierAeo,
            Condition::Aeo(AeoParty::Seller) => Fact::SellerAeo,
            Condition::Aeo(AeoParty::Marketplace) => Fact::MarketplaceAeo,
            Condition::AdvanceDataMissing {} => Fact::TimesMissing,
            Condition::AdvanceDataLate { .. } => Fact::LeadShort,
            Condition::SellerUnknown {} => Fact::SellerUnknown,
            Condition::PartyListed(_) => Fact::MaybeListed,
            // A category outside 1-4 (a profile the loader did not check) is left ungated.
            Condition::Category(c) if c.iter().all(|c| (1..=4).contains(c)) => {
                let first = Fact::Category1 as usize;
                return Some(c.iter().map(|c| first + usize::from(*c) - 1).collect());
            }
            _ => return None,
        };
        Some(vec![fact as usize])
    }

    /// The rules of `gates.gated` the facts of this declaration let through.
    #[inline]
    fn admitted(gates: &Gates, decl: &Declaration, category: u8) -> u64 {
        let on = |fact: Fact, holds: bool| {
            gates.on_fact[fact as usize] & 0u64.wrapping_sub(u64::from(holds))
        };
        let (times, short) = match (decl.lodged_at, decl.arrival_at) {
            (Some(lodged), Some(arrival)) => {
                (true, lodged.seconds_until(arrival) < gates.late_within)
            }
            _ => (false, false),
        };
        let seller = &decl.seller;
        let mut rules = on(
            Fact::CarrierAeo,
            decl.carrier.as_ref().is_some_and(|c| c.aeo),
        ) | on(Fact::SellerAeo, seller.aeo)
            | on(
                Fact::MarketplaceAeo,
                decl.marketplace.as_ref().is_some_and(|m| m.aeo),
            )
            | on(Fact::TimesMissing, !times)
            | on(Fact::LeadShort, short)
            | on(
                Fact::SellerUnknown,
                seller.country.is_none() && seller.registrations.is_empty(),
            );
        if gates.on_fact[Fact::MaybeListed as usize] != 0 {
            // As `eq_normalized` answers: normalizing never lengthens an ASCII name.
            let maybe = |name: &str| name.len() >= gates.listed_min || !name.is_ascii();
            let listed =
                maybe(&seller.name) || decl.marketplace.as_ref().is_some_and(|m| maybe(&m.name));
            rules |= on(Fact::MaybeListed, listed);
        }
        if (1..=4).contains(&category) {
            rules |= gates.on_fact[Fact::Category1 as usize + usize::from(category) - 1];
        }
        rules
    }
}

impl Gates {
    fn new(profile: &RiskProfile, prepared: &[Prepared], text: &TextRules) -> Option<Gates> {
        if profile.rules.len() > 64 {
            return None;
        }
        let mut gates = Gates {
            prefix_rule: vec![0; 64],
            listed_min: usize::MAX,
            ..Gates::default()
        };
        for (i, rule) in profile.rules.iter().enumerate() {
            let bit = 1u64 << i;
            match &rule.when {
                Condition::AdvanceDataLate {
                    hours_before_arrival,
                } => {
                    let deadline = i64::from(*hours_before_arrival) * 3600;
                    gates.late_within = gates.late_within.max(deadline);
                }
                Condition::PartyListed(names) => {
                    let shortest = names.iter().map(String::len).min();
                    gates.listed_min = gates.listed_min.min(shortest.unwrap_or(usize::MAX));
                }
                _ => {}
            }
            match (prepared[i].bit, text.slot_of[i]) {
                (Some(b), _) if by_prefix(&rule.when) => {
                    gates.by_prefix |= bit;
                    gates.prefix_rule[usize::from(b)] = bit;
                }
                (_, slot) if slot != super::text::NONE => {}
                _ if by_origin(&rule.when, &prepared[i]) => {
                    gates.by_origin |= bit;
                    for &c in &prepared[i].countries {
                        match gates.origins.iter_mut().find(|(country, _)| *country == c) {
                            Some((_, rules)) => *rules |= bit,
                            None => gates.origins.push((c, bit)),
                        }
                    }
                }
                _ => {
                    gates.always |= bit;
                    if let Some(facts) = Fact::needed(&rule.when) {
                        gates.gated |= bit;
                        facts.into_iter().for_each(|f| gates.on_fact[f] |= bit);
                    }
                }
            }
        }
        Some(gates)
    }

    /// The rules worth visiting: the rules visited always, the rules with a prefix some
    /// item's HS code starts with (all of them if an HS code could not be packed), the origin
    /// rules of some item's country and the text rules that matched.
    fn candidates(
        &self,
        screened: &Screened<'_>,
        items: &Items,
        text: &[TextFound],
        rule_of: &[u32],
    ) -> u64 {
        let mut rules = (self.always & !self.gated) | items.origin_rules;
        if self.gated != 0 {
            rules |= Fact::admitted(self, screened.decl, screened.category);
        }
        match items.hs_rules {
            Some(mut hs) => {
                while hs != 0 {
                    rules |= self.prefix_rule[hs.trailing_zeros() as usize];
                    hs &= hs - 1;
                }
            }
            None => rules |= self.by_prefix,
        }
        for (found, &rule) in text.iter().zip(rule_of) {
            if found.matched() {
                rules |= 1 << rule;
            }
        }
        rules
    }
}

impl Gates {
    /// The origin rules that list the country of origin `origin`.
    #[inline]
    fn origin_rules(&self, origin: &str) -> u64 {
        match country(origin) {
            Some(c) => (self.origins.iter())
                .filter(|(country, _)| *country == c)
                .fold(0, |all, (_, r)| all | r),
            None => 0,
        }
    }
}

/// Whether a rule hits only through a goods item from one of its countries, whatever its HS
/// code, and its countries are all codes ([`Prepared::countries`]): gated by country.
fn by_origin(when: &Condition, prepared: &Prepared) -> bool {
    matches!(when, Condition::Origin { countries, hs_prefix: None }
        if prepared.countries.len() == countries.len())
}

/// Whether a rule hits only through an item under one of its HS prefixes.
fn by_prefix(when: &Condition) -> bool {
    matches!(
        when,
        Condition::HsPrefix(_) | Condition::Undervalued { .. } | Condition::Origin { .. }
    )
}

impl Compiled {
    /// The code, agency and fixed message of rule `index` (`rule`) as a release cites them:
    /// this thread's copies of the compiled texts (`per_thread`), remembered in its `memo`
    /// when there is one, or new ones (and no message) for a profile not compiled.
    fn cited_in(
        &self,
        memo: Option<&mut super::memo::Memo<CodeFacts>>,
        index: usize,
        rule: &RiskRule,
    ) -> CitedTexts {
        let texts = (self.codes.get(index), self.agencies.get(index));
        match (texts, self.messages.get(index)) {
            ((Some(code), Some(agency)), Some(message)) => {
                let copies = || CitedTexts {
                    code: crate::per_thread::text(code),
                    agency: agency.as_ref().map(crate::per_thread::text),
                    message: message.as_ref().map(crate::per_thread::text),
                };
                match (self.memo_id.0, memo) {
                    (0, _) | (_, None) => copies(),
                    (owner, Some(memo)) => memo.cited(owner, index, copies),
                }
            }
            _ => CitedTexts {
                code: Arc::from(rule.code.as_str()),
                agency: rule.agency.as_deref().map(Arc::from),
                message: None,
            },
        }
    }

    pub(crate) fn new(profile: &RiskProfile) -> Compiled {
        let mut prepared: Vec<Prepared> = profile
            .rules
            .iter()
            .map(|r| Prepared::new(&r.when))
            .collect();
        let hs = HsTable::new(&mut prepared);
        let text = TextRules::new(profile);
        Compiled {
            gates: Gates::new(profile, &prepared, &text),
            memo_id: MemoId::next(),
            codes: (profile.rules.iter())
                .map(|r| Arc::from(r.code.as_str()))
                .collect(),
            agencies: (profile.rules.iter())
                .map(|r| r.agency.as_deref().map(Arc::from))
                .collect(),
            messages: profile.rules.iter().map(fixed_message).collect(),
            parts: profile.rules.iter().map(parts).collect(),
            hs,
            text,
            prepared,
            #[cfg(not(target_arch = "wasm32"))]
            score_tails: ScoreTails::of(profile),
        }
    }

    /// The score reason's message after the score, for a score that reaches `control`, as
    /// [`crate::release::score_tail`] writes it for `profile` (`None` if the profile's id or
    /// thresholds are not those it was compiled with, or for another control).
    #[cfg(not(target_arch = "wasm32"))]
    #[inline]
    pub(crate) fn score_tail(
        &self,
        profile: &RiskProfile,
        control: crate::release::Decision,
    ) -> Option<&str> {
        use crate::release::Decision;
        let t = &self.score_tails;
        let i = match control {
            Decision::DocumentaryCheck => 0,
            Decision::Inspection => 1,
            Decision::Hold => 2,
            _ => return None,
        };
        let same = t.thresholds.as_ref() == Some(&profile.thresholds)
            && crate::hashing::same_text(t.id.as_bytes(), profile.id.as_bytes());
        same.then(|| t.tails[i].as_str())
    }

    /// The score reason's whole message (`risk score 30 reaches …`) for `score` and `control`,
    /// shared: this thread's copy, remembered per compilation, score and control, or `None`
    /// where [`Compiled::score_tail`] has no tail. A stream's scores are few (the harness's
    /// records reach 30, 60 or 70), and writing the score and the 100-byte tail into each
    /// release cost some 90 instructions a record (issue 16).
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn score_message(
        &self,
        profile: &RiskProfile,
        control: crate::release::Decision,
        score: i32,
    ) -> Option<Arc<str>> {
        let tail = self.score_tail(profile, control)?;
        let owner = self.memo_id.0;
        let at = (score as u32).wrapping_add(control as u32 * 7) as usize;
        let found = crate::per_thread::with_slot(&SCORE_MESSAGES, SCORE_SLOTS, at, |slot| {
            match slot {
                Some(m) if m.owner == owner && m.score == score && m.control == control => {}
                _ => {
                    let mut text = String::with_capacity(24 + tail.len());
                    text.push_str("risk score ");
                    crate::message_text::push_i32(&mut text, score);
                    text.push_str(tail);
                    *slot = Some(ScoreMessage {
                        owner,
                        score,
                        control,
                        text: Arc::from(text),
                    });
                }
            }
            slot.as_ref().map(|m| Arc::clone(&m.text))
        });
        found.flatten()
    }

    /// No score tails are kept in the WASM module: the release writes the whole message.
    #[cfg(target_arch = "wasm32")]
    #[inline]
    pub(crate) fn score_tail(&self, _: &RiskProfile, _: crate::release::Decision) -> Option<&str> {
        None
    }

    /// Whether this was compiled from `profile`'s rules: a profile's rules change only through
    /// [`RiskProfile::set_rules`], which compiles them, so a compilation of as many rules is
    /// of these; a profile deserialized by hand, not through [`RiskProfile::from_json`], has
    /// an empty one.
    fn fits(&self, profile: &RiskProfile) -> bool {
        self.prepared.len() == profile.rules.len() && self.text.slot_of.len() == profile.rules.len()
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl ScoreTails {
    fn of(profile: &RiskProfile) -> ScoreTails {
        use crate::release::Decision;
        let tail = |control| {
            let mut tail = String::new();
            crate::release::score_tail(&mut tail, control, &profile.id, &profile.thresholds);
            tail
        };
        ScoreTails {
            id: profile.id.clone(),
            thresholds: Some(profile.thresholds.clone()),
            tails: [
                Decision::DocumentaryCheck,
                Decision::Inspection,
                Decision::Hold,
            ]
            .map(tail),
        }
    }
}

/// The message of every hit of `rule`, when its detail does not depend on the declaration
/// (an AEO flag, a single release category), written once here as a release writes it:
/// `reason: detail`. For missing advance data, the message of its usual hit, no lodging time
/// ([`fixed_fits`] tells the other one, no arrival time, apart): every record of the issue's
/// harness and of the pre-parsed benchmark wrote those 130-odd bytes anew (issue 16).
fn fixed_message(rule: &RiskRule) -> Option<Arc<str>> {
    let detail = match &rule.when {
        Condition::Aeo(party) => Detail::Text(aeo_field(*party).1),
        Condition::Category(c) if c.len() == 1 => Detail::Category(c[0]),
        Condition::AdvanceDataMissing {} => Detail::Text(NO_LODGING_TIME),
        _ => return None,
    };
    let mut message = String::new();
    message.push_str(&rule.reason);
    message.push_str(": ");
    detail.write(&mut message);
    Some(Arc::from(message))
}

/// The parts of a rule's hit details that depend only on the profile, as [`Detail::write`]
/// writes them: for a description/chapter rule, the head of each keyword's detail
/// (`description names "phone", goods of HS 8471/8517, but HS `); for an unregistered seller,
/// the head before the intrinsic value; for undervaluation, the tail after the figure
/// (` per unit, below the reference minimum 30.00 per unit`). A hit wrote them piece by piece,
/// the lists joined and the minimum's digits each time: some 200 instructions a hit of these
/// rules, which two in five of the harness's records have (issue 16). Natively only.
fn parts(rule: &RiskRule) -> Vec<Box<str>> {
    if cfg!(target_arch = "wasm32") {
        return Vec::new();
    }
    let written = |write: &dyn Fn(&mut String)| {
        let mut part = String::new();
        write(&mut part);
        part.into_boxed_str()
    };
    match &rule.when {
        Condition::DescriptionChapter { keywords, chapters } => (keywords.iter())
            .map(|k| written(&|out| chapter_head(out, k, chapters)))
            .collect(),
        Condition::SellerUnregistered { schemes, .. } => {
            vec![written(&|out| unregistered_head(out, schemes))]
        }
        Condition::Undervalued { per, minimum, .. } => {
            vec![written(&|out| {
                undervalued_tail(out, unit_name(*per), minimum.0)
            })]
        }
        _ => Vec::new(),
    }
}

/// Whether the fixed message of a rule with condition `when` ([`fixed_message`]) is the one
/// of its hit on `decl`: always, but for missing advance data, whose fixed message says that
/// no lodging time is declared.
#[inline]
fn fixed_fits(when: &Condition, decl: &Declaration) -> bool {
    !matches!(when, Condition::AdvanceDataMissing {}) || decl.lodged_at.is_none()
}

/// The detail of missing advance data when no lodging time is declared.
const NO_LODGING_TIME: &str = "no lodging time of the advance data is declared";

/// What the prefix tests read of an HS code: whether it is packed ([`Digits`]) and the
/// rules (by [`Prepared::bit`]) one of whose prefixes it starts with. A thread remembers it
/// per code ([`super::memo`]).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct CodeFacts {
    hs_rules: u64,
    /// Not 0-16 digits: compared as text, by every prefix rule.
    text: bool,
}

impl CodeFacts {
    fn of(hs: &str, table: &HsTable) -> CodeFacts {
        match Digits::pack(hs) {
            Some(digits) => CodeFacts {
                hs_rules: table.rules(digits),
                text: false,
            },
            None => CodeFacts {
                hs_rules: 0,
                text: true,
            },
        }
    }
}

/// What the gates read of the items together, worked out in one pass over them.
#[derive(Debug, Clone, Copy, Default)]
struct Items {
    /// The rule bits of every item's HS code together ([`CodeFacts::hs_rules`]), when every
    /// code is packed: a rule with a bit outside it hits no item.
    hs_rules: Option<u64>,
    /// The origin rules ([`Gates::by_origin`]) listing the country of some item.
    origin_rules: u64,
}

/// The index of the first of `prefixes` (packed as `prepared`) the item's HS code starts
/// with: packed digits compared as numbers, any other code or prefix as text.
#[inline]
fn under(item: &Item, prefixes: &[String], prepared: &Prepared) -> Option<usize> {
    let hs = item.hs_code.as_deref()?;
    match (&prepared.prefixes, Digits::pack(hs)) {
        (Some(packed), Some(hs)) => packed.iter().position(|p| hs.starts_with(*p)),
        _ => prefixes.iter().position(|p| hs.starts_with(p.as_str())),
    }
}

/// Where a hit points: the JSON path of the field that made it hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Path {
    None,
    /// `items[i].field`.
    Item(usize, ItemField),
    Field(&'static str),
}

/// The fields of an item a rule's hit points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ItemField {
    HsCode,
    Description,
    Value,
    Origin,
}

impl ItemField {
    fn name(self) -> &'static str {
        match self {
            ItemField::HsCode => "hs_code",
            ItemField::Description => "description",
            ItemField::Value => "value",
            ItemField::Origin => "origin",
        }
    }
}

/// The paths of the first items' fields, made when the program is built: a hit on an item
/// (two in five of the harness's records) wrote `items[i].field` digit by digit, some 200
/// instructions (issue 16). Native only: in the WASM module the table would cost its bytes.
#[cfg(not(target_arch = "wasm32"))]
static ITEM_PATHS: [[crate::declaration::Text; 4]; 8] = {
    macro_rules! paths {
        ($($i:literal)*) => {
            [$([
                crate::declaration::Text::const_new(concat!("items[", $i, "].hs_code")),
                crate::declaration::Text::const_new(concat!("items[", $i, "].description")),
                crate::declaration::Text::const_new(concat!("items[", $i, "].value")),
                crate::declaration::Text::const_new(concat!("items[", $i, "].origin")),
            ]),*]
        };
    }
    paths!(0 1 2 3 4 5 6 7)
};

impl Path {
    /// The path as a result carries it.
    pub(crate) fn to_path(self) -> Option<crate::declaration::Text> {
        match self {
            Path::None => None,
            Path::Field(field) => Some(crate::declaration::Text::const_new(field)),
            Path::Item(i, field) => {
                #[cfg(not(target_arch = "wasm32"))]
                if let Some(paths) = ITEM_PATHS.get(i) {
                    return Some(paths[field as usize].clone());
                }
                Some(crate::message_text::item_path(i, field.name()))
            }
        }
    }
}

/// What was found, with the figures: written out only for the rules that hit.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Detail<'p, 'd> {
    Text(&'static str),
    HsUnder {
        hs: &'d str,
        prefix: &'p str,
    },
    Keyword {
        description: &'d str,
        keyword: &'p str,
    },
    Vague {
        description: &'d str,
    },
    Chapter {
        keyword: &'p str,
        chapters: &'p [String],
        hs: &'d str,
        /// [`chapter_head`] of the keyword and chapters, when compiled ([`parts`]).
        head: Option<&'p str>,
    },
    Undervalued {
        prefix: &'p str,
        per_unit: Decimal,
        /// What the figure is per (a unit, not its name: the detail stays as small as it was
        /// before its compiled tail).
        per: ValueUnit,
        minimum: Decimal,
        /// [`undervalued_tail`] of the unit and minimum, when compiled ([`parts`]).
        tail: Option<&'p str>,
    },
    Unregistered {
        schemes: &'p [String],
        intrinsic: Decimal,
        /// [`unregistered_head`] of the schemes, when compiled ([`parts`]).
        head: Option<&'p str>,
    },
    SellerUnknown {
        name: &'d str,
    },
    Listed {
        party: &'static str,
        name: &'d str,
    },
    Late {
        lodged: Timestamp,
        arrival: Timestamp,
        lead: i64,
        hours: u32,
    },
    Category(u8),
    Origin(&'d str),
}

impl Detail<'_, '_> {
    /// Appends the detail to `out`. The details are put together by hand: `core::fmt`,
    /// `Decimal`'s and `Timestamp`'s `Display` cost more than the screening itself (issue 16).
    /// Quoted text is written as `{:?}` writes it ([`push_quoted`]).
    pub(crate) fn write<P: Push>(&self, out: &mut P) {
        let push_all = |out: &mut P, parts: &[&str]| parts.iter().for_each(|p| out.push_str(p));
        match *self {
            Detail::Text(text) => out.push_str(text),
            Detail::HsUnder { hs, prefix } => push_all(out, &["HS ", hs, " is under ", prefix]),
            Detail::Keyword {
                description,
                keyword,
            } => {
                out.push_str("description ");
                push_quoted(out, description);
                out.push_str(" names ");
                push_quoted(out, keyword);
            }
            Detail::Vague { description } => {
                out.push_str("description ");
                push_quoted(out, description);
                out.push_str(" does not say what the goods are");
            }
            Detail::Chapter {
                keyword,
                chapters,
                hs,
                head,
            } => {
                match head {
                    Some(head) => out.push_str(head),
                    None => chapter_head(out, keyword, chapters),
                }
                push_all(out, &[hs, " is declared"]);
            }
            Detail::Undervalued {
                prefix,
                per_unit,
                per,
                minimum,
                tail,
            } => {
                push_all(out, &["HS ", prefix, ": declared "]);
                // `round_dp(2)`'s half-to-even rounding, in integers (`exact::round_dp`, the
                // same bits): about 200 instructions fewer an undervalued item.
                let shown = crate::exact::round_dp(
                    per_unit,
                    2,
                    rust_decimal::RoundingStrategy::MidpointNearestEven,
                );
                push_decimal(out, shown);
                match tail {
                    Some(tail) => out.push_str(tail),
                    None => undervalued_tail(out, unit_name(per), minimum),
                }
            }
            Detail::Unregistered {
                schemes,
                intrinsic,
                head,
            } => {
                match head {
                    Some(head) => out.push_str(head),
                    None => unregistered_head(out, schemes),
                }
                push_decimal(out, intrinsic);
                out.push(')');
            }
            Detail::SellerUnknown { name } => {
                out.push_str("seller ");
                push_quoted(out, name);
                out.push_str(" declares no country and no registration");
            }
            Detail::Listed { party, name } => {
                push_all(out, &[party, " "]);
                push_quoted(out, name);
                out.push_str(" is on the watch list");
            }
            Detail::Late {
                lodged,
                arrival,
                lead,
                hours,
            } => late(out, lodged, arrival, lead, hours),
            Detail::Category(c) => {
                out.push_str("release category ");
                crate::message_text::push_u64(out, u64::from(c));
            }
            Detail::Origin(origin) => push_all(out, &["origin ", origin]),
        }
    }
}

/// A description/chapter detail up to the HS code: `description names "phone", goods of HS
/// 8471/8517, but HS `.
fn chapter_head(out: &mut impl Push, keyword: &str, chapters: &[String]) {
    out.push_str("description names ");
    push_quoted(out, keyword);
    out.push_str(", goods of HS ");
    push_joined(out, chapters);
    out.push_str(", but HS ");
}

/// An unregistered seller's detail up to the intrinsic value.
fn unregistered_head(out: &mut impl Push, schemes: &[String]) {
    out.push_str("no ");
    push_joined(out, schemes);
    out.push_str(" registration is declared by the seller or marketplace (intrinsic value ");
}

/// An undervaluation detail after the value per unit: ` per unit, below the reference minimum
/// 30.00 per unit`.
fn undervalued_tail(out: &mut impl Push, unit: &str, minimum: Decimal) {
    out.push_str(" per ");
    out.push_str(unit);
    out.push_str(", below the reference minimum ");
    push_decimal(out, minimum);
    out.push_str(" per ");
    out.push_str(unit);
}

/// What an undervaluation's figure is per, as its detail says.
fn unit_name(per: ValueUnit) -> &'static str {
    match per {
        ValueUnit::Unit => "unit",
        ValueUnit::Kg => "kg",
    }
}

/// `lodged …, arrival …: …h.. before arrival, the deadline is … h`.
fn late(out: &mut impl Push, lodged: Timestamp, arrival: Timestamp, lead: i64, hours: u32) {
    out.push_str("lodged ");
    push_timestamp(out, lodged);
    out.push_str(", arrival ");
    push_timestamp(out, arrival);
    out.push_str(": ");
    push_lead(out, lead);
    out.push_str(" before arrival, the deadline is ");
    crate::message_text::push_u64(out, u64::from(hours));
    out.push_str(" h");
}

/// `parts` joined by `/`.
fn push_joined(out: &mut impl Push, parts: &[String]) {
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(part);
    }
}

/// `text` as `{:?}` writes it: in quotes, as it is when every byte is printable ASCII other
/// than `"` and `\`, else through `core::fmt` (which escapes those and more).
fn push_quoted(out: &mut impl Push, text: &str) {
    if text
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\')
    {
        out.push('"');
        out.push_str(text);
        out.push('"');
    } else {
        // Writing to a String or a Message cannot fail.
        let _ = write!(out, "{text:?}");
    }
}

/// Two decimal digits of `n` (0-99).
fn push_two(out: &mut impl Push, n: i64) {
    out.push(char::from(b'0' + (n / 10 % 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// `t` as its `Display` writes it (`2026-01-30T10:00:00Z`), by hand for years 0-9999.
fn push_timestamp(out: &mut impl Push, t: Timestamp) {
    let seconds = t.unix_seconds();
    let (days, secs) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (y, m, d) = crate::date::civil_from_days(days);
    if !(0..=9999).contains(&y) {
        // Writing to a String or a Message cannot fail.
        let _ = write!(out, "{t}");
        return;
    }
    push_two(out, y / 100);
    push_two(out, y % 100);
    for (sep, n) in [
        ('-', m),
        ('-', d),
        ('T', secs / 3600),
        (':', secs / 60 % 60),
        (':', secs % 60),
    ] {
        out.push(sep);
        push_two(out, n);
    }
    out.push('Z');
}

/// A lead time as `[-]HhMM` (`4h01`, `-0h30`).
fn push_lead(out: &mut impl Push, seconds: i64) {
    if seconds < 0 {
        out.push('-');
    }
    let s = seconds.unsigned_abs();
    crate::message_text::push_u64(out, s / 3600);
    out.push('h');
    push_two(out, (s / 60 % 60) as i64);
}

impl std::fmt::Display for Detail<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A `Message`, as the release reasons' (one copy of the writers in the binary).
        let mut text = crate::result::Message::new();
        self.write(&mut text);
        f.write_str(&text)
    }
}

/// One rule that hit.
#[derive(Debug)]
pub(crate) struct Hit<'p, 'd> {
    /// The rule.
    pub rule: &'p RiskRule,
    /// JSON path of the field that made it hit.
    pub path: Path,
    /// What was found, with the figures.
    pub detail: Detail<'p, 'd>,
}

/// The path and detail of what made a rule hit.
type Found<'p, 'd> = (Path, Detail<'p, 'd>);

/// What one screening reads: the consignment, the compiled rules, what the gates read of the
/// items and where each text rule matched.
struct Ctx<'p, 'd, 's> {
    screened: &'s Screened<'d>,
    decl: &'d Declaration,
    compiled: &'s Compiled,
    /// The profile's own [`Compiled::parts`] (none for a compilation made for one screening).
    parts: &'p [Vec<Box<str>>],
    /// [`Items::hs_rules`].
    hs_rules: Option<u64>,
    text: &'s [TextFound],
}

/// Up to this many text rules, what they found lives on the stack.
const ON_STACK: usize = 8;

/// Calls `emit` with every rule of `profile` that hits the screened consignment, in profile
/// order, and the texts its release reason cites ([`Compiled::cited_in`]). `emit` is a type parameter, not `dyn FnMut`, and the hit is lent: a hit moved
/// through a dynamic call was copied whole on both sides of it (issue 16); release decisions
/// are its one caller.
#[inline(never)] // a stage of its own in profiles (scripts/bench-instructions.sh)
pub(crate) fn evaluate<'p, 'd>(
    profile: &'p RiskProfile,
    screened: &Screened<'d>,
    mut emit: impl FnMut(&Hit<'p, 'd>, CitedTexts),
) {
    let owned;
    let compiled = if profile.compiled.fits(profile) {
        &profile.compiled
    } else {
        owned = Compiled::new(profile);
        &owned
    };
    // This thread's memo, for the items' pass and the hits' texts, taken once.
    super::memo::with(|mut memo| {
        let decl = screened.decl;
        let slots = compiled.text.slots;
        let (mut text_stack, mut text_heap) = ([TextFound::NOT; ON_STACK], Vec::new());
        let text: &mut [TextFound] = if slots <= ON_STACK {
            &mut text_stack[..slots]
        } else {
            text_heap.resize(slots, TextFound::NOT);
            &mut text_heap
        };
        let items = read_items(profile, compiled, decl, text, memo.as_deref_mut());
        let parts: &'p [Vec<Box<str>>] = if std::ptr::eq(compiled, &profile.compiled) {
            &profile.compiled.parts
        } else {
            &[]
        };
        let ctx = Ctx {
            screened,
            decl,
            compiled,
            parts,
            hs_rules: items.hs_rules,
            text,
        };
        let mut hit = |index: usize, rule: &'p RiskRule| {
            if let Some((path, detail)) = ctx.matches(index, rule) {
                let mut cited = profile.compiled.cited_in(memo.as_deref_mut(), index, rule);
                if cited.message.is_some() && !fixed_fits(&rule.when, decl) {
                    cited.message = None;
                }
                let hit = Hit { rule, path, detail };
                emit(&hit, cited);
            }
        };
        #[cfg(test)]
        let gates = compiled.gates.as_ref().filter(|_| !tests::UNGATED.get());
        #[cfg(not(test))]
        let gates = compiled.gates.as_ref();
        match gates {
            Some(gates) => {
                let rule_of = &compiled.text.rule_of;
                let mut rules = gates.candidates(screened, &items, ctx.text, rule_of);
                while rules != 0 {
                    let index = rules.trailing_zeros() as usize;
                    rules &= rules - 1;
                    if let Some(rule) = profile.rules.get(index) {
                        hit(index, rule);
                    }
                }
            }
            None => {
                for (index, rule) in profile.rules.iter().enumerate() {
                    hit(index, rule);
                }
            }
        }
    })
}

/// In one pass over the items, what the gates read of them and what the text rules find in
/// the descriptions, from this thread's memo when `compiled` is the profile's own.
fn read_items(
    profile: &RiskProfile,
    compiled: &Compiled,
    decl: &Declaration,
    text: &mut [TextFound],
    memo: Option<&mut super::memo::Memo<CodeFacts>>,
) -> Items {
    #[cfg(test)]
    let owner = compiled.memo_id.0 * u64::from(!tests::UNGATED.get());
    #[cfg(not(test))]
    let owner = compiled.memo_id.0;
    // The memo of a profile compiled for this screening alone would only be filled.
    let owner = if std::ptr::eq(compiled, &profile.compiled) {
        owner
    } else {
        0
    };
    let by_origin = compiled.gates.as_ref().filter(|g| g.by_origin != 0);
    let applies = |slot: u32, i: usize| chapter_applies(profile, compiled, slot, &decl.items[i]);
    {
        let mut memo = memo.filter(|_| owner != 0).map(|m| (m, owner));
        let (mut hs_rules, mut packed, mut origin_rules) = (0, true, 0);
        for (i, item) in decl.items.iter().enumerate() {
            // A goods item's description, when there are text rules and a memo to look it up
            // in (without a memo the descriptions are scanned below).
            let description =
                (memo.is_some() && !text.is_empty() && item.nature != Nature::Document)
                    .then_some(item.description.as_str());
            let facts = |hs| CodeFacts::of(hs, &compiled.hs);
            let (code, hits) = match (item.hs_code.as_deref(), &mut memo) {
                // One look-up for the code and the description together.
                (Some(hs), Some((memo, owner))) => {
                    memo.item(*owner, &compiled.text, hs, description, || facts(hs))
                }
                (None, Some((memo, owner))) => match description {
                    Some(d) => (
                        CodeFacts::default(),
                        memo.description(*owner, &compiled.text, d),
                    ),
                    None => (CodeFacts::default(), &[][..]),
                },
                (Some(hs), None) => (facts(hs), &[][..]),
                (None, None) => (CodeFacts::default(), &[][..]),
            };
            hs_rules |= code.hs_rules;
            packed &= !code.text;
            TextRules::merge(hits, i, &applies, text);
            if let (Some(gates), Some(origin)) = (by_origin, item.origin.as_deref()) {
                origin_rules |= gates.origin_rules(origin);
            }
        }
        if memo.is_none() {
            compiled.text.scan(decl, &applies, text);
        }
        Items {
            hs_rules: packed.then_some(hs_rules),
            origin_rules,
        }
    }
}

/// Whether the description/chapter rule in text slot `slot` may hit `item`: the item's HS
/// code is outside the rule's chapters.
fn chapter_applies(profile: &RiskProfile, compiled: &Compiled, slot: u32, item: &Item) -> bool {
    let Some(&rule) = compiled.text.rule_of.get(slot as usize) else {
        return false;
    };
    let rule = rule as usize;
    match &profile.rules[rule].when {
        Condition::DescriptionChapter { chapters, .. } => {
            item.hs_code.is_some() && under(item, chapters, &compiled.prepared[rule]).is_none()
        }
        _ => true,
    }
}

/// The goods items (not documents) with their indices.
fn goods(decl: &Declaration) -> impl Iterator<Item = (usize, &Item)> {
    decl.items
        .iter()
        .enumerate()
        .filter(|(_, i)| i.nature != Nature::Document)
}

impl<'p, 'd> Ctx<'p, 'd, '_> {
    /// Whether rule `index` hits; the path and detail of the first item or party that made it.
    fn matches(&self, index: usize, rule: &'p RiskRule) -> Option<Found<'p, 'd>> {
        let decl = self.decl;
        if let (Some(all), Some(bit)) = (self.hs_rules, self.compiled.prepared[index].bit) {
            if by_prefix(&rule.when) && all & 1 << bit == 0 {
                return None;
            }
        }
        match &rule.when {
            Condition::HsPrefix(prefixes) => goods(decl).find_map(|(i, item)| {
                let p = under(item, prefixes, &self.compiled.prepared[index])?;
                let hs = item.hs_code.as_deref().unwrap_or_default();
                let detail = Detail::HsUnder {
                    hs,
                    prefix: &prefixes[p],
                };
                Some((Path::Item(i, ItemField::HsCode), detail))
            }),
            Condition::Keyword(_)
            | Condition::VagueDescription(_)
            | Condition::DescriptionChapter { .. } => {
                let slot = *self.compiled.text.slot_of.get(index)?;
                let found = self.text.get(slot as usize)?.get()?;
                text_condition(&rule.when, decl, found, self.parts(index))
            }
            Condition::Undervalued {
                hs_prefix,
                per,
                minimum,
            } => {
                let tail = self.parts(index).first().map(|t| &**t);
                self.undervalued(index, hs_prefix, *per, minimum.0, tail)
            }
            Condition::SellerUnregistered {
                schemes,
                max_value,
                transactions,
            } => {
                let max_value = max_value.map(|m| m.0);
                let head = self.parts(index).first().map(|h| &**h);
                seller_unregistered(self.screened, schemes, max_value, transactions, head)
            }
            Condition::SellerUnknown {} => {
                (decl.seller.country.is_none() && decl.seller.registrations.is_empty()).then(|| {
                    let name = decl.seller.name.as_str();
                    (Path::Field("seller"), Detail::SellerUnknown { name })
                })
            }
            Condition::PartyListed(names) => party_listed(decl, names),
            Condition::Origin {
                countries,
                hs_prefix,
            } => self.origin(index, countries, hs_prefix.as_deref()),
            Condition::Aeo(party) => aeo(decl, *party),
            Condition::AdvanceDataMissing {} | Condition::AdvanceDataLate { .. } => {
                advance_data(&rule.when, decl)
            }
            Condition::Category(categories) => {
                let category = self.screened.category;
                categories
                    .contains(&category)
                    .then_some((Path::None, Detail::Category(category)))
            }
        }
    }

    /// Rule `index`'s [`Compiled::parts`], looked up only by the rules that have them.
    #[inline]
    fn parts(&self, index: usize) -> &'p [Box<str>] {
        self.parts.get(index).map_or(&[], |p| &p[..])
    }

    /// The first goods item from one of `countries` (under `hs_prefix`, when given).
    fn origin(
        &self,
        index: usize,
        countries: &[String],
        hs_prefix: Option<&[String]>,
    ) -> Option<Found<'p, 'd>> {
        let prepared = &self.compiled.prepared[index];
        goods(self.decl).find_map(|(i, item)| {
            let origin = item.origin.as_deref()?;
            // Every country of a loaded profile is two letters, so the codes decide; text is
            // compared only for a profile the loader did not check.
            let listed = if prepared.countries.len() == countries.len() {
                country(origin).is_some_and(|c| prepared.countries.contains(&c))
            } else {
                countries.iter().any(|c| c == origin)
            };
            if !listed {
                return None;
            }
            if let Some(p) = hs_prefix {
                under(item, p, prepared)?;
            }
            Some((Path::Item(i, ItemField::Origin), Detail::Origin(origin)))
        })
    }

    /// The first goods item under `hs_prefix` declared below `minimum` per unit or per kg.
    fn undervalued(
        &self,
        index: usize,
        hs_prefix: &'p [String],
        per: ValueUnit,
        minimum: Decimal,
        tail: Option<&'p str>,
    ) -> Option<Found<'p, 'd>> {
        let prepared = &self.compiled.prepared[index];
        goods(self.decl).find_map(|(i, item)| {
            let p = under(item, hs_prefix, prepared)?;
            let divisor = match per {
                ValueUnit::Unit => item.quantity.0,
                ValueUnit::Kg => item.net_mass_kg?.0,
            };
            let value = self.screened.values.lines.get(i)?.value;
            // The usual item is well above the minimum: told without the division.
            if crate::exact::quotient_not_below(value, divisor, minimum) {
                return None;
            }
            let per_unit = value.checked_div(divisor)?;
            crate::exact::cmp(per_unit, minimum).is_lt().then(|| {
                let detail = Detail::Undervalued {
                    prefix: &hs_prefix[p],
                    per_unit,
                    per,
                    minimum,
                    tail,
                };
                (Path::Item(i, ItemField::Value), detail)
            })
        })
    }
}

/// The text conditions, given the item `i` and keyword `k` the profile's words matched.
fn text_condition<'p, 'd>(
    when: &'p Condition,
    decl: &'d Declaration,
    (i, k): (usize, usize),
    heads: &'p [Box<str>],
) -> Option<Found<'p, 'd>> {
    let item = decl.items.get(i)?;
    let description = item.description.as_str();
    match when {
        Condition::Keyword(words) => Some((
            Path::Item(i, ItemField::Description),
            Detail::Keyword {
                description,
                keyword: words.get(k)?,
            },
        )),
        Condition::VagueDescription(_) => Some((
            Path::Item(i, ItemField::Description),
            Detail::Vague { description },
        )),
        Condition::DescriptionChapter { keywords, chapters } => Some((
            Path::Item(i, ItemField::HsCode),
            Detail::Chapter {
                keyword: keywords.get(k)?,
                chapters,
                hs: item.hs_code.as_deref().unwrap_or_default(),
                head: heads.get(k).map(|h| &**h),
            },
        )),
        _ => None,
    }
}

/// Neither seller nor marketplace holds a registration under `schemes` (at or below
/// `max_value` of intrinsic value, when given).
fn seller_unregistered<'p, 'd>(
    screened: &Screened<'d>,
    schemes: &'p [String],
    max_value: Option<Decimal>,
    transactions: &Option<Vec<crate::declaration::Transaction>>,
    head: Option<&'p str>,
) -> Option<Found<'p, 'd>> {
    let (decl, intrinsic) = (screened.decl, screened.values.intrinsic);
    // Scheme ids compared inline ([`crate::hashing::same_text`]): no call of `memcmp`, none
    // of a separate iterator function (it cost some 50 instructions a record).
    #[inline(always)]
    fn holds(p: &crate::declaration::Party, schemes: &[String]) -> bool {
        let registered = |r: &crate::declaration::Registration| {
            let scheme = r.scheme.as_bytes();
            schemes
                .iter()
                .any(|s| crate::hashing::same_text(s.as_bytes(), scheme))
        };
        p.registrations.iter().any(registered)
    }
    // The tests in the order that rules out the usual consignment soonest (a registered
    // seller), each as cheap as it can be: the value compared in sign and magnitude.
    if holds(&decl.seller, schemes)
        || decl.marketplace.as_ref().is_some_and(|m| holds(m, schemes))
        || max_value.is_some_and(|m| crate::exact::cmp(intrinsic, m).is_gt())
        || !is_sale(decl, transactions)
    {
        return None;
    }
    Some((
        Path::Field("seller.registrations"),
        Detail::Unregistered {
            schemes,
            intrinsic,
            head,
        },
    ))
}

/// The seller or the marketplace is on the watch list `names`.
fn party_listed<'p, 'd>(decl: &'d Declaration, names: &'p [String]) -> Option<Found<'p, 'd>> {
    let listed = |name: &str| names.iter().any(|n| eq_normalized(name, n));
    if listed(&decl.seller.name) {
        let name = decl.seller.name.as_str();
        let detail = Detail::Listed {
            party: "seller",
            name,
        };
        return Some((Path::Field("seller.name"), detail));
    }
    let m = decl.marketplace.as_ref().filter(|m| listed(&m.name))?;
    let detail = Detail::Listed {
        party: "marketplace",
        name: m.name.as_str(),
    };
    Some((Path::Field("marketplace.name"), detail))
}

/// The path and detail of an AEO rule's hit.
fn aeo_field(party: AeoParty) -> (&'static str, &'static str) {
    match party {
        AeoParty::Carrier => ("carrier.aeo", "carrier.aeo is true"),
        AeoParty::Seller => ("seller.aeo", "seller.aeo is true"),
        AeoParty::Marketplace => ("marketplace.aeo", "marketplace.aeo is true"),
    }
}

/// The party is an Authorized Economic Operator.
fn aeo<'p, 'd>(decl: &Declaration, party: AeoParty) -> Option<Found<'p, 'd>> {
    let aeo = match party {
        AeoParty::Carrier => decl.carrier.as_ref().is_some_and(|c| c.aeo),
        AeoParty::Seller => decl.seller.aeo,
        AeoParty::Marketplace => decl.marketplace.as_ref().is_some_and(|m| m.aeo),
    };
    let (path, detail) = aeo_field(party);
    aeo.then_some((Path::Field(path), Detail::Text(detail)))
}

/// The advance data is missing a time, or was lodged too late before arrival.
fn advance_data<'p, 'd>(when: &Condition, decl: &Declaration) -> Option<Found<'p, 'd>> {
    match when {
        Condition::AdvanceDataMissing {} => match (decl.lodged_at, decl.arrival_at) {
            (Some(_), Some(_)) => None,
            (None, _) => Some((Path::Field("lodged_at"), Detail::Text(NO_LODGING_TIME))),
            (_, None) => Some((
                Path::Field("arrival_at"),
                Detail::Text("no arrival time is declared"),
            )),
        },
        Condition::AdvanceDataLate {
            hours_before_arrival,
        } => {
            let (lodged, arrival) = (decl.lodged_at?, decl.arrival_at?);
            let lead = lodged.seconds_until(arrival);
            (lead < i64::from(*hours_before_arrival) * 3600).then_some((
                Path::Field("lodged_at"),
                Detail::Late {
                    lodged,
                    arrival,
                    lead,
                    hours: *hours_before_arrival,
                },
            ))
        }
        _ => None,
    }
}

/// Whether `normalize(text) == normalized`, without building the normalized text.
fn eq_normalized(text: &str, normalized: &str) -> bool {
    // Normalizing ASCII text never lengthens it (each letter or digit stays one byte, each
    // space stands for at least one separator), so a longer name is not this one: the usual
    // answer for a watch list of full company names, given without reading the name.
    if normalized.len() > text.len() && text.is_ascii() {
        return false;
    }
    if text.is_ascii() {
        return eq_normalized_ascii(text.as_bytes(), normalized.as_bytes());
    }
    let mut expected = normalized.chars();
    let mut first = true;
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !first && expected.next() != Some(' ') {
            return false;
        }
        first = false;
        for c in word.chars().flat_map(char::to_lowercase) {
            if expected.next() != Some(c) {
                return false;
            }
        }
    }
    expected.next().is_none()
}

/// [`eq_normalized`] for an ASCII `text`, byte by byte: a non-ASCII byte of `normalized`
/// equals no byte of `text`, as its char equals no ASCII char.
fn eq_normalized_ascii(text: &[u8], normalized: &[u8]) -> bool {
    let lower = |b: u8| super::text::LOWER[usize::from(b)];
    let (mut i, mut at) = (0, 0);
    while i < text.len() {
        if lower(text[i]) == 0 {
            i += 1;
            continue;
        }
        if at > 0 {
            if normalized.get(at) != Some(&b' ') {
                return false;
            }
            at += 1;
        }
        while let Some(&b) = text.get(i).filter(|b| lower(**b) != 0) {
            if normalized.get(at) != Some(&lower(b)) {
                return false;
            }
            at += 1;
            i += 1;
        }
    }
    at == normalized.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        /// Set by a test to have [`evaluate`] visit every rule, as it did before the gates.
        pub(super) static UNGATED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    type Object = serde_json::Map<String, serde_json::Value>;

    /// Changes to a whole declaration that turn each [`Fact`] on or off.
    const DECLARATION_MUTATIONS: &[fn(&mut Object)] = &[
        |d| {
            d.insert(
                "carrier".into(),
                serde_json::json!({"name": "C", "kind": "express", "aeo": true}),
            );
        },
        |d| {
            d.remove("carrier");
        },
        |d| d["seller"]["aeo"] = true.into(),
        |d| {
            d.insert(
                "marketplace".into(),
                serde_json::json!({"name": "M", "country": "IE", "aeo": true}),
            );
        },
        |d| {
            d.remove("lodged_at");
        },
        |d| {
            d.remove("arrival_at");
        },
        |d| {
            d.insert("lodged_at".into(), "2026-01-29T22:07:15Z".into());
            d.insert("arrival_at".into(), "2026-01-30T01:00:00Z".into());
        },
        |d| {
            if let Some(seller) = d["seller"].as_object_mut() {
                seller.remove("country");
                seller.remove("registrations");
            }
        },
        |d| {
            if let Some(item) = d["items"].get_mut(0) {
                item["value"] = "4000.00".into();
            }
        },
    ];

    #[test]
    fn gated_screening_hits_what_visiting_every_rule_hits() {
        let engine = crate::Engine::embedded().unwrap();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/declarations");
        let mutations: &[(&str, &str)] = &[
            ("description", "Counterfeit ivory carving"),
            ("description", "gift"),
            ("description", "Smartphone"),
            ("description", "leather sneakers"),
            ("hs_code", "85171300"),
            ("hs_code", "64039900"),
            ("hs_code", "02011000"),
            ("hs_code", "93020000"),
            ("hs_code", "61a"),
            ("origin", "KP"),
            ("value", "0.10"),
        ];
        let (mut checked, mut hits) = (0, 0);
        let mut codes = std::collections::BTreeSet::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let original: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let mut variants = vec![original.clone()];
            for (field, value) in mutations {
                let mut v = original.clone();
                if let Some(item) = v.pointer_mut("/items/0") {
                    item[*field] = serde_json::Value::from(*value);
                }
                variants.push(v);
            }
            // The facts some rules need before they are visited (`Fact`), each way.
            for mutate in DECLARATION_MUTATIONS {
                let mut v = original.clone();
                if let Some(d) = v.as_object_mut() {
                    mutate(d);
                }
                variants.push(v);
            }
            for v in variants {
                let text = v.to_string();
                let options = crate::AssessOptions::default();
                let gated = engine.assess_json(&text, &options);
                UNGATED.set(true);
                let ungated = engine.assess_json(&text, &options);
                UNGATED.set(false);
                if let (Ok(a), Ok(b)) = (gated, ungated) {
                    assert_eq!(a.release, b.release, "{}", path.display());
                    codes.extend(a.release.reasons.iter().map(|r| r.code.to_string()));
                    hits += a
                        .release
                        .reasons
                        .iter()
                        .filter(|r| r.code.starts_with("R_"))
                        .count();
                    checked += 1;
                }
            }
        }
        assert!(
            checked >= 200 && hits >= 100,
            "{checked} assessed, {hits} rule hits"
        );
        for gated in [
            "R_EU_AEO_CARRIER",
            "R_EU_AEO_SELLER",
            "R_EU_AEO_MARKETPLACE",
            "R_EU_ADVANCE_DATA_MISSING",
            "R_EU_ADVANCE_DATA_LATE",
            "R_EU_SELLER_UNKNOWN",
            "R_EU_HIGH_VALUE",
        ] {
            assert!(codes.contains(gated), "{gated} never hit: {codes:?}");
        }
    }

    /// One engine for the proptests (loading the embedded regimes is slow in a test build).
    fn engine() -> &'static crate::Engine {
        static ENGINE: std::sync::OnceLock<crate::Engine> = std::sync::OnceLock::new();
        ENGINE.get_or_init(|| crate::Engine::embedded().unwrap())
    }

    /// Words of descriptions: the EU profile's keywords, vague words and chapter words, and
    /// others.
    const WORDS: &[&str] = &[
        "ivory",
        "Rhino",
        "horn",
        "counterfeit",
        "FAKE",
        "gift",
        "Gifts",
        "parts",
        "spare",
        "phone",
        "Smartphone",
        "mobile",
        "shoes",
        "sneakers",
        "leather",
        "book",
        "Printed",
        "cotton",
        "T-shirt",
        "Straße",
        "ÄÖ",
        "knitted",
        "items",
    ];

    /// A description of up to four words of [`WORDS`].
    fn description() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop::collection::vec(
            (0..WORDS.len(), prop::sample::select(vec![" ", ", ", "-"])),
            0..5,
        )
        .prop_map(|w| {
            w.iter()
                .map(|(i, sep)| format!("{}{sep}", WORDS[*i]))
                .collect()
        })
    }

    /// A goods or document item: description, HS code, origin, value, quantity, net mass,
    /// nature.
    fn item() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        let hs = prop::sample::select(vec![
            "",
            "851713",
            "85171300",
            "6403",
            "64039900",
            "02011000",
            "93020000",
            "61a",
            "06011000",
            "30049000",
            "84713000",
            "42029291",
            "61091000",
            "1234567890123456789",
        ]);
        let origin = prop::sample::select(vec!["", "CN", "KP", "US", "K"]);
        let value = prop::sample::select(vec!["0.10", "5.00", "39.90", "160.00", "4000.00"]);
        let mass = prop::sample::select(vec!["", "0.2", "3.0"]);
        let nature = prop::sample::select(vec!["sale", "sale", "gift", "document"]);
        (description(), hs, origin, value, 1u32..5, mass, nature).prop_map(
            |(description, hs, origin, value, quantity, mass, nature)| {
                let mut item = serde_json::json!({
                    "description": description, "quantity": quantity, "value": value,
                    "nature": nature,
                });
                for (key, v) in [("hs_code", hs), ("origin", origin), ("net_mass_kg", mass)] {
                    if !v.is_empty() {
                        item[key] = v.into();
                    }
                }
                item
            },
        )
    }

    /// An EU declaration with random facts (AEO flags, times, seller, watch list, category)
    /// and items.
    fn declaration() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let parties = (0u8..3, any::<bool>(), 0u8..4, any::<bool>(), any::<bool>());
        let times = (0u8..4, -3 * 3600i64..10 * 3600);
        let items = prop::collection::vec(item(), 1..4);
        (parties, times, items, any::<bool>()).prop_map(
            |((carrier, seller_aeo, marketplace, unknown, ioss), (times, lead), items, b2b)| {
                let mut d: serde_json::Value = serde_json::from_str(include_str!(
                    "../../../examples/declarations/eu-cat3-ioss-seller.json"
                ))
                .unwrap();
                let Some(o) = d.as_object_mut() else {
                    return String::new();
                };
                o.remove("collected_at_sale");
                o.insert("items".into(), items.into());
                if b2b {
                    o.insert("transaction".into(), "B2B".into());
                }
                match carrier {
                    0 => drop(o.remove("carrier")),
                    c => o["carrier"]["aeo"] = (c == 2).into(),
                }
                o["seller"]["aeo"] = seller_aeo.into();
                if unknown {
                    if let Some(seller) = o["seller"].as_object_mut() {
                        seller.remove("country");
                        seller.remove("registrations");
                    }
                } else if !ioss {
                    o["seller"]["registrations"] = serde_json::json!([]);
                }
                if marketplace > 0 {
                    let name = if marketplace == 3 {
                        "Example  watchlisted TRADING Ltd"
                    } else {
                        "Shop"
                    };
                    o.insert(
                        "marketplace".into(),
                        serde_json::json!({"name": name, "country": "IE", "aeo": marketplace == 2}),
                    );
                }
                let arrival = late_at(12 * 3600);
                if times & 1 == 1 {
                    o.insert("lodged_at".into(), arrival.offset(-lead).to_string().into());
                }
                if times & 2 == 2 {
                    o.insert("arrival_at".into(), arrival.to_string().into());
                }
                d.to_string()
            },
        )
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 400, ..Default::default() })]

        /// The gated, memoized screening (the memo's first answer and its remembered one) and
        /// the release built from it write what visiting every rule with no memo writes.
        #[test]
        fn screening_with_gates_and_memo_writes_what_the_plain_loop_writes(
            text in declaration(),
        ) {
            let engine = engine();
            let options = crate::AssessOptions::default();
            let run = |ungated: bool| {
                UNGATED.set(ungated);
                let mut out = Vec::new();
                engine.assess_json_into(&text, &options, &mut out);
                let release = engine.assess_json(&text, &options).map(|a| a.release);
                UNGATED.set(false);
                (String::from_utf8(out).unwrap(), release)
            };
            let (first, second, plain) = (run(false), run(false), run(true));
            proptest::prop_assert_eq!(&first, &plain);
            proptest::prop_assert_eq!(&second, &plain);
        }
    }

    /// The random declarations of the proptest above make every rule of the EU
    /// profile hit, so that the comparison covers them.
    #[test]
    fn random_declarations_make_the_rules_hit() {
        use proptest::strategy::{Strategy, ValueTree};
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let strategy = declaration();
        let mut codes = std::collections::BTreeSet::new();
        for _ in 0..300 {
            let text = strategy.new_tree(&mut runner).unwrap().current();
            let options = crate::AssessOptions::default();
            if let Ok(a) = engine().assess_json(&text, &options) {
                codes.extend(a.release.reasons.iter().map(|r| r.code.to_string()));
            }
        }
        let profile = &engine().risk_profile("EU").unwrap().rules;
        let missing: Vec<&str> = (profile.iter())
            .map(|r| r.code.as_str())
            .filter(|c| !codes.contains(*c))
            .collect();
        assert!(
            missing.is_empty(),
            "never hit: {missing:?} (hit: {codes:?})"
        );
    }

    #[test]
    fn normalized_text_is_lower_case_words() {
        assert_eq!(
            normalize("Spare PARTS, for  bikes"),
            "spare parts for bikes"
        );
        assert_eq!(normalize(" -- "), "");
        assert_eq!(normalize("Ivory-carving"), "ivory carving");
    }

    #[test]
    fn comparing_normalized_names_needs_no_copy() {
        for (text, norm, same) in [
            ("SHOP, LTD.", "shop ltd", true),
            ("shop  ltd", "shop ltd", true),
            ("Shop Ltd Two", "shop ltd", false),
            ("Shop", "shop ltd", false),
            ("", "", true),
            ("Straße", "straße", true),
        ] {
            assert_eq!(eq_normalized(text, norm), same, "{text}");
            assert_eq!(normalize(text) == norm, same, "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn packed_hs_prefixes_agree_with_str_starts_with(
            hs in "[0-9]{0,16}",
            prefix in "[0-9]{0,16}",
        ) {
            let (h, p) = (Digits::pack(&hs).unwrap(), Digits::pack(&prefix).unwrap());
            proptest::prop_assert_eq!(h.starts_with(p), hs.starts_with(prefix.as_str()));
            proptest::prop_assert_eq!(h.starts_with(h), true);
        }

        #[test]
        fn ascii_names_compare_as_their_normalized_text(
            text in "[A-Za-z0-9 ,.-]{0,12}",
            other in "[A-Za-z0-9 ,.-]{0,12}",
        ) {
            for n in [normalize(&text), normalize(&other), format!("{} ", normalize(&text))] {
                proptest::prop_assert_eq!(eq_normalized(&text, &n), normalize(&text) == n);
            }
        }
    }

    #[test]
    fn hs_codes_that_are_not_digits_are_not_packed() {
        assert_eq!(Digits::pack("61a"), None);
        assert_eq!(Digits::pack("12345678901234567"), None);
        assert!(Digits::pack("").is_some());
    }

    #[test]
    fn item_paths_are_written_without_format() {
        assert_eq!(
            Path::Item(0, ItemField::HsCode).to_path().as_deref(),
            Some("items[0].hs_code")
        );
        assert_eq!(
            Path::Item(1234, ItemField::Value).to_path().as_deref(),
            Some("items[1234].value")
        );
        // The table's paths (the first eight items) are the ones written out.
        let fields = [
            ItemField::HsCode,
            ItemField::Description,
            ItemField::Value,
            ItemField::Origin,
        ];
        for i in 0..10 {
            for field in fields {
                let written = crate::message_text::item_path(i, field.name());
                assert_eq!(Path::Item(i, field).to_path(), Some(written));
            }
        }
        assert_eq!(Path::Field("seller").to_path().as_deref(), Some("seller"));
        assert_eq!(Path::None.to_path(), None);
    }

    /// A time on 2026-01-30, `seconds` after midnight.
    fn late_at(seconds: i64) -> Timestamp {
        Timestamp::start_of(crate::date::Date::new(2026, 1, 30).unwrap()).offset(seconds)
    }

    #[test]
    fn details_written_by_hand_read_as_format_wrote_them() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let schemes = ["IOSS".to_string(), "GB_VAT".to_string()];
        for (detail, expected) in [
            (
                Detail::HsUnder {
                    hs: "85171300",
                    prefix: "8517",
                },
                "HS 85171300 is under 8517".to_string(),
            ),
            (
                Detail::Undervalued {
                    prefix: "851713",
                    per_unit: d("12.345"),
                    per: ValueUnit::Unit,
                    minimum: d("30.00"),
                    tail: None,
                },
                format!(
                    "HS 851713: declared {} per unit, below the reference minimum 30.00 per unit",
                    d("12.345").round_dp(2)
                ),
            ),
            (
                Detail::Undervalued {
                    prefix: "6403",
                    per_unit: d("-123456789.125"),
                    per: ValueUnit::Kg,
                    minimum: d("0.0000000001"),
                    tail: None,
                },
                format!(
                    "HS 6403: declared {} per kg, below the reference minimum 0.0000000001 per kg",
                    d("-123456789.125").round_dp(2)
                ),
            ),
            (
                Detail::Unregistered {
                    schemes: &schemes,
                    intrinsic: d("149.90"),
                    head: None,
                },
                "no IOSS/GB_VAT registration is declared by the seller or marketplace (intrinsic value 149.90)"
                    .to_string(),
            ),
            (
                Detail::Unregistered {
                    schemes: &schemes[..1],
                    intrinsic: d("0"),
                    head: None,
                },
                "no IOSS registration is declared by the seller or marketplace (intrinsic value 0)"
                    .to_string(),
            ),
            (Detail::Category(4), "release category 4".to_string()),
            (
                Detail::Keyword {
                    description: "Fake \"Rolex\" watch",
                    keyword: "fake",
                },
                format!("description {:?} names {:?}", "Fake \"Rolex\" watch", "fake"),
            ),
            (
                Detail::Vague {
                    description: "Gift\u{7}",
                },
                format!("description {:?} does not say what the goods are", "Gift\u{7}"),
            ),
            (
                Detail::Chapter {
                    keyword: "shoes",
                    chapters: &schemes,
                    hs: "42029291",
                    head: None,
                },
                "description names \"shoes\", goods of HS IOSS/GB_VAT, but HS 42029291 is declared"
                    .to_string(),
            ),
            (
                Detail::SellerUnknown { name: "Ünknown" },
                format!("seller {:?} declares no country and no registration", "Ünknown"),
            ),
            (
                Detail::Listed {
                    party: "marketplace",
                    name: "Shop",
                },
                "marketplace \"Shop\" is on the watch list".to_string(),
            ),
            (
                Detail::Late {
                    lodged: late_at(10 * 3600),
                    arrival: late_at(12 * 3600 + 60),
                    lead: 2 * 3600 + 60,
                    hours: 4,
                },
                format!(
                    "lodged {}, arrival {}: 2h01 before arrival, the deadline is 4 h",
                    late_at(10 * 3600),
                    late_at(12 * 3600 + 60)
                ),
            ),
            (Detail::Origin("KP"), "origin KP".to_string()),
        ] {
            assert_eq!(detail.to_string(), expected);
        }
    }

    /// The details written with the parts compiled with the profile ([`parts`]) read as the
    /// details written whole, for every rule of the embedded profiles that has parts.
    #[test]
    fn compiled_parts_write_the_whole_details() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let mut seen = 0;
        for (_, text) in super::super::EMBEDDED {
            let profile = RiskProfile::from_json(text).unwrap();
            for (rule, parts) in profile.rules.iter().zip(&profile.compiled.parts) {
                let part = |k: usize| parts.get(k).map(|p| &**p);
                let pairs: Vec<(Detail, Detail)> = match &rule.when {
                    Condition::DescriptionChapter { keywords, chapters } => (0..keywords.len())
                        .map(|k| {
                            let detail = |head| Detail::Chapter {
                                keyword: &keywords[k],
                                chapters,
                                hs: "42029291",
                                head,
                            };
                            (detail(part(k)), detail(None))
                        })
                        .collect(),
                    Condition::SellerUnregistered { schemes, .. } => {
                        let detail = |head| Detail::Unregistered {
                            schemes,
                            intrinsic: d("149.90"),
                            head,
                        };
                        vec![(detail(part(0)), detail(None))]
                    }
                    Condition::Undervalued { per, minimum, .. } => {
                        let detail = |tail| Detail::Undervalued {
                            prefix: "851713",
                            per_unit: d("12.345"),
                            per: *per,
                            minimum: minimum.0,
                            tail,
                        };
                        vec![(detail(part(0)), detail(None))]
                    }
                    _ => {
                        assert!(parts.is_empty());
                        continue;
                    }
                };
                for (compiled, whole) in pairs {
                    assert!(matches!(
                        compiled,
                        Detail::Chapter { head: Some(_), .. }
                            | Detail::Unregistered { head: Some(_), .. }
                            | Detail::Undervalued { tail: Some(_), .. }
                    ));
                    assert_eq!(compiled.to_string(), whole.to_string());
                    seen += 1;
                }
            }
        }
        assert!(seen > 10, "{seen}");
    }

    /// A lead time as [`push_lead`] writes it.
    fn lead_text(seconds: i64) -> String {
        let mut text = String::new();
        push_lead(&mut text, seconds);
        text
    }

    #[test]
    fn lead_times_print_as_hours_and_minutes() {
        assert_eq!(lead_text(4 * 3600 + 90), "4h01");
        assert_eq!(lead_text(-1800), "-0h30");
        assert_eq!(lead_text(-(100 * 3600 + 59 * 60 + 59)), "-100h59");
        assert_eq!(lead_text(0), "0h00");
    }

    proptest::proptest! {
        #[test]
        fn timestamps_and_quotes_are_written_as_format_writes_them(
            seconds in -80_000_000_000i64..300_000_000_000,
            text in "\\PC{0,12}|[ -~]{0,12}",
        ) {
            let t = Timestamp::start_of(crate::date::Date::new(1970, 1, 1).unwrap())
                .offset(seconds);
            let mut written = String::new();
            push_timestamp(&mut written, t);
            proptest::prop_assert_eq!(written, t.to_string());
            let mut quoted = String::new();
            push_quoted(&mut quoted, &text);
            proptest::prop_assert_eq!(quoted, format!("{text:?}"));
        }
    }
}
