//! `xborder assess`: one result or error line per input record, in input order.
//!
//! NDJSON streams are assessed in parallel with constant memory: the reader cuts the input
//! into chunks of lines, workers assess whole chunks, and the writer puts the chunks' outputs
//! back in input order. Every channel is bounded, so at most a fixed number of chunks are in
//! flight whatever the size of the input.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::process::ExitCode;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

use xborder::{error_json, AssessOptions, Engine, Error, ErrorCode, LineOutcome};

use crate::input::{is_complete_object, read_line, record, Record};
use crate::{AssessArgs, Fatal};

/// Lines per chunk: big enough to amortise channel costs, small enough to keep memory low.
const CHUNK_LINES: usize = 512;

/// A chunk of input lines: their bytes back to back, and where each line is.
struct Chunk {
    seq: u64,
    bytes: Vec<u8>,
    lines: Vec<Line>,
}

/// `bytes[start..end]` holds the line (at most the size limit plus one byte of it);
/// `full_len` is its length in the input.
struct Line {
    start: usize,
    end: usize,
    full_len: usize,
    line_no: u64,
}

struct Done {
    seq: u64,
    out: Vec<u8>,
    rejected: u64,
}

pub(crate) fn run(args: AssessArgs) -> Result<ExitCode, Fatal> {
    let (engine, mut options) = args.engine.build()?;
    options.trace = args.trace;
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let stdin = io::stdin();
    let mut reader: Box<dyn BufRead> = match args.file.as_deref() {
        None => Box::new(BufReader::with_capacity(1 << 16, stdin.lock())),
        Some(p) if p.as_os_str() == "-" => {
            Box::new(BufReader::with_capacity(1 << 16, stdin.lock()))
        }
        Some(p) => Box::new(BufReader::with_capacity(
            1 << 16,
            File::open(p).map_err(|e| Fatal(format!("{}: {e}", p.display())))?,
        )),
    };
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

    let engine = Arc::new(engine);
    let options = Arc::new(options);
    let (work_tx, work_rx) = sync_channel::<Chunk>(threads * 2);
    let work_rx = Arc::new(Mutex::new(work_rx));
    let (done_tx, done_rx) = sync_channel::<Done>(threads * 2);
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let (engine, options, rx, tx) = (
                Arc::clone(&engine),
                Arc::clone(&options),
                Arc::clone(&work_rx),
                done_tx.clone(),
            );
            std::thread::spawn(move || worker(&engine, &options, &rx, &tx))
        })
        .collect();
    drop(done_tx);
    let writer = std::thread::spawn(move || write_in_order(done_rx));

    let read_result = read_chunks(&mut reader, first, line_no, &work_tx, limit);
    drop(work_tx);
    for w in workers {
        w.join()
            .map_err(|_| Fatal("a worker thread failed".into()))?;
    }
    let rejected = writer
        .join()
        .map_err(|_| Fatal("the writer thread failed".into()))?
        .map_err(io_err)?;
    read_result.map_err(io_err)?;
    Ok(if rejected == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn read_chunks(
    reader: &mut dyn BufRead,
    first: (Vec<u8>, usize, u64),
    mut line_no: u64,
    tx: &SyncSender<Chunk>,
    limit: usize,
) -> io::Result<()> {
    let mut seq = 0u64;
    let new_chunk = |seq| Chunk {
        seq,
        bytes: Vec::with_capacity(CHUNK_LINES * 700),
        lines: Vec::with_capacity(CHUNK_LINES),
    };
    let mut chunk = new_chunk(seq);
    let (mut buf, first_len, first_no) = first;
    push_line(&mut chunk, &buf, first_len, first_no);
    while let Some(len) = read_line(reader, &mut buf, limit + 1)? {
        line_no += 1;
        if matches!(record(&buf, len), Record::Text(t) if t.trim().is_empty()) {
            continue;
        }
        push_line(&mut chunk, &buf, len, line_no);
        if chunk.lines.len() == CHUNK_LINES {
            seq += 1;
            let full = std::mem::replace(&mut chunk, new_chunk(seq));
            if tx.send(full).is_err() {
                return Ok(());
            }
        }
    }
    if !chunk.lines.is_empty() {
        let _ = tx.send(chunk);
    }
    Ok(())
}

fn push_line(chunk: &mut Chunk, buf: &[u8], full_len: usize, line_no: u64) {
    let start = chunk.bytes.len();
    chunk.bytes.extend_from_slice(buf);
    chunk.lines.push(Line {
        start,
        end: chunk.bytes.len(),
        full_len,
        line_no,
    });
}

fn worker(
    engine: &Engine,
    options: &AssessOptions,
    rx: &Mutex<Receiver<Chunk>>,
    tx: &SyncSender<Done>,
) {
    loop {
        let chunk = match rx.lock() {
            Ok(rx) => match rx.recv() {
                Ok(c) => c,
                Err(_) => return,
            },
            Err(_) => return,
        };
        let mut out = Vec::with_capacity(chunk.lines.len() * 2048);
        let mut rejected = 0u64;
        for line in &chunk.lines {
            let bytes = &chunk.bytes[line.start..line.end];
            let outcome =
                engine.assess_ndjson_line(bytes, line.full_len, line.line_no, options, &mut out);
            rejected += u64::from(matches!(outcome, LineOutcome::Rejected(_)));
        }
        if tx
            .send(Done {
                seq: chunk.seq,
                out,
                rejected,
            })
            .is_err()
        {
            return;
        }
    }
}

/// Writes chunk outputs in sequence order; returns how many records were rejected.
fn write_in_order(rx: Receiver<Done>) -> io::Result<u64> {
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 17, stdout.lock());
    let mut pending: BTreeMap<u64, Done> = BTreeMap::new();
    let mut next = 0u64;
    let mut rejected = 0u64;
    for done in rx {
        pending.insert(done.seq, done);
        while let Some(d) = pending.remove(&next) {
            out.write_all(&d.out)?;
            rejected += d.rejected;
            next += 1;
        }
    }
    out.flush()?;
    Ok(rejected)
}
