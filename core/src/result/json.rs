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
        let a = self;
        // A result is 1-2 kB: grow the buffer once here rather than field by field.
        out.reserve(2048);
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
            out.extend_from_slice(b"},\"exchange\":");
            serde(out, exchange);
            out.extend_from_slice(b",\"intrinsic_value\":");
        } else {
            out.extend_from_slice(b"},\"intrinsic_value\":");
        }
        amount(out, a.intrinsic_value);
        out.extend_from_slice(b",\"customs_value\":");
        amount(out, a.customs_value);
        out.extend_from_slice(b",\"category\":");
        // Ends with `,"de_minimis":{"duty":`.
        category(out, &a.category);
        de_minimis(out, &a.de_minimis.duty);
        out.extend_from_slice(b"},\"tax\":");
        de_minimis(out, &a.de_minimis.tax);
        out.extend_from_slice(b"}},\"duties\":[");
        list(out, &a.duties, duty_line);
        out.extend_from_slice(b"],\"duty_total\":");
        amount(out, a.duty_total);
        out.extend_from_slice(b",\"taxes\":[");
        list(out, &a.taxes, tax_line);
        out.extend_from_slice(b"],\"tax_total\":");
        amount(out, a.tax_total);
        out.extend_from_slice(b",\"fees\":[");
        list(out, &a.fees, fee_line);
        out.extend_from_slice(b"],\"fee_total\":");
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
        out.extend_from_slice(b"]},\"findings\":[");
        list(out, &a.findings, finding);
        if let Some(trace) = &a.trace {
            out.extend_from_slice(b"],\"trace\":");
            serde(out, trace);
            out.push(b'}');
        } else {
            out.extend_from_slice(b"]}");
        }
    }
}

/// A value serde_json writes: the rare parts (the exchange rate, the trace).
fn serde<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    // Writing to a Vec cannot fail, and none of these types has a serializer that refuses
    // (no maps with non-string keys, no custom errors).
    let _ = serde_json::to_writer(&mut *out, value);
}

