//! A line's duty from the tariff: which tariff is in force on the date (a revision of the
//! national tariff file, or the pack's own lines before its first revision), the HS edition the
//! declared code is read in, the line or lines the code falls in, and the published rate's
//! citation and trace.
//!
//! The longest line whose code is a prefix of the declared code prices it. When none is, the
//! declared code is less precise than the tariff, and every line under it is a candidate:
//! one rate among them prices the line; different rates are `E_HS_AMBIGUOUS`, or with
//! `hs_ambiguity=highest` the dearest for this line's facts, with a finding naming the others.

use std::fmt::Write as _;
use std::sync::{Arc, LazyLock};

use rust_decimal::Decimal;

use super::{round, Ctx};
use crate::declaration::{Item, QuantityUnit};
use crate::duty_expr::{DutyExprError, DutyExpression, DutyInputs};
use crate::error::{Error, ErrorCode};
use crate::message_text::{item_path, push_count, push_date, push_decimal};
use crate::options::HS_AMBIGUITY;
use crate::regime::pack::{AdditionalDutyFile, Confidence};
use crate::result::{Severity, TariffCitation};
use crate::tariff::correlation::{self, Counterparts};
use crate::tariff::file::HsEdition;
use crate::tariff::schedule::{Schedule, ScheduleLine, ScheduleRevision};
use crate::tariff::{Tariff, TariffLine};
use crate::trace::Step;

/// Lines an `E_HS_AMBIGUOUS` message or a finding names before "and N more".
const LISTED: usize = 8;

/// The published text quoted for a line without a rate in the column a rule picked (the file's
/// own `-`).
static NO_RATE: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from("-"));

/// A line's duty priced from the tariff.
pub(crate) struct TariffDuty {
    /// The rate as published (a tariff file) or written in the pack.
    pub rate: Arc<str>,
    /// The value the rate applied to.
    pub base: Decimal,
    /// The duty, unrounded.
    pub amount: Decimal,
    /// The tariff file's revision and line, when one priced it.
    pub citation: Option<TariffCitation>,
}

/// The tariff in force on an assessment's date.
#[derive(Clone, Copy)]
enum Source<'t> {
    /// A revision of the national tariff file, and the column used: the first, or the one an
    /// additional duty picked.
    File {
        schedule: &'t Schedule,
        revision: &'t ScheduleRevision,
        column: usize,
        picked: Option<Picked<'t>>,
    },
    /// The version's own lines (no file, or a date before its first revision).
    Pack {
        tariff: &'t Tariff,
        /// The file whose first revision is later than the date, for the trace.
        before: Option<&'t Schedule>,
    },
}

/// A column an additional duty picks in place of the first (`tariff_column`).
#[derive(Clone, Copy)]
struct Picked<'t> {
    /// The column's name in the file (`column2`).
    name: &'t str,
    rule: &'t AdditionalDutyFile,
}

/// A tariff line as the pricing sees it, from either kind of tariff.
#[derive(Clone, Copy)]
struct Candidate<'t> {
    code: &'t str,
    text: &'t Arc<str>,
    expression: Result<&'t DutyExpression, &'t str>,
    description: &'t str,
    /// The pack line, for its source in the trace.
    pack: Option<&'t TariffLine>,
    /// The file's line, which a plan keeps by number ([`LinePlan`]).
    line: Option<ScheduleLine<'t>>,
}

