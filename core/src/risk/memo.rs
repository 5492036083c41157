//! Each thread's memo of the screening work that depends only on a compiled profile and one
//! text of an item: what the text rules find in a description, and which HS-prefix rules an
//! HS code falls under (issue 16).
//!
//! A stream of declarations repeats its descriptions and HS codes (a shop sells the same
//! goods many times; the generated EU stream has 13 descriptions and 78 codes in 20 000
//! lines), and scanning a description word by word cost about as much as the rest of the
//! screening. A memo entry is found by a hash of the text and checked against the whole text,
//! so an answer is always the one a scan gives; the tables are direct-mapped (one slot per
//! hash, a newcomer replaces the slot's entry), so texts a declaration chooses to collide
//! cost at most a scan each, never a search.
//!
//! Entries name the compiled profile they were made for ([`super::evaluate::Compiled`]'s
//! memo id, unique per compilation and shared by its clones, which are equal), so that
//! profiles of different regimes, or a profile reloaded, never see each other's answers.

use std::cell::RefCell;
use std::sync::Arc;

use super::text::{Found, TextRules};

/// Slots of each table (a power of two): far more than the descriptions and codes a stream
/// of one regime's goods repeats, and small enough (about 20 kB) to stay in cache.
const SLOTS: usize = 256;

/// What a description makes one text rule (by slot) find: the word the phrase starts at and
/// the keyword (0 for a vague description), the least of them when several match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TextHit {
    pub slot: u32,
    pub start: u32,
    pub keyword: u32,
    /// A description/chapter rule: it also needs the item's HS code outside its chapters.
    pub chaptered: bool,
}

/// A description and its hits, made for the profile with memo id `owner`.
#[derive(Default)]
struct Description {
    owner: u64,
    text: String,
    hits: Vec<TextHit>,
}

/// An HS code of at most 16 bytes, exactly ([`key_words`]), and what the profile's prefix
/// table makes of it; with the description last seen with the code and its hits (a copy of
/// the description table's entry), so that an item whose code and description come
/// together again, as a shop's goods do, is found by one hash, its code's.
#[derive(Default)]
struct Code<T: Copy + Default> {
    owner: u64,
    len: usize,
    words: (u64, u64),
    value: T,
    /// Whether `text` and `hits` are for this owner and code.
    described: bool,
    text: String,
    hits: Vec<TextHit>,
}

/// A rule's texts as this thread's releases cite them.
#[derive(Default)]
struct Cited {
    owner: u64,
    rule: usize,
    texts: Option<CitedTexts>,
}

/// The texts a release reason of a rule cites: its code, its agency and, for a rule whose
/// message never changes, the message.
#[derive(Clone)]
pub(crate) struct CitedTexts {
    pub code: Arc<str>,
    pub agency: Option<Arc<str>>,
    pub message: Option<Arc<str>>,
}

/// One thread's memo.
pub(super) struct Memo<T: Copy + Default> {
    descriptions: Vec<Description>,
    codes: Vec<Code<T>>,
    cited: Vec<Cited>,
    /// A scan's findings by slot, all [`Found::NOT`] between scans.
    scratch: Vec<Found>,
}

impl<T: Copy + Default> Memo<T> {
    /// An empty memo.
    pub(super) fn new() -> Memo<T> {
        Memo {
            descriptions: (0..SLOTS).map(|_| Description::default()).collect(),
            codes: (0..SLOTS).map(|_| Code::default()).collect(),
            cited: (0..SLOTS).map(|_| Cited::default()).collect(),
            scratch: Vec::new(),
        }
    }

    /// The hits of `description` for the text rules `rules` of profile `owner`: remembered,
    /// or scanned now and remembered.
    pub(super) fn description(
        &mut self,
        owner: u64,
        rules: &TextRules,
        description: &str,
    ) -> &[TextHit] {
        described(
            &mut self.descriptions,
            &mut self.scratch,
            owner,
            rules,
            description,
        )
    }

