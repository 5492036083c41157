//! Per-thread plans (issue 16): what an assessment derives from the engine's static rules alone
//! — which fees a tax subdivision can be charged, which data elements a release category
//! requires, which chapters a list of HS exclusions names — worked out on a thread's first
//! record that needs it and reused by the next ones, so that a record pays a table lookup
//! rather than string comparisons over the pack.
//!
//! A plan only narrows what the unplanned code then decides exactly as before (a fee a plan
//! keeps is still tested in full; a category whose elements the plan cannot prove present runs
//! the full check), so a plan can make an assessment cheaper but never different.
//!
//! **Keys.** A plan is keyed by the engine's [`PlanId`] and the address of the rule it was built
//! from (a version, a subdivision, a list of exclusions) and by nothing else: every input it
//! reads is part of that rule, and the rule is immutable for the engine's life. The id is new
//! for every engine built and every clone, and is never reused in a process, so an address
//! freed by a dropped engine and reused by another cannot find the dropped engine's plan.
//! Inputs that vary per record (the date, the currency, the options, the declaration) are not
//! planned here: a plan never reads them.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::declaration::Declaration;
use crate::regime::pack::{Exclusion, FeeFile};
use crate::regime::{Subdivision, Version};

/// The identity of one engine's plans: new for every engine built and every clone (a clone's
/// rules live at other addresses), never reused within a process.
#[derive(Debug)]
pub(crate) struct PlanId(u64);

/// The next [`PlanId`]; 0 is never handed out (an empty table slot holds it).
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

impl PlanId {
    /// A new identity.
    pub(crate) fn new() -> PlanId {
        PlanId(NEXT_ID.fetch_add(1, Ordering::Relaxed))
    }

    /// The number plans are keyed by.
    #[inline]
    pub(crate) fn get(&self) -> u64 {
        self.0
    }
}

impl Clone for PlanId {
    /// A fresh identity: the clone's rules are copies at new addresses.
    fn clone(&self) -> PlanId {
        PlanId::new()
    }
}

/// Slots of each table (a power of two): the versions, subdivisions and exclusion lists a run
/// touches, with room to spare for a run over every regime.
const SLOTS: usize = 64;

/// The table slot of a rule at `address`.
#[inline]
fn slot(address: usize) -> usize {
    let hashed = (address as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (hashed >> (64 - SLOTS.trailing_zeros())) as usize
}

/// The address a plan is keyed by.
#[inline]
fn address<T>(rule: &T) -> usize {
    rule as *const T as usize
}

#[cfg(test)]
thread_local! {
    /// Tests turn the plans off to compare with the unplanned computation.
    static OFF: Cell<bool> = const { Cell::new(false) };
}

/// Whether plans are used on this thread: always natively (but in tests that turn them off),
/// never in the WASM module. There a checkout assesses one declaration at a time, and the
/// plans' tables and builders cost 3.5 kB of the gzipped module (1 401 812 → 1 410 724 bytes,
/// 524.1 → 527.6 kB); with `on` constant false the compiler drops them.
#[inline]
pub(crate) fn on() -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        false
    }
    #[cfg(all(test, not(target_arch = "wasm32")))]
    {
        !OFF.with(Cell::get)
    }
    #[cfg(all(not(test), not(target_arch = "wasm32")))]
    {
        true
    }
}

/// Runs `f` with this thread's plans off: the unplanned computation, for comparison.
#[cfg(test)]
pub(crate) fn unplanned<T>(f: impl FnOnce() -> T) -> T {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            OFF.with(|o| o.set(self.0));
        }
    }
    let _restore = Restore(OFF.with(|o| o.replace(true)));
    f()
}

/// A direct-mapped table of `Copy` plans: `(engine, address, plan)` per slot.
type Table<V> = [Cell<(u64, usize, V)>; SLOTS];

/// The plan for `(engine, rule)` in `table`, built by `build` when the slot holds another one.
#[inline]
fn lookup<V: Copy>(
    table: &'static std::thread::LocalKey<Table<V>>,
    engine: u64,
    rule: usize,
    build: impl FnOnce() -> V,
) -> Option<V> {
    if !on() {
        return None;
    }
    table
        .try_with(|t| {
            let at = &t[slot(rule)];
            let (e, r, v) = at.get();
            if e == engine && r == rule {
                return v;
            }
            let v = build();
            at.set((engine, rule, v));
            v
        })
        .ok()
}

// ---------------------------------------------------------------------------------------------
// Fees

thread_local! {
    /// Per subdivision: the fees its tax subdivision can be charged ([`fees_for`]).
    static FEES: Table<FeeSet> = const { [const { Cell::new((0, 0, FeeSet::ALL)) }; SLOTS] };
}

