// Refunds, collector statements and the split-shipment ledger through the BUILT package's
// workflows module (`xborder/workflows`, its own .wasm), against the native core
// (core_oracle.rs) on the fixtures the C tests use (ffi/tests/c_programs.rs):
// examples/returns/eu-defective-return.json and its variants, examples/declarations/all.ndjson,
// and four EU consignments of one buyer and seller. Every output is compared byte for byte.
// Also: the checkout module (`xborder`) has none of them, and both modules assess alike.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import * as checkout from "xborder";
import init, {
  dataFiles,
  Engine,
  initSync,
  reset,
  SplitLedger,
  Statement,
  version,
  XborderError,
} from "xborder/workflows";
import { cases, coreOracle, repo, tariffs } from "./helpers.mjs";

const read = (path) => readFileSync(join(repo, path), "utf8");

/** Asserts `run` throws an XborderError with this code (and path, when given). */
function throwsCoded(run, code, path) {
  assert.throws(run, (e) => {
    assert.ok(e instanceof XborderError, `an XborderError, not ${e}`);
    assert.equal(e.code, code, e.message);
    if (path !== undefined) assert.equal(e.path, path);
    return true;
  });
}

/** What `run` returns, or the thrown XborderError as its JSON record (the C API's *out). */
function outputOf(run) {
  try {
    return run();
  } catch (e) {
    assert.ok(e instanceof XborderError, `threw ${e}`);
    return JSON.stringify(e);
  }
}

// The engine of the C tests (Engine::embedded): every regime with its national tariff.
const engine = new Engine({ tariffs });

// --- refunds (ffi/tests/c/refund.c) ----------------------------------------------------------

const ret = read("examples/returns/eu-defective-return.json");
const badItem = JSON.stringify({ ...JSON.parse(ret), items: [{ ...JSON.parse(ret).items[0], item: 7 }] });
const refundCases = [
  { refund: ret },
  { refund: ret, options: { regime: "EU" } },
  { refund: badItem },
  { refund: '{"id":' },
  { refund: '{"id":"r"}' },
];

describe("refunds", () => {
  const oracle = coreOracle(refundCases);

  test("refundJson gives the core's refund or error record, byte for byte", () => {
    assert.ok(oracle[0].output.includes('"total_refund"'), oracle[0].output);
    refundCases.forEach((c, i) => {
      const output = outputOf(() => engine.refundJson(c.refund, c.options));
      assert.equal(output, oracle[i].output, `case ${i}`);
    });
    throwsCoded(() => engine.refundJson(badItem), "E_INVALID_VALUE", "items[0].item");
    throwsCoded(() => engine.refundJson('{"id":"r"}'), "E_MISSING_FIELD", "original");
  });

  test("refund takes and gives plain objects; options are the one grammar", () => {
    assert.deepEqual(engine.refund(JSON.parse(ret)), JSON.parse(oracle[0].output));
    assert.deepEqual(engine.refund(ret), JSON.parse(oracle[0].output));
    throwsCoded(() => engine.refundJson(ret, { trcae: true }), "E_INVALID_OPTION", "trcae");
    throwsCoded(() => engine.refund(42), "E_INVALID_TYPE");
    try {
      engine.refund(badItem);
      assert.fail("refunded");
    } catch (e) {
      assert.equal(e.id, null, "a refund's error has no id, as xborder refund writes it");
    }
  });

  test("return rules come with the package's regimes, or from the caller", () => {
    const loaded = Engine.loadSync(["EU"]);
    assert.equal(loaded.refundJson(ret), oracle[0].output);
    assert.ok(dataFiles(["EU"]).some((f) => f.kind === "returns"));
    const rules = JSON.parse(read("regimes/EU/returns.json"));
    // The EU's files but its return rules, given as a caller gives them.
    const file = (kind) => read(join("wasm/pkg", dataFiles(["EU"]).find((f) => f.kind === kind).path));
    const eu = { embedded: false, regimes: [file("pack")], rateTables: [file("rates")], tariffs: { EU: tariffs.EU } };
    assert.throws(() => new Engine(eu).refundJson(ret), XborderError, "no return rules, no refund");
    assert.equal(new Engine({ ...eu, returnRules: [rules] }).refundJson(ret), oracle[0].output);
    // A caller's rules replace the package's.
    const none = structuredClone(rules);
    for (const v of none.versions) for (const c of ["duty", "tax_at_import", "tax_at_sale", "fees"]) v[c].refundable = false;
    assert.equal(Number(new Engine({ tariffs, returnRules: [JSON.stringify(none)] }).refund(ret).total_refund), 0);
    throwsCoded(
      () => new Engine({ returnRules: [{ ...rules, regime: "XX" }] }),
      "E_NO_REGIME",
      "return_rules[0].regime",
    );
    throwsCoded(() => new Engine({ returnRules: rules }), "E_INVALID_OPTION", "returnRules");
  });
});

