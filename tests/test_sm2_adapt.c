/* SPDX-License-Identifier: MIT */
/* sm2_adapt: a state scheduled under older parameters is brought within the new ones. */
#include "testutil.h"
#include "core/sm2.h"

#include <string.h>

static alliance_sm2_params params_of(int preset)
{
    alliance_sm2_params p;
    ck_assert_int_eq(alliance_sm2_params_init(&p, preset), 0);
    return p;
}

START_TEST(valid_states_are_left_alone)
{
    alliance_sm2_params p = params_of(ALLIANCE_SM2_SUPERMEMO);
    alliance_sm2_state s = { 3, 2600, 17, 1 }, copy = s;
    alliance__sm2_adapt(&p, &s);
    ck_assert(memcmp(&s, &copy, sizeof s) == 0);
}
END_TEST

START_TEST(raised_floor_and_lowered_cap_become_answerable)
{
    alliance_sm2_params p = params_of(ALLIANCE_SM2_SUPERMEMO);
    alliance_sm2_state s = { 5, 1300, 400, 0 }, after;
    p.min_efactor_milli = 1500;
    p.max_interval_days = 100;
    ck_assert_int_eq(alliance_sm2_next(&p, &s, 4, &after), ALLIANCE_ESTATE);
    alliance__sm2_adapt(&p, &s);
    ck_assert_uint_eq(s.efactor_milli, 1500);
    ck_assert_uint_eq(s.interval_days, 100);
    ck_assert_int_eq(alliance_sm2_next(&p, &s, 4, &after), 0);
}
END_TEST

START_TEST(switching_to_classic_drops_a_pending_same_day_repeat)
{
    alliance_sm2_params p = params_of(ALLIANCE_SM2_CLASSIC);
    alliance_sm2_state s = { 2, 2360, 6, 1 }, after;
    ck_assert_int_eq(alliance_sm2_next(&p, &s, 4, &after), ALLIANCE_ESTATE);
    alliance__sm2_adapt(&p, &s);
    ck_assert_uint_eq(s.repeat_today, 0);
    ck_assert_uint_eq(s.interval_days, 6);
    ck_assert_int_eq(alliance_sm2_next(&p, &s, 4, &after), 0);
}
END_TEST

static Suite *adapt_suite(void)
{
    Suite *s = suite_create("sm2_adapt");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, valid_states_are_left_alone);
    tcase_add_test(tc, raised_floor_and_lowered_cap_become_answerable);
    tcase_add_test(tc, switching_to_classic_drops_a_pending_same_day_repeat);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(adapt_suite());
}
