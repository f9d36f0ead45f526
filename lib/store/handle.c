/* SPDX-License-Identifier: MIT */
/*
 * handle.c - the collection handle's mutex, its last error (and how SQLite's
 * failures map to ALLIANCE_E* codes), and the objects attached to it.
 */
#include "store/handle.h"

#include <errno.h>
#include <string.h>

/* ---- errors ----------------------------------------------------------------- */

int alliance__db_map_code(int sqlite_rc)
{
    switch (sqlite_rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return ALLIANCE_EBUSY;
    case SQLITE_FULL: return ALLIANCE_EFULL;
    case SQLITE_READONLY: return ALLIANCE_EREADONLY;
    case SQLITE_CORRUPT:
    case SQLITE_CONSTRAINT: return ALLIANCE_ECORRUPT; /* see alliance__db_sqlite_error */
    case SQLITE_NOTADB: return ALLIANCE_ENOTCOLLECTION;
    case SQLITE_NOMEM: return ALLIANCE_ENOMEM;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR: return ALLIANCE_EIO;
    default: return ALLIANCE_EDB;
    }
}

/* Whether an OS error means "the disk (or the file-size or quota limit) is full". */
static int is_full(int os_errno)
{
    return os_errno == ENOSPC || os_errno == EFBIG
#ifdef EDQUOT
           || os_errno == EDQUOT
#endif
        ;
}

const char *alliance__db_file(const alliance_db *db)
{
    return db->path && *db->path ? db->path : "the collection";
}

/* Every failure SQLite reports names the file and, for the file system's
 * failures, the OS's reason, so that a learner (or a support desk) can act on
 * the message alone. SQLite 3.40 does not keep the OS error of a failed
 * write(2) for sqlite3_system_errno() (a write that stops short is SQLITE_FULL,
 * one refused outright SQLITE_IOERR_WRITE), but the C errno of that write is
 * still there when sqlite3_step returns, so it is read first, before anything
 * else can change it. Best effort: a full disk that neither reports stays EIO. */
int alliance__db_sqlite_error(alliance_db *db, int sqlite_rc, const char *what)
{
    int os_errno = errno; /* first: nothing below may run before it is read */
    const char *text = db->sqlite ? sqlite3_errmsg(db->sqlite) : sqlite3_errstr(sqlite_rc);
    int system = db->sqlite ? sqlite3_system_errno(db->sqlite) : 0;
    const char *file = alliance__db_file(db);
    char reason[128];
    switch (sqlite_rc & 0xff) {
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN: {
        int err = system ? system : (sqlite_rc & 0xff) != SQLITE_CANTOPEN ? os_errno : 0;
        if ((sqlite_rc & 0xff) == SQLITE_FULL || is_full(err))
            return alliance__error_set(&db->error, ALLIANCE_EFULL, "%s: the disk is full (%s) writing %s", what,
                                       is_full(err) ? alliance__errno_text(err, reason, sizeof reason) : text, file);
        if (err)
            return alliance__error_set(&db->error, ALLIANCE_EIO, "%s: %s: %s (%s)", what, file, text,
                                       alliance__errno_text(err, reason, sizeof reason));
        return alliance__error_set(&db->error, ALLIANCE_EIO, "%s: %s: %s", what, file, text);
    }
    case SQLITE_CORRUPT:
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "%s: %s is damaged (%s)", what, file, text);
    case SQLITE_CONSTRAINT:
        /* The library writes only values its schema allows and looks ids up before it
         * inserts them: a rule of the schema that fails means the file (its rows or the
         * schema's text) was changed by something else. */
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "%s: %s is damaged: a stored row or the schema "
                                   "breaks liballiance's rules (%s)", what, file, text);
    case SQLITE_READONLY:
        return alliance__error_set(&db->error, ALLIANCE_EREADONLY, "%s: %s cannot be written (%s)", what, file, text);
    default:
        return alliance__error_set(&db->error, alliance__db_map_code(sqlite_rc), "%s: %s", what, text);
    }
}

/* ---- keyset paging ---------------------------------------------------------- */

int alliance__key_advance(alliance_db *db, alliance__key *last, const alliance__key *next, int parts,
                          const char *what)
{
    for (int i = 0; i < parts; i++) {
        if (next->v[i] > last->v[i])
            break;
        if (next->v[i] < last->v[i] || i == parts - 1)
            return alliance__error_set(&db->error, ALLIANCE_ECORRUPT,
                                       "%s: %s is damaged: a row came back that does not follow the one before "
                                       "(an index is broken; SQLite's PRAGMA integrity_check names it)",
                                       what, alliance__db_file(db));
    }
    *last = *next;
    return ALLIANCE_OK;
}

