/* SPDX-License-Identifier: MIT */
/*
 * sql.h - every SQL statement of the collection, by name. The text lives in
 * sql.c only; callers bind parameters (never build SQL) and read columns by
 * the indices below. Statements are prepared once per handle and cached.
 * Every function here expects the caller to hold the handle's mutex.
 */
#ifndef ALLIANCE_SQL_H
#define ALLIANCE_SQL_H

#include "core/internal.h"

#include <sqlite3.h>

/* The schema version this library writes; a migration per step lives in sql.c. */
#define ALLIANCE__SCHEMA_VERSION 7
/* The tables, indexes, views and triggers of the current schema (SCHEMA_CHECK counts them at open). */
#define ALLIANCE__SCHEMA_OBJECTS 41
/* PRAGMA application_id of every collection: "ALLY" in ASCII. */
#define ALLIANCE__APPLICATION_ID 0x414C4C59

typedef enum alliance__sql_id {
    /* transactions */
    ALLIANCE__SQL_BEGIN,
    ALLIANCE__SQL_COMMIT,
    ALLIANCE__SQL_ROLLBACK,
    ALLIANCE__SQL_BEGIN_READ,
    /* opening: recognise the file, then set the connection up */
    ALLIANCE__SQL_APPLICATION_ID,
    ALLIANCE__SQL_USER_VERSION,
    ALLIANCE__SQL_SCHEMA_OBJECTS,
    ALLIANCE__SQL_SCHEMA_CHECK,
    ALLIANCE__SQL_FOREIGN_KEYS_ON,
    ALLIANCE__SQL_SYNC_NORMAL,
    ALLIANCE__SQL_SYNC_FULL,
    ALLIANCE__SQL_JOURNAL_WAL,
    /* config (one row): settings, current SM-2 parameters, import generation */
    ALLIANCE__SQL_CONFIG_INSERT,
    ALLIANCE__SQL_SETTINGS_GET,
    ALLIANCE__SQL_CONFIG_SET,
    ALLIANCE__SQL_PARAMS_SET,
    ALLIANCE__SQL_SCHEDULER_SET,
    ALLIANCE__SQL_FSRS_PARAMS_SET,
    ALLIANCE__SQL_GENERATION_NEXT,
    /* decks */
    ALLIANCE__SQL_DECK_BY_NAME,
    ALLIANCE__SQL_DECK_INSERT,
    ALLIANCE__SQL_DECK_UPDATE,
    ALLIANCE__SQL_DECK_GET,
    ALLIANCE__SQL_DECK_GENERATION_GET,
    ALLIANCE__SQL_DECK_GENERATION_SET,
    ALLIANCE__SQL_DECK_NEXT,
    ALLIANCE__SQL_DECK_LIST,
    /* cards */
    ALLIANCE__SQL_CARD_GET,
    ALLIANCE__SQL_CARD_GET_PK,
    ALLIANCE__SQL_CARD_FOR_PUT,
    ALLIANCE__SQL_NOTE_TAKEN,
    ALLIANCE__SQL_CARD_INSERT,
    ALLIANCE__SQL_CARD_UPDATE_TEXT,
    ALLIANCE__SQL_CARD_MARK_SEEN,
    ALLIANCE__SQL_CARD_COUNT_LEFT_FILE,
    ALLIANCE__SQL_CARD_SUSPEND_UNSEEN,
    ALLIANCE__SQL_CARD_LEAVE_FILE,
    ALLIANCE__SQL_CARD_SET_SUSPENDED,
    ALLIANCE__SQL_CARD_SET_BURIED,
    ALLIANCE__SQL_CARD_SEARCH_NEXT,
    ALLIANCE__SQL_CARD_NEXT_PK,
    ALLIANCE__SQL_CARD_DECK_FILE,
    ALLIANCE__SQL_SCHED_GET,
    ALLIANCE__SQL_SCHED_PUT,
    /* the review log */
    ALLIANCE__SQL_REVIEW_INSERT,
    ALLIANCE__SQL_FSRS_SET_ADD,
    ALLIANCE__SQL_FSRS_SET_ID,
    ALLIANCE__SQL_REVIEW_LAST,
    ALLIANCE__SQL_REVIEW_DELETE,
    ALLIANCE__SQL_REVIEW_NEXT,
    ALLIANCE__SQL_REVIEW_NEXT_OF_CARD,
    ALLIANCE__SQL_REVIEW_RECENT_CARDS,
    ALLIANCE__SQL_REVIEW_CACHE_PUT,
    ALLIANCE__SQL_REVIEW_MAX_SORT,
    ALLIANCE__SQL_CARD_SYNC_GET,
    ALLIANCE__SQL_REVIEW_IMPORT_LAST,
    ALLIANCE__SQL_REVIEW_OWN_AFTER,
    ALLIANCE__SQL_REVIEW_OWN_AT,
    /* sync: identity, vector, stamps, events, field groups */
    ALLIANCE__SQL_SYNC_SELF_GET,
    ALLIANCE__SQL_SYNC_NEXT_EVENT,
    ALLIANCE__SQL_SYNC_NEXT_EVENTS,
    ALLIANCE__SQL_SYNC_APPLYING,
    ALLIANCE__SQL_SYNC_SEE_LAMPORT,
    ALLIANCE__SQL_SYNC_SET_COLLECTION,
    ALLIANCE__SQL_SYNC_SEQ_FLOOR,
    ALLIANCE__SQL_UTC_OFFSET_GET,
    ALLIANCE__SQL_UTC_OFFSET_SET,
    ALLIANCE__SQL_SYNC_VECTOR_ALL,
    ALLIANCE__SQL_SYNC_VECTOR_PUT,
    ALLIANCE__SQL_STAMP_GET,
    ALLIANCE__SQL_STAMP_PUT,
    ALLIANCE__SQL_STAMPS_OF_ORIGIN,
    ALLIANCE__SQL_REVIEWS_OF_ORIGIN,
    ALLIANCE__SQL_TOMBSTONES_OF_ORIGIN,
    ALLIANCE__SQL_REVIEW_BY_EVENT,
    ALLIANCE__SQL_REVIEW_BY_IMPORT_KEY,
    ALLIANCE__SQL_TOMBSTONE_INSERT,
    ALLIANCE__SQL_TOMBSTONE_EXISTS,
    ALLIANCE__SQL_TOMBSTONE_FOR_REVIEW,
    ALLIANCE__SQL_CARD_PK_BY_ID,
    ALLIANCE__SQL_GROUP_CARD_CONTENT_GET,
    ALLIANCE__SQL_GROUP_CARD_CONTENT_PUT,
    ALLIANCE__SQL_GROUP_CARD_FLAGS_GET,
    ALLIANCE__SQL_GROUP_CARD_FLAGS_PUT,
    ALLIANCE__SQL_GROUP_DECK_GET,
    ALLIANCE__SQL_GROUP_DECK_PUT,
    ALLIANCE__SQL_DECK_ID_TAKEN,
    ALLIANCE__SQL_DECK_INSERT_WITH_ID,
    ALLIANCE__SQL_GROUP_CONFIG_GET,
    ALLIANCE__SQL_GROUP_CONFIG_PUT,
    ALLIANCE__SQL_GROUP_DECK_EXAM_GET,
    ALLIANCE__SQL_GROUP_DECK_EXAM_PUT,
    /* exam mode (docs/study-modes.md) */
    ALLIANCE__SQL_EXAM_GET,
    ALLIANCE__SQL_EXAM_PUT,
    ALLIANCE__SQL_EXAM_ACTIVE,
    ALLIANCE__SQL_EXAM_NEW_AT_DAY_START,
    ALLIANCE__SQL_QUEUE_DUE_EXAM,
    ALLIANCE__SQL_COUNT_DUE_EXAM,
    ALLIANCE__SQL_FORECAST_EXAM,
    ALLIANCE__SQL_STATS_DUE_EXAM,
    ALLIANCE__SQL_CRAM_NEXT,
    ALLIANCE__SQL_STUDY_SETTINGS_SET,
    ALLIANCE__SQL_SYNC_TOUCHED_CREATE,
    ALLIANCE__SQL_SYNC_TOUCH,
    ALLIANCE__SQL_SYNC_TOUCH_ALL,
    ALLIANCE__SQL_SYNC_TOUCHED_NEXT,
    ALLIANCE__SQL_SYNC_TOUCHED_CLEAR,
    ALLIANCE__SQL_REVIEW_SCAN,
    /* verify: every card and every review, each in one pass */
    ALLIANCE__SQL_VERIFY_CARDS,
    ALLIANCE__SQL_VERIFY_REVIEWS,
    /* today's queue */
    ALLIANCE__SQL_QUEUE_REPEAT,
    ALLIANCE__SQL_QUEUE_DUE,
    ALLIANCE__SQL_QUEUE_NEW,
    ALLIANCE__SQL_COUNT_REPEAT,
    ALLIANCE__SQL_COUNT_DUE,
    ALLIANCE__SQL_COUNT_NEW,
    ALLIANCE__SQL_DONE_TODAY,
    /* the file's own health */
    ALLIANCE__SQL_INTEGRITY_CHECK,
    ALLIANCE__SQL_FOREIGN_KEY_CHECK,
    /* statistics */
    ALLIANCE__SQL_STATS_CARDS,
    ALLIANCE__SQL_STATS_REVIEWS,
    ALLIANCE__SQL_FORECAST,
    ALLIANCE__SQL_REVIEW_HISTORY,
    /* decks renamed and deleted, and the sweep that carries deletions (lib/sync/decks.c) */
    ALLIANCE__SQL_DM_TICK,
    ALLIANCE__SQL_DM_STAMP_ONE,
    ALLIANCE__SQL_DM_SEQ_ADD,
    ALLIANCE__SQL_DM_STAMP_CARDS,
    ALLIANCE__SQL_DM_STAMP_DELETE,
    ALLIANCE__SQL_DM_DECK_RENAME,
    ALLIANCE__SQL_DM_DECK_CARDS,
    ALLIANCE__SQL_DM_ANY_DELETION,
    ALLIANCE__SQL_DM_DYING_BY_ID,
    ALLIANCE__SQL_DM_DEFER_FK,
    ALLIANCE__SQL_DM_DECK_MOVE,
    ALLIANCE__SQL_DM_CARDS_MOVE,
    ALLIANCE__SQL_SW_DEAD_CREATE,
    ALLIANCE__SQL_SW_DEAD_CLEAR,
    ALLIANCE__SQL_SW_DEAD_FIND,
    ALLIANCE__SQL_SW_TOMBSTONES,
    ALLIANCE__SQL_SW_FLAGS_RESET,
    ALLIANCE__SQL_SW_REMOVALS,
    ALLIANCE__SQL_SW_DEAD_BY_REMOVAL,
    ALLIANCE__SQL_SW_DEAD_BY_CONTENT,
    ALLIANCE__SQL_DM_FLAGS_RESET_ONE,
    ALLIANCE__SQL_SW_REVIEWS,
    ALLIANCE__SQL_SW_STAMPS,
    ALLIANCE__SQL_SW_CARDS,
    ALLIANCE__SQL_SW_DECKS_RESET,
    ALLIANCE__SQL_SW_HEADER_STAMPS,
    ALLIANCE__SQL_SW_EXAMS_RESET,
    ALLIANCE__SQL_SW_EXAM_STAMPS,
    ALLIANCE__SQL_SW_DECKS_DELETE,
    ALLIANCE__SQL_TEMP_STORE_MEMORY,
    ALLIANCE__SQL_TEMP_STORE_DEFAULT,
    /* a note updated or deleted through the API (lib/exchange/note.c, lib/sync/decks.c) */
    ALLIANCE__SQL_NOTE_CARDS,
    ALLIANCE__SQL_NOTE_CARD_SUSPEND,
    ALLIANCE__SQL_NOTE_CARD_LEAVE_FILE,
    ALLIANCE__SQL_NOTE_DEAD,
    ALLIANCE__SQL_N /* the number of statements */
} alliance__sql_id;

