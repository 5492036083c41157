//! Registration-number patterns: a small, anchored subset of regular expressions.
//!
//! Packs describe number formats such as `^IM[0-9]{10}$` or
//! `^GB([0-9]{9}|[0-9]{12}|GD[0-9]{3}|HA[0-9]{3})$`. A full regex engine would be the biggest
//! thing in the WASM package and a backtracking-free NFA would still be slow per call, so the
//! packs are limited to what number formats need, matched by simulating all positions at once
//! in a 128-bit set (linear time, no allocation):
//!
//! `^` and `$` (both required), ASCII literals, `.`, `\d`, `[...]` classes with ranges (and
//! `[^...]`), groups `( | )` and `(?: | )`, and the quantifiers `?`, `*`, `+`, `{n}`, `{n,m}`.

use std::fmt;

/// Longest input a pattern can match, in bytes (registration numbers are far shorter).
const MAX_INPUT: usize = 127;
/// Largest repetition count in a quantifier.
const MAX_REPEAT: u16 = 127;
/// Largest expanded size of a pattern (`expanded_size`): what one match costs, in steps over
/// a 128-bit set, and the longest example [`Pattern::example`] writes. The reference packs'
/// largest is 132 (`^VOEC[0-9]+$`); nested counted repetitions
/// multiply, and without this bound `^(((((a?){127}){127}){127}){127}){127}$`, within every
/// other limit, took 194 s to match once.
pub const MAX_EXPANDED_SIZE: u64 = 2048;

/// A compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    alternatives: Vec<Vec<Repeat>>,
    /// For a pattern of one fixed length without groups or choices (`^IM[0-9]{10}$`, most
    /// registration formats): the class of each byte, so that a match is one test a byte.
    fixed: Option<Vec<[u64; 4]>>,
    /// For a fixed pattern of 8 to 16 bytes each a literal or a digit (`^IM[0-9]{10}$`): the
    /// same test a word at a time ([`Words`]; some 130 instructions a registration fewer,
    /// issue 16). Native only (WASM module size, issue 17).
    #[cfg(not(target_arch = "wasm32"))]
    words: Option<Words>,
    text: String,
}

/// A fixed pattern of 8 to 16 bytes, each one ASCII literal or any digit, as two overlapping
/// little-endian words of eight bytes: the input's first eight bytes and its last eight.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Words {
    len: usize,
    /// For each word: the literal bytes' mask, their values, and the digits' mask.
    tests: [(u64, u64, u64); 2],
}

#[cfg(not(target_arch = "wasm32"))]
impl Words {
    /// The words of a pattern whose classes (one a byte) are all one byte or exactly the
    /// digits, 8 to 16 of them; `None` for any other.
    fn of(classes: &[[u64; 4]]) -> Option<Words> {
        const DIGITS: [u64; 4] = [0x03ff << 48, 0, 0, 0];
        let n = classes.len();
        if !(8..=16).contains(&n) {
            return None;
        }
        let word = |from: usize| {
            let mut test = (0u64, 0u64, 0u64);
            for (k, class) in classes[from..from + 8].iter().enumerate() {
                let members: u32 = class.iter().map(|w| w.count_ones()).sum();
                let shift = 8 * k;
                if *class == DIGITS {
                    test.2 |= 0xff << shift;
                } else if members == 1 {
                    let byte =
                        (0u8..=255).find(|&c| class[usize::from(c >> 6)] & (1 << (c & 63)) != 0)?;
                    test.0 |= 0xff << shift;
                    test.1 |= u64::from(byte) << shift;
                } else {
                    return None;
                }
            }
            Some(test)
        };
        Some(Words {
            len: n,
            tests: [word(0)?, word(n - 8)?],
        })
    }

