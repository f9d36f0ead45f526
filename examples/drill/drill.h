/* SPDX-License-Identifier: MIT */
/*
 * drill.h - what the files of alliance-drill share. Not library API: the
 * program uses only <alliance.h>, like any study app would.
 *
 *   main.c      arguments, command dispatch, exit codes
 *   drill.c     the interactive session loop
 *   render.c    terminal output (colour, wrapping, progress, legend, charts)
 *   commands.c  import, export, stats, list, search, undo, verify, simulate, lint
 *   learner.c   simulate --days: the learner simulation
 *   sync.c      sync (with a file, or --remote COMMAND) and serve
 *   input.c     one key at a time (raw terminal, or one line per key)
 *   timefmt.c   --now and --utc-offset parsing, calendar dates
 */
#ifndef DRILL_H
#define DRILL_H

#include <alliance.h>
#include <stdio.h>

/* Exit codes. */
#define DRILL_EXIT_OK    0 /* success */
#define DRILL_EXIT_USER  1 /* a user error: bad file, unknown card, nothing to undo... */
#define DRILL_EXIT_USAGE 2 /* an unknown option or command, a bad --now... */

/* What the command line asked for. */
typedef struct drill_options {
    const char *command;     /* "drill", "import", ... */
    const char *db_path;     /* --db; NULL: the default collection */
    const char *deck_file;   /* --deck; NULL: the bundled deck */
    int64_t now;             /* --now, or the clock when not given */
    int fixed_now;           /* 1 if --now was given: time stands still */
    int32_t utc_offset;      /* --utc-offset, or ALLIANCE_UTC_OFFSET_LOCAL */
    int json;                /* --json */
    const char *format;      /* --format: "deck", "anki" or "apkg" (import: NULL = from the content) */
    int subdecks;            /* export --subdecks */
    int with_cards;          /* decks delete --with-cards */
    int keep_history;        /* note delete --keep-history */
    const char *output;      /* export -o */
    int preset;              /* simulate --preset */
    uint32_t sim_days;       /* simulate --days: the learner simulation (0: not asked for) */
    uint64_t seed;           /* simulate --seed (default 1) */
    uint32_t exam_in;        /* simulate --exam-in: days from the start to the exam (0: default) */
    const char *remote;      /* sync --remote COMMAND */
    const char *scheduler;   /* simulate --scheduler: "sm2" (default) or "fsrs" */
    double retention;        /* --retention (FSRS desired retention); 0 when not given */
    const char *weights;     /* scheduler fsrs --weights: the 21 fitted FSRS weights */
    const char *sources;     /* lint --sources: the folder of the deck's source files */
    char **args;             /* the command's positional arguments */
    int nargs;
    int clear;               /* exam --clear */
    int cram_review;         /* cram --review: a review ahead, not a preview */
    uint32_t cram_ahead;     /* cram --ahead N (0: any card not due) */
} drill_options;

/* An open collection and the scope the command works on. */
typedef struct drill_ctx {
    alliance_db *db;
    const drill_options *opt;
    const char *db_path;     /* the path actually opened */
    int64_t deck_id;         /* 0: every deck */
} drill_ctx;

/* ---- main.c ---- */

/* Prints "alliance-drill: MESSAGE" on stderr, one line. */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
void drill_error(const char *fmt, ...);
/* drill_error() with the collection's alliance_errmsg() appended after ": ". */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void drill_db_error(alliance_db *db, const char *fmt, ...);
/* The time to record: --now, or the clock. */
int64_t drill_now(const drill_ctx *ctx);
/* Milliseconds of a monotonic clock, for durations. */
int64_t drill_clock_ms(void);
/* Reads a whole file into a new buffer (free()); NULL (errno set) on failure. */
char *drill_read_file(const char *path, size_t *out_len);

/* ---- drill.c ---- */
int drill_session(drill_ctx *ctx, const char *welcome);

/* ---- commands.c ---- */
/* The one-line message of a failed import: the first FILE:LINE:COLUMN error, or alliance_errmsg. */
void drill_import_error(drill_ctx *ctx, const char *file, const alliance_import_report *report);
int cmd_import(drill_ctx *ctx);
int cmd_export(drill_ctx *ctx);
int cmd_stats(drill_ctx *ctx);
int cmd_list(drill_ctx *ctx, const char *text);
int cmd_undo(drill_ctx *ctx);
/* decks [list] | decks rename OLD NEW | decks delete NAME [--with-cards] */
int cmd_decks(drill_ctx *ctx);
/* note delete ID [--keep-history] */
int cmd_note(drill_ctx *ctx);
int cmd_scheduler(drill_ctx *ctx);
/* SQLite's integrity_check, then alliance_verify: DRILL_EXIT_OK if healthy, DRILL_EXIT_USER if not. */
int cmd_verify(drill_ctx *ctx);
/* verify --json when the collection could not even be opened (damaged, not a collection...):
 * the same document, "ok": false, with why in "error". */
