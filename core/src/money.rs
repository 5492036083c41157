//! Money: strict decimal amounts, ISO 4217 minor units and the regimes' rounding rules.
//!
//! Amounts cross every boundary as JSON strings holding plain decimals (`"12.50"`). JSON
//! numbers are refused because a number has already passed through binary floating point in
//! most JSON producers; scientific notation is refused because no customs document uses it.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::limits;

/// A non-floating-point decimal amount as it appears in input and output JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount(pub Decimal);

impl Amount {
    /// Zero.
    pub const ZERO: Amount = Amount(Decimal::ZERO);

    /// The decimal value.
    pub fn value(self) -> Decimal {
        self.0
    }
}

/// Why a decimal string was refused, with the stable error code it maps to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecimalError {
    /// `E_INVALID_AMOUNT`, `E_AMOUNT_TOO_LARGE` or `E_AMOUNT_TOO_PRECISE`.
    pub code: crate::ErrorCode,
    /// What was wrong.
    pub message: String,
}

/// Parses a plain decimal string: optional `-`, 1+ digits, optional `.` and 1+ digits.
/// No `+`, no exponent, no spaces, no thousands separators.
pub fn parse_decimal(
    text: &str,
    max_integer_digits: usize,
    max_scale: usize,
) -> Result<Decimal, DecimalError> {
    // The quoted value is only formatted when a message needs it: a valid amount (the
    // common case) makes no allocation.
    let shown = || format!("{:?}", text.chars().take(40).collect::<String>());
    parse_decimal_shown(text, shown, max_integer_digits, max_scale)
}

