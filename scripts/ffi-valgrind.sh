#!/usr/bin/env bash
# The C library under valgrind memcheck: installs the release libxborder with cargo-c
# (scripts/ffi-install.sh) into a staging prefix under the target directory, builds the C test
# programs of ffi/tests/c against it with the flags of its pkg-config file (the library as
# shipped, as a user links it), checks its SONAME, and runs each program under
#   valgrind --leak-check=full --error-exitcode=1 --errors-for-leak-kinds=definite,indirect
# requiring zero errors and zero definite or indirect leaks. The driver is the same Rust test
# that `cargo test` runs (ffi/tests/c_programs.rs, in its XB_VALGRIND mode, which also checks
# that a deliberately leaking program fails). The panic hooks exist only in debug builds, so
# the panic program runs under valgrind against the debug library.
#
# usage: scripts/ffi-valgrind.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v valgrind >/dev/null 2>&1; then
  echo "ffi-valgrind: valgrind is not installed (scripts/setup.sh installs it)" >&2
  exit 1
fi

target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
case "$target_dir" in /*) ;; *) target_dir="$PWD/$target_dir" ;; esac

prefix="$target_dir/capi-stage"
echo "ffi-valgrind: installing the release library into $prefix (cargo-c)"
rm -rf "$prefix"
scripts/ffi-install.sh "$prefix"

echo "ffi-valgrind: C programs against the installed library (pkg-config), under valgrind"
XB_VALGRIND=1 XB_PKG_CONFIG_PATH="$prefix/lib/pkgconfig" \
  cargo test -p xborder-ffi --test c_programs --quiet -- --test-threads=2

echo "ffi-valgrind: the panic program against the debug library, under valgrind"
XB_VALGRIND=1 cargo test -p xborder-ffi --test c_programs --quiet -- --exact no_panic_unwinds_into_c

echo "ffi-valgrind: clean"
