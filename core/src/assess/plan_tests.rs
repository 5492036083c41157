//! The per-thread plans ([`super::plan`], the tariff's line plans) against the unplanned
//! computation: random declarations, dates, currencies and options assessed in sequence (so
//! that later records find the plans earlier ones built, for other dates and currencies too)
//! must give the same result, `Debug` and JSON bytes, as with the plans off.

use std::sync::LazyLock;

use proptest::prelude::*;
use serde_json::{json, Value};

use super::plan;
use crate::{AssessOptions, Engine};

static ENGINE: LazyLock<Engine> = LazyLock::new(|| Engine::embedded().unwrap());

/// Codes with one line, several lines, excluded goods (alcohol, tobacco, perfume), codes that
/// changed between HS 2017 and HS 2022, and codes no tariff has.
const CODES: &[&str] = &[
    "42029291",
    "33030010",
    "61099020",
    "84713000",
    "42029211",
    "64035911",
    "620140",
    "610910",
    "851712",
    "851713",
    "851762",
    "22030001",
    "220421",
    "24021000",
    "950300",
    "910211",
    "0302890000",
    "847130",
    "620193",
    "99999999",
    "8517130000",
    "030289",
    "42029291",
    "64035911",
    "61099020",
    "392690",
];

const DESTINATIONS: &[&str] = &[
    "FR", "DE", "IT", "RO", "HU", "AT", "GB", "US", "CA", "AU", "JP", "CN", "NO", "CH", "MX", "ZA",
    "IN", "KR", "SG", "NZ", "BR", "SA", "AE", "TH", "MY",
];

/// Destinations weighted towards the EU member states with fees of their own.
const WEIGHTED: &[&str] = &["FR", "IT", "RO", "FR", "IT", "RO", "DE", "HU"];

const CURRENCIES: &[&str] = &["EUR", "USD", "GBP", "JPY", "CNY", "CAD", "CHF", "XXX"];

/// The currency of the regime `destination` selects (EUR for the others).
fn local_currency(destination: &str) -> &'static str {
    match destination {
        "GB" => "GBP",
        "US" => "USD",
        "CA" => "CAD",
        "AU" => "AUD",
        "JP" => "JPY",
        "CN" => "CNY",
        "NO" => "NOK",
        "CH" => "CHF",
        "MX" => "MXN",
        "ZA" => "ZAR",
        "IN" => "INR",
        "KR" => "KRW",
        "SG" => "SGD",
        "NZ" => "NZD",
        "BR" => "BRL",
        "SA" => "SAR",
        "AE" => "AED",
        "TH" => "THB",
        "MY" => "MYR",
        _ => "EUR",
    }
}

fn item() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(CODES),
        0u32..60_000,
        1u32..5,
        prop::option::of(prop::sample::select(&["CN", "US", "DE", "KP", "MX"][..])),
        prop::option::of(1u32..5000),
        prop::option::of(1u32..6000),
        prop::sample::select(&["Bag", " ", "", "\u{a0}Shoes", "Cosmetics"][..]),
        prop::sample::select(&["sale", "sale", "gift", "document"][..]),
    )
        .prop_map(
            |(hs, cents, qty, origin, net, gross, description, nature)| {
                let mut item = json!({
                    "description": description, "hs_code": hs, "quantity": qty,
                    "value": format!("{}.{:02}", cents / 100, cents % 100), "nature": nature,
                });
                if let Some(o) = origin {
                    item["origin"] = json!(o);
                }
                if let Some(n) = net {
                    item["net_mass_kg"] = json!(format!("{}.{:03}", n / 1000, n % 1000));
                }
                if let Some(g) = gross {
                    item["gross_mass_kg"] = json!(format!("{}.{:03}", g / 1000, g % 1000));
                }
                item
            },
        )
}

