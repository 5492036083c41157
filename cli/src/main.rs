//! `xborder`: assess declarations, list regimes, explain an assessment, and the batch tools
//! (statements, refunds, synthetic data, statistics, policy simulation).

/// `eprintln!` that never panics: when standard error is closed or full the message is lost
/// and the exit code still tells (see `std_streams::report`). `eprintln!` and `println!` are
/// disallowed in this crate (`cli/clippy.toml`).
macro_rules! report {
    ($($arg:tt)*) => {
        $crate::std_streams::report(format_args!($($arg)*))
    };
}

mod allocator;
mod assess;
mod chart;
mod explain;
mod generate;
mod input;
mod pipeline;
mod preallocate;
mod progress;
mod rates;
mod refund;
mod regimes;
mod simulate;
mod simulate_report;
mod statement;
mod stats;
mod std_streams;
mod stream;
mod tariff;
mod writeback;

use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc, through its plain functions where they suffice (`allocator.rs`).
#[global_allocator]
static ALLOCATOR: allocator::Mimalloc = allocator::Mimalloc;

use clap::{Args, Parser, Subcommand};
use xborder::{AssessOptions, Engine};

/// Cross-border e-commerce assessments under the WCO Framework of Standards.
#[derive(Parser)]
#[command(name = "xborder", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Assess one JSON declaration or an NDJSON stream; one result or error line per input.
    Assess(AssessArgs),
    /// List the embedded (and loaded) regimes, their versions and validity dates.
    Regimes(regimes::RegimesArgs),
    /// Show one declaration's assessment with its trace as a readable table.
    Explain(ExplainArgs),
    /// Assess declarations and aggregate what each collecting operator owes, per period.
    Statement(statement::StatementArgs),
    /// Refund of duties and taxes on returned goods, at the original date's rules.
    Refund(refund::RefundArgs),
    /// Write synthetic declarations (NDJSON) that resemble real e-commerce flows.
    Generate(generate::GenerateArgs),
    /// Aggregate assessment results into publishable statistics (JSON or CSV, SVG charts).
    Stats(stats::StatsArgs),
    /// Assess declarations under the rules in force and under a variant, side by side.
    Simulate(simulate::SimulateArgs),
    /// Build tariff files from official publications (`xborder tariff import`).
    Tariff(tariff::TariffArgs),
    /// Exchange-rate tables: convert the official files into xborder's table format.
    Rates(rates::RatesArgs),
}

/// Options that build the engine and shape each assessment.
#[derive(Args, Clone)]
struct EngineArgs {
    /// Use this regime for every declaration, whatever its destination.
    #[arg(long, value_name = "ID")]
    regime: Option<String>,
    /// Apply the rules in force on this date (YYYY-MM-DD) instead of each declaration's.
    #[arg(long, value_name = "D")]
    date: Option<String>,
    /// Exchange-rate table used before the built-in official rates, pair by pair: the
    /// project's JSON or CSV (a rate may be quoted inverse, `"method": "divide"`: 1 EUR =
    /// 1.1845 USD), an xborder-rates table, the ECB's reference rates as downloaded
    /// (eurofxref-hist.csv/.xml) or HMRC's monthly XML or CSV (docs/rates-format.md).
    #[arg(long, value_name = "FILE")]
    rates: Option<PathBuf>,
    /// Official rate table (xborder-rates, ECB or HMRC file) replacing the built-in one with
    /// the same id (ECB, HMRC), e.g. a newer table written by `xborder rates import`.
    #[arg(long = "rate-table", value_name = "FILE")]
    rate_table: Vec<PathBuf>,
    /// Use no built-in official rates: only --rates converts.
    #[arg(long = "no-builtin-rates")]
    no_builtin_rates: bool,
    /// Full tariff (JSON or CSV) replacing a regime's: `ID=FILE`, or `FILE` with --regime. A
    /// CSV is separated by `,` or `;` (whichever its header holds more of) and has the columns
    /// hs, duty, description, source, checked, in any order, unless --tariff-columns says
    /// otherwise (docs/regime-format.md).
    #[arg(long, value_name = "[ID=]FILE")]
    tariff: Vec<String>,
    /// The header map of a CSV --tariff: which column holds each field, e.g.
    /// `hs=Commodity code,duty=Third country duty,description=Description`. Other columns are
    /// ignored; a field not mapped is read from the column of its own name.
    #[arg(
        long = "tariff-columns",
        value_name = "FIELD=COLUMN,…",
        help_heading = "Tariff CSV"
    )]
    tariff_columns: Vec<String>,
    /// The field separator of a CSV --tariff (default: `,` or `;`, from the header).
    #[arg(long = "tariff-separator", value_name = "CHAR", value_parser = parse_separator, help_heading = "Tariff CSV")]
    tariff_separator: Option<u8>,
    /// The source of every line of a CSV --tariff that has no source column.
    #[arg(
        long = "tariff-source",
        value_name = "TEXT",
        help_heading = "Tariff CSV"
    )]
    tariff_source: Option<String>,
    /// The checked date (YYYY-MM-DD) of every line of a CSV --tariff that has no checked
    /// column.
    #[arg(long = "tariff-checked", value_name = "D", help_heading = "Tariff CSV")]
    tariff_checked: Option<String>,
    /// Extra regime pack (JSON); one with an embedded pack's id replaces it.
    #[arg(long, value_name = "FILE")]
    pack: Vec<PathBuf>,
    /// Risk profile (JSON, docs/risk-profiles.md) replacing the sample profile of its regime.
    #[arg(long = "risk-profile", value_name = "FILE")]
    risk_profile: Vec<PathBuf>,
    /// Reading of an uncertain rule, e.g. `flat_duty_scope=ioss_and_postal` (or `=reject`).
    #[arg(long = "option", value_name = "NAME=VALUE")]
    options: Vec<String>,
}

