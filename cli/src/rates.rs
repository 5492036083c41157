//! `xborder rates import`: turns the files a customs administration publishes (the ECB's
//! reference rates, HMRC's monthly XML or CSV) into an `xborder-rates` table (docs/rates-format.md),
//! the format of the tables xborder carries (`regimes/<ID>/<ID>.rates`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use xborder::exchange::{ecb, hmrc, Month, MonthlyTable};
use xborder::Date;

use crate::Fatal;

#[derive(Args)]
pub(crate) struct RatesArgs {
    #[command(subcommand)]
    command: RatesCommand,
}

#[derive(Subcommand)]
enum RatesCommand {
    /// Convert official rate files into an xborder-rates table.
    Import(ImportArgs),
}

/// The official formats the converter reads.
#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// The ECB's reference rates as CSV (eurofxref-hist.csv): the months' customs rates are
    /// selected by Art. 146 UCC-IA.
    EcbCsv,
    /// The ECB's reference rates as XML (eurofxref-hist.xml).
    EcbXml,
    /// HMRC's monthly exchange-rate XML, one file per month (any number of files).
    HmrcXml,
    /// HMRC's monthly exchange rates as the UK Trade Tariff's CSV (monthly_csv_YYYY-M.csv),
    /// one file per month (any number of files).
    HmrcCsv,
}

#[derive(Args)]
struct ImportArgs {
    /// The format of the input files.
    #[arg(long)]
    format: Format,
    /// Keep the months from this one on (YYYY-MM).
    #[arg(long, value_name = "YYYY-MM")]
    from: Option<String>,
    /// The date the table was checked against its source (default: today).
    #[arg(long, value_name = "D")]
    checked: Option<String>,
    /// Where the files came from, written in the table's `source` (default: their names).
    #[arg(long, value_name = "TEXT")]
    source: Option<String>,
    /// Write the table here instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The input files.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

pub(crate) fn run(args: RatesArgs) -> Result<ExitCode, Fatal> {
    match args.command {
        RatesCommand::Import(args) => import(args),
    }
}

fn import(args: ImportArgs) -> Result<ExitCode, Fatal> {
    let read =
        |p: &PathBuf| crate::input::read_limited(p, xborder::limits::MAX_RATES_BYTES, "rate file");
    let names: Vec<String> = args
        .files
        .iter()
        .map(|p| {
            p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        })
        .collect();
    let checked = match &args.checked {
        Some(d) => d
            .parse()
            .map_err(|e: xborder::date::DateError| Fatal(format!("--checked: {e}")))?,
        None => today()?,
    };
    let from = args
        .from
        .as_deref()
        .map(|m| Month::parse(m).ok_or_else(|| Fatal(format!("--from {m:?}: expected YYYY-MM"))))
        .transpose()?;
    let fail = |file: &str, e: xborder::Error| Fatal(format!("{file}: {e}"));
    let mut table = match args.format {
        Format::EcbCsv | Format::EcbXml => {
            let [path] = args.files.as_slice() else {
                return Err(Fatal(
                    "the ECB formats take one file, the history (eurofxref-hist.csv or .xml)"
                        .into(),
                ));
            };
            ecb::monthly_table(&read(path)?, &names[0]).map_err(|e| fail(&names[0], e))?
        }
        Format::HmrcXml | Format::HmrcCsv => {
            let mut months = Vec::with_capacity(args.files.len());
            for (path, name) in args.files.iter().zip(&names) {
                let text = read(path)?;
                let month = match args.format {
                    Format::HmrcCsv => hmrc::parse_month_csv(&text),
                    _ => hmrc::parse_month(&text),
                };
                months.push(month.map_err(|e| fail(name, e))?);
            }
            let first = months.iter().map(|m| m.month).min();
            let last = months.iter().map(|m| m.month).max();
            let source = match (first, last) {
                (Some(f), Some(l)) => format!(
                    "HMRC monthly exchange rates, {} monthly {} files, {f} to {l}",
                    months.len(),
                    if matches!(args.format, Format::HmrcCsv) {
                        "CSV"
                    } else {
                        "XML"
                    }
                ),
                _ => "HMRC monthly exchange rates".into(),
            };
            hmrc::monthly_table(months, source, checked).map_err(|e| Fatal(e.to_string()))?
        }
    };
    if let Some(from) = from {
        table.retain_from(from);
        table.drop_empty_columns();
    }
    if table.rows.is_empty() {
        return Err(Fatal("no month is left to write".into()));
    }
    table.header.checked = checked;
    if let Some(source) = &args.source {
        table.header.source = source.clone();
    }
    table.header.converter = Some(converter_line(&args, &names));
    report(&table);
    let text = table.to_text();
    // The written table must read back as the same table.
    if MonthlyTable::parse(&text).as_ref() != Ok(&table) {
        return Err(Fatal(
            "internal error: the table does not read back as written".into(),
        ));
    }
    match &args.output {
        Some(path) => {
            std::fs::write(path, text).map_err(|e| Fatal(format!("{}: {e}", path.display())))?
        }
        None => crate::print_stdout(&text)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The command, as the table records it (`converter`), with the files by name only.
fn converter_line(args: &ImportArgs, names: &[String]) -> String {
    let format = match args.format {
        Format::EcbCsv => "ecb-csv",
        Format::EcbXml => "ecb-xml",
        Format::HmrcXml => "hmrc-xml",
        Format::HmrcCsv => "hmrc-csv",
    };
    let mut line = format!("xborder rates import --format {format}");
    if let Some(from) = &args.from {
        line.push_str(&format!(" --from {from}"));
    }
    if names.len() > 3 {
        line.push_str(&format!(
            " <{} files: {} … {}>",
            names.len(),
            names[0],
            names[names.len() - 1]
        ));
    } else {
        for n in names {
            line.push(' ');
            line.push_str(n);
        }
    }
    line
}

/// What was written, on standard error: the months, and every month whose rate came from a
/// day before the rule's day (Art. 146(2): no publication that day).
fn report(table: &MonthlyTable) {
    let (Some(first), Some(last)) = (table.rows.first(), table.rows.last()) else {
        return;
    };
    report!(
        "{}: {} months, {} to {}, {} currencies",
        table.header.id,
        table.rows.len(),
        first.month,
        last.month,
        table.currencies.len()
    );
    if table.header.published.is_some() {
        let fallbacks: Vec<String> = table
            .rows
            .iter()
            .filter_map(|r| {
                let expected =
                    xborder::exchange::art146::penultimate_wednesday(r.month.previous()?);
                (r.published != Some(expected)).then(|| {
                    format!(
                        "{}: published {} (nothing on {expected})",
                        r.month,
                        r.published
                            .map_or_else(|| "-".to_string(), |d| d.to_string())
                    )
                })
            })
            .collect();
        if fallbacks.is_empty() {
            report!("every month's rates were published on the penultimate Wednesday of the month before");
        } else {
            report!("months whose penultimate Wednesday had no publication (the most recent earlier one applies):");
            for f in fallbacks {
                report!("  {f}");
            }
        }
    }
}

/// Today's date (UTC) from the system clock.
fn today() -> Result<Date, Fatal> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| Fatal(format!("the system clock is before 1970: {e}")))?
        .as_secs();
    Date::from_days_since_epoch(i64::try_from(secs / 86_400).unwrap_or(i64::MAX))
        .ok_or_else(|| Fatal("the system clock is out of range".into()))
}
