// xborder — the package's runtime over one wasm-bindgen glue module: `init`, the trap recovery,
// the text buffers, the regime data loading and the `Engine` class. The package has two
// WebAssembly modules, each with its own glue and its own instance: the checkout module
// (index.js, node.js: `import … from "xborder"`), which assesses, and the workflows module
// (workflows.js, workflows-node.js: `import … from "xborder/workflows"`), which also refunds,
// builds collector statements and keeps the split-shipment ledger. Each entry calls
// `bindModule` once with its glue, so that nothing of one instance is shared with the other
// (an Engine of one module cannot be passed to the other: its memory lives in another
// instance).
//
// `init` is idempotent, every call goes through `call`, which turns a WebAssembly trap (a bug:
// the core is panic-free on any input) into an XborderError E_INTERNAL and re-instantiates the
// module before the next call, and `Engine` objects rebuild themselves from their configuration
// after such a reset instead of touching memory of the dead instance.

import { dataFiles, dataConfig, configFiles } from "./regime-data.js";
import { decodeResult } from "./result-tape.js";

/**
 * The package API over `glue` (the namespace of a wasm-bindgen glue module, `--target web`):
 * `XborderError` is the class of js/error.js, which both modules' glues import from the same
 * snippet file, so that one class serves both. `what` names the entry in messages.
 */
