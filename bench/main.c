/* SPDX-License-Identifier: MIT */
/*
 * main.c - alliance-bench: options, the working directory, the order of the
 * figures, and the outputs. See bench/README.md.
 */
#include "bench.h"

#include <alliance.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *out)
{
    fputs("usage: alliance-bench [options]\n"
          "  --quick         small sizes, 2 repetitions: proves the benchmark works (CI), not speed\n"
          "  --cards N       size of the large collection (default 1000000; the medium one is\n"
          "                  min(100000, N))\n"
          "  --reps N        repetitions of each measurement (default 5; medians are reported)\n"
          "  --seed N        seed of the synthetic decks (default 1)\n"
          "  --json-only     print only the JSON object on stdout (no table, no progress)\n"
          "  --out FILE      also write the JSON object to FILE\n"
          "  --dir DIR       where to build the collections (default: a new directory in $TMPDIR)\n"
          "  --keep          leave the collections in the directory\n"
          "  --write-deck FILE  write the first generated deck (--cards cards) to FILE and exit\n"
          "  --only FIGURE   import, answer (and undo), queue (100k and 1M), export, verify, fsrs_switch or import_apkg: that figure\n"
          "                  alone, for working on it (the recorded figures come from one full run)\n",
          out);
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-')
        return -1;
    *out = v;
    return 0;
}

static int write_deck(const bench_config *cfg, const char *path)
{
    bench_deck d;
    if (bench_deck_generate(&d, cfg->seed, 0, cfg->cards_large) != 0) {
        fprintf(stderr, "alliance-bench: out of memory\n");
        return 2;
    }
    FILE *f = fopen(path, "wb");
    int rc = 0;
    if (!f || fwrite(d.text, 1, d.text_len, f) != d.text_len) {
        fprintf(stderr, "alliance-bench: %s: %s\n", path, strerror(errno));
        rc = 1;
    }
    if (f && fclose(f) != 0 && rc == 0) {
        fprintf(stderr, "alliance-bench: %s: %s\n", path, strerror(errno));
        rc = 1;
    }
    if (rc == 0)
        fprintf(stderr, "%s: %zu cards from %zu notes, %zu bytes\n", path, d.ncards, d.nnotes, d.text_len);
    bench_deck_free(&d);
    return rc;
}

static int only(const bench_config *cfg, const char *figure)
{
    return cfg->only && strcmp(cfg->only, figure) == 0;
}

