// The package's JavaScript API as a consumer sees it: entry points, errors, engines, options,
// recovery. Imports the BUILT package (wasm/pkg) by name.

import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import init, {
  assess,
  assessJson,
  assessNdjson,
  dataFiles,
  Engine,
  initSync,
  regimes,
  load,
  regimeData,
  reset,
  version,
  XborderError,
} from "xborder";
import { createHash } from "node:crypto";
import { coreOracle, rateTables, repo, sampleRates } from "./helpers.mjs";

/** Every pack in regimes/ is embedded: the ids of the directories holding a pack.json, sorted. */
const packIds = readdirSync(join(repo, "regimes"))
  .filter((d) => existsSync(join(repo, "regimes", d, "pack.json")))
  .sort();

const read = (path) => readFileSync(join(repo, path), "utf8");
const ioss = JSON.parse(read("examples/declarations/eu-cat3-ioss-seller.json"));
const usd = JSON.parse(read("examples/declarations/eu-cat3-ioss-usd.json"));
const gbBorder = JSON.parse(read("examples/declarations/gb-cat4-border.json"));
const [iossCore] = coreOracle([{ text: JSON.stringify(ioss) }], { tariffs: false });

/** Asserts `run` throws an XborderError with this code (and path, when given). */
function throwsCoded(run, code, path) {
  assert.throws(run, (e) => {
    assert.ok(e instanceof XborderError, `an XborderError, not ${e}`);
    assert.ok(e instanceof Error);
    assert.equal(e.name, "XborderError");
    assert.equal(e.code, code);
    if (path !== undefined) assert.equal(e.path, path);
    assert.equal(typeof e.message, "string");
    assert.ok(e.message.length > 0);
    assert.equal(typeof e.stack, "string");
    return true;
  });
}

describe("package entry", () => {
  test("package.json names the package xborder with node and browser entries", () => {
    const pkg = JSON.parse(read("wasm/pkg/package.json"));
    assert.equal(pkg.name, "xborder");
    assert.equal(pkg.type, "module");
    assert.equal(pkg.exports["."].node, "./node.js");
    assert.equal(pkg.exports["."].default, "./index.js");
    assert.equal(pkg.exports["."].types, "./index.d.ts");
    assert.equal(version(), pkg.version);
  });

  test("the JSON Schemas are exported, the same as the repository's", async () => {
    for (const name of ["declaration", "options", "assessment", "rejection"]) {
      const file = `schemas/${name}.schema.json`;
      const { default: schema } = await import(`xborder/${file}`, { with: { type: "json" } });
      assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema", file);
      assert.deepEqual(schema, JSON.parse(read(file)), file);
    }
  });

  test("Node.js is ready on import; init and initSync are idempotent", async () => {
    assert.equal(typeof init, "function");
    await init();
    await init();
    initSync(readFileSync(join(repo, "wasm/pkg/xborder_wasm_bg.wasm")));
    assert.equal(assessJson(JSON.stringify(ioss)), iossCore.output);
  });

  test("the browser entry is the same module and needs no second instantiation", async () => {
    const browser = await import(join(repo, "wasm/pkg/index.js"));
    await browser.default();
    assert.equal(browser.version, version);
    assert.ok(Engine.prototype instanceof browser.Engine, "Node's Engine reads the package's files");
    assert.equal(browser.XborderError, XborderError);
  });

  test("regimes lists every embedded pack with dated versions", () => {
    const list = regimes();
    assert.deepEqual(list.map((r) => r.id).sort(), packIds);
    const eu = list.find((r) => r.id === "EU");
    assert.equal(eu.currency, "EUR");
    assert.ok(eu.destinations.includes("FR") && eu.destinations.includes("DE"));
    assert.ok(eu.versions.some((v) => v.version === "EU@2026-07-01" && v.from === "2026-07-01"));
    for (const v of eu.versions) {
      assert.ok(typeof v.summary === "string" && v.tariff_lines > 0);
      assert.ok(v.to === null || /^\d{4}-\d\d-\d\d$/.test(v.to));
    }
  });
});

