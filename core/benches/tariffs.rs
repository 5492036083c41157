//! Criterion benchmarks of the embedded national tariffs: building the engine with them,
//! parsing each file (what the first assessment to a regime pays), and a lookup through a
//! tariff file against the same lookup in a pack's own lines.
//!
//! `cargo bench -p xborder --bench tariffs`. Figures and how they were taken: BENCHMARKS.md.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use xborder::tariff::schedule::Schedule;
use xborder::{AssessOptions, Declaration, Engine};

/// A consignment above every de minimis, so the line is priced on the tariff. `{dest}`,
/// `{cur}`, `{value}` and `{hs}` are filled in per regime.
const TEMPLATE: &str = r#"{"id":"bench-tariff","date":"2026-05-04","destination":"{dest}","currency":"{cur}",
 "items":[{"description":"T-shirt, cotton","hs_code":"{hs}","quantity":1,"value":"{value}","origin":"CN","net_mass_kg":"0.4"}],
 "seller":{"name":"Shop","country":"CN"},
 "carrier":{"name":"Express","kind":"express"},
 "consignee":{"name":"Buyer","country":"{dest}","address":{"line1":"1 Main St","city":"Town","postcode":"10000","country":"{dest}"}}}"#;

/// `(destination, regime, currency, value, HS code)` of one declaration per embedded tariff.
const CASES: &[(&str, &str, &str, &str, &str)] = &[
    ("FR", "EU", "EUR", "400.00", "61091000"),
    ("GB", "GB", "GBP", "400.00", "61091000"),
    ("US", "US", "USD", "1000.00", "61091000"),
    ("JP", "JP", "JPY", "300000", "610910020"),
    ("AU", "AU", "AUD", "2500.00", "42022100"),
];

fn declaration(dest: &str, cur: &str, value: &str, hs: &str) -> Declaration {
    let json = TEMPLATE
        .replace("{dest}", dest)
        .replace("{cur}", cur)
        .replace("{value}", value)
        .replace("{hs}", hs);
    Declaration::from_json(&json).expect("bench declaration parses")
}

fn bench(c: &mut Criterion) {
    let opts = AssessOptions::default();
    let mut g = c.benchmark_group("engine_build");
    g.sample_size(20);
    g.bench_function("embedded_with_tariffs", |b| {
        b.iter(|| Engine::embedded().unwrap())
    });
    g.bench_function("embedded_without_tariffs", |b| {
        b.iter(|| {
            Engine::builder()
                .without_embedded_tariffs()
                .build()
                .unwrap()
        })
    });
    // Building, then one assessment per regime with a tariff: every file parsed.
    let all: Vec<Declaration> = CASES
        .iter()
        .map(|(dest, _, cur, value, hs)| declaration(dest, cur, value, hs))
        .collect();
    g.bench_function("embedded_every_tariff_parsed", |b| {
        b.iter(|| {
            let engine = Engine::embedded().unwrap();
            for d in &all {
                engine.assess(black_box(d), &opts).unwrap();
            }
            engine
        })
    });
    g.finish();

    let mut g = c.benchmark_group("tariff_parse");
    g.sample_size(10);
    for (id, text) in xborder_regimes::TARIFFS {
        let currency = CASES
            .iter()
            .find(|c| c.1 == *id)
            .map(|c| c.2)
            .expect("a bench case per embedded tariff");
        g.bench_function(*id, |b| {
            b.iter(|| Schedule::from_text(black_box(text), currency).unwrap())
        });
    }
    g.finish();

    // The same declaration priced through the national file and through the pack's lines.
    let with = Engine::embedded().unwrap();
    let without = Engine::builder()
        .without_embedded_tariffs()
        .build()
        .unwrap();
    let mut g = c.benchmark_group("lookup");
    for (dest, cur, value, hs) in [
        ("FR", "EUR", "400.00", "61091000"),
        ("GB", "GBP", "400.00", "61091000"),
    ] {
        let d = declaration(dest, cur, value, hs);
        let priced = with.assess(&d, &opts).unwrap();
        assert!(
            priced.duties[0].tariff.is_some(),
            "{dest}: priced by the file"
        );
        let pack = without.assess(&d, &opts).unwrap();
        assert!(
            pack.duties[0].tariff.is_none(),
            "{dest}: priced by the pack"
        );
        g.bench_function(format!("{dest}_tariff_file"), |b| {
            b.iter(|| with.assess(black_box(&d), &opts).unwrap())
        });
        g.bench_function(format!("{dest}_pack_lines"), |b| {
            b.iter(|| without.assess(black_box(&d), &opts).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
