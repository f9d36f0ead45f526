/* SPDX-License-Identifier: MIT */
/*
 * deck_exam.c - a deck's exam as stored (decks.exam_day, exam_final_days; schema 4) and the
 * figures exam mode reads: the decks whose exam is ahead, and the pace's new-card count.
 * The rules themselves are pure (lib/core/exam.c); SQL text is in sql.c.
 */
#include "store/schedule.h"

int alliance__store_exam_get(alliance_db *db, int64_t deck_id, alliance__exam *out)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_EXAM_GET, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, deck_id);
    rc = alliance__sql_step(db, stmt, "reading a deck's exam");
    if (rc < 0)
        return rc;
    if (rc != SQLITE_ROW)
        return alliance__error_set(&db->error, ALLIANCE_ENOTFOUND, "no deck with id %lld", (long long)deck_id);
    int64_t day = sqlite3_column_int64(stmt, 0), w = sqlite3_column_int64(stmt, 1);
    sqlite3_reset(stmt);
    out->present = day != ALLIANCE__NO_DAY;
    out->day = day;
    out->final_days = w >= 1 && w <= ALLIANCE__EXAM_FINAL_DAYS_MAX ? (uint32_t)w : ALLIANCE__EXAM_FINAL_DAYS_DEFAULT;
    return ALLIANCE_OK;
}

int alliance__store_exam_put(alliance_db *db, int64_t deck_id, int64_t day, uint32_t final_days)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_EXAM_PUT, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, deck_id);
    alliance__sql_bind_int(stmt, 2, day);
    alliance__sql_bind_int(stmt, 3, final_days);
    return alliance__sql_run(db, stmt, "storing a deck's exam");
}

int alliance__store_exam_active(alliance_db *db, int64_t today, int64_t deck_id, alliance__exam_deck *out,
                                size_t cap, size_t *out_count)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_EXAM_ACTIVE, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, today);
    alliance__sql_bind_int(stmt, 2, deck_id);
    size_t n = 0;
    while ((rc = alliance__sql_step(db, stmt, "reading the decks' exams")) == SQLITE_ROW) {
        if (n == cap) { /* more exams than the caller can pace: the rest keep new_per_day */
            sqlite3_reset(stmt);
            rc = SQLITE_DONE;
            break;
        }
        int64_t w = sqlite3_column_int64(stmt, 2);
        out[n].deck_id = sqlite3_column_int64(stmt, 0);
        out[n].exam.present = 1;
        out[n].exam.day = sqlite3_column_int64(stmt, 1);
        out[n].exam.final_days =
            w >= 1 && w <= ALLIANCE__EXAM_FINAL_DAYS_MAX ? (uint32_t)w : ALLIANCE__EXAM_FINAL_DAYS_DEFAULT;
        n++;
    }
    if (rc < 0)
        return rc;
    *out_count = n;
    return ALLIANCE_OK;
}

int alliance__store_exam_new_cards(alliance_db *db, int64_t deck_id, int64_t today, uint32_t *out_at_day_start,
                                   uint32_t *out_introduced_today)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_EXAM_NEW_AT_DAY_START, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, deck_id);
    alliance__sql_bind_int(stmt, 2, today);
    rc = alliance__sql_step(db, stmt, "counting a deck's new cards");
    if (rc < 0)
        return rc;
    int64_t still_new = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
    int64_t introduced = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 1) : 0;
    sqlite3_reset(stmt);
    int64_t total = still_new + introduced;
    *out_at_day_start = total > UINT32_MAX ? UINT32_MAX : (uint32_t)total;
    *out_introduced_today = introduced > UINT32_MAX ? UINT32_MAX : (uint32_t)introduced;
    return ALLIANCE_OK;
}
