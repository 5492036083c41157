//! `--format usitc-hts`: the Harmonized Tariff Schedule of the United States as the USITC
//! exports it (hts.usitc.gov, "Export to JSON"), one file per revision, optionally gzipped.
//!
//! The export is a flat JSON array of rows in schedule order. A row has `htsno` (dotted, 4 to
//! 10 digits, or empty for a heading-less "superior" text row), `indent` (depth in the
//! description tree), `description`, `general` (column 1 General rate), `special`
//! (preferential programmes) and `other` (column 2). The rate sits on the 8-digit subheading;
//! its 10-digit statistical suffixes inherit it and carry no rate. Where a subheading has one
//! statistical line only, the export prints the rate on that 10-digit row (`8471.30.01.00`).
//!
//! What the converter writes:
//! * one line per row with a `general` rate, under its 8-digit code (a rate printed on a
//!   10-digit row is the rate of its 8-digit subheading, which then has no row of its own);
//! * duty columns `general` and `column2` (the export's `other`); `special` is not carried;
//! * chapter 99 is left out: its headings are additional duties reported beside a chapter 1-97
//!   number, not goods, and the regime pack models them (`additional_duties`);
//! * each rate's published text with the export's HTML markup removed and white space
//!   collapsed, and its translation into the duty grammar (or the reason it has none);
//! * a description prefixed with its parents' words, so "Other" stands alone.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::Deserialize;
use xborder::tariff::file::{Duty, HsEdition, Line};

use super::{Converter, Defaults, FileLines, Input, Options};

/// Longest description written, in characters (the tariff format's limit).
const MAX_DESCRIPTION: usize = 200;

/// The converter; it has no options.
pub(crate) struct Usitc;

/// Builds the converter, refusing options it does not know.
pub(crate) fn build(options: &Options) -> Result<Box<dyn Converter>, String> {
    options.refuse_unknown(&[])?;
    Ok(Box::new(Usitc))
}

impl Converter for Usitc {
    fn columns(&self) -> Vec<String> {
        vec!["general".into(), "column2".into()]
    }

    fn defaults(&self) -> Defaults {
        Defaults {
            regime: "US",
            currency: "USD",
            edition: HsEdition::Hs2022,
            title: "Harmonized Tariff Schedule of the United States",
            publisher: "United States International Trade Commission",
            licence: "US government work, public domain (17 U.S.C. 105)",
        }
    }

    fn convert(&self, inputs: &[Input]) -> Result<Vec<FileLines>, String> {
        inputs
            .iter()
            .map(|input| {
                let rows: Vec<Row> = serde_json::from_slice(&input.bytes)
                    .map_err(|e| format!("{}: not a USITC HTS JSON export: {e}", input.name))?;
                let lines = lines(&rows).map_err(|e| format!("{}: {e}", input.name))?;
                Ok(FileLines {
                    file: input.name.clone(),
                    lines,
                })
            })
            .collect()
    }
}

/// One row of the export. Fields the converter does not read are ignored, so that a later
/// export with more fields still converts.
#[derive(Deserialize)]
pub(crate) struct Row {
    #[serde(default)]
    htsno: String,
    indent: Indent,
    #[serde(default)]
    description: String,
    #[serde(default)]
    general: Option<String>,
    #[serde(default)]
    other: Option<String>,
    /// Notes on the row: "See 9903.88.15." points to the Chapter 99 headings that add duties.
    #[serde(default)]
    footnotes: Option<Vec<Footnote>>,
}

#[derive(Deserialize)]
struct Footnote {
    #[serde(default)]
    value: String,
}

/// The export writes the indent as a string (`"2"`); accept a number too.
#[derive(Deserialize)]
#[serde(untagged)]
enum Indent {
    Text(String),
    Number(u32),
}

impl Indent {
    fn depth(&self) -> Result<u32, String> {
        match self {
            Indent::Number(n) => Ok(*n),
            Indent::Text(t) => t
                .trim()
                .parse()
                .map_err(|_| format!("indent {t:?} is not a number")),
        }
    }
}

