//! [`Message`]: the text of a finding or a release reason, kept inside the finding or reason
//! when it is short, so that the messages most records carry cost no allocation (issue 16).

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

use arrayvec::ArrayString;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Bytes a message keeps inline: every risk-rule and revenue reason of the generated EU
/// stream (the longest, `R_EU_UNDERVALUED_PHONES`, is 171) and the collected-at-sale finding.
const INLINE: usize = 172;

/// The plain-language text of a [`Finding`](crate::result::Finding) or a
/// [`ReleaseReason`](crate::release::ReleaseReason).
///
/// It reads as a `str` (it derefs to one, and `Display`, `Debug`, equality, ordering, hashing
/// and serde are the text's), but it is not a `String`: a fixed text is borrowed, a text of up
/// to 172 bytes is kept inline, a longer one the engine writes again and again (a tariff
/// file's `F_TARIFF_NOT_CURRENT`) is shared, and only any other longer one is on the heap.
/// Which of these a message is does not show in its value: two messages of the same text are
/// equal. Make one
/// with `From<String>`, `From<&str>` or [`Message::from_static`]; turn it into a `String` with
/// `String::from`.
#[derive(Clone)]
pub struct Message(Repr);

#[derive(Clone)]
enum Repr {
    Static(&'static str),
    Inline(ArrayString<INLINE>),
    /// A text kept by the engine and handed to many results (no copy, no allocation).
    Shared(Arc<str>),
    Heap(String),
}

impl Message {
    /// An empty message with its inline room, to be written with [`Message::push_str`].
    #[inline]
    pub(crate) fn new() -> Self {
        Message(Repr::Inline(ArrayString::new()))
    }

    /// An empty message with room for `capacity` bytes: inline when they fit, else on the heap
    /// at once (a text known to be long is not copied out of the inline room halfway).
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        if capacity <= INLINE {
            Self::new()
        } else {
            Message(Repr::Heap(String::with_capacity(capacity)))
        }
    }

    /// A fixed text, borrowed (no copy).
    pub const fn from_static(text: &'static str) -> Self {
        Message(Repr::Static(text))
    }

    /// A text the engine keeps and hands out again (no copy).
    pub(crate) fn shared(text: Arc<str>) -> Self {
        Message(Repr::Shared(text))
    }

    /// The text.
    #[inline]
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Static(text) => text,
            Repr::Inline(text) => text.as_str(),
            Repr::Shared(text) => text,
            Repr::Heap(text) => text.as_str(),
        }
    }

    /// Appends `text`; a message that outgrows its inline room moves to the heap.
    #[inline]
    pub(crate) fn push_str(&mut self, text: &str) {
        if let Repr::Inline(inline) = &mut self.0 {
            if inline.try_push_str(text).is_ok() {
                return;
            }
        }
        self.heap(text.len()).push_str(text);
    }

    /// Appends `c` (inlined on native targets: numbers in messages are pushed a digit at a time;
    /// one function in the WASM module, issue 17).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(target_arch = "wasm32", inline(never))] // one copy in the WASM module (size, issue 17)
    pub(crate) fn push(&mut self, c: char) {
        if let Repr::Inline(inline) = &mut self.0 {
            if inline.try_push(c).is_ok() {
                return;
            }
        }
        self.heap(c.len_utf8()).push(c);
    }

    /// The message as a `String` with room for `more` bytes: a fixed, inline or shared text is copied
    /// to the heap first (with twice its length to spare, as a `String` grows).
    #[cold]
    #[inline(never)]
    fn heap(&mut self, more: usize) -> &mut String {
        if !matches!(self.0, Repr::Heap(_)) {
            let text = self.as_str();
            let mut heap = String::with_capacity(2 * text.len() + more);
            heap.push_str(text);
            self.0 = Repr::Heap(heap);
        }
        match &mut self.0 {
            Repr::Heap(heap) => heap,
            // Made a `Heap` just above.
            Repr::Static(_) | Repr::Inline(_) | Repr::Shared(_) => {
                unreachable!("the message was moved to the heap")
            }
        }
    }
}

/// Pushes the value `make` gives onto `v`, built in the vector's own room, and gives it back to
/// have its [`Message`] written in place. A finding or a reason is some 240 bytes, most of them
/// its message's inline room: built first and pushed (`Vec::push` may grow the vector between
/// the two), it is copied whole, where here the room is made before the value is built.
#[inline(always)]
pub(crate) fn push_in_place<T>(v: &mut Vec<T>, make: impl FnOnce() -> T) -> Option<&mut T> {
    v.extend(std::iter::once_with(make));
    v.last_mut()
}

impl Default for Message {
    /// The empty text.
    fn default() -> Self {
        Message::from_static("")
    }
}

