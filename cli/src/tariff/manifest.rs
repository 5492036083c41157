//! What to convert: a committed manifest (the recipe of an embedded tariff), or the flags of
//! one-file mode, both turned into one [`Plan`].
//!
//! A manifest is JSON (docs/tariff-import.md):
//!
//! ```json
//! { "format": "usitc-hts", "output": "US.tariff", "options": {},
//!   "header": { "regime": "US", "currency": "USD", "edition": "HS2022", "title": "…",
//!               "publisher": "…", "source": "…", "licence": "…", "confidence": "confirmed",
//!               "checked": "2026-12-04", "current_through": "2026-06-08", "notes": ["…"] },
//!   "revisions": [ { "id": "2025-basic", "from": "2025-01-01", "title": "…",
//!                    "files": ["hts_2025_basic.json.gz"], "note": "why this date" } ] }
//! ```
//!
//! `output` is relative to the manifest's directory, `files` to `--input-dir` (default: the
//! manifest's directory). The header's `columns` and `converter` are the converter's.

use std::path::{Path, PathBuf};

use clap::Args;
use serde::Deserialize;
use xborder::regime::pack::Confidence;
use xborder::tariff::file::{Header, HsEdition};
use xborder::Date;

use super::{resolve, Options, FORMATS};
use crate::Fatal;

#[derive(Args)]
pub(crate) struct ImportArgs {
    /// Source format. Required in one-file mode; a manifest names its own.
    #[arg(long, value_name = "FORMAT",
          value_parser = clap::builder::PossibleValuesParser::new(FORMATS.iter().map(|f| f.name)))]
    format: Option<String>,
    /// The committed recipe of a tariff (e.g. regimes/US/tariff-manifest.json).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["files", "from", "revision"])]
    manifest: Option<PathBuf>,
    /// Where the manifest's source files are (default: the manifest's directory).
    #[arg(long, value_name = "DIR", requires = "manifest")]
    input_dir: Option<PathBuf>,
    /// Output file (`-` for standard output). Default: the manifest's `output`, or standard
    /// output in one-file mode.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Convert, and compare with the output file instead of writing it: exit 1 if it differs.
    #[arg(long)]
    pub(super) check: bool,
    /// Converter option `KEY=VALUE` (one-file mode; a manifest has `options`).
    #[arg(long = "option", value_name = "KEY=VALUE", conflicts_with = "manifest")]
    options: Vec<String>,
    #[command(flatten)]
    single: SingleArgs,
    /// One-file mode: the source files of one revision.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// One-file mode: the revision and the header values the format's defaults do not give.
#[derive(Args)]
#[group(conflicts_with = "manifest")]
struct SingleArgs {
    /// Date the revision takes effect (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Revision id (default: the first file's name without extensions).
    #[arg(long, value_name = "ID")]
    revision: Option<String>,
    /// Revision title (default: the id).
    #[arg(long, value_name = "TEXT")]
    revision_title: Option<String>,
    /// Date the file is made and spot-checked against the source (YYYY-MM-DD); a flag, not
    /// today's date, so that the output depends on the inputs only.
    #[arg(long, value_name = "DATE")]
    checked: Option<String>,
    /// Last date the revision is known to be in force.
    #[arg(long, value_name = "DATE")]
    current_through: Option<String>,
    /// The dataset, as precisely as possible (default: publisher and file names).
    #[arg(long, value_name = "TEXT")]
    source: Option<String>,
    /// `confirmed` (default), `secondary` or `unconfirmed`.
    #[arg(long, value_name = "LEVEL")]
    confidence: Option<String>,
    /// Regime id (default: the format's).
    #[arg(long, value_name = "ID")]
    regime: Option<String>,
    /// Currency of specific rates (default: the format's).
    #[arg(long, value_name = "CODE")]
    currency: Option<String>,
    /// HS edition of the codes, HS2017 or HS2022 (default: the format's).
    #[arg(long, value_name = "EDITION")]
    edition: Option<String>,
    /// Schedule title (default: the format's).
    #[arg(long, value_name = "TEXT")]
    title: Option<String>,
    /// Publisher (default: the format's).
    #[arg(long, value_name = "TEXT")]
    publisher: Option<String>,
    /// Licence (default: the format's).
    #[arg(long, value_name = "TEXT")]
    licence: Option<String>,
    /// A note for users (repeatable).
    #[arg(long = "note", value_name = "TEXT")]
    notes: Vec<String>,
}

