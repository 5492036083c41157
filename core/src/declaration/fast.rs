//! The fast reader of declarations (feature `fast-parse`, issue 16).
//!
//! serde's derived reader spends most of a declaration's parse in generic machinery: key
//! matching through field visitors, a boxed raw value per quantity (so that numbers are read
//! from their text), decimal parsing through `rust_decimal`'s general routine. This reader
//! walks the JSON once, straight into [`Declaration`], for the shape nearly every declaration
//! has: objects with known keys, each at most once; strings without escapes or control
//! characters; amounts as plain decimal strings; quantities as decimal strings or plain JSON
//! numbers (no exponent).
//!
//! It is an optimisation only, never a second grammar: anything else (an escape, an unknown or
//! repeated key, a `null` where the strict reader refuses one, a number it cannot take exactly
//! as the strict reader does, an array where an object belongs, any syntax error) makes it
//! answer `None`, and [`Declaration::from_json`] runs the strict reader (serde's derive, or the
//! compact table reader of `regime/decode.rs` without `serde-error-paths`), which produces the
//! declaration or the error (code, path, message) exactly as before. When it answers
//! `Some`, the strict reader gives an equal declaration (core/tests/fast_parse.rs checks this
//! on every vector, every example, generated declarations of every regime and mutations).
//!
//! The hot pieces (string scan, texts, keys, values read in place) are forced in line on native
//! targets, where a call costs about as much as the work; the WASM package leaves the choice to
//! the compiler, which keeps its module smaller (BENCHMARKS.md, Throughput).
//!
//! Keys are matched by guessing (session 32): on native targets each object is first read in
//! the struct's order (`in_order!`: one compare of a constant token such as `,"name":` a key,
//! nothing to look up, no repeat possible), and any key out of that order by a loop guided by
//! the key this thread read after the last one ([`Successors`]). A guess is always checked
//! against the text, so the reader reads what it read before, only with fewer instructions.

use rust_decimal::Decimal;

use super::{
    Address, Carrier, CarrierKind, Channel, CollectedAtSale, Consignee, ConsigneeKind, Declaration,
    Incoterm, Item, Metal, MetalContent, Nature, Party, PriorPurchase, QuantityUnit, Registration,
    Text, Transaction,
};
use crate::date::Date;
use crate::json_bytes;
use crate::limits;
use crate::money::{parse_decimal, Amount, Quantity};
use crate::timestamp::Timestamp;

/// `text` read as a declaration when it has the common shape (module documentation), `None`
/// when the strict reader must decide.
pub(super) fn parse(text: &str) -> Option<Declaration> {
    let mut d = Declaration::default();
    parse_into(text, &mut d)?;
    Some(d)
}

/// [`parse`] into `d`, a default declaration or one read before (a thread's spare,
/// [`super::read_then`]): filled in place, since the declaration is large and each move of it
/// is a copy, and its vectors keep their capacity. Whatever `d` held, the outcome is the
/// declaration [`parse`] gives. `None` leaves in `d` whatever was read.
///
/// `Some(true)` when every field [`Declaration::check`] tests passed its test as it was read
/// (the same tests, or stricter ones: [`Rule`]), so that `check` would answer `Ok`;
/// `Some(false)` when `check` must look (a test failed, or a field this reader does not test).
pub(super) fn parse_into(text: &str, d: &mut Declaration) -> Option<bool> {
    // This thread's key orders, read and updated in place; a thread being torn down (or a
    // nested read, which does not happen) reads with the struct order.
    let read = SUCCESSORS.try_with(|cell| {
        let mut succ = cell.try_borrow_mut().ok()?;
        Some(read_with(text, d, &mut succ))
    });
    match read {
        Ok(Some(done)) => done,
        _ => read_with(text, d, &mut Successors::default()),
    }
}

/// [`parse_into`] guided by the key orders `succ`.
#[inline(always)]
fn read_with(text: &str, d: &mut Declaration, succ: &mut Successors) -> Option<bool> {
    let mut c = Cursor {
        s: text,
        i: 0,
        succ,
        doubt: false,
    };
    c.declaration(d)?;
    c.ws();
    // Only whitespace may follow the document, as for serde_json.
    (c.i == c.b().len()).then_some(!c.doubt)
}

/// The objects whose key orders are learned, each with a table of its own in [`Successors`]:
/// the seller and the marketplace are both parties, but often of different shapes.
mod object {
    pub(super) const DECLARATION: usize = 0;
    pub(super) const ITEM: usize = 1;
    pub(super) const SELLER: usize = 2;
    pub(super) const MARKETPLACE: usize = 3;
    pub(super) const CARRIER: usize = 4;
    pub(super) const CONSIGNEE: usize = 5;
    pub(super) const ADDRESS: usize = 6;
    pub(super) const REGISTRATION: usize = 7;
    pub(super) const METAL_CONTENT: usize = 8;
    pub(super) const COLLECTED_AT_SALE: usize = 9;
    pub(super) const PRIOR_PURCHASE: usize = 10;
    /// How many there are.
    pub(super) const COUNT: usize = 11;
}

/// `None`, on a path the compiler is told is rare (a call to a cold function): the reading of
/// a well-formed declaration stays the path it lays out and weighs its inlining for. Without
/// it every test on the way to a field halves the field's estimated frequency, and the calls
/// deep in a reader (slicing a string, building its text) looked cold and were left out of
/// line (about 20 instructions each).
#[cold]
#[inline(never)]
fn refused<T>() -> Option<T> {
    None
}

/// A successor that is the object's end (`}`), not a key.
const END: u8 = 0xff;

/// What a thread's reader remembers from its last declarations: the key orders it read, and
/// the last currency code it found known.
struct Successors {
    /// The guess of the key that follows each key, per object ([`object`]): row `[o][0]` is
    /// the key guessed first in object `o`, `[o][j + 1]` the key guessed after key `j`,
    /// [`END`] the object's close. Each is the successor last read (a key order seen in one
    /// record usually comes again in the next), the struct's order at first. A guess is only
    /// a guess: the key at the cursor is compared in full and checked against the keys
    /// already read, so whatever the table holds, the reader reads what the struct order
    /// would read.
    keys: [[u8; 32]; object::COUNT],
    /// The last currency code found known (`minor_units`), packed as
    /// [`Cursor::known_currency`] packs it, or 0: a thread's declarations mostly share one
    /// currency, and the table's lookup is a search.
    currency: u32,
}

impl Successors {
    /// The struct order: key `j + 1` after key `j`, key 0 first, then the keys in order. A
    /// constant, so that the thread's table starts as static data: built at run time, its
    /// lazy initializer was an 8 kB function in the WASM module (issue 17).
    const STRUCT_ORDER: Successors = {
        let mut row = [END; 32];
        let mut j = 0;
        while j < row.len() {
            row[j] = j as u8;
            j += 1;
        }
        Successors {
            keys: [row; object::COUNT],
            currency: 0,
        }
    };
}

impl Default for Successors {
    /// [`Successors::STRUCT_ORDER`].
    fn default() -> Self {
        Successors::STRUCT_ORDER
    }
}

thread_local! {
    /// The key orders of this thread's last declarations ([`Successors`]).
    static SUCCESSORS: std::cell::RefCell<Successors> =
        const { std::cell::RefCell::new(Successors::STRUCT_ORDER) };
}

/// The fields of an object already read, one bit each: a repeated key is the strict reader's
/// error, and a missing required field too.
#[derive(Default)]
struct Seen(u32);

impl Seen {
    /// Records field `bit`; `None` when it was already there.
    #[inline]
    fn mark(&mut self, bit: u32) -> Option<()> {
        let flag = 1u32 << bit;
        if self.0 & flag != 0 {
            return None;
        }
        self.0 |= flag;
        Some(())
    }

    /// Whether every field of `required` (a mask) was read.
    #[inline]
    fn has(&self, required: u32) -> Option<()> {
        (self.0 & required == required).then_some(())
    }
}

/// An object being read: the keys already read, and the last (its number plus one; 0 before
/// the first), whose successor is guessed next ([`Successors`]).
struct Keys {
    seen: Seen,
    last: usize,
}

/// A position in the text. Every reader skips the whitespace before its token.
struct Cursor<'a, 't> {
    /// The text; its bytes are [`Cursor::b`], read through the same pointer so that the
    /// compiler sees a byte tested by one reader as the byte another reads (a string's quotes).
    s: &'a str,
    i: usize,
    /// This thread's key orders, which guide the key matcher.
    succ: &'t mut Successors,
    /// Whether a field read so far may fail [`Declaration::check`] ([`Cursor::doubt`]).
    doubt: bool,
}

/// What [`Declaration::check`] asks of a text field, tested as the reader reads the text. Each
/// test passes only texts `check` accepts (byte length for character count, an id's first byte
/// for its Unicode trim); whatever fails it is left to `check` ([`Cursor::doubt`]), which then
/// reports its own errors, with their codes, paths and order, as before.
#[derive(Clone, Copy)]
enum Rule {
    /// At most `MAX_TEXT_CHARS` characters (`check_text`).
    Text,
    /// At most `MAX_ID_CHARS` characters and not blank (`check_id`).
    Id,
    /// Two ASCII capitals (`check_country`).
    Country,
    /// 6 to 10 ASCII digits (`null` is tested with the item's nature, [`Cursor::item`]).
    HsCode,
    /// An ISO 3166-2 code's form (the consignee's address).
    Subdivision,
}

impl Rule {
    /// Whether `text` may fail the rule (`check` must look).
    #[inline(always)]
    fn fails(self, text: &str) -> bool {
        match self {
            Rule::Text => text.len() > limits::MAX_TEXT_CHARS,
            Rule::Id => {
                text.len() > limits::MAX_ID_CHARS
                    || !text.as_bytes().first().is_some_and(u8::is_ascii_graphic)
            }
            Rule::Country => !super::is_country(text),
            Rule::HsCode => !super::is_hs_code(text),
            Rule::Subdivision => !super::is_subdivision(text),
        }
    }
}

/// The index of the first byte of `rest` that ends plain string content: `"`, `\` or a control
/// character (which JSON forbids raw in a string). Only a `"` ends a string this reader takes:
/// a backslash starts an escape, left to serde.
#[inline]
fn stop(rest: &[u8]) -> Option<usize> {
    json_bytes::position(rest, json_bytes::specials, json_bytes::is_special)
}

/// The index of the first byte that ends plain string content in `b[start..]`: sixteen bytes
/// at a time in line on native targets ([`json_bytes::special_lanes`], a few vector
/// instructions a chunk, where the word test cost about 21 instructions for eight bytes),
/// eight at a time on WASM (no vector instructions there); the last bytes of the text out of
/// line.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn string_end(b: &[u8], start: usize) -> Option<usize> {
    let mut k = start;
    // Split off chunk by chunk: one length test a chunk, where `b.get(k..k + 16)` cost two
    // and an overflow test.
    let mut rest = b.get(start..)?;
    if cfg!(target_arch = "wasm32") {
        while let Some((word, tail)) = rest.split_first_chunk::<8>() {
            let found = json_bytes::specials(u64::from_le_bytes(*word));
            if found != 0 {
                return Some(k + (found.trailing_zeros() / 8) as usize);
            }
            rest = tail;
            k += 8;
        }
    } else {
        while let Some((chunk, tail)) = rest.split_first_chunk::<16>() {
            let found = json_bytes::special_lanes(chunk);
            if found != 0 {
                return Some(k + (found.trailing_zeros() / 8) as usize);
            }
            rest = tail;
            k += 16;
        }
    }
    string_end_near_the_end(b, k)
}

/// [`string_end`] in the last bytes of the text (fewer than sixteen; eight on WASM).
#[inline(never)]
fn string_end_near_the_end(b: &[u8], k: usize) -> Option<usize> {
    Some(k + stop(b.get(k..)?)?)
}

