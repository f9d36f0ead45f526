/* SPDX-License-Identifier: MIT */
/*
 * fig_answer.c - answering a card (new SM-2 state + review-log row, one
 * durable commit each) and undoing it, on the 100k-card collection, against
 * the library's own statements run directly on an identical copy of the file.
 *
 * Every repetition answers the same K new cards on both sides, then undoes the
 * K answers, which leaves both files as they were: each repetition does
 * exactly the same work, and both undos are checked to return the card that
 * was answered last. Undo replays the card's log on both sides (docs/sync.md
 * "Undo"), and both files are checked to hold the same schedules after the
 * answers and again after the undos.
 */
#include "bench.h"

#include <stdlib.h>
#include <string.h>

typedef struct side {
    bench_series answer, undo;
} side;

static int lib_answer(alliance_db *db, const bench_card *card, int grade, int64_t now, side *s, char *err,
                      size_t errsize)
{
    uint64_t t0 = bench_now_ns();
    int rc = alliance_answer(db, card->id, grade, now, 5000, NULL);
    uint64_t t1 = bench_now_ns();
    if (rc != 0) {
        snprintf(err, errsize, "alliance_answer(%s, %d): %s", card->id, grade, alliance_errmsg(db));
        return rc;
    }
    bench_series_add(&s->answer, (double)(t1 - t0) / 1e6);
    return 0;
}

static int lib_undo(alliance_db *db, const bench_card *expect, side *s, char *err, size_t errsize)
{
    char *id = NULL;
    uint64_t t0 = bench_now_ns();
    int rc = alliance_undo(db, &id);
    uint64_t t1 = bench_now_ns();
    if (rc != 0) {
        snprintf(err, errsize, "alliance_undo: %s", alliance_errmsg(db));
        return rc;
    }
    if (!id || strcmp(id, expect->id) != 0) {
        snprintf(err, errsize, "alliance_undo gave back %s, expected the last answered card %s", id ? id : "(null)",
                 expect->id);
        rc = -1;
    }
    alliance_free(id);
    if (rc == 0)
        bench_series_add(&s->undo, (double)(t1 - t0) / 1e6);
    return rc;
}

static int raw_answer(bench_raw *db, const bench_card *card, int grade, int64_t now, side *s, char *err,
                      size_t errsize)
{
    uint64_t t0 = bench_now_ns();
    int rc = bench_raw_answer(db, card->id, grade, now, 5000, err, errsize);
    uint64_t t1 = bench_now_ns();
    if (rc == 0)
        bench_series_add(&s->answer, (double)(t1 - t0) / 1e6);
    return rc;
}

static int raw_undo(bench_raw *db, const bench_card *expect, side *s, char *err, size_t errsize)
{
    char id[256];
    uint64_t t0 = bench_now_ns();
    int rc = bench_raw_undo(db, id, sizeof id, err, errsize);
    uint64_t t1 = bench_now_ns();
    if (rc != 0)
        return rc;
    if (strcmp(id, expect->id) != 0) {
        snprintf(err, errsize, "raw undo gave back %s, expected %s", id, expect->id);
        return -1;
    }
    bench_series_add(&s->undo, (double)(t1 - t0) / 1e6);
    return 0;
}

/* Both files must hold the same schedule for every answered card: the
 * baseline did the same work, not less. Read through a raw connection. */
static int same_result(const char *lib_path, bench_raw *raw, const bench_card **cards, uint32_t k, char *err,
                       size_t errsize)
{
    bench_raw *look;
    if (bench_raw_open(&look, lib_path, ALLIANCE_SYNC_NORMAL, err, errsize) != 0)
        return -1;
    int rc = 0;
    for (uint32_t i = 0; i < k && rc == 0; i++) {
        int64_t a[12], b[12];
        if (bench_raw_card_state(look, cards[i]->id, a, err, errsize) != 0 ||
            bench_raw_card_state(raw, cards[i]->id, b, err, errsize) != 0)
            rc = -1;
        else if (memcmp(a, b, sizeof a) != 0) {
            snprintf(err, errsize, "card %s: the baseline stored a different schedule than the library", cards[i]->id);
            rc = -1;
        }
    }
    bench_raw_close(look);
    return rc;
}

