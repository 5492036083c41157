//! `xborder regimes`: what is loaded, and for which dates.

use std::fmt::Write as _;
use std::process::ExitCode;

use clap::Args;
use xborder::Engine;

use crate::Fatal;

#[derive(Args)]
pub(crate) struct RegimesArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: RegimesArgs) -> Result<ExitCode, Fatal> {
    let engine = Engine::embedded().map_err(|e| Fatal(format!("cannot load rules: {e}")))?;
    if args.json {
        let json = serde_json::to_string_pretty(&engine.regime_listing())
            .map_err(|e| Fatal(e.to_string()))?;
        crate::print_stdout(&(json + "\n"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<16} {:<10} {:<12} {:<12} {:>6}  summary",
        "version", "currency", "from", "to", "lines"
    );
    for r in engine.regimes() {
        for v in &r.versions {
            let to = v
                .rules
                .to
                .map(|d| d.to_string())
                .unwrap_or_else(|| "-".into());
            let _ = writeln!(
                out,
                "{:<16} {:<10} {:<12} {:<12} {:>6}  {}",
                v.label,
                r.currency,
                v.rules.from.to_string(),
                to,
                v.tariff.lines().len(),
                v.rules.summary
            );
        }
        for g in &r.gaps {
            let to = g.to.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
            let _ = writeln!(
                out,
                "{:<16} {:<10} {:<12} {:<12} {:>6}  not covered: {}",
                format!("{} gap", r.id),
                r.currency,
                g.from.to_string(),
                to,
                "",
                g.missing
            );
        }
        let _ = writeln!(
            out,
            "{:<16} {} destinations: {}",
            "",
            r.name,
            r.destinations.join(" ")
        );
        if let Some(file) = &r.tariff_file {
            let h = file.header();
            let _ = match file.get() {
                Ok(s) => {
                    let latest = s.revisions().last();
                    writeln!(
                        out,
                        "{:<16} tariff: {}, {} revision(s), latest {} ({}, {}, {} lines){}",
                        "",
                        h.title,
                        s.revisions().len(),
                        latest.map_or("-", |r| &*r.id),
                        latest.map_or(String::from("-"), |r| r.from.to_string()),
                        latest.map_or(h.edition, |r| r.edition),
                        latest.map_or(0, |r| r.len()),
                        h.current_through
                            .map(|d| format!("; current through {d}"))
                            .unwrap_or_default()
                    )
                }
                Err(e) => writeln!(out, "{:<16} tariff: {} could not be read: {e}", "", h.title),
            };
        }
    }
    crate::print_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}
