//! `xborder generate`: synthetic declarations that look like real e-commerce flows.
//!
//! Everything regime-specific comes from the loaded packs: destinations, tax subdivisions,
//! currencies, the HS codes (only codes that have a tariff line in the version in force), the
//! collection schemes and the format of their registration numbers. The mix (values, item
//! counts, origins, channels, shares of gifts, B2B, marketplaces and registered sellers) is a
//! set of stated assumptions, documented in `docs/generator.md`.
//!
//! Output is deterministic for a seed: one ChaCha8 stream drives every choice, and nothing
//! else (no clock, no hash-map order) enters. Memory is constant: each declaration is written
//! as soon as it is drawn.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;
use rust_decimal::RoundingStrategy;
use xborder::declaration::{
    Address, Carrier, CarrierKind, Channel, Consignee, ConsigneeKind, Declaration, Incoterm, Item,
    Metal, MetalContent, Nature, Party, QuantityUnit, Registration, Text, Transaction,
};
use xborder::money::{Amount, Quantity};
use xborder::regime::goods_list::{membership, Membership};
use xborder::regime::pack::NeedsMeasure;
use xborder::regime::{Regime, Version};
use xborder::tariff::correlation::{self, Counterparts};
use xborder::tariff::file::HsEdition;
use xborder::tariff::schedule::{Schedule, ScheduleLine};
use xborder::timestamp::Timestamp;
use xborder::{Date, Engine};

use crate::Fatal;

#[derive(Args)]
pub(crate) struct GenerateArgs {
    /// How many declarations to write.
    #[arg(long, default_value_t = 1000)]
    n: u64,
    /// Seed: the same seed, regimes and dates give byte-identical output.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Regime to generate for (repeatable); default: every loaded regime, in equal shares.
    #[arg(long, value_name = "ID")]
    regime: Vec<String>,
    /// First date of the period (YYYY-MM-DD).
    #[arg(long, value_name = "D", default_value = "2026-01-01")]
    from: String,
    /// Last date of the period (YYYY-MM-DD), inclusive.
    #[arg(long, value_name = "D", default_value = "2026-12-31")]
    to: String,
    /// Extra regime pack (JSON) to draw from; one with an embedded pack's id replaces it.
    #[arg(long, value_name = "FILE")]
    pack: Vec<PathBuf>,
    /// Write here instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Never draw a progress bar.
    #[arg(long)]
    no_progress: bool,
}

pub(crate) fn run(args: GenerateArgs) -> Result<ExitCode, Fatal> {
    let mut builder = Engine::builder();
    for p in &args.pack {
        let text = crate::input::read_limited(p, xborder::limits::MAX_PACK_BYTES, "regime pack")?;
        builder = builder.regime_json(text);
    }
    let engine = builder
        .build()
        .map_err(|e| Fatal(format!("cannot load rules: {e}")))?;
    let from: Date = args
        .from
        .parse()
        .map_err(|e: xborder::date::DateError| Fatal(format!("--from: {e}")))?;
    let to: Date = args
        .to
        .parse()
        .map_err(|e: xborder::date::DateError| Fatal(format!("--to: {e}")))?;
    let regimes = select_regimes(&engine, &args.regime, from, to)?;
    let mut generator = Generator::new(&regimes, from, to, args.seed)?;
    let sink: Box<dyn Write> = match &args.output {
        Some(p) => {
            let file = File::create(p).map_err(|e| Fatal(format!("{}: {e}", p.display())))?;
            crate::writeback::release_file(&file);
            Box::new(file)
        }
        None => Box::new(io::stdout().lock()),
    };
    let mut out = BufWriter::with_capacity(1 << 17, sink);
    let progress = crate::progress::Progress::new(
        !args.no_progress && (args.output.is_some() || crate::progress::stdout_not_piped()),
        Some(args.n),
        "declarations",
    );
    let io_err = Fatal::io;
    let check = xborder::AssessOptions::default();
    for i in 0..args.n {
        let mut d = generator.next(i);
        // A pack refuses the cases it knows it does not model (E_OUT_OF_SCOPE: a US origin
        // without a sourced duty rate, goods not checked against an exemption list, China's
        // consignments outside cross-border e-commerce), and a fee fixed in another currency
        // cannot be converted past the end of the built-in rate table (E_NO_EXCHANGE_RATE:
        // Romania's RON fee after the ECB table's last month), or a pack has no tax rate in
        // force on the date (E_NO_TAX_RATE: Brazil's ICMS before 2023-08-01). Those are not
        // input errors, so they are drawn again (a bounded number of times, from the same
        // seeded stream) and every generated line stays assessable. A period and regimes
        // where nothing can be assessed end in a usage error that says why, rather than in
        // lines every assessment would reject.
        let mut tries = 0;
        while let Err(e) = engine.assess(&d, &check) {
            if !redrawn(e.code) {
                break;
            }
            tries += 1;
            if tries == 64 {
                return Err(Fatal(format!(
                    "declaration {i}: 64 draws in a row could not be assessed with the rules \
                     and data loaded, the last one ({}) with {}: {}; choose other regimes or \
                     another period",
                    d.destination, e.code, e.message
                )));
            }
            d = generator.next(i);
        }
        serde_json::to_writer(&mut out, &d).map_err(|e| Fatal::io(e.into()))?;
        out.write_all(b"\n").map_err(io_err)?;
        if i % 4096 == 4095 {
            progress.update(i + 1, i + 1);
        }
    }
    out.flush().map_err(io_err)?;
    progress.finish();
    Ok(ExitCode::SUCCESS)
}

