//! Customs duty: each line priced by the rule [`line_rule`] picks for it (a relief, the flat
//! duty, a simplified rate, the gift flat rate or the tariff), then the consignment's steps:
//! the flat duty per subheading, a simplified rate's deduction, additional duties by origin,
//! rounding, surcharges and the minimum collectable.

use std::cell::Cell;
use std::sync::Arc;

use rust_decimal::Decimal;

use super::collection::Chosen;
use super::relief::{line_rule, DutyReliefs, LineRule};
use super::{add, percent_of, round, threshold, Ctx};
use crate::declaration::{Item, Nature};
use crate::error::{Error, ErrorCode};
use crate::regime::pack::{
    Charge, FlatDutyFile, FlatDutyPer, GiftFlatRate, RoundingScope, SchemeFile, SimplifiedRateFile,
};
use crate::result::{DeMinimisOutcome, DutyBasis, DutyLine};
use crate::trace::Step;

/// The duty side of an assessment.
pub(crate) struct DutyOutcome<'a> {
    pub lines: Vec<DutyLine>,
    pub total: Decimal,
    pub de_minimis: DeMinimisOutcome,
    /// The reliefs the lines were priced under (the gift relief and a simplified rate also
    /// concern the tax).
    pub reliefs: DutyReliefs<'a>,
    /// Each item's duty as the import tax base adds it: its own rounded duty, without the
    /// difference a consignment-scope total carried onto it (Japan's consumption-tax base adds
    /// each line's duty after rounding, Customs Answer 1111).
    pub item_duty: Vec<Decimal>,
}

impl DutyOutcome<'_> {
    /// An outcome with no lines and no relief, for [`assess`] to fill.
    pub fn new() -> Self {
        DutyOutcome {
            lines: Vec::new(),
            total: Decimal::ZERO,
            de_minimis: DeMinimisOutcome::none(),
            reliefs: DutyReliefs::none(),
            item_duty: Vec::new(),
        }
    }

    /// Drops the vectors, those moved on (empty) without a drop call
    /// ([`super::spare::drop_vec`]), and leaves the outcome holding nothing to free: its
    /// other fields are figures and borrows, so that the pipeline forgets it rather than run
    /// its drop glue. Always inlined, and by reference: moved into a call, even an inlined
    /// one, the outcome (some 280 bytes) was copied first (issue 16).
    #[inline(always)]
    pub fn dispose(&mut self) {
        // `assess::run` forgets the outcome after this: its other parts must own no memory,
        // or it would leak (the gift relief's other fields are figures and borrows too).
        const _: () = assert!(
            !std::mem::needs_drop::<DeMinimisOutcome>()
                && !std::mem::needs_drop::<super::threshold::Active<'static>>()
        );
        super::spare::drop_vec(std::mem::take(&mut self.lines));
        super::spare::drop_vec(std::mem::take(&mut self.item_duty));
        if let Some(gift) = self.reliefs.gift.as_mut() {
            super::spare::drop_vec(std::mem::take(&mut gift.allowance));
        }
    }
}

/// Prices every line's duty and totals it, into `out` (a [`DutyOutcome::new`]): filled where
/// the pipeline keeps it, where returned through a `Result` it was copied twice (some 280
/// bytes) and its reliefs and de minimis more on their way into it.
pub(crate) fn assess<'a>(
    ctx: &Ctx<'a>,
    chosen: &Chosen<'a>,
    documents_only: bool,
    out: &mut DutyOutcome<'a>,
) -> Result<(), Error> {
    threshold::for_charge(
        ctx,
        ctx.version.rules.de_minimis.duty.as_ref(),
        "the duty de minimis",
        &mut out.reliefs.threshold,
        &mut out.de_minimis,
    )?;
    let traced = out.reliefs.threshold.as_ref().map(|a| a.threshold);
    super::relief::decide(ctx, chosen, documents_only, &mut out.reliefs)?;
    let reliefs = &out.reliefs;
    // One duty line per item in most consignments: allocated once (or reused, [`Ctx::spare`]).
    let mut lines = ctx.spare.duties.take();
    lines.reserve(ctx.decl.items.len());
    let kept = KEPT.try_with(Cell::take).unwrap_or_default();
    let mut priced = Priced {
        lines,
        flat_items: recycled(kept.flat_items),
        simplified: kept.simplified,
        from_tariff: kept.from_tariff,
        de_minimis_applied: false,
    };
    for (i, item) in ctx.decl.items.iter().enumerate() {
        if item.nature != Nature::Document {
            let rule = line_rule(ctx, reliefs, item, &ctx.values.lines[i]);
            priced.line(ctx, reliefs, i, item, rule)?;
        }
    }
    out.de_minimis.applies = priced.de_minimis_applied;
    let mut lines = priced.finish(ctx, reliefs)?;
    let (total, carried) = round_lines(ctx, &mut lines)?;
    // Surcharges are computed on the rounded duty, and a minimum collectable looks at the
    // duty the consignment owes in all.
    let (surcharges, surcharged) = super::surcharge::on_duty(ctx, &lines, reliefs.simplified)?;
    lines.extend(surcharges);
    let total = add(total, surcharged)?;
    let total = apply_minimum(ctx, &mut lines, total)?;
    // The vectors replaced are the empty ones of `DutyOutcome::new`: no drop call.
    super::spare::drop_vec(std::mem::replace(
        &mut out.item_duty,
        item_duty(ctx, &lines, carried)?,
    ));
    super::spare::drop_vec(std::mem::replace(&mut out.lines, lines));
    out.total = total;
    if !documents_only {
        threshold::trace_de_minimis(ctx, "duty", traced, &out.de_minimis);
    }
    Ok(())
}

