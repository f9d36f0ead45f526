/* SPDX-License-Identifier: MIT */
/*
 * commands.c - the commands other than drilling: import, export, stats, list,
 * search, undo, verify, simulate. Each prints for a person by default and, with
 * --json, one JSON document on stdout for scripts.
 */
#include "drill.h"

#include <errno.h>
#include <unistd.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- JSON output ---- */

static void json_string(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        switch (*p) {
        case '"': fputs("\\\"", stdout); break;
        case '\\': fputs("\\\\", stdout); break;
        case '\n': fputs("\\n", stdout); break;
        case '\r': fputs("\\r", stdout); break;
        case '\t': fputs("\\t", stdout); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                printf("\\u%04x", *p);
            else
                putchar(*p);
        }
    }
    putchar('"');
}

void drill_json_string(const char *s)
{
    json_string(s);
}

/* "key": as the start of a member, with a comma before all but the first. */
static void json_key(int *first, const char *key)
{
    printf("%s\"%s\": ", *first ? "" : ", ", key);
    *first = 0;
}

static void json_str_member(int *first, const char *key, const char *value)
{
    json_key(first, key);
    json_string(value);
}

static void json_int_member(int *first, const char *key, int64_t value)
{
    json_key(first, key);
    printf("%" PRId64, value);
}

/* A double as the shortest JSON number that reads back as the same bits. */
static void json_double(double value)
{
    char text[40];
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(text, sizeof text, "%.*g", digits, value);
        if (strtod(text, NULL) == value)
            break;
    }
    fputs(text, stdout);
}

/* An E-Factor in thousandths as a JSON number (2500 -> 2.5). */
static void json_milli_member(int *first, const char *key, uint32_t milli)
{
    json_key(first, key);
    printf("%u.%03u", milli / 1000, milli % 1000);
}

/* "2.5", "2.36", "1.3" for a person. */
static void format_efactor(char out[16], uint32_t milli)
{
    if (milli % 10 == 0)
        snprintf(out, 16, "%u.%02u", milli / 1000, (milli % 1000) / 10);
    else
        snprintf(out, 16, "%u.%03u", milli / 1000, milli % 1000);
}

/* ---- import ---- */

static void print_report_json(int ok, const alliance_import_report *r, const char *message)
{
    int first = 1;
    printf("{");
    json_key(&first, "ok");
    printf(ok ? "true" : "false");
    if (r != NULL) {
        json_int_member(&first, "deck_id", r->deck_id);
        json_str_member(&first, "deck_name", r->deck_name);
        json_int_member(&first, "added", r->added);
        json_int_member(&first, "updated", r->updated);
        json_int_member(&first, "unchanged", r->unchanged);
        json_int_member(&first, "suspended", r->suspended);
        json_int_member(&first, "error_count", r->error_count);
        if (r->version >= 2) {
            json_key(&first, "decks");
            printf("[");
            for (uint32_t i = 0; i < r->deck_count; i++) {
                const alliance_import_deck *d = r->decks[i];
                int f = 1;
                printf(i ? ", {" : "{");
                json_int_member(&f, "deck_id", d->deck_id);
                json_str_member(&f, "deck_name", d->deck_name);
                json_int_member(&f, "added", d->added);
                json_int_member(&f, "updated", d->updated);
                json_int_member(&f, "unchanged", d->unchanged);
                json_int_member(&f, "suspended", d->suspended);
                printf("}");
            }
            printf("]");
            json_int_member(&first, "media", r->media);
            json_str_member(&first, "notices", r->notices);
        }
        json_key(&first, "errors");
        printf("[");
        int first_error = 1;
        for (const char *p = r->errors; *p != '\0';) {
            size_t len = strcspn(p, "\n");
            if (len > 0) {
                char *line = strndup(p, len);
                if (line != NULL) {
                    printf(first_error ? "" : ", ");
                    json_string(line);
                    first_error = 0;
                    free(line);
                }
            }
            p += len + (p[len] == '\n');
        }
        printf("]");
    }
    if (message != NULL)
        json_str_member(&first, "message", message);
    printf("}\n");
}

void drill_import_error(drill_ctx *ctx, const char *file, const alliance_import_report *report)
{
    if (report != NULL && report->errors[0] != '\0') {
        /* The first "FILE:LINE:COLUMN: message" says where to look; import --json has them all. */
        const char *first = report->errors;
        int len = (int)strcspn(first, "\n");
        if (report->error_count > 1)
            drill_error("cannot import %s: %.*s (and %u more errors; import --json lists them)", file, len, first,
                        report->error_count - 1);
        else
            drill_error("cannot import %s: %.*s", file, len, first);
    } else {
        drill_db_error(ctx->db, "cannot import %s", file);
    }
}

static uint32_t format_named(const char *name)
{
    return strcmp(name, "anki") == 0 ? ALLIANCE_FORMAT_ANKI_TEXT
           : strcmp(name, "apkg") == 0 ? ALLIANCE_FORMAT_APKG : ALLIANCE_FORMAT_DECK;
}

/* The format of a file, from its first bytes (alliance_format_detect); our format if unreadable
 * (the import then says why it cannot read it). */
static uint32_t format_of_file(const char *file)
{
    char head[4096];
    size_t n = 0;
    FILE *f = fopen(file, "rb");
    if (f != NULL) {
        n = fread(head, 1, sizeof head, f);
        fclose(f);
    }
    uint32_t format = ALLIANCE_FORMAT_DECK;
    alliance_format_detect(head, n, &format);
    return format;
}

int cmd_import(drill_ctx *ctx)
{
    const drill_options *opt = ctx->opt;
    const char *file = opt->args[0];
    alliance_import_options options;
    alliance_import_options_init(&options, ALLIANCE_IMPORT_OPTIONS_VERSION);
    options.format = opt->format != NULL ? format_named(opt->format) : format_of_file(file);
    alliance_import_report *report = NULL;
    int rc = alliance_deck_import(ctx->db, file, &options, drill_now(ctx), &report);
    if (rc != ALLIANCE_OK) {
        if (opt->json)
            print_report_json(0, report, alliance_errmsg(ctx->db));
        drill_import_error(ctx, file, report);
        alliance_free(report);
        return DRILL_EXIT_USER;
    }
    if (opt->json) {
        print_report_json(1, report, NULL);
    } else if (report->deck_count > 1) {
        printf("Imported %s into %u decks:\n", file, report->deck_count);
        for (uint32_t i = 0; i < report->deck_count; i++) {
            const alliance_import_deck *d = report->decks[i];
            printf("  %s: %u new, %u updated, %u unchanged", d->deck_name, d->added, d->updated, d->unchanged);
            if (d->suspended > 0)
                printf(", %u suspended (no longer in the file)", d->suspended);
            printf(".\n");
        }
    } else {
        printf("Imported %s into the deck '%s':\n", file, report->deck_name);
        printf("  %u new, %u updated, %u unchanged", report->added, report->updated, report->unchanged);
        if (report->suspended > 0)
            printf(", %u suspended (no longer in the file)", report->suspended);
        printf(".\n");
    }
    if (!opt->json && report->media > 0)
        printf("The package holds %u media files; they are not copied.\n", report->media);
    if (!opt->json && report->notices[0] != '\0')
        printf("Notes:\n%s", report->notices);
    alliance_free(report);
    return DRILL_EXIT_OK;
}