/// A JSON string known when the program is built (an enum's name), with its quotes, padded
/// so that it is appended with one fixed-size copy ([`put`]).
struct Quoted {
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
trait Named: Copy {
    fn quoted(self) -> &'static Quoted;
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
        })+

        /// Every variant named above: what [`name`] writes and what serde_json writes.
        #[cfg(test)]
        fn every_name() -> Vec<(Vec<u8>, Vec<u8>)> {
            let mut all = Vec::new();
            $($(
                let mut written = Vec::new();
                name(&mut written, $ty::$variant);
                all.push((written, serde_json::to_vec(&$ty::$variant).unwrap()));
            )+)+
            all
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
fn name<T: Named>(out: &mut Vec<u8>, value: T) {
    let q = value.quoted();
    put(out, &q.bytes, q.len);
}

fn opt_name<T: Named>(out: &mut Vec<u8>, value: Option<T>) {
    match value {
        Some(v) => name(out, v),
        None => out.extend_from_slice(b"null"),
    }
}

/// A JSON string. serde_json escapes only `"`, `\` and the control characters below U+0020;
/// text without them is copied as it is, and text with them is escaped by [`escaped`] as
/// serde_json escapes it.
///
/// Inlined at each use so that the short strings' function, which calls nothing on its common
/// path, does not pay the long path's prologue (four saved registers) on every call.
#[inline(always)]
fn string(out: &mut Vec<u8>, s: &str) {
    if s.len() < 16 {
        short_string(out, s);
    } else {
        long_string(out, s);
    }
}

/// [`string`] for text of 16 bytes or more.
#[inline(never)]
fn long_string(out: &mut Vec<u8>, s: &str) {
    if needs_escape(s.as_bytes()) {
        escaped(out, s);
    } else {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    }
}

/// [`string`] for text shorter than 16 bytes, most of a result's strings (codes, ids, enum
/// names): read as two overlapping words, checked for escapes a word at a time, and copied
/// with its quotes into a stack buffer appended with [`put`], with neither a byte loop nor a
/// `memcpy` call.
#[inline(never)]
fn short_string(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    let n = b.len();
    let mut buf = [b'"'; 18];
    let escapes = if n >= 8 {
        let head = word::<8>(b, 0);
        let tail = word::<8>(b, n - 8);
        buf[1..9].copy_from_slice(&head);
        buf[n - 7..=n].copy_from_slice(&tail);
        json_bytes::specials(u64::from_le_bytes(head))
            | json_bytes::specials(u64::from_le_bytes(tail))
    } else if n >= 4 {
        let head = word::<4>(b, 0);
        let tail = word::<4>(b, n - 4);
        buf[1..5].copy_from_slice(&head);
        buf[n - 3..=n].copy_from_slice(&tail);
        let both = u64::from(u32::from_le_bytes(head)) | u64::from(u32::from_le_bytes(tail)) << 32;
        json_bytes::specials(both)
    } else if n > 0 {
        let (first, middle, last) = (b[0], b[n / 2], b[n - 1]);
        buf[1] = first;
        buf[1 + n / 2] = middle;
        buf[n] = last;
        // The three bytes (two of them the same for two-byte text) and `first` again, in
        // both halves of the word: two instructions rather than a shift per byte.
        let word = u32::from_le_bytes([first, middle, last, first]);
        json_bytes::specials(u64::from(word) * 0x1_0000_0001)
    } else {
        0
    };
    if escapes != 0 {
        return escaped(out, s);
    }
    // `buf[n + 1]` is still the closing quote.
    put(out, &buf, n + 2);
}

/// A JSON string holding bytes that need an escape, with the bytes serde_json writes: the
/// plain runs between them copied whole (found eight bytes at a time), each special byte
/// written as its escape. serde_json's own escaper looks every byte up in a table and cost
/// about 1 600 instructions for a 180-byte finding message quoting a word (a fifth of the
/// side-by-side harness's records have one).
fn escaped(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    out.reserve(b.len() + 8);
    out.push(b'"');
    let mut start = 0;
    while let Some(k) = b
        .get(start..)
        .and_then(|rest| json_bytes::position(rest, json_bytes::specials, json_bytes::is_special))
    {
        let at = start + k;
        out.extend_from_slice(&b[start..at]);
        escape(out, b[at]);
        start = at + 1;
    }
    out.extend_from_slice(&b[start..]);
    out.push(b'"');
}

/// The escape serde_json writes for `byte`, one of `"`, `\` or a control character: the
/// short forms where JSON has one, else `\u00` and two lowercase hexadecimal digits.
fn escape(out: &mut Vec<u8>, byte: u8) {
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
            return out.extend_from_slice(&[b'\\', b'u', b'0', b'0', hex[0], hex[1]]);
        }
    };
    out.extend_from_slice(&[b'\\', short]);
}

/// The `N` bytes of `b` from `at`.
fn word<const N: usize>(b: &[u8], at: usize) -> [u8; N] {
    let mut w = [0u8; N];
    w.copy_from_slice(&b[at..at + N]);
    w
}

/// Whether `s` holds a byte serde_json escapes: thirty-two bytes at a time, each byte's test
/// OR-ed into one flag byte with no early exit within the thirty-two, which the compiler
/// turns into a few vector compares and one reduction (the messages of findings and release
/// reasons are long; a byte loop was once the writer's largest cost). The last bytes are
/// checked again, overlapping, rather than the remainder byte by byte.
fn needs_escape(s: &[u8]) -> bool {
    if s.len() < 16 {
        return s.iter().any(|&b| json_bytes::is_special(b));
    }
    if s.len() < 32 {
        return flags::<16>(&s[..16]) | flags::<16>(&s[s.len() - 16..]) != 0;
    }
    s.chunks_exact(32).any(|c| flags::<32>(c) != 0) || flags::<32>(&s[s.len() - 32..]) != 0
}

/// Non-zero when one of the `N` bytes of `chunk` is one serde_json escapes.
#[inline(always)]
fn flags<const N: usize>(chunk: &[u8]) -> u8 {
    let mut bytes = [0u8; N];
    bytes.copy_from_slice(chunk);
    bytes.iter().fold(0, |seen, &b| {
        seen | u8::from(b < 0x20) | u8::from(b == b'"') | u8::from(b == b'\\')
    })
}

