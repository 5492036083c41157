//! Drives the real `xborder` binary through the batch tools: generate, stats, simulate.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn xborder(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xborder"))
        .args(args)
        .current_dir(root())
        .env_remove("CI")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(bytes) = stdin {
        input.write_all(bytes).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn lines(bytes: &[u8]) -> Vec<Value> {
    std::str::from_utf8(bytes)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// HS prefixes of every tariff line of a regime, from the pack file itself.
fn tariff_prefixes(id: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root().join(format!("regimes/{id}/pack.json"))).unwrap();
    let pack: Value = serde_json::from_str(&text).unwrap();
    let mut out = Vec::new();
    for v in pack["versions"].as_array().unwrap() {
        for l in v["tariff"]["lines"].as_array().unwrap() {
            out.push(l["hs"].as_str().unwrap().to_string());
        }
    }
    out
}

#[test]
fn generate_is_deterministic_and_assessable() {
    let a = xborder(&["generate", "--n", "600", "--seed", "11"], None);
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert!(a.stderr.is_empty(), "no progress bar when piped");
    let b = xborder(&["generate", "--n", "600", "--seed", "11"], None);
    assert_eq!(a.stdout, b.stdout, "same seed, same bytes");
    let c = xborder(&["generate", "--n", "600", "--seed", "12"], None);
    assert_ne!(a.stdout, c.stdout, "another seed, other declarations");

    let decls = lines(&a.stdout);
    assert_eq!(decls.len(), 600);
    let (eu, gb) = (tariff_prefixes("EU"), tariff_prefixes("GB"));
    let mut seen = BTreeSet::new();
    for d in &decls {
        let prefixes = if d["destination"] == "GB" { &gb } else { &eu };
        for item in d["items"].as_array().unwrap() {
            if let Some(hs) = item["hs_code"].as_str() {
                assert!(
                    prefixes.iter().any(|p| hs.starts_with(p.as_str())),
                    "{hs} has no tariff line"
                );
            }
        }
        seen.insert(d["channel"].as_str().unwrap().to_string());
        seen.insert(d["transaction"].as_str().unwrap().to_string());
        seen.insert(d["destination"].as_str().unwrap().to_string());
    }
    for expected in ["postal", "express", "B2C", "C2C", "B2B", "GB", "DE", "FR"] {
        assert!(
            seen.contains(expected),
            "no {expected} in the mix: {seen:?}"
        );
    }

    // Every generated declaration is valid input: the assessment rejects none.
    let assessed = xborder(&["assess"], Some(&a.stdout));
    assert!(assessed.status.success());
    let results = lines(&assessed.stdout);
    assert_eq!(results.len(), 600);
    let mut categories = BTreeSet::new();
    let mut schemes = BTreeSet::new();
    let mut findings = BTreeSet::new();
    for r in &results {
        assert!(r.get("error").is_none(), "{r}");
        categories.insert(r["category"]["code"].as_u64().unwrap());
        schemes.insert(
            r["collection"]["scheme"]
                .as_str()
                .unwrap_or("border")
                .to_string(),
        );
        for f in r["findings"].as_array().unwrap() {
            findings.insert(f["code"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(categories, BTreeSet::from([1, 2, 3, 4]));
    for s in ["border", "IOSS", "GB_POS"] {
        assert!(schemes.contains(s), "{schemes:?}");
    }
    // Registration numbers are sometimes missing and sometimes malformed.
    for f in ["F_REGISTRATION_MISSING", "F_REGISTRATION_FORMAT"] {
        assert!(findings.contains(f), "{findings:?}");
    }
}

#[test]
fn generate_for_one_regime_and_period() {
    let out = xborder(
        &[
            "generate",
            "--n",
            "200",
            "--seed",
            "3",
            "--regime",
            "GB",
            "--from",
            "2025-03-01",
            "--to",
            "2025-03-31",
        ],
        None,
    );
    assert!(out.status.success());
    for d in lines(&out.stdout) {
        assert_eq!(d["destination"], "GB");
        assert_eq!(d["currency"], "GBP");
        assert!(d["date"].as_str().unwrap().starts_with("2025-03-"), "{d}");
    }
    let bad = xborder(&["generate", "--n", "1", "--regime", "XX"], None);
    assert_eq!(bad.status.code(), Some(2));
}
