// A checkout page that shows the landed cost live, computed in the browser by the xborder
// WebAssembly package (loaded straight from the repository's build, ../../wasm/pkg/).
//
// Every change (quantity, destination, shipping, registration, date) builds a declaration and
// assesses it again; amounts stay decimal strings from end to end (line values are computed
// in integer cents), so the page shows exactly the core's figures.
//
// The module carries no regime data: the first time a destination is chosen, the page loads
// that destination's regime (`load([country])`: its pack, tariff, rate table and risk profile,
// content-hashed files from ../../wasm/pkg/data/), and only that one.
//
// For tests: window.xborderCheckout holds the last declaration, result and error, and
// <body data-renders> counts renders.

import init, { assess, load, version, XborderError } from "../../wasm/pkg/index.js";

// Full national codes (8 digits, the same in the EU's Combined Nomenclature and the UK Global
// Tariff): a shop declares the line its goods fall in, since a 6-digit code can cover lines
// with different duties (6110.11 does: E_HS_AMBIGUOUS).
const PRODUCTS = [
  { id: "tee", name: "Organic cotton T-shirt", hs: "61091000", kg: "0.20", price: { EUR: "24.00", GBP: "21.00" }, qty: 2 },
  { id: "sweater", name: "Merino wool sweater, men's", hs: "61101130", kg: "0.45", price: { EUR: "89.00", GBP: "76.00" }, qty: 1 },
  { id: "boots", name: "Men's leather ankle boots", hs: "64035115", kg: "1.30", price: { EUR: "129.00", GBP: "110.00" }, qty: 0 },
  { id: "earbuds", name: "Wireless earbuds", hs: "85183000", kg: "0.10", price: { EUR: "59.00", GBP: "50.00" }, qty: 0 },
];

const SHIPPING = {
  postal: { price: { EUR: "6.90", GBP: "5.90" }, carrier: { name: "US Postal Service", kind: "postal", aeo: false } },
  express: { price: { EUR: "14.90", GBP: "12.90" }, carrier: { name: "SwiftAir Express", kind: "express", aeo: true } },
};

const REGISTRATIONS = [
  { scheme: "IOSS", number: "IM8400000042" },
  { scheme: "GB_VAT", number: "GB123456789" },
];

const SYMBOL = { EUR: "€", GBP: "£" };

/** Steps of the explanation that only the customs view shows. */
const CUSTOMS_STEPS = new Set(["release", "risk", "category"]);

const $ = (selector) => document.querySelector(selector);
const state = window.xborderCheckout = { declaration: null, result: null, error: null, renders: 0 };

// ---- decimal strings as integer cents (no binary floating point anywhere) -------------------

function cents(decimal) {
  const [whole, fraction = ""] = decimal.split(".");
  return BigInt(whole) * 100n + BigInt((fraction + "00").slice(0, 2));
}

function decimal(centsValue) {
  const sign = centsValue < 0n ? "-" : "";
  const abs = centsValue < 0n ? -centsValue : centsValue;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}

