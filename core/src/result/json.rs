//! The result's JSON, written byte by byte.
//!
//! serde_json's generic path cost about a third of a JSON-to-JSON assessment (issue 16's
//! profile): every key escaped again on every record, every amount formatted through
//! `core::fmt` and then escaped, every field dispatched through the serializer's state
//! machine. Here keys are pre-escaped constants, amounts are formatted from their mantissa
//! into a stack buffer, and strings are copied as they are unless they hold a character JSON
//! must escape, which is then escaped as serde_json escapes it (tests compare the bytes).
//!
//! The output must stay byte-identical to `serde_json::to_writer(out, &assessment)`: the
//! field order and the skipped fields follow the `#[derive(Serialize)]` declarations in
//! `result.rs` and `release.rs`. Enums are written from a table of their quoted names (one
//! fixed-size copy each), which a test compares with what each enum's own `Serialize` writes;
//! the rare parts (the exchange rate, the trace) go through serde_json itself.
//! `core/tests/result_json.rs` compares both writers on every conformance vector and on
//! generated declarations.

use rust_decimal::Decimal;
use serde::Serialize;

use super::{
    Assessment, Category, CategoryOutcome, CollectionOutcome, DeMinimisOutcome, DutyBasis,
    DutyLine, FeeLine, Finding, Flow, Severity, TariffCitation, TaxBasis, TaxLine,
};
use crate::date::Date;
use crate::declaration::{Channel, Transaction};
use crate::json_bytes;
use crate::money::Amount;
use crate::regime::pack::{
    Basis, Collector, Confidence, Model, Payer, TaxPoint, ThresholdUnit, When,
};
use crate::release::{Decision, Release, ReleaseReason};

impl Assessment {
    /// Appends the result's JSON to `out`: the same bytes as `serde_json::to_writer(out,
    /// self)`, written several times faster (no per-field serializer dispatch, pre-escaped
    /// keys, amounts formatted without `core::fmt`). Every binding writes results with it.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        let room = room(self);
        match &self.exchange {
            None => {
                let end = self.whole_over(out, out.len(), room);
                out.truncate(end);
            }
            Some(exchange) => {
                // The exchange rate goes through serde_json, between two reserved runs.
                append(out, room, |w| head(w, self).raw(b"},\"exchange\":"));
                serde(out, exchange);
                append(out, room, |w| rest(w.raw(b",\"intrinsic_value\":"), self));
            }
        }
        if let Some(trace) = &self.trace {
            out.extend_from_slice(b"],\"trace\":");
            serde(out, trace);
            out.push(b'}');
        }
    }

    /// [`Assessment::write_json`] written over `out` from `at` instead of appended: the same
    /// bytes at `out[at..end]`, with `end` returned (an `at` past the end of `out` is reached
    /// with zeros). `out` keeps its length when it is long enough, so the bytes past `end` are
    /// what was there (or zeros where `out` had to grow): a buffer written over again and
    /// again is not zeroed for each result, as [`fill`]'s room must be otherwise (a `memset`
    /// of some 2 kB, about 135 instructions a generated EU record).
    ///
    /// Out of line, as `write_json` is, so that profiles show the writer apart
    /// (`scripts/bench-instructions.sh`).
    #[inline(never)]
    pub(crate) fn write_json_over(&self, out: &mut Vec<u8>, at: usize) -> usize {
        if self.exchange.is_some() || self.trace.is_some() {
            // Rare: written with serde_json's help, appended (at `at`: `out` cut there, or
            // reached with zeros).
            out.resize(at, 0);
            self.write_json(out);
            return out.len();
        }
        // Room costs nothing here but where `out` must grow: all of it that is left, and at
        // least a generous bound worked out from the lists' lengths alone.
        let room = rough_room(self).max(out.len().saturating_sub(at));
        self.whole_over(out, at, room)
    }

    /// The result without an exchange rate, and without the closing `]}` when it has a trace,
    /// written into `room` bytes of `out` from `at` ([`fill`]); returns where it ended. Shared
    /// by both writers, so that the WASM module holds one copy of the writer's code, not one
    /// for each ([`fill`] and the writing closure are made again for each caller).
    #[inline(never)]
    fn whole_over(&self, out: &mut Vec<u8>, at: usize, room: usize) -> usize {
        fill(out, at, room, |w| {
            rest(head(w, self).raw(b"},\"intrinsic_value\":"), self)
        })
    }
}

impl crate::Rejection {
    /// The error record ([`crate::Rejection::to_json`]'s bytes) written over `out` from `at`
    /// as [`Assessment::write_json_over`] writes a result, with its end returned: no
    /// `String` made through serde_json (about 11 600 instructions for a 450-byte message,
    /// one harness record in fifty), and the buffer not cut, which would make every result
    /// after it in the block zero its room again.
    pub(crate) fn write_json_over(&self, out: &mut Vec<u8>, at: usize) -> usize {
        let e = &self.error;
        let texts = self.id.as_ref().map_or(0, String::len)
            + e.message.len()
            + e.path.as_ref().map_or(0, String::len);
        // Escapes make a text longer; [`fill`] writes again with more room if need be.
        let room = (128 + texts + texts / 8).max(out.len().saturating_sub(at));
        fill(out, at, room, |w| {
            let w = opt_string(w.raw(b"{\"id\":"), self.id.as_deref());
            let w = string(w.raw(b",\"error\":{\"code\":"), e.code.as_str());
            let w = string(w.raw(b",\"message\":"), &e.message);
            opt_string(w.raw(b",\"path\":"), e.path.as_deref()).raw(b"}}")
        })
    }
}

/// The bytes a result is expected to take, generous for nearly every result (the reference
/// files: none above it, 250 bytes to spare on average): the fixed keys and values, the id,
/// each line at its longest usual size, and the messages, which are most of a result's
/// variable text. Not a proof: [`fill`] writes again with more room when it runs out.
fn room(a: &Assessment) -> usize {
    let r = &a.release;
    let texts: usize = r.reasons.iter().map(|r| r.message.len()).sum::<usize>()
        + a.findings.iter().map(|f| f.message.len()).sum::<usize>();
    1024 + a.id.len()
        + 192 * a.duties.len()
        + 128 * (a.taxes.len() + a.fees.len())
        + 96 * (r.reasons.len() + a.findings.len())
        + 32 * r.agencies.len()
        + texts
}

/// [`room`] without reading the messages: each finding or reason counted at 256 bytes (a
/// message kept inline has at most 172), so that [`Assessment::write_json_over`], whose room
/// is not zeroed, does not walk the messages for their lengths (about 60 instructions a
/// generated EU record). A result longer than this is written again with more room.
fn rough_room(a: &Assessment) -> usize {
    let r = &a.release;
    1024 + a.id.len()
        + 192 * a.duties.len()
        + 128 * (a.taxes.len() + a.fees.len())
        + 256 * (r.reasons.len() + a.findings.len())
        + 32 * r.agencies.len()
}

/// The most bytes zeroed by one `resize`: glibc's `memset` turns to `rep stosb` above 2 kB,
/// which callgrind counts as one instruction a byte (the vector loop below it: one per 16),
/// so a larger room is zeroed in steps of this size; on hardware both are equally quick.
const ZEROED_AT_ONCE: usize = 2048;

