//! Standard streams the caller closed (`xborder assess f >&-`).
//!
//! Before `main` runs, Rust's runtime reopens a closed standard stream on `/dev/null`, so a
//! command whose output was closed would write into nothing and report success. Which streams
//! were closed is therefore recorded earlier, by a constructor that runs when the program is
//! loaded (an `.init_array` entry, on Linux and Android), before the runtime starts. On other
//! systems nothing is recorded and the streams are taken as they are.

use std::sync::atomic::{AtomicU8, Ordering};

/// Bit `fd` is set when standard stream `fd` (0, 1 or 2) was closed when the program started.
static CLOSED: AtomicU8 = AtomicU8::new(0);

#[cfg(any(target_os = "linux", target_os = "android"))]
mod record {
    /// Runs before the Rust runtime reopens closed streams on `/dev/null`.
    #[used]
    #[link_section = ".init_array"]
    static RECORD_CLOSED_STREAMS: extern "C" fn() = record_closed_streams;

    extern "C" fn record_closed_streams() {
        for fd in 0..3 {
            // SAFETY: F_GETFD only reads the descriptor's flags; it fails with EBADF, changing
            // nothing, when `fd` is not open.
            if unsafe { libc::fcntl(fd, libc::F_GETFD) } == -1 {
                super::CLOSED.fetch_or(1 << fd, std::sync::atomic::Ordering::Relaxed);
            }
        }
    }
}

/// True when standard output was closed when the program started.
pub(crate) fn stdout_closed() -> bool {
    CLOSED.load(Ordering::Relaxed) & 0b010 != 0
}

/// Writes a line to standard error. Unlike `eprintln!`, never panics: when standard error is
/// closed or full (`2>/dev/full`) the message is lost, and the exit code still tells.
pub(crate) fn report(message: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{message}");
}
