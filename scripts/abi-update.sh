#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Regenerates abi/liballiance.abi, the ABI baseline that the ctest test `abi`
# compares every build with (docs/abi.md says when to do this).
# Usage: scripts/abi-update.sh [BUILD_DIR]   (default: build-abi)
#
# The baseline comes from a default build (RelWithDebInfo: -O2 -g, no
# sanitizers) of the shared library only, in its own build directory so that
# the build type is never a leftover of another configuration. abi/dump.sh
# says what is kept in the file and why.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build=${1:-build-abi}

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DALLIANCE_SANITIZE=OFF \
      -DBUILD_TESTING=OFF -DALLIANCE_BUILD_EXAMPLES=OFF -DALLIANCE_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" --target alliance -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
lib=$(ls "$build"/lib/liballiance.so.*.*.* | head -n 1)

abi/dump.sh "$lib" include abi/liballiance.abi "$root"

functions=$(grep -c "<elf-symbol name='alliance_" abi/liballiance.abi || true)
echo "abi/liballiance.abi: $functions exported functions from $lib"
# The new baseline must describe the library it came from (a sanity check of abidw itself).
abi/check.sh abi/liballiance.abi "$lib" >/dev/null
git --no-pager diff --stat -- abi/liballiance.abi || true
