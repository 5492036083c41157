#!/usr/bin/env bash
# Instructions per declaration of `xborder assess`, counted by callgrind (issue 16).
#
# Wall-clock timings on a shared machine move with the other work on it; instruction counts do
# not. This writes 20 000 EU declarations with `xborder generate --seed 1 --regime EU` and runs
# `xborder assess --threads 1` under callgrind on the first 10 000 and on all 20 000; the
# difference divided by 10 000 is the steady-state cost of one record (engine start-up, the
# one-time parse of the EU tariff file and thread start-up cancel out). It prints the split
# between parsing, assessing and writing from the 20 000-line run.
#
# Usage: scripts/bench-instructions.sh [path/to/xborder]   (default: a fresh release build)
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $# -ge 1 ]]; then
    xborder=$1
else
    cargo build --release -p xborder-cli --quiet
    xborder=target/release/xborder
fi
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 2; }

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$xborder" generate --n 20000 --seed 1 --regime EU --no-progress > "$dir/20k.ndjson"
head -n 10000 "$dir/20k.ndjson" > "$dir/10k.ndjson"

count() {
    valgrind --tool=callgrind --callgrind-out-file="$dir/$1.out" \
        "$xborder" assess --threads 1 --no-progress "$dir/$1.ndjson" > /dev/null 2> "$dir/$1.err" || true
    grep -o 'Collected : [0-9]*' "$dir/$1.err" | grep -o '[0-9]*$'
}
small=$(count 10k)
large=$(count 20k)
echo "instructions: 10 000 lines $small, 20 000 lines $large"
echo "per declaration (steady state): $(( (large - small) / 10000 ))"

# Inclusive cost of each stage over the 20 000-line run, per declaration (the assessment's
# figure includes the one-time parse of the EU tariff file, about 2 700 per declaration here).
callgrind_annotate --inclusive=yes "$dir/20k.out" 2>/dev/null > "$dir/20k.txt"
# A stage the compiler inlined into its caller has no line of its own (a plain release build
# inlines the parse and the assessment): it is reported as such, and the others still print.
# `stages::assess_lines_over` is the whole of a block's lines (read, assessed, written in runs
# over the output buffer's room); `write_json_over` is the writer.
for stage in 'stages::assess_lines_over' 'fast::Cursor::declaration' 'xborder::assess::run' \
    'release::decide' 'Assessment>::write_json_over'; do
    n=$( { grep -F "$stage [" "$dir/20k.txt" || true; } | head -1 | awk '{ gsub(",", "", $1); print $1 }')
    if [[ -n $n ]]; then
        printf '  %-28s %8d per declaration\n' "$stage" $(( n / 20000 ))
    else
        printf '  %-28s %8s (inlined: build with line tables for the split)\n' "$stage" -
    fi
done
