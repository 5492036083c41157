//! The core's fast declaration reader on what `xborder generate` writes for every regime: the
//! fast reader gives exactly what the strict serde reader gives, and it takes (nearly) every
//! generated line, so that a change which silently sends them back to serde fails here
//! (issue 16: the parse is a third of a declaration's cost). core/tests/fast_parse.rs checks
//! the vectors, the examples and mutations.

mod common;

use common::xborder;
use xborder::Declaration;

#[test]
fn generated_declarations_of_every_regime_take_the_fast_reader() {
    let out = xborder(
        &[
            "generate",
            "--n",
            "4000",
            "--seed",
            "16",
            "--from",
            "2021-01-01",
            "--to",
            "2026-12-31",
            "--no-progress",
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut regimes = std::collections::BTreeSet::new();
    let (mut lines, mut fast) = (0usize, 0usize);
    for line in text.lines() {
        lines += 1;
        let strict = Declaration::from_json_strict(line)
            .unwrap_or_else(|e| panic!("generated line refused ({e}): {line}"));
        regimes.insert(strict.destination.to_string());
        if let Some(d) = Declaration::from_json_fast(line) {
            assert_eq!(format!("{d:?}"), format!("{strict:?}"), "on {line}");
            fast += 1;
        }
    }
    assert_eq!(lines, 4000);
    // Destinations of all 20 regimes (the EU's 27 count as many).
    assert!(regimes.len() >= 20, "destinations: {regimes:?}");
    assert!(
        fast * 100 >= lines * 99,
        "the fast reader took only {fast} of {lines} generated declarations"
    );
}
