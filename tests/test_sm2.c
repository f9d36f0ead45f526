/* SPDX-License-Identifier: MIT */
/* sm2: the pure SM-2 step, both presets, exactly as docs/sm2.md specifies it. */
#include "testutil.h"

#include <limits.h>
#include <string.h>

/* ---------------------------------------------------------------------------
 * Sequences: each step gives the grade, then the state expected after it:
 * repetitions, E-Factor (thousandths), interval, repeat_today, days until due.
 * The EF update in thousandths is EF + 100 - d(80 + 20d) with d = 5 - q:
 * q=5 +100, q=4 +0, q=3 -140, q=2 -320, q=1 -540, q=0 -800; floor 1300.
 * SUPERMEMO: I(n) = ceil(I(n-1) x new EF); CLASSIC: I(n) = round-half-up(I(n-1) x old EF).
 * ------------------------------------------------------------------------- */

typedef struct step {
    int grade;
    uint32_t n, ef, interval, repeat, due;
} step;

#define END { -1, 0, 0, 0, 0, 0 }
#define MAX_STEPS 20

typedef struct sequence {
    const char *name;
    int preset;
    uint32_t max_interval, first, second; /* 0: the preset's default */
    alliance_sm2_state start;             /* efactor_milli 0: a new card */
    step steps[MAX_STEPS];
} sequence;

#define SM ALLIANCE_SM2_SUPERMEMO
#define CL ALLIANCE_SM2_CLASSIC
#define NEW { 0, 0, 0, 0 }

