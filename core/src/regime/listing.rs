//! The loaded regimes as a listing: ids, versions, validity dates, tariff sizes, national tariff
//! files and options.
//!
//! One shape for every binding: `xborder regimes --json`, the C API's `xb_regimes_json` and the
//! WASM package's `regimes()` all serialize [`RegimeInfo`], so the three cannot drift apart.

use serde::Serialize;

use crate::{Date, Engine};

/// One loaded regime.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// The national tariff file, when the regime has one (omitted otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tariff: Option<TariffInfo<'a>>,
}

/// A regime's national tariff file: what it is and how much of it there is.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TariffInfo<'a> {
    /// The schedule's name.
    pub title: &'a str,
    /// Who publishes it.
    pub publisher: &'a str,
    /// The dataset it was converted from.
    pub source: &'a str,
    /// Terms of reuse.
    pub licence: &'a str,
    /// HS edition of its codes (`HS2022`).
    pub edition: &'a str,
    /// Duty columns; the first prices assessments.
    pub columns: &'a [String],
    /// How sure it is.
    pub confidence: crate::regime::pack::Confidence,
    /// When it was made and checked.
    pub checked: Date,
    /// Last date its latest revision is known to be in force.
    pub current_through: Option<Date>,
    /// Number of revisions.
    pub revisions: usize,
    /// Date of the first revision: before it the pack's own lines apply.
    pub first_from: Option<Date>,
    /// Id of the latest revision.
    pub latest_revision: Option<&'a str>,
    /// Its title.
    pub latest_title: Option<&'a str>,
    /// Its date.
    pub latest_from: Option<Date>,
    /// Its HS edition.
    pub latest_edition: Option<&'a str>,
    /// Lines of the latest revision.
    pub lines: usize,
    /// Why the file could not be read (then the other counts are 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One effective-dated version of a regime.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OptionInfo<'a> {
    /// Option name, as given in `AssessOptions::options`.
    pub name: &'a str,
    /// The reading used when the caller does not choose.
    pub default: &'a str,
    /// Every accepted reading.
    pub values: Vec<&'a str>,
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
                            values: o.values.iter().map(String::as_str).collect(),
                            question: &o.question,
                        })
                        .chain(crate::options::ENGINE_OPTIONS.iter().map(|o| OptionInfo {
                            name: o.name,
                            default: o.default,
                            values: o.values.to_vec(),
                            question: o.question,
                        }))
                        .collect(),
                })
                .collect(),
            gaps: &r.gaps,
            tariff: r.tariff_file.as_deref().map(tariff_info),
        })
        .collect()
}

/// A tariff file's listing entry; reading it parses an embedded file that was not used yet.
fn tariff_info(file: &crate::tariff::schedule::LazySchedule) -> TariffInfo<'_> {
    let h = file.header();
    let loaded = file.get();
    let schedule = loaded.as_ref().ok();
    let revisions = schedule.map_or(&[][..], |s| s.revisions());
    let latest = revisions.last();
    TariffInfo {
        title: &h.title,
        publisher: &h.publisher,
        source: &h.source,
        licence: &h.licence,
        edition: h.edition.as_str(),
        columns: &h.columns,
        confidence: h.confidence,
        checked: h.checked,
        current_through: h.current_through,
        revisions: revisions.len(),
        first_from: revisions.first().map(|r| r.from),
        latest_revision: latest.map(|r| &*r.id),
        latest_title: latest.map(|r| r.title.as_str()),
        latest_from: latest.map(|r| r.from),
        latest_edition: latest.map(|r| r.edition.as_str()),
        lines: latest.map_or(0, |r| r.len()),
        error: loaded.err().map(|e| e.to_string()),
    }
}
