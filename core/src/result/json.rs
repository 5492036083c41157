//! The result's JSON, written byte by byte.
//!
//! serde_json's generic path cost about a third of a JSON-to-JSON assessment (issue 16's
//! profile): every key escaped again on every record, every amount formatted through
//! `core::fmt` and then escaped, every field dispatched through the serializer's state
//! machine. Here keys are pre-escaped constants, amounts are formatted from their mantissa
//! into a stack buffer, and strings are copied as they are unless they hold a character JSON
//! must escape, in which case serde_json escapes them (so the bytes are its bytes).
//!
//! The output must stay byte-identical to `serde_json::to_writer(out, &assessment)`: the
//! field order and the skipped fields follow the `#[derive(Serialize)]` declarations in
//! `result.rs` and `release.rs`. Enums with an `as_str` (the JSON name) are written with it;
//! the other enums and the rare parts (the exchange rate, tariff citations, the trace) go
//! through serde_json itself. `core/tests/result_json.rs` compares both
//! writers on every conformance vector and on generated declarations.

use rust_decimal::Decimal;
use serde::Serialize;

use super::{
    Assessment, CategoryOutcome, CollectionOutcome, DeMinimisOutcome, DutyLine, FeeLine, Finding,
    Flow, TaxLine,
};
use crate::date::Date;
use crate::money::Amount;
use crate::release::{Release, ReleaseReason};

impl Assessment {
    /// Appends the result's JSON to `out`: the same bytes as `serde_json::to_writer(out,
    /// self)`, written several times faster (no per-field serializer dispatch, pre-escaped
    /// keys, amounts formatted without `core::fmt`). Every binding writes results with it.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        let a = self;
        out.extend_from_slice(b"{\"id\":");
        string(out, &a.id);
        out.extend_from_slice(b",\"regime\":");
        string(out, &a.regime);
        out.extend_from_slice(b",\"regime_version\":");
        string(out, &a.regime_version);
        out.extend_from_slice(b",\"currency\":");
        string(out, &a.currency);
        out.extend_from_slice(b",\"date\":");
        date(out, a.date);
        out.extend_from_slice(b",\"subdivision\":");
        string(out, &a.subdivision);
        out.extend_from_slice(b",\"flow\":");
        flow(out, &a.flow);
        if let Some(exchange) = &a.exchange {
            out.extend_from_slice(b",\"exchange\":");
            serde(out, exchange);
        }
        out.extend_from_slice(b",\"intrinsic_value\":");
        amount(out, a.intrinsic_value);
        out.extend_from_slice(b",\"customs_value\":");
        amount(out, a.customs_value);
        out.extend_from_slice(b",\"category\":");
        category(out, &a.category);
        out.extend_from_slice(b",\"de_minimis\":{\"duty\":");
        de_minimis(out, &a.de_minimis.duty);
        out.extend_from_slice(b",\"tax\":");
        de_minimis(out, &a.de_minimis.tax);
        out.extend_from_slice(b"},\"duties\":");
        list(out, &a.duties, duty_line);
        out.extend_from_slice(b",\"duty_total\":");
        amount(out, a.duty_total);
        out.extend_from_slice(b",\"taxes\":");
        list(out, &a.taxes, tax_line);
        out.extend_from_slice(b",\"tax_total\":");
        amount(out, a.tax_total);
        out.extend_from_slice(b",\"fees\":");
        list(out, &a.fees, fee_line);
        out.extend_from_slice(b",\"fee_total\":");
        amount(out, a.fee_total);
        out.extend_from_slice(b",\"collection\":");
        collection(out, &a.collection);
        out.extend_from_slice(b",\"due_at_sale\":");
        amount(out, a.due_at_sale);
        out.extend_from_slice(b",\"due_at_import\":");
        amount(out, a.due_at_import);
        out.extend_from_slice(b",\"total_payable\":");
        amount(out, a.total_payable);
        out.extend_from_slice(b",\"landed_cost\":");
        amount(out, a.landed_cost);
        out.extend_from_slice(b",\"release\":");
        release(out, &a.release);
        out.extend_from_slice(b",\"findings\":");
        list(out, &a.findings, finding);
        if let Some(trace) = &a.trace {
            out.extend_from_slice(b",\"trace\":");
            serde(out, trace);
        }
        out.push(b'}');
    }
}

/// A value serde_json writes: the rare parts and the enums without an `as_str` (a unit
/// variant is one short string, not worth a second list of names).
fn serde<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    // Writing to a Vec cannot fail, and none of these types has a serializer that refuses
    // (no maps with non-string keys, no custom errors).
    let _ = serde_json::to_writer(&mut *out, value);
}

/// A JSON string. serde_json escapes only `"`, `\` and the control characters below U+0020;
/// text without them is copied as it is, and text with them is escaped by serde_json itself.
fn string(out: &mut Vec<u8>, s: &str) {
    if needs_escape(s.as_bytes()) {
        serde(out, s);
    } else {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    }
}

