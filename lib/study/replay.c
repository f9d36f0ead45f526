/* SPDX-License-Identifier: MIT */
/*
 * replay.c - rebuilding a card's schedule from its review log, and checking
 * every card against it. Reads only. Proves that the log alone is enough to
 * recover each card (and to train another scheduler on it later).
 */
#include "store/schedule.h"
#include "core/sm2.h"

#include <stdio.h>

typedef struct replayed {
    alliance_sm2_state state;
    int64_t due_day;
    int64_t last_review_day;
    uint32_t reviews;
} replayed;

/* Replays the log of the card `s` describes. A card never answered keeps its
 * stored state: there is nothing to replay. */
static int replay_card(alliance_db *db, const char *card_id, const alliance__sched *s, replayed *out)
{
    out->state = s->state;
    out->due_day = s->due_day;
    out->last_review_day = s->last_review_day;
    out->reviews = 0;
    alliance__review_row row;
    int64_t after_id = 0;
    int rc;
    while ((rc = alliance__log_next(db, after_id, s->pk, &row)) == ALLIANCE_OK) {
        after_id = row.id;
        /* The first answer starts from a new card under the parameters it recorded. */
        if (out->reviews == 0 && alliance_sm2_state_init(&row.params, &out->state) != ALLIANCE_OK)
            return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "card \"%s\": review %lld records invalid "
                                       "SM-2 parameters", card_id, (long long)row.id);
        alliance__sm2_adapt(&row.params, &out->state); /* as alliance_answer does */
        rc = alliance_sm2_next(&row.params, &out->state, row.grade, &out->state);
        if (rc != ALLIANCE_OK)
            return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "card \"%s\": review %lld cannot be replayed (%s)",
                                       card_id, (long long)row.id, alliance_strerror(rc));
        out->due_day = row.day + (out->state.repeat_today ? 0 : out->state.interval_days);
        out->last_review_day = row.day;
        out->reviews++;
    }
    return rc == ALLIANCE_DONE ? ALLIANCE_OK : rc;
}

int alliance_replay(alliance_db *db, const char *card_id, alliance_sm2_state *out_state, int64_t *out_due_day)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!card_id || !out_state)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "alliance_replay: card_id or out_state is NULL"));
    alliance__sched s;
    replayed r;
    if ((rc = alliance__store_sched_get(db, card_id, &s)) == ALLIANCE_OK &&
        (rc = replay_card(db, card_id, &s, &r)) == ALLIANCE_OK) {
        *out_state = r.state;
        if (out_due_day)
            *out_due_day = r.due_day;
    }
    return alliance__db_leave(db, rc);
}

static int same_state(const alliance_sm2_state *a, const alliance_sm2_state *b)
{
    return a->repetitions == b->repetitions && a->efactor_milli == b->efactor_milli &&
           a->interval_days == b->interval_days && a->repeat_today == b->repeat_today;
}

static int matches(const alliance__sched *s, const replayed *r)
{
    return same_state(&s->state, &r->state) && s->due_day == r->due_day &&
           s->last_review_day == r->last_review_day && s->reviews == r->reviews;
}

/* The card after row `after_pk`: 0, or ALLIANCE_DONE. */
static int next_card(alliance_db *db, int64_t after_pk, int64_t *out_pk, char *id, size_t id_size)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_CARD_NEXT_PK, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, after_pk);
    rc = alliance__sql_step(db, stmt, "listing cards");
    if (rc < 0)
        return rc;
    if (rc == SQLITE_DONE)
        return ALLIANCE_DONE;
    *out_pk = sqlite3_column_int64(stmt, 0);
    const unsigned char *text = sqlite3_column_text(stmt, 1);
    snprintf(id, id_size, "%s", text ? (const char *)text : "");
    sqlite3_reset(stmt);
    return ALLIANCE_OK;
}

int alliance_verify(alliance_db *db, uint64_t *out_mismatches)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!out_mismatches)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL, "alliance_verify: out is NULL"));
    uint64_t mismatches = 0;
    char id[512], first[512] = "";
    int64_t pk = 0;
    while ((rc = next_card(db, pk, &pk, id, sizeof id)) == ALLIANCE_OK) {
        alliance__sched s;
        replayed r;
        if ((rc = alliance__store_sched_get(db, id, &s)) != ALLIANCE_OK || (rc = replay_card(db, id, &s, &r)) != ALLIANCE_OK)
            break;
        if (!matches(&s, &r) && mismatches++ == 0)
            snprintf(first, sizeof first, "%s", id);
    }
    if (rc != ALLIANCE_DONE)
        return alliance__db_leave(db, rc);
    /* Not a failure of the call: the message only names the first card that differs. */
    if (mismatches)
        alliance__error_set(&db->error, ALLIANCE_OK, "%llu card(s) differ from the replay of their review log; "
                            "the first is \"%s\"", (unsigned long long)mismatches, first);
    *out_mismatches = mismatches;
    return alliance__db_leave(db, ALLIANCE_OK);
}
