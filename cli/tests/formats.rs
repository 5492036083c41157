//! Issue 20, "data formats", on the real binary: a tariff CSV as a spreadsheet exports it (`;`,
//! a byte-order mark, its own column names) with `--tariff-columns`, and rate tables quoted
//! the way the ECB and HMRC publish them.

mod common;
use common::xborder;

fn lines(out: &std::process::Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const FIXTURES: &str = "cli/tests/fixtures/formats";

/// A German Excel sheet saved as "CSV UTF-8": `;`, a byte-order mark, CRLF, German headers,
/// an extra column, no source or checked date.
#[test]
fn an_excel_tariff_loads_with_a_header_map() {
    // Dated before the EU's flat duty (2026-07-01) and above EUR 150, so the line's rate applies.
    let decl = include_str!("../../examples/declarations/eu-cat3-ioss-usd.json")
        .replace('\n', "")
        .replace("2026-10-08", "2026-03-10")
        .replace("\"110.00\"", "\"400.00\"");
    let tariff = format!("EU={FIXTURES}/excel-tariff-de.csv");
    // From a file: a run refused before it reads its input must not race a writer.
    let dir = std::env::temp_dir().join(format!("xborder-formats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("decl.json");
    std::fs::write(&file, &decl).unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["assess", "--tariff", &tariff];
        args.extend_from_slice(extra);
        args.push(file.to_str().unwrap());
        xborder(&args, None)
    };
    let out = run(&[
        "--tariff-columns",
        "hs=Warennummer,duty=Drittlandszollsatz,description=Beschreibung",
        "--tariff-source",
        "TARIC excerpt, exported 2026-11-28",
        "--tariff-checked",
        "2026-11-28",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let result = &lines(&out)[0];
    assert_eq!(result["duties"][0]["rate"], "8%", "{result:#}");
    assert_eq!(result["duty_total"], "27.83", "{result:#}");
    // The trace cites the line, its description (holding a quoted `;`) and the given source.
    let out = xborder(
        &[
            "explain",
            "--tariff",
            &tariff,
            "--tariff-columns",
            "hs=Warennummer,duty=Drittlandszollsatz,description=Beschreibung",
            "--tariff-source",
            "TARIC excerpt, exported 2026-11-28",
            "--tariff-checked",
            "2026-11-28",
            "-",
        ],
        Some(decl.as_bytes()),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("line 6403 (Schuhe; mit Oberteil aus Leder): 8% on 347.83")
            && text.contains("source: TARIC excerpt, exported 2026-11-28"),
        "{text}"
    );
    // Without the map, the error names the missing column and the flag to give.
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no column \"hs\"") && err.contains("--tariff-columns"),
        "{err}"
    );
    // A field that does not exist is refused by the flag.
    let out = run(&["--tariff-columns", "rate=Drittlandszollsatz"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a tariff field"));
    std::fs::remove_dir_all(&dir).unwrap();
}
