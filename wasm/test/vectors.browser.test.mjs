// The conformance vectors and samples in headless Debian Chromium: the package's browser entry
// (index.js + `await init()`, fetched from localhost as a <script type="module"> would) must give
// byte for byte the native core's output, with and without the trace, and the same error records.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { cases, coreOracle, sampleRates, openRecordedPage, tariffs } from "./helpers.mjs";

let server;
let browser;
let page;
let problems;

before(async () => {
  ({ server, browser, page, problems } = await openRecordedPage());
  await page.goto(`${server.url}/wasm/test/browser/`);
  await page.waitForFunction(() => window.xborder !== undefined, null, { timeout: 20000 });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("vectors in Chromium: byte-identical to the native core", async () => {
  const all = cases();
  const list = all.flatMap((c) =>
    [false, true].map((trace) => ({ text: JSON.stringify(c.declaration), rates: c.rates, options: { ...c.options, trace } })),
  );
  const expected = coreOracle(list);
  const got = await page.evaluate(async ({ list, rates, tariffs }) => {
    const { Engine, XborderError, regimeData } = window.xborder;
    const ids = regimeData.regimes.map((r) => r.id);
    const plain = await Engine.load(ids, { config: { tariffs } });
    const withRates = await Engine.load(ids, { config: { rates, tariffs } });
    return list.map((c) => {
      const engine = c.rates ? withRates : plain;
      const options = c.options;
      const run = (f) => {
        try {
          return { output: f(), rejected: false };
        } catch (e) {
          return { output: JSON.stringify(e), rejected: true, typed: e instanceof XborderError && e instanceof Error };
        }
      };
      const text = run(() => engine.assessJson(c.text, options));
      const object = run(() => JSON.stringify(engine.assess(JSON.parse(c.text), options)));
      return { text, object };
    });
  }, { list, rates: sampleRates, tariffs });
  assert.equal(got.length, list.length);
  got.forEach(({ text, object }, i) => {
    const name = `${all[i >> 1].name}${i % 2 ? " (trace)" : ""}`;
    assert.equal(text.output, expected[i].output, `${name}: assessJson`);
    assert.equal(text.rejected, expected[i].rejected, `${name}: rejected`);
    assert.equal(object.output, expected[i].output, `${name}: assess`);
    if (text.rejected) assert.ok(text.typed, `${name}: XborderError`);
  });
  assert.deepEqual(problems, [], "no errors in the page");
});

test("errors in Chromium are XborderError objects with code and path; the module recovers", async () => {
  const result = await page.evaluate(() => {
    const { assess, assessJson, XborderError } = window.xborder;
    const out = [];
    for (const value of [undefined, "text", { id: "x" }, { id: "x", date: "2026-13-01" }]) {
      try {
        assess(value);
        out.push(null);
      } catch (e) {
        out.push({ isError: e instanceof Error, isXborder: e instanceof XborderError, name: e.name, code: e.code, path: e.path });
      }
    }
    const good = assessJson(JSON.stringify({
      id: "ok", date: "2026-09-14", destination: "FR", currency: "EUR",
      items: [{ description: "T-shirt", hs_code: "610910", quantity: 1, value: "20.00" }],
      seller: { name: "S" }, consignee: { name: "C" },
    }));
    return { out, good: JSON.parse(good).id };
  });
  for (const e of result.out) {
    assert.ok(e && e.isError && e.isXborder && e.name === "XborderError" && typeof e.code === "string");
  }
  assert.equal(result.out[2].code, "E_MISSING_FIELD");
  assert.equal(result.out[2].path, "date");
  assert.equal(result.out[3].code, "E_INVALID_DATE");
  assert.equal(result.out[3].path, "date");
  assert.equal(result.good, "ok");
});
