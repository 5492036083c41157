//! Japan's Tariff Schedule (実行関税率表, Japan Customs), as the per-chapter JSON files
//! (`j_NN_tariff_data.json`) scraped from `customs.go.jp/tariff/<version>/` by
//! qlitre/japan-tariff-mcp: a tree of nodes per heading, each with a statistical code
//! (`stat_code` `6109.10` + `hs_code` `020` = line `610910020`), a description in Japanese and
//! the rate columns of the schedule (基本 general, 暫定 temporary, WTO協定 WTO, preferential and
//! EPA columns).
//!
//! # The applicable rate
//!
//! Customs Tariff Law: the temporary rate (暫定, Act on Temporary Measures concerning Customs)
//! replaces the general rate (基本) where one is set; together they are the *national* rate
//! (国定税率). The WTO rate (協定税率) applies to goods of WTO members when it is lower than
//! the national rate (Customs Law Basic Notice 関税法基本通達 3-2(1)). So the applicable rate is
//! the lower of the WTO rate and the national rate.
//!
//! The schedule prints a WTO rate in parentheses, `(10.9%)`, when it is *not* applied: it is
//! the bound rate, and the national rate is at or below it. The data bears this out: of the
//! 3,740 leaf lines whose national and parenthesised WTO rates are both plain percentages, none
//! has the WTO rate below the national one (3,606 equal, 134 above), while 4,762 of the 4,798
//! unparenthesised ones are below it. A parenthesised WTO rate is therefore left out of the
//! expression and kept in the published text. Where both rates apply and their forms differ
//! (a percentage against yen per kg), the expression is `min(national, WTO)` and the engine
//! takes the lower for the declaration at hand.
//!
//! Rates are inherited down the tree: a rate printed on a node applies to every statistical
//! line below it that prints none in that column. Marks before a rate (◎, ※, *, **) refer to
//! the schedule's footnotes on quotas and end-use conditions; the statistical line itself
//! identifies the goods they concern (for example "for the Pooled Quota"), so the rate is used
//! and the mark kept in the published text. A WTO rate marked ● or given as a range or per
//! kind of goods within one line depends on the goods more finely than the 9-digit code, and
//! is not computable.

use std::collections::BTreeMap;

use serde::Deserialize;

use xborder::tariff::file::{Duty, HsEdition, Line, MAX_DESCRIPTION_CHARS as MAX_DESCRIPTION};

use super::translate::{decimal, number, truncate, Translation};
use super::{Converter, Defaults, FileLines, Input, Options};

/// One node of a chapter file.
#[derive(Debug, Deserialize)]
struct Node {
    stat_code: String,
    hs_code: String,
    desc: String,
    #[serde(default)]
    rate: BTreeMap<String, String>,
    #[serde(default)]
    children: Vec<Node>,
}

/// The three columns that make the applicable rate.
const GENERAL: &str = "基本";
const TEMPORARY: &str = "暫定";
const WTO: &str = "WTO協定";

/// The rates in force for a node after inheritance, as printed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Rates {
    general: String,
    temporary: String,
    wto: String,
}

impl Rates {
    fn inherit(&self, node: &Node) -> Rates {
        let take = |key: &str, parent: &str| match node.rate.get(key).map(|s| s.trim()) {
            Some(s) if !s.is_empty() => s.to_string(),
            _ => parent.to_string(),
        };
        Rates {
            general: take(GENERAL, &self.general),
            temporary: take(TEMPORARY, &self.temporary),
            wto: take(WTO, &self.wto),
        }
    }
}

/// A statistical line before lines of the same code are merged.
struct Row {
    code: String,
    rates: Rates,
    /// Descriptions from the heading down to this line, numbering removed.
    path: Vec<String>,
}

/// Converts the chapter files (their JSON texts, in any order) into one line per 9-digit
/// statistical code.
pub fn convert(chapters: &[(String, String)]) -> Result<Vec<Line>, String> {
    let mut rows = Vec::new();
    for (name, text) in chapters {
        let nodes: Vec<Node> = serde_json::from_str(text).map_err(|e| format!("{name}: {e}"))?;
        for node in &nodes {
            walk(node, &Rates::default(), &[], "", &mut rows);
        }
    }
    let mut by_code: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    for row in rows {
        by_code.entry(row.code.clone()).or_default().push(row);
    }
    let lines: Vec<Line> = by_code.into_values().map(line).collect();
    Ok(lines)
}

