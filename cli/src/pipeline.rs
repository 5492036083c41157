//! A parallel, order-keeping, constant-memory NDJSON pipeline for the batch commands.
//!
//! The reader does as little as possible, since with two cores it competes with the workers:
//! it reads large blocks straight into a buffer and cuts each at its last newline (the tail
//! moves to the next block); the workers split blocks into lines. Channels are bounded, so at
//! most `2 × threads` blocks are in flight whatever the size of the input, and the writer puts
//! the workers' outputs back in input order.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

use crate::progress::Progress;

/// The input: a file, or standard input for `-` or none.
pub(crate) fn open_input(path: Option<&std::path::Path>) -> Result<Box<dyn Read>, crate::Fatal> {
    match path {
        Some(p) if p.as_os_str() != "-" => {
            Ok(Box::new(std::fs::File::open(p).map_err(|e| {
                crate::Fatal(format!("{}: {e}", p.display()))
            })?))
        }
        _ => Ok(Box::new(io::stdin())),
    }
}

/// The size of a regular input file (for a progress bar with an ETA).
pub(crate) fn input_size(path: Option<&std::path::Path>) -> Option<u64> {
    let p = path.filter(|p| p.as_os_str() != "-")?;
    std::fs::metadata(p)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len())
}

/// Most worker threads a batch command starts: far more than any machine has cores, far fewer
/// than would exhaust the process's memory for stacks.
pub(crate) const MAX_THREADS: usize = 256;

/// Parses `--threads N` (clap value parser): 1 to [`MAX_THREADS`], else a usage error (exit 2)
/// rather than a failed spawn or an allocation of `N` slots.
pub(crate) fn parse_threads(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if (1..=MAX_THREADS).contains(&n) => Ok(n),
        _ => Err(format!("expected a whole number from 1 to {MAX_THREADS}")),
    }
}

/// Worker threads: as asked, else one per core (at most [`MAX_THREADS`]).
pub(crate) fn threads(asked: Option<usize>) -> usize {
    asked
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, MAX_THREADS)
}

/// Bytes read per block.
const BLOCK: usize = 1 << 19;

/// An input buffer that grew past this (to hold a line longer than a block) is dropped after
/// its block rather than kept for reuse, so that one long line does not hold memory for the
/// rest of the run.
const KEEP_INPUT: usize = 4 * BLOCK;

/// Whole lines of the input, in a buffer the pipeline reuses.
pub(crate) struct Block {
    seq: u64,
    /// 1-based number of the block's first line.
    pub first_line: u64,
    /// The lines are `buf[start..end]`; the rest is room kept for the buffer's next use.
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// How many lines the block holds.
    lines: u64,
    /// Where each `\n` in `buf[start..end]` is, relative to `start`: the reader finds them
    /// once while counting the lines, so the worker does not scan the block again.
    ends: Vec<usize>,
    /// Lines cut to `max_line + 1` bytes: (line number, full length).
    pub long: Vec<(u64, usize)>,
    /// Whether every byte of the lines is ASCII, found by the reader in the pass that finds
    /// the newlines ([`newlines`]).
    ascii: bool,
}

impl Block {
    /// The block's lines, each ending in `\n` (the last line of the input may not).
    pub fn bytes(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    /// [`Block::bytes`] as text when every byte is ASCII (every generated or compact
    /// declaration), else `None` (the caller then validates UTF-8 line by line).
    pub fn ascii_text(&self) -> Option<&str> {
        if !self.ascii {
            return None;
        }
        // SAFETY: the reader found every byte of these lines below 0x80 (`newlines`), and they
        // have not changed since (a block's bytes are written before it is sent, and only
        // read after); ASCII is valid UTF-8.
        Some(unsafe { std::str::from_utf8_unchecked(self.bytes()) })
    }

    /// Each line (without `\n`) with its number and full length.
    pub fn lines(&self) -> impl Iterator<Item = (&[u8], u64, usize)> + '_ {
        let bytes = self.bytes();
        let mut long = self.long.iter().peekable();
        let mut start = 0;
        let ends = self
            .ends
            .iter()
            .copied()
            .chain((bytes.last() != Some(&b'\n') && !bytes.is_empty()).then_some(bytes.len()));
        ends.enumerate().map(move |(i, end)| {
            let no = self.first_line + i as u64;
            let line = &bytes[start..end];
            start = end + 1;
            let full = match long.peek() {
                Some(&&(n, full)) if n == no => {
                    long.next();
                    full
                }
                _ => line.len(),
            };
            (line, no, full)
        })
    }
}

