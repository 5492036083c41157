//! The native core's output for a batch of cases: the oracle the WASM package's JavaScript
//! tests compare against, byte for byte.
//!
//! ```text
//! cargo run -q -p xborder-wasm --example core_oracle -- --rates examples/rates/sample-rates.json \
//!     [--tariff ID=FILE …] < cases.json
//! ```
//!
//! `--tariff ID=FILE` (repeatable) gives both engines a national tariff file, as the JavaScript
//! tests give the package's engines the same files; without it the engines have no national
//! tariff file, like the package's own `assess` (its data files carry none).
//!
//! stdin: a JSON array of cases `{ "declaration": "<JSON text>", "rates": bool, "options":
//! { "trace": bool, "options": { name: reading }, … } }` (all but `declaration` optional), where
//! `options` is the assessment options object, read by `AssessOptions::from_json` as the package
//! reads it. `rates: true` assesses with the `--rates` table. stdout: a JSON array, one `{ "output": "<core JSON>", "rejected": bool }`
//! per case, in order, where `output` is exactly what `Engine::assess_to_json` wrote.
//!
//! A case may instead hold one of the workflows beyond assessing, with the C API's output
//! (ffi/tests/c_programs.rs writes the same lines):
//! * `"refund": "<return JSON>"`: the refund (`Engine::refund_json`, serde JSON) or the error
//!   record without an id;
//! * `"statement": ["<declaration JSON>", …], "period": "month"`: a line `rejected N CODE PATH`
//!   per declaration left out, then the statement's JSON and its CSV;
//! * `"ledger": ["<declaration JSON>", …], "profile": "<risk profile JSON>"` (optional): per
//!   declaration the flag's JSON (`null` for none) or its error record, from an EU ledger;
//! * `"tariff_csv": ["GB", "<CSV>", "<layout JSON>"]` with a `declaration`: its assessment with
//!   that CSV tariff laid out so (`EngineBuilder::tariff_csv`).

use std::io::Read;
use std::process::ExitCode;

use serde::{Deserialize, Serialize};
use xborder::{AssessOptions, Engine};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    #[serde(default)]
    declaration: String,
    #[serde(default)]
    refund: Option<String>,
    #[serde(default)]
    statement: Option<Vec<String>>,
    #[serde(default)]
    period: Option<String>,
    #[serde(default)]
    ledger: Option<Vec<String>>,
    #[serde(default)]
    profile: Option<String>,
    /// `[regime id, CSV text, layout JSON]`: assess with that CSV tariff laid out so.
    #[serde(default)]
    tariff_csv: Option<(String, String, String)>,
    #[serde(default)]
    rates: bool,
    #[serde(default)]
    options: Option<serde_json::Value>,
}

