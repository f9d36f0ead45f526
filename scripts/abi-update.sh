#!/usr/bin/env bash
# Regenerates abi/liballiance.abi, the ABI baseline that the ctest test `abi`
# compares every build with (docs/abi.md says when to do this).
# Usage: scripts/abi-update.sh [BUILD_DIR]   (default: build-abi)
#
# The baseline comes from a default build (RelWithDebInfo: -O2 -g, no
# sanitizers) of the shared library only, in its own build directory so that
# the build type is never a leftover of another configuration. Only types
# declared under include/ are kept, and nothing that depends on the machine
# (absolute paths) is written. Locations are kept as file:line: abidiff needs
# them to tell the public types (declared under include/) from private ones;
# a baseline without them (--no-show-locs) hides every struct change.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build=${1:-build-abi}

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DALLIANCE_SANITIZE=OFF \
      -DALLIANCE_BUILD_TESTS=OFF -DALLIANCE_BUILD_EXAMPLES=OFF -DALLIANCE_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" --target alliance -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
lib=$(ls "$build"/lib/liballiance.so.*.*.* | head -n 1)

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
abidw --headers-dir include --no-corpus-path --no-comp-dir-path --short-locs --no-elf-needed \
      --type-id-style hash --out-file "$tmp" "$lib"
# Compilation units are named by absolute path: keep them relative to the repository.
sed "s|path='$root/|path='|" "$tmp" > abi/liballiance.abi

functions=$(grep -c "<elf-symbol name='alliance_" abi/liballiance.abi || true)
echo "abi/liballiance.abi: $functions exported functions from $lib"
# The new baseline must describe the library it came from (a sanity check of abidw itself).
abi/check.sh abi/liballiance.abi "$lib" include abi/suppressions.abignore >/dev/null
git --no-pager diff --stat -- abi/liballiance.abi || true