static const sequence sequences[] = {
    /* ---- the worked examples of the issue and docs/sm2.md ---- */
    { "SUPERMEMO 5,5,5,5,5", SM, 0, 0, 0, NEW, {
        { 5, 1, 2600, 1, 0, 1 },     /* n'=1 -> I(1) */
        { 5, 2, 2700, 6, 0, 6 },     /* n'=2 -> I(2) */
        { 5, 3, 2800, 17, 0, 17 },   /* ceil(6 x 2.8 = 16.8) */
        { 5, 4, 2900, 50, 0, 50 },   /* ceil(17 x 2.9 = 49.3) */
        { 5, 5, 3000, 150, 0, 150 }, /* 50 x 3.0 = 150 exactly (a float gives 151) */
        END } },
    { "SUPERMEMO 4,3,3,4,5,3,0,1,3,3,4,5,3", SM, 0, 0, 0, NEW, {
        { 4, 1, 2500, 1, 0, 1 },     /* EF +0, I(1) */
        { 3, 2, 2360, 6, 1, 0 },     /* EF -140, I(2), grade 3: repeat today */
        { 3, 2, 2360, 6, 1, 0 },     /* repeating: < 4 keeps the repeat, nothing else moves */
        { 4, 2, 2360, 6, 0, 6 },     /* repeating: 4 ends it, due in I = 6 */
        { 5, 3, 2460, 15, 0, 15 },   /* ceil(6 x 2.46 = 14.76) */
        { 3, 4, 2320, 35, 1, 0 },    /* ceil(15 x 2.32 = 34.8), repeat today */
        { 0, 4, 2320, 35, 1, 0 },    /* repeating: even a 0 only keeps the repeat */
        { 1, 4, 2320, 35, 1, 0 },
        { 3, 4, 2320, 35, 1, 0 },
        { 3, 4, 2320, 35, 1, 0 },
        { 4, 4, 2320, 35, 0, 35 },   /* repeat done */
        { 5, 5, 2420, 85, 0, 85 },   /* ceil(35 x 2.42 = 84.7) */
        { 3, 6, 2280, 194, 1, 0 },   /* ceil(85 x 2.28 = 193.8), repeat today */
        END } },
    { "SUPERMEMO 4,4,4,1,4,4,4", SM, 0, 0, 0, NEW, {
        { 4, 1, 2500, 1, 0, 1 },
        { 4, 2, 2500, 6, 0, 6 },
        { 4, 3, 2500, 15, 0, 15 },   /* 6 x 2.5 */
        { 1, 0, 2500, 0, 0, 0 },     /* failure: n'=0, due today, EF unchanged */
        { 4, 1, 2500, 1, 0, 1 },     /* starts again from I(1) */
        { 4, 2, 2500, 6, 0, 6 },
        { 4, 3, 2500, 15, 0, 15 },
        END } },
    { "CLASSIC 5,5,5,5,5", CL, 0, 0, 0, NEW, {
        { 5, 1, 2600, 1, 0, 1 },
        { 5, 2, 2700, 6, 0, 6 },
        { 5, 3, 2800, 16, 0, 16 },   /* 6 x old 2.7 = 16.2 -> 16 */
        { 5, 4, 2900, 45, 0, 45 },   /* 16 x 2.8 = 44.8 -> 45 */
        { 5, 5, 3000, 131, 0, 131 }, /* 45 x 2.9 = 130.5 -> 131 (half up) */
        END } },
    { "CLASSIC 4,4,4,1,4,4,4", CL, 0, 0, 0, NEW, {
        { 4, 1, 2500, 1, 0, 1 },
        { 4, 2, 2500, 6, 0, 6 },
        { 4, 3, 2500, 15, 0, 15 },
        { 1, 0, 1960, 1, 0, 1 },     /* failure: EF -540 all the same, n'=0, I=1 */
        { 4, 1, 1960, 1, 0, 1 },
        { 4, 2, 1960, 6, 0, 6 },
        { 4, 3, 1960, 12, 0, 12 },   /* 6 x 1.96 = 11.76 -> 12 */
        END } },

    /* ---- derived by hand from the rules ---- */
    { "SUPERMEMO a 3 on a new card repeats it today", SM, 0, 0, 0, NEW, {
        { 3, 1, 2360, 1, 1, 0 },     /* EF -140, I(1), repeat */
        { 4, 1, 2360, 1, 0, 1 },     /* repeat passed: due in I(1) */
        { 3, 2, 2220, 6, 1, 0 },     /* EF -140, I(2), repeat */
        { 5, 2, 2220, 6, 0, 6 },     /* a 5 also ends the repeat, EF untouched by it */
        { 5, 3, 2320, 14, 0, 14 },   /* ceil(6 x 2.32 = 13.92) */
        END } },
    { "SUPERMEMO failures on a new card stay due today", SM, 0, 0, 0, NEW, {
        { 0, 0, 2500, 0, 0, 0 },     /* EF kept on failure */
        { 2, 0, 2500, 0, 0, 0 },
        { 5, 1, 2600, 1, 0, 1 },
        END } },
    { "SUPERMEMO a 2 after two recalls starts over, EF kept", SM, 0, 0, 0, NEW, {
        { 5, 1, 2600, 1, 0, 1 },
        { 5, 2, 2700, 6, 0, 6 },
        { 2, 0, 2700, 0, 0, 0 },
        { 3, 1, 2560, 1, 1, 0 },     /* 2700 - 140, I(1), repeat */
        { 2, 1, 2560, 1, 1, 0 },     /* repeating: a 2 changes nothing (no reset) */
        { 4, 1, 2560, 1, 0, 1 },
        END } },
    { "SUPERMEMO 4,4,4,4,4 rounds 37.5 up", SM, 0, 0, 0, NEW, {
        { 4, 1, 2500, 1, 0, 1 },
        { 4, 2, 2500, 6, 0, 6 },
        { 4, 3, 2500, 15, 0, 15 },
        { 4, 4, 2500, 38, 0, 38 },   /* ceil(15 x 2.5 = 37.5) */
        { 4, 5, 2500, 95, 0, 95 },   /* 38 x 2.5 = 95 exactly */
        END } },
    { "SUPERMEMO 5,5,4 rounds 16.2 up", SM, 0, 0, 0, NEW, {
        { 5, 1, 2600, 1, 0, 1 },
        { 5, 2, 2700, 6, 0, 6 },
        { 4, 3, 2700, 17, 0, 17 },   /* ceil(6 x 2.7 = 16.2) */
        END } },
    { "CLASSIC 5,5,4 rounds 16.2 down", CL, 0, 0, 0, NEW, {
        { 5, 1, 2600, 1, 0, 1 },
        { 5, 2, 2700, 6, 0, 6 },
        { 4, 3, 2700, 16, 0, 16 },   /* 6 x 2.7 = 16.2 -> 16 */
        END } },
    { "SUPERMEMO 5,5,5,3 uses the new E-Factor", SM, 0, 0, 0, NEW, {
        { 5, 1, 2600, 1, 0, 1 },
        { 5, 2, 2700, 6, 0, 6 },
        { 5, 3, 2800, 17, 0, 17 },
        { 3, 4, 2660, 46, 1, 0 },    /* ceil(17 x new 2.66 = 45.22), repeat */
        END } },
    { "CLASSIC 5,5,5,3 uses the old E-Factor and never repeats", CL, 0, 0, 0, NEW, {
        { 5, 1, 2600, 1, 0, 1 },
        { 5, 2, 2700, 6, 0, 6 },
        { 5, 3, 2800, 16, 0, 16 },
        { 3, 4, 2660, 45, 0, 45 },   /* 16 x old 2.8 = 44.8 -> 45, then EF -140 */
        END } },
    { "CLASSIC 3,3,3 lowers the E-Factor without repeats", CL, 0, 0, 0, NEW, {
        { 3, 1, 2360, 1, 0, 1 },
        { 3, 2, 2220, 6, 0, 6 },
        { 3, 3, 2080, 13, 0, 13 },   /* 6 x old 2.22 = 13.32 -> 13 */
        END } },
    { "CLASSIC failures on a new card: tomorrow, EF down to the floor", CL, 0, 0, 0, NEW, {
        { 0, 0, 1700, 1, 0, 1 },     /* 2500 - 800 */
        { 0, 0, 1300, 1, 0, 1 },     /* 1700 - 800 = 900 -> floor */
        { 5, 1, 1400, 1, 0, 1 },
        { 5, 2, 1500, 6, 0, 6 },
        { 5, 3, 1600, 9, 0, 9 },     /* 6 x old 1.5 = 9 */
        END } },
    { "SUPERMEMO grade 3 all the way down to the floor", SM, 0, 0, 0, NEW, {
        { 3, 1, 2360, 1, 1, 0 },   { 4, 1, 2360, 1, 0, 1 },
        { 3, 2, 2220, 6, 1, 0 },   { 4, 2, 2220, 6, 0, 6 },
        { 3, 3, 2080, 13, 1, 0 },  { 4, 3, 2080, 13, 0, 13 },   /* ceil(6 x 2.08 = 12.48) */
        { 3, 4, 1940, 26, 1, 0 },  { 4, 4, 1940, 26, 0, 26 },   /* ceil(13 x 1.94 = 25.22) */
        { 3, 5, 1800, 47, 1, 0 },  { 4, 5, 1800, 47, 0, 47 },   /* ceil(26 x 1.8 = 46.8) */
        { 3, 6, 1660, 79, 1, 0 },  { 4, 6, 1660, 79, 0, 79 },   /* ceil(47 x 1.66 = 78.02) */
        { 3, 7, 1520, 121, 1, 0 }, { 4, 7, 1520, 121, 0, 121 }, /* ceil(79 x 1.52 = 120.08) */
        { 3, 8, 1380, 167, 1, 0 }, { 4, 8, 1380, 167, 0, 167 }, /* ceil(121 x 1.38 = 166.98) */
        { 3, 9, 1300, 218, 1, 0 }, { 4, 9, 1300, 218, 0, 218 }, /* 1240 -> floor; ceil(167 x 1.3 = 217.1) */
        END } },
    { "SUPERMEMO the floor applies before the interval", SM, 0, 0, 0, { 2, 1350, 6, 0 }, {
        { 3, 3, 1300, 8, 1, 0 },     /* 1210 -> 1300; ceil(6 x 1.3 = 7.8) */
        END } },
    { "CLASSIC a failure at the floor stays there", CL, 0, 0, 0, { 3, 1300, 10, 0 }, {
        { 0, 0, 1300, 1, 0, 1 },
        END } },
    { "CLASSIC from the floor", CL, 0, 0, 0, { 3, 1300, 10, 0 }, {
        { 5, 4, 1400, 13, 0, 13 },   /* 10 x old 1.3 = 13 */
        END } },
    { "SUPERMEMO E-Factor stops at its ceiling 1000.0", SM, 0, 0, 0, { 3, 999950, 10, 0 }, {
        { 5, 4, 1000000, 10000, 0, 10000 }, /* 1000050 -> 1000000; 10 x 1000 */
        { 5, 5, 1000000, 36500, 0, 36500 }, /* 10,000,000 -> cap */
        END } },
    { "SUPERMEMO a CLASSIC-lapsed card (n 0, I 1) starts at I(1)", SM, 0, 0, 0, { 0, 1960, 1, 0 }, {
        { 4, 1, 1960, 1, 0, 1 },
        END } },
    { "SUPERMEMO repetitions saturate instead of wrapping", SM, 0, 0, 0, { UINT32_MAX, 2500, 100, 0 }, {
        { 4, UINT32_MAX, 2500, 250, 0, 250 },
        END } },

    /* ---- the cap and custom intervals ---- */
    { "SUPERMEMO capped at 10 days", SM, 10, 0, 0, NEW, {
        { 5, 1, 2600, 1, 0, 1 },
        { 5, 2, 2700, 6, 0, 6 },
        { 5, 3, 2800, 10, 0, 10 },   /* 17 -> 10 */
        { 5, 4, 2900, 10, 0, 10 },   /* ceil(10 x 2.9 = 29) -> 10 */
        { 3, 5, 2760, 10, 1, 0 },    /* a repeat still comes first */
        { 4, 5, 2760, 10, 0, 10 },
        END } },
    { "SUPERMEMO capped at 3 days caps I(2) too", SM, 3, 0, 0, NEW, {
        { 5, 1, 2600, 1, 0, 1 },
        { 5, 2, 2700, 3, 0, 3 },     /* 6 -> 3 */
        { 5, 3, 2800, 3, 0, 3 },     /* ceil(3 x 2.8 = 8.4) -> 3 */
        END } },
    { "SUPERMEMO capped at 1 day", SM, 1, 0, 0, NEW, {
        { 5, 1, 2600, 1, 0, 1 },
        { 5, 2, 2700, 1, 0, 1 },
        { 5, 3, 2800, 1, 0, 1 },
        END } },
    { "CLASSIC capped at 10 days", CL, 10, 0, 0, NEW, {
        { 5, 1, 2600, 1, 0, 1 },
        { 5, 2, 2700, 6, 0, 6 },
        { 5, 3, 2800, 10, 0, 10 },   /* 16 -> 10 */
        { 5, 4, 2900, 10, 0, 10 },   /* 28 -> 10 */
        { 0, 0, 2100, 1, 0, 1 },     /* failure: 1 day, EF -800 */
        END } },
    { "SUPERMEMO I(1)=2, I(2)=3", SM, 0, 2, 3, NEW, {
        { 5, 1, 2600, 2, 0, 2 },
        { 5, 2, 2700, 3, 0, 3 },
        { 5, 3, 2800, 9, 0, 9 },     /* ceil(3 x 2.8 = 8.4) */
        { 1, 0, 2800, 0, 0, 0 },
        { 4, 1, 2800, 2, 0, 2 },
        END } },
    { "CLASSIC I(1)=2, I(2)=3; a failure is still 1 day", CL, 0, 2, 3, NEW, {
        { 5, 1, 2600, 2, 0, 2 },
        { 5, 2, 2700, 3, 0, 3 },
        { 5, 3, 2800, 8, 0, 8 },     /* 3 x old 2.7 = 8.1 -> 8 */
        { 1, 0, 2260, 1, 0, 1 },     /* 2800 - 540 */
        { 4, 1, 2260, 2, 0, 2 },
        END } },
};
#define NSEQUENCES (sizeof sequences / sizeof sequences[0])

