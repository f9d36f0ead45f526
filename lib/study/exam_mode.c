/* SPDX-License-Identifier: MIT */
/*
 * exam_mode.c - an exam date per deck: setting and clearing it, its status (the pace), and a
 * card's due day as seen before the exam. The rules are pure (lib/core/exam.c); sessions,
 * counts, the forecast and answering apply the same clamp (session.c, stats.c, answer.c).
 */
#include "study/exam_mode.h"
#include "store/schedule.h"

#include <string.h>

/* Day numbers far beyond any calendar would only overflow the clamp's arithmetic. */
#define EXAM_DAY_LIMIT (INT64_C(1) << 31)

int alliance__exam_card_due(alliance_db *db, int64_t deck_id, int64_t today, int64_t last_review_day,
                            int64_t due_day, int64_t *out)
{
    alliance__exam exam;
    int rc = alliance__store_exam_get(db, deck_id, &exam);
    if (rc == ALLIANCE_OK)
        *out = alliance__exam_due_from(&exam, today, last_review_day, due_day);
    return rc;
}

int alliance__exam_any_ahead(alliance_db *db, int64_t today, int64_t deck_id, int *out)
{
    alliance__exam_deck one;
    size_t n = 0;
    int rc = alliance__store_exam_active(db, today, deck_id, &one, 1, &n);
    if (rc == ALLIANCE_OK)
        *out = n > 0;
    return rc;
}

int alliance__exam_status_of(alliance_db *db, int64_t deck_id, const alliance__exam *exam, int64_t today,
                             alliance_exam_status *out)
{
    uint32_t version = out->version;
    memset(out, 0, sizeof *out);
    out->version = version;
    if (!exam->present)
        return ALLIANCE_OK;
    alliance_sm2_params params;
    uint32_t n = 0, introduced = 0;
    int rc;
    if ((rc = alliance__db_params(db, &params)) != ALLIANCE_OK ||
        (rc = alliance__store_exam_new_cards(db, deck_id, today, &n, &introduced)) != ALLIANCE_OK)
        return rc;
    out->has_exam = 1;
    out->exam_day = exam->day;
    out->final_days = exam->final_days;
    out->new_cards = n;
    out->introduced_today = introduced;
    out->ready_by_day = alliance__exam_ready_by(exam, params.first_interval_days, params.second_interval_days);
    out->pace = alliance__exam_pace(exam, today, out->ready_by_day, n);
    return ALLIANCE_OK;
}

static int exam_write(alliance_db *db, int64_t deck_id, int64_t day, uint32_t final_days)
{
    int rc = alliance__store_begin(db);
    if (rc)
        return rc;
    alliance__exam old;
    if ((rc = alliance__store_exam_get(db, deck_id, &old)) == ALLIANCE_OK &&
        (rc = alliance__store_exam_put(db, deck_id, day, final_days)) == ALLIANCE_OK)
        rc = alliance__store_commit(db);
    if (rc != ALLIANCE_OK)
        alliance__store_rollback(db);
    return rc;
}

int alliance_exam_set(alliance_db *db, int64_t deck_id, int64_t exam_day, uint32_t final_days)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (final_days == 0)
        final_days = ALLIANCE__EXAM_FINAL_DAYS_DEFAULT;
    if (deck_id < 1 || exam_day <= -EXAM_DAY_LIMIT || exam_day >= EXAM_DAY_LIMIT ||
        final_days > ALLIANCE__EXAM_FINAL_DAYS_MAX)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "alliance_exam_set: deck %lld, day %lld, final window %u "
                                                          "(a deck id >= 1, |day| < 2^31, 1..30 days)",
                                                          (long long)deck_id, (long long)exam_day,
                                                          (unsigned)final_days));
    return alliance__db_leave(db, exam_write(db, deck_id, exam_day, final_days));
}

int alliance_exam_clear(alliance_db *db, int64_t deck_id)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (deck_id < 1)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "alliance_exam_clear: deck id %lld", (long long)deck_id));
    return alliance__db_leave(db, exam_write(db, deck_id, ALLIANCE__NO_DAY, ALLIANCE__EXAM_FINAL_DAYS_DEFAULT));
}

int alliance_exam_status_init(alliance_exam_status *status, uint32_t version)
{
    if (!status)
        return ALLIANCE_EINVAL;
    if (version != ALLIANCE_EXAM_STATUS_VERSION)
        return ALLIANCE_EVERSION;
    memset(status, 0, sizeof *status);
    status->version = ALLIANCE_EXAM_STATUS_VERSION;
    return ALLIANCE_OK;
}