describe("results", () => {
  test("plain object, amounts as decimal strings, same document as the core", () => {
    const result = assess(ioss);
    assert.deepEqual(result, JSON.parse(iossCore.output));
    for (const key of ["customs_value", "duty_total", "tax_total", "landed_cost", "due_at_sale"]) {
      assert.match(result[key], /^\d+\.\d{2}$/, key);
    }
    assert.equal(Object.getPrototypeOf(result), Object.prototype);
    assert.equal(result.collection.scheme, "IOSS");
    assert.equal(result.trace, undefined);
  });

  test("trace on request, and options select other rules", () => {
    const traced = assess(ioss, { trace: true });
    assert.ok(traced.trace.length > 5);
    assert.deepEqual(Object.keys(traced.trace[0]), ["step", "rule", "source", "detail"]);
    const before = assess(ioss, { date: "2026-06-30" });
    const after = assess(ioss, { date: "2026-07-01" });
    assert.equal(before.regime_version, "EU@2021-07-01");
    assert.equal(after.regime_version, "EU@2026-07-01");
    assert.equal(before.duty_total, "0.00", "duty relief up to EUR 150 before 2026-07-01");
    const subheadings = new Set(ioss.items.map((item) => item.hs_code.slice(0, 6)));
    assert.equal(after.duty_total, `${3 * subheadings.size}.00`, "EUR 3 flat duty per subheading");
    assert.ok(after.duties.every((d) => d.basis === "flat_duty"));
  });
});

