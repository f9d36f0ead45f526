/* SPDX-License-Identifier: MIT */
/*
 * apkg_read.c - a package's collection read into memory (apkg.h). The embedded SQLite file
 * is hostile input: it is opened from memory (sqlite3_deserialize, read-only; nothing touches
 * the disk), defensive, with an untrusted schema, triggers and views off, an authorizer that
 * allows reading and nothing else, and lengths limited; every value read is checked (type,
 * UTF-8, range) before it is kept, and every count against its limit before it grows.
 */
#include "interop/apkg.h"

#include "core/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int fail(alliance__apkg *pkg, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pkg->error, sizeof pkg->error, fmt, ap);
    va_end(ap);
    return code;
}

void alliance__apkg_init(alliance__apkg *pkg)
{
    memset(pkg, 0, sizeof *pkg);
}

void alliance__apkg_free(alliance__apkg *pkg)
{
    alliance__buf_free(&pkg->strings);
    alliance__free(pkg->notetypes);
    alliance__free(pkg->decks);
    alliance__free(pkg->notes);
    alliance__free(pkg->cards);
    alliance__free(pkg->revlog);
    memset(pkg, 0, sizeof *pkg);
}

/* Copies a string into the arena; *out is its offset. */
static int intern(alliance__apkg *pkg, const char *s, size_t n, uint32_t *out)
{
    if (pkg->strings.len == 0 && alliance__buf_append(&pkg->strings, "", 1) != 0)
        return fail(pkg, ALLIANCE_ENOMEM, "out of memory");
    if (n == 0) {
        *out = 0;
        return ALLIANCE_OK;
    }
    if (pkg->strings.len + n + 1 > UINT32_MAX)
        return fail(pkg, ALLIANCE_ELIMIT, "%s: the text of the collection is over 4 GiB", pkg->where);
    *out = (uint32_t)pkg->strings.len;
    if (alliance__buf_append(&pkg->strings, s, n) != 0 || alliance__buf_append(&pkg->strings, "", 1) != 0)
        return fail(pkg, ALLIANCE_ENOMEM, "out of memory");
    return ALLIANCE_OK;
}

/* Grows an array by one element, within `max`. */
static int grow(alliance__apkg *pkg, void **items, uint32_t *count, uint32_t *cap, size_t size, uint32_t max,
                const char *what)
{
    if (*count >= max)
        return fail(pkg, ALLIANCE_ELIMIT, "%s: more than %u %s", pkg->where, max, what);
    if (*count < *cap)
        return ALLIANCE_OK;
    uint32_t more = *cap ? *cap * 2 : 64;
    if (more > max)
        more = max;
    void *grown = alliance__realloc(*items, (size_t)more * size);
    if (!grown)
        return fail(pkg, ALLIANCE_ENOMEM, "out of memory");
    *items = grown;
    *cap = more;
    return ALLIANCE_OK;
}

/* A text column: NULL is "", a blob or a number is refused, and it must be UTF-8 without NUL. */
static int text_column(alliance__apkg *pkg, sqlite3_stmt *stmt, int col, const char *what, int64_t row,
                       uint32_t *out)
{
    int type = sqlite3_column_type(stmt, col);
    if (type == SQLITE_NULL) {
        *out = 0;
        return ALLIANCE_OK;
    }
    if (type != SQLITE_TEXT)
        return fail(pkg, ALLIANCE_EPARSE, "%s: %s of row %lld is not text", pkg->where, what, (long long)row);
    const char *s = (const char *)sqlite3_column_text(stmt, col);
    size_t n = (size_t)sqlite3_column_bytes(stmt, col);
    if (!s)
        return fail(pkg, ALLIANCE_ENOMEM, "out of memory");
    if (memchr(s, '\0', n))
        return fail(pkg, ALLIANCE_EPARSE, "%s: %s of row %lld holds a NUL byte", pkg->where, what, (long long)row);
    if (alliance__utf8_check(s, n) != n)
        return fail(pkg, ALLIANCE_EPARSE, "%s: %s of row %lld is not UTF-8", pkg->where, what, (long long)row);
    return intern(pkg, s, n, out);
}

