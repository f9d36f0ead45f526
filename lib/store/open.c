/* SPDX-License-Identifier: MIT */
/*
 * open.c - opening and closing a collection: recognising the file, creating or
 * upgrading its schema (the migrations live in sql.c), the connection's settings.
 */
#define _XOPEN_SOURCE 700 /* realpath(3), beside the build's _POSIX_C_SOURCE */
#include "core/html.h"
#include "store/handle.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- options ------------------------------------------------------------- */

int alliance_open_options_init(alliance_open_options *options, uint32_t version)
{
    if (!options)
        return ALLIANCE_EINVAL;
    /* Only version 1 exists; a later one will write exactly the layout asked for. */
    if (version != ALLIANCE_OPEN_OPTIONS_VERSION)
        return ALLIANCE_EVERSION;
    alliance_open_options defaults = ALLIANCE_OPEN_OPTIONS_INIT;
    *options = defaults;
    return ALLIANCE_OK;
}

/* ---- reading one integer row (pragmas, counts) ------------------------------ */

static int read_int(alliance_db *db, alliance__sql_id id, const char *what, int64_t *out)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, id, &stmt);
    if (rc)
        return rc;
    rc = alliance__sql_step(db, stmt, what);
    if (rc < 0)
        return rc;
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
    sqlite3_reset(stmt);
    return ALLIANCE_OK;
}

/* ---- recognising the file ----------------------------------------------------- */

enum file_kind { FILE_NEW, FILE_CURRENT, FILE_OLDER, FILE_NEWER, FILE_FOREIGN };

typedef struct file_header {
    int64_t application_id;
    int64_t user_version;
    int64_t objects; /* tables, indexes... in the file */
} file_header;

/* SQLite says SQLITE_NOTADB at the first statement that reads the file. */
static int not_a_database(alliance_db *db, const char *path, int rc)
{
    if (rc != ALLIANCE_ENOTCOLLECTION)
        return rc;
    return alliance__error_set(&db->error, rc, "%s is not a liballiance collection (not a SQLite database); "
                               "it was left untouched", path);
}

/* Reads only: a file that turns out not to be ours must stay byte-for-byte the same. */
static int read_header(alliance_db *db, const char *path, file_header *out)
{
    int rc = read_int(db, ALLIANCE__SQL_APPLICATION_ID, "reading the file header", &out->application_id);
    if (rc)
        return not_a_database(db, path, rc);
    rc = read_int(db, ALLIANCE__SQL_USER_VERSION, "reading the schema version", &out->user_version);
    if (rc)
        return rc;
    return read_int(db, ALLIANCE__SQL_SCHEMA_OBJECTS, "reading the schema", &out->objects);
}

static enum file_kind classify(const file_header *h)
{
    if (h->application_id == ALLIANCE__APPLICATION_ID && h->user_version >= 1) {
        if (h->user_version > ALLIANCE__SCHEMA_VERSION)
            return FILE_NEWER;
        return h->user_version == ALLIANCE__SCHEMA_VERSION ? FILE_CURRENT : FILE_OLDER;
    }
    if (h->application_id == 0 && h->user_version == 0 && h->objects == 0)
        return FILE_NEW;
    return FILE_FOREIGN;
}

static int refuse(alliance_db *db, const char *path, enum file_kind kind, const file_header *h)
{
    if (kind == FILE_NEWER)
        return alliance__error_set(&db->error, ALLIANCE_ENEWER,
                                   "%s was made by a newer liballiance (schema version %lld; this library "
                                   "knows up to %d); it was left untouched",
                                   path, (long long)h->user_version, ALLIANCE__SCHEMA_VERSION);
    return alliance__error_set(&db->error, ALLIANCE_ENOTCOLLECTION,
                               "%s is a SQLite database but not a liballiance collection "
                               "(application_id %lld, %lld schema objects); it was left untouched",
                               path, (long long)h->application_id, (long long)h->objects);
}

/* ---- recognising a file from its bytes, before SQLite opens it ------------------------
 * SQLite recovers a hot rollback journal (writing the main file and deleting the
 * journal) as soon as it reads the header, and writes a -journal next to
 * whatever it opens. So the file is recognised from its own bytes first: only
 * a missing or empty file, an empty SQLite database or a file with our
 * application id reaches SQLite; anything else is refused untouched. The header
 * is read again through SQLite afterwards (read_header), which also sees a
 * pending write-ahead log. */

