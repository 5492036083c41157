//! A thread's last result, reused: a stream of assessments (`Engine::assess_json_into`, the
//! path of every binding) fills one result in place, so that it allocates no duty, tax or fee
//! lines, findings or trace steps once the first records have sized their vectors, and copies
//! no result from stage to stage.
//!
//! A result handed to the caller by value (`Engine::assess`) is a new one, as before; only
//! results the engine writes and forgets itself are kept, one per thread that streamed (the
//! last one, until the thread ends or assesses again).

use std::cell::Cell;

use rust_decimal::Decimal;

use super::valuation::Line;
use crate::result::{Assessment, DutyLine, FeeLine, Finding, TaxLine};
use crate::trace::TraceStep;

/// Empty vectors, with whatever capacity an earlier result left them.
#[derive(Default)]
pub(crate) struct Spare {
    pub duties: Vec<DutyLine>,
    pub taxes: Vec<TaxLine>,
    pub fees: Vec<FeeLine>,
    pub findings: Vec<Finding>,
    pub trace: Vec<TraceStep>,
    /// The item list of the first tax line, emptied: the first rate group's (most
    /// consignments have one), one allocation a record less.
    pub tax_items: Vec<usize>,
}

impl Spare {
    /// The vectors of `result` ([`Spare::of`]), or new ones when it is `fresh`
    /// ([`Assessment::empty`]: emptying its empty vectors cost some 125 instructions a new
    /// result), the duty lines' with room for the declaration's `items`, as the duty stage
    /// reserves for every declaration: `Vec::with_capacity` is a shorter path to the allocator
    /// than `reserve`'s growth of an empty vector (`do_reserve_and_handle`, `finish_grow`).
    /// Made here, on a new result's path alone, the vectors of a reused result (a stream's)
    /// go through the stages as before.
    #[inline(always)]
    pub fn taken(result: &mut Assessment, fresh: bool, items: usize) -> Spare {
        if fresh {
            Spare {
                duties: Vec::with_capacity(items),
                ..Spare::default()
            }
        } else {
            Spare::of(result)
        }
    }

    /// The vectors of `result`, emptied (their elements dropped, their capacity kept).
    pub fn of(result: &mut Assessment) -> Spare {
        let tax_items = match result.taxes.first_mut() {
            Some(line) => emptied(&mut line.items),
            None => Vec::new(),
        };
        Spare {
            tax_items,
            duties: emptied(&mut result.duties),
            taxes: emptied(&mut result.taxes),
            fees: emptied(&mut result.fees),
            findings: emptied(&mut result.findings),
            trace: result.trace.as_mut().map(emptied).unwrap_or_default(),
        }
    }
}

/// The release reasons' vector for [`crate::release::decide`], which reserves four: `result`'s,
/// emptied (one allocation a record less), or for a `fresh` result a new one with that room,
/// as [`Spare::taken`] makes the duty lines'.
#[inline(always)]
pub(crate) fn reasons(result: &mut Assessment, fresh: bool) -> Vec<crate::release::ReleaseReason> {
    if fresh {
        Vec::with_capacity(4)
    } else {
        let mut reasons = std::mem::take(&mut result.release.reasons);
        reasons.clear();
        reasons
    }
}

/// `v.reserve_exact(n)`, for a vector that may have no room yet (a new result's tax lines, a
/// tax line's items, its findings): with no capacity it is made by `Vec::with_capacity`, a
/// shorter path to the allocator than `reserve`'s growth of an empty vector
/// (`do_reserve_and_handle`, `finish_grow`: some 50 instructions an allocation, issue 16).
/// The vector replaced holds no allocation, so it is forgotten, not dropped.
/// The new vector's path is out of line, so that a reused vector's path is as before. The
/// WASM modules keep `reserve_exact` alone (size, issue 17).
#[inline(always)]
pub(crate) fn reserve_exact<T>(v: &mut Vec<T>, n: usize) {
    #[cfg(not(target_arch = "wasm32"))]
    if v.capacity() == 0 {
        made_with(v, n);
        return;
    }
    v.reserve_exact(n);
}

/// Room for `n` in `v`, which has none ([`reserve_exact`], [`first_room`]).
#[cfg(not(target_arch = "wasm32"))]
#[inline(never)]
fn made_with<T>(v: &mut Vec<T>, n: usize) {
    std::mem::forget(std::mem::replace(v, Vec::with_capacity(n)));
}

/// Room for `n` in `v` when it has none (a new result's findings), made by
/// `Vec::with_capacity`, as [`reserve_exact`]; a vector with room is left to `push` (and
/// every vector in the WASM modules).
#[inline(always)]
pub(crate) fn first_room<T>(v: &mut Vec<T>, n: usize) {
    #[cfg(not(target_arch = "wasm32"))]
    if v.capacity() == 0 {
        made_with(v, n);
    }
    #[cfg(target_arch = "wasm32")]
    let _ = (v, n);
}

/// Drops `v`, calling its elements' drop only when it has an allocation (a vector of no
/// capacity holds no element of a sized type): the drop of a vector of findings is a call of
/// its own, some 25 instructions even when it is empty, and the vectors a result or a context
/// drops at the end of a record are the empty ones [`emptied`] left. Always inlined: a test
/// and a branch, where a call of its own cost more than the drop it saves; the drop of a
/// vector with an allocation is out of line ([`drop_allocated`]), so that the elements' drop
/// loops are not copied into every caller.
#[inline(always)]
pub(crate) fn drop_vec<T>(v: Vec<T>) {
    if v.capacity() == 0 && std::mem::size_of::<T>() != 0 {
        std::mem::forget(v);
    } else {
        drop_allocated(v);
    }
}