impl<'t> Candidate<'t> {
    fn pack(line: &'t TariffLine) -> Candidate<'t> {
        Candidate {
            code: &line.hs,
            text: &line.text,
            expression: Ok(&line.duty),
            description: &line.description,
            pack: Some(line),
            line: None,
        }
    }

    /// The line's rate in `column`; `None` when it has none there. In a column a rule picked
    /// (`picked`), a line with a rate in the first column but none in this one is not passed
    /// over as a statistical line would be: it is a candidate that cannot be priced, so that
    /// the goods never fall back on another line's rate.
    fn file(line: ScheduleLine<'t>, column: usize, picked: bool) -> Option<Candidate<'t>> {
        let Some(duty) = line.duty(column) else {
            return (picked && line.duty(0).is_some()).then(|| Candidate {
                code: line.code(),
                text: &NO_RATE,
                expression: Err("the line has no rate in this column"),
                description: line.description(),
                pack: None,
                line: Some(line),
            });
        };
        Some(Candidate {
            code: line.code(),
            text: &duty.text,
            expression: duty.expression.as_ref().map_err(|r| &**r),
            description: line.description(),
            pack: None,
            line: Some(line),
        })
    }

    /// Whether two lines charge the same duty (the same expression, or the same rate that
    /// cannot be computed).
    fn same_duty(&self, other: &Candidate<'_>) -> bool {
        match (self.expression, other.expression) {
            (Ok(a), Ok(b)) => std::ptr::eq(a, b) || a == b,
            (Err(a), Err(b)) => a == b && self.text == other.text,
            _ => false,
        }
    }
}

/// What the lookup found.
enum Outcome<'t> {
    /// One rate: the line that prices, and how many lines under the code share its rate.
    One(Candidate<'t>, usize),
    /// Lines with different rates.
    Ambiguous(Vec<Candidate<'t>>),
    /// Lines with different rates, refused (`E_HS_AMBIGUOUS`, [`LinesPlan::refusal`]): only
    /// for [`price`], and only when the option `hs_ambiguity` refuses them. Never on wasm32,
    /// where the plans are off ([`super::plan::on`]).
    Refused(Error),
    /// No line.
    Nothing,
}

/// How the declared code was read against the tariff's edition.
#[derive(Clone, Copy)]
enum Reading<'c> {
    /// As declared.
    Same,
    /// Through the correlation table: the subheadings looked up.
    Mapped {
        from: HsEdition,
        to: HsEdition,
        codes: &'c [[u8; 6]],
    },
}

/// The duty of item `i` from the tariff in force, on its customs value (rounded first where
/// `rounding.tax_base` says so), quantity and masses, with its findings (an out-of-date file,
/// the dearest of ambiguous lines).
pub(crate) fn duty(
    ctx: &Ctx<'_>,
    i: usize,
    item: &Item,
    customs: Decimal,
) -> Result<TariffDuty, Error> {
    price(ctx, source(ctx)?, i, item, customs)
}

/// The duty of item `i` from the column of the regime's tariff file that `rule` names
/// (`tariff_column`), looked up exactly as [`duty`] looks up the first. Fails, never falling
/// back on the first column, when no file covers the date or the file lacks the column.
pub(crate) fn column_duty<'t>(
    ctx: &Ctx<'t>,
    rule: &'t AdditionalDutyFile,
    i: usize,
    item: &Item,
    customs: Decimal,
) -> Result<TariffDuty, Error> {
    price(ctx, picked_source(ctx, rule, i)?, i, item, customs)
}

/// Prices item `i` from `source`.
fn price(
    ctx: &Ctx<'_>,
    source: Source<'_>,
    i: usize,
    item: &Item,
    customs: Decimal,
) -> Result<TariffDuty, Error> {
    let code = item.hs_code.as_deref().ok_or_else(|| {
        Error::at(
            ErrorCode::MissingField,
            item_path(i, "hs_code"),
            "an HS code is needed to find the duty rate",
        )
    })?;
    let (reading, outcome) = find(ctx, source, code, i, true)?;
    let (base, inputs, gross_used) = inputs(ctx, item, customs)?;
    let (line, shared) = match outcome {
        Outcome::Nothing => return Err(no_line(ctx, source, reading, code, i)),
        Outcome::One(line, n) => (line, n),
        Outcome::Refused(error) => return Err(error),
        Outcome::Ambiguous(lines) => match ctx.engine_option(&HS_AMBIGUITY)? {
            "highest" => (dearest(ctx, source, code, i, &lines, &inputs)?, 1),
            _ => return Err(ambiguous(source, code, i, &lines)),
        },
    };
    let expression = line
        .expression
        .map_err(|reason| not_computable(source, &line, reason, i))?;
    let amount = expression
        .evaluate(&inputs)
        .map_err(|e| expression_error(i, e))?;
    let citation = cite(ctx, source, &line, i);
    ctx.tracer.step(Step::Duty, || {
        let mut detail = format!("item {i}: HS {code}");
        describe_reading(&mut detail, reading);
        let _ = write!(detail, " → ");
        let (rule, from) = describe_line(ctx, source, &line, expression, base, &mut detail);
        if base != customs {
            let _ = write!(
                detail,
                " (customs value {customs} rounded by rounding.tax_base)"
            );
        }
        if let (true, Some(declared), Some(used)) = (
            expression.needs().gross_mass,
            item.gross_mass_kg,
            gross_used,
        ) {
            let _ = write!(
                detail,
                " and gross mass {used} kg (declared {}, rounded per rounding.gross_mass)",
                declared.0
            );
        }
        let _ = write!(detail, " = {amount}");
        if shared > 1 {
            let _ = write!(detail, "; all {shared} lines under {code} have this rate");
        }
        (rule, from, detail)
    });
    Ok(TariffDuty {
        // This thread's copy of the engine's text (`per_thread`): rule texts can be longer than
        // a `Text` keeps inline.
        rate: crate::per_thread::text(line.text),
        base,
        amount,
        citation,
    })
}

/// Writes the priced line into the trace's `detail` (the file's revision and published rate, or
/// the pack's line) and returns the trace's rule and source.
fn describe_line(
    ctx: &Ctx<'_>,
    source: Source<'_>,
    line: &Candidate<'_>,
    expression: &DutyExpression,
    base: Decimal,
    detail: &mut String,
) -> (String, String) {
    match (source, line.pack) {
        (
            Source::File {
                schedule,
                revision,
                picked,
                ..
            },
            _,
        ) => {
            let h = schedule.header();
            if let Some(p) = picked {
                let _ = write!(
                    detail,
                    "{} ({}) prices it from column {} of ",
                    p.rule.id, p.rule.name, p.name
                );
            }
            let _ = write!(
                detail,
                "{}, revision {} ({}), line {} ({}): published rate \"{}\"",
                h.title, revision.id, revision.title, line.code, line.description, line.text,
            );
            let read_as = expression.to_string();
            if read_as != **line.text {
                let _ = write!(detail, ", read as {read_as},");
            }
            let _ = write!(detail, " on {base}");
            let file = format!("{}: {}", h.publisher, h.source);
            match picked {
                None => (
                    format!("{}.tariff/{}/{}", h.regime, revision.id, line.code),
                    file,
                ),
                Some(p) => (
                    ctx.rule(&format!("additional_duties.{}", p.rule.id)),
                    format!(
                        "{}; the rate: {}.tariff/{}/{} column {}, {file}",
                        p.rule.source, h.regime, revision.id, line.code, p.name
                    ),
                ),
            }
        }
        (Source::Pack { before, .. }, Some(pack)) => {
            let _ = write!(
                detail,
                "line {} ({}): {} on {base}",
                line.code, line.description, line.text
            );
            if let Some(s) = before {
                let _ = write!(
                    detail,
                    " (the pack's own line: the date is before the first revision of {})",
                    s.header().title
                );
            }
            (
                ctx.rule(&format!("tariff.lines[{}]", pack.hs)),
                pack.source.clone(),
            )
        }
        (Source::Pack { .. }, None) => (ctx.rule("tariff"), String::new()),
    }
}

/// Whether the tariff lets the goods of `code` in free (every line the code falls in is free);
/// `false` when there is no line or it cannot be told.
pub(crate) fn is_free(ctx: &Ctx<'_>, code: &str) -> bool {
    let Ok(source) = source(ctx) else {
        return false;
    };
    let free = |c: &Candidate<'_>| c.expression.is_ok_and(DutyExpression::is_free);
    match find(ctx, source, code, 0, false) {
        Ok((_, Outcome::One(line, _))) => free(&line),
        Ok((_, Outcome::Ambiguous(lines))) => lines.iter().all(free),
        _ => false,
    }
}

/// The tariff in force on the assessment's date.
fn source<'t>(ctx: &Ctx<'t>) -> Result<Source<'t>, Error> {
    let mut before = None;
    if let Some(file) = &ctx.regime.tariff_file {
        let schedule = file.get()?;
        if let Some(revision) = schedule.revision_on(ctx.date) {
            return Ok(Source::File {
                schedule,
                revision,
                column: 0,
                picked: None,
            });
        }
        before = Some(schedule);
    }
    Ok(Source::Pack {
        tariff: &ctx.version.tariff,
        before,
    })
}

