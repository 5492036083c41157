//! The tariff file (`xborder-tariff 1`, `docs/tariff-format.md`): its data model, a reader that
//! materialises every revision in full, and a writer that validates, deduplicates the duty
//! texts and writes each revision after the first as its changes against the one before.
//!
//! The converters of `xborder tariff import` build a [`Header`] and a list of full
//! [`Revision`]s from an official file and call [`write()`]; [`read`] gives the same values back.
//! The engine reads the same text through `parse_raw` into its own compact schedule, so both
//! share one definition of the layout.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use crate::date::Date;
use crate::duty_expr::DutyExpression;
use crate::error::{Error, ErrorCode};
use crate::regime::pack::Confidence;

/// The first line of every tariff file; also how a loader tells the format from CSV and JSON.
pub const MAGIC: &str = "xborder-tariff\t1";
/// Longest line description, in characters: enough for a person to recognise the goods.
pub const MAX_DESCRIPTION_CHARS: usize = 200;

/// An edition of the Harmonized System nomenclature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum HsEdition {
    /// HS 2017, in force from 2017-01-01 to 2021-12-31.
    Hs2017,
    /// HS 2022, in force from 2022-01-01.
    Hs2022,
}

impl HsEdition {
    /// The edition in force on `date` (WCO: HS 2017 from 2017-01-01, HS 2022 from 2022-01-01);
    /// `None` before 2017, whose editions no tariff file uses.
    pub fn in_force_on(date: Date) -> Option<HsEdition> {
        if date.year() >= 2022 {
            Some(HsEdition::Hs2022)
        } else if date.year() >= 2017 {
            Some(HsEdition::Hs2017)
        } else {
            None
        }
    }

    /// The spelling used in files: `HS2017`, `HS2022`.
    pub fn as_str(self) -> &'static str {
        match self {
            HsEdition::Hs2017 => "HS2017",
            HsEdition::Hs2022 => "HS2022",
        }
    }
}

impl fmt::Display for HsEdition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for HsEdition {
    type Err = String;

    fn from_str(s: &str) -> Result<HsEdition, String> {
        match s {
            "HS2017" => Ok(HsEdition::Hs2017),
            "HS2022" => Ok(HsEdition::Hs2022),
            _ => Err(format!(
                "{s:?} is not an HS edition; expected HS2017 or HS2022"
            )),
        }
    }
}

/// The header of a tariff file: what the schedule is and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Regime id the tariff belongs to (`US`).
    pub regime: String,
    /// ISO 4217 currency of every specific rate; must equal the regime's.
    pub currency: String,
    /// HS edition of the codes (a revision may override it).
    pub edition: HsEdition,
    /// The schedule's name.
    pub title: String,
    /// Who publishes it.
    pub publisher: String,
    /// The dataset it was converted from, as precisely as possible.
    pub source: String,
    /// Terms of reuse of the data.
    pub licence: String,
    /// Names of the duty columns; the first is the one assessments use unless a pack rule
    /// picks another.
    pub columns: Vec<String>,
    /// How sure the data is, as in regime packs.
    pub confidence: Confidence,
    /// When the file was made and spot-checked against the source.
    pub checked: Date,
    /// Last date on which the latest revision is known to be the schedule in force.
    pub current_through: Option<Date>,
    /// The command that wrote the file.
    pub converter: Option<String>,
    /// Anything a user must know (what is left out, how sure it is).
    pub notes: Vec<String>,
}

/// One rate of one line in one column.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Duty {
    /// The rate exactly as the source prints it, so a result can quote the law.
    pub text: String,
    /// The same rate in xborder's duty grammar; `Err(reason)` when it cannot be computed from
    /// a declaration (assessing it fails with `E_DUTY_NOT_COMPUTABLE` quoting the reason).
    pub expression: Result<String, String>,
}

/// One line of the schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 2 to 10 digits, no dots.
    pub code: String,
    /// One entry per column of the header; `None` when the line has no rate in that column.
    pub duties: Vec<Option<Duty>>,
    /// A short description (at most [`MAX_DESCRIPTION_CHARS`] characters) that stands alone.
    pub description: String,
}

/// One revision of the schedule, with its full set of lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// Unique id (`2026-rev-10`).
    pub id: String,
    /// Date it takes effect.
    pub from: Date,
    /// The publisher's name for it.
    pub title: String,
    /// Its HS edition when it differs from the header's.
    pub edition: Option<HsEdition>,
    /// Every line in force under this revision (in any order; the writer sorts them).
    pub lines: Vec<Line>,
}

