//! Output files whose blocks are allocated before each large write.
//!
//! Written into a file's page cache, every 4 KiB block of new data costs ext4 (and XFS) a
//! delayed-allocation reservation: a quota charge, a free-space claim and an entry in the
//! inode's extent-status tree, block by block. For `xborder assess`'s results, hundreds of
//! megabytes a run, that bookkeeping was a large part of the write's system time. A range
//! allocated beforehand with `fallocate` (unwritten extents, the file's size unchanged) needs
//! none of it: the written pages are found already mapped. Measured on 396 MB written 1.6 MB at
//! a time onto ext4: 0.071-0.338 s of system time (median 0.12) without, 0.043-0.228 s (median
//! 0.06) with (BENCHMARKS.md, issue 16, session 44).
//!
//! Only the range the next write fills is allocated, so a finished run's file holds exactly the
//! blocks it would have held anyway. A write that fails after its range was allocated gives back
//! the part past the file's end (a truncation to the size the file has, which frees them and
//! changes no byte); a process killed between the two (Ctrl-C included) leaves at most that one
//! write's blocks, a megabyte or two, allocated past the end: they count in `du`, not in the
//! size, and the file's next truncation or removal frees them. Anything that is not a regular
//! file on ext4 is written to as before (`os::worth_allocating`).

use std::io::{self, Write};

/// Writes smaller than this are passed on as they are: a system call to allocate a few
/// kilobytes would cost more than the reservations it saves. The batch writer hands over a
/// block's results at a time, about a megabyte.
const LEAST: usize = 64 * 1024;

/// A writer onto standard output that allocates the file's blocks ahead of each large write
/// (module docs). On anything but a regular file on ext4 it only passes writes on.
pub(crate) struct PreallocatingStdout {
    inner: io::Stdout,
    /// Whether to allocate: standard output is a regular file on ext4, and ext4 has not
    /// refused yet.
    active: bool,
}

impl PreallocatingStdout {
    pub(crate) fn new() -> Self {
        Self {
            inner: io::stdout(),
            active: os::worth_allocating(),
        }
    }
}

impl Write for PreallocatingStdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.active || buf.len() < LEAST {
            return self.inner.write(buf);
        }
        let Some(range) = os::allocate(buf.len()) else {
            self.active = false;
            return self.inner.write(buf);
        };
        let written = self.inner.write(buf);
        if written.is_err() {
            os::give_back(range);
        }
        written
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
mod os {
    /// Standard output's descriptor.
    const FD: libc::c_int = 1;

    /// An allocated range: its start and length in bytes.
    pub(super) type Range = (libc::off_t, libc::off_t);

    /// Standard output is a regular file on ext4: the file system this was measured on. Others
    /// are written to as before: on Btrfs, for one, a preallocated range is written in place
    /// and so never compressed, and XFS and tmpfs were not measured.
    pub(super) fn worth_allocating() -> bool {
        /// `EXT4_SUPER_MAGIC` (linux/magic.h; ext2 and ext3 mounted by the ext4 driver too).
        const EXT4: u64 = 0xEF53;
        // SAFETY: `statfs` is plain old data, for which all zeros is a value.
        let mut fs: libc::statfs = unsafe { std::mem::zeroed() };
        // SAFETY: `fstatfs` writes only into the `statfs` it is given, which outlives the call.
        let on_ext4 = unsafe { libc::fstatfs(FD, &mut fs) } == 0 && fs.f_type as u64 == EXT4;
        on_ext4 && status().is_some_and(|st| st.st_mode & libc::S_IFMT == libc::S_IFREG)
    }

    /// The file's status (`fstat`), `None` when it cannot be had.
    fn status() -> Option<libc::stat> {
        // SAFETY: `stat` is plain old data, for which all zeros is a value.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        // SAFETY: `fstat` writes only into the `stat` it is given, which outlives the call.
        (unsafe { libc::fstat(FD, &mut st) } == 0).then_some(st)
    }

    /// Allocates the `len` bytes the next write fills. Returns the range, or `None` when the
    /// file system cannot allocate ahead (then the caller stops trying). A failure that may
    /// pass (no space now, an interrupted call) still returns a range, which is empty then.
    pub(super) fn allocate(len: usize) -> Option<Range> {
        let at = write_offset()?;
        let len = libc::off_t::try_from(len).ok()?;
        // SAFETY: `fallocate` on a descriptor of this process; KEEP_SIZE leaves the size and
        // every byte of the file as they are.
        if unsafe { libc::fallocate(FD, libc::FALLOC_FL_KEEP_SIZE, at, len) } == 0 {
            return Some((at, len));
        }
        match std::io::Error::last_os_error().raw_os_error() {
            Some(libc::EOPNOTSUPP | libc::ENOSYS | libc::EINVAL | libc::ESPIPE | libc::ENODEV) => {
                None
            }
            _ => Some((at, 0)),
        }
    }

    /// Frees what was allocated in `range` past the file's end, after a write that failed.
    /// ext4 punches no hole past the end of a file; a truncation to the size it has frees
    /// every block there and changes no byte. Done only when the file ends inside `range`,
    /// where what lies past the end is this allocation.
    pub(super) fn give_back((at, len): Range) {
        let Some(st) = status().filter(|_| len > 0) else {
            return;
        };
        if (at..at + len).contains(&st.st_size) {
            // SAFETY: truncating to the size the file has: no byte and no size changes.
            unsafe { libc::ftruncate(FD, st.st_size) };
        }
    }

    /// Where the next write lands: the end of the file when it was opened for appending
    /// (`>>`), the descriptor's offset otherwise.
    fn write_offset() -> Option<libc::off_t> {
        // SAFETY: reading the descriptor's status flags changes nothing.
        let flags = unsafe { libc::fcntl(FD, libc::F_GETFL) };
        if flags == -1 {
            return None;
        }
        let at = if flags & libc::O_APPEND != 0 {
            status()?.st_size
        } else {
            // SAFETY: asking for the offset moves nothing.
            unsafe { libc::lseek(FD, 0, libc::SEEK_CUR) }
        };
        (at >= 0).then_some(at)
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
mod os {
    pub(super) type Range = ();

    pub(super) fn worth_allocating() -> bool {
        false
    }

    pub(super) fn allocate(_: usize) -> Option<Range> {
        None
    }

    pub(super) fn give_back(_: Range) {}
}
