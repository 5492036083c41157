//! The crate's sorts: stable on every target, and compiled once on wasm32.
//!
//! The standard library's sorts (driftsort, ipnsort) are instantiated for every element type
//! and comparator: in the npm package's checkout module they were 67 functions and 86 kB
//! before `wasm-opt` for a dozen call sites, all sorting a few items or building an engine
//! (BENCHMARKS.md, WASM, "the checkout module's code"). On wasm32 these functions sort a
//! permutation of indices with one non-generic merge sort through a `&mut dyn FnMut`
//! comparator, then move the elements into place: per call site only the comparator and the
//! permutation's swaps are compiled. Elsewhere they are the standard library's stable sorts.
//!
//! There is no unstable sort here. A stable sort's result is fixed by the comparator and the
//! input order alone (elements that compare equal keep their input order), whichever
//! algorithm computes it, so the merge sort of wasm32 and the standard library's stable sort
//! give the same order, ties included, and an output never depends on the target. An unstable
//! sort would leave the order of ties to the algorithm: native and WASM would then agree only
//! where no two different elements compare equal, which no code checks.

use std::cmp::Ordering;

/// Sorts `v` by `key`, stable (`<[T]>::sort_by_key`).
pub(crate) fn sort_by_key<T, K: Ord>(v: &mut [T], key: impl FnMut(&T) -> K) {
    #[cfg(target_arch = "wasm32")]
    {
        let mut key = key;
        by(v, &mut |a, b| key(a).cmp(&key(b)));
    }
    #[cfg(not(target_arch = "wasm32"))]
    v.sort_by_key(key);
}

/// Sorts `v` by `cmp`, stable (`<[T]>::sort_by`).
pub(crate) fn sort_by<T>(v: &mut [T], cmp: impl FnMut(&T, &T) -> Ordering) {
    #[cfg(target_arch = "wasm32")]
    {
        let mut cmp = cmp;
        by(v, &mut cmp);
    }
    #[cfg(not(target_arch = "wasm32"))]
    v.sort_by(cmp);
}

/// Sorts `v`, stable (`<[T]>::sort`).
pub(crate) fn sort<T: Ord>(v: &mut [T]) {
    #[cfg(target_arch = "wasm32")]
    by(v, &mut |a: &T, b: &T| a.cmp(b));
    #[cfg(not(target_arch = "wasm32"))]
    v.sort();
}

/// Sorts `v` by `cmp`, stable: the permutation by [`permutation`], then the elements moved
/// along its cycles (one swap per misplaced element).
#[cfg(any(target_arch = "wasm32", test))]
fn by<T>(v: &mut [T], cmp: &mut dyn FnMut(&T, &T) -> Ordering) {
    let mut order = permutation(v.len(), &mut |a, b| cmp(&v[a as usize], &v[b as usize]));
    // order[i] is the old position of the element that belongs at i. Following each cycle,
    // a swap puts one element in place; a done position is marked by order[i] == i.
    for start in 0..v.len() {
        let mut at = start;
        loop {
            let from = order[at] as usize;
            order[at] = at as u32;
            if from == start {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

/// The stable sorting permutation of `0..n` under `cmp` (which compares positions): runs of
/// 16 by insertion, then merged pairwise. Not generic, so compiled once.
#[cfg(any(target_arch = "wasm32", test))]
fn permutation(n: usize, cmp: &mut dyn FnMut(u32, u32) -> Ordering) -> Vec<u32> {
    const RUN: usize = 16;
    let mut a: Vec<u32> = (0..n as u32).collect();
    for run in a.chunks_mut(RUN) {
        for i in 1..run.len() {
            let mut j = i;
            while j > 0 && cmp(run[j - 1], run[j]) == Ordering::Greater {
                run.swap(j - 1, j);
                j -= 1;
            }
        }
    }
    if n <= RUN {
        return a;
    }
    let mut b = vec![0u32; n];
    let mut width = RUN;
    while width < n {
        for (src, dst) in a.chunks(2 * width).zip(b.chunks_mut(2 * width)) {
            let (left, right) = src.split_at(width.min(src.len()));
            let (mut i, mut j) = (0, 0);
            for slot in dst.iter_mut() {
                // Ties take the left run's element first: stable.
                let take_left = j == right.len()
                    || (i < left.len() && cmp(left[i], right[j]) != Ordering::Greater);
                *slot = if take_left { left[i] } else { right[j] };
                if take_left {
                    i += 1;
                } else {
                    j += 1;
                }
            }
        }
        std::mem::swap(&mut a, &mut b);
        width *= 2;
    }
    a
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The wasm32 sort orders as the standard library's stable sort, ties included.
        #[test]
        fn by_matches_the_stable_sort(v in proptest::collection::vec((0u8..8, any::<u16>()), 0..200)) {
            let mut ours = v.clone();
            super::by(&mut ours, &mut |a, b| a.0.cmp(&b.0));
            let mut std = v;
            std.sort_by_key(|p| p.0);
            prop_assert_eq!(ours, std);
        }

        /// This target's sorts give the wasm32 sort's order, ties included: the order of any
        /// output never depends on the target.
        #[test]
        fn every_target_orders_alike(v in proptest::collection::vec((0u8..4, 0u8..4, any::<u16>()), 0..100)) {
            let cmp = |a: &(u8, u8, u16), b: &(u8, u8, u16)| a.0.cmp(&b.0).then(b.1.cmp(&a.1));
            let mut wasm = v.clone();
            super::by(&mut wasm, &mut |a, b| cmp(a, b));
            let mut here = v.clone();
            super::sort_by(&mut here, cmp);
            prop_assert_eq!(&here, &wasm);
            let mut wasm = v.clone();
            super::by(&mut wasm, &mut |a, b| a.0.cmp(&b.0));
            let mut here = v;
            super::sort_by_key(&mut here, |p| p.0);
            prop_assert_eq!(here, wasm);
        }
    }
}