/// Shortens `text` to a line description: whitespace runs (tabs and line breaks included)
/// become one space, and text over [`MAX_DESCRIPTION_CHARS`] characters is cut at a word
/// boundary where possible and ends with `…`. Converters use it so that [`write()`] accepts every
/// description.
pub fn short_description(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= MAX_DESCRIPTION_CHARS {
        return collapsed;
    }
    let cut: String = collapsed.chars().take(MAX_DESCRIPTION_CHARS - 1).collect();
    let keep = match cut.rfind(' ') {
        Some(i) if i > MAX_DESCRIPTION_CHARS / 2 => &cut[..i],
        _ => &cut,
    };
    format!("{}…", keep.trim_end_matches([',', ';', ':', ' ']))
}

/// Writes a tariff file: validates the header and every line (each expression is parsed with
/// the duty grammar in the header's currency), sorts each revision's lines by code, writes
/// each distinct duty once (numbered in order of first use) and each revision after the first
/// as its changes against the one before. The same input always gives the same bytes.
///
/// An invalid expression is a converter bug: it fails with `E_INVALID_EXPRESSION` naming the
/// revision, the code and the published text. Any other invalid value fails with
/// `E_INVALID_TARIFF` and the path of the value (`revisions[2].lines[61091000]`).
pub fn write(header: &Header, revisions: &[Revision]) -> Result<String, Error> {
    check_header(header)?;
    if revisions.is_empty() {
        return Err(Error::at(
            ErrorCode::InvalidTariff,
            "revisions",
            "a tariff file needs at least one revision",
        ));
    }
    let sorted = sorted_revisions(header, revisions)?;
    let mut out = String::with_capacity(64 * sorted.iter().map(|r| r.len()).sum::<usize>());
    write_header(&mut out, header);
    // Lines of each revision that the file must spell out: all of the first, then the changes.
    let mut deltas: Vec<Vec<Change<'_>>> = Vec::with_capacity(sorted.len());
    for (i, lines) in sorted.iter().enumerate() {
        deltas.push(match i {
            0 => lines.iter().map(|l| Change::Set(l)).collect(),
            _ => changes(&sorted[i - 1], lines),
        });
    }
    let mut numbers: HashMap<&Duty, usize> = HashMap::new();
    let mut table: Vec<&Duty> = Vec::new();
    for change in deltas.iter().flatten() {
        if let Change::Set(line) = change {
            for duty in line.duties.iter().flatten() {
                numbers.entry(duty).or_insert_with(|| {
                    table.push(duty);
                    table.len() - 1
                });
            }
        }
    }
    out.push_str("%duties\n");
    for duty in &table {
        push_escaped(&mut out, &duty.text);
        out.push('\t');
        match &duty.expression {
            Ok(e) => push_escaped(&mut out, e),
            Err(reason) => {
                out.push('!');
                push_escaped(&mut out, reason);
            }
        }
        out.push('\n');
    }
    for (revision, delta) in revisions.iter().zip(&deltas) {
        out.push_str("%revision\t");
        for (i, field) in [
            revision.id.as_str(),
            &revision.from.to_string(),
            &revision.title,
        ]
        .into_iter()
        .enumerate()
        {
            if i > 0 {
                out.push('\t');
            }
            push_escaped(&mut out, field);
        }
        if let Some(edition) = revision.edition {
            out.push('\t');
            out.push_str(edition.as_str());
        }
        out.push('\n');
        for change in delta {
            match change {
                Change::Remove(code) => {
                    out.push_str("-\t");
                    out.push_str(code);
                }
                Change::Set(line) => {
                    out.push_str(&line.code);
                    for duty in &line.duties {
                        out.push('\t');
                        match duty {
                            Some(d) => out.push_str(&numbers[d].to_string()),
                            None => out.push('-'),
                        }
                    }
                    out.push('\t');
                    push_escaped(&mut out, &line.description);
                }
            }
            out.push('\n');
        }
    }
    Ok(out)
}

/// Reads a tariff file, materialising every revision in full (lines sorted by code).
///
/// Errors are `E_INVALID_TARIFF` (or `E_INVALID_EXPRESSION` for a duty that does not parse)
/// with the line number as the path (`line 1234`), or `E_TARIFF_TOO_LARGE`.
pub fn read(text: &str) -> Result<(Header, Vec<Revision>), Error> {
    let raw = parse_raw(text)?;
    let columns = raw.header.columns.len();
    let mut revisions: Vec<Revision> = Vec::with_capacity(raw.revisions.len());
    for rev in &raw.revisions {
        let previous = revisions.last().map_or(&[][..], |r| &r.lines[..]);
        let lines = apply(
            previous,
            rev,
            |l| l.code.as_bytes(),
            |i, record| Line {
                code: record.code.to_string(),
                duties: rev.duties[i * columns..(i + 1) * columns]
                    .iter()
                    .map(|&n| (n != NO_DUTY).then(|| raw.duties[n as usize].clone()))
                    .collect(),
                description: record
                    .description
                    .as_deref()
                    .unwrap_or_default()
                    .to_string(),
            },
        )?;
        revisions.push(Revision {
            id: rev.id.clone(),
            from: rev.from,
            title: rev.title.clone(),
            edition: rev.edition,
            lines,
        });
    }
    Ok((raw.header, revisions))
}

