#!/usr/bin/env bash
# Benchmarks of the C API (figures in BENCHMARKS.md, "C API"):
#  1. criterion, `cargo bench -p xborder-ffi --bench c_api`: single calls and a 1000-line NDJSON
#     batch, the core against the C API on the same input, in one process;
#  2. ffi/tests/c/timing.c, a C program linked against the release libxborder.so, timing the
#     same through the dynamic library as a C program sees it.
#
# usage: scripts/ffi-bench.sh [criterion filter]
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
case "$target_dir" in /*) ;; *) target_dir="$PWD/$target_dir" ;; esac

cargo bench -p xborder-ffi --bench c_api -- "$@"

echo "== the C timing program against $target_dir/release/libxborder.so"
cargo build --release -p xborder-ffi --quiet
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cc -std=c99 -O2 -Wall -Wextra -Wpedantic -Werror -Iffi/include -Iffi/tests/c \
  -o "$work/timing" ffi/tests/c/timing.c \
  -L"$target_dir/release" -Wl,-rpath,"$target_dir/release" -lxborder
# One compact declaration, and a batch of 1000 lines cycling through the examples.
tr -d '\n' < examples/declarations/eu-cat3-ioss-seller.json | tr -s ' ' > "$work/decl.json"
grep -v '^[[:space:]]*$' examples/declarations/all.ndjson > "$work/lines.ndjson"
: > "$work/batch.ndjson"
while [ "$(wc -l < "$work/batch.ndjson")" -lt 1000 ]; do cat "$work/lines.ndjson" >> "$work/batch.ndjson"; done
head -n 1000 "$work/batch.ndjson" > "$work/batch1000.ndjson"
"$work/timing" "$work/decl.json" "$work/batch1000.ndjson" examples/rates/sample-rates.json 50000 50