    /// What `compute` makes of an item's HS code `code`, and the hits of its description
    /// (`None`: not looked at, no hits) for the text rules `rules`, for profile `owner`: the
    /// code's entry remembers both ([`Code`]), a code longer than 16 bytes only its
    /// description's ([`Memo::description`]).
    #[inline]
    pub(super) fn item(
        &mut self,
        owner: u64,
        rules: &TextRules,
        code: &str,
        description: Option<&str>,
        compute: impl FnOnce() -> T,
    ) -> (T, &[TextHit]) {
        let words = key_words(code.as_bytes());
        let at = words.map(|w| slot(crate::hashing::fx_step(w.0, w.1) ^ code.len() as u64));
        let (Some(words), Some(entry)) = (words, at.and_then(|at| self.codes.get_mut(at))) else {
            let value = compute();
            return match description {
                Some(d) => {
                    let hits =
                        described(&mut self.descriptions, &mut self.scratch, owner, rules, d);
                    (value, hits)
                }
                None => (value, &[]),
            };
        };
        if entry.owner != owner || entry.len != code.len() || entry.words != words {
            (entry.owner, entry.len, entry.words) = (owner, code.len(), words);
            entry.value = compute();
            entry.described = false;
        }
        let Some(d) = description else {
            return (entry.value, &[]);
        };
        // Compared inline: `!=` called `memcmp` for every item (issue 16).
        if !entry.described || !crate::hashing::same_text(entry.text.as_bytes(), d.as_bytes()) {
            let hits = described(&mut self.descriptions, &mut self.scratch, owner, rules, d);
            entry.text.clear();
            entry.text.push_str(d);
            entry.hits.clear();
            entry.hits.extend_from_slice(hits);
            entry.described = true;
        }
        (entry.value, &entry.hits)
    }

    /// The texts of rule `rule` of profile `owner` as this thread cites them:
    /// remembered, or this thread's copies (`copies`, from `per_thread`) remembered now. A
    /// release with a rule hit found them in `per_thread`'s table, at a hash of their address,
    /// for about 65 instructions (issue 16).
    pub(super) fn cited(
        &mut self,
        owner: u64,
        rule: usize,
        copies: impl FnOnce() -> CitedTexts,
    ) -> CitedTexts {
        let at = slot(crate::hashing::fx_step(owner, rule as u64));
        let Some(entry) = self.cited.get_mut(at) else {
            return copies();
        };
        match &entry.texts {
            Some(texts) if entry.owner == owner && entry.rule == rule => texts.clone(),
            _ => {
                let texts = copies();
                *entry = Cited {
                    owner,
                    rule,
                    texts: Some(texts.clone()),
                };
                texts
            }
        }
    }
}

/// The hits of `description` for the text rules `rules` of profile `owner` in the table
/// `descriptions`: remembered, or scanned now (with `scratch`) and remembered.
fn described<'m>(
    descriptions: &'m mut [Description],
    scratch: &mut Vec<Found>,
    owner: u64,
    rules: &TextRules,
    description: &str,
) -> &'m [TextHit] {
    let at = slot(hash_text(description.as_bytes()));
    let Some(entry) = descriptions.get_mut(at) else {
        return &[];
    };
    // Compared inline: `!=` called `memcmp` for every item (issue 16).
    let same = crate::hashing::same_text(entry.text.as_bytes(), description.as_bytes());
    if entry.owner != owner || !same {
        entry.owner = owner;
        entry.text.clear();
        entry.text.push_str(description);
        rules.description_hits(description, scratch, &mut entry.hits);
    }
    &entry.hits
}

impl TextRules {
    /// The hits of one description, in slot order, into `hits` (cleared first): the scan of
    /// [`TextRules::scan`] for a lone item that every description/chapter rule applies to,
    /// whose findings are then merged item by item ([`TextRules::merge`]).
    pub(super) fn description_hits(
        &self,
        description: &str,
        scratch: &mut Vec<Found>,
        hits: &mut Vec<TextHit>,
    ) {
        hits.clear();
        if scratch.len() < self.slots {
            scratch.resize(self.slots, Found::NOT);
        }
        let found = &mut scratch[..self.slots];
        self.scan_one(description, 0, &|_, _| true, found);
        for (slot, f) in found.iter_mut().enumerate() {
            if f.matched() {
                hits.push(TextHit {
                    slot: slot as u32,
                    start: f.start,
                    keyword: f.keyword,
                    chaptered: self.chaptered(slot),
                });
                *f = Found::NOT;
            }
        }
    }

