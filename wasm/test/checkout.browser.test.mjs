// The checkout page (examples/checkout-web) in headless Debian Chromium, driven by
// playwright-core. The test serves the repository from localhost; the page loads the built
// package from wasm/pkg/. The test changes the destination, the quantities, the shipping option,
// the registration and the date, and after each change compares every figure on the page with
// the NATIVE core's result (wasm/examples/core_oracle.rs) for the very declaration the page
// assessed. The page offers every destination of the package; the test prices orders to eight
// of them in five currencies, and where the core cannot price one, checks that the shopper reads
// a plain message (no error code). Shopper-facing text carries no Rust debug names, no error
// codes and no customs control. From the browser's network log it checks that the page fetched
// the regime data of the chosen destinations only, each file once, and the checkout module
// only: nothing of the workflows module (xborder/workflows). It saves a screenshot to
// target/checkout-web.png.

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { regimeData } from "xborder/data.js";
import { coreOracle, repo, openRecordedPage } from "./helpers.mjs";

const DATE = "2026-09-14"; // EU@2026-07-01 rules: EUR 3 flat duty per subheading up to EUR 150

let server;
let browser;
let page;
let problems;
const dataRequests = []; // paths under wasm/pkg/ of the data files the page fetched, in order
const packageRequests = []; // paths under wasm/pkg/ of every package file the page fetched

