/* SPDX-License-Identifier: MIT */
/* review_step: an answer's effect by kind (review, ahead, preview) and the fuzz of its due day. */
#include "testutil.h"
#include "core/fuzz.h"
#include "core/review_step.h"
#include "core/sm2.h"

#include <string.h>

static alliance_sm2_params params;

static void setup(void)
{
    ck_assert_int_eq(alliance_sm2_params_init(&params, ALLIANCE_SM2_SUPERMEMO), 0);
}

static alliance__review_step step_of(alliance_sm2_state before, uint32_t kind, int grade, int64_t elapsed,
                                     uint32_t fuzz, uint32_t count)
{
    alliance__review_step s;
    memset(&s, 0, sizeof s);
    s.params = &params;
    s.before = before;
    s.kind = kind;
    s.grade = grade;
    s.elapsed_days = elapsed;
    s.fuzz = fuzz;
    s.card_id = "card-7";
    s.review_count = count;
    return s;
}

START_TEST(a_review_is_the_plain_sm2_step)
{
    alliance_sm2_state in = { 2, 2500, 6, 0 }, want;
    alliance__review_step s = step_of(in, ALLIANCE__KIND_REVIEW, 5, 6, 0, 2);
    ck_assert_int_eq(alliance__review_step_run(&s), 0);
    ck_assert_int_eq(alliance_sm2_next(&params, &in, 5, &want), 0);
    ck_assert(memcmp(&s.after, &want, sizeof want) == 0);
    ck_assert_int_eq(s.fuzz_days, 0);
    ck_assert_int_eq(alliance__review_step_due(&s, 100), 100 + want.interval_days);
}
END_TEST

START_TEST(an_ahead_answer_is_the_ahead_step)
{
    alliance_sm2_state in = { 3, 2500, 15, 0 };
    alliance__review_step s = step_of(in, ALLIANCE__KIND_AHEAD, 4, 8, 0, 3);
    ck_assert_int_eq(alliance__review_step_run(&s), 0);
    ck_assert_uint_eq(s.after.interval_days, 20);
    ck_assert_int_eq(alliance__review_step_due(&s, 50), 70);
}
END_TEST

START_TEST(a_preview_changes_nothing_but_needs_a_grade)
{
    alliance_sm2_state in = { 3, 2500, 15, 0 };
    alliance__review_step s = step_of(in, ALLIANCE__KIND_PREVIEW, 0, 2, 1, 3);
    ck_assert_int_eq(alliance__review_step_run(&s), 0);
    ck_assert(memcmp(&s.after, &in, sizeof in) == 0);
    ck_assert_int_eq(s.fuzz_days, 0);
    s.grade = 6;
    ck_assert_int_eq(alliance__review_step_run(&s), ALLIANCE_EGRADE);
}
END_TEST

START_TEST(fuzz_moves_the_due_day_by_the_seeded_draw)
{
    alliance_sm2_state in = { 3, 2500, 15, 0 }; /* 5 -> interval ceil(15 x 2.6) = 39 */
    alliance__review_step s = step_of(in, ALLIANCE__KIND_REVIEW, 5, 15, 1, 3);
    ck_assert_int_eq(alliance__review_step_run(&s), 0);
    ck_assert_uint_eq(s.after.interval_days, 39); /* the state is SM-2's */
    int32_t want = alliance__fuzz_days(39, params.max_interval_days, alliance__fuzz_seed("card-7", 3));
    ck_assert_int_eq(s.fuzz_days, want);
    ck_assert_int_eq(alliance__review_step_due(&s, 0), 39 + want);
    uint32_t lo, hi;
    alliance__fuzz_bounds(39, params.max_interval_days, &lo, &hi);
    ck_assert_int_ge(39 + s.fuzz_days, lo);
    ck_assert_int_le(39 + s.fuzz_days, hi);
}
END_TEST

/* Over many review counts the fuzz is not always 0: the test above could not pass by luck. */
START_TEST(fuzz_draws_vary_with_the_review_count)
{
    int nonzero = 0;
    for (uint32_t k = 0; k < 50; k++) {
        alliance__review_step s = step_of((alliance_sm2_state){ 3, 2500, 15, 0 }, ALLIANCE__KIND_REVIEW, 5, 15, 1, k);
        ck_assert_int_eq(alliance__review_step_run(&s), 0);
        nonzero += s.fuzz_days != 0;
    }
    ck_assert_int_gt(nonzero, 30);
}
END_TEST

START_TEST(same_day_repeats_failures_and_short_intervals_are_not_fuzzed)
{
    alliance_sm2_state learned = { 3, 2500, 15, 0 }, fresh = { 0, 2500, 0, 0 };
    alliance__review_step three = step_of(learned, ALLIANCE__KIND_REVIEW, 3, 15, 1, 9); /* repeat today */
    alliance__review_step fail = step_of(learned, ALLIANCE__KIND_REVIEW, 1, 15, 1, 9);  /* interval 0 */
    alliance__review_step first = step_of(fresh, ALLIANCE__KIND_REVIEW, 5, -1, 1, 0);   /* interval 1 */
    for (int k = 0; k < 20; k++) {
        three.review_count = fail.review_count = first.review_count = (uint32_t)k;
        ck_assert_int_eq(alliance__review_step_run(&three), 0);
        ck_assert_int_eq(alliance__review_step_run(&fail), 0);
        ck_assert_int_eq(alliance__review_step_run(&first), 0);
        ck_assert_int_eq(three.fuzz_days + fail.fuzz_days + first.fuzz_days, 0);
    }
    ck_assert_int_eq(alliance__review_step_due(&three, 30), 30);
    ck_assert_int_eq(alliance__review_step_due(&fail, 30), 30);
    ck_assert_int_eq(alliance__review_step_due(&first, 30), 31);
}
END_TEST

START_TEST(bad_input_writes_nothing)
{
    alliance__review_step s = step_of((alliance_sm2_state){ 3, 2500, 15, 0 }, 7, 4, 1, 0, 0);
    alliance__review_step copy = s;
    ck_assert_int_eq(alliance__review_step_run(&s), ALLIANCE_EINVAL);
    ck_assert(memcmp(&s, &copy, sizeof s) == 0);
    s.kind = ALLIANCE__KIND_REVIEW;
    s.before.efactor_milli = 1; /* below the floor */
    copy = s;
    ck_assert_int_eq(alliance__review_step_run(&s), ALLIANCE_ESTATE);
    ck_assert(memcmp(&s, &copy, sizeof s) == 0);
}
END_TEST

static Suite *review_step_suite(void)
{
    Suite *s = suite_create("review_step");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, a_review_is_the_plain_sm2_step);
    tcase_add_test(tc, an_ahead_answer_is_the_ahead_step);
    tcase_add_test(tc, a_preview_changes_nothing_but_needs_a_grade);
    tcase_add_test(tc, fuzz_moves_the_due_day_by_the_seeded_draw);
    tcase_add_test(tc, fuzz_draws_vary_with_the_review_count);
    tcase_add_test(tc, same_day_repeats_failures_and_short_intervals_are_not_fuzzed);
    tcase_add_test(tc, bad_input_writes_nothing);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(review_step_suite());
}
