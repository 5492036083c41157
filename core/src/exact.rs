//! Exact decimal arithmetic: a sum or product that `rust_decimal` cannot hold exactly is `None`,
//! never a rounded figure.
//!
//! `rust_decimal` keeps 96 bits of mantissa (about 28 digits). When a result needs more, its
//! `checked_*` operations do not fail: they drop decimal places, rounding, until it fits. 999
//! items of about 10¹² at an exchange rate of 999999999999.9999 gave an intrinsic value
//! ending …349.7 instead of …349.00 with no error (issue 21 item 5). Every sum and product of
//! the assessment goes through here, so such a figure is `E_OVERFLOW` instead.
//!
//! The check costs nothing on the common path: a result that kept every decimal place its
//! operands imply is exact. Only when `rust_decimal` dropped places is the exact result rebuilt
//! from the mantissas in 256-bit integers and compared.
//!
//! A quotient that does not terminate (`22/78`, a price per dozen) cannot be exact in any
//! number of places; [`quotient`] keeps [`QUOTIENT_SCALE`] of them, so that what is computed
//! from it is again exact or refused.

use rust_decimal::{Decimal, RoundingStrategy};

/// Decimal places kept of a quotient that does not terminate: far below any currency's minor
/// unit and any rounding increment, and small enough that the quotient of amounts within the
/// limits (below 10¹⁵ after 999 lines) still fits with all of them.
pub const QUOTIENT_SCALE: u32 = 12;

/// The largest mantissa a `Decimal` holds, plus one: 2⁹⁶.
const MANTISSA_LIMIT: u128 = 1 << 96;

/// `a + b`, or `None` when it cannot be held exactly.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
#[cfg_attr(target_arch = "wasm32", inline(never))] // one copy in the WASM module (size, issue 17)
pub fn add(a: Decimal, b: Decimal) -> Option<Decimal> {
    match add_fast(a, b) {
        Some(sum) => Some(sum),
        None => add_general(a, b),
    }
}

/// A decimal's magnitude, sign and scale, read from its fields: the fast paths work in sign
/// and magnitude, as `rust_decimal` stores a decimal, rather than through `mantissa()`, whose
/// signed 128-bit form costs a conditional negation each way (some 800 instructions a
/// generated EU record went to `mantissa()` alone).
#[derive(Clone, Copy)]
pub(crate) struct Parts {
    pub magnitude: u128,
    pub negative: bool,
    pub scale: u32,
}

/// `d`'s [`Parts`].
#[inline(always)]
pub(crate) fn parts(d: Decimal) -> Parts {
    let u = d.unpack();
    Parts {
        magnitude: u128::from(u.lo) | u128::from(u.mid) << 32 | u128::from(u.hi) << 64,
        negative: u.negative,
        scale: u.scale,
    }
}

/// The decimal of a magnitude below 2⁹⁶, a sign and a scale of at most 28. The sign is set
/// as given: every caller's magnitude is non-zero, or its sign is the one the zero is to have
/// (`from_parts` would test the magnitude for zero to drop the sign, some 70 instructions a
/// record over the assessment's sums, products and roundings).
#[inline(always)]
pub(crate) fn build(magnitude: u128, negative: bool, scale: u32) -> Decimal {
    let mut d = Decimal::from_parts(
        magnitude as u32,
        (magnitude >> 32) as u32,
        (magnitude >> 64) as u32,
        false,
        scale,
    );
    d.set_sign_negative(negative);
    d
}

/// [`add`] in the common cases, inlined into it (the general path's prologue cost
/// more than the sum): equal scales and a sum that fits and is not zero, whose magnitudes add
/// (or subtract) exactly in 128 bits; and a zero added to anything, which `rust_decimal`
/// returns as it is (its scale and sign kept, on both of its paths, whatever the other's scale)
/// and which is exact. The result is the one `rust_decimal` gives (the property test below
/// compares them bit for bit, zeros of every scale and sign included); `None` leaves every
/// other case to [`add_general`].
#[inline(always)]
fn add_fast(a: Decimal, b: Decimal) -> Option<Decimal> {
    let (x, y) = (parts(a), parts(b));
    if x.magnitude == 0 {
        return Some(b);
    }
    if y.magnitude == 0 {
        return Some(a);
    }
    if x.scale != y.scale {
        return None;
    }
    let (magnitude, negative) = if x.negative == y.negative {
        (x.magnitude + y.magnitude, x.negative)
    } else if x.magnitude > y.magnitude {
        (x.magnitude - y.magnitude, x.negative)
    } else if y.magnitude > x.magnitude {
        (y.magnitude - x.magnitude, y.negative)
    } else {
        return None;
    };
    (magnitude < MANTISSA_LIMIT).then(|| build(magnitude, negative, x.scale))
}

/// [`add`] for any operands.
#[inline(never)]
fn add_general(a: Decimal, b: Decimal) -> Option<Decimal> {
    let sum = a.checked_add(b)?;
    if sum.scale() >= a.scale().max(b.scale()) || exact_sum(a, b, sum) {
        Some(sum)
    } else {
        None
    }
}

/// A running [`add`] of decimals: `Sum::of(a)` then `add(b)`, `add(c)` … gives, by
/// [`Sum::value`], the decimal that `add(add(a, b)?, c)?` … gives, bit for bit (the property
/// test below compares them), or `None` where one of those does. It holds the running sum as
/// [`Parts`], so that a sum of several terms (a line's tax base over its parts) neither packs
/// the decimal after each term nor unpacks it before the next. Worth it only where the sum stays
/// in the caller's frame: kept in a struct, each sum's 32 bytes and its packing at the end cost
/// about what they save for sums of one or two terms (the tax's rate groups, issue 16). Native
/// only: the WASM modules fold [`add`] (size, issue 17).
///
/// [`Sum::add`] writes `add_fast`'s integer cases out again on its parts rather than sharing a
/// helper with it: both shared forms tried (session 48, BENCHMARKS.md) took the pre-parsed
/// three-item call 2 % longer in wall time, one of them with fewer instructions.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Copy)]
pub(crate) struct Sum {
    parts: Parts,
}

#[cfg(not(target_arch = "wasm32"))]
impl Sum {
    /// A sum of `first` alone.
    #[inline(always)]
    pub fn of(first: Decimal) -> Sum {
        Sum {
            parts: parts(first),
        }
    }

    /// Adds `b`, as [`add`] would to the sum so far: `None` (the sum unchanged) where that is.
    #[inline(always)]
    pub fn add(&mut self, b: Decimal) -> Option<()> {
        // `add_fast`'s cases, on the sum's parts: a zero sum is the addend as it is, a zero
        // addend leaves the sum, and equal scales add or subtract the magnitudes.
        let (x, y) = (&mut self.parts, parts(b));
        if x.magnitude == 0 {
            *x = y;
            return Some(());
        }
        if y.magnitude == 0 {
            return Some(());
        }
        if x.scale == y.scale {
            if x.negative == y.negative {
                let magnitude = x.magnitude + y.magnitude;
                if magnitude < MANTISSA_LIMIT {
                    x.magnitude = magnitude;
                    return Some(());
                }
            } else if x.magnitude > y.magnitude {
                x.magnitude -= y.magnitude;
                return Some(());
            } else if y.magnitude > x.magnitude {
                *x = Parts {
                    magnitude: y.magnitude - x.magnitude,
                    ..y
                };
                return Some(());
            }
        }
        self.add_general(b)
    }