/* Every figure that needs a collection, in the order that builds each once. */
static void run_collections(const bench_config *cfg)
{
    char *medium = bench_path(cfg->dir, "medium.db");
    char *large = bench_path(cfg->dir, "large.db");
    bench_deck deck;
    char err[1024] = "";

    bench_log("generating deck 0: %u cards", cfg->cards_medium);
    if (bench_deck_generate(&deck, cfg->seed, 0, cfg->cards_medium) != 0) {
        bench_figure_fail(bench_figure_new("generate", "generate the synthetic deck", "s", 0, NULL),
                          "out of memory");
        goto done;
    }
    bench_fig_import(cfg, &deck, medium);
    if (only(cfg, "import")) {
        bench_deck_free(&deck);
        goto done;
    }

    /* The medium collection gets its history, then serves the answer and queue figures. */
    alliance_db *db = NULL;
    size_t answers = 0;
    if (bench_lib_open(&db, medium, ALLIANCE_SYNC_NORMAL, err, sizeof err) != 0 ||
        bench_history(db, &deck, cfg->seed, &answers, err, sizeof err) != 0) {
        bench_figure_fail(bench_figure_new("history", "history of the medium collection", "s", 0, NULL), "%s",
                          err);
        alliance_close(db);
        bench_deck_free(&deck);
        goto done;
    }
    alliance_close(db);
    bench_log("history: %zu answers on the medium collection", answers);
    if (!cfg->only || only(cfg, "answer"))
        bench_fig_answer(cfg, &deck, medium);
    if (only(cfg, "answer")) {
        bench_deck_free(&deck);
        goto done;
    }
    if (!cfg->only || only(cfg, "queue"))
        bench_fig_queue(cfg, "queue_medium", medium, cfg->cards_medium);
    if (!cfg->only || only(cfg, "export"))
        bench_fig_export(cfg, medium, deck.name, deck.ncards);
    bench_deck_free(&deck);
    if (only(cfg, "export"))
        goto done;

    /* the small collection of the sync figures: a tenth of the medium one, with its history */
    uint32_t small_cards = cfg->cards_medium / 10;
    char *small = NULL;
    int have_small = 0;
    if (!cfg->only) {
        small = bench_path(cfg->dir, "small.db");
        bench_deck small_deck;
        alliance_db *sdb = NULL;
        bench_remove_db(small);
        if (bench_deck_generate(&small_deck, cfg->seed + 7, 9, small_cards) == 0) {
            have_small = bench_lib_open(&sdb, small, ALLIANCE_SYNC_NORMAL, err, sizeof err) == 0 &&
                         bench_lib_import(sdb, &small_deck, NULL, err, sizeof err) == 0 &&
                         bench_history(sdb, &small_deck, cfg->seed, &answers, err, sizeof err) == 0;
            alliance_close(sdb);
            bench_deck_free(&small_deck);
        }
    }
    int have_large = bench_fig_build_large(cfg, large) == 0;
    if (have_large) {
        if (!cfg->only || only(cfg, "queue"))
            bench_fig_queue(cfg, "queue_large", large, cfg->cards_large);
        if (!cfg->only) {
            bench_fig_open(cfg, large);
            bench_fig_memory(cfg, large);
        }
        if (!cfg->only || only(cfg, "verify"))
            bench_fig_verify(cfg, large);
        if (!cfg->only || only(cfg, "fsrs_switch"))
            bench_fig_fsrs_switch(cfg, large);
    }
    if (!cfg->only)
        bench_fig_sync(cfg, have_small ? small : NULL, small_cards, medium, have_large ? large : NULL);
    if (small && !cfg->keep)
        bench_remove_db(small);
    free(small);
done:
    free(medium);
    free(large);
}

/* Removes the files this program creates (and the directory if it made it). */
static void remove_collections(const char *dir, int made_dir)
{
    static const char *const names[] = {"medium.db", "medium-raw.db", "large.db", "import-lib.db", "import-raw.db",
                                        "apkg.db"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *p = bench_path(dir, names[i]);
        bench_remove_db(p);
        free(p);
    }
    if (made_dir)
        rmdir(dir);
}

