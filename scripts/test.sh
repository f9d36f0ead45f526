#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The whole test suite: a warnings-as-errors build and its ctest run, then the
# same suite again built with AddressSanitizer + UndefinedBehaviorSanitizer.
# Usage: scripts/test.sh [--quick]   (--quick: skip the sanitizer pass)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc 2>/dev/null || echo 2)

echo "== build (-Wall -Wextra -Werror)"
cmake -S . -B build -DALLIANCE_WERROR=ON -DALLIANCE_BUILD_BOTH=ON >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

if [ "${1:-}" != "--quick" ]; then
  echo "== build with AddressSanitizer + UndefinedBehaviorSanitizer"
  cmake -S . -B build-asan -DALLIANCE_WERROR=ON -DALLIANCE_BUILD_BOTH=ON -DALLIANCE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
  cmake --build build-asan -j "$jobs"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs"
fi