/* ---- the decks of the collection (the API has no deck list: cards tell) ---- */

typedef struct deck_set {
    int64_t ids[64];
    size_t n;
} deck_set;

static int collect_decks(drill_ctx *ctx, deck_set *set)
{
    alliance_card_iter *it = NULL;
    set->n = 0;
    if (alliance_card_search(&it, ctx->db, 0, NULL) != ALLIANCE_OK)
        return -1;
    alliance_card *card;
    int rc;
    while ((rc = alliance_card_iter_next(it, &card)) == ALLIANCE_OK) {
        size_t i = 0;
        while (i < set->n && set->ids[i] != card->deck_id)
            i++;
        if (i == set->n && set->n < sizeof set->ids / sizeof set->ids[0])
            set->ids[set->n++] = card->deck_id;
        alliance_free(card);
    }
    alliance_card_iter_free(it);
    return rc == ALLIANCE_DONE ? 0 : -1;
}

/* ---- export ---- */

static int write_stdout(void *opaque, const char *data, size_t len)
{
    (void)opaque;
    return fwrite(data, 1, len, stdout) == len ? 0 : 1;
}

/* Counts the lines it passes on: the answers of an FSRS export (less the header). */
typedef struct counting_out {
    FILE *file;
    uint64_t lines;
} counting_out;

static int write_counting(void *opaque, const char *data, size_t len)
{
    counting_out *out = opaque;
    for (size_t i = 0; i < len; i++)
        out->lines += data[i] == '\n';
    return fwrite(data, 1, len, out->file) == len ? 0 : 1;
}

/* export --format fsrs-csv: the review log of every deck (or DECK, or --deck's) for the
 * FSRS optimizer; to FILE it is written aside and renamed, as deck exports are. */
static int export_fsrs_csv(drill_ctx *ctx)
{
    const drill_options *opt = ctx->opt;
    int64_t deck_id = ctx->deck_id;
    if (opt->nargs > 0 && alliance_deck_id(ctx->db, opt->args[0], 0, &deck_id) != ALLIANCE_OK) {
        drill_db_error(ctx->db, "no deck called '%s'", opt->args[0]);
        return DRILL_EXIT_USER;
    }
    counting_out out = {stdout, 0};
    char tmp[4096] = "";
    if (opt->output != NULL) {
        if (snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", opt->output) >= (int)sizeof tmp) {
            drill_error("the path %s is too long", opt->output);
            return DRILL_EXIT_USER;
        }
        int fd = mkstemp(tmp);
        if (fd < 0 || (out.file = fdopen(fd, "w")) == NULL) {
            drill_error("cannot create %s: %s", tmp, strerror(errno));
            if (fd >= 0) {
                close(fd);
                unlink(tmp);
            }
            return DRILL_EXIT_USER;
        }
        (void)fchmod(fd, 0644);
    }
    int rc = alliance_review_export_fsrs(ctx->db, deck_id, write_counting, &out);
    int flushed = fflush(out.file) == 0 && !ferror(out.file);
    if (out.file != stdout) {
        flushed = fsync(fileno(out.file)) == 0 && flushed;
        flushed = fclose(out.file) == 0 && flushed;
    }
    const char *where = opt->output != NULL ? opt->output : "stdout";
    if (rc != ALLIANCE_OK || !flushed || (opt->output != NULL && rename(tmp, opt->output) != 0)) {
        if (rc != ALLIANCE_OK)
            drill_db_error(ctx->db, "cannot export the review log to %s", where);
        else
            drill_error("cannot write %s: %s", where, strerror(errno));
        if (opt->output != NULL)
            unlink(tmp);
        return DRILL_EXIT_USER;
    }
    if (opt->output != NULL) {
        alliance_config config;
        alliance_config_init(&config, ALLIANCE_CONFIG_VERSION);
        (void)alliance_config_get(ctx->db, &config);
        char offset[16] = "local";
        if (opt->utc_offset != ALLIANCE_UTC_OFFSET_LOCAL)
            snprintf(offset, sizeof offset, "%c%02d:%02d", opt->utc_offset < 0 ? '-' : '+',
                     abs(opt->utc_offset) / 3600, abs(opt->utc_offset) % 3600 / 60);
        printf("Exported %" PRIu64 " answer%s to %s.\n", out.lines - 1, out.lines == 2 ? "" : "s", opt->output);
        printf("For the optimizer: your days start at %u:00 (next_day_starts_at %u), UTC offset %s.\n",
               config.rollover_hour, config.rollover_hour, offset);
    }
    return DRILL_EXIT_OK;
}

int cmd_export(drill_ctx *ctx)
{
    const drill_options *opt = ctx->opt;
    if (opt->format != NULL && strcmp(opt->format, "fsrs-csv") == 0)
        return export_fsrs_csv(ctx);
    uint32_t format = opt->format != NULL ? format_named(opt->format) : ALLIANCE_FORMAT_DECK;
    int64_t deck_id = ctx->deck_id;
    if (format == ALLIANCE_FORMAT_APKG && opt->output == NULL && isatty(STDOUT_FILENO)) {
        drill_error("an .apkg is a binary file: write it with -o FILE");
        return DRILL_EXIT_USAGE;
    }
    if (opt->nargs > 0) {
        if (alliance_deck_id(ctx->db, opt->args[0], 0, &deck_id) != ALLIANCE_OK) {
            drill_db_error(ctx->db, "no deck called '%s'", opt->args[0]);
            return DRILL_EXIT_USER;
        }
    } else if (deck_id == 0) {
        deck_set set;
        if (collect_decks(ctx, &set) != 0) {
            drill_db_error(ctx->db, "cannot read the cards");
            return DRILL_EXIT_USER;
        }
        if (set.n == 0) {
            drill_error("the collection has no deck to export");
            return DRILL_EXIT_USER;
        }
        /* Anki text and .apkg hold every deck of the collection; our format holds one. */
        if (set.n > 1 && format == ALLIANCE_FORMAT_DECK) {
            drill_error("the collection has %zu decks: name one (export DECK-NAME), use --deck FILE, "
                        "or export them all as --format anki or apkg", set.n);
            return DRILL_EXIT_USER;
        }
        deck_id = set.n > 1 ? 0 : set.ids[0];
    }
    alliance_export_options options;
    alliance_export_options_init(&options, ALLIANCE_EXPORT_OPTIONS_VERSION);
    options.format = format;
    options.flags = opt->subdecks ? ALLIANCE_EXPORT_SUBDECKS : 0;
    int rc;
    if (opt->output != NULL) {
        rc = alliance_export_file(ctx->db, deck_id, &options, drill_now(ctx), opt->output);
    } else {
        rc = alliance_export(ctx->db, deck_id, &options, drill_now(ctx), write_stdout, NULL);
        if (fflush(stdout) != 0 && rc == ALLIANCE_OK) {
            drill_error("cannot write to stdout");
            return DRILL_EXIT_USER;
        }
    }
    if (rc != ALLIANCE_OK) {
        drill_db_error(ctx->db, "cannot export to %s", opt->output != NULL ? opt->output : "stdout");
        return DRILL_EXIT_USER;
    }
    if (opt->output != NULL)
        printf("Exported to %s.\n", opt->output);
    return DRILL_EXIT_OK;
}