fn opt_string(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// An unsigned integer, as serde_json (itoa) writes it.
fn uint(out: &mut Vec<u8>, mut n: u64) {
    // Item indices, category codes, weights and scores: mostly one or two digits.
    if n < 10 {
        return out.push(b'0' + n as u8);
    }
    if n < 100 {
        return out.extend_from_slice(&[b'0' + (n / 10) as u8, b'0' + (n % 10) as u8]);
    }
    let len = n.checked_ilog10().unwrap_or(0) as usize + 1;
    let mut buf = [0u8; 20];
    for i in (0..len).rev() {
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    put(out, &buf, len);
}

/// Appends the first `len` bytes of `buf`: all of it with one fixed-size copy (a couple of
/// vector moves), then cut back, which is cheaper than a `memcpy` call for a few bytes.
fn put<const N: usize>(out: &mut Vec<u8>, buf: &[u8; N], len: usize) {
    out.extend_from_slice(buf);
    out.truncate(out.len() - (N - len));
}

fn int(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        out.push(b'-');
    }
    uint(out, n.unsigned_abs());
}

/// `YYYY-MM-DD` in quotes.
fn date(out: &mut Vec<u8>, d: Date) {
    let t = d.iso_bytes();
    out.extend_from_slice(&[
        b'"', t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], b'"',
    ]);
}

/// Mantissas below this, with a scale below 7, are written by [`short_amount`].
const SHORT: u128 = 10_000_000;

/// An amount in quotes, as `Decimal`'s `Display` writes it ([`decimal`]). Amounts of at most
/// seven digits and six decimals (nearly every amount of money) have their digits made eight
/// at a time ([`eight_digits`]) and the point put in with shifts: no division per digit. Other
/// amounts whose mantissa fits in 64 bits are written digit by digit into a stack buffer;
/// either way the text is appended with [`put`], with no `memcpy` call.
fn amount(out: &mut Vec<u8>, a: Amount) {
    let d = a.0;
    let scale = d.scale() as usize;
    let negative = usize::from(d.is_sign_negative());
    let mantissa = d.mantissa().unsigned_abs();
    if mantissa < SHORT && scale < 7 {
        if mantissa == 0 && negative == 0 {
            // Zero (a third of a generated EU result's amounts: no duty, no fee, nothing due
            // at sale or at import), written from a table rather than digit by digit.
            return put(out, &ZEROS[scale], scale + 2 + usize::from(scale > 0) + 1);
        }
        let (text, len) = short_amount(mantissa as u32, scale);
        let mut buf = [b'"'; 16];
        buf[1] = b'-';
        buf[1 + negative..9 + negative].copy_from_slice(&text.to_le_bytes());
        buf[1 + negative + len] = b'"';
        return put(out, &buf, 2 + negative + len);
    }
    let Ok(mut n) = u64::try_from(mantissa) else {
        return long_amount(out, d);
    };
    // Every digit of the mantissa, and at least `scale + 1` (a 0 before the point).
    let digits = (n.checked_ilog10().unwrap_or(0) as usize + 1).max(scale + 1);
    let len = 2 + negative + digits + usize::from(scale > 0);
    let mut buf = [b'"'; 32];
    if len > buf.len() {
        return long_amount(out, d);
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
    put(out, &buf, len);
}

/// Zero with each scale below 7 as `Decimal` writes it, in quotes (`"0"`, `"0.0"`, …
/// `"0.000000"`), padded for [`put`].
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
    let n = u64::from(n);
    let halves = (n / 10_000) | ((n % 10_000) << 32);
    let hundreds = ((halves * 10_486) >> 20) & 0x0000_007F_0000_007F;
    let pairs = hundreds | (halves - hundreds * 100) << 16;
    let tens = ((pairs * 103) >> 10) & 0x000F_000F_000F_000F;
    let digits = tens | (pairs - tens * 10) << 8;
    digits | 0x3030_3030_3030_3030
}

/// Appends `d` as its `Display` writes it (no precision), for messages: amounts of at most
/// seven digits and six decimals through [`short_amount`], the others through `core::fmt`.
pub(crate) fn push_decimal(out: &mut String, d: Decimal) {
    let (mantissa, scale) = (d.mantissa().unsigned_abs(), d.scale() as usize);
    if mantissa >= SHORT || scale >= 7 {
        use std::fmt::Write;
        // Writing to a String cannot fail.
        let _ = write!(out, "{d}");
        return;
    }
    if d.is_sign_negative() {
        out.push('-');
    }
    let (text, len) = short_amount(mantissa as u32, scale);
    // The text is ASCII digits and a point.
    out.push_str(std::str::from_utf8(&text.to_le_bytes()[..len]).unwrap_or_default());
}

