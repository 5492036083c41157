//! Output files the kernel would write to disk when they are closed.
//!
//! `xborder assess in.ndjson > out.ndjson` onto an `out.ndjson` that already holds data: the
//! shell opens it with `O_TRUNC`, and ext4 (its `auto_da_alloc` default) takes a file cut to
//! zero length for a program replacing a file in place, so when the last descriptor on it is
//! closed, at the program's exit, it allocates the blocks of everything written since and
//! starts writing it out, in the exiting program's time (`ext4_release_file`). XFS does the
//! same after a truncation. For a batch's results that is hundreds of megabytes: on the
//! side-by-side benchmark (200 000 results, 396 MB, onto the file a peer had just written) the
//! run took 0.40-0.46 s with the flush and 0.26-0.35 s without, depending on the file system's
//! state (BENCHMARKS.md, session 43).
//!
//! The kernel clears that mark when any open file description of the file is closed, so one
//! opened read-only and closed at once, before anything is written, releases the file from it:
//! its data is then written back in the kernel's own time, as for a file the command created.
//! That changes no byte and no durability promise (none is made without `fsync`; run `sync`
//! when the results must be on disk before the next step).

/// Releases the regular file behind `fd` from the kernel's write-out at close (module docs).
/// Returns whether it did: `false` for pipes, terminals and devices, which are left untouched
/// (opening a pipe's other end would change who holds it), and when the file cannot be
/// reopened (no read permission), which leaves the kernel's default, also correct.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(crate) fn release_from_close_flush(fd: std::os::fd::BorrowedFd<'_>) -> bool {
    use std::os::fd::AsRawFd;
    // /proc/self/fd/N names the open file itself, so the reopened file is the one written to
    // even when its name was replaced or removed meanwhile.
    let path = format!("/proc/self/fd/{}", fd.as_raw_fd());
    // Read-only: the close then tells watchers (inotify) nothing was written.
    match std::fs::metadata(&path) {
        Ok(meta) if meta.is_file() => std::fs::File::open(&path).is_ok(),
        _ => false,
    }
}

/// Releases standard output's file, when it is one, from the write-out at close.
pub(crate) fn release_stdout() {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use std::os::fd::AsFd;
        release_from_close_flush(std::io::stdout().as_fd());
    }
}

/// Releases `file`, which the command created or truncated, from the write-out at close.
pub(crate) fn release_file(file: &std::fs::File) {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use std::os::fd::AsFd;
        release_from_close_flush(file.as_fd());
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let _ = file;
}

#[cfg(all(test, any(target_os = "linux", target_os = "android")))]
mod tests {
    use super::*;
    use std::io::{Read, Seek, Write};
    use std::os::fd::AsFd;

    /// A regular file is released, and the release neither moves its offset nor changes a
    /// byte; a socket and a device are left alone.
    #[test]
    fn releases_regular_files_only() {
        let dir = std::env::temp_dir().join(format!("xborder-writeback-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("out");
        std::fs::write(&path, b"old contents").unwrap();
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .truncate(true)
            .open(&path)
            .unwrap();
        file.write_all(b"new").unwrap();
        assert!(release_from_close_flush(file.as_fd()));
        assert_eq!(file.stream_position().unwrap(), 3);
        file.write_all(b" results").unwrap();
        file.rewind().unwrap();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        assert_eq!(text, "new results");
        std::fs::remove_dir_all(&dir).unwrap();

        let (socket, _other) = std::os::unix::net::UnixStream::pair().unwrap();
        assert!(!release_from_close_flush(socket.as_fd()));
        let null = std::fs::File::open("/dev/null").unwrap();
        assert!(!release_from_close_flush(null.as_fd()));
    }
}
