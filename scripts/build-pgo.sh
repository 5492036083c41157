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
# With --bolt, the profile-guided binary is then rewritten by BOLT, LLVM's post-link optimiser:
# it is instrumented, trained again on the same declarations, and its hot code laid out by the
# measured branches and calls into target/pgo-bolt/xborder (about 5 % less CPU time than the PGO
# binary alone; BENCHMARKS.md). BOLT comes from Debian's `bolt-NN` packages (installed with
# apt-get, the newest one the archive offers, when no `llvm-bolt` is found); it needs the
# relocations kept in the binary, so with --bolt the PGO build is linked with --emit-relocs.
# Adds under a minute. Compared to the plain build's output like the PGO binary.
#
# Usage: scripts/build-pgo.sh [--bolt]   (honours CARGO_TARGET_DIR; extra RUSTFLAGS are kept)
set -euo pipefail
cd "$(dirname "$0")/.."

bolt=false
case "${1:-}" in
    --bolt) bolt=true ;;
    "") ;;
    *) echo "usage: scripts/build-pgo.sh [--bolt]" >&2; exit 2 ;;
esac

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

# llvm-bolt, called by its real path: Debian's /usr/bin/llvm-bolt-NN is a link, and BOLT finds
# its instrumentation runtime (lib/libbolt_rt_instr.a) relative to where it was started from.
find_bolt() {
    local found
    found=$(command -v llvm-bolt || compgen -c llvm-bolt- | grep -E '^llvm-bolt-[0-9]+$' | sort -V | tail -n 1 || true)
    if [[ -z $found ]]; then
        local package sudo_cmd=""
        package=$(apt-cache search --names-only '^bolt-[0-9]+$' | cut -d' ' -f1 | sort -V | tail -n 1)
        [[ -n $package ]] || { echo "no llvm-bolt found and no Debian bolt-NN package to install" >&2; return 1; }
        [[ $(id -u) -eq 0 ]] || sudo_cmd=sudo
        echo "== installing Debian $package (for llvm-bolt)" >&2
        DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "$package" > /dev/null
        found=llvm-bolt-${package#bolt-}
    fi
    readlink -f "$(command -v "$found")"
}

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
train() {
    "$1" assess --threads 2 --no-progress "$data/eu.ndjson" > /dev/null
    "$1" assess --threads 2 --no-progress "$data/mixed.ndjson" > /dev/null || [[ $? -eq 1 ]]
    "$1" assess --trace --threads 2 --no-progress "$data/mixed.ndjson" > /dev/null || [[ $? -eq 1 ]]
}
echo "== training"
"$gen" generate --n 150000 --seed 11 --regime EU --no-progress > "$data/eu.ndjson"
"$gen" generate --n 50000 --seed 12 --no-progress > "$data/mixed.ndjson"
train "$gen"

# 4. Merge and build the optimised CLI.
echo "== merging profiles"
"$profdata" merge -o "$data/xborder.profdata" "$data/raw"
echo "== optimised build (target/pgo)"
use_flags="$flags -Cprofile-use=$data/xborder.profdata"
if $bolt; then
    use_flags="$use_flags -Clink-arg=-Wl,--emit-relocs"
fi
RUSTFLAGS="$use_flags" CARGO_TARGET_DIR="$target/pgo" cargo build --release --quiet -p xborder-cli
pgo=$target/pgo/release/xborder
built=("$pgo")

# 4b. BOLT (--bolt): instrument the PGO binary, train it, lay it out by its profile.
if $bolt; then
    bolt_bin=$(find_bolt)
    echo "== BOLT ($bolt_bin): instrumenting, training, optimising (target/pgo-bolt)"
    mkdir -p "$target/pgo-bolt"
    rm -f "$data"/bolt.*
    # BOLT's notes and warnings go to a log, shown only if a step fails.
    logged() { "$@" > "$data/bolt.log" 2>&1 || { cat "$data/bolt.log" >&2; return 1; }; }
    logged "$bolt_bin" "$pgo" -instrument -o "$data/bolt.instrumented" \
        --instrumentation-file="$data/bolt" --instrumentation-file-append-pid
    train "$data/bolt.instrumented"
    "$(dirname "$bolt_bin")/merge-fdata" "$data"/bolt.*.fdata > "$data/bolt.profile" 2> /dev/null
    logged "$bolt_bin" "$pgo" -o "$target/pgo-bolt/xborder" -data="$data/bolt.profile" \
        -reorder-blocks=ext-tsp -reorder-functions=cdsort -split-functions -split-all-cold \
        -split-eh -icf=1 -use-gnu-stack
    rm -f "$data"/bolt.*
    built+=("$target/pgo-bolt/xborder")
fi

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
    for bin in "${built[@]}"; do
        "$bin" assess --no-progress "${a[@]}" > "$data/optimised.out" 2> /dev/null || [[ $? -eq 1 ]]
        cmp "$data/plain.out" "$data/optimised.out" || {
            echo "$bin writes other bytes than the plain build on: assess $args" >&2
            exit 1
        }
    done
done
rm -f "$data"/*.ndjson "$data"/*.out
for bin in "${built[@]}"; do
    echo "optimised build: $bin (same output as $plain on 40 000 generated records)"
done
