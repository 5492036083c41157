//! What every stage of one assessment reads: the declaration, the options, the regime, version
//! and tax subdivision that apply, the exchange rates and, once valued, the
//! consignment's values; and the two records every stage writes to, the trace and the
//! findings.

use std::cell::RefCell;
use std::mem::ManuallyDrop;

use rust_decimal::Decimal;

use super::spare::{Spare, SpareLines};
use super::valuation::Valuation;
use super::AssessOptions;
use crate::date::Date;
use crate::declaration::Declaration;
use crate::error::{Error, ErrorCode, Origin};
use crate::money::{with_scale, Amount};
use crate::regime::pack::Basis;
use crate::regime::{Regime, Subdivision, Version};
use crate::result::{Finding, Severity};
use crate::trace::{Step, Tracer};
use crate::Engine;

/// Everything one assessment works on.
pub(crate) struct Ctx<'a> {
    pub decl: &'a Declaration,
    pub regime: &'a Regime,
    /// The regime's risk profile, if one is loaded.
    pub risk_profile: Option<&'a crate::risk::RiskProfile>,
    pub version: &'a Version,
    /// The date whose rules apply.
    pub date: Date,
    /// The tax subdivision whose rates apply.
    pub subdivision: &'a str,
    /// The same subdivision, resolved: its standard rates, their texts, its reduced rates.
    pub sub: &'a Subdivision,
    pub opts: &'a AssessOptions,
    /// The consignment's values (set by the valuation stage, before any stage reads them).
    pub values: Valuation,
    /// Findings, recorded through `&self` like the trace. Taken out for the result
    /// ([`Ctx::take_findings`]); a context dropped before that (an error) drops them in its
    /// `Drop`, so that the usual drop, of an empty vector, is no call of the findings' drop
    /// (about 25 instructions a record, `result::Message`).
    pub findings: RefCell<ManuallyDrop<Vec<Finding>>>,
    pub tracer: Tracer,
    /// The exchange rates (the caller's table, then the official ones), for declared amounts
    /// and for pack amounts fixed in another currency (a fee's `currency`).
    pub rates: &'a crate::exchange::Rates,
    /// Vectors of an earlier result the stages fill again ([`super::spare`]).
    pub spare: ManuallyDrop<SpareLines>,
    /// The engine's plan identity ([`super::plan`]).
    pub plan: u64,
}

/// The regime, version, date and tax subdivision that apply to a declaration
/// ([`Ctx::select`]): the part of the context that can fail, chosen apart so that the context
/// itself is built where it stays rather than copied out of a `Result`.
pub(crate) struct Selected<'a> {
    regime: &'a Regime,
    risk_profile: Option<&'a crate::risk::RiskProfile>,
    version: &'a Version,
    date: Date,
    sub: &'a Subdivision,
}

