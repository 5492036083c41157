//! `docs/contract.md` is the one description of the public surface that users and the C
//! header point to: every stable error code must be in it, so a new code cannot ship
//! undocumented.

use xborder::ErrorCode;

#[test]
fn the_contract_lists_every_error_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/contract.md");
    let contract = std::fs::read_to_string(path).expect("docs/contract.md is in the repository");
    let missing: Vec<&str> = ErrorCode::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|code| !contract.contains(&format!("`{code}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/contract.md does not list these error codes (add them to its table): {missing:?}"
    );
}
