//! Duty expressions: the textual rates of national tariffs, such as `12%`, `3.50 EUR/kg`,
//! `13.8% MIN 13 GBP/100kg MAX 15 GBP/100kg - 7 GBP/100kg` or `min(11.2%, 7.4%)`.
//!
//! Rates arrive as text in regime data files and tariff files, so they are parsed once when a
//! regime is loaded and evaluated many times on the assessment hot path. The parser therefore
//! does all the work that can be done ahead of time (unit scaling, percent-to-fraction, what
//! the line must supply) and evaluation is a handful of checked multiply-adds over small
//! slices, with no allocation.
//!
//! # Grammar
//!
//! ```text
//! expression := compound [ MIN compound ] [ MAX compound ]
//! compound   := term { ('+' | '-') term }
//! term       := number [ digits '/' digits ] '%'          (33 1/3%: a whole and a fraction)
//!             | number '%' 'on' part                     (45% on case: on a part's value)
//!             | 'free'
//!             | number CUR '/' unit
//!             | ('min' | 'max') '(' expression { ',' expression } ')'   (two or more)
//! unit       := [ multiple ] measure
//! multiple   := number                       (> 0, ≤ 9 integer digits, ≤ 9 decimals)
//! measure    := kg [ gross | clean | dry | drained | sugars | deg | substance ]
//!             | item | p/st | pc | piece | each | head | no
//!             | pair | l [ alc ] | hl | pf l | m | m2 [ recording ] | m3 | carat
//!             | jewel [ over 7 ] | kwh | container | line
//! substance  := copper | lead | zinc | tungsten | molybdenum | manganese | silicon
//!             | magnesium | morphine
//! part       := case [ and strap ] | strap | movement [ and case ] | battery | apparatus
//!             | rifle | sight | lead content | cost
//! number     := digits [ '.' digits ]        (≤ 12 integer digits, ≤ 9 decimals)
//! CUR        := three capital ASCII letters, equal to the regime's currency
//! ```
//!
//! ASCII whitespace is allowed anywhere between tokens (but not inside `m2`, `m3`), keywords
//! and unit names are case-insensitive, and the decimal separator is `.` only (a `,` would be
//! ambiguous with thousands separators in source data). `hl` is `100 l`.
//!
//! Evaluation: the first compound is the base; `MIN` raises the result to at least its
//! compound, then `MAX` lowers it to at most its compound, and the result is finally floored
//! at zero because a deduction may never turn a duty into a refund. A `-` after `MAX` belongs
//! to the `MAX` compound, which is how the UK trade-tariff duty calculator reads such measures.
//! `min(…)` / `max(…)` is the lowest / highest of its expressions, each evaluated (and floored)
//! on its own: Japan's "the lower of the WTO and the general rate", the US "whichever is
//! higher".
//!
//! The supplementary measures (`m`, `m2`, `m3`, `carat`, `jewel`, `pf l`, `l alc`,
//! `kg clean`, `kg dry`, `kwh`, and the US schedule's `kg drained`, `kg sugars`, `kg deg`
//! (net kilograms times the polarimeter degrees under 100), `kg lead` and the other
//! substances' content, `m2 recording`, `container`, `line` (button lines), `jewel over 7`,
//! and the value of a part, `% on case`) are read so that every line of a national schedule
//! parses; a declaration carries none of them yet, so evaluating an expression that uses one
//! fails with [`DutyExprError::MissingInput`] naming the measure.

use std::fmt::{self, Write as _};

use rust_decimal::Decimal;

mod parse;
mod unit;

pub use unit::{DutyUnit, Measure, Part, Substance, Unit};

/// Longest accepted text; tariff rates are short, so anything longer is almost certainly
/// corrupt data and bounding it bounds parse time.
const MAX_LEN: usize = crate::limits::MAX_EXPRESSION_BYTES;

/// A parsed duty expression, evaluated against one tariff line.
///
/// Equality compares meaning as written canonically (terms, their amounts, units and the
/// `MIN`/`MAX`/`min()`/`max()` structure), not the original spelling, so an expression equals
/// the re-parse of its [`Display`](fmt::Display) form.
#[derive(Debug, Clone)]
pub struct DutyExpression {
    /// Kept verbatim so errors and audit trails show what the data said.
    text: String,
    /// The currency of the specific components, if there are any; needed to print the
    /// canonical form, which must name it.
    currency: Option<[u8; 3]>,
    /// The whole expression.
    root: Clamped,
    /// Precomputed so callers can check a declaration before evaluating.
    needs: Needs,
    /// Precomputed so free lines cost one branch on the hot path.
    free: bool,
}

impl PartialEq for DutyExpression {
    fn eq(&self, other: &Self) -> bool {
        // `text` is deliberately left out: "13 GBP / 100 kg" and "13 GBP/100kg" are the same
        // rate. The rest is derived from these.
        self.currency == other.currency && self.root == other.root
    }
}

