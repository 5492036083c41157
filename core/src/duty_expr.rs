//! Duty expressions: the textual rates of the UK and EU tariffs, such as
//! `12%`, `3.50 EUR/kg` or `13.8% MIN 13 GBP/100kg MAX 15 GBP/100kg - 7 GBP/100kg`.
//!
//! Rates arrive as text in regime data files, so they are parsed once when a
//! regime is loaded and evaluated many times on the assessment hot path. The
//! parser therefore does all the work that can be done ahead of time (unit
//! scaling, percent-to-fraction, what the line must supply) and evaluation is
//! a handful of checked multiply-adds over a small slice, with no allocation.
//!
//! # Grammar
//!
//! ```text
//! expression := compound [ MIN compound ] [ MAX compound ]
//! compound   := component { ('+' | '-') component }
//! component  := number '%'
//!             | 'free'
//!             | number CUR '/' unit
//! unit       := kg | 100 kg | item | p/st | pc | piece | pair | l | 100 l | hl
//!             | kg gross | 100 kg gross
//! number     := digits [ '.' digits ]        (≤ 12 integer digits, ≤ 6 decimals)
//! CUR        := three capital ASCII letters, equal to the regime's currency
//! ```
//!
//! ASCII whitespace is allowed anywhere between tokens, `MIN`, `MAX`, `free`
//! and unit names are case-insensitive, and the decimal separator is `.` only
//! (a `,` would be ambiguous with thousands separators in source data).
//!
//! Evaluation: the first compound is the base; `MIN` raises the result to at
//! least its compound, then `MAX` lowers it to at most its compound, and the
//! result is finally floored at zero because a deduction may never turn a
//! duty into a refund. A `-` after `MAX` belongs to the `MAX` compound, which
//! is how the UK trade-tariff duty calculator reads such measures.

use std::fmt::{self, Write as _};

use rust_decimal::Decimal;

/// Longest accepted text; tariff rates are short, so anything longer is
/// almost certainly corrupt data and bounding it bounds parse time.
const MAX_LEN: usize = crate::limits::MAX_EXPRESSION_BYTES;
/// Most components in one expression; real measures use at most a handful,
/// and the bound keeps evaluation cost predictable.
const MAX_COMPONENTS: usize = 16;
/// Integer digits allowed in a number; with [`MAX_DECIMALS`] this keeps every
/// mantissa within an `i64` and far from `Decimal`'s overflow.
const MAX_INT_DIGITS: usize = 12;
/// Decimal places allowed in a number; tariffs never go beyond four.
const MAX_DECIMALS: usize = 6;

/// A parsed duty expression, evaluated against one tariff line.
///
/// Equality compares meaning as written canonically (components, their
/// amounts and the `MIN`/`MAX` structure), not the original spelling, so an
/// expression equals the re-parse of its [`Display`](fmt::Display) form.
#[derive(Debug, Clone)]
pub struct DutyExpression {
    /// Kept verbatim so errors and audit trails show what the data said.
    text: String,
    /// The currency of the specific components, if there are any; needed to
    /// print the canonical form, which must name it.
    currency: Option<[u8; 3]>,
    /// All components in order: base, then MIN part, then MAX part. One flat
    /// vector keeps evaluation to a single contiguous scan.
    components: Vec<Component>,
    /// End (exclusive) of the base compound within `components`.
    base_end: u8,
    /// The MIN compound's range within `components`.
    min: Option<Span>,
    /// The MAX compound's range within `components`.
    max: Option<Span>,
    /// Precomputed so callers can check a declaration before evaluating.
    needs: Needs,
    /// Precomputed so free lines cost one branch on the hot path.
    free: bool,
}

impl PartialEq for DutyExpression {
    fn eq(&self, other: &Self) -> bool {
        // `text` is deliberately left out: "13 GBP / 100 kg" and
        // "13 GBP/100kg" are the same rate. The rest is derived from these.
        self.currency == other.currency
            && self.components == other.components
            && self.base_end == other.base_end
            && self.min == other.min
            && self.max == other.max
    }
}

impl Eq for DutyExpression {}

/// The unit a specific component is expressed in.
///
/// The hundred-fold units are kept distinct from their base units so the
/// canonical text reproduces the tariff's own wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DutyUnit {
    /// Per kilogram of net mass.
    Kg,
    /// Per 100 kilograms of net mass (the usual agricultural unit).
    Kg100,
    /// Per kilogram of gross mass (goods with their packing).
    GrossKg,
    /// Per 100 kilograms of gross mass: Switzerland's general assessment unit (Customs Tariff
    /// Act, SR 632.10, Art. 2 para. 1).
    GrossKg100,
    /// Per item (`p/st` in EU notation); uses the line's quantity.
    Item,
    /// Per pair (footwear, gloves); uses the line's quantity, which for such
    /// goods is declared in pairs.
    Pair,
    /// Per litre.
    Litre,
    /// Per 100 litres (hectolitre, used for beverages).
    Litre100,
}

impl DutyUnit {
    /// Canonical spelling, chosen to be compact and to parse back.
    fn as_str(self) -> &'static str {
        match self {
            DutyUnit::Kg => "kg",
            DutyUnit::Kg100 => "100kg",
            DutyUnit::GrossKg => "kg gross",
            DutyUnit::GrossKg100 => "100kg gross",
            DutyUnit::Item => "item",
            DutyUnit::Pair => "pair",
            DutyUnit::Litre => "l",
            DutyUnit::Litre100 => "100l",
        }
    }

    /// Divisor from the line's measure to this unit, so the per-unit amount
    /// can be pre-scaled at parse time.
    fn per(self) -> Decimal {
        match self {
            DutyUnit::Kg100 | DutyUnit::GrossKg100 | DutyUnit::Litre100 => Decimal::ONE_HUNDRED,
            DutyUnit::Kg
            | DutyUnit::GrossKg
            | DutyUnit::Item
            | DutyUnit::Pair
            | DutyUnit::Litre => Decimal::ONE,
        }
    }
}

/// What an expression needs from the line besides its value.
///
/// Lets the caller report a missing declaration field before evaluating,
/// and lets it skip asking for facts a rate never uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Needs {
    /// Some component is per kg or per 100 kg (net).
    pub net_mass: bool,
    /// Some component is per kg or per 100 kg gross.
    pub gross_mass: bool,
    /// Some component is per item or per pair.
    pub quantity: bool,
    /// Some component is per litre or per 100 litres.
    pub litres: bool,
}

/// The facts of one line an expression is evaluated on.
///
/// All figures are expected to be non-negative; negative ones are not
/// rejected (that is the declaration validator's job) but the result is
/// still floored at zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DutyInputs {
    /// Customs value in the regime's currency.
    pub value: Decimal,
    /// Number of items, or of pairs for goods sold in pairs.
    pub quantity: Decimal,
    /// Optional because many declarations omit it when no rate needs it.
    pub net_mass_kg: Option<Decimal>,
    /// Gross mass (with packing) in kilograms, already rounded as the regime requires;
    /// optional for the same reason.
    pub gross_mass_kg: Option<Decimal>,
    /// Optional because only beverages and fuels are declared by volume.
    pub litres: Option<Decimal>,
}