#[derive(Args)]
#[command(
    after_help = "Exit status: 0 when every record was assessed; 1 when some were \
rejected: each one's error record is in the output in its place, and a last line on standard \
error says how many, e.g. `xborder: 199941 assessed, 59 rejected (their error records are in \
the output)`; 2 on usage or I/O errors. A reader that stops early (`xborder assess big.ndjson \
| head -1`) ends the command quietly with status 0."
)]
struct AssessArgs {
    #[command(flatten)]
    engine: EngineArgs,
    /// Include the trace in each result.
    #[arg(long)]
    trace: bool,
    /// Worker threads for NDJSON streams, 1 to 256 (default: all cores).
    #[arg(long, value_name = "N", value_parser = crate::pipeline::parse_threads)]
    threads: Option<usize>,
    /// Never draw a progress bar (none is drawn anyway unless standard error is a terminal).
    #[arg(long)]
    no_progress: bool,
    /// Input file; `-` or absent for standard input.
    file: Option<PathBuf>,
}

#[derive(Args)]
struct ExplainArgs {
    #[command(flatten)]
    engine: EngineArgs,
    /// The declaration (one JSON document); `-` for standard input.
    file: PathBuf,
}

/// A failure that is the user's or the system's, not a record's: exit code 2. An empty message
/// stands for a closed output pipe (see [`Fatal::io`]): the command stops quietly with success.
pub(crate) struct Fatal(pub String);

impl Fatal {
    /// An I/O error. A closed pipe on the output (`xborder assess … | head -1`) is not a
    /// failure: the reader has what it wanted, so the command stops at once, quietly, with
    /// success.
    pub(crate) fn io(e: std::io::Error) -> Fatal {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Fatal(String::new())
        } else {
            Fatal(format!("I/O error: {e}"))
        }
    }
}

/// A CSV separator given on the command line: one ASCII character, `\t` for TAB.
fn parse_separator(text: &str) -> Result<u8, String> {
    // One reading for the CLI, the C API and the WASM package (their JSON layouts).
    xborder::tariff::CsvLayout::parse_separator(text)
}

/// Whether a --tariff text is JSON or a tariff file rather than CSV (the CSV flags leave them
/// alone).
fn is_json_or_tariff_file(text: &str) -> bool {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    t.starts_with('{') || xborder::tariff::file::is_tariff_file(t)
}

impl EngineArgs {
    /// The layout the --tariff-* flags give a CSV tariff, if any is given.
    fn tariff_csv_layout(&self) -> Result<Option<xborder::tariff::CsvLayout>, Fatal> {
        if self.tariff_columns.is_empty()
            && self.tariff_separator.is_none()
            && self.tariff_source.is_none()
            && self.tariff_checked.is_none()
        {
            return Ok(None);
        }
        let mut layout = xborder::tariff::CsvLayout {
            separator: self.tariff_separator,
            source: self.tariff_source.clone(),
            ..Default::default()
        };
        for spec in &self.tariff_columns {
            layout
                .map_columns(spec)
                .map_err(|e| Fatal(format!("--tariff-columns: {e}")))?;
        }
        if let Some(d) = &self.tariff_checked {
            layout.checked =
                Some(d.parse().map_err(|e: xborder::date::DateError| {
                    Fatal(format!("--tariff-checked: {e}"))
                })?);
        }
        Ok(Some(layout))
    }

    fn build(&self) -> Result<(Engine, AssessOptions), Fatal> {
        self.build_with(&[])
    }