/// The tariff lines of one export, sorted by code.
fn lines(rows: &[Row]) -> Result<Vec<Line>, String> {
    // The rows above the current one with a smaller indent: its parents, outermost first.
    let mut parents: Vec<(u32, String)> = Vec::new();
    let mut out: BTreeMap<String, Line> = BTreeMap::new();
    for row in rows {
        let depth = row.indent.depth()?;
        while parents.last().is_some_and(|(d, _)| *d >= depth) {
            parents.pop();
        }
        let own = clean_description(&row.description);
        let general = row.general.as_deref().map(normalise).unwrap_or_default();
        let digits: String = row.htsno.chars().filter(|c| *c != '.').collect();
        if !general.is_empty() && !digits.starts_with("99") {
            let code = rate_code(&row.htsno, &digits)?;
            let other = row.other.as_deref().map(normalise).unwrap_or_default();
            let line = Line {
                code: code.clone(),
                duties: vec![
                    Some(duty(general)),
                    (!other.is_empty()).then(|| duty(other)),
                ],
                description: describe(parents.iter().map(|(_, d)| d.as_str()), &own),
            };
            if out.insert(code.clone(), line).is_some() {
                return Err(format!(
                    "two rows carry a rate for subheading {code} ({})",
                    row.htsno
                ));
            }
        }
        parents.push((depth, own));
    }
    Ok(out.into_values().collect())
}

/// The codes of the rows (chapters 1-98) whose footnotes refer to at least `min` of the
/// Chapter 99 `headings`: a rated row gives its 8-digit subheading, a statistical row its 10
/// digits; a code already covered by a shorter one is left out.
pub(crate) fn footnote_codes(rows: &[Row], headings: &[String], min: usize) -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    for row in rows {
        let digits: String = row.htsno.chars().filter(|c| *c != '.').collect();
        if digits.len() < 4 || digits.starts_with("99") {
            continue;
        }
        let cited = headings
            .iter()
            .filter(|h| row.footnotes.iter().flatten().any(|f| cites(&f.value, h)))
            .count();
        if cited >= min.max(1) {
            let rated = row
                .general
                .as_deref()
                .is_some_and(|g| !normalise(g).is_empty());
            let code = if rated && digits.len() == 10 {
                digits[..8].to_string()
            } else {
                digits
            };
            codes.insert(code);
        }
    }
    super::lists::minimal(codes)
}

/// Whether a footnote's text names `heading` (`9903.88.15`), not merely a longer number that
/// starts with it.
fn cites(text: &str, heading: &str) -> bool {
    text.match_indices(heading).any(|(i, _)| {
        !text[i + heading.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
            && !text[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_digit())
    })
}

/// The HTS numbers of goods (`0805.90.01`, `6307.90.9870`; not chapter 99's own headings)
/// printed in a Chapter 99 notes text after the first line starting with `after` (trimmed) and
/// before the next line starting with `before`.
pub(crate) fn note_codes(
    text: &str,
    after: &str,
    before: &str,
) -> Result<BTreeSet<String>, String> {
    let mut lines = text.lines().map(str::trim);
    if !lines.any(|l| l.starts_with(after)) {
        return Err(format!("no line starts with {after:?}"));
    }
    let mut codes = BTreeSet::new();
    for line in lines {
        if line.starts_with(before) {
            return Ok(super::lists::minimal(codes));
        }
        for word in line.split(|c: char| !(c.is_ascii_digit() || c == '.')) {
            let word = word.trim_end_matches('.');
            let parts: Vec<&str> = word.split('.').collect();
            let shape = matches!(parts.as_slice(), [a, b, c]
                if a.len() == 4 && b.len() == 2 && (c.len() == 2 || c.len() == 4)
                    && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())));
            // Chapter 99 numbers in the text are the headings themselves, not goods.
            if shape && !word.starts_with("99") {
                codes.insert(parts.concat());
            }
        }
    }
    Err(format!("no line after {after:?} starts with {before:?}"))
}