impl<'a> Ctx<'a> {
    /// Selects the regime, its version in force and the tax subdivision for `decl`.
    pub fn select(
        engine: &'a Engine,
        decl: &Declaration,
        opts: &AssessOptions,
    ) -> Result<Selected<'a>, Error> {
        let index = select_regime(engine, decl, opts)?;
        let regime = &engine.regimes()[index];
        let date = opts.date.unwrap_or(decl.date);
        let version = regime.version_on(date)?;
        let sub = tax_subdivision(version, decl)?;
        Ok(Selected {
            regime,
            risk_profile: engine.risk_profile_at(index),
            version,
            date,
            sub,
        })
    }

    /// The context of the selection; its findings, trace and lines start from `spare`'s
    /// vectors. [`Ctx::start`] must follow before any stage runs. Inlined, and the context is
    /// its last expression, so that it is built where it stays (it is some 500 bytes).
    #[inline(always)]
    pub fn new(
        engine: &'a Engine,
        decl: &'a Declaration,
        opts: &'a AssessOptions,
        selected: Selected<'a>,
        spare: Spare,
    ) -> Ctx<'a> {
        Ctx {
            decl,
            regime: selected.regime,
            risk_profile: selected.risk_profile,
            version: selected.version,
            date: selected.date,
            subdivision: selected.sub.key.as_str(),
            sub: selected.sub,
            opts,
            values: Valuation::default(),
            findings: RefCell::new(ManuallyDrop::new(spare.findings)),
            tracer: Tracer::reusing(opts.trace, spare.trace),
            rates: engine.exchange_rates(),
            spare: ManuallyDrop::new(SpareLines::new(
                spare.duties,
                spare.taxes,
                spare.fees,
                spare.tax_items,
            )),
            plan: engine.plan_id(),
        }
    }

    /// Records the selection in the trace and judges the option readings against the
    /// version: a bad one is an error, one only another regime declares a finding. The stages
    /// that read one (`option`, `engine_option`) rely on it.
    pub fn start(&self, engine: &Engine) -> Result<(), Error> {
        let (decl, regime, version) = (self.decl, self.regime, self.version);
        self.tracer.step(Step::Regime, || {
            (
                version.label.clone(),
                version.rules.source.clone(),
                format!(
                    "destination {} selects regime {} ({}); version {} is in force on {}; tax subdivision {}",
                    decl.destination, regime.id, regime.name, version.label, self.date, self.subdivision
                ),
            )
        });
        if self.opts.options.is_empty() {
            // No readings to judge (most callers): no walk of an empty map, no vector.
            return Ok(());
        }
        for name in crate::options::judge_readings(engine, version, self.opts)? {
            // Another regime's option: normal in a mixed batch.
            self.finding(
                "F_OPTION_NOT_USED",
                Severity::Info,
                Some(format!("options.{name}").into()),
                format!(
                    "{} declares no option {name}; it was ignored",
                    version.label
                ),
            );
        }
        Ok(())
    }
}

impl Ctx<'_> {
    /// `EU@2021-07-01/<what>`: the rule id used in traces.
    pub fn rule(&self, what: &str) -> String {
        format!("{}/{}", self.version.label, what)
    }

    /// The value a threshold or ceiling compares.
    #[inline]
    pub fn basis_value(&self, basis: Basis) -> Decimal {
        self.values.basis_value(basis)
    }

    /// The value of an engine option (`crate::options`): the caller's choice, or its default.
    /// `Ctx::new` has judged the choice already (`crate::options::judge_readings`). Inlined:
    /// with no options given (most callers) it is the default, without a call or a search.
    #[inline]
    pub fn engine_option(&self, option: &crate::options::EngineOption) -> Result<&str, Error> {
        if self.opts.options.is_empty() {
            return Ok(option.default);
        }
        Ok(self.chosen(option))
    }

    /// [`Ctx::engine_option`] when options were given.
    #[inline(never)]
    fn chosen(&self, option: &crate::options::EngineOption) -> &str {
        self.opts
            .options
            .get(option.name)
            .map_or(option.default, String::as_str)
    }

    /// The reading of an uncertain rule: the caller's choice, or the pack's default. `Ctx::new`
    /// has judged the choice already (`crate::options::judge_readings`).
    pub fn option(&self, name: &str) -> Result<&str, Error> {
        // A pack declares a handful of options: a scan of the version's flat list (lengths
        // compared first) finds one in fewer instructions than the map's ordered search or
        // its iterator.
        let Some((_, default)) = self
            .version
            .option_defaults
            .iter()
            .find(|(k, _)| crate::hashing::same_text(k.as_bytes(), name.as_bytes()))
        else {
            return Err(undeclared_option(name));
        };
        if self.opts.options.is_empty() {
            return Ok(default);
        }
        Ok(self.opts.options.get(name).map_or(default, String::as_str))
    }

    /// The findings recorded, for the result (the context keeps an empty vector).
    #[inline]
    pub fn take_findings(&self) -> Vec<Finding> {
        ManuallyDrop::into_inner(self.findings.take())
    }

    /// Records a data-quality or validation finding.
    pub fn finding(
        &self,
        code: &'static str,
        severity: Severity,
        path: Option<crate::declaration::Text>,
        message: impl Into<crate::result::Message>,
    ) {
        let mut findings = self.findings.borrow_mut();
        super::spare::first_room(&mut findings, 4);
        findings.push(Finding {
            code: std::borrow::Cow::Borrowed(code),
            severity,
            path,
            message: message.into(),
        });
    }

    /// Records a finding whose message `write` writes in its place (a message put together
    /// first and moved in would be copied with its inline room, `result::Message`).
    pub fn finding_written(
        &self,
        code: &'static str,
        severity: Severity,
        path: Option<crate::declaration::Text>,
        write: impl FnOnce(&mut crate::result::Message),
    ) {
        let mut findings = self.findings.borrow_mut();
        // The room `push`'s growth gives a vector of findings, made directly.
        super::spare::first_room(&mut findings, 4);
        let made = crate::result::push_in_place(&mut findings, || Finding {
            code: std::borrow::Cow::Borrowed(code),
            severity,
            path,
            message: crate::result::Message::new(),
        });
        if let Some(f) = made {
            write(&mut f.message);
        }
    }

    /// Output form of an amount: rescaled to the currency's minor units. Always inlined (a
    /// few dozen times a record, nearly always a field read and a compare): a call cost more.
    #[inline(always)]
    pub fn out(&self, value: Decimal) -> Amount {
        Amount(with_scale(value, self.version.currency_scale))
    }
}

