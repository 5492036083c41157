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

if [ -x scripts/ffi-valgrind.sh ]; then
  echo "== C library under valgrind"
  scripts/ffi-valgrind.sh
fi

if [ -x scripts/wasm-test.sh ]; then
  echo "== WASM package: Node and headless Chromium"
  scripts/wasm-test.sh
fi

echo "== all test suites passed"
