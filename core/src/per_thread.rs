//! Each thread's own `Arc<str>` of a text results cite (issue 16).
//!
//! Most texts a result repeats are short (a regime id, a version label, a currency, `20%`) and
//! are [`crate::declaration::Text`]s: their clones copy 24 bytes and touch no shared memory.
//! A few can be longer than a `Text` keeps inline, and would then allocate on every clone:
//! duty rule texts (`3 EUR per tariff subheading (flat)`, `4.50% MIN 0.30 EUR / item MAX 0.80
//! EUR / item`), risk rule codes (`R_EU_HS_NOT_PHONE_OR_COMPUTER`), finding codes cited by a
//! release reason, agencies (`Animal and Plant Health Agency (CITES)`). Those are `Arc<str>`s;
//! but an `Arc` the engine holds, cloned by every worker thread, had the cores take turns at
//! its counter's cache line several times a record, and two threads each spent 7-10 % more
//! per record than one. So a result gets this thread's own `Arc` of the text, made on first
//! use and counted by this thread alone.
//!
//! The copies are found by the address and length of the text's bytes, in a table of
//! [`SLOTS`] slots (one per address hash; a newcomer replaces the slot's text). A slot holds a
//! clone of the engine's `Arc` it copied, so that the address cannot be freed and reused for
//! another text while the slot names it: equal address and length are the same text, and the
//! lookup compares two integers, not the bytes. The engine's counter is touched once per
//! thread and text, when the slot is filled (and once when it is replaced). A dropped engine's
//! texts that slots still hold stay alive (at most [`SLOTS`] per thread) until the slots are
//! replaced or the thread ends.
//!
//! The table is one of the crate's [`Slots`]: a thread's direct-mapped cache, also of score
//! messages (`risk::evaluate`) and of the tariff's plans of ambiguous codes
//! (`assess::tariff`).

use std::cell::RefCell;
use std::sync::Arc;
use std::thread::LocalKey;

/// A thread's direct-mapped cache: slot `i` holds what was last kept for a key whose slot is
/// `i` (a newcomer replaces it), each slot checking its own key. Empty until the thread's
/// first look-up ([`with_slot`]), so that a thread that never asks holds no table.
pub(crate) type Slots<V> = RefCell<Vec<Option<V>>>;

/// Calls `f` with slot `at % len` of this thread's `table` of `len` slots (made, empty, on
/// the first call), and gives what it returns: `None`, without calling `f`, when the thread
/// is exiting and its table is gone, or when `f` itself looks in the same table.
#[inline]
pub(crate) fn with_slot<V, R>(
    table: &'static LocalKey<Slots<V>>,
    len: usize,
    at: usize,
    f: impl FnOnce(&mut Option<V>) -> R,
) -> Option<R> {
    table
        .try_with(|slots| {
            let mut slots = slots.try_borrow_mut().ok()?;
            if slots.is_empty() {
                slots.resize_with(len, || None);
            }
            slots.get_mut(at % len).map(f)
        })
        .ok()
        .flatten()
}

/// Slots of each thread's table (a power of two): a regime's flat duty and relief texts, its
/// profile's codes and agencies, and the tariff rates a run prices, more than enough for a
/// run over one regime; a run over every regime's tariffs replaces some now and then.
const SLOTS: usize = 256;

/// One text this thread has its own copy of.
struct Slot {
    /// Address and length of the text's bytes.
    address: usize,
    len: usize,
    /// The engine's `Arc`, kept so that its address is not reused while the slot names it
    /// (`None` for a `&'static str`, which is never freed).
    _owner: Option<Arc<str>>,
    /// This thread's copy.
    copy: Arc<str>,
}

thread_local! {
    /// This thread's copies, by [`slot`]; empty until the thread's first text.
    static COPIES: Slots<Slot> = const { RefCell::new(Vec::new()) };
}

/// The slot of the text at `address`.
fn slot(address: usize) -> usize {
    // Fibonacci hashing: the product's high bits depend on every bit of the address.
    let hashed = (address as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (hashed >> (64 - SLOTS.trailing_zeros())) as usize
}

/// This thread's `Arc` of the engine's `shared` text.
pub(crate) fn text(shared: &Arc<str>) -> Arc<str> {
    copy(shared, || Some(Arc::clone(shared)))
}

/// This thread's `Arc` of a static text (a release code, a finding code).
pub(crate) fn fixed(text: &'static str) -> Arc<str> {
    copy(text, || None)
}

/// This thread's copy of `text`: the one made before for the same address and length, else a
/// new one (kept for the next time, with the owner `owner` gives).
fn copy(text: &str, owner: impl FnOnce() -> Option<Arc<str>>) -> Arc<str> {
    let (address, len) = (text.as_ptr() as usize, text.len());
    let found = with_slot(&COPIES, SLOTS, slot(address), |at| match at {
        Some(s) if s.address == address && s.len == len => Arc::clone(&s.copy),
        other => {
            let copy: Arc<str> = Arc::from(text);
            *other = Some(Slot {
                address,
                len,
                _owner: owner(),
                copy: Arc::clone(&copy),
            });
            copy
        }
    });
    // A thread whose copies are gone (it is exiting) makes a text of its own.
    found.unwrap_or_else(|| Arc::from(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_shares_its_copy_and_another_thread_has_its_own() {
        let shared: Arc<str> = Arc::from("3 EUR per tariff subheading (flat)");
        let (a, b) = (text(&shared), text(&shared));
        assert_eq!(&*a, &*shared);
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &shared));
        let other = std::thread::scope(|s| s.spawn(|| text(&shared)).join().unwrap());
        assert_eq!(other, a);
        assert!(!Arc::ptr_eq(&a, &other));
        // A static text too.
        let (s, t) = (fixed("REL_SCORE"), fixed("REL_SCORE"));
        assert!(Arc::ptr_eq(&s, &t));
        assert_eq!(&*fixed(&"REL_SCORE"[..3]), "REL");
    }

    #[test]
    fn a_freed_text_is_kept_until_its_slot_is_replaced() {
        let first: Arc<str> = Arc::from("R_FIRST_RULE_CODE_OF_A_PROFILE");
        let address = first.as_ptr();
        assert_eq!(&*text(&first), "R_FIRST_RULE_CODE_OF_A_PROFILE");
        drop(first);
        // The slot still owns the text: a new one of the same length is elsewhere.
        let second: Arc<str> = Arc::from("X_FIRST_RULE_CODE_OF_A_PROFILE");
        assert_ne!(second.as_ptr(), address);
        assert_eq!(&*text(&second), "X_FIRST_RULE_CODE_OF_A_PROFILE");
    }

    proptest::proptest! {
        /// Whatever texts a thread asks for, in whatever order, dropped and made again, each
        /// copy reads as its text.
        #[test]
        fn copies_read_as_their_texts(
            texts in proptest::collection::vec("[A-Za-z0-9 %._-]{0,40}", 1..40),
            order in proptest::collection::vec((0usize..1000, proptest::prelude::any::<bool>()), 1..300),
        ) {
            let mut texts: Vec<Arc<str>> = texts.iter().map(|t| Arc::from(t.as_str())).collect();
            for (i, remake) in order {
                let at = i % texts.len();
                proptest::prop_assert_eq!(&*text(&texts[at]), &*texts[at]);
                if remake {
                    // Freed (but for the slot's clone) and made again: a new address.
                    texts[at] = Arc::from(texts[at].to_string());
                }
            }
        }
    }
}