describe("errors", () => {
  test("a rejected declaration throws XborderError with code, path, id and the core's record", () => {
    const bad = { ...ioss, items: [{ ...ioss.items[0], value: 12.5 }] };
    throwsCoded(() => assess(bad), "E_INVALID_AMOUNT", "items[0].value");
    const [core] = coreOracle([{ text: JSON.stringify(bad) }], { tariffs: false });
    try {
      assessJson(JSON.stringify(bad));
      assert.fail("accepted");
    } catch (e) {
      assert.equal(e.id, ioss.id);
      assert.equal(JSON.stringify(e), core.output, "error JSON is the core's, byte for byte");
      assert.deepEqual(e.toJSON().error, { code: e.code, message: e.message, path: e.path });
    }
  });

  test("parts of a declaration written as arrays are read as the CLI reads them", () => {
    // serde's derive reads a struct from an array of its fields in order; the package reads the
    // declaration with the compact reader (no `serde-error-paths`), which must do the same, with
    // the same errors (regime/decode/declaration.rs). Accepted and refused texts alike.
    const [first, second] = ioss.items;
    const item = (i) => [i.description, i.hs_code, i.quantity, "item", i.value, i.origin, i.net_mass_kg];
    const texts = [
      { ...ioss, seller: ["Shenzhen Bright Apparel Co., Ltd.", "CN", [["IOSS", "IM3720000123"]]] },
      { ...ioss, seller: ["Shenzhen Bright Apparel Co., Ltd.", "CN"] },
      { ...ioss, seller: [] },
      { ...ioss, seller: ["S", 1] },
      { ...ioss, seller: ["S", "CN", [], true, 1] },
      { ...ioss, items: [item(first), second] },
      { ...ioss, items: [[...item(first), null, "sale", [["steel", "0.1", "1.00"]]]] },
      { ...ioss, items: [["Shirt"]] },
      { ...ioss, carrier: ["SwiftAir Express", "express", true, ["EU_SA"]] },
      { ...ioss, carrier: ["SwiftAir Express", "rocket"] },
      { ...ioss, consignee: { ...ioss.consignee, address: ["12 rue des Lilas", "Lyon", "69003", "FR"] } },
      { ...ioss, collected_at_sale: ["IOSS", "15.30"] },
      { ...ioss, collected_at_sale: ["IOSS", 15.3] },
      { ...ioss, prior_purchases: [["2026-09-01", "10.00"], ["2026-09-02", "5.00", "EUR"]] },
      { ...ioss, items: [{ ...first, description: 'Jersey, 12" "cotton"\\knitted\n' }, second] },
    ].map((d) => JSON.stringify(d));
    const core = coreOracle(texts.map((text) => ({ text })), { tariffs: false });
    let refused = 0;
    texts.forEach((text, i) => {
      let output;
      try {
        output = assessJson(text);
      } catch (e) {
        assert.ok(e instanceof XborderError, `${e}`);
        output = JSON.stringify(e);
        refused += 1;
      }
      assert.equal(output, core[i].output, text);
    });
    assert.ok(refused >= 5 && refused < texts.length, `${refused} refused`);
  });

  test("values that are not declarations are coded errors, never crashes", () => {
    const cyclic = {};
    cyclic.self = cyclic;
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const hostile = [
      undefined, null, 42, "text", [], cyclic, { n: 1n }, () => 1, Symbol("s"),
      new Proxy({}, { ownKeys() { throw new Error("trap"); } }),
      { toJSON() { throw new RangeError("toJSON"); } },
      revoked.proxy,
    ];
    for (const value of hostile) {
      assert.throws(() => assess(value), XborderError);
      assert.throws(() => assessJson(value), XborderError);
      assert.throws(() => assess(ioss, value === null || value === undefined ? 7 : value), XborderError);
    }
    throwsCoded(() => assessJson("{"), "E_JSON_SYNTAX", null);
    throwsCoded(() => assessJson("[".repeat(200000)), "E_NESTING_TOO_DEEP");
    throwsCoded(() => assessJson(`{"id":"${"x".repeat(2 << 20)}"}`), "E_INPUT_TOO_LARGE");
  });

  test("documents over their limit are refused before they are copied into the module", () => {
    // The refusal names the JS length ("characters"): it came from the check made before the
    // copy, not from the core's byte check after it (a 1.5 GB string was once copied first).
    const refused = (run, code) =>
      assert.throws(run, (e) => e.code === code && /characters long/.test(e.message));
    const big = "x".repeat((1 << 20) + 1);
    refused(() => assessJson(big), "E_INPUT_TOO_LARGE");
    refused(() => assess({ id: big }), "E_INPUT_TOO_LARGE");
    const huge = "x".repeat((64 << 20) + 1);
    refused(() => new Engine({ tariffs: { EU: huge } }), "E_TARIFF_TOO_LARGE");
    refused(() => new Engine({ regimes: [huge] }), "E_PACK_TOO_LARGE");
    refused(() => new Engine({ rates: huge }), "E_INPUT_TOO_LARGE");
    refused(() => new Engine({ riskProfiles: [huge] }), "E_INPUT_TOO_LARGE");
    // At the limit the core decides, by bytes.
    throwsCoded(() => assessJson(" ".repeat(1 << 20)), "E_JSON_SYNTAX");
  });

  test("a lone surrogate is refused the same way by assess and assessJson", () => {
    // assessJson copied the string into the module with the surrogate replaced by U+FFFD and
    // assessed it; assess (JSON.stringify escapes it, the core refuses it) did not.
    for (const id of ["a\ud800b", "a\udc00", "\ud800"]) {
      const declaration = { ...ioss, id };
      throwsCoded(() => assess(declaration), "E_JSON_SYNTAX");
      throwsCoded(() => assessJson(JSON.stringify(declaration)), "E_JSON_SYNTAX");
      const raw = JSON.stringify(ioss).replace('"eu-cat3-ioss-seller"', `"${id}"`);
      assert.throws(
        () => assessJson(raw),
        (e) => e.code === "E_JSON_SYNTAX" && /lone UTF-16 surrogate at index \d+/.test(e.message),
      );
    }
    // Paired surrogates are text.
    assert.equal(JSON.parse(assessJson(JSON.stringify({ ...ioss, id: "a\u{1F600}" }))).id, "a\u{1F600}");
    const pack = read("regimes/GB/pack.json").replace('"name"', '"na\ud800me"');
    throwsCoded(() => new Engine({ regimes: [pack] }), "E_INVALID_PACK", "regimes[0]");
  });

  test("the module keeps working after thrown errors", () => {
    for (let i = 0; i < 200; i++) {
      assert.throws(() => assess({ id: `bad-${i}` }), XborderError);
      assert.throws(() => assessJson("nope"), XborderError);
    }
    assert.equal(assessJson(JSON.stringify(ioss)), iossCore.output);
  });

  test("options are strict: unknown keys and wrong types are errors, not defaults", () => {
    throwsCoded(() => assess(ioss, { tracer: true }), "E_INVALID_OPTION", "tracer");
    throwsCoded(() => assess(ioss, { trace: 1 }), "E_INVALID_OPTION", "trace");
    throwsCoded(() => assess(ioss, { date: "2026-02-29" }), "E_INVALID_DATE", "date");
    throwsCoded(() => assess(ioss, { options: { flat_duty_scope: 3 } }), "E_INVALID_OPTION",
      "options.flat_duty_scope");
    throwsCoded(() => assess(ioss, { options: { flat_duty_scope: "bogus" } }), "E_INVALID_OPTION",
      "options.flat_duty_scope");
    assert.deepEqual(assess(ioss, null), assess(ioss, undefined));
  });

  test("options: every binding's cases give the core's code and path (tests/options/errors.json)", () => {
    const fixture = JSON.parse(read("tests/options/errors.json"));
    const declaration = JSON.parse(read(fixture.declaration));
    for (const c of fixture.cases) {
      if (c.code === null) {
        assert.doesNotThrow(() => assess(declaration, c.options), c.name);
        assert.doesNotThrow(() => assessJson(JSON.stringify(declaration), c.options), c.name);
      } else {
        throwsCoded(() => assess(declaration, c.options), c.code, c.path);
        throwsCoded(() => assessJson(JSON.stringify(declaration), c.options), c.code, c.path);
      }
    }
  });
});