/// A block's output, `bytes[..len]`. The bytes after it are what the buffer held before (it
/// comes from the pool with the length it had): [`Output::over`] writes over them, so that an
/// output buffer used again is not zeroed again ([`xborder::Engine::assess_ndjson_text_lines_over`]).
pub(crate) struct Output {
    bytes: Vec<u8>,
    len: usize,
}

impl Output {
    /// An empty output in `bytes`, whose bytes are room.
    fn new(bytes: Vec<u8>) -> Output {
        Output { bytes, len: 0 }
    }

    /// The output so far.
    pub fn written(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&self.bytes)
    }

    /// Appends to the output with `append`, which is handed the output as a vector (the room
    /// after it dropped).
    pub fn append<T>(&mut self, append: impl FnOnce(&mut Vec<u8>) -> T) -> T {
        self.bytes.truncate(self.len);
        let done = append(&mut self.bytes);
        self.len = self.bytes.len();
        done
    }

    /// The buffer and the end of the output in it, for a writer that writes over the room
    /// after the end and moves the end past what it wrote.
    pub fn over(&mut self) -> (&mut Vec<u8>, &mut usize) {
        (&mut self.bytes, &mut self.len)
    }

    /// Makes room for at least `more` bytes after the output (without zeroing them), with
    /// `more / 8` to spare when the buffer must grow.
    pub fn reserve(&mut self, more: usize) {
        if self.bytes.capacity() - self.len < more {
            let want = self.len + more + more / 8;
            self.bytes
                .reserve_exact(want.saturating_sub(self.bytes.len()));
        }
    }
}

/// Buffers handed back for reuse: input buffers from the workers to the reader, output buffers
/// from the writer to the workers.
///
/// Allocating a fresh buffer per block and freeing it on another thread cost more than copying
/// the bytes: the allocator returned the freed megabytes to the kernel and took new ones, which
/// the kernel zeroed page by page (issue 16's profile: 6.8 % of all time in `clear_page_erms`).
/// At most as many buffers as blocks in flight exist, so memory stays bounded.
#[derive(Default)]
struct Pool(Mutex<Vec<Vec<u8>>>);

impl Pool {
    /// A buffer of whatever length it had, or a new empty one.
    fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .ok()
            .and_then(|mut free| free.pop())
            .unwrap_or_default()
    }

    fn give(&self, buf: Vec<u8>) {
        if let Ok(mut free) = self.0.lock() {
            free.push(buf);
        }
    }
}

/// Where the stream starts: the number of its first line, and bytes already read from it
/// (whole lines) with the full length of any that was cut.
pub(crate) struct Start {
    /// Number of the first line.
    pub line: u64,
    /// Lines already read, each ending in `\n`.
    pub head: Vec<u8>,
    /// (line number, full length) of head lines cut to the limit.
    pub long: Vec<(u64, usize)>,
}

impl Default for Start {
    fn default() -> Start {
        Start {
            line: 1,
            head: Vec::new(),
            long: Vec::new(),
        }
    }
}

/// The buffers that go round between the threads.
#[derive(Default)]
struct Pools {
    input: Pool,
    output: Pool,
}

