/* SPDX-License-Identifier: MIT */
/*
 * review_log.c - the rows of the review log: write one, read the newest, read
 * them in order, delete one (only undo does, and only the row it undoes).
 * SQL text is in sql.c.
 */
#include "store/schedule.h"

#include <stdio.h>

/* The id of the FSRS parameter set with this text, added if the collection has not held it. */
static int fsrs_set(alliance_db *db, const char *text, int64_t *out_id)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_FSRS_SET_ADD, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_text(stmt, 1, text);
    if ((rc = alliance__sql_run(db, stmt, "recording FSRS parameters")) != ALLIANCE_OK ||
        (rc = alliance__sql_stmt(db, ALLIANCE__SQL_FSRS_SET_ID, &stmt)) != ALLIANCE_OK)
        return rc;
    alliance__sql_bind_text(stmt, 1, text);
    if ((rc = alliance__sql_step(db, stmt, "reading FSRS parameters")) < 0)
        return rc;
    if (rc != SQLITE_ROW)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "a set of FSRS parameters just recorded is missing");
    *out_id = sqlite3_column_int64(stmt, 0);
    sqlite3_reset(stmt);
    return ALLIANCE_OK;
}

int alliance__log_insert(alliance_db *db, const alliance__review_row *r)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_REVIEW_INSERT, &stmt);
    if (rc)
        return rc;
    const int64_t values[] = {
        r->card_pk, r->time, r->day, r->grade, r->elapsed_days, r->answer_ms,
        r->before.repetitions, r->before.efactor_milli, r->before.interval_days, r->before.repeat_today,
        r->after.repetitions, r->after.efactor_milli, r->after.interval_days, r->after.repeat_today,
        r->params.preset, r->params.initial_efactor_milli, r->params.min_efactor_milli,
        r->params.first_interval_days, r->params.second_interval_days, r->params.max_interval_days,
        r->prev_due_day, r->prev_last_review_day, r->prev_lapses, r->prev_leech, r->leech_suspended,
        r->origin, r->seq, r->lamport, r->sort_time, r->raw_day, r->leech_threshold, r->leech_suspend,
        r->kind, r->fuzz, r->fuzz_days, r->import_id, r->import_due_day, r->import_reviews, r->import_lapses,
    };
    int64_t set = 0;
    if (r->scheduler == ALLIANCE_SCHEDULER_FSRS && (rc = fsrs_set(db, r->fsrs_params, &set)) != ALLIANCE_OK)
        return rc;
    int n = (int)(sizeof values / sizeof values[0]);
    for (int i = 0; i < n; i++)
        alliance__sql_bind_int(stmt, i + 1, values[i]);
    alliance__sql_bind_int(stmt, n + 1, r->scheduler);
    alliance__sql_bind_int(stmt, n + 2, set);
    return alliance__sql_run(db, stmt, "logging a review");
}

static uint32_t u32(sqlite3_stmt *stmt, int col)
{
    return (uint32_t)sqlite3_column_int64(stmt, col);
}

static void read_state(sqlite3_stmt *stmt, int first, alliance_sm2_state *out)
{
    out->repetitions = u32(stmt, first);
    out->efactor_milli = u32(stmt, first + 1);
    out->interval_days = u32(stmt, first + 2);
    out->repeat_today = u32(stmt, first + 3);
}

