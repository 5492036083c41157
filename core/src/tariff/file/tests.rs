use proptest::prelude::*;

use super::*;

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

fn header() -> Header {
    Header {
        regime: "US".into(),
        currency: "USD".into(),
        edition: HsEdition::Hs2022,
        title: "Harmonized Tariff Schedule of the United States".into(),
        publisher: "United States International Trade Commission".into(),
        source: "USITC HTS JSON export".into(),
        licence: "US government work, public domain".into(),
        columns: vec!["general".into(), "column2".into()],
        confidence: Confidence::Confirmed,
        checked: date("2026-12-04"),
        current_through: Some(date("2026-12-04")),
        converter: Some("xborder tariff import --format usitc-hts".into()),
        notes: vec!["Column 1 general rates only.".into()],
    }
}

fn duty(text: &str, expression: &str) -> Option<Duty> {
    Some(Duty {
        text: text.into(),
        expression: Ok(expression.into()),
    })
}

fn line(code: &str, duties: Vec<Option<Duty>>, description: &str) -> Line {
    Line {
        code: code.into(),
        duties,
        description: description.into(),
    }
}

fn revisions() -> Vec<Revision> {
    let tee = "T-shirts, singlets, tank tops and similar garments, knitted: of cotton";
    let first = vec![
        line(
            "62014015",
            vec![
                duty("49.7¢/kg + 19.7%", "0.497 USD/kg + 19.7%"),
                duty("90%", "90%"),
            ],
            "Men's anoraks of man-made fibres: containing 36 % or more of wool",
        ),
        line(
            "61091000",
            vec![duty("16.5%", "16.5%"), duty("90%", "90%")],
            tee,
        ),
    ];
    let second = vec![
        line(
            "61091000",
            vec![duty("16.5%", "16.5%"), duty("90%", "90%")],
            &format!("{tee} (revised)"),
        ),
        line(
            "01012100",
            vec![duty("Free", "free"), None],
            "Purebred breeding horses",
        ),
    ];
    vec![
        Revision {
            id: "2025-basic".into(),
            from: date("2025-01-01"),
            title: "HTS 2025 Basic Edition".into(),
            edition: None,
            lines: first,
        },
        Revision {
            id: "2025-rev-1".into(),
            from: date("2025-01-27"),
            title: "HTS 2025 Revision 1".into(),
            edition: Some(HsEdition::Hs2022),
            lines: second,
        },
    ]
}

/// Sorts each revision's lines, as `read` returns them.
fn normalised(mut revisions: Vec<Revision>) -> Vec<Revision> {
    for r in &mut revisions {
        r.lines.sort_by(|a, b| a.code.cmp(&b.code));
    }
    revisions
}

#[test]
fn writes_the_documented_layout() {
    let text = write(&header(), &revisions()).unwrap();
    let expected = "xborder-tariff\t1
regime\tUS
currency\tUSD
edition\tHS2022
title\tHarmonized Tariff Schedule of the United States
publisher\tUnited States International Trade Commission
source\tUSITC HTS JSON export
licence\tUS government work, public domain
columns\tgeneral\tcolumn2
confidence\tconfirmed
checked\t2026-12-04
current_through\t2026-12-04
converter\txborder tariff import --format usitc-hts
note\tColumn 1 general rates only.
%duties
16.5%\t16.5%
90%\t90%
49.7¢/kg + 19.7%\t0.497 USD/kg + 19.7%
Free\tfree
%revision\t2025-basic\t2025-01-01\tHTS 2025 Basic Edition
61091000\t0\t1\tT-shirts, singlets, tank tops and similar garments, knitted: of cotton
62014015\t2\t1\tMen's anoraks of man-made fibres: containing 36 % or more of wool
%revision\t2025-rev-1\t2025-01-27\tHTS 2025 Revision 1\tHS2022
01012100\t3\t-\tPurebred breeding horses
61091000\t0\t1\tT-shirts, singlets, tank tops and similar garments, knitted: of cotton (revised)
-\t62014015
";
    assert_eq!(text, expected);
    let (h, r) = read(&text).unwrap();
    assert_eq!(h, header());
    assert_eq!(r, normalised(revisions()));
}

