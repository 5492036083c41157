#!/usr/bin/env bash
# Builds the npm package `xborder` into wasm/pkg/ and reports the sizes of its two .wasm
# modules: the checkout module ("xborder") and the workflows module ("xborder/workflows").
#
#   scripts/wasm-build.sh                            # release build, profile "balanced"
#   XBORDER_WASM_PROFILE=size scripts/wasm-build.sh  # balanced (default), size or speed
#   XBORDER_WASM_OPT=0 scripts/wasm-build.sh         # skip wasm-opt (faster build, larger)
#   XBORDER_WASM_FEATURES=panic-hook scripts/wasm-build.sh   # log panic messages (debugging)
#   XBORDER_WASM_WORKFLOWS=0 scripts/wasm-build.sh   # the checkout module only (no xborder/workflows)
#   XBORDER_WASM_HOT_CRATES=rust_decimal scripts/wasm-build.sh
#                                                    # crates at opt-level 3 in "balanced"
#   XBORDER_WASM_UPDATE_BUDGET=1 scripts/wasm-build.sh
#                                                    # record the modules' sizes as their budget
#
# A default build fails when a module's gzipped size is more than 1 % over its budget in
# wasm/size-budget.json (only a warning when rustc or wasm-opt is not the budget's version).
#
# Installs what it needs when missing: the wasm32-unknown-unknown target (rustup),
# wasm-bindgen-cli at exactly the version wasm/Cargo.toml pins (cargo install; a few minutes,
# once), and the npm dev tools of wasm/package.json (binaryen's wasm-opt, TypeScript,
# playwright-core) with `npm ci`.
#
# Package layout (wasm/pkg/):
#   package.json          name "xborder", ES module, "exports": "." node → node.js, default →
#                         index.js; "./workflows" node → workflows-node.js, default → workflows.js
#   index.js, index.d.ts  entry for browsers, bundlers and <script type="module"> (await init())
#   node.js               entry for Node.js >= 20 (initSync from the file; ready on import)
#   runtime.js            what both modules' entries share (init, trap recovery, Engine)
#   node-data.js          the data files read from disk, for both Node.js entries
#   xborder_wasm.js/.d.ts the wasm-bindgen glue (--target web) with the data types
#   xborder_wasm_bg.wasm  the checkout module: engine code only, no regime data, no workflows
#   workflows.js, workflows.d.ts, workflows-node.js
#                         the entries of "xborder/workflows" (refunds, statements, split ledger)
#   xborder_workflows.js/.d.ts, xborder_workflows_bg.wasm
#                         its glue and its module (the engine and the workflows)
#   data.js               the index of the regime data files (scripts/wasm-data.mjs)
#   data/                 the regime data files, content-hashed (packs, tariffs, rate tables,
#                         risk profiles), fetched or read by Engine.load(["EU", …])
#   snippets/…/error.js   class XborderError
#   schemas/              the JSON Schemas of schemas/ (docs/schemas.md)
#   LICENSE-MIT, LICENSE-APACHE   the licence texts (MIT OR Apache-2.0)
set -euo pipefail
cd "$(dirname "$0")/.."
out=wasm/pkg
target_dir=$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')

log() { echo "wasm-build: $*"; }

