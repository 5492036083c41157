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
# With --spark it runs only python/tests/spark/ instead: examples/spark_replay.py in Spark local
# mode on 100,000 generated declarations, against the CLI. That adds pyspark
# (python/requirements-spark.txt, about 450 MB) to the venv, and needs Java 17 or later
# (scripts/setup.sh installs it).
# The venv and its pinned tools (python/requirements-*.txt) are made on first use and reused
# while the pins stay the same. Exits non-zero on any failure.
#
#   scripts/python-test.sh
#   scripts/python-test.sh -k arrow     # extra arguments go to pytest
#   scripts/python-test.sh --spark      # the Spark test (scripts/test.sh runs both)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
log() { echo "python-test: $*"; }

target_dir=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
venv="$target_dir/python-venv"
requirements=(python/requirements-test.txt)
suite=("$repo/python/tests" --ignore "$repo/python/tests/spark")
if [ "${1:-}" = --spark ]; then
  shift
  requirements+=(python/requirements-spark.txt)
  suite=("$repo/python/tests/spark")
  command -v java >/dev/null 2>&1 || { log "Spark needs Java 17 or later: run scripts/setup.sh"; exit 1; }
fi
if [ ! -x "$venv/bin/python" ]; then
  log "creating $venv"
  python3 -m venv "$venv"
fi
for file in "${requirements[@]}"; do
  stamp="$venv/$(basename "$file")"
  if ! cmp -s "$file" "$stamp"; then
    log "installing $(grep -v '^#' "$file" | tr '\n' ' ')"
    "$venv/bin/pip" install -q --disable-pip-version-check --no-deps -r "$file"
    "$venv/bin/pip" check -q >/dev/null || { "$venv/bin/pip" check; exit 1; }
    cp "$file" "$stamp"
  fi
done

log "building the CLI (the oracle)"
cargo build -q -p xborder-cli

log "building the wheel (maturin, abi3)"
wheels="$target_dir/python-wheels"
rm -rf "$wheels"
"$venv/bin/maturin" build -q -i "$venv/bin/python" -m python/Cargo.toml --features test-hooks -o "$wheels"
"$venv/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "$wheels"/xborder-*.whl

log "pytest ${suite[0]#"$repo/"}"
# From the target directory, so that `import xborder` is the installed wheel, never the
# sources in python/xborder (which lack the compiled module).
cd "$target_dir"
PYTHONDONTWRITEBYTECODE=1 XBORDER_CLI="$target_dir/debug/xborder" \
  "$venv/bin/pytest" -p no:cacheprovider -q "${suite[@]}" "$@"
log "all passed"
