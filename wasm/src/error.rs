//! Core errors as JavaScript `XborderError` objects (an `Error` subclass with `code`, `path`
//! and `id`), defined in `js/error.js` and shipped with the package as a wasm-bindgen snippet.

use wasm_bindgen::prelude::*;
use xborder::{Error, ErrorCode};

#[wasm_bindgen(module = "/js/error.js")]
extern "C" {
    /// `class XborderError extends Error` (js/error.js).
    #[wasm_bindgen(js_name = XborderError)]
    pub type JsXborderError;

    #[wasm_bindgen(constructor, js_class = "XborderError")]
    fn new(code: &str, message: &str, path: Option<String>, id: Option<String>) -> JsXborderError;
}

/// The JS error for a core error; `id` is the declaration's, when it could still be read.
#[cold]
pub fn to_js(error: &Error, id: Option<String>) -> JsValue {
    JsXborderError::new(error.code.as_str(), &error.message, error.path.clone(), id).into()
}

/// A JS error built from parts (for problems the wrapper itself finds).
#[cold]
pub fn js_error(code: ErrorCode, path: Option<&str>, message: impl Into<String>) -> JsValue {
    let error = match path {
        Some(path) => Error::at(code, path, message),
        None => Error::new(code, message),
    };
    to_js(&error, None)
}

/// The message of a value JavaScript threw (a `TypeError` from `JSON.stringify`, say). Reads
/// `message` with `Reflect.get`, which cannot throw past us, since the value may be anything.
pub fn thrown_message(thrown: &JsValue) -> String {
    if let Some(text) = thrown.as_string() {
        return text;
    }
    if thrown.is_object() {
        if let Ok(message) = js_sys::Reflect::get(thrown, &JsValue::from_str("message")) {
            if let Some(text) = message.as_string() {
                return text;
            }
        }
    }
    "a JavaScript exception".to_string()
}
