//! The measures a specific duty is charged on, and how many of them one amount covers.

use std::fmt;

use rust_decimal::Decimal;

/// The measure a specific component is charged on, or, for an ad valorem component charged on
/// the value of a part of the goods (`45% on case`), that part's value.
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
    /// Kilograms of drained weight (fruit and vegetables in brine or syrup, US chapter 20). A
    /// supplementary measure the declaration does not carry yet.
    DrainedKg,
    /// Kilograms of total sugars (US chapters 17 and 21). A supplementary measure the
    /// declaration does not carry yet.
    SugarsKg,
    /// Kilograms of a substance contained in the goods (the lead of a lead ore, the anhydrous
    /// morphine of an opium product). A supplementary measure the declaration does not carry yet.
    ContentKg(Substance),
    /// Net kilograms times the polarimeter degrees by which the sugar falls short of 100 (the
    /// US raw-sugar rates "less x¢/kg for each degree under 100 degrees"). A supplementary
    /// measure the declaration does not carry yet.
    DegreeKg,
    /// Square metres of recording surface (US 8523 recording media). A supplementary measure
    /// the declaration does not carry yet.
    RecordingM2,
    /// Immediate containers (US 3923: a rate per gross of containers holding the goods). A
    /// supplementary measure the declaration does not carry yet.
    Container,
    /// Button lines: each button's size in lines (1/40 inch) summed over the buttons (US 9606,
    /// "¢/line/gross": per line of size per gross of buttons). A supplementary measure the
    /// declaration does not carry yet.
    ButtonLine,
    /// Jewels of a watch movement beyond the seventh (US 9101-9102, "¢/jewel over 7"). A
    /// supplementary measure the declaration does not carry yet.
    JewelOver7,
    /// The value of a part of the goods, in the regime's currency, for an ad valorem component
    /// charged on it rather than on the customs value (`45% on case`). A supplementary measure
    /// the declaration does not carry yet.
    ValueOf(Part),
}

/// A substance whose content in the goods a specific rate is charged on ([`DutyUnit::ContentKg`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Substance {
    /// Copper content.
    Copper,
    /// Lead content.
    Lead,
    /// Zinc content.
    Zinc,
    /// Tungsten content.
    Tungsten,
    /// Molybdenum content.
    Molybdenum,
    /// Manganese content.
    Manganese,
    /// Silicon content.
    Silicon,
    /// Magnesium content.
    Magnesium,
    /// Anhydrous morphine content (opium and its derivatives).
    Morphine,
}

impl Substance {
    /// Every substance, in the order the grammar tries their names.
    pub(super) const ALL: [Substance; 9] = [
        Substance::Copper,
        Substance::Lead,
        Substance::Zinc,
        Substance::Tungsten,
        Substance::Molybdenum,
        Substance::Manganese,
        Substance::Silicon,
        Substance::Magnesium,
        Substance::Morphine,
    ];

    /// The grammar's name, after `kg`: `kg lead`.
    pub fn as_str(self) -> &'static str {
        match self {
            Substance::Copper => "copper",
            Substance::Lead => "lead",
            Substance::Zinc => "zinc",
            Substance::Tungsten => "tungsten",
            Substance::Molybdenum => "molybdenum",
            Substance::Manganese => "manganese",
            Substance::Silicon => "silicon",
            Substance::Magnesium => "magnesium",
            Substance::Morphine => "morphine",
        }
    }
}

/// A part of the goods whose own value an ad valorem component is charged on
/// ([`DutyUnit::ValueOf`]): the US schedule prices watches, clocks and some apparatus part by
/// part (`$1.70 each + 45% on the case + 35% on the battery`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Part {
    /// A watch or clock case.
    Case,
    /// A watch strap, band or bracelet.
    Strap,
    /// The case and the strap, band or bracelet together.
    CaseAndStrap,
    /// A watch or clock movement.
    Movement,
    /// The movement and the case together.
    MovementAndCase,
    /// The battery.
    Battery,
    /// The apparatus a battery comes with (US 9105, 9109).
    Apparatus,
    /// A rifle entered with a telescopic sight (US 9013).
    Rifle,
    /// The telescopic sight entered with a rifle.
    Sight,
    /// The lead content of the goods (US 2620, 8548).
    LeadContent,
    /// The cost of the repairs, parts or materials a chapter 98 provision charges.
    Cost,
}

