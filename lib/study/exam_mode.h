/* SPDX-License-Identifier: MIT */
/*
 * exam_mode.h - exam mode as the study room uses it (docs/study-modes.md, "An exam date per
 * deck"): a card's due day as seen today, and a deck's pace. The caller holds the mutex.
 */
#ifndef ALLIANCE_EXAM_MODE_H
#define ALLIANCE_EXAM_MODE_H

#include "store/handle.h"

/* The due day on `today` of a learned card of deck_id whose last scheduling review was on
 * last_review_day and whose SM-2 due day is due_day: the clamp of the deck's exam applied. */
int alliance__exam_card_due(alliance_db *db, int64_t deck_id, int64_t today, int64_t last_review_day,
                            int64_t due_day, int64_t *out);

/* Whether a deck in scope (deck_id, or every deck for 0) has an exam after `today`. */
int alliance__exam_any_ahead(alliance_db *db, int64_t today, int64_t deck_id, int *out);

/* The status of deck_id's exam `exam` on `today` (out->version is the caller's). */
int alliance__exam_status_of(alliance_db *db, int64_t deck_id, const alliance__exam *exam, int64_t today,
                             alliance_exam_status *out);

#endif /* ALLIANCE_EXAM_MODE_H */