/// [`drop_vec`] of a vector with an allocation.
#[inline(never)]
fn drop_allocated<T>(v: Vec<T>) {
    drop(v);
}

/// Drops the vector in `cell` when it has an allocation ([`SpareLines::dispose`]).
#[inline(always)]
pub(crate) fn gone<T>(cell: &mut Cell<Vec<T>>) {
    let v = cell.get_mut();
    if v.capacity() != 0 {
        drop_allocated(std::mem::take(v));
    }
}

/// The vector `v` held, emptied, leaving an empty one in its place.
fn emptied<T>(v: &mut Vec<T>) -> Vec<T> {
    let mut v = std::mem::take(v);
    v.clear();
    v
}

/// What the stages take their vectors from during one assessment: each takes its own once
/// (`Cell::take` leaves an empty vector, so a second taker simply allocates).
#[derive(Default)]
pub(crate) struct SpareLines {
    pub duties: Cell<Vec<DutyLine>>,
    pub taxes: Cell<Vec<TaxLine>>,
    pub fees: Cell<Vec<FeeLine>>,
    /// An item list for a tax line ([`Spare::tax_items`]).
    pub tax_items: Cell<Vec<usize>>,
}

impl SpareLines {
    /// The line vectors of a [`Spare`] (its findings and trace go to the context's own
    /// records).
    pub fn new(
        duties: Vec<DutyLine>,
        taxes: Vec<TaxLine>,
        fees: Vec<FeeLine>,
        tax_items: Vec<usize>,
    ) -> SpareLines {
        SpareLines {
            duties: Cell::new(duties),
            taxes: Cell::new(taxes),
            fees: Cell::new(fees),
            tax_items: Cell::new(tax_items),
        }
    }

    /// Drops the vectors no stage took (each by [`gone`]: those a stage took are empty and
    /// cost no drop call). The context keeps its lines in a `ManuallyDrop` and calls this from
    /// its `Drop`: the drop glue was an out-of-line call of four vectors' drops (about 40
    /// instructions a record).
    ///
    /// A vector a stage took is left empty, with no capacity: it is only looked at, not
    /// taken (a take writes an empty vector back).
    #[inline(always)]
    pub fn dispose(&mut self) {
        gone(&mut self.duties);
        gone(&mut self.taxes);
        gone(&mut self.fees);
        gone(&mut self.tax_items);
    }
}

thread_local! {
    /// This thread's last result, boxed so that taking it out and putting it back moves a
    /// pointer, not the result.
    static LAST: Cell<Option<Box<Assessment>>> = const { Cell::new(None) };
}

/// Assesses `decl` into this thread's last result ([`super::assess_into`]) and hands it to
/// `then`: a stream of assessments reuses one result, its vectors included. The first record
/// of a thread, a nested call (none today) or a thread being torn down finds no result and
/// assesses into a new one.
#[inline]
pub(crate) fn assess_then<R>(
    engine: &crate::Engine,
    decl: &crate::declaration::Declaration,
    opts: &super::AssessOptions,
    then: impl FnOnce(&Assessment) -> R,
) -> Result<R, crate::error::Error> {
    let result = match LAST.try_with(Cell::take).ok().flatten() {
        Some(mut last) => match super::assess_into(engine, decl, opts, &mut last) {
            Ok(()) => last,
            Err(e) => {
                // Kept for its vectors' capacity.
                let _ = LAST.try_with(|slot| slot.set(Some(last)));
                return Err(e);
            }
        },
        None => Box::new(super::assess(engine, decl, opts)?),
    };
    let out = then(&result);
    let _ = LAST.try_with(|slot| slot.set(Some(result)));
    Ok(out)
}

/// A thread's working vector kept from one assessment to the next ([`take`], [`keep`]).
pub(crate) type Kept<T> = std::thread::LocalKey<Cell<Vec<T>>>;

/// The vector `kept` holds (empty, with the capacity an earlier assessment left it), or a new
/// one for a nested assessment (none today) or a thread being torn down.
#[inline]
pub(crate) fn take<T>(kept: &'static Kept<T>) -> Vec<T> {
    kept.try_with(Cell::take).unwrap_or_default()
}

/// Gives `vector` back to `kept`, emptied, for the thread's next assessment.
#[inline]
pub(crate) fn keep<T>(kept: &'static Kept<T>, mut vector: Vec<T>) {
    vector.clear();
    let _ = kept.try_with(|k| k.set(vector));
}

thread_local! {
    /// The valuation lines of this thread's last assessment, emptied ([`lines`]).
    static LINES: Cell<Vec<Line>> = const { Cell::new(Vec::new()) };
    /// The item duties of this thread's last assessment, emptied ([`item_duty`]).
    static ITEM_DUTY: Cell<Vec<Decimal>> = const { Cell::new(Vec::new()) };
}

/// An empty vector for an assessment's valuation lines, with room for `n`: the one the
/// thread's last assessment gave back ([`keep_working`]) when there is one, so that a stream
/// allocates none once its first records have sized it.
pub(crate) fn lines(n: usize) -> Vec<Line> {
    let mut lines = take(&LINES);
    lines.reserve(n);
    lines
}

/// `n` zero item duties, in the vector the thread's last assessment gave back, as [`lines`].
pub(crate) fn item_duty(n: usize) -> Vec<Decimal> {
    let mut duty = take(&ITEM_DUTY);
    duty.resize(n, Decimal::ZERO);
    duty
}

/// Gives a finished assessment's working vectors back to the thread, emptied, for its next
/// assessment ([`lines`], [`item_duty`]).
pub(crate) fn keep_working(lines: Vec<Line>, item_duty: Vec<Decimal>) {
    keep(&LINES, lines);
    keep(&ITEM_DUTY, item_duty);
}