/// Whether a declaration the engine refuses with `code` is drawn again: the refusals that say
/// the rules or data at hand do not cover it, not that it is malformed.
fn redrawn(code: xborder::ErrorCode) -> bool {
    matches!(
        code,
        xborder::ErrorCode::OutOfScope
            | xborder::ErrorCode::NoExchangeRate
            | xborder::ErrorCode::NoTaxRate
    )
}

/// The regimes to draw from: those named (each must have rules in force during the period),
/// or by default every regime with rules in the period. A regime the generator cannot draw HS
/// codes for is never left out silently: `Generator::new` refuses it by name.
fn select_regimes<'e>(
    engine: &'e Engine,
    ids: &[String],
    from: Date,
    to: Date,
) -> Result<Vec<&'e Regime>, Fatal> {
    // Only regimes with rules in force during the period: by default the others are left out
    // (a pack whose versions end before the period would give nothing but
    // E_NO_VERSION_IN_FORCE); a regime asked for by name that has none is a usage error.
    let in_period = |r: &Regime| {
        r.versions
            .iter()
            .any(|v| v.rules.from <= to && v.rules.to.is_none_or(|end| from < end))
    };
    if ids.is_empty() {
        Ok(engine.regimes().iter().filter(|r| in_period(r)).collect())
    } else {
        ids.iter()
            .map(|id| {
                let regime = engine.regime(id).ok_or_else(|| {
                    let known: Vec<_> = engine.regime_ids().collect();
                    Fatal(format!(
                        "--regime {id}: no such regime (loaded: {})",
                        known.join(", ")
                    ))
                })?;
                if in_period(regime) {
                    Ok(regime)
                } else {
                    Err(Fatal(format!(
                        "--regime {id}: no rules in force between {from} and {to} (its versions cover {})",
                        regime.coverage()
                    )))
                }
            })
            .collect::<Result<_, _>>()
    }
}

/// A regime version's ready-to-draw data.
struct Profile<'a> {
    version: &'a Version,
    /// Tariff lines as 6-10 digit HS codes, with their draw weights.
    hs: Vec<(String, u32)>,
    hs_total: u32,
    /// Registration schemes sellers can hold: (scheme id, compiled pattern).
    registrations: Vec<(String, &'a xborder::pattern::Pattern)>,
    /// Schemes a carrier must opt into.
    carrier_schemes: Vec<String>,
    /// Tax subdivisions that are not destinations (provincial taxes).
    extra_subdivisions: Vec<String>,
}

struct RegimeDraw<'a> {
    regime: &'a Regime,
    destinations: Vec<(&'a str, u32)>,
    destinations_total: u32,
    origins: Vec<(&'static str, u32)>,
    origins_total: u32,
    profiles: Vec<Profile<'a>>,
}

/// The declaration drawer. Public within the crate so tests and benchmarks can use it.
pub(crate) struct Generator<'a> {
    rng: Rng,
    regimes: Vec<RegimeDraw<'a>>,
    first_day: i64,
    days: i64,
    seed: u64,
}

/// Population in millions (Eurostat / ONS, 1 January 2024, rounded): online purchases from
/// abroad roughly follow the number of buyers. Destinations not listed weigh 1.
const POPULATION: &[(&str, u32)] = &[
    ("DE", 84),
    ("FR", 68),
    ("IT", 59),
    ("ES", 48),
    ("PL", 37),
    ("RO", 19),
    ("NL", 18),
    ("BE", 12),
    ("CZ", 11),
    ("SE", 11),
    ("PT", 11),
    ("GR", 10),
    ("HU", 10),
    ("AT", 9),
    ("BG", 6),
    ("DK", 6),
    ("FI", 6),
    ("SK", 5),
    ("IE", 5),
    ("HR", 4),
    ("LT", 3),
    ("SI", 2),
    ("LV", 2),
    ("EE", 1),
    ("CY", 1),
    ("LU", 1),
    ("MT", 1),
    ("GB", 68),
];

