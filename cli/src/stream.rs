//! One stream of declarations assessed into one stream of results: the framing decision
//! (`input::frame`) and, for NDJSON, the parallel, order-keeping pipeline (`pipeline.rs`).
//!
//! Kept free of the command line so that the `stream` fuzz target runs exactly this code on
//! in-memory input.

use std::io::{self, BufRead, Write};

use xborder::ndjson::TextLine;
use xborder::{AssessOptions, Engine, LineOutcome};

use crate::input::{frame, Framing};
use crate::progress::Progress;

/// How many records a stream held, and how many of them were rejected.
#[derive(Clone, Copy, Default)]
pub(crate) struct Tally {
    /// Records assessed into a result.
    pub(crate) assessed: u64,
    /// Records whose error record was written in their place.
    pub(crate) rejected: u64,
    /// Output bytes per input byte of this worker's last block, in sixteenths (0 before the
    /// first): what the next block's output buffer is reserved from.
    out_per_in: usize,
}

impl Tally {
    fn add(mut self, other: Tally) -> Tally {
        self.assessed += other.assessed;
        self.rejected += other.rejected;
        self
    }
}

/// Output bytes reserved per input byte before a worker has seen a block, in sixteenths: 9/4,
/// about what generated EU declarations give (their results are about twice their bytes).
const FIRST_OUT_PER_IN: usize = 36;

/// Most output bytes reserved per input byte, in sixteenths: a block of short lines that are
/// rejected (an error record is longer than a two-byte line) must not have the next block
/// reserve a hundred times its size; a block that needs more grows its buffer as before.
const MOST_OUT_PER_IN: usize = 8 * 16;

/// Assesses every record of `reader` into `out`, one line per record in input order, on
/// `threads` worker threads. Returns how many records were assessed and rejected.
pub(crate) fn assess_stream(
    engine: &Engine,
    options: &AssessOptions,
    reader: &mut dyn BufRead,
    threads: usize,
    out: &mut (dyn Write + Send),
    progress: &Progress,
) -> io::Result<Tally> {
    let start = match frame(reader)? {
        Framing::Empty => return Ok(Tally::default()),
        Framing::Document(doc, _) => {
            let (json, err) = engine.assess_to_json(&doc, options);
            writeln!(out, "{json}")?;
            out.flush()?;
            let rejected = u64::from(err.is_some());
            return Ok(Tally {
                assessed: 1 - rejected,
                rejected,
                ..Tally::default()
            });
        }
        Framing::Lines(start) => start,
    };
    // `&mut &mut dyn BufRead` is a reader: the pipeline goes on where the framing stopped,
    // buffered bytes first.
    let mut reader = reader;
    let tallies = crate::pipeline::run(
        &mut reader,
        start,
        threads,
        xborder::limits::MAX_DECLARATION_BYTES,
        Tally::default,
        |tally, block, out| {
            // Room for the block's results, from the ratio of output to input of this worker's
            // last block (side-by-side lines give about 2.6 times their bytes, generated EU
            // declarations about 2.1), with headroom: the pipeline reuses output buffers, and
            // one regrown for a block a few bytes longer than its last would double, copying
            // the megabytes already written.
            let per_in = match tally.out_per_in {
                0 => FIRST_OUT_PER_IN,
                seen => seen.min(MOST_OUT_PER_IN),
            };
            out.reserve(block.bytes().len() * per_in / 16);
            let written = out.written().len();
            // A block of ASCII (every generated or compact declaration) is text as it stands,
            // checked once at a fraction of the cost of validating UTF-8 line by line; any
            // other block is validated line by line, so a bad line is reported as before.
            // A block of text goes to the engine whole, which reads, assesses and writes its
            // lines in runs, stage by stage (`Engine::assess_ndjson_text_lines`).
            let bytes = block.bytes();
            let mut count = |outcome| match outcome {
                LineOutcome::Blank => {}
                LineOutcome::Assessed => tally.assessed += 1,
                LineOutcome::Rejected(_) => tally.rejected += 1,
            };
            match block
                .ascii_text()
                .and_then(|text| text_lines(text, bytes, block))
            {
                Some(lines) => {
                    // Written over the buffer's room, which is not zeroed again.
                    let (buf, end) = out.over();
                    engine.assess_ndjson_text_lines_over(&lines, options, buf, end, count);
                }
                None => out.append(|out| {
                    for (line, no, full) in block.lines() {
                        count(engine.assess_ndjson_line(line, full, no, options, out));
                    }
                }),
            }
            // Rounded up, so that a block like the last has room.
            tally.out_per_in = ((out.written().len() - written) * 16).div_ceil(bytes.len().max(1));
        },
        Some(out),
        progress,
    )?;
    Ok(tallies.into_iter().fold(Tally::default(), Tally::add))
}

/// The lines of `block` as slices of `text`, its bytes checked as text once
/// (`input::ascii_text`); `None` if a line were not within `text` (not for a block's lines).
fn text_lines<'a>(
    text: &'a str,
    bytes: &[u8],
    block: &'a crate::pipeline::Block,
) -> Option<Vec<TextLine<'a>>> {
    block
        .lines()
        .map(|(line, line_no, full_len)| {
            // `line` lies within `bytes`: its offset is where it starts in `text`.
            let at = line.as_ptr() as usize - bytes.as_ptr() as usize;
            let line = text.get(at..at + line.len())?;
            Some(TextLine {
                line,
                full_len,
                line_no,
            })
        })
        .collect()
}
