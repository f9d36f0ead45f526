/* SPDX-License-Identifier: MIT */
/* fsrs: the pure FSRS-6 step, as ts-fsrs computes it (docs/fsrs.md): the
 * committed ts-fsrs vectors, exact bit patterns, refusals, and invariants. */
#include "testutil.h"

#include <fenv.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__) || defined(__SSE2__)
#include <xmmintrin.h>
#define HAVE_MXCSR 1
#endif

#define VECTORS ALLIANCE_SOURCE_DIR "/tests/fsrs/vectors.txt"
#define TOLERANCE 1e-6

/* ---------------------------------------------------------------------------
 * Parameter sets (the first four parameter sets of tests/fsrs/vectors.txt
 * that the bit table uses: P0, P1, P5, P6).
 * ------------------------------------------------------------------------- */

static const double weights_p5[21] = { 50.6584, 45.4011, 65.36, 69.4407, 8.7217, 3.3237, 3.7568,
                                       0.4291, 2.1178, 0.1442, 3.3933, 3.4631, 0.1785, 0.8197,
                                       0.4853, 0.252, 3.4759, 0.094, 1.4227, 0.7881, 0.1 };
static const double weights_p6[21] = { 16.7354, 97.2408, 30.2392, 61.5729, 4.6166, 0.7071, 3.0354,
                                       0.2281, 1.0719, 0.2599, 0.7463, 0.2957, 0.0069, 0.1944,
                                       3.4352, 0.1892, 2.482, 0.3535, 1.5805, 0.576, 0.8 };

static alliance_fsrs_params params_set(int which)
{
    alliance_fsrs_params p;
    ck_assert_int_eq(alliance_fsrs_params_init(&p, ALLIANCE_FSRS_PARAMS_VERSION), 0);
    switch (which) {
    case 1: /* P1: defaults, 80% retention, a one-year cap */
        p.desired_retention = 0.8;
        p.max_interval_days = 365;
        break;
    case 2: /* P5: random weights with the fastest decay */
        memcpy(p.weights, weights_p5, sizeof p.weights);
        break;
    case 3: /* P6: random weights with the slowest decay */
        memcpy(p.weights, weights_p6, sizeof p.weights);
        p.desired_retention = 0.85;
        p.max_interval_days = 3650;
        break;
    default: /* P0: the FSRS-6 defaults */
        break;
    }
    return p;
}