/// Marks "no rate in this column" in [`RawRevision::duties`].
pub(crate) const NO_DUTY: u32 = u32::MAX;

/// A tariff file as written: the header, the duty table and each revision's records (all
/// lines for the first, changes for the others). Shared by [`read`] and the engine's loader.
#[derive(Debug)]
pub(crate) struct Raw<'a> {
    /// The header.
    pub header: Header,
    /// The `%duties` table, in file order.
    pub duties: Vec<Duty>,
    /// Each duty's expression as parsed to check it (`None` for one not computable), so the
    /// engine does not parse it again.
    pub expressions: Vec<Option<DutyExpression>>,
    /// The revisions, in file order (ascending `from`).
    pub revisions: Vec<RawRevision<'a>>,
}

/// One revision as written.
#[derive(Debug)]
pub(crate) struct RawRevision<'a> {
    /// Unique id.
    pub id: String,
    /// Date it takes effect.
    pub from: Date,
    /// The publisher's name for it.
    pub title: String,
    /// Its HS edition when it overrides the header's.
    pub edition: Option<HsEdition>,
    /// Line records and removals, sorted by code.
    pub records: Vec<Record<'a>>,
    /// For record `i`, its duty numbers for every column at `i * columns ..`; [`NO_DUTY`] for
    /// a column without a rate (and for every column of a removal).
    pub duties: Vec<u32>,
}

/// One line record or removal.
#[derive(Debug)]
pub(crate) struct Record<'a> {
    /// The line's code.
    pub code: &'a str,
    /// The description; `None` for a removal (`- TAB code`).
    pub description: Option<Cow<'a, str>>,
    /// 1-based line number in the file, for errors.
    pub line_no: usize,
}

/// Applies one revision's records to the lines of the revision before it (empty for the
/// first), giving the full sorted set of lines. `code` reads a built line's code; `build`
/// makes a line from record `i`. Fails when a removal names a code that is not there.
///
/// A later revision changes a few lines of tens of thousands (the US file has 44 revisions):
/// the unchanged lines between two records are found by a galloping search and copied as one
/// slice, not compared and pushed one by one.
pub(crate) fn apply<T>(
    previous: &[T],
    revision: &RawRevision<'_>,
    code: impl Fn(&T) -> &[u8],
    mut build: impl FnMut(usize, &Record<'_>) -> T,
) -> Result<Vec<T>, Error>
where
    T: Clone,
{
    let mut out = Vec::with_capacity(previous.len() + revision.records.len());
    let mut old = previous;
    for (i, record) in revision.records.iter().enumerate() {
        let wanted = record.code.as_bytes();
        let before = leading(old, |l| code(l) < wanted);
        out.extend_from_slice(&old[..before]);
        old = &old[before..];
        let replaced = old.first().is_some_and(|l| code(l) == wanted);
        if replaced {
            old = &old[1..];
        }
        match &record.description {
            Some(_) => out.push(build(i, record)),
            None if replaced => {}
            None => {
                return Err(invalid(
                    record.line_no,
                    format!(
                        "revision {} removes line {}, which the revision before does not have",
                        revision.id, record.code
                    ),
                ))
            }
        }
    }
    out.extend_from_slice(old);
    Ok(out)
}

/// How many of the first elements of `items` satisfy `before` (true for a prefix of them, then
/// false): an exponential search from the start, then a binary search in the last step, so a
/// short prefix costs a few tests and a long one a logarithm.
fn leading<T>(items: &[T], before: impl Fn(&T) -> bool) -> usize {
    let mut bound = 1;
    while bound <= items.len() && before(&items[bound - 1]) {
        bound *= 2;
    }
    let known = bound / 2;
    let end = bound.min(items.len() + 1) - 1;
    known + items[known..end].partition_point(before)
}

/// Parses the layout of a tariff file without materialising revisions, checking everything
/// that can be checked line by line (see `docs/tariff-format.md`).
pub(crate) fn parse_raw(text: &str) -> Result<Raw<'_>, Error> {
    let mut lines = records(text)?;
    let (header, duties_at) = parse_header(&mut lines)?;
    let columns = header.columns.len();
    let mut duties = Vec::new();
    let mut expressions = Vec::new();
    let mut revisions: Vec<RawRevision<'_>> = Vec::new();
    let mut ids = HashSet::new();
    let mut next = lines.next();
    while let Some((n, line)) = next {
        if line.starts_with("%revision") {
            break;
        }
        let (duty, expression) = parse_duty(n, line, &header.currency)?;
        duties.push(duty);
        expressions.push(expression);
        next = lines.next();
    }
    if next.is_none() {
        return Err(invalid(
            duties_at,
            "the file has no revision (%revision TAB id TAB from TAB title)",
        ));
    }
    while let Some((n, line)) = next {
        if let Some(rest) = line.strip_prefix("%revision\t") {
            let mut rev = parse_revision_line(n, rest)?;
            if revisions.is_empty() {
                // The first revision holds nearly every line: its records sized from the
                // bytes left at about 100 a line (the embedded files have 65 to 290), not
                // grown by doublings. Only the parse holds them.
                let at = (line.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
                let left = text.len().saturating_sub(at);
                rev.records.reserve(left / 100);
                // A duty field takes two bytes at least: never more room than the text allows.
                rev.duties
                    .reserve((left / 100).saturating_mul(columns).min(left / 2));
            }
            if !ids.insert(rev.id.clone()) {
                return Err(invalid(n, format!("revision id {} appears twice", rev.id)));
            }
            if let Some(before) = revisions.last().filter(|b| b.from > rev.from) {
                return Err(invalid(
                    n,
                    format!(
                        "revision {} takes effect on {}, before revision {} ({}): revisions must be in ascending order of date",
                        rev.id, rev.from, before.id, before.from
                    ),
                ));
            }
            revisions.push(rev);
        } else {
            let Some(rev) = revisions.last_mut() else {
                return Err(invalid(n, "expected %revision"));
            };
            let first = ids.len() == 1;
            parse_record(n, line, rev, columns, duties.len(), first)?;
        }
        next = lines.next();
    }
    Ok(Raw {
        header,
        duties,
        expressions,
        revisions,
    })
}

/// Reads only the magic line and the header: cheap, so an engine can check an embedded
/// tariff's regime and currency when it is built and parse the rest on first use.
pub fn read_header(text: &str) -> Result<Header, Error> {
    records(text)
        .and_then(|mut r| parse_header(&mut r))
        .map(|(header, _)| header)
        .map_err(|e| e.from_origin(crate::Origin::Tariff))
}

/// Whether `text` is a tariff file (starts with the magic line) rather than a CSV or JSON
/// tariff.
pub fn is_tariff_file(text: &str) -> bool {
    text.strip_prefix(MAGIC)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('\n') || rest.starts_with("\r\n"))
}