/// Runs `work` over every block of `reader` on `threads` threads, each with its own state
/// from `init`; what `work` appends to its output buffer is written to `out` in input order.
/// Returns the states. `max_line` bounds the bytes kept of one line.
///
/// Shutdown: every blocking channel operation ends when the other side goes away, so that any
/// thread stopping (the writer on a closed pipe, a worker that panicked, the reader at the end
/// or on an error) stops the others instead of leaving one blocked forever. Each endpoint is
/// owned by the threads that use it and dropped when they stop: the reader owns the work and
/// permit senders, the workers share the work receiver and own the result senders, the writer
/// owns the result and permit receivers. A worker that panics reports it to the writer, which
/// then stops.
#[allow(clippy::too_many_arguments)]
pub(crate) fn run<S, I, F>(
    reader: &mut dyn Read,
    start: Start,
    threads: usize,
    max_line: usize,
    init: I,
    work: F,
    out: Option<&mut (dyn Write + Send)>,
    progress: &Progress,
) -> io::Result<Vec<S>>
where
    S: Send,
    I: Fn() -> S + Sync,
    F: Fn(&mut S, &Block, &mut Output) + Sync,
{
    let threads = threads.max(1);
    let (work_tx, work_rx) = sync_channel::<Block>(threads * 2);
    let work_rx = Arc::new(Mutex::new(work_rx));
    let (done_tx, done_rx) = sync_channel::<Result<Done, Failed>>(threads * 2);
    // One permit per block between reading and writing: however unevenly the workers go,
    // at most this many blocks (and their outputs) exist at once.
    let (permit_tx, permit_rx) = sync_channel::<()>(threads * 4);
    let pools = Pools::default();
    let pools = &pools;
    std::thread::scope(|scope| {
        let writer = std::thread::Builder::new()
            .name("writer".into())
            .spawn_scoped(scope, move || {
                write_in_order(done_rx, permit_rx, out, progress, &pools.output)
            })?;
        let mut workers = Vec::with_capacity(threads);
        for _ in 0..threads {
            let (done_tx, work_rx, init, work) =
                (done_tx.clone(), Arc::clone(&work_rx), &init, &work);
            let spawned = std::thread::Builder::new()
                .name("worker".into())
                .spawn_scoped(scope, move || worker(&work_rx, &done_tx, pools, init, work));
            match spawned {
                Ok(handle) => workers.push(handle),
                // The threads already started stop when the senders below are dropped.
                Err(e) => return Err(e),
            }
        }
        drop((done_tx, work_rx));
        let read = read_blocks(reader, start, max_line, &pools.input, |b| {
            permit_tx.send(()).is_ok() && work_tx.send(b).is_ok()
        });
        drop((work_tx, permit_tx));
        let states: Vec<Option<S>> = workers
            .into_iter()
            .map(|w| w.join().ok().flatten())
            .collect();
        writer
            .join()
            .map_err(|_| io::Error::other("the writer thread failed"))??;
        read?;
        states
            .into_iter()
            .map(|s| s.ok_or_else(|| io::Error::other("a worker thread failed")))
            .collect()
    })
}

/// One worker: blocks from `work_rx` until it is empty and closed, each result to `done_tx`
/// until the writer goes away. Returns its state, or `None` when `work` panicked (the writer is
/// told, so that it stops rather than wait for the lost block).
///
/// Its output buffer comes from the writer's pool (already as large as a block's output, so it
/// is not grown record by record), and the block's buffer goes back to the reader's.
fn worker<S, I, F>(
    work_rx: &Mutex<Receiver<Block>>,
    done_tx: &SyncSender<Result<Done, Failed>>,
    pools: &Pools,
    init: &I,
    work: &F,
) -> Option<S>
where
    I: Fn() -> S,
    F: Fn(&mut S, &Block, &mut Output),
{
    let mut state = init();
    loop {
        let block = match work_rx.lock() {
            Ok(rx) => match rx.recv() {
                Ok(b) => b,
                Err(_) => return Some(state),
            },
            Err(_) => return Some(state),
        };
        // Its bytes kept: they are room the block's output is written over.
        let mut buf = Output::new(pools.output.take());
        let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            work(&mut state, &block, &mut buf)
        }));
        let done = match ran {
            Ok(()) => Ok(Done {
                seq: block.seq,
                lines: block.lines,
                bytes: (block.end - block.start) as u64,
                out: buf,
            }),
            Err(_) => Err(Failed),
        };
        if block.buf.len() <= KEEP_INPUT {
            pools.input.give(block.buf);
        }
        let failed = done.is_err();
        if done_tx.send(done).is_err() || failed {
            return (!failed).then_some(state);
        }
    }
}

/// A worker panicked on a block: its output is lost, so the run must fail.
struct Failed;

/// A block's output.
struct Done {
    seq: u64,
    lines: u64,
    bytes: u64,
    out: Output,
}

/// Writes the blocks' outputs in input order, each with one `write_all` (a block's output is
/// far larger than any buffer in front of the file would be, so buffering would only copy
/// it), and hands their buffers back to the workers.
fn write_in_order(
    rx: Receiver<Result<Done, Failed>>,
    permits: Receiver<()>,
    mut out: Option<&mut (dyn Write + Send)>,
    progress: &Progress,
    buffers: &Pool,
) -> io::Result<()> {
    let mut pending = BTreeMap::new();
    let (mut next, mut lines, mut bytes) = (0u64, 0u64, 0u64);
    for done in rx {
        let done = done.map_err(|Failed| io::Error::other("a worker thread failed"))?;
        pending.insert(done.seq, done);
        while let Some(d) = pending.remove(&next) {
            if let Some(w) = out.as_mut() {
                w.write_all(d.out.written())?;
            }
            // With its length: the bytes are the next output's room.
            buffers.give(d.out.bytes);
            lines += d.lines;
            bytes += d.bytes;
            progress.update(lines, bytes);
            next += 1;
            let _ = permits.try_recv();
        }
    }
    if let Some(w) = out.as_mut() {
        w.flush()?;
    }
    progress.finish();
    Ok(())
}