enum peek { PEEK_SPECIAL, PEEK_MISSING, PEEK_EMPTY, PEEK_EMPTY_DATABASE, PEEK_OURS };

#define SQLITE_HEADER_BYTES 108 /* the 100-byte file header and page 1's b-tree header */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int os_error(alliance_db *db, int code, const char *what, const char *path, int err)
{
    char reason[128];
    return alliance__error_set(&db->error, code, "%s %s: %s", what, path, alliance__errno_text(err, reason, sizeof reason));
}

static const char *file_kind(mode_t mode)
{
    return S_ISFIFO(mode) ? "a FIFO" : S_ISCHR(mode) ? "a character device" : S_ISBLK(mode) ? "a block device"
           : S_ISSOCK(mode) ? "a socket" : "not a file";
}

/* The name of the side file (journal, log, index) SQLite keeps for `path`: SQLite resolves
 * symlinks and keeps them beside the file itself, so that is where they are looked for (a
 * symlink's own directory may hold none while its target's does). 0 if it does not fit. */
static int side_name(const char *path, const char *suffix, char *out, size_t size)
{
    char *real = realpath(path, NULL);
    int n = snprintf(out, size, "%s%s", real ? real : path, suffix);
    free(real);
    return n >= 0 && (size_t)n < size;
}

/* Whether SQLite would find a journal or write-ahead log to replay for `path`. */
static int side_file_pending(const char *path, const char *suffix)
{
    char side[4200];
    struct stat st;
    if (!side_name(path, suffix, side, sizeof side))
        return 1; /* cannot tell: counted as pending, which refuses rather than reads the file alone */
    return stat(side, &st) == 0 && st.st_size > 0;
}

static int refuse_foreign_bytes(alliance_db *db, const char *path, const char *why)
{
    return alliance__error_set(&db->error, ALLIANCE_ENOTCOLLECTION,
                               "%s is not a liballiance collection (%s); it was left untouched", path, why);
}

static int peek_file(alliance_db *db, const char *path, enum peek *out)
{
    if (path[0] == '\0' || strcmp(path, ":memory:") == 0) {
        *out = PEEK_SPECIAL; /* a private temporary or in-memory database */
        return ALLIANCE_OK;
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT) {
            *out = PEEK_MISSING;
            return ALLIANCE_OK;
        }
        return os_error(db, ALLIANCE_EIO, "cannot open", path, errno); /* EACCES, ELOOP, ENOTDIR... */
    }
    if (S_ISDIR(st.st_mode))
        return alliance__error_set(&db->error, ALLIANCE_EIO, "cannot open %s: it is a directory, not a collection file",
                                   path);
    if (!S_ISREG(st.st_mode))
        return alliance__error_set(&db->error, ALLIANCE_ENOTCOLLECTION,
                                   "%s is not a regular file (%s), so not a collection; it was left untouched", path,
                                   file_kind(st.st_mode));
    if (st.st_size == 0) {
        *out = PEEK_EMPTY;
        return ALLIANCE_OK;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return os_error(db, ALLIANCE_EIO, "cannot read", path, errno);
    unsigned char h[SQLITE_HEADER_BYTES];
    size_t got = 0;
    while (got < sizeof h) {
        ssize_t n = pread(fd, h + got, sizeof h - got, (off_t)got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int err = errno;
            close(fd);
            return os_error(db, ALLIANCE_EIO, "cannot read", path, err);
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    if (got < 100 || memcmp(h, "SQLite format 3", 16) != 0)
        return refuse_foreign_bytes(db, path, "not a SQLite database");
    uint32_t application_id = be32(h + 68), user_version = be32(h + 60);
    if (application_id == ALLIANCE__APPLICATION_ID) {
        *out = PEEK_OURS;
        return ALLIANCE_OK;
    }
    if (application_id != 0 || user_version != 0) {
        char why[160];
        snprintf(why, sizeof why, "a SQLite database with application_id %ld and user_version %ld",
                 (long)(int32_t)application_id, (long)(int32_t)user_version);
        return refuse_foreign_bytes(db, path, why);
    }
    /* Without ids, only an empty database (page 1, the schema, holds no row) can become a
     * collection; with a journal or log pending, what it holds is not known. */
    if (got < SQLITE_HEADER_BYTES || h[100] != 0x0D || (h[103] | h[104]) != 0)
        return refuse_foreign_bytes(db, path, "a SQLite database with tables of its own");
    if (side_file_pending(path, "-journal") || side_file_pending(path, "-wal"))
        return refuse_foreign_bytes(db, path, "an empty SQLite database with a pending journal or write-ahead log");
    *out = PEEK_EMPTY_DATABASE;
    return ALLIANCE_OK;
}

/* ---- the files that are the collection ------------------------------------------------ */

/* `path` made absolute with its directory's symlinks resolved (the file itself may not exist
 * yet), as SQLite names its files; a new string (free()), or NULL. */
static char *canonical_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[4200];
    snprintf(dir, sizeof dir, "%.*s", !slash ? 1 : slash == path ? 1 : (int)(slash - path), slash ? path : ".");
    char *real_dir = realpath(dir, NULL);
    if (!real_dir)
        return NULL;
    const char *base = slash ? slash + 1 : path;
    size_t n = strlen(real_dir) + 1 + strlen(base) + 1;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%s%s%s", real_dir, strcmp(real_dir, "/") == 0 ? "" : "/", base);
    free(real_dir);
    return out;
}

int alliance__store_is_own_file(alliance_db *db, const char *path)
{
    const char *main_file = db->sqlite ? sqlite3_db_filename(db->sqlite, "main") : NULL;
    if (!main_file || !*main_file)
        return 0; /* in memory or temporary: no file of its own */
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    struct stat target, side;
    int exists = stat(path, &target) == 0;
    char *name = canonical_name(path);
    char own[4200];
    int same = 0;
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0] && !same; i++) {
        snprintf(own, sizeof own, "%s%s", main_file, suffixes[i]);
        same = (name && strcmp(name, own) == 0) ||
               (exists && stat(own, &side) == 0 && side.st_dev == target.st_dev && side.st_ino == target.st_ino);
    }
    free(name);
    return same;
}

