#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs the build tree into a temporary prefix, then builds and runs the
# consumer every way the installed files allow: CMake find_package (shared, and
# static when installed), pkg-config (shared), pkg-config --static.
# Usage: run.sh BUILD_DIR SOURCE_DIR CMAKE CC "EXTRA FLAGS" SHARED(ON/OFF) STATIC_INSTALLED(ON/OFF)
set -eu
build=$1; src=$2; cmake=$3; cc=$4
# Extra compiler flags (the sanitizer build passes its -fsanitize flags here).
flags=${5:-}
shared=${6:-ON}; static=${7:-ON}
is_on() { case "$1" in ON|on|1|TRUE|true|YES|yes|Y|y) return 0 ;; *) return 1 ;; esac; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$cmake" --install "$build" --prefix "$tmp/prefix" >/dev/null
libdir=$(ls -d "$tmp"/prefix/lib*/pkgconfig | head -n 1 | xargs dirname)
[ -f "$tmp/prefix/share/doc/liballiance/LICENSE" ] || { echo "LICENSE is not installed"; exit 1; }
[ -f "$tmp/prefix/share/doc/liballiance/NOTICE" ] || { echo "NOTICE is not installed"; exit 1; }
grep -q 'MIT License' "$libdir/pkgconfig/alliance.pc" || { echo "alliance.pc does not name the licence"; exit 1; }

static_option=OFF
if is_on "$static"; then static_option=ON; fi

echo "== find_package(alliance CONFIG REQUIRED)"
"$cmake" -S "$src" -B "$tmp/cmake-build" -DCMAKE_PREFIX_PATH="$tmp/prefix" -DCMAKE_C_COMPILER="$cc" \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" -DALLIANCE_CONSUMER_STATIC=$static_option >/dev/null
"$cmake" --build "$tmp/cmake-build" >/dev/null
LD_LIBRARY_PATH="$libdir" "$tmp/cmake-build/consumer"
if is_on "$shared"; then
  # The shared consumer must really use the shared library (SONAME liballiance.so.0).
  readelf -d "$tmp/cmake-build/consumer" | grep -q 'NEEDED.*liballiance\.so\.0'
  echo "== find_package without SQLite's CMake package: a shared-library user does not need it"
  "$cmake" -S "$src" -B "$tmp/cmake-nosqlite" -DCMAKE_PREFIX_PATH="$tmp/prefix" -DCMAKE_C_COMPILER="$cc" \
      -DCMAKE_C_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" -DCMAKE_DISABLE_FIND_PACKAGE_SQLite3=ON >/dev/null
  "$cmake" --build "$tmp/cmake-nosqlite" >/dev/null
  LD_LIBRARY_PATH="$libdir" "$tmp/cmake-nosqlite/consumer"
  if "$cmake" -S "$src" -B "$tmp/cmake-nosqlite-static" -DCMAKE_PREFIX_PATH="$tmp/prefix" \
       -DCMAKE_DISABLE_FIND_PACKAGE_SQLite3=ON -DALLIANCE_CONSUMER_STATIC=ON >/dev/null 2>&1; then
    echo "find_package(alliance COMPONENTS static) succeeded without SQLite's package"; exit 1
  fi
fi
if is_on "$static"; then
  if readelf -d "$tmp/cmake-build/consumer_static" | grep -q 'NEEDED.*liballiance'; then
    echo "alliance::alliance_static consumer still needs the shared library"; exit 1
  fi
  "$tmp/cmake-build/consumer_static"
fi

echo "== pkg-config --cflags --libs alliance"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
# shellcheck disable=SC2046
"$cc" $flags -o "$tmp/consumer_pc" "$src/consumer.c" $(pkg-config --cflags --libs alliance)
if is_on "$shared"; then
  readelf -d "$tmp/consumer_pc" | grep -q 'NEEDED.*liballiance\.so\.0'
fi
LD_LIBRARY_PATH="$libdir" "$tmp/consumer_pc"

if is_on "$static"; then
  echo "== static: pkg-config --static --cflags --libs alliance"
  # The installed .pc file alone must name everything a static link needs
  # (Requires.private, Libs.private). A directory holding only liballiance.a,
  # searched first, makes -lalliance resolve to the archive.
  mkdir "$tmp/static-only"
  cp "$libdir/liballiance.a" "$tmp/static-only/"
  # shellcheck disable=SC2046
  "$cc" $flags -o "$tmp/consumer_pc_static" "$src/consumer.c" $(pkg-config --static --cflags alliance) \
      -DALLIANCE_STATIC -L"$tmp/static-only" $(pkg-config --static --libs alliance)
  if readelf -d "$tmp/consumer_pc_static" | grep -q 'NEEDED.*liballiance'; then
    echo "static consumer still needs the shared library"; exit 1
  fi
  "$tmp/consumer_pc_static"
fi
echo "consumer: the installed tree works via find_package and pkg-config (shared $shared, static $static)"
