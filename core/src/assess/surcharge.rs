//! Surcharges: charges computed as a share of another charge's lines (India's social welfare
//! surcharge on customs duty, Japan's local consumption tax on the national one).

use rust_decimal::Decimal;

use super::{add, overflow, round, Ctx};
use crate::error::Error;
use crate::money::Rounding;
use crate::regime::pack::{Charge, SimplifiedRateFile, SurchargeFile};
use crate::regime::surcharge::Surcharge;
use crate::result::{DutyBasis, DutyLine, TaxBasis, TaxLine};
use crate::trace::{wire_name, Step};

/// The surcharges of `kind` in force on the assessment date, with their compiled form.
fn in_force<'a>(
    ctx: &Ctx<'a>,
    kind: Charge,
) -> impl Iterator<Item = (&'a SurchargeFile, &'a Surcharge)> + 'a {
    let date = ctx.date;
    let v = ctx.version;
    v.rules
        .surcharges
        .iter()
        .zip(&v.surcharges)
        .filter(move |(f, _)| {
            f.kind == kind && f.from.is_none_or(|d| d <= date) && f.to.is_none_or(|d| date < d)
        })
}

/// One surcharge's lines: per line the unrounded share, the share after line rounding and the
/// amount reported (the last non-zero line carries the total rounding's difference).
struct Shares {
    lines: Vec<(Decimal, Decimal, Decimal)>,
    /// Sum of the line-rounded shares.
    line_sum: Decimal,
    /// The surcharge's total (after `total_rounding`).
    total: Decimal,
}

/// Rounds each share with `line`, then the sum with `total`, so that the lines still add up.
fn shares(s: &Surcharge, regime: Rounding, bases: &[Decimal]) -> Result<Shares, Error> {
    let line = s.rounding.unwrap_or(regime);
    let mut lines = Vec::with_capacity(bases.len());
    let mut line_sum = Decimal::ZERO;
    for &b in bases {
        let unrounded = s.of(b).ok_or_else(overflow)?;
        let amount = round(&line, unrounded)?;
        line_sum = add(line_sum, amount)?;
        lines.push((unrounded, amount, amount));
    }
    let mut total = line_sum;
    if let Some(rule) = s.total_rounding {
        total = round(&rule, line_sum)?;
        if let Some(last) = lines.iter_mut().rev().find(|l| !l.1.is_zero()) {
            last.2 = add(last.2, total - line_sum)?;
        }
    }
    Ok(Shares {
        lines,
        line_sum,
        total,
    })
}

/// Whether the simplified rate that priced a line exempts it from this surcharge.
fn exempt_rate(
    f: &SurchargeFile,
    basis: DutyBasis,
    simplified: Option<&SimplifiedRateFile>,
) -> bool {
    basis == DutyBasis::SimplifiedRate
        && simplified.is_some_and(|r| r.without_surcharges.contains(&f.id))
}

fn applies_to(f: &SurchargeFile, basis: &str) -> bool {
    f.bases
        .as_ref()
        .is_none_or(|b| b.iter().any(|x| x == basis))
}

/// Duty-kind surcharges on the (rounded) duty lines. Returns the new lines (basis
/// `surcharge`) and their total; surcharges are never computed on other surcharges.
pub(crate) fn on_duty(
    ctx: &Ctx<'_>,
    lines: &[DutyLine],
    simplified: Option<&SimplifiedRateFile>,
) -> Result<(Vec<DutyLine>, Decimal), Error> {
    let mut added = Vec::new();
    let mut total = Decimal::ZERO;
    for (f, s) in in_force(ctx, Charge::Duty) {
        let of: Vec<&DutyLine> = lines
            .iter()
            .filter(|l| {
                l.basis != DutyBasis::Surcharge
                    && !l.amount.0.is_zero()
                    && applies_to(f, l.basis.as_str())
                    && !exempt_rate(f, l.basis, simplified)
            })
            .collect();
        let bases: Vec<Decimal> = of.iter().map(|l| l.amount.0).collect();
        let shares = shares(s, ctx.version.rounding.duty, &bases)?;
        trace(ctx, f, s, &bases, &shares);
        let sum = shares.total;
        for (l, (_, _, amount)) in of.iter().zip(shares.lines) {
            added.push(DutyLine {
                item: l.item,
                hs_code: l.hs_code.clone(),
                rate: crate::per_thread::text(&s.text),
                base: l.amount,
                amount: ctx.out(amount),
                basis: DutyBasis::Surcharge,
                tariff: None,
            });
        }
        total = add(total, sum)?;
    }
    Ok((added, total))
}