/* ---- creating and upgrading the schema ------------------------------------------ */

static int insert_default_config(alliance_db *db)
{
    alliance_config config = ALLIANCE_CONFIG_INIT;
    alliance_sm2_params params = ALLIANCE_SM2_PARAMS_INIT;
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_CONFIG_INSERT, &stmt);
    if (rc)
        return rc;
    const int64_t values[] = {
        config.new_per_day, config.reviews_per_day, config.rollover_hour, config.leech_threshold,
        config.leech_suspend, params.preset, params.initial_efactor_milli, params.min_efactor_milli,
        params.first_interval_days, params.second_interval_days, params.max_interval_days,
    };
    for (int i = 0; i < (int)(sizeof values / sizeof values[0]); i++)
        alliance__sql_bind_int(stmt, i + 1, values[i]);
    return alliance__sql_run(db, stmt, "storing the default settings");
}

static int run_statements(alliance_db *db, const char *const *sql)
{
    for (; *sql; sql++) {
        int rc = sqlite3_exec(db->sqlite, *sql, NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            return alliance__db_sqlite_error(db, rc, "creating or upgrading the schema");
    }
    return ALLIANCE_OK;
}

static int run_migrations(alliance_db *db, int64_t from)
{
    /* A new file gets the current schema in one go; an older one each migration in turn. */
    if (from == 0) {
        int rc = run_statements(db, alliance__sql_schema_current());
        if (rc)
            return rc;
    }
    for (int to = (int)from + 1; from > 0 && to <= ALLIANCE__SCHEMA_VERSION; to++) {
        int rc = run_statements(db, alliance__sql_migration(to));
        if (rc)
            return rc;
    }
    return from == 0 ? insert_default_config(db) : ALLIANCE_OK;
}

/* Creates or upgrades the schema in one transaction. The header is read again
 * inside it: another process may have created the collection in the meantime. */
static int migrate(alliance_db *db, const char *path)
{
    int rc = alliance__store_begin(db);
    if (rc)
        return rc;
    file_header h;
    rc = read_header(db, path, &h);
    if (rc == ALLIANCE_OK) {
        enum file_kind kind = classify(&h);
        if (kind == FILE_NEW || kind == FILE_OLDER)
            rc = run_migrations(db, h.user_version);
        /* A migration is plain SQL over the tables its version has: if one of its statements
         * is refused (a table missing, a row that breaks a CHECK), the file is not the
         * version it says it is. Nothing was changed: the transaction is rolled back. */
        if (rc == ALLIANCE_EDB && kind == FILE_OLDER) {
            char reason[ALLIANCE__ERRMSG_MAX];
            snprintf(reason, sizeof reason, "%s", db->error.message);
            rc = alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "%s is damaged: its version-%lld schema cannot "
                                     "be upgraded (%s); it was left as it was", path, (long long)h.user_version,
                                     reason);
        }
        else if (kind != FILE_CURRENT && kind != FILE_NEW && kind != FILE_OLDER)
            rc = refuse(db, path, kind, &h);
    }
    if (rc == ALLIANCE_OK)
        rc = alliance__store_commit(db);
    if (rc)
        alliance__store_rollback(db);
    return rc;
}