function money(amount, currency) {
  const [whole, fraction] = amount.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${SYMBOL[currency] ?? currency + " "}${grouped}.${fraction ?? "00"}`;
}

// ---- the form -------------------------------------------------------------------------------

function currency() {
  return $("#destination").value === "GB" ? "GBP" : "EUR";
}

function shippingChoice() {
  return document.querySelector('input[name="shipping"]:checked').value;
}

function buildCart() {
  const rows = PRODUCTS.map((p) => {
    const tr = document.createElement("tr");
    tr.dataset.product = p.id;
    tr.innerHTML = `
      <td><div class="name"></div><div class="muted small">HS <span class="hs"></span></div></td>
      <td class="num unit"></td>
      <td class="qty-col"><div class="stepper">
        <button type="button" class="minus" aria-label="one less">−</button>
        <input type="number" class="qty" min="0" max="50" step="1" inputmode="numeric" />
        <button type="button" class="plus" aria-label="one more">+</button>
      </div></td>
      <td class="num line"></td>`;
    tr.querySelector(".name").textContent = p.name;
    tr.querySelector(".hs").textContent = p.hs.replace(/^(\d{4})(\d{2})/, "$1 $2");
    const input = tr.querySelector(".qty");
    input.value = String(p.qty);
    input.setAttribute("aria-label", `quantity of ${p.name}`);
    const set = (q) => {
      input.value = String(Math.max(0, Math.min(50, q)));
      update();
    };
    tr.querySelector(".minus").addEventListener("click", () => set(quantity(input) - 1));
    tr.querySelector(".plus").addEventListener("click", () => set(quantity(input) + 1));
    input.addEventListener("input", update);
    return tr;
  });
  $("#cart-rows").replaceChildren(...rows);
}

function quantity(input) {
  const q = Number.parseInt(input.value, 10);
  return Number.isFinite(q) && q > 0 ? Math.min(q, 50) : 0;
}

/** The declaration for the cart as it stands (docs/contract.md field names). */
function declaration() {
  const cur = currency();
  const destination = $("#destination").value;
  const channel = shippingChoice();
  const items = [];
  for (const p of PRODUCTS) {
    const q = quantity(document.querySelector(`tr[data-product="${p.id}"] .qty`));
    if (q === 0) continue;
    items.push({
      description: p.name,
      hs_code: p.hs,
      quantity: q,
      value: decimal(cents(p.price[cur]) * BigInt(q)),
      origin: "US",
      net_mass_kg: decimal(cents(p.kg) * BigInt(q)),
    });
  }
  return {
    id: `checkout-${destination}-${$("#date").value}`,
    date: $("#date").value,
    destination,
    transaction: "B2C",
    channel,
    currency: cur,
    items,
    shipping: SHIPPING[channel].price[cur],
    seller: {
      name: "Northwind Outfitters Inc.",
      country: "US",
      registrations: $("#collects").checked ? REGISTRATIONS : [],
    },
    carrier: SHIPPING[channel].carrier,
    consignee: {
      name: "Camille Martin",
      kind: "individual",
      country: destination,
      address: { line1: "12 Rue des Lilas", city: "Lyon", postcode: "69003", country: destination },
    },
    incoterm: "DAP",
  };
}

// ---- rendering ------------------------------------------------------------------------------

function setAmount(field, amount, cur) {
  const el = document.querySelector(`[data-field="${field}"]`);
  el.dataset.amount = amount;
  el.textContent = money(amount, cur);
}

const COLLECTOR = {
  seller: "the shop",
  marketplace: "the marketplace",
  carrier: "the carrier",
  consignee: "you",
  customs: "customs",
};

const SCHEME = { IOSS: "under IOSS", GB_POS: "as UK VAT at point of sale", EU_SA: "under the special arrangements" };

/** "VAT collected now under IOSS" / "Duty and VAT due on delivery" and the lines behind it. */
function collectionText(result, declaration) {
  const cur = result.currency;
  const atSale = result.taxes.filter((t) => t.charged === "at_sale");
  const atImport = result.taxes.filter((t) => t.charged === "at_import");
  const selfAssessed = result.taxes.filter((t) => t.charged === "self_assessed");
  const taxNames = (list) => [...new Set(list.map((t) => t.kind))].join(" and ");
  const duty = cents(result.duty_total) > 0n;
  const fees = cents(result.fee_total) > 0n;
  const lines = [];
  let headline;
  if (cents(result.total_payable) === 0n && selfAssessed.length === 0) {
    headline = "No import duty or tax is due on this order.";
  } else if (atSale.length > 0) {
    const scheme = SCHEME[result.collection.scheme] ?? `under ${result.collection.scheme}`;
    headline = `${taxNames(atSale)} collected now ${scheme}`;
    const later = [duty ? "duty" : null, atImport.length ? taxNames(atImport) : null, fees ? "fees" : null]
      .filter(Boolean);
    headline += later.length
      ? `; ${later.join(" and ")} due on delivery.`
      : " — nothing more to pay on delivery.";
  } else {
    const due = [duty ? "Duty" : null, atImport.length ? taxNames(atImport) : null, fees ? "fees" : null]
      .filter(Boolean);
    headline = `${due.join(" and ").replace(/^./, (c) => c.toUpperCase())} due on delivery` +
      ` (collected by ${COLLECTOR[result.collection.collector] ?? result.collection.collector}` +
      `${result.collection.import_charges_payer === "consignee" ? ", paid by you" : ", paid by the shop"}).`;
  }
  for (const t of atSale) lines.push(`${t.kind} ${t.rate} on ${money(t.base, cur)}: ${money(t.amount, cur)} — paid now`);
  for (const d of result.duties) {
    const item = declaration.items[d.item]?.description ?? `item ${d.item + 1}`;
    if (cents(d.amount) > 0n) lines.push(`Duty on ${item} (${d.rate}): ${money(d.amount, cur)} — on delivery`);
  }
  for (const t of atImport) lines.push(`Import ${t.kind} ${t.rate} on ${money(t.base, cur)}: ${money(t.amount, cur)} — on delivery`);
  for (const t of selfAssessed) lines.push(`${t.kind} ${t.rate}: ${money(t.amount, cur)} — self-assessed by the buyer`);
  for (const f of result.fees) lines.push(`${f.kind.replaceAll("_", " ")}: ${money(f.amount, cur)} — paid by ${COLLECTOR[f.payer] ?? f.payer}`);
  return { headline, lines };
}

function render() {
  const cur = currency();
  for (const p of PRODUCTS) {
    const row = document.querySelector(`tr[data-product="${p.id}"]`);
    const q = quantity(row.querySelector(".qty"));
    row.querySelector(".unit").textContent = money(p.price[cur], cur);
    row.querySelector(".line").textContent = money(decimal(cents(p.price[cur]) * BigInt(q)), cur);
    row.classList.toggle("zero", q === 0);
  }
  for (const [id, option] of Object.entries(SHIPPING)) {
    document.querySelector(`[data-shipping-price="${id}"]`).textContent = money(option.price[cur], cur);
  }

  const d = declaration();
  state.declaration = d;
  state.result = null;
  state.error = null;
  $("#error").hidden = true;
  $("#empty").hidden = d.items.length > 0;
  $("#figures").hidden = d.items.length === 0;
  if (d.items.length === 0) {
    $("#trace").replaceChildren();
    return;
  }

  let result;
  try {
    // A shopper needs the charges, not a customs control: release screening runs only in the
    // customs view (engine option `screening`).
    const screening = $("#customs-view").checked ? "on" : "off";
    result = assess(d, { trace: true, options: { screening } });
  } catch (error) {
    state.error = error;
    $("#figures").hidden = true;
    const box = $("#error");
    box.hidden = false;
    box.textContent = error instanceof XborderError
      ? `${error.code}${error.path ? ` at ${error.path}` : ""}: ${error.message}`
      : String(error);
    return;
  }
  state.result = result;

  const rc = result.currency;
  setAmount("intrinsic_value", result.intrinsic_value, rc);
  setAmount("shipping", d.shipping, rc);
  setAmount("duty_total", result.duty_total, rc);
  setAmount("tax_total", result.tax_total, rc);
  setAmount("fee_total", result.fee_total, rc);
  setAmount("landed_cost", result.landed_cost, rc);
  setAmount("pay_now", decimal(cents(result.landed_cost) - cents(result.due_at_import)), rc);
  setAmount("due_at_import", result.due_at_import, rc);
  $("#tax-detail").textContent = result.taxes.map((t) => `${t.kind} ${t.rate}`).join(", ");
  $("#fee-detail").textContent = result.fees.map((f) => f.kind.replaceAll("_", " ")).join(", ");

  const { headline, lines } = collectionText(result, d);
  $("#collection-headline").textContent = headline;
  $("#collection").dataset.when = cents(result.due_at_sale) > 0n ? "at_sale" : "at_import";
  $("#collection-lines").replaceChildren(...lines.map((text) => Object.assign(document.createElement("li"), { textContent: text })));

  const badges = [
    `Category ${result.category.code}: ${result.category.name.replaceAll("_", " ")}`,
    result.regime_version,
    result.collection.scheme ? `Scheme ${result.collection.scheme}` : "Border collection",
    `${result.subdivision} rates`,
  ];
  $("#badges").replaceChildren(...badges.map((text) => Object.assign(document.createElement("span"), { className: "badge", textContent: text })));
  // The release decision and its risk reasons are customs information, not the buyer's: shown
  // only in the customs view, as are the release and risk steps of the explanation.
  const customs = $("#customs-view").checked;
  $("#customs").hidden = !customs;
  $("#release-decision").textContent = `Release: ${result.release.decision.replaceAll("_", " ")}`;
  $("#release-reasons").replaceChildren(
    ...result.release.reasons.map((r) => Object.assign(document.createElement("li"), { textContent: r.message })),
  );
  // Informational findings are for the shop's records, not the buyer.
  $("#findings").replaceChildren(
    ...result.findings.filter((f) => f.severity !== "info").map((f) => Object.assign(document.createElement("li"), {
      className: `finding ${f.severity}`,
      textContent: f.message,
    })),
  );

  $("#trace").replaceChildren(
    ...(result.trace ?? []).filter((step) => customs || !CUSTOMS_STEPS.has(step.step)).map((step) => {
      const li = document.createElement("li");
      li.innerHTML = '<span class="step"></span><span class="detail"></span><details><summary>rule and source</summary><code class="rule"></code><div class="source"></div></details>';
      li.querySelector(".step").textContent = step.step.replaceAll("_", " ");
      li.querySelector(".detail").textContent = step.detail;
      li.querySelector(".rule").textContent = step.rule;
      li.querySelector(".source").textContent = step.source;
      return li;
    }),
  );
  $("#timing").textContent = `Assessed in ${timing(d)} µs in this browser (without the trace; mean of 50 runs).`;
}

/** Mean time of one assessment (browsers round performance.now(), so time a batch). */
function timing(d) {
  const runs = 50;
  const started = performance.now();
  for (let i = 0; i < runs; i += 1) assess(d);
  return Math.max(1, Math.round(((performance.now() - started) * 1000) / runs));
}

const loadedDestinations = new Set();
let updates = Promise.resolve();

/** Loads the chosen destination's regime the first time it is chosen, then renders. */
async function renderWithData() {
  const destination = $("#destination").value;
  if (!loadedDestinations.has(destination)) {
    await load([destination]);
    loadedDestinations.add(destination);
  }
  render();
  state.renders += 1;
  document.body.dataset.renders = String(state.renders);
}

/** Renders after every change, one render at a time and in order. */
function update() {
  updates = updates.then(renderWithData).catch((error) => {
    const box = $("#error");
    box.hidden = false;
    box.textContent = `The rules for this destination failed to load: ${error}`;
  });
  return updates;
}

async function main() {
  await init();
  $("#engine-version").textContent = `v${version()}`;
  const params = new URLSearchParams(location.search);
  $("#date").value = params.get("date") ?? new Date().toISOString().slice(0, 10);
  buildCart();
  for (const el of [$("#destination"), $("#date"), $("#collects"), $("#customs-view"), ...document.querySelectorAll('input[name="shipping"]')]) {
    el.addEventListener("input", update);
    el.addEventListener("change", update);
  }
  await update();
}

main().catch((error) => {
  const box = $("#error");
  box.hidden = false;
  box.textContent = `The landed-cost engine failed to load: ${error}`;
});
