// xborder — the package entry for browsers, bundlers and <script type="module">.
// (Node.js loads node.js instead, which initializes the module synchronously on import.)
//
//   import init, { Engine, XborderError } from "xborder";
//   await init();                              // fetches xborder_wasm_bg.wasm next to this file
//   const engine = await Engine.load(["FR"]);  // fetches the EU pack, tariff, rates, risk profile
//   const result = engine.assess(declaration, { trace: true });
//
// The module carries the engine code only; the regime data (packs, national tariffs, official
// rate tables, sample risk profiles) are separate, content-hashed files under data/, listed in
// data.js, and fetched on demand (`Engine.load`, `load`) relative to this file, to a caller's
// base URL, or through a caller's loader.
//
// A thin layer over the wasm-bindgen glue (xborder_wasm.js): `init` is idempotent, every call
// goes through `call`, which turns a WebAssembly trap (a bug: the core is panic-free on any
// input) into an XborderError E_INTERNAL and re-instantiates the module before the next call,
// and `Engine` objects rebuild themselves from their configuration after such a reset instead
// of touching memory of the dead instance.

import initGlue, {
  initSync as initGlueSync,
  version as rawVersion,
  Engine as RawEngine,
  __wbg_reset_state as resetGlue,
} from "./xborder_wasm.js";
// Replaced by scripts/wasm-build.sh with the wasm-bindgen snippet path of js/error.js.
import { XborderError } from "__XBORDER_ERROR_MODULE__";
import { regimeData, dataFiles, dataConfig } from "./regime-data.js";

export { XborderError, regimeData, dataFiles };

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

// --- regime data (regime-data.js) -----------------------------------------------------------

/** Fetches a data file relative to `base` (default: this module's URL). */
async function fetchText(path, base) {
  const url = new URL(path, base ?? new URL("./", import.meta.url));
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`xborder: ${url} could not be fetched (HTTP ${response.status})`);
  }
  return response.text();
}

/** Reads every file with `options.loader`, or fetches it relative to `options.baseUrl`. */
function readAll(files, options) {
  const { loader, baseUrl } = options ?? {};
  return Promise.all(files.map((f) => (loader ? loader(f.path) : fetchText(f.path, baseUrl))));
}

// --- the module's own engine ------------------------------------------------------------------

// The engine of the module-level functions, rebuilt by `load` with every regime loaded so far.
let defaultEngine = null;
const loadedRegimes = new Set();
const loadedTexts = new Map(); // path → Promise<string>

/**
 * Loads regimes (ids, or destination countries they cover) into the engine of the module-level
 * `assess`, `assessJson` and `regimes`, in addition to those loaded before. Each file is read
 * once (`options`: as for `Engine.load`).
 */
export async function load(names, options) {
  const wanted = new Set(loadedRegimes);
  for (const name of dataFiles(names).map((f) => f.regime)) wanted.add(name);
  const files = dataFiles([...wanted]);
  const { loader, baseUrl } = options ?? {};
  const texts = await Promise.all(
    files.map((f) => {
      if (!loadedTexts.has(f.path)) {
        const text = Promise.resolve(loader ? loader(f.path) : fetchText(f.path, baseUrl));
        loadedTexts.set(f.path, text);
        text.catch(() => loadedTexts.delete(f.path));
      }
      return loadedTexts.get(f.path);
    }),
  );
  const engine = new Engine(dataConfig(files, texts, options?.config));
  defaultEngine?.free();
  defaultEngine = engine;
  for (const id of wanted) loadedRegimes.add(id);
}

/** The module-level engine, or an error telling the caller to load regimes first. */
function moduleEngine() {
  if (defaultEngine === null) {
    throw new XborderError(
      "E_NO_REGIME",
      "no regime is loaded: `await load([...])` (or use `await Engine.load([...])`) before assessing",
      null,
      null,
    );
  }
  return defaultEngine;
}

/** Assesses a declaration given as a plain object with the regimes `load` loaded. */
export function assess(declaration, options) {
  return moduleEngine().assess(declaration, options);
}

/** Like `assess`, with JSON text in and out: the core's JSON text, byte for byte. */
export function assessJson(text, options) {
  return moduleEngine().assessJson(text, options);
}

/** The regimes `load` loaded, their versions and validity dates. */
export function regimes() {
  return defaultEngine === null ? [] : defaultEngine.regimes();
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

  /**
   * An engine with the package's data for `names` (regime ids, or destination countries they
   * cover): their packs, national tariffs, official rate tables and sample risk profiles.
   * `options.baseUrl`: where the package's files are (default: next to this module);
   * `options.loader(path)`: returns (a promise of) the text of a package file instead;
   * `options.config`: the caller's packs, tariffs, rates and risk profiles on top (as for
   * `new Engine`).
   */
  static async load(names, options) {
    const files = dataFiles(names);
    return new this(dataConfig(files, await readAll(files, options), options?.config));
  }

  /** Like `Engine.load`, with a loader that returns each file's text synchronously. */
  static loadSync(names, options) {
    const loader = options?.loader;
    if (typeof loader !== "function") {
      throw new TypeError("xborder: Engine.loadSync needs options.loader (path → text)");
    }
    const files = dataFiles(names);
    return new this(dataConfig(files, files.map((f) => loader(f.path)), options?.config));
  }

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