impl Deref for Message {
    type Target = str;

    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Message {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Message {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for Message {
    /// As the text's: `"…"`, escaped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Write for Message {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.push_str(s);
        Ok(())
    }

    fn write_char(&mut self, c: char) -> fmt::Result {
        self.push(c);
        Ok(())
    }
}

impl PartialEq for Message {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Message {}

impl PartialOrd for Message {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Message {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Message {
    /// As the text's, so that [`Borrow<str>`] holds for maps and sets.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialEq<str> for Message {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Message {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Message {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Message> for str {
    fn eq(&self, other: &Message) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Message> for &str {
    fn eq(&self, other: &Message) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Message> for String {
    fn eq(&self, other: &Message) -> bool {
        self == other.as_str()
    }
}

impl From<String> for Message {
    /// Kept as it is (no copy).
    fn from(text: String) -> Self {
        Message(Repr::Heap(text))
    }
}

impl From<&str> for Message {
    /// Copied: inline when it fits.
    fn from(text: &str) -> Self {
        let mut message = Message::with_capacity(text.len());
        message.push_str(text);
        message
    }
}

impl From<Message> for String {
    fn from(message: Message) -> Self {
        match message.0 {
            Repr::Heap(text) => text,
            Repr::Static(text) => text.to_owned(),
            Repr::Inline(text) => text.as_str().to_owned(),
            Repr::Shared(text) => String::from(&*text),
        }
    }
}

impl Serialize for Message {
    /// As a JSON string, like a `String`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Message {
    /// From a JSON string, like a `String`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Message::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::hash_map::DefaultHasher;

    /// One way of appending to a message, as the crate's builders do.
    #[derive(Debug, Clone)]
    enum Piece {
        Str(String),
        Char(char),
        Digits(u64),
    }

    fn piece() -> impl Strategy<Value = Piece> {
        prop_oneof![
            any::<String>().prop_map(Piece::Str),
            "[ -~]{0,60}".prop_map(Piece::Str),
            any::<char>().prop_map(Piece::Char),
            any::<u64>().prop_map(Piece::Digits),
        ]
    }

    fn hash(text: &(impl Hash + ?Sized)) -> u64 {
        let mut h = DefaultHasher::new();
        text.hash(&mut h);
        h.finish()
    }

    /// The four forms of `text`.
    fn forms(text: &'static str) -> [Message; 4] {
        let mut inline = Message::new();
        inline.push_str(text);
        [
            Message::from_static(text),
            inline,
            Message::from(text.to_string()),
            Message::shared(Arc::from(text)),
        ]
    }

    #[test]
    fn the_four_forms_of_a_text_are_one_value() {
        for text in ["", "no risk rule requires a control", "é \"quoted\"\n"] {
            let [a, b, c, d] = forms(text);
            assert!(matches!(b.0, Repr::Inline(_)));
            assert!(a == b && b == c && a == c && c == d && d == a);
            assert_eq!(hash(&a), hash(text));
            assert_eq!(hash(&b), hash(&c));
            assert_eq!(hash(&d), hash(text));
            let mut pushed = d.clone();
            pushed.push_str(" and more");
            assert_eq!(pushed, format!("{text} and more"));
            assert_eq!(d, text, "a shared text is not changed by a copy's push");
            for m in [a, b, c, d] {
                assert_eq!(m, text);
                assert_eq!(text, m);
                assert_eq!(m.len(), text.len());
                assert_eq!(format!("{m}"), text);
                assert_eq!(format!("{m:?}"), format!("{text:?}"));
                assert_eq!(
                    serde_json::to_string(&m).unwrap(),
                    serde_json::to_string(text).unwrap()
                );
                let back: Message =
                    serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
                assert_eq!(back, m);
                assert_eq!(String::from(m), text);
            }
        }
        assert_eq!(Message::default(), "");
        assert!(std::mem::size_of::<Message>() <= INLINE + 12);
    }

    #[test]
    fn a_long_text_goes_to_the_heap() {
        let long = "x".repeat(INLINE + 1);
        let m = Message::from(long.as_str());
        assert!(matches!(m.0, Repr::Heap(_)));
        assert_eq!(m, long);
        let mut m = Message::from("x".repeat(INLINE).as_str());
        assert!(matches!(m.0, Repr::Inline(_)));
        m.push('é');
        assert!(matches!(m.0, Repr::Heap(_)));
        assert_eq!(m, format!("{}é", "x".repeat(INLINE)));
        let mut fixed = Message::from_static("fixed");
        fixed.push_str(" and more");
        assert_eq!(fixed, "fixed and more");
        assert!(matches!(
            Message::with_capacity(INLINE + 1).0,
            Repr::Heap(_)
        ));
    }

    proptest! {
        /// Appending to a message gives what the same appends give on a `String`, across the
        /// move from inline to the heap.
        #[test]
        fn appends_are_a_strings(pieces in proptest::collection::vec(piece(), 0..12)) {
            let mut message = Message::new();
            let mut string = String::new();
            for p in &pieces {
                match p {
                    Piece::Str(s) => {
                        message.push_str(s);
                        string.push_str(s);
                    }
                    Piece::Char(c) => {
                        message.push(*c);
                        string.push(*c);
                    }
                    Piece::Digits(n) => {
                        crate::message_text::push_u64(&mut message, *n);
                        crate::message_text::push_u64(&mut string, *n);
                    }
                }
                prop_assert_eq!(message.as_str(), string.as_str());
            }
            prop_assert_eq!(&message, &string);
            prop_assert_eq!(format!("{message:?}"), format!("{string:?}"));
            prop_assert_eq!(hash(&message), hash(string.as_str()));
            prop_assert_eq!(String::from(message), string);
        }
    }
}