/// [`parse_decimal`], its messages quoting the value as `shown` (a JSON number is quoted as
/// written, without the quotes of a string).
fn parse_decimal_shown(
    text: &str,
    shown: impl Fn() -> String,
    max_integer_digits: usize,
    max_scale: usize,
) -> Result<Decimal, DecimalError> {
    use crate::ErrorCode;
    let invalid = || DecimalError {
        code: ErrorCode::InvalidAmount,
        message: format!(
            "{} is not a plain decimal string such as \"12.50\"",
            shown()
        ),
    };
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (int_part, frac_part) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    if int_part.is_empty() || !int_part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    if let Some(f) = frac_part {
        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
    }
    let significant = int_part.trim_start_matches('0');
    if significant.len() > max_integer_digits {
        return Err(DecimalError {
            code: ErrorCode::AmountTooLarge,
            message: format!(
                "{} has more than {max_integer_digits} digits before the decimal point",
                shown()
            ),
        });
    }
    let scale = frac_part.map_or(0, str::len);
    if scale > max_scale {
        return Err(DecimalError {
            code: ErrorCode::AmountTooPrecise,
            message: format!("{} has more than {max_scale} decimal places", shown()),
        });
    }
    Decimal::from_str_exact(text).map_err(|_| invalid())
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl std::str::FromStr for Amount {
    type Err = DecimalError;

    /// Reads an amount as the JSON carries it (`"12.50"`), within the declaration's limits
    /// (docs/limits.md): no `rust_decimal` call needed to build one.
    fn from_str(text: &str) -> Result<Amount, DecimalError> {
        parse_decimal(text, limits::AMOUNT_INTEGER_DIGITS, limits::AMOUNT_SCALE).map(Amount)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Amount, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Amount;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal string such as \"12.50\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Amount, E> {
                parse_decimal(v, limits::AMOUNT_INTEGER_DIGITS, limits::AMOUNT_SCALE)
                    .map(Amount)
                    .map_err(|e| E::custom(format!("[{}] {}", e.code, e.message)))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Amount, E> {
                Err(number_refused(&v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Amount, E> {
                Err(number_refused(&v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Amount, E> {
                Err(number_refused(&v.to_string()))
            }
        }
        d.deserialize_any(Visitor)
    }
}

fn number_refused<E: serde::de::Error>(shown: &str) -> E {
    E::custom(format!(
        "[E_INVALID_AMOUNT] amounts must be JSON strings (write \"{shown}\", not {shown}) so that no binary floating point touches money"
    ))
}

/// A quantity or mass: a decimal string, or a JSON number read from its text as written.
/// Numbers are tolerated here, unlike for money, because quantities are not summed into amounts
/// due and every JSON producer writes `1` or `0.5` for them. A number never passes through
/// binary floating point: `1.9999999999999999` is refused as too precise (a float would have
/// made it 2), and messages quote it as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Quantity(pub Decimal);

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0.normalize())
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Quantity, D::Error> {
        use serde::de::Error as _;
        // The value's JSON text, as written (serde_json's raw_value): a visitor would only see
        // the number after its conversion to f64.
        let raw = Box::<serde_json::value::RawValue>::deserialize(d)?;
        let text = raw.get();
        let parsed = match text.as_bytes().first() {
            // A string without escapes is its own content: no second parse, no copy.
            Some(b'"') if !text.contains('\\') && text.len() >= 2 => parse_decimal(
                &text[1..text.len() - 1],
                limits::QUANTITY_INTEGER_DIGITS,
                limits::QUANTITY_SCALE,
            ),
            Some(b'"') => {
                let string: String = serde_json::from_str(text).map_err(D::Error::custom)?;
                parse_decimal(
                    &string,
                    limits::QUANTITY_INTEGER_DIGITS,
                    limits::QUANTITY_SCALE,
                )
            }
            Some(b'-' | b'0'..=b'9') => quantity_from_number(text),
            _ => {
                let value: serde_json::Value =
                    serde_json::from_str(text).map_err(D::Error::custom)?;
                return Err(D::Error::invalid_type(
                    unexpected(&value),
                    &"a number or a decimal string",
                ));
            }
        };
        parsed
            .map(Quantity)
            .map_err(|e| D::Error::custom(format!("[{}] {}", e.code, e.message)))
    }
}

/// A quantity written as a JSON number, from its text. Exponent notation (`1.0E7`, as Java
/// writes ten million) is taken at its exact value and held to the same limits.
fn quantity_from_number(text: &str) -> Result<Decimal, DecimalError> {
    let (digits, scale) = (limits::QUANTITY_INTEGER_DIGITS, limits::QUANTITY_SCALE);
    if !text.contains(['e', 'E']) {
        return parse_decimal_shown(text, || text.to_string(), digits, scale);
    }
    let too_far = || DecimalError {
        code: crate::ErrorCode::AmountTooLarge,
        message: format!("{text} is outside the quantities a declaration can hold"),
    };
    let exponent = text
        .split(['e', 'E'])
        .nth(1)
        .and_then(|e| e.parse::<i64>().ok())
        .ok_or_else(too_far)?;
    // Beyond these exponents no value fits the limits (or is zero, which needs no exponent);
    // rust_decimal's own scale bound (28) is close, and its errors are not ours.
    if !(-28..=28).contains(&exponent) {
        return Err(too_far());
    }
    let value = Decimal::from_scientific(text).map_err(|_| too_far())?;
    parse_decimal_shown(
        &value.normalize().to_string(),
        || text.to_string(),
        digits,
        scale,
    )
}

/// What serde calls a JSON value that is neither a number nor a string, for its type error.
fn unexpected(value: &serde_json::Value) -> serde::de::Unexpected<'_> {
    use serde::de::Unexpected;
    match value {
        serde_json::Value::Null => Unexpected::Unit,
        serde_json::Value::Bool(b) => Unexpected::Bool(*b),
        serde_json::Value::Array(_) => Unexpected::Seq,
        serde_json::Value::Object(_) => Unexpected::Map,
        serde_json::Value::Number(_) | serde_json::Value::String(_) => Unexpected::Other("value"),
    }
}

/// How a value is rounded to its increment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundingMode {
    /// Half away from zero (commercial rounding).
    HalfUp,
    /// Half to even (banker's rounding).
    HalfEven,
    /// Towards zero (truncation).
    Down,
    /// Away from zero.
    Up,
}

impl RoundingMode {
    fn strategy(self) -> RoundingStrategy {
        match self {
            RoundingMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
            RoundingMode::Down => RoundingStrategy::ToZero,
            RoundingMode::Up => RoundingStrategy::AwayFromZero,
        }
    }
}

/// A rounding rule: a mode and an increment (`0.01`, `0.05`, `1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rounding {
    /// The tie-breaking and direction rule.
    pub mode: RoundingMode,
    /// The step amounts are rounded to; positive.
    pub increment: Decimal,
    /// Decimal places the result is printed with (the increment's scale).
    pub scale: u32,
}

impl Rounding {
    /// Builds a rule; the increment must be positive.
    pub fn new(mode: RoundingMode, increment: Decimal) -> Option<Rounding> {
        if increment <= Decimal::ZERO {
            return None;
        }
        Some(Rounding {
            mode,
            increment,
            scale: increment.normalize().scale(),
        })
    }

    /// Rounds `value` to the increment. Returns `None` on overflow.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(target_arch = "wasm32", inline)]
    pub fn apply(&self, value: Decimal) -> Option<Decimal> {
        // A power of ten (0.01, 1): round to its scale directly, the fast common case. An
        // increment written `0.01` has mantissa 1 already; only `0.010` needs normalizing.
        // Inlined where it is called (a few times a record), the rest out of line: the whole
        // function's prologue and epilogue cost about as much as the rounding.
        let step = crate::exact::parts(self.increment);
        if step.magnitude == 1 && !step.negative {
            return Some(crate::exact::round_dp(
                value,
                self.scale,
                self.mode.strategy(),
            ));
        }
        self.apply_general(value)
    }

    /// [`Rounding::apply`] for an increment whose mantissa is not 1 (`0.05`, `0.010`).
    #[inline(never)]
    fn apply_general(&self, value: Decimal) -> Option<Decimal> {
        let strategy = self.mode.strategy();
        if self.increment.normalize().mantissa() == 1 {
            return Some(crate::exact::round_dp(value, self.scale, strategy));
        }
        let steps = value.checked_div(self.increment)?;
        let rounded = steps.round_dp_with_strategy(0, strategy);
        let mut out = rounded.checked_mul(self.increment)?;
        out.rescale(self.scale);
        Some(out)
    }
}

/// A three-byte currency code as one integer, its bytes in order, so that integers compare as
/// the codes do.
const fn pack_code(code: &[u8]) -> u32 {
    ((code[0] as u32) << 16) | ((code[1] as u32) << 8) | code[2] as u32
}

/// [`pack_code`] of every code of a list.
const fn pack_codes<const N: usize>(codes: [&str; N]) -> [u32; N] {
    let mut out = [0; N];
    let mut i = 0;
    while i < N {
        out[i] = pack_code(codes[i].as_bytes());
        i += 1;
    }
    out
}

/// The currencies of two minor units, sorted (a test checks it).
const TWO: [u32; 132] = pack_codes([
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF",
    "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR",
    "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF",
    "IDR", "ILS", "INR", "IRR", "JMD", "KES", "KGS", "KHR", "KPW", "KYD", "KZT", "LAK", "LBP",
    "LKR", "LRD", "LSL", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
    "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "PAB", "PEN", "PGK",
    "PHP", "PKR", "PLN", "QAR", "RON", "RSD", "RUB", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD",
    "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TOP",
    "TRY", "TTD", "TWD", "TZS", "UAH", "USD", "UYU", "UZS", "VES", "WST", "XCD", "YER", "ZAR",
    "ZMW", "ZWG",
]);
const ZERO: [u32; 17] = pack_codes([
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND",
    "VUV", "XAF", "XOF", "XPF",
]);
const THREE: [u32; 7] = pack_codes(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]);
const FOUR: [u32; 2] = pack_codes(["CLF", "UYW"]);

