use super::*;
use proptest::prelude::*;

fn d(s: &str) -> Decimal {
    s.parse().expect("test decimal")
}

fn eur(text: &str) -> DutyExpression {
    DutyExpression::parse(text, "EUR").expect("test expression parses")
}

fn gbp(text: &str) -> DutyExpression {
    DutyExpression::parse(text, "GBP").expect("test expression parses")
}

fn line(value: &str, quantity: &str, mass: Option<&str>, litres: Option<&str>) -> DutyInputs {
    DutyInputs {
        value: d(value),
        quantity: d(quantity),
        net_mass_kg: mass.map(d),
        gross_mass_kg: None,
        litres: litres.map(d),
    }
}

fn by_value(value: &str) -> DutyInputs {
    line(value, "1", None, None)
}

fn eval(expr: &DutyExpression, inputs: DutyInputs) -> Decimal {
    expr.evaluate(&inputs).expect("evaluates")
}

/// Asserts a syntax error at `offset` and returns its message.
fn syntax_at(text: &str, offset: usize) -> String {
    match DutyExpression::parse(text, "EUR") {
        Err(DutyExprError::Syntax {
            text: t,
            offset: o,
            message,
        }) => {
            assert_eq!(t, text);
            assert_eq!(o, offset, "offset for {text:?}: {message}");
            message
        }
        other => panic!("expected a syntax error for {text:?}, got {other:?}"),
    }
}

#[test]
fn ad_valorem_forms() {
    // 12% of 250.00 = 30
    assert_eq!(eval(&eur("12%"), by_value("250.00")), d("30"));
    // 2.5% of 80 = 2
    assert_eq!(eval(&eur("2.5 %"), by_value("80")), d("2"));
    // 13.8% of 123.45 = 17.0361
    assert_eq!(eval(&eur(" 13.8%\t"), by_value("123.45")), d("17.0361"));
    assert_eq!(eval(&eur("0%"), by_value("1000")), Decimal::ZERO);
    assert_eq!(eval(&eur("free"), by_value("1000")), Decimal::ZERO);
    assert_eq!(eval(&eur("FREE"), by_value("1000")), Decimal::ZERO);
    // Rates above 100% exist (e.g. some agricultural lines): 150% of 10 = 15
    assert_eq!(eval(&eur("150%"), by_value("10")), d("15"));
    assert_eq!(eur("12%").needs(), Needs::default());
}

#[test]
fn free_forms() {
    for text in [
        "0%",
        "free",
        "Free",
        "0.00 %",
        "0 EUR/kg",
        "free + 0%",
        "12% MAX 0 EUR/kg",
    ] {
        let e = eur(text);
        assert!(e.is_free(), "{text}");
        assert_eq!(e.needs(), Needs::default(), "{text}");
        // No mass is given, yet a free rate needs none.
        assert_eq!(eval(&e, by_value("999")), Decimal::ZERO, "{text}");
    }
    for text in ["12%", "0% + 1 EUR/kg", "0% MIN 1 EUR/kg", "0.000001%"] {
        assert!(!eur(text).is_free(), "{text}");
    }
    // A deduction only: always ≤ 0, so always 0.
    assert!(eur("0% - 3%").is_free());
}

#[test]
fn specific_forms() {
    // 3.50 × 12.4 kg = 43.4
    assert_eq!(
        eval(&eur("3.50 EUR/kg"), line("1", "1", Some("12.4"), None)),
        d("43.4")
    );
    // 13 × 250 kg / 100 = 32.5
    let per_100kg = gbp("13 GBP/100kg");
    assert_eq!(
        eval(&per_100kg, line("1", "1", Some("250"), None)),
        d("32.5")
    );
    assert_eq!(gbp("13 GBP / 100 kg"), per_100kg);
    assert_eq!(gbp("13GBP/100KG"), per_100kg);
    // 2 × 7 items = 14, under every spelling of "item"
    for text in [
        "2 EUR/item",
        "2 EUR/p/st",
        "2 EUR / p / st",
        "2 EUR/pc",
        "2 EUR/piece",
    ] {
        let e = eur(text);
        assert_eq!(e, eur("2 EUR/item"), "{text}");
        assert_eq!(eval(&e, line("1", "7", None, None)), d("14"), "{text}");
        assert_eq!(
            e.needs(),
            Needs {
                quantity: true,
                ..Needs::default()
            }
        );
    }
    // 1.20 × 3.5 l = 4.2
    assert_eq!(
        eval(&eur("1.20 EUR/l"), line("1", "1", None, Some("3.5"))),
        d("4.2")
    );
    // 0.5 × 4 pairs = 2
    assert_eq!(
        eval(&eur("0.5 EUR/pair"), line("1", "4", None, None)),
        d("2")
    );
    // 8 × 250 l / 100 = 20
    for text in ["8 EUR/100 l", "8 EUR/100l", "8 EUR/hl"] {
        assert_eq!(
            eval(&eur(text), line("1", "1", None, Some("250"))),
            d("20"),
            "{text}"
        );
    }
}

#[test]
fn hundred_kg_divides_mass_by_100() {
    // 20 × 37 kg / 100 = 7.4, against 20 × 37 = 740 per kg
    let inputs = line("0", "1", Some("37"), None);
    assert_eq!(eval(&eur("20 EUR/100kg"), inputs), d("7.4"));
    assert_eq!(eval(&eur("20 EUR/kg"), inputs), d("740"));
    assert_eq!(eval(&eur("0.2 EUR/kg"), inputs), d("7.4"));
}

#[test]
fn compound_sums_components() {
    // 12% of 1000 = 120; 20 × 50 kg / 100 = 10; total 130
    let e = eur("12% + 20 EUR/100kg");
    assert_eq!(eval(&e, line("1000", "1", Some("50"), None)), d("130"));
    assert_eq!(
        e.needs(),
        Needs {
            net_mass: true,
            ..Needs::default()
        }
    );
    // 5% of 200 = 10; + 1 × 3 items = 13; - 0.5 × 2 l = 12
    let e = eur("5% + 1 EUR/item - 0.5 EUR/l");
    assert_eq!(eval(&e, line("200", "3", None, Some("2"))), d("12"));
    assert_eq!(
        e.needs(),
        Needs {
            net_mass: false,
            gross_mass: false,
            quantity: true,
            litres: true,
            supplementary: None,
        }
    );
}

#[test]
fn min_clamp() {
    let e = eur("8% MIN 1.5 EUR/pair");
    // 8% of 100 = 8 vs 1.5 × 2 pairs = 3 → 8 (base binds)
    assert_eq!(eval(&e, line("100", "2", None, None)), d("8"));
    // 8% of 20 = 1.6 vs 3 → 3 (MIN binds)
    assert_eq!(eval(&e, line("20", "2", None, None)), d("3"));
    assert_eq!(
        eval(&eur("8% min 1.5 EUR/pair"), line("20", "2", None, None)),
        d("3")
    );
}

