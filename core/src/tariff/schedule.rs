//! A loaded tariff file: every revision, effective-dated, ready to look codes up in.
//!
//! A national schedule has tens of thousands of lines and dozens of revisions that mostly
//! repeat each other, so the lines are stored once and shared: each distinct duty is parsed
//! once, each description read in place in the file's own text (which the schedule keeps),
//! each line (code, duties, description) is one small `ScheduleEntry`, and a revision is only
//! the sorted list of its entries' numbers. Looking a
//! code up is a binary search per code length the revision uses (longest prefix), or one
//! range search (the lines under a code shorter than the schedule's).
//!
//! Embedded schedules are parsed on first use ([`LazySchedule`]): building an engine only
//! reads each file's header, so an engine with every national tariff builds in milliseconds.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use super::file::{self, Header, HsEdition, RawRevision, NO_DUTY};
use crate::date::Date;
use crate::duty_expr::DutyExpression;
use crate::error::{Error, ErrorCode};

/// A tariff code of 2 to 10 digits, NUL-padded: byte order is string order, so a sorted array
/// of codes puts every code right before the codes it is a prefix of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Code([u8; 10]);

/// Byte order, compared as two big-endian integers rather than by `memcmp`: every tariff
/// lookup binary-searches a revision's codes with it.
impl Ord for Code {
    #[inline]
    fn cmp(&self, other: &Code) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}

impl PartialOrd for Code {
    #[inline]
    fn partial_cmp(&self, other: &Code) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Code {
    /// The code, when `text` is 1 to 10 ASCII digits.
    pub fn new(text: &str) -> Option<Code> {
        let bytes = text.as_bytes();
        if bytes.is_empty() || bytes.len() > 10 || !bytes.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let mut code = [0u8; 10];
        code[..bytes.len()].copy_from_slice(bytes);
        Some(Code(code))
    }

    /// The bytes as two big-endian integers: their order is the bytes' order.
    #[inline]
    fn key(&self) -> (u64, u16) {
        let [a, b, c, d, e, f, g, h, i, j] = self.0;
        (
            u64::from_be_bytes([a, b, c, d, e, f, g, h]),
            u16::from_be_bytes([i, j]),
        )
    }

    /// Number of digits.
    pub fn len(&self) -> usize {
        self.0.iter().position(|&b| b == 0).unwrap_or(10)
    }

    /// Never true: a code has at least one digit.
    pub fn is_empty(&self) -> bool {
        self.0[0] == 0
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored.
        std::str::from_utf8(self.digits()).unwrap_or_default()
    }

    /// The digits as bytes, without [`Code::as_str`]'s UTF-8 check.
    fn digits(&self) -> &[u8] {
        &self.0[..self.len()]
    }
}

/// One distinct duty of a schedule, parsed once.
#[derive(Debug, Clone)]
pub struct ScheduleDuty {
    /// The rate as the source prints it; results quote it.
    pub text: Arc<str>,
    /// The rate in the duty grammar, or why it cannot be computed from a declaration.
    pub expression: Result<DutyExpression, Arc<str>>,
}

/// One line as stored: shared by every revision it is unchanged in.
#[derive(Debug, Clone, Copy)]
struct ScheduleEntry {
    code: Code,
    /// The description's length in bytes (at most [`file::MAX_DESCRIPTION_CHARS`] characters,
    /// so at most 800 bytes).
    description_len: u16,
    /// Where the description starts: in `Schedule::source`, or in `Schedule::unescaped` when
    /// [`IN_UNESCAPED`] is set.
    description: u32,
    /// Offset of the line's first column in `Schedule::columns`.
    duties: u32,
}

/// The bit of [`ScheduleEntry::description`] that says the description is in
/// `Schedule::unescaped`: offsets stay below the tariff size limit (64 MiB), far below it.
const IN_UNESCAPED: u32 = 1 << 31;

/// The text a schedule was read from, kept for its descriptions: an embedded file's static
/// text, or a shared copy of a caller's.
#[derive(Debug, Clone)]
enum SourceText {
    Static(&'static str),
    Shared(Arc<str>),
}

impl SourceText {
    fn as_str(&self) -> &str {
        match self {
            SourceText::Static(text) => text,
            SourceText::Shared(text) => text,
        }
    }
}

/// One revision: which lines are in force from its date.
#[derive(Debug, Clone)]
pub struct ScheduleRevision {
    /// Unique id (`2026-rev-10`), copied into every result that cites it (inline up to 24
    /// bytes: no allocation, and no reference count the threads would contend for).
    pub id: crate::declaration::Text,
    /// Date it takes effect.
    pub from: Date,
    /// The publisher's name for it.
    pub title: String,
    /// HS edition of its codes.
    pub edition: HsEdition,
    /// Entry numbers sorted by code.
    lines: Box<[u32]>,
    /// Bit n set when some line has n digits, or had in an earlier revision (a length whose
    /// lines were all removed costs a lookup one search that finds nothing): longest-prefix
    /// lookups try only those lengths.
    lengths: u16,
}

impl ScheduleRevision {
    /// Number of lines in force under this revision.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether the revision has no line.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// A tariff file, loaded: header, revisions and shared lines.
#[derive(Debug)]
pub struct Schedule {
    header: Header,
    duties: Vec<ScheduleDuty>,
    /// The file's text: a line's description is read where the file has it, not copied (a
    /// national file's descriptions are most of its megabyte or two).
    source: SourceText,
    /// The descriptions that held escapes (rare), unescaped one after the other.
    unescaped: String,
    entries: Vec<ScheduleEntry>,
    /// Per entry, one duty number per column ([`NO_DUTY`] for none).
    columns: Vec<u32>,
    revisions: Vec<ScheduleRevision>,
}

/// A line of one revision, as a lookup returns it.
#[derive(Debug, Clone, Copy)]
pub struct ScheduleLine<'s> {
    schedule: &'s Schedule,
    entry: &'s ScheduleEntry,
}

impl<'s> ScheduleLine<'s> {
    /// The line's code.
    pub fn code(&self) -> &'s str {
        self.entry.code.as_str()
    }