static void read_row(sqlite3_stmt *stmt, alliance__review_row *out)
{
    out->id = sqlite3_column_int64(stmt, ALLIANCE__RCOL_ID);
    out->card_pk = sqlite3_column_int64(stmt, ALLIANCE__RCOL_CARD);
    out->time = sqlite3_column_int64(stmt, ALLIANCE__RCOL_TIME);
    out->day = sqlite3_column_int64(stmt, ALLIANCE__RCOL_DAY);
    out->grade = (int32_t)sqlite3_column_int64(stmt, ALLIANCE__RCOL_GRADE);
    out->elapsed_days = sqlite3_column_int64(stmt, ALLIANCE__RCOL_ELAPSED_DAYS);
    out->answer_ms = u32(stmt, ALLIANCE__RCOL_ANSWER_MS);
    read_state(stmt, ALLIANCE__RCOL_BEFORE, &out->before);
    read_state(stmt, ALLIANCE__RCOL_AFTER, &out->after);
    out->params.version = ALLIANCE_SM2_PARAMS_VERSION;
    out->params.preset = u32(stmt, ALLIANCE__RCOL_PARAMS);
    out->params.initial_efactor_milli = u32(stmt, ALLIANCE__RCOL_PARAMS + 1);
    out->params.min_efactor_milli = u32(stmt, ALLIANCE__RCOL_PARAMS + 2);
    out->params.first_interval_days = u32(stmt, ALLIANCE__RCOL_PARAMS + 3);
    out->params.second_interval_days = u32(stmt, ALLIANCE__RCOL_PARAMS + 4);
    out->params.max_interval_days = u32(stmt, ALLIANCE__RCOL_PARAMS + 5);
    out->prev_due_day = sqlite3_column_int64(stmt, ALLIANCE__RCOL_PREV_DUE_DAY);
    out->prev_last_review_day = sqlite3_column_int64(stmt, ALLIANCE__RCOL_PREV_LAST_REVIEW_DAY);
    out->prev_lapses = u32(stmt, ALLIANCE__RCOL_PREV_LAPSES);
    out->prev_leech = u32(stmt, ALLIANCE__RCOL_PREV_LEECH);
    out->leech_suspended = u32(stmt, ALLIANCE__RCOL_LEECH_SUSPENDED);
    const unsigned char *id = sqlite3_column_text(stmt, ALLIANCE__RCOL_CARD_ID);
    snprintf(out->card_id, sizeof out->card_id, "%s", id ? (const char *)id : "");
    out->origin = sqlite3_column_int64(stmt, ALLIANCE__RCOL_ORIGIN);
    out->seq = sqlite3_column_int64(stmt, ALLIANCE__RCOL_SEQ);
    out->lamport = sqlite3_column_int64(stmt, ALLIANCE__RCOL_LAMPORT);
    out->sort_time = sqlite3_column_int64(stmt, ALLIANCE__RCOL_SORT_TIME);
    out->raw_day = sqlite3_column_int64(stmt, ALLIANCE__RCOL_RAW_DAY);
    out->leech_threshold = u32(stmt, ALLIANCE__RCOL_LEECH_THRESHOLD);
    out->leech_suspend = u32(stmt, ALLIANCE__RCOL_LEECH_SUSPEND);
    out->kind = u32(stmt, ALLIANCE__RCOL_KIND);
    out->fuzz = u32(stmt, ALLIANCE__RCOL_FUZZ);
    out->fuzz_days = (int32_t)sqlite3_column_int64(stmt, ALLIANCE__RCOL_FUZZ_DAYS);
    out->import_id = sqlite3_column_int64(stmt, ALLIANCE__RCOL_IMPORT_ID);
    out->import_due_day = sqlite3_column_int64(stmt, ALLIANCE__RCOL_IMPORT_DUE_DAY);
    out->import_reviews = u32(stmt, ALLIANCE__RCOL_IMPORT_REVIEWS);
    out->import_lapses = u32(stmt, ALLIANCE__RCOL_IMPORT_LAPSES);
    out->scheduler = u32(stmt, ALLIANCE__RCOL_SCHEDULER);
    const unsigned char *params = sqlite3_column_text(stmt, ALLIANCE__RCOL_FSRS_PARAMS);
    snprintf(out->fsrs_params, sizeof out->fsrs_params, "%s", params ? (const char *)params : "");
}

void alliance__log_read(sqlite3_stmt *stmt, alliance__review_row *out)
{
    read_row(stmt, out);
}

