//! `xborder statement`: assess a stream of declarations and aggregate what each collecting
//! operator owes, per period (FoS Standard 5, account-based system), as JSON or CSV.
//!
//! Declarations are read one line at a time (or as one pretty-printed document) and folded
//! into the core's [`StatementBuilder`], so memory grows with the number of accounts, not
//! with the number of declarations. Records that cannot be assessed are reported on stderr
//! with their line and left out; the exit code is then 1.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use xborder::statement::{Period, StatementBuilder};
use xborder::{Declaration, Engine, Error};

use crate::input::{for_each_record, open_input};
use crate::{EngineArgs, Fatal};

#[derive(Args)]
pub(crate) struct StatementArgs {
    #[command(flatten)]
    engine: EngineArgs,
    /// Accounting period: `day`, `month` (default) or `quarter`.
    #[arg(long, value_name = "P", default_value = "month")]
    period: String,
    /// Output format: `json` (default) or `csv`.
    #[arg(long, value_name = "F", default_value = "json")]
    format: String,
    /// Declarations (one JSON document or NDJSON); `-` or absent for standard input.
    file: Option<PathBuf>,
}

pub(crate) fn run(args: StatementArgs) -> Result<ExitCode, Fatal> {
    let period = Period::parse(&args.period).ok_or_else(|| {
        Fatal(format!(
            "--period {:?}: choose day, month or quarter",
            args.period
        ))
    })?;
    if args.format != "json" && args.format != "csv" {
        return Err(Fatal(format!(
            "--format {:?}: choose json or csv",
            args.format
        )));
    }
    let (engine, options) = args.engine.build()?;
    let mut reader = open_input(args.file.as_deref())?;
    let io_err = Fatal::io;
    let mut builder = StatementBuilder::new(period);
    let (mut added, mut rejected) = (0u64, 0u64);
    for_each_record(&mut reader, |line_no, text| {
        match text.and_then(|t| add(&engine, &options, &mut builder, t)) {
            Ok(()) => added += 1,
            Err(e) => {
                rejected += 1;
                report!("xborder: line {line_no}: not in the statement: {e}");
            }
        }
        Ok(())
    })?;
    let statement = builder.finish();
    let mut out = io::stdout().lock();
    if args.format == "csv" {
        out.write_all(statement.to_csv().as_bytes())
            .map_err(io_err)?;
    } else {
        serde_json::to_writer_pretty(&mut out, &statement).map_err(|e| {
            // A reader that went away is an I/O error like any other write's (`Fatal::io`).
            if e.is_io() {
                Fatal::io(e.into())
            } else {
                Fatal(format!("statement did not serialize: {e}"))
            }
        })?;
        writeln!(out).map_err(io_err)?;
    }
    out.flush().map_err(io_err)?;
    if !statement.reconciles() {
        return Err(Fatal(
            "the statement does not reconcile with its assessments; please report this bug".into(),
        ));
    }
    Ok(crate::batch_summary(
        added,
        rejected,
        "left out of the statement",
    ))
}

fn add(
    engine: &Engine,
    options: &xborder::AssessOptions,
    builder: &mut StatementBuilder,
    text: &str,
) -> Result<(), Error> {
    let declaration = Declaration::from_json(text)?;
    let result = engine.assess(&declaration, options)?;
    builder.add(&declaration, &result, Some(engine))
}