int alliance_exam_get(alliance_db *db, int64_t deck_id, int64_t now, alliance_exam_status *out)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!out || deck_id < 1)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "alliance_exam_get: out is NULL or deck id %lld < 1",
                                                          (long long)deck_id));
    if (out->version != ALLIANCE_EXAM_STATUS_VERSION)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EVERSION,
                                                          "alliance_exam_get: unknown version %u",
                                                          (unsigned)out->version));
    int64_t today;
    alliance__exam exam;
    alliance_exam_status status = ALLIANCE_EXAM_STATUS_INIT;
    int began = 0;
    if ((rc = alliance__store_snapshot_begin(db, &began)) == ALLIANCE_OK &&
        (rc = alliance__db_today(db, now, &today)) == ALLIANCE_OK &&
        (rc = alliance__store_exam_get(db, deck_id, &exam)) == ALLIANCE_OK &&
        (rc = alliance__exam_status_of(db, deck_id, &exam, today, &status)) == ALLIANCE_OK)
        *out = status;
    alliance__store_read_end(db, began);
    return alliance__db_leave(db, rc);
}

int alliance_card_due_day(alliance_db *db, const char *card_id, int64_t now, int64_t *out_day)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!card_id || !out_day)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "alliance_card_due_day: card_id or out_day is NULL"));
    int64_t today, day = 0;
    alliance__sched s;
    int began = 0;
    if ((rc = alliance__store_snapshot_begin(db, &began)) == ALLIANCE_OK &&
        (rc = alliance__db_today(db, now, &today)) == ALLIANCE_OK &&
        (rc = alliance__store_sched_get(db, card_id, &s)) == ALLIANCE_OK) {
        if (s.reviews == 0)
            day = today;
        else
            rc = alliance__exam_card_due(db, s.deck_id, today, s.last_review_day, s.due_day, &day);
    }
    alliance__store_read_end(db, began);
    if (rc == ALLIANCE_OK)
        *out_day = day;
    return alliance__db_leave(db, rc);
}

/* ---- the study settings (siblings apart, fuzz) ---- */

int alliance_study_settings_init(alliance_study_settings *settings, uint32_t version)
{
    if (!settings)
        return ALLIANCE_EINVAL;
    if (version != ALLIANCE_STUDY_SETTINGS_VERSION)
        return ALLIANCE_EVERSION;
    alliance_study_settings defaults = ALLIANCE_STUDY_SETTINGS_INIT;
    *settings = defaults;
    return ALLIANCE_OK;
}

int alliance_study_settings_get(alliance_db *db, alliance_study_settings *out)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!out)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "alliance_study_settings_get: out is NULL"));
    if (out->version != ALLIANCE_STUDY_SETTINGS_VERSION)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EVERSION,
                                                          "alliance_study_settings_get: unknown version %u",
                                                          (unsigned)out->version));
    uint32_t bury = 0, fuzz = 0;
    int began = alliance__store_read_begin(db);
    rc = alliance__db_study_settings(db, &bury, &fuzz);
    alliance__store_read_end(db, began);
    if (rc == ALLIANCE_OK) {
        out->bury_siblings = bury;
        out->fuzz = fuzz;
    }
    return alliance__db_leave(db, rc);
}

int alliance_study_settings_set(alliance_db *db, const alliance_study_settings *settings)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!settings)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "alliance_study_settings_set: settings is NULL"));
    if (settings->version != ALLIANCE_STUDY_SETTINGS_VERSION)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EVERSION,
                                                          "alliance_study_settings_set: unknown version %u",
                                                          (unsigned)settings->version));
    if (settings->bury_siblings > 1 || settings->fuzz > 1)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "alliance_study_settings_set: bury_siblings %u, fuzz %u "
                                                          "(each 0 or 1)", (unsigned)settings->bury_siblings,
                                                          (unsigned)settings->fuzz));
    sqlite3_stmt *stmt;
    if ((rc = alliance__store_begin(db)) != ALLIANCE_OK)
        return alliance__db_leave(db, rc);
    if ((rc = alliance__sql_stmt(db, ALLIANCE__SQL_STUDY_SETTINGS_SET, &stmt)) == ALLIANCE_OK) {
        alliance__sql_bind_int(stmt, 1, settings->bury_siblings);
        alliance__sql_bind_int(stmt, 2, settings->fuzz);
        rc = alliance__sql_run(db, stmt, "storing the study settings");
    }
    if (rc == ALLIANCE_OK)
        rc = alliance__store_commit(db);
    if (rc != ALLIANCE_OK)
        alliance__store_rollback(db);
    alliance__db_settings_forget(db);
    return alliance__db_leave(db, rc);
}
