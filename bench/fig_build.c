/* SPDX-License-Identifier: MIT */
/*
 * fig_build.c - the large collection, built as a learner's grows: decks of
 * 100k cards imported from deck-format files (a deck file is limited to
 * 64 MiB, so a million cards are several decks), then a history of answers.
 * How long the imports take is itself reported.
 */
#include "bench.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int bench_fig_build_large(const bench_config *cfg, const char *path)
{
    char title[128];
    uint32_t per_deck = cfg->cards_medium;
    uint32_t ndecks = (cfg->cards_large + per_deck - 1) / per_deck;
    snprintf(title, sizeof title, "build %uk cards: import %u decks", cfg->cards_large / 1000, ndecks);
    bench_figure *f = bench_figure_new("build_large", title, "s", 0, NULL);
    char err[1024] = "";
    alliance_db *db = NULL;
    bench_series per = {0};
    double gen_s = 0, hist_s = 0;
    size_t answers = 0, total_cards = 0;

    bench_log("build: %u cards in %u decks into %s", cfg->cards_large, ndecks, path);
    bench_remove_db(path);
    for (uint32_t d = 0; d < ndecks && !f->error[0]; d++) {
        uint32_t n = d + 1 < ndecks ? per_deck : cfg->cards_large - per_deck * (ndecks - 1);
        bench_deck deck;
        uint64_t g0 = bench_now_ns();
        if (bench_deck_generate(&deck, cfg->seed, d, n) != 0) {
            bench_figure_fail(f, "out of memory generating deck %u", d);
            break;
        }
        gen_s += (double)(bench_now_ns() - g0) / 1e9;
        double secs = 0;
        /* Imported as users do: the default durable settings. */
        if (bench_lib_open(&db, path, ALLIANCE_SYNC_FULL, err, sizeof err) != 0) {
            bench_figure_fail(f, "deck %u: %s", d, err);
        } else if (bench_lib_import(db, &deck, &secs, err, sizeof err) != 0) {
            bench_figure_fail(f, "deck %u: %s", d, err);
        } else {
            bench_series_add(&per, secs);
            total_cards += deck.ncards;
        }
        alliance_close(db);
        db = NULL;
        /* The history is written with synchronous=NORMAL: the same rows, without
         * paying an fsync for each of the ~150k answers of a 1M collection. */
        if (!f->error[0]) {
            uint64_t h0 = bench_now_ns();
            size_t a = 0;
            if (bench_lib_open(&db, path, ALLIANCE_SYNC_NORMAL, err, sizeof err) != 0 ||
                bench_history(db, &deck, cfg->seed + d, &a, err, sizeof err) != 0)
                bench_figure_fail(f, "history of deck %u: %s", d, err);
            answers += a;
            alliance_close(db);
            db = NULL;
            hist_s += (double)(bench_now_ns() - h0) / 1e9;
        }
        bench_log("  deck %u: %u cards imported in %.2f s", d, n, secs);
        bench_deck_free(&deck);
    }
    double sum = 0;
    for (size_t i = 0; i < per.n; i++)
        sum += per.v[i];
    f->value = f->error[0] ? NAN : sum;
    bench_figure_num(f, "cards", (double)total_cards);
    bench_figure_num(f, "decks", ndecks);
    bench_figure_num(f, "deck_import_median_s", bench_series_median(&per));
    bench_figure_num(f, "deck_import_first_s", per.n ? per.v[0] : NAN);
    bench_figure_num(f, "deck_import_last_s", per.n ? per.v[per.n - 1] : NAN);
    bench_figure_num(f, "cards_per_s", (double)total_cards / sum);
    bench_figure_num(f, "history_answers", (double)answers);
    bench_figure_num(f, "history_s", hist_s);
    bench_figure_num(f, "generate_s", gen_s);
    struct stat st;
    if (stat(path, &st) == 0)
        bench_figure_num(f, "file_bytes", (double)st.st_size);
    bench_figure_text(f, "note", "imports only (history of %zu answers, sync NORMAL, took %.1f s more)", answers,
                      hist_s);
    bench_series_free(&per);
    return f->error[0] ? -1 : 0;
}
