/* SPDX-License-Identifier: MIT */
/*
 * integrity.c - alliance_integrity_check: SQLite's own checks of the file
 * (integrity_check, foreign_key_check), for a learner's or a support desk's
 * health check. alliance_verify (replay.c) checks the schedules against the
 * review log; together they say whether a collection is healthy.
 */
#include "store/handle.h"

#include <stdio.h>
#include <string.h>

#define MAX_PROBLEMS 100

/* Appends one line of the report; 0 or ALLIANCE_ENOMEM. */
static int add_line(alliance__buf *report, unsigned *count, const char *line)
{
    if (*count >= MAX_PROBLEMS)
        return ALLIANCE_OK;
    (*count)++;
    if (alliance__buf_puts(report, line) != 0 || alliance__buf_append(report, "\n", 1) != 0)
        return ALLIANCE_ENOMEM;
    return ALLIANCE_OK;
}

static int run_checks(alliance_db *db, alliance__buf *report, unsigned *problems)
{
    sqlite3_stmt *stmt = NULL;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_INTEGRITY_CHECK, &stmt);
    while (rc == ALLIANCE_OK && (rc = alliance__sql_step(db, stmt, "checking the file's integrity")) == SQLITE_ROW) {
        const unsigned char *text = sqlite3_column_text(stmt, 0);
        const char *line = text ? (const char *)text : "";
        rc = strcmp(line, "ok") == 0 ? ALLIANCE_OK : add_line(report, problems, line);
    }
    if (rc < 0) {
        sqlite3_reset(stmt); /* NULL is a no-op */
        return rc;
    }
    stmt = NULL;
    rc = alliance__sql_stmt(db, ALLIANCE__SQL_FOREIGN_KEY_CHECK, &stmt);
    while (rc == ALLIANCE_OK && (rc = alliance__sql_step(db, stmt, "checking the file's references")) == SQLITE_ROW) {
        char line[300];
        const unsigned char *table = sqlite3_column_text(stmt, 0), *parent = sqlite3_column_text(stmt, 2);
        snprintf(line, sizeof line, "row %lld of %s refers to a row of %s that does not exist",
                 (long long)sqlite3_column_int64(stmt, 1), table ? (const char *)table : "?",
                 parent ? (const char *)parent : "?");
        rc = add_line(report, problems, line);
    }
    if (rc < 0)
        sqlite3_reset(stmt);
    return rc < 0 ? rc : ALLIANCE_OK;
}

int alliance_integrity_check(alliance_db *db, char **out_report)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    alliance__buf report = {0};
    unsigned problems = 0;
    int began = 0;
    if ((rc = alliance__store_snapshot_begin(db, &began)) == ALLIANCE_OK)
        rc = run_checks(db, &report, &problems);
    alliance__store_read_end(db, began);
    if (rc == ALLIANCE_ECORRUPT && report.len == 0) /* SQLite could not even walk the file */
        rc = add_line(&report, &problems, db->error.message) ? ALLIANCE_ENOMEM : ALLIANCE_ECORRUPT;
    if (rc == ALLIANCE_OK && problems) {
        const char *nl = strchr(report.data, '\n');
        rc = alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "%s is damaged: %.*s%s", alliance__db_file(db),
                                 (int)(nl - report.data), report.data, problems > 1 ? " (and more: see the report)" : "");
    }
    if (rc == ALLIANCE_ENOMEM)
        alliance__error_set(&db->error, rc, "out of memory");
    if ((rc == ALLIANCE_OK || rc == ALLIANCE_ECORRUPT) && out_report) {
        if (!problems && alliance__buf_puts(&report, "ok\n") != 0) {
            rc = alliance__error_set(&db->error, ALLIANCE_ENOMEM, "out of memory");
        } else {
            report.data[report.len - 1] = '\0'; /* without the last line break */
            *out_report = report.data;
            report.data = NULL;
        }
    }
    alliance__buf_free(&report);
    return alliance__db_leave(db, rc);
}