/// One line's duty before rounding.
struct LineDuty {
    /// Text of the rate applied.
    rate: Arc<str>,
    /// The value the rate applied to, as reported.
    base: Decimal,
    amount: Decimal,
    basis: DutyBasis,
    /// The tariff file's revision and line, for a line priced from one.
    tariff: Option<crate::result::TariffCitation>,
}

/// The working vectors of [`Priced`], emptied, as the thread's last assessment left them.
#[derive(Default)]
struct Kept {
    flat_items: Vec<FlatGroup<'static>>,
    simplified: Vec<usize>,
    from_tariff: Vec<usize>,
}

thread_local! {
    /// This thread's [`Kept`] vectors (one access to take them all, one to give them back).
    static KEPT: Cell<Kept> = const {
        Cell::new(Kept {
            flat_items: Vec::new(),
            simplified: Vec::new(),
            from_tariff: Vec::new(),
        })
    };
}

/// An empty vector of `U` in the allocation of the empty `v`: the standard library collects a
/// vector's `into_iter` into one of a type of the same size and alignment in place, so that
/// the flat-duty groups' vector, which borrows from the declaration, is kept by the thread
/// (as groups of `'static`, empty) from one assessment to the next. Where it did not, this
/// would allocate as before.
fn recycled<T, U>(v: Vec<T>) -> Vec<U> {
    v.into_iter().filter_map(|_| None).collect()
}

/// The lines priced so far, and what the consignment's steps after them need (the vectors
/// kept by the thread from one assessment to the next, [`Kept`]: each record that had any
/// allocated one, 0.63 allocations a generated EU record).
struct Priced<'d> {
    lines: Vec<DutyLine>,
    /// Under the flat duty: each item it covers, with its customs value; grouped per
    /// subheading or per declaration line in `finish`, in place.
    flat_items: Vec<FlatGroup<'d>>,
    /// Indices in `lines` of the lines a simplified rate priced (its deduction is shared
    /// over them).
    simplified: Vec<usize>,
    /// Items whose duty comes from the tariff (or from a duty replacing it): the ones
    /// additional duties by origin are charged on.
    from_tariff: Vec<usize>,
    de_minimis_applied: bool,
}

