//! Collector statements (`docs/statements.md`): the class `Statement`, the package's
//! `XbStatement` (feature `statements`, on in the npm package's workflows module,
//! `xborder/workflows`).
//!
//! An object rather than one call over a batch for the reason the C API has a handle: the
//! core's builder is a running total, whose memory grows with the number of accounts, never
//! with the number of declarations, so a month of traffic can be fed without holding it.
//! Each declaration is read, assessed and added as `xborder statement` and `xb_statement_add`
//! do (`Declaration::from_json`, `Engine::assess`, `StatementBuilder::add`), so the JSON and
//! CSV are theirs byte for byte.

use wasm_bindgen::prelude::*;
use xborder::statement::{Period, Statement, StatementBuilder};
use xborder::{Declaration, ErrorCode};

use crate::{declaration_error, error, input, IAssessOptions, IDeclarationOrText, WasmEngine};

#[wasm_bindgen]
extern "C" {
    /// TypeScript `StatementPeriod` (checked at run time).
    #[wasm_bindgen(typescript_type = "StatementPeriod")]
    pub type IStatementPeriod;
}

/// A collector statement being built: what each collecting operator owes, to whom, per period
/// (FoS Standard 5, account-based system).
#[wasm_bindgen(js_name = Statement)]
pub struct WasmStatement {
    builder: StatementBuilder,
}

#[wasm_bindgen(js_class = Statement)]
impl WasmStatement {
    /// `new Statement(period?)`: an empty statement over `"day"`, `"month"` (the default, as
    /// for `xborder statement`) or `"quarter"`; another value throws `E_INVALID_VALUE` at
    /// `period`.
    #[wasm_bindgen(constructor)]
    pub fn new(period: Option<IStatementPeriod>) -> Result<WasmStatement, JsValue> {
        let period = match period.as_deref() {
            None => Period::default(),
            Some(v) if v.is_undefined() || v.is_null() => Period::default(),
            Some(v) => v
                .as_string()
                .as_deref()
                .and_then(Period::parse)
                .ok_or_else(|| {
                    error::js_error(
                        ErrorCode::InvalidValue,
                        Some("period"),
                        "the period is \"day\", \"month\" or \"quarter\"",
                    )
                })?,
        };
        Ok(WasmStatement {
            builder: StatementBuilder::new(period),
        })
    }

    /// Assesses a declaration (a plain object or JSON text) with `engine` and adds what it
    /// owes to the accounts. A declaration that cannot be assessed is left out and throws the
    /// `XborderError` `assessJson` throws for it; the statement is unchanged and can be fed
    /// further (`E_OVERFLOW`, sums beyond 7.9 × 10²⁸, leaves it partly updated: drop it).
    pub fn add(
        &mut self,
        engine: &WasmEngine,
        declaration: &IDeclarationOrText,
        options: Option<IAssessOptions>,
    ) -> Result<(), JsValue> {
        let options = input::assess_options(options.as_deref())?;
        let text = input::document_text(declaration, "Statement.add", "a declaration")?;
        let engine = &engine.inner;
        Declaration::from_json(&text)
            .and_then(|declaration| {
                let result = engine.assess(&declaration, &options)?;
                self.builder.add(&declaration, &result, Some(engine))
            })
            .map_err(|e| declaration_error(engine, &text, &options, &e))
    }

    /// The statement so far as JSON text: the document of `xborder statement`
    /// (`docs/statements.md`) written compactly, as `xb_statement_json` gives it. The statement
    /// can be fed further and read again.
    pub fn json(&self) -> Result<String, JsValue> {
        self.publish(|s| {
            serde_json::to_string(s).map_err(|e| {
                error::js_error(
                    ErrorCode::Internal,
                    None,
                    format!("statement did not serialize: {e}"),
                )
            })
        })
    }

    /// The statement so far as CSV, the text of `xborder statement --format csv`.
    pub fn csv(&self) -> Result<String, JsValue> {
        self.publish(|s| Ok(s.to_csv()))
    }
}

impl WasmStatement {
    /// The statement so far, written by `write`; `E_INTERNAL` when it does not reconcile with
    /// its assessments (a bug), as `xb_statement_json` reports it.
    fn publish(
        &self,
        write: impl FnOnce(&Statement) -> Result<String, JsValue>,
    ) -> Result<String, JsValue> {
        let finished = self.builder.finish();
        let text = write(&finished)?;
        if finished.reconciles() {
            Ok(text)
        } else {
            Err(error::js_error(
                ErrorCode::Internal,
                None,
                "the statement does not reconcile with its assessments; please report this bug",
            ))
        }
    }
}
