//! The embedded US tariff (regimes/US/US.tariff, converted from the USITC's HTS exports): it
//! reads, holds every revision from the 2025 Basic Edition to 2026 Revision 10 in date order, and
//! its rates match the published schedule on lines checked by hand.

#![cfg(feature = "embedded-tariffs")]

use xborder::tariff::file::{self, Revision};

fn us() -> (file::Header, Vec<Revision>) {
    let (_, text) = xborder_regimes::TARIFFS
        .iter()
        .find(|(id, _)| *id == "US")
        .expect("the US tariff is embedded");
    file::read(text).unwrap()
}

/// The published text and expression of `code`'s column `col` in `revision`.
fn rate(r: &Revision, code: &str, col: usize) -> (String, Result<String, String>) {
    let line = r.lines.iter().find(|l| l.code == code).unwrap();
    let d = line.duties[col].clone().unwrap();
    (d.text, d.expression)
}

#[test]
fn us_tariff_spot_checks_hold_in_every_revision() {
    let (header, revisions) = us();
    assert_eq!(header.regime, "US");
    assert_eq!(header.columns, ["general", "column2"]);
    let ids: Vec<&str> = revisions.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.first(), Some(&"2025-basic"));
    assert_eq!(ids.last(), Some(&"2026-rev-10"));
    // 33 revisions of 2025 and 11 of 2026 (Revision 8 included).
    assert_eq!(revisions.len(), 44);
    assert!(revisions.windows(2).all(|w| w[0].from < w[1].from));
    for r in &revisions {
        // HTSUS 6109.10.00, T-shirts of cotton: General 16.5 %, column 2 90 %.
        assert_eq!(
            rate(r, "61091000", 0),
            ("16.5%".into(), Ok("16.5%".into())),
            "{}",
            r.id
        );
        assert_eq!(rate(r, "61091000", 1).1.as_deref(), Ok("90%"), "{}", r.id);
        // 6201.40.15, anoraks of man-made fibres with 36 % or more of wool: a compound rate.
        assert_eq!(
            rate(r, "62014015", 0),
            ("49.7¢/kg + 19.7%".into(), Ok("0.497 USD/kg + 19.7%".into())),
            "{}",
            r.id
        );
        // 8471.30.01, printed on its only statistical line: Free.
        assert_eq!(rate(r, "84713001", 0).1.as_deref(), Ok("free"));
        // Chapter 99 is additional duties, not goods.
        assert!(r.lines.iter().all(|l| !l.code.starts_with("99")));
        assert!(r.lines.len() > 11_500, "{}: {} lines", r.id, r.lines.len());
    }
}
