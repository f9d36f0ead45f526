/* SPDX-License-Identifier: MIT */
/* sm2_ahead: a review ahead grows the interval from the real elapsed days, never shrinks it. */
#include "testutil.h"
#include "core/sm2.h"

#include <string.h>

static alliance_sm2_params params_of(int preset)
{
    alliance_sm2_params p;
    ck_assert_int_eq(alliance_sm2_params_init(&p, preset), 0);
    return p;
}

static alliance_sm2_state ahead(int preset, alliance_sm2_state in, int grade, int64_t elapsed)
{
    alliance_sm2_params p = params_of(preset);
    alliance_sm2_state out;
    ck_assert_int_eq(alliance__sm2_ahead(&p, &in, grade, elapsed, &out), 0);
    return out;
}

static int same(alliance_sm2_state a, alliance_sm2_state b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* The document's example: interval 15, E-Factor 2.5. */
START_TEST(one_day_in_keeps_the_planned_interval)
{
    alliance_sm2_state s = { 3, 2500, 15, 0 }, out = ahead(ALLIANCE_SM2_SUPERMEMO, s, 4, 1);
    ck_assert_uint_eq(out.interval_days, 15); /* ceil(1 x 2.5) = 3 < 15 */
    ck_assert_uint_eq(out.repetitions, 3);
    ck_assert_uint_eq(out.efactor_milli, 2500);
}
END_TEST

START_TEST(eight_days_in_grows_from_the_elapsed_days)
{
    alliance_sm2_state s = { 3, 2500, 15, 0 }, out = ahead(ALLIANCE_SM2_SUPERMEMO, s, 4, 8);
    ck_assert_uint_eq(out.interval_days, 20); /* ceil(8 x 2.5), where on time it would be 38 */
    ck_assert_uint_eq(out.repetitions, 4);
}
END_TEST

START_TEST(the_new_efactor_rounds_up_under_supermemo)
{
    alliance_sm2_state s = { 3, 2500, 15, 0 }, out = ahead(ALLIANCE_SM2_SUPERMEMO, s, 5, 7);
    ck_assert_uint_eq(out.efactor_milli, 2600);
    ck_assert_uint_eq(out.interval_days, 19); /* ceil(7 x 2.6 = 18.2) */
}
END_TEST

START_TEST(classic_uses_the_old_efactor_half_up)
{
    alliance_sm2_state s = { 3, 2500, 15, 0 }, out = ahead(ALLIANCE_SM2_CLASSIC, s, 5, 7);
    ck_assert_uint_eq(out.interval_days, 18); /* round(7 x 2.5 = 17.5) */
    ck_assert_uint_eq(out.efactor_milli, 2600);
    ck_assert_uint_eq(out.repeat_today, 0);
}
END_TEST

START_TEST(a_three_still_asks_for_a_same_day_repeat)
{
    alliance_sm2_state s = { 3, 2500, 15, 0 }, out = ahead(ALLIANCE_SM2_SUPERMEMO, s, 3, 10);
    ck_assert_uint_eq(out.repeat_today, 1);
    ck_assert_uint_eq(out.efactor_milli, 2360);
    ck_assert_uint_eq(out.interval_days, 24); /* ceil(10 x 2.36 = 23.6) */
}
END_TEST

/* Whatever is not an early recall is exactly a plain SM-2 step. */
START_TEST(failures_new_cards_repeats_and_cards_on_time_are_plain_sm2)
{
    static const struct { alliance_sm2_state s; int grade; int64_t elapsed; } cases[] = {
        { { 3, 2500, 15, 0 }, 2, 5 },  /* a failure is a failure */
        { { 3, 2500, 15, 0 }, 0, 1 },
        { { 0, 2500, 0, 0 }, 4, -1 },  /* new */
        { { 0, 2500, 0, 0 }, 5, 0 },   /* lapsed */
        { { 2, 2360, 6, 1 }, 4, 0 },   /* owed a same-day repeat */
        { { 3, 2500, 15, 0 }, 4, 15 }, /* on time */
        { { 3, 2500, 15, 0 }, 4, 40 }, /* late */
    };
    for (int preset = 0; preset <= 1; preset++) {
        alliance_sm2_params p = params_of(preset);
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            alliance_sm2_state in = cases[i].s, want, got;
            if (preset == ALLIANCE_SM2_CLASSIC && in.repeat_today)
                continue; /* CLASSIC has no same-day repeats */
            ck_assert_int_eq(alliance_sm2_next(&p, &in, cases[i].grade, &want), 0);
            ck_assert_int_eq(alliance__sm2_ahead(&p, &in, cases[i].grade, cases[i].elapsed, &got), 0);
            ck_assert_msg(same(want, got), "preset %d, case %zu", preset, i);
        }
    }
}
END_TEST

