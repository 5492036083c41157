//! Goods lists: named sets of HS codes that rules point to (`goods_lists` in a pack, or a
//! regime's embedded lists file), so that a measure covering thousands of subheadings — the US
//! Section 301 lists, the exemption annexes of the IEEPA and Section 122 duties — is data kept
//! once, outside the rules that name it.
//!
//! A list code covers every code it begins (`6109` covers `61091000`). A declared code is *in*
//! a list when a list code begins it, *out* when no list code begins it and none begins with
//! it, and *partly* in when it is shorter than some list codes (`610910` against a list holding
//! `6109100040` only): then the declared code covers goods both in and out of the list, and
//! what the measure does depends on digits the caller did not declare.

use std::collections::BTreeMap;

use crate::date::Date;
use crate::error::{Error, ErrorCode};

use super::pack::{GoodsListFile, GoodsRef};

/// A compiled list.
#[derive(Debug, Clone)]
pub struct GoodsList {
    /// List id (`US_9903_88_15`).
    pub id: String,
    /// Human name.
    pub name: String,
    /// Where the list comes from.
    pub source: String,
    /// The codes, sorted and unique.
    codes: Vec<Box<str>>,
}

/// Where a declared code stands against a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Membership {
    /// A list code begins the declared code.
    In,
    /// No list code begins it, but some begin with it: some goods it covers are listed.
    Partly,
    /// Neither.
    Out,
}

impl GoodsList {
    /// Compiles a list, checking each code (2-10 digits). `path` names it in errors.
    pub fn compile(file: &GoodsListFile, path: &str) -> Result<GoodsList, Error> {
        let mut codes: Vec<Box<str>> = Vec::new();
        // In ASCII text without a vertical tab, `split_ascii_whitespace` parts the codes where
        // `split_whitespace` does, a byte at a time instead of a character (2.3 M of the US
        // lists' 5.2 M instructions at every start). Not on wasm32 (the module's size).
        let plain = cfg!(not(target_arch = "wasm32"))
            && file.codes.is_ascii()
            && !file.codes.contains('\x0b');
        let (mut ascii, mut any) = (
            file.codes.split_ascii_whitespace(),
            file.codes.split_whitespace(),
        );
        let pieces = std::iter::from_fn(|| if plain { ascii.next() } else { any.next() });
        for (n, code) in pieces.enumerate() {
            if !(2..=10).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Error::at(
                    ErrorCode::InvalidPack,
                    format!("{path}.codes"),
                    format!(
                        "code {} ({code:?}) is not an HS code of 2 to 10 digits",
                        n + 1
                    ),
                ));
            }
            codes.push(code.into());
        }
        if codes.is_empty() {
            return Err(Error::at(
                ErrorCode::InvalidPack,
                format!("{path}.codes"),
                format!("goods list {} holds no code", file.id),
            ));
        }
        crate::sort::sort(&mut codes);
        codes.dedup();
        Ok(GoodsList {
            id: file.id.clone(),
            name: file.name.clone(),
            source: file.source.clone(),
            codes,
        })
    }

    /// How many codes the list holds.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether the list holds no code (never, once compiled).
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// Where `code` stands against the list.
    pub fn membership(&self, code: &str) -> Membership {
        let max = code.len().min(10);
        let listed = |prefix: &str| self.codes.binary_search_by(|c| (**c).cmp(prefix)).is_ok();
        if (2..=max).any(|n| code.get(..n).is_some_and(listed)) {
            return Membership::In;
        }
        // The first code not below `code`: if any list code begins with `code`, it is this one.
        let at = self.codes.partition_point(|c| &**c < code);
        match self.codes.get(at) {
            Some(c) if c.starts_with(code) => Membership::Partly,
            _ => Membership::Out,
        }
    }
}

/// The lists of one regime, by id.
pub type GoodsLists = BTreeMap<String, GoodsList>;

/// Compiles a pack's lists; ids must be unique.
pub fn compile_all(files: &[GoodsListFile]) -> Result<GoodsLists, Error> {
    let mut lists = GoodsLists::new();
    for (i, f) in files.iter().enumerate() {
        let path = format!("goods_lists[{i}]");
        let id_ok = !f.id.is_empty()
            && f.id
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
        if !id_ok {
            return Err(Error::at(
                ErrorCode::InvalidPack,
                format!("{path}.id"),
                format!("{:?} is not a list id (capitals, digits and _)", f.id),
            ));
        }
        if lists
            .insert(f.id.clone(), GoodsList::compile(f, &path)?)
            .is_some()
        {
            return Err(Error::at(
                ErrorCode::InvalidPack,
                format!("{path}.id"),
                format!("goods list {} is declared twice", f.id),
            ));
        }
    }
    Ok(lists)
}

/// A goods lists file of the `xborder-regimes` crate.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ListsFile {
    format: u32,
    regime: String,
    goods_lists: Vec<GoodsListFile>,
}

/// The embedded lists of `regime`, compiled, for a pack that does not define them itself.
pub fn embedded(regime: &str) -> Result<GoodsLists, Error> {
    let mut lists = GoodsLists::new();
    for (id, text) in super::embedded::GOODS_LISTS
        .iter()
        .filter(|(id, _)| *id == regime)
    {
        let at = format!("regimes/{id}/goods-lists.json");
        let file: ListsFile = serde_json::from_str(text)
            .map_err(|e| Error::new(ErrorCode::InvalidPack, format!("{at}: {e}")))?;
        if file.format != 1 || file.regime != *id {
            return Err(Error::new(
                ErrorCode::InvalidPack,
                format!("{at}: expected format 1 for regime {id}"),
            ));
        }
        lists.extend(compile_all(&file.goods_lists).map_err(|e| e.within(&at))?);
    }
    Ok(lists)
}

