/* SPDX-License-Identifier: MIT */
/*
 * reader.c - reading a changeset (or a state) record by record from a read
 * callback, through a fixed buffer. Every length is checked against its
 * documented limit before anything is allocated; every string is strict UTF-8
 * without NUL; a record must be consumed exactly. Damage is reported with the
 * byte offset. The CRC and the counts of the end record are checked by
 * alliance__sync_reader_next before it says ALLIANCE_DONE, so a caller that
 * applies as it reads rolls back on any damage.
 */
#include "sync/sync.h"
#include "core/fsrs_text.h"
#include "core/utf8.h"

#include <string.h>

void alliance__sync_reader_init(alliance__sync_reader *r, alliance__error *err, alliance_read_fn read, void *opaque)
{
    memset(r, 0, sizeof *r);
    r->err = err;
    r->read = read;
    r->opaque = opaque;
}

void alliance__sync_reader_free(alliance__sync_reader *r)
{
    alliance__free(r->rec);
    r->rec = NULL;
    r->rec_cap = 0;
}

static int truncated(alliance__sync_reader *r)
{
    return alliance__error_set(r->err, ALLIANCE_ECORRUPT, "the changeset ends early (truncated) at byte %llu",
                               (unsigned long long)r->offset);
}

static int refill(alliance__sync_reader *r)
{
    if (r->eof)
        return ALLIANCE_OK;
    size_t got = 0;
    int rc = r->read(r->opaque, r->in, sizeof r->in, &got);
    if (rc != 0)
        return alliance__error_set(r->err, ALLIANCE_EIO, "reading the changeset failed at byte %llu (the read "
                                   "callback returned %d)", (unsigned long long)r->offset, rc);
    if (got > sizeof r->in)
        return alliance__error_set(r->err, ALLIANCE_EIO, "the read callback reported more bytes than it was given room for");
    r->in_len = got;
    r->in_pos = 0;
    if (got == 0)
        r->eof = 1;
    return ALLIANCE_OK;
}

/* Exactly n bytes into dst (counted in the CRC unless crc == 0). */
static int read_exact(alliance__sync_reader *r, void *dst, size_t n, int crc)
{
    uint8_t *out = dst;
    while (n > 0) {
        if (r->in_pos == r->in_len) {
            int rc = refill(r);
            if (rc)
                return rc;
            if (r->eof)
                return truncated(r);
        }
        size_t take = r->in_len - r->in_pos < n ? r->in_len - r->in_pos : n;
        memcpy(out, r->in + r->in_pos, take);
        if (crc)
            r->crc = alliance__crc32(r->crc, out, take);
        r->in_pos += take;
        r->offset += take;
        out += take;
        n -= take;
    }
    return ALLIANCE_OK;
}

int alliance__sync_reader_header(alliance__sync_reader *r)
{
    uint8_t h[ALLIANCE__SYNC_HEADER_FIXED + 4];
    int rc = read_exact(r, h, sizeof h, 1);
    if (rc == ALLIANCE_ECORRUPT && r->offset < 8)
        return alliance__error_set(r->err, ALLIANCE_ECORRUPT, "not a liballiance changeset: only %llu bytes",
                                   (unsigned long long)r->offset);
    if (rc)
        return rc;
    if (memcmp(h, ALLIANCE__SYNC_MAGIC, 8) != 0)
        return alliance__error_set(r->err, ALLIANCE_ECORRUPT, "not a liballiance changeset (it does not start with "
                                   "\"ALLYSYNC\")");
    r->format = alliance__get_u16(h + 8);
    r->flags = alliance__get_u16(h + 10);
    if (r->format > ALLIANCE__SYNC_FORMAT)
        return alliance__error_set(r->err, ALLIANCE_ENEWER, "the changeset has format version %u; this liballiance "
                                   "reads up to version %d (upgrade it)", (unsigned)r->format, ALLIANCE__SYNC_FORMAT);
    if (r->format == 0)
        return alliance__error_set(r->err, ALLIANCE_ECORRUPT, "the changeset has format version 0");
    if (r->flags & ~ALLIANCE__SYNC_FLAG_STATE)
        return alliance__error_set(r->err, ALLIANCE_ECORRUPT, "the changeset has unknown flags 0x%x", (unsigned)r->flags);
    memcpy(r->collection_id, h + 12, 16);
    r->sender = (int64_t)alliance__get_u64(h + 28);
    r->nvector = alliance__get_u32(h + 36);
    if (r->nvector > ALLIANCE__SYNC_MAX_VECTOR)
        return alliance__error_set(r->err, ALLIANCE_ELIMIT, "the changeset's version vector has %u entries (the limit "
                                   "is %u)", (unsigned)r->nvector, (unsigned)ALLIANCE__SYNC_MAX_VECTOR);
    return ALLIANCE_OK;
}