export function bindModule(glue, XborderError, what) {
  const {
    default: initGlue,
    initSync: initGlueSync,
    version: rawVersion,
    Engine: RawEngine,
    __wbg_reset_state: resetGlue,
    __inputBuffer: inputBuffer,
    __outputBuffer: outputBuffer,
    __tapeBuffer: tapeBuffer,
    __memory: rawMemory,
  } = glue;

  let initialized = false;
  let pending = null;
  let trapped = false;
  let generation = 0;

  /**
   * Loads and instantiates the WebAssembly module; call (and await) once before anything else.
   * Safe to call any number of times. `input` is anything wasm-bindgen accepts: a URL or path
   * to the module's .wasm (by default the file next to the glue), a Response, its bytes or a
   * compiled WebAssembly.Module.
   */
  function init(input) {
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
  function initSync(input) {
    if (initialized) return;
    const module = input && Object.getPrototypeOf(input) === Object.prototype ? input.module : input;
    initGlueSync({ module });
    initialized = true;
  }

  /**
   * Throws away the WebAssembly instance and starts a fresh one (new memory). The package does
   * this by itself after a trap; existing Engine objects rebuild themselves on their next call.
   */
  function reset() {
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

  // --- text through the module's memory (src/io.rs) ---------------------------------------------
  //
  // `assess` and `assessJson` pass the declaration's UTF-8 bytes and the result's JSON through two
  // buffers in the module's memory, reused from call to call, instead of wasm-bindgen's string
  // glue, which copies a string one code unit at a time into fresh memory and allocates and frees
  // the result (BENCHMARKS.md, WASM). Rare inputs keep the glue's path, whose checks make the
  // errors: text longer than the input buffer (it may be past the core's size limit, refused
  // before it is copied), and text that is not well-formed UTF-16 (a lone surrogate, refused
  // with its index).

  const encoder = new TextEncoder();
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  /** Most UTF-16 code units passed through the input buffer: 3 bytes each at most (src/io.rs). */
  const MAX_BUFFERED_UNITS = Math.floor((256 << 10) / 3);
  /** Whether `text` has no lone surrogate (an old engine without isWellFormed: no surrogate). */
  const wellFormed =
    typeof String.prototype.isWellFormed === "function"
      ? (text) => text.isWellFormed()
      : (text) => !/[\uD800-\uDFFF]/.test(text);

  let memory = null;
  let memoryGeneration = -1;
  let memoryBytes = new Uint8Array(0);
  let memoryWords = new Int32Array(0);

  /** A view of the module's memory, renewed after the memory grew or the instance was reset. */
  function bytes() {
    if (memoryGeneration !== generation) {
      memory = rawMemory();
      memoryGeneration = generation;
      memoryBytes = new Uint8Array(memory.buffer);
      memoryWords = new Int32Array(memory.buffer);
    } else if (memoryBytes.byteLength === 0) {
      // grown: the old buffer is detached
      memoryBytes = new Uint8Array(memory.buffer);
      memoryWords = new Int32Array(memory.buffer);
    }
    return memoryBytes;
  }

  /** The module's memory as 32-bit words (little-endian, as WebAssembly's), renewed with `bytes`. */
  function words() {
    bytes();
    return memoryWords;
  }

  /**
   * The result's JSON for the declaration `text` (a string), assessed by the raw engine; throws
   * what `assessJson` throws.
   */
  function assessText(raw, text, options) {
    const units = text.length;
    if (units > MAX_BUFFERED_UNITS) return raw.assessJson(text, options);
    const at = inputBuffer(units * 3);
    const { read, written } = encoder.encodeInto(text, bytes().subarray(at, at + units * 3));
    // A lone surrogate became U+FFFD (3 bytes), so written > units: only then is it looked for.
    if (read !== units || (written !== units && !wellFormed(text))) {
      return raw.assessJson(text, options);
    }
    const length = raw.__assessInput(written, options);
    const from = outputBuffer();
    return decoder.decode(bytes().subarray(from, from + length));
  }

  /**
   * The result of the declaration `text` (a string) as objects, assessed by the raw engine:
   * the core writes the result's tape (src/io.rs) and the generated decoder (result-tape.js)
   * builds the objects, the same as `JSON.parse` of `assessText`'s JSON; throws what
   * `assessJson` throws. Rare inputs (see `assessText`) take the JSON path.
   */
  function assessObject(raw, text, options) {
    const units = text.length;
    if (units > MAX_BUFFERED_UNITS) return parseResult(raw.assessJson(text, options));
    const at = inputBuffer(units * 3);
    const { read, written } = encoder.encodeInto(text, bytes().subarray(at, at + units * 3));
    if (read !== units || (written !== units && !wellFormed(text))) {
      return parseResult(raw.assessJson(text, options));
    }
    raw.__assessTape(written, options);
    const t = tapeBuffer() >>> 2;
    const from = outputBuffer();
    const i32 = words();
    const S = decoder.decode(memoryBytes.subarray(from, from + i32[t]));
    return decodeResult(i32, t + 1, S);
  }

  /** `JSON.parse` of the core's JSON (which cannot fail; were it to, an E_INTERNAL error). */
  function parseResult(json) {
    try {
      return JSON.parse(json);
    } catch (error) {
      throw new XborderError("E_INTERNAL", `result JSON did not parse: ${error.message}`, null, null);
    }
  }

  /** `JSON.stringify(declaration)`, or undefined when it throws or gives no text. */
  function declarationText(declaration) {
    try {
      const text = JSON.stringify(declaration);
      return typeof text === "string" ? text : undefined;
    } catch {
      return undefined;
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
  async function load(names, options) {
    const wanted = new Set(loadedRegimes);
    for (const name of dataFiles(names).map((f) => f.regime)) wanted.add(name);
    const files = configFiles([...wanted], options?.config);
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
  function assess(declaration, options) {
    return moduleEngine().assess(declaration, options);
  }

  /** Like `assess`, with JSON text in and out: the core's JSON text, byte for byte. */
  function assessJson(text, options) {
    return moduleEngine().assessJson(text, options);
  }

  /** An NDJSON batch: one result or error record per non-blank line, as `xborder assess` writes. */
  function assessNdjson(text, options) {
    return moduleEngine().assessNdjson(text, options);
  }

  /** The regimes `load` loaded, their versions and validity dates. */
  function regimes() {
    return defaultEngine === null ? [] : defaultEngine.regimes();
  }

  /** The library version. */
  function version() {
    return call(() => rawVersion());
  }

  /** The live WebAssembly engine of an `Engine` (set by Engine's static block). */
  let engineOf;

  /** An engine with caller-supplied regime packs, tariffs and exchange rates. */
  class Engine {
    #config;
    #raw;
    #generation;

    static {
      // Statements and ledgers hand the live WebAssembly engine to the module.
      engineOf = (engine) => engine.#engine();
    }

    /**
     * An engine with the package's data for `names` (regime ids, or destination countries they
     * cover): their packs, national tariffs, official rate tables and sample risk profiles.
     * `options.baseUrl`: where the package's files are (default: next to this module);
     * `options.loader(path)`: returns (a promise of) the text of a package file instead;
     * `options.config`: the caller's packs, tariffs, rates and risk profiles on top (as for
     * `new Engine`).
     */
    static async load(names, options) {
      const files = configFiles(names, options?.config);
      return new this(dataConfig(files, await readAll(files, options), options?.config));
    }

    /** Like `Engine.load`, with a loader that returns each file's text synchronously. */
    static loadSync(names, options) {
      const loader = options?.loader;
      if (typeof loader !== "function") {
        throw new TypeError("xborder: Engine.loadSync needs options.loader (path → text)");
      }
      const files = configFiles(names, options?.config);
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
      return call(() => {
        const raw = this.#engine();
        const text = declarationText(declaration);
        // A declaration with no JSON form: the module's path, which makes the error for it.
        if (text === undefined) return raw.assess(declaration, options);
        return assessObject(raw, text, options);
      });
    }

    assessJson(text, options) {
      return call(() => {
        const raw = this.#engine();
        // Anything but a string: the module's path, which makes the error for it.
        return typeof text === "string" ? assessText(raw, text, options) : raw.assessJson(text, options);
      });
    }

    assessNdjson(text, options) {
      return call(() => this.#engine().assessNdjson(text, options));
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

  /** The live WebAssembly engine of an `Engine` of this module (rebuilt after a reset). */
  function rawEngine(engine) {
    if (!(engine instanceof Engine)) {
      throw new XborderError("E_INVALID_TYPE", `expected an Engine of ${what}`, "engine", null);
    }
    return engineOf(engine);
  }

  return {
    init,
    initSync,
    reset,
    load,
    assess,
    assessJson,
    assessNdjson,
    regimes,
    version,
    Engine,
    // For the workflows entry (workflows.js): the call wrapper, the live engine of an Engine,
    // and the instance generation (bumped by each reset).
    call,
    rawEngine,
    generation: () => generation,
  };
}