#[test]
fn output_does_not_depend_on_line_order() {
    let mut shuffled = revisions();
    for r in &mut shuffled {
        r.lines.reverse();
    }
    assert_eq!(
        write(&header(), &shuffled).unwrap(),
        write(&header(), &revisions()).unwrap()
    );
}

#[test]
fn escapes_round_trip() {
    let mut revs = revisions();
    revs[0].lines[0].description = "tab\there, back\\slash, new\nline".into();
    revs[0].lines[0].duties[0] = Some(Duty {
        text: "#5 %\tsee\\note".into(),
        expression: Err("%depends\ton the goods".into()),
    });
    revs[0].lines[0].duties[1] = Some(Duty {
        text: "%7".into(),
        expression: Ok("7%".into()),
    });
    let mut h = header();
    h.notes.push("#not a comment".into());
    let text = write(&h, &revs).unwrap();
    assert!(
        text.contains("\n\\#5 %\\tsee\\\\note\t!\\%depends\\ton the goods\n"),
        "{text}"
    );
    assert!(text.contains("\n\\%7\t7%\n"), "{text}");
    let (h2, r2) = read(&text).unwrap();
    assert_eq!(h2, h);
    assert_eq!(r2, normalised(revs));
}

#[test]
fn write_rejects_converter_bugs() {
    let mut revs = revisions();
    revs[1].lines[1].duties[0] = duty("5 kg", "5 kilos");
    let err = write(&header(), &revs).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidExpression);
    assert_eq!(
        err.path.as_deref(),
        Some("revisions[1].lines[01012100].duties")
    );
    assert!(
        err.message.contains("2025-rev-1") && err.message.contains("\"5 kg\""),
        "{err}"
    );

    let mut revs = revisions();
    revs[0].lines[0].duties[0] = duty("5 €/kg", "5 EUR/kg");
    assert_eq!(
        write(&header(), &revs).unwrap_err().code,
        ErrorCode::InvalidExpression
    );

    type Breaker = Box<dyn Fn(&mut Header, &mut Vec<Revision>)>;
    let cases: Vec<(Breaker, &str)> = vec![
        (
            Box::new(|_, r| r[0].lines[0].code = "6201.40".into()),
            "revisions[0].lines[6201.40]",
        ),
        (
            Box::new(|_, r| r[0].lines[1].code = "62014015".into()),
            "revisions[0].lines[62014015]",
        ),
        (
            Box::new(|_, r| r[0].lines[0].duties.pop().map(drop).unwrap_or(())),
            "revisions[0].lines[62014015].duties",
        ),
        (
            Box::new(|_, r| r[0].lines[0].description = "x".repeat(201)),
            "revisions[0].lines[62014015].description",
        ),
        (
            Box::new(|_, r| r[1].from = date("2024-12-31")),
            "revisions[1].from",
        ),
        (
            Box::new(|_, r| r[1].id = "2025-basic".into()),
            "revisions[1].id",
        ),
        (Box::new(|_, r| r.clear()), "revisions"),
        (
            Box::new(|_, r| {
                r[0].lines[0].duties[0] = Some(Duty {
                    text: "x".into(),
                    expression: Err(" ".into()),
                })
            }),
            "revisions[0].lines[62014015].duties",
        ),
        (
            Box::new(|_, r| r[0].lines[0].duties[0] = duty("", "1%")),
            "revisions[0].lines[62014015].duties",
        ),
        (
            Box::new(|h, _| h.currency = "usd".into()),
            "header.currency",
        ),
        (Box::new(|h, _| h.title = " ".into()), "header.title"),
        (
            Box::new(|h, _| h.columns.push("general".into())),
            "header.columns[2]",
        ),
        (Box::new(|h, _| h.columns.clear()), "header.columns"),
    ];
    for (break_it, path) in cases {
        let (mut h, mut r) = (header(), revisions());
        break_it(&mut h, &mut r);
        let err = write(&h, &r).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidTariff, "{path}: {err}");
        assert_eq!(err.path.as_deref(), Some(path), "{err}");
    }
}