int alliance__sync_reader_vector(alliance__sync_reader *r, int64_t *out_replica, int64_t *out_seq)
{
    uint8_t e[16];
    if (r->vector_read >= r->nvector)
        return ALLIANCE_DONE;
    int rc = read_exact(r, e, sizeof e, 1);
    if (rc)
        return rc;
    r->vector_read++;
    *out_replica = (int64_t)alliance__get_u64(e);
    *out_seq = (int64_t)alliance__get_u64(e + 8);
    if (*out_seq < 0)
        return alliance__error_set(r->err, ALLIANCE_ECORRUPT, "a negative sequence in the version vector at byte %llu",
                                   (unsigned long long)(r->offset - 8));
    return ALLIANCE_OK;
}

static int check_end(alliance__sync_reader *r)
{
    uint8_t e[ALLIANCE__SYNC_END_LEN];
    uint64_t before = r->offset;
    int rc = read_exact(r, e, 40, 1);
    if (rc)
        return rc;
    uint32_t crc = r->crc;
    uint64_t total = r->offset;
    if ((rc = read_exact(r, e + 40, 4, 0)) != ALLIANCE_OK)
        return rc;
    if (alliance__get_u32(e + 40) != crc)
        return alliance__error_set(r->err, ALLIANCE_ECORRUPT, "the changeset is damaged: its checksum does not match "
                                   "(CRC-32 at byte %llu)", (unsigned long long)(before + 40));
    const uint64_t want[5] = { r->records, r->reviews, r->tombstones, r->writes, total };
    for (int i = 0; i < 5; i++)
        if (alliance__get_u64(e + 8 * i) != want[i])
            return alliance__error_set(r->err, ALLIANCE_ECORRUPT, "the changeset is damaged: its end record's "
                                       "counts do not match its records");
    /* Nothing may follow the end record. */
    if (r->in_pos == r->in_len && (rc = refill(r)) != ALLIANCE_OK)
        return rc;
    if (r->in_pos < r->in_len)
        return alliance__error_set(r->err, ALLIANCE_ECORRUPT, "bytes after the end of the changeset (byte %llu)",
                                   (unsigned long long)r->offset);
    return ALLIANCE_DONE;
}

