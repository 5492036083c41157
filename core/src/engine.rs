//! The engine: loaded regimes, exchange rates and the entry points every binding uses.

use std::collections::HashMap;

use serde::Serialize;

use crate::assess::AssessOptions;
use crate::declaration::Declaration;
use crate::error::{Error, ErrorCode, Origin};
use crate::exchange::{RateTable, Rates};
use crate::regime::{embedded, Regime};
use crate::result::Assessment;
use crate::risk::RiskProfile;
use crate::tariff::schedule::LazySchedule;
use crate::tariff::Tariff;
use std::sync::Arc;

/// An immutable set of regimes (and optional exchange rates) to assess declarations with.
///
/// Building parses and validates every pack once; assessing borrows the engine immutably, so
/// one engine can be shared by any number of threads (`Engine: Send + Sync`).
#[derive(Debug, Clone)]
pub struct Engine {
    regimes: Vec<Regime>,
    by_destination: Destinations,
    rates: Rates,
    /// The risk profile of each regime, by its index in `regimes`.
    risk_profiles: Vec<Option<RiskProfile>>,
    return_rules: HashMap<String, crate::refund::ReturnRules>,
    /// The identity the assessment's per-thread plans are keyed by (`assess::plan`).
    plan_id: crate::assess::PlanId,
}

/// A map keyed by short ids (destination countries, regime ids), looked up once or twice per
/// assessment: hashed by [`crate::hashing::FxHasher`], far cheaper than the default SipHash on
/// two-letter keys. The keys come from the engine's own packs and profiles, never from a
/// declaration, so a hash that resists chosen collisions is not needed.
type IdMap<V> = HashMap<String, V, crate::hashing::FxBuild>;

/// Regime indices by destination country, looked up once per assessment. The two capital
/// letters of an ISO 3166-1 code (every embedded pack's destinations) index a table directly;
/// through the map, the lookup cost about 120 instructions a record. Any other key a caller's
/// pack declares is kept in the map.
#[derive(Debug, Clone)]
struct Destinations {
    /// `AA`..`ZZ`: the regime's index, `u16::MAX` for none.
    alpha2: Box<[u16; 26 * 26]>,
    other: IdMap<usize>,
}

/// The slot of a code of two capital letters (`FR`) in a table of 26 × 26, for the
/// destinations here and a version's tax subdivisions (`regime::compile::Subdivisions`).
#[inline]
pub(crate) fn alpha2_slot(code: &str) -> Option<usize> {
    match *code.as_bytes() {
        [a @ b'A'..=b'Z', b @ b'A'..=b'Z'] => {
            Some(usize::from(a - b'A') * 26 + usize::from(b - b'A'))
        }
        _ => None,
    }
}

impl Destinations {
    fn new() -> Destinations {
        Destinations {
            alpha2: Box::new([u16::MAX; 26 * 26]),
            other: IdMap::default(),
        }
    }

    /// Records `regime` for `code`, returning the regime it had before, if any.
    fn insert(&mut self, code: &str, regime: usize) -> Option<usize> {
        match (alpha2_slot(code), u16::try_from(regime)) {
            (Some(slot), Ok(index)) if index != u16::MAX => {
                let before = std::mem::replace(&mut self.alpha2[slot], index);
                (before != u16::MAX).then_some(usize::from(before))
            }
            _ => self.other.insert(code.to_string(), regime),
        }
    }

    #[inline]
    fn get(&self, code: &str) -> Option<usize> {
        match alpha2_slot(code) {
            Some(slot) => match self.alpha2[slot] {
                u16::MAX => self.other.get(code).copied(),
                index => Some(usize::from(index)),
            },
            None => self.other.get(code).copied(),
        }
    }
}

/// A tariff given to [`EngineBuilder::tariff`] or [`EngineBuilder::tariff_on_demand`].
#[derive(Debug, Clone)]
struct CallerTariff {
    id: String,
    text: String,
    /// Parse a tariff file's lines when first used rather than when the engine is built.
    on_demand: bool,
    /// A CSV tariff's layout, when the caller gave one.
    csv: Option<crate::tariff::CsvLayout>,
}

/// Builds an [`Engine`] from embedded and caller-supplied regimes, tariffs and rates.
#[derive(Debug, Clone)]
pub struct EngineBuilder {
    embedded: bool,
    embedded_tariffs: bool,
    packs: Vec<String>,
    tariffs: Vec<CallerTariff>,
    rates: Option<CallerRates>,
    rate_tables: Vec<String>,
    builtin_rates: bool,
    sample_risk_profiles: bool,
    risk_profiles: Vec<String>,
    return_rules: Vec<String>,
}

