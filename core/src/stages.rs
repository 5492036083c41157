//! NDJSON lines assessed stage by stage (issue 16): a run of up to [`RUN`] lines is first read
//! into declarations, then assessed, then written, instead of each line being read, assessed
//! and written before the next.
//!
//! The reader, the assessment and the writer together are more code than the processor's
//! first-level instruction cache holds (32 kB on this project's benchmark machine), so a line
//! at a time fetches most of that code again for every record. In runs, each stage's code is
//! fetched once for [`RUN`] records. Measured with `xborder assess` on generated EU declarations
//! (callgrind's cache and branch simulation): instruction-cache misses 1 796 → 1 234 a record,
//! mispredicted conditional branches 272 → 207, instructions unchanged; user CPU time about
//! 5 % less (BENCHMARKS.md, "lines in runs"). The output bytes are those of [`Engine::assess_ndjson_text_line`] line
//! after line: the same record, error record or nothing for each line, in input order.

use std::cell::Cell;

use crate::declaration::{Declaration, SPARE_ITEMS};
use crate::engine::{declared_id, Engine, LineOutcome, Rejection};
use crate::ndjson::TextLine;
use crate::result::Assessment;
use crate::AssessOptions;

/// Lines read, assessed and written per run: 16 gave about half the saving, 64 and 256 the
/// same (user CPU time, 1 M generated EU lines), so the smallest of those keeps the least
/// memory.
pub(crate) const RUN: usize = 64;

/// What a line of the run has become so far.
enum Slot {
    /// Blank: nothing to write.
    Blank,
    /// Read into the declaration of the same index, and after stage 2 assessed into the
    /// result of the same index; `true` when the reader found it valid as it read it
    /// ([`crate::declaration::with_checked`]).
    Record(bool),
    /// Refused, unreadable or not assessable: its error record goes in its place.
    Rejected(Rejection),
}

/// A thread's declarations and results for one run, kept for its next run so that their
/// vectors are reused like the one-line path's ([`crate::declaration::read_then`],
/// `assess::spare`).
#[derive(Default)]
struct Runs {
    declarations: Vec<Declaration>,
    results: Vec<Assessment>,
    slots: Vec<Slot>,
}

thread_local! {
    static KEPT: Cell<Option<Box<Runs>>> = const { Cell::new(None) };
}

