//! Refunds on returned goods (`docs/returns.md`): `Engine#refund` and `Engine#refundJson`,
//! the package's `xb_refund_json` (feature `refunds`, on in the npm package's workflows module,
//! `xborder/workflows`).
//!
//! The one call is `Engine::refund_json`, which the CLI's `xborder refund` and the C API use
//! too, and the refund is written with serde as they write it, so the bytes are theirs.

use wasm_bindgen::prelude::*;
use xborder::{AssessOptions, Engine};

use crate::{error, input, parse, to_json, IAssessOptions, WasmEngine};

#[wasm_bindgen]
extern "C" {
    /// TypeScript `ReturnDeclaration`.
    #[wasm_bindgen(typescript_type = "ReturnDeclaration | string")]
    pub type IReturnDeclaration;
    /// TypeScript `Refund`.
    #[wasm_bindgen(typescript_type = "Refund")]
    pub type IRefund;
}

#[wasm_bindgen(js_class = Engine)]
impl WasmEngine {
    /// The refund of a return declaration (a plain object or JSON text) as a plain object;
    /// the original is re-assessed at its own date's rules with this engine. Throws an
    /// `XborderError` (id null, the record `xborder refund` writes) when it cannot be refunded.
    pub fn refund(
        &self,
        ret: &IReturnDeclaration,
        options: Option<IAssessOptions>,
    ) -> Result<IRefund, JsValue> {
        let json = refund_text(&self.inner, ret, options.as_deref(), "refund")?;
        parse(&json).map(JsCast::unchecked_into)
    }

    /// Like `refund`, with the refund as JSON text: byte for byte a line of `xborder refund`
    /// and the text of `xb_refund_json`.
    #[wasm_bindgen(js_name = refundJson)]
    pub fn refund_json(
        &self,
        ret: &IReturnDeclaration,
        options: Option<IAssessOptions>,
    ) -> Result<String, JsValue> {
        refund_text(&self.inner, ret, options.as_deref(), "refundJson")
    }
}

/// The refund's JSON, or the error as an `XborderError` without an id, as the CLI writes it.
fn refund_text(
    engine: &Engine,
    ret: &JsValue,
    options: Option<&JsValue>,
    entry: &str,
) -> Result<String, JsValue> {
    let options: AssessOptions = input::assess_options(options)?;
    let text = input::document_text(ret, entry, "a return declaration")?;
    let refund = engine
        .refund_json(&text, &options)
        .map_err(|e| error::to_js(&e, None))?;
    to_json(&refund, "refund")
}
