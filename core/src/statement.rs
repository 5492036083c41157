//! Account-based statements (FoS Standard 5, account-based system; Standard 7, collection
//! models): what each collecting operator owes, to whom, per period.
//!
//! The host feeds assessed consignments ([`StatementBuilder::add`]); the builder keeps one
//! running total per operator, period, member state and tax line, so memory grows with the
//! number of accounts, never with the number of consignments. Each consignment's payable
//! amounts are split by who remits them:
//!
//! * tax charged **at sale** is owed by the scheme's collector (the IOSS seller or
//!   marketplace, the UK point-of-sale registrant) to the tax authority of the member state
//!   of consumption — an IOSS return per member state;
//! * duty, import tax and fees due **at import** are owed by the collector when it pays on an
//!   account or remits periodically (a carrier under the EU special arrangements, an
//!   account-based operator), and otherwise are paid per consignment at the border (the
//!   `border` account), so that the statement still covers every amount.
//!
//! The grand totals therefore reconcile, to the cent, with the sum of the assessments'
//! `total_payable` ([`Statement::reconciles`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::date::Date;
use crate::declaration::{Declaration, Party, Text};
use crate::error::{Error, ErrorCode};
use crate::money::{with_scale, Amount};
use crate::regime::pack::{Collector, TaxPoint, When};
use crate::result::Assessment;

/// The accounting period of a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// One calendar day.
    Day,
    /// One calendar month (the default: IOSS returns and EU special-arrangement remittances
    /// are monthly).
    #[default]
    Month,
    /// One calendar quarter.
    Quarter,
}

impl Period {
    /// Parses `day`, `month` or `quarter`.
    pub fn parse(text: &str) -> Option<Period> {
        match text {
            "day" => Some(Period::Day),
            "month" => Some(Period::Month),
            "quarter" => Some(Period::Quarter),
            _ => None,
        }
    }

    /// The label of the period holding `date`: `2026-03-15`, `2026-03` or `2026-Q1`.
    pub fn label(self, date: Date) -> String {
        match self {
            Period::Day => date.to_string(),
            Period::Month => format!("{:04}-{:02}", date.year(), date.month()),
            Period::Quarter => format!("{:04}-Q{}", date.year(), date.month().div_ceil(3)),
        }
    }
}

