//! The tables of the declaration (`declaration.rs`) and of the return declaration that holds one
//! (`refund.rs`), which the compact reader reads in the builds without `serde-error-paths` (the
//! WASM package): [`Declaration::from_json_strict`] and `Engine::refund_json` then go through
//! here instead of serde's derived readers. Each table lists its struct's fields as the
//! derive declares them, in the same order (serde lists them so in `unknown field`, and reads an
//! array of them in that order), and every table is positional, as every derived struct is. The
//! tests of `decode.rs` and `json_path_tests.rs` compare both readers, errors included.
//!
//! [`Declaration::from_json_strict`]: crate::declaration::Declaration::from_json_strict

use super::{boxed_default, take, Boxed, Decode, Kind, Table, UnitTable};
use crate::date::Date;
use crate::declaration::{
    Address, Carrier, CarrierKind, Channel, CollectedAtSale, Consignee, ConsigneeKind, Declaration,
    Incoterm, Item, Metal, MetalContent, Nature, Party, PriorPurchase, QuantityUnit, Registration,
    Text, Transaction,
};
use crate::money::{Amount, Quantity};
use crate::refund::{Paid, ReturnDeclaration, ReturnReason, ReturnedItem};
use crate::timestamp::Timestamp;

table!(positional Declaration {
    id: Text,
    date: Date,
    destination: Text,
    regime: Option<Text> = default,
    transaction: Transaction = default,
    channel: Channel = default,
    currency: Text,
    items: Vec<Item>,
    shipping: Amount = default,
    insurance: Amount = default,
    seller: Party,
    marketplace: Option<Party> = default,
    carrier: Option<Carrier> = default,
    consignee: Consignee,
    incoterm: Incoterm = default,
    collected_at_sale: Option<CollectedAtSale> = default,
    lodged_at: Option<Timestamp> = default,
    arrival_at: Option<Timestamp> = default,
    dispatch_country: Option<Text> = default,
    prior_purchases: Vec<PriorPurchase> = default,
});

table!(positional PriorPurchase {
    date: Date,
    value: Amount,
    currency: Option<Text> = default,
});

table!(positional Item {
    description: Text,
    hs_code: Option<Text> = default,
    quantity: Quantity,
    quantity_unit: QuantityUnit = default,
    value: Amount,
    origin: Option<Text> = default,
    net_mass_kg: Option<Quantity> = default,
    gross_mass_kg: Option<Quantity> = default,
    nature: Nature = default,
    metal_content: Vec<MetalContent> = default,
});

table!(positional MetalContent {
    metal: Metal,
    mass_kg: Option<Quantity> = default,
    value: Option<Amount> = default,
});

table!(positional Party {
    name: Text,
    country: Option<Text> = default,
    registrations: Vec<Registration> = default,
    aeo: bool = default,
});

table!(positional Registration {
    scheme: Text,
    number: Text,
});

table!(positional Carrier {
    name: Text,
    kind: Option<CarrierKind> = default,
    aeo: bool = default,
    schemes: Vec<Text> = default,
});

table!(positional Consignee {
    name: Text,
    kind: ConsigneeKind = default,
    country: Option<Text> = default,
    tax_id: Option<Text> = default,
    address: Option<Address> = default,
});

table!(positional Address {
    line1: Option<Text> = default,
    city: Option<Text> = default,
    postcode: Option<Text> = default,
    country: Option<Text> = default,
    subdivision: Option<Text> = default,
});

table!(positional CollectedAtSale {
    scheme: Text,
    tax_amount: Amount,
});

table!(positional ReturnDeclaration {
    id: Text,
    original: Declaration,
    returned_on: Date,
    reason: ReturnReason,
    items: Vec<ReturnedItem>,
    paid: Paid = default,
});

table!(positional ReturnedItem {
    item: usize,
    quantity: Option<Quantity> = default,
});

table!(positional Paid {
    duty: Option<Amount> = default,
    tax_at_sale: Option<Amount> = default,
    tax_at_import: Option<Amount> = default,
    fees: Option<Amount> = default,
});