/* ---- opening ------------------------------------------------------------------------ */

static int check_options(alliance_db *db, const alliance_open_options *o)
{
    if (o->version != ALLIANCE_OPEN_OPTIONS_VERSION)
        return alliance__error_set(&db->error, ALLIANCE_EVERSION, "open options: unknown version %u",
                                   (unsigned)o->version);
    if (o->flags & ~(ALLIANCE_OPEN_CREATE | ALLIANCE_OPEN_READONLY))
        return alliance__error_set(&db->error, ALLIANCE_EINVAL, "open options: unknown flags 0x%x",
                                   (unsigned)o->flags);
    if (o->synchronous != ALLIANCE_SYNC_NORMAL && o->synchronous != ALLIANCE_SYNC_FULL)
        return alliance__error_set(&db->error, ALLIANCE_EINVAL, "open options: synchronous %u is not "
                                   "ALLIANCE_SYNC_NORMAL or ALLIANCE_SYNC_FULL", (unsigned)o->synchronous);
    if (o->busy_timeout_ms > INT32_MAX)
        return alliance__error_set(&db->error, ALLIANCE_EINVAL, "open options: busy_timeout_ms too large");
    if (!alliance__utc_offset_valid(o->utc_offset_seconds))
        return alliance__error_set(&db->error, ALLIANCE_EINVAL, "open options: UTC offset %ld s is outside "
                                   "-50400..50400", (long)o->utc_offset_seconds);
    return ALLIANCE_OK;
}

/* The path as a SQLite URI, so that it is always taken literally (Debian's SQLite reads any
 * name starting with "file:" as a URI) and can carry immutable=1. */
static int path_uri(alliance__buf *out, const char *path, int immutable)
{
    int rc = alliance__buf_puts(out, path[0] == '/' ? "file://" : "file:");
    for (const char *p = path; !rc && *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#')
            rc = alliance__buf_printf(out, "%%%02X", (unsigned)(unsigned char)*p);
        else
            rc = alliance__buf_append(out, p, 1);
    }
    if (!rc && immutable)
        rc = alliance__buf_puts(out, "?immutable=1");
    return rc;
}

static int open_sqlite(alliance_db *db, const char *path, const alliance_open_options *o, enum peek peek,
                       int immutable)
{
    int readonly = (o->flags & ALLIANCE_OPEN_READONLY) != 0;
    int create = (o->flags & ALLIANCE_OPEN_CREATE) && !readonly;
    if (peek == PEEK_MISSING && !create)
        return alliance__error_set(&db->error, ALLIANCE_ENOTFOUND, "%s: no such collection file", path);
    /* NOMUTEX: the handle's own mutex already serialises every call. */
    int flags = SQLITE_OPEN_NOMUTEX |
                (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0));
    alliance__buf uri = {0};
    const char *name = path;
    if (peek != PEEK_SPECIAL) {
        if (path_uri(&uri, path, immutable) != 0)
            return alliance__error_set(&db->error, ALLIANCE_ENOMEM, "out of memory");
        name = uri.data;
        flags |= SQLITE_OPEN_URI;
    }
    int rc = sqlite3_open_v2(name, &db->sqlite, flags, NULL);
    alliance__buf_free(&uri);
    if (rc == SQLITE_OK) {
        /* Until the file is known to be ours, closing must not checkpoint: a
         * refused file with a pending WAL (a newer liballiance that crashed)
         * would otherwise have that WAL folded into its main file. */
        sqlite3_db_config(db->sqlite, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
        return ALLIANCE_OK;
    }
    int err = db->sqlite ? sqlite3_system_errno(db->sqlite) : 0;
    if (peek == PEEK_MISSING && (rc & 0xff) == SQLITE_CANTOPEN && (err == ENOENT || err == 0)) {
        char reason[128];
        return alliance__error_set(&db->error, ALLIANCE_ENOTFOUND, "%s: no such collection file, and it cannot be "
                                   "created (%s)", path, err ? alliance__errno_text(err, reason, sizeof reason)
                                                             : sqlite3_errstr(rc));
    }
    char what[600];
    snprintf(what, sizeof what, "opening %s", path);
    return alliance__db_sqlite_error(db, rc, what);
}