impl<'d> Priced<'d> {
    /// Prices item `i` under `rule`.
    fn line(
        &mut self,
        ctx: &Ctx<'_>,
        reliefs: &DutyReliefs<'_>,
        i: usize,
        item: &'d Item,
        rule: LineRule<'_>,
    ) -> Result<(), Error> {
        let customs = match &reliefs.gift {
            Some(g) if g.allowance_on(Charge::Duty) => {
                (ctx.values.lines[i].customs - g.allowance[i]).max(Decimal::ZERO)
            }
            _ => ctx.values.lines[i].customs,
        };
        let texts = &ctx.version.texts;
        let hs = item.hs_code.as_deref();
        let duty = match rule {
            LineRule::GiftRelief => relieved(
                self.relief_text(&texts.relief_gift, DutyBasis::GiftRelief),
                customs,
                DutyBasis::GiftRelief,
            ),
            LineRule::DeMinimis => {
                self.de_minimis_applied = true;
                relieved(
                    self.relief_text(&texts.relief_de_minimis, DutyBasis::DeMinimis),
                    customs,
                    DutyBasis::DeMinimis,
                )
            }
            LineRule::Scheme(scheme) => scheme_relief(ctx, scheme, i, customs),
            LineRule::Flat => {
                if let Some(code) = hs {
                    self.flat_items.push(FlatGroup {
                        code,
                        first: i,
                        item,
                        customs,
                    });
                }
                return Ok(());
            }
            LineRule::Simplified(rate) => {
                self.simplified.push(self.lines.len());
                simplified_duty(ctx, rate, i, hs, customs)?
            }
            LineRule::GiftFlatRate(flat) => gift_flat_duty(ctx, flat, hs, customs)?,
            LineRule::Tariff => {
                self.from_tariff.push(i);
                if super::additional::replaces_tariff(ctx, i)? {
                    return Ok(());
                }
                let priced = super::tariff::duty(ctx, i, item, customs)?;
                LineDuty {
                    rate: priced.rate,
                    base: priced.base,
                    amount: priced.amount,
                    basis: DutyBasis::Tariff,
                    tariff: priced.citation,
                }
            }
        };
        self.lines.push(DutyLine {
            item: i,
            hs_code: item.hs_code.clone(),
            rate: duty.rate,
            base: ctx.out(duty.base),
            amount: ctx.out(duty.amount),
            basis: duty.basis,
            tariff: duty.tariff,
        });
        Ok(())
    }

    /// This thread's copy of a relief's text ([`crate::per_thread::text`]): the line before's,
    /// when the same relief priced it (every line of a relieved consignment), without
    /// looking it up again.
    fn relief_text(&self, text: &Arc<str>, basis: DutyBasis) -> Arc<str> {
        match self.lines.last() {
            Some(l) if l.basis == basis => Arc::clone(&l.rate),
            _ => crate::per_thread::text(text),
        }
    }

    /// The consignment's steps on the priced lines: one flat duty per subheading, a simplified
    /// rate's deduction, the additional duties by origin. Returns the lines in item order.
    fn finish(self, ctx: &Ctx<'_>, reliefs: &DutyReliefs<'_>) -> Result<Vec<DutyLine>, Error> {
        let mut lines = self.lines;
        let mut groups = self.flat_items;
        if let Some(flat) = reliefs.flat {
            let per = flat_per(ctx, flat, &mut groups)?;
            lines.extend(flat_lines(ctx, flat, per, groups.drain(..)));
            crate::sort::sort_by_key(&mut lines, |l| l.item);
        }
        if let Some(rate) = reliefs.simplified {
            deduct(ctx, rate, &mut lines, &self.simplified)?;
        }
        let extra = super::additional::assess(ctx, &self.from_tariff)?;
        let (mut simplified, mut from_tariff) = (self.simplified, self.from_tariff);
        groups.clear();
        simplified.clear();
        from_tariff.clear();
        let _ = KEPT.try_with(|k| {
            k.set(Kept {
                flat_items: recycled(groups),
                simplified,
                from_tariff,
            })
        });
        if !extra.is_empty() {
            lines.extend(extra);
            // Stable: each item's tariff line stays ahead of the duties added to it.
            crate::sort::sort_by_key(&mut lines, |l| l.item);
        }
        Ok(lines)
    }
}

/// A line a relief leaves free of duty.
fn relieved(rate: Arc<str>, customs: Decimal, basis: DutyBasis) -> LineDuty {
    LineDuty {
        rate,
        base: customs,
        amount: Decimal::ZERO,
        basis,
        tariff: None,
    }
}

/// A line the collection scheme relieves of duty.
fn scheme_relief(ctx: &Ctx<'_>, scheme: &SchemeFile, i: usize, customs: Decimal) -> LineDuty {
    ctx.tracer.step(Step::Duty, || {
        (
            ctx.rule(&format!("schemes.{}", scheme.id)),
            scheme.source.clone(),
            format!(
                "item {i}: goods under {} are relieved of customs duty",
                scheme.id
            ),
        )
    });
    relieved(
        Arc::from(format!("relieved ({})", scheme.id)),
        customs,
        DutyBasis::Scheme,
    )
}

