//! `xborder simulate`: declarations under the rules in force and under one or more variants.
//!
//! A variant is the loaded packs with `--set REGIME.PATH=VALUE` overrides, and/or whole packs
//! given with `--variant-pack`; `--variant NAME` starts each of several. Each declaration is
//! parsed once, assessed once under the rules in force and once per variant; each comparison
//! (`xborder::simulate`) is summed per thread and merged, the per-consignment differences go,
//! in input order, to the `--diff` file, and the report is JSON, CSV or a table
//! (`simulate_report`).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgMatches, Args, ValueEnum};
use xborder::error::Error;
use xborder::simulate::{set_in_pack, Difference, Simulation, SimulationReport};
use xborder::Declaration;

use crate::{EngineArgs, Fatal};

/// How the report is written.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// The JSON report (one variant: as before; several: `{"variants": [...]}`).
    Json,
    /// One row per variant, regime and measure, with absolute and % change.
    Csv,
    /// The CSV's rows as an aligned text table, rows that are zero on both sides left out.
    Table,
}

#[derive(Args)]
#[command(
    after_help = "Several variants in one run: `--variant NAME` starts a variant, and \
the --set and --variant-pack after it belong to it, e.g. `xborder simulate flows.ndjson \
--variant dm100 --set 'EU.versions[@2025-06-01].de_minimis.duty.amount=100' --variant vat22 \
--set 'GB.versions[0].taxes.standard.GB[0].rate=22' --format table`. Each declaration is \
assessed once under the rules in force and once per variant (docs/simulate.md)."
)]
pub(crate) struct SimulateArgs {
    #[command(flatten)]
    engine: EngineArgs,
    /// Start a variant named NAME (letters, digits, `_`, `-`, `.`): the --set and
    /// --variant-pack that follow belong to it. Repeatable; without it, one variant named
    /// `variant`.
    #[arg(long = "variant", value_name = "NAME")]
    variant: Vec<String>,
    /// Change the variant's rules: `REGIME.PATH=VALUE`, e.g.
    /// `EU.versions[@2025-06-01].de_minimis.duty.amount=100` (repeatable; see docs/simulate.md).
    #[arg(long = "set", value_name = "REGIME.PATH=VALUE")]
    set: Vec<String>,
    /// A whole regime pack (JSON) for the variant; it replaces the pack with its id.
    #[arg(long, value_name = "FILE")]
    variant_pack: Vec<PathBuf>,
    /// Report format: json, csv (variant, regime, currency, measure, in_force, under_variant,
    /// change, change_percent) or table.
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
    /// Write each consignment whose assessment differs (NDJSON, input order) to FILE; `-` for
    /// standard output, the report then going to standard error. With several variants each
    /// line starts with `"variant": NAME`.
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

/// One variant: its name and its changes, in the order given.
struct Variant {
    name: String,
    sets: Vec<String>,
    packs: Vec<PathBuf>,
}

/// The variants of the command line: each --set and --variant-pack belongs to the --variant
/// before it (`matches` gives the positions); without --variant, one named `variant`.
fn variants(args: &SimulateArgs, matches: Option<&ArgMatches>) -> Result<Vec<Variant>, Fatal> {
    let positions = |id: &str| -> Vec<usize> {
        matches
            .and_then(|m| m.indices_of(id))
            .map(Iterator::collect)
            .unwrap_or_default()
    };
    let starts = positions("variant");
    let mut out: Vec<Variant> = if args.variant.is_empty() {
        vec![Variant {
            name: "variant".into(),
            sets: Vec::new(),
            packs: Vec::new(),
        }]
    } else {
        let mut named: Vec<Variant> = Vec::new();
        for name in &args.variant {
            let ok = !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b));
            if !ok {
                return Err(Fatal(format!(
                    "--variant {name:?}: a name is letters, digits, _, - and ."
                )));
            }
            if named.iter().any(|v| v.name == *name) {
                return Err(Fatal(format!("--variant {name} is given twice")));
            }
            named.push(Variant {
                name: name.clone(),
                sets: Vec::new(),
                packs: Vec::new(),
            });
        }
        named
    };
    // The variant an option at `at` belongs to: the last --variant before it.
    let owner = |at: usize, flag: &str| -> Result<usize, Fatal> {
        if starts.is_empty() {
            return Ok(0);
        }
        starts.iter().rposition(|&s| s < at).ok_or_else(|| {
            Fatal(format!(
                "{flag} comes before the first --variant: give each --set and --variant-pack after the --variant it belongs to"
            ))
        })
    };
    for (spec, at) in args.set.iter().zip(positions("set")) {
        out[owner(at, "--set")?].sets.push(spec.clone());
    }
    for (pack, at) in args.variant_pack.iter().zip(positions("variant_pack")) {
        out[owner(at, "--variant-pack")?].packs.push(pack.clone());
    }
    if let Some(empty) = out.iter().find(|v| v.sets.is_empty() && v.packs.is_empty()) {
        return Err(Fatal(if args.variant.is_empty() {
            "nothing to compare: give --set REGIME.PATH=VALUE or --variant-pack FILE".into()
        } else {
            format!(
                "variant {} changes nothing: give --set or --variant-pack after it",
                empty.name
            )
        }));
    }
    Ok(out)
}

