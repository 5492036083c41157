//! The reference regime packs, embedded into the library at build time.
//!
//! The JSON files in `regimes/` are the single source; `include_str!` puts them in the
//! binary so that the C library, the WASM package and the CLI need no files at run time.

/// `(id, pack JSON)` for every embedded pack.
pub const PACKS: &[(&str, &str)] = &[
    ("EU", include_str!("../../../regimes/EU/pack.json")),
    ("GB", include_str!("../../../regimes/GB/pack.json")),
    ("CA", include_str!("../../../regimes/CA/pack.json")),
    ("US", include_str!("../../../regimes/US/pack.json")),
    ("AU", include_str!("../../../regimes/AU/pack.json")),
    ("NZ", include_str!("../../../regimes/NZ/pack.json")),
    ("NO", include_str!("../../../regimes/NO/pack.json")),
    ("CH", include_str!("../../../regimes/CH/pack.json")),
    ("SG", include_str!("../../../regimes/SG/pack.json")),
    ("KR", include_str!("../../../regimes/KR/pack.json")),
    ("JP", include_str!("../../../regimes/JP/pack.json")),
    ("IN", include_str!("../../../regimes/IN/pack.json")),
    ("MX", include_str!("../../../regimes/MX/pack.json")),
    ("ZA", include_str!("../../../regimes/ZA/pack.json")),
    ("BR", include_str!("../../../regimes/BR/pack.json")),
    ("CN", include_str!("../../../regimes/CN/pack.json")),
];