impl Part {
    /// Every part with its grammar name, longest names first so that a longer name wins over
    /// its first word (`case and strap` over `case`).
    pub(super) const NAMES: [(Part, &'static str); 11] = [
        (Part::CaseAndStrap, "case and strap"),
        (Part::MovementAndCase, "movement and case"),
        (Part::LeadContent, "lead content"),
        (Part::Case, "case"),
        (Part::Strap, "strap"),
        (Part::Movement, "movement"),
        (Part::Battery, "battery"),
        (Part::Apparatus, "apparatus"),
        (Part::Rifle, "rifle"),
        (Part::Sight, "sight"),
        (Part::Cost, "cost"),
    ];

    /// The grammar's name, after `% on`: `45% on case`.
    pub fn as_str(self) -> &'static str {
        Part::NAMES
            .iter()
            .find(|(p, _)| *p == self)
            .map_or("", |(_, name)| name)
    }

    /// What the missing-input error names.
    fn missing(self) -> &'static str {
        match self {
            Part::Case => "value of the case (% on case)",
            Part::Strap => "value of the strap, band or bracelet (% on strap)",
            Part::CaseAndStrap => {
                "value of the case and the strap, band or bracelet (% on case and strap)"
            }
            Part::Movement => "value of the movement (% on movement)",
            Part::MovementAndCase => "value of the movement and the case (% on movement and case)",
            Part::Battery => "value of the battery (% on battery)",
            Part::Apparatus => "value of the apparatus without its battery (% on apparatus)",
            Part::Rifle => "value of the rifle (% on rifle)",
            Part::Sight => "value of the telescopic sight (% on sight)",
            Part::LeadContent => "value of the lead content (% on lead content)",
            Part::Cost => "cost of the repairs, parts or materials (% on cost)",
        }
    }
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
            DutyUnit::DrainedKg => "kg drained",
            DutyUnit::SugarsKg => "kg sugars",
            DutyUnit::ContentKg(s) => match s {
                Substance::Copper => "kg copper",
                Substance::Lead => "kg lead",
                Substance::Zinc => "kg zinc",
                Substance::Tungsten => "kg tungsten",
                Substance::Molybdenum => "kg molybdenum",
                Substance::Manganese => "kg manganese",
                Substance::Silicon => "kg silicon",
                Substance::Magnesium => "kg magnesium",
                Substance::Morphine => "kg morphine",
            },
            DutyUnit::DegreeKg => "kg deg",
            DutyUnit::RecordingM2 => "m2 recording",
            DutyUnit::Container => "container",
            DutyUnit::ButtonLine => "line",
            DutyUnit::JewelOver7 => "jewel over 7",
            DutyUnit::ValueOf(p) => p.as_str(),
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
            DutyUnit::DrainedKg => "drained weight in kilograms (kg drained)",
            DutyUnit::SugarsKg => "weight of total sugars in kilograms (kg sugars)",
            DutyUnit::ContentKg(s) => match s {
                Substance::Copper => "copper content in kilograms (kg copper)",
                Substance::Lead => "lead content in kilograms (kg lead)",
                Substance::Zinc => "zinc content in kilograms (kg zinc)",
                Substance::Tungsten => "tungsten content in kilograms (kg tungsten)",
                Substance::Molybdenum => "molybdenum content in kilograms (kg molybdenum)",
                Substance::Manganese => "manganese content in kilograms (kg manganese)",
                Substance::Silicon => "silicon content in kilograms (kg silicon)",
                Substance::Magnesium => "magnesium content in kilograms (kg magnesium)",
                Substance::Morphine => "anhydrous morphine content in kilograms (kg morphine)",
            },
            DutyUnit::DegreeKg => {
                "sugar's polarity: net kilograms times the polarimeter degrees under 100 (kg deg)"
            }
            DutyUnit::RecordingM2 => "recording surface in square metres (m2 recording)",
            DutyUnit::Container => "number of immediate containers (container)",
            DutyUnit::ButtonLine => "buttons' size in lines, summed over the buttons (line)",
            DutyUnit::JewelOver7 => "number of jewels beyond the seventh (jewel over 7)",
            DutyUnit::ValueOf(p) => p.missing(),
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
                | DutyUnit::DrainedKg
                | DutyUnit::SugarsKg
                | DutyUnit::ContentKg(_)
                | DutyUnit::DegreeKg
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