/// A manifest file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    format: String,
    output: String,
    #[serde(default)]
    options: Options,
    header: ManifestHeader,
    revisions: Vec<ManifestRevision>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestHeader {
    regime: String,
    currency: String,
    edition: String,
    title: String,
    publisher: String,
    source: String,
    licence: String,
    confidence: Confidence,
    checked: Date,
    #[serde(default)]
    current_through: Option<Date>,
    #[serde(default)]
    notes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestRevision {
    id: String,
    from: Date,
    title: String,
    files: Vec<String>,
    #[serde(default)]
    edition: Option<String>,
    /// Why this revision and date (for the people who maintain the manifest).
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

/// What to convert, however it was asked for.
pub(super) struct Plan {
    pub format: String,
    pub options: Options,
    /// `columns` is filled in from the converter.
    pub header: Header,
    pub revisions: Vec<PlannedRevision>,
    /// `None` = standard output.
    pub output: Option<PathBuf>,
}

pub(super) struct PlannedRevision {
    pub id: String,
    pub from: Date,
    pub title: String,
    pub edition: Option<HsEdition>,
    pub files: Vec<PathBuf>,
}

pub(super) fn plan(args: &ImportArgs) -> Result<Plan, Fatal> {
    let mut plan = match &args.manifest {
        Some(path) => from_manifest(path, args)?,
        None => one_file(args)?,
    };
    if let Some(o) = &args.output {
        plan.output = (o.as_os_str() != "-").then(|| o.clone());
    }
    if args.check && plan.output.is_none() {
        return Err(Fatal("--check needs an output file to compare with".into()));
    }
    Ok(plan)
}

fn converter_name(format: &str) -> Option<String> {
    Some(format!("xborder tariff import --format {format}"))
}

fn from_manifest(path: &Path, args: &ImportArgs) -> Result<Plan, Fatal> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
    let m: Manifest =
        serde_json::from_str(&text).map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
    if let Some(f) = &args.format {
        if *f != m.format {
            return Err(Fatal(format!(
                "--format {f} but the manifest is for {}",
                m.format
            )));
        }
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let input_dir = args.input_dir.as_deref().unwrap_or(dir);
    let h = m.header;
    let bad = |e: String| Fatal(format!("{}: {e}", path.display()));
    let header = Header {
        regime: h.regime,
        currency: h.currency,
        edition: h.edition.parse().map_err(bad)?,
        title: h.title,
        publisher: h.publisher,
        source: h.source,
        licence: h.licence,
        columns: Vec::new(),
        confidence: h.confidence,
        checked: h.checked,
        current_through: h.current_through,
        converter: converter_name(&m.format),
        notes: h.notes,
    };
    let revisions = m
        .revisions
        .into_iter()
        .map(|r| {
            Ok(PlannedRevision {
                edition: r
                    .edition
                    .as_deref()
                    .map(str::parse)
                    .transpose()
                    .map_err(bad)?,
                files: r.files.iter().map(|f| resolve(input_dir, f)).collect(),
                id: r.id,
                from: r.from,
                title: r.title,
            })
        })
        .collect::<Result<Vec<_>, Fatal>>()?;
    Ok(Plan {
        format: m.format,
        options: m.options,
        header,
        revisions,
        output: Some(resolve(dir, &m.output)),
    })
}

fn one_file(args: &ImportArgs) -> Result<Plan, Fatal> {
    let s = &args.single;
    let format = args
        .format
        .clone()
        .ok_or_else(|| Fatal("give --manifest FILE, or --format FORMAT and the files".into()))?;
    if args.files.is_empty() {
        return Err(Fatal("no input file given".into()));
    }
    let date = |name: &str, v: &Option<String>| -> Result<Option<Date>, Fatal> {
        v.as_deref()
            .map(|t| {
                t.parse()
                    .map_err(|e: xborder::date::DateError| Fatal(format!("--{name}: {e}")))
            })
            .transpose()
    };
    let from = date("from", &s.from)?.ok_or_else(|| {
        Fatal("one-file mode needs --from DATE (when the revision takes effect)".into())
    })?;
    let checked = date("checked", &s.checked)?.ok_or_else(|| {
        Fatal("one-file mode needs --checked DATE (when the file was made and spot-checked)".into())
    })?;
    let mut options = Options::default();
    for o in &args.options {
        let (k, v) = o
            .split_once('=')
            .ok_or_else(|| Fatal(format!("--option {o:?}: expected KEY=VALUE")))?;
        options.0.insert(k.to_string(), v.to_string());
    }
    let defaults = FORMATS
        .iter()
        .find(|f| f.name == format)
        .map(|f| (f.build)(&options))
        .ok_or_else(|| Fatal(format!("unknown format {format:?}")))?
        .map_err(Fatal)?
        .defaults();
    let names: Vec<String> = args
        .files
        .iter()
        .map(|p| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    let id = s
        .revision
        .clone()
        .unwrap_or_else(|| names[0].split('.').next().unwrap_or("revision").to_string());
    let confidence = match s.confidence.as_deref() {
        None | Some("confirmed") => Confidence::Confirmed,
        Some("secondary") => Confidence::Secondary,
        Some("unconfirmed") => Confidence::Unconfirmed,
        Some(other) => {
            return Err(Fatal(format!(
                "--confidence {other:?}: expected confirmed, secondary or unconfirmed"
            )))
        }
    };
    let or = |v: &Option<String>, d: &str| v.clone().unwrap_or_else(|| d.to_string());
    let publisher = or(&s.publisher, defaults.publisher);
    let header = Header {
        regime: or(&s.regime, defaults.regime),
        currency: or(&s.currency, defaults.currency),
        edition: match &s.edition {
            Some(e) => e.parse().map_err(|e| Fatal(format!("--edition: {e}")))?,
            None => defaults.edition,
        },
        title: or(&s.title, defaults.title),
        source: s
            .source
            .clone()
            .unwrap_or_else(|| format!("{publisher}: {}", names.join(", "))),
        publisher,
        licence: or(&s.licence, defaults.licence),
        columns: Vec::new(),
        confidence,
        checked,
        current_through: date("current-through", &s.current_through)?,
        converter: converter_name(&format),
        notes: s.notes.clone(),
    };
    Ok(Plan {
        format,
        options,
        header,
        revisions: vec![PlannedRevision {
            title: s.revision_title.clone().unwrap_or_else(|| id.clone()),
            id,
            from,
            edition: None,
            files: args.files.clone(),
        }],
        output: None,
    })
}
