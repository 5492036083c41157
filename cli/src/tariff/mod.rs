//! `xborder tariff import`: converts an official tariff publication into the xborder tariff
//! format (docs/tariff-format.md), so that a customs administration can rebuild an embedded
//! tariff from next year's files, or build its own.
//!
//! Two ways to run it:
//! * **manifest** (`--manifest regimes/US/tariff-manifest.json --input-dir DIR`): the committed
//!   recipe of an embedded tariff (header, and each revision's id, date, title and source
//!   files); rerunning it on the same files rebuilds the same bytes, and adding a revision is
//!   one entry;
//! * **one file** (`--format usitc-hts FILE --from DATE --checked DATE`): one revision, its
//!   header from the format's defaults and the flags.
//!
//! Each source format is a [`Converter`]: it turns one revision's files into tariff lines and
//! knows its duty columns and default header; this module reads the files (gzip or not),
//! merges, counts what could not be translated, and writes the file.

mod abf;
mod jp_customs;
mod lists;
mod manifest;
mod translate;
mod ukgt;
mod usitc;

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use xborder::tariff::file::{self, HsEdition, Line, Revision};

use crate::Fatal;

/// A source format: its name on the command line and how to build its converter.
pub(crate) struct Format {
    /// Name given to `--format`.
    pub name: &'static str,
    /// Builds the converter from the format's options (`--option`, or `options` in a
    /// manifest); unknown options are an error.
    pub build: fn(&Options) -> Result<Box<dyn Converter>, String>,
}

/// Every format `--format` accepts. A format whose converter is not in this build fails with a
/// message saying so.
pub(crate) const FORMATS: &[Format] = &[
    Format {
        name: "usitc-hts",
        build: usitc::build,
    },
    Format {
        name: "ukgt",
        build: ukgt::build,
    },
    Format {
        name: "jp-customs",
        build: jp_customs::build,
    },
    Format {
        name: "abf-schedule3",
        build: abf::build,
    },
];

/// Turns one official publication into tariff lines.
pub(crate) trait Converter {
    /// Names of the duty columns each line carries, in order; the first is the column
    /// assessments use unless a pack rule picks another.
    fn columns(&self) -> Vec<String>;
    /// Header values for one-file mode; flags override them.
    fn defaults(&self) -> Defaults;
    /// The lines of one revision, per input file (a format may spread one revision over
    /// several files, one per chapter). Codes must be unique across the files; order does not
    /// matter.
    fn convert(&self, inputs: &[Input]) -> Result<Vec<FileLines>, String>;
}

/// A format's default header values.
pub(crate) struct Defaults {
    pub regime: &'static str,
    pub currency: &'static str,
    pub edition: HsEdition,
    pub title: &'static str,
    pub publisher: &'static str,
    pub licence: &'static str,
}

