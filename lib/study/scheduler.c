/* SPDX-License-Identifier: MIT */
/*
 * scheduler.c - choosing a collection's scheduler (SM-2 or FSRS) and its FSRS
 * parameters. Either change replays every card's log under the new settings in
 * the transaction that stores them: the log is never rewritten, only the caches
 * of its replay (docs/fsrs.md, "FSRS in a collection").
 */
#include "core/fsrs_check.h"
#include "study/replay.h"
#include "store/store.h"
#include "core/fsrs_text.h"

#include <stdio.h>
#include <string.h>

static int replay_all(alliance_db *db, int64_t today, alliance_scheduler_report *rep)
{
    int64_t after = 0;
    for (;;) {
        sqlite3_stmt *stmt;
        int rc = alliance__sql_stmt(db, ALLIANCE__SQL_CARD_NEXT_PK, &stmt);
        if (rc)
            return rc;
        alliance__sql_bind_int(stmt, 1, after);
        if ((rc = alliance__sql_step(db, stmt, "listing cards")) < 0)
            return rc;
        if (rc == SQLITE_DONE)
            return ALLIANCE_OK;
        int64_t pk = sqlite3_column_int64(stmt, 0);
        char id[1024];
        const unsigned char *text = sqlite3_column_text(stmt, 1);
        snprintf(id, sizeof id, "%s", text ? (const char *)text : "");
        sqlite3_reset(stmt);
        if (pk <= after)
            return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "the cards' index is damaged near row %lld",
                                       (long long)after);
        after = pk;
        alliance__sched s;
        alliance__replayed r;
        if ((rc = alliance__store_sched_get(db, id, &s)) != ALLIANCE_OK ||
            (rc = alliance__replay_card(db, id, &s, 1, &r)) != ALLIANCE_OK)
            return rc;
        rep->cards++;
        rep->reviews += r.reviews;
        if (r.reviews > 0) {
            if (r.due_day < s.due_day)
                rep->due_earlier++;
            else if (r.due_day > s.due_day)
                rep->due_later++;
            if (r.suspended == 0 && r.due_day <= today)
                rep->due_today++;
        }
    }
}

/* When a change of a setting replays every card: when the scheduler changed, or (for the
 * FSRS parameters) whenever the collection is scheduled by FSRS. */
enum { REPLAY_IF_CHANGED, REPLAY_UNDER_FSRS };

/* Stores one setting (statement `id` binding `value`, or `text` if not NULL) and replays
 * every card as `replay` says, in one transaction: the scheduler before the change is read
 * inside it, so a switch made meanwhile through another connection is never missed. */
static int set_and_replay(alliance_db *db, alliance__sql_id id, int64_t value, const char *text, int64_t now,
                          int replay, alliance_scheduler_report **out_report)
{
    alliance_scheduler_report *rep = alliance__calloc(1, sizeof *rep);
    if (!rep)
        return alliance__error_set(&db->error, ALLIANCE_ENOMEM, "out of memory");
    rep->version = 1;
    int rc = alliance__store_begin(db);
    int64_t today = 0;
    sqlite3_stmt *stmt;
    uint32_t scheduler = 0, before = 0;
    if (rc == ALLIANCE_OK && (rc = alliance__db_today(db, now, &today)) == ALLIANCE_OK &&
        (rc = alliance__db_scheduler(db, &before, NULL)) == ALLIANCE_OK &&
        (rc = alliance__sql_stmt(db, id, &stmt)) == ALLIANCE_OK) {
        if (text)
            alliance__sql_bind_text(stmt, 1, text);
        else
            alliance__sql_bind_int(stmt, 1, value);
        if ((rc = alliance__sql_run(db, stmt, "storing the scheduler")) == ALLIANCE_OK) {
            alliance__db_settings_forget(db);
            rc = alliance__db_scheduler(db, &scheduler, NULL);
        }
        rep->scheduler = scheduler;
        if (rc == ALLIANCE_OK && (replay == REPLAY_IF_CHANGED ? scheduler != before
                                                              : scheduler == ALLIANCE_SCHEDULER_FSRS))
            rc = replay_all(db, today, rep);
        if (rc == ALLIANCE_OK)
            rc = alliance__store_commit(db);
    }
    if (rc != ALLIANCE_OK) {
        alliance__store_rollback(db);
        alliance__db_settings_forget(db);
        alliance__free(rep);
        return rc;
    }
    if (out_report)
        *out_report = rep;
    else
        alliance__free(rep);
    return ALLIANCE_OK;
}

int alliance_scheduler_get(alliance_db *db, uint32_t *out_scheduler)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!out_scheduler)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "alliance_scheduler_get: out_scheduler is NULL"));
    return alliance__db_leave(db, alliance__db_scheduler(db, out_scheduler, NULL));
}

int alliance_scheduler_set(alliance_db *db, uint32_t scheduler, int64_t now, alliance_scheduler_report **out_report)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (scheduler != ALLIANCE_SCHEDULER_SM2 && scheduler != ALLIANCE_SCHEDULER_FSRS)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL, "scheduler %u is neither "
                                                          "ALLIANCE_SCHEDULER_SM2 (0) nor ALLIANCE_SCHEDULER_FSRS (1)",
                                                          (unsigned)scheduler));
    /* The same scheduler again replays nothing (and its trigger stamps nothing to sync). */
    return alliance__db_leave(db, set_and_replay(db, ALLIANCE__SQL_SCHEDULER_SET, scheduler, NULL, now,
                                                 REPLAY_IF_CHANGED, out_report));
}

int alliance_fsrs_params_get(alliance_db *db, alliance_fsrs_params *out)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!out)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "alliance_fsrs_params_get: out is NULL"));
    return alliance__db_leave(db, alliance__db_scheduler(db, NULL, out));
}

int alliance_fsrs_params_set(alliance_db *db, const alliance_fsrs_params *params, int64_t now,
                             alliance_scheduler_report **out_report)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!params)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "alliance_fsrs_params_set: params is NULL"));
    char problem[160];
    if ((rc = alliance__fsrs_params_problem(params, problem, sizeof problem)) != ALLIANCE_OK)
        return alliance__db_leave(db, alliance__error_set(&db->error, rc, "FSRS parameters refused: %s", problem));
    char text[ALLIANCE__FSRS_TEXT_MAX];
    alliance__fsrs_params_encode(params, text);
    /* Under SM-2 the FSRS track is not kept: set_and_replay replays only under FSRS. */
    return alliance__db_leave(db, set_and_replay(db, ALLIANCE__SQL_FSRS_PARAMS_SET, 0, text, now, REPLAY_UNDER_FSRS,
                                                 out_report));
}