    /// Like `build`, with packs (JSON text) added after `--pack`: one with a loaded id
    /// replaces it.
    fn build_with(&self, extra_packs: &[String]) -> Result<(Engine, AssessOptions), Fatal> {
        use xborder::limits::{MAX_PACK_BYTES, MAX_RATES_BYTES, MAX_TARIFF_BYTES};
        let read = input::read_limited;
        let mut builder = Engine::builder();
        for p in &self.pack {
            builder = builder.regime_json(read(p, MAX_PACK_BYTES, "regime pack")?);
        }
        for text in extra_packs {
            builder = builder.regime_json(text.clone());
        }
        for spec in &self.tariff {
            let (id, path) = match spec.split_once('=') {
                Some((id, path)) => (id.to_string(), PathBuf::from(path)),
                None => (
                    self.regime.clone().ok_or_else(|| {
                        Fatal("--tariff FILE needs --regime ID (or write --tariff ID=FILE)".into())
                    })?,
                    PathBuf::from(spec),
                ),
            };
            let text = read(&path, MAX_TARIFF_BYTES, "tariff")?;
            builder = match self.tariff_csv_layout()? {
                Some(layout) if !is_json_or_tariff_file(&text) => {
                    builder.tariff_csv(id, text, layout)
                }
                _ => builder.tariff(id, text),
            };
        }
        if let Some(p) = &self.rates {
            builder = builder.rates(read(p, MAX_RATES_BYTES, "rate table")?);
        }
        for p in &self.rate_table {
            builder = builder.rate_table(read(p, MAX_RATES_BYTES, "rate table")?);
        }
        if self.no_builtin_rates {
            builder = builder.without_builtin_rates();
        }
        for p in &self.risk_profile {
            builder = builder.risk_profile_json(read(p, MAX_PACK_BYTES, "risk profile")?);
        }
        let engine = builder
            .build()
            .map_err(|e| Fatal(format!("cannot load rules: {e}")))?;
        let options = self.assess_options()?;
        Ok((engine, options))
    }

    /// The assessment options `--date`, `--regime` and `--option` choose, written as the
    /// options object and read by the core's one options grammar (`AssessOptions::from_json`,
    /// which the C API, the WASM package and Python use too), so a flag is judged exactly as
    /// the same key of the options object is in every binding. The trace is the command's
    /// (`--trace`, `explain`).
    fn assess_options(&self) -> Result<AssessOptions, Fatal> {
        let mut readings = serde_json::Map::new();
        for o in &self.options {
            let (k, v) = o
                .split_once('=')
                .ok_or_else(|| Fatal(format!("--option {o:?}: expected NAME=VALUE")))?;
            readings.insert(k.to_string(), v.into());
        }
        let document = serde_json::json!({
            "date": self.date,
            "regime": self.regime,
            "options": readings,
        });
        AssessOptions::from_json(&document.to_string()).map_err(|e| {
            // Name the flag the options object's key came from.
            let flag = match e.path.as_deref() {
                Some("date") => "--date".to_string(),
                Some("regime") => "--regime".to_string(),
                Some(p) => match p.strip_prefix("options.") {
                    Some(name) => format!("--option {name}"),
                    None => p.to_string(),
                },
                None => "options".to_string(),
            };
            let message = e
                .message
                .strip_prefix("assessment options: ")
                .unwrap_or(&e.message);
            Fatal(format!("{flag}: {message} ({})", e.code))
        })
    }
}

/// The end of a batch: exit code 0 when every record was assessed, else 1 with
/// `xborder: N assessed, M rejected (…)` on standard error, so that the exit code never comes
/// unexplained. Nothing is written when nothing was rejected: a clean batch stays silent.
/// `where_` says where the rejected records went.
pub(crate) fn batch_summary(assessed: u64, rejected: u64, where_: &str) -> ExitCode {
    if rejected == 0 {
        return ExitCode::SUCCESS;
    }
    report!("xborder: {assessed} assessed, {rejected} rejected ({where_})");
    ExitCode::from(1)
}

/// Writes `text` to standard output; a reader that went away (`xborder regimes | head`) ends
/// the command quietly ([`Fatal::io`]), while `println!` would panic on the broken pipe.
pub(crate) fn print_stdout(text: &str) -> Result<(), Fatal> {
    use std::io::Write;
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(Fatal::io)
}

fn main() -> ExitCode {
    allocator::small_pages_only();
    allocator::keep_freed_memory();
    // Parsed through `ArgMatches`, which `simulate` also reads: the positions of its options
    // say which --set belongs to which --variant.
    let matches = <Cli as clap::CommandFactory>::command().get_matches();
    let cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    if std_streams::stdout_closed() {
        report!("xborder: standard output is closed");
        return ExitCode::from(2);
    }
    writeback::release_stdout();
    let outcome = match cli.command {
        Command::Assess(args) => assess::run(args),
        Command::Regimes(args) => regimes::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Statement(args) => statement::run(args),
        Command::Refund(args) => refund::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Stats(args) => stats::run(args),
        Command::Simulate(args) => simulate::run(args, matches.subcommand_matches("simulate")),
        Command::Tariff(args) => tariff::run(args),
        Command::Rates(args) => rates::run(args),
    };
    match outcome {
        Ok(code) => code,
        Err(Fatal(message)) if message.is_empty() => ExitCode::SUCCESS,
        Err(Fatal(message)) => {
            report!("xborder: {message}");
            ExitCode::from(2)
        }
    }
}
