#!/usr/bin/env bash
# Tests the Python package (python/): builds its wheel with maturin (a debug build with the
# `test-hooks` feature), installs it into a venv under the target directory, and runs pytest
# (python/tests) against the INSTALLED package, with the CLI as the oracle every output must
# equal byte for byte:
#   test_vectors.py  every conformance vector and sample declaration (plain and traced)
#   test_api.py      Engine arguments, inputs, XborderError, no panic across, threads
#   test_arrow.py    assess_arrow (JSON and flattened columns), batches and order, Stats
#   test_frames.py   xborder.frames: pandas and Polars DataFrames in and out
#   test_typing.py   the type stubs under mypy --strict (tests/typecheck/)
# The venv and its pinned tools (python/requirements-test.txt) are made on first use and
# reused while the pins stay the same. Exits non-zero on any failure.
#
#   scripts/python-test.sh
#   scripts/python-test.sh -k arrow     # extra arguments go to pytest
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
log() { echo "python-test: $*"; }

target_dir=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
venv="$target_dir/python-venv"
requirements=python/requirements-test.txt
if [ ! -x "$venv/bin/python" ]; then
  log "creating $venv"
  python3 -m venv "$venv"
fi
if ! cmp -s "$requirements" "$venv/requirements-test.txt"; then
  log "installing $(grep -v '^#' "$requirements" | tr '\n' ' ')"
  "$venv/bin/pip" install -q --disable-pip-version-check --no-deps -r "$requirements"
  "$venv/bin/pip" check -q >/dev/null || { "$venv/bin/pip" check; exit 1; }
  cp "$requirements" "$venv/requirements-test.txt"
fi

log "building the CLI (the oracle)"
cargo build -q -p xborder-cli

log "building the wheel (maturin, abi3)"
wheels="$target_dir/python-wheels"
rm -rf "$wheels"
"$venv/bin/maturin" build -q -i "$venv/bin/python" -m python/Cargo.toml --features test-hooks -o "$wheels"
"$venv/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "$wheels"/xborder-*.whl

log "pytest python/tests"
# From the target directory, so that `import xborder` is the installed wheel, never the
# sources in python/xborder (which lack the compiled module).
cd "$target_dir"
PYTHONDONTWRITEBYTECODE=1 XBORDER_CLI="$target_dir/debug/xborder" \
  "$venv/bin/pytest" -p no:cacheprovider -q "$repo/python/tests" "$@"
log "all passed"