describe("text through the module's memory (the buffers of assess and assessJson)", () => {
  test("non-ASCII text in and out, short and long, is the core's", () => {
    const texts = [
      { ...ioss, id: "commande-été-№1", consignee: { ...ioss.consignee, name: "Zoë Ñúñez 李" } },
      { ...ioss, id: "emoji-\u{1F600}" },
      // Text JSON escapes, non-ASCII and astral characters in the result's strings (the result
      // tape counts UTF-16 units), and a release reason with an agency (HS 300490, "ivory").
      {
        ...ioss,
        id: "q\"b\\c\u0001-\u00e9-\u{1F600}-\u2028",
        items: ioss.items.map((item, k) => ({
          ...item,
          ...(k === 0 ? { hs_code: "300490" } : {}),
          description: "Ivory caf\u00e9 figurine \u2014 \u2713 \"quoted\" \\ \u0001 \u{1F600}",
        })),
      },
      // Longer than the input buffer (256 KiB over 3 bytes a unit): the string path.
      { ...ioss, items: ioss.items.map((item) => ({ ...item, description: "é".repeat(90000) })) },
      { ...ioss, items: ioss.items.map((item) => ({ ...item, description: "x".repeat(90000) })) },
    ].map((d) => JSON.stringify(d));
    const core = coreOracle(texts.map((text) => ({ text })), { tariffs: false });
    texts.forEach((text, i) => {
      const expected = core[i].output;
      let json;
      try {
        json = assessJson(text);
      } catch (e) {
        json = JSON.stringify(e);
      }
      assert.equal(json, expected, `case ${i}`);
      let object;
      try {
        object = assess(JSON.parse(text));
      } catch (e) {
        object = e.toJSON();
      }
      assert.deepEqual(object, JSON.parse(expected), `case ${i}`);
      assert.equal(JSON.stringify(object), expected, `case ${i}: keys in the core's order`);
      if (!("error" in object)) {
        const traced = assess(JSON.parse(text), { trace: true });
        assert.equal(JSON.stringify(traced), assessJson(text, { trace: true }), `case ${i}: trace`);
      }
    });
  });

  test("an options object whose toJSON assesses another declaration does not mix them up", () => {
    const other = { ...ioss, id: "inner" };
    let inner;
    const options = {
      toJSON() {
        inner = assessJson(JSON.stringify(other));
        assert.equal(assess(other).id, "inner");
        return { trace: false };
      },
    };
    assert.deepEqual(assess(ioss, options), JSON.parse(iossCore.output));
    assert.equal(JSON.parse(inner).id, "inner");
    assert.equal(assessJson(JSON.stringify(ioss), options), iossCore.output);
    throwsCoded(() => assess({ id: "bad" }, options), "E_MISSING_FIELD");
  });

  test("results stay right when the module's memory grows between and during calls", () => {
    const before = assessJson(JSON.stringify(ioss));
    const engines = [];
    for (let i = 0; i < 3; i++) {
      engines.push(new Engine()); // every regime's data: the memory grows
      assert.equal(engines[i].assessJson(JSON.stringify(ioss)), before);
      assert.deepEqual(engines[i].assess(ioss, { trace: true }).id, ioss.id);
    }
    for (const engine of engines) engine.free();
    assert.equal(assessJson(JSON.stringify(ioss)), before);
  });
});

