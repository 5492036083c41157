// The workflows module (`xborder/workflows`: workflows.js + `await init()`) in headless Debian
// Chromium: refunds, a collector statement and the split-shipment ledger give byte for byte the
// native core's output (wasm/examples/core_oracle.rs), with engines from `Engine.load`; and from
// the browser's network log, the page fetched the workflows module's .wasm and not the checkout
// module's.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { coreOracle, openRecordedPage, repo, tariffs } from "./helpers.mjs";

const read = (path) => readFileSync(join(repo, path), "utf8");

let server;
let browser;
let page;
let problems;
const packageRequests = []; // paths under wasm/pkg/ the page fetched

before(async () => {
  ({ server, browser, page, problems } = await openRecordedPage());
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith("/wasm/pkg/")) packageRequests.push(path.slice("/wasm/pkg/".length));
  });
  await page.goto(`${server.url}/wasm/test/browser/workflows.html`);
  await page.waitForFunction(() => window.workflows !== undefined, null, { timeout: 20000 });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("workflows in Chromium: refund, statement and split ledger byte-identical to the native core", async () => {
  const ret = read("examples/returns/eu-defective-return.json");
  const batch = read("examples/declarations/all.ndjson").split("\n").filter((l) => l !== "");
  const split = ["a", "b"].map((id, i) =>
    JSON.stringify({
      id, date: "2026-03-15", destination: "DE", currency: "EUR",
      items: [{ description: "Cotton T-shirt", hs_code: "610910", quantity: 1, value: i ? "80.00" : "100.00", origin: "CN" }],
      shipping: "5.00",
      seller: { name: "Shop Ltd", country: "CN", registrations: [{ scheme: "IOSS", number: "IM2500000001" }] },
      consignee: { name: "Anna Berg", country: "DE", address: { line1: "Hauptstr. 1", city: "Berlin", postcode: "10115", country: "DE" } },
      lodged_at: `2026-03-15T0${8 + i}:00:00Z`, arrival_at: "2026-03-20T00:00:00Z",
    }),
  );
  const [refund, statement, ledger] = coreOracle([
    { refund: ret },
    { statement: batch, period: "month" },
    { ledger: split },
  ]);
  const got = await page.evaluate(async ({ ret, batch, split, tariffs }) => {
    const { Engine, Statement, SplitLedger, XborderError, regimeData } = window.workflows;
    const engine = await Engine.load(regimeData.regimes.map((r) => r.id), { config: { tariffs } });
    const eu = await Engine.load(["FR"]);
    const out = { refund: engine.refundJson(ret), euRefund: eu.refundJson(ret) };
    const s = new Statement("month");
    const lines = [];
    batch.forEach((line, i) => {
      try {
        s.add(engine, line);
      } catch (e) {
        if (!(e instanceof XborderError)) throw e;
        lines.push(`rejected ${i + 1} ${e.code} ${e.path ?? ""}`);
      }
    });
    lines.push(s.json(), s.csv());
    out.statement = lines.join("\n");
    const l = new SplitLedger(engine, "EU");
    out.ledger = split.map((d) => l.recordJson(engine, d)).join("\n");
    return out;
  }, { ret, batch, split, tariffs });
  assert.ok(refund.output.includes('"total_refund"'));
  assert.equal(got.refund, refund.output);
  assert.equal(got.euRefund, refund.output, "Engine.load(['FR']) fetches the EU's return rules");
  assert.equal(got.statement, statement.output);
  assert.equal(got.ledger, ledger.output);
  assert.ok(packageRequests.includes("xborder_workflows_bg.wasm"), packageRequests.join(" "));
  assert.ok(!packageRequests.includes("xborder_wasm_bg.wasm"), "the checkout module is not fetched");
  assert.deepEqual(problems, [], "no errors in the page");
});
