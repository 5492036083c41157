//! Matching a profile's rules against one assessed consignment.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::{AeoParty, Condition, RiskProfile, RiskRule, ValueUnit};
use crate::declaration::{Declaration, Nature};
use crate::release::Screened;

/// One rule that hit.
#[derive(Debug)]
pub(crate) struct Hit<'p> {
    /// Index of the rule in the profile.
    pub index: usize,
    /// The rule.
    pub rule: &'p RiskRule,
    /// JSON path of the field that made it hit.
    pub path: Option<String>,
    /// What was found, with the figures.
    pub detail: String,
}

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

/// A keyword phrase ends at a node of the phrase trie: the rule and keyword it stands for.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Ending {
    rule: u32,
    keyword: u32,
}

/// What a profile's text rules look for, indexed for one pass over each description.
///
/// Keyword phrases form a trie over word ids: matching walks it from each word of a
/// description, one hash lookup per step, and a step goes no deeper than the longest phrase
/// ([`crate::limits::MAX_KEYWORD_WORDS`] words). The cost is therefore bounded by the words of
/// the declaration, whatever the number of keywords: 100,000 keywords sharing their first word
/// once made every occurrence of that word try them all (119 s for one declaration).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Compiled {
    /// The profile id, shared by every release that cites it.
    pub id: Arc<str>,
    /// Each rule's code, shared by every reason that cites it.
    pub codes: Vec<Arc<str>>,
    /// Each rule's agency.
    pub agencies: Vec<Option<Arc<str>>>,
    /// Every word of every keyword, numbered.
    words: HashMap<Box<str>, u32>,
    /// Trie edges: (node, word) → node. Node 0 is the root.
    edges: HashMap<(u32, u32), u32>,
    /// The phrases ending at each node, in rule then keyword order: those of keyword rules,
    /// which hit at the first occurrence, and those of description/chapter rules, which also
    /// need the item's HS code.
    plain: HashMap<u32, Vec<Ending>>,
    chaptered: HashMap<u32, Vec<Ending>>,
    nodes: u32,
    vague: Vec<(usize, HashSet<Box<str>>)>,
    text_rules: usize,
}

impl Compiled {
    pub(crate) fn new(profile: &RiskProfile) -> Compiled {
        let mut c = Compiled {
            id: Arc::from(profile.id.as_str()),
            codes: profile
                .rules
                .iter()
                .map(|r| Arc::from(r.code.as_str()))
                .collect(),
            agencies: profile
                .rules
                .iter()
                .map(|r| r.agency.as_deref().map(Arc::from))
                .collect(),
            ..Compiled::default()
        };
        for (rule, r) in profile.rules.iter().enumerate() {
            let (keywords, chaptered) = match &r.when {
                Condition::Keyword(words) => (words, false),
                Condition::DescriptionChapter { keywords, .. } => (keywords, true),
                Condition::VagueDescription(words) => {
                    let set = words
                        .iter()
                        .flat_map(|w| w.split(' '))
                        .map(Box::from)
                        .collect();
                    c.vague.push((rule, set));
                    c.text_rules += 1;
                    continue;
                }
                _ => continue,
            };
            c.text_rules += 1;
            for (keyword, phrase) in keywords.iter().enumerate() {
                let node = c.insert(phrase);
                let ending = Ending {
                    rule: rule as u32,
                    keyword: keyword as u32,
                };
                let endings = if chaptered {
                    &mut c.chaptered
                } else {
                    &mut c.plain
                };
                endings.entry(node).or_default().push(ending);
            }
        }
        c
    }

    /// Adds a normalized phrase to the trie and returns the node it ends at.
    fn insert(&mut self, phrase: &str) -> u32 {
        let mut node = 0;
        for word in phrase.split(' ') {
            let next_word = self.words.len() as u32;
            let word = *self.words.entry(Box::from(word)).or_insert(next_word);
            let next_node = self.nodes + 1;
            node = *self.edges.entry((node, word)).or_insert_with(|| next_node);
            self.nodes = self.nodes.max(node);
        }
        node
    }
}

