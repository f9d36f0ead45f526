/* SPDX-License-Identifier: MIT */
/*
 * answer.h - answering and undoing, for session.c (which keeps its queue in
 * step). The caller holds the handle's mutex; failures are recorded on it.
 */
#ifndef ALLIANCE_ANSWER_H
#define ALLIANCE_ANSWER_H

#include "store/handle.h"

/* alliance_answer() without the locking, for an answer of `kind` (ALLIANCE__KIND_*,
 * core/review_step.h); *out_card_pk (may be NULL) gets the card's row. */
int alliance__answer(alliance_db *db, const char *card_id, int grade, int64_t now, uint32_t answer_ms,
                     uint32_t kind, alliance_sm2_state *out_after, int64_t *out_card_pk);

/* alliance_undo() without the locking; *out_card_pk and *out_deck_id (each may
 * be NULL) get the card's row and its deck. */
int alliance__undo(alliance_db *db, char **out_card_id, int64_t *out_card_pk, int64_t *out_deck_id);

#endif /* ALLIANCE_ANSWER_H */
