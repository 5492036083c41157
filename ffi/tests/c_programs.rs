//! Real C (and C++) programs linked against the built `libxborder`, compiled with the system
//! compiler and run from `cargo test`.
//!
//! The programs are in `tests/c/`; each checks what it can on its own and prints what needs
//! the Rust core to judge (results), which this driver compares byte for byte.
//!
//! The library they link is the one cargo built for this test run: `target/<profile>/deps/`
//! holds `libxborder.so` and `libxborder.a` next to this test's executable, so the profile
//! always matches and no nested cargo call is needed.
//!
//! Environment:
//! - `XB_LIB_DIR=DIR` links the programs against the libraries in `DIR` instead (e.g.
//!   `target/release` after `cargo build --release -p xborder-ffi`).
//! - `XB_PKG_CONFIG_PATH=DIR` compiles and links them against an *installed* library instead,
//!   with the flags `pkg-config` gives for `DIR/xborder.pc` (the header from the install's
//!   include directory, not `ffi/include`): `scripts/ffi-valgrind.sh` installs the library
//!   with cargo-c into a staging prefix and runs the programs against it, and then
//!   `installed_library_has_a_soname_and_pkg_config_file` checks the SONAME.
//! - `XB_VALGRIND=1` runs every program under
//!   `valgrind --leak-check=full --error-exitcode=1 --errors-for-leak-kinds=definite,indirect`
//!   and requires a clean report (`scripts/ffi-valgrind.sh` does this on a release build);
//!   a deliberately leaking program must then fail, proving the check can fail.
//! - `CC` / `CXX` choose the compilers (default `cc` / `c++`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;
use xborder_core::{error_json, AssessOptions, Engine, Error, ErrorCode};

const C_FLAGS: &[&str] = &[
    "-std=c99",
    "-Wall",
    "-Wextra",
    "-Wpedantic",
    "-Werror",
    "-g",
];
const CXX_FLAGS: &[&str] = &[
    "-std=c++11",
    "-Wall",
    "-Wextra",
    "-Wpedantic",
    "-Werror",
    "-g",
];
/// What `rustc --print native-static-libs` lists for the staticlib on Linux.
const STATIC_LIBS: &[&str] = &[
    "-lgcc_s",
    "-lutil",
    "-lrt",
    "-lpthread",
    "-lm",
    "-ldl",
    "-lc",
];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn ffi() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `XB_PKG_CONFIG_PATH`: the directory of an installed `xborder.pc`, when set.
fn pkg_config_path() -> Option<PathBuf> {
    match std::env::var_os("XB_PKG_CONFIG_PATH") {
        Some(d) if !d.is_empty() => Some(std::path::absolute(PathBuf::from(d)).unwrap()),
        _ => None,
    }
}

