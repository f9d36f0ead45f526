/* SPDX-License-Identifier: MIT */
/*
 * learner.c - `simulate --days N`: a simulated learner studies the bundled deck
 * every day in a private in-memory collection, through the public API as any
 * app would, and we print what it cost (answers per day) and bought (cards
 * seen in the final week before an exam, the expected exam score).
 *
 * The forgetting model (docs/study-modes.md, "The learner simulation"): every
 * card has a hidden difficulty m in 0.5..1.5; a card answered e days after its
 * last review, with SM-2 interval I >= 1, is recalled with probability
 * 0.9^(e / (m I)); a new card with 0.5; a same-day repeat or a lapsed card
 * with 0.9. A recall is graded 5/4/3 (25/50/25%), a failure 2/1 (50/50%).
 * Every random draw is a hash of (seed, card id, review count, purpose), so a
 * card meets the same luck in every mode: the modes differ only by what they
 * schedule.
 */
#include "drill.h"
#include "bundled_deck.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_DAYS 60
#define DEFAULT_EXAM_IN 21
#define MAX_DAYS 3650
#define MAX_ANSWERS_PER_DAY 5000 /* a safety net: a day never needs this many */
#define FINAL_WEEK 7
/* 2026-01-05 09:00 UTC, a Monday: the default first day, so runs are reproducible. */
#define DEFAULT_START INT64_C(1767603600)

typedef struct mode {
    const char *name;
    const char *what;
    int fuzz; /* alliance_study_settings.fuzz on */
    int exam; /* an exam on the deck on the exam day (alliance_exam_set) */
} mode;

static const mode modes[] = {
    {"plain", "plain SM-2", 0, 0},
    {"fuzz", "SM-2 with deterministic fuzz", 1, 0},
    {"exam", "exam mode: new cards paced, every card seen in the 3 days before the exam", 0, 1},
};
#define NMODES (sizeof modes / sizeof modes[0])

/* What one mode's run measured. */
typedef struct outcome {
    uint32_t *per_day;      /* answers on each day */
    uint64_t total;
    uint32_t cards;         /* cards in the deck */
    uint32_t final_week;    /* cards answered in the week before the exam */
    double exam_score;      /* mean recall probability on the exam day */
} outcome;

/* ---- deterministic randomness ---- */

static uint64_t mix(uint64_t x)
{
    x += UINT64_C(0x9E3779B97F4A7C15);
    x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
    return x ^ (x >> 31);
}

static uint64_t card_hash(uint64_t seed, const char *id)
{
    uint64_t h = UINT64_C(14695981039346656037);
    for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
        h ^= *p;
        h *= UINT64_C(1099511628211);
    }
    return mix(h ^ mix(seed));
}

/* A uniform number in [0, 1) for this card, review and purpose. */
double learner_uniform(uint64_t seed, const char *id, uint32_t reviews, uint32_t purpose)
{
    uint64_t x = mix(card_hash(seed, id) + mix(((uint64_t)reviews << 8) | purpose));
    return (double)(x >> 11) / 9007199254740992.0; /* 2^53 */
}

double learner_difficulty(uint64_t seed, const char *id)
{
    return 0.5 + learner_uniform(seed, id, 0, 0xFF);
}

/* ---- the model ---- */

/* The probability that the learner recalls `card` on day `today`. */
static double recall_probability(uint64_t seed, const alliance_card *card, int64_t today)
{
    if (card->reviews == 0)
        return 0.5;
    int64_t elapsed = today - card->last_review_day;
    if (card->state.interval_days == 0 || card->state.repeat_today || elapsed <= 0)
        return 0.9;
    return pow(0.9, (double)elapsed / (learner_difficulty(seed, card->id) * card->state.interval_days));
}

static int grade_for(uint64_t seed, const alliance_card *card, int64_t today)
{
    double p = recall_probability(seed, card, today);
    double u = learner_uniform(seed, card->id, card->reviews, 1), g = learner_uniform(seed, card->id, card->reviews, 2);
    if (u < p)
        return g < 0.25 ? 5 : g < 0.75 ? 4 : 3;
    return g < 0.5 ? 2 : 1;
}

/* ---- one run ---- */

typedef struct run_args {
    uint64_t seed;
    uint32_t days;
    int64_t start;   /* Unix seconds of the first day's study */
    int64_t day0;    /* its day number (UTC, rollover 4:00, as the collection counts) */
    uint32_t exam_in;
} run_args;

