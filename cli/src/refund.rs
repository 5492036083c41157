//! `xborder refund`: the refund of each return declaration (docs/returns.md), one JSON line
//! per input record, in input order; a record that cannot be refunded gets the error record
//! (docs/contract.md) in its place and the exit code becomes 1.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use xborder::error_json;

use crate::input::{for_each_record, open_input};
use crate::{EngineArgs, Fatal};

#[derive(Args)]
pub(crate) struct RefundArgs {
    #[command(flatten)]
    engine: EngineArgs,
    /// Return declarations (one JSON document or NDJSON); `-` or absent for standard input.
    file: Option<PathBuf>,
}

pub(crate) fn run(args: RefundArgs) -> Result<ExitCode, Fatal> {
    let (engine, options) = args.engine.build()?;
    let mut reader = open_input(args.file.as_deref())?;
    let io_err = Fatal::io;
    let mut out = io::stdout().lock();
    let (mut refunded, mut rejected) = (0u64, 0u64);
    for_each_record(&mut reader, |_, text| {
        let line = match text.and_then(|t| engine.refund_json(t, &options)) {
            Ok(refund) => {
                refunded += 1;
                serde_json::to_string(&refund)
                    .map_err(|e| Fatal(format!("refund did not serialize: {e}")))?
            }
            Err(e) => {
                rejected += 1;
                error_json(None, &e)
            }
        };
        writeln!(out, "{line}").map_err(io_err)
    })?;
    out.flush().map_err(io_err)?;
    Ok(crate::batch_summary(
        refunded,
        rejected,
        "their error records are in the output",
    ))
}
