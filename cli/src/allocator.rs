//! The CLI's memory allocator: mimalloc, asked for plain blocks whenever a plain block is
//! aligned enough.
//!
//! A batch assessment makes a few short-lived allocations per record (the parsed declaration's
//! text, growing working vectors, the odd long message), and glibc's malloc and free were about
//! a tenth of `xborder assess`'s instructions (issue 16), hence mimalloc.
//!
//! The `mimalloc` crate's allocator passes every request to `mi_malloc_aligned`. In mimalloc 3
//! that function serves a request from the size class's free list only while the list has a
//! block at hand; otherwise, for a size that is not a power of two, it over-allocates and
//! aligns by hand, and never collects that size class's freed blocks itself. Every mimalloc
//! block is aligned to at least a word (`MI_MAX_ALIGN_SIZE` is at least `sizeof(void*)`,
//! mimalloc's `types.h`), so a request aligned to a word or less needs no aligned path: it goes to
//! `mi_malloc`, as Rust's own `System` allocator sends such requests to `malloc`. Measured on
//! generated EU records: about 113 instructions an allocation through the aligned path, 31
//! through `mi_malloc`; 26 463 → 26 259 instructions a record (BENCHMARKS.md, issue 16,
//! session 35).

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// The alignment every mimalloc block has: a word (mimalloc's block sizes are whole words and
/// its pages start aligned; `MI_MAX_ALIGN_SIZE`, "at least `sizeof(void*)`", `types.h`).
const PLAIN_ALIGN: usize = std::mem::size_of::<usize>();

/// mimalloc, with requests aligned to at most [`PLAIN_ALIGN`] served by its plain functions.
pub(crate) struct Mimalloc;

// SAFETY: every function returns what mimalloc returns: a block of at least `size` bytes
// aligned to `layout.align()` (the plain functions only when that alignment is at most
// PLAIN_ALIGN, which every mimalloc block has), or null when out of memory; `dealloc` and
// `realloc` receive only blocks these functions returned, and `mi_free` / `mi_realloc` accept
// blocks from the aligned functions too (mimalloc.h).
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= PLAIN_ALIGN {
            mi::mi_malloc(layout.size()).cast()
        } else {
            mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= PLAIN_ALIGN {
            mi::mi_zalloc(layout.size()).cast()
        } else {
            mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        mi::mi_free(ptr.cast::<c_void>());
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= PLAIN_ALIGN {
            mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
        } else {
            mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
        }
    }
}

/// Tells mimalloc to keep the memory it frees for reuse rather than give it back to the
/// kernel a second later (its `purge_delay`, -1: never). A batch frees and takes back the same
/// few megabytes all the time, and every page given back was faulted in again and zeroed by
/// the kernel, in proportion to the run's length (issue 16: 975 page faults instead of 305 on
/// 1 M lines). What is kept is the high-water mark, which does not grow with the input.
pub(crate) fn keep_freed_memory() {
    extern "C" {
        /// mimalloc's `mi_option_set` (mimalloc.h), linked in with the allocator.
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    /// `mi_option_purge_delay` in the `mi_option_t` enum of mimalloc.h (v2 and v3).
    const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;
    // SAFETY: mimalloc options may be set at any time from any thread; the value -1 is
    // documented for this option ("no purging at all").
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

/// Asks the kernel not to back this process's memory with transparent huge pages.
///
/// mimalloc marks its arenas for them (`madvise(MADV_HUGEPAGE)`), and the kernel then zeroes
/// each 2 MiB page whole at its first touch, though a batch uses only parts of most of them:
/// `xborder assess` on 200 000 declarations peaked at 70-88 MB resident with them and 40-42 MB
/// with 4 KiB pages, and page faults took 8.7-34 % of its CPU time against 2.5-3.6 % (the
/// zeroing of huge pages is slow and uneven on virtual machines whose host backs guest memory
/// lazily; BENCHMARKS.md, issue 16, session 42). Called first thing in `main`, before the
/// batch's buffers are touched; it applies to the memory mimalloc already reserved too.
/// On a kernel without `PR_SET_THP_DISABLE` (before Linux 3.15) nothing changes.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(crate) fn small_pages_only() {
    // SAFETY: PR_SET_THP_DISABLE takes one integer (1: disable) and changes only this
    // process's page policy; the unused arguments are zero as prctl(2) asks. A failure leaves
    // the policy as it was, which is correct too, so the result is not read.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Huge pages are a Linux policy; other systems keep their default.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub(crate) fn small_pages_only() {}

#[cfg(test)]
mod tests {
    use super::*;

    /// After `small_pages_only` the kernel reports huge pages off for the process (the
    /// `THP_enabled` line of /proc/self/status, Linux 5.0 and later; skipped where absent).
    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn huge_pages_are_turned_off() {
        small_pages_only();
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        if let Some(line) = status.lines().find(|l| l.starts_with("THP_enabled:")) {
            assert_eq!(line.split_whitespace().nth(1), Some("0"), "{line}");
        }
    }

    /// Blocks of every alignment up to a page, allocated, written, grown, shrunk and freed,
    /// zeroed where asked, aligned as asked (the plain and the aligned paths both).
    #[test]
    fn blocks_are_aligned_sized_and_zeroed_as_asked() {
        for align in [1usize, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1usize, 7, 8, 24, 100, 172, 1000, 70_000] {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: a non-zero size; each block is used within its size and freed once
                // with the layout it was allocated (or reallocated) with.
                unsafe {
                    let p = Mimalloc.alloc_zeroed(layout);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "zeroed {size}/{align}");
                    assert!(std::slice::from_raw_parts(p, size).iter().all(|&b| b == 0));
                    p.write_bytes(0xA5, size);
                    let grown = Mimalloc.realloc(p, layout, size * 3);
                    assert_eq!(grown as usize % align, 0, "grown {size}/{align}");
                    assert!(std::slice::from_raw_parts(grown, size)
                        .iter()
                        .all(|&b| b == 0xA5));
                    let bigger = Layout::from_size_align(size * 3, align).unwrap();
                    let shrunk = Mimalloc.realloc(grown, bigger, size);
                    assert_eq!(shrunk as usize % align, 0, "shrunk {size}/{align}");
                    assert!(std::slice::from_raw_parts(shrunk, size)
                        .iter()
                        .all(|&b| b == 0xA5));
                    Mimalloc.dealloc(shrunk, layout);
                    let q = Mimalloc.alloc(layout);
                    assert_eq!(q as usize % align, 0, "plain {size}/{align}");
                    Mimalloc.dealloc(q, layout);
                }
            }
        }
    }
}