/* ---- stats ---- */

#define STATS_WINDOW 30
#define FORECAST_DAYS 30
#define HISTORY_DAYS (HEATMAP_WEEKS * 7) /* what the heatmap shows */
#define YEAR_DAYS 366                    /* what --json lists: today and the 365 days before */

/* One deck's forecast, for the per-deck part of stats. */
typedef struct deck_forecast {
    int64_t id;
    char *name;
    uint32_t days[FORECAST_DAYS];
    alliance_exam_status exam; /* has_exam = 0: none */
} deck_forecast;

/* Everything stats shows. Each figure is read in one snapshot by the library. */
typedef struct stats_view {
    alliance_stats st;
    uint32_t forecast[FORECAST_DAYS];
    uint32_t history[HISTORY_DAYS];
    int64_t today;
    deck_forecast *decks;
    size_t ndecks;
} stats_view;

static void stats_view_free(stats_view *v)
{
    for (size_t i = 0; i < v->ndecks; i++)
        alliance_free(v->decks[i].name);
    free(v->decks);
    free(v);
}

/* Adds deck `id` (its name and forecast) to the view; 0 or -1. */
static int add_deck_forecast(drill_ctx *ctx, stats_view *v, int64_t id, int64_t now)
{
    deck_forecast *bigger = realloc(v->decks, (v->ndecks + 1) * sizeof *bigger);
    if (bigger == NULL)
        return -1;
    v->decks = bigger;
    deck_forecast *d = &v->decks[v->ndecks];
    d->id = id;
    d->name = NULL;
    alliance_exam_status_init(&d->exam, ALLIANCE_EXAM_STATUS_VERSION);
    if (alliance_deck_name(ctx->db, id, &d->name) != ALLIANCE_OK ||
        alliance_forecast_v2(ctx->db, id, now, d->days, FORECAST_DAYS) != ALLIANCE_OK ||
        alliance_exam_get(ctx->db, id, now, &d->exam) != ALLIANCE_OK) {
        alliance_free(d->name);
        return -1;
    }
    v->ndecks++;
    return 0;
}

static int read_stats(drill_ctx *ctx, stats_view *v)
{
    int64_t now = drill_now(ctx);
    alliance_stats_init(&v->st, ALLIANCE_STATS_VERSION);
    if (alliance_stats_get(ctx->db, ctx->deck_id, now, STATS_WINDOW, &v->st) != ALLIANCE_OK ||
        alliance_forecast_v2(ctx->db, ctx->deck_id, now, v->forecast, FORECAST_DAYS) != ALLIANCE_OK ||
        alliance_review_history(ctx->db, ctx->deck_id, now, v->history, HISTORY_DAYS) != ALLIANCE_OK ||
        alliance_today(ctx->db, now, &v->today) != ALLIANCE_OK)
        return -1;
    if (ctx->deck_id != 0)
        return add_deck_forecast(ctx, v, ctx->deck_id, now);
    alliance_deck_iter *it = NULL;
    if (alliance_deck_iter_open(&it, ctx->db, now) != ALLIANCE_OK)
        return -1;
    alliance_deck_info *deck;
    int rc;
    while ((rc = alliance_deck_iter_next(it, &deck)) == ALLIANCE_OK) {
        int added = add_deck_forecast(ctx, v, deck->id, now);
        alliance_free(deck);
        if (added != 0) {
            alliance_deck_iter_free(it);
            return -1;
        }
    }
    alliance_deck_iter_free(it);
    return rc == ALLIANCE_DONE ? 0 : -1;
}

/* "0.8765" or null: a share as a JSON number. */
static void json_ratio_member(int *first, const char *key, uint32_t part, uint32_t whole)
{
    json_key(first, key);
    if (whole > 0)
        printf("%.4f", (double)part / whole);
    else
        printf("null");
}

static void json_counts(const uint32_t *counts, size_t n)
{
    printf("[");
    for (size_t i = 0; i < n; i++)
        printf("%s%u", i == 0 ? "" : ", ", counts[i]);
    printf("]");
}

static void stats_json(const stats_view *v)
{
    const alliance_stats *st = &v->st;
    char date[16];
    timefmt_date(v->today, date);
    int first = 1;
    printf("{");
    json_str_member(&first, "today", date);
    json_int_member(&first, "total", st->total);
    json_int_member(&first, "new", st->new_cards);
    json_int_member(&first, "learned", st->learned);
    json_int_member(&first, "due_today", st->due_today);
    json_int_member(&first, "suspended", st->suspended);
    json_int_member(&first, "leeches", st->leeches);
    json_int_member(&first, "window_days", st->window_days);
    json_int_member(&first, "reviews", st->reviews);
    json_int_member(&first, "correct", st->correct);
    json_ratio_member(&first, "retention", st->correct, st->reviews);
    json_key(&first, "forecast");
    json_counts(v->forecast, FORECAST_DAYS);
    json_int_member(&first, "true_reviews", st->true_reviews);
    json_int_member(&first, "true_passed", st->true_passed);
    json_ratio_member(&first, "true_retention", st->true_passed, st->true_reviews);
    json_int_member(&first, "mature_reviews", st->mature_reviews);
    json_int_member(&first, "mature_passed", st->mature_passed);
    json_ratio_member(&first, "mature_retention", st->mature_passed, st->mature_reviews);
    json_int_member(&first, "timed_answers", st->timed_answers);
    json_key(&first, "average_answer_ms");
    if (st->timed_answers > 0)
        printf("%u", st->average_answer_ms);
    else
        printf("null");
    /* Oldest first, so that the array reads like a calendar. */
    uint32_t year[YEAR_DAYS];
    for (size_t i = 0; i < YEAR_DAYS; i++)
        year[i] = v->history[YEAR_DAYS - 1 - i];
    timefmt_date(v->today - (YEAR_DAYS - 1), date);
    json_key(&first, "reviews_per_day");
    printf("{\"from\": ");
    json_string(date);
    printf(", \"counts\": ");
    json_counts(year, YEAR_DAYS);
    printf("}");
    json_key(&first, "decks");
    printf("[");
    for (size_t i = 0; i < v->ndecks; i++) {
        int dfirst = 1;
        printf("%s{", i == 0 ? "" : ", ");
        json_int_member(&dfirst, "id", v->decks[i].id);
        json_str_member(&dfirst, "name", v->decks[i].name);
        json_key(&dfirst, "forecast");
        json_counts(v->decks[i].days, FORECAST_DAYS);
        json_key(&dfirst, "exam");
        const alliance_exam_status *e = &v->decks[i].exam;
        if (e->has_exam) {
            int efirst = 1;
            printf("{");
            timefmt_date(e->exam_day, date);
            json_str_member(&efirst, "date", date);
            json_int_member(&efirst, "final_days", e->final_days);
            timefmt_date(e->ready_by_day, date);
            json_str_member(&efirst, "ready_by", date);
            json_int_member(&efirst, "new_cards", e->new_cards);
            json_int_member(&efirst, "pace", e->pace);
            json_int_member(&efirst, "introduced_today", e->introduced_today);
            printf("}");
        } else {
            printf("null");
        }
        printf("}");
    }
    printf("]}\n");
}

