// xborder — the package's data files read from disk, for the Node.js entries of both modules
// (node.js for "xborder", workflows-node.js for "xborder/workflows"): each file is read once
// per process, whichever module asks for it.

import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { configFiles, dataConfig, regimeData } from "./regime-data.js";

const packageFile = (path) => new URL(path, import.meta.url);
const texts = new Map(); // path → text, read once
const readSync = (path) => {
  if (!texts.has(path)) texts.set(path, readFileSync(packageFile(path), "utf8"));
  return texts.get(path);
};
const read = async (path) => texts.get(path) ?? readFile(packageFile(path), "utf8");

/** The bytes of a file of the package (a module's .wasm). */
export function packageBytes(path) {
  return readFileSync(packageFile(path));
}

/** Whether `new Engine(config)` starts from the package's regimes (as the embedded ones were). */
function startsFromPackage(config) {
  if (config === undefined || config === null) return true;
  if (typeof config !== "object" || Array.isArray(config)) return false; // the engine rejects it
  return config.embedded === undefined || config.embedded === true;
}

/** `BaseEngine` (a module's Engine class) with its regime data read from the package's files. */
export function packageEngine(BaseEngine) {
  return class Engine extends BaseEngine {
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
  };
}
