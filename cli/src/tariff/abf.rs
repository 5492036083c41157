//! Australia's Customs Tariff Act 1995, Schedule 3 (general rates), as the JSON published by
//! networkneedsau/australian-tariff-classification (`tariff-schedule3.json`): sections of
//! chapters of headings of classifications, each with its 8-digit `referenceNumber`
//! (`0101.21.00`) and a `dutyRate` text in which the general rate runs together with the
//! concessional rates (`5% DCS4% CAFree DCT5%`), staged reductions
//! (`5% From1July2018 3.75% From1July2019 Free`) and, here and there, zero-width spaces.
//!
//! The data is partial: whole chapters (61, 62, 72 and others), some headings and some
//! subheadings of the chapters it has are missing. Every part that is missing gets a line
//! whose duty is not computable and says so (`!chapter 61 is not in the source data …`), so
//! that a declaration under it fails with a message naming the gap rather than with a bare
//! "no tariff line". Headings and subheadings are found missing against the list of HS 2022
//! subheadings, when one is given.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use xborder::tariff::file::{short_description, Duty, HsEdition, Line};

use super::translate::{number, Translation};
use super::{Converter, Defaults, FileLines, Input, Options};

#[derive(Deserialize)]
struct Section {
    chapters: Vec<Chapter>,
}

#[derive(Deserialize)]
struct Chapter {
    number: u32,
    headings: Vec<Heading>,
}

#[derive(Deserialize)]
struct Heading {
    classifications: Vec<Classification>,
}

#[derive(Deserialize)]
struct Classification {
    #[serde(rename = "referenceNumber")]
    reference_number: String,
    description: String,
    #[serde(rename = "dutyRate")]
    duty_rate: String,
}

/// What the converter needs besides the schedule.
pub struct Settings<'a> {
    /// The date the rates are read as of: a staged reduction takes the last stage that began on
    /// or before it.
    pub as_of: xborder::date::Date,
    /// How the source is named in the message of a missing part:
    /// `Schedule 3 scrape of April 2026`.
    pub source_name: &'a str,
    /// The HS 2022 six-digit subheadings, to find missing headings and subheadings.
    pub hs_subheadings: Option<&'a [String]>,
}

/// Converts the Schedule 3 JSON into one line per 8-digit classification, plus one line per
/// missing chapter, heading or subheading.
pub fn convert(json: &str, options: &Settings) -> Result<Vec<Line>, String> {
    let sections: Vec<Section> =
        serde_json::from_str(json).map_err(|e| format!("tariff-schedule3.json: {e}"))?;
    let mut lines: BTreeMap<String, Line> = BTreeMap::new();
    let mut chapters = BTreeSet::new();
    for chapter in sections.iter().flat_map(|s| &s.chapters) {
        chapters.insert(chapter.number);
        for heading in &chapter.headings {
            let mut parents = Vec::new();
            for class in &heading.classifications {
                let code: String = class
                    .reference_number
                    .chars()
                    .filter(char::is_ascii_digit)
                    .collect();
                let description = describe(&mut parents, &code, &class.description);
                let text = clean(&class.duty_rate);
                // Rows without a rate are the statistical breakdown of the line above or the
                // heading of a subheading ("View TCOs for 8462.59"): nothing to price.
                if text.is_empty() || text.starts_with("View TCOs") {
                    continue;
                }
                if !(2..=10).contains(&code.len()) {
                    return Err(format!(
                        "classification {:?}: not a tariff code",
                        class.reference_number
                    ));
                }
                let duty = translate(&text, options.as_of).into_duty(&text);
                let line = Line {
                    code: code.clone(),
                    duties: vec![Some(duty)],
                    description,
                };
                match lines.get(&code) {
                    // Chapters the source repeats under several sections carry the same lines.
                    Some(seen) if seen.duties == line.duties => {}
                    Some(seen) => {
                        return Err(format!(
                            "classification {code} has two rates: {:?} and {:?}",
                            seen.duties[0].as_ref().map(|d| &d.text),
                            text
                        ))
                    }
                    None => {
                        lines.insert(code, line);
                    }
                }
            }
        }
    }
    for missing in missing_parts(&chapters, &lines, options) {
        lines.insert(missing.code.clone(), missing);
    }
    let lines: Vec<Line> = lines.into_values().collect();
    Ok(lines)
}

