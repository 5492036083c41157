//! `xborder refund`: the refund of each return declaration (docs/returns.md), one JSON line
//! per input record, in input order; a record that cannot be refunded gets the CONTRACT error
//! object in its place and the exit code becomes 1.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use xborder::{error_json, Error, ErrorCode};

use crate::input::{is_complete_object, read_line, record, Record};
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
    let mut reader: Box<dyn BufRead> = match args.file.as_deref() {
        None => Box::new(BufReader::new(io::stdin().lock())),
        Some(p) if p.as_os_str() == "-" => Box::new(BufReader::new(io::stdin().lock())),
        Some(p) => Box::new(BufReader::new(
            File::open(p).map_err(|e| Fatal(format!("{}: {e}", p.display())))?,
        )),
    };
    let io_err = |e: io::Error| Fatal(format!("I/O error: {e}"));
    let limit = xborder::limits::MAX_DECLARATION_BYTES;
    let mut out = io::stdout().lock();
    let mut rejected = false;
    let mut buf = Vec::with_capacity(4096);
    let mut emit = |text: Result<&str, Error>, out: &mut dyn Write| -> Result<(), Fatal> {
        let line = match text.and_then(|t| engine.refund_json(t, &options)) {
            Ok(refund) => serde_json::to_string(&refund)
                .map_err(|e| Fatal(format!("refund did not serialize: {e}")))?,
            Err(e) => {
                rejected = true;
                error_json(None, &e)
            }
        };
        writeln!(out, "{line}").map_err(io_err)
    };
    let mut line_no = 0u64;
    while let Some(len) = read_line(&mut reader, &mut buf, limit + 1).map_err(io_err)? {
        line_no += 1;
        match record(&buf, len) {
            Record::Text(t) if t.trim().is_empty() => {}
            Record::Text(t) if !is_complete_object(t) => {
                let mut doc = t.to_string();
                doc.push('\n');
                let mut rest = String::new();
                (&mut reader)
                    .take((limit + 1).saturating_sub(doc.len()) as u64)
                    .read_to_string(&mut rest)
                    .map_err(io_err)?;
                doc.push_str(&rest);
                emit(Ok(&doc), &mut out)?;
                break;
            }
            Record::Text(t) => emit(Ok(t), &mut out)?,
            Record::NotUtf8 => emit(
                Err(Error::at(
                    ErrorCode::InvalidUtf8,
                    format!("line {line_no}"),
                    "the line is not valid UTF-8",
                )),
                &mut out,
            )?,
            Record::TooLong => emit(
                Err(Error::at(
                    ErrorCode::InputTooLarge,
                    format!("line {line_no}"),
                    "the line is too long",
                )),
                &mut out,
            )?,
        }
    }
    out.flush().map_err(io_err)?;
    Ok(ExitCode::from(u8::from(rejected)))
}