/// Origin shares in per mille of low-value e-commerce parcels (an assumption shaped on the
/// published picture: China dominates low-value flows, then the US, the UK, Türkiye and East
/// Asia). Origins that are destinations of the regime drawn for are left out.
const ORIGINS: &[(&str, u32)] = &[
    ("CN", 560),
    ("US", 100),
    ("HK", 60),
    ("GB", 45),
    ("TR", 40),
    ("DE", 35),
    ("FR", 20),
    ("IT", 20),
    ("JP", 20),
    ("KR", 20),
    ("IN", 20),
    ("VN", 20),
    ("TW", 15),
    ("CH", 10),
    ("CA", 10),
    ("AU", 5),
];

/// Weight and median line value (in the regime's main currency unit) per HS chapter: apparel
/// and footwear lead e-commerce parcels, then electronics, toys and cosmetics.
const CHAPTERS: &[(&str, u32, u32)] = &[
    ("61", 220, 18),
    ("62", 120, 25),
    ("64", 90, 45),
    ("85", 130, 40),
    ("84", 30, 90),
    ("95", 80, 20),
    ("33", 60, 18),
    ("42", 60, 35),
    ("39", 60, 8),
    ("71", 50, 25),
    ("91", 30, 45),
    ("49", 40, 15),
];

/// One real HS 2022 subheading per chapter of `CHAPTERS`, in its order, for regimes with no
/// tariff lines to draw from (see `profile`): cotton T-shirts, women's cotton trousers,
/// textile sports footwear, headphones, portable computers, toys, beauty preparations,
/// handbags of plastics or textile, plastic tableware, imitation jewellery, wrist-watches,
/// printed books.
const SUBHEADINGS: [&str; 12] = [
    "610910", "620462", "640411", "851830", "847130", "950300", "330499", "420222", "392410",
    "711719", "910211", "490199",
];

const EXPRESS: &[&str] = &[
    "SwiftAir Express",
    "Global Parcel Express",
    "NorthStar Courier",
    "Meridian Logistics",
];
const MARKETPLACES: &[&str] = &[
    "MegaMarket",
    "ShopWorld",
    "BazaarHub",
    "QuickCart",
    "Vendora",
    "CrossBuy",
];
/// Distinct sellers; each one's registration status is a fixed property of the seller.
const SELLERS: u64 = 20_000;

impl<'a> Generator<'a> {
    pub(crate) fn new(
        regimes: &[&'a Regime],
        from: Date,
        to: Date,
        seed: u64,
    ) -> Result<Generator<'a>, Fatal> {
        let first_day = from.days_since_epoch();
        let days = to.days_since_epoch() - first_day + 1;
        if days < 1 {
            return Err(Fatal("--to is before --from".into()));
        }
        let mut draws = Vec::new();
        for regime in regimes {
            let destinations: Vec<(&str, u32)> = regime
                .destinations
                .iter()
                .map(|d| {
                    let w = POPULATION
                        .iter()
                        .find(|(c, _)| c == d)
                        .map_or(1, |(_, w)| *w);
                    (d.as_str(), w)
                })
                .collect();
            let origins: Vec<(&str, u32)> = ORIGINS
                .iter()
                .filter(|(c, _)| !regime.destinations.iter().any(|d| d == c))
                .copied()
                .collect();
            let file = regime.tariff_file.as_deref().and_then(|f| f.get().ok());
            let profiles = regime
                .versions
                .iter()
                .map(|v| profile(v, file))
                .collect::<Vec<_>>();
            if profiles.iter().all(|p| p.hs.is_empty()) {
                return Err(Fatal(format!(
                    "regime {} cannot be generated: it has no tariff line, no simplified rate \
                     with a default rate and no scheme relieving duty, so no HS code of it can \
                     be assessed (name the regimes to generate with --regime)",
                    regime.id
                )));
            }
            draws.push(RegimeDraw {
                regime,
                destinations_total: destinations.iter().map(|d| d.1).sum(),
                destinations,
                origins_total: origins.iter().map(|o| o.1).sum(),
                origins,
                profiles,
            });
        }
        if draws.is_empty() {
            return Err(Fatal("no regime to generate for".into()));
        }
        Ok(Generator {
            rng: Rng(ChaCha8Rng::seed_from_u64(seed)),
            regimes: draws,
            first_day,
            days,
            seed,
        })
    }