    /// [`Sum::add`] past the integer cases: [`add_general`] on the decimal.
    #[inline(never)]
    fn add_general(&mut self, b: Decimal) -> Option<()> {
        self.parts = parts(add_general(self.value(), b)?);
        Some(())
    }

    /// The sum.
    #[inline(always)]
    pub fn value(self) -> Decimal {
        build(self.parts.magnitude, self.parts.negative, self.parts.scale)
    }
}

/// `a + b` as `rust_decimal`'s operator gives it (digits past 28 rounded, a panic on overflow),
/// for the few sums the assessment takes by the operator: through [`add`]'s integer path where
/// it applies, whose result is the operator's bit for bit (the property tests below), else the
/// operator. The WASM modules keep the operator alone (size, issue 17).
#[inline(always)]
pub(crate) fn plus(a: Decimal, b: Decimal) -> Decimal {
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(sum) = add_fast(a, b) {
        return sum;
    }
    plus_general(a, b)
}

/// [`plus`] by the operator.
#[cfg_attr(not(target_arch = "wasm32"), inline(never))]
#[cfg_attr(target_arch = "wasm32", inline(always))]
fn plus_general(a: Decimal, b: Decimal) -> Decimal {
    a + b
}

/// `a - b` as `rust_decimal`'s operator gives it, as [`plus`]: [`difference`] (the WASM
/// modules keep the operator).
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
pub(crate) fn minus(a: Decimal, b: Decimal) -> Decimal {
    difference(a, b)
}

/// [`plus`]'s `a - b` in the WASM modules: the operator.
#[cfg(target_arch = "wasm32")]
#[inline(always)]
pub(crate) fn minus(a: Decimal, b: Decimal) -> Decimal {
    a - b
}

/// `a - b`, or `None` when it cannot be held exactly.
#[inline]
pub fn sub(a: Decimal, b: Decimal) -> Option<Decimal> {
    add(a, -b)
}

/// `a × b`, or `None` when it cannot be held exactly.
#[cfg_attr(not(target_arch = "wasm32"), inline)]
#[cfg_attr(target_arch = "wasm32", inline(never))] // one copy in the WASM module (size, issue 17)
pub fn mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    match product_fast(a, b, 0) {
        Some(product) => Some(product),
        None => mul_general(a, b),
    }
}

/// `rate` per cent of `base` (`base × rate`, the decimal point shifted two places) in the
/// common case: [`mul`]'s product, its scale two more, as `set_scale` makes it; `None` leaves
/// every other case to the caller's general path (compared bit for bit by the property test
/// below).
#[inline(always)]
pub fn percent_fast(base: Decimal, rate: Decimal) -> Option<Decimal> {
    product_fast(base, rate, 2)
}

/// `a × b` with its scale `shift` more, in the common case (an amount times a rate or a
/// count): magnitudes below 2⁶³ multiply exactly in 128 bits; a product that fits 96 bits at
/// the summed scale (plus `shift`, at most 28 in all) is the one `rust_decimal` gives (compared
/// bit for bit by the property test below). Zeros take the general path, for the sign
/// `rust_decimal` gives them; `None` there and for every other case.
#[inline(always)]
fn product_fast(a: Decimal, b: Decimal, shift: u32) -> Option<Decimal> {
    let (x, y) = (parts(a), parts(b));
    let scale = x.scale + y.scale + shift;
    if x.magnitude != 0
        && y.magnitude != 0
        && scale <= 28
        && x.magnitude < 1 << 63
        && y.magnitude < 1 << 63
    {
        let product = u128::from(x.magnitude as u64) * u128::from(y.magnitude as u64);
        if product < MANTISSA_LIMIT {
            return Some(build(product, x.negative != y.negative, scale));
        }
    }
    None
}

/// [`mul`] for any operands.
fn mul_general(a: Decimal, b: Decimal) -> Option<Decimal> {
    let product = a.checked_mul(b)?;
    if product.scale() == a.scale() + b.scale() || exact_product(a, b, product) {
        Some(product)
    } else {
        None
    }
}

/// `value` rounded to `dp` decimal places by `strategy`: `rust_decimal`'s
/// `round_dp_with_strategy`, bit for bit (the property test below compares them), computed in
/// 64-bit integers when the mantissa fits them, as an amount's always does.
#[cfg_attr(not(target_arch = "wasm32"), inline)]
#[cfg_attr(target_arch = "wasm32", inline(never))] // one copy in the WASM module (size, issue 17)
pub fn round_dp(value: Decimal, dp: u32, strategy: RoundingStrategy) -> Decimal {
    if value.scale() <= dp {
        // `rust_decimal` returns such a value as it is.
        return value;
    }
    round_fast(value, dp, strategy).unwrap_or_else(|| value.round_dp_with_strategy(dp, strategy))
}

/// [`round_dp`] when the result is not zero (whose sign `rust_decimal` decides); `None`
/// otherwise. In 64-bit integers when the mantissa fits them and at most 19 places are
/// dropped, inlined on native targets (an amount's rounding, a few times a line: the call,
/// its prologue and spills were some 20 of its 75 instructions, issue 16); else in 128 bits
/// (a quotient's 28 places), out of line ([`round_wide`]).
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
#[cfg_attr(target_arch = "wasm32", inline)]
fn round_fast(value: Decimal, dp: u32, strategy: RoundingStrategy) -> Option<Decimal> {
    let Parts {
        magnitude,
        negative,
        scale,
    } = parts(value);
    if scale <= dp {
        return None;
    }
    match u64::try_from(magnitude) {
        Ok(magnitude) if scale - dp <= 19 => {
            let divisor = POW10[(scale - dp) as usize];
            let (q, r) = (magnitude / divisor, magnitude % divisor);
            let up = round_up(strategy, q % 2 == 1, r.cmp(&(divisor / 2)), r != 0)?;
            // Below 2⁶⁴: a 64-bit magnitude divided by 10 or more, plus one.
            let q = u128::from(q) + u128::from(up);
            (q != 0).then(|| build(q, negative, dp))
        }
        _ => round_wide(magnitude, negative, scale, dp, strategy),
    }
}

/// [`round_fast`] in 128 bits (`scale` above `dp`).
#[inline(never)]
fn round_wide(
    magnitude: u128,
    negative: bool,
    scale: u32,
    dp: u32,
    strategy: RoundingStrategy,
) -> Option<Decimal> {
    let divisor = 10u128.pow(scale - dp);
    let (q, r) = (magnitude / divisor, magnitude % divisor);
    let up = round_up(strategy, q % 2 == 1, r.cmp(&(divisor / 2)), r != 0)?;
    // Below 2⁹⁶: a quotient of a 96-bit magnitude, plus one only when it was divided by 10
    // or more.
    let q = q + u128::from(up);
    (q != 0).then(|| build(q, negative, dp))
}