/// For each rule, the first goods item its text matched and the keyword (vague rules: 0).
/// Where several keywords of a rule match in that item, the one starting first wins, and of
/// those starting at the same word, the first in the profile.
fn text_hits(profile: &RiskProfile, decl: &Declaration) -> Vec<Option<(usize, usize)>> {
    let compiled = &profile.compiled;
    let mut hits: Vec<Option<(usize, usize)>> = vec![None; profile.rules.len()];
    if compiled.text_rules == 0 {
        return hits;
    }
    // Nodes whose keyword-rule endings were applied: all their rules hit, so later
    // occurrences of the phrase have nothing left to do.
    let mut applied: HashSet<u32> = HashSet::new();
    // Likewise for description/chapter rules, per HS code (whether they apply depends on it).
    let mut applied_for_hs: HashSet<(u32, &str)> = HashSet::new();
    let mut lower = String::new();
    let mut found: Vec<Ending> = Vec::new();
    for (i, item) in decl.items.iter().enumerate() {
        if item.nature == Nature::Document {
            continue;
        }
        lower.clear();
        if item.description.is_ascii() {
            // The common case, without a char iterator: ASCII lower-cases byte by byte.
            lower.push_str(&item.description);
            lower.make_ascii_lowercase();
        } else {
            lower.extend(item.description.chars().flat_map(char::to_lowercase));
        }
        let item_words: Vec<&str> = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let ids: Vec<Option<u32>> = item_words
            .iter()
            .map(|w| compiled.words.get(*w).copied())
            .collect();
        for start in 0..ids.len() {
            found.clear();
            let mut node = 0;
            for id in &ids[start..] {
                let Some(next) = id.and_then(|w| compiled.edges.get(&(node, w))) else {
                    break;
                };
                node = *next;
                if applied.insert(node) {
                    found.extend(compiled.plain.get(&node).into_iter().flatten());
                }
                let hs = item.hs_code.as_deref().unwrap_or_default();
                if compiled.chaptered.contains_key(&node) && applied_for_hs.insert((node, hs)) {
                    let chaptered = compiled.chaptered.get(&node).into_iter().flatten();
                    found.extend(chaptered.filter(|e| {
                        hits[e.rule as usize].is_none() && chapter_applies(profile, e.rule, item)
                    }));
                }
            }
            found.sort_unstable_by_key(|e| (e.rule, e.keyword));
            for e in &found {
                let hit = &mut hits[e.rule as usize];
                if hit.is_none() {
                    *hit = Some((i, e.keyword as usize));
                }
            }
        }
        for (rule, set) in &compiled.vague {
            if hits[*rule].is_none()
                && !item_words.is_empty()
                && item_words.iter().all(|w| set.contains(*w))
            {
                hits[*rule] = Some((i, 0));
            }
        }
    }
    hits
}

/// Whether a description/chapter rule's keyword in `item` points at goods of other chapters
/// than the item's HS code.
fn chapter_applies(profile: &RiskProfile, rule: u32, item: &crate::declaration::Item) -> bool {
    match &profile.rules[rule as usize].when {
        Condition::DescriptionChapter { chapters, .. } => item
            .hs_code
            .as_deref()
            .is_some_and(|hs| hs_starts(Some(hs), chapters).is_none()),
        _ => true,
    }
}

fn hs_starts(hs: Option<&str>, prefixes: &[String]) -> Option<String> {
    let hs = hs?;
    prefixes
        .iter()
        .find(|p| hs.starts_with(p.as_str()))
        .cloned()
}

/// Every rule of `profile` that hits the screened consignment, in profile order.
pub(crate) fn evaluate<'p>(profile: &'p RiskProfile, screened: &Screened<'_>) -> Vec<Hit<'p>> {
    let text = text_hits(profile, screened.decl);
    let mut hits = Vec::new();
    for (index, rule) in profile.rules.iter().enumerate() {
        let found = text.get(index).copied().flatten();
        if let Some((path, detail)) = matches(rule, screened, found) {
            hits.push(Hit {
                index,
                rule,
                path,
                detail,
            });
        }
    }
    hits
}

fn item_path(i: usize, field: &str) -> Option<String> {
    Some(format!("items[{i}].{field}"))
}

/// The path and detail of what made a rule hit.
type Found = (Option<String>, String);