/* The value of protobuf field 1 (a varint) in `data`, or 0 when absent: Anki's note type
 * config (its kind) and package metadata (its version) both keep what we need there. */
static uint64_t protobuf_field1(const unsigned char *data, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint64_t key = 0, value = 0;
        for (int shift = 0; i < n && shift < 64; shift += 7) {
            key |= (uint64_t)(data[i] & 0x7F) << shift;
            if (!(data[i++] & 0x80))
                break;
        }
        unsigned wire = (unsigned)(key & 7);
        if (wire == 0) {
            for (int shift = 0; i < n && shift < 64; shift += 7) {
                value |= (uint64_t)(data[i] & 0x7F) << shift;
                if (!(data[i++] & 0x80))
                    break;
            }
            if ((key >> 3) == 1)
                return value;
        } else if (wire == 1 || wire == 5) {
            i += wire == 1 ? 8 : 4;
        } else if (wire == 2) {
            uint64_t len = 0;
            for (int shift = 0; i < n && shift < 64; shift += 7) {
                len |= (uint64_t)(data[i] & 0x7F) << shift;
                if (!(data[i++] & 0x80))
                    break;
            }
            if (len > n - i)
                return 0;
            i += (size_t)len;
        } else {
            return 0; /* groups or garbage: nothing more we can read */
        }
    }
    return 0;
}

/* ---- the database ---- */

/* Reading is all a package's database is for: any other action is refused. */
static int authorize(void *ctx, int action, const char *a, const char *b, const char *c, const char *d)
{
    (void)ctx, (void)b, (void)c, (void)d;
    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_FUNCTION:
        return SQLITE_OK;
    case SQLITE_UPDATE:
        /* SQLite asks this while setting up json_each (an eponymous virtual table); nothing is
         * written: the database is read-only. */
        return a && strcmp(a, "sqlite_master") == 0 ? SQLITE_OK : SQLITE_DENY;
    default:
        return SQLITE_DENY;
    }
}

/* Anki's schema 18 declares names COLLATE unicase; ASCII case folding orders them well enough
 * to read (we never rely on its order). */
static int unicase(void *ctx, int an, const void *a, int bn, const void *b)
{
    (void)ctx;
    int n = an < bn ? an : bn;
    int r = strncasecmp(a, b, (size_t)n);
    return r ? r : an - bn;
}

static int db_error(alliance__apkg *pkg, sqlite3 *db, int rc, const char *what)
{
    /* Some calls (sqlite3_deserialize) say SQLITE_ERROR for a failure whose cause, out of memory,
     * only the handle's error code keeps. */
    if ((rc & 0xFF) == SQLITE_ERROR && (sqlite3_errcode(db) & 0xFF) == SQLITE_NOMEM)
        rc = SQLITE_NOMEM;
    int code = (rc & 0xFF) == SQLITE_NOMEM ? ALLIANCE_ENOMEM : (rc & 0xFF) == SQLITE_TOOBIG ? ALLIANCE_ELIMIT
                                                                                           : ALLIANCE_EPARSE;
    return fail(pkg, code, "%s: %s: %s", pkg->where, what, sqlite3_errmsg(db));
}

static int open_db(alliance__apkg *pkg, alliance__buf *file, sqlite3 **out)
{
    *out = NULL;
    if (file->len < 512 || memcmp(file->data, "SQLite format 3", 16) != 0)
        return fail(pkg, ALLIANCE_EPARSE, "%s: not a SQLite database", pkg->where);
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_close(db);
        return fail(pkg, ALLIANCE_ENOMEM, "%s: cannot open an in-memory database", pkg->where);
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, (int *)NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (int *)NULL);
    sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 16 << 20);       /* a value: our values are at most 1 MiB */
    sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 1 << 20);    /* a statement of the crafted schema */
    sqlite3_limit(db, SQLITE_LIMIT_COLUMN, 200);
    sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, 100);
    sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
    sqlite3_limit(db, SQLITE_LIMIT_TRIGGER_DEPTH, 0);
    sqlite3_create_collation(db, "unicase", SQLITE_UTF8, NULL, unicase);
    /* Anki's files are in WAL mode (header bytes 18 and 19 are 2), which a database in memory
     * cannot open read-only: our private copy says rollback journal (1) instead. */
    if (file->data[18] == 2 && file->data[19] == 2)
        file->data[18] = file->data[19] = 1;
    /* Read-only, and the buffer stays ours (no SQLITE_DESERIALIZE_FREEONCLOSE). */
    rc = sqlite3_deserialize(db, "main", (unsigned char *)file->data, (sqlite3_int64)file->len,
                             (sqlite3_int64)file->len, SQLITE_DESERIALIZE_READONLY);
    if (rc != SQLITE_OK) {
        rc = db_error(pkg, db, rc, "cannot open the database");
        sqlite3_close(db);
        return rc;
    }
    sqlite3_set_authorizer(db, authorize, NULL);
    *out = db;
    return ALLIANCE_OK;
}