impl EngineBuilder {
    /// Leaves the embedded reference packs out.
    pub fn without_embedded(mut self) -> EngineBuilder {
        self.embedded = false;
        self
    }

    /// Adds a regime pack (JSON text). A pack with the id of an embedded one replaces it.
    pub fn regime_json(mut self, text: impl Into<String>) -> EngineBuilder {
        self.packs.push(text.into());
        self
    }

    /// Leaves the embedded national tariff files out (they are in when the `embedded-tariffs`
    /// feature is on): the packs' own tariff lines then price every date.
    pub fn without_embedded_tariffs(mut self) -> EngineBuilder {
        self.embedded_tariffs = false;
        self
    }

    /// Gives regime `id` a tariff. A tariff file (`docs/tariff-format.md`, recognised by its
    /// first line `xborder-tariff 1`) replaces the embedded one, and like it takes precedence
    /// over the pack's lines for the dates its revisions cover; a JSON or CSV tariff replaces
    /// the pack's own lines in every version and leaves the embedded file out, so that it
    /// prices every date.
    pub fn tariff(mut self, id: impl Into<String>, text: impl Into<String>) -> EngineBuilder {
        self.tariffs.push(CallerTariff {
            id: id.into(),
            text: text.into(),
            on_demand: false,
            csv: None,
        });
        self
    }

    /// Gives regime `id` a CSV tariff laid out as `layout` says (its separator, which column
    /// holds which field, a source and checked date for every line): a spreadsheet exported as
    /// it stands. Like a CSV given to [`EngineBuilder::tariff`], it replaces the pack's lines
    /// in every version and leaves the embedded file out.
    pub fn tariff_csv(
        mut self,
        id: impl Into<String>,
        text: impl Into<String>,
        layout: crate::tariff::CsvLayout,
    ) -> EngineBuilder {
        self.tariffs.push(CallerTariff {
            id: id.into(),
            text: text.into(),
            on_demand: false,
            csv: Some(layout),
        });
        self
    }

    /// As [`EngineBuilder::tariff`], but a tariff file's lines are parsed when an assessment
    /// first needs them, as the embedded files' are; only its header is checked when the
    /// engine is built. Building stays fast whatever the file's size (the US schedule takes
    /// hundreds of milliseconds to parse in WASM), at a cost: a fault in the lines fails the
    /// first assessment to the regime, and every later one, instead of the build. Meant for
    /// files the caller trusts and may not use, such as the WASM package's own tariffs. A JSON
    /// or CSV tariff is parsed at once either way.
    pub fn tariff_on_demand(
        mut self,
        id: impl Into<String>,
        text: impl Into<String>,
    ) -> EngineBuilder {
        self.tariffs.push(CallerTariff {
            id: id.into(),
            text: text.into(),
            on_demand: true,
            csv: None,
        });
        self
    }

    /// Uses this exchange-rate table (the project's JSON) before any official table, pair by
    /// pair. A later call (or [`EngineBuilder::rates`]) replaces it.
    pub fn rates_json(mut self, text: impl Into<String>) -> EngineBuilder {
        self.rates = Some(CallerRates::Json(text.into()));
        self
    }

    /// Uses this exchange-rate table before any official table, pair by pair, in any format
    /// [`crate::exchange::Format`] recognises: the project's JSON or CSV, an `xborder-rates`
    /// table, the ECB's reference rates as downloaded (CSV or XML; the monthly customs rates
    /// of Art. 146 UCC-IA are selected from them) or HMRC's monthly XML or CSV. A later call
    /// replaces it.
    pub fn rates(mut self, text: impl Into<String>) -> EngineBuilder {
        self.rates = Some(CallerRates::Any(text.into()));
        self
    }

    /// Adds an official rate table (an `xborder-rates` table, or an ECB or HMRC file), which
    /// regime packs name by its id (`exchange_rates.table`): it replaces the embedded table
    /// with the same id, or supplies one a build without embedded tables (the WASM package)
    /// lacks.
    pub fn rate_table(mut self, text: impl Into<String>) -> EngineBuilder {
        self.rate_tables.push(text.into());
        self
    }

    /// Leaves out the embedded official rate tables, so that only the caller's rates convert.
    pub fn without_builtin_rates(mut self) -> EngineBuilder {
        self.builtin_rates = false;
        self
    }

    /// Leaves out the sample risk profiles shipped with the embedded regimes, so that regimes
    /// without a profile of the caller's decide release on findings and revenue alone.
    pub fn without_sample_risk_profiles(mut self) -> EngineBuilder {
        self.sample_risk_profiles = false;
        self
    }

