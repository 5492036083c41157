//! Feature parity of the bindings (issue 18): what a user of the Rust API can do, and how the
//! C library and the WASM package offer it.
//!
//! [`FEATURES`] maps each feature to the core functions that provide it and to the C symbols
//! and WASM names that expose it, or says that a binding lacks it. The test fails when
//! - a public function of `Engine` or `EngineBuilder`, or the constructor of one of the
//!   core's workflow types (statements, ledger, statistics, simulation), is in no feature
//!   (a new core feature must be placed, so a binding cannot miss it unnoticed);
//! - a C symbol named here is not declared in `ffi/include/xborder.h`, or a WASM name is not in
//!   the package's TypeScript declarations;
//! - the features a binding lacks differ from [`GAPS`]: closing a gap means moving it from
//!   `Lacks` to `Has` here and shortening `GAPS`; opening one needs a line in `GAPS`.
//!
//! It prints the table, so `cargo test --test binding_parity -- --nocapture` shows the parity.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// How one binding offers a feature.
enum Binding {
    /// The names that expose it: C symbols, or WASM functions, methods and config keys.
    Has(&'static [&'static str]),
    /// It does not, and why (or what is missing).
    Lacks(&'static str),
}
use Binding::{Has, Lacks};

struct Feature {
    name: &'static str,
    /// The core functions that provide it (`Type::function`).
    core: &'static [&'static str],
    c: Binding,
    wasm: Binding,
}

/// Every feature of the Rust API and its bindings.
const FEATURES: &[Feature] = &[
    Feature {
        name: "assess one declaration (JSON in, JSON out)",
        core: &[
            "Engine::embedded",
            "Engine::assess",
            "Engine::assess_json",
            "Engine::assess_record",
            "Engine::assess_to_json",
            "Engine::assess_json_into",
            "Engine::assess_tape_into",
            "Engine::assess_into",
        ],
        c: Has(&["xb_engine_new", "xb_assess_json", "xb_string_free"]),
        wasm: Has(&["assess", "assessJson"]),
    },
    Feature {
        name: "assessment options (trace, date, regime, readings)",
        core: &[],
        c: Has(&[
            "xb_assess_json_with_options",
            "xb_assess_ndjson_with_options",
        ]),
        wasm: Has(&["AssessOptions"]),
    },
    Feature {
        name: "NDJSON batch",
        core: &[
            "Engine::assess_ndjson_line",
            "Engine::assess_ndjson_text_line",
            "Engine::assess_ndjson_text_lines",
            "Engine::assess_ndjson_text_lines_over",
            "Engine::assess_ndjson_batch",
        ],
        c: Has(&["xb_assess_ndjson"]),
        wasm: Has(&["assessNdjson"]),
    },
    Feature {
        name: "list the loaded regimes",
        core: &[
            "Engine::regimes",
            "Engine::regime_listing",
            "Engine::regimes_json",
            "Engine::regime_ids",
            "Engine::regime",
            "Engine::regime_for_destination",
            "Engine::rates",
            "Engine::risk_profile",
            "Engine::return_rules",
        ],
        c: Has(&["xb_regimes_json"]),
        wasm: Has(&["regimes"]),
    },
    Feature {
        name: "an engine from the caller's regime packs",
        core: &[
            "Engine::builder",
            "EngineBuilder::build",
            "EngineBuilder::regime_json",
            "EngineBuilder::without_embedded",
        ],
        c: Has(&[
            "xb_engine_builder_new",
            "xb_engine_builder_regime_json",
            "xb_engine_builder_without_embedded",
            "xb_engine_builder_build",
        ]),
        wasm: Has(&["Engine", "regimes?", "embedded?"]),
    },
    Feature {
        name: "the caller's tariffs",
        core: &["EngineBuilder::tariff"],
        c: Has(&["xb_engine_builder_tariff"]),
        wasm: Has(&["tariffs?"]),
    },
    Feature {
        name: "a caller's CSV tariff laid out by a header map",
        core: &["EngineBuilder::tariff_csv"],
        c: Has(&["xb_engine_builder_tariff_csv"]),
        wasm: Has(&["tariffLayouts?"]),
    },
    Feature {
        name: "a caller's tariff file parsed on first use",
        core: &["EngineBuilder::tariff_on_demand"],
        c: Has(&["xb_engine_builder_tariff_on_demand"]),
        wasm: Has(&["tariffsOnDemand?"]),
    },
    Feature {
        name: "no embedded national tariffs",
        core: &["EngineBuilder::without_embedded_tariffs"],
        c: Has(&["xb_engine_builder_without_embedded_tariffs"]),
        // The module compiles no tariff file in: an engine holds only the tariffs given or loaded.
        wasm: Has(&["tariffs?"]),
    },
    Feature {
        name: "the caller's exchange rates",
        core: &["EngineBuilder::rates_json", "EngineBuilder::rates"],
        c: Has(&["xb_engine_builder_rates_json", "xb_engine_builder_rates"]),
        wasm: Has(&["rates?"]),
    },
    Feature {
        name: "official rate tables",
        core: &["EngineBuilder::rate_table", "Engine::exchange_rates"],
        c: Has(&["xb_engine_builder_rate_table"]),
        wasm: Has(&["rateTables?"]),
    },
    Feature {
        name: "no built-in rate tables",
        core: &["EngineBuilder::without_builtin_rates"],
        c: Has(&["xb_engine_builder_without_builtin_rates"]),
        // The module compiles no table in: an engine holds only the tables given or loaded.
        wasm: Has(&["rateTables?"]),
    },
    Feature {
        name: "the caller's risk profiles",
        core: &["EngineBuilder::risk_profile_json"],
        c: Has(&["xb_engine_builder_risk_profile_json"]),
        wasm: Has(&["riskProfiles?"]),
    },
    Feature {
        name: "no sample risk profiles",
        core: &["EngineBuilder::without_sample_risk_profiles"],
        c: Has(&["xb_engine_builder_without_sample_risk_profiles"]),
        wasm: Has(&["sampleRiskProfiles?"]),
    },
    Feature {
        name: "refunds on returned goods",
        core: &["Engine::refund_json", "Engine::refund"],
        c: Has(&["xb_refund_json"]),
        wasm: Has(&["refund", "refundJson"]),
    },
    Feature {
        name: "the caller's return rules",
        core: &["EngineBuilder::return_rules_json"],
        c: Has(&["xb_engine_builder_return_rules_json"]),
        wasm: Has(&["returnRules?"]),
    },
    Feature {
        name: "collector statements",
        core: &["StatementBuilder::new"],
        c: Has(&[
            "xb_statement_new",
            "xb_statement_add",
            "xb_statement_json",
            "xb_statement_csv",
            "xb_statement_free",
        ]),
        wasm: Has(&["Statement"]),
    },
    Feature {
        name: "split-shipment ledger",
        core: &["SplitLedger::new"],
        c: Has(&[
            "xb_split_ledger_new",
            "xb_split_ledger_record",
            "xb_split_ledger_free",
        ]),
        wasm: Has(&["SplitLedger", "recordJson"]),
    },
    Feature {
        name: "statistics over assessed NDJSON (CLI `stats`)",
        core: &["Aggregator::new"],
        c: Lacks("offline analysis of result files: the CLI's"),
        wasm: Lacks("offline analysis of result files: the CLI's"),
    },
    Feature {
        name: "rule-change simulation (CLI `simulate`)",
        core: &["Simulation::new"],
        c: Lacks("offline analysis of declaration files: the CLI's"),
        wasm: Lacks("offline analysis of declaration files: the CLI's"),
    },
];

