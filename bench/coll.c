/* SPDX-License-Identifier: MIT */
/*
 * coll.c - building the synthetic collections through the public API, the way
 * a learner's collection grows: decks imported from files, then studied.
 */
#include "bench.h"

#include <alliance.h>

#include <stdlib.h>
#include <string.h>

int bench_lib_open(alliance_db **out, const char *path, uint32_t synchronous, char *err, size_t errsize)
{
    alliance_open_options o;
    alliance_open_options_init(&o, ALLIANCE_OPEN_OPTIONS_VERSION);
    o.synchronous = synchronous;
    o.utc_offset_seconds = 0; /* figures must not depend on the machine's time zone */
    int rc = alliance_open(out, path, &o);
    if (rc != 0) {
        snprintf(err, errsize, "alliance_open(%s): %s", path, alliance_errmsg(*out));
        alliance_close(*out);
        *out = NULL;
    }
    return rc;
}

int bench_lib_import(alliance_db *db, const bench_deck *deck, double *out_seconds, char *err, size_t errsize)
{
    alliance_import_report *rep = NULL;
    uint64_t t0 = bench_now_ns();
    int rc = alliance_deck_import_buffer(db, "synthetic.deck", deck->text, deck->text_len, NULL, BENCH_NOW, &rep);
    uint64_t t1 = bench_now_ns();
    if (out_seconds)
        *out_seconds = (double)(t1 - t0) / 1e9;
    if (rc != 0) {
        snprintf(err, errsize, "alliance_deck_import_buffer(%s): %s; %s", deck->name, alliance_errmsg(db),
                 rep && rep->errors ? rep->errors : "");
    } else if (!rep || rep->added != deck->ncards) {
        snprintf(err, errsize, "import of %s added %u cards, expected %zu", deck->name, rep ? rep->added : 0,
                 deck->ncards);
        rc = -1;
    }
    alliance_free(rep);
    return rc;
}

/* The history: every tenth card (index % 10 == 3) was first answered 2 to 30
 * days ago, and half of those that were recalled once more the day after, so
 * that today holds overdue reviews, reviews due in the future, cards to
 * relearn and many new cards, as a real collection does. Card index % 10 == 7
 * is left new for the answer figure. */
int bench_history(alliance_db *db, const bench_deck *deck, uint64_t seed, size_t *out_answers, char *err,
                  size_t errsize)
{
    bench_rng r;
    bench_rng_seed(&r, seed ^ 0x4157);
    size_t answers = 0;
    for (size_t i = 3; i < deck->ncards; i += 10) {
        const char *id = deck->cards[i].id;
        int64_t days_ago = 2 + bench_rng_below(&r, 29);
        int64_t t = BENCH_NOW - days_ago * 86400 + (int64_t)bench_rng_below(&r, 3600);
        int g1 = (int)bench_rng_below(&r, 6);
        int rc = alliance_answer(db, id, g1, t, 8000, NULL);
        if (rc != 0) {
            snprintf(err, errsize, "alliance_answer(%s, %d) in the history: %s", id, g1, alliance_errmsg(db));
            return rc;
        }
        answers++;
        if (g1 >= 4 && bench_rng_below(&r, 2)) {
            int g2 = 3 + (int)bench_rng_below(&r, 3);
            rc = alliance_answer(db, id, g2, t + 86400, 6000, NULL);
            if (rc != 0) {
                snprintf(err, errsize, "alliance_answer(%s, %d) in the history: %s", id, g2, alliance_errmsg(db));
                return rc;
            }
            answers++;
        }
    }
    *out_answers = answers;
    return 0;
}