START_TEST(a_recall_ahead_never_shortens_the_interval)
{
    for (int preset = 0; preset <= 1; preset++)
        for (uint32_t interval = 1; interval <= 200; interval++)
            for (int64_t e = 0; e < interval; e++)
                for (int grade = 3; grade <= 5; grade++) {
                    alliance_sm2_state s = { 4, 1300 + interval * 7, interval, 0 };
                    alliance_sm2_state out = ahead(preset, s, grade, e);
                    ck_assert_uint_ge(out.interval_days, interval);
                    ck_assert_uint_eq(out.repetitions, out.interval_days > interval ? 5u : 4u);
                }
}
END_TEST

START_TEST(the_cap_holds_and_bad_input_is_refused_untouched)
{
    alliance_sm2_params p = params_of(ALLIANCE_SM2_SUPERMEMO);
    p.max_interval_days = 30;
    alliance_sm2_state s = { 5, 3000, 25, 0 }, out = { 9, 9, 9, 9 }, untouched = out;
    ck_assert_int_eq(alliance__sm2_ahead(&p, &s, 5, 20, &out), 0);
    ck_assert_uint_eq(out.interval_days, 30); /* ceil(20 x 3.1) = 62, capped */
    out = untouched;
    ck_assert_int_eq(alliance__sm2_ahead(&p, &s, 6, 20, &out), ALLIANCE_EGRADE);
    ck_assert(same(out, untouched));
    alliance_sm2_state bad = { 5, 3000, 40, 0 };
    ck_assert_int_eq(alliance__sm2_ahead(&p, &bad, 4, 20, &out), ALLIANCE_ESTATE);
    ck_assert(same(out, untouched));
}
END_TEST

START_TEST(in_and_out_may_be_the_same_state)
{
    alliance_sm2_params p = params_of(ALLIANCE_SM2_SUPERMEMO);
    alliance_sm2_state s = { 3, 2500, 15, 0 };
    ck_assert_int_eq(alliance__sm2_ahead(&p, &s, 4, 8, &s), 0);
    ck_assert_uint_eq(s.interval_days, 20);
    ck_assert_uint_eq(s.repetitions, 4);
}
END_TEST

static Suite *ahead_suite(void)
{
    Suite *s = suite_create("sm2_ahead");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, one_day_in_keeps_the_planned_interval);
    tcase_add_test(tc, eight_days_in_grows_from_the_elapsed_days);
    tcase_add_test(tc, the_new_efactor_rounds_up_under_supermemo);
    tcase_add_test(tc, classic_uses_the_old_efactor_half_up);
    tcase_add_test(tc, a_three_still_asks_for_a_same_day_repeat);
    tcase_add_test(tc, failures_new_cards_repeats_and_cards_on_time_are_plain_sm2);
    tcase_add_test(tc, a_recall_ahead_never_shortens_the_interval);
    tcase_add_test(tc, the_cap_holds_and_bad_input_is_refused_untouched);
    tcase_add_test(tc, in_and_out_may_be_the_same_state);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(ahead_suite());
}
