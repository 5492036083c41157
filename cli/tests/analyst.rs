//! Issue 20, "analyst polish": the CLI behaviours around a batch, each run on the real binary.
//! A reader that stops early ends every streaming command quietly with success; a batch with
//! rejects says so on standard error; `explain -` reads standard input; `--no-progress`.

use std::path::PathBuf;
use std::process::{Command, Stdio};

mod common;
use common::{root, tshirt_batch, xborder};

/// A scratch directory of this test process, with `n` generated declarations and their
/// assessment results.
fn scratch(name: &str, n: &str) -> (PathBuf, PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("xborder-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let decls = dir.join("decls.ndjson");
    let results = dir.join("results.ndjson");
    let gen = xborder(&["generate", "--n", n, "--seed", "3"], None);
    assert!(gen.status.success());
    std::fs::write(&decls, &gen.stdout).unwrap();
    // From the file: `xborder()` writes all of standard input before reading the output.
    let assessed = xborder(&["assess", decls.to_str().unwrap()], None);
    assert!(assessed.status.success(), "generated flows assess cleanly");
    std::fs::write(&results, &assessed.stdout).unwrap();
    (dir, decls, results)
}

/// `xborder ARGS | head -0`: the reader is gone before the command writes anything.
#[test]
fn every_streaming_command_stops_quietly_when_its_reader_goes_away() {
    let (dir, decls, results) = scratch("pipe", "20000");
    let (decls, results) = (decls.to_str().unwrap(), results.to_str().unwrap());
    let refund = root().join("examples/returns/eu-defective-return.json");
    let explain = root().join("examples/declarations/eu-cat3-ioss-usd.json");
    let cases: Vec<Vec<&str>> = vec![
        vec!["assess", decls],
        vec!["assess", "--threads", "1", decls],
        vec!["assess", "--trace", decls],
        vec!["generate", "--n", "200000"],
        vec!["statement", decls],
        vec!["statement", "--format", "csv", decls],
        vec!["refund", refund.to_str().unwrap()],
        vec!["stats", results],
        vec!["stats", "--format", "csv", results],
        vec![
            "simulate",
            "--set",
            "GB.versions[0].de_minimis.duty.amount=0",
            "--diff",
            "-",
            decls,
        ],
        vec!["regimes"],
        vec!["regimes", "--json"],
        vec!["explain", explain.to_str().unwrap()],
    ];
    for args in &cases {
        let mut child = Command::new(env!("CARGO_BIN_EXE_xborder"))
            .args(args)
            .current_dir(root())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && stderr.is_empty(),
            "{args:?}: {:?} {stderr}",
            out.status
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

const GOOD: &str = r#"{"id":"ok-1","date":"2025-05-01","destination":"FR","currency":"EUR","items":[{"description":"T-shirt","hs_code":"610910","quantity":1,"value":"20.00","origin":"CN"}],"seller":{"name":"S","country":"CN"},"consignee":{"name":"C"}}"#;

/// A batch with rejects exits 1 and says how many on standard error; a clean batch is silent.
#[test]
fn a_batch_with_rejects_says_how_many() {
    let input = format!(
        "{GOOD}\n{{\"id\":\"bad\"}}\n\n{}\n",
        GOOD.replace("ok-1", "ok-2")
    );
    let out = xborder(&["assess"], Some(input.as_bytes()));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "xborder: 2 assessed, 1 rejected (their error records are in the output)\n"
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);
    // One document on its own counts too.
    let out = xborder(&["assess"], Some(b"{\"id\":\"bad\"}"));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "xborder: 0 assessed, 1 rejected (their error records are in the output)\n"
    );
    let clean = xborder(&["assess"], Some(GOOD.as_bytes()));
    assert!(clean.status.success() && clean.stderr.is_empty());

    let example =
        std::fs::read_to_string(root().join("examples/returns/eu-defective-return.json")).unwrap();
    let one_line: serde_json::Value = serde_json::from_str(&example).unwrap();
    let out = xborder(
        &["refund"],
        Some(format!("{one_line}\n{{\"id\":\"bad\"}}\n").as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "xborder: 1 assessed, 1 rejected (their error records are in the output)\n"
    );

    let out = xborder(
        &["statement"],
        Some(format!("{GOOD}\n{{\"id\":\"bad\"}}\n").as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("xborder: line 2: not in the statement: E_MISSING_FIELD")
            && stderr.ends_with("xborder: 1 assessed, 1 rejected (left out of the statement)\n"),
        "{stderr}"
    );
}

/// `explain -` reads the declaration from standard input and shows what `explain FILE` shows.
#[test]
fn explain_reads_standard_input() {
    let path = "examples/declarations/eu-cat3-ioss-usd.json";
    let from_file = xborder(&["explain", path], None);
    assert!(from_file.status.success());
    let text = std::fs::read(root().join(path)).unwrap();
    let from_stdin = xborder(&["explain", "-"], Some(&text));
    assert!(
        from_stdin.status.success(),
        "{}",
        String::from_utf8_lossy(&from_stdin.stderr)
    );
    assert_eq!(from_stdin.stdout, from_file.stdout);
    // A rejected declaration is named `-`, as on the command line.
    let bad = xborder(&["explain", "-"], Some(b"{\"id\":\"bad\"}"));
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stdout).starts_with("- could not be assessed"));
    let empty = xborder(&["explain", "-"], Some(b""));
    assert_eq!(empty.status.code(), Some(1));
}

/// `--no-progress` is accepted by every command that can draw a bar, and changes no byte.
#[test]
fn no_progress_changes_nothing_but_the_bar() {
    let (dir, decls, results) = scratch("noprogress", "300");
    let (decls, results) = (decls.to_str().unwrap(), results.to_str().unwrap());
    for args in [
        vec!["assess", decls],
        vec!["stats", results],
        vec!["generate", "--n", "50"],
        vec![
            "simulate",
            "--set",
            "GB.versions[0].de_minimis.duty.amount=0",
            decls,
        ],
    ] {
        let with = xborder(&args, None);
        let mut quiet = args.clone();
        quiet.insert(1, "--no-progress");
        let without = xborder(&quiet, None);
        assert_eq!(with.status.code(), without.status.code(), "{args:?}");
        assert_eq!(with.stdout, without.stdout, "{args:?}");
        assert_eq!(with.stderr, without.stderr, "{args:?}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
const DM100: &str = "EU.versions[@2025-05-10].de_minimis.duty.amount=100";
const DM0: &str = "EU.versions[@2025-05-10].de_minimis.duty.amount=0";

/// Two variants in one run: the duty de minimis lowered to EUR 100 (only `mid` pays duty
/// now: +14.40) and abolished (`low` and `mid`: +21.60), as CSV with absolute and % change,
/// as a table, as JSON, and each difference line naming its variant.
#[test]
fn simulate_compares_several_variants() {
    let dir = std::env::temp_dir().join(format!("xborder-variants-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let diff = dir.join("diff.ndjson");
    let run = |format: &str| {
        let out = xborder(
            &[
                "simulate",
                "--variant",
                "dm100",
                "--set",
                DM100,
                "--variant",
                "dm0",
                "--set",
                DM0,
                "--format",
                format,
                "--diff",
                diff.to_str().unwrap(),
            ],
            Some(&tshirt_batch()),
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let csv = run("csv");
    let mut rows = csv.lines();
    assert_eq!(
        rows.next(),
        Some("variant,regime,currency,measure,in_force,under_variant,change,change_percent")
    );
    for row in [
        // In force only `high` pays duty: 24.00; VAT 12.00 + 24.00 + 44.80.
        "dm100,EU,EUR,revenue.duty,24.00,38.40,14.40,60.00",
        "dm100,EU,EUR,revenue.VAT,80.80,83.68,2.88,3.56",
        "dm100,EU,EUR,revenue.total,104.80,122.08,17.28,16.49",
        "dm100,EU,EUR,consignments.assessed,3,3,0,0.00",
        "dm0,EU,EUR,revenue.duty,24.00,45.60,21.60,90.00",
        "dm0,EU,EUR,revenue.fees,0.00,0.00,0.00,",
    ] {
        assert!(csv.lines().any(|l| l == row), "{row}\n{csv}");
    }
    // Revenue first, in the order duty, taxes, fees, total.
    let measures: Vec<&str> = csv
        .lines()
        .filter(|l| l.starts_with("dm100,"))
        .map(|l| l.split(',').nth(3).unwrap())
        .take(4)
        .collect();
    assert_eq!(
        measures,
        [
            "revenue.duty",
            "revenue.VAT",
            "revenue.fees",
            "revenue.total"
        ]
    );
    // Each variant's differences, in input order, named.
    let diffs: Vec<serde_json::Value> = std::fs::read_to_string(&diff)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let named: Vec<(&str, &str)> = diffs
        .iter()
        .map(|d| (d["variant"].as_str().unwrap(), d["id"].as_str().unwrap()))
        .collect();
    assert_eq!(named, [("dm0", "low"), ("dm100", "mid"), ("dm0", "mid")]);

    let table = run("table");
    let line = table
        .lines()
        .find(|l| l.starts_with("dm100") && l.contains("revenue duty (EUR)"))
        .unwrap_or_else(|| panic!("{table}"));
    let cells: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(
        cells[cells.len() - 4..],
        ["24.00", "38.40", "+14.40", "+60.00%"],
        "{table}"
    );
    // Zero on both sides: left out of the table.
    assert!(!table.contains("revenue fees"), "{table}");

    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let variants = json["variants"].as_array().unwrap();
    assert_eq!(variants[0]["variant"], "dm100");
    assert_eq!(variants[1]["variant"], "dm0");
    assert_eq!(
        variants[1]["regimes"][0]["revenue_difference"]["duty"],
        "21.60"
    );
    assert_eq!(variants[1]["rejected_both"], 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// What `simulate` refuses about variants, with exit status 2 and a message.
#[test]
fn simulate_variants_are_checked() {
    for (args, says) in [
        (
            vec!["--set", DM0, "--variant", "a", "--set", DM100],
            "before the first --variant",
        ),
        (
            vec![
                "--variant",
                "a",
                "--set",
                DM0,
                "--variant",
                "a",
                "--set",
                DM100,
            ],
            "given twice",
        ),
        (
            vec!["--variant", "a", "--variant", "b", "--set", DM100],
            "variant a changes nothing",
        ),
        (
            vec!["--variant", "no way", "--set", DM100],
            "a name is letters",
        ),
    ] {
        let mut all = vec!["simulate"];
        all.extend(args.iter().copied());
        // Refused before any input is read.
        all.push("/dev/null");
        let out = xborder(&all, None);
        assert_eq!(out.status.code(), Some(2), "{all:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{all:?}: {err}");
    }
    let help = xborder(&["simulate", "--help"], None);
    let help = String::from_utf8_lossy(&help.stdout);
    for flag in ["--variant <NAME>", "--format <FORMAT>", "change_percent"] {
        assert!(help.contains(flag), "{flag}: {help}");
    }
}

/// The stats chart of every regime the generator draws: one row per regime (CN too), a
/// height that does not grow by a panel per regime, and round ticks.
#[test]
fn the_stats_chart_has_every_regime_round_ticks_and_a_sane_height() {
    let (dir, _, results) = scratch("chart", "4000");
    let svg = dir.join("chart.svg");
    let out = xborder(
        &[
            "stats",
            "--chart",
            svg.to_str().unwrap(),
            results.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let chart = std::fs::read_to_string(&svg).unwrap();
    let regimes: Vec<&str> = report["regimes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["regime"].as_str().unwrap())
        .collect();
    assert!(
        regimes.len() >= 20 && regimes.contains(&"CN"),
        "{regimes:?}"
    );
    for id in &regimes {
        assert!(
            chart.contains(&format!("class=\"h3\">{id}</text>")),
            "{id} has no row"
        );
    }
    let height: f64 = chart
        .split("height=\"")
        .nth(1)
        .and_then(|h| h.split('"').next())
        .unwrap()
        .parse()
        .unwrap();
    assert!((1000.0..1800.0).contains(&height), "height {height}");
    // The tick labels of the period axis: 0 and multiples of 1, 2 or 5 × 10^k.
    let ticks: Vec<u64> = chart
        .lines()
        .filter(|l| l.contains("class=\"grid\""))
        .map(|l| {
            let text = l.rsplit("\">").next().unwrap().trim_end_matches("</text>");
            text.replace('\u{2009}', "").parse().unwrap()
        })
        .collect();
    assert!(ticks.len() >= 3 && ticks[0] == 0, "{ticks:?}");
    let step = ticks[1];
    let lead = step / 10u64.pow(step.ilog10());
    assert!(matches!(lead, 1 | 2 | 5), "{ticks:?}");
    assert!(
        ticks.iter().enumerate().all(|(i, t)| *t == step * i as u64),
        "{ticks:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
