#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds and installs a copy of the source tree the way README.md's "Build and
# install" says, on a machine where Check cannot be found, and checks what a
# packager and a user get:
#   1. -DBUILD_TESTING=OFF configures, builds and installs without Check (and with
#      BUILD_TESTING=ON the same configure fails, naming Check: it really is hidden);
#      the deprecated -DALLIANCE_BUILD_TESTS=OFF still works;
#   2. the shared install: library, header, CMake package, alliance.pc, licence,
#      NEWS and manual pages; a program links it through pkg-config and runs;
#   3. a static-only install (BUILD_SHARED_LIBS=OFF): no .so, and plain
#      `pkg-config --libs` and find_package(alliance) both link it;
#   4. alliance.pc with a two-level relative and with an absolute CMAKE_INSTALL_LIBDIR.
# Usage: run.sh SOURCE_DIR CMAKE CC
# CI budget: about a minute on 2 cores (two builds of the library, one of the drill tool).
set -eu
src=$1; cmake=$2; cc=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
jobs=2

fail() { echo "packaging: FAIL: $*"; exit 1; }

echo "== a copy of the source tree (no build directories)"
mkdir "$tmp/src"
(cd "$src" && tar cf - --exclude='./build*' --exclude=./.git --exclude='./bindings/node/node_modules' .) |
  (cd "$tmp/src" && tar xf -)