    /// Whether `b` matches: its length, and in each word its literals and its digits.
    #[inline(always)]
    fn is_match(&self, b: &[u8]) -> bool {
        let word = |at: usize| {
            b.get(at..at + 8)
                .and_then(|w| <[u8; 8]>::try_from(w).ok())
                .map_or(0, u64::from_le_bytes)
        };
        let test = |w: u64, (literals, values, digits): (u64, u64, u64)| {
            // The bytes that are not to be digits read as '0' for the digit test.
            let as_digits = (w & digits) | (0x3030_3030_3030_3030 & !digits);
            w & literals == values && crate::declaration::not_digits(as_digits) == 0
        };
        b.len() == self.len
            && test(word(0), self.tests[0])
            && test(word(self.len - 8), self.tests[1])
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Repeat {
    atom: Atom,
    min: u16,
    max: u16,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Atom {
    /// A byte class as a 256-bit membership set.
    Class([u64; 4]),
    Group(Vec<Vec<Repeat>>),
}

/// Why a pattern was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// Byte offset in the pattern.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.message, self.offset)
    }
}

type Set = u128;

impl Pattern {
    /// Compiles `text`; it must start with `^` and end with `$`.
    pub fn new(text: &str) -> Result<Pattern, PatternError> {
        let err = |offset: usize, message: &str| PatternError {
            offset,
            message: message.to_string(),
        };
        if !text.is_ascii() {
            return Err(err(0, "patterns must be ASCII"));
        }
        let b = text.as_bytes();
        if b.first() != Some(&b'^') || b.last() != Some(&b'$') || b.len() < 2 {
            return Err(err(
                0,
                "patterns must be anchored: start with ^ and end with $",
            ));
        }
        let body = &b[1..b.len() - 1];
        let mut parser = Parser { b: body, pos: 0 };
        let alternatives = parser.alternatives(0)?;
        if parser.pos != body.len() {
            return Err(err(parser.pos + 1, "unbalanced )"));
        }
        let size = expanded_size(&alternatives);
        if size > MAX_EXPANDED_SIZE {
            return Err(PatternError {
                offset: 0,
                message: format!(
                    "pattern too complex: it expands to {size} steps, and the limit is \
                     {MAX_EXPANDED_SIZE} (counted repetitions multiply when nested)"
                ),
            });
        }
        let fixed = fixed_classes(&alternatives);
        Ok(Pattern {
            #[cfg(not(target_arch = "wasm32"))]
            words: fixed.as_deref().and_then(Words::of),
            fixed,
            alternatives,
            text: text.to_string(),
        })
    }

