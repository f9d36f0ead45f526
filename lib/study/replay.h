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
    uint64_t rows_differ; /* review rows whose stored caches differ from the replay */
} alliance__replayed;

/* Replays the card `s` describes (card_id names it in messages). With write != 0,
 * rewrites every review row's caches and the card's scheduling columns to the
 * replay (inside the caller's transaction); otherwise only compares. */
int alliance__replay_card(alliance_db *db, const char *card_id, const alliance__sched *s, int write,
                          alliance__replayed *out);

/* Whether the stored scheduling columns of `s` equal the replay. */
int alliance__replay_matches(const alliance__sched *s, const alliance__replayed *r);

#endif /* ALLIANCE_REPLAY_H */