/// One source file, decompressed.
pub(crate) struct Input {
    /// The file name as the manifest or command line gave it (reported in messages).
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The lines one input file gave.
pub(crate) struct FileLines {
    pub file: String,
    pub lines: Vec<Line>,
}

/// A converter's options: `key=value` pairs; each converter takes the keys it knows.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(transparent)]
pub(crate) struct Options(pub BTreeMap<String, String>);

impl Options {
    /// The value of `key`, if given.
    #[allow(dead_code)] // Used by the converters that take options.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// An error naming the first key not in `known`.
    pub fn refuse_unknown(&self, known: &[&str]) -> Result<(), String> {
        match self.0.keys().find(|k| !known.contains(&k.as_str())) {
            None => Ok(()),
            Some(k) if known.is_empty() => Err(format!("this format takes no option; got {k:?}")),
            Some(k) => Err(format!(
                "unknown option {k:?}; this format takes {}",
                known.join(", ")
            )),
        }
    }
}

#[derive(Args)]
pub(crate) struct TariffArgs {
    #[command(subcommand)]
    command: TariffCommand,
}

#[derive(Subcommand)]
enum TariffCommand {
    /// Convert an official tariff publication into the xborder tariff format.
    Import(Box<manifest::ImportArgs>),
    /// Recompute a goods lists file (HS codes that pack rules name) from its official sources.
    Lists(lists::ListsArgs),
}

pub(crate) fn run(args: TariffArgs) -> Result<ExitCode, Fatal> {
    match args.command {
        TariffCommand::Import(args) => import(*args),
        TariffCommand::Lists(args) => lists::run(args),
    }
}

fn import(args: manifest::ImportArgs) -> Result<ExitCode, Fatal> {
    let plan = manifest::plan(&args)?;
    let format = FORMATS
        .iter()
        .find(|f| f.name == plan.format)
        .ok_or_else(|| {
            Fatal(format!(
                "unknown format {:?}; expected one of {}",
                plan.format,
                FORMATS
                    .iter()
                    .map(|f| f.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
    let converter = (format.build)(&plan.options).map_err(Fatal)?;
    let mut header = plan.header;
    header.columns = converter.columns();
    let mut report = Report {
        columns: header.columns.clone(),
        ..Report::default()
    };
    let mut revisions = Vec::with_capacity(plan.revisions.len());
    for r in plan.revisions {
        let inputs = r
            .files
            .iter()
            .map(|p| read_input(p))
            .collect::<Result<Vec<_>, _>>()?;
        let per_file = converter
            .convert(&inputs)
            .map_err(|e| Fatal(format!("revision {}: {e}", r.id)))?;
        let lines = merge(per_file, &mut report, header.columns.len())
            .map_err(|e| Fatal(format!("revision {}: {e}", r.id)))?;
        revisions.push(Revision {
            id: r.id,
            from: r.from,
            title: r.title,
            edition: r.edition,
            lines,
        });
    }
    let text = file::write(&header, &revisions).map_err(|e| Fatal(format!("cannot write: {e}")))?;
    report.print();
    finish(&text, plan.output.as_deref(), args.check)
}

/// Writes the file, or with `--check` compares it with the one on disk.
fn finish(text: &str, output: Option<&Path>, check: bool) -> Result<ExitCode, Fatal> {
    match output {
        None => crate::print_stdout(text).map(|()| ExitCode::SUCCESS),
        Some(path) if check => {
            let old = std::fs::read_to_string(path)
                .map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
            if old == text {
                report!("{}: up to date", path.display());
                Ok(ExitCode::SUCCESS)
            } else {
                report!(
                    "{}: differs from what the sources convert to ({} bytes now, {} converted)",
                    path.display(),
                    old.len(),
                    text.len()
                );
                Ok(ExitCode::from(1))
            }
        }
        Some(path) => {
            std::fs::write(path, text).map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
            report!("{}: {} bytes", path.display(), text.len());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Reads a source file, decompressing `.gz` (the USITC archives ship gzipped, and keeping
/// them so saves unpacking 40 files by hand).
fn read_input(path: &Path) -> Result<Input, Fatal> {
    let fail = |e: std::io::Error| Fatal(format!("{}: {e}", path.display()));
    let raw = std::fs::read(path).map_err(fail)?;
    let bytes = if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::with_capacity(raw.len() * 8);
        flate2::read::MultiGzDecoder::new(raw.as_slice())
            .read_to_end(&mut out)
            .map_err(fail)?;
        out
    } else {
        raw
    };
    Ok(Input {
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string()),
        bytes,
    })
}

/// One revision's lines from all its files, sorted by code; a code twice is an error.
fn merge(
    per_file: Vec<FileLines>,
    report: &mut Report,
    columns: usize,
) -> Result<Vec<Line>, String> {
    let mut all: BTreeMap<String, (Line, String)> = BTreeMap::new();
    for FileLines { file, lines } in per_file {
        let mut untranslated = vec![0; columns];
        let count = lines.len();
        for line in lines {
            if line.duties.len() != columns {
                return Err(format!(
                    "{file}: line {} has {} duty columns, the format declares {columns}",
                    line.code,
                    line.duties.len()
                ));
            }
            for (column, duty) in line.duties.iter().enumerate() {
                let Some(duty) = duty else { continue };
                if let Err(reason) = &duty.expression {
                    untranslated[column] += 1;
                    *report
                        .reasons
                        .entry((duty.text.clone(), reason.clone()))
                        .or_default() += 1;
                }
            }
            if let Some((_, other)) = all.get(&line.code) {
                return Err(format!("code {} is in both {other} and {file}", line.code));
            }
            all.insert(line.code.clone(), (line, file.clone()));
        }
        report.files.push((file, count, untranslated));
    }
    Ok(all.into_values().map(|(line, _)| line).collect())
}

/// What the import prints on standard error: per input file, its lines and the rate texts
/// that could not be translated; then each such text once, with its reason.
#[derive(Default)]
struct Report {
    /// (file, lines, untranslated duty cells per column)
    files: Vec<(String, usize, Vec<usize>)>,
    columns: Vec<String>,
    /// (published text, reason) → how many duty cells carry it, over all files.
    reasons: BTreeMap<(String, String), usize>,
}

impl Report {
    fn print(&self) {
        for (file, lines, untranslated) in &self.files {
            let per_column: Vec<String> = self
                .columns
                .iter()
                .zip(untranslated)
                .map(|(c, n)| format!("{c} {n}"))
                .collect();
            report!(
                "{file}: {lines} lines, {} rate texts not translated ({})",
                untranslated.iter().sum::<usize>(),
                per_column.join(", ")
            );
        }
        if self.reasons.is_empty() {
            return;
        }
        report!(
            "{} distinct rate texts not translated (cells over all files, text, reason):",
            self.reasons.len()
        );
        let mut rows: Vec<_> = self.reasons.iter().collect();
        rows.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        for ((text, reason), n) in rows {
            report!("  {n:>5}  {text}  -- {reason}");
        }
    }
}

/// `path` resolved against `dir` unless absolute.
fn resolve(dir: &Path, path: &str) -> PathBuf {
    let p = Path::new(path);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        dir.join(p)
    }
}