static uint64_t bits_of(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static alliance_fsrs_state poisoned(void)
{
    alliance_fsrs_state s;
    memset(&s, 0xA5, sizeof s);
    return s;
}

/* Field by field, to the bit (a struct copy need not copy the padding after interval_days). */
static int same_state(const alliance_fsrs_state *a, const alliance_fsrs_state *b)
{
    return bits_of(a->stability) == bits_of(b->stability) && bits_of(a->difficulty) == bits_of(b->difficulty) &&
           a->interval_days == b->interval_days;
}

/* ---------------------------------------------------------------------------
 * The ts-fsrs vectors: every answer, from ts-fsrs's own state before it.
 * ------------------------------------------------------------------------- */

typedef struct vec_params {
    char id[16];
    alliance_fsrs_params params;
    double interval_modifier;
} vec_params;

typedef struct vec_tally {
    long answers, outcomes, exact, near_boundary, excused, failures;
    char first_failure[512];
} vec_tally;

static int split_fields(char *line, char **fields, int max)
{
    int n = 0;
    for (char *tok = strtok(line, " \t\r\n"); tok && n < max; tok = strtok(NULL, " \t\r\n"))
        fields[n++] = tok;
    return n;
}

static int agree(double got, double want)
{
    return got == want || fabs(got - want) <= TOLERANCE * fabs(want);
}

/* S * interval_modifier within 1e-6 (relative) of k + 1/2: the interval may round either way. */
static int near_boundary(double stability, double modifier)
{
    double u = stability * modifier;
    return fabs(u - (floor(u) + 0.5)) <= TOLERANCE * (u > 1.0 ? u : 1.0);
}

static void fail_once(vec_tally *t, long lineno, const char *what, int rating, double got, double want)
{
    if (t->failures++ == 0)
        snprintf(t->first_failure, sizeof t->first_failure, "vectors.txt:%ld: rating %d: %s %.17g, ts-fsrs %.17g",
                 lineno, rating, what, got, want);
}

/* f: R, then S D I for ratings 1..4. The outcome of each rating goes to want[1..4]. */
static void check_answer(vec_tally *t, long lineno, const vec_params *vp, const alliance_fsrs_state *from,
                         uint32_t elapsed, char **f, alliance_fsrs_state want[5])
{
    double r = -1;
    int rc = alliance_fsrs_retrievability(&vp->params, from, elapsed, &r);
    if (rc != 0 || !agree(r, strtod(f[0], NULL)))
        fail_once(t, lineno, "retrievability", 0, r, strtod(f[0], NULL));
    int boundary = 0;
    for (int g = 1; g <= 4; g++) {
        want[g].stability = strtod(f[1 + 3 * (g - 1)], NULL);
        want[g].difficulty = strtod(f[2 + 3 * (g - 1)], NULL);
        want[g].interval_days = (uint32_t)strtoul(f[3 + 3 * (g - 1)], NULL, 10);
        boundary |= near_boundary(want[g].stability, vp->interval_modifier);
    }
    t->near_boundary += boundary;
    for (int g = 1; g <= 4; g++) {
        alliance_fsrs_state got = poisoned();
        t->outcomes++;
        rc = alliance_fsrs_next(&vp->params, from, g, elapsed, &got);
        if (rc != 0) {
            fail_once(t, lineno, "return code", g, rc, 0);
            continue;
        }
        t->exact += bits_of(got.stability) == bits_of(want[g].stability) &&
                    bits_of(got.difficulty) == bits_of(want[g].difficulty) &&
                    got.interval_days == want[g].interval_days;
        if (!agree(got.stability, want[g].stability))
            fail_once(t, lineno, "stability", g, got.stability, want[g].stability);
        else if (!agree(got.difficulty, want[g].difficulty))
            fail_once(t, lineno, "difficulty", g, got.difficulty, want[g].difficulty);
        else if (got.interval_days != want[g].interval_days) {
            if (boundary)
                t->excused++;
            else
                fail_once(t, lineno, "interval", g, got.interval_days, want[g].interval_days);
        }
    }
}

START_TEST(every_answer_of_the_vectors_agrees_with_ts_fsrs)
{
    FILE *in = fopen(VECTORS, "r");
    ck_assert_msg(in != NULL, "cannot open %s", VECTORS);
    static vec_params sets[64];
    int nsets = 0;
    const vec_params *cur = NULL;
    alliance_fsrs_state from = { 0, 0, 0 };
    vec_tally t = { 0 };
    long cases = 0, lineno = 0;
    char line[4096], *f[64];
    while (fgets(line, sizeof line, in)) {
        lineno++;
        if (line[0] == '#')
            continue;
        int n = split_fields(line, f, 64);
        if (n == 27 && strcmp(f[0], "params") == 0) {
            ck_assert_int_lt(nsets, 64);
            vec_params *vp = &sets[nsets++];
            snprintf(vp->id, sizeof vp->id, "%s", f[1]);
            ck_assert_int_eq(alliance_fsrs_params_init(&vp->params, ALLIANCE_FSRS_PARAMS_VERSION), 0);
            vp->params.desired_retention = strtod(f[2], NULL);
            vp->params.max_interval_days = (uint32_t)strtoul(f[3], NULL, 10);
            for (int i = 0; i < 21; i++)
                vp->params.weights[i] = strtod(f[4 + i], NULL);
            vp->interval_modifier = strtod(f[26], NULL);
            ck_assert_msg(alliance_fsrs_params_check(&vp->params) == 0, "line %ld: parameters refused", lineno);
        } else if (n == 3 && strcmp(f[0], "seq") == 0) {
            cur = NULL;
            for (int i = 0; i < nsets; i++)
                if (strcmp(sets[i].id, f[2]) == 0)
                    cur = &sets[i];
            ck_assert_msg(cur != NULL, "line %ld: unknown parameters", lineno);
            memset(&from, 0, sizeof from);
        } else if (n == 16 && strcmp(f[0], "step") == 0) {
            ck_assert_msg(cur != NULL, "line %ld: a step before any seq", lineno);
            alliance_fsrs_state want[5];
            int rating = atoi(f[2]);
            ck_assert(rating >= 1 && rating <= 4);
            check_answer(&t, lineno, cur, &from, (uint32_t)strtoul(f[1], NULL, 10), f + 3, want);
            from = want[rating]; /* ts-fsrs's own state, not ours: each answer is checked on its own */
            t.answers++;
        } else if (n == 18 && strcmp(f[0], "case") == 0) {
            const vec_params *vp = NULL;
            for (int i = 0; i < nsets; i++)
                if (strcmp(sets[i].id, f[1]) == 0)
                    vp = &sets[i];
            ck_assert_msg(vp != NULL, "line %ld: unknown parameters", lineno);
            alliance_fsrs_state edge = { strtod(f[2], NULL), strtod(f[3], NULL), 1 }, want[5];
            check_answer(&t, lineno, vp, &edge, (uint32_t)strtoul(f[4], NULL, 10), f + 5, want);
            cases++;
        } else {
            ck_abort_msg("vectors.txt:%ld: malformed line", lineno);
        }
    }
    fclose(in);
    printf("fsrs vectors: %ld answers and %ld edge cases, %ld outcomes, %ld bit-identical; %ld answers near a "
           "rounding boundary, %ld intervals excused there\n",
           t.answers, cases, t.outcomes, t.exact, t.near_boundary, t.excused);
    ck_assert_msg(t.failures == 0, "%ld disagreements; first: %s", t.failures, t.first_failure);
    /* The whole file was read: the counts the generator writes. */
    ck_assert_int_eq(nsets, 13);
    ck_assert_int_eq(t.answers, 2957);
    ck_assert_int_eq(cases, 728);
}
END_TEST

/* ---------------------------------------------------------------------------
 * Exact bits: a table of states, every rating, pinned to the IEEE-754 bits
 * ts-fsrs 5.4.2 gives (tests/fsrs/generate.mjs --bits prints it). The same
 * bits must come out of every build: plain -O2, the -O0 sanitizer build, any
 * compiler, any libm.
 * ------------------------------------------------------------------------- */

typedef struct bit_outcome {
    uint64_t stability, difficulty;
    uint32_t interval;
} bit_outcome;

typedef struct bit_row {
    int set;                 /* params_set() */
    alliance_fsrs_state in;  /* before the answer */
    uint32_t elapsed;
    uint64_t retrievability; /* before the answer */
    bit_outcome out[4];      /* ratings 1..4 */
} bit_row;

static const bit_row bit_rows[] = {
    { 0, { 0, 0, 0 }, 0, UINT64_C(0x0000000000000000),
      { { UINT64_C(0x3fcb22d0e5604189), UINT64_C(0x4019a7381d7dbf48), 1 },
        { UINT64_C(0x3ff4b089a0275254), UINT64_C(0x401472dce0ec138f), 2 },
        { UINT64_C(0x400273b645a1cac1), UINT64_C(0x4000f1e07e856c10), 3 },
        { UINT64_C(0x40209758e219652c), UINT64_C(0x3ff0000000000000), 8 } } },
    { 0, { 3.14159265358979, 4.24242424242424, 3 }, 3, UINT64_C(0x3fece67f608855fa),
      { { UINT64_C(0x3fe7155a4f81c86d), UINT64_C(0x40202f7d3d178d90), 1 },
        { UINT64_C(0x40214800f2993a23), UINT64_C(0x4018a6fec6c4f5e9), 9 },
        { UINT64_C(0x40289215e39713ad), UINT64_C(0x4010ef0314b2699f), 12 },
        { UINT64_C(0x403444529ede5205), UINT64_C(0x40026e0ec3e821bd), 20 } } },
    { 0, { 3.14159265358979, 4.24242424242424, 3 }, 0, UINT64_C(0x3ff0000000000000),
      { { UINT64_C(0x3fe3ad556333d6f2), UINT64_C(0x40202f7d3d178d90), 1 },
        { UINT64_C(0x400921fb53c8d4f1), UINT64_C(0x4018a6fec6c4f5e9), 3 },
        { UINT64_C(0x400921fb53c8d4f1), UINT64_C(0x4010ef0314b2699f), 4 },
        { UINT64_C(0x400921fb53c8d4f1), UINT64_C(0x40026e0ec3e821bd), 5 } } },
    { 0, { 0.001, 10, 1 }, 7, UINT64_C(0x3fd063e6e4fbeda2),
      { { UINT64_C(0x3f50624dd2f1a9fc), UINT64_C(0x4023f86fda587b97), 1 },
        { UINT64_C(0x3f867fc938ee890a), UINT64_C(0x4023f86fda587b97), 2 },
        { UINT64_C(0x3f9206e74fdadeb3), UINT64_C(0x4023f86fda587b97), 3 },
        { UINT64_C(0x3fa06f36999a1a73), UINT64_C(0x4023f86fda587b97), 4 } } },
    { 0, { 36500, 1, 36500 }, 36500, UINT64_C(0x3feccccccccccccd),
      { { UINT64_C(0x4039f079024a5d1b), UINT64_C(0x401c1ba32761eeb2), 26 },
        { UINT64_C(0x40e1d28000000000), UINT64_C(0x40100add13ecc6e8), 36500 },
        { UINT64_C(0x40e1d28000000000), UINT64_C(0x3ff0000000000000), 36501 },
        { UINT64_C(0x40e1d28000000000), UINT64_C(0x3ff0000000000000), 36502 } } },
    { 0, { 36500, 10, 36500 }, 1, UINT64_C(0x3feffff7515abb8d),
      { { UINT64_C(0x403318f7d23414db), UINT64_C(0x4023f86fda587b97), 19 },
        { UINT64_C(0x40e1d28000000000), UINT64_C(0x4023f86fda587b97), 36500 },
        { UINT64_C(0x40e1d28000000000), UINT64_C(0x4023f86fda587b97), 36501 },
        { UINT64_C(0x40e1d28000000000), UINT64_C(0x4023f86fda587b97), 36502 } } },
    { 0, { 100.5, 5.5, 100 }, 99, UINT64_C(0x3fecd53c6d18b229),
      { { UINT64_C(0x400dcecdfa744fde), UINT64_C(0x40210320b704b978), 4 },
        { UINT64_C(0x4066d64b1df60a33), UINT64_C(0x401bfdde644edf0b), 183 },
        { UINT64_C(0x406da59e05641803), UINT64_C(0x4015f57b5a944b26), 237 },
        { UINT64_C(0x407647ac8435036d), UINT64_C(0x400fda30a1b36e82), 356 } } },
    { 0, { 7.25, 9.87654321, 7 }, 365, UINT64_C(0x3fe17c752647bd59),
      { { UINT64_C(0x400025f6d22ee16a), UINT64_C(0x4023e3a9074acd03), 2 },
        { UINT64_C(0x403134e24b0e463f), UINT64_C(0x4023ce79aae6c8f7), 17 },
        { UINT64_C(0x4037ce402c3ff9eb), UINT64_C(0x4023b94a4e82c4ec), 24 },
        { UINT64_C(0x404320e8eba6d79b), UINT64_C(0x4023a41af1c8daa5), 38 } } },
    { 0, { 0.35, 1.5, 1 }, 1, UINT64_C(0x3fea0b9ae8cf0bec),
      { { UINT64_C(0x3fc4a9d2616143e8), UINT64_C(0x401cc3eda102c480), 1 },
        { UINT64_C(0x4006950174495305), UINT64_C(0x40115ec0c785e609), 3 },
        { UINT64_C(0x4011d8bf4c05bd03), UINT64_C(0x3ff7e64fb8241e42), 4 },
        { UINT64_C(0x402019facc8f6538), UINT64_C(0x3ff0000000000000), 8 } } },
    { 0, { 1234.56789012, 2.2, 1235 }, 2000, UINT64_C(0x3feba2ad9478478f),
      { { UINT64_C(0x402376a08cd2e1ba), UINT64_C(0x401daf8918172307), 10 },
        { UINT64_C(0x40a545bcd7208dbf), UINT64_C(0x40133a99295c44cf), 2723 },
        { UINT64_C(0x40acfa97162e9595), UINT64_C(0x40018b527542cd2f), 3709 },
        { UINT64_C(0x40b6ed7c05e36ed0), UINT64_C(0x3ff0000000000000), 5869 } } },
    { 0, { 42, 6, 42 }, 100000, UINT64_C(0x3fd35acb27b11ef1),
      { { UINT64_C(0x401c55b58a100ec1), UINT64_C(0x40215745f3d5245f), 7 },
        { UINT64_C(0x407711ac68bc0123), UINT64_C(0x401d51c217e7fe2c), 369 },
        { UINT64_C(0x40824f3dddabc23b), UINT64_C(0x4017f4f84825b399), 586 },
        { UINT64_C(0x409092b862b1d0f3), UINT64_C(0x4012982e77b79c8f), 1061 } } },
    { 1, { 0, 0, 0 }, 0, UINT64_C(0x0000000000000000),
      { { UINT64_C(0x3fcb22d0e5604189), UINT64_C(0x4019a7381d7dbf48), 1 },
        { UINT64_C(0x3ff4b089a0275254), UINT64_C(0x401472dce0ec138f), 4 },
        { UINT64_C(0x400273b645a1cac1), UINT64_C(0x4000f1e07e856c10), 8 },
        { UINT64_C(0x40209758e219652c), UINT64_C(0x3ff0000000000000), 28 } } },
    { 1, { 3.14159265358979, 4.24242424242424, 3 }, 3, UINT64_C(0x3fece67f608855fa),
      { { UINT64_C(0x3fe7155a4f81c86d), UINT64_C(0x40202f7d3d178d90), 2 },
        { UINT64_C(0x40214800f2993a23), UINT64_C(0x4018a6fec6c4f5e9), 29 },
        { UINT64_C(0x40289215e39713ad), UINT64_C(0x4010ef0314b2699f), 41 },
        { UINT64_C(0x403444529ede5205), UINT64_C(0x40026e0ec3e821bd), 67 } } },
    { 1, { 3.14159265358979, 4.24242424242424, 3 }, 0, UINT64_C(0x3ff0000000000000),
      { { UINT64_C(0x3fe3ad556333d6f2), UINT64_C(0x40202f7d3d178d90), 2 },
        { UINT64_C(0x400921fb53c8d4f1), UINT64_C(0x4018a6fec6c4f5e9), 10 },
        { UINT64_C(0x400921fb53c8d4f1), UINT64_C(0x4010ef0314b2699f), 11 },
        { UINT64_C(0x400921fb53c8d4f1), UINT64_C(0x40026e0ec3e821bd), 12 } } },
    { 1, { 0.001, 10, 1 }, 7, UINT64_C(0x3fd063e6e4fbeda2),
      { { UINT64_C(0x3f50624dd2f1a9fc), UINT64_C(0x4023f86fda587b97), 1 },
        { UINT64_C(0x3f867fc938ee890a), UINT64_C(0x4023f86fda587b97), 2 },
        { UINT64_C(0x3f9206e74fdadeb3), UINT64_C(0x4023f86fda587b97), 3 },
        { UINT64_C(0x3fa06f36999a1a73), UINT64_C(0x4023f86fda587b97), 4 } } },
    { 1, { 36500, 1, 36500 }, 36500, UINT64_C(0x3feccccccccccccd),
      { { UINT64_C(0x4039f079024a5d1b), UINT64_C(0x401c1ba32761eeb2), 86 },
        { UINT64_C(0x40e1d28000000000), UINT64_C(0x40100add13ecc6e8), 365 },
        { UINT64_C(0x40e1d28000000000), UINT64_C(0x3ff0000000000000), 366 },
        { UINT64_C(0x40e1d28000000000), UINT64_C(0x3ff0000000000000), 367 } } },
    { 1, { 36500, 10, 36500 }, 1, UINT64_C(0x3feffff7515abb8d),
      { { UINT64_C(0x403318f7d23414db), UINT64_C(0x4023f86fda587b97), 63 },
        { UINT64_C(0x40e1d28000000000), UINT64_C(0x4023f86fda587b97), 365 },
        { UINT64_C(0x40e1d28000000000), UINT64_C(0x4023f86fda587b97), 366 },
        { UINT64_C(0x40e1d28000000000), UINT64_C(0x4023f86fda587b97), 367 } } },
    { 1, { 100.5, 5.5, 100 }, 99, UINT64_C(0x3fecd53c6d18b229),
      { { UINT64_C(0x400dcecdfa744fde), UINT64_C(0x40210320b704b978), 12 },
        { UINT64_C(0x4066d64b1df60a33), UINT64_C(0x401bfdde644edf0b), 365 },
        { UINT64_C(0x406da59e05641803), UINT64_C(0x4015f57b5a944b26), 366 },
        { UINT64_C(0x407647ac8435036d), UINT64_C(0x400fda30a1b36e82), 367 } } },
    { 1, { 7.25, 9.87654321, 7 }, 365, UINT64_C(0x3fe17c752647bd59),
      { { UINT64_C(0x400025f6d22ee16a), UINT64_C(0x4023e3a9074acd03), 7 },
        { UINT64_C(0x403134e24b0e463f), UINT64_C(0x4023ce79aae6c8f7), 57 },
        { UINT64_C(0x4037ce402c3ff9eb), UINT64_C(0x4023b94a4e82c4ec), 79 },
        { UINT64_C(0x404320e8eba6d79b), UINT64_C(0x4023a41af1c8daa5), 127 } } },
    { 1, { 0.35, 1.5, 1 }, 1, UINT64_C(0x3fea0b9ae8cf0bec),
      { { UINT64_C(0x3fc4a9d2616143e8), UINT64_C(0x401cc3eda102c480), 1 },
        { UINT64_C(0x4006950174495305), UINT64_C(0x40115ec0c785e609), 9 },
        { UINT64_C(0x4011d8bf4c05bd03), UINT64_C(0x3ff7e64fb8241e42), 15 },
        { UINT64_C(0x402019facc8f6538), UINT64_C(0x3ff0000000000000), 27 } } },
    { 1, { 1234.56789012, 2.2, 1235 }, 2000, UINT64_C(0x3feba2ad9478478f),
      { { UINT64_C(0x402376a08cd2e1ba), UINT64_C(0x401daf8918172307), 32 },
        { UINT64_C(0x40a545bcd7208dbf), UINT64_C(0x40133a99295c44cf), 365 },
        { UINT64_C(0x40acfa97162e9595), UINT64_C(0x40018b527542cd2f), 366 },
        { UINT64_C(0x40b6ed7c05e36ed0), UINT64_C(0x3ff0000000000000), 367 } } },
    { 1, { 42, 6, 42 }, 100000, UINT64_C(0x3fd35acb27b11ef1),
      { { UINT64_C(0x401c55b58a100ec1), UINT64_C(0x40215745f3d5245f), 23 },
        { UINT64_C(0x407711ac68bc0123), UINT64_C(0x401d51c217e7fe2c), 365 },
        { UINT64_C(0x40824f3dddabc23b), UINT64_C(0x4017f4f84825b399), 366 },
        { UINT64_C(0x409092b862b1d0f3), UINT64_C(0x4012982e77b79c8f), 367 } } },
    { 2, { 0, 0, 0 }, 0, UINT64_C(0x0000000000000000),
      { { UINT64_C(0x404954467381d7dc), UINT64_C(0x40217182a9930be1), 45 },
        { UINT64_C(0x4046b3573eab367a), UINT64_C(0x3ff0000000000000), 46 },
        { UINT64_C(0x4050570a3d70a3d7), UINT64_C(0x3ff0000000000000), 65 },
        { UINT64_C(0x40515c346dc5d639), UINT64_C(0x3ff0000000000000), 69 } } },
    { 2, { 3.14159265358979, 4.24242424242424, 3 }, 3, UINT64_C(0x3fece2ccc3bd8485),
      { { UINT64_C(0x400921fb53c8d4f1), UINT64_C(0x3ff0000000000000), 3 },
        { UINT64_C(0x4031e4feddc110d7), UINT64_C(0x3ff0000000000000), 18 },
        { UINT64_C(0x404ed7abd2d727f0), UINT64_C(0x3ff0000000000000), 62 },
        { UINT64_C(0x4069d43c7b0ae333), UINT64_C(0x3ff0000000000000), 207 } } },
    { 2, { 3.14159265358979, 4.24242424242424, 3 }, 0, UINT64_C(0x3ff0000000000000),
      { { UINT64_C(0x400921fb53c8d4f1), UINT64_C(0x3ff0000000000000), 3 },
        { UINT64_C(0x400921fb53c8d4f1), UINT64_C(0x3ff0000000000000), 4 },
        { UINT64_C(0x400921fb53c8d4f1), UINT64_C(0x3ff0000000000000), 5 },
        { UINT64_C(0x400921fb53c8d4f1), UINT64_C(0x3ff0000000000000), 6 } } },
    { 2, { 0.001, 10, 1 }, 7, UINT64_C(0x3fd8cdf13a1478de),
      { { UINT64_C(0x3f50624dd2f1a9fc), UINT64_C(0x3ff0000000000000), 1 },
        { UINT64_C(0x3fa4cfb158a80ccf), UINT64_C(0x3ff0000000000000), 2 },
        { UINT64_C(0x3fc4442573d7e90b), UINT64_C(0x3ff0000000000000), 3 },
        { UINT64_C(0x3fe18816341eeb7e), UINT64_C(0x3ff0000000000000), 4 } } },
    { 2, { 36500, 1, 36500 }, 36500, UINT64_C(0x3feccccccccccccd),
      { { UINT64_C(0x40d37e4375e2b039), UINT64_C(0x3ff0000000000000), 19961 },
        { UINT64_C(0x40e1d28000000000), UINT64_C(0x3ff0000000000000), 36500 },
        { UINT64_C(0x40e1d28000000000), UINT64_C(0x3ff0000000000000), 36501 },
        { UINT64_C(0x40e1d28000000000), UINT64_C(0x3ff0000000000000), 36502 } } },
    { 2, { 36500, 10, 36500 }, 1, UINT64_C(0x3feffff543388ee8),
      { { UINT64_C(0x40c89f72f192946d), UINT64_C(0x3ff0000000000000), 12607 },
        { UINT64_C(0x40e1d28000000000), UINT64_C(0x3ff0000000000000), 36500 },
        { UINT64_C(0x40e1d28000000000), UINT64_C(0x3ff0000000000000), 36501 },
        { UINT64_C(0x40e1d28000000000), UINT64_C(0x3ff0000000000000), 36502 } } },
    { 2, { 100.5, 5.5, 100 }, 99, UINT64_C(0x3fecd4017f310d94),
      { { UINT64_C(0x4059200000000000), UINT64_C(0x3ff0000000000000), 101 },
        { UINT64_C(0x40752a3e17072d9c), UINT64_C(0x3ff0000000000000), 339 },
        { UINT64_C(0x40905600a511c7d4), UINT64_C(0x3ff0000000000000), 1046 },
        { UINT64_C(0x40aa7274939e57ef), UINT64_C(0x3ff0000000000000), 3385 } } },
    { 2, { 7.25, 9.87654321, 7 }, 365, UINT64_C(0x3fe44b26496ad810),
      { { UINT64_C(0x401d000000000000), UINT64_C(0x3ff0000000000000), 7 },
        { UINT64_C(0x40436628756a0f68), UINT64_C(0x3ff0000000000000), 39 },
        { UINT64_C(0x40608e1bf27f38f0), UINT64_C(0x3ff0000000000000), 132 },
        { UINT64_C(0x407ba66adcb29df7), UINT64_C(0x3ff0000000000000), 442 } } },
    { 2, { 0.35, 1.5, 1 }, 1, UINT64_C(0x3fea9ad8e990a7d8),
      { { UINT64_C(0x3fd6666666666666), UINT64_C(0x3ff0000000000000), 1 },
        { UINT64_C(0x401a6c8e8d211046), UINT64_C(0x3ff0000000000000), 7 },
        { UINT64_C(0x40392cea118131c4), UINT64_C(0x3ff0000000000000), 25 },
        { UINT64_C(0x4055a9025f80c40b), UINT64_C(0x3ff0000000000000), 87 } } },
    { 2, { 1234.56789012, 2.2, 1235 }, 2000, UINT64_C(0x3febd6e9305abbb8),
      { { UINT64_C(0x4091169785444d0c), UINT64_C(0x3ff0000000000000), 1094 },
        { UINT64_C(0x40b67c1cecca6e23), UINT64_C(0x3ff0000000000000), 5756 },
        { UINT64_C(0x40d2ba4d423d8775), UINT64_C(0x3ff0000000000000), 19177 },
        { UINT64_C(0x40e1d28000000000), UINT64_C(0x3ff0000000000000), 36500 } } },
    { 2, { 42, 6, 42 }, 100000, UINT64_C(0x3fdba0e8add3e342),
      { { UINT64_C(0x4045000000000000), UINT64_C(0x3ff0000000000000), 42 },
        { UINT64_C(0x40983a6aef25115c), UINT64_C(0x3ff0000000000000), 1551 },
        { UINT64_C(0x40b78c8687a8d64d), UINT64_C(0x3ff0000000000000), 6029 },
        { UINT64_C(0x40d45ca418c3c63e), UINT64_C(0x3ff0000000000000), 20851 } } },
    { 3, { 0, 0, 0 }, 0, UINT64_C(0x0000000000000000),
      { { UINT64_C(0x4030bc432ca57a78), UINT64_C(0x40127765fd8adaba), 27 },
        { UINT64_C(0x40584f694467381d), UINT64_C(0x400cb53ed7d716fe), 156 },
        { UINT64_C(0x403e3d3c36113405), UINT64_C(0x3ff80df2d4c94584), 157 },
        { UINT64_C(0x404ec954c985f06f), UINT64_C(0x3ff0000000000000), 158 } } },
    { 3, { 3.14159265358979, 4.24242424242424, 3 }, 3, UINT64_C(0x3fecedc4aef119b3),
      { { UINT64_C(0x3fc0949fdfaed1ba), UINT64_C(0x40169a801c6ff836), 1 },
        { UINT64_C(0x400e4f011b5dff65), UINT64_C(0x40109b9f2549bb8b), 6 },
        { UINT64_C(0x401a3ea2da600853), UINT64_C(0x4005397c5c46fdc0), 10 },
        { UINT64_C(0x4027420987125872), UINT64_C(0x3ff27774dea43ab2), 19 } } },
    { 3, { 3.14159265358979, 4.24242424242424, 3 }, 0, UINT64_C(0x3ff0000000000000),
      { { UINT64_C(0x3fb7d8fbaf386750), UINT64_C(0x40169a801c6ff836), 1 },
        { UINT64_C(0x400921fb53c8d4f1), UINT64_C(0x40109b9f2549bb8b), 5 },
        { UINT64_C(0x400921fb53c8d4f1), UINT64_C(0x4005397c5c46fdc0), 6 },
        { UINT64_C(0x400921fb53c8d4f1), UINT64_C(0x3ff27774dea43ab2), 7 } } },
    { 3, { 0.001, 10, 1 }, 7, UINT64_C(0x3f707c8cc3725b11),
      { { UINT64_C(0x3f50624dd2f1a9fc), UINT64_C(0x401c63ad9c5aea06), 1 },
        { UINT64_C(0x3f7320cc28621ed9), UINT64_C(0x401c63ad9c5aea06), 2 },
        { UINT64_C(0x3f94e3003febd34d), UINT64_C(0x401c63ad9c5aea06), 3 },
        { UINT64_C(0x3fa929614d4ce4e0), UINT64_C(0x401c63ad9c5aea06), 4 } } },
    { 3, { 36500, 1, 36500 }, 36500, UINT64_C(0x3feccccccccccccd),
      { { UINT64_C(0x40065f066f04f080), UINT64_C(0x4013585d0e4df683), 4 },
        { UINT64_C(0x40e1d28000000000), UINT64_C(0x4003f2361590b5f0), 3650 },
        { UINT64_C(0x40e1d28000000000), UINT64_C(0x3ff0000000000000), 3651 },
        { UINT64_C(0x40e1d28000000000), UINT64_C(0x3ff0000000000000), 3652 } } },
    { 3, { 36500, 10, 36500 }, 1, UINT64_C(0x3feffff98511a23f),
      { { UINT64_C(0x3fff3c09c11eeeae), UINT64_C(0x401c63ad9c5aea06), 3 },
        { UINT64_C(0x40e1d28000000000), UINT64_C(0x401c63ad9c5aea06), 3650 },
        { UINT64_C(0x40e1d28000000000), UINT64_C(0x401c63ad9c5aea06), 3651 },
        { UINT64_C(0x40e1d28000000000), UINT64_C(0x401c63ad9c5aea06), 3652 } } },
    { 3, { 100.5, 5.5, 100 }, 99, UINT64_C(0x3fecd7ae5cf52383),
      { { UINT64_C(0x3fe318e99b649fe8), UINT64_C(0x4017de0555547045), 1 },
        { UINT64_C(0x405ae2cc478148eb), UINT64_C(0x40132e645391a27f), 172 },
        { UINT64_C(0x4061375398b91ef0), UINT64_C(0x400cfd86a39da974), 220 },
        { UINT64_C(0x40681cdf5bd06055), UINT64_C(0x40039e44a0180de9), 309 } } },
    { 3, { 7.25, 9.87654321, 7 }, 365, UINT64_C(0x3fc80af591e7f470),
      { { UINT64_C(0x400339c65fcb41b2), UINT64_C(0x401c43eb0343ac52), 4 },
        { UINT64_C(0x4022fba48c10efe7), UINT64_C(0x401c2301a2ed5558), 15 },
        { UINT64_C(0x403318e1efc9a6fe), UINT64_C(0x401c021841eb31e8), 31 },
        { UINT64_C(0x404253cea8da7f3d), UINT64_C(0x401be12ee194daee), 59 } } },
    { 3, { 0.35, 1.5, 1 }, 1, UINT64_C(0x3fe86aecb2f12e81),
      { { UINT64_C(0x3fa478295c6fc286), UINT64_C(0x4013d8fdf9c075d1), 1 },
        { UINT64_C(0x3fea245dcd909711), UINT64_C(0x4005fe0d7b12c5d5), 2 },
        { UINT64_C(0x40068b320286980a), UINT64_C(0x3ff0000000000000), 5 },
        { UINT64_C(0x4019e6e795a5ef12), UINT64_C(0x3ff0000000000000), 10 } } },
    { 3, { 1234.56789012, 2.2, 1235 }, 2000, UINT64_C(0x3feb268d6832ef41),
      { { UINT64_C(0x3ff7af77af64063a), UINT64_C(0x40148d12764f3ca9), 2 },
        { UINT64_C(0x40950e64f22fddbe), UINT64_C(0x4008db6e3c1dbd80), 2156 },
        { UINT64_C(0x409c9fed3ed9da7c), UINT64_C(0x3ff1396f173a035c), 2932 },
        { UINT64_C(0x40a53ab2a6d8c757), UINT64_C(0x3ff0000000000000), 3650 } } },
    { 3, { 42, 6, 42 }, 100000, UINT64_C(0x3f8380af3ceef3be),
      { { UINT64_C(0x4022e82c45ae3507), UINT64_C(0x40185ea640c6ef93), 15 },
        { UINT64_C(0x4056849cbcaef271), UINT64_C(0x401434500652aa72), 144 },
        { UINT64_C(0x4072814a812d920a), UINT64_C(0x401009f9cbde6551), 474 },
        { UINT64_C(0x40850506b34008da), UINT64_C(0x4007bf4722d4405f), 1076 } } },
};

#define NBITROWS (sizeof bit_rows / sizeof bit_rows[0])

START_TEST(bits_are_exactly_pinned)
{
    const bit_row *row = &bit_rows[_i];
    alliance_fsrs_params p = params_set(row->set);
    double r = -1;
    ck_assert_int_eq(alliance_fsrs_retrievability(&p, &row->in, row->elapsed, &r), 0);
    ck_assert_msg(bits_of(r) == row->retrievability, "row %d: R %a", _i, r);
    for (int g = 1; g <= 4; g++) {
        alliance_fsrs_state out = poisoned();
        ck_assert_int_eq(alliance_fsrs_next(&p, &row->in, g, row->elapsed, &out), 0);
        ck_assert_msg(bits_of(out.stability) == row->out[g - 1].stability &&
                          bits_of(out.difficulty) == row->out[g - 1].difficulty &&
                          out.interval_days == row->out[g - 1].interval,
                      "row %d rating %d: S %a (0x%016llx) D %a (0x%016llx) I %u", _i, g, out.stability,
                      (unsigned long long)bits_of(out.stability), out.difficulty,
                      (unsigned long long)bits_of(out.difficulty), out.interval_days);
    }
}
END_TEST

/* ---------------------------------------------------------------------------
 * A few answers worked by hand (docs/fsrs.md, "A worked example").
 * ------------------------------------------------------------------------- */

START_TEST(the_worked_example_of_the_docs)
{
    alliance_fsrs_params p = ALLIANCE_FSRS_PARAMS_INIT;
    alliance_fsrs_state s = { 0, 0, 0 };
    /* New card, Good: S0 = w2, D0(3) = w4 - e^(2 w5) + 1, interval round(2.3065) = 2, raised to
     * hard's 2 + 1 = 3 (hard's own round(1.2931) = 1 lies below again + 1 = 2). */
    ck_assert_int_eq(alliance_fsrs_next(&p, &s, ALLIANCE_FSRS_GOOD, 0, &s), 0);
    ck_assert(s.stability == 2.3065);
    ck_assert(s.difficulty == 2.11810397);
    ck_assert_uint_eq(s.interval_days, 3);
    /* Three days later R = (1 + 0.98034649 * 3 / 2.3065)^-0.1542, rounded to 8 decimals. */
    double r;
    ck_assert_int_eq(alliance_fsrs_retrievability(&p, &s, 3, &r), 0);
    ck_assert(r == 0.88094796);
    ck_assert_int_eq(alliance_fsrs_next(&p, &s, ALLIANCE_FSRS_GOOD, 3, &s), 0);
    ck_assert(s.stability == 13.82690327);
    ck_assert(s.difficulty == 2.11121424);
    ck_assert_uint_eq(s.interval_days, 14);
    /* On time after a stability of S, R is 0.9 (the desired retention). */
    alliance_fsrs_state t = { 14, 5, 14 };
    ck_assert_int_eq(alliance_fsrs_retrievability(&p, &t, 14, &r), 0);
    ck_assert(r == 0.9);
}
END_TEST

/* ---------------------------------------------------------------------------
 * Invariants over long random runs.
 * ------------------------------------------------------------------------- */

static uint64_t rng_state;
static uint32_t rng_below(uint32_t n)
{
    rng_state += UINT64_C(0x9e3779b97f4a7c15);
    uint64_t z = rng_state;
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return (uint32_t)((z ^ (z >> 31)) % n);
}

/* ck_assert in a hot loop costs a system call each (Check records every passed
 * check): the loop collects its first failure instead. */
#define INVARIANT(cond)                                                                       \
    do {                                                                                      \
        if (!(cond) && !failed[0])                                                            \
            snprintf(failed, sizeof failed, "step %d rating %d: %s (S %.17g D %.17g I %u)", step, \
                     g, #cond, s.stability, s.difficulty, s.interval_days);                     \
    } while (0)

START_TEST(long_random_runs_keep_every_invariant)
{
    alliance_fsrs_params p = params_set(_i);
    rng_state = (uint64_t)_i * 7919u + 1;
    alliance_fsrs_state s = { 0, 0, 0 };
    char failed[256] = "";
    int reached_cap = 0;
    for (int step = 0; step < 20000 && !failed[0]; step++) {
        uint32_t elapsed = s.stability == 0 ? 0
                           : rng_below(4) == 0 ? rng_below(3) /* early or the same day */
                                               : s.interval_days + rng_below(s.interval_days + 1);
        alliance_fsrs_state out[5];
        int g = 0;
        for (g = 1; g <= 4; g++) {
            INVARIANT(alliance_fsrs_next(&p, &s, g, elapsed, &out[g]) == 0);
            INVARIANT(out[g].stability >= 0.001 && out[g].stability <= 36500);
            INVARIANT(out[g].difficulty >= 1 && out[g].difficulty <= 10);
            INVARIANT(out[g].interval_days >= 1);
            INVARIANT(out[g].interval_days <= p.max_interval_days + (uint32_t)(g >= 2 ? g - 1 : 0));
        }
        /* again <= hard < good < easy */
        INVARIANT(out[1].interval_days <= out[2].interval_days);
        INVARIANT(out[2].interval_days < out[3].interval_days);
        INVARIANT(out[3].interval_days < out[4].interval_days);
        if (s.stability != 0) {
            /* A lapse never raises stability; a recall never lowers it (it stays put on the same day).
             * Both up to ts-fsrs's rounding of S to 8 decimals. */
            INVARIANT(out[1].stability <= s.stability + 5e-9);
            for (g = 2; g <= 4; g++)
                INVARIANT(out[g].stability >= s.stability - 5e-9);
            /* Easier ratings leave an easier card: difficulty never rises with the rating. */
            for (g = 2; g <= 4; g++)
                INVARIANT(out[g].difficulty <= out[g - 1].difficulty);
        }
        reached_cap |= out[4].stability == 36500;
        /* Mostly Good, so that stabilities also climb to the cap. */
        static const int ratings[10] = { 1, 2, 3, 3, 3, 3, 3, 3, 4, 4 };
        s = out[ratings[rng_below(10)]];
    }
    ck_assert_msg(!failed[0], "%s", failed);
    /* (Under a one-year cap the reviews come too early for that.) */
    if (p.max_interval_days >= 3650)
        ck_assert_msg(reached_cap, "no easy answer reached the stability cap: the run does not cover it");
}
END_TEST

START_TEST(in_and_out_may_be_the_same_struct)
{
    alliance_fsrs_params p = ALLIANCE_FSRS_PARAMS_INIT;
    alliance_fsrs_state a = { 3.5, 6.25, 4 }, b = a, sep;
    ck_assert_int_eq(alliance_fsrs_next(&p, &a, ALLIANCE_FSRS_HARD, 5, &sep), 0);
    ck_assert_int_eq(alliance_fsrs_next(&p, &b, ALLIANCE_FSRS_HARD, 5, &b), 0);
    ck_assert(same_state(&b, &sep));
    ck_assert(a.stability == 3.5 && a.difficulty == 6.25 && a.interval_days == 4); /* in untouched */
}
END_TEST

START_TEST(retrievability_falls_with_time_and_is_zero_for_a_new_card)
{
    alliance_fsrs_params p = ALLIANCE_FSRS_PARAMS_INIT;
    alliance_fsrs_state fresh = { 0, 0, 0 }, s = { 10, 5, 10 };
    double r = -1, prev = 2;
    ck_assert_int_eq(alliance_fsrs_retrievability(&p, &fresh, 0, &r), 0);
    ck_assert(r == 0.0);
    ck_assert_int_eq(alliance_fsrs_retrievability(&p, &fresh, 1000, &r), 0);
    ck_assert(r == 0.0);
    uint32_t days[] = { 0, 1, 2, 5, 10, 30, 100, 1000, 36500, 1000000, UINT32_MAX };
    for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
        ck_assert_int_eq(alliance_fsrs_retrievability(&p, &s, days[i], &r), 0);
        ck_assert(r > 0 && r <= 1 && r < prev);
        prev = r;
    }
    ck_assert_int_eq(alliance_fsrs_retrievability(&p, &s, 0, &r), 0);
    ck_assert(r == 1.0);
    ck_assert_int_eq(alliance_fsrs_retrievability(&p, &s, 10, &r), 0);
    ck_assert(r == 0.9);
}
END_TEST

/* ---------------------------------------------------------------------------
 * Edges of the parameters.
 * ------------------------------------------------------------------------- */

START_TEST(retention_one_schedules_every_card_for_tomorrow_in_order)
{
    /* (1^(1/decay) - 1) = 0: every interval rounds to 0, floored at 1, then ordered. */
    alliance_fsrs_params p = ALLIANCE_FSRS_PARAMS_INIT;
    p.desired_retention = 1.0;
    alliance_fsrs_state from[] = { { 0, 0, 0 }, { 500, 3, 400 }, { 0.001, 10, 1 } };
    for (size_t i = 0; i < sizeof from / sizeof from[0]; i++)
        for (int g = 1; g <= 4; g++) {
            alliance_fsrs_state out;
            ck_assert_int_eq(alliance_fsrs_next(&p, &from[i], g, from[i].stability == 0 ? 0 : 7, &out), 0);
            ck_assert_uint_eq(out.interval_days, (uint32_t)g);
        }
}
END_TEST

START_TEST(the_ordering_may_pass_the_cap_by_three_days_even_at_uint32_max)
{
    /* A retention so low that every interval is infinite before the cap: all four
     * are capped, then hard, good and easy are pushed 1, 2 and 3 days past it. */
    const double retentions[] = { 1e-300, DBL_MIN, 4.9e-324 /* subnormal */ };
    for (size_t i = 0; i < sizeof retentions / sizeof retentions[0]; i++) {
        alliance_fsrs_params p = ALLIANCE_FSRS_PARAMS_INIT;
        p.desired_retention = retentions[i];
        p.max_interval_days = UINT32_MAX - 3;
        alliance_fsrs_state s = { 36500, 1, 36500 };
        for (int g = 1; g <= 4; g++) {
            alliance_fsrs_state out;
            ck_assert_int_eq(alliance_fsrs_next(&p, &s, g, 36500, &out), 0);
            ck_assert_uint_eq(out.interval_days, UINT32_MAX - 3 + (uint32_t)(g - 1));
        }
    }
}
END_TEST

START_TEST(weights_at_the_edges_of_their_ranges_are_accepted)
{
    static const double lo[21] = { 0.001, 0.001, 0.001, 0.001, 1, 0.001, 0.001, 0.001, 0, 0, 0.001,
                                   0.001, 0.001, 0.001, 0, 0, 1, 0, 0, 0, 0.1 };
    static const double hi[21] = { 100, 100, 100, 100, 10, 4, 4, 0.75, 4.5, 0.8, 3.5,
                                   5, 0.25, 0.9, 4, 1, 6, 2, 2, 0.8, 0.8 };
    for (int side = 0; side < 2; side++) {
        alliance_fsrs_params p = ALLIANCE_FSRS_PARAMS_INIT;
        memcpy(p.weights, side ? hi : lo, sizeof p.weights);
        ck_assert_int_eq(alliance_fsrs_params_check(&p), 0);
        alliance_fsrs_state s = { 0, 0, 0 };
        for (int k = 0; k < 200; k++) {
            ck_assert_int_eq(alliance_fsrs_next(&p, &s, 1 + k % 4, s.stability == 0 ? 0 : s.interval_days, &s), 0);
            ck_assert(s.stability >= 0.001 && s.stability <= 36500 && s.difficulty >= 1 && s.difficulty <= 10);
        }
    }
}
END_TEST

/* ---------------------------------------------------------------------------
 * Refusals: the code, and *out untouched.
 * ------------------------------------------------------------------------- */

static void next_fails(const alliance_fsrs_params *p, const alliance_fsrs_state *in, int rating, uint32_t elapsed,
                       int expected, const char *what)
{
    alliance_fsrs_state out = poisoned(), before = out;
    int rc = alliance_fsrs_next(p, in, rating, elapsed, &out);
    ck_assert_msg(rc == expected, "%s: rc %d, expected %d", what, rc, expected);
    ck_assert_msg(same_state(&out, &before), "%s: *out was written", what);
    double r = -7, r_before = r;
    if (in && (expected == ALLIANCE_EINVAL || expected == ALLIANCE_EVERSION || expected == ALLIANCE_ESTATE ||
               expected == ALLIANCE_EMISUSE) &&
        !(expected == ALLIANCE_EINVAL && p && alliance_fsrs_params_check(p) == 0)) {
        /* The same inputs refused by alliance_fsrs_retrievability, *out untouched. */
        rc = alliance_fsrs_retrievability(p, in, elapsed, &r);
        ck_assert_msg(rc == expected, "%s: retrievability rc %d, expected %d", what, rc, expected);
        ck_assert_msg(memcmp(&r, &r_before, sizeof r) == 0, "%s: retrievability wrote *out", what);
    }
}

START_TEST(null_pointers_are_einval)
{
    alliance_fsrs_params p = ALLIANCE_FSRS_PARAMS_INIT;
    alliance_fsrs_state in = { 1, 5, 1 };
    double r;
    next_fails(NULL, &in, 3, 1, ALLIANCE_EINVAL, "NULL params");
    next_fails(&p, NULL, 3, 1, ALLIANCE_EINVAL, "NULL in");
    ck_assert_int_eq(alliance_fsrs_next(&p, &in, 3, 1, NULL), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_fsrs_retrievability(&p, NULL, 1, &r), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_fsrs_retrievability(&p, &in, 1, NULL), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_fsrs_params_init(NULL, ALLIANCE_FSRS_PARAMS_VERSION), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_fsrs_params_check(NULL), ALLIANCE_EINVAL);
}
END_TEST

START_TEST(unknown_versions_are_eversion)
{
    alliance_fsrs_state in = { 1, 5, 1 };
    const uint32_t versions[] = { 0, 2, 3, UINT32_MAX };
    for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
        alliance_fsrs_params p = ALLIANCE_FSRS_PARAMS_INIT, before;
        p.version = versions[i];
        next_fails(&p, &in, 3, 1, ALLIANCE_EVERSION, "params version");
        ck_assert_int_eq(alliance_fsrs_params_check(&p), ALLIANCE_EVERSION);
        memset(&p, 0x5A, sizeof p);
        memcpy(&before, &p, sizeof p); /* padding included, which an assignment need not copy */
        ck_assert_int_eq(alliance_fsrs_params_init(&p, versions[i]), ALLIANCE_EVERSION);
        ck_assert_mem_eq(&p, &before, sizeof p);
    }
}
END_TEST

