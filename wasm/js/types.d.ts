// TypeScript types of everything that crosses the xborder API: the Declaration (input), the
// Assessment (output), options, engine configuration, regime listings and errors.
//
// They mirror the Rust types in core/src/declaration.rs, core/src/result.rs and
// core/src/error.rs field for field (docs/contract.md names). wasm/src/lib.rs pastes this file into
// the generated .d.ts (a typescript_custom_section), so the raw bindings and the package entry
// share one definition. Drift is caught by the tests: `tsc --noEmit` type-checks every
// conformance vector's declaration against `Declaration` and the core's real output for every
// vector, with its trace, against `Assessment` (excess and missing properties both fail), and a
// Rust test pins `ErrorCode` to the core's list.

/** A decimal amount as a string, e.g. `"12.50"`. Never a JSON number. */
export type Decimal = string;
/** A calendar date, `YYYY-MM-DD`. */
export type DateString = string;
/** ISO 3166-1 alpha-2 country code, e.g. `"FR"`. */
export type CountryCode = string;
/** ISO 4217 currency code, e.g. `"EUR"`. */
export type CurrencyCode = string;

// ---------------------------------------------------------------------------------------------
// Declaration (input)

/** One consignment's advance electronic data (docs/contract.md, "Declaration"). Unknown fields are rejected. */
export interface Declaration {
  /** The caller's reference; echoed in the result. */
  id: string;
  /** The date whose rules apply (acceptance of the declaration / time of supply). */
  date: DateString;
  /** Importing country; selects the regime (an EU member state selects `EU` and its VAT rates). */
  destination: CountryCode;
  /** Explicit regime id; overrides the one `destination` selects. */
  regime?: string | null;
  /** Kind of transaction (default `B2C`). */
  transaction?: Transaction;
  /** How the consignment travels (default `express`). */
  channel?: Channel;
  /** Currency of every amount in the declaration. */
  currency: CurrencyCode;
  /** The goods; at least one. */
  items: Item[];
  /** Transport charged to the buyer (default `"0"`). */
  shipping?: Decimal;
  /** Insurance charged to the buyer (default `"0"`). */
  insurance?: Decimal;
  /** The seller (e-vendor). */
  seller: Party;
  /** The electronic interface that facilitated the sale, if any. */
  marketplace?: Party | null;
  /** The carrier or other intermediary presenting the goods. */
  carrier?: Carrier | null;
  /** The buyer / consignee. */
  consignee: Consignee;
  /** Who pays import charges (default `DAP`: the buyer). */
  incoterm?: Incoterm;
  /** Tax the seller or marketplace already charged at checkout. */
  collected_at_sale?: CollectedAtSale | null;
  /** When the advance electronic data was lodged (`YYYY-MM-DDTHH:MM:SSZ` or with a `±HH:MM` offset); FoS Standard 5. */
  lodged_at?: string | null;
  /** When the means of transport arrives (or is expected to) at the first point of entry; same format. */
  arrival_at?: string | null;
  /** Country the consignment is shipped from (place of direct shipment), when it differs from `seller.country`. */
  dispatch_country?: string | null;
  /** The consignee's earlier imports, for limits per person over a period (only those dated on or before `date` count). */
  prior_purchases?: PriorPurchase[];
}

/** One earlier import by the same consignee. */
export interface PriorPurchase {
  /** Date of the earlier import (YYYY-MM-DD). */
  date: string;
  /** Its value, on the basis of the limit that counts it. */
  value: Decimal;
  /** Currency of `value` (ISO 4217); default the declaration's currency. */
  currency?: string | null;
}

export type Transaction = "B2C" | "C2C" | "B2B";
export type Channel = "postal" | "express" | "freight";
export type Nature = "sale" | "gift" | "sample" | "return" | "document";
export type QuantityUnit = "item" | "pair" | "l" | "kg";
export type Incoterm = "DAP" | "DDP";

