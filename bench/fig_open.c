/* SPDX-License-Identifier: MIT */
/*
 * fig_open.c - opening the large collection and showing its first card: what
 * a learner waits for when the app starts. Measured cold (the file's pages
 * dropped from the OS cache, as after a reboot) and warm.
 */
#include "bench.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int open_first(const char *path, double *ms, char *err, size_t errsize)
{
    alliance_db *db = NULL;
    alliance_session *s = NULL;
    alliance_card *card = NULL;
    uint64_t t0 = bench_now_ns();
    int rc = bench_lib_open(&db, path, ALLIANCE_SYNC_FULL, err, errsize);
    if (rc == 0 && (rc = alliance_session_open(&s, db, 0, BENCH_NOW)) != 0)
        snprintf(err, errsize, "alliance_session_open: %s", alliance_errmsg(db));
    if (rc == 0 && (rc = alliance_session_next(s, BENCH_NOW, &card)) != 0)
        snprintf(err, errsize, "alliance_session_next gave %d: %s", rc, alliance_errmsg(db));
    uint64_t t1 = bench_now_ns();
    *ms = (double)(t1 - t0) / 1e6;
    alliance_free(card);
    alliance_session_close(s);
    alliance_close(db);
    return rc;
}

static void one(const bench_config *cfg, const char *path, int cold)
{
    char title[128];
    snprintf(title, sizeof title, "open %uk-card collection + first card, %s", cfg->cards_large / 1000,
             cold ? "cold" : "warm");
    bench_figure *f = bench_figure_new(cold ? "open_first_card_cold" : "open_first_card_warm", title, "ms", 0,
                                       "<= 50 ms");
    bench_series s = {0};
    char err[1024] = "";
    double ms;
    if (!cold && open_first(path, &ms, err, sizeof err) != 0) /* warm-up, not timed */
        bench_figure_fail(f, "%s", err);
    for (uint32_t rep = 0; rep < cfg->reps && !f->error[0]; rep++) {
        if (cold && bench_evict_file(path) != 0) {
            bench_figure_fail(f, "posix_fadvise(DONTNEED) on %s failed", path);
            break;
        }
        if (open_first(path, &ms, err, sizeof err) != 0)
            bench_figure_fail(f, "%s", err);
        else
            bench_series_add(&s, ms);
    }
    f->value = bench_series_median(&s);
    bench_figure_num(f, "max", bench_series_quantile(&s, 1));
    bench_figure_num(f, "min", bench_series_quantile(&s, 0));
    bench_figure_text(f, "measures", "alliance_open + alliance_session_open + alliance_session_next%s",
                      cold ? "; the collection file evicted from the OS page cache before each (posix_fadvise)"
                           : "");
    if (!f->error[0])
        f->met = f->value <= 50.0;
    bench_series_free(&s);
}

void bench_fig_open(const bench_config *cfg, const char *path)
{
    bench_log("open: %u repetitions cold, %u warm", cfg->reps, cfg->reps);
    one(cfg, path, 1);
    one(cfg, path, 0);
}