int alliance__sync_reader_next(alliance__sync_reader *r)
{
    if (r->vectors_done < 2)
        return alliance__error_set(r->err, ALLIANCE_EMISUSE, "the version vectors were not read");
    uint8_t h[5];
    r->rec_offset = r->offset;
    int rc = read_exact(r, h, sizeof h, 1);
    if (rc)
        return rc;
    r->type = h[0];
    uint32_t len = alliance__get_u32(h + 1);
    if (r->type == ALLIANCE__REC_END) {
        if (len != ALLIANCE__SYNC_END_LEN)
            return alliance__error_set(r->err, ALLIANCE_ECORRUPT, "the end record at byte %llu has length %u",
                                       (unsigned long long)r->rec_offset, (unsigned)len);
        return check_end(r);
    }
    if (r->type != ALLIANCE__REC_WRITE && r->type != ALLIANCE__REC_REVIEW && r->type != ALLIANCE__REC_TOMBSTONE)
        return alliance__error_set(r->err, ALLIANCE_ECORRUPT, "unknown record type %u at byte %llu (format version %u)",
                                   (unsigned)r->type, (unsigned long long)r->rec_offset, (unsigned)r->format);
    if (r->flags & ALLIANCE__SYNC_FLAG_STATE)
        return alliance__error_set(r->err, ALLIANCE_ECORRUPT, "a state with records in it (byte %llu)",
                                   (unsigned long long)r->rec_offset);
    if (len > ALLIANCE__SYNC_MAX_RECORD)
        return alliance__error_set(r->err, ALLIANCE_ELIMIT, "a record of %u bytes at byte %llu (the limit is %u)",
                                   (unsigned)len, (unsigned long long)r->rec_offset, (unsigned)ALLIANCE__SYNC_MAX_RECORD);
    if (len > r->rec_cap) {
        size_t cap = r->rec_cap ? r->rec_cap : 4096;
        while (cap < len)
            cap *= 2;
        uint8_t *rec = alliance__realloc(r->rec, cap);
        if (!rec)
            return alliance__error_set(r->err, ALLIANCE_ENOMEM, "out of memory");
        r->rec = rec;
        r->rec_cap = cap;
    }
    if ((rc = read_exact(r, r->rec, len, 1)) != ALLIANCE_OK)
        return rc;
    r->rec_len = len;
    r->records++;
    if (r->type == ALLIANCE__REC_WRITE)
        r->writes++;
    else if (r->type == ALLIANCE__REC_REVIEW)
        r->reviews++;
    else
        r->tombstones++;
    return ALLIANCE_OK;
}

/* ---- parsing a record's payload ---- */

typedef struct cursor {
    alliance__sync_reader *r;
    size_t pos;
    int bad;
} cursor;

static const uint8_t *take(cursor *c, size_t n)
{
    if (c->bad || n > c->r->rec_len - c->pos) {
        c->bad = 1;
        return NULL;
    }
    const uint8_t *p = c->r->rec + c->pos;
    c->pos += n;
    return p;
}

static uint8_t u8(cursor *c)
{
    const uint8_t *p = take(c, 1);
    return p ? p[0] : 0;
}

static uint32_t u32(cursor *c)
{
    const uint8_t *p = take(c, 4);
    return p ? alliance__get_u32(p) : 0;
}

static int64_t i64(cursor *c)
{
    const uint8_t *p = take(c, 8);
    return p ? (int64_t)alliance__get_u64(p) : 0;
}

static const char *str(cursor *c, uint32_t *out_len)
{
    uint32_t len = u32(c);
    const uint8_t *p = take(c, len);
    if (!p)
        return NULL;
    if (memchr(p, 0, len) || alliance__utf8_check((const char *)p, len) != len) {
        c->bad = 2;
        return NULL;
    }
    *out_len = len;
    return (const char *)p;
}

static int finish(cursor *c, const char *what)
{
    alliance__sync_reader *r = c->r;
    if (c->bad == 2)
        return alliance__error_set(r->err, ALLIANCE_ECORRUPT, "%s at byte %llu: a text that is not UTF-8 or holds NUL",
                                   what, (unsigned long long)r->rec_offset);
    if (c->bad || c->pos != r->rec_len)
        return alliance__error_set(r->err, ALLIANCE_ECORRUPT, "%s at byte %llu is malformed (%u bytes)", what,
                                   (unsigned long long)r->rec_offset, (unsigned)r->rec_len);
    return ALLIANCE_OK;
}

