#!/bin/sh
# SPDX-License-Identifier: MIT
# Compares the ABI of a freshly built liballiance with the baseline in the
# repository and fails on any incompatible change (docs/abi.md).
# Usage: abi/check.sh BASELINE.abi LIBRARY.so
# appended.abignore, next to this script, lets fields be appended to versioned
# structs. The baseline holds only types declared in include/ (abi/dump.sh), so
# the handles' private definitions (lib/) are never compared.
#
# abidiff's exit status is a bit field: 1 error, 2 usage error, 4 the ABI
# changed, 8 the change is known to be incompatible. Bit 8 is only set for a
# removed symbol; a changed struct layout or signature sets bit 4 alone, so the
# report's summary decides: only added functions and variables may pass.
set -u
baseline=$1; lib=$2
here=$(cd "$(dirname "$0")" && pwd)

if ! command -v abidiff >/dev/null 2>&1; then
  echo "abi: abidiff not found; install abigail-tools (scripts/install-deps.sh)"; exit 1
fi
# No --headers-dir2: it also hides a field retyped to a type from a system header
# (uint32_t -> uint64_t in place). The baseline holds only public types already
# (abi/dump.sh), so private ones have nothing to be compared with.
report=$(abidiff --suppressions "$here/appended.abignore" "$baseline" "$lib" 2>&1)
status=$?
echo "abidiff $baseline $lib: exit status $status"
printf '%s\n' "$report"

fail() { echo "abi: FAIL: $*"; echo "abi: if the break is deliberate, bump the SONAME and run scripts/abi-update.sh (docs/abi.md)"; exit 1; }

[ $((status & 3)) -eq 0 ] || fail "abidiff could not compare the two (exit status $status)"
[ $((status & 8)) -eq 0 ] || fail "incompatible change (ABIDIFF_ABI_INCOMPATIBLE_CHANGE): a function or variable was removed"
if [ $((status & 4)) -ne 0 ]; then
  # Additions are counted under "Added" and pass; anything removed or changed fails.
  summary=$(printf '%s\n' "$report" | grep -E 'changes summary:|SONAME|architecture' || true)
  printf '%s\n' "$summary" | awk '
    /changes summary:/ {
      line = $0
      removed = 0; changed = 0
      if (match(line, /[0-9]+ Removed/)) removed = substr(line, RSTART, RLENGTH) + 0
      # "N Changed (M filtered out)": the M suppressed or redundant ones are not in N.
      if (match(line, /[0-9]+ Changed/)) changed = substr(line, RSTART, RLENGTH) + 0
      if (removed > 0 || changed > 0) bad = 1
      next
    }
    /SONAME|architecture/ { bad = 1 }
    END { exit bad ? 1 : 0 }' || fail "a function, variable, struct layout or the SONAME changed (see the report above)"
  if ! printf '%s\n' "$summary" | grep -q 'changes summary:'; then
    fail "abidiff reports a change its summary does not explain (see the report above)"
  fi
fi
# The suppression lets a versioned struct grow "at its end", but libabigail only
# checks where the new field starts: a field inserted before the old last one
# at an offset equal to the old size (a uint64_t after a lone uint32_t) passes
# it, and so does a field widened into the padding after it. So the report without that suppression must not show any existing field
# moved, retyped or deleted, whichever public struct it is in.
raw=$(abidiff "$baseline" "$lib" 2>&1)
moved=$(printf '%s\n' "$raw" | grep -E "offset changed|data members? deletion|type of '|type name changed" || true)
if [ -n "$moved" ]; then
  printf '%s\n' "--- abidiff without appended.abignore:" "$raw"
  fail "an existing field moved, changed type or was deleted: $(printf '%s' "$moved" | head -n 1 | sed 's/^ *//')"
fi
echo "abi: compatible with the baseline"
