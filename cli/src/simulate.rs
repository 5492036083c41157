//! `xborder simulate`: declarations under the rules in force and under a variant.
//!
//! The variant is the loaded packs with `--set REGIME.PATH=VALUE` overrides, and/or whole
//! packs given with `--variant-pack`. Each declaration is parsed once and assessed by both
//! engines; the comparison (`xborder::simulate`) is summed per thread and merged, and the
//! per-consignment differences go, in input order, to the `--diff` file.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use xborder::error::Error;
use xborder::simulate::{set_in_pack, Simulation};
use xborder::Declaration;

use crate::{EngineArgs, Fatal};

#[derive(Args)]
pub(crate) struct SimulateArgs {
    #[command(flatten)]
    engine: EngineArgs,
    /// Change the variant's rules: `REGIME.PATH=VALUE`, e.g.
    /// `EU.versions[@2025-06-01].de_minimis.duty.amount=100` (repeatable; see docs/simulate.md).
    #[arg(long = "set", value_name = "REGIME.PATH=VALUE")]
    set: Vec<String>,
    /// A whole regime pack (JSON) for the variant; it replaces the pack with its id.
    #[arg(long, value_name = "FILE")]
    variant_pack: Vec<PathBuf>,
    /// Write each consignment whose assessment differs (NDJSON, input order) to FILE; `-` for
    /// standard output, the report then going to standard error.
    #[arg(long, value_name = "FILE")]
    diff: Option<PathBuf>,
    /// Worker threads, 1 to 256 (default: all cores).
    #[arg(long, value_name = "N", value_parser = crate::pipeline::parse_threads)]
    threads: Option<usize>,
    /// Never draw a progress bar.
    #[arg(long)]
    no_progress: bool,
    /// Declarations (NDJSON); `-` or absent for standard input.
    file: Option<PathBuf>,
}

pub(crate) fn run(args: SimulateArgs) -> Result<ExitCode, Fatal> {
    if args.set.is_empty() && args.variant_pack.is_empty() {
        return Err(Fatal(
            "nothing to compare: give --set REGIME.PATH=VALUE or --variant-pack FILE".into(),
        ));
    }
    let variant_packs = variant_packs(&args)?;
    let (base, options) = args.engine.build()?;
    let (variant, _) = args
        .engine
        .build_with(&variant_packs)
        .map_err(|Fatal(m)| Fatal(format!("variant: {m}")))?;

    let to_stdout = args.diff.as_deref().is_some_and(|p| p.as_os_str() == "-");
    let mut diff_sink: Option<Box<dyn Write + Send>> = match &args.diff {
        None => None,
        Some(_) if to_stdout => Some(Box::new(io::stdout())),
        Some(p) => Some(Box::new(
            File::create(p).map_err(|e| Fatal(format!("{}: {e}", p.display())))?,
        )),
    };
    let progress = crate::progress::Progress::new(
        !args.no_progress && (!to_stdout || crate::progress::stdout_not_piped()),
        crate::pipeline::input_size(args.file.as_deref()),
        "declarations",
    );
    let mut reader = crate::pipeline::open_input(args.file.as_deref())?;
    let limit = xborder::limits::MAX_DECLARATION_BYTES;
    let want_diff = diff_sink.is_some();
    let states = crate::pipeline::run(
        &mut *reader,
        crate::pipeline::Start::default(),
        crate::pipeline::threads(args.threads),
        limit,
        Simulation::new,
        |sim, block, out| {
            for (line, no, full) in block.lines() {
                let parsed = parse_line(line, no, full);
                let Some(parsed) = parsed else { continue };
                let (a, b) = match parsed {
                    Ok(decl) => (
                        base.assess(&decl, &options),
                        variant.assess(&decl, &options),
                    ),
                    Err(e) => (Err(e.clone()), Err(e)),
                };
                if let Some(d) = sim.add(None, &a, &b) {
                    if want_diff && serde_json::to_writer(&mut *out, &d).is_ok() {
                        out.push(b'\n');
                    }
                }
            }
        },
        diff_sink
            .as_mut()
            .map(|w| &mut **w as &mut (dyn Write + Send)),
        &progress,
    )
    .map_err(Fatal::io)?;
    let mut sim = Simulation::new();
    for s in states {
        sim.merge(s);
    }
    let text = serde_json::to_string_pretty(&sim.report()).map_err(|e| Fatal(e.to_string()))?;
    let written = if to_stdout {
        writeln!(io::stderr(), "{text}")
    } else {
        writeln!(io::stdout(), "{text}")
    };
    written.map_err(Fatal::io)?;
    Ok(ExitCode::SUCCESS)
}

/// The variant packs: each pack an override changes (`--set`), with the overrides applied,
/// and the `--variant-pack` files.
fn variant_packs(args: &SimulateArgs) -> Result<Vec<String>, Fatal> {
    let read =
        |p: &PathBuf| crate::input::read_limited(p, xborder::limits::MAX_PACK_BYTES, "regime pack");
    // The pack each override starts from: the last --pack with that id, else the embedded one.
    let mut sources: BTreeMap<String, String> = xborder::regime::embedded::PACKS
        .iter()
        .map(|(id, text)| (id.to_string(), text.to_string()))
        .collect();
    for p in &args.engine.pack {
        let text = read(p)?;
        if let Some(id) = pack_id(&text) {
            sources.insert(id, text);
        }
    }
    let mut changed: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    for spec in &args.set {
        let (id, path, value) = split_set(spec)?;
        let pack = match changed.get_mut(id) {
            Some(p) => p,
            None => {
                let text = sources
                    .get(id)
                    .ok_or_else(|| Fatal(format!("--set {spec:?}: no regime {id} is loaded")))?;
                let v =
                    serde_json::from_str(text).map_err(|e| Fatal(format!("regime {id}: {e}")))?;
                changed.entry(id.to_string()).or_insert(v)
            }
        };
        set_in_pack(pack, path, value)
            .map_err(|e| Fatal(format!("--set {spec:?}: {}: {}", e.code, e.message)))?;
    }
    let mut variant_packs: Vec<String> = changed
        .values()
        .map(|v| serde_json::to_string(v).unwrap_or_default())
        .collect();
    for p in &args.variant_pack {
        variant_packs.push(read(p)?);
    }
    Ok(variant_packs)
}

/// `REGIME.PATH=VALUE` as (regime, path, value); the first `=` outside a selector
/// (`schemes[id=IOSS]`) ends the path.
fn split_set(spec: &str) -> Result<(&str, &str, &str), Fatal> {
    let mut depth = 0i32;
    let eq = spec.char_indices().find_map(|(i, c)| {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            '=' if depth == 0 => return Some(i),
            _ => {}
        }
        None
    });
    let bad = || Fatal(format!("--set {spec:?}: expected REGIME.PATH=VALUE"));
    let (target, value) = eq.map(|i| (&spec[..i], &spec[i + 1..])).ok_or_else(bad)?;
    let (id, path) = target.split_once('.').ok_or_else(bad)?;
    Ok((id, path, value))
}

/// The declaration on a line, the error that rejects it, or `None` for a blank line (the
/// core's reading of a batch line, as for `assess`).
fn parse_line(line: &[u8], no: u64, full: usize) -> Option<Result<Declaration, Error>> {
    xborder::ndjson::line_text(line, full, no)
        .transpose()
        .map(|text| text.and_then(Declaration::from_json))
}

fn pack_id(text: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct IdOnly {
        id: String,
    }
    serde_json::from_str::<IdOnly>(text).ok().map(|p| p.id)
}
