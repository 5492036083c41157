//! The field path of a JSON deserialization error, recovered from the error's line and column.
//!
//! `serde_path_to_error` finds the path (`items[2].hs_code`) by wrapping the deserializer, which
//! instantiates every derived deserializer a second time: for declarations and options that is
//! about 190 kB of the WASM module's code (BENCHMARKS.md, WASM). serde_json already reports
//! where it stopped; scanning the text up to there gives the same path, with no generic code.
//! The feature `serde-error-paths` (default) keeps `serde_path_to_error`; without it (the WASM
//! package) this scan is used. A test compares both on thousands of broken declarations
//! (`core/tests/error_paths.rs`).
//!
//! Where serde_json stops, for the errors a derived deserializer raises:
//! * a value a visitor refuses (wrong type, bad amount or date, unknown variant): right after
//!   the value, or at the `{`/`[` of a container it refused without reading;
//! * an unknown field: right after the key;
//! * a duplicate field: right after the repeated key (the path names the object, and the
//!   message the key);
//! * a missing field, or an error raised after a value was read (a custom `Deserialize` that
//!   reads the value first): right after the `}` (`]`) that closes the object (array) holding
//!   it, because serde_json reads the closing bracket before it fixes the position.

/// One open container on the way to the error.
enum Frame {
    /// An object, with the key being read or last read, and whether a key (rather than a
    /// value) is what comes or came last.
    Object { key: Option<String>, in_key: bool },
    /// An array, with the index of the element being read, and whether that element began.
    Array { index: usize, started: bool },
}

/// The path of the value where serde_json stopped with `err` in `text`, written as
/// `serde_path_to_error` writes it (`items[2].hs_code`; empty for the document itself).
pub(crate) fn at_error(text: &str, err: &serde_json::Error) -> String {
    let message = err.to_string();
    let offset = offset_of(text, err.line(), err.column());
    let end = if closed_the_holder(text.as_bytes(), offset, &message) {
        offset - 1
    } else {
        offset
    };
    let mut frames = scan(text, end);
    // An element refused before it was read (serde_json fixes the position at its first byte,
    // unread) has begun; a sequence refused as a whole was left right after its `[`.
    if let Some(Frame::Array { started, .. }) = frames.last_mut() {
        let next = text.as_bytes().get(end).copied();
        let whole = message.starts_with("invalid type: sequence") && next != Some(b'[');
        *started |= !whole && next.is_some_and(|b| !b" \t\n\r,]".contains(&b));
    }
    // A missing field is reported at the object that lacks it, a repeated key or an unknown
    // variant (`{"zz": …}` for an enum) at the object holding the key; an unknown field at the
    // key itself.
    let missing = message.starts_with("missing field ");
    let at_key = matches!(frames.last(), Some(Frame::Object { in_key: true, .. }));
    let unknown_field = message.starts_with("unknown field ");
    write(&frames, missing || (at_key && !unknown_field))
}

/// Whether serde_json fixed the error's position after reading the `}` that closes the object
/// holding the failing value (a struct closes itself before it fixes a field's error that has
/// no position yet), rather than right after the failing value, which may itself end in `}`.
fn closed_the_holder(bytes: &[u8], offset: usize, message: &str) -> bool {
    if offset == 0 || bytes.get(offset - 1) != Some(&b'}') {
        return false;
    }
    if message.starts_with("missing field ") || !message.starts_with("invalid type: map") {
        return true;
    }
    // The failing value is a map ending at `offset` or before the `}` there. A value followed
    // by its holder's `}` has that `}` read too: so it ends before it unless a `,` follows
    // (and then, ending in `}` before the holder's, it is the holder's last value).
    let next = bytes[offset..].iter().find(|b| !b.is_ascii_whitespace());
    if next != Some(&b',') {
        return true;
    }
    let before = bytes[..offset - 1]
        .iter()
        .rev()
        .find(|b| !b.is_ascii_whitespace());
    before == Some(&b'}')
}

/// The byte offset of serde_json's 1-based line and 0-based byte column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start = if line <= 1 {
        0
    } else {
        text.bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .nth(line - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    (start + column).min(text.len())
}

/// The containers open at byte `end` of `text`, outermost first.
fn scan(text: &str, end: usize) -> Vec<Frame> {
    let bytes = &text.as_bytes()[..end];
    let mut frames: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => {
                mark_started(&mut frames);
                frames.push(Frame::Object {
                    key: None,
                    in_key: true,
                });
            }
            b'[' => {
                mark_started(&mut frames);
                frames.push(Frame::Array {
                    index: 0,
                    started: false,
                });
            }
            b'}' | b']' => {
                frames.pop();
            }
            b',' => match frames.last_mut() {
                Some(Frame::Array { index, started }) => {
                    *index += 1;
                    *started = false;
                }
                Some(Frame::Object { key, in_key }) => {
                    *key = None;
                    *in_key = true;
                }
                None => {}
            },
            b':' => {
                if let Some(Frame::Object { in_key, .. }) = frames.last_mut() {
                    *in_key = false;
                }
            }
            b'"' => {
                mark_started(&mut frames);
                let close = string_end(bytes, i);
                if let Some(Frame::Object { key, in_key: true }) = frames.last_mut() {
                    *key = Some(unescape(&text[i..close.min(end)]));
                }
                i = close;
                continue;
            }
            b' ' | b'\t' | b'\n' | b'\r' => {}
            _ => mark_started(&mut frames),
        }
        i += 1;
    }
    frames
}

/// A value begins: in an array, its current element has.
fn mark_started(frames: &mut [Frame]) {
    if let Some(Frame::Array { started, .. }) = frames.last_mut() {
        *started = true;
    }
}

/// The index just past the string that opens at `start` (its closing quote included), or the
/// end of `bytes` when it does not close there.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// A key's text from its JSON string (quotes included), as serde read it.
fn unescape(quoted: &str) -> String {
    serde_json::from_str::<String>(quoted).unwrap_or_else(|_| quoted.trim_matches('"').to_string())
}

/// `items[2].hs_code` for the frames; with `container`, without the innermost object's key.
/// An array element counts once it has begun.
fn write(frames: &[Frame], container: bool) -> String {
    let mut path = String::new();
    let last = frames.len().saturating_sub(1);
    for (depth, frame) in frames.iter().enumerate() {
        match frame {
            Frame::Object { key: Some(key), .. } if !(container && depth == last) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object { .. } => {}
            Frame::Array { started: false, .. } => {}
            Frame::Array { index, .. } => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
    }
    path
}

#[cfg(test)]
#[path = "json_path_tests.rs"]
mod tests;