/// 10⁰ to 10¹⁹, the divisors of [`round_fast`]'s 64-bit path, [`share_fast`]'s and
/// `money::rescaled`'s, and the factors of [`cmp`] and [`crate::money::with_scale`] (a table
/// read, where `pow` was a loop).
pub(crate) const POW10: [u64; 20] = {
    let mut table = [1u64; 20];
    let mut i = 1;
    while i < 20 {
        table[i] = table[i - 1] * 10;
        i += 1;
    }
    table
};

/// Whether a magnitude whose truncated quotient is `odd` or not, with a remainder that
/// compares as `to_half` with half the divisor and is `inexact` or not, rounds away from zero;
/// `None` for a strategy the regimes never name.
#[inline]
fn round_up(
    strategy: RoundingStrategy,
    odd: bool,
    to_half: std::cmp::Ordering,
    inexact: bool,
) -> Option<bool> {
    use std::cmp::Ordering::{Equal, Greater};
    Some(match strategy {
        RoundingStrategy::MidpointAwayFromZero => to_half != std::cmp::Ordering::Less,
        RoundingStrategy::MidpointNearestEven => to_half == Greater || (to_half == Equal && odd),
        RoundingStrategy::ToZero => false,
        RoundingStrategy::AwayFromZero => inexact,
        _ => return None,
    })
}

/// `a.cmp(&b)`, the numeric order: in sign and magnitude when the scales are equal, or when
/// the magnitudes fit 63 bits and the scales are at most 19 apart (amounts and thresholds
/// always do), `rust_decimal`'s comparison (which rescales through 96-bit buffers when the
/// scales differ) otherwise. The property test below compares them.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
#[cfg_attr(target_arch = "wasm32", inline(never))] // one copy in the WASM module (size, issue 17)
pub fn cmp(a: Decimal, b: Decimal) -> std::cmp::Ordering {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let (x, y) = (parts(a), parts(b));
    if x.negative != y.negative {
        // Zeros of either sign are equal; otherwise the negative one is the smaller.
        return if x.magnitude | y.magnitude == 0 {
            Equal
        } else if x.negative {
            Less
        } else {
            Greater
        };
    }
    let order = if x.scale == y.scale {
        x.magnitude.cmp(&y.magnitude)
    } else if x.magnitude < 1 << 63 && y.magnitude < 1 << 63 && x.scale.abs_diff(y.scale) <= 19 {
        // 10¹⁹ < 2⁶⁴: the widened magnitude stays below 2¹²⁷.
        let widen = |m: u128, by: u32| u128::from(m as u64) * u128::from(POW10[by as usize]);
        if x.scale < y.scale {
            widen(x.magnitude, y.scale - x.scale).cmp(&y.magnitude)
        } else {
            x.magnitude.cmp(&widen(y.magnitude, x.scale - y.scale))
        }
    } else {
        return cmp_general(a, b);
    };
    if x.negative {
        order.reverse()
    } else {
        order
    }
}

/// [`cmp`] for any operands: `rust_decimal`'s.
#[inline(never)]
fn cmp_general(a: Decimal, b: Decimal) -> std::cmp::Ordering {
    a.cmp(&b)
}

/// A share of an apportionment: `total × cumulative ÷ sum` as `rust_decimal` computes it
/// (`checked_mul`, then `checked_div`, which keeps the quotient's 28 most significant digits)
/// and rounded half away from zero to `dp` places by [`round_dp`]; `None` when the product or
/// the quotient overflows. Bit for bit that result (the property test below compares them),
/// computed in 128-bit integers when the operands are amounts (non-negative, a product exact in
/// 96 bits, a quotient below 10¹¹ that divides exactly at its own scale or whose exact value is
/// more than 10⁻¹⁰ of a place at `dp` from a rounding midpoint and from a multiple of 10⁻ᵈᵖ);
/// every other case, where the 28-digit quotient could round differently or its scale is
/// `rust_decimal`'s to decide, takes `rust_decimal`'s path.
#[cfg_attr(not(target_arch = "wasm32"), inline)]
#[cfg_attr(target_arch = "wasm32", inline(never))] // one copy in the WASM module (size, issue 17)
pub fn share(total: Decimal, cumulative: Decimal, sum: Decimal, dp: u32) -> Option<Decimal> {
    share_fast(total, cumulative, sum, dp).or_else(|| {
        let q = total.checked_mul(cumulative)?.checked_div(sum)?;
        Some(round_dp(q, dp, RoundingStrategy::MidpointAwayFromZero))
    })
}

/// [`share`] in integers, or `None` to leave it to `rust_decimal`.
#[inline]
fn share_fast(total: Decimal, cumulative: Decimal, sum: Decimal, dp: u32) -> Option<Decimal> {
    let (t, c, s) = (parts(total), parts(cumulative), parts(sum));
    // Positive operands only: zeros and signs are `rust_decimal`'s to decide.
    if t.negative || c.negative || s.negative || dp > 4 {
        return None;
    }
    let (t, c, s_scale, s) = (t.magnitude, c.magnitude, s.scale, s.magnitude);
    if t == 0 || c == 0 || s == 0 || t >= 1 << 63 || c >= 1 << 63 {
        return None;
    }
    let product_scale = total.scale() + cumulative.scale();
    let product = u128::from(t as u64) * u128::from(c as u64);
    if product_scale > 28 || product >= MANTISSA_LIMIT {
        return None;
    }
    // The quotient's own scale, before `rust_decimal` extends it for a remainder.
    let e = product_scale as i32 - s_scale as i32;
    if e >= 0 {
        let (q, r) = div_rem(product, s);
        if r == 0 {
            // Exact at its own scale: `rust_decimal` keeps that scale, and rounding to `dp`
            // drops only zeros or nothing.
            let e = e as u32;
            if e <= dp {
                return Some(Decimal::from_i128_with_scale(i128::try_from(q).ok()?, e));
            }
            let divisor = pow10(e - dp)?;
            let (q, r) = div_rem(q, divisor);
            let up = u128::from(2 * r >= divisor);
            let q = i128::try_from(q + up).ok()?;
            return (q != 0).then(|| Decimal::from_i128_with_scale(q, dp));
        }
    }
    // The quotient at `dp` places: n / d.
    let shift = dp as i32 - e;
    let (n, d) = if shift >= 0 {
        (product.checked_mul(pow10(shift as u32)?)?, s)
    } else {
        (product, s.checked_mul(pow10((-shift) as u32)?)?)
    };
    let (q, r) = div_rem(n, d);
    if q >= pow10(11 + dp)? {
        return None;
    }
    if r == 0 {
        // Terminates at `dp` places or fewer: `rust_decimal` extends the quotient by up to
        // nine places at a time and strips only some of the zeros that added, so the scale it
        // ends with is its own to decide.
        return None;
    }
    // Below 10¹¹ the 28-digit quotient keeps at least 16 places, so it is within 10⁻¹⁶ of the
    // exact value: when that is more than 10⁻¹⁰ of a place at `dp` (≤ 4) from a multiple of
    // half a place, both round alike, to `dp` places.
    let near = r.min(d - r).min((2 * r).abs_diff(d));
    if near.checked_mul(10_000_000_000)? <= d {
        return None;
    }
    let q = i128::try_from(q + u128::from(2 * r > d)).ok()?;
    (q != 0).then(|| Decimal::from_i128_with_scale(q, dp))
}

