//! A deserializer adapter that reads structs from JSON objects only, for reference data in
//! builds without `data-error-paths` (the WASM package).
//!
//! serde's derived `Deserialize` for a struct has two visitors: `visit_map` (an object) and
//! `visit_seq` (an array of the fields in order). serde_json's `deserialize_struct` accepts both,
//! so both are compiled for every struct type parsed, although no pack, rate table or risk
//! profile is written as arrays. [`MapOnly`] reads a struct through `deserialize_map`, so only
//! `visit_map` is instantiated: the regime pack types alone are forty structs, and their
//! deserializers are the largest part of the WASM module (BENCHMARKS.md, WASM). Everything else
//! is forwarded unchanged, so the results and messages are serde_json's; a struct written as an
//! array is refused (`invalid type: sequence, expected struct …`).
//!
//! One exception: a struct asked for under the name [`POSITIONAL`] is passed through to
//! serde_json's `deserialize_struct`, which reads an object or an array. The compact reader
//! (`regime/decode.rs`) asks so for the declaration's structs, which the package reads
//! positionally as serde's derive does; pack and rules structs, and struct variants (whose name
//! is `""`), stay objects only.

// Used by the builds without `data-error-paths`, and by the tests.
#![cfg_attr(all(feature = "data-error-paths", not(test)), allow(dead_code))]

use std::fmt;

use serde::de::{
    DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

/// The struct name under which [`MapOnly`] lets a struct be read as an object or as an array
/// (serde_json ignores a struct's name; only the compact reader's declaration tables give it).
pub(crate) const POSITIONAL: &str = "$xborder::positional";

/// The adapter: `D`, with structs read as maps (and the same for every nested value).
pub(crate) struct MapOnly<D>(pub D);

/// A visitor whose nested deserializers are wrapped in [`MapOnly`].
struct Wrap<V>(V);

/// A seed whose deserializer is wrapped in [`MapOnly`].
struct Seed<S>(S);

/// Access to a sequence, map or enum whose nested values are read through [`MapOnly`].
struct Access<A>(A);

/// A struct variant's fields, read as a map.
struct StructSeed<V> {
    fields: &'static [&'static str],
    visitor: V,
}

macro_rules! forward {
    ($($method:ident),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.0.$method(Wrap(visitor))
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for MapOnly<D> {
    type Error = D::Error;

    forward!(
        deserialize_any,
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_seq,
        deserialize_map,
        deserialize_identifier,
        deserialize_ignored_any,
    );

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, Wrap(visitor))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, Wrap(visitor))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, Wrap(visitor))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple_struct(name, len, Wrap(visitor))
    }

    /// The point of the adapter: an object only, never an array; except under the name
    /// [`POSITIONAL`], read as serde_json reads any struct (an object or an array).
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        if name == POSITIONAL {
            return self.0.deserialize_struct(name, fields, Wrap(visitor));
        }
        self.0.deserialize_map(Wrap(visitor))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, Wrap(visitor))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