/// What each binding lacks today, by feature name: `(feature, binding)`.
const GAPS: &[(&str, &str)] = &[
    ("statistics over assessed NDJSON (CLI `stats`)", "c"),
    ("statistics over assessed NDJSON (CLI `stats`)", "wasm"),
    ("rule-change simulation (CLI `simulate`)", "c"),
    ("rule-change simulation (CLI `simulate`)", "wasm"),
];

/// The types whose public functions are features of the engine.
const ENGINE_TYPES: &[&str] = &["Engine", "EngineBuilder"];

/// The core's workflow types: their constructors are features.
const WORKFLOW_TYPES: &[&str] = &[
    "StatementBuilder",
    "SplitLedger",
    "Aggregator",
    "Simulation",
];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the core crate sits in the repository")
        .to_path_buf()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `Type::function` for each public function of the engine types and each public constructor
/// of the workflow types.
struct Public(BTreeSet<String>);

impl<'ast> Visit<'ast> for Public {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        let test = m.attrs.iter().any(|a| {
            a.path().is_ident("cfg")
                && a.parse_args::<syn::Ident>()
                    .is_ok_and(|ident| ident == "test")
        });
        if !test {
            syn::visit::visit_item_mod(self, m);
        }
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        let syn::Type::Path(ty) = &*i.self_ty else {
            return;
        };
        let Some(name) = ty.path.segments.last().map(|s| s.ident.to_string()) else {
            return;
        };
        if i.trait_.is_some() {
            return;
        }
        for item in &i.items {
            let syn::ImplItem::Fn(f) = item else { continue };
            if !matches!(f.vis, syn::Visibility::Public(_)) {
                continue;
            }
            let function = f.sig.ident.to_string();
            if ENGINE_TYPES.contains(&name.as_str())
                || (WORKFLOW_TYPES.contains(&name.as_str()) && function == "new")
            {
                self.0.insert(format!("{name}::{function}"));
            }
        }
    }
}