// --- statements (ffi/tests/c/statement.c) ----------------------------------------------------

const batch = read("examples/declarations/all.ndjson").split("\n").filter((l) => l !== "");

/** What the oracle writes for a statement: `rejected N CODE PATH` lines, the JSON, the CSV. */
function statementOutput(period, lines) {
  const statement = new Statement(period);
  const out = [];
  lines.forEach((line, i) => {
    try {
      statement.add(engine, line);
    } catch (e) {
      assert.ok(e instanceof XborderError, `threw ${e}`);
      out.push(`rejected ${i + 1} ${e.code} ${e.path ?? ""}`);
    }
  });
  out.push(statement.json(), statement.csv());
  statement.free();
  return out.join("\n");
}

describe("collector statements", () => {
  const oracle = coreOracle([
    { statement: batch, period: "month" },
    { statement: batch, period: "quarter" },
    { statement: batch, period: "day" },
  ]);

  test("a statement fed line by line is the core's, JSON and CSV, byte for byte", () => {
    assert.ok(oracle[0].output.includes('"reconciliation"'));
    assert.equal(statementOutput(undefined, batch), oracle[0].output, "month, the default");
    assert.equal(statementOutput("quarter", batch), oracle[1].output);
    assert.equal(statementOutput("day", batch), oracle[2].output);
    const document = JSON.parse(statementOutput("month", batch).split("\n").find((l) => l.startsWith("{")));
    assert.ok(document.accounts.length > 0);
    assert.ok(document.reconciliation.every((r) => Number(r.difference) === 0));
  });

  test("objects and text are both read; a rejected declaration throws assessJson's error and is left out", () => {
    const statement = new Statement("month");
    statement.add(engine, JSON.parse(batch[0]));
    const one = statement.json();
    const bad = { ...JSON.parse(batch[0]), items: [{ ...JSON.parse(batch[0]).items[0], value: 12.5 }] };
    let assessError;
    try {
      engine.assessJson(JSON.stringify(bad));
    } catch (e) {
      assessError = JSON.stringify(e);
    }
    assert.throws(
      () => statement.add(engine, bad),
      (e) => e instanceof XborderError && JSON.stringify(e) === assessError,
    );
    assert.equal(statement.json(), one, "unchanged");
    statement.add(engine, batch[0]);
    assert.notEqual(statement.json(), one, "fed further");
    throwsCoded(() => new Statement("week"), "E_INVALID_VALUE", "period");
    throwsCoded(() => new Statement(3), "E_INVALID_VALUE", "period");
    throwsCoded(() => statement.add({}, batch[0]), "E_INVALID_TYPE", "engine");
    throwsCoded(() => statement.add(engine, batch[0], { trcae: 1 }), "E_INVALID_OPTION", "trcae");
    statement.free();
    assert.throws(() => statement.json(), /freed/);
  });
});

// --- the split-shipment ledger (ffi/tests/c/ledger.c) -----------------------------------------

/** A declaration of the split-consignment tests: `value` EUR from `seller` to `buyer`. */
function splitDeclaration(id, lodged, value, seller, buyer) {
  return {
    id, date: lodged.slice(0, 10), destination: "DE", currency: "EUR",
    items: [{ description: "Cotton T-shirt", hs_code: "610910", quantity: 1, value, origin: "CN" }],
    shipping: "5.00",
    seller: { name: seller, country: "CN", registrations: [{ scheme: "IOSS", number: "IM2500000001" }] },
    consignee: {
      name: buyer, country: "DE",
      address: { line1: "Hauptstr. 1", city: "Berlin", postcode: "10115", country: "DE" },
    },
    lodged_at: lodged, arrival_at: "2026-03-20T00:00:00Z",
  };
}

const split = [
  splitDeclaration("a", "2026-03-15T08:00:00Z", "100.00", "Shop Ltd", "Anna Berg"),
  splitDeclaration("x", "2026-03-15T09:00:00Z", "90.00", "Shop Ltd", "Karl Kurz"),
  splitDeclaration("b", "2026-03-15T20:00:00Z", "80.00", "SHOP, LTD.", "anna  berg"),
  splitDeclaration("c", "2026-03-17T08:00:00Z", "120.00", "Shop Ltd", "Anna Berg"),
].map((d) => JSON.stringify(d));
const reassess = JSON.parse(read("regimes/EU/risk-profile.json"));
reassess.id = "EU-ffi-reassess";
reassess.split_consignments.reassess = true;