int alliance__sync_parse_write(alliance__sync_reader *r, alliance__sync_write *out)
{
    cursor c = { r, 0, 0 };
    out->kind = u8(&c);
    out->grp = u8(&c);
    out->key = str(&c, &out->key_len);
    out->lamport = i64(&c);
    out->origin = i64(&c);
    out->seq = i64(&c);
    out->n = u8(&c);
    if (c.bad)
        return finish(&c, "a field write");
    const alliance__sync_group *g = alliance__sync_group_find(out->kind, out->grp);
    if (!g)
        return alliance__error_set(r->err, ALLIANCE_ECORRUPT, "a field write at byte %llu names an unknown field group "
                                   "(kind %u, group %u): it was written by a newer liballiance, upgrade this one",
                                   (unsigned long long)r->rec_offset, (unsigned)out->kind, (unsigned)out->grp);
    if (out->n != strlen(g->types))
        return alliance__error_set(r->err, ALLIANCE_ECORRUPT, "a write of %s at byte %llu has %u values, not %zu",
                                   g->name, (unsigned long long)r->rec_offset, (unsigned)out->n, strlen(g->types));
    for (int i = 0; i < out->n && !c.bad; i++) {
        uint8_t tag = u8(&c);
        if (tag != (g->types[i] == 'i' ? 1 : 2)) {
            c.bad = 1;
            break;
        }
        out->v[i].s = NULL;
        out->v[i].len = 0;
        out->v[i].i = 0;
        if (tag == 1)
            out->v[i].i = i64(&c);
        else
            out->v[i].s = str(&c, &out->v[i].len);
    }
    if (!c.bad && (out->seq <= 0 || out->origin == 0 || out->lamport <= 0))
        c.bad = 1;
    return finish(&c, "a field write");
}

int alliance__sync_parse_review(alliance__sync_reader *r, alliance__sync_review *out)
{
    cursor c = { r, 0, 0 };
    out->origin = i64(&c);
    out->seq = i64(&c);
    out->lamport = i64(&c);
    out->card_id = str(&c, &out->card_id_len);
    out->time = i64(&c);
    out->sort_time = i64(&c);
    out->raw_day = i64(&c);
    out->grade = u8(&c);
    out->answer_ms = u32(&c);
    out->params.version = ALLIANCE_SM2_PARAMS_VERSION;
    out->params.preset = u32(&c);
    out->params.initial_efactor_milli = u32(&c);
    out->params.min_efactor_milli = u32(&c);
    out->params.first_interval_days = u32(&c);
    out->params.second_interval_days = u32(&c);
    out->params.max_interval_days = u32(&c);
    out->leech_threshold = u32(&c);
    out->leech_suspend = u8(&c);
    out->kind = 0;
    out->fuzz = 0;
    if (r->format >= 2) {
        out->kind = u8(&c);
        out->fuzz = u8(&c);
    }
    out->scheduler = 0;
    out->fsrs_params = "";
    out->fsrs_params_len = 0;
    if (r->format >= 3) {
        out->scheduler = u8(&c);
        const char *text = str(&c, &out->fsrs_params_len);
        if (text)
            out->fsrs_params = text;
    }
    /* the record of the parameters: none under SM-2, parameters a call could set under FSRS */
    alliance_fsrs_params fsrs;
    if (!c.bad && (out->scheduler > 1 || (out->scheduler == 0 && out->fsrs_params_len != 0) ||
                   (out->scheduler == 1 && (out->fsrs_params_len >= ALLIANCE__FSRS_TEXT_MAX ||
                                            alliance__fsrs_params_decode(out->fsrs_params, out->fsrs_params_len,
                                                                         &fsrs) != ALLIANCE_OK))))
        c.bad = 1;
    out->import_id = 0;
    memset(&out->import_after, 0, sizeof out->import_after);
    out->import_due_day = 0;
    out->import_reviews = out->import_lapses = 0;
    if (r->format >= 4) {
        out->import_id = i64(&c);
        if (out->import_id != 0) {
            out->import_after.repetitions = u32(&c);
            out->import_after.efactor_milli = u32(&c);
            out->import_after.interval_days = u32(&c);
            out->import_after.repeat_today = u8(&c);
            out->import_due_day = i64(&c);
            out->import_reviews = u32(&c);
            out->import_lapses = u32(&c);
        }
    }
    /* times and days far beyond any calendar would only overflow the day arithmetic of replay */
    const int64_t max_time = INT64_C(1) << 50, max_day = INT64_C(1) << 31;
    if (!c.bad && (out->time < -max_time || out->time > max_time || out->sort_time < -max_time ||
                   out->sort_time > max_time || out->raw_day < -max_day || out->raw_day > max_day))
        c.bad = 1;
    if (!c.bad && (out->seq <= 0 || out->origin == 0 || out->lamport <= 0 || out->grade > 5 ||
                   out->leech_suspend > 1 || out->kind > 2 || out->fuzz > 1 || out->card_id_len == 0 ||
                   out->import_id < 0 ||
                   (out->import_id != 0 && (out->import_after.efactor_milli < 1 ||
                                            out->import_after.efactor_milli > 1000000 ||
                                            out->import_after.repeat_today > 1 || out->import_due_day < -max_day ||
                                            out->import_due_day > max_day)) ||
                   alliance_sm2_params_check(&out->params) != ALLIANCE_OK))
        c.bad = 1;
    return finish(&c, "a review");
}