describe("NDJSON batch", () => {
  test("assessNdjson writes the core's line for every non-blank line, rejects in place", () => {
    const bad = { ...ioss, items: [{ ...ioss.items[0], value: 12.5 }] };
    const lines = [ioss, gbBorder, bad].map((d) => JSON.stringify(d));
    // What assessJson gives for one line (tested against the CLI elsewhere), or its error record.
    const record = (line) => {
      try {
        return assessJson(line);
      } catch (e) {
        return JSON.stringify(e);
      }
    };
    const text = `${lines[0]}\r\n\n   \n${lines[1]}\n{"id":"x",\n${lines[2]}`;
    const expected = [lines[0], lines[1], '{"id":"x",', lines[2]].map((l) => `${record(l)}\n`).join("");
    assert.equal(assessNdjson(text), expected, "the CLI's bytes, line for line");
    assert.equal(new Engine().assessNdjson(text), expected);
    assert.equal(assessNdjson(""), "");
    const traced = assessNdjson(lines[0], { trace: true });
    assert.equal(traced, `${assessJson(lines[0], { trace: true })}\n`);
    throwsCoded(() => assessNdjson(ioss), "E_INVALID_TYPE", null);
    throwsCoded(() => assessNdjson(lines[0], { trcae: true }), "E_INVALID_OPTION", "trcae");
  });

  test("assessNdjson never drops, reorders or duplicates a record; rejects carry {id, error}", () => {
    // 300 records, every seventh one rejected (a number where a decimal string belongs), with
    // blank lines and \r\n endings between them: one output line per record, in input order.
    const ids = [];
    const lines = [];
    for (let i = 0; i < 300; i += 1) {
      const id = `rec-${i}`;
      ids.push(id);
      const item = { ...ioss.items[0], value: i % 7 === 3 ? 10 + i : `${10 + i}.00` };
      lines.push(JSON.stringify({ ...ioss, id, items: [item] }) + (i % 5 === 0 ? "\r\n\n" : "\n"));
    }
    const out = assessNdjson(lines.join(""));
    assert.ok(out.endsWith("\n"));
    const records = out.slice(0, -1).split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(records.map((r) => r.id), ids, "every record once, in order");
    records.forEach((r, i) => {
      if (i % 7 === 3) {
        assert.deepEqual(Object.keys(r), ["id", "error"], `record ${i} is an error record`);
        assert.equal(r.error.code, "E_INVALID_AMOUNT");
        assert.equal(r.error.path, "items[0].value");
      } else {
        assert.equal(r.error, undefined, `record ${i} is assessed`);
        assert.equal(typeof r.total_payable, "string");
      }
    });
    // A line that is not even JSON keeps its place, with a null id and its line's error.
    const broken = assessNdjson(`${JSON.stringify(ioss)}\n{"id":\n${JSON.stringify(gbBorder)}\n`);
    const [first, second, third] = broken.slice(0, -1).split("\n").map((l) => JSON.parse(l));
    assert.equal(first.id, ioss.id);
    assert.equal(second.id, null);
    assert.equal(second.error.code, "E_JSON_SYNTAX");
    assert.equal(third.id, gbBorder.id);
  });
});