    /// The `i`-th declaration of the stream. Every draw comes from the one random stream, in
    /// a fixed order (regime, date, destination, origin, transaction, items, channel,
    /// shipping, seller, marketplace, carrier, consignee, incoterm, seller country), so that a
    /// seed gives the same stream on every machine.
    pub(crate) fn next(&mut self, i: u64) -> Declaration {
        let Generator {
            rng,
            regimes,
            first_day,
            days,
            seed,
        } = self;
        let seed = *seed;
        let draw = &regimes[rng.below(regimes.len() as u32) as usize];
        let date = draw_date(rng, draw, *first_day, *days);
        let destination = rng.weighted(&draw.destinations, draw.destinations_total);
        let origin = if draw.origins_total == 0 {
            "CN"
        } else {
            rng.weighted(&draw.origins, draw.origins_total)
        };
        // The version in force on the date, or the nearest one with tariff lines.
        let v = draw
            .profiles
            .iter()
            .rposition(|p| p.version.rules.from <= date)
            .filter(|&v| !draw.profiles[v].hs.is_empty())
            .or_else(|| draw.profiles.iter().position(|p| !p.hs.is_empty()))
            .unwrap_or(0);
        let profile = &draw.profiles[v];
        let transaction = match rng.below(1000) {
            0..=879 => Transaction::B2C,
            880..=929 => Transaction::C2C,
            _ => Transaction::B2B,
        };
        let documents = rng.chance(30);
        let items = if documents {
            vec![documents_item(origin)]
        } else {
            draw_goods(rng, draw, profile, origin, transaction)
        };
        let channel = if documents {
            Channel::Express
        } else {
            draw_channel(rng, profile, &items)
        };
        let shipping_cents = draw_shipping(rng, channel);
        // The seller: a fixed pool, so a seller's registrations are the same in every
        // consignment it sends.
        let seller_no = u64::from(rng.0.next_u32()) % SELLERS;
        let (seller_regs, marketplace) = if transaction == Transaction::B2C && !documents {
            (
                seller_registrations(profile, mix(seller_no ^ seed.rotate_left(17))),
                draw_marketplace(rng, profile, seed),
            )
        } else {
            (Vec::new(), None)
        };
        let carrier = draw_carrier(rng, profile, channel, origin);
        let consignee = draw_consignee(rng, profile, destination, transaction);
        let incoterm = if channel == Channel::Express && rng.chance(100) {
            Incoterm::DDP
        } else {
            Incoterm::DAP
        };
        let (lodged_at, arrival) = advance_data(date, seed, i);
        let mut items = items;
        if let Ok(version) = draw.regime.version_on(date) {
            for (k, item) in items.iter_mut().enumerate() {
                item.metal_content = metal_content(draw.regime, version, date, item, seed, i, k);
            }
        }
        Declaration {
            id: Text::from(format!("g{}-{i}", seed).as_str()),
            date,
            destination: Text::from(destination),
            regime: None,
            transaction,
            channel,
            currency: Text::from(draw.regime.currency.as_str()),
            items,
            shipping: Amount(Decimal::new(shipping_cents, 2)),
            insurance: Amount(Decimal::new(0, 2)),
            seller: Party {
                name: Text::from(format!("Seller {seller_no}").as_str()),
                country: Some(Text::from(if rng.chance(850) { origin } else { "HK" })),
                registrations: seller_regs,
                aeo: false,
            },
            marketplace,
            carrier: Some(carrier),
            consignee,
            incoterm,
            collected_at_sale: None,
            lodged_at,
            arrival_at: Some(arrival),
            dispatch_country: None,
            prior_purchases: Vec::new(),
        }
    }
}

/// A seasonal date in the period on which the regime has rules: November and December weigh
/// 1.5, January and February 0.8.
fn draw_date(rng: &mut Rng, draw: &RegimeDraw<'_>, first_day: i64, days: i64) -> Date {
    loop {
        let day = first_day + i64::from(rng.below(days as u32));
        let Some(d) = Date::from_days_since_epoch(day) else {
            continue;
        };
        let weight = match d.month() {
            11 | 12 => 1000,
            1 | 2 => 533,
            _ => 667,
        };
        // Within the period, a regime may still have gaps (a pack starting mid-period).
        if rng.chance(weight) && draw.regime.version_on(d).is_ok() {
            return d;
        }
    }
}

/// The metal content of an item whose goods are on the list of a duty that reads it
/// (`needs` with a measure: the US Section 232 derivatives, charged on the value of their
/// steel or aluminium content or by the metal's share of the weight), so that such flows are
/// assessed rather than refused for want of it; empty for every other item. The metals are
/// those the duties count (one of them, by hash, where a duty counts any of several); the
/// metal is 5 % to 95 % of the net mass and 20 % to 80 % of the value, shared equally between
/// the metals. Drawn from a hash of the seed and the item's place rather than the random
/// stream, so every other field of a seed's output is as it was.
fn metal_content(
    regime: &Regime,
    version: &Version,
    date: Date,
    item: &Item,
    seed: u64,
    i: u64,
    k: usize,
) -> Vec<MetalContent> {
    let Some(code) = item.hs_code.as_deref() else {
        return Vec::new();
    };
    let h = mix(seed ^ i.rotate_left(41) ^ (k as u64).rotate_left(7) ^ 0x232);
    let mut metals: Vec<Metal> = Vec::new();
    for d in &version.rules.additional_duties {
        let Some(needs) = d.needs.as_ref().filter(|n| n.measure.is_some()) else {
            continue;
        };
        let listed = d.goods.as_ref().is_some_and(|goods| {
            matches!(
                membership(&regime.goods_lists, goods, date, code).0,
                Membership::In | Membership::Partly
            )
        });
        if !listed || needs.metals.iter().any(|m| metals.contains(m)) {
            continue;
        }
        let all = needs.measure == Some(NeedsMeasure::ContentValue);
        if all {
            metals.extend(needs.metals.iter().copied());
        } else if let Some(m) = needs
            .metals
            .get((h % needs.metals.len().max(1) as u64) as usize)
        {
            metals.push(*m);
        }
    }
    if metals.is_empty() {
        return Vec::new();
    }
    let n = Decimal::from(metals.len() as u64);
    // Per mille of the net mass and of the value, shared by the metals.
    let mass_share = Decimal::new(50 + ((h >> 16) % 901) as i64, 3) / n;
    let value_share = Decimal::new(200 + ((h >> 32) % 601) as i64, 3) / n;
    metals
        .into_iter()
        .map(|metal| MetalContent {
            metal,
            mass_kg: item.net_mass_kg.map(|m| {
                Quantity((m.0 * mass_share).round_dp_with_strategy(3, RoundingStrategy::ToZero))
            }),
            value: Some(Amount(
                (item.value.0 * value_share).round_dp_with_strategy(2, RoundingStrategy::ToZero),
            )),
        })
        .collect()
}