static alliance_sm2_params params_of(const sequence *seq)
{
    alliance_sm2_params p;
    ck_assert_int_eq(alliance_sm2_params_init(&p, seq->preset), 0);
    if (seq->max_interval)
        p.max_interval_days = seq->max_interval;
    if (seq->first)
        p.first_interval_days = seq->first;
    if (seq->second)
        p.second_interval_days = seq->second;
    return p;
}

START_TEST(sequences_come_out_exactly)
{
    const sequence *seq = &sequences[_i];
    alliance_sm2_params p = params_of(seq);
    alliance_sm2_state s;
    if (seq->start.efactor_milli == 0)
        ck_assert_int_eq(alliance_sm2_state_init(&p, &s), 0);
    else
        s = seq->start;
    for (int i = 0; i < MAX_STEPS && seq->steps[i].grade >= 0; i++) {
        const step *e = &seq->steps[i];
        alliance_sm2_state next;
        int rc = alliance_sm2_next(&p, &s, e->grade, &next);
        ck_assert_msg(rc == 0, "%s, answer %d: rc %d", seq->name, i + 1, rc);
        uint32_t due = next.repeat_today ? 0 : next.interval_days;
        ck_assert_msg(next.repetitions == e->n && next.efactor_milli == e->ef &&
                          next.interval_days == e->interval && next.repeat_today == e->repeat && due == e->due,
                      "%s, answer %d (grade %d): got n %u EF %u I %u repeat %u due %u, "
                      "expected n %u EF %u I %u repeat %u due %u",
                      seq->name, i + 1, e->grade, next.repetitions, next.efactor_milli, next.interval_days,
                      next.repeat_today, due, e->n, e->ef, e->interval, e->repeat, e->due);
        s = next;
    }
}
END_TEST

