//! The duty-expression parser: hand-written recursive descent over bytes, because the grammar
//! is tiny and byte offsets are what the errors report.

use rust_decimal::Decimal;

use super::unit::{Part, Substance};
use super::{Basis, Clamped, DutyExprError, DutyUnit, Kind, Rate, Span, Term, Unit};

/// Most terms in one expression, counted across every nested `min`/`max`: real measures use
/// at most a handful, and the bound keeps evaluation cost predictable.
pub(super) const MAX_TERMS: usize = 16;
/// Deepest nesting of `min(`/`max(`; real schedules nest at most twice, and the bound keeps
/// recursion shallow whatever the input.
const MAX_DEPTH: u8 = 4;
/// Integer digits allowed in an amount; with [`AMOUNT_DECIMALS`] this keeps every mantissa
/// within 21 digits, far from `Decimal`'s 28.
const AMOUNT_DIGITS: usize = 12;
/// Decimal places allowed in an amount: the US raw-sugar rates print cents to seven places
/// (`0.0622005¢/kg` is `0.000622005 USD/kg`).
const AMOUNT_DECIMALS: usize = 9;
/// Integer digits allowed in a unit's multiple (`1000 item`).
const MULTIPLE_DIGITS: usize = 9;
/// Decimal places allowed in a unit's multiple: a US barrel is `158.987294928 l`.
const MULTIPLE_DECIMALS: usize = 9;
/// Digits allowed in each part of a percentage's fraction (`33 1/3%`).
const FRACTION_DIGITS: usize = 6;

/// Which clamp keyword was read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keyword {
    /// Starts the floor compound.
    Min,
    /// Starts the ceiling compound.
    Max,
}

/// The parser's state over one text.
pub(super) struct Parser<'a> {
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
    /// Terms read so far, across all nesting levels.
    terms: usize,
}

impl<'a> Parser<'a> {
    /// A parser for `text` in a regime whose currency is `currency`.
    pub(super) fn new(text: &'a str, currency: &'a str) -> Self {
        Parser {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            currency,
            found_currency: None,
            terms: 0,
        }
    }

    /// Parses the whole text.
    pub(super) fn parse(mut self) -> Result<(Clamped, Option<[u8; 3]>), DutyExprError> {
        self.skip_ws();
        if self.pos == self.bytes.len() {
            return Err(self.syntax(self.pos, "the expression is empty"));
        }
        let root = self.clamped(0)?;
        Ok((root, self.found_currency))
    }