/// The one item of a documents consignment.
fn documents_item(origin: &str) -> Item {
    Item {
        description: Text::from("Documents and correspondence"),
        hs_code: None,
        quantity: Quantity(Decimal::ONE),
        quantity_unit: QuantityUnit::Item,
        value: Amount(Decimal::new(0, 2)),
        origin: Some(Text::from(origin)),
        net_mass_kg: Some(Quantity(Decimal::new(3, 1))),
        gross_mass_kg: None,
        nature: Nature::Document,
        metal_content: Vec::new(),
    }
}

/// One to five goods items drawn from the version's tariff lines, valued by chapter.
fn draw_goods(
    rng: &mut Rng,
    draw: &RegimeDraw<'_>,
    profile: &Profile<'_>,
    origin: &str,
    transaction: Transaction,
) -> Vec<Item> {
    let count = match rng.below(100) {
        0..=61 => 1,
        62..=83 => 2,
        84..=93 => 3,
        94..=97 => 4,
        _ => 5,
    };
    let mut items = Vec::with_capacity(count);
    for _ in 0..count {
        let code = rng.weighted_hs(&profile.hs, profile.hs_total);
        let median = CHAPTERS
            .iter()
            .find(|(c, _, _)| code.starts_with(c))
            .map_or(30, |c| c.2);
        let cents = rng.lognormal_cents(median, 0.9);
        let quantity = match rng.below(10) {
            0..=6 => 1,
            7 | 8 => 2,
            _ => 3,
        };
        let item_origin = if rng.chance(950) || draw.origins_total == 0 {
            origin
        } else {
            rng.weighted(&draw.origins, draw.origins_total)
        };
        let nature = match transaction {
            Transaction::C2C if rng.chance(800) => Nature::Gift,
            Transaction::B2B if rng.chance(100) => Nature::Sample,
            _ => Nature::Sale,
        };
        let mass = Decimal::new(i64::from(rng.below(1500) + 50), 3) * Decimal::from(quantity);
        // Gross mass: the goods plus their packing (10 % and 50 g), so that rules charged per
        // kg of gross mass (New Zealand's mail levy, Swiss duties before 2024) can be
        // assessed. Not drawn, so the rest of a seed's output is unchanged.
        let gross = (mass * Decimal::new(11, 1) + Decimal::new(50, 3)).round_dp(3);
        items.push(Item {
            description: Text::from(description(code)),
            hs_code: Some(Text::from(code)),
            quantity: Quantity(Decimal::from(quantity)),
            quantity_unit: QuantityUnit::Item,
            value: Amount(Decimal::new(cents * i64::from(quantity), 2)),
            origin: Some(Text::from(item_origin)),
            net_mass_kg: Some(Quantity(mass)),
            gross_mass_kg: Some(Quantity(gross)),
            nature,
            metal_content: Vec::new(),
        });
    }
    items
}

/// Postal for most cheap goods, express for most of the rest, some freight; a channel the
/// pack refuses outright goes by courier instead.
fn draw_channel(rng: &mut Rng, profile: &Profile<'_>, items: &[Item]) -> Channel {
    let intrinsic_cents: i64 = items
        .iter()
        .map(|it| {
            (it.value.0 * Decimal::ONE_HUNDRED)
                .try_into()
                .unwrap_or(0i64)
        })
        .sum();
    let postal = if intrinsic_cents <= 2_200 {
        700
    } else if intrinsic_cents <= 15_000 {
        500
    } else {
        150
    };
    let drawn = match rng.below(1000) {
        x if x < postal => Channel::Postal,
        x if x < 980 => Channel::Express,
        _ => Channel::Freight,
    };
    // A pack that refuses a whole channel (Mexico models only couriers) would reject every
    // such declaration; the flow goes by courier instead, with no extra draw so that other
    // regimes' streams stay as they were.
    let refused = |c: Channel| {
        profile.version.rules.out_of_scope.iter().any(|o| {
            o.above.is_none()
                && o.unless_schemes.is_none()
                && o.transactions.is_none()
                && o.channels.as_ref().is_some_and(|cs| cs.contains(&c))
        })
    };
    if refused(drawn) && !refused(Channel::Express) {
        Channel::Express
    } else {
        drawn
    }
}

