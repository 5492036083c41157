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

use std::io::Read;
use std::process::ExitCode;

use serde::{Deserialize, Serialize};
use xborder::{AssessOptions, Engine};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    declaration: String,
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
        let (output, error) = engine.assess_to_json(&case.declaration, &options);
        outcomes.push(Outcome {
            output,
            rejected: error.is_some(),
        });
    }
    println!(
        "{}",
        serde_json::to_string(&outcomes).map_err(|e| e.to_string())?
    );
    Ok(())
}
