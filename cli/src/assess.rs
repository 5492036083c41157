//! `xborder assess`: one result or error line per input record, in input order.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::process::ExitCode;

use xborder::{error_json, Error, ErrorCode};

use crate::input::{is_complete_object, read_line, record, Record};
use crate::{AssessArgs, Fatal};

pub(crate) fn run(args: AssessArgs) -> Result<ExitCode, Fatal> {
    let (engine, mut options) = args.engine.build()?;
    options.trace = args.trace;
    let reader: Box<dyn BufRead> = match args.file.as_deref() {
        None => Box::new(BufReader::with_capacity(1 << 16, io::stdin().lock())),
        Some(p) if p.as_os_str() == "-" => {
            Box::new(BufReader::with_capacity(1 << 16, io::stdin().lock()))
        }
        Some(p) => Box::new(BufReader::with_capacity(
            1 << 16,
            File::open(p).map_err(|e| Fatal(format!("{}: {e}", p.display())))?,
        )),
    };
    let mut reader = reader;
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let io_err = |e: io::Error| Fatal(format!("I/O error: {e}"));
    let limit = xborder::limits::MAX_DECLARATION_BYTES;
    let mut buf = Vec::with_capacity(4096);
    let mut rejected = 0u64;
    let mut first = true;
    let mut line_no = 0u64;
    while let Some(len) = read_line(&mut reader, &mut buf, limit + 1).map_err(io_err)? {
        line_no += 1;
        let line = match record(&buf, len) {
            Record::Text(t) if t.trim().is_empty() => continue,
            Record::Text(t) => t,
            Record::NotUtf8 => {
                rejected += 1;
                let err = Error::at(
                    ErrorCode::InvalidUtf8,
                    format!("line {line_no}"),
                    "the line is not valid UTF-8",
                );
                writeln!(out, "{}", error_json(None, &err)).map_err(io_err)?;
                continue;
            }
            Record::TooLong(n) => {
                rejected += 1;
                let err = Error::at(
                    ErrorCode::InputTooLarge,
                    format!("line {line_no}"),
                    format!("the line is {n} bytes; the limit is {limit} bytes per declaration"),
                );
                writeln!(out, "{}", error_json(None, &err)).map_err(io_err)?;
                continue;
            }
        };
        if first && !is_complete_object(line) {
            // A pretty-printed single document: read the rest (bounded) and assess it once.
            let mut doc = line.to_string();
            doc.push('\n');
            let mut rest = Vec::new();
            (&mut reader)
                .take((limit + 1 - doc.len().min(limit)) as u64)
                .read_to_end(&mut rest)
                .map_err(io_err)?;
            let Ok(rest) = String::from_utf8(rest) else {
                let err = Error::new(ErrorCode::InvalidUtf8, "the input is not valid UTF-8");
                writeln!(out, "{}", error_json(None, &err)).map_err(io_err)?;
                out.flush().map_err(io_err)?;
                return Ok(ExitCode::from(1));
            };
            doc.push_str(&rest);
            let (json, err) = engine.assess_to_json(&doc, &options);
            writeln!(out, "{json}").map_err(io_err)?;
            out.flush().map_err(io_err)?;
            return Ok(ExitCode::from(u8::from(err.is_some())));
        }
        first = false;
        let (json, err) = engine.assess_to_json(line, &options);
        if err.is_some() {
            rejected += 1;
        }
        out.write_all(json.as_bytes()).map_err(io_err)?;
        out.write_all(b"\n").map_err(io_err)?;
    }
    out.flush().map_err(io_err)?;
    Ok(if rejected == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