/* Steps a REVIEW_* statement once: 0 with *out filled, or ALLIANCE_DONE. */
static int read_one(alliance_db *db, sqlite3_stmt *stmt, alliance__review_row *out)
{
    int rc = alliance__sql_step(db, stmt, "reading the review log");
    if (rc < 0)
        return rc;
    if (rc == SQLITE_DONE)
        return ALLIANCE_DONE;
    read_row(stmt, out);
    sqlite3_reset(stmt);
    return ALLIANCE_OK;
}

int alliance__log_last_own(alliance_db *db, int64_t origin, alliance__review_row *out)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_REVIEW_LAST, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, origin);
    rc = read_one(db, stmt, out);
    if (rc == ALLIANCE_DONE)
        return alliance__error_set(&db->error, ALLIANCE_ENOUNDO,
                                   "nothing to undo: this device has given no answer that is still in the log");
    return rc;
}

int alliance__log_delete(alliance_db *db, int64_t review_id)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_REVIEW_DELETE, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, review_id);
    return alliance__sql_run(db, stmt, "removing a review");
}

int alliance__log_next(alliance_db *db, const alliance__log_key *after, int64_t card_pk, alliance__review_row *out)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, card_pk ? ALLIANCE__SQL_REVIEW_NEXT_OF_CARD : ALLIANCE__SQL_REVIEW_NEXT, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, after->sort_time);
    alliance__sql_bind_int(stmt, 2, after->origin);
    alliance__sql_bind_int(stmt, 3, after->seq);
    if (card_pk)
        alliance__sql_bind_int(stmt, 4, card_pk);
    rc = read_one(db, stmt, out);
    /* The merged order's key (sort time, origin, seq) must advance: only a damaged file (a
     * corrupt index) hands back a row that does not follow the last one, and a loop over the
     * log would then go round for ever. The one guard every row loop uses says so. */
    alliance__key last = {{after->sort_time, after->origin, after->seq}};
    alliance__key next = {{rc == ALLIANCE_OK ? out->sort_time : 0, rc == ALLIANCE_OK ? out->origin : 0,
                           rc == ALLIANCE_OK ? out->seq : 0}};
    if (rc == ALLIANCE_OK)
        rc = alliance__key_advance(db, &last, &next, 3, "reading the review log");
    return rc;
}

int alliance__log_cache_put(alliance_db *db, const alliance__review_row *r)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_REVIEW_CACHE_PUT, &stmt);
    if (rc)
        return rc;
    const int64_t values[] = {
        r->id, r->day, r->elapsed_days,
        r->before.repetitions, r->before.efactor_milli, r->before.interval_days, r->before.repeat_today,
        r->after.repetitions, r->after.efactor_milli, r->after.interval_days, r->after.repeat_today,
        r->prev_due_day, r->prev_last_review_day, r->prev_lapses, r->prev_leech, r->leech_suspended,
        r->fuzz_days,
    };
    for (int i = 0; i < (int)(sizeof values / sizeof values[0]); i++)
        alliance__sql_bind_int(stmt, i + 1, values[i]);
    return alliance__sql_run(db, stmt, "rewriting a review's replay");
}

int alliance__log_scan(alliance_db *db, int64_t deck_id, alliance__log_scan_fn fn, void *opaque)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_REVIEW_SCAN, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, deck_id);
    /* One statement stepped to its end is one read snapshot: answers committed by another
     * connection meanwhile are not seen, however long the callbacks take. */
    while ((rc = alliance__sql_step(db, stmt, "reading the review log")) == SQLITE_ROW) {
        alliance__scan_row row;
        row.card_pk = sqlite3_column_int64(stmt, 0);
        const unsigned char *id = sqlite3_column_text(stmt, 1);
        row.card_id = id ? (const char *)id : "";
        row.time = sqlite3_column_int64(stmt, 2);
        row.grade = (int32_t)sqlite3_column_int64(stmt, 3);
        row.elapsed_days = sqlite3_column_int64(stmt, 4);
        row.answer_ms = u32(stmt, 5);
        int frc = fn(opaque, &row);
        if (frc) {
            sqlite3_reset(stmt);
            return frc;
        }
    }
    return rc < 0 ? rc : ALLIANCE_OK;
}