# --- toolchain -------------------------------------------------------------------------------
bindgen_version=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' wasm/Cargo.toml)
[ -n "$bindgen_version" ] || { echo "wasm-build: wasm-bindgen is not pinned with = in wasm/Cargo.toml" >&2; exit 1; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

export PATH="$HOME/.cargo/bin:$PATH"
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $bindgen_version" ]; then
  log "installing wasm-bindgen-cli $bindgen_version (compiles for a few minutes, once)"
  # --locked first; fall back to a fresh resolution when a locked dependency is unavailable
  # from the registry (seen: webpki-roots 1.0.11 for wasm-bindgen-cli 0.2.130).
  cargo install wasm-bindgen-cli --version "$bindgen_version" --locked ||
    cargo install wasm-bindgen-cli --version "$bindgen_version"
fi

if [ ! -f wasm/node_modules/.package-lock.json ] ||
  [ wasm/package-lock.json -nt wasm/node_modules/.package-lock.json ]; then
  log "installing the npm dev tools (npm ci in wasm/)"
  (cd wasm && npm ci --no-audit --no-fund --loglevel=error)
fi

# --- compile ---------------------------------------------------------------------------------
# The release profile tuned through cargo's environment overrides and --config (the workspace's
# release profile stays as it is for the native builds), in a target directory of its own so
# the host release build is never rebuilt: fat LTO, one codegen unit, panic = abort (a panic is
# a trap on wasm32 either way; abort drops the unwinding machinery), no debug info, and
#   balanced (default)  opt-level "s", but 3 for the core (xborder: the declaration reader,
#                       the assessment and the result writer, where an assessment's time goes;
#                       ~25 % faster for ~10 % more gzipped module, BENCHMARKS.md, WASM, issue
#                       17) and the decimal arithmetic (rust_decimal); wasm-opt -Os. serde_json
#                       stays at "s": its generic reader and writer are compiled into the core,
#                       at the core's level; what is its own (errors, float text) is not on an
#                       assessment's path (1.2 kB gzipped, BENCHMARKS.md, session 34)
#                       (XBORDER_WASM_HOT_CRATES=rust_decimal leaves the core at "s";
#                       an entry `crate=level` gives that crate another opt-level)
#   size                opt-level "z" everywhere; wasm-opt -Oz   (~4 % smaller gzipped, 1.4-2x slower)
#   speed               opt-level 3 everywhere; wasm-opt -O3     (~12 % larger, ~10 % faster)
# (figures in BENCHMARKS.md, WASM).
profile=${XBORDER_WASM_PROFILE:-balanced}
hot_crates=()
case "$profile" in
  balanced) level=s; hot_crates=(${XBORDER_WASM_HOT_CRATES:-xborder rust_decimal}) ;;
  size) level=z ;;
  speed) level=3 ;;
  *) echo "wasm-build: XBORDER_WASM_PROFILE must be balanced, size or speed" >&2; exit 2 ;;
esac
config=()
for crate in "${hot_crates[@]}"; do
  case "$crate" in
    *=*) config+=(--config "profile.release.package.${crate%%=*}.opt-level=${crate#*=}") ;;
    *) config+=(--config "profile.release.package.$crate.opt-level=3") ;;
  esac
done
export CARGO_TARGET_DIR="${XBORDER_WASM_TARGET_DIR:-$target_dir/wasm}"
export CARGO_PROFILE_RELEASE_OPT_LEVEL=$level
export CARGO_PROFILE_RELEASE_LTO=fat
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
export CARGO_PROFILE_RELEASE_PANIC=abort
export CARGO_PROFILE_RELEASE_DEBUG=false
# The package has two modules, two builds of wasm/ with different cargo features into the same
# target directory (the dependencies are compiled once; the second build recompiles the
# xborder-wasm crate and links again):
#   xborder_wasm_bg.wasm       the checkout module ("xborder"): engines and assessments, without
#                              the workflows (what a shop page downloads)
#   xborder_workflows_bg.wasm  the workflows module ("xborder/workflows"): the same engine with
#                              refunds, statements and the split-shipment ledger (cargo feature
#                              `workflows`), loaded only by code that imports it
# XBORDER_WASM_WORKFLOWS=0 skips the second build (faster while working on the checkout module;
# the package then lacks xborder/workflows).
extra=()
[ -z "${XBORDER_WASM_FEATURES:-}" ] || extra+=("$XBORDER_WASM_FEATURES")
wasm_opt_version=$(wasm/node_modules/.bin/wasm-opt --version | sed 's/.*version \([0-9]*\).*/\1/')

rm -rf "$out"
mkdir -p "$out"

