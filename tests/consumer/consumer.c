/* SPDX-License-Identifier: MIT */
/* An outside program that includes only <alliance.h>: it reproduces the
 * worked SM-2 examples of docs/sm2.md and the start of a ts-fsrs sequence,
 * then answers a card in an in-memory collection (so that a static link must
 * also bring in SQLite and threads).
 * Exit 0 when everything matches. */
#include <alliance.h>
#include <stdio.h>
#include <string.h>

struct example {
    int preset;
    const char *grades;         /* one digit per answer */
    unsigned days_until_due[16];
};

static const struct example examples[] = {
    { ALLIANCE_SM2_SUPERMEMO, "55555", { 1, 6, 17, 50, 150 } },
    { ALLIANCE_SM2_SUPERMEMO, "4334530133453", { 1, 0, 0, 6, 15, 0, 0, 0, 0, 0, 35, 85, 0 } },
    { ALLIANCE_SM2_SUPERMEMO, "4441444", { 1, 6, 15, 0, 1, 6, 15 } },
    { ALLIANCE_SM2_CLASSIC, "55555", { 1, 6, 16, 45, 131 } },
    { ALLIANCE_SM2_CLASSIC, "4441444", { 1, 6, 15, 1, 1, 6, 12 } },
};

/* The start of a random sequence ts-fsrs 5.4.2 scheduled with the default
 * FSRS-6 parameters (tests/fsrs/vectors.txt, seq 0): days since the previous
 * answer, the rating, and ts-fsrs's stability, difficulty and interval. */
struct fsrs_step {
    unsigned elapsed;
    int rating;
    double stability, difficulty;
    unsigned interval;
};

static const struct fsrs_step fsrs_steps[] = {
    { 0, 3, 2.3065, 2.11810397, 3 },          { 3, 3, 13.82690327, 2.11121424, 14 },
    { 14, 3, 56.95670978, 2.1043314, 57 },    { 1, 3, 60.47506896, 2.09745544, 60 },
    { 83, 2, 169.98469165, 4.73915103, 170 }, { 11, 3, 192.16935401, 4.72964025, 192 },
    { 192, 3, 462.34107252, 4.72013898, 462 }, { 0, 1, 5.424186, 8.24977395, 5 },
    { 0, 3, 5.424186, 8.23675255, 6 },        { 6, 1, 0.98070699, 9.40566093, 1 },
    { 2, 1, 0.32896735, 9.78987316, 1 },      { 1, 3, 0.84294959, 9.77531166, 3 },
};

static int within_1e6(double got, double want)
{
    double d = got > want ? got - want : want - got;
    return d <= 1e-6 * want;
}

/* Replays fsrs_steps from a new card: the number of steps that disagree. */
static int fsrs_sequence(void)
{
    alliance_fsrs_params params;
    alliance_fsrs_state state = { 0, 0, 0 };
    int failures = 0;
    if (alliance_fsrs_params_init(&params, ALLIANCE_FSRS_PARAMS_VERSION) != 0)
        return 1;
    for (size_t i = 0; i < sizeof fsrs_steps / sizeof fsrs_steps[0]; i++) {
        const struct fsrs_step *s = &fsrs_steps[i];
        int rc = alliance_fsrs_next(&params, &state, s->rating, s->elapsed, &state);
        if (rc != 0 || !within_1e6(state.stability, s->stability) || !within_1e6(state.difficulty, s->difficulty) ||
            state.interval_days != s->interval) {
            fprintf(stderr, "FSRS answer %zu: rc %d, S %.8f D %.8f I %u; ts-fsrs S %.8f D %.8f I %u\n", i + 1, rc,
                    state.stability, state.difficulty, state.interval_days, s->stability, s->difficulty, s->interval);
            failures++;
        }
    }
    return failures;
}

/* Opens ":memory:", adds one card and answers it: 0, or the failing code. */
static int collection_round_trip(void)
{
    alliance_db *db = NULL;
    alliance_open_options options;
    alliance_note note;
    alliance_sm2_state after;
    int64_t deck = 0;
    const int64_t now = INT64_C(1767614400); /* 2026-01-05 12:00 UTC */
    int rc = alliance_open_options_init(&options, ALLIANCE_OPEN_OPTIONS_VERSION);
    if (rc == 0) {
        options.utc_offset_seconds = 0;
        rc = alliance_open(&db, ":memory:", &options);
    }
    if (rc == 0)
        rc = alliance_deck_id(db, "consumer", 1, &deck);
    if (rc == 0)
        rc = alliance_note_init(&note, ALLIANCE_NOTE_VERSION);
    if (rc == 0) {
        note.type = ALLIANCE_CARD_BASIC;
        note.id = "consumer-1";
        note.front = "What does SM-2 schedule?";
        note.back = "Reviews";
        rc = alliance_note_add(db, deck, &note, now);
    }
    if (rc == 0)
        rc = alliance_answer(db, "consumer-1", 5, now, 0, &after);
    if (rc != 0)
        fprintf(stderr, "collection: %s (%s)\n", alliance_errmsg(db), alliance_strerror(rc));
    else if (after.interval_days != 1) {
        fprintf(stderr, "collection: interval %u after a first perfect answer, expected 1\n", after.interval_days);
        rc = ALLIANCE_ESTATE;
    }
    alliance_close(db);
    return rc;
}

int main(void)
{
    int failures = 0;
    if (alliance_version_number() != ALLIANCE_VERSION_NUMBER) {
        fprintf(stderr, "header %d but library %d\n", ALLIANCE_VERSION_NUMBER, alliance_version_number());
        return 1;
    }
    for (size_t e = 0; e < sizeof examples / sizeof examples[0]; e++) {
        alliance_sm2_params params;
        alliance_sm2_state state;
        if (alliance_sm2_params_init(&params, examples[e].preset) != 0 ||
            alliance_sm2_state_init(&params, &state) != 0) {
            fprintf(stderr, "example %zu: init failed\n", e);
            return 1;
        }
        for (size_t i = 0; i < strlen(examples[e].grades); i++) {
            int grade = examples[e].grades[i] - '0';
            int rc = alliance_sm2_next(&params, &state, grade, &state);
            unsigned due = state.repeat_today ? 0 : state.interval_days;
            if (rc != 0 || due != examples[e].days_until_due[i]) {
                fprintf(stderr, "example %zu answer %zu (grade %d): rc %d, due in %u days, expected %u\n",
                        e, i + 1, grade, rc, due, examples[e].days_until_due[i]);
                failures++;
            }
        }
    }
    failures += fsrs_sequence();
    if (collection_round_trip() != 0)
        failures++;
    printf("liballiance %s: %s\n", alliance_version_string(),
           failures ? "MISMATCH" : "all worked examples and an FSRS sequence match, a collection answers");
    return failures ? 1 : 0;
}