    /// Its description.
    pub fn description(&self) -> &'s str {
        let s = self.schedule;
        let at = self.entry.description;
        let (text, start) = if at & IN_UNESCAPED == 0 {
            (s.source.as_str(), at as usize)
        } else {
            (s.unescaped.as_str(), (at & !IN_UNESCAPED) as usize)
        };
        text.get(start..start + usize::from(self.entry.description_len))
            .unwrap_or_default()
    }

    /// Its duty in column `column` (0 = the first, the one assessments use by default), if it
    /// has one.
    pub fn duty(&self, column: usize) -> Option<&'s ScheduleDuty> {
        let n = *self
            .schedule
            .columns
            .get(self.entry.duties as usize + column)?;
        (n != NO_DUTY).then(|| self.schedule.duties.get(n as usize))?
    }

    /// The number of its duty in column `column`: two lines with the same number have the
    /// same published text and expression.
    pub fn duty_number(&self, column: usize) -> Option<u32> {
        let n = *self
            .schedule
            .columns
            .get(self.entry.duties as usize + column)?;
        (n != NO_DUTY).then_some(n)
    }
}

impl Schedule {
    /// Loads a tariff file for a regime whose currency is `currency`. The schedule keeps a
    /// copy of `text`, in which it reads the lines' descriptions.
    pub fn from_text(text: &str, currency: &str) -> Result<Schedule, Error> {
        Schedule::from_source(SourceText::Shared(Arc::from(text)), currency)
    }

    fn from_source(source: SourceText, currency: &str) -> Result<Schedule, Error> {
        Schedule::parse(source, currency).map_err(|e| e.from_origin(crate::Origin::Tariff))
    }