#[test]
fn max_clamp() {
    let e = eur("5% MAX 2 EUR/kg");
    // 5% of 1000 = 50 vs 2 × 10 kg = 20 → 20 (MAX binds)
    assert_eq!(eval(&e, line("1000", "1", Some("10"), None)), d("20"));
    // 5% of 100 = 5 vs 20 → 5
    assert_eq!(eval(&e, line("100", "1", Some("10"), None)), d("5"));
    assert_eq!(
        eval(&eur("5%max 2 EUR/kg"), line("1000", "1", Some("10"), None)),
        d("20")
    );
}

#[test]
fn uk_style_min_max_with_deduction() {
    let text = "13.8% MIN 13 GBP/100kg MAX 15 GBP/100kg - 7 GBP/100kg";
    let e = gbp(text);
    assert_eq!(e.to_string(), text);
    assert_eq!(e.text(), text);
    // Per 100 kg: MIN = 13, MAX = 15 - 7 = 8 (the deduction belongs to MAX).
    // Since MIN > MAX, whatever the base, max(base, 13m) ≥ 13m > 8m, so the
    // MAX always binds for a positive mass m (in units of 100 kg):
    //   value 1000, 100 kg: base 138;  MIN 13 → 138;  MAX 8   → 8
    assert_eq!(eval(&e, line("1000", "1", Some("100"), None)), d("8"));
    //   value 10, 100 kg:   base 1.38; MIN 13 → 13;   MAX 8   → 8
    assert_eq!(eval(&e, line("10", "1", Some("100"), None)), d("8"));
    //   value 5000, 250 kg: base 690;  MIN 32.5 → 690; MAX 20 → 20
    assert_eq!(eval(&e, line("5000", "1", Some("250"), None)), d("20"));
    //   value 123.45, 12.5 kg: base 17.0361; MIN 1.625 → 17.0361; MAX 1 → 1
    assert_eq!(eval(&e, line("123.45", "1", Some("12.5"), None)), d("1"));
    //   value 1000, 0 kg:   base 138;  MIN 0 → 138;    MAX 0   → 0
    assert_eq!(eval(&e, line("1000", "1", Some("0"), None)), d("0"));

    // The same shape with a higher MAX, so each clamp gets its turn.
    // MIN = 13 per 100 kg, MAX = 30 - 7 = 23 per 100 kg; mass 100 kg:
    let e = gbp("13.8% MIN 13 GBP/100kg MAX 30 GBP/100kg - 7 GBP/100kg");
    //   value 1000: base 138;  MIN 13 → 138;  MAX 23 → 23   (MAX binds)
    assert_eq!(eval(&e, line("1000", "1", Some("100"), None)), d("23"));
    //   value 100:  base 13.8; MIN 13 → 13.8; MAX 23 → 13.8 (neither binds)
    assert_eq!(eval(&e, line("100", "1", Some("100"), None)), d("13.8"));
    //   value 50:   base 6.9;  MIN 13 → 13;   MAX 23 → 13   (MIN binds)
    assert_eq!(eval(&e, line("50", "1", Some("100"), None)), d("13"));
}

#[test]
fn deductions_never_make_a_negative_duty() {
    // 2 × 10 - 5 × 10 = -30 → 0
    let e = eur("2 EUR/kg - 5 EUR/kg");
    assert_eq!(eval(&e, line("0", "1", Some("10"), None)), Decimal::ZERO);
    // base 5% of 1000 = 50; MAX 1 × 10 - 3 × 10 = -20 → -20 → 0
    let e = eur("5% MAX 1 EUR/kg - 3 EUR/kg");
    assert_eq!(eval(&e, line("1000", "1", Some("10"), None)), Decimal::ZERO);
    // 10% of 100 = 10, - 4 × 2 items = 2 (still positive, kept)
    let e = eur("10% - 4 EUR/item");
    assert_eq!(eval(&e, line("100", "2", None, None)), d("2"));
    assert_eq!(eval(&e, line("10", "2", None, None)), Decimal::ZERO);
}

#[test]
fn missing_inputs() {
    let e = eur("3 EUR/kg");
    assert_eq!(
        e.evaluate(&by_value("10")),
        Err(DutyExprError::MissingInput {
            text: "3 EUR/kg".into(),
            what: Measure::NetMass
        })
    );
    // Needed even when the MIN would not bind: the answer must not
    // depend on which clamp happens to win.
    let e = eur("12% MIN 3 EUR/100kg");
    assert!(matches!(
        e.evaluate(&by_value("1000")),
        Err(DutyExprError::MissingInput {
            what: Measure::NetMass,
            ..
        })
    ));
    let e = eur("1 EUR/l");
    let err = e.evaluate(&by_value("10")).unwrap_err();
    assert_eq!(
            err.to_string(),
            "duty expression \"1 EUR/l\" needs the line's volume in litres, which the declaration does not give"
        );
}