void cmd_verify_unopened(const char *path, const char *message);
int cmd_simulate(const drill_options *opt);
/* A JSON string literal of s on stdout. */
void drill_json_string(const char *s);

/* ---- sync.c ---- */
int cmd_sync(drill_ctx *ctx);
int cmd_serve(drill_ctx *ctx);
int cmd_lint(const drill_options *opt);

/* ---- learner.c ---- */
/* simulate --days N: a seeded learner studies the bundled deck, per mode. */
int cmd_simulate_learner(const drill_options *opt);
/* The learner's luck, shared by both simulations: a uniform number in [0, 1) for (seed, card,
 * review count, purpose), and a card's hidden difficulty m in 0.5..1.5. */
double learner_uniform(uint64_t seed, const char *id, uint32_t reviews, uint32_t purpose);
double learner_difficulty(uint64_t seed, const char *id);

/* ---- learner_fsrs.c ---- */
/* simulate --days N --scheduler fsrs: the same learner under SM-2 and under FSRS, side by side. */
int cmd_simulate_schedulers(const drill_options *opt);

/* ---- render.c ---- */
typedef enum render_style {
    STYLE_RESET, STYLE_BOLD, STYLE_DIM, STYLE_GREEN, STYLE_RED, STYLE_YELLOW, STYLE_CYAN
} render_style;

/* Decides colour (stdout is a terminal and NO_COLOR is unset or empty) and the width. */
void render_init(void);
/* The escape sequence of a style, or "" without colour. */
const char *render_sgr(render_style style);
/* Columns to wrap text at. */
int render_width(void);
/* Prints text word-wrapped at render_width(), each line starting with `indent`
 * spaces; '\n' in the text starts a new line. */
void render_wrapped(int indent, const char *text);
/* Prints text in exactly `columns` characters: cut after `columns` UTF-8 characters
 * (never inside one), or padded with spaces. */
void render_padded(const char *text, int columns);
/* "7/23 - 3 to repeat" (to_repeat 0: without the part after the dash); no newline. */
void render_progress(unsigned position, unsigned total, unsigned to_repeat);
/* The six SM-2 grades, one line each; `suggested` (0..5) is marked, -1 for none. */
void render_legend(int suggested);
/* The four FSRS ratings (1 again .. 4 easy); `suggested` is a rating or -1. */
void render_legend_fsrs(int suggested);
/* A vertical bar chart of counts[0..n), one column per day, labelled under it. */
void render_forecast(const uint32_t *counts, size_t n);
/* Weeks (columns) of the heatmap: a year and a bit, Monday to Sunday in rows. */
#define HEATMAP_WEEKS 53
/* A heatmap of answers per day: counts[i] = answers on day today - i, i < n
 * (n >= HEATMAP_WEEKS * 7 fills every cell); one column per week. */
void render_heatmap(const uint32_t *counts, size_t n, int64_t today);
/* The library's rendering options for this terminal: HTML fields (from Anki) as
 * text, styled with escape sequences when colour is on. */
void render_card_options(alliance_render_options *options);
/* The display name of a card type: "basic", "cloze", "choice". */
const char *render_type_name(uint32_t type);

/* ---- input.c ---- */
#define INPUT_QUIT  (-1) /* EOF, Ctrl-C, Ctrl-D, a closed terminal */
#define INPUT_ENTER '\n'

/* Sets up keyboard input: raw mode on a terminal (restored by input_close,
 * at exit and on fatal signals), one key per line otherwise. */
void input_open(void);
/* The next key (a byte), INPUT_ENTER, or INPUT_QUIT. On a terminal it echoes nothing. */
int input_key(void);
/* 1 if keys come one per keystroke (a terminal). */
int input_is_terminal(void);
/* Restores the terminal. Safe to call twice. */
void input_close(void);

/* ---- timefmt.c ---- */
/* ISO 8601 ("2026-01-05T09:30:00Z", "+02:00" offsets, "2026-01-05") or Unix seconds.
 * A time without an offset is read in `utc_offset` (or the process time zone when LOCAL).
 * Returns 0, or -1 if `text` is none of these. */
int timefmt_parse_now(const char *text, int32_t utc_offset, int64_t *out);
/* "+02:00", "-0530", "+2", "Z", "UTC" or "local" (ALLIANCE_UTC_OFFSET_LOCAL). 0 or -1. */
int timefmt_parse_offset(const char *text, int32_t *out);
/* The calendar date "YYYY-MM-DD" of a day number (days since 1970-01-01). */
void timefmt_date(int64_t day, char out[16]);
/* A calendar date YYYY-MM-DD as a day number (days since 1970-01-01); 0, or -1 if it is not one. */
int timefmt_parse_date(const char *text, int64_t *out_day);

/* ---- exam.c ---- */
int cmd_exam(drill_ctx *ctx);
/* One line per deck in scope with an exam ahead: "Exam on DATE: N new today to be ready by DATE". */
void drill_exam_lines(drill_ctx *ctx, const char *indent);

#endif /* DRILL_H */
