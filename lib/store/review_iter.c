/* SPDX-License-Identifier: MIT */
/*
 * review_iter.c - reading the review log in its merged order, one row per call
 * (keyset paging on (sort_time, origin, seq): no statement stays open between calls).
 */
#include "core/fsrs_text.h"
#include "store/schedule.h"

#include <stddef.h>
#include <string.h>

struct alliance_review_iter {
    alliance__attached attached;
    int64_t card_pk;   /* 0: every card */
    alliance__log_key last; /* the place of the last row returned */
    int done;
    char card_id[512]; /* what out->card_id points to until the next call */
};

int alliance_review_init(alliance_review *review, uint32_t version)
{
    if (!review)
        return ALLIANCE_EINVAL;
    /* Version 1 (without origin_replica, origin_seq), 2 (without scheduler, fsrs_params), 3
     * (without import_id) or 4: exactly the layout asked for. */
    if (version < 1 || version > ALLIANCE_REVIEW_VERSION)
        return ALLIANCE_EVERSION;
    memset(review, 0, version == 1   ? offsetof(alliance_review, origin_replica)
                      : version == 2 ? offsetof(alliance_review, scheduler)
                      : version == 3 ? offsetof(alliance_review, import_id)
                                     : sizeof *review);
    review->version = version;
    /* The embedded parameters are a valid set, as ALLIANCE_REVIEW_INIT's. */
    alliance_sm2_params_init(&review->params, ALLIANCE_SM2_SUPERMEMO);
    return ALLIANCE_OK;
}

int alliance_review_iter_open(alliance_review_iter **out, alliance_db *db, const char *card_id)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!out)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL, "alliance_review_iter_open: out is NULL"));
    alliance__sched s = { 0 };
    if (card_id && (rc = alliance__store_sched_get(db, card_id, &s)) != ALLIANCE_OK)
        return alliance__db_leave(db, rc);
    alliance_review_iter *iter = alliance__calloc(1, sizeof *iter);
    if (!iter)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_ENOMEM, "out of memory"));
    iter->card_pk = s.pk;
    alliance__log_key start = ALLIANCE__LOG_START;
    iter->last = start;
    alliance__db_attach(db, &iter->attached);
    *out = iter;
    return alliance__db_leave(db, ALLIANCE_OK);
}

static int fill_review(alliance_db *db, alliance_review *out, const alliance__review_row *row, const char *card_id)
{
    if (out->version >= 3) {
        alliance_fsrs_params fsrs;
        memset(&fsrs, 0, sizeof fsrs); /* under SM-2: all zeros, version 0 */
        if (row->scheduler == ALLIANCE_SCHEDULER_FSRS &&
            alliance__fsrs_params_decode(row->fsrs_params, strlen(row->fsrs_params), &fsrs) != ALLIANCE_OK)
            return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "%s is damaged: the FSRS parameters recorded "
                                       "with review %lld of card \"%s\" are not parameters",
                                       alliance__db_file(db), (long long)row->id, card_id);
        out->scheduler = row->scheduler;
        out->fsrs_params = fsrs;
    }
    if (out->version >= 2) {
        out->origin_replica = row->origin;
        out->origin_seq = row->seq;
    }
    if (out->version >= 4)
        out->import_id = row->import_id;
    out->review_id = row->id;
    out->card_id = card_id;
    out->time = row->time;
    out->day = row->day;
    out->grade = row->grade;
    out->before = row->before;
    out->after = row->after;
    out->elapsed_days = row->elapsed_days;
    out->answer_ms = row->answer_ms;
    out->params = row->params;
    return ALLIANCE_OK;
}

int alliance_review_iter_next(alliance_review_iter *iter, alliance_review *out)
{
    int rc = alliance__attached_enter(iter ? &iter->attached : NULL);
    if (rc)
        return rc;
    alliance_db *db = iter->attached.db;
    if (!out)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL, "alliance_review_iter_next: out is NULL"));
    if (out->version < 1 || out->version > ALLIANCE_REVIEW_VERSION)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EVERSION,
                                                          "alliance_review_iter_next: unknown version %u", (unsigned)out->version));
    if (iter->done)
        return alliance__db_leave(db, ALLIANCE_DONE);
    alliance__review_row row;
    rc = alliance__log_next(db, &iter->last, iter->card_pk, &row);
    if (rc == ALLIANCE_DONE)
        iter->done = 1;
    if (rc == ALLIANCE_OK) {
        iter->last.sort_time = row.sort_time;
        iter->last.origin = row.origin;
        iter->last.seq = row.seq;
        memcpy(iter->card_id, row.card_id, sizeof iter->card_id);
        rc = fill_review(db, out, &row, iter->card_id);
    }
    return alliance__db_leave(db, rc);
}

void alliance_review_iter_free(alliance_review_iter *iter)
{
    if (!iter)
        return;
    alliance__attached_release(&iter->attached);
    alliance__free(iter);
}
