// A checkout page that shows the landed cost live, computed in the browser by the xborder
// WebAssembly package (loaded straight from the repository's build, ../../wasm/pkg/).
//
// Every change (quantity, destination, shipping, registration, date) builds a declaration and
// assesses it again; amounts stay decimal strings from end to end (line values are computed
// in integer minor units), so the page shows exactly the core's figures, formatted for people
// with Intl.NumberFormat (which formats decimal strings exactly).
//
// The destinations are every country the package has a regime for (its data index,
// `regimeData`), priced in the regime's currency from the shop's price list for it. The module
// carries no regime data: at start-up the page loads the first destination's regime, which
// builds the engine, and later the regime of each destination when it is first chosen
// (`load([country])`: its pack, tariff, rate table and risk profile, content-hashed files from
// ../../wasm/pkg/data/), and only those.
//
// What cannot be priced (no exchange rate, no tariff line for a code, an order the regime's
// simplified procedure does not cover) gets a plain message for the shopper; the error code is
// shown only in the customs view.
//
// For tests: window.xborderCheckout holds the last declaration, result and error, and
// <body data-renders> counts renders.

import init, { assess, load, regimeData, version, XborderError } from "../../wasm/pkg/index.js";

// Full national codes (8 digits, the same in the EU's Combined Nomenclature and the UK Global
// Tariff): a shop declares the line its goods fall in, since a 6-digit code can cover lines
// with different duties (6110.11 does: E_HS_AMBIGUOUS). Elsewhere the shop declares the
// international 6-digit subheading (`hs6`); a tariff where it covers lines with different
// duties answers that it cannot price it, which the page says in plain words.
// Prices: the shop's own price lists in euros and pounds, and in US dollars (`usd`) from which
// its list for every other currency is made (LIST_PRICES).
const PRODUCTS = [
  { id: "tee", name: "Organic cotton T-shirt", hs: "61091000", hs6: "610910", kg: "0.20", price: { EUR: "24.00", GBP: "21.00" }, usd: "26.00", qty: 2 },
  { id: "sweater", name: "Merino wool sweater, men's", hs: "61101130", hs6: "611011", kg: "0.45", price: { EUR: "89.00", GBP: "76.00" }, usd: "98.00", qty: 1 },
  { id: "boots", name: "Men's leather ankle boots", hs: "64035115", hs6: "640351", kg: "1.30", price: { EUR: "129.00", GBP: "110.00" }, usd: "140.00", qty: 0 },
  { id: "earbuds", name: "Wireless earbuds", hs: "85183000", hs6: "851830", kg: "0.10", price: { EUR: "59.00", GBP: "50.00" }, usd: "64.00", qty: 0 },
];

const SHIPPING = {
  postal: { price: { EUR: "6.90", GBP: "5.90" }, usd: "7.90", carrier: { name: "US Postal Service", kind: "postal", aeo: false } },
  express: { price: { EUR: "14.90", GBP: "12.90" }, usd: "15.90", carrier: { name: "SwiftAir Express", kind: "express", aeo: true } },
};

// The shop's price list in each other currency: so many units per US dollar of its US price,
// rounded to whole units. These are the shop's pricing decisions, not exchange rates: the
// declaration is in the destination's currency, so no conversion happens.
const LIST_PRICES = {
  USD: "1", CAD: "1.40", AUD: "1.55", NZD: "1.70", JPY: "150", CHF: "0.90", NOK: "10.50",
  SGD: "1.35", CNY: "7.20", INR: "85", ZAR: "18", THB: "35", MYR: "4.50", SAR: "3.75",
  AED: "3.70", KRW: "1400", BRL: "5.50", MXN: "18",
};

// Where taxes differ by province or state, the delivery address names one (ISO 3166-2).
const SUBDIVISION = { CA: "CA-ON", BR: "BR-SP" };

const REGISTRATIONS = [
  { scheme: "IOSS", number: "IM8400000042" },
  { scheme: "GB_VAT", number: "GB123456789" },
];

/** Every destination country of the package's regimes, with its regime and currency. */
const DESTINATIONS = (() => {
  const names = new Intl.DisplayNames(["en"], { type: "region" });
  const list = regimeData.regimes.flatMap((r) =>
    r.destinations.map((code) => ({ code, regime: r.id, currency: r.currency, name: names.of(code) ?? code })),
  );
  return list.sort((a, b) => a.name.localeCompare(b.name, "en"));
})();