typedef int (*row_fn)(alliance__apkg *pkg, sqlite3_stmt *stmt, int64_t row);

/* Runs statement `id` and hands each row to `fn`. */
static int each_row(alliance__apkg *pkg, sqlite3 *db, alliance__anki_sql_id id, const char *what, row_fn fn)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, alliance__anki_sql(id), -1, &stmt, NULL);
    if (rc != SQLITE_OK) {
        rc = db_error(pkg, db, rc, what);
        sqlite3_finalize(stmt);
        return rc;
    }
    int64_t row = 0;
    int out = ALLIANCE_OK;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        row++;
        out = fn(pkg, stmt, row);
        /* A function of the statement (json_extract...) or the conversion of a value that ran
         * out of memory may leave a NULL where the value was and say so only on the handle:
         * the row was not read as it is. */
        if ((sqlite3_errcode(db) & 0xFF) == SQLITE_NOMEM)
            out = fail(pkg, ALLIANCE_ENOMEM, "%s: %s: out of memory", pkg->where, what);
        if (out != ALLIANCE_OK)
            break;
    }
    if (out == ALLIANCE_OK && rc != SQLITE_DONE)
        out = db_error(pkg, db, rc, what);
    sqlite3_finalize(stmt);
    return out;
}

/* ---- the rows ---- */

static alliance__anki_notetype *notetype_by_id(alliance__apkg *pkg, int64_t id)
{
    for (uint32_t i = 0; i < pkg->notetype_count; i++)
        if (pkg->notetypes[i].id == id)
            return &pkg->notetypes[i];
    return NULL;
}

static int add_notetype(alliance__apkg *pkg, int64_t id, const char *name, size_t n, uint32_t kind,
                        uint32_t templates, int64_t row)
{
    if (notetype_by_id(pkg, id))
        return fail(pkg, ALLIANCE_EPARSE, "%s: note type %lld is defined twice", pkg->where, (long long)id);
    if (!name || alliance__utf8_check(name, n) != n || memchr(name, '\0', n))
        return fail(pkg, ALLIANCE_EPARSE, "%s: note type of row %lld has no name in UTF-8", pkg->where,
                    (long long)row);
    int rc = grow(pkg, (void **)&pkg->notetypes, &pkg->notetype_count, &pkg->notetype_cap, sizeof *pkg->notetypes,
                  ALLIANCE__APKG_NOTETYPES_MAX, "note types");
    if (rc)
        return rc;
    alliance__anki_notetype *nt = &pkg->notetypes[pkg->notetype_count];
    memset(nt, 0, sizeof *nt);
    nt->id = id;
    nt->kind = kind;
    nt->templates = templates;
    if ((rc = intern(pkg, name, n, &nt->name)) != ALLIANCE_OK)
        return rc;
    pkg->notetype_count++;
    return ALLIANCE_OK;
}

static int notetype_11(alliance__apkg *pkg, sqlite3_stmt *stmt, int64_t row)
{
    const char *name = (const char *)sqlite3_column_text(stmt, 1);
    int64_t type = sqlite3_column_int64(stmt, 2), templates = sqlite3_column_int64(stmt, 3);
    if (type < 0 || type > 1 || templates < 0 || templates > 1000)
        return fail(pkg, ALLIANCE_EPARSE, "%s: note type of row %lld: type %lld with %lld templates", pkg->where,
                    (long long)row, (long long)type, (long long)templates);
    return add_notetype(pkg, sqlite3_column_int64(stmt, 0), name, (size_t)sqlite3_column_bytes(stmt, 1),
                        (uint32_t)type, (uint32_t)templates, row);
}

