//! Criterion benchmarks of the core assessment.
//!
//! `cargo bench -p xborder --bench assess`. Figures and how they were taken: BENCHMARKS.md.
//! Issue 16's two per-record targets alone: `cargo bench -p xborder --bench assess -- issue16`.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use xborder::{AssessOptions, Declaration, Engine};

/// A three-item B2C consignment to France under IOSS, before 2026-07-01 (duty relief) and
/// after (the €3 flat duty), so both duty paths are measured. The text (`three_items.json`, no
/// final newline) is shared with `examples/preparsed_loop.rs`.
const THREE_ITEMS: &str = include_str!("three_items.json");

/// The same goods above €150, assessed on the tariff at the border.
fn high_value() -> String {
    THREE_ITEMS
        .replace("\"60.00\"", "\"160.00\"")
        .replace("bench-3", "bench-3-high")
}

/// Issue 16's per-record targets on the three-item declaration: the pre-parsed assessment
/// (goal ≤ 1 µs), by value and into a kept result, and JSON text in to result JSON out
/// through the call every batch makes (`Engine::assess_json_into`, appending to one reused
/// buffer as the CLI's workers do).
fn issue16(c: &mut Criterion) {
    let engine = Engine::embedded().unwrap();
    let opts = AssessOptions::default();
    let declaration = Declaration::from_json(THREE_ITEMS).unwrap();
    engine
        .assess(&declaration, &opts)
        .expect("bench declaration assesses");
    let mut g = c.benchmark_group("issue16");
    g.throughput(Throughput::Elements(1));
    g.bench_function("preparsed_three_items", |b| {
        b.iter(|| engine.assess(black_box(&declaration), &opts).unwrap())
    });
    // The same assessment into a result the caller keeps (`Engine::assess_into`), as a Rust
    // back end replaying a batch would: no result is built and dropped per call.
    let mut kept = xborder::Assessment::empty();
    g.bench_function("preparsed_three_items_into", |b| {
        b.iter(|| {
            engine
                .assess_into(black_box(&declaration), &opts, &mut kept)
                .unwrap()
        })
    });
    let mut out = Vec::with_capacity(4096);
    g.bench_function("json_to_json_three_items", |b| {
        b.iter(|| {
            out.clear();
            let rejected = engine.assess_json_into(black_box(THREE_ITEMS), &opts, &mut out);
            assert!(rejected.is_none());
            out.len()
        })
    });
    g.finish();
}

fn bench(c: &mut Criterion) {
    let engine = Engine::embedded().unwrap();
    let opts = AssessOptions::default();
    let low: Declaration = Declaration::from_json(THREE_ITEMS).unwrap();
    let high: Declaration = Declaration::from_json(&high_value()).unwrap();
    let mut flat = low.clone();
    flat.date = "2026-08-01".parse().unwrap();
    for (name, d) in [
        ("ioss_relief", &low),
        ("ioss_flat_duty", &flat),
        ("border_tariff", &high),
    ] {
        engine.assess(d, &opts).expect("bench declaration assesses");
        let mut g = c.benchmark_group("core_preparsed");
        g.throughput(Throughput::Elements(1));
        g.bench_function(name, |b| {
            b.iter(|| engine.assess(black_box(d), &opts).unwrap())
        });
        g.finish();
    }
    let mut g = c.benchmark_group("json_to_json");
    g.throughput(Throughput::Elements(1));
    g.bench_function("three_items", |b| {
        b.iter(|| engine.assess_to_json(black_box(THREE_ITEMS), &opts))
    });
    g.bench_function("three_items_traced", |b| {
        b.iter(|| engine.assess_to_json(black_box(THREE_ITEMS), &AssessOptions::traced()))
    });
    g.bench_function("parse_only", |b| {
        b.iter(|| Declaration::from_json(black_box(THREE_ITEMS)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, issue16, bench);
criterion_main!(benches);
