//! The result as a "tape" (issue 17): its values as 32-bit integers in the order
//! [`Assessment::write_json`] writes them, and its strings in one UTF-8 text, for a reader that
//! knows the layout and builds the result's objects itself (the WASM package's `assess`, whose
//! generated decoder `wasm/js/result-tape.js` is about ten times quicker than `JSON.parse` of
//! the JSON text, mostly because it builds each object as one literal).
//!
//! The layout is `tape_layout.json` (next to this file): for each type its fields in the JSON's
//! order, each field's kind, and the fields left out when absent; for each enum its names in
//! order. One record of the tape:
//!
//! - Word 0 is the byte length of the record's text (what was appended to `text`).
//! - `str`: two words, the string's start and its length in UTF-16 code units of the text
//!   decoded (JavaScript's `substring`); `nstr` (a string or null): start −1 for null.
//! - Integers (`uint`, `int`): the value. Bools: 0 or 1.
//! - Enums: the variant's index in the layout's list; −1 for a null one (`ne`).
//! - Arrays: the count, then the elements. Objects: their fields in order; an object with
//!   fields left out when absent (`omit`) starts with one word whose bit k says that the k-th
//!   such field is present.
//! - `json` (the exchange rate, the trace): its serde_json text, as a string.
//!
//! Amounts are strings, written as [`Assessment::write_json`] writes them (without quotes).
//! Strings are not escaped. `core/tests/result_tape.rs` reads every tape back into JSON text
//! with the layout and compares it with what `write_json` writes.

use serde::Serialize;

use super::json::{decimal_text, Named};
use super::{
    Assessment, CategoryOutcome, CollectionOutcome, DeMinimisOutcome, DutyLine, FeeLine, Finding,
    Flow, TariffCitation, TaxLine,
};
use crate::money::Amount;
use crate::release::{Release, ReleaseReason};

impl Assessment {
    /// Appends the result's tape record to `tape` and its strings to `text` (see the module's
    /// documentation, `xborder::result` `tape`): the values of [`Assessment::write_json`], in
    /// the same order, for a reader generated from the layout file `tape_layout.json`.
    pub fn write_tape(&self, tape: &mut Vec<i32>, text: &mut Vec<u8>) {
        let head = tape.len();
        tape.push(0);
        let mut t = Tape {
            tape,
            text,
            start: 0,
            at: 0,
        };
        t.start = t.text.len();
        assessment(&mut t, self);
        let bytes = t.text.len() - t.start;
        t.tape[head] = word(bytes);
    }
}

/// The record being written: the tape, the text, where the record's text starts in it, and the
/// length of the record's text so far in UTF-16 code units.
struct Tape<'a> {
    tape: &'a mut Vec<i32>,
    text: &'a mut Vec<u8>,
    start: usize,
    at: usize,
}

impl Tape<'_> {
    fn int(&mut self, n: i32) {
        self.tape.push(n);
    }

    fn count(&mut self, n: usize) {
        self.tape.push(word(n));
    }

    fn bool(&mut self, b: bool) {
        self.tape.push(i32::from(b));
    }

    fn name<T: Named>(&mut self, value: T) {
        self.tape.push(value.index());
    }

    fn opt_name<T: Named>(&mut self, value: Option<T>) {
        self.tape.push(value.map_or(-1, Named::index));
    }

    /// A string: its start and its length, both in UTF-16 code units.
    fn str(&mut self, s: &str) {
        self.text.extend_from_slice(s.as_bytes());
        self.ended(utf16_len(s));
    }

    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.str(s),
            None => self.tape.extend_from_slice(&[-1, 0]),
        }
    }

    /// An amount, as `Decimal`'s `Display` writes it (ASCII).
    fn amount(&mut self, a: Amount) {
        let from = self.text.len();
        decimal_text(self.text, a.0);
        self.ended(self.text.len() - from);
    }

    fn opt_amount(&mut self, a: Option<Amount>) {
        match a {
            Some(a) => self.amount(a),
            None => self.tape.extend_from_slice(&[-1, 0]),
        }
    }

    /// A value serde_json writes (the exchange rate, the trace), as the text of a string.
    fn json<T: Serialize + ?Sized>(&mut self, value: &T) {
        let from = self.text.len();
        // Writing to a Vec cannot fail, and none of these types has a serializer that refuses.
        let _ = serde_json::to_writer(&mut *self.text, value);
        let len = std::str::from_utf8(&self.text[from..]).map_or(0, utf16_len);
        self.ended(len);
    }

    /// Records a string of `len` UTF-16 code units just appended to the text.
    fn ended(&mut self, len: usize) {
        self.tape.extend_from_slice(&[word(self.at), word(len)]);
        self.at += len;
    }

    fn list<T>(&mut self, items: &[T], write: fn(&mut Self, &T)) {
        self.count(items.len());
        for item in items {
            write(self, item);
        }
    }
}

/// `n` as a tape word. Nothing the core writes comes near `i32::MAX` (a declaration is at most
/// 1 MiB); a larger `n` would be written as `i32::MAX`, never wrapped.
fn word(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// The length of `s` in UTF-16 code units: what JavaScript's `length` gives for it.
fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.encode_utf16().count()
    }
}

