//! Japan and India packs: official worked examples that need a caller's tariff (the examples
//! give duty rates, not goods), and options the conformance vectors cannot express.

use serde_json::{json, Value};
use xborder::{AssessOptions, Engine, ErrorCode};

fn consignee(dest: &str) -> Value {
    json!({"name": "C", "kind": "individual", "country": dest,
           "address": {"line1": "1", "city": "T", "postcode": "1", "country": dest}})
}

/// Customs Answer 1111 (customs.go.jp/english/c-answer_e/imtsukan/1111_e.htm), the official
/// two-line example: item A CIF 534,795 at 14 % duty and 7.8 % national consumption tax, item B
/// CIF 126,258 at 14 % and the reduced 6.24 %. The Customs Answer names no goods, so the
/// caller's tariff puts its 14 % on a standard-rated heading (9503) and on a food heading the
/// pack gives the reduced rate (1806).
#[test]
fn jp_customs_answer_1111_to_the_yen() {
    let tariff = "hs,duty,description,source,checked\n\
                  9503,14%,item A of the example (14 %),Customs Answer 1111,2026-11-29\n\
                  1806,14%,item B of the example (14 %; reduced consumption tax),Customs Answer 1111,2026-11-29\n";
    let e = Engine::builder().tariff("JP", tariff).build().unwrap();
    let d = json!({
        "id": "jp-1111", "date": "2025-06-02", "destination": "JP", "channel": "freight", "currency": "JPY",
        "items": [
            {"description": "item A", "hs_code": "950300", "quantity": 1, "value": "534795", "origin": "CN"},
            {"description": "item B", "hs_code": "180690", "quantity": 1, "value": "126258", "origin": "CN"}
        ],
        "seller": {"name": "S", "country": "CN"},
        "consignee": consignee("JP")
    });
    // The example gives customs values, not retail prices paid: no personal-use valuation.
    let r = e
        .assess_json(
            &d.to_string(),
            &AssessOptions::traced().option("jp_personal_use_valuation", "not_personal_use"),
        )
        .unwrap();
    assert_eq!(r.category.code, 4);
    // Duty bases truncated to JPY 1,000; 534,000 × 14 % = 74,760 → 74,700.
    assert_eq!(r.duties[0].base.to_string(), "534000");
    assert_eq!(r.duties[0].amount.to_string(), "74700");
    assert_eq!(r.duties[1].base.to_string(), "126000");
    // Total = 74,760 + 17,640 = 92,400 (sum before rounding, truncated to JPY 100). The
    // Customs Answer shows line B as 17,600; the engine's last line carries the 100 so that
    // the lines add up to the total.
    assert_eq!(r.duties[1].amount.to_string(), "17700");
    assert_eq!(r.duty_total.to_string(), "92400");
    // National consumption tax: 609,495 → 609,000 × 7.8 % = 47,502 → 47,500;
    // 126,258 + 17,600 (the line's own rounded duty, not the carried 17,700) = 143,858 →
    // 143,000 × 6.24 % = 8,923.2 → 8,900.
    let national: Vec<_> = r.taxes.iter().filter(|t| t.basis.is_none()).collect();
    assert_eq!(national.len(), 2);
    assert_eq!(national[0].base.to_string(), "609000");
    assert_eq!(national[0].amount.to_string(), "47500");
    assert_eq!(national[1].base.to_string(), "143000");
    assert_eq!(national[1].amount.to_string(), "8900");
    // Local consumption tax 22/78: 13,397 + 2,510 = 15,907 → 15,900.
    let local: Vec<_> = r
        .taxes
        .iter()
        .filter(|t| &*t.kind == "JP_LOCAL_CT")
        .collect();
    assert_eq!(local.len(), 2);
    assert_eq!(local[0].amount.to_string(), "13397");
    assert_eq!(local[1].base.to_string(), "8900");
    assert_eq!(
        local
            .iter()
            .map(|t| t.amount.0)
            .sum::<rust_decimal::Decimal>(),
        rust_decimal::Decimal::from(15_900)
    );
    // 56,400 national + 15,900 local.
    assert_eq!(r.tax_total.to_string(), "72300");
    assert_eq!(r.total_payable.to_string(), "164700");
}

/// A declaration dated in the pack's gap (from the FY2026 reform, 2028-04-01) is refused with
/// the missing fact, never assessed on the old rules.
#[test]
fn jp_after_the_2028_reform_is_a_gap() {
    let d = json!({
        "id": "jp-2028", "date": "2028-04-01", "destination": "JP", "currency": "JPY",
        "items": [{"description": "laptop", "hs_code": "847130", "quantity": 1, "value": "9000", "origin": "CN"}],
        "seller": {"name": "S", "country": "CN"},
        "consignee": consignee("JP")
    });
    let err = Engine::embedded()
        .unwrap()
        .assess_json(&d.to_string(), &AssessOptions::default())
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::NoVersionInForce);
    assert!(err.message.contains("2028-04-01"), "{}", err.message);
}

fn in_decl(channel: &str, date: &str, hs: &str, value: &str) -> String {
    json!({
        "id": "t", "date": date, "destination": "IN", "channel": channel, "currency": "INR",
        "items": [{"description": "goods", "hs_code": hs, "quantity": 1, "value": value, "origin": "CN"}],
        "seller": {"name": "S", "country": "CN"},
        "consignee": consignee("IN")
    })
    .to_string()
}

