//! A profile's text rules (keywords, vague descriptions, description/chapter mismatches)
//! compiled at load into tables that scan each item description once (issue 16).
//!
//! Scanning a description lower-cases and hashes each word as it reads it, looks the word up
//! once in a table of the profile's words, and advances at most
//! [`crate::limits::MAX_KEYWORD_WORDS`] partial phrase matches through a trie over word ids.
//! The cost is therefore bounded by the words of the description, whatever the number of
//! keywords: 100,000 keywords sharing their first word once made every occurrence of that word
//! try them all (119 s for one declaration).
//!
//! Words are split exactly as before: an ASCII description at every byte that is not an ASCII
//! letter or digit, any other description lower-cased first (`char::to_lowercase`) and then
//! split at every char that is not alphanumeric. The keywords themselves are normalized by
//! [`super::evaluate::normalize`] when the profile loads.

use super::{Condition, RiskProfile};
use crate::declaration::{Declaration, Nature};
use crate::limits::MAX_KEYWORD_WORDS;

/// No entry, no item.
pub(super) const NONE: u32 = u32::MAX;

/// The multiply-rotate step of FxHash, fed one byte at a time so that the scan hashes a word
/// while it lower-cases it. SipHash's resistance to chosen collisions buys nothing here: the
/// table holds the profile's words only and is probed linearly at a load of at most one half,
/// so a description word costs at most the longest run of the profile's own table.
fn mix(hash: u64, byte: u8) -> u64 {
    crate::hashing::fx_step(hash, u64::from(byte))
}

/// Each ASCII letter or digit lower-cased; 0 for every other byte (a word separator in an
/// ASCII description).
pub(super) static LOWER: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        if (b as u8).is_ascii_alphanumeric() {
            table[b] = (b as u8).to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// The hash of a word that is already lower-case.
fn hash_word(word: &[u8]) -> u64 {
    word.iter().fold(0, |h, &b| mix(h, b))
}

/// Open addressing over entry numbers: slot `hash >> shift`, then the next slots in turn.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Index {
    shift: u32,
    /// Entry number plus one; 0 is an empty slot.
    slots: Box<[u32]>,
}

impl Default for Index {
    fn default() -> Index {
        Index::new(std::iter::empty())
    }
}

impl Index {
    /// Indexes entries `0..` by their hashes, with at least twice as many slots as entries.
    pub(super) fn new(hashes: impl ExactSizeIterator<Item = u64>) -> Index {
        let bits = (hashes.len() * 2)
            .max(2)
            .next_power_of_two()
            .trailing_zeros();
        let mut index = Index {
            shift: 64 - bits,
            slots: vec![0; 1 << bits].into_boxed_slice(),
        };
        let mask = index.slots.len() - 1;
        for (entry, hash) in hashes.enumerate() {
            let mut slot = (hash >> index.shift) as usize;
            while index.slots[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            index.slots[slot] = entry as u32 + 1;
        }
        index
    }

    /// The first entry on `hash`'s probe sequence that `is` accepts.
    #[inline]
    pub(super) fn find(&self, hash: u64, mut is: impl FnMut(usize) -> bool) -> Option<usize> {
        let mask = self.slots.len() - 1;
        let mut slot = (hash >> self.shift) as usize;
        loop {
            let entry = *self.slots.get(slot)?;
            if entry == 0 {
                return None;
            }
            if is(entry as usize - 1) {
                return Some(entry as usize - 1);
            }
            slot = (slot + 1) & mask;
        }
    }
}

/// One word of the profile's keywords or vague-description lists.
#[derive(Debug, Clone, PartialEq)]
struct Word {
    hash: u64,
    text: Box<str>,
    /// Number of the word in trie edges.
    id: u32,
    /// The trie node a phrase starting with this word reaches, or 0 when none starts with it.
    root: u32,
    /// Offset of the word's bits in [`TextRules::vague_masks`], or [`NONE`].
    vague: u32,
}

/// A phrase ends at a trie node: the text rule (its slot) and keyword it stands for.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Ending {
    slot: u32,
    keyword: u32,
    /// A description/chapter rule: it also needs the item's HS code outside its chapters.
    chaptered: bool,
}

/// A trie node: the phrases ending there and whether any phrase goes on.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Node {
    endings: (u32, u32),
    leaf: bool,
}

/// Where a text rule first matched: the goods item, the word the phrase starts at and the
/// keyword. All zeros while the rule has not matched, so that a screening's findings start
/// as one `memset` (issue 16).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    /// The goods item plus one; 0 while the rule has not matched.
    item_1: u32,
    pub start: u32,
    pub keyword: u32,
}

