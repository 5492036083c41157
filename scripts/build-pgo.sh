#!/usr/bin/env bash
# Profile-guided build of the `xborder` CLI (issue 16): the fastest binary for batch use.
#
# PGO lets the compiler lay out and inline code by how often each branch is really taken; on
# this parser/assessor/writer it cuts the instructions per generated EU record by about 15 %
# and the CPU time by about 28 % (BENCHMARKS.md, "Profile-guided build"). The output bytes are those of the plain release
# build: this script checks that before it reports success.
#
# Steps (about 8 minutes on 2 cores, from a fresh clone too; nearly all of it the three
# release builds):
#   1. find llvm-profdata of the active toolchain (rustup component `llvm-tools`, added if
#      missing: its LLVM must be the one rustc uses, or the merged profile cannot be read);
#   2. build an instrumented CLI into its own target directory (other RUSTFLAGS would make
#      cargo rebuild everything in the usual target/release each time);
#   3. train it on declarations it generates itself (fixed seeds: the same profile every run);
#   4. merge the raw profiles and build the optimised CLI with them: target/pgo/release/xborder;
#   5. build the plain release CLI (target/release/xborder) and compare both binaries' output
#      on a generated sample, byte for byte; exit non-zero if they differ.
#
# Usage: scripts/build-pgo.sh   (honours CARGO_TARGET_DIR; extra RUSTFLAGS are kept)
set -euo pipefail
cd "$(dirname "$0")/.."

target=$(realpath -m "${CARGO_TARGET_DIR:-target}")
data=$target/pgo-data
flags=${RUSTFLAGS:-}

# 1. llvm-profdata, the version that matches rustc's LLVM.
host=$(rustc -vV | sed -n 's/^host: //p')
profdata="$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata"
if [[ ! -x $profdata ]]; then
    echo "== installing the rustup component llvm-tools (for llvm-profdata)"
    rustup component add llvm-tools
fi

# 2. Instrumented build. The profile directory must be absolute: the binary writes there at
#    run time, wherever it is started from. Build scripts are instrumented too and write into
#    it while cargo runs; the directory is emptied after the build so only training counts.
echo "== instrumented build (target/pgo-gen)"
rm -rf "$data"
mkdir -p "$data/raw"
RUSTFLAGS="$flags -Cprofile-generate=$data/raw" CARGO_TARGET_DIR="$target/pgo-gen" \
    cargo build --release --quiet -p xborder-cli
gen=$target/pgo-gen/release/xborder
rm -rf "$data/raw"
mkdir -p "$data/raw"

# 3. Training: a mix like real batches. Mostly EU records (the common case), every regime
#    with and without --trace (so the trace writer and the other regimes' rules are not laid
#    out as cold code), on two threads like `assess` by default. A few seconds of work.
echo "== training"
"$gen" generate --n 150000 --seed 11 --regime EU --no-progress > "$data/eu.ndjson"
"$gen" generate --n 50000 --seed 12 --no-progress > "$data/mixed.ndjson"
"$gen" assess --threads 2 --no-progress "$data/eu.ndjson" > /dev/null
"$gen" assess --threads 2 --no-progress "$data/mixed.ndjson" > /dev/null || [[ $? -eq 1 ]]
"$gen" assess --trace --threads 2 --no-progress "$data/mixed.ndjson" > /dev/null || [[ $? -eq 1 ]]

# 4. Merge and build the optimised CLI.
echo "== merging profiles"
"$profdata" merge -o "$data/xborder.profdata" "$data/raw"
echo "== optimised build (target/pgo)"
RUSTFLAGS="$flags -Cprofile-use=$data/xborder.profdata" CARGO_TARGET_DIR="$target/pgo" \
    cargo build --release --quiet -p xborder-cli
pgo=$target/pgo/release/xborder

# 5. Same bytes as the plain build, on records that were not in the training set.
echo "== plain build (target/release) and output comparison"
CARGO_TARGET_DIR="$target" cargo build --release --quiet -p xborder-cli
plain=$target/release/xborder
"$plain" generate --n 20000 --seed 21 --regime EU --no-progress > "$data/check-eu.ndjson"
"$plain" generate --n 20000 --seed 22 --no-progress > "$data/check-mixed.ndjson"
for args in "check-eu.ndjson" "check-mixed.ndjson" "--trace check-mixed.ndjson"; do
    read -ra a <<< "$args"
    a[-1]=$data/${a[-1]}
    "$plain" assess --no-progress "${a[@]}" > "$data/plain.out" 2> /dev/null || [[ $? -eq 1 ]]
    "$pgo" assess --no-progress "${a[@]}" > "$data/pgo.out" 2> /dev/null || [[ $? -eq 1 ]]
    cmp "$data/plain.out" "$data/pgo.out" || {
        echo "the PGO build's output differs from the plain build's on: assess $args" >&2
        exit 1
    }
done
rm -f "$data"/*.ndjson "$data"/*.out
echo "PGO build: $pgo (same output as $plain on 40 000 generated records)"