/// An apportionment's shares in 64-bit integers, for the usual figures: a total and weights
/// that are amounts (none negative, the weights not zero and all at one scale, their sum below
/// 2⁶³), `dp` at most 4, and `total × sum` (times the places `dp` adds to the total's) below
/// 2⁶⁴, so that every product and quotient [`share_fast`] forms for a cumulative weight is a
/// 64-bit one. The cumulative weights and the sum are then the decimals of their magnitudes at
/// the weights' scale (as [`add`] sums them, from the first term), and a share is
/// [`share_fast`]'s computation with its tests and divisors worked out once, or [`share`]
/// itself on those decimals where `share_fast` would leave it to `rust_decimal`: bit for bit
/// [`share`] (the apportionment's property test compares the two paths).
#[cfg(not(target_arch = "wasm32"))] // native only (WASM module size, issue 17)
#[derive(Clone, Copy)]
pub(crate) struct Shares {
    total: Decimal,
    /// The total's magnitude and scale.
    t: u64,
    st: u32,
    /// The weights' sum and their scale.
    sum: u64,
    sw: u32,
    dp: u32,
    /// A share at `dp` places is `t_dp × cumulative ÷ divisor`: `t_dp` is the total's
    /// magnitude at `dp` places when it has no more (else the magnitude itself), `divisor` the
    /// sum at the places the total has past `dp`.
    t_dp: u64,
    divisor: u64,
    /// `divisor ÷ 10¹⁰`: a remainder this near a midpoint or a multiple leaves the share to
    /// `rust_decimal` (`share_fast`'s `near × 10¹⁰ ≤ d`).
    near: u64,
    /// 10¹¹⁺ᵈᵖ: a share as large as this leaves it to `rust_decimal` too.
    large: u64,
}

#[cfg(not(target_arch = "wasm32"))] // native only (WASM module size, issue 17)
impl Shares {
    /// The apportionment of `total` (not zero) over `weights` (two or more) to `dp` places, or
    /// `None` when the figures are not the usual ones (then the general path apportions).
    #[inline]
    pub(crate) fn of(
        total: Decimal,
        weights: impl Iterator<Item = Decimal>,
        dp: u32,
    ) -> Option<Shares> {
        Shares::over(total, Shares::sum(weights)?, dp)
    }

    /// The weights' sum and scale as [`Shares::of`] takes them, or `None` when they are not
    /// the usual figures; the weights of two apportionments over the same lines (shipping and
    /// insurance) are read once ([`Shares::over`]).
    #[inline]
    pub(crate) fn sum(mut weights: impl Iterator<Item = Decimal>) -> Option<(u128, u32)> {
        let first = parts(weights.next()?);
        if first.negative || first.magnitude == 0 {
            return None;
        }
        let sw = first.scale;
        let mut sum = first.magnitude;
        for w in weights {
            let w = parts(w);
            if w.negative || w.scale != sw || w.magnitude == 0 {
                return None;
            }
            // Below 2⁶³ + 2⁹⁶: no overflow before the test below.
            sum += w.magnitude;
            if sum >> 63 != 0 {
                return None;
            }
        }
        (sum >> 63 == 0).then_some((sum, sw))
    }

    /// [`Shares::of`] `total` over weights of [`Shares::sum`] `(sum, sw)`.
    #[inline]
    pub(crate) fn over(total: Decimal, (sum, sw): (u128, u32), dp: u32) -> Option<Shares> {
        let t = parts(total);
        if t.negative || t.magnitude >> 63 != 0 || dp > 4 {
            return None;
        }
        let (t, st) = (t.magnitude, t.scale);
        if st + sw > 28 {
            return None;
        }
        // Both below 2⁶³: the product fits 128 bits.
        let widest = t * sum;
        if widest >> 64 != 0 {
            return None;
        }
        let (t, sum) = (t as u64, sum as u64);
        // The largest numerator a share divides, `t × sum`, times `10^(dp - st)` when the
        // total has fewer places than `dp`; and the divisor, `sum × 10^(st - dp)`.
        let (t_dp, divisor) = if st <= dp {
            let up = POW10[(dp - st) as usize];
            (widest as u64).checked_mul(up)?;
            (t * up, sum)
        } else {
            (t, sum.checked_mul(*POW10.get((st - dp) as usize)?)?)
        };
        Some(Shares {
            total,
            t,
            st,
            sum,
            sw,
            dp,
            t_dp,
            divisor,
            near: divisor / 10_000_000_000,
            large: POW10[11 + dp as usize],
        })
    }

    /// A weight's magnitude, as [`Shares::of`] summed it.
    #[inline(always)]
    pub(crate) fn weight(w: Decimal) -> u64 {
        parts(w).magnitude as u64
    }

    /// The share reached at `cumulative` (a sum of the first weights, not past the sum): [`share`]
    /// of the total, the cumulative weight and the sum as decimals; `None` where that is.
    #[inline(always)]
    pub(crate) fn reached(&self, cumulative: u64) -> Option<Decimal> {
        if self.st > self.dp {
            return self.reached_other(cumulative);
        }
        // Below 2⁶⁴ by the tests in `of`.
        let n = self.t_dp.wrapping_mul(cumulative);
        let d = self.divisor;
        let (q, r) = (n / d, n % d);
        // A share that is exact at `dp` places is `share_fast`'s other case, or
        // `rust_decimal`'s.
        if r == 0 {
            return self.reached_other(cumulative);
        }
        // The remainder's distance from zero, from the divisor and from the midpoint.
        let rest = d - r;
        if q >= self.large || r.min(rest).min(r.abs_diff(rest)) <= self.near {
            return self.reached_other(cumulative);
        }
        // Rounded half up; a zero is `rust_decimal`'s to give.
        let q = q + u64::from(r > rest);
        if q == 0 {
            return self.reached_other(cumulative);
        }
        Some(build(u128::from(q), false, self.dp))
    }

