#!/usr/bin/env bash
# The whole test suite: what CI runs (.ci/run) and what the README's quick start calls.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

echo "== shell scripts parse (bash -n; scripts/build-pgo.sh takes ~8 min from a fresh clone, so CI does not run it)"
for script in scripts/*.sh .ci/run; do bash -n "$script"; done

echo "== format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings

echo "== Rust: unit, integration, property, doc tests, conformance vectors, C programs"
cargo test --workspace

echo "== rustdoc: no warnings (broken links, missing docs)"
# The C library and the CLI binary are called `xborder` like the core, so their targets say
# `doc = false` and `cargo doc --workspace` documents the core alone under target/doc/xborder.
# `cargo rustdoc` still checks their pages (into the same place): first, so the core's win.
RUSTDOCFLAGS="-D warnings" cargo rustdoc --quiet -p xborder-ffi --lib
# The optional feature `schema` adds the module `xborder::schema`: its pages are checked too.
RUSTDOCFLAGS="-D warnings" cargo rustdoc --quiet -p xborder --lib --features schema
RUSTDOCFLAGS="-D warnings" cargo rustdoc --quiet -p xborder-cli --bin xborder
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet --workspace

echo "== crates.io packages: xborder-regimes, xborder, xborder-cli, xborder-ffi"
# What `cargo publish --workspace` would upload, without building each crate again from its
# packaged sources (that verification takes about 3 minutes here; run it before a release:
# the same command without --no-verify). The WASM and Python crates go to npm and PyPI.
cargo package --workspace --exclude xborder-wasm --exclude xborder-python \
  --no-verify --allow-dirty --quiet
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
for crate in xborder-regimes xborder xborder-cli xborder-ffi; do
  file="${CARGO_TARGET_DIR:-target}/package/$crate-$version.crate"
  list=$(tar tzf "$file")
  for f in LICENSE-MIT LICENSE-APACHE README.md; do
    grep -qx "$crate-$version/$f" <<<"$list" || { echo "$file lacks $f" >&2; exit 1; }
  done
  # crates.io refuses uploads over 10 MB (compressed); the national tariffs are the bulk.
  size=$(stat -c %s "$file")
  [ "$size" -le 10000000 ] || { echo "$file is $size bytes, over crates.io's 10 MB" >&2; exit 1; }
  echo "$crate-$version.crate: $size bytes, licence files included"
done

echo "== function length (limit and why: DESIGN.md, \"Why a limit on function length?\")"
cargo test --quiet -p xborder --test function_length -- --nocapture

echo "== binding parity (what the C library and the WASM package offer of the Rust API)"
cargo test --quiet -p xborder --test binding_parity -- --nocapture

if [ -x scripts/ffi-valgrind.sh ]; then
  echo "== C library under valgrind"
  scripts/ffi-valgrind.sh
fi

if [ -x scripts/wasm-test.sh ]; then
  echo "== WASM package: Node and headless Chromium"
  scripts/wasm-test.sh
fi

if [ -x scripts/python-test.sh ]; then
  echo "== Python package: maturin wheel, pytest against the CLI"
  scripts/python-test.sh
  echo "== Spark: examples/spark_replay.py in local[2] on 100,000 declarations, against the CLI"
  scripts/python-test.sh --spark -s
fi

echo "== all test suites passed"