/// The bitmask of an object's fields left out when absent: bit k for the k-th.
fn present(fields: &[bool]) -> i32 {
    fields
        .iter()
        .enumerate()
        .fold(0, |mask, (k, &p)| mask | i32::from(p) << k)
}

fn assessment(t: &mut Tape<'_>, a: &Assessment) {
    t.int(present(&[a.exchange.is_some(), a.trace.is_some()]));
    t.str(&a.id);
    t.str(&a.regime);
    t.str(&a.regime_version);
    t.str(&a.currency);
    // `YYYY-MM-DD`: ASCII.
    t.text.extend_from_slice(&a.date.iso_bytes());
    t.ended(10);
    t.str(&a.subdivision);
    flow(t, &a.flow);
    if let Some(exchange) = &a.exchange {
        t.json(exchange);
    }
    t.amount(a.intrinsic_value);
    t.amount(a.customs_value);
    category(t, &a.category);
    de_minimis(t, &a.de_minimis.duty);
    de_minimis(t, &a.de_minimis.tax);
    t.list(&a.duties, duty_line);
    t.amount(a.duty_total);
    t.list(&a.taxes, tax_line);
    t.amount(a.tax_total);
    t.list(&a.fees, fee_line);
    t.amount(a.fee_total);
    collection(t, &a.collection);
    t.amount(a.due_at_sale);
    t.amount(a.due_at_import);
    t.amount(a.total_payable);
    t.amount(a.landed_cost);
    release(t, &a.release);
    t.list(&a.findings, finding);
    if let Some(trace) = &a.trace {
        t.json(trace);
    }
}

fn flow(t: &mut Tape<'_>, f: &Flow) {
    t.str(&f.destination);
    t.name(f.channel);
    t.name(f.transaction);
    t.opt_str(f.origin.as_deref());
    t.opt_str(f.hs_chapter.as_deref());
}

fn category(t: &mut Tape<'_>, c: &CategoryOutcome) {
    t.int(i32::from(c.code));
    t.name(c.name);
    t.bool(c.sample);
}

fn de_minimis(t: &mut Tape<'_>, d: &DeMinimisOutcome) {
    t.bool(d.applies);
    t.opt_amount(d.threshold);
    t.opt_name(d.basis);
    t.opt_name(d.unit);
    t.opt_amount(d.basis_value);
}

fn duty_line(t: &mut Tape<'_>, d: &DutyLine) {
    t.int(present(&[d.tariff.is_some()]));
    t.count(d.item);
    t.opt_str(d.hs_code.as_deref());
    t.str(&d.rate);
    t.amount(d.base);
    t.amount(d.amount);
    t.name(d.basis);
    if let Some(tariff) = &d.tariff {
        tariff_citation(t, tariff);
    }
}

fn tariff_citation(t: &mut Tape<'_>, c: &TariffCitation) {
    t.str(&c.revision);
    t.str(&c.line);
    t.name(c.confidence);
}

fn tax_line(t: &mut Tape<'_>, x: &TaxLine) {
    t.int(present(&[x.basis.is_some()]));
    t.str(&x.kind);
    t.str(&x.rate);
    t.amount(x.base);
    t.amount(x.amount);
    t.name(x.charged);
    t.list(&x.items, |t, &item| t.count(item));
    if let Some(basis) = x.basis {
        t.name(basis);
    }
}

fn fee_line(t: &mut Tape<'_>, f: &FeeLine) {
    t.int(present(&[f.collector.is_some()]));
    t.str(&f.id);
    t.str(&f.kind);
    t.name(f.payer);
    if let Some(collector) = f.collector {
        t.name(collector);
    }
    t.amount(f.amount);
}

fn collection(t: &mut Tape<'_>, c: &CollectionOutcome) {
    // `duty_at_sale` is written only when true.
    t.int(present(&[c.duty_at_sale]));
    t.name(c.model);
    t.opt_str(c.scheme.as_deref());
    t.name(c.collector);
    t.name(c.when);
    t.name(c.import_charges_payer);
    if c.duty_at_sale {
        t.bool(true);
    }
}

fn release(t: &mut Tape<'_>, r: &Release) {
    t.name(r.decision);
    t.int(r.score);
    t.opt_str(r.profile.as_deref());
    t.list(&r.agencies, |t, agency| t.str(agency));
    t.list(&r.reasons, reason);
}

fn reason(t: &mut Tape<'_>, r: &ReleaseReason) {
    t.int(present(&[
        r.action.is_some(),
        r.agency.is_some(),
        r.path.is_some(),
    ]));
    t.str(&r.code);
    t.int(r.weight);
    if let Some(action) = r.action {
        t.name(action);
    }
    if let Some(agency) = &r.agency {
        t.str(agency);
    }
    if let Some(path) = &r.path {
        t.str(path);
    }
    t.str(&r.message);
}

fn finding(t: &mut Tape<'_>, f: &Finding) {
    t.str(&f.code);
    t.name(f.severity);
    t.opt_str(f.path.as_deref());
    t.str(&f.message);
}
