use super::*;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

const TABLE: &str = r#"{"label":"test","source":"unit test","rates":[
    {"from":"USD","to":"EUR","valid_from":"2026-02-01","rate":"0.90"},
    {"from":"USD","to":"EUR","valid_from":"2026-01-01","rate":"0.80"}]}"#;

#[test]
fn json_picks_the_rate_in_force_until_the_next() {
    let t = RateTable::from_json(TABLE).unwrap();
    assert!(t.rate_on("USD", "EUR", d("2025-12-31")).is_none());
    assert_eq!(
        t.rate_on("USD", "EUR", d("2026-01-31"))
            .unwrap()
            .rate
            .to_string(),
        "0.80"
    );
    let r = t.rate_on("USD", "EUR", d("2030-02-01")).unwrap();
    assert_eq!(r.rate.to_string(), "0.90");
    assert_eq!(r.method, Method::Multiply);
    assert_eq!(r.valid_to, None);
    assert_eq!(&*r.source, "unit test (test)");
    assert!(t.rate_on("EUR", "USD", d("2026-02-01")).is_none());
    assert_eq!(t.name(), "test");
    assert!(t
        .why_none("USD", "EUR", d("2025-12-31"))
        .contains("rates from 2026-01-01 only"));
}

#[test]
fn json_refuses_bad_tables() {
    let bad = r#"{"label":"x","source":"y","rates":[{"from":"USD","to":"EUR","valid_from":"2026-01-01","rate":"0"}]}"#;
    let err = RateTable::from_json(bad).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidRates);
    assert_eq!(err.path.as_deref(), Some("rates[0].rate"));
    let bad = r#"{"label":"x","source":"y","rates":[{"from":"USD","to":"EUR","valid_from":"2026-01-01","rate":0.9}]}"#;
    let err = RateTable::from_json(bad).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidRates);
    // Five decimals (the ECB's pound) are a rate, not an error.
    let ok = r#"{"label":"x","source":"y","rates":[{"from":"GBP","to":"EUR","valid_from":"2026-01-01","rate":"1.14490"}]}"#;
    assert!(RateTable::from_json(ok).is_ok());
}

const MONTHLY: &str = "xborder-rates\t1
id\tECB
title\tECB reference rates, monthly customs rates
publisher\tEuropean Central Bank
source\tunit test
licence\tECB statistics
base\tEUR
quote\tper_base
basis\tArt. 146 UCC-IA
published\tpenultimate_wednesday
confidence\tconfirmed
checked\t2026-12-05
%rates\tGBP\tRUB\tUSD
2026-02\t2026-01-21\t0.8676\t-\t1.1702
2026-03\t2026-02-18\t0.8724\t-\t1.1845
2026-05\t2026-04-22\t0.8662\t-\t1.1700
";

#[test]
fn a_monthly_rate_holds_for_its_month_only() {
    let t = RateTable::from_text(MONTHLY).unwrap();
    assert_eq!(t.id.as_deref(), Some("ECB"));
    let r = t.rate_on("USD", "EUR", d("2026-03-10")).unwrap();
    assert_eq!(r.rate.to_string(), "1.1845");
    assert_eq!(r.method, Method::Divide);
    assert_eq!(
        (r.valid_from, r.valid_to),
        (d("2026-03-01"), Some(d("2026-03-31")))
    );
    assert_eq!(&*r.publication, "ECB 2026-02-18 (Art. 146 UCC-IA)");
    assert_eq!(r.quotation(), "1 EUR = 1.1845 USD");
    assert!(t.rate_on("USD", "EUR", d("2026-03-31")).is_some());
    // April has no row: March's rate does not carry on.
    assert!(t.rate_on("USD", "EUR", d("2026-04-01")).is_none());
    assert!(t
        .why_none("USD", "EUR", d("2026-04-01"))
        .contains("quotes no USD for April 2026"));
    // After the last month: not yet published, and the message says when it is.
    assert!(t.rate_on("USD", "EUR", d("2026-06-01")).is_none());
    let why = t.why_none("USD", "EUR", d("2026-06-01"));
    assert!(
        why.contains("June 2026 is published on 2026-05-20"),
        "{why}"
    );
    assert!(why.contains("ends with May 2026"), "{why}");
    assert!(t
        .why_none("USD", "EUR", d("2026-01-15"))
        .contains("starts with February 2026"));
    assert!(t
        .why_none("CHF", "EUR", d("2026-03-10"))
        .contains("quotes no CHF"));
    // A column with no rate at all is no pair.
    assert!(!t.has_pair("RUB", "EUR"));
}