/* One repetition: K answers, then K undos, each library call next to its
 * baseline call (alternating which goes first), so that the machine's
 * changing I/O latency (fsync on a shared VM varies several-fold) lands on
 * both sides alike. */
static int run_rep(alliance_db *db, const char *lib_path, bench_raw *raw, const bench_card **cards, uint32_t k,
                   uint32_t rep, side *lib, side *base, char *err, size_t errsize, int *raw_failed)
{
    for (uint32_t i = 0; i < k; i++) {
        int grade = 3 + (int)(i % 3);
        int64_t now = BENCH_NOW + rep * 600 + i;
        for (int s = 0; s < 2; s++) {
            if ((s ^ (int)(i & 1)) == 0) {
                if (lib_answer(db, cards[i], grade, now, lib, err, errsize) != 0)
                    return -1;
            } else if (raw_answer(raw, cards[i], grade, now, base, err, errsize) != 0) {
                *raw_failed = 1;
                return -1;
            }
        }
    }
    if (rep == 0 && same_result(lib_path, raw, cards, k, err, errsize) != 0)
        return -1;
    for (uint32_t i = k; i-- > 0;) {
        for (int s = 0; s < 2; s++) {
            if ((s ^ (int)(i & 1)) == 0) {
                if (lib_undo(db, cards[i], lib, err, errsize) != 0)
                    return -1;
            } else if (raw_undo(raw, cards[i], base, err, errsize) != 0) {
                *raw_failed = 1;
                return -1;
            }
        }
    }
    /* and the same schedules once both undid every answer (each side replays the card's log) */
    if (rep == 0 && same_result(lib_path, raw, cards, k, err, errsize) != 0)
        return -1;
    return 0;
}

static void finish(bench_figure *f, const bench_series *lib, const bench_series *raw)
{
    f->value = bench_series_median(lib);
    f->baseline = bench_series_median(raw);
    bench_figure_finish(f);
    bench_figure_num(f, "samples", (double)lib->n);
    bench_figure_num(f, "p90", bench_series_quantile(lib, 0.9));
    bench_figure_num(f, "baseline_p90", bench_series_quantile(raw, 0.9));
    bench_figure_num(f, "ops_per_s", 1e3 / f->value);
    bench_figure_num(f, "baseline_ops_per_s", 1e3 / f->baseline);
}

/* One pass of `reps` repetitions at one synchronous level; figures may be NULL to skip. */
static void pass(const bench_config *cfg, const char *lib_path, const char *raw_path, uint32_t sync,
                 const bench_card **cards, uint32_t k, bench_figure *fa, bench_figure *fu)
{
    char err[1024] = "";
    alliance_db *db = NULL;
    bench_raw *raw = NULL;
    side lib = {0}, base = {0};
    if (bench_lib_open(&db, lib_path, sync, err, sizeof err) != 0) {
        bench_figure_fail(fa, "%s", err);
        bench_figure_fail(fu, "%s", err);
        goto done;
    }
    if (bench_raw_open(&raw, raw_path, sync, err, sizeof err) != 0) {
        bench_figure_fail(fa, "raw baseline: %s", err);
        bench_figure_fail(fu, "raw baseline: %s", err);
        goto done;
    }
    for (uint32_t rep = 0; rep < cfg->reps; rep++) {
        int raw_failed = 0;
        if (run_rep(db, lib_path, raw, cards, k, rep, &lib, &base, err, sizeof err, &raw_failed) != 0) {
            bench_figure_fail(fa, "%s%s", raw_failed ? "raw baseline: " : "", err);
            bench_figure_fail(fu, "%s%s", raw_failed ? "raw baseline: " : "", err);
            goto done;
        }
    }
    finish(fa, &lib.answer, &base.answer);
    finish(fu, &lib.undo, &base.undo);
done:
    alliance_close(db);
    bench_raw_close(raw);
    bench_series_free(&lib.answer);
    bench_series_free(&lib.undo);
    bench_series_free(&base.answer);
    bench_series_free(&base.undo);
}

