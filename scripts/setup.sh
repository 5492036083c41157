#!/usr/bin/env bash
# Installs what the test suite needs beyond Rust itself, skipping whatever is already there:
# a C compiler and valgrind (C library tests), Chromium (the checkout page's browser test),
# Node.js and npm (WASM package tests), Python 3 with venv (the Python package's tests), a Java
# runtime, 17 or later, for Spark (the Python package's Spark test; Debian's OpenJDK 17, or 21
# where the release has no 17). The
# WASM toolchain itself (wasm32 target, wasm-bindgen-cli at the crate's exact version) is
# installed by scripts/wasm-build.sh; the Python tools (maturin, pyarrow, pytest) by
# scripts/python-test.sh, into a venv under the target directory, and pyspark by
# `scripts/python-test.sh --spark`.
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
java_major() { java -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -1; }
need_java=""
{ command -v java >/dev/null 2>&1 && [ "$(java_major)" -ge 17 ] 2>/dev/null; } || need_java=yes

if [ ${#need[@]} -gt 0 ] || [ -n "$need_java" ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  if [ -n "$need_java" ]; then
    # The first OpenJDK that Spark 4 supports and this Debian release offers.
    for jre in openjdk-17-jre-headless openjdk-21-jre-headless; do
      if [ -n "$(apt-cache policy "$jre" 2>/dev/null | sed -n 's/^ *Candidate: \([^(].*\)/\1/p')" ]; then
        need+=("$jre")
        break
      fi
    done
  fi
  if [ ${#need[@]} -gt 0 ]; then
    echo "setup: installing ${need[*]}"
    $sudo_cmd apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
fi
echo "setup: cc $(cc -dumpversion), valgrind $(valgrind --version 2>/dev/null | sed 's/valgrind-//'), node $(node --version), $(python3 --version), chromium $([ -x /usr/bin/chromium ] && echo present), java $(java_major)"
