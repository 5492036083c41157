//! A compact reader of regime packs, risk profiles, return rules and the JSON rate table
//! (`decode/rules.rs`), for the builds without `data-error-paths` (the WASM package; issue 17).
//!
//! serde's derived `Deserialize` writes, for every struct, a visitor of its own: key matching,
//! one `Option` slot per field with its type, duplicate and missing-field checks, each nested
//! visitor inlined. For the forty-odd pack structs that was the largest part of the WASM
//! module's code (BENCHMARKS.md, WASM: `VersionFile`'s `visit_map` alone 96 kB before
//! `wasm-opt`). Here a struct is data instead: a [`Table`] of its field names, how each field
//! is read ([`Kind`]) and what a missing field becomes, read by one visitor ([`StructVisitor`])
//! that is compiled once, plus a small function that moves the read fields into the struct.
//! Values travel as `Box<dyn Any>` between the two.
//!
//! The declaration's structs have tables too (`decode/declaration.rs`): without
//! `serde-error-paths` (the WASM package) [`crate::declaration::Declaration::from_json_strict`]
//! reads through here, and the derived declaration reader is not compiled into the module.
//! Unlike pack structs, which refuse a struct written as an array ([`crate::map_only`]), those
//! tables are *positional* ([`Table::positional`]): an array of the fields in order is read as
//! the derived `visit_seq` reads it ([`StructVisitor`]), so the package accepts what serde
//! accepts.
//!
//! The reader drives serde_json's own parser through the same calls, in the same order, as the
//! derived visitors (`deserialize_map` for a struct, as [`crate::map_only`] reads it, or
//! `deserialize_struct` for a positional one;
//! `deserialize_option`, `deserialize_seq`, `deserialize_identifier` for a key), and raises the
//! same errors (`unknown_field`, `duplicate_field`, `missing_field`) where they do. So serde_json
//! fixes every error at the same line and column, [`crate::json_path`] finds the same path,
//! and the codes and messages are those of the derived reader: `json_path_tests.rs` compares
//! both on every mutation of several packs, and the tests below read every embedded pack both
//! ways. Externally tagged enums are tables too ([`EnumTable`]: each variant a value or a
//! struct), and so are enums of unit variants ([`UnitTable`]: names, read by one visitor).
//! Leaves (strings, numbers, amounts, dates, goods references) keep their serde `Deserialize`,
//! each instantiated once in one `match`.
//!
//! The default build (CLI, C, Python) keeps the derived readers with `serde_path_to_error`.

// Used by the builds without `data-error-paths`, and by the tests.
#![cfg_attr(all(feature = "data-error-paths", not(test)), allow(dead_code))]

use std::any::Any;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{
    DeserializeSeed, Deserializer, EnumAccess, Error as _, Expected, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};
use serde::Deserialize;

use super::pack::*;
use crate::date::Date;
use crate::declaration::{Channel, Metal, Nature, Transaction};
use crate::error::Error;
use crate::map_only::{MapOnly, POSITIONAL};
use crate::money::{Amount, RoundingMode};

/// A value read, before it is moved into the struct that holds it.
type Boxed = Box<dyn Any>;

/// How a value is read.
pub(crate) enum Kind {
    /// By the type's own serde `Deserialize`.
    Leaf(Leaf),
    /// A struct, by its table.
    Struct(&'static Table),
    /// `Option<T>`: `null` is `None`; the function makes the typed option.
    Opt(&'static Kind, fn(Option<Boxed>) -> Option<Boxed>),
    /// `Vec<T>`; the function makes the typed vector.
    List(&'static Kind, fn(Vec<Boxed>) -> Option<Boxed>),
    /// `BTreeMap<String, T>`; the function makes the typed map (a repeated key: the last wins,
    /// as in serde's map).
    Map(&'static Kind, fn(Vec<(String, Boxed)>) -> Option<Boxed>),
    /// An externally tagged enum (`{"variant": value}`), by its table.
    Enum(&'static EnumTable),
    /// An enum of unit variants only (`"variant"`), by its table.
    Units(&'static UnitTable),
}

/// A struct as data: what its derived visitor would do, field by field.
pub(crate) struct Table {
    /// What the derived visitor expects: `struct PackFile`, `struct variant Condition::Origin`.
    expecting: &'static str,
    /// Field names in declaration order (the order serde lists them in `unknown field`).
    fields: &'static [&'static str],
    /// How each field is read.
    kinds: &'static [&'static Kind],
    /// What a missing field becomes (`None`: required).
    defaults: &'static [Option<fn() -> Boxed>],
    /// Moves the fields, every slot filled, into the struct.
    build: fn(&mut [Option<Boxed>]) -> Option<Boxed>,
    /// Also read from an array of the fields in order, as serde's derive reads any struct (the
    /// declaration's structs); `false`: an object only ([`crate::map_only`]; packs and rules).
    positional: bool,
}

/// An externally tagged enum as data: what its derived visitor would do, variant by variant.
pub(crate) struct EnumTable {
    /// The type's name, for `expected enum …`.
    name: &'static str,
    /// Variant names in declaration order (the order serde lists them in `unknown variant`).
    variants: &'static [&'static str],
    /// How each variant is read.
    forms: &'static [Variant],
}

/// An enum of unit variants only, as data: one visitor for them all instead of a derived
/// visitor each (the pack's `basis`, `collector`, `per` …).
pub(crate) struct UnitTable {
    /// The type's name, for `expected enum …`.
    name: &'static str,
    /// Variant names in declaration order.
    variants: &'static [&'static str],
    /// The variant of an index.
    make: fn(usize) -> Option<Boxed>,
}

/// How an enum's variant is read.
pub(crate) enum Variant {
    /// `Name(T)`: the value, then the function that wraps it in the variant.
    Newtype(&'static Kind, fn(Boxed) -> Option<Boxed>),
    /// `Name { … }`: the fields, by a table whose builder makes the variant.
    Struct(&'static Table),
}

/// A type the compact reader reads.
pub(crate) trait Decode: Sized + 'static {
    /// How.
    const KIND: Kind;
}

impl<T: Decode> Decode for Option<T> {
    const KIND: Kind = Kind::Opt(&T::KIND, make_option::<T>);
}

impl<T: Decode> Decode for Vec<T> {
    const KIND: Kind = Kind::List(&T::KIND, make_vec::<T>);
}

impl<T: Decode> Decode for BTreeMap<String, T> {
    const KIND: Kind = Kind::Map(&T::KIND, make_map::<T>);
}

/// The value of a field's slot, when it holds a `T` (always, unless a table is wrong). Out of
/// line: one copy per field type, not one per field.
#[inline(never)]
fn take<T: 'static>(slot: Option<&mut Option<Boxed>>) -> Option<T> {
    slot?.take()?.downcast::<T>().ok().map(|b| *b)
}

fn make_option<T: 'static>(value: Option<Boxed>) -> Option<Boxed> {
    let value: Option<T> = match value {
        None => None,
        Some(b) => Some(*b.downcast::<T>().ok()?),
    };
    Some(Box::new(value))
}

fn make_vec<T: 'static>(values: Vec<Boxed>) -> Option<Boxed> {
    let mut out: Vec<T> = Vec::with_capacity(values.len());
    for b in values {
        out.push(*b.downcast::<T>().ok()?);
    }
    Some(Box::new(out))
}