    fn parse(source: SourceText, currency: &str) -> Result<Schedule, Error> {
        // A clone of the source (a reference, or the count of a shared copy) to read from
        // while the original moves into the schedule.
        let reading = source.clone();
        let text = reading.as_str();
        let mut raw = file::parse_raw(text)?;
        check_currency(&raw.header, currency)?;
        // The reader parsed each computable expression to check it, in the header's currency,
        // which `check_currency` has just found to be the regime's.
        let expressions = std::mem::take(&mut raw.expressions);
        let duties = raw
            .duties
            .iter()
            .zip(expressions)
            .map(|(d, parsed)| {
                Ok(ScheduleDuty {
                    text: Arc::from(d.text.as_str()),
                    expression: match (&d.expression, parsed) {
                        (Ok(_), Some(parsed)) => Ok(parsed),
                        (Ok(e), None) => Ok(DutyExpression::parse(e, currency).map_err(|err| {
                            Error::new(ErrorCode::InvalidExpression, err.to_string())
                        })?),
                        (Err(reason), _) => Err(Arc::from(reason.as_str())),
                    },
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        // Every record adds at most one entry and its duties: the tables sized once instead of
        // grown by doublings (each a copy of all they held).
        let records: usize = raw.revisions.iter().map(|r| r.records.len()).sum();
        let mut builder = Builder {
            columns: raw.header.columns.len(),
            text,
            schedule: Schedule {
                header: raw.header.clone(),
                duties,
                source,
                unescaped: String::new(),
                entries: Vec::with_capacity(records),
                columns: Vec::with_capacity(raw.revisions.iter().map(|r| r.duties.len()).sum()),
                revisions: Vec::with_capacity(raw.revisions.len()),
            },
        };
        let mut previous: Vec<(Code, u32)> = Vec::new();
        let mut lengths = 0u16;
        for rev in &raw.revisions {
            // The lengths of the lines this revision adds or replaces, on top of the earlier
            // revisions': a revision changes a few of tens of thousands of lines.
            lengths = rev
                .records
                .iter()
                .filter(|r| r.description.is_some())
                .fold(lengths, |acc, r| acc | 1 << r.code.len());
            let lines = file::apply(
                &previous,
                rev,
                |(code, _)| code.digits(),
                |i, _| builder.entry(rev, i),
            )?;
            builder.revision(rev, &raw.header, &lines, lengths);
            previous = lines;
        }
        builder.schedule.unescaped.shrink_to_fit();
        Ok(builder.schedule)
    }

    /// The header: title, publisher, source, columns, confidence, dates.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Every revision, oldest first.
    pub fn revisions(&self) -> &[ScheduleRevision] {
        &self.revisions
    }

    /// The revision in force on `date`: the last whose `from` is on or before it. `None` before
    /// the first.
    pub fn revision_on(&self, date: Date) -> Option<&ScheduleRevision> {
        let n = self.revisions.partition_point(|r| r.from <= date);
        n.checked_sub(1).map(|i| &self.revisions[i])
    }

    /// The index of the column named `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.columns.iter().position(|c| c == name)
    }

    /// The lines of `revision` whose codes are prefixes of `code`, longest first (a line
    /// without a rate in some column lets the caller fall back on the shorter ones).
    pub fn prefix_lines<'s, 'c>(
        &'s self,
        revision: &'s ScheduleRevision,
        code: &'c str,
    ) -> impl Iterator<Item = ScheduleLine<'s>> + 'c
    where
        's: 'c,
    {
        let max = code.len().min(10);
        (2..=max)
            .rev()
            .filter(move |len| revision.lengths & (1 << len) != 0)
            .filter_map(move |len| {
                let wanted = Code::new(code.get(..len)?)?;
                let at = revision
                    .lines
                    .binary_search_by(|&e| self.entry(e).code.cmp(&wanted))
                    .ok()?;
                Some(self.line(revision.lines[at]))
            })
    }

    /// The line of `revision` whose code is the longest prefix of `code`.
    pub fn longest_prefix<'s>(
        &'s self,
        revision: &'s ScheduleRevision,
        code: &str,
    ) -> Option<ScheduleLine<'s>> {
        self.prefix_lines(revision, code).next()
    }

    /// The lines of `revision` whose code starts with `code` (the declared code is less
    /// precise than the schedule), in code order.
    pub fn lines_under<'s>(
        &'s self,
        revision: &'s ScheduleRevision,
        code: &str,
    ) -> impl Iterator<Item = ScheduleLine<'s>> + Clone + 's {
        let range = self.under(revision, code);
        revision.lines[range].iter().map(move |&e| self.line(e))
    }

