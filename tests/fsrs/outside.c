/* SPDX-License-Identifier: MIT */
/*
 * An outside program: it includes only <alliance.h>, links the built (or
 * installed) library, and replays the random rating sequences ts-fsrs
 * scheduled (tests/fsrs/vectors.txt, see README.md there) through
 * alliance_fsrs_next, each sequence chained from a new card through its own
 * results; every step is checked for all four ratings, and so are the edge
 * cases of the file.
 *
 * Agreement (the tolerance): stability and difficulty within 1e-6
 * relative, the interval equal unless a rating's unrounded interval lies within
 * 1e-6 (relative) of a rounding boundary; the retrievability before each answer
 * within 1e-6 too. Exit 0 when everything agrees; prints what it compared.
 *
 * Usage: fsrs_outside VECTORS_FILE
 */
#include <alliance.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOLERANCE 1e-6
#define MAX_FIELDS 64
#define MAX_SETS 64

typedef struct params_set {
    char id[16];
    alliance_fsrs_params params;
    double interval_modifier; /* ts-fsrs's: an interval is round(S * this) before its clamps */
} params_set;

typedef struct tally {
    long steps, cases, outcomes, exact, near_boundary, excused, failures;
    double worst; /* the largest relative difference in S or D */
} tally;

static params_set sets[MAX_SETS];
static int nsets;

static const params_set *find_set(const char *id)
{
    for (int i = 0; i < nsets; i++)
        if (strcmp(sets[i].id, id) == 0)
            return &sets[i];
    return NULL;
}

static int split_fields(char *line, char **fields)
{
    int n = 0;
    for (char *tok = strtok(line, " \t\r\n"); tok && n < MAX_FIELDS; tok = strtok(NULL, " \t\r\n"))
        fields[n++] = tok;
    return n;
}

static double num(const char *s)
{
    return strtod(s, NULL); /* JavaScript's shortest round-trip text reads back to the same double */
}

static int close_enough(double got, double want)
{
    return got == want || fabs(got - want) <= TOLERANCE * fabs(want);
}

static double rel_diff(double got, double want)
{
    return got == want ? 0.0 : fabs(got - want) / fabs(want);
}

/* Is S * interval_modifier within 1e-6 (relative) of k + 1/2? */
static int near_boundary(double stability, double modifier)
{
    double u = stability * modifier;
    return fabs(u - (floor(u) + 0.5)) <= TOLERANCE * (u > 1.0 ? u : 1.0);
}

/* One answer from *from after `elapsed` days, for each rating: f[0] is ts-fsrs's
 * retrievability, then S D I for ratings 1..4. Our outcomes go to next[1..4]. */