/// Shipping in cents: free for 15 %, else by channel.
fn draw_shipping(rng: &mut Rng, channel: Channel) -> i64 {
    if rng.chance(150) {
        return 0;
    }
    match channel {
        Channel::Postal => 250 + i64::from(rng.below(600)),
        Channel::Express => 800 + i64::from(rng.below(1700)),
        Channel::Freight => 3000 + i64::from(rng.below(9000)),
    }
}

/// The registrations of the seller whose hash is `seller_hash`: fixed per seller, a few with
/// a malformed number.
fn seller_registrations(profile: &Profile<'_>, seller_hash: u64) -> Vec<Registration> {
    let mut regs = Vec::new();
    for (k, (scheme, pattern)) in profile.registrations.iter().enumerate() {
        let h = mix(seller_hash ^ k as u64);
        if h % 1000 < 550 {
            let mut number = example(pattern, h);
            if (h >> 20) % 1000 < 40 {
                number = malform(&number, h >> 30);
            }
            regs.push(Registration {
                scheme: Text::from(scheme.as_str()),
                number: Text::from(number.as_str()),
            });
        }
    }
    regs
}

/// A marketplace for 35 % of B2C sales, with fixed registrations and AEO status.
fn draw_marketplace(rng: &mut Rng, profile: &Profile<'_>, seed: u64) -> Option<Party> {
    if !rng.chance(350) {
        return None;
    }
    let m = rng.below(MARKETPLACES.len() as u32) as usize;
    let mh = mix(m as u64 ^ 0x5eed ^ seed);
    let regs = profile
        .registrations
        .iter()
        .enumerate()
        .filter(|(k, _)| mix(mh ^ *k as u64) % 1000 < 950)
        .map(|(k, (scheme, pattern))| Registration {
            scheme: Text::from(scheme.as_str()),
            number: Text::from(example(pattern, mix(mh ^ k as u64)).as_str()),
        })
        .collect();
    Some(Party {
        name: Text::from(MARKETPLACES[m]),
        country: Some(Text::from(if m % 2 == 0 { "IE" } else { "LU" })),
        registrations: regs,
        // Large platforms are often trusted traders; fixed per platform.
        aeo: mix(mh ^ 0xae0) % 100 < 40,
    })
}

/// The carrier of the channel: the origin's postal operator, one of the express couriers, or
/// a forwarder.
fn draw_carrier(rng: &mut Rng, profile: &Profile<'_>, channel: Channel, origin: &str) -> Carrier {
    match channel {
        Channel::Postal => Carrier {
            name: Text::from(format!("Postal operator {origin}").as_str()),
            kind: Some(CarrierKind::Postal),
            aeo: false,
            schemes: carrier_opt_in(&profile.carrier_schemes, mix(origin_code(origin)), 500),
        },
        Channel::Express => {
            let e = rng.below(EXPRESS.len() as u32) as usize;
            Carrier {
                name: Text::from(EXPRESS[e]),
                kind: Some(CarrierKind::Express),
                aeo: e != 3,
                schemes: carrier_opt_in(&profile.carrier_schemes, mix(e as u64 + 7), 400),
            }
        }
        Channel::Freight => Carrier {
            name: Text::from("Oceanic Forwarding"),
            kind: Some(CarrierKind::Forwarder),
            aeo: true,
            schemes: Vec::new(),
        },
    }
}

/// The consignee: an individual, or for B2B a business with a tax id; in a province or state
/// when the regime taxes by subdivision.
fn draw_consignee(
    rng: &mut Rng,
    profile: &Profile<'_>,
    destination: &str,
    transaction: Transaction,
) -> Consignee {
    let extra = &profile.extra_subdivisions;
    let subdivision = if extra.is_empty() {
        None
    } else {
        Some(Text::from(
            extra[rng.below(extra.len() as u32) as usize].as_str(),
        ))
    };
    let business = transaction == Transaction::B2B;
    Consignee {
        name: Text::from(format!("Consignee {}", rng.below(1_000_000)).as_str()),
        kind: if business {
            ConsigneeKind::Business
        } else {
            ConsigneeKind::Individual
        },
        country: Some(Text::from(destination)),
        tax_id: business
            .then(|| Text::from(format!("{destination}{:09}", rng.below(1_000_000_000)).as_str())),
        address: Some(Address {
            line1: Some(Text::from("1 Example Street")),
            city: Some(Text::from("Example City")),
            postcode: Some(Text::from("00000")),
            country: Some(Text::from(destination)),
            subdivision,
        }),
    }
}