/// [`Engine::assess_ndjson_text_lines`]: the lines in runs of [`RUN`], each run's outcomes
/// handed to `outcome` in input order.
pub(crate) fn assess_lines(
    engine: &Engine,
    lines: &[TextLine<'_>],
    options: &AssessOptions,
    out: &mut Vec<u8>,
    outcome: &mut dyn FnMut(LineOutcome),
) {
    let mut end = out.len();
    assess_lines_over(engine, lines, options, out, &mut end, outcome);
    out.truncate(end);
}

/// [`Engine::assess_ndjson_text_lines_over`]: [`assess_lines`] written over `out` from `*end`
/// on, `*end` moved past what was written; `out` keeps its length where it is long enough
/// ([`Assessment::write_json_over`]).
pub(crate) fn assess_lines_over(
    engine: &Engine,
    lines: &[TextLine<'_>],
    options: &AssessOptions,
    out: &mut Vec<u8>,
    end: &mut usize,
    outcome: &mut dyn FnMut(LineOutcome),
) {
    let mut runs = KEPT.try_with(Cell::take).ok().flatten().unwrap_or_default();
    for run in lines.chunks(RUN) {
        runs.make_room(run.len());
        runs.read(run);
        runs.assess(engine, options);
        runs.write(out, end, outcome);
    }
    let _ = KEPT.try_with(|kept| kept.set(Some(runs)));
}

/// `byte` written at `out[*end]` (pushed when `out` ends there; an `*end` past the end of
/// `out` is reached with zeros), `*end` moved past it.
fn put(out: &mut Vec<u8>, end: &mut usize, byte: u8) {
    match out.get_mut(*end) {
        Some(at) => *at = byte,
        None => {
            out.resize(*end, 0);
            out.push(byte);
        }
    }
    *end += 1;
}

/// Lines of text gathered before they go to [`assess_lines`] together: a few runs' worth, so
/// that a batch of mostly good lines is assessed in full runs.
const GROUP: usize = 4 * RUN;

/// [`Engine::assess_ndjson_batch`]: the `\n`-separated lines of `input`, numbered from 1, in
/// runs; a line that is not UTF-8 ends the group before it and gets the one-line path's
/// `E_INVALID_UTF8` (or `E_INPUT_TOO_LARGE`) record in its place.
pub(crate) fn assess_batch(
    engine: &Engine,
    input: &[u8],
    options: &AssessOptions,
    out: &mut Vec<u8>,
    outcome: &mut dyn FnMut(u64, LineOutcome),
) {
    let mut group: Vec<TextLine<'_>> = Vec::with_capacity(GROUP);
    for (line, line_no) in input.split(|&b| b == b'\n').zip(1..) {
        if let Ok(text) = std::str::from_utf8(line) {
            group.push(TextLine {
                line: text,
                full_len: line.len(),
                line_no,
            });
            if group.len() == GROUP {
                assess_group(engine, &mut group, options, out, outcome);
            }
        } else {
            assess_group(engine, &mut group, options, out, outcome);
            let refused = engine.assess_ndjson_line(line, line.len(), line_no, options, out);
            outcome(line_no, refused);
        }
    }
    assess_group(engine, &mut group, options, out, outcome);
}

/// The lines gathered so far, each outcome with its line's number; leaves `group` empty.
fn assess_group(
    engine: &Engine,
    group: &mut Vec<TextLine<'_>>,
    options: &AssessOptions,
    out: &mut Vec<u8>,
    outcome: &mut dyn FnMut(u64, LineOutcome),
) {
    // `assess_lines` gives exactly one outcome per line, in order.
    let mut numbers = group.iter().map(|line| line.line_no);
    assess_lines(engine, group, options, out, &mut |o| {
        outcome(numbers.next().unwrap_or_default(), o);
    });
    group.clear();
}

impl Runs {
    fn make_room(&mut self, n: usize) {
        self.declarations
            .resize_with(n.max(self.declarations.len()), Declaration::default);
        self.results
            .resize_with(n.max(self.results.len()), Assessment::empty);
        self.slots.clear();
    }

    /// Stage 1: every line refused, found blank or read (the one-line path's
    /// `Engine::record`).
    fn read(&mut self, run: &[TextLine<'_>]) {
        for (line, declaration) in run.iter().zip(&mut self.declarations) {
            let record = crate::ndjson::line_str(line.line, line.full_len, line.line_no);
            self.slots.push(match record {
                Ok(None) => Slot::Blank,
                Err(error) => Slot::Rejected(Rejection::new(None, error)),
                Ok(Some(text)) => match declaration.read_json(text) {
                    Ok(checked) => Slot::Record(checked),
                    Err(error) => Slot::Rejected(Rejection::new(declared_id(text), error)),
                },
            });
        }
    }

    /// Stage 2: every declaration read is assessed into the result of its index; one that
    /// cannot be becomes a rejection (the one-line path's `Engine::assess_json_into`).
    fn assess(&mut self, engine: &Engine, options: &AssessOptions) {
        let lines = self
            .slots
            .iter_mut()
            .zip(&self.declarations)
            .zip(&mut self.results);
        for ((slot, declaration), result) in lines {
            if let Slot::Record(checked) = *slot {
                let assessed = crate::declaration::with_checked(declaration, checked, || {
                    crate::assess::assess_into(engine, declaration, options, result)
                });
                if let Err(error) = assessed {
                    *slot = Slot::Rejected(Rejection::new(Some(declaration.id.to_string()), error));
                }
            }
        }
    }

    /// Stage 3: each line's result or error record, and its newline, in input order, written
    /// over `out` from `*end` ([`assess_lines_over`]). A declaration (and its result) that grew
    /// past the one-line path's bound is dropped, so a run of long declarations does not keep
    /// its memory.
    fn write(&mut self, out: &mut Vec<u8>, end: &mut usize, outcome: &mut dyn FnMut(LineOutcome)) {
        let lines = self
            .slots
            .drain(..)
            .zip(&mut self.declarations)
            .zip(&mut self.results);
        for ((slot, declaration), result) in lines {
            match slot {
                Slot::Blank => outcome(LineOutcome::Blank),
                Slot::Record(_) => {
                    *end = result.write_json_over(out, *end);
                    put(out, end, b'\n');
                    outcome(LineOutcome::Assessed);
                }
                Slot::Rejected(rejection) => {
                    *end = rejection.write_json_over(out, *end);
                    put(out, end, b'\n');
                    outcome(LineOutcome::Rejected(rejection));
                }
            }
            if declaration.items.capacity() > SPARE_ITEMS {
                *declaration = Declaration::default();
                *result = Assessment::empty();
            }
        }
    }
}