impl Eq for DutyExpression {}

/// What an expression needs from the line besides its value.
///
/// Lets the caller report a missing declaration field before evaluating,
/// and lets it skip asking for facts a rate never uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Needs {
    /// Some component is per kg or a multiple of kg (net).
    pub net_mass: bool,
    /// Some component is per kg or a multiple of kg gross.
    pub gross_mass: bool,
    /// Some component is per item or per pair (or a multiple of them).
    pub quantity: bool,
    /// Some component is per litre or a multiple of litres.
    pub litres: bool,
    /// Some component is charged on a measure no declaration field carries yet (`m2`,
    /// `carat`, …): evaluating the expression fails with
    /// [`DutyExprError::MissingInput`] naming it.
    pub supplementary: Option<DutyUnit>,
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
        /// The missing measure.
        what: Measure,
    },
    /// An intermediate figure left `Decimal`'s range.
    #[error("duty expression {text:?} overflowed while being evaluated")]
    Overflow {
        /// The whole expression.
        text: String,
    },
}

/// What a rate is charged on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Basis {
    /// A percentage of the customs value.
    Value,
    /// An amount per unit (or multiple of a unit) of a measure of the line.
    Unit(Unit),
}

/// One expression: a base compound and its optional clamps.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Clamped {
    /// All terms in order: base, then MIN part, then MAX part. One flat vector keeps
    /// evaluation to a contiguous scan.
    terms: Vec<Term>,
    /// End (exclusive) of the base compound within `terms`.
    base_end: u8,
    /// The MIN compound's range within `terms`.
    min: Option<Span>,
    /// The MAX compound's range within `terms`.
    max: Option<Span>,
}

/// One term of a compound.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    /// Deductions are stored as flags rather than negated amounts so the canonical text can
    /// print them as `- x`.
    negative: bool,
    /// What the term is.
    kind: Kind,
}

/// A rate, or the lowest or highest of several expressions.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// An ad valorem or specific rate.
    Rate(Rate),
    /// `min(…)` when `lowest`, else `max(…)`; at least two arguments.
    Call {
        /// Whether the lowest argument wins.
        lowest: bool,
        /// The expressions compared.
        args: Vec<Clamped>,
    },
}

/// An ad valorem or specific rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rate {
    /// Which measure of the line the factor multiplies.
    basis: Basis,
    /// As written: a percentage, or money per unit. Kept for display.
    amount: Decimal,
    /// The multiplier applied to the basis measure at evaluation time (rate/100, or amount/100
    /// for hundred-fold units), precomputed so the hot path has no division where none is
    /// needed.
    factor: Decimal,
    /// For a multiple that is not a power of ten (a dozen, a barrel) or a percentage with a
    /// fraction, divided by after the multiplication so that no rounded quotient enters the
    /// result.
    divisor: Option<Decimal>,
    /// The fraction of a percentage written as a mixed number (`33 1/3%`: `(1, 3)`), for
    /// display; `amount` holds the whole part.
    fraction: Option<(u32, u32)>,
}