static int notetype_18(alliance__apkg *pkg, sqlite3_stmt *stmt, int64_t row)
{
    const char *name = (const char *)sqlite3_column_text(stmt, 1);
    const unsigned char *config = sqlite3_column_blob(stmt, 2);
    uint64_t kind = config ? protobuf_field1(config, (size_t)sqlite3_column_bytes(stmt, 2)) : 0;
    if (kind > 1)
        return fail(pkg, ALLIANCE_EPARSE, "%s: note type of row %lld: unknown kind %llu", pkg->where,
                    (long long)row, (unsigned long long)kind);
    return add_notetype(pkg, sqlite3_column_int64(stmt, 0), name, (size_t)sqlite3_column_bytes(stmt, 1),
                        (uint32_t)kind, 0, row);
}

static int field(alliance__apkg *pkg, sqlite3_stmt *stmt, int64_t row)
{
    alliance__anki_notetype *nt = notetype_by_id(pkg, sqlite3_column_int64(stmt, 0));
    int64_t ord = sqlite3_column_int64(stmt, 1);
    if (!nt)
        return ALLIANCE_OK; /* a field of no note type: nothing uses it */
    if (ord != nt->field_count)
        return fail(pkg, ALLIANCE_EPARSE, "%s: field %lld of note type %lld is out of order (row %lld)", pkg->where,
                    (long long)ord, (long long)nt->id, (long long)row);
    if (nt->field_count >= ALLIANCE__APKG_FIELDS_MAX)
        return fail(pkg, ALLIANCE_ELIMIT, "%s: note type %lld has more than %u fields", pkg->where,
                    (long long)nt->id, ALLIANCE__APKG_FIELDS_MAX);
    uint32_t name;
    int rc = text_column(pkg, stmt, 2, "a field name", row, &name);
    if (rc)
        return rc;
    nt->field_name[nt->field_count++] = name;
    return ALLIANCE_OK;
}

static int templates_18(alliance__apkg *pkg, sqlite3_stmt *stmt, int64_t row)
{
    (void)row;
    alliance__anki_notetype *nt = notetype_by_id(pkg, sqlite3_column_int64(stmt, 0));
    int64_t n = sqlite3_column_int64(stmt, 1);
    if (nt)
        nt->templates = n > 1000 ? 1000u : (uint32_t)n;
    return ALLIANCE_OK;
}

static int deck_row(alliance__apkg *pkg, sqlite3_stmt *stmt, int64_t row)
{
    int rc = grow(pkg, (void **)&pkg->decks, &pkg->deck_count, &pkg->deck_cap, sizeof *pkg->decks,
                  ALLIANCE__APKG_DECKS_MAX, "decks");
    if (rc)
        return rc;
    alliance__anki_deck *d = &pkg->decks[pkg->deck_count];
    d->id = sqlite3_column_int64(stmt, 0);
    const char *name = (const char *)sqlite3_column_text(stmt, 1);
    size_t n = (size_t)sqlite3_column_bytes(stmt, 1);
    if (!name || !n || alliance__utf8_check(name, n) != n || memchr(name, '\0', n))
        return fail(pkg, ALLIANCE_EPARSE, "%s: deck of row %lld has no name in UTF-8", pkg->where, (long long)row);
    /* Schema 18 separates the levels of a deck's name with 0x1f; 11 with "::". */
    alliance__buf buf = {0};
    for (size_t i = 0; i < n && !rc; i++)
        rc = name[i] == 0x1f ? alliance__buf_append(&buf, "::", 2) : alliance__buf_append(&buf, name + i, 1);
    if (rc) {
        alliance__buf_free(&buf);
        return fail(pkg, ALLIANCE_ENOMEM, "out of memory");
    }
    rc = intern(pkg, buf.data, buf.len, &d->name);
    alliance__buf_free(&buf);
    if (!rc)
        pkg->deck_count++;
    return rc;
}