    /// Every line of `revision`, in code order.
    pub fn lines<'s>(
        &'s self,
        revision: &'s ScheduleRevision,
    ) -> impl Iterator<Item = ScheduleLine<'s>> + 's {
        revision.lines.iter().map(move |&e| self.line(e))
    }

    /// The positions in `revision.lines` of the codes starting with `code`.
    fn under(&self, revision: &ScheduleRevision, code: &str) -> Range<usize> {
        let Some(wanted) = Code::new(code) else {
            return 0..0;
        };
        let n = wanted.len();
        let start = revision
            .lines
            .partition_point(|&e| self.entry(e).code.0[..n] < wanted.0[..n]);
        let end = start
            + revision.lines[start..]
                .partition_point(|&e| self.entry(e).code.0[..n] == wanted.0[..n]);
        start..end
    }

    /// The number of `line`'s entry in this schedule, by which [`Schedule::numbered`] gives
    /// the line back (an assessment's per-thread plan keeps it); `None` for another
    /// schedule's line.
    pub(crate) fn number_of(&self, line: &ScheduleLine<'_>) -> Option<u32> {
        let offset = (line.entry as *const ScheduleEntry as usize)
            .checked_sub(self.entries.as_ptr() as usize)?;
        let n = offset / std::mem::size_of::<ScheduleEntry>();
        let found = self.entries.get(n)?;
        std::ptr::eq(found, line.entry)
            .then_some(n)
            .and_then(|n| u32::try_from(n).ok())
    }

    /// The line whose entry is number `n` ([`Schedule::number_of`]).
    pub(crate) fn numbered(&self, n: u32) -> Option<ScheduleLine<'_>> {
        let entry = self.entries.get(n as usize)?;
        Some(ScheduleLine {
            schedule: self,
            entry,
        })
    }

    fn entry(&self, n: u32) -> &ScheduleEntry {
        &self.entries[n as usize]
    }

    fn line(&self, n: u32) -> ScheduleLine<'_> {
        ScheduleLine {
            schedule: self,
            entry: self.entry(n),
        }
    }
}

/// Builds a [`Schedule`]'s shared tables revision by revision.
struct Builder<'t> {
    columns: usize,
    /// The text being read (the schedule's `source`): a description borrowed from it is kept
    /// as its place in it.
    text: &'t str,
    schedule: Schedule,
}

impl<'t> Builder<'t> {
    /// A new entry for record `i` of `rev`.
    fn entry(&mut self, rev: &RawRevision<'t>, i: usize) -> (Code, u32) {
        let record = &rev.records[i];
        let s = &mut self.schedule;
        let text = record.description.as_deref().unwrap_or_default();
        // The reader checked the length (at most 200 characters).
        let description_len = u16::try_from(text.len()).unwrap_or(0);
        let in_source = match &record.description {
            Some(Cow::Borrowed(text)) => (text.as_ptr() as usize)
                .checked_sub(self.text.as_ptr() as usize)
                .filter(|&at| at + text.len() <= self.text.len())
                .and_then(|at| u32::try_from(at).ok())
                .filter(|&at| at & IN_UNESCAPED == 0),
            _ => None,
        };
        let description = in_source.unwrap_or_else(|| {
            // Unescaped (rare): kept apart. The texts come from one file within the tariff
            // size limit, far below the flag bit.
            let at = u32::try_from(s.unescaped.len()).unwrap_or(0) | IN_UNESCAPED;
            s.unescaped.push_str(text);
            at
        });
        // The reader checked the code (2 to 10 digits).
        let code = Code::new(record.code).unwrap_or(Code([b'0'; 10]));
        let entry = ScheduleEntry {
            code,
            description_len,
            description,
            duties: s.columns.len() as u32,
        };
        s.columns
            .extend_from_slice(&rev.duties[i * self.columns..(i + 1) * self.columns]);
        s.entries.push(entry);
        (code, s.entries.len() as u32 - 1)
    }

