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

/// Assesses `decl` with the rate table at `rates`, requires success, and returns the one result.
fn assess_with_rates(rates: &str, decl: &str) -> serde_json::Value {
    let out = xborder(&["assess", "--rates", rates, "-"], Some(decl.as_bytes()));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    lines(&out).remove(0)
}

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

/// `gb-cat4-border.json` (or `eu-cat3-ioss-usd.json`) declared in US dollars on `date`.
fn in_usd(example: &str, date: &str) -> String {
    let text = std::fs::read_to_string(common::root().join("examples/declarations").join(example))
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut v = v;
    v["currency"] = "USD".into();
    v["date"] = date.into();
    v.to_string()
}

/// A CSV rate table quoting "1 EUR = 1.1845 USD" as the ECB publishes it, `;`-separated with
/// CRLF: the amount is divided by the published rate.
#[test]
fn a_csv_rate_table_with_an_inverse_quote() {
    let decl = in_usd("eu-cat3-ioss-usd.json", "2026-03-10").replace("\"110.00\"", "\"10000.00\"");
    let rates = format!("{FIXTURES}/rates-inverse.csv");
    let r = &assess_with_rates(&rates, &decl);
    let x = &r["exchange"];
    assert_eq!(
        (&x["rate"], &x["method"], &x["table"]),
        (&"1.1845".into(), &"divide".into(), &"CSV rate table".into()),
        "{x:#}"
    );
    // USD 10,000.00 ÷ 1.1845 = EUR 8,442.38 (an inverted rate of 0.8442 would give 8,442.00).
    assert_eq!(r["intrinsic_value"], "8442.38", "{r:#}");
    let out = xborder(&["explain", "--rates", &rates, "-"], Some(decl.as_bytes()));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("1 EUR = 1.1845 USD") && text.contains("10000.00 USD ÷ 1.1845 = 8442.38 EUR"),
        "{text}"
    );
}

/// The official files as downloaded: HMRC's monthly CSV (the Trade Tariff's shape) and the
/// ECB's eurofxref-hist.csv, as `--rates`, and HMRC's CSV through `rates import`.
#[test]
fn official_csv_files_as_rate_tables() {
    let hmrc = "core/src/exchange/testdata/hmrc-monthly-2026-03.csv";
    let decl = in_usd("gb-cat4-border.json", "2026-03-15");
    let x = &assess_with_rates(hmrc, &decl)["exchange"];
    assert_eq!(
        (&x["rate"], &x["method"]),
        (&"1.3573".into(), &"divide".into()),
        "{x:#}"
    );
    assert!(x["source"].as_str().unwrap().contains("CSV"), "{x:#}");
    // April is not in the March file, which answers for USD→GBP: no silent fallback.
    let april = in_usd("gb-cat4-border.json", "2026-04-15");
    let out = xborder(&["assess", "--rates", hmrc, "-"], Some(april.as_bytes()));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(lines(&out)[0]["error"]["code"], "E_NO_EXCHANGE_RATE");

    let ecb = "core/src/exchange/testdata/eurofxref-hist-2026-02.csv";
    let decl = in_usd("eu-cat3-ioss-usd.json", "2026-03-10");
    let x = &assess_with_rates(ecb, &decl)["exchange"];
    assert_eq!(
        (&x["rate"], &x["publication"]),
        (&"1.1845".into(), &"ECB 2026-02-18 (Art. 146 UCC-IA)".into()),
        "{x:#}"
    );

    let out = xborder(
        &[
            "rates",
            "import",
            "--format",
            "hmrc-csv",
            "--checked",
            "2026-12-05",
            hmrc,
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.starts_with("xborder-rates\t1\nid\tHMRC\n"), "{table}");
    assert!(table
        .contains("converter\txborder rates import --format hmrc-csv hmrc-monthly-2026-03.csv"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("HMRC: 1 months, 2026-03 to 2026-03, 141 currencies"),
        "{err}"
    );
}
