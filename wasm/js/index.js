// xborder — the package entry for browsers, bundlers and <script type="module">.
// (Node.js loads node.js instead, which initializes the module synchronously on import.)
//
//   import init, { assess, assessJson, regimes, Engine, XborderError } from "xborder";
//   await init();                 // fetches xborder_wasm_bg.wasm next to this file
//   const result = assess(declaration, { trace: true });
//
// A thin layer over the wasm-bindgen glue (xborder_wasm.js): `init` is idempotent, every call
// goes through `call`, which turns a WebAssembly trap (a bug: the core is panic-free on any
// input) into an XborderError E_INTERNAL and re-instantiates the module before the next call,
// and `Engine` objects rebuild themselves from their configuration after such a reset instead
// of touching memory of the dead instance.

import initGlue, {
  initSync as initGlueSync,
  assess as rawAssess,
  assessJson as rawAssessJson,
  regimes as rawRegimes,
  version as rawVersion,
  Engine as RawEngine,
  __wbg_reset_state as resetGlue,
} from "./xborder_wasm.js";
// Replaced by scripts/wasm-build.sh with the wasm-bindgen snippet path of js/error.js.
import { XborderError } from "__XBORDER_ERROR_MODULE__";

export { XborderError };

let initialized = false;
let pending = null;
let trapped = false;
let generation = 0;

/**
 * Loads and instantiates the WebAssembly module; call (and await) once before anything else.
 * Safe to call any number of times. `input` is anything wasm-bindgen accepts: a URL or path
 * to xborder_wasm_bg.wasm, a Response, its bytes or a compiled WebAssembly.Module.
 */
export default function init(input) {
  if (initialized) return Promise.resolve();
  if (pending === null) {
    pending = initGlue(input === undefined ? undefined : { module_or_path: input }).then(
      () => {
        initialized = true;
      },
      (error) => {
        pending = null;
        throw error;
      },
    );
  }
  return pending;
}

/** Instantiates the module synchronously from its bytes or a compiled module. */
export function initSync(input) {
  if (initialized) return;
  const module = input && Object.getPrototypeOf(input) === Object.prototype ? input.module : input;
  initGlueSync({ module });
  initialized = true;
}

/**
 * Throws away the WebAssembly instance and starts a fresh one (new memory). The package does
 * this by itself after a trap; existing Engine objects rebuild themselves on their next call.
 */
export function reset() {
  ensureInitialized();
  resetGlue();
  generation += 1;
  trapped = false;
}

function ensureInitialized() {
  if (!initialized) {
    throw new Error(
      "xborder: `await init()` must complete before the first call (Node.js initializes on import)",
    );
  }
}

function call(f) {
  ensureInitialized();
  if (trapped) reset();
  try {
    return f();
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) {
      trapped = true;
      const wrapped = new XborderError(
        "E_INTERNAL",
        `the WebAssembly module trapped (${error.message}); it is re-instantiated before the next call. This is a bug in xborder: please report it with the input.`,
        null,
        null,
      );
      wrapped.cause = error;
      throw wrapped;
    }
    throw error;
  }
}

/** Assesses a declaration given as a plain object; returns the assessment as a plain object. */
export function assess(declaration, options) {
  return call(() => rawAssess(declaration, options));
}

/** Assesses a declaration given as JSON text; returns the core's JSON text, byte for byte. */
export function assessJson(text, options) {
  return call(() => rawAssessJson(text, options));
}

/** The embedded regimes, their versions and validity dates. */
export function regimes() {
  return call(() => rawRegimes());
}

/** The library version. */
export function version() {
  return call(() => rawVersion());
}

/** An engine with caller-supplied regime packs, tariffs and exchange rates. */
export class Engine {
  #config;
  #raw;
  #generation;

  constructor(config) {
    this.#config = config;
    this.#raw = call(() => new RawEngine(config));
    this.#generation = generation;
  }

  #engine() {
    if (this.#raw === undefined) throw new Error("xborder: this Engine was freed");
    if (trapped) reset();
    if (this.#generation !== generation) {
      // The instance this engine lived in is gone: build it again from its configuration.
      this.#raw = new RawEngine(this.#config);
      this.#generation = generation;
    }
    return this.#raw;
  }

  assess(declaration, options) {
    return call(() => this.#engine().assess(declaration, options));
  }

  assessJson(text, options) {
    return call(() => this.#engine().assessJson(text, options));
  }

  regimes() {
    return call(() => this.#engine().regimes());
  }

  /** Releases the engine's memory now instead of when it is garbage-collected. */
  free() {
    const raw = this.#raw;
    this.#raw = undefined;
    this.#config = undefined;
    if (raw !== undefined && this.#generation === generation) raw.free();
  }

  [Symbol.dispose]() {
    this.free();
  }
}