describe("Engine", () => {
  test("exchange rates as text or object convert foreign-currency declarations", () => {
    // Without the caller's table, the package's official ECB table (Art. 146 UCC-IA) converts.
    assert.equal(assess(usd).exchange.table, "ECB");
    const [core] = coreOracle([{ text: JSON.stringify(usd), rates: true }], { tariffs: false });
    const fromText = new Engine({ rates: sampleRates });
    const fromObject = new Engine({ rates: JSON.parse(sampleRates) });
    assert.equal(fromText.assessJson(JSON.stringify(usd)), core.output);
    assert.deepEqual(fromObject.assess(usd), JSON.parse(core.output));
    assert.equal(fromObject.assess(usd).exchange.rate, "0.86");
  });

  test("official rate tables load as text: HMRC's March 2026 rate converts USD 40.00 to GBP 29.47", () => {
    const gbUsd = {
      id: "gb-usd", date: "2026-03-02", destination: "GB", currency: "USD",
      items: [{ description: "T-shirt", hs_code: "610910", quantity: 1, value: "40.00", origin: "CN" }],
      seller: { name: "Shop", country: "CN" },
      consignee: { name: "A", kind: "individual", country: "GB",
        address: { line1: "1", city: "London", postcode: "N1", country: "GB" } },
    };
    // The package compiles no table in: an engine of the GB pack alone refuses the declaration,
    // and converts it once the table is given as text.
    const packOnly = { embedded: false, regimes: [read("regimes/GB/pack.json")] };
    throwsCoded(() => new Engine(packOnly).assess(gbUsd), "E_NO_EXCHANGE_RATE", "currency");
    const engine = new Engine({ ...packOnly, rateTables });
    const [core] = coreOracle([{ text: JSON.stringify(gbUsd) }], { tariffs: false });
    // (That engine has no sample risk profile, so only the conversion is compared.)
    assert.deepEqual(engine.assess(gbUsd).exchange, JSON.parse(core.output).exchange);
    // The package's data files carry the same table: the module-level engine gives the core's bytes.
    assert.equal(assessJson(JSON.stringify(gbUsd)), core.output);
    const result = engine.assess(gbUsd);
    assert.equal(result.intrinsic_value, "29.47");
    assert.equal(result.exchange.publication, "HMRC 2026-03 (s. 18 TCTA 2018)");
    assert.equal(result.exchange.method, "divide");
    throwsCoded(() => new Engine({ rateTables: "x" }), "E_INVALID_OPTION", "rateTables");
    throwsCoded(() => new Engine({ rateTables: [sampleRates] }), "E_INVALID_RATES");
  });

  test("a caller's regime pack replaces the embedded one of the same id", () => {
    const pack = JSON.parse(read("regimes/GB/pack.json"));
    pack.name = "United Kingdom (caller's copy)";
    const engine = new Engine({ regimes: [pack] });
    const gb = engine.regimes().find((r) => r.id === "GB");
    assert.equal(gb.name, "United Kingdom (caller's copy)");
    assert.deepEqual(engine.assess(gbBorder), assess(gbBorder));
    const only = new Engine({ embedded: false, regimes: [JSON.stringify(pack)] });
    assert.deepEqual(only.regimes().map((r) => r.id), ["GB"]);
    throwsCoded(() => only.assess(ioss), "E_NO_REGIME", "destination");
  });

  test("a struct written as an array in a caller's pack is refused, never read by position", () => {
    // The package reads regime data with structs as JSON objects only (issue 17, module size);
    // serde's derived structs would otherwise take an array of the fields in declared order.
    const pack = JSON.parse(read("regimes/SA/pack.json"));
    const r = pack.exchange_rates;
    pack.exchange_rates = [null, r.official, r.source, r.checked, r.confidence];
    for (const given of [pack, JSON.stringify(pack)]) {
      throwsCoded(() => new Engine({ regimes: [given] }), "E_INVALID_PACK");
      assert.throws(
        () => new Engine({ regimes: [given] }),
        (e) => /invalid type: sequence, expected struct ExchangeRatesFile/.test(e.message),
      );
    }
  });

  test("a broken pack, rate table or risk profile names the field, as the CLI does", () => {
    // The package reads regime data without serde_path_to_error; the path is found from the
    // error's line and column (core json_path.rs), the same as the CLI's and the C library's.
    const broken = (file, edit) => {
      const doc = JSON.parse(read(file));
      edit(doc);
      return doc;
    };
    const cases = [
      [
        { regimes: [broken("regimes/SA/pack.json", (p) => (p.versions[0].de_minimis.duty.excluded[0].hs_prefix = 24))] },
        "E_INVALID_PACK",
        "pack[0].versions[0].de_minimis.duty.excluded[0].hs_prefix",
      ],
      [
        { regimes: [broken("regimes/SA/pack.json", (p) => delete p.versions[0].rounding)] },
        "E_INVALID_PACK",
        "pack[0].versions[0].rounding",
      ],
      [
        { riskProfiles: [broken("regimes/EU/risk-profile.json", (p) => (p.rules[1].weight = "x"))] },
        "E_INVALID_PACK",
        "risk_profile[0].rules[1].weight",
      ],
    ];
    const rates = JSON.parse(sampleRates);
    rates.rates[2].rate = { value: "0.86" };
    cases.push([{ rateTables: [JSON.stringify(rates)] }, "E_INVALID_RATES", "rate_table[2].rates[2].rate"]);
    for (const [config, code, path] of cases) {
      for (const key of Object.keys(config)) config[key] = config[key].map((d) => (typeof d === "string" ? d : JSON.stringify(d, null, 2)));
      throwsCoded(() => new Engine(config), code, path);
    }
  });

  test("a caller's tariff (CSV) replaces a regime's duty rates", () => {
    const hs = gbBorder.items[0].hs_code;
    const csv = `hs,duty,description,source,checked\n${hs},5%,test line,test,2026-01-01\n`;
    const engine = new Engine({ tariffs: { GB: csv } });
    const result = engine.assess({ ...gbBorder, items: [gbBorder.items[0]] });
    assert.equal(result.duties[0].rate, "5%");
    throwsCoded(() => new Engine({ tariffs: { GB: "hs,duty\n" } }), "E_INVALID_TARIFF");
  });

  test("a CSV tariff laid out by a header map (tariffLayouts) is the core's, as in C", () => {
    const csv = read("examples/tariffs/gb-spreadsheet.csv");
    const layout = read("examples/tariffs/gb-spreadsheet.layout.json");
    const text = JSON.stringify(gbBorder);
    const [core] = coreOracle([{ text, tariffCsv: ["GB", csv, layout] }], { tariffs: false });
    assert.ok(core.output.includes('"rate":"8%"'), core.output);
    const engine = new Engine({ tariffs: { GB: csv }, tariffLayouts: { GB: JSON.parse(layout) } });
    assert.equal(engine.assessJson(text), core.output, "byte for byte");
    assert.equal(new Engine({ tariffs: { GB: csv }, tariffLayouts: { GB: layout } }).assessJson(text), core.output);
    throwsCoded(() => new Engine({ tariffs: { GB: csv } }), "E_INVALID_TARIFF");
    const bad = (l) => () => new Engine({ tariffs: { GB: csv }, tariffLayouts: { GB: l } });
    throwsCoded(bad({ columns: { hz: "Commodity code" } }), "E_UNKNOWN_FIELD", "tariffLayouts.GB.columns.hz");
    throwsCoded(bad({ separator: "semicolon" }), "E_INVALID_VALUE", "tariffLayouts.GB.separator");
    throwsCoded(bad({ checked: "2026-13-01" }), "E_INVALID_DATE", "tariffLayouts.GB.checked");
    throwsCoded(() => new Engine({ tariffLayouts: { GB: {} } }), "E_INVALID_OPTION", "tariffLayouts.GB");
    throwsCoded(() => new Engine({ tariffs: { GB: csv }, tariffLayouts: [] }), "E_INVALID_OPTION", "tariffLayouts");
  });

  test("a caller's risk profile replaces the sample one and drives the release", () => {
    const sample = assess(ioss).release;
    assert.equal(sample.profile, "EU-sample");
    const profile = {
      format: "xborder-risk-profile/1", id: "test-profile", regime: "EU", name: "t",
      currency: "EUR", issued: "2026-11-29", source: "t", checked: "2026-11-29",
      thresholds: { documentary_check: 10, inspection: 20 },
      rules: [{ code: "R_ALL_GOODS", weight: 25, reason: "everything", when: { hs_prefix: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"] },
                source: "t", checked: "2026-11-29" }],
    };
    const engine = new Engine({ riskProfiles: [profile] });
    const release = engine.assess(ioss).release;
    assert.equal(release.profile, "test-profile");
    assert.equal(release.decision, "inspection");
    assert.equal(release.reasons[0].code, "R_ALL_GOODS");
    throwsCoded(() => new Engine({ riskProfiles: [{ ...profile, format: "2" }] }), "E_INVALID_PACK", "risk_profile[0].format");
    throwsCoded(() => new Engine({ riskProfiles: profile }), "E_INVALID_OPTION", "riskProfiles");
  });

  test("sampleRiskProfiles: false leaves the package's sample profiles out, not the caller's", () => {
    const bare = new Engine({ sampleRiskProfiles: false });
    assert.equal(bare.assess(ioss).release.profile, null);
    assert.equal(new Engine({ sampleRiskProfiles: true }).assess(ioss).release.profile, "EU-sample");
    const profile = JSON.parse(read("regimes/EU/risk-profile.json"));
    const own = new Engine({ sampleRiskProfiles: false, riskProfiles: [{ ...profile, id: "EU-own" }] });
    assert.equal(own.assess(ioss).release.profile, "EU-own");
    // Engine.load reads no risk profile file then; the Rust engine is told too (embedded packs).
    const read_ = [];
    const loader = (path) => {
      read_.push(path);
      return readFileSync(join(repo, "wasm/pkg", path), "utf8");
    };
    const loaded = Engine.loadSync(["EU"], { loader, config: { sampleRiskProfiles: false } });
    assert.ok(read_.every((p) => !p.includes("risk-profile")), read_.join(", "));
    assert.equal(loaded.assess(ioss).release.profile, null);
    throwsCoded(() => new Engine({ sampleRiskProfiles: "no" }), "E_INVALID_OPTION", "sampleRiskProfiles");
  });

  test("configuration errors are coded", () => {
    throwsCoded(() => new Engine({ rate: sampleRates }), "E_INVALID_OPTION", "rate");
    throwsCoded(() => new Engine({ regimes: "{}" }), "E_INVALID_OPTION", "regimes");
    throwsCoded(() => new Engine({ regimes: ["{}"] }), "E_INVALID_PACK");
    throwsCoded(() => new Engine({ rates: "{" }), "E_INVALID_RATES");
    // The package reads no XML and no CSV rate files other than the ECB's (core features
    // rate-xml and rate-csv are off): refused with a message naming the converter.
    for (const text of [
      "from,to,valid_from,rate\nUSD,EUR,2026-01-01,0.9\n",
      "Country/Territories,Currency,Currency Code,Currency Units per £1,Start date,End date\n",
      '<exchangeRateMonthList Period="01/Mar/2026 to 31/Mar/2026"></exchangeRateMonthList>',
    ]) {
      assert.throws(
        () => new Engine({ rates: text }),
        (e) => e.code === "E_INVALID_RATES" && /xborder rates import/.test(e.message),
      );
    }
    throwsCoded(() => new Engine({ embedded: "no" }), "E_INVALID_OPTION", "embedded");
  });

  test("free releases the engine; using it afterwards is an error", () => {
    const engine = new Engine();
    assert.equal(engine.assessJson(JSON.stringify(ioss)), iossCore.output);
    engine.free();
    engine.free();
    assert.throws(() => engine.assess(ioss), /freed/);
  });

  test("after a reset (as after a trap) engines rebuild themselves and results are unchanged", () => {
    const engine = new Engine({ rates: sampleRates });
    const before = engine.assessJson(JSON.stringify(usd));
    reset();
    assert.equal(engine.assessJson(JSON.stringify(usd)), before);
    assert.equal(assessJson(JSON.stringify(ioss)), iossCore.output);
    reset();
    assert.deepEqual(regimes().map((r) => r.id).sort(), packIds);
    engine.free();
  });
});

describe("regime data files (Engine.load)", () => {
  test("regimeData lists every regime of regimes/ with content-hashed files", () => {
    assert.deepEqual(regimeData.regimes.map((r) => r.id).sort(), packIds);
    for (const regime of regimeData.regimes) {
      assert.ok(regime.files.some((f) => f.kind === "pack"), `${regime.id} has a pack`);
      for (const file of regime.files) {
        const m = /^data\/([A-Z]+)\.([a-z-]+)\.([0-9a-f]{12})\.(json|txt)$/.exec(file.path);
        assert.ok(m, file.path);
        assert.equal(m[1], regime.id);
        assert.equal(m[2], file.kind);
        const bytes = readFileSync(join(repo, "wasm/pkg", file.path));
        assert.equal(bytes.length, file.bytes);
        assert.equal(createHash("sha256").update(bytes).digest("hex").slice(0, 12), m[3], "name = content hash");
      }
    }
  });

  test("Engine.load by destination loads that regime only and assesses as the core", async () => {
    const engine = await Engine.load(["FR"]);
    assert.deepEqual(engine.regimes().map((r) => r.id), ["EU"]);
    assert.equal(engine.assessJson(JSON.stringify(ioss)), iossCore.output);
    assert.deepEqual(engine.assess(ioss), JSON.parse(iossCore.output));
    throwsCoded(() => engine.assess(gbBorder), "E_NO_REGIME", "destination");
    assert.deepEqual([...new Set(dataFiles(["FR", "DE", "EU"]).map((f) => f.regime))], ["EU"]);
    engine.free();
  });

  test("a caller's loader reads the package paths; loadSync; config on top", async () => {
    const asked = [];
    const loader = (path) => {
      asked.push(path);
      return readFileSync(join(repo, "wasm/pkg", path), "utf8");
    };
    const engine = await Engine.load(["GB"], { loader: async (path) => loader(path) });
    assert.deepEqual(asked, dataFiles(["GB"]).map((f) => f.path));
    assert.deepEqual(engine.regimes().map((r) => r.id), ["GB"]);
    const [core] = coreOracle([{ text: JSON.stringify(usd), rates: true }], { tariffs: false });
    const withRates = Engine.loadSync(["EU"], { loader, config: { rates: sampleRates } });
    assert.equal(withRates.assessJson(JSON.stringify(usd)), core.output);
    assert.throws(() => Engine.loadSync(["EU"], { loader: () => 7 }), TypeError);
  });

  test("unknown names are E_NO_REGIME before anything is read; load() in Node keeps every regime", async () => {
    let reads = 0;
    await assert.rejects(Engine.load(["EU", "XX"], { loader: () => reads++ }), (e) => e instanceof XborderError && e.code === "E_NO_REGIME");
    assert.equal(reads, 0);
    throwsCoded(() => dataFiles("EU"), "E_INVALID_TYPE");
    await load(["FR"]);
    assert.deepEqual(regimes().map((r) => r.id).sort(), packIds);
  });
});