/// Writes with `write` into the `room` bytes of `out` from `start` (at most `out.len()`),
/// `out` first made long enough with zeros, and returns where the writing ended; `out` keeps
/// its length. The writer checks each write against what is left ([`Out`]); one that does not
/// fit leaves it empty, and a writer ending with nothing left is run again with twice the room
/// (a result that fills its room exactly is written twice, and still right). Reserving once
/// per record saves each append the `Vec`'s capacity check and length update in memory.
fn fill(
    out: &mut Vec<u8>,
    start: usize,
    mut room: usize,
    write: impl for<'a> Fn(Out<'a>) -> Out<'a>,
) -> usize {
    loop {
        if out.len() < start + room {
            out.reserve(start + room - out.len());
            while out.len() < start + room {
                let step = (start + room - out.len()).min(ZEROED_AT_ONCE);
                out.resize(out.len() + step, 0);
            }
        }
        let left = match out.get_mut(start..start + room) {
            Some(room) => write(Out(room)).0.len(),
            None => 0,
        };
        if left > 0 {
            return start + room - left;
        }
        room *= 2;
    }
}

/// [`fill`] appending to `out`: `out` is cut back to what was written.
fn append(out: &mut Vec<u8>, room: usize, write: impl for<'a> Fn(Out<'a>) -> Out<'a>) {
    let end = fill(out, out.len(), room, write);
    out.truncate(end);
}

/// What is left of the room [`fill`] reserved, taken by value and handed back by every write
/// so that its pointer and length stay in registers. A write that does not fit empties it
/// (the writes after it then fit only if they are empty), which [`fill`] sees at the end.
#[must_use]
struct Out<'a>(&'a mut [u8]);

impl<'a> Out<'a> {
    /// Appends `bytes`.
    #[inline(always)]
    fn raw(self, bytes: &[u8]) -> Out<'a> {
        match self.0.split_at_mut_checked(bytes.len()) {
            Some((head, rest)) => {
                head.copy_from_slice(bytes);
                Out(rest)
            }
            None => Out(&mut []),
        }
    }

    /// Appends one byte.
    #[inline(always)]
    fn byte(self, b: u8) -> Out<'a> {
        match self.0.split_first_mut() {
            Some((first, rest)) => {
                *first = b;
                Out(rest)
            }
            None => Out(&mut []),
        }
    }

    /// Appends the first `len` bytes of `buf`, copying all of it (a couple of vector moves,
    /// cheaper than a `memcpy` call for a few bytes) and keeping `len`: needs room for `N`.
    #[inline(always)]
    fn put<const N: usize>(self, buf: &[u8; N], len: usize) -> Out<'a> {
        let room = self.0;
        if room.len() < N {
            return Out(&mut []);
        }
        room[..N].copy_from_slice(buf);
        Out(&mut room[len.min(N)..])
    }
}

/// One of two constant texts chosen by a flag (`"sample":false` or `true`), each padded to `N`
/// bytes so that either is written with one fixed-size copy ([`Out::put`]): `w.raw(if flag {
/// a } else { b })` copies a length known only when it runs, a `memcpy` call (about 30
/// instructions for some 30 bytes; three a result).
struct Either<const N: usize> {
    texts: [[u8; N]; 2],
    lens: [usize; 2],
}

impl<const N: usize> Either<N> {
    /// `no` for `false`, `yes` for `true`; a text longer than `N` fails the build.
    const fn of(no: &[u8], yes: &[u8]) -> Either<N> {
        let mut texts = [[0u8; N]; 2];
        let mut i = 0;
        while i < no.len() {
            texts[0][i] = no[i];
            i += 1;
        }
        let mut i = 0;
        while i < yes.len() {
            texts[1][i] = yes[i];
            i += 1;
        }
        Either {
            texts,
            lens: [no.len(), yes.len()],
        }
    }

    /// Appends the text for `flag`.
    #[inline(always)]
    fn put<'a>(&self, w: Out<'a>, flag: bool) -> Out<'a> {
        let i = usize::from(flag);
        w.put(&self.texts[i], self.lens[i])
    }
}

/// The result from its id to the end of the flow, without the flow's closing brace.
fn head<'a>(w: Out<'a>, a: &Assessment) -> Out<'a> {
    let w = string(w.raw(b"{\"id\":"), &a.id);
    let w = string(w.raw(b",\"regime\":"), &a.regime);
    let w = string(w.raw(b",\"regime_version\":"), &a.regime_version);
    let w = string(w.raw(b",\"currency\":"), &a.currency);
    let w = date(w.raw(b",\"date\":"), a.date);
    let w = string(w.raw(b",\"subdivision\":"), &a.subdivision);
    flow(w.raw(b",\"flow\":"), &a.flow)
}

/// The result from the intrinsic value's value to the end, without the findings' closing `]`
/// and the result's closing brace when there is a trace, which [`Assessment::write_json`]
/// writes after them.
fn rest<'a>(w: Out<'a>, a: &Assessment) -> Out<'a> {
    let w = amount(w, a.intrinsic_value);
    let w = amount(w.raw(b",\"customs_value\":"), a.customs_value);
    // Ends with `,"de_minimis":{"duty":`.
    let w = category(w.raw(b",\"category\":"), &a.category);
    let w = de_minimis(w, &a.de_minimis.duty);
    let w = de_minimis(w.raw(b"},\"tax\":"), &a.de_minimis.tax);
    let w = list(w.raw(b"}},\"duties\":["), &a.duties, duty_line);
    let w = amount(w.raw(b"],\"duty_total\":"), a.duty_total);
    let w = list(w.raw(b",\"taxes\":["), &a.taxes, tax_line);
    let w = amount(w.raw(b"],\"tax_total\":"), a.tax_total);
    let w = list(w.raw(b",\"fees\":["), &a.fees, fee_line);
    let w = amount(w.raw(b"],\"fee_total\":"), a.fee_total);
    let w = collection(w.raw(b",\"collection\":"), &a.collection);
    let w = amount(w.raw(b",\"due_at_sale\":"), a.due_at_sale);
    let w = amount(w.raw(b",\"due_at_import\":"), a.due_at_import);
    let w = amount(w.raw(b",\"total_payable\":"), a.total_payable);
    let w = amount(w.raw(b",\"landed_cost\":"), a.landed_cost);
    let w = release(w.raw(b",\"release\":"), &a.release);
    let w = list(w.raw(b"]},\"findings\":["), &a.findings, finding);
    if a.trace.is_some() {
        w
    } else {
        w.raw(b"]}")
    }
}

/// A value serde_json writes: the rare parts (the exchange rate, the trace).
fn serde<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    // Writing to a Vec cannot fail, and none of these types has a serializer that refuses
    // (no maps with non-string keys, no custom errors).
    let _ = serde_json::to_writer(&mut *out, value);
}

/// A JSON string known when the program is built (an enum's name), with its quotes, padded
/// so that it is appended with one fixed-size copy ([`Out::put`]).
pub(super) struct Quoted {
    bytes: [u8; 32],
    len: usize,
}

impl Quoted {
    /// `"text"`; `text` needs no escape (the names below are snake_case words).
    const fn new(text: &str) -> Quoted {
        let text = text.as_bytes();
        let mut bytes = [b'"'; 32];
        let mut i = 0;
        while i < text.len() {
            bytes[i + 1] = text[i];
            i += 1;
        }
        Quoted {
            bytes,
            len: text.len() + 2,
        }
    }
}