impl Drop for Ctx<'_> {
    /// Drops the findings no result took (an assessment that failed), and the spare lines no
    /// stage took ([`SpareLines::dispose`]).
    #[inline]
    fn drop(&mut self) {
        // Looked at, not taken: a result took them and left no capacity; a failed assessment's
        // findings are dropped here.
        let findings: &mut Vec<Finding> = self.findings.get_mut();
        if findings.capacity() != 0 {
            super::spare::drop_vec(std::mem::take(findings));
        }
        self.spare.dispose();
    }
}

/// A pack option read by a rule but not declared (the pack's compilation checks it is).
#[cold]
fn undeclared_option(name: &str) -> Error {
    Error::new(
        ErrorCode::Internal,
        format!("pack option {name} is used but not declared"),
    )
}

/// The index of the regime the caller names (options, then the declaration), else of the one
/// the destination selects.
fn select_regime(
    engine: &Engine,
    decl: &Declaration,
    opts: &AssessOptions,
) -> Result<usize, Error> {
    let named = opts.regime.as_deref().or(decl.regime.as_deref());
    let (regime, path) = match named {
        Some(id) => (engine.regime_index(id), "regime"),
        None => (
            engine.regime_index_for_destination(&decl.destination),
            "destination",
        ),
    };
    regime.ok_or_else(|| {
        let asked = named.unwrap_or(&decl.destination);
        let origin = match opts.regime {
            Some(_) => Origin::Options,
            None => Origin::Declaration,
        };
        Error::at(
            ErrorCode::NoRegime,
            path,
            format!(
                "no regime is loaded for {asked:?}; loaded regimes: {}",
                engine.regime_ids().collect::<Vec<_>>().join(", ")
            ),
        )
        .from_origin(origin)
    })
}

/// The tax subdivision whose rates apply: the destination (EU member state), the address's
/// ISO 3166-2 subdivision (provincial taxes), or the regime's only one.
fn tax_subdivision<'v>(version: &'v Version, decl: &Declaration) -> Result<&'v Subdivision, Error> {
    let subdivisions = &version.subdivisions;
    if let Some(sub) = subdivisions.get(decl.destination.as_str()) {
        return Ok(sub);
    }
    let sub = decl
        .consignee
        .address
        .as_ref()
        .and_then(|a| a.subdivision.as_deref());
    if let Some(found) = sub.and_then(|s| subdivisions.get(s)) {
        return Ok(found);
    }
    if let Some(only) = subdivisions.only() {
        return Ok(only);
    }
    Err(Error::at(
        ErrorCode::NoTaxRate,
        if sub.is_some() { "consignee.address.subdivision" } else { "destination" },
        format!(
            "{} has tax rates for {}; neither the destination {} nor the address subdivision selects one",
            version.label,
            subdivisions.keys().collect::<Vec<_>>().join(", "),
            decl.destination
        ),
    ))
}
