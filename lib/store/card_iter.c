/* SPDX-License-Identifier: MIT */
/*
 * card_iter.c - iterating over cards (list, search, export) one at a time.
 * Each step seeks past the last card returned (keyset paging), so the
 * collection is never loaded whole. The public iterator holds no statement
 * and no read transaction between calls: each call sees the collection as it
 * is then (alliance.h). The export runs the same cursor inside one read
 * transaction, which makes it a snapshot.
 */
#include "store/schedule.h"

#include <stdio.h>
#include <string.h>

struct alliance_card_iter {
    alliance__attached attached; /* first: the collection's list of open objects */
    alliance__card_cursor cursor;
    char *text;                  /* the cursor's text, owned */
};

void alliance__card_cursor_init(alliance__card_cursor *cursor, int64_t deck_id, const char *text, int deck_file_only)
{
    cursor->deck_id = deck_id;
    cursor->text = text ? text : "";
    cursor->deck_file_only = deck_file_only;
    cursor->done = 0;
    for (int i = 0; i < 3; i++)
        cursor->last.v[i] = INT64_MIN;
    cursor->last_id[0] = '\0';
}

/* The list order's key is (deck_id, position, ordinal, card id): the card id breaks ties, so
 * that every copy of a collection lists its cards in the same order (row numbers differ
 * between copies). The row's key must follow *last (else a damaged index would make a loop
 * go round for ever): then it becomes *last and *last_id. */
static int key_advance(alliance_db *db, alliance__key *last, char *last_id, size_t id_size, sqlite3_stmt *stmt,
                       const char *what)
{
    alliance__key key = {{sqlite3_column_int64(stmt, ALLIANCE__COL_DECK_ID),
                          sqlite3_column_int64(stmt, ALLIANCE__COL_POSITION),
                          sqlite3_column_int64(stmt, ALLIANCE__COL_ORDINAL)}};
    const unsigned char *text = sqlite3_column_text(stmt, ALLIANCE__COL_ID);
    const char *id = text ? (const char *)text : "";
    if (key.v[0] == last->v[0] && key.v[1] == last->v[1] && key.v[2] == last->v[2] && strcmp(id, last_id) > 0) {
        snprintf(last_id, id_size, "%s", id);
        return ALLIANCE_OK;
    }
    int rc = alliance__key_advance(db, last, &key, 3, what); /* ECORRUPT unless the numbers advance */
    if (rc == ALLIANCE_OK)
        snprintf(last_id, id_size, "%s", id);
    return rc;
}

int alliance__card_cursor_next(alliance_db *db, alliance__card_cursor *cursor, alliance_card **out)
{
    if (cursor->done)
        return ALLIANCE_DONE;
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_CARD_SEARCH_NEXT, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, cursor->deck_id);
    for (int i = 0; i < 3; i++)
        alliance__sql_bind_int(stmt, 2 + i, cursor->last.v[i]);
    alliance__sql_bind_text(stmt, 5, cursor->last_id);
    alliance__sql_bind_text(stmt, 6, cursor->text);
    alliance__sql_bind_int(stmt, 7, cursor->deck_file_only);
    rc = alliance__sql_step(db, stmt, "searching cards");
    if (rc < 0)
        return rc;
    if (rc == SQLITE_DONE) {
        cursor->done = 1;
        return ALLIANCE_DONE;
    }
    alliance__key last = cursor->last;
    char last_id[sizeof cursor->last_id];
    memcpy(last_id, cursor->last_id, sizeof last_id);
    alliance_card *card = NULL;
    rc = key_advance(db, &last, last_id, sizeof last_id, stmt, "listing cards");
    if (rc == ALLIANCE_OK)
        rc = alliance__store_card_from_row(db, stmt, &card);
    /* Move past the row only once its card is handed out: a card that could not be copied
     * for want of memory comes again on the next call instead of being lost. */
    if (rc == ALLIANCE_OK) {
        cursor->last = last;
        memcpy(cursor->last_id, last_id, sizeof last_id);
        *out = card;
    }
    sqlite3_reset(stmt);
    return rc;
}

int alliance__store_deck_file_each(alliance_db *db, int64_t deck_id, alliance__card_fn fn, void *ctx)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_CARD_DECK_FILE, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, deck_id);
    alliance__key last = {{INT64_MIN, INT64_MIN, INT64_MIN}};
    char last_id[512] = "";
    while ((rc = alliance__sql_step(db, stmt, "reading the deck's cards")) == SQLITE_ROW) {
        if ((rc = key_advance(db, &last, last_id, sizeof last_id, stmt, "reading the deck's cards")) != ALLIANCE_OK)
            break;
        alliance_card card;
        alliance__store_card_view(stmt, &card);
        if ((rc = fn(ctx, &card)) != 0)
            break;
    }
    if (rc != SQLITE_DONE)
        sqlite3_reset(stmt);
    return rc == SQLITE_DONE ? ALLIANCE_OK : rc;
}

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
    iter->text = copy;
    alliance__card_cursor_init(&iter->cursor, deck_id, copy, deck_file_only);
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

int alliance_card_iter_next(alliance_card_iter *iter, alliance_card **out)
{
    int rc = alliance__attached_enter(iter ? &iter->attached : NULL);
    if (rc)
        return rc;
    alliance_db *db = iter->attached.db;
    if (!out)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL, "alliance_card_iter_next: out is NULL"));
    alliance_card *card = NULL;
    rc = alliance__card_cursor_next(db, &iter->cursor, &card);
    if (rc == ALLIANCE_OK || rc == ALLIANCE_DONE)
        *out = card;
    return alliance__db_leave(db, rc);
}

void alliance_card_iter_free(alliance_card_iter *iter)
{
    if (!iter)
        return;
    alliance__attached_release(&iter->attached);
    alliance__free(iter->text);
    alliance__free(iter);
}