/// An enum of unit variants the result holds, with each variant's JSON name quoted.
pub(super) trait Named: Copy {
    fn quoted(self) -> &'static Quoted;
    /// The variant's place in its enum's name list (`tape_layout.json`): what the result's
    /// tape holds for it (`tape.rs`).
    #[cfg(any(feature = "tape", test))]
    fn index(self) -> i32;
}

/// Where `name` is in `names`, or −1: [`Named::index`], worked out when the program is built.
#[cfg(any(feature = "tape", test))]
const fn position(names: &[&str], name: &str) -> i32 {
    let mut i = 0;
    while i < names.len() {
        let (a, b) = (names[i].as_bytes(), name.as_bytes());
        if a.len() == b.len() {
            let mut k = 0;
            while k < a.len() && a[k] == b[k] {
                k += 1;
            }
            if k == a.len() {
                return i as i32;
            }
        }
        i += 1;
    }
    -1
}

/// Implements [`Named`] with one exhaustive match per enum, so that a new variant does not
/// build without its name; the test `every_name_is_the_name_serde_gives` compares every
/// name here with the one the enum's own `Serialize` writes.
macro_rules! named {
    ($($ty:ident { $($variant:ident => $name:literal),+ $(,)? })+) => {
        $(impl Named for $ty {
            fn quoted(self) -> &'static Quoted {
                match self {
                    $($ty::$variant => {
                        const Q: Quoted = Quoted::new($name);
                        &Q
                    })+
                }
            }

            #[cfg(any(feature = "tape", test))]
            fn index(self) -> i32 {
                const NAMES: &[&str] = &[$($name),+];
                match self {
                    $($ty::$variant => const { position(NAMES, $name) }),+
                }
            }
        })+

        /// Every variant named above: what [`name`] writes and what serde_json writes.
        #[cfg(test)]
        fn every_name() -> Vec<(Vec<u8>, Vec<u8>)> {
            let mut all = Vec::new();
            $($(
                let written = tests::written(|w| name(w, $ty::$variant));
                all.push((written, serde_json::to_vec(&$ty::$variant).unwrap()));
            )+)+
            all
        }

        /// Every variant named above: its enum, its [`Named::index`] and its serde name.
        #[cfg(test)]
        fn every_index() -> Vec<(&'static str, i32, String)> {
            let name = |v: serde_json::Value| v.as_str().unwrap().to_owned();
            vec![$($(
                (
                    stringify!($ty),
                    $ty::$variant.index(),
                    name(serde_json::to_value($ty::$variant).unwrap()),
                ),
            )+)+]
        }
    };
}
named! {
    Channel { Postal => "postal", Express => "express", Freight => "freight" }
    Transaction { B2C => "B2C", C2C => "C2C", B2B => "B2B" }
    Category {
        Documents => "documents",
        LowValueNonDutiable => "low_value_non_dutiable",
        LowValueDutiable => "low_value_dutiable",
        HighValue => "high_value",
    }
    Basis {
        Intrinsic => "intrinsic",
        IntrinsicPlusTransport => "intrinsic_plus_transport",
        CustomsValue => "customs_value",
        TaxAmount => "tax_amount",
    }
    ThresholdUnit { Consignment => "consignment", Item => "item" }
    DutyBasis {
        Tariff => "tariff",
        DeMinimis => "de_minimis",
        GiftRelief => "gift_relief",
        Scheme => "scheme",
        FlatDuty => "flat_duty",
        GiftFlatRate => "gift_flat_rate",
        SimplifiedRate => "simplified_rate",
        MinimumCollectable => "minimum_collectable",
        Additional => "additional",
        Surcharge => "surcharge",
    }
    Confidence { Confirmed => "confirmed", Secondary => "secondary", Unconfirmed => "unconfirmed" }
    TaxPoint { AtSale => "at_sale", AtImport => "at_import", SelfAssessed => "self_assessed" }
    TaxBasis { Fee => "fee", Surcharge => "surcharge" }
    Payer {
        Registrant => "registrant",
        Consignee => "consignee",
        Seller => "seller",
        Marketplace => "marketplace",
        Carrier => "carrier",
    }
    Collector {
        Registrant => "registrant",
        Seller => "seller",
        Marketplace => "marketplace",
        Carrier => "carrier",
        Consignee => "consignee",
        Customs => "customs",
    }
    Model {
        Vendor => "vendor",
        Intermediary => "intermediary",
        Consumer => "consumer",
        Border => "border",
        Account => "account",
    }
    When { AtSale => "at_sale", AtImport => "at_import", Periodic => "periodic" }
    Decision {
        ImmediateRelease => "immediate_release",
        ReleaseAfterPayment => "release_after_payment",
        DocumentaryCheck => "documentary_check",
        Inspection => "inspection",
        ReferToAgency => "refer_to_agency",
        Hold => "hold",
        NotScreened => "not_screened",
    }
    Severity { Info => "info", Warning => "warning", Error => "error" }
}

/// An enum's JSON name, quoted.
#[inline(always)]
fn name<T: Named>(w: Out<'_>, value: T) -> Out<'_> {
    let q = value.quoted();
    w.put(&q.bytes, q.len)
}

fn opt_name<T: Named>(w: Out<'_>, value: Option<T>) -> Out<'_> {
    match value {
        Some(v) => name(w, v),
        None => w.raw(b"null"),
    }
}

/// A JSON string. serde_json escapes only `"`, `\` and the control characters below U+0020;
/// text without them is copied as it is, and text with them is escaped by [`escaped`] as
/// serde_json escapes it.
///
/// Inlined at each use on native targets, so that the short strings' function, which calls
/// nothing on its common path, does not pay the long path's prologue (four saved registers) on
/// every call; one function in the WASM module (issue 17).
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
#[cfg_attr(target_arch = "wasm32", inline(never))] // one copy in the WASM module (size, issue 17)
fn string<'a>(w: Out<'a>, s: &str) -> Out<'a> {
    if s.len() < 16 {
        short_string(w, s)
    } else {
        long_string(w, s)
    }
}

/// [`string`] for text of 16 bytes or more: copied in quotes and checked for escapes in the
/// same pass, thirty-two bytes at a time (sixteen below 32 bytes), the last chunk overlapping
/// the one before it rather than finishing byte by byte. Each byte's check is OR-ed into its
/// lane of one accumulator ([`mark`]), which is looked at once at the end. Text
/// holding a byte to escape (rare) is then written again over the copy by [`escaped`].
#[inline(never)]
fn long_string<'a>(w: Out<'a>, s: &str) -> Out<'a> {
    let b = s.as_bytes();
    let n = b.len();
    let room = w.0;
    let Some(text) = room.get_mut(..n + 2) else {
        return Out(&mut []);
    };
    text[0] = b'"';
    text[n + 1] = b'"';
    let body = &mut text[1..=n];
    let escapes = if n < 32 {
        let mut seen = [0u8; 16];
        copied(&mut seen, body, b, 0);
        copied(&mut seen, body, b, n - 16);
        seen != [0; 16]
    } else {
        let mut seen = [0u8; 32];
        let mut at = 0;
        while at + 32 <= n {
            copied(&mut seen, body, b, at);
            at += 32;
        }
        copied(&mut seen, body, b, n - 32);
        seen != [0; 32]
    };
    if escapes {
        return escaped(Out(room), s);
    }
    Out(&mut room[n + 2..])
}

