/* SPDX-License-Identifier: MIT */
/*
 * fig_import.c - importing a 100k-card deck from the deck format, against the
 * raw bulk insert of the same rows in one transaction into the same schema.
 *
 * Both sides start from a fresh collection that alliance_open created (so the
 * tables, indexes and triggers are the library's own), open it the same way,
 * and are timed from the first byte of work to the durable commit. The
 * library also parses and validates the text and looks every id up; the raw
 * side knows its rows are new. That difference is what the ratio prices.
 */
#include "bench.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int fresh_collection(const char *path, char *err, size_t errsize)
{
    bench_remove_db(path);
    alliance_db *db;
    int rc = bench_lib_open(&db, path, ALLIANCE_SYNC_FULL, err, errsize);
    if (rc == 0)
        rc = alliance_close(db);
    return rc;
}

static int run_lib(const char *path, const bench_deck *deck, double *secs, char *err, size_t errsize)
{
    int rc = fresh_collection(path, err, errsize);
    if (rc != 0)
        return rc;
    alliance_db *db;
    if ((rc = bench_lib_open(&db, path, ALLIANCE_SYNC_FULL, err, errsize)) != 0)
        return rc;
    rc = bench_lib_import(db, deck, secs, err, errsize);
    int crc = alliance_close(db);
    if (rc == 0 && crc != 0) {
        snprintf(err, errsize, "alliance_close after the import failed (%d)", crc);
        rc = crc;
    }
    return rc;
}

static int run_raw(const char *path, const bench_deck *deck, double *secs, char *err, size_t errsize)
{
    int rc = fresh_collection(path, err, errsize);
    if (rc != 0)
        return rc;
    bench_raw *db;
    if ((rc = bench_raw_open(&db, path, ALLIANCE_SYNC_FULL, err, errsize)) != 0)
        return rc;
    uint64_t t0 = bench_now_ns();
    rc = bench_raw_import(db, deck, err, errsize);
    *secs = (double)(bench_now_ns() - t0) / 1e9;
    bench_raw_close(db);
    return rc;
}

void bench_fig_import(const bench_config *cfg, const bench_deck *deck, const char *keep_as)
{
    char title[96];
    snprintf(title, sizeof title, "import %zuk cards from the deck format", deck->ncards / 1000);
    bench_figure *f = bench_figure_new("import", title, "s", 0, "ratio >= 0.9");
    char *lib_path = bench_path(cfg->dir, "import-lib.db");
    char *raw_path = bench_path(cfg->dir, "import-raw.db");
    bench_series slib = {0}, sraw = {0};
    char err[1024] = "";
    bench_log("import: %zu cards (%zu notes, %.1f MB of deck text) x %u repetitions", deck->ncards, deck->nnotes,
              (double)deck->text_len / 1e6, cfg->reps);

    for (uint32_t rep = 0; rep < cfg->reps && !f->error[0]; rep++) {
        for (int k = 0; k < 2 && !f->error[0]; k++) {
            double secs = 0;
            if ((k ^ (int)(rep & 1)) == 0) {
                if (run_lib(lib_path, deck, &secs, err, sizeof err) != 0)
                    bench_figure_fail(f, "%s", err);
                else
                    bench_series_add(&slib, secs);
            } else {
                if (run_raw(raw_path, deck, &secs, err, sizeof err) != 0)
                    bench_figure_fail(f, "raw baseline: %s", err);
                else
                    bench_series_add(&sraw, secs);
            }
        }
    }
    /* How much of the library's time is parsing and checking the text alone. */
    bench_series sparse = {0};
    for (uint32_t rep = 0; rep < cfg->reps && !f->error[0]; rep++) {
        alliance_import_report *r = NULL;
        uint64_t t0 = bench_now_ns();
        int rc = alliance_deck_check("synthetic.deck", deck->text, deck->text_len, ALLIANCE_FORMAT_DECK, &r);
        uint64_t t1 = bench_now_ns();
        if (rc != 0 || !r || r->added != deck->ncards)
            bench_figure_fail(f, "alliance_deck_check: %d, %s", rc, r && r->errors ? r->errors : "");
        alliance_free(r);
        bench_series_add(&sparse, (double)(t1 - t0) / 1e9);
    }
    bench_figure_num(f, "parse_only_s", bench_series_median(&sparse));
    bench_series_free(&sparse);
    /* Both sides must have written the very same rows (cards and deck). */
    if (!f->error[0]) {
        uint64_t a = 0, b = 0;
        bench_raw *x = NULL, *y = NULL;
        if (bench_raw_open(&x, lib_path, ALLIANCE_SYNC_NORMAL, err, sizeof err) != 0 ||
            bench_raw_checksum(x, &a, err, sizeof err) != 0 ||
            bench_raw_open(&y, raw_path, ALLIANCE_SYNC_NORMAL, err, sizeof err) != 0 ||
            bench_raw_checksum(y, &b, err, sizeof err) != 0)
            bench_figure_fail(f, "comparing the imported rows: %s", err);
        else if (a != b)
            bench_figure_fail(f, "the baseline wrote different rows than the library's import");
        bench_raw_close(x);
        bench_raw_close(y);
    }
    f->value = bench_series_median(&slib);
    f->baseline = bench_series_median(&sraw);
    bench_figure_finish(f);
    bench_figure_num(f, "cards", (double)deck->ncards);
    bench_figure_num(f, "notes", (double)deck->nnotes);
    bench_figure_num(f, "deck_bytes", (double)deck->text_len);
    bench_figure_num(f, "cards_per_s", (double)deck->ncards / f->value);
    bench_figure_num(f, "baseline_cards_per_s", (double)deck->ncards / f->baseline);
    bench_figure_num(f, "value_min", bench_series_quantile(&slib, 0));
    bench_figure_num(f, "baseline_min", bench_series_quantile(&sraw, 0));
    bench_figure_text(f, "baseline_is",
                      "the same card rows (and deck row) inserted with the library's statements in one "
                      "transaction, into a collection alliance_open created, same pragmas, synchronous=FULL");
    if (!f->error[0])
        f->met = f->ratio >= 0.9;

    bench_remove_db(raw_path);
    if (!f->error[0] && keep_as) {
        bench_remove_db(keep_as);
        if (rename(lib_path, keep_as) != 0)
            bench_figure_fail(f, "rename %s: %s", lib_path, strerror(errno));
    } else {
        bench_remove_db(lib_path);
    }
    bench_series_free(&slib);
    bench_series_free(&sraw);
    free(lib_path);
    free(raw_path);
}
