/* SPDX-License-Identifier: MIT */
/*
 * stats.c - what an app shows about a deck: card counts, recent reviews,
 * retention (plain and Anki's true retention), answer time, reviews per day
 * and a forecast of the coming days (docs/study-modes.md, "Statistics").
 * Aggregates computed by SQLite (sql.c); nothing is loaded whole. Each call
 * reads in one read transaction: one snapshot.
 */
#include "store/schedule.h"
#include "study/exam_mode.h"

#include <stddef.h>
#include <string.h>

#define MAX_FORECAST_DAYS 3650
#define MAX_HISTORY_DAYS 3650

/* The bytes of each layout: a caller built against version 1 allocated only these. */
static size_t stats_size(uint32_t version)
{
    switch (version) {
    case 1: return offsetof(alliance_stats, true_reviews);
    case 2: return sizeof(alliance_stats);
    default: return 0;
    }
}

int alliance_stats_init(alliance_stats *stats, uint32_t version)
{
    if (!stats)
        return ALLIANCE_EINVAL;
    size_t size = stats_size(version);
    if (size == 0)
        return ALLIANCE_EVERSION;
    memset(stats, 0, size);
    stats->version = version;
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

static void read_exam_due(sqlite3_stmt *stmt, alliance_stats *out)
{
    out->due_today = column_count(stmt, 0);
}

static void read_review_counts(sqlite3_stmt *stmt, alliance_stats *out)
{
    out->reviews = column_count(stmt, 0);
    out->correct = column_count(stmt, 1);
    out->true_reviews = column_count(stmt, 2);
    out->true_passed = column_count(stmt, 3);
    out->mature_reviews = column_count(stmt, 4);
    out->mature_passed = column_count(stmt, 5);
    out->timed_answers = column_count(stmt, 6);
    int64_t total_ms = sqlite3_column_int64(stmt, 7);
    if (out->timed_answers > 0 && total_ms > 0) {
        int64_t mean = (total_ms + out->timed_answers / 2) / out->timed_answers;
        out->average_answer_ms = mean > UINT32_MAX ? UINT32_MAX : (uint32_t)mean;
    }
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
    size_t size = stats_size(out->version);
    if (size == 0)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EVERSION,
                                                          "alliance_stats_get: unknown version %u", (unsigned)out->version));
    int64_t today;
    int exam_ahead = 0;
    alliance_stats stats;
    alliance_stats_init(&stats, ALLIANCE_STATS_VERSION);
    stats.window_days = window_days;
    int began = 0; /* the card counts and the review counts from one snapshot */
    if ((rc = alliance__store_snapshot_begin(db, &began)) == ALLIANCE_OK &&
        (rc = prepare_query(db, deck_id, now, &today)) == ALLIANCE_OK &&
        (rc = aggregate(db, ALLIANCE__SQL_STATS_CARDS, deck_id, today, 0, &stats, read_card_counts)) == ALLIANCE_OK &&
        (rc = aggregate(db, ALLIANCE__SQL_STATS_REVIEWS, deck_id, today, window_days, &stats, read_review_counts)) == ALLIANCE_OK &&
        (rc = alliance__exam_any_ahead(db, today, deck_id, &exam_ahead)) == ALLIANCE_OK &&
        (!exam_ahead || /* due today as exam mode sees it */
         (rc = aggregate(db, ALLIANCE__SQL_STATS_DUE_EXAM, deck_id, today, 0, &stats, read_exam_due)) == ALLIANCE_OK)) {
        stats.version = out->version;
        memcpy(out, &stats, size); /* only the layout the caller has */
    }
    alliance__store_read_end(db, began);
    return alliance__db_leave(db, rc);
}

static int forecast_into(alliance_db *db, int64_t deck_id, int64_t today, uint32_t *counts, uint32_t ndays)
{
    sqlite3_stmt *stmt;
    int exam_ahead = 0;
    int rc = alliance__exam_any_ahead(db, today, deck_id, &exam_ahead);
    if (rc || (rc = alliance__sql_stmt(db, exam_ahead ? ALLIANCE__SQL_FORECAST_EXAM : ALLIANCE__SQL_FORECAST, &stmt)))
        return rc;
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

/* Fills counts[today - day] from the per-day aggregate; days outside 0..ndays-1 are skipped. */
static int history_into(alliance_db *db, int64_t deck_id, int64_t today, uint32_t *counts, size_t ndays)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_REVIEW_HISTORY, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, deck_id);
    alliance__sql_bind_int(stmt, 2, today);
    alliance__sql_bind_int(stmt, 3, (int64_t)ndays);
    while ((rc = alliance__sql_step(db, stmt, "counting reviews per day")) == SQLITE_ROW) {
        int64_t ago = sqlite3_column_int64(stmt, 0);
        if (ago >= 0 && (size_t)ago < ndays)
            counts[ago] = column_count(stmt, 1);
    }
    return rc < 0 ? rc : ALLIANCE_OK;
}

int alliance_review_history(alliance_db *db, int64_t deck_id, int64_t now, uint32_t *counts, uint32_t ndays)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!counts || ndays < 1 || ndays > MAX_HISTORY_DAYS)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "alliance_review_history: counts is NULL or ndays %u is "
                                                          "outside 1..%d", (unsigned)ndays, MAX_HISTORY_DAYS));
    uint32_t *result = alliance__calloc(ndays, sizeof *result); /* aside: a failure leaves counts alone */
    if (!result)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_ENOMEM, "out of memory"));
    int64_t today;
    int began = 0; /* one snapshot */
    if ((rc = alliance__store_snapshot_begin(db, &began)) == ALLIANCE_OK &&
        (rc = prepare_query(db, deck_id, now, &today)) == ALLIANCE_OK &&
        (rc = history_into(db, deck_id, today, result, ndays)) == ALLIANCE_OK)
        memcpy(counts, result, ndays * sizeof *counts);
    alliance__store_read_end(db, began);
    alliance__free(result);
    return alliance__db_leave(db, rc);
}