/* Each weight just outside its range, NaN and the infinities: 21 x 5 rows. */
START_TEST(weights_out_of_range_are_einval)
{
    static const double lo[21] = { 0.001, 0.001, 0.001, 0.001, 1, 0.001, 0.001, 0.001, 0, 0, 0.001,
                                   0.001, 0.001, 0.001, 0, 0, 1, 0, 0, 0, 0.1 };
    static const double hi[21] = { 100, 100, 100, 100, 10, 4, 4, 0.75, 4.5, 0.8, 3.5,
                                   5, 0.25, 0.9, 4, 1, 6, 2, 2, 0.8, 0.8 };
    int w = _i / 5, kind = _i % 5;
    alliance_fsrs_params p = ALLIANCE_FSRS_PARAMS_INIT;
    const double bad[5] = { nextafter(lo[w], -INFINITY), nextafter(hi[w], INFINITY), NAN, INFINITY, -INFINITY };
    p.weights[w] = bad[kind];
    char what[64];
    snprintf(what, sizeof what, "w%d = %g", w, bad[kind]);
    ck_assert_msg(alliance_fsrs_params_check(&p) == ALLIANCE_EINVAL, "%s accepted", what);
    alliance_fsrs_state in = { 1, 5, 1 };
    next_fails(&p, &in, 3, 1, ALLIANCE_EINVAL, what);
}
END_TEST

