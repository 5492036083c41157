//! Independent pieces of work shared out over a few scoped threads: what
//! [`crate::EngineBuilder::build`] reads before anything else (the regime packs and the
//! official rate tables) at the start of every CLI run (issue 16).
//!
//! A batch on two cores had one of them idle while the other read twenty packs and tables
//! (about 30 M instructions, some 9 ms, before the first record); read on both, that wait is
//! about halved. The result is the one a single thread gives: every task runs to its end, the
//! answers are returned in task order, and the caller looks at them in that order, so an error
//! is the one the sequential reading meets first. A thread the system refuses to start is done
//! without: the others, the caller's at least, take its share. Not compiled for wasm32, which
//! has no threads: the builder reads there one text after another.

/// `f(0)`, `f(1)` … `f(sizes.len() - 1)`, in that order, computed on up to `threads` threads
/// (the caller's among them). `sizes[i]` is task `i`'s size, which its cost grows with: tasks
/// are taken from a shared counter largest first, since the last one taken decides when all
/// are done, so uneven tasks still share out evenly.
pub(crate) fn map<T: Send>(
    threads: usize,
    sizes: &[usize],
    f: impl Fn(usize) -> T + Sync,
) -> Vec<T> {
    if threads > 1 && sizes.len() > 1 {
        return on_threads(threads.min(sizes.len()), &largest_first(sizes), &f);
    }
    (0..sizes.len()).map(f).collect()
}

fn on_threads<T: Send>(
    threads: usize,
    order: &[usize],
    f: &(impl Fn(usize) -> T + Sync),
) -> Vec<T> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
            done.push((i, f(i)));
        }
        done
    };
    let mut done = std::thread::scope(|scope| {
        // A thread the system refuses is simply not used: the others take its share.
        let helpers: Vec<_> = (1..threads)
            .filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, work).ok())
            .collect();
        let mut done = work();
        for helper in helpers {
            // A task that panicked panics here, in the caller's thread, as it would have
            // without the helpers.
            done.extend(
                helper
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p)),
            );
        }
        done
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, t)| t).collect()
}

/// Indices `0..sizes.len()`, largest size first, ties in index order.
fn largest_first(sizes: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    order.sort_unstable_by_key(|&i| (std::cmp::Reverse(sizes[i]), i));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_come_back_in_task_order_whatever_the_threads() {
        let sizes = [5usize, 90, 1, 40, 40, 7, 300, 2];
        assert_eq!(largest_first(&sizes), vec![6, 1, 3, 4, 5, 0, 7, 2]);
        let expected: Vec<String> = sizes.iter().map(|s| format!("task of {s}")).collect();
        for threads in [0, 1, 2, 3, 8, 64] {
            let got = map(threads, &sizes, |i| format!("task of {}", sizes[i]));
            assert_eq!(got, expected, "{threads} threads");
        }
    }

    #[test]
    fn every_task_runs_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let runs: Vec<AtomicUsize> = (0..100).map(|_| AtomicUsize::new(0)).collect();
        let sizes: Vec<usize> = (0..100).map(|i| i % 7).collect();
        let got = map(4, &sizes, |i| {
            runs[i].fetch_add(1, Ordering::Relaxed);
            i * 2
        });
        assert_eq!(got, (0..100).map(|i| i * 2).collect::<Vec<_>>());
        assert!(runs.iter().all(|r| r.load(Ordering::Relaxed) == 1));
    }

    #[test]
    fn no_tasks_no_answers() {
        assert!(map(2, &[], |i| i).is_empty());
        assert_eq!(map(2, &[3], |i| i + 1), vec![1]);
    }

    #[test]
    fn a_panicking_task_panics_in_the_caller() {
        let caught = std::panic::catch_unwind(|| {
            map(2, &[1, 1, 1, 1], |i| {
                assert_ne!(i, 2, "task 2 fails");
                i
            })
        });
        assert!(caught.is_err());
    }
}
