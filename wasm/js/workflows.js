// xborder/workflows — the package's second module, for browsers, bundlers and
// <script type="module">: refunds on returned goods, collector statements and the
// split-shipment ledger, the workflows beyond assessing. (Node.js loads workflows-node.js
// instead, which initializes the module synchronously on import.)
//
//   import init, { Engine, Statement, SplitLedger } from "xborder/workflows";
//   await init();                              // fetches xborder_workflows_bg.wasm
//   const engine = await Engine.load(["EU"]);  // the EU's pack, tariff, rates, risk profile, return rules
//   const refund = engine.refund(returnDeclaration);
//   const statement = new Statement("month");
//   statement.add(engine, declaration);
//
// A WebAssembly module of its own (the checkout module of `import … from "xborder"` is built
// without these workflows, about 60 kB gzipped smaller): its own `init`, its own instance and its
// own `Engine`, which reads the same data files and assesses as the checkout module's does, byte
// for byte, and refunds. Statements and ledgers take an Engine of this module: an Engine of
// "xborder" lives in the other instance's memory and is refused (E_INVALID_TYPE at `engine`).
// `XborderError` is one class for both modules.

import * as glue from "./xborder_workflows.js";
// Replaced by scripts/wasm-build.sh with the wasm-bindgen snippet path of js/error.js.
import { XborderError } from "__XBORDER_ERROR_MODULE__";
import { regimeData, dataFiles } from "./regime-data.js";
import { bindModule } from "./runtime.js";

export { XborderError, regimeData, dataFiles };

const api = bindModule(glue, XborderError, "xborder/workflows (an Engine of \"xborder\" lives in the other module)");
const { call, rawEngine } = api;

/**
 * Loads and instantiates the workflows module; call (and await) once before anything else.
 * Safe to call any number of times. `input` is anything wasm-bindgen accepts: a URL or path
 * to xborder_workflows_bg.wasm, a Response, its bytes or a compiled WebAssembly.Module.
 */
export default function init(input) {
  return api.init(input);
}

export const { initSync, reset, version } = api;

/** The wasm-bindgen class `name` (the module is built with the cargo feature `feature`). */
function rawClass(name, feature) {
  if (typeof glue[name] !== "function") {
    throw new XborderError(
      "E_INTERNAL",
      `this build of the workflows module has no ${name} (cargo feature \`${feature}\` of wasm/Cargo.toml; scripts/wasm-build.sh turns it on)`,
      null,
      null,
    );
  }
  return glue[name];
}

/**
 * An engine of the workflows module: the checkout module's Engine (`Engine.load`,
 * `Engine.loadSync`, `new Engine(config)`, `assess`, `assessJson`, `assessNdjson`, `regimes`)
 * with refunds.
 */
export class Engine extends api.Engine {
  /**
   * The refund of a return (docs/returns.md): the original is re-assessed at its own date's
   * rules with this engine's regimes and return rules.
   */
  refund(ret, options) {
    return call(() => rawEngine(this).refund(ret, options));
  }

  /** Like `refund`, with the refund as JSON text: byte for byte `xborder refund`. */
  refundJson(ret, options) {
    return call(() => rawEngine(this).refundJson(ret, options));
  }
}

/**
 * An object of the module holding running state (a statement's totals, a ledger's window),
 * which, unlike an Engine, cannot be rebuilt from its configuration after a reset.
 */
class Held {
  #raw;
  #generation;

  constructor(make) {
    this.#raw = call(make);
    this.#generation = api.generation();
  }

  /** Runs `f` with the live object. */
  use(f) {
    return call(() => {
      if (this.#raw === undefined) throw new Error("xborder: this object was freed");
      if (this.#generation !== api.generation()) {
        throw new XborderError(
          "E_INTERNAL",
          "the WebAssembly instance was reset (after a trap) and this object's state went with it; start a new one",
          null,
          null,
        );
      }
      return f(this.#raw);
    });
  }

  free() {
    const raw = this.#raw;
    this.#raw = undefined;
    if (raw !== undefined && this.#generation === api.generation()) raw.free();
  }
}

/**
 * A collector statement: what each collecting operator owes, to whom, per period, fed one
 * declaration at a time (`xb_statement_*` in C, `xborder statement` in the CLI).
 */
export class Statement {
  #held;

  /** `period`: `"day"`, `"month"` (default) or `"quarter"`. */
  constructor(period) {
    const Raw = rawClass("Statement", "statements");
    this.#held = new Held(() => new Raw(period));
  }

  /** Assesses `declaration` (object or JSON text) with `engine` and adds it to the accounts. */
  add(engine, declaration, options) {
    this.#held.use((raw) => raw.add(rawEngine(engine), declaration, options));
  }

  /** The statement so far as JSON text (`xborder statement`, written compactly). */
  json() {
    return this.#held.use((raw) => raw.json());
  }

  /** The statement so far as CSV text (`xborder statement --format csv`). */
  csv() {
    return this.#held.use((raw) => raw.csv());
  }

  free() {
    this.#held.free();
  }

  [Symbol.dispose]() {
    this.free();
  }
}

/**
 * A ledger of recent consignments for one regime's split-consignment rule
 * (`xb_split_ledger_*` in C): it flags a consignment that, with earlier ones from the same
 * seller to the same buyer inside the rule's window, crosses the rule's threshold.
 */
export class SplitLedger {
  #held;

  constructor(engine, regimeId) {
    const Raw = rawClass("SplitLedger", "ledger");
    this.#held = new Held(() => new Raw(rawEngine(engine), regimeId));
  }

  /** Assesses and records a declaration; the flag as an object, or null. */
  record(engine, declaration, options) {
    return this.#held.use((raw) => raw.record(rawEngine(engine), declaration, options));
  }

  /** Like `record`, with the flag as JSON text (`"null"` for none). */
  recordJson(engine, declaration, options) {
    return this.#held.use((raw) => raw.recordJson(rawEngine(engine), declaration, options));
  }

  free() {
    this.#held.free();
  }

  [Symbol.dispose]() {
    this.free();
  }
}