/// The 8-digit subheading a rated row prices.
fn rate_code(htsno: &str, digits: &str) -> Result<String, String> {
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !matches!(digits.len(), 8 | 10) {
        return Err(format!(
            "row {htsno:?} carries a rate but is not an 8- or 10-digit number"
        ));
    }
    Ok(digits[..8].to_string())
}

fn duty(text: String) -> Duty {
    Duty {
        expression: translate(&text),
        text,
    }
}

/// The export's text as printed: HTML markup (`m<sup>3</sup>`, `<i>Salmo</i>`, stray `<u></u>`)
/// removed and white space collapsed. Revisions differ in markup only, so without this the
/// same rate would read as changed.
pub(crate) fn normalise(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            _ => plain.push(c),
        }
    }
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn clean_description(text: &str) -> String {
    let text = normalise(text);
    text.trim_end_matches([':', ' ']).to_string()
}

/// A description that stands alone: the parents' words, outermost first, then the line's own,
/// joined by `": "`. When that is too long, the longest parents are shortened to a common
/// length (so that short qualifiers such as "Of cotton" survive whole); when even that is not
/// enough, parents next to the heading are left out, `…` marking the gap.
pub(crate) fn describe<'a>(parents: impl Iterator<Item = &'a str>, own: &str) -> String {
    /// Shortest a parent is cut to before parents are left out instead.
    const MIN_PART: usize = 24;
    let len = |s: &str| s.chars().count();
    let own = shorten(own, MAX_DESCRIPTION);
    let mut parents: Vec<&str> = parents.filter(|p| !p.is_empty()).collect();
    let mut gap = false;
    loop {
        let fixed = len(&own) + 2 * parents.len() + if gap { 3 } else { 0 };
        let room = MAX_DESCRIPTION.saturating_sub(fixed);
        let need = |level: usize| parents.iter().map(|p| len(p).min(level)).sum::<usize>();
        let longest = parents.iter().map(|p| len(p)).max().unwrap_or(0);
        if fixed <= MAX_DESCRIPTION && need(MIN_PART.min(longest)) <= room {
            // The highest common length at which every parent fits.
            let level = (MIN_PART.min(longest)..=longest)
                .rev()
                .find(|&l| need(l) <= room)
                .unwrap_or(MIN_PART);
            let mut parts: Vec<String> = parents.iter().map(|p| shorten(p, level)).collect();
            if gap {
                parts.insert(1, "…".into());
            }
            parts.push(own);
            return parts.join(": ");
        }
        if parents.len() <= 1 {
            return own;
        }
        parents.remove(1);
        gap = true;
    }
}

/// `text` cut to at most `max` characters at a word boundary, with `…` when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([' ', ',', ';', ':']))
}

/// The duty grammar's form of a published column-1 or column-2 rate, or why it has none.
///
/// Every form the 2025-2026 exports print is handled here; a new form fails with a reason
/// naming it, which the import counts and prints.
pub(crate) fn translate(text: &str) -> Result<String, String> {
    let lower = text.to_ascii_lowercase();
    if lower == "free" || lower.starts_with("free,") {
        // "Free, under bond, as prescribed in U.S. note 1" and "Free, for such temporary
        // periods…": free of duty, under a condition the text keeps.
        return Ok("free".into());
    }
    if let Some(reason) = not_computable(&lower) {
        return Err(reason.into());
    }
    if let Some(n) = lower.strip_suffix(" percent of the fair retail value") {
        // Chapter 98 flat rates on articles accompanying a traveller; the US pack reads the
        // fair retail value as the declared (intrinsic) value.
        return Ok(format!("{}%", number(n)?));
    }
    let parts = text
        .split('+')
        .map(component)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(parts.join(" + "))
}