START_TEST(retention_and_cap_out_of_range_are_einval)
{
    const double retentions[] = { 0.0, -0.0, -0.5, 1.0000000000000002, 2, NAN, INFINITY, -INFINITY };
    alliance_fsrs_state in = { 1, 5, 1 };
    for (size_t i = 0; i < sizeof retentions / sizeof retentions[0]; i++) {
        alliance_fsrs_params p = ALLIANCE_FSRS_PARAMS_INIT;
        p.desired_retention = retentions[i];
        next_fails(&p, &in, 3, 1, ALLIANCE_EINVAL, "desired_retention");
    }
    const uint32_t caps[] = { 0, UINT32_MAX - 2, UINT32_MAX };
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        alliance_fsrs_params p = ALLIANCE_FSRS_PARAMS_INIT;
        p.max_interval_days = caps[i];
        next_fails(&p, &in, 3, 1, ALLIANCE_EINVAL, "max_interval_days");
    }
    alliance_fsrs_params p = ALLIANCE_FSRS_PARAMS_INIT;
    p.max_interval_days = 1;
    ck_assert_int_eq(alliance_fsrs_params_check(&p), 0);
    p.max_interval_days = UINT32_MAX - 3;
    ck_assert_int_eq(alliance_fsrs_params_check(&p), 0);
}
END_TEST