alliance__error *alliance__db_error(alliance_db *db)
{
    return &db->error;
}

/* ---- callbacks run with the handle held ------------------------------------ */

/* The handles whose mutex this thread holds while one of the caller's callbacks
 * runs (the export's write function), innermost first: a callback may export
 * another collection, whose callback is then still inside the first export. A
 * call on any of them from inside would run in the middle of its export (the
 * mutex is recursive) or, from another thread, wait for ever; it gets
 * ALLIANCE_EMISUSE instead. Thread-local, so it needs no lock and other threads
 * simply wait their turn. */
static _Thread_local alliance__held *held_for_callback;

void alliance__db_callback_begin(alliance__held *held, alliance_db *db)
{
    held->db = db;
    held->outer = held_for_callback;
    held_for_callback = held;
}

void alliance__db_callback_end(alliance__held *held)
{
    held_for_callback = held->outer;
}

int alliance__db_held_by_callback(const alliance_db *db)
{
    for (const alliance__held *h = held_for_callback; db && h; h = h->outer)
        if (h->db == db)
            return 1;
    return 0;
}

const char *alliance_errmsg(alliance_db *db)
{
    if (!db)
        return alliance_strerror(ALLIANCE_ENOMEM);
    int held = alliance__db_held_by_callback(db); /* this thread holds the mutex already */
    if (!held)
        pthread_mutex_lock(&db->mutex);
    /* A successful call may leave a note (alliance_verify names a mismatch). */
    const char *message = db->error.message[0] ? db->error.message : alliance_strerror(db->error.code);
    if (!held)
        pthread_mutex_unlock(&db->mutex);
    return message;
}

int alliance_errcode(alliance_db *db)
{
    if (!db)
        return ALLIANCE_ENOMEM;
    int held = alliance__db_held_by_callback(db);
    if (!held)
        pthread_mutex_lock(&db->mutex);
    int code = db->error.code;
    if (!held)
        pthread_mutex_unlock(&db->mutex);
    return code;
}

/* ---- locking and attached objects ----------------------------------------- */

int alliance__db_enter(alliance_db *db)
{
    if (!db)
        return ALLIANCE_EINVAL;
    if (alliance__db_held_by_callback(db))
        return ALLIANCE_EMISUSE; /* called from a callback of a call on this handle */
    pthread_mutex_lock(&db->mutex);
    if (db->open_rc != ALLIANCE_OK) {
        alliance__error_set(&db->error, ALLIANCE_EMISUSE, "the collection could not be opened: %s",
                            db->open_message ? db->open_message : alliance_strerror(db->open_rc));
        pthread_mutex_unlock(&db->mutex);
        return ALLIANCE_EMISUSE;
    }
    alliance__error_clear(&db->error);
    alliance__db_settings_forget(db); /* another connection may have changed them since the last call */
    return ALLIANCE_OK;
}

void alliance__db_lock(alliance_db *db)
{
    if (!alliance__db_held_by_callback(db)) /* freeing an iterator from inside a callback: held already */
        pthread_mutex_lock(&db->mutex);
}

int alliance__db_leave(alliance_db *db, int rc)
{
    if (!alliance__db_held_by_callback(db))
        pthread_mutex_unlock(&db->mutex);
    return rc;
}

void alliance__db_attach(alliance_db *db, alliance__attached *obj)
{
    obj->db = db;
    obj->prev = &db->attached;
    obj->next = db->attached.next;
    db->attached.next->prev = obj;
    db->attached.next = obj;
}

void alliance__db_detach(alliance__attached *obj)
{
    if (obj->prev) {
        obj->prev->next = obj->next;
        obj->next->prev = obj->prev;
    }
    obj->prev = obj->next = NULL;
    obj->db = NULL;
}

void alliance__attached_release(alliance__attached *obj)
{
    alliance_db *db = obj->db;
    if (!db)
        return;
    alliance__db_lock(db);
    alliance__db_detach(obj);
    alliance__db_leave(db, ALLIANCE_OK);
}

int alliance__attached_enter(alliance__attached *obj)
{
    if (!obj)
        return ALLIANCE_EINVAL;
    if (!obj->db)
        return ALLIANCE_EMISUSE;
    return alliance__db_enter(obj->db);
}