static uint32_t sum_days(const uint32_t *counts, size_t n)
{
    uint32_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += counts[i];
    return sum;
}

static void stats_text(drill_ctx *ctx, const stats_view *v)
{
    const alliance_stats *st = &v->st;
    const char *bold = render_sgr(STYLE_BOLD), *reset = render_sgr(STYLE_RESET);
    char date[16];
    timefmt_date(v->today, date);
    printf("%s%s%s, %s\n\n", bold, ctx->deck_id != 0 && v->ndecks == 1 ? v->decks[0].name : "All decks", reset,
           date);
    printf("  Cards       %s%u%s  (%u new, %u learned, %u suspended, %u leeches)\n", bold, st->total, reset,
           st->new_cards, st->learned, st->suspended, st->leeches);
    printf("  Due today   %s%u%s\n", bold, st->due_today, reset);
    drill_exam_lines(ctx, "  ");
    if (st->reviews > 0)
        printf("  Retention   %s%.0f%%%s  (%u of %u answers right in the last %u days)\n", bold,
               100.0 * st->correct / st->reviews, reset, st->correct, st->reviews, st->window_days);
    else
        printf("  Retention   -    (no answers in the last %u days)\n", st->window_days);
    if (st->true_reviews > 0) {
        printf("  True retention  %s%.0f%%%s  (%u of %u reviews of learned cards passed", bold,
               100.0 * st->true_passed / st->true_reviews, reset, st->true_passed, st->true_reviews);
        if (st->mature_reviews > 0)
            printf("; mature %.0f%%, %u of %u", 100.0 * st->mature_passed / st->mature_reviews, st->mature_passed,
                   st->mature_reviews);
        printf(")\n");
    } else {
        printf("  True retention  -    (no reviews of learned cards in the last %u days)\n", st->window_days);
    }
    if (st->timed_answers > 0)
        printf("  Answer time %s%.1f s%s on average (%u timed answers)\n", bold, st->average_answer_ms / 1000.0, reset,
               st->timed_answers);

    uint32_t week = sum_days(v->forecast, 7), month = sum_days(v->forecast, FORECAST_DAYS);
    printf("\n%sDue in the next %d days%s  (%u this week, %u in all)\n\n", bold, FORECAST_DAYS, reset, week, month);
    render_forecast(v->forecast, FORECAST_DAYS);
    if (ctx->deck_id == 0 && v->ndecks > 1) {
        printf("\n  %-32s %9s %9s %9s\n", "deck", "today", "7 days", "30 days");
        for (size_t i = 0; i < v->ndecks; i++) {
            printf("  ");
            render_padded(v->decks[i].name, 32); /* in characters: a UTF-8 name is never cut inside one */
            printf(" %9u %9u %9u\n", v->decks[i].days[0], sum_days(v->decks[i].days, 7),
                   sum_days(v->decks[i].days, FORECAST_DAYS));
        }
    }

    uint32_t year = sum_days(v->history, YEAR_DAYS), active = 0;
    for (size_t i = 0; i < YEAR_DAYS; i++)
        active += v->history[i] > 0;
    printf("\n%sReviews per day%s  (%u answers in the last year, on %u day%s)\n\n", bold, reset, year, active,
           active == 1 ? "" : "s");
    render_heatmap(v->history, HISTORY_DAYS, v->today);
}

int cmd_stats(drill_ctx *ctx)
{
    stats_view *v = calloc(1, sizeof *v);
    if (v == NULL) {
        drill_error("out of memory");
        return DRILL_EXIT_USER;
    }
    if (read_stats(ctx, v) != 0) {
        drill_db_error(ctx->db, "cannot read the statistics of %s", ctx->db_path);
        stats_view_free(v);
        return DRILL_EXIT_USER;
    }
    if (ctx->opt->json)
        stats_json(v);
    else
        stats_text(ctx, v);
    stats_view_free(v);
    return DRILL_EXIT_OK;
}

/* ---- list and search ---- */

static void card_json(const alliance_card *c, drill_ctx *ctx)
{
    int first = 1;
    char date[16];
    printf("{");
    json_str_member(&first, "id", c->id);
    json_str_member(&first, "note_id", c->note_id);
    json_str_member(&first, "type", render_type_name(c->type));
    json_int_member(&first, "ordinal", c->ordinal);
    json_int_member(&first, "deck_id", c->deck_id);
    json_str_member(&first, "front", c->front);
    json_str_member(&first, "back", c->back);
    json_str_member(&first, "tags", c->tags);
    json_str_member(&first, "source_file", c->source_file);
    json_key(&first, "suspended");
    printf(c->suspended ? "true" : "false");
    json_key(&first, "leech");
    printf(c->leech ? "true" : "false");
    json_int_member(&first, "repetitions", c->state.repetitions);
    json_milli_member(&first, "efactor", c->state.efactor_milli);
    json_int_member(&first, "interval_days", c->state.interval_days);
    json_key(&first, "repeat_today");
    printf(c->state.repeat_today ? "true" : "false");
    json_int_member(&first, "reviews", c->reviews);
    json_int_member(&first, "lapses", c->lapses);
    json_key(&first, "due_day");
    if (c->reviews > 0)
        printf("%" PRId64, c->due_day);
    else
        printf("null");
    json_key(&first, "due_date");
    if (c->reviews > 0) {
        timefmt_date(c->due_day, date);
        json_string(date);
    } else {
        printf("null");
    }
    json_key(&first, "last_review_date");
    if (c->last_review_day >= 0 && c->reviews > 0) {
        timefmt_date(c->last_review_day, date);
        json_string(date);
    } else {
        printf("null");
    }
    (void)ctx;
    printf("}");
}

/* One card in two lines: its schedule, then the start of its question. */
static void card_line(const alliance_card *c)
{
    char when[32], ef[16];
    if (c->suspended)
        snprintf(when, sizeof when, "suspended");
    else if (c->reviews == 0)
        snprintf(when, sizeof when, "new");
    else
        timefmt_date(c->due_day, when);
    format_efactor(ef, c->state.efactor_milli);
    printf("%s%-32s%s %-6s %-10s %8u %8s %4u\n", render_sgr(STYLE_BOLD), c->id, render_sgr(STYLE_RESET),
           render_type_name(c->type), when, c->state.interval_days, ef, c->state.repetitions);

    alliance_rendered_card *shown = NULL;
    const char *text = c->front;
    alliance_render_options how;
    render_card_options(&how);
    how.flags &= ~ALLIANCE_RENDER_HTML_SGR; /* one plain line per card */
    if (alliance_card_render(&shown, c, &how) == ALLIANCE_OK)
        text = shown->prompt;
    int room = render_width() - 4;
    size_t len = strcspn(text, "\n");
    /* Cut at a character boundary so the line stays short and valid UTF-8. */
    size_t cut = 0;
    int cols = 0;
    while (cut < len && cols < room) {
        cut++;
        while (cut < len && ((unsigned char)text[cut] & 0xC0) == 0x80)
            cut++;
        cols++;
    }
    printf("    %s%.*s%s%s\n", render_sgr(STYLE_DIM), (int)cut, text, cut < len ? "..." : "",
           render_sgr(STYLE_RESET));
    alliance_free(shown);
}

