/* SPDX-License-Identifier: MIT */
/*
 * bench.h - what the rooms of alliance-bench share.
 *
 * The benchmark measures liballiance through its public header only, and each
 * figure that has a natural baseline against raw SQLite statements doing the
 * same work through the same libsqlite3, in the same run, interleaved.
 */
#ifndef ALLIANCE_BENCH_H
#define ALLIANCE_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <alliance.h>
#include <sqlite3.h>

/* The benchmark's fixed "now": 2026-01-05 12:00:00 UTC, with UTC offset 0, so
 * that the figures never depend on the machine's clock or time zone. */
#define BENCH_NOW INT64_C(1767614400)

/* ---- configuration (main.c) ---- */

typedef struct bench_config {
    int quick;              /* --quick: small sizes, few repetitions (CI) */
    uint32_t reps;          /* --reps: repetitions of each measurement */
    uint32_t cards_large;   /* --cards: the "1M" collection */
    uint32_t cards_medium;  /* the "100k" collection: min(100000, cards_large) */
    uint32_t answer_ops;    /* answers (and undos) timed per repetition */
    uint32_t queue_ops;     /* queue builds timed per repetition */
    uint64_t sm2_steps;     /* SM-2 steps timed per repetition */
    uint64_t fsrs_steps;    /* FSRS steps timed per repetition */
    uint64_t seed;          /* --seed: the synthetic data */
    const char *dir;        /* working directory for the collections */
    int keep;               /* --keep: leave the collections in dir */
    int json_only;          /* --json-only: no table, only the JSON object on stdout */
    const char *self_exe;   /* this program, re-executed for the memory figure */
    const char *only;       /* --only: "import", "queue", "verify" or "export": that figure alone (while working on it) */
} bench_config;

/* ---- time and statistics (harness.c) ---- */

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t bench_now_ns(void);

/* A growable series of samples (nanoseconds or any other unit). */
typedef struct bench_series {
    double *v;
    size_t n, cap;
} bench_series;

void bench_series_add(bench_series *s, double x);
void bench_series_free(bench_series *s);
/* The q-quantile (0..1, nearest rank on a sorted copy); NaN when empty. */
double bench_series_quantile(const bench_series *s, double q);
double bench_series_median(const bench_series *s);

/* ---- results (harness.c) ---- */

#define BENCH_MAX_FIELDS 24

typedef struct bench_field {
    const char *name;
    int is_text;
    double num;
    char text[2048];
} bench_field;

/* One row of the table and one member of the JSON "figures" object. */
typedef struct bench_figure {
    const char *key;          /* JSON name, e.g. "answer" */
    char title[128];          /* table text, e.g. "answer a card, 100k cards, WAL" (copied) */
    const char *unit;         /* unit of value and baseline, e.g. "ms" or "steps/s" */
    int higher_is_better;     /* 1 for rates: ratio = value / baseline; 0 for times: baseline / value */
    double value;             /* liballiance, median (NaN: not measured) */
    double baseline;          /* raw SQLite / plain C, median (NaN: none) */
    double ratio;             /* computed by bench_figure_finish (NaN without baseline) */
    const char *target;       /* the target, as text */
    int met;                  /* 1 met, 0 missed, -1 no target could be checked */
    char error[512];          /* non-empty: the measurement failed */
    size_t nfields;
    bench_field fields[BENCH_MAX_FIELDS];
} bench_figure;

/* A new figure in the run's list (never NULL: the list is fixed-size and sized for all figures). */
bench_figure *bench_figure_new(const char *key, const char *title, const char *unit, int higher_is_better,
                               const char *target);
void bench_figure_num(bench_figure *f, const char *name, double value);
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
void bench_figure_text(bench_figure *f, const char *name, const char *fmt, ...);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void bench_figure_fail(bench_figure *f, const char *fmt, ...);
/* Computes the ratio from value and baseline. */
void bench_figure_finish(bench_figure *f);

/* Machine and build description, filled once at start. */
void bench_machine_collect(const bench_config *cfg);
/* Prints the table to `out` (human readable). */
void bench_print_table(FILE *out, const bench_config *cfg);
/* Writes the whole run as one JSON object followed by a newline. */
void bench_write_json(FILE *out, const bench_config *cfg, double total_seconds);
/* Number of figures whose measurement failed. */
size_t bench_error_count(void);

/* Progress lines on stderr (silenced by --json-only). */
extern int bench_verbose;
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
void bench_log(const char *fmt, ...);

/* Resident memory of this process from /proc/self/status ("VmHWM", "VmRSS"), in bytes; -1 if unknown. */
int64_t bench_proc_status_bytes(const char *key);