fn make_map<T: 'static>(entries: Vec<(String, Boxed)>) -> Option<Boxed> {
    let mut out: BTreeMap<String, T> = BTreeMap::new();
    for (k, b) in entries {
        out.insert(k, *b.downcast::<T>().ok()?);
    }
    Some(Box::new(out))
}

fn boxed_default<T: Default + 'static>() -> Boxed {
    Box::new(T::default())
}

fn boxed_consignment_unit() -> Boxed {
    Box::new(ThresholdUnit::Consignment)
}

/// A box of the wrong type: a table out of step with its struct (a bug, never the input's
/// fault; the tests read every embedded pack).
#[cold]
fn mismatch<E: serde::de::Error>() -> E {
    E::custom("internal error: the compact reader's tables disagree with the data types")
}

/// The leaves: types read by their own `Deserialize`, then values read by a function (a
/// field's `deserialize_with`), which a table names as `[Kind::Leaf(Leaf::…)]`.
macro_rules! leaves {
    ($($leaf:ident: $ty:ty,)* ; $($with:ident: $read:path,)*) => {
        /// A type read by its own serde `Deserialize`, or a value read by a function.
        #[derive(Clone, Copy)]
        pub(crate) enum Leaf { $($leaf,)* $($with,)* }

        $(impl Decode for $ty {
            const KIND: Kind = Kind::Leaf(Leaf::$leaf);
        })*

        /// One `match`, instantiated once for serde_json's deserializer.
        fn read_leaf<'de, D: Deserializer<'de>>(leaf: Leaf, d: D) -> Result<Boxed, D::Error> {
            match leaf {
                $(Leaf::$leaf => Ok(Box::new(<$ty>::deserialize(d)?)),)*
                $(Leaf::$with => Ok(Box::new($read(d)?)),)*
            }
        }
    };
}

leaves! {
    Str: String,
    Bool: bool,
    U8: u8,
    U32: u32,
    Date: Date,
    Amount: Amount,
    Json: serde_json::Value,
    GoodsRef: GoodsRef,
    Metal: Metal,
    I32: i32,
    Usize: usize,
    Decision: crate::release::Decision,
    Text: crate::declaration::Text,
    Quantity: crate::money::Quantity,
    Timestamp: crate::timestamp::Timestamp,
    ;
    // `RateEntry::rate`: a decimal string, never a JSON number.
    Rate: crate::exchange::rate_value,
}

/// Reads one value of `kind`. Instantiated once: every nested value comes back here with the
/// same deserializer type.
fn read<'de, D: Deserializer<'de>>(kind: &'static Kind, d: D) -> Result<Boxed, D::Error> {
    match kind {
        Kind::Leaf(leaf) => read_leaf(*leaf, d),
        Kind::Struct(table) if table.positional => {
            d.deserialize_struct(POSITIONAL, table.fields, StructVisitor(table))
        }
        Kind::Struct(table) => d.deserialize_map(StructVisitor(table)),
        Kind::Opt(inner, make) => d.deserialize_option(OptionVisitor(inner, *make)),
        Kind::List(inner, make) => d.deserialize_seq(ListVisitor(inner, *make)),
        Kind::Map(inner, make) => d.deserialize_map(MapVisitor(inner, *make)),
        Kind::Enum(table) => d.deserialize_enum(table.name, table.variants, EnumVisitor(table)),
        Kind::Units(table) => d.deserialize_enum(table.name, table.variants, UnitVisitor(table)),
    }
}

/// A value of a kind, as a seed for serde's sequence and map access.
struct KindSeed(&'static Kind);

impl<'de> DeserializeSeed<'de> for KindSeed {
    type Value = Boxed;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Boxed, D::Error> {
        read(self.0, d)
    }
}

/// A struct's fields, as the derived `visit_map` reads them.
struct StructVisitor(&'static Table);

impl<'de> Visitor<'de> for StructVisitor {
    type Value = Boxed;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.expecting)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Boxed, A::Error> {
        let table = self.0;
        let mut slots: Vec<Option<Boxed>> = table.fields.iter().map(|_| None).collect();
        while let Some(i) = map.next_key_seed(FieldSeed(table))? {
            let (Some(slot), Some(kind)) = (slots.get_mut(i), table.kinds.get(i)) else {
                return Err(mismatch());
            };
            if slot.is_some() {
                return Err(A::Error::duplicate_field(table.fields[i]));
            }
            *slot = Some(map.next_value_seed(KindSeed(kind))?);
        }
        // Missing fields in declaration order, as the derived visitor checks them.
        for ((slot, default), name) in slots.iter_mut().zip(table.defaults).zip(table.fields) {
            if slot.is_none() {
                match default {
                    Some(make) => *slot = Some(make()),
                    None => return Err(A::Error::missing_field(name)),
                }
            }
        }
        (table.build)(&mut slots).ok_or_else(mismatch)
    }

    /// A positional table's fields from an array, as the derived `visit_seq` reads them: in
    /// order, a missing trailing element the field's default (later fields still asked for) or
    /// `invalid length` when the field is required; an extra element is serde_json's
    /// `trailing characters`. Other tables refuse an array, as serde's default `visit_seq`.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Boxed, A::Error> {
        let table = self.0;
        if !table.positional {
            return Err(A::Error::invalid_type(Unexpected::Seq, &self));
        }
        let mut slots: Vec<Option<Boxed>> = Vec::with_capacity(table.fields.len());
        for (i, (kind, default)) in table.kinds.iter().zip(table.defaults).enumerate() {
            let value = match seq.next_element_seed(KindSeed(kind))? {
                Some(value) => value,
                None => match default {
                    Some(make) => make(),
                    None => return Err(A::Error::invalid_length(i, &Elements(table))),
                },
            };
            slots.push(Some(value));
        }
        (table.build)(&mut slots).ok_or_else(mismatch)
    }
}

