//! A profile edited after it was loaded screens as the same profile loaded from the edited
//! JSON: what it compiled at load (searchers, gates, fixed messages, message parts, score
//! tails, its entries in each thread's memo) never answers for rules it no longer has.

use serde_json::Value;

use super::{Condition, RiskProfile, RiskRule};
use crate::money::Amount;
use crate::release::Release;

/// One edit, made both ways: to a loaded profile in place and to its JSON.
struct Edit {
    what: &'static str,
    in_place: fn(&mut RiskProfile),
    json: fn(&mut Value),
}

/// Edits `profile`'s rules as a caller does: a copy changed, then set (and compiled).
fn edit_rules(profile: &mut RiskProfile, edit: impl FnOnce(&mut Vec<RiskRule>)) {
    let mut rules = profile.rules().to_vec();
    edit(&mut rules);
    profile.set_rules(rules).unwrap();
}

/// The EU sample profile's rules: 0 CITES keywords, 5 counterfeit keywords, 7
/// vague description, 8 undervalued phones, 15 AEO carrier, 19 late advance data.
const EDITS: &[Edit] = &[
    Edit {
        what: "a keyword",
        in_place: |p| {
            edit_rules(p, |rules| {
                if let Condition::Keyword(words) = &mut rules[5].when {
                    words[2] = "imitation".into();
                }
            });
        },
        json: |p| p["rules"][5]["when"]["keyword"][2] = "imitation".into(),
    },
    Edit {
        what: "a weight",
        in_place: |p| edit_rules(p, |rules| rules[7].weight = 60),
        json: |p| p["rules"][7]["weight"] = 60.into(),
    },
    Edit {
        what: "a reason",
        in_place: |p| edit_rules(p, |rules| rules[15].reason = "An edited reason.".into()),
        json: |p| p["rules"][15]["reason"] = "An edited reason.".into(),
    },
    Edit {
        what: "an agency",
        in_place: |p| edit_rules(p, |rules| rules[0].agency = Some("EDITED".into())),
        json: |p| p["rules"][0]["agency"] = "EDITED".into(),
    },
    Edit {
        what: "a code",
        in_place: |p| edit_rules(p, |rules| rules[15].code = "R_EU_TRUSTED".into()),
        json: |p| p["rules"][15]["code"] = "R_EU_TRUSTED".into(),
    },
    Edit {
        what: "a reference value",
        in_place: |p| {
            edit_rules(p, |rules| {
                if let Condition::Undervalued { minimum, .. } = &mut rules[8].when {
                    *minimum = Amount(rust_decimal::Decimal::new(30_000, 2));
                }
            });
        },
        json: |p| p["rules"][8]["when"]["undervalued"]["minimum"] = "300.00".into(),
    },
    Edit {
        what: "a deadline",
        in_place: |p| {
            edit_rules(p, |rules| {
                rules[19].when = Condition::AdvanceDataLate {
                    hours_before_arrival: 48,
                };
            });
        },
        json: |p| p["rules"][19]["when"]["advance_data_late"]["hours_before_arrival"] = 48.into(),
    },
    Edit {
        what: "the order of two rules",
        in_place: |p| edit_rules(p, |rules| rules.swap(0, 5)),
        json: |p| {
            if let Some(rules) = p["rules"].as_array_mut() {
                rules.swap(0, 5);
            }
        },
    },
    Edit {
        what: "a score threshold",
        in_place: |p| p.thresholds.documentary_check = 20,
        json: |p| p["thresholds"]["documentary_check"] = 20.into(),
    },
    Edit {
        what: "the profile id",
        in_place: |p| p.id = "EU-edited".into(),
        json: |p| p["id"] = "EU-edited".into(),
    },
];

/// The EU example declarations, and each with its first item or its times changed so that
/// the edited rules hit (or no longer hit).
fn declarations() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/declarations");
    let items: &[(&str, &str)] = &[
        ("description", "fake watch"),
        ("description", "imitation watch"),
        ("description", "gift"),
        ("description", "ivory comb"),
        ("description", "fake ivory comb"),
        ("hs_code", "85171300"),
        ("origin", "KP"),
    ];
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !(name.starts_with("eu-") && name.ends_with(".json")) {
            continue;
        }
        let original: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        all.push(original.to_string());
        for (field, value) in items {
            let mut v = original.clone();
            v["items"][0][*field] = (*value).into();
            v["items"][0]["value"] = "50.00".into();
            all.push(v.to_string());
        }
        let mut late = original.clone();
        late["lodged_at"] = "2026-01-29T16:00:00Z".into();
        late["arrival_at"] = "2026-01-30T01:00:00Z".into();
        all.push(late.to_string());
    }
    all
}

/// Each declaration's release (`None` where it is refused) under `engine`'s EU profile.
fn releases(engine: &crate::Engine, declarations: &[String]) -> Vec<Option<Release>> {
    let options = crate::AssessOptions::default();
    let release = |text: &String| engine.assess_json(text, &options).ok().map(|a| a.release);
    declarations.iter().map(release).collect()
}

#[test]
fn a_profile_edited_in_place_screens_as_one_loaded_edited() {
    let mut engine = crate::Engine::embedded().unwrap();
    let declarations = declarations();
    let original = engine.risk_profile("EU").unwrap().clone();
    let before = releases(&engine, &declarations);
    assert!(before.iter().filter(|r| r.is_some()).count() >= 50);
    let mut stale = Vec::new();
    for edit in EDITS {
        let mut json = serde_json::to_value(&original).unwrap();
        (edit.json)(&mut json);
        let loaded = RiskProfile::from_json(&json.to_string()).unwrap();
        let mut edited = original.clone();
        (edit.in_place)(&mut edited);
        *engine.risk_profile_mut("EU").unwrap() = loaded;
        let expected = releases(&engine, &declarations);
        *engine.risk_profile_mut("EU").unwrap() = edited;
        let found = releases(&engine, &declarations);
        *engine.risk_profile_mut("EU").unwrap() = original.clone();
        assert!(before != expected, "{}: changes no release", edit.what);
        let wrong = found.iter().zip(&expected).filter(|(f, e)| f != e).count();
        if wrong > 0 {
            stale.push(format!("{} ({wrong} releases)", edit.what));
        }
    }
    assert!(
        stale.is_empty(),
        "screened with stale data after editing {stale:?}"
    );
}

#[test]
fn rules_set_are_checked_and_normalized_as_loaded_ones() {
    let text = super::EMBEDDED
        .iter()
        .find(|(id, _)| *id == "EU")
        .unwrap()
        .1;
    let original = RiskProfile::from_json(text).unwrap();
    let mut profile = original.clone();
    let mut rules = profile.rules().to_vec();
    rules[3].code = rules[2].code.clone();
    let err = profile.set_rules(rules).unwrap_err();
    assert_eq!(err.code, crate::error::ErrorCode::InvalidPack);
    assert_eq!(err.path.as_deref(), Some("rules[3].code"));
    assert_eq!(
        profile, original,
        "a refused edit leaves the profile as it was"
    );
    let mut rules = profile.rules().to_vec();
    rules[5].when = Condition::Keyword(vec!["  Imitation   WATCH ".into()]);
    profile.set_rules(rules).unwrap();
    let Condition::Keyword(words) = &profile.rules()[5].when else {
        panic!("{:?}", profile.rules()[5].when);
    };
    assert_eq!(words, &["imitation watch"]);
}
