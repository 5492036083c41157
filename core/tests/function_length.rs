//! The function-length guard rail (DESIGN.md, "Why a limit on function length?").
//!
//! Walks the module tree of every shipped crate (core, CLI, C library, WASM and Python packages,
//! reference data) from its root file, parses each module with `syn` and measures every
//! function that ships: from its signature to its closing brace, blank lines and comments
//! included (what a reader has to hold in mind). Test modules (`#[cfg(test)]`) and `#[test]`
//! functions are left out. The test fails when any function is longer than [`LIMIT`], naming
//! each one, unless a plain comment just above it (among its doc comments and attributes) gives
//! the reason: `// length: <why this reads best whole>`. Even then it may not pass
//! [`HARD_LIMIT`].
//!
//! `scripts/test.sh` runs it with `--nocapture` so that the report (the longest functions) is
//! printed on every run.

use std::path::{Path, PathBuf};

use syn::spanned::Spanned;
use syn::visit::Visit;

/// The most lines a shipped function may have (justified in DESIGN.md).
const LIMIT: usize = 100;

/// The most lines of a function whose reason is written beside it (`// length: …`).
const HARD_LIMIT: usize = 150;

/// The marker of a written reason, in a `//` comment above the function.
const REASON: &str = "// length:";

/// How many of the longest functions the report shows.
const REPORT: usize = 60;

/// The crates checked, by root file relative to the repository root.
const CRATES: &[&str] = &[
    "core/src/lib.rs",
    "cli/src/main.rs",
    "ffi/src/lib.rs",
    "wasm/src/lib.rs",
    "regimes/src/lib.rs",
    "python/src/lib.rs",
];

struct Function {
    file: String,
    name: String,
    line: usize,
    lines: usize,
    /// The reason written beside it, when there is one.
    reason: Option<String>,
}

/// The `// length: …` reason in the comments and attributes just above line `first`
/// (1-based), if any.
fn reason_above(source: &[&str], first: usize) -> Option<String> {
    source[..first.saturating_sub(1)]
        .iter()
        .rev()
        .map(|l| l.trim())
        .take_while(|l| l.starts_with("//") || l.starts_with("#[") || l.starts_with("#!["))
        .find_map(|l| l.strip_prefix(REASON))
        .map(|why| why.trim().to_string())
        .filter(|why| !why.is_empty())
}

/// Whether the attributes hold `#[cfg(test)]` or `#[test]`.
fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        let path = a.path();
        path.is_ident("test")
            || (path.is_ident("cfg")
                && a.parse_args::<syn::Ident>()
                    .is_ok_and(|ident| ident == "test"))
    })
}

struct Collector<'a> {
    file: &'a str,
    /// The file's lines, to read the reasons written above functions.
    source: Vec<&'a str>,
    /// `impl` type or trait name, for method names.
    owner: Vec<String>,
    /// Out-of-line modules declared in this file (`mod name;`), with their nesting.
    modules: Vec<Vec<String>>,
    /// Inline modules enclosing the current item.
    inline: Vec<String>,
    found: Vec<Function>,
}

impl Collector<'_> {
    fn measure(&mut self, name: &str, start: proc_macro2::Span, end: proc_macro2::Span) {
        let (first, last) = (start.start().line, end.end().line);
        let name = match self.owner.last() {
            Some(owner) => format!("{owner}::{name}"),
            None => name.to_string(),
        };
        self.found.push(Function {
            file: self.file.to_string(),
            name,
            line: first,
            lines: last + 1 - first,
            reason: reason_above(&self.source, first),
        });
    }
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if is_test(&m.attrs) {
            return;
        }
        match &m.content {
            None => {
                let mut path = self.inline.clone();
                path.push(m.ident.to_string());
                self.modules.push(path);
            }
            Some(_) => {
                self.inline.push(m.ident.to_string());
                syn::visit::visit_item_mod(self, m);
                self.inline.pop();
            }
        }
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        if is_test(&f.attrs) {
            return;
        }
        let start = first_span(&f.vis, f.sig.span());
        self.measure(&f.sig.ident.to_string(), start, f.block.span());
        syn::visit::visit_item_fn(self, f);
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        if is_test(&i.attrs) {
            return;
        }
        let ty = &i.self_ty;
        self.owner.push(quote_type(ty));
        syn::visit::visit_item_impl(self, i);
        self.owner.pop();
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        if is_test(&f.attrs) {
            return;
        }
        let start = first_span(&f.vis, f.sig.span());
        self.measure(&f.sig.ident.to_string(), start, f.block.span());
        syn::visit::visit_impl_item_fn(self, f);
    }

    fn visit_item_trait(&mut self, t: &'ast syn::ItemTrait) {
        self.owner.push(t.ident.to_string());
        syn::visit::visit_item_trait(self, t);
        self.owner.pop();
    }

    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        if let Some(body) = &f.default {
            self.measure(&f.sig.ident.to_string(), f.sig.span(), body.span());
        }
        syn::visit::visit_trait_item_fn(self, f);
    }
}