/// The fees of a version (by index, at most 64) whose subdivision list admits a tax
/// subdivision, split by whether they are charged before the tax or only when something is
/// payable. The other fees are never charged there: their subdivision test fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FeeSet {
    /// Fees charged whatever is payable (`only_if_payable: false`).
    pub before_tax: u64,
    /// Fees charged only when something is payable at import.
    pub if_payable: u64,
}

impl FeeSet {
    /// Every fee (the unplanned loop, or more than 64 fees).
    pub const ALL: FeeSet = FeeSet {
        before_tax: u64::MAX,
        if_payable: u64::MAX,
    };

    /// The set of `fees` admitting subdivision `key`.
    fn of(fees: &[FeeFile], key: &str) -> FeeSet {
        if fees.len() > 64 {
            return FeeSet::ALL;
        }
        let mut set = FeeSet {
            before_tax: 0,
            if_payable: 0,
        };
        for (i, fee) in fees.iter().enumerate() {
            let admits = fee
                .subdivisions
                .as_ref()
                .is_none_or(|s| s.iter().any(|s| s == key));
            if admits {
                match fee.only_if_payable {
                    false => set.before_tax |= 1 << i,
                    true => set.if_payable |= 1 << i,
                }
            }
        }
        set
    }
}

/// The fees of `version` that tax subdivision `sub` (one of the version's) can be charged: a
/// superset of those charged on any consignment there.
pub(crate) fn fees_for(engine: u64, version: &Version, sub: &Subdivision) -> FeeSet {
    // Keyed by the subdivision, which belongs to one version: its key and the version's fees
    // are all the plan reads.
    lookup(&FEES, engine, address(sub), || {
        FeeSet::of(&version.rules.fees, &sub.key)
    })
    .unwrap_or(FeeSet::ALL)
}

// ---------------------------------------------------------------------------------------------
// Required data

/// The data elements [`super::required_data::check`] can test, as bits: the item elements
/// (every item must give them) and the consignment's.
mod element {
    pub const DESCRIPTION: u16 = 1 << 0;
    pub const HS_CODE: u16 = 1 << 1;
    pub const ORIGIN: u16 = 1 << 2;
    pub const NET_MASS: u16 = 1 << 3;
    pub const GROSS_MASS: u16 = 1 << 4;
    pub const SELLER_COUNTRY: u16 = 1 << 8;
    pub const SELLER_REGISTRATIONS: u16 = 1 << 9;
    pub const MARKETPLACE: u16 = 1 << 10;
    pub const CARRIER: u16 = 1 << 11;
    pub const ADDRESS: u16 = 1 << 12;
    pub const TAX_ID: u16 = 1 << 13;
}

/// An element the check cannot find missing (an unknown name, `items[].value`).
const ALWAYS: u16 = 0;

/// The element a required-data field names, as the check reads it.
fn element_of(field: &str) -> u16 {
    use element::*;
    if let Some(item_field) = field.strip_prefix("items[].") {
        return match item_field {
            "description" => DESCRIPTION,
            "hs_code" => HS_CODE,
            "origin" => ORIGIN,
            "net_mass_kg" => NET_MASS,
            "gross_mass_kg" => GROSS_MASS,
            _ => ALWAYS,
        };
    }
    match field {
        "seller.country" => SELLER_COUNTRY,
        "seller.registrations" => SELLER_REGISTRATIONS,
        "marketplace.name" => MARKETPLACE,
        "carrier.name" | "transport" => CARRIER,
        "consignee.address" => ADDRESS,
        "consignee.tax_id" => TAX_ID,
        _ => ALWAYS,
    }
}

thread_local! {
    /// Per version: the elements each release category requires ([`required`]).
    static REQUIRED: Table<[u16; 4]> = const { [const { Cell::new((0, 0, [0; 4])) }; SLOTS] };
}

/// The elements release category 1-4 of `version` requires, as bits; `None` with the plans
/// off.
fn required(engine: u64, version: &Version) -> Option<[u16; 4]> {
    lookup(&REQUIRED, engine, address(version), || {
        let r = &version.rules.categories.required_data;
        let mask = |fields: &[String]| fields.iter().fold(0, |m, f| m | element_of(f));
        [
            mask(&r.documents),
            mask(&r.low_value_non_dutiable),
            mask(&r.low_value_dutiable),
            mask(&r.high_value),
        ]
    })
}

/// Whether `decl` gives every element `version` requires in release `category`: then the full
/// check finds nothing missing. `false` when it may miss one (or the plans are off), and the
/// full check decides.
pub(crate) fn gives_required(
    engine: u64,
    version: &Version,
    category: u8,
    decl: &Declaration,
) -> bool {
    let Some(masks) = required(engine, version) else {
        return false;
    };
    let needed = masks[match category {
        1 => 0,
        2 => 1,
        3 => 2,
        _ => 3,
    }];
    needed & !given(decl, needed) == 0
}

