/* SPDX-License-Identifier: MIT */
/*
 * identity.c - who a collection and this copy of it are (migration 2 made both
 * at random), and the numbering of this replica's events.
 */
#include "sync/sync.h"

#include <string.h>

int alliance__sync_self_get(alliance_db *db, alliance__sync_self *out)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_SYNC_SELF_GET, &stmt);
    if (rc)
        return rc;
    rc = alliance__sql_step(db, stmt, "reading the collection's identity");
    if (rc < 0)
        return rc;
    if (rc != SQLITE_ROW)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "the collection has no identity row");
    const void *blob = sqlite3_column_blob(stmt, 0);
    if (!blob || sqlite3_column_bytes(stmt, 0) != 16) {
        sqlite3_reset(stmt);
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "the collection id is damaged");
    }
    memcpy(out->collection_id, blob, 16);
    out->replica_id = sqlite3_column_int64(stmt, 1);
    out->seq = sqlite3_column_int64(stmt, 2);
    out->lamport = sqlite3_column_int64(stmt, 3);
    sqlite3_reset(stmt);
    return ALLIANCE_OK;
}

int alliance__sync_next_event(alliance_db *db, int64_t *out_origin, int64_t *out_seq, int64_t *out_lamport)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_SYNC_NEXT_EVENT, &stmt);
    if (rc)
        return rc;
    rc = alliance__sql_step(db, stmt, "numbering an event");
    if (rc < 0)
        return rc;
    if (rc != SQLITE_ROW)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "the collection has no identity row");
    *out_origin = sqlite3_column_int64(stmt, 0);
    *out_seq = sqlite3_column_int64(stmt, 1);
    *out_lamport = sqlite3_column_int64(stmt, 2);
    return alliance__sql_run(db, stmt, "numbering an event");
}

int alliance__sync_next_events(alliance_db *db, uint32_t n, int64_t *out_origin, int64_t *out_seq,
                               int64_t *out_lamport)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_SYNC_NEXT_EVENTS, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, n);
    rc = alliance__sql_step(db, stmt, "numbering events");
    if (rc < 0)
        return rc;
    if (rc != SQLITE_ROW)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "the collection has no identity row");
    *out_origin = sqlite3_column_int64(stmt, 0);
    *out_seq = sqlite3_column_int64(stmt, 1);
    *out_lamport = sqlite3_column_int64(stmt, 2);
    return alliance__sql_run(db, stmt, "numbering events");
}

int alliance_collection_id(alliance_db *db, uint8_t *out_id, size_t size)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!out_id || size < 16)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "alliance_collection_id: out_id is NULL or smaller than 16 bytes"));
    alliance__sync_self self;
    if ((rc = alliance__sync_self_get(db, &self)) == ALLIANCE_OK)
        memcpy(out_id, self.collection_id, 16);
    return alliance__db_leave(db, rc);
}

int alliance_replica_id(alliance_db *db, int64_t *out_replica)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!out_replica)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL, "alliance_replica_id: out is NULL"));
    alliance__sync_self self;
    if ((rc = alliance__sync_self_get(db, &self)) == ALLIANCE_OK)
        *out_replica = self.replica_id;
    return alliance__db_leave(db, rc);
}
