/* SPDX-License-Identifier: MIT */
/*
 * fig_sync.c - sync (docs/sync.md): an incremental sync of 100 answers between
 * two copies of a 10k, 100k and 1M-card collection (it must stay flat as the
 * collection grows), a clone of the 100k collection against a raw SQLite copy of
 * the same rows, and the peak memory of a fresh process applying that clone (a
 * changeset is streamed, never held whole).
 *
 * The second copy is made the way a clone ends up (the same rows, its own
 * replica id, the first copy's events in its version vector) by copying the
 * file and rewriting its identity with raw SQL, so that building it takes
 * seconds at 1M cards; the clone figure measures a real alliance_sync_clone.
 */
#include "bench.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct membuf {
    char *data;
    size_t len, cap;
} membuf;

static int mem_write(void *opaque, const char *data, size_t len)
{
    membuf *b = opaque;
    if (b->len + len > b->cap) {
        size_t cap = (b->len + len) * 2;
        char *grown = realloc(b->data, cap);
        if (!grown)
            return -1;
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    return 0;
}

typedef struct memreader {
    const membuf *b;
    size_t pos;
} memreader;

static int mem_read(void *opaque, void *buf, size_t cap, size_t *out_len)
{
    memreader *r = opaque;
    size_t n = r->b->len - r->pos < cap ? r->b->len - r->pos : cap;
    memcpy(buf, r->b->data + r->pos, n);
    r->pos += n;
    *out_len = n;
    return 0;
}

static int file_write(void *opaque, const char *data, size_t len)
{
    return fwrite(data, 1, len, opaque) == len ? 0 : -1;
}

static int file_read(void *opaque, void *buf, size_t cap, size_t *out_len)
{
    *out_len = fread(buf, 1, cap, opaque);
    return ferror((FILE *)opaque) ? -1 : 0;
}

/* The copy at `to` of the closed collection `from`, as a clone of it: a new replica id,
 * its own counter at 0, and every event of `from` in its version vector. */
static int make_replica(const char *from, const char *to, char *err, size_t errsize)
{
    bench_remove_db(to);
    if (bench_copy_file(from, to) != 0) {
        snprintf(err, errsize, "copying %s: %s", from, strerror(errno));
        return -1;
    }
    sqlite3 *db = NULL;
    char *msg = NULL;
    int rc = sqlite3_open(to, &db);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db,
                          "BEGIN; INSERT INTO sync_vector (replica, seq) SELECT replica_id, seq FROM sync_self;"
                          "UPDATE sync_self SET replica_id = (random() | 1), seq = 0; COMMIT;",
                          NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        snprintf(err, errsize, "making a replica of %s: %s", from, msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    sqlite3_close(db);
    return rc == SQLITE_OK ? 0 : -1;
}

/* Answers `n` cards of today's session on `db` (at `now`); 0 or -1. */
static int answer_some(alliance_db *db, uint32_t n, int64_t now, char *err, size_t errsize)
{
    alliance_session *s = NULL;
    if (alliance_session_open(&s, db, 0, now) != ALLIANCE_OK) {
        snprintf(err, errsize, "alliance_session_open: %s", alliance_errmsg(db));
        return -1;
    }
    int rc = 0;
    for (uint32_t i = 0; i < n && rc == 0; i++) {
        alliance_card *card = NULL;
        rc = alliance_session_next(s, now, &card);
        if (rc == ALLIANCE_OK) {
            rc = alliance_session_answer(s, card->id, 3 + (int)(i % 3), now, 3000, NULL);
            alliance_free(card);
        }
        if (rc != 0)
            snprintf(err, errsize, "answering: %s", alliance_errmsg(db));
    }
    alliance_session_close(s);
    return rc == 0 ? 0 : -1;
}

/* One incremental sync, b receiving what it lacks from a: state, changes, apply. */
static int sync_once(alliance_db *a, alliance_db *b, size_t *out_bytes, uint32_t *out_reviews, char *err,
                     size_t errsize)
{
    membuf state = {0}, changes = {0};
    int rc = alliance_sync_state(b, mem_write, &state);
    if (rc == 0) {
        memreader r = {&state, 0};
        rc = alliance_sync_changes(a, mem_read, &r, mem_write, &changes);
    }
    alliance_sync_report *rep = NULL;
    if (rc == 0) {
        memreader r = {&changes, 0};
        rc = alliance_sync_apply(b, NULL, mem_read, &r, &rep);
    }
    if (rc != 0)
        snprintf(err, errsize, "sync: %s / %s", alliance_errmsg(a), alliance_errmsg(b));
    else {
        *out_bytes = changes.len;
        *out_reviews = rep->reviews;
    }
    alliance_free(rep);
    free(state.data);
    free(changes.data);
    return rc == 0 ? 0 : -1;
}

static void incremental(const bench_config *cfg, const char *key, const char *path, uint32_t ncards)
{
    char title[128], err[1024] = "";
    snprintf(title, sizeof title, "incremental sync of 100 answers, %uk cards", ncards / 1000);
    bench_figure *f = bench_figure_new(key, title, "ms", 0, "<= 10 ms, flat as the collection grows");
    char *a_path = bench_path(cfg->dir, "sync-a.db"), *b_path = bench_path(cfg->dir, "sync-b.db");
    alliance_db *a = NULL, *b = NULL;
    bench_series t = {0};
    size_t bytes = 0;
    uint32_t reviews = 0;
    bench_remove_db(a_path);
    if (bench_copy_file(path, a_path) != 0) {
        bench_figure_fail(f, "copying %s: %s", path, strerror(errno));
        goto done;
    }
    if (make_replica(a_path, b_path, err, sizeof err) != 0 ||
        bench_lib_open(&a, a_path, ALLIANCE_SYNC_NORMAL, err, sizeof err) != 0 ||
        bench_lib_open(&b, b_path, ALLIANCE_SYNC_NORMAL, err, sizeof err) != 0) {
        bench_figure_fail(f, "%s", err);
        goto done;
    }
    for (uint32_t rep = 0; rep < cfg->reps; rep++) {
        /* a new day each time: 100 answers a copy gives, then the other copy syncs */
        if (answer_some(a, 100, BENCH_NOW + (int64_t)(rep + 1) * 86400, err, sizeof err) != 0) {
            bench_figure_fail(f, "%s", err);
            goto done;
        }
        uint64_t t0 = bench_now_ns();
        if (sync_once(a, b, &bytes, &reviews, err, sizeof err) != 0) {
            bench_figure_fail(f, "%s", err);
            goto done;
        }
        bench_series_add(&t, (double)(bench_now_ns() - t0) / 1e6);
        if (reviews != 100) {
            bench_figure_fail(f, "the sync carried %u answers, not 100", reviews);
            goto done;
        }
    }
    f->value = bench_series_median(&t);
    bench_figure_num(f, "cards", ncards);
    bench_figure_num(f, "changeset_bytes", (double)bytes);
    bench_figure_num(f, "max_ms", bench_series_quantile(&t, 1.0));
    bench_figure_text(f, "measures", "alliance_sync_state of the receiving copy + alliance_sync_changes of the "
                      "sending one + alliance_sync_apply (100 answers, their 100 cards replayed), in memory, "
                      "synchronous=NORMAL");
done:
    bench_figure_finish(f);
    bench_series_free(&t);
    alliance_close(a);
    alliance_close(b);
    if (!cfg->keep) {
        bench_remove_db(a_path);
        bench_remove_db(b_path);
    }
    free(a_path);
    free(b_path);
}

/* A raw SQLite copy of the same rows into a new collection: the baseline of a clone. */
static int raw_copy(const char *src, const char *dst, char *err, size_t errsize)
{
    alliance_db *db = NULL;
    bench_remove_db(dst);
    if (bench_lib_open(&db, dst, ALLIANCE_SYNC_NORMAL, err, errsize) != 0)
        return -1;
    alliance_close(db);
    sqlite3 *raw = NULL;
    char *msg = NULL, *attach = sqlite3_mprintf("ATTACH %Q AS src", src);
    int rc = sqlite3_open(dst, &raw);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(raw, "PRAGMA synchronous = NORMAL", NULL, NULL, &msg);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(raw, attach, NULL, NULL, &msg);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(raw,
                          "BEGIN IMMEDIATE; UPDATE main.sync_self SET applying = 1;"
                          "INSERT INTO main.decks SELECT * FROM src.decks;"
                          "INSERT INTO main.cards SELECT * FROM src.cards;"
                          "INSERT INTO main.reviews SELECT * FROM src.reviews;"
                          "INSERT INTO main.sync_stamps SELECT * FROM src.sync_stamps;"
                          "INSERT INTO main.sync_tombstones SELECT * FROM src.sync_tombstones;"
                          "UPDATE main.sync_self SET applying = 0; COMMIT;",
                          NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        snprintf(err, errsize, "raw copy: %s", msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    sqlite3_free(attach);
    sqlite3_close(raw);
    return rc == SQLITE_OK ? 0 : -1;
}

/* Clones the changeset file into a new collection; 0 or -1. */
static int clone_from(const char *changes_path, const char *dst, char *err, size_t errsize)
{
    alliance_db *db = NULL;
    bench_remove_db(dst);
    if (bench_lib_open(&db, dst, ALLIANCE_SYNC_NORMAL, err, errsize) != 0)
        return -1;
    FILE *in = fopen(changes_path, "rb");
    int rc = in ? alliance_sync_clone(db, file_read, in, NULL) : -1;
    if (rc != 0)
        snprintf(err, errsize, "clone: %s", in ? alliance_errmsg(db) : strerror(errno));
    if (in)
        fclose(in);
    alliance_close(db);
    return rc == 0 ? 0 : -1;
}

int bench_clone_child(const char *changes_path, const char *dst)
{
    int64_t rss_start = bench_proc_status_bytes("VmRSS");
    char err[1024] = "";
    int rc = clone_from(changes_path, dst, err, sizeof err);
    int64_t hwm = bench_proc_status_bytes("VmHWM");
    sqlite3_int64 cur = 0, pc_hi = 0, pcu_hi = 0, psz_hi = 0;
    sqlite3_status64(SQLITE_STATUS_PAGECACHE_OVERFLOW, &cur, &pc_hi, 0);
    sqlite3_status64(SQLITE_STATUS_PAGECACHE_USED, &cur, &pcu_hi, 0);
    sqlite3_status64(SQLITE_STATUS_PAGECACHE_SIZE, &cur, &psz_hi, 0);
    printf("rc=%d rss_start=%lld hwm=%lld pagecache=%lld\n", rc, (long long)rss_start, (long long)hwm,
           (long long)(pc_hi + pcu_hi * psz_hi));
    if (rc != 0)
        printf("error=%s\n", err);
    return rc == 0 ? 0 : 1;
}

static void clone_memory(const bench_config *cfg, const char *changes_path, uint32_t ncards)
{
    char title[128];
    snprintf(title, sizeof title, "peak RSS cloning %uk cards, above page cache", ncards / 1000);
    bench_figure *f = bench_figure_new("sync_clone_memory", title, "MB", 0, "<= 16 MB above SQLite's page cache");
    char *dst = bench_path(cfg->dir, "sync-clone-child.db");
    int fds[2];
    if (pipe(fds) != 0) {
        bench_figure_fail(f, "pipe: %s", strerror(errno));
        free(dst);
        return;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execl("/proc/self/exe", "alliance-bench", "--clone-child", changes_path, dst, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    char buf[2048];
    size_t len = 0;
    ssize_t r;
    while (pid > 0 && len + 1 < sizeof buf && (r = read(fds[0], buf + len, sizeof buf - 1 - len)) != 0) {
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            break;
        len += (size_t)r;
    }
    buf[len] = 0;
    close(fds[0]);
    int status = 0;
    if (pid > 0)
        waitpid(pid, &status, 0);
    int crc = -1;
    long long rss_start = -1, hwm = -1, pagecache = -1;
    if (sscanf(buf, "rc=%d rss_start=%lld hwm=%lld pagecache=%lld", &crc, &rss_start, &hwm, &pagecache) != 4 ||
        crc != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char *e = strstr(buf, "error=");
        bench_figure_fail(f, "the clone process failed: %s", e ? e + 6 : buf);
    } else {
        double mb = 1024.0 * 1024.0;
        f->value = ((double)hwm - (double)pagecache) / mb;
        bench_figure_num(f, "peak_rss_mb", (double)hwm / mb);
        bench_figure_num(f, "rss_at_start_mb", (double)rss_start / mb);
        bench_figure_num(f, "sqlite_page_cache_peak_mb", (double)pagecache / mb);
        bench_figure_text(f, "measures", "VmHWM of a fresh process that clones the collection from the changeset "
                          "file (alliance_sync_clone reading it through a FILE*), minus SQLite's page-cache peak");
    }
    bench_figure_finish(f);
    if (!cfg->keep)
        bench_remove_db(dst);
    free(dst);
}

static void clone_figure(const bench_config *cfg, const char *medium_path, uint32_t ncards)
{
    char title[128], err[1024] = "";
    snprintf(title, sizeof title, "clone %uk cards with as many answers", ncards / 1000);
    bench_figure *f = bench_figure_new("sync_clone", title, "s", 0, "reported (ratio against a raw row copy)");
    char *src = bench_path(cfg->dir, "sync-src.db"), *dst = bench_path(cfg->dir, "sync-clone.db"),
         *raw = bench_path(cfg->dir, "sync-raw.db"), *changes = bench_path(cfg->dir, "sync-clone.changes");
    alliance_db *db = NULL;
    bench_series t = {0}, tb = {0};
    bench_remove_db(src);
    if (bench_copy_file(medium_path, src) != 0 || bench_lib_open(&db, src, ALLIANCE_SYNC_NORMAL, err, sizeof err) != 0) {
        bench_figure_fail(f, "preparing: %s", err[0] ? err : strerror(errno));
        goto done;
    }
    /* as many answers as cards: the history the medium collection has, and more, over later days */
    for (int day = 1; day < 400; day++) {
        uint32_t per_day = ncards / 10 > 100 ? ncards / 10 : 100;
        alliance_config c;
        alliance_config_init(&c, ALLIANCE_CONFIG_VERSION);
        alliance_config_get(db, &c);
        c.new_per_day = per_day;
        c.reviews_per_day = per_day;
        alliance_config_set(db, &c);
        if (answer_some(db, per_day, BENCH_NOW + (int64_t)day * 86400, err, sizeof err) != 0)
            break;
        /* stop once the log holds as many answers as there are cards */
        sqlite3 *q = NULL;
        int64_t n = 0;
        if (sqlite3_open_v2(src, &q, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
            sqlite3_stmt *s = NULL;
            if (sqlite3_prepare_v2(q, "SELECT count(*) FROM reviews", -1, &s, NULL) == SQLITE_OK &&
                sqlite3_step(s) == SQLITE_ROW)
                n = sqlite3_column_int64(s, 0);
            sqlite3_finalize(s);
        }
        sqlite3_close(q);
        if (n >= (int64_t)ncards)
            break;
    }
    FILE *out = fopen(changes, "wb");
    if (!out || alliance_sync_changes(db, NULL, NULL, file_write, out) != 0) {
        bench_figure_fail(f, "writing the changeset: %s", out ? alliance_errmsg(db) : strerror(errno));
        if (out)
            fclose(out);
        goto done;
    }
    long changeset_bytes = ftell(out);
    fclose(out);
    alliance_close(db);
    db = NULL;
    for (uint32_t rep = 0; rep < cfg->reps; rep++) {
        /* interleaved, alternating which goes first */
        for (int side = 0; side < 2; side++) {
            int lib = (side + (int)rep) % 2 == 0;
            uint64_t t0 = bench_now_ns();
            int rc;
            if (lib) {
                /* the whole clone: writing the changeset from the source, then applying it */
                alliance_db *s = NULL;
                FILE *o = fopen(changes, "wb");
                rc = bench_lib_open(&s, src, ALLIANCE_SYNC_NORMAL, err, sizeof err);
                if (rc == 0 && (!o || alliance_sync_changes(s, NULL, NULL, file_write, o) != 0))
                    rc = -1;
                if (o)
                    fclose(o);
                alliance_close(s);
                if (rc == 0)
                    rc = clone_from(changes, dst, err, sizeof err);
            } else {
                rc = raw_copy(src, raw, err, sizeof err);
            }
            if (rc != 0) {
                bench_figure_fail(f, "%s", err);
                goto done;
            }
            bench_series_add(lib ? &t : &tb, (double)(bench_now_ns() - t0) / 1e9);
        }
    }
    f->value = bench_series_median(&t);
    f->baseline = bench_series_median(&tb);
    bench_figure_num(f, "cards", ncards);
    bench_figure_num(f, "changeset_bytes", (double)changeset_bytes);
    bench_figure_text(f, "measures", "alliance_sync_changes (everything) into a file + alliance_sync_clone from it "
                      "into a new collection: every card, deck and answer written, every answered card replayed");
    bench_figure_text(f, "baseline_is", "a raw SQLite copy of the same rows (INSERT ... SELECT of decks, cards, "
                      "reviews and stamps from the attached source) into a new collection, one transaction, "
                      "synchronous=NORMAL on both sides");
    clone_memory(cfg, changes, ncards);
done:
    bench_figure_finish(f);
    bench_series_free(&t);
    bench_series_free(&tb);
    alliance_close(db);
    if (!cfg->keep) {
        bench_remove_db(src);
        bench_remove_db(dst);
        bench_remove_db(raw);
        remove(changes);
    }
    free(src);
    free(dst);
    free(raw);
    free(changes);
}

void bench_fig_sync(const bench_config *cfg, const char *small_path, uint32_t small_cards, const char *medium_path,
                    const char *large_path)
{
    if (small_path)
        incremental(cfg, "sync_incremental_small", small_path, small_cards);
    if (medium_path)
        incremental(cfg, "sync_incremental_medium", medium_path, cfg->cards_medium);
    if (large_path)
        incremental(cfg, "sync_incremental_large", large_path, cfg->cards_large);
    if (medium_path)
        clone_figure(cfg, medium_path, cfg->cards_medium);
}