/// Makes `buf` at least `len` bytes long. Buffers only grow, and only the new bytes are
/// zeroed: a reused buffer is read into as it is. A buffer grows with headroom, so that reused
/// behind a slightly longer unfinished line it needs no new allocation (a `Vec` grown by a
/// few bytes doubles).
fn room(buf: &mut Vec<u8>, len: usize) {
    if buf.len() < len {
        buf.reserve_exact(len + BLOCK / 8 - buf.len());
        buf.resize(len, 0);
    }
}

/// Reads into `buf` until it is full or the input ends; returns how many bytes were read.
/// Pipes hand over 64 KiB at a time, and small blocks would cost a channel round trip each.
fn fill(reader: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Cuts the input into blocks of whole lines; `send` returns false when nobody listens.
///
/// Each block is read straight into a buffer from `pool` behind the previous block's unfinished
/// last line (copied there, a few hundred bytes), and the workers see the lines where they were
/// read: no line is copied on its way to the worker. A line longer than `max_line` keeps
/// `max_line + 1` bytes, ended by a `\n` written over its next byte, and its rest is skipped.
fn read_blocks(
    reader: &mut dyn Read,
    start: Start,
    max_line: usize,
    pool: &Pool,
    mut send: impl FnMut(Block) -> bool,
) -> io::Result<()> {
    let mut seq = 0u64;
    let mut last_lines = 0usize;
    let mut line_no = start.line;
    let mut head_long = start.long;
    // `buf[..kept]` holds input already read: the head, then each block's unfinished last line.
    let mut kept = start.head.len();
    let mut buf = start.head;
    // While skipping the rest of an over-long line: the block holding its first bytes (sent
    // once the line's full length is known), its number, and its length so far.
    let mut skipping: Option<(Block, u64, usize)> = None;
    loop {
        // One spare byte, for the `\n` that ends a cut line.
        room(&mut buf, kept + BLOCK + 1);
        let filled = kept + fill(reader, &mut buf[kept..kept + BLOCK])?;
        let eof = filled == kept;
        let mut data_start = 0;
        if let Some((mut held, no, len)) = skipping.take() {
            // Nothing is kept while skipping.
            match memchr::memchr(b'\n', &buf[..filled]) {
                Some(i) => {
                    held.long.push((no, len + i));
                    data_start = i + 1;
                }
                None if eof => held.long.push((no, len)),
                None => {
                    skipping = Some((held, no, len + filled));
                    continue;
                }
            }
            if !send(held) {
                return Ok(());
            }
        }
        let cut = if eof {
            filled
        } else {
            memchr::memrchr(b'\n', &buf[data_start..filled])
                .map_or(data_start, |i| data_start + i + 1)
        };
        let tail = filled - cut;
        let too_long = !eof && tail > max_line;
        let mut end = cut;
        if too_long {
            // A line longer than the limit: keep `max_line + 1` bytes of it, skip the rest.
            end = cut + max_line + 1;
            buf[end] = b'\n';
            end += 1;
        }
        if end == data_start {
            // No whole line yet: read on behind what is kept.
            buf.copy_within(cut..filled, 0);
            kept = tail;
            if eof {
                return Ok(());
            }
            continue;
        }
        let mut next = pool.take();
        kept = 0;
        if !too_long {
            room(&mut next, tail + BLOCK + 1);
            next[..tail].copy_from_slice(&buf[cut..filled]);
            kept = tail;
        }
        let (ends, ascii) = line_ends(&buf[data_start..end], last_lines);
        last_lines = ends.len();
        // The cut line's `\n` is among `ends`; the lines complete in the input are the others.
        let complete = ends.len() as u64 - u64::from(too_long);
        let lines = ends.len() as u64 + u64::from(buf[end - 1] != b'\n');
        let block = Block {
            seq,
            first_line: line_no,
            buf: std::mem::replace(&mut buf, next),
            start: data_start,
            end,
            lines,
            ends,
            long: std::mem::take(&mut head_long),
            ascii,
        };
        let skipped_at = line_no + complete;
        line_no += lines;
        seq += 1;
        if too_long {
            skipping = Some((block, skipped_at, tail));
            continue;
        }
        if !send(block) || eof {
            return Ok(());
        }
    }
}

/// The index of every `\n` in a block's `bytes` and whether they are all ASCII ([`newlines`]),
/// the vector sized from the last block's count of lines, so that it rarely grows.
fn line_ends(bytes: &[u8], last_lines: usize) -> (Vec<usize>, bool) {
    let mut ends = Vec::with_capacity(last_lines + last_lines / 8 + 8);
    let ascii = newlines(bytes, &mut ends);
    (ends, ascii)
}

/// Pushes onto `ends` the index of every `\n` in `bytes`, in order, and tells whether every
/// byte is ASCII: both in one pass over the block, which the worker then need not read again
/// for its ASCII test (they were two passes of about 145 instructions each a generated EU
/// line: `memchr_iter` here, `input::ascii_text` in the worker). With AVX2, 128 bytes a turn;
/// without it, the two passes.
fn newlines(bytes: &[u8], ends: &mut Vec<usize>) -> bool {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2, checked just above.
        return unsafe { newlines_avx2(bytes, ends) };
    }
    ends.extend(memchr::memchr_iter(b'\n', bytes));
    bytes.is_ascii()
}

