/* collection_fixture.h - a small collection for the suites of the collection
 * (header-only: every suite is its own program). Cards are added through the
 * store's internal contract, as the deck importer does. */
#ifndef ALLIANCE_COLLECTION_FIXTURE_H
#define ALLIANCE_COLLECTION_FIXTURE_H

#include "testutil.h"

#include "store.h"

#include <stdio.h>
#include <string.h>

/* Opens `path` (":memory:" or a file) with UTC as the learner's zone, failing the test on error. */
static inline alliance_db *fixture_open(const char *path)
{
    alliance_open_options options;
    alliance_open_options_init(&options);
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
    int64_t generation = 0;
    ck_assert_int_eq(alliance__store_next_generation(db, &generation), ALLIANCE_OK);
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

#endif