/// Collects the statistical lines under `node`.
fn walk(node: &Node, parent: &Rates, path: &[String], heading: &str, rows: &mut Vec<Row>) {
    let digits: String = node
        .stat_code
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let own_heading = digits.get(..4).unwrap_or("");
    // A node of another heading under this one is a scraping artefact (heading 96.20 sits
    // under 9619.00 in the files): it starts afresh rather than inherit foreign rates.
    let (parent, path): (Rates, Vec<String>) = if !heading.is_empty() && own_heading != heading {
        (Rates::default(), Vec::new())
    } else {
        (parent.clone(), path.to_vec())
    };
    let rates = parent.inherit(node);
    let mut path = path;
    let words = strip_numbering(&node.desc);
    if !words.is_empty() {
        path.push(words);
    }
    let hs = node.hs_code.trim();
    if digits.len() == 6 && hs.len() == 3 && hs.bytes().all(|b| b.is_ascii_digit()) {
        rows.push(Row {
            code: format!("{digits}{hs}"),
            rates: rates.clone(),
            path: path.clone(),
        });
    }
    for child in &node.children {
        walk(child, &rates, &path, own_heading, rows);
    }
}

/// One line from the rows of its code: usually one; several when the schedule gives rates by
/// period of the year under one code (bananas: 1 April to 30 September, 1 October to 31 March).
fn line(rows: Vec<Row>) -> Line {
    let code = rows[0].code.clone();
    let duties: Vec<(Duty, &Row)> = rows.iter().map(|r| (applicable(&r.rates), r)).collect();
    let all_same = duties.windows(2).all(|w| w[0].0 == w[1].0);
    let (duty, path) = if all_same {
        (duties[0].0.clone(), common_path(&rows))
    } else {
        let text = duties
            .iter()
            .map(|(d, r)| format!("{}: {}", r.path.last().map_or("", |s| s.as_str()), d.text))
            .collect::<Vec<_>>()
            .join(" / ");
        let duty = Duty {
            text,
            expression: Err("seasonal rate: which rate applies depends on the day of the year the goods are imported, which the duty grammar cannot express yet".into()),
        };
        (duty, common_path(&rows))
    };
    Line {
        code,
        duties: vec![Some(duty)],
        description: description(&path),
    }
}

/// The description path the rows share (all of it when there is one row).
fn common_path(rows: &[Row]) -> Vec<String> {
    let first = &rows[0].path;
    let shared = (0..first.len())
        .take_while(|&i| rows.iter().all(|r| r.path.get(i) == Some(&first[i])))
        .count();
    first[..shared].to_vec()
}

/// A line's description: the words of the heading and of every level down to the line,
/// joined with `：`, so that "その他のもの" (other) reads as what it is. When the whole is too
/// long the upper levels lose their parenthesised qualifications first, then are cut.
fn description(path: &[String]) -> String {
    let join = |parts: &[String]| parts.join("：");
    let full = join(path);
    if full.chars().count() <= MAX_DESCRIPTION || path.is_empty() {
        return truncate(&full, MAX_DESCRIPTION);
    }
    let mut parts: Vec<String> = path.to_vec();
    let last = parts.len() - 1;
    for part in parts.iter_mut().take(last) {
        *part = without_parentheses(part);
    }
    // Then cut the upper levels, the heading first, keeping each at least a few characters.
    let mut i = 0;
    while join(&parts).chars().count() > MAX_DESCRIPTION && i < last {
        let excess = join(&parts).chars().count() - MAX_DESCRIPTION;
        let len = parts[i].chars().count();
        let keep = len.saturating_sub(excess).max(12).min(len);
        parts[i] = truncate(&parts[i], keep);
        i += 1;
    }
    truncate(&join(&parts), MAX_DESCRIPTION)
}

