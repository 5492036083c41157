//! Tariff text (CSV, or JSON `{"lines": […]}`, or a tariff file `xborder-tariff 1`) → load; a
//! tariff that loads is looked up.
//!
//! Invariants: no panic, no hang, no OOM; an error is a refusal an input may cause (any
//! published code but `E_INTERNAL`, see `common`); every line's own HS prefix finds a line at
//! least as long; looking up any text is safe. A tariff file that reads is written back without
//! error, and reading that gives the same header and revisions.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xborder_core::tariff::{file, Tariff};

mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let currency = if data.len().is_multiple_of(2) {
        "EUR"
    } else {
        "GBP"
    };
    if let Ok((header, revisions)) = file::read(text) {
        let again = file::write(&header, &revisions)
            .unwrap_or_else(|e| panic!("a file that reads does not write: {e}"));
        let (h2, r2) = file::read(&again).expect("a written file reads");
        assert_eq!((h2, r2), (header, revisions));
    }
    match Tariff::from_text(text, currency) {
        Ok(tariff) => {
            for line in tariff.lines() {
                let mut code = line.hs.clone();
                while code.len() < 10 {
                    code.push('0');
                }
                let found = tariff.lookup(&code).expect("a line's own prefix is found");
                assert!(found.hs.len() >= line.hs.len() && code.starts_with(&found.hs));
                // Any text at all may be looked up (descriptions are free text).
                let _ = tariff.lookup(&line.description);
            }
        }
        Err(e) => common::assert_input_refusal(&e),
    }
});