/// Why a duty expression could not be parsed or evaluated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DutyExprError {
    /// The text exceeds the length bound, so it was not looked at further.
    #[error("duty expression is {len} bytes long; the limit is {max}")]
    TooLong {
        /// Length of the rejected text in bytes.
        len: usize,
        /// The limit it exceeded.
        max: usize,
    },
    /// The text does not follow the grammar.
    #[error("duty expression {text:?}: {message} at byte {offset}")]
    Syntax {
        /// The whole expression, so the message stands on its own in logs.
        text: String,
        /// Byte offset of the offending token.
        offset: usize,
        /// What was expected there.
        message: String,
    },
    /// A specific component is priced in another currency than the regime's;
    /// converting silently would hide a data error.
    #[error("duty expression {text:?} is in {found}, the regime's currency is {expected}")]
    Currency {
        /// The whole expression.
        text: String,
        /// The currency the expression names.
        found: String,
        /// The regime's currency.
        expected: String,
    },
    /// The line lacks a measure that the expression is charged on.
    #[error(
        "duty expression {text:?} needs the line's {what}, which the declaration does not give"
    )]
    MissingInput {
        /// The whole expression.
        text: String,
        /// The missing measure, e.g. `"net mass"`.
        what: &'static str,
    },
    /// An intermediate figure left `Decimal`'s range.
    #[error("duty expression {text:?} overflowed while being evaluated")]
    Overflow {
        /// The whole expression.
        text: String,
    },
}

/// What a component is charged on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Basis {
    /// A percentage of the customs value.
    Value,
    /// An amount per unit of a measure of the line.
    Unit(DutyUnit),
}

/// One term of a compound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Component {
    /// Deductions are stored as flags rather than negated amounts so the
    /// canonical text can print them as `- x`.
    negative: bool,
    /// Which measure of the line the factor multiplies.
    basis: Basis,
    /// As written: a percentage, or money per unit. Kept for display.
    amount: Decimal,
    /// The multiplier applied to the basis measure at evaluation time
    /// (rate/100, or amount/100 for hundred-fold units), precomputed so the
    /// hot path has no division.
    factor: Decimal,
}

/// A compound's range within the flat component vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    /// First component of the compound.
    start: u8,
    /// One past the last component.
    end: u8,
}

/// The measures of a line, resolved once per evaluation.
struct Measures {
    /// Basis of ad valorem components.
    value: Decimal,
    /// Basis of per-item and per-pair components.
    quantity: Decimal,
    /// Basis of per-kg components; zero when none needs it.
    mass: Decimal,
    /// Basis of per-kg-gross components; zero when none needs it.
    gross: Decimal,
    /// Basis of per-litre components; zero when none needs it.
    litres: Decimal,
}

impl DutyExpression {
    /// Parses `text` for a regime whose currency is `currency`.
    ///
    /// The currency is needed here, not at evaluation, because a rate in a
    /// foreign currency is a data error best reported when the regime loads.
    pub fn parse(text: &str, currency: &str) -> Result<Self, DutyExprError> {
        if text.len() > MAX_LEN {
            return Err(DutyExprError::TooLong {
                len: text.len(),
                max: MAX_LEN,
            });
        }
        let mut parser = Parser {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            currency,
            found_currency: None,
            components: Vec::with_capacity(4),
        };
        let (base_end, min, max) = parser.expression()?;
        let Parser {
            components,
            found_currency,
            ..
        } = parser;
        Ok(Self::assemble(
            text.to_owned(),
            found_currency,
            components,
            base_end,
            min,
            max,
        ))
    }

    /// Computes the duty for one line, unrounded and never negative.
    ///
    /// Rounding is left to the caller because regimes round at different
    /// points (per line, per declaration) and to different precisions.
    pub fn evaluate(&self, inputs: &DutyInputs) -> Result<Decimal, DutyExprError> {
        if self.free {
            return Ok(Decimal::ZERO);
        }
        let measures = Measures {
            value: inputs.value,
            quantity: inputs.quantity,
            mass: if self.needs.net_mass {
                inputs.net_mass_kg.ok_or_else(|| self.missing("net mass"))?
            } else {
                Decimal::ZERO
            },
            gross: if self.needs.gross_mass {
                inputs
                    .gross_mass_kg
                    .ok_or_else(|| self.missing("gross mass"))?
            } else {
                Decimal::ZERO
            },
            litres: if self.needs.litres {
                inputs
                    .litres
                    .ok_or_else(|| self.missing("volume in litres"))?
            } else {
                Decimal::ZERO
            },
        };
        let overflow = || DutyExprError::Overflow {
            text: self.text.clone(),
        };
        let mut result = self.sum(0, self.base_end, &measures).ok_or_else(overflow)?;
        if let Some(span) = self.min {
            let floor = self
                .sum(span.start, span.end, &measures)
                .ok_or_else(overflow)?;
            if floor > result {
                result = floor;
            }
        }
        if let Some(span) = self.max {
            let ceiling = self
                .sum(span.start, span.end, &measures)
                .ok_or_else(overflow)?;
            if ceiling < result {
                result = ceiling;
            }
        }
        // `>` rather than `max` so a negative zero also becomes plain zero.
        Ok(if result > Decimal::ZERO {
            result
        } else {
            Decimal::ZERO
        })
    }

    /// What the line must supply for [`evaluate`](Self::evaluate) to succeed.
    ///
    /// A free expression needs nothing, since its value cannot depend on the
    /// line; this lets `0 EUR/kg` lines go through without a declared mass.
    pub fn needs(&self) -> Needs {
        self.needs
    }

    /// The text as given to [`parse`](Self::parse), for audit trails.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the expression can only ever yield zero (for non-negative
    /// inputs), e.g. `0%`, `free`, or a `MAX` that is itself zero; lets
    /// callers skip collecting facts and report the line as duty-free.
    pub fn is_free(&self) -> bool {
        self.free
    }

    /// A plain ad valorem rate built without parsing, for flat rates that
    /// come from configuration (gift allowances) rather than tariff text.
    ///
    /// The rate is not bound-checked: a rate with more digits than the
    /// grammar allows still evaluates correctly but its text will not parse
    /// back, and a negative rate always yields zero.
    pub fn ad_valorem(rate_percent: Decimal) -> Self {
        // Dividing by 100 cannot fail, but the checked form keeps this
        // constructor free of any panic path.
        let factor = rate_percent
            .checked_div(Decimal::ONE_HUNDRED)
            .unwrap_or(Decimal::ZERO);
        let component = Component {
            negative: false,
            basis: Basis::Value,
            amount: rate_percent,
            factor,
        };
        Self::assemble(
            format!("{rate_percent}%"),
            None,
            vec![component],
            1,
            None,
            None,
        )
    }

    /// Derives the cached facts from the structure, shared by both
    /// constructors so they cannot disagree.
    fn assemble(
        text: String,
        currency: Option<[u8; 3]>,
        components: Vec<Component>,
        base_end: u8,
        min: Option<Span>,
        max: Option<Span>,
    ) -> Self {
        let can_be_positive = |start: u8, end: u8| {
            components[usize::from(start)..usize::from(end)]
                .iter()
                .any(|c| !c.negative && c.amount > Decimal::ZERO)
        };
        // With non-negative inputs, a part with no positive term is ≤ 0; a
        // MAX ≤ 0 forces the result to 0, as do a base and MIN both ≤ 0.
        let max_caps_at_zero = max.is_some_and(|s| !can_be_positive(s.start, s.end));
        let nothing_above_zero =
            !can_be_positive(0, base_end) && !min.is_some_and(|s| can_be_positive(s.start, s.end));
        let free = max_caps_at_zero || nothing_above_zero;
        let mut needs = Needs::default();
        if !free {
            for c in &components {
                match c.basis {
                    Basis::Value => {}
                    Basis::Unit(DutyUnit::Kg | DutyUnit::Kg100) => needs.net_mass = true,
                    Basis::Unit(DutyUnit::GrossKg | DutyUnit::GrossKg100) => {
                        needs.gross_mass = true
                    }
                    Basis::Unit(DutyUnit::Item | DutyUnit::Pair) => needs.quantity = true,
                    Basis::Unit(DutyUnit::Litre | DutyUnit::Litre100) => needs.litres = true,
                }
            }
        }
        Self {
            text,
            currency,
            components,
            base_end,
            min,
            max,
            needs,
            free,
        }
    }

