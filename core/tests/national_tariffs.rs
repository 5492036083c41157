//! The embedded GB, EU, JP and AU tariffs (regimes/<ID>/<ID>.tariff, converted by `xborder
//! tariff import` from the UK Global Tariff CSV, Japan's Tariff Schedule and ABF Schedule 3):
//! each reads, says what edition and dates it covers, and its rates match the published
//! schedules on lines checked by hand.

#![cfg(feature = "embedded-tariffs")]

use xborder::tariff::file::{self, HsEdition, Revision};

fn tariff(id: &str) -> (file::Header, Vec<Revision>) {
    let (_, text) = xborder_regimes::TARIFFS
        .iter()
        .find(|(i, _)| *i == id)
        .unwrap_or_else(|| panic!("the {id} tariff is embedded"));
    file::read(text).unwrap()
}

/// The published text and expression (or reason) of `code` in `revision`.
fn rate(r: &Revision, code: &str) -> (String, Result<String, String>) {
    let line = r
        .lines
        .iter()
        .find(|l| l.code == code)
        .unwrap_or_else(|| panic!("{}: no line {code}", r.id));
    let d = line.duties[0].clone().unwrap();
    (d.text, d.expression)
}

#[test]
fn the_embedded_tariffs_are_listed_in_order() {
    let ids: Vec<&str> = xborder_regimes::TARIFFS.iter().map(|(id, _)| *id).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted);
    for id in ["AU", "EU", "GB", "JP"] {
        assert!(ids.contains(&id), "{id}");
    }
}

#[test]
fn gb_is_the_uk_global_tariff_of_2021_in_hs_2017() {
    let (header, revisions) = tariff("GB");
    assert_eq!(
        (header.regime.as_str(), header.currency.as_str()),
        ("GB", "GBP")
    );
    assert_eq!(header.edition, HsEdition::Hs2017);
    assert_eq!(header.current_through, Some("2021-01-01".parse().unwrap()));
    assert_eq!(revisions.len(), 1);
    let r = &revisions[0];
    assert_eq!(r.from, "2021-01-01".parse().unwrap());
    assert_eq!(r.lines.len(), 11_830);
    // The spot check: 6109 10 00, T-shirts of cotton, 12 %.
    assert_eq!(rate(r, "61091000"), ("12.0%".into(), Ok("12%".into())));
    assert_eq!(
        rate(r, "01022910").1,
        Ok("10% + 77 GBP/100kg".into()),
        "live cattle <= 80 kg: compound"
    );
    assert_eq!(rate(r, "22041011").1, Ok("26 GBP/hl".into()), "champagne");
    assert_eq!(
        rate(r, "2204218595").1,
        Ok("1.4 GBP/l alc".into()),
        "madeira"
    );
    assert_eq!(
        rate(r, "01051111").1,
        Ok("43 GBP/1000 item".into()),
        "chicks"
    );
    assert!(
        rate(r, "07020000")
            .1
            .unwrap_err()
            .starts_with("seasonal rate"),
        "tomatoes"
    );
}

#[test]
fn eu_is_the_2020_common_external_tariff_and_says_so() {
    let (header, revisions) = tariff("EU");
    assert_eq!(
        (header.regime.as_str(), header.currency.as_str()),
        ("EU", "EUR")
    );
    assert_eq!(header.edition, HsEdition::Hs2017);
    assert_eq!(
        header.confidence,
        xborder::regime::pack::Confidence::Secondary
    );
    assert_eq!(header.current_through, Some("2020-12-31".parse().unwrap()));
    let r = &revisions[0];
    assert_eq!(r.from, "2020-01-01".parse().unwrap());
    assert_eq!(rate(r, "61091000").1, Ok("12%".into()));
    assert_eq!(rate(r, "01022910").1, Ok("10.2% + 93.1 EUR/100kg".into()));
    assert_eq!(
        rate(r, "91011100").1,
        Ok("4.5% MIN 0.3 EUR/item MAX 0.8 EUR/item".into()),
        "wrist-watches of precious metal"
    );
    assert_eq!(
        rate(r, "16023111").1,
        Ok("1024 EUR/1000kg".into()),
        "turkey, per tonne"
    );
    assert!(rate(r, "07020000")
        .1
        .unwrap_err()
        .starts_with("entry-price system"));
    assert!(
        rate(r, "17049051").1.unwrap_err().contains("(EA)"),
        "marzipan: EA + ADSZ"
    );
}

