//! Runs one assessment in a loop, for profilers: `cargo run --release -p xborder --example profile_loop`.

use xborder::{AssessOptions, Declaration, Engine};

fn main() {
    let text = std::fs::read_to_string(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "examples/declarations/eu-cat3-ioss-seller.json".into()),
    )
    .unwrap();
    let n: u64 = std::env::args()
        .nth(2)
        .map(|s| s.parse().unwrap())
        .unwrap_or(200_000);
    let engine = Engine::embedded().unwrap();
    let d = Declaration::from_json(&text).unwrap();
    let opts = AssessOptions::default();
    let start = std::time::Instant::now();
    let mut sum = 0usize;
    for _ in 0..n {
        sum += engine.assess(&d, &opts).unwrap().duties.len();
    }
    let el = start.elapsed();
    println!(
        "{n} assessments in {el:?}: {:.0} ns each ({sum})",
        el.as_nanos() as f64 / n as f64
    );
}