impl<'a> Cursor<'a, '_> {
    /// The text's bytes.
    #[inline(always)]
    fn b(&self) -> &'a [u8] {
        self.s.as_bytes()
    }

    /// Skips JSON whitespace (space, tab, line feed, carriage return).
    #[inline]
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.b().get(self.i) {
            self.i += 1;
        }
    }

    /// The next byte after whitespace, not consumed. Compact JSON has no whitespace between
    /// tokens, so a byte above the space is taken at once; only a space or a control byte (or
    /// the end) goes through [`Cursor::peek_after_ws`].
    #[inline]
    fn peek(&mut self) -> Option<u8> {
        match self.b().get(self.i) {
            Some(&c) if c > b' ' => Some(c),
            _ => self.peek_after_ws(),
        }
    }

    /// [`Cursor::peek`] where whitespace may come first.
    #[cold]
    #[inline(never)]
    fn peek_after_ws(&mut self) -> Option<u8> {
        self.ws();
        self.b().get(self.i).copied()
    }

    /// Consumes byte `c` (after whitespace), or `None` when something else is there. `c` is
    /// never whitespace, so finding it at the cursor settles the compact case in one compare.
    #[inline]
    fn eat(&mut self, c: u8) -> Option<()> {
        if self.b().get(self.i) == Some(&c) {
            self.i += 1;
            return Some(());
        }
        if self.peek_after_ws()? != c {
            return None;
        }
        self.i += 1;
        Some(())
    }

    /// Consumes the keyword `word` (`null`, `true`, `false`) at the current position. What
    /// follows is checked by the caller (a separator must come next).
    #[inline]
    fn keyword(&mut self, word: &[u8]) -> Option<()> {
        if !self.b().get(self.i..)?.starts_with(word) {
            return None;
        }
        self.i += word.len();
        Some(())
    }

    /// A string without escapes or control characters, as its content.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn string(&mut self) -> Option<&'a str> {
        if self.b().get(self.i) != Some(&b'"') {
            return self.string_after_ws();
        }
        self.string_at_quote()
    }

    /// [`Cursor::string`] where whitespace may come first.
    #[cold]
    #[inline(never)]
    fn string_after_ws(&mut self) -> Option<&'a str> {
        self.ws();
        self.string_at_quote()
    }

    /// [`Cursor::string`] at its opening quote. Each slice is cut at a quote whose byte was
    /// just read through the same pointer (the open by the caller, the close here), at an
    /// index known to be in the text, so that the compiler drops the character-boundary checks
    /// of `get` and `strip_prefix`: a quote is ASCII, always a boundary. Cut from the open
    /// quote and stripped of it, rather than at the byte after, whose boundary nothing read
    /// before settles; and the close found in what follows the open quote, so that its index
    /// in that slice is the one the last cut checks.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn string_at_quote(&mut self) -> Option<&'a str> {
        let open = self.i;
        let Some(rest) = self.s.get(open..).and_then(|t| t.strip_prefix('"')) else {
            return refused();
        };
        let r = rest.as_bytes();
        let Some(k) = string_end(r, 0) else {
            return refused();
        };
        if r.get(k) != Some(&b'"') {
            return refused();
        }
        let Some(content) = rest.get(..k) else {
            return refused();
        };
        self.i = open + k + 2;
        Some(content)
    }

    /// The elements of an array into `out`, each read by `element`: the vector is emptied
    /// first and keeps its capacity, so that a declaration read again allocates no vector.
    #[inline]
    fn array_into<T>(
        &mut self,
        out: &mut Vec<T>,
        mut element: impl FnMut(&mut Self) -> Option<T>,
    ) -> Option<()> {
        self.eat(b'[')?;
        out.clear();
        if self.peek()? == b']' {
            self.i += 1;
            return Some(());
        }
        loop {
            out.push(element(self)?);
            match self.peek()? {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// The elements of an array read in place into the elements of `out`, which are reused
    /// (each read fills every field of its element) and only added when `out` is shorter;
    /// `out` is then cut to the array's length. For large elements (items), so that none is
    /// built, moved or dropped in a declaration read again.
    #[inline]
    fn array_in_place<T: Default>(
        &mut self,
        out: &mut Vec<T>,
        mut element: impl FnMut(&mut Self, &mut T) -> Option<()>,
    ) -> Option<()> {
        self.eat(b'[')?;
        if self.peek()? == b']' {
            self.i += 1;
            out.clear();
            return Some(());
        }
        let mut n = 0;
        loop {
            if n == out.len() {
                out.push(T::default());
            }
            element(self, out.get_mut(n)?)?;
            n += 1;
            match self.peek()? {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    out.truncate(n);
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// [`Cursor::opt`] into `slot`, reading a value in place into the one `slot` holds (or a
    /// default one): a party or carrier read again keeps its vectors.
    #[inline]
    fn opt_in_place<T: Default>(
        &mut self,
        slot: &mut Option<T>,
        value: impl FnOnce(&mut Self, &mut T) -> Option<()>,
    ) -> Option<()> {
        if self.peek()? == b'n' {
            self.keyword(b"null")?;
            *slot = None;
            return Some(());
        }
        value(self, slot.get_or_insert_with(T::default))
    }

    /// `null` as `None`, anything else read by `value` (serde's `Option`); in line on native
    /// targets, where the call cost about 20 instructions of the 130 of an optional text.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn opt<T>(&mut self, value: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        if self.peek()? == b'n' {
            self.keyword(b"null")?;
            return Some(None);
        }
        value(self).map(Some)
    }

    /// `true` or `false`.
    fn boolean(&mut self) -> Option<bool> {
        match self.peek()? {
            b't' => self.keyword(b"true").map(|()| true),
            b'f' => self.keyword(b"false").map(|()| false),
            _ => None,
        }
    }

    /// A text field (in line: most fields are texts, and a call costs as much as the scan).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn text(&mut self) -> Option<Text> {
        self.string().map(Text::from)
    }

    /// Notes that the declaration may fail [`Declaration::check`], which must then look
    /// ([`parse_into`]'s `false`). Out of line: the fields of nearly every declaration pass.
    #[cold]
    #[inline(never)]
    fn doubt(&mut self) {
        self.doubt = true;
    }

    /// Whether `code` is an ISO 4217 code [`crate::money::minor_units`] knows, as
    /// [`Declaration::check`] asks: the code found last ([`Successors`]) in one compare.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn known_currency(&mut self, code: &str) -> bool {
        // Three bytes and a fourth no code has (1), so that 0 matches none.
        let packed = match *code.as_bytes() {
            [a, b, c] => u32::from_le_bytes([a, b, c, 1]),
            _ => return false,
        };
        packed == self.succ.currency || self.new_currency(code, packed)
    }

    /// [`Cursor::known_currency`] for a code other than the last one.
    #[inline(never)]
    fn new_currency(&mut self, code: &str, packed: u32) -> bool {
        let known = crate::money::minor_units(code).is_some();
        if known {
            self.succ.currency = packed;
        }
        known
    }

    /// The text after the open quote at the cursor, cut there as [`Cursor::string_at_quote`]
    /// cuts (at a quote just read, so that the boundary checks go); `None`, on the cold path,
    /// when no quote is there.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn after_open_quote(&self) -> Option<&'a str> {
        match self.s.get(self.i..).and_then(|t| t.strip_prefix('"')) {
            Some(rest) => Some(rest),
            None => refused(),
        }
    }

    /// `N` ASCII capitals in quotes at the cursor (`"FR"`, `"EUR"`), consumed, as their
    /// content: a country's or a currency's code as nearly every declaration writes it, taken
    /// and tested in a few compares, without the string scan. `None` for anything else, which
    /// the caller reads as any other string.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn quoted_capitals<const N: usize>(&mut self) -> Option<&'a str> {
        // The misses on the cold path, so that the compiler keeps the cuts in line.
        let at = self.i;
        let rest = self.after_open_quote()?;
        match rest.as_bytes().get(..=N) {
            Some(b) if b[N] == b'"' && b[..N].iter().all(u8::is_ascii_uppercase) => {}
            _ => return refused(),
        }
        let Some(code) = rest.get(..N) else {
            return refused();
        };
        self.i = at + N + 2;
        Some(code)
    }

    /// An HS code in quotes at the cursor as nearly every declaration writes it, 6 to 10 ASCII
    /// digits (what `check` asks), consumed, as its content: the digits found in two words,
    /// without the string scan. `None` for anything else (and near the text's end), which the
    /// caller reads as any other string.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn quoted_hs_code(&mut self) -> Option<&'a str> {
        let at = self.i;
        let rest = self.after_open_quote()?;
        let b = rest.as_bytes();
        let (Some(first), Some(second)) = (word_at(b, 0), word_at(b, 8)) else {
            return refused();
        };
        // The first byte that is not a digit (the close quote, if the code is one), by
        // `is_hs_code`'s test: a byte not a digit is flagged, a digit below the first such never is.
        let (low, high) = (super::not_digits(first), super::not_digits(second));
        let n = if low != 0 {
            low.trailing_zeros() / 8
        } else {
            8 + high.trailing_zeros() / 8
        } as usize;
        if !(6..=10).contains(&n) || b.get(n) != Some(&b'"') {
            return refused();
        }
        let Some(code) = rest.get(..n) else {
            return refused();
        };
        self.i = at + n + 2;
        Some(code)
    }

    /// [`Cursor::text`] tested by `rule` as it is read.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn checked_text(&mut self, rule: Rule) -> Option<Text> {
        if let Rule::Country = rule {
            if let Some(code) = self.quoted_capitals::<2>() {
                return Some(Text::from(code));
            }
        }
        if let Rule::HsCode = rule {
            if let Some(code) = self.quoted_hs_code() {
                return Some(Text::from(code));
            }
        }
        let s = self.string()?;
        if rule.fails(s) {
            self.doubt();
        }
        Some(Text::from(s))
    }

    /// An optional text field: [`Cursor::opt`] of [`Cursor::text`] written out, since the
    /// compiler left the function passed to `opt` as a call in some readers (the address's four
    /// texts: about 127 instructions each, against about 80 in line).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn opt_text(&mut self) -> Option<Option<Text>> {
        if self.peek()? == b'n' {
            self.keyword(b"null")?;
            return Some(None);
        }
        self.text().map(Some)
    }

    /// [`Cursor::opt_text`] into `slot`: a text read over the one `slot` holds is stored as a
    /// text, not as an option (fewer stores than the option's niche takes). The text is tested
    /// by `rule` ([`Cursor::checked_text`]).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn opt_text_into(&mut self, slot: &mut Option<Text>, rule: Rule) -> Option<()> {
        // A string, the common case, is taken at once; `null` or whitespace after a look.
        if self.b().get(self.i) != Some(&b'"') && self.peek()? == b'n' {
            self.keyword(b"null")?;
            *slot = None;
            return Some(());
        }
        let text = self.checked_text(rule)?;
        match slot {
            Some(held) => *held = text,
            None => *slot = Some(text),
        }
        Some(())
    }

    /// An optional quantity or mass, written out as [`Cursor::opt_text`] is.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn opt_quantity(&mut self) -> Option<Option<Quantity>> {
        let (digits, scale) = (limits::QUANTITY_INTEGER_DIGITS, limits::QUANTITY_SCALE);
        if let Some((d, end)) = short_decimal(self.b(), self.i, digits, scale) {
            self.i = end;
            return Some(Some(Quantity(d)));
        }
        if self.peek()? == b'n' {
            self.keyword(b"null")?;
            return Some(None);
        }
        self.other_quantity().map(Some)
    }

    /// A date (`YYYY-MM-DD`), as [`Date`]'s own reader takes it.
    fn date(&mut self) -> Option<Date> {
        if let Some(date) = self.b().get(self.i..self.i + 12).and_then(quoted_ymd) {
            self.i += 12;
            return Some(date);
        }
        let s = self.string()?;
        ymd(s.as_bytes()).or_else(|| s.parse().ok())
    }

    /// An instant, as [`Timestamp`]'s own reader takes it: `YYYY-MM-DDTHH:MM:SSZ` directly
    /// and in line (a call cost about 30 instructions of its 160),
    /// the other forms (offsets, no seconds, `null`) through [`Cursor::other_timestamp`].
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn timestamp(&mut self) -> Option<Option<Timestamp>> {
        if let Some(t) = self
            .b()
            .get(self.i..self.i + 22)
            .and_then(quoted_utc_seconds)
        {
            self.i += 22;
            return Some(Some(t));
        }
        self.other_timestamp()
    }

    /// [`Cursor::timestamp`] of any other form, or `null`.
    #[cold]
    #[inline(never)]
    fn other_timestamp(&mut self) -> Option<Option<Timestamp>> {
        self.opt(|c| {
            if let Some(t) = c.b().get(c.i..c.i + 22).and_then(quoted_utc_seconds) {
                c.i += 22;
                return Some(t);
            }
            let s = c.string()?;
            utc_seconds(s.as_bytes()).or_else(|| s.parse().ok())
        })
    }

    /// A decimal string read in place when it is plain digits with at most one point
    /// ([`quoted_decimal`]), any other string through [`decimal`].
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn decimal_string(&mut self, max_integer_digits: usize, max_scale: usize) -> Option<Decimal> {
        if let Some((d, end)) = short_decimal(self.b(), self.i, max_integer_digits, max_scale) {
            self.i = end;
            return Some(d);
        }
        self.other_decimal_string(max_integer_digits, max_scale)
    }

    /// [`Cursor::decimal_string`] beyond [`short_decimal`]: in place when [`quoted_decimal`]
    /// takes it, else through [`decimal`].
    #[cold]
    #[inline(never)]
    fn other_decimal_string(
        &mut self,
        max_integer_digits: usize,
        max_scale: usize,
    ) -> Option<Decimal> {
        if let Some((d, end)) = quoted_decimal(self.b(), self.i, max_integer_digits, max_scale) {
            self.i = end;
            return Some(d);
        }
        let d = decimal(self.string()?, max_integer_digits, max_scale)?;
        self.doubt_negative(d);
        Some(d)
    }

    /// Doubts ([`Cursor::doubt`]) a negative amount or quantity (negative zero included):
    /// `check` refuses some. The readers in line read digits alone.
    #[inline]
    fn doubt_negative(&mut self, d: Decimal) {
        if d.is_sign_negative() {
            self.doubt = true;
        }
    }

    /// An amount: a decimal string only (a JSON number is the strict reader's error).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn amount(&mut self) -> Option<Amount> {
        self.decimal_string(limits::AMOUNT_INTEGER_DIGITS, limits::AMOUNT_SCALE)
            .map(Amount)
    }

    /// A quantity or mass: a decimal string or a JSON number without exponent, read from its
    /// text as `Quantity`'s serde reader does; a short plain string ([`short_decimal`]) in
    /// line, anything else through [`Cursor::other_quantity`].
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn quantity(&mut self) -> Option<Quantity> {
        let (digits, scale) = (limits::QUANTITY_INTEGER_DIGITS, limits::QUANTITY_SCALE);
        if let Some((d, end)) = short_decimal(self.b(), self.i, digits, scale) {
            self.i = end;
            return Some(Quantity(d));
        }
        // One digit as a JSON number, then the item's next key or its close: the issue's
        // harness (`"quantity":3,`), read in line rather than by [`Cursor::other_quantity`]'s
        // call (about 75 instructions a quantity); what `short_integer` reads from it.
        if let Some(&[digit @ b'0'..=b'9', b',' | b'}']) = self.b().get(self.i..self.i + 2) {
            self.i += 1;
            return Some(Quantity(unsigned_decimal(i64::from(digit - b'0'), 0)));
        }
        self.other_quantity()
    }

    /// [`Cursor::quantity`] beyond [`short_decimal`].
    #[cold]
    #[inline(never)]
    fn other_quantity(&mut self) -> Option<Quantity> {
        let (digits, scale) = (limits::QUANTITY_INTEGER_DIGITS, limits::QUANTITY_SCALE);
        if let Some((d, end)) = short_integer(self.b(), self.i, digits) {
            self.i = end;
            return Some(Quantity(d));
        }
        let d = match self.peek()? {
            b'"' => self.other_decimal_string(digits, scale)?,
            b'-' | b'0'..=b'9' => decimal(self.number()?, digits, scale)?,
            _ => return None,
        };
        self.doubt_negative(d);
        Some(Quantity(d))
    }

    /// The text of a JSON number `-?(0|[1-9][0-9]*)(\.[0-9]+)?`; `None` for an exponent
    /// (the strict reader's exact conversion) or anything that is not a JSON number.
    fn number(&mut self) -> Option<&'a str> {
        let start = self.i;
        if self.b().get(self.i) == Some(&b'-') {
            self.i += 1;
        }
        match self.b().get(self.i)? {
            b'0' => self.i += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.b().get(self.i) == Some(&b'.') {
            self.i += 1;
            let first = self.i;
            self.digits();
            if self.i == first {
                return None;
            }
        }
        if matches!(self.b().get(self.i), Some(b'e' | b'E' | b'0'..=b'9')) {
            return None;
        }
        self.s.get(start..self.i)
    }

    /// Skips ASCII digits.
    #[inline]
    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.b().get(self.i) {
            self.i += 1;
        }
    }
}