/// Mumbai Customs FAQ (mumbaicustomszone3.gov.in, official), first worked figure: AV INR 1,000 at
/// BCD 10 % + SWS 10 % of BCD + IGST 18 % -> 100 + 10 + 199.80 = 309.80. The FAQ gives the
/// rate, not the goods. A courier purchase gives the same figures at heading 9804 (BCD 10 %
/// under Sl. 608 + SWS) and, under the reading in_9804_courier = tariff, on the caller's tariff.
/// Also the gera.services calculator (third party): AV 1,00,000 -> 10,000 + 1,000 + 19,980.
#[test]
fn in_faq_example_27_bcd_sws_igst() {
    let tariff = "hs,duty,description,source,checked\n\
                  9503,10%,goods at the FAQ's 10 % BCD,mumbaicustomszone3.gov.in FAQ,2026-11-29\n";
    let e = Engine::builder().tariff("IN", tariff).build().unwrap();
    let r = e
        .assess_json(
            &in_decl("express", "2025-06-10", "95030090", "1000.00"),
            &AssessOptions::traced(),
        )
        .unwrap();
    assert_eq!(r.duties[0].amount.to_string(), "100.00");
    assert_eq!(r.duties[1].basis, xborder::result::DutyBasis::Surcharge);
    assert_eq!(&*r.duties[1].rate, "10% of duty (IN_SWS)");
    assert_eq!(r.duties[1].amount.to_string(), "10.00");
    assert_eq!(r.duty_total.to_string(), "110.00");
    assert_eq!(r.taxes[0].base.to_string(), "1110.00");
    assert_eq!(r.tax_total.to_string(), "199.80");
    assert_eq!(r.total_payable.to_string(), "309.80");
    assert!(r.trace.iter().flatten().any(
        |t| t.step == xborder::trace::Step::Surcharge && t.rule.ends_with("surcharges.IN_SWS")
    ));

    let r = e
        .assess_json(
            &in_decl("express", "2025-06-10", "95030090", "100000.00"),
            &AssessOptions::default(),
        )
        .unwrap();
    assert_eq!(r.duty_total.to_string(), "11000.00");
    assert_eq!(r.tax_total.to_string(), "19980.00");
    assert_eq!(r.total_payable.to_string(), "30980.00");
    assert_eq!(r.category.code, 3);
}

/// Customs Act s. 25(6): duty "equal to or less than Rs. 100" is not collected — a duty of
/// exactly 100.00 is waived, 100.01 is not. A gift by post at heading 9804 (10 % from April
/// 2026, no Social Welfare Surcharge) isolates the waiver.
#[test]
fn in_small_duty_waiver_is_inclusive() {
    let e = Engine::embedded().unwrap();
    let at = |value: &str| {
        let mut d: serde_json::Value =
            serde_json::from_str(&in_decl("postal", "2026-05-04", "95030090", value)).unwrap();
        d["transaction"] = json!("C2C");
        d["items"][0]["nature"] = json!("gift");
        e.assess_json(&d.to_string(), &AssessOptions::default())
            .unwrap()
    };
    // 10 % of 1,000 = 100.00: waived; IGST 18 % of 1,000.
    let r = at("1000.00");
    assert_eq!(r.duty_total.to_string(), "0.00");
    assert_eq!(
        r.duties[0].basis,
        xborder::result::DutyBasis::MinimumCollectable
    );
    assert_eq!(r.tax_total.to_string(), "180.00");
    // 10 % of 1,000.10 = 100.01: collected.
    let r = at("1000.10");
    assert_eq!(r.duty_total.to_string(), "100.01");
}

/// Customs Answer 1006 (issue 15 audit): the JPY 10,000 exemption covers customs duty and
/// consumption tax together and is not applied to the designated goods, so a leather handbag
/// of JPY 8,000 pays both. The caller's tariff gives the handbag 8 % (a test figure: the pack
/// has no line for 4202); a book in the same parcel keeps the exemption.
#[test]
fn jp_excluded_goods_pay_consumption_tax_too() {
    let tariff = "hs,duty,description,source,checked\n\
                  420221,8%,leather handbag (test figure),caller tariff for this test,2026-12-01\n";
    let e = Engine::builder().tariff("JP", tariff).build().unwrap();
    let d = json!({
        "id": "jp-1006", "date": "2025-06-02", "destination": "JP", "channel": "postal", "currency": "JPY",
        "items": [
            {"description": "Leather handbag", "hs_code": "420221", "quantity": 1, "value": "8000", "origin": "IT"},
            {"description": "Printed book", "hs_code": "490199", "quantity": 1, "value": "1000", "origin": "IT"}
        ],
        "seller": {"name": "S", "country": "IT"},
        "consignee": consignee("JP")
    });
    // Valued at the price paid (not for personal use), so the figures are the declared ones.
    let r = e
        .assess_json(
            &d.to_string(),
            &AssessOptions::traced().option("jp_personal_use_valuation", "not_personal_use"),
        )
        .unwrap();
    // Duty: 8,000 × 8 % = 640 → JPY 100 truncation → 600; the book stays relieved.
    assert_eq!(r.duties[0].amount.to_string(), "600");
    assert_eq!(r.duties[1].basis, xborder::result::DutyBasis::DeMinimis);
    // National consumption tax on the handbag only: (8,000 + 600) → 8,000 × 7.8 % = 624 → 600.
    let national: Vec<_> = r
        .taxes
        .iter()
        .filter(|t| t.basis.is_none() && !t.amount.0.is_zero())
        .collect();
    assert_eq!(national.len(), 1, "{:?}", r.taxes);
    assert_eq!(national[0].base.to_string(), "8000");
    assert_eq!(national[0].amount.to_string(), "600");
    assert_eq!(r.category.code, 3);
}
