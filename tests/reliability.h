/* SPDX-License-Identifier: MIT */
/*
 * reliability.h - helpers shared by the reliability suites (killloop, oom,
 * iofault, hostile, concurrency, misuse). Header-only (static inline) so that
 * tests/CMakeLists.txt needs no edit; each suite uses what it needs.
 *
 * The raw SQLite checks here go around the library on purpose: a test of
 * "the file is intact" must not trust the code it is testing.
 */
#ifndef ALLIANCE_TEST_RELIABILITY_H
#define ALLIANCE_TEST_RELIABILITY_H

#include "testutil.h"

#include "store/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Options for a test collection: UTC (the day does not depend on the machine's
 * zone) and the given durability. */
static inline alliance_open_options rel_options(uint32_t synchronous)
{
    alliance_open_options options;
    alliance_open_options_init(&options, ALLIANCE_OPEN_OPTIONS_VERSION);
    options.synchronous = synchronous;
    options.utc_offset_seconds = 0;
    return options;
}

/* The card id of test card i: "k0000", "k0001"... */
static inline void rel_card_id(char *out, size_t size, const char *prefix, unsigned i)
{
    snprintf(out, size, "%s%04u", prefix, i);
}

/* Adds n basic cards "<prefix>0000".. to the deck called deck_name, through the
 * store's internal contract (as the deck importer does: the fixture does not
 * depend on the code under test's note and import paths), and raises the daily
 * limits so that every one of them is due at once. Returns 0 or the failing code. */
static inline int rel_add_cards(alliance_db *db, const char *deck_name, const char *prefix, unsigned n,
                                int64_t now)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    int64_t deck = 0, generation = 0;
    rc = alliance__store_begin(db);
    if (rc == 0)
        rc = alliance__store_deck_put(db, deck_name, "", "", now, &deck);
    if (rc == 0)
        rc = alliance__store_next_generation(db, &generation);
    for (unsigned i = 0; i < n && rc == 0; i++) {
        char id[32], front[64], back[64];
        rel_card_id(id, sizeof id, prefix, i);
        snprintf(front, sizeof front, "question %u", i);
        snprintf(back, sizeof back, "answer %u", i);
        alliance__card_row row = {id, id, 0, ALLIANCE_CARD_BASIC, front, back, "", "", "", "", (int64_t)i};
        int result = 0;
        rc = alliance__store_card_put(db, deck, &row, generation, now, &result);
    }
    if (rc == 0)
        rc = alliance__store_commit(db);
    else
        alliance__store_rollback(db);
    alliance__db_leave(db, rc);
    if (rc)
        return rc;
    alliance_config config;
    alliance_config_init(&config, ALLIANCE_CONFIG_VERSION);
    rc = alliance_config_get(db, &config);
    if (rc)
        return rc;
    config.new_per_day = 100000;
    config.reviews_per_day = 100000;
    config.leech_threshold = 0; /* a leech would be suspended and leave the queue */
    return alliance_config_set(db, &config);
}

/* Creates the collection `path` with n cards (see rel_add_cards) and closes it. */
static inline int rel_make_collection(const char *path, unsigned n, int64_t now)
{
    alliance_open_options options = rel_options(ALLIANCE_SYNC_FULL);
    alliance_db *db = NULL;
    int rc = alliance_open(&db, path, &options);
    if (rc == 0)
        rc = rel_add_cards(db, "test deck", "k", n, now);
    if (rc)
        fprintf(stderr, "rel_make_collection(%s): %d %s\n", path, rc, alliance_errmsg(db));
    int close_rc = alliance_close(db);
    return rc ? rc : close_rc;
}

/* PRAGMA integrity_check through SQLite itself. Returns 1 when it says "ok";
 * otherwise 0 with SQLite's first complaint in msg. */
