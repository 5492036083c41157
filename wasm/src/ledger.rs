//! The split-consignment ledger (`docs/risk-profiles.md`, "Split consignments"): the class
//! `SplitLedger`, the package's `XbSplitLedger` (feature `ledger`, on in the npm package's
//! workflows module, `xborder/workflows`).
//!
//! An object holding the core's `SplitLedger` for the reason the C API has a handle: the
//! ledger is a mutable, bounded window of recent consignments, which would cost time
//! proportional to the window on every call if passed in and out as JSON, and whose party
//! hashes are no format to publish.

use wasm_bindgen::prelude::*;
use xborder::ledger::SplitLedger;
use xborder::risk::SplitRule;
use xborder::{Declaration, Engine, ErrorCode};

use crate::{
    declaration_error, error, input, parse, to_json, IAssessOptions, IDeclarationOrText, WasmEngine,
};

#[wasm_bindgen]
extern "C" {
    /// TypeScript `SplitFlag | null`.
    #[wasm_bindgen(typescript_type = "SplitFlag | null")]
    pub type ISplitFlag;
}

/// A bounded-memory ledger of recent consignments for one regime's split-consignment rule.
#[wasm_bindgen(js_name = SplitLedger)]
pub struct WasmSplitLedger {
    ledger: SplitLedger,
}

#[wasm_bindgen(js_class = SplitLedger)]
impl WasmSplitLedger {
    /// `new SplitLedger(engine, regimeId)`: an empty ledger for the split-consignment rule of
    /// the risk profile `engine` holds for the regime (the sample profile, or the caller's).
    /// The rule is copied: the ledger does not keep the engine. A regime the engine does not
    /// hold throws `E_NO_REGIME` at `regimeId`; a regime without a profile, or a profile
    /// without a split rule, `E_INVALID_VALUE`.
    #[wasm_bindgen(constructor)]
    pub fn new(engine: &WasmEngine, regime_id: &JsValue) -> Result<WasmSplitLedger, JsValue> {
        let id = regime_id.as_string().ok_or_else(|| {
            error::js_error(
                ErrorCode::InvalidType,
                Some("regimeId"),
                "the regime id is a string such as \"EU\"",
            )
        })?;
        let rule = split_rule(&engine.inner, &id)?;
        Ok(WasmSplitLedger {
            ledger: SplitLedger::new(rule),
        })
    }

    /// Assesses a declaration (a plain object or JSON text) with `engine` and records it:
    /// `null` when it completes no split group, else the flag (the group's ids, oldest first,
    /// this one last; with `aggregate` and `additional_payable` when the rule re-assesses
    /// groups). A declaration that cannot be assessed is not recorded and throws the
    /// `XborderError` `assessJson` throws for it.
    pub fn record(
        &mut self,
        engine: &WasmEngine,
        declaration: &IDeclarationOrText,
        options: Option<IAssessOptions>,
    ) -> Result<ISplitFlag, JsValue> {
        let json = self.record_text(engine, declaration, options.as_deref(), "record")?;
        parse(&json).map(JsCast::unchecked_into)
    }

    /// Like `record`, with the flag as JSON text (`null` for none): the text of
    /// `xb_split_ledger_record`.
    #[wasm_bindgen(js_name = recordJson)]
    pub fn record_json(
        &mut self,
        engine: &WasmEngine,
        declaration: &IDeclarationOrText,
        options: Option<IAssessOptions>,
    ) -> Result<String, JsValue> {
        self.record_text(engine, declaration, options.as_deref(), "recordJson")
    }
}

impl WasmSplitLedger {
    fn record_text(
        &mut self,
        engine: &WasmEngine,
        declaration: &JsValue,
        options: Option<&JsValue>,
        entry: &str,
    ) -> Result<String, JsValue> {
        let options = input::assess_options(options)?;
        let entry = format!("SplitLedger.{entry}");
        let text = input::document_text(declaration, &entry, "a declaration")?;
        let engine = &engine.inner;
        let flag = Declaration::from_json(&text)
            .and_then(|declaration| {
                let result = engine.assess(&declaration, &options)?;
                self.ledger.record(engine, &options, &declaration, &result)
            })
            .map_err(|e| declaration_error(engine, &text, &options, &e))?;
        to_json(&flag, "split flag")
    }
}

/// The split rule of regime `id`'s risk profile in `engine` (the checks of
/// `xb_split_ledger_new`).
fn split_rule(engine: &Engine, id: &str) -> Result<SplitRule, JsValue> {
    if engine.regime(id).is_none() {
        return Err(error::js_error(
            ErrorCode::NoRegime,
            Some("regimeId"),
            format!("the engine holds no regime {id:?}"),
        ));
    }
    let profile = engine.risk_profile(id).ok_or_else(|| {
        error::js_error(
            ErrorCode::InvalidValue,
            Some("regimeId"),
            format!("regime {id} has no risk profile, so no split-consignment rule"),
        )
    })?;
    profile.split_consignments.clone().ok_or_else(|| {
        error::js_error(
            ErrorCode::InvalidValue,
            Some("regimeId"),
            format!(
                "the risk profile {} of regime {id} has no split-consignment rule",
                profile.id
            ),
        )
    })
}