/// A line per missing chapter, heading and subheading.
fn missing_parts(
    chapters: &BTreeSet<u32>,
    lines: &BTreeMap<String, Line>,
    options: &Settings,
) -> Vec<Line> {
    let gap = |kind: &str, code: &str, shown: String| {
        let reason = format!(
            "{kind} {shown} is not in the source data ({})",
            options.source_name
        );
        Line {
            code: code.to_string(),
            duties: vec![Some(Duty {
                text: format!("{kind} {shown}: not in the source data"),
                expression: Err(reason),
            })],
            description: format!("{kind} {shown} (not in the source data)"),
        }
    };
    let mut out = Vec::new();
    // Chapter 77 is reserved in the Harmonized System: there is nothing to be missing.
    for n in (1..=97).filter(|n| *n != 77 && !chapters.contains(n)) {
        out.push(gap("chapter", &format!("{n:02}"), n.to_string()));
    }
    let Some(subheadings) = options.hs_subheadings else {
        return out;
    };
    let covered = |prefix: &str| {
        lines
            .range(prefix.to_string()..)
            .next()
            .is_some_and(|(code, _)| code.starts_with(prefix))
    };
    let mut headings_done = BTreeSet::new();
    for sub in subheadings {
        let chapter: u32 = sub[..2].parse().unwrap_or(0);
        if !chapters.contains(&chapter) || covered(sub) {
            continue;
        }
        let heading = &sub[..4];
        if !covered(heading) {
            if headings_done.insert(heading.to_string()) {
                out.push(gap(
                    "heading",
                    heading,
                    format!("{}.{}", &heading[..2], &heading[2..]),
                ));
            }
        } else {
            out.push(gap(
                "subheading",
                sub,
                format!("{}.{}", &sub[..4], &sub[4..]),
            ));
        }
    }
    out
}

/// A classification's description with the words of the rows above it that it belongs to, so
/// that "Other" reads as what it is: the rows of a heading come in order, each with one dash
/// per level (`- Sparkling wine`, `--- Other`). A row above is a parent when it has fewer
/// dashes and its code is a proper prefix of this one's; the source leaves out some levels
/// (6403.51 "Covering the ankle" has no "Other footwear, with outer soles of leather" row),
/// and the prefix test keeps a line from taking a wrong parent when one is missing.
fn describe(parents: &mut Vec<(usize, String, String)>, code: &str, published: &str) -> String {
    let text = published.replace('\u{200b}', "");
    let text = text.trim();
    let depth = text.chars().take_while(|c| *c == '-').count();
    let words = text[depth..]
        .trim()
        .trim_end_matches(':')
        .trim()
        .to_string();
    while let Some((d, c, _)) = parents.last() {
        if *d < depth && code.len() > c.len() && code.starts_with(c.as_str()) {
            break;
        }
        parents.pop();
    }
    let mut parts: Vec<&str> = parents.iter().map(|(_, _, w)| w.as_str()).collect();
    parts.push(&words);
    let description = short_description(&parts.join(": "));
    parents.push((depth, code.to_string(), words));
    description
}