describe("split-shipment ledger", () => {
  const oracle = coreOracle([
    { ledger: split },
    { ledger: split, profile: JSON.stringify(reassess) },
  ]);

  test("recordJson flags what the core flags, byte for byte, with the sample and a caller's profile", () => {
    const sample = new SplitLedger(engine, "EU");
    assert.equal(split.map((d) => sample.recordJson(engine, d)).join("\n"), oracle[0].output);
    const custom = new Engine({ tariffs, riskProfiles: [reassess] });
    const own = new SplitLedger(custom, "EU");
    const flags = split.map((d) => own.recordJson(custom, d));
    assert.equal(flags.join("\n"), oracle[1].output);
    assert.equal(flags[0], "null");
    assert.ok(flags[2].includes("R_EU_SPLIT_CONSIGNMENT"), flags[2]);
    assert.ok(flags[2].includes('"additional_payable"'), flags[2]);
  });

  test("record gives the flag as an object or null; rejects are assessJson's errors", () => {
    const ledger = new SplitLedger(engine, "EU");
    const objects = split.map((d) => ledger.record(engine, JSON.parse(d)));
    assert.deepEqual(objects, oracle[0].output.split("\n").map((l) => JSON.parse(l)));
    assert.equal(objects[0], null);
    assert.deepEqual(objects[2].ids, ["a", "b"]);
    const bad = { ...JSON.parse(split[0]), id: "bad", currency: "XXX" };
    let assessError;
    try {
      engine.assessJson(JSON.stringify(bad));
    } catch (e) {
      assessError = JSON.stringify(e);
    }
    assert.ok(assessError.includes('"id":"bad"'), assessError);
    assert.throws(
      () => ledger.recordJson(engine, bad),
      (e) => e instanceof XborderError && JSON.stringify(e) === assessError,
    );
    throwsCoded(() => new SplitLedger(engine, "XX"), "E_NO_REGIME", "regimeId");
    throwsCoded(() => new SplitLedger(engine, 7), "E_INVALID_TYPE", "regimeId");
    throwsCoded(() => new SplitLedger(new Engine({ sampleRiskProfiles: false }), "EU"), "E_INVALID_VALUE", "regimeId");
    throwsCoded(() => new SplitLedger("EU", "EU"), "E_INVALID_TYPE", "engine");
    ledger[Symbol.dispose]();
    assert.throws(() => ledger.record(engine, split[0]), /freed/);
  });

  test("after a reset, a statement or ledger says its state is gone; engines rebuild", () => {
    const statement = new Statement();
    const ledger = new SplitLedger(engine, "EU");
    statement.add(engine, batch[0]);
    reset();
    throwsCoded(() => statement.json(), "E_INTERNAL");
    throwsCoded(() => ledger.record(engine, split[0]), "E_INTERNAL");
    const fresh = new Statement();
    fresh.add(engine, batch[0]);
    assert.ok(fresh.json().includes('"accounts"'));
  });
});

// --- two modules ------------------------------------------------------------------------------

describe("the checkout module and the workflows module", () => {
  test("package.json exports xborder/workflows with a browser, a Node.js and a types entry", () => {
    const pkg = JSON.parse(read("wasm/pkg/package.json"));
    assert.deepEqual(pkg.exports["./workflows"], {
      types: "./workflows.d.ts",
      node: "./workflows-node.js",
      default: "./workflows.js",
    });
    for (const file of ["workflows.js", "workflows-node.js", "workflows.d.ts", "xborder_workflows.js", "xborder_workflows_bg.wasm"]) {
      assert.ok(pkg.files.includes(file), file);
    }
    assert.equal(version(), pkg.version);
  });

  test("the checkout module has no workflows; its Engine is refused by statements and ledgers", () => {
    assert.equal(checkout.Statement, undefined);
    assert.equal(checkout.SplitLedger, undefined);
    assert.equal(typeof new checkout.Engine().refund, "undefined");
    assert.equal(typeof engine.refund, "function");
    assert.equal(checkout.XborderError, XborderError, "one error class for both modules");
    const statement = new Statement();
    throwsCoded(() => statement.add(new checkout.Engine(), batch[0]), "E_INVALID_TYPE", "engine");
    throwsCoded(() => new SplitLedger(checkout.Engine.loadSync(["EU"]), "EU"), "E_INVALID_TYPE", "engine");
    assert.ok(!(engine instanceof checkout.Engine), "each module has its own Engine");
  });

  test("Node.js is ready on import; init and initSync are idempotent", async () => {
    await init();
    initSync(readFileSync(join(repo, "wasm/pkg/xborder_workflows_bg.wasm")));
    assert.ok(engine.refundJson(ret).includes('"total_refund"'));
  });

  test("both modules assess every vector alike, byte for byte, and list the same regimes", () => {
    const mine = new Engine({ tariffs });
    const theirs = new checkout.Engine({ tariffs });
    for (const c of cases()) {
      const text = JSON.stringify(c.declaration);
      for (const options of [c.options, { ...c.options, trace: true }]) {
        assert.equal(outputOf(() => mine.assessJson(text, options)), outputOf(() => theirs.assessJson(text, options)), c.name);
      }
    }
    assert.deepEqual(mine.regimes(), theirs.regimes());
    const lines = batch.join("\n");
    assert.equal(mine.assessNdjson(lines), theirs.assessNdjson(lines));
  });
});
