#!/usr/bin/env bash
# Peak RSS of `xborder assess` on N declarations that every embedded national tariff prices:
# the five bench declarations of core/benches/tariffs.rs (FR, GB, US, JP, AU) in turn, so that
# all five tariff files are parsed and held. Usage: scripts/bench-tariff-rss.sh [N] [THREADS]
# (defaults: 1000000, all cores). Figures: BENCHMARKS.md, "Cost of the embedded tariffs".
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000000}"
threads="${2:-$(nproc)}"
input="target/bench-tariffs-${n}.ndjson"
cargo build --release -q -p xborder-cli
if [ ! -f "$input" ]; then
  python3 - "$n" "$input" <<'PY'
import json, sys
n, out_path = int(sys.argv[1]), sys.argv[2]
cases = [("FR", "EUR", "400.00", "61091000"), ("GB", "GBP", "400.00", "61091000"),
         ("US", "USD", "1000.00", "61091000"), ("JP", "JPY", "300000", "610910020"),
         ("AU", "AUD", "2500.00", "42022100")]
with open(out_path, "w") as out:
    for i in range(n):
        dest, cur, value, hs = cases[i % len(cases)]
        out.write(json.dumps({
            "id": str(i), "date": "2026-05-04", "destination": dest, "currency": cur,
            "items": [{"description": "T-shirt, cotton", "hs_code": hs, "quantity": 1,
                       "value": value, "origin": "CN", "net_mass_kg": "0.4"}],
            "seller": {"name": "Shop", "country": "CN"},
            "carrier": {"name": "Express", "kind": "express"},
            "consignee": {"name": "Buyer", "country": dest, "address": {
                "line1": "1 Main St", "city": "Town", "postcode": "10000", "country": dest}},
        }, separators=(",", ":")) + "\n")
PY
fi
/usr/bin/time -f "peak RSS: %M KiB; wall %e s" \
  ./target/release/xborder assess --threads "$threads" "$input" > target/bench-tariffs-out.ndjson
lines=$(wc -l < target/bench-tariffs-out.ndjson)
priced=$(grep -c '"tariff":{' target/bench-tariffs-out.ndjson || true)
echo "output: $lines lines, $priced priced through a national tariff file"