/// The rate text without zero-width and non-breaking spaces, whitespace collapsed.
fn clean(text: &str) -> String {
    text.replace(['\u{200b}', '\u{feff}'], "")
        .replace('\u{a0}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Translates the general rate out of a Schedule 3 rate text.
pub fn translate(text: &str, as_of: xborder::date::Date) -> Translation {
    let Some(general) = general_rate(text, as_of) else {
        return Translation::Unrecognised;
    };
    let lower = general.to_ascii_lowercase();
    if lower.contains("exceeds") {
        return Translation::NotComputable(
            "specific duty per litre of alcohol above a threshold strength (the first 1.15 % vol is not counted), which a declaration does not carry".into(),
        );
    }
    if lower.contains("tobacco content") {
        return Translation::NotComputable(
            "specific duty per kg of tobacco content, which a declaration does not carry".into(),
        );
    }
    if lower.contains("tss") {
        return Translation::NotComputable(
            "the lower of an ad valorem rate and a rate per kg of total soluble solids (TSS), which a declaration does not carry".into(),
        );
    }
    if lower.contains(" plus ") {
        return Translation::NotComputable(
            "specific duty per litre of each component of a blend, which a declaration does not carry".into(),
        );
    }
    match expression(&general) {
        Some(e) => Translation::Expr(e),
        None => Translation::Unrecognised,
    }
}

/// The general rate in force on `as_of`: the first part of the text, before the concessional
/// rates (`DCS`, `DCT`, `DC`, `CA`, `MY`, `NZ/PG/FI/DC/LDC/SG`), of the last stage that began on
/// or before `as_of`.
fn general_rate(text: &str, as_of: xborder::date::Date) -> Option<String> {
    let stages = stages(text)?;
    let current = stages
        .iter()
        .rev()
        .find(|(from, _)| from.is_none_or(|d| d <= as_of))?;
    let stage = current.1.trim();
    let end = concession_start(stage).unwrap_or(stage.len());
    let general = stage[..end].trim().trim_end_matches([';', ',']).trim();
    (!general.is_empty()).then(|| general.to_string())
}

/// The text split at each `From <date>` (`From1July2018`, `From 1 July 2018`), with the date
/// each part starts on (`None` for the part before the first date).
fn stages(text: &str) -> Option<Vec<(Option<xborder::date::Date>, String)>> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut from = None;
    while let Some(at) = rest.find("From") {
        out.push((from, rest[..at].to_string()));
        let (date, after) = stage_date(&rest[at + 4..])?;
        from = Some(date);
        rest = after;
    }
    out.push((from, rest.to_string()));
    // Text before the first date that is empty (`From1January2017 3.75% …`) is no stage.
    out.retain(|(from, part)| from.is_some() || !part.trim().is_empty());
    Some(out)
}

/// Reads `1July2018` or ` 1 July 2018` at the start of `text`.
fn stage_date(text: &str) -> Option<(xborder::date::Date, &str)> {
    let t = text.trim_start();
    let day_len = t.find(|c: char| !c.is_ascii_digit())?;
    let day: u32 = t[..day_len].parse().ok()?;
    let t = t[day_len..].trim_start();
    let (month, name) = xborder::date::MONTH_NAMES
        .iter()
        .enumerate()
        .find(|(_, m)| t.starts_with(*m))?;
    let t = t[name.len()..].trim_start();
    if t.len() < 4 || !t.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let year: i32 = t[..4].parse().ok()?;
    let date = format!("{year:04}-{:02}-{day:02}", month + 1)
        .parse()
        .ok()?;
    Some((date, &t[4..]))
}

/// Where the concessional rates start in a stage's text.
fn concession_start(stage: &str) -> Option<usize> {
    const CODES: [&str; 8] = ["NZ/", "NZ /", "DCS", "DCT", "DTC", "DC", "CA", "MY"];
    stage
        .char_indices()
        .filter(|(i, _)| *i > 0 && stage[..*i].ends_with(' '))
        .find(|(i, _)| CODES.iter().any(|c| stage[*i..].starts_with(c)))
        .map(|(i, _)| i)
}

/// `Free`, `5%`, `$0.526/L`, `5%, and $107.99/L of alcohol`, `$1.52829/stick`.
fn expression(general: &str) -> Option<String> {
    let parts: Vec<String> = general
        .split(", and ")
        .map(|p| component(p.trim()))
        .collect::<Option<_>>()?;
    Some(parts.join(" + "))
}

fn component(text: &str) -> Option<String> {
    if text.eq_ignore_ascii_case("free") {
        return Some("free".into());
    }
    if let Some(p) = text.strip_suffix('%') {
        let n = number(p)?;
        return Some(if n == "0" {
            "free".into()
        } else {
            format!("{n}%")
        });
    }
    let (amount, per) = text.strip_prefix('$')?.split_once('/')?;
    let unit = match per.trim() {
        "kg" => "kg",
        "L" | "l" => "l",
        "L of alcohol" => "l alc",
        "stick" => "item",
        _ => return None,
    };
    Some(format!("{} AUD/{unit}", number(amount)?))
}

/// `--format abf-schedule3`: options `as_of=YYYY-MM-DD` (required: the date staged rates are
/// read at) and `source_name` (how a gap's message names the data). Inputs: the schedule's
/// JSON and, optionally, a CSV whose first column lists the HS 2022 subheadings.
pub(crate) fn build(options: &Options) -> Result<Box<dyn Converter>, String> {
    options.refuse_unknown(&["as_of", "source_name"])?;
    let as_of = options
        .get("as_of")
        .ok_or("option as_of=YYYY-MM-DD is required: the date the staged rates are read at")?
        .parse()
        .map_err(|e| format!("option as_of: {e}"))?;
    let source_name = options
        .get("source_name")
        .unwrap_or("Schedule 3 source data")
        .to_string();
    Ok(Box::new(AbfSchedule3 { as_of, source_name }))
}

/// The converter with its options.
struct AbfSchedule3 {
    as_of: xborder::date::Date,
    source_name: String,
}

impl Converter for AbfSchedule3 {
    fn columns(&self) -> Vec<String> {
        vec!["general".into()]
    }

    fn defaults(&self) -> Defaults {
        Defaults {
            regime: "AU",
            currency: "AUD",
            edition: HsEdition::Hs2022,
            title: "Customs Tariff Act 1995, Schedule 3 (general rates)",
            publisher: "Australian Border Force",
            licence: "Published by the Australian Border Force",
        }
    }

    fn convert(&self, inputs: &[Input]) -> Result<Vec<FileLines>, String> {
        fn text(input: &Input) -> Result<&str, String> {
            std::str::from_utf8(&input.bytes).map_err(|e| format!("{}: not UTF-8: {e}", input.name))
        }
        let (lists, schedules): (Vec<&Input>, Vec<&Input>) =
            inputs.iter().partition(|i| i.name.ends_with(".csv"));
        let subheadings = match lists.as_slice() {
            [] => None,
            [list] => Some(hs_subheadings(text(list)?).map_err(|e| format!("{}: {e}", list.name))?),
            _ => return Err("give at most one list of HS subheadings (.csv)".into()),
        };
        let [schedule] = schedules.as_slice() else {
            return Err("give exactly one Schedule 3 file (.json)".into());
        };
        let settings = Settings {
            as_of: self.as_of,
            source_name: &self.source_name,
            hs_subheadings: subheadings.as_deref(),
        };
        let lines =
            convert(text(schedule)?, &settings).map_err(|e| format!("{}: {e}", schedule.name))?;
        Ok(vec![FileLines {
            file: schedule.name.clone(),
            lines,
        }])
    }
}

/// The six-digit codes of the first column of a CSV with a header row (`hs2022,hs2017`);
/// codes written as numbers lose their leading zero, which is put back.
fn hs_subheadings(csv: &str) -> Result<Vec<String>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(csv.as_bytes());
    let mut codes = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("not CSV: {e}"))?;
        let line = record.position().map_or(0, |p| p.line());
        let code = record.get(0).unwrap_or("").trim();
        if code.is_empty() && record.len() <= 1 {
            continue;
        }
        if code.is_empty() || code.len() > 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("line {line}: {code:?} is not an HS subheading"));
        }
        codes.push(format!("{code:0>6}"));
    }
    Ok(codes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(text: &str) -> Translation {
        translate(&clean(text), "2026-04-01".parse().unwrap())
    }

    fn expr(text: &str) -> String {
        match on(text) {
            Translation::Expr(e) => e,
            other => panic!("{text:?}: {other:?}"),
        }
    }

    #[test]
    fn the_general_rate_is_read_out_of_the_concessions() {
        assert_eq!(expr("Free"), "free");
        assert_eq!(expr("Free\u{200b}"), "free");
        assert_eq!(expr("\u{200b}Free"), "free");
        assert_eq!(expr("5%"), "5%");
        assert_eq!(expr("5% DCS4% CAFree DCT5%"), "5%");
        assert_eq!(expr("5% DCS4% DCT5%"), "5%");
        assert_eq!(expr("5% CAFree"), "5%");
        assert_eq!(expr("4% DCSFree"), "4%");
        assert_eq!(expr("5% MYFree"), "5%");
        assert_eq!(expr("5% CA Free"), "5%");
        assert_eq!(expr("5% DCS 4% DCT 5%"), "5%");
        assert_eq!(expr("$0.526/L NZ/PG/FI/DC/LDC/SG $0.526/L"), "0.526 AUD/l");
        assert_eq!(
            expr("$0.142\u{200b}/L NZ/PG/FI/DC/LDC/SG $0.142/L"),
            "0.142 AUD/l"
        );
        assert_eq!(expr("$1.220/kg DC$1.220/kg, less 5%"), "1.22 AUD/kg");
        assert_eq!(
            expr("5%, and $107.99/L of alcohol NZ/PG/FI/DC/LDC/SG $107.99/L of alcohol DCS4%, and $107.99/L of alcohol"),
            "5% + 107.99 AUD/l alc"
        );
        assert_eq!(
            expr("$1.52829/stick NZ/PG/FI/DC/LDC $1.52829/stick"),
            "1.52829 AUD/item"
        );
        assert_eq!(
            expr("$2,445.26/kg NZ/PG/FI/DC/LDC $2,445.26/kg"),
            "2445.26 AUD/kg"
        );
        assert_eq!(
            expr("5%, and $0.526/L NZ/PG/FI/DC/LDC $0.526/L"),
            "5% + 0.526 AUD/l"
        );
    }

    #[test]
    fn staged_rates_take_the_stage_in_force() {
        assert_eq!(expr("5% From1July2018 3.75% From1July2019 Free"), "free");
        assert_eq!(
            expr("5% From 1 July 2018 2.5% From 1 July 2019 Free"),
            "free"
        );
        assert_eq!(
            expr(
                "From1January2017 3.75% From1July2017 2.5% From1July2018 1.25% From1July2019 Free"
            ),
            "free"
        );
        assert_eq!(expr("10% DC5% From 1 January 2015 5%"), "5%");
        assert_eq!(
            expr("5% CAFree From1July2018 3.75% CA Free From1July2019 Free"),
            "free"
        );
        assert_eq!(
            expr("5% DCS4% DCT;5% From 1July2018 2.5% From 1July2019 Free"),
            "free"
        );
        assert_eq!(expr("5% From1July20182.5% From1July2019Free"), "free");
        // Read as of a date inside the staging, the stage then in force applies.
        assert_eq!(
            translate(
                "5% From1July2018 3.75% From1July2019 Free",
                "2018-12-01".parse().unwrap()
            ),
            Translation::Expr("3.75%".into())
        );
    }

    #[test]
    fn rates_needing_more_than_a_declaration_say_why() {
        for text in [
            "$10.57/L of alcohol, calculated on that alcohol content by which the percentage by volume of alcohol of the goods exceeds 1.15 NZ/PG/FI/DC/LDC/SG $10.57/L of alcohol, calculated on that alcohol content by which the percentage by volume of alcohol of the goods exceeds 1.15",
            "$2,445.26/kg of tobacco content NZ/PG/FI/DC/LDC $2,445.26/kg of tobacco content",
            "5%, or, if lower, $0.45/kg TSS",
            "$0.526/L of gasoline plus $0.526/L of ethanol plus $0.526/L of other substances (if any) in the blend NZ/PG/FI/DC/LDC/SG $0.526/L of gasoline plus $0.526/L of ethanol plus $0.526/L of other substances (if any) in the blend",
        ] {
            assert!(matches!(on(text), Translation::NotComputable(_)), "{text}");
        }
    }

    #[test]
    fn missing_chapters_headings_and_subheadings_get_a_line_naming_them() {
        let json = r#"[{"number":"XI","chapters":[{"number":64,"headings":[
            {"code":"6403","classifications":[
              {"referenceNumber":"6403.20.00","statisticalCode":"01","description":"- Footwear","dutyRate":"5% DCS4% DCT5%"},
              {"referenceNumber":"6403.20.00","statisticalCode":"02","description":"Other","dutyRate":""}]}]}]}]"#;
        let subs: Vec<String> = ["640320", "640391", "640510"].map(String::from).to_vec();
        let options = Settings {
            as_of: "2026-04-01".parse().unwrap(),
            source_name: "Schedule 3 scrape of April 2026",
            hs_subheadings: Some(&subs),
        };
        let lines = convert(json, &options).unwrap();
        let find = |code: &str| lines.iter().find(|l| l.code == code).unwrap();
        assert_eq!(
            find("64032000").duties[0].as_ref().unwrap().expression,
            Ok("5%".into())
        );
        assert_eq!(
            find("61").duties[0].as_ref().unwrap().expression,
            Err("chapter 61 is not in the source data (Schedule 3 scrape of April 2026)".into())
        );
        assert_eq!(
            find("640391").duties[0].as_ref().unwrap().expression,
            Err(
                "subheading 6403.91 is not in the source data (Schedule 3 scrape of April 2026)"
                    .into()
            )
        );
        assert_eq!(
            find("6405").duties[0].as_ref().unwrap().expression,
            Err("heading 64.05 is not in the source data (Schedule 3 scrape of April 2026)".into())
        );
        assert!(!lines.iter().any(|l| l.code == "77"));
        // 95 chapters other than 64 and 77, one heading, one subheading.
        assert_eq!(lines.len(), 1 + 95 + 2);
    }

    /// A real excerpt of the April 2026 data: chapters 1, 4, 14 (printed twice, under two
    /// sections), 22, 24, 64 and 85, with the HS 2022 subheadings of their headings.
    #[test]
    fn converts_the_real_excerpt() {
        let json = include_str!("../../tests/fixtures/abf-schedule3/tariff-schedule3-excerpt.json");
        let subs: Vec<String> =
            include_str!("../../tests/fixtures/abf-schedule3/hs2022_hs2017-excerpt.csv")
                .lines()
                .skip(1)
                .map(|l| format!("{:0>6}", l.split(',').next().unwrap()))
                .collect();
        let options = Settings {
            as_of: "2026-04-01".parse().unwrap(),
            source_name: "Schedule 3 scrape of April 2026",
            hs_subheadings: Some(&subs),
        };
        let lines = convert(json, &options).unwrap();
        let duty = |code: &str| {
            let line = lines
                .iter()
                .find(|l| l.code == code)
                .unwrap_or_else(|| panic!("{code}"));
            line.duties[0].clone().unwrap()
        };
        assert_eq!(duty("01012100").expression, Ok("free".into()));
        assert_eq!(duty("04061000").text, "$1.220/kg DC$1.220/kg, less 5%");
        assert_eq!(duty("04061000").expression, Ok("1.22 AUD/kg".into()));
        assert_eq!(duty("14011000").expression, Ok("free".into()));
        assert_eq!(
            duty("22041083").expression,
            Ok("5% + 107.99 AUD/l alc".into())
        );
        assert!(duty("22030063")
            .expression
            .unwrap_err()
            .contains("threshold"));
        assert!(duty("24012000")
            .expression
            .unwrap_err()
            .contains("tobacco content"));
        assert_eq!(duty("64032000").expression, Ok("free".into()));
        assert_eq!(duty("64035100").expression, Ok("5%".into()));
        assert_eq!(
            duty("640391").expression,
            Err(
                "subheading 6403.91 is not in the source data (Schedule 3 scrape of April 2026)"
                    .into()
            )
        );
        assert_eq!(
            duty("6405").expression,
            Err("heading 64.05 is not in the source data (Schedule 3 scrape of April 2026)".into())
        );
        assert_eq!(duty("85176910").expression, Ok("free".into()));
        let described = |code: &str| {
            lines
                .iter()
                .find(|l| l.code == code)
                .unwrap()
                .description
                .clone()
        };
        assert_eq!(described("22041089"), "Sparkling wine: Other: Other");
        assert_eq!(
            described("22041021"),
            "Sparkling wine: In which the natural effervescence is produced solely by secondary fermentation in the bottle: Having an alcoholic strength by volume not exceeding 1.15% vol"
        );
        // Its parent row is not in the source: no wrong parent is borrowed.
        assert_eq!(described("64035100"), "Covering the ankle");
        assert_eq!(
            duty("61").expression,
            Err("chapter 61 is not in the source data (Schedule 3 scrape of April 2026)".into())
        );
        assert!(lines.windows(2).all(|w| w[0].code < w[1].code));
        super::super::translate::write_for_test("AU", "AUD", lines.clone());
        assert!(lines
            .iter()
            .all(|l| l.duties[0].as_ref().unwrap().expression
                != Err(super::super::translate::UNRECOGNISED.into())));
    }
}