static int note_row(alliance__apkg *pkg, sqlite3_stmt *stmt, int64_t row)
{
    int rc = grow(pkg, (void **)&pkg->notes, &pkg->note_count, &pkg->note_cap, sizeof *pkg->notes,
                  ALLIANCE__APKG_NOTES_MAX, "notes");
    if (rc)
        return rc;
    alliance__anki_note *n = &pkg->notes[pkg->note_count];
    memset(n, 0, sizeof *n);
    n->id = sqlite3_column_int64(stmt, 0);
    n->mid = sqlite3_column_int64(stmt, 2);
    if ((rc = text_column(pkg, stmt, 1, "the guid of a note", row, &n->guid)) != ALLIANCE_OK ||
        (rc = text_column(pkg, stmt, 3, "the fields of a note", row, &n->fields)) != ALLIANCE_OK ||
        (rc = text_column(pkg, stmt, 4, "the tags of a note", row, &n->tags)) != ALLIANCE_OK)
        return rc;
    alliance__anki_notetype *nt = notetype_by_id(pkg, n->mid);
    if (!nt)
        return fail(pkg, ALLIANCE_EPARSE, "%s: note of row %lld has note type %lld, which the package lacks",
                    pkg->where, (long long)row, (long long)n->mid);
    nt->notes++;
    pkg->note_count++;
    return ALLIANCE_OK;
}

static int card_row(alliance__apkg *pkg, sqlite3_stmt *stmt, int64_t row)
{
    int rc = grow(pkg, (void **)&pkg->cards, &pkg->card_count, &pkg->card_cap, sizeof *pkg->cards,
                  ALLIANCE__APKG_CARDS_MAX, "cards");
    if (rc)
        return rc;
    alliance__anki_card *c = &pkg->cards[pkg->card_count];
    c->id = sqlite3_column_int64(stmt, 0);
    c->nid = sqlite3_column_int64(stmt, 1);
    c->did = sqlite3_column_int64(stmt, 2);
    c->odid = sqlite3_column_int64(stmt, 3);
    int64_t ord = sqlite3_column_int64(stmt, 4), type = sqlite3_column_int64(stmt, 5),
            queue = sqlite3_column_int64(stmt, 6);
    c->due = sqlite3_column_int64(stmt, 7);
    c->odue = sqlite3_column_int64(stmt, 8);
    c->ivl = sqlite3_column_int64(stmt, 9);
    c->factor = sqlite3_column_int64(stmt, 10);
    c->reps = sqlite3_column_int64(stmt, 11);
    c->lapses = sqlite3_column_int64(stmt, 12);
    if (ord < 0 || ord > 1000 || type < 0 || type > 3 || queue < -3 || queue > 4 || c->reps < 0 || c->lapses < 0)
        return fail(pkg, ALLIANCE_EPARSE,
                    "%s: card %lld (row %lld) has a state Anki does not write (ord %lld, type %lld, queue %lld)",
                    pkg->where, (long long)c->id, (long long)row, (long long)ord, (long long)type, (long long)queue);
    c->ord = (uint32_t)ord;
    c->type = (int32_t)type;
    c->queue = (int32_t)queue;
    pkg->card_count++;
    return ALLIANCE_OK;
}

static int revlog_row(alliance__apkg *pkg, sqlite3_stmt *stmt, int64_t row)
{
    int rc = grow(pkg, (void **)&pkg->revlog, &pkg->revlog_count, &pkg->revlog_cap, sizeof *pkg->revlog,
                  ALLIANCE__APKG_REVLOG_MAX, "review log rows");
    if (rc)
        return rc;
    alliance__anki_revlog *r = &pkg->revlog[pkg->revlog_count];
    r->id = sqlite3_column_int64(stmt, 0);
    r->cid = sqlite3_column_int64(stmt, 1);
    int64_t ease = sqlite3_column_int64(stmt, 2), type = sqlite3_column_int64(stmt, 3);
    r->ivl = sqlite3_column_int64(stmt, 4);
    r->last_ivl = sqlite3_column_int64(stmt, 5);
    r->factor = sqlite3_column_int64(stmt, 6);
    r->time_ms = sqlite3_column_int64(stmt, 7);
    if (ease < 0 || ease > 4 || type < 0 || type > 5)
        return fail(pkg, ALLIANCE_EPARSE, "%s: review log row %lld: ease %lld, type %lld", pkg->where, (long long)row,
                    (long long)ease, (long long)type);
    r->ease = (int32_t)ease;
    r->type = (int32_t)type;
    pkg->revlog_count++;
    return ALLIANCE_OK;
}