/// ISO 4217 minor units of a currency, or `None` for a code that is not an active ISO 4217
/// currency.
pub fn minor_units(code: &str) -> Option<u32> {
    // Codes compare as integers: every declaration's currency is looked up, and comparing
    // strings cost a call to memcmp per probe.
    let code = match code.as_bytes() {
        bytes @ [_, _, _] => pack_code(bytes),
        _ => return None,
    };
    if TWO.binary_search(&code).is_ok() {
        Some(2)
    } else if ZERO.contains(&code) {
        Some(0)
    } else if THREE.contains(&code) {
        Some(3)
    } else if FOUR.contains(&code) {
        Some(4)
    } else {
        None
    }
}

/// Formats an amount with exactly `scale` decimal places (`12` → `"12.00"`).
#[cfg_attr(not(target_arch = "wasm32"), inline)]
#[cfg_attr(target_arch = "wasm32", inline(never))] // one copy in the WASM module (size, issue 17)
pub fn with_scale(value: Decimal, scale: u32) -> Decimal {
    // Every amount of a result passes here, nearly always already at the currency's scale, a
    // few places short of it or zero: a magnitude times a power of ten, or the zero at the
    // new scale (its sign kept), as `rescale` gives it (the property test below compares them
    // bit for bit). In sign and magnitude ([`crate::exact::parts`]). Rounding, overflow and
    // the rest go to [`rescaled`].
    let p = crate::exact::parts(value);
    if p.scale == scale {
        return value;
    }
    if scale <= 28 {
        if p.magnitude == 0 {
            return crate::exact::build(0, p.negative, scale);
        }
        if p.scale < scale && scale - p.scale <= 9 && p.magnitude < 1 << 63 {
            let widened = u128::from(p.magnitude as u64)
                * u128::from(crate::exact::POW10[(scale - p.scale) as usize]);
            if widened < 1 << 96 {
                return crate::exact::build(widened, p.negative, scale);
            }
        }
    }
    rescaled(value, scale)
}