/* alliance_text(field): the text a field shows (core/html.h), so that search matches what the
 * learner reads and not the tags around it. A field without '<' or '[' is its own text. */
static void sql_text(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    int n = sqlite3_value_bytes(argv[0]);
    if (!s || (!memchr(s, '<', (size_t)n) && !memchr(s, '[', (size_t)n))) {
        sqlite3_result_value(ctx, argv[0]);
        return;
    }
    alliance__buf out = {0};
    if (alliance__html_to_text(&out, s, (size_t)n, 0) != 0) {
        alliance__buf_free(&out);
        sqlite3_result_error_nomem(ctx);
        return;
    }
    sqlite3_result_text(ctx, out.data ? out.data : "", (int)out.len, SQLITE_TRANSIENT);
    alliance__buf_free(&out);
}

static int configure_connection(alliance_db *db, const alliance_open_options *o)
{
    /* Defensive mode: no writable_schema tricks or other ways to corrupt the
     * file through SQL; an untrusted schema may not call application functions. */
    sqlite3_db_config(db->sqlite, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
    sqlite3_db_config(db->sqlite, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
    sqlite3_extended_result_codes(db->sqlite, 1);
    sqlite3_busy_timeout(db->sqlite, (int)o->busy_timeout_ms);
    /* DIRECTONLY: our statements may call it, a schema (a view, a trigger) may not. */
    int frc = sqlite3_create_function_v2(db->sqlite, "alliance_text", 1,
                                         SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, NULL, sql_text,
                                         NULL, NULL, NULL);
    if (frc != SQLITE_OK)
        return alliance__db_sqlite_error(db, frc, "registering alliance_text");
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_FOREIGN_KEYS_ON, &stmt);
    if (rc == ALLIANCE_OK)
        rc = alliance__sql_run(db, stmt, "enabling foreign keys");
    /* FULL is the default: a learner's answer, once acknowledged, must survive
     * a power cut; in WAL mode it costs one fsync per answer, which nobody can
     * feel at the pace a person answers cards. NORMAL is for bulk tools. */
    alliance__sql_id sync = o->synchronous == ALLIANCE_SYNC_FULL ? ALLIANCE__SQL_SYNC_FULL : ALLIANCE__SQL_SYNC_NORMAL;
    if (rc == ALLIANCE_OK)
        rc = alliance__sql_stmt(db, sync, &stmt);
    if (rc == ALLIANCE_OK)
        rc = alliance__sql_run(db, stmt, "setting synchronous");
    return rc;
}

/* WAL: readers never block the writer and a crash never corrupts. Set only
 * once the file is known to be ours, since it rewrites the file header. */
static int enable_wal(alliance_db *db, const char *path)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_JOURNAL_WAL, &stmt);
    if (rc)
        return rc;
    if ((rc = alliance__sql_step(db, stmt, "switching to WAL mode")) < 0)
        return rc;
    /* SQLite answers with the mode now in force; it keeps the old one when it
     * cannot switch (a VFS without shared memory, for instance). */
    char mode[16] = "";
    if (rc == SQLITE_ROW) {
        const unsigned char *text = sqlite3_column_text(stmt, 0);
        snprintf(mode, sizeof mode, "%s", text ? (const char *)text : "");
    }
    sqlite3_reset(stmt);
    if (strcmp(mode, "wal") != 0 && strcmp(mode, "memory") != 0) /* ":memory:" reports "memory" */
        return alliance__error_set(&db->error, ALLIANCE_EDB, "%s: cannot switch to WAL mode (SQLite kept "
                                   "journal mode \"%s\")", path, mode);
    return ALLIANCE_OK;
}

static void release_sqlite(alliance_db *db);

/* A file with our ids whose tables or indexes are not all there (damaged, or
 * made by another program) is refused here rather than failing every later
 * call with "no such table". */