/** One line of goods. */
export interface Item {
  /** Plain-language description. */
  description: string;
  /** Harmonized System code, 6-10 digits without dots; may be absent only for documents. */
  hs_code?: string | null;
  /** Number of units (a number, or a decimal string). */
  quantity: number | Decimal;
  /** What `quantity` counts (default `item`). */
  quantity_unit?: QuantityUnit;
  /** Line value (not unit price), excluding VAT. */
  value: Decimal;
  /** Country of origin. */
  origin?: CountryCode | null;
  /** Net mass in kilograms (a number, or a decimal string). */
  net_mass_kg?: number | Decimal | null;
  /** Gross mass (goods with packing) in kilograms; needed only for duties on gross weight. */
  gross_mass_kg?: number | Decimal | null;
  /** What the item is (default `sale`). */
  nature?: Nature;
  /** The metals in the goods (each once), needed only where a duty is charged on the value of the metal content or applies by the metal's share of the weight (US Section 232); a metal not listed is read as absent. */
  metal_content?: MetalContent[];
}

/** A metal in an item's goods. */
export interface MetalContent {
  /** Which metal (`aluminum` is read as `aluminium`). */
  metal: Metal;
  /** Its mass in the goods, in kilograms (at most the item's `net_mass_kg`). */
  mass_kg?: number | Decimal | null;
  /** The value of the metal content, in the declaration's currency (at most the item's `value`). */
  value?: Decimal | null;
}

export type Metal = "steel" | "aluminium" | "aluminum" | "copper";

/** Registration scheme ids the reference regimes know; others follow the `CC_NAME` style. */
export type RegistrationScheme =
  | "IOSS"
  | "GB_VAT"
  | "AU_ARN"
  | "AU_ABN"
  | "NZ_GST"
  | "VOEC"
  | "SG_GST"
  | "CH_VAT"
  | "BR_PRC"
  | (string & {});

/** A tax registration under a collection scheme. */
export interface Registration {
  scheme: RegistrationScheme;
  /** The number as issued (e.g. IOSS: `IM` + 10 digits). */
  number: string;
}

/** A party to the sale: seller or marketplace. */
export interface Party {
  name: string;
  /** Country of establishment. */
  country?: CountryCode | null;
  registrations?: Registration[];
  /** Authorized Economic Operator / trusted-trader status (FoS Standard 6). */
  aeo?: boolean;
}

export type CarrierKind = "postal" | "express" | "forwarder";

/** The carrier or other intermediary presenting the goods. */
export interface Carrier {
  name: string;
  kind?: CarrierKind | null;
  /** Authorized Economic Operator status. */
  aeo?: boolean;
  /** Collection schemes the carrier operates for this consignment (e.g. `EU_SA`). */
  schemes?: string[];
}

export type ConsigneeKind = "individual" | "business";

/** The buyer / consignee. */
export interface Consignee {
  name: string;
  /** Private person (default) or business. */
  kind?: ConsigneeKind;
  country?: CountryCode | null;
  /** Tax identifier (VAT number, EORI …). */
  tax_id?: string | null;
  address?: Address | null;
}

/** A postal address. */
export interface Address {
  line1?: string | null;
  city?: string | null;
  postcode?: string | null;
  country?: CountryCode | null;
  /** ISO 3166-2 subdivision where taxes differ by province or state (`CA-ON`). */
  subdivision?: string | null;
}

/** Tax the seller or marketplace charged at checkout. */
export interface CollectedAtSale {
  /** The collection scheme (`IOSS`, `GB_POS` …). */
  scheme: string;
  tax_amount: Decimal;
}

// ---------------------------------------------------------------------------------------------
// Options and engine configuration

/**
 * Options of one assessment: the options object of the C API and Python too, read by the same
 * grammar. Unknown keys are rejected with `E_INVALID_OPTION` at the key (`trcae`), a date that
 * is not a real date with `E_INVALID_DATE` at `date`, a reading no regime declares with
 * `E_INVALID_OPTION` at `options.<name>`.
 */
export interface AssessOptions {
  /** Include `trace[]` in the result (default false). */
  trace?: boolean;
  /** Apply the rules of this date instead of the declaration's. */
  date?: DateString | null;
  /** Use this regime instead of the one the declaration selects. */
  regime?: string | null;
  /** Readings of uncertain rules, by option name (`flat_duty_scope` → `ioss_and_postal`). */
  options?: Record<string, string> | null;
}

/** One dated exchange rate: `rate` units of `to` per unit of `from`. */
export interface RateEntry {
  from: CurrencyCode;
  to: CurrencyCode;
  valid_from: DateString;
  rate: Decimal;
  source?: string | null;
}

