/* SPDX-License-Identifier: MIT */
/*
 * writer.c - alliance_sync_state and alliance_sync_changes: what this copy
 * holds, and what a peer lacks, written as a changeset through a fixed buffer
 * while the indexes on (origin, seq) are walked. Nothing is built whole in
 * memory; the cost follows what the peer lacks. One read transaction gives
 * the changeset a single snapshot.
 */
#include "sync/sync.h"

#include <string.h>

typedef struct writer {
    alliance_db *db;
    alliance_write_fn write;
    void *opaque;
    uint8_t buf[65536];
    size_t len;
    uint32_t crc;
    uint64_t total;
    uint64_t records, reviews, tombstones, writes;
    alliance__buf rec; /* the record being built */
    uint16_t flags;    /* the header's */
} writer;

static int flush(writer *w)
{
    if (w->len == 0)
        return ALLIANCE_OK;
    int rc = w->write(w->opaque, (const char *)w->buf, w->len);
    w->len = 0;
    if (rc != 0)
        return alliance__error_set(&w->db->error, ALLIANCE_EIO, "writing the changeset failed at byte %llu (the "
                                   "write callback returned %d)", (unsigned long long)w->total, rc);
    return ALLIANCE_OK;
}

static int emit(writer *w, const void *data, size_t n, int crc)
{
    const uint8_t *p = data;
    if (crc)
        w->crc = alliance__crc32(w->crc, p, n);
    w->total += n;
    while (n > 0) {
        size_t room = sizeof w->buf - w->len;
        size_t take = n < room ? n : room;
        memcpy(w->buf + w->len, p, take);
        w->len += take;
        p += take;
        n -= take;
        if (w->len == sizeof w->buf) {
            int rc = flush(w);
            if (rc)
                return rc;
        }
    }
    return ALLIANCE_OK;
}

/* ---- building a record ---- */

static int rec_bytes(writer *w, const void *p, size_t n)
{
    return alliance__buf_append(&w->rec, p, n) == ALLIANCE_OK
               ? ALLIANCE_OK
               : alliance__error_set(&w->db->error, ALLIANCE_ENOMEM, "out of memory");
}

static int rec_u8(writer *w, uint8_t v)
{
    return rec_bytes(w, &v, 1);
}

static int rec_u32(writer *w, uint32_t v)
{
    uint8_t b[4];
    alliance__put_u32(b, v);
    return rec_bytes(w, b, 4);
}

static int rec_i64(writer *w, int64_t v)
{
    uint8_t b[8];
    alliance__put_u64(b, (uint64_t)v);
    return rec_bytes(w, b, 8);
}

static int rec_str(writer *w, const char *s, size_t len)
{
    if (len > UINT32_MAX)
        return alliance__error_set(&w->db->error, ALLIANCE_ELIMIT, "a text of %zu bytes", len);
    int rc = rec_u32(w, (uint32_t)len);
    return rc ? rc : rec_bytes(w, s, len);
}

static int rec_emit(writer *w, uint8_t type)
{
    if (w->rec.len > ALLIANCE__SYNC_MAX_RECORD)
        return alliance__error_set(&w->db->error, ALLIANCE_ELIMIT, "a record of %zu bytes (the limit is %u)",
                                   w->rec.len, (unsigned)ALLIANCE__SYNC_MAX_RECORD);
    uint8_t h[5];
    h[0] = type;
    alliance__put_u32(h + 1, (uint32_t)w->rec.len);
    int rc = emit(w, h, 5, 1);
    if (rc == ALLIANCE_OK && w->rec.len)
        rc = emit(w, w->rec.data, w->rec.len, 1);
    w->rec.len = 0;
    w->records++;
    return rc;
}

/* ---- header and end ---- */

/* This copy's version vector, sorted by replica: its own entry and sync_vector's. */
static int write_vector(writer *w, const alliance__sync_self *self);

/* The header: the sender's vector, then the base vector (the peer state this was written against). */
static int write_header(writer *w, const alliance__sync_self *self, uint16_t flags, const alliance__sync_vector *base)
{
    w->flags = flags;
    int rc = write_vector(w, self);
    if (rc)
        return rc;
    uint8_t c[4], e[16];
    alliance__put_u32(c, (uint32_t)base->n);
    if ((rc = emit(w, c, 4, 1)) != ALLIANCE_OK)
        return rc;
    for (size_t i = 0; i < base->n; i++) {
        alliance__put_u64(e, (uint64_t)base->replica[i]);
        alliance__put_u64(e + 8, (uint64_t)base->seq[i]);
        if ((rc = emit(w, e, 16, 1)) != ALLIANCE_OK)
            return rc;
    }
    return ALLIANCE_OK;
}