#[test]
fn a_revision_may_share_a_date_and_be_empty_of_changes() {
    let mut revs = revisions();
    revs.push(Revision {
        id: "2025-rev-1-corr".into(),
        from: date("2025-01-27"),
        title: "Correction".into(),
        edition: None,
        lines: revs[1].lines.clone(),
    });
    let text = write(&header(), &revs).unwrap();
    assert!(text.ends_with("%revision\t2025-rev-1-corr\t2025-01-27\tCorrection\n"));
    assert_eq!(read(&text).unwrap().1, normalised(revs));
}

/// Reads `text` and expects `E_INVALID_TARIFF` (or another code) at `line N`.
fn fails_at(text: &str, line: usize, code: ErrorCode) -> String {
    let err = read(text).unwrap_err();
    assert_eq!(err.code, code, "{err}");
    assert_eq!(err.path, Some(format!("line {line}")), "{err}");
    err.message
}

fn minimal(body: &str) -> String {
    format!(
        "xborder-tariff\t1\nregime\tGB\ncurrency\tGBP\nedition\tHS2022\ntitle\tt\npublisher\tp\nsource\ts\nlicence\tl\ncolumns\tthird_country\nconfidence\tsecondary\nchecked\t2026-01-01\n%duties\n12%\t12%\nEA\t!agricultural component\n{body}"
    )
}