START_TEST(ratings_outside_1_to_4_are_egrade)
{
    const int ratings[] = { 0, 5, -1, 6, 100, INT_MIN, INT_MAX, '3' };
    alliance_fsrs_params p = ALLIANCE_FSRS_PARAMS_INIT;
    alliance_fsrs_state fresh = { 0, 0, 0 }, learned = { 12, 4, 12 };
    for (size_t i = 0; i < sizeof ratings / sizeof ratings[0]; i++) {
        next_fails(&p, &fresh, ratings[i], 0, ALLIANCE_EGRADE, "rating, new card");
        next_fails(&p, &learned, ratings[i], 12, ALLIANCE_EGRADE, "rating");
    }
}
END_TEST

typedef struct bad_state {
    const char *what;
    alliance_fsrs_state state;
} bad_state;

static const bad_state bad_states[] = {
    { "stability below 0.001", { 0.000999, 5, 1 } },
    { "stability above 36500", { 36500.000001, 5, 1 } },
    { "negative stability", { -1, 5, 1 } },
    { "difficulty below 1", { 5, 0.99999999, 1 } },
    { "difficulty above 10", { 5, 10.00000001, 1 } },
    { "interval 0 after a review", { 5, 5, 0 } },
    { "stability 0 with a difficulty", { 0, 5, 0 } },
    { "difficulty 0 with a stability", { 5, 0, 1 } },
    { "new card with an interval", { 0, 0, 3 } },
    { "interval without a review", { 0, 0, 1 } },
};

