//! Matching a profile's rules against one assessed consignment.

use super::{AeoParty, Condition, RiskProfile, RiskRule, ValueUnit};
use crate::assess::Ctx;
use crate::declaration::{Declaration, Nature};

/// One rule that hit.
#[derive(Debug)]
pub(crate) struct Hit<'p> {
    /// The rule.
    pub rule: &'p RiskRule,
    /// JSON path of the field that made it hit.
    pub path: Option<String>,
    /// What was found, with the figures.
    pub detail: String,
}

/// Lower-case words separated by single spaces, with a space at each end, so that a keyword
/// `" parts "` matches whole words only ("spare parts", not "counterparts").
pub(crate) fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

fn padded(text: &str) -> String {
    format!(" {} ", normalize(text))
}

fn contains_word(padded_text: &str, keyword: &str) -> bool {
    // `keyword` is normalized: compare it padded so that only whole words match.
    padded_text.match_indices(keyword).any(|(i, _)| {
        padded_text.as_bytes().get(i.wrapping_sub(1)) == Some(&b' ')
            && padded_text.as_bytes().get(i + keyword.len()) == Some(&b' ')
    })
}

fn hs_starts(hs: Option<&str>, prefixes: &[String]) -> Option<String> {
    let hs = hs?;
    prefixes
        .iter()
        .find(|p| hs.starts_with(p.as_str()))
        .cloned()
}

/// Every rule of `profile` that hits the consignment in `ctx`, in profile order.
pub(crate) fn evaluate<'p>(profile: &'p RiskProfile, ctx: &Ctx<'_>, category: u8) -> Vec<Hit<'p>> {
    let decl = ctx.decl;
    // Descriptions are normalized once, and only when some rule reads them.
    let reads_text = profile.rules.iter().any(|r| {
        matches!(
            r.when,
            Condition::Keyword(_)
                | Condition::VagueDescription(_)
                | Condition::DescriptionChapter { .. }
        )
    });
    let texts: Vec<String> = if reads_text {
        decl.items.iter().map(|i| padded(&i.description)).collect()
    } else {
        Vec::new()
    };
    let mut hits = Vec::new();
    for rule in &profile.rules {
        if let Some((path, detail)) = matches(rule, decl, ctx, &texts, category) {
            hits.push(Hit { rule, path, detail });
        }
    }
    hits
}

fn item_path(i: usize, field: &str) -> Option<String> {
    Some(format!("items[{i}].{field}"))
}