# build_module NAME FEATURE…: compiles wasm/ with the features, writes the wasm-bindgen glue
# NAME.js and NAME.d.ts and the module NAME_bg.wasm into $out, and runs wasm-opt on it. Both
# modules' glues import the same snippet file for js/error.js (its directory is named after
# the crate's name and version), so XborderError is one class for the two.
build_module() {
  local name=$1
  shift
  local features=("$@" "${extra[@]}")
  local feature_list
  feature_list=$(IFS=,; echo "${features[*]}")
  log "$name: cargo build --release (profile $profile: opt-level $level${hot_crates[*]:+, 3 for ${hot_crates[*]}}; fat LTO, codegen-units 1, panic abort; features: ${feature_list:-none}; CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
  cargo build -p xborder-wasm --lib --target wasm32-unknown-unknown --release "${config[@]}" \
    ${feature_list:+--features "$feature_list"}
  wasm-bindgen --target web --out-dir "$out" --out-name "$name" \
    --experimental-reset-state-function \
    "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/xborder_wasm.wasm"
  if [ "${XBORDER_WASM_OPT:-1}" != 0 ]; then
    log "$name: wasm-opt -O$level (binaryen $wasm_opt_version)"
    # The features rustc enables by default for wasm32-unknown-unknown, which wasm-bindgen's
    # output uses (reference types for the externref table, bulk memory, multivalue …).
    wasm/node_modules/.bin/wasm-opt "-O$level" --strip-debug --strip-producers \
      --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-reference-types --enable-multivalue --enable-mutable-globals \
      "$out/${name}_bg.wasm" -o "$out/${name}_bg.opt.wasm"
    mv "$out/${name}_bg.opt.wasm" "$out/${name}_bg.wasm"
  fi
}

build_module xborder_wasm
if [ "${XBORDER_WASM_WORKFLOWS:-1}" != 0 ]; then
  build_module xborder_workflows workflows
else
  log "XBORDER_WASM_WORKFLOWS=0: the workflows module is not built (no xborder/workflows in this package)"
fi

