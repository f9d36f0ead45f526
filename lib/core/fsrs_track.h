/* SPDX-License-Identifier: MIT */
/*
 * fsrs_track.h - a card's FSRS state as the replay of its review log (docs/fsrs.md,
 * "Design: FSRS in a collection"): the first answer is the new-card step, an answer
 * on a later day than the previous one is a step over the days between, and an
 * answer on the same day is a drill that leaves the memory state as it is. Pure
 * (it only calls alliance_fsrs_next); nothing here is API.
 */
#ifndef ALLIANCE_FSRS_TRACK_H
#define ALLIANCE_FSRS_TRACK_H

#include "core/internal.h"

typedef struct alliance__fsrs_track {
    alliance_fsrs_state state; /* all zeros before the first answer */
    uint32_t drill;            /* 1 after an Again: the card is due again the same day */
} alliance__fsrs_track;

/* One answer: `rating` 1..4, `elapsed_days` -1 for the card's first answer, 0 for
 * another answer on the day of the previous one, else the days since it.
 * 0, or the code of alliance_fsrs_next (params, rating, state); *out untouched then.
 * `in` and `out` may be the same. */
int alliance__fsrs_track_step(const alliance_fsrs_params *params, const alliance__fsrs_track *in, int rating,
                              int64_t elapsed_days, alliance__fsrs_track *out);

/* Days from the answer to the next time the card is due: 0 while a drill is owed. */
uint32_t alliance__fsrs_track_due_in(const alliance__fsrs_track *track);

/* Whether an answer is a lapse under FSRS: Again, on a card answered before, on
 * another day than its previous answer (a drill's Again is not one). */
int alliance__fsrs_track_is_lapse(const alliance__fsrs_track *before, int rating, int64_t elapsed_days);

#endif /* ALLIANCE_FSRS_TRACK_H */
