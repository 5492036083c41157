#!/usr/bin/env bash
# Runs every fuzz target of fuzz/ (cargo-fuzz, libFuzzer, AddressSanitizer, debug assertions)
# for a fixed time each, one after another, and fails on the first crash, hang or OOM.
#
# usage: scripts/fuzz.sh [SECONDS] [TARGET...]
#   SECONDS  time per target (default 30); the recorded runs in docs/security.md used 600
#   TARGET   declaration pack duty_expr tariff rates ndjson ffi stream (default: all)
#
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). Not part of
# scripts/test.sh. Corpora grow in fuzz/corpus/<target>/ (seeded on first use from
# examples/declarations, tests/vectors and regimes/) and are kept between runs, so repeated
# runs go deeper; findings land in fuzz/artifacts/<target>/. To run one target for longer, or
# on more cores:
#   cargo +nightly fuzz run -a pack -- -max_total_time=3600 -dict=fuzz/dict/xborder.dict
#   cargo +nightly fuzz run -a pack -j 4 -- -dict=fuzz/dict/xborder.dict   # until stopped
# To replay a finding: cargo +nightly fuzz run -a TARGET fuzz/artifacts/TARGET/crash-…
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-30}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(declaration pack duty_expr tariff rates ndjson ffi stream)

command -v cargo-fuzz >/dev/null || { echo "fuzz: cargo-fuzz is missing (cargo install cargo-fuzz)" >&2; exit 1; }
command -v jq >/dev/null || { echo "fuzz: jq is needed to seed the corpora" >&2; exit 1; }

seed() {
  local target="$1" dir="fuzz/corpus/$1"
  [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ] && return 0
  mkdir -p "$dir"
  local n=0
  put() { n=$((n + 1)); cat > "$dir/seed-$n"; }
  case "$target" in
    declaration)
      for f in examples/declarations/*.json; do put < "$f"; done
      for f in tests/vectors/*/*.json; do jq -c .declaration "$f" | put; done ;;
    ndjson)
      # Small batches (a few declarations each): libFuzzer's speed falls with the size of its
      # inputs, and one 130 kB batch of every example ran at 17 execs/s.
      split -l 3 examples/declarations/all.ndjson "$dir/seed-all-"
      { head -n 3 examples/declarations/all.ndjson; printf '\n  \r\n{"id":"x"\n\xff\xfe\n'; } | put
      for f in tests/vectors/*/*.json; do jq -c .declaration "$f" | put; done ;;
    stream)
      split -l 3 examples/declarations/all.ndjson "$dir/seed-all-"
      jq . examples/declarations/eu-cat3-ioss-seller.json | put
      { echo '{'; head -n 2 examples/declarations/all.ndjson; } | put
      { jq . examples/declarations/eu-cat3-ioss-seller.json; head -n 1 examples/declarations/all.ndjson; } | put
      printf '\xc2\xa0\n \t\r\n\n{"id":"x"} x\n' | put ;;
    pack)
      for f in regimes/*/pack.json; do put < "$f"; jq -c . "$f" | put; done ;;
    tariff)
      for f in regimes/*/pack.json; do
        jq -c '{lines: .versions[0].tariff.lines}' "$f" | put
        { echo "hs,duty,description,source,checked"
          jq -r '.versions[0].tariff.lines[] | [.hs, .duty, .description, .source, .checked] | @csv' "$f"
        } | put
      done ;;
    rates)
      put < examples/rates/sample-rates.json
      for f in regimes/*/*.rates core/src/exchange/testdata/*.csv core/src/exchange/testdata/*.xml; do
        put < "$f"
      done ;;
    duty_expr)
      jq -r '.. | objects | select(has("duty")) | .duty | strings' regimes/*/pack.json | sort -u |
        while IFS= read -r e; do printf '%s' "$e" | put; done
      for e in '12%' '3.50 EUR/kg' '13.8% MIN 13 EUR/100kg MAX 15 EUR/100kg - 7 EUR/100kg' \
               'free' '0%' '2 EUR/p/st + 4%' '10 EUR/100 l'; do printf '%s' "$e" | put; done ;;
    ffi) printf '\0' | put ;;
  esac
}

# Extra libFuzzer flags per target. Batches are kept to a few declarations: a record's cost is
# per line, so longer batches find nothing new and slow every run. Other targets keep
# libFuzzer's default (the size of the largest seed: a whole pack).
extra_flags() {
  case "$1" in
    ndjson | stream) echo "-max_len=16384" ;;
  esac
}

for target in "${targets[@]}"; do
  seed "$target"
  mkdir -p "fuzz/artifacts/$target"
  echo "fuzz: $target for ${seconds}s"
  # -timeout: an input taking 10 s is a hang; -rss_limit_mb: 2 GiB is an OOM.
  set +e
  cargo +nightly fuzz run -a "$target" "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 $(extra_flags "$target") \
    -dict=fuzz/dict/xborder.dict -print_final_stats=1 \
    2>&1 | tee "fuzz/artifacts/$target/last-run.log" | grep -E '^(==[0-9]+==|SUMMARY|stat::|Done|INFO: Seed)'
  status="${PIPESTATUS[0]}"
  set -e
  if [ "$status" -ne 0 ]; then
    echo "fuzz: $target found a problem; see fuzz/artifacts/$target/" >&2
    exit 1
  fi
done
echo "fuzz: no findings"