impl Found {
    /// Not matched (yet).
    pub const NOT: Found = Found {
        item_1: 0,
        start: 0,
        keyword: 0,
    };

    /// Matched in goods item `item`.
    pub fn at(item: usize, start: u32, keyword: u32) -> Found {
        Found {
            item_1: (item as u32).wrapping_add(1),
            start,
            keyword,
        }
    }

    /// Whether the rule matched.
    pub fn matched(self) -> bool {
        self.item_1 != 0
    }

    /// The item and keyword, if the rule matched.
    pub fn get(self) -> Option<(usize, usize)> {
        let item = self.item_1.checked_sub(1)?;
        Some((item as usize, self.keyword as usize))
    }
}

/// What a profile's text rules look for, indexed for one pass over each description.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct TextRules {
    /// For each rule of the profile, its text slot, or [`NONE`].
    pub slot_of: Vec<u32>,
    /// For each text slot, its rule.
    pub rule_of: Vec<u32>,
    /// The number of text rules (keyword, vague description, description/chapter).
    pub slots: usize,
    words: Vec<Word>,
    word_index: Index,
    /// Trie edges below the root: `(node << 32 | word id, child)`.
    edges: Vec<(u64, u32)>,
    edge_index: Index,
    nodes: Vec<Node>,
    endings: Vec<Ending>,
    /// The text slot of each vague-description rule, by bit number.
    vague_slots: Vec<u32>,
    /// `u64`s per word in [`TextRules::vague_masks`].
    vague_stride: usize,
    /// Bit `b` of a word's mask: the word is in vague rule `vague_slots[b]`'s list.
    vague_masks: Vec<u64>,
    /// For each text slot, whether it is a description/chapter rule's.
    chaptered: Vec<bool>,
}

fn edge_hash(key: u64) -> u64 {
    crate::hashing::spread(key)
}

/// Builds [`TextRules`] with ordinary maps, then freezes them into flat tables.
#[derive(Default)]
struct Builder {
    words: std::collections::HashMap<String, u32>,
    edges: std::collections::HashMap<(u32, u32), u32>,
    endings: Vec<Vec<Ending>>,
    vague: Vec<(u32, Vec<String>)>,
}

impl Builder {
    fn word(&mut self, word: &str) -> u32 {
        let next = self.words.len() as u32;
        *self.words.entry(word.to_string()).or_insert(next)
    }

    /// Adds a normalized phrase to the trie and returns the node it ends at.
    fn phrase(&mut self, phrase: &str) -> u32 {
        let mut node = 0;
        for word in phrase.split(' ') {
            let word = self.word(word);
            let next = self.endings.len() as u32;
            node = *self.edges.entry((node, word)).or_insert(next);
            if node == next {
                self.endings.push(Vec::new());
            }
        }
        node
    }
}

impl TextRules {
    pub(crate) fn new(profile: &RiskProfile) -> TextRules {
        let mut b = Builder {
            endings: vec![Vec::new()],
            ..Builder::default()
        };
        let mut slot_of = vec![NONE; profile.rules.len()];
        let mut slots = 0u32;
        for (rule, r) in profile.rules.iter().enumerate() {
            let (keywords, chaptered) = match &r.when {
                Condition::Keyword(words) => (words, false),
                Condition::DescriptionChapter { keywords, .. } => (keywords, true),
                Condition::VagueDescription(words) => {
                    let words = words.iter().flat_map(|w| w.split(' ')).map(String::from);
                    b.vague.push((slots, words.collect()));
                    slot_of[rule] = slots;
                    slots += 1;
                    continue;
                }
                _ => continue,
            };
            for (keyword, phrase) in keywords.iter().enumerate() {
                let node = b.phrase(phrase);
                b.endings[node as usize].push(Ending {
                    slot: slots,
                    keyword: keyword as u32,
                    chaptered,
                });
            }
            slot_of[rule] = slots;
            slots += 1;
        }
        let mut rules = TextRules::freeze(b);
        rules.rule_of = (0..slots)
            .map(|slot| slot_of.iter().position(|s| *s == slot).unwrap_or(0) as u32)
            .collect();
        rules.chaptered = (rules.rule_of.iter())
            .map(|&r| {
                matches!(
                    profile.rules[r as usize].when,
                    Condition::DescriptionChapter { .. }
                )
            })
            .collect();
        rules.slot_of = slot_of;
        rules.slots = slots as usize;
        rules
    }