    /// Sums one compound; `None` on overflow so the caller builds the error
    /// (and its allocation) only when it happens.
    fn sum(&self, start: u8, end: u8, m: &Measures) -> Option<Decimal> {
        let mut total = Decimal::ZERO;
        for c in self
            .components
            .get(usize::from(start)..usize::from(end))
            .unwrap_or(&[])
        {
            let measure = match c.basis {
                Basis::Value => m.value,
                Basis::Unit(DutyUnit::Kg | DutyUnit::Kg100) => m.mass,
                Basis::Unit(DutyUnit::GrossKg | DutyUnit::GrossKg100) => m.gross,
                Basis::Unit(DutyUnit::Item | DutyUnit::Pair) => m.quantity,
                Basis::Unit(DutyUnit::Litre | DutyUnit::Litre100) => m.litres,
            };
            let term = c.factor.checked_mul(measure)?;
            total = if c.negative {
                total.checked_sub(term)?
            } else {
                total.checked_add(term)?
            };
        }
        Some(total)
    }

    /// Builds the error off the hot path; the clone happens only on failure.
    fn missing(&self, what: &'static str) -> DutyExprError {
        DutyExprError::MissingInput {
            text: self.text.clone(),
            what,
        }
    }

    /// Prints one compound; deductions print as ` - x` so the text parses
    /// back into the same signs.
    fn write_compound(&self, f: &mut fmt::Formatter<'_>, start: u8, end: u8) -> fmt::Result {
        let part = self
            .components
            .get(usize::from(start)..usize::from(end))
            .unwrap_or(&[]);
        for (i, c) in part.iter().enumerate() {
            if i > 0 {
                f.write_str(if c.negative { " - " } else { " + " })?;
            }
            match c.basis {
                Basis::Value => write!(f, "{}%", c.amount)?,
                Basis::Unit(unit) => {
                    write!(f, "{} ", c.amount)?;
                    for &b in self.currency.as_ref().map_or(&[][..], |c| &c[..]) {
                        f.write_char(char::from(b))?;
                    }
                    write!(f, "/{}", unit.as_str())?;
                }
            }
        }
        Ok(())
    }
}

/// Prints the canonical text: single spaces, canonical unit names, capital
/// keywords; it parses back to an equal expression (for parsed input).
impl fmt::Display for DutyExpression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_compound(f, 0, self.base_end)?;
        if let Some(span) = self.min {
            f.write_str(" MIN ")?;
            self.write_compound(f, span.start, span.end)?;
        }
        if let Some(span) = self.max {
            f.write_str(" MAX ")?;
            self.write_compound(f, span.start, span.end)?;
        }
        Ok(())
    }
}

/// Which clamp keyword was read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keyword {
    /// Starts the floor compound.
    Min,
    /// Starts the ceiling compound.
    Max,
}

/// A hand-written recursive-descent parser over bytes: the grammar is tiny
/// and byte offsets are what the error reports.
struct Parser<'a> {
    /// For error messages and for slicing out words.
    text: &'a str,
    /// The same text as bytes, which is what the grammar is defined over.
    bytes: &'a [u8],
    /// Byte offset of the next unread byte.
    pos: usize,
    /// The regime's currency, which every specific component must name.
    currency: &'a str,
    /// Set by the first specific component, for the canonical text.
    found_currency: Option<[u8; 3]>,
    /// Components read so far, in order across all compounds.
    components: Vec<Component>,
}

impl<'a> Parser<'a> {
    /// Parses the whole text, returning the compound boundaries.
    fn expression(&mut self) -> Result<(u8, Option<Span>, Option<Span>), DutyExprError> {
        self.skip_ws();
        if self.pos == self.bytes.len() {
            return Err(self.syntax(self.pos, "the expression is empty"));
        }
        self.compound("")?;
        let base_end = self.len_u8();
        let mut min = None;
        let mut max = None;
        loop {
            self.skip_ws();
            if self.pos == self.bytes.len() {
                return Ok((base_end, min, max));
            }
            let at = self.pos;
            match self.keyword() {
                Some(Keyword::Min) => {
                    if min.is_some() {
                        return Err(self.syntax(at, "MIN appears twice"));
                    }
                    if max.is_some() {
                        return Err(self.syntax(at, "MIN must come before MAX"));
                    }
                    let start = self.len_u8();
                    self.compound(" after MIN")?;
                    min = Some(Span {
                        start,
                        end: self.len_u8(),
                    });
                }
                Some(Keyword::Max) => {
                    if max.is_some() {
                        return Err(self.syntax(at, "MAX appears twice"));
                    }
                    let start = self.len_u8();
                    self.compound(" after MAX")?;
                    max = Some(Span {
                        start,
                        end: self.len_u8(),
                    });
                }
                None => {
                    return Err(self.syntax(
                        at,
                        "expected '+', '-', MIN, MAX or the end of the expression",
                    ))
                }
            }
        }
    }

    /// Parses components joined by `+`/`-`; `context` names what preceded
    /// the compound so an error can say where a component was wanted.
    fn compound(&mut self, context: &str) -> Result<(), DutyExprError> {
        self.component(false, context)?;
        loop {
            self.skip_ws();
            let negative = match self.peek() {
                Some(b'+') => false,
                Some(b'-') => true,
                _ => return Ok(()),
            };
            self.pos += 1;
            self.component(negative, if negative { " after '-'" } else { " after '+'" })?;
        }
    }

    /// Parses one component; the component bound is checked here, before
    /// any work, so oversized input is rejected as early as possible.
    fn component(&mut self, negative: bool, context: &str) -> Result<(), DutyExprError> {
        self.skip_ws();
        let start = self.pos;
        if self.components.len() >= MAX_COMPONENTS {
            return Err(self.syntax(start, format!("more than {MAX_COMPONENTS} components")));
        }
        let component = match self.peek() {
            Some(b) if b.is_ascii_digit() => {
                let amount = self.number()?;
                self.skip_ws();
                match self.peek() {
                    Some(b'%') => {
                        self.pos += 1;
                        Component {
                            negative,
                            basis: Basis::Value,
                            amount,
                            factor: amount / Decimal::ONE_HUNDRED,
                        }
                    }
                    Some(b) if b.is_ascii_alphabetic() => {
                        self.currency_code()?;
                        let unit = self.unit()?;
                        Component {
                            negative,
                            basis: Basis::Unit(unit),
                            amount,
                            factor: amount / unit.per(),
                        }
                    }
                    _ => {
                        return Err(self
                            .syntax(self.pos, "expected '%' or a currency code after the amount"))
                    }
                }
            }
            Some(b) if b.is_ascii_alphabetic() => {
                let word = self.word();
                if word.eq_ignore_ascii_case("free") {
                    Component {
                        negative,
                        basis: Basis::Value,
                        amount: Decimal::ZERO,
                        factor: Decimal::ZERO,
                    }
                } else {
                    return Err(self.syntax(
                        start,
                        format!("expected a duty component{context}, found {word:?}"),
                    ));
                }
            }
            None => {
                return Err(self.syntax(
                    start,
                    format!("expected a duty component{context}, found the end"),
                ))
            }
            Some(_) => {
                return Err(self.syntax(
                    start,
                    format!("expected a duty component{context} (a number or 'free')"),
                ))
            }
        };
        self.components.push(component);
        Ok(())
    }