/// An amount [`amount`] has no room for.
fn long_amount(out: &mut Vec<u8>, d: Decimal) {
    out.push(b'"');
    decimal(out, d);
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

/// The elements of a list, separated by commas, without the brackets: the caller writes those
/// with the keys around them (`,"fees":[` … `],"fee_total":`), one append instead of two.
fn list<T>(out: &mut Vec<u8>, items: &[T], write: fn(&mut Vec<u8>, &T)) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write(out, item);
    }
}

/// The flow without its closing brace, which the caller writes with the next key.
fn flow(out: &mut Vec<u8>, f: &Flow) {
    out.extend_from_slice(b"{\"destination\":");
    string(out, &f.destination);
    out.extend_from_slice(b",\"channel\":");
    name(out, f.channel);
    out.extend_from_slice(b",\"transaction\":");
    name(out, f.transaction);
    out.extend_from_slice(b",\"origin\":");
    opt_string(out, f.origin.as_deref());
    out.extend_from_slice(b",\"hs_chapter\":");
    opt_string(out, f.hs_chapter.as_deref());
}

/// The category, and the start of the de minimis outcomes after it.
fn category(out: &mut Vec<u8>, c: &CategoryOutcome) {
    out.extend_from_slice(b"{\"code\":");
    uint(out, u64::from(c.code));
    out.extend_from_slice(b",\"name\":");
    name(out, c.name);
    // With the start of the next field, which the caller continues.
    out.extend_from_slice(if c.sample {
        b",\"sample\":true},\"de_minimis\":{\"duty\":"
    } else {
        b",\"sample\":false},\"de_minimis\":{\"duty\":"
    });
}

/// A de minimis outcome without its closing brace, which the caller writes with the next key.
fn de_minimis(out: &mut Vec<u8>, d: &DeMinimisOutcome) {
    if !d.applies
        && d.threshold.is_none()
        && d.basis.is_none()
        && d.unit.is_none()
        && d.basis_value.is_none()
    {
        // No threshold for this charge (the tax's, for most regimes): one constant.
        return out.extend_from_slice(
            b"{\"applies\":false,\"threshold\":null,\"basis\":null,\"unit\":null,\"basis_value\":null",
        );
    }
    out.extend_from_slice(if d.applies {
        b"{\"applies\":true,\"threshold\":"
    } else {
        b"{\"applies\":false,\"threshold\":"
    });
    opt_amount(out, d.threshold);
    out.extend_from_slice(b",\"basis\":");
    opt_name(out, d.basis);
    out.extend_from_slice(b",\"unit\":");
    opt_name(out, d.unit);
    out.extend_from_slice(b",\"basis_value\":");
    opt_amount(out, d.basis_value);
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
    name(out, d.basis);
    if let Some(tariff) = &d.tariff {
        out.extend_from_slice(b",\"tariff\":");
        tariff_citation(out, tariff);
    }
    out.push(b'}');
}

/// `{"revision":…,"line":…,"confidence":…}`, the fields of `TariffCitation` in order.
fn tariff_citation(out: &mut Vec<u8>, t: &TariffCitation) {
    out.extend_from_slice(b"{\"revision\":");
    string(out, &t.revision);
    out.extend_from_slice(b",\"line\":");
    string(out, &t.line);
    out.extend_from_slice(b",\"confidence\":");
    name(out, t.confidence);
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
    name(out, t.charged);
    out.extend_from_slice(b",\"items\":[");
    list(out, &t.items, |out, &i| uint(out, i as u64));
    if let Some(basis) = t.basis {
        out.extend_from_slice(b"],\"basis\":");
        name(out, basis);
        out.push(b'}');
    } else {
        out.extend_from_slice(b"]}");
    }
}

fn fee_line(out: &mut Vec<u8>, f: &FeeLine) {
    out.extend_from_slice(b"{\"id\":");
    string(out, &f.id);
    out.extend_from_slice(b",\"kind\":");
    string(out, &f.kind);
    out.extend_from_slice(b",\"payer\":");
    name(out, f.payer);
    if let Some(collector) = &f.collector {
        out.extend_from_slice(b",\"collector\":");
        name(out, *collector);
    }
    out.extend_from_slice(b",\"amount\":");
    amount(out, f.amount);
    out.push(b'}');
}