/// The elements of `needed` that `decl` gives (item elements: every item gives them).
fn given(decl: &Declaration, needed: u16) -> u16 {
    use element::*;
    let bit = |given: bool, element: u16| if given { element } else { 0 };
    let mut items = DESCRIPTION | HS_CODE | ORIGIN | NET_MASS | GROSS_MASS;
    for item in &decl.items {
        let described = needed & DESCRIPTION == 0 || described(&item.description);
        items &= bit(described, DESCRIPTION)
            | bit(item.hs_code.is_some(), HS_CODE)
            | bit(item.origin.is_some(), ORIGIN)
            | bit(item.net_mass_kg.is_some(), NET_MASS)
            | bit(item.gross_mass_kg.is_some(), GROSS_MASS);
    }
    let seller = &decl.seller;
    items
        | bit(seller.country.is_some(), SELLER_COUNTRY)
        | bit(!seller.registrations.is_empty(), SELLER_REGISTRATIONS)
        | bit(decl.marketplace.is_some(), MARKETPLACE)
        | bit(decl.carrier.is_some(), CARRIER)
        | bit(decl.consignee.address.is_some(), ADDRESS)
        | bit(decl.consignee.tax_id.is_some(), TAX_ID)
}

/// `!description.trim().is_empty()`, told from the first byte when it is printable ASCII
/// (no Unicode white space is).
#[inline]
fn described(description: &str) -> bool {
    match description.as_bytes().first() {
        Some(&b) if b > b' ' && b < 0x80 => true,
        _ => !description.trim().is_empty(),
    }
}

// ---------------------------------------------------------------------------------------------
// HS exclusions

thread_local! {
    /// Per list of exclusions: the chapters its prefixes name ([`exclusion_chapters`], the
    /// de minimis thresholds' lists).
    static CHAPTERS: Table<Chapters> = const { [const { Cell::new((0, 0, Chapters::ANY)) }; SLOTS] };
    /// The same for the collection schemes' lists ([`any_excluded`]) and the excise goods'
    /// ([`prefix_chapters`]), each in a table of its own: a list that shared a slot of a
    /// direct-mapped table with another used on every record would be read again each time.
    static SCHEME_CHAPTERS: Table<Chapters> = const { [const { Cell::new((0, 0, Chapters::ANY)) }; SLOTS] };
    static EXCISE_CHAPTERS: Table<Chapters> = const { [const { Cell::new((0, 0, Chapters::ANY)) }; SLOTS] };
}

/// The two-digit chapters a list of HS prefixes can match, as bits (chapter `c` is bit
/// `c % 64` of word `c / 64`: two words, as a `u128`'s shifts cost several instructions each);
/// `ANY` when a prefix is shorter than two digits or not digits (the list is then always
/// searched).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Chapters([u64; 2]);

impl Chapters {
    const ANY: Chapters = Chapters([u64::MAX; 2]);

    fn of<'a>(prefixes: impl IntoIterator<Item = &'a str>) -> Chapters {
        let mut words = [0u64; 2];
        for prefix in prefixes {
            match chapter(prefix) {
                Some(c) => words[(c >> 6) as usize & 1] |= 1 << (c & 63),
                None => return Chapters::ANY,
            }
        }
        Chapters(words)
    }

    /// Whether chapter `c` (0-99) is one of these (always for `ANY`).
    #[inline]
    fn has(self, c: u32) -> bool {
        self.0[(c >> 6) as usize & 1] >> (c & 63) & 1 != 0
    }
}

/// The chapters `prefixes` name, from this thread's plan (`None` without one), for
/// [`may_start`]: the excise goods' prefixes against every item of a consignment.
pub(crate) fn prefix_chapters(engine: u64, prefixes: &[String]) -> Option<Chapters> {
    if prefixes.is_empty() {
        return None;
    }
    lookup(&EXCISE_CHAPTERS, engine, prefixes.as_ptr() as usize, || {
        Chapters::of(prefixes.iter().map(String::as_str))
    })
}

/// Whether `code` may start with one of the prefixes whose chapters are `chapters` (when
/// known): false only when its chapter is none of them.
#[inline]
pub(crate) fn may_start(chapters: Option<Chapters>, code: &str) -> bool {
    match (chapters, chapter(code)) {
        (Some(chapters), Some(c)) => chapters.has(c),
        _ => true,
    }
}

/// The chapter (0-99) of a code or prefix starting with two ASCII digits.
#[inline]
fn chapter(code: &str) -> Option<u32> {
    match *code.as_bytes() {
        [a @ b'0'..=b'9', b @ b'0'..=b'9', ..] => {
            Some(u32::from(a - b'0') * 10 + u32::from(b - b'0'))
        }
        _ => None,
    }
}

