//! Issue 15's mechanisms beyond what the conformance vectors show: the loader's checks on the
//! new pack keys, and the edges of the personal-use valuation.

use serde_json::{json, Value};
use xborder::{AssessOptions, Engine, ErrorCode};

fn pack(id: &str) -> Value {
    let text = std::fs::read_to_string(format!(
        "{}/../regimes/{id}/pack.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn load(p: &Value) -> Result<Engine, xborder::Error> {
    Engine::builder()
        .without_embedded()
        .regime_json(p.to_string())
        .build()
}

#[test]
fn new_keys_are_checked_when_the_pack_loads() {
    // A flat-duty count option must only offer the counts the engine knows.
    let mut eu = pack("EU");
    eu["versions"][1]["options"]["flat_duty_per"]["values"] =
        json!(["declaration_line", "per_parcel"]);
    let e = load(&eu).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidPack, "{e}");
    assert!(
        e.path
            .as_deref()
            .unwrap()
            .ends_with("options.flat_duty_per.values"),
        "{e:?}"
    );

    // A personal-use share is a percentage above zero.
    let mut jp = pack("JP");
    jp["versions"][0]["valuation"]["personal_use"]["rate"] = json!("0");
    let e = load(&jp).unwrap_err();
    assert!(
        e.path
            .as_deref()
            .unwrap()
            .ends_with("valuation.personal_use.rate"),
        "{e:?}"
    );

    // Every gate of a simplified rate names a declared option and reading.
    let mut india = pack("IN");
    india["versions"][0]["simplified_rates"][5]["when_options"][0]["reading"] = json!("someday");
    let e = load(&india).unwrap_err();
    assert!(
        e.path.as_deref().unwrap().contains("when_options[0]"),
        "{e:?}"
    );
}

/// Gold keeps its full value under Japan's personal-use valuation (Basic Circular 4の6-2(3):
/// goods with an international market price), while the other line is valued at 60 %.
#[test]
fn personal_use_valuation_spares_gold_and_business_consignees() {
    let engine = Engine::embedded().unwrap();
    let decl = |kind: &str| {
        json!({
            "id": "jp-gold", "date": "2025-06-02", "destination": "JP", "channel": "postal",
            "currency": "JPY",
            "items": [
                {"description": "Gold bar", "hs_code": "710812", "quantity": 1, "value": "5000", "origin": "CH"},
                {"description": "Cork stoppers", "hs_code": "450310", "quantity": 1, "value": "5000", "origin": "CH"}
            ],
            "seller": {"name": "S", "country": "CH"},
            "consignee": {"name": "C", "kind": kind, "country": "JP",
                          "address": {"line1": "1", "city": "T", "postcode": "1", "country": "JP"}}
        })
        .to_string()
    };
    let r = engine
        .assess_json(&decl("individual"), &AssessOptions::traced())
        .unwrap();
    // 5,000 (gold, full) + 3,000 (60 % of 5,000).
    assert_eq!(r.customs_value.to_string(), "8000");
    assert!(r
        .trace
        .iter()
        .flatten()
        .any(|t| t.rule.ends_with("valuation.personal_use")));
    // A business consignee is never valued this way.
    let r = engine
        .assess_json(&decl("business"), &AssessOptions::default())
        .unwrap();
    assert_eq!(r.customs_value.to_string(), "10000");
}

/// A fee owed by one party and collected by another (`collector`), charged only on the
/// transactions it names: the shape of Romania's logistics tax (owed by the seller or platform,
/// collected by the carrier, on sales to natural persons), here on a test fee in euro.
#[test]
fn fee_collector_and_transactions() {
    let mut eu = pack("EU");
    eu["versions"][1]["fees"]
        .as_array_mut()
        .unwrap()
        .push(json!({
            "id": "TEST_PARCEL_LEVY", "kind": "logistics_tax", "name": "Test parcel levy",
            "amount": "5", "currency": "EUR", "per": "consignment", "subdivisions": ["DE"],
            "transactions": ["B2C"], "only_if_payable": false, "payer": "registrant",
            "collector": "carrier", "in_tax_base": false, "source": "test", "checked": "2026-12-01",
            "confidence": "confirmed"
        }));
    let engine = load(&eu).unwrap();
    let decl = |transaction: &str, marketplace: bool| {
        let mut d = json!({
            "id": "fee-collector", "date": "2026-08-03", "destination": "DE", "channel": "express",
            "currency": "EUR", "transaction": transaction,
            "items": [{"description": "T-shirt, cotton, knitted", "hs_code": "610910", "quantity": 1,
                       "value": "20.00", "origin": "CN", "net_mass_kg": "0.2"}],
            "seller": {"name": "S", "country": "CN"},
            "consignee": {"name": "C", "kind": "individual", "country": "DE",
                          "address": {"line1": "1", "city": "B", "postcode": "10115", "country": "DE"}}
        });
        if marketplace {
            d["marketplace"] = json!({"name": "M", "country": "CN"});
        }
        d.to_string()
    };
    let fee = |decl: String| {
        let r = engine
            .assess_json(&decl, &AssessOptions::default())
            .unwrap();
        let v = serde_json::to_value(&r).unwrap();
        v["fees"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == "TEST_PARCEL_LEVY")
            .cloned()
    };
    let sale = fee(decl("B2C", false)).expect("charged on a B2C sale");
    assert_eq!(sale["payer"], "seller");
    assert_eq!(sale["collector"], "carrier");
    assert_eq!(sale["amount"], "5.00");
    let platform = fee(decl("B2C", true)).unwrap();
    assert_eq!(platform["payer"], "marketplace");
    assert_eq!(platform["collector"], "carrier");
    assert!(
        fee(decl("C2C", false)).is_none(),
        "not on a private consignment"
    );
}

/// `below` is strict where `ceiling` is not: Romania's logistics tax falls on parcels whose
/// declared value is "below" EUR 150, so a parcel of exactly EUR 150.00 pays nothing while the
/// EU's own EUR 150 limits hold at 150.00. A `below` on the tax amount is refused at load.
#[test]
fn fee_below_is_strict() {
    let test_fee = |basis: &str| {
        json!({
            "id": "TEST_BELOW", "kind": "logistics_tax", "name": "Test fee below a value",
            "amount": "5", "per": "consignment", "subdivisions": ["DE"],
            "below": {"amount": "150", "basis": basis}, "only_if_payable": false,
            "payer": "registrant", "in_tax_base": false, "source": "test",
            "checked": "2026-12-01", "confidence": "confirmed"
        })
    };
    let mut eu = pack("EU");
    eu["versions"][1]["fees"]
        .as_array_mut()
        .unwrap()
        .push(test_fee("intrinsic"));
    let engine = load(&eu).unwrap();
    let charged = |value: &str| {
        let d = json!({
            "id": "fee-below", "date": "2026-08-03", "destination": "DE", "channel": "express",
            "currency": "EUR",
            "items": [{"description": "Coat, wool", "hs_code": "620211", "quantity": 1,
                       "value": value, "origin": "CN", "net_mass_kg": "1"}],
            "seller": {"name": "S", "country": "CN"},
            "consignee": {"name": "C", "kind": "individual", "country": "DE",
                          "address": {"line1": "1", "city": "B", "postcode": "10115", "country": "DE"}}
        });
        let r = engine
            .assess_json(&d.to_string(), &AssessOptions::default())
            .unwrap();
        serde_json::to_value(&r).unwrap()["fees"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "TEST_BELOW")
    };
    assert!(charged("149.99"));
    assert!(!charged("150.00"), "150.00 is not below 150");

    let mut bad = pack("EU");
    bad["versions"][1]["fees"]
        .as_array_mut()
        .unwrap()
        .push(test_fee("tax_amount"));
    let e = load(&bad).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidPack, "{e}");
    assert!(e.path.as_deref().unwrap().ends_with("below.basis"), "{e:?}");
}