/// The numbered lines after the magic line, without blank lines and comments, once the size
/// and the magic line are checked.
fn records(text: &str) -> Result<impl Iterator<Item = (usize, &str)>, Error> {
    super::check_size(text)?;
    let mut lines = split_lines(text)
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .enumerate()
        .map(|(i, l)| (i + 1, l));
    match lines.next() {
        Some((_, first)) if first == MAGIC => {}
        _ => {
            return Err(invalid(
                1,
                "the first line must be \"xborder-tariff\", a TAB and \"1\"",
            ))
        }
    }
    Ok(lines.filter(|(_, l)| !l.is_empty() && !l.starts_with('#')))
}

/// `text.split('\n')`, the newlines found by `memchr`'s vector search in one pass over the
/// text: a national tariff has tens of thousands of short lines in a megabyte or two, and the
/// general `char` searcher's set-up per line cost more than the search (and eight bytes at a
/// time, the search wasm32 keeps, about two instructions a byte with its iterator).
#[cfg(not(target_arch = "wasm32"))]
fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut newlines = memchr::memchr_iter(b'\n', text.as_bytes());
    let mut start = Some(0);
    std::iter::from_fn(move || {
        let from = start?;
        match newlines.next() {
            Some(i) => {
                start = Some(i + 1);
                // `\n` is ASCII: the slice is on character boundaries.
                text.get(from..i)
            }
            None => {
                start = None;
                text.get(from..)
            }
        }
    })
}

/// `text.split('\n')`, the newline found eight bytes at a time (wasm32: no `memchr` in the
/// module).
#[cfg(target_arch = "wasm32")]
fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    use crate::json_bytes::{bytes_equal, position};
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let line = rest?;
        match position(line.as_bytes(), |w| bytes_equal(w, b'\n'), |b| b == b'\n') {
            Some(i) => {
                // `\n` is ASCII: both slices are on character boundaries.
                rest = line.get(i + 1..);
                line.get(..i)
            }
            None => rest.take(),
        }
    })
}

/// The next field of `line` from `*at` as `str::splitn` gives it: up to the next TAB, or the
/// rest of the line when there is none (and then no more fields).
fn next_field<'a>(line: &'a str, at: &mut Option<usize>) -> Option<&'a str> {
    let from = (*at)?;
    let rest = line.get(from..)?;
    match rest.bytes().position(|b| b == b'\t') {
        Some(i) => {
            *at = Some(from + i + 1);
            rest.get(..i)
        }
        None => {
            *at = None;
            Some(rest)
        }
    }
}