/// Who remits an account's amounts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Operator {
    /// `seller`, `marketplace`, `carrier`, or `border` for amounts paid per consignment.
    pub role: &'static str,
    /// Name as declared (`border` for the border account).
    pub name: String,
    /// Collection scheme (`IOSS`, `GB_POS`, `EU_SA`), null at the border.
    pub scheme: Option<String>,
    /// Registration number under the scheme, when declared.
    pub registration: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct AccountKey {
    regime: Text,
    currency: Text,
    period: String,
    operator: Operator,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct LineKey {
    member_state: Text,
    component: &'static str,
    kind: String,
    rate: String,
    /// The name, not the `TaxPoint`: accounts list their lines in the names' order.
    charged: &'static str,
}

#[derive(Debug, Clone, Default)]
struct Totals {
    consignments: u64,
    base: Decimal,
    amount: Decimal,
}

#[derive(Debug, Clone, Default)]
struct Account {
    consignments: u64,
    lines: BTreeMap<LineKey, Totals>,
}

/// Accumulates assessed consignments into a [`Statement`].
#[derive(Debug, Clone, Default)]
pub struct StatementBuilder {
    period: Period,
    accounts: BTreeMap<AccountKey, Account>,
    // Per currency: consignments and the sum of their total_payable, to reconcile against.
    assessed: BTreeMap<Text, (u64, Decimal)>,
}

fn overflow() -> Error {
    Error::new(ErrorCode::Overflow, "a statement total overflowed")
}

fn add(a: Decimal, b: Decimal) -> Result<Decimal, Error> {
    a.checked_add(b).ok_or_else(overflow)
}

/// The operator a party is, under `scheme`, with its registration if it declares one.
fn party_operator(
    role: &'static str,
    party: &Party,
    scheme: Option<&str>,
    reg_scheme: Option<&str>,
) -> Operator {
    let registration = reg_scheme
        .and_then(|s| party.registration(s))
        .or_else(|| scheme.and_then(|s| party.registration(s)))
        .map(str::to_string);
    Operator {
        role,
        name: party.name.to_string(),
        scheme: scheme.map(str::to_string),
        registration,
    }
}

fn border() -> Operator {
    Operator {
        role: "border",
        name: "border".to_string(),
        scheme: None,
        registration: None,
    }
}

/// What one consignment puts on the operators' accounts: (operator, line, base, amount) for
/// the duty, each tax not self-assessed, and each fee.
fn entries(
    result: &Assessment,
    collector: &Operator,
    import_operator: &Operator,
) -> Vec<(Operator, LineKey, Decimal, Decimal)> {
    let state: Text = result.subdivision.clone();
    let mut entries: Vec<(Operator, LineKey, Decimal, Decimal)> = Vec::new();
    if !result.duty_total.0.is_zero() {
        // A scheme that collects the duty at checkout remits it too (Remessa Conforme).
        let (operator, charged) = if result.collection.duty_at_sale {
            (collector.clone(), "at_sale")
        } else {
            (import_operator.clone(), "at_import")
        };
        entries.push((
            operator,
            LineKey {
                member_state: state.clone(),
                component: "duty",
                kind: "duty".to_string(),
                rate: "tariff".to_string(),
                charged,
            },
            result.customs_value.0,
            result.duty_total.0,
        ));
    }
    for t in result
        .taxes
        .iter()
        .filter(|t| t.charged != TaxPoint::SelfAssessed)
    {
        let operator = if t.charged == TaxPoint::AtSale {
            collector.clone()
        } else {
            import_operator.clone()
        };
        entries.push((
            operator,
            LineKey {
                member_state: state.clone(),
                component: "tax",
                kind: t.kind.to_string(),
                rate: t.rate.to_string(),
                charged: t.charged.as_str(),
            },
            t.base.0,
            t.amount.0,
        ));
    }
    for f in &result.fees {
        entries.push((
            import_operator.clone(),
            LineKey {
                member_state: state.clone(),
                component: "fee",
                kind: f.kind.to_string(),
                rate: f.id.to_string(),
                charged: "at_import",
            },
            Decimal::ZERO,
            f.amount.0,
        ));
    }
    entries
}

impl StatementBuilder {
    /// A builder for statements over `period`.
    pub fn new(period: Period) -> StatementBuilder {
        StatementBuilder {
            period,
            ..StatementBuilder::default()
        }
    }

    /// The operator that remits `collector`'s amounts for this declaration.
    fn collector_operator(
        decl: &Declaration,
        result: &Assessment,
        engine: Option<&crate::Engine>,
    ) -> Operator {
        let scheme = result.collection.scheme.as_deref();
        // The registration scheme a collection scheme uses (GB_POS registers under GB_VAT).
        let reg_scheme = engine
            .and_then(|e| e.regime(&result.regime))
            .and_then(|r| r.version_on(result.date).ok())
            .and_then(|v| {
                v.rules
                    .schemes
                    .iter()
                    .find(|s| Some(s.id.as_str()) == scheme)
                    .and_then(|s| s.registration.as_ref())
                    .map(|r| r.scheme.clone())
            });
        let reg_scheme = reg_scheme.as_deref();
        match result.collection.collector {
            Collector::Seller => party_operator("seller", &decl.seller, scheme, reg_scheme),
            Collector::Marketplace => match &decl.marketplace {
                Some(m) => party_operator("marketplace", m, scheme, reg_scheme),
                None => party_operator("seller", &decl.seller, scheme, reg_scheme),
            },
            Collector::Carrier => match &decl.carrier {
                Some(c) => Operator {
                    role: "carrier",
                    name: c.name.to_string(),
                    scheme: scheme.map(str::to_string),
                    registration: None,
                },
                None => border(),
            },
            Collector::Registrant | Collector::Consignee | Collector::Customs => border(),
        }
    }

    /// Adds one assessed consignment. `engine`, when given, lets the builder name the
    /// registration scheme a collection scheme uses (`GB_POS` → `GB_VAT`). An overflow
    /// (sums beyond 7.9 × 10²⁸) is an error, after which the builder should be discarded.
    pub fn add(
        &mut self,
        decl: &Declaration,
        result: &Assessment,
        engine: Option<&crate::Engine>,
    ) -> Result<(), Error> {
        let period = self.period.label(result.date);
        let collector = Self::collector_operator(decl, result, engine);
        // Amounts due at import go on the collector's account only when it pays customs
        // periodically or on account; otherwise they are paid at the border.
        let import_operator =
            if result.collection.when != When::AtSale && collector.role != "border" {
                collector.clone()
            } else {
                border()
            };
        let entries = entries(result, &collector, &import_operator);
        let assessed = self
            .assessed
            .get(&result.currency)
            .copied()
            .unwrap_or_default();
        let new_assessed = (assessed.0 + 1, add(assessed.1, result.total_payable.0)?);
        let mut seen: Vec<&Operator> = Vec::new();
        for (operator, line, base, amount) in &entries {
            let key = AccountKey {
                regime: result.regime.clone(),
                currency: result.currency.clone(),
                period: period.clone(),
                operator: operator.clone(),
            };
            let account = self.accounts.entry(key).or_default();
            if !seen.contains(&operator) {
                account.consignments += 1;
                seen.push(operator);
            }
            let totals = account.lines.entry(line.clone()).or_default();
            totals.consignments += 1;
            totals.base = add(totals.base, *base)?;
            totals.amount = add(totals.amount, *amount)?;
        }
        self.assessed.insert(result.currency.clone(), new_assessed);
        Ok(())
    }

    /// The statement so far.
    pub fn finish(&self) -> Statement {
        let mut totals: BTreeMap<&str, Decimal> = BTreeMap::new();
        let accounts = self
            .accounts
            .iter()
            .map(|(key, account)| {
                let scale = crate::money::minor_units(&key.currency).unwrap_or(2);
                let mut total = Decimal::ZERO;
                let lines = account
                    .lines
                    .iter()
                    .map(|(line, t)| {
                        total += t.amount;
                        StatementLine {
                            member_state: Arc::from(line.member_state.as_str()),
                            component: line.component,
                            kind: line.kind.clone(),
                            rate: line.rate.clone(),
                            charged: line.charged,
                            owed_to: owed_to(line),
                            consignments: t.consignments,
                            base: Amount(with_scale(t.base, scale)),
                            amount: Amount(with_scale(t.amount, scale)),
                        }
                    })
                    .collect();
                let entry = totals.entry(key.currency.as_str()).or_default();
                *entry += total;
                StatementAccount {
                    regime: Arc::from(key.regime.as_str()),
                    currency: Arc::from(key.currency.as_str()),
                    period: key.period.clone(),
                    operator: key.operator.clone(),
                    consignments: account.consignments,
                    lines,
                    total: Amount(with_scale(total, scale)),
                }
            })
            .collect();
        let reconciliation = self
            .assessed
            .iter()
            .map(|(currency, (n, assessed))| {
                let scale = crate::money::minor_units(currency).unwrap_or(2);
                let stated = totals.get(currency.as_str()).copied().unwrap_or_default();
                Reconciliation {
                    currency: Arc::from(currency.as_str()),
                    consignments: *n,
                    assessed_total_payable: Amount(with_scale(*assessed, scale)),
                    statement_total: Amount(with_scale(stated, scale)),
                    difference: Amount(with_scale(stated - assessed, scale)),
                }
            })
            .collect();
        Statement {
            period: self.period,
            accounts,
            reconciliation,
        }
    }
}

fn owed_to(line: &LineKey) -> String {
    // Duty is owed to customs even when a scheme collected it at sale.
    match (line.component, line.charged) {
        ("tax", "at_sale") => format!("tax authority of {}", line.member_state),
        _ => format!("customs of {}", line.member_state),
    }
}

/// What every operator owes, per period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Statement {
    /// The accounting period.
    pub period: Period,
    /// One account per regime, currency, period and operator, in that order.
    pub accounts: Vec<StatementAccount>,
    /// Per currency: the statement's total against the assessments' `total_payable`.
    pub reconciliation: Vec<Reconciliation>,
}

