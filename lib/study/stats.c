/* SPDX-License-Identifier: MIT */
/*
 * stats.c - what an app shows about a deck: card counts, recent reviews and
 * retention, and a forecast of the coming days. Aggregates computed by
 * SQLite (sql.c); nothing is loaded whole.
 */
#include "store/schedule.h"

#include <string.h>

#define MAX_FORECAST_DAYS 3650

int alliance_stats_init(alliance_stats *stats, uint32_t version)
{
    if (!stats)
        return ALLIANCE_EINVAL;
    /* Only version 1 exists; a later one will write exactly the layout asked for. */
    if (version != ALLIANCE_STATS_VERSION)
        return ALLIANCE_EVERSION;
    memset(stats, 0, sizeof *stats);
    stats->version = ALLIANCE_STATS_VERSION;
    return ALLIANCE_OK;
}

static uint32_t column_count(sqlite3_stmt *stmt, int col)
{
    int64_t n = sqlite3_column_int64(stmt, col);
    return n < 0 ? 0 : n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

/* Runs an aggregate statement (?1 deck, ?2 today, ?3 extra) and hands its one row to `read`. */
static int aggregate(alliance_db *db, alliance__sql_id id, int64_t deck_id, int64_t today, int64_t extra,
                     alliance_stats *out, void (*read)(sqlite3_stmt *, alliance_stats *))
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, id, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, deck_id);
    alliance__sql_bind_int(stmt, 2, today);
    alliance__sql_bind_int(stmt, 3, extra);
    if ((rc = alliance__sql_step(db, stmt, "computing statistics")) < 0)
        return rc;
    if (rc == SQLITE_ROW) {
        read(stmt, out);
        sqlite3_reset(stmt);
    }
    return ALLIANCE_OK;
}

static void read_card_counts(sqlite3_stmt *stmt, alliance_stats *out)
{
    out->total = column_count(stmt, 0);
    out->new_cards = column_count(stmt, 1);
    out->learned = column_count(stmt, 2);
    out->due_today = column_count(stmt, 3);
    out->suspended = column_count(stmt, 4);
    out->leeches = column_count(stmt, 5);
}

static void read_review_counts(sqlite3_stmt *stmt, alliance_stats *out)
{
    out->reviews = column_count(stmt, 0);
    out->correct = column_count(stmt, 1);
}

/* Checks the common arguments and finds today; deck 0 means every deck. */
static int prepare_query(alliance_db *db, int64_t deck_id, int64_t now, int64_t *today)
{
    if (deck_id < 0)
        return alliance__error_set(&db->error, ALLIANCE_EINVAL, "deck id %lld is negative", (long long)deck_id);
    int rc = alliance__db_today(db, now, today);
    if (rc == ALLIANCE_OK && deck_id)
        rc = alliance__store_deck_get(db, deck_id, NULL, NULL, NULL);
    return rc;
}

int alliance_stats_get(alliance_db *db, int64_t deck_id, int64_t now, uint32_t window_days, alliance_stats *out)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!out)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL, "alliance_stats_get: out is NULL"));
    if (out->version != ALLIANCE_STATS_VERSION)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EVERSION,
                                                          "alliance_stats_get: unknown version %u", (unsigned)out->version));
    int64_t today;
    alliance_stats stats;
    alliance_stats_init(&stats, ALLIANCE_STATS_VERSION);
    stats.window_days = window_days;
    int began = 0; /* the card counts and the review counts from one snapshot */
    if ((rc = alliance__store_snapshot_begin(db, &began)) == ALLIANCE_OK &&
        (rc = prepare_query(db, deck_id, now, &today)) == ALLIANCE_OK &&
        (rc = aggregate(db, ALLIANCE__SQL_STATS_CARDS, deck_id, today, 0, &stats, read_card_counts)) == ALLIANCE_OK &&
        (rc = aggregate(db, ALLIANCE__SQL_STATS_REVIEWS, deck_id, today, window_days, &stats, read_review_counts)) == ALLIANCE_OK)
        *out = stats;
    alliance__store_read_end(db, began);
    return alliance__db_leave(db, rc);
}

static int forecast_into(alliance_db *db, int64_t deck_id, int64_t today, uint32_t *counts, uint32_t ndays)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_FORECAST, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, deck_id);
    alliance__sql_bind_int(stmt, 2, today);
    alliance__sql_bind_int(stmt, 3, (int64_t)ndays);
    while ((rc = alliance__sql_step(db, stmt, "computing the forecast")) == SQLITE_ROW) {
        int64_t offset = sqlite3_column_int64(stmt, 0);
        if (offset >= 0 && offset < (int64_t)ndays)
            counts[offset] = column_count(stmt, 1);
    }
    return rc < 0 ? rc : ALLIANCE_OK;
}

/* Both forecasts; `name` is the public function's, for the message. */
static int forecast(alliance_db *db, int64_t deck_id, int64_t now, uint32_t *counts, uint64_t ndays, const char *name)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!counts || ndays < 1 || ndays > MAX_FORECAST_DAYS)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "%s: counts is NULL or ndays %llu is outside 1..%d",
                                                          name, (unsigned long long)ndays, MAX_FORECAST_DAYS));
    /* Filled aside so that a failure leaves the caller's array untouched. */
    uint32_t *result = alliance__calloc(ndays, sizeof *result);
    if (!result)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_ENOMEM, "out of memory"));
    int64_t today;
    int began = 0;
    if ((rc = alliance__store_snapshot_begin(db, &began)) == ALLIANCE_OK &&
        (rc = prepare_query(db, deck_id, now, &today)) == ALLIANCE_OK &&
        (rc = forecast_into(db, deck_id, today, result, (uint32_t)ndays)) == ALLIANCE_OK)
        memcpy(counts, result, ndays * sizeof *counts);
    alliance__store_read_end(db, began);
    alliance__free(result);
    return alliance__db_leave(db, rc);
}

int alliance_forecast(alliance_db *db, int64_t deck_id, int64_t now, uint32_t *counts, size_t ndays)
{
    return forecast(db, deck_id, now, counts, ndays, "alliance_forecast");
}

int alliance_forecast_v2(alliance_db *db, int64_t deck_id, int64_t now, uint32_t *counts, uint32_t ndays)
{
    return forecast(db, deck_id, now, counts, ndays, "alliance_forecast_v2");
}