/// The tariff file's revision in force, with the column `rule` picks; an error naming the rule
/// when no file covers the date or the file in use lacks the column.
fn picked_source<'t>(
    ctx: &Ctx<'t>,
    rule: &'t AdditionalDutyFile,
    i: usize,
) -> Result<Source<'t>, Error> {
    let name = rule.tariff_column.as_deref().unwrap_or_default();
    let refuse = |why: String| {
        Error::at(
            ErrorCode::OutOfScope,
            item_path(i, "origin"),
            format!(
                "{} ({}) prices this line from column {name} of the {} tariff file, but {why}",
                rule.id, rule.name, ctx.regime.id
            ),
        )
    };
    match source(ctx)? {
        Source::File {
            schedule, revision, ..
        } => {
            let h = schedule.header();
            let column = schedule.column(name).ok_or_else(|| {
                refuse(format!(
                    "the file in use ({}) has no such column; its columns: {}",
                    h.title,
                    h.columns.join(", ")
                ))
            })?;
            Ok(Source::File {
                schedule,
                revision,
                column,
                picked: Some(Picked { name, rule }),
            })
        }
        Source::Pack {
            before: Some(file), ..
        } => Err(refuse(match file.revisions().first() {
            Some(first) => format!(
                "its first revision ({}) takes effect on {}, after {}; the pack's own lines have one column",
                first.id, first.from, ctx.date
            ),
            None => "it has no revision".to_string(),
        })),
        Source::Pack { before: None, .. } => Err(refuse(
            "no tariff file is loaded for the regime (a caller's CSV or JSON tariff replaced it, or the engine was built without the embedded tariffs); the pack's own lines have one column".to_string(),
        )),
    }
}

/// Looks `code` up in `source`, reading it in the tariff's HS edition: from this thread's
/// plan of the line when an earlier record looked the same code up in the same revision and
/// column on a date of the same HS edition ([`LineKey`]), else by [`look_up`] (whose one-line
/// answers the plan then keeps, and whose answers of several lines of different rates
/// [`LinesPlan`] keeps). `pricing`: the caller is [`price`], which takes a planned refusal
/// ([`Outcome::Refused`]) in place of the lines it would refuse.
fn find<'t>(
    ctx: &Ctx<'_>,
    source: Source<'t>,
    code: &str,
    i: usize,
    pricing: bool,
) -> Result<(Reading<'static>, Outcome<'t>), Error> {
    let Source::File {
        schedule,
        revision,
        column,
        picked,
    } = source
    else {
        return look_up(ctx, source, code, i);
    };
    if !super::plan::on() {
        return look_up(ctx, source, code, i);
    }
    let Some(key) = LineKey::new(ctx, revision, column, picked.is_some(), code) else {
        return look_up(ctx, source, code, i);
    };
    if let Some(found) = planned_line(&key, schedule) {
        return Ok(found);
    }
    unplanned(ctx, source, code, i, key, schedule, pricing)
}

/// [`find`] without a one-line plan for `key`: the ambiguous plan's answer, or the lookup,
/// whose answer is kept as a plan. Out of line, so that the planned path (nearly every priced
/// item) stays as short as before, and the callers' inlining with it.
#[inline(never)]
fn unplanned<'t>(
    ctx: &Ctx<'_>,
    source: Source<'t>,
    code: &str,
    i: usize,
    key: LineKey,
    schedule: &'t Schedule,
    pricing: bool,
) -> Result<(Reading<'static>, Outcome<'t>), Error> {
    // As `price` decides between `dearest` and `ambiguous`.
    let refuse = pricing && matches!(ctx.engine_option(&HS_AMBIGUITY), Ok(o) if o != "highest");
    let refusal = refuse.then_some(Refusal { source, code, i });
    if let Some(found) = planned_lines(&key, schedule, refusal) {
        return Ok(found);
    }
    let found = look_up(ctx, source, code, i)?;
    match &found {
        (
            _,
            Outcome::One(
                Candidate {
                    line: Some(line), ..
                },
                shared,
            ),
        ) => {
            if let Some(entry) = schedule.number_of(line) {
                keep_line(LinePlan {
                    key,
                    entry,
                    shared: *shared,
                    reading: found.0,
                });
            }
        }
        (reading, Outcome::Ambiguous(lines)) => keep_lines(key, *reading, lines, schedule),
        _ => {}
    }
    Ok(found)
}

/// The lines [`look_up`] found for a [`LineKey`] with different rates
/// ([`Outcome::Ambiguous`]), by their entries in the schedule: a code such as `392690`, whose
/// seventeen CN lines differ, was looked up again on every record that declared it (some
/// 8 000 instructions each: the lines under the code, each read as a [`Candidate`]).
struct LinesPlan {
    key: LineKey,
    reading: Reading<'static>,
    entries: Vec<u32>,
    /// The `E_HS_AMBIGUOUS` message [`ambiguous`] wrote for these lines, once a record was
    /// refused on them: the key fixes every text in it (the code, the lines, the file's title,
    /// the revision, the column's name, which is the file's name of the key's column). The
    /// harness's `392690` (2 % of its records) rebuilt its seventeen lines and the message,
    /// some 6 000 instructions a refusal; a kept message is one copy.
    refusal: Option<Box<str>>,
}