/// [`newlines`] with AVX2: each turn loads 128 bytes as four vectors, ORs them into the
/// accumulator whose top bits say whether a byte was not ASCII, and compares them with `\n`;
/// only a turn with a newline (one in seven on 900-byte lines) takes the compares' masks
/// apart. The last bytes (fewer than 128) go one by one.
///
/// # Safety
/// The processor must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn newlines_avx2(bytes: &[u8], ends: &mut Vec<usize>) -> bool {
    use std::arch::x86_64::{
        __m256i, _mm256_cmpeq_epi8, _mm256_loadu_si256, _mm256_movemask_epi8, _mm256_or_si256,
        _mm256_set1_epi8, _mm256_setzero_si256, _mm256_testz_si256,
    };
    let newline = _mm256_set1_epi8(b'\n' as i8);
    let mut high = _mm256_setzero_si256();
    let mut chunks = bytes.chunks_exact(128);
    let mut at = 0;
    for chunk in &mut chunks {
        let p = chunk.as_ptr().cast::<__m256i>();
        // SAFETY: `chunk` is 128 bytes long, so the four unaligned 32-byte loads at 0, 32, 64
        // and 96 are within it.
        let [a, b, c, d] = unsafe {
            [
                _mm256_loadu_si256(p),
                _mm256_loadu_si256(p.add(1)),
                _mm256_loadu_si256(p.add(2)),
                _mm256_loadu_si256(p.add(3)),
            ]
        };
        high = _mm256_or_si256(
            high,
            _mm256_or_si256(_mm256_or_si256(a, b), _mm256_or_si256(c, d)),
        );
        let found = [
            _mm256_cmpeq_epi8(a, newline),
            _mm256_cmpeq_epi8(b, newline),
            _mm256_cmpeq_epi8(c, newline),
            _mm256_cmpeq_epi8(d, newline),
        ];
        let any = _mm256_or_si256(
            _mm256_or_si256(found[0], found[1]),
            _mm256_or_si256(found[2], found[3]),
        );
        if _mm256_testz_si256(any, any) == 0 {
            let masks = found.map(|f| _mm256_movemask_epi8(f) as u32);
            push_ends(ends, at, masks);
        }
        at += 128;
    }
    let mut ascii = _mm256_movemask_epi8(high) == 0;
    for (k, &b) in chunks.remainder().iter().enumerate() {
        if b == b'\n' {
            ends.push(at + k);
        }
        ascii &= b.is_ascii();
    }
    ascii
}