int cmd_list(drill_ctx *ctx, const char *text)
{
    alliance_card_iter *it = NULL;
    if (alliance_card_search(&it, ctx->db, ctx->deck_id, text) != ALLIANCE_OK) {
        drill_db_error(ctx->db, "cannot read the cards");
        return DRILL_EXIT_USER;
    }
    alliance_card *card;
    int rc;
    size_t n = 0;
    if (ctx->opt->json)
        printf("[");
    else
        printf("%s%-32s %-6s %-10s %8s %8s %4s%s\n", render_sgr(STYLE_DIM), "card", "type", "due", "interval",
               "E-Factor", "reps", render_sgr(STYLE_RESET));
    while ((rc = alliance_card_iter_next(it, &card)) == ALLIANCE_OK) {
        if (ctx->opt->json) {
            printf(n == 0 ? "\n  " : ",\n  ");
            card_json(card, ctx);
        } else {
            card_line(card);
        }
        n++;
        alliance_free(card);
    }
    alliance_card_iter_free(it);
    if (rc != ALLIANCE_DONE) {
        if (ctx->opt->json)
            printf("\n]\n");
        drill_db_error(ctx->db, "cannot read the cards");
        return DRILL_EXIT_USER;
    }
    if (ctx->opt->json)
        printf(n == 0 ? "]\n" : "\n]\n");
    else if (text != NULL)
        printf("%zu card%s match '%s'.\n", n, n == 1 ? "" : "s", text);
    else
        printf("%zu card%s.\n", n, n == 1 ? "" : "s");
    return DRILL_EXIT_OK;
}

/* ---- decks: list, rename, delete ---- */

static int deck_named(drill_ctx *ctx, const char *name, int64_t *out)
{
    int rc = alliance_deck_id(ctx->db, name, 0, out);
    if (rc == ALLIANCE_ENOTFOUND) {
        drill_error("no deck called '%s' (alliance-drill decks lists them)", name);
        return DRILL_EXIT_USER;
    }
    if (rc != ALLIANCE_OK) {
        drill_db_error(ctx->db, "cannot read the decks");
        return DRILL_EXIT_USER;
    }
    return DRILL_EXIT_OK;
}

static int decks_list(drill_ctx *ctx)
{
    alliance_deck_iter *it = NULL;
    if (alliance_deck_iter_open(&it, ctx->db, ctx->opt->now) != ALLIANCE_OK) {
        drill_db_error(ctx->db, "cannot read the decks");
        return DRILL_EXIT_USER;
    }
    alliance_deck_info *d;
    int rc;
    size_t n = 0;
    if (ctx->opt->json)
        printf("[");
    else
        printf("%s%-32s %6s %6s %6s %6s %9s%s\n", render_sgr(STYLE_DIM), "deck", "cards", "new", "due", "leech",
               "suspended", render_sgr(STYLE_RESET));
    while ((rc = alliance_deck_iter_next(it, &d)) == ALLIANCE_OK) {
        if (ctx->opt->json) {
            printf(n == 0 ? "\n  {\"id\": %lld, \"name\": " : ",\n  {\"id\": %lld, \"name\": ", (long long)d->id);
            drill_json_string(d->name);
            printf(", \"description\": ");
            drill_json_string(d->description);
            printf(", \"cards\": %u, \"new\": %u, \"learned\": %u, \"due\": %u, \"suspended\": %u, "
                   "\"leeches\": %u}", d->total, d->new_cards, d->learned, d->due_today, d->suspended, d->leeches);
        } else {
            printf("%-32s %6u %6u %6u %6u %9u\n", d->name, d->total, d->new_cards, d->due_today, d->leeches,
                   d->suspended);
        }
        n++;
        alliance_free(d);
    }
    alliance_deck_iter_free(it);
    if (rc != ALLIANCE_DONE) {
        if (ctx->opt->json)
            printf("\n]\n");
        drill_db_error(ctx->db, "cannot read the decks");
        return DRILL_EXIT_USER;
    }
    if (ctx->opt->json)
        printf(n == 0 ? "]\n" : "\n]\n");
    else
        printf("%zu deck%s.\n", n, n == 1 ? "" : "s");
    return DRILL_EXIT_OK;
}

int cmd_decks(drill_ctx *ctx)
{
    const drill_options *opt = ctx->opt;
    const char *action = opt->nargs > 0 ? opt->args[0] : "list";
    int64_t deck = 0;
    int rc;
    if (strcmp(action, "list") == 0)
        return decks_list(ctx);
    if (strcmp(action, "rename") == 0) {
        if ((rc = deck_named(ctx, opt->args[1], &deck)) != DRILL_EXIT_OK)
            return rc;
        rc = alliance_deck_rename(ctx->db, deck, opt->args[2]);
        if (rc == ALLIANCE_EEXISTS) {
            drill_error("there is already a deck called '%s'", opt->args[2]);
            return DRILL_EXIT_USER;
        }
        if (rc != ALLIANCE_OK) {
            drill_db_error(ctx->db, "cannot rename deck '%s'", opt->args[1]);
            return DRILL_EXIT_USER;
        }
        printf("Renamed deck '%s' to '%s'.\n", opt->args[1], opt->args[2]);
        return DRILL_EXIT_OK;
    }
    /* delete */
    if ((rc = deck_named(ctx, opt->args[1], &deck)) != DRILL_EXIT_OK)
        return rc;
    rc = alliance_deck_delete(ctx->db, deck, opt->with_cards ? ALLIANCE_DECK_DELETE_CARDS : 0);
    if (rc == ALLIANCE_EINVAL && !opt->with_cards) {
        drill_error("deck '%s' still has cards: add --with-cards to delete them and their history too",
                    opt->args[1]);
        return DRILL_EXIT_USER;
    }
    if (rc != ALLIANCE_OK) {
        drill_db_error(ctx->db, "cannot delete deck '%s'", opt->args[1]);
        return DRILL_EXIT_USER;
    }
    printf("Deleted deck '%s'%s.\n", opt->args[1], opt->with_cards ? " with its cards and their history" : "");
    return DRILL_EXIT_OK;
}

/* ---- note delete ---- */

int cmd_note(drill_ctx *ctx)
{
    const drill_options *opt = ctx->opt;
    const char *id = opt->args[1];
    int rc = alliance_note_delete(ctx->db, id, opt->keep_history ? ALLIANCE_NOTE_DELETE_KEEP_HISTORY : 0);
    if (rc == ALLIANCE_ENOTFOUND) {
        drill_error("no note '%s' in the collection (alliance-drill list shows the cards and their notes)", id);
        return DRILL_EXIT_USER;
    }
    if (rc != ALLIANCE_OK) {
        drill_db_error(ctx->db, "cannot delete note '%s'", id);
        return DRILL_EXIT_USER;
    }
    if (opt->keep_history)
        printf("Suspended the cards of note '%s' (their history is kept).\n", id);
    else
        printf("Deleted note '%s' with its cards and their history.\n", id);
    return DRILL_EXIT_OK;
}