/* Column indices of every statement that reads whole cards (CARD_GET,
 * CARD_SEARCH_NEXT, QUEUE_*): the order of the column list in sql.c. */
enum {
    ALLIANCE__COL_PK,
    ALLIANCE__COL_ID,
    ALLIANCE__COL_NOTE_ID,
    ALLIANCE__COL_ORDINAL,
    ALLIANCE__COL_DECK_ID,
    ALLIANCE__COL_TYPE,
    ALLIANCE__COL_FRONT,
    ALLIANCE__COL_BACK,
    ALLIANCE__COL_WRONG,
    ALLIANCE__COL_TAGS,
    ALLIANCE__COL_SOURCE_FILE,
    ALLIANCE__COL_SOURCE_QUOTE,
    ALLIANCE__COL_POSITION,
    ALLIANCE__COL_CREATED,
    ALLIANCE__COL_MODIFIED,
    ALLIANCE__COL_SUSPENDED,
    ALLIANCE__COL_LEECH,
    ALLIANCE__COL_REPETITIONS,
    ALLIANCE__COL_EFACTOR,
    ALLIANCE__COL_INTERVAL,
    ALLIANCE__COL_REPEAT_TODAY,
    ALLIANCE__COL_DUE_DAY,
    ALLIANCE__COL_LAST_REVIEW_DAY,
    ALLIANCE__COL_BURIED_UNTIL_DAY,
    ALLIANCE__COL_REVIEWS,
    ALLIANCE__COL_LAPSES,
    ALLIANCE__COL_FSRS_STABILITY,
    ALLIANCE__COL_FSRS_DIFFICULTY,
    ALLIANCE__COL_FSRS_INTERVAL,
    ALLIANCE__COL_FSRS_DRILL,
    ALLIANCE__COL_CARD_COUNT
};