/// Advance data (FoS Standard 5), drawn from a hash rather than the random stream so that
/// adding it left every other field of a seed's output unchanged: arrival at 08:00 on the
/// declaration date; data lodged 6 to 54 hours before arrival for 93 %, less than an hour
/// before for 4 %, not at all for 3 %. Returns (lodged, arrival).
fn advance_data(date: Date, seed: u64, i: u64) -> (Option<Timestamp>, Timestamp) {
    let arrival = Timestamp::start_of(date).offset(8 * 3600);
    let h = mix(seed ^ i.rotate_left(29) ^ 0x10d6);
    let lodged_at = match h % 100 {
        0..=92 => Some(arrival.offset(-(6 * 3600 + ((h >> 8) % (48 * 3600)) as i64))),
        93..=96 => Some(arrival.offset(-(((h >> 8) % 3600) as i64))),
        _ => None,
    };
    (lodged_at, arrival)
}

/// The one random stream every choice is drawn from.
pub(crate) struct Rng(ChaCha8Rng);

impl Rng {
    fn below(&mut self, n: u32) -> u32 {
        // Lemire's multiply-shift: unbiased enough for synthetic data, and stable.
        ((u64::from(self.0.next_u32()) * u64::from(n.max(1))) >> 32) as u32
    }

    fn chance(&mut self, per_mille: u32) -> bool {
        self.below(1000) < per_mille
    }

    fn unit(&mut self) -> f64 {
        (f64::from(self.0.next_u32()) + 0.5) / 4_294_967_296.0
    }

    fn weighted<T: Copy>(&mut self, items: &[(T, u32)], total: u32) -> T {
        let mut x = self.below(total);
        for (item, w) in items {
            if x < *w {
                return *item;
            }
            x -= w;
        }
        items[items.len() - 1].0
    }

    /// A log-normal draw in minor units: `median * exp(sigma * N(0,1))`. Floating point is
    /// used only to draw the synthetic figure; the amount itself is an integer of cents.
    fn lognormal_cents(&mut self, median: u32, sigma: f64) -> i64 {
        let (u1, u2) = (self.unit(), self.unit());
        let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
        let v = f64::from(median) * 100.0 * (sigma * z).exp();
        (v.round() as i64).clamp(50, 2_000_000)
    }

    fn weighted_hs<'h>(&mut self, hs: &'h [(String, u32)], total: u32) -> &'h str {
        let mut x = self.below(total);
        for (code, w) in hs {
            if x < *w {
                return code;
            }
            x -= w;
        }
        &hs[hs.len() - 1].0
    }
}

/// A code the national tariff file prices as one line: the pack's code (`code`, `prefix`
/// padded to six digits) when a line of the file's latest revision is a prefix of it, or else
/// the first line under `prefix` whose rate a generated item can be priced on and whose
/// subheading reads the same in both HS editions (a pack code is often less precise than the
/// schedule, and would be ambiguous; a padded one may be no subheading at all). `None` when
/// the file holds lines for the code but prices none of them under the prefix (Australia's
/// Schedule 3 has no rates for chapter 61): every draw of it would be rejected with
/// `E_DUTY_NOT_COMPUTABLE`, so it is not drawn.
fn national_code(file: &Schedule, prefix: &str, code: String) -> Option<String> {
    let Some(revision) = file.revisions().last() else {
        return Some(code);
    };
    let priceable = |l: &ScheduleLine<'_>| {
        l.duty(0).is_some_and(|d| {
            d.expression.as_ref().is_ok_and(|e| {
                let needs = e.needs();
                needs.supplementary.is_none() && !needs.litres && !needs.gross_mass
            })
        })
    };
    if file.prefix_lines(revision, &code).any(|l| priceable(&l)) {
        return Some(code);
    }
    let same = |c: &str| {
        correlation::embedded().counterparts(c, HsEdition::Hs2022, revision.edition)
            == Counterparts::Same
    };
    match file
        .lines_under(revision, prefix)
        .find(|l| priceable(l) && same(l.code()))
    {
        Some(l) => Some(l.code().to_string()),
        None if file.prefix_lines(revision, &code).next().is_some() => None,
        None => Some(code),
    }
}