pub(crate) fn run(args: SimulateArgs, matches: Option<&ArgMatches>) -> Result<ExitCode, Fatal> {
    let variants = variants(&args, matches)?;
    let (base, options) = args.engine.build()?;
    let engines = variant_engines(&args, &variants)?;
    // With several variants a difference line names its variant: `{"variant":"dm100",…}`.
    let labels: Vec<Option<Vec<u8>>> = variants
        .iter()
        .map(|v| {
            (variants.len() > 1).then(|| {
                let mut l = b"{\"variant\":".to_vec();
                l.extend_from_slice(&serde_json::to_vec(&v.name).unwrap_or_default());
                l.push(b',');
                l
            })
        })
        .collect();

    let to_stdout = args.diff.as_deref().is_some_and(|p| p.as_os_str() == "-");
    let mut diff_sink: Option<Box<dyn Write + Send>> = match &args.diff {
        None => None,
        Some(_) if to_stdout => Some(Box::new(io::stdout())),
        Some(p) => {
            let file = File::create(p).map_err(|e| Fatal(format!("{}: {e}", p.display())))?;
            crate::writeback::release_file(&file);
            Some(Box::new(file))
        }
    };
    let progress = crate::progress::Progress::new(
        !args.no_progress && (!to_stdout || crate::progress::stdout_not_piped()),
        crate::pipeline::input_size(args.file.as_deref()),
        "declarations",
    );
    let mut reader = crate::pipeline::open_input(args.file.as_deref())?;
    let limit = xborder::limits::MAX_DECLARATION_BYTES;
    let want_diff = diff_sink.is_some();
    let n = engines.len();
    let states = crate::pipeline::run(
        &mut *reader,
        crate::pipeline::Start::default(),
        crate::pipeline::threads(args.threads),
        limit,
        || vec![Simulation::new(); n],
        |sims, block, out| {
            for (line, no, full) in block.lines() {
                let parsed = parse_line(line, no, full);
                let Some(parsed) = parsed else { continue };
                let a = match &parsed {
                    Ok(decl) => base.assess(decl, &options),
                    Err(e) => Err(e.clone()),
                };
                for ((sim, engine), label) in sims.iter_mut().zip(&engines).zip(&labels) {
                    let b = match &parsed {
                        Ok(decl) => engine.assess(decl, &options),
                        Err(e) => Err(e.clone()),
                    };
                    if let Some(d) = sim.add(None, &a, &b) {
                        if want_diff {
                            out.append(|out| write_difference(out, &d, label.as_deref()));
                        }
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
    let mut merged: Vec<Simulation> = vec![Simulation::new(); n];
    for state in states {
        for (m, s) in merged.iter_mut().zip(state) {
            m.merge(s);
        }
    }
    let reports: Vec<(&str, SimulationReport)> = variants
        .iter()
        .map(|v| v.name.as_str())
        .zip(merged.iter().map(Simulation::report))
        .collect();
    let text = match args.format {
        Format::Json => json_report(&reports)?,
        Format::Csv => crate::simulate_report::csv(&reports).map_err(Fatal::io)?,
        Format::Table => crate::simulate_report::table(&reports),
    };
    let written = if to_stdout {
        write!(io::stderr(), "{text}")
    } else {
        write!(io::stdout(), "{text}")
    };
    written.map_err(Fatal::io)?;
    Ok(ExitCode::SUCCESS)
}

/// The engine of each variant: the loaded packs with the variant's packs added.
fn variant_engines(
    args: &SimulateArgs,
    variants: &[Variant],
) -> Result<Vec<xborder::Engine>, Fatal> {
    let mut engines = Vec::with_capacity(variants.len());
    for v in variants {
        let packs = variant_packs(args, v)?;
        let prefix = if args.variant.is_empty() {
            "variant".to_string()
        } else {
            format!("variant {}", v.name)
        };
        let (engine, _) = args
            .engine
            .build_with(&packs)
            .map_err(|Fatal(m)| Fatal(format!("{prefix}: {m}")))?;
        engines.push(engine);
    }
    Ok(engines)
}

/// One difference as an NDJSON line, `label` (`{"variant":"dm100",`) in place of its `{`.
fn write_difference(out: &mut Vec<u8>, d: &Difference, label: Option<&[u8]>) {
    let start = out.len();
    if serde_json::to_writer(&mut *out, d).is_err() {
        out.truncate(start);
        return;
    }
    if let Some(label) = label {
        // `{"id":…}` becomes `{"variant":"dm100","id":…}`.
        out.splice(start..start + 1, label.iter().copied());
    }
    out.push(b'\n');
}

/// The JSON report: one variant's as it always was; several, `{"variants": [{"variant": NAME,
/// "regimes": …, "rejected_both": …}, …]}`.
fn json_report(reports: &[(&str, SimulationReport)]) -> Result<String, Fatal> {
    #[derive(serde::Serialize)]
    struct Named<'a> {
        variant: &'a str,
        #[serde(flatten)]
        report: &'a SimulationReport,
    }
    #[derive(serde::Serialize)]
    struct Variants<'a> {
        variants: Vec<Named<'a>>,
    }
    let text = match reports {
        [(_, one)] => serde_json::to_string_pretty(one),
        many => serde_json::to_string_pretty(&Variants {
            variants: many
                .iter()
                .map(|(variant, report)| Named { variant, report })
                .collect(),
        }),
    };
    text.map(|t| t + "\n").map_err(|e| Fatal(e.to_string()))
}

/// The variant packs: each pack the variant's overrides change (`--set`), with the overrides
/// applied, and its `--variant-pack` files.
fn variant_packs(args: &SimulateArgs, variant: &Variant) -> Result<Vec<String>, Fatal> {
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
    for spec in &variant.sets {
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
    for p in &variant.packs {
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