static int fail(alliance_db *db, const char *what)
{
    drill_db_error(db, "simulation: %s", what);
    return -1;
}

/* At the start of the exam day: how many cards were answered in the final week, and the expected score. */
static int measure_exam(alliance_db *db, const run_args *a, int64_t exam_day, outcome *out)
{
    alliance_card_iter *it = NULL;
    if (alliance_card_search(&it, db, 0, NULL) != ALLIANCE_OK)
        return fail(db, "listing the cards");
    alliance_card *card;
    int rc;
    double sum = 0;
    out->cards = out->final_week = 0;
    while ((rc = alliance_card_iter_next(it, &card)) == ALLIANCE_OK) {
        out->cards++;
        if (card->reviews > 0) {
            if (card->last_review_day >= exam_day - FINAL_WEEK)
                out->final_week++;
            sum += recall_probability(a->seed, card, exam_day);
        }
        alliance_free(card);
    }
    alliance_card_iter_free(it);
    if (rc != ALLIANCE_DONE)
        return fail(db, "listing the cards");
    out->exam_score = out->cards ? sum / out->cards : 0;
    return 0;
}

static int study_day(alliance_db *db, const run_args *a, int64_t now, int64_t today, uint32_t *answers)
{
    alliance_session *session = NULL;
    if (alliance_session_open(&session, db, 0, now) != ALLIANCE_OK)
        return fail(db, "opening a session");
    alliance_card *card = NULL;
    int rc;
    *answers = 0;
    while (*answers < MAX_ANSWERS_PER_DAY && (rc = alliance_session_next(session, now, &card)) == ALLIANCE_OK) {
        int grade = grade_for(a->seed, card, today);
        rc = alliance_session_answer(session, card->id, grade, now, 0, NULL);
        alliance_free(card);
        if (rc != ALLIANCE_OK) {
            alliance_session_close(session);
            return fail(db, "answering");
        }
        ++*answers;
        now += 20; /* a card every 20 seconds */
    }
    alliance_session_close(session);
    if (*answers < MAX_ANSWERS_PER_DAY && rc != ALLIANCE_DONE)
        return fail(db, "reading the queue");
    return 0;
}

static int run_mode(const mode *m, const run_args *a, outcome *out)
{
    alliance_open_options options;
    alliance_open_options_init(&options, ALLIANCE_OPEN_OPTIONS_VERSION);
    options.utc_offset_seconds = 0;
    alliance_db *db = NULL;
    if (alliance_open(&db, ":memory:", &options) != ALLIANCE_OK) {
        fail(db, "opening a collection in memory");
        alliance_close(db);
        return -1;
    }
    alliance_import_report *report = NULL;
    int rc = alliance_deck_import_buffer(db, drill_bundled_deck_name, (const char *)drill_bundled_deck,
                                         drill_bundled_deck_size, NULL, a->start, &report);
    int64_t deck_id = rc == ALLIANCE_OK ? report->deck_id : 0;
    alliance_free(report);
    if (rc != ALLIANCE_OK) {
        fail(db, "importing the bundled deck");
        alliance_close(db);
        return -1;
    }
    int64_t day0 = a->day0, exam_day = day0 + a->exam_in;
    alliance_study_settings settings = ALLIANCE_STUDY_SETTINGS_INIT;
    settings.fuzz = m->fuzz ? 1 : 0;
    if (alliance_study_settings_set(db, &settings) != ALLIANCE_OK ||
        (m->exam && alliance_exam_set(db, deck_id, exam_day, 0) != ALLIANCE_OK)) {
        fail(db, "setting the mode up");
        alliance_close(db);
        return -1;
    }
    int measured = 0;
    for (uint32_t d = 0; d < a->days; d++) {
        if (day0 + d == exam_day && measure_exam(db, a, exam_day, out) == 0)
            measured = 1;
        if (study_day(db, a, a->start + (int64_t)d * 86400, day0 + d, &out->per_day[d]) != 0) {
            alliance_close(db);
            return -1;
        }
        out->total += out->per_day[d];
    }
    if (!measured && measure_exam(db, a, exam_day, out) != 0) {
        alliance_close(db);
        return -1;
    }
    alliance_close(db);
    return 0;
}

/* ---- output ---- */