    /// True when the whole of `input` matches.
    pub fn is_match(&self, input: &str) -> bool {
        let b = input.as_bytes();
        if b.len() > MAX_INPUT {
            return false;
        }
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(words) = &self.words {
            return words.is_match(b);
        }
        if let Some(classes) = &self.fixed {
            return classes.len() == b.len()
                && classes
                    .iter()
                    .zip(b)
                    .all(|(bits, &c)| bits[usize::from(c >> 6)] & (1 << (c & 63)) != 0);
        }
        let ends = alternatives_ends(&self.alternatives, b, 1);
        ends & (1 << b.len()) != 0
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// A string the pattern matches, built from the choices `pick(n)` makes (each a number
    /// below `n`): synthetic data generators use it to write registration numbers in the
    /// format a pack requires, whatever the pack. Printable ASCII members of a class are
    /// preferred; open-ended repeats (`*`, `+`) add at most three more.
    pub fn example(&self, pick: &mut dyn FnMut(u32) -> u32) -> String {
        let mut out = Vec::new();
        sample_alternatives(&self.alternatives, pick, &mut out);
        String::from_utf8_lossy(&out).into_owned()
    }
}

fn sample_alternatives(alts: &[Vec<Repeat>], pick: &mut dyn FnMut(u32) -> u32, out: &mut Vec<u8>) {
    if alts.is_empty() {
        return;
    }
    let seq = &alts[pick(alts.len() as u32) as usize % alts.len()];
    for rep in seq {
        let extra = u32::from(rep.max.saturating_sub(rep.min)).min(3);
        let count = u32::from(rep.min) + pick(extra + 1) % (extra + 1);
        for _ in 0..count {
            match &rep.atom {
                Atom::Class(bits) => {
                    let member = |c: u8| bits[usize::from(c >> 6)] & (1 << (c & 63)) != 0;
                    let printable: Vec<u8> = (0x21u8..0x7f).filter(|&c| member(c)).collect();
                    let members: Vec<u8> = if printable.is_empty() {
                        (0u8..=255).filter(|&c| member(c)).collect()
                    } else {
                        printable
                    };
                    if !members.is_empty() {
                        out.push(members[pick(members.len() as u32) as usize % members.len()]);
                    }
                }
                Atom::Group(inner) => sample_alternatives(inner, pick, out),
            }
        }
    }
}

/// The work one match does, as the number of atom steps [`seq_ends`] takes at most: each
/// class, group and alternative counted once for every repetition it may take (`*` and `+` as
/// [`MAX_REPEAT`]). Matching costs at most this many steps, each over a set of at most
/// [`MAX_INPUT`] + 1 positions, whatever the input. Saturates instead of overflowing.
fn expanded_size(alts: &[Vec<Repeat>]) -> u64 {
    alts.iter().fold(0u64, |total, seq| {
        let seq_size = seq.iter().fold(1u64, |acc, rep| {
            let atom = match &rep.atom {
                Atom::Class(_) => 1,
                Atom::Group(inner) => expanded_size(inner).saturating_add(1),
            };
            acc.saturating_add(atom.saturating_mul(u64::from(rep.max.max(1))))
        });
        total.saturating_add(seq_size)
    })
}

/// The class of each byte of a pattern that is one sequence of classes each repeated a fixed
/// number of times (`{n}`, or once), within [`MAX_INPUT`] bytes; `None` for any other.
fn fixed_classes(alts: &[Vec<Repeat>]) -> Option<Vec<[u64; 4]>> {
    let [seq] = alts else {
        return None;
    };
    let mut classes = Vec::new();
    for rep in seq {
        let Atom::Class(bits) = &rep.atom else {
            return None;
        };
        if rep.min != rep.max || classes.len() + usize::from(rep.max) > MAX_INPUT {
            return None;
        }
        classes.extend(std::iter::repeat_n(*bits, usize::from(rep.max)));
    }
    Some(classes)
}

fn alternatives_ends(alts: &[Vec<Repeat>], input: &[u8], starts: Set) -> Set {
    alts.iter()
        .fold(0, |acc, seq| acc | seq_ends(seq, input, starts))
}

fn seq_ends(seq: &[Repeat], input: &[u8], mut set: Set) -> Set {
    for rep in seq {
        if set == 0 {
            return 0;
        }
        for _ in 0..rep.min {
            set = atom_step(&rep.atom, input, set);
        }
        let mut reached = set;
        let mut frontier = set;
        for _ in rep.min..rep.max {
            frontier = atom_step(&rep.atom, input, frontier) & !reached;
            if frontier == 0 {
                break;
            }
            reached |= frontier;
        }
        set = reached;
    }
    set
}

fn atom_step(atom: &Atom, input: &[u8], set: Set) -> Set {
    match atom {
        Atom::Class(bits) => {
            let mut out = 0;
            let mut s = set;
            while s != 0 {
                let pos = s.trailing_zeros() as usize;
                s &= s - 1;
                if let Some(&c) = input.get(pos) {
                    if bits[usize::from(c >> 6)] & (1 << (c & 63)) != 0 {
                        out |= 1 << (pos + 1);
                    }
                }
            }
            out
        }
        Atom::Group(alts) => alternatives_ends(alts, input, set),
    }
}

struct Parser<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn err<T>(&self, message: &str) -> Result<T, PatternError> {
        Err(PatternError {
            offset: self.pos + 1,
            message: message.to_string(),
        })
    }

