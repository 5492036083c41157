//! `xborder assess`: one result or error line per input record, in input order.
//!
//! NDJSON streams are assessed in parallel with constant memory by the batch pipeline
//! (`pipeline.rs`): the reader cuts the input into blocks of whole lines, workers assess whole
//! blocks, and the writer puts the blocks' outputs back in input order. Every channel is
//! bounded, so at most a fixed number of blocks are in flight whatever the size of the input.

use std::process::ExitCode;

use crate::{AssessArgs, Fatal};

pub(crate) fn run(args: AssessArgs) -> Result<ExitCode, Fatal> {
    let (engine, mut options) = args.engine.build()?;
    options.trace = args.trace;
    let threads = crate::pipeline::threads(args.threads);
    let mut reader = crate::input::open_input(args.file.as_deref())?;
    let progress = crate::progress::Progress::new(
        !args.no_progress && crate::progress::stdout_not_piped(),
        crate::pipeline::input_size(args.file.as_deref()),
        "declarations",
    );
    let tally = crate::stream::assess_stream(
        &engine,
        &options,
        &mut reader,
        threads,
        &mut crate::preallocate::PreallocatingStdout::new(),
        &progress,
    )
    .map_err(Fatal::io)?;
    progress.finish();
    Ok(crate::batch_summary(
        tally.assessed,
        tally.rejected,
        "their error records are in the output",
    ))
}
