/* SPDX-License-Identifier: MIT */
/*
 * fig_queue.c - today's queue on a large collection: what an app does to
 * start a study session (open it, show "12 due, 5 new, 2 to repeat", show the
 * first card), against the library's own queue statements run directly on
 * the same file through a second connection; and EXPLAIN QUERY PLAN of every
 * statement the session runs, which must read the cards through an index.
 *
 * lib/study/session.c never materialises the queue: each next() is a LIMIT-bounded
 * indexed query. So the library's side is "counts + first card" in one snapshot
 * (alliance_session_next_with_counts), and the baseline does exactly that in one
 * read transaction; the "first 50 cards + counts" is also
 * timed on the raw side, as the cost of listing the queue at all.
 */
#include "bench.h"

#include <stdlib.h>
#include <string.h>

#define QUEUE_LIST 50 /* the "first 50 cards" */

/* What an app does to show today's session: open it, take the first card with the counts
 * shown above it (one snapshot, alliance_session_next_with_counts). */
static int lib_queue(alliance_db *db, alliance_counts *counts, char *first, size_t first_size, char *err,
                     size_t errsize)
{
    alliance_session *s = NULL;
    int rc = alliance_session_open(&s, db, 0, BENCH_NOW);
    if (rc != 0) {
        snprintf(err, errsize, "alliance_session_open: %s", alliance_errmsg(db));
        return rc;
    }
    counts->version = ALLIANCE_COUNTS_VERSION;
    alliance_card *card = NULL;
    rc = alliance_session_next_with_counts(s, BENCH_NOW, &card, counts);
    if (rc == 0)
        snprintf(first, first_size, "%s", card->id);
    else if (rc == ALLIANCE_DONE)
        first[0] = 0, rc = 0;
    else
        snprintf(err, errsize, "alliance_session_next_with_counts: %s", alliance_errmsg(db));
    alliance_free(card);
    alliance_session_close(s);
    return rc;
}