# --- package files ---------------------------------------------------------------------------
error_module=$(cd "$out" && ls snippets/*/js/error.js)
for entry in index.js workflows.js regime-data.js; do
  sed "s#__XBORDER_ERROR_MODULE__#./$error_module#" "wasm/js/$entry" > "$out/$entry"
done
cp wasm/js/runtime.js wasm/js/result-tape.js wasm/js/node.js wasm/js/node-data.js wasm/js/workflows-node.js \
  wasm/js/index.d.ts wasm/js/workflows.d.ts "$out/"
node scripts/wasm-data.mjs "$out"
cp wasm/js/index.d.ts "$out/node.d.ts"
cp docs/wasm.md "$out/README.md"
# The licence texts (MIT OR Apache-2.0): npm does not pick up LICENSE-MIT / LICENSE-APACHE by
# itself, so "files" below names them; scripts/wasm-test.sh checks `npm pack` carries them.
cp LICENSE-MIT LICENSE-APACHE "$out/"
# The JSON Schemas of the declaration, the options, the result and the error record
# (docs/schemas.md), for validating documents and generating types in other languages.
mkdir -p "$out/schemas"
cp schemas/*.schema.json "$out/schemas/"
# The test suites import the package by its name, as a consumer would.
mkdir -p wasm/node_modules
ln -sfn ../pkg wasm/node_modules/xborder

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
cat > "$out/package.json" <<EOF
{
  "name": "xborder",
  "version": "$version",
  "description": "WCO cross-border e-commerce rules in WebAssembly: release categories, de minimis, duties, VAT/GST and collection models, with the landed cost",
  "license": "MIT OR Apache-2.0",
  "type": "module",
  "main": "./index.js",
  "module": "./index.js",
  "types": "./index.d.ts",
  "exports": {
    ".": {
      "types": "./index.d.ts",
      "node": "./node.js",
      "default": "./index.js"
    },
    "./workflows": {
      "types": "./workflows.d.ts",
      "node": "./workflows-node.js",
      "default": "./workflows.js"
    },
    "./xborder_wasm_bg.wasm": "./xborder_wasm_bg.wasm",
    "./xborder_workflows_bg.wasm": "./xborder_workflows_bg.wasm",
    "./data.js": "./data.js",
    "./data/*": "./data/*",
    "./schemas/*": "./schemas/*",
    "./package.json": "./package.json"
  },
  "files": [
    "index.js",
    "index.d.ts",
    "node.js",
    "node.d.ts",
    "runtime.js",
    "result-tape.js",
    "node-data.js",
    "xborder_wasm.js",
    "xborder_wasm.d.ts",
    "xborder_wasm_bg.wasm",
    "xborder_wasm_bg.wasm.d.ts",
    "workflows.js",
    "workflows.d.ts",
    "workflows-node.js",
    "xborder_workflows.js",
    "xborder_workflows.d.ts",
    "xborder_workflows_bg.wasm",
    "xborder_workflows_bg.wasm.d.ts",
    "regime-data.js",
    "data.js",
    "data/",
    "snippets/",
    "schemas/",
    "README.md",
    "LICENSE-MIT",
    "LICENSE-APACHE"
  ],
  "sideEffects": [
    "./node.js",
    "./workflows-node.js"
  ],
  "engines": {
    "node": ">=20"
  },
  "keywords": ["customs", "duty", "vat", "landed-cost", "wco", "ioss", "wasm"]
}
EOF

# --- size ------------------------------------------------------------------------------------
kb() { awk -v b="$1" 'BEGIN { printf "%.1f kB", b / 1000 }'; }
raw=$(stat -c %s "$out/xborder_wasm_bg.wasm")
gz=$(gzip -9 -c "$out/xborder_wasm_bg.wasm" | wc -c)
wf_raw=0
wf_gz=0
if [ -f "$out/xborder_workflows_bg.wasm" ]; then
  wf_raw=$(stat -c %s "$out/xborder_workflows_bg.wasm")
  wf_gz=$(gzip -9 -c "$out/xborder_workflows_bg.wasm" | wc -c)
fi
mkdir -p "$target_dir"
printf '{"profile":"%s","features":"%s","wasm_bytes":%d,"wasm_gzip_bytes":%d,"workflows_wasm_bytes":%d,"workflows_wasm_gzip_bytes":%d}\n' \
  "$profile" "${XBORDER_WASM_FEATURES:-}" "$raw" "$gz" "$wf_raw" "$wf_gz" > "$target_dir/wasm-size.json"
log "built $out (xborder $version, wasm-bindgen $bindgen_version)"
log "xborder_wasm_bg.wasm (checkout module, \"xborder\"): $raw bytes ($(kb "$raw")); gzip -9: $gz bytes ($(kb "$gz"); goal <= 250 kB)"
if [ "$wf_raw" != 0 ]; then
  log "xborder_workflows_bg.wasm (workflows module, \"xborder/workflows\"): $wf_raw bytes ($(kb "$wf_raw")); gzip -9: $wf_gz bytes ($(kb "$wf_gz"))"
fi
if [ "$gz" -gt 250000 ]; then
  log "note: the gzipped checkout module is above the 250 kB goal (see BENCHMARKS.md, WASM)"
fi

# --- size budget -----------------------------------------------------------------------------
# wasm/size-budget.json holds each module's gzipped size, measured with the rustc and wasm-opt
# it names: a default build (profile balanced, no extra features, wasm-opt on) more than its
# slack (1 %) over it fails here, so that the module cannot grow unnoticed; with another rustc
# or wasm-opt that is only a warning (the toolchain is not pinned). Growth that is deliberate
# updates the budget: XBORDER_WASM_UPDATE_BUDGET=1 scripts/wasm-build.sh (docs/wasm.md,
# "Size budget").
budget_mode=check
[ "${XBORDER_WASM_UPDATE_BUDGET:-0}" != 1 ] || budget_mode=update
if [ "$profile" != balanced ] || [ -n "${XBORDER_WASM_FEATURES:-}" ] || [ "${XBORDER_WASM_OPT:-1}" = 0 ] ||
  [ -n "${XBORDER_WASM_HOT_CRATES:-}" ]; then
  if [ "$budget_mode" = update ]; then
    echo "wasm-build: XBORDER_WASM_UPDATE_BUDGET=1 needs the default build (profile balanced, no XBORDER_WASM_FEATURES or XBORDER_WASM_HOT_CRATES, wasm-opt on): budget not updated" >&2
    exit 2
  fi
  log "size budget not checked: not the default build (profile, features, wasm-opt or hot crates changed)"
else
  toolchain=$(node -e 'console.log(JSON.stringify({ rustc: process.argv[1], wasm_opt: process.argv[2], wasm_bindgen: process.argv[3] }))' \
    "$(rustc --version)" "$(wasm/node_modules/.bin/wasm-opt --version)" "$bindgen_version")
  sizes=("xborder_wasm_bg.wasm=$raw,$gz")
  [ "$wf_raw" = 0 ] || sizes+=("xborder_workflows_bg.wasm=$wf_raw,$wf_gz")
  node scripts/wasm-size-budget.mjs "$budget_mode" "$toolchain" "${sizes[@]}"
fi
