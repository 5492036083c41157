//! Official exchange rates built in (issue 14): the EU's monthly customs rates of Art. 146
//! UCC-IA from the ECB history and HMRC's monthly rates, used when the caller gives none,
//! overridable pair by pair, named in the result and shown in the trace.

use serde_json::{json, Value};
use xborder::{AssessOptions, Engine, ErrorCode};

fn declaration(destination: &str, date: &str, currency: &str, value: &str) -> String {
    json!({
        "id": "rates", "date": date, "destination": destination, "currency": currency,
        "items": [{"description": "Cotton T-shirt", "hs_code": "610910", "quantity": 1,
                   "value": value, "origin": "CN"}],
        "seller": {"name": "Shop", "country": "CN"},
        "consignee": {"name": "A. Buyer", "kind": "individual", "country": destination,
                      "address": {"line1": "1 High St", "city": "Town", "postcode": "1",
                                  "country": destination}}
    })
    .to_string()
}

fn assess(engine: &Engine, text: &str) -> Value {
    let (json, _) = engine.assess_to_json(text, &AssessOptions::traced());
    serde_json::from_str(&json).unwrap()
}

#[test]
fn gb_usd_40_on_2026_03_02_converts_at_hmrcs_march_rate() {
    let r = assess(
        &Engine::embedded().unwrap(),
        &declaration("GB", "2026-03-02", "USD", "40.00"),
    );
    assert_eq!(r["intrinsic_value"], "29.47", "{r}");
    let x = &r["exchange"];
    assert_eq!(x["rate"], "1.3573");
    assert_eq!(x["method"], "divide");
    assert_eq!(x["table"], "HMRC");
    assert_eq!(x["publication"], "HMRC 2026-03 (s. 18 TCTA 2018)");
    assert_eq!(
        (x["valid_from"].as_str(), x["valid_to"].as_str()),
        (Some("2026-03-01"), Some("2026-03-31"))
    );
    let step = r["trace"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step"] == "exchange")
        .expect("an exchange step");
    let detail = step["detail"].as_str().unwrap();
    assert!(detail.contains("1 GBP = 1.3573 USD"), "{detail}");
    assert!(
        detail.contains("items[0] 40.00 USD ÷ 1.3573 = 29.47 GBP"),
        "{detail}"
    );
}

#[test]
fn de_usd_100_on_2026_03_10_converts_at_the_ecb_rate_of_2026_02_18() {
    let r = assess(
        &Engine::embedded().unwrap(),
        &declaration("DE", "2026-03-10", "USD", "100.00"),
    );
    assert_eq!(r["intrinsic_value"], "84.42", "{r}");
    assert_eq!(r["exchange"]["rate"], "1.1845");
    assert_eq!(r["exchange"]["table"], "ECB");
    assert_eq!(
        r["exchange"]["publication"],
        "ECB 2026-02-18 (Art. 146 UCC-IA)"
    );
    let trace = r["trace"].to_string();
    assert!(trace.contains("100.00 USD ÷ 1.1845 = 84.42 EUR"), "{trace}");
}

#[test]
fn fr_usd_on_2027_01_15_is_refused_the_rate_is_not_yet_published() {
    let engine = Engine::embedded().unwrap();
    let err = engine
        .assess_json(
            &declaration("FR", "2027-01-15", "USD", "100.00"),
            &AssessOptions::default(),
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::NoExchangeRate);
    assert_eq!(err.path.as_deref(), Some("currency"));
    assert!(
        err.message
            .contains("the ECB rate for January 2027 is published on 2026-12-23"),
        "{}",
        err.message
    );
    assert!(err.message.contains("not yet published"), "{}", err.message);
    // The month after the table's last is refused too, never given November's rate.
    let err = engine
        .assess_json(
            &declaration("FR", "2026-12-01", "USD", "100.00"),
            &AssessOptions::default(),
        )
        .unwrap_err();
    assert!(
        err.message.contains("published on 2026-11-18"),
        "{}",
        err.message
    );
}

#[test]
fn the_callers_table_wins_pair_by_pair() {
    let sample = include_str!("../../examples/rates/sample-rates.json");
    let engine = Engine::builder().rates_json(sample).build().unwrap();
    // USD→EUR is in the sample table: its 0.86 of 2026-01-01 multiplies.
    let r = assess(&engine, &declaration("DE", "2026-03-10", "USD", "100.00"));
    assert_eq!(r["intrinsic_value"], "86.00");
    assert_eq!(r["exchange"]["method"], "multiply");
    assert_eq!(
        r["exchange"]["table"],
        "SAMPLE RATES FOR THE DEMO AND TESTS ONLY - not official customs exchange rates"
    );
    assert_eq!(r["exchange"]["valid_to"], Value::Null);
    // CHF→EUR is not: the ECB rate of 2026-02-18 (0.9124 CHF per EUR) divides.
    let r = assess(&engine, &declaration("DE", "2026-03-10", "CHF", "100.00"));
    assert_eq!(r["exchange"]["table"], "ECB");
    assert_eq!(r["exchange"]["rate"], "0.9124");
    assert_eq!(r["intrinsic_value"], "109.60"); // 100 ÷ 0.9124 = 109.600…
}

#[test]
fn the_ecb_history_as_downloaded_can_be_the_callers_table() {
    // An ECB CSV: the loader applies Art. 146 itself.
    let csv = "Date,USD,GBP,\n2026-02-19,1.1753,0.8738,\n2026-02-18,1.2000,0.8724,\n2026-02-17,1.1826,0.8733,\n";
    let engine = Engine::builder().rates(csv).build().unwrap();
    let r = assess(&engine, &declaration("DE", "2026-03-10", "USD", "120.00"));
    assert_eq!(r["intrinsic_value"], "100.00"); // 120 ÷ 1.2000
    assert_eq!(
        r["exchange"]["publication"],
        "ECB 2026-02-18 (Art. 146 UCC-IA)"
    );
}

#[test]
fn an_official_table_can_be_replaced_or_left_out() {
    let newer = include_str!("../../regimes/EU/EU.rates").replace(
        "\n2026-03\t2026-02-18\t1.1845\t",
        "\n2026-03\t2026-02-18\t1.2500\t",
    );
    let engine = Engine::builder().rate_table(newer).build().unwrap();
    let r = assess(&engine, &declaration("DE", "2026-03-10", "USD", "125.00"));
    assert_eq!(r["intrinsic_value"], "100.00");

    let engine = Engine::builder().without_builtin_rates().build().unwrap();
    let err = engine
        .assess_json(
            &declaration("DE", "2026-03-10", "USD", "100.00"),
            &AssessOptions::default(),
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::NoExchangeRate);
    assert!(
        err.message.contains("the table ECB, which is not loaded"),
        "{}",
        err.message
    );
    assert!(
        err.message.contains("regimes/EU/EU.rates"),
        "{}",
        err.message
    );

    // A JSON table has no id: it cannot stand as an official table.
    let err = Engine::builder()
        .rate_table(include_str!("../../examples/rates/sample-rates.json"))
        .build()
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidRates);
}