#[test]
fn jp_applies_the_lower_of_the_wto_and_national_rates_in_every_edition() {
    let (header, revisions) = tariff("JP");
    assert_eq!(
        (header.regime.as_str(), header.currency.as_str()),
        ("JP", "JPY")
    );
    assert_eq!(header.edition, HsEdition::Hs2022);
    assert_eq!(header.columns, ["applicable"]);
    let ids: Vec<&str> = revisions.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        ["2025-04-01", "2026-01-01", "2026-04-01", "2026-07-09"]
    );
    for r in &revisions {
        // The spot check: 6109.10-020 is 7.4 % (WTO; general 11.2 %).
        assert_eq!(
            rate(r, "610910020"),
            ("WTO協定 7.4% (基本 11.2%)".into(), Ok("7.4%".into())),
            "{}",
            r.id
        );
        // A WTO rate in parentheses is bound, not applied: 6109.10-010 pays the general 10.9 %.
        assert_eq!(rate(r, "610910010").1, Ok("10.9%".into()), "{}", r.id);
        // Footwear: "60 % or 4,800 yen a pair, whichever is higher" against the WTO's 30 % or
        // 4,300 yen.
        assert_eq!(
            rate(r, "640320012").1,
            Ok("min(60% MIN 4800 JPY/pair, 30% MIN 4300 JPY/pair)".into()),
            "{}",
            r.id
        );
        assert!(
            rate(r, "080310100")
                .1
                .unwrap_err()
                .starts_with("seasonal rate"),
            "{}: plantains, by season",
            r.id
        );
        assert!(r.lines.len() > 9_600, "{}: {} lines", r.id, r.lines.len());
    }
    let last = revisions.last().unwrap();
    assert_eq!(
        rate(last, "220410000").1,
        Ok("182 JPY/l".into()),
        "sparkling wine"
    );
    assert!(rate(last, "020311031")
        .1
        .unwrap_err()
        .starts_with("gate-price duty"));
}

#[test]
fn au_has_the_chapters_that_exist_and_names_the_missing_ones() {
    let (header, revisions) = tariff("AU");
    assert_eq!(
        (header.regime.as_str(), header.currency.as_str()),
        ("AU", "AUD")
    );
    assert_eq!(header.edition, HsEdition::Hs2022);
    let r = &revisions[0];
    assert_eq!(r.from, "2026-04-01".parse().unwrap());
    assert_eq!(
        rate(r, "04061000").1,
        Ok("1.22 AUD/kg".into()),
        "fresh cheese"
    );
    assert_eq!(
        rate(r, "64035100").1,
        Ok("5%".into()),
        "leather footwear covering the ankle"
    );
    assert_eq!(
        rate(r, "22041083").1,
        Ok("5% + 107.99 AUD/l alc".into()),
        "sparkling wine"
    );
    for chapter in ["28", "61", "62", "72"] {
        assert_eq!(
            rate(r, chapter).1,
            Err(format!(
                "chapter {} is not in the source data (Schedule 3 scrape of April 2026)",
                chapter.trim_start_matches('0')
            ))
        );
    }
    assert_eq!(
        rate(r, "640391").1,
        Err(
            "subheading 6403.91 is not in the source data (Schedule 3 scrape of April 2026)".into()
        )
    );
    assert!(
        !r.lines.iter().any(|l| l.code == "77"),
        "chapter 77 is reserved"
    );
}
