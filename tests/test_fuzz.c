/* SPDX-License-Identifier: MIT */
/* fuzz: Anki's ranges in integers, drawn from a seed the card id and its review count decide. */
#include "testutil.h"
#include "core/fuzz.h"

#include <math.h>
#include <stdio.h>

#define CAP 36500u

START_TEST(intervals_below_three_days_are_never_fuzzed)
{
    for (uint32_t interval = 0; interval < 3; interval++)
        for (uint64_t seed = 0; seed < 1000; seed++)
            ck_assert_int_eq(alliance__fuzz_days(interval, CAP, seed * UINT64_C(0x9E3779B97F4A7C15)), 0);
}
END_TEST

START_TEST(the_documented_ranges)
{
    static const uint32_t cases[][3] = { { 3, 2, 4 }, { 7, 5, 9 }, { 20, 17, 23 }, { 100, 93, 107 } };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t lo, hi;
        alliance__fuzz_bounds(cases[i][0], CAP, &lo, &hi);
        ck_assert_msg(lo == cases[i][1] && hi == cases[i][2], "interval %u: %u..%u", cases[i][0], lo, hi);
    }
}
END_TEST

/* Anki's formula in floating point: no interval puts a bound exactly on .5,
 * so doubles round it as the integers do. */
START_TEST(ranges_equal_ankis_formula_for_every_interval_up_to_ten_years)
{
    for (uint32_t interval = 3; interval <= 3650; interval++) {
        double i = interval;
        double delta = 1.0 + 0.15 * (fmin(i, 7.0) - 2.5) + 0.10 * fmax(0.0, fmin(i, 20.0) - 7.0) +
                       0.05 * fmax(0.0, i - 20.0);
        uint32_t want_lo = (uint32_t)floor(i - delta + 0.5), want_hi = (uint32_t)floor(i + delta + 0.5);
        uint32_t lo, hi;
        alliance__fuzz_bounds(interval, CAP, &lo, &hi);
        ck_assert_msg(lo == want_lo && hi == want_hi, "interval %u: %u..%u, Anki %u..%u", interval, lo, hi,
                      want_lo, want_hi);
    }
}
END_TEST

START_TEST(draws_cover_the_whole_range_and_nothing_else)
{
    int seen[7] = { 0 };
    for (uint32_t k = 0; k < 2000; k++) {
        int32_t f = alliance__fuzz_days(20, CAP, alliance__fuzz_seed("card", k));
        ck_assert_int_ge(f, -3);
        ck_assert_int_le(f, 3);
        seen[f + 3]++;
    }
    for (int i = 0; i < 7; i++) /* about 286 each: a uniform draw, not a biased one */
        ck_assert_msg(seen[i] > 200 && seen[i] < 380, "fuzz %d drawn %d times in 2000", i - 3, seen[i]);
}
END_TEST

START_TEST(the_cap_bounds_the_range)
{
    uint32_t lo, hi;
    alliance__fuzz_bounds(100, 100, &lo, &hi);
    ck_assert_uint_eq(lo, 93);
    ck_assert_uint_eq(hi, 100);
    for (uint64_t seed = 0; seed < 100; seed++)
        ck_assert_int_le(alliance__fuzz_days(100, 100, seed), 0);
    alliance__fuzz_bounds(UINT32_MAX, UINT32_MAX, &lo, &hi); /* no overflow at the extreme */
    ck_assert_uint_lt(lo, UINT32_MAX);
    ck_assert_uint_eq(hi, UINT32_MAX);
}
END_TEST

/* The documented steps, computed independently (in Python) once: the seed is
 * part of the format, so that every replica and binding draws the same days. */
START_TEST(the_seed_is_the_documented_hash)
{
    ck_assert_uint_eq(alliance__fuzz_seed("alliance-bordin-1", 0), UINT64_C(0x1d7929997fdbfec8));
    ck_assert_uint_eq(alliance__fuzz_seed("alliance-bordin-1", 1), UINT64_C(0xb4ffe03b16d64e56));
    ck_assert_uint_eq(alliance__fuzz_seed("c1::c2", 7), UINT64_C(0xdf573f8e0e9d6ba6));
    ck_assert_uint_eq(alliance__fuzz_seed("", 0), UINT64_C(0xc3817c016ba4ff30));
}
END_TEST

START_TEST(the_seed_depends_on_card_and_review_count_only)
{
    ck_assert_uint_eq(alliance__fuzz_seed("a", 3), alliance__fuzz_seed("a", 3));
    ck_assert_uint_ne(alliance__fuzz_seed("a", 3), alliance__fuzz_seed("a", 4));
    ck_assert_uint_ne(alliance__fuzz_seed("a", 3), alliance__fuzz_seed("b", 3));
}
END_TEST

/* Cards learned together spread apart: 100 cards answered alike, each drawing
 * its own fuzz, end up on many different days. */
START_TEST(cards_learned_together_drift_apart)
{
    int on_day[400] = { 0 };
    for (int c = 0; c < 100; c++) {
        char id[16];
        snprintf(id, sizeof id, "card-%d", c);
        int64_t due = 0;
        uint32_t intervals[] = { 6, 15, 38, 95 };
        for (uint32_t k = 0; k < 4; k++)
            due += intervals[k] + alliance__fuzz_days(intervals[k], CAP, alliance__fuzz_seed(id, k + 1));
        ck_assert_int_lt(due, 400);
        on_day[due]++;
    }
    int days = 0, most = 0;
    for (int d = 0; d < 400; d++) {
        days += on_day[d] > 0;
        most = on_day[d] > most ? on_day[d] : most;
    }
    ck_assert_int_ge(days, 12); /* without fuzz: all 100 on day 154 */
    ck_assert_int_le(most, 20);
}
END_TEST

static Suite *fuzz_suite(void)
{
    Suite *s = suite_create("fuzz");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, intervals_below_three_days_are_never_fuzzed);
    tcase_add_test(tc, the_documented_ranges);
    tcase_add_test(tc, ranges_equal_ankis_formula_for_every_interval_up_to_ten_years);
    tcase_add_test(tc, draws_cover_the_whole_range_and_nothing_else);
    tcase_add_test(tc, the_cap_bounds_the_range);
    tcase_add_test(tc, the_seed_is_the_documented_hash);
    tcase_add_test(tc, the_seed_depends_on_card_and_review_count_only);
    tcase_add_test(tc, cards_learned_together_drift_apart);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(fuzz_suite());
}
