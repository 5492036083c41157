//! Surcharges: charges computed as a share of another charge, compiled from the pack's
//! `surcharges` entries (see `docs/regime-format.md`, "Surcharges").

use std::str::FromStr;
use std::sync::Arc;

use rust_decimal::Decimal;

use super::pack::{Charge, RoundingRule, SurchargeFile};
use crate::error::{Error, ErrorCode};
use crate::money::Rounding;
use crate::trace::wire_name;

/// A surcharge ready to apply: its share as an exact fraction and its rounding steps.
#[derive(Debug, Clone)]
pub struct Surcharge {
    /// Multiplied first, so that `22/78` stays exact until the one division.
    pub numerator: Decimal,
    /// Divided last; positive.
    pub denominator: Decimal,
    /// Rounding of each line (`None`: the regime's rounding for the surcharge's kind).
    pub rounding: Option<Rounding>,
    /// Rounding of the sum of the rounded lines.
    pub total_rounding: Option<Rounding>,
    /// Rate text shown on every line, e.g. `10% of duty (IN_SWS)`.
    pub text: Arc<str>,
}

impl Surcharge {
    /// The unrounded surcharge on `base`; `None` on overflow.
    pub fn of(&self, base: Decimal) -> Option<Decimal> {
        crate::exact::mul(base, self.numerator)?.checked_div(self.denominator)
    }
}

fn compile_rounding(rule: Option<&RoundingRule>, path: String) -> Result<Option<Rounding>, Error> {
    rule.map(|r| {
        Rounding::new(r.mode, r.increment.0).ok_or_else(|| {
            Error::at(
                ErrorCode::InvalidPack,
                format!("{path}.increment"),
                "rounding increment must be positive",
            )
        })
    })
    .transpose()
}

/// Validates one `surcharges[i]` entry at `path` and compiles it.
pub(crate) fn compile(s: &SurchargeFile, path: &str) -> Result<Surcharge, Error> {
    let bad =
        |sub: &str, msg: String| Error::at(ErrorCode::InvalidPack, format!("{path}{sub}"), msg);
    // A duty surcharge must exist before the tax base is built, and a tax surcharge is
    // computed on tax lines; a charge computed on the other kind would need the pipeline to
    // run twice, so it is refused rather than computed in the wrong order.
    if s.kind != s.of {
        return Err(bad(
            ".of",
            format!(
                "a {} surcharge must be of {}: surcharges of another kind of charge are not supported",
                wire_name(&s.kind),
                wire_name(&s.kind)
            ),
        ));
    }
    let (numerator, denominator, share) = match (&s.rate, &s.fraction) {
        (Some(rate), None) => {
            if rate.0 < Decimal::ZERO {
                return Err(bad(
                    ".rate",
                    format!("{} is not a percentage of 0 or more", rate.0),
                ));
            }
            (
                rate.0,
                Decimal::ONE_HUNDRED,
                format!("{}%", rate.0.normalize()),
            )
        }
        (None, Some(fraction)) => {
            let parsed = fraction.split_once('/').and_then(|(n, d)| {
                let n = Decimal::from_str(n.trim()).ok()?;
                let d = Decimal::from_str(d.trim()).ok()?;
                (n >= Decimal::ZERO && d > Decimal::ZERO).then_some((n, d))
            });
            let (n, d) = parsed.ok_or_else(|| {
                bad(
                    ".fraction",
                    format!("{fraction:?} is not a fraction \"numerator/denominator\" with a positive denominator"),
                )
            })?;
            (n, d, format!("{}/{}", n.normalize(), d.normalize()))
        }
        _ => {
            return Err(bad(
                "",
                "a surcharge needs exactly one of rate and fraction".into(),
            ))
        }
    };
    if let (Some(from), Some(to)) = (s.from, s.to) {
        if to <= from {
            return Err(bad(".to", format!("{to} is not after from {from}")));
        }
    }
    let of = match s.of {
        Charge::Duty => "duty",
        Charge::Tax => "tax",
    };
    Ok(Surcharge {
        numerator,
        denominator,
        rounding: compile_rounding(s.rounding.as_ref(), format!("{path}.rounding"))?,
        total_rounding: compile_rounding(
            s.total_rounding.as_ref(),
            format!("{path}.total_rounding"),
        )?,
        text: Arc::from(format!("{share} of {of} ({})", s.id)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(json: &str) -> SurchargeFile {
        serde_json::from_str(json).unwrap()
    }

    const PROV: &str = r#""source": "test", "checked": "2026-11-29""#;

    #[test]
    fn fraction_is_exact_multiply_then_divide() {
        let s = compile(
            &file(&format!(
                r#"{{"id": "L", "name": "local", "kind": "tax", "of": "tax", "fraction": "22/78", {PROV}}}"#
            )),
            "s",
        )
        .unwrap();
        // 47,500 × 22 / 78 = 13,397.43…: Customs Answer 1111's line A.
        let v = s.of(Decimal::from(47_500)).unwrap();
        assert_eq!(v.trunc(), Decimal::from(13_397));
        assert_eq!(&*s.text, "22/78 of tax (L)");
        // 78 × 22 / 78 is exactly 22, which dividing first (22/78 = 0.28205…) would miss.
        assert_eq!(s.of(Decimal::from(78)).unwrap(), Decimal::from(22));
    }

    #[test]
    fn rate_is_a_percentage() {
        let s = compile(
            &file(&format!(
                r#"{{"id": "S", "name": "sws", "kind": "duty", "of": "duty", "rate": "10", {PROV}}}"#
            )),
            "s",
        )
        .unwrap();
        assert_eq!(s.of(Decimal::from(100)).unwrap(), Decimal::from(10));
        assert_eq!(&*s.text, "10% of duty (S)");
    }

    #[test]
    fn bad_entries_are_refused_with_a_path() {
        for (json, path) in [
            (r#""kind": "duty", "of": "duty""#, "s"),
            (
                r#""kind": "duty", "of": "duty", "rate": "10", "fraction": "1/2""#,
                "s",
            ),
            (
                r#""kind": "tax", "of": "tax", "fraction": "1/0""#,
                "s.fraction",
            ),
            (
                r#""kind": "tax", "of": "tax", "fraction": "x""#,
                "s.fraction",
            ),
            (r#""kind": "duty", "of": "tax", "rate": "10""#, "s.of"),
            (r#""kind": "duty", "of": "duty", "rate": "-1""#, "s.rate"),
        ] {
            let f = file(&format!(r#"{{"id": "X", "name": "x", {json}, {PROV}}}"#));
            let e = compile(&f, "s").unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidPack, "{json}");
            assert_eq!(e.path.as_deref(), Some(path), "{json}");
        }
    }
}