/// A compound's range within a [`Clamped`]'s terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    /// First term of the compound.
    start: u8,
    /// One past the last term.
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
    /// The currency is needed here, not at evaluation, because a rate in a foreign currency is
    /// a data error best reported when the regime loads.
    pub fn parse(text: &str, currency: &str) -> Result<Self, DutyExprError> {
        if text.len() > MAX_LEN {
            return Err(DutyExprError::TooLong {
                len: text.len(),
                max: MAX_LEN,
            });
        }
        let (root, found_currency) = parse::Parser::new(text, currency).parse()?;
        Ok(Self::assemble(text.to_owned(), found_currency, root))
    }

    /// Computes the duty for one line, unrounded and never negative.
    ///
    /// Rounding is left to the caller because regimes round at different points (per line,
    /// per declaration) and to different precisions.
    pub fn evaluate(&self, inputs: &DutyInputs) -> Result<Decimal, DutyExprError> {
        if self.free {
            return Ok(Decimal::ZERO);
        }
        if let Some(unit) = self.needs.supplementary {
            return Err(self.missing(Measure::Supplementary(unit)));
        }
        let measures = Measures {
            value: inputs.value,
            quantity: inputs.quantity,
            mass: if self.needs.net_mass {
                inputs
                    .net_mass_kg
                    .ok_or_else(|| self.missing(Measure::NetMass))?
            } else {
                Decimal::ZERO
            },
            gross: if self.needs.gross_mass {
                inputs
                    .gross_mass_kg
                    .ok_or_else(|| self.missing(Measure::GrossMass))?
            } else {
                Decimal::ZERO
            },
            litres: if self.needs.litres {
                inputs.litres.ok_or_else(|| self.missing(Measure::Litres))?
            } else {
                Decimal::ZERO
            },
        };
        self.root
            .value(&measures)
            .ok_or_else(|| DutyExprError::Overflow {
                text: self.text.clone(),
            })
    }

    /// What the line must supply for [`evaluate`](Self::evaluate) to succeed.
    ///
    /// A free expression needs nothing, since its value cannot depend on the line; this lets
    /// `0 EUR/kg` lines go through without a declared mass.
    pub fn needs(&self) -> Needs {
        self.needs
    }

    /// The text as given to [`parse`](Self::parse), for audit trails.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the expression can only ever yield zero (for non-negative inputs), e.g. `0%`,
    /// `free`, or a `MAX` that is itself zero; lets callers skip collecting facts and report
    /// the line as duty-free.
    pub fn is_free(&self) -> bool {
        self.free
    }

    /// A plain ad valorem rate built without parsing, for flat rates that come from
    /// configuration (gift allowances) rather than tariff text.
    ///
    /// The rate is not bound-checked: a rate with more digits than the grammar allows still
    /// evaluates correctly but its text will not parse back, and a negative rate always yields
    /// zero.
    pub fn ad_valorem(rate_percent: Decimal) -> Self {
        // Dividing by 100 cannot fail, but the checked form keeps this constructor free of any
        // panic path.
        let factor = rate_percent
            .checked_div(Decimal::ONE_HUNDRED)
            .unwrap_or(Decimal::ZERO);
        let term = Term {
            negative: false,
            kind: Kind::Rate(Rate {
                basis: Basis::Value,
                amount: rate_percent,
                factor,
                divisor: None,
                fraction: None,
            }),
        };
        let root = Clamped {
            terms: vec![term],
            base_end: 1,
            min: None,
            max: None,
        };
        Self::assemble(format!("{rate_percent}%"), None, root)
    }

    /// Derives the cached facts from the structure, shared by both constructors so they cannot
    /// disagree.
    fn assemble(text: String, currency: Option<[u8; 3]>, root: Clamped) -> Self {
        let free = !root.can_be_positive();
        let mut needs = Needs::default();
        if !free {
            root.add_needs(&mut needs);
        }
        Self {
            text,
            currency,
            root,
            needs,
            free,
        }
    }

    /// Builds the error off the hot path; the clone happens only on failure.
    fn missing(&self, what: Measure) -> DutyExprError {
        DutyExprError::MissingInput {
            text: self.text.clone(),
            what,
        }
    }
}

impl Clamped {
    /// The terms of one compound.
    fn part(&self, start: u8, end: u8) -> &[Term] {
        self.terms
            .get(usize::from(start)..usize::from(end))
            .unwrap_or(&[])
    }

    /// The base compound, then each clamp's, as spans.
    fn spans(&self) -> impl Iterator<Item = Span> {
        std::iter::once(Span {
            start: 0,
            end: self.base_end,
        })
        .chain(self.min)
        .chain(self.max)
    }

    /// The expression's value, floored at zero; `None` on overflow so the caller builds the
    /// error (and its allocation) only when it happens.
    fn value(&self, m: &Measures) -> Option<Decimal> {
        let mut result = sum(self.part(0, self.base_end), m)?;
        if let Some(span) = self.min {
            let floor = sum(self.part(span.start, span.end), m)?;
            if floor > result {
                result = floor;
            }
        }
        if let Some(span) = self.max {
            let ceiling = sum(self.part(span.start, span.end), m)?;
            if ceiling < result {
                result = ceiling;
            }
        }
        // `>` rather than `max` so a negative zero also becomes plain zero.
        Some(if result > Decimal::ZERO {
            result
        } else {
            Decimal::ZERO
        })
    }

    /// Whether some non-negative inputs give a positive value. With non-negative inputs, a
    /// part with no positive term is ≤ 0; a MAX ≤ 0 forces the result to 0, as do a base and
    /// MIN both ≤ 0.
    fn can_be_positive(&self) -> bool {
        let positive = |span: Span| {
            self.part(span.start, span.end)
                .iter()
                .any(|t| !t.negative && t.kind.can_be_positive())
        };
        let below = positive(Span {
            start: 0,
            end: self.base_end,
        }) || self.min.is_some_and(positive);
        below && self.max.is_none_or(positive)
    }

    /// Records every measure some term is charged on, arguments of `min`/`max` included: the
    /// answer must not depend on which argument or clamp happens to win.
    fn add_needs(&self, needs: &mut Needs) {
        for term in &self.terms {
            match &term.kind {
                Kind::Rate(Rate {
                    basis: Basis::Value,
                    ..
                }) => {}
                Kind::Rate(Rate {
                    basis: Basis::Unit(unit),
                    ..
                }) => match unit.measure {
                    DutyUnit::Kg => needs.net_mass = true,
                    DutyUnit::GrossKg => needs.gross_mass = true,
                    DutyUnit::Item | DutyUnit::Pair => needs.quantity = true,
                    DutyUnit::Litre => needs.litres = true,
                    other => {
                        needs.supplementary.get_or_insert(other);
                    }
                },
                Kind::Call { args, .. } => args.iter().for_each(|a| a.add_needs(needs)),
            }
        }
    }

