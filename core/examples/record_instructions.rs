//! Instruction counts of the record entry points under callgrind (BENCHMARKS.md, "Throughput
//! (issue 16)"): `Engine::assess_record` (`record`), the same written as two public calls,
//! `Declaration::from_json` then `Engine::assess` (`parse-then-assess`, what `assess_record`
//! did before it parsed in place), and `Engine::assess_json_into` (`stream`).
//!
//! ```sh
//! cargo build --release -p xborder --example record_instructions
//! xborder generate --n 2000 --seed 1 --regime EU --no-progress > eu2k.ndjson
//! valgrind --tool=callgrind target/release/examples/record_instructions eu2k.ndjson record 0
//! valgrind --tool=callgrind target/release/examples/record_instructions eu2k.ndjson record 1
//! ```
//!
//! Arguments: an NDJSON file, the entry point and the number of passes. Every line is assessed
//! once before the passes (the tariff files are parsed then); the difference between the
//! counts of N and 0 passes, divided by N and by the number of lines, is one record.

use xborder::{AssessOptions, Declaration, Engine};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [file, mode, passes] = &args[..] else {
        eprintln!("usage: record_instructions FILE record|parse-then-assess|stream PASSES");
        std::process::exit(2);
    };
    let passes: usize = passes.parse().expect("PASSES is a count");
    let text = std::fs::read_to_string(file).expect("the file reads");
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let engine = Engine::embedded().expect("the engine builds");
    let opts = AssessOptions::default();
    let mut out = Vec::with_capacity(4096);
    let mut assessed = 0usize;
    for pass in 0..=passes {
        for line in &lines {
            let line = std::hint::black_box(*line);
            let ok = match mode.as_str() {
                "record" => engine.assess_record(line, &opts).is_ok(),
                "parse-then-assess" => Declaration::from_json(line)
                    .and_then(|d| engine.assess(&d, &opts))
                    .is_ok(),
                "stream" => {
                    out.clear();
                    engine.assess_json_into(line, &opts, &mut out).is_none()
                }
                _ => panic!("unknown entry point {mode}"),
            };
            assessed += usize::from(ok && pass == 0);
        }
    }
    eprintln!(
        "{} lines ({assessed} assessed), {passes} passes",
        lines.len()
    );
}