/// Forms whose amount depends on facts no declaration carries, or on another provision.
fn not_computable(lower: &str) -> Option<&'static str> {
    const FORMS: &[(&str, &str)] = &[
        ("the rate", "the rate of another provision applies (set, part or accessory, or the article in the absence of this subheading)"),
        ("the duty rate provided", "the rate of another subheading applies, less a margin"),
        ("a duty", "a duty on a value the declaration does not carry (repairs, processing abroad, U.S. content, drawback)"),
        ("see additional u.s. note", "the rate is set by an additional U.S. note"),
        ("percent of the cost", "charged on the cost of repairs or parts, which the declaration does not carry"),
        ("for each degree", "depends on the sugar's polarimeter degrees"),
        ("jewel over", "charged per jewel above a number of jewels"),
        ("each other piece", "charged per piece of a watch movement, capped at the complete movement"),
        (" on the apparatus", "ad valorem parts on the values of the apparatus and its battery, which the declaration does not carry"),
        (" on the case", "ad valorem parts on the values of a watch's components (case, strap, battery), which the declaration does not carry"),
        (" on case and", "ad valorem parts on the values of a watch's components (case, strap, battery), which the declaration does not carry"),
        (" on the movement", "ad valorem parts on the values of a watch's components (movement, case, battery), which the declaration does not carry"),
        (" on the battery", "ad valorem parts on the values of a watch's components (movement, case, battery), which the declaration does not carry"),
        ("value of the rifle", "ad valorem parts on the values of the rifle and its telescopic sight, which the declaration does not carry"),
        ("/line/", "charged per line (button size) per gross, which the declaration does not carry"),
        ("drained we", "charged on the drained weight, which the declaration does not carry"),
        ("total sugars", "charged on the weight of total sugars, which the declaration does not carry"),
        ("recording surface", "charged per square metre of recording surface, which the declaration does not carry"),
        ("immediate containers", "charged per gross of immediate containers, which the declaration does not carry"),
        ("1/3%", "a rate of one third (33 1/3 %), which no finite decimal states exactly"),
    ];
    // "on ethyl alcohol content" qualifies a proof-litre rate, which is already per litre of
    // alcohol at proof strength: it is computable.
    let lower = lower.replace("pf. liter on ethyl alcohol content", "pf. liter");
    if let Some(reason) = FORMS
        .iter()
        .find(|(form, _)| lower.contains(form))
        .map(|(_, reason)| *reason)
    {
        return Some(reason);
    }
    // "on lead content", "of anhydrous morphine content"; not "on entire contents of
    // container", which is the net mass.
    lower
        .match_indices(" content")
        .any(|(i, m)| !lower[i + m.len()..].starts_with('s'))
        .then_some(
            "charged on the content of an element or substance (a metal, morphine), which the declaration does not carry",
        )
}