#[test]
fn wrong_currency() {
    let err = DutyExpression::parse("12% + 3 GBP/kg", "EUR").unwrap_err();
    assert_eq!(
        err,
        DutyExprError::Currency {
            text: "12% + 3 GBP/kg".into(),
            found: "GBP".into(),
            expected: "EUR".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "duty expression \"12% + 3 GBP/kg\" is in GBP, the regime's currency is EUR"
    );
    // Ad valorem rates carry no currency, so any regime accepts them.
    assert!(DutyExpression::parse("12%", "GBP").is_ok());
}

#[test]
fn syntax_errors_with_offsets() {
    syntax_at("12", 2);
    syntax_at("12%%", 3);
    syntax_at("% 12", 0);
    syntax_at("12% MIN", 7);
    let m = syntax_at("MAX 3 EUR/kg 12%", 0);
    assert!(m.contains("\"MAX\""), "{m}");
    let m = syntax_at("12 EUR/parsec", 7);
    assert!(m.contains("parsec"), "{m}");
    let m = syntax_at("", 0);
    assert!(m.contains("empty"), "{m}");
    syntax_at("   ", 3);
    syntax_at("12% +", 5);
    syntax_at("12% - ", 6);
    syntax_at("- 12%", 0);
    syntax_at("1.%", 2);
    syntax_at(".5%", 0);
    syntax_at("1,5%", 1);
    syntax_at("12% 3%", 4);
    syntax_at("12% MAX 1 EUR/kg MIN 1 EUR/kg", 17);
    syntax_at("12% MIN 1% MIN 2%", 11);
    syntax_at("12% MAX 1% MAX 2%", 11);
    syntax_at("3 eur/kg", 2);
    syntax_at("3 EURO/kg", 2);
    syntax_at("12 MIN 3 EUR/kg", 3);
    syntax_at("3 EUR kg", 6);
    syntax_at("3 EUR/0 item", 6);
    syntax_at("3 EUR/0.0kg", 6);
    syntax_at("3 EUR/1234567890 item", 6);
    syntax_at("3 EUR/1.1234567891 l", 6);
    syntax_at("3 EUR/m 2", 8);
    syntax_at("3 EUR/pf", 6);
    syntax_at("3 EUR/l alcohol", 8);
    syntax_at("3 EUR/100g", 6);
    syntax_at("3 EUR/p/sx", 6);
    syntax_at("3 EUR/kgs", 6);
    syntax_at("freedom", 0);
    syntax_at("12% MINIMUM 3%", 4);
    syntax_at("12%\u{a0}", 3);
    syntax_at("12 ％", 3);
    let err = DutyExpression::parse("12%%", "EUR").unwrap_err();
    assert_eq!(
            err.to_string(),
            "duty expression \"12%%\": expected '+', '-', MIN, MAX or the end of the expression at byte 3"
        );
}

#[test]
fn number_bounds() {
    assert!(DutyExpression::parse("123456789012.123456%", "EUR").is_ok());
    // Nine decimals: the US raw-sugar rates (0.0622005¢ is 0.000622005 USD).
    assert!(DutyExpression::parse("123456789012.123456789 EUR/kg", "EUR").is_ok());
    syntax_at("1234567890123%", 0);
    syntax_at("1.1234567891%", 0);
    syntax_at("5% + 1.1234567891%", 5);
}

#[test]
fn component_bound() {
    let sixteen = vec!["1%"; 16].join("+");
    assert!(DutyExpression::parse(&sixteen, "EUR").is_ok());
    let seventeen = vec!["1%"; 17].join("+");
    // 16 components of "1%" plus 16 '+' signs: the 17th starts at 48.
    let m = syntax_at(&seventeen, 48);
    assert!(m.contains("16"), "{m}");
    // The bound spans the whole expression, not one compound.
    let spread = format!(
        "{} MIN {} MAX {}",
        ["1%"; 6].join("+"),
        ["1%"; 6].join("+"),
        ["1%"; 5].join("+")
    );
    assert!(DutyExpression::parse(&spread, "EUR").is_err());
}

#[test]
fn too_long() {
    let ok = format!("1%{}", " ".repeat(254));
    assert_eq!(ok.len(), 256);
    assert!(DutyExpression::parse(&ok, "EUR").is_ok());
    let long = format!("1%{}", " ".repeat(255));
    let err = DutyExpression::parse(&long, "EUR").unwrap_err();
    assert_eq!(err, DutyExprError::TooLong { len: 257, max: 256 });
    assert_eq!(
        err.to_string(),
        "duty expression is 257 bytes long; the limit is 256"
    );
}

#[test]
fn overflow_is_an_error_not_a_panic() {
    let e = eur("200%");
    assert_eq!(
        e.evaluate(&by_value(&Decimal::MAX.to_string())),
        Err(DutyExprError::Overflow {
            text: "200%".into()
        })
    );
    let e = eur("999999999999 EUR/kg + 999999999999 EUR/kg");
    let inputs = DutyInputs {
        value: Decimal::ZERO,
        quantity: Decimal::ONE,
        net_mass_kg: Some(Decimal::MAX),
        gross_mass_kg: None,
        litres: None,
    };
    assert!(matches!(
        e.evaluate(&inputs),
        Err(DutyExprError::Overflow { .. })
    ));
}

#[test]
fn display_is_canonical() {
    let text = "  12 %+20 EUR / 100 KG  min 1.5 EUR/p/st max 3 EUR/hl-1 EUR/ l ";
    let e = eur(text);
    assert_eq!(e.text(), text);
    assert_eq!(
        e.to_string(),
        "12% + 20 EUR/100kg MIN 1.5 EUR/item MAX 3 EUR/100l - 1 EUR/l"
    );
    assert_eq!(eur("free").to_string(), "0%");
    assert_eq!(eur("2.50 EUR/pair").to_string(), "2.50 EUR/pair");
    assert_eq!(eur(&e.to_string()), e);
}

#[test]
fn equality_ignores_spelling_not_meaning() {
    assert_eq!(eur("12%"), eur(" 12 % "));
    assert_ne!(eur("12%"), eur("12% + 0%"));
    assert_ne!(eur("12% MIN 1%"), eur("12% MAX 1%"));
    assert_ne!(eur("1 EUR/kg"), eur("1 EUR/100kg"));
    assert_ne!(eur("1% - 1%"), eur("1% + 1%"));
}

#[test]
fn ad_valorem_constructor() {
    let e = DutyExpression::ad_valorem(d("17.5"));
    assert_eq!(e.text(), "17.5%");
    assert_eq!(e.to_string(), "17.5%");
    assert_eq!(e, eur("17.5%"));
    // 17.5% of 200 = 35
    assert_eq!(eval(&e, by_value("200")), d("35"));
    assert!(!e.is_free());
    assert!(DutyExpression::ad_valorem(Decimal::ZERO).is_free());
    assert!(DutyExpression::ad_valorem(d("-5")).is_free());
    assert_eq!(
        eval(&DutyExpression::ad_valorem(d("-5")), by_value("200")),
        Decimal::ZERO
    );
}

// ---- property tests ----

/// One generated rate: its text and what it should mean.
#[derive(Debug, Clone)]
struct GenComponent {
    text: String,
    amount: Decimal,
    /// The measure and the multiple, for a specific rate.
    unit: Option<(DutyUnit, Decimal)>,
}

fn ws() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["", " ", "  ", "\t"])
}

fn amount(max_int_digits: u32, max_scale: u32) -> impl Strategy<Value = Decimal> {
    (0..=max_scale).prop_flat_map(move |scale| {
        (0..10i64.pow(max_int_digits + scale)).prop_map(move |m| Decimal::new(m, scale))
    })
}

fn component(max_int_digits: u32, max_scale: u32) -> impl Strategy<Value = GenComponent> {
    let one = Decimal::ONE;
    let units = prop::sample::select(vec![
        ("kg", DutyUnit::Kg, one),
        ("KG", DutyUnit::Kg, one),
        ("100kg", DutyUnit::Kg, d("100")),
        ("100 kg", DutyUnit::Kg, d("100")),
        ("1000kg", DutyUnit::Kg, d("1000")),
        ("100kg gross", DutyUnit::GrossKg, d("100")),
        ("item", DutyUnit::Item, one),
        ("p/st", DutyUnit::Item, one),
        ("p / st", DutyUnit::Item, one),
        ("pc", DutyUnit::Item, one),
        ("piece", DutyUnit::Item, one),
        ("each", DutyUnit::Item, one),
        ("Head", DutyUnit::Item, one),
        ("no", DutyUnit::Item, one),
        ("12 item", DutyUnit::Item, d("12")),
        ("1000 p/st", DutyUnit::Item, d("1000")),
        ("pair", DutyUnit::Pair, one),
        ("2.5 pair", DutyUnit::Pair, d("2.5")),
        ("l", DutyUnit::Litre, one),
        ("100l", DutyUnit::Litre, d("100")),
        ("100 L", DutyUnit::Litre, d("100")),
        ("hl", DutyUnit::Litre, d("100")),
        ("1000l", DutyUnit::Litre, d("1000")),
        ("158.987294928 l", DutyUnit::Litre, d("158.987294928")),
        ("m2", DutyUnit::SquareMetre, one),
        ("carat", DutyUnit::Carat, one),
        ("pf l", DutyUnit::ProofLitre, one),
        ("l alc", DutyUnit::AlcoholLitre, one),
        ("100 kg clean", DutyUnit::CleanKg, d("100")),
        ("kWh", DutyUnit::Kwh, one),
    ]);
    prop_oneof![
        (amount(max_int_digits, max_scale), ws()).prop_map(|(a, w)| GenComponent {
            text: format!("{a}{w}%"),
            amount: a,
            unit: None,
        }),
        prop::sample::select(vec!["free", "FREE", "Free"]).prop_map(|t| GenComponent {
            text: t.to_owned(),
            amount: Decimal::ZERO,
            unit: None,
        }),
        (amount(max_int_digits, max_scale), ws(), ws(), ws(), units).prop_map(
            |(a, w1, w2, w3, (spelling, unit, per))| GenComponent {
                text: format!("{a}{w1}EUR{w2}/{w3}{spelling}"),
                amount: a,
                unit: Some((unit, per)),
            }
        ),
    ]
}

