#!/usr/bin/env bash
# Streams N generated declarations through `xborder assess`, `stats` and `simulate` on 1..T
# threads and reports throughput and peak memory (/usr/bin/time -v). Usage:
#   scripts/bench-batch.sh [N] [THREADS...]      (defaults: 10000000, "2 1")
# Files (in target/): batch-N.ndjson (declarations, made once by `xborder generate --seed 1`),
# batch-N-results.ndjson (assess output). 10 M declarations take ~7.9 GB and ~12.4 GB.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000000}"
shift || true
threads=("${@:-2 1}")
read -r -a threads <<< "${threads[*]}"
bin=./target/release/xborder
decls="target/batch-${n}.ndjson"
results="target/batch-${n}-results.ndjson"
cargo build --release -q -p xborder-cli

measure() { # label, lines, command...
  local label="$1" lines="$2"
  shift 2
  /usr/bin/time -v -o target/bench-batch-time.txt "$@" || true
  local wall rss cpu
  cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' target/bench-batch-time.txt)
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' target/bench-batch-time.txt)
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' target/bench-batch-time.txt)
  awk -v l="$label" -v n="$lines" -v t="$wall" -v r="$rss" -v c="$cpu" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN { printf "| %s | %d | %.1f s | %.0f k/s | %.2f µs | %.1f MB | %s |\n", l, n, t, n / t / 1000, c / n * 1e6, r / 1024, load }'
}

echo "| step | records | time | records/s | CPU per record | peak RSS | load after |"
echo "|---|---|---|---|---|---|---|"
if [ ! -f "$decls" ]; then
  measure "generate" "$n" sh -c "$bin generate --n $n --seed 1 -o $decls"
fi
echo "input: $(stat -c %s "$decls") bytes" >&2
for t in "${threads[@]}"; do
  measure "assess, $t thread(s)" "$n" sh -c "$bin assess --threads $t $decls > $results"
done
echo "results: $(stat -c %s "$results") bytes" >&2
for t in "${threads[@]}"; do
  measure "stats, $t thread(s)" "$n" sh -c "$bin stats --threads $t $results > target/bench-batch-stats.json"
done
for t in "${threads[@]}"; do
  measure "simulate, $t thread(s)" "$n" sh -c "$bin simulate --threads $t --set 'EU.versions[@2026-06-01].de_minimis.duty.amount=100' $decls > target/bench-batch-simulate.json"
done
