//! A caller's tariff as CSV: one line per row, the columns found by their header names.
//!
//! By default the header names the columns `hs`, `duty`, `description`, `source`, `checked`, in
//! any order, separated by `,` or `;`. A spreadsheet exported as it stands has its own names
//! (`Commodity code;Third country duty;…`) and often no source or checked date: a
//! [`CsvLayout`] says which column holds which field, and gives a source and a date for every
//! line when no column holds them (`docs/regime-format.md`, "A caller's tariff as CSV").

use csv::StringRecord;

use super::{parse_expression, Tariff, TariffLine};
use crate::csv_text::{column, CsvReader};
use crate::date::Date;
use crate::error::{Error, ErrorCode};
use crate::regime::pack::Confidence;

/// A field of a tariff line that a CSV column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CsvField {
    /// The HS prefix (2 to 10 digits).
    Hs,
    /// The duty expression.
    Duty,
    /// What the goods are (optional: empty when no column holds it).
    Description,
    /// Where the rate comes from.
    Source,
    /// When the rate was checked (`YYYY-MM-DD`).
    Checked,
}

impl CsvField {
    /// Every field, in the order of the default header.
    pub const ALL: [CsvField; 5] = [
        CsvField::Hs,
        CsvField::Duty,
        CsvField::Description,
        CsvField::Source,
        CsvField::Checked,
    ];

    /// The field's name, which is also its column's name in the default header.
    pub fn name(self) -> &'static str {
        match self {
            CsvField::Hs => "hs",
            CsvField::Duty => "duty",
            CsvField::Description => "description",
            CsvField::Source => "source",
            CsvField::Checked => "checked",
        }
    }

    /// The field named `name` (`hs`, `duty`, `description`, `source`, `checked`).
    pub fn parse(name: &str) -> Option<CsvField> {
        CsvField::ALL.into_iter().find(|f| f.name() == name.trim())
    }
}

/// How a caller's CSV tariff is laid out. The default reads the header
/// `hs,duty,description,source,checked` (any order, `,` or `;`, names matched without regard
/// to case); columns the layout does not read are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsvLayout {
    /// The field separator; `None` takes `,` or `;`, whichever the header row holds more of.
    pub separator: Option<u8>,
    /// The header name of the column holding a field, for fields whose column is not named
    /// after them (`(CsvField::Hs, "Commodity code")`).
    pub columns: Vec<(CsvField, String)>,
    /// The source of every line, when no column holds one.
    pub source: Option<String>,
    /// The checked date of every line, when no column holds one.
    pub checked: Option<Date>,
}

impl CsvLayout {
    /// Reads a header map `field=Column name,…` (`hs=Commodity code,duty=Third country duty`),
    /// as the CLI's `--tariff-columns` takes it, into [`CsvLayout::columns`].
    pub fn map_columns(&mut self, spec: &str) -> Result<(), String> {
        for pair in spec.split(',').filter(|p| !p.trim().is_empty()) {
            let (field, name) = pair
                .split_once('=')
                .ok_or_else(|| format!("{pair:?}: expected FIELD=COLUMN"))?;
            let field = CsvField::parse(field).ok_or_else(|| {
                format!("{field:?} is not a tariff field: hs, duty, description, source or checked")
            })?;
            if name.trim().is_empty() {
                return Err(format!("{pair:?}: the column name is empty"));
            }
            self.columns.retain(|(f, _)| *f != field);
            self.columns.push((field, name.trim().to_string()));
        }
        Ok(())
    }

    /// Reads a field separator as the CLI's `--tariff-separator` takes it: one ASCII character
    /// that is not a letter, digit or `"`, or `tab` (also `\t`, escaped or not).
    pub fn parse_separator(text: &str) -> Result<u8, String> {
        match text {
            "\\t" | "\t" | "tab" => Ok(b'\t'),
            _ => match text.as_bytes() {
                [b] if b.is_ascii() && !b.is_ascii_alphanumeric() && *b != b'"' => Ok(*b),
                _ => Err(format!(
                    "{text:?}: give one character such as ; or , (or \\t)"
                )),
            },
        }
    }