static int write_vector(writer *w, const alliance__sync_self *self)
{
    uint16_t flags = w->flags;
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(w->db, ALLIANCE__SQL_SYNC_VECTOR_ALL, &stmt);
    if (rc)
        return rc;
    /* count first: the header says how many entries follow */
    uint32_t n = 1;
    while ((rc = alliance__sql_step(w->db, stmt, "reading the version vector")) == SQLITE_ROW)
        if (sqlite3_column_int64(stmt, 0) != self->replica_id)
            n++;
    if (rc < 0)
        return rc;
    if (n > ALLIANCE__SYNC_MAX_VECTOR)
        return alliance__error_set(&w->db->error, ALLIANCE_ELIMIT, "the version vector has %u replicas", (unsigned)n);
    uint8_t h[ALLIANCE__SYNC_HEADER_FIXED + 4];
    memcpy(h, ALLIANCE__SYNC_MAGIC, 8);
    alliance__put_u16(h + 8, ALLIANCE__SYNC_FORMAT);
    alliance__put_u16(h + 10, flags);
    memcpy(h + 12, self->collection_id, 16);
    alliance__put_u64(h + 28, (uint64_t)self->replica_id);
    alliance__put_u32(h + 36, n);
    if ((rc = emit(w, h, sizeof h, 1)) != ALLIANCE_OK || (rc = alliance__sql_stmt(w->db, ALLIANCE__SQL_SYNC_VECTOR_ALL, &stmt)) != ALLIANCE_OK)
        return rc;
    int own_done = 0;
    uint8_t e[16];
    for (;;) {
        rc = alliance__sql_step(w->db, stmt, "reading the version vector");
        if (rc < 0)
            return rc;
        int row = rc == SQLITE_ROW;
        int64_t replica = row ? sqlite3_column_int64(stmt, 0) : 0;
        int64_t seq = row ? sqlite3_column_int64(stmt, 1) : 0;
        if (!own_done && (!row || self->replica_id <= replica)) {
            alliance__put_u64(e, (uint64_t)self->replica_id);
            alliance__put_u64(e + 8, (uint64_t)self->seq);
            own_done = 1;
            if ((rc = emit(w, e, 16, 1)) != ALLIANCE_OK)
                break;
        }
        if (!row)
            return ALLIANCE_OK; /* SQLITE_DONE: the statement has been reset */
        if (replica == self->replica_id)
            continue;
        alliance__put_u64(e, (uint64_t)replica);
        alliance__put_u64(e + 8, (uint64_t)seq);
        if ((rc = emit(w, e, 16, 1)) != ALLIANCE_OK)
            break;
    }
    sqlite3_reset(stmt);
    return rc;
}

static int write_end(writer *w)
{
    uint8_t e[5 + ALLIANCE__SYNC_END_LEN];
    e[0] = ALLIANCE__REC_END;
    alliance__put_u32(e + 1, ALLIANCE__SYNC_END_LEN);
    alliance__put_u64(e + 5, w->records);
    alliance__put_u64(e + 13, w->reviews);
    alliance__put_u64(e + 21, w->tombstones);
    alliance__put_u64(e + 29, w->writes);
    alliance__put_u64(e + 37, w->total + 5 + 40);
    int rc = emit(w, e, 45, 1);
    if (rc)
        return rc;
    uint8_t crc[4];
    alliance__put_u32(crc, w->crc);
    if ((rc = emit(w, crc, 4, 0)) != ALLIANCE_OK)
        return rc;
    return flush(w);
}

/* ---- the records ---- */

/* The origins this copy holds events of, with the peer's seq for each. */
typedef struct origin_range {
    int64_t origin, after, upto;
} origin_range;