/// Whether `text` holds a TAB or a backslash (`memchr2`, a vector search; eight bytes at a
/// time on wasm32): a description without either (nearly all) needs neither the TAB error nor
/// unescaping.
fn has_tab_or_backslash(text: &str) -> bool {
    #[cfg(not(target_arch = "wasm32"))]
    return memchr::memchr2(b'\t', b'\\', text.as_bytes()).is_some();
    #[cfg(target_arch = "wasm32")]
    return crate::json_bytes::position(
        text.as_bytes(),
        |w| crate::json_bytes::bytes_equal(w, b'\t') | crate::json_bytes::bytes_equal(w, b'\\'),
        |b| b == b'\t' || b == b'\\',
    )
    .is_some();
}

/// A record the writer must spell out for one revision.
enum Change<'a> {
    /// The line is new or differs from the revision before.
    Set(&'a Line),
    /// The line of this code is gone.
    Remove(&'a str),
}

/// The changes from `before` to `after` (both sorted by code), in code order.
fn changes<'a>(before: &[&'a Line], after: &[&'a Line]) -> Vec<Change<'a>> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < before.len() || j < after.len() {
        match (before.get(i), after.get(j)) {
            (Some(b), Some(a)) if b.code == a.code => {
                if b.duties != a.duties || b.description != a.description {
                    out.push(Change::Set(a));
                }
                i += 1;
                j += 1;
            }
            (Some(b), Some(a)) if b.code < a.code => {
                out.push(Change::Remove(&b.code));
                i += 1;
            }
            (Some(b), None) => {
                out.push(Change::Remove(&b.code));
                i += 1;
            }
            (_, Some(a)) => {
                out.push(Change::Set(a));
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

/// Validates every revision and returns each one's lines sorted by code.
fn sorted_revisions<'a>(
    header: &Header,
    revisions: &'a [Revision],
) -> Result<Vec<Vec<&'a Line>>, Error> {
    let mut ids = HashSet::new();
    let mut checked: HashSet<&Duty> = HashSet::new();
    let mut out = Vec::with_capacity(revisions.len());
    for (r, revision) in revisions.iter().enumerate() {
        let at = format!("revisions[{r}]");
        check_text(&revision.id, &format!("{at}.id"))?;
        check_text(&revision.title, &format!("{at}.title"))?;
        if !ids.insert(revision.id.as_str()) {
            return Err(Error::at(
                ErrorCode::InvalidTariff,
                format!("{at}.id"),
                format!("revision id {} appears twice", revision.id),
            ));
        }
        if r > 0 && revisions[r - 1].from > revision.from {
            return Err(Error::at(
                ErrorCode::InvalidTariff,
                format!("{at}.from"),
                format!(
                    "revision {} takes effect on {}, before revision {}: give revisions in ascending order of date",
                    revision.id, revision.from, revisions[r - 1].id
                ),
            ));
        }
        let mut lines: Vec<&Line> = revision.lines.iter().collect();
        crate::sort::sort_by(&mut lines, |a, b| a.code.cmp(&b.code));
        for pair in lines.windows(2) {
            if pair[0].code == pair[1].code {
                return Err(Error::at(
                    ErrorCode::InvalidTariff,
                    format!("{at}.lines[{}]", pair[0].code),
                    format!(
                        "revision {} has two lines with code {}",
                        revision.id, pair[0].code
                    ),
                ));
            }
        }
        for line in &lines {
            check_line(header, revision, line, &at, &mut checked)?;
        }
        out.push(lines);
    }
    Ok(out)
}

/// Checks one line of a revision; `checked` holds the duties already validated.
fn check_line<'a>(
    header: &Header,
    revision: &Revision,
    line: &'a Line,
    at: &str,
    checked: &mut HashSet<&'a Duty>,
) -> Result<(), Error> {
    let at = format!("{at}.lines[{}]", line.code);
    check_code(&line.code).map_err(|m| Error::at(ErrorCode::InvalidTariff, &at, m))?;
    if line.duties.len() != header.columns.len() {
        return Err(Error::at(
            ErrorCode::InvalidTariff,
            format!("{at}.duties"),
            format!(
                "line {} has {} duties; the header has {} columns ({})",
                line.code,
                line.duties.len(),
                header.columns.len(),
                header.columns.join(", ")
            ),
        ));
    }
    let chars = line.description.chars().count();
    if chars > MAX_DESCRIPTION_CHARS {
        return Err(Error::at(
            ErrorCode::InvalidTariff,
            format!("{at}.description"),
            format!("the description of line {} is {chars} characters; the limit is {MAX_DESCRIPTION_CHARS} (see short_description)", line.code),
        ));
    }
    for duty in line.duties.iter().flatten() {
        if !checked.insert(duty) {
            continue;
        }
        if duty.text.is_empty() {
            return Err(Error::at(
                ErrorCode::InvalidTariff,
                format!("{at}.duties"),
                format!("line {} has a duty with no published text", line.code),
            ));
        }
        match &duty.expression {
            Ok(e) => {
                DutyExpression::parse(e, &header.currency).map_err(|err| {
                    Error::at(
                        ErrorCode::InvalidExpression,
                        format!("{at}.duties"),
                        format!(
                            "revision {}, line {}: the published rate {:?} was converted to {e:?}, which is not a valid duty expression: {err}",
                            revision.id, line.code, duty.text
                        ),
                    )
                })?;
            }
            Err(reason) if reason.trim().is_empty() => {
                return Err(Error::at(
                    ErrorCode::InvalidTariff,
                    format!("{at}.duties"),
                    format!(
                    "revision {}, line {}: the rate {:?} is marked not computable without a reason",
                    revision.id, line.code, duty.text
                ),
                ))
            }
            Err(_) => {}
        }
    }
    Ok(())
}

/// Checks the header's values.
fn check_header(h: &Header) -> Result<(), Error> {
    for (key, value) in [
        ("regime", &h.regime),
        ("title", &h.title),
        ("publisher", &h.publisher),
        ("source", &h.source),
        ("licence", &h.licence),
    ] {
        check_text(value, &format!("header.{key}"))?;
    }
    if h.currency.len() != 3 || !h.currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(Error::at(
            ErrorCode::InvalidTariff,
            "header.currency",
            format!("{:?} is not an ISO 4217 currency code", h.currency),
        ));
    }
    if h.columns.is_empty() {
        return Err(Error::at(
            ErrorCode::InvalidTariff,
            "header.columns",
            "a tariff needs at least one duty column",
        ));
    }
    let mut seen = HashSet::new();
    for (i, column) in h.columns.iter().enumerate() {
        check_text(column, &format!("header.columns[{i}]"))?;
        if column.contains(['\t', '\n', '\r']) || !seen.insert(column) {
            return Err(Error::at(
                ErrorCode::InvalidTariff,
                format!("header.columns[{i}]"),
                format!("column name {column:?} is repeated or holds a TAB or line break"),
            ));
        }
    }
    if let Some(c) = &h.converter {
        check_text(c, "header.converter")?;
    }
    for (i, note) in h.notes.iter().enumerate() {
        check_text(note, &format!("header.notes[{i}]"))?;
    }
    Ok(())
}