/* SQLite's json_valid (3.40) answers 0 when it runs out of memory, and then col.conf's schedVer
 * would be guessed: the grades of an imported review log depend on it (anki_sched.c). json_type
 * says the truth: an error for a conf that is not JSON (the guess stands), NULL without a
 * schedVer (it stands), a type when there was one to read (the first read ran out of memory). */
static int confirm_sched_guess(alliance__apkg *pkg, sqlite3 *db)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT json_type(conf, '$.schedVer') FROM col LIMIT 1", -1, &stmt, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(stmt);
    int out = ALLIANCE_OK;
    if ((rc & 0xFF) == SQLITE_NOMEM || (sqlite3_errcode(db) & 0xFF) == SQLITE_NOMEM ||
        (rc == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL))
        out = fail(pkg, ALLIANCE_ENOMEM, "%s: reading col: out of memory", pkg->where);
    sqlite3_finalize(stmt);
    return out;
}

static int col_row(alliance__apkg *pkg, sqlite3_stmt *stmt, int64_t row)
{
    (void)row;
    pkg->crt = sqlite3_column_int64(stmt, 0);
    int64_t ver = sqlite3_column_int64(stmt, 1);
    int64_t sched = sqlite3_column_int64(stmt, 2);
    pkg->sched_ver = sched >= 1 && sched <= 3 ? (uint32_t)sched : ver == 11 ? 1u : 2u;
    pkg->sched_guessed = sqlite3_column_type(stmt, 2) == SQLITE_NULL;
    if (ver == 11)
        pkg->schema = 11;
    else if (ver >= 15 && ver <= 18)
        pkg->schema = 18; /* the tables of 18 appeared in 15; what we read is the same since */
    else
        return fail(pkg, ALLIANCE_EPARSE, "%s: schema version %lld, not one we read (11, or 15 to 18)", pkg->where,
                    (long long)ver);
    return ALLIANCE_OK;
}