macro_rules! visit {
    ($($method:ident: $ty:ty),* $(,)?) => {$(
        fn $method<E: serde::de::Error>(self, v: $ty) -> Result<V::Value, E> {
            self.0.$method(v)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }

    visit!(
        visit_bool: bool,
        visit_i64: i64,
        visit_u64: u64,
        visit_i128: i128,
        visit_u128: u128,
        visit_f64: f64,
        visit_char: char,
        visit_str: &str,
        visit_borrowed_str: &'de str,
        visit_string: String,
        visit_bytes: &[u8],
        visit_borrowed_bytes: &'de [u8],
        visit_byte_buf: Vec<u8>,
    );

    fn visit_none<E: serde::de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(MapOnly(d))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(MapOnly(d))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(Access(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(Access(map))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(Access(data))
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(MapOnly(d))
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Access<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Seed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Access<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(Seed(seed))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.0.next_value_seed(Seed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Access<A> {
    type Error = A::Error;
    type Variant = Access<A::Variant>;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Access<A::Variant>), A::Error> {
        let (value, variant) = self.0.variant_seed(Seed(seed))?;
        Ok((value, Access(variant)))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Access<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(Seed(seed))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Wrap(visitor))
    }

    /// As a newtype holding a struct, so that the fields are read as a map (serde_json's own
    /// `struct_variant` accepts an array too).
    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.newtype_variant_seed(StructSeed { fields, visitor })
    }
}

impl<'de, V: Visitor<'de>> DeserializeSeed<'de> for StructSeed<V> {
    type Value = V::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        MapOnly(d).deserialize_struct("", self.fields, self.visitor)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::MapOnly;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        name: String,
        #[serde(default)]
        rate: Option<u32>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Plain,
        Wrapped(Inner),
        Fields { inner: Inner },
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Outer {
        items: Vec<Inner>,
        kinds: Vec<Kind>,
        maybe: Option<Inner>,
    }

    fn parse<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, String> {
        let mut de = serde_json::Deserializer::from_str(text);
        T::deserialize(MapOnly(&mut de)).map_err(|e| e.to_string())
    }

    #[test]
    fn objects_read_as_serde_json_reads_them() {
        let text = r#"{"items":[{"name":"a","rate":1},{"name":"b"}],
            "kinds":["plain",{"wrapped":{"name":"c"}},{"fields":{"inner":{"name":"d"}}}],
            "maybe":{"name":"e"}}"#;
        let plain: Outer = serde_json::from_str(text).unwrap();
        assert_eq!(parse::<Outer>(text).unwrap(), plain);
        // The same messages for the same faults.
        for bad in [
            r#"{"items":[{"name":"a","colour":1}],"kinds":[],"maybe":null}"#,
            r#"{"items":[{"rate":1}],"kinds":[],"maybe":null}"#,
            r#"{"items":[],"kinds":["other"],"maybe":null}"#,
            r#"{"items":[],"kinds":[],"maybe":{"name":7}}"#,
        ] {
            let expected = serde_json::from_str::<Outer>(bad).unwrap_err().to_string();
            assert_eq!(parse::<Outer>(bad).unwrap_err(), expected);
        }
    }

    #[test]
    fn structs_written_as_arrays_are_refused() {
        assert!(serde_json::from_str::<Inner>(r#"["a", 1]"#).is_ok());
        let err = parse::<Inner>(r#"["a", 1]"#).unwrap_err();
        assert!(err.contains("invalid type: sequence"), "{err}");
        let err = parse::<Outer>(r#"{"items":[["a"]],"kinds":[],"maybe":null}"#).unwrap_err();
        assert!(err.contains("invalid type: sequence"), "{err}");
        let err = parse::<Kind>(r#"{"fields":[{"name":"d"}]}"#).unwrap_err();
        assert!(err.contains("invalid type: sequence"), "{err}");
    }

    /// A struct named [`super::POSITIONAL`] (as the compact reader's declaration tables ask
    /// for): an object or an array, as plain serde_json reads it.
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename = "$xborder::positional", deny_unknown_fields)]
    struct Positional {
        name: String,
        #[serde(default)]
        rate: Option<u32>,
    }

    #[test]
    fn positional_structs_read_as_serde_json_reads_them() {
        for text in [
            r#"["a", 1]"#,
            r#"["a"]"#,
            r#"{"name": "a"}"#,
            r#"[]"#,
            r#"["a", 1, 2]"#,
            r#"["a", "x"]"#,
            r#"1"#,
        ] {
            let plain = serde_json::from_str::<Positional>(text).map_err(|e| e.to_string());
            assert_eq!(parse::<Positional>(text), plain, "{text}");
        }
    }

    /// A plain read and one through [`MapOnly`] of `text` as `T`: the same value or message.
    fn same_read<T: for<'de> Deserialize<'de> + std::fmt::Debug + PartialEq>(text: &str) {
        let plain = serde_json::from_str::<T>(text).map_err(|e| e.to_string());
        assert_eq!(
            parse::<T>(text),
            plain,
            "{} {text}",
            std::any::type_name::<T>()
        );
    }

    /// The declaration's leaves that the compact reader reads through the adapter: a raw value
    /// (`Quantity` reads one), a quantity in each form, a compact string.
    #[test]
    fn declaration_leaves_read_as_serde_json_reads_them() {
        use crate::declaration::Text;
        use crate::money::Quantity;
        let raw = |text: &str| {
            let plain = serde_json::from_str::<Box<serde_json::value::RawValue>>(text)
                .map(|r| r.get().to_string())
                .map_err(|e| e.to_string());
            let wrapped =
                parse::<Box<serde_json::value::RawValue>>(text).map(|r| r.get().to_string());
            assert_eq!(wrapped, plain, "{text}");
        };
        for text in [
            r#""1.5""#,
            "1e2",
            r#"{"a": [1, "b"]}"#,
            "[1, 2]",
            "null",
            "[1,",
        ] {
            raw(text);
        }
        for text in [
            r#""1.5""#,
            "2",
            "1e2",
            "-0.5",
            r#""1\u0030""#,
            r#""x""#,
            "true",
            "null",
            "[]",
            "1e400",
            "12345678901234567890123",
        ] {
            same_read::<Quantity>(text);
        }
        for text in [r#""a""#, r#""a\"b\u00e9""#, "1", "null", "[]", "{}"] {
            same_read::<Text>(text);
        }
    }
}
