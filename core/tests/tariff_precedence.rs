//! Where a national tariff file covers a date it is the tariff, and the pack's own
//! `tariff.lines` no longer price anything on that date. So that pack authors see when their
//! lines and the official schedule part ways, this test lists every pack line whose rate
//! differs from the file's on a date both apply to; each must be fixed or explained in
//! [`ALLOWED`].

use std::collections::BTreeSet;

use xborder::duty_expr::DutyExpression;
use xborder::regime::Regime;
use xborder::tariff::correlation::{self, Counterparts};
use xborder::tariff::file::HsEdition;
use xborder::tariff::schedule::{Schedule, ScheduleRevision};
use xborder::{Date, Engine};

/// `(regime, pack line's HS prefix, why the difference is right)`: disagreements that are
/// known and explained.
const ALLOWED: &[(&str, &str, &str)] = &[
    (
        "AU",
        "6109",
        "the ABF Schedule 3 data the AU file was converted from lacks chapter 61, so the file \
         refuses it (a placeholder line naming the missing chapter) from its first revision \
         (2026-04); the pack's sourced 5 % serves the dates before",
    ),
    (
        "EU",
        "611011",
        "the pack's 6-digit line gives the rate of most lines of 6110 11 (12 %); CN 6110 11 10 \
         is 10.5 %: the file is the more precise, and prices the dates it covers",
    ),
    (
        "GB",
        "611011",
        "as for the EU: UKGT 6110 11 10 is 10 %, the rest of 6110 11 12 %",
    ),
    (
        "EU",
        "851713",
        "an HS 2022 subheading in a version that starts in 2021, when HS 2017 was in force \
         (smartphones were 8517 12): on 2021 dates the code has no line, as it should; from \
         2022 it is read as HS 2017 851712",
    ),
    ("GB", "851713", "as for the EU"),
];

/// Every pack line (of every version) whose rate differs from the file's lines for its code,
/// at each revision that starts within the version (and at the version's start).
fn disagreements(regime: &Regime, schedule: &Schedule) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for version in &regime.versions {
        let (from, to) = (version.rules.from, version.rules.to);
        let mut dates: Vec<Date> = vec![from];
        dates.extend(
            schedule
                .revisions()
                .iter()
                .map(|r| r.from)
                .filter(|d| *d > from && to.is_none_or(|t| *d < t)),
        );
        for date in dates {
            let Some(revision) = schedule.revision_on(date) else {
                continue;
            };
            for line in version.tariff.lines() {
                if ALLOWED
                    .iter()
                    .any(|(r, hs, _)| *r == regime.id && *hs == line.hs)
                {
                    continue;
                }
                compare(regime, schedule, revision, date, line, &mut found);
            }
        }
    }
    found
}

/// Compares one pack line with the file's lines for its code on `date`.
fn compare(
    regime: &Regime,
    schedule: &Schedule,
    revision: &ScheduleRevision,
    date: Date,
    line: &xborder::tariff::TariffLine,
    found: &mut BTreeSet<String>,
) {
    let title = &schedule.header().title;
    let codes: Vec<String> = match HsEdition::in_force_on(date)
        .map(|e| correlation::embedded().counterparts(&line.hs, e, revision.edition))
    {
        Some(Counterparts::Codes(subs)) => subs
            .iter()
            .map(|s| correlation::text(s).to_string())
            .collect(),
        Some(Counterparts::NotInEdition { .. }) => {
            found.insert(format!(
                "{}: tariff.lines[{}] is not a code of the edition in force on {date}",
                regime.id, line.hs
            ));
            return;
        }
        _ => vec![line.hs.clone()],
    };
    let mut seen = 0;
    for code in &codes {
        let lines: Vec<_> = match schedule
            .prefix_lines(revision, code)
            .find(|l| l.duty(0).is_some())
        {
            Some(l) => vec![l],
            None => schedule
                .lines_under(revision, code)
                .filter(|l| l.duty(0).is_some())
                .collect(),
        };
        for file_line in lines {
            seen += 1;
            let duty = file_line.duty(0).expect("filtered");
            let same = duty
                .expression
                .as_ref()
                .is_ok_and(|e: &DutyExpression| *e == line.duty);
            if !same {
                found.insert(format!(
                    "{}: tariff.lines[{}] is {:?}; {title}, revision {}, line {} is {:?}",
                    regime.id,
                    line.hs,
                    line.duty.text(),
                    revision.id,
                    file_line.code(),
                    &*duty.text
                ));
            }
        }
    }
    if seen == 0 {
        found.insert(format!(
            "{}: tariff.lines[{}] has no line in {title}, revision {}",
            regime.id, line.hs, revision.id
        ));
    }
}

#[test]
fn embedded_tariff_files_agree_with_the_packs_lines() {
    let engine = Engine::builder()
        .without_embedded_tariffs()
        .build()
        .unwrap();
    let mut all = BTreeSet::new();
    #[cfg(feature = "embedded-tariffs")]
    for (id, text) in xborder_regimes::TARIFFS {
        let regime = engine.regime(id).expect("a tariff's regime is embedded");
        let schedule = Schedule::from_text(text, &regime.currency)
            .unwrap_or_else(|e| panic!("regimes/{id}/{id}.tariff: {e}"));
        all.extend(disagreements(regime, &schedule));
    }
    assert!(
        all.is_empty(),
        "pack lines that disagree with the embedded national tariff (fix the pack, or explain \
         the difference in ALLOWED in this file):\n{}",
        all.into_iter().collect::<Vec<_>>().join("\n")
    );
    let _ = engine;
}

/// The comparison itself, on the US excerpt: the pack's sourced lines match the schedule, and
/// a line changed to a wrong rate is reported.
#[test]
fn the_comparison_finds_a_wrong_pack_line() {
    let us = include_str!("fixtures/tariff/us-excerpt.tariff");
    let engine = Engine::builder()
        .without_embedded_tariffs()
        .build()
        .unwrap();
    let regime = engine.regime("US").unwrap();
    let schedule = Schedule::from_text(us, "USD").unwrap();
    let found = disagreements(regime, &schedule);
    let about_tshirts: Vec<_> = found.iter().filter(|m| m.contains("[61091000]")).collect();
    assert!(about_tshirts.is_empty(), "{about_tshirts:?}");
    let wrong = us.replace("16.5%\t16.5%", "16.5%\t17%");
    let schedule = Schedule::from_text(&wrong, "USD").unwrap();
    let found = disagreements(regime, &schedule);
    assert!(
        found
            .iter()
            .any(|m| m.contains("tariff.lines[61091000] is \"16.5%\"")
                && m.contains("line 61091000 is \"16.5%\"")),
        "{found:#?}"
    );
}