/// A required text must say something.
fn check_text(value: &str, path: &str) -> Result<(), Error> {
    if value.trim().is_empty() {
        return Err(Error::at(
            ErrorCode::InvalidTariff,
            path,
            "must not be empty",
        ));
    }
    Ok(())
}

/// A line code is 2 to 10 ASCII digits.
fn check_code(code: &str) -> Result<(), String> {
    if (2..=10).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!("{code:?} is not a tariff code of 2 to 10 digits"))
    }
}

/// Writes the magic line and the header.
fn write_header(out: &mut String, h: &Header) {
    out.push_str(MAGIC);
    out.push('\n');
    let checked = h.checked.to_string();
    let current = h.current_through.map(|d| d.to_string());
    let mut fields: Vec<(&str, Vec<&str>)> = vec![
        ("regime", vec![&h.regime]),
        ("currency", vec![&h.currency]),
        ("edition", vec![h.edition.as_str()]),
        ("title", vec![&h.title]),
        ("publisher", vec![&h.publisher]),
        ("source", vec![&h.source]),
        ("licence", vec![&h.licence]),
        ("columns", h.columns.iter().map(String::as_str).collect()),
        ("confidence", vec![h.confidence.as_str()]),
        ("checked", vec![&checked]),
    ];
    fields.extend(current.as_deref().map(|c| ("current_through", vec![c])));
    fields.extend(h.converter.as_deref().map(|c| ("converter", vec![c])));
    fields.extend(h.notes.iter().map(|n| ("note", vec![n.as_str()])));
    for (key, values) in fields {
        out.push_str(key);
        for value in values {
            out.push('\t');
            push_escaped(out, value);
        }
        out.push('\n');
    }
}