START_TEST(impossible_states_are_estate)
{
    alliance_fsrs_params p = ALLIANCE_FSRS_PARAMS_INIT;
    next_fails(&p, &bad_states[_i].state, 3, 1, ALLIANCE_ESTATE, bad_states[_i].what);
    next_fails(&p, &bad_states[_i].state, 1, 0, ALLIANCE_ESTATE, bad_states[_i].what);
}
END_TEST

START_TEST(nan_and_infinite_states_are_estate)
{
    alliance_fsrs_params p = ALLIANCE_FSRS_PARAMS_INIT;
    const double odd[] = { NAN, -NAN, INFINITY, -INFINITY };
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        alliance_fsrs_state s = { odd[i], 5, 1 }, d = { 5, odd[i], 1 };
        next_fails(&p, &s, 3, 1, ALLIANCE_ESTATE, "odd stability");
        next_fails(&p, &d, 3, 1, ALLIANCE_ESTATE, "odd difficulty");
    }
}
END_TEST

/* NaN is refused by looking at it, not by comparing it: an ordered comparison
 * (x >= lo) with a NaN raises FE_INVALID, and a program that traps invalid
 * operations (feenableexcept, as numeric code often does in debug builds) would
 * die of SIGFPE inside the check instead of getting the documented refusal. The
 * sticky flag is the portable witness of the trap. Quiet and signaling NaNs of
 * both signs, in every weight, the retention and both state fields. */