static int write_group_records(writer *w, const alliance__sync_group *g, const origin_range *o)
{
    sqlite3_stmt *stamps;
    int rc = alliance__sql_stmt(w->db, ALLIANCE__SQL_STAMPS_OF_ORIGIN, &stamps);
    if (rc)
        return rc;
    alliance__sql_bind_int(stamps, 1, o->origin);
    alliance__sql_bind_int(stamps, 2, o->after);
    alliance__sql_bind_int(stamps, 3, g->kind);
    alliance__sql_bind_int(stamps, 4, g->grp);
    for (;;) {
        rc = alliance__sql_step(w->db, stamps, "reading field stamps");
        if (rc == SQLITE_DONE)
            return ALLIANCE_OK;
        if (rc < 0)
            return rc;
        const unsigned char *key_text = sqlite3_column_text(stamps, 1);
        const char *key = key_text ? (const char *)key_text : "";
        int64_t lamport = sqlite3_column_int64(stamps, 3), seq = sqlite3_column_int64(stamps, 4);
        alliance__sync_write v;
        if ((rc = g->get(w->db, g, key, &v)) != ALLIANCE_OK)
            break;
        if ((rc = rec_u8(w, g->kind)) || (rc = rec_u8(w, g->grp)) || (rc = rec_str(w, key, strlen(key))) ||
            (rc = rec_i64(w, lamport)) || (rc = rec_i64(w, o->origin)) || (rc = rec_i64(w, seq)) ||
            (rc = rec_u8(w, v.n)))
            break;
        for (int i = 0; i < v.n && rc == ALLIANCE_OK; i++) {
            if (g->types[i] == 'i') {
                if ((rc = rec_u8(w, 1)) == ALLIANCE_OK)
                    rc = rec_i64(w, v.v[i].i);
            } else if ((rc = rec_u8(w, 2)) == ALLIANCE_OK) {
                rc = rec_str(w, v.v[i].s, v.v[i].len);
            }
        }
        if (rc || (rc = rec_emit(w, ALLIANCE__REC_WRITE)) != ALLIANCE_OK)
            break;
        w->writes++;
    }
    sqlite3_reset(stamps);
    return rc;
}

static int write_reviews(writer *w, const origin_range *o)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(w->db, ALLIANCE__SQL_REVIEWS_OF_ORIGIN, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, o->origin);
    alliance__sql_bind_int(stmt, 2, o->after);
    while ((rc = alliance__sql_step(w->db, stmt, "reading the review log")) == SQLITE_ROW) {
        const unsigned char *card = sqlite3_column_text(stmt, 3);
        const char *card_id = card ? (const char *)card : "";
        if ((rc = rec_i64(w, sqlite3_column_int64(stmt, 0))) || (rc = rec_i64(w, sqlite3_column_int64(stmt, 1))) ||
            (rc = rec_i64(w, sqlite3_column_int64(stmt, 2))) || (rc = rec_str(w, card_id, strlen(card_id))) ||
            (rc = rec_i64(w, sqlite3_column_int64(stmt, 4))) || (rc = rec_i64(w, sqlite3_column_int64(stmt, 5))) ||
            (rc = rec_i64(w, sqlite3_column_int64(stmt, 6))) || (rc = rec_u8(w, (uint8_t)sqlite3_column_int64(stmt, 7))) ||
            (rc = rec_u32(w, (uint32_t)sqlite3_column_int64(stmt, 8))))
            break;
        for (int c = 9; c <= 15 && rc == ALLIANCE_OK; c++) /* six parameters, the leech threshold */
            rc = rec_u32(w, (uint32_t)sqlite3_column_int64(stmt, c));
        if (rc || (rc = rec_u8(w, (uint8_t)sqlite3_column_int64(stmt, 16))) != ALLIANCE_OK ||
            (rc = rec_u8(w, (uint8_t)sqlite3_column_int64(stmt, 17))) != ALLIANCE_OK || /* kind */
            (rc = rec_u8(w, (uint8_t)sqlite3_column_int64(stmt, 18))) != ALLIANCE_OK || /* fuzz */
            (rc = rec_u8(w, (uint8_t)sqlite3_column_int64(stmt, 19))) != ALLIANCE_OK) /* scheduler */
            break;
        const unsigned char *fsrs = sqlite3_column_text(stmt, 20); /* NULL under SM-2 */
        const char *fsrs_text = fsrs ? (const char *)fsrs : "";
        if ((rc = rec_str(w, fsrs_text, strlen(fsrs_text))) != ALLIANCE_OK ||
            (rc = rec_i64(w, sqlite3_column_int64(stmt, 21))) != ALLIANCE_OK) /* import id (format 4) */
            break;
        if (sqlite3_column_int64(stmt, 21) != 0) { /* an imported row: the schedule it recorded */
            for (int c = 22; c <= 24 && rc == ALLIANCE_OK; c++) /* repetitions, E-Factor, interval */
                rc = rec_u32(w, (uint32_t)sqlite3_column_int64(stmt, c));
            if (rc || (rc = rec_u8(w, (uint8_t)sqlite3_column_int64(stmt, 25))) != ALLIANCE_OK ||
                (rc = rec_i64(w, sqlite3_column_int64(stmt, 26))) != ALLIANCE_OK ||
                (rc = rec_u32(w, (uint32_t)sqlite3_column_int64(stmt, 27))) != ALLIANCE_OK ||
                (rc = rec_u32(w, (uint32_t)sqlite3_column_int64(stmt, 28))) != ALLIANCE_OK)
                break;
        }
        if ((rc = rec_emit(w, ALLIANCE__REC_REVIEW)) != ALLIANCE_OK)
            break;
        w->reviews++;
    }
    if (rc != SQLITE_DONE)
        sqlite3_reset(stmt);
    return rc == SQLITE_DONE ? ALLIANCE_OK : rc;
}