unit_enums! {
    QuantityUnit {
        "item" => Item,
        "pair" => Pair,
        "l" => L,
        "kg" => Kg,
    }
    CarrierKind {
        "postal" => Postal,
        "express" => Express,
        "forwarder" => Forwarder,
    }
    ConsigneeKind {
        "individual" => Individual,
        "business" => Business,
    }
    Incoterm {
        "DAP" => DAP,
        "DDP" => DDP,
    }
}

#[cfg(test)]
mod tests {
    use std::fmt;

    use serde::de::DeserializeOwned;

    use super::super::{mismatch, read, Decode, Kind};
    use super::*;
    use crate::declaration::from_json_compact;
    use crate::error::{finish, from_json_scanned, from_json_scanning, from_json_tracked, Error};
    use crate::map_only::MapOnly;

    /// A read's value (`Debug`) or its error as (code, path, message).
    fn show<T: fmt::Debug>(r: Result<T, Error>) -> String {
        match r {
            Ok(v) => format!("{v:?}"),
            Err(e) => format!("{} {:?} {}", e.code.as_str(), e.path, e.message),
        }
    }

    /// `text` as a `T` read by its derived reader (plain serde_json, with the path found by
    /// scanning; no refusal of an array document, so that a struct can be read nested and as an
    /// array) and by its table; both `show`n.
    fn both<T: Decode + DeserializeOwned + fmt::Debug>(text: &str) -> [String; 2] {
        let derived = || -> Result<T, Error> {
            let mut de = serde_json::Deserializer::from_str(text);
            let value = T::deserialize(&mut de).map_err(|e| from_json_scanned(text, e))?;
            finish(de, value)
        };
        let compact = || -> Result<T, Error> {
            let mut de = serde_json::Deserializer::from_str(text);
            let value = read(&T::KIND, MapOnly(&mut de))
                .and_then(|b| b.downcast::<T>().map_err(|_| mismatch()))
                .map_err(|e| from_json_scanned(text, e))?;
            finish(de, *value)
        };
        [show(derived()), show(compact())]
    }

