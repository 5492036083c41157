#!/usr/bin/env bash
# Installs the C library: builds libxborder in release mode and copies
#   $PREFIX/lib/libxborder.so, $PREFIX/lib/libxborder.a,
#   $PREFIX/include/xborder.h and $PREFIX/lib/pkgconfig/xborder.pc (from ffi/xborder.pc.in).
#
# usage: scripts/ffi-install.sh [PREFIX]      (default /usr/local)
#   DESTDIR=/tmp/stage scripts/ffi-install.sh /usr   # staged install for packaging
#   LIBDIR_NAME=lib64 scripts/ffi-install.sh         # lib directory name (default lib)
#
# Then: cc app.c $(pkg-config --cflags --libs xborder)
set -euo pipefail
cd "$(dirname "$0")/.."

prefix="${1:-/usr/local}"
libdir_name="${LIBDIR_NAME:-lib}"
destdir="${DESTDIR:-}"
target_dir="${CARGO_TARGET_DIR:-target}"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"

cargo build --release -p xborder-ffi --quiet

lib="$destdir$prefix/$libdir_name"
inc="$destdir$prefix/include"
install -d "$lib/pkgconfig" "$inc"
install -m 0755 "$target_dir/release/libxborder.so" "$lib/libxborder.so"
install -m 0644 "$target_dir/release/libxborder.a" "$lib/libxborder.a"
install -m 0644 ffi/include/xborder.h "$inc/xborder.h"
sed -e "s|@PREFIX@|$prefix|" \
    -e "s|@LIBDIR@|\${prefix}/$libdir_name|" \
    -e "s|@INCLUDEDIR@|\${prefix}/include|" \
    -e "s|@VERSION@|$version|" \
    ffi/xborder.pc.in > "$lib/pkgconfig/xborder.pc"
echo "installed libxborder $version into $destdir$prefix"