#[derive(Serialize)]
struct Outcome {
    output: String,
    rejected: bool,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("core_oracle: {message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let usage =
        || "usage: core_oracle [--rates FILE] [--tariff ID=FILE …] < cases.json".to_string();
    let mut rates_file = None;
    let mut tariffs = Vec::new();
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(usage)?;
        match flag.as_str() {
            "--rates" => rates_file = Some(value),
            "--tariff" => {
                let (id, file) = value.split_once('=').ok_or_else(usage)?;
                let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
                tariffs.push((id.to_string(), text));
            }
            _ => return Err(usage()),
        }
    }
    let builder = || {
        // The embedded files are left out whatever the features: the engines have exactly the
        // tariffs the JavaScript side was given.
        let start = Engine::builder().without_embedded_tariffs();
        tariffs
            .iter()
            .fold(start, |b, (id, text)| b.tariff(id.clone(), text.clone()))
    };
    let plain = builder().build().map_err(|e| e.to_string())?;
    let with_rates = match &rates_file {
        Some(file) => {
            let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
            Some(
                builder()
                    .rates_json(text)
                    .build()
                    .map_err(|e| e.to_string())?,
            )
        }
        None => None,
    };
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| e.to_string())?;
    let cases: Vec<Case> = serde_json::from_str(&input).map_err(|e| format!("stdin: {e}"))?;
    let mut outcomes = Vec::with_capacity(cases.len());
    for (i, case) in cases.into_iter().enumerate() {
        let engine = if case.rates {
            with_rates
                .as_ref()
                .ok_or_else(|| format!("case {i} needs rates; pass --rates FILE"))?
        } else {
            &plain
        };
        let options = match &case.options {
            Some(o) => AssessOptions::from_json(&o.to_string())
                .map_err(|e| format!("case {i}: options: {e}"))?,
            None => AssessOptions::default(),
        };
        outcomes.push(if let Some(text) = &case.refund {
            match engine.refund_json(text, &options) {
                Ok(refund) => Outcome {
                    output: serde_json::to_string(&refund).map_err(|e| e.to_string())?,
                    rejected: false,
                },
                Err(e) => Outcome {
                    output: xborder::error_json(None, &e),
                    rejected: true,
                },
            }
        } else if let Some(lines) = &case.statement {
            statement(engine, lines, case.period.as_deref(), &options)?
        } else if let Some(lines) = &case.ledger {
            let custom;
            let engine = match &case.profile {
                Some(profile) => {
                    custom = builder()
                        .risk_profile_json(profile.clone())
                        .build()
                        .map_err(|e| e.to_string())?;
                    &custom
                }
                None => engine,
            };
            ledger(engine, lines, &options)?
        } else if let Some((id, csv, layout)) = &case.tariff_csv {
            let layout =
                xborder::tariff::CsvLayout::from_json(layout).map_err(|e| e.to_string())?;
            let engine = builder()
                .tariff_csv(id.clone(), csv.clone(), layout)
                .build()
                .map_err(|e| e.to_string())?;
            let (output, error) = engine.assess_to_json(&case.declaration, &options);
            Outcome {
                output,
                rejected: error.is_some(),
            }
        } else {
            let (output, error) = engine.assess_to_json(&case.declaration, &options);
            Outcome {
                output,
                rejected: error.is_some(),
            }
        });
    }
    println!(
        "{}",
        serde_json::to_string(&outcomes).map_err(|e| e.to_string())?
    );
    Ok(())
}

/// A statement over `lines`, as ffi/tests/c_programs.rs prints it from the C API.
fn statement(
    engine: &Engine,
    lines: &[String],
    period: Option<&str>,
    options: &AssessOptions,
) -> Result<Outcome, String> {
    use xborder::statement::{Period, StatementBuilder};
    let period = match period {
        Some(p) => Period::parse(p).ok_or_else(|| format!("period {p:?}"))?,
        None => Period::default(),
    };
    let mut builder = StatementBuilder::new(period);
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let added = xborder::Declaration::from_json(line).and_then(|d| {
            let r = engine.assess(&d, options)?;
            builder.add(&d, &r, Some(engine))
        });
        if let Err(e) = added {
            out.push(format!(
                "rejected {} {} {}",
                i + 1,
                e.code.as_str(),
                e.path.unwrap_or_default()
            ));
        }
    }
    let finished = builder.finish();
    out.push(serde_json::to_string(&finished).map_err(|e| e.to_string())?);
    out.push(finished.to_csv());
    Ok(Outcome {
        output: out.join("\n"),
        rejected: false,
    })
}

/// The flags of an EU split ledger over `lines`, one line each (`null`, a flag, or the error
/// record `assess_to_json` writes for a declaration that cannot be assessed).
fn ledger(engine: &Engine, lines: &[String], options: &AssessOptions) -> Result<Outcome, String> {
    let rule = engine
        .risk_profile("EU")
        .and_then(|p| p.split_consignments.clone())
        .ok_or("no EU split rule")?;
    let mut ledger = xborder::ledger::SplitLedger::new(rule);
    let mut out = Vec::new();
    for line in lines {
        let flagged = xborder::Declaration::from_json(line).and_then(|d| {
            let r = engine.assess(&d, options)?;
            ledger.record(engine, options, &d, &r)
        });
        out.push(match flagged {
            Ok(flag) => serde_json::to_string(&flag).map_err(|e| e.to_string())?,
            Err(_) => engine.assess_to_json(line, options).0,
        });
    }
    Ok(Outcome {
        output: out.join("\n"),
        rejected: false,
    })
}
