use super::*;

const US: &str = include_str!("../../../tests/fixtures/tariff/us-excerpt.tariff");
const GB: &str = include_str!("../../../tests/fixtures/tariff/gb-excerpt.tariff");

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

fn us() -> Schedule {
    Schedule::from_text(US, "USD").unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn fixtures_are_what_the_writer_writes() {
    for text in [US, GB] {
        let (header, revisions) = file::read(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(file::write(&header, &revisions).unwrap(), text);
    }
}

#[test]
fn codes_sort_as_strings() {
    let mut codes: Vec<Code> = ["62", "6201400000", "620140", "6201", "62014015", "6202"]
        .iter()
        .map(|c| Code::new(c).unwrap())
        .collect();
    codes.sort();
    let sorted: Vec<&str> = codes.iter().map(Code::as_str).collect();
    assert_eq!(
        sorted,
        ["62", "6201", "620140", "6201400000", "62014015", "6202"]
    );
    assert!(Code::new("62.01").is_none() && Code::new("").is_none());
    assert!(Code::new("12345678901").is_none());
    assert_eq!(Code::new("0101").unwrap().len(), 4);
}

#[test]
fn revision_in_force() {
    let s = us();
    assert_eq!(s.revisions().len(), 4);
    assert!(s.revision_on(date("2024-12-31")).is_none());
    assert_eq!(
        &*s.revision_on(date("2025-01-01")).unwrap().id,
        "2025-basic"
    );
    assert_eq!(
        &*s.revision_on(date("2025-08-06")).unwrap().id,
        "2025-basic"
    );
    assert_eq!(
        &*s.revision_on(date("2025-08-07")).unwrap().id,
        "2025-rev-18"
    );
    assert_eq!(
        &*s.revision_on(date("2030-01-01")).unwrap().id,
        "2026-rev-10"
    );
    assert_eq!(s.header().current_through, Some(date("2026-06-30")));
}

#[test]
fn longest_prefix_prices_a_precise_code() {
    let s = us();
    let rev = s.revision_on(date("2026-07-01")).unwrap();
    // Spot check against the official schedule: 6109.10.00 is 16.5 %.
    let line = s.longest_prefix(rev, "6109100012").unwrap();
    assert_eq!(line.code(), "61091000");
    assert_eq!(&*line.duty(0).unwrap().text, "16.5%");
    assert_eq!(&*line.duty(1).unwrap().text, "90%");
    assert!(
        line.description().contains("Of cotton"),
        "{}",
        line.description()
    );
    // A 10-digit line that carries its own rate wins over nothing shorter.
    let line = s.longest_prefix(rev, "6201401000").unwrap();
    assert_eq!(line.code(), "6201401000");
    assert_eq!(&*line.duty(0).unwrap().text, "4.4%");
    // A code shorter than every line has no prefix line.
    assert!(s.longest_prefix(rev, "620140").is_none());
    assert!(s.longest_prefix(rev, "999999").is_none());
    assert!(s.longest_prefix(rev, "6109ab").is_none());
}

#[test]
fn lines_under_a_shorter_code() {
    let s = us();
    let rev = s.revision_on(date("2026-07-01")).unwrap();
    // The example: 620140 covers 6201.40.10 to .75, 4.4 % to 49.7¢/kg + 19.7 %.
    let under: Vec<_> = s.lines_under(rev, "620140").collect();
    let codes: Vec<&str> = under.iter().map(|l| l.code()).collect();
    assert_eq!(
        codes,
        [
            "6201401000",
            "62014015",
            "62014020",
            "6201402500",
            "62014035",
            "62014040",
            "6201404500",
            "62014050",
            "6201405500",
            "62014060",
            "62014065",
            "6201407000",
            "62014075"
        ]
    );
    let texts: std::collections::BTreeSet<&str> =
        under.iter().map(|l| &*l.duty(0).unwrap().text).collect();
    assert!(texts.contains("4.4%") && texts.contains("49.7¢/kg + 19.7%"));
    // Every T-shirt of cotton is one line.
    assert_eq!(s.lines_under(rev, "610910").count(), 1);
    assert_eq!(s.lines_under(rev, "61").count(), 5);
    assert_eq!(s.lines_under(rev, "97").count(), 0);
    assert_eq!(s.lines_under(rev, "x").count(), 0);
}

#[test]
fn revisions_share_lines_and_apply_their_changes() {
    let s = us();
    let first = &s.revisions()[0];
    let last = s.revisions().last().unwrap();
    // 2026 Rev 10 turned the 10-digit line 1801.00.00.00 into the 8-digit 1801.00.00.
    assert_eq!(
        s.longest_prefix(first, "1801000000").unwrap().code(),
        "1801000000"
    );
    assert_eq!(
        s.longest_prefix(last, "1801000000").unwrap().code(),
        "18010000"
    );
    assert!(s.lines(last).all(|l| l.code() != "1801000000"));
    // Lines that did not change are stored once.
    assert_eq!(
        first.len() + 6,
        s.entries.len(),
        "one new entry per changed line"
    );
    let (header, revisions) = file::read(US).unwrap();
    assert_eq!(header.title, s.header().title);
    for (full, rev) in revisions.iter().zip(s.revisions()) {
        let codes: Vec<&str> = s.lines(rev).map(|l| l.code()).collect();
        let expected: Vec<&str> = full.lines.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, expected, "{}", rev.id);
        for (line, want) in s.lines(rev).zip(&full.lines) {
            assert_eq!(line.description(), want.description);
            for (c, duty) in want.duties.iter().enumerate() {
                assert_eq!(
                    line.duty(c).map(|d| &*d.text),
                    duty.as_ref().map(|d| d.text.as_str())
                );
            }
        }
    }
}

#[test]
fn not_computable_duties_load_with_their_reason() {
    let s = us();
    let rev = s.revision_on(date("2026-07-01")).unwrap();
    let watch = s
        .lines_under(rev, "9101")
        .find(|l| l.duty(0).unwrap().text.contains("on the case"))
        .unwrap();
    let reason = watch.duty(0).unwrap().expression.as_ref().unwrap_err();
    assert!(reason.contains("case, strap, battery"), "{reason}");
}

#[test]
fn currency_must_be_the_regimes() {
    let err = Schedule::from_text(US, "EUR").unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidTariff);
    assert!(err.message.contains("USD"), "{err}");
}