/// What [`ambiguous`] writes a refusal from besides the lines: the caller refuses the lines
/// a plan keeps (`hs_ambiguity` is not `highest`).
#[derive(Clone, Copy)]
struct Refusal<'a> {
    source: Source<'a>,
    code: &'a str,
    i: usize,
}

/// Slots of each thread's table of [`LinesPlan`]s (a power of two): codes that cover lines
/// of different rates are few in a stream.
const AMBIGUOUS_SLOTS: usize = 64;

/// The planned ambiguous answer for `key`, its candidates rebuilt from `schedule` as
/// [`look_up`] built them (`Candidate::file` of each line, in its order); with a `refusal`,
/// the refusal itself ([`Outcome::Refused`]), its message the plan's when a record was
/// refused on it before. Asked by [`unplanned`] alone, which [`find`] reaches only with the
/// plans on.
fn planned_lines<'t>(
    key: &LineKey,
    schedule: &'t Schedule,
    refusal: Option<Refusal<'_>>,
) -> Option<(Reading<'static>, Outcome<'t>)> {
    let found = crate::per_thread::with_slot(&AMBIGUOUS, AMBIGUOUS_SLOTS, key.slot(), |plan| {
        let plan = plan.as_mut().filter(|p| p.key == *key)?;
        if let (Some(r), Some(message)) = (refusal, &plan.refusal) {
            let error = Error::at(
                ErrorCode::HsAmbiguous,
                item_path(r.i, "hs_code"),
                String::from(&**message),
            );
            return Some((plan.reading, Outcome::Refused(error)));
        }
        let lines = (plan.entries.iter())
            .map(|&e| Candidate::file(schedule.numbered(e)?, key.column, key.picked))
            .collect::<Option<Vec<_>>>()?;
        let Some(r) = refusal else {
            return Some((plan.reading, Outcome::Ambiguous(lines)));
        };
        let error = ambiguous(r.source, r.code, r.i, &lines);
        plan.refusal = Some(Box::from(error.message.as_str()));
        Some((plan.reading, Outcome::Refused(error)))
    });
    found.flatten()
}

