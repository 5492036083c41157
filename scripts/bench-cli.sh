#!/usr/bin/env bash
# Measures `xborder assess` end to end, NDJSON in to NDJSON out, on N declarations made by
# repeating the bundled samples with unique ids. Usage: scripts/bench-cli.sh [N] [THREADS]
# (defaults: 1000000, all cores).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000000}"
threads="${2:-$(nproc)}"
input="target/bench-${n}.ndjson"
cargo build --release -q -p xborder-cli
if [ ! -f "$input" ]; then
  python3 - "$n" examples/declarations/all.ndjson "$input" <<'PY'
import json, sys
n, src_path, out_path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
src = [json.loads(line) for line in open(src_path)]
with open(out_path, "w") as out:
    for i in range(n):
        d = dict(src[i % len(src)])
        d["id"] = "%d-%s" % (i, d["id"])
        out.write(json.dumps(d, separators=(",", ":"), ensure_ascii=False) + "\n")
PY
fi
echo "input: $n declarations, $(stat -c %s "$input") bytes ($input); $threads worker threads"
start=$(date +%s.%N)
/usr/bin/time -f "peak RSS: %M KiB" -o target/bench-time.txt \
  ./target/release/xborder assess --threads "$threads" --rates examples/rates/sample-rates.json "$input" > target/bench-out.ndjson || true
end=$(date +%s.%N)
lines=$(wc -l < target/bench-out.ndjson)
awk -v s="$start" -v e="$end" -v n="$lines" 'BEGIN { t = e - s; printf "output: %d lines in %.2f s = %.0f declarations/s\n", n, t, n / t }'
cat target/bench-time.txt