/** An exchange-rate table (see examples/rates/sample-rates.json). */
export interface RateTable {
  label: string;
  source: string;
  rates: RateEntry[];
}

/** A regime pack as an object (docs/regime-format.md); validated when the engine is built. */
export type RegimePack = { id: string; [key: string]: unknown };

/** What `new Engine(config)` builds. Unknown keys are rejected with `E_INVALID_OPTION`. */
export interface EngineConfig {
  /** Start from the embedded reference regimes (default true). */
  embedded?: boolean;
  /** Regime packs (JSON text or objects); one with the id of an embedded pack replaces it. */
  regimes?: Array<string | RegimePack>;
  /** Full tariffs by regime id: tariff file, JSON or CSV text, or a JSON object. Parsed when
   * the engine is built, so a fault in one fails the build. */
  tariffs?: Record<string, string | object>;
  /** Tariff files (`xborder-tariff 1` text) by regime id whose lines are parsed when an
   * assessment first needs them: building stays fast, and a fault in a file's lines fails the
   * assessments that use it rather than the build. `Engine.load` passes the package's own
   * tariffs this way. */
  tariffsOnDemand?: Record<string, string>;
  /**
   * How the CSV tariffs in `tariffs` are laid out, by regime id: a spreadsheet exported as it
   * stands (`xb_engine_builder_tariff_csv`'s layout, the CLI's `--tariff-columns`,
   * `--tariff-separator`, `--tariff-source`, `--tariff-checked`). A regime without one reads the
   * default header `hs,duty,description,source,checked`.
   */
  tariffLayouts?: Record<string, TariffCsvLayout | string>;
  /**
   * The caller's exchange rates, used before the official tables currency pair by currency
   * pair: a JSON table (text or object), or the text of an xborder-rates table or of the ECB's
   * reference rates as downloaded (eurofxref-hist.csv). XML rate files and the other CSV
   * rate files (HMRC's, the project's) are not read here: convert them with
   * `xborder rates import`.
   */
  rates?: string | RateTable;
  /**
   * Official rate tables, as text: `regimes/EU/EU.rates` (ECB, Art. 146 UCC-IA) and
   * `regimes/GB/GB.rates` (HMRC). The module compiles none in: they are data files that
   * `Engine.load` reads with their regime (in Node.js, `new Engine()` reads them all); a table
   * given here replaces the one of the same id.
   */
  rateTables?: string[];
  /** Risk profiles (docs/risk-profiles.md; JSON text or objects); each replaces the sample profile of its regime. */
  riskProfiles?: Array<string | RiskProfile>;
  /**
   * Whether the regimes come with their sample risk profiles (default true). With `false` only
   * the caller's `riskProfiles` screen declarations: a regime without one releases on the
   * regime's own rules (`release.profile` null), as `xb_engine_builder_without_sample_risk_profiles`.
   */
  sampleRiskProfiles?: boolean;
  /**
   * Return and refund rules (docs/returns.md, the format of `regimes/<ID>/returns.json`; JSON
   * text or objects); each replaces the package's rules of its regime. `Engine.load` reads the
   * package's (EU, GB, CN) with their regimes.
   */
  returnRules?: Array<string | ReturnRules>;
}

/** The layout of a CSV tariff (docs/regime-format.md, "A caller's tariff as CSV"); every key optional. */
export interface TariffCsvLayout {
  /** The header name of the column holding each field, for fields whose column is not named after them. */
  columns?: { hs?: string; duty?: string; description?: string; source?: string; checked?: string };
  /** The field separator: one character such as `";"`, or `"tab"` (default: `,` or `;`, from the header). */
  separator?: string;
  /** The source of every line, when no column holds one. */
  source?: string;
  /** The checked date of every line, when no column holds one. */
  checked?: DateString;
}

/** Return and refund rules as an object (docs/returns.md); validated when the engine is built. */
export type ReturnRules = { format: "xborder-returns/1"; regime: string; [key: string]: unknown };

/** A risk profile as an object (docs/risk-profiles.md); validated when the engine is built. */
export type RiskProfile = { format: "xborder-risk-profile/1"; regime: string; [key: string]: unknown };

// ---------------------------------------------------------------------------------------------
// Assessment (output)