static double nan_of_bits(uint64_t bits)
{
    double x;
    memcpy(&x, &bits, sizeof x);
    return x;
}

static void refused_quietly(const alliance_fsrs_params *p, const alliance_fsrs_state *in, int expected,
                            const char *what)
{
    alliance_fsrs_state out = poisoned(), before = out;
    double r = -7;
    ck_assert_int_eq(feclearexcept(FE_ALL_EXCEPT), 0);
    int rc_check = alliance_fsrs_params_check(p);
    int invalid_check = fetestexcept(FE_INVALID) != 0;
    int rc_next = alliance_fsrs_next(p, in, ALLIANCE_FSRS_GOOD, 3, &out);
    int rc_r = alliance_fsrs_retrievability(p, in, 3, &r);
    int invalid = fetestexcept(FE_INVALID) != 0;
    feclearexcept(FE_ALL_EXCEPT);
    ck_assert_msg(rc_next == expected && rc_r == expected, "%s: rc %d and %d, expected %d", what, rc_next, rc_r,
                  expected);
    ck_assert_msg(same_state(&out, &before) && r == -7, "%s: *out was written", what);
    if (expected == ALLIANCE_EINVAL)
        ck_assert_msg(rc_check == ALLIANCE_EINVAL && !invalid_check, "%s: params_check rc %d, FE_INVALID %d", what,
                      rc_check, invalid_check);
    ck_assert_msg(!invalid, "%s: refusing it raised FE_INVALID (SIGFPE where invalid operations trap)", what);
}