    /// [`Shares::reached`] in its other cases: `share_fast`'s quotient that is exact at the
    /// total's scale, and a total of more places than `dp`, in integers; [`share`] itself
    /// where `share_fast` leaves the quotient to `rust_decimal`.
    #[inline(never)]
    fn reached_other(&self, cumulative: u64) -> Option<Decimal> {
        let (s, st, dp) = (self.sum, self.st, self.dp);
        let product = self.t * cumulative;
        let (q0, r0) = (product / s, product % s);
        if r0 == 0 {
            if st <= dp {
                return Some(build(u128::from(q0), false, st));
            }
            let divisor = POW10[(st - dp) as usize];
            let q = q0 / divisor + u64::from(2 * u128::from(q0 % divisor) >= u128::from(divisor));
            if q != 0 {
                return Some(build(u128::from(q), false, dp));
            }
        } else if st > dp {
            let d = self.divisor;
            let (q, r) = (product / d, product % d);
            // `r` is not zero, as `r0` is not.
            let rest = d - r;
            if q < self.large && r.min(rest).min(r.abs_diff(rest)) > self.near {
                let q = q + u64::from(r > rest);
                if q != 0 {
                    return Some(build(u128::from(q), false, dp));
                }
            }
        }
        let c = build(u128::from(cumulative), false, self.sw);
        let s = build(u128::from(s), false, self.sw);
        share(self.total, c, s, dp)
    }
}

/// `a - b` as `rust_decimal`'s operator gives it (and panics where it does), with the
/// apportionment's cases in integers: `a` not zero and `b` zero (`a` as it is), or both
/// positive at one scale with `a` the larger (their magnitudes' difference at that scale).
#[cfg(not(target_arch = "wasm32"))] // native only (WASM module size, issue 17)
#[inline(always)]
pub(crate) fn difference(a: Decimal, b: Decimal) -> Decimal {
    let (x, y) = (parts(a), parts(b));
    if x.magnitude != 0 {
        if y.magnitude == 0 {
            return a;
        }
        if !x.negative && !y.negative && x.scale == y.scale && x.magnitude > y.magnitude {
            return build(x.magnitude - y.magnitude, false, x.scale);
        }
    } else if y.magnitude == 0 {
        // A zero less a zero is the second as it is, scale and sign (`rust_decimal`'s result).
        return b;
    }
    difference_general(a, b)
}

#[cfg(not(target_arch = "wasm32"))] // native only (WASM module size, issue 17)
/// [`difference`] for any operands.
#[inline(never)]
fn difference_general(a: Decimal, b: Decimal) -> Decimal {
    a - b
}

/// `n / d` and `n % d` (`d` not zero), in one 64-bit division when both fit 64 bits (an
/// apportionment's operands nearly always do), where the 128-bit ones are calls of the
/// compiler's runtime.
#[inline(always)]
fn div_rem(n: u128, d: u128) -> (u128, u128) {
    if (n | d) >> 64 == 0 {
        let (n, d) = (n as u64, d as u64);
        (u128::from(n / d), u128::from(n % d))
    } else {
        (n / d, n % d)
    }
}

/// 10ⁿ, from [`POW10`] up to 10¹⁹; `None` past 2¹²⁸.
#[inline(always)]
fn pow10(n: u32) -> Option<u128> {
    match POW10.get(n as usize) {
        Some(&p) => Some(u128::from(p)),
        None => 10u128.checked_pow(n),
    }
}

/// Whether `value ÷ divisor` as `rust_decimal`'s `checked_div` gives it (its 28 most
/// significant digits) is certainly not below `minimum`, or is not given at all: told without
/// the division, from `value × 10^(sd+sm) ≥ minimum × divisor × 10^sv` (`sv`, `sd`, `sm` the
/// scales) in 128-bit integers that cannot overflow, for the usual operands: none negative, a
/// divisor that is not zero, `value` below 2⁶⁴, `divisor` and `minimum` below 2³², `minimum`
/// of at most 18 places, `sd + sm` and `sv` at most 19. `false` when it is below, or for any
/// other operands (then the caller divides and compares).
///
/// The exact quotient `Q` not below `minimum` means the rounded one is not either when
/// `minimum` lies on the rounded quotient's grid: a quotient below 10¹⁰ keeps at least 18
/// places (10²⁸ < 2⁹⁶). A larger quotient loses less than 1 to the rounding and stays above
/// `minimum`, which is below 2³² < 10¹⁰ - 1. The property test below compares this with the
/// division.
#[inline(always)]
pub(crate) fn quotient_not_below(value: Decimal, divisor: Decimal, minimum: Decimal) -> bool {
    let (v, d, m) = (parts(value), parts(divisor), parts(minimum));
    if v.negative || d.negative || m.negative || d.magnitude == 0 {
        return false;
    }
    let (shift, scale) = (d.scale + m.scale, v.scale);
    if (d.magnitude | m.magnitude) >> 32 != 0 || v.magnitude >> 64 != 0 || m.scale > 18 {
        return false;
    }
    let (Some(&left_pow), Some(&right_pow)) =
        (POW10.get(shift as usize), POW10.get(scale as usize))
    else {
        return false;
    };
    // Below 2⁶⁴ × 10¹⁹ < 2¹²⁸ each.
    let left = u128::from(v.magnitude as u64) * u128::from(left_pow);
    let right = u128::from(m.magnitude as u64 * d.magnitude as u64) * u128::from(right_pow);
    left >= right
}

/// `a / b` (`None` for `b = 0` or an overflow): exact when the quotient terminates within
/// [`QUOTIENT_SCALE`] places, otherwise rounded half to even to that many.
#[cfg_attr(not(target_arch = "wasm32"), inline)]
#[cfg_attr(target_arch = "wasm32", inline(never))] // one copy in the WASM module (size, issue 17)
pub fn quotient(a: Decimal, b: Decimal) -> Option<Decimal> {
    let q = a.checked_div(b)?;
    Some(if q.scale() > QUOTIENT_SCALE {
        q.round_dp_with_strategy(QUOTIENT_SCALE, RoundingStrategy::MidpointNearestEven)
    } else {
        q
    })
}

/// Whether `sum`, which `rust_decimal` computed with fewer places than `a` and `b` have, is
/// still exactly `a + b` (the dropped places were zeros).
#[cold]
fn exact_sum(a: Decimal, b: Decimal, sum: Decimal) -> bool {
    let scale = a.scale().max(b.scale());
    let (Some(x), Some(y), Some(s)) = (
        Wide::scaled(a, scale),
        Wide::scaled(b, scale),
        Wide::scaled(sum, scale),
    ) else {
        return false;
    };
    let exact = match (a.is_sign_negative(), b.is_sign_negative()) {
        (sa, sb) if sa == sb => x.add(y).map(|m| (sa, m)),
        (sa, _) => Some(if x >= y {
            (sa, x.sub(y))
        } else {
            (!sa, y.sub(x))
        }),
    };
    match exact {
        Some((_, m)) if m.is_zero() => sum.is_zero(),
        Some((negative, m)) => negative == sum.is_sign_negative() && m == s,
        None => false,
    }
}

/// Whether `product`, which `rust_decimal` computed with fewer places than `a` and `b` have
/// together, is still exactly `a × b`.
#[cold]
fn exact_product(a: Decimal, b: Decimal, product: Decimal) -> bool {
    if a.is_zero() || b.is_zero() {
        return product.is_zero();
    }
    let exact =
        Wide::from(a.mantissa().unsigned_abs()).mul(Wide::from(b.mantissa().unsigned_abs()));
    let shift = a.scale() + b.scale() - product.scale();
    match (
        exact,
        Wide::from(product.mantissa().unsigned_abs()).pow10(shift),
    ) {
        (Some(e), Some(p)) => {
            e == p && product.is_sign_negative() == (a.is_sign_negative() != b.is_sign_negative())
        }
        _ => false,
    }
}