fn declaration() -> impl Strategy<Value = Value> {
    (
        prop_oneof![
            prop::sample::select(DESTINATIONS),
            prop::sample::select(WEIGHTED)
        ],
        prop_oneof![
            (2020i32..2028, 1u32..13, 1u32..29),
            (2026i32..2027, 1u32..13, 1u32..29)
        ],
        prop::option::of(prop::sample::select(CURRENCIES)),
        prop::collection::vec(item(), 1..4),
        0u32..3000,
        any::<[bool; 6]>(),
        prop::sample::select(&["postal", "express", "freight"][..]),
        prop::sample::select(&["B2C", "C2C", "B2B"][..]),
    )
        .prop_map(
            |(dest, (y, m, d), currency, items, shipping, flags, channel, transaction)| {
                let [marketplace, carrier, address, tax_id, registrations, dispatch] = flags;
                let currency = currency.unwrap_or_else(|| local_currency(dest));
                let mut decl = json!({
                    "id": "p", "date": format!("{y}-{m:02}-{d:02}"), "destination": dest,
                    "currency": currency, "channel": channel, "transaction": transaction,
                    "items": items, "shipping": format!("{}.{:02}", shipping / 100, shipping % 100),
                    "seller": {"name": "S", "country": "CN"},
                    "consignee": {"name": "C", "kind": "individual", "country": dest},
                });
                if marketplace {
                    decl["marketplace"] = json!({"name": "M", "country": "IE"});
                }
                if carrier {
                    decl["carrier"] = json!({"name": "K", "kind": "postal", "aeo": false});
                }
                if address {
                    decl["consignee"]["address"] = json!({"line1": "1 St", "city": "T",
                        "postcode": "1", "country": dest});
                }
                if tax_id {
                    decl["consignee"]["tax_id"] = json!("X1");
                }
                if registrations {
                    decl["seller"]["registrations"] =
                        json!([{"scheme": "IOSS", "number": "IM0005112029"}]);
                }
                if dispatch {
                    decl["dispatch_country"] = json!("US");
                }
                decl
            },
        )
}

fn options() -> impl Strategy<Value = AssessOptions> {
    (
        any::<[bool; 3]>(),
        prop::option::of((2021i32..2027, 1u32..13)),
    )
        .prop_map(|([trace, highest, unscreened], date)| {
            let mut o = AssessOptions {
                trace,
                ..AssessOptions::default()
            };
            if highest {
                o = o.option("hs_ambiguity", "highest");
            }
            if unscreened {
                o = o.option("screening", "off");
            }
            if let Some((y, m)) = date {
                o.date = Some(format!("{y}-{m:02}-15").parse().unwrap());
            }
            o
        })
}

/// `Debug` of the result (or rejection) and the JSON bytes.
fn outcome(engine: &Engine, text: &str, opts: &AssessOptions) -> (String, String) {
    let debug = format!("{:?}", engine.assess_record(text, opts));
    let (json, _) = engine.assess_to_json(text, opts);
    (debug, json)
}