/// A plain decimal string within the limits, exactly as [`parse_decimal`] reads it; `None`
/// where that is an error. Up to 18 digits (which fit an `i64` mantissa) are built directly;
/// the rest (signs, long numbers) go through `parse_decimal` itself.
#[inline]
pub(crate) fn decimal(s: &str, max_integer_digits: usize, max_scale: usize) -> Option<Decimal> {
    let b = s.as_bytes();
    if b.len() > 18 {
        return parse_decimal(s, max_integer_digits, max_scale).ok();
    }
    let mut mantissa: i64 = 0;
    let mut dot = None;
    for (k, &c) in b.iter().enumerate() {
        if c.is_ascii_digit() {
            mantissa = mantissa * 10 + i64::from(c - b'0');
        } else if c == b'.' && dot.is_none() {
            dot = Some(k);
        } else {
            return parse_decimal(s, max_integer_digits, max_scale).ok();
        }
    }
    let (integer, scale) = match dot {
        Some(k) => (&b[..k], b.len() - k - 1),
        None => (b, 0),
    };
    if integer.is_empty() || (dot.is_some() && scale == 0) || scale > max_scale {
        return None;
    }
    let significant = integer.iter().skip_while(|&&c| c == b'0').count();
    if significant > max_integer_digits {
        return None;
    }
    // scale <= max_scale (at most QUANTITY_SCALE, 6), far below rust_decimal's 28.
    Some(unsigned_decimal(mantissa, scale))
}

/// The decimal string of plain digits at `b[i..]` (`"`, digits, at most one point, `"`) whose
/// content is at most 18 bytes, as [`decimal`] reads that content, with the index after its
/// closing quote; `None` for anything else, which the caller reads through [`decimal`]. Reading
/// in place saves the string scan and a second walk over the digits.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn quoted_decimal(
    b: &[u8],
    i: usize,
    max_integer_digits: usize,
    max_scale: usize,
) -> Option<(Decimal, usize)> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let start = i + 1;
    let mut mantissa: i64 = 0;
    let mut k = start;
    // Wrapping: a 19th digit may overflow, and such a text is refused below.
    let mut digits = |k: &mut usize| {
        while let Some(d) = b.get(*k).map(|c| c.wrapping_sub(b'0')).filter(|&d| d < 10) {
            mantissa = mantissa.wrapping_mul(10).wrapping_add(i64::from(d));
            *k += 1;
        }
    };
    digits(&mut k);
    let integer = k - start;
    let mut scale = 0;
    if b.get(k) == Some(&b'.') {
        k += 1;
        let first = k;
        digits(&mut k);
        scale = k - first;
        if scale == 0 {
            return None;
        }
    }
    if b.get(k) != Some(&b'"') || k - start > 18 || integer == 0 || scale > max_scale {
        return None;
    }
    if integer > max_integer_digits {
        let zeros = b.get(start..k)?.iter().take_while(|&&c| c == b'0').count();
        if integer - zeros.min(integer) > max_integer_digits {
            return None;
        }
    }
    // scale <= max_scale (at most QUANTITY_SCALE, 6), far below rust_decimal's 28.
    Some((unsigned_decimal(mantissa, scale), k + 1))
}

/// The decimal string at `b[i]` when its content is at most seven bytes, digits with at
/// most one point (`"16.64"`, `"0.278"`, `"1"`), read as [`quoted_decimal`] reads it, with
/// the index after its closing quote; `None` for anything else, which the caller reads as
/// before. The eight bytes after the open quote are one word: the close is found in it, the
/// digits checked at once ([`digits_of`]) and their value taken in three multiplications
/// rather than a loop a digit.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn short_decimal(
    b: &[u8],
    i: usize,
    max_integer_digits: usize,
    max_scale: usize,
) -> Option<(Decimal, usize)> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let w = word_at(b, i + 1)?;
    let close = json_bytes::bytes_equal(w, b'"');
    if close == 0 {
        return None;
    }
    // The content's length (0-7) and bytes; the first flagged byte is the first quote.
    let n = close.trailing_zeros() / 8;
    let content = (1u64 << (8 * n)) - 1;
    let point = json_bytes::bytes_equal(w, b'.') & content;
    // The integer digits come before the first point (all the content without one); any
    // other point is not a digit and refuses the word.
    let (integer, point_byte) = if point == 0 {
        (n, 0)
    } else {
        let p = point.trailing_zeros() / 8;
        (p, 0xffu64 << (8 * p))
    };
    let (x, ok) = digits_of(w, content & !point_byte, 0, 0);
    let scale = if point == 0 { 0 } else { n - integer - 1 };
    if !ok
        || integer == 0
        || (point != 0 && scale == 0)
        || scale as usize > max_scale
        || integer as usize > max_integer_digits
    {
        return None;
    }
    // The digits in order from byte 0 (those after the point moved down over it), then
    // moved up to end at byte 7: the leading bytes are zeros, of no value.
    let below = (1u64 << (8 * integer)) - 1;
    let joined = (x & below) | ((x >> 8) & !below);
    let count = integer + scale;
    let v = joined << (8 * (8 - count));
    let v = (v * 10 + (v >> 8)) & 0x00ff_00ff_00ff_00ff;
    let v = (v * 100 + (v >> 16)) & 0x0000_ffff_0000_ffff;
    let v = (v * 10_000 + (v >> 32)) & 0xffff_ffff;
    Some((
        unsigned_decimal(v as i64, scale as usize),
        i + n as usize + 2,
    ))
}

/// The value of the `count` digits (1 to 8) held in order from byte 0 of `x`, one digit's
/// value (0-9) a byte: moved up to end at byte 7 (the leading bytes zeros, of no value) and
/// summed in three multiplications rather than a loop a digit, as [`short_decimal`] sums its
/// digits (written out there: the shared function made the item's reader longer).
#[inline(always)]
fn digits_value(x: u64, count: u32) -> u64 {
    let v = x << (8 * (8 - count));
    let v = (v * 10 + (v >> 8)) & 0x00ff_00ff_00ff_00ff;
    let v = (v * 100 + (v >> 16)) & 0x0000_ffff_0000_ffff;
    (v * 10_000 + (v >> 32)) & 0xffff_ffff
}

/// A JSON number at `b[i]` that is an integer of one to seven digits (`3`, `12`), read as
/// [`Cursor::number`] and [`decimal`] read it, with the index after it: a quantity as a
/// JSON number, as the issue's harness writes quantities ([`Cursor::other_quantity`] tries it
/// first: the number's scan and [`decimal`] cost about 150 instructions a quantity). The
/// word at `b[i]` holds the digits and the byte after them, which must not make the number go
/// on (a digit, a point or an exponent) or the number another (a leading zero). `None` for
/// anything else, which the caller reads as before.
#[inline(always)]
fn short_integer(b: &[u8], i: usize, max_integer_digits: usize) -> Option<(Decimal, usize)> {
    let w = word_at(b, i)?;
    // The first byte that is not a digit is flagged exactly (`not_digits`); none in the
    // word is eight digits or more.
    let n = super::not_digits(w).trailing_zeros() / 8;
    let after = w.checked_shr(8 * n).unwrap_or(0) as u8;
    if n == 0
        || n == 8
        || (w as u8 == b'0' && n > 1)
        || matches!(after, b'.' | b'e' | b'E')
        || n as usize > max_integer_digits
    {
        return None;
    }
    let x = (w ^ 0x3030_3030_3030_3030) & ((1u64 << (8 * n)) - 1);
    Some((
        unsigned_decimal(digits_value(x, n) as i64, 0),
        i + n as usize,
    ))
}

/// `Decimal::new(mantissa, scale)` for the readers' mantissas (digits only, so not negative)
/// and scales (at most `QUANTITY_SCALE`): the very decimal, built in line, where
/// `Decimal::new` is a call (about 18 instructions a value) for its checks.
#[inline(always)]
fn unsigned_decimal(mantissa: i64, scale: usize) -> Decimal {
    let m = mantissa as u64;
    Decimal::from_parts(m as u32, (m >> 32) as u32, 0, false, scale as u32)
}

/// The bytes of `w` (a little-endian word of text) that `digits` marks (`0xff` each) as their
/// values (0-9 a byte, the other bytes zero) when each is an ASCII digit and the bytes `fixed`
/// marks are those of `pattern`; else `None`. One test for a word rather than a branch per
/// byte: a timestamp's twenty bytes take three.
#[inline(always)]
fn word_digits(w: u64, digits: u64, fixed: u64, pattern: u64) -> Option<u64> {
    let (x, ok) = digits_of(w, digits, fixed, pattern);
    ok.then_some(x)
}

/// Byte `k` of `x` (a value 0-9 read by [`word_digits`]).
#[inline(always)]
fn byte(x: u64, k: u32) -> u32 {
    (x >> (8 * k)) as u32 & 0xff
}

/// The little-endian word of the eight bytes at `b[at..]`.
#[inline(always)]
fn word_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// The year and month of a text starting `YYYY-MM-` (its first word), not yet checked.
#[inline(always)]
fn year_month(w: u64) -> Option<(u32, u32)> {
    // Digits at bytes 0-3 and 5-6, `-` at bytes 4 and 7.
    let x = word_digits(
        w,
        0x00ff_ff00_ffff_ffff,
        0xff00_00ff_0000_0000,
        0x2d00_002d_0000_0000,
    )?;
    Some((
        byte(x, 0) * 1000 + byte(x, 1) * 100 + byte(x, 2) * 10 + byte(x, 3),
        byte(x, 5) * 10 + byte(x, 6),
    ))
}

/// `YYYY-MM-DD` exactly (what `Date`'s reader accepts, and the same date), or `None`.
#[inline]
fn ymd(b: &[u8]) -> Option<Date> {
    if b.len() != 10 {
        return None;
    }
    let (y, m) = year_month(word_at(b, 0)?)?;
    let last = u64::from(u16::from_le_bytes([*b.get(8)?, *b.get(9)?]));
    let x = word_digits(last, 0xffff, 0, 0)?;
    Date::checked(y, m, byte(x, 0) * 10 + byte(x, 1))
}

/// `YYYY-MM-DDTHH:MM:SSZ` exactly, as `Timestamp`'s reader reads it, or `None`. Read a word at
/// a time ([`word_digits`]), and the seconds counted from the parts read, with no [`Date`]
/// packed and taken apart again.
#[inline]
fn utc_seconds(b: &[u8]) -> Option<Timestamp> {
    if b.len() != 20 {
        return None;
    }
    let (year, month) = year_month(word_at(b, 0)?)?;
    // `DDTHH:MM`: digits at bytes 0-1, 3-4 and 6-7, `T` at byte 2, `:` at byte 5.
    let x = word_digits(
        word_at(b, 8)?,
        0xffff_00ff_ff00_ffff,
        0x0000_ff00_00ff_0000,
        0x0000_3a00_0054_0000,
    )?;
    // `:SSZ`: digits at bytes 1-2, `:` at byte 0, `Z` at byte 3.
    let tail = u64::from(u32::from_le_bytes(b.get(16..20)?.try_into().ok()?));
    let y = word_digits(tail, 0x00ff_ff00, 0xff00_00ff, 0x5a00_003a)?;
    let day = byte(x, 0) * 10 + byte(x, 1);
    Date::checked(year, month, day)?;
    let (h, m, s) = (
        byte(x, 3) * 10 + byte(x, 4),
        byte(x, 6) * 10 + byte(x, 7),
        byte(y, 1) * 10 + byte(y, 2),
    );
    if h > 23 || m > 59 || s > 59 {
        return None;
    }
    // Years 1-9999: far from the ends of `i64`, where `Timestamp::offset` would saturate.
    let days = crate::date::days_from_civil(year, month, day);
    Some(Timestamp::from_unix_seconds(
        days * 86_400 + i64::from(h * 3600 + m * 60 + s),
    ))
}

/// The little-endian word of the eight bytes at `b[at..]`, for a `b` whose length the caller
/// has checked (`None` never happens then, and the compiler drops the test).
#[inline(always)]
fn word_in(b: &[u8], at: usize) -> u64 {
    word_at(b, at).unwrap_or(u64::MAX)
}

/// Each pair of digit values of `x` (bytes `k` and `k + 1`, as [`word_digits`] reads them) as
/// a two-digit number at byte `k`: `10 × byte k + byte k + 1`, at most 99, so no byte carries.
/// Wrapping: a word not of the shape (whose numbers are then not used) may hold any bytes.
#[inline(always)]
fn pairs(x: u64) -> u64 {
    x.wrapping_mul(10).wrapping_add(x >> 8)
}

/// `"YYYY-MM-DD"` exactly, quotes included (12 bytes): what [`ymd`] reads of the string's
/// content, in two overlapping words and one test.
#[inline(always)]
fn quoted_ymd(t: &[u8]) -> Option<Date> {
    if t.len() != 12 {
        return None;
    }
    let (year, month, a_ok) = quoted_year_month(t);
    // `Y-MM-DD"` (bytes 4-11; the first four bytes are the first word's): digits at bytes 5-6
    // (the day), `-` at byte 4, `"` at byte 7.
    let (b, b_ok) = digits_of(
        word_in(t, 4),
        0x00ff_ff00_0000_0000,
        0xff00_00ff_0000_0000,
        0x2200_002d_0000_0000,
    );
    if !(a_ok & b_ok) {
        return None;
    }
    Date::checked(year, month, byte(pairs(b), 5))
}

