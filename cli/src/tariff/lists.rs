//! `xborder tariff lists`: recomputes the codes of a goods lists file (`regimes/US/goods-lists.
//! json`, docs/regime-format.md "Goods lists") from the official files its lists are derived
//! from, so that next revision's Section 301 lists are one command away.
//!
//! Each list says how it is made in `derive`:
//! * `{"usitc_footnotes": {"file": "hts_2026_rev_10.json.gz", "headings": ["9903.88.01"],
//!   "min_headings": 1}}`: the lines of a USITC HTS export whose footnotes refer to at least
//!   `min_headings` (default 1) of the Chapter 99 headings ("See 9903.88.15.");
//! * `{"usitc_notes": {"file": "chapter99.txt", "after": "…", "before": "…"}}`: every HTS number
//!   printed in the Chapter 99 notes between the first line starting with `after` and the next
//!   line starting with `before`.
//!
//! A list without `derive` is kept as it is. The file is rewritten with the same lists in the
//! same order (byte-deterministic); `--check` compares instead.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use serde::{Deserialize, Serialize};

use super::{read_input, resolve, usitc};
use crate::Fatal;

#[derive(Args)]
pub(crate) struct ListsArgs {
    /// The goods lists file to recompute (rewritten in place).
    #[arg(long, value_name = "FILE")]
    update: PathBuf,
    /// Where the files named by `derive` are (default: the lists file's directory).
    #[arg(long, value_name = "DIR")]
    input_dir: Option<PathBuf>,
    /// Recompute and compare with the file instead of writing it: exit 1 if it differs.
    #[arg(long)]
    check: bool,
}

/// The file: `{"format": 1, "regime": "US", "goods_lists": [...]}`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListsFile {
    format: u32,
    regime: String,
    goods_lists: Vec<List>,
}

/// One list, its keys in the order they are written.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct List {
    id: String,
    name: String,
    codes: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    derive: Option<Derive>,
    source: String,
    checked: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    confidence: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum Derive {
    UsitcFootnotes {
        file: String,
        headings: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_headings: Option<usize>,
    },
    UsitcNotes {
        file: String,
        after: String,
        before: String,
    },
}

pub(crate) fn run(args: ListsArgs) -> Result<ExitCode, Fatal> {
    let path = &args.update;
    let fail = |e: String| Fatal(format!("{}: {e}", path.display()));
    let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
    let mut file: ListsFile = serde_json::from_str(&text).map_err(|e| fail(e.to_string()))?;
    let dir = args
        .input_dir
        .clone()
        .unwrap_or_else(|| path.parent().unwrap_or(Path::new(".")).to_path_buf());
    let mut cache = Cache::default();
    for list in &mut file.goods_lists {
        let Some(derive) = &list.derive else {
            continue;
        };
        let codes = match derive {
            Derive::UsitcFootnotes {
                file,
                headings,
                min_headings,
            } => {
                let rows = cache.rows(&resolve(&dir, file))?;
                usitc::footnote_codes(rows, headings, min_headings.unwrap_or(1))
            }
            Derive::UsitcNotes {
                file,
                after,
                before,
            } => {
                let text = cache.text(&resolve(&dir, file))?;
                usitc::note_codes(text, after, before)
                    .map_err(|e| Fatal(format!("list {}: {file}: {e}", list.id)))?
            }
        };
        if codes.is_empty() {
            return Err(Fatal(format!(
                "list {}: its derivation finds no code; check the headings or markers",
                list.id
            )));
        }
        report!("{}: {} codes", list.id, codes.len());
        list.codes = codes.into_iter().collect::<Vec<_>>().join(" ");
    }
    let out = serde_json::to_string_pretty(&file).map_err(|e| fail(e.to_string()))? + "\n";
    if args.check {
        if out == text {
            report!("{}: up to date", path.display());
            return Ok(ExitCode::SUCCESS);
        }
        report!("{}: differs from what its sources give", path.display());
        return Ok(ExitCode::from(1));
    }
    std::fs::write(path, out).map_err(|e| fail(e.to_string()))?;
    Ok(ExitCode::SUCCESS)
}

/// Source files read once, whatever the number of lists that name them.
#[derive(Default)]
struct Cache {
    rows: Vec<(PathBuf, Vec<usitc::Row>)>,
    texts: Vec<(PathBuf, String)>,
}

impl Cache {
    fn rows(&mut self, path: &Path) -> Result<&[usitc::Row], Fatal> {
        if let Some(i) = self.rows.iter().position(|(p, _)| p == path) {
            return Ok(&self.rows[i].1);
        }
        let input = read_input(path)?;
        let rows = serde_json::from_slice(&input.bytes).map_err(|e| {
            Fatal(format!(
                "{}: not a USITC HTS JSON export: {e}",
                path.display()
            ))
        })?;
        self.rows.push((path.to_path_buf(), rows));
        Ok(&self.rows.last().map(|(_, r)| r).expect("just pushed")[..])
    }

    fn text(&mut self, path: &Path) -> Result<&str, Fatal> {
        if let Some(i) = self.texts.iter().position(|(p, _)| p == path) {
            return Ok(&self.texts[i].1);
        }
        let input = read_input(path)?;
        // The USITC's text export is Latin-1 in places (its dashes): read it lossily, since
        // only the ASCII HTS numbers and markers matter.
        let text = String::from_utf8_lossy(&input.bytes).into_owned();
        self.texts.push((path.to_path_buf(), text));
        Ok(&self.texts.last().expect("just pushed").1)
    }
}

/// Keeps the codes no shorter code of the set already covers, sorted.
pub(crate) fn minimal(codes: BTreeSet<String>) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = BTreeSet::new();
    for code in codes {
        // Sorted order puts a prefix before the codes it begins.
        if !(2..code.len()).any(|n| out.contains(&code[..n])) {
            out.insert(code);
        }
    }
    out
}
