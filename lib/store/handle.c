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
    case SQLITE_CORRUPT: return ALLIANCE_ECORRUPT;
    case SQLITE_NOTADB: return ALLIANCE_ENOTCOLLECTION;
    case SQLITE_NOMEM: return ALLIANCE_ENOMEM;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR: return ALLIANCE_EIO;
    default: return ALLIANCE_EDB;
    }
}

/* Whether a failed write means "the disk (or the file-size or quota limit) is
 * full". SQLite reports it as SQLITE_IOERR_WRITE and, in 3.40, does not keep
 * the OS error for sqlite3_system_errno(); the C errno of the failed write(2)
 * is still there when sqlite3_step returns, so the caller passes it in.
 * Best effort: when neither says ENOSPC/EFBIG/EDQUOT it stays ALLIANCE_EIO. */
static int is_full(int os_errno)
{
    return os_errno == ENOSPC || os_errno == EFBIG
#ifdef EDQUOT
           || os_errno == EDQUOT
#endif
        ;
}

int alliance__db_sqlite_error(alliance_db *db, int sqlite_rc, const char *what)
{
    int os_errno = errno; /* first: nothing below may run before it is read */
    const char *text = db->sqlite ? sqlite3_errmsg(db->sqlite) : sqlite3_errstr(sqlite_rc);
    if (db->sqlite && sqlite3_extended_errcode(db->sqlite) == SQLITE_IOERR_WRITE &&
        (is_full(sqlite3_system_errno(db->sqlite)) || is_full(os_errno))) {
        const char *file = sqlite3_db_filename(db->sqlite, "main");
        return alliance__error_set(&db->error, ALLIANCE_EFULL, "%s: the disk is full (%s) writing %s", what,
                                   strerror(is_full(os_errno) ? os_errno : sqlite3_system_errno(db->sqlite)),
                                   file && *file ? file : "the collection");
    }
    return alliance__error_set(&db->error, alliance__db_map_code(sqlite_rc), "%s: %s", what, text);
}

alliance__error *alliance__db_error(alliance_db *db)
{
    return &db->error;
}

const char *alliance_errmsg(alliance_db *db)
{
    if (!db)
        return alliance_strerror(ALLIANCE_ENOMEM);
    pthread_mutex_lock(&db->mutex);
    /* A successful call may leave a note (alliance_verify names a mismatch). */
    const char *message = db->error.message[0] ? db->error.message : alliance_strerror(db->error.code);
    pthread_mutex_unlock(&db->mutex);
    return message;
}

int alliance_errcode(alliance_db *db)
{
    if (!db)
        return ALLIANCE_ENOMEM;
    pthread_mutex_lock(&db->mutex);
    int code = db->error.code;
    pthread_mutex_unlock(&db->mutex);
    return code;
}

/* ---- locking and attached objects ----------------------------------------- */

int alliance__db_enter(alliance_db *db)
{
    if (!db)
        return ALLIANCE_EINVAL;
    pthread_mutex_lock(&db->mutex);
    if (db->open_rc != ALLIANCE_OK) {
        alliance__error_set(&db->error, ALLIANCE_EMISUSE, "the collection could not be opened: %s",
                            db->open_message ? db->open_message : alliance_strerror(db->open_rc));
        pthread_mutex_unlock(&db->mutex);
        return ALLIANCE_EMISUSE;
    }
    alliance__error_clear(&db->error);
    return ALLIANCE_OK;
}

void alliance__db_lock(alliance_db *db)
{
    pthread_mutex_lock(&db->mutex);
}

int alliance__db_leave(alliance_db *db, int rc)
{
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

int alliance__attached_enter(alliance__attached *obj)
{
    if (!obj)
        return ALLIANCE_EINVAL;
    if (!obj->db)
        return ALLIANCE_EMISUSE;
    return alliance__db_enter(obj->db);
}
