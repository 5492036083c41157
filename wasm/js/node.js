// xborder — the package entry for Node.js (≥ 20), chosen by the "node" export condition.
// It instantiates the WebAssembly module synchronously from the file next to it, so the API
// is ready as soon as the import resolves; `await init()` is accepted and does nothing.

import { readFileSync } from "node:fs";
import { initSync } from "./index.js";

initSync({ module: readFileSync(new URL("./xborder_wasm_bg.wasm", import.meta.url)) });

export * from "./index.js";
export { default } from "./index.js";