/// Text without its `（…）` qualifications.
fn without_parentheses(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// A description without the schedule's numbering of subdivisions (`1 `, `(1)`, `A `, `−`,
/// `*〔1〕`), which only makes sense on the printed page.
fn strip_numbering(desc: &str) -> String {
    let mut s = desc.trim();
    s = s.trim_start_matches(['*', '＊']);
    s = s.trim_start_matches(['−', '-', '‐']).trim_start();
    if let Some(rest) = s.strip_prefix('〔') {
        if let Some(end) = rest.find('〕') {
            s = rest[end + '〕'.len_utf8()..].trim_start();
        }
    }
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let Some(rest) = s.strip_prefix(open) {
            if let Some(end) = rest.find(close) {
                let inner = &rest[..end];
                if !inner.is_empty()
                    && inner
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c.is_numeric())
                    && inner.chars().count() <= 4
                {
                    s = rest[end + close.len_utf8()..].trim_start();
                }
            }
        }
    }
    // `1 `, `A `, `II `, `ハ ` (the iroha order), followed by a space (ASCII or ideographic).
    const IROHA: &str = "イロハニホヘトチリヌルヲワカヨタレソツネナラム";
    if let Some((token, rest)) = s.split_once([' ', '\u{3000}']) {
        let numbering = !token.is_empty()
            && token.chars().count() <= 4
            && (token.chars().all(|c| c.is_ascii_digit())
                || token.chars().all(|c| c.is_ascii_uppercase())
                || (token.chars().count() == 1 && IROHA.contains(token)));
        if numbering {
            s = rest.trim_start();
        }
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What one printed rate means for the applicable-rate rule.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Rate {
    /// No rate printed.
    None,
    /// A WTO rate printed in parentheses, or only in parentheses: bound, not applied.
    NotApplied,
    /// An expression, with its shape when it is simple enough to compare without a
    /// declaration.
    Expr(String, Shape),
    /// Not computable from a declaration, with the reason.
    NotComputable(String),
    /// Not understood by the converter.
    Unrecognised,
}

/// The shape of a simple rate, to decide the lower of two without a declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Shape {
    Free,
    AdValorem(String),
    /// Amount and unit.
    Specific(String, &'static str),
    Other,
}

/// The duty of a line from its three printed rates.
fn applicable(rates: &Rates) -> Duty {
    let (national_label, national_text) = if !rates.temporary.is_empty() {
        (TEMPORARY, rates.temporary.as_str())
    } else {
        (GENERAL, rates.general.as_str())
    };
    let national = rate(national_text, false);
    let wto = rate(&rates.wto, true);
    let shown = |label: &str, text: &str| format!("{label} {text}");
    let others = |applied: &[&str]| -> Vec<String> {
        [
            (GENERAL, rates.general.as_str()),
            (TEMPORARY, rates.temporary.as_str()),
            (WTO, rates.wto.as_str()),
        ]
        .into_iter()
        .filter(|(l, t)| !t.is_empty() && !applied.contains(l))
        .map(|(l, t)| shown(l, t))
        .collect()
    };
    let with_others = |head: String, applied: &[&str]| {
        let rest = others(applied);
        if rest.is_empty() {
            head
        } else {
            format!("{head} ({})", rest.join("; "))
        }
    };
    let national_only = |national: Rate| -> (String, Translation) {
        let text = with_others(shown(national_label, national_text), &[national_label]);
        (text, national.into_translation())
    };
    let (text, translation) = match (national, wto) {
        (n, Rate::None | Rate::NotApplied) => national_only(n),
        (Rate::None | Rate::NotApplied, w) => (
            with_others(shown(WTO, &rates.wto), &[WTO]),
            w.into_translation(),
        ),
        (Rate::Expr(n, ns), Rate::Expr(w, ws)) => match lower(&ns, &ws) {
            Some(true) => (
                with_others(shown(national_label, national_text), &[national_label]),
                Translation::Expr(n),
            ),
            Some(false) => (
                with_others(shown(WTO, &rates.wto), &[WTO]),
                Translation::Expr(w),
            ),
            None => (
                format!(
                    "the lower of {} and {}{}",
                    shown(national_label, national_text),
                    shown(WTO, &rates.wto),
                    if national_label == TEMPORARY {
                        format!(" ({})", shown(GENERAL, &rates.general))
                    } else {
                        String::new()
                    }
                ),
                Translation::Expr(format!("min({n}, {w})")),
            ),
        },
        (n, w) => {
            let text = with_others(shown(national_label, national_text), &[national_label]);
            let translation = match (n.into_translation(), w.into_translation()) {
                (Translation::Unrecognised, _) | (_, Translation::Unrecognised) => {
                    Translation::Unrecognised
                }
                (Translation::NotComputable(r), _) | (_, Translation::NotComputable(r)) => {
                    Translation::NotComputable(r)
                }
                _ => Translation::Unrecognised,
            };
            (text, translation)
        }
    };
    translation.into_duty(&text)
}

impl Rate {
    fn into_translation(self) -> Translation {
        match self {
            Rate::Expr(e, _) => Translation::Expr(e),
            Rate::NotComputable(r) => Translation::NotComputable(r),
            Rate::None | Rate::NotApplied => Translation::NotComputable(
                "the schedule prints no applicable rate for this line".into(),
            ),
            Rate::Unrecognised => Translation::Unrecognised,
        }
    }
}

/// `Some(true)` when `a` is at most `b` for every declaration, `Some(false)` when `b` is
/// below `a` for every declaration, `None` when it depends on the declaration.
fn lower(a: &Shape, b: &Shape) -> Option<bool> {
    match (a, b) {
        (Shape::Free, _) => Some(true),
        (_, Shape::Free) => Some(false),
        (Shape::AdValorem(x), Shape::AdValorem(y)) => Some(decimal(x)? <= decimal(y)?),
        (Shape::Specific(x, u), Shape::Specific(y, v)) if u == v => {
            Some(decimal(x)? <= decimal(y)?)
        }
        _ => None,
    }
}

/// Reads one printed rate. `wto`: the WTO column, where parentheses mean "not applied".
fn rate(printed: &str, wto: bool) -> Rate {
    let text = normalise(printed);
    if text.is_empty() {
        return Rate::None;
    }
    if wto {
        if text.contains('●') {
            return Rate::NotComputable(
                "the WTO rate of this line varies with the goods within it (marked ● in the schedule, set per NACCS code)".into(),
            );
        }
        if only_in_parentheses(&text) {
            return Rate::NotApplied;
        }
        if text.contains('〜') || text.contains("一部") {
            return Rate::NotComputable(
                "the WTO rate of this line is a range over the goods within it".into(),
            );
        }
        if text.contains("のもの") {
            return Rate::NotComputable(
                "the WTO rate of this line depends on which goods within it are imported".into(),
            );
        }
    }
    if text.contains("差額") || text.contains("基準輸入価格") {
        return Rate::NotComputable(
            "gate-price duty (差額関税): the difference between the reference import price set by Cabinet Order and the customs value, which the schedule does not give".into(),
        );
    }
    if text.contains("乳糖") {
        return Rate::NotComputable(
            "the duty depends on the goods' lactose content, which a declaration does not carry"
                .into(),
        );
    }
    let text = strip_marks(&text);
    match expression(text) {
        Some((e, shape)) => Rate::Expr(e, shape),
        None => Rate::Unrecognised,
    }
}

/// Full-width forms to ASCII, line breaks and spaces removed.
fn normalise(printed: &str) -> String {
    printed
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '％' => '%',
            '＋' => '+',
            '（' => '(',
            '）' => ')',
            '−' | '－' => '-',
            '＊' => '*',
            other => other,
        })
        .collect()
}

