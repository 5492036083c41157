//! `xborder tariff import` on real excerpts of official files (cli/tests/fixtures/): the lines,
//! rates and revisions it writes, that the output is byte-identical from run to run and equal to
//! the committed file, and how it reports what it could not translate.

mod common;

use common::{root, xborder};
use xborder::tariff::file::{self, Revision};

const MANIFEST: &str = "cli/tests/fixtures/usitc/tariff-manifest.json";

fn import(args: &[&str]) -> (String, String) {
    let out = xborder(args, None);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stderr}");
    (String::from_utf8(out.stdout).unwrap(), stderr)
}

fn line<'r>(r: &'r Revision, code: &str) -> Option<&'r file::Line> {
    r.lines.iter().find(|l| l.code == code)
}

fn general(r: &Revision, code: &str) -> (String, Result<String, String>) {
    let d = line(r, code).unwrap().duties[0].clone().unwrap();
    (d.text, d.expression)
}

#[test]
fn usitc_excerpts_convert_to_dated_revisions_with_translated_rates() {
    let (text, report) = import(&["tariff", "import", "--manifest", MANIFEST, "-o", "-"]);
    let (header, revisions) = file::read(&text).unwrap();
    assert_eq!(header.regime, "US");
    assert_eq!(header.columns, ["general", "column2"]);
    assert_eq!(
        header.converter.as_deref(),
        Some("xborder tariff import --format usitc-hts")
    );
    let ids: Vec<_> = revisions.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["2025-basic", "2025-rev-1"]);
    assert_eq!(revisions[1].from.to_string(), "2025-01-27");
    let [basic, rev1] = &revisions[..] else {
        unreachable!()
    };

    // The spot checks of the issue, and a column-2 rate.
    assert_eq!(
        general(basic, "61091000"),
        ("16.5%".into(), Ok("16.5%".into()))
    );
    assert_eq!(
        general(basic, "62014015"),
        ("49.7¢/kg + 19.7%".into(), Ok("0.497 USD/kg + 19.7%".into()))
    );
    let col2 = line(basic, "61091000").unwrap().duties[1].clone().unwrap();
    assert_eq!(col2.expression.as_deref(), Ok("90%"));
    // A rate printed on the 10-digit row is the 8-digit subheading's; per-barrel rates.
    assert_eq!(
        general(basic, "27090010").1.as_deref(),
        Ok("0.0525 USD/158.987294928 l")
    );
    // Watches: charged on the components' values, which the grammar names (and an assessment
    // asks for), never guesses.
    assert_eq!(
        general(basic, "91012180"),
        (
            "$1.61 each + 4.4% on the case and strap, band or bracelet".into(),
            Ok("1.61 USD/item + 4.4% on case and strap".into())
        )
    );
    // Descriptions stand alone.
    assert!(
        line(basic, "62014020")
            .unwrap()
            .description
            .starts_with("Men's or boys' overcoats"),
        "{}",
        line(basic, "62014020").unwrap().description
    );
    // Chapter 99 is additional duties, not goods.
    assert!(basic.lines.iter().all(|l| !l.code.starts_with("99")));
    // Revision 1 adds 4420.19.00, which the Basic Edition's export lacks.
    assert!(line(basic, "44201900").is_none());
    assert_eq!(general(rev1, "44201900").1.as_deref(), Ok("3.2%"));

    // What could not be translated is counted per file (every form of the excerpts is read).
    assert!(
        report.contains(
            "hts_2025_basic_excerpt.json: 73 lines, 0 rate texts not translated (general 0, column2 0)"
        ),
        "{report}"
    );
}

