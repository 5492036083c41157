// Times loading each regime with a national tariff from the npm package's data files, and its
// first assessment (which parses the tariff on demand), in Node.js:
//
//   scripts/wasm-build.sh && node scripts/wasm-load-time.mjs
//
// The declarations are those of core/benches/tariffs.rs. Figures: BENCHMARKS.md, "Loading the
// tariffs on demand".

import { Engine } from "../wasm/pkg/node.js";

const CASES = {
  EU: ["FR", "EUR", "400.00", "61091000"],
  GB: ["GB", "GBP", "400.00", "61091000"],
  US: ["US", "USD", "1000.00", "61091000"],
  JP: ["JP", "JPY", "300000", "610910020"],
  AU: ["AU", "AUD", "2500.00", "42022100"],
};

const declaration = ([destination, currency, value, hs]) => ({
  id: "load-time", date: "2026-05-04", destination, currency,
  items: [{ description: "T-shirt, cotton", hs_code: hs, quantity: 1, value, origin: "CN", net_mass_kg: "0.4" }],
  seller: { name: "Shop", country: "CN" },
  carrier: { name: "Express", kind: "express" },
  consignee: { name: "Buyer", country: destination,
    address: { line1: "1 Main St", city: "Town", postcode: "10000", country: destination } },
});

const ms = (start) => (performance.now() - start).toFixed(1);
Engine.loadSync(["CA"]); // instantiates the module, so that no row pays for it
for (const [id, c] of Object.entries(CASES)) {
  let start = performance.now();
  const engine = Engine.loadSync([id]);
  const load = ms(start);
  start = performance.now();
  const result = engine.assess(declaration(c));
  const first = ms(start);
  const duty = result.duties[0];
  console.log(`${id}: Engine.loadSync ${load} ms, first assessment ${first} ms (${duty.rate}, line ${duty.tariff?.line}, revision ${duty.tariff?.revision})`);
}
const start = performance.now();
new Engine();
console.log(`new Engine() with every regime of the package: ${ms(start)} ms`);
