/* SPDX-License-Identifier: MIT */
/*
 * replay.c - rebuilding a card's schedule from its review log, and checking
 * every card against it. Reads only. Proves that the log alone is enough to
 * recover each card (and to train another scheduler on it later).
 */
#include "store/schedule.h"
#include "core/sm2.h"

#include <stdio.h>
#include <string.h>

typedef struct replayed {
    alliance_sm2_state state;
    int64_t due_day;
    int64_t last_review_day;
    uint32_t reviews;
} replayed;

/* The state a card starts its replay from: its stored one, kept when it has no log. */
static void replay_start(const alliance__sched *s, replayed *out)
{
    out->state = s->state;
    out->due_day = s->due_day;
    out->last_review_day = s->last_review_day;
    out->reviews = 0;
}

/* One answer of the log, replayed: exactly what alliance_answer computed. */
static int replay_row(alliance_db *db, const char *card_id, const alliance__review_row *row, replayed *out)
{
    /* The first answer starts from a new card under the parameters it recorded. */
    if (out->reviews == 0 && alliance_sm2_state_init(&row->params, &out->state) != ALLIANCE_OK)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "card \"%s\": review %lld records invalid "
                                   "SM-2 parameters", card_id, (long long)row->id);
    alliance__sm2_adapt(&row->params, &out->state); /* as alliance_answer does */
    int rc = alliance_sm2_next(&row->params, &out->state, row->grade, &out->state);
    if (rc != ALLIANCE_OK)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "card \"%s\": review %lld cannot be replayed (%s)",
                                   card_id, (long long)row->id, alliance_strerror(rc));
    out->due_day = row->day + (out->state.repeat_today ? 0 : out->state.interval_days);
    out->last_review_day = row->day;
    out->reviews++;
    return ALLIANCE_OK;
}

/* Replays the log of the card `s` describes. A card never answered keeps its
 * stored state: there is nothing to replay. */
static int replay_card(alliance_db *db, const char *card_id, const alliance__sched *s, replayed *out)
{
    replay_start(s, out);
    alliance__review_row row;
    int64_t after_id = 0;
    int rc;
    while ((rc = alliance__log_next(db, after_id, s->pk, &row)) == ALLIANCE_OK) {
        after_id = row.id;
        if ((rc = replay_row(db, card_id, &row, out)) != ALLIANCE_OK)
            return rc;
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
    int began = 0; /* the card and its log from one snapshot */
    if ((rc = alliance__store_snapshot_begin(db, &began)) == ALLIANCE_OK &&
        (rc = alliance__store_sched_get(db, card_id, &s)) == ALLIANCE_OK &&
        (rc = replay_card(db, card_id, &s, &r)) == ALLIANCE_OK) {
        *out_state = r.state;
        if (out_due_day)
            *out_due_day = r.due_day;
    }
    alliance__store_read_end(db, began);
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

/* Steps the verify's review pass: 1 with *row filled, 0 at its end, or a failure. Its key
 * (card, id) must follow the last one's (a damaged index). */
static int next_review(alliance_db *db, sqlite3_stmt *stmt, alliance__key *last, alliance__review_row *row)
{
    int rc = alliance__sql_step(db, stmt, "reading the review log");
    if (rc == SQLITE_DONE)
        return 0;
    if (rc < 0)
        return rc;
    alliance__log_read(stmt, row);
    alliance__key key = {{row->card_pk, row->id}};
    rc = alliance__key_advance(db, last, &key, 2, "reading the review log");
    return rc ? rc : 1;
}

/* Every card against the replay of its log, in one pass over the cards (by row) merged with
 * one pass over the log (by card, then id): two statements however large the collection. */
static int verify_all(alliance_db *db, uint64_t *out_mismatches, char *first, size_t first_size)
{
    sqlite3_stmt *cards, *reviews;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_VERIFY_CARDS, &cards);
    if (rc == ALLIANCE_OK)
        rc = alliance__sql_stmt(db, ALLIANCE__SQL_VERIFY_REVIEWS, &reviews);
    if (rc)
        return rc;
    alliance__key last_card = {{0}}, last_review = {{INT64_MIN, INT64_MIN}};
    alliance__review_row row;
    int have = next_review(db, reviews, &last_review, &row); /* 1: `row` holds the next review */
    uint64_t mismatches = 0;
    for (;;) {
        if (have < 0) {
            rc = have;
            break;
        }
        rc = alliance__sql_step(db, cards, "listing cards");
        if (rc == SQLITE_DONE) {
            rc = ALLIANCE_OK;
            break;
        }
        if (rc < 0)
            break;
        alliance__key key = {{sqlite3_column_int64(cards, 0)}};
        if ((rc = alliance__key_advance(db, &last_card, &key, 1, "listing cards")) != ALLIANCE_OK)
            break;
        alliance__sched s;
        memset(&s, 0, sizeof s);
        s.pk = key.v[0];
        s.state.repetitions = (uint32_t)sqlite3_column_int64(cards, 2);
        s.state.efactor_milli = (uint32_t)sqlite3_column_int64(cards, 3);
        s.state.interval_days = (uint32_t)sqlite3_column_int64(cards, 4);
        s.state.repeat_today = (uint32_t)sqlite3_column_int64(cards, 5);
        s.due_day = sqlite3_column_int64(cards, 6);
        s.last_review_day = sqlite3_column_int64(cards, 7);
        s.reviews = (uint32_t)sqlite3_column_int64(cards, 8);
        const unsigned char *id_text = sqlite3_column_text(cards, 1);
        const char *id = id_text ? (const char *)id_text : "";
        replayed r;
        replay_start(&s, &r);
        /* Rows of a card that is not there (only a damaged file has them) are passed over. */
        while (have > 0 && row.card_pk < s.pk)
            have = next_review(db, reviews, &last_review, &row);
        rc = ALLIANCE_OK;
        while (have > 0 && row.card_pk == s.pk && rc == ALLIANCE_OK) {
            rc = replay_row(db, id, &row, &r);
            if (rc == ALLIANCE_OK)
                have = next_review(db, reviews, &last_review, &row);
        }
        if (rc != ALLIANCE_OK)
            break;
        if (have >= 0 && !matches(&s, &r) && mismatches++ == 0)
            snprintf(first, first_size, "%s", id);
    }
    sqlite3_reset(cards);
    sqlite3_reset(reviews);
    if (rc == ALLIANCE_OK)
        *out_mismatches = mismatches;
    return rc;
}

int alliance_verify(alliance_db *db, uint64_t *out_mismatches)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!out_mismatches)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL, "alliance_verify: out is NULL"));
    uint64_t mismatches = 0;
    char first[512] = "";
    /* One snapshot: an answer committed elsewhere between reading a card and reading its log
     * would otherwise count as a mismatch. */
    int began = 0;
    if ((rc = alliance__store_snapshot_begin(db, &began)) == ALLIANCE_OK)
        rc = verify_all(db, &mismatches, first, sizeof first);
    alliance__store_read_end(db, began);
    if (rc != ALLIANCE_OK)
        return alliance__db_leave(db, rc);
    /* Not a failure of the call: the message only names the first card that differs. */
    if (mismatches)
        alliance__error_set(&db->error, ALLIANCE_OK, "%llu card(s) differ from the replay of their review log; "
                            "the first is \"%s\"", (unsigned long long)mismatches, first);
    *out_mismatches = mismatches;
    return alliance__db_leave(db, ALLIANCE_OK);
}
