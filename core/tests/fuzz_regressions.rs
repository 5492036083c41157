//! One test per finding of the fuzz targets in `fuzz/` (docs/security.md lists them): the
//! input that crashed, hung or exhausted memory, reduced, and the behaviour now required.

use xborder::tariff::Tariff;

/// fuzz target `tariff`: looking a line's free-text description up as an HS code sliced the
/// text inside a multi-byte character and panicked.
#[test]
fn tariff_lookup_of_non_ascii_text_finds_nothing() {
    let tariff = Tariff::from_text(
        "hs,duty,description,source,checked\n\
         610510,12%,\"Men\u{2019}s shirts\",test,2026-11-28\n\
         610,5%,Apparel,test,2026-11-28\n",
        "GBP",
    )
    .unwrap();
    for text in ["Men\u{2019}s shirts", "61\u{e9}", "\u{2019}", "", "é"] {
        assert!(tariff.lookup(text).is_none(), "{text:?}");
    }
    // The fix does not change what HS codes find.
    assert_eq!(tariff.lookup("6105100000").unwrap().hs, "610510");
    assert_eq!(tariff.lookup("610\u{e9}").unwrap().hs, "610");
    assert_eq!(tariff.lookup("6105\u{2019}1").unwrap().hs, "610");
}