/// A term: a rate, or `min(…)`/`max(…)` of generated expressions.
#[derive(Debug, Clone)]
enum GenTerm {
    Rate(GenComponent),
    Call {
        lowest: bool,
        keyword: &'static str,
        args: Vec<GenExpr>,
    },
}

type GenCompound = Vec<(bool, GenTerm)>;

#[derive(Debug, Clone)]
struct GenExpr {
    base: GenCompound,
    min: Option<GenCompound>,
    max: Option<GenCompound>,
    sep_ws: &'static str,
    pad: &'static str,
    min_kw: &'static str,
    max_kw: &'static str,
}

impl GenExpr {
    fn text(&self) -> String {
        let join = |c: &GenCompound| {
            let mut s = String::new();
            for (i, (neg, term)) in c.iter().enumerate() {
                if i > 0 {
                    s.push_str(self.sep_ws);
                    s.push(if *neg { '-' } else { '+' });
                    s.push_str(self.sep_ws);
                }
                match term {
                    GenTerm::Rate(comp) => s.push_str(&comp.text),
                    GenTerm::Call { keyword, args, .. } => {
                        s.push_str(keyword);
                        s.push_str(self.sep_ws);
                        s.push('(');
                        let args: Vec<String> = args.iter().map(GenExpr::text).collect();
                        s.push_str(&args.join(&format!("{},", self.sep_ws)));
                        s.push(')');
                    }
                }
            }
            s
        };
        let mut text = format!("{}{}", self.pad, join(&self.base));
        if let Some(m) = &self.min {
            text.push_str(&format!(" {} {}", self.min_kw, join(m)));
        }
        if let Some(m) = &self.max {
            text.push_str(&format!(" {}{} {}", self.max_kw, self.pad, join(m)));
        }
        text.push_str(self.pad);
        text
    }

    /// Terms the parser counts, against its bound.
    fn terms(&self) -> usize {
        [Some(&self.base), self.min.as_ref(), self.max.as_ref()]
            .into_iter()
            .flatten()
            .flatten()
            .map(|(_, t)| match t {
                GenTerm::Rate(_) => 1,
                GenTerm::Call { args, .. } => 1 + args.iter().map(GenExpr::terms).sum::<usize>(),
            })
            .sum()
    }
}

/// A compound as (deduction?, term) pairs; the first is never a deduction.
fn compound(terms: BoxedStrategy<GenTerm>) -> impl Strategy<Value = GenCompound> {
    prop::collection::vec((any::<bool>(), terms), 1..=3).prop_map(|mut v| {
        v[0].0 = false;
        v
    })
}

fn expression_of(terms: BoxedStrategy<GenTerm>) -> BoxedStrategy<GenExpr> {
    (
        compound(terms.clone()),
        prop::option::of(compound(terms.clone())),
        prop::option::of(compound(terms)),
        ws(),
        ws(),
        prop::sample::select(vec!["MIN", "min", "Min"]),
        prop::sample::select(vec!["MAX", "max", "mAx"]),
    )
        .prop_map(|(base, min, max, sep_ws, pad, min_kw, max_kw)| GenExpr {
            base,
            min,
            max,
            sep_ws,
            pad,
            min_kw,
            max_kw,
        })
        .boxed()
}

fn expression(max_int_digits: u32, max_scale: u32) -> BoxedStrategy<GenExpr> {
    let rate = move || {
        component(max_int_digits, max_scale)
            .prop_map(GenTerm::Rate)
            .boxed()
    };
    expression_of(rate())
        .prop_recursive(2, 12, 3, move |inner| {
            let call = (
                prop::sample::select(vec![
                    (true, "min"),
                    (true, "MIN"),
                    (false, "max"),
                    (false, "Max"),
                ]),
                prop::collection::vec(inner, 2..=3),
            )
                .prop_map(|((lowest, keyword), args)| GenTerm::Call {
                    lowest,
                    keyword,
                    args,
                });
            expression_of(prop_oneof![4 => rate(), 1 => call].boxed())
        })
        .boxed()
}

/// Why [`oracle`] has no figure.
#[derive(Debug, PartialEq)]
enum NoFigure {
    /// A term uses a supplementary measure.
    Supplementary,
    /// A figure has no exact decimal form (more than 28 digits).
    Overflow,
}

/// A straightforward reading of the rules, written independently of the evaluator (it
/// divides at the end instead of using precomputed factors), with exact arithmetic: a sum or
/// product that does not fit is an overflow, a quotient keeps `exact::QUOTIENT_SCALE` places.
fn oracle(e: &GenExpr, inputs: &DutyInputs) -> Result<Decimal, NoFigure> {
    use crate::exact;
    let fits = |d: Option<Decimal>| d.ok_or(NoFigure::Overflow);
    let sum = |c: &GenCompound| -> Result<Decimal, NoFigure> {
        let mut total = Decimal::ZERO;
        for (neg, term) in c {
            let value = match term {
                GenTerm::Rate(comp) => match comp.unit {
                    None => fits(exact::quotient(
                        fits(exact::mul(comp.amount, inputs.value))?,
                        Decimal::ONE_HUNDRED,
                    ))?,
                    Some((unit, per)) => {
                        let measure = match unit {
                            DutyUnit::Kg => inputs.net_mass_kg.unwrap(),
                            DutyUnit::GrossKg => inputs.gross_mass_kg.unwrap(),
                            DutyUnit::Item | DutyUnit::Pair => inputs.quantity,
                            DutyUnit::Litre => inputs.litres.unwrap(),
                            _ => return Err(NoFigure::Supplementary),
                        };
                        fits(exact::quotient(
                            fits(exact::mul(comp.amount, measure))?,
                            per,
                        ))?
                    }
                },
                GenTerm::Call { lowest, args, .. } => {
                    let values = args
                        .iter()
                        .map(|a| oracle(a, inputs))
                        .collect::<Result<Vec<_>, _>>()?;
                    if *lowest {
                        values.into_iter().min().unwrap()
                    } else {
                        values.into_iter().max().unwrap()
                    }
                }
            };
            total = fits(if *neg {
                exact::sub(total, value)
            } else {
                exact::add(total, value)
            })?;
        }
        Ok(total)
    };
    let mut r = sum(&e.base)?;
    if let Some(m) = &e.min {
        r = r.max(sum(m)?);
    }
    if let Some(m) = &e.max {
        r = r.min(sum(m)?);
    }
    Ok(r.max(Decimal::ZERO))
}

