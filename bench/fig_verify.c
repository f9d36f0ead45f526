/* SPDX-License-Identifier: MIT */
/*
 * fig_verify.c - alliance_verify over the large collection: every card against
 * the replay of its review log, in reviews replayed per second, against raw
 * SQLite doing the same check as a careful application would: one pass over the
 * cards by row merged with one pass over the log by card (both in index order),
 * each review replayed with the public alliance_sm2_next, in one read
 * transaction. Both sides must find the same number of mismatches (0). The
 * baseline compares less than verify must (no lapses, leech, suspension, FSRS
 * caches or review-row caches): bench/README.md says so.
 */
#include "bench.h"

#include <stdlib.h>
#include <string.h>

static const char cards_sql[] =
    "SELECT pk, repetitions, efactor, interval_days, repeat_today, due_day, last_review_day, reviews "
    "FROM cards ORDER BY pk";
static const char reviews_sql[] =
    "SELECT card, day, grade, sm2_preset, sm2_initial_efactor, sm2_min_efactor, sm2_first_interval, "
    "sm2_second_interval, sm2_max_interval FROM reviews ORDER BY card, id";

/* The raw check; *out_reviews counts the reviews replayed. */
static int raw_verify(sqlite3 *raw, uint64_t *out_mismatches, uint64_t *out_reviews, char *err, size_t errsize)
{
    sqlite3_stmt *c = NULL, *r = NULL;
    if (sqlite3_prepare_v2(raw, cards_sql, -1, &c, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(raw, reviews_sql, -1, &r, NULL) != SQLITE_OK) {
        snprintf(err, errsize, "raw verify: %s", sqlite3_errmsg(raw));
        sqlite3_finalize(c);
        return -1;
    }
    sqlite3_exec(raw, "BEGIN", NULL, NULL, NULL);
    uint64_t mismatches = 0, reviews = 0;
    int have = sqlite3_step(r) == SQLITE_ROW;
    int rc = 0;
    while (sqlite3_step(c) == SQLITE_ROW) {
        int64_t pk = sqlite3_column_int64(c, 0);
        alliance_sm2_state st = {(uint32_t)sqlite3_column_int64(c, 1), (uint32_t)sqlite3_column_int64(c, 2),
                                 (uint32_t)sqlite3_column_int64(c, 3), (uint32_t)sqlite3_column_int64(c, 4)};
        int64_t due = sqlite3_column_int64(c, 5), last = sqlite3_column_int64(c, 6);
        uint32_t count = (uint32_t)sqlite3_column_int64(c, 7), seen = 0;
        alliance_sm2_state s = st;
        int64_t rdue = due, rlast = last;
        while (have && sqlite3_column_int64(r, 0) < pk)
            have = sqlite3_step(r) == SQLITE_ROW;
        while (have && sqlite3_column_int64(r, 0) == pk) {
            alliance_sm2_params p = {ALLIANCE_SM2_PARAMS_VERSION, (uint32_t)sqlite3_column_int64(r, 3),
                                     (uint32_t)sqlite3_column_int64(r, 4), (uint32_t)sqlite3_column_int64(r, 5),
                                     (uint32_t)sqlite3_column_int64(r, 6), (uint32_t)sqlite3_column_int64(r, 7),
                                     (uint32_t)sqlite3_column_int64(r, 8)};
            int64_t day = sqlite3_column_int64(r, 1);
            if ((seen == 0 && alliance_sm2_state_init(&p, &s) != 0) ||
                alliance_sm2_next(&p, &s, (int)sqlite3_column_int64(r, 2), &s) != 0) {
                snprintf(err, errsize, "raw verify: card row %lld cannot be replayed", (long long)pk);
                rc = -1;
                break;
            }
            rdue = day + (s.repeat_today ? 0 : s.interval_days);
            rlast = day;
            seen++;
            reviews++;
            have = sqlite3_step(r) == SQLITE_ROW;
        }
        if (rc)
            break;
        if (memcmp(&s, &st, sizeof s) != 0 || rdue != due || rlast != last || seen != count)
            mismatches++;
    }
    sqlite3_exec(raw, "COMMIT", NULL, NULL, NULL);
    sqlite3_finalize(c);
    sqlite3_finalize(r);
    *out_mismatches = mismatches;
    *out_reviews = reviews;
    return rc;
}

void bench_fig_verify(const bench_config *cfg, const char *path)
{
    char title[96];
    snprintf(title, sizeof title, "verify %uk cards (replay every review log)", cfg->cards_large / 1000);
    bench_figure *f = bench_figure_new("verify", title, "reviews/s", 1, NULL);
    char err[1024] = "";
    alliance_db *db = NULL;
    bench_raw *raw = NULL;
    if (bench_lib_open(&db, path, ALLIANCE_SYNC_NORMAL, err, sizeof err) != 0 ||
        bench_raw_open(&raw, path, ALLIANCE_SYNC_NORMAL, err, sizeof err) != 0) {
        bench_figure_fail(f, "%s", err);
        goto done;
    }
    uint32_t reps = cfg->reps < 3 ? cfg->reps : 3; /* each run reads the whole collection */
    bench_log("verify: %u cards x %u repetitions", cfg->cards_large, reps);
    bench_series slib = {0}, sraw = {0}, slib_s = {0};
    uint64_t reviews = 0;
    for (uint32_t rep = 0; rep < reps && !f->error[0]; rep++) {
        for (int k = 0; k < 2 && !f->error[0]; k++) {
            uint64_t mismatches = 1, n = 0;
            uint64_t t0 = bench_now_ns();
            if ((k ^ (int)(rep & 1)) == 0) {
                int rc = alliance_verify(db, &mismatches);
                double secs = (double)(bench_now_ns() - t0) / 1e9;
                if (rc != 0 || mismatches != 0)
                    bench_figure_fail(f, "alliance_verify: %d, %llu mismatches: %s", rc,
                                      (unsigned long long)mismatches, alliance_errmsg(db));
                else {
                    bench_series_add(&slib_s, secs);
                    bench_series_add(&slib, secs); /* converted to a rate below, once reviews is known */
                }
            } else {
                if (raw_verify(bench_raw_db(raw), &mismatches, &n, err, sizeof err) != 0)
                    bench_figure_fail(f, "%s", err);
                else if (mismatches != 0)
                    bench_figure_fail(f, "the raw check counts %llu mismatches", (unsigned long long)mismatches);
                else {
                    reviews = n;
                    bench_series_add(&sraw, (double)(bench_now_ns() - t0) / 1e9);
                }
            }
        }
    }
    double lib_s = bench_series_median(&slib_s), raw_s = bench_series_median(&sraw);
    f->value = (double)reviews / lib_s;
    f->baseline = (double)reviews / raw_s;
    bench_figure_finish(f);
    bench_figure_num(f, "cards", (double)cfg->cards_large);
    bench_figure_num(f, "reviews", (double)reviews);
    bench_figure_num(f, "seconds", lib_s);
    bench_figure_num(f, "baseline_seconds", raw_s);
    bench_figure_text(f, "measures", "alliance_verify over the whole collection (one snapshot), 0 mismatches; "
                                     "value = reviews replayed per second");
    bench_figure_text(f, "baseline_is", "raw SQLite: cards by row merged with the log by card (both in index "
                                        "order) in one read transaction, each review replayed with "
                                        "alliance_sm2_next; compares the SM-2 state, due day, last review day "
                                        "and review count only (verify also compares lapses, leech, suspension, "
                                        "the FSRS caches and every review row's caches: bench/README.md)");
    bench_series_free(&slib);
    bench_series_free(&sraw);
    bench_series_free(&slib_s);
done:
    bench_raw_close(raw);
    alliance_close(db);
}