/// What a positional struct written as a too short array expected, in the derive's words:
/// `struct Item with 10 elements`, `… with 1 element`.
struct Elements(&'static Table);

impl Expected for Elements {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.fields.len() {
            1 => write!(f, "{} with 1 element", self.0.expecting),
            n => write!(f, "{} with {n} elements", self.0.expecting),
        }
    }
}

/// A key of a struct: the field's index, or `unknown field` (every pack struct refuses unknown
/// keys).
struct FieldSeed(&'static Table);

impl<'de> DeserializeSeed<'de> for FieldSeed {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for FieldSeed {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<usize, E> {
        let fields = self.0.fields;
        fields
            .iter()
            .position(|f| *f == key)
            .ok_or_else(|| E::unknown_field(key, fields))
    }
}

/// `Option<T>` as serde reads it.
struct OptionVisitor(&'static Kind, fn(Option<Boxed>) -> Option<Boxed>);

impl<'de> Visitor<'de> for OptionVisitor {
    type Value = Boxed;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("option")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Boxed, E> {
        (self.1)(None).ok_or_else(mismatch)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Boxed, E> {
        (self.1)(None).ok_or_else(mismatch)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Boxed, D::Error> {
        let value = read(self.0, d)?;
        (self.1)(Some(value)).ok_or_else(mismatch)
    }
}

/// `Vec<T>` as serde reads it.
struct ListVisitor(&'static Kind, fn(Vec<Boxed>) -> Option<Boxed>);

impl<'de> Visitor<'de> for ListVisitor {
    type Value = Boxed;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Boxed, A::Error> {
        let mut values = Vec::new();
        while let Some(value) = seq.next_element_seed(KindSeed(self.0))? {
            values.push(value);
        }
        (self.1)(values).ok_or_else(mismatch)
    }
}

/// `BTreeMap<String, T>` as serde reads it.
struct MapVisitor(&'static Kind, fn(Vec<(String, Boxed)>) -> Option<Boxed>);

impl<'de> Visitor<'de> for MapVisitor {
    type Value = Boxed;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Boxed, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(KindSeed(self.0))?;
            entries.push((key, value));
        }
        (self.1)(entries).ok_or_else(mismatch)
    }
}

/// An externally tagged enum as serde's derived visitor reads it: the variant's name, then its
/// value (`newtype_variant`) or its fields (`struct_variant`).
struct EnumVisitor(&'static EnumTable);

impl<'de> Visitor<'de> for EnumVisitor {
    type Value = Boxed;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "enum {}", self.0.name)
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Boxed, A::Error> {
        let (i, variant) = data.variant_seed(VariantSeed(self.0.variants))?;
        match self.0.forms.get(i) {
            Some(Variant::Newtype(kind, wrap)) => {
                let value = variant.newtype_variant_seed(KindSeed(kind))?;
                wrap(value).ok_or_else(mismatch)
            }
            Some(Variant::Struct(table)) => {
                variant.struct_variant(table.fields, StructVisitor(table))
            }
            None => Err(mismatch()),
        }
    }
}

/// An enum of unit variants as serde's derived visitor reads it: the variant's name, then
/// `unit_variant` (which refuses a value, `{"variant": 1}`).
struct UnitVisitor(&'static UnitTable);

impl<'de> Visitor<'de> for UnitVisitor {
    type Value = Boxed;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "enum {}", self.0.name)
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Boxed, A::Error> {
        let (i, variant) = data.variant_seed(VariantSeed(self.0.variants))?;
        variant.unit_variant()?;
        (self.0.make)(i).ok_or_else(mismatch)
    }
}

/// An enum's variant name: its index among the names, or `unknown variant`.
struct VariantSeed(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for VariantSeed {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for VariantSeed {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("variant identifier")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<usize, E> {
        let variants = self.0;
        variants
            .iter()
            .position(|v| *v == key)
            .ok_or_else(|| E::unknown_variant(key, variants))
    }
}

/// Reads `text` as one document of type `T` (a [`PackFile`]), as `from_json_data` would
/// without `data-error-paths`: the same errors, codes and paths.
pub(crate) fn from_json<T: Decode>(text: &str) -> Result<T, Error> {
    crate::error::refuse_array_document(text, "the document")?;
    let mut de = serde_json::Deserializer::from_str(text);
    let value = read(&T::KIND, MapOnly(&mut de))
        .and_then(|b| b.downcast::<T>().map_err(|_| mismatch()))
        .map_err(|e| crate::error::from_json_scanned(text, e))?;
    crate::error::finish(de, *value)
}

/// Reads reference data whose types have tables here (risk profiles, return rules, the JSON
/// rate table): with `data-error-paths` by the derived readers with `serde_path_to_error`
/// ([`crate::error::from_json_tracked`]), without it by the compact reader ([`from_json`]),
/// with the same errors, codes and paths.
pub(crate) fn from_json_data<T: Decode + serde::de::DeserializeOwned>(
    text: &str,
) -> Result<T, Error> {
    #[cfg(feature = "data-error-paths")]
    {
        crate::error::from_json_tracked(text)
    }
    #[cfg(not(feature = "data-error-paths"))]
    {
        from_json(text)
    }
}

/// Declares the table of a struct: each field with its type, and `= default` (the type's
/// default, also what serde gives a missing `Option`) or `= <fn() -> Boxed>` when a missing
/// field is not an error, and `[kind]` after the type when the field is not read by its type's
/// own kind (a `deserialize_with`). `rule` adds the four provenance fields of the `rule!`
/// structs; `, name: value` after the braces sets fields serde skips. `positional` makes a
/// table that also reads an array of the fields ([`Table::positional`]; the declaration's).
macro_rules! table {
    (positional $ty:ident { $($body:tt)* }) => {
        impl Decode for $ty {
            const KIND: Kind = Kind::Struct(&Table {
                positional: true,
                ..table!(@table concat!("struct ", stringify!($ty)), $ty { $($body)* })
            });
        }
    };
    (rule $ty:ident { $($body:tt)* }) => {
        table!($ty {
            $($body)*
            source: String,
            checked: Date,
            confidence: Confidence = default,
            note: Option<String> = default,
        });
    };
    ($ty:ident { $($body:tt)* } $(, $extra:ident: $value:expr)*) => {
        impl Decode for $ty {
            const KIND: Kind = Kind::Struct(
                &table!(@table concat!("struct ", stringify!($ty)), $ty { $($body)* } $(, $extra: $value)*)
            );
        }
    };
    (@table $expecting:expr, $($path:ident)::+ {
        $($field:ident: $fty:ty $([$kind:expr])? $(= $default:ident)?,)*
    } $(, $extra:ident: $value:expr)*) => {
        Table {
            expecting: $expecting,
            fields: &[$(stringify!($field)),*],
            kinds: &[$(table!(@kind $fty $(, $kind)?)),*],
            defaults: &[$(table!(@default $fty $(, $default)?)),*],
            // Every field taken first, then checked at once: one drop of the tuple on the
            // (impossible) failure, not one cleanup path per field.
            build: |slots| {
                let mut slots = slots.iter_mut();
                let fields = ($(take::<$fty>(slots.next()),)*);
                let ($(Some($field),)*) = fields else {
                    return None;
                };
                Some(Box::new($($path)::+ { $($field,)* $($extra: $value,)* }))
            },
            positional: false,
        }
    };
    (@kind $fty:ty) => { &<$fty as Decode>::KIND };
    (@kind $fty:ty, $kind:expr) => { &$kind };
    (@default $fty:ty) => { None };
    (@default $fty:ty, default) => { Some(boxed_default::<$fty> as fn() -> Boxed) };
    (@default $fty:ty, $make:ident) => { Some($make as fn() -> Boxed) };
}

/// Declares the table of an externally tagged enum: each variant's serde name, then the
/// variant with its value's type in parentheses or its fields in braces (as for [`table!`]).
macro_rules! enum_table {
    ($ty:ident { $($name:literal => $variant:ident $form:tt,)* }) => {
        impl Decode for $ty {
            const KIND: Kind = Kind::Enum(&EnumTable {
                name: stringify!($ty),
                variants: &[$($name),*],
                forms: &[$(enum_table!(@form $ty $variant $form)),*],
            });
        }
    };
    (@form $ty:ident $variant:ident ($vty:ty)) => {
        Variant::Newtype(&<$vty as Decode>::KIND, |value| {
            Some(Box::new($ty::$variant(*value.downcast::<$vty>().ok()?)))
        })
    };
    (@form $ty:ident $variant:ident {}) => {
        Variant::Struct(&Table {
            expecting: concat!("struct variant ", stringify!($ty), "::", stringify!($variant)),
            fields: &[],
            kinds: &[],
            defaults: &[],
            build: |_| Some(Box::new($ty::$variant {})),
            positional: false,
        })
    };
    (@form $ty:ident $variant:ident { $($body:tt)* }) => {
        Variant::Struct(&table!(@table
            concat!("struct variant ", stringify!($ty), "::", stringify!($variant)),
            $ty::$variant { $($body)* }))
    };
}

/// Declares the tables of enums of unit variants: each variant's serde name, then the variant.
macro_rules! unit_enums {
    ($($ty:ident { $($name:literal => $variant:ident,)* })*) => {$(
        impl Decode for $ty {
            const KIND: Kind = Kind::Units(&UnitTable {
                name: stringify!($ty),
                variants: &[$($name),*],
                make: |i| {
                    const ALL: &[$ty] = &[$($ty::$variant),*];
                    Some(Box::new(*ALL.get(i)?))
                },
            });
        }
    )*};
}

unit_enums! {
    Confidence {
        "confirmed" => Confirmed,
        "secondary" => Secondary,
        "unconfirmed" => Unconfirmed,
    }
    Replaces {
        "duty" => Duty,
        "duty_and_tax" => DutyAndTax,
    }
    RoundingScope {
        "line" => Line,
        "consignment" => Consignment,
    }
    Basis {
        "intrinsic" => Intrinsic,
        "intrinsic_plus_transport" => IntrinsicPlusTransport,
        "customs_value" => CustomsValue,
        "tax_amount" => TaxAmount,
    }
    ThresholdUnit {
        "consignment" => Consignment,
        "item" => Item,
    }
    Period {
        "day" => Day,
        "calendar_year" => CalendarYear,
    }
    TaxBasePart {
        "customs_value" => CustomsValue,
        "duty" => Duty,
        "fees_in_tax_base" => FeesInTaxBase,
        "goods" => Goods,
        "shipping" => Shipping,
        "insurance" => Insurance,
        "uplift" => Uplift,
    }
    FlatDutyPer {
        "tariff_subheading" => TariffSubheading,
        "declaration_line" => DeclarationLine,
    }
    Charge {
        "duty" => Duty,
        "tax" => Tax,
    }
    GiftMode {
        "threshold" => Threshold,
        "allowance" => Allowance,
    }
    Model {
        "vendor" => Vendor,
        "intermediary" => Intermediary,
        "consumer" => Consumer,
        "border" => Border,
        "account" => Account,
    }
    Collector {
        "registrant" => Registrant,
        "seller" => Seller,
        "marketplace" => Marketplace,
        "carrier" => Carrier,
        "consignee" => Consignee,
        "customs" => Customs,
    }
    When {
        "at_sale" => AtSale,
        "at_import" => AtImport,
        "periodic" => Periodic,
    }
    TaxPoint {
        "at_sale" => AtSale,
        "at_import" => AtImport,
        "self_assessed" => SelfAssessed,
    }
    RateChoice {
        "destination" => Destination,
        "standard" => Standard,
    }
    FeePer {
        "consignment" => Consignment,
        "line" => Line,
        "item" => Item,
        "kg_gross" => KgGross,
    }
    Payer {
        "registrant" => Registrant,
        "consignee" => Consignee,
        "seller" => Seller,
        "marketplace" => Marketplace,
        "carrier" => Carrier,
    }
    NeedsMeasure {
        "content_value" => ContentValue,
        "weight_share" => WeightShare,
    }
    RoundingMode {
        "half_up" => HalfUp,
        "half_even" => HalfEven,
        "down" => Down,
        "up" => Up,
    }
    Channel {
        "postal" => Postal,
        "express" => Express,
        "freight" => Freight,
    }
    Transaction {
        "B2C" => B2C,
        "C2C" => C2C,
        "B2B" => B2B,
    }
    Nature {
        "sale" => Sale,
        "gift" => Gift,
        "sample" => Sample,
        "return" => Return,
        "document" => Document,
    }
}

// The rules files: risk profiles, return rules, the JSON rate table.
mod rules;

// The declaration (read here without `serde-error-paths`).
mod declaration;

table!(PackFile {
    format: u32,
    id: String,
    name: String,
    currency: String,
    destinations: Vec<String>,
    versions: Vec<VersionFile>,
    gaps: Vec<GapFile> = default,
    goods_lists: Vec<GoodsListFile> = default,
    exchange_rates: Option<ExchangeRatesFile> = default,
});

table!(rule GoodsListFile {
    id: String,
    name: String,
    codes: String,
    derive: Option<serde_json::Value> = default,
});

table!(rule ExchangeRatesFile {
    table: Option<String> = default,
    official: String,
});

table!(rule GapFile {
    from: Date,
    to: Option<Date> = default,
    missing: String,
});

table!(rule VersionFile {
    from: Date,
    to: Option<Date> = default,
    summary: String,
    options: BTreeMap<String, OptionFile> = default,
    rounding: RoundingSet,
    categories: CategoriesFile,
    de_minimis: DeMinimisFile,
    valuation: ValuationFile,
    taxes: TaxesFile,
    tariff: TariffFile,
    flat_duty: Option<FlatDutyFile> = default,
    gift_relief: Option<GiftReliefFile> = default,
    schemes: Vec<SchemeFile> = default,
    fees: Vec<FeeFile> = default,
    minimum_collectable: Option<MinimumCollectableFile> = default,
    excise_goods: Option<ExciseGoodsFile> = default,
    additional_duties: Vec<AdditionalDutyFile> = default,
    simplified_rates: Vec<SimplifiedRateFile> = default,
    out_of_scope: Vec<OutOfScopeFile> = default,
    surcharges: Vec<SurchargeFile> = default,
});

table!(PrefixRate {
    hs_prefix: String,
    rate: Amount,
    description: Option<String> = default,
});

table!(rule SimplifiedRateFile {
    id: String,
    name: String,
    replaces: Replaces,
    rate: Option<Amount> = default,
    rates: Vec<PrefixRate> = default,
    deduction: Option<Amount> = default,
    above: Option<Ceiling> = default,
    ceiling: Option<Ceiling> = default,
    origins: Option<Vec<String>> = default,
    channels: Option<Vec<Channel>> = default,
    transactions: Option<Vec<Transaction>> = default,
    natures: Option<Vec<Nature>> = default,
    without_surcharges: Vec<String> = default,
    schemes: Option<Vec<String>> = default,
    excluded: Vec<Exclusion> = default,
    when_option: Option<OptionGate> = default,
    when_options: Vec<OptionGate> = default,
    from: Option<Date> = default,
    to: Option<Date> = default,
});

table!(rule OutOfScopeFile {
    id: String,
    above: Option<Ceiling> = default,
    unless_schemes: Option<Vec<String>> = default,
    channels: Option<Vec<Channel>> = default,
    transactions: Option<Vec<Transaction>> = default,
    message: String,
});

table!(rule OptionFile {
    values: Vec<String>,
    default: String,
    question: String,
});

table!(RoundingSet {
    exchange: RoundingRule,
    duty: RoundingRule,
    tax: RoundingRule,
    fee: RoundingRule,
    gross_mass: Option<RoundingRule> = default,
    tax_base: Option<RoundingRule> = default,
});

table!(rule RoundingRule {
    mode: RoundingMode,
    increment: Amount,
    scope: RoundingScope = default,
});

table!(Ceiling {
    amount: Amount,
    basis: Basis,
});

table!(CategoriesFile {
    high_value_threshold: ValueThreshold,
    required_data: RequiredData,
});

table!(rule ValueThreshold {
    amount: Amount,
    basis: Basis,
});

table!(rule RequiredData {
    documents: Vec<String>,
    low_value_non_dutiable: Vec<String>,
    low_value_dutiable: Vec<String>,
    high_value: Vec<String>,
});

table!(DeMinimisFile {
    duty: Option<Threshold> = default,
    tax: Option<Threshold> = default,
});

table!(Exclusion {
    hs_prefix: String,
    reason: String,
});

table!(rule Threshold {
    amount: Amount,
    basis: Basis,
    unit: ThresholdUnit,
    excluded: Vec<Exclusion> = default,
    transactions: Option<Vec<Transaction>> = default,
    cases: Vec<ThresholdCase> = default,
    per_person: Option<PerPersonLimit> = default,
    when_option: Option<OptionGate> = default,
    also_relieves: Option<AlsoRelieves> = default,
    excluded_origins: Vec<String> = default,
});

table!(AlsoRelieves {
    charges: Vec<Charge>,
    when_option: Option<OptionGate> = default,
});

table!(OptionGate {
    option: String,
    reading: String,
});

table!(ThresholdCase {
    amount: Amount,
    origins: Option<Vec<String>> = default,
    channels: Option<Vec<Channel>> = default,
    when_option: Option<OptionGate> = default,
    basis: Option<Basis> = default,
    excluded: Vec<Exclusion> = default,
    source: Option<String> = default,
    note: Option<String> = default,
});

table!(PerPersonLimit {
    amount: Amount,
    period: Period,
    source: Option<String> = default,
});

table!(rule ValuationFile {
    customs_value: Basis,
    import_tax_base: Vec<TaxBasePart>,
    sale_tax_base: Vec<TaxBasePart>,
    uplift: Option<UpliftFile> = default,
    personal_use: Option<PersonalUseFile> = default,
});

table!(rule PersonalUseFile {
    rate: Amount,
    transactions: Option<Vec<Transaction>> = default,
    excluded: Vec<Exclusion> = default,
    when_option: Option<OptionGate> = default,
});

table!(rule UpliftFile {
    rate: Amount,
    excluded_origins: Vec<String> = default,
});

table!(TaxesFile {
    kind: String,
    standard: BTreeMap<String, Vec<DatedRate>>,
    reduced: Vec<ReducedRate> = default,
    inclusive: bool = default,
});

table!(rule DatedRate {
    from: Date,
    to: Option<Date> = default,
    rate: Amount,
});

table!(ReducedRate {
    hs_prefix: String,
    subdivision: String,
    description: String,
    rates: Vec<DatedRate>,
});

table!(rule TariffFile {
    lines: Vec<TariffLineFile>,
});

table!(rule TariffLineFile {
    hs: String,
    duty: String,
    description: String,
});

table!(rule FlatDutyFile {
    amount: Amount,
    per: FlatDutyPer,
    hs_digits: u8,
    ceiling: Ceiling,
    transactions: Option<Vec<Transaction>> = default,
    scope_option: Option<String> = default,
    per_option: Option<String> = default,
});

table!(rule SurchargeFile {
    id: String,
    name: String,
    kind: Charge,
    of: Charge,
    rate: Option<Amount> = default,
    fraction: Option<String> = default,
    bases: Option<Vec<String>> = default,
    rounding: Option<RoundingRule> = default,
    total_rounding: Option<RoundingRule> = default,
    from: Option<Date> = default,
    to: Option<Date> = default,
});

table!(rule GiftReliefFile {
    transactions: Vec<Transaction>,
    amount: Amount,
    basis: Basis,
    relieves: Vec<Charge>,
    excluded: Vec<Exclusion> = default,
    flat_rate: Option<GiftFlatRate> = default,
    mode: GiftMode = default,
});

table!(rule GiftFlatRate {
    rate: Amount,
    ceiling: Amount,
    basis: Basis,
});

table!(RegistrationRule {
    scheme: String,
    pattern: String,
    required: bool,
});

table!(rule SchemeFile {
    id: String,
    name: String,
    model: Model,
    collector: Collector,
    when: When,
    taxes: TaxPoint,
    registration: Option<RegistrationRule> = default,
    ceiling: Option<Ceiling> = default,
    ceiling_unit: ThresholdUnit = boxed_consignment_unit,
    relieves_duty: bool = default,
    duty_at_sale: bool = default,
    transactions: Option<Vec<Transaction>> = default,
    channels: Option<Vec<Channel>> = default,
    natures_excluded: Vec<Nature> = default,
    excluded: Vec<Exclusion> = default,
    requires_carrier_opt_in: bool = default,
    requires_consignee_tax_id: bool = default,
    rate: RateChoice,
    tax_share: Option<Amount> = default,
    per_person: Option<PerPersonLimit> = default,
});

table!(rule FeeFile {
    id: String,
    kind: String,
    name: String,
    amount: Amount,
    per: FeePer,
    from: Option<Date> = default,
    to: Option<Date> = default,
    subdivisions: Option<Vec<String>> = default,
    channels: Option<Vec<Channel>> = default,
    origins: Option<Vec<String>> = default,
    ceiling: Option<Ceiling> = default,
    only_if_payable: bool = default,
    payer: Payer,
    collector: Option<Payer> = default,
    transactions: Option<Vec<Transaction>> = default,
    in_tax_base: bool = default,
    taxed: bool = default,
    ad_valorem: Option<FeeAdValorem> = default,
    above: Option<Ceiling> = default,
    below: Option<Ceiling> = default,
    when_option: Option<OptionGate> = default,
    min: Option<Amount> = default,
    max: Option<Amount> = default,
    currency: Option<String> = default,
});

table!(FeeAdValorem {
    rate: Amount,
    basis: Basis,
});

table!(rule MinimumCollectableFile {
    duty: Option<Amount> = default,
    tax: Option<Amount> = default,
    when_option: Option<OptionGate> = default,
});

table!(rule ExciseGoodsFile {
    hs_prefixes: Vec<String>,
});

table!(rule AdditionalDutyFile {
    id: String,
    name: String,
    rate: Option<Amount> = default,
    rates_by_origin: BTreeMap<String, OriginRate> = default,
    rate_from: Vec<String> = default,
    specific: Option<SpecificByRate> = default,
    replaces_tariff: bool = default,
    origins: Option<Vec<String>> = default,
    excluded_origins: Vec<String> = default,
    excluded: Vec<Exclusion> = default,
    checked_goods: Option<Vec<String>> = default,
    goods: Option<Vec<GoodsRef>> = default,
    excluded_goods: Vec<GoodsRef> = default,
    channels: Option<Vec<Channel>> = default,
    from: Option<Date> = default,
    to: Option<Date> = default,
    when_option: Option<OptionGate> = default,
    missing: Option<String> = default,
    tariff_column: Option<String> = default,
    in_lieu_of: Vec<String> = default,
    needs: Option<DutyNeeds> = default,
});

table!(DutyNeeds {
    fact: String,
    measure: Option<NeedsMeasure> = default,
    metals: Vec<Metal> = default,
    at_least: Option<Amount> = default,
});

table!(OriginRate {
    rate: Option<Amount> = default,
    missing: Option<String> = default,
    source: Option<String> = default,
    note: Option<String> = default,
});

table!(SpecificByRate {
    per: FeePer,
    bands: Vec<RateBand>,
});

table!(RateBand {
    below: Option<Amount> = default,
    up_to: Option<Amount> = default,
    amount: Amount,
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{from_json_map_only, from_json_tracked};
    use crate::regime::Regime;

    /// Every embedded pack reads to the same value both ways (and by the objects-only plain
    /// read `Regime::from_embedded_json` tries first), and compiles to the same regime.
    #[test]
    fn every_embedded_pack_reads_as_the_derived_reader_reads_it() {
        for (id, text) in crate::regime::embedded::PACKS {
            let derived: PackFile = from_json_tracked(text).unwrap();
            let compact: PackFile = from_json(text).unwrap();
            assert!(derived == compact, "{id}");
            let plain: PackFile = from_json_map_only(text).unwrap();
            assert!(derived == plain, "{id}");
            let a = format!("{:?}", Regime::from_pack(derived).unwrap());
            let b = format!("{:?}", Regime::from_pack(compact).unwrap());
            assert!(a == b, "{id}: the compiled regimes differ");
        }
    }

    /// What the plain read of an embedded pack refuses is read again by the tracked reader:
    /// the same error, path and code as `Regime::from_json`, also where the objects-only read
    /// alone would refuse a text the derived reader takes (a struct written as an array).
    #[test]
    fn embedded_reads_fall_back_to_the_tracked_reader() {
        let (_, eu) = crate::regime::embedded::PACKS
            .iter()
            .find(|(id, _)| *id == "EU")
            .unwrap();
        let mut doc: serde_json::Value = serde_json::from_str(eu).unwrap();
        let broken = [
            eu.replacen("\"versions\"", "\"versionz\"", 1),
            eu.replacen("\"currency\"", "\"currency\": 1, \"x\"", 1),
            eu[..eu.len() / 2].to_string(),
            format!("{eu} x"),
        ];
        for text in &broken {
            let a = Regime::from_embedded_json(text).unwrap_err();
            let b = Regime::from_json(text).unwrap_err();
            assert_eq!(format!("{a:?}"), format!("{b:?}"));
        }
        // The exchange-rate rule (a struct) written as an array of its fields: the objects-only
        // read refuses it, the derived reader takes it by position.
        let rule = doc["exchange_rates"].clone();
        let fields = [
            "table",
            "official",
            "source",
            "checked",
            "confidence",
            "note",
        ];
        doc["exchange_rates"] =
            serde_json::Value::Array(fields.iter().map(|f| rule[*f].clone()).collect());
        let text = doc.to_string();
        assert!(from_json_map_only::<PackFile>(&text).is_err());
        let a = format!("{:?}", Regime::from_embedded_json(&text).unwrap());
        let b = format!("{:?}", Regime::from_json(&text).unwrap());
        assert!(a == b);
    }

    /// Every embedded risk profile and return rules file, and the sample JSON rate table, read
    /// to the same value both ways.
    #[test]
    fn every_rules_file_reads_as_the_derived_reader_reads_it() {
        use crate::exchange::RateFile;
        use crate::refund::ReturnRules;
        use crate::risk::RiskProfile;
        for (id, text) in crate::risk::EMBEDDED {
            let derived: RiskProfile = from_json_tracked(text).unwrap();
            let compact: RiskProfile = from_json(text).unwrap();
            assert!(derived == compact, "{id}");
        }
        for (id, text) in crate::refund::EMBEDDED {
            let derived: ReturnRules = from_json_tracked(text).unwrap();
            let compact: ReturnRules = from_json(text).unwrap();
            assert!(derived == compact, "{id}");
        }
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/rates/sample-rates.json"
        );
        let text = std::fs::read_to_string(path).unwrap();
        let derived: RateFile = from_json_tracked(&text).unwrap();
        let compact: RateFile = from_json(&text).unwrap();
        assert_eq!(format!("{derived:?}"), format!("{compact:?}"));
    }

    /// The error of the derived reader and of the compact one on `text`, as (code, path,
    /// message).
    fn both<T: Decode + serde::de::DeserializeOwned>(text: &str) -> [Option<String>; 2] {
        let show = |r: Result<T, Error>| {
            r.err()
                .map(|e| format!("{} {:?} {}", e.code.as_str(), e.path, e.message))
        };
        [
            show(from_json_map_only::<T>(text)),
            show(from_json::<T>(text)),
        ]
    }

    /// For each struct: the same field list (in the `unknown field` message), the same first
    /// required field, and the same refusals of a wrong JSON type and of a repeated key.
    fn same_shape<T: Decode + serde::de::DeserializeOwned>() {
        let name = std::any::type_name::<T>();
        for text in [
            r#"{"zz_unknown": 1}"#,
            "{}",
            "1",
            "\"x\"",
            "null",
            "[]",
            r#"{"source": "a", "source": "b"}"#,
            r#"{"amount": "1", "amount": "1"}"#,
        ] {
            let [derived, compact] = both::<T>(text);
            assert!(derived.is_some(), "{name} {text}");
            assert_eq!(derived, compact, "{name} {text}");
        }
    }

    /// An enum's table: the same variant list (in `unknown variant`), and the same refusals of
    /// a wrong JSON type, a variant written as a string, and a wrong value or field in each
    /// form of variant.
    #[test]
    fn the_condition_table_has_the_variants_of_its_enum() {
        for text in [
            r#"{"zz_unknown": 1}"#,
            "{}",
            "1",
            "null",
            r#""hs_prefix""#,
            r#""seller_unknown""#,
            r#"{"hs_prefix": "01"}"#,
            r#"{"hs_prefix": ["01"], "keyword": ["x"]}"#,
            r#"{"aeo": "nobody"}"#,
            r#"{"category": [1, 300]}"#,
            r#"{"seller_unknown": {"a": 1}}"#,
            r#"{"seller_unknown": []}"#,
            r#"{"undervalued": {}}"#,
            r#"{"undervalued": {"per": "unit", "per": "kg"}}"#,
            r#"{"origin": {"countries": ["CN"], "zz": 1}}"#,
            r#"{"advance_data_late": {"hours_before_arrival": -1}}"#,
        ] {
            let text = format!(
                r#"{{"when": {text}, "code": "R", "weight": 1, "reason": "r", "source": "s", "checked": "2026-01-01"}}"#
            );
            let [derived, compact] = both::<crate::risk::RiskRule>(&text);
            assert!(derived.is_some(), "{text}");
            assert_eq!(derived, compact, "{text}");
        }
        for text in [
            r#"{"seller_unknown": {}}"#,
            r#"{"aeo": "seller"}"#,
            r#"{"category": [1, 4]}"#,
        ] {
            let text = format!(
                r#"{{"when": {text}, "code": "R", "weight": 1, "reason": "r", "source": "s", "checked": "2026-01-01"}}"#
            );
            let derived: crate::risk::RiskRule = from_json_map_only(&text).unwrap();
            let compact: crate::risk::RiskRule = from_json(&text).unwrap();
            assert!(derived == compact, "{text}");
        }
    }

    /// For an enum of unit variants: every name read to the variant the derived reader reads,
    /// and the same refusals (an unknown name, which lists the variants; a wrong JSON type; a
    /// variant with a value).
    fn same_units<T>()
    where
        T: Decode + serde::de::DeserializeOwned + PartialEq + fmt::Debug,
    {
        let Kind::Units(table) = T::KIND else {
            panic!("{} is not read as a unit enum", std::any::type_name::<T>());
        };
        for name in table.variants {
            let text = format!("\"{name}\"");
            let derived: T = from_json_map_only(&text).unwrap();
            let compact: T = from_json(&text).unwrap();
            assert_eq!(derived, compact, "{text}");
        }
        let first = table.variants[0];
        for text in [
            "\"zz_unknown\"".to_string(),
            "1".into(),
            "null".into(),
            "{}".into(),
            "[]".into(),
            format!(r#"{{"{first}": 1}}"#),
            format!(r#"{{"{first}": null}}"#),
        ] {
            let [derived, compact] = both::<T>(&text);
            assert_eq!(derived, compact, "{} {text}", std::any::type_name::<T>());
        }
    }

    #[test]
    fn every_unit_enum_table_has_the_variants_of_its_enum() {
        same_units::<Confidence>();
        same_units::<Replaces>();
        same_units::<RoundingScope>();
        same_units::<Basis>();
        same_units::<ThresholdUnit>();
        same_units::<Period>();
        same_units::<TaxBasePart>();
        same_units::<FlatDutyPer>();
        same_units::<Charge>();
        same_units::<GiftMode>();
        same_units::<Model>();
        same_units::<Collector>();
        same_units::<When>();
        same_units::<TaxPoint>();
        same_units::<RateChoice>();
        same_units::<FeePer>();
        same_units::<Payer>();
        same_units::<NeedsMeasure>();
        same_units::<RoundingMode>();
        same_units::<Channel>();
        same_units::<Transaction>();
        same_units::<Nature>();
        same_units::<crate::risk::ValueUnit>();
        same_units::<crate::risk::AeoParty>();
        same_units::<crate::refund::ReturnReason>();
        same_units::<crate::exchange::Method>();
        same_units::<crate::declaration::QuantityUnit>();
        same_units::<crate::declaration::CarrierKind>();
        same_units::<crate::declaration::ConsigneeKind>();
        same_units::<crate::declaration::Incoterm>();
    }

    #[test]
    fn every_table_has_the_fields_of_its_struct() {
        same_shape::<PackFile>();
        same_shape::<GoodsListFile>();
        same_shape::<ExchangeRatesFile>();
        same_shape::<GapFile>();
        same_shape::<VersionFile>();
        same_shape::<PrefixRate>();
        same_shape::<SimplifiedRateFile>();
        same_shape::<OutOfScopeFile>();
        same_shape::<OptionFile>();
        same_shape::<RoundingSet>();
        same_shape::<RoundingRule>();
        same_shape::<Ceiling>();
        same_shape::<CategoriesFile>();
        same_shape::<ValueThreshold>();
        same_shape::<RequiredData>();
        same_shape::<Exclusion>();
        same_shape::<Threshold>();
        same_shape::<AlsoRelieves>();
        same_shape::<OptionGate>();
        same_shape::<ThresholdCase>();
        same_shape::<PerPersonLimit>();
        same_shape::<ValuationFile>();
        same_shape::<PersonalUseFile>();
        same_shape::<UpliftFile>();
        same_shape::<TaxesFile>();
        same_shape::<DatedRate>();
        same_shape::<ReducedRate>();
        same_shape::<TariffFile>();
        same_shape::<TariffLineFile>();
        same_shape::<FlatDutyFile>();
        same_shape::<SurchargeFile>();
        same_shape::<GiftReliefFile>();
        same_shape::<GiftFlatRate>();
        same_shape::<RegistrationRule>();
        same_shape::<SchemeFile>();
        same_shape::<FeeFile>();
        same_shape::<FeeAdValorem>();
        same_shape::<ExciseGoodsFile>();
        same_shape::<AdditionalDutyFile>();
        same_shape::<DutyNeeds>();
        same_shape::<SpecificByRate>();
        same_shape::<crate::risk::RiskProfile>();
        same_shape::<crate::risk::SplitRule>();
        same_shape::<crate::risk::Thresholds>();
        same_shape::<crate::risk::RiskRule>();
        same_shape::<crate::refund::ReturnRules>();
        same_shape::<crate::refund::ReturnsVersion>();
        same_shape::<crate::refund::ComponentRule>();
        same_shape::<crate::exchange::RateFile>();
        same_shape::<crate::exchange::RateEntry>();
        // Structs with no required field: the empty object is read; the rest is refused alike.
        for text in [
            r#"{"zz_unknown": 1}"#,
            "{}",
            "1",
            "[]",
            r#"{"tax": "1", "tax": "1"}"#,
        ] {
            assert_eq!(both::<DeMinimisFile>(text), both::<DeMinimisFile>(text));
            let [a, b] = both::<DeMinimisFile>(text);
            assert_eq!(a, b, "DeMinimisFile {text}");
            let [a, b] = both::<MinimumCollectableFile>(text);
            assert_eq!(a, b, "MinimumCollectableFile {text}");
            let [a, b] = both::<OriginRate>(text);
            assert_eq!(a, b, "OriginRate {text}");
            let [a, b] = both::<RateBand>(text);
            assert_eq!(a, b, "RateBand {text}");
        }
    }
}
