//! Assesses pre-parsed declarations in a loop with risk screening off, for instruction counts of
//! the assessment alone under callgrind (BENCHMARKS.md, "Throughput (issue 16)"):
//!
//! ```sh
//! cargo build --release -p xborder --example assess_instructions
//! xborder generate --n 10000 --seed 1 --regime EU --no-progress > eu10k.ndjson
//! valgrind --tool=callgrind target/release/examples/assess_instructions eu10k.ndjson 0
//! valgrind --tool=callgrind target/release/examples/assess_instructions eu10k.ndjson 1
//! ```
//!
//! Arguments: a file of declarations (NDJSON, or one JSON document) and the number of passes
//! over them. Every declaration is parsed and assessed once before the passes (so the tariff
//! files are parsed then); the difference between the counts of N and 0 passes, divided by N
//! and by the number of declarations, is one assessment without the release decision.

use xborder::{AssessOptions, Declaration, Engine};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [file, passes] = &args[..] else {
        eprintln!("usage: assess_instructions FILE PASSES");
        std::process::exit(2);
    };
    let passes: usize = passes.parse().expect("PASSES is a count");
    let text = std::fs::read_to_string(file).expect("the file reads");
    let declarations: Vec<Declaration> = if file.ends_with(".ndjson") {
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .filter_map(|l| Declaration::from_json(l).ok())
            .collect()
    } else {
        vec![Declaration::from_json(&text).expect("the declaration parses")]
    };
    let engine = Engine::embedded().expect("the engine builds");
    let opts = AssessOptions::default().option("screening", "off");
    let mut assessed = 0usize;
    for d in &declarations {
        assessed += usize::from(engine.assess(d, &opts).is_ok());
    }
    let mut duties = 0usize;
    for _ in 0..passes {
        for d in &declarations {
            if let Ok(a) = engine.assess(std::hint::black_box(d), &opts) {
                duties += a.duties.len();
            }
        }
    }
    eprintln!(
        "{} declarations ({assessed} assessed), {passes} passes ({duties} duty lines)",
        declarations.len()
    );
}
