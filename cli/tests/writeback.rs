//! An output file the shell or the command truncated is not written out to disk in the
//! command's time at its exit (ext4's `auto_da_alloc` flush at close; `cli/src/writeback.rs`).
//!
//! Told from the file's extent map (FIEMAP): data the kernel has not yet placed on disk shows
//! as "delayed allocation" extents, and the flush at close places it at once. The test first
//! checks that this file system behaves so (a new file keeps delayed extents after its close,
//! a truncated one does not); elsewhere (tmpfs, XFS, `noauto_da_alloc`) it says so and checks
//! nothing more.
#![cfg(target_os = "linux")]
// A test's diagnostics go to the harness's captured stderr (cli/clippy.toml is for the binary).
#![allow(clippy::disallowed_macros)]

mod common;

use common::extents::{has_delayed_data, scratch};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// A file at `path` that holds data, opened again cut to zero length, as `> path` opens it.
fn truncated(path: &Path) -> File {
    std::fs::write(path, vec![b'x'; 1 << 20]).unwrap();
    OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(path)
        .unwrap()
}

/// Whether this file system flushes a truncated file at its close and shows it: a new file
/// keeps delayed data after its close, a truncated one has none.
fn flush_at_close_is_visible(dir: &Path) -> bool {
    let block = vec![b'y'; 4 << 20];
    let new = dir.join("new");
    File::create(&new).unwrap().write_all(&block).unwrap();
    let cut = dir.join("cut");
    truncated(&cut).write_all(&block).unwrap();
    let visible = has_delayed_data(&new) == Some(true) && has_delayed_data(&cut) == Some(false);
    if !visible {
        eprintln!(
            "skipped: this file system does not show a flush at close ({:?}, {:?})",
            has_delayed_data(&new),
            has_delayed_data(&cut)
        );
    }
    visible
}

/// Runs `generate` writing onto a truncated file, through standard output or `--output`, and
/// tells whether the file still has delayed data after the command exited. Tried up to three
/// times: the kernel's own writeback may place the data meanwhile (it does so after about 30 s,
/// or sooner under memory pressure), which would read as a flush.
fn output_left_to_the_kernel(dir: &Path, through_out: bool) -> bool {
    (0..3).any(|attempt| {
        let path = dir.join(format!("out-{through_out}-{attempt}"));
        // The command is dropped before the map is read: it holds the parent's copy of the
        // child's standard output, whose close would otherwise be the last one.
        let status = {
            let mut command = Command::new(env!("CARGO_BIN_EXE_xborder"));
            command.args(["generate", "--n", "4000", "--seed", "1", "--regime", "EU"]);
            command.arg("--no-progress").stderr(Stdio::null());
            if through_out {
                // The command cuts the file itself (File::create).
                std::fs::write(&path, vec![b'x'; 1 << 20]).unwrap();
                command.arg("--output").arg(&path).stdout(Stdio::null());
            } else {
                command.stdout(Stdio::from(truncated(&path)));
            }
            command.status().unwrap()
        };
        assert!(status.success());
        assert!(std::fs::metadata(&path).unwrap().len() > 1 << 20);
        has_delayed_data(&path) == Some(true)
    })
}

#[test]
fn a_truncated_output_file_is_not_flushed_at_exit() {
    let dir = scratch("writeback");
    if flush_at_close_is_visible(&dir) {
        assert!(output_left_to_the_kernel(&dir, false), "standard output");
        assert!(output_left_to_the_kernel(&dir, true), "--output");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