/// Reads the header lines up to `%duties`; returns the header and the line number of
/// `%duties`.
fn parse_header<'a>(
    lines: &mut impl Iterator<Item = (usize, &'a str)>,
) -> Result<(Header, usize), Error> {
    let mut values: HashMap<&str, (usize, String)> = HashMap::new();
    let mut columns: Option<Vec<String>> = None;
    let mut notes = Vec::new();
    let end = loop {
        let Some((n, line)) = lines.next() else {
            return Err(Error::new(
                ErrorCode::InvalidTariff,
                "the tariff file ends before its %duties line",
            ));
        };
        if line == "%duties" {
            break n;
        }
        let Some((key, value)) = line.split_once('\t') else {
            return Err(invalid(
                n,
                format!("expected a header line (key TAB value) or %duties, found {line:?}"),
            ));
        };
        match key {
            "regime" | "currency" | "edition" | "title" | "publisher" | "source" | "licence"
            | "confidence" | "checked" | "current_through" | "converter" => {
                if values.insert(key, (n, unescape(value, n)?)).is_some() {
                    return Err(invalid(n, format!("header key {key} appears twice")));
                }
            }
            "columns" => {
                if columns.is_some() {
                    return Err(invalid(n, "header key columns appears twice"));
                }
                let names = value
                    .split('\t')
                    .map(|c| unescape(c, n))
                    .collect::<Result<Vec<_>, _>>()?;
                let mut seen = HashSet::new();
                if names.iter().any(|c| c.trim().is_empty() || !seen.insert(c)) {
                    return Err(invalid(n, "column names must be non-empty and distinct"));
                }
                columns = Some(names);
            }
            "note" if value.trim().is_empty() => return Err(invalid(n, "note is empty")),
            "note" => notes.push(unescape(value, n)?),
            _ => return Err(invalid(n, format!("unknown header key {key:?}"))),
        }
    };
    let current_through = values.remove("current_through");
    let converter = match values.remove("converter") {
        Some((n, v)) if v.trim().is_empty() => return Err(invalid(n, "converter is empty")),
        other => other.map(|(_, v)| v),
    };
    let mut take = |key: &str| -> Result<(usize, String), Error> {
        match values.remove(key) {
            Some((n, v)) if v.trim().is_empty() => Err(invalid(n, format!("{key} is empty"))),
            Some(v) => Ok(v),
            None => Err(invalid(end, format!("the header has no {key} line"))),
        }
    };
    let date = |(n, v): (usize, String)| -> Result<Date, Error> {
        v.parse()
            .map_err(|e: crate::date::DateError| invalid(n, e.0))
    };
    let regime = take("regime")?.1;
    let (n, currency) = take("currency")?;
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(invalid(
            n,
            format!("{currency:?} is not an ISO 4217 currency code"),
        ));
    }
    let (n, edition) = take("edition")?;
    let edition = edition.parse().map_err(|m| invalid(n, m))?;
    let (n, confidence) = take("confidence")?;
    let confidence = Confidence::from_name(&confidence).ok_or_else(|| {
        invalid(
            n,
            format!("confidence {confidence:?} is not confirmed, secondary or unconfirmed"),
        )
    })?;
    let header = Header {
        regime,
        currency,
        edition,
        title: take("title")?.1,
        publisher: take("publisher")?.1,
        source: take("source")?.1,
        licence: take("licence")?.1,
        columns: columns.ok_or_else(|| invalid(end, "the header has no columns line"))?,
        confidence,
        checked: date(take("checked")?)?,
        current_through: current_through.map(date).transpose()?,
        converter,
        notes,
    };
    Ok((header, end))
}

/// Reads one `%duties` line: `published text TAB expression`.
fn parse_duty(
    n: usize,
    line: &str,
    currency: &str,
) -> Result<(Duty, Option<DutyExpression>), Error> {
    let Some((text, expression)) = line.split_once('\t').filter(|(_, e)| !e.contains('\t')) else {
        return Err(invalid(
            n,
            "expected a duty (published text TAB expression) or %revision",
        ));
    };
    let text = unescape(text, n)?;
    if text.is_empty() {
        return Err(invalid(n, "a duty's published text is empty"));
    }
    let expression = unescape(expression, n)?;
    let mut parsed = None;
    let expression = match expression.strip_prefix('!') {
        Some(reason) if reason.trim().is_empty() => {
            return Err(invalid(
                n,
                "a duty marked not computable ('!') must give the reason",
            ))
        }
        Some(reason) => Err(reason.to_string()),
        None => {
            parsed = Some(DutyExpression::parse(&expression, currency).map_err(|e| {
                Error::at(
                    ErrorCode::InvalidExpression,
                    format!("line {n}"),
                    format!("the published rate {text:?}: {e}"),
                )
            })?);
            Ok(expression)
        }
    };
    Ok((Duty { text, expression }, parsed))
}

/// Reads `id TAB from TAB title [TAB edition]` after `%revision TAB`.
fn parse_revision_line<'a>(n: usize, rest: &str) -> Result<RawRevision<'a>, Error> {
    let fields: Vec<&str> = rest.split('\t').collect();
    let [id, from, title, edition @ ..] = fields.as_slice() else {
        return Err(invalid(
            n,
            "expected %revision TAB id TAB from TAB title [TAB edition]",
        ));
    };
    let edition = match edition {
        [] => None,
        [e] => Some(e.parse().map_err(|m| invalid(n, m))?),
        _ => return Err(invalid(n, "a %revision line has at most five fields")),
    };
    let id = unescape(id, n)?;
    let title = unescape(title, n)?;
    if id.trim().is_empty() || title.trim().is_empty() {
        return Err(invalid(n, "a revision needs an id and a title"));
    }
    Ok(RawRevision {
        id,
        from: from
            .parse()
            .map_err(|e: crate::date::DateError| invalid(n, e.0))?,
        title,
        edition,
        records: Vec::new(),
        duties: Vec::new(),
    })
}