/// Whether `s` holds a byte serde_json escapes, eight bytes at a time (the messages of
/// findings and release reasons are long; a byte loop was the writer's largest cost).
fn needs_escape(s: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Whether any byte of `x` is zero: exact as to "any", which is all that is asked.
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH != 0;
    let mut chunks = s.chunks_exact(8);
    for chunk in &mut chunks {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(chunk);
        let x = u64::from_le_bytes(bytes);
        // A byte below 0x20 (exact for thresholds up to 0x80), a quote, a backslash.
        let control = x.wrapping_sub(ONES * 0x20) & !x & HIGH != 0;
        if control || has_zero(x ^ (ONES * u64::from(b'"'))) || has_zero(x ^ (ONES * 0x5c)) {
            return true;
        }
    }
    chunks
        .remainder()
        .iter()
        .any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

fn opt_string(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// An unsigned integer, as serde_json (itoa) writes it.
fn uint(out: &mut Vec<u8>, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

fn int(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        out.push(b'-');
    }
    uint(out, n.unsigned_abs());
}

/// `YYYY-MM-DD` in quotes (years are 1-9999, so always four digits).
fn date(out: &mut Vec<u8>, d: Date) {
    let (y, m, day) = (d.year(), d.month(), d.day());
    let digit = |n: u32| b'0' + (n % 10) as u8;
    out.extend_from_slice(&[
        b'"',
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(day / 10),
        digit(day),
        b'"',
    ]);
}

/// An amount in quotes, as `Decimal`'s `Display` writes it.
fn amount(out: &mut Vec<u8>, a: Amount) {
    out.push(b'"');
    decimal(out, a.0);
    out.push(b'"');
}

fn opt_amount(out: &mut Vec<u8>, a: Option<Amount>) {
    match a {
        Some(a) => amount(out, a),
        None => out.extend_from_slice(b"null"),
    }
}

/// `Decimal`'s `Display` without a precision: a `-` for a negative sign (negative zero
/// included), the mantissa's digits with at least `scale` of them, a `0` before the point when
/// there is no integer digit, and the point only when the scale is not zero.
fn decimal(out: &mut Vec<u8>, d: Decimal) {
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
    if d.is_sign_negative() {
        out.push(b'-');
    }
    let point = end - scale;
    if start == point {
        out.push(b'0');
    } else {
        out.extend_from_slice(&buf[start..point]);
    }
    if scale > 0 {
        out.push(b'.');
        out.extend_from_slice(&buf[point..]);
    }
}

fn list<T>(out: &mut Vec<u8>, items: &[T], write: fn(&mut Vec<u8>, &T)) {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write(out, item);
    }
    out.push(b']');
}

fn flow(out: &mut Vec<u8>, f: &Flow) {
    out.extend_from_slice(b"{\"destination\":");
    string(out, &f.destination);
    out.extend_from_slice(b",\"channel\":");
    serde(out, &f.channel);
    out.extend_from_slice(b",\"transaction\":");
    serde(out, &f.transaction);
    out.extend_from_slice(b",\"origin\":");
    opt_string(out, f.origin.as_deref());
    out.extend_from_slice(b",\"hs_chapter\":");
    opt_string(out, f.hs_chapter.as_deref());
    out.push(b'}');
}

fn category(out: &mut Vec<u8>, c: &CategoryOutcome) {
    out.extend_from_slice(b"{\"code\":");
    uint(out, u64::from(c.code));
    out.extend_from_slice(b",\"name\":");
    string(out, c.name.as_str());
    out.extend_from_slice(if c.sample {
        b",\"sample\":true}"
    } else {
        b",\"sample\":false}"
    });
}

fn de_minimis(out: &mut Vec<u8>, d: &DeMinimisOutcome) {
    out.extend_from_slice(if d.applies {
        b"{\"applies\":true,\"threshold\":"
    } else {
        b"{\"applies\":false,\"threshold\":"
    });
    opt_amount(out, d.threshold);
    out.extend_from_slice(b",\"basis\":");
    serde(out, &d.basis);
    out.extend_from_slice(b",\"unit\":");
    serde(out, &d.unit);
    out.extend_from_slice(b",\"basis_value\":");
    opt_amount(out, d.basis_value);
    out.push(b'}');
}

fn duty_line(out: &mut Vec<u8>, d: &DutyLine) {
    out.extend_from_slice(b"{\"item\":");
    uint(out, d.item as u64);
    out.extend_from_slice(b",\"hs_code\":");
    opt_string(out, d.hs_code.as_deref());
    out.extend_from_slice(b",\"rate\":");
    string(out, &d.rate);
    out.extend_from_slice(b",\"base\":");
    amount(out, d.base);
    out.extend_from_slice(b",\"amount\":");
    amount(out, d.amount);
    out.extend_from_slice(b",\"basis\":");
    string(out, d.basis.as_str());
    if let Some(tariff) = &d.tariff {
        out.extend_from_slice(b",\"tariff\":");
        serde(out, tariff);
    }
    out.push(b'}');
}

fn tax_line(out: &mut Vec<u8>, t: &TaxLine) {
    out.extend_from_slice(b"{\"kind\":");
    string(out, &t.kind);
    out.extend_from_slice(b",\"rate\":");
    string(out, &t.rate);
    out.extend_from_slice(b",\"base\":");
    amount(out, t.base);
    out.extend_from_slice(b",\"amount\":");
    amount(out, t.amount);
    out.extend_from_slice(b",\"charged\":");
    string(out, t.charged.as_str());
    out.extend_from_slice(b",\"items\":");
    list(out, &t.items, |out, &i| uint(out, i as u64));
    if let Some(basis) = t.basis {
        out.extend_from_slice(b",\"basis\":");
        string(out, basis.as_str());
    }
    out.push(b'}');
}

fn fee_line(out: &mut Vec<u8>, f: &FeeLine) {
    out.extend_from_slice(b"{\"id\":");
    string(out, &f.id);
    out.extend_from_slice(b",\"kind\":");
    string(out, &f.kind);
    out.extend_from_slice(b",\"payer\":");
    serde(out, &f.payer);
    if let Some(collector) = &f.collector {
        out.extend_from_slice(b",\"collector\":");
        serde(out, collector);
    }
    out.extend_from_slice(b",\"amount\":");
    amount(out, f.amount);
    out.push(b'}');
}

fn collection(out: &mut Vec<u8>, c: &CollectionOutcome) {
    out.extend_from_slice(b"{\"model\":");
    serde(out, &c.model);
    out.extend_from_slice(b",\"scheme\":");
    opt_string(out, c.scheme.as_deref());
    out.extend_from_slice(b",\"collector\":");
    serde(out, &c.collector);
    out.extend_from_slice(b",\"when\":");
    serde(out, &c.when);
    out.extend_from_slice(b",\"import_charges_payer\":");
    serde(out, &c.import_charges_payer);
    if c.duty_at_sale {
        out.extend_from_slice(b",\"duty_at_sale\":true");
    }
    out.push(b'}');
}

fn release(out: &mut Vec<u8>, r: &Release) {
    out.extend_from_slice(b"{\"decision\":");
    string(out, r.decision.as_str());
    out.extend_from_slice(b",\"score\":");
    int(out, i64::from(r.score));
    out.extend_from_slice(b",\"profile\":");
    opt_string(out, r.profile.as_deref());
    out.extend_from_slice(b",\"agencies\":");
    list(out, &r.agencies, |out, a| string(out, a));
    out.extend_from_slice(b",\"reasons\":");
    list(out, &r.reasons, reason);
    out.push(b'}');
}

fn reason(out: &mut Vec<u8>, r: &ReleaseReason) {
    out.extend_from_slice(b"{\"code\":");
    string(out, &r.code);
    out.extend_from_slice(b",\"weight\":");
    int(out, i64::from(r.weight));
    if let Some(action) = r.action {
        out.extend_from_slice(b",\"action\":");
        string(out, action.as_str());
    }
    if let Some(agency) = &r.agency {
        out.extend_from_slice(b",\"agency\":");
        string(out, agency);
    }
    if let Some(path) = &r.path {
        out.extend_from_slice(b",\"path\":");
        string(out, path);
    }
    out.extend_from_slice(b",\"message\":");
    string(out, &r.message);
    out.push(b'}');
}

fn finding(out: &mut Vec<u8>, f: &Finding) {
    out.extend_from_slice(b"{\"code\":");
    string(out, &f.code);
    out.extend_from_slice(b",\"severity\":");
    serde(out, &f.severity);
    out.extend_from_slice(b",\"path\":");
    opt_string(out, f.path.as_deref());
    out.extend_from_slice(b",\"message\":");
    string(out, &f.message);
    out.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(d: Decimal) -> String {
        let mut out = Vec::new();
        decimal(&mut out, d);
        String::from_utf8(out).unwrap()
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
    }

    #[test]
    fn every_escaped_byte_is_seen_wherever_it_is() {
        for len in 0..20 {
            for at in 0..len {
                for special in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = special;
                    assert!(needs_escape(&bytes), "{len} {at} {special}");
                }
                // The bytes next to the special ones need no escape.
                for plain in [b' ', b'!', b'#', b'[', b']', 0x7f, 0xff] {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = plain;
                    assert!(!needs_escape(&bytes), "{len} {at} {plain}");
                }
            }
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
        fn strings_read_as_serde_writes_them(s in "\\PC*|[\"\\\\\\x00-\\x1f a-z\u{7f}\u{2028}é]*") {
            let mut out = Vec::new();
            string(&mut out, &s);
            proptest::prop_assert_eq!(out, serde_json::to_vec(&s).unwrap());
        }

        #[test]
        fn integers_read_as_serde_writes_them(n: i64) {
            let mut out = Vec::new();
            int(&mut out, n);
            proptest::prop_assert_eq!(out, serde_json::to_vec(&n).unwrap());
        }
    }
}