/// The year and month of a quoted date or time (its first word, `"YYYY-MM`: `"` at byte 0,
/// digits at bytes 1-4 and 6-7, `-` at byte 5), and whether the word is of that shape (the
/// numbers mean nothing when it is not).
#[inline(always)]
fn quoted_year_month(t: &[u8]) -> (u32, u32, bool) {
    let (a, ok) = digits_of(
        word_in(t, 0),
        0xffff_00ff_ffff_ff00,
        0x0000_ff00_0000_00ff,
        0x0000_2d00_0000_0022,
    );
    let a = pairs(a);
    (byte(a, 1) * 100 + byte(a, 3), byte(a, 6), ok)
}

/// [`word_digits`] without the branch: the digit values and whether the word is of the shape.
#[inline(always)]
fn digits_of(w: u64, digits: u64, fixed: u64, pattern: u64) -> (u64, bool) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // A digit byte becomes its value 0-9; any other byte a value above 9, which sets the top
    // bit of the byte itself or of the byte plus 0x76 (a carry out of a byte whose own top bit
    // is set may spoil the next byte's test, but the word is refused all the same).
    let x = (w ^ (0x30 * ONES)) & digits;
    let bad = (x | x.wrapping_add((0x76 * ONES) & digits)) & (0x80 * ONES) & digits;
    (x, (bad | ((w & fixed) ^ pattern)) == 0)
}

/// `"YYYY-MM-DDTHH:MM:SSZ"` exactly, quotes included (22 bytes): what [`utc_seconds`] reads of
/// the string's content, in three overlapping words and one test, the two-digit fields
/// taken out of each word at once ([`pairs`]).
#[inline(always)]
fn quoted_utc_seconds(t: &[u8]) -> Option<Timestamp> {
    if t.len() != 22 {
        return None;
    }
    let (year, month, a_ok) = quoted_year_month(t);
    // `-DDTHH:M` (bytes 8-15): digits at bytes 1-2 and 4-5, `-` at 0, `T` at 3, `:` at 6
    // (the minutes' first digit is read in the next word).
    let (b, b_ok) = digits_of(
        word_in(t, 8),
        0x0000_ffff_00ff_ff00,
        0x00ff_0000_ff00_00ff,
        0x003a_0000_5400_002d,
    );
    // `:MM:SSZ"` (bytes 14-21): digits at bytes 1-2 and 4-5, `:` at 0 and 3, `Z` at 6, `"`
    // at 7.
    let (c, c_ok) = digits_of(
        word_in(t, 14),
        0x0000_ffff_00ff_ff00,
        0xffff_0000_ff00_00ff,
        0x225a_0000_3a00_003a,
    );
    if !(a_ok & b_ok & c_ok) {
        return None;
    }
    let (b, c) = (pairs(b), pairs(c));
    let day = byte(b, 1);
    let (h, m, s) = (byte(b, 4), byte(c, 1), byte(c, 4));
    Date::checked(year, month, day)?;
    if h > 23 || m > 59 || s > 59 {
        return None;
    }
    let days = crate::date::days_from_civil(year, month, day);
    Some(Timestamp::from_unix_seconds(
        days * 86_400 + i64::from(h * 3600 + m * 60 + s),
    ))
}

/// A key or an enum's wire name, as the matcher compares it: its token as it stands in compact
/// JSON (`"name":` for a key, `"name"` for a name) in three little-endian words, with the masks
/// of the bytes that count, so that one masked compare per word recognises the whole token.
struct Name {
    words: [u64; 3],
    masks: [u64; 3],
    /// The token's length in bytes.
    len: usize,
    /// The name itself, for the rare text with whitespace inside a key token.
    text: &'static str,
}

/// [`Name`] of `"name"` followed by `tail` (`:` for a key, nothing for an enum's name); at most
/// 24 bytes in all, checked when the constant is evaluated.
const fn token(name: &'static str, tail: &[u8]) -> Name {
    token_after(b"", name, tail)
}

/// [`token`] after `head` (`,` for a key that follows another, nothing else).
const fn token_after(head: &[u8], name: &'static str, tail: &[u8]) -> Name {
    let b = name.as_bytes();
    let h = head.len();
    let len = h + b.len() + 2 + tail.len();
    let (mut words, mut masks) = ([0u64; 3], [0u64; 3]);
    let mut k = 0;
    while k < len {
        let c = if k < h {
            head[k]
        } else if k == h || k == h + b.len() + 1 {
            b'"'
        } else if k <= h + b.len() {
            b[k - h - 1]
        } else {
            tail[k - h - b.len() - 2]
        };
        words[k / 8] |= (c as u64) << (8 * (k % 8));
        masks[k / 8] |= 0xff << (8 * (k % 8));
        k += 1;
    }
    Name {
        words,
        masks,
        len,
        text: name,
    }
}

/// The keys of an object, in order (the index is the field's number): their tokens as the
/// object's first key and after another.
struct Fields {
    /// `"name":`, for the first key (and the general matcher).
    first: &'static [Name],
    /// `,"name":`, for a key after another in compact JSON.
    then: &'static [Name],
}

/// The [`Fields`] of an object, in order (the index is the field's number).
macro_rules! keys {
    ($($n:literal),* $(,)?) => {
        &Fields {
            first: &[$(token($n, b":")),*],
            then: &[$(token_after(b",", $n, b":")),*],
        }
    };
}

/// The wire names of an enum, in order (the index is the variant's number), as [`Variants`].
macro_rules! names {
    ($($n:literal),* $(,)?) => {{
        const NAMES: &[Name] = &[$(token($n, b"")),*];
        &Variants::of(NAMES)
    }};
}

/// An enum's wire names ([`Name`], in order) with a table that tells them apart by the first
/// word of their tokens, for [`Cursor::other_variant`]: the first name is tried in line
/// ([`Cursor::variant`]), and a record whose value is another (`express`, `gift`, `B2B`) finds
/// it in one multiplication and one compare instead of a search of the list (about 67
/// instructions a miss, some 1.4 misses a generated EU record).
struct Variants {
    names: &'static [Name],
    /// The bytes of the first word that every token has (the shortest token's, at most eight).
    mask: u64,
    /// A multiplier whose product with a token's masked first word has its top three bits
    /// different for every name with a different masked word.
    mul: u64,
    /// The name at each value of those three bits; `u8::MAX` for none.
    slots: [u8; 8],
}

impl Variants {
    /// The table of `names`, built when the constant is evaluated (a multiplier is searched
    /// for there; none found fails the build).
    const fn of(names: &'static [Name]) -> Variants {
        let mut shortest = 8;
        let mut j = 0;
        while j < names.len() {
            if names[j].len < shortest {
                shortest = names[j].len;
            }
            j += 1;
        }
        let mask = if shortest >= 8 {
            u64::MAX
        } else {
            (1u64 << (8 * shortest)) - 1
        };
        let mut mul: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut tries = 0;
        while tries < 10_000 {
            if let Some(slots) = Variants::slots(names, mask, mul) {
                return Variants {
                    names,
                    mask,
                    mul,
                    slots,
                };
            }
            mul = mul
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407)
                | 1;
            tries += 1;
        }
        panic!("no multiplier tells these names apart");
    }

    /// The slot of a token whose first word is `w`.
    #[inline(always)]
    const fn slot(mask: u64, mul: u64, w: u64) -> usize {
        ((w & mask).wrapping_mul(mul) >> 61) as usize
    }

    /// The slots of `names` with `mul`, or `None` when two names of different masked words
    /// meet (names whose masked words are the same keep the first's slot: the compare sorts
    /// them out, and [`Cursor::find_name`] finds the others).
    const fn slots(names: &[Name], mask: u64, mul: u64) -> Option<[u8; 8]> {
        let mut slots = [u8::MAX; 8];
        let mut j = 0;
        while j < names.len() {
            let w = names[j].words[0] & mask;
            let at = Variants::slot(mask, mul, w);
            let held = slots[at];
            if held == u8::MAX {
                slots[at] = j as u8;
            } else if names[held as usize].words[0] & mask != w {
                return None;
            }
            j += 1;
        }
        Some(slots)
    }
}

const DECLARATION: &Fields = keys!(
    "id",
    "date",
    "destination",
    "regime",
    "transaction",
    "channel",
    "currency",
    "items",
    "shipping",
    "insurance",
    "seller",
    "marketplace",
    "carrier",
    "consignee",
    "incoterm",
    "collected_at_sale",
    "lodged_at",
    "arrival_at",
    "dispatch_country",
    "prior_purchases",
);
/// id, date, destination, currency, items, seller, consignee.
const DECLARATION_REQUIRED: u32 = 1 << 0 | 1 << 1 | 1 << 2 | 1 << 6 | 1 << 7 | 1 << 10 | 1 << 13;
const ITEM: &Fields = keys!(
    "description",
    "hs_code",
    "quantity",
    "quantity_unit",
    "value",
    "origin",
    "net_mass_kg",
    "gross_mass_kg",
    "nature",
    "metal_content",
);
/// description, quantity, value.
const ITEM_REQUIRED: u32 = 1 << 0 | 1 << 2 | 1 << 4;
const METAL_CONTENT: &Fields = keys!("metal", "mass_kg", "value");
const PARTY: &Fields = keys!("name", "country", "registrations", "aeo");
const REGISTRATION: &Fields = keys!("scheme", "number");
const CARRIER: &Fields = keys!("name", "kind", "aeo", "schemes");
const CONSIGNEE: &Fields = keys!("name", "kind", "country", "tax_id", "address");
const ADDRESS: &Fields = keys!("line1", "city", "postcode", "country", "subdivision");
const COLLECTED_AT_SALE: &Fields = keys!("scheme", "tax_amount");
const PRIOR_PURCHASE: &Fields = keys!("date", "value", "currency");

/// The first 24 bytes of `window` as three little-endian words.
#[inline]
fn words(window: &[u8]) -> Option<[u64; 3]> {
    let word = |k: usize| {
        Some(u64::from_le_bytes(
            window.get(8 * k..8 * k + 8)?.try_into().ok()?,
        ))
    };
    Some([word(0)?, word(1)?, word(2)?])
}

/// [`words`] of the last bytes of a text (fewer than 24), padded with zeros, which match no
/// byte of a token.
#[cold]
fn padded_words(rest: &[u8]) -> Option<[u64; 3]> {
    let mut window = [0u8; 24];
    window.get_mut(..rest.len())?.copy_from_slice(rest);
    words(&window)
}

impl Name {
    /// Whether the text whose next 24 bytes are `w` starts with this token.
    #[inline]
    fn starts(&self, w: &[u64; 3]) -> bool {
        w[0] & self.masks[0] == self.words[0]
            && w[1] & self.masks[1] == self.words[1]
            && w[2] & self.masks[2] == self.words[2]
    }
}

/// Whether objects are first read in the struct's order (`in_order!`): on native targets
/// only, where the field readers are in line; the WASM package keeps its smaller module.
const IN_ORDER: bool = cfg!(not(target_arch = "wasm32"));

/// Reads the keys of an object just opened (`keys` from [`Cursor::open`]) that come in the
/// struct's order, in compact JSON: for each field `j` in that order, one compare of its token
/// (`"name":` first, `,"name":` after) with the text, and the field read by
/// `$c.$field($target, j)` when it is there. Each field is read at most once and in order, so
/// no key can repeat, and the bit of each is a constant. The first key out of that order (or
/// any whitespace) is left to the [`Cursor::next_key`] loop that follows, with the keys read.
/// Evaluates to whether the object's close came right after them (then consumed: the loop is
/// skipped, and a failed field is a cold path, [`refused`]). With `at_short;` first, the
/// tokens are compared by [`Cursor::at_short`] (keys of at most 16 bytes). Fields after
/// `; late` are tried once more after the others, each only when it has not been read (its
/// bit tested first, so no key can repeat): a key another writer puts later than the struct
/// does (the issue's harness writes an item's `net_mass_kg` after its `nature`) is then read
/// here too, not by the key loop (about 45 instructions an item, a next-key guess and the
/// close looked up again).
macro_rules! in_order {
    ($c:ident, $fields:ident, $keys:ident, $field:ident, $target:expr; $first:literal $(, $j:literal)* $(; late $($late:literal),+)?) => {
        in_order!(at; $c, $fields, $keys, $field, $target; $first $(, $j)* $(; late $($late),+)?)
    };
    ($at:ident; $c:ident, $fields:ident, $keys:ident, $field:ident, $target:expr; $first:literal $(, $j:literal)* $(; late $($late:literal),+)?) => {{
        let mut closed = false;
        if IN_ORDER && $c.$at(&$fields.first[$first]) {
            if $c.$field($target, $first).is_none() {
                return refused();
            }
            // Kept in locals and stored once: `$keys` lives in memory (the key loop takes it
            // by reference), and two stores a field were most of the bookkeeping.
            let mut seen: u32 = 1 << $first;
            let mut last: usize = $first + 1;
            $(
                if $c.$at(&$fields.then[$j]) {
                    if $c.$field($target, $j).is_none() {
                        return refused();
                    }
                    seen |= 1 << $j;
                    last = $j + 1;
                }
            )*
            $($(
                if seen & 1 << $late == 0 && $c.$at(&$fields.then[$late]) {
                    if $c.$field($target, $late).is_none() {
                        return refused();
                    }
                    seen |= 1 << $late;
                    last = $late + 1;
                }
            )+)?
            $keys.seen.0 = seen;
            $keys.last = last;
            // The object's close right after them: read, with no guess looked up.
            if $c.b().get($c.i) == Some(&b'}') {
                $c.i += 1;
                closed = true;
            }
        }
        closed
    }};
}