    /// Reads `digits[.digits]` into an exact decimal without going through
    /// a string parse, enforcing the digit bounds.
    fn number(&mut self) -> Result<Decimal, DutyExprError> {
        let start = self.pos;
        let mut mantissa: i64 = 0;
        let mut int_digits = 0usize;
        while let Some(d) = self.digit() {
            int_digits += 1;
            if int_digits > MAX_INT_DIGITS {
                return Err(self.syntax(
                    start,
                    format!("a number has more than {MAX_INT_DIGITS} integer digits"),
                ));
            }
            mantissa = mantissa * 10 + d;
        }
        let mut decimals = 0usize;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            while let Some(d) = self.digit() {
                decimals += 1;
                if decimals > MAX_DECIMALS {
                    return Err(self.syntax(
                        start,
                        format!("a number has more than {MAX_DECIMALS} decimals"),
                    ));
                }
                mantissa = mantissa * 10 + d;
            }
            if decimals == 0 {
                return Err(self.syntax(self.pos, "expected a digit after the decimal point"));
            }
        }
        // At most 18 digits, so the mantissa fits an i64 and the scale is
        // far below Decimal's limit of 28.
        Ok(Decimal::new(mantissa, decimals as u32))
    }

    /// Reads the currency code and checks it against the regime's.
    fn currency_code(&mut self) -> Result<(), DutyExprError> {
        let start = self.pos;
        let word = self.word();
        // `12 MIN ...` is a forgotten `%`, not a rate in the currency "MIN".
        let is_keyword = word.eq_ignore_ascii_case("min") || word.eq_ignore_ascii_case("max");
        let code: [u8; 3] = match word.as_bytes() {
            &[a, b, c] if !is_keyword && word.bytes().all(|b| b.is_ascii_uppercase()) => [a, b, c],
            _ => {
                return Err(self.syntax(
                    start,
                    "expected '%' or a three-letter currency code in capitals",
                ))
            }
        };
        if word != self.currency {
            return Err(DutyExprError::Currency {
                text: self.text.to_owned(),
                found: word.to_owned(),
                expected: self.currency.to_owned(),
            });
        }
        self.found_currency = Some(code);
        Ok(())
    }

    /// Reads `/unit`, accepting the EU's spellings alongside the UK's.
    fn unit(&mut self) -> Result<DutyUnit, DutyExprError> {
        self.skip_ws();
        if self.peek() != Some(b'/') {
            return Err(self.syntax(self.pos, "expected '/' and a unit after the currency"));
        }
        self.pos += 1;
        self.skip_ws();
        let start = self.pos;
        let unknown = |p: &Self, found: &str| {
            p.syntax(
                start,
                format!(
                    "unknown unit {found:?}; expected kg, 100kg (either may be followed by gross), item, p/st, pc, piece, pair, l, 100l or hl"
                ),
            )
        };
        if self.peek().is_some_and(|b| b.is_ascii_digit()) {
            let digits_start = self.pos;
            while self.digit().is_some() {}
            let digits = &self.text[digits_start..self.pos];
            if digits != "100" {
                return Err(unknown(self, digits));
            }
            self.skip_ws();
            let word = self.word();
            return if word.eq_ignore_ascii_case("kg") {
                Ok(if self.gross() {
                    DutyUnit::GrossKg100
                } else {
                    DutyUnit::Kg100
                })
            } else if word.eq_ignore_ascii_case("l") {
                Ok(DutyUnit::Litre100)
            } else {
                Err(unknown(self, &self.text[start..self.pos]))
            };
        }
        let word = self.word();
        let unit = match word.to_ascii_lowercase().as_str() {
            "kg" if self.gross() => DutyUnit::GrossKg,
            "kg" => DutyUnit::Kg,
            "item" | "pc" | "piece" => DutyUnit::Item,
            "pair" => DutyUnit::Pair,
            "l" => DutyUnit::Litre,
            "hl" => DutyUnit::Litre100,
            "p" => {
                self.skip_ws();
                if self.peek() == Some(b'/') {
                    self.pos += 1;
                    self.skip_ws();
                    if self.word().eq_ignore_ascii_case("st") {
                        return Ok(DutyUnit::Item);
                    }
                }
                return Err(unknown(self, &self.text[start..self.pos]));
            }
            _ => return Err(unknown(self, word)),
        };
        Ok(unit)
    }

    /// Reads the word `gross` after a mass unit if present (`100kg gross`); leaves the position
    /// alone otherwise.
    fn gross(&mut self) -> bool {
        let start = self.pos;
        self.skip_ws();
        if self.word().eq_ignore_ascii_case("gross") {
            true
        } else {
            self.pos = start;
            false
        }
    }

    /// Reads `MIN` or `MAX` if present; leaves the position alone otherwise
    /// so the caller can report the unexpected token where it starts.
    fn keyword(&mut self) -> Option<Keyword> {
        let start = self.pos;
        let word = self.word();
        let keyword = if word.eq_ignore_ascii_case("min") {
            Some(Keyword::Min)
        } else if word.eq_ignore_ascii_case("max") {
            Some(Keyword::Max)
        } else {
            None
        };
        if keyword.is_none() {
            self.pos = start;
        }
        keyword
    }

    /// Reads a run of ASCII letters (possibly empty). Words end at any
    /// non-letter, so `12%MIN` and `MIN3 EUR/kg` need no spaces.
    fn word(&mut self) -> &'a str {
        let text: &'a str = self.text;
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
            self.pos += 1;
        }
        // Only ASCII was consumed, so both ends are char boundaries.
        &text[start..self.pos]
    }

    /// Consumes one ASCII digit; non-ASCII digits are deliberately not
    /// numbers here, as tariff data never uses them.
    fn digit(&mut self) -> Option<i64> {
        let b = self.peek().filter(u8::is_ascii_digit)?;
        self.pos += 1;
        Some(i64::from(b - b'0'))
    }

    /// ASCII whitespace only: a non-breaking space in data is more likely a
    /// copy-paste accident worth reporting than intended layout.
    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    /// Looks at the current byte; `None` doubles as the end-of-text marker.
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Component count as the compact index type; bounded by
    /// `MAX_COMPONENTS`, so the conversion cannot truncate.
    fn len_u8(&self) -> u8 {
        u8::try_from(self.components.len()).unwrap_or(u8::MAX)
    }

    /// Every syntax error carries the whole text so it reads on its own.
    fn syntax(&self, offset: usize, message: impl Into<String>) -> DutyExprError {
        DutyExprError::Syntax {
            text: self.text.to_owned(),
            offset,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("test decimal")
    }

    fn eur(text: &str) -> DutyExpression {
        DutyExpression::parse(text, "EUR").expect("test expression parses")
    }

    fn gbp(text: &str) -> DutyExpression {
        DutyExpression::parse(text, "GBP").expect("test expression parses")
    }

    fn line(value: &str, quantity: &str, mass: Option<&str>, litres: Option<&str>) -> DutyInputs {
        DutyInputs {
            value: d(value),
            quantity: d(quantity),
            net_mass_kg: mass.map(d),
            gross_mass_kg: None,
            litres: litres.map(d),
        }
    }

    fn by_value(value: &str) -> DutyInputs {
        line(value, "1", None, None)
    }

    fn eval(expr: &DutyExpression, inputs: DutyInputs) -> Decimal {
        expr.evaluate(&inputs).expect("evaluates")
    }

    /// Asserts a syntax error at `offset` and returns its message.
    fn syntax_at(text: &str, offset: usize) -> String {
        match DutyExpression::parse(text, "EUR") {
            Err(DutyExprError::Syntax {
                text: t,
                offset: o,
                message,
            }) => {
                assert_eq!(t, text);
                assert_eq!(o, offset, "offset for {text:?}: {message}");
                message
            }
            other => panic!("expected a syntax error for {text:?}, got {other:?}"),
        }
    }

    #[test]
    fn ad_valorem_forms() {
        // 12% of 250.00 = 30
        assert_eq!(eval(&eur("12%"), by_value("250.00")), d("30"));
        // 2.5% of 80 = 2
        assert_eq!(eval(&eur("2.5 %"), by_value("80")), d("2"));
        // 13.8% of 123.45 = 17.0361
        assert_eq!(eval(&eur(" 13.8%\t"), by_value("123.45")), d("17.0361"));
        assert_eq!(eval(&eur("0%"), by_value("1000")), Decimal::ZERO);
        assert_eq!(eval(&eur("free"), by_value("1000")), Decimal::ZERO);
        assert_eq!(eval(&eur("FREE"), by_value("1000")), Decimal::ZERO);
        // Rates above 100% exist (e.g. some agricultural lines): 150% of 10 = 15
        assert_eq!(eval(&eur("150%"), by_value("10")), d("15"));
        assert_eq!(eur("12%").needs(), Needs::default());
    }

    #[test]
    fn free_forms() {
        for text in [
            "0%",
            "free",
            "Free",
            "0.00 %",
            "0 EUR/kg",
            "free + 0%",
            "12% MAX 0 EUR/kg",
        ] {
            let e = eur(text);
            assert!(e.is_free(), "{text}");
            assert_eq!(e.needs(), Needs::default(), "{text}");
            // No mass is given, yet a free rate needs none.
            assert_eq!(eval(&e, by_value("999")), Decimal::ZERO, "{text}");
        }
        for text in ["12%", "0% + 1 EUR/kg", "0% MIN 1 EUR/kg", "0.000001%"] {
            assert!(!eur(text).is_free(), "{text}");
        }
        // A deduction only: always ≤ 0, so always 0.
        assert!(eur("0% - 3%").is_free());
    }

    #[test]
    fn specific_forms() {
        // 3.50 × 12.4 kg = 43.4
        assert_eq!(
            eval(&eur("3.50 EUR/kg"), line("1", "1", Some("12.4"), None)),
            d("43.4")
        );
        // 13 × 250 kg / 100 = 32.5
        let per_100kg = gbp("13 GBP/100kg");
        assert_eq!(
            eval(&per_100kg, line("1", "1", Some("250"), None)),
            d("32.5")
        );
        assert_eq!(gbp("13 GBP / 100 kg"), per_100kg);
        assert_eq!(gbp("13GBP/100KG"), per_100kg);
        // 2 × 7 items = 14, under every spelling of "item"
        for text in [
            "2 EUR/item",
            "2 EUR/p/st",
            "2 EUR / p / st",
            "2 EUR/pc",
            "2 EUR/piece",
        ] {
            let e = eur(text);
            assert_eq!(e, eur("2 EUR/item"), "{text}");
            assert_eq!(eval(&e, line("1", "7", None, None)), d("14"), "{text}");
            assert_eq!(
                e.needs(),
                Needs {
                    quantity: true,
                    ..Needs::default()
                }
            );
        }
        // 1.20 × 3.5 l = 4.2
        assert_eq!(
            eval(&eur("1.20 EUR/l"), line("1", "1", None, Some("3.5"))),
            d("4.2")
        );
        // 0.5 × 4 pairs = 2
        assert_eq!(
            eval(&eur("0.5 EUR/pair"), line("1", "4", None, None)),
            d("2")
        );
        // 8 × 250 l / 100 = 20
        for text in ["8 EUR/100 l", "8 EUR/100l", "8 EUR/hl"] {
            assert_eq!(
                eval(&eur(text), line("1", "1", None, Some("250"))),
                d("20"),
                "{text}"
            );
        }
    }

    #[test]
    fn hundred_kg_divides_mass_by_100() {
        // 20 × 37 kg / 100 = 7.4, against 20 × 37 = 740 per kg
        let inputs = line("0", "1", Some("37"), None);
        assert_eq!(eval(&eur("20 EUR/100kg"), inputs), d("7.4"));
        assert_eq!(eval(&eur("20 EUR/kg"), inputs), d("740"));
        assert_eq!(eval(&eur("0.2 EUR/kg"), inputs), d("7.4"));
    }

    #[test]
    fn compound_sums_components() {
        // 12% of 1000 = 120; 20 × 50 kg / 100 = 10; total 130
        let e = eur("12% + 20 EUR/100kg");
        assert_eq!(eval(&e, line("1000", "1", Some("50"), None)), d("130"));
        assert_eq!(
            e.needs(),
            Needs {
                net_mass: true,
                ..Needs::default()
            }
        );
        // 5% of 200 = 10; + 1 × 3 items = 13; - 0.5 × 2 l = 12
        let e = eur("5% + 1 EUR/item - 0.5 EUR/l");
        assert_eq!(eval(&e, line("200", "3", None, Some("2"))), d("12"));
        assert_eq!(
            e.needs(),
            Needs {
                net_mass: false,
                gross_mass: false,
                quantity: true,
                litres: true
            }
        );
    }

    #[test]
    fn min_clamp() {
        let e = eur("8% MIN 1.5 EUR/pair");
        // 8% of 100 = 8 vs 1.5 × 2 pairs = 3 → 8 (base binds)
        assert_eq!(eval(&e, line("100", "2", None, None)), d("8"));
        // 8% of 20 = 1.6 vs 3 → 3 (MIN binds)
        assert_eq!(eval(&e, line("20", "2", None, None)), d("3"));
        assert_eq!(
            eval(&eur("8% min 1.5 EUR/pair"), line("20", "2", None, None)),
            d("3")
        );
    }

    #[test]
    fn max_clamp() {
        let e = eur("5% MAX 2 EUR/kg");
        // 5% of 1000 = 50 vs 2 × 10 kg = 20 → 20 (MAX binds)
        assert_eq!(eval(&e, line("1000", "1", Some("10"), None)), d("20"));
        // 5% of 100 = 5 vs 20 → 5
        assert_eq!(eval(&e, line("100", "1", Some("10"), None)), d("5"));
        assert_eq!(
            eval(&eur("5%max 2 EUR/kg"), line("1000", "1", Some("10"), None)),
            d("20")
        );
    }

    #[test]
    fn uk_style_min_max_with_deduction() {
        let text = "13.8% MIN 13 GBP/100kg MAX 15 GBP/100kg - 7 GBP/100kg";
        let e = gbp(text);
        assert_eq!(e.to_string(), text);
        assert_eq!(e.text(), text);
        // Per 100 kg: MIN = 13, MAX = 15 - 7 = 8 (the deduction belongs to MAX).
        // Since MIN > MAX, whatever the base, max(base, 13m) ≥ 13m > 8m, so the
        // MAX always binds for a positive mass m (in units of 100 kg):
        //   value 1000, 100 kg: base 138;  MIN 13 → 138;  MAX 8   → 8
        assert_eq!(eval(&e, line("1000", "1", Some("100"), None)), d("8"));
        //   value 10, 100 kg:   base 1.38; MIN 13 → 13;   MAX 8   → 8
        assert_eq!(eval(&e, line("10", "1", Some("100"), None)), d("8"));
        //   value 5000, 250 kg: base 690;  MIN 32.5 → 690; MAX 20 → 20
        assert_eq!(eval(&e, line("5000", "1", Some("250"), None)), d("20"));
        //   value 123.45, 12.5 kg: base 17.0361; MIN 1.625 → 17.0361; MAX 1 → 1
        assert_eq!(eval(&e, line("123.45", "1", Some("12.5"), None)), d("1"));
        //   value 1000, 0 kg:   base 138;  MIN 0 → 138;    MAX 0   → 0
        assert_eq!(eval(&e, line("1000", "1", Some("0"), None)), d("0"));

        // The same shape with a higher MAX, so each clamp gets its turn.
        // MIN = 13 per 100 kg, MAX = 30 - 7 = 23 per 100 kg; mass 100 kg:
        let e = gbp("13.8% MIN 13 GBP/100kg MAX 30 GBP/100kg - 7 GBP/100kg");
        //   value 1000: base 138;  MIN 13 → 138;  MAX 23 → 23   (MAX binds)
        assert_eq!(eval(&e, line("1000", "1", Some("100"), None)), d("23"));
        //   value 100:  base 13.8; MIN 13 → 13.8; MAX 23 → 13.8 (neither binds)
        assert_eq!(eval(&e, line("100", "1", Some("100"), None)), d("13.8"));
        //   value 50:   base 6.9;  MIN 13 → 13;   MAX 23 → 13   (MIN binds)
        assert_eq!(eval(&e, line("50", "1", Some("100"), None)), d("13"));
    }

    #[test]
    fn deductions_never_make_a_negative_duty() {
        // 2 × 10 - 5 × 10 = -30 → 0
        let e = eur("2 EUR/kg - 5 EUR/kg");
        assert_eq!(eval(&e, line("0", "1", Some("10"), None)), Decimal::ZERO);
        // base 5% of 1000 = 50; MAX 1 × 10 - 3 × 10 = -20 → -20 → 0
        let e = eur("5% MAX 1 EUR/kg - 3 EUR/kg");
        assert_eq!(eval(&e, line("1000", "1", Some("10"), None)), Decimal::ZERO);
        // 10% of 100 = 10, - 4 × 2 items = 2 (still positive, kept)
        let e = eur("10% - 4 EUR/item");
        assert_eq!(eval(&e, line("100", "2", None, None)), d("2"));
        assert_eq!(eval(&e, line("10", "2", None, None)), Decimal::ZERO);
    }

    #[test]
    fn missing_inputs() {
        let e = eur("3 EUR/kg");
        assert_eq!(
            e.evaluate(&by_value("10")),
            Err(DutyExprError::MissingInput {
                text: "3 EUR/kg".into(),
                what: "net mass"
            })
        );
        // Needed even when the MIN would not bind: the answer must not
        // depend on which clamp happens to win.
        let e = eur("12% MIN 3 EUR/100kg");
        assert!(matches!(
            e.evaluate(&by_value("1000")),
            Err(DutyExprError::MissingInput {
                what: "net mass",
                ..
            })
        ));
        let e = eur("1 EUR/l");
        let err = e.evaluate(&by_value("10")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "duty expression \"1 EUR/l\" needs the line's volume in litres, which the declaration does not give"
        );
    }

    #[test]
    fn wrong_currency() {
        let err = DutyExpression::parse("12% + 3 GBP/kg", "EUR").unwrap_err();
        assert_eq!(
            err,
            DutyExprError::Currency {
                text: "12% + 3 GBP/kg".into(),
                found: "GBP".into(),
                expected: "EUR".into()
            }
        );
        assert_eq!(
            err.to_string(),
            "duty expression \"12% + 3 GBP/kg\" is in GBP, the regime's currency is EUR"
        );
        // Ad valorem rates carry no currency, so any regime accepts them.
        assert!(DutyExpression::parse("12%", "GBP").is_ok());
    }

    #[test]
    fn syntax_errors_with_offsets() {
        syntax_at("12", 2);
        syntax_at("12%%", 3);
        syntax_at("% 12", 0);
        syntax_at("12% MIN", 7);
        let m = syntax_at("MAX 3 EUR/kg 12%", 0);
        assert!(m.contains("\"MAX\""), "{m}");
        let m = syntax_at("12 EUR/parsec", 7);
        assert!(m.contains("parsec"), "{m}");
        let m = syntax_at("", 0);
        assert!(m.contains("empty"), "{m}");
        syntax_at("   ", 3);
        syntax_at("12% +", 5);
        syntax_at("12% - ", 6);
        syntax_at("- 12%", 0);
        syntax_at("1.%", 2);
        syntax_at(".5%", 0);
        syntax_at("1,5%", 1);
        syntax_at("12% 3%", 4);
        syntax_at("12% MAX 1 EUR/kg MIN 1 EUR/kg", 17);
        syntax_at("12% MIN 1% MIN 2%", 11);
        syntax_at("12% MAX 1% MAX 2%", 11);
        syntax_at("3 eur/kg", 2);
        syntax_at("3 EURO/kg", 2);
        syntax_at("12 MIN 3 EUR/kg", 3);
        syntax_at("3 EUR kg", 6);
        syntax_at("3 EUR/1000kg", 6);
        syntax_at("3 EUR/100g", 6);
        syntax_at("3 EUR/p/sx", 6);
        syntax_at("3 EUR/kgs", 6);
        syntax_at("freedom", 0);
        syntax_at("12% MINIMUM 3%", 4);
        syntax_at("12%\u{a0}", 3);
        syntax_at("12 ％", 3);
        let err = DutyExpression::parse("12%%", "EUR").unwrap_err();
        assert_eq!(
            err.to_string(),
            "duty expression \"12%%\": expected '+', '-', MIN, MAX or the end of the expression at byte 3"
        );
    }

    #[test]
    fn number_bounds() {
        assert!(DutyExpression::parse("123456789012.123456%", "EUR").is_ok());
        syntax_at("1234567890123%", 0);
        syntax_at("1.1234567%", 0);
        syntax_at("5% + 1.1234567%", 5);
    }

    #[test]
    fn component_bound() {
        let sixteen = vec!["1%"; 16].join("+");
        assert!(DutyExpression::parse(&sixteen, "EUR").is_ok());
        let seventeen = vec!["1%"; 17].join("+");
        // 16 components of "1%" plus 16 '+' signs: the 17th starts at 48.
        let m = syntax_at(&seventeen, 48);
        assert!(m.contains("16"), "{m}");
        // The bound spans the whole expression, not one compound.
        let spread = format!(
            "{} MIN {} MAX {}",
            ["1%"; 6].join("+"),
            ["1%"; 6].join("+"),
            ["1%"; 5].join("+")
        );
        assert!(DutyExpression::parse(&spread, "EUR").is_err());
    }

    #[test]
    fn too_long() {
        let ok = format!("1%{}", " ".repeat(254));
        assert_eq!(ok.len(), 256);
        assert!(DutyExpression::parse(&ok, "EUR").is_ok());
        let long = format!("1%{}", " ".repeat(255));
        let err = DutyExpression::parse(&long, "EUR").unwrap_err();
        assert_eq!(err, DutyExprError::TooLong { len: 257, max: 256 });
        assert_eq!(
            err.to_string(),
            "duty expression is 257 bytes long; the limit is 256"
        );
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        let e = eur("200%");
        assert_eq!(
            e.evaluate(&by_value(&Decimal::MAX.to_string())),
            Err(DutyExprError::Overflow {
                text: "200%".into()
            })
        );
        let e = eur("999999999999 EUR/kg + 999999999999 EUR/kg");
        let inputs = DutyInputs {
            value: Decimal::ZERO,
            quantity: Decimal::ONE,
            net_mass_kg: Some(Decimal::MAX),
            gross_mass_kg: None,
            litres: None,
        };
        assert!(matches!(
            e.evaluate(&inputs),
            Err(DutyExprError::Overflow { .. })
        ));
    }

    #[test]
    fn display_is_canonical() {
        let text = "  12 %+20 EUR / 100 KG  min 1.5 EUR/p/st max 3 EUR/hl-1 EUR/ l ";
        let e = eur(text);
        assert_eq!(e.text(), text);
        assert_eq!(
            e.to_string(),
            "12% + 20 EUR/100kg MIN 1.5 EUR/item MAX 3 EUR/100l - 1 EUR/l"
        );
        assert_eq!(eur("free").to_string(), "0%");
        assert_eq!(eur("2.50 EUR/pair").to_string(), "2.50 EUR/pair");
        assert_eq!(eur(&e.to_string()), e);
    }

    #[test]
    fn equality_ignores_spelling_not_meaning() {
        assert_eq!(eur("12%"), eur(" 12 % "));
        assert_ne!(eur("12%"), eur("12% + 0%"));
        assert_ne!(eur("12% MIN 1%"), eur("12% MAX 1%"));
        assert_ne!(eur("1 EUR/kg"), eur("1 EUR/100kg"));
        assert_ne!(eur("1% - 1%"), eur("1% + 1%"));
    }

    #[test]
    fn ad_valorem_constructor() {
        let e = DutyExpression::ad_valorem(d("17.5"));
        assert_eq!(e.text(), "17.5%");
        assert_eq!(e.to_string(), "17.5%");
        assert_eq!(e, eur("17.5%"));
        // 17.5% of 200 = 35
        assert_eq!(eval(&e, by_value("200")), d("35"));
        assert!(!e.is_free());
        assert!(DutyExpression::ad_valorem(Decimal::ZERO).is_free());
        assert!(DutyExpression::ad_valorem(d("-5")).is_free());
        assert_eq!(
            eval(&DutyExpression::ad_valorem(d("-5")), by_value("200")),
            Decimal::ZERO
        );
    }

    // ---- property tests ----

    /// One generated component: its text and what it should mean.
    #[derive(Debug, Clone)]
    struct GenComponent {
        text: String,
        amount: Decimal,
        unit: Option<DutyUnit>,
    }

    fn ws() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec!["", " ", "  ", "\t"])
    }

    fn amount(max_int_digits: u32, max_scale: u32) -> impl Strategy<Value = Decimal> {
        (0..=max_scale).prop_flat_map(move |scale| {
            (0..10i64.pow(max_int_digits + scale)).prop_map(move |m| Decimal::new(m, scale))
        })
    }

    fn component(max_int_digits: u32, max_scale: u32) -> impl Strategy<Value = GenComponent> {
        let units = prop::sample::select(vec![
            ("kg", DutyUnit::Kg),
            ("KG", DutyUnit::Kg),
            ("100kg", DutyUnit::Kg100),
            ("100 kg", DutyUnit::Kg100),
            ("item", DutyUnit::Item),
            ("p/st", DutyUnit::Item),
            ("p / st", DutyUnit::Item),
            ("pc", DutyUnit::Item),
            ("piece", DutyUnit::Item),
            ("pair", DutyUnit::Pair),
            ("l", DutyUnit::Litre),
            ("100l", DutyUnit::Litre100),
            ("100 L", DutyUnit::Litre100),
            ("hl", DutyUnit::Litre100),
        ]);
        prop_oneof![
            (amount(max_int_digits, max_scale), ws()).prop_map(|(a, w)| GenComponent {
                text: format!("{a}{w}%"),
                amount: a,
                unit: None,
            }),
            prop::sample::select(vec!["free", "FREE", "Free"]).prop_map(|t| GenComponent {
                text: t.to_owned(),
                amount: Decimal::ZERO,
                unit: None,
            }),
            (amount(max_int_digits, max_scale), ws(), ws(), ws(), units).prop_map(
                |(a, w1, w2, w3, (spelling, unit))| GenComponent {
                    text: format!("{a}{w1}EUR{w2}/{w3}{spelling}"),
                    amount: a,
                    unit: Some(unit),
                }
            ),
        ]
    }

    /// A compound as (deduction?, component) pairs; the first is never a deduction.
    fn compound(
        max_int_digits: u32,
        max_scale: u32,
    ) -> impl Strategy<Value = Vec<(bool, GenComponent)>> {
        prop::collection::vec((any::<bool>(), component(max_int_digits, max_scale)), 1..=3)
            .prop_map(|mut v| {
                v[0].0 = false;
                v
            })
    }

    type GenCompound = Vec<(bool, GenComponent)>;

    #[derive(Debug, Clone)]
    struct GenExpr {
        text: String,
        base: GenCompound,
        min: Option<GenCompound>,
        max: Option<GenCompound>,
    }

    fn expression(max_int_digits: u32, max_scale: u32) -> impl Strategy<Value = GenExpr> {
        (
            compound(max_int_digits, max_scale),
            prop::option::of(compound(max_int_digits, max_scale)),
            prop::option::of(compound(max_int_digits, max_scale)),
            ws(),
            ws(),
            prop::sample::select(vec!["MIN", "min", "Min"]),
            prop::sample::select(vec!["MAX", "max", "mAx"]),
        )
            .prop_map(|(base, min, max, sep_ws, pad, min_kw, max_kw)| {
                let join = |c: &GenCompound| {
                    let mut s = String::new();
                    for (i, (neg, comp)) in c.iter().enumerate() {
                        if i > 0 {
                            s.push_str(sep_ws);
                            s.push(if *neg { '-' } else { '+' });
                            s.push_str(sep_ws);
                        }
                        s.push_str(&comp.text);
                    }
                    s
                };
                let mut text = format!("{pad}{}", join(&base));
                if let Some(m) = &min {
                    text.push_str(&format!(" {min_kw} {}", join(m)));
                }
                if let Some(m) = &max {
                    text.push_str(&format!(" {max_kw}{pad} {}", join(m)));
                }
                text.push_str(pad);
                GenExpr {
                    text,
                    base,
                    min,
                    max,
                }
            })
    }

    /// A straightforward reading of the rules, written independently of the
    /// evaluator (it divides at the end instead of using precomputed factors).
    fn oracle(e: &GenExpr, inputs: &DutyInputs) -> Decimal {
        let sum = |c: &GenCompound| {
            let mut total = Decimal::ZERO;
            for (neg, comp) in c {
                let term = match comp.unit {
                    None => comp.amount * inputs.value / Decimal::ONE_HUNDRED,
                    Some(DutyUnit::Kg) => comp.amount * inputs.net_mass_kg.unwrap(),
                    Some(DutyUnit::Kg100) => {
                        comp.amount * inputs.net_mass_kg.unwrap() / Decimal::ONE_HUNDRED
                    }
                    Some(DutyUnit::GrossKg) => comp.amount * inputs.gross_mass_kg.unwrap(),
                    Some(DutyUnit::GrossKg100) => {
                        comp.amount * inputs.gross_mass_kg.unwrap() / Decimal::ONE_HUNDRED
                    }
                    Some(DutyUnit::Item | DutyUnit::Pair) => comp.amount * inputs.quantity,
                    Some(DutyUnit::Litre) => comp.amount * inputs.litres.unwrap(),
                    Some(DutyUnit::Litre100) => {
                        comp.amount * inputs.litres.unwrap() / Decimal::ONE_HUNDRED
                    }
                };
                total = if *neg { total - term } else { total + term };
            }
            total
        };
        let mut r = sum(&e.base);
        if let Some(m) = &e.min {
            r = r.max(sum(m));
        }
        if let Some(m) = &e.max {
            r = r.min(sum(m));
        }
        r.max(Decimal::ZERO)
    }

    /// Non-negative decimal below 10^int_digits with at most `max_scale` decimals.
    fn bounded(int_digits: u32, max_scale: u32) -> impl Strategy<Value = Decimal> {
        amount(int_digits, max_scale)
    }

    fn inputs() -> impl Strategy<Value = DutyInputs> {
        (
            prop_oneof![bounded(12, 4), Just(Decimal::new(1_000_000_000_000, 0))],
            1i64..=1_000_000,
            prop::option::of(prop_oneof![bounded(6, 3), Just(Decimal::new(1_000_000, 0))]),
            prop::option::of(bounded(6, 3)),
        )
            .prop_map(|(value, quantity, net_mass_kg, litres)| DutyInputs {
                value,
                quantity: Decimal::from(quantity),
                net_mass_kg,
                gross_mass_kg: net_mass_kg,
                litres,
            })
    }

    fn token_soup() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec![
                "12",
                "0",
                "1.5",
                ".",
                "%",
                "+",
                "-",
                " ",
                "\t",
                "MIN",
                "max",
                "EUR",
                "GBP",
                "/",
                "kg",
                "100",
                "p/st",
                "p",
                "st",
                "l",
                "hl",
                "pair",
                "item",
                "free",
                "é",
                "日本",
                "\u{0}",
                "9999999999999",
                "0.1234567",
            ]),
            0..40,
        )
        .prop_map(|v| v.concat())
    }

    /// Whatever parses must display, re-parse equal, and evaluate safely.
    fn check_parsed(e: &DutyExpression, inputs: &DutyInputs) -> Result<(), TestCaseError> {
        let shown = e.to_string();
        let again = DutyExpression::parse(&shown, "EUR");
        prop_assert_eq!(again.as_ref(), Ok(e), "display {:?}", shown);
        prop_assert_eq!(again.unwrap().to_string(), shown);
        match e.evaluate(inputs) {
            Ok(r) => {
                prop_assert!(r >= Decimal::ZERO);
                if e.is_free() {
                    prop_assert_eq!(r, Decimal::ZERO);
                }
            }
            Err(DutyExprError::MissingInput { what, .. }) => {
                let needs = e.needs();
                prop_assert!(
                    (what == "net mass" && needs.net_mass && inputs.net_mass_kg.is_none())
                        || (what == "volume in litres" && needs.litres && inputs.litres.is_none())
                );
            }
            Err(other) => prop_assert!(false, "unexpected {:?}", other),
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn parse_never_panics_on_any_string(s in any::<String>()) {
            let _ = DutyExpression::parse(&s, "EUR");
        }

        #[test]
        fn parse_never_panics_on_printable_unicode(s in "\\PC{0,300}") {
            let _ = DutyExpression::parse(&s, "EUR");
        }

        #[test]
        fn token_soup_parses_or_errors_cleanly(s in token_soup(), inputs in inputs()) {
            match DutyExpression::parse(&s, "EUR") {
                Ok(e) => {
                    prop_assert_eq!(e.text(), s.as_str());
                    check_parsed(&e, &inputs)?;
                }
                Err(DutyExprError::Syntax { offset, .. }) => prop_assert!(offset <= s.len()),
                Err(DutyExprError::TooLong { len, .. }) => prop_assert!(len > 256),
                Err(DutyExprError::Currency { found, .. }) => prop_assert_eq!(found, "GBP"),
                Err(other) => prop_assert!(false, "unexpected {:?}", other),
            }
        }

        #[test]
        fn generated_expressions_round_trip_and_stay_non_negative(
            g in expression(12, 6),
            inputs in inputs(),
        ) {
            match DutyExpression::parse(&g.text, "EUR") {
                Ok(e) => check_parsed(&e, &inputs)?,
                Err(DutyExprError::TooLong { len, .. }) => prop_assert!(len > 256),
                Err(err) => prop_assert!(false, "{:?} failed: {}", g.text, err),
            }
        }

        #[test]
        fn evaluation_matches_a_plain_reading_of_the_rules(
            g in expression(6, 3),
            inputs in inputs(),
        ) {
            let e = DutyExpression::parse(&g.text, "EUR").unwrap();
            let needs = e.needs();
            let have_all = (!needs.net_mass || inputs.net_mass_kg.is_some())
                && (!needs.litres || inputs.litres.is_some());
            let full = DutyInputs {
                net_mass_kg: Some(inputs.net_mass_kg.unwrap_or(Decimal::ONE)),
                gross_mass_kg: Some(inputs.gross_mass_kg.unwrap_or(Decimal::ONE)),
                litres: Some(inputs.litres.unwrap_or(Decimal::ONE)),
                ..inputs
            };
            if have_all {
                prop_assert_eq!(e.evaluate(&inputs).unwrap(), oracle(&g, &full));
            }
            prop_assert_eq!(e.evaluate(&full).unwrap(), oracle(&g, &full));
        }

        #[test]
        fn evaluate_never_panics_on_extreme_decimals(
            g in expression(12, 6),
            parts in any::<(u32, u32, u32, bool, u32)>(),
            mass_parts in any::<(u32, u32, u32, bool, u32)>(),
        ) {
            let dec = |(lo, mid, hi, neg, scale): (u32, u32, u32, bool, u32)| {
                Decimal::from_parts(lo, mid, hi, neg, scale % 29)
            };
            if let Ok(e) = DutyExpression::parse(&g.text, "EUR") {
                let inputs = DutyInputs {
                    value: dec(parts),
                    quantity: dec(mass_parts),
                    net_mass_kg: Some(dec(mass_parts)),
                    gross_mass_kg: Some(dec(mass_parts)),
                    litres: Some(dec(parts)),
                };
                match e.evaluate(&inputs) {
                    Ok(r) => prop_assert!(r >= Decimal::ZERO),
                    Err(DutyExprError::Overflow { .. }) => {}
                    Err(other) => prop_assert!(false, "unexpected {:?}", other),
                }
            }
        }
    }
}

