#!/bin/sh
# SPDX-License-Identifier: MIT
# Writes the ABI of a shared library as abidw sees it, in the form the
# baseline abi/liballiance.abi is kept in (used by scripts/abi-update.sh and
# abi/selftest.sh, so that both make baselines the same way).
# Usage: abi/dump.sh LIBRARY.so HEADERS_DIR OUT.abi [SOURCE_ROOT]
#
# Only types declared under HEADERS_DIR are kept (--drop-private-types: without
# it lib/ structs end up in the file and churn it). Locations stay, as
# file:line: abidiff needs them to tell public types from private ones (a
# baseline without them, --no-show-locs, makes every struct change look private
# and hides it). Absolute compilation-unit paths under SOURCE_ROOT are made
# relative, so the file does not depend on where the repository lives.
set -eu
lib=$1; headers=$2; out=$3; root=${4:-}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
abidw --headers-dir "$headers" --drop-private-types --drop-undefined-syms --no-corpus-path \
      --no-comp-dir-path --short-locs --no-elf-needed \
      --type-id-style hash --out-file "$tmp" "$lib"
# Where a function is defined inside the library (a .c file) is no part of its ABI
# and moves with every edit of lib/: those locations are left out (the header's stay).
sed -E "s| filepath='[^']*\.c' line='[0-9]+' column='[0-9]+'||" "$tmp" |
  if [ -n "$root" ]; then sed "s|path='$root/|path='|"; else cat; fi > "$out"
