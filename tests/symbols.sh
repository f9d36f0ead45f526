#!/bin/sh
# Exported symbols of the shared library == functions declared ALLIANCE_API in the header,
# compared both ways; every exported symbol starts with alliance_.
set -eu
so=$1
header=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nm -D --defined-only "$so" | awk '$2 ~ /^[TtWwDdBbRr]$/ {print $3}' | sed 's/@.*//' | sort -u > "$tmp/exported"
# Declarations look like: ALLIANCE_API <type> [*]alliance_name(
tr '\n' ' ' < "$header" | grep -o 'ALLIANCE_API [^;(]*(' | grep -o 'alliance_[a-z0-9_]*' | sort -u > "$tmp/declared"
status=0
if grep -v '^alliance_' "$tmp/exported" > "$tmp/bad"; then
  echo "exported symbols without the alliance_ prefix:"; cat "$tmp/bad"; status=1
fi
comm -23 "$tmp/exported" "$tmp/declared" > "$tmp/extra"
comm -13 "$tmp/exported" "$tmp/declared" > "$tmp/missing"
if [ -s "$tmp/extra" ]; then echo "exported but not declared in the header:"; cat "$tmp/extra"; status=1; fi
if [ -s "$tmp/missing" ]; then echo "declared in the header but not exported:"; cat "$tmp/missing"; status=1; fi
echo "symbols: $(wc -l < "$tmp/exported") exported, $(wc -l < "$tmp/declared") declared"
exit $status