/// [`with_scale`] past its fast cases: `rescale`, but in one 64-bit division when the value
/// has fewer than 20 places more than `scale` and a mantissa below 2⁶⁴ (an unrounded duty or
/// tax amount). `rescale` then drops the digits and rounds half away from zero on the first one
/// dropped, which is the remainder against half the divisor, and keeps the sign, a zero's too;
/// `rescale` divided the 96-bit mantissa in steps (about 120 instructions).
#[inline(never)]
fn rescaled(value: Decimal, scale: u32) -> Decimal {
    let p = crate::exact::parts(value);
    if p.scale > scale && p.scale - scale <= 19 && p.magnitude < 1 << 64 {
        let divisor = crate::exact::POW10[(p.scale - scale) as usize];
        let m = p.magnitude as u64;
        let (q, r) = (m / divisor, m % divisor);
        let q = q + u64::from(r >= divisor / 2);
        return crate::exact::build(u128::from(q), p.negative, scale);
    }
    let mut v = value;
    v.rescale(scale);
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn strict_decimal_grammar() {
        for ok in ["0", "12", "12.5", "12.50", "-3.25", "007.10"] {
            assert!(parse_decimal(ok, 12, 4).is_ok(), "{ok}");
        }
        for bad in [
            "", ".5", "5.", "+5", "1e3", "1_000", "1,000.00", " 5", "5 ", "--5", "0x10", "NaN", "½",
        ] {
            let err = parse_decimal(bad, 12, 4).unwrap_err();
            assert_eq!(err.code, crate::ErrorCode::InvalidAmount, "{bad}");
        }
        assert_eq!(
            parse_decimal("1234567890123", 12, 4).unwrap_err().code,
            crate::ErrorCode::AmountTooLarge
        );
        assert_eq!(
            parse_decimal("1.23456", 12, 4).unwrap_err().code,
            crate::ErrorCode::AmountTooPrecise
        );
    }

    #[test]
    fn amounts_refuse_json_numbers() {
        let err = serde_json::from_str::<Amount>("12.5")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("[E_INVALID_AMOUNT]"), "{err}");
        let ok: Amount = serde_json::from_str("\"12.5\"").unwrap();
        assert_eq!(ok.0, d("12.5"));
    }

    #[test]
    fn quantities_accept_numbers_exactly() {
        let q: Quantity = serde_json::from_str("0.1").unwrap();
        assert_eq!(q.0, d("0.1"));
        let q: Quantity = serde_json::from_str("3").unwrap();
        assert_eq!(q.0, d("3"));
        assert!(serde_json::from_str::<Quantity>("1e300").is_err());
    }

    /// Issue 21 item 7: `1.9999999999999999` as a JSON number was assessed as 2 (it went
    /// through f64) while the string form was refused; messages quoted the rounded value.
    #[test]
    fn quantities_written_as_numbers_are_read_as_written() {
        let refused = |text: &str| {
            let err = serde_json::from_str::<Quantity>(text)
                .unwrap_err()
                .to_string();
            assert!(err.contains(&format!("] {text} ")), "{text}: {err}");
            err
        };
        assert!(refused("1.9999999999999999").contains("E_AMOUNT_TOO_PRECISE"));
        assert!(refused("999999999.9999999").contains("E_AMOUNT_TOO_PRECISE"));
        assert!(refused("1000000000").contains("E_AMOUNT_TOO_LARGE"));
        assert!(refused("1e-7").contains("E_AMOUNT_TOO_PRECISE"));
        for far in [
            "1e30",
            "1E-40",
            "0e99999999999999999999",
            "-1e9223372036854775808",
        ] {
            assert!(refused(far).contains("E_AMOUNT_TOO_LARGE"));
        }
        let read = |text: &str| serde_json::from_str::<Quantity>(text).unwrap().0;
        assert_eq!(read("999999999.999999"), d("999999999.999999"));
        assert_eq!(read("1.0E7"), d("10000000"));
        assert_eq!(read("25e-1"), d("2.5"));
        assert_eq!(read("\"1.5\""), d("1.5"));
        // Through a serde_json::Value too (the number is then already a float).
        let value: serde_json::Value = serde_json::from_str("0.5").unwrap();
        assert_eq!(
            serde_json::from_value::<Quantity>(value).unwrap().0,
            d("0.5")
        );
        let err = serde_json::from_str::<Quantity>("true")
            .unwrap_err()
            .to_string();
        assert!(err.contains("invalid type: boolean `true`"), "{err}");
    }

    /// Boundary vectors on both signs for every mode (Catala's rounding tests do the same).
    #[test]
    fn rounding_boundaries() {
        let cent = |m| Rounding::new(m, d("0.01")).unwrap();
        let cases = [
            (RoundingMode::HalfUp, "2.345", "2.35"),
            (RoundingMode::HalfUp, "-2.345", "-2.35"),
            (RoundingMode::HalfUp, "2.344", "2.34"),
            (RoundingMode::HalfEven, "2.345", "2.34"),
            (RoundingMode::HalfEven, "2.355", "2.36"),
            (RoundingMode::HalfEven, "-2.345", "-2.34"),
            (RoundingMode::Down, "2.349", "2.34"),
            (RoundingMode::Down, "-2.349", "-2.34"),
            (RoundingMode::Up, "2.341", "2.35"),
            (RoundingMode::Up, "-2.341", "-2.35"),
        ];
        for (mode, input, want) in cases {
            let got = cent(mode).apply(d(input)).unwrap();
            assert_eq!(got.to_string(), want, "{mode:?} {input}");
        }
        let nickel = Rounding::new(RoundingMode::HalfUp, d("0.05")).unwrap();
        assert_eq!(nickel.apply(d("1.024")).unwrap().to_string(), "1.00");
        assert_eq!(nickel.apply(d("1.025")).unwrap().to_string(), "1.05");
        assert_eq!(nickel.apply(d("1.074")).unwrap().to_string(), "1.05");
        let franc = Rounding::new(RoundingMode::HalfUp, d("1")).unwrap();
        assert_eq!(franc.apply(d("61.5")).unwrap().to_string(), "62");
        assert!(Rounding::new(RoundingMode::HalfUp, d("0")).is_none());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 8192, ..Default::default() })]

        /// `with_scale` is `rust_decimal`'s `rescale` bit for bit (sign of zero, overflow and
        /// rounding included).
        #[test]
        fn with_scale_is_rescale(
            m in proptest::prop_oneof![
                -99_999_999_999_999_999i128..=99_999_999_999_999_999,
                0i128..=0,
                -(1i128 << 96) + 1..(1i128 << 96),
                // `rescaled`'s 64-bit division: mantissas up to 2⁶⁴.
                -(1i128 << 64) + 1..(1i128 << 64),
            ],
            from in 0u32..=28,
            to in 0u32..=30,
            negative_zero in proptest::prelude::any::<bool>(),
        ) {
            let mut value = Decimal::from_i128_with_scale(m, from);
            if m == 0 && negative_zero {
                value.set_sign_negative(true);
            }
            let mut want = value;
            want.rescale(to);
            proptest::prop_assert_eq!(with_scale(value, to).serialize(), want.serialize());
        }
    }

    #[test]
    fn two_minor_unit_codes_are_sorted() {
        assert!(TWO.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn minor_units_of_common_currencies() {
        for code in ["AED", "USD", "ZWG", "MXN"] {
            assert_eq!(minor_units(code), Some(2), "{code}");
        }
        assert_eq!(minor_units("EUR"), Some(2));
        assert_eq!(minor_units("JPY"), Some(0));
        assert_eq!(minor_units("KWD"), Some(3));
        assert_eq!(minor_units("XXX"), None);
        assert_eq!(minor_units("eur"), None);
    }
}