/// One operator's account for one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StatementAccount {
    /// Regime id.
    pub regime: Arc<str>,
    /// Currency of every amount.
    pub currency: Arc<str>,
    /// Period label (`2026-03`).
    pub period: String,
    /// Who remits.
    pub operator: Operator,
    /// Consignments with an amount on this account.
    pub consignments: u64,
    /// Per member state, component, kind and rate.
    pub lines: Vec<StatementLine>,
    /// Sum of `lines[].amount`.
    pub total: Amount,
}

/// One line of an account: e.g. VAT at 19 % for Germany, charged at sale.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StatementLine {
    /// Tax subdivision (member state of consumption for the EU).
    pub member_state: Arc<str>,
    /// `duty`, `tax` or `fee`.
    pub component: &'static str,
    /// `duty`, the tax kind (`VAT`), or the fee kind.
    pub kind: String,
    /// Tax rate text, `tariff` for duty, the fee id for fees.
    pub rate: String,
    /// `at_sale` or `at_import`.
    pub charged: &'static str,
    /// Whom the amount is owed to.
    pub owed_to: String,
    /// Consignments on this line.
    pub consignments: u64,
    /// Sum of the bases (taxable amount; customs value for duty; 0 for fees).
    pub base: Amount,
    /// Sum of the amounts.
    pub amount: Amount,
}