/// The footnote marks a rate may carry.
fn strip_marks(text: &str) -> &str {
    text.trim_start_matches(['◎', '※', '*'])
}

/// Whether every rate in the text is inside parentheses: `(10.9%)`, `*(55円/kg)`,
/// `(無税)〜(6%)`, `(一部3.5%)`.
fn only_in_parentheses(text: &str) -> bool {
    let text = strip_marks(text);
    if !text.starts_with('(') {
        return false;
    }
    let mut depth = 0i32;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            '〜' | '又' | 'は' if depth == 0 => {}
            _ if depth == 0 => return false,
            _ => {}
        }
    }
    depth == 0
}

/// A rate in the schedule's notation, as an expression with its shape.
fn expression(text: &str) -> Option<(String, Shape)> {
    const HIGHER: &str = "のうちいずれか高い税率";
    const LOWER: &str = "のうちいずれか低い税率";
    const FLOOR: &str = "ただしその税率が";
    if let Some(alternatives) = text.strip_suffix(HIGHER) {
        // "A or B, whichever is higher": at least B.
        let (a, b) = alternatives.split_once('又')?;
        let b = b.strip_prefix('は')?;
        let (a, _) = compound(a)?;
        let (b, _) = compound(b)?;
        return Some((format!("{a} MIN {b}"), Shape::Other));
    }
    if let Some((alternatives, rest)) = text.split_once(LOWER) {
        let (a, b) = alternatives.split_once('又')?;
        let b = b.strip_prefix('は')?;
        let (a, _) = compound(a)?;
        let (b, _) = compound(b)?;
        let lower = format!("min({a}, {b})");
        if rest.is_empty() {
            return Some((lower, Shape::Other));
        }
        // "…provided that where that rate is below C, C": the lower, but at least C.
        let floor = rest.strip_prefix(FLOOR)?;
        let (c, tail) = floor.split_once("を下回る場合は")?;
        if c != tail {
            return None;
        }
        let (c, _) = compound(c)?;
        return Some((format!("max({lower}, {c})"), Shape::Other));
    }
    compound(text)
}