/// Tax-kind surcharges on the (rounded) tax lines. Returns the new lines (kind = the
/// surcharge's id, charged where the line it is computed on is charged) and their total.
pub(crate) fn on_tax(ctx: &Ctx<'_>, lines: &[TaxLine]) -> Result<(Vec<TaxLine>, Decimal), Error> {
    let mut added = Vec::new();
    let mut total = Decimal::ZERO;
    for (f, s) in in_force(ctx, Charge::Tax) {
        let of: Vec<&TaxLine> = lines
            .iter()
            .filter(|l| {
                l.basis != Some(TaxBasis::Surcharge)
                    && !l.amount.0.is_zero()
                    && applies_to(f, l.charged.as_str())
            })
            .collect();
        let bases: Vec<Decimal> = of.iter().map(|l| l.amount.0).collect();
        let shares = shares(s, ctx.version.rounding.tax, &bases)?;
        trace(ctx, f, s, &bases, &shares);
        let sum = shares.total;
        let (kind, rate) = (
            crate::declaration::Text::from(f.id.as_str()),
            crate::declaration::Text::from(&*s.text),
        );
        for (l, (_, _, amount)) in of.iter().zip(shares.lines) {
            added.push(TaxLine {
                kind: kind.clone(),
                rate: rate.clone(),
                base: l.amount,
                amount: ctx.out(amount),
                charged: l.charged,
                items: l.items.clone(),
                basis: Some(TaxBasis::Surcharge),
            });
        }
        total = add(total, sum)?;
    }
    Ok((added, total))
}

