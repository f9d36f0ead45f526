/* SPDX-License-Identifier: MIT */
/*
 * review_step.h - one answer's effect on a card's schedule, whatever kind of
 * answer it is (docs/study-modes.md): the plain SM-2 step, the review-ahead
 * step, or a preview (no effect), then the fuzz of the due day. Answering and
 * replay both call this, so they cannot disagree. Pure.
 */
#ifndef ALLIANCE_REVIEW_STEP_H
#define ALLIANCE_REVIEW_STEP_H

#include "core/internal.h"

/* The kinds of answer, as recorded in a review row. */
#define ALLIANCE__KIND_REVIEW  0u /* an answer of an ordinary session */
#define ALLIANCE__KIND_PREVIEW 1u /* a cram preview: logged, changes nothing */
#define ALLIANCE__KIND_AHEAD   2u /* a review ahead: scored on the real elapsed days */

typedef struct alliance__review_step {
    /* in */
    const alliance_sm2_params *params; /* the parameters the answer is scheduled with */
    alliance_sm2_state before;         /* the state it starts from (new, or adapted to params) */
    uint32_t kind;                     /* ALLIANCE__KIND_* */
    int grade;
    int64_t elapsed_days;              /* since the last scheduling review; -1 for a new card */
    uint32_t fuzz;                     /* 1 if fuzz was on for this answer */
    const char *card_id;               /* the fuzz seed's inputs: the card id... */
    uint32_t review_count;             /* ...and its scheduling reviews before this one */
    /* out */
    alliance_sm2_state after;          /* = before for a preview */
    int32_t fuzz_days;                 /* f: the due day moves by this many days (0 unless fuzzed) */
} alliance__review_step;

/* Fills step->after and step->fuzz_days. Returns 0, ALLIANCE_EINVAL for an
 * unknown kind, or alliance_sm2_next's codes (nothing written on failure). */
int alliance__review_step_run(alliance__review_step *step);

/* The SM-2 due day after a scheduling answer on `day`: day if a same-day repeat
 * is owed, else day + interval + fuzz_days. */
int64_t alliance__review_step_due(const alliance__review_step *step, int64_t day);

#endif /* ALLIANCE_REVIEW_STEP_H */