/// `pkg-config ARGS xborder` against `XB_PKG_CONFIG_PATH` (only), as whitespace-split words.
fn pkg_config(args: &[&str]) -> Vec<String> {
    let dir = pkg_config_path().expect("XB_PKG_CONFIG_PATH is set");
    let out = Command::new("pkg-config")
        .args(args)
        .arg("xborder")
        .env("PKG_CONFIG_LIBDIR", &dir)
        .env_remove("PKG_CONFIG_PATH")
        .output()
        .expect("pkg-config runs (scripts/setup.sh installs it)");
    assert!(
        out.status.success(),
        "pkg-config {args:?} xborder in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    text.split_whitespace().map(str::to_string).collect()
}

/// The header's directory: `ffi/include`, or the installed one in pkg-config mode.
fn include_dir() -> PathBuf {
    match pkg_config_path() {
        Some(_) => PathBuf::from(pkg_config(&["--variable=includedir"]).concat()),
        None => ffi().join("include"),
    }
}

/// `target/<profile>/deps`, where cargo put the libraries for this run, or `XB_LIB_DIR`, or the
/// installed library's directory in pkg-config mode.
fn lib_dir() -> PathBuf {
    let dir = match std::env::var_os("XB_LIB_DIR") {
        _ if pkg_config_path().is_some() => {
            PathBuf::from(pkg_config(&["--variable=libdir"]).concat())
        }
        Some(d) if !d.is_empty() => std::path::absolute(PathBuf::from(d)).unwrap(),
        _ => {
            let exe = std::env::current_exe().unwrap();
            exe.parent().unwrap().to_path_buf()
        }
    };
    assert!(
        dir.join("libxborder.so").exists() && dir.join("libxborder.a").exists(),
        "libxborder.so/.a not found in {}",
        dir.display()
    );
    dir
}

/// A fresh directory for one test's files under `target/tmp/ffi-c/`, removed when the test
/// passes and kept for inspection when it fails.
struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn scratch(name: &str) -> Scratch {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "ffi-c/{}-{}-{}",
        name,
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

fn valgrind() -> bool {
    std::env::var("XB_VALGRIND").is_ok_and(|v| !v.is_empty() && v != "0")
}

#[derive(Clone, Copy, PartialEq)]
enum Link {
    Shared,
    Static,
}

/// Compiles `tests/c/<source>` into `dir`, linked against libxborder.
fn compile(dir: &Path, source: &str, link: Link, extra: &[&str]) -> PathBuf {
    compile_path(dir, &ffi().join("tests/c").join(source), link, extra)
}

/// Compiles the C or C++ file `path` into `dir`, linked against libxborder.
fn compile_path(dir: &Path, path: &Path, link: Link, extra: &[&str]) -> PathBuf {
    let source = path.file_name().unwrap().to_str().unwrap();
    let cpp = source.ends_with(".cpp");
    let compiler = if cpp {
        std::env::var("CXX").unwrap_or_else(|_| "c++".into())
    } else {
        std::env::var("CC").unwrap_or_else(|_| "cc".into())
    };
    let stem = source.rsplit_once('.').unwrap().0;
    let exe = dir.join(match link {
        Link::Shared => stem.to_string(),
        Link::Static => format!("{stem}-static"),
    });
    let libs = lib_dir();
    let mut cmd = Command::new(&compiler);
    cmd.args(if cpp { CXX_FLAGS } else { C_FLAGS })
        .args(extra)
        .arg("-I")
        .arg(include_dir())
        .arg("-I")
        .arg(ffi().join("tests/c"))
        .arg("-o")
        .arg(&exe)
        .arg(path);
    let installed = pkg_config_path().is_some();
    match link {
        Link::Shared if installed => {
            // What a user of the installed library writes: $(pkg-config --cflags --libs xborder).
            cmd.args(pkg_config(&["--cflags", "--libs"]))
                .arg(format!("-Wl,-rpath,{}", libs.display()))
                .arg("-pthread");
        }
        Link::Static if installed => {
            // The archive by name (a plain -lxborder would pick the .so), then the system
            // libraries the pkg-config file lists for static linking.
            cmd.arg(libs.join("libxborder.a")).args(
                pkg_config(&["--static", "--libs"])
                    .into_iter()
                    .filter(|w| w != "-lxborder" && !w.starts_with("-L")),
            );
        }
        Link::Shared => {
            cmd.arg(format!("-L{}", libs.display()))
                .arg(format!("-Wl,-rpath,{}", libs.display()))
                .arg("-lxborder")
                .arg("-pthread");
        }
        Link::Static => {
            cmd.arg(libs.join("libxborder.a")).args(STATIC_LIBS);
        }
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {compiler}: {e}"));
    assert!(
        out.status.success(),
        "compiling {source} failed:\n{:?}\n{}",
        cmd,
        String::from_utf8_lossy(&out.stderr)
    );
    exe
}

/// A command that runs a test program (or valgrind on one) without cargo's `LD_LIBRARY_PATH`.
/// Cargo lists `target/<profile>/` there, where a `cargo build` leaves an uplifted
/// `libxborder.so` that `cargo test` does not refresh; the dynamic loader searches
/// `LD_LIBRARY_PATH` before the program's run path, so a stale library would be loaded instead
/// of the one in `lib_dir()` the program was linked against (seen after adding a pack).
fn program(path: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut cmd = Command::new(path);
    cmd.env_remove("LD_LIBRARY_PATH");
    cmd
}

/// Runs a program (under valgrind in valgrind mode) and returns its output, whatever its exit.
fn run_raw(exe: &Path, args: &[&Path]) -> (Output, Option<String>) {
    if valgrind() {
        let log = exe.with_extension("valgrind.log");
        let out = program("valgrind")
            .args([
                "--leak-check=full",
                "--error-exitcode=1",
                "--errors-for-leak-kinds=definite,indirect",
                "--show-leak-kinds=definite,indirect",
            ])
            .arg(format!("--log-file={}", log.display()))
            .arg(exe)
            .args(args)
            .output()
            .expect("valgrind runs (is it installed? scripts/setup.sh installs it)");
        let report = std::fs::read_to_string(&log).unwrap_or_default();
        (out, Some(report))
    } else {
        (program(exe).args(args).output().unwrap(), None)
    }
}

/// Runs a program that must succeed (and be valgrind-clean in valgrind mode); returns stdout.
fn run(exe: &Path, args: &[&Path]) -> String {
    let (out, report) = run_raw(exe, args);
    let name = exe.file_name().unwrap().to_string_lossy();
    assert!(
        out.status.success(),
        "{name} failed ({}):\nstderr:\n{}\nvalgrind:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr),
        report.as_deref().unwrap_or("(not run under valgrind)")
    );
    if let Some(report) = report {
        assert!(
            report.contains("ERROR SUMMARY: 0 errors from 0 contexts"),
            "{name}: valgrind reported errors:\n{report}"
        );
        assert!(
            !report.contains("definitely lost: ") || report.contains("definitely lost: 0 bytes"),
            "{name}: valgrind found leaks:\n{report}"
        );
    }
    String::from_utf8(out.stdout).expect("programs print UTF-8")
}

fn declaration(name: &str) -> PathBuf {
    repo().join("examples/declarations").join(name)
}

/// A one-line copy of a (pretty-printed) example declaration, for NDJSON batches.
fn compact(dir: &Path, name: &str) -> PathBuf {
    let v: Value = serde_json::from_str(&read(&declaration(name))).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string(&v).unwrap()).unwrap();
    path
}

/// The core's output for one declaration file.
fn core_json(engine: &Engine, text: &str, options: &AssessOptions) -> String {
    engine.assess_to_json(text, options).0
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Compares printed lines with the core's, reporting the first difference readably.
fn assert_lines(got: &str, want: &[String]) {
    let got: Vec<&str> = got.lines().collect();
    assert_eq!(
        got.len(),
        want.len(),
        "line count; got:\n{}",
        got.join("\n")
    );
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert_eq!(g, w, "line {} differs from the core", i + 1);
    }
}

const EU: [&str; 2] = ["eu-cat3-ioss-seller.json", "eu-cat4-border.json"];
const GB: [&str; 2] = ["gb-cat3-pos-seller.json", "gb-cat4-border.json"];

#[test]
fn header_stands_alone_in_every_c_standard() {
    let dir = scratch("header-only");
    for std in ["-std=c99", "-std=c11", "-std=c17", "-std=c2x"] {
        // The later -std wins over the one in C_FLAGS.
        let exe = compile(&dir, "header_only.c", Link::Shared, &[std]);
        run(&exe, &[]);
    }
}

#[test]
fn header_compiles_and_links_as_cpp() {
    let dir = scratch("cpp");
    let exe = compile(&dir, "header.cpp", Link::Shared, &[]);
    let out = run(&exe, &[]);
    assert!(out.starts_with("xborder-ffi/"), "{out}");
}

#[test]
fn version_macros_match_the_crate_and_the_library() {
    let dir = scratch("version");
    let defines = [
        format!("-DEXPECT_MAJOR={}", env!("CARGO_PKG_VERSION_MAJOR")),
        format!("-DEXPECT_MINOR={}", env!("CARGO_PKG_VERSION_MINOR")),
        format!("-DEXPECT_PATCH={}", env!("CARGO_PKG_VERSION_PATCH")),
    ];
    let defines: Vec<&str> = defines.iter().map(String::as_str).collect();
    let exe = compile(&dir, "version.c", Link::Shared, &defines);
    assert_eq!(run(&exe, &[]).trim(), xborder::version_text());
}

#[test]
fn eu_and_gb_declarations_match_the_core_byte_for_byte() {
    let dir = scratch("assess");
    let engine = Engine::embedded().unwrap();
    let files: Vec<PathBuf> = EU.iter().chain(&GB).map(|f| declaration(f)).collect();
    let args: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let want: Vec<String> = files
        .iter()
        .map(|f| core_json(&engine, &read(f), &AssessOptions::default()))
        .collect();
    for link in [Link::Shared, Link::Static] {
        let exe = compile(&dir, "assess.c", link, &[]);
        assert_lines(&run(&exe, &args), &want);
    }
}

/// Writes the declaration of a conformance vector to `dir` and returns its path.
fn vector_declaration(dir: &Path, vector: &str) -> PathBuf {
    let v: Value = serde_json::from_str(&read(&repo().join("tests/vectors").join(vector))).unwrap();
    let path = dir.join(vector.replace('/', "-"));
    std::fs::write(&path, serde_json::to_string(&v["declaration"]).unwrap()).unwrap();
    path
}

#[test]
fn every_error_status_is_reported_not_crashed() {
    let dir = scratch("errors");
    let unknown_hs = vector_declaration(&dir, "EU/eu-error-unknown-hs-code.json");
    let exe = compile(&dir, "errors.c", Link::Shared, &[]);
    run(&exe, &[&unknown_hs, &declaration(EU[0])]);
}

/// The `_ex` functions hand the error to the caller, who may read it on another thread.
#[test]
fn ex_functions_hand_the_error_to_the_caller() {
    let dir = scratch("error-ex");
    let unknown_hs = vector_declaration(&dir, "EU/eu-error-unknown-hs-code.json");
    let exe = compile(&dir, "error_ex.c", Link::Shared, &[]);
    run(&exe, &[&unknown_hs, &declaration(EU[0])]);
}

/// The cases every binding runs (tests/options/errors.json): the C API gives each the code and
/// path the core gives, refusing a bad document with `XB_STATUS_INVALID_OPTIONS` and a reading
/// its regime does not declare with `XB_STATUS_REJECTED`.
#[test]
fn bad_options_give_the_cores_code_and_path() {
    let dir = scratch("options");
    let fixture: Value =
        serde_json::from_str(&read(&repo().join("tests/options/errors.json"))).unwrap();
    let declaration = repo().join(fixture["declaration"].as_str().unwrap());
    let cases = fixture["cases"].as_array().unwrap();
    let mut manifest = String::new();
    for (i, case) in cases.iter().enumerate() {
        let path = dir.join(format!("{i}.opts.json"));
        std::fs::write(&path, case["options"].to_string()).unwrap();
        manifest.push_str(&format!("{}\n", path.display()));
    }
    let manifest_path = dir.join("manifest.txt");
    std::fs::write(&manifest_path, manifest).unwrap();
    let exe = compile(&dir, "options.c", Link::Shared, &[]);
    let out = run(&exe, &[&declaration, &manifest_path]);
    let want: Vec<String> = cases
        .iter()
        .map(|case| {
            let status = match case["stage"].as_str().unwrap() {
                "parse" => 103,
                "assess" => 200,
                _ => 0,
            };
            let field = |v: &Value| v.as_str().unwrap_or("-").to_string();
            format!("{status} {} {}", field(&case["code"]), field(&case["path"]))
        })
        .collect();
    assert_lines(&out, &want);
}

#[test]
fn batch_keeps_input_order_and_reports_bad_lines_in_place() {
    let dir = scratch("batch");
    let engine = Engine::embedded().unwrap();
    let (eu, gb) = (compact(&dir, EU[0]), compact(&dir, GB[0]));
    let exe = compile(&dir, "batch.c", Link::Shared, &[]);
    let out = run(&exe, &[&eu, &gb]);
    let opts = AssessOptions::default();
    let not_utf8 = Error::at(
        ErrorCode::InvalidUtf8,
        "line 6",
        "the line is not valid UTF-8",
    );
    let want = [
        core_json(&engine, &read(&eu), &opts),
        core_json(&engine, r#"{"id":"bad-1","date":"#, &opts),
        core_json(&engine, &read(&gb), &opts),
        error_json(None, &not_utf8),
        core_json(&engine, &read(&eu), &opts),
    ];
    assert_lines(&out, &want);
}

#[test]
fn one_engine_serves_many_threads() {
    let dir = scratch("threads");
    let exe = compile(&dir, "threads.c", Link::Shared, &[]);
    let out = run(&exe, &[&declaration(EU[1]), &declaration(GB[1])]);
    assert!(out.contains("8 threads"), "{out}");
}

#[test]
fn engines_from_caller_packs_tariffs_and_rates_match_the_core() {
    let dir = scratch("builder");
    let pack = repo().join("regimes/GB/pack.json");
    let rates = repo().join("examples/rates/sample-rates.json");
    let (gb, eu, usd) = (
        declaration(GB[1]),
        declaration(EU[0]),
        declaration("eu-cat3-ioss-usd.json"),
    );
    // A replacement GB tariff charging 5 % on every HS code of the GB declaration.
    let decl: Value = serde_json::from_str(&read(&gb)).unwrap();
    let mut csv = String::from("hs,duty,description,source,checked\n");
    for item in decl["items"].as_array().unwrap() {
        let hs = item["hs_code"].as_str().unwrap();
        csv.push_str(&format!(
            "{hs},5%,\"test line, {hs}\",ffi test,2026-01-01\n"
        ));
    }
    let tariff = dir.join("gb-tariff.csv");
    std::fs::write(&tariff, &csv).unwrap();

    let opts = AssessOptions::default();
    let only_gb = Engine::builder()
        .without_embedded()
        .regime_json(read(&pack))
        .build()
        .unwrap();
    let with_rates = Engine::builder().rates_json(read(&rates)).build().unwrap();
    let plain = Engine::embedded().unwrap();
    let no_builtin = Engine::builder().without_builtin_rates().build().unwrap();
    let tariffed = Engine::builder().tariff("GB", csv).build().unwrap();
    let table = repo().join("regimes/EU/EU.rates");
    let (gb_tariff, eu_tariff) = (
        repo().join("regimes/GB/GB.tariff"),
        repo().join("regimes/EU/EU.tariff"),
    );
    let on_demand = Engine::builder()
        .tariff_on_demand("GB", read(&gb_tariff))
        .build()
        .unwrap();
    let want = [
        core_json(&only_gb, &read(&gb), &opts),
        core_json(&only_gb, &read(&eu), &opts),
        core_json(&with_rates, &read(&usd), &opts),
        core_json(&plain, &read(&usd), &opts),
        core_json(&no_builtin, &read(&usd), &opts),
        core_json(&plain, &read(&usd), &opts),
        core_json(&tariffed, &read(&gb), &opts),
        core_json(&on_demand, &read(&gb), &opts),
    ];
    assert_ne!(
        want[0], want[6],
        "the replacement tariff changes the result"
    );
    assert!(want[3].contains("\"table\":\"ECB\""), "{}", want[3]);

    let exe = compile(&dir, "builder.c", Link::Shared, &[]);
    let out = run(
        &exe,
        &[
            &pack, &gb, &eu, &usd, &rates, &tariff, &table, &gb_tariff, &eu_tariff,
        ],
    );
    assert_lines(&out, &want);
}

#[test]
fn a_csv_tariff_laid_out_by_a_header_map_is_the_cores() {
    let dir = scratch("tariff_csv");
    let gb = declaration(GB[1]);
    let csv = repo().join("examples/tariffs/gb-spreadsheet.csv");
    let layout = repo().join("examples/tariffs/gb-spreadsheet.layout.json");
    let parsed = xborder_core::tariff::CsvLayout::from_json(&read(&layout)).unwrap();
    let engine = Engine::builder()
        .tariff_csv("GB", read(&csv), parsed)
        .build()
        .unwrap();
    let layout_error = |text: &str| {
        let e = xborder_core::tariff::CsvLayout::from_json(text).unwrap_err();
        format!("{} layout.{}", e.code.as_str(), e.path.unwrap_or_default())
    };
    let want = [
        core_json(&engine, &read(&gb), &AssessOptions::default()),
        layout_error(r#"{"columns":{"hz":"Commodity code"}}"#),
        layout_error(r#"{"separator":"semicolon"}"#),
        layout_error(r#"{"checked":"2026-13-01"}"#),
        build_error(Engine::builder().tariff_csv("GB", read(&csv), Default::default())),
    ];
    assert!(want[0].contains(r#""rate":"8%""#), "{}", want[0]);
    assert_eq!(want[1], "E_UNKNOWN_FIELD layout.columns.hz");
    assert_eq!(want[2], "E_INVALID_VALUE layout.separator");
    assert!(want[3].ends_with(" layout.checked"), "{}", want[3]);
    assert!(
        want[4].starts_with("E_INVALID_TARIFF tariff[GB]"),
        "{}",
        want[4]
    );

    let exe = compile(&dir, "tariff_csv.c", Link::Shared, &[]);
    assert_lines(&run(&exe, &[&gb, &csv, &layout]), &want);
}

/// The EU sample risk profile with one more rule: every T-shirt goes to inspection. The
/// caller's profile replaces the sample, so the release decision of a T-shirt changes.
fn eu_profile_inspecting_t_shirts() -> Value {
    let mut profile: Value =
        serde_json::from_str(&read(&repo().join("regimes/EU/risk-profile.json"))).unwrap();
    profile["id"] = "EU-ffi-test".into();
    profile["rules"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "code": "R_TEST_T_SHIRTS", "weight": 0, "action": "inspection",
            "reason": "every T-shirt is inspected (a test rule)",
            "when": {"keyword": ["t-shirt"]},
            "source": "ffi test", "checked": "2026-01-01", "confidence": "unconfirmed"
        }));
    profile
}

/// The core's `CODE PATH` for an engine build that fails.
fn build_error(builder: xborder_core::EngineBuilder) -> String {
    let e = builder.build().expect_err("the build fails");
    format!("{} {}", e.code.as_str(), e.path.unwrap_or_default())
}

#[test]
fn risk_profiles_and_tariff_files_are_chosen_as_in_the_core() {
    let dir = scratch("profiles");
    let decl = declaration(EU[0]);
    let profile = eu_profile_inspecting_t_shirts();
    let mut bad = profile.clone();
    bad["thresholds"]["documentary_check"] = "thirty".into();
    let mut other = profile.clone();
    other["regime"] = "XX".into();
    // An HS code (leather briefcase) that the embedded EU tariff file prices and the EU
    // pack's own lines do not.
    let mut file_only: Value = serde_json::from_str(&read(&declaration(EU[1]))).unwrap();
    file_only["items"][0]["hs_code"] = "42021110".into();
    file_only["items"][0]["description"] = "Leather briefcase".into();
    let paths: Vec<PathBuf> = [
        ("profile.json", &profile),
        ("bad-profile.json", &bad),
        ("other-profile.json", &other),
        ("file-only.json", &file_only),
    ]
    .iter()
    .map(|(name, v)| {
        let path = dir.join(name);
        std::fs::write(&path, v.to_string()).unwrap();
        path
    })
    .collect();

    let opts = AssessOptions::default();
    let text = read(&decl);
    let file_only = file_only.to_string();
    let plain = Engine::embedded().unwrap();
    let profiled = Engine::builder()
        .risk_profile_json(profile.to_string())
        .build()
        .unwrap();
    let no_samples = Engine::builder()
        .without_sample_risk_profiles()
        .build()
        .unwrap();
    let no_files = Engine::builder()
        .without_embedded_tariffs()
        .build()
        .unwrap();
    let want = [
        core_json(&plain, &text, &opts),
        core_json(&profiled, &text, &opts),
        core_json(&no_samples, &text, &opts),
        core_json(&plain, &file_only, &opts),
        core_json(&no_files, &file_only, &opts),
        core_json(
            &profiled,
            &text,
            &AssessOptions::default().option("screening", "off"),
        ),
        build_error(Engine::builder().risk_profile_json(bad.to_string())),
        build_error(Engine::builder().risk_profile_json(other.to_string())),
        build_error(Engine::builder().risk_profile_json("{")),
    ];
    // Each builder call changes the result, so the C side cannot pass by ignoring it.
    assert!(want[1].contains("R_TEST_T_SHIRTS") && !want[0].contains("R_TEST_T_SHIRTS"));
    assert_ne!(want[0], want[2], "the sample profile shows in the result");
    assert!(!want[3].contains("\"error\""), "{}", want[3]);
    assert!(want[4].contains("E_HS_NO_TARIFF_LINE"), "{}", want[4]);
    assert!(
        want[5].contains("\"decision\":\"not_screened\""),
        "{}",
        want[5]
    );
    assert!(
        want[6].starts_with("E_INVALID_PACK risk_profile[0].thresholds"),
        "{}",
        want[6]
    );
    assert_eq!(want[7], "E_NO_REGIME risk_profile[0].regime");

    let exe = compile(&dir, "profiles.c", Link::Shared, &[]);
    let args: Vec<&Path> = std::iter::once(decl.as_path())
        .chain(paths.iter().map(PathBuf::as_path))
        .collect();
    assert_lines(&run(&exe, &args), &want);
}

#[test]
fn refunds_match_the_core_and_the_cli_error_records() {
    let dir = scratch("refund");
    let ret_path = repo().join("examples/returns/eu-defective-return.json");
    let ret: Value = serde_json::from_str(&read(&ret_path)).unwrap();
    let mut bad = ret.clone();
    bad["items"][0]["item"] = 7.into();
    let bad_path = dir.join("bad-item.json");
    std::fs::write(&bad_path, bad.to_string()).unwrap();

    let engine = Engine::embedded().unwrap();
    let refund = |text: &str, options: &AssessOptions| match engine.refund_json(text, options) {
        Ok(r) => serde_json::to_string(&r).unwrap(),
        Err(e) => error_json(None, &e),
    };
    let eu = AssessOptions {
        regime: Some("EU".into()),
        ..AssessOptions::default()
    };
    let opts = AssessOptions::default();
    // The EU's return rules with nothing refundable, as a caller's.
    let mut rules: Value =
        serde_json::from_str(&read(&repo().join("regimes/EU/returns.json"))).unwrap();
    for version in rules["versions"].as_array_mut().unwrap() {
        for component in ["duty", "tax_at_import", "tax_at_sale", "fees"] {
            version[component]["refundable"] = false.into();
        }
    }
    let rules_path = dir.join("rules.json");
    std::fs::write(&rules_path, rules.to_string()).unwrap();
    let own = Engine::builder()
        .return_rules_json(rules.to_string())
        .build()
        .unwrap();
    let want = [
        refund(&read(&ret_path), &opts),
        refund(&read(&ret_path), &eu),
        refund(&bad.to_string(), &opts),
        refund("{\"id\":", &opts),
        refund("{\"id\":\"r\"}", &opts),
        serde_json::to_string(&own.refund_json(&read(&ret_path), &opts).unwrap()).unwrap(),
    ];
    assert!(want[0].contains("\"total_refund\""), "{}", want[0]);
    assert!(want[2].contains("E_INVALID_VALUE"), "{}", want[2]);
    assert_ne!(want[0], want[5], "the caller's rules change the refund");

    let exe = compile(&dir, "refund.c", Link::Shared, &[]);
    assert_lines(&run(&exe, &[&ret_path, &bad_path, &rules_path]), &want);
}

#[test]
fn statements_fed_through_the_c_api_are_the_cores() {
    use xborder_core::statement::{Period, StatementBuilder};
    use xborder_core::Declaration;

    let dir = scratch("statement");
    let batch = declaration("all.ndjson");
    let engine = Engine::embedded().unwrap();
    let opts = AssessOptions::default();
    let mut month = StatementBuilder::new(Period::Month);
    let mut quarter = StatementBuilder::new(Period::Quarter);
    let mut want = Vec::new();
    for (i, line) in read(&batch).split('\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        let added = Declaration::from_json(line).and_then(|d| {
            let r = engine.assess(&d, &opts)?;
            month.add(&d, &r, Some(&engine))?;
            quarter.add(&d, &r, Some(&engine))
        });
        if let Err(e) = added {
            want.push(format!(
                "rejected {} {} {}",
                i + 1,
                e.code.as_str(),
                e.path.unwrap_or_default()
            ));
        }
    }
    let (month, quarter) = (month.finish(), quarter.finish());
    assert!(!month.accounts.is_empty() && month.reconciles());
    want.push(serde_json::to_string(&month).unwrap());
    want.extend(month.to_csv().lines().map(str::to_string));
    want.push(serde_json::to_string(&quarter).unwrap());

    let exe = compile(&dir, "statement.c", Link::Shared, &[]);
    assert_lines(&run(&exe, &[&batch]), &want);
}

/// A declaration of the split-consignment tests: `value` EUR from `seller` to `buyer`.
fn split_declaration(id: &str, lodged: &str, value: &str, seller: &str, buyer: &str) -> Value {
    serde_json::json!({
        "id": id, "date": &lodged[..10], "destination": "DE", "currency": "EUR",
        "items": [{"description": "Cotton T-shirt", "hs_code": "610910", "quantity": 1,
                   "value": value, "origin": "CN"}],
        "shipping": "5.00",
        "seller": {"name": seller, "country": "CN",
                   "registrations": [{"scheme": "IOSS", "number": "IM2500000001"}]},
        "consignee": {"name": buyer, "country": "DE",
                      "address": {"line1": "Hauptstr. 1", "city": "Berlin", "postcode": "10115",
                                  "country": "DE"}},
        "lodged_at": lodged, "arrival_at": "2026-03-20T00:00:00Z"
    })
}

#[test]
fn split_ledgers_flag_what_the_core_flags() {
    use xborder_core::ledger::SplitLedger;
    use xborder_core::Declaration;

    let dir = scratch("ledger");
    let decls = [
        split_declaration(
            "a",
            "2026-03-15T08:00:00Z",
            "100.00",
            "Shop Ltd",
            "Anna Berg",
        ),
        split_declaration(
            "x",
            "2026-03-15T09:00:00Z",
            "90.00",
            "Shop Ltd",
            "Karl Kurz",
        ),
        split_declaration(
            "b",
            "2026-03-15T20:00:00Z",
            "80.00",
            "SHOP, LTD.",
            "anna  berg",
        ),
        split_declaration(
            "c",
            "2026-03-17T08:00:00Z",
            "120.00",
            "Shop Ltd",
            "Anna Berg",
        ),
    ];
    let mut profile: Value =
        serde_json::from_str(&read(&repo().join("regimes/EU/risk-profile.json"))).unwrap();
    profile["id"] = "EU-ffi-reassess".into();
    profile["split_consignments"]["reassess"] = true.into();
    let profile_path = dir.join("profile.json");
    std::fs::write(&profile_path, profile.to_string()).unwrap();
    let mut paths = vec![profile_path];
    for (i, d) in decls.iter().enumerate() {
        let path = dir.join(format!("{i}.json"));
        std::fs::write(&path, d.to_string()).unwrap();
        paths.push(path);
    }

    let opts = AssessOptions::default();
    let plain = Engine::embedded().unwrap();
    let custom = Engine::builder()
        .risk_profile_json(profile.to_string())
        .build()
        .unwrap();
    let mut want = Vec::new();
    for engine in [&plain, &custom] {
        let rule = engine
            .risk_profile("EU")
            .unwrap()
            .split_consignments
            .clone();
        let mut ledger = SplitLedger::new(rule.unwrap());
        for d in &decls {
            let d: Declaration = Declaration::from_json(&d.to_string()).unwrap();
            let r = engine.assess(&d, &opts).unwrap();
            let flag = ledger.record(engine, &opts, &d, &r).unwrap();
            want.push(serde_json::to_string(&flag).unwrap());
        }
    }
    assert_eq!(want[0], "null");
    assert!(want[2].contains("R_EU_SPLIT_CONSIGNMENT"), "{}", want[2]);
    assert!(
        want[6].contains("\"additional_payable\"") && !want[2].contains("\"aggregate\""),
        "{}",
        want[6]
    );

    let exe = compile(&dir, "ledger.c", Link::Shared, &[]);
    let args: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    assert_lines(&run(&exe, &args), &want);
}

#[test]
fn no_panic_unwinds_into_c() {
    // The hooks exist only in libraries built with debug assertions; their names are then in
    // the shared library's dynamic symbol table.
    let so = std::fs::read(lib_dir().join("libxborder.so")).unwrap();
    if !so.windows(13).any(|w| w == b"xb_test_panic") {
        eprintln!("skipped: this library has no panic hooks (built without debug assertions)");
        return;
    }
    let dir = scratch("panic");
    let exe = compile(&dir, "panic.c", Link::Shared, &[]);
    run(&exe, &[]);
}

/// Every declaration of `tests/vectors/*/*.json`, through the C API, gives byte for byte the
/// core's `assess_to_json` output (and `XB_STATUS_OK` exactly when the core reports no error).
#[test]
fn vectors_through_the_c_api_are_byte_identical_to_the_core() {
    let dir = scratch("conformance");
    let rates_path = repo().join("examples/rates/sample-rates.json");
    let plain = Engine::embedded().unwrap();
    let with_rates = Engine::builder()
        .rates_json(read(&rates_path))
        .build()
        .unwrap();

    let mut files = Vec::new();
    for regime in std::fs::read_dir(repo().join("tests/vectors")).unwrap() {
        let regime = regime.unwrap().path();
        if regime.is_dir() {
            for f in std::fs::read_dir(&regime).unwrap() {
                let f = f.unwrap().path();
                if f.extension().is_some_and(|e| e == "json") {
                    files.push(f);
                }
            }
        }
    }
    files.sort();
    assert!(files.len() >= 40, "found only {} vectors", files.len());

    let mut manifest = String::new();
    let mut expected = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let v: Value = serde_json::from_str(&read(file)).unwrap();
        let declaration = serde_json::to_string(&v["declaration"]).unwrap();
        // `rates: "sample"` picks the engine; `options` is the options document the C API
        // reads, passed as it is (the core reads it with the same grammar).
        let uses_rates = v.get("rates").is_some_and(|r| r == "sample");
        let c_options = v.get("options").map_or(String::new(), Value::to_string);
        let options = if c_options.is_empty() {
            AssessOptions::default()
        } else {
            AssessOptions::from_json(&c_options).unwrap()
        };
        let engine = if uses_rates { &with_rates } else { &plain };
        let (json, error) = engine.assess_to_json(&declaration, &options);
        let status = if error.is_some() { 200 } else { 0 };
        expected.push((file.clone(), format!("{status}\n{json}")));

        let decl_path = dir.join(format!("{i}.decl.json"));
        let opts_path = dir.join(format!("{i}.opts.json"));
        let out_path = dir.join(format!("{i}.out"));
        std::fs::write(&decl_path, &declaration).unwrap();
        std::fs::write(&opts_path, &c_options).unwrap();
        manifest.push_str(&format!(
            "{} {} {} {}\n",
            if uses_rates { "rates" } else { "plain" },
            decl_path.display(),
            opts_path.display(),
            out_path.display()
        ));
    }
    let manifest_path = dir.join("manifest.txt");
    std::fs::write(&manifest_path, manifest).unwrap();

    let exe = compile(&dir, "conformance.c", Link::Shared, &[]);
    let out = run(&exe, &[&rates_path, &manifest_path]);
    assert_eq!(out.trim(), format!("{} cases", files.len()));
    let mut mismatches = Vec::new();
    for (i, (file, want)) in expected.iter().enumerate() {
        let got = read(&dir.join(format!("{i}.out")));
        if &got != want {
            mismatches.push(file.display().to_string());
        }
    }
    assert!(
        mismatches.is_empty(),
        "C output differs from the core for: {mismatches:?}"
    );
}

#[test]
fn the_c_example_builds_with_its_makefile_and_matches_the_core() {
    let dir = scratch("example");
    let make = Command::new("make")
        .arg("-C")
        .arg(repo().join("examples/c"))
        .arg(format!("BUILD={}", dir.display()))
        .arg(format!("LIBDIR={}", lib_dir().display()))
        .arg(format!("INCDIR={}", include_dir().display()))
        .output()
        .expect("make runs (scripts/setup.sh installs it)");
    assert!(
        make.status.success(),
        "make failed:\n{}{}",
        String::from_utf8_lossy(&make.stdout),
        String::from_utf8_lossy(&make.stderr)
    );
    let rates = repo().join("examples/rates/sample-rates.json");
    let engine = Engine::builder().rates_json(read(&rates)).build().unwrap();
    let single = declaration(EU[0]);
    let batch = declaration("all.ndjson");
    let flag = PathBuf::from("--rates");
    let out = run(
        &dir.join("xborder-assess"),
        &[&flag, &rates, &single, &batch],
    );
    let mut want = vec![core_json(
        &engine,
        &read(&single),
        &AssessOptions::default(),
    )];
    for line in read(&batch).lines().filter(|l| !l.trim().is_empty()) {
        want.push(core_json(&engine, line, &AssessOptions::default()));
    }
    assert_lines(&out, &want);
}

/// The C programs again, built with AddressSanitizer (its LeakSanitizer sees every `malloc` of
/// the Rust library too) and UndefinedBehaviorSanitizer, any report being fatal.
#[test]
fn c_programs_are_clean_under_address_and_undefined_sanitizers() {
    if valgrind() {
        // The sanitizers and valgrind cannot run together; valgrind mode covers this.
        return;
    }
    let dir = scratch("sanitizers");
    let flags = [
        "-fsanitize=address,undefined",
        "-fno-sanitize-recover=all",
        "-fno-omit-frame-pointer",
    ];
    let unknown_hs = vector_declaration(&dir, "EU/eu-error-unknown-hs-code.json");
    let (eu, gb) = (compact(&dir, EU[0]), compact(&dir, GB[1]));
    let runs: [(&str, Vec<&Path>); 5] = [
        ("errors.c", vec![&unknown_hs, &eu]),
        ("error_ex.c", vec![&unknown_hs, &eu]),
        ("batch.c", vec![&eu, &gb]),
        ("threads.c", vec![&eu, &gb]),
        ("assess.c", vec![&eu, &gb]),
    ];
    for (source, args) in runs {
        let exe = compile(&dir, source, Link::Shared, &flags);
        let binary = std::fs::read(&exe).unwrap();
        assert!(
            binary.windows(11).any(|w| w == b"__asan_init"),
            "{source}: AddressSanitizer is not linked in"
        );
        let out = program(&exe)
            .args(args)
            .env("ASAN_OPTIONS", "detect_leaks=1:halt_on_error=1")
            .env("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{source} under the sanitizers ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The timing program of `scripts/ffi-bench.sh` keeps building and running (tiny counts).
#[test]
fn timing_program_runs() {
    let dir = scratch("timing");
    let decl = compact(&dir, EU[0]);
    let batch = dir.join("batch.ndjson");
    std::fs::write(
        &batch,
        format!("{}\n{}\n", read(&decl), read(&compact(&dir, GB[1]))),
    )
    .unwrap();
    let rates = repo().join("examples/rates/sample-rates.json");
    let exe = compile(&dir, "timing.c", Link::Shared, &[]);
    let (calls, rounds) = (PathBuf::from("3"), PathBuf::from("2"));
    let out = run(&exe, &[&decl, &batch, &rates, &calls, &rounds]);
    assert!(out.contains("single: ") && out.contains("batch: "), "{out}");
}

/// The complete example of `docs/c-api.md` compiles as written and assesses its declaration.
#[test]
fn the_example_in_the_c_api_docs_works() {
    let dir = scratch("docs");
    let doc = read(&repo().join("docs/c-api.md"));
    let start = doc.find("```c\n").expect("docs/c-api.md has a ```c block") + 5;
    let len = doc[start..].find("```").unwrap();
    let source = dir.join("docs_example.c");
    std::fs::write(&source, &doc[start..start + len]).unwrap();
    let exe = compile_path(&dir, &source, Link::Shared, &[]);
    let out = run(&exe, &[]);
    let result: Value = serde_json::from_str(out.trim()).expect("the example prints one result");
    assert_eq!(result["id"], "demo");
    assert_eq!(result["category"]["code"], 3);
}

/// `readelf -d FILE`: the dynamic section, where the SONAME and the NEEDED entries are.
fn dynamic_section(file: &Path) -> String {
    let out = Command::new("readelf")
        .arg("-d")
        .arg(file)
        .output()
        .expect("readelf runs (binutils; scripts/setup.sh installs it)");
    assert!(out.status.success(), "readelf -d {}", file.display());
    String::from_utf8(out.stdout).unwrap()
}

/// The library installed by cargo-c (`scripts/ffi-install.sh`, which `scripts/ffi-valgrind.sh`
/// runs into a staging prefix): SONAME `libxborder.so.0` with the usual symlinks, the header
/// byte for byte the committed one, a pkg-config file whose flags build the example, and a
/// program that records `libxborder.so.0` as what it needs. Runs in pkg-config mode only (a
/// plain `cargo build` makes no SONAME); `scripts/ffi-valgrind.sh` runs it.
#[test]
fn installed_library_has_a_soname_and_pkg_config_file() {
    if pkg_config_path().is_none() {
        eprintln!("skipped: XB_PKG_CONFIG_PATH is not set (scripts/ffi-valgrind.sh sets it)");
        return;
    }
    let libs = lib_dir();
    let soname = "libxborder.so.0";
    let dynamic = dynamic_section(&libs.join("libxborder.so"));
    assert!(
        dynamic.contains(&format!("Library soname: [{soname}]")),
        "libxborder.so has no SONAME {soname}:\n{dynamic}"
    );
    // The development symlink and the SONAME symlink both lead to the one real file.
    let real = std::fs::canonicalize(libs.join("libxborder.so")).unwrap();
    assert_eq!(std::fs::canonicalize(libs.join(soname)).unwrap(), real);
    assert_eq!(
        real.file_name().unwrap().to_str().unwrap(),
        format!("libxborder.so.{}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(
        read(&include_dir().join("xborder.h")),
        read(&ffi().join("include/xborder.h")),
        "the installed header differs from ffi/include/xborder.h"
    );
    assert_eq!(
        pkg_config(&["--modversion"]).concat(),
        env!("CARGO_PKG_VERSION")
    );

    let dir = scratch("installed");
    let exe = compile_path(&dir, &repo().join("examples/c/assess.c"), Link::Shared, &[]);
    let needed = dynamic_section(&exe);
    assert!(
        needed.contains(&format!("Shared library: [{soname}]")),
        "the program does not record {soname} as needed:\n{needed}"
    );
    let engine = Engine::embedded().unwrap();
    let gb = declaration(GB[0]);
    assert_lines(
        &run(&exe, &[&gb]),
        &[core_json(&engine, &read(&gb), &AssessOptions::default())],
    );
}

/// In valgrind mode, a program that leaks must fail: the check is able to fail.
#[test]
fn valgrind_mode_catches_a_deliberate_leak() {
    if !valgrind() {
        return;
    }
    let dir = scratch("leak");
    let exe = compile(&dir, "leak_selftest.c", Link::Shared, &[]);
    let (out, report) = run_raw(&exe, &[]);
    let report = report.unwrap();
    assert!(
        !out.status.success() && report.contains("definitely lost"),
        "valgrind did not flag the deliberate leak ({}):\n{report}",
        out.status
    );
}

/// A caller that frees a string, an engine or a builder twice is caught by valgrind (the
/// library gets only the pointer and cannot see it). Runs whenever valgrind is installed, not
/// only in valgrind mode; valgrind mode requires it to be installed.
#[test]
fn valgrind_reports_a_double_free_by_the_caller() {
    let installed = program("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed {
        assert!(!valgrind(), "valgrind mode needs valgrind");
        eprintln!("valgrind is not installed: double-free check skipped");
        return;
    }
    let dir = scratch("double-free");
    let exe = compile(&dir, "double_free.c", Link::Shared, &[]);
    for what in ["string", "engine", "builder"] {
        let log = dir.join(format!("{what}.valgrind.log"));
        let out = program("valgrind")
            .args(["--error-exitcode=99", "--leak-check=no"])
            .arg(format!("--log-file={}", log.display()))
            .arg(&exe)
            .arg(what)
            .output()
            .unwrap();
        let report = std::fs::read_to_string(&log).unwrap();
        assert_eq!(
            out.status.code(),
            Some(99),
            "valgrind did not fail on a double free of the {what}:\n{report}"
        );
        assert!(
            report.contains("Invalid free") || report.contains("Invalid read"),
            "valgrind did not report the double free of the {what}:\n{report}"
        );
        assert!(
            report.contains("xb_string_free")
                || report.contains("xb_engine_free")
                || report.contains("xb_engine_builder_free"),
            "the report does not point at the free function:\n{report}"
        );
    }
}
