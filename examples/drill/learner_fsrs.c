/* SPDX-License-Identifier: MIT */
/*
 * learner_fsrs.c - `simulate --days N --scheduler fsrs`: the same simulated
 * learner studies the bundled deck under SM-2 and under FSRS (desired
 * retention 0.9 unless --retention), each in a private in-memory collection,
 * through the public API, and we print what each costs (answers per day) and
 * what it buys (the share of reviews recalled, the deck's recall at the end).
 *
 * The learner's memory must not be either scheduler's own model, or the
 * comparison would only say which model the learner was made of. So it is a
 * third one (docs/fsrs.md, "SM-2 and FSRS on one learner"): every card has a
 * hidden difficulty m in 0.5..1.5 and a hidden stability S (days until its
 * recall falls to 90%); answered e >= 1 days after its last answer it is
 * recalled with probability p = 0.9^(e / S); a new card with 0.5 (the learner
 * has read the articles), a same-day repeat with 0.95 (S unchanged). The first
 * answer sets S = 2/m days if recalled, 0.5/m if not; a later recall
 * multiplies S by 1.2 + 4 (1 - p) / m (the harder the recall, the more it
 * strengthens: the spacing effect), a later failure by 0.3 (at least half a
 * day). A recall is graded 5/4/3 (25/50/25%), a failure 2/1 (50/50%); FSRS
 * reads them as easy/good/hard and again. Every draw is learner.c's hash of
 * (seed, card, review count, purpose), so both schedulers meet the same luck.
 */
#include "drill.h"
#include "bundled_deck.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_DAYS 60
#define MAX_ANSWERS_PER_DAY 5000
#define DEFAULT_START INT64_C(1767603600) /* 2026-01-05 09:00 UTC, as learner.c */
#define REPEAT_RECALL 0.95

typedef struct memory {
    char *id;
    double stability; /* days; 0 before the first answer */
} memory;

typedef struct learner {
    uint64_t seed;
    memory *cards;
    size_t count;
} learner;

typedef struct result {
    uint32_t *per_day;
    uint64_t total;
    uint64_t reviews;     /* answers on a later day than the card's previous one */
    uint64_t recalled;    /* of those, recalled */
    double final_recall;  /* the deck's mean recall probability the day after the last */
    uint32_t cards;
} result;

static int by_id(const void *a, const void *b)
{
    return strcmp(((const memory *)a)->id, ((const memory *)b)->id);
}

static memory *find(learner *l, const char *id)
{
    memory key = {(char *)id, 0};
    return bsearch(&key, l->cards, l->count, sizeof key, by_id);
}

static void learner_free(learner *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->cards[i].id);
    free(l->cards);
    l->cards = NULL;
    l->count = 0;
}

static int fail(alliance_db *db, const char *what)
{
    drill_db_error(db, "simulation: %s", what);
    return -1;
}

/* Every card of the collection, stability 0, sorted by id. */
static int learner_load(alliance_db *db, learner *l)
{
    alliance_card_iter *it = NULL;
    if (alliance_card_search(&it, db, 0, NULL) != ALLIANCE_OK)
        return fail(db, "listing the cards");
    alliance_card *card;
    int rc;
    size_t cap = 0;
    while ((rc = alliance_card_iter_next(it, &card)) == ALLIANCE_OK) {
        if (l->count == cap) {
            cap = cap ? 2 * cap : 256;
            memory *grown = realloc(l->cards, cap * sizeof *grown);
            if (!grown) {
                alliance_free(card);
                break;
            }
            l->cards = grown;
        }
        l->cards[l->count].id = strdup(card->id);
        l->cards[l->count].stability = 0;
        alliance_free(card);
        if (!l->cards[l->count].id)
            break;
        l->count++;
    }
    alliance_card_iter_free(it);
    if (rc != ALLIANCE_DONE) {
        if (rc == ALLIANCE_OK)
            drill_error("out of memory");
        return rc == ALLIANCE_OK ? -1 : fail(db, "listing the cards");
    }
    qsort(l->cards, l->count, sizeof *l->cards, by_id);
    return 0;
}

/* The probability that the learner recalls a card with memory m, last answered on
 * last_day (reviews > 0), on `today`. */
static double recall(const memory *m, int64_t last_day, int64_t today)
{
    int64_t elapsed = today - last_day;
    if (m->stability <= 0)
        return 0.5;
    if (elapsed <= 0)
        return REPEAT_RECALL;
    return pow(0.9, (double)elapsed / m->stability);
}