    /// Parses an expression with its clamps. At depth 0 it runs to the end of the text; inside
    /// `min(`/`max(` it stops before a `,` or `)`, which the caller consumes.
    fn clamped(&mut self, depth: u8) -> Result<Clamped, DutyExprError> {
        let mut terms = Vec::with_capacity(2);
        self.compound(&mut terms, "", depth)?;
        let base_end = len_u8(&terms);
        let mut min = None;
        let mut max = None;
        loop {
            self.skip_ws();
            let done = match self.peek() {
                None => depth == 0,
                Some(b',' | b')') => depth > 0,
                Some(_) => false,
            };
            if done {
                return Ok(Clamped {
                    terms,
                    base_end,
                    min,
                    max,
                });
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
                    let start = len_u8(&terms);
                    self.compound(&mut terms, " after MIN", depth)?;
                    min = Some(Span {
                        start,
                        end: len_u8(&terms),
                    });
                }
                Some(Keyword::Max) => {
                    if max.is_some() {
                        return Err(self.syntax(at, "MAX appears twice"));
                    }
                    let start = len_u8(&terms);
                    self.compound(&mut terms, " after MAX", depth)?;
                    max = Some(Span {
                        start,
                        end: len_u8(&terms),
                    });
                }
                None if depth == 0 => {
                    return Err(self.syntax(
                        at,
                        "expected '+', '-', MIN, MAX or the end of the expression",
                    ))
                }
                None => return Err(self.syntax(at, "expected '+', '-', MIN, MAX, ',' or ')'")),
            }
        }
    }

    /// Parses terms joined by `+`/`-`; `context` names what preceded the compound so an error
    /// can say where a term was wanted.
    fn compound(
        &mut self,
        terms: &mut Vec<Term>,
        context: &str,
        depth: u8,
    ) -> Result<(), DutyExprError> {
        terms.push(self.term(false, context, depth)?);
        loop {
            self.skip_ws();
            let negative = match self.peek() {
                Some(b'+') => false,
                Some(b'-') => true,
                _ => return Ok(()),
            };
            self.pos += 1;
            let context = if negative { " after '-'" } else { " after '+'" };
            terms.push(self.term(negative, context, depth)?);
        }
    }

    /// Parses one term; the term bound is checked here, before any work, so oversized input
    /// is rejected as early as possible.
    fn term(&mut self, negative: bool, context: &str, depth: u8) -> Result<Term, DutyExprError> {
        self.skip_ws();
        let start = self.pos;
        if self.terms >= MAX_TERMS {
            return Err(self.syntax(start, format!("more than {MAX_TERMS} components")));
        }
        self.terms += 1;
        let kind = match self.peek() {
            Some(b) if b.is_ascii_digit() => Kind::Rate(self.rate()?),
            Some(b) if b.is_ascii_alphabetic() => {
                let word = self.word();
                let lowest = word.eq_ignore_ascii_case("min");
                if word.eq_ignore_ascii_case("free") {
                    Kind::Rate(Rate {
                        basis: Basis::Value,
                        amount: Decimal::ZERO,
                        factor: Decimal::ZERO,
                        divisor: None,
                        fraction: None,
                    })
                } else if (lowest || word.eq_ignore_ascii_case("max")) && self.opens_call() {
                    let args = self.arguments(start, depth)?;
                    Kind::Call { lowest, args }
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
                    format!(
                        "expected a duty component{context} (a number, 'free', min(…) or max(…))"
                    ),
                ))
            }
        };
        Ok(Term { negative, kind })
    }

    /// Parses `number %` or `number CUR/unit`.
    fn rate(&mut self) -> Result<Rate, DutyExprError> {
        let start = self.pos;
        let amount = self.number(AMOUNT_DIGITS, AMOUNT_DECIMALS)?;
        self.skip_ws();
        match self.peek() {
            Some(b'%') => {
                self.pos += 1;
                if self.qualifier(&["on"]).is_some() {
                    return self.part_rate(amount);
                }
                Ok(Rate {
                    basis: Basis::Value,
                    amount,
                    factor: amount / Decimal::ONE_HUNDRED,
                    divisor: None,
                    fraction: None,
                })
            }
            Some(b) if b.is_ascii_digit() => self.mixed_percentage(start, amount),
            Some(b) if b.is_ascii_alphabetic() => {
                self.currency_code()?;
                let unit = self.unit()?;
                let exact = unit.divides_exactly();
                Ok(Rate {
                    basis: Basis::Unit(unit),
                    amount,
                    // Both bounded (≤ 18 digits, a power of ten ≥ 1): cannot overflow.
                    factor: if exact {
                        amount.checked_div(unit.per).unwrap_or(amount)
                    } else {
                        amount
                    },
                    divisor: (!exact).then_some(unit.per),
                    fraction: None,
                })
            }
            _ => Err(self.syntax(self.pos, "expected '%' or a currency code after the amount")),
        }
    }

    /// Reads the part after `N% on` (`45% on case and strap`): an ad valorem rate on the value
    /// of that part, a measure the declaration does not carry.
    fn part_rate(&mut self, amount: Decimal) -> Result<Rate, DutyExprError> {
        let start = self.pos;
        for (part, name) in Part::NAMES {
            if name.split(' ').all(|w| self.qualifier(&[w]).is_some()) {
                return Ok(Rate {
                    basis: Basis::Unit(Unit {
                        measure: DutyUnit::ValueOf(part),
                        per: Decimal::ONE,
                    }),
                    amount,
                    factor: amount / Decimal::ONE_HUNDRED,
                    divisor: None,
                    fraction: None,
                });
            }
            self.pos = start;
        }
        self.skip_ws();
        Err(self.syntax(
            self.pos,
            "expected a part after '% on': case [and strap], strap, movement [and case], battery, apparatus, rifle, sight, lead content or cost",
        ))
    }

    /// Reads the rest of a percentage written as a mixed number, `33 1/3%`, after its whole
    /// part `whole` (at byte `start`): the US schedule's column 2 uses a third of a hundred.
    fn mixed_percentage(&mut self, start: usize, whole: Decimal) -> Result<Rate, DutyExprError> {
        let expected = "a percentage with a fraction is written whole, space, n/d, % (33 1/3%)";
        if whole.scale() != 0 {
            return Err(self.syntax(start, expected));
        }
        let numerator = self.number(FRACTION_DIGITS, 0)?;
        self.skip_ws();
        if self.peek() != Some(b'/') {
            return Err(self.syntax(self.pos, expected));
        }
        self.pos += 1;
        self.skip_ws();
        if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
            return Err(self.syntax(self.pos, expected));
        }
        let denominator = self.number(FRACTION_DIGITS, 0)?;
        self.skip_ws();
        if self.peek() != Some(b'%') {
            return Err(self.syntax(self.pos, expected));
        }
        self.pos += 1;
        let (Ok(n), Ok(d)) = (
            u32::try_from(numerator.mantissa()),
            u32::try_from(denominator.mantissa()),
        ) else {
            return Err(self.syntax(start, expected));
        };
        if n == 0 || n >= d {
            return Err(self.syntax(
                start,
                "the fraction of a percentage must be above 0 and below 1 (33 1/3%)",
            ));
        }
        // (whole × d + n) / d percent = (whole × d + n) / 100, divided by d after multiplying.
        let numerator = whole * Decimal::from(d) + Decimal::from(n);
        Ok(Rate {
            basis: Basis::Value,
            amount: whole,
            factor: numerator / Decimal::ONE_HUNDRED,
            divisor: Some(Decimal::from(d)),
            fraction: Some((n, d)),
        })
    }

    /// Whether a `(` follows (after whitespace); consumes it if so, otherwise leaves the
    /// position alone.
    fn opens_call(&mut self) -> bool {
        let start = self.pos;
        self.skip_ws();
        if self.peek() == Some(b'(') {
            self.pos += 1;
            true
        } else {
            self.pos = start;
            false
        }
    }

    /// Parses the arguments of `min(`/`max(` after the `(`, through the closing `)`.
    fn arguments(&mut self, start: usize, depth: u8) -> Result<Vec<Clamped>, DutyExprError> {
        if depth + 1 > MAX_DEPTH {
            return Err(self.syntax(
                start,
                format!("min(…) and max(…) nest more than {MAX_DEPTH} deep"),
            ));
        }
        let mut args = Vec::with_capacity(2);
        loop {
            args.push(self.clamped(depth + 1)?);
            // `clamped` stops only before ',' or ')' at depth > 0.
            let close = self.peek() == Some(b')');
            self.pos += 1;
            if close {
                break;
            }
        }
        if args.len() < 2 {
            return Err(self.syntax(start, "min(…) and max(…) need two or more expressions"));
        }
        Ok(args)
    }

    /// Reads `digits[.digits]` into an exact decimal without going through a string parse,
    /// enforcing the digit bounds (whose sum must stay within 18 so the mantissa fits an i64).
    fn number(&mut self, max_int: usize, max_decimals: usize) -> Result<Decimal, DutyExprError> {
        let start = self.pos;
        // i128: 12 integer digits and 9 decimals exceed an i64.
        let mut mantissa: i128 = 0;
        let mut int_digits = 0usize;
        while let Some(d) = self.digit() {
            int_digits += 1;
            if int_digits > max_int {
                return Err(self.syntax(
                    start,
                    format!("a number has more than {max_int} integer digits"),
                ));
            }
            mantissa = mantissa * 10 + d;
        }
        let mut decimals = 0usize;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            while let Some(d) = self.digit() {
                decimals += 1;
                if decimals > max_decimals {
                    return Err(self.syntax(
                        start,
                        format!("a number has more than {max_decimals} decimals"),
                    ));
                }
                mantissa = mantissa * 10 + d;
            }
            if decimals == 0 {
                return Err(self.syntax(self.pos, "expected a digit after the decimal point"));
            }
        }
        // At most 21 digits: within `Decimal`'s 28, so this cannot fail.
        Decimal::try_from_i128_with_scale(mantissa, decimals as u32)
            .map_err(|_| self.syntax(start, "a number is out of range"))
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

    /// Reads `/ [multiple] measure`, accepting the EU's, the UK's and the national schedules'
    /// spellings.
    fn unit(&mut self) -> Result<Unit, DutyExprError> {
        self.skip_ws();
        if self.peek() != Some(b'/') {
            return Err(self.syntax(self.pos, "expected '/' and a unit after the currency"));
        }
        self.pos += 1;
        self.skip_ws();
        let start = self.pos;
        let unknown = |p: &Self| {
            p.syntax(
                start,
                format!(
                    "unknown unit {:?}; expected an optional multiple and kg (or kg gross, kg clean, kg dry), item (or p/st, pc, piece, each, head, no), pair, l (or hl, l alc, pf l), m, m2, m3, carat, jewel or kwh",
                    &p.text[start..p.pos]
                ),
            )
        };
        let mut per = Decimal::ONE;
        if self.peek().is_some_and(|b| b.is_ascii_digit()) {
            per = self.number(MULTIPLE_DIGITS, MULTIPLE_DECIMALS)?;
            if per.is_zero() {
                return Err(self.syntax(start, "a unit's multiple must be above zero"));
            }
            self.skip_ws();
        }
        let word = self.word();
        let measure = match word.to_ascii_lowercase().as_str() {
            "kg" => self.kg_qualifier(),
            "item" | "pc" | "piece" | "each" | "head" | "no" => DutyUnit::Item,
            "pair" => DutyUnit::Pair,
            "l" if self.qualifier(&["alc"]).is_some() => DutyUnit::AlcoholLitre,
            "l" => DutyUnit::Litre,
            "hl" => {
                per *= Decimal::ONE_HUNDRED;
                DutyUnit::Litre
            }
            "pf" if self.qualifier(&["l"]).is_some() => DutyUnit::ProofLitre,
            "m" => match self.peek() {
                Some(b'2') => {
                    self.pos += 1;
                    if self.qualifier(&["recording"]).is_some() {
                        DutyUnit::RecordingM2
                    } else {
                        DutyUnit::SquareMetre
                    }
                }
                Some(b'3') => {
                    self.pos += 1;
                    DutyUnit::CubicMetre
                }
                _ => DutyUnit::Metre,
            },
            "carat" => DutyUnit::Carat,
            "jewel" => self.jewel_qualifier(),
            "container" => DutyUnit::Container,
            "line" => DutyUnit::ButtonLine,
            "kwh" => DutyUnit::Kwh,
            "p" => {
                self.skip_ws();
                if self.peek() != Some(b'/') {
                    return Err(unknown(self));
                }
                self.pos += 1;
                self.skip_ws();
                if !self.word().eq_ignore_ascii_case("st") {
                    return Err(unknown(self));
                }
                DutyUnit::Item
            }
            _ => return Err(unknown(self)),
        };
        Ok(Unit {
            measure,
            per: per.normalize(),
        })
    }

    /// The measure after `kg`: net mass, or a qualified mass (`kg gross`, `kg lead`).
    fn kg_qualifier(&mut self) -> DutyUnit {
        const WORDS: [&str; 6] = ["gross", "clean", "dry", "drained", "sugars", "deg"];
        const PLAIN: [DutyUnit; 6] = [
            DutyUnit::GrossKg,
            DutyUnit::CleanKg,
            DutyUnit::DryKg,
            DutyUnit::DrainedKg,
            DutyUnit::SugarsKg,
            DutyUnit::DegreeKg,
        ];
        if let Some(i) = self.qualifier(&WORDS) {
            return PLAIN.get(i).copied().unwrap_or(DutyUnit::Kg);
        }
        let names = Substance::ALL.map(Substance::as_str);
        match self.qualifier(&names) {
            Some(i) => Substance::ALL
                .get(i)
                .map_or(DutyUnit::Kg, |s| DutyUnit::ContentKg(*s)),
            None => DutyUnit::Kg,
        }
    }

    /// `jewel`, or `jewel over 7` (the jewels beyond the seventh); any other number after
    /// `over` is left unread, so the caller reports it.
    fn jewel_qualifier(&mut self) -> DutyUnit {
        let start = self.pos;
        if self.qualifier(&["over"]).is_some() {
            self.skip_ws();
            if self.peek() == Some(b'7')
                && !self.bytes.get(self.pos + 1).is_some_and(u8::is_ascii_digit)
            {
                self.pos += 1;
                return DutyUnit::JewelOver7;
            }
        }
        self.pos = start;
        DutyUnit::Jewel
    }

    /// Reads one of `words` after whitespace (`100kg gross`), returning its index; leaves the
    /// position alone otherwise.
    fn qualifier(&mut self, words: &[&str]) -> Option<usize> {
        let start = self.pos;
        self.skip_ws();
        let word = self.word();
        let found = words.iter().position(|w| word.eq_ignore_ascii_case(w));
        if found.is_none() {
            self.pos = start;
        }
        found
    }

    /// Reads `MIN` or `MAX` if present; leaves the position alone otherwise so the caller can
    /// report the unexpected token where it starts.
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

    /// Reads a run of ASCII letters (possibly empty). Words end at any non-letter, so `12%MIN`
    /// and `MIN3 EUR/kg` need no spaces.
    fn word(&mut self) -> &'a str {
        let text: &'a str = self.text;
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
            self.pos += 1;
        }
        // Only ASCII was consumed, so both ends are char boundaries.
        &text[start..self.pos]
    }

    /// Consumes one ASCII digit; non-ASCII digits are deliberately not numbers here, as tariff
    /// data never uses them.
    fn digit(&mut self) -> Option<i128> {
        let b = self.peek().filter(u8::is_ascii_digit)?;
        self.pos += 1;
        Some(i128::from(b - b'0'))
    }

    /// ASCII whitespace only: a non-breaking space in data is more likely a copy-paste
    /// accident worth reporting than intended layout.
    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    /// Looks at the current byte; `None` doubles as the end-of-text marker.
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
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

/// Term count as the compact index type; bounded by [`MAX_TERMS`], so the conversion cannot
/// truncate.
fn len_u8(terms: &[Term]) -> u8 {
    u8::try_from(terms.len()).unwrap_or(u8::MAX)
}