    /// For each struct: the same field list (in `unknown field`), the same first required
    /// field, the same refusals of a wrong JSON type, of each field repeated or of a wrong type,
    /// and the same positional reads (too short, too long, wrong elements).
    fn same_shape<T: Decode + DeserializeOwned + fmt::Debug>() {
        let name = std::any::type_name::<T>();
        let Kind::Struct(table) = T::KIND else {
            panic!("{name} is not read as a struct");
        };
        let n = table.fields.len();
        let nulls = |k: usize| format!("[{}]", vec!["null"; k].join(","));
        let mut texts: Vec<String> = [
            r#"{"zz_unknown":1}"#,
            "{}",
            "1",
            "\"x\"",
            "null",
            "[]",
            "[null]",
            "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21]",
            "[\"x\"]",
            "{",
            "[",
        ]
        .map(String::from)
        .to_vec();
        texts.extend([nulls(n), nulls(n + 1)]);
        for field in table.fields {
            for value in ["null", "1", "\"x\"", "[]", "{}", "true"] {
                texts.push(format!(r#"{{"{field}":{value},"{field}":{value}}}"#));
                texts.push(format!(r#"{{"{field}":{value}}}"#));
            }
        }
        for text in &texts {
            let [derived, compact] = both::<T>(text);
            assert_eq!(derived, compact, "{name} {text}");
        }
    }

    #[test]
    fn every_declaration_table_has_the_fields_of_its_struct() {
        same_shape::<Declaration>();
        same_shape::<PriorPurchase>();
        same_shape::<Item>();
        same_shape::<MetalContent>();
        same_shape::<Party>();
        same_shape::<Registration>();
        same_shape::<Carrier>();
        same_shape::<Consignee>();
        same_shape::<Address>();
        same_shape::<CollectedAtSale>();
        same_shape::<ReturnDeclaration>();
        same_shape::<ReturnedItem>();
        same_shape::<Paid>();
    }

    /// A small declaration, with `parts` (`("key", "value")`) in place of its own or added.
    fn declaration(parts: &[(&str, &str)]) -> String {
        let mut fields = vec![
            ("id", r#""o-1""#),
            ("date", r#""2026-03-01""#),
            ("destination", r#""FR""#),
            ("currency", r#""EUR""#),
            (
                "items",
                r#"[{"description":"Shirt","quantity":"1","value":"20.00"}]"#,
            ),
            ("seller", r#"{"name":"S","country":"CN"}"#),
            ("consignee", r#"{"name":"C"}"#),
        ];
        for &(key, value) in parts {
            match fields.iter_mut().find(|(k, _)| *k == key) {
                Some(field) => field.1 = value,
                None => fields.push((key, value)),
            }
        }
        let fields: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
        format!("{{{}}}", fields.join(",\n"))
    }

    /// Declarations with parts written as arrays (and other texts the fast reader declines):
    /// the compact reader gives what the package's derived reader gave (`from_json_scanning`),
    /// value or error; and the CLI's reader (`from_json_tracked`) the same.
    #[test]
    fn positional_declarations_read_as_serde_reads_them() {
        let mut texts: Vec<String> = [
            r#"["S","CN"]"#,
            r#"["S"]"#,
            r#"["S",null,[["IOSS","IM1"]],true]"#,
            "[]",
            r#"["S",1]"#,
            r#"["S","CN",[],true,1]"#,
            r#"["S","CN",[["IOSS"]]]"#,
            r#"["S","CN",[["IOSS","IM1","x"]]]"#,
        ]
        .iter()
        .map(|seller| declaration(&[("seller", seller)]))
        .collect();
        let items = r#"[["Shirt","610910",2,"item","20.00","CN","0.1",1e2,"sale",[["steel","0.1","1.00"]]]]"#;
        for parts in [
            &[("carrier", r#"["DHL","express",true,["EU_SA"]]"#)][..],
            &[("carrier", r#"["DHL","rocket"]"#)],
            &[(
                "consignee",
                r#"{"name":"C","address":["1 Rue","Paris","75001","FR",null]}"#,
            )],
            &[("consignee", r#"["C","business","FR","X1",[null,"Paris"]]"#)],
            &[("items", items)],
            &[("items", r#"[["Shirt"]]"#)],
            &[("items", r#"[["Shirt",null,"1"]]"#)],
            &[(
                "items",
                r#"[["Shirt",null,1.5e0,"kg","20.00"],["Mug",null,"1","pair","5"]]"#,
            )],
            &[(
                "items",
                r#"[["Shirt",null,"1","item","20.00",null,null,null,"gift",[["aluminum"]]]]"#,
            )],
            &[("items", r#"[["Shirt",null,"1","item",20.00]]"#)],
            &[("collected_at_sale", r#"["IOSS","4.00"]"#)],
            &[("collected_at_sale", r#"["IOSS",4.00]"#)],
            &[(
                "prior_purchases",
                r#"[["2026-02-01","10.00"],["2026-02-02","5.00","USD"]]"#,
            )],
            &[("prior_purchases", r#"[["2026-02-31","10.00"]]"#)],
            &[(
                "items",
                r#"[{"description":"12\" vinyl","quantity":"1","value":"20.00"}]"#,
            )],
            &[
                ("regime", "null"),
                ("incoterm", r#""DDP""#),
                ("lodged_at", r#""2026-03-01T10:00:00Z""#),
            ],
            &[("lodged_at", r#"["2026-03-01T10:00:00Z"]"#)],
            &[
                ("marketplace", r#"["M","IE",[],false]"#),
                ("dispatch_country", "null"),
            ],
        ] {
            texts.push(declaration(parts));
        }
        for text in &texts {
            let package = show(from_json_scanning::<Declaration>(text));
            let compact = show(from_json_compact(text));
            assert_eq!(package, compact, "{text}");
            let cli = show(from_json_tracked::<Declaration>(text));
            assert_eq!(cli, compact, "the CLI's reader: {text}");
        }
    }
}
