#!/usr/bin/env bash
# Measures the Python package's Arrow path against the CLI on the same N declarations (the
# input of scripts/bench-cli.sh: the bundled samples repeated with unique ids), both on one
# worker thread: `xborder assess --threads 1` NDJSON to NDJSON, and `Engine.assess_arrow` over a
# pyarrow table with one JSON declaration per row (read by pyarrow's CSV reader, so that no
# Python object is made per row), with and without the `result` JSON column.
# Usage: scripts/bench-python.sh [N] (default 1000000). Builds the release CLI, and a release
# wheel into its own venv (target/python-bench-venv, with the maturin and pyarrow pinned in
# python/requirements-test.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000000}"
target_dir=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
venv="$target_dir/python-bench-venv"
if [ ! -x "$venv/bin/maturin" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check --no-deps \
    $(grep -E '^(maturin|pyarrow)==' python/requirements-test.txt)
fi

# The CLI's figure, and the input file.
scripts/bench-cli.sh "$n" 1
input="target/bench-${n}.ndjson"

wheels="$target_dir/python-bench-wheels"
rm -rf "$wheels"
"$venv/bin/maturin" build -q --release -i "$venv/bin/python" -m python/Cargo.toml -o "$wheels"
"$venv/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "$wheels"/xborder-*.whl

cd "$target_dir"
"$venv/bin/python" - "$(cd - >/dev/null && pwd)/$input" "$(cd - >/dev/null && pwd)/examples/rates/sample-rates.json" <<'PY'
import sys, time
from pathlib import Path
import pyarrow.csv as csv
import xborder

path, rates = sys.argv[1], Path(sys.argv[2])
table = csv.read_csv(
    path,
    read_options=csv.ReadOptions(column_names=["declaration"], block_size=64 << 20),
    parse_options=csv.ParseOptions(delimiter="\x01", quote_char=False, escape_char=False),
    convert_options=csv.ConvertOptions(column_types={"declaration": "string"}),
)
engine = xborder.Engine(rates=rates)
for result_json in (False, True):
    start = time.perf_counter()
    results = engine.assess_arrow(table, result_json=result_json)
    elapsed = time.perf_counter() - start
    assert results.num_rows == table.num_rows
    accepted = results.column("error_code").null_count
    print(
        f"assess_arrow(result_json={result_json}): {results.num_rows} rows in {elapsed:.2f} s = "
        f"{results.num_rows / elapsed:,.0f} declarations/s ({results.num_rows - accepted} rejected)"
    )
PY