    /// Adds a risk profile (JSON text, `docs/risk-profiles.md`); it replaces any profile of
    /// the same regime, the embedded sample included.
    pub fn risk_profile_json(mut self, text: impl Into<String>) -> EngineBuilder {
        self.risk_profiles.push(text.into());
        self
    }

    /// Adds a regime's return and refund rules (JSON text, `docs/returns.md`, the format of
    /// `regimes/<ID>/returns.json`); they replace any rules of the same regime, the embedded
    /// ones included. A build without the embedded regimes (the WASM package) has no return
    /// rules but these, so it refunds nothing without them.
    pub fn return_rules_json(mut self, text: impl Into<String>) -> EngineBuilder {
        self.return_rules.push(text.into());
        self
    }

    /// Parses and validates everything.
    pub fn build(mut self) -> Result<Engine, Error> {
        let (mut regimes, origins) = self.load_packs()?;
        if self.embedded && self.embedded_tariffs {
            attach_embedded_tariffs(&mut regimes)?;
            // A pack's tariff columns are checked against the file it ships with; a caller's
            // file (below) replaces it, and a line needing a column it lacks fails when assessed.
            for (regime, at) in regimes.iter().zip(&origins) {
                regime.check_tariff_columns().map_err(|e| e.within(at))?;
            }
        }
        for CallerTariff {
            id,
            text,
            on_demand,
            csv,
        } in std::mem::take(&mut self.tariffs)
        {
            let regime = regimes.iter_mut().find(|r| r.id == id).ok_or_else(|| {
                Error::new(
                    ErrorCode::NoRegime,
                    format!("a tariff was given for regime {id}, which is not loaded"),
                )
                .from_origin(Origin::Tariff)
            })?;
            let at = format!("tariff[{id}]");
            if let Some(layout) = csv {
                let tariff = Tariff::from_csv(&text, &regime.currency, &layout)
                    .map_err(|e| e.within(&at))?;
                regime.replace_tariff(tariff);
                regime.tariff_file = None;
            } else if crate::tariff::file::is_tariff_file(&text) {
                let file = if on_demand {
                    LazySchedule::deferred(text, &regime.currency, at.clone())?
                } else {
                    LazySchedule::loaded(&text, &regime.currency, &at)?
                };
                if file.header().regime != regime.id {
                    return Err(Error::at(
                        ErrorCode::InvalidTariff,
                        format!("{at}.regime"),
                        format!(
                            "the file is the tariff of regime {}, not {id}",
                            file.header().regime
                        ),
                    )
                    .from_origin(Origin::Tariff));
                }
                regime.tariff_file = Some(Arc::new(file));
            } else {
                let tariff =
                    Tariff::from_text(&text, &regime.currency).map_err(|e| e.within(&at))?;
                // The caller's tariff is the tariff of every date: an embedded file would
                // otherwise take precedence over it.
                regime.replace_tariff(tariff);
                regime.tariff_file = None;
            }
        }
        let mut by_destination = Destinations::new();
        for (i, regime) in regimes.iter().enumerate() {
            for d in &regime.destinations {
                if let Some(other) = by_destination.insert(d, i) {
                    if other != i {
                        return Err(Error::new(
                            ErrorCode::ConflictingRules,
                            format!(
                                "destination {d} is claimed by regimes {} and {}",
                                regimes[other].id, regime.id
                            ),
                        )
                        .from_origin(Origin::Pack));
                    }
                }
            }
        }
        let rates = load_rates(&self)?;
        let mut profiles = load_risk_profiles(&self, &regimes)?;
        let risk_profiles = regimes.iter().map(|r| profiles.remove(&r.id)).collect();
        let return_rules = load_return_rules(&self, &regimes)?;
        Ok(Engine {
            regimes,
            by_destination,
            rates,
            risk_profiles,
            return_rules,
            plan_id: crate::assess::PlanId::new(),
        })
    }
}

impl EngineBuilder {
    /// The embedded packs (unless left out), then the caller's, each replacing the regime of
    /// its id; with where each came from, to prefix the paths of errors found later.
    fn load_packs(&self) -> Result<(Vec<Regime>, Vec<String>), Error> {
        let mut regimes: Vec<Regime> = Vec::new();
        let mut origins: Vec<String> = Vec::new();
        if self.embedded {
            for (id, text) in embedded::PACKS {
                let at = format!("regimes/{id}/pack.json");
                regimes.push(Regime::from_embedded_json(text).map_err(|e| e.within(&at))?);
                origins.push(at);
            }
        }
        for (i, text) in self.packs.iter().enumerate() {
            let at = format!("pack[{i}]");
            let regime = Regime::from_json(text).map_err(|e| e.within(&at))?;
            match regimes.iter().position(|r| r.id == regime.id) {
                Some(k) => {
                    regimes[k] = regime;
                    origins[k] = at;
                }
                None => {
                    regimes.push(regime);
                    origins.push(at);
                }
            }
        }
        Ok((regimes, origins))
    }
}

