//! Duty-expression text → parse, then evaluate on fuzzed line figures.
//!
//! Invariants: no panic, no hang; an expression that parses prints (`Display`) to a text that
//! parses back to an equal expression; evaluation gives a non-negative amount (zero for a free
//! expression), or an `Overflow` error, or a `MissingInput` error for a measure the expression
//! says it needs and the line lacks (a supplementary measure such as `m2` always counts as
//! lacking), never a wrap.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;
use xborder_core::duty_expr::{DutyExprError, DutyExpression, DutyInputs, Measure};

/// Any `Decimal` (all 96 mantissa bits, any scale up to 28), so figures reach the type's limits.
#[derive(Debug, Arbitrary)]
struct Figure {
    lo: u32,
    mid: u32,
    hi: u32,
    negative: bool,
    scale: u8,
}

impl Figure {
    fn decimal(&self) -> Decimal {
        Decimal::from_parts(
            self.lo,
            self.mid,
            self.hi,
            self.negative,
            u32::from(self.scale % 29),
        )
    }
}

#[derive(Debug, Arbitrary)]
struct Figures {
    gbp: bool,
    value: Figure,
    quantity: Figure,
    mass: Option<Figure>,
    litres: Option<Figure>,
}

// The input is the expression's text, then optionally a NUL and the bytes the line's figures
// are drawn from; so the seed corpus can be plain expressions taken from the packs.
fuzz_target!(|data: &[u8]| {
    let (text, rest) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    let Ok(input) = Figures::arbitrary(&mut arbitrary::Unstructured::new(rest)) else {
        return;
    };
    let currency = if input.gbp { "GBP" } else { "EUR" };
    let Ok(expr) = DutyExpression::parse(text, currency) else {
        return;
    };
    let canonical = expr.to_string();
    let again = DutyExpression::parse(&canonical, currency)
        .unwrap_or_else(|e| panic!("canonical {canonical:?} of {text:?} does not parse: {e}"));
    assert_eq!(again, expr, "{:?} → {canonical:?}", text);
    let inputs = DutyInputs {
        value: input.value.decimal(),
        quantity: input.quantity.decimal(),
        net_mass_kg: input.mass.as_ref().map(Figure::decimal),
        gross_mass_kg: input.mass.as_ref().map(Figure::decimal),
        litres: input.litres.as_ref().map(Figure::decimal),
    };
    let needs = expr.needs();
    match expr.evaluate(&inputs) {
        Ok(duty) => {
            assert!(duty >= Decimal::ZERO, "{duty} from {:?}", text);
            assert!(!expr.is_free() || duty.is_zero(), "free {text:?} gave {duty}");
            assert!(needs.supplementary.is_none(), "{text:?} needs {needs:?}");
        }
        Err(DutyExprError::MissingInput { what, .. }) => assert!(
            (what == Measure::NetMass && needs.net_mass && inputs.net_mass_kg.is_none())
                || (what == Measure::GrossMass && needs.gross_mass && inputs.gross_mass_kg.is_none())
                || (what == Measure::Litres && needs.litres && inputs.litres.is_none())
                || needs.supplementary.map(Measure::Supplementary) == Some(what),
            "{text:?} missing {what} with {needs:?}"
        ),
        Err(DutyExprError::Overflow { .. }) => {}
        Err(other) => panic!("evaluate gave {other:?}"),
    }
});