    /// Prints the canonical text of this expression.
    fn write(&self, f: &mut fmt::Formatter<'_>, currency: Option<&[u8; 3]>) -> fmt::Result {
        for (n, span) in self.spans().enumerate() {
            if n > 0 {
                f.write_str(if Some(span) == self.min {
                    " MIN "
                } else {
                    " MAX "
                })?;
            }
            for (i, t) in self.part(span.start, span.end).iter().enumerate() {
                if i > 0 {
                    f.write_str(if t.negative { " - " } else { " + " })?;
                }
                t.kind.write(f, currency)?;
            }
        }
        Ok(())
    }
}

/// Sums one compound; `None` on overflow.
fn sum(terms: &[Term], m: &Measures) -> Option<Decimal> {
    let mut total = Decimal::ZERO;
    for t in terms {
        let v = t.kind.value(m)?;
        total = if t.negative {
            crate::exact::sub(total, v)?
        } else {
            crate::exact::add(total, v)?
        };
    }
    Some(total)
}

impl Kind {
    /// The term's value; `None` on overflow.
    fn value(&self, m: &Measures) -> Option<Decimal> {
        match self {
            Kind::Rate(rate) => {
                let measure = match rate.basis {
                    Basis::Value => m.value,
                    Basis::Unit(unit) => match unit.measure {
                        DutyUnit::Kg => m.mass,
                        DutyUnit::GrossKg => m.gross,
                        DutyUnit::Item | DutyUnit::Pair => m.quantity,
                        DutyUnit::Litre => m.litres,
                        // Refused before evaluation (`Needs::supplementary`).
                        _ => Decimal::ZERO,
                    },
                };
                // Exact, or `None` (E_OVERFLOW); a divisor that does not divide (a price per
                // dozen) keeps `exact::QUOTIENT_SCALE` places.
                let term = crate::exact::mul(rate.factor, measure)?;
                match rate.divisor {
                    None => Some(term),
                    Some(d) => crate::exact::quotient(term, d),
                }
            }
            Kind::Call { lowest, args } => {
                let mut best: Option<Decimal> = None;
                for arg in args {
                    let v = arg.value(m)?;
                    best = Some(match best {
                        Some(b) if (*lowest && b <= v) || (!*lowest && b >= v) => b,
                        _ => v,
                    });
                }
                Some(best.unwrap_or(Decimal::ZERO))
            }
        }
    }

    /// Whether some non-negative inputs give this term a positive value.
    fn can_be_positive(&self) -> bool {
        match self {
            Kind::Rate(rate) => rate.factor > Decimal::ZERO,
            Kind::Call { lowest: true, args } => args.iter().all(Clamped::can_be_positive),
            Kind::Call {
                lowest: false,
                args,
            } => args.iter().any(Clamped::can_be_positive),
        }
    }

    /// Prints the term canonically.
    fn write(&self, f: &mut fmt::Formatter<'_>, currency: Option<&[u8; 3]>) -> fmt::Result {
        match self {
            Kind::Rate(Rate {
                basis: Basis::Value,
                amount,
                fraction: Some((n, d)),
                ..
            }) => write!(f, "{amount} {n}/{d}%"),
            Kind::Rate(Rate {
                basis: Basis::Value,
                amount,
                ..
            }) => write!(f, "{amount}%"),
            Kind::Rate(Rate {
                basis:
                    Basis::Unit(Unit {
                        measure: DutyUnit::ValueOf(part),
                        ..
                    }),
                amount,
                ..
            }) => write!(f, "{amount}% on {}", part.as_str()),
            Kind::Rate(Rate {
                basis: Basis::Unit(unit),
                amount,
                ..
            }) => {
                write!(f, "{amount} ")?;
                for &b in currency.map_or(&[][..], |c| &c[..]) {
                    f.write_char(char::from(b))?;
                }
                write!(f, "/{unit}")
            }
            Kind::Call { lowest, args } => {
                f.write_str(if *lowest { "min(" } else { "max(" })?;
                for (i, arg) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    arg.write(f, currency)?;
                }
                f.write_str(")")
            }
        }
    }
}

/// Prints the canonical text: single spaces, canonical unit names, capital clamp keywords,
/// lower-case `min(`/`max(`; it parses back to an equal expression (for parsed input).
impl fmt::Display for DutyExpression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.root.write(f, self.currency.as_ref())
    }
}

#[cfg(test)]
mod tests;
