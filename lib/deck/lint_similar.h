/* SPDX-License-Identifier: MIT */
/*
 * lint_similar.h - the deck lint's three comparisons between notes: notes that
 * ask nearly the same thing, choice notes that share their wrong options, and
 * cloze deletions that hide what another card answers. Text only, no I/O.
 * The measure and its thresholds are documented in docs/deck-format.md
 * ("Writing good cards"). Nothing here is API.
 */
#ifndef ALLIANCE_LINT_SIMILAR_H
#define ALLIANCE_LINT_SIMILAR_H

#include "deck/deck.h"
#include "deck/lint_text.h"

#include <stdint.h>

/* A cloze deletion whose words are all in another card's answer (or the other way round)
 * and whose similarity to it is at least this is "another card's answer". */
#define ALLIANCE__LINT_BLANK_SIMILARITY 0.6

/* Wrong options shared by more notes than this are generic ("None of the above") and
 * do not make two notes look alike. */
#define ALLIANCE__LINT_OPTION_SHARERS_MAX 64u

/* What the comparisons find, reported as they are found. A hook returns 0 to go on, or an
 * ALLIANCE_E* code (ALLIANCE_ENOMEM) to stop. Notes are indexes into deck->notes. */
typedef struct alliance__lint_similar_hooks {
    void *ctx;
    /* `note` asks nearly what the earlier `other` asks: the most similar earlier note,
     * once per note; similarity in thousandths. */
    int (*near_duplicate)(void *ctx, uint32_t note, uint32_t other, uint32_t similarity_milli);
    /* The choice note `note` shares two wrong options (`first`, `second`, as written in
     * `note`) with the earlier `other`, and their answers share a word. Once per note. */
    int (*shared_options)(void *ctx, uint32_t note, uint32_t other, const char *first, const char *second);
    /* Deletion `number` of the cloze `note` hides what card `other` answers (its deletion
     * `other_number` when it is a cloze, else 0). Once per deletion number. */
    int (*blank_is_answer)(void *ctx, uint32_t note, uint32_t number, uint32_t other, uint32_t other_number,
                           uint32_t similarity_milli);
    /* The comparison `what` ("near-duplicate", "shared-option", "blank-is-answer") used
     * up its work_max steps and stopped before `note`: no note from there on was looked at. */
    int (*incomplete)(void *ctx, uint32_t note, const char *what);
} alliance__lint_similar_hooks;

/* Runs the three comparisons over every note of `deck`, with `threshold` (0..1] as the
 * near-duplicate cosine and at most `work_max` steps of work each (index entries visited
 * plus words compared). `titles` holds the deck's source titles (and their short forms)
 * lower-cased and normalised, each followed by '\0', `titles_len` bytes in all: they are
 * blanked out of every prompt first, so that naming the same article does not make two
 * prompts alike. Returns 0, ALLIANCE_ENOMEM, or the first non-zero return of a hook. */
int alliance__lint_similar(const alliance__deck *deck, alliance__words *words, const char *titles,
                           size_t titles_len, double threshold, uint64_t work_max,
                           const alliance__lint_similar_hooks *hooks);

/* The option as the comparisons see it: normalised (alliance__text_normalise), ASCII
 * lower case, a final '.' dropped. Appended to *out (emptied first). ALLIANCE_ENOMEM. */
int alliance__lint_option_key(alliance__buf *out, const char *option, size_t len);

#endif /* ALLIANCE_LINT_SIMILAR_H */