/// Non-negative decimal below 10^int_digits with at most `max_scale` decimals.
fn bounded(int_digits: u32, max_scale: u32) -> impl Strategy<Value = Decimal> {
    amount(int_digits, max_scale)
}

fn inputs() -> impl Strategy<Value = DutyInputs> {
    (
        prop_oneof![bounded(12, 4), Just(Decimal::new(1_000_000_000_000, 0))],
        1i64..=1_000_000,
        prop::option::of(prop_oneof![bounded(6, 3), Just(Decimal::new(1_000_000, 0))]),
        prop::option::of(bounded(6, 3)),
    )
        .prop_map(|(value, quantity, net_mass_kg, litres)| DutyInputs {
            value,
            quantity: Decimal::from(quantity),
            net_mass_kg,
            gross_mass_kg: net_mass_kg,
            litres,
        })
}

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "12",
            "0",
            "1.5",
            ".",
            "%",
            "+",
            "-",
            " ",
            "\t",
            "MIN",
            "max",
            "EUR",
            "GBP",
            "/",
            "kg",
            "100",
            "p/st",
            "p",
            "st",
            "l",
            "hl",
            "pair",
            "item",
            "free",
            "(",
            ")",
            ",",
            "min(",
            "MAX(",
            "m2",
            "m",
            "3",
            "carat",
            "each",
            "12 ",
            "1000",
            "pf l",
            "alc",
            "gross",
            "é",
            "日本",
            "\u{0}",
            "9999999999999",
            "0.1234567",
        ]),
        0..40,
    )
    .prop_map(|v| v.concat())
}

