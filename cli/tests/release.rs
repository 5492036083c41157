//! `xborder assess --risk-profile FILE`: a caller's profile replaces the sample one.

use std::process::Output;

use serde_json::{json, Value};

mod common;
use common::xborder;

fn run(args: &[&str], stdin: &[u8]) -> Output {
    xborder(args, Some(stdin))
}

const DECL: &str = r#"{"id":"r-1","date":"2025-05-01","destination":"DE","currency":"EUR","items":[{"description":"T-shirt","hs_code":"610910","quantity":1,"value":"20.00","origin":"CN"}],"seller":{"name":"S","country":"CN","registrations":[{"scheme":"IOSS","number":"IM2500000001"}]},"consignee":{"name":"C"},"lodged_at":"2025-04-30T08:00:00Z","arrival_at":"2025-05-01T08:00:00Z"}"#;

#[test]
fn sample_profile_by_default_and_a_callers_profile_on_request() {
    let out = run(&["assess"], DECL.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["release"]["profile"], "EU-sample");
    assert_eq!(r["release"]["decision"], "immediate_release");

    let dir = std::env::temp_dir().join(format!("xborder-risk-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("profile.json");
    let profile = json!({
        "format": "xborder-risk-profile/1", "id": "DE-week-48", "regime": "EU", "name": "t",
        "currency": "EUR", "issued": "2026-11-29", "source": "t", "checked": "2026-11-29",
        "thresholds": {"documentary_check": 10, "inspection": 20},
        "rules": [{"code": "R_TEXTILES", "weight": 20, "reason": "textile campaign",
                   "when": {"hs_prefix": ["61"]}, "source": "t", "checked": "2026-11-29"}]
    });
    std::fs::write(&path, profile.to_string()).unwrap();
    let out = run(
        &["assess", "--risk-profile", path.to_str().unwrap()],
        DECL.as_bytes(),
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["release"]["profile"], "DE-week-48");
    assert_eq!(r["release"]["decision"], "inspection");

    std::fs::write(&path, "{\"format\": 1}").unwrap();
    let out = run(
        &["assess", "--risk-profile", path.to_str().unwrap()],
        DECL.as_bytes(),
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "a broken profile is a usage error"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("E_INVALID_PACK"));
    std::fs::remove_dir_all(&dir).unwrap();
}