/// A 256-bit unsigned integer, four 64-bit limbs, least significant first: enough for the
/// product of two 96-bit mantissas and for a mantissa scaled by up to 10⁴⁸.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Wide([u64; 4]);

impl From<u128> for Wide {
    fn from(x: u128) -> Wide {
        Wide([x as u64, (x >> 64) as u64, 0, 0])
    }
}

impl PartialOrd for Wide {
    fn partial_cmp(&self, other: &Wide) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Wide {
    fn cmp(&self, other: &Wide) -> std::cmp::Ordering {
        self.0.iter().rev().cmp(other.0.iter().rev())
    }
}

impl Wide {
    /// `d`'s magnitude as an integer count of units of `10^-scale` (`scale ≥ d.scale()`).
    fn scaled(d: Decimal, scale: u32) -> Option<Wide> {
        Wide::from(d.mantissa().unsigned_abs()).pow10(scale.checked_sub(d.scale())?)
    }

    fn is_zero(&self) -> bool {
        self.0 == [0; 4]
    }

    /// `self × 10^k`, `None` past 256 bits.
    fn pow10(self, k: u32) -> Option<Wide> {
        (0..k).try_fold(self, |w, _| w.mul_small(10))
    }

    fn mul_small(self, f: u64) -> Option<Wide> {
        let mut out = [0u64; 4];
        let mut carry = 0u128;
        for (o, limb) in out.iter_mut().zip(self.0) {
            let t = u128::from(limb) * u128::from(f) + carry;
            *o = t as u64;
            carry = t >> 64;
        }
        (carry == 0).then_some(Wide(out))
    }

    fn mul(self, other: Wide) -> Option<Wide> {
        let mut out = [0u64; 4];
        for (i, &x) in self.0.iter().enumerate() {
            let mut carry = 0u128;
            for (j, &y) in other.0.iter().enumerate() {
                let t = u128::from(x) * u128::from(y) + carry;
                if i + j >= 4 {
                    if t != 0 {
                        return None;
                    }
                    continue;
                }
                let t = t + u128::from(out[i + j]);
                out[i + j] = t as u64;
                carry = t >> 64;
            }
            if carry != 0 {
                return None;
            }
        }
        Some(Wide(out))
    }

    fn add(self, other: Wide) -> Option<Wide> {
        let mut out = [0u64; 4];
        let mut carry = false;
        for (o, (x, y)) in out.iter_mut().zip(self.0.iter().zip(other.0)) {
            let (t, c1) = x.overflowing_add(y);
            let (t, c2) = t.overflowing_add(u64::from(carry));
            *o = t;
            carry = c1 || c2;
        }
        (!carry).then_some(Wide(out))
    }

    /// `self - other` for `self ≥ other`.
    fn sub(self, other: Wide) -> Wide {
        let mut out = [0u64; 4];
        let mut borrow = false;
        for (o, (x, y)) in out.iter_mut().zip(self.0.iter().zip(other.0)) {
            let (t, b1) = x.overflowing_sub(y);
            let (t, b2) = t.overflowing_sub(u64::from(borrow));
            *o = t;
            borrow = b1 || b2;
        }
        Wide(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn the_issue_s_case_is_refused() {
        // 10¹² at a rate of 999999999999.9999: 8 places of 32 digits do not fit.
        assert_eq!(
            mul(d("999999999999.9999"), d("999999999999.9999")),
            None,
            "rust_decimal gives {:?}",
            d("999999999999.9999").checked_mul(d("999999999999.9999"))
        );
        // The sum of amounts at 10²⁷ and a cent: 30 digits.
        assert_eq!(add(d("1000000000000000000000000000"), d("0.01")), None);
    }

    #[test]
    fn dropped_zeros_are_still_exact() {
        // 10²⁷ + 0.10: at two places the mantissa is 10²⁹ (too large), at one it fits exactly.
        let sum = add(d("1000000000000000000000000000"), d("0.10")).unwrap();
        assert_eq!(sum, d("1000000000000000000000000000.1"));
        // 0.5 × 0.2 at 2 places is 0.10; 5·10²⁷ scale 1 × 2 scale 28 needs scale 29.
        assert_eq!(mul(d("0.5"), d("0.2")).unwrap(), d("0.1"));
        let tiny = Decimal::from_i128_with_scale(2, 28);
        assert_eq!(
            mul(d("0.5"), tiny).unwrap(),
            Decimal::from_i128_with_scale(1, 28)
        );
        assert_eq!(mul(d("0.3"), tiny), None, "6·10⁻²⁹ has no 28-place form");
        assert_eq!(sub(d("-5"), d("-5")).unwrap(), Decimal::ZERO);
    }

    /// Addends for [`Sum`]: decimals of any size, amounts, and zeros of several scales and
    /// both signs.
    fn addend() -> impl Strategy<Value = Decimal> {
        prop_oneof![
            decimal(),
            small_decimal(),
            (0u32..=28, any::<bool>()).prop_map(|(scale, neg)| {
                let mut zero = Decimal::new(0, scale);
                zero.set_sign_negative(neg);
                zero
            }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 8192, ..ProptestConfig::default() })]

        /// A [`Sum`] is the fold of [`add`], bit for bit, and fails where it does.
        #[test]
        fn a_sum_is_the_fold_of_add(first in addend(), rest in proptest::collection::vec(addend(), 0..8)) {
            let mut sum = Sum::of(first);
            let mut folded = Some(first);
            for b in rest {
                let Some(f) = folded else { break };
                folded = add(f, b);
                let added = sum.add(b);
                prop_assert_eq!(added.is_some(), folded.is_some());
                if let Some(f) = folded {
                    prop_assert_eq!(sum.value().serialize(), f.serialize());
                }
            }
            if let Some(f) = folded {
                prop_assert_eq!(sum.value().serialize(), f.serialize());
            }
        }
    }

    #[test]
    fn sums_of_amounts_and_zeros() {
        let cases: [&[&str]; 5] = [
            &["10.00", "0", "2.50", "-12.50", "0.001"],
            &["0.000", "1.5", "2.25"],
            &["-3.00", "3.00", "4"],
            &["79228162514264337593543950335", "1"],
            &["1.10", "-2.20", "1.10"],
        ];
        for addends in cases {
            let values: Vec<Decimal> = addends.iter().map(|a| d(a)).collect();
            let mut sum = Sum::of(values[0]);
            let mut folded = Some(values[0]);
            for &b in &values[1..] {
                folded = add(folded.unwrap(), b);
                assert_eq!(sum.add(b).is_some(), folded.is_some(), "{addends:?}");
                match folded {
                    Some(f) => assert_eq!(sum.value().serialize(), f.serialize(), "{addends:?}"),
                    None => break,
                }
            }
        }
    }

    #[test]
    fn a_zero_added_is_the_other_operand() {
        let big = Decimal::from_i128_with_scale((1 << 96) - 1, 0);
        for zero in [Decimal::ZERO, Decimal::new(0, 28), -Decimal::new(0, 2)] {
            for other in [
                big,
                -big,
                Decimal::new(5, 28),
                Decimal::new(-123_456_789_012, 3),
            ] {
                // The fast path, and `rust_decimal`'s own.
                for sum in [add, add_general] {
                    let want = Some(other.serialize());
                    assert_eq!(sum(zero, other).map(|d| d.serialize()), want);
                    assert_eq!(sum(other, zero).map(|d| d.serialize()), want);
                }
            }
        }
    }

    /// Decimals of up to 12 digits at a scale of up to 6, both signs, zeros too: per-unit
    /// figures and quantities.
    fn small_decimal() -> impl Strategy<Value = Decimal> {
        (any::<i64>(), 0u32..=6, 1u32..=40).prop_map(|(m, scale, bits)| {
            Decimal::from_i128_with_scale(i128::from(m) % (1i128 << bits), scale)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 8192, ..ProptestConfig::default() })]

        /// Where the integer test says the quotient is not below the minimum, the division
        /// agrees (or gives no quotient); minimums at, just below and just above the exact
        /// quotient and its roundings included.
        #[test]
        fn quotients_not_below_agree_with_the_division(
            value in prop_oneof![decimal(), small_decimal()],
            divisor in prop_oneof![decimal(), small_decimal()],
            minimum in prop_oneof![decimal(), small_decimal()],
            near in 0u32..=28,
            nudge in -2i64..=2,
        ) {
            let below = |m: Decimal| value.checked_div(divisor).is_some_and(|q| q < m);
            let mut minimums = vec![minimum];
            if let Some(q) = value.checked_div(divisor) {
                let r = q.round_dp(near);
                let step = Decimal::new(1, near.min(28));
                minimums.extend([q, r, r + step * Decimal::from(nudge)]);
            }
            for m in minimums {
                if quotient_not_below(value, divisor, m) {
                    prop_assert!(!below(m), "{value} / {divisor} against {m}");
                }
            }
        }
    }

