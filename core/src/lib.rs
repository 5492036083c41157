//! # xborder
//!
//! The WCO Cross-Border E-Commerce Framework of Standards and the WCO Immediate Release
//! Guidelines as a library: give it one consignment's advance electronic data (a
//! [`Declaration`]) and it returns the full [`Assessment`]: release category, duty and tax de
//! minimis, duties per line, taxes, fees, the revenue-collection model (who collects what, and
//! when), totals, landed cost, data-quality findings, and on request a trace that ties every
//! amount to the rule and legal source that produced it.
//!
//! Rules live in *regime packs* (JSON data, embedded at build time; see
//! `docs/regime-format.md`). Money is [`rust_decimal::Decimal`] throughout and crosses JSON as
//! strings. The core does no I/O and keeps no global state.
//!
//! ```
//! use xborder::{AssessOptions, Engine};
//!
//! let engine = Engine::embedded().unwrap();
//! let result = engine
//!     .assess_json(
//!         r#"{"id":"demo","date":"2026-03-15","destination":"FR","currency":"EUR",
//!             "items":[{"description":"Cotton T-shirt","hs_code":"610910","quantity":1,
//!                       "value":"40.00","origin":"CN"}],
//!             "shipping":"5.00",
//!             "seller":{"name":"Shop","country":"CN",
//!                       "registrations":[{"scheme":"IOSS","number":"IM2500000001"}]},
//!             "consignee":{"name":"A. Buyer","country":"FR"}}"#,
//!         &AssessOptions::default(),
//!     )
//!     .unwrap();
//! assert_eq!(result.category.code, 3);
//! assert_eq!(result.due_at_sale.to_string(), "9.00"); // 20 % French VAT on 45.00, at checkout
//! assert_eq!(result.duty_total.to_string(), "0.00"); // duty relief up to €150 before 2026-07-01
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod assess;
mod csv_text;
pub mod date;
pub mod declaration;
pub mod duty_expr;
mod engine;
pub mod error;
mod exact;
pub mod exchange;
mod hashing;
mod json_bytes;
mod json_path;
pub mod ledger;
pub mod limits;
mod map_only;
mod message_text;
pub mod money;
pub mod ndjson;
pub mod options;
pub mod pattern;
mod per_thread;
pub mod refund;
pub mod regime;
pub mod release;
pub mod result;
pub mod risk;
#[cfg(feature = "schema")]
pub mod schema;
pub mod simulate;
mod sort;
mod stages;
pub mod statement;
pub mod stats;
pub mod tariff;
pub mod timestamp;
pub mod trace;

pub use assess::AssessOptions;
pub use date::Date;
pub use declaration::Declaration;
pub use engine::{error_json, Engine, EngineBuilder, LineOutcome, Rejection};
pub use error::{Error, ErrorCode, Origin};
pub use money::Amount;
pub use result::Assessment;

/// The library version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
