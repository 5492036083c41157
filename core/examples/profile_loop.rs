//! Runs one assessment in a loop, for profilers: `cargo run --release -p xborder --example profile_loop`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

use xborder::{AssessOptions, Declaration, Engine};

/// Counts allocations, so that the loop can report how many one assessment makes.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

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
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let _ = engine.assess(&d, &opts).unwrap();
    let per = ALLOCATIONS.load(Ordering::Relaxed) - before;
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let _ = engine.assess_to_json(&text, &opts);
    println!(
        "allocations: {per} per assessment, {} per JSON-to-JSON assessment",
        ALLOCATIONS.load(Ordering::Relaxed) - before
    );
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
    let start = std::time::Instant::now();
    let mut out = Vec::with_capacity(4096);
    for _ in 0..n {
        out.clear();
        let _ = engine.assess_json_into(&text, &opts, &mut out);
    }
    let el = start.elapsed();
    println!(
        "{n} JSON-to-JSON assessments in {el:?}: {:.0} ns each",
        el.as_nanos() as f64 / n as f64
    );
    let result = engine.assess(&d, &opts).unwrap();
    let start = std::time::Instant::now();
    for _ in 0..n {
        out.clear();
        serde_json::to_writer(&mut out, &result).unwrap();
    }
    let el = start.elapsed();
    println!(
        "{n} serializations in {el:?}: {:.0} ns each ({} bytes)",
        el.as_nanos() as f64 / n as f64,
        out.len()
    );
    let start = std::time::Instant::now();
    for _ in 0..n {
        out.clear();
        result.write_json(&mut out);
    }
    let el = start.elapsed();
    println!(
        "{n} direct writes (Assessment::write_json, what the bindings use) in {el:?}: {:.0} ns each",
        el.as_nanos() as f64 / n as f64,
    );
    let start = std::time::Instant::now();
    for _ in 0..n {
        sum += Declaration::from_json(&text).unwrap().items.len();
    }
    let el = start.elapsed();
    println!(
        "{n} parses in {el:?}: {:.0} ns each ({sum})",
        el.as_nanos() as f64 / n as f64
    );
}