/** The full assessment of one consignment (docs/contract.md, "Assessment result"). Amounts are decimal strings in `currency`. */
export interface Assessment {
  id: string;
  /** Regime id (`EU`). */
  regime: string;
  /** Version label (`EU@2026-07-01`). */
  regime_version: string;
  /** Currency of every amount in the result (the regime's). */
  currency: CurrencyCode;
  /** The date whose rules were applied. */
  date: DateString;
  /** The tax subdivision whose rates applied (`FR`, `GB`). */
  subdivision: string;
  /** The trade flow statistics group the consignment by (FoS Standard 14). */
  flow: Flow;
  /** The exchange rate used, when the declaration's currency differs. */
  exchange?: ExchangeUsed;
  /** Price of the goods, excluding transport and insurance. */
  intrinsic_value: Decimal;
  /** Value duty was assessed on. */
  customs_value: Decimal;
  category: Category;
  de_minimis: DeMinimis;
  duties: DutyLine[];
  duty_total: Decimal;
  taxes: TaxLine[];
  tax_total: Decimal;
  fees: FeeLine[];
  fee_total: Decimal;
  /** Who collects what, and when. */
  collection: Collection;
  /** Collected at checkout. */
  due_at_sale: Decimal;
  /** Collected at the border / on delivery. */
  due_at_import: Decimal;
  /** `duty_total + tax_total + fee_total`. */
  total_payable: Decimal;
  /** Goods + shipping + insurance + `total_payable`. */
  landed_cost: Decimal;
  /** The release decision and the reasons that led to it. */
  release: Release;
  findings: Finding[];
  /** Why each number is what it is; present when `trace: true` was asked for. */
  trace?: TraceStep[];
}

/** What statistics group a consignment by, echoed from the declaration. */
export interface Flow {
  /** Importing country. */
  destination: CountryCode;
  channel: Channel;
  transaction: Transaction;
  /** Origin of the most valuable item (the first on a tie); null when it states none. */
  origin: CountryCode | null;
  /** HS chapter (two digits) of the most valuable item with an HS code; null for documents. */
  hs_chapter: string | null;
}

/** The exchange rate applied to the declaration's amounts. */
export interface ExchangeUsed {
  from: CurrencyCode;
  to: CurrencyCode;
  /**
   * The rate as its table gives it: units of `to` per unit of `from` when `method` is
   * `"multiply"`; units of `from` per unit of `to` when `"divide"` (the ECB's and HMRC's
   * quotation, 1 EUR = 1.1845 USD).
   */
  rate: Decimal;
  /** How each amount was converted with `rate`. */
  method: "multiply" | "divide";
  valid_from: DateString;
  /** Last day in force (a monthly rate's month end), or null until the next rate. */
  valid_to: DateString | null;
  /** The table: `ECB`, `HMRC`, or a caller's table's label. */
  table: string;
  /** The publication the rate comes from, e.g. `ECB 2026-02-18 (Art. 146 UCC-IA)`. */
  publication: string;
  source: string;
}

export type CategoryName =
  | "documents"
  | "low_value_non_dutiable"
  | "low_value_dutiable"
  | "high_value";

/** WCO Immediate Release Guidelines category. */
export interface Category {
  code: 1 | 2 | 3 | 4;
  name: CategoryName;
  /** True when the consignment holds samples. */
  sample: boolean;
}

export type Basis = "intrinsic" | "intrinsic_plus_transport" | "customs_value" | "tax_amount";

/** One de minimis test. */
export interface DeMinimisOutcome {
  applies: boolean;
  /** The threshold, or null when the regime has none. */
  threshold: Decimal | null;
  basis: Basis | null;
  unit: "consignment" | "item" | null;
  /** The value compared. */
  basis_value: Decimal | null;
}

export interface DeMinimis {
  duty: DeMinimisOutcome;
  tax: DeMinimisOutcome;
}

export type DutyBasis = "tariff" | "de_minimis" | "gift_relief" | "flat_duty" | "gift_flat_rate" | "scheme" | "simplified_rate" | "minimum_collectable" | "additional" | "surcharge";

/** Duty on one line (or, for a flat duty, one tariff subheading). */
export interface DutyLine {
  /** Index of the item in `items`. */
  item: number;
  hs_code: string | null;
  /** Text of the rate rule applied. */
  rate: string;
  base: Decimal;
  amount: Decimal;
  basis: DutyBasis;
  /** The national tariff file's revision and line that priced it (absent otherwise). */
  tariff?: TariffCitation;
}