/// Whether a reference to a list holds on `date` (its own `from`/`to`).
pub fn in_force(r: &GoodsRef, date: Date) -> bool {
    r.from.is_none_or(|f| f <= date) && r.to.is_none_or(|t| date < t)
}

/// Where `code` stands against the lists `refs` name that hold on `date`: in any of them, else
/// partly in one, else out. The second value is the list that decided (for messages).
pub fn membership<'l>(
    lists: &'l GoodsLists,
    refs: &[GoodsRef],
    date: Date,
    code: &str,
) -> (Membership, Option<&'l GoodsList>) {
    let mut partly = None;
    for r in refs.iter().filter(|r| in_force(r, date)) {
        // References are checked against the lists when the pack loads.
        let Some(list) = lists.get(&r.list) else {
            continue;
        };
        match list.membership(code) {
            Membership::In => return (Membership::In, Some(list)),
            Membership::Partly => partly = partly.or(Some(list)),
            Membership::Out => {}
        }
    }
    match partly {
        Some(list) => (Membership::Partly, Some(list)),
        None => (Membership::Out, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regime::pack::Confidence;

    fn file(id: &str, codes: &str) -> GoodsListFile {
        GoodsListFile {
            id: id.into(),
            name: "test list".into(),
            codes: codes.into(),
            derive: None,
            source: "test".into(),
            checked: "2026-12-04".parse().unwrap(),
            confidence: Confidence::Confirmed,
            note: None,
        }
    }

    proptest::proptest! {
        /// A list reads to the same codes, or the same error, whichever way its text is parted.
        #[test]
        fn codes_part_as_split_whitespace_parts_them(
            text in "[0-9 \t\n\r\x0b\x0c\u{85}\u{a0}\u{2003}a]{0,40}",
        ) {
            // What the reader gave when it parted the text by `split_whitespace` alone.
            let mut want: Result<Vec<&str>, String> = Ok(Vec::new());
            for (n, c) in text.split_whitespace().enumerate() {
                if !(2..=10).contains(&c.len()) || !c.bytes().all(|b| b.is_ascii_digit()) {
                    want = Err(format!("code {} ({c:?}) is not an HS code of 2 to 10 digits", n + 1));
                    break;
                }
                if let Ok(codes) = &mut want {
                    codes.push(c);
                }
            }
            let want = want.and_then(|mut codes| {
                codes.sort();
                codes.dedup();
                if codes.is_empty() { Err("goods list L holds no code".into()) } else { Ok(codes) }
            });
            let got = GoodsList::compile(&file("L", &text), "x")
                .map(|list| list.codes.iter().map(|c| c.to_string()).collect::<Vec<_>>())
                .map_err(|e| e.message);
            let want = want.map(|codes| codes.iter().map(|c| c.to_string()).collect::<Vec<_>>());
            proptest::prop_assert_eq!(want, got);
        }
    }

    #[test]
    fn codes_are_in_partly_in_or_out() {
        let l = GoodsList::compile(&file("L", "6109 85171300\n6307909870 610910"), "x").unwrap();
        assert_eq!(l.len(), 4);
        // A list code begins the declared code.
        assert_eq!(l.membership("61091000"), Membership::In);
        assert_eq!(l.membership("6109100040"), Membership::In);
        assert_eq!(l.membership("851713"), Membership::Partly);
        assert_eq!(l.membership("8517130000"), Membership::In);
        // The declared code is shorter than a listed statistical line.
        assert_eq!(l.membership("630790"), Membership::Partly);
        assert_eq!(l.membership("63079098"), Membership::Partly);
        assert_eq!(l.membership("6307909875"), Membership::Out);
        assert_eq!(l.membership("611020"), Membership::Out);
        assert_eq!(l.membership("99"), Membership::Out);
        // Text that is not an HS code finds nothing and does not panic.
        assert_eq!(l.membership("61é"), Membership::Out);
    }

    #[test]
    fn references_hold_on_their_dates_and_the_first_list_in_decides() {
        let lists = compile_all(&[
            file("A", "6109"),
            file("B", "6110100010"),
            file("C", "6110"),
        ])
        .unwrap();
        let r = |list: &str, from: Option<&str>, to: Option<&str>| GoodsRef {
            list: list.into(),
            from: from.map(|d| d.parse().unwrap()),
            to: to.map(|d| d.parse().unwrap()),
        };
        let d = |s: &str| -> Date { s.parse().unwrap() };
        let refs = [
            r("A", None, None),
            r("B", None, None),
            r("C", Some("2026-01-01"), None),
        ];
        assert_eq!(
            membership(&lists, &refs, d("2025-06-01"), "61091000").0,
            Membership::In
        );
        let (m, by) = membership(&lists, &refs, d("2025-06-01"), "61101000");
        assert_eq!((m, by.unwrap().id.as_str()), (Membership::Partly, "B"));
        // From 2026 list C holds all of 6110.
        assert_eq!(
            membership(&lists, &refs, d("2026-06-01"), "61101000").0,
            Membership::In
        );
        assert_eq!(
            membership(&lists, &refs, d("2025-06-01"), "62034000").0,
            Membership::Out
        );
    }

    #[test]
    fn malformed_lists_are_refused() {
        let err = |files: &[GoodsListFile]| compile_all(files).unwrap_err().path.unwrap();
        assert_eq!(err(&[file("A", "6109 61.09")]), "goods_lists[0].codes");
        assert_eq!(err(&[file("A", "  ")]), "goods_lists[0].codes");
        assert_eq!(err(&[file("a-b", "6109")]), "goods_lists[0].id");
        assert_eq!(
            err(&[file("A", "6109"), file("A", "6110")]),
            "goods_lists[1].id"
        );
    }
}