    fn alternatives(&mut self, depth: usize) -> Result<Vec<Vec<Repeat>>, PatternError> {
        if depth > 8 {
            return self.err("groups nested too deeply");
        }
        let mut alts = vec![Vec::new()];
        while let Some(&c) = self.b.get(self.pos) {
            match c {
                b'|' => {
                    self.pos += 1;
                    alts.push(Vec::new());
                }
                b')' => break,
                _ => {
                    let atom = self.atom(depth)?;
                    let (min, max) = self.quantifier()?;
                    if let Some(seq) = alts.last_mut() {
                        seq.push(Repeat { atom, min, max });
                    }
                }
            }
        }
        Ok(alts)
    }

    fn atom(&mut self, depth: usize) -> Result<Atom, PatternError> {
        let c = self.b[self.pos];
        self.pos += 1;
        let mut bits = [0u64; 4];
        let mut set = |lo: u8, hi: u8| {
            for x in lo..=hi {
                bits[usize::from(x >> 6)] |= 1 << (x & 63);
            }
        };
        match c {
            b'(' => {
                if self.b[self.pos..].starts_with(b"?:") {
                    self.pos += 2;
                }
                let alts = self.alternatives(depth + 1)?;
                if self.b.get(self.pos) != Some(&b')') {
                    return self.err("unclosed (");
                }
                self.pos += 1;
                return Ok(Atom::Group(alts));
            }
            b'[' => return self.class(),
            b'.' => set(0, 255),
            b'\\' => match self.b.get(self.pos) {
                Some(b'd') => {
                    self.pos += 1;
                    set(b'0', b'9');
                }
                Some(&e) if !e.is_ascii_alphanumeric() => {
                    self.pos += 1;
                    set(e, e);
                }
                _ => return self.err("unsupported escape (only \\d and escaped punctuation)"),
            },
            b'?' | b'*' | b'+' | b'{' | b'}' | b']' | b'^' | b'$' => {
                return self.err("misplaced special character")
            }
            other => set(other, other),
        }
        Ok(Atom::Class(bits))
    }

    fn class(&mut self) -> Result<Atom, PatternError> {
        let mut bits = [0u64; 4];
        let negated = self.b.get(self.pos) == Some(&b'^');
        if negated {
            self.pos += 1;
        }
        let mut first = true;
        loop {
            let Some(&c) = self.b.get(self.pos) else {
                return self.err("unclosed [");
            };
            self.pos += 1;
            if c == b']' && !first {
                break;
            }
            first = false;
            let (lo, hi) = if c == b'\\' && self.b.get(self.pos) == Some(&b'd') {
                self.pos += 1;
                (b'0', b'9')
            } else if self.b.get(self.pos) == Some(&b'-')
                && self.b.get(self.pos + 1).is_some_and(|&n| n != b']')
            {
                let hi = self.b[self.pos + 1];
                self.pos += 2;
                if hi < c {
                    return self.err("range out of order");
                }
                (c, hi)
            } else {
                (c, c)
            };
            for x in lo..=hi {
                bits[usize::from(x >> 6)] |= 1 << (x & 63);
            }
        }
        if negated {
            for w in &mut bits {
                *w = !*w;
            }
        }
        Ok(Atom::Class(bits))
    }