/// Copies the `N` bytes of `from` at `at` to the same place in `to` (as long as `from`), and
/// marks in `seen` ([`mark`]) those serde_json escapes.
#[inline(always)]
fn copied<const N: usize>(seen: &mut [u8; N], to: &mut [u8], from: &[u8], at: usize) {
    let mut chunk = [0u8; N];
    chunk.copy_from_slice(&from[at..at + N]);
    to[at..at + N].copy_from_slice(&chunk);
    mark(seen, &chunk);
}

/// [`string`] for text shorter than 16 bytes, most of a result's strings (codes, ids, enum
/// names): read as two overlapping words, checked for escapes a word at a time, and written
/// straight into the room with its quotes (the overlapping words where they fall), with
/// neither a byte loop, a stack buffer nor a `memcpy` call. Near the end of the room (fewer
/// than 18 bytes left) it is [`escaped`]'s, which checks each write.
#[inline(never)]
fn short_string<'a>(w: Out<'a>, s: &str) -> Out<'a> {
    let b = s.as_bytes();
    let n = b.len();
    let room = w.0;
    if room.len() < 18 || n >= 16 {
        return escaped(Out(room), s);
    }
    let escapes: u64 = if n >= 8 {
        let head = word::<8>(b, 0);
        let tail = word::<8>(b, n - 8);
        room[1..9].copy_from_slice(&head);
        room[n - 7..=n].copy_from_slice(&tail);
        json_bytes::specials(u64::from_le_bytes(head))
            | json_bytes::specials(u64::from_le_bytes(tail))
    } else if n >= 4 {
        let head = word::<4>(b, 0);
        let tail = word::<4>(b, n - 4);
        room[1..5].copy_from_slice(&head);
        room[n - 3..=n].copy_from_slice(&tail);
        let both = u64::from(u32::from_le_bytes(head)) | u64::from(u32::from_le_bytes(tail)) << 32;
        json_bytes::specials(both)
    } else if n > 0 {
        let (first, middle, last) = (b[0], b[n / 2], b[n - 1]);
        // The quote and the three bytes (two of them the same for two-byte text, all three
        // for one byte) as one word; the closing quote below lands on the byte after the
        // text.
        room[..4].copy_from_slice(&[b'"', first, middle, last]);
        if cfg!(target_arch = "wasm32") {
            // The three bytes and `first` again: no byte of the word is not the text's.
            u64::from(any_special_u32(u32::from_le_bytes([
                first, middle, last, first,
            ])))
        } else {
            // Three look-ups (codes: `EU`, `AT`, `62`), fewer instructions than making the
            // word; the table is left out of the WASM module.
            let special = |b: u8| SPECIAL[usize::from(b)];
            u64::from(special(first) | special(middle) | special(last))
        }
    } else {
        0
    };
    if escapes != 0 {
        return escaped(Out(room), s);
    }
    room[0] = b'"';
    room[n + 1] = b'"';
    Out(&mut room[n + 2..])
}

/// A JSON string holding bytes that need an escape, with the bytes serde_json writes: the
/// plain runs between them copied whole (found sixteen bytes at a time on native targets,
/// [`json_bytes::first_special`]), each special byte written as its escape. serde_json's own
/// escaper looks every byte up in a table and cost about 1 600 instructions for a 180-byte
/// finding message quoting a word (a fifth of the side-by-side harness's records have one);
/// eight bytes at a time, about 630.
fn escaped<'a>(w: Out<'a>, s: &str) -> Out<'a> {
    let b = s.as_bytes();
    let mut w = w.byte(b'"');
    let mut start = 0;
    while let Some(k) = b.get(start..).and_then(json_bytes::first_special) {
        let at = start + k;
        w = escape(w.raw(&b[start..at]), b[at]);
        start = at + 1;
    }
    w.raw(&b[start..]).byte(b'"')
}

/// The escape serde_json writes for `byte`, one of `"`, `\` or a control character: the
/// short forms where JSON has one, else `\u00` and two lowercase hexadecimal digits.
fn escape(w: Out<'_>, byte: u8) -> Out<'_> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match byte {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        0x0c => b'f',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\t' => b't',
        _ => {
            let hex = [HEX[usize::from(byte >> 4)], HEX[usize::from(byte & 0xf)]];
            return w.raw(&[b'\\', b'u', b'0', b'0', hex[0], hex[1]]);
        }
    };
    w.raw(&[b'\\', short])
}

/// Whether each byte is one serde_json escapes (`"`, `\`, below 0x20), as 1 or 0.
const SPECIAL: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b < 0x20 || b == b'"' as usize || b == b'\\' as usize) as u8;
        b += 1;
    }
    table
};

/// The `N` bytes of `b` from `at`.
fn word<const N: usize>(b: &[u8], at: usize) -> [u8; N] {
    let mut w = [0u8; N];
    w.copy_from_slice(&b[at..at + N]);
    w
}

/// Marks in each byte of `seen` whether the byte of `chunk` in the same place is one
/// serde_json escapes (all bits set), OR-ing it into what `seen` holds: each lane tested with
/// no early exit and no reduction, which the compiler turns into a few vector instructions
/// (the messages of findings and release reasons are long; a byte loop was once the writer's
/// largest cost). `b ^ 2 <= 0x20` is `b < 0x20 || b == b'"'` in one test.
#[inline(always)]
fn mark<const N: usize>(seen: &mut [u8; N], chunk: &[u8; N]) {
    for (s, &b) in seen.iter_mut().zip(chunk) {
        *s |= 0u8.wrapping_sub(u8::from(b ^ 2 <= 0x20 || b == b'\\'));
    }
}

/// [`json_bytes::specials`] for four bytes (32-bit constants, which fit in the instructions).
#[inline(always)]
fn any_special_u32(x: u32) -> u32 {
    const ONES: u32 = 0x0101_0101;
    let low = x ^ (ONES * 2);
    let backslash = x ^ (ONES * u32::from(b'\\'));
    (low.wrapping_sub(ONES * 0x21) & !low | backslash.wrapping_sub(ONES) & !backslash)
        & (ONES * 0x80)
}

fn opt_string<'a>(w: Out<'a>, s: Option<&str>) -> Out<'a> {
    match s {
        Some(s) => string(w, s),
        None => w.raw(b"null"),
    }
}