/* ---------------------------------------------------------------------------
 * Long sequences and limits
 * ------------------------------------------------------------------------- */

static void perfect_grades_stay_at_the_cap(int preset, uint32_t max_interval)
{
    alliance_sm2_params p;
    alliance_sm2_state s;
    ck_assert_int_eq(alliance_sm2_params_init(&p, preset), 0);
    p.max_interval_days = max_interval;
    ck_assert_int_eq(alliance_sm2_state_init(&p, &s), 0);
    uint32_t previous = 0;
    for (int i = 0; i < 10000; i++) {
        ck_assert_int_eq(alliance_sm2_next(&p, &s, 5, &s), 0);
        ck_assert_uint_ge(s.interval_days, previous); /* never shrinks, never wraps */
        ck_assert_uint_le(s.interval_days, max_interval);
        previous = s.interval_days;
    }
    ck_assert_uint_eq(s.repetitions, 10000);
    ck_assert_uint_eq(s.interval_days, max_interval);
    ck_assert_uint_eq(s.efactor_milli, 1000000); /* 2500 + 10000 x 100 passes the ceiling */
    ck_assert_uint_eq(s.repeat_today, 0);
}

START_TEST(ten_thousand_perfect_grades_supermemo)
{
    perfect_grades_stay_at_the_cap(ALLIANCE_SM2_SUPERMEMO, 36500);
}
END_TEST

START_TEST(ten_thousand_perfect_grades_classic)
{
    perfect_grades_stay_at_the_cap(ALLIANCE_SM2_CLASSIC, 36500);
}
END_TEST