/// `A+B`: a sum of components.
fn compound(text: &str) -> Option<(String, Shape)> {
    // `(73.70円-課税価格)/kg`: 73.70 yen per kg less the customs value.
    if let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(")/kg")) {
        let amount = inner.strip_suffix("-課税価格")?.strip_suffix('円')?;
        return Some((format!("{} JPY/kg - 100%", number(amount)?), Shape::Other));
    }
    let parts: Vec<(String, Shape)> = text.split('+').map(component).collect::<Option<_>>()?;
    if parts.len() == 1 {
        return parts.into_iter().next();
    }
    let joined = parts
        .into_iter()
        .map(|(e, _)| e)
        .collect::<Vec<_>>()
        .join(" + ");
    Some((joined, Shape::Other))
}

/// One percentage, specific amount or `無税`.
fn component(text: &str) -> Option<(String, Shape)> {
    if text == "無税" || text == "免税" {
        return Some(("free".into(), Shape::Free));
    }
    if let Some(p) = text.strip_suffix('%') {
        let n = number(p)?;
        if decimal(&n)?.is_zero() {
            return Some(("free".into(), Shape::Free));
        }
        return Some((format!("{n}%"), Shape::AdValorem(n)));
    }
    let (amount, per) = text.split_once("円/")?;
    let n = number(amount)?;
    let unit = unit(per)?;
    Some((format!("{n} JPY/{unit}"), Shape::Specific(n, unit)))
}

/// The grammar's unit for a unit of the schedule.
fn unit(printed: &str) -> Option<&'static str> {
    Some(match printed {
        "kg" => "kg",
        "l" => "l",
        "kl" => "1000l",
        "MT" => "1000kg",
        "㎡" => "m2",
        // Per head (animals), piece, stick (本), sheet (枚): counted items.
        "頭" | "個" | "本" | "枚" => "item",
        "1,000本" => "1000 item",
        // Per pair (足, footwear).
        "足" => "pair",
        _ => return None,
    })
}

/// `--format jp-customs`: the chapter files of one edition; no option.
pub(crate) fn build(options: &Options) -> Result<Box<dyn Converter>, String> {
    options.refuse_unknown(&[])?;
    Ok(Box::new(JpCustoms))
}

/// The converter; each chapter file converts on its own (a code never spans two chapters).
struct JpCustoms;

impl Converter for JpCustoms {
    fn columns(&self) -> Vec<String> {
        vec!["applicable".into()]
    }