/* ---- undo ---- */

int cmd_undo(drill_ctx *ctx)
{
    char *id = NULL;
    int rc = alliance_undo(ctx->db, &id);
    if (rc == ALLIANCE_ENOUNDO) {
        drill_error("nothing to undo: no answer is left in the review log");
        return DRILL_EXIT_USER;
    }
    if (rc != ALLIANCE_OK) {
        drill_db_error(ctx->db, "undo failed");
        return DRILL_EXIT_USER;
    }
    printf("Undid the last answer to %s.\n", id);
    alliance_free(id);
    return DRILL_EXIT_OK;
}

/* ---- verify: the collection's health check ---- */

#define VERIFY_SHOWN 10 /* problems and cards named in the output */

static int same_state(const alliance_sm2_state *a, const alliance_sm2_state *b)
{
    return a->repetitions == b->repetitions && a->efactor_milli == b->efactor_milli &&
           a->interval_days == b->interval_days && a->repeat_today == b->repeat_today;
}

/* Whether the card is one alliance_verify counts: it compares the state, the due day, the day
 * of the last review and the number of reviews with the replay of the card's log (a card
 * without a log keeps its stored schedule, and must then have no reviews counted). */
static int card_differs(drill_ctx *ctx, const alliance_card *card)
{
    uint32_t count = 0;
    int64_t last_day = 0;
    alliance_review_iter *it = NULL;
    alliance_review review;
    alliance_review_init(&review, ALLIANCE_REVIEW_VERSION);
    if (alliance_review_iter_open(&it, ctx->db, card->id) != ALLIANCE_OK)
        return 0;
    while (alliance_review_iter_next(it, &review) == ALLIANCE_OK) {
        count++;
        last_day = review.day;
    }
    alliance_review_iter_free(it);
    if (count == 0)
        return card->reviews != 0;
    alliance_sm2_state state;
    int64_t due = 0;
    if (alliance_replay(ctx->db, card->id, &state, &due) != ALLIANCE_OK)
        return 0;
    return !same_state(&state, &card->state) || due != card->due_day || last_day != card->last_review_day ||
           count != card->reviews;
}

/* The ids of the first cards (at most VERIFY_SHOWN) whose schedule is not the replay of their log. */
static size_t find_mismatches(drill_ctx *ctx, char *ids[VERIFY_SHOWN])
{
    size_t n = 0;
    alliance_card_iter *it = NULL;
    if (alliance_card_search(&it, ctx->db, 0, NULL) != ALLIANCE_OK)
        return 0;
    alliance_card *card = NULL;
    while (n < VERIFY_SHOWN && alliance_card_iter_next(it, &card) == ALLIANCE_OK) {
        if (card_differs(ctx, card))
            ids[n++] = strdup(card->id);
        alliance_free(card);
    }
    alliance_card_iter_free(it);
    return n;
}

void cmd_verify_unopened(const char *path, const char *message)
{
    int first = 1;
    printf("{");
    json_key(&first, "ok");
    printf("false");
    json_str_member(&first, "path", path);
    json_str_member(&first, "error", message);
    printf("}\n");
}

int cmd_verify(drill_ctx *ctx)
{
    const int json = ctx->opt->json;
    /* 1. The file, as SQLite sees it. */
    char *report = NULL;
    int integrity = alliance_integrity_check(ctx->db, &report);
    if (integrity != ALLIANCE_OK && integrity != ALLIANCE_ECORRUPT) {
        drill_db_error(ctx->db, "cannot check %s", ctx->db_path);
        return DRILL_EXIT_USER;
    }
    /* 2. Every card against the replay of its review log (tried on a damaged file too). */
    uint64_t mismatches = 0;
    char replay_error[1024] = "";
    int replay = alliance_verify(ctx->db, &mismatches);
    if (replay != ALLIANCE_OK)
        snprintf(replay_error, sizeof replay_error, "%s", alliance_errmsg(ctx->db));
    char *ids[VERIFY_SHOWN];
    size_t shown = replay == ALLIANCE_OK && mismatches > 0 ? find_mismatches(ctx, ids) : 0;
    alliance_stats st;
    alliance_stats_init(&st, ALLIANCE_STATS_VERSION);
    int have_stats = alliance_stats_get(ctx->db, 0, drill_now(ctx), 1, &st) == ALLIANCE_OK;
    int healthy = integrity == ALLIANCE_OK && replay == ALLIANCE_OK && mismatches == 0;

    if (json) {
        int first = 1;
        printf("{");
        json_key(&first, "ok");
        printf(healthy ? "true" : "false");
        json_str_member(&first, "path", ctx->db_path);
        json_key(&first, "integrity");
        printf("[");
        for (const char *p = report != NULL ? report : ""; *p != '\0';) {
            size_t len = strcspn(p, "\n");
            char *line = strndup(p, len);
            if (line != NULL) {
                printf(p == report ? "" : ", ");
                json_string(line);
                free(line);
            }
            p += len + (p[len] == '\n');
        }
        printf("]");
        if (have_stats)
            json_int_member(&first, "cards", st.total);
        json_int_member(&first, "mismatches", (int64_t)mismatches);
        json_key(&first, "first_mismatch");
        if (shown > 0)
            json_string(ids[0]);
        else
            printf("null");
        if (replay != ALLIANCE_OK)
            json_str_member(&first, "replay_error", replay_error);
        printf("}\n");
    } else {
        printf("Checking %s\n", ctx->db_path);
        if (integrity == ALLIANCE_OK) {
            printf("  SQLite integrity_check: ok\n");
        } else {
            size_t lines = 0;
            for (const char *p = report; p != NULL && *p != '\0'; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] != '\0'))
                lines++;
            printf("  SQLite integrity_check: %zu problem%s%s\n", lines, lines == 1 ? "" : "s",
                   lines >= 100 ? " (the first 100)" : "");
            size_t k = 0;
            for (const char *p = report; p != NULL && *p != '\0' && k < VERIFY_SHOWN; k++) {
                size_t len = strcspn(p, "\n");
                printf("    %.*s\n", (int)len, p);
                p += len + (p[len] == '\n');
            }
        }
        if (replay != ALLIANCE_OK) {
            printf("  Schedules: cannot be replayed: %s\n", replay_error);
        } else if (mismatches == 0) {
            printf("  Schedules: %u card%s, each equal to the replay of its review log\n", have_stats ? st.total : 0,
                   have_stats && st.total == 1 ? "" : "s");
        } else {
            printf("  Schedules: %llu of %u cards differ from the replay of their review log:",
                   (unsigned long long)mismatches, have_stats ? st.total : 0);
            for (size_t i = 0; i < shown; i++)
                printf(" %s", ids[i]);
            printf("%s\n", mismatches > shown ? " ..." : "");
        }
        printf(healthy ? "The collection is healthy.\n"
                       : "The collection is damaged: keep a copy of the file before changing anything.\n");
    }
    for (size_t i = 0; i < shown; i++)
        free(ids[i]);
    alliance_free(report);
    return healthy ? DRILL_EXIT_OK : DRILL_EXIT_USER;
}

/* ---- simulate: pure SM-2, no collection ---- */

