//! Assesses the criterion bench's three-item declaration (`benches/three_items.json`) N times
//! in a loop, for instruction counts per call under callgrind (BENCHMARKS.md, "Throughput
//! (issue 16)"): the pre-parsed call of `issue16/preparsed_three_items` (`Engine::assess`), or
//! with `json` as second argument JSON text to result JSON (`Engine::assess_json_into`, as
//! `issue16/json_to_json_three_items`), or with `value` JSON text to a result by value
//! (`Engine::assess_json`).
//!
//! ```sh
//! cargo build --release -p xborder --example preparsed_loop
//! valgrind --tool=callgrind target/release/examples/preparsed_loop 0
//! valgrind --tool=callgrind target/release/examples/preparsed_loop 20000
//! ```
//!
//! One call = (total of 20 000 − total of 0) / 20 000. The declaration is assessed once before
//! the loop either way, so the engine's start-up and the tariff's first parse fall out.

use std::hint::black_box;

use xborder::{AssessOptions, Declaration, Engine};

const THREE_ITEMS: &str = include_str!("../benches/three_items.json");

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (calls, mode) = match &args[..] {
        [n] => (n, ""),
        [n, mode] if mode == "json" || mode == "value" => (n, mode.as_str()),
        _ => {
            eprintln!("usage: preparsed_loop CALLS [json|value]");
            std::process::exit(2);
        }
    };
    let calls: usize = calls.parse().expect("CALLS is a count");
    let engine = Engine::embedded().expect("the engine builds");
    let opts = AssessOptions::default();
    let declaration = Declaration::from_json(THREE_ITEMS).expect("the declaration parses");
    engine
        .assess(&declaration, &opts)
        .expect("the declaration assesses");
    let mut out = Vec::with_capacity(4096);
    let mut written = 0usize;
    for _ in 0..calls {
        if mode == "json" {
            out.clear();
            let rejected = engine.assess_json_into(black_box(THREE_ITEMS), &opts, &mut out);
            assert!(rejected.is_none());
            written += out.len();
        } else if mode == "value" {
            let assessment = engine.assess_json(black_box(THREE_ITEMS), &opts).unwrap();
            written += black_box(&assessment).duties.len();
        } else {
            let assessment = engine.assess(black_box(&declaration), &opts).unwrap();
            written += black_box(&assessment).duties.len();
        }
    }
    println!("{calls} calls, {written}");
}