START_TEST(ten_thousand_perfect_grades_with_the_largest_cap)
{
    perfect_grades_stay_at_the_cap(ALLIANCE_SM2_SUPERMEMO, UINT32_MAX);
    perfect_grades_stay_at_the_cap(ALLIANCE_SM2_CLASSIC, UINT32_MAX);
}
END_TEST

START_TEST(largest_values_do_not_overflow)
{
    /* UINT32_MAX days x E-Factor 1000.0 needs 52 bits: computed, then capped. */
    for (int preset = 0; preset <= 1; preset++) {
        alliance_sm2_params p;
        ck_assert_int_eq(alliance_sm2_params_init(&p, preset), 0);
        p.max_interval_days = UINT32_MAX;
        p.initial_efactor_milli = 1000000;
        alliance_sm2_state s = { 7, 1000000, UINT32_MAX - 1, 0 }, out;
        ck_assert_int_eq(alliance_sm2_next(&p, &s, 5, &out), 0);
        ck_assert_uint_eq(out.interval_days, UINT32_MAX);
        ck_assert_uint_eq(out.efactor_milli, 1000000);
        ck_assert_uint_eq(out.repetitions, 8);
        /* 1000 days x 1000.0 = 10^6, well inside a 2^32 cap: exact, not capped. */
        s.interval_days = 1000;
        ck_assert_int_eq(alliance_sm2_next(&p, &s, 4, &out), 0);
        ck_assert_uint_eq(out.interval_days, 1000000);
    }
}
END_TEST

START_TEST(grades_alternating_for_long_keep_every_invariant)
{
    /* A fixed pseudo-random grade stream: every state stays one next() accepts. */
    for (int preset = 0; preset <= 1; preset++) {
        alliance_sm2_params p;
        alliance_sm2_state s;
        ck_assert_int_eq(alliance_sm2_params_init(&p, preset), 0);
        p.max_interval_days = 400;
        ck_assert_int_eq(alliance_sm2_state_init(&p, &s), 0);
        uint32_t x = 12345;
        for (int i = 0; i < 20000; i++) {
            x = x * 1103515245u + 12345u;
            int grade = (int)((x >> 16) % 6);
            ck_assert_int_eq(alliance_sm2_next(&p, &s, grade, &s), 0);
            ck_assert_uint_ge(s.efactor_milli, 1300);
            ck_assert_uint_le(s.interval_days, 400);
            ck_assert_uint_le(s.repeat_today, 1);
            if (preset == ALLIANCE_SM2_CLASSIC)
                ck_assert_uint_eq(s.repeat_today, 0);
        }
    }
}
END_TEST

START_TEST(in_and_out_may_be_the_same_struct)
{
    for (int preset = 0; preset <= 1; preset++) {
        alliance_sm2_params p;
        ck_assert_int_eq(alliance_sm2_params_init(&p, preset), 0);
        const alliance_sm2_state start = { 2, 2700, 6, 0 };
        for (int grade = 0; grade <= 5; grade++) {
            alliance_sm2_state separate, same = start;
            ck_assert_int_eq(alliance_sm2_next(&p, &start, grade, &separate), 0);
            ck_assert_int_eq(alliance_sm2_next(&p, &same, grade, &same), 0);
            ck_assert_mem_eq(&same, &separate, sizeof same);
        }
    }
    /* The SUPERMEMO example 5,5,5,5,5 in place. */
    alliance_sm2_params p;
    alliance_sm2_state s;
    ck_assert_int_eq(alliance_sm2_params_init(&p, ALLIANCE_SM2_SUPERMEMO), 0);
    ck_assert_int_eq(alliance_sm2_state_init(&p, &s), 0);
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(alliance_sm2_next(&p, &s, 5, &s), 0);
    ck_assert_uint_eq(s.interval_days, 150);
}
END_TEST

START_TEST(the_input_state_is_never_written)
{
    alliance_sm2_params p;
    ck_assert_int_eq(alliance_sm2_params_init(&p, ALLIANCE_SM2_SUPERMEMO), 0);
    alliance_sm2_state in = { 3, 2600, 17, 0 }, copy = in, out;
    ck_assert_int_eq(alliance_sm2_next(&p, &in, 1, &out), 0);
    ck_assert_mem_eq(&in, &copy, sizeof in);
}
END_TEST

/* ---------------------------------------------------------------------------
 * Error paths: each returns its code and leaves *out byte-identical.
 * ------------------------------------------------------------------------- */

static alliance_sm2_state poisoned(void)
{
    alliance_sm2_state s;
    memset(&s, 0xA5, sizeof s);
    return s;
}

static void next_fails(const alliance_sm2_params *p, const alliance_sm2_state *in, int grade, int expected,
                       const char *what)
{
    alliance_sm2_state out = poisoned(), before = out;
    int rc = alliance_sm2_next(p, in, grade, &out);
    ck_assert_msg(rc == expected, "%s: rc %d, expected %d", what, rc, expected);
    ck_assert_msg(memcmp(&out, &before, sizeof out) == 0, "%s: *out was written", what);
}