/** Where in a national tariff file a duty comes from. */
export interface TariffCitation {
  /** The revision in force on the date (`"2026-rev-10"`). */
  revision: string;
  /** The code of the line that priced it (`"61091000"`). */
  line: string;
  /** The file's confidence, lowered to `secondary` after the date it is known to be current. */
  confidence: "confirmed" | "secondary" | "unconfirmed";
}

/** One tax at one rate. */
export interface TaxLine {
  /** `VAT`, `GST`, `excise` … */
  kind: string;
  /** Rate as text (`20%`). */
  rate: string;
  base: Decimal;
  amount: Decimal;
  charged: "at_sale" | "at_import" | "self_assessed";
  /** Items it covers (empty for tax on a fee). */
  items: number[];
  /** `fee` for the tax on a fee quoted "+ GST", `surcharge` for a tax computed as a share of another (Japan's local consumption tax); absent for tax on the goods. */
  basis?: "fee" | "surcharge";
}

export type Payer = "consignee" | "seller" | "marketplace" | "carrier";

/** One fee. */
export interface FeeLine {
  id: string;
  kind: string;
  payer: Payer;
  /** Who collects the fee, when a pack names a collector other than the payer. */
  collector?: Payer;
  amount: Decimal;
}

export type CollectionModel = "vendor" | "intermediary" | "consumer" | "border" | "account";
export type Collector = "seller" | "marketplace" | "carrier" | "consignee" | "customs";
export type CollectionWhen = "at_sale" | "at_import" | "periodic";

/** Who collects what, and when. */
export interface Collection {
  model: CollectionModel;
  /** Scheme id (`IOSS`, `GB_POS` …), or null for traditional border collection. */
  scheme: string | null;
  collector: Collector;
  when: CollectionWhen;
  /** Who bears the import charges (DAP: consignee, DDP: seller). */
  import_charges_payer: Payer;
  /** Present and true when the collector also collects the customs duty at sale (Brazil's Remessa Conforme). */
  duty_at_sale?: boolean;
}

/** What happens to the consignment, from most to least facilitated; `not_screened` when the
 * option `screening` is `off` (a checkout: no release decision is made). */
export type ReleaseDecision =
  | "immediate_release"
  | "release_after_payment"
  | "documentary_check"
  | "inspection"
  | "refer_to_agency"
  | "hold"
  | "not_screened";

/** `release` (docs/contract.md) (docs/risk-profiles.md). */
export interface Release {
  decision: ReleaseDecision;
  /** Sum of the weights of the risk rules that hit. */
  score: number;
  /** Id of the risk profile applied, or null when the regime has none loaded. */
  profile: string | null;
  /** Agencies the consignment is routed to (single window, FoS Standard 10). */
  agencies: string[];
  reasons: ReleaseReason[];
}

/** One reason of a release decision. */
export interface ReleaseReason {
  /** Rule code (`R_…`), finding code (`F_…`) or release code (`REL_…`). */
  code: string;
  /** Weight added to the score (0 for findings and revenue reasons). */
  weight: number;
  /** The control the reason forces. */
  action?: ReleaseDecision;
  /** The agency that must see the goods. */
  agency?: string;
  /** JSON path of the field concerned. */
  path?: string;
  message: string;
}

export type Severity = "info" | "warning" | "error";

/** A data-quality or validation finding. */
export interface Finding {
  /** Stable code (`F_…`). */
  code: string;
  severity: Severity;
  /** JSON path of the field concerned. */
  path: string | null;
  message: string;
}

export type TraceStepKind =
  | "regime"
  | "exchange"
  | "value"
  | "collection"
  | "gift_relief"
  | "duty"
  | "de_minimis"
  | "tax"
  | "fee"
  | "category"
  | "total"
  | "surcharge"
  | "risk"
  | "release";

/** One step of the explanation. */
export interface TraceStep {
  step: TraceStepKind;
  /** Rule path inside the pack (`EU@2026-07-01/de_minimis.duty`). */
  rule: string;
  /** Legal source of the rule. */
  source: string;
  /** What happened, with the figures. */
  detail: string;
}