/// A line priced by a simplified rate: the rate for its goods on its customs value.
fn simplified_duty(
    ctx: &Ctx<'_>,
    rule: &SimplifiedRateFile,
    i: usize,
    hs: Option<&str>,
    customs: Decimal,
) -> Result<LineDuty, Error> {
    let rate = super::simplified::line_rate(rule, i, hs)?;
    let amount = percent_of(customs, rate)?;
    ctx.tracer.step(Step::Duty, || {
        (
            ctx.rule(&format!("simplified_rates.{}", rule.id)),
            rule.source.clone(),
            format!(
                "item {i}: {}% of customs value {customs} = {amount}",
                rate.normalize()
            ),
        )
    });
    Ok(LineDuty {
        rate: Arc::from(format!("{}% ({})", rate.normalize(), rule.id)),
        base: customs,
        amount,
        basis: DutyBasis::SimplifiedRate,
        tariff: None,
    })
}

/// A gift above the relief priced at the gift flat rate.
fn gift_flat_duty(
    ctx: &Ctx<'_>,
    flat: &GiftFlatRate,
    hs: Option<&str>,
    customs: Decimal,
) -> Result<LineDuty, Error> {
    // Goods the tariff already lets in free stay free: the flat rate replaces a duty, it does
    // not create one.
    let free = hs.is_some_and(|h| super::tariff::is_free(ctx, h));
    let amount = if free {
        Decimal::ZERO
    } else {
        percent_of(customs, flat.rate.0)?
    };
    Ok(LineDuty {
        rate: Arc::from(format!("{}% (gift flat rate)", flat.rate.0)),
        base: customs,
        amount,
        basis: DutyBasis::GiftFlatRate,
        tariff: None,
    })
}

/// What the flat duty is counted per: the pack's `per`, or the reading of its `per_option`;
/// `items` (one group per item) are grouped by it in place. With `reject` the assessment
/// fails only when the two readings count differently.
fn flat_per(
    ctx: &Ctx<'_>,
    flat: &FlatDutyFile,
    items: &mut Vec<FlatGroup<'_>>,
) -> Result<FlatDutyPer, Error> {
    let mut with_groups = |per| flat_groups(flat, per, items).map(|()| per);
    let Some(option) = &flat.per_option else {
        return with_groups(flat.per);
    };
    match ctx.option(option)? {
        "declaration_line" => with_groups(FlatDutyPer::DeclarationLine),
        "tariff_subheading" => with_groups(FlatDutyPer::TariffSubheading),
        _ => {
            let mut by_line = items.clone();
            flat_groups(flat, FlatDutyPer::TariffSubheading, items)?;
            flat_groups(flat, FlatDutyPer::DeclarationLine, &mut by_line)?;
            if items.len() == by_line.len() {
                return Ok(FlatDutyPer::TariffSubheading);
            }
            Err(Error::at(
                ErrorCode::UncertainRule,
                format!("options.{option}"),
                format!(
                    "the flat duty counts differently per tariff subheading and per declaration line for this consignment; {option} was rejected: {}",
                    ctx.version.rules.options.get(option).map(|o| o.question.as_str()).unwrap_or("")
                ),
            ))
        }
    }
}

/// One flat-duty group: the declared code and first item of its goods, and their summed
/// customs value (before grouping, one item's).
#[derive(Clone, Copy)]
struct FlatGroup<'d> {
    code: &'d str,
    first: usize,
    item: &'d Item,
    customs: Decimal,
}

/// The digits of `code` that make a subheading distinct.
fn subheading<'c>(flat: &FlatDutyFile, code: &'c str) -> &'c str {
    &code[..usize::from(flat.hs_digits).min(code.len())]
}

/// A declaration line's key: classification, description (case and surrounding spaces
/// ignored) and origin.
fn line_key(code: &str, item: &Item) -> String {
    format!(
        "{code} / {} / {}",
        item.description.as_str().trim().to_lowercase(),
        item.origin.as_deref().unwrap_or("-")
    )
}