#[cfg(test)]
mod gross_tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn inputs(net: Option<&str>, gross: Option<&str>) -> DutyInputs {
        DutyInputs {
            value: d("100"),
            quantity: d("1"),
            net_mass_kg: net.map(d),
            gross_mass_kg: gross.map(d),
            litres: None,
        }
    }

    /// CH research note example 4 (ZTG Art. 2): CHF 20 per 100 kg gross on a gross weight
    /// already rounded to 1.3 kg = 0.26.
    #[test]
    fn per_100kg_gross_uses_the_gross_mass() {
        let e = DutyExpression::parse("20 CHF/100kg gross", "CHF").unwrap();
        assert!(e.needs().gross_mass && !e.needs().net_mass);
        assert_eq!(
            e.evaluate(&inputs(Some("9"), Some("1.3"))).unwrap(),
            d("0.26")
        );
        assert_eq!(e.to_string(), "20 CHF/100kg gross");
        assert_eq!(DutyExpression::parse(&e.to_string(), "CHF").unwrap(), e);
        // Spelling variants.
        assert_eq!(
            DutyExpression::parse("20 CHF / 100 kg GROSS", "CHF").unwrap(),
            e
        );
        let per_kg = DutyExpression::parse("1.52 CHF/kg gross", "CHF").unwrap();
        assert_eq!(
            per_kg.evaluate(&inputs(None, Some("2"))).unwrap(),
            d("3.04")
        );
        // Net and gross are different units.
        assert_ne!(DutyExpression::parse("20 CHF/100kg", "CHF").unwrap(), e);
    }

    #[test]
    fn missing_gross_mass_is_named() {
        let e = DutyExpression::parse("152 CHF/100kg gross", "CHF").unwrap();
        match e.evaluate(&inputs(Some("1"), None)) {
            Err(DutyExprError::MissingInput { what, .. }) => assert_eq!(what, "gross mass"),
            other => panic!("{other:?}"),
        }
        // A gross unit followed by MIN/MAX still parses.
        let e = DutyExpression::parse("10% MAX 20 CHF/100kg gross", "CHF").unwrap();
        assert_eq!(e.evaluate(&inputs(None, Some("50"))).unwrap(), d("10"));
    }
}
