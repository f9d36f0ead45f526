# SPDX-License-Identifier: MIT
# Included by tests/CMakeLists.txt, whatever ALLIANCE_BUILD_FUZZ says: each fuzz
# target is built with the ordinary compiler and replay.c's main(), and replays
# its corpus (seeds and every input that once crashed) as a ctest test. In the
# sanitizer build (ALLIANCE_SANITIZE) the replay runs under ASan and UBSan too.
set(ALLIANCE_FUZZ_DIR ${PROJECT_SOURCE_DIR}/fuzz)

# alliance_fuzz_replay(TARGET CORPUS [EXTRA_INPUT...]): test fuzz_replay_<CORPUS>.
function(alliance_fuzz_replay target corpus)
  add_executable(replay_${target} ${ALLIANCE_FUZZ_DIR}/${target}.c
                                  ${ALLIANCE_FUZZ_DIR}/check_report.c ${ALLIANCE_FUZZ_DIR}/replay.c)
  target_compile_definitions(replay_${target} PRIVATE _POSIX_C_SOURCE=200809L)
  target_include_directories(replay_${target} PRIVATE ${PROJECT_SOURCE_DIR}/lib) # the round trip uses internals
  target_link_libraries(replay_${target} PRIVATE alliance_static)
  add_test(NAME fuzz_replay_${corpus}
           COMMAND replay_${target} ${ALLIANCE_FUZZ_DIR}/corpus/${corpus} ${ARGN})
  set_tests_properties(fuzz_replay_${corpus} PROPERTIES LABELS "fuzz" TIMEOUT 300)
endfunction()

alliance_fuzz_replay(fuzz_deck_parse deck ${PROJECT_SOURCE_DIR}/decks/therapeutic-alliance.deck)
alliance_fuzz_replay(fuzz_anki_text anki)
# The round trip starts from both formats' seeds as well as its own corpus.
alliance_fuzz_replay(fuzz_deck_roundtrip roundtrip ${ALLIANCE_FUZZ_DIR}/corpus/deck ${ALLIANCE_FUZZ_DIR}/corpus/anki
                     ${PROJECT_SOURCE_DIR}/decks/therapeutic-alliance.deck)
# The lint reads any deck that parses; its seeds are its own corpus, the deck corpus and both decks.
alliance_fuzz_replay(fuzz_deck_lint lint ${ALLIANCE_FUZZ_DIR}/corpus/deck ${ALLIANCE_FUZZ_DIR}/corpus/anki
                     ${PROJECT_SOURCE_DIR}/decks/therapeutic-alliance.deck
                     ${PROJECT_SOURCE_DIR}/tests/data/lint/first-edition.deck)
# The package reader replays its seeds and the packages of the apkg suite (tests/data/anki).
alliance_fuzz_replay(fuzz_apkg apkg ${PROJECT_SOURCE_DIR}/tests/data/anki)
# Arbitrary bytes opened as a collection (seeds: small collections from fuzz/make_seeds.py).
alliance_fuzz_replay(fuzz_open open)
# Notes through the API, exported and imported again.
alliance_fuzz_replay(fuzz_note_roundtrip note)
