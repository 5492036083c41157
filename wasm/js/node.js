// xborder — the package entry for Node.js (≥ 20), chosen by the "node" export condition.
// It instantiates the WebAssembly module synchronously from the file next to it, so the API
// is ready as soon as the import resolves; `await init()` is accepted and does nothing.
//
// Regime data comes from the package's own files (data/, listed in data.js), read from disk:
// `Engine.load` and `Engine.loadSync` read the named regimes' files (unless given a loader or a
// base URL); `new Engine(config)` starts from every regime of the package, as the engine of the
// module-level `assess`, `assessJson` and `regimes` does, unless `config.embedded` is false.
// (The workflows — refunds, statements, the split ledger — are `xborder/workflows`,
// workflows-node.js.)

import { initSync, Engine as BaseEngine } from "./index.js";
import { packageBytes, packageEngine } from "./node-data.js";
import { dataFiles } from "./regime-data.js";

initSync({ module: packageBytes("xborder_wasm_bg.wasm") });

/** The package's Engine: its regime data read from the package's files. */
export const Engine = packageEngine(BaseEngine);

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
