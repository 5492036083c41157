#!/usr/bin/env bash
# The whole test suite: what CI runs (.ci/run) and what the README's quick start calls.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

echo "== format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings

echo "== Rust: unit, integration, property, doc tests, conformance vectors, C programs"
cargo test --workspace

echo "== rustdoc: no warnings (broken links, missing docs)"
# The C library, the CLI binary and the core are all called `xborder`, so rustdoc writes them
# to the same place: one run each, the core's last so that target/doc holds its pages.
for crate in xborder-ffi xborder-cli; do
  RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet -p "$crate"
done
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet --workspace \
  --exclude xborder-ffi --exclude xborder-cli

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
fi

echo "== all test suites passed"