static void print_json(const run_args *a, const outcome *outs)
{
    char date[16];
    printf("{\"days\": %u, \"seed\": %llu, \"cards\": %u, ", a->days, (unsigned long long)a->seed, outs[0].cards);
    timefmt_date(a->day0, date);
    printf("\"start\": \"%s\", \"exam_in\": %u, ", date, a->exam_in);
    timefmt_date(a->day0 + a->exam_in, date);
    printf("\"exam\": \"%s\", \"modes\": [", date);
    for (size_t m = 0; m < NMODES; m++) {
        const outcome *o = &outs[m];
        printf("%s{\"name\": \"%s\", \"total\": %llu, \"final_week_cards\": %u, \"final_week_share\": %.4f, "
               "\"exam_score\": %.4f, \"reviews_per_day\": [",
               m == 0 ? "" : ", ", modes[m].name, (unsigned long long)o->total, o->final_week,
               o->cards ? (double)o->final_week / o->cards : 0.0, o->exam_score);
        for (uint32_t d = 0; d < a->days; d++)
            printf("%s%u", d == 0 ? "" : ", ", o->per_day[d]);
        printf("]}");
    }
    printf("]}\n");
}

static void print_text(const run_args *a, const outcome *outs)
{
    const char *bold = render_sgr(STYLE_BOLD), *reset = render_sgr(STYLE_RESET);
    char date[16], exam[16];
    timefmt_date(a->day0, date);
    timefmt_date(a->day0 + a->exam_in, exam);
    printf("%sA simulated learner%s studies the bundled deck (%u cards) every day for %u days from %s\n"
           "(seed %llu; the forgetting model is in alliance-drill(1)). Exam on %s, day %u.\n\n",
           bold, reset, outs[0].cards, a->days, date, (unsigned long long)a->seed, exam, a->exam_in);
    printf("  %sday  date      ", bold);
    for (size_t m = 0; m < NMODES; m++)
        printf(" %10s", modes[m].name);
    printf("%s\n", reset);
    for (uint32_t d = 0; d < a->days; d++) {
        timefmt_date(a->day0 + d, date);
        printf("  %3u  %s", d, date);
        for (size_t m = 0; m < NMODES; m++)
            printf(" %10u", outs[m].per_day[d]);
        printf("%s\n", d == a->exam_in ? "   <- exam" : "");
    }
    printf("\n  %-42s", "answers in all");
    for (size_t m = 0; m < NMODES; m++)
        printf(" %10llu", (unsigned long long)outs[m].total);
    printf("\n  %-42s", "cards seen in the final week before the exam");
    for (size_t m = 0; m < NMODES; m++)
        printf(" %9.0f%%", outs[m].cards ? 100.0 * outs[m].final_week / outs[m].cards : 0.0);
    printf("\n  %-42s", "expected exam score (mean recall)");
    for (size_t m = 0; m < NMODES; m++)
        printf(" %9.0f%%", 100.0 * outs[m].exam_score);
    printf("\n\n");
    for (size_t m = 0; m < NMODES; m++)
        printf("  %-10s %s\n", modes[m].name, modes[m].what);
}

int cmd_simulate_learner(const drill_options *opt)
{
    run_args a = {opt->seed, opt->sim_days ? opt->sim_days : DEFAULT_DAYS,
                  opt->fixed_now ? opt->now : DEFAULT_START, 0, opt->exam_in ? opt->exam_in : DEFAULT_EXAM_IN};
    if (alliance_day_number(&a.day0, a.start, 0, 4) != ALLIANCE_OK) {
        drill_error("simulation: --now is out of range");
        return DRILL_EXIT_USAGE;
    }
    outcome outs[NMODES];
    memset(outs, 0, sizeof outs);
    int rc = DRILL_EXIT_OK;
    for (size_t m = 0; m < NMODES && rc == DRILL_EXIT_OK; m++) {
        outs[m].per_day = calloc(a.days, sizeof *outs[m].per_day);
        if (outs[m].per_day == NULL) {
            drill_error("out of memory");
            rc = DRILL_EXIT_USER;
        } else if (run_mode(&modes[m], &a, &outs[m]) != 0) {
            rc = DRILL_EXIT_USER;
        }
    }
    if (rc == DRILL_EXIT_OK) {
        if (opt->json)
            print_json(&a, outs);
        else
            print_text(&a, outs);
    }
    for (size_t m = 0; m < NMODES; m++)
        free(outs[m].per_day);
    return rc;
}
