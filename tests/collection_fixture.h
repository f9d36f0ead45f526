/* SPDX-License-Identifier: MIT */
/* collection_fixture.h - a small collection for the suites of the collection
 * (header-only: every suite is its own program). Cards are added through the
 * store's internal contract, as the deck importer does. */
#ifndef ALLIANCE_COLLECTION_FIXTURE_H
#define ALLIANCE_COLLECTION_FIXTURE_H

#include "testutil.h"

#include "store/store.h"

#include <stdio.h>
#include <string.h>

/* Opens `path` (":memory:" or a file) with UTC as the learner's zone, failing the test on error. */
static inline alliance_db *fixture_open(const char *path)
{
    alliance_open_options options;
    alliance_open_options_init(&options, ALLIANCE_OPEN_OPTIONS_VERSION);
    options.utc_offset_seconds = 0;
    alliance_db *db = NULL;
    int rc = alliance_open(&db, path, &options);
    ck_assert_msg(rc == ALLIANCE_OK, "open %s: %d %s", path, rc, alliance_errmsg(db));
    return db;
}

/* Adds basic cards "<prefix>1".."<prefix>n" to the deck `deck` (created if needed) at `now`,
 * in that order; returns the deck id. */
static inline int64_t fixture_add_cards(alliance_db *db, const char *deck, const char *prefix, int n, int64_t now)
{
    int64_t deck_id = 0;
    ck_assert_int_eq(alliance__db_enter(db), ALLIANCE_OK);
    ck_assert_int_eq(alliance__store_begin(db), ALLIANCE_OK);
    ck_assert_int_eq(alliance__store_deck_put(db, deck, "", "", now, &deck_id), ALLIANCE_OK);
    /* Added like alliance_note_add adds: part of the deck file as last imported. */
    int64_t generation = 0;
    ck_assert_int_eq(alliance__store_deck_generation(db, deck_id, &generation), ALLIANCE_OK);
    for (int i = 1; i <= n; i++) {
        char id[64], front[80], back[80];
        snprintf(id, sizeof id, "%s%d", prefix, i);
        snprintf(front, sizeof front, "question %s", id);
        snprintf(back, sizeof back, "answer %s", id);
        alliance__card_row row = { id, id, 0, ALLIANCE_CARD_BASIC, front, back, "", "tag", "", "", i };
        int result = 0;
        int rc = alliance__store_card_put(db, deck_id, &row, generation, now, &result);
        ck_assert_msg(rc == ALLIANCE_OK, "card_put %s: %s", id, alliance__db_error(db)->message);
    }
    ck_assert_int_eq(alliance__store_commit(db), ALLIANCE_OK);
    alliance__db_leave(db, 0);
    return deck_id;
}

/* Day 20458 (2026-01-05, the day of ALLIANCE_TEST_NOW) + `day`, at `hour`:00 UTC. */
#define FIXTURE_DAY0 INT64_C(20458)
static inline int64_t fixture_at(int64_t day, int hour)
{
    return (FIXTURE_DAY0 + day) * ALLIANCE_TEST_DAY + (int64_t)hour * 3600;
}

/* A copy of card `id` (the test fails if there is none); free with alliance_free. */
/* Answers `id` and fails the test, with the library's message, unless it succeeded. */
static inline void fixture_answer(alliance_db *db, const char *id, int grade, int64_t now)
{
    int rc = alliance_answer(db, id, grade, now, 0, NULL);
    ck_assert_msg(rc == ALLIANCE_OK, "answer %s %d: %d %s", id, grade, rc, alliance_errmsg(db));
}

static inline alliance_card *fixture_card(alliance_db *db, const char *id)
{
    alliance_card *card = NULL;
    int rc = alliance_card_get(db, id, &card);
    ck_assert_msg(rc == ALLIANCE_OK, "card %s: %s", id, alliance_errmsg(db));
    return card;
}

/* How many rows the review log has for `card_id` (NULL: all). */
static inline int fixture_log_rows(alliance_db *db, const char *card_id)
{
    alliance_review_iter *iter = NULL;
    ck_assert_int_eq(alliance_review_iter_open(&iter, db, card_id), ALLIANCE_OK);
    alliance_review review;
    review.version = ALLIANCE_REVIEW_VERSION;
    int n = 0, rc;
    while ((rc = alliance_review_iter_next(iter, &review)) == ALLIANCE_OK)
        n++;
    ck_assert_int_eq(rc, ALLIANCE_DONE);
    alliance_review_iter_free(iter);
    return n;
}

/* Every field of two cards is equal (the strings by content). */
static inline void fixture_assert_same_card(const alliance_card *a, const alliance_card *b)
{
    ck_assert_str_eq(a->id, b->id);
    ck_assert_str_eq(a->front, b->front);
    ck_assert_str_eq(a->back, b->back);
    ck_assert_uint_eq(a->type, b->type);
    ck_assert_int_eq(a->deck_id, b->deck_id);
    ck_assert_int_eq(a->created, b->created);
    ck_assert_int_eq(a->modified, b->modified);
    ck_assert_uint_eq(a->suspended, b->suspended);
    ck_assert_uint_eq(a->leech, b->leech);
    ck_assert_uint_eq(a->state.repetitions, b->state.repetitions);
    ck_assert_uint_eq(a->state.efactor_milli, b->state.efactor_milli);
    ck_assert_uint_eq(a->state.interval_days, b->state.interval_days);
    ck_assert_uint_eq(a->state.repeat_today, b->state.repeat_today);
    ck_assert_int_eq(a->due_day, b->due_day);
    ck_assert_int_eq(a->last_review_day, b->last_review_day);
    ck_assert_int_eq(a->buried_until_day, b->buried_until_day);
    ck_assert_uint_eq(a->reviews, b->reviews);
    ck_assert_uint_eq(a->lapses, b->lapses);
    ck_assert(memcmp(&a->fsrs.stability, &b->fsrs.stability, sizeof(double)) == 0);
    ck_assert(memcmp(&a->fsrs.difficulty, &b->fsrs.difficulty, sizeof(double)) == 0);
    ck_assert_uint_eq(a->fsrs.interval_days, b->fsrs.interval_days);
    ck_assert_uint_eq(a->fsrs_drill, b->fsrs_drill);
}

#endif
