/* SPDX-License-Identifier: MIT */
/*
 * deck_iter.c - listing the decks of a collection with their card counts, one
 * deck per call. Each next() seeks past the last deck returned (keyset paging
 * on the id, checked by alliance__key_advance), so no statement stays open
 * between calls. A deck's row and its
 * counts are read in one snapshot; the counts are alliance_stats_get's (the
 * same statement), so a list and a deck's statistics never disagree.
 */
#include "store/schedule.h"

#include <string.h>

struct alliance_deck_iter {
    alliance__attached attached; /* first: the collection's list of open objects */
    int64_t today;               /* the day the counts are for */
    int64_t last_id;             /* the id of the last deck returned */
    int done;
};

int alliance_deck_iter_open(alliance_deck_iter **out, alliance_db *db, int64_t now)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!out)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "alliance_deck_iter_open: out is NULL"));
    int64_t today;
    if ((rc = alliance__db_today(db, now, &today)) != ALLIANCE_OK)
        return alliance__db_leave(db, rc);
    alliance_deck_iter *iter = alliance__calloc(1, sizeof *iter);
    if (!iter)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_ENOMEM, "out of memory"));
    iter->today = today;
    iter->last_id = 0; /* deck ids are positive */
    alliance__db_attach(db, &iter->attached);
    *out = iter;
    return alliance__db_leave(db, ALLIANCE_OK);
}

static uint32_t column_count(sqlite3_stmt *stmt, int col)
{
    int64_t n = sqlite3_column_int64(stmt, col);
    return n < 0 ? 0 : n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

static const char *column_text(sqlite3_stmt *stmt, int col)
{
    const unsigned char *text = sqlite3_column_text(stmt, col);
    return text ? (const char *)text : "";
}

/* The counts of ALLIANCE__SQL_STATS_CARDS (?1 deck, ?2 today) into *info. */
static int deck_counts(alliance_db *db, int64_t deck_id, int64_t today, alliance_deck_info *info)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_STATS_CARDS, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, deck_id);
    alliance__sql_bind_int(stmt, 2, today);
    if ((rc = alliance__sql_step(db, stmt, "counting a deck's cards")) < 0)
        return rc;
    if (rc == SQLITE_ROW) {
        info->total = column_count(stmt, 0);
        info->new_cards = column_count(stmt, 1);
        info->learned = column_count(stmt, 2);
        info->due_today = column_count(stmt, 3);
        info->suspended = column_count(stmt, 4);
        info->leeches = column_count(stmt, 5);
        sqlite3_reset(stmt);
    }
    return ALLIANCE_OK;
}

/* The next deck as one block: the struct, then its name and description. */
static int fetch_next(alliance_db *db, alliance_deck_iter *iter, alliance_deck_info **out)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_DECK_NEXT, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, iter->last_id);
    rc = alliance__sql_step(db, stmt, "listing decks");
    if (rc < 0)
        return rc;
    if (rc == SQLITE_DONE) {
        iter->done = 1;
        return ALLIANCE_DONE;
    }
    size_t name_len = strlen(column_text(stmt, 1)), description_len = strlen(column_text(stmt, 2));
    alliance_deck_info *info = alliance__calloc(1, sizeof *info + name_len + 1 + description_len + 1);
    if (!info) {
        sqlite3_reset(stmt);
        return alliance__error_set(&db->error, ALLIANCE_ENOMEM, "out of memory");
    }
    char *name = (char *)(info + 1), *description = name + name_len + 1;
    memcpy(name, column_text(stmt, 1), name_len + 1);
    memcpy(description, column_text(stmt, 2), description_len + 1);
    info->version = 1;
    info->id = sqlite3_column_int64(stmt, 0);
    alliance__key last = {{iter->last_id}}, key = {{info->id}};
    if ((rc = alliance__key_advance(db, &last, &key, 1, "listing decks")) != ALLIANCE_OK) {
        sqlite3_reset(stmt);
        alliance__free(info);
        return rc;
    }
    info->name = name;
    info->description = description;
    info->created = sqlite3_column_int64(stmt, 3);
    info->modified = sqlite3_column_int64(stmt, 4);
    sqlite3_reset(stmt);
    if ((rc = deck_counts(db, info->id, iter->today, info)) != ALLIANCE_OK) {
        alliance__free(info);
        return rc;
    }
    /* Move past the deck only once it is handed out: a deck that could not be read
     * for want of memory comes again on the next call instead of being lost. */
    iter->last_id = info->id;
    *out = info;
    return ALLIANCE_OK;
}

int alliance_deck_iter_next(alliance_deck_iter *iter, alliance_deck_info **out)
{
    int rc = alliance__attached_enter(iter ? &iter->attached : NULL);
    if (rc)
        return rc;
    alliance_db *db = iter->attached.db;
    if (!out)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "alliance_deck_iter_next: out is NULL"));
    if (iter->done) {
        *out = NULL;
        return alliance__db_leave(db, ALLIANCE_DONE);
    }
    alliance_deck_info *info = NULL;
    int began = alliance__store_read_begin(db); /* a deck and its counts in one snapshot */
    rc = fetch_next(db, iter, &info);
    alliance__store_read_end(db, began);
    if (rc == ALLIANCE_OK || rc == ALLIANCE_DONE)
        *out = info;
    return alliance__db_leave(db, rc);
}

void alliance_deck_iter_free(alliance_deck_iter *iter)
{
    if (!iter)
        return;
    alliance__attached_release(&iter->attached);
    alliance__free(iter);
}