static int write_tombstones(writer *w, const origin_range *o)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(w->db, ALLIANCE__SQL_TOMBSTONES_OF_ORIGIN, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, o->origin);
    alliance__sql_bind_int(stmt, 2, o->after);
    while ((rc = alliance__sql_step(w->db, stmt, "reading undos")) == SQLITE_ROW) {
        for (int c = 0; c < 5 && rc >= 0; c++)
            rc = rec_i64(w, sqlite3_column_int64(stmt, c));
        if (rc < 0 || (rc = rec_emit(w, ALLIANCE__REC_TOMBSTONE)) != ALLIANCE_OK)
            break;
        w->tombstones++;
    }
    if (rc != SQLITE_DONE)
        sqlite3_reset(stmt);
    return rc == SQLITE_DONE ? ALLIANCE_OK : rc;
}

/* The origins to send: every replica this copy holds events of, beyond the peer's seq. */
static int origins_to_send(alliance_db *db, const alliance__sync_self *self, const alliance__sync_vector *peer,
                           origin_range **out, size_t *out_n)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_SYNC_VECTOR_ALL, &stmt);
    if (rc)
        return rc;
    size_t n = 0, cap = 8;
    origin_range *o = alliance__calloc(cap, sizeof *o);
    if (!o)
        return alliance__error_set(&db->error, ALLIANCE_ENOMEM, "out of memory");
    o[n].origin = self->replica_id;
    o[n].upto = self->seq;
    o[n].after = alliance__sync_vector_get(peer, self->replica_id);
    n++;
    while ((rc = alliance__sql_step(db, stmt, "reading the version vector")) == SQLITE_ROW) {
        int64_t replica = sqlite3_column_int64(stmt, 0);
        if (replica == self->replica_id)
            continue;
        if (n == cap) {
            origin_range *grown = alliance__realloc(o, 2 * cap * sizeof *o);
            if (!grown) {
                sqlite3_reset(stmt);
                alliance__free(o);
                return alliance__error_set(&db->error, ALLIANCE_ENOMEM, "out of memory");
            }
            o = grown;
            cap *= 2;
        }
        o[n].origin = replica;
        o[n].upto = sqlite3_column_int64(stmt, 1);
        o[n].after = alliance__sync_vector_get(peer, replica);
        n++;
    }
    if (rc < 0) {
        alliance__free(o);
        return rc;
    }
    *out = o;
    *out_n = n;
    return ALLIANCE_OK;
}

static int write_changes(writer *w, const alliance__sync_self *self, const alliance__sync_vector *peer)
{
    origin_range *o = NULL;
    size_t n = 0;
    int rc = origins_to_send(w->db, self, peer, &o, &n);
    if (rc)
        return rc;
    rc = write_header(w, self, 0, peer);
    /* Kinds in the order of the group table (decks before the cards that name them),
     * then reviews (of cards sent before), then tombstones. Every origin is looked up, even
     * one whose entry here is not above the peer's: a copy may hold events of a replica
     * beyond its own entry for it (a changeset written for another peer, docs/sync.md), and
     * must pass them on, or its own events on them (an answer of a card it received so)
     * reach a peer that lacks what they refer to. One index probe per origin. */
    for (size_t g = 0; rc == ALLIANCE_OK && g < alliance__sync_group_count(); g++)
        for (size_t i = 0; rc == ALLIANCE_OK && i < n; i++)
            rc = write_group_records(w, alliance__sync_group_at(g), &o[i]);
    for (size_t i = 0; rc == ALLIANCE_OK && i < n; i++)
        rc = write_reviews(w, &o[i]);
    for (size_t i = 0; rc == ALLIANCE_OK && i < n; i++)
        rc = write_tombstones(w, &o[i]);
    alliance__free(o);
    return rc ? rc : write_end(w);
}