/// The caller's table, and the official tables: the embedded ones (unless left out), then the
/// caller's, each replacing the one with its id.
fn load_rates(builder: &EngineBuilder) -> Result<Rates, Error> {
    let mut rates = Rates::default();
    if builder.builtin_rates {
        for (id, text) in crate::regime::embedded::RATES {
            let table = crate::exchange::MonthlyTable::parse(text)
                .map_err(|e| e.within(&format!("regimes/{id}/{id}.rates")))?;
            rates.add_official(RateTable::from_monthly(table));
        }
    }
    for (i, text) in builder.rate_tables.iter().enumerate() {
        let at = format!("rate_table[{i}]");
        let table = RateTable::from_text(text).map_err(|e| e.within(&at))?;
        if table.id.is_none() {
            return Err(Error::at(
                ErrorCode::InvalidRates,
                at,
                "an official rate table needs an id (an xborder-rates table, or an ECB or HMRC file); give a JSON table as the caller's rates instead",
            )
            .from_origin(Origin::Rates));
        }
        rates.add_official(table);
    }
    rates.caller = match &builder.rates {
        None => None,
        Some(CallerRates::Json(text)) => Some(RateTable::from_json(text)?),
        Some(CallerRates::Any(text)) => Some(RateTable::from_text(text)?),
    };
    Ok(rates)
}

/// The caller's rate table as given.
#[derive(Debug, Clone)]
enum CallerRates {
    /// Through [`EngineBuilder::rates_json`]: the project's JSON only.
    Json(String),
    /// Through [`EngineBuilder::rates`]: any recognised format.
    Any(String),
}

/// The national tariff files of `xborder-regimes` (feature `embedded-tariffs`), attached to
/// their regimes. Only each file's header is read here; the lines are parsed when first used,
/// so building stays fast. A regime a caller replaced with a pack in another currency keeps
/// its pack's lines only.
fn attach_embedded_tariffs(regimes: &mut [Regime]) -> Result<(), Error> {
    for (id, text) in EMBEDDED_TARIFFS {
        let Some(regime) = regimes.iter_mut().find(|r| r.id == *id) else {
            continue;
        };
        let at = format!("regimes/{id}/{id}.tariff");
        let header = crate::tariff::file::read_header(text).map_err(|e| e.within(&at))?;
        if header.regime != *id {
            return Err(Error::new(
                ErrorCode::Internal,
                format!("{at} is the tariff of regime {}", header.regime),
            )
            .from_origin(Origin::Tariff));
        }
        if header.currency == regime.currency {
            regime.tariff_file = Some(Arc::new(LazySchedule::deferred(
                *text,
                &regime.currency,
                at,
            )?));
        }
    }
    Ok(())
}

/// `(regime id, tariff file)` of every embedded national tariff.
#[cfg(feature = "embedded-tariffs")]
const EMBEDDED_TARIFFS: &[(&str, &str)] = xborder_regimes::TARIFFS;
/// No embedded tariffs without the `embedded-tariffs` feature (the WASM package loads them).
#[cfg(not(feature = "embedded-tariffs"))]
const EMBEDDED_TARIFFS: &[(&str, &str)] = &[];

/// The embedded sample profiles (when the embedded regimes and samples are on) and the
/// caller's, each checked against the loaded regime it names.
fn load_risk_profiles(
    builder: &EngineBuilder,
    regimes: &[Regime],
) -> Result<IdMap<RiskProfile>, Error> {
    let mut profiles = IdMap::default();
    let find = |id: &str| regimes.iter().find(|r| r.id == id);
    if builder.embedded && builder.sample_risk_profiles {
        for (id, text) in crate::risk::EMBEDDED {
            let profile = RiskProfile::from_json(text)
                .map_err(|e| e.within(&format!("regimes/{id}/risk-profile.json")))?;
            // A caller's pack may replace an embedded regime with another currency; the
            // sample profile then no longer fits and is left out rather than misapplied.
            if let Some(regime) = find(&profile.regime) {
                if profile.check_against(regime).is_ok() {
                    profiles.insert(profile.regime.clone(), profile);
                }
            }
        }
    }
    for (i, text) in builder.risk_profiles.iter().enumerate() {
        let at = format!("risk_profile[{i}]");
        let profile = RiskProfile::from_json(text).map_err(|e| e.within(&at))?;
        let regime = find(&profile.regime).ok_or_else(|| {
            Error::at(
                ErrorCode::NoRegime,
                format!("{at}.regime"),
                format!(
                    "risk profile {} is for regime {}, which is not loaded",
                    profile.id, profile.regime
                ),
            )
            .from_origin(Origin::Profile)
        })?;
        profile.check_against(regime).map_err(|e| e.within(&at))?;
        profiles.insert(profile.regime.clone(), profile);
    }
    Ok(profiles)
}