/// Whether `hs` falls under one of `exclusions` ([`crate::regime::excluded_by`]), the
/// list's chapters looked up for it ([`excluded_among`] is given them).
#[cfg(test)]
pub(crate) fn excluded(engine: u64, exclusions: &[Exclusion], hs: Option<&str>) -> bool {
    excluded_among(exclusion_chapters(engine, exclusions), exclusions, hs)
}

/// The chapters a de minimis's `exclusions` name, from this thread's plan, for
/// [`excluded_among`]: looked up once a consignment rather than once an item (issue 16).
/// `None` for an empty list, which excludes nothing.
#[inline]
pub(crate) fn exclusion_chapters(engine: u64, exclusions: &[Exclusion]) -> Option<Chapters> {
    if exclusions.is_empty() {
        return None;
    }
    chapters(&CHAPTERS, engine, exclusions)
}

/// Whether `hs` falls under one of `exclusions` ([`crate::regime::excluded_by`]), given the
/// chapters the list names ([`exclusion_chapters`]): a code whose chapter none of the
/// prefixes names is told without comparing them.
#[inline]
pub(crate) fn excluded_among(
    chapters: Option<Chapters>,
    exclusions: &[Exclusion],
    hs: Option<&str>,
) -> bool {
    match hs {
        Some(code) if !exclusions.is_empty() => excluded_in(chapters, exclusions, code),
        _ => false,
    }
}

/// Whether one of `codes` falls under `exclusions`, as [`excluded_among`] tells each: the chapters
/// of the list are looked up once for all of them (a collection scheme's exclusions against
/// every item of a consignment).
pub(crate) fn any_excluded<'d>(
    engine: u64,
    exclusions: &[Exclusion],
    codes: impl Iterator<Item = Option<&'d str>>,
) -> bool {
    if exclusions.is_empty() {
        return false;
    }
    let chapters = chapters(&SCHEME_CHAPTERS, engine, exclusions);
    // A loop: `flatten().any(..)` was an out-of-line `try_fold` of some 60 instructions an item.
    for code in codes.flatten() {
        if excluded_in(chapters, exclusions, code) {
            return true;
        }
    }
    false
}

/// The chapters `exclusions` name, from this thread's plan in `table` (`None` without one).
#[inline]
fn chapters(
    table: &'static std::thread::LocalKey<Table<Chapters>>,
    engine: u64,
    exclusions: &[Exclusion],
) -> Option<Chapters> {
    lookup(table, engine, exclusions.as_ptr() as usize, || {
        Chapters::of(exclusions.iter().map(|e| e.hs_prefix.as_str()))
    })
}

/// Whether `code` falls under `exclusions`, whose prefixes name `chapters` when known.
#[inline]
fn excluded_in(chapters: Option<Chapters>, exclusions: &[Exclusion], code: &str) -> bool {
    may_start(chapters, code) && crate::regime::excluded_by(exclusions, Some(code)).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_never_reused_and_clones_get_their_own() {
        let a = PlanId::new();
        let b = a.clone();
        assert_ne!(a.get(), b.get());
        assert_ne!(a.get(), 0);
    }

    #[test]
    fn described_is_trim_not_empty() {
        for s in [
            "", " ", "a", " a", "\u{a0}", "\u{a0}x", "\u{1c}", "\t\n", "é", "\u{2028}", "x ",
            "\u{b}",
        ] {
            assert_eq!(described(s), !s.trim().is_empty(), "{s:?}");
        }
    }

    proptest::proptest! {
        /// The chapter filter never changes what the list search says.
        #[test]
        fn excluded_is_excluded_by(
            prefixes in proptest::collection::vec("[0-9]{0,6}|x[0-9]", 0..6),
            code in proptest::option::of("[0-9]{0,8}|[a-z0-9]{1,4}"),
        ) {
            let list: Vec<Exclusion> = prefixes
                .iter()
                .map(|p| Exclusion { hs_prefix: p.clone(), reason: String::new() })
                .collect();
            // A new engine number each time: the list's address may repeat.
            let engine = PlanId::new().get();
            proptest::prop_assert_eq!(
                excluded(engine, &list, code.as_deref()),
                crate::regime::excluded_by(&list, code.as_deref()).is_some()
            );
            // The same list against the code and a few others, its chapters looked up once.
            let codes = [code.as_deref(), Some("220300"), Some("9"), None];
            proptest::prop_assert_eq!(
                any_excluded(engine, &list, codes.iter().copied()),
                codes.iter().any(|c| crate::regime::excluded_by(&list, *c).is_some())
            );
            // A code the chapters rule out starts with none of the prefixes.
            if let Some(code) = code.as_deref() {
                let chapters = prefix_chapters(engine, &prefixes);
                if !may_start(chapters, code) {
                    proptest::prop_assert!(
                        !prefixes.iter().any(|p| crate::regime::hs_starts_with(code, p))
                    );
                }
            }
        }
    }
}
