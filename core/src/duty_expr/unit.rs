//! The measures a specific duty is charged on, and how many of them one amount covers.

use std::fmt;

use rust_decimal::Decimal;

/// The measure a specific component is charged on.
///
/// How many units one amount covers (100 kg, a dozen items) is kept apart, in the component's
/// [`Unit`], so one measure serves every multiple a schedule uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DutyUnit {
    /// Kilograms of net mass.
    Kg,
    /// Kilograms of gross mass (goods with their packing): Switzerland's general assessment unit
    /// (Customs Tariff Act, SR 632.10, Art. 2 para. 1).
    GrossKg,
    /// Items (`p/st` in EU notation, `No.` in the US schedule); uses the line's quantity.
    Item,
    /// Pairs (footwear, gloves); uses the line's quantity, which for such goods is declared in
    /// pairs.
    Pair,
    /// Litres; uses the line's quantity when it is declared in litres.
    Litre,
    /// Metres of length. A supplementary measure the declaration does not carry yet.
    Metre,
    /// Square metres. A supplementary measure the declaration does not carry yet.
    SquareMetre,
    /// Cubic metres. A supplementary measure the declaration does not carry yet.
    CubicMetre,
    /// Metric carats (gemstones). A supplementary measure the declaration does not carry yet.
    Carat,
    /// Jewels (watch movements). A supplementary measure the declaration does not carry yet.
    Jewel,
    /// Proof litres (US spirits). A supplementary measure the declaration does not carry yet.
    ProofLitre,
    /// Litres of pure alcohol. A supplementary measure the declaration does not carry yet.
    AlcoholLitre,
    /// Kilograms of clean yield (wool). A supplementary measure the declaration does not carry
    /// yet.
    CleanKg,
    /// Kilograms of dry mass. A supplementary measure the declaration does not carry yet.
    DryKg,
    /// Kilowatt-hours (electricity). A supplementary measure the declaration does not carry yet.
    Kwh,
}

impl DutyUnit {
    /// Canonical spelling, chosen to be compact and to parse back.
    pub fn as_str(self) -> &'static str {
        match self {
            DutyUnit::Kg => "kg",
            DutyUnit::GrossKg => "kg gross",
            DutyUnit::Item => "item",
            DutyUnit::Pair => "pair",
            DutyUnit::Litre => "l",
            DutyUnit::Metre => "m",
            DutyUnit::SquareMetre => "m2",
            DutyUnit::CubicMetre => "m3",
            DutyUnit::Carat => "carat",
            DutyUnit::Jewel => "jewel",
            DutyUnit::ProofLitre => "pf l",
            DutyUnit::AlcoholLitre => "l alc",
            DutyUnit::CleanKg => "kg clean",
            DutyUnit::DryKg => "kg dry",
            DutyUnit::Kwh => "kwh",
        }
    }

    /// For a measure no declaration field carries, what it is, as the missing-input error
    /// names it; `None` for the measures the engine reads.
    pub fn supplementary(self) -> Option<&'static str> {
        Some(match self {
            DutyUnit::Kg
            | DutyUnit::GrossKg
            | DutyUnit::Item
            | DutyUnit::Pair
            | DutyUnit::Litre => return None,
            DutyUnit::Metre => "length in metres (m)",
            DutyUnit::SquareMetre => "area in square metres (m2)",
            DutyUnit::CubicMetre => "volume in cubic metres (m3)",
            DutyUnit::Carat => "weight in carats",
            DutyUnit::Jewel => "number of jewels",
            DutyUnit::ProofLitre => "volume in proof litres (pf l)",
            DutyUnit::AlcoholLitre => "volume of pure alcohol in litres (l alc)",
            DutyUnit::CleanKg => "clean yield in kilograms (kg clean)",
            DutyUnit::DryKg => "dry weight in kilograms (kg dry)",
            DutyUnit::Kwh => "energy in kilowatt-hours (kwh)",
        })
    }

    /// Whether a multiple is written against the name (`100kg`) rather than before it with a
    /// space (`12 item`): the mass and volume units keep the tariffs' own compact spelling.
    fn glued(self) -> bool {
        matches!(
            self,
            DutyUnit::Kg
                | DutyUnit::GrossKg
                | DutyUnit::Litre
                | DutyUnit::AlcoholLitre
                | DutyUnit::CleanKg
                | DutyUnit::DryKg
        )
    }
}

/// A measure of a line that a duty is charged on and a declaration may not give: what a
/// [`DutyExprError::MissingInput`](super::DutyExprError::MissingInput) names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    /// Net mass (`items[].net_mass_kg`).
    NetMass,
    /// Gross mass (`items[].gross_mass_kg`).
    GrossMass,
    /// Volume in litres (`items[].quantity` in litres).
    Litres,
    /// A measure no declaration field carries yet (m2, carats, …); one of the units whose
    /// [`DutyUnit::supplementary`] is `Some`.
    Supplementary(DutyUnit),
}

impl Measure {
    /// The measure as the missing-input message names it (`net mass`, `area in square metres
    /// (m2)`).
    pub fn describe(self) -> &'static str {
        match self {
            Measure::NetMass => "net mass",
            Measure::GrossMass => "gross mass",
            Measure::Litres => "volume in litres",
            Measure::Supplementary(unit) => unit.supplementary().unwrap_or(unit.as_str()),
        }
    }

    /// The declaration field of an item that carries the measure (`net_mass_kg`); `None` for a
    /// supplementary measure, which no field carries yet.
    pub fn item_field(self) -> Option<&'static str> {
        match self {
            Measure::NetMass => Some("net_mass_kg"),
            Measure::GrossMass => Some("gross_mass_kg"),
            Measure::Litres => Some("quantity"),
            Measure::Supplementary(_) => None,
        }
    }
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.describe())
    }
}

/// A measure and how many of it one amount covers: `100kg`, `12 item`, `158.987294928 l`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Unit {
    /// What is measured.
    pub measure: DutyUnit,
    /// How many units one amount covers; positive, normalised (no trailing zeros), `1` for a
    /// plain unit.
    pub per: Decimal,
}

impl Unit {
    /// Whether dividing an amount by [`Unit::per`] is exact (a power of ten), so the division
    /// can be done once at parse time; a dozen or a barrel divides at evaluation instead, after
    /// the multiplication, so that the result is as exact as the figures allow.
    pub(super) fn divides_exactly(&self) -> bool {
        let m = self.per.mantissa();
        m > 0 && {
            let mut m = m;
            while m % 10 == 0 {
                m /= 10;
            }
            m == 1
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.per != Decimal::ONE {
            let glue = self.measure.glued() && self.per.fract().is_zero();
            write!(f, "{}{}", self.per, if glue { "" } else { " " })?;
        }
        f.write_str(self.measure.as_str())
    }
}