    fn quantifier(&mut self) -> Result<(u16, u16), PatternError> {
        let q = match self.b.get(self.pos) {
            Some(b'?') => (0, 1),
            Some(b'*') => (0, MAX_REPEAT),
            Some(b'+') => (1, MAX_REPEAT),
            Some(b'{') => {
                let end = self.b[self.pos..].iter().position(|&c| c == b'}');
                let Some(end) = end else {
                    return self.err("unclosed {");
                };
                let inner =
                    std::str::from_utf8(&self.b[self.pos + 1..self.pos + end]).unwrap_or("");
                let parse = |s: &str| s.trim().parse::<u16>().ok().filter(|&n| n <= MAX_REPEAT);
                let (min, max) = match inner.split_once(',') {
                    Some((a, b)) => (parse(a), parse(b)),
                    None => (parse(inner), parse(inner)),
                };
                match (min, max) {
                    (Some(a), Some(b)) if a <= b => {
                        self.pos += end + 1;
                        return Ok((a, b));
                    }
                    _ => return self.err("bad {n} or {n,m} quantifier (counts up to 127, n <= m)"),
                }
            }
            _ => return Ok((1, 1)),
        };
        self.pos += 1;
        Ok(q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_formats() {
        let ioss = Pattern::new("^IM[0-9]{10}$").unwrap();
        assert!(ioss.is_match("IM2500000001"));
        for bad in [
            "IM250000000",
            "IM25000000011",
            "im2500000001",
            "XIM2500000001",
            "",
            "IM25000000O1",
        ] {
            assert!(!ioss.is_match(bad), "{bad}");
        }
        let gb = Pattern::new("^GB([0-9]{9}|[0-9]{12}|GD[0-9]{3}|HA[0-9]{3})$").unwrap();
        for ok in ["GB123456789", "GB123456789012", "GBGD123", "GBHA999"] {
            assert!(gb.is_match(ok), "{ok}");
        }
        for bad in [
            "GB12345678",
            "GB1234567890",
            "GBGD12",
            "123456789",
            "GB123456789 ",
        ] {
            assert!(!gb.is_match(bad), "{bad}");
        }
        let misc =
            Pattern::new(r"^(?:CHE-?)?\d{3}\.?\d{3}\.?\d{3}( (MWST|TVA|IVA))?[^a-z]*$").unwrap();
        assert!(misc.is_match("CHE-123.456.789 MWST"));
        assert!(misc.is_match("123456789"));
        assert!(!misc.is_match("CHE-123.456.78"));
        assert!(Pattern::new("^a+b*c?$").unwrap().is_match("aaab"));
        assert!(!Pattern::new("^.{3}$").unwrap().is_match(&"x".repeat(200)));
    }

    #[test]
    fn nested_counts_are_bounded_so_matching_stays_cheap() {
        // The pattern from issue 21: within every other limit, 194 s for one match.
        let nested = "^(((((a?){127}){127}){127}){127}){127}$";
        let e = Pattern::new(nested).unwrap_err();
        assert!(e.message.contains("too complex"), "{e}");
        for levels in 2..=5 {
            let mut p = "a?".to_string();
            for _ in 0..levels {
                p = format!("({p}){{127}}");
            }
            assert!(Pattern::new(&format!("^{p}$")).is_err(), "{levels} levels");
        }
        assert!(
            Pattern::new("^((((((((((){127}){127}){127}){127}){127}){127}){127}){127}))$").is_err()
        );
        assert!(Pattern::new(&format!("^({}){{127}}$", "|".repeat(100))).is_err());
        // Every reference pack pattern is far below the bound.
        for (text, size) in [
            ("^VOEC[0-9]+$", 132),
            ("^.+$", 128),
            ("^IM[0-9]{10}$", 13),
            ("^GB([0-9]{9}|[0-9]{12}|GD[0-9]{3}|HA[0-9]{3})$", 39),
            (
                "^CHE-?[0-9]{3}\\.?[0-9]{3}\\.?[0-9]{3}( ?(MWST|TVA|IVA))?$",
                33,
            ),
        ] {
            let p = Pattern::new(text).unwrap();
            assert_eq!(expanded_size(&p.alternatives), size, "{text}");
        }
        // The costliest pattern the bound admits matches in a bounded number of steps: the
        // same count as its size, whatever the input (here, every input up to the longest).
        let worst = Pattern::new("^(a{0,14}){127}$").unwrap();
        assert!(expanded_size(&worst.alternatives) <= MAX_EXPANDED_SIZE);
        for n in 0..=MAX_INPUT {
            assert!(worst.is_match(&"a".repeat(n)));
        }
        let mut pick = |n: u32| n.saturating_sub(1);
        assert!(worst.example(&mut pick).len() as u64 <= MAX_EXPANDED_SIZE);
    }

    #[test]
    fn refuses_what_it_cannot_do() {
        for bad in [
            "IM[0-9]{10}$",
            "^IM[0-9]{10}",
            "^[0-9$",
            "^(ab$",
            "^ab)$",
            "^a{2,1}$",
            "^a{999}$",
            "^\\w$",
            "^*$",
            "^é$",
        ] {
            assert!(Pattern::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn examples_match_their_pattern() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut pick = |n: u32| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % u64::from(n.max(1))) as u32
        };
        for text in [
            "^IM[0-9]{10}$",
            "^GB([0-9]{9}|[0-9]{12}|GD[0-9]{3}|HA[0-9]{3})$",
            "^(?:AU|NZ)?[A-Z]\\d{2,4}-[^a-z0-9]+x*.?$",
        ] {
            let p = Pattern::new(text).unwrap();
            let mut shapes = std::collections::BTreeSet::new();
            for _ in 0..200 {
                let s = p.example(&mut pick);
                assert!(p.is_match(&s), "{text}: {s:?}");
                shapes.insert(s.len());
            }
            assert!(
                shapes.len() > 1 || text == "^IM[0-9]{10}$",
                "{text}: {shapes:?}"
            );
        }
    }

    /// The fixed-length path agrees with the set simulation on every input, matching or not.
    #[test]
    fn fixed_length_patterns_match_as_the_simulation_does() {
        use proptest::prelude::*;
        let patterns = [
            "^IM[0-9]{10}$",
            "^GB[0-9]{9}$",
            "^a.c$",
            "^[^0-9]x{3}$",
            "^$",
            "^\\d{2}(?:AB)$",
            "^[A-Z]{2}[0-9A-Z]{2,12}$",
            "^IM\\d{6}$",
            "^[0-9]{16}$",
            "^a[0-9]{15}x$",
            "^G[B]-?[0-9]{9}$",
            "^[0-9]{3}-[0-9]{4}$",
        ];
        let compiled: Vec<Pattern> = patterns.iter().map(|p| Pattern::new(p).unwrap()).collect();
        assert!(compiled[0].fixed.is_some() && compiled[4].fixed.is_some());
        assert!(compiled[5].fixed.is_none() && compiled[6].fixed.is_none());
        // The word path: literals and digits, 8 to 16 bytes.
        #[cfg(not(target_arch = "wasm32"))]
        {
            let words: Vec<bool> = compiled.iter().map(|p| p.words.is_some()).collect();
            assert_eq!(
                words,
                [true, true, false, false, false, false, false, true, true, false, false, true]
            );
        }
        let mut runner = proptest::test_runner::TestRunner::default();
        // Any text, and texts shaped like the numbers (most near misses).
        for inputs in [
            "[IMGB0-9a-cx\\-/:\u{e9}]{0,18}",
            "(IM|GB|IN|MI|a|)[0-9/:x-]{5,16}",
        ] {
            runner
                .run(&inputs, |input| {
                    for p in &compiled {
                        let simulated = alternatives_ends(&p.alternatives, input.as_bytes(), 1)
                            & (1 << input.len())
                            != 0;
                        prop_assert_eq!(
                            p.is_match(&input),
                            simulated,
                            "{} on {:?}",
                            p.as_str(),
                            input
                        );
                    }
                    Ok(())
                })
                .unwrap();
        }
        for p in &compiled[..2] {
            let example = p.example(&mut |n| n / 2);
            assert!(p.is_match(&example), "{example}");
        }
    }
}
