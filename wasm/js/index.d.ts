// Types of the npm package `xborder` (the entry points index.js and node.js).
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

/**
 * Assesses one declaration with the embedded regimes. Plain object in, plain object out; every
 * amount is a decimal string in the result's currency.
 * @throws {XborderError} when the declaration cannot be assessed or an option is malformed.
 */
export function assess(declaration: Declaration, options?: AssessOptions | null): Assessment;

/**
 * Like `assess`, with JSON text in and out. The output is byte-identical to the core's (and the
 * CLI's) for the same declaration and options.
 * @throws {XborderError}
 */
export function assessJson(declaration: string, options?: AssessOptions | null): string;

/** The embedded regimes, their versions and validity dates. */
export function regimes(): RegimeInfo[];

/** The library version, e.g. `"0.1.0"`. */
export function version(): string;

/** An engine with caller-supplied regime packs, tariffs and exchange rates. */
export class Engine {
  /** @throws {XborderError} when a pack, tariff or rate table does not load, or a key is unknown. */
  constructor(config?: EngineConfig | null);
  /** @throws {XborderError} */
  assess(declaration: Declaration, options?: AssessOptions | null): Assessment;
  /** @throws {XborderError} */
  assessJson(declaration: string, options?: AssessOptions | null): string;
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