static int check_schema(alliance_db *db, const char *path)
{
    sqlite3_stmt *stmt;
    int64_t objects = 0, settings = 0;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_SCHEMA_CHECK, &stmt);
    if (rc == ALLIANCE_OK && (rc = alliance__sql_step(db, stmt, "checking the schema")) == SQLITE_ROW) {
        objects = sqlite3_column_int64(stmt, 0);
        settings = sqlite3_column_int64(stmt, 1);
        sqlite3_reset(stmt);
        rc = ALLIANCE_OK;
    }
    if (rc == ALLIANCE_OK && (objects != ALLIANCE__SCHEMA_OBJECTS || settings != 1))
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "%s is damaged: it has liballiance's ids but not "
                                   "its schema (%s)", path,
                                   settings != 1 ? "no settings row" : "tables or indexes are missing");
    return rc > 0 ? ALLIANCE_OK : rc; /* a missing table: ECORRUPT from preparing the check */
}

/* Opens SQLite on the file, sets the connection up and reads the header. */
static int open_and_read_header(alliance_db *db, const char *path, const alliance_open_options *o, enum peek peek,
                                int immutable, file_header *h)
{
    int rc = open_sqlite(db, path, o, peek, immutable);
    if (rc == ALLIANCE_OK && (rc = configure_connection(db, o)) != ALLIANCE_OK)
        rc = not_a_database(db, path, rc);
    if (rc == ALLIANCE_OK)
        rc = read_header(db, path, h);
    return rc;
}

/* errno if the directory that holds `file` cannot be written (EACCES, EROFS...), else 0. */
static int dir_not_writable(const char *file)
{
    char dir[4200];
    const char *slash = strrchr(file, '/');
    if (!slash)
        return access(".", W_OK) != 0 ? errno : 0;
    snprintf(dir, sizeof dir, "%.*s", slash == file ? 1 : (int)(slash - file), file);
    return access(dir, W_OK) != 0 ? errno : 0;
}

/* A read-only open of a collection in WAL mode needs its WAL index (the -shm
 * file) next to it: in a directory it cannot write, or on a full disk, that
 * fails. With no write-ahead log pending, the file alone holds everything, and
 * SQLite's immutable mode reads it without the index (and without seeing what
 * other processes write while it is open). */
static int readonly_fallback(alliance_db *db, const char *path, const alliance_open_options *o, enum peek peek,
                             int rc, file_header *h)
{
    if (!(o->flags & ALLIANCE_OPEN_READONLY) || peek != PEEK_OURS ||
        (rc != ALLIANCE_EREADONLY && rc != ALLIANCE_EIO && rc != ALLIANCE_EFULL))
        return rc;
    if (side_file_pending(path, "-wal")) {
        /* The header's promise: ALLIANCE_EREADONLY (a full disk stays ALLIANCE_EFULL, its own
         * cause), naming the files where they are and why the index cannot be made. */
        char first[ALLIANCE__ERRMSG_MAX], wal[4200], shm[4200], reason[128];
        snprintf(first, sizeof first, "%s", db->error.message);
        if (!side_name(path, "-wal", wal, sizeof wal) || !side_name(path, "-shm", shm, sizeof shm)) {
            snprintf(wal, sizeof wal, "%s-wal", path);
            snprintf(shm, sizeof shm, "%s-shm", path);
        }
        int denied = dir_not_writable(shm);
        return alliance__error_set(&db->error, rc == ALLIANCE_EFULL ? rc : ALLIANCE_EREADONLY,
                                   "%s cannot be read: opened read-only, and its write-ahead log %s holds commits "
                                   "that are not in the file yet; reading them needs the WAL index %s, which "
                                   "cannot be created (%s)", path, wal, shm,
                                   denied ? alliance__errno_text(denied, reason, sizeof reason) : first);
    }
    release_sqlite(db);
    alliance__error_clear(&db->error);
    return open_and_read_header(db, path, o, peek, 1, h);
}