int alliance__sync_parse_tombstone(alliance__sync_reader *r, alliance__sync_tombstone *out)
{
    cursor c = { r, 0, 0 };
    out->origin = i64(&c);
    out->seq = i64(&c);
    out->lamport = i64(&c);
    out->review_origin = i64(&c);
    out->review_seq = i64(&c);
    if (!c.bad && (out->seq <= 0 || out->origin == 0 || out->review_seq <= 0 || out->review_origin == 0))
        c.bad = 1;
    return finish(&c, "a tombstone");
}

/* ---- version vectors ---- */

int alliance__sync_vector_read(alliance__sync_reader *r, alliance__sync_vector *out)
{
    memset(out, 0, sizeof *out);
    if (r->vectors_done >= 2)
        return alliance__error_set(r->err, ALLIANCE_EMISUSE, "both version vectors were read");
    if (r->vectors_done == 1) { /* the base vector: its own count */
        uint8_t c[4];
        int rc = read_exact(r, c, 4, 1);
        if (rc)
            return rc;
        r->nvector = alliance__get_u32(c);
        r->vector_read = 0;
        if (r->nvector > ALLIANCE__SYNC_MAX_VECTOR)
            return alliance__error_set(r->err, ALLIANCE_ELIMIT, "the changeset's base vector has %u entries (the "
                                       "limit is %u)", (unsigned)r->nvector, (unsigned)ALLIANCE__SYNC_MAX_VECTOR);
    }
    r->vectors_done++;
    if (r->nvector) {
        out->replica = alliance__calloc(r->nvector, sizeof *out->replica);
        out->seq = alliance__calloc(r->nvector, sizeof *out->seq);
        if (!out->replica || !out->seq) {
            alliance__sync_vector_free(out);
            return alliance__error_set(r->err, ALLIANCE_ENOMEM, "out of memory");
        }
    }
    int64_t replica, seq;
    int rc;
    while ((rc = alliance__sync_reader_vector(r, &replica, &seq)) == ALLIANCE_OK) {
        if (out->n > 0 && replica <= out->replica[out->n - 1]) {
            alliance__sync_vector_free(out);
            return alliance__error_set(r->err, ALLIANCE_ECORRUPT, "the version vector is not sorted by replica");
        }
        out->replica[out->n] = replica;
        out->seq[out->n] = seq;
        out->n++;
    }
    if (rc != ALLIANCE_DONE) {
        alliance__sync_vector_free(out);
        return rc;
    }
    return ALLIANCE_OK;
}

static size_t vector_find(const alliance__sync_vector *v, int64_t replica)
{
    size_t lo = 0, hi = v->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->replica[mid] == replica)
            return mid;
        if (v->replica[mid] < replica)
            lo = mid + 1;
        else
            hi = mid;
    }
    return v->n;
}

int alliance__sync_vector_has(const alliance__sync_vector *v, int64_t replica)
{
    return vector_find(v, replica) < v->n;
}

int64_t alliance__sync_vector_get(const alliance__sync_vector *v, int64_t replica)
{
    size_t i = vector_find(v, replica);
    return i < v->n ? v->seq[i] : 0;
}

void alliance__sync_vector_free(alliance__sync_vector *v)
{
    alliance__free(v->replica);
    alliance__free(v->seq);
    memset(v, 0, sizeof *v);
}