    #[test]
    fn quotients_not_below_are_told_for_amounts() {
        for (value, divisor, minimum, told) in [
            ("58.80", "3", "15.00", true),
            ("58.80", "3", "19.60", true),
            ("58.80", "3", "19.61", false),
            ("10", "3", "3.333333", true),
            ("10", "3", "3.3333334", false),
            ("-1", "3", "-1", false),
            ("0", "3", "0", true),
            ("1", "0", "0", false),
            ("1", "-2", "-1", false),
            ("149.90", "0.747", "200.66", true),
            ("149.90", "0.747", "200.67", false),
        ] {
            assert_eq!(
                quotient_not_below(d(value), d(divisor), d(minimum)),
                told,
                "{value}"
            );
        }
    }

    #[test]
    fn quotients_keep_twelve_places() {
        assert_eq!(quotient(d("22"), d("78")).unwrap(), d("0.282051282051"));
        assert_eq!(quotient(d("1"), d("1024")).unwrap(), d("0.0009765625"));
        assert_eq!(quotient(d("1"), Decimal::ZERO), None);
    }

    /// Decimals of up to 28 digits at any scale, both signs.
    fn decimal() -> impl Strategy<Value = Decimal> {
        (any::<u128>(), 0u32..=28, any::<bool>(), 1u32..=96).prop_map(|(m, scale, neg, bits)| {
            let m = (m & ((1u128 << bits) - 1)) as i128;
            let v = Decimal::from_i128_with_scale(m.min((1i128 << 96) - 1), scale);
            if neg {
                -v
            } else {
                v
            }
        })
    }

    /// The exact value of `a + b` or `a × b`, computed in 256-bit integers, normalized (`None`
    /// when it has no decimal form of 96 bits and at most 28 places).
    fn reference(a: Decimal, b: Decimal, product: bool) -> Option<Decimal> {
        let scale = if product {
            a.scale() + b.scale()
        } else {
            a.scale().max(b.scale())
        };
        let (na, nb) = (a.is_sign_negative(), b.is_sign_negative());
        let (negative, m) = if product {
            let m = Wide::from(a.mantissa().unsigned_abs())
                .mul(Wide::from(b.mantissa().unsigned_abs()))?;
            (na != nb, m)
        } else {
            let x = Wide::scaled(a, scale)?;
            let y = Wide::scaled(b, scale)?;
            if na == nb {
                (na, x.add(y)?)
            } else if x >= y {
                (na, x.sub(y))
            } else {
                (nb, y.sub(x))
            }
        };
        // Strip trailing zeros, then it must fit 96 bits at a scale of at most 28.
        let (mut m, mut scale) = (m, scale);
        while scale > 0 {
            let Some(next) = div10_exact(m) else { break };
            m = next;
            scale -= 1;
        }
        if scale > 28 || m.0[2] != 0 || m.0[3] != 0 || m.0[1] >> 32 != 0 {
            return None;
        }
        let digits = u128::from(m.0[0]) | (u128::from(m.0[1]) << 64);
        let v = Decimal::from_i128_with_scale(digits as i128, scale);
        Some(if negative { -v } else { v })
    }

