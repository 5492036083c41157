// xborder — the package entry for browsers, bundlers and <script type="module">: the checkout
// module, which builds engines and assesses. (Node.js loads node.js instead, which initializes
// the module synchronously on import.)
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
// Refunds, collector statements and the split-shipment ledger are a second module of the
// package, `xborder/workflows` (workflows.js), with its own .wasm, which a checkout never
// downloads (docs/wasm.md, "Two modules").

import * as glue from "./xborder_wasm.js";
// Replaced by scripts/wasm-build.sh with the wasm-bindgen snippet path of js/error.js.
import { XborderError } from "__XBORDER_ERROR_MODULE__";
import { regimeData, dataFiles } from "./regime-data.js";
import { bindModule } from "./runtime.js";

export { XborderError, regimeData, dataFiles };

const api = bindModule(glue, XborderError, "the package xborder");

/**
 * Loads and instantiates the WebAssembly module; call (and await) once before anything else.
 * Safe to call any number of times. `input` is anything wasm-bindgen accepts: a URL or path
 * to xborder_wasm_bg.wasm, a Response, its bytes or a compiled WebAssembly.Module.
 */
export default function init(input) {
  return api.init(input);
}

export const {
  initSync,
  reset,
  load,
  assess,
  assessJson,
  assessNdjson,
  regimes,
  version,
  Engine,
} = api;