fn collection(out: &mut Vec<u8>, c: &CollectionOutcome) {
    out.extend_from_slice(b"{\"model\":");
    name(out, c.model);
    out.extend_from_slice(b",\"scheme\":");
    opt_string(out, c.scheme.as_deref());
    out.extend_from_slice(b",\"collector\":");
    name(out, c.collector);
    out.extend_from_slice(b",\"when\":");
    name(out, c.when);
    out.extend_from_slice(b",\"import_charges_payer\":");
    name(out, c.import_charges_payer);
    out.extend_from_slice(if c.duty_at_sale {
        b",\"duty_at_sale\":true}"
    } else {
        b"}"
    });
}

/// The release without the closing `]}` of its reasons, which the caller writes with the next key.
fn release(out: &mut Vec<u8>, r: &Release) {
    out.extend_from_slice(b"{\"decision\":");
    name(out, r.decision);
    out.extend_from_slice(b",\"score\":");
    int(out, i64::from(r.score));
    out.extend_from_slice(b",\"profile\":");
    opt_string(out, r.profile.as_deref());
    out.extend_from_slice(b",\"agencies\":[");
    list(out, &r.agencies, |out, a| string(out, a));
    out.extend_from_slice(b"],\"reasons\":[");
    list(out, &r.reasons, reason);
}

fn reason(out: &mut Vec<u8>, r: &ReleaseReason) {
    out.extend_from_slice(b"{\"code\":");
    string(out, &r.code);
    out.extend_from_slice(b",\"weight\":");
    int(out, i64::from(r.weight));
    if let Some(action) = r.action {
        out.extend_from_slice(b",\"action\":");
        name(out, action);
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
    name(out, f.severity);
    out.extend_from_slice(b",\"path\":");
    opt_string(out, f.path.as_deref());
    out.extend_from_slice(b",\"message\":");
    string(out, &f.message);
    out.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `d` as [`decimal`] writes it, after checking that [`amount`] writes the same in quotes
    /// and [`push_decimal`] the same.
    fn shown(d: Decimal) -> String {
        let mut out = Vec::new();
        decimal(&mut out, d);
        let text = String::from_utf8(out).unwrap();
        let mut quoted = b"[".to_vec();
        amount(&mut quoted, Amount(d));
        assert_eq!(quoted, format!("[\"{text}\"").into_bytes());
        let mut pushed = String::from("[");
        push_decimal(&mut pushed, d);
        assert_eq!(pushed, format!("[{text}"));
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

    /// [`string`] writes `bytes` (made UTF-8 if they are not) as serde_json does.
    fn same_as_serde(bytes: &[u8]) {
        let text = String::from_utf8_lossy(bytes);
        let mut out = b"[".to_vec();
        string(&mut out, &text);
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
                    assert!(needs_escape(&bytes), "{len} {at} {special}");
                    same_as_serde(&bytes);
                }
                // The bytes next to the special ones need no escape.
                for plain in [b' ', b'!', b'#', b'[', b']', 0x7f, 0xff] {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = plain;
                    assert!(!needs_escape(&bytes), "{len} {at} {plain}");
                    same_as_serde(&bytes);
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
            let mut out = Vec::new();
            string(&mut out, &s);
            proptest::prop_assert_eq!(out, serde_json::to_vec(&s).unwrap());
        }

        /// The escaper alone, on text dense with special bytes and on any text at all.
        #[test]
        fn escaped_strings_read_as_serde_writes_them(
            dense in "[\"\\\\\\x00-\\x1f a-z\u{7f}é]{0,80}", any in "\\PC{0,40}"
        ) {
            for s in [&dense, &any] {
                let mut out = Vec::new();
                escaped(&mut out, s);
                proptest::prop_assert_eq!(out, serde_json::to_vec(s).unwrap());
            }
        }

        #[test]
        fn unsigned_integers_read_as_serde_writes_them(n: u64, small in 0u64..1000) {
            for n in [n, small] {
                let mut out = b"[".to_vec();
                uint(&mut out, n);
                proptest::prop_assert_eq!(&out[1..], serde_json::to_vec(&n).unwrap());
            }
        }

        #[test]
        fn integers_read_as_serde_writes_them(n: i64) {
            let mut out = Vec::new();
            int(&mut out, n);
            proptest::prop_assert_eq!(out, serde_json::to_vec(&n).unwrap());
        }
    }
}
