//! `xborder assess`: one result or error line per input record, in input order.
//!
//! NDJSON streams are assessed in parallel with constant memory by the batch pipeline
//! (`pipeline.rs`): the reader cuts the input into blocks of whole lines, workers assess whole
//! blocks, and the writer puts the blocks' outputs back in input order. Every channel is
//! bounded, so at most a fixed number of blocks are in flight whatever the size of the input.

use std::io::{self, Read, Write};
use std::process::ExitCode;

use xborder::{error_json, Error, ErrorCode, LineOutcome};

use crate::input::{is_complete_object, read_line, record, Record};
use crate::{AssessArgs, Fatal};

pub(crate) fn run(args: AssessArgs) -> Result<ExitCode, Fatal> {
    let (engine, mut options) = args.engine.build()?;
    options.trace = args.trace;
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let mut reader = crate::input::open_input(args.file.as_deref())?;
    let io_err = |e: io::Error| Fatal(format!("I/O error: {e}"));
    let limit = xborder::limits::MAX_DECLARATION_BYTES;

    // Find the first record: a pretty-printed single document is read whole and assessed once.
    let mut buf = Vec::with_capacity(4096);
    let mut line_no = 0u64;
    let mut first = None;
    while let Some(len) = read_line(&mut reader, &mut buf, limit + 1).map_err(io_err)? {
        line_no += 1;
        match record(&buf, len) {
            Record::Text(t) if t.trim().is_empty() => continue,
            Record::Text(t) if !is_complete_object(t) => {
                let mut doc = t.to_string();
                doc.push('\n');
                let mut rest = Vec::new();
                (&mut reader)
                    .take((limit + 1).saturating_sub(doc.len()) as u64)
                    .read_to_end(&mut rest)
                    .map_err(io_err)?;
                let mut out = io::stdout().lock();
                let err = match String::from_utf8(rest) {
                    Ok(rest) => {
                        doc.push_str(&rest);
                        let (json, err) = engine.assess_to_json(&doc, &options);
                        writeln!(out, "{json}").map_err(io_err)?;
                        err
                    }
                    Err(_) => {
                        let err =
                            Error::new(ErrorCode::InvalidUtf8, "the input is not valid UTF-8");
                        writeln!(out, "{}", error_json(None, &err)).map_err(io_err)?;
                        Some(err)
                    }
                };
                out.flush().map_err(io_err)?;
                return Ok(ExitCode::from(u8::from(err.is_some())));
            }
            _ => {
                first = Some((std::mem::take(&mut buf), len, line_no));
                break;
            }
        }
    }
    let Some(first) = first else {
        return Ok(ExitCode::SUCCESS);
    };

    let (head, len, line_no) = first;
    let mut start = crate::pipeline::Start {
        line: line_no,
        long: if len > head.len() {
            vec![(line_no, len)]
        } else {
            Vec::new()
        },
        head,
    };
    start.head.push(b'\n');
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
