//! Tests of the compiled text rules against the implementation they replaced (issue 16).

use proptest::prelude::*;

use super::*;
use crate::risk::RiskProfile;

/// The trie matcher of main before issue 16, kept verbatim (but for building its tables on
/// each call) as the oracle for [`TextRules`].
mod old {
    use std::collections::{HashMap, HashSet};
    use std::sync::Arc;

    use crate::declaration::{Declaration, Nature};
    use crate::risk::{Condition, RiskProfile};

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
    pub(super) struct Compiled {
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
        pub(super) fn new(profile: &RiskProfile) -> Compiled {
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
    pub(super) fn text_hits(
        profile: &RiskProfile,
        decl: &Declaration,
    ) -> Vec<Option<(usize, usize)>> {
        let compiled = &Compiled::new(profile);
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
                            hits[e.rule as usize].is_none()
                                && chapter_applies(profile, e.rule, item)
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
}

/// A straightforward reading of the rules: for each text rule, the first goods item where a
/// keyword occurs as consecutive words (the earliest start, then the first keyword), or whose
/// words all belong to the vague list.
fn naive(profile: &RiskProfile, decl: &Declaration) -> Vec<Option<(usize, usize)>> {
    let words_of = |text: &str| -> Vec<String> {
        let lower: String = text.chars().flat_map(char::to_lowercase).collect();
        lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect()
    };
    let mut hits = vec![None; profile.rules.len()];
    for (r, rule) in profile.rules.iter().enumerate() {
        for (i, item) in decl.items.iter().enumerate() {
            if item.nature == Nature::Document || hits[r].is_some() {
                continue;
            }
            let words = words_of(&item.description);
            let (keywords, chapters) = match &rule.when {
                Condition::Keyword(k) => (k, None),
                Condition::DescriptionChapter { keywords, chapters } => (keywords, Some(chapters)),
                Condition::VagueDescription(list) => {
                    let set: Vec<&str> = list.iter().flat_map(|w| w.split(' ')).collect();
                    if !words.is_empty() && words.iter().all(|w| set.contains(&w.as_str())) {
                        hits[r] = Some((i, 0));
                    }
                    continue;
                }
                _ => continue,
            };
            if let Some(chapters) = chapters {
                let hs = item.hs_code.as_deref();
                if hs.is_none_or(|hs| chapters.iter().any(|c| hs.starts_with(c.as_str()))) {
                    continue;
                }
            }
            'starts: for start in 0..words.len() {
                for (k, phrase) in keywords.iter().enumerate() {
                    let phrase: Vec<&str> = phrase.split(' ').collect();
                    let end = start + phrase.len();
                    if end <= words.len()
                        && words[start..end].iter().zip(&phrase).all(|(a, b)| a == b)
                    {
                        hits[r] = Some((i, k));
                        break 'starts;
                    }
                }
            }
        }
    }
    hits
}

/// What [`TextRules::scan`] finds, by rule.
fn compiled(profile: &RiskProfile, decl: &Declaration) -> Vec<Option<(usize, usize)>> {
    let rules = TextRules::new(profile);
    let applies = |slot: u32, i: usize| {
        let rule = &profile.rules[rules.rule_of[slot as usize] as usize];
        match &rule.when {
            Condition::DescriptionChapter { chapters, .. } => {
                let hs = decl.items[i].hs_code.as_deref();
                hs.is_some_and(|hs| !chapters.iter().any(|c| hs.starts_with(c.as_str())))
            }
            _ => true,
        }
    };
    let mut found = vec![Found::NOT; rules.slots];
    rules.scan(decl, &applies, &mut found);
    let by_rule = |found: &[Found]| -> Vec<Option<(usize, usize)>> {
        (0..profile.rules.len())
            .map(|r| match rules.slot_of[r] {
                NONE => None,
                slot => found[slot as usize].get(),
            })
            .collect()
    };
    // Each description's hits merged item by item, as the screening does with a thread's
    // memo: scanned on first sight, remembered on the second.
    let mut memo = crate::risk::memo::Memo::<u8>::new();
    for _ in 0..2 {
        let mut merged = vec![Found::NOT; rules.slots];
        for (i, item) in decl.items.iter().enumerate() {
            if item.nature != Nature::Document {
                let hits = memo.description(1, &rules, &item.description).to_vec();
                TextRules::merge(&hits, i, &applies, &mut merged);
            }
        }
        assert_eq!(by_rule(&merged), by_rule(&found));
        // The same through the item look-up, the description with its HS code (a code of the
        // declaration's, and each of a few others, so that an entry sees other descriptions).
        for code in ["", "8517", "85171300", "61099020610990206"] {
            let mut merged = vec![Found::NOT; rules.slots];
            for (i, item) in decl.items.iter().enumerate() {
                let code = item
                    .hs_code
                    .as_deref()
                    .filter(|_| code.is_empty())
                    .unwrap_or(code);
                let described = item.nature != Nature::Document;
                let description = described.then_some(item.description.as_str());
                let (_, hits) = memo.item(1, &rules, code, description, || 0);
                TextRules::merge(hits, i, &applies, &mut merged);
            }
            assert_eq!(by_rule(&merged), by_rule(&found));
        }
    }
    by_rule(&found)
}

/// A profile of the given text rules: `(kind, words)` with kind 0 keyword, 1 vague,
/// 2 description/chapter (chapters 85 and 6109).
fn profile(rules: &[(u8, Vec<String>)]) -> RiskProfile {
    let rules: Vec<serde_json::Value> = rules
        .iter()
        .enumerate()
        .map(|(i, (kind, words))| {
            let when = match kind {
                0 => serde_json::json!({ "keyword": words }),
                1 => serde_json::json!({ "vague_description": words }),
                _ => serde_json::json!({ "description_chapter": {
                    "keywords": words, "chapters": ["85", "6109"] } }),
            };
            serde_json::json!({
                "code": format!("R_T{i}"), "weight": 1, "reason": "test", "when": when,
                "source": "test", "checked": "2026-12-01"
            })
        })
        .collect();
    let mut p: serde_json::Value =
        serde_json::from_str(include_str!("../../../regimes/EU/risk-profile.json")).unwrap();
    p["rules"] = serde_json::Value::Array(rules);
    RiskProfile::from_json(&p.to_string()).unwrap()
}

/// A declaration of the given items: `(description, hs_code, document)`.
fn declaration(items: &[(String, String, bool)]) -> Declaration {
    let mut d: serde_json::Value = serde_json::from_str(include_str!(
        "../../../examples/declarations/eu-cat3-ioss-seller.json"
    ))
    .unwrap();
    d["items"] = items
        .iter()
        .map(|(description, hs, document)| {
            serde_json::json!({
                "description": description, "hs_code": hs, "quantity": 1, "value": "1.00",
                "nature": if *document { "document" } else { "sale" }
            })
        })
        .collect();
    serde_json::from_value(d).unwrap()
}

/// Words that stress case folding and splitting: `İ` lower-cases to `i` and a combining dot
/// (not alphanumeric), the Kelvin sign to an ASCII `k`, `ß` has no one-char upper case.
const VOCABULARY: &[&str] = &[
    "phone",
    "Phone",
    "PHONE",
    "mobile",
    "gift",
    "Gifts",
    "parts",
    "spare",
    "ivory",
    "rhino",
    "horn",
    "İvory",
    "i",
    "vory",
    "straße",
    "STRASSE",
    "\u{212A}it",
    "kit",
    "Kit",
    "σ",
    "Σ",
    "ς",
    "a1",
    "x",
    "e",
    "commerce",
    "Commerces",
    "counterfeit",
    "COUNTERFEITS",
    "tortoiseshell",
    "abcdefghijklmnop",
    "abcdefghijklmnopq",
    "café",
    "CAFÉ",
];
const SEPARATORS: &[&str] = &[" ", ", ", "-", "  ", "/", ".", "\u{a0}", "·", "!"];

fn text(max_words: usize) -> impl Strategy<Value = String> {
    prop::collection::vec((0..VOCABULARY.len(), 0..SEPARATORS.len()), 0..max_words).prop_map(
        |parts| {
            let mut s = String::new();
            for (w, sep) in parts {
                s.push_str(VOCABULARY[w]);
                s.push_str(SEPARATORS[sep]);
            }
            s
        },
    )
}

/// A keyword: one to three words that normalize to something.
fn keyword() -> impl Strategy<Value = String> {
    prop::collection::vec(0..VOCABULARY.len(), 1..4).prop_map(|w| {
        w.iter()
            .map(|&i| VOCABULARY[i])
            .collect::<Vec<_>>()
            .join(" ")
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn compiled_text_rules_find_what_the_old_matcher_found(
        rules in prop::collection::vec((0u8..3, prop::collection::vec(keyword(), 1..5)), 1..5),
        items in prop::collection::vec(
            (text(7), prop::sample::select(vec!["610910", "851712", "9503000000", "611020"]), any::<bool>()),
            1..5,
        ),
    ) {
        let profile = profile(&rules);
        let items: Vec<(String, String, bool)> =
            items.into_iter().map(|(d, hs, doc)| (d, hs.to_string(), doc)).collect();
        let decl = declaration(&items);
        let expected = old::text_hits(&profile, &decl);
        prop_assert_eq!(&compiled(&profile, &decl), &expected);
        prop_assert_eq!(&naive(&profile, &decl), &expected);
    }
}

#[test]
fn keywords_match_whole_words_in_any_case() {
    let p = profile(&[
        (0, vec!["rhino horn".into(), "ivory".into()]),
        (1, vec!["gift".into(), "spare parts".into()]),
        (2, vec!["mobile phone".into(), "phone".into()]),
    ]);
    let decl = declaration(&[
        ("Ivorycoast phone case".into(), "851712".into(), false),
        ("Spare PARTS, gift".into(), "610910".into(), true),
        (
            "carved RHINO-horn and ivory; Mobile Phone".into(),
            "950300".into(),
            false,
        ),
        ("gift".into(), "610910".into(), false),
    ]);
    let expected = vec![Some((2, 0)), Some((3, 0)), Some((2, 0))];
    assert_eq!(compiled(&p, &decl), expected);
    assert_eq!(old::text_hits(&p, &decl), expected);
}

#[test]
fn a_profile_without_text_rules_scans_nothing() {
    let p = profile(&[]);
    let rules = TextRules::new(&p);
    assert_eq!(rules.slots, 0);
    let decl = declaration(&[("phone".into(), "610910".into(), false)]);
    rules.scan(&decl, &|_, _| true, &mut []);
}

#[test]
fn many_vague_rules_use_more_than_one_mask_word() {
    let mut rules: Vec<(u8, Vec<String>)> = (0..70).map(|_| (1, vec!["parts".into()])).collect();
    rules.push((1, vec!["gift".into(), "parts".into()]));
    let p = profile(&rules);
    let decl = declaration(&[
        ("gift parts".into(), "610910".into(), false),
        ("Parts".into(), "610910".into(), false),
    ]);
    let mut expected = vec![Some((1, 0)); 70];
    expected.push(Some((0, 0)));
    assert_eq!(compiled(&p, &decl), expected);
    assert_eq!(old::text_hits(&p, &decl), expected);
}

proptest! {
    #[test]
    fn ascii_words_match_in_any_case_whatever_their_length(word in "[A-Za-z0-9]{1,30}") {
        let lower = word.to_ascii_lowercase();
        let rules = TextRules::new(&profile(&[(0, vec![lower])]));
        let mut found = [Found::NOT];
        let decl = declaration(&[(format!("- {word}, x"), "610910".to_string(), false)]);
        rules.scan(&decl, &|_, _| true, &mut found);
        prop_assert_eq!(found[0].get(), Some((0, 0)));
    }
}