    /// Reads a layout given as JSON, the form the C API (`xb_engine_builder_tariff_csv`) and
    /// the WASM package (`EngineConfig.tariffLayouts`) take:
    /// `{"columns": {"hs": "Commodity code", …}, "separator": ";", "source": "…",
    /// "checked": "YYYY-MM-DD"}`, every key optional, each meaning what the CLI's
    /// `--tariff-columns`, `--tariff-separator`, `--tariff-source` and `--tariff-checked` mean.
    /// Errors carry the key as path (`columns.hs`, `separator`): `E_UNKNOWN_FIELD` for a key or
    /// field name that is not one, `E_INVALID_VALUE` for an empty column name or a separator
    /// that is not one character, `E_INVALID_DATE`, `E_INVALID_TYPE`, `E_JSON_SYNTAX`.
    pub fn from_json(text: &str) -> Result<CsvLayout, Error> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Given {
            #[serde(default)]
            columns: std::collections::BTreeMap<String, String>,
            #[serde(default)]
            separator: Option<String>,
            #[serde(default)]
            source: Option<String>,
            #[serde(default)]
            checked: Option<Date>,
        }
        let given: Given = crate::error::from_json_tracked(text)
            .map_err(|e| e.from_origin(crate::Origin::Tariff))?;
        let invalid = |code: ErrorCode, path: String, message: String| {
            Error::at(code, path, message).from_origin(crate::Origin::Tariff)
        };
        let mut layout = CsvLayout {
            source: given.source,
            checked: given.checked,
            ..CsvLayout::default()
        };
        if let Some(separator) = given.separator {
            layout.separator = Some(
                Self::parse_separator(&separator)
                    .map_err(|e| invalid(ErrorCode::InvalidValue, "separator".into(), e))?,
            );
        }
        for (field, name) in given.columns {
            let path = format!("columns.{field}");
            let Some(parsed) = CsvField::parse(&field) else {
                return Err(invalid(
                    ErrorCode::UnknownField,
                    path,
                    format!(
                        "{field:?} is not a tariff field: hs, duty, description, source or checked"
                    ),
                ));
            };
            if name.trim().is_empty() {
                return Err(invalid(
                    ErrorCode::InvalidValue,
                    path,
                    "the column name is empty".into(),
                ));
            }
            layout.columns.push((parsed, name.trim().to_string()));
        }
        Ok(layout)
    }

    /// The header name of `field`'s column, and whether the layout named it.
    fn column_name(&self, field: CsvField) -> (&str, bool) {
        match self.columns.iter().find(|(f, _)| *f == field) {
            Some((_, name)) => (name, true),
            None => (field.name(), false),
        }
    }
}

/// Where each field of a row comes from.
struct Columns<'l> {
    /// The column of each field of [`CsvField::ALL`], if the header has it.
    at: [Option<usize>; 5],
    layout: &'l CsvLayout,
}

impl<'l> Columns<'l> {
    fn find(header: &StringRecord, layout: &'l CsvLayout) -> Result<Columns<'l>, Error> {
        let mut at = [None; 5];
        for (slot, field) in at.iter_mut().zip(CsvField::ALL) {
            let (name, named) = layout.column_name(field);
            *slot = column(header, name);
            let fixed = match field {
                CsvField::Source => layout.source.is_some(),
                CsvField::Checked => layout.checked.is_some(),
                CsvField::Description => !named,
                CsvField::Hs | CsvField::Duty => false,
            };
            if slot.is_none() && !fixed {
                let found: Vec<&str> = header.iter().map(str::trim).collect();
                let hint = match field {
                    CsvField::Source | CsvField::Checked => format!(
                        ", or give every line's {} (--tariff-{} in the CLI)",
                        field.name(),
                        field.name()
                    ),
                    _ => String::new(),
                };
                return Err(Error::at(
                    ErrorCode::InvalidTariff,
                    "line 1",
                    format!(
                        "the tariff CSV has no column {name:?} for the field {}; its header is {found:?}: name the column (--tariff-columns {}=COLUMN in the CLI){hint}",
                        field.name(),
                        field.name()
                    ),
                ));
            }
        }
        Ok(Columns { at, layout })
    }

    /// The text of `field` in `row`, if a column holds it.
    fn get<'r>(&self, row: &'r StringRecord, field: CsvField) -> Option<&'r str> {
        let i = CsvField::ALL.iter().position(|f| *f == field)?;
        row.get(self.at[i]?)
    }
}

impl Tariff {
    /// Loads a CSV tariff laid out as `layout` says, for a regime whose currency is
    /// `currency`. Errors name the line (`line 4.duty`).
    pub fn from_csv(text: &str, currency: &str, layout: &CsvLayout) -> Result<Tariff, Error> {
        super::check_size(text)?;
        let bad = |line: u64, message: String| {
            Error::at(ErrorCode::InvalidTariff, format!("line {line}"), message)
        };
        let mut reader = CsvReader::new(text, layout.separator);
        let mut header = StringRecord::new();
        if reader
            .read(&mut header)
            .map_err(|(l, m)| bad(l, m))?
            .is_none()
        {
            return Err(Error::new(ErrorCode::InvalidTariff, "tariff CSV is empty"));
        }
        let columns = Columns::find(&header, layout)?;
        let mut tariff = Tariff::default();
        let mut row = StringRecord::new();
        while let Some(n) = reader.read(&mut row).map_err(|(l, m)| bad(l, m))? {
            let at = format!("line {n}");
            if row.len() == 1 && row[0].trim().is_empty() {
                continue;
            }
            if row.len() != header.len() {
                return Err(bad(
                    n,
                    format!(
                        "expected {} fields, as in the header, found {}",
                        header.len(),
                        row.len()
                    ),
                ));
            }
            tariff.push(columns.line(&row, currency, &at)?, &at)?;
        }
        tariff.sort();
        Ok(tariff)
    }
}