/// Whether two items' [`line_key`]s are equal. Compared without building them when both
/// descriptions are ASCII (lowercasing is then per byte), as they nearly always are: this
/// runs for every pair of flat-duty lines of every consignment.
fn same_line(a: (&str, &Item), b: (&str, &Item)) -> bool {
    let (da, db) = (a.1.description.as_str(), b.1.description.as_str());
    if !(da.is_ascii() && db.is_ascii()) {
        return line_key(a.0, a.1) == line_key(b.0, b.1);
    }
    // `str::trim` on ASCII text: the ASCII characters with Unicode's White_Space property
    // (tab to carriage return, and space; unlike `u8::is_ascii_whitespace`, vertical tab too).
    fn trim(s: &str) -> &[u8] {
        let b = s.as_bytes();
        let text = |c: &u8| !matches!(c, b'\t'..=b'\r' | b' ');
        let start = b.iter().position(text).unwrap_or(b.len());
        let end = b.iter().rposition(text).map_or(start, |e| e + 1);
        &b[start..end]
    }
    fn bytes<'s>(
        code: &'s str,
        description: &'s [u8],
        item: &'s Item,
    ) -> impl Iterator<Item = u8> + 's {
        let origin = item.origin.as_deref().unwrap_or("-");
        code.bytes()
            .chain(*b" / ")
            .chain(description.iter().map(u8::to_ascii_lowercase))
            .chain(*b" / ")
            .chain(origin.bytes())
    }
    let (da, db) = (trim(da), trim(db));
    // Codes of one length decide at once when they differ; equal codes and descriptions of one
    // length leave the rest at the same offsets in both keys. Otherwise a separator in one
    // part may line up with text in the other, and the keys are compared byte by byte.
    if a.0.len() == b.0.len() {
        if !crate::hashing::same_text(a.0.as_bytes(), b.0.as_bytes()) {
            return false;
        }
        if da.len() == db.len() {
            fn origin(item: &Item) -> &str {
                item.origin.as_deref().unwrap_or("-")
            }
            return da.eq_ignore_ascii_case(db)
                && crate::hashing::same_text(origin(a.1).as_bytes(), origin(b.1).as_bytes());
        }
    }
    bytes(a.0, da, a.1).eq(bytes(b.0, db, b.1))
}

/// Groups `items` (one per item, in item order) in place into the flat duty's groups (per
/// subheading, or per classification + description + origin), in item order: the groups so
/// far are the first `n` entries, and an item that starts a group is moved to the end of
/// them (no list of their own).
fn flat_groups(
    flat: &FlatDutyFile,
    per: FlatDutyPer,
    items: &mut Vec<FlatGroup<'_>>,
) -> Result<(), Error> {
    let mut n = 0;
    for k in 0..items.len() {
        let next = items[k];
        let same = |g: &FlatGroup<'_>| match per {
            FlatDutyPer::TariffSubheading => {
                let (a, b) = (subheading(flat, g.code), subheading(flat, next.code));
                crate::hashing::same_text(a.as_bytes(), b.as_bytes())
            }
            FlatDutyPer::DeclarationLine => same_line((g.code, g.item), (next.code, next.item)),
        };
        match items[..n].iter_mut().find(|g| same(g)) {
            Some(g) => g.customs = add(g.customs, next.customs)?,
            None => {
                items[n] = next;
                n += 1;
            }
        }
    }
    items.truncate(n);
    Ok(())
}

/// One flat-duty line per group, at the group's first item.
fn flat_lines<'a>(
    ctx: &'a Ctx<'_>,
    flat: &'a FlatDutyFile,
    per: FlatDutyPer,
    groups: impl Iterator<Item = FlatGroup<'a>> + 'a,
) -> impl Iterator<Item = DutyLine> + 'a {
    // This thread's copy of the engine's text (`per_thread`): it is longer than a `Text` keeps
    // inline (`3 EUR per tariff subheading (flat)`).
    let rate = match &ctx.version.texts.flat_duty {
        Some(text) => crate::per_thread::text(text),
        None => crate::per_thread::fixed("flat"),
    };
    let what = match per {
        FlatDutyPer::TariffSubheading => "tariff subheading",
        FlatDutyPer::DeclarationLine => "declaration line",
    };
    groups.map(move |g| {
        ctx.tracer.step(Step::Duty, || {
            let key = match per {
                FlatDutyPer::TariffSubheading => subheading(flat, g.code).to_string(),
                FlatDutyPer::DeclarationLine => line_key(g.code, g.item),
            };
            (
                ctx.rule("flat_duty"),
                flat.source.clone(),
                format!(
                    "{what} {key} (first at item {}): flat {} per {what}{}",
                    g.first,
                    flat.amount.0,
                    flat.per_option
                        .as_ref()
                        .map(|o| format!(" (reading {o}={})", per.as_str()))
                        .unwrap_or_default()
                ),
            )
        });
        let hs = match per {
            FlatDutyPer::TariffSubheading => subheading(flat, g.code),
            FlatDutyPer::DeclarationLine => g.code,
        };
        DutyLine {
            item: g.first,
            hs_code: Some(hs.into()),
            rate: rate.clone(),
            base: ctx.out(g.customs),
            amount: ctx.out(flat.amount.0),
            basis: DutyBasis::FlatDuty,
            tariff: None,
        }
    })
}