#[test]
fn a_regime_without_a_derivable_table_names_the_source_to_load() {
    let engine = Engine::embedded().unwrap();
    let mut d: Value =
        serde_json::from_str(&declaration("US", "2024-06-01", "EUR", "100.00")).unwrap();
    d["items"][0]["origin"] = json!("VN");
    let err = engine
        .assess_json(&d.to_string(), &AssessOptions::default())
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::NoExchangeRate);
    assert!(
        err.message
            .contains("no official rate table xborder can derive"),
        "{}",
        err.message
    );
    assert!(err.message.contains("19 CFR 159"), "{}", err.message);
    // Every embedded pack says which rates its customs administration uses.
    for regime in engine.regimes() {
        let x = regime
            .exchange_rates
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no exchange_rates", regime.id));
        assert!(!x.official.is_empty(), "{}", regime.id);
        if let Some(id) = &x.table {
            assert!(
                engine.exchange_rates().official(id).is_some(),
                "{}: table {id}",
                regime.id
            );
        }
    }
}

#[test]
fn embedded_tables_follow_their_rules() {
    use xborder::exchange::{art146::penultimate_wednesday, MonthlyTable};
    // Every ECB month: published on the penultimate Wednesday of the month before (no month
    // since 2021 needed the fallback of Art. 146(2)), months consecutive.
    let ecb = MonthlyTable::parse(include_str!("../../regimes/EU/EU.rates")).unwrap();
    for pair in ecb.rows.windows(2) {
        assert_eq!(pair[0].month.next(), Some(pair[1].month));
    }
    for row in &ecb.rows {
        let wednesday = penultimate_wednesday(row.month.previous().unwrap());
        assert_eq!(row.published, Some(wednesday), "{}", row.month);
    }
    assert_eq!(ecb.rows.first().unwrap().month.to_string(), "2021-01");
    // HMRC: a row per month, 2021-01 on, USD in every one.
    let hmrc = MonthlyTable::parse(include_str!("../../regimes/GB/GB.rates")).unwrap();
    let usd = hmrc.currencies.iter().position(|c| c == "USD").unwrap();
    for pair in hmrc.rows.windows(2) {
        assert_eq!(pair[0].month.next(), Some(pair[1].month));
    }
    assert!(hmrc.rows.iter().all(|r| r.rates[usd].is_some()));
    // Each file is written exactly as the converter writes it.
    assert_eq!(ecb.to_text(), include_str!("../../regimes/EU/EU.rates"));
    assert_eq!(hmrc.to_text(), include_str!("../../regimes/GB/GB.rates"));
}