    fn defaults(&self) -> Defaults {
        Defaults {
            regime: "JP",
            currency: "JPY",
            edition: HsEdition::Hs2022,
            title: "Japan's Tariff Schedule (実行関税率表): applicable rate for WTO members",
            publisher: "Japan Customs, Ministry of Finance",
            licence: "Published by Japan Customs (customs.go.jp)",
        }
    }

    fn convert(&self, inputs: &[Input]) -> Result<Vec<FileLines>, String> {
        inputs
            .iter()
            .map(|input| {
                let text = std::str::from_utf8(&input.bytes)
                    .map_err(|e| format!("{}: not UTF-8: {e}", input.name))?;
                let lines = convert(&[(input.name.clone(), text.to_string())])?;
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

    fn rates(general: &str, temporary: &str, wto: &str) -> Rates {
        Rates {
            general: general.into(),
            temporary: temporary.into(),
            wto: wto.into(),
        }
    }

    fn applied(general: &str, temporary: &str, wto: &str) -> (String, Result<String, String>) {
        let d = applicable(&rates(general, temporary, wto));
        (d.text, d.expression)
    }

    #[test]
    fn the_lower_of_wto_and_national_applies() {
        // 6109.10-020, T-shirts of cotton, other: WTO 7.4 % below general 11.2 %.
        assert_eq!(
            applied("11.2%", "", "7.4%"),
            ("WTO協定 7.4% (基本 11.2%)".into(), Ok("7.4%".into()))
        );
        // A parenthesised WTO rate is bound, not applied.
        assert_eq!(
            applied("10.9%", "", "(10.9%)"),
            ("基本 10.9% (WTO協定 (10.9%))".into(), Ok("10.9%".into()))
        );
        // The temporary rate replaces the general one, and is lower than the WTO rate.
        assert_eq!(
            applied("10%", "4.2%", "6%"),
            ("暫定 4.2% (基本 10%; WTO協定 6%)".into(), Ok("4.2%".into()))
        );
        assert_eq!(applied("無税", "", "(無税)").1, Ok("free".into()));
        assert_eq!(applied("5%", "", "無税").1, Ok("free".into()));
        // Forms that compare only per declaration: the engine takes the lower.
        assert_eq!(
            applied("1.68円/kg", "", "5.5%"),
            (
                "the lower of 基本 1.68円/kg and WTO協定 5.5%".into(),
                Ok("min(1.68 JPY/kg, 5.5%)".into())
            )
        );
        assert_eq!(
            applied("(35%＋466円/kg)", "36%＋130円/kg", "*29.8%＋396円/kg").1,
            Ok("min(36% + 130 JPY/kg, 29.8% + 396 JPY/kg)".into())
        );
        assert_eq!(
            applied("201.60円/l", "", "182円/l").1,
            Ok("182 JPY/l".into())
        );
        assert_eq!(applied("934円/kl", "", "").1, Ok("934 JPY/1000l".into()));
    }

    #[test]
    fn whichever_higher_and_lower() {
        assert_eq!(
            applied(
                "60%又は4,800円/足のうちいずれか高い税率",
                "",
                "30%又は4,300円/足のうちいずれか高い税率"
            )
            .1,
            Ok("min(60% MIN 4800 JPY/pair, 30% MIN 4300 JPY/pair)".into())
        );
        assert_eq!(
            applied("5.6%又は4.4%＋1.52円/㎡のうちいずれか高い税率", "", "5.6%").1,
            Ok("min(5.6% MIN 4.4% + 1.52 JPY/m2, 5.6%)".into())
        );
        assert_eq!(
            applied(
                "21.3%又は156.80円/lのうちいずれか低い税率\nただしその税率が93円/lを下回る場合は93円/l",
                "",
                "15%又は125円/lのうちいずれか低い税率\nただしその税率が67円/lを下回る場合は67円/l"
            )
            .1,
            Ok("min(max(min(21.3%, 156.8 JPY/l), 93 JPY/l), max(min(15%, 125 JPY/l), 67 JPY/l))".into())
        );
        assert_eq!(
            applied("11.7%又は72.90円/kgのうちいずれか低い税率", "", "44円/kg").1,
            Ok("min(min(11.7%, 72.9 JPY/kg), 44 JPY/kg)".into())
        );
    }

    #[test]
    fn specific_units() {
        assert_eq!(
            applied("4,000,000円/頭", "", "3,400,000円/頭").1,
            Ok("3400000 JPY/item".into())
        );
        assert_eq!(
            applied("930円/MT", "", "624円/MT").1,
            Ok("624 JPY/1000kg".into())
        );
        assert_eq!(applied("1.50円/枚", "", "").1, Ok("1.5 JPY/item".into()));
        assert_eq!(
            applied(
                "(8.5%＋290.70円/1,000本)",
                "無税",
                "(8.5%＋290.70円/1,000本)"
            )
            .1,
            Ok("free".into())
        );
        assert_eq!(
            applied(
                "6%又は1.51円/本のうちいずれか高い税率",
                "",
                "5%又は1.25円/本のうちいずれか高い税率"
            )
            .1,
            Ok("min(6% MIN 1.51 JPY/item, 5% MIN 1.25 JPY/item)".into())
        );
        // Onions: 73.70 yen per kg less the customs value, against WTO 8.5 %.
        assert_eq!(
            applied("(73.70円−課税価格)/kg", "", "8.5%").1,
            Ok("min(73.7 JPY/kg - 100%, 8.5%)".into())
        );
    }

    #[test]
    fn marks_are_kept_in_the_text_and_dropped_from_the_expression() {
        let (text, e) = applied("(466円/kg)", "◎無税", "(無税)");
        assert_eq!(e, Ok("free".into()));
        assert_eq!(text, "暫定 ◎無税 (基本 (466円/kg); WTO協定 (無税))");
        assert_eq!(applied("28%", "※18.9%", "(28%)").1, Ok("18.9%".into()));
        assert_eq!(
            applied("21.50円/kg", "", "**(103.10円/kg)").1,
            Ok("21.5 JPY/kg".into())
        );
    }

    #[test]
    fn rates_that_depend_on_more_than_the_code_are_not_computable() {
        let nc = |g: &str, t: &str, w: &str| match applied(g, t, w).1 {
            Err(r) => r,
            Ok(e) => panic!("{g} {t} {w}: {e}"),
        };
        assert!(nc(
            "(5%)",
            "1キログラムにつき部分肉に係る基準輸入価格と課税価格との差額",
            "(482円/kg)"
        )
        .starts_with("gate-price duty"));
        assert!(nc("35%", "", "●21%〜29.8%+1,159円/kg").contains("●"));
        assert!(nc(
            "20%",
            "",
            "保護用の金属製トーキャップを有するもの 6.7%\n\nその他のもの 8%"
        )
        .contains("which goods"));
        assert!(nc(
            "1キログラムにつき、70円に重量比による乳糖の含有率が10%を超える1%ごとに7円を加えた額",
            "",
            ""
        )
        .contains("lactose"));
        // A range entirely in parentheses is not applied: the national rate is.
        assert_eq!(applied("3%", "", "(3%)〜(6%)").1, Ok("3%".into()));
        assert_eq!(applied("3.5%", "", "(一部3.5%)").1, Ok("3.5%".into()));
        assert_eq!(
            applied("無税", "", "(無税)〜(4.8%)又は(8.8円/kg)").1,
            Ok("free".into())
        );
    }

    #[test]
    fn numbering_is_removed_from_descriptions() {
        assert_eq!(
            strip_numbering("1 異なる色の糸から成るもの"),
            "異なる色の糸から成るもの"
        );
        assert_eq!(strip_numbering("− その他のもの"), "その他のもの");
        assert_eq!(strip_numbering("−− メスリン"), "メスリン");
        assert_eq!(strip_numbering("*〔1〕課税価格が"), "課税価格が");
        assert_eq!(strip_numbering("(1)毎年4月1日から"), "毎年4月1日から");
        assert_eq!(
            strip_numbering("A 気密容器入りのもの"),
            "気密容器入りのもの"
        );
        assert_eq!(strip_numbering("1,2-ジクロロエタン"), "1,2-ジクロロエタン");
        assert_eq!(strip_numbering("DDT（ISO）"), "DDT（ISO）");
    }

    #[test]
    fn long_descriptions_shorten_the_upper_levels() {
        let path = vec![
            "男子用のオーバーコート".repeat(17) + "（メリヤス編みのものに限る。）",
            "綿製のもの".into(),
            "その他のもの".into(),
        ];
        let d = description(&path);
        assert!(d.chars().count() <= MAX_DESCRIPTION);
        assert!(d.ends_with("：綿製のもの：その他のもの"), "{d}");
        assert!(!d.contains("メリヤス"));
    }

    /// Real excerpts of the 2026-07-09 files: headings 61.09, 08.03 (seasonal), 22.04 (wine),
    /// 07.03 (onions), 02.03 (pork, subheading 0203.11: gate prices), 64.03 (subheading
    /// 6403.20: "whichever is higher"), 96.19 (a WTO range in parentheses, and heading 96.20
    /// scraped under it).
    #[test]
    fn converts_the_real_excerpts() {
        let files: Vec<(String, String)> = [
            (
                "j_61",
                include_str!("../../tests/fixtures/jp-customs/j_61_tariff_data-excerpt.json"),
            ),
            (
                "j_08",
                include_str!("../../tests/fixtures/jp-customs/j_08_tariff_data-excerpt.json"),
            ),
            (
                "j_22",
                include_str!("../../tests/fixtures/jp-customs/j_22_tariff_data-excerpt.json"),
            ),
            (
                "j_07",
                include_str!("../../tests/fixtures/jp-customs/j_07_tariff_data-excerpt.json"),
            ),
            (
                "j_02",
                include_str!("../../tests/fixtures/jp-customs/j_02_tariff_data-excerpt.json"),
            ),
            (
                "j_64",
                include_str!("../../tests/fixtures/jp-customs/j_64_tariff_data-excerpt.json"),
            ),
            (
                "j_96",
                include_str!("../../tests/fixtures/jp-customs/j_96_tariff_data-excerpt.json"),
            ),
        ]
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .to_vec();
        let lines = convert(&files).unwrap();
        let line = |code: &str| {
            lines
                .iter()
                .find(|l| l.code == code)
                .unwrap_or_else(|| panic!("{code}"))
        };
        let duty = |code: &str| line(code).duties[0].clone().unwrap();
        // The spot check: 6109.10-020 is 7.4 %.
        assert_eq!(duty("610910020").expression, Ok("7.4%".into()));
        assert_eq!(duty("610910020").text, "WTO協定 7.4% (基本 11.2%)");
        assert_eq!(
            line("610910020").description,
            "Tシャツ、シングレットその他これらに類する肌着（メリヤス編み又はクロセ編みのものに限る。）：綿製のもの：その他のもの"
        );
        assert_eq!(duty("610910010").expression, Ok("10.9%".into()));
        assert!(duty("080310100")
            .expression
            .unwrap_err()
            .starts_with("seasonal rate"));
        assert!(duty("080310100")
            .text
            .contains("毎年4月1日から同年9月30日までに輸入されるもの: WTO協定 20%"));
        assert_eq!(duty("020311020").expression, Ok("361 JPY/kg".into()));
        assert!(duty("020311031")
            .expression
            .unwrap_err()
            .starts_with("gate-price"));
        assert_eq!(duty("020311040").expression, Ok("4.3%".into()));
        assert_eq!(
            duty("070310012").expression,
            Ok("min(73.7 JPY/kg - 100%, 8.5%)".into())
        );
        assert_eq!(
            duty("640320012").expression,
            Ok("min(60% MIN 4800 JPY/pair, 30% MIN 4300 JPY/pair)".into())
        );
        assert_eq!(duty("961900000").expression, Ok("free".into()));
        assert!(lines.windows(2).all(|w| w[0].code < w[1].code));
        super::super::translate::write_for_test("JP", "JPY", lines.clone());
        assert!(lines.iter().all(|l| l.code.len() == 9));
        assert!(lines
            .iter()
            .all(|l| l.description.chars().count() <= MAX_DESCRIPTION));
        assert!(lines
            .iter()
            .all(|l| l.duties[0].as_ref().unwrap().expression
                != Err(super::super::translate::UNRECOGNISED.into())));
    }
}
