/* SPDX-License-Identifier: MIT */
/*
 * handle.h - the collection handle's insides, for the files of lib/store/ and
 * the study files that run statements (answer.c, session.c, stats.c...).
 * handle.c implements the mutex, the errors and the attached objects; open.c
 * opening and closing; config.c the stored settings. Nothing here is API.
 */
#ifndef ALLIANCE_HANDLE_H
#define ALLIANCE_HANDLE_H

#include "store/sql.h"
#include "store/store.h"

#include <pthread.h>
#include <sqlite3.h>

/* An object opened from a collection (a session or an iterator). The handle
 * keeps a list of them so that closing it can detach them: afterwards their
 * `db` is NULL and their calls return ALLIANCE_EMISUSE. */
typedef struct alliance__attached {
    struct alliance__attached *prev, *next;
    alliance_db *db;
} alliance__attached;

struct alliance_db {
    /* Every public entry point holds this: one handle may be shared by threads,
     * and SQLite's own connection mutex is therefore not needed (NOMUTEX). */
    pthread_mutex_t mutex;
    sqlite3 *sqlite;
    char *path;                  /* as given to alliance_open, for messages */
    int open_rc;                 /* 0, or the failure alliance_open returned */
    char *open_message;          /* that failure's message, kept for later misuse */
    int32_t utc_offset_seconds;  /* or ALLIANCE_UTC_OFFSET_LOCAL */
    alliance__error error;
    sqlite3_stmt *stmts[ALLIANCE__SQL_N];
    /* The settings row, read at most once per call (config.c): valid until the call ends,
     * a write transaction begins (another connection may have changed them) or they are set. */
    int settings_cached;
    alliance_config config_cache;
    alliance_sm2_params params_cache;
    uint32_t scheduler_cache;         /* ALLIANCE_SCHEDULER_* */
    alliance_fsrs_params fsrs_cache;  /* the collection's FSRS parameters */
    uint32_t bury_siblings_cache, fuzz_cache; /* the study settings of schema 4 */
    /* The deck the current write transaction created (0: none): every card put into it is new,
     * so an import inserts without looking each id up first (store.c). */
    int64_t new_deck_id;
    alliance__attached attached; /* list head (a sentinel, never an object) */
};

/* Records a failed SQLite call on the handle, mapped to an ALLIANCE_E* code,
 * with `what` (what we were doing) and SQLite's message. Returns the code. */
int alliance__db_sqlite_error(alliance_db *db, int sqlite_rc, const char *what);
/* The ALLIANCE_E* code for a SQLite result code. */
int alliance__db_map_code(int sqlite_rc);
/* The collection's path for messages (never NULL). */
const char *alliance__db_file(const alliance_db *db);


/* Links / unlinks an object; both with the mutex held. */
void alliance__db_attach(alliance_db *db, alliance__attached *obj);
void alliance__db_detach(alliance__attached *obj);

/* Takes the handle's mutex without touching the last error: for closing a
 * session or freeing an iterator, which is not a call that can fail and must
 * not wipe the message of the failure before it. Release with alliance__db_leave. */
void alliance__db_lock(alliance_db *db);

/* Locks the collection an attached object belongs to: ALLIANCE_EINVAL for
 * NULL, ALLIANCE_EMISUSE once its collection is closed. */
int alliance__attached_enter(alliance__attached *obj);

/* Unlinks an object from its collection, if it still has one, under the collection's lock:
 * what freeing an iterator or closing a session does first (alliance__db_lock: no error set). */
void alliance__attached_release(alliance__attached *obj);

/* Whether a UTC offset is -50400..50400 or ALLIANCE_UTC_OFFSET_LOCAL (config.c). */
int alliance__utc_offset_valid(int32_t offset);
/* The offset stored in the file as this replica's (schema 7), or ALLIANCE_UTC_OFFSET_LOCAL when
 * none is stored (config.c). */
int alliance__utc_offset_stored(alliance_db *db, int32_t *out);

/* The stored settings and current SM-2 parameters (mutex held; config.c). They are read
 * once per call and kept until the call ends or a write transaction begins. */
int alliance__db_config(alliance_db *db, alliance_config *out);
int alliance__db_params(alliance_db *db, alliance_sm2_params *out);
/* The scheduler (ALLIANCE_SCHEDULER_*) and the FSRS parameters, read as the settings are. */
int alliance__db_scheduler(alliance_db *db, uint32_t *out_scheduler, alliance_fsrs_params *out_fsrs);
/* The study-mode settings (docs/study-modes.md): siblings apart, fuzz (each 0 or 1). */
int alliance__db_study_settings(alliance_db *db, uint32_t *out_bury_siblings, uint32_t *out_fuzz);
/* Forgets the settings read by this call (at the start of every call and transaction). */
void alliance__db_settings_forget(alliance_db *db);

#endif /* ALLIANCE_HANDLE_H */