void bench_fig_answer(const bench_config *cfg, const bench_deck *deck, const char *medium_path)
{
    char t[128];
    snprintf(t, sizeof t, "answer a card, %uk cards, WAL, sync FULL", (unsigned)(deck->ncards / 1000));
    bench_figure *fa = bench_figure_new("answer", t, "ms", 0, "ratio >= 0.95");
    snprintf(t, sizeof t, "undo the last answer, %uk cards, sync FULL", (unsigned)(deck->ncards / 1000));
    bench_figure *fu = bench_figure_new("undo", t, "ms", 0, "ratio >= 0.95");
    snprintf(t, sizeof t, "  answer, same, sync NORMAL (CPU share)");
    bench_figure *fan = bench_figure_new("answer_sync_normal", t, "ms", 0, NULL);
    snprintf(t, sizeof t, "  undo, same, sync NORMAL (CPU share)");
    bench_figure *fun = bench_figure_new("undo_sync_normal", t, "ms", 0, NULL);

    uint32_t k = cfg->answer_ops;
    const bench_card **cards = calloc(k, sizeof *cards);
    char *raw_path = bench_path(cfg->dir, "medium-raw.db");
    if (!cards) {
        bench_figure_fail(fa, "out of memory");
        goto done;
    }
    /* New cards the history left alone (index % 10 == 7), spread over the deck. */
    size_t step = deck->ncards / 10 / k;
    if (step == 0)
        step = 1;
    for (uint32_t i = 0; i < k; i++) {
        size_t idx = (size_t)i * step * 10 + 7;
        if (idx >= deck->ncards) {
            bench_figure_fail(fa, "the deck has too few cards (%zu) for %u answers", deck->ncards, k);
            bench_figure_fail(fu, "the deck has too few cards");
            goto done;
        }
        cards[i] = &deck->cards[idx];
    }
    /* An identical copy for the baseline: same pages, same history, same indexes. */
    bench_remove_db(raw_path);
    if (bench_copy_file(medium_path, raw_path) != 0) {
        bench_figure_fail(fa, "copy %s to %s failed", medium_path, raw_path);
        bench_figure_fail(fu, "copy failed");
        goto done;
    }
    bench_log("answer/undo: %u answers + %u undos x %u repetitions, synchronous FULL then NORMAL", k, k,
              cfg->reps);
    pass(cfg, medium_path, raw_path, ALLIANCE_SYNC_FULL, cards, k, fa, fu);
    pass(cfg, medium_path, raw_path, ALLIANCE_SYNC_NORMAL, cards, k, fan, fun);

    const char *base = "the library's own statements (lib/store/sql.c) for the same answer, run directly with "
                       "cached prepared statements on an identical copy of the collection, same pragmas";
    bench_figure_text(fa, "baseline_is", "%s: read the card, SM-2 step, UPDATE + INSERT, one transaction", base);
    bench_figure_text(fu, "baseline_is", "%s: read the last log row, DELETE it, record the tombstone, then replay the "
                                         "card's remaining log (one pass in the merged order, alliance_sm2_next, "
                                         "every row's caches compared) and write the card, one transaction", base);
    bench_figure_text(fan, "baseline_is", "as for answer, with synchronous=NORMAL on both sides");
    bench_figure_text(fun, "baseline_is", "as for undo, with synchronous=NORMAL on both sides");
    bench_figure_text(fan, "note", "diagnostic: without an fsync per commit, the CPU work of both sides shows");
    if (!fa->error[0])
        fa->met = fa->ratio >= 0.95;
    if (!fu->error[0])
        fu->met = fu->ratio >= 0.95;
done:
    bench_remove_db(raw_path);
    free(raw_path);
    free(cards);
}
