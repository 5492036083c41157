//! Assesses one declaration N times, priced through the embedded national tariff file or
//! through the pack's own lines, for instruction counts under callgrind (BENCHMARKS.md, "Cost of
//! the embedded tariffs"):
//!
//! ```sh
//! cargo build --release -p xborder --example tariff_instructions
//! valgrind --tool=callgrind target/release/examples/tariff_instructions FR EUR 400.00 61091000 2026-05-04 file 2000
//! ```
//!
//! Arguments: destination, currency, value, HS code, date, `file` or `pack`, N. Run it with N
//! and with 0: the difference divided by N is one assessment.

use xborder::{AssessOptions, Declaration, Engine};

const TEMPLATE: &str = r#"{"id":"tariff-instructions","date":"{date}","destination":"{dest}","currency":"{cur}",
 "items":[{"description":"T-shirt, cotton","hs_code":"{hs}","quantity":1,"value":"{value}","origin":"GB","net_mass_kg":"0.4"}],
 "seller":{"name":"Shop","country":"GB"},
 "carrier":{"name":"Express","kind":"express"},
 "consignee":{"name":"Buyer","country":"{dest}","address":{"line1":"1 Main St","city":"Town","postcode":"10000","country":"{dest}"}}}"#;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dest, cur, value, hs, date, source, n] = &args[..] else {
        eprintln!("usage: tariff_instructions DEST CURRENCY VALUE HS DATE file|pack N");
        std::process::exit(2);
    };
    let n: usize = n.parse().expect("N is a count");
    let json = TEMPLATE
        .replace("{dest}", dest)
        .replace("{cur}", cur)
        .replace("{value}", value)
        .replace("{hs}", hs)
        .replace("{date}", date);
    let declaration = Declaration::from_json(&json).expect("the declaration parses");
    let engine = match source.as_str() {
        "file" => Engine::embedded(),
        _ => Engine::builder().without_embedded_tariffs().build(),
    }
    .expect("the engine builds");
    let opts = AssessOptions::default();
    // Once outside the loop: parses the tariff file, so that N = 0 counts it too.
    let first = engine
        .assess(&declaration, &opts)
        .expect("the declaration assesses");
    let cited = first.duties.first().and_then(|d| d.tariff.as_ref());
    eprintln!(
        "priced by {}; {} finding(s)",
        cited.map_or("the pack's lines".to_string(), |t| format!(
            "line {}",
            t.line
        )),
        first.findings.len()
    );
    for _ in 0..n {
        std::hint::black_box(engine.assess(&declaration, &opts).expect("assesses"));
    }
}