/* ---- synthetic data (gen.c) ---- */

/* A deterministic generator (splitmix64): the same seed gives the same bytes everywhere. */
typedef struct bench_rng {
    uint64_t s;
} bench_rng;
void bench_rng_seed(bench_rng *r, uint64_t seed);
uint64_t bench_rng_next(bench_rng *r);
uint32_t bench_rng_below(bench_rng *r, uint32_t n); /* uniform in [0, n) */

/* One schedulable card, as the library stores it (a cloze note gives one per deletion number). */
typedef struct bench_card {
    const char *id;           /* "NOTE" or "NOTE::cN" */
    const char *note_id;
    uint32_t ordinal;         /* N for cloze, 0 otherwise */
    uint32_t type;            /* ALLIANCE_CARD_* */
    const char *front;        /* basic front, cloze text, choice question */
    const char *back;         /* basic back, cloze extra, choice answer; "" when absent */
    const char *wrong;        /* choice: options joined by '\n'; "" otherwise */
    const char *tags;         /* "" when absent */
    const char *source_file;  /* "" when absent */
    const char *source_quote; /* "" when absent */
    int64_t position;         /* the note's index in the deck file (0-based) */
} bench_card;

/* A generated deck: its text in the deck format and the rows it must become. */
typedef struct bench_deck {
    char *name;
    char *description;
    char *sources;            /* "FILE | TITLE" lines joined by '\n' */
    char *text;               /* the whole .deck file */
    size_t text_len;
    bench_card *cards;
    size_t ncards;
    size_t nnotes;
    char *arena;              /* every string of cards[] lives here */
} bench_deck;

/* Generates a deck of exactly `ncards` cards (notes of the three types, cloze
 * notes giving one or two cards), from `seed` and the deck number `index`
 * (which also makes its ids unique across the decks of one collection).
 * Returns 0, or -1 when memory ran out. */
int bench_deck_generate(bench_deck *out, uint64_t seed, uint32_t index, size_t ncards);
void bench_deck_free(bench_deck *deck);

/* ---- files (harness.c) ---- */

/* "<dir>/<name>" in a new string (free()). */
char *bench_path(const char *dir, const char *name);
/* Removes a collection and its -wal / -shm files. */
void bench_remove_db(const char *path);
/* Copies a closed collection file (no -wal left) to `to`. 0 or -1 (errno set). */
int bench_copy_file(const char *from, const char *to);
/* Drops the file's pages from the OS page cache (posix_fadvise DONTNEED): a cold
 * start for this file only, without touching the rest of the machine. */
int bench_evict_file(const char *path);

/* ---- collections through the public API (coll.c) ---- */

/* alliance_open with `synchronous` (ALLIANCE_SYNC_*) and UTC offset 0; on failure
 * *out is NULL and err says why. */
int bench_lib_open(alliance_db **out, const char *path, uint32_t synchronous, char *err, size_t errsize);
/* Imports the deck's text (timed into *out_seconds, may be NULL) and checks every card was added. */
int bench_lib_import(alliance_db *db, const bench_deck *deck, double *out_seconds, char *err, size_t errsize);
/* Answers about a tenth of the deck's cards on past days (see coll.c); *out_answers counts the answers. */
int bench_history(alliance_db *db, const bench_deck *deck, uint64_t seed, size_t *out_answers, char *err,
                  size_t errsize);

/* ---- the raw-SQLite baselines (raw.c: the statements of lib/store/sql.c, run directly) ---- */

/* A raw connection with its prepared statements (prepared once and reused,
 * as a careful application would). */
typedef struct bench_raw bench_raw;

/* Opens `path` (a collection the library created) with the library's pragmas. */
int bench_raw_open(bench_raw **out, const char *path, uint32_t synchronous, char *err, size_t errsize);
void bench_raw_close(bench_raw *raw);
sqlite3 *bench_raw_db(bench_raw *raw);
/* The deck's rows (and its deck row) inserted in one transaction, as an import of a new deck writes them. */
int bench_raw_import(bench_raw *raw, const bench_deck *deck, char *err, size_t errsize);
/* A checksum of every stored column of the cards and decks tables. */
int bench_raw_checksum(bench_raw *raw, uint64_t *out, char *err, size_t errsize);
/* One answer in one transaction: read the card, SM-2 step, UPDATE the card, INSERT the log row. */
int bench_raw_answer(bench_raw *raw, const char *card_id, int grade, int64_t now, uint32_t answer_ms, char *err,
                     size_t errsize);