START_TEST(null_pointers_are_einval)
{
    alliance_sm2_params p;
    ck_assert_int_eq(alliance_sm2_params_init(&p, ALLIANCE_SM2_SUPERMEMO), 0);
    alliance_sm2_state in = { 0, 2500, 0, 0 };
    next_fails(NULL, &in, 4, ALLIANCE_EINVAL, "NULL params");
    next_fails(&p, NULL, 4, ALLIANCE_EINVAL, "NULL in");
    ck_assert_int_eq(alliance_sm2_next(&p, &in, 4, NULL), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_sm2_params_init(NULL, ALLIANCE_SM2_SUPERMEMO), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_sm2_params_check(NULL), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_sm2_state_init(&p, NULL), ALLIANCE_EINVAL);
    alliance_sm2_state out = poisoned(), before = out;
    ck_assert_int_eq(alliance_sm2_state_init(NULL, &out), ALLIANCE_EINVAL);
    ck_assert_mem_eq(&out, &before, sizeof out);
}
END_TEST

START_TEST(unknown_params_version_is_eversion)
{
    alliance_sm2_params p;
    ck_assert_int_eq(alliance_sm2_params_init(&p, ALLIANCE_SM2_SUPERMEMO), 0);
    alliance_sm2_state in = { 0, 2500, 0, 0 };
    const uint32_t versions[] = { 0, ALLIANCE_SM2_PARAMS_VERSION + 1, UINT32_MAX };
    for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
        p.version = versions[i];
        ck_assert_int_eq(alliance_sm2_params_check(&p), ALLIANCE_EVERSION);
        next_fails(&p, &in, 4, ALLIANCE_EVERSION, "params version");
        alliance_sm2_state out = poisoned(), before = out;
        ck_assert_int_eq(alliance_sm2_state_init(&p, &out), ALLIANCE_EVERSION);
        ck_assert_mem_eq(&out, &before, sizeof out);
    }
}
END_TEST

/* Each row breaks one range of the header's alliance_sm2_params comments. */
typedef struct bad_params {
    const char *what;
    uint32_t preset, initial, min, first, second, max;
} bad_params;

static const bad_params bad_params_rows[] = {
    { "unknown preset", 2, 2500, 1300, 1, 6, 36500 },
    { "preset UINT32_MAX", UINT32_MAX, 2500, 1300, 1, 6, 36500 },
    { "floor 0", 0, 2500, 0, 1, 6, 36500 },
    { "initial below the floor", 0, 1299, 1300, 1, 6, 36500 },
    { "initial above 1000.0", 0, 1000001, 1300, 1, 6, 36500 },
    { "floor above 1000.0", 1, 1000001, 1000001, 1, 6, 36500 },
    { "I(1) 0", 0, 2500, 1300, 0, 6, 36500 },
    { "I(2) 0", 1, 2500, 1300, 1, 0, 36500 },
    { "cap 0", 0, 2500, 1300, 1, 6, 0 },
};

START_TEST(params_out_of_range_are_einval)
{
    const bad_params *b = &bad_params_rows[_i];
    alliance_sm2_params p = { ALLIANCE_SM2_PARAMS_VERSION, b->preset, b->initial, b->min,
                              b->first, b->second, b->max };
    ck_assert_msg(alliance_sm2_params_check(&p) == ALLIANCE_EINVAL, "%s accepted", b->what);
    alliance_sm2_state in = { 0, 2500, 0, 0 };
    next_fails(&p, &in, 4, ALLIANCE_EINVAL, b->what);
    alliance_sm2_state out = poisoned(), before = out;
    ck_assert_int_eq(alliance_sm2_state_init(&p, &out), ALLIANCE_EINVAL);
    ck_assert_mem_eq(&out, &before, sizeof out);
}
END_TEST

START_TEST(params_at_the_edges_of_their_ranges_are_accepted)
{
    const alliance_sm2_params ok[] = {
        { ALLIANCE_SM2_PARAMS_VERSION, ALLIANCE_SM2_SUPERMEMO, 1, 1, 1, 1, 1 },
        { ALLIANCE_SM2_PARAMS_VERSION, ALLIANCE_SM2_CLASSIC, 1300, 1300, 1, 1, 1 },
        { ALLIANCE_SM2_PARAMS_VERSION, ALLIANCE_SM2_SUPERMEMO, 1000000, 1000000, UINT32_MAX, UINT32_MAX,
          UINT32_MAX },
        { ALLIANCE_SM2_PARAMS_VERSION, ALLIANCE_SM2_CLASSIC, 1000000, 1, 100, 2, 50 }, /* I(1) > cap: capped */
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        ck_assert_msg(alliance_sm2_params_check(&ok[i]) == 0, "params row %zu refused", i);
        alliance_sm2_state s;
        ck_assert_int_eq(alliance_sm2_state_init(&ok[i], &s), 0);
        for (int k = 0; k < 50; k++)
            ck_assert_int_eq(alliance_sm2_next(&ok[i], &s, k % 6, &s), 0);
    }
    /* I(1) = 100 with a 50-day cap gives 50. */
    alliance_sm2_state s;
    ck_assert_int_eq(alliance_sm2_state_init(&ok[3], &s), 0);
    ck_assert_int_eq(alliance_sm2_next(&ok[3], &s, 5, &s), 0);
    ck_assert_uint_eq(s.interval_days, 50);
}
END_TEST