/** Steps of the explanation that only the customs view shows. */
const CUSTOMS_STEPS = new Set(["release", "risk", "category"]);

const $ = (selector) => document.querySelector(selector);
const state = window.xborderCheckout = { declaration: null, result: null, error: null, renders: 0 };

// ---- decimal strings as integer minor units (no binary floating point anywhere) ------------

/** The number of decimals of a currency's minor unit (2 for EUR, 0 for JPY). */
function scaleOf(currency) {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits;
}

/** A decimal string as an integer count of 10^-scale units (extra decimals are cut). */
function units(decimalText, scale = 2) {
  const negative = decimalText.startsWith("-");
  const [whole, fraction = ""] = decimalText.replace("-", "").split(".");
  const value = BigInt(whole) * 10n ** BigInt(scale) + BigInt((fraction + "0".repeat(scale)).slice(0, scale) || "0");
  return negative ? -value : value;
}

/** An integer count of 10^-scale units as a decimal string. */
function decimal(value, scale = 2) {
  const sign = value < 0n ? "-" : "";
  const abs = value < 0n ? -value : value;
  const unit = 10n ** BigInt(scale);
  return scale === 0 ? `${sign}${abs}` : `${sign}${abs / unit}.${String(abs % unit).padStart(scale, "0")}`;
}

/** The largest number of decimals of some decimal strings. */
const scaleOfAmounts = (...amounts) => Math.max(...amounts.map((a) => (a.split(".")[1] ?? "").length));

/** a - b for decimal strings, exactly. */
function minus(a, b) {
  const scale = scaleOfAmounts(a, b);
  return decimal(units(a, scale) - units(b, scale), scale);
}

/** An amount for people: "€1,234.56", "¥3,600", "A$45.00" (Intl.NumberFormat, exact on strings). */
function money(amount, currency) {
  return new Intl.NumberFormat("en", { style: "currency", currency }).format(amount);
}

/** The shop's price in `currency` for an item priced `eur`/`gbp` explicitly and `usd` otherwise. */
function listPrice(explicit, usd, currency) {
  if (explicit[currency] !== undefined) return explicit[currency];
  const scale = scaleOf(currency);
  // usd (cents) × units per dollar (hundredths), rounded half up to whole units of the currency.
  const hundredths = units(LIST_PRICES[currency] ?? "1", 2);
  const whole = (units(usd, 2) * hundredths + 5000n) / 10000n;
  return decimal(whole * 10n ** BigInt(scale), scale);
}

// ---- the form -------------------------------------------------------------------------------

function destination() {
  return DESTINATIONS.find((d) => d.code === $("#destination").value) ?? DESTINATIONS[0];
}

function currency() {
  return destination().currency;
}

/** The HS code the shop declares for a product to the chosen destination. */
function hsCode(product) {
  return ["EU", "GB"].includes(destination().regime) ? product.hs : product.hs6;
}

