// Median time of one assessment of a three-item declaration, the same code in Node.js and in
// the browser (wasm/bench/index.html). Each sample times a batch of calls; the median of the
// per-call times of the samples is reported.
export const DECLARATION = {
  id: "bench-3-items",
  date: "2026-09-14",
  destination: "FR",
  currency: "EUR",
  items: [
    { description: "Merino wool jumper", hs_code: "611011", quantity: 1, value: "79.00", origin: "CN", net_mass_kg: "0.4" },
    { description: "Cotton T-shirt", hs_code: "610910", quantity: 2, value: "38.00", origin: "CN", net_mass_kg: "0.4" },
    { description: "Canvas tote bag", hs_code: "42022290", quantity: 1, value: "25.00", origin: "CN", net_mass_kg: "0.1" },
  ],
  shipping: "4.90",
  seller: { name: "Atelier Nord Trading Ltd", country: "CN", registrations: [{ scheme: "IOSS", number: "IM3720000123" }] },
  carrier: { name: "China Post", kind: "postal" },
  consignee: { name: "Alex Buyer", kind: "individual", country: "FR", address: { line1: "1 Example Street", city: "Lyon", postcode: "69003", country: "FR" } },
};

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** { assess_us, assessJson_us }: median µs per call of `assess` (objects) and `assessJson` (text). */
export function run({ assess, assessJson }, { samples = 31, batch = 2000 } = {}) {
  const text = JSON.stringify(DECLARATION);
  const time = (f) => {
    // Warm-up: at least one batch and two seconds, so that the engine's optimizing compiler has
    // replaced the baseline code of the module's hot functions (it compiles in the background,
    // which a busy machine delays) before anything is timed.
    const warm = performance.now();
    do for (let i = 0; i < batch; i += 1) f();
    while (performance.now() - warm < 2000);
    const per = [];
    for (let s = 0; s < samples; s += 1) {
      const t0 = performance.now();
      for (let i = 0; i < batch; i += 1) f();
      per.push(((performance.now() - t0) * 1000) / batch);
    }
    return Math.round(median(per) * 100) / 100;
  };
  return {
    assess_us: time(() => assess(DECLARATION)),
    assessJson_us: time(() => assessJson(text)),
  };
}