/* simulate --scheduler fsrs: each rating given on the day the previous one made the card due. */
static int simulate_fsrs(const drill_options *opt)
{
    int ratings[4096];
    size_t n = 0;
    for (int i = 0; i < opt->nargs; i++) {
        for (const char *p = opt->args[i]; *p != '\0'; p++) {
            if (*p == ',' || *p == ' ')
                continue;
            if (*p < '1' || *p > '4') {
                drill_error("bad rating '%s': ratings are 1 again, 2 hard, 3 good, 4 easy (see alliance-drill --help)",
                            opt->args[i]);
                return DRILL_EXIT_USAGE;
            }
            if (n == sizeof ratings / sizeof ratings[0]) {
                drill_error("too many ratings (at most %zu)", n);
                return DRILL_EXIT_USAGE;
            }
            ratings[n++] = *p - '0';
        }
    }
    if (n == 0) {
        drill_error("simulate --scheduler fsrs needs ratings (1-4) (see alliance-drill --help)");
        return DRILL_EXIT_USAGE;
    }
    static const char *const names[] = {"", "again", "hard", "good", "easy"};
    alliance_fsrs_params params;
    alliance_fsrs_params_init(&params, ALLIANCE_FSRS_PARAMS_VERSION);
    if (opt->retention > 0)
        params.desired_retention = opt->retention;
    alliance_fsrs_state state = {0, 0, 0};
    if (opt->json) {
        printf("{\"scheduler\": \"fsrs\", \"desired_retention\": ");
        json_double(params.desired_retention);
        printf(", \"steps\": [");
    } else {
        printf("FSRS-6, default weights, desired retention %g; each answer on its due day.\n\n",
               params.desired_retention);
        printf("  %sstep  rating  elapsed  recall  stability  difficulty  interval%s\n", render_sgr(STYLE_BOLD),
               render_sgr(STYLE_RESET));
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t elapsed = state.interval_days; /* 0 before the first answer */
        double recall = 0;
        int rc = alliance_fsrs_retrievability(&params, &state, elapsed, &recall);
        if (rc == ALLIANCE_OK)
            rc = alliance_fsrs_next(&params, &state, ratings[i], elapsed, &state);
        if (rc != ALLIANCE_OK) {
            if (opt->json)
                printf("]}\n");
            drill_error("FSRS step %zu failed: %s", i + 1, alliance_strerror(rc));
            return DRILL_EXIT_USER;
        }
        if (opt->json) {
            int first = 1;
            printf("%s{", i == 0 ? "" : ", ");
            json_int_member(&first, "step", (int64_t)i + 1);
            json_int_member(&first, "rating", ratings[i]);
            json_int_member(&first, "elapsed_days", elapsed);
            json_key(&first, "retrievability");
            if (i == 0)
                printf("null");
            else
                json_double(recall);
            json_key(&first, "stability");
            json_double(state.stability);
            json_key(&first, "difficulty");
            json_double(state.difficulty);
            json_int_member(&first, "interval_days", state.interval_days);
            printf("}");
        } else {
            char r[16] = "-";
            if (i > 0)
                snprintf(r, sizeof r, "%.1f%%", recall * 100);
            printf("  %4zu  %-6s  %7u  %6s  %9.2f  %10.2f  %4u day%s\n", i + 1, names[ratings[i]], elapsed, r,
                   state.stability, state.difficulty, state.interval_days, state.interval_days == 1 ? "" : "s");
        }
    }
    if (opt->json)
        printf("]}\n");
    return DRILL_EXIT_OK;
}

int cmd_simulate(const drill_options *opt)
{
    if (opt->scheduler != NULL && strcmp(opt->scheduler, "fsrs") == 0)
        return simulate_fsrs(opt);
    int grades[4096];
    size_t n = 0;
    for (int i = 0; i < opt->nargs; i++) {
        /* "5 5 3" or "5,5,3" or "553" all say the same. */
        for (const char *p = opt->args[i]; *p != '\0'; p++) {
            if (*p == ',' || *p == ' ')
                continue;
            if (*p < '0' || *p > '5') {
                drill_error("bad grade '%s': grades are 0 to 5 (see alliance-drill --help)", opt->args[i]);
                return DRILL_EXIT_USAGE;
            }
            if (n == sizeof grades / sizeof grades[0]) {
                drill_error("too many grades (at most %zu)", n);
                return DRILL_EXIT_USAGE;
            }
            grades[n++] = *p - '0';
        }
    }
    if (n == 0) {
        drill_error("simulate needs grades (0-5) (see alliance-drill --help)");
        return DRILL_EXIT_USAGE;
    }
    alliance_sm2_params params;
    alliance_sm2_state state;
    if (alliance_sm2_params_init(&params, opt->preset) != ALLIANCE_OK ||
        alliance_sm2_state_init(&params, &state) != ALLIANCE_OK) {
        drill_error("cannot set up SM-2: %s", alliance_strerror(ALLIANCE_EINVAL));
        return DRILL_EXIT_USER;
    }
    const char *preset = opt->preset == ALLIANCE_SM2_CLASSIC ? "classic" : "supermemo";
    char ef[16];
    if (opt->json) {
        printf("{\"preset\": \"%s\", \"steps\": [", preset);
    } else {
        format_efactor(ef, state.efactor_milli);
        printf("SM-2, %s preset; a new card starts with E-Factor %s.\n\n", preset, ef);
        printf("  %sstep  grade  reps  E-Factor  interval  due in%s\n", render_sgr(STYLE_BOLD),
               render_sgr(STYLE_RESET));
    }
    for (size_t i = 0; i < n; i++) {
        int rc = alliance_sm2_next(&params, &state, grades[i], &state);
        if (rc != ALLIANCE_OK) {
            if (opt->json)
                printf("]}\n");
            drill_error("SM-2 step %zu failed: %s", i + 1, alliance_strerror(rc));
            return DRILL_EXIT_USER;
        }
        uint32_t due_in = state.repeat_today ? 0 : state.interval_days;
        if (opt->json) {
            int first = 1;
            printf("%s{", i == 0 ? "" : ", ");
            json_int_member(&first, "step", (int64_t)i + 1);
            json_int_member(&first, "grade", grades[i]);
            json_int_member(&first, "repetitions", state.repetitions);
            json_milli_member(&first, "efactor", state.efactor_milli);
            json_int_member(&first, "interval_days", state.interval_days);
            json_int_member(&first, "due_in_days", due_in);
            printf("}");
        } else {
            char due[24];
            if (due_in == 0)
                snprintf(due, sizeof due, "today (repeat)");
            else
                snprintf(due, sizeof due, "%u day%s", due_in, due_in == 1 ? "" : "s");
            format_efactor(ef, state.efactor_milli);
            printf("  %4zu  %5d  %4u  %8s  %8u  %s\n", i + 1, grades[i], state.repetitions, ef,
                   state.interval_days, due);
        }
    }
    if (opt->json)
        printf("]}\n");
    return DRILL_EXIT_OK;
}

/* ---- lint ---- */