    fn freeze(mut b: Builder) -> TextRules {
        let vague = std::mem::take(&mut b.vague);
        for w in vague.iter().flat_map(|(_, words)| words) {
            b.word(w);
        }
        b.vague = vague;
        let mut t = TextRules::default();
        let mut words: Vec<(&String, &u32)> = b.words.iter().collect();
        crate::sort::sort_by_key(&mut words, |(_, id)| **id);
        t.words = words
            .into_iter()
            .map(|(text, &id)| Word {
                hash: hash_word(text.as_bytes()),
                text: text.as_str().into(),
                id,
                root: b.edges.get(&(0, id)).copied().unwrap_or(0),
                vague: NONE,
            })
            .collect();
        t.word_index = Index::new(t.words.iter().map(|w| w.hash));
        t.edges = b
            .edges
            .iter()
            .filter(|((node, _), _)| *node != 0)
            .map(|(&(node, word), &child)| (u64::from(node) << 32 | u64::from(word), child))
            .collect();
        crate::sort::sort(&mut t.edges);
        t.edge_index = Index::new(t.edges.iter().map(|(key, _)| edge_hash(*key)));
        let mut parents = vec![false; b.endings.len()];
        b.edges
            .keys()
            .for_each(|(node, _)| parents[*node as usize] = true);
        for (node, endings) in b.endings.iter().enumerate() {
            let start = t.endings.len() as u32;
            t.endings.extend_from_slice(endings);
            t.nodes.push(Node {
                endings: (start, t.endings.len() as u32),
                leaf: !parents[node],
            });
        }
        t.vague_masks(&b);
        t
    }

    /// Sets the vague-description bits of every word.
    fn vague_masks(&mut self, b: &Builder) {
        self.vague_stride = b.vague.len().div_ceil(64);
        for (bit, (slot, words)) in b.vague.iter().enumerate() {
            self.vague_slots.push(*slot);
            for w in words {
                let Some(id) = b.words.get(w) else { continue };
                let word = &mut self.words[*id as usize];
                if word.vague == NONE {
                    word.vague = self.vague_masks.len() as u32;
                    let zeros = std::iter::repeat_n(0, self.vague_stride);
                    self.vague_masks.extend(zeros);
                }
                self.vague_masks[word.vague as usize + bit / 64] |= 1 << (bit % 64);
            }
        }
    }

    /// The profile's word `lower`, given its hash (already lower-case, any script).
    #[inline]
    fn word(&self, hash: u64, lower: &[u8]) -> Option<&Word> {
        let found = self.word_index.find(hash, |e| {
            let w = &self.words[e];
            w.hash == hash && w.text.as_bytes() == lower
        });
        found.map(|e| &self.words[e])
    }

    /// The profile's word equal to the ASCII `word` lower-cased.
    #[inline]
    fn ascii_word(&self, hash: u64, word: &[u8]) -> Option<&Word> {
        let found = self.word_index.find(hash, |e| {
            let w = &self.words[e];
            // The profile's words are lower-case: comparing ignoring ASCII case is comparing
            // with the lower-cased word (a non-ASCII byte equals no ASCII byte).
            w.hash == hash && w.text.as_bytes().eq_ignore_ascii_case(word)
        });
        found.map(|e| &self.words[e])
    }

    fn child(&self, node: u32, word: u32) -> Option<u32> {
        let key = u64::from(node) << 32 | u64::from(word);
        let e = self
            .edge_index
            .find(edge_hash(key), |e| self.edges[e].0 == key)?;
        Some(self.edges[e].1)
    }

    /// For each text rule (by slot), the first goods item its words matched and the keyword
    /// (vague rules: 0). Where several keywords of a rule match in that item, the one starting
    /// first wins, and of those starting at the same word, the first in the profile.
    /// `chapter_applies(slot, item)`: whether a description/chapter rule may hit the item.
    pub(crate) fn scan(
        &self,
        decl: &Declaration,
        chapter_applies: &dyn Fn(u32, usize) -> bool,
        found: &mut [Found],
    ) {
        if self.slots == 0 {
            return;
        }
        for (i, item) in decl.items.iter().enumerate() {
            if item.nature != Nature::Document {
                self.scan_one(&item.description, i, chapter_applies, found);
            }
        }
    }

