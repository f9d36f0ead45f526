#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The newcomer's first command: install what is missing, build quietly, and
# start a drill session on the bundled deck. Arguments go to alliance-drill:
#   scripts/drill.sh              study today's cards
#   scripts/drill.sh stats        or any other command (see --help)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
log="$root/build/drill-build.log"
mkdir -p "$root/build"
# Only the tool's target (and the library it needs) is built: no test suites,
# so the first run is quick. No -D options: build/ is shared with scripts/test.sh.
if ! { cmake -S "$root" -B "$root/build" \
         && cmake --build "$root/build" -j "$(nproc 2>/dev/null || echo 2)" --target alliance-drill; } >"$log" 2>&1; then
  tail -n 30 "$log" >&2
  echo "drill.sh: the build failed; the whole log is in $log" >&2
  exit 1
fi
exec "$root/build/examples/drill/alliance-drill" "$@"
