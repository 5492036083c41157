//! Everything the repository ships must be followable by its readers: a customs administration
//! auditing a pack, or a user reading a vector, cannot open the team's internal research files.
//! So no tracked file may cite them by name; a rule cites its legal source, or the research
//! notes in `docs/research/`, instead. Those notes once tagged rows with the bare short name
//! ("<stem> [C] (ATO consumers page)"), which reads like a document the reader could look up, so
//! there the stem alone is refused too: a note names the source itself.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The short names of the team-internal files, without their extension.
const INTERNAL_STEMS: [&str; 2] = ["FACTS", "ANCHORS"];

/// The folders where a bare short name is an offence too, not only the file name: the research
/// notes, which used the short name as a citation tag.
const STEM_GUARDED_DIRS: [&str; 1] = ["docs/research"];

/// The team-internal file names that must not appear. Spelt in pieces so that this file does
/// not name them itself.
fn internal_names() -> Vec<String> {
    INTERNAL_STEMS
        .iter()
        .map(|stem| format!("{stem}.{}", "md"))
        .collect()
}

/// The tracked files, from `git ls-files`; when git or the repository's history is absent (a
/// source tarball), every file under the root except build outputs and dependencies.
fn repository_files(root: &Path) -> Vec<PathBuf> {
    let listed = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["ls-files", "-z"])
        .output()
        .ok()
        .filter(|out| out.status.success() && !out.stdout.is_empty());
    match listed {
        Some(out) => out
            .stdout
            .split(|b| *b == 0)
            .filter(|name| !name.is_empty())
            .map(|name| root.join(String::from_utf8_lossy(name).as_ref()))
            .collect(),
        None => {
            let mut files = Vec::new();
            walk(root, &mut files);
            files
        }
    }
}

/// Collects the files under `dir`, skipping build outputs, dependencies and hidden folders.
fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    const SKIP: &[&str] = &["target", "node_modules", "pkg", "__pycache__"];
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !name.starts_with('.') && !SKIP.contains(&name.as_str()) {
                walk(&path, files);
            }
        } else {
            files.push(path);
        }
    }
}

/// Whether `word` occurs in `line` as a whole word (not inside a longer word such as
/// "ARTIFACTS"), since a bare short name is only a citation when it stands alone.
fn contains_word(line: &str, word: &str) -> bool {
    let is_word_char = |c: char| c.is_alphanumeric() || c == '_';
    line.match_indices(word).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        let after = line[at + word.len()..].chars().next();
        !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
    })
}

#[test]
fn no_shipped_file_cites_a_team_internal_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let names = internal_names();
    let mut offenders = Vec::new();
    for path in repository_files(&root) {
        // Deleted-but-tracked or unreadable files have nothing to cite.
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let relative = path.strip_prefix(&root).unwrap_or(&path);
        let shown = relative.display().to_string();
        for name in &names {
            if let Some(line) = text.lines().position(|l| l.contains(name.as_str())) {
                offenders.push(format!("{shown}:{} names {name}", line + 1));
            }
        }
        if STEM_GUARDED_DIRS
            .iter()
            .any(|dir| relative.starts_with(dir))
        {
            for stem in INTERNAL_STEMS {
                if let Some(line) = text.lines().position(|l| contains_word(l, stem)) {
                    offenders.push(format!("{shown}:{} names {stem}", line + 1));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "these files cite a team-internal file that readers cannot open; cite the legal source \
         or docs/research/<ID>.md instead (in docs/research, name the source itself: publisher, \
         page, date):\n{}",
        offenders.join("\n")
    );
}

#[test]
fn a_short_name_counts_only_as_a_whole_word() {
    let stem = INTERNAL_STEMS[0];
    assert!(contains_word(&format!("| {stem} [C] (ATO page) |"), stem));
    assert!(contains_word(&format!("({stem} ex. 18)"), stem));
    assert!(contains_word(stem, stem));
    assert!(!contains_word(&format!("ARTI{stem} and {stem}HEET"), stem));
}