static void print_lint_json(const char *file, int rc, const alliance_lint_report *r)
{
    int first = 1;
    printf("{");
    json_str_member(&first, "file", file);
    json_key(&first, "ok");
    printf(rc == ALLIANCE_OK && r != NULL && r->warning_count == 0 ? "true" : "false");
    if (r != NULL) {
        json_int_member(&first, "notes", r->note_count);
        json_key(&first, "warnings");
        printf("[");
        for (uint32_t i = 0; i < r->warning_count; i++) {
            const alliance_lint_warning *w = r->warnings[i];
            int wf = 1;
            printf("%s{", i ? ", " : "");
            json_int_member(&wf, "code", w->code);
            json_str_member(&wf, "name", w->name);
            json_int_member(&wf, "line", w->line);
            json_int_member(&wf, "column", w->column);
            json_str_member(&wf, "card", w->note_id);
            json_str_member(&wf, "other_card", w->other_id);
            json_str_member(&wf, "message", w->message);
            printf("}");
        }
        printf("]");
        json_int_member(&first, "error_count", r->error_count);
        json_key(&first, "errors");
        printf("[");
        int first_error = 1;
        for (const char *p = r->errors; *p != '\0';) {
            size_t len = strcspn(p, "\n");
            char *line = len > 0 ? strndup(p, len) : NULL;
            if (line != NULL) {
                printf(first_error ? "" : ", ");
                json_string(line);
                first_error = 0;
                free(line);
            }
            p += len + (p[len] == '\n');
        }
        printf("]");
    } else {
        json_str_member(&first, "message", alliance_strerror(rc));
    }
    printf("}\n");
}

int cmd_lint(const drill_options *opt)
{
    const char *file = opt->args[0];
    size_t len;
    char *data = drill_read_file(file, &len);
    if (data == NULL) {
        drill_error("cannot read %s: %s", file, strerror(errno));
        return DRILL_EXIT_USER;
    }
    alliance_lint_options options;
    alliance_lint_options_init(&options, ALLIANCE_LINT_OPTIONS_VERSION);
    if (opt->format != NULL && strcmp(opt->format, "anki") == 0)
        options.format = ALLIANCE_FORMAT_ANKI_TEXT;
    options.sources_dir = opt->sources;
    alliance_lint_report *report = NULL;
    int rc = alliance_deck_lint(file, data, len, &options, &report);
    free(data);
    if (opt->json) {
        print_lint_json(file, rc, report);
    } else if (report != NULL) {
        fputs(report->text, stdout);
        if (report->error_count > 0) {
            fflush(stdout);
            fputs(report->errors, stderr);
            drill_error("%s has %u error%s: it cannot be imported, nor linted", file, report->error_count,
                        report->error_count == 1 ? "" : "s");
        } else {
            printf("%s: %u cards, %u warning%s%s\n", file, report->note_count, report->warning_count,
                   report->warning_count == 1 ? "" : "s",
                   opt->sources != NULL ? "" : " (quotes not checked: no --sources)");
        }
    } else {
        drill_error("cannot lint %s: %s", file, alliance_strerror(rc));
    }
    int clean = rc == ALLIANCE_OK && report != NULL && report->warning_count == 0;
    alliance_free(report);
    return clean ? DRILL_EXIT_OK : DRILL_EXIT_USER;
}

/* ---- scheduler: SM-2 or FSRS for the collection (docs/fsrs.md) ---- */

/* "w0,w1,...,w20": the 21 weights the FSRS optimizer printed. */
static int parse_weights(const char *text, double *out)
{
    const char *p = text;
    for (int i = 0; i < 21; i++) {
        char *end = NULL;
        errno = 0;
        out[i] = strtod(p, &end);
        if (errno != 0 || end == p)
            return -1;
        while (*end == ' ')
            end++;
        if (i < 20 && *end != ',')
            return -1;
        p = end + (i < 20);
        while (*p == ' ')
            p++;
    }
    return *p == '\0' ? 0 : -1;
}

int cmd_scheduler(drill_ctx *ctx)
{
    const drill_options *opt = ctx->opt;
    alliance_fsrs_params params;
    alliance_fsrs_params_init(&params, ALLIANCE_FSRS_PARAMS_VERSION);
    uint32_t scheduler = ALLIANCE_SCHEDULER_SM2;
    if (alliance_scheduler_get(ctx->db, &scheduler) != ALLIANCE_OK ||
        alliance_fsrs_params_get(ctx->db, &params) != ALLIANCE_OK) {
        drill_db_error(ctx->db, "cannot read the scheduler");
        return DRILL_EXIT_USER;
    }
    if (opt->nargs == 0) {
        printf("scheduler: %s\n", scheduler == ALLIANCE_SCHEDULER_FSRS ? "fsrs" : "sm2");
        printf("FSRS desired retention: %.4g, maximum interval: %u days\nFSRS weights:", params.desired_retention,
               params.max_interval_days);
        for (int i = 0; i < 21; i++) { /* the shortest of 15 or 17 digits that reads back the same */
            char text[40];
            snprintf(text, sizeof text, "%.15g", params.weights[i]);
            if (strtod(text, NULL) != params.weights[i])
                snprintf(text, sizeof text, "%.17g", params.weights[i]);
            printf("%s%s", i ? "," : " ", text);
        }
        printf("\n");
        return DRILL_EXIT_OK;
    }
    int fsrs = strcmp(opt->args[0], "fsrs") == 0;
    if (fsrs && (opt->retention > 0 || opt->weights != NULL)) {
        if (opt->retention > 0)
            params.desired_retention = opt->retention;
        if (opt->weights != NULL && parse_weights(opt->weights, params.weights) != 0) {
            drill_error("bad --weights '%s': 21 numbers separated by commas (w0,...,w20)", opt->weights);
            return DRILL_EXIT_USER;
        }
        alliance_scheduler_report *rep = NULL;
        if (alliance_fsrs_params_set(ctx->db, &params, drill_now(ctx), &rep) != ALLIANCE_OK) {
            drill_db_error(ctx->db, "the FSRS parameters were refused");
            return DRILL_EXIT_USER;
        }
        alliance_free(rep);
    }
    alliance_scheduler_report *rep = NULL;
    uint32_t want = fsrs ? ALLIANCE_SCHEDULER_FSRS : ALLIANCE_SCHEDULER_SM2;
    if (alliance_scheduler_set(ctx->db, want, drill_now(ctx), &rep) != ALLIANCE_OK) {
        drill_db_error(ctx->db, "cannot switch the scheduler");
        return DRILL_EXIT_USER;
    }
    if (want == scheduler)
        printf("The collection is scheduled by %s.\n", fsrs ? "FSRS" : "SM-2");
    else
        printf("Switched to %s: replayed %llu review%s of %llu card%s; due earlier: %llu, later: %llu; "
               "due today: %llu.\n", fsrs ? "FSRS" : "SM-2", (unsigned long long)rep->reviews,
               rep->reviews == 1 ? "" : "s", (unsigned long long)rep->cards, rep->cards == 1 ? "" : "s",
               (unsigned long long)rep->due_earlier, (unsigned long long)rep->due_later,
               (unsigned long long)rep->due_today);
    if (fsrs)
        printf("FSRS desired retention: %.4g. Grade with 1 again, 2 hard, 3 good, 4 easy.\n",
               params.desired_retention);
    alliance_free(rep);
    return DRILL_EXIT_OK;
}
