//! One stream of declarations assessed into one stream of results: the framing decision
//! (`input::frame`) and, for NDJSON, the parallel, order-keeping pipeline (`pipeline.rs`).
//!
//! Kept free of the command line so that the `stream` fuzz target runs exactly this code on
//! in-memory input.

use std::io::{self, BufRead, Write};

use xborder::{AssessOptions, Engine, LineOutcome};

use crate::input::{frame, Framing};
use crate::progress::Progress;

/// Assesses every record of `reader` into `out`, one line per record in input order, on
/// `threads` worker threads. Returns how many records were rejected.
pub(crate) fn assess_stream(
    engine: &Engine,
    options: &AssessOptions,
    reader: &mut dyn BufRead,
    threads: usize,
    out: &mut (dyn Write + Send),
    progress: &Progress,
) -> io::Result<u64> {
    let start = match frame(reader)? {
        Framing::Empty => return Ok(0),
        Framing::Document(doc, _) => {
            let (json, err) = engine.assess_to_json(&doc, options);
            writeln!(out, "{json}")?;
            out.flush()?;
            return Ok(u64::from(err.is_some()));
        }
        Framing::Lines(start) => start,
    };
    // `&mut &mut dyn BufRead` is a reader: the pipeline goes on where the framing stopped,
    // buffered bytes first.
    let mut reader = reader;
    let rejected = crate::pipeline::run(
        &mut reader,
        start,
        threads,
        xborder::limits::MAX_DECLARATION_BYTES,
        || 0u64,
        |rejected, block, out| {
            out.reserve(block.bytes.len() * 2);
            for (line, no, full) in block.lines() {
                let outcome = engine.assess_ndjson_line(line, full, no, options, out);
                *rejected += u64::from(matches!(outcome, LineOutcome::Rejected(_)));
            }
        },
        Some(out),
        progress,
    )?;
    Ok(rejected.into_iter().sum())
}