impl Cursor<'_, '_> {
    /// The index in `names` of the token at the cursor, which is consumed. Keys usually come
    /// in the struct's order, so `names[from]` is tried here, in line; any other is looked for
    /// by [`Cursor::find_name`]. `None` for any other string, escaped ones included.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn name_index(&mut self, names: &[Name], from: usize) -> Option<usize> {
        if let (Some(c), Some(window)) = (names.get(from), self.b().get(self.i..self.i + 24)) {
            if c.starts(&words(window)?) {
                self.i += c.len;
                return Some(from);
            }
        }
        self.find_name(names, from)
    }

    /// [`Cursor::name_index`] beyond its first guess: the names after `from`, then those
    /// before (a key left out, or keys out of order), then the text near its end and tokens
    /// with whitespace ([`Cursor::spaced_name`]).
    #[inline(never)]
    fn find_name(&mut self, names: &[Name], from: usize) -> Option<usize> {
        let p = self.i;
        let w = match self.b().get(p..p + 24) {
            Some(window) => words(window)?,
            None => padded_words(self.b().get(p..)?)?,
        };
        let after = names.get(from..).unwrap_or_default().iter();
        let hit = (after.enumerate().map(|(j, c)| (from + j, c)))
            .chain(names.iter().enumerate().take(from))
            .find(|(_, c)| c.starts(&w));
        match hit {
            Some((j, c)) => {
                self.i = p + c.len;
                Some(j)
            }
            None => self.spaced_name(names),
        }
    }

    /// [`Cursor::name_index`] where whitespace may stand before the string or, for a key,
    /// between it and its `:`.
    #[cold]
    #[inline(never)]
    fn spaced_name(&mut self, names: &[Name]) -> Option<usize> {
        let text = self.string()?;
        let j = names.iter().position(|c| c.text == text)?;
        if names.get(j)?.len > text.len() + 2 {
            self.eat(b':')?;
        }
        Some(j)
    }

    /// Opens an object (its `{`), for [`Cursor::next_key`] to read its keys one by one.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn open(&mut self) -> Option<Keys> {
        self.eat(b'{')?;
        Some(Keys {
            seen: Seen::default(),
            last: 0,
        })
    }

    /// The index in `fields` of the next key of object `o` ([`object`]), the cursor then on
    /// its value; `Some(None)` once the object is closed; `None` for an unknown or repeated key
    /// or bad syntax.
    ///
    /// The key this thread read after the last one ([`Successors`]) is tried first, in line:
    /// in compact JSON its token with the comma before it (`,"name":`) is one masked compare of
    /// three words. Anything else goes through [`Cursor::next_key_slow`], which also learns the
    /// successor. Either way the key is the one at the cursor and is checked against those read.
    ///
    /// The caller reads each value in a loop of its own (`while let Some(j) = …`), so that
    /// reading a field is code in line in the object's reader rather than a call to a closure
    /// per field, which cost about 25 instructions a field (a call, and the registers it saves).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn next_key(&mut self, fields: &Fields, o: usize, k: &mut Keys) -> Option<Option<usize>> {
        let guess = usize::from(self.succ.keys[o % object::COUNT][k.last % 32]);
        let names = if k.last == 0 {
            fields.first
        } else {
            fields.then
        };
        match (names.get(guess), self.b().get(self.i..self.i + 24)) {
            (Some(c), Some(window)) if c.starts(&words(window)?) => {
                self.i += c.len;
                k.seen.mark(guess as u32)?;
                k.last = guess + 1;
                return Some(Some(guess));
            }
            (None, _) if k.last != 0 && self.b().get(self.i) == Some(&b'}') => {
                self.i += 1;
                return Some(None);
            }
            _ => {}
        }
        self.next_key_slow(fields, o, k)
    }

    /// [`Cursor::next_key`] when the guess is not at the cursor: the comma or the close, then
    /// the key among all (whitespace allowed), which becomes the guess after the last one.
    #[inline(never)]
    fn next_key_slow(&mut self, fields: &Fields, o: usize, k: &mut Keys) -> Option<Option<usize>> {
        let close = if k.last == 0 {
            self.peek()? == b'}'
        } else {
            match self.peek()? {
                b',' => {
                    self.i += 1;
                    false
                }
                b'}' => true,
                _ => return None,
            }
        };
        if close {
            self.i += 1;
            *self.succ.keys.get_mut(o)?.get_mut(k.last)? = END;
            return Some(None);
        }
        let j = self.name_index(fields.first, k.last)?;
        k.seen.mark(j as u32)?;
        *self.succ.keys.get_mut(o)?.get_mut(k.last)? = j as u8;
        k.last = j + 1;
        Some(Some(j))
    }

    /// An enum's wire name, as the index of its name in `v`: the first name in line, any
    /// other through [`Cursor::other_variant`]. One function in the WASM module (issue 17),
    /// where the first name's compare at each of the eight call sites made it larger.
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    #[cfg_attr(target_arch = "wasm32", inline(never))]
    fn variant(&mut self, v: &Variants) -> Option<usize> {
        if let (Some(c), Some(window)) = (v.names.first(), self.b().get(self.i..self.i + 24)) {
            if c.starts(&words(window)?) {
                self.i += c.len;
                return Some(0);
            }
        }
        self.other_variant(v)
    }

    /// [`Cursor::variant`] beyond its first name: the name the first word's slot holds
    /// ([`Variants`]), compared in full; else the search of [`Cursor::find_name`] (the text
    /// near its end, whitespace, or no name at all).
    #[inline(never)]
    fn other_variant(&mut self, v: &Variants) -> Option<usize> {
        if let Some(window) = self.b().get(self.i..self.i + 24) {
            let w = words(window)?;
            let j = usize::from(v.slots[Variants::slot(v.mask, v.mul, w[0]) % 8]);
            if let Some(c) = v.names.get(j) {
                if c.starts(&w) {
                    self.i += c.len;
                    return Some(j);
                }
            }
        }
        self.find_name(v.names, 0)
    }

    /// Whether the token `name` is at the cursor, in compact JSON; it is then consumed. With
    /// `name` a constant, its words are immediates and the words it does not use are not read.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn at(&mut self, name: &Name) -> bool {
        let Some(window) = self.b().get(self.i..self.i + 24) else {
            return false;
        };
        let found = words(window).is_some_and(|w| name.starts(&w));
        if found {
            self.i += name.len;
        }
        found
    }

    /// [`Cursor::at`] for a token of at most 16 bytes, read in a window of 16: the address's
    /// keys, so that its last key is found where the text ends (`,"country":` with `"AT"}}}`
    /// after it, 18 bytes, ends most records), which [`Cursor::at`]'s window of 24 does not
    /// reach (the key then went the general way, [`Cursor::next_key_slow`] and
    /// [`Cursor::find_name`]: about 250 instructions).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn at_short(&mut self, name: &Name) -> bool {
        let Some(window) = self.b().get(self.i..self.i + 16) else {
            return false;
        };
        let Some((low, high)) = window.split_first_chunk::<8>() else {
            return false;
        };
        let Some(high) = high.first_chunk::<8>() else {
            return false;
        };
        let (low, high) = (u64::from_le_bytes(*low), u64::from_le_bytes(*high));
        let found = name.len <= 16 && name.starts(&[low, high, 0]);
        if found {
            self.i += name.len;
        }
        found
    }

    /// The declaration object, into `d`: a default one or one read before, whose fields the
    /// object does not give are reset to their defaults at its end ([`clear_unread`]).
    fn declaration(&mut self, d: &mut Declaration) -> Option<()> {
        let mut keys = self.open()?;
        let closed = in_order!(
            self, DECLARATION, keys, declaration_field, d;
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19
        );
        if !closed {
            while let Some(j) = self.next_key(DECLARATION, object::DECLARATION, &mut keys)? {
                self.declaration_field(d, j)?;
            }
        }
        keys.seen.has(DECLARATION_REQUIRED)?;
        clear_unread(d, keys.seen.0);
        Some(())
    }

    /// Field `j` of the declaration ([`DECLARATION`]), into `d`.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn declaration_field(&mut self, d: &mut Declaration, j: usize) -> Option<()> {
        match j {
            0 => d.id = self.checked_text(Rule::Id)?,
            1 => d.date = self.date()?,
            2 => d.destination = self.checked_text(Rule::Country)?,
            3 => self.opt_text_into(&mut d.regime, Rule::Id)?,
            4 => {
                const NAMES: &Variants = names!("B2C", "C2C", "B2B");
                let all = [Transaction::B2C, Transaction::C2C, Transaction::B2B];
                d.transaction = all[self.variant(NAMES)?];
            }
            5 => {
                const NAMES: &Variants = names!("postal", "express", "freight");
                d.channel =
                    [Channel::Postal, Channel::Express, Channel::Freight][self.variant(NAMES)?];
            }
            6 => {
                let code = match self.quoted_capitals::<3>() {
                    Some(code) => code,
                    None => self.string()?,
                };
                if !self.known_currency(code) {
                    self.doubt();
                }
                d.currency = Text::from(code);
            }
            7 => {
                self.array_in_place(&mut d.items, Cursor::item)?;
                if d.items.is_empty() || d.items.len() > limits::MAX_ITEMS {
                    self.doubt();
                }
            }
            8 => d.shipping = self.amount()?,
            9 => d.insurance = self.amount()?,
            10 => self.party(&mut d.seller, object::SELLER)?,
            11 => self.opt_in_place(&mut d.marketplace, |c, m| c.party(m, object::MARKETPLACE))?,
            12 => self.opt_in_place(&mut d.carrier, Cursor::carrier)?,
            13 => self.consignee(&mut d.consignee)?,
            14 => {
                const NAMES: &Variants = names!("DAP", "DDP");
                d.incoterm = [Incoterm::DAP, Incoterm::DDP][self.variant(NAMES)?];
            }
            15 => {
                d.collected_at_sale = self.opt(Cursor::collected_at_sale)?;
                // Rare: left to `check`.
                if d.collected_at_sale.is_some() {
                    self.doubt();
                }
            }
            16 => d.lodged_at = self.timestamp()?,
            17 => d.arrival_at = self.timestamp()?,
            18 => self.opt_text_into(&mut d.dispatch_country, Rule::Country)?,
            _ => {
                self.array_into(&mut d.prior_purchases, Cursor::prior_purchase)?;
                // Rare: left to `check`.
                if !d.prior_purchases.is_empty() {
                    self.doubt();
                }
            }
        }
        Some(())
    }

    /// One of `items`, into `item` (a default one or one read before, as for the
    /// declaration).
    fn item(&mut self, item: &mut Item) -> Option<()> {
        let mut keys = self.open()?;
        let closed =
            in_order!(self, ITEM, keys, item_field, item; 0, 1, 2, 3, 4, 5, 6, 7, 8, 9; late 6);
        if !closed {
            while let Some(j) = self.next_key(ITEM, object::ITEM, &mut keys)? {
                self.item_field(item, j)?;
            }
        }
        keys.seen.has(ITEM_REQUIRED)?;
        let unread = !keys.seen.0;
        // Metal content is rarely given: its clearing stays in line.
        if unread & 1 << 9 != 0 {
            item.metal_content.clear();
        }
        if unread & ITEM_OPTIONAL != 0 {
            clear_unread_item(item, unread);
        }
        // No HS code (`null` or not given): allowed for documents only.
        if item.hs_code.is_none() && item.nature != Nature::Document {
            self.doubt();
        }
        Some(())
    }

    /// Field `j` of an item ([`ITEM`]), into `item`.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn item_field(&mut self, item: &mut Item, j: usize) -> Option<()> {
        match j {
            0 => item.description = self.checked_text(Rule::Text)?,
            1 => self.opt_text_into(&mut item.hs_code, Rule::HsCode)?,
            2 => {
                // Not negative as read here (any other form is doubted where it is read).
                item.quantity = self.quantity()?;
                if item.quantity.0.is_zero() {
                    self.doubt();
                }
            }
            3 => {
                const NAMES: &Variants = names!("item", "pair", "l", "kg");
                let all = [
                    QuantityUnit::Item,
                    QuantityUnit::Pair,
                    QuantityUnit::L,
                    QuantityUnit::Kg,
                ];
                item.quantity_unit = all[self.variant(NAMES)?];
            }
            4 => item.value = self.amount()?,
            5 => self.opt_text_into(&mut item.origin, Rule::Country)?,
            6 => item.net_mass_kg = self.opt_quantity()?,
            7 => item.gross_mass_kg = self.opt_quantity()?,
            8 => {
                const NAMES: &Variants = names!("sale", "gift", "sample", "return", "document");
                let all = [
                    Nature::Sale,
                    Nature::Gift,
                    Nature::Sample,
                    Nature::Return,
                    Nature::Document,
                ];
                item.nature = all[self.variant(NAMES)?];
            }
            _ => {
                self.array_into(&mut item.metal_content, Cursor::metal_content)?;
                // Rare: left to `check`.
                if !item.metal_content.is_empty() {
                    self.doubt();
                }
            }
        }
        Some(())
    }

    /// One of `items[i].metal_content`.
    fn metal_content(&mut self) -> Option<MetalContent> {
        let (mut metal, mut mass_kg, mut value) = (None, None, None);
        let mut keys = self.open()?;
        while let Some(j) = self.next_key(METAL_CONTENT, object::METAL_CONTENT, &mut keys)? {
            match j {
                0 => {
                    const NAMES: &Variants = names!("steel", "aluminium", "aluminum", "copper");
                    let all = [
                        Metal::Steel,
                        Metal::Aluminium,
                        Metal::Aluminium,
                        Metal::Copper,
                    ];
                    metal = Some(all[self.variant(NAMES)?]);
                }
                1 => mass_kg = self.opt_quantity()?,
                _ => value = self.opt(Cursor::amount)?,
            }
        }
        Some(MetalContent {
            metal: metal?,
            mass_kg,
            value,
        })
    }

    /// The seller or the marketplace (object `o`, [`object`]), into `party` (a default one or
    /// one read before).
    fn party(&mut self, party: &mut Party, o: usize) -> Option<()> {
        let mut keys = self.open()?;
        let closed = in_order!(self, PARTY, keys, party_field, party; 0, 1, 2, 3);
        if !closed {
            while let Some(j) = self.next_key(PARTY, o, &mut keys)? {
                self.party_field(party, j)?;
            }
        }
        keys.seen.has(1)?;
        let unread = |bit: u32| keys.seen.0 & 1 << bit == 0;
        if unread(1) {
            party.country = None;
        }
        if unread(2) {
            party.registrations.clear();
        }
        if unread(3) {
            party.aeo = false;
        }
        Some(())
    }

    /// Field `j` of a party ([`PARTY`]), into `party`.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn party_field(&mut self, party: &mut Party, j: usize) -> Option<()> {
        match j {
            0 => party.name = self.checked_text(Rule::Text)?,
            1 => self.opt_text_into(&mut party.country, Rule::Country)?,
            2 => {
                self.array_into(&mut party.registrations, Cursor::registration)?;
                if party.registrations.len() > limits::MAX_REGISTRATIONS {
                    self.doubt();
                }
            }
            _ => party.aeo = self.boolean()?,
        }
        Some(())
    }

    /// One of a party's `registrations`.
    fn registration(&mut self) -> Option<Registration> {
        let mut texts = [None, None];
        let mut keys = self.open()?;
        let closed = in_order!(self, REGISTRATION, keys, registration_field, &mut texts; 0, 1);
        if !closed {
            while let Some(j) = self.next_key(REGISTRATION, object::REGISTRATION, &mut keys)? {
                self.registration_field(&mut texts, j)?;
            }
        }
        let [scheme, number] = texts;
        Some(Registration {
            scheme: scheme?,
            number: number?,
        })
    }

    /// Field `j` of a registration ([`REGISTRATION`]), into `texts`.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn registration_field(&mut self, texts: &mut [Option<Text>; 2], j: usize) -> Option<()> {
        *texts.get_mut(j)? = Some(self.checked_text(Rule::Id)?);
        Some(())
    }

    /// `carrier`, into `carrier` (a default one or one read before).
    fn carrier(&mut self, carrier: &mut Carrier) -> Option<()> {
        let mut keys = self.open()?;
        let closed = in_order!(self, CARRIER, keys, carrier_field, carrier; 0, 1, 2, 3);
        if !closed {
            while let Some(j) = self.next_key(CARRIER, object::CARRIER, &mut keys)? {
                self.carrier_field(carrier, j)?;
            }
        }
        keys.seen.has(1)?;
        let unread = |bit: u32| keys.seen.0 & 1 << bit == 0;
        if unread(1) {
            carrier.kind = None;
        }
        if unread(2) {
            carrier.aeo = false;
        }
        if unread(3) {
            carrier.schemes.clear();
        }
        Some(())
    }

    /// Field `j` of the carrier ([`CARRIER`]), into `carrier`.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn carrier_field(&mut self, carrier: &mut Carrier, j: usize) -> Option<()> {
        match j {
            0 => carrier.name = self.checked_text(Rule::Text)?,
            1 => {
                const NAMES: &Variants = names!("postal", "express", "forwarder");
                let all = [
                    CarrierKind::Postal,
                    CarrierKind::Express,
                    CarrierKind::Forwarder,
                ];
                carrier.kind = self.opt(|c| Some(all[c.variant(NAMES)?]))?;
            }
            2 => carrier.aeo = self.boolean()?,
            _ => {
                self.array_into(&mut carrier.schemes, |c| c.checked_text(Rule::Id))?;
                if carrier.schemes.len() > limits::MAX_REGISTRATIONS {
                    self.doubt();
                }
            }
        }
        Some(())
    }

    /// `consignee`, into `consignee` (a default one or one read before).
    fn consignee(&mut self, consignee: &mut Consignee) -> Option<()> {
        let mut keys = self.open()?;
        let closed = in_order!(self, CONSIGNEE, keys, consignee_field, consignee; 0, 1, 2, 3, 4);
        if !closed {
            while let Some(j) = self.next_key(CONSIGNEE, object::CONSIGNEE, &mut keys)? {
                self.consignee_field(consignee, j)?;
            }
        }
        keys.seen.has(1)?;
        let unread = |bit: u32| keys.seen.0 & 1 << bit == 0;
        if unread(1) {
            consignee.kind = ConsigneeKind::default();
        }
        if unread(2) {
            consignee.country = None;
        }
        if unread(3) {
            consignee.tax_id = None;
        }
        if unread(4) {
            consignee.address = None;
        }
        Some(())
    }

    /// Field `j` of the consignee ([`CONSIGNEE`]), into `consignee`.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn consignee_field(&mut self, consignee: &mut Consignee, j: usize) -> Option<()> {
        match j {
            0 => consignee.name = self.checked_text(Rule::Text)?,
            1 => {
                const NAMES: &Variants = names!("individual", "business");
                let all = [ConsigneeKind::Individual, ConsigneeKind::Business];
                consignee.kind = all[self.variant(NAMES)?];
            }
            2 => self.opt_text_into(&mut consignee.country, Rule::Country)?,
            3 => self.opt_text_into(&mut consignee.tax_id, Rule::Id)?,
            _ => self.opt_in_place(&mut consignee.address, Cursor::address)?,
        }
        Some(())
    }

    /// `consignee.address`, into `address` (a default one or one read before: no address is
    /// built, moved and dropped a record).
    fn address(&mut self, address: &mut Address) -> Option<()> {
        let mut keys = self.open()?;
        let closed =
            in_order!(at_short; self, ADDRESS, keys, address_field, address; 0, 1, 2, 3, 4);
        if !closed {
            while let Some(j) = self.next_key(ADDRESS, object::ADDRESS, &mut keys)? {
                self.address_field(address, j)?;
            }
        }
        for j in 0..5 {
            if keys.seen.0 & 1 << j == 0 {
                *address_slot(address, j) = None;
            }
        }
        Some(())
    }

    /// Field `j` of an address ([`ADDRESS`]), into `address`.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn address_field(&mut self, address: &mut Address, j: usize) -> Option<()> {
        let rule = match j {
            3 => Rule::Country,
            4 => Rule::Subdivision,
            _ => Rule::Text,
        };
        self.opt_text_into(address_slot(address, j), rule)?;
        Some(())
    }

    /// `collected_at_sale`.
    fn collected_at_sale(&mut self) -> Option<CollectedAtSale> {
        let (mut scheme, mut tax_amount) = (None, None);
        let mut keys = self.open()?;
        while let Some(j) =
            self.next_key(COLLECTED_AT_SALE, object::COLLECTED_AT_SALE, &mut keys)?
        {
            if j == 0 {
                scheme = Some(self.text()?);
            } else {
                tax_amount = Some(self.amount()?);
            }
        }
        Some(CollectedAtSale {
            scheme: scheme?,
            tax_amount: tax_amount?,
        })
    }

    /// One of `prior_purchases`.
    fn prior_purchase(&mut self) -> Option<PriorPurchase> {
        let (mut date, mut value, mut currency) = (None, None, None);
        let mut keys = self.open()?;
        while let Some(j) = self.next_key(PRIOR_PURCHASE, object::PRIOR_PURCHASE, &mut keys)? {
            match j {
                0 => date = Some(self.date()?),
                1 => value = Some(self.amount()?),
                _ => currency = self.opt_text()?,
            }
        }
        Some(PriorPurchase {
            date: date?,
            value: value?,
            currency,
        })
    }
}

