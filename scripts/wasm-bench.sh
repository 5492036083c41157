#!/usr/bin/env bash
# The WASM benchmark: median time of one assessment of a three-item declaration in Node.js and
# in headless Debian Chromium (wasm/bench/) with the checkout module, the gzipped sizes of both
# modules, and the load average (wall-clock timings on a shared box are noisy). Builds first
# unless XBORDER_WASM_SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${XBORDER_WASM_SKIP_BUILD:-0}" != 1 ]; then scripts/wasm-build.sh; fi
# The checkout module ("xborder", which the benchmark times) and the workflows module.
raw=$(stat -c %s wasm/pkg/xborder_wasm_bg.wasm)
gz=$(gzip -9 -c wasm/pkg/xborder_wasm_bg.wasm | wc -c)
wf_raw=0
wf_gz=0
if [ -f wasm/pkg/xborder_workflows_bg.wasm ]; then
  wf_raw=$(stat -c %s wasm/pkg/xborder_workflows_bg.wasm)
  wf_gz=$(gzip -9 -c wasm/pkg/xborder_workflows_bg.wasm | wc -c)
fi
echo "{\"wasm_bytes\":$raw,\"wasm_gzip_bytes\":$gz,\"workflows_wasm_bytes\":$wf_raw,\"workflows_wasm_gzip_bytes\":$wf_gz,\"load\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}"
(cd wasm && node bench/run.mjs && node bench/cpu.mjs)
