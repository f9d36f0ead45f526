/* SPDX-License-Identifier: MIT */
/*
 * fig_apkg.c - importing a 10k-note .apkg with 100k review-log rows, against importing the
 * same 10k notes from the deck format in the same run.
 *
 * The package is generated here, deterministically: a legacy package (schema 11, as Anki
 * wrote them for years and as liballiance writes them) of 10,000 Basic notes, one card each,
 * ten review-log rows per card, zipped with libzip. Both sides import into a fresh collection,
 * synchronous=FULL, timed from the call to the durable commit. The package side also unzips,
 * opens the embedded database from memory and reads every note type, deck, note, card and
 * review-log row (the rows are read and mapped, not yet written: docs/anki.md, "Scheduling");
 * that difference is what the ratio prices.
 */
#include "bench.h"

#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define NOTES 10000u
#define REVIEWS_PER_CARD 10u

typedef struct buf {
    char *data;
    size_t len;
} buf;

static int exec(sqlite3 *db, const char *sql, char *err, size_t errsize)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errsize, "%.80s...: %s", sql, sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

/* The collection of the package: schema 11, the notes, cards and review log. */
static int make_collection(unsigned notes, buf *out, char *err, size_t errsize)
{
    sqlite3 *db = NULL;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
        return snprintf(err, errsize, "sqlite3_open"), -1;
    static const char *const schema =
        "CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null, scm integer not null,"
        " ver integer not null, dty integer not null, usn integer not null, ls integer not null, conf text not null,"
        " models text not null, decks text not null, dconf text not null, tags text not null);"
        "CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null, mod integer not null,"
        " usn integer not null, tags text not null, flds text not null, sfld integer not null, csum integer not null,"
        " flags integer not null, data text not null);"
        "CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null, ord integer not null,"
        " mod integer not null, usn integer not null, type integer not null, queue integer not null, due integer not null,"
        " ivl integer not null, factor integer not null, reps integer not null, lapses integer not null,"
        " left integer not null, odue integer not null, odid integer not null, flags integer not null, data text not null);"
        "CREATE TABLE revlog (id integer primary key, cid integer not null, usn integer not null, ease integer not null,"
        " ivl integer not null, lastIvl integer not null, factor integer not null, time integer not null,"
        " type integer not null);"
        "CREATE INDEX ix_cards_nid ON cards (nid); CREATE INDEX ix_revlog_cid ON revlog (cid);"
        "INSERT INTO col VALUES (1, 1700000000, 0, 0, 11, 0, 0, 0, '{\"schedVer\":2}',"
        " '{\"1700000000000\":{\"id\":1700000000000,\"name\":\"Basic\",\"type\":0,\"tmpls\":[{\"name\":\"Card 1\","
        "\"ord\":0}],\"flds\":[{\"name\":\"Front\",\"ord\":0},{\"name\":\"Back\",\"ord\":1}]}}',"
        " '{\"1\":{\"id\":1,\"name\":\"Default\"},\"1700000000001\":{\"id\":1700000000001,\"name\":\"Bench::Apkg\"}}',"
        " '{}', '{}');";
    int rc = exec(db, schema, err, errsize);
    sqlite3_stmt *n = NULL, *c = NULL, *r = NULL;
    if (!rc && (sqlite3_prepare_v2(db, "INSERT INTO notes VALUES (?1, ?2, 1700000000000, 0, -1, ' bench ', ?3, ?4, 0, 0, '')",
                                   -1, &n, NULL) != SQLITE_OK ||
                sqlite3_prepare_v2(db, "INSERT INTO cards VALUES (?1, ?1, 1700000000001, 0, 0, -1, 2, 2, 400, 30, 2500,"
                                   " 10, 1, 0, 0, 0, 0, '')", -1, &c, NULL) != SQLITE_OK ||
                sqlite3_prepare_v2(db, "INSERT INTO revlog VALUES (?1, ?2, -1, ?3, ?4, ?5, 2500, 8000, 1)", -1, &r,
                                   NULL) != SQLITE_OK))
    {
        snprintf(err, errsize, "prepare: %s", sqlite3_errmsg(db));
        rc = -1;
    }
    if (!rc)
        rc = exec(db, "BEGIN", err, errsize);
    char guid[32], flds[128], sfld[64];
    for (unsigned i = 0; i < notes && !rc; i++) {
        int64_t id = INT64_C(1700000000000) + i;
        snprintf(guid, sizeof guid, "bench%05u", i);
        snprintf(flds, sizeof flds, "Question number %u?\x1f<b>Answer</b> %u", i, i);
        snprintf(sfld, sizeof sfld, "Question number %u?", i);
        sqlite3_bind_int64(n, 1, id);
        sqlite3_bind_text(n, 2, guid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(n, 3, flds, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(n, 4, sfld, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(c, 1, id);
        if (sqlite3_step(n) != SQLITE_DONE || sqlite3_step(c) != SQLITE_DONE)
            rc = -1;
        sqlite3_reset(n);
        sqlite3_reset(c);
        for (unsigned k = 0; k < REVIEWS_PER_CARD && !rc; k++) {
            sqlite3_bind_int64(r, 1, INT64_C(1600000000000) + (int64_t)i * 1000 + k * 86400000LL * 3);
            sqlite3_bind_int64(r, 2, id);
            sqlite3_bind_int64(r, 3, k % 4 + 1);
            sqlite3_bind_int64(r, 4, 3 * (k + 1));
            sqlite3_bind_int64(r, 5, 3 * k);
            if (sqlite3_step(r) != SQLITE_DONE)
                rc = -1;
            sqlite3_reset(r);
        }
    }
    if (rc && !err[0])
        snprintf(err, errsize, "insert: %s", sqlite3_errmsg(db));
    if (!rc)
        rc = exec(db, "COMMIT", err, errsize);
    sqlite3_finalize(n);
    sqlite3_finalize(c);
    sqlite3_finalize(r);
    sqlite3_int64 size = 0;
    unsigned char *bytes = rc ? NULL : sqlite3_serialize(db, "main", &size, 0);
    sqlite3_close(db);
    if (!rc && !bytes)
        return snprintf(err, errsize, "sqlite3_serialize"), -1;
    out->data = (char *)bytes;
    out->len = (size_t)size;
    return rc;
}

/* The package: the collection and an empty media map, deflated, in memory. */
static int make_package(const buf *collection, buf *out, char *err, size_t errsize)
{
    zip_error_t e;
    zip_error_init(&e);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &e);
    zip_t *z = src ? zip_open_from_source(src, ZIP_TRUNCATE, &e) : NULL;
    zip_error_fini(&e);
    if (!z)
        return snprintf(err, errsize, "zip_open_from_source"), -1;
    zip_source_keep(src);
    zip_source_t *c = zip_source_buffer(z, collection->data, collection->len, 0);
    zip_source_t *m = zip_source_buffer(z, "{}", 2, 0);
    if (zip_file_add(z, "collection.anki2", c, 0) < 0 || zip_file_add(z, "media", m, 0) < 0 || zip_close(z) != 0) {
        zip_discard(z);
        zip_source_free(src);
        return snprintf(err, errsize, "zipping the package"), -1;
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_source_stat(src, &st) != 0 || zip_source_open(src) != 0 || !(out->data = malloc(st.size))) {
        zip_source_free(src);
        return snprintf(err, errsize, "reading the zip back"), -1;
    }
    out->len = (size_t)zip_source_read(src, out->data, st.size);
    zip_source_close(src);
    zip_source_free(src);
    return out->len == st.size ? 0 : (snprintf(err, errsize, "short zip"), -1);
}

/* The same notes in our format, for the baseline. */
static char *make_deck(unsigned notes, size_t *len)
{
    size_t cap = (size_t)notes * 128 + 64;
    char *t = malloc(cap);
    if (!t)
        return NULL;
    size_t n = (size_t)snprintf(t, cap, "deck: Bench::Apkg\n");
    for (unsigned i = 0; i < notes; i++)
        n += (size_t)snprintf(t + n, cap - n, "\ncard: bench%05u\ntype: basic\nfront: Question number %u?\n"
                              "back: <b>Answer</b> %u\ntags: bench\n", i, i, i);
    *len = n;
    return t;
}

static int import_into_fresh(const char *path, const char *name, const char *data, size_t len, uint32_t format,
                             double *secs, uint32_t *added, uint32_t *history, char *err, size_t errsize)
{
    bench_remove_db(path);
    alliance_db *db = NULL;
    int rc = bench_lib_open(&db, path, ALLIANCE_SYNC_FULL, err, errsize);
    if (rc)
        return rc;
    alliance_import_options o;
    alliance_import_options_init(&o, ALLIANCE_IMPORT_OPTIONS_VERSION);
    o.format = format;
    alliance_import_report *r = NULL;
    uint64_t t0 = bench_now_ns();
    rc = alliance_deck_import_buffer(db, name, data, len, &o, BENCH_NOW, &r);
    *secs = (double)(bench_now_ns() - t0) / 1e9;
    if (rc)
        snprintf(err, errsize, "importing %s: %s", name, alliance_errmsg(db));
    *added = r ? r->added : 0;
    /* The package's review log is written as imported history (docs/anki.md): the report says how much. */
    const char *h = r && r->notices ? strstr(r->notices, "Anki's review log: ") : NULL;
    unsigned rows = 0;
    *history = h && sscanf(h, "Anki's review log: %u answers imported", &rows) == 1 ? rows : 0;
    alliance_free(r);
    alliance_close(db);
    return rc;
}

void bench_fig_apkg(const bench_config *cfg)
{
    unsigned notes = cfg->quick ? 1000u : NOTES;
    char title[96];
    snprintf(title, sizeof title, "import a %uk-note .apkg with %uk review-log rows", notes / 1000,
             notes * REVIEWS_PER_CARD / 1000);
    bench_figure *f = bench_figure_new("import_apkg", title, "s", 0, "ratio >= 0.5");
    char err[1024] = "";
    buf collection = {0}, pkg = {0};
    size_t deck_len = 0;
    char *deck = make_deck(notes, &deck_len);
    if (!deck)
        bench_figure_fail(f, "out of memory");
    else if (make_collection(notes, &collection, err, sizeof err) != 0 || make_package(&collection, &pkg, err, sizeof err) != 0)
        bench_figure_fail(f, "making the package: %s", err);
    bench_log("import_apkg: %u notes, %u review-log rows, a %.1f MB package (%.1f MB collection) x %u repetitions",
              notes, notes * REVIEWS_PER_CARD, (double)pkg.len / 1e6, (double)collection.len / 1e6, cfg->reps);
    char *path = bench_path(cfg->dir, "apkg.db");
    bench_series sp = {0}, sd = {0};
    for (uint32_t rep = 0; rep < cfg->reps && !f->error[0]; rep++) {
        for (int k = 0; k < 2 && !f->error[0]; k++) {
            double secs = 0;
            uint32_t added = 0, history = 0;
            int package = (k ^ (int)(rep & 1)) == 0;
            int rc = package ? import_into_fresh(path, "bench.apkg", pkg.data, pkg.len, ALLIANCE_FORMAT_APKG, &secs,
                                                 &added, &history, err, sizeof err)
                             : import_into_fresh(path, "bench.deck", deck, deck_len, ALLIANCE_FORMAT_DECK, &secs, &added,
                                                 &history, err, sizeof err);
            if (rc)
                bench_figure_fail(f, "%s", err);
            else if (added != notes)
                bench_figure_fail(f, "%s added %u cards, not %u", package ? "the package" : "the deck", added, notes);
            else if (package && history != notes * REVIEWS_PER_CARD)
                bench_figure_fail(f, "the package's history: %u rows imported, not %u", history, notes * REVIEWS_PER_CARD);
            else
                bench_series_add(package ? &sp : &sd, secs);
        }
    }
    f->value = bench_series_median(&sp);
    f->baseline = bench_series_median(&sd);
    bench_figure_finish(f);
    bench_figure_num(f, "notes", notes);
    bench_figure_num(f, "revlog_rows", (double)notes * REVIEWS_PER_CARD);
    bench_figure_num(f, "package_bytes", (double)pkg.len);
    bench_figure_num(f, "collection_bytes", (double)collection.len);
    bench_figure_num(f, "notes_per_s", notes / f->value);
    bench_figure_num(f, "value_min", bench_series_quantile(&sp, 0));
    bench_figure_num(f, "baseline_min", bench_series_quantile(&sd, 0));
    bench_figure_text(f, "baseline_is",
                      "the same notes imported from the deck format (alliance_deck_import_buffer), into a fresh "
                      "collection, synchronous=FULL, in the same run");
    if (!f->error[0])
        f->met = f->ratio >= 0.5;
    bench_remove_db(path);
    bench_series_free(&sp);
    bench_series_free(&sd);
    free(path);
    free(deck);
    sqlite3_free(collection.data);
    free(pkg.data);
}
