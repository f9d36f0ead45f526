/* SPDX-License-Identifier: MIT */
/*
 * replay.h - a card's schedule as the replay of its merged review log. answer.c
 * (undo) and lib/sync/apply.c rewrite a card's caches with it; alliance_verify
 * compares them. The caller holds the handle's mutex.
 */
#ifndef ALLIANCE_REPLAY_H
#define ALLIANCE_REPLAY_H

#include "store/schedule.h"

typedef struct alliance__replayed {
    alliance_sm2_state state;
    int64_t due_day;
    int64_t last_review_day;
    uint32_t reviews;
    uint32_t lapses;
    uint32_t leech;
    uint32_t suspended;
    alliance__fsrs_track fsrs; /* all zeros under SM-2 */
    uint64_t rows_differ; /* review rows whose stored caches differ from the replay */
} alliance__replayed;

/* The scheduler a replay follows: the collection's (alliance__replay_how_get). */
typedef struct alliance__replay_how {
    uint32_t scheduler; /* ALLIANCE_SCHEDULER_* */
    alliance_fsrs_params fsrs;
} alliance__replay_how;

/* Replays the card `s` describes (card_id names it in messages). With write != 0,
 * rewrites every review row's caches and the card's scheduling columns to the
 * replay (inside the caller's transaction); otherwise only compares. */
int alliance__replay_card(alliance_db *db, const char *card_id, const alliance__sched *s, int write,
                          alliance__replayed *out);

/* The collection's scheduler and FSRS parameters (the settings of this call). */
int alliance__replay_how_get(alliance_db *db, alliance__replay_how *out);

/* One answer in an FSRS track (grade 0..5, read as a rating; elapsed_days -1 for a card's
 * first answer, else days since the previous one): what answer.c and replay share. */
int alliance__fsrs_answer(alliance_db *db, const char *card_id, const alliance_fsrs_params *params,
                          alliance__fsrs_track *track, int grade, int64_t elapsed_days);

/* Whether the stored scheduling columns of `s` equal the replay. */
int alliance__replay_matches(const alliance__sched *s, const alliance__replayed *r);

#endif /* ALLIANCE_REPLAY_H */
