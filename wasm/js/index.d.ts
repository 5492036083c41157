// Types of the npm package `xborder` (the entry points index.js and node.js: the checkout
// module). The workflows module `xborder/workflows` has its own, workflows.d.ts.
// The data types live in js/types.d.ts, which wasm-bindgen pastes into xborder_wasm.d.ts.

import type {
  Assessment,
  AssessOptions,
  Declaration,
  EngineConfig,
  ErrorCode,
  ErrorRecord,
  InitInput,
  RegimeInfo,
} from "./xborder_wasm.js";

export type * from "./xborder_wasm.js";

/**
 * Loads and instantiates the WebAssembly module (`input`: a URL or path of
 * `xborder_wasm_bg.wasm`, a Response, its bytes or a compiled module; by default the file next
 * to the package entry). Await it once before any other call in a
 * browser or bundler; in Node.js the module is ready on import and this resolves at once.
 * Idempotent.
 */
export default function init(input?: InitInput | Promise<InitInput>): Promise<void>;

/** Instantiates the module synchronously from its bytes or a compiled module. Idempotent. */
export function initSync(input: { module: BufferSource | WebAssembly.Module } | BufferSource | WebAssembly.Module): void;

/**
 * Throws away the WebAssembly instance and starts a fresh one. The package does this by itself
 * after a trap (which would be a bug); Engine objects rebuild themselves on their next call.
 */
export function reset(): void;

/** What a data file of the package holds. */
export type DataFileKind = "pack" | "tariff" | "rates" | "risk-profile" | "returns";

/** A regime data file of the package (under `data/`, content-hashed name). */
export interface DataFile {
  kind: DataFileKind;
  /** Path relative to the package root, e.g. `"data/EU.pack.9d9df999563c.json"`. */
  path: string;
  /** Size in bytes. */
  bytes: number;
  /** Size after `gzip -9`, what a compressing server sends. */
  gzip: number;
}

/** The package's regime data: every regime and its files (`data.js`). */
export interface RegimeData {
  format: 1;
  /** The package version the files belong to. */
  version: string;
  regimes: {
    id: string;
    name: string;
    currency: string;
    /** Destination countries that select the regime. */
    destinations: string[];
    files: DataFile[];
  }[];
}

/** The package's regime data files, by regime. */
export const regimeData: RegimeData;

/** Where `Engine.load` and `load` read the data files from. */
export interface LoadOptions {
  /** Base URL of the package's files (default: the URL of the package's module). */
  baseUrl?: string | URL;
  /** Returns (a promise of) the text of a package file, given its path (`"data/…"`). */
  loader?: (path: string) => string | Promise<string>;
  /** The caller's packs, tariffs, rates and risk profiles on top of the package's data. */
  config?: EngineConfig;
}

/**
 * The data files loading `names` reads (regime ids such as `"EU"`, or destination countries
 * such as `"FR"`), with the regime each belongs to.
 * @throws {XborderError} `E_NO_REGIME` for a name the package does not have.
 */
export function dataFiles(names: string[]): (DataFile & { regime: string })[];

/**
 * Loads regimes (ids or destination countries) into the engine of the module-level `assess`,
 * `assessJson` and `regimes`, in addition to those already loaded. In Node.js every regime of
 * the package is available without it.
 */
export function load(names: string[], options?: LoadOptions): Promise<void>;

/**
 * Assesses one declaration with the regimes `load` loaded (in Node.js: every regime of the
 * package). Plain object in, plain object out; every amount is a decimal string in the result's
 * currency.
 * @throws {XborderError} when the declaration cannot be assessed or an option is malformed.
 */
export function assess(declaration: Declaration, options?: AssessOptions | null): Assessment;

/**
 * Like `assess`, with JSON text in and out. The output is byte-identical to the core's (and the
 * CLI's) for the same declaration and options.
 * @throws {XborderError}
 */
export function assessJson(declaration: string, options?: AssessOptions | null): string;

/**
 * An NDJSON batch: one line out per non-blank line in, in order, each ended by `\n` — the
 * result, or the error record `{"id", "error"}` of a rejected line in its place — byte for byte
 * what `xborder assess` writes for the same lines. A rejected line does not throw.
 * @throws {XborderError} when `text` is not a string or is over 256 MiB, or an option is malformed.
 */
export function assessNdjson(text: string, options?: AssessOptions | null): string;

/** The regimes `load` loaded (in Node.js: every regime), their versions and validity dates. */
export function regimes(): RegimeInfo[];

/** The library version, e.g. `"0.1.0"`. */
export function version(): string;

/**
 * An engine: the package's data for some regimes (`Engine.load`), or caller-supplied regime
 * packs, tariffs and exchange rates (`new Engine(config)`: in Node.js on top of every regime of
 * the package unless `config.embedded` is false; in browsers only what `config` holds).
 */
export class Engine {
  /**
   * An engine with the package's data for `names` (regime ids, or destination countries they
   * cover): their packs, national tariffs, official rate tables and sample risk profiles,
   * fetched relative to the package's module (browsers) or read from the package (Node.js).
   * @throws {XborderError} `E_NO_REGIME` for a name the package does not have.
   */
  static load(names: string[], options?: LoadOptions): Promise<Engine>;
  /** Like `Engine.load` with a synchronous `options.loader` (in Node.js optional). */
  static loadSync(names: string[], options?: LoadOptions): Engine;
  /** @throws {XborderError} when a pack, tariff or rate table does not load, or a key is unknown. */
  constructor(config?: EngineConfig | null);
  /** @throws {XborderError} */
  assess(declaration: Declaration, options?: AssessOptions | null): Assessment;
  /** @throws {XborderError} */
  assessJson(declaration: string, options?: AssessOptions | null): string;
  /** @throws {XborderError} (not for a rejected line: its error record is in the output) */
  assessNdjson(text: string, options?: AssessOptions | null): string;
  regimes(): RegimeInfo[];
  /** Releases the engine's memory now instead of at garbage collection. */
  free(): void;
  [Symbol.dispose](): void;
}

/** What every xborder function throws: a real `Error` with a stable `code` and the field `path`. */
export class XborderError extends Error {
  constructor(code: ErrorCode, message: string, path?: string | null, id?: string | null);
  readonly name: "XborderError";
  /** Stable code, e.g. `"E_HS_NO_TARIFF_LINE"`. */
  readonly code: ErrorCode;
  /** JSON path of the offending field, e.g. `"items[0].value"`, or null. */
  readonly path: string | null;
  /** The declaration's id, when it could still be read. */
  readonly id: string | null;
  /** The error record (docs/contract.md) `{ id, error: { code, message, path } }`. */
  toJSON(): ErrorRecord;
}
