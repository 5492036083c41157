#!/usr/bin/env bash
# Tests the WASM package: builds it (scripts/wasm-build.sh: the checkout module "xborder" and
# the workflows module "xborder/workflows"), checks that `npm pack` would ship both modules and
# the licence files (and that the generated js/result-tape.js is up to date), runs the
# wasm-bindgen tests on Node.js (wasm/tests/node.rs), then the node:test suites against the BUILT package:
#   test/vectors.test.mjs          conformance vectors + samples, byte-identical to the native core
#   test/api.test.mjs              entry points, XborderError, Engine, options, recovery
#   test/workflows.test.mjs        xborder/workflows: refunds, statements, split ledger
#                                  byte-identical to the core; the checkout module has none of them
#   test/types.test.mjs            tsc --noEmit of the .d.ts against the vectors and real output
#   test/vectors.browser.test.mjs  the vectors again in headless Debian Chromium (browser entry)
#   test/workflows.browser.test.mjs the workflows module in Chromium (its own .wasm only)
#   test/checkout.browser.test.mjs the checkout page in Chromium, figures equal to the core, and
#                                  nothing of the workflows module fetched
# Browser tests use playwright-core with /usr/bin/chromium (installed here with apt-get when
# missing). Exits non-zero on any failure.
#
#   scripts/wasm-test.sh
#   XBORDER_WASM_SKIP_BUILD=1 scripts/wasm-test.sh   # reuse wasm/pkg as it is
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
log() { echo "wasm-test: $*"; }

# The result tape's decoder is generated from the layout the core writes (issue 17).
log "wasm/js/result-tape.js up to date with core/src/result/tape_layout.json"
node scripts/result-tape.mjs --check

if [ "${XBORDER_WASM_SKIP_BUILD:-0}" != 1 ]; then
  scripts/wasm-build.sh
fi

# What `npm publish` would upload: the licence texts must be in it (and README, package.json,
# the JSON Schemas).
log "npm pack --dry-run (wasm/pkg): both modules, licence files and schemas in the package"
(cd wasm/pkg && npm pack --dry-run --json --loglevel=error) | node -e '
  let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const files = new Set(JSON.parse(s)[0].files.map((f) => f.path));
    // Every schema of schemas/ (docs/schemas.md).
    const schemas = require("fs").readdirSync("schemas").filter((f) => f.endsWith(".schema.json"))
      .map((s) => `schemas/${s}`);
    const modules = ["index.js", "node.js", "runtime.js", "result-tape.js", "node-data.js", "xborder_wasm.js", "xborder_wasm_bg.wasm",
      "workflows.js", "workflows-node.js", "workflows.d.ts", "xborder_workflows.js", "xborder_workflows_bg.wasm"];
    const missing = ["LICENSE-MIT", "LICENSE-APACHE", "README.md", "package.json", ...modules, ...schemas]
      .filter((f) => !files.has(f));
    if (missing.length) { console.error("wasm-test: npm package lacks " + missing.join(", ")); process.exit(1); }
    console.log("wasm-test: npm package: " + files.size + " files, both modules, licence files and schemas included");
  });'

if [ -z "${XBORDER_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  log "installing Debian chromium (apt-get)"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
if [ ! -d wasm/node_modules/playwright-core ] || [ ! -d wasm/node_modules/typescript ]; then
  log "installing the npm dev tools (npm ci in wasm/)"
  (cd wasm && npm ci --no-audit --no-fund --loglevel=error)
  ln -sfn ../pkg wasm/node_modules/xborder
fi

log "wasm-bindgen-test on Node.js (wasm/tests/node.rs)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p xborder-wasm --target wasm32-unknown-unknown --test node --features embedded,workflows

log "building the native core oracle (wasm/examples/core_oracle.rs)"
cargo build -q -p xborder-wasm --example core_oracle --features embedded
target_dir=$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
export XBORDER_CORE_ORACLE="$target_dir/debug/examples/core_oracle"

log "node --test (vectors, API, workflows, tsc --noEmit, vectors, workflows and checkout page in Chromium)"
cd wasm
set +e
node --test --test-reporter=spec \
  test/vectors.test.mjs test/api.test.mjs test/workflows.test.mjs test/types.test.mjs \
  test/vectors.browser.test.mjs test/workflows.browser.test.mjs test/checkout.browser.test.mjs \
  > "$target_dir/wasm-node-test.log" 2>&1
status=$?
set -e
if [ "$status" != 0 ]; then
  cat "$target_dir/wasm-node-test.log" # the full report, ending with node's summary lines
  log "FAILED (node --test exit $status)"
  exit "$status"
fi
grep -E '^(✔|✖) ' "$target_dir/wasm-node-test.log" || true
# node's summary lines (ℹ tests / pass / fail …)
grep -E '^ℹ ' "$target_dir/wasm-node-test.log"
[ -f "$target_dir/checkout-web.png" ] && log "screenshot: $target_dir/checkout-web.png"
log "all passed"
