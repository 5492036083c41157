//! `xborder stats`: publishable statistics (FoS Standard 14) from `assess` output.
//!
//! The aggregation and the disclosure control are the core's (`xborder::stats`), so every
//! binding can offer the same tables; this file reads the stream in parallel, writes JSON or
//! CSV, and draws the charts.

use std::fs::File;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use xborder::stats::{Aggregator, Period, DEFAULT_MIN_CELL};

use crate::Fatal;

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Csv,
}

#[derive(Args)]
pub(crate) struct StatsArgs {
    /// Period to group by: day, month, quarter, year or all.
    #[arg(long, default_value = "month")]
    period: Period,
    /// Minimum consignments in a published cell; smaller cells (and the cells that would
    /// reveal them) are reported as suppressed.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MIN_CELL)]
    min_cell: u64,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
    /// Also draw the main breakdowns as an SVG file.
    #[arg(long, value_name = "FILE.svg")]
    chart: Option<PathBuf>,
    /// Worker threads, 1 to 256 (default: all cores).
    #[arg(long, value_name = "N", value_parser = crate::pipeline::parse_threads)]
    threads: Option<usize>,
    /// Never draw a progress bar.
    #[arg(long)]
    no_progress: bool,
    /// Result NDJSON (from `xborder assess`); `-` or absent for standard input.
    file: Option<PathBuf>,
}

pub(crate) fn run(args: StatsArgs) -> Result<ExitCode, Fatal> {
    let mut reader = crate::pipeline::open_input(args.file.as_deref())?;
    let progress = crate::progress::Progress::new(
        !args.no_progress && crate::progress::stdout_not_piped(),
        crate::pipeline::input_size(args.file.as_deref()),
        "results",
    );
    let period = args.period;
    let states = crate::pipeline::run(
        &mut *reader,
        crate::pipeline::Start::default(),
        crate::pipeline::threads(args.threads),
        // Results with a trace are far longer than declarations; a line is never held whole
        // beyond this, so memory stays bounded.
        16 << 20,
        || Aggregator::new(period),
        |agg, block, _| {
            for (line, _, full) in block.lines() {
                if full > line.len() {
                    agg.unreadable += 1;
                } else {
                    agg.add_line(line);
                }
            }
        },
        None,
        &progress,
    )
    .map_err(Fatal::io)?;
    let mut agg = Aggregator::new(period);
    for s in states {
        agg.merge(s);
    }
    let report = agg.report(args.min_cell);
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&report).map_err(|e| Fatal(e.to_string()))?,
        Format::Csv => report.to_csv(),
    };
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| {
            if text.ends_with('\n') {
                Ok(())
            } else {
                out.write_all(b"\n")
            }
        })
        .map_err(Fatal::io)?;
    if let Some(path) = &args.chart {
        let svg = crate::chart::render(&report);
        File::create(path)
            .and_then(|mut f| f.write_all(svg.as_bytes()))
            .map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
    }
    if agg.unreadable > 0 {
        report!(
            "xborder: {} line(s) were not assessment results and were left out",
            agg.unreadable
        );
    }
    Ok(ExitCode::SUCCESS)
}