/// Keeps the ambiguous `lines` found for `key`, when each is a line of `schedule`.
#[cold]
fn keep_lines(
    key: LineKey,
    reading: Reading<'static>,
    lines: &[Candidate<'_>],
    schedule: &Schedule,
) {
    let Some(entries) = (lines.iter())
        .map(|c| schedule.number_of(c.line.as_ref()?))
        .collect::<Option<Vec<u32>>>()
    else {
        return;
    };
    let plan = LinesPlan {
        key,
        reading,
        entries,
        refusal: None,
    };
    crate::per_thread::with_slot(&AMBIGUOUS, AMBIGUOUS_SLOTS, key.slot(), |slot| {
        *slot = Some(plan);
    });
}

thread_local! {
    /// This thread's plans of ambiguous codes, by [`LineKey::slot`] (its low bits); empty until
    /// the first.
    static AMBIGUOUS: crate::per_thread::Slots<LinesPlan> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Everything [`look_up`] reads to find a file's line: the engine, the revision (of one of its
/// files), the column and whether a rule picked it, the HS edition the date declares codes in,
/// and the code (up to 16 bytes; a longer one is not planned).
#[derive(Clone, Copy, PartialEq, Eq)]
struct LineKey {
    engine: u64,
    revision: usize,
    column: usize,
    picked: bool,
    declared: Option<HsEdition>,
    code: [u8; 16],
    len: u8,
}

impl LineKey {
    fn new(
        ctx: &Ctx<'_>,
        revision: &ScheduleRevision,
        column: usize,
        picked: bool,
        code: &str,
    ) -> Option<LineKey> {
        let bytes = code.as_bytes();
        let mut packed = [0u8; 16];
        packed.get_mut(..bytes.len())?.copy_from_slice(bytes);
        Some(LineKey {
            engine: ctx.plan,
            revision: revision as *const ScheduleRevision as usize,
            column,
            picked,
            declared: HsEdition::in_force_on(ctx.date),
            code: packed,
            len: bytes.len() as u8,
        })
    }

    /// The table slot.
    fn slot(&self) -> usize {
        let code = u128::from_le_bytes(self.code);
        let folded = (code as u64) ^ ((code >> 64) as u64).rotate_left(17) ^ self.revision as u64;
        let hashed = crate::hashing::spread(folded ^ (self.column as u64) << 1 ^ self.len as u64);
        (hashed >> (64 - LINE_SLOTS.trailing_zeros())) as usize
    }
}

/// A line [`look_up`] found alone for a [`LineKey`]: its entry in the schedule, how many lines
/// under the code share its rate, and how the code was read.
#[derive(Clone, Copy)]
struct LinePlan {
    key: LineKey,
    entry: u32,
    shared: usize,
    reading: Reading<'static>,
}

/// Slots of each thread's table of line plans (a power of two): the generated EU lines use
/// 77 codes, a run over every regime some hundreds. A key may sit in its slot or in the other
/// slot of its pair ([`LineKey::slot`] `^ 1`): with one slot a key, the few codes whose slots
/// met (the hash takes in the revision's address, so which ones changed from build to build)
/// evicted each other and were looked up again, 10 to 85 instructions a record.
const LINE_SLOTS: usize = 512;

thread_local! {
    /// This thread's line plans, by [`LineKey::slot`]; empty until its first planned line.
    static LINES: std::cell::RefCell<Vec<Option<LinePlan>>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// The planned answer for `key`, rebuilt from `schedule` (the key's revision's).
fn planned_line<'t>(
    key: &LineKey,
    schedule: &'t Schedule,
) -> Option<(Reading<'static>, Outcome<'t>)> {
    if !super::plan::on() {
        return None;
    }
    let plan = LINES
        .try_with(|lines| {
            let lines = lines.try_borrow().ok()?;
            let at = key.slot();
            let pair = lines.get((at & !1)..=(at | 1))?;
            pair.iter().flatten().find(|p| p.key == *key).copied()
        })
        .ok()??;
    let line = schedule.numbered(plan.entry)?;
    let candidate = Candidate::file(line, key.column, key.picked)?;
    Some((plan.reading, Outcome::One(candidate, plan.shared)))
}

/// Keeps `plan` in its slot, or in the other slot of its pair when only that one is free
/// (replacing the slot's plan when neither is).
fn keep_line(plan: LinePlan) {
    let _ = LINES.try_with(|lines| {
        if let Ok(mut lines) = lines.try_borrow_mut() {
            if lines.is_empty() {
                lines.resize(LINE_SLOTS, None);
            }
            // Its own slot, else the other of the pair if that is free, else its own again.
            let at = plan.key.slot();
            let at = match lines.get(at ^ 1) {
                Some(None) if lines.get(at).is_some_and(Option::is_some) => at ^ 1,
                _ => at,
            };
            if let Some(slot) = lines.get_mut(at) {
                *slot = Some(plan);
            }
        }
    });
}

/// Looks `code` up in `source`, reading it in the tariff's HS edition (the unplanned lookup).
fn look_up<'t>(
    ctx: &Ctx<'_>,
    source: Source<'t>,
    code: &str,
    i: usize,
) -> Result<(Reading<'static>, Outcome<'t>), Error> {
    let (schedule, revision, column, picked) = match source {
        Source::Pack { tariff, .. } => return Ok((Reading::Same, in_pack(tariff, code))),
        Source::File {
            schedule,
            revision,
            column,
            picked,
        } => (schedule, revision, column, picked.is_some()),
    };
    let declared = HsEdition::in_force_on(ctx.date);
    let counterparts = match declared {
        Some(edition) => counterparts(code, edition, revision.edition),
        None => Counterparts::Same,
    };
    match counterparts {
        Counterparts::Same => Ok((
            Reading::Same,
            in_file(schedule, revision, column, picked, code),
        )),
        Counterparts::Codes(codes) => {
            let mut lines = Vec::new();
            for sub in codes {
                let sub = correlation::text(sub);
                match schedule
                    .prefix_lines(revision, sub)
                    .find_map(|l| Candidate::file(l, column, picked))
                {
                    Some(line) => lines.push(line),
                    None => lines.extend(
                        schedule
                            .lines_under(revision, sub)
                            .filter_map(|l| Candidate::file(l, column, picked)),
                    ),
                }
            }
            let reading = Reading::Mapped {
                from: declared.unwrap_or(revision.edition),
                to: revision.edition,
                codes,
            };
            Ok((reading, decide(lines.into_iter())))
        }
        Counterparts::NotInEdition { these } => {
            let declared = declared.unwrap_or(revision.edition);
            Err(Error::at(
                ErrorCode::HsNoTariffLine,
                item_path(i, "hs_code"),
                format!(
                    "HS {code} is not a subheading of {declared}, the edition in force on {}; in {} it corresponds to {}: declare the {declared} code",
                    ctx.date,
                    revision.edition,
                    subs(these)
                ),
            ))
        }
    }
}

/// Subheadings whose counterparts a thread keeps ([`counterparts`]): 128 sets of two, 8 kB a
/// thread. One slot per subheading (64 or 256 of them) left the 50 subheadings of the generated
/// EU lines missing one lookup in three on the slots they shared.
const SETS: usize = 128;

thread_local! {
    /// This thread's counterparts, two per set, the latest first: `(key, counterparts)`, the
    /// key being the subheading's six digits as a number and the two editions
    /// ([`counterparts`]).
    static COUNTERPARTS: [std::cell::Cell<(u32, Counterparts<'static>)>; 2 * SETS] =
        const { [const { std::cell::Cell::new((u32::MAX, Counterparts::Same)) }; 2 * SETS] };
}

/// What `code` of edition `from` corresponds to in edition `to` ([`correlation::Correlation::
/// counterparts`]), remembered per thread by subheading: the table's two binary searches cost
/// about 420 instructions a line when the tariff's edition is not the date's (the embedded EU
/// file is HS 2017), a remembered subheading about 30. The answer depends on the six digits and
/// the two editions alone, and the table is the process's own (`correlation::embedded`).
fn counterparts(code: &str, from: HsEdition, to: HsEdition) -> Counterparts<'static> {
    let table = correlation::embedded();
    let digits = code.as_bytes().get(..6).and_then(|d| {
        d.iter().try_fold(0u32, |n, &b| {
            let digit = b.wrapping_sub(b'0');
            (digit <= 9).then(|| n * 10 + u32::from(digit))
        })
    });
    let Some(digits) = digits.filter(|_| from != to) else {
        return table.counterparts(code, from, to);
    };
    // Below 2^28: six digits take 20 bits, each edition four.
    let key = digits << 8 | (from as u32) << 4 | to as u32;
    // Fibonacci hashing twice, the second time over the first's high half folded in: once
    // put neighbouring subheadings (6403 59, 6402 99, 6404 19) into one set.
    let once = crate::hashing::spread(u64::from(key));
    let hashed = crate::hashing::spread(once ^ once >> 32);
    let set = 2 * (hashed >> (64 - SETS.trailing_zeros())) as usize;
    let remembered = COUNTERPARTS.try_with(|cache| {
        let (latest, older) = (&cache[set], &cache[set + 1]);
        let (first, second) = (latest.get(), older.get());
        if first.0 == key {
            return first.1;
        }
        let found = if second.0 == key {
            second.1
        } else {
            table.counterparts(code, from, to)
        };
        older.set(first);
        latest.set((key, found));
        found
    });
    remembered.unwrap_or_else(|_| table.counterparts(code, from, to))
}

/// The lookup in a revision of a tariff file.
fn in_file<'t>(
    schedule: &'t Schedule,
    revision: &'t ScheduleRevision,
    column: usize,
    picked: bool,
    code: &str,
) -> Outcome<'t> {
    if let Some(line) = schedule
        .prefix_lines(revision, code)
        .find_map(|l| Candidate::file(l, column, picked))
    {
        return Outcome::One(line, 1);
    }
    decide(
        schedule
            .lines_under(revision, code)
            .filter_map(move |l| Candidate::file(l, column, picked)),
    )
}

