#!/usr/bin/env bash
# Measures `xborder assess` end to end, NDJSON in to NDJSON out, on N declarations made by
# repeating the bundled samples with unique ids. Usage: scripts/bench-cli.sh [N] (default 1000000).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000000}"
input="target/bench-${n}.ndjson"
cargo build --release -q -p xborder-cli
if [ ! -f "$input" ]; then
  awk -v n="$n" '{ line[NR] = $0 } END { for (i = 0; i < n; i++) { l = line[i % NR + 1]; sub(/"id":"/, "\"id\":\"" i "-", l); print l } }' \
    examples/declarations/all.ndjson > "$input"
fi
bytes=$(stat -c %s "$input")
echo "input: $n declarations, $bytes bytes ($input)"
start=$(date +%s.%N)
/usr/bin/time -f "peak RSS %M KiB" ./target/release/xborder assess --rates examples/rates/sample-rates.json "$input" > target/bench-out.ndjson || true
end=$(date +%s.%N)
lines=$(wc -l < target/bench-out.ndjson)
awk -v s="$start" -v e="$end" -v n="$lines" 'BEGIN { t = e - s; printf "output: %d lines in %.2f s = %.0f declarations/s\n", n, t, n / t }'
