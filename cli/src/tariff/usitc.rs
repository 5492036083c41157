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
    // Lines whose general rate is another subheading's less a margin, with their own words.
    let mut margins: Vec<(String, String)> = Vec::new();
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
            if line.duties[0]
                .as_ref()
                .is_some_and(|d| margin_of(&d.text).is_some())
            {
                margins.push((code.clone(), own.clone()));
            }
            if out.insert(code.clone(), line).is_some() {
                return Err(format!(
                    "two rows carry a rate for subheading {code} ({})",
                    row.htsno
                ));
            }
        }
        parents.push((depth, own));
    }
    for (code, own) in margins {
        let resolved = less_margin(&out, &own, &code);
        if let Some(Some(d)) = out.get_mut(&code).map(|l| l.duties[0].as_mut()) {
            d.expression = resolved;
        }
    }
    Ok(out.into_values().collect())
}

/// The margin of `The duty rate provided in such subheading minus N%` (chapter 98, U.S. note 20
/// to subchapter XXII), as a number of percentage points.
fn margin_of(text: &str) -> Option<Decimal> {
    let n = text
        .strip_prefix("The duty rate provided in such subheading minus ")?
        .strip_suffix('%')?;
    n.parse().ok()
}

/// A line priced at `such subheading`'s rate less a margin: the one subheading its own words
/// name (`Goods classifiable in subheading 6203.31.90`) and, where that subheading's general
/// rate is ad valorem, that rate less the margin in percentage points (17.5 % less 0.5 is
/// 17 %). Two subheadings named, a rate with a specific part (which part the margin comes off is
/// not said) or a subheading the export does not rate keep the line uncomputable, saying why.
fn less_margin(lines: &BTreeMap<String, Line>, own: &str, code: &str) -> Result<String, String> {
    let named: Vec<String> = own
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter(|w| w.len() == 10 && w.as_bytes()[4] == b'.' && w.as_bytes()[7] == b'.')
        .map(|w| w.replace('.', ""))
        .collect();
    let margin = lines
        .get(code)
        .and_then(|l| l.duties[0].as_ref())
        .and_then(|d| margin_of(&d.text))
        .unwrap_or_default();
    // One reason for every line left so, as for the other forms: the line's own words name
    // the subheading.
    const UNPRICED: &str = "the rate of the subheading named in the provision applies, less a margin, and it is not ad valorem (or two subheadings are named): declare the goods under that subheading";
    let [subheading] = named.as_slice() else {
        return Err(UNPRICED.into());
    };
    let rate = lines
        .get(subheading)
        .and_then(|l| l.duties[0].as_ref())
        .and_then(|d| d.expression.as_ref().ok())
        .and_then(|e| e.strip_suffix('%'))
        .and_then(|p| p.parse::<Decimal>().ok());
    match rate {
        Some(p) if p >= margin => Ok(format!("{}%", (p - margin).normalize())),
        _ => Err(UNPRICED.into()),
    }
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
    if let Some(sugar) = polarity(text) {
        return sugar;
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

/// Forms whose amount depends on another provision's rate, or on a value the grammar has no
/// measure for: the line keeps its text and this reason, and fails when it is hit.
fn not_computable(lower: &str) -> Option<&'static str> {
    const FORMS: &[(&str, &str)] = &[
        ("the rate applicable to each garment", "the rate of each garment of the ensemble as if entered separately applies: declare each garment as its own item under its own subheading"),
        ("the rate applicable to each article", "the rate of each article as if entered separately applies: declare each article as its own item under its own subheading"),
        ("the rate applicable, to each article", "the rate of each article as if entered separately applies: declare each article as its own item under its own subheading"),
        ("the rate of duty appli", "the rate of the article of the set with the highest rate applies: declare the set under that article's subheading"),
        ("the rate applicable to the article of which", "the rate of the article it is a part or accessory of applies: declare it under that article's subheading"),
        ("the rate applicable to the complete", "the rate of the complete, assembled movement applies: declare it under that movement's subheading"),
        ("the rate applicable to the natural juice", "the rate of the natural juice of heading 2009 it is made from applies: declare it under that juice's subheading"),
        ("the rate applicable in the absence", "the rate of the provision that would apply in the absence of this one applies: declare the goods under that provision"),
        ("the duty rate provided", "the rate of the subheading named in the provision applies, less a margin: declare the goods under that subheading"),
        ("a duty", "a duty on a value the declaration does not carry (repairs or processing abroad, U.S. content, drawback), at the rate of the article's own provision"),
        ("see additional u.s. note", "the rate is set by an additional U.S. note (a tariff-rate quota or a rate the note computes)"),
        ("each other piece", "charged per piece of a watch movement, capped at the duty on the complete movement (another provision's rate)"),
    ];
    FORMS
        .iter()
        .find(|(form, _)| lower.starts_with(form) || lower.contains(form))
        .map(|(_, reason)| *reason)
}

/// The raw-sugar rates of chapter 17: `A¢/kg less B¢/kg for each degree under 100 degrees (and
/// fractions of a degree in proportion) but not less than C¢/kg` is A per kg less B per kg for
/// each degree under 100, at least C per kg: `A USD/kg - B USD/kg deg MIN C USD/kg`, where
/// `kg deg` is the net mass times the degrees under 100.
fn polarity(text: &str) -> Option<Result<String, String>> {
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let flat = flat.to_ascii_lowercase();
    let (base, rest) = flat.split_once("less")?;
    let (step, rest) = rest
        .split_once("foreachdegreeunder100degrees(andfractionsofadegreeinproportion)butnotless")?;
    let floor = rest.strip_prefix("than").unwrap_or(rest);
    let per_kg = |t: &str| -> Result<Decimal, String> {
        let (amount, unit) = money(t).ok_or_else(|| format!("unrecognised amount {t:?}"))?;
        if unit != "/kg" {
            return Err(format!("unrecognised unit in {t:?}"));
        }
        Ok(amount.normalize())
    };
    Some((|| {
        Ok(format!(
            "{} USD/kg - {} USD/kg deg MIN {} USD/kg",
            per_kg(base)?,
            per_kg(step)?,
            per_kg(floor)?
        ))
    })())
}

/// One `+`-separated part: `16.5%`, `49.7¢/kg`, `$1.50/doz.`, `37.5¢ each`, `45% on the case`.
fn component(part: &str) -> Result<String, String> {
    let part = part.trim();
    let lower = part.to_ascii_lowercase();
    // "37% /": a stray slash in one export.
    let lower = lower.trim_end_matches([' ', '/']);
    for suffix in ["% on the entire set", "%"] {
        if let Some(n) = lower.strip_suffix(suffix) {
            return Ok(format!("{}%", percentage(n)?));
        }
    }
    if let Some((n, on)) = lower.split_once("% on ") {
        return Ok(format!("{}% on {}", number(n)?, part_name(on)?));
    }
    if let Some(n) = lower.strip_prefix("50 percent of the cost of such ") {
        // Chapter 98 (9802.00.40 ff.): half the cost of the goods, parts or materials.
        return match n {
            "goods or repairs" | "parts" | "parts or materials" => Ok("50% on cost".into()),
            _ => Err(format!("unrecognised rate form {part:?}")),
        };
    }
    let (amount, rest) = money(lower).ok_or_else(|| format!("unrecognised rate form {part:?}"))?;
    // The unit, with every space removed, so that "/ liter", "/thou- sand" and "/1,000 pins"
    // read like their tidy forms.
    let unit: String = rest.chars().filter(|c| !c.is_whitespace()).collect();
    let (per, name, scale) = match unit.as_str() {
        "/kg" | "/kgonentirecontentsofcontainer" => ("", "kg", 1),
        "/kg,includingweightofcontainer" | "/kgoncontentsandcontainer" => ("", "kg gross", 1),
        "/kgondrainedweight" | "/kgondrainedweght" => ("", "kg drained", 1),
        "/kgoftotalsugars" => ("", "kg sugars", 1),
        "/kgofanhydrousmorphinecontent" => ("", "kg morphine", 1),
        "/kgoncoppercontent" => ("", "kg copper", 1),
        "/kgonleadcontent" => ("", "kg lead", 1),
        "/kgonzinccontent" => ("", "kg zinc", 1),
        "/kgontungstencontent" => ("", "kg tungsten", 1),
        "/kgonmolybdenumcontent" => ("", "kg molybdenum", 1),
        "/kgonmanganesecontent" => ("", "kg manganese", 1),
        "/kgonsiliconcontent" => ("", "kg silicon", 1),
        "/kgonmagnesiumcontent" => ("", "kg magnesium", 1),
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
        "/m2ofrecordingsurface" => ("", "m2 recording", 1),
        "/m3" => ("", "m3", 1),
        "/pr." => ("", "pair", 1),
        "each" | "/head" | "/article" | "/pack" => ("", "item", 1),
        "/doz." => ("12 ", "item", 1),
        "/gross" => ("144 ", "item", 1),
        "/grossofimmediatecontainers" => ("144 ", "container", 1),
        // Per line (button size) per gross of buttons: per 144 button-lines.
        "/line/gross" => ("144 ", "line", 1),
        "/1000" | "/1,000" | "/1,000pins" | "/thousand" | "/thou-sand" => ("1000 ", "item", 1),
        "/jewel" => ("", "jewel", 1),
        "/jewelover7" => ("", "jewel over 7", 1),
        _ => return Err(format!("unrecognised unit in {part:?}")),
    };
    let amount = (amount * Decimal::from(scale)).normalize();
    Ok(format!("{amount} USD/{per}{name}"))
}

/// A percentage's number, or a whole number and a fraction (`33 1/3`, column 2), which the
/// grammar reads exactly.
fn percentage(n: &str) -> Result<String, String> {
    if let Some((whole, fraction)) = n.trim().split_once(' ') {
        if let Some((num, den)) = fraction.split_once('/') {
            let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
            if all_digits(whole) && all_digits(num) && all_digits(den) {
                return Ok(format!("{whole} {num}/{den}"));
            }
        }
    }
    Ok(number(n)?.to_string())
}

/// The grammar's name of the part an ad valorem component is charged on (`on the case`).
fn part_name(on: &str) -> Result<&'static str, String> {
    let on = on.trim().trim_end_matches([',', ' ']);
    let on = on.strip_suffix(", if any").unwrap_or(on);
    let on = on.strip_prefix("the ").unwrap_or(on);
    let on = on.strip_prefix("value of the ").unwrap_or(on);
    Ok(match on {
        "case" => "case",
        "strap, band or bracelet" => "strap",
        "case and strap, band or bracelet" => "case and strap",
        "movement" => "movement",
        "movement and case" => "movement and case",
        // "thebattery": a typo of the exports (9102.91.80, column 2).
        "battery" | "thebattery" => "battery",
        "apparatus" => "apparatus",
        "rifle" => "rifle",
        "telescopic sight" => "sight",
        "lead content" => "lead content",
        _ => return Err(format!("unrecognised part {on:?} after '% on'")),
    })
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
            // Column 2's third, exact in the grammar.
            ("33 1/3%", "33 1/3%"),
            // Measures no declaration carries: written in the grammar, which names them when
            // the line is hit.
            ("3.7¢/kg on drained weight", "0.037 USD/kg drained"),
            ("22¢/kg on drained weght + 45%", "0.22 USD/kg drained + 45%"),
            ("22¢/kg on drained weight+45%", "0.22 USD/kg drained + 45%"),
            ("16.9¢/kg of total sugars + 5.1%", "0.169 USD/kg sugars + 5.1%"),
            ("1.7¢/kg on lead content", "0.017 USD/kg lead"),
            (
                "8.8¢/kg on copper content + 3.3¢/kg on lead content + 3.7¢/kg on zinc content",
                "0.088 USD/kg copper + 0.033 USD/kg lead + 0.037 USD/kg zinc",
            ),
            ("$1.10/kg on molybdenum content + 15%", "1.1 USD/kg molybdenum + 15%"),
            ("$40/kg of anhydrous morphine content", "40 USD/kg morphine"),
            (
                "$4.75 each + 45% on the case + 80% on the strap, band or bracelet",
                "4.75 USD/item + 45% on case + 80% on strap",
            ),
            (
                "$2.25 each + 45% on the case +80% on the strap, band or bracelet + 35% on the battery",
                "2.25 USD/item + 45% on case + 80% on strap + 35% on battery",
            ),
            (
                "41¢ each + 5% on case and strap, band or bracelet + 4.2% on the battery",
                "0.41 USD/item + 5% on case and strap + 4.2% on battery",
            ),
            (
                "3.9% on the movement and case+ 5.3% on the battery",
                "3.9% on movement and case + 5.3% on battery",
            ),
            (
                "$2.70 each + 45% on the case + 35% on thebattery",
                "2.7 USD/item + 45% on case + 35% on battery",
            ),
            ("3.9% on the apparatus + 5.3% on the battery", "3.9% on apparatus + 5.3% on battery"),
            (
                "3.8% on the value of the rifle + 10% on the value of the telescopic sight, if any",
                "3.8% on rifle + 10% on sight",
            ),
            ("2.5% on the value of the lead content", "2.5% on lead content"),
            ("0.3¢/line/ gross + 4.6%", "0.003 USD/144 line + 4.6%"),
            (
                "43¢ each + 2.8¢/jewel over 7 + 3.7% on the case",
                "0.43 USD/item + 0.028 USD/jewel over 7 + 3.7% on case",
            ),
            ("86.1¢/m<sup>2</sup> of recording surface", "0.861 USD/m2 recording"),
            ("20¢/gross of immediate containers", "0.2 USD/144 container"),
            ("50 percent of the cost of such goods or repairs", "50% on cost"),
            (
                "3.6606¢/kg less 0.020668¢/kg for each degree under 100 degrees (and fractions of a degree in proportion) but not less than 3.143854¢/kg",
                "0.036606 USD/kg - 0.00020668 USD/kg deg MIN 0.03143854 USD/kg",
            ),
            (
                "4.3817¢/kg less 0.0622005¢ /kg for each degree under 100 degrees (and fractions of a degree in proportion) but not less 2.831562¢ /kg",
                "0.043817 USD/kg - 0.000622005 USD/kg deg MIN 0.02831562 USD/kg",
            ),
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
            ("See additional U.S. note 1", "additional U.S. note"),
            ("The rate applicable to the article of which it is a part or accessory", "part or accessory of"),
            ("The rate applicable to each garment in the ensemble if separately entered", "declare each garment"),
            ("The rate applicable in the absence of this heading", "in the absence of this one"),
            ("The rate of duty appli- cable to that article in the set subject to the high- est rate of duty", "highest rate"),
            ("The rate applicable to the natural juice in heading 2009", "natural juice"),
            ("The duty rate provided in such subheading minus 0.5%", "less a margin"),
            ("A duty upon the value of the repairs or alterations (see U.S. note 3 of this subchapter)", "repairs"),
            ("65% + 25¢/jewel + 3¢ for each other piece or part, but if consisting in part of a plate or a set of plates the total duty shall not exceed the duty for the complete movement", "complete movement"),
        ] {
            let err = translate(&normalise(text)).unwrap_err();
            assert!(err.contains(reason), "{text}: {err}");
        }
        // A form nobody has seen yet is refused, never guessed.
        assert!(translate("12¢/furlong").unwrap_err().contains("furlong"));
        assert!(translate("about 5%").is_err());
        assert!(translate("1¢/kg on tin content")
            .unwrap_err()
            .contains("tin"));
        assert!(translate("5% on the dial").unwrap_err().contains("dial"));
        assert!(translate("50 percent of the cost of such ships").is_err());
    }

    #[test]
    fn such_subheading_less_a_margin_is_the_named_ad_valorem_rate_less_the_points() {
        let rows = vec![
            row("6203.31.90", 0, "Suits of wool", "17.5%", "60%"),
            row(
                "6202.20.11",
                0,
                "Overcoats",
                "41¢/kg + 16.3%",
                "58.5¢/kg + 60%",
            ),
            row("6203.42.40", 0, "Trousers", "16.6%", "90%"),
            row(
                "9822.05.01",
                0,
                "Textile or apparel goods described in U.S. note 20",
                "",
                "",
            ),
            row(
                "9822.05.35",
                1,
                "Goods classifiable in subheading 6203.31.90",
                "The duty rate provided in such subheading minus 0.5%",
                "",
            ),
            row(
                "9822.05.30",
                1,
                "Goods classifiable in subheading 6202.20.11",
                "The duty rate provided in such subheading minus 0.5%",
                "",
            ),
            row(
                "9822.05.50",
                1,
                "Goods classifiable in subheading 6203.42.40 or 6204.62.40",
                "The duty rate provided in such subheading minus 0.5%",
                "",
            ),
            row(
                "9822.05.60",
                1,
                "Goods classifiable in subheading 6203.31.90 (for goods for boys only)",
                "The duty rate provided in such subheading minus 2.0%",
                "",
            ),
        ];
        let lines = lines(&rows).unwrap();
        let general = |code: &str| {
            lines.iter().find(|l| l.code == code).unwrap().duties[0]
                .clone()
                .unwrap()
                .expression
        };
        assert_eq!(general("98220535"), Ok("17%".to_string()));
        assert_eq!(general("98220560"), Ok("15.5%".to_string()));
        assert!(general("98220530").unwrap_err().contains("not ad valorem"));
        assert!(general("98220550").unwrap_err().contains("two subheadings"));
        // The printed text stays as the source prints it.
        let l = lines.iter().find(|l| l.code == "98220535").unwrap();
        assert_eq!(
            l.duties[0].as_ref().unwrap().text,
            "The duty rate provided in such subheading minus 0.5%"
        );
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