fn trace(ctx: &Ctx<'_>, f: &SurchargeFile, s: &Surcharge, bases: &[Decimal], shares: &Shares) {
    ctx.tracer.step(Step::Surcharge, || {
        let lines = bases
            .iter()
            .zip(&shares.lines)
            .map(|(b, (u, r, _))| {
                format!(
                    "{b} × {}/{} = {} → {r}",
                    s.numerator,
                    s.denominator,
                    u.round_dp(6).normalize()
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        let (line_sum, sum) = (shares.line_sum, shares.total);
        (
            ctx.rule(&format!("surcharges.{}", f.id)),
            f.source.clone(),
            if bases.is_empty() {
                format!(
                    "{} ({}): no {} line to compute it on",
                    f.name,
                    s.text,
                    wire_name(&f.of)
                )
            } else {
                format!(
                    "{} ({}): {lines}; total {sum}{}",
                    f.name,
                    s.text,
                    if s.total_rounding.is_some() && sum != line_sum {
                        format!(
                            " (the lines' {line_sum} rounded by total_rounding; the last line carries {})",
                            sum - line_sum
                        )
                    } else {
                        String::new()
                    }
                )
            },
        )
    });
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::{AssessOptions, Engine};

    // The reference packs' own surcharges are tested by their vectors; these tests pin the
    // mechanism on known figures, on the EU pack with surcharges added.
    use crate::assess::pipeline_tests::eu_with;

    /// A FR consignment of one T-shirt worth 200 + 10 shipping: customs value 210, above the
    /// EU's duty de minimis, so 12 % duty = 25.20 and 20 % VAT.
    fn decl() -> String {
        json!({
            "id": "t", "date": "2025-05-01", "destination": "FR", "currency": "EUR",
            "items": [{"description": "T-shirt", "hs_code": "610910", "quantity": 1, "value": "200.00", "origin": "CN"}],
            "shipping": "10.00",
            "seller": {"name": "S", "country": "CN"},
            "consignee": {"name": "C", "country": "FR", "address": {"line1": "1 rue", "city": "Paris", "postcode": "75001", "country": "FR"}}
        })
        .to_string()
    }

    fn surcharges() -> Value {
        json!([
            {"id": "DUTY_10", "name": "duty surcharge", "kind": "duty", "of": "duty", "rate": "10",
             "bases": ["tariff"], "source": "t", "checked": "2026-11-29"},
            {"id": "LOCAL", "name": "local tax", "kind": "tax", "of": "tax", "fraction": "22/78",
             "rounding": {"mode": "down", "increment": "1", "source": "t", "checked": "2026-11-29"},
             "total_rounding": {"mode": "down", "increment": "10", "source": "t", "checked": "2026-11-29"},
             "source": "t", "checked": "2026-11-29"}
        ])
    }

    #[test]
    fn duty_surcharge_enters_the_tax_base_and_tax_surcharge_the_tax_total() {
        let e = eu_with(|v| v["surcharges"] = surcharges());
        let r = e.assess_json(&decl(), &AssessOptions::traced()).unwrap();
        assert_eq!(r.duties.len(), 2);
        assert_eq!(r.duties[1].basis, crate::result::DutyBasis::Surcharge);
        assert_eq!(&*r.duties[1].rate, "10% of duty (DUTY_10)");
        assert_eq!(r.duties[1].base.to_string(), "25.20");
        assert_eq!(r.duties[1].amount.to_string(), "2.52");
        assert_eq!(r.duty_total.to_string(), "27.72");
        // VAT 20 % of 210 + 27.72 = 47.544 → 47.54.
        assert_eq!(r.taxes[0].base.to_string(), "237.72");
        assert_eq!(r.taxes[0].amount.to_string(), "47.54");
        // 47.54 × 22 / 78 = 13.408…, down to 13, total down to 10.
        assert_eq!(&*r.taxes[1].kind, "LOCAL");
        assert_eq!(r.taxes[1].amount.to_string(), "10.00");
        assert_eq!(r.tax_total.to_string(), "57.54");
        assert!(r
            .trace
            .iter()
            .flatten()
            .any(|t| t.step == crate::trace::Step::Surcharge
                && t.rule.ends_with("surcharges.LOCAL")
                && t.detail.contains("47.54 × 22/78")));
    }

    #[test]
    fn surcharges_respect_their_dates_and_bases() {
        let e = eu_with(|v| {
            let mut s = surcharges();
            s[0]["from"] = json!("2025-06-01");
            s[1]["bases"] = json!(["at_sale"]);
            v["surcharges"] = s;
        });
        let r = e.assess_json(&decl(), &AssessOptions::default()).unwrap();
        assert_eq!(r.duty_total.to_string(), "25.20");
        assert_eq!(r.taxes.len(), 1);
        assert_eq!(r.tax_total.to_string(), "47.04");
    }

    #[test]
    fn tax_base_rounding_applies_to_duty_and_tax_bases() {
        let e = eu_with(|v| {
            v["rounding"]["tax_base"] =
                json!({"mode": "down", "increment": "100", "source": "t", "checked": "2026-11-29"});
        });
        let r = e.assess_json(&decl(), &AssessOptions::default()).unwrap();
        // Duty 12 % of 200 (210 truncated); VAT 20 % of 200 (210 + 24 = 234 truncated).
        assert_eq!(r.duties[0].base.to_string(), "200.00");
        assert_eq!(r.duty_total.to_string(), "24.00");
        assert_eq!(r.taxes[0].base.to_string(), "200.00");
        assert_eq!(r.tax_total.to_string(), "40.00");
    }

    #[test]
    fn a_surcharge_of_the_other_charge_is_refused_at_load() {
        let mut pack: Value =
            serde_json::from_str(include_str!("../../../regimes/EU/pack.json")).unwrap();
        pack["versions"][0]["surcharges"] = json!([{"id": "X", "name": "x", "kind": "duty", "of": "tax",
            "rate": "1", "source": "t", "checked": "2026-11-29"}]);
        let e = Engine::builder()
            .regime_json(pack.to_string())
            .build()
            .unwrap_err();
        assert_eq!(e.code, crate::ErrorCode::InvalidPack);
        assert_eq!(
            e.path.as_deref(),
            Some("pack[0].versions[0].surcharges[0].of")
        );
    }
}

#[cfg(test)]
mod consignment_duty_tests {
    use serde_json::{json, Value};

    use crate::{AssessOptions, Engine};

    /// With duty rounded per consignment, the import tax base takes each line's own rounded
    /// duty, not the difference the total carried onto the last line (Customs Answer 1111:
    /// 143,858 = 126,258 + 17,600 although the duty total is 92,400).
    #[test]
    fn tax_base_takes_each_lines_own_rounded_duty() {
        let mut pack: Value =
            serde_json::from_str(include_str!("../../../regimes/EU/pack.json")).unwrap();
        for v in pack["versions"].as_array_mut().unwrap() {
            v["rounding"]["duty"] = json!({"mode": "down", "increment": "1", "scope": "consignment",
                "source": "t", "checked": "2026-11-29"});
        }
        let e = Engine::builder()
            .regime_json(pack.to_string())
            .build()
            .unwrap();
        let d = json!({
            "id": "t", "date": "2025-05-01", "destination": "FR", "currency": "EUR",
            "items": [
                {"description": "a", "hs_code": "610910", "quantity": 1, "value": "105.50", "origin": "CN"},
                {"description": "b", "hs_code": "610910", "quantity": 1, "value": "105.50", "origin": "CN"}
            ],
            "seller": {"name": "S", "country": "CN"},
            "consignee": {"name": "C", "country": "FR", "address": {"line1": "1", "city": "P", "postcode": "75001", "country": "FR"}}
        });
        let r = e
            .assess_json(&d.to_string(), &AssessOptions::default())
            .unwrap();
        // 12 % of 105.50 = 12.66 per line → 12 each; total 25.32 → 25, line b shows 13.
        assert_eq!(r.duty_total.to_string(), "25.00");
        assert_eq!(r.duties[1].amount.to_string(), "13.00");
        // VAT 20 % on 105.50 + 12 for both lines = 235.00 → 47.00 (not 236.00 → 47.20).
        assert_eq!(r.taxes[0].base.to_string(), "235.00");
        assert_eq!(r.tax_total.to_string(), "47.00");
    }
}
