//! The UK Global Tariff CSV (`global-uk-tariff.csv`, Department for International Trade,
//! uktrade/global-uk-tariff): one row per commodity code with the UK Global Tariff rate of
//! 2021-01-01 (`ukgt_duty_rate`) and the EU Common External Tariff rate of 2020 it replaced
//! (`cet_duty_rate`). One file, two tariffs: [`Column`] picks which.
//!
//! Rates are written in the notation of the UK and EU tariffs (`10.00% + 77.00 GBP/100kg`,
//! `52.00 EUR / 1,000 items`, `4.50% MIN 0.30 EUR / item MAX 0.80 EUR / item`). Those whose
//! amount depends on facts a declaration does not carry (entry prices, the agricultural
//! component, sugar or milk content, drained weight) and seasonal rates are written as not
//! computable with the reason; see [`translate`].

use serde::Deserialize;

use xborder::tariff::file::{short_description, HsEdition, Line};

use super::translate::{number, Translation};
use super::{Converter, Defaults, FileLines, Input, Options};

/// Which of the file's two rate columns becomes the tariff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// `ukgt_duty_rate`: the UK Global Tariff (GBP).
    Ukgt,
    /// `cet_duty_rate`: the EU Common External Tariff of 2020 (EUR).
    Cet,
}

impl Column {
    /// The currency of the column's specific rates.
    pub fn currency(self) -> &'static str {
        match self {
            Column::Ukgt => "GBP",
            Column::Cet => "EUR",
        }
    }

    /// Reads the option value (`ukgt` or `cet`).
    pub fn parse(name: &str) -> Option<Column> {
        match name {
            "ukgt" | "ukgt_duty_rate" => Some(Column::Ukgt),
            "cet" | "cet_duty_rate" => Some(Column::Cet),
            _ => None,
        }
    }
}

#[derive(Deserialize)]
struct Row {
    commodity: String,
    description: String,
    ukgt_duty_rate: String,
    cet_duty_rate: String,
}

/// Converts the CSV text into one line per commodity code, each with one duty column.
pub fn convert(csv_text: &str, column: Column) -> Result<Vec<Line>, String> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let mut lines: Vec<Line> = Vec::new();
    for (i, row) in reader.deserialize::<Row>().enumerate() {
        // Line 1 is the header.
        let row = row.map_err(|e| format!("line {}: {e}", i + 2))?;
        let code = row.commodity.trim();
        if !(2..=10).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "line {}: commodity {code:?} is not 2-10 digits",
                i + 2
            ));
        }
        let text = match column {
            Column::Ukgt => &row.ukgt_duty_rate,
            Column::Cet => &row.cet_duty_rate,
        }
        .trim();
        let duty = (!text.is_empty()).then(|| translate(text, column.currency()).into_duty(text));
        lines.push(Line {
            code: code.to_string(),
            duties: vec![duty],
            description: short_description(&row.description),
        });
    }
    lines.sort_by(|a, b| a.code.cmp(&b.code));
    if let Some(w) = lines.windows(2).find(|w| w[0].code == w[1].code) {
        return Err(format!("commodity {} appears twice", w[0].code));
    }
    Ok(lines)
}

/// Translates one published rate of the UK or EU tariff; `currency` is the column's.
pub fn translate(published: &str, currency: &str) -> Translation {
    let text = published
        .replace('\u{a0}', " ")
        .replace('€', " EUR ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if let Some(reason) = not_computable(&text) {
        return Translation::NotComputable(reason.to_string());
    }
    match expression(&text, currency) {
        Some(e) if e == "0%" => Translation::Expr("free".into()),
        Some(e) => Translation::Expr(e),
        None => Translation::Unrecognised,
    }
}

/// Why a rate cannot be computed from a declaration, if it cannot.
fn not_computable(text: &str) -> Option<&'static str> {
    let upper = text.to_ascii_uppercase();
    let words: Vec<&str> = upper
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    Some(if upper.contains("ENTRY PRICE") {
        "entry-price system: the duty depends on the entry price of the consignment (CN Annex 2), which a declaration does not carry"
    } else if has("EA") || has("ADSZ") || has("ADFM") {
        "agricultural component (EA) and additional duties on sugar (ADSZ) or flour (ADFM): the amount depends on the goods' content of milk fat, milk protein, starch and sugar (Meursing table), which a declaration does not carry"
    } else if is_seasonal(&upper) {
        "seasonal rate: which rate applies depends on the day of the year the goods are imported, which the duty grammar cannot express yet"
    } else if upper.contains("LACTIC MATTER") {
        "specific duty per kg of lactic (milk) matter, which a declaration does not carry"
    } else if upper.contains("DRAINED") || has("EDA") {
        "specific duty per 100 kg of net drained weight, which a declaration does not carry"
    } else if upper.contains("SACCHAR") {
        "specific duty per 100 kg net per 1 % of sucrose content, which a declaration does not carry"
    } else if upper.contains("STD QUAL") {
        "specific duty per 100 kg of sugar of the standard quality, adjusted for the goods' yield, which a declaration does not carry"
    } else if upper.contains("TOT ALC") {
        "specific duty per kg of total alcohol content, which a declaration does not carry"
    } else {
        return None;
    })
}