/// The goods items (not documents) with their indices.
fn goods(decl: &Declaration) -> impl Iterator<Item = (usize, &crate::declaration::Item)> {
    decl.items
        .iter()
        .enumerate()
        .filter(|(_, i)| i.nature != Nature::Document)
}

/// Whether `rule` hits; the path and detail of the first item or party that made it. `text`
/// is the first item (and keyword) the rule's words matched, for the text conditions.
fn matches(
    rule: &RiskRule,
    screened: &Screened<'_>,
    text: Option<(usize, usize)>,
) -> Option<Found> {
    let decl = screened.decl;
    match &rule.when {
        Condition::HsPrefix(prefixes) => goods(decl).find_map(|(i, item)| {
            let p = hs_starts(item.hs_code.as_deref(), prefixes)?;
            Some((
                item_path(i, "hs_code"),
                format!(
                    "HS {} is under {p}",
                    item.hs_code.as_deref().unwrap_or_default()
                ),
            ))
        }),
        Condition::Keyword(_)
        | Condition::VagueDescription(_)
        | Condition::DescriptionChapter { .. } => text_condition(&rule.when, decl, text?),
        Condition::Undervalued {
            hs_prefix,
            per,
            minimum,
        } => undervalued(screened, hs_prefix, *per, minimum.0),
        Condition::SellerUnregistered {
            schemes,
            max_value,
            transactions,
        } => seller_unregistered(screened, schemes, max_value.map(|m| m.0), transactions),
        Condition::SellerUnknown {} => {
            (decl.seller.country.is_none() && decl.seller.registrations.is_empty()).then(|| {
                (
                    Some("seller".to_string()),
                    format!(
                        "seller {:?} declares no country and no registration",
                        decl.seller.name.as_str()
                    ),
                )
            })
        }
        Condition::PartyListed(names) => party_listed(decl, names),
        Condition::Origin {
            countries,
            hs_prefix,
        } => goods(decl).find_map(|(i, item)| {
            let origin = item.origin.as_deref()?;
            if !countries.iter().any(|c| c == origin) {
                return None;
            }
            if let Some(p) = hs_prefix {
                hs_starts(item.hs_code.as_deref(), p)?;
            }
            Some((item_path(i, "origin"), format!("origin {origin}")))
        }),
        Condition::Aeo(party) => aeo(decl, *party),
        Condition::AdvanceDataMissing {} | Condition::AdvanceDataLate { .. } => {
            advance_data(&rule.when, decl)
        }
        Condition::Category(categories) => categories
            .contains(&screened.category)
            .then(|| (None, format!("release category {}", screened.category))),
    }
}

/// The text conditions, given the item `i` and keyword `k` the profile's words matched.
fn text_condition(when: &Condition, decl: &Declaration, (i, k): (usize, usize)) -> Option<Found> {
    let item = decl.items.get(i)?;
    let description = item.description.as_str();
    match when {
        Condition::Keyword(words) => Some((
            item_path(i, "description"),
            format!("description {description:?} names {:?}", words.get(k)?),
        )),
        Condition::VagueDescription(_) => Some((
            item_path(i, "description"),
            format!("description {description:?} does not say what the goods are"),
        )),
        Condition::DescriptionChapter { keywords, chapters } => Some((
            item_path(i, "hs_code"),
            format!(
                "description names {:?}, goods of HS {}, but HS {} is declared",
                keywords.get(k)?,
                chapters.join("/"),
                item.hs_code.as_deref().unwrap_or_default()
            ),
        )),
        _ => None,
    }
}

/// The first goods item under `hs_prefix` declared below `minimum` per unit or per kg.
fn undervalued(
    screened: &Screened<'_>,
    hs_prefix: &[String],
    per: ValueUnit,
    minimum: rust_decimal::Decimal,
) -> Option<Found> {
    goods(screened.decl).find_map(|(i, item)| {
        let p = hs_starts(item.hs_code.as_deref(), hs_prefix)?;
        let divisor = match per {
            ValueUnit::Unit => item.quantity.0,
            ValueUnit::Kg => item.net_mass_kg?.0,
        };
        let value = screened.values.lines.get(i)?.value;
        let per_unit = value.checked_div(divisor)?;
        (per_unit < minimum).then(|| {
            let unit = match per {
                ValueUnit::Unit => "unit",
                ValueUnit::Kg => "kg",
            };
            (
                item_path(i, "value"),
                format!(
                    "HS {p}: declared {} per {unit}, below the reference minimum {minimum} per {unit}",
                    per_unit.round_dp(2),
                ),
            )
        })
    })
}