/// An unsigned integer, as serde_json (itoa) writes it.
fn uint(w: Out<'_>, mut n: u64) -> Out<'_> {
    // Item indices, category codes, weights and scores: mostly one or two digits.
    if n < 10 {
        return w.byte(b'0' + n as u8);
    }
    if n < 100 {
        return w.raw(&[b'0' + (n / 10) as u8, b'0' + (n % 10) as u8]);
    }
    let len = n.checked_ilog10().unwrap_or(0) as usize + 1;
    let mut buf = [0u8; 20];
    for i in (0..len).rev() {
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    w.put(&buf, len)
}

fn int(w: Out<'_>, n: i64) -> Out<'_> {
    let w = if n < 0 { w.byte(b'-') } else { w };
    uint(w, n.unsigned_abs())
}

/// `YYYY-MM-DD` in quotes.
fn date(w: Out<'_>, d: Date) -> Out<'_> {
    let t = d.iso_bytes();
    w.raw(&[
        b'"', t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], b'"',
    ])
}

/// Mantissas below this, with a scale below 7, are written by [`short_amount`].
const SHORT: u128 = 10_000_000;

/// An amount in quotes, as `Decimal`'s `Display` writes it ([`decimal`]). Amounts in cents
/// below 100 000 (scale 2, at most seven digits: nearly every amount a result holds) are
/// written here with four stores: their text is eight bytes at most, made by [`cents`]. The
/// others, and any amount near the end of the room, are [`other_amount`]'s.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
#[cfg_attr(target_arch = "wasm32", inline(never))] // one copy in the WASM module (size, issue 17)
fn amount(w: Out<'_>, a: Amount) -> Out<'_> {
    let d = a.0.serialize();
    let flags = u32::from_le_bytes([d[0], d[1], d[2], d[3]]);
    let low = u32::from_le_bytes([d[4], d[5], d[6], d[7]]);
    let high = u64::from_le_bytes([d[8], d[9], d[10], d[11], d[12], d[13], d[14], d[15]]);
    let room = w.0;
    // The flags hold the scale in bits 16 to 23 and the sign in bit 31, nothing else.
    if flags & 0x7fff_ffff != 2 << 16 || high != 0 || low >= SHORT as u32 || room.len() < 16 {
        return other_amount(Out(room), a);
    }
    if low == 0 && flags == 2 << 16 {
        // Zero (a fifth of a generated EU result's amounts: no duty, no fee, nothing due at
        // sale or at import), one store.
        room[..8].copy_from_slice(b"\"0.00\"\0\0");
        return Out(&mut room[6..]);
    }
    let negative = (flags >> 31) as usize;
    let (text, len) = cents(low);
    room[0] = b'"';
    // Written over by the text when the amount is not negative.
    room[1] = b'-';
    room[1 + negative..9 + negative].copy_from_slice(&text.to_le_bytes());
    room[1 + negative + len] = b'"';
    Out(&mut room[2 + negative + len..])
}

/// The text of `n / 100` (`n < 10^7`) as `Decimal` writes it at scale 2, in the low bytes of
/// a `u64` (first character lowest), and its length. The five integer digits, the point and
/// the two decimals fill the eight bytes exactly: they are the digits ([`eight_lanes`]) of
/// `n / 100 * 1000 + n % 100`, whose sixth digit (0) becomes the point with the same OR that
/// makes the others characters, and the integer's leading zeros but its last, zero bytes
/// before the OR, are shifted out. On native targets amounts below 10 000.00 (nearly all of a
/// result's) are made from a table of digit pairs instead, in about half the instructions.
#[inline(always)]
fn cents(n: u32) -> (u64, usize) {
    if n < 10_000 && !cfg!(target_arch = "wasm32") {
        // Below 100.00 (most of a result's amounts): the integer's two digits and the
        // cents' from a table, the integer's leading zero shifted out, in about half the
        // instructions of the lanes below. Native targets only: the WASM module keeps its
        // bytes (its size budget) and the lanes.
        let (units, hundredths) = (n / 100, n % 100);
        let one_digit = usize::from(units < 10);
        let text = u64::from(DIGIT_PAIRS[units as usize])
            | u64::from(b'.') << 16
            | u64::from(DIGIT_PAIRS[hundredths as usize]) << 24;
        return (text >> (8 * one_digit), 5 - one_digit);
    }
    if n < 1_000_000 && !cfg!(target_arch = "wasm32") {
        // 100.00 to 9 999.99 (a threshold of 150.00, a landed cost above 100.00: two or three
        // of a result's amounts): the integer's four digits as two pairs, the point and the
        // cents' pair, the integer's leading zero below 1 000.00 shifted out; about half the
        // lanes' instructions again. Native targets only, as above.
        let (units, hundredths) = (n / 100, n % 100);
        let (high, low) = (units / 100, units % 100);
        let one_digit = usize::from(high < 10);
        let text = u64::from(DIGIT_PAIRS[high as usize])
            | u64::from(DIGIT_PAIRS[low as usize]) << 16
            | u64::from(b'.') << 32
            | u64::from(DIGIT_PAIRS[hundredths as usize]) << 40;
        return (text >> (8 * one_digit), 7 - one_digit);
    }
    let lanes = eight_lanes(n + n / 100 * 900);
    // The zero bytes before the fifth integer digit (the bit set in it stops the count).
    let zeros = (lanes | 1 << 32).trailing_zeros() / 8;
    let text = lanes | 0x3030_2e30_3030_3030;
    (text >> (8 * zeros), 8 - zeros as usize)
}

/// The two decimal digits of each number below 100 (`"00"` to `"99"`), first digit in the
/// low byte.
const DIGIT_PAIRS: [u16; 100] = {
    let mut pairs = [0u16; 100];
    let mut n = 0;
    while n < 100 {
        pairs[n] = (b'0' + (n / 10) as u8) as u16 | ((b'0' + (n % 10) as u8) as u16) << 8;
        n += 1;
    }
    pairs
};

/// [`amount`] for the amounts it does not write itself. Amounts of at most seven digits and
/// six decimals have their digits made eight at a time ([`eight_digits`]) and the point put
/// in with shifts: no division per digit. Other amounts whose mantissa fits in 64 bits are
/// written digit by digit into a stack buffer; either way the text is appended with
/// [`Out::put`], with no `memcpy` call.
#[inline(never)]
fn other_amount(w: Out<'_>, a: Amount) -> Out<'_> {
    let d = a.0;
    let scale = d.scale() as usize;
    let negative = usize::from(d.is_sign_negative());
    let mantissa = d.mantissa().unsigned_abs();
    if mantissa < SHORT && scale < 7 {
        if mantissa == 0 && negative == 0 {
            // Zero (a third of a generated EU result's amounts: no duty, no fee, nothing due
            // at sale or at import), written from a table rather than digit by digit.
            return w.put(&ZEROS[scale], scale + 2 + usize::from(scale > 0) + 1);
        }
        let (text, len) = short_amount(mantissa as u32, scale);
        let mut buf = [b'"'; 16];
        buf[1] = b'-';
        buf[1 + negative..9 + negative].copy_from_slice(&text.to_le_bytes());
        buf[1 + negative + len] = b'"';
        return w.put(&buf, 2 + negative + len);
    }
    let Ok(mut n) = u64::try_from(mantissa) else {
        return long_amount(w, d);
    };
    // Every digit of the mantissa, and at least `scale + 1` (a 0 before the point).
    let digits = (n.checked_ilog10().unwrap_or(0) as usize + 1).max(scale + 1);
    let len = 2 + negative + digits + usize::from(scale > 0);
    let mut buf = [b'"'; 32];
    if len > buf.len() {
        return long_amount(w, d);
    }
    buf[1] = b'-';
    let mut i = len - 1;
    for _ in 0..scale {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    if scale > 0 {
        i -= 1;
        buf[i] = b'.';
    }
    while i > 1 + negative {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    w.put(&buf, len)
}

/// Zero with each scale below 7 as `Decimal` writes it, in quotes (`"0"`, `"0.0"`, …
/// `"0.000000"`), padded for [`Out::put`].
const ZEROS: [[u8; 16]; 7] = {
    let mut all = [[b'"'; 16]; 7];
    let mut scale = 0;
    while scale < 7 {
        all[scale][1] = b'0';
        if scale > 0 {
            all[scale][2] = b'.';
            let mut i = 0;
            while i < scale {
                all[scale][3 + i] = b'0';
                i += 1;
            }
        }
        scale += 1;
    }
    all
};

/// The text of an unsigned amount `n / 10^scale` (`n < 10^7`, `scale < 7`) as `Decimal`
/// writes it, in the low bytes of a `u64` (first character lowest), and its length (at most
/// eight): the digits without leading zeros but at least `scale + 1` of them, and a point
/// before the last `scale` when `scale` is not zero.
fn short_amount(n: u32, scale: usize) -> (u64, usize) {
    let digits = eight_digits(n);
    // Leading zero digits are the low bytes equal to '0'; zero has eight of them.
    let zeros = ((digits ^ 0x3030_3030_3030_3030).trailing_zeros() / 8) as usize;
    let keep = (8 - zeros).max(scale + 1);
    let kept = digits >> (8 * (8 - keep));
    if scale == 0 {
        return (kept, keep);
    }
    // `keep` is at most 7, so the point and the fraction still fit in the word.
    let int = 8 * (keep - scale);
    let text = (kept & ((1 << int) - 1)) | u64::from(b'.') << int | (kept >> int) << (int + 8);
    (text, keep + 1)
}

/// The eight decimal digits of `n < 10^8`, most significant first, as the bytes of a
/// little-endian `u64`: split into halves of four digits, each half into pairs, each pair
/// into digits, all lanes at once with multiply-shift divisions exact in these ranges
/// (`x * 10486 >> 20` is `x / 100` below 10^4, `x * 103 >> 10` is `x / 10` below 100).
fn eight_digits(n: u32) -> u64 {
    eight_lanes(n) | 0x3030_3030_3030_3030
}

/// [`eight_digits`] before the digits are made characters: each byte the digit's value.
#[inline(always)]
fn eight_lanes(n: u32) -> u64 {
    let n = u64::from(n);
    let halves = (n / 10_000) | ((n % 10_000) << 32);
    let hundreds = ((halves * 10_486) >> 20) & 0x0000_007F_0000_007F;
    let pairs = hundreds | (halves - hundreds * 100) << 16;
    let tens = ((pairs * 103) >> 10) & 0x000F_000F_000F_000F;
    tens | (pairs - tens * 10) << 8
}

/// Appends `d` as its `Display` writes it (no precision), for messages: amounts of at most
/// seven digits and six decimals through [`short_amount`], the others through `core::fmt`.
pub(crate) fn push_decimal(out: &mut impl crate::message_text::Push, d: Decimal) {
    let Some((negative, text, len)) = short_decimal(d) else {
        // Writing to a String or a Message cannot fail.
        let _ = write!(out, "{d}");
        return;
    };
    if negative {
        out.push('-');
    }
    // The text is ASCII digits and a point.
    crate::message_text::push_ascii(out, &text.to_le_bytes()[..len]);
}

/// [`push_decimal`] for bytes: the amounts of the result's tape (`tape.rs`).
#[cfg(any(feature = "tape", test))]
pub(super) fn decimal_text(out: &mut Vec<u8>, d: Decimal) {
    let Some((negative, text, len)) = short_decimal(d) else {
        use std::io::Write;
        // Writing to a Vec cannot fail.
        let _ = write!(out, "{d}");
        return;
    };
    if negative {
        out.push(b'-');
    }
    out.extend_from_slice(&text.to_le_bytes()[..len]);
}

/// The sign of `d` and [`short_amount`]'s text of its digits, when it has at most seven
/// digits and six decimals. In line on native targets (a call and the option's return through
/// memory cost about as much as the digits of a message's amount).
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn short_decimal(d: Decimal) -> Option<(bool, u64, usize)> {
    let (mantissa, scale) = (d.mantissa().unsigned_abs(), d.scale() as usize);
    if mantissa >= SHORT || scale >= 7 {
        return None;
    }
    let (text, len) = if scale == 2 {
        cents(mantissa as u32)
    } else {
        short_amount(mantissa as u32, scale)
    };
    Some((d.is_sign_negative(), text, len))
}

/// An amount [`amount`] has no room for.
fn long_amount(w: Out<'_>, d: Decimal) -> Out<'_> {
    decimal(w.byte(b'"'), d).byte(b'"')
}

fn opt_amount(w: Out<'_>, a: Option<Amount>) -> Out<'_> {
    match a {
        Some(a) => amount(w, a),
        None => w.raw(b"null"),
    }
}

/// `Decimal`'s `Display` without a precision: a `-` for a negative sign (negative zero
/// included), the mantissa's digits with at least `scale` of them, a `0` before the point when
/// there is no integer digit, and the point only when the scale is not zero.
fn decimal(w: Out<'_>, d: Decimal) -> Out<'_> {
    // 2^96 has 29 digits; the scale is at most 28, so 29 digits hold every mantissa and every
    // zero padding.
    let mut buf = [b'0'; 40];
    let end = buf.len();
    let mut start = end;
    let mut m = d.mantissa().unsigned_abs();
    while m > u128::from(u64::MAX) {
        start -= 1;
        buf[start] = b'0' + (m % 10) as u8;
        m /= 10;
    }
    let mut small = m as u64;
    while small != 0 {
        start -= 1;
        buf[start] = b'0' + (small % 10) as u8;
        small /= 10;
    }
    let scale = d.scale() as usize;
    // Zero padding: the buffer is pre-filled with '0'.
    start = start.min(end - scale);
    let w = if d.is_sign_negative() {
        w.byte(b'-')
    } else {
        w
    };
    let point = end - scale;
    let w = if start == point {
        w.byte(b'0')
    } else {
        w.raw(&buf[start..point])
    };
    if scale > 0 {
        w.byte(b'.').raw(&buf[point..])
    } else {
        w
    }
}

/// The elements of a list, separated by commas, without the brackets: the caller writes those
/// with the keys around them (`,"fees":[` … `],"fee_total":`), one append instead of two.
fn list<'a, T>(w: Out<'a>, items: &[T], write: for<'b> fn(Out<'b>, &T) -> Out<'b>) -> Out<'a> {
    let Some((first, others)) = items.split_first() else {
        return w;
    };
    let mut w = write(w, first);
    for item in others {
        w = write(w.byte(b','), item);
    }
    w
}

/// The flow without its closing brace, which the caller writes with the next key.
fn flow<'a>(w: Out<'a>, f: &Flow) -> Out<'a> {
    let w = string(w.raw(b"{\"destination\":"), &f.destination);
    let w = name(w.raw(b",\"channel\":"), f.channel);
    let w = name(w.raw(b",\"transaction\":"), f.transaction);
    let w = opt_string(w.raw(b",\"origin\":"), f.origin.as_deref());
    opt_string(w.raw(b",\"hs_chapter\":"), f.hs_chapter.as_deref())
}

/// The category, and the start of the de minimis outcomes after it.
fn category<'a>(w: Out<'a>, c: &CategoryOutcome) -> Out<'a> {
    let w = uint(w.raw(b"{\"code\":"), u64::from(c.code));
    let w = name(w.raw(b",\"name\":"), c.name);
    // With the start of the next field, which the caller continues.
    const TEXTS: Either<40> = Either::of(
        b",\"sample\":false},\"de_minimis\":{\"duty\":",
        b",\"sample\":true},\"de_minimis\":{\"duty\":",
    );
    TEXTS.put(w, c.sample)
}

/// A de minimis outcome without its closing brace, which the caller writes with the next key.
fn de_minimis<'a>(w: Out<'a>, d: &DeMinimisOutcome) -> Out<'a> {
    if !d.applies
        && d.threshold.is_none()
        && d.basis.is_none()
        && d.unit.is_none()
        && d.basis_value.is_none()
    {
        // No threshold for this charge (the tax's, for most regimes): one constant.
        return w.raw(
            b"{\"applies\":false,\"threshold\":null,\"basis\":null,\"unit\":null,\"basis_value\":null",
        );
    }
    const APPLIES: Either<32> = Either::of(
        b"{\"applies\":false,\"threshold\":",
        b"{\"applies\":true,\"threshold\":",
    );
    let w = APPLIES.put(w, d.applies);
    let w = opt_amount(w, d.threshold);
    let w = opt_name(w.raw(b",\"basis\":"), d.basis);
    let w = opt_name(w.raw(b",\"unit\":"), d.unit);
    opt_amount(w.raw(b",\"basis_value\":"), d.basis_value)
}

fn duty_line<'a>(w: Out<'a>, d: &DutyLine) -> Out<'a> {
    let w = uint(w.raw(b"{\"item\":"), d.item as u64);
    let w = opt_string(w.raw(b",\"hs_code\":"), d.hs_code.as_deref());
    let w = string(w.raw(b",\"rate\":"), &d.rate);
    let w = amount(w.raw(b",\"base\":"), d.base);
    let w = amount(w.raw(b",\"amount\":"), d.amount);
    let w = name(w.raw(b",\"basis\":"), d.basis);
    let w = match &d.tariff {
        Some(tariff) => tariff_citation(w.raw(b",\"tariff\":"), tariff),
        None => w,
    };
    w.byte(b'}')
}

/// `{"revision":…,"line":…,"confidence":…}`, the fields of `TariffCitation` in order.
fn tariff_citation<'a>(w: Out<'a>, t: &TariffCitation) -> Out<'a> {
    let w = string(w.raw(b"{\"revision\":"), &t.revision);
    let w = string(w.raw(b",\"line\":"), &t.line);
    name(w.raw(b",\"confidence\":"), t.confidence).byte(b'}')
}

