#!/usr/bin/env bash
# Installs what the test suite needs beyond Rust itself, skipping whatever is already there:
# a C compiler and valgrind (C library tests), Chromium (the checkout page's browser test),
# Node.js and npm (WASM package tests), Python 3 with venv (the Python package's tests). The
# WASM toolchain itself (wasm32 target, wasm-bindgen-cli at the crate's exact version) is
# installed by scripts/wasm-build.sh; the Python tools (maturin, pyarrow, pytest) by
# scripts/python-test.sh, into a venv under the target directory.
set -euo pipefail

need=()
command -v cc >/dev/null 2>&1 || need+=(gcc libc6-dev)
command -v c++ >/dev/null 2>&1 || need+=(g++)
command -v make >/dev/null 2>&1 || need+=(make)
command -v valgrind >/dev/null 2>&1 || need+=(valgrind)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v node >/dev/null 2>&1 || need+=(nodejs npm)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need+=(python3 python3-venv)

if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
echo "setup: cc $(cc -dumpversion), valgrind $(valgrind --version 2>/dev/null | sed 's/valgrind-//'), node $(node --version), $(python3 --version), chromium $([ -x /usr/bin/chromium ] && echo present)"