/* Draws the learner's grade for `card` today and updates its hidden memory. */
static int answer_grade(learner *l, const alliance_card *card, int64_t today, result *out)
{
    memory *m = find(l, card->id);
    if (!m)
        return -1;
    int later_day = card->reviews > 0 && today > card->last_review_day;
    double p = card->reviews == 0 ? 0.5 : recall(m, card->last_review_day, today);
    double u = learner_uniform(l->seed, card->id, card->reviews, 1);
    double g = learner_uniform(l->seed, card->id, card->reviews, 2);
    int recalled = u < p;
    double k = learner_difficulty(l->seed, card->id);
    if (card->reviews == 0 || m->stability <= 0)
        m->stability = (recalled ? 2.0 : 0.5) / k;
    else if (later_day)
        m->stability = recalled ? m->stability * (1.2 + 4.0 * (1.0 - p) / k) : fmax(0.5, m->stability * 0.3);
    if (later_day) {
        out->reviews++;
        out->recalled += (uint64_t)recalled;
    }
    if (recalled)
        return g < 0.25 ? 5 : g < 0.75 ? 4 : 3;
    return g < 0.5 ? 2 : 1;
}

static int study_day(alliance_db *db, learner *l, int64_t now, int64_t today, uint32_t *answers, result *out)
{
    alliance_session *session = NULL;
    if (alliance_session_open(&session, db, 0, now) != ALLIANCE_OK)
        return fail(db, "opening a session");
    alliance_card *card = NULL;
    int rc = ALLIANCE_DONE;
    *answers = 0;
    while (*answers < MAX_ANSWERS_PER_DAY && (rc = alliance_session_next(session, now, &card)) == ALLIANCE_OK) {
        int grade = answer_grade(l, card, today, out);
        rc = grade < 0 ? ALLIANCE_ENOTFOUND : alliance_session_answer(session, card->id, grade, now, 0, NULL);
        alliance_free(card);
        if (rc != ALLIANCE_OK) {
            alliance_session_close(session);
            return fail(db, "answering");
        }
        ++*answers;
        now += 20;
    }
    alliance_session_close(session);
    if (*answers < MAX_ANSWERS_PER_DAY && rc != ALLIANCE_DONE)
        return fail(db, "reading the queue");
    return 0;
}

/* The deck's mean recall probability on `day` (0 for a card never seen). */
static int final_recall(alliance_db *db, learner *l, int64_t day, result *out)
{
    alliance_card_iter *it = NULL;
    if (alliance_card_search(&it, db, 0, NULL) != ALLIANCE_OK)
        return fail(db, "listing the cards");
    alliance_card *card;
    int rc;
    double sum = 0;
    out->cards = 0;
    while ((rc = alliance_card_iter_next(it, &card)) == ALLIANCE_OK) {
        memory *m = find(l, card->id);
        out->cards++;
        if (m && card->reviews > 0)
            sum += recall(m, card->last_review_day, day);
        alliance_free(card);
    }
    alliance_card_iter_free(it);
    if (rc != ALLIANCE_DONE)
        return fail(db, "listing the cards");
    out->final_recall = out->cards ? sum / out->cards : 0;
    return 0;
}

typedef struct run_args {
    uint64_t seed;
    uint32_t days;
    int64_t start;
    int64_t day0;
    double retention; /* FSRS's desired retention */
} run_args;

static int run(uint32_t scheduler, const run_args *a, result *out)
{
    alliance_open_options options;
    alliance_open_options_init(&options, ALLIANCE_OPEN_OPTIONS_VERSION);
    options.utc_offset_seconds = 0;
    alliance_db *db = NULL;
    learner l = {a->seed, NULL, 0};
    int rc = -1;
    if (alliance_open(&db, ":memory:", &options) != ALLIANCE_OK) {
        fail(db, "opening a collection in memory");
        goto done;
    }
    alliance_import_report *report = NULL;
    int irc = alliance_deck_import_buffer(db, drill_bundled_deck_name, (const char *)drill_bundled_deck,
                                          drill_bundled_deck_size, NULL, a->start, &report);
    alliance_free(report);
    if (irc != ALLIANCE_OK) {
        fail(db, "importing the bundled deck");
        goto done;
    }
    if (scheduler == ALLIANCE_SCHEDULER_FSRS) {
        alliance_fsrs_params params;
        if (alliance_fsrs_params_get(db, &params) != ALLIANCE_OK) {
            fail(db, "reading the FSRS parameters");
            goto done;
        }
        params.desired_retention = a->retention;
        if (alliance_fsrs_params_set(db, &params, a->start, NULL) != ALLIANCE_OK ||
            alliance_scheduler_set(db, ALLIANCE_SCHEDULER_FSRS, a->start, NULL) != ALLIANCE_OK) {
            fail(db, "switching to FSRS");
            goto done;
        }
    }
    if (learner_load(db, &l) != 0)
        goto done;
    for (uint32_t d = 0; d < a->days; d++) {
        if (study_day(db, &l, a->start + (int64_t)d * 86400, a->day0 + d, &out->per_day[d], out) != 0)
            goto done;
        out->total += out->per_day[d];
    }
    rc = final_recall(db, &l, a->day0 + a->days, out);
done:
    learner_free(&l);
    alliance_close(db);
    return rc;
}

