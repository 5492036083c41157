//! Declarations in and results out as UTF-8 bytes in two buffers of the module's memory, reused
//! from call to call: the path of `assess` and `assessJson` in `js/index.js`. `assess` takes
//! the result as a tape instead (a third buffer of 32-bit values, with its strings in the
//! output buffer), from which generated JavaScript builds the objects (`js/result-tape.js`).
//!
//! wasm-bindgen's string glue costs more than the copy itself on every call: a `String`
//! argument is copied one UTF-16 code unit at a time in JavaScript into freshly allocated
//! memory, the Rust side asks JavaScript for the string's type, length and contents in separate
//! calls, and a returned `String` is allocated and freed again. Here JavaScript writes the text
//! with `TextEncoder.encodeInto` straight into the input buffer, the core appends its JSON to
//! the output buffer (`Engine::assess_json_into`, the same bytes as `assess_to_json`), and
//! JavaScript decodes them from there (BENCHMARKS.md, WASM, issue 17).
//!
//! Neither buffer is borrowed while JavaScript runs: an assessment takes the input out of its
//! slot before it reads the options (whose `toJSON` may call back into the package and so
//! overwrite the slot) and puts it back at the end; the output is filled after the options are
//! read, with no JavaScript running until the caller has decoded it.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use xborder::{AssessOptions, Engine, ErrorCode};

use crate::error::{js_error, to_js};
use crate::input::assess_options;

thread_local! {
    /// The declaration's UTF-8 bytes, written by JavaScript.
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// The last result's (or error record's) JSON, read by JavaScript; or the last result's
    /// tape text (its strings), read with [`TAPE`].
    static OUTPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// The last result's tape (`Assessment::write_tape`): its values, read by JavaScript's
    /// generated decoder (`js/result-tape.js`) with the strings in [`OUTPUT`]. 4-aligned, as
    /// an `Int32Array` view of the memory needs.
    static TAPE: RefCell<Vec<i32>> = const { RefCell::new(Vec::new()) };
}

/// The most bytes the input buffer grows to. JavaScript passes longer text (which only a
/// declaration near the core's 1 MiB limit, or past it, can be) as a string, through
/// `bounded_string`, which refuses an oversized one before copying it.
pub const MAX_INPUT_BYTES: usize = 256 << 10;

/// A pointer to at least `len` bytes of the input buffer (at most [`MAX_INPUT_BYTES`]), where
/// JavaScript writes the next declaration's UTF-8 text; valid until the module's memory grows
/// or the next call.
#[wasm_bindgen(js_name = __inputBuffer, skip_typescript)]
pub fn input_buffer(len: usize) -> *mut u8 {
    INPUT.with_borrow_mut(|buffer| {
        let len = len.min(MAX_INPUT_BYTES);
        if buffer.len() < len {
            buffer.resize(len, 0);
        }
        buffer.as_mut_ptr()
    })
}

/// Where the last result's JSON starts in the module's memory (its length is what the
/// assessment returned); valid until the module's memory grows or the next call.
#[wasm_bindgen(js_name = __outputBuffer, skip_typescript)]
pub fn output_buffer() -> *const u8 {
    OUTPUT.with_borrow(|buffer| buffer.as_ptr())
}

/// Where the last result's tape starts in the module's memory (a multiple of 4: word 0 is the
/// byte length of its text in the output buffer); valid until the module's memory grows or the
/// next call.
#[wasm_bindgen(js_name = __tapeBuffer, skip_typescript)]
pub fn tape_buffer() -> *const i32 {
    TAPE.with_borrow(|buffer| buffer.as_ptr())
}

/// The module's `WebAssembly.Memory`, which JavaScript views to write and read the buffers.
#[wasm_bindgen(js_name = __memory, skip_typescript)]
pub fn memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Assesses the first `len` bytes of the input buffer with `engine`, writing the result's JSON
/// to the output buffer; returns its length, or throws the error `assessJson` throws.
pub fn assess_input(
    engine: &Engine,
    len: usize,
    options: Option<&JsValue>,
) -> Result<usize, JsValue> {
    with_input(len, options, |text, options| {
        let mut out = OUTPUT.take();
        out.clear();
        let result = assess_into(engine, text, options, &mut out).map(|()| out.len());
        OUTPUT.set(out);
        result
    })
}

/// Like [`assess_input`], writing the result's tape to the tape buffer and its text to the
/// output buffer (`Engine::assess_tape_into`) instead of its JSON; returns the length of the
/// tape in words, or throws the error `assessJson` throws.
pub fn assess_input_tape(
    engine: &Engine,
    len: usize,
    options: Option<&JsValue>,
) -> Result<usize, JsValue> {
    with_input(len, options, |text, options| {
        let (mut tape, mut out) = (TAPE.take(), OUTPUT.take());
        tape.clear();
        out.clear();
        let result = match engine.assess_tape_into(text, options, &mut tape, &mut out) {
            None => Ok(tape.len()),
            Some(rejection) => Err(to_js(&rejection.error, rejection.id)),
        };
        TAPE.set(tape);
        OUTPUT.set(out);
        result
    })
}

/// Runs `assess` on the first `len` bytes of the input buffer and the options read from
/// `options`. The input is taken out of its slot first and the options read after, because
/// their `toJSON` may call back into the package (and so fill the buffers again); the output
/// buffers are filled by `assess`, after that.
fn with_input<R>(
    len: usize,
    options: Option<&JsValue>,
    assess: impl FnOnce(&str, &AssessOptions) -> Result<R, JsValue>,
) -> Result<R, JsValue> {
    let input = INPUT.take();
    let result =
        assess_options(options).and_then(|options| assess(input_text(input.get(..len))?, &options));
    INPUT.set(input);
    result
}

/// The declaration's text in the input buffer. `TextEncoder.encodeInto` writes UTF-8 only,
/// within the buffer; anything else is a bug of the JavaScript layer, not of the caller's text.
fn input_text(bytes: Option<&[u8]>) -> Result<&str, JsValue> {
    bytes
        .and_then(|b| std::str::from_utf8(b).ok())
        .ok_or_else(|| {
            js_error(
                ErrorCode::Internal,
                None,
                "the declaration was not passed as UTF-8 within the input buffer",
            )
        })
}

/// Appends the core's JSON for `text` to `out` (`Engine::assess_json_into`, which the core's
/// `assess_to_json` and every other binding use), or returns its error as an `XborderError`.
pub fn assess_into(
    engine: &Engine,
    text: &str,
    options: &AssessOptions,
    out: &mut Vec<u8>,
) -> Result<(), JsValue> {
    match engine.assess_json_into(text, options, out) {
        None => Ok(()),
        Some(rejection) => Err(to_js(&rejection.error, rejection.id)),
    }
}