    /// Records a revision with its full, sorted set of lines.
    fn revision(
        &mut self,
        rev: &RawRevision<'_>,
        header: &Header,
        lines: &[(Code, u32)],
        lengths: u16,
    ) {
        self.schedule.revisions.push(ScheduleRevision {
            id: crate::declaration::Text::from(rev.id.as_str()),
            from: rev.from,
            title: rev.title.clone(),
            edition: rev.edition.unwrap_or(header.edition),
            lines: lines.iter().map(|&(_, e)| e).collect(),
            lengths,
        });
    }
}

/// Refuses a file whose rates are in another currency than the regime's.
fn check_currency(header: &Header, currency: &str) -> Result<(), Error> {
    if header.currency == currency {
        return Ok(());
    }
    Err(Error::at(
        ErrorCode::InvalidTariff,
        "currency",
        format!(
            "the tariff's rates are in {}; the regime's currency is {currency}",
            header.currency
        ),
    ))
}

/// A tariff file attached to a regime: its header read when the engine was built, the rest
/// parsed on first use (or at once, for a caller's file, so that its errors surface when the
/// engine is built).
#[derive(Debug)]
pub struct LazySchedule {
    header: Header,
    /// Where the file came from, to prefix error paths (`regimes/US/US.tariff`).
    origin: String,
    /// The text: embedded (static) text is borrowed, a caller's file given on demand is
    /// shared with the schedule, which reads its descriptions there.
    text: Option<SourceText>,
    currency: String,
    loaded: OnceLock<Result<Schedule, Error>>,
}

impl LazySchedule {
    /// A file whose header is read now and lines when first used: an embedded file, or a
    /// caller's given on demand.
    pub fn deferred(
        text: impl Into<Cow<'static, str>>,
        currency: &str,
        origin: impl Into<String>,
    ) -> Result<LazySchedule, Error> {
        let text = match text.into() {
            Cow::Borrowed(text) => SourceText::Static(text),
            Cow::Owned(text) => SourceText::Shared(Arc::from(text)),
        };
        let origin = origin.into();
        super::check_size(text.as_str())
            .map_err(|e| e.within(&origin).from_origin(crate::Origin::Tariff))?;
        let header = file::read_header(text.as_str())
            .and_then(|h| check_currency(&h, currency).map(|()| h))
            .map_err(|e| e.within(&origin).from_origin(crate::Origin::Tariff))?;
        Ok(LazySchedule {
            header,
            origin,
            text: Some(text),
            currency: currency.to_string(),
            loaded: OnceLock::new(),
        })
    }

    /// A file parsed now.
    pub fn loaded(
        text: &str,
        currency: &str,
        origin: impl Into<String>,
    ) -> Result<LazySchedule, Error> {
        let origin = origin.into();
        let schedule = Schedule::from_text(text, currency).map_err(|e| e.within(&origin))?;
        Ok(LazySchedule {
            header: schedule.header.clone(),
            origin,
            text: None,
            currency: currency.to_string(),
            loaded: OnceLock::from(Ok(schedule)),
        })
    }

    /// The header (available without parsing the lines).
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The schedule, parsing it on first use. An error is kept and returned to every caller.
    pub fn get(&self) -> Result<&Schedule, Error> {
        self.loaded
            .get_or_init(|| match &self.text {
                Some(text) => Schedule::from_source(text.clone(), &self.currency)
                    .map_err(|e| e.within(&self.origin)),
                None => Err(Error::new(
                    ErrorCode::Internal,
                    format!("tariff {} has neither text nor lines", self.origin),
                )),
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

#[cfg(test)]
mod tests;
