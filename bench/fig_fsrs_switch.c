/* SPDX-License-Identifier: MIT */
/*
 * fig_fsrs_switch.c - switching the large collection with its history to FSRS
 * (alliance_scheduler_set: every card's log replayed under FSRS and its caches
 * rewritten, one transaction), in seconds, against alliance_verify on the same
 * collection in the same run (the same replay, without the writes). The switch
 * back to SM-2 is measured too and leaves the collection as it was; verify must
 * find 0 mismatches under FSRS.
 */
#include "bench.h"

#include <stdlib.h>
#include <string.h>

static int timed_switch(alliance_db *db, uint32_t scheduler, double *secs, uint64_t *reviews)
{
    alliance_scheduler_report *rep = NULL;
    uint64_t t0 = bench_now_ns();
    int rc = alliance_scheduler_set(db, scheduler, 0, &rep);
    *secs = (double)(bench_now_ns() - t0) / 1e9;
    if (rc == 0)
        *reviews = rep->reviews;
    alliance_free(rep);
    return rc;
}

void bench_fig_fsrs_switch(const bench_config *cfg, const char *path)
{
    char title[96];
    snprintf(title, sizeof title, "switch %uk cards with history to FSRS", cfg->cards_large / 1000);
    bench_figure *f = bench_figure_new("fsrs_switch", title, "s", 0, NULL);
    char err[1024] = "";
    alliance_db *db = NULL;
    if (bench_lib_open(&db, path, ALLIANCE_SYNC_NORMAL, err, sizeof err) != 0) {
        bench_figure_fail(f, "%s", err);
        goto done;
    }
    uint32_t reps = cfg->reps < 2 ? cfg->reps : 2; /* each run rewrites the whole collection twice */
    bench_log("fsrs_switch: %u cards x %u repetitions", cfg->cards_large, reps);
    bench_series s_fsrs = {0}, s_back = {0}, s_verify = {0};
    uint64_t reviews = 0;
    for (uint32_t rep = 0; rep < reps && !f->error[0]; rep++) {
        double secs = 0;
        uint64_t mismatches = 1;
        uint64_t t0 = bench_now_ns();
        if (alliance_verify(db, &mismatches) != 0 || mismatches != 0) {
            bench_figure_fail(f, "verify under SM-2: %llu mismatches: %s", (unsigned long long)mismatches,
                              alliance_errmsg(db));
            break;
        }
        bench_series_add(&s_verify, (double)(bench_now_ns() - t0) / 1e9);
        if (timed_switch(db, ALLIANCE_SCHEDULER_FSRS, &secs, &reviews) != 0) {
            bench_figure_fail(f, "switching to FSRS: %s", alliance_errmsg(db));
            break;
        }
        bench_series_add(&s_fsrs, secs);
        if (alliance_verify(db, &mismatches) != 0 || mismatches != 0) {
            bench_figure_fail(f, "verify under FSRS: %llu mismatches: %s", (unsigned long long)mismatches,
                              alliance_errmsg(db));
            break;
        }
        if (timed_switch(db, ALLIANCE_SCHEDULER_SM2, &secs, &reviews) != 0) {
            bench_figure_fail(f, "switching back to SM-2: %s", alliance_errmsg(db));
            break;
        }
        bench_series_add(&s_back, secs);
    }
    if (!f->error[0]) {
        f->value = bench_series_median(&s_fsrs);
        f->baseline = bench_series_median(&s_verify);
        bench_figure_finish(f);
        bench_figure_num(f, "cards", (double)cfg->cards_large);
        bench_figure_num(f, "reviews", (double)reviews);
        bench_figure_num(f, "back_to_sm2_seconds", bench_series_median(&s_back));
        bench_figure_text(f, "measures", "alliance_scheduler_set(FSRS) on the large collection: every card's log "
                                         "replayed under FSRS and its caches rewritten, one transaction; verify "
                                         "then finds 0 mismatches; value = seconds");
        bench_figure_text(f, "baseline_is", "alliance_verify on the same collection under SM-2 (the same replay "
                                            "of every log, without FSRS and without writing)");
    }
    bench_series_free(&s_fsrs);
    bench_series_free(&s_back);
    bench_series_free(&s_verify);
done:
    alliance_close(db);
}