# Check is found only through pkg-config: a search path holding every .pc file of the
# default one except check.pc hides it, and only it (libzip and libzstd are found there too).
mkdir "$tmp/no-check-pkgconfig"
for dir in $(pkg-config --variable pc_path pkg-config | tr ':' ' ') ${PKG_CONFIG_PATH:+$(echo "$PKG_CONFIG_PATH" | tr ':' ' ')}; do
  for pc in "$dir"/*.pc; do
    [ -e "$pc" ] || continue
    case "$(basename "$pc")" in check.pc) continue ;; esac
    [ -e "$tmp/no-check-pkgconfig/$(basename "$pc")" ] || ln -s "$pc" "$tmp/no-check-pkgconfig/"
  done
done
export PKG_CONFIG_LIBDIR="$tmp/no-check-pkgconfig"
unset PKG_CONFIG_PATH || true
if pkg-config --exists check 2>/dev/null; then fail "Check is still visible to pkg-config"; fi
pkg-config --exists sqlite3 || fail "hiding Check hid sqlite3.pc too"

echo "== 1. configure with -DBUILD_TESTING=OFF and no Check"
"$cmake" -S "$tmp/src" -B "$tmp/build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_TESTING=OFF >"$tmp/configure.log" 2>&1 ||
  { cat "$tmp/configure.log"; fail "configuring without Check and with BUILD_TESTING=OFF failed"; }
"$cmake" --build "$tmp/build" -j "$jobs" >"$tmp/build.log" 2>&1 || { tail -n 30 "$tmp/build.log"; fail "build"; }
"$cmake" --install "$tmp/build" --prefix "$tmp/prefix" >/dev/null

echo "== ... and with BUILD_TESTING=ON the same configure names what is missing"
if "$cmake" -S "$tmp/src" -B "$tmp/build-tests" -DCMAKE_C_COMPILER="$cc" >"$tmp/tests.log" 2>&1; then
  fail "configuring the tests succeeded although Check is hidden"
fi
grep -q "need the Check unit-testing library" "$tmp/tests.log" || { cat "$tmp/tests.log"; fail "no message naming Check"; }
grep -q "BUILD_TESTING=OFF" "$tmp/tests.log" || fail "the message does not say how to build without the tests"

echo "== ... and the old option name, -DALLIANCE_BUILD_TESTS=OFF, still means BUILD_TESTING=OFF (deprecated)"
"$cmake" -S "$tmp/src" -B "$tmp/build-old-name" -DCMAKE_C_COMPILER="$cc" -DALLIANCE_BUILD_TESTS=OFF \
    >"$tmp/old-name.log" 2>&1 || { cat "$tmp/old-name.log"; fail "configuring with -DALLIANCE_BUILD_TESTS=OFF"; }
grep -q "ALLIANCE_BUILD_TESTS is deprecated" "$tmp/old-name.log" || fail "no deprecation warning for ALLIANCE_BUILD_TESTS"
grep -q "^BUILD_TESTING:BOOL=OFF$" "$tmp/build-old-name/CMakeCache.txt" || fail "ALLIANCE_BUILD_TESTS=OFF did not set BUILD_TESTING"

echo "== 2. the shared install"
p=$tmp/prefix
for f in include/alliance.h lib/liballiance.so.0 lib/pkgconfig/alliance.pc lib/cmake/alliance/allianceConfig.cmake \
         lib/cmake/alliance/allianceConfigVersion.cmake share/doc/liballiance/LICENSE \
         share/doc/liballiance/NOTICE share/doc/liballiance/NEWS.md share/man/man3/liballiance.3 \
         share/man/man1/alliance-drill.1 bin/alliance-drill; do
  [ -e "$p/$f" ] || fail "$f is not installed"
done
[ ! -e "$p/lib/liballiance.a" ] || fail "a shared build installed the static library too (that is ALLIANCE_BUILD_BOTH)"
cmp -s "$src/LICENSE" "$p/share/doc/liballiance/LICENSE" || fail "the installed LICENSE differs"
"$p/bin/alliance-drill" --version >/dev/null || fail "the installed alliance-drill does not run"
# From here on Check may be visible again (alliance.pc names sqlite3, libzip and libzstd).
unset PKG_CONFIG_LIBDIR
export PKG_CONFIG_PATH="$p/lib/pkgconfig"
[ "$(pkg-config --modversion alliance)" = "$(sed -n 's/^#define ALLIANCE_VERSION_STRING "\(.*\)"/\1/p' "$src/include/alliance.h")" ] ||
  fail "alliance.pc's version is not the header's"
# shellcheck disable=SC2046
"$cc" -o "$tmp/consumer_pc" "$src/tests/consumer/consumer.c" $(pkg-config --cflags --libs alliance)
LD_LIBRARY_PATH="$p/lib" "$tmp/consumer_pc" >/dev/null || fail "the pkg-config consumer of the shared install"
if command -v man >/dev/null 2>&1; then
  warnings=$(MANWIDTH=80 man --warnings -l "$p/share/man/man3/liballiance.3" 2>&1 >/dev/null || true)
  [ -z "$warnings" ] || { echo "$warnings"; fail "liballiance.3 has formatting warnings"; }
fi

echo "== 3. a static-only install (BUILD_SHARED_LIBS=OFF)"
"$cmake" -S "$tmp/src" -B "$tmp/build-static" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_TESTING=OFF -DBUILD_SHARED_LIBS=OFF -DALLIANCE_BUILD_EXAMPLES=OFF -DALLIANCE_BUILD_BENCH=OFF >/dev/null
"$cmake" --build "$tmp/build-static" -j "$jobs" >/dev/null
"$cmake" --install "$tmp/build-static" --prefix "$tmp/static" >/dev/null
[ -f "$tmp/static/lib/liballiance.a" ] || fail "the static library is not installed"
if ls "$tmp/static/lib/"liballiance.so* >/dev/null 2>&1; then fail "a static-only build installed a shared library"; fi
export PKG_CONFIG_PATH="$tmp/static/lib/pkgconfig"
# shellcheck disable=SC2046
"$cc" -o "$tmp/consumer_static_pc" "$src/tests/consumer/consumer.c" $(pkg-config --cflags --libs alliance) ||
  fail "plain pkg-config --libs does not link a static-only install"
"$tmp/consumer_static_pc" >/dev/null
unset PKG_CONFIG_PATH
"$cmake" -S "$src/tests/consumer" -B "$tmp/consumer-static" -DCMAKE_C_COMPILER="$cc" \
    -DCMAKE_PREFIX_PATH="$tmp/static" -DALLIANCE_CONSUMER_STATIC=ON >/dev/null ||
  fail "find_package(alliance COMPONENTS static) on a static-only install"
"$cmake" --build "$tmp/consumer-static" >/dev/null
"$tmp/consumer-static/consumer" >/dev/null
"$tmp/consumer-static/consumer_static" >/dev/null

echo "== 4. alliance.pc with a relative multiarch and an absolute CMAKE_INSTALL_LIBDIR"
"$cmake" -S "$tmp/src" -B "$tmp/build" -DCMAKE_INSTALL_LIBDIR=lib/x86_64-linux-gnu >/dev/null
"$cmake" --build "$tmp/build" -j "$jobs" >/dev/null
"$cmake" --install "$tmp/build" --prefix "$tmp/multiarch" >/dev/null
export PKG_CONFIG_PATH="$tmp/multiarch/lib/x86_64-linux-gnu/pkgconfig"
[ "$(pkg-config --variable=libdir alliance)" -ef "$tmp/multiarch/lib/x86_64-linux-gnu" ] ||
  fail "libdir of a multiarch install: $(pkg-config --variable=libdir alliance)"
[ "$(pkg-config --variable=includedir alliance)" -ef "$tmp/multiarch/include" ] ||
  fail "includedir of a multiarch install: $(pkg-config --variable=includedir alliance)"

abs=$tmp/absolute
"$cmake" -S "$tmp/src" -B "$tmp/build" -DCMAKE_INSTALL_PREFIX="$abs" -DCMAKE_INSTALL_LIBDIR="$abs/lib64-abs" >/dev/null
"$cmake" --build "$tmp/build" -j "$jobs" >/dev/null
"$cmake" --install "$tmp/build" >/dev/null
PKG_CONFIG_PATH="$abs/lib64-abs/pkgconfig"
[ "$(pkg-config --variable=libdir alliance)" = "$abs/lib64-abs" ] ||
  fail "libdir with an absolute CMAKE_INSTALL_LIBDIR: $(pkg-config --variable=libdir alliance)"
[ "$(pkg-config --variable=includedir alliance)" = "$abs/include" ] ||
  fail "includedir with an absolute CMAKE_INSTALL_LIBDIR: $(pkg-config --variable=includedir alliance)"
# shellcheck disable=SC2046
"$cc" -o "$tmp/consumer_abs" "$src/tests/consumer/consumer.c" $(pkg-config --cflags --libs alliance)
LD_LIBRARY_PATH="$abs/lib64-abs" "$tmp/consumer_abs" >/dev/null
unset PKG_CONFIG_PATH
# (find_package searches <prefix>/lib*/cmake, which an arbitrary absolute libdir is not: alliance_DIR.)
"$cmake" -S "$src/tests/consumer" -B "$tmp/consumer-abs" -DCMAKE_C_COMPILER="$cc" \
    -Dalliance_DIR="$abs/lib64-abs/cmake/alliance" >/dev/null ||
  fail "find_package(alliance) with an absolute CMAKE_INSTALL_LIBDIR"
"$cmake" --build "$tmp/consumer-abs" >/dev/null
LD_LIBRARY_PATH="$abs/lib64-abs" "$tmp/consumer-abs/consumer" >/dev/null
echo "packaging: OK"
