#!/bin/sh
# SPDX-License-Identifier: MIT
# Exported symbols of the shared library == functions declared ALLIANCE_API in the header,
# compared both ways; every exported symbol is a function and starts with alliance_.
# The static library (liballiance.a next to the shared one, or $3) cannot hide
# anything, so its global symbols must at least stay in the alliance_ namespace
# (alliance__name for internals) and never collide with a program's own.
# Usage: symbols.sh LIBALLIANCE.so include/alliance.h [LIBALLIANCE.a]
set -eu
so=$1
header=$2
archive=${3:-$(dirname "$so")/liballiance.a}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

[ -f "$so" ] || { echo "symbols: no shared library at $so"; exit 1; }
[ -f "$archive" ] || { echo "symbols: no static library at $archive"; exit 1; }

# Dynamic symbols defined by the library: "NAME TYPE". Versions (@...) are stripped.
nm -D --defined-only "$so" | awk 'NF == 3 {sub(/@.*/, "", $3); print $3, $2}' | sort -u > "$tmp/dynamic"
# A sanitizer runtime or the toolchain may add its own (not our API, not visible to C programs).
grep -Ev '^(__asan_|__ubsan_|__sanitizer_|__odr_asan|_init |_fini |__bss_start |_edata |_end )' \
    "$tmp/dynamic" > "$tmp/ours" || true
awk '{print $1}' "$tmp/ours" | sort -u > "$tmp/exported"

# Declarations look like: ALLIANCE_API <type> [*]alliance_name(...). Comments are removed
# first (a comment may quote an old declaration), then the name just before "(" is taken,
# so a return type spelled alliance_something is never mistaken for a function.
tr '\n' ' ' < "$header" | sed 's|/\*[^*]*\*\+\([^/*][^*]*\*\+\)*/| |g' |
  grep -o 'ALLIANCE_API [^;(]*(' | sed 's/.*[^a-z0-9_]\(alliance_[a-z0-9_]*\)[[:space:]]*($/\1/' |
  grep '^alliance_' | sort > "$tmp/declared_all"
sort -u "$tmp/declared_all" > "$tmp/declared"
if [ "$(wc -l < "$tmp/declared_all")" -ne "$(wc -l < "$tmp/declared")" ]; then
  echo "declared twice in the header:"; uniq -d "$tmp/declared_all"; status=1
fi
if [ ! -s "$tmp/declared" ]; then echo "no ALLIANCE_API declaration found in $header"; status=1; fi

if grep -v '^alliance_' "$tmp/exported" > "$tmp/bad"; then
  echo "exported symbols without the alliance_ prefix:"; cat "$tmp/bad"; status=1
fi
# The API has functions only (no variables): a data symbol is a leaked global.
if awk '$2 !~ /^[TtWwi]$/' "$tmp/ours" | grep . > "$tmp/data"; then
  echo "exported symbols that are not functions:"; cat "$tmp/data"; status=1
fi
comm -23 "$tmp/exported" "$tmp/declared" > "$tmp/extra"
comm -13 "$tmp/exported" "$tmp/declared" > "$tmp/missing"
if [ -s "$tmp/extra" ]; then echo "exported but not declared in the header:"; cat "$tmp/extra"; status=1; fi
if [ -s "$tmp/missing" ]; then echo "declared in the header but not exported:"; cat "$tmp/missing"; status=1; fi

# Static library: every global definition is alliance_* (API) or alliance__* (internal).
nm -g --defined-only "$archive" 2>/dev/null | awk 'NF == 3 {print $3}' |
  grep -Ev '^(__asan_|__ubsan_|__sanitizer_|__odr_asan)' | sort -u > "$tmp/static"
if grep -v '^alliance_' "$tmp/static" > "$tmp/static_bad"; then
  echo "global symbols of $(basename "$archive") outside the alliance_ namespace:"; cat "$tmp/static_bad"; status=1
fi
comm -13 "$tmp/static" "$tmp/declared" > "$tmp/static_missing"
if [ -s "$tmp/static_missing" ]; then
  echo "declared in the header but not defined in $(basename "$archive"):"; cat "$tmp/static_missing"; status=1
fi

echo "symbols: $(wc -l < "$tmp/exported") exported, $(wc -l < "$tmp/declared") declared," \
     "$(wc -l < "$tmp/static") global in $(basename "$archive")"
exit $status