/// Assesses `records` in order with the plans on and off, and compares each record.
fn same_with_and_without_plans(engine: &Engine, records: &[(Value, AssessOptions)]) {
    for (decl, opts) in records {
        let text = decl.to_string();
        let planned = outcome(engine, &text, opts);
        let unplanned = plan::unplanned(|| outcome(engine, &text, opts));
        assert_eq!(planned.0, unplanned.0, "{text}");
        assert_eq!(planned.1, unplanned.1, "{text}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Planned and unplanned assessments agree, record by record, whatever the earlier records
    /// left in the plans.
    #[test]
    fn plans_change_nothing(records in prop::collection::vec((declaration(), options()), 1..24)) {
        same_with_and_without_plans(&ENGINE, &records);
    }
}

/// The same goods on dates either side of a rule's boundary, in both orders: the plan built
/// for one date must not answer for the other (the FR small-parcel fee from 2026-03-01 to
/// 2026-07-01, the EU version of 2026-07-01, the HS 2022 reading from 2022, the file's
/// currency check date).
#[test]
fn keys_tell_dates_currencies_and_options_apart() {
    let base = json!({
        "id": "k", "date": "2026-02-27", "destination": "FR", "currency": "EUR",
        "items": [{"description": "Phone", "hs_code": "8517130000", "quantity": 1,
                   "value": "120.00", "origin": "CN"}],
        "seller": {"name": "S", "country": "CN"},
        "consignee": {"name": "C", "country": "FR", "address": {"line1": "1", "city": "P",
                      "postcode": "1", "country": "FR"}}
    });
    let mut records = Vec::new();
    for date in [
        "2026-02-27",
        "2026-03-02",
        "2026-07-02",
        "2021-12-31",
        "2022-01-01",
        "2026-03-02",
        "2026-02-27",
        "2021-12-31",
    ] {
        for currency in ["EUR", "USD", "EUR"] {
            for highest in [false, true] {
                let mut d = base.clone();
                d["date"] = json!(date);
                d["currency"] = json!(currency);
                let mut opts = AssessOptions::default();
                if highest {
                    opts = opts.option("hs_ambiguity", "highest");
                }
                records.push((d, opts));
            }
        }
    }
    same_with_and_without_plans(&ENGINE, &records);
    // The fee is charged only inside its period, and the plan learnt on a date outside it
    // still lets it in.
    let fee = |date: &str| {
        let mut d = base.clone();
        d["date"] = json!(date);
        let r = ENGINE
            .assess_json(&d.to_string(), &AssessOptions::default())
            .unwrap();
        r.fees.iter().map(|f| f.id.to_string()).collect::<Vec<_>>()
    };
    assert!(fee("2026-02-27").is_empty());
    assert_eq!(fee("2026-03-02"), ["FR_PETITS_COLIS"]);
    assert!(fee("2026-07-02").iter().all(|f| f != "FR_PETITS_COLIS"));
    // The same code read on either side of HS 2022 may find other lines: each date its own.
    let code = |date: &str| {
        let mut d = base.clone();
        d["date"] = json!(date);
        d["items"][0]["value"] = json!("400.00");
        let r = ENGINE.assess_json(&d.to_string(), &AssessOptions::default());
        r.map(|r| format!("{:?}", r.duties))
            .unwrap_or_else(|e| e.to_string())
    };
    let (before, after) = (code("2021-12-31"), code("2022-01-01"));
    assert_eq!(before, plan::unplanned(|| code("2021-12-31")));
    assert_eq!(after, plan::unplanned(|| code("2022-01-01")));
}

/// A code whose lines differ in rate (`392690`: seventeen CN lines), planned after its first
/// look-up ([`super::tariff`]'s ambiguous plans): rejected, or priced at the dearest line with
/// `hs_ambiguity=highest`, as without the plans, with the options, dates and destinations
/// alternating and a one-line code between; in later rounds the code is the second item, so
/// that a refusal whose message the plan kept names the item of its own record.
#[test]
fn ambiguous_codes_planned() {
    let mut records = Vec::new();
    for round in 0..4 {
        for (date, destination, hs) in [
            ("2026-03-02", "BE", "392690"),
            ("2026-03-02", "DE", "392690"),
            ("2026-03-02", "BE", "610910"),
            ("2021-12-31", "FR", "392690"),
            ("2026-07-02", "IT", "392690"),
        ] {
            for highest in [round % 2 == 0, round % 2 != 0] {
                let mut items = vec![json!({"description": "Phone case", "hs_code": hs,
                                            "quantity": 3, "value": "412.23", "origin": "CN"})];
                if round >= 2 {
                    items.insert(
                        0,
                        json!({"description": "Bag", "hs_code": "42029291",
                                           "quantity": 1, "value": "30.00", "origin": "CN"}),
                    );
                }
                let d = json!({
                    "id": "a", "date": date, "destination": destination, "currency": "EUR",
                    "items": items,
                    "seller": {"name": "S", "country": "CN"},
                    "consignee": {"name": "C", "country": destination}
                });
                let mut opts = AssessOptions::default();
                if highest {
                    opts = opts.option("hs_ambiguity", "highest");
                }
                records.push((d, opts));
            }
        }
    }
    same_with_and_without_plans(&ENGINE, &records);
    let (first, _) = &records[0];
    let rejected = ENGINE.assess_json(&first.to_string(), &AssessOptions::default());
    assert!(
        rejected.is_err_and(|e| e.to_string().contains("17 lines")),
        "392690 is ambiguous in the CN"
    );
}

/// A clone of an engine has its own plans (its rules are at other addresses), and an engine
/// dropped and built again never finds the dropped one's.
#[test]
fn engines_do_not_share_plans() {
    let text = json!({
        "id": "e", "date": "2026-04-01", "destination": "IT", "currency": "EUR",
        "items": [{"description": "Bag", "hs_code": "42029291", "quantity": 1, "value": "30.00",
                   "origin": "CN"}],
        "seller": {"name": "S", "country": "CN"},
        "consignee": {"name": "C", "country": "IT"}
    })
    .to_string();
    let opts = AssessOptions::default();
    let first = Engine::embedded().unwrap();
    let expected = plan::unplanned(|| outcome(&first, &text, &opts));
    assert_eq!(outcome(&first, &text, &opts), expected);
    let clone = first.clone();
    assert_ne!(clone.plan_id(), first.plan_id());
    drop(first);
    assert_eq!(outcome(&clone, &text, &opts), expected);
    let again = Engine::embedded().unwrap();
    assert_eq!(outcome(&again, &text, &opts), expected);
}
