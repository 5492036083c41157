#!/usr/bin/env bash
# Measures the Python package's Arrow path against the CLI on the same N declarations (the
# input of scripts/bench-cli.sh: the bundled samples repeated with unique ids), both on one
# worker thread: `xborder assess --threads 1` NDJSON to NDJSON, and `Engine.assess_arrow` over a
# pyarrow table with one JSON declaration per row (read by pyarrow's CSV reader, so that no
# Python object is made per row), with and without the `result` JSON column.
#
# The machine is shared, so wall-clock figures move with other people's load: the two sides
# run back to back, alternating, ROUNDS times, and each run reports its CPU time (user + system,
# all threads) beside its wall time. Compare the sides by the ratio of their declarations per
# CPU-second within a round; the machine's load average is printed before each round.
#
# Usage: scripts/bench-python.sh [N] [ROUNDS] (defaults 1000000 and 2). Builds the release CLI,
# and a release wheel into its own venv (target/python-bench-venv, with the maturin and pyarrow
# pinned in python/requirements-test.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
n="${1:-1000000}"
rounds="${2:-2}"
target_dir=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
venv="$target_dir/python-bench-venv"
if [ ! -x "$venv/bin/maturin" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check --no-deps \
    $(grep -E '^(maturin|pyarrow)==' python/requirements-test.txt)
fi

# The release CLI, the input file and a first CLI figure.
scripts/bench-cli.sh "$n" 1
input="$repo/target/bench-${n}.ndjson"
rates="$repo/examples/rates/sample-rates.json"

wheels="$target_dir/python-bench-wheels"
rm -rf "$wheels"
"$venv/bin/maturin" build -q --release -i "$venv/bin/python" -m python/Cargo.toml -o "$wheels"
"$venv/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "$wheels"/xborder-*.whl

cli() {
  /usr/bin/time -f "%e %U %S %M" -o "$target_dir/bench-python-cli.txt" \
    "$target_dir/release/xborder" assess --threads 1 --no-progress --rates "$rates" "$input" \
    > "$target_dir/bench-out.ndjson" || true
  read -r wall user sys rss < "$target_dir/bench-python-cli.txt"
  awk -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v n="$n" 'BEGIN {
    printf "cli assess --threads 1:            %d rows, %6.2f s wall = %7.0f/s, %6.2f s CPU = %7.0f/s per CPU-second, peak RSS %d MiB\n",
      n, w, n / w, u + s, n / (u + s), r / 1024 }'
}

arrow() {
  # From the target directory, so that `import xborder` is the installed wheel.
  (cd "$target_dir" && $wrap "$venv/bin/python" - "$input" "$rates" "${modes:-False True}" <<'PY'
import resource, sys, time
from pathlib import Path
import pyarrow.csv as csv
import xborder

path, rates, modes = sys.argv[1], Path(sys.argv[2]), [m == "True" for m in sys.argv[3].split()]
table = csv.read_csv(
    path,
    read_options=csv.ReadOptions(column_names=["declaration"], block_size=64 << 20),
    parse_options=csv.ParseOptions(delimiter="\x01", quote_char=False, escape_char=False),
    convert_options=csv.ConvertOptions(column_types={"declaration": "string"}),
)
engine = xborder.Engine(rates=rates)
for result_json in modes:
    wall, cpu = time.perf_counter(), time.process_time()
    results = engine.assess_arrow(table, result_json=result_json)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert results.num_rows == table.num_rows
    rejected = results.num_rows - results.column("error_code").null_count
    n = results.num_rows
    print(
        f"assess_arrow(result_json={result_json!s:5}): {n} rows, {wall:6.2f} s wall = {n / wall:7.0f}/s, "
        f"{cpu:6.2f} s CPU = {n / cpu:7.0f}/s per CPU-second ({rejected} rejected)"
    )
    del results
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(f"assess_arrow: peak RSS {peak} MiB (the input table and one result table in memory)")
PY
  )
}

wrap=""
for round in $(seq 1 "$rounds"); do
  echo "round $round: load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
  cli
  arrow
done
