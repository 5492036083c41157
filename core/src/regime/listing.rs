//! The loaded regimes as a listing: ids, versions, validity dates, tariff sizes and options.
//!
//! One shape for every binding: `xborder regimes --json`, the C API's `xb_regimes_json` and the
//! WASM package's `regimes()` all serialize [`RegimeInfo`], so the three cannot drift apart.

use serde::Serialize;

use crate::{Date, Engine};

/// One loaded regime.
#[derive(Debug, Serialize)]
pub struct RegimeInfo<'a> {
    /// Regime id (`EU`).
    pub id: &'a str,
    /// Human name.
    pub name: &'a str,
    /// Currency of every amount the regime produces.
    pub currency: &'a str,
    /// Destination countries that select the regime.
    pub destinations: &'a [String],
    /// Versions, oldest first.
    pub versions: Vec<VersionInfo<'a>>,
    /// Periods the pack knowingly does not cover, and what is missing (omitted when none).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub gaps: &'a [crate::regime::pack::GapFile],
}

/// One effective-dated version of a regime.
#[derive(Debug, Serialize)]
pub struct VersionInfo<'a> {
    /// Version label (`EU@2026-07-01`).
    pub version: &'a str,
    /// First day in force.
    pub from: Date,
    /// Day the version stops applying, if it has ended or an end is known.
    pub to: Option<Date>,
    /// One-line summary of what changed.
    pub summary: &'a str,
    /// Number of lines in the version's tariff.
    pub tariff_lines: usize,
    /// The readings offered for uncertain rules.
    pub options: Vec<OptionInfo<'a>>,
}

/// An option: the readings of an uncertain rule that a caller can choose between.
#[derive(Debug, Serialize)]
pub struct OptionInfo<'a> {
    /// Option name, as given in `AssessOptions::options`.
    pub name: &'a str,
    /// The reading used when the caller does not choose.
    pub default: &'a str,
    /// Every accepted reading.
    pub values: &'a [String],
    /// The question the option answers.
    pub question: &'a str,
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
            gaps: &r.gaps,
        })
        .collect()
}