/// A simplified rate's deduction, shared over the lines it priced (`at`) in proportion to
/// their rounded amounts.
fn deduct(
    ctx: &Ctx<'_>,
    rule: &SimplifiedRateFile,
    lines: &mut [DutyLine],
    at: &[usize],
) -> Result<(), Error> {
    let Some(deduction) = rule.deduction.map(|d| d.0) else {
        return Ok(());
    };
    let rounding = &ctx.version.rounding.duty;
    let mut amounts = Vec::with_capacity(at.len());
    for &k in at {
        amounts.push(round(rounding, lines[k].amount.0)?);
    }
    let before = amounts
        .iter()
        .try_fold(Decimal::ZERO, |acc, a| add(acc, *a))?;
    let after = super::simplified::deduct(&amounts, deduction, ctx.version.currency_scale)?;
    for (&k, amount) in at.iter().zip(&after) {
        lines[k].amount = ctx.out(*amount);
        lines[k].rate = Arc::from(format!("{} − {deduction} shared", lines[k].rate));
    }
    ctx.tracer.step(Step::Duty, || {
        (
            ctx.rule(&format!("simplified_rates.{}.deduction", rule.id)),
            rule.source.clone(),
            format!(
                "{before} less the deduction {deduction} (shared over the lines in proportion to their amounts, never below zero) = {}",
                after.iter().copied().sum::<Decimal>()
            ),
        )
    });
    Ok(())
}

/// Rounds the duty lines per the regime and returns the total, and where a difference was
/// carried. With consignment scope, the total is rounded once and the difference is carried by
/// the last non-zero line, so that the lines still add up to the total.
fn round_lines(
    ctx: &Ctx<'_>,
    lines: &mut [DutyLine],
) -> Result<(Decimal, Option<(usize, Decimal)>), Error> {
    let rule = &ctx.version.rounding.duty;
    let scope = ctx.version.rules.rounding.duty.scope;
    // Both sums start from the first line, not from a zero (`add` of a zero is the other
    // operand: the same sums, two fewer).
    let (mut unrounded, mut total) = (Decimal::ZERO, Decimal::ZERO);
    for (i, l) in lines.iter_mut().enumerate() {
        let amount = l.amount.0;
        l.amount = ctx.out(round(rule, amount)?);
        if i == 0 {
            (unrounded, total) = (amount, l.amount.0);
        } else {
            unrounded = add(unrounded, amount)?;
            total = add(total, l.amount.0)?;
        }
    }
    let mut carried = None;
    if scope == RoundingScope::Consignment {
        let once = round(rule, unrounded)?;
        if let Some((at, last)) = lines
            .iter_mut()
            .enumerate()
            .rev()
            .find(|(_, l)| !l.amount.0.is_zero())
        {
            last.amount = ctx.out(add(last.amount.0, once - total)?);
            carried = Some((at, once - total));
        }
        total = once;
    }
    Ok((total, carried))
}

/// The minimum collectable duty: a total below it is waived. Decided with the duty, not
/// after the tax, because the import tax base takes the duty actually collected.
fn apply_minimum(ctx: &Ctx<'_>, lines: &mut [DutyLine], total: Decimal) -> Result<Decimal, Error> {
    let Some(min) = ctx.version.rules.minimum_collectable.as_ref() else {
        return Ok(total);
    };
    let Some(floor) = min.duty else {
        return Ok(total);
    };
    // The option is asked only when the minimum would change the result.
    if total.is_zero()
        || total >= floor.0
        || !threshold::gate_open(
            ctx,
            min.when_option.as_ref(),
            "the minimum collectable duty",
        )?
    {
        return Ok(total);
    }
    ctx.tracer.step(Step::Duty, || {
        (
            ctx.rule("minimum_collectable.duty"),
            min.source.clone(),
            format!(
                "duty total {total} is below the minimum collectable {}: waived",
                floor.0
            ),
        )
    });
    for l in lines.iter_mut() {
        l.amount = ctx.out(Decimal::ZERO);
        l.basis = DutyBasis::MinimumCollectable;
    }
    Ok(Decimal::ZERO)
}