fn tax_line<'a>(w: Out<'a>, t: &TaxLine) -> Out<'a> {
    let w = string(w.raw(b"{\"kind\":"), &t.kind);
    let w = string(w.raw(b",\"rate\":"), &t.rate);
    let w = amount(w.raw(b",\"base\":"), t.base);
    let w = amount(w.raw(b",\"amount\":"), t.amount);
    let w = name(w.raw(b",\"charged\":"), t.charged);
    let w = list(w.raw(b",\"items\":["), &t.items, |w, &i| uint(w, i as u64));
    match t.basis {
        Some(basis) => name(w.raw(b"],\"basis\":"), basis).byte(b'}'),
        None => w.raw(b"]}"),
    }
}

fn fee_line<'a>(w: Out<'a>, f: &FeeLine) -> Out<'a> {
    let w = string(w.raw(b"{\"id\":"), &f.id);
    let w = string(w.raw(b",\"kind\":"), &f.kind);
    let w = name(w.raw(b",\"payer\":"), f.payer);
    let w = match f.collector {
        Some(collector) => name(w.raw(b",\"collector\":"), collector),
        None => w,
    };
    amount(w.raw(b",\"amount\":"), f.amount).byte(b'}')
}

fn collection<'a>(w: Out<'a>, c: &CollectionOutcome) -> Out<'a> {
    let w = name(w.raw(b"{\"model\":"), c.model);
    let w = opt_string(w.raw(b",\"scheme\":"), c.scheme.as_deref());
    let w = name(w.raw(b",\"collector\":"), c.collector);
    let w = name(w.raw(b",\"when\":"), c.when);
    let w = name(w.raw(b",\"import_charges_payer\":"), c.import_charges_payer);
    const END: Either<24> = Either::of(b"}", b",\"duty_at_sale\":true}");
    END.put(w, c.duty_at_sale)
}

