#!/usr/bin/env bash
# Installs the C library with cargo-c (`cargo cinstall`, the way rustls-ffi is installed):
#   $PREFIX/lib/libxborder.so.X.Y.Z, the libxborder.so.0 (SONAME) and libxborder.so symlinks,
#   $PREFIX/lib/libxborder.a, $PREFIX/include/xborder.h, $PREFIX/lib/pkgconfig/xborder.pc.
# What cargo-c does is set in ffi/Cargo.toml, [package.metadata.capi]. The header it generates
# must be byte for byte ffi/include/xborder.h (both come from cbindgen 0.29.4 and
# ffi/cbindgen.toml); this script checks it, and that the library's SONAME is libxborder.so.0.
#
# usage: scripts/ffi-install.sh [PREFIX]      (default /usr/local)
#   DESTDIR=/tmp/stage scripts/ffi-install.sh /usr   # staged install for packaging
#   LIBDIR_NAME=lib64 scripts/ffi-install.sh         # lib directory name (default lib)
#
# Then: cc app.c $(pkg-config --cflags --libs xborder)
# Needs cargo-c: scripts/setup.sh installs the pinned version.
set -euo pipefail
cd "$(dirname "$0")/.."

prefix="${1:-/usr/local}"
libdir_name="${LIBDIR_NAME:-lib}"
destdir="${DESTDIR:-}"

if ! cargo cinstall --version >/dev/null 2>&1; then
  echo "ffi-install: cargo-c is not installed; run scripts/setup.sh" \
    "(or: cargo install cargo-c --version 0.10.24 --locked)" >&2
  exit 1
fi

args=(--release -p xborder-ffi --prefix "$prefix" --libdir "$prefix/$libdir_name"
  --includedir "$prefix/include")
[ -z "$destdir" ] || args+=(--destdir "$destdir")
# cargo-c builds into target/<host triple>/release, apart from `cargo build --release`. It has
# no --quiet; Cargo's own setting term.quiet quiets it.
CARGO_TERM_QUIET=true cargo cinstall "${args[@]}"

lib="$destdir$prefix/$libdir_name"
header="$destdir$prefix/include/xborder.h"
if ! cmp -s "$header" ffi/include/xborder.h; then
  echo "ffi-install: $header differs from ffi/include/xborder.h" \
    "(cargo-c's cbindgen is not the header test's?)" >&2
  exit 1
fi
if command -v readelf >/dev/null 2>&1; then
  readelf -d "$lib/libxborder.so" | grep -q 'Library soname: \[libxborder\.so\.0\]' || {
    echo "ffi-install: $lib/libxborder.so has no SONAME libxborder.so.0" >&2
    exit 1
  }
fi
echo "installed libxborder $(PKG_CONFIG_LIBDIR="$lib/pkgconfig" pkg-config --modversion xborder)" \
  "(SONAME libxborder.so.0) into $destdir$prefix"