/// Whether the TypeScript declarations name `name`: as a function or method (`name(`), a
/// class or type (`class name`, `interface name`), or an optional key (`name?` given as such).
/// The name must start a word, so that `refund(` is not found inside `xrefund(`.
fn in_typescript(ts: &str, name: &str) -> bool {
    if name.ends_with('?') {
        return has_word(ts, &format!("{name}:"));
    }
    has_word(ts, &format!("{name}("))
        || ts.contains(&format!("class {name} "))
        || ts.contains(&format!("interface {name} "))
}

/// Whether `needle` occurs in `text` at the start of an identifier.
fn has_word(text: &str, needle: &str) -> bool {
    text.match_indices(needle).any(|(at, _)| {
        !text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$')
    })
}

#[test]
fn a_name_inside_a_longer_identifier_does_not_count() {
    assert!(in_typescript("  refund(x: string): string;", "refund"));
    assert!(!in_typescript("  xrefund(x: string): string;", "refund"));
    assert!(in_typescript("  tariffs?: string[];", "tariffs?"));
    assert!(!in_typescript("  tariffsOnDemand?: boolean;", "tariffs?"));
}

#[test]
fn every_core_feature_is_placed_and_each_binding_offers_what_it_claims() {
    let repo = repo();
    let mut files = Vec::new();
    rust_files(&repo.join("core/src"), &mut files);
    let mut public = Public(BTreeSet::new());
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let parsed = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        public.visit_file(&parsed);
    }
    assert!(
        public.0.contains("Engine::assess_json") && public.0.contains("EngineBuilder::build"),
        "the walk did not find the engine: {:?}",
        public.0
    );
    let placed: BTreeSet<String> = FEATURES
        .iter()
        .flat_map(|f| f.core.iter().map(|s| s.to_string()))
        .collect();
    let unplaced: Vec<&String> = public.0.difference(&placed).collect();
    assert!(
        unplaced.is_empty(),
        "public core functions in no feature of core/tests/binding_parity.rs; place each, \
         with what the C library and the WASM package offer for it: {unplaced:?}"
    );
    let stale: Vec<&String> = placed.difference(&public.0).collect();
    assert!(
        stale.is_empty(),
        "features name functions the core no longer has: {stale:?}"
    );

    let header = std::fs::read_to_string(repo.join("ffi/include/xborder.h")).unwrap();
    // The npm package's two modules: the checkout module (index.d.ts) and the workflows module
    // (workflows.d.ts: refunds, statements, the split ledger), with the data types of both.
    let ts = std::fs::read_to_string(repo.join("wasm/js/index.d.ts")).unwrap()
        + &std::fs::read_to_string(repo.join("wasm/js/workflows.d.ts")).unwrap()
        + &std::fs::read_to_string(repo.join("wasm/js/types.d.ts")).unwrap();
    let mut gaps = BTreeSet::new();
    let mut missing = Vec::new();
    println!("{:<52} {:<10} WASM", "feature", "C");
    for f in FEATURES {
        for (binding, offered) in [("c", &f.c), ("wasm", &f.wasm)] {
            match offered {
                Has(names) => {
                    for name in *names {
                        let declared = match binding {
                            "c" => header.contains(&format!(" {name}(")),
                            _ => in_typescript(&ts, name),
                        };
                        if !declared {
                            missing.push(format!("{binding}: {name} ({})", f.name));
                        }
                    }
                }
                Lacks(_) => {
                    gaps.insert((f.name, binding));
                }
            }
        }
        let show = |b: &Binding| match b {
            Has(_) => "yes".to_string(),
            Lacks(why) => format!("no ({why})"),
        };
        println!("{:<52} {:<10} {}", f.name, show(&f.c), show(&f.wasm));
    }
    assert!(
        missing.is_empty(),
        "names the bindings do not declare: {missing:?}"
    );
    let expected: BTreeSet<(&str, &str)> = GAPS.iter().copied().collect();
    assert_eq!(
        gaps, expected,
        "the features the bindings lack changed: update GAPS (a gap closed is progress; a new \
         one needs its line)"
    );
}

#[test]
fn the_typescript_check_reads_functions_types_and_keys() {
    let ts = "export function assessJson(text: string): string;\n\
              export class Engine {\n  riskProfiles?: string[];\n}";
    assert!(in_typescript(ts, "assessJson"));
    assert!(in_typescript(ts, "Engine"));
    assert!(in_typescript(ts, "riskProfiles?"));
    assert!(!in_typescript(ts, "assessNdjson"));
    assert!(!in_typescript(ts, "rates?"));
}
