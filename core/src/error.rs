//! The one error type of the library, with stable codes.
//!
//! Every binding (Rust, C, WASM, CLI) shows an error the same way: a stable `code` string a
//! program can branch on, the JSON `path` of the offending field when there is one, and a
//! message for a person. Codes are append-only: a code, once published, keeps its meaning and
//! is never reused (a test pins the list).

use std::fmt;

use serde::Serialize;

macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $text:literal,)*) => {
        /// Stable error codes. Append only; never rename or reuse one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
        }

        impl ErrorCode {
            /// Every code, in the order they were introduced.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The code as it appears in JSON, e.g. `"E_HS_NO_TARIFF_LINE"`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $text,)*
                }
            }

            /// Looks a code up by its JSON text.
            pub fn from_text(text: &str) -> Option<ErrorCode> {
                match text {
                    $($text => Some(ErrorCode::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

error_codes! {
    /// The input is not well-formed JSON.
    JsonSyntax = "E_JSON_SYNTAX",
    /// A field has the wrong JSON type (e.g. an object where a string was expected).
    InvalidType = "E_INVALID_TYPE",
    /// A required field is absent.
    MissingField = "E_MISSING_FIELD",
    /// A field the format does not know (usually a typo).
    UnknownField = "E_UNKNOWN_FIELD",
    /// A field has a value outside its allowed set or range.
    InvalidValue = "E_INVALID_VALUE",
    /// An amount is not a plain decimal string, or is negative where it must not be.
    InvalidAmount = "E_INVALID_AMOUNT",
    /// A date is not a real `YYYY-MM-DD` date.
    InvalidDate = "E_INVALID_DATE",
    /// A currency is not an ISO 4217 code.
    InvalidCurrency = "E_INVALID_CURRENCY",
    /// A country code is not ISO 3166-1 alpha-2 (or a subdivision not ISO 3166-2).
    InvalidCountry = "E_INVALID_COUNTRY",
    /// An HS code is not 6 to 10 digits.
    InvalidHsCode = "E_INVALID_HS_CODE",
    /// The input is larger than the library accepts.
    InputTooLarge = "E_INPUT_TOO_LARGE",
    /// A consignment has more items than the library accepts.
    TooManyItems = "E_TOO_MANY_ITEMS",
    /// A text field is longer than the library accepts.
    TextTooLong = "E_TEXT_TOO_LONG",
    /// An amount has more integer digits than the library accepts.
    AmountTooLarge = "E_AMOUNT_TOO_LARGE",
    /// An amount has more decimal places than the library accepts.
    AmountTooPrecise = "E_AMOUNT_TOO_PRECISE",
    /// No regime is known for the destination (or the explicit regime id).
    NoRegime = "E_NO_REGIME",
    /// The regime has no version in force on the declaration's date.
    NoVersionInForce = "E_NO_VERSION_IN_FORCE",
    /// Two versions (or two dated rules) are in force on the same date.
    ConflictingRules = "E_CONFLICTING_RULES",
    /// The HS code matches no line of the regime's tariff.
    HsNoTariffLine = "E_HS_NO_TARIFF_LINE",
    /// No exchange rate converts the declaration's currency on its date.
    NoExchangeRate = "E_NO_EXCHANGE_RATE",
    /// No tax rate is in force for the destination subdivision on the date.
    NoTaxRate = "E_NO_TAX_RATE",
    /// The duty expression needs a quantity the declaration does not give (mass, litres).
    MissingDutyInput = "E_MISSING_DUTY_INPUT",
    /// A decimal computation overflowed.
    Overflow = "E_OVERFLOW",
    /// The caller chose to reject an uncertain rule instead of applying a reading of it.
    UncertainRule = "E_UNCERTAIN_RULE",
    /// An assessment option is unknown or has a value the regime does not allow.
    InvalidOption = "E_INVALID_OPTION",
    /// A regime pack failed validation.
    InvalidPack = "E_INVALID_PACK",
    /// A duty expression could not be parsed.
    InvalidExpression = "E_INVALID_EXPRESSION",
    /// A tariff file (JSON or CSV) could not be loaded.
    InvalidTariff = "E_INVALID_TARIFF",
    /// An exchange-rate table could not be loaded.
    InvalidRates = "E_INVALID_RATES",
    /// A JSON document is nested deeper than the library accepts.
    NestingTooDeep = "E_NESTING_TOO_DEEP",
    /// An input is not valid UTF-8.
    InvalidUtf8 = "E_INVALID_UTF8",
    /// A bug in xborder: please report it. Never caused by input alone.
    Internal = "E_INTERNAL",
    /// A required pointer was NULL (raised by the C library only; reserved here so that no
    /// other error ever takes the code).
    NullParameter = "E_NULL_PARAMETER",
    /// A regime pack is larger than the library accepts (`limits::MAX_PACK_BYTES`).
    PackTooLarge = "E_PACK_TOO_LARGE",
    /// A tariff file is larger than the library accepts (`limits::MAX_TARIFF_BYTES`).
    TariffTooLarge = "E_TARIFF_TOO_LARGE",
    /// A duty expression is longer than the library accepts (`limits::MAX_EXPRESSION_BYTES`).
    ExpressionTooLong = "E_EXPRESSION_TOO_LONG",
    /// The pack knows this consignment falls outside what it models (its `out_of_scope`
    /// rules): no figure is given rather than a wrong one.
    OutOfScope = "E_OUT_OF_SCOPE",
    /// The declared HS code is less precise than the national tariff and covers lines with
    /// different duties; the message lists them (option `hs_ambiguity=highest` prices the
    /// dearest instead).
    HsAmbiguous = "E_HS_AMBIGUOUS",
    /// The tariff line's duty cannot be computed from a declaration (an entry-price component,
    /// a rate on parts of the goods); the message quotes the published rate and why.
    DutyNotComputable = "E_DUTY_NOT_COMPUTABLE",
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Which input an error is about: what the caller must fix.
///
/// Set where the error is made (the parser of each kind of document, the engine builder for
/// what it checks across documents), so that a binding can choose its own status from it (the
/// C library's `XB_STATUS_INVALID_PACK`, `_INVALID_TARIFF`, `_INVALID_RATES`) instead of reading
/// the path. Not part of the error record's JSON, whose bytes stay those of docs/contract.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Origin {
    /// The declaration (or return declaration) being assessed, including what its assessment
    /// found it lacks: a missing rate for its date, an HS code no tariff line matches.
    #[default]
    Declaration,
    /// The assessment options.
    Options,
    /// A regime pack (or the return rules shipped with the packs), or the set of packs loaded
    /// together (two claiming one destination).
    Pack,
    /// A tariff file or a caller's tariff.
    Tariff,
    /// An exchange-rate table (the caller's, or an official one).
    Rates,
    /// A risk profile.
    Profile,
}

impl Origin {
    /// The name of the origin (`declaration`, `options`, `pack`, `tariff`, `rates`, `profile`).
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Declaration => "declaration",
            Origin::Options => "options",
            Origin::Pack => "pack",
            Origin::Tariff => "tariff",
            Origin::Rates => "rates",
            Origin::Profile => "profile",
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An input that could not be assessed, a pack that could not be loaded, or a computation that
/// could not finish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[error("{code}: {message}{}", path.as_ref().map(|p| format!(" (at {p})")).unwrap_or_default())]
#[non_exhaustive]
pub struct Error {
    /// Stable machine-readable code.
    pub code: ErrorCode,
    /// Plain-language explanation.
    pub message: String,
    /// JSON path of the offending field, e.g. `items[2].hs_code`, when one is to blame.
    pub path: Option<String>,
    /// Which input is to blame; not serialized (the error record is `{code, message, path}`).
    #[serde(skip)]
    pub origin: Origin,
}

impl Error {
    /// An error without a field path, about the declaration (see [`Error::from_origin`]).
    #[cold]
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Error {
        Error {
            code,
            message: message.into(),
            path: None,
            origin: Origin::Declaration,
        }
    }

    /// An error blaming one field, of the declaration (see [`Error::from_origin`]).
    #[cold]
    pub fn at(code: ErrorCode, path: impl Into<String>, message: impl Into<String>) -> Error {
        Error {
            code,
            message: message.into(),
            path: Some(path.into()),
            origin: Origin::Declaration,
        }
    }

    /// The same error, about `origin`.
    #[must_use]
    pub fn from_origin(mut self, origin: Origin) -> Error {
        self.origin = origin;
        self
    }

    /// True when the caller's input caused the error (as opposed to a regime or a bug).
    pub fn is_input(&self) -> bool {
        !matches!(
            self.code,
            ErrorCode::InvalidPack
                | ErrorCode::PackTooLarge
                | ErrorCode::TariffTooLarge
                | ErrorCode::ExpressionTooLong
                | ErrorCode::InvalidTariff
                | ErrorCode::InvalidRates
                | ErrorCode::Internal
        )
    }

    /// Prefixes the path (used when a nested document is loaded inside a larger one).
    pub(crate) fn within(mut self, prefix: &str) -> Error {
        self.path = Some(match self.path.take() {
            Some(p) if p.starts_with('[') => format!("{prefix}{p}"),
            Some(p) if !p.is_empty() => format!("{prefix}.{p}"),
            _ => prefix.to_string(),
        });
        self
    }
}

/// Serde error messages raised by our own deserializers carry their code as a `[E_…]` prefix;
/// this recovers it so that a strict amount or date parsed deep inside serde still reports its
/// own code.
pub(crate) fn split_coded_message(message: &str) -> Option<(ErrorCode, &str)> {
    let rest = message.strip_prefix('[')?;
    let end = rest.find(']')?;
    let code = ErrorCode::from_text(&rest[..end])?;
    Some((code, rest[end + 1..].trim_start()))
}

/// Parses `text` as exactly one JSON document of type `T`, with the path of the offending field
/// on failure. Anything but whitespace after the document (a second object, `x`, a NUL) is
/// `E_JSON_SYNTAX` with its line and column: every document the library reads goes through
/// here, so none can end in ignored bytes.
///
/// With the feature `serde-error-paths` (default) the path comes from `serde_path_to_error`;
/// without it, from the error's line and column ([`crate::json_path`]): the same paths, without
/// a second instantiation of every deserializer.
pub(crate) fn from_json_tracked<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Error> {
    #[cfg(feature = "serde-error-paths")]
    {
        refuse_array_document(text, "the document")?;
        let mut de = serde_json::Deserializer::from_str(text);
        let value = serde_path_to_error::deserialize(&mut de).map_err(from_json_error)?;
        finish(de, value)
    }
    #[cfg(not(feature = "serde-error-paths"))]
    {
        from_json_scanning(text)
    }
}

/// `value` when nothing but whitespace follows the document `de` read.
pub(crate) fn finish<T>(
    mut de: serde_json::Deserializer<serde_json::de::StrRead<'_>>,
    value: T,
) -> Result<T, Error> {
    de.end().map_err(|e| {
        Error::new(
            ErrorCode::JsonSyntax,
            format!("malformed JSON: {e}; only one document is allowed"),
        )
    })?;
    Ok(value)
}

/// Parses reference data (a regime pack, tariff, rate table or risk profile) as exactly one
/// JSON document. With the feature `data-error-paths` (default) this is [`from_json_tracked`];
/// without it, plain serde_json with the field path found by scanning the text
/// ([`crate::json_path`]): the same checks, codes and paths, and much less code
/// (`serde_path_to_error` doubles every deserializer it wraps, and the pack types are many).
/// The WASM package leaves it out; it also reads structs from JSON objects only
/// ([`from_json_map_only`]).
pub(crate) fn from_json_data<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Error> {
    #[cfg(feature = "data-error-paths")]
    {
        from_json_tracked(text)
    }
    #[cfg(not(feature = "data-error-paths"))]
    {
        from_json_map_only(text)
    }
}

/// Reference data as [`from_json_data`] reads it without `data-error-paths`, whatever the
/// features (its tests compare it with [`from_json_tracked`]): plain serde_json, the field path
/// of an error recovered from its line and column as for declarations ([`crate::json_path`]),
/// and structs read from JSON objects only ([`crate::map_only`]), which halves each data type's
/// deserializer. A struct written as an array of its fields, which serde would otherwise take
/// positionally, is `E_INVALID_TYPE` (`invalid type: sequence, expected struct …`). With
/// `data-error-paths` it is the first read of an embedded pack (`Regime::from_embedded_json`).
pub(crate) fn from_json_map_only<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Error> {
    refuse_array_document(text, "the document")?;
    let mut de = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(crate::map_only::MapOnly(&mut de))
        .map_err(|e| from_json_scanned(text, e))?;
    finish(de, value)
}

/// `E_INVALID_TYPE` when `text` is a JSON array. Every document the library reads is an
/// object, but serde's derived structs also accept an array of their fields in order, so
/// `[{…}]` (a batch given where one declaration belongs) was assessed positionally.
pub(crate) fn refuse_array_document(text: &str, what: &str) -> Result<(), Error> {
    let first = text
        .bytes()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
    if first == Some(b'[') {
        return Err(Error::new(
            ErrorCode::InvalidType,
            format!(
                "{what} must be a JSON object, not an array (several declarations are one per \
                 NDJSON line)"
            ),
        ));
    }
    Ok(())
}

/// [`from_json_tracked`] without `serde_path_to_error`, whatever the features (its tests
/// compare the two).
#[cfg_attr(feature = "serde-error-paths", allow(dead_code))]
pub(crate) fn from_json_scanning<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Error> {
    refuse_array_document(text, "the document")?;
    let mut de = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(&mut de).map_err(|e| from_json_scanned(text, e))?;
    finish(de, value)
}

/// Maps a serde_json error to our error, with the path recovered from its position in `text`.
#[cold]
pub(crate) fn from_json_scanned(text: &str, inner: serde_json::Error) -> Error {
    let path = if inner.is_syntax() || inner.is_eof() {
        String::new()
    } else {
        crate::json_path::at_error(text, &inner)
    };
    json_error(path, inner)
}

/// Maps a serde_json error (with the path serde_path_to_error found) to our error.
#[cfg(feature = "serde-error-paths")]
pub(crate) fn from_json_error(err: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let path = err.path().to_string();
    json_error(path, err.into_inner())
}

/// Maps a serde_json error and the path of the field it concerns (empty: none) to our error.
fn json_error(path: String, inner: serde_json::Error) -> Error {
    let path =
        if path == "." || path.is_empty() || path == "?" || inner.is_syntax() || inner.is_eof() {
            None
        } else {
            Some(path)
        };
    let text = inner.to_string();
    // serde_json appends " at line L column C"; keep it only for syntax errors.
    let bare = match text.rfind(" at line ") {
        Some(i) => &text[..i],
        None => &text[..],
    };
    let (code, message) = if let Some((code, msg)) = split_coded_message(bare) {
        (code, msg.to_string())
    } else if inner.is_syntax() || inner.is_eof() {
        if bare.contains("recursion limit") {
            (
                ErrorCode::NestingTooDeep,
                format!("JSON is nested too deeply ({text})"),
            )
        } else {
            (ErrorCode::JsonSyntax, format!("malformed JSON: {text}"))
        }
    } else if let Some(field) = bare.strip_prefix("missing field ") {
        let field = field.trim_matches('`');
        return Error::at(
            ErrorCode::MissingField,
            field_path(path.as_deref(), field),
            format!("required field `{field}` is missing"),
        );
    } else if let Some(field) = bare.strip_prefix("duplicate field ") {
        // serde reports a repeated key at the object holding it; the path names the key.
        let field = field.trim_matches('`');
        return Error::at(
            ErrorCode::InvalidValue,
            field_path(path.as_deref(), field),
            format!("field `{field}` appears more than once; which one was meant is unknown"),
        );
    } else if bare.starts_with("unknown field") {
        (ErrorCode::UnknownField, bare.to_string())
    } else if bare.starts_with("unknown variant") {
        (ErrorCode::InvalidValue, bare.to_string())
    } else if bare.starts_with("invalid type") || bare.starts_with("invalid length") {
        (ErrorCode::InvalidType, bare.to_string())
    } else {
        (ErrorCode::InvalidValue, bare.to_string())
    };
    Error {
        code,
        message,
        path,
        origin: Origin::Declaration,
    }
}

/// The path of `field` inside the object at `parent` (the document itself when `None`).
fn field_path(parent: Option<&str>, field: &str) -> String {
    match parent {
        Some(p) => format!("{p}.{field}"),
        None => field.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 17: the WASM package reads reference data with structs as JSON objects only
    /// ([`from_json_map_only`]). Every embedded pack reads to the same value as with field paths.
    #[test]
    fn packs_read_as_objects_only_equal_the_tracked_read() {
        use crate::regime::pack::PackFile;
        for (id, text) in crate::regime::embedded::PACKS {
            let tracked: PackFile = from_json_tracked(text).unwrap();
            let map_only: PackFile = from_json_map_only(text).unwrap();
            assert!(tracked == map_only, "{id}");
        }
    }

    /// A struct written as an array of its fields is refused with a clear error by the
    /// objects-only read, never taken by position (serde's derived visitor would accept it).
    #[test]
    fn a_struct_written_as_an_array_is_refused_by_the_objects_only_read() {
        use crate::regime::pack::PackFile;
        let text = include_str!("../../regimes/SA/pack.json");
        let mut pack: serde_json::Value = serde_json::from_str(text).unwrap();
        let rates = pack["exchange_rates"].take();
        // `table`, `official`, `source`, `checked`, `confidence`: the declared order.
        pack["exchange_rates"] = serde_json::json!([
            null,
            rates["official"],
            rates["source"],
            rates["checked"],
            rates["confidence"]
        ]);
        let positional = pack.to_string();
        let err = from_json_map_only::<PackFile>(&positional).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidType, "{err:?}");
        assert_eq!(
            err.message,
            "invalid type: sequence, expected struct ExchangeRatesFile"
        );
        // The same for a struct inside a sequence (a version written as `[from, to]`).
        pack["exchange_rates"] = rates;
        let versions = pack["versions"].take();
        pack["versions"] = serde_json::json!([[versions[0]["from"], versions[0]["to"]]]);
        let err = from_json_map_only::<PackFile>(&pack.to_string()).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidType, "{err:?}");
        assert!(
            err.message
                .starts_with("invalid type: sequence, expected struct"),
            "{err:?}"
        );
    }

    /// Issue 21 item 9: a repeated key gave `path: null`; the path names it.
    #[test]
    fn a_duplicate_key_is_named_by_its_path() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Inner {
            value: String,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Outer {
            id: String,
            items: Vec<Inner>,
        }
        let err = from_json_tracked::<Outer>(r#"{"id":"a","id":"b","items":[]}"#).unwrap_err();
        assert_eq!(
            (err.code, err.path.as_deref()),
            (ErrorCode::InvalidValue, Some("id"))
        );
        let err = from_json_tracked::<Outer>(
            r#"{"id":"a","items":[{"value":"1"},{"value":"1","value":"2"}]}"#,
        )
        .unwrap_err();
        assert_eq!(err.path.as_deref(), Some("items[1].value"), "{err:?}");
        assert!(err.message.contains("`value`"), "{}", err.message);
    }

    /// Codes are a public contract: this list may only grow at its end.
    #[test]
    fn codes_are_pinned() {
        let texts: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            texts,
            [
                "E_JSON_SYNTAX",
                "E_INVALID_TYPE",
                "E_MISSING_FIELD",
                "E_UNKNOWN_FIELD",
                "E_INVALID_VALUE",
                "E_INVALID_AMOUNT",
                "E_INVALID_DATE",
                "E_INVALID_CURRENCY",
                "E_INVALID_COUNTRY",
                "E_INVALID_HS_CODE",
                "E_INPUT_TOO_LARGE",
                "E_TOO_MANY_ITEMS",
                "E_TEXT_TOO_LONG",
                "E_AMOUNT_TOO_LARGE",
                "E_AMOUNT_TOO_PRECISE",
                "E_NO_REGIME",
                "E_NO_VERSION_IN_FORCE",
                "E_CONFLICTING_RULES",
                "E_HS_NO_TARIFF_LINE",
                "E_NO_EXCHANGE_RATE",
                "E_NO_TAX_RATE",
                "E_MISSING_DUTY_INPUT",
                "E_OVERFLOW",
                "E_UNCERTAIN_RULE",
                "E_INVALID_OPTION",
                "E_INVALID_PACK",
                "E_INVALID_EXPRESSION",
                "E_INVALID_TARIFF",
                "E_INVALID_RATES",
                "E_NESTING_TOO_DEEP",
                "E_INVALID_UTF8",
                "E_INTERNAL",
                "E_NULL_PARAMETER",
                "E_PACK_TOO_LARGE",
                "E_TARIFF_TOO_LARGE",
                "E_EXPRESSION_TOO_LONG",
                "E_OUT_OF_SCOPE",
                "E_HS_AMBIGUOUS",
                "E_DUTY_NOT_COMPUTABLE",
            ]
        );
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_text(code.as_str()), Some(*code));
        }
    }

    #[test]
    fn coded_messages_round_trip() {
        assert_eq!(
            split_coded_message("[E_INVALID_AMOUNT] bad"),
            Some((ErrorCode::InvalidAmount, "bad"))
        );
        assert_eq!(split_coded_message("[E_NOPE] bad"), None);
        assert_eq!(split_coded_message("plain"), None);
    }
}
