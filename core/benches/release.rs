//! Criterion benchmarks of the release decision, statements and the split ledger.
//!
//! `cargo bench -p xborder --bench release`. The `risk_profile` group assesses the same
//! consignment with the EU sample profile and without any profile, so the difference is the
//! cost of screening one consignment against the profile's rules.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use xborder::ledger::SplitLedger;
use xborder::statement::{Period, StatementBuilder};
use xborder::{AssessOptions, Declaration, Engine};

const THREE_ITEMS: &str = r#"{"id":"bench-3","date":"2025-10-15","destination":"FR","currency":"EUR",
 "items":[{"description":"T-shirt, cotton","hs_code":"610910","quantity":2,"value":"30.00","origin":"CN","net_mass_kg":"0.4"},
          {"description":"Jumper, man-made fibres","hs_code":"611030","quantity":1,"value":"45.00","origin":"CN","net_mass_kg":"0.5"},
          {"description":"Handbag, leather","hs_code":"420221","quantity":1,"value":"60.00","origin":"CN","net_mass_kg":"0.7"}],
 "shipping":"8.50","insurance":"1.50",
 "seller":{"name":"Shop","country":"CN","registrations":[{"scheme":"IOSS","number":"IM2500000001"}]},
 "carrier":{"name":"Express","kind":"express","aeo":true},
 "consignee":{"name":"Buyer","country":"FR","address":{"line1":"1 rue","city":"Paris","postcode":"75001","country":"FR"}},
 "lodged_at":"2025-10-14T20:00:00Z","arrival_at":"2025-10-15T06:00:00Z"}"#;

fn bench(c: &mut Criterion) {
    let opts = AssessOptions::default();
    let with = Engine::embedded().unwrap();
    let without = Engine::builder()
        .without_sample_risk_profiles()
        .build()
        .unwrap();
    let d = Declaration::from_json(THREE_ITEMS).unwrap();
    let mut g = c.benchmark_group("risk_profile");
    g.throughput(Throughput::Elements(1));
    g.bench_function("eu_sample_profile", |b| {
        b.iter(|| with.assess(black_box(&d), &opts).unwrap())
    });
    g.bench_function("no_profile", |b| {
        b.iter(|| without.assess(black_box(&d), &opts).unwrap())
    });
    g.finish();

    let result = with.assess(&d, &opts).unwrap();
    let mut g = c.benchmark_group("after_assessment");
    g.throughput(Throughput::Elements(1));
    let mut statement = StatementBuilder::new(Period::Month);
    g.bench_function("statement_add", |b| {
        b.iter(|| statement.add(black_box(&d), &result, Some(&with)).unwrap())
    });
    let rule = with
        .risk_profile("EU")
        .and_then(|p| p.split_consignments.clone())
        .unwrap();
    // 10 000 buyers of the same seller, fed in turn: the ledger fills to its capacity.
    let buyers: Vec<Declaration> = (0..10_000)
        .map(|i| {
            let mut b = d.clone();
            b.consignee.name = format!("Buyer {i}").into();
            b
        })
        .collect();
    let mut ledger = SplitLedger::new(rule);
    let mut next = 0usize;
    g.bench_function("split_ledger_record", |b| {
        b.iter(|| {
            next = (next + 1) % buyers.len();
            ledger
                .record(&with, &opts, black_box(&buyers[next]), &result)
                .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
