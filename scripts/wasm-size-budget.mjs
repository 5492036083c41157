// The size budget of the npm package's modules (wasm/size-budget.json): run by
// scripts/wasm-build.sh after a build with the default settings, so that a module cannot grow
// unnoticed (the checkout module grew 13 kB gzipped over sessions 37-38 before anyone looked).
//
//   node scripts/wasm-size-budget.mjs check  <toolchain> <module>=<bytes>,<gzip bytes> …
//   node scripts/wasm-size-budget.mjs update <toolchain> <module>=<bytes>,<gzip bytes> …
//
// <toolchain> is a JSON object {"rustc": …, "wasm_opt": …, "wasm_bindgen": …} (the versions'
// texts); each module is named as in the package (xborder_wasm_bg.wasm,
// xborder_workflows_bg.wasm) with its raw and `gzip -9` sizes as wasm-build.sh measured them.
//
// check: a module whose gzipped size is more than `slack_percent` over its budget fails
// (exit 1) with a message saying how to update the budget deliberately; when this build's
// rustc or wasm-opt is not the one the budget was measured with, that is only a warning
// (the toolchain is not pinned: a newer rustc may move the size by itself). A module the
// budget does not name, or that was not built, is not checked.
// update: writes the budget from these sizes and this toolchain; every module the budget names
// must have been built (one toolchain is recorded for all of them). A missing budget file is
// started afresh.

import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const file = fileURLToPath(new URL("../wasm/size-budget.json", import.meta.url));
const [mode, toolchainText, ...sizes] = process.argv.slice(2);
if (!["check", "update"].includes(mode) || !toolchainText) {
  console.error("usage: wasm-size-budget.mjs check|update <toolchain JSON> <module>=<bytes>,<gzip bytes> …");
  process.exit(2);
}
const fail = (text) => {
  console.error(`wasm-build: size budget: ${text}`);
  process.exit(2);
};
const toolchain = JSON.parse(toolchainText);
const count = (text) => (/^[1-9][0-9]*$/.test(text ?? "") ? Number(text) : NaN);
const built = Object.fromEntries(
  sizes.map((arg) => {
    const [name, value = ""] = arg.split("=");
    const [bytes, gzip] = value.split(",").map(count);
    if (!name || !Number.isInteger(bytes) || !Number.isInteger(gzip)) {
      fail(`"${arg}" is not <module>=<bytes>,<gzip bytes>`);
    }
    return [name, { bytes, gzip_bytes: gzip }];
  }),
);
const fresh = { about: "", slack_percent: 1, toolchain: {}, modules: {} };
let budget;
try {
  budget = JSON.parse(readFileSync(file, "utf8"));
} catch (error) {
  if (mode === "update" && error.code === "ENOENT") budget = fresh;
  else fail(`cannot read ${file}: ${error.message}`);
}
if (!(budget.slack_percent >= 0) || typeof budget.toolchain !== "object" || typeof budget.modules !== "object") {
  fail(`${file} needs "slack_percent" (a number), "toolchain" and "modules" (objects)`);
}
const log = (text) => console.log(`wasm-build: ${text}`);
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

if (mode === "update") {
  const missing = Object.keys(budget.modules).filter((name) => !(name in built));
  if (missing.length) {
    fail(`not updated: ${missing.join(", ")} not built this time (update needs every module the budget names, built with one toolchain)`);
  }
  budget.toolchain = toolchain;
  budget.modules = { ...budget.modules, ...built };
  writeFileSync(file, `${JSON.stringify(budget, null, 2)}\n`);
  for (const [name, size] of Object.entries(built)) {
    log(`size budget of ${name} set to ${size.gzip_bytes} bytes gzipped (${kb(size.gzip_bytes)}), wasm/size-budget.json`);
  }
  process.exit(0);
}

// The versions that decide the size; wasm-bindgen is pinned by wasm/Cargo.toml.
const changed = ["rustc", "wasm_opt"].filter((tool) => budget.toolchain[tool] !== toolchain[tool]);
const slack = budget.slack_percent / 100;
const update = "XBORDER_WASM_UPDATE_BUDGET=1 scripts/wasm-build.sh";
let failed = false;
for (const [name, size] of Object.entries(built)) {
  const limit = budget.modules[name];
  if (!limit) {
    log(`size budget: ${name} has no budget in wasm/size-budget.json (not checked)`);
    continue;
  }
  const allowed = Math.floor(limit.gzip_bytes * (1 + slack));
  const change = `${size.gzip_bytes - limit.gzip_bytes >= 0 ? "+" : ""}${size.gzip_bytes - limit.gzip_bytes}`;
  const stated = `${name}: ${size.gzip_bytes} bytes gzipped, budget ${limit.gzip_bytes} (${change})`;
  if (size.gzip_bytes <= allowed) {
    log(`size budget: ${stated}, within its ${budget.slack_percent} % slack`);
    if (size.gzip_bytes < limit.gzip_bytes * (1 - slack)) {
      log(`size budget: ${name} is more than ${budget.slack_percent} % under its budget: lower it with ${update} to keep the gain`);
    }
    continue;
  }
  if (changed.length) {
    const tools = changed.map((t) => `${t} "${toolchain[t]}" (budget measured with "${budget.toolchain[t]}")`);
    log(`warning: size budget: ${stated}, more than ${budget.slack_percent} % over; not failing, as this build's ${tools.join(" and ")} differs. Compare on the budget's toolchain, or update the budget with ${update}`);
    continue;
  }
  failed = true;
  console.error(
    `wasm-build: size budget exceeded: ${stated}, more than the ${budget.slack_percent} % slack allows (${allowed} bytes; ` +
      `${kb(size.gzip_bytes)} against ${kb(limit.gzip_bytes)}).\n` +
      "  Find what grew with `twiggy diff` of the two builds' wasm-bindgen output (BENCHMARKS.md, WASM, session 39)\n" +
      `  and make it smaller, or, if the growth is deliberate, update the budget with ${update}\n` +
      "  and say why in the commit (docs/wasm.md, \"Size budget\").",
  );
}
process.exit(failed ? 1 : 0);