/// The lookup in a pack's lines.
fn in_pack<'t>(tariff: &'t Tariff, code: &str) -> Outcome<'t> {
    match tariff.lookup(code) {
        Some(line) => Outcome::One(Candidate::pack(line), 1),
        None => decide(tariff.lines_under(code).map(Candidate::pack)),
    }
}

/// One rate among `lines`, or the lines when their rates differ. Walks the lines once without
/// allocating when they agree (the usual case for a 6-digit code).
fn decide<'t>(lines: impl Iterator<Item = Candidate<'t>> + Clone) -> Outcome<'t> {
    let mut rest = lines.clone();
    let Some(first) = rest.next() else {
        return Outcome::Nothing;
    };
    let mut n = 1;
    for line in rest {
        if !line.same_duty(&first) {
            return Outcome::Ambiguous(lines.collect());
        }
        n += 1;
    }
    Outcome::One(first, n)
}

/// The figures the rate is evaluated on: the base (customs value, rounded where the regime
/// says), and the gross mass as used.
fn inputs(
    ctx: &Ctx<'_>,
    item: &Item,
    customs: Decimal,
) -> Result<(Decimal, DutyInputs, Option<Decimal>), Error> {
    let version = ctx.version;
    // Japan computes duty on the customs value truncated to JPY 1,000.
    let base = match &version.rounding.tax_base {
        Some(r) => round(r, customs)?,
        None => customs,
    };
    let gross_mass_kg = match (item.gross_mass_kg, version.rounding.gross_mass) {
        (Some(m), Some(rule)) => Some(round(&rule, m.0)?),
        (m, _) => m.map(|q| q.0),
    };
    let inputs = DutyInputs {
        value: base,
        quantity: item.quantity.0,
        net_mass_kg: item.net_mass_kg.map(|q| q.0),
        gross_mass_kg,
        litres: (item.quantity_unit == QuantityUnit::L).then_some(item.quantity.0),
    };
    Ok((base, inputs, gross_mass_kg))
}

/// With `hs_ambiguity=highest`: the line whose rate gives this item the highest duty, and a
/// finding naming the others.
fn dearest<'t>(
    ctx: &Ctx<'_>,
    source: Source<'_>,
    code: &str,
    i: usize,
    lines: &[Candidate<'t>],
    inputs: &DutyInputs,
) -> Result<Candidate<'t>, Error> {
    let mut priced: Vec<(Candidate<'t>, Decimal)> = Vec::with_capacity(lines.len());
    for line in lines {
        let expression = line.expression.map_err(|reason| {
            let mut e = not_computable(source, line, reason, i);
            e.message = format!(
                "HS {code} covers lines with different duties, and the dearest cannot be told: {}",
                e.message
            );
            e
        })?;
        let amount = expression
            .evaluate(inputs)
            .map_err(|e| expression_error(i, e))?;
        priced.push((*line, amount));
    }
    let Some(&(best, amount)) = priced
        .iter()
        .reduce(|best, next| if next.1 > best.1 { next } else { best })
    else {
        return Err(Error::new(
            ErrorCode::Internal,
            "no candidate line to price",
        ));
    };
    let mut message = format!(
        "HS {code} covers {} lines of {} with different duties; option hs_ambiguity=highest priced the dearest for this line, {} ({} = {}); the others:",
        lines.len(),
        source_name(source),
        best.code,
        best.text,
        amount.normalize()
    );
    let others = priced.iter().filter(|(l, _)| l.code != best.code);
    list(&mut message, others, lines.len() - 1, |out, (l, a)| {
        out.push_str(l.code);
        out.push_str(" (");
        out.push_str(l.text);
        out.push_str(" = ");
        push_decimal(out, a.normalize());
        out.push(')');
    });
    ctx.finding(
        "F_HS_AMBIGUOUS_PRICED_HIGHEST",
        Severity::Warning,
        Some(item_path(i, "hs_code")),
        message,
    );
    Ok(best)
}

/// The citation of a tariff file's line, lowering its confidence (with a finding, once per
/// assessment) when the date is after the last date the file is known to be current.
fn cite(
    ctx: &Ctx<'_>,
    source: Source<'_>,
    line: &Candidate<'_>,
    i: usize,
) -> Option<TariffCitation> {
    let Source::File {
        schedule,
        revision,
        picked,
        ..
    } = source
    else {
        return None;
    };
    let header = schedule.header();
    // The rate is as sure as the file, and as the rule that picked its column.
    let mut confidence = match picked {
        Some(p) => weaker(header.confidence, p.rule.confidence),
        None => header.confidence,
    };
    if let Some(through) = header.current_through.filter(|&d| ctx.date > d) {
        if confidence == Confidence::Confirmed {
            confidence = Confidence::Secondary;
        }
        let reported = ctx
            .findings
            .borrow()
            .iter()
            .any(|f| f.code == "F_TARIFF_NOT_CURRENT");
        if !reported {
            ctx.finding_written(
                "F_TARIFF_NOT_CURRENT",
                Severity::Warning,
                Some(item_path(i, "hs_code")),
                |message| not_current(ctx, header, revision, through, confidence, message),
            );
        }
    }
    Some(TariffCitation {
        revision: revision.id.clone(),
        line: crate::declaration::Text::from(line.code),
        confidence,
    })
}