// ---------------------------------------------------------------------------------------------
// Regimes

/** A reading of an uncertain rule that `AssessOptions.options` can choose. */
export interface RegimeOptionInfo {
  name: string;
  default: string;
  /** The readings besides `reject` (always allowed). */
  values: string[];
  /** The question the sources disagree on. */
  question: string;
}

/** One version of a regime. */
export interface RegimeVersionInfo {
  /** `EU@2026-07-01`. */
  version: string;
  from: DateString;
  /** First day no longer in force; null = until further notice. */
  to: DateString | null;
  summary: string;
  tariff_lines: number;
  options: RegimeOptionInfo[];
}

/** A loaded regime, as `regimes()` lists it (the same fields as `xborder regimes --json`). */
export interface RegimeInfo {
  id: string;
  name: string;
  currency: CurrencyCode;
  /** Destination countries that select it. */
  destinations: CountryCode[];
  versions: RegimeVersionInfo[];
  /** Periods the pack knowingly does not cover, with the missing fact (absent when none). */
  gaps?: RegimeGapInfo[];
  /** The national tariff file, when the engine has one for the regime (absent otherwise). */
  tariff?: RegimeTariffInfo;
}

/** A regime's national tariff file (`docs/tariff-format.md`). */
export interface RegimeTariffInfo {
  title: string;
  publisher: string;
  source: string;
  licence: string;
  /** HS edition of its codes. */
  edition: "HS2017" | "HS2022";
  /** Duty columns; the first prices assessments. */
  columns: string[];
  confidence: "confirmed" | "secondary" | "unconfirmed";
  checked: DateString;
  /** Last date its latest revision is known to be in force. */
  current_through: DateString | null;
  revisions: number;
  /** Before this date the pack's own tariff lines apply. */
  first_from: DateString | null;
  latest_revision: string | null;
  latest_title: string | null;
  latest_from: DateString | null;
  latest_edition: "HS2017" | "HS2022" | null;
  /** Lines of the latest revision. */
  lines: number;
  /** Why the file could not be read (absent when it was). */
  error?: string;
}

/** A period a regime pack does not cover: assessments dated in it fail with
 * `E_NO_VERSION_IN_FORCE` quoting `missing`. */
export interface RegimeGapInfo {
  from: DateString;
  to: DateString | null;
  missing: string;
  source: string;
  checked: DateString;
  confidence: "confirmed" | "secondary" | "unconfirmed";
  note?: string;
}

// ---------------------------------------------------------------------------------------------
// Errors

/** Stable error codes (append-only; core/src/error.rs). */
export type ErrorCode =
  | "E_JSON_SYNTAX"
  | "E_INVALID_TYPE"
  | "E_MISSING_FIELD"
  | "E_UNKNOWN_FIELD"
  | "E_INVALID_VALUE"
  | "E_INVALID_AMOUNT"
  | "E_INVALID_DATE"
  | "E_INVALID_CURRENCY"
  | "E_INVALID_COUNTRY"
  | "E_INVALID_HS_CODE"
  | "E_INPUT_TOO_LARGE"
  | "E_TOO_MANY_ITEMS"
  | "E_TEXT_TOO_LONG"
  | "E_AMOUNT_TOO_LARGE"
  | "E_AMOUNT_TOO_PRECISE"
  | "E_NO_REGIME"
  | "E_NO_VERSION_IN_FORCE"
  | "E_CONFLICTING_RULES"
  | "E_HS_NO_TARIFF_LINE"
  | "E_NO_EXCHANGE_RATE"
  | "E_NO_TAX_RATE"
  | "E_MISSING_DUTY_INPUT"
  | "E_OVERFLOW"
  | "E_UNCERTAIN_RULE"
  | "E_INVALID_OPTION"
  | "E_INVALID_PACK"
  | "E_INVALID_EXPRESSION"
  | "E_INVALID_TARIFF"
  | "E_INVALID_RATES"
  | "E_NESTING_TOO_DEEP"
  | "E_INVALID_UTF8"
  | "E_INTERNAL"
  | "E_NULL_PARAMETER"
  | "E_PACK_TOO_LARGE"
  | "E_TARIFF_TOO_LARGE"
  | "E_EXPRESSION_TOO_LONG"
  | "E_OUT_OF_SCOPE"
  | "E_HS_AMBIGUOUS"
  | "E_DUTY_NOT_COMPUTABLE";

