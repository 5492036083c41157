//! `xborder explain`: one declaration's assessment as a readable table.

use std::process::ExitCode;

use xborder::Assessment;

use crate::{ExplainArgs, Fatal};

pub(crate) fn run(args: ExplainArgs) -> Result<ExitCode, Fatal> {
    let (engine, mut options) = args.engine.build()?;
    options.trace = true;
    let limit = xborder::limits::MAX_DECLARATION_BYTES;
    let text = if args.file.as_os_str() == "-" {
        crate::input::read_stdin_limited(limit, "declaration")?
    } else {
        crate::input::read_limited(&args.file, limit, "declaration")?
    };
    match engine.assess_json(&text, &options) {
        Ok(result) => {
            crate::print_stdout(&render(&result))?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            crate::print_stdout(&format!(
                "{} could not be assessed\n  code:    {}\n  path:    {}\n  message: {}\n{}",
                args.file.display(),
                e.code,
                e.path.as_deref().unwrap_or("-"),
                e.message,
                cli_hint(e.code)
                    .map(|h| format!("  hint:    {h}\n"))
                    .unwrap_or_default()
            ))?;
            Ok(ExitCode::from(1))
        }
    }
}

/// What the CLI adds to an error the library reports: the library's messages name no CLI flag
/// (C, WASM and Python callers have none), so the flag that would help is named here.
pub(crate) fn cli_hint(code: xborder::ErrorCode) -> Option<&'static str> {
    match code {
        xborder::ErrorCode::HsNoTariffLine => Some(
            "load the regime's full tariff with --tariff ID=FILE (docs/tariff-format.md), or correct the code",
        ),
        _ => None,
    }
}

/// The name a value has in the JSON result (`vendor`, `at_sale`), as the table shows it.
fn json_name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        Ok(other) => other.to_string(),
        Err(_) => "?".to_string(),
    }
}

fn render(r: &Assessment) -> String {
    let mut s = String::new();
    let c = &r.currency;
    s += &format!(
        "Declaration {}  —  {} on {} (tax subdivision {})\n",
        r.id, r.regime_version, r.date, r.subdivision
    );
    s += &format!(
        "Category {} ({}){}   Collection: {} / {} / {} / {}\n\n",
        r.category.code,
        r.category.name,
        if r.category.sample { ", samples" } else { "" },
        json_name(&r.collection.model),
        r.collection.scheme.as_deref().unwrap_or("border"),
        json_name(&r.collection.collector),
        json_name(&r.collection.when)
    );
    if let Some(x) = &r.exchange {
        // The rate as published: 1 EUR = 1.1845 USD (divide), or 1 USD = 0.86 EUR (multiply).
        let quote = match x.method {
            xborder::exchange::Method::Divide => format!("1 {} = {} {}", x.to, x.rate, x.from),
            xborder::exchange::Method::Multiply => format!("1 {} = {} {}", x.from, x.rate, x.to),
        };
        s += &format!("Exchange: {quote} — {}, table {}\n", x.publication, x.table);
    }
    let rows = [
        ("Intrinsic value", r.intrinsic_value),
        ("Customs value", r.customs_value),
        ("Duty", r.duty_total),
        ("Tax", r.tax_total),
        ("Fees", r.fee_total),
        ("Total payable", r.total_payable),
        ("  due at sale", r.due_at_sale),
        ("  due at import", r.due_at_import),
        ("Landed cost", r.landed_cost),
    ];
    for (label, amount) in rows {
        s += &format!("  {label:<18} {:>14} {c}\n", amount.0.to_string());
    }
    s += &format!(
        "  {:<18} {} (risk score {}{})\n",
        "Release",
        r.release.decision.as_str(),
        r.release.score,
        if r.release.agencies.is_empty() {
            String::new()
        } else {
            format!(
                "; to {}",
                r.release
                    .agencies
                    .iter()
                    .map(|a| a.as_ref())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    );
    s += "\n";
    let trace = r.trace.as_deref().unwrap_or(&[]);
    let w_step = trace
        .iter()
        .map(|t| t.step.as_str().len())
        .max()
        .unwrap_or(4)
        .max(4);
    s += &format!("  {:<3} {:<w_step$}  why\n", "#", "step");
    for (i, t) in trace.iter().enumerate() {
        s += &format!("  {:<3} {:<w_step$}  {}\n", i + 1, t.step, t.detail);
        s += &format!("  {:<3} {:<w_step$}    rule:   {}\n", "", "", t.rule);
        s += &format!("  {:<3} {:<w_step$}    source: {}\n", "", "", t.source);
    }
    if !r.findings.is_empty() {
        s += "\nFindings\n";
        for f in &r.findings {
            s += &format!(
                "  {:?} {} at {}: {}\n",
                f.severity,
                f.code,
                f.path.as_deref().unwrap_or("-"),
                f.message
            );
        }
    }
    s
}