/* Column indices of the statements that read review-log rows (REVIEW_*). */
enum {
    ALLIANCE__RCOL_ID,
    ALLIANCE__RCOL_CARD,
    ALLIANCE__RCOL_TIME,
    ALLIANCE__RCOL_DAY,
    ALLIANCE__RCOL_GRADE,
    ALLIANCE__RCOL_ELAPSED_DAYS,
    ALLIANCE__RCOL_ANSWER_MS,
    ALLIANCE__RCOL_BEFORE, /* 4 columns: repetitions, efactor, interval, repeat_today */
    ALLIANCE__RCOL_AFTER = ALLIANCE__RCOL_BEFORE + 4,
    ALLIANCE__RCOL_PARAMS = ALLIANCE__RCOL_AFTER + 4, /* 6: preset, initial/min E-Factor, I(1), I(2), max */
    ALLIANCE__RCOL_PREV_DUE_DAY = ALLIANCE__RCOL_PARAMS + 6,
    ALLIANCE__RCOL_PREV_LAST_REVIEW_DAY,
    ALLIANCE__RCOL_PREV_LAPSES,
    ALLIANCE__RCOL_PREV_LEECH,
    ALLIANCE__RCOL_LEECH_SUSPENDED,
    ALLIANCE__RCOL_CARD_ID,
    ALLIANCE__RCOL_ORIGIN,
    ALLIANCE__RCOL_SEQ,
    ALLIANCE__RCOL_LAMPORT,
    ALLIANCE__RCOL_SORT_TIME,
    ALLIANCE__RCOL_RAW_DAY,
    ALLIANCE__RCOL_LEECH_THRESHOLD,
    ALLIANCE__RCOL_LEECH_SUSPEND,
    ALLIANCE__RCOL_KIND,
    ALLIANCE__RCOL_FUZZ,
    ALLIANCE__RCOL_FUZZ_DAYS,
    ALLIANCE__RCOL_SCHEDULER,   /* schema 5: the scheduler in force (0 SM-2, 1 FSRS) */
    ALLIANCE__RCOL_FSRS_PARAMS, /* its FSRS parameters' text (NULL under SM-2) */
    ALLIANCE__RCOL_IMPORT_ID, /* schema 6: Anki history (0: an answer given here) */
    ALLIANCE__RCOL_IMPORT_DUE_DAY,
    ALLIANCE__RCOL_IMPORT_REVIEWS,
    ALLIANCE__RCOL_IMPORT_LAPSES,
    ALLIANCE__RCOL_COUNT
};

