#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs the build tree into a temporary prefix, then builds and runs the
# consumer three ways: CMake find_package (shared), pkg-config (shared), static.
set -eu
build=$1; src=$2; cmake=$3; cc=$4
# Extra compiler flags (the sanitizer build passes its -fsanitize flags here).
flags=${5:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$cmake" --install "$build" --prefix "$tmp/prefix" >/dev/null
libdir=$(ls -d "$tmp"/prefix/lib*/pkgconfig | head -n 1 | xargs dirname)

echo "== find_package(alliance CONFIG REQUIRED)"
"$cmake" -S "$src" -B "$tmp/cmake-build" -DCMAKE_PREFIX_PATH="$tmp/prefix" -DCMAKE_C_COMPILER="$cc" \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" >/dev/null
"$cmake" --build "$tmp/cmake-build" >/dev/null
LD_LIBRARY_PATH="$libdir" "$tmp/cmake-build/consumer_shared"
"$tmp/cmake-build/consumer_static"
if readelf -d "$tmp/cmake-build/consumer_static" | grep -q 'NEEDED.*liballiance'; then
  echo "alliance::alliance_static consumer still needs the shared library"; exit 1
fi
# The shared consumer must really use the shared library (SONAME liballiance.so.0).
readelf -d "$tmp/cmake-build/consumer_shared" | grep -q 'NEEDED.*liballiance\.so\.0'

echo "== pkg-config --cflags --libs alliance"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
# shellcheck disable=SC2046
"$cc" $flags -o "$tmp/consumer_pc" "$src/consumer.c" $(pkg-config --cflags --libs alliance)
readelf -d "$tmp/consumer_pc" | grep -q 'NEEDED.*liballiance\.so\.0'
LD_LIBRARY_PATH="$libdir" "$tmp/consumer_pc"

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
echo "consumer: installed tree works via find_package, pkg-config and static linking"