START_TEST(grades_outside_0_to_5_are_egrade)
{
    const int grades[] = { -1, 6, 7, 10, 100, INT_MIN, INT_MAX, '5' };
    for (int preset = 0; preset <= 1; preset++) {
        alliance_sm2_params p;
        ck_assert_int_eq(alliance_sm2_params_init(&p, preset), 0);
        alliance_sm2_state in = { 2, 2500, 6, 0 };
        for (size_t i = 0; i < sizeof grades / sizeof grades[0]; i++)
            next_fails(&p, &in, grades[i], ALLIANCE_EGRADE, "grade out of range");
    }
}
END_TEST

/* States no sequence of answers under the default params can reach. */
typedef struct bad_state {
    const char *what;
    int preset;
    alliance_sm2_state state;
} bad_state;

static const bad_state bad_states[] = {
    { "E-Factor below the floor", SM, { 3, 1299, 10, 0 } },
    { "E-Factor 0", CL, { 0, 0, 0, 0 } },
    { "E-Factor above 1000.0", SM, { 3, 1000001, 10, 0 } },
    { "E-Factor UINT32_MAX", CL, { 3, UINT32_MAX, 10, 0 } },
    { "repeat_today 2", SM, { 2, 2500, 6, 2 } },
    { "repeat_today UINT32_MAX", SM, { 2, 2500, 6, UINT32_MAX } },
    { "repeat_today without a recall", SM, { 0, 2500, 0, 1 } },
    { "repeat_today under CLASSIC", CL, { 2, 2500, 6, 1 } },
    { "interval above the cap", SM, { 5, 2500, 36501, 0 } },
    { "interval UINT32_MAX", CL, { 5, 2500, UINT32_MAX, 0 } },
    { "a recall with interval 0", SM, { 1, 2500, 0, 0 } },
    { "a recall with interval 0 (CLASSIC)", CL, { 4, 2500, 0, 0 } },
    { "a new or lapsed card with interval 2", SM, { 0, 2500, 2, 0 } },
    { "a new or lapsed card with interval 6 (CLASSIC)", CL, { 0, 2500, 6, 0 } },
};

START_TEST(impossible_states_are_estate)
{
    const bad_state *b = &bad_states[_i];
    alliance_sm2_params p;
    ck_assert_int_eq(alliance_sm2_params_init(&p, b->preset), 0);
    for (int grade = 0; grade <= 5; grade++)
        next_fails(&p, &b->state, grade, ALLIANCE_ESTATE, b->what);
}
END_TEST

