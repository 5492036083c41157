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

/// "1 EUR = 1.1845 USD", as the ECB publishes it, entered as it stands: the amount is divided
/// by the published figure, no inverted rate is made or rounded.
const INVERSE: &str = r#"{"label":"ECB, as published","source":"ECB reference rates","rates":[
    {"from":"USD","to":"EUR","valid_from":"2026-03-01","rate":"1.1845","method":"divide"},
    {"from":"GBP","to":"EUR","valid_from":"2026-03-01","rate":"1.1449"}]}"#;

#[test]
fn json_takes_inverse_quotes() {
    let t = RateTable::from_json(INVERSE).unwrap();
    let r = t.rate_on("USD", "EUR", d("2026-03-10")).unwrap();
    assert_eq!(r.method, Method::Divide);
    assert_eq!(r.quotation(), "1 EUR = 1.1845 USD");
    let eur = |amount: &str| {
        r.convert(amount.parse().unwrap())
            .unwrap()
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
            .to_string()
    };
    assert_eq!(eur("100.00"), "84.42");
    // An inverted rate rounded to four places (0.8442) would give 8442.00 here.
    assert_eq!(eur("10000.00"), "8442.38");
    // Without `method`, a rate multiplies, as before.
    let g = t.rate_on("GBP", "EUR", d("2026-03-10")).unwrap();
    assert_eq!(g.method, Method::Multiply);
    assert_eq!(g.quotation(), "1 GBP = 1.1449 EUR");
    let bad = INVERSE.replace("\"divide\"", "\"invert\"");
    assert_eq!(
        RateTable::from_json(&bad).unwrap_err().code,
        ErrorCode::InvalidRates
    );
}

/// The project's CSV: the JSON table's rates as rows, `;` as Excel writes it in a locale with
/// a decimal comma, columns in any order.
#[test]
fn csv_tables_hold_the_json_rows() {
    let text = "\u{feff}valid_from;from;to;rate;method;source\r\n\
        2026-03-01;USD;EUR;1.1845;divide;ECB 2026-02-18\r\n\
        2026-03-01;CNY;EUR;0.1203;;\r\n";
    assert_eq!(Format::detect(text), Some(Format::Csv));
    let t = RateTable::from_text(text).unwrap();
    let r = t.rate_on("USD", "EUR", d("2026-03-31")).unwrap();
    assert_eq!(
        (r.method, r.rate.to_string()),
        (Method::Divide, "1.1845".into())
    );
    assert_eq!(&*r.source, "ECB 2026-02-18");
    let c = t.rate_on("CNY", "EUR", d("2026-03-31")).unwrap();
    assert_eq!(c.method, Method::Multiply);
    assert_eq!(&*c.source, "the caller's CSV rate table (CSV rate table)");
    for (bad, path) in [
        (text.replace("1.1845", "1,1845"), "line 2.rate"),
        (text.replace("divide", "inverse"), "line 2.method"),
        (text.replace("CNY", "XYZ"), "line 3.from"),
        (text.replace(";;\r\n", ";\r\n"), "line 3"),
        (
            text.replace("2026-03-01;CNY", "2026-3-1;CNY"),
            "line 3.valid_from",
        ),
    ] {
        let e = RateTable::from_text(&bad).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidRates, "{bad}");
        assert_eq!(e.path.as_deref(), Some(path), "{}", e.message);
    }
    let e = RateTable::from_text("from,to,rate\nUSD,EUR,0.9\n").unwrap_err();
    assert!(e.message.contains("no column \"valid_from\""), "{e}");
}

/// HMRC's monthly rates as the UK Trade Tariff's CSV, in that file's shape (made from the
/// March 2026 XML, `testdata/README.md`): the same month, the same rates as the XML.
#[test]
fn hmrc_csv_reads_as_the_xml() {
    let csv = include_str!("testdata/hmrc-monthly-2026-03.csv");
    assert_eq!(Format::detect(csv), Some(Format::HmrcCsv));
    let month = hmrc::parse_month_csv(csv).unwrap();
    assert_eq!(month.month.to_string(), "2026-03");
    assert_eq!(month.rates["USD"].to_string(), "1.3573");
    assert_eq!(month.rates.len(), 141);
    #[cfg(feature = "rate-xml")]
    assert_eq!(
        month,
        hmrc::parse_month(include_str!("testdata/hmrc-monthly-2026-03.xml")).unwrap()
    );
    let t = RateTable::from_text(csv).unwrap();
    let r = t.rate_on("USD", "GBP", d("2026-03-15")).unwrap();
    assert_eq!(r.quotation(), "1 GBP = 1.3573 USD");
    assert_eq!(&*r.publication, "HMRC 2026-03 (s. 18 TCTA 2018)");
    assert!(t.rate_on("USD", "GBP", d("2026-04-01")).is_none());
    // A row of another month, or a part of a month, is refused with its line.
    let mixed = csv.replacen("01/03/2026,31/03/2026", "01/04/2026,30/04/2026", 1);
    let e = hmrc::parse_month_csv(&mixed).unwrap_err();
    assert_eq!(e.path.as_deref(), Some("line 3"), "{}", e.message);
    let half = csv.replacen("31/03/2026", "15/03/2026", 1);
    assert!(hmrc::parse_month_csv(&half)
        .unwrap_err()
        .message
        .contains("not one calendar month"));
}

mod division {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::RoundingStrategy;

    /// USD `a` (4 places) ÷ `b` (10 places), rounded half up to the cent, computed exactly in
    /// integers: `a·10⁸ / b` in units of the cent.
    fn exact_cents(a: i128, b: i128) -> i128 {
        let (n, d) = (a * 100_000_000, b);
        let (q, r) = (n / d, n % d);
        if 2 * r >= d {
            q + 1
        } else {
            q
        }
    }

    fn converted_cents(a: i128, b: i128) -> i128 {
        let rate = Rate {
            from: "USD".into(),
            to: "EUR".into(),
            rate: Decimal::from_i128_with_scale(b, 10),
            method: Method::Divide,
            valid_from: d("2026-03-01"),
            valid_to: None,
            publication: "p".into(),
            source: "s".into(),
        };
        let eur = rate
            .convert(Decimal::from_i128_with_scale(a, 4))
            .unwrap()
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        eur.mantissa() * 10_i128.pow(2 - eur.scale())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]
        /// The quotient's own rounding (rust_decimal's: half to even at its 28th significant
        /// digit) never changes the cent: within the limits (amounts of 12 digits and 4
        /// places, rates of 10 places) a quotient is never that close to a half cent without
        /// being one.
        #[test]
        fn one_rounding_decides_the_cent(a in 1i128..10_000_000_000_000_000, b in 1i128..100_000_000_000_000_000_000) {
            prop_assert_eq!(converted_cents(a, b), exact_cents(a, b));
        }

        /// The same next to a half cent, where a second rounding would show.
        #[test]
        fn next_to_a_half_cent(near in 1i128..10_000_000_000_000_000, b in 1i128..100_000_000_000_000_000_000, delta in -2i128..=2) {
            // a·10⁸ as close as an amount of 4 places gets to (cents + ½)·b, for the cent
            // of an amount near `near`.
            let cents = near * 100_000_000 / b;
            let a = ((2 * cents + 1) * b / 2) / 100_000_000 + delta;
            prop_assume!(a > 0 && a < 10_000_000_000_000_000);
            prop_assert_eq!(converted_cents(a, b), exact_cents(a, b));
        }
    }
}