    /// [`TextRules::scan`] of the description of goods item `item`.
    pub(super) fn scan_one(
        &self,
        description: &str,
        item: usize,
        chapter_applies: &dyn Fn(u32, usize) -> bool,
        found: &mut [Found],
    ) {
        let mut acc = [0u64; 2];
        let mut heap;
        let vague: &mut [u64] = if self.vague_stride <= acc.len() {
            &mut acc[..self.vague_stride]
        } else {
            heap = vec![0; self.vague_stride];
            &mut heap
        };
        vague.fill(u64::MAX);
        let mut scan = Scan {
            rules: self,
            item,
            chapter_applies,
            found,
            active: [(0, 0); MAX_KEYWORD_WORDS],
            live: 0,
            position: 0,
            vague,
            vague_dead: false,
        };
        scan.description(description);
        scan.finish();
    }

    /// Whether text slot `slot` is a description/chapter rule's.
    pub(super) fn chaptered(&self, slot: usize) -> bool {
        self.chaptered.get(slot).copied().unwrap_or(false)
    }
}

/// The scan of one item description.
struct Scan<'a> {
    rules: &'a TextRules,
    item: usize,
    chapter_applies: &'a dyn Fn(u32, usize) -> bool,
    found: &'a mut [Found],
    /// Partial phrase matches: (node, word the phrase starts at).
    active: [(u32, u32); MAX_KEYWORD_WORDS],
    live: usize,
    position: u32,
    /// The vague rules every word so far belongs to.
    vague: &'a mut [u64],
    vague_dead: bool,
}

impl Scan<'_> {
    fn description(&mut self, text: &str) {
        if text.is_ascii() {
            let bytes = text.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                if LOWER[usize::from(bytes[i])] == 0 {
                    i += 1;
                    continue;
                }
                let start = i;
                let mut hash = 0;
                while let Some(&b) = bytes.get(i) {
                    let lower = LOWER[usize::from(b)];
                    if lower == 0 {
                        break;
                    }
                    hash = mix(hash, lower);
                    i += 1;
                }
                let word = self.rules.ascii_word(hash, &bytes[start..i]);
                self.word(word);
            }
        } else {
            let lower: String = text.chars().flat_map(char::to_lowercase).collect();
            for w in lower
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
            {
                let word = self.rules.word(hash_word(w.as_bytes()), w.as_bytes());
                self.word(word);
            }
        }
    }

    /// The next word of the description: `None` when the profile has no such word.
    fn word(&mut self, word: Option<&Word>) {
        let position = self.position;
        self.position += 1;
        let Some(word) = word else {
            self.live = 0;
            self.vague_dead = true;
            return;
        };
        let mut kept = 0;
        for a in 0..self.live {
            let (node, start) = self.active[a];
            if let Some(child) = self.rules.child(node, word.id) {
                self.reached(child, start);
                if !self.rules.nodes[child as usize].leaf {
                    self.active[kept] = (child, start);
                    kept += 1;
                }
            }
        }
        if word.root != 0 {
            self.reached(word.root, position);
            if !self.rules.nodes[word.root as usize].leaf && kept < self.active.len() {
                self.active[kept] = (word.root, position);
                kept += 1;
            }
        }
        self.live = kept;
        if !self.vague_dead {
            match self.rules.vague_masks.get(word.vague as usize..) {
                Some(masks) => self.vague.iter_mut().zip(masks).for_each(|(v, m)| *v &= m),
                None => self.vague_dead = true,
            }
        }
    }

    /// A phrase starting at word `start` reached `node`: its endings are candidates.
    fn reached(&mut self, node: u32, start: u32) {
        let (from, to) = self.rules.nodes[node as usize].endings;
        let here = Found::at(self.item, start, 0);
        for e in &self.rules.endings[from as usize..to as usize] {
            let f = &mut self.found[e.slot as usize];
            let better = if !f.matched() {
                !e.chaptered || (self.chapter_applies)(e.slot, self.item)
            } else {
                f.item_1 == here.item_1 && (start, e.keyword) < (f.start, f.keyword)
            };
            if better {
                *f = Found::at(self.item, start, e.keyword);
            }
        }
    }

    /// The vague rules whose lists hold every word of the description hit.
    fn finish(&mut self) {
        if self.vague_dead || self.position == 0 {
            return;
        }
        for (chunk, bits) in self.vague.iter().enumerate() {
            let mut bits = *bits;
            while bits != 0 {
                let bit = chunk * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let Some(&slot) = self.rules.vague_slots.get(bit) else {
                    continue;
                };
                let f = &mut self.found[slot as usize];
                if !f.matched() {
                    *f = Found::at(self.item, 0, 0);
                }
            }
        }
    }
}

#[cfg(test)]
#[path = "text_tests.rs"]
mod tests;