#[test]
fn dividing_by_the_published_rate_gives_the_issues_figures() {
    let t = RateTable::from_text(MONTHLY).unwrap();
    let r = t.rate_on("USD", "EUR", d("2026-03-10")).unwrap();
    // USD 100.00 on 2026-03-10 at the ECB rate of 2026-02-18: EUR 84.4238… → 84.42.
    let eur = r.convert("100.00".parse().unwrap()).unwrap();
    assert!(eur.to_string().starts_with("84.4238"), "{eur}");
    assert_eq!(eur.round_dp(2).to_string(), "84.42");
    assert_eq!(
        r.shown("100.00".parse().unwrap(), "84.42".parse().unwrap()),
        "100.00 USD ÷ 1.1845 = 84.42 EUR"
    );
    // HMRC March 2026, 1.3573 USD per GBP: USD 40.00 → GBP 29.4703… → 29.47.
    let hmrc = RateTable::from_text(include_str!("testdata/hmrc-monthly-2026-03.xml")).unwrap();
    let r = hmrc.rate_on("USD", "GBP", d("2026-03-02")).unwrap();
    assert_eq!(&*r.publication, "HMRC 2026-03 (s. 18 TCTA 2018)");
    assert_eq!(
        r.convert("40.00".parse().unwrap())
            .unwrap()
            .round_dp(2)
            .to_string(),
        "29.47"
    );
    assert!(hmrc.rate_on("USD", "GBP", d("2026-04-01")).is_none());
    assert!(hmrc.rate_on("USD", "GBP", d("2026-02-28")).is_none());
}

#[test]
fn formats_are_recognised() {
    assert_eq!(Format::detect(TABLE), Some(Format::Json));
    assert_eq!(Format::detect(MONTHLY), Some(Format::Monthly));
    for (text, format) in [
        (
            include_str!("testdata/eurofxref-hist-2026-02.csv"),
            Format::EcbCsv,
        ),
        (
            include_str!("testdata/eurofxref-2026-10-30.csv"),
            Format::EcbCsv,
        ),
        (
            include_str!("testdata/eurofxref-hist-2026-02.xml"),
            Format::EcbXml,
        ),
        (
            include_str!("testdata/hmrc-monthly-2026-03.xml"),
            Format::HmrcXml,
        ),
    ] {
        assert_eq!(Format::detect(text), Some(format));
    }
    assert_eq!(Format::detect("USD,EUR\n"), None);
    assert_eq!(Format::detect("<html>é</html>"), None);
    let e = RateTable::from_text("hello").unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidRates);
    // The ECB history as downloaded gives the Art. 146 table.
    let t = RateTable::from_text(include_str!("testdata/eurofxref-hist-2026-02.csv")).unwrap();
    assert_eq!(
        t.rate_on("USD", "EUR", d("2026-03-10"))
            .unwrap()
            .rate
            .to_string(),
        "1.1845"
    );
    let t = RateTable::from_text(include_str!("testdata/eurofxref-hist-2026-02.xml")).unwrap();
    assert_eq!(
        t.rate_on("USD", "EUR", d("2026-03-10"))
            .unwrap()
            .rate
            .to_string(),
        "1.1845"
    );
}