/// Field `j` of `address` ([`ADDRESS`]).
#[inline(always)]
fn address_slot(address: &mut Address, j: usize) -> &mut Option<Text> {
    match j {
        0 => &mut address.line1,
        1 => &mut address.city,
        2 => &mut address.postcode,
        3 => &mut address.country,
        _ => &mut address.subdivision,
    }
}

/// The optional fields of an item but metal_content: hs_code, quantity_unit, origin, the
/// masses, nature.
const ITEM_OPTIONAL: u32 = 1 << 1 | 1 << 3 | 1 << 5 | 1 << 6 | 1 << 7 | 1 << 8;

/// Resets to its default each optional field of `d` whose bit (its key's number in
/// [`DECLARATION`]) is clear in `seen`: a declaration read into one read before must be the
/// one a default declaration would have become. Vectors keep their capacity.
fn clear_unread(d: &mut Declaration, seen: u32) {
    let unread = |bit: u32| seen & 1 << bit == 0;
    if unread(3) {
        d.regime = None;
    }
    if unread(4) {
        d.transaction = Transaction::default();
    }
    if unread(5) {
        d.channel = Channel::default();
    }
    if unread(8) {
        d.shipping = Amount::default();
    }
    if unread(9) {
        d.insurance = Amount::default();
    }
    if unread(11) {
        d.marketplace = None;
    }
    if unread(12) {
        d.carrier = None;
    }
    if unread(14) {
        d.incoterm = Incoterm::default();
    }
    if unread(15) {
        d.collected_at_sale = None;
    }
    if unread(16) {
        d.lodged_at = None;
    }
    if unread(17) {
        d.arrival_at = None;
    }
    if unread(18) {
        d.dispatch_country = None;
    }
    if unread(19) {
        d.prior_purchases.clear();
    }
}