before(async () => {
  ({ server, browser, page, problems } = await openRecordedPage());
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith("/wasm/pkg/data/")) dataRequests.push(path.slice("/wasm/pkg/".length));
    if (path.startsWith("/wasm/pkg/")) packageRequests.push(path.slice("/wasm/pkg/".length));
  });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${server.url}/examples/checkout-web/?date=${DATE}`);
  await page.waitForFunction(() => Number(document.body.dataset.renders) > 0, null, { timeout: 20000 });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const decimals = (s) => (s.split(".")[1] ?? "").length;
const units = (s, scale) => {
  const [whole, fraction = ""] = s.split(".");
  return BigInt(whole) * 10n ** BigInt(scale) + BigInt((fraction + "0".repeat(scale)).slice(0, scale) || "0");
};
/** a - b for decimal strings, exactly, at the larger number of decimals. */
const minus = (a, b) => {
  const scale = Math.max(decimals(a), decimals(b));
  const v = units(a, scale) - units(b, scale);
  const unit = 10n ** BigInt(scale);
  return scale === 0 ? String(v) : `${v / unit}.${String(v % unit).padStart(scale, "0")}`;
};
const shown = (field) => page.locator(`[data-field="${field}"]`);
/** An amount as the page should show it: Intl.NumberFormat in the browser, exact on strings. */
const formatted = (amount, currency) =>
  page.evaluate(([a, c]) => new Intl.NumberFormat("en", { style: "currency", currency: c }).format(a), [amount, currency]);

/** Runs an action and waits until the page has rendered again; returns what it assessed. */
async function change(action) {
  const before = await page.evaluate(() => Number(document.body.dataset.renders));
  await action();
  await page.waitForFunction((n) => Number(document.body.dataset.renders) > n, before);
  return page.evaluate(() => {
    const s = window.xborderCheckout;
    return { declaration: s.declaration, result: s.result, error: s.error && (s.error.code ?? String(s.error)) };
  });
}

const quantity = (product, q) => change(() => page.fill(`tr[data-product="${product}"] .qty`, String(q)));

/** Every figure on the page equals the native core's result for the page's declaration. */
async function assertMatchesCore(state) {
  assert.equal(state.error, null, "the page assessed the cart");
  // The page loads the destination's national tariff with its pack: the core it is held to
  // has every national tariff too.
  // Release screening runs only in the customs view (option `screening`).
  const customs = await page.locator("#customs-view").isChecked();
  const options = { options: { screening: customs ? "on" : "off" } };
  const [core] = coreOracle([{ text: JSON.stringify(state.declaration), trace: true, options }]);
  assert.equal(core.rejected, false, core.output);
  const expected = JSON.parse(core.output);
  assert.deepEqual(state.result, expected, "the page's result object is the core's");
  const cur = expected.currency;
  const figures = {
    intrinsic_value: expected.intrinsic_value,
    shipping: state.declaration.shipping,
    duty_total: expected.duty_total,
    tax_total: expected.tax_total,
    fee_total: expected.fee_total,
    landed_cost: expected.landed_cost,
    due_at_import: expected.due_at_import,
    pay_now: minus(expected.landed_cost, expected.due_at_import),
  };
  for (const [field, value] of Object.entries(figures)) {
    assert.equal(await shown(field).getAttribute("data-amount"), value, field);
    const text = await shown(field).innerText();
    assert.equal(text, await formatted(value, cur), `${field} as shown in ${cur}`);
  }
  if (cur === "EUR") assert.ok((await shown("landed_cost").innerText()).startsWith("€"));
  // What is paid now + what is due on delivery = landed cost.
  assert.equal(minus(expected.landed_cost, figures.pay_now), figures.due_at_import);
  if (!customs) {
    assert.equal(expected.release.decision, "not_screened", "no release screening for a shopper");
    assert.ok(!(await page.locator("body").innerText()).includes("documentary"), "no customs control in the shopper view");
  }
  await assertPlainForShopper(customs);
  const shopperSteps = expected.trace.filter((s) => customs || !["release", "risk", "category"].includes(s.step));
  const trace = await page.locator("#trace > li .detail").allInnerTexts();
  assert.deepEqual(trace, shopperSteps.map((s) => s.detail), "the explanation is the core's trace");
  assert.equal(await page.locator("#customs").isVisible(), customs, "release details only in the customs view");
  if (customs) {
    assert.equal(await page.locator("#release-decision").innerText(), `Release: ${expected.release.decision.replaceAll("_", " ")}`);
    assert.deepEqual(await page.locator("#release-reasons > li").allInnerTexts(), expected.release.reasons.map((r) => r.message));
  }
  return expected;
}

const headline = () => page.locator("#collection-headline").innerText();

/**
 * The text a shopper reads (the collection lines, the explanation, any message) is plain: no
 * error code, no Rust debug name (`AtSale`, `CustomsValue`, `Vendor` among lower-case words),
 * and no customs control unless the customs view is on.
 */
async function assertPlainForShopper(customs = false) {
  const texts = [
    ...(await page.locator("#collection, #error, #findings").allInnerTexts()),
    ...(await page.locator("#trace > li .detail").allInnerTexts()),
  ].join("\n");
  if (!customs) {
    assert.doesNotMatch(texts, /\bE_[A-Z_]+\b/, "no error code for the shopper");
    assert.ok(!texts.includes("documentary"), "no customs control for the shopper");
  }
  const camel = texts.match(/\b[A-Z][a-z]+[A-Z][A-Za-z]*\b/g) ?? [];
  assert.deepEqual(camel.filter((w) => !["McKenzie"].includes(w)), [], "no debug names in the shopper's text");
  assert.doesNotMatch(
    texts,
    /\b(?:model|by|per|charged|channel|rounded) (?:Vendor|Seller|Consignee|Consignment|Express|Postal|HalfUp)\b/,
    "enum values in plain words",
  );
}

/**
 * A destination outside the EU and the UK: priced in its regime's currency and equal to the
 * core, or, where the core cannot price the order, a plain message for the shopper with the
 * core's reason behind it (the same error code, shown to nobody but the test).
 */
async function assertPricedOrExplained(country) {
  const regime = regimeData.regimes.find((r) => r.destinations.includes(country));
  const state = await change(() => page.selectOption("#destination", country));
  assert.equal(state.declaration.destination, country);
  assert.equal(state.declaration.currency, regime.currency, `${country} is priced in ${regime.currency}`);
  if (state.error === null) {
    const r = await assertMatchesCore(state);
    assert.equal(r.currency, regime.currency);
    return "priced";
  }
  const [core] = coreOracle([{ text: JSON.stringify(state.declaration), trace: true, options: { options: { screening: "off" } } }]);
  assert.equal(core.rejected, true, `the core prices ${country} but the page did not: ${state.error}`);
  assert.equal(JSON.parse(core.output).error.code, state.error, "the page's reason is the core's");
  const message = await page.locator("#error").innerText();
  assert.match(message, /^We can't show the import charges for delivery to /, message);
  assert.ok(!message.includes("E_"), `no error code for the shopper: ${message}`);
  assert.equal(await page.locator("#figures").isVisible(), false);
  await assertPlainForShopper(false);
  return "explained";
}

/** The data files of these regimes, as the package lists them. */
const filesOf = (...ids) =>
  regimeData.regimes.filter((r) => ids.includes(r.id)).flatMap((r) => r.files.map((f) => f.path));
const fetched = () => [...dataRequests].sort();

test("checkout page: the landed cost on screen equals the core after every change", async () => {
  // France: 2 T-shirts + 1 sweater = EUR 137, IOSS: VAT at checkout, flat duty on delivery.
  let state = await page.evaluate(() => window.xborderCheckout);
  let r = await assertMatchesCore(state);
  assert.equal(state.declaration.destination, "FR");
  assert.equal(state.declaration.date, DATE);
  assert.equal(r.collection.scheme, "IOSS");
  assert.equal(r.subdivision, "FR");
  assert.equal(r.duty_total, "6.00", "EUR 3 for each of the two subheadings");
  assert.match(await headline(), /^VAT collected now under IOSS; duty due on delivery/);
  assert.deepEqual(fetched(), filesOf("EU").sort(), "France: the EU's files and nothing else");
  // Every destination the package has a regime for is offered, by name.
  const offered = await page.locator("#destination option").evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(offered.sort(), regimeData.regimes.flatMap((r) => r.destinations).sort());
  assert.equal(await page.locator('#destination option[value="JP"]').innerText(), "Japan");

  assert.ok(!(await page.locator("#trace").innerText()).includes("documentary"), "no customs wording for the shopper");

  // The customs view shows the release decision and its reasons, and the full explanation.
  state = await change(() => page.check("#customs-view"));
  r = await assertMatchesCore(state);
  assert.ok(r.release.reasons.length > 0);
  state = await change(() => page.uncheck("#customs-view"));
  await assertMatchesCore(state);

  // Germany: German VAT rate, with the EU's files already loaded.
  state = await change(() => page.selectOption("#destination", "DE"));
  r = await assertMatchesCore(state);
  assert.deepEqual(fetched(), filesOf("EU").sort(), "Germany fetches nothing more");
  assert.equal(r.subdivision, "DE");
  assert.equal(r.taxes[0].rate, "19%");

  // A third T-shirt: EUR 161 is above EUR 150, so no IOSS: duty and VAT due on delivery.
  state = await quantity("tee", 3);
  r = await assertMatchesCore(state);
  assert.equal(state.declaration.items[0].quantity, 3);
  assert.equal(state.declaration.items[0].value, "72.00");
  assert.equal(r.collection.model, "border");
  assert.equal(r.due_at_sale, "0.00");
  assert.match(await headline(), /^Duty and VAT due on delivery/);

  // Express shipping, and boots added.
  state = await change(() => page.check('input[name="shipping"][value="express"]'));
  r = await assertMatchesCore(state);
  assert.equal(state.declaration.shipping, "14.90");
  assert.equal(state.declaration.channel, "express");
  state = await change(() => page.click('tr[data-product="boots"] .plus'));
  r = await assertMatchesCore(state);
  assert.equal(r.category.code, 4);

  // United Kingdom in pounds: 1 T-shirt + 1 sweater = GBP 97, UK VAT at the point of sale.
  state = await change(() => page.selectOption("#destination", "GB"));
  await assertMatchesCore(state);
  assert.deepEqual(fetched(), filesOf("EU", "GB").sort(), "the UK's files once chosen, each file once");
  await quantity("boots", 0);
  state = await quantity("tee", 1);
  r = await assertMatchesCore(state);
  assert.equal(r.currency, "GBP");
  assert.equal(r.collection.scheme, "GB_POS");
  assert.match(await headline(), /^VAT collected now as UK VAT at point of sale/);

  // Without the shop's registrations, the EU sends VAT to the border (Ireland, EUR 113).
  state = await change(() => page.selectOption("#destination", "IE"));
  r = await assertMatchesCore(state);
  assert.equal(r.collection.scheme, "IOSS");
  state = await change(() => page.uncheck("#collects"));
  r = await assertMatchesCore(state);
  assert.notEqual(r.collection.scheme, "IOSS");
  assert.match(await headline(), /due on delivery/);
  state = await change(() => page.check("#collects"));
  await assertMatchesCore(state);

  // Outside the EU and the UK, in the destinations' currencies.
  const outcomes = {};
  for (const country of ["US", "AU", "CA", "JP"]) outcomes[country] = await assertPricedOrExplained(country);
  assert.ok(Object.values(outcomes).includes("priced"), `some of them are priced: ${JSON.stringify(outcomes)}`);
  state = await change(() => page.selectOption("#destination", "IE"));
  await assertMatchesCore(state);

  // Before 2026-07-01 there was no duty up to EUR 150: nothing more to pay on delivery.
  state = await change(() => page.fill("#date", "2026-06-15"));
  r = await assertMatchesCore(state);
  assert.equal(r.regime_version, "EU@2021-07-01");
  assert.equal(r.due_at_import, "0.00");
  assert.match(await headline(), /nothing more to pay on delivery/);

  // An empty cart shows no figures; the page keeps working afterwards.
  await quantity("tee", 0);
  state = await quantity("sweater", 0);
  assert.equal(state.result, null);
  assert.equal(await page.locator("#empty").isVisible(), true);

  // Back to the first cart, in France, for the screenshot.
  await change(() => page.fill("#date", DATE));
  await change(() => page.selectOption("#destination", "FR"));
  await change(() => page.check('input[name="shipping"][value="postal"]'));
  await quantity("sweater", 1);
  state = await quantity("tee", 2);
  await assertMatchesCore(state);

  assert.deepEqual(fetched(), filesOf("EU", "GB", "US", "AU", "CA", "JP").sort(), "only the chosen destinations' data");
  // The checkout module and nothing of the workflows module (its entry, glue or .wasm).
  assert.ok(packageRequests.includes("xborder_wasm_bg.wasm"), packageRequests.join(" "));
  assert.deepEqual(packageRequests.filter((p) => /workflows/.test(p)), [], "the workflows module is not fetched");
  assert.deepEqual(problems, [], "no errors in the page");
  mkdirSync(join(repo, "target"), { recursive: true });
  await page.screenshot({ path: join(repo, "target/checkout-web.png"), fullPage: true });
});
