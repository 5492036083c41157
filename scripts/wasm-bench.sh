#!/usr/bin/env bash
# The WASM benchmark: median time of one assessment of a three-item declaration in Node.js and
# in headless Debian Chromium (wasm/bench/), and the gzipped size of the .wasm. Builds first
# unless XBORDER_WASM_SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${XBORDER_WASM_SKIP_BUILD:-0}" != 1 ]; then scripts/wasm-build.sh; fi
raw=$(stat -c %s wasm/pkg/xborder_wasm_bg.wasm)
gz=$(gzip -9 -c wasm/pkg/xborder_wasm_bg.wasm | wc -c)
echo "{\"wasm_bytes\":$raw,\"wasm_gzip_bytes\":$gz}"
(cd wasm && node bench/run.mjs)
