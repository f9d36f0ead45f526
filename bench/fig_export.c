/* SPDX-License-Identifier: MIT */
/*
 * fig_export.c - a full export of the medium collection's 100k-card deck in
 * the deck format, against raw SQLite reading the same rows.
 *
 * The library reads the deck file as last imported (the deck's generation) in
 * one snapshot, writes every note in the canonical form and streams it to a
 * callback that only counts the bytes. The baseline reads the same rows in the
 * same order through a second connection, in one read transaction, and touches
 * every text column (sqlite3_column_text + _bytes): the floor for any export,
 * without formatting. Their difference is what writing the text costs.
 */
#include "bench.h"

#include <stdlib.h>
#include <string.h>

static const char export_sql[] =
    "SELECT id, note_id, ordinal, type, front, back, wrong, tags, source_file, source_quote FROM cards "
    "WHERE deck_id = ?1 AND generation = (SELECT d.generation FROM decks AS d WHERE d.id = ?1) "
    "ORDER BY deck_id, position, ordinal, pk";

static int count_bytes(void *opaque, const char *data, size_t len)
{
    (void)data;
    *(uint64_t *)opaque += len;
    return 0;
}

static int run_lib(alliance_db *db, int64_t deck, double *secs, uint64_t *bytes, char *err, size_t errsize)
{
    *bytes = 0;
    uint64_t t0 = bench_now_ns();
    int rc = alliance_deck_export(db, deck, ALLIANCE_FORMAT_DECK, count_bytes, bytes);
    *secs = (double)(bench_now_ns() - t0) / 1e9;
    if (rc != 0)
        snprintf(err, errsize, "alliance_deck_export: %d %s", rc, alliance_errmsg(db));
    return rc;
}

static int run_raw(sqlite3 *raw, sqlite3_stmt *stmt, int64_t deck, double *secs, uint64_t *rows, uint64_t *bytes,
                   char *err, size_t errsize)
{
    *rows = *bytes = 0;
    uint64_t t0 = bench_now_ns();
    sqlite3_exec(raw, "BEGIN", NULL, NULL, NULL);
    sqlite3_reset(stmt);
    sqlite3_bind_int64(stmt, 1, deck);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        for (int c = 0; c < 10; c++) {
            if (c == 2 || c == 3) {
                *bytes += (uint64_t)sqlite3_column_int64(stmt, c) & 1;
                continue;
            }
            const unsigned char *t = sqlite3_column_text(stmt, c);
            *bytes += (uint64_t)sqlite3_column_bytes(stmt, c) + (t ? t[0] & 1 : 0);
        }
        (*rows)++;
    }
    sqlite3_reset(stmt);
    sqlite3_exec(raw, "COMMIT", NULL, NULL, NULL);
    *secs = (double)(bench_now_ns() - t0) / 1e9;
    if (rc != SQLITE_DONE) {
        snprintf(err, errsize, "raw read: %s", sqlite3_errmsg(raw));
        return -1;
    }
    return 0;
}

void bench_fig_export(const bench_config *cfg, const char *path, const char *deck_name, size_t ncards)
{
    char title[96];
    snprintf(title, sizeof title, "export %zuk cards to the deck format", ncards / 1000);
    bench_figure *f = bench_figure_new("export", title, "s", 0, NULL);
    char err[1024] = "";
    alliance_db *db = NULL;
    bench_raw *raw = NULL;
    sqlite3_stmt *stmt = NULL;
    int64_t deck = 0;
    if (bench_lib_open(&db, path, ALLIANCE_SYNC_NORMAL, err, sizeof err) != 0 ||
        bench_raw_open(&raw, path, ALLIANCE_SYNC_NORMAL, err, sizeof err) != 0) {
        bench_figure_fail(f, "%s", err);
        goto done;
    }
    if (alliance_deck_id(db, deck_name, 0, &deck) != 0) {
        bench_figure_fail(f, "the deck '%s': %s", deck_name, alliance_errmsg(db));
        goto done;
    }
    if (sqlite3_prepare_v2(bench_raw_db(raw), export_sql, -1, &stmt, NULL) != SQLITE_OK) {
        bench_figure_fail(f, "preparing the raw read: %s", sqlite3_errmsg(bench_raw_db(raw)));
        goto done;
    }
    bench_log("export: %zu cards x %u repetitions", ncards, cfg->reps);
    bench_series slib = {0}, sraw = {0};
    uint64_t bytes = 0, rows = 0, raw_bytes = 0;
    double secs;
    for (uint32_t rep = 0; rep <= cfg->reps && !f->error[0]; rep++) { /* rep 0 warms the page cache, untimed */
        for (int k = 0; k < 2 && !f->error[0]; k++) {
            if ((k ^ (int)(rep & 1)) == 0) {
                if (run_lib(db, deck, &secs, &bytes, err, sizeof err) != 0)
                    bench_figure_fail(f, "%s", err);
                else if (rep > 0)
                    bench_series_add(&slib, secs);
            } else {
                if (run_raw(bench_raw_db(raw), stmt, deck, &secs, &rows, &raw_bytes, err, sizeof err) != 0)
                    bench_figure_fail(f, "%s", err);
                else if (rep > 0)
                    bench_series_add(&sraw, secs);
            }
        }
    }
    if (!f->error[0] && rows != ncards)
        bench_figure_fail(f, "the raw read found %llu cards, not %zu", (unsigned long long)rows, ncards);
    f->value = bench_series_median(&slib);
    f->baseline = bench_series_median(&sraw);
    bench_figure_finish(f);
    bench_figure_num(f, "cards", (double)ncards);
    bench_figure_num(f, "bytes_written", (double)bytes);
    bench_figure_num(f, "cards_per_s", (double)ncards / f->value);
    bench_figure_num(f, "baseline_cards_per_s", (double)ncards / f->baseline);
    bench_figure_text(f, "measures", "alliance_deck_export of the whole deck (one snapshot) in the deck format to a "
                                     "callback that counts the bytes");
    bench_figure_text(f, "baseline_is", "the same rows in the same order read by raw SQLite through a second "
                                        "connection in one read transaction, every text column touched, no "
                                        "formatting: the floor of any export");
    bench_series_free(&slib);
    bench_series_free(&sraw);
done:
    sqlite3_finalize(stmt);
    bench_raw_close(raw);
    alliance_close(db);
}
