/* SPDX-License-Identifier: MIT */
/*
 * retrievability.c - the predicted probability of recall an alliance_card
 * carries: FSRS's forgetting curve at the days elapsed since the card's last
 * review, with the collection's parameters (the same deterministic math that
 * schedules, so every platform shows the same figure). Only calls given a
 * `now` compute it: the library never reads the clock.
 */
#include "study/retrievability.h"
#include "store/handle.h"
#include "store/schedule.h"
#include "store/store.h"

int alliance__card_retrievability(alliance_db *db, alliance_card *card, int64_t today)
{
    uint32_t scheduler;
    alliance_fsrs_params params;
    int rc = alliance__db_scheduler(db, &scheduler, &params);
    if (rc)
        return rc;
    card->retrievability_day = today;
    card->fsrs_retrievability = 0.0;
    if (scheduler != ALLIANCE_SCHEDULER_FSRS || card->reviews == 0 || card->fsrs.stability == 0.0)
        return ALLIANCE_OK;
    /* A last review after today (the clock went back) counts as none elapsed. */
    int64_t elapsed = card->last_review_day < 0 || today <= card->last_review_day ? 0 : today - card->last_review_day;
    uint32_t days = elapsed > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)elapsed;
    double r;
    rc = alliance_fsrs_retrievability(&params, &card->fsrs, days, &r);
    if (rc == ALLIANCE_ESTATE)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT,
                                   "card \"%s\": its stored FSRS state (stability %g, difficulty %g, interval %u) "
                                   "is one no answer produces (alliance_verify finds it)",
                                   card->id, card->fsrs.stability, card->fsrs.difficulty, card->fsrs.interval_days);
    if (rc)
        return alliance__error_set(&db->error, rc, "card \"%s\": computing its retrievability failed", card->id);
    card->fsrs_retrievability = r;
    return ALLIANCE_OK;
}

int alliance_card_get_at(alliance_db *db, const char *card_id, int64_t now, alliance_card **out)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!card_id || !out)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "alliance_card_get_at: card_id or out is NULL"));
    int64_t today;
    alliance_card *card = NULL;
    int began = alliance__store_read_begin(db);
    rc = alliance__db_today(db, now, &today);
    if (rc == ALLIANCE_OK)
        rc = alliance__store_card_by_id(db, card_id, &card);
    if (rc == ALLIANCE_OK && (rc = alliance__card_retrievability(db, card, today)) != ALLIANCE_OK) {
        alliance__free(card);
        card = NULL;
    }
    alliance__store_read_end(db, began);
    if (rc == ALLIANCE_OK)
        *out = card;
    return alliance__db_leave(db, rc);
}