/// The statement's total for one currency against its assessments.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Reconciliation {
    /// Currency.
    pub currency: Arc<str>,
    /// Consignments added.
    pub consignments: u64,
    /// Sum of the assessments' `total_payable`.
    pub assessed_total_payable: Amount,
    /// Sum of every account's total.
    pub statement_total: Amount,
    /// `statement_total - assessed_total_payable`; zero when the statement reconciles.
    pub difference: Amount,
}

impl Statement {
    /// True when every currency's statement total equals its assessments' total payable.
    pub fn reconciles(&self) -> bool {
        self.reconciliation.iter().all(|r| r.difference.0.is_zero())
    }

    /// The statement as CSV: one row per account line, with the account's identity repeated.
    pub fn to_csv(&self) -> String {
        let mut w = crate::csv_text::CsvWriter::new();
        w.row([
            "period",
            "regime",
            "currency",
            "operator_role",
            "operator_name",
            "scheme",
            "registration",
            "member_state",
            "component",
            "kind",
            "rate",
            "charged",
            "owed_to",
            "consignments",
            "base",
            "amount",
        ]);
        for a in &self.accounts {
            for l in &a.lines {
                let text = [
                    a.period.as_str(),
                    &a.regime,
                    &a.currency,
                    a.operator.role,
                    &a.operator.name,
                    a.operator.scheme.as_deref().unwrap_or(""),
                    a.operator.registration.as_deref().unwrap_or(""),
                    &l.member_state,
                    l.component,
                    &l.kind,
                    &l.rate,
                    l.charged,
                    &l.owed_to,
                ]
                .map(guard);
                let figures = [
                    l.consignments.to_string(),
                    l.base.0.to_string(),
                    l.amount.0.to_string(),
                ];
                w.row(
                    text.iter()
                        .map(|t| t.as_ref())
                        .chain(figures.iter().map(String::as_str)),
                );
            }
        }
        w.finish()
    }
}

/// A leading `'` for text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`); the
/// writer quotes it where RFC 4180 needs.
fn guard(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_labels() {
        let d: Date = "2026-11-29".parse().unwrap();
        assert_eq!(Period::Day.label(d), "2026-11-29");
        assert_eq!(Period::Month.label(d), "2026-11");
        assert_eq!(Period::Quarter.label(d), "2026-Q4");
        assert_eq!(
            Period::Quarter.label("2026-03-31".parse().unwrap()),
            "2026-Q1"
        );
        assert_eq!(
            Period::Quarter.label("2026-04-01".parse().unwrap()),
            "2026-Q2"
        );
        assert_eq!(Period::parse("week"), None);
    }

    #[test]
    fn csv_fields_are_quoted_and_guarded() {
        let csv_field = |text: &str| {
            let mut w = crate::csv_text::CsvWriter::new();
            w.row([guard(text).as_ref()]);
            w.finish().trim_end_matches('\n').to_string()
        };
        assert_eq!(csv_field("Shop"), "Shop");
        assert_eq!(csv_field("Shop, Ltd"), "\"Shop, Ltd\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_field("=A1,B1"), "\"'=A1,B1\"");
    }
}
