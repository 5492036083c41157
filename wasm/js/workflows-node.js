// xborder/workflows — the workflows module's entry for Node.js (≥ 20), chosen by the "node"
// export condition of "./workflows". It instantiates the module synchronously from
// xborder_workflows_bg.wasm next to it, so the API is ready as soon as the import resolves;
// `await init()` is accepted and does nothing. As in node.js, `Engine.load` and
// `Engine.loadSync` read the package's data files, and `new Engine(config)` starts from every
// regime of the package unless `config.embedded` is false.

import { initSync, Engine as BaseEngine } from "./workflows.js";
import { packageBytes, packageEngine } from "./node-data.js";

initSync({ module: packageBytes("xborder_workflows_bg.wasm") });

/** The workflows module's Engine (with refunds): its regime data read from the package's files. */
export const Engine = packageEngine(BaseEngine);

export * from "./workflows.js";
export { default } from "./workflows.js";
