//! `regimes()`: the loaded regimes, their versions and validity dates, with the same fields as
//! `xborder regimes --json` (plus each option's question).

use serde::Serialize;
use xborder::{Date, Engine};

/// One regime (TypeScript `RegimeInfo`).
#[derive(Serialize)]
pub struct RegimeInfo<'a> {
    id: &'a str,
    name: &'a str,
    currency: &'a str,
    destinations: &'a [String],
    versions: Vec<VersionInfo<'a>>,
}

/// One version (TypeScript `RegimeVersionInfo`).
#[derive(Serialize)]
struct VersionInfo<'a> {
    version: &'a str,
    from: Date,
    to: Option<Date>,
    summary: &'a str,
    tariff_lines: usize,
    options: Vec<OptionInfo<'a>>,
}

/// A reading of an uncertain rule (TypeScript `RegimeOptionInfo`).
#[derive(Serialize)]
struct OptionInfo<'a> {
    name: &'a str,
    default: &'a str,
    values: &'a [String],
    question: &'a str,
}

/// The engine's regimes in load order.
pub fn regimes(engine: &Engine) -> Vec<RegimeInfo<'_>> {
    engine
        .regimes()
        .iter()
        .map(|r| RegimeInfo {
            id: &r.id,
            name: &r.name,
            currency: &r.currency,
            destinations: &r.destinations,
            versions: r
                .versions
                .iter()
                .map(|v| VersionInfo {
                    version: &v.label,
                    from: v.rules.from,
                    to: v.rules.to,
                    summary: &v.rules.summary,
                    tariff_lines: v.tariff.lines().len(),
                    options: v
                        .rules
                        .options
                        .iter()
                        .map(|(name, o)| OptionInfo {
                            name,
                            default: &o.default,
                            values: &o.values,
                            question: &o.question,
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}