#[test]
fn the_output_is_byte_identical_and_equal_to_the_committed_file() {
    let (first, _) = import(&["tariff", "import", "--manifest", MANIFEST, "-o", "-"]);
    let (second, _) = import(&["tariff", "import", "--manifest", MANIFEST, "-o", "-"]);
    assert_eq!(first, second);
    let committed =
        std::fs::read_to_string(root().join("cli/tests/fixtures/usitc/US-excerpt.tariff")).unwrap();
    assert_eq!(
        first, committed,
        "regenerate with: xborder tariff import --manifest {MANIFEST}"
    );
    let out = xborder(
        &["tariff", "import", "--manifest", MANIFEST, "--check"],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn one_file_mode_reads_gzip_and_takes_the_header_from_flags() {
    let (text, _) = import(&[
        "tariff",
        "import",
        "--format",
        "usitc-hts",
        "cli/tests/fixtures/usitc/hts_2025_rev_1_excerpt.json.gz",
        "--from",
        "2025-01-27",
        "--checked",
        "2026-12-04",
        "--revision",
        "2025-rev-1",
    ]);
    let (header, revisions) = file::read(&text).unwrap();
    assert_eq!(
        header.publisher,
        "United States International Trade Commission"
    );
    assert_eq!(header.currency, "USD");
    assert_eq!(revisions.len(), 1);
    assert_eq!(revisions[0].id, "2025-rev-1");
    assert!(line(&revisions[0], "44201900").is_some());
}

#[test]
fn bad_requests_fail_with_a_message() {
    let fails = |args: &[&str], needle: &str| {
        let out = xborder(args, None);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(needle), "{stderr}");
    };
    fails(
        &[
            "tariff",
            "import",
            "--format",
            "ukgt",
            "x.csv",
            "--from",
            "2021-01-01",
            "--checked",
            "2026-12-04",
        ],
        "option column is required",
    );
    fails(
        &[
            "tariff",
            "import",
            "--format",
            "usitc-hts",
            "cli/tests/fixtures/usitc/hts_2025_basic_excerpt.json",
        ],
        "--from",
    );
    fails(
        &[
            "tariff",
            "import",
            "--format",
            "usitc-hts",
            "--option",
            "x=y",
            "a.json",
            "--from",
            "2025-01-01",
            "--checked",
            "2026-12-04",
        ],
        "takes no option",
    );
    fails(
        &[
            "tariff",
            "import",
            "--format",
            "usitc-hts",
            "cli/tests/fixtures/usitc/tariff-manifest.json",
            "--from",
            "2025-01-01",
            "--checked",
            "2026-12-04",
        ],
        "not a USITC HTS JSON export",
    );
}

/// The manifests of the other formats' fixtures, each with its committed output.
const EXCERPTS: &[(&str, &str)] = &[
    (
        "cli/tests/fixtures/ukgt/tariff-manifest.json",
        "cli/tests/fixtures/ukgt/GB-excerpt.tariff",
    ),
    (
        "cli/tests/fixtures/jp-customs/tariff-manifest.json",
        "cli/tests/fixtures/jp-customs/JP-excerpt.tariff",
    ),
    (
        "cli/tests/fixtures/abf-schedule3/tariff-manifest.json",
        "cli/tests/fixtures/abf-schedule3/AU-excerpt.tariff",
    ),
];

#[test]
fn ukgt_jp_and_abf_excerpts_convert_byte_identically_to_the_committed_files() {
    for (manifest, output) in EXCERPTS {
        let (first, _) = import(&["tariff", "import", "--manifest", manifest, "-o", "-"]);
        let (second, _) = import(&["tariff", "import", "--manifest", manifest, "-o", "-"]);
        assert_eq!(first, second, "{manifest}");
        let committed = std::fs::read_to_string(root().join(output)).unwrap();
        assert_eq!(
            first, committed,
            "regenerate with: xborder tariff import --manifest {manifest}"
        );
    }
}

#[test]
fn spot_checks_hold_in_the_converted_excerpts() {
    let read = |manifest: &str| {
        let (text, report) = import(&["tariff", "import", "--manifest", manifest, "-o", "-"]);
        (file::read(&text).unwrap(), report)
    };
    let expr = |r: &Revision, code: &str| general(r, code).1;
    // GB: 6109 10 00, T-shirts of cotton, 12 %; a compound and a specific rate.
    let ((gb_header, gb), report) = read(EXCERPTS[0].0);
    assert_eq!(gb_header.edition.as_str(), "HS2017");
    assert_eq!(expr(&gb[0], "61091000"), Ok("12%".into()));
    assert_eq!(expr(&gb[0], "01022910"), Ok("10% + 77 GBP/100kg".into()));
    assert_eq!(expr(&gb[0], "91011100"), Ok("0.2 GBP/item".into()));
    assert!(report.contains("seasonal rate"), "{report}");
    // JP: 6109.10-020 is 7.4 % (WTO, the general rate 11.2 % is higher).
    let ((_, jp), _) = read(EXCERPTS[1].0);
    assert_eq!(
        general(&jp[0], "610910020"),
        ("WTO協定 7.4% (基本 11.2%)".into(), Ok("7.4%".into()))
    );
    assert_eq!(expr(&jp[0], "020311020"), Ok("361 JPY/kg".into()));
    assert_eq!(
        expr(&jp[0], "220410000"),
        Ok("182 JPY/l".into()),
        "sparkling wine: the WTO rate per litre is below the general one"
    );
    // AU: a general rate read out of its concessions, and a missing chapter named.
    let ((_, au), _) = read(EXCERPTS[2].0);
    assert_eq!(expr(&au[0], "04061000"), Ok("1.22 AUD/kg".into()));
    assert_eq!(
        expr(&au[0], "61"),
        Err("chapter 61 is not in the source data (Schedule 3 scrape of April 2026)".into())
    );
}