/* ---- output ---- */

static const char *const names[2] = {"sm2", "fsrs"};

static double retention_of(const result *r)
{
    return r->reviews ? (double)r->recalled / (double)r->reviews : 0.0;
}

static void print_json(const run_args *a, const result *rs)
{
    char date[16];
    timefmt_date(a->day0, date);
    printf("{\"days\": %u, \"seed\": %llu, \"cards\": %u, \"start\": \"%s\", \"desired_retention\": %.4f, "
           "\"schedulers\": [",
           a->days, (unsigned long long)a->seed, rs[0].cards, date, a->retention);
    for (size_t s = 0; s < 2; s++) {
        const result *r = &rs[s];
        printf("%s{\"name\": \"%s\", \"total\": %llu, \"mean_per_day\": %.4f, \"reviews\": %llu, \"recalled\": %llu, "
               "\"retention\": %.4f, \"final_recall\": %.4f, \"reviews_per_day\": [",
               s ? ", " : "", names[s], (unsigned long long)r->total, (double)r->total / a->days,
               (unsigned long long)r->reviews, (unsigned long long)r->recalled, retention_of(r), r->final_recall);
        for (uint32_t d = 0; d < a->days; d++)
            printf("%s%u", d ? ", " : "", r->per_day[d]);
        printf("]}");
    }
    printf("]}\n");
}

static void print_text(const run_args *a, const result *rs)
{
    const char *bold = render_sgr(STYLE_BOLD), *reset = render_sgr(STYLE_RESET);
    char date[16];
    timefmt_date(a->day0, date);
    printf("%sThe same simulated learner%s studies the bundled deck (%u cards) every day for %u days from %s,\n"
           "under SM-2 and under FSRS (desired retention %.2f), seed %llu; the memory model is in\n"
           "alliance-drill(1) and docs/fsrs.md.\n\n",
           bold, reset, rs[0].cards, a->days, date, a->retention, (unsigned long long)a->seed);
    printf("  %sday  date             sm2       fsrs%s\n", bold, reset);
    for (uint32_t d = 0; d < a->days; d++) {
        timefmt_date(a->day0 + d, date);
        printf("  %3u  %s %10u %10u\n", d, date, rs[0].per_day[d], rs[1].per_day[d]);
    }
    printf("\n  %-50s %10llu %10llu\n", "answers in all", (unsigned long long)rs[0].total,
           (unsigned long long)rs[1].total);
    printf("  %-50s %10.1f %10.1f\n", "answers per day (mean)", (double)rs[0].total / a->days,
           (double)rs[1].total / a->days);
    printf("  %-50s %10llu %10llu\n", "reviews (answers on a later day than the last)",
           (unsigned long long)rs[0].reviews, (unsigned long long)rs[1].reviews);
    printf("  %-50s %9.1f%% %9.1f%%\n", "retention (reviews recalled)", 100 * retention_of(&rs[0]),
           100 * retention_of(&rs[1]));
    printf("  %-50s %9.1f%% %9.1f%%\n", "the deck's recall the day after (mean)", 100 * rs[0].final_recall,
           100 * rs[1].final_recall);
}

int cmd_simulate_schedulers(const drill_options *opt)
{
    run_args a = {opt->seed, opt->sim_days ? opt->sim_days : DEFAULT_DAYS, opt->fixed_now ? opt->now : DEFAULT_START,
                  0, opt->retention > 0 ? opt->retention : 0.9};
    if (alliance_day_number(&a.day0, a.start, 0, 4) != ALLIANCE_OK) {
        drill_error("simulation: --now is out of range");
        return DRILL_EXIT_USAGE;
    }
    result rs[2];
    memset(rs, 0, sizeof rs);
    int rc = DRILL_EXIT_OK;
    static const uint32_t schedulers[2] = {ALLIANCE_SCHEDULER_SM2, ALLIANCE_SCHEDULER_FSRS};
    for (size_t s = 0; s < 2 && rc == DRILL_EXIT_OK; s++) {
        rs[s].per_day = calloc(a.days, sizeof *rs[s].per_day);
        if (!rs[s].per_day) {
            drill_error("out of memory");
            rc = DRILL_EXIT_USER;
        } else if (run(schedulers[s], &a, &rs[s]) != 0) {
            rc = DRILL_EXIT_USER;
        }
    }
    if (rc == DRILL_EXIT_OK) {
        if (opt->json)
            print_json(&a, rs);
        else
            print_text(&a, rs);
    }
    for (size_t s = 0; s < 2; s++)
        free(rs[s].per_day);
    return rc;
}
