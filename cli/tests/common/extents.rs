//! A file's extent map, read with FIEMAP: where its data lies and what the kernel has not yet
//! placed on disk. For the tests of how output files are written (`writeback.rs`,
//! `preallocate.rs`).

use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

/// A new directory `name` for one test process, under the build's target directory: on the
/// disk the project is built on, whose file system the extent map tells about (the system's
/// temporary directory may be tmpfs, which has none).
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `_IOWR('f', 11, struct fiemap)` from linux/fs.h.
const FS_IOC_FIEMAP: u64 = 0xC020_660B;
/// The extent's data is not yet placed on disk (linux/fiemap.h).
pub const FIEMAP_EXTENT_DELALLOC: u32 = 0x4;
/// The extent is allocated but reads as zeros: not yet written (linux/fiemap.h).
pub const FIEMAP_EXTENT_UNWRITTEN: u32 = 0x800;
const EXTENTS: usize = 256;

/// `struct fiemap_extent` (linux/fiemap.h).
#[repr(C)]
#[derive(Clone, Copy, Default, Debug)]
pub struct Extent {
    pub logical: u64,
    pub physical: u64,
    pub length: u64,
    reserved64: [u64; 2],
    pub flags: u32,
    reserved: [u32; 3],
}

/// `struct fiemap` with room for [`EXTENTS`] extents.
#[repr(C)]
struct ExtentMap {
    start: u64,
    length: u64,
    flags: u32,
    mapped_extents: u32,
    extent_count: u32,
    reserved: u32,
    extents: [Extent; EXTENTS],
}

/// `path`'s extents (at most the first [`EXTENTS`]), without writing the file out first;
/// `None` when the file system has no extent map to ask.
pub fn extents(path: &Path) -> Option<Vec<Extent>> {
    let file = File::open(path).unwrap();
    let mut map = Box::new(ExtentMap {
        start: 0,
        length: u64::MAX,
        // Not FIEMAP_FLAG_SYNC, which would write the file out first.
        flags: 0,
        mapped_extents: 0,
        extent_count: EXTENTS as u32,
        reserved: 0,
        extents: [Extent::default(); EXTENTS],
    });
    // SAFETY: FS_IOC_FIEMAP reads and writes one `struct fiemap` whose `fm_extent_count` says
    // how many `struct fiemap_extent` follow it; `ExtentMap` is that layout (repr(C)) with
    // EXTENTS of them, and it lives across the call.
    let rc = unsafe { libc::ioctl(file.as_raw_fd(), FS_IOC_FIEMAP as _, &mut *map) };
    if rc != 0 {
        return None;
    }
    let mapped = (map.mapped_extents as usize).min(EXTENTS);
    Some(map.extents[..mapped].to_vec())
}

/// Whether any of `path`'s data waits for the kernel to place it on disk; `None` when the file
/// system has no extent map to ask.
pub fn has_delayed_data(path: &Path) -> Option<bool> {
    Some(
        extents(path)?
            .iter()
            .any(|e| e.flags & FIEMAP_EXTENT_DELALLOC != 0),
    )
}