static void check_answer(tally *t, const char *file, long lineno, const params_set *ps, const alliance_fsrs_state *from,
                         uint32_t elapsed, char **f, alliance_fsrs_state next[5])
{
    double want_r = num(f[0]), got_r = -1;
    int rc = alliance_fsrs_retrievability(&ps->params, from, elapsed, &got_r);
    if (rc != 0 || !close_enough(got_r, want_r)) {
        fprintf(stderr, "%s:%ld: retrievability %.17g (%s), ts-fsrs %.17g\n", file, lineno, got_r,
                alliance_strerror(rc), want_r);
        t->failures++;
    }
    /* Near a boundary for any rating, every interval of the answer may move (they are ordered). */
    int boundary = 0;
    for (int g = 1; g <= 4; g++)
        boundary |= near_boundary(num(f[1 + 3 * (g - 1)]), ps->interval_modifier);
    t->near_boundary += boundary;
    for (int g = 1; g <= 4; g++) {
        double want_s = num(f[1 + 3 * (g - 1)]), want_d = num(f[2 + 3 * (g - 1)]);
        unsigned long want_i = strtoul(f[3 + 3 * (g - 1)], NULL, 10);
        memset(&next[g], 0, sizeof next[g]);
        t->outcomes++;
        rc = alliance_fsrs_next(&ps->params, from, g, elapsed, &next[g]);
        if (rc != 0) {
            fprintf(stderr, "%s:%ld: rating %d: %s\n", file, lineno, g, alliance_strerror(rc));
            t->failures++;
            continue;
        }
        double es = rel_diff(next[g].stability, want_s), ed = rel_diff(next[g].difficulty, want_d);
        t->worst = es > t->worst ? es : t->worst;
        t->worst = ed > t->worst ? ed : t->worst;
        int interval_differs = next[g].interval_days != want_i;
        t->exact += es == 0.0 && ed == 0.0 && !interval_differs;
        t->excused += interval_differs && boundary;
        if (!close_enough(next[g].stability, want_s) || !close_enough(next[g].difficulty, want_d) ||
            (interval_differs && !boundary)) {
            fprintf(stderr, "%s:%ld: rating %d after %u days: ours S=%.17g D=%.17g I=%u, ts-fsrs S=%.17g D=%.17g I=%lu\n",
                    file, lineno, g, elapsed, next[g].stability, next[g].difficulty, next[g].interval_days, want_s,
                    want_d, want_i);
            t->failures++;
        }
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s VECTORS_FILE\n", argv[0]);
        return 2;
    }
    FILE *in = fopen(argv[1], "r");
    if (!in) {
        perror(argv[1]);
        return 2;
    }
    char line[4096];
    char *f[MAX_FIELDS];
    const params_set *cur = NULL;
    alliance_fsrs_state state; /* ours, chained through the sequence */
    tally t = { 0 };
    long lineno = 0, sequences = 0;
    while (fgets(line, sizeof line, in)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n')
            continue;
        int n = split_fields(line, f);
        if (n == 27 && strcmp(f[0], "params") == 0 && nsets < MAX_SETS) {
            params_set *ps = &sets[nsets++];
            snprintf(ps->id, sizeof ps->id, "%s", f[1]);
            if (alliance_fsrs_params_init(&ps->params, ALLIANCE_FSRS_PARAMS_VERSION) != 0) {
                fprintf(stderr, "alliance_fsrs_params_init failed\n");
                return 1;
            }
            ps->params.desired_retention = num(f[2]);
            ps->params.max_interval_days = (uint32_t)strtoul(f[3], NULL, 10);
            for (int i = 0; i < 21; i++)
                ps->params.weights[i] = num(f[4 + i]);
            ps->interval_modifier = num(f[26]);
            int rc = alliance_fsrs_params_check(&ps->params);
            if (rc != 0) {
                fprintf(stderr, "%s:%ld: parameters %s refused: %s\n", argv[1], lineno, ps->id, alliance_strerror(rc));
                t.failures++;
            }
        } else if (n == 3 && strcmp(f[0], "seq") == 0) {
            if (!(cur = find_set(f[2]))) {
                fprintf(stderr, "%s:%ld: unknown parameters %s\n", argv[1], lineno, f[2]);
                return 1;
            }
            memset(&state, 0, sizeof state); /* a new card */
            sequences++;
        } else if (n == 16 && strcmp(f[0], "step") == 0 && cur) {
            int rating = atoi(f[2]);
            if (rating < 1 || rating > 4) {
                fprintf(stderr, "%s:%ld: bad rating %d\n", argv[1], lineno, rating);
                return 1;
            }
            alliance_fsrs_state next[5];
            check_answer(&t, argv[1], lineno, cur, &state, (uint32_t)strtoul(f[1], NULL, 10), f + 3, next);
            state = next[rating];
            t.steps++;
        } else if (n == 18 && strcmp(f[0], "case") == 0) {
            const params_set *ps = find_set(f[1]);
            if (!ps) {
                fprintf(stderr, "%s:%ld: unknown parameters %s\n", argv[1], lineno, f[1]);
                return 1;
            }
            alliance_fsrs_state from = { num(f[2]), num(f[3]), 1 }, next[5];
            check_answer(&t, argv[1], lineno, ps, &from, (uint32_t)strtoul(f[4], NULL, 10), f + 5, next);
            t.cases++;
        } else {
            fprintf(stderr, "%s:%ld: malformed line\n", argv[1], lineno);
            return 1;
        }
    }
    fclose(in);
    printf("fsrs_outside: %ld sequences (%ld answers, chained) and %ld edge cases; %ld outcomes "
           "(every rating of each) against ts-fsrs\n",
           sequences, t.steps, t.cases, t.outcomes);
    printf("  bit-identical (S, D and interval): %ld of %ld; largest relative difference in S or D: %.3g\n", t.exact,
           t.outcomes, t.worst);
    printf("  answers with an unrounded interval within 1e-6 of a rounding boundary: %ld; intervals that differ "
           "there (allowed): %ld\n",
           t.near_boundary, t.excused);
    if (t.steps < 1000 || t.cases < 100 || t.failures) {
        printf("FAIL: %ld disagreements%s\n", t.failures, t.steps < 1000 || t.cases < 100 ? " (or too few read)" : "");
        return 1;
    }
    printf("OK\n");
    return 0;
}