/** The error record (docs/contract.md): what `JSON.stringify(error)` gives and what the CLI writes. */
export interface ErrorRecord {
  id: string | null;
  error: { code: ErrorCode; message: string; path: string | null };
}

/** One line of `assessNdjson`'s output, parsed: the assessment, or the error record of a rejected line. */
export type BatchRecord = Assessment | ErrorRecord;

// ---------------------------------------------------------------------------------------------
// Refunds, statements and the split-shipment ledger (docs/returns.md, docs/statements.md,
// docs/risk-profiles.md)

/** Why goods went back. */
export type ReturnReason = "defective" | "not_as_contracted" | "withdrawal" | "undelivered";

/** A return of goods (docs/returns.md), referencing the original consignment. */
export interface ReturnDeclaration {
  /** The caller's reference for the return. */
  id: string;
  /** The original declaration, exactly as assessed. */
  original: Declaration;
  /** When the goods went back. */
  returned_on: DateString;
  reason: ReturnReason;
  /** The returned lines (the index of the item in `original.items`; all its units when no quantity). */
  items: { item: number; quantity?: number | Decimal }[];
  /** What was paid, in the regime currency, when less than assessed. */
  paid?: { duty?: Decimal; tax_at_sale?: Decimal; tax_at_import?: Decimal; fees?: Decimal };
}

/** One component of a refund. */
export interface RefundComponent {
  component: "duty" | "tax_at_sale" | "tax_at_import" | "fees";
  /** What the original assessment charged. */
  assessed: Decimal;
  /** The cap: what was paid. */
  paid: Decimal;
  /** The returned goods' share of the component. */
  returned_share: Decimal;
  /** What is refunded. */
  refund: Decimal;
  /** `customs`, or the collector (`seller`, `marketplace`, `carrier`), or `none`. */
  refunded_by: string;
  explanation: string;
  /** Legal source of the rule applied. */
  source: string;
}

/** The refund of one return: a line of `xborder refund`. */
export interface Refund {
  id: string;
  original_id: string;
  /** Regime version of the original assessment. */
  regime_version: string;
  currency: CurrencyCode;
  original_date: DateString;
  returned_on: DateString;
  reason: ReturnReason;
  components: RefundComponent[];
  total_refund: Decimal;
}

/** The accounting period of a statement. */
export type StatementPeriod = "day" | "month" | "quarter";

/** Who remits an account's amounts. */
export interface StatementOperator {
  /** `seller`, `marketplace`, `carrier`, or `border` for amounts paid per consignment. */
  role: string;
  name: string;
  /** Collection scheme (`IOSS`, `GB_POS`, `EU_SA`), null at the border. */
  scheme: string | null;
  registration: string | null;
}

/** One line of an account. */
export interface StatementLine {
  member_state: string;
  component: "duty" | "tax" | "fee";
  kind: string;
  rate: string;
  charged: "at_sale" | "at_import";
  owed_to: string;
  consignments: number;
  base: Decimal;
  amount: Decimal;
}

/** One operator's account for one period. */
export interface StatementAccount {
  regime: string;
  currency: CurrencyCode;
  /** Period label (`2026-03`, `2026-03-15`, `2026-Q1`). */
  period: string;
  operator: StatementOperator;
  consignments: number;
  lines: StatementLine[];
  total: Decimal;
}

/** A collector statement (docs/statements.md): `JSON.parse(statement.json())`. */
export interface StatementDocument {
  period: StatementPeriod;
  accounts: StatementAccount[];
  reconciliation: {
    currency: CurrencyCode;
    consignments: number;
    assessed_total_payable: Decimal;
    statement_total: Decimal;
    difference: Decimal;
  }[];
}

/** A consignment flagged as the last of a split group (docs/risk-profiles.md). */
export interface SplitFlag {
  /** The rule's code. */
  code: string;
  /** The group's ids, oldest first; the flagged consignment last. */
  ids: string[];
  combined_value: Decimal;
  threshold: Decimal;
  message: string;
  /** The group assessed as one consignment, when the rule re-assesses groups. */
  aggregate?: Assessment;
  /** What the aggregate owes beyond the members' `total_payable`. */
  additional_payable?: Decimal;
}