/// One `+`-separated part: `16.5%`, `49.7¢/kg`, `$1.50/doz.`, `37.5¢ each`.
fn component(part: &str) -> Result<String, String> {
    let part = part.trim();
    let lower = part.to_ascii_lowercase();
    // "37% /": a stray slash in one export.
    let lower = lower.trim_end_matches([' ', '/']);
    for suffix in ["% on the entire set", "%"] {
        if let Some(n) = lower.strip_suffix(suffix) {
            return Ok(format!("{}%", number(n)?));
        }
    }
    let (amount, rest) = money(lower).ok_or_else(|| format!("unrecognised rate form {part:?}"))?;
    // The unit, with every space removed, so that "/ liter", "/thou- sand" and "/1,000 pins"
    // read like their tidy forms.
    let unit: String = rest.chars().filter(|c| !c.is_whitespace()).collect();
    let (per, name, scale) = match unit.as_str() {
        "/kg" | "/kgonentirecontentsofcontainer" => ("", "kg", 1),
        "/kg,includingweightofcontainer" | "/kgoncontentsandcontainer" => ("", "kg gross", 1),
        "/g" => ("", "kg", 1000),
        "/t" => ("1000", "kg", 1),
        "/t,includingweightofcontainer" => ("1000", "kg gross", 1),
        "/cleankg" => ("", "kg clean", 1),
        "/liter" => ("", "l", 1),
        "/pf.liter" | "/pf.literonethylalcoholcontent" => ("", "pf l", 1),
        // A US barrel is 42 US gallons of 231 cubic inches: 158.987294928 litres exactly.
        "/bbl" => ("158.987294928 ", "l", 1),
        "/m" | "/lin.m" => ("", "m", 1),
        "/m2" => ("", "m2", 1),
        "/m3" => ("", "m3", 1),
        "/pr." => ("", "pair", 1),
        "each" | "/head" | "/article" | "/pack" => ("", "item", 1),
        "/doz." => ("12 ", "item", 1),
        "/gross" => ("144 ", "item", 1),
        "/1000" | "/1,000" | "/1,000pins" | "/thousand" | "/thou-sand" => ("1000 ", "item", 1),
        "/jewel" => ("", "jewel", 1),
        _ => return Err(format!("unrecognised unit in {part:?}")),
    };
    let amount = (amount * Decimal::from(scale)).normalize();
    Ok(format!("{amount} USD/{per}{name}"))
}

/// A leading amount in dollars (`$1.50`) or cents (`49.7¢`), and the text after it.
fn money(text: &str) -> Option<(Decimal, &str)> {
    if let Some(rest) = text.strip_prefix('$') {
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let amount = number(&rest[..end]).ok()?;
        return Some((amount, &rest[end..]));
    }
    let (n, rest) = text.split_once('¢')?;
    Some((number(n).ok()? / Decimal::ONE_HUNDRED, rest))
}