/// The newlines of a 128-byte turn of [`newlines_avx2`] at `at`, one bit each in the four
/// 32-byte `masks`, pushed onto `ends`. Out of line, so that the loop calls nothing (a call
/// in it, the vector's growth, made the compiler keep the loop's vectors on the stack).
#[cfg(target_arch = "x86_64")]
#[inline(never)]
fn push_ends(ends: &mut Vec<usize>, at: usize, masks: [u32; 4]) {
    for (k, mut mask) in masks.into_iter().enumerate() {
        while mask != 0 {
            ends.push(at + 32 * k + mask.trailing_zeros() as usize);
            mask &= mask - 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`newlines`] finds what `memchr_iter` and `is_ascii` find, on every length around the
    /// 128-byte turns, with newlines and non-ASCII bytes at every place.
    #[test]
    fn newlines_finds_every_newline_and_any_non_ascii_byte() {
        let check = |b: &[u8]| {
            let mut ends = vec![7];
            let ascii = newlines(b, &mut ends);
            let mut want = vec![7];
            want.extend(memchr::memchr_iter(b'\n', b));
            assert_eq!((ends, ascii), (want, b.is_ascii()), "{b:?}");
        };
        for len in 0..300 {
            let plain: Vec<u8> = (0..len).map(|k| b'a' + (k % 26) as u8).collect();
            check(&plain);
            for at in 0..len {
                for c in [b'\n', 0x80, 0xff, 0x7f, 0] {
                    let mut v = plain.clone();
                    v[at] = c;
                    check(&v);
                    if at + 1 < len {
                        v[at + 1] = b'\n';
                        check(&v);
                    }
                }
            }
        }
        let dense: Vec<u8> = (0..1000)
            .map(|k| if k % 3 == 0 { b'\n' } else { b'x' })
            .collect();
        check(&dense);
    }

    /// Every line `read_blocks` gives, reading from `reader` in pieces of at most `piece`
    /// bytes (as pipes do) and handing each block's buffer back for reuse at once, so that
    /// later blocks are read into buffers still holding earlier bytes.
    fn lines_in_pieces(input: &[u8], max_line: usize, piece: usize) -> Vec<(Vec<u8>, u64, usize)> {
        struct Pieces<'a>(&'a [u8], usize);
        impl Read for Pieces<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = buf.len().min(self.1).min(self.0.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut out = Vec::new();
        let pool = Pool::default();
        read_blocks(
            &mut Pieces(input, piece),
            Start::default(),
            max_line,
            &pool,
            |b| {
                for (l, no, full) in b.lines() {
                    out.push((l.to_vec(), no, full));
                }
                pool.give(b.buf);
                true
            },
        )
        .unwrap();
        out
    }

    fn lines_of(input: &[u8], max_line: usize) -> Vec<(Vec<u8>, u64, usize)> {
        let lines = lines_in_pieces(input, max_line, usize::MAX);
        assert_eq!(lines_in_pieces(input, max_line, 1000), lines);
        lines
    }

    #[test]
    fn blocks_keep_lines_whole_and_numbered() {
        let mut input = Vec::new();
        for i in 0..300_000 {
            input.extend_from_slice(format!("line {i}\n").as_bytes());
        }
        input.extend_from_slice(b"last without newline");
        let lines = lines_of(&input, 100);
        assert_eq!(lines.len(), 300_001);
        assert_eq!(lines[123_456].0, b"line 123456");
        assert_eq!(lines[123_456].1, 123_457);
        assert_eq!(lines[300_000].0, b"last without newline");
    }

    /// Runs `pipeline::run` over `blocks` blocks of input on its own thread and fails the test
    /// when it has not returned within a minute (it takes milliseconds): a stopped thread must
    /// stop the others, never leave one blocked.
    fn run_must_end(
        blocks: usize,
        threads: usize,
        out: Option<Box<dyn Write + Send>>,
        work: fn(&Block),
    ) -> io::Result<()> {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = vec![b'x'; 99];
            line.push(b'\n');
            let input = line.repeat(blocks * BLOCK / 100);
            let mut out = out;
            let progress = Progress::new(false, None, "lines");
            let result = run(
                &mut &input[..],
                Start::default(),
                threads,
                1000,
                || (),
                |_, block, out| {
                    work(block);
                    out.append(|out| out.extend_from_slice(block.bytes()));
                },
                out.as_mut().map(|w| &mut **w as &mut (dyn Write + Send)),
                &progress,
            );
            let _ = tx.send(result.map(|_| ()));
        });
        rx.recv_timeout(std::time::Duration::from_secs(60))
            .expect("the pipeline hung")
    }

    /// A writer that fails at once, as on a closed pipe.
    struct ClosedPipe;
    impl Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_worker_that_panics_stops_the_pipeline() {
        // The old pipeline hung here every time: the reader waited on a full work queue that
        // no live worker would ever drain.
        for threads in [1, 2] {
            let e = run_must_end(16, threads, None, |b| {
                if b.seq == 0 {
                    panic!("a bug in a worker");
                }
            })
            .unwrap_err();
            assert!(e.to_string().contains("worker"), "{e}");
        }
    }

    #[test]
    fn a_writer_that_fails_stops_the_pipeline() {
        for threads in [1, 2, 3, 4] {
            for _ in 0..5 {
                let slow = |_: &Block| std::thread::sleep(std::time::Duration::from_millis(2));
                let e = run_must_end(16, threads, Some(Box::new(ClosedPipe)), slow).unwrap_err();
                assert_eq!(e.kind(), io::ErrorKind::BrokenPipe);
            }
        }
    }

    #[test]
    fn over_long_lines_are_cut_and_measured() {
        let mut input = b"short\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', 3 * BLOCK + 17));
        input.extend_from_slice(b"\nafter\n");
        input.extend(std::iter::repeat_n(b'y', 2 * BLOCK));
        let lines = lines_of(&input, 1000);
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[1].0.len(), 1001);
        assert_eq!((lines[1].1, lines[1].2), (2, 3 * BLOCK + 17));
        assert_eq!(
            (lines[2].0.as_slice(), lines[2].1, lines[2].2),
            (&b"after"[..], 3, 5)
        );
        assert_eq!((lines[3].1, lines[3].2), (4, 2 * BLOCK));
    }

    /// Lines of every length from empty to twice the limit, in reused buffers and read in
    /// pieces: each comes once, in order, numbered, with its full length, and whole or cut to
    /// `max_line + 1` bytes (a line longer than the limit is cut only when it crosses the end
    /// of a block).
    #[test]
    fn reused_buffers_give_every_line_once_in_order() {
        let max_line = 3000;
        let mut input = Vec::new();
        let mut expected = Vec::new();
        let mut x = 12345u64;
        while input.len() < 5 * BLOCK {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = (x >> 33) as usize % (2 * max_line);
            let line: Vec<u8> = (0..len)
                .map(|i| b'a' + ((i + expected.len()) % 26) as u8)
                .collect();
            input.extend_from_slice(&line);
            input.push(b'\n');
            expected.push(line);
        }
        for piece in [usize::MAX, 4096, 777] {
            let lines = lines_in_pieces(&input, max_line, piece);
            assert_eq!(lines.len(), expected.len(), "piece {piece}");
            for (i, ((kept, no, full), line)) in lines.iter().zip(&expected).enumerate() {
                assert_eq!((*no, *full), (i as u64 + 1, line.len()), "piece {piece}");
                assert!(
                    kept.len() == line.len() || kept.len() == max_line + 1,
                    "line {no}"
                );
                assert_eq!(kept[..], line[..kept.len()], "line {no}");
            }
        }
    }

    /// Blocks that finish out of order on several threads, in reused buffers, are written in
    /// input order: no line is lost, duplicated or moved.
    #[test]
    fn run_writes_every_line_once_in_input_order() {
        let mut input = Vec::new();
        for i in 0..200_000u32 {
            input.extend_from_slice(format!("{i} {}\n", "y".repeat(i as usize % 50)).as_bytes());
        }
        for threads in [1, 2, 3, 4] {
            let mut out = Vec::new();
            let progress = Progress::new(false, None, "lines");
            let states = run(
                &mut &input[..],
                Start::default(),
                threads,
                1000,
                || 0u64,
                |count, block, out| {
                    // Later blocks first, now and then.
                    if block.seq % 3 == 0 {
                        std::thread::sleep(std::time::Duration::from_millis(3));
                    }
                    for (line, no, _) in block.lines() {
                        out.append(|out| {
                            out.extend_from_slice(format!("{no}:").as_bytes());
                            out.extend_from_slice(line);
                            out.push(b'\n');
                        });
                        *count += 1;
                    }
                },
                Some(&mut out),
                &progress,
            )
            .unwrap();
            assert_eq!(states.iter().sum::<u64>(), 200_000);
            let mut expected = Vec::new();
            for (i, line) in input.split_inclusive(|&b| b == b'\n').enumerate() {
                expected.extend_from_slice(format!("{}:", i + 1).as_bytes());
                expected.extend_from_slice(line);
            }
            assert!(out == expected, "{threads} threads");
        }
    }
}