/// [`clear_unread`] for an item, `unread` holding the bits of the keys not read.
#[cold]
fn clear_unread_item(item: &mut Item, unread: u32) {
    let unread = |bit: u32| unread & 1 << bit != 0;
    if unread(1) {
        item.hs_code = None;
    }
    if unread(3) {
        item.quantity_unit = QuantityUnit::default();
    }
    if unread(5) {
        item.origin = None;
    }
    if unread(6) {
        item.net_mass_kg = None;
    }
    if unread(7) {
        item.gross_mass_kg = None;
    }
    if unread(8) {
        item.nature = Nature::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every enum name is found by its slot ([`Variants`]) or shares its masked first word with
    /// the name that is (`aluminium` and `aluminum`), and the reader reads each name as its
    /// index, first or not, followed by what a value may be followed by.
    #[test]
    fn variants_find_every_name() {
        let all: [&Variants; 4] = [
            names!("B2C", "C2C", "B2B"),
            names!("sale", "gift", "sample", "return", "document"),
            names!("steel", "aluminium", "aluminum", "copper"),
            names!("item", "pair", "l", "kg"),
        ];
        for v in all {
            for (j, name) in v.names.iter().enumerate() {
                let held = v.slots[Variants::slot(v.mask, v.mul, name.words[0])];
                let held = &v.names[usize::from(held)];
                assert_eq!(
                    held.words[0] & v.mask,
                    name.words[0] & v.mask,
                    "{}",
                    name.text
                );
                for tail in [",\"x\":1}", "}", "]", " ,"] {
                    let text = format!("\"{}\"{tail}", name.text);
                    let mut succ = Successors::default();
                    let mut c = cursor(&text, &mut succ);
                    assert_eq!(c.variant(v), Some(j), "{text}");
                    assert_eq!(c.i, name.text.len() + 2, "{text}");
                }
            }
        }
    }

    /// The chunked scan (sixteen bytes on native targets, eight on WASM) finds the byte the
    /// plain scan finds, wherever it is.
    #[test]
    fn stop_finds_the_first_stop_byte() {
        let plain = |b: &[u8]| b.iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20);
        let fill = "abcdéfgh€ijklmnopqrstuvwxyz0123456789".as_bytes();
        for len in 0..fill.len() {
            for at in 0..=len {
                for c in [b'"', b'\\', 0, 0x1f, b' ', 0x7f, 0xff, 0x80] {
                    let mut b = fill[..len].to_vec();
                    b.insert(at, c);
                    assert_eq!(stop(&b), plain(&b), "{b:?}");
                    let at_or_after = |s: usize| plain(&b[s..]).map(|k| s + k);
                    for s in 0..=b.len() {
                        assert_eq!(string_end(&b, s), at_or_after(s), "{b:?} from {s}");
                    }
                }
            }
            assert_eq!(stop(&fill[..len]), plain(&fill[..len]));
        }
    }

    /// The declarations of the vectors and of examples/declarations (every line of the NDJSON
    /// files), as written and compact: every optional field present in some, absent in others.
    fn corpus() -> Vec<String> {
        let repo = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
        let mut texts = Vec::new();
        let files = |dir: std::path::PathBuf| {
            let mut paths: Vec<_> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            paths.sort();
            paths
        };
        for regime in files(repo.join("tests/vectors")) {
            if !regime.is_dir() {
                continue;
            }
            for file in files(regime) {
                let Ok(text) = std::fs::read_to_string(&file) else {
                    continue;
                };
                if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
                    if let Some(d) = v.get("declaration") {
                        texts.push(d.to_string());
                    }
                }
            }
        }
        for file in files(repo.join("examples/declarations")) {
            let text = std::fs::read_to_string(&file).unwrap();
            texts.extend(
                text.lines()
                    .filter(|l| l.starts_with('{'))
                    .map(str::to_string),
            );
            texts.push(text);
        }
        texts
    }

    /// A declaration read into one read before (a thread's spare) is the very declaration a
    /// fresh read gives, whatever was read before: any other declaration, or one cut short,
    /// which leaves a half-read declaration behind.
    #[test]
    fn a_declaration_read_again_is_the_one_read_fresh() {
        let texts = corpus();
        assert!(texts.len() > 100, "{} texts", texts.len());
        let fresh: Vec<_> = texts
            .iter()
            .map(|t| parse(t).map(|d| format!("{d:?}")))
            .collect();
        assert!(fresh.iter().filter(|f| f.is_some()).count() > 100);
        let mut d = Declaration::default();
        for (a, text) in texts.iter().enumerate() {
            let cut = (0..=text.len() / 2)
                .rev()
                .find(|&k| text.is_char_boundary(k))
                .unwrap_or(0);
            for (b, want) in texts.iter().zip(&fresh) {
                let _ = parse_into(text, &mut d);
                if a % 2 == 1 {
                    let _ = parse_into(&text[..cut], &mut d);
                }
                let got = parse_into(b, &mut d).map(|_| format!("{d:?}"));
                assert_eq!(&got, want, "{b}\nread after\n{text}");
            }
        }
    }

    /// An item's `net_mass_kg` after its `nature` (the issue's harness) is read by the late
    /// try of `in_order!` as in the struct's order, and a repeat of it is refused wherever the
    /// first one stood.
    #[test]
    fn a_late_key_reads_as_in_order_and_never_twice() {
        let with_item = |item: &str| {
            format!(
                r#"{{"id":"D1","date":"2026-03-02","destination":"AT","currency":"EUR","items":[{item}],"seller":{{"name":"S","country":"CN"}},"consignee":{{"name":"B","country":"AT"}}}}"#
            )
        };
        let head = r#""description":"Board game","hs_code":"950490","quantity":1,"value":"16.78","origin":"CN""#;
        let in_order = with_item(&format!(
            r#"{{{head},"net_mass_kg":"0.4","nature":"sale"}}"#
        ));
        let late = with_item(&format!(
            r#"{{{head},"nature":"sale","net_mass_kg":"0.4"}}"#
        ));
        let expected = parse(&in_order).expect("read");
        assert_eq!(
            expected.items[0].net_mass_kg,
            Some(Quantity(Decimal::new(4, 1)))
        );
        let mut d = Declaration::default();
        for _ in 0..2 {
            assert!(parse_into(&late, &mut d).is_some());
            assert_eq!(format!("{d:?}"), format!("{expected:?}"));
        }
        for repeated in [
            format!(r#"{{{head},"nature":"sale","net_mass_kg":"0.4","net_mass_kg":"0.5"}}"#),
            format!(r#"{{{head},"net_mass_kg":"0.4","nature":"sale","net_mass_kg":"0.5"}}"#),
            format!(r#"{{{head},"net_mass_kg":"0.4","net_mass_kg":"0.5","nature":"sale"}}"#),
        ] {
            assert!(parse(&with_item(&repeated)).is_none(), "{repeated}");
        }
    }

    /// [`corpus`], read once.
    fn corpus_once() -> &'static [String] {
        static TEXTS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        TEXTS.get_or_init(corpus)
    }

    /// [`Cursor::quoted_hs_code`] reads what the string reader reads and `check` accepts, and
    /// leaves no such code to it when sixteen bytes follow the open quote: codes of every
    /// length with a bad byte at each place, before each kind of end.
    #[test]
    fn hs_codes_in_quotes_read_as_the_string_reader_reads_them() {
        let read = |text: &str, fast: bool| {
            let mut succ = Successors::default();
            let mut c = Cursor {
                s: text,
                i: 0,
                succ: &mut succ,
                doubt: false,
            };
            let s = if fast {
                c.quoted_hs_code()
            } else {
                c.string().filter(|s| super::super::is_hs_code(s))
            };
            s.map(|s| (s.to_string(), c.i))
        };
        for n in 0..=12 {
            let digits: String = "012345678901".chars().take(n).collect();
            let mut codes = vec![digits.clone()];
            for at in 0..n {
                for bad in ['/', ':', 'a', ' ', '"', '\\', 'é', '\u{1}', '０'] {
                    let mut code: Vec<char> = digits.chars().collect();
                    code[at] = bad;
                    codes.push(code.into_iter().collect());
                }
            }
            for code in &codes {
                for tail in ["\",\"quantity\":\"1\"}", "\"}", "\"", ""] {
                    let text = format!("\"{code}{tail}");
                    let (fast, plain) = (read(&text, true), read(&text, false));
                    if fast.is_some() || text.len() >= 17 {
                        assert_eq!(fast, plain, "{text}");
                    }
                }
            }
        }
    }

    /// Values [`Declaration::check`] refuses, or nearly refuses, in one field or another:
    /// blank and over-long texts (in bytes and in characters), countries, currencies, HS codes
    /// and subdivisions of the wrong form, zero and negative amounts and quantities.
    fn near_misses() -> Vec<serde_json::Value> {
        use serde_json::json;
        // Separated by `|`; the first is the empty text.
        let texts = "| |\u{3000}|\u{a0}x|x|fr|FR|FRA|Fr|12345|123456|12345678901|1234.56|\
                     １２３４５６|0|-1|-0.00|1|CA-ON|ca-on|CA-|EUR|eur|XXX";
        let mut values: Vec<serde_json::Value> = texts.split('|').map(|s| json!(s)).collect();
        for (c, n) in [("a", 129), ("é", 65), ("a", 513), ("é", 257), ("é", 513)] {
            values.push(json!(c.repeat(n)));
        }
        values.extend([json!(null), json!(0), json!(-1), json!(1.5), json!([])]);
        values
    }

    /// `value` with each of its leaves (and each list, emptied or long) replaced in turn by
    /// each near miss, and each key of each object dropped in turn.
    fn variants(value: &serde_json::Value, misses: &[serde_json::Value]) -> Vec<serde_json::Value> {
        use serde_json::Value;
        let mut out = Vec::new();
        match value {
            Value::Object(map) => {
                for (key, field) in map {
                    let mut dropped = map.clone();
                    dropped.remove(key);
                    out.push(Value::Object(dropped));
                    for v in variants(field, misses) {
                        let mut changed = map.clone();
                        changed.insert(key.clone(), v);
                        out.push(Value::Object(changed));
                    }
                }
            }
            Value::Array(list) => {
                out.push(Value::Array(Vec::new()));
                if let Some(first) = list.first() {
                    let n = if first.is_object() && first.get("description").is_some() {
                        limits::MAX_ITEMS + 1
                    } else {
                        limits::MAX_REGISTRATIONS + 1
                    };
                    out.push(Value::Array(vec![first.clone(); n]));
                }
                for (k, element) in list.iter().enumerate() {
                    for v in variants(element, misses) {
                        let mut changed = list.clone();
                        changed[k] = v;
                        out.push(Value::Array(changed));
                    }
                }
            }
            _ => out.extend(misses.iter().cloned()),
        }
        out
    }

    /// Whenever the reader answers that a declaration passed [`Declaration::check`]'s tests as
    /// it was read, `check` passes it: on every declaration of the corpus and every variant of
    /// it ([`variants`]). Most of the corpus is answered so, and many variants that `check`
    /// refuses are read (and left to `check`).
    #[test]
    fn a_declaration_read_as_checked_passes_check() {
        let misses = near_misses();
        let (mut checked, mut doubted, mut refused, mut passed) = (0, 0, 0, 0);
        let mut seen = std::collections::HashSet::new();
        for text in corpus_once() {
            let Ok(base) = serde_json::from_str::<serde_json::Value>(text) else {
                continue;
            };
            if !seen.insert(base.to_string()) {
                continue;
            }
            for value in std::iter::once(base.clone()).chain(variants(&base, &misses)) {
                let text = value.to_string();
                let mut d = Declaration::default();
                match parse_into(&text, &mut d) {
                    Some(true) => {
                        checked += 1;
                        if let Err(e) = d.check_fields() {
                            panic!("read as checked, refused by check ({e}): {text}");
                        }
                    }
                    Some(false) => {
                        doubted += 1;
                        refused += usize::from(d.check_fields().is_err());
                    }
                    None => {}
                }
                // `Declaration::passes` says yes only to what `check_fields` passes.
                if d.passes() {
                    passed += 1;
                    assert!(d.check_fields().is_ok(), "passes, refused by check: {text}");
                }
            }
        }
        assert!(passed > 50_000, "{passed} pass");
        assert!(checked > 50_000, "{checked} read as checked");
        assert!(
            refused > 50_000,
            "{refused} of {doubted} doubted are refused by check"
        );
    }

    proptest::proptest! {
        /// Whatever the key orders hold (guesses right, wrong, out of range, the close where a
        /// key comes), a declaration reads as with the struct order and fresh, into a spare
        /// declaration read before, for any sequence of the corpus's declarations.
        #[test]
        fn any_key_orders_read_what_the_struct_order_reads(
            rows in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::prop_oneof![0u8..24, proptest::num::u8::ANY],
                    32,
                ),
                object::COUNT,
            ),
            picks in proptest::collection::vec(proptest::sample::select((0..4096).collect::<Vec<usize>>()), 1..6),
        ) {
            let texts = corpus_once();
            let mut succ = Successors::default();
            for (row, given) in succ.keys.iter_mut().zip(&rows) {
                row.copy_from_slice(given);
            }
            let mut d = Declaration::default();
            for pick in picks {
                let text = &texts[pick % texts.len()];
                let mut fresh = Declaration::default();
                let want = read_with(text, &mut fresh, &mut Successors::default())
                    .map(|_| format!("{fresh:?}"));
                let got = read_with(text, &mut d, &mut succ).map(|_| format!("{d:?}"));
                proptest::prop_assert_eq!(&got, &want, "{}", text);
                let strict = Declaration::from_json_strict(text).ok().map(|d| format!("{d:?}"));
                if want.is_some() {
                    proptest::prop_assert_eq!(&want, &strict, "{}", text);
                }
            }
        }
    }

    /// The direct readings of dates and UTC times agree with the types' own readers.
    #[test]
    fn dates_and_times_read_as_their_types_read_them() {
        for s in [
            "2026-01-30",
            "2024-02-29",
            "2026-02-29",
            "2026-13-01",
            "0000-01-01",
            "9999-12-31",
            "2026-1-301",
            "2026/01/30",
            "２０２６-01-01",
            "2026-01-3a",
        ] {
            let want = s.parse::<Date>().ok();
            assert!(ymd(s.as_bytes()).is_none_or(|d| Some(d) == want), "{s}");
            if s.len() == 10 && s.is_ascii() {
                assert_eq!(ymd(s.as_bytes()), want, "{s}");
            }
        }
        for s in [
            "2026-01-29T22:07:15Z",
            "2026-01-30T08:00:00Z",
            "1969-12-31T23:59:59Z",
            "2026-01-29T24:00:00Z",
            "2026-01-29T23:60:00Z",
            "2026-01-29T23:00:60Z",
            "2026-02-30T08:00:00Z",
            "2026-01-29t22:07:15Z",
            "2026-01-29T22:07:15z",
            "2026-01-29T22:07Z",
            "2026-01-29T22:07:15+01:00",
            "2026-01-29T2a:07:15Z",
        ] {
            let want = s.parse::<Timestamp>().ok();
            let got = utc_seconds(s.as_bytes());
            assert!(got.is_none_or(|t| Some(t) == want), "{s}");
            if s.ends_with('Z') && s.len() == 20 && s.as_bytes()[10] == b'T' {
                assert_eq!(got, want, "{s}");
            }
        }
    }

    /// A declaration's dates and times of every shape the types' readers know, and near misses
    /// (leap seconds, fractions, offsets, lower case, escapes, spaces, the ends of the years),
    /// read by the fast reader as the strict reader reads them: the same value, or left to the
    /// strict reader (which then rejects what it rejected before); the common shapes are read
    /// here.
    #[test]
    fn dates_and_times_in_a_declaration_read_as_the_strict_reader_reads_them() {
        let base: serde_json::Value = corpus_once()
            .iter()
            .find_map(|t| parse(t).and_then(|_| serde_json::from_str(t).ok()))
            .unwrap();
        let times = [
            "2026-01-29T22:07:15Z",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "0000-01-01T00:00:00Z",
            "2024-02-29T12:00:00Z",
            "2023-02-29T12:00:00Z",
            "2026-04-31T12:00:00Z",
            "2026-01-29T23:59:60Z",
            "2026-01-29T24:00:00Z",
            "2026-01-29T22:07:15.5Z",
            "2026-01-29T22:07:15.000Z",
            "2026-01-29T22:07:15+01:00",
            "2026-01-29T22:07:15-05:30",
            "2026-01-29T22:07:15+24:00",
            "2026-01-29T22:07:15+01:60",
            "2026-01-29T22:07:15+0100",
            "2026-01-29T22:07Z",
            "2026-01-29T22:07+01:00",
            "2026-01-29t22:07:15z",
            "2026-01-29 22:07:15Z",
            "2026-01-29T22:07:15Z ",
            " 2026-01-29T22:07:15Z",
            "2026-01-29T22:07:15",
            "2026-1-29T22:07:15Z",
            "+2026-01-29T22:07:15Z",
            "2026-01-29T22:07:1Z",
            "2026-01-29T22:07:15ZZ",
            "２０２６-01-29T22:07:15Z",
            "",
        ];
        let dates = [
            "2026-01-29",
            "0001-01-01",
            "9999-12-31",
            "0000-12-31",
            "2024-02-29",
            "2100-02-29",
            "2026-00-10",
            "2026-13-10",
            "2026-01-00",
            "2026-01-32",
            "2026-1-29",
            "2026-01-29T00:00:00Z",
            "2026/01/29",
            " 2026-01-29",
            "",
        ];
        let read = |field: &str, value: serde_json::Value, escaped: bool| {
            let mut v = base.clone();
            v[field] = value;
            let mut text = serde_json::to_string(&v).unwrap();
            if escaped {
                // The same value with its first digit escaped: the reader's string path.
                text = text.replacen(
                    &format!("\"{field}\":\"2"),
                    &format!("\"{field}\":\"\\u0032"),
                    1,
                );
            }
            let fast = parse(&text).map(|d| format!("{d:?}"));
            let strict = Declaration::from_json_strict(&text)
                .ok()
                .map(|d| format!("{d:?}"));
            assert!(fast.is_none() || fast == strict, "{text}");
            fast.is_some()
        };
        for t in times {
            for field in ["lodged_at", "arrival_at"] {
                for escaped in [false, true] {
                    let fast = read(field, serde_json::json!(t), escaped);
                    // An escape leaves the whole declaration to the strict reader.
                    if t == times[0] {
                        assert_eq!(fast, !escaped, "{field} {t} escaped {escaped}");
                    }
                }
            }
        }
        assert!(read("lodged_at", serde_json::Value::Null, false));
        for d in dates {
            for escaped in [false, true] {
                let fast = read("date", serde_json::json!(d), escaped);
                if d == dates[0] {
                    assert_eq!(fast, !escaped, "{d} escaped {escaped}");
                }
            }
        }
    }

    /// The byte-by-byte readings the word readings replaced (session 31), the reference of
    /// [`any_bytes_read_as_the_byte_by_byte_reader_reads_them`].
    fn ymd_parts_by_bytes(b: &[u8]) -> Option<(u32, u32, u32)> {
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let d = |k: usize| Some(u32::from(b[k].wrapping_sub(b'0'))).filter(|&v| v < 10);
        Some((
            d(0)? * 1000 + d(1)? * 100 + d(2)? * 10 + d(3)?,
            d(5)? * 10 + d(6)?,
            d(8)? * 10 + d(9)?,
        ))
    }

    /// [`ymd_parts_by_bytes`] for a whole time (the former `utc_seconds`).
    fn utc_seconds_by_bytes(b: &[u8]) -> Option<Timestamp> {
        if b.len() != 20 || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z' {
            return None;
        }
        let (year, month, day) = ymd_parts_by_bytes(b)?;
        Date::checked(year, month, day)?;
        let d = |k: usize| Some(u32::from(b[k].wrapping_sub(b'0'))).filter(|&v| v < 10);
        let (h, m, s) = (
            d(11)? * 10 + d(12)?,
            d(14)? * 10 + d(15)?,
            d(17)? * 10 + d(18)?,
        );
        if h > 23 || m > 59 || s > 59 {
            return None;
        }
        let days = crate::date::days_from_civil(year, month, day);
        Some(Timestamp::from_unix_seconds(
            days * 86_400 + i64::from(h * 3600 + m * 60 + s),
        ))
    }

    /// Bytes a date or time may hold, near misses included: the neighbours of the digits and
    /// separators, a byte whose top bit is set, and the separators in each other's places.
    fn near_byte() -> impl proptest::strategy::Strategy<Value = u8> {
        proptest::prop_oneof![
            20 => b'0'..=b'9',
            1 => proptest::sample::select(vec![
                b'/', b':', b'-', b'T', b'Z', b't', b'z', b' ', 0, 0x7f, 0x80, 0x89, 0x8a, 0xb0,
                0xb9, 0xf9, 0xfa, 0xff, b'S', b'U', b'+', b',', b'.',
            ]),
        ]
    }

    proptest::proptest! {
        /// Dates and UTC times of any bytes (mostly of the right shape, with near misses at
        /// any place) read word by word as they did byte by byte.
        #[test]
        fn any_bytes_read_as_the_byte_by_byte_reader_reads_them(
            mut t in proptest::collection::vec(near_byte(), 20),
            shaped in proptest::bool::weighted(0.7),
            quotes in proptest::prop_oneof![4 => proptest::strategy::Just(0u8), 1 => 0u8..9],
        ) {
            if shaped {
                for (k, c) in [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':'), (19, b'Z')] {
                    if t[k].is_ascii_digit() {
                        t[k] = c;
                    }
                }
            }
            proptest::prop_assert_eq!(utc_seconds(&t), utc_seconds_by_bytes(&t), "{:?}", t);
            let date = &t[..10];
            let want = ymd_parts_by_bytes(date).and_then(|(y, m, d)| Date::checked(y, m, d));
            proptest::prop_assert_eq!(ymd(date), want, "{:?}", date);
            // Quoted, as the cursor reads them in place: the content as above, and the quotes.
            let (open, close) = (usize::from(quotes) % 3, usize::from(quotes) / 3 % 3);
            let quote = |k: usize| [b'"', b'\'', b'\\'][k];
            let mut q = vec![quote(open)];
            q.extend_from_slice(&t);
            q.push(quote(close));
            let quoted = open == 0 && close == 0;
            proptest::prop_assert_eq!(
                quoted_utc_seconds(&q),
                utc_seconds_by_bytes(&t).filter(|_| quoted),
                "{:?}", q
            );
            let mut q = vec![quote(open)];
            q.extend_from_slice(date);
            q.push(quote(close));
            proptest::prop_assert_eq!(quoted_ymd(&q), want.filter(|_| quoted), "{:?}", q);
        }

        /// Any date or UTC time of the exact shapes, digits anywhere in range or out of it
        /// (day 00-39, month 00-19, hour 00-29 …), reads as the types' own readers read it;
        /// every day of years 1-9999 is reached, leap days included.
        #[test]
        fn any_date_or_time_reads_as_its_type_reads_it(
            y in 0u32..=9999, m in 0u32..20, d in 0u32..40,
            h in 0u32..30, min in 0u32..70, sec in 0u32..70, days in 0i64..3_652_059,
        ) {
            let on = Date::from_days_since_epoch(days - 719_162).unwrap_or(Date::EPOCH);
            for s in [format!("{y:04}-{m:02}-{d:02}"), on.to_string()] {
                proptest::prop_assert_eq!(ymd(s.as_bytes()), s.parse::<Date>().ok(), "{}", s);
                let t = format!("{s}T{h:02}:{min:02}:{sec:02}Z");
                let want = t.parse::<Timestamp>().ok();
                proptest::prop_assert_eq!(utc_seconds(t.as_bytes()), want, "{}", t);
                let quoted = format!("\"{t}\"");
                proptest::prop_assert_eq!(quoted_utc_seconds(quoted.as_bytes()), want, "{}", t);
                let quoted = format!("\"{s}\"");
                proptest::prop_assert_eq!(quoted_ymd(quoted.as_bytes()), s.parse::<Date>().ok(), "{}", s);
            }
        }
    }

    /// The direct construction gives the very decimal (mantissa, scale, sign) `parse_decimal`
    /// gives, not only an equal one: the scale shows in the output.
    #[test]
    fn decimals_are_bit_identical_to_parse_decimal() {
        for s in [
            "0",
            "0.00",
            "000",
            "007.10",
            "1",
            "16.64",
            "0.278",
            "999999999999.9999",
            "123456789012345678",
            "1.000000",
            "0.000001",
            "-0",
            "-0.00",
            "-12.5",
            "1234567890123456789",
        ] {
            for (digits, scale) in [(12, 4), (9, 6), (12, 10)] {
                let want = parse_decimal(s, digits, scale).ok();
                let got = decimal(s, digits, scale);
                assert_eq!(
                    got.map(|d| d.serialize()),
                    want.map(|d| d.serialize()),
                    "{s} ({digits}, {scale})"
                );
            }
        }
        for bad in ["", ".", "1.", ".5", "1.2.3", "1e2", "+1", " 1", "1,5"] {
            assert_eq!(decimal(bad, 12, 4), None, "{bad:?}");
        }
    }

    proptest::proptest! {
        /// The direct construction is `parse_decimal`'s very decimal (or its refusal) on any
        /// text of digits, points and signs, with the declaration's limits and the rate
        /// tables' (`exchange::monthly::parse_rate` reads rates through it).
        #[test]
        fn any_decimal_text_reads_as_parse_decimal_reads_it(
            s in "-?[0-9]{0,21}(\\.[0-9]{0,13})?|[-+0-9.e]{0,12}",
        ) {
            for (digits, scale) in [(12, 4), (9, 6), (12, 10)] {
                let want = parse_decimal(&s, digits, scale).ok();
                let got = decimal(&s, digits, scale);
                proptest::prop_assert_eq!(
                    got.map(|d| d.serialize()),
                    want.map(|d| d.serialize()),
                    "{} ({}, {})", s, digits, scale
                );
            }
        }
    }

    /// A cursor at the start of `text`.
    fn cursor<'a, 't>(text: &'a str, succ: &'t mut Successors) -> Cursor<'a, 't> {
        Cursor {
            s: text,
            i: 0,
            succ,
            doubt: false,
        }
    }

    /// `base` with each of its bytes replaced in turn by every byte, where that is UTF-8.
    fn every_byte_at_each_place(base: &[u8]) -> Vec<String> {
        let mut texts = Vec::new();
        for byte in 0..=255u8 {
            for at in 0..base.len() {
                let mut b = base.to_vec();
                b[at] = byte;
                if let Ok(s) = String::from_utf8(b) {
                    texts.push(s);
                }
            }
        }
        texts
    }

    #[test]
    fn short_integers_read_as_the_number_reader_reads_them() {
        let mut texts: Vec<String> = [
            "0", "00", "01", "0.5", "1e2", "1E2", "3.", "-3", "+3", "1234567", "12345678",
            "9999999", "10", "7x", "", ".", "e", "3-", "3 ", "3\n",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for digits in 1..=9 {
            texts.push(
                (0..digits)
                    .map(|k| char::from(b'1' + (k % 9) as u8))
                    .collect(),
            );
        }
        texts.extend(every_byte_at_each_place(b"120"));
        for s in &texts {
            for digits in [9, 3, 1] {
                for tail in [",\"value\":\"1.00\"}", "}", "", "]]]]]]]]"] {
                    let text = format!("{s}{tail}");
                    let got = short_integer(text.as_bytes(), 0, digits);
                    // What `other_quantity` read before: the number's text, then `decimal`.
                    let mut succ = Successors::default();
                    let mut c = cursor(&text, &mut succ);
                    let want = c
                        .number()
                        .and_then(|n| decimal(n, digits, limits::QUANTITY_SCALE))
                        .map(|d| (d, c.i));
                    let key = |r: Option<(Decimal, usize)>| r.map(|(d, e)| (d.serialize(), e));
                    if got.is_some() {
                        assert_eq!(key(got), key(want), "{text:?} ({digits})");
                    } else if want.is_some()
                        && !s.contains(['.', '-'])
                        && s.len() <= 7
                        && text.len() >= 8
                    {
                        panic!("{text:?} ({digits}) left to the number reader");
                    }
                }
            }
        }
    }

    /// The one-digit JSON number [`Cursor::quantity`] reads in line is what the number reader
    /// and [`decimal`] read, with the same end, at the text's end and before more.
    #[test]
    fn one_digit_quantities_read_as_the_number_reader_reads_them() {
        for digit in b'0'..=b'9' {
            for tail in [",", "}", ",\"value\":\"1.00\"}"] {
                let text = format!("{}{tail}", char::from(digit));
                let mut succ = Successors::default();
                let mut c = cursor(&text, &mut succ);
                let got = c.quantity().map(|q| (q.0.serialize(), c.i));
                let mut succ = Successors::default();
                let mut c = cursor(&text, &mut succ);
                let want = c
                    .number()
                    .and_then(|n| {
                        decimal(n, limits::QUANTITY_INTEGER_DIGITS, limits::QUANTITY_SCALE)
                    })
                    .map(|d| (d.serialize(), c.i));
                assert!(want.is_some(), "{text:?}");
                assert_eq!(got, want, "{text:?}");
            }
        }
    }

    /// The word reading of short decimal strings gives what [`quoted_decimal`] gives (the
    /// very decimal, and the same end), and takes every plain string of at most seven bytes
    /// that it takes when eight bytes follow the open quote; anything else is left to it.
    #[test]
    fn short_decimals_read_as_quoted_decimal_reads_them() {
        let mut texts: Vec<String> = [
            "",
            ".",
            "1.",
            ".5",
            "1.2.3",
            "1..2",
            "1e2",
            "+1",
            " 1",
            "1,5",
            "12.",
            "-1",
            "1/2",
            "1:2",
            "0",
            "00",
            "0.0",
            "007.10",
            "1234567",
            "123456.7",
            "1.234567",
            "0.000001",
            "9999999",
            "99999.99",
            "1.2345678",
            "\\u0031",
            "１",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for digits in 1..=8 {
            for point in 0..=digits {
                let mut s: String = (0..digits)
                    .map(|k| char::from(b'0' + ((k * 7 + 3) % 10) as u8))
                    .collect();
                if point < digits {
                    s.insert(point, '.');
                }
                texts.push(s);
            }
        }
        texts.extend(every_byte_at_each_place(b"12.5"));
        for s in &texts {
            for (digits, scale) in [(12, 4), (9, 6), (2, 2), (1, 0)] {
                for tail in ["\",\"next\":1}", "}", ""] {
                    let quoted = format!("\"{s}\"{tail}");
                    let got = short_decimal(quoted.as_bytes(), 0, digits, scale);
                    let want = quoted_decimal(quoted.as_bytes(), 0, digits, scale);
                    let key = |r: Option<(Decimal, usize)>| r.map(|(d, e)| (d.serialize(), e));
                    if got.is_some() {
                        assert_eq!(key(got), key(want), "{quoted} ({digits}, {scale})");
                    } else if want.is_some() && s.len() <= 7 && quoted.len() >= 9 && digits >= 7 {
                        panic!("{quoted} ({digits}, {scale}) left to quoted_decimal");
                    }
                    let spaced = format!(" {quoted}");
                    assert_eq!(short_decimal(spaced.as_bytes(), 0, digits, scale), None);
                }
            }
        }
    }

    /// Reading in place gives what [`decimal`] gives on the string's content, or leaves the
    /// string to it; it leaves no plain string of at most 18 bytes that `decimal` takes.
    #[test]
    fn decimals_read_in_place_are_bit_identical_to_decimal() {
        let mut texts: Vec<String> = [
            "0", "0.00", "000", "007.10", "1", "16.64", "0.278", "1.000000", "0.000001", "-0",
            "-12.5", "", ".", "1.", ".5", "1.2.3", "1e2", "+1", " 1", "1,5", "12.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for digits in 1..=20 {
            for point in 0..=digits {
                let mut s: String = (0..digits)
                    .map(|k| char::from(b'1' + (k % 9) as u8))
                    .collect();
                if point < digits {
                    s.insert(point, '.');
                }
                texts.push(s.clone());
                texts.push(format!("000{s}"));
            }
        }
        for s in &texts {
            for (digits, scale) in [(12, 4), (9, 6)] {
                let quoted = format!("\"{s}\",");
                let got = quoted_decimal(quoted.as_bytes(), 0, digits, scale);
                let want = decimal(s, digits, scale);
                if let Some((d, end)) = got {
                    assert_eq!(end, s.len() + 2, "{s}");
                    assert_eq!(Some(d.serialize()), want.map(|d| d.serialize()), "{s}");
                } else if s.len() <= 18 && s.bytes().all(|c| c.is_ascii_digit() || c == b'.') {
                    assert_eq!(want, None, "{s} ({digits}, {scale}) left to decimal");
                }
            }
            assert_eq!(quoted_decimal(s.as_bytes(), 0, 12, 4), None, "unquoted {s}");
        }
    }
}