/// Whether `rule` hits; the path and detail of the first item or party that made it.
fn matches(
    rule: &RiskRule,
    decl: &Declaration,
    ctx: &Ctx<'_>,
    texts: &[String],
    category: u8,
) -> Option<(Option<String>, String)> {
    let goods = || {
        decl.items
            .iter()
            .enumerate()
            .filter(|(_, i)| i.nature != Nature::Document)
    };
    match &rule.when {
        Condition::HsPrefix(prefixes) => goods().find_map(|(i, item)| {
            let p = hs_starts(item.hs_code.as_deref(), prefixes)?;
            Some((
                item_path(i, "hs_code"),
                format!(
                    "HS {} is under {p}",
                    item.hs_code.as_deref().unwrap_or_default()
                ),
            ))
        }),
        Condition::Keyword(words) => goods().find_map(|(i, item)| {
            let text = texts.get(i)?;
            let w = words.iter().find(|w| contains_word(text, w))?;
            Some((
                item_path(i, "description"),
                format!("description {:?} names {w:?}", item.description.as_str()),
            ))
        }),
        Condition::VagueDescription(words) => goods().find_map(|(i, item)| {
            let text = texts.get(i)?;
            let vague = text
                .split(' ')
                .filter(|w| !w.is_empty())
                .all(|w| words.iter().any(|v| v == w));
            vague.then(|| {
                (
                    item_path(i, "description"),
                    format!(
                        "description {:?} does not say what the goods are",
                        item.description.as_str()
                    ),
                )
            })
        }),
        Condition::DescriptionChapter { keywords, chapters } => goods().find_map(|(i, item)| {
            let hs = item.hs_code.as_deref()?;
            let text = texts.get(i)?;
            let w = keywords.iter().find(|w| contains_word(text, w))?;
            hs_starts(Some(hs), chapters).is_none().then(|| {
                (
                    item_path(i, "hs_code"),
                    format!(
                        "description names {w:?}, goods of HS {}, but HS {hs} is declared",
                        chapters.join("/")
                    ),
                )
            })
        }),
        Condition::Undervalued {
            hs_prefix,
            per,
            minimum,
        } => goods().find_map(|(i, item)| {
            let p = hs_starts(item.hs_code.as_deref(), hs_prefix)?;
            let divisor = match per {
                ValueUnit::Unit => item.quantity.0,
                ValueUnit::Kg => item.net_mass_kg?.0,
            };
            let value = ctx.lines.get(i)?.value;
            let per_unit = value.checked_div(divisor)?;
            (per_unit < minimum.0).then(|| {
                let unit = match per {
                    ValueUnit::Unit => "unit",
                    ValueUnit::Kg => "kg",
                };
                (
                    item_path(i, "value"),
                    format!(
                        "HS {p}: declared {} per {unit}, below the reference minimum {} per {unit}",
                        per_unit.round_dp(2),
                        minimum.0
                    ),
                )
            })
        }),
        Condition::SellerUnregistered { schemes, max_value } => {
            if max_value.is_some_and(|m| ctx.intrinsic > m.0) {
                return None;
            }
            let holds = |p: &crate::declaration::Party| {
                p.registrations
                    .iter()
                    .any(|r| schemes.iter().any(|s| s == r.scheme.as_str()))
            };
            let registered = holds(&decl.seller) || decl.marketplace.as_ref().is_some_and(holds);
            (!registered).then(|| {
                (
                    Some("seller.registrations".to_string()),
                    format!(
                        "no {} registration is declared by the seller or marketplace (intrinsic value {})",
                        schemes.join("/"),
                        ctx.intrinsic
                    ),
                )
            })
        }
        Condition::SellerUnknown {} => {
            (decl.seller.country.is_none() && decl.seller.registrations.is_empty()).then(|| {
                (
                    Some("seller".to_string()),
                    format!(
                        "seller {:?} declares no country and no registration",
                        decl.seller.name.as_str()
                    ),
                )
            })
        }
        Condition::PartyListed(names) => {
            let listed = |name: &str| {
                let n = normalize(name);
                names.contains(&n)
            };
            if listed(&decl.seller.name) {
                Some((
                    Some("seller.name".to_string()),
                    format!(
                        "seller {:?} is on the watch list",
                        decl.seller.name.as_str()
                    ),
                ))
            } else {
                let m = decl.marketplace.as_ref().filter(|m| listed(&m.name))?;
                Some((
                    Some("marketplace.name".to_string()),
                    format!("marketplace {:?} is on the watch list", m.name.as_str()),
                ))
            }
        }
        Condition::Origin {
            countries,
            hs_prefix,
        } => goods().find_map(|(i, item)| {
            let origin = item.origin.as_deref()?;
            if !countries.iter().any(|c| c == origin) {
                return None;
            }
            if let Some(p) = hs_prefix {
                hs_starts(item.hs_code.as_deref(), p)?;
            }
            Some((item_path(i, "origin"), format!("origin {origin}")))
        }),
        Condition::Aeo(party) => {
            let (aeo, path) = match party {
                AeoParty::Carrier => (decl.carrier.as_ref().is_some_and(|c| c.aeo), "carrier.aeo"),
                AeoParty::Seller => (decl.seller.aeo, "seller.aeo"),
                AeoParty::Marketplace => (
                    decl.marketplace.as_ref().is_some_and(|m| m.aeo),
                    "marketplace.aeo",
                ),
            };
            aeo.then(|| (Some(path.to_string()), format!("{path} is true")))
        }
        Condition::AdvanceDataMissing {} => match (decl.lodged_at, decl.arrival_at) {
            (Some(_), Some(_)) => None,
            (None, _) => Some((
                Some("lodged_at".to_string()),
                "no lodging time of the advance data is declared".to_string(),
            )),
            (_, None) => Some((
                Some("arrival_at".to_string()),
                "no arrival time is declared".to_string(),
            )),
        },
        Condition::AdvanceDataLate {
            hours_before_arrival,
        } => {
            let (lodged, arrival) = (decl.lodged_at?, decl.arrival_at?);
            let lead = lodged.seconds_until(arrival);
            (lead < i64::from(*hours_before_arrival) * 3600).then(|| {
                (
                    Some("lodged_at".to_string()),
                    format!(
                        "lodged {lodged}, arrival {arrival}: {} before arrival, the deadline is {hours_before_arrival} h",
                        lead_text(lead)
                    ),
                )
            })
        }
        Condition::Category(categories) => categories
            .contains(&category)
            .then(|| (None, format!("release category {category}"))),
    }
}

fn lead_text(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.unsigned_abs();
    format!("{sign}{}h{:02}", s / 3600, s / 60 % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_match_whole_words_only() {
        let text = padded("Spare PARTS, for bikes");
        assert_eq!(text, " spare parts for bikes ");
        assert!(contains_word(&text, "parts"));
        assert!(contains_word(&text, "spare parts"));
        assert!(!contains_word(&padded("counterparts"), "parts"));
        assert!(!contains_word(&padded("partsy"), "parts"));
        assert!(contains_word(&padded("Ivory-carving"), "ivory"));
    }

    #[test]
    fn lead_times_print_as_hours_and_minutes() {
        assert_eq!(lead_text(4 * 3600 + 90), "4h01");
        assert_eq!(lead_text(-1800), "-0h30");
    }
}
