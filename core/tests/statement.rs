//! Account-based statements: per operator and period, reconciling to the cent.

use rust_decimal::Decimal;
use serde_json::{json, Value};
use xborder::statement::{Period, Statement, StatementBuilder};
use xborder::{AssessOptions, Declaration, Engine};

fn decl(id: &str, date: &str, dest: &str, value: &str, seller: Value) -> Value {
    json!({
        "id": id, "date": date, "destination": dest, "currency": if dest == "GB" { "GBP" } else { "EUR" },
        "items": [{"description": "Cotton T-shirt", "hs_code": "610910", "quantity": 1,
                   "value": value, "origin": "CN"}],
        "shipping": "5.00",
        "seller": seller,
        "consignee": {"name": "Buyer", "country": dest}
    })
}

fn ioss_seller() -> Value {
    json!({"name": "Shop, Ltd", "country": "CN", "registrations": [{"scheme": "IOSS", "number": "IM2500000001"}]})
}

fn statement(engine: &Engine, decls: &[Value], period: Period) -> (Statement, Decimal) {
    let mut builder = StatementBuilder::new(period);
    let mut total = Decimal::ZERO;
    for d in decls {
        let d: Declaration = serde_json::from_value(d.clone()).unwrap();
        let r = engine.assess(&d, &AssessOptions::default()).unwrap();
        total += r.total_payable.0;
        builder.add(&d, &r, Some(engine)).unwrap();
    }
    (builder.finish(), total)
}

#[test]
fn an_ioss_return_per_member_state_a_carrier_remittance_and_the_border() {
    let engine = Engine::embedded().unwrap();
    let mut sa = decl(
        "sa-1",
        "2026-03-20",
        "DE",
        "50.00",
        json!({"name": "Plain Shop", "country": "CN"}),
    );
    sa["channel"] = json!("postal");
    sa["carrier"] = json!({"name": "Deutsche Post", "kind": "postal", "schemes": ["EU_SA"]});
    let decls = [
        decl("i-1", "2026-03-02", "DE", "40.00", ioss_seller()), // DE VAT 19 % of 45.00 = 8.55
        decl("i-2", "2026-03-31", "DE", "95.00", ioss_seller()), // 19 % of 100.00 = 19.00
        decl("i-3", "2026-03-15", "IT", "45.00", ioss_seller()), // IT VAT 22 % of 50.00 = 11.00
        decl("i-4", "2026-04-01", "DE", "40.00", ioss_seller()), // next month
        sa,
        decl(
            "b-1",
            "2026-03-10",
            "DE",
            "400.00",
            json!({"name": "Big Shop", "country": "CN"}),
        ),
    ];
    let (s, assessed) = statement(&engine, &decls, Period::Month);
    assert!(s.reconciles(), "{:#?}", s.reconciliation);
    let stated: Decimal = s.accounts.iter().map(|a| a.total.0).sum();
    assert_eq!(stated, assessed);

    let seller_march = s
        .accounts
        .iter()
        .find(|a| a.operator.role == "seller" && a.period == "2026-03")
        .unwrap();
    assert_eq!(seller_march.operator.scheme.as_deref(), Some("IOSS"));
    assert_eq!(
        seller_march.operator.registration.as_deref(),
        Some("IM2500000001")
    );
    assert_eq!(seller_march.consignments, 3);
    let by_state: Vec<(&str, &str, String, u64)> = seller_march
        .lines
        .iter()
        .map(|l| {
            (
                l.member_state.as_ref(),
                l.rate.as_str(),
                l.amount.0.to_string(),
                l.consignments,
            )
        })
        .collect();
    assert_eq!(
        by_state,
        [
            ("DE", "19%", "27.55".to_string(), 2),
            ("IT", "22%", "11.00".to_string(), 1)
        ]
    );
    assert_eq!(seller_march.lines[0].owed_to, "tax authority of DE");
    assert_eq!(seller_march.lines[0].base.0.to_string(), "145.00");
    assert_eq!(seller_march.total.0.to_string(), "38.55");

    let seller_april = s
        .accounts
        .iter()
        .find(|a| a.operator.role == "seller" && a.period == "2026-04")
        .unwrap();
    assert_eq!(seller_april.total.0.to_string(), "8.55");

    let carrier = s
        .accounts
        .iter()
        .find(|a| a.operator.role == "carrier")
        .unwrap();
    assert_eq!(carrier.operator.name, "Deutsche Post");
    assert_eq!(carrier.operator.scheme.as_deref(), Some("EU_SA"));
    assert_eq!(carrier.lines[0].owed_to, "customs of DE");
    assert!(!carrier.total.0.is_zero());

    let border = s
        .accounts
        .iter()
        .find(|a| a.operator.role == "border")
        .unwrap();
    assert!(border.lines.iter().any(|l| l.component == "duty"));
    assert_eq!(border.consignments, 1);

    // Quarterly: the IOSS seller has one account for Q1 and one for Q2.
    let (q, _) = statement(&engine, &decls, Period::Quarter);
    let periods: Vec<&str> = q
        .accounts
        .iter()
        .filter(|a| a.operator.role == "seller")
        .map(|a| a.period.as_str())
        .collect();
    assert_eq!(periods, ["2026-Q1", "2026-Q2"]);
}

