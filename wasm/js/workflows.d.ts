// Types of `xborder/workflows` (the entry points workflows.js and workflows-node.js): the
// package's second module, with refunds, collector statements and the split-shipment ledger.
// Its Engine is the checkout module's Engine (index.d.ts) with refunds, in an instance of its
// own: statements and ledgers take an Engine of this module.

import type {
  AssessOptions,
  Declaration,
  EngineConfig,
  InitInput,
  Refund,
  ReturnDeclaration,
  SplitFlag,
  StatementPeriod,
} from "./xborder_workflows.js";
import type { LoadOptions } from "./index.js";
import { Engine as CheckoutEngine } from "./index.js";

export type * from "./xborder_workflows.js";
export type { DataFile, DataFileKind, LoadOptions, RegimeData } from "./index.js";
export { XborderError, dataFiles, regimeData } from "./index.js";

/**
 * Loads and instantiates the workflows module (`input`: a URL or path of
 * `xborder_workflows_bg.wasm`, a Response, its bytes or a compiled module; by default the file
 * next to the entry). Await it once before any other call in a browser or bundler; in Node.js
 * the module is ready on import and this resolves at once. Idempotent, and independent of the
 * checkout module's `init`.
 */
export default function init(input?: InitInput | Promise<InitInput>): Promise<void>;

/** Instantiates the module synchronously from its bytes or a compiled module. Idempotent. */
export function initSync(input: { module: BufferSource | WebAssembly.Module } | BufferSource | WebAssembly.Module): void;

/**
 * Throws away the workflows module's instance and starts a fresh one. Engines rebuild
 * themselves; statements and ledgers lose their state (their next call throws E_INTERNAL).
 */
export function reset(): void;

/** The library version, e.g. `"0.1.0"`. */
export function version(): string;

/**
 * An engine of the workflows module: what the checkout module's Engine does (`Engine.load`,
 * `assess`, `assessJson`, `assessNdjson`, `regimes`, byte for byte the same results), and refunds.
 * `new Engine(config)`: in Node.js on top of every regime of the package unless
 * `config.embedded` is false; in browsers only what `config` holds.
 */
export class Engine extends CheckoutEngine {
  /**
   * An engine with the package's data for `names` (regime ids, or destination countries they
   * cover): their packs, national tariffs, official rate tables, sample risk profiles and
   * return rules.
   * @throws {XborderError} `E_NO_REGIME` for a name the package does not have.
   */
  static load(names: string[], options?: LoadOptions): Promise<Engine>;
  /** Like `Engine.load` with a synchronous `options.loader` (in Node.js optional). */
  static loadSync(names: string[], options?: LoadOptions): Engine;
  /** @throws {XborderError} when a pack, tariff or rate table does not load, or a key is unknown. */
  constructor(config?: EngineConfig | null);
  /**
   * The refund of a return (docs/returns.md): the original is re-assessed at its own date's
   * rules with this engine's regimes and return rules. Plain object (or JSON text) in, plain
   * object out. `options` as for `assess` (`date` and `trace` do not apply).
   * @throws {XborderError} when the return cannot be refunded (id null, as `xborder refund` writes it).
   */
  refund(ret: ReturnDeclaration | string, options?: AssessOptions | null): Refund;
  /** Like `refund`, with the refund as JSON text: byte for byte `xborder refund` and `xb_refund_json`. */
  refundJson(ret: ReturnDeclaration | string, options?: AssessOptions | null): string;
}

/**
 * A collector statement (docs/statements.md): what each collecting operator owes, to whom, per
 * period, fed one declaration at a time — `xb_statement_*` in C, `xborder statement` in the CLI,
 * with the same JSON and CSV. Its memory grows with the accounts, not with the declarations.
 */
export class Statement {
  /** @throws {XborderError} `E_INVALID_VALUE` at `period` for another period. */
  constructor(period?: StatementPeriod | null);
  /**
   * Assesses `declaration` with `engine` and adds what it owes to the accounts.
   * @throws {XborderError} the error `assessJson` throws for a declaration that cannot be
   * assessed; it is left out and the statement can be fed further.
   */
  add(engine: Engine, declaration: Declaration | string, options?: AssessOptions | null): void;
  /** The statement so far as JSON text (`StatementDocument`); it can be fed further. */
  json(): string;
  /** The statement so far as CSV text (`xborder statement --format csv`). */
  csv(): string;
  free(): void;
  [Symbol.dispose](): void;
}

/**
 * A ledger of recent consignments for one regime's split-consignment rule (docs/risk-profiles.md,
 * `xb_split_ledger_*` in C): it flags a consignment that, with earlier ones from the same seller
 * to the same buyer inside the rule's window, crosses the rule's threshold while each stays under.
 * Feed it the regime's consignments in roughly chronological order.
 */
export class SplitLedger {
  /**
   * A ledger for the split rule of the risk profile `engine` holds for `regimeId` (the rule is
   * copied).
   * @throws {XborderError} `E_NO_REGIME` or `E_INVALID_VALUE` (no profile, or no split rule) at `regimeId`.
   */
  constructor(engine: Engine, regimeId: string);
  /**
   * Assesses and records `declaration`: null, or the flag when it completes a split group.
   * @throws {XborderError} the error `assessJson` throws for a declaration that cannot be assessed (not recorded).
   */
  record(engine: Engine, declaration: Declaration | string, options?: AssessOptions | null): SplitFlag | null;
  /** Like `record`, with the flag as JSON text (`"null"` for none): the text of `xb_split_ledger_record`. */
  recordJson(engine: Engine, declaration: Declaration | string, options?: AssessOptions | null): string;
  free(): void;
  [Symbol.dispose](): void;
}