/// Whatever parses must display, re-parse equal, and evaluate safely.
fn check_parsed(e: &DutyExpression, inputs: &DutyInputs) -> Result<(), TestCaseError> {
    let shown = e.to_string();
    let again = DutyExpression::parse(&shown, "EUR");
    prop_assert_eq!(again.as_ref(), Ok(e), "display {:?}", shown);
    prop_assert_eq!(again.unwrap().to_string(), shown);
    match e.evaluate(inputs) {
        Ok(r) => {
            prop_assert!(r >= Decimal::ZERO);
            if e.is_free() {
                prop_assert_eq!(r, Decimal::ZERO);
            }
        }
        Err(DutyExprError::MissingInput { what, .. }) => {
            let needs = e.needs();
            prop_assert!(
                (what == Measure::NetMass && needs.net_mass && inputs.net_mass_kg.is_none())
                    || (what == Measure::GrossMass
                        && needs.gross_mass
                        && inputs.gross_mass_kg.is_none())
                    || (what == Measure::Litres && needs.litres && inputs.litres.is_none())
                    || needs.supplementary.map(Measure::Supplementary) == Some(what)
            );
        }
        // A figure of more than 28 digits (a rate of 10¹¹ % on a value of 10¹²): exact or
        // refused, checked against the oracle by `evaluation_matches_a_plain_reading_of_the_rules`.
        Err(DutyExprError::Overflow { .. }) => {}
        Err(other) => prop_assert!(false, "unexpected {:?}", other),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parse_never_panics_on_any_string(s in any::<String>()) {
        let _ = DutyExpression::parse(&s, "EUR");
    }

    #[test]
    fn parse_never_panics_on_printable_unicode(s in "\\PC{0,300}") {
        let _ = DutyExpression::parse(&s, "EUR");
    }

    #[test]
    fn token_soup_parses_or_errors_cleanly(s in token_soup(), inputs in inputs()) {
        match DutyExpression::parse(&s, "EUR") {
            Ok(e) => {
                prop_assert_eq!(e.text(), s.as_str());
                check_parsed(&e, &inputs)?;
            }
            Err(DutyExprError::Syntax { offset, .. }) => prop_assert!(offset <= s.len()),
            Err(DutyExprError::TooLong { len, .. }) => prop_assert!(len > 256),
            Err(DutyExprError::Currency { found, .. }) => prop_assert_eq!(found, "GBP"),
            Err(other) => prop_assert!(false, "unexpected {:?}", other),
        }
    }

    #[test]
    fn generated_expressions_round_trip_and_stay_non_negative(
        g in expression(12, 6),
        inputs in inputs(),
    ) {
        let text = g.text();
        match DutyExpression::parse(&text, "EUR") {
            Ok(e) => check_parsed(&e, &inputs)?,
            Err(DutyExprError::TooLong { len, .. }) => prop_assert!(len > 256),
            Err(DutyExprError::Syntax { message, .. }) if g.terms() > 16 => {
                prop_assert!(message.contains("more than 16 components"), "{}", message)
            }
            Err(err) => prop_assert!(false, "{:?} failed: {}", text, err),
        }
    }

    #[test]
    fn evaluation_matches_a_plain_reading_of_the_rules(
        g in expression(6, 3),
        inputs in inputs(),
    ) {
        let text = g.text();
        let e = match DutyExpression::parse(&text, "EUR") {
            Ok(e) => e,
            Err(_) if text.len() > 256 || g.terms() > 16 => return Ok(()),
            Err(err) => return Err(TestCaseError::fail(format!("{text:?}: {err}"))),
        };
        let needs = e.needs();
        let have_all = (!needs.net_mass || inputs.net_mass_kg.is_some())
            && (!needs.gross_mass || inputs.gross_mass_kg.is_some())
            && (!needs.litres || inputs.litres.is_some());
        let full = DutyInputs {
            net_mass_kg: Some(inputs.net_mass_kg.unwrap_or(Decimal::ONE)),
            gross_mass_kg: Some(inputs.gross_mass_kg.unwrap_or(Decimal::ONE)),
            litres: Some(inputs.litres.unwrap_or(Decimal::ONE)),
            ..inputs
        };
        match (oracle(&g, &full), needs.supplementary) {
            (Ok(expected), None) => {
                if have_all {
                    prop_assert_eq!(e.evaluate(&inputs).unwrap(), expected);
                }
                prop_assert_eq!(e.evaluate(&full).unwrap(), expected);
            }
            // A supplementary measure fails the whole expression unless it is free.
            (_, Some(unit)) => {
                prop_assert!(!e.is_free());
                prop_assert_eq!(
                    e.evaluate(&full),
                    Err(DutyExprError::MissingInput {
                        text: text.clone(),
                        what: Measure::Supplementary(unit),
                    })
                );
            }
            (Err(NoFigure::Overflow), None) => {
                prop_assert_eq!(
                    e.evaluate(&full),
                    Err(DutyExprError::Overflow { text: text.clone() })
                );
            }
            (Err(NoFigure::Supplementary), None) => prop_assert!(e.is_free(), "{}", text),
        }
    }

    #[test]
    fn evaluate_never_panics_on_extreme_decimals(
        g in expression(12, 6),
        parts in any::<(u32, u32, u32, bool, u32)>(),
        mass_parts in any::<(u32, u32, u32, bool, u32)>(),
    ) {
        let dec = |(lo, mid, hi, neg, scale): (u32, u32, u32, bool, u32)| {
            Decimal::from_parts(lo, mid, hi, neg, scale % 29)
        };
        if let Ok(e) = DutyExpression::parse(&g.text(), "EUR") {
            let inputs = DutyInputs {
                value: dec(parts),
                quantity: dec(mass_parts),
                net_mass_kg: Some(dec(mass_parts)),
                gross_mass_kg: Some(dec(mass_parts)),
                litres: Some(dec(parts)),
            };
            match e.evaluate(&inputs) {
                Ok(r) => prop_assert!(r >= Decimal::ZERO),
                Err(DutyExprError::Overflow { .. }) => {}
                Err(DutyExprError::MissingInput { .. }) => {
                    prop_assert!(e.needs().supplementary.is_some())
                }
                Err(other) => prop_assert!(false, "unexpected {:?}", other),
            }
        }
    }
}

mod gross {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn inputs(net: Option<&str>, gross: Option<&str>) -> DutyInputs {
        DutyInputs {
            value: d("100"),
            quantity: d("1"),
            net_mass_kg: net.map(d),
            gross_mass_kg: gross.map(d),
            litres: None,
        }
    }

    /// CH research note example 4 (ZTG Art. 2): CHF 20 per 100 kg gross on a gross weight
    /// already rounded to 1.3 kg = 0.26.
    #[test]
    fn per_100kg_gross_uses_the_gross_mass() {
        let e = DutyExpression::parse("20 CHF/100kg gross", "CHF").unwrap();
        assert!(e.needs().gross_mass && !e.needs().net_mass);
        assert_eq!(
            e.evaluate(&inputs(Some("9"), Some("1.3"))).unwrap(),
            d("0.26")
        );
        assert_eq!(e.to_string(), "20 CHF/100kg gross");
        assert_eq!(DutyExpression::parse(&e.to_string(), "CHF").unwrap(), e);
        // Spelling variants.
        assert_eq!(
            DutyExpression::parse("20 CHF / 100 kg GROSS", "CHF").unwrap(),
            e
        );
        let per_kg = DutyExpression::parse("1.52 CHF/kg gross", "CHF").unwrap();
        assert_eq!(
            per_kg.evaluate(&inputs(None, Some("2"))).unwrap(),
            d("3.04")
        );
        // Net and gross are different units.
        assert_ne!(DutyExpression::parse("20 CHF/100kg", "CHF").unwrap(), e);
    }

    #[test]
    fn missing_gross_mass_is_named() {
        let e = DutyExpression::parse("152 CHF/100kg gross", "CHF").unwrap();
        match e.evaluate(&inputs(Some("1"), None)) {
            Err(DutyExprError::MissingInput { what, .. }) => assert_eq!(what, Measure::GrossMass),
            other => panic!("{other:?}"),
        }
        // A gross unit followed by MIN/MAX still parses.
        let e = DutyExpression::parse("10% MAX 20 CHF/100kg gross", "CHF").unwrap();
        assert_eq!(e.evaluate(&inputs(None, Some("50"))).unwrap(), d("10"));
    }
}

/// The forms national schedules need: multiples of a unit, aliases, supplementary measures,
/// and the lowest / highest of several expressions.
mod national {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("test decimal")
    }

    fn usd(text: &str) -> DutyExpression {
        DutyExpression::parse(text, "USD").expect("test expression parses")
    }

    fn line(value: &str, quantity: &str, mass: Option<&str>, litres: Option<&str>) -> DutyInputs {
        DutyInputs {
            value: d(value),
            quantity: d(quantity),
            net_mass_kg: mass.map(d),
            gross_mass_kg: None,
            litres: litres.map(d),
        }
    }

    #[test]
    fn multiples_of_a_unit() {
        // $1.35 per dozen × 30 items = 3.375 (divided after multiplying: exact)
        let dozen = usd("1.35 USD/12 item");
        assert_eq!(dozen.evaluate(&line("0", "30", None, None)), Ok(d("3.375")));
        assert_eq!(dozen.to_string(), "1.35 USD/12 item");
        // $1 per dozen × 1 item = 1/12, to 12 places (exact::QUOTIENT_SCALE)
        let twelfth = usd("1 USD/12 item").evaluate(&line("0", "1", None, None));
        assert_eq!(twelfth, Ok(d("0.083333333333")));
        // 43 GBP per 1000 items × 2500 = 107.5
        let e = DutyExpression::parse("43 GBP/1000 item", "GBP").unwrap();
        assert_eq!(e.evaluate(&line("0", "2500", None, None)), Ok(d("107.5")));
        // 3.5 per tonne × 400 kg = 1.4
        let tonne = usd("3.5 USD/1000kg");
        assert_eq!(
            tonne.evaluate(&line("0", "1", Some("400"), None)),
            Ok(d("1.4"))
        );
        assert_eq!(tonne, usd("3.5 USD / 1000 KG"));
        assert_eq!(tonne.to_string(), "3.5 USD/1000kg");
        // per 1000 l × 250 l: 8 × 0.25 = 2
        assert_eq!(
            usd("8 USD/1000l").evaluate(&line("0", "1", None, Some("250"))),
            Ok(d("2"))
        );
        // A barrel of 158.987294928 l: 10.5 ¢ per barrel on 317.974589856 l = 2 barrels = 0.21
        let barrel = usd("0.105 USD/158.987294928 l");
        assert_eq!(
            barrel.evaluate(&line("0", "1", None, Some("317.974589856"))),
            Ok(d("0.21"))
        );
        assert_eq!(barrel.to_string(), "0.105 USD/158.987294928 l");
        assert_eq!(usd(&barrel.to_string()), barrel);
        // Multiples are compared by value and printed normalised.
        assert_eq!(usd("1 USD/100.0 kg"), usd("1 USD/100kg"));
        assert_eq!(usd("1 USD/100.0 kg").to_string(), "1 USD/100kg");
        assert_eq!(usd("1 USD/2 hl").to_string(), "1 USD/200l");
        assert_ne!(usd("1 USD/12 item"), usd("1 USD/item"));
    }

    #[test]
    fn unit_aliases() {
        for unit in [
            "item", "p/st", "pc", "piece", "each", "head", "no", "No", "EACH",
        ] {
            let e = usd(&format!("2 USD/{unit}"));
            assert_eq!(e, usd("2 USD/item"), "{unit}");
            assert_eq!(
                e.evaluate(&line("0", "3", None, None)),
                Ok(d("6")),
                "{unit}"
            );
        }
        assert_eq!(usd("1 USD/hl"), usd("1 USD/100 l"));
    }

    #[test]
    fn supplementary_measures_parse_and_are_refused_when_evaluated() {
        let cases = [
            ("m", DutyUnit::Metre),
            ("m2", DutyUnit::SquareMetre),
            ("M3", DutyUnit::CubicMetre),
            ("carat", DutyUnit::Carat),
            ("jewel", DutyUnit::Jewel),
            ("pf l", DutyUnit::ProofLitre),
            ("l alc", DutyUnit::AlcoholLitre),
            ("100 l alc", DutyUnit::AlcoholLitre),
            ("kg clean", DutyUnit::CleanKg),
            ("kg dry", DutyUnit::DryKg),
            ("kWh", DutyUnit::Kwh),
        ];
        for (unit, measure) in cases {
            let text = format!("5% + 0.1 USD/{unit}");
            let e = usd(&text);
            assert_eq!(e.needs().supplementary, Some(measure), "{unit}");
            assert_eq!(usd(&e.to_string()), e, "{unit}");
            let what = Measure::Supplementary(measure);
            assert_eq!(
                e.evaluate(&line("100", "1", Some("1"), Some("1"))),
                Err(DutyExprError::MissingInput {
                    text: text.clone(),
                    what
                }),
                "{unit}"
            );
        }
        let err = usd("1.5 USD/m2")
            .evaluate(&line("1", "1", None, None))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "duty expression \"1.5 USD/m2\" needs the line's area in square metres (m2), which the declaration does not give"
        );
        // A zero rate on a supplementary measure is free, and needs nothing.
        let free = usd("0 USD/carat");
        assert!(free.is_free());
        assert_eq!(
            free.evaluate(&line("1", "1", None, None)),
            Ok(Decimal::ZERO)
        );
        assert_eq!(DutyUnit::Kg.supplementary(), None);
    }

    #[test]
    fn lowest_and_highest_of() {
        // Japan: the lower of the WTO rate 11.2 % and the temporary rate 7.4 %: 7.4 % of 1000 = 74
        let e = DutyExpression::parse("min(11.2%, 7.4%)", "JPY").unwrap();
        assert_eq!(e.evaluate(&line("1000", "1", None, None)), Ok(d("74")));
        assert_eq!(e.to_string(), "min(11.2%, 7.4%)");
        // "whichever is higher": 10 % of 1000 = 100 vs 100 JPY/kg × 3 kg = 300 → 300
        let e = DutyExpression::parse("max(10%, 100 JPY/kg)", "JPY").unwrap();
        assert_eq!(
            e.evaluate(&line("1000", "1", Some("3"), None)),
            Ok(d("300"))
        );
        assert_eq!(
            e.evaluate(&line("5000", "1", Some("3"), None)),
            Ok(d("500"))
        );
        assert!(e.needs().net_mass);
        // Arguments are full expressions: the lower of (12 % MIN 50 JPY/kg) and 8 %.
        // Value 1000, 3 kg: max(120, 150) = 150 vs 80 → 80; value 100: max(12, 150) = 150 vs 8 → 8
        let e = DutyExpression::parse(" MIN ( 12% min 50 JPY/kg ,8% ) ", "JPY").unwrap();
        assert_eq!(e.to_string(), "min(12% MIN 50 JPY/kg, 8%)");
        assert_eq!(e.evaluate(&line("1000", "1", Some("3"), None)), Ok(d("80")));
        // Three arguments, nesting, and a call as a term of a compound:
        // 0.497 USD/kg × 2 kg = 0.994 + max(5% of 100, min(1%, 2%) of 100) = 5 → 5.994
        let e = usd("0.497 USD/kg + max(5%, min(1%, 2%), 0%)");
        assert_eq!(
            e.evaluate(&line("100", "1", Some("2"), None)),
            Ok(d("5.994"))
        );
        assert_eq!(e.to_string(), "0.497 USD/kg + max(5%, min(1%, 2%), 0%)");
        assert_eq!(usd(&e.to_string()), e);
        // A call after a clamp keyword, and a deducted call.
        let e = usd("10% MIN max(1 USD/item, 2 USD/pair) - min(1%, 1 USD/item)");
        // base 10 % of 10 = 1; MIN max(3, 6) - min(0.1, 3) = 5.9 → 5.9
        assert_eq!(e.evaluate(&line("10", "3", None, None)), Ok(d("5.9")));
        assert_ne!(usd("min(1%, 2%)"), usd("max(1%, 2%)"));
        assert_ne!(usd("min(1%, 2%)"), usd("min(2%, 1%)"));
    }

    #[test]
    fn percentages_with_a_fraction() {
        // US column 2: 33 1/3 % of 300 = 100, exactly
        let e = usd("33 1/3%");
        assert_eq!(e.evaluate(&line("300", "1", None, None)), Ok(d("100")));
        assert_eq!(e.to_string(), "33 1/3%");
        assert_eq!(usd(&e.to_string()), e);
        assert_eq!(usd("33  1 / 3 %"), e);
        // of 1 = 0.3333…, to Decimal's precision
        let third = e.evaluate(&line("1", "1", None, None)).unwrap();
        assert!(
            (third - d("0.333333333333")).abs() < d("0.000000000001"),
            "{third}"
        );
        assert_ne!(e, usd("33.333333%"));
        assert!(!usd("0 1/3%").is_free());
        for bad in [
            "33 0/3%",
            "33 3/3%",
            "33 4/3%",
            "33.5 1/3%",
            "33 1/0%",
            "33 1/3",
            "33 1/%",
            "33 1 3%",
        ] {
            assert!(DutyExpression::parse(bad, "USD").is_err(), "{bad}");
        }
        // It composes like any percentage.
        assert_eq!(
            usd("1 USD/1000 item + 33 1/3%").evaluate(&line("30", "2000", None, None)),
            Ok(d("12"))
        );
    }

    #[test]
    fn free_detection_through_calls() {
        assert!(usd("min(0%, 12%)").is_free());
        assert!(!usd("max(0%, 12%)").is_free());
        assert!(usd("max(free, 0 USD/kg)").is_free());
        assert!(!usd("min(5%, 1 USD/kg)").is_free());
        assert!(usd("12% MAX min(0%, 3%)").is_free());
        // A free expression needs nothing, even a kilogram in a losing argument.
        assert_eq!(usd("min(0%, 1 USD/kg)").needs(), Needs::default());
        // Every argument's measures are needed, winning or not.
        let needs = usd("min(5%, 1 USD/kg, 2 USD/l)").needs();
        assert!(needs.net_mass && needs.litres && !needs.quantity);
    }

    fn syntax(text: &str) -> (usize, String) {
        match DutyExpression::parse(text, "USD") {
            Err(DutyExprError::Syntax {
                offset, message, ..
            }) => (offset, message),
            other => panic!("expected a syntax error for {text:?}, got {other:?}"),
        }
    }

    #[test]
    fn call_syntax_errors() {
        assert_eq!(syntax("min(5%)").0, 0);
        assert!(syntax("min(5%)").1.contains("two or more"));
        assert_eq!(syntax("min(5%, )").0, 8);
        assert_eq!(syntax("min(5%, 3%").0, 10);
        assert_eq!(syntax("min(5% 3%)").0, 7);
        assert!(syntax("min(5% 3%)").1.contains("','"));
        assert_eq!(syntax("12% min(1%, 2%)").0, 7);
        assert_eq!(syntax("min (1%, 2%))").0, 12);
        assert_eq!(syntax("5%, 3%").0, 2);
        assert_eq!(syntax("minimum(1%, 2%)").0, 0);
        let deep = "min(1%, min(1%, min(1%, min(1%, min(1%, 2%)))))";
        let (offset, message) = syntax(deep);
        assert_eq!(offset, 32);
        assert!(message.contains("nest"), "{message}");
        assert!(usd("min(1%, min(1%, min(1%, min(1%, 2%))))").needs() == Needs::default());
        // The term bound counts calls and every nested term.
        let many = format!("max({})", vec!["1%"; 15].join(", "));
        assert!(DutyExpression::parse(&many, "USD").is_ok());
        let too_many = format!("max({})", vec!["1%"; 16].join(", "));
        assert!(syntax(&too_many).1.contains("16"));
    }

    /// The US schedule's forms charged on a measure no declaration carries, each with a real
    /// text of the 2025-2026 exports as the converter writes it: they parse, print back, and
    /// fail naming the measure.
    #[test]
    fn us_content_and_part_forms_name_what_is_missing() {
        let cases = [
            // 2005.91.10 "3.7¢/kg on drained weight"
            (
                "0.037 USD/kg drained",
                DutyUnit::DrainedKg,
                "drained weight in kilograms",
            ),
            // 1704.90.xx "16.9¢/kg of total sugars + 5.1%"
            (
                "0.169 USD/kg sugars + 5.1%",
                DutyUnit::SugarsKg,
                "total sugars",
            ),
            // 2607.00.00 col. 2 "8.8¢/kg on copper content + 3.3¢/kg on lead content + …"
            (
                "0.088 USD/kg copper + 0.033 USD/kg lead + 0.037 USD/kg zinc",
                DutyUnit::ContentKg(Substance::Copper),
                "copper content",
            ),
            (
                "40 USD/kg morphine",
                DutyUnit::ContentKg(Substance::Morphine),
                "anhydrous morphine",
            ),
            (
                "1.1 USD/kg molybdenum + 15%",
                DutyUnit::ContentKg(Substance::Molybdenum),
                "molybdenum",
            ),
            // 1701.13.10 "3.6606¢/kg less 0.020668¢/kg for each degree under 100 degrees …"
            (
                "0.036606 USD/kg - 0.00020668 USD/kg deg MIN 0.03143854 USD/kg",
                DutyUnit::DegreeKg,
                "polarimeter degrees under 100",
            ),
            // 8523 col. 2 "86.1¢/m2 of recording surface"
            (
                "0.861 USD/m2 recording",
                DutyUnit::RecordingM2,
                "recording surface",
            ),
            // 3923 col. 2 "20¢/gross of immediate containers"
            (
                "0.2 USD/144 container",
                DutyUnit::Container,
                "immediate containers",
            ),
            // 9606.21.20 "1.5¢/line/ gross + 25%" (col. 2): per line per gross
            (
                "0.015 USD/144 line + 25%",
                DutyUnit::ButtonLine,
                "size in lines",
            ),
            // 9102 col. 2 "$2.25 each + 15¢/jewel over 7 + 60% on the case"
            (
                "2.25 USD/item + 0.15 USD/jewel over 7 + 60% on case",
                DutyUnit::JewelOver7,
                "beyond the seventh",
            ),
            // 9101.21.80 "$1.61 each + 4.4% on the case and strap, band or bracelet"
            (
                "1.61 USD/item + 4.4% on case and strap",
                DutyUnit::ValueOf(Part::CaseAndStrap),
                "value of the case and the strap",
            ),
            // 9102.91.40 "3.9% on the movement and case + 5.3% on the battery"
            (
                "3.9% on movement and case + 5.3% on battery",
                DutyUnit::ValueOf(Part::MovementAndCase),
                "value of the movement and the case",
            ),
            // 9105 "75¢ each + 35% on the battery"
            (
                "0.75 USD/item + 35% on battery",
                DutyUnit::ValueOf(Part::Battery),
                "battery",
            ),
            // 9013.10 "3.8% on the value of the rifle + 10% on the value of the telescopic sight, if any"
            (
                "3.8% on rifle + 10% on sight",
                DutyUnit::ValueOf(Part::Rifle),
                "value of the rifle",
            ),
            (
                "3.9% on apparatus + 5.3% on battery",
                DutyUnit::ValueOf(Part::Apparatus),
                "apparatus",
            ),
            (
                "2.5% on lead content",
                DutyUnit::ValueOf(Part::LeadContent),
                "lead content",
            ),
            (
                "0.75 USD/item + 45% on case + 80% on strap",
                DutyUnit::ValueOf(Part::Case),
                "value of the case",
            ),
            (
                "1.5 USD/item + 65% on movement + 35% on battery",
                DutyUnit::ValueOf(Part::Movement),
                "movement",
            ),
            // Chapter 98 "50 percent of the cost of such goods or repairs"
            (
                "50% on cost",
                DutyUnit::ValueOf(Part::Cost),
                "cost of the repairs",
            ),
        ];
        for (text, measure, named) in cases {
            let e = usd(text);
            assert_eq!(e.needs().supplementary, Some(measure), "{text}");
            assert_eq!(e.to_string(), text, "canonical: {text}");
            assert_eq!(usd(&e.to_string()), e, "{text}");
            let err = e
                .evaluate(&line("100", "1", Some("1"), Some("1")))
                .unwrap_err();
            let DutyExprError::MissingInput { what, .. } = &err else {
                panic!("{text}: {err}");
            };
            assert!(what.describe().contains(named), "{text}: {what}");
            assert_eq!(*what, Measure::Supplementary(measure));
        }
        // A part's rate is its own term: `45% on case` is not `45%`.
        assert_ne!(usd("45% on case"), usd("45%"));
        assert_ne!(usd("45% on case"), usd("45% on strap"));
        assert_ne!(usd("1 USD/kg lead"), usd("1 USD/kg zinc"));
        assert_ne!(usd("1 USD/jewel over 7"), usd("1 USD/jewel"));
        // The mass measures take a multiple like kg does.
        assert_eq!(
            usd("1 USD/100kg drained").to_string(),
            "1 USD/100kg drained"
        );
        // Spelling and errors.
        assert_eq!(usd("45 %  ON  Case").to_string(), "45% on case");
        assert!(syntax("45% on the case").1.contains("expected a part"));
        assert!(syntax("45% on").1.contains("expected a part"));
        assert!(syntax("1 USD/jewel over 8").1.contains("expected '+'"));
        assert!(syntax("1 USD/kg tin").1.contains("expected '+'"));
        // The column-2 third, exact.
        let third = usd("33 1/3%");
        assert_eq!(eval(&third, by_value("300")), d("100"));
    }
}