fn number(text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err(format!("{t:?} is not a plain decimal number"));
    }
    t.parse::<Decimal>()
        .map(|d| d.normalize())
        .map_err(|e| format!("{t:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> String {
        translate(&normalise(text)).unwrap_or_else(|e| panic!("{text:?}: {e}"))
    }

    #[test]
    fn every_printed_form_translates() {
        for (text, expected) in [
            ("Free", "free"),
            ("16.5%", "16.5%"),
            ("3.7% ", "3.7%"),
            ("2.5% <u></u>", "2.5%"),
            ("37% /", "37%"),
            ("49.7¢/kg + 19.7%", "0.497 USD/kg + 19.7%"),
            ("39.9¢/kg +6%", "0.399 USD/kg + 6%"),
            ("2.2¢/kg  +  33.5%", "0.022 USD/kg + 33.5%"),
            ("$1.646/kg", "1.646 USD/kg"),
            ("$9.92/kg+ 25%", "9.92 USD/kg + 25%"),
            ("37.5¢ each + 45%", "0.375 USD/item + 45%"),
            ("$10.75 each", "10.75 USD/item"),
            ("0.34¢/liter", "0.0034 USD/l"),
            ("4.5¢/ liter", "0.045 USD/l"),
            ("$1.24/t", "1.24 USD/1000kg"),
            (
                "$1.32/t, including weight of container",
                "1.32 USD/1000kg gross",
            ),
            (
                "0.2¢/kg, including weight of container",
                "0.002 USD/kg gross",
            ),
            ("5¢/kg on contents and container", "0.05 USD/kg gross"),
            ("2.1¢/kg on entire contents of container", "0.021 USD/kg"),
            ("10.6¢/g", "106 USD/kg"),
            ("55.1¢/clean kg", "0.551 USD/kg clean"),
            ("$1.13/m<sup>3</sup>", "1.13 USD/m3"),
            ("38¢/m2", "0.38 USD/m2"),
            ("14.5¢/m<sup>2 </sup>+ 0.4%", "0.145 USD/m2 + 0.4%"),
            ("10¢/m", "0.1 USD/m"),
            ("3.3¢/lin. m", "0.033 USD/m"),
            ("$1.32/pf. liter", "1.32 USD/pf l"),
            ("18.9¢/pf.liter", "0.189 USD/pf l"),
            (
                "3.1¢/liter + 22.1¢/pf. liter on ethyl alcohol content",
                "0.031 USD/l + 0.221 USD/pf l",
            ),
            ("5.25¢/bbl", "0.0525 USD/158.987294928 l"),
            ("76¢/pr. + 32%", "0.76 USD/pair + 32%"),
            ("2.8¢/doz.", "0.028 USD/12 item"),
            ("$16/doz. + 25%", "16 USD/12 item + 25%"),
            ("6.5¢/gross", "0.065 USD/144 item"),
            ("$6/1000", "6 USD/1000 item"),
            ("$2/1,000 + 60%", "2 USD/1000 item + 60%"),
            ("$1/1,000 pins + 35%", "1 USD/1000 item + 35%"),
            ("20¢/thousand + 3.5%", "0.2 USD/1000 item + 3.5%"),
            ("$2.50/thou- sand + 40%", "2.5 USD/1000 item + 40%"),
            ("$3/head", "3 USD/item"),
            (
                "13.5¢/kg + 6.3% + 1.9¢/article",
                "0.135 USD/kg + 6.3% + 0.019 USD/item",
            ),
            (
                "88.2¢/kg + 55% + 12.5¢/ article",
                "0.882 USD/kg + 55% + 0.125 USD/item",
            ),
            ("10¢/pack + 20%", "0.1 USD/item + 20%"),
            (
                "17¢ each + 2.5% + 1¢/jewel",
                "0.17 USD/item + 2.5% + 0.01 USD/jewel",
            ),
            ("6.5% on the entire set", "6.5%"),
            ("3 percent of the fair retail value", "3%"),
            (
                "Free, under bond, as prescribed in U.S. note 2 to this subchapter",
                "free",
            ),
        ] {
            assert_eq!(ok(text), expected, "{text}");
            // What the converter writes, the engine reads.
            xborder::duty_expr::DutyExpression::parse(expected, "USD")
                .unwrap_or_else(|e| panic!("{expected}: {e}"));
        }
    }

    #[test]
    fn forms_without_a_computable_amount_say_why() {
        for (text, reason) in [
            ("3.7¢/kg on drained weight", "drained weight"),
            ("22¢/kg on drained weght + 45%", "drained weight"),
            ("16.9¢/kg of total sugars + 5.1%", "total sugars"),
            ("1.7¢/kg on lead content", "content"),
            ("$40/kg of anhydrous morphine content", "content"),
            ("$4.75 each + 45% on the case + 80% on the strap, band or bracelet", "watch"),
            ("3.9% on the apparatus + 5.3% on the battery", "apparatus"),
            ("0.3¢/line/ gross + 4.6%", "button"),
            ("43¢ each + 2.8¢/jewel over 7 + 3.7% on the case", "jewel"),
            ("33 1/3%", "one third"),
            ("See additional U.S. note 1", "additional U.S. note"),
            ("The rate applicable to the article of which it is a part or accessory", "another provision"),
            ("A duty upon the value of the repairs or alterations (see U.S. note 3 of this subchapter)", "repairs"),
            ("50 percent of the cost of such parts", "cost"),
            ("86.1¢/m<sup>2</sup> of recording surface", "recording surface"),
            ("20¢/gross of immediate containers", "containers"),
            ("3.6606¢/kg less 0.020668¢/kg for each degree under 100 degrees (and fractions of a degree in proportion) but not less than 3.143854¢/kg", "polarimeter"),
        ] {
            let err = translate(&normalise(text)).unwrap_err();
            assert!(err.contains(reason), "{text}: {err}");
        }
        // A form nobody has seen yet is refused, never guessed.
        assert!(translate("12¢/furlong").unwrap_err().contains("furlong"));
        assert!(translate("about 5%").is_err());
    }

    #[test]
    fn markup_and_spacing_are_not_changes() {
        assert_eq!(normalise(" $1.13/m<sup>3</sup> "), "$1.13/m3");
        assert_eq!(
            normalise("Trout (<i>Salmo trutta,</i>  and <i>Oncorhynchus</i>)"),
            "Trout (Salmo trutta, and Oncorhynchus)"
        );
    }

    fn row(htsno: &str, indent: u32, description: &str, general: &str, other: &str) -> Row {
        Row {
            htsno: htsno.into(),
            indent: Indent::Number(indent),
            description: description.into(),
            general: Some(general.into()),
            other: Some(other.into()),
            footnotes: None,
        }
    }

    #[test]
    fn rated_rows_become_8_digit_lines_with_their_parents_words() {
        let rows = vec![
            row(
                "6201",
                0,
                "Men's or boys' overcoats, anoraks and similar articles:",
                "",
                "",
            ),
            row("6201.40", 1, "Of man-made fibers:", "", ""),
            row("", 2, "Anoraks (including ski-jackets):", "", ""),
            row(
                "6201.40.10.00",
                3,
                "Containing 15 percent or more by weight of down",
                "4.4%",
                "60%",
            ),
            row("", 3, "Other:", "", ""),
            row(
                "6201.40.15",
                4,
                "Containing 36 percent or more by weight of wool",
                "49.7¢/kg + 19.7%",
                "52.9¢/kg + 58.5%",
            ),
            row("6201.40.15.10", 5, "Men's (434)", "", ""),
            row("6201.40.20", 4, "Other", "27.7%", ""),
            row(
                "9903.88.15",
                0,
                "Articles the product of China",
                "The duty provided in the applicable subheading + 7.5%",
                "",
            ),
        ];
        let lines = lines(&rows).unwrap();
        let codes: Vec<_> = lines.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["62014010", "62014015", "62014020"]);
        let l = &lines[1];
        assert_eq!(l.duties[0].as_ref().unwrap().text, "49.7¢/kg + 19.7%");
        assert_eq!(
            l.duties[0].as_ref().unwrap().expression.as_deref(),
            Ok("0.497 USD/kg + 19.7%")
        );
        assert_eq!(
            l.duties[1].as_ref().unwrap().expression.as_deref(),
            Ok("0.529 USD/kg + 58.5%")
        );
        assert_eq!(
            lines[2].description,
            "Men's or boys' overcoats, anoraks and similar articles: Of man-made fibers: Anoraks (including ski-jackets): Other: Other"
        );
        // No column-2 rate: no duty in that column.
        assert!(lines[2].duties[1].is_none());
    }

    fn noted(htsno: &str, general: &str, notes: &[&str]) -> Row {
        Row {
            footnotes: Some(
                notes
                    .iter()
                    .map(|n| Footnote {
                        value: n.to_string(),
                    })
                    .collect(),
            ),
            ..row(htsno, 0, "x", general, "")
        }
    }

    #[test]
    fn footnotes_give_the_lines_a_chapter_99_heading_covers() {
        let rows = vec![
            noted("6109.10.00", "16.5%", &["See 9903.88.15. "]),
            noted("6109.10.00.04", "", &["See 9903.88.15. "]),
            noted("0101.30.00.00", "6.8%", &["See 9903.88.15. "]),
            noted(
                "6307.90.98",
                "7%",
                &["See 9817.57.01, 9903.88.15 and 9903.91.01. "],
            ),
            noted("6307.90.98.42", "", &["See 9903.91.07. "]),
            noted("8517.62.00", "Free", &["See 9903.88.04 and 9903.88.15. "]),
            // A longer number is not the heading.
            noted("8517.71.00", "Free", &["See 9903.88.151."]),
            noted("9903.88.15", "+ 7.5%", &["See 9903.88.15."]),
        ];
        let h = |hs: &[&str]| hs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let list: Vec<_> = footnote_codes(&rows, &h(&["9903.88.15"]), 1)
            .into_iter()
            .collect();
        // The rated 10-digit row is its 8-digit subheading; a statistical row under a listed
        // subheading adds nothing; chapter 99 is left out.
        assert_eq!(list, ["01013000", "61091000", "63079098", "85176200"]);
        let list: Vec<_> = footnote_codes(&rows, &h(&["9903.91.07"]), 1)
            .into_iter()
            .collect();
        assert_eq!(list, ["6307909842"]);
        let several = h(&["9903.88.04", "9903.88.15", "9903.91.01", "9903.91.07"]);
        let list: Vec<_> = footnote_codes(&rows, &several, 2).into_iter().collect();
        assert_eq!(list, ["63079098", "85176200"]);
    }

    #[test]
    fn notes_give_the_numbers_between_two_markers() {
        let text = "(d) Heading 9903.91.03 applies to:\n     (1) 8702.40.31\n(e) Heading 9903.91.04 applies to facemasks described in statistical reporting number\n  6307.90.9870, on or after January 1, 2025; see heading 9903.91.04.\n   99 - III - 341\n                   2845.20.00  2845.30.00\n(f) next";
        let codes: Vec<_> = note_codes(text, "(e) Heading 9903.91.04", "(f)")
            .unwrap()
            .into_iter()
            .collect();
        assert_eq!(codes, ["28452000", "28453000", "6307909870"]);
        assert!(note_codes(text, "(z)", "(f)").is_err());
        assert!(note_codes(text, "(e) Heading", "(q)").is_err());
    }

    #[test]
    fn a_rate_on_a_subheading_and_its_statistical_line_is_refused() {
        let rows = vec![
            row("0101.21.00", 0, "Purebred", "Free", "Free"),
            row("0101.21.00.10", 1, "Males", "Free", "Free"),
        ];
        assert!(lines(&rows).unwrap_err().contains("0101.21.00.10"));
        let rows = vec![row("0101", 0, "Horses", "Free", "")];
        assert!(lines(&rows).unwrap_err().contains("8- or 10-digit"));
    }

    #[test]
    fn long_descriptions_shorten_the_longest_parents_first() {
        let heading = "Men's or boys' overcoats, carcoats, capes, cloaks, anoraks (including ski-jackets), windbreakers and similar articles (including padded, sleeveless jackets), other than those of heading 6203";
        let d = describe(
            [heading, "Of man-made fibers", "Anoraks (including ski-jackets), windbreakers and similar articles (including padded, sleeveless jackets)", "Other"].into_iter(),
            "Containing 36 percent or more by weight of wool or fine animal hair",
        );
        assert!(d.chars().count() <= MAX_DESCRIPTION, "{d}");
        // The short qualifiers survive whole; the long heading and parent are shortened alike.
        assert_eq!(
            d,
            "Men's or boys' overcoats, carcoats, capes…: Of man-made fibers: Anoraks (including ski-jackets), windbreakers and…: Other: Containing 36 percent or more by weight of wool or fine animal hair"
        );
        // With no room for every parent, those next to the heading go first.
        let d = describe(
            [
                heading,
                "a".repeat(60).as_str(),
                "b".repeat(60).as_str(),
                "c".repeat(30).as_str(),
                "Other",
            ]
            .into_iter(),
            &"x".repeat(90),
        );
        assert!(d.chars().count() <= MAX_DESCRIPTION, "{d}");
        assert!(d.contains(": …: "), "{d}");
        assert!(d.ends_with(&format!(": Other: {}", "x".repeat(90))), "{d}");
        let short = describe(["Horses"].into_iter(), "Other");
        assert_eq!(short, "Horses: Other");
        let alone = describe(std::iter::empty(), &"x".repeat(300));
        assert_eq!(alone.chars().count(), MAX_DESCRIPTION);
    }
}