START_TEST(nan_is_refused_without_raising_invalid)
{
    const uint64_t nans[] = { UINT64_C(0x7ff8000000000000), UINT64_C(0xfff8000000000000),
                              UINT64_C(0x7ff0000000000001), UINT64_C(0xfff4000000000000),
                              UINT64_C(0x7fffffffffffffff) };
    const double nan = nan_of_bits(nans[_i]);
    char what[96];
    alliance_fsrs_state learned = { 3, 5, 3 };
    for (int w = 0; w < 21; w++) {
        alliance_fsrs_params p = ALLIANCE_FSRS_PARAMS_INIT;
        p.weights[w] = nan;
        snprintf(what, sizeof what, "w%d = NaN 0x%016llx", w, (unsigned long long)nans[_i]);
        refused_quietly(&p, &learned, ALLIANCE_EINVAL, what);
    }
    alliance_fsrs_params p = ALLIANCE_FSRS_PARAMS_INIT;
    p.desired_retention = nan;
    refused_quietly(&p, &learned, ALLIANCE_EINVAL, "desired_retention = NaN");
    alliance_fsrs_params ok = ALLIANCE_FSRS_PARAMS_INIT;
    const alliance_fsrs_state s = { nan, 5, 3 }, d = { 3, nan, 3 }, both = { nan, nan, 3 };
    refused_quietly(&ok, &s, ALLIANCE_ESTATE, "stability = NaN");
    refused_quietly(&ok, &d, ALLIANCE_ESTATE, "difficulty = NaN");
    refused_quietly(&ok, &both, ALLIANCE_ESTATE, "stability and difficulty = NaN");
}
END_TEST

START_TEST(states_at_the_edges_are_accepted)
{
    alliance_fsrs_params p = ALLIANCE_FSRS_PARAMS_INIT;
    const alliance_fsrs_state ok[] = { { 0.001, 1, 1 }, { 0.001, 10, UINT32_MAX }, { 36500, 1, 1 }, { 36500, 10, 40000 } };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        for (int g = 1; g <= 4; g++) {
            alliance_fsrs_state out;
            ck_assert_int_eq(alliance_fsrs_next(&p, &ok[i], g, UINT32_MAX, &out), 0);
            ck_assert_int_eq(alliance_fsrs_next(&p, &ok[i], g, 0, &out), 0);
        }
    /* -0.0 compares equal to 0: a new card all the same. */
    alliance_fsrs_state negzero = { -0.0, -0.0, 0 }, out;
    ck_assert_int_eq(alliance_fsrs_next(&p, &negzero, 3, 0, &out), 0);
}
END_TEST

START_TEST(a_new_card_is_answered_with_no_elapsed_days)
{
    alliance_fsrs_params p = ALLIANCE_FSRS_PARAMS_INIT;
    alliance_fsrs_state fresh = { 0, 0, 0 };
    next_fails(&p, &fresh, 3, 1, ALLIANCE_EINVAL, "new card, 1 elapsed day");
    next_fails(&p, &fresh, 3, UINT32_MAX, ALLIANCE_EINVAL, "new card, UINT32_MAX elapsed days");
}
END_TEST

/* The arithmetic is exact only in the default floating-point environment: a
 * caller that changed it is refused rather than given other bits. */
START_TEST(a_changed_floating_point_environment_is_emisuse)
{
    alliance_fsrs_params p = ALLIANCE_FSRS_PARAMS_INIT;
    alliance_fsrs_state in = { 3, 5, 3 };
    const int modes[] = { FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO };
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        ck_assert_int_eq(fesetround(modes[i]), 0);
        alliance_fsrs_state out = poisoned(), before = out;
        double r = -7;
        int rc = alliance_fsrs_next(&p, &in, 3, 3, &out);
        int rc_r = alliance_fsrs_retrievability(&p, &in, 3, &r);
        ck_assert_int_eq(fesetround(FE_TONEAREST), 0);
        ck_assert_int_eq(rc, ALLIANCE_EMISUSE);
        ck_assert_int_eq(rc_r, ALLIANCE_EMISUSE);
        ck_assert(same_state(&out, &before));
        ck_assert(r == -7);
    }
#if HAVE_MXCSR
    /* Flush-to-zero and denormals-are-zero, as -ffast-math's startup code sets them. */
    const unsigned flags[] = { 0x8000u /* FTZ */, 0x0040u /* DAZ */ };
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        unsigned saved = _mm_getcsr();
        _mm_setcsr(saved | flags[i]);
        alliance_fsrs_state out = poisoned(), before = out;
        int rc = alliance_fsrs_next(&p, &in, 3, 3, &out);
        _mm_setcsr(saved);
        ck_assert_int_eq(rc, ALLIANCE_EMISUSE);
        ck_assert(same_state(&out, &before));
    }
#endif
    alliance_fsrs_state out;
    ck_assert_int_eq(alliance_fsrs_next(&p, &in, 3, 3, &out), 0);
}
END_TEST

/* ---------------------------------------------------------------------------
 * Initialisation.
 * ------------------------------------------------------------------------- */

START_TEST(params_init_gives_the_fsrs6_defaults_and_matches_the_macro)
{
    static const double published[21] = { 0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194,
                                          0.001, 1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629,
                                          1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542 };
    alliance_fsrs_params p, m = ALLIANCE_FSRS_PARAMS_INIT;
    memset(&p, 0xFF, sizeof p);
    ck_assert_int_eq(alliance_fsrs_params_init(&p, ALLIANCE_FSRS_PARAMS_VERSION), 0);
    ck_assert_uint_eq(p.version, ALLIANCE_FSRS_PARAMS_VERSION);
    ck_assert_mem_eq(p.weights, published, sizeof published);
    ck_assert(p.desired_retention == 0.9);
    ck_assert_uint_eq(p.max_interval_days, 36500);
    ck_assert_uint_eq(m.version, p.version);
    ck_assert_mem_eq(m.weights, p.weights, sizeof p.weights);
    ck_assert(m.desired_retention == p.desired_retention);
    ck_assert_uint_eq(m.max_interval_days, p.max_interval_days);
    ck_assert_int_eq(alliance_fsrs_params_check(&p), 0);
}
END_TEST

static Suite *fsrs_suite(void)
{
    Suite *s = suite_create("fsrs");

    TCase *tc = tcase_create("ts-fsrs");
    tcase_add_test(tc, every_answer_of_the_vectors_agrees_with_ts_fsrs);
    tcase_add_test(tc, the_worked_example_of_the_docs);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);

    tc = tcase_create("bits");
    tcase_add_loop_test(tc, bits_are_exactly_pinned, 0, (int)NBITROWS);
    suite_add_tcase(s, tc);

    tc = tcase_create("invariants");
    tcase_add_loop_test(tc, long_random_runs_keep_every_invariant, 0, 4);
    tcase_add_test(tc, in_and_out_may_be_the_same_struct);
    tcase_add_test(tc, retrievability_falls_with_time_and_is_zero_for_a_new_card);
    tcase_add_test(tc, retention_one_schedules_every_card_for_tomorrow_in_order);
    tcase_add_test(tc, the_ordering_may_pass_the_cap_by_three_days_even_at_uint32_max);
    tcase_add_test(tc, weights_at_the_edges_of_their_ranges_are_accepted);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_test(tc, null_pointers_are_einval);
    tcase_add_test(tc, unknown_versions_are_eversion);
    tcase_add_loop_test(tc, weights_out_of_range_are_einval, 0, 21 * 5);
    tcase_add_test(tc, retention_and_cap_out_of_range_are_einval);
    tcase_add_test(tc, ratings_outside_1_to_4_are_egrade);
    tcase_add_loop_test(tc, impossible_states_are_estate, 0, (int)(sizeof bad_states / sizeof bad_states[0]));
    tcase_add_test(tc, nan_and_infinite_states_are_estate);
    tcase_add_loop_test(tc, nan_is_refused_without_raising_invalid, 0, 5);
    tcase_add_test(tc, states_at_the_edges_are_accepted);
    tcase_add_test(tc, a_new_card_is_answered_with_no_elapsed_days);
    tcase_add_test(tc, a_changed_floating_point_environment_is_emisuse);
    suite_add_tcase(s, tc);

    tc = tcase_create("init");
    tcase_add_test(tc, params_init_gives_the_fsrs6_defaults_and_matches_the_macro);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(fsrs_suite());
}
