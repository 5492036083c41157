#!/usr/bin/env bash
# Installs what the test suite needs beyond Rust itself, skipping whatever is already there:
# a C compiler and valgrind (C library tests), Chromium (the checkout page's browser test),
# Node.js and npm (WASM package tests), Python 3 with venv (the Python package's tests), a Java
# runtime, 17 or later, for Spark (the Python package's Spark test; Debian's OpenJDK 17, or 21
# where the release has no 17). The
# WASM toolchain itself (wasm32 target, wasm-bindgen-cli at the crate's exact version) is
# installed by scripts/wasm-build.sh; the Python tools (maturin, pyarrow, pytest) by
# scripts/python-test.sh, into a venv under the target directory, and pyspark by
# `scripts/python-test.sh --spark`. cargo-c, which builds and installs the C library
# (scripts/ffi-install.sh), is installed here with cargo (below).
set -euo pipefail

need=()
command -v cc >/dev/null 2>&1 || need+=(gcc libc6-dev)
command -v c++ >/dev/null 2>&1 || need+=(g++)
command -v make >/dev/null 2>&1 || need+=(make)
command -v valgrind >/dev/null 2>&1 || need+=(valgrind)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v readelf >/dev/null 2>&1 || need+=(binutils)
# cargo-c links OpenSSL (through Cargo's HTTP and git code); it finds it with pkg-config.
pkg-config --exists openssl 2>/dev/null || need+=(libssl-dev)
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
# cargo-c, pinned: 0.10.24 is the newest release whose rust-version (1.95) the toolchain meets
# (0.10.26 needs 1.97), and it bundles cbindgen 0.29.4, the version the header test pins, so
# the header it generates is byte for byte ffi/include/xborder.h. --locked builds it with the
# dependency versions it was released with. Installed once per machine (~/.cargo/bin), skipped
# when that version is there. It compiles Cargo itself, so it is built unoptimised
# (opt-level 0, as a debug build but without debug info): what it runs is rustc, and
# compiling Cargo with optimisations took about 10 minutes on two cores (docs/c-api.md,
# "Installing cargo-c", has the figures and why not Debian's cargo-c).
cargo_c_version=0.10.24
if [ "$(cargo cbuild --version 2>/dev/null | sed -n 's/^cargo-c \([0-9.]*\).*/\1/p')" != "$cargo_c_version" ]; then
  echo "setup: installing cargo-c $cargo_c_version (compiles for a few minutes, once)"
  CARGO_PROFILE_RELEASE_OPT_LEVEL=0 CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 \
    cargo install cargo-c --version "$cargo_c_version" --locked --quiet
fi

echo "setup: cc $(cc -dumpversion), valgrind $(valgrind --version 2>/dev/null | sed 's/valgrind-//'), node $(node --version), $(python3 --version), $(cargo cbuild --version | head -1), chromium $([ -x /usr/bin/chromium ] && echo present), java $(java_major)"
