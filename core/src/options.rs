//! Options the engine itself declares, for every regime, beside the ones a pack declares for
//! its uncertain rules.
//!
//! They are chosen the same way (`AssessOptions::options`, `--option name=value`, the C and
//! WASM options object) and listed the same way (`xborder regimes`, `Engine::regime_listing`,
//! under every version), so a caller finds them where it finds the packs' options. A pack may
//! not declare an option of the same name.

/// An option the engine declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EngineOption {
    /// Name, as given in `AssessOptions::options`.
    pub name: &'static str,
    /// The value used when the caller does not choose.
    pub default: &'static str,
    /// Every accepted value.
    pub values: &'static [&'static str],
    /// The question the option answers.
    pub question: &'static str,
}

/// What to do when a declared HS code covers national tariff lines with different duties.
pub const HS_AMBIGUITY: EngineOption = EngineOption {
    name: "hs_ambiguity",
    default: "reject",
    values: &["reject", "highest"],
    question: "When the declared HS code is less precise than the tariff and covers lines with different duties, refuse the assessment (E_HS_AMBIGUOUS, listing the lines) or price the dearest line for this consignment's facts (with a finding naming the others)?",
};

/// Every engine-level option.
pub const ENGINE_OPTIONS: &[EngineOption] = &[HS_AMBIGUITY];

/// The engine option of this name.
pub fn engine_option(name: &str) -> Option<&'static EngineOption> {
    ENGINE_OPTIONS.iter().find(|o| o.name == name)
}