/// Reads one line record (`code TAB duty… TAB description`) or removal (`- TAB code`) into
/// `rev`, checking that codes ascend.
fn parse_record<'a>(
    n: usize,
    line: &'a str,
    rev: &mut RawRevision<'a>,
    columns: usize,
    duty_count: usize,
    first: bool,
) -> Result<(), Error> {
    let (record, has_duties) = if let Some(code) = line.strip_prefix("-\t") {
        if first {
            return Err(invalid(
                n,
                "the first revision lists every line; it cannot remove one",
            ));
        }
        let record = Record {
            code,
            description: None,
            line_no: n,
        };
        (record, false)
    } else {
        // The fields as `line.splitn(columns + 2, '\t')` gives them: the code, the duty
        // columns, and the rest of the line as the description.
        let mut at = Some(0);
        let code = next_field(line, &mut at).unwrap_or_default();
        // Straight into the revision's table: an error drops the whole parse.
        for _ in 0..columns {
            let field = next_field(line, &mut at).ok_or_else(|| {
                invalid(
                    n,
                    format!(
                        "expected code, {columns} duty field(s) and a description, TAB-separated"
                    ),
                )
            })?;
            rev.duties.push(match field {
                "-" => NO_DUTY,
                f => match f.parse::<u32>() {
                    Ok(i) if (i as usize) < duty_count && f.bytes().all(|b| b.is_ascii_digit()) => i,
                    _ => {
                        return Err(invalid(
                            n,
                            format!("duty field {f:?} is neither '-' nor the number of one of the {duty_count} duties"),
                        ))
                    }
                },
            });
        }
        let description = at.and_then(|from| line.get(from..)).ok_or_else(|| {
            invalid(
                n,
                format!("expected code, {columns} duty field(s) and a description, TAB-separated"),
            )
        })?;
        let description = if !has_tab_or_backslash(description) {
            Cow::Borrowed(description)
        } else if description.contains('\t') {
            return Err(invalid(n, "a description must not hold a TAB (write \\t)"));
        } else {
            unescape_cow(description, n)?
        };
        // A text has no more characters than bytes: most descriptions need no count.
        if description.len() > MAX_DESCRIPTION_CHARS
            && description.chars().count() > MAX_DESCRIPTION_CHARS
        {
            return Err(invalid(
                n,
                format!("a description is longer than {MAX_DESCRIPTION_CHARS} characters"),
            ));
        }
        let record = Record {
            code,
            description: Some(description),
            line_no: n,
        };
        (record, true)
    };
    check_code(record.code).map_err(|m| invalid(n, m))?;
    if let Some(before) = rev.records.last() {
        if before.code >= record.code {
            return Err(invalid(
                n,
                format!(
                    "code {} comes after {}: within a revision codes are unique and sorted",
                    record.code, before.code
                ),
            ));
        }
    }
    if !has_duties {
        rev.duties.extend(std::iter::repeat_n(NO_DUTY, columns));
    }
    rev.records.push(record);
    Ok(())
}

/// Appends `s` with TAB, LF, CR and `\` escaped, and a leading `#` or `%` escaped so that the
/// field cannot read as a comment or a directive.
fn push_escaped(out: &mut String, s: &str) {
    for (i, c) in s.chars().enumerate() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '#' | '%' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
}

/// Reverses [`push_escaped`]; an unknown escape is an error.
fn unescape(s: &str, n: usize) -> Result<String, Error> {
    unescape_cow(s, n).map(Cow::into_owned)
}

/// [`unescape`] without a copy when there is nothing to unescape (most descriptions).
fn unescape_cow(s: &str, n: usize) -> Result<Cow<'_, str>, Error> {
    if !s.contains('\\') {
        return Ok(Cow::Borrowed(s));
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next() {
            Some('\\') => '\\',
            Some('t') => '\t',
            Some('n') => '\n',
            Some('r') => '\r',
            Some(c @ ('#' | '%')) => c,
            other => {
                return Err(invalid(
                    n,
                    format!(
                        "unknown escape \\{} (use \\\\, \\t, \\n, \\r, \\# or \\%)",
                        other.map(String::from).unwrap_or_default()
                    ),
                ))
            }
        });
    }
    Ok(Cow::Owned(out))
}

/// An `E_INVALID_TARIFF` error at line `n`.
fn invalid(n: usize, message: impl Into<String>) -> Error {
    Error::at(ErrorCode::InvalidTariff, format!("line {n}"), message)
}

#[cfg(test)]
mod tests;