/// `F_TARIFF_NOT_CURRENT`'s message, written over `message` (in its finding's place), for a
/// record dated after the last date (`through`) the file of `revision` is known to be
/// current, whose rates now have `confidence`. Most records
/// dated after a file's last check get this finding, and its text (265 bytes in the EU) is
/// longer than a [`Message`](crate::result::Message) keeps inline: each thread keeps the texts
/// it wrote, one per revision, date and confidence, in a table of [`NOT_CURRENT_SLOTS`]
/// (where the record's date picks the slot), and hands them out shared, without an allocation
/// or a copy. Its text up to the date is the revision's, written once per thread
/// ([`not_current_head`]).
fn not_current(
    ctx: &Ctx<'_>,
    header: &crate::tariff::file::Header,
    revision: &ScheduleRevision,
    through: crate::date::Date,
    confidence: Confidence,
    message: &mut crate::result::Message,
) {
    let write = || {
        let mut message = not_current_head(ctx.plan, header, revision, through);
        push_date(&mut message, ctx.date);
        message.push_str(", and their confidence lowered to ");
        message.push_str(confidence.as_str());
        message
    };
    if !super::plan::on() {
        *message = write().into();
        return;
    }
    let key = NotCurrent {
        engine: ctx.plan,
        revision: revision as *const ScheduleRevision as usize,
        date: ctx.date,
        confidence,
    };
    let kept = NOT_CURRENT_TEXTS.try_with(|texts| {
        let mut texts = texts.try_borrow_mut().ok()?;
        if texts.is_empty() {
            texts.resize(NOT_CURRENT_SLOTS, None);
        }
        let slot = texts.get_mut(key.slot())?;
        match slot {
            Some((k, text)) if *k == key => Some(Arc::clone(text)),
            _ => {
                let text: Arc<str> = Arc::from(write());
                *slot = Some((key, Arc::clone(&text)));
                Some(text)
            }
        }
    });
    *message = match kept.ok().flatten() {
        Some(text) => crate::result::Message::shared(text),
        None => write().into(),
    };
}

/// What fixes an `F_TARIFF_NOT_CURRENT` message (the engine and the revision fix the file's
/// texts and dates, [`not_current_head`]).
#[derive(Clone, Copy, PartialEq)]
struct NotCurrent {
    engine: u64,
    revision: usize,
    date: crate::date::Date,
    confidence: Confidence,
}

impl NotCurrent {
    /// The slot of [`NOT_CURRENT_TEXTS`] this message is kept in: the days of a year (counted
    /// as 31-day months) in consecutive slots, so that a year of dates shares none, from a
    /// place that depends on the revision.
    fn slot(&self) -> usize {
        let d = self.date;
        let day = (d.year() * 372 + d.month() * 31 + d.day()) as usize;
        let from = (self.revision >> 4).wrapping_mul(0x9E37_79B9) >> 7;
        day.wrapping_add(from) % NOT_CURRENT_SLOTS
    }
}

/// Slots of a thread's table of `F_TARIFF_NOT_CURRENT` messages ([`not_current`]): more than
/// a year's dates, at most some 200 kB a thread (texts of up to 340 bytes).
const NOT_CURRENT_SLOTS: usize = 512;

/// A slot of [`NOT_CURRENT_TEXTS`]: a message and what fixes it.
type NotCurrentSlot = Option<(NotCurrent, Arc<str>)>;