void bench_fig_queue(const bench_config *cfg, const char *key, const char *path, uint32_t ncards)
{
    char title[128];
    snprintf(title, sizeof title, "today's queue: counts + first card, %uk cards, p50", ncards / 1000);
    int large = strcmp(key, "queue_large") == 0;
    bench_figure *f = bench_figure_new(key, title, "ms", 0,
                                       large ? "p50 <= 1 ms at 1M; ratio >= 0.95; plan indexed"
                                             : "ratio >= 0.95; plan indexed");
    char err[1024] = "";
    alliance_db *db = NULL;
    bench_raw *raw = NULL;
    bench_series slib = {0}, sraw = {0}, slist = {0};
    char *plans = malloc(16384);
    if (!plans) {
        bench_figure_fail(f, "out of memory");
        return;
    }
    plans[0] = 0;
    if (bench_lib_open(&db, path, ALLIANCE_SYNC_FULL, err, sizeof err) != 0) {
        bench_figure_fail(f, "%s", err);
        goto done;
    }
    if (bench_raw_open(&raw, path, ALLIANCE_SYNC_FULL, err, sizeof err) != 0) {
        bench_figure_fail(f, "raw baseline: %s", err);
        goto done;
    }
    bench_log("queue %s: %u cards, %u builds x %u repetitions", key, ncards, cfg->queue_ops, cfg->reps);

    /* Both sides must find the same counts and the same first card, or they are not doing the same work. */
    alliance_counts c;
    char first[256], raw_first[256];
    uint32_t rc3[3], nraw;
    if (lib_queue(db, &c, first, sizeof first, err, sizeof err) != 0) {
        bench_figure_fail(f, "%s", err);
        goto done;
    }
    if (bench_raw_queue(raw, BENCH_NOW, 1, rc3, &nraw, raw_first, sizeof raw_first, err, sizeof err) != 0) {
        bench_figure_fail(f, "raw baseline: %s", err);
        goto done;
    }
    bench_figure_num(f, "new", c.new_cards);
    bench_figure_num(f, "due", c.due);
    bench_figure_num(f, "repeat", c.repeat);
    bench_figure_text(f, "first_card", "%s", first);
    if (rc3[0] != c.new_cards || rc3[1] != c.due || rc3[2] != c.repeat || strcmp(first, raw_first) != 0)
        bench_figure_fail(f,
                          "the raw queue (new %u, due %u, repeat %u, first %s) differs from the library's "
                          "(%u, %u, %u, %s)",
                          rc3[0], rc3[1], rc3[2], raw_first, c.new_cards, c.due, c.repeat, first);

    /* A slow queue (tens of ms at 1M cards) must not make the run take an hour:
     * past the time budget, the samples taken so far are the figure. */
    uint64_t start = bench_now_ns(), budget_ns = (cfg->quick ? 5 : 40) * UINT64_C(1000000000);
    int over_budget = 0;
    for (uint32_t rep = 0; rep < cfg->reps && !f->error[0] && !over_budget; rep++) {
        for (uint32_t i = 0; i < cfg->queue_ops && !f->error[0]; i++) {
            if (slib.n >= 10 && bench_now_ns() - start > budget_ns) {
                over_budget = 1;
                break;
            }
            /* Interleaved one by one, alternating who goes first. */
            for (int s = 0; s < 2; s++) {
                uint64_t t0 = bench_now_ns(), t1;
                if ((s ^ (int)(i & 1)) == 0) {
                    if (lib_queue(db, &c, first, sizeof first, err, sizeof err) != 0) {
                        bench_figure_fail(f, "%s", err);
                        break;
                    }
                    t1 = bench_now_ns();
                    bench_series_add(&slib, (double)(t1 - t0) / 1e6);
                } else {
                    if (bench_raw_queue(raw, BENCH_NOW, 1, rc3, &nraw, raw_first, sizeof raw_first, err,
                                        sizeof err) != 0) {
                        bench_figure_fail(f, "raw baseline: %s", err);
                        break;
                    }
                    t1 = bench_now_ns();
                    bench_series_add(&sraw, (double)(t1 - t0) / 1e6);
                }
            }
            uint64_t t0 = bench_now_ns();
            if (bench_raw_queue(raw, BENCH_NOW, QUEUE_LIST, rc3, &nraw, raw_first, sizeof raw_first, err,
                                sizeof err) != 0) {
                bench_figure_fail(f, "raw first %d: %s", QUEUE_LIST, err);
                break;
            }
            bench_series_add(&slist, (double)(bench_now_ns() - t0) / 1e6);
        }
    }
    f->value = bench_series_median(&slib);
    f->baseline = bench_series_median(&sraw);
    bench_figure_finish(f);
    bench_figure_num(f, "cards", ncards);
    bench_figure_num(f, "samples", (double)slib.n);
    if (over_budget)
        bench_figure_text(f, "note", "stopped after %zu samples per side: the %.0f s time budget was reached",
                          slib.n, (double)budget_ns / 1e9);
    bench_figure_num(f, "p90", bench_series_quantile(&slib, 0.9));
    bench_figure_num(f, "baseline_p90", bench_series_quantile(&sraw, 0.9));
    bench_figure_num(f, "raw_first50_p50", bench_series_median(&slist));
    bench_figure_num(f, "raw_first50_rows", nraw);

    int indexed = 0, sorts = 0;
    if (bench_raw_queue_plans(raw, plans, 16384, &indexed, &sorts, err, sizeof err) != 0)
        bench_figure_fail(f, "EXPLAIN QUERY PLAN: %s", err);
    bench_figure_text(f, "query_plans", "%s", plans);
    char work[512];
    uint64_t vm_steps = 0;
    if (bench_raw_queue_work(raw, BENCH_NOW, work, sizeof work, &vm_steps, err, sizeof err) != 0)
        bench_figure_fail(f, "raw baseline: %s", err);
    bench_figure_text(f, "vm_steps_per_statement", "%s", work);
    bench_figure_num(f, "vm_steps_per_build", (double)vm_steps);
    bench_figure_num(f, "plan_uses_index", indexed);
    bench_figure_num(f, "plan_temp_sorts", sorts);
    bench_figure_text(f, "measures", "alliance_session_open + alliance_session_next_with_counts (the counts and "
                                     "the first card in one snapshot) + alliance_session_close, at the fixed 'now'");
    bench_figure_text(f, "baseline_is",
                      "the library's session statements (lib/store/sql.c: DONE_TODAY, COUNT_NEW/DUE/REPEAT, "
                      "REVIEW_RECENT_CARDS, QUEUE_REPEAT/DUE/NEW) in one read transaction, run directly on the same "
                      "file through a second connection, prepared once, settings and exam days read once at open");
    if (!f->error[0]) {
        f->met = f->ratio >= 0.95 && indexed;
        if (large)
            f->met = f->met && f->value <= 1.0;
    }
done:
    alliance_close(db);
    bench_raw_close(raw);
    bench_series_free(&slib);
    bench_series_free(&sraw);
    bench_series_free(&slist);
    free(plans);
}