static int open_collection(alliance_db *db, const char *path, const alliance_open_options *options)
{
    alliance_open_options defaults = ALLIANCE_OPEN_OPTIONS_INIT;
    const alliance_open_options *o = options ? options : &defaults;
    if (!path)
        return alliance__error_set(&db->error, ALLIANCE_EINVAL, "alliance_open: path is NULL");
    if (!(db->path = alliance__strdup(path)))
        return alliance__error_set(&db->error, ALLIANCE_ENOMEM, "out of memory");
    int rc = check_options(db, o);
    if (rc)
        return rc;
    db->utc_offset_seconds = o->utc_offset_seconds;
    int readonly = (o->flags & ALLIANCE_OPEN_READONLY) != 0;
    enum peek peek;
    if ((rc = peek_file(db, path, &peek)) != ALLIANCE_OK)
        return rc;
    file_header h;
    rc = open_and_read_header(db, path, o, peek, 0, &h);
    if (rc)
        rc = readonly_fallback(db, path, o, peek, rc, &h);
    if (rc)
        return rc;
    enum file_kind kind = classify(&h);
    if (kind == FILE_NEWER || kind == FILE_FOREIGN)
        return refuse(db, path, kind, &h);
    if (kind == FILE_NEW && readonly)
        return alliance__error_set(&db->error, ALLIANCE_ENOTCOLLECTION,
                                   "%s is empty, not a collection (opened read-only, so none was created)", path);
    if (kind == FILE_OLDER && readonly)
        return alliance__error_set(&db->error, ALLIANCE_EREADONLY,
                                   "%s needs a schema upgrade but was opened read-only", path);
    if (kind != FILE_CURRENT && (rc = migrate(db, path)) != ALLIANCE_OK)
        return rc;
    if ((rc = check_schema(db, path)) != ALLIANCE_OK)
        return rc;
    /* The option is this handle's; without one, the offset stored in the file (if any). */
    if (o->utc_offset_seconds == ALLIANCE_UTC_OFFSET_LOCAL &&
        (rc = alliance__utc_offset_stored(db, &db->utc_offset_seconds)) != ALLIANCE_OK)
        return rc;
    sqlite3_db_config(db->sqlite, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, (int *)NULL); /* ours: checkpoint on close */
    return readonly ? ALLIANCE_OK : enable_wal(db, path);
}

static void release_sqlite(alliance_db *db)
{
    alliance__sql_finalize_all(db);
    /* _v2: never fails because of a statement we forgot; the close is then deferred. */
    sqlite3_close_v2(db->sqlite);
    db->sqlite = NULL;
}

int alliance_open(alliance_db **out, const char *path, const alliance_open_options *options)
{
    if (!out)
        return ALLIANCE_EINVAL;
    *out = NULL;
    alliance_db *db = alliance__calloc(1, sizeof *db);
    if (!db)
        return ALLIANCE_ENOMEM;
    /* Recursive: an export holds the handle for its whole snapshot, and the .apkg writer
     * calls the collection's own functions from inside it (deck_export.c). */
    pthread_mutexattr_t attr;
    int mrc = pthread_mutexattr_init(&attr);
    if (mrc == 0 && (mrc = pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE)) == 0)
        mrc = pthread_mutex_init(&db->mutex, &attr);
    pthread_mutexattr_destroy(&attr);
    if (mrc != 0) {
        alliance__free(db);
        return ALLIANCE_ENOMEM;
    }
    db->attached.prev = db->attached.next = &db->attached;
    int rc = open_collection(db, path, options);
    if (rc != ALLIANCE_OK) {
        db->open_rc = rc;
        db->open_message = alliance__strdup(db->error.message); /* NULL is tolerated */
        release_sqlite(db);
    }
    *out = db;
    return rc;
}

int alliance_close(alliance_db *db)
{
    if (!db)
        return ALLIANCE_OK;
    if (alliance__db_held_by_callback(db))
        return ALLIANCE_EMISUSE; /* from inside a callback of a call on this very handle */
    pthread_mutex_lock(&db->mutex);
    while (db->attached.next != &db->attached)
        alliance__db_detach(db->attached.next);
    int rc = ALLIANCE_OK;
    if (db->sqlite) {
        alliance__sql_finalize_all(db);
        int src = sqlite3_close(db->sqlite); /* checkpoints the WAL */
        if (src != SQLITE_OK) {
            rc = alliance__db_map_code(src);
            sqlite3_close_v2(db->sqlite);
        }
        db->sqlite = NULL;
    }
    pthread_mutex_unlock(&db->mutex);
    pthread_mutex_destroy(&db->mutex);
    alliance__free(db->open_message);
    alliance__free(db->path);
    alliance__free(db);
    return rc;
}