/* ---- the API ---- */

static void writer_init(writer *w, alliance_db *db, alliance_write_fn write, void *opaque)
{
    memset(w, 0, sizeof *w);
    w->db = db;
    w->write = write;
    w->opaque = opaque;
}

int alliance_sync_state(alliance_db *db, alliance_write_fn write, void *opaque)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!write)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL, "alliance_sync_state: write is NULL"));
    writer *w = alliance__malloc(sizeof *w);
    if (!w)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_ENOMEM, "out of memory"));
    writer_init(w, db, write, opaque);
    alliance__sync_vector empty = { NULL, NULL, 0 };
    int began = alliance__store_read_begin(db);
    alliance__sync_self self;
    if ((rc = alliance__sync_self_get(db, &self)) == ALLIANCE_OK && (rc = write_header(w, &self, ALLIANCE__SYNC_FLAG_STATE, &empty)) == ALLIANCE_OK)
        rc = write_end(w);
    alliance__store_read_end(db, began);
    alliance__buf_free(&w->rec);
    alliance__free(w);
    return alliance__db_leave(db, rc);
}

/* A field group's values are read by a statement left on its row (groups.c: the texts point
 * into it); reset them all when done, or the handle would keep its read snapshot open after
 * the call (never seeing another connection's writes, and holding back WAL checkpoints). */
static void release_group_rows(alliance_db *db)
{
    static const alliance__sql_id ids[] = { ALLIANCE__SQL_GROUP_CARD_CONTENT_GET, ALLIANCE__SQL_GROUP_CARD_FLAGS_GET,
                                            ALLIANCE__SQL_GROUP_DECK_GET, ALLIANCE__SQL_GROUP_CONFIG_GET };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (db->stmts[ids[i]] != NULL)
            sqlite3_reset(db->stmts[ids[i]]);
}

int alliance_sync_changes(alliance_db *db, alliance_read_fn peer_state, void *state_opaque, alliance_write_fn write,
                          void *opaque)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!write)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL, "alliance_sync_changes: write is NULL"));
    alliance__sync_vector peer = { NULL, NULL, 0 };
    alliance__sync_reader *r = NULL;
    if (peer_state) {
        r = alliance__malloc(sizeof *r);
        if (!r)
            return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_ENOMEM, "out of memory"));
        alliance__sync_reader_init(r, &db->error, peer_state, state_opaque);
        if ((rc = alliance__sync_reader_header(r)) == ALLIANCE_OK && !(r->flags & ALLIANCE__SYNC_FLAG_STATE))
            rc = alliance__error_set(&db->error, ALLIANCE_EINVAL, "alliance_sync_changes: the peer's state is a "
                                     "changeset, not a state");
        alliance__sync_vector base = { NULL, NULL, 0 };
        if (rc == ALLIANCE_OK && (rc = alliance__sync_vector_read(r, &peer)) == ALLIANCE_OK &&
            (rc = alliance__sync_vector_read(r, &base)) == ALLIANCE_OK) {
            rc = alliance__sync_reader_next(r);
            rc = rc == ALLIANCE_DONE ? ALLIANCE_OK
                 : rc == ALLIANCE_OK ? alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "a state with records in it")
                                     : rc;
        }
        alliance__sync_vector_free(&base);
        alliance__sync_reader_free(r);
        alliance__free(r);
        if (rc) {
            alliance__sync_vector_free(&peer);
            return alliance__db_leave(db, rc);
        }
    }
    writer *w = alliance__malloc(sizeof *w);
    if (!w) {
        alliance__sync_vector_free(&peer);
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_ENOMEM, "out of memory"));
    }
    writer_init(w, db, write, opaque);
    int began = alliance__store_read_begin(db);
    alliance__sync_self self;
    if ((rc = alliance__sync_self_get(db, &self)) == ALLIANCE_OK)
        rc = write_changes(w, &self, &peer);
    release_group_rows(db);
    alliance__store_read_end(db, began);
    alliance__buf_free(&w->rec);
    alliance__free(w);
    alliance__sync_vector_free(&peer);
    return alliance__db_leave(db, rc);
}