    fn div10_exact(w: Wide) -> Option<Wide> {
        let mut out = [0u64; 4];
        let mut rem = 0u128;
        for i in (0..4).rev() {
            let t = (rem << 64) | u128::from(w.0[i]);
            out[i] = (t / 10) as u64;
            rem = t % 10;
        }
        (rem == 0).then_some(Wide(out))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

        /// A sum or product is its exact value, or `None` exactly when that value has no
        /// decimal form of 28 places and 96 bits.
        #[test]
        fn sums_and_products_are_exact_or_refused(a in decimal(), b in decimal()) {
            prop_assert_eq!(add(a, b), reference(a, b, false));
            prop_assert_eq!(mul(a, b), reference(a, b, true));
        }

        /// The fast paths give `rust_decimal`'s own result bit for bit (scale and sign of
        /// zero included), on any decimals and on amounts as the assessment sees them.
        #[test]
        fn fast_paths_are_rust_decimal_bit_for_bit(a in any_or_amount(), b in any_or_amount()) {
            prop_assert_eq!(add(a, b).map(|d| d.serialize()), add_general(a, b).map(|d| d.serialize()));
            prop_assert_eq!(mul(a, b).map(|d| d.serialize()), mul_general(a, b).map(|d| d.serialize()));
            prop_assert_eq!(sub(a, b).map(|d| d.serialize()), add_general(a, -b).map(|d| d.serialize()));
            // A per cent: the product with its scale two more, as `set_scale` makes it.
            if let Some(p) = percent_fast(a, b) {
                let mut want = mul_general(a, b).unwrap();
                want.set_scale(want.scale() + 2).unwrap();
                prop_assert_eq!(p.serialize(), want.serialize());
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

        /// Rounding gives `rust_decimal`'s result bit for bit, for every strategy a regime's
        /// rounding mode names.
        #[test]
        fn rounding_is_rust_decimal_bit_for_bit(v in any_or_amount(), dp in 0u32..=28) {
            for strategy in [
                RoundingStrategy::MidpointAwayFromZero,
                RoundingStrategy::MidpointNearestEven,
                RoundingStrategy::ToZero,
                RoundingStrategy::AwayFromZero,
            ] {
                prop_assert_eq!(
                    round_dp(v, dp, strategy).serialize(),
                    v.round_dp_with_strategy(dp, strategy).serialize(),
                    "{} to {} places, {:?}", v, dp, strategy
                );
            }
        }
    }

    /// An apportionment's operands: amounts of up to 12 integer digits and 4 places, or any
    /// decimal.
    fn share_operand() -> impl Strategy<Value = Decimal> {
        prop_oneof![
            3 => (0i64..=9_999_999_999_999_999, 0u32..=4).prop_map(|(m, s)| Decimal::new(m, s)),
            3 => (0i64..=100_000, 0u32..=2).prop_map(|(m, s)| Decimal::new(m, s)),
            1 => decimal(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 8192, ..ProptestConfig::default() })]

        /// A difference, and a sum by [`plus`], is `rust_decimal`'s bit for bit (a zero less a
        /// zero included), where that does not overflow.
        #[test]
        fn differences_are_rust_decimal_s(a in any_or_amount(), b in any_or_amount()) {
            for (a, b) in [(a, b), (b, a), (a.abs(), b.abs()), (b.abs(), a.abs())] {
                if let Some(want) = a.checked_sub(b) {
                    prop_assert_eq!(difference(a, b).serialize(), want.serialize(), "{} - {}", a, b);
                    prop_assert_eq!(minus(a, b).serialize(), want.serialize(), "{} - {}", a, b);
                }
                if let Some(want) = a.checked_add(b) {
                    prop_assert_eq!(plus(a, b).serialize(), want.serialize(), "{} + {}", a, b);
                }
            }
        }

        /// The integer comparison orders as `rust_decimal` does (zeros of either sign equal).
        #[test]
        fn comparison_is_rust_decimal_s(a in any_or_amount(), b in any_or_amount()) {
            prop_assert_eq!(cmp(a, b), a.cmp(&b), "{} {}", a, b);
            prop_assert_eq!(cmp(a, a), std::cmp::Ordering::Equal);
        }
    }

    /// [`share`] by `rust_decimal` alone.
    fn share_reference(t: Decimal, c: Decimal, s: Decimal, dp: u32) -> Option<Decimal> {
        let q = t.checked_mul(c)?.checked_div(s)?;
        Some(q.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 20000, ..ProptestConfig::default() })]

        /// An apportionment's share is `rust_decimal`'s bit for bit (scale included).
        #[test]
        fn shares_are_rust_decimal_bit_for_bit(
            t in share_operand(),
            c in share_operand(),
            s in share_operand(),
            dp in 0u32..=5,
        ) {
            if s.is_zero() {
                return Ok(());
            }
            prop_assert_eq!(
                share(t, c, s, dp).map(|d| d.serialize()),
                share_reference(t, c, s, dp).map(|d| d.serialize()),
                "{} × {} / {} to {}", t, c, s, dp
            );
        }

        /// Cumulative weights as the apportionment passes them: a part of the sum.
        #[test]
        fn shares_of_parts_are_rust_decimal_bit_for_bit(
            t in share_operand(),
            parts in proptest::collection::vec(share_operand(), 2..6),
            dp in 0u32..=4,
        ) {
            let Some(sum) = parts.iter().try_fold(Decimal::ZERO, |a, p| add(a, *p)) else {
                return Ok(());
            };
            if sum.is_zero() {
                return Ok(());
            }
            let mut cumulative = Decimal::ZERO;
            for p in &parts {
                cumulative = add(cumulative, *p).unwrap();
                prop_assert_eq!(
                    share(t, cumulative, sum, dp).map(|d| d.serialize()),
                    share_reference(t, cumulative, sum, dp).map(|d| d.serialize()),
                    "{} × {} / {} to {}", t, cumulative, sum, dp
                );
            }
        }
    }

    #[test]
    fn shares_at_midpoints_and_exact_quotients() {
        for (t, c, s, dp) in [
            ("10.00", "1", "3", 2),
            ("10.00", "2", "3", 2),
            ("8.50", "30.00", "135.00", 2),
            ("1", "1", "8", 2),
            ("1", "1", "2", 2),
            ("10.00", "5", "10", 2),
            ("0.05", "1", "10", 2),
            ("0.05", "5", "10", 2),
            ("3", "1", "3", 0),
            ("7.5", "1", "2", 0),
            ("100", "1", "400", 2),
            ("999999999999.99", "999999", "1000000", 2),
        ] {
            let (t, c, s) = (d(t), d(c), d(s));
            assert_eq!(
                share(t, c, s, dp).map(|d| d.serialize()),
                share_reference(t, c, s, dp).map(|d| d.serialize()),
                "{t} × {c} / {s} to {dp}"
            );
        }
        // The integer path is the one taken for a shipping share of a line's value.
        assert!(share_fast(d("8.50"), d("30.00"), d("135.00"), 2).is_some());
        assert!(share_fast(d("10.00"), d("5"), d("10"), 2).is_some());
    }

    #[test]
    fn rounding_midpoints_and_signs() {
        for (v, dp, s, want) in [
            ("2.345", 2, RoundingStrategy::MidpointAwayFromZero, "2.35"),
            ("-2.345", 2, RoundingStrategy::MidpointAwayFromZero, "-2.35"),
            ("2.345", 2, RoundingStrategy::MidpointNearestEven, "2.34"),
            ("2.355", 2, RoundingStrategy::MidpointNearestEven, "2.36"),
            ("-2.349", 2, RoundingStrategy::ToZero, "-2.34"),
            ("-2.341", 2, RoundingStrategy::AwayFromZero, "-2.35"),
            ("0.004", 2, RoundingStrategy::MidpointAwayFromZero, "0.00"),
            ("-0.004", 2, RoundingStrategy::MidpointAwayFromZero, "0.00"),
            ("1.5", 0, RoundingStrategy::MidpointNearestEven, "2"),
        ] {
            let got = round_dp(d(v), dp, s);
            assert_eq!(got.to_string(), want, "{v} {s:?}");
            assert_eq!(
                got.serialize(),
                d(v).round_dp_with_strategy(dp, s).serialize()
            );
        }
    }

    /// An amount of up to 12 integer digits and 4 places (the declaration limits), a zero of
    /// either sign, or any decimal.
    fn any_or_amount() -> impl Strategy<Value = Decimal> {
        prop_oneof![
            (-9_999_999_999_999_999_i64..=9_999_999_999_999_999, 0u32..=4)
                .prop_map(|(m, s)| Decimal::new(m, s)),
            (0u32..=28, any::<bool>()).prop_map(|(s, neg)| {
                let z = Decimal::new(0, s);
                if neg {
                    -z
                } else {
                    z
                }
            }),
            decimal(),
        ]
    }
}