/// Whether the text gives rates for periods of the year: `(01 JUL - 31 JAN)`.
fn is_seasonal(upper: &str) -> bool {
    const MONTHS: [&str; 12] = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ];
    upper.contains('(') && MONTHS.iter().any(|m| upper.contains(m))
}

/// The expression of a rate built from percentages and specific amounts, clamped by `MIN`
/// and `MAX`; `None` for anything else.
fn expression(text: &str, currency: &str) -> Option<String> {
    let mut out = String::new();
    let mut first = true;
    // Split on the clamp keywords, keeping them: `A MIN B MAX C`.
    for (i, part) in text.split(" MIN ").enumerate() {
        let mut pieces = part.split(" MAX ");
        let head = pieces.next()?;
        if i > 0 {
            out.push_str(" MIN ");
        }
        out.push_str(&compound(head, currency, first)?);
        first = false;
        for max in pieces {
            out.push_str(" MAX ");
            out.push_str(&compound(max, currency, false)?);
        }
    }
    Some(out)
}

/// `A + B + …`; `leading` when this is the very first compound, where a bare number is a
/// percentage (the CET column writes `7.2 MIN 0.36 EUR/100 kg` for 7.2 %).
fn compound(text: &str, currency: &str, leading: bool) -> Option<String> {
    let parts: Vec<String> = text
        .split('+')
        .enumerate()
        .map(|(i, c)| component(c.trim(), currency, leading && i == 0))
        .collect::<Option<_>>()?;
    Some(parts.join(" + "))
}

/// One percentage or specific amount.
fn component(text: &str, currency: &str, bare_is_percent: bool) -> Option<String> {
    if let Some(p) = text.strip_suffix('%') {
        return Some(format!("{}%", number(p)?));
    }
    if bare_is_percent {
        if let Some(n) = number(text) {
            return Some(format!("{n}%"));
        }
    }
    // `77.00 GBP/100kg`, `52.00 EUR / 1,000 items`, `0.20 GBP/ item`.
    let (amount, rest) = text.split_once(' ')?;
    let amount = number(amount)?;
    let rest = rest.trim_start();
    let unit_text = rest
        .strip_prefix(currency)?
        .trim_start()
        .strip_prefix('/')?;
    Some(format!("{amount} {currency}/{}", unit(unit_text)?))
}

/// The grammar's unit for a unit as the UK and EU tariffs print it.
fn unit(published: &str) -> Option<&'static str> {
    let key: String = published
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',')
        .collect::<String>()
        .to_ascii_lowercase();
    Some(match key.as_str() {
        "kg" | "kg/net" => "kg",
        "100kg" | "100kg/net" => "100kg",
        "tonne" | "1000kg" => "1000kg",
        "100kg/gross" | "100kg/br" => "100kg gross",
        // `mas` (matière sèche) and `net dry` both mean dry matter.
        "100kgmas" | "100kg/netdry" => "100kg dry",
        "hl" => "hl",
        // Per % vol per hectolitre = per litre of pure alcohol: 1 hl at 1 % vol holds 1 l.
        "%vol/hl" => "l alc",
        "item" | "items" => "item",
        "1000items" => "1000 item",
        "100m" => "100 m",
        "m2" => "m2",
        _ => return None,
    })
}

/// `--format ukgt`: option `column=ukgt` (GB) or `column=cet` (EU), required.
pub(crate) fn build(options: &Options) -> Result<Box<dyn Converter>, String> {
    options.refuse_unknown(&["column"])?;
    let column = match options.get("column") {
        Some(name) => Column::parse(name)
            .ok_or_else(|| format!("option column={name:?}: expected ukgt or cet"))?,
        None => {
            return Err(
                "option column is required: column=ukgt (UK Global Tariff) or column=cet (EU Common External Tariff)"
                    .into(),
            )
        }
    };
    Ok(Box::new(Ukgt { column }))
}

/// The converter for one column of the file.
struct Ukgt {
    column: Column,
}

impl Converter for Ukgt {
    fn columns(&self) -> Vec<String> {
        vec!["third_country".into()]
    }