static inline int rel_integrity_ok(const char *path, char *msg, size_t size)
{
    sqlite3 *raw = NULL;
    int ok = 0;
    snprintf(msg, size, "cannot open");
    if (sqlite3_open_v2(path, &raw, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK) {
        sqlite3_stmt *stmt = NULL;
        if (sqlite3_prepare_v2(raw, "PRAGMA integrity_check", -1, &stmt, NULL) == SQLITE_OK &&
            sqlite3_step(stmt) == SQLITE_ROW) {
            const char *text = (const char *)sqlite3_column_text(stmt, 0);
            snprintf(msg, size, "%s", text ? text : "(null)");
            ok = text && strcmp(text, "ok") == 0;
        } else {
            snprintf(msg, size, "%s", sqlite3_errmsg(raw));
        }
        sqlite3_finalize(stmt);
    } else if (raw) {
        snprintf(msg, size, "%s", sqlite3_errmsg(raw));
    }
    sqlite3_close(raw);
    return ok;
}

static inline int rel_compare_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Everything the file holds, as text: for every table (sorted by name) its
 * rows, each column typed and quoted by SQLite's quote(), the rows sorted.
 * Two dumps are equal iff the committed content is equal. NULL if the file
 * cannot be read. Read through a separate connection: it sees what is
 * committed, which is what survives. free() the result.
 */
static inline char *rel_dump(const char *path)
{
    sqlite3 *raw = NULL;
    if (sqlite3_open_v2(path, &raw, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(raw);
        return NULL;
    }
    /* A new collection gets random ids (docs/sync.md): two clean runs differ only there. */
    sqlite3_stmt *self = NULL;
    int64_t replica = 0;
    if (sqlite3_prepare_v2(raw, "SELECT replica_id FROM sync_self", -1, &self, NULL) == SQLITE_OK &&
        sqlite3_step(self) == SQLITE_ROW)
        replica = sqlite3_column_int64(self, 0);
    sqlite3_finalize(self);
    sqlite3_stmt *tables = NULL;
    char *out = NULL;
    size_t len = 0, cap = 0;
    int failed = sqlite3_prepare_v2(raw,
        "SELECT name, sql FROM sqlite_schema WHERE type IN ('table','index','trigger','view') "
        "ORDER BY type, name", -1, &tables, NULL) != SQLITE_OK;
    while (!failed && sqlite3_step(tables) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(tables, 0);
        const char *sql = (const char *)sqlite3_column_text(tables, 1);
        /* The schema itself is content too. */
        char *section = sqlite3_mprintf("== %s\n%s\n", name, sql ? sql : "");
        char **rows = NULL;
        size_t nrows = 0, rowcap = 0;
        sqlite3_stmt *stmt = NULL;
        char *select = sqlite3_mprintf("SELECT * FROM \"%w\"", name);
        int is_table = sql && strncmp(sql, "CREATE TABLE", 12) == 0 && strncmp(name, "sqlite_", 7) != 0;
        if (is_table && sqlite3_prepare_v2(raw, select, -1, &stmt, NULL) == SQLITE_OK) {
            while (sqlite3_step(stmt) == SQLITE_ROW) {
                char *row = sqlite3_mprintf("%s", "");
                for (int c = 0; c < sqlite3_column_count(stmt); c++) {
                    char *next;
                    switch (sqlite3_column_type(stmt, c)) {
                    case SQLITE_NULL: next = sqlite3_mprintf("%s|NULL", row); break;
                    case SQLITE_INTEGER:
                        if (replica != 0 && sqlite3_column_int64(stmt, c) == replica)
                            next = sqlite3_mprintf("%s|<replica>", row);
                        else
                            next = sqlite3_mprintf("%s|%lld", row, (long long)sqlite3_column_int64(stmt, c));
                        break;
                    case SQLITE_BLOB: next = sqlite3_mprintf("%s|<blob %d>", row, sqlite3_column_bytes(stmt, c)); break;
                    case SQLITE_FLOAT: next = sqlite3_mprintf("%s|%!.17g", row, sqlite3_column_double(stmt, c)); break;
                    default:
                        next = sqlite3_mprintf("%s|%Q", row, (const char *)sqlite3_column_text(stmt, c));
                        break;
                    }
                    sqlite3_free(row);
                    row = next;
                }
                if (nrows == rowcap) {
                    rowcap = rowcap ? rowcap * 2 : 64;
                    rows = realloc(rows, rowcap * sizeof *rows);
                }
                rows[nrows++] = row;
            }
        } else if (is_table) {
            failed = 1;
        }
        sqlite3_finalize(stmt);
        sqlite3_free(select);
        if (nrows)
            qsort(rows, nrows, sizeof *rows, rel_compare_lines);
        for (size_t i = 0; i <= nrows; i++) {
            const char *piece = i == 0 ? section : rows[i - 1];
            size_t n = strlen(piece);
            if (len + n + 2 > cap) {
                cap = (len + n + 2) * 2;
                out = realloc(out, cap);
            }
            memcpy(out + len, piece, n);
            len += n;
            out[len++] = '\n';
            out[len] = '\0';
            if (i > 0)
                sqlite3_free(rows[i - 1]);
        }
        sqlite3_free(section);
        free(rows);
    }
    sqlite3_finalize(tables);
    sqlite3_close(raw);
    if (failed) {
        free(out);
        return NULL;
    }
    if (!out)
        out = calloc(1, 1);
    return out;
}

/* Number of rows in the review log of card_id (NULL: of the whole collection), or a negative code. */
static inline long rel_log_count(alliance_db *db, const char *card_id)
{
    alliance_review_iter *iter = NULL;
    int rc = alliance_review_iter_open(&iter, db, card_id);
    if (rc)
        return rc;
    long n = 0;
    alliance_review review;
    memset(&review, 0, sizeof review);
    review.version = ALLIANCE_REVIEW_VERSION;
    while ((rc = alliance_review_iter_next(iter, &review)) == 0)
        n++;
    alliance_review_iter_free(iter);
    return rc == ALLIANCE_DONE ? n : rc;
}

/* Reads a number from the environment (for scaling a test), or `fallback`. */
static inline long rel_env_long(const char *name, long fallback)
{
    const char *value = getenv(name);
    if (!value || !*value)
        return fallback;
    char *end = NULL;
    long n = strtol(value, &end, 10);
    return end && *end == '\0' && n > 0 ? n : fallback;
}

/* A small deterministic generator (splitmix64): runs are reproducible from their seed. */
static inline uint64_t rel_rand(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

#endif
