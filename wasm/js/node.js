// xborder — the package entry for Node.js (≥ 20), chosen by the "node" export condition.
// It instantiates the WebAssembly module synchronously from the file next to it, so the API
// is ready as soon as the import resolves; `await init()` is accepted and does nothing.
//
// Regime data comes from the package's own files (data/, listed in data.js), read from disk:
// `Engine.load` and `Engine.loadSync` read the named regimes' files (unless given a loader or a
// base URL); `new Engine(config)` starts from every regime of the package, as the engine of the
// module-level `assess`, `assessJson` and `regimes` does, unless `config.embedded` is false.

import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { initSync, Engine as BaseEngine } from "./index.js";
import { configFiles, dataConfig, dataFiles, regimeData } from "./regime-data.js";

initSync({ module: readFileSync(new URL("./xborder_wasm_bg.wasm", import.meta.url)) });

const packageFile = (path) => new URL(path, import.meta.url);
const texts = new Map(); // path → text, read once
const readSync = (path) => {
  if (!texts.has(path)) texts.set(path, readFileSync(packageFile(path), "utf8"));
  return texts.get(path);
};
const read = async (path) => texts.get(path) ?? readFile(packageFile(path), "utf8");

/** Whether `new Engine(config)` starts from the package's regimes (as the embedded ones were). */
function startsFromPackage(config) {
  if (config === undefined || config === null) return true;
  if (typeof config !== "object" || Array.isArray(config)) return false; // the engine rejects it
  return config.embedded === undefined || config.embedded === true;
}

/** The package's Engine: its regime data read from the package's files. */
export class Engine extends BaseEngine {
  /**
   * `new Engine(config)`: the package's regimes (every one) with the caller's configuration on
   * top, or only the caller's with `embedded: false`.
   */
  constructor(config) {
    if (startsFromPackage(config)) {
      const files = configFiles(regimeData.regimes.map((r) => r.id), config);
      const { embedded, ...own } = config ?? {};
      void embedded;
      super(dataConfig(files, files.map((f) => readSync(f.path)), own));
    } else {
      super(config);
    }
  }

  static load(names, options) {
    const fromPackage = options?.loader || options?.baseUrl ? options : { ...options, loader: read };
    return super.load(names, fromPackage);
  }

  static loadSync(names, options) {
    return super.loadSync(names, options?.loader ? options : { ...options, loader: readSync });
  }
}

let everyRegime = null;
function moduleEngine() {
  everyRegime ??= new Engine();
  return everyRegime;
}

/** Assesses a declaration (plain object) with every regime of the package. */
export function assess(declaration, options) {
  return moduleEngine().assess(declaration, options);
}

/** Like `assess`, with JSON text in and out: the core's JSON text, byte for byte. */
export function assessJson(text, options) {
  return moduleEngine().assessJson(text, options);
}

/** An NDJSON batch with every regime of the package, as `xborder assess` writes it. */
export function assessNdjson(text, options) {
  return moduleEngine().assessNdjson(text, options);
}

/** Every regime of the package, its versions and validity dates. */
export function regimes() {
  return moduleEngine().regimes();
}

/** In Node.js every regime of the package is available already: this only checks the names. */
export async function load(names) {
  dataFiles(names);
}

export * from "./index.js";
export { default } from "./index.js";