/* A card's schedule as stored (SM-2 state, due/last/buried days, flags, counts, deck). */
int bench_raw_card_state(bench_raw *raw, const char *card_id, int64_t out[12], char *err, size_t errsize);
/* Undoes the newest answer; its card id is copied to id_out. */
int bench_raw_undo(bench_raw *raw, char *id_out, size_t id_size, char *err, size_t errsize);
/* Today's queue with the library's statements: its counts (new, due, repeat
 * into out_counts) and its first `limit` cards in queue order, every column
 * read (*out_ncards of them; the first one's id into first_id). */
int bench_raw_queue(bench_raw *raw, int64_t now, uint32_t limit, uint32_t out_counts[3], uint32_t *out_ncards,
                    char *first_id, size_t first_size, char *err, size_t errsize);
/* The virtual-machine steps each queue statement takes for one build
 * (sqlite3_stmt_status VM_STEP): a plan can "use an index" and still walk a
 * range that grows with the collection; this shows it. */
int bench_raw_queue_work(bench_raw *raw, int64_t now, char *out, size_t size, uint64_t *out_total, char *err,
                         size_t errsize);
/* EXPLAIN QUERY PLAN of every statement the library runs for today's queue:
 * the plans as text into `plans`, whether every one reads the tables through
 * an index (no full table scan), and how many sort in a temporary b-tree. */
int bench_raw_queue_plans(bench_raw *raw, char *plans, size_t plans_size, int *out_indexed, int *out_sorts,
                          char *err, size_t errsize);

/* The baseline's SM-2 step (fig_sm2.c): the library's arithmetic as plain C. */
int bench_sm2_next_plain(const alliance_sm2_params *p, const alliance_sm2_state *in, int grade,
                         alliance_sm2_state *out);

/* The baseline's FSRS step (fig_fsrs.c): the library's formulas as plain C on libm. */
int bench_fsrs_next_plain(const alliance_fsrs_params *p, const alliance_fsrs_state *in, int rating, uint32_t elapsed,
                          alliance_fsrs_state *out);

/* ---- the figures (fig_*.c): each adds its rows with bench_figure_new ---- */

void bench_fig_sm2(const bench_config *cfg);
/* FSRS steps against libm, and against ts-fsrs under node unless --quick (skipped with a note without node). */
void bench_fig_fsrs(const bench_config *cfg);
/* Imports `deck` into fresh collections; leaves the last library-made one at keep_as. */
void bench_fig_import(const bench_config *cfg, const bench_deck *deck, const char *keep_as);
/* fig_apkg.c: importing a 10k-note .apkg with 100k review-log rows, against the same notes as a deck file. */
void bench_fig_apkg(const bench_config *cfg);
/* Answer and undo on the collection at medium_path (made from `deck`, with its history). */
void bench_fig_answer(const bench_config *cfg, const bench_deck *deck, const char *medium_path);
/* Today's queue on a collection, against the raw queries, with the query-plan check. */
void bench_fig_queue(const bench_config *cfg, const char *key, const char *path, uint32_t ncards);
/* Builds the large collection by importing decks of 100k cards (and their history); 0 on success. */
int bench_fig_build_large(const bench_config *cfg, const char *path);
/* Opening the large collection and showing its first card, warm and cold. */
void bench_fig_open(const bench_config *cfg, const char *path);
/* A full export of the medium collection's deck, against raw SQLite reading the same rows. */
void bench_fig_export(const bench_config *cfg, const char *path, const char *deck_name, size_t ncards);
/* alliance_verify over the large collection, against the same check in raw SQLite. */
void bench_fig_verify(const bench_config *cfg, const char *path);
/* Switching the large collection to FSRS and back (seconds), against verify (fig_fsrs_switch.c). */
void bench_fig_fsrs_switch(const bench_config *cfg, const char *path);
/* Peak memory of a fresh process studying the large collection. */
void bench_fig_memory(const bench_config *cfg, const char *path);
/* The child side of bench_fig_memory (alliance-bench --study-child PATH N). */
int bench_memory_child(const char *path, uint32_t answers);

/* Sync (fig_sync.c): incremental syncs of 100 answers at three sizes (a path may be NULL), a clone of the
 * medium collection against a raw row copy, and the peak memory of a process applying the clone. */
void bench_fig_sync(const bench_config *cfg, const char *small_path, uint32_t small_cards, const char *medium_path,
                    const char *large_path);
/* The child side of the clone's memory figure (alliance-bench --clone-child CHANGESET NEWPATH). */
int bench_clone_child(const char *changes_path, const char *dst);

#endif /* ALLIANCE_BENCH_H */