#[test]
fn lazy_schedules_parse_once_on_first_use() {
    let lazy = LazySchedule::deferred(US, "USD", "regimes/US/US.tariff").unwrap();
    assert_eq!(lazy.header().regime, "US");
    assert!(lazy.loaded.get().is_none());
    let a = lazy.get().unwrap() as *const Schedule;
    let b = lazy.get().unwrap() as *const Schedule;
    assert_eq!(a, b);
    // A broken body surfaces on use, with the file's name in the path.
    let broken = US.replace("61091000\t", "61091000\tx");
    let lazy = LazySchedule::deferred(broken, "USD", "regimes/US/US.tariff").unwrap();
    let err = lazy.get().unwrap_err();
    assert!(
        err.path.unwrap().starts_with("regimes/US/US.tariff.line "),
        "{}",
        err.message
    );
    let err = LazySchedule::loaded("xborder-tariff\t1\n", "USD", "tariff[US]").unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidTariff);
}

proptest::proptest! {
    /// Codes order as their bytes do (the binary search and the sort rely on it).
    #[test]
    fn codes_order_as_their_bytes(a in "[0-9]{1,10}", b in "[0-9]{1,10}") {
        let (x, y) = (Code::new(&a).unwrap(), Code::new(&b).unwrap());
        proptest::prop_assert_eq!(x.cmp(&y), x.0.cmp(&y.0));
        proptest::prop_assert_eq!(x.cmp(&y), a.cmp(&b));
    }
}

#[test]
fn a_code_counts_its_digits() {
    for n in 1..=10 {
        let code = Code::new(&"1234567890"[..n]).unwrap();
        assert_eq!(code.len(), n);
        assert_eq!(code.digits(), &b"1234567890"[..n]);
    }
    assert_eq!(Code::new("0").unwrap().len(), 1);
    assert_eq!(Code::new("0000000000").unwrap().len(), 10);
}

#[test]
fn descriptions_are_read_where_the_text_has_them_escaped_or_not() {
    // Descriptions with escapes (a backslash, a leading `#`, a tab written `\t`) are kept
    // apart, unescaped; the others are read in the file's text, whichever way it was given.
    let (header, mut revisions) = file::read(US).unwrap();
    for rev in &mut revisions {
        for (i, line) in rev.lines.iter_mut().enumerate() {
            // Room for the additions under the length limit.
            let short: String = line.description.chars().take(150).collect();
            line.description = match i % 4 {
                0 => format!("{short} \\ backslash"),
                1 => format!("#{short}"),
                2 => format!("{short}\tafter a tab"),
                _ => line.description.clone(),
            };
        }
    }
    let text = file::write(&header, &revisions).unwrap();
    assert!(text.contains("\\\\ backslash") && text.contains("\\tafter a tab"));
    let leaked: &'static str = Box::leak(text.clone().into_boxed_str());
    let lazy_static = LazySchedule::deferred(leaked, "USD", "static").unwrap();
    let lazy_owned = LazySchedule::deferred(text.clone(), "USD", "owned").unwrap();
    let schedules = [
        Schedule::from_text(&text, "USD").unwrap(),
        Schedule::from_source(SourceText::Static(leaked), "USD").unwrap(),
    ];
    let lazy = [lazy_static.get().unwrap(), lazy_owned.get().unwrap()];
    for s in schedules.iter().chain(lazy) {
        assert!(!s.unescaped.is_empty());
        for (rev, full) in s.revisions().iter().zip(&revisions) {
            let mut want: Vec<&file::Line> = full.lines.iter().collect();
            want.sort_by(|a, b| a.code.cmp(&b.code));
            let got: Vec<(&str, &str)> =
                s.lines(rev).map(|l| (l.code(), l.description())).collect();
            let want: Vec<(&str, &str)> = want
                .iter()
                .map(|l| (l.code.as_str(), l.description.as_str()))
                .collect();
            assert_eq!(got, want, "{}", rev.id);
        }
    }
}