#[test]
fn gb_point_of_sale_registrants_are_named_by_their_vat_number() {
    let engine = Engine::embedded().unwrap();
    let mut d = decl(
        "g-1",
        "2025-10-01",
        "GB",
        "40.00",
        json!({"name": "US Shop", "country": "US"}),
    );
    d["marketplace"] = json!({"name": "Market", "country": "US",
                              "registrations": [{"scheme": "GB_VAT", "number": "GB123456789"}]});
    let (s, _) = statement(&engine, &[d], Period::Month);
    assert!(s.reconciles());
    let a = &s.accounts[0];
    assert_eq!(a.operator.role, "marketplace");
    assert_eq!(a.operator.scheme.as_deref(), Some("GB_POS"));
    assert_eq!(a.operator.registration.as_deref(), Some("GB123456789"));
    assert_eq!(a.lines[0].charged, "at_sale");
    assert_eq!(a.lines[0].amount.0.to_string(), "9.00"); // 20 % of 45.00
}

#[test]
fn csv_has_one_row_per_line_and_quotes_names() {
    let engine = Engine::embedded().unwrap();
    let decls = [
        decl("i-1", "2026-03-02", "DE", "40.00", ioss_seller()),
        decl("i-3", "2026-03-15", "IT", "45.00", ioss_seller()),
    ];
    let (s, _) = statement(&engine, &decls, Period::Month);
    let csv = s.to_csv();
    let rows: Vec<&str> = csv.lines().collect();
    assert!(rows[0].starts_with("period,regime,currency,operator_role"));
    assert_eq!(rows.len(), 3);
    assert_eq!(
        rows[1],
        "2026-03,EU,EUR,seller,\"Shop, Ltd\",IOSS,IM2500000001,DE,tax,VAT,19%,at_sale,tax authority of DE,1,45.00,8.55"
    );
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["period"], "month");
    assert_eq!(json["reconciliation"][0]["difference"], "0.00");
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn consignment() -> impl Strategy<Value = Value> {
        (
            1u32..80_000,
            0usize..4,
            0usize..4,
            1u32..=28,
            1u32..=12,
            0usize..3,
        )
            .prop_map(|(cents, dest, kind, day, month, seller)| {
                let (dest, currency) = [("DE", "EUR"), ("FR", "EUR"), ("IT", "EUR"), ("GB", "GBP")][dest];
                let year = if month % 2 == 0 { 2025 } else { 2026 };
                let seller_name = ["A", "B", "C"][seller];
                let mut d = json!({
                    "id": format!("p-{cents}"), "date": format!("{year}-{month:02}-{day:02}"),
                    "destination": dest, "currency": currency,
                    "items": [{"description": "Cotton T-shirt", "hs_code": "610910", "quantity": 1,
                               "value": format!("{}.{:02}", cents / 100, cents % 100), "origin": "CN"},
                              {"description": "Knitted jersey", "hs_code": "611020", "quantity": 2,
                               "value": "12.34", "origin": "CN"}],
                    "shipping": "4.99",
                    "seller": {"name": seller_name, "country": "CN"},
                    "consignee": {"name": "Buyer", "country": dest}
                });
                match kind {
                    0 if dest == "GB" => {
                        d["seller"]["registrations"] = json!([{"scheme": "GB_VAT", "number": "GB123456789"}]);
                    }
                    0 => {
                        d["seller"]["registrations"] = json!([{"scheme": "IOSS", "number": "IM2500000001"}]);
                    }
                    1 if dest != "GB" => {
                        d["channel"] = json!("postal");
                        d["carrier"] = json!({"name": "Post", "kind": "postal", "schemes": ["EU_SA"]});
                    }
                    2 => d["incoterm"] = json!("DDP"),
                    _ => {}
                }
                d
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Whatever the mix of schemes, periods and currencies, each currency's statement
        /// total is the sum of its assessments' total payable, to the cent, and each
        /// account's total is the sum of its lines.
        #[test]
        fn statements_reconcile_to_the_cent(decls in proptest::collection::vec(consignment(), 1..25)) {
            let engine = Engine::embedded().unwrap();
            let mut builder = StatementBuilder::new(Period::Month);
            let mut by_currency: std::collections::BTreeMap<String, Decimal> = Default::default();
            for d in &decls {
                let d: Declaration = serde_json::from_value(d.clone()).unwrap();
                let r = engine.assess(&d, &AssessOptions::default()).unwrap();
                *by_currency.entry(r.currency.to_string()).or_default() += r.total_payable.0;
                builder.add(&d, &r, Some(&engine)).unwrap();
            }
            let s = builder.finish();
            prop_assert!(s.reconciles(), "{:#?}", s.reconciliation);
            for r in &s.reconciliation {
                prop_assert_eq!(r.statement_total.0, by_currency[r.currency.as_ref()]);
            }
            for a in &s.accounts {
                let sum: Decimal = a.lines.iter().map(|l| l.amount.0).sum();
                prop_assert_eq!(sum, a.total.0);
                prop_assert!(a.lines.iter().all(|l| l.amount.0 >= Decimal::ZERO));
            }
        }
    }
}

#[test]
fn remessa_conforme_remits_import_tax_and_icms_collected_at_purchase() {
    let engine = Engine::embedded().unwrap();
    // Worked example derived from the RTS and ICMS rules: CIF USD 100 from a certified
    // seller: II 40.00 and ICMS 28.67, both charged at purchase, so both are on the seller's account and nothing is left for the border.
    let d = json!({
        "id": "br-1", "date": "2024-09-10", "destination": "BR", "currency": "USD",
        "items": [{"description": "Cotton T-shirt", "hs_code": "610910", "quantity": 1,
                   "value": "90.00", "origin": "CN"}],
        "shipping": "10.00",
        "seller": {"name": "Example Marketplace Ltd", "country": "CN",
                   "registrations": [{"scheme": "BR_PRC", "number": "PRC-000123"}]},
        "consignee": {"name": "Ana", "country": "BR",
                      "address": {"line1": "Av. Paulista 1000", "city": "Sao Paulo",
                                  "postcode": "01310-100", "country": "BR", "subdivision": "BR-SP"}}
    });
    let (s, assessed) = statement(&engine, &[d], Period::Month);
    assert!(s.reconciles(), "{:#?}", s.reconciliation);
    assert_eq!(assessed.to_string(), "68.67");
    assert_eq!(s.accounts.len(), 1, "{:#?}", s.accounts);
    let seller = &s.accounts[0];
    assert_eq!(seller.operator.role, "seller");
    assert_eq!(seller.operator.scheme.as_deref(), Some("BR_PRC"));
    let lines: Vec<(&str, &str, String, &str)> = seller
        .lines
        .iter()
        .map(|l| {
            (
                l.component,
                l.charged,
                l.amount.0.to_string(),
                l.owed_to.as_str(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("duty", "at_sale", "40.00".to_string(), "customs of BR-SP"),
            (
                "tax",
                "at_sale",
                "28.67".to_string(),
                "tax authority of BR-SP"
            )
        ]
    );
}