    fn defaults(&self) -> Defaults {
        match self.column {
            Column::Ukgt => Defaults {
                regime: "GB",
                currency: "GBP",
                edition: HsEdition::Hs2017,
                title: "UK Global Tariff",
                publisher: "Department for International Trade, United Kingdom",
                licence: "Crown copyright, Open Government Licence v3.0",
            },
            Column::Cet => Defaults {
                regime: "EU",
                currency: "EUR",
                edition: HsEdition::Hs2017,
                title: "Common Customs Tariff of the European Union (third-country duties)",
                publisher:
                    "European Commission, as tabulated by the UK Department for International Trade",
                licence: "Crown copyright, Open Government Licence v3.0 (the tabulation)",
            },
        }
    }

    fn convert(&self, inputs: &[Input]) -> Result<Vec<FileLines>, String> {
        inputs
            .iter()
            .map(|input| {
                let text = std::str::from_utf8(&input.bytes)
                    .map_err(|e| format!("{}: not UTF-8: {e}", input.name))?;
                let lines =
                    convert(text, self.column).map_err(|e| format!("{}: {e}", input.name))?;
                Ok(FileLines {
                    file: input.name.clone(),
                    lines,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(text: &str, currency: &str) -> String {
        match translate(text, currency) {
            Translation::Expr(e) => e,
            other => panic!("{text:?}: {other:?}"),
        }
    }

    fn reason(text: &str, currency: &str) -> String {
        match translate(text, currency) {
            Translation::NotComputable(r) => r,
            other => panic!("{text:?}: {other:?}"),
        }
    }

    #[test]
    fn ukgt_rates() {
        assert_eq!(expr("12.00%", "GBP"), "12%");
        assert_eq!(expr("0.00%", "GBP"), "free");
        assert_eq!(
            expr("10.00% + 77.00 GBP/100kg", "GBP"),
            "10% + 77 GBP/100kg"
        );
        assert_eq!(expr("43.00 GBP/1000 items", "GBP"), "43 GBP/1000 item");
        assert_eq!(expr("127.00 GBP/ 1000 items", "GBP"), "127 GBP/1000 item");
        assert_eq!(expr("0.20 GBP/ item", "GBP"), "0.2 GBP/item");
        assert_eq!(expr("26.00 GBP/hl", "GBP"), "26 GBP/hl");
        assert_eq!(expr("1.40 GBP / % vol / hl", "GBP"), "1.4 GBP/l alc");
        assert_eq!(
            expr("0.50 GBP/%vol/hl + 2.60 GBP/hl", "GBP"),
            "0.5 GBP/l alc + 2.6 GBP/hl"
        );
        assert_eq!(expr("42.00 GBP/100kg mas", "GBP"), "42 GBP/100kg dry");
        assert_eq!(
            expr("40.00% + 101.00 GBP/hl + 17 GBP/100kg", "GBP"),
            "40% + 101 GBP/hl + 17 GBP/100kg"
        );
    }

    #[test]
    fn cet_rates() {
        assert_eq!(
            expr("10.20% + 93.10 EUR / 100 kg", "EUR"),
            "10.2% + 93.1 EUR/100kg"
        );
        assert_eq!(expr("52.00 EUR / 1,000 items", "EUR"), "52 EUR/1000 item");
        assert_eq!(expr("1,024.00 EUR / tonne", "EUR"), "1024 EUR/1000kg");
        assert_eq!(
            expr("4.50% MIN 0.30 EUR / item MAX 0.80 EUR / item", "EUR"),
            "4.5% MIN 0.3 EUR/item MAX 0.8 EUR/item"
        );
        assert_eq!(
            expr("0.50 EUR / item MIN 2.70% MAX 4.60%", "EUR"),
            "0.5 EUR/item MIN 2.7% MAX 4.6%"
        );
        assert_eq!(
            expr(
                "9.10% + 45.10 EUR / 100 kg MAX 18.90% + 16.50 EUR / 100 kg",
                "EUR"
            ),
            "9.1% + 45.1 EUR/100kg MAX 18.9% + 16.5 EUR/100kg"
        );
        assert_eq!(
            expr("3.80% MIN 0.60 EUR / 100 kg / gross", "EUR"),
            "3.8% MIN 0.6 EUR/100kg gross"
        );
        assert_eq!(
            expr("6.50% MAX 5.00 EUR / 100 m", "EUR"),
            "6.5% MAX 5 EUR/100 m"
        );
        assert_eq!(expr("8.00% MAX 2.80 EUR / m2", "EUR"), "8% MAX 2.8 EUR/m2");
        assert_eq!(
            expr("7.2 MIN 0.36 EUR/100 kg", "EUR"),
            "7.2% MIN 0.36 EUR/100kg"
        );
        assert_eq!(
            expr("6.4 + 24.6 EUR/100 kg", "EUR"),
            "6.4% + 24.6 EUR/100kg"
        );
        assert_eq!(
            expr("1.30 EUR / % vol / hl MIN 7.20 EUR / hl", "EUR"),
            "1.3 EUR/l alc MIN 7.2 EUR/hl"
        );
        assert_eq!(
            expr("16.00% + 50.70 EUR / 100 kg / net dry", "EUR"),
            "16% + 50.7 EUR/100kg dry"
        );
    }

    #[test]
    fn rates_a_declaration_cannot_price_say_why() {
        assert!(reason("Entry Price", "EUR").starts_with("entry-price system"));
        assert!(reason("9.00% +  EA MAX 18.70%  + ADSZ", "EUR").contains("(EA)"));
        assert!(reason("15.40% +  EA", "EUR").contains("Meursing"));
        assert!(
            reason("14.00% (01 JUL - 31 JAN), 0.00% (01 FEB - 30 JUN)", "GBP")
                .starts_with("seasonal rate")
        );
        assert!(reason(
            "9.60% MIN 1.1\u{a0}€/100\u{a0}kg/net (01 JAN-14 APR, 1 DEC-31 DEC), 13.60% MIN 1.6€/100kg/net",
            "EUR"
        )
        .starts_with("seasonal rate"));
        assert!(reason("1.00 GBP/kg/lactic matter + 23.00 GBP/100kg", "GBP").contains("lactic"));
        assert!(reason("4.00% + 7.80 GBP/100kg eda", "GBP").contains("drained"));
        assert!(reason("5.10% + 9.40 EUR / 100 kg / net drained wt", "EUR").contains("drained"));
        assert!(reason("0.30 GBP/100kg/net/%sacchar.", "GBP").contains("sucrose"));
        assert!(reason("28.00 GBP/100kg std qual", "GBP").contains("standard quality"));
        assert!(reason("1.62 EUR / kg / tot alc", "EUR").contains("total alcohol"));
    }

    #[test]
    fn other_currency_or_unknown_units_are_not_guessed() {
        assert_eq!(
            translate("10 EUR / 100 kg", "GBP"),
            Translation::Unrecognised
        );
        assert_eq!(
            translate("10 GBP / barrel", "GBP"),
            Translation::Unrecognised
        );
        assert_eq!(translate("ten percent", "GBP"), Translation::Unrecognised);
    }

    /// A real excerpt of the UKGT file: 28 rows chosen to cover every form of rate.
    #[test]
    fn converts_the_real_excerpt_in_both_columns() {
        let csv = include_str!("../../tests/fixtures/ukgt/global-uk-tariff-excerpt.csv");
        let gb = convert(csv, Column::Ukgt).unwrap();
        let eu = convert(csv, Column::Cet).unwrap();
        assert_eq!(gb.len(), 28);
        let duty = |lines: &[Line], code: &str| {
            let line = lines
                .iter()
                .find(|l| l.code == code)
                .unwrap_or_else(|| panic!("{code}"));
            line.duties[0].clone().unwrap()
        };
        // The issue's spot check: UK 6109 10 00, T-shirts of cotton, 12 %.
        assert_eq!(duty(&gb, "61091000").text, "12.0%");
        assert_eq!(duty(&gb, "61091000").expression, Ok("12%".into()));
        assert_eq!(duty(&eu, "61091000").expression, Ok("12%".into()));
        assert_eq!(
            duty(&gb, "01022910").expression,
            Ok("10% + 77 GBP/100kg".into())
        );
        assert_eq!(
            duty(&eu, "01022910").expression,
            Ok("10.2% + 93.1 EUR/100kg".into())
        );
        assert_eq!(
            duty(&gb, "2204218595").expression,
            Ok("1.4 GBP/l alc".into())
        );
        assert_eq!(
            duty(&eu, "91011100").expression,
            Ok("4.5% MIN 0.3 EUR/item MAX 0.8 EUR/item".into())
        );
        assert!(duty(&eu, "07020000")
            .expression
            .unwrap_err()
            .starts_with("entry-price"));
        assert_eq!(
            duty(&gb, "07020000").text,
            "8.00% (01 NOV - 14 MAY), 14.00% (15 MAY - 31 OCT)"
        );
        assert_eq!(
            gb.iter()
                .find(|l| l.code == "61091000")
                .unwrap()
                .description,
            "T-shirts, singlets and other vests of cotton, knitted or crocheted"
        );
        super::super::translate::write_for_test("GB", "GBP", gb.clone());
        super::super::translate::write_for_test("EU", "EUR", eu.clone());
        for lines in [&gb, &eu] {
            assert!(lines.windows(2).all(|w| w[0].code < w[1].code));
            assert!(lines
                .iter()
                .all(|l| l.duties[0].as_ref().unwrap().expression
                    != Err(super::super::translate::UNRECOGNISED.into())));
        }
    }
}