/// Neither seller nor marketplace holds a registration under `schemes` (at or below
/// `max_value` of intrinsic value, when given).
fn seller_unregistered(
    screened: &Screened<'_>,
    schemes: &[String],
    max_value: Option<rust_decimal::Decimal>,
    transactions: &Option<Vec<crate::declaration::Transaction>>,
) -> Option<Found> {
    let (decl, intrinsic) = (screened.decl, screened.values.intrinsic);
    if max_value.is_some_and(|m| intrinsic > m) || !is_sale(decl, transactions) {
        return None;
    }
    let holds = |p: &crate::declaration::Party| {
        p.registrations
            .iter()
            .any(|r| schemes.iter().any(|s| s == r.scheme.as_str()))
    };
    let registered = holds(&decl.seller) || decl.marketplace.as_ref().is_some_and(holds);
    (!registered).then(|| {
        (
            Some("seller.registrations".to_string()),
            format!(
                "no {} registration is declared by the seller or marketplace (intrinsic value {intrinsic})",
                schemes.join("/"),
            ),
        )
    })
}

/// The seller or the marketplace is on the watch list `names`.
fn party_listed(decl: &Declaration, names: &[String]) -> Option<Found> {
    let listed = |name: &str| names.iter().any(|n| eq_normalized(name, n));
    if listed(&decl.seller.name) {
        return Some((
            Some("seller.name".to_string()),
            format!(
                "seller {:?} is on the watch list",
                decl.seller.name.as_str()
            ),
        ));
    }
    let m = decl.marketplace.as_ref().filter(|m| listed(&m.name))?;
    Some((
        Some("marketplace.name".to_string()),
        format!("marketplace {:?} is on the watch list", m.name.as_str()),
    ))
}

/// The party is an Authorized Economic Operator.
fn aeo(decl: &Declaration, party: AeoParty) -> Option<Found> {
    let (aeo, path) = match party {
        AeoParty::Carrier => (decl.carrier.as_ref().is_some_and(|c| c.aeo), "carrier.aeo"),
        AeoParty::Seller => (decl.seller.aeo, "seller.aeo"),
        AeoParty::Marketplace => (
            decl.marketplace.as_ref().is_some_and(|m| m.aeo),
            "marketplace.aeo",
        ),
    };
    aeo.then(|| (Some(path.to_string()), format!("{path} is true")))
}

/// The advance data is missing a time, or was lodged too late before arrival.
fn advance_data(when: &Condition, decl: &Declaration) -> Option<Found> {
    match when {
        Condition::AdvanceDataMissing {} => match (decl.lodged_at, decl.arrival_at) {
            (Some(_), Some(_)) => None,
            (None, _) => Some((
                Some("lodged_at".to_string()),
                "no lodging time of the advance data is declared".to_string(),
            )),
            (_, None) => Some((
                Some("arrival_at".to_string()),
                "no arrival time is declared".to_string(),
            )),
        },
        Condition::AdvanceDataLate {
            hours_before_arrival,
        } => {
            let (lodged, arrival) = (decl.lodged_at?, decl.arrival_at?);
            let lead = lodged.seconds_until(arrival);
            (lead < i64::from(*hours_before_arrival) * 3600).then(|| {
                (
                    Some("lodged_at".to_string()),
                    format!(
                        "lodged {lodged}, arrival {arrival}: {} before arrival, the deadline is {hours_before_arrival} h",
                        lead_text(lead)
                    ),
                )
            })
        }
        _ => None,
    }
}

/// Whether `normalize(text) == normalized`, without building the normalized text.
fn eq_normalized(text: &str, normalized: &str) -> bool {
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

fn lead_text(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.unsigned_abs();
    format!("{sign}{}h{:02}", s / 3600, s / 60 % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn lead_times_print_as_hours_and_minutes() {
        assert_eq!(lead_text(4 * 3600 + 90), "4h01");
        assert_eq!(lead_text(-1800), "-0h30");
    }
}