function buildDestinations(initial) {
  const options = DESTINATIONS.map((d) => Object.assign(document.createElement("option"), { value: d.code, textContent: d.name }));
  $("#destination").replaceChildren(...options);
  $("#destination").value = DESTINATIONS.some((d) => d.code === initial) ? initial : "FR";
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
  const scale = scaleOf(cur);
  const destination = $("#destination").value;
  const channel = shippingChoice();
  const items = [];
  for (const p of PRODUCTS) {
    const q = quantity(document.querySelector(`tr[data-product="${p.id}"] .qty`));
    if (q === 0) continue;
    items.push({
      description: p.name,
      hs_code: hsCode(p),
      quantity: q,
      value: decimal(units(listPrice(p.price, p.usd, cur), scale) * BigInt(q), scale),
      origin: "US",
      net_mass_kg: decimal(units(p.kg) * BigInt(q)),
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
    shipping: listPrice(SHIPPING[channel].price, SHIPPING[channel].usd, cur),
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
      address: {
        line1: "12 Rue des Lilas",
        city: "Lyon",
        postcode: "69003",
        country: destination,
        ...(SUBDIVISION[destination] ? { subdivision: SUBDIVISION[destination] } : {}),
      },
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
  const positive = (amount) => units(amount, scaleOfAmounts(amount)) > 0n;
  const duty = positive(result.duty_total);
  const fees = positive(result.fee_total);
  const lines = [];
  let headline;
  if (!positive(result.total_payable) && selfAssessed.length === 0) {
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
    if (positive(d.amount)) lines.push(`Duty on ${item} (${d.rate}): ${money(d.amount, cur)} — on delivery`);
  }
  for (const t of atImport) lines.push(`Import ${t.kind} ${t.rate} on ${money(t.base, cur)}: ${money(t.amount, cur)} — on delivery`);
  for (const t of selfAssessed) lines.push(`${t.kind} ${t.rate}: ${money(t.amount, cur)} — self-assessed by the buyer`);
  for (const f of result.fees) lines.push(`${f.kind.replaceAll("_", " ")}: ${money(f.amount, cur)} — paid by ${COLLECTOR[f.payer] ?? f.payer}`);
  return { headline, lines };
}

/** What a shopper reads when the order cannot be priced: plain words, no error code. */
function shopperMessage(error, d) {
  const country = destination().name;
  const code = error instanceof XborderError ? error.code : "";
  const item = /^items\[(\d+)\]/.exec((error instanceof XborderError && error.path) || "");
  const what = item ? d.items[Number(item[1])]?.description : undefined;
  const reason = {
    E_NO_EXCHANGE_RATE: `the exchange rate customs use for ${country} on this date is not available to us yet`,
    E_HS_NO_TARIFF_LINE: `we don't have the import duty rate${what ? ` for the ${what.toLowerCase()}` : ""} in ${country}'s tariff`,
    E_HS_AMBIGUOUS: `the duty${what ? ` on the ${what.toLowerCase()}` : ""} in ${country} depends on details we don't collect at checkout`,
    E_DUTY_NOT_COMPUTABLE: `the duty${what ? ` on the ${what.toLowerCase()}` : ""} in ${country} can't be worked out in advance`,
    E_NO_TAX_RATE: `we don't have the tax rate for your region of ${country}`,
    E_OUT_OF_SCOPE: `orders like this one to ${country} are cleared in a way we can't price in advance`,
    E_NO_REGIME: `we can't calculate import charges for ${country}`,
  }[code] ?? `something went wrong on our side`;
  return `We can't show the import charges for delivery to ${country} right now: ${reason}. ` +
    "You can still place the order; any duty and tax will be collected on delivery.";
}

function render() {
  const cur = currency();
  for (const p of PRODUCTS) {
    const row = document.querySelector(`tr[data-product="${p.id}"]`);
    const q = quantity(row.querySelector(".qty"));
    const scale = scaleOf(cur);
    const price = listPrice(p.price, p.usd, cur);
    row.querySelector(".hs").textContent = hsCode(p).replace(/^(\d{4})(\d{2})/, "$1 $2");
    row.querySelector(".unit").textContent = money(price, cur);
    row.querySelector(".line").textContent = money(decimal(units(price, scale) * BigInt(q), scale), cur);
    row.classList.toggle("zero", q === 0);
  }
  for (const [id, option] of Object.entries(SHIPPING)) {
    document.querySelector(`[data-shipping-price="${id}"]`).textContent = money(listPrice(option.price, option.usd, cur), cur);
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
    $("#trace").replaceChildren();
    const box = $("#error");
    box.hidden = false;
    box.replaceChildren(Object.assign(document.createElement("p"), { textContent: shopperMessage(error, d) }));
    // The error code and the engine's message are for the shop's staff, not the buyer.
    if ($("#customs-view").checked && error instanceof XborderError) {
      box.append(Object.assign(document.createElement("p"), {
        className: "muted small",
        textContent: `${error.code}${error.path ? ` at ${error.path}` : ""}: ${error.message}`,
      }));
    }
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
  setAmount("pay_now", minus(result.landed_cost, result.due_at_import), rc);
  setAmount("due_at_import", result.due_at_import, rc);
  $("#tax-detail").textContent = result.taxes.map((t) => `${t.kind} ${t.rate}`).join(", ");
  $("#fee-detail").textContent = result.fees.map((f) => f.kind.replaceAll("_", " ")).join(", ");

  const { headline, lines } = collectionText(result, d);
  $("#collection-headline").textContent = headline;
  $("#collection").dataset.when = units(result.due_at_sale, scaleOfAmounts(result.due_at_sale)) > 0n ? "at_sale" : "at_import";
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
  // Start-up builds the engine: the WebAssembly module, then the first destination's regime,
  // before the first render, so that no shopper action waits for it.
  await init();
  $("#engine-version").textContent = `v${version()}`;
  const params = new URLSearchParams(location.search);
  $("#date").value = params.get("date") ?? new Date().toISOString().slice(0, 10);
  buildDestinations(params.get("to") ?? "FR");
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