    /// Merges one goods item's description hits into the screening's findings by slot: a
    /// rule keeps the first item it matched, and a description/chapter rule matches an item
    /// only when `chapter_applies(slot, item)`; within an item the least word and keyword
    /// wins, which is what [`TextRules::description_hits`] kept.
    pub(super) fn merge(
        hits: &[TextHit],
        item: usize,
        chapter_applies: &dyn Fn(u32, usize) -> bool,
        found: &mut [Found],
    ) {
        for h in hits {
            let Some(f) = found.get_mut(h.slot as usize) else {
                continue;
            };
            if !f.matched() && (!h.chaptered || chapter_applies(h.slot, item)) {
                *f = Found::at(item, h.start, h.keyword);
            }
        }
    }
}

thread_local! {
    /// This thread's memo of the profiles' findings in descriptions and HS codes.
    static MEMO: RefCell<Option<Box<Memo<super::evaluate::CodeFacts>>>> =
        const { RefCell::new(None) };
}

/// Runs `f` with this thread's memo, or with `None` when the memo is in use (never on one
/// thread) or gone (the thread is exiting). `f` runs once.
pub(super) fn with<R>(mut f: impl FnMut(Option<&mut Memo<super::evaluate::CodeFacts>>) -> R) -> R {
    let done = MEMO.try_with(|memo| {
        let mut memo = memo.try_borrow_mut().ok()?;
        Some(f(Some(memo.get_or_insert_with(|| Box::new(Memo::new())))))
    });
    match done {
        Ok(Some(r)) => r,
        _ => f(None),
    }
}

/// The table slot of a hash.
#[inline]
fn slot(hash: u64) -> usize {
    (crate::hashing::spread(hash) >> (64 - SLOTS.trailing_zeros())) as usize
}

/// The first eight bytes of `b` (at least eight), little-endian.
#[inline]
fn word8(b: &[u8]) -> u64 {
    b.get(..8)
        .and_then(|w| <[u8; 8]>::try_from(w).ok())
        .map_or(0, u64::from_le_bytes)
}

/// The first four bytes of `b` (at least four), little-endian.
#[inline]
fn word4(b: &[u8]) -> u64 {
    b.get(..4)
        .and_then(|w| <[u8; 4]>::try_from(w).ok())
        .map_or(0, |w| u64::from(u32::from_le_bytes(w)))
}

/// Two words that, with the length, are the whole of a text of at most 16 bytes: the first
/// eight and last eight bytes (overlapping) from eight bytes on, the first and last four from
/// four, the first, middle and last byte below. `None` for a longer text.
#[inline]
fn key_words(b: &[u8]) -> Option<(u64, u64)> {
    let n = b.len();
    Some(match n {
        0 => (0, 0),
        1..=3 => (
            u64::from(b[0]) | u64::from(b[n / 2]) << 8 | u64::from(b[n - 1]) << 16,
            0,
        ),
        4..=7 => (word4(b) | word4(&b[n - 4..]) << 32, 0),
        8 => (word8(b), 0),
        9..=16 => (word8(b), word8(&b[n - 8..])),
        _ => return None,
    })
}

/// A hash of a text of any length, a word at a time (the last word overlapping the one
/// before): the entry it finds is compared with the whole text.
#[inline]
fn hash_text(b: &[u8]) -> u64 {
    let n = b.len();
    if n <= 16 {
        let (x, y) = key_words(b).unwrap_or_default();
        return crate::hashing::fx_step(crate::hashing::fx_step(n as u64, x), y);
    }
    let mut hash = n as u64;
    let mut at = 0;
    while at + 8 < n {
        hash = crate::hashing::fx_step(hash, word8(&b[at..]));
        at += 8;
    }
    crate::hashing::fx_step(hash, word8(&b[n - 8..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn short_texts_are_their_key_words(a in "[a-c0-9]{0,17}", b in "[a-c0-9]{0,17}") {
            let (ka, kb) = (key_words(a.as_bytes()), key_words(b.as_bytes()));
            if a.len() <= 16 && b.len() <= 16 {
                proptest::prop_assert_eq!(ka == kb && a.len() == b.len(), a == b);
            } else {
                proptest::prop_assert_eq!(ka.is_none(), a.len() > 16);
            }
            if a == b {
                proptest::prop_assert_eq!(hash_text(a.as_bytes()), hash_text(b.as_bytes()));
            }
        }
    }
}
