//! `xborder assess` allocates its output file's blocks ahead of each large write
//! (`cli/src/preallocate.rs`), and never leaves blocks allocated past the file's end: not after
//! a run, not after a write that failed.
//!
//! Told from the file's extent map (FIEMAP). On a file system that shows no unwritten extents
//! after the run (no `fallocate`, or no extent map), the tests say so and check the bytes only.
#![cfg(target_os = "linux")]
// A test's diagnostics go to the harness's captured stderr (cli/clippy.toml is for the binary).
#![allow(clippy::disallowed_macros)]

mod common;

use common::extents::{extents, scratch, FIEMAP_EXTENT_UNWRITTEN};
use std::fs::File;
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// 3 000 generated EU declarations: about 2.6 MB, so a few blocks of results, each far over the
/// size from which writes are allocated ahead.
fn declarations(dir: &Path) -> PathBuf {
    let path = dir.join("in.ndjson");
    let out = common::xborder(
        &[
            "generate",
            "--n",
            "3000",
            "--seed",
            "4",
            "--regime",
            "EU",
            "--no-progress",
        ],
        None,
    );
    assert!(out.status.success());
    std::fs::write(&path, out.stdout).unwrap();
    path
}

/// Runs `assess` on `input` with standard output on `out`; `limit` caps the size a file of
/// this process may grow to (RLIMIT_FSIZE), so that a write fails part way.
fn assess_onto(input: &Path, out: &Path, limit: Option<u64>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xborder"));
    command
        .args(["assess", "--no-progress", "--threads", "2"])
        .arg(input);
    command.stdout(Stdio::from(File::create(out).unwrap()));
    command.stderr(Stdio::piped());
    if let Some(limit) = limit {
        // SAFETY: between fork and exec only async-signal-safe calls: `signal` and
        // `setrlimit`. SIGXFSZ ignored, a write past the limit fails with EFBIG instead of
        // killing the process; the ignored disposition survives exec.
        unsafe {
            command.pre_exec(move || {
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                let cap = libc::rlimit {
                    rlim_cur: limit,
                    rlim_max: limit,
                };
                if libc::setrlimit(libc::RLIMIT_FSIZE, &cap) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    command.output().unwrap()
}

/// The bytes of `path` the file system holds past the end of the file's last block.
fn allocated_past_end(path: &Path) -> u64 {
    let meta = std::fs::metadata(path).unwrap();
    let block = meta.blksize();
    let end = meta.len().div_ceil(block) * block;
    extents(path)
        .unwrap_or_default()
        .iter()
        .map(|e| (e.logical + e.length).saturating_sub(end.max(e.logical)))
        .sum()
}

fn has_unwritten_extents(path: &Path) -> bool {
    extents(path)
        .unwrap_or_default()
        .iter()
        .any(|e| e.flags & FIEMAP_EXTENT_UNWRITTEN != 0)
}

#[test]
fn results_onto_a_file_are_the_piped_results_in_blocks_allocated_ahead() {
    let dir = scratch("preallocate-whole");
    let input = declarations(&dir);
    let piped = common::xborder(
        &[
            "assess",
            "--no-progress",
            "--threads",
            "2",
            input.to_str().unwrap(),
        ],
        None,
    );
    let out = dir.join("out");
    let run = assess_onto(&input, &out, None);
    assert_eq!(run.status.code(), piped.status.code());
    assert!(std::fs::read(&out).unwrap() == piped.stdout, "bytes differ");
    if has_unwritten_extents(&out) {
        assert_eq!(allocated_past_end(&out), 0);
    } else {
        eprintln!("skipped: the file system shows no blocks allocated ahead");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_failed_write_gives_back_what_was_allocated_for_it() {
    let dir = scratch("preallocate-failed");
    let input = declarations(&dir);
    let out = dir.join("out");
    // Inside the first block's results: its write is allocated whole, then stops at the cap.
    let cap = 300_000;
    let run = assess_onto(&input, &out, Some(cap));
    assert!(!run.status.success());
    let message = String::from_utf8_lossy(&run.stderr);
    assert!(message.contains("File too large"), "{message}");
    assert_eq!(std::fs::metadata(&out).unwrap().len(), cap);
    if extents(&out).is_some() {
        assert_eq!(allocated_past_end(&out), 0);
    } else {
        eprintln!("skipped: the file system has no extent map");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