impl Columns<'_> {
    /// The tariff line of `row`.
    fn line(&self, row: &StringRecord, currency: &str, at: &str) -> Result<TariffLine, Error> {
        let text = |f: CsvField| self.get(row, f).unwrap_or_default();
        let duty = text(CsvField::Duty).trim();
        let checked = match self.get(row, CsvField::Checked) {
            Some(d) => d.trim().parse().map_err(|e: crate::date::DateError| {
                Error::at(ErrorCode::InvalidTariff, format!("{at}.checked"), e.0)
            })?,
            // `Columns::find` made sure there is a column or a date.
            None => self.layout.checked.ok_or_else(|| {
                Error::at(ErrorCode::InvalidTariff, format!("{at}.checked"), "no date")
            })?,
        };
        Ok(TariffLine {
            text: std::sync::Arc::from(duty),
            duty: parse_expression(duty, currency, &format!("{at}.duty"))?,
            hs: text(CsvField::Hs).trim().to_string(),
            description: text(CsvField::Description).to_string(),
            source: match self.get(row, CsvField::Source) {
                Some(s) => s.to_string(),
                None => self.layout.source.clone().unwrap_or_default(),
            },
            checked,
            confidence: Confidence::Confirmed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An excerpt shaped as Excel saves a sheet as "CSV UTF-8" in a German locale: a
    /// byte-order mark, `;` between fields, CRLF, its own column names and extra columns.
    const EXCEL: &str = "\u{feff}Warennummer;Beschreibung;Drittlandszollsatz;Einheit\r\n\
        6109100010;\"T-Shirts; aus Baumwolle\";12%;p/st\r\n\
        6403;Schuhe;8%;p/st\r\n\
        85171300;Smartphones;0%;p/st\r\n";

    fn german() -> CsvLayout {
        let mut layout = CsvLayout {
            source: Some("TARIC extract, sheet of 2026-11-28".into()),
            checked: Some("2026-11-28".parse().unwrap()),
            ..CsvLayout::default()
        };
        layout
            .map_columns("hs=Warennummer,duty=Drittlandszollsatz,description=Beschreibung")
            .unwrap();
        layout
    }

    #[test]
    fn an_excel_sheet_loads_with_a_header_map() {
        let t = Tariff::from_csv(EXCEL, "EUR", &german()).unwrap();
        let line = t.lookup("6109100010").unwrap();
        assert_eq!(line.description, "T-Shirts; aus Baumwolle");
        assert_eq!(line.duty.text(), "12%");
        assert_eq!(line.source, "TARIC extract, sheet of 2026-11-28");
        assert_eq!(line.checked.to_string(), "2026-11-28");
        assert_eq!(t.lookup("64039900").unwrap().duty.text(), "8%");
    }

    #[test]
    fn the_default_header_takes_semicolons_and_any_order() {
        let t = Tariff::from_text(
            "checked;hs;duty;source;description\n2026-11-28;6109;12%;test;\"Shirts; knitted\"\n",
            "EUR",
        )
        .unwrap();
        assert_eq!(t.lookup("610910").unwrap().description, "Shirts; knitted");
    }

    #[test]
    fn what_is_missing_is_named() {
        // No source column and no source for every line.
        let mut layout = german();
        layout.source = None;
        let e = Tariff::from_csv(EXCEL, "EUR", &layout).unwrap_err();
        assert_eq!(e.path.as_deref(), Some("line 1"));
        assert!(e.message.contains("no column \"source\""), "{e}");
        // A mapped column that is not there.
        let mut layout = german();
        layout.map_columns("duty=Zollsatz").unwrap();
        let e = Tariff::from_csv(EXCEL, "EUR", &layout).unwrap_err();
        assert!(e.message.contains("\"Zollsatz\""), "{e}");
        // A bad duty names its line (the byte-order mark and CRLF do not shift it).
        let e = Tariff::from_csv(&EXCEL.replace("8%", "8 %%"), "EUR", &german()).unwrap_err();
        assert_eq!(e.path.as_deref(), Some("line 3.duty"));
        let e = Tariff::from_csv(
            &EXCEL.replace(";p/st\r\n6403", "\r\n6403"),
            "EUR",
            &german(),
        )
        .unwrap_err();
        assert_eq!(e.path.as_deref(), Some("line 2"));
        assert!(CsvLayout::default().map_columns("rate=Duty").is_err());
        assert!(CsvLayout::default().map_columns("duty").is_err());
    }
}