thread_local! {
    /// This thread's [`not_current`] messages.
    static NOT_CURRENT_TEXTS: std::cell::RefCell<Vec<NotCurrentSlot>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// The start of `F_TARIFF_NOT_CURRENT`'s message for `revision` of the file whose `header`
/// says it is current `through` a date, up to the assessment's date:
/// `<title> is known to be current only to <through>; the rates of its latest revision (<id>,
/// from <from>) were used for `. Kept per thread for the last few revisions (the key, the
/// engine and the revision, fixes every text in it), so that a record pays one copy, not three
/// dates written.
fn not_current_head(
    engine: u64,
    header: &crate::tariff::file::Header,
    revision: &ScheduleRevision,
    through: crate::date::Date,
) -> String {
    let key = (engine, revision as *const ScheduleRevision as usize);
    let write = || {
        let mut head = String::with_capacity(160 + header.title.len());
        head.push_str(&header.title);
        head.push_str(" is known to be current only to ");
        push_date(&mut head, through);
        head.push_str("; the rates of its latest revision (");
        head.push_str(&revision.id);
        head.push_str(", from ");
        push_date(&mut head, revision.from);
        head.push_str(") were used for ");
        head
    };
    if !super::plan::on() {
        return write();
    }
    let kept = NOT_CURRENT.try_with(|heads| {
        let mut heads = heads.try_borrow_mut().ok()?;
        let at = match heads.iter().position(|(k, _)| *k == key) {
            Some(at) => at,
            None => {
                if heads.len() == NOT_CURRENT_KEPT {
                    heads.pop();
                }
                heads.insert(0, (key, write()));
                0
            }
        };
        let head = &heads[at].1;
        let mut message = String::with_capacity(head.len() + 64);
        message.push_str(head);
        Some(message)
    });
    kept.ok().flatten().unwrap_or_else(write)
}

/// Revisions whose [`not_current_head`] a thread keeps.
const NOT_CURRENT_KEPT: usize = 4;

thread_local! {
    /// This thread's [`not_current_head`]s, the latest written first.
    static NOT_CURRENT: std::cell::RefCell<Vec<((u64, usize), String)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// The less certain of two confidences.
fn weaker(a: Confidence, b: Confidence) -> Confidence {
    let rank = |c: Confidence| match c {
        Confidence::Confirmed => 0,
        Confidence::Secondary => 1,
        Confidence::Unconfirmed => 2,
    };
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}

/// `E_HS_NO_TARIFF_LINE` for `code`.
fn no_line(ctx: &Ctx<'_>, source: Source<'_>, reading: Reading<'_>, code: &str, i: usize) -> Error {
    let message = match source {
        Source::File { revision, .. } => {
            let mut m = format!("HS {code}");
            describe_reading(&mut m, reading);
            let _ = write!(
                m,
                " matches no line of {} ({} lines); correct the code",
                source_name(source),
                revision.len()
            );
            m
        }
        Source::Pack { tariff, .. } => format!(
            "HS {code} matches no line of the {} tariff ({} lines loaded); load the regime's full tariff or correct the code",
            ctx.version.label,
            tariff.lines().len()
        ),
    };
    Error::at(ErrorCode::HsNoTariffLine, item_path(i, "hs_code"), message)
}

/// `E_HS_AMBIGUOUS`, listing the lines. Written piece by piece: 2 % of the side-by-side
/// harness's records end here, and `format!` per listed line cost 8 000 instructions a record.
fn ambiguous(source: Source<'_>, code: &str, i: usize, lines: &[Candidate<'_>]) -> Error {
    let mut message = String::with_capacity(400);
    message.push_str("HS ");
    message.push_str(code);
    message.push_str(" covers ");
    push_count(&mut message, lines.len());
    message.push_str(" lines of ");
    push_source_name(&mut message, source);
    message.push_str(" with different duties:");
    list(&mut message, lines.iter(), lines.len(), |out, l| {
        out.push_str(l.code);
        out.push_str(" (");
        out.push_str(l.text);
        out.push(')');
    });
    message.push_str(
        "; declare the full national code, or choose the option hs_ambiguity=highest to price the dearest",
    );
    Error::at(ErrorCode::HsAmbiguous, item_path(i, "hs_code"), message)
}

/// `E_DUTY_NOT_COMPUTABLE` for a line whose rate cannot be computed.
fn not_computable(source: Source<'_>, line: &Candidate<'_>, reason: &str, i: usize) -> Error {
    Error::at(
        ErrorCode::DutyNotComputable,
        item_path(i, "hs_code"),
        format!(
            "the duty of line {} of {} is \"{}\", which cannot be computed from a declaration: {reason}",
            line.code,
            source_name(source),
            line.text
        ),
    )
}

/// A duty expression that could not be evaluated for item `i`, as the caller's error.
pub(crate) fn expression_error(i: usize, e: DutyExprError) -> Error {
    match e {
        DutyExprError::MissingInput { what, .. } => Error::at(
            ErrorCode::MissingDutyInput,
            match what.item_field() {
                Some(field) => String::from(item_path(i, field)),
                // A supplementary measure (m2, carat …): no declaration field carries it yet.
                None => format!("items[{i}]"),
            },
            e.to_string(),
        ),
        DutyExprError::Overflow { .. } => super::overflow(),
        other => Error::at(
            ErrorCode::InvalidExpression,
            item_path(i, "hs_code"),
            other.to_string(),
        ),
    }
}

/// `the Harmonized Tariff Schedule …, revision 2026-rev-10` or `the US@2025-08-29 tariff`.
fn source_name(source: Source<'_>) -> String {
    let mut out = String::with_capacity(120);
    push_source_name(&mut out, source);
    out
}

/// Appends [`source_name`].
fn push_source_name(out: &mut String, source: Source<'_>) {
    match source {
        Source::File {
            schedule,
            revision,
            picked,
            ..
        } => {
            out.push_str(&schedule.header().title);
            out.push_str(", revision ");
            out.push_str(&revision.id);
            if let Some(p) = picked {
                out.push_str(", column ");
                out.push_str(p.name);
            }
        }
        Source::Pack { .. } => out.push_str("the pack's tariff"),
    }
}

/// ` (read as HS 2017 620113, 620193: the code is HS 2022 …)`.
fn describe_reading(out: &mut String, reading: Reading<'_>) {
    if let Reading::Mapped { from, to, codes } = reading {
        let _ = write!(
            out,
            " ({from}, read as {to} {} through the UN correlation table)",
            subs(codes)
        );
    }
}

/// `620113, 620193`.
fn subs(codes: &[[u8; 6]]) -> String {
    codes
        .iter()
        .map(correlation::text)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Appends ` a, b, c … and N more` (at most [`LISTED`] items of `total`), each written by
/// `write`.
fn list<T>(
    out: &mut String,
    items: impl Iterator<Item = T>,
    total: usize,
    write: impl Fn(&mut String, T),
) {
    for (n, item) in items.take(LISTED).enumerate() {
        out.push_str(if n == 0 { " " } else { ", " });
        write(out, item);
    }
    if total > LISTED {
        out.push_str(" and ");
        push_count(out, total - LISTED);
        out.push_str(" more");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The remembered counterparts are the table's, whatever codes a thread looked up
        /// before (codes sharing a slot replace each other; edited codes are not six digits).
        #[test]
        fn remembered_counterparts_are_the_tables(
            codes in proptest::collection::vec(
                (proptest::sample::select(vec![
                    "851713", "851762", "847130", "620113", "620193", "950300", "854231",
                    "030289", "441210", "843139", "610910", "420221", "8517", "85171300x", "030721",
                    "030910", "030990", "030510", "030791", "030619",
                ]), 0u32..100, proptest::prelude::any::<bool>()),
                1..200,
            ),
        ) {
            let table = correlation::embedded();
            for (code, national, from_2022) in codes {
                let code = format!("{code}{national:02}");
                let (from, to) = if from_2022 {
                    (HsEdition::Hs2022, HsEdition::Hs2017)
                } else {
                    (HsEdition::Hs2017, HsEdition::Hs2022)
                };
                for (from, to) in [(from, to), (from, from)] {
                    proptest::prop_assert_eq!(
                        counterparts(&code, from, to),
                        table.counterparts(&code, from, to),
                        "{}", code
                    );
                }
            }
        }
    }
}
