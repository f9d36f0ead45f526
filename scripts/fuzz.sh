#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fuzzes each libFuzzer target for SECONDS (default 60; CI uses 60), all five side by side
# (on 2 cores, so the whole run takes about SECONDS plus the build).
# Builds with clang into build-fuzz, runs the targets side by side, and on a crash (or timeout, leak, out-of-memory) copies the input into
# the target's corpus directory under fuzz/corpus/ as a regression input -
# replayed by the ctest tests fuzz_replay_* from then on - and fails.
# New inputs that only add coverage stay in build-fuzz/corpus-*; they are not
# committed. Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
case "$seconds" in ''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;; esac

echo "== fuzz build (clang, libFuzzer + ASan + UBSan) in build-fuzz"
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DALLIANCE_BUILD_FUZZ=ON \
  -DBUILD_TESTING=OFF -DALLIANCE_BUILD_EXAMPLES=OFF -DALLIANCE_BUILD_BENCH=OFF >/dev/null
# target:corpus:[more,seed,corpora]:max_len (directories under fuzz/corpus/; crashes go to
# the first). A package is a zip and fuzz_open's inputs are whole collection files: their
# seeds are a few KiB (a collection about 14 KB), so they may grow past the text formats' 8 KiB.
# Every input has -timeout seconds: one that loops (an endless loop over rows) is a failure.
targets=(fuzz_deck_parse:deck::8192 fuzz_anki_text:anki::8192 fuzz_deck_roundtrip:roundtrip:deck,anki:8192
         fuzz_deck_lint:lint:deck,anki:8192 fuzz_apkg:apkg::65536 fuzz_open:open::32768
         fuzz_note_roundtrip:note::8192)
names=()
for t in "${targets[@]}"; do IFS=: read -r target _ <<<"$t"; names+=("$target"); done
cmake --build build-fuzz -j 2 --target "${names[@]}"

run_one() { # target corpus more,seed,corpora max_len
  local target=$1 corpus=$2 max_len=$4 work=build-fuzz/corpus-$2 artifacts=build-fuzz/artifacts-$2/
  local seeds=("fuzz/corpus/$corpus") dict=fuzz/$corpus.dict extra dict_arg=()
  if [ -n "${3:-}" ]; then
    IFS=, read -r -a extra <<<"$3"
    for e in "${extra[@]}"; do seeds+=("fuzz/corpus/$e"); done
    [ -e "$dict" ] || dict=fuzz/${extra[0]}.dict
  fi
  [ -e "$dict" ] && dict_arg=(-dict="$dict")
  mkdir -p "$work" "$artifacts"
  # The first directory receives new inputs; the committed seeds are only read.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "build-fuzz/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
      "${dict_arg[@]}" -artifact_prefix="$artifacts" -print_final_stats=1 \
      "$work" "${seeds[@]}" >"build-fuzz/$target.log" 2>&1
}

status=0
pids=()
for t in "${targets[@]}"; do
  IFS=: read -r target corpus extra max_len <<<"$t"
  rm -rf "build-fuzz/artifacts-$corpus"
  echo "== fuzzing $target for ${seconds}s (log: build-fuzz/$target.log)"
  run_one "$target" "$corpus" "$extra" "$max_len" &
  pids+=($!)
done
i=0
for t in "${targets[@]}"; do
  IFS=: read -r target corpus _ <<<"$t"
  if wait "${pids[$i]}"; then
    echo "$target: ok ($(grep -E 'stat::number_of_executed_units' "build-fuzz/$target.log" | awk '{print $2}') runs)"
  else
    status=1
    echo "$target: FAILED (full log: build-fuzz/$target.log):"
    grep -m1 -A 25 -E '==ERROR|property failed|runtime error|ERROR: libFuzzer' "build-fuzz/$target.log" \
      || tail -n 40 "build-fuzz/$target.log"
  fi
  # Whatever libFuzzer kept as a failing input becomes a regression input.
  for f in build-fuzz/artifacts-"$corpus"/*; do
    [ -e "$f" ] || continue
    cp "$f" "fuzz/corpus/$corpus/"
    echo "$target: saved failing input as fuzz/corpus/$corpus/$(basename "$f") (commit it with the fix)"
    status=1
  done
  i=$((i + 1))
done
exit $status
