//! The C API against the core it wraps: one declaration per call, and NDJSON batches.
//!
//! `cargo bench -p xborder-ffi --bench c_api`. Both sides produce the same owned JSON: the core
//! through `Engine::assess_to_json` (single) or `assess_json_into` line by line (batch, as a
//! Rust caller or the CLI does it), the C API through `xb_assess_json` / `xb_assess_ndjson` and
//! `xb_string_free`, called through the C ABI exactly as a C program calls them. Goals
//! (issue 3): the C path within 20 % of the core for single calls, 10 % for batches. Figures
//! and how they were taken: BENCHMARKS.md, "C API".

use std::ffi::c_char;
use std::path::Path;
use std::ptr;

use criterion::{black_box, criterion_group, Criterion, Throughput};
use xborder::{xb_assess_json, xb_assess_ndjson, xb_engine_builder_build, xb_string_free};
use xborder::{xb_engine_builder_free, xb_engine_builder_new, xb_engine_builder_rates_json};
use xborder::{xb_engine_free, XbEngine, XbStatus};
use xborder_core::{AssessOptions, Engine};

/// Lines per batch.
const BATCH: usize = 1000;

fn repo_file(path: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// An example declaration on one line.
fn compact(name: &str) -> String {
    let v: serde_json::Value =
        serde_json::from_str(&repo_file(&format!("examples/declarations/{name}"))).unwrap();
    serde_json::to_string(&v).unwrap()
}

/// The C engine, with the sample exchange rates (the batch holds a USD declaration).
fn c_engine(rates: &str) -> *mut XbEngine {
    let mut builder = ptr::null_mut();
    let mut engine = ptr::null_mut();
    // SAFETY: every pointer passed is a live local or a builder made just before; the rates
    // text outlives the calls.
    unsafe {
        assert_eq!(xb_engine_builder_new(&mut builder), XbStatus::Ok);
        assert_eq!(
            xb_engine_builder_rates_json(builder, rates.as_ptr(), rates.len()),
            XbStatus::Ok
        );
        assert_eq!(xb_engine_builder_build(builder, &mut engine), XbStatus::Ok);
        xb_engine_builder_free(builder);
    }
    engine
}

/// One call through the C API, the output freed as a C caller frees it.
fn c_single(engine: *const XbEngine, text: &str) {
    let mut out: *mut c_char = ptr::null_mut();
    // SAFETY: `engine` is live, `text` is `len` readable bytes, `out` is a live local; the
    // string is freed once.
    unsafe {
        let status = xb_assess_json(engine, text.as_ptr(), text.len(), &mut out);
        debug_assert_eq!(status, XbStatus::Ok);
        xb_string_free(black_box(out));
    }
}

fn c_batch(engine: *const XbEngine, batch: &str) {
    let mut out: *mut c_char = ptr::null_mut();
    // SAFETY: as in c_single.
    unsafe {
        let status = xb_assess_ndjson(engine, batch.as_ptr(), batch.len(), &mut out);
        debug_assert_eq!(status, XbStatus::Ok);
        xb_string_free(black_box(out));
    }
}

/// The C API's output, for checking that both paths give the same bytes.
fn c_output(engine: *const XbEngine, text: &str, batch: bool) -> String {
    let mut out: *mut c_char = ptr::null_mut();
    // SAFETY: as in c_single; the string is copied before it is freed.
    unsafe {
        let status = if batch {
            xb_assess_ndjson(engine, text.as_ptr(), text.len(), &mut out)
        } else {
            xb_assess_json(engine, text.as_ptr(), text.len(), &mut out)
        };
        assert_eq!(status, XbStatus::Ok);
        let copy = std::ffi::CStr::from_ptr(out).to_str().unwrap().to_string();
        xb_string_free(out);
        copy
    }
}

/// The core doing a batch the way a Rust caller (or the CLI's worker) does, from the same
/// bytes the C API gets (so it too checks that they are UTF-8).
fn core_batch(engine: &Engine, batch: &[u8], options: &AssessOptions) -> Vec<u8> {
    let batch = std::str::from_utf8(batch).expect("UTF-8");
    let mut out = Vec::with_capacity(batch.len() * 3);
    for line in batch.lines().filter(|l| !l.trim().is_empty()) {
        engine.assess_json_into(line, options, &mut out);
        out.push(b'\n');
    }
    out
}

/// A batch of BATCH lines cycling through every example declaration.
fn batch_text() -> String {
    let examples: Vec<String> = repo_file("examples/declarations/all.ndjson")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    let mut batch = String::new();
    for line in examples.iter().cycle().take(BATCH) {
        batch.push_str(line);
        batch.push('\n');
    }
    batch
}

fn bench(c: &mut Criterion) {
    let rates = repo_file("examples/rates/sample-rates.json");
    let core = Engine::builder()
        .rates_json(rates.as_str())
        .build()
        .unwrap();
    let ffi = c_engine(&rates);
    let options = AssessOptions::default();

    // The same bytes out of both paths.
    let samples = [
        ("eu_ioss_seller", compact("eu-cat3-ioss-seller.json")),
        ("gb_border", compact("gb-cat4-border.json")),
    ];
    for (name, text) in &samples {
        let (json, err) = core.assess_to_json(text, &options);
        assert!(err.is_none(), "{name}: {json}");
        assert_eq!(c_output(ffi, text, false), json);

        let mut g = c.benchmark_group(format!("single/{name}"));
        g.throughput(Throughput::Elements(1));
        g.bench_function("core", |b| {
            b.iter(|| core.assess_to_json(black_box(text), &options))
        });
        g.bench_function("c_api", |b| b.iter(|| c_single(ffi, black_box(text))));
        g.finish();
    }

    let batch = batch_text();
    assert_eq!(
        String::from_utf8(core_batch(&core, batch.as_bytes(), &options)).unwrap(),
        c_output(ffi, &batch, true)
    );

    let mut g = c.benchmark_group("batch_1000");
    g.throughput(Throughput::Elements(BATCH as u64));
    g.sample_size(20);
    g.bench_function("core", |b| {
        b.iter(|| core_batch(&core, black_box(batch.as_bytes()), &options))
    });
    g.bench_function("c_api", |b| b.iter(|| c_batch(ffi, black_box(&batch))));
    g.finish();

    // SAFETY: `ffi` is the one owner, no longer used.
    unsafe { xb_engine_free(ffi) };
}

/// Median of a non-empty list.
fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Paired rounds: core and C alternate in short rounds and each round gives a ratio, so that a
/// machine whose speed drifts (other work, frequency changes) affects both sides alike. The
/// median ratio is the figure the goals are judged on.
fn paired(name: &str, rounds: usize, mut core: impl FnMut(), mut c_api: impl FnMut()) {
    use std::time::Instant;
    let (mut ratios, mut core_t, mut c_t) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let time = |f: &mut dyn FnMut()| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        };
        let (a, b) = if round % 2 == 0 {
            let a = time(&mut core);
            (a, time(&mut c_api))
        } else {
            let b = time(&mut c_api);
            (time(&mut core), b)
        };
        ratios.push(b / a);
        core_t.push(a);
        c_t.push(b);
    }
    println!(
        "paired {name}: core {:.3} ms, c_api {:.3} ms per round; C/core median ratio {:.3} ({rounds} rounds)",
        median(core_t) * 1e3,
        median(c_t) * 1e3,
        median(ratios)
    );
}

fn paired_rounds() {
    let rates = repo_file("examples/rates/sample-rates.json");
    let core = Engine::builder()
        .rates_json(rates.as_str())
        .build()
        .unwrap();
    let ffi = c_engine(&rates);
    let options = AssessOptions::default();
    for name in ["eu-cat3-ioss-seller.json", "gb-cat4-border.json"] {
        let text = compact(name);
        paired(
            &format!("single/{name} x500"),
            41,
            || {
                for _ in 0..500 {
                    black_box(core.assess_to_json(black_box(&text), &options));
                }
            },
            || {
                for _ in 0..500 {
                    c_single(ffi, black_box(&text));
                }
            },
        );
    }
    let batch = batch_text();
    paired(
        "batch_1000",
        41,
        || {
            black_box(core_batch(&core, black_box(batch.as_bytes()), &options));
        },
        || c_batch(ffi, black_box(&batch)),
    );
    // SAFETY: `ffi` is the one owner, no longer used.
    unsafe { xb_engine_free(ffi) };
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    // Not when cargo runs the benches as tests (`--test`) or lists them.
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--test" || a == "--list") {
        paired_rounds();
    }
}