/// The release without the closing `]}` of its reasons, which the caller writes with the next key.
fn release<'a>(w: Out<'a>, r: &Release) -> Out<'a> {
    let w = name(w.raw(b"{\"decision\":"), r.decision);
    let w = int(w.raw(b",\"score\":"), i64::from(r.score));
    let w = opt_string(w.raw(b",\"profile\":"), r.profile.as_deref());
    let w = list(w.raw(b",\"agencies\":["), &r.agencies, |w, a| string(w, a));
    list(w.raw(b"],\"reasons\":["), &r.reasons, reason)
}

fn reason<'a>(w: Out<'a>, r: &ReleaseReason) -> Out<'a> {
    let w = string(w.raw(b"{\"code\":"), &r.code);
    let w = int(w.raw(b",\"weight\":"), i64::from(r.weight));
    let w = match r.action {
        Some(action) => name(w.raw(b",\"action\":"), action),
        None => w,
    };
    let w = match &r.agency {
        Some(agency) => string(w.raw(b",\"agency\":"), agency),
        None => w,
    };
    let w = match &r.path {
        Some(path) => string(w.raw(b",\"path\":"), path),
        None => w,
    };
    string(w.raw(b",\"message\":"), &r.message).byte(b'}')
}

fn finding<'a>(w: Out<'a>, f: &Finding) -> Out<'a> {
    let w = string(w.raw(b"{\"code\":"), &f.code);
    let w = name(w.raw(b",\"severity\":"), f.severity);
    let w = opt_string(w.raw(b",\"path\":"), f.path.as_deref());
    string(w.raw(b",\"message\":"), &f.message).byte(b'}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `write` writes after `prefix`, given a room of 64 bytes and given one of 8, so
    /// that the tests run both the writes with room to spare and [`fill`]'s second and
    /// later attempts (the writes near the end of the room, and past it).
    pub(super) fn written_after(
        prefix: &[u8],
        write: impl for<'a> Fn(Out<'a>) -> Out<'a>,
    ) -> Vec<u8> {
        let mut roomy = prefix.to_vec();
        append(&mut roomy, 64, &write);
        let mut tight = prefix.to_vec();
        append(&mut tight, 8, &write);
        assert_eq!(roomy, tight);
        roomy
    }

    /// What `write` writes.
    pub(super) fn written(write: impl for<'a> Fn(Out<'a>) -> Out<'a>) -> Vec<u8> {
        written_after(b"", write)
    }

    /// `d` as [`decimal`] writes it, after checking that [`amount`] writes the same in quotes
    /// and [`push_decimal`] the same.
    fn shown(d: Decimal) -> String {
        let text = String::from_utf8(written(|w| decimal(w, d))).unwrap();
        let quoted = written_after(b"[", |w| amount(w, Amount(d)));
        assert_eq!(quoted, format!("[\"{text}\"").into_bytes());
        let mut pushed = String::from("[");
        push_decimal(&mut pushed, d);
        assert_eq!(pushed, format!("[{text}"));
        let mut bytes = b"[".to_vec();
        decimal_text(&mut bytes, d);
        assert_eq!(bytes, format!("[{text}").into_bytes());
        text
    }

    #[test]
    fn decimals_read_as_display_writes_them() {
        for text in [
            "0",
            "0.00",
            "-0.00",
            "1",
            "12.50",
            "0.05",
            "-0.05",
            "100",
            "1000000.0001",
            "0.0000000000000000000000000001",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "7.9228162514264337593543950335",
        ] {
            let d: Decimal = text.parse().unwrap();
            assert_eq!(shown(d), d.to_string(), "{text}");
        }
        let negative_zero = Decimal::from_parts(0, 0, 0, true, 2);
        assert_eq!(shown(negative_zero), negative_zero.to_string());
        let negative_zero = Decimal::from_parts(0, 0, 0, true, 0);
        assert_eq!(shown(negative_zero), negative_zero.to_string());
        // Zero at every scale, both signs (the table of zeros, and the scales past it).
        for scale in 0..=28 {
            for negative in [false, true] {
                let zero = Decimal::from_parts(0, 0, 0, negative, scale);
                assert_eq!(shown(zero), zero.to_string(), "{scale} {negative}");
            }
        }
    }

    /// [`cents`] on every amount below 10 000.00 and on a spread of the larger ones.
    #[test]
    fn cents_read_as_display_writes_them() {
        for n in (0..1_000_000)
            .chain((1_000_000..10_000_000).step_by(997))
            .chain([9_999_999])
        {
            let (text, len) = cents(n);
            let written = &text.to_le_bytes()[..len];
            let expected = Decimal::new(i64::from(n), 2).to_string();
            assert_eq!(written, expected.as_bytes(), "{n}");
        }
    }

    /// [`SPECIAL`] flags the bytes serde_json escapes, and only those.
    #[test]
    fn the_special_table_is_the_escaped_bytes() {
        for b in 0..=255u8 {
            assert_eq!(
                SPECIAL[usize::from(b)] == 1,
                json_bytes::is_special(b),
                "{b:#x}"
            );
            assert!(SPECIAL[usize::from(b)] <= 1);
        }
    }

    /// [`string`] writes `bytes` (made UTF-8 if they are not) as serde_json does.
    fn same_as_serde(bytes: &[u8]) {
        let text = String::from_utf8_lossy(bytes);
        let out = written_after(b"[", |w| string(w, &text));
        assert_eq!(out[1..], serde_json::to_vec(&text).unwrap(), "{text:?}");
    }

    #[test]
    fn every_escaped_byte_is_seen_wherever_it_is() {
        for text in [
            "",
            "é",
            "日本",
            "a\u{7f}",
            "\u{2028}",
            "€1",
            "ab\"",
            "Größe: 12 €",
        ] {
            same_as_serde(text.as_bytes());
        }
        for len in 0..72 {
            for at in 0..len {
                for special in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = special;
                    same_as_serde(&bytes);
                }
                // The bytes next to the special ones need no escape.
                for plain in [b' ', b'!', b'#', b'[', b']', 0x7f, 0xff] {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = plain;
                    same_as_serde(&bytes);
                }
            }
        }
    }

    #[test]
    fn error_records_written_over_are_the_serde_records() {
        use crate::{Error, ErrorCode, Rejection};
        let mut quoted = Error::new(
            ErrorCode::HsAmbiguous,
            "HS 392690 covers \"17\" lines\\ \u{1}\n\t é; ".repeat(40),
        );
        quoted.path = Some("items[0].hs_code".to_string());
        let records = [
            Rejection::new(Some("D231".to_string()), quoted.clone()),
            Rejection::new(None, quoted),
            Rejection::new(
                Some("id \"q\"".to_string()),
                Error::new(ErrorCode::JsonSyntax, "bad"),
            ),
        ];
        for r in &records {
            for prefix in [&b""[..], b"0123456789"] {
                for len in [0, 5, 64, 4096] {
                    let mut out = prefix.to_vec();
                    out.resize(prefix.len() + len, b'#');
                    let end = r.write_json_over(&mut out, prefix.len());
                    assert_eq!(&out[..prefix.len()], prefix);
                    assert_eq!(
                        std::str::from_utf8(&out[prefix.len()..end]).unwrap(),
                        r.to_json()
                    );
                }
            }
        }
    }

    #[test]
    fn every_name_is_the_name_serde_gives() {
        let all = every_name();
        assert!(all.len() >= 50, "{}", all.len());
        for (written, serde) in all {
            assert_eq!(
                String::from_utf8(written).unwrap(),
                String::from_utf8(serde).unwrap()
            );
        }
    }

    /// Each variant's [`Named::index`] is its place in the tape layout's list of its enum's
    /// names, and every list there is the enum's names in order.
    #[test]
    fn every_index_is_the_place_in_the_tape_layout() {
        let layout: serde_json::Value =
            serde_json::from_str(include_str!("tape_layout.json")).unwrap();
        let mut seen: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
        for (ty, index, name) in every_index() {
            let names = &layout["enums"][ty];
            assert_eq!(names[index as usize], name.as_str(), "{ty} {name}");
            let listed = seen.entry(ty).or_default();
            assert_eq!(listed.len(), index as usize, "{ty} {name}: not in order");
            listed.push(name);
        }
        let enums = layout["enums"].as_object().unwrap();
        assert_eq!(enums.len(), seen.len());
        for (ty, names) in seen {
            assert_eq!(enums[ty].as_array().unwrap().len(), names.len(), "{ty}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_decimal_reads_as_display_writes_it(
            lo: u32, mid: u32, hi: u32, negative: bool, scale in 0u32..=28
        ) {
            let d = Decimal::from_parts(lo, mid, hi, negative, scale);
            proptest::prop_assert_eq!(shown(d), d.to_string());
        }

        #[test]
        fn short_amounts_read_as_display_writes_them(
            n in 0u32..20_000_000, small in 0u32..1000, negative: bool, scale in 0u32..=9
        ) {
            for n in [n, small] {
                let d = Decimal::from_parts(n, 0, 0, negative, scale);
                proptest::prop_assert_eq!(shown(d), d.to_string());
            }
        }

        #[test]
        fn strings_read_as_serde_writes_them(s in "\\PC*|[\"\\\\\\x00-\\x1f a-z\u{7f}\u{2028}é]*") {
            let out = written(|w| string(w, &s));
            proptest::prop_assert_eq!(out, serde_json::to_vec(&s).unwrap());
        }

        /// The escaper alone, on text dense with special bytes and on any text at all.
        #[test]
        fn escaped_strings_read_as_serde_writes_them(
            dense in "[\"\\\\\\x00-\\x1f a-z\u{7f}é]{0,80}", any in "\\PC{0,40}"
        ) {
            for s in [&dense, &any] {
                let out = written(|w| escaped(w, s));
                proptest::prop_assert_eq!(out, serde_json::to_vec(s).unwrap());
            }
        }

        #[test]
        fn unsigned_integers_read_as_serde_writes_them(n: u64, small in 0u64..1000) {
            for n in [n, small] {
                let out = written_after(b"[", |w| uint(w, n));
                proptest::prop_assert_eq!(&out[1..], serde_json::to_vec(&n).unwrap());
            }
        }

        #[test]
        fn integers_read_as_serde_writes_them(n: i64) {
            let out = written(|w| int(w, n));
            proptest::prop_assert_eq!(out, serde_json::to_vec(&n).unwrap());
        }
    }
}