int main(int argc, char **argv)
{
    bench_config cfg = {0};
    cfg.reps = 5;
    cfg.cards_large = 1000000;
    cfg.seed = 1;
    cfg.self_exe = argv[0];
    const char *out_path = NULL, *deck_path = NULL;
    int have_cards = 0, have_reps = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        uint64_t v;
        if (strcmp(a, "--quick") == 0)
            cfg.quick = 1;
        else if (strcmp(a, "--json-only") == 0)
            cfg.json_only = 1;
        else if (strcmp(a, "--keep") == 0)
            cfg.keep = 1;
        else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (i + 1 < argc && strcmp(a, "--cards") == 0 && parse_u64(argv[i + 1], &v) == 0 && v >= 100 &&
                   v <= 10000000) {
            cfg.cards_large = (uint32_t)v;
            have_cards = 1;
            i++;
        } else if (i + 1 < argc && strcmp(a, "--reps") == 0 && parse_u64(argv[i + 1], &v) == 0 && v >= 1 &&
                   v <= 1000) {
            cfg.reps = (uint32_t)v;
            have_reps = 1;
            i++;
        } else if (i + 1 < argc && strcmp(a, "--seed") == 0 && parse_u64(argv[i + 1], &v) == 0) {
            cfg.seed = v;
            i++;
        } else if (i + 1 < argc && strcmp(a, "--out") == 0) {
            out_path = argv[++i];
        } else if (i + 1 < argc && strcmp(a, "--dir") == 0) {
            cfg.dir = argv[++i];
        } else if (i + 2 < argc && strcmp(a, "--study-child") == 0 && parse_u64(argv[i + 2], &v) == 0) {
            /* Internal: the fresh process of the memory figure. */
            return bench_memory_child(argv[i + 1], (uint32_t)v);
        } else if (i + 2 < argc && strcmp(a, "--clone-child") == 0) {
            /* Internal: the fresh process of the sync clone's memory figure. */
            return bench_clone_child(argv[i + 1], argv[i + 2]);
        } else if (i + 1 < argc && strcmp(a, "--only") == 0) {
            cfg.only = argv[++i];
        } else if (i + 1 < argc && strcmp(a, "--write-deck") == 0) {
            deck_path = argv[++i];
        } else {
            fprintf(stderr, "alliance-bench: bad option or value: %s\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (cfg.quick) {
        if (!have_cards)
            cfg.cards_large = 20000;
        if (!have_reps)
            cfg.reps = 2;
    }
    cfg.cards_medium = cfg.cards_large < 100000 ? cfg.cards_large : 100000;
    if (cfg.quick && !have_cards)
        cfg.cards_medium = 5000;
    cfg.answer_ops = cfg.quick ? 20 : 100;
    cfg.queue_ops = cfg.quick ? 10 : 50;
    cfg.sm2_steps = cfg.quick ? 2000000 : 50000000;
    cfg.fsrs_steps = cfg.quick ? 200000 : 4000000;
    bench_verbose = !cfg.json_only;

    if (deck_path)
        return write_deck(&cfg, deck_path);

    char tmpl[4096];
    int made_dir = 0;
    if (!cfg.dir) {
        const char *base = getenv("TMPDIR");
        snprintf(tmpl, sizeof tmpl, "%s/alliance-bench-XXXXXX", base && *base ? base : "/tmp");
        if (!mkdtemp(tmpl)) {
            fprintf(stderr, "alliance-bench: mkdtemp %s: %s\n", tmpl, strerror(errno));
            return 2;
        }
        cfg.dir = tmpl;
        made_dir = 1;
    } else if (mkdir(cfg.dir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "alliance-bench: mkdir %s: %s\n", cfg.dir, strerror(errno));
        return 2;
    }

    uint64_t t0 = bench_now_ns();
    bench_machine_collect(&cfg);
    bench_log("alliance-bench: liballiance %s, files in %s", alliance_version_string(), cfg.dir);

    if (cfg.only && strcmp(cfg.only, "import_apkg") == 0) {
        bench_fig_apkg(&cfg); /* --only import_apkg: the one figure that needs no other */
    } else if (cfg.only) {
        run_collections(&cfg); /* --only import, answer, queue, export, verify or fsrs_switch */
    } else {
        bench_fig_sm2(&cfg);
        bench_fig_fsrs(&cfg);
        bench_fig_apkg(&cfg);
        run_collections(&cfg);
    }

    double total = (double)(bench_now_ns() - t0) / 1e9;
    if (!cfg.json_only)
        bench_print_table(stdout, &cfg);
    bench_write_json(stdout, &cfg, total);
    fflush(stdout);
    int rc = 0;
    if (out_path) {
        FILE *f = fopen(out_path, "w");
        if (!f) {
            fprintf(stderr, "alliance-bench: %s: %s\n", out_path, strerror(errno));
            rc = 2;
        } else {
            bench_write_json(f, &cfg, total);
            if (fclose(f) != 0) {
                fprintf(stderr, "alliance-bench: %s: %s\n", out_path, strerror(errno));
                rc = 2;
            }
        }
    }
    if (!cfg.keep)
        remove_collections(cfg.dir, made_dir);
    if (bench_error_count()) {
        fprintf(stderr, "alliance-bench: %zu measurement(s) failed (see \"error\" in the output)\n",
                bench_error_count());
        return 1;
    }
    return rc;
}