/// The embedded return rules (with the embedded regimes) and the caller's, each replacing the
/// rules of its regime, which must be loaded.
fn load_return_rules(
    builder: &EngineBuilder,
    regimes: &[Regime],
) -> Result<HashMap<String, crate::refund::ReturnRules>, Error> {
    let mut rules = if builder.embedded {
        crate::refund::embedded()?
    } else {
        HashMap::new()
    };
    for (i, text) in builder.return_rules.iter().enumerate() {
        let at = format!("return_rules[{i}]");
        let parsed = crate::refund::ReturnRules::from_json(text).map_err(|e| e.within(&at))?;
        if !regimes.iter().any(|r| r.id == parsed.regime) {
            return Err(Error::at(
                ErrorCode::NoRegime,
                format!("{at}.regime"),
                format!(
                    "return rules are for regime {}, which is not loaded",
                    parsed.regime
                ),
            )
            .from_origin(Origin::Pack));
        }
        rules.insert(parsed.regime.clone(), parsed);
    }
    Ok(rules)
}

/// What `assess_to_json` writes in place of a result.
#[derive(Serialize)]
struct ErrorRecord<'a> {
    id: Option<&'a str>,
    error: &'a Error,
}

/// A declaration the engine could not assess: the error record of docs/contract.md,
/// `{"id": …, "error": {"code", "message", "path"}}`, as a value. The JSON entry points return
/// it, so that a binding has the `id` without reading the input or the record again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Rejection {
    /// The declaration's `id`, when it could be read (a declaration that did not parse may
    /// still have a readable one); `None` (`null` in JSON) otherwise.
    pub id: Option<String>,
    /// Why the declaration was rejected.
    pub error: Error,
}

impl Rejection {
    /// A rejection of the declaration `id` (if known) for `error`.
    pub fn new(id: Option<String>, error: Error) -> Rejection {
        Rejection { id, error }
    }

    /// The error record's JSON: the bytes every binding writes in place of a result.
    pub fn to_json(&self) -> String {
        record_json(self.id.as_deref(), &self.error)
    }
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.id {
            Some(id) => write!(f, "{id}: {}", self.error),
            None => self.error.fmt(f),
        }
    }
}

impl std::error::Error for Rejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl Engine {
    /// An engine with the embedded reference regimes and official rate tables.
    pub fn embedded() -> Result<Engine, Error> {
        Engine::builder().build()
    }

    /// A builder starting from the embedded regimes.
    pub fn builder() -> EngineBuilder {
        EngineBuilder {
            embedded: true,
            embedded_tariffs: true,
            packs: Vec::new(),
            tariffs: Vec::new(),
            rates: None,
            rate_tables: Vec::new(),
            builtin_rates: true,
            sample_risk_profiles: true,
            risk_profiles: Vec::new(),
            return_rules: Vec::new(),
        }
    }

    /// All loaded regimes.
    pub fn regimes(&self) -> &[Regime] {
        &self.regimes
    }