static int by_note(const void *a, const void *b)
{
    const alliance__anki_card *x = a, *y = b;
    if (x->nid != y->nid)
        return x->nid < y->nid ? -1 : 1;
    if (x->ord != y->ord)
        return x->ord < y->ord ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int by_card(const void *a, const void *b)
{
    const alliance__anki_revlog *x = a, *y = b;
    if (x->cid != y->cid)
        return x->cid < y->cid ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* A collection.anki2 that only says "Please update to the latest Anki version" is the
 * placeholder a current package holds for old Anki versions: never imported. */
static int placeholder(const alliance__apkg *pkg)
{
    return pkg->note_count == 1 &&
           strstr(alliance__apkg_str(pkg, pkg->notes[0].fields), "Please update to the latest Anki version") != NULL;
}

static int read_db(alliance__apkg *pkg, sqlite3 *db)
{
    int rc = each_row(pkg, db, ALLIANCE__ANKI_SQL_COL, "reading col", col_row);
    if (!rc && pkg->sched_guessed)
        rc = confirm_sched_guess(pkg, db);
    if (!rc && pkg->schema == 0)
        rc = fail(pkg, ALLIANCE_EPARSE, "%s: the col table is empty", pkg->where);
    if (!rc && pkg->schema == 11) {
        rc = each_row(pkg, db, ALLIANCE__ANKI_SQL_NOTETYPES_11, "reading the note types (col.models)", notetype_11);
        if (!rc)
            rc = each_row(pkg, db, ALLIANCE__ANKI_SQL_FIELDS_11, "reading the fields (col.models)", field);
        if (!rc)
            rc = each_row(pkg, db, ALLIANCE__ANKI_SQL_DECKS_11, "reading the decks (col.decks)", deck_row);
    } else if (!rc) {
        rc = each_row(pkg, db, ALLIANCE__ANKI_SQL_NOTETYPES_18, "reading the note types", notetype_18);
        if (!rc)
            rc = each_row(pkg, db, ALLIANCE__ANKI_SQL_FIELDS_18, "reading the fields", field);
        if (!rc)
            rc = each_row(pkg, db, ALLIANCE__ANKI_SQL_TEMPLATES_18, "reading the templates", templates_18);
        if (!rc)
            rc = each_row(pkg, db, ALLIANCE__ANKI_SQL_DECKS_18, "reading the decks", deck_row);
    }
    if (!rc)
        rc = each_row(pkg, db, ALLIANCE__ANKI_SQL_NOTES, "reading the notes", note_row);
    if (!rc)
        rc = each_row(pkg, db, ALLIANCE__ANKI_SQL_CARDS, "reading the cards", card_row);
    if (!rc)
        rc = each_row(pkg, db, ALLIANCE__ANKI_SQL_REVLOG, "reading the review log", revlog_row);
    if (!rc && pkg->card_count)
        qsort(pkg->cards, pkg->card_count, sizeof *pkg->cards, by_note);
    if (!rc && pkg->revlog_count)
        qsort(pkg->revlog, pkg->revlog_count, sizeof *pkg->revlog, by_card);
    return rc;
}

int alliance__apkg_read(alliance__apkg *pkg, const char *name, const char *path, const char *data, size_t len)
{
    snprintf(pkg->where, sizeof pkg->where, "%.240s", name ? name : path ? path : "(package)");
    char package[sizeof pkg->where];
    memcpy(package, pkg->where, sizeof package);
    alliance__apkg_zip *zip = NULL;
    int rc = alliance__apkg_zip_open(&zip, pkg, path, data, len);
    if (rc)
        return rc;
    /* meta (current packages): protobuf, field 1 the package's version (3 = current). */
    uint64_t version = 0;
    alliance__buf buf = {0};
    if (alliance__apkg_zip_has(zip, "meta")) {
        rc = alliance__apkg_zip_read(zip, pkg, "meta", ALLIANCE__APKG_SMALL_MAX, 0, &buf);
        if (!rc)
            version = protobuf_field1((const unsigned char *)buf.data, buf.len);
    }
    const char *member = alliance__apkg_zip_has(zip, "collection.anki21b") ? "collection.anki21b"
                         : alliance__apkg_zip_has(zip, "collection.anki21") ? "collection.anki21"
                         : alliance__apkg_zip_has(zip, "collection.anki2")  ? "collection.anki2"
                                                                            : NULL;
    if (!rc && !member)
        rc = fail(pkg, ALLIANCE_EPARSE,
                  "%s: no collection in the package (collection.anki21b, collection.anki21 or collection.anki2)",
                  package);
    if (!rc && version >= 3 && strcmp(member, "collection.anki21b") != 0)
        rc = fail(pkg, ALLIANCE_EPARSE, "%s: member 'collection.anki21b' is missing, though 'meta' says the package "
                  "is of the current kind", package);
    if (!rc)
        rc = alliance__apkg_zip_read(zip, pkg, member, ALLIANCE__APKG_COLLECTION_MAX,
                                     strcmp(member, "collection.anki21b") == 0, &buf);
    /* From here on the database speaks: messages name it as PACKAGE:MEMBER. */
    if (member)
        snprintf(pkg->where, sizeof pkg->where, "%.240s:%.40s", package, member);
    alliance__apkg_zip_close(zip);
    sqlite3 *db = NULL;
    if (!rc)
        rc = open_db(pkg, &buf, &db);
    if (!rc)
        rc = read_db(pkg, db);
    if (!rc && strcmp(member, "collection.anki2") == 0 && placeholder(pkg))
        rc = fail(pkg, ALLIANCE_EPARSE, "%s: the placeholder a current package holds for old Anki versions, and "
                  "the package has no 'collection.anki21b'", pkg->where);
    sqlite3_close(db); /* before the buffer it reads goes */
    alliance__buf_free(&buf);
    return rc;
}