START_TEST(states_at_the_edges_are_accepted)
{
    alliance_sm2_params p;
    ck_assert_int_eq(alliance_sm2_params_init(&p, ALLIANCE_SM2_SUPERMEMO), 0);
    const alliance_sm2_state ok[] = {
        { 0, 1300, 0, 0 }, { 0, 1000000, 1, 0 }, { 1, 2500, 36500, 1 }, { UINT32_MAX, 2500, 1, 0 },
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        for (int grade = 0; grade <= 5; grade++) {
            alliance_sm2_state out;
            ck_assert_msg(alliance_sm2_next(&p, &ok[i], grade, &out) == 0, "state %zu grade %d refused", i,
                          grade);
        }
}
END_TEST

START_TEST(the_floor_follows_the_params)
{
    /* E-Factor 1.2 is impossible with the default floor and fine with a floor of 1.1. */
    alliance_sm2_params p;
    ck_assert_int_eq(alliance_sm2_params_init(&p, ALLIANCE_SM2_CLASSIC), 0);
    alliance_sm2_state s = { 2, 1200, 6, 0 }, out;
    next_fails(&p, &s, 5, ALLIANCE_ESTATE, "below the default floor");
    p.min_efactor_milli = 1100;
    ck_assert_int_eq(alliance_sm2_next(&p, &s, 0, &out), 0);
    ck_assert_uint_eq(out.efactor_milli, 1100); /* 1200 - 800 -> the lower floor */
    ck_assert_uint_eq(out.interval_days, 1);
}
END_TEST

/* ---------------------------------------------------------------------------
 * Initialisers
 * ------------------------------------------------------------------------- */

START_TEST(params_init_supermemo_matches_the_macro)
{
    alliance_sm2_params p, macro = ALLIANCE_SM2_PARAMS_INIT;
    memset(&p, 0xA5, sizeof p);
    ck_assert_int_eq(alliance_sm2_params_init(&p, ALLIANCE_SM2_SUPERMEMO), 0);
    ck_assert_uint_eq(p.version, ALLIANCE_SM2_PARAMS_VERSION);
    ck_assert_uint_eq(p.preset, ALLIANCE_SM2_SUPERMEMO);
    ck_assert_uint_eq(p.initial_efactor_milli, 2500);
    ck_assert_uint_eq(p.min_efactor_milli, 1300);
    ck_assert_uint_eq(p.first_interval_days, 1);
    ck_assert_uint_eq(p.second_interval_days, 6);
    ck_assert_uint_eq(p.max_interval_days, 36500);
    ck_assert_mem_eq(&p, &macro, sizeof p);
    ck_assert_int_eq(alliance_sm2_params_check(&p), 0);
}
END_TEST

START_TEST(params_init_classic)
{
    alliance_sm2_params p;
    memset(&p, 0xA5, sizeof p);
    ck_assert_int_eq(alliance_sm2_params_init(&p, ALLIANCE_SM2_CLASSIC), 0);
    ck_assert_uint_eq(p.version, ALLIANCE_SM2_PARAMS_VERSION);
    ck_assert_uint_eq(p.preset, ALLIANCE_SM2_CLASSIC);
    ck_assert_uint_eq(p.initial_efactor_milli, 2500);
    ck_assert_uint_eq(p.min_efactor_milli, 1300);
    ck_assert_uint_eq(p.first_interval_days, 1);
    ck_assert_uint_eq(p.second_interval_days, 6);
    ck_assert_uint_eq(p.max_interval_days, 36500);
    ck_assert_int_eq(alliance_sm2_params_check(&p), 0);
}
END_TEST

START_TEST(params_init_refuses_an_unknown_preset)
{
    const int presets[] = { 2, -1, 100, INT_MIN, INT_MAX };
    for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++) {
        alliance_sm2_params p, before;
        memset(&p, 0xA5, sizeof p);
        before = p;
        ck_assert_int_eq(alliance_sm2_params_init(&p, presets[i]), ALLIANCE_EINVAL);
        ck_assert_mem_eq(&p, &before, sizeof p);
    }
}
END_TEST

START_TEST(state_init_gives_a_new_card)
{
    alliance_sm2_params p;
    ck_assert_int_eq(alliance_sm2_params_init(&p, ALLIANCE_SM2_CLASSIC), 0);
    alliance_sm2_state s = poisoned();
    ck_assert_int_eq(alliance_sm2_state_init(&p, &s), 0);
    const alliance_sm2_state expected = { 0, 2500, 0, 0 };
    ck_assert_mem_eq(&s, &expected, sizeof s);
    p.initial_efactor_milli = 2100;
    ck_assert_int_eq(alliance_sm2_state_init(&p, &s), 0);
    ck_assert_uint_eq(s.efactor_milli, 2100);
    ck_assert_uint_eq(s.repetitions, 0);
    ck_assert_uint_eq(s.interval_days, 0);
    ck_assert_uint_eq(s.repeat_today, 0);
}
END_TEST

static Suite *sm2_suite(void)
{
    Suite *s = suite_create("sm2");

    TCase *tc = tcase_create("sequences");
    tcase_add_loop_test(tc, sequences_come_out_exactly, 0, (int)NSEQUENCES);
    tcase_add_test(tc, in_and_out_may_be_the_same_struct);
    tcase_add_test(tc, the_input_state_is_never_written);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_test(tc, ten_thousand_perfect_grades_supermemo);
    tcase_add_test(tc, ten_thousand_perfect_grades_classic);
    tcase_add_test(tc, ten_thousand_perfect_grades_with_the_largest_cap);
    tcase_add_test(tc, largest_values_do_not_overflow);
    tcase_add_test(tc, grades_alternating_for_long_keep_every_invariant);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_test(tc, null_pointers_are_einval);
    tcase_add_test(tc, unknown_params_version_is_eversion);
    tcase_add_loop_test(tc, params_out_of_range_are_einval, 0,
                        (int)(sizeof bad_params_rows / sizeof bad_params_rows[0]));
    tcase_add_test(tc, params_at_the_edges_of_their_ranges_are_accepted);
    tcase_add_test(tc, grades_outside_0_to_5_are_egrade);
    tcase_add_loop_test(tc, impossible_states_are_estate, 0, (int)(sizeof bad_states / sizeof bad_states[0]));
    tcase_add_test(tc, states_at_the_edges_are_accepted);
    tcase_add_test(tc, the_floor_follows_the_params);
    suite_add_tcase(s, tc);

    tc = tcase_create("init");
    tcase_add_test(tc, params_init_supermemo_matches_the_macro);
    tcase_add_test(tc, params_init_classic);
    tcase_add_test(tc, params_init_refuses_an_unknown_preset);
    tcase_add_test(tc, state_init_gives_a_new_card);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(sm2_suite());
}