fn profile<'v>(version: &'v Version, file: Option<&Schedule>) -> Profile<'v> {
    let lines = version.tariff.lines();
    // A chapter's weight is shared by its lines, so a pack with many lines in one chapter
    // does not tilt the mix towards it.
    let per_chapter = |ch: &str| lines.iter().filter(|l| l.hs.starts_with(ch)).count() as u32;
    let mut hs: Vec<(String, u32)> = lines
        .iter()
        .filter(|l| l.hs.bytes().all(|b| b.is_ascii_digit()) && l.hs.len() >= 2)
        .filter_map(|l| {
            let mut code = l.hs.clone();
            while code.len() < 6 {
                code.push('0');
            }
            let ch = &l.hs[..2];
            let w = CHAPTERS
                .iter()
                .find(|(c, _, _)| *c == ch)
                .map_or(10, |c| c.1);
            let code = match file {
                Some(s) => national_code(s, &l.hs, code)?,
                None => code,
            };
            Some((code, (w * 60 / per_chapter(ch).max(1)).max(1)))
        })
        .collect();
    // A version priced by a simplified rate with a default rate (Mexico's courier global rate)
    // needs no tariff line for any HS code, so the usual chapter mix is drawn from instead.
    if hs.is_empty()
        && version
            .rules
            .simplified_rates
            .iter()
            .any(|r| r.rate.is_some())
    {
        hs = CHAPTERS
            .iter()
            .map(|(ch, w, _)| (format!("{ch}0000"), (w * 60).max(1)))
            .collect();
    }
    // A version whose duty is relieved by a scheme and that refuses everything else (China's
    // cross-border e-commerce: no tariff line is needed) is drawn from real subheadings of the
    // usual chapters, so that the pack's exclusions by HS prefix (cosmetics, printed matter)
    // still refuse what they refuse, and those draws are drawn again.
    if hs.is_empty() && version.rules.schemes.iter().any(|s| s.relieves_duty) {
        hs = CHAPTERS
            .iter()
            .zip(SUBHEADINGS)
            .map(|((ch, w, _), code)| {
                debug_assert!(code.starts_with(ch));
                (code.to_string(), (w * 60).max(1))
            })
            .collect();
    }
    let registrations = version
        .rules
        .schemes
        .iter()
        .zip(&version.scheme_patterns)
        .filter_map(|(s, p)| {
            let b2c = s
                .transactions
                .as_ref()
                .is_none_or(|t| t.contains(&Transaction::B2C));
            match (&s.registration, p) {
                (Some(reg), Some(p)) if b2c => Some((reg.scheme.clone(), p)),
                _ => None,
            }
        })
        .collect();
    let carrier_schemes = version
        .rules
        .schemes
        .iter()
        .filter(|s| s.requires_carrier_opt_in)
        .map(|s| s.id.clone())
        .collect();
    let destinations_have_rates = |k: &str| k.len() == 2;
    let extra_subdivisions = version
        .rules
        .taxes
        .standard
        .keys()
        .filter(|k| !destinations_have_rates(k))
        .cloned()
        .collect();
    Profile {
        hs_total: hs.iter().map(|h| h.1).sum(),
        hs,
        version,
        registrations,
        carrier_schemes,
        extra_subdivisions,
    }
}

fn carrier_opt_in(schemes: &[String], h: u64, per_mille: u64) -> Vec<Text> {
    schemes
        .iter()
        .enumerate()
        .filter(|(k, _)| mix(h ^ *k as u64) % 1000 < per_mille)
        .map(|(_, s)| Text::from(s.as_str()))
        .collect()
}

fn origin_code(origin: &str) -> u64 {
    origin.bytes().fold(0, |a, b| a * 256 + u64::from(b))
}

/// A registration number in the pattern's format, fixed by `h`.
fn example(pattern: &xborder::pattern::Pattern, h: u64) -> String {
    // A pack that found no published format accepts any non-empty text (`^.+$`: Brazil's
    // Remessa Conforme, China's CBEC); sampling that pattern gives numbers such as "!" or
    // "#a", so such a scheme gets a plain ten-digit number instead. No real format accepts
    // "!", so the other packs' numbers are drawn as before.
    if pattern.is_match("!") {
        return format!("{:010}", mix(h) % 10_000_000_000);
    }
    let mut state = h | 1;
    pattern.example(&mut |n| {
        state = mix(state);
        (state % u64::from(n.max(1))) as u32
    })
}

/// A number as people get it wrong: a digit dropped, letters in lower case, or a space. Never
/// empty: an empty number is not a wrong number but invalid input (`E_INVALID_VALUE`).
fn malform(number: &str, h: u64) -> String {
    match h % 3 {
        0 if number.len() > 1 => number[..number.len().saturating_sub(1)].to_string(),
        0 | 1 => number.to_ascii_lowercase() + "X",
        _ => format!(
            "{} {}",
            &number[..number.len().min(2)],
            &number[number.len().min(2)..]
        ),
    }
}

/// SplitMix64 finalizer: a fixed, well-mixed hash for per-seller properties.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn description(code: &str) -> &'static str {
    match &code[..2] {
        "61" => "Knitted garment",
        "62" => "Woven garment",
        "64" => "Footwear",
        "85" => "Electronic accessory",
        "84" => "Small machine or appliance",
        "95" => "Toy or game",
        "33" => "Cosmetics",
        "42" => "Bag or leather goods",
        "39" => "Plastic household article",
        "71" => "Jewellery",
        "91" => "Watch",
        "49" => "Printed book",
        _ => "Goods",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_numbers_differ() {
        for h in 0..3 {
            assert_ne!(malform("IM2500000001", h), "IM2500000001");
        }
    }
}
