/* SPDX-License-Identifier: MIT */
/*
 * card_iter.c - iterating over cards (list, search) one at a time.
 * Each next() seeks past the last card returned (keyset paging), so an
 * iterator never holds a statement or a read transaction between calls and
 * the collection is never loaded whole.
 */
#include "store/schedule.h"

#include <stdio.h>

struct alliance_card_iter {
    alliance__attached attached; /* first: the collection's list of open objects */
    int64_t deck_id;
    char *text;                  /* "" for every card */
    /* the sort key of the last card returned: (deck_id, position, ordinal, pk) */
    int64_t last_deck, last_position, last_ordinal;
    char last_id[512]; /* ties are broken by the card id: the same order on every copy */
    int done;
    int deck_file_only;          /* only the cards of the deck file as last imported */
};

static int card_search(alliance_card_iter **out, alliance_db *db, int64_t deck_id, const char *text,
                       int deck_file_only)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!out || deck_id < 0)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "alliance_card_search: out is NULL or deck_id is negative"));
    alliance_card_iter *iter = alliance__calloc(1, sizeof *iter);
    char *copy = alliance__strdup(text ? text : "");
    if (!iter || !copy) {
        alliance__free(iter);
        alliance__free(copy);
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_ENOMEM, "out of memory"));
    }
    iter->deck_id = deck_id;
    iter->text = copy;
    iter->deck_file_only = deck_file_only;
    iter->last_deck = iter->last_position = iter->last_ordinal = INT64_MIN;
    iter->last_id[0] = '\0';
    alliance__db_attach(db, &iter->attached);
    *out = iter;
    return alliance__db_leave(db, ALLIANCE_OK);
}

int alliance_card_search(alliance_card_iter **out, alliance_db *db, int64_t deck_id, const char *text)
{
    return card_search(out, db, deck_id, text, 0);
}

int alliance__card_search_deck_file(alliance_card_iter **out, alliance_db *db, int64_t deck_id)
{
    return card_search(out, db, deck_id, NULL, 1);
}

static int fetch_next(alliance_db *db, alliance_card_iter *iter, alliance_card **out)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_CARD_SEARCH_NEXT, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, iter->deck_id);
    alliance__sql_bind_int(stmt, 2, iter->last_deck);
    alliance__sql_bind_int(stmt, 3, iter->last_position);
    alliance__sql_bind_int(stmt, 4, iter->last_ordinal);
    alliance__sql_bind_text(stmt, 5, iter->last_id);
    alliance__sql_bind_text(stmt, 6, iter->text);
    alliance__sql_bind_int(stmt, 7, iter->deck_file_only);
    rc = alliance__sql_step(db, stmt, "searching cards");
    if (rc < 0)
        return rc;
    if (rc == SQLITE_DONE) {
        iter->done = 1;
        return ALLIANCE_DONE;
    }
    alliance_card *card;
    rc = alliance__store_card_from_row(db, stmt, &card);
    /* Move past the row only once its card is handed out: a card that could not be copied
     * for want of memory comes again on the next call instead of being lost. */
    if (rc == ALLIANCE_OK) {
        iter->last_deck = sqlite3_column_int64(stmt, ALLIANCE__COL_DECK_ID);
        iter->last_position = sqlite3_column_int64(stmt, ALLIANCE__COL_POSITION);
        iter->last_ordinal = sqlite3_column_int64(stmt, ALLIANCE__COL_ORDINAL);
        const unsigned char *id = sqlite3_column_text(stmt, ALLIANCE__COL_ID);
        snprintf(iter->last_id, sizeof iter->last_id, "%s", id ? (const char *)id : "");
        *out = card;
    }
    sqlite3_reset(stmt);
    return rc;
}

int alliance_card_iter_next(alliance_card_iter *iter, alliance_card **out)
{
    int rc = alliance__attached_enter(iter ? &iter->attached : NULL);
    if (rc)
        return rc;
    alliance_db *db = iter->attached.db;
    if (!out)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL, "alliance_card_iter_next: out is NULL"));
    if (iter->done) {
        *out = NULL;
        return alliance__db_leave(db, ALLIANCE_DONE);
    }
    alliance_card *card = NULL;
    rc = fetch_next(db, iter, &card);
    if (rc == ALLIANCE_OK || rc == ALLIANCE_DONE)
        *out = card;
    return alliance__db_leave(db, rc);
}

void alliance_card_iter_free(alliance_card_iter *iter)
{
    if (!iter)
        return;
    alliance_db *db = iter->attached.db;
    if (db) {
        alliance__db_lock(db);
        alliance__db_detach(&iter->attached);
        alliance__db_leave(db, ALLIANCE_OK);
    }
    alliance__free(iter->text);
    alliance__free(iter);
}