    /// The loaded regimes as a serializable listing (what `xborder regimes --json` prints).
    pub fn regime_listing(&self) -> Vec<crate::regime::listing::RegimeInfo<'_>> {
        crate::regime::listing::regimes(self)
    }

    /// [`Engine::regime_listing`] as compact JSON: the same bytes in every binding.
    pub fn regimes_json(&self) -> String {
        // Only strings, numbers, dates and vectors: serializing cannot fail.
        serde_json::to_string(&self.regime_listing()).unwrap_or_else(|_| "[]".into())
    }

    /// Ids of the loaded regimes.
    pub fn regime_ids(&self) -> impl Iterator<Item = &str> {
        self.regimes.iter().map(|r| r.id.as_str())
    }

    /// The regime with this id.
    pub fn regime(&self, id: &str) -> Option<&Regime> {
        self.regimes.iter().find(|r| r.id == id)
    }

    /// The regime a destination country selects.
    pub fn regime_for_destination(&self, destination: &str) -> Option<&Regime> {
        self.regime_index_for_destination(destination)
            .map(|i| &self.regimes[i])
    }

    /// The index in [`Engine::regimes`] of the regime a destination country selects.
    #[inline]
    pub(crate) fn regime_index_for_destination(&self, destination: &str) -> Option<usize> {
        self.by_destination.get(destination)
    }

    /// The index in [`Engine::regimes`] of the regime with this id.
    pub(crate) fn regime_index(&self, id: &str) -> Option<usize> {
        self.regimes.iter().position(|r| r.id == id)
    }

    /// The risk profile screening declarations of regime `id`, if one is loaded.
    pub fn risk_profile(&self, id: &str) -> Option<&RiskProfile> {
        self.risk_profile_at(self.regime_index(id)?)
    }

    /// The risk profile of the regime at `index` in [`Engine::regimes`], without looking its
    /// id up.
    #[inline]
    pub(crate) fn risk_profile_at(&self, index: usize) -> Option<&RiskProfile> {
        self.risk_profiles.get(index)?.as_ref()
    }

    /// The risk profile of regime `id`, for a test that edits it.
    #[cfg(test)]
    pub(crate) fn risk_profile_mut(&mut self, id: &str) -> Option<&mut RiskProfile> {
        let index = self.regime_index(id)?;
        self.risk_profiles.get_mut(index)?.as_mut()
    }

    /// The return and refund rules of regime `id`, if loaded.
    pub fn return_rules(&self, id: &str) -> Option<&crate::refund::ReturnRules> {
        self.return_rules.get(id)
    }

    /// The number the assessment's per-thread plans are keyed by: this engine's alone.
    #[inline]
    pub(crate) fn plan_id(&self) -> u64 {
        self.plan_id.get()
    }

    /// The caller's exchange-rate table, if one was supplied.
    pub fn rates(&self) -> Option<&RateTable> {
        self.rates.caller.as_ref()
    }

    /// Every rate table the engine converts with: the caller's and the official ones.
    pub fn exchange_rates(&self) -> &Rates {
        &self.rates
    }

    /// Assesses a parsed declaration.
    pub fn assess(
        &self,
        declaration: &Declaration,
        options: &AssessOptions,
    ) -> Result<Assessment, Error> {
        crate::assess::assess(self, declaration, options)
    }

    /// Assesses a parsed declaration into `result`, an earlier result (or
    /// [`Assessment::empty`]) that is overwritten: the same assessment as [`Engine::assess`],
    /// field for field, but the result's vectors (duty, tax and fee lines, findings, release
    /// reasons, trace) keep their capacity, so that a caller replaying many declarations —
    /// statistics, a de minimis simulation — allocates no lines once the first records have
    /// sized them.
    ///
    /// On an error `result` holds no meaningful assessment (its vectors are emptied, other
    /// fields may be the earlier record's); read it only after `Ok`.
    pub fn assess_into(
        &self,
        declaration: &Declaration,
        options: &AssessOptions,
        result: &mut Assessment,
    ) -> Result<(), Error> {
        crate::assess::assess_into(self, declaration, options, result)
    }

    /// Parses and assesses a declaration given as JSON text.
    ///
    /// The text is read into this thread's spare declaration, as [`Engine::assess_record`]
    /// reads it, rather than into a new one by [`Declaration::from_json`]: the same
    /// declaration or error, but one the fast reader found valid as it read it is not walked
    /// again by `Declaration::check` (565 instructions of a three-item call), not moved through
    /// `Option` and `Result`, and its vectors are not allocated and freed on every call
    /// (issue 16: about 1 500 instructions of a three-item call).
    pub fn assess_json(&self, text: &str, options: &AssessOptions) -> Result<Assessment, Error> {
        crate::declaration::read_then(text, |read| self.assess(read?, options))
    }

    /// Parses and assesses a declaration given as JSON text; a failure is a [`Rejection`]
    /// carrying the declaration's `id` when it could be read.
    pub fn assess_record(
        &self,
        text: &str,
        options: &AssessOptions,
    ) -> Result<Assessment, Rejection> {
        self.record(text, |declaration| self.assess(declaration, options))
    }

    /// Parses `text` in place and hands the declaration to `assess`; either failure is a
    /// [`Rejection`]. The one home of the glue of [`Engine::assess_record`] and
    /// [`Engine::assess_json_into`]: the declaration is parsed where it stays (handing it back
    /// through `Result`s copied it several times a record), into the thread's spare one, whose
    /// vectors the last record sized (`declaration::read_then`), and only a declaration that
    /// did not parse is read again, for its id alone.
    #[inline(always)]
    fn record<R>(
        &self,
        text: &str,
        assess: impl FnOnce(&Declaration) -> Result<R, Error>,
    ) -> Result<R, Rejection> {
        crate::declaration::read_then(text, |read| match read {
            Err(e) => Err(Rejection::new(declared_id(text), e)),
            Ok(declaration) => {
                assess(declaration).map_err(|e| Rejection::new(Some(declaration.id.to_string()), e))
            }
        })
    }

    /// Parses and assesses JSON text, returning the result JSON or the error record
    /// (docs/contract.md) `{"id": …, "error": {"code", "message", "path"}}`. Every binding uses this (or
    /// [`Engine::assess_json_into`]), so all give byte-identical output.
    pub fn assess_to_json(
        &self,
        text: &str,
        options: &AssessOptions,
    ) -> (String, Option<Rejection>) {
        let mut out = Vec::with_capacity(1024);
        let err = self.assess_json_into(text, options, &mut out);
        // The writer copies `str`s and ASCII only; were that ever broken, show the bytes
        // rather than hand back an empty string.
        let json = String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        (json, err)
    }

    /// Assesses one line of an NDJSON stream exactly as every binding does: `line` is the
    /// line without its `\n` (a trailing `\r` is ignored), `full_len` its length in the input
    /// (a reader may pass a prefix of an over-long line), `line_no` its 1-based number. Writes
    /// the result or the error object followed by `\n`; a blank line (only ASCII spaces and
    /// tabs, [`crate::ndjson::is_blank`]) writes nothing. A line that is not UTF-8 or longer
    /// than [`crate::limits::MAX_DECLARATION_BYTES`] (its terminator not counted) is rejected
    /// with `E_INVALID_UTF8` / `E_INPUT_TOO_LARGE` and the path `line N`.
    pub fn assess_ndjson_line(
        &self,
        line: &[u8],
        full_len: usize,
        line_no: u64,
        options: &AssessOptions,
        out: &mut Vec<u8>,
    ) -> LineOutcome {
        let record = crate::ndjson::line_text(line, full_len, line_no);
        self.assess_line_record(record, options, out)
    }

    /// [`Engine::assess_ndjson_line`] for a line the caller already knows is UTF-8 (a reader
    /// that validated a whole block of lines at once, as `xborder assess` does): the same
    /// output and outcome, without validating the line again.
    pub fn assess_ndjson_text_line(
        &self,
        line: &str,
        full_len: usize,
        line_no: u64,
        options: &AssessOptions,
        out: &mut Vec<u8>,
    ) -> LineOutcome {
        let record = crate::ndjson::line_str(line, full_len, line_no);
        self.assess_line_record(record, options, out)
    }

    /// [`Engine::assess_ndjson_text_line`] for each of `lines` in turn, with the same output
    /// bytes, in the same order; `outcome` gets each line's [`LineOutcome`] in input order,
    /// once its record is written. Faster on many lines: they are read, assessed and written in
    /// runs of 64, stage by stage, so that each stage's code stays in the processor's
    /// instruction cache for the whole run (about 5 % less CPU time on generated EU
    /// declarations). The thread keeps the run's declarations and results for its next call,
    /// as the one-line path keeps one of each.
    pub fn assess_ndjson_text_lines(
        &self,
        lines: &[crate::ndjson::TextLine<'_>],
        options: &AssessOptions,
        out: &mut Vec<u8>,
        mut outcome: impl FnMut(LineOutcome),
    ) {
        crate::stages::assess_lines(self, lines, options, out, &mut outcome);
    }

    /// [`Engine::assess_ndjson_text_lines`] written over `out` from `*end` on instead of
    /// appended: the same bytes end up at `out[start..*end]`, `start` being `*end` as given,
    /// and `*end` is moved past them (a `*end` past the end of `out` is first reached with
    /// zeros). `out` keeps its length where it is long enough, so the bytes after `*end` are
    /// left over from earlier writes: a buffer handed in again with its length is written over
    /// without being zeroed first, which appending must do for each result's room (about 135
    /// instructions a generated EU record). `xborder assess` writes each block's results this
    /// way into buffers it reuses.
    pub fn assess_ndjson_text_lines_over(
        &self,
        lines: &[crate::ndjson::TextLine<'_>],
        options: &AssessOptions,
        out: &mut Vec<u8>,
        end: &mut usize,
        mut outcome: impl FnMut(LineOutcome),
    ) {
        crate::stages::assess_lines_over(self, lines, options, out, end, &mut outcome);
    }

    /// [`Engine::assess_ndjson_line`] for each `\n`-separated line of `input`, numbered from 1:
    /// a whole NDJSON batch held in memory, as the C library's `xb_assess_ndjson` and the WASM
    /// package's `assessNdjson` take it. The same output bytes, in the same order; `outcome`
    /// gets each line's number and [`LineOutcome`] in input order, once its record is written.
    /// Lines of text go through [`Engine::assess_ndjson_text_lines`] (read, assessed and
    /// written in runs); a line that is not UTF-8 gets its error record in its place. Like
    /// that function, the calling thread keeps the last run's 64 declarations and results
    /// (each with room for up to 64 items) for its next call: at most a few megabytes a thread
    /// that has assessed a batch (far less for declarations of a few items), in the WASM
    /// module's memory for a package.
    pub fn assess_ndjson_batch(
        &self,
        input: &[u8],
        options: &AssessOptions,
        out: &mut Vec<u8>,
        mut outcome: impl FnMut(u64, LineOutcome),
    ) {
        crate::stages::assess_batch(self, input, options, out, &mut outcome);
    }

    /// The rest of [`Engine::assess_ndjson_line`] once the line is a record, blank or refused.
    fn assess_line_record(
        &self,
        record: Result<Option<&str>, Error>,
        options: &AssessOptions,
        out: &mut Vec<u8>,
    ) -> LineOutcome {
        let outcome = match record {
            Ok(None) => return LineOutcome::Blank,
            Ok(Some(text)) => match self.assess_json_into(text, options, out) {
                None => LineOutcome::Assessed,
                Some(rejection) => LineOutcome::Rejected(rejection),
            },
            Err(error) => {
                let rejection = Rejection::new(None, error);
                out.extend_from_slice(rejection.to_json().as_bytes());
                LineOutcome::Rejected(rejection)
            }
        };
        out.push(b'\n');
        outcome
    }

    /// Like [`Engine::assess_to_json`], appending the JSON to `out` (no newline) so that a
    /// stream can reuse one buffer. Returns the rejection when the record was rejected.
    ///
    /// The result is built in the calling thread's last one, kept for the purpose: a stream
    /// allocates no result vectors once its first records have sized them. A thread that
    /// called this keeps that one result (a few hundred bytes and its lines) until it ends.
    pub fn assess_json_into(
        &self,
        text: &str,
        options: &AssessOptions,
        out: &mut Vec<u8>,
    ) -> Option<Rejection> {
        // The result is written where the assessment put it, and its vectors are kept for
        // the thread's next record (`assess::spare`): a stream allocates no lines.
        let written = self.record(text, |declaration| {
            crate::assess::spare::assess_then(self, declaration, options, |result| {
                result.write_json(out)
            })
        });
        let rejection = match written {
            Ok(()) => return None,
            Err(rejection) => rejection,
        };
        out.extend_from_slice(rejection.to_json().as_bytes());
        Some(rejection)
    }

    /// Like [`Engine::assess_json_into`], appending the result's tape record to `tape` and its
    /// strings to `text` ([`Assessment::write_tape`]) instead of its JSON. A rejected record
    /// appends nothing and returns its rejection. Feature `tape`.
    #[cfg(feature = "tape")]
    pub fn assess_tape_into(
        &self,
        json: &str,
        options: &AssessOptions,
        tape: &mut Vec<i32>,
        text: &mut Vec<u8>,
    ) -> Option<Rejection> {
        self.record(json, |declaration| {
            crate::assess::spare::assess_then(self, declaration, options, |result| {
                result.write_tape(tape, text)
            })
        })
        .err()
    }
}

/// What one NDJSON line became (see [`Engine::assess_ndjson_line`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineOutcome {
    /// A blank line: not a record, nothing written.
    Blank,
    /// The record was assessed; its result was written.
    Assessed,
    /// The record was rejected; its error object was written in its place.
    Rejected(Rejection),
}

/// The error record (docs/contract.md) for a record.
pub fn error_json(id: Option<String>, error: &Error) -> String {
    record_json(id.as_deref(), error)
}

fn record_json(id: Option<&str>, error: &Error) -> String {
    serde_json::to_string(&ErrorRecord { id, error })
        .unwrap_or_else(|_| r#"{"id":null,"error":{"code":"E_INTERNAL","message":"error did not serialize","path":null}}"#.to_string())
}

/// The `id` of a declaration that failed to parse, when it can still be read.
pub(crate) fn declared_id(text: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct IdOnly {
        id: Option<serde_json::Value>,
    }
    let v: IdOnly = serde_json::from_str(text).ok()?;
    match v.id? {
        serde_json::Value::String(s) if s.chars().count() <= crate::limits::MAX_ID_CHARS => Some(s),
        _ => None,
    }
}