/// Each item's duty for the import tax base: the sum of its lines, less the difference a
/// consignment-scope total `carried` onto one of them.
fn item_duty(
    ctx: &Ctx<'_>,
    lines: &[DutyLine],
    carried: Option<(usize, Decimal)>,
) -> Result<Vec<Decimal>, Error> {
    // The thread's last assessment's vector, zeroed ([`super::spare::item_duty`]).
    let mut duty = super::spare::item_duty(ctx.values.lines.len());
    for (at, l) in lines.iter().enumerate() {
        let carry = match carried {
            Some((c, diff)) if c == at && l.basis != DutyBasis::MinimumCollectable => diff,
            _ => Decimal::ZERO,
        };
        if let Some(d) = duty.get_mut(l.item) {
            *d = add(*d, crate::exact::minus(l.amount.0, carry))?;
        }
    }
    Ok(duty)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Amount;
    use proptest::prelude::*;

    fn item(description: &str, origin: Option<&str>) -> Item {
        let mut item = Item::new(description, "610910", Amount::ZERO);
        item.origin = origin.map(Into::into);
        item
    }

    /// Comparing declaration lines without building their keys agrees with comparing the
    /// keys, whitespace Unicode trims (vertical tab included), case and non-ASCII text alike.
    #[test]
    fn same_line_is_equal_keys() {
        let cases = [
            (
                ("610910", "T-shirt", Some("CN")),
                ("610910", " t-SHIRT\t", Some("CN")),
                true,
            ),
            (
                ("610910", "T-shirt", Some("CN")),
                ("610910", "T-shirt", Some("BD")),
                false,
            ),
            (
                ("610910", "T-shirt", None),
                ("610910", "T-shirt", Some("-")),
                true,
            ),
            (
                ("610910", "shirt\u{b}", None),
                ("610910", "shirt", None),
                true,
            ),
            (
                ("610910", "shirt\u{1c}", None),
                ("610910", "shirt", None),
                false,
            ),
            (("610910", "ÉTÉ", None), ("610910", "été", None), true),
            // The keys are compared as the strings they are, separators and all.
            (("610910", "a / b", None), ("610910 / a", "b", None), true),
            (
                ("611020", "T-shirt", None),
                ("610910", "T-shirt", None),
                false,
            ),
        ];
        for ((ca, da, oa), (cb, db, ob), want) in cases {
            let (a, b) = (item(da, oa), item(db, ob));
            let keys = line_key(ca, &a) == line_key(cb, &b);
            assert_eq!(keys, want, "{da:?} {db:?}");
            assert_eq!(same_line((ca, &a), (cb, &b)), keys, "{da:?} {db:?}");
        }
    }

    proptest! {
        #[test]
        fn same_line_agrees_with_the_keys(
            da in "[ \t\u{b}\u{c}\rAaBb/é-]{0,6}",
            db in "[ \t\u{b}\u{c}\rAaBb/é-]{0,6}",
            oa in proptest::option::of("[A-B-]{1,2}"),
            ob in proptest::option::of("[A-B-]{1,2}"),
        ) {
            let (a, b) = (item(&da, oa.as_deref()), item(&db, ob.as_deref()));
            prop_assert_eq!(
                same_line(("610910", &a), ("610910", &b)),
                line_key("610910", &a) == line_key("610910", &b)
            );
        }
    }

    /// The flat-duty groups' vector kept by the thread is the same allocation from one
    /// assessment to the next ([`recycled`]): the standard library's in-place collection still
    /// applies (if it stopped, the vector would be allocated each time again, as before).
    #[test]
    fn a_recycled_vector_keeps_its_allocation() {
        let kept: Vec<FlatGroup<'static>> = Vec::with_capacity(8);
        let at = kept.as_ptr() as usize;
        let item = item("cotton t-shirt", None);
        let mut groups: Vec<FlatGroup<'_>> = recycled(kept);
        assert_eq!((groups.as_ptr() as usize, groups.capacity()), (at, 8));
        groups.push(FlatGroup {
            code: "610910",
            first: 0,
            item: &item,
            customs: Decimal::ONE,
        });
        groups.clear();
        let back: Vec<FlatGroup<'static>> = recycled(groups);
        assert_eq!((back.as_ptr() as usize, back.capacity()), (at, 8));
    }
}
