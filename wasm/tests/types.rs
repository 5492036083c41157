//! The hand-written TypeScript types (js/types.d.ts) against the core, natively: the
//! `ErrorCode` union must list exactly the core's codes, in the core's order (the list is
//! append-only). The rest of the types are checked by `tsc --noEmit` against the core's real
//! output in the JavaScript suite (wasm/test/types.test.mjs).

#![cfg(not(target_arch = "wasm32"))]

const TYPES: &str = include_str!("../js/types.d.ts");

#[test]
fn error_code_union_matches_the_core() {
    let start = TYPES
        .find("export type ErrorCode =")
        .expect("types.d.ts declares ErrorCode");
    let body = &TYPES[start..];
    let end = body.find(';').expect("ErrorCode ends with ;");
    let declared: Vec<&str> = body[..end].split('"').skip(1).step_by(2).collect();
    let core: Vec<&str> = xborder::ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(
        declared, core,
        "update ErrorCode in wasm/js/types.d.ts to the core's list"
    );
}