#[test]
fn reader_accepts_comments_blank_lines_and_crlf() {
    let text = minimal(
        "# a comment\n\n%revision\tr1\t2026-01-01\tFirst\r\n1905\t1\tBread\r\n610910\t0\tShirts\n",
    );
    let (h, r) = read(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(h.confidence, Confidence::Secondary);
    assert_eq!(h.current_through, None);
    assert_eq!(r[0].lines.len(), 2);
    assert_eq!(r[0].lines[0].code, "1905");
    assert_eq!(
        r[0].lines[0].duties[0].as_ref().unwrap().expression,
        Err("agricultural component".to_string())
    );
    // The body's codes sort 1905 < 610910 as strings; here they were given the other way.
    let err = read(&minimal(
        "%revision\tr1\t2026-01-01\tFirst\n610910\t0\tShirts\n1905\t1\tBread\n",
    ))
    .unwrap_err();
    assert_eq!(err.path.as_deref(), Some("line 17"));
}

#[test]
fn reader_errors_name_the_line() {
    fails_at("xborder-tariff\t2\n", 1, ErrorCode::InvalidTariff);
    fails_at(
        "hs,duty,description,source,checked\n",
        1,
        ErrorCode::InvalidTariff,
    );
    let m = fails_at(
        &minimal("").replace("title\tt\n", ""),
        11,
        ErrorCode::InvalidTariff,
    );
    assert!(m.contains("title"), "{m}");
    fails_at(
        &minimal("").replace("edition\tHS2022", "edition\tHS2012"),
        4,
        ErrorCode::InvalidTariff,
    );
    fails_at(
        &minimal("").replace("licence\tl\n", "licence\tl\nlicense\tl\n"),
        9,
        ErrorCode::InvalidTariff,
    );
    fails_at(
        &minimal("").replace("licence\tl\n", "licence\tl\nlicence\tm\n"),
        9,
        ErrorCode::InvalidTariff,
    );
    fails_at(
        &minimal("").replace("checked\t2026-01-01", "checked\t2026-02-30"),
        11,
        ErrorCode::InvalidTariff,
    );
    fails_at(
        &minimal("").replace("confidence\tsecondary", "confidence\tsure"),
        10,
        ErrorCode::InvalidTariff,
    );
    fails_at(&minimal(""), 12, ErrorCode::InvalidTariff); // no revision
    fails_at(
        &minimal("5 kilos\t5 kilos\n%revision\tr\t2026-01-01\tt\n"),
        15,
        ErrorCode::InvalidExpression,
    );
    fails_at(
        &minimal("5 EUR/kg\t5 EUR/kg\n%revision\tr\t2026-01-01\tt\n"),
        15,
        ErrorCode::InvalidExpression,
    );
    fails_at(
        &minimal("x\t!\n%revision\tr\t2026-01-01\tt\n"),
        15,
        ErrorCode::InvalidTariff,
    );
    fails_at(
        &minimal("nothing\n%revision\tr\t2026-01-01\tt\n"),
        15,
        ErrorCode::InvalidTariff,
    );
    fails_at(
        &minimal("bad\\q\t1%\n%revision\tr\t2026-01-01\tt\n"),
        15,
        ErrorCode::InvalidTariff,
    );
    let rev = "%revision\tr1\t2026-01-01\tFirst\n";
    fails_at(
        &minimal(&format!("{rev}-\t6109\n")),
        16,
        ErrorCode::InvalidTariff,
    );
    fails_at(
        &minimal(&format!("{rev}6109\t2\tx\n")),
        16,
        ErrorCode::InvalidTariff,
    );
    fails_at(
        &minimal(&format!("{rev}6109\t+1\tx\n")),
        16,
        ErrorCode::InvalidTariff,
    );
    fails_at(
        &minimal(&format!("{rev}6109\t0\n")),
        16,
        ErrorCode::InvalidTariff,
    );
    fails_at(
        &minimal(&format!("{rev}6109\t0\tx\ty\n")),
        16,
        ErrorCode::InvalidTariff,
    );
    fails_at(
        &minimal(&format!("{rev}6109.10\t0\tx\n")),
        16,
        ErrorCode::InvalidTariff,
    );
    fails_at(
        &minimal(&format!("{rev}6\t0\tx\n")),
        16,
        ErrorCode::InvalidTariff,
    );
    fails_at(
        &minimal(&format!("{rev}6109\t0\tx\n6109\t0\ty\n")),
        17,
        ErrorCode::InvalidTariff,
    );
    fails_at(
        &minimal(&format!("{rev}6109\t0\t{}\n", "x".repeat(201))),
        16,
        ErrorCode::InvalidTariff,
    );
    fails_at(
        &minimal(&format!(
            "{rev}6109\t0\tx\n%revision\tr1\t2026-02-01\tAgain\n"
        )),
        17,
        ErrorCode::InvalidTariff,
    );
    fails_at(
        &minimal(&format!(
            "{rev}6109\t0\tx\n%revision\tr0\t2025-12-01\tEarlier\n"
        )),
        17,
        ErrorCode::InvalidTariff,
    );
    fails_at(
        &minimal(&format!(
            "{rev}6109\t0\tx\n%revision\tr2\t2026-02-01\tSecond\n-\t6110\n"
        )),
        18,
        ErrorCode::InvalidTariff,
    );
    fails_at(
        &minimal(&format!("6109\t0\tx\n{rev}")),
        15,
        ErrorCode::InvalidTariff,
    );
    fails_at(
        &minimal("%revision\tr1\t2026-01-01\n"),
        15,
        ErrorCode::InvalidTariff,
    );
    fails_at(
        &minimal("%revision\tr1\t2026-01-01\tt\tHS2017\textra\n"),
        15,
        ErrorCode::InvalidTariff,
    );
}

#[test]
fn too_large_is_refused_before_reading() {
    let big = "#".repeat(crate::limits::MAX_TARIFF_BYTES + 1);
    assert_eq!(read(&big).unwrap_err().code, ErrorCode::TariffTooLarge);
}

#[test]
fn editions() {
    assert_eq!("HS2017".parse(), Ok(HsEdition::Hs2017));
    assert_eq!(HsEdition::Hs2022.to_string(), "HS2022");
    assert!("hs2022".parse::<HsEdition>().is_err());
    assert_eq!(
        HsEdition::in_force_on(date("2021-12-31")),
        Some(HsEdition::Hs2017)
    );
    assert_eq!(
        HsEdition::in_force_on(date("2022-01-01")),
        Some(HsEdition::Hs2022)
    );
    assert_eq!(HsEdition::in_force_on(date("2016-12-31")), None);
}

#[test]
fn short_descriptions() {
    assert_eq!(
        short_description("  Men's\t anoraks\n of wool "),
        "Men's anoraks of wool"
    );
    let long = "word ".repeat(100);
    let short = short_description(&long);
    assert!(short.chars().count() <= MAX_DESCRIPTION_CHARS, "{short}");
    assert!(short.ends_with("word…"), "{short}");
    let unbroken = "é".repeat(300);
    assert_eq!(
        short_description(&unbroken).chars().count(),
        MAX_DESCRIPTION_CHARS
    );
}

// ---- property tests ----

fn any_duty() -> impl Strategy<Value = Duty> {
    let expressions = prop::sample::select(vec![
        "free",
        "16.5%",
        "0.497 USD/kg + 19.7%",
        "1.35 USD/12 item",
        "max(10%, 1 USD/kg)",
        "5% MIN 1 USD/pair",
    ]);
    (
        "[ -~¢€\\t\\n\\\\#%]{1,12}",
        prop_oneof![
            4 => expressions.prop_map(|e| Ok(e.to_string())),
            1 => "[ -~\\t]{0,10}[a-z]".prop_map(Err),
        ],
    )
        .prop_map(|(text, expression)| Duty { text, expression })
}

fn any_line(duties: Vec<Duty>) -> impl Strategy<Value = Line> {
    (
        "[0-9]{2,10}",
        prop::collection::vec(prop::option::of(prop::sample::select(duties)), 2),
        "[ -~é\\t\\\\]{0,40}",
    )
        .prop_map(|(code, duties, description)| Line {
            code,
            duties,
            description,
        })
}

/// A schedule of up to 5 revisions over a pool of codes, each revision a random edit of the
/// one before (so deltas add, change and remove lines).
fn any_schedule() -> impl Strategy<Value = Vec<Revision>> {
    prop::collection::vec(any_duty(), 1..6).prop_flat_map(|pool| {
        prop::collection::vec(
            prop::collection::btree_map("[0-9]{2,10}", any_line(pool), 0..12),
            1..5,
        )
        .prop_map(|maps| {
            maps.into_iter()
                .enumerate()
                .map(|(i, lines)| Revision {
                    id: format!("rev-{i}"),
                    from: Date::new(2025, 1 + i as u32, 1).unwrap(),
                    title: format!("Revision {i}"),
                    edition: (i % 2 == 1).then_some(HsEdition::Hs2017),
                    lines: lines
                        .into_iter()
                        .map(|(code, mut line)| {
                            line.code = code;
                            line
                        })
                        .collect(),
                })
                .collect()
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn read_inverts_write(revisions in any_schedule()) {
        let text = write(&header(), &revisions).unwrap();
        let (h, back) = read(&text).unwrap();
        prop_assert_eq!(h, header());
        prop_assert_eq!(&back, &normalised(revisions.clone()));
        // Byte-deterministic, and a second round trip writes the same bytes.
        prop_assert_eq!(write(&header(), &back).unwrap(), text.clone());
        // Each distinct duty is written once.
        let table: Vec<&str> = text
            .split("%duties\n").nth(1).unwrap()
            .split("%revision").next().unwrap()
            .lines().collect();
        let distinct: std::collections::HashSet<&str> = table.iter().copied().collect();
        prop_assert_eq!(distinct.len(), table.len());
    }

    #[test]
    fn deltas_hold_only_changes(revisions in any_schedule()) {
        let text = write(&header(), &revisions).unwrap();
        let raw = parse_raw(&text).unwrap();
        let sorted = normalised(revisions);
        for (i, rev) in raw.revisions.iter().enumerate().skip(1) {
            let before = &sorted[i - 1].lines;
            let after = &sorted[i].lines;
            for record in &rev.records {
                let old = before.iter().find(|l| l.code == record.code);
                let new = after.iter().find(|l| l.code == record.code);
                prop_assert!(old != new, "record {} changes nothing", record.code);
                prop_assert_eq!(record.description.is_none(), new.is_none());
            }
            let unchanged = after.iter().filter(|l| before.contains(l)).count();
            prop_assert_eq!(after.len() - unchanged, rev.records.iter().filter(|r| r.description.is_some()).count());
        }
    }

    #[test]
    fn reader_never_panics(text in "(xborder-tariff\t1\n)?[ -~\t\n%#\\\\]{0,400}") {
        let _ = read(&text);
    }
}

#[test]
fn the_documented_example_reads() {
    let doc = include_str!("../../../../docs/tariff-format.md");
    let start = doc
        .find("```text\nxborder-tariff")
        .expect("example in the doc")
        + 8;
    let example = &doc[start..start + doc[start..].find("```").unwrap()];
    let (header, revisions) = read(example).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(header.columns, ["general", "column2"]);
    assert_eq!(revisions.len(), 2);
    assert_eq!(revisions[1].lines.len(), 2);
    // The doc shows what the writer writes.
    assert_eq!(write(&header, &revisions).unwrap(), example);
}

/// What `apply` did before it copied runs of unchanged lines: a merge, line by line.
fn apply_line_by_line(previous: &[String], records: &[(String, bool)]) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut old = previous.iter().peekable();
    for (code, kept) in records {
        while let Some(line) = old.next_if(|l| **l < *code) {
            out.push(line.clone());
        }
        let replaced = old.next_if(|l| **l == *code).is_some();
        if *kept {
            out.push(format!("{code}*"));
        } else if !replaced {
            return None;
        }
    }
    out.extend(old.cloned());
    Some(out)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The galloping `apply` gives the line-by-line merge's lines, and fails where it failed.
    #[test]
    fn apply_equals_the_line_by_line_merge(
        previous in proptest::collection::btree_set("[0-9]{2,4}", 0..60),
        records in proptest::collection::btree_map("[0-9]{2,4}", any::<bool>(), 0..30),
    ) {
        let previous: Vec<String> = previous.into_iter().collect();
        let records: Vec<(String, bool)> = records.into_iter().collect();
        let revision = RawRevision {
            id: "r".into(),
            from: date("2026-01-01"),
            title: String::new(),
            edition: None,
            records: records
                .iter()
                .enumerate()
                .map(|(i, (code, kept))| Record {
                    code,
                    description: kept.then(|| Cow::Borrowed("d")),
                    line_no: i + 1,
                })
                .collect(),
            duties: Vec::new(),
        };
        let got = apply(&previous, &revision, |l| l.as_bytes(), |_, r| format!("{}*", r.code));
        prop_assert_eq!(got.ok(), apply_line_by_line(&previous, &records));
    }

    /// `leading` counts the prefix `partition_point` finds.
    #[test]
    fn leading_is_the_partition_point(items in proptest::collection::vec(any::<u8>(), 0..200), at in any::<u8>()) {
        let mut items = items;
        items.sort_unstable();
        prop_assert_eq!(leading(&items, |&x| x < at), items.partition_point(|&x| x < at));
    }

    /// Lines and fields are cut where `split('\n')` and `splitn(_, '\t')` cut them.
    #[test]
    fn lines_and_fields_are_split_as_the_standard_library_splits_them(
        text in "[a\t\n\\\\é]{0,300}",
        fields in 1usize..5,
    ) {
        let ours: Vec<&str> = split_lines(&text).collect();
        let std: Vec<&str> = text.split('\n').collect();
        prop_assert_eq!(&ours, &std);
        for line in std {
            let mut at = Some(0);
            let mut ours: Vec<&str> = (0..fields - 1).map_while(|_| next_field(line, &mut at)).collect();
            ours.extend(at.and_then(|from| line.get(from..)));
            let std: Vec<&str> = line.splitn(fields, '\t').collect();
            prop_assert_eq!(ours, std);
            prop_assert_eq!(has_tab_or_backslash(line), line.contains('\t') || line.contains('\\'));
        }
    }
}