/// Where a function starts: its visibility keyword when it has one, else its signature.
fn first_span(vis: &syn::Visibility, sig: proc_macro2::Span) -> proc_macro2::Span {
    match vis {
        syn::Visibility::Inherited => sig,
        other => other.span(),
    }
}

/// The last path segment of an `impl` type (`Engine`, `Generator`), for the report.
fn quote_type(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) => p
            .path
            .segments
            .last()
            .map_or_else(|| "?".to_string(), |s| s.ident.to_string()),
        _ => "impl".to_string(),
    }
}

/// The file of module `name` declared in `file` (`dir/name.rs` or `dir/name/mod.rs`).
fn module_file(file: &Path, path: &[String]) -> Option<PathBuf> {
    let stem = file.file_stem()?.to_str()?;
    let mut dir = file.parent()?.to_path_buf();
    if !matches!(stem, "lib" | "main" | "mod") {
        dir.push(stem);
    }
    let (name, parents) = path.split_last()?;
    for p in parents {
        dir.push(p);
    }
    [
        dir.join(format!("{name}.rs")),
        dir.join(name).join("mod.rs"),
    ]
    .into_iter()
    .find(|p| p.is_file())
}

/// Every shipped function of the crate rooted at `root`.
fn crate_functions(repo: &Path, root: &Path, out: &mut Vec<Function>) {
    let mut queue = vec![root.to_path_buf()];
    while let Some(file) = queue.pop() {
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let parsed = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let shown = file
            .strip_prefix(repo)
            .unwrap_or(&file)
            .display()
            .to_string();
        let mut collector = Collector {
            file: &shown,
            source: text.lines().collect(),
            owner: Vec::new(),
            modules: Vec::new(),
            inline: Vec::new(),
            found: Vec::new(),
        };
        collector.visit_file(&parsed);
        for module in &collector.modules {
            let found = module_file(&file, module).unwrap_or_else(|| {
                panic!(
                    "{}: module {} has no file",
                    file.display(),
                    module.join("::")
                )
            });
            queue.push(found);
        }
        out.append(&mut collector.found);
    }
}

#[test]
fn no_shipped_function_is_longer_than_the_limit() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the core crate sits in the repository")
        .to_path_buf();
    let mut functions = Vec::new();
    for root in CRATES {
        crate_functions(&repo, &repo.join(root), &mut functions);
    }
    assert!(
        functions.len() > 300,
        "the walk found only {} functions: is the module tree followed?",
        functions.len()
    );
    functions.sort_by(|a, b| b.lines.cmp(&a.lines).then(a.file.cmp(&b.file)));
    println!(
        "function length: {} shipped functions, limit {LIMIT} lines; the longest:",
        functions.len()
    );
    for f in functions.iter().take(REPORT) {
        let why = f.reason.as_deref().map(|r| format!("  ({REASON} {r})"));
        println!(
            "{:>5}  {}:{}  {}{}",
            f.lines,
            f.file,
            f.line,
            f.name,
            why.unwrap_or_default()
        );
    }
    let over: Vec<String> = functions
        .iter()
        .filter(|f| match f.reason {
            None => f.lines > LIMIT,
            Some(_) => f.lines > HARD_LIMIT,
        })
        .map(|f| format!("{} lines: {} ({}:{})", f.lines, f.name, f.file, f.line))
        .collect();
    assert!(
        over.is_empty(),
        "{} functions are longer than {LIMIT} lines (or {HARD_LIMIT} with a `{REASON} <why>` \
         comment above them); split them into named steps:\n{}",
        over.len(),
        over.join("\n")
    );
}

#[test]
fn a_reason_is_read_from_the_comments_and_attributes_above() {
    let source = [
        "/// Parses a record.",
        "// length: one match over the record's fields reads best whole",
        "#[inline]",
        "fn parse() {",
        "}",
        "// length:",
        "fn empty_reason() {}",
        "// length: not adjacent",
        "",
        "fn apart() {}",
    ];
    assert_eq!(
        reason_above(&source, 4).as_deref(),
        Some("one match over the record's fields reads best whole")
    );
    assert_eq!(reason_above(&source, 7), None);
    assert_eq!(reason_above(&source, 10), None);
    assert_eq!(reason_above(&source, 1), None);
}
