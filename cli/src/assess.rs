//! `xborder assess`: one result or error line per input record, in input order.
//!
//! NDJSON streams are assessed in parallel with constant memory by the batch pipeline
//! (`pipeline.rs`): the reader cuts the input into blocks of whole lines, workers assess whole
//! blocks, and the writer puts the blocks' outputs back in input order. Every channel is
//! bounded, so at most a fixed number of blocks are in flight whatever the size of the input.

use std::io::{self, Write};
use std::process::ExitCode;

use xborder::LineOutcome;

use crate::input::{frame, Framing};
use crate::{AssessArgs, Fatal};

pub(crate) fn run(args: AssessArgs) -> Result<ExitCode, Fatal> {
    let (engine, mut options) = args.engine.build()?;
    options.trace = args.trace;
    let threads = crate::pipeline::threads(args.threads);
    let mut reader = crate::input::open_input(args.file.as_deref())?;
    let io_err = Fatal::io;
    let limit = xborder::limits::MAX_DECLARATION_BYTES;

    let start = match frame(&mut reader).map_err(io_err)? {
        Framing::Empty => return Ok(ExitCode::SUCCESS),
        Framing::Document(doc, _) => {
            let (json, err) = engine.assess_to_json(&doc, &options);
            let mut out = io::stdout().lock();
            writeln!(out, "{json}").map_err(io_err)?;
            out.flush().map_err(io_err)?;
            return Ok(ExitCode::from(u8::from(err.is_some())));
        }
        Framing::Lines(start) => start,
    };
    let progress = crate::progress::Progress::new(
        crate::progress::stdout_not_piped(),
        crate::pipeline::input_size(args.file.as_deref()),
        "declarations",
    );
    let rejected = crate::pipeline::run(
        &mut reader,
        start,
        threads,
        limit,
        || 0u64,
        |rejected, block, out| {
            out.reserve(block.bytes.len() * 2);
            for (line, no, full) in block.lines() {
                let outcome = engine.assess_ndjson_line(line, full, no, &options, out);
                *rejected += u64::from(matches!(outcome, LineOutcome::Rejected(_)));
            }
        },
        Some(&mut io::stdout()),
        &progress,
    )
    .map_err(io_err)?
    .into_iter()
    .sum::<u64>();
    Ok(if rejected == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