/* The migration from version `to - 1` to version `to` (1 = create the schema):
 * a NULL-terminated list of statements ending with the new PRAGMA user_version;
 * NULL past the last version. */
const char *const *alliance__sql_migration(int to);
/* The whole schema of ALLIANCE__SCHEMA_VERSION for a new file (equal to migrations 1..N). */
const char *const *alliance__sql_schema_current(void);

/* The cached statement `id`, reset and with its bindings cleared. On failure
 * records the error on the handle and returns its code. */
int alliance__sql_stmt(alliance_db *db, alliance__sql_id id, sqlite3_stmt **out);

/* Steps `stmt`: SQLITE_ROW, or SQLITE_DONE (the statement then reset), or
 * (with the statement reset and the error recorded, naming `what`) a
 * negative ALLIANCE_E* code. After SQLITE_ROW the caller resets it. */
int alliance__sql_step(alliance_db *db, sqlite3_stmt *stmt, const char *what);
/* Prepares statement `id` anew, runs it and finalizes it: for a PRAGMA that acts when it is
 * prepared (temp_store), which a cached statement would not repeat. */
int alliance__sql_exec_fresh(alliance_db *db, alliance__sql_id id, const char *what);

/* Runs a statement that returns no rows of interest, to completion, then resets it. */
int alliance__sql_run(alliance_db *db, sqlite3_stmt *stmt, const char *what);

/* Finalizes every cached statement of the handle (before sqlite3_close). */
void alliance__sql_finalize_all(alliance_db *db);
/* Resets every cached statement (none stays on a row between calls that rely on it). */
void alliance__sql_reset_all(alliance_db *db);

/* Binding helpers that cannot fail for a prepared statement (SQLITE_RANGE would be a bug). */
void alliance__sql_bind_int(sqlite3_stmt *stmt, int index, int64_t value);
void alliance__sql_bind_text(sqlite3_stmt *stmt, int index, const char *text); /* NULL binds "" */
/* Binds without a copy: only for text that outlives every step of the statement until it is
 * fetched again with alliance__sql_stmt (which clears the bindings). NULL binds "". */
void alliance__sql_bind_static(sqlite3_stmt *stmt, int index, const char *text);

#endif /* ALLIANCE_SQL_H */
