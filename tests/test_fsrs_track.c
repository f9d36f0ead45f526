/* SPDX-License-Identifier: MIT */
/* fsrs_track: a card's FSRS state as the replay of its log (steps, same-day drills, lapses). */
#include "testutil.h"

#include "core/fsrs_track.h"

#include <string.h>

static alliance_fsrs_params params;

static void setup(void)
{
    ck_assert_int_eq(alliance_fsrs_params_init(&params, ALLIANCE_FSRS_PARAMS_VERSION), ALLIANCE_OK);
}

static alliance__fsrs_track step(alliance__fsrs_track t, int rating, int64_t elapsed)
{
    int rc = alliance__fsrs_track_step(&params, &t, rating, elapsed, &t);
    ck_assert_int_eq(rc, ALLIANCE_OK);
    return t;
}

static void assert_same_state(const alliance_fsrs_state *a, const alliance_fsrs_state *b)
{
    ck_assert(memcmp(&a->stability, &b->stability, sizeof a->stability) == 0);
    ck_assert(memcmp(&a->difficulty, &b->difficulty, sizeof a->difficulty) == 0);
    ck_assert_uint_eq(a->interval_days, b->interval_days);
}

START_TEST(the_first_answer_is_the_new_card_step)
{
    alliance__fsrs_track t = {{0, 0, 0}, 0};
    t = step(t, ALLIANCE_FSRS_GOOD, -1);
    alliance_fsrs_state zero = {0, 0, 0}, want;
    ck_assert_int_eq(alliance_fsrs_next(&params, &zero, ALLIANCE_FSRS_GOOD, 0, &want), ALLIANCE_OK);
    assert_same_state(&t.state, &want);
    ck_assert_uint_eq(t.drill, 0);
    ck_assert_uint_eq(alliance__fsrs_track_due_in(&t), 3); /* docs/fsrs.md's worked example */
}
END_TEST

START_TEST(an_answer_on_a_later_day_steps_over_the_days_between)
{
    alliance__fsrs_track t = step((alliance__fsrs_track){{0, 0, 0}, 0}, ALLIANCE_FSRS_GOOD, -1);
    alliance_fsrs_state want;
    ck_assert_int_eq(alliance_fsrs_next(&params, &t.state, ALLIANCE_FSRS_GOOD, 3, &want), ALLIANCE_OK);
    t = step(t, ALLIANCE_FSRS_GOOD, 3);
    assert_same_state(&t.state, &want);
    ck_assert_uint_eq(t.state.interval_days, 14);
}
END_TEST

START_TEST(an_again_owes_a_drill_the_same_day_that_leaves_the_memory_as_it_is)
{
    alliance__fsrs_track t = step((alliance__fsrs_track){{0, 0, 0}, 0}, ALLIANCE_FSRS_GOOD, -1);
    t = step(t, ALLIANCE_FSRS_AGAIN, 3);
    ck_assert_uint_eq(t.drill, 1);
    ck_assert_uint_eq(alliance__fsrs_track_due_in(&t), 0);
    alliance_fsrs_state after_again = t.state;
    t = step(t, ALLIANCE_FSRS_AGAIN, 0); /* failed again in the drill: still owed */
    assert_same_state(&t.state, &after_again);
    ck_assert_uint_eq(t.drill, 1);
    t = step(t, ALLIANCE_FSRS_EASY, 0);  /* the drill passes: due as the Again scheduled */
    assert_same_state(&t.state, &after_again);
    ck_assert_uint_eq(t.drill, 0);
    ck_assert_uint_eq(alliance__fsrs_track_due_in(&t), after_again.interval_days);
    ck_assert_uint_ge(after_again.interval_days, 1);
}
END_TEST

START_TEST(a_lapse_is_an_again_on_another_day_of_a_card_answered_before)
{
    alliance__fsrs_track fresh = {{0, 0, 0}, 0};
    ck_assert(!alliance__fsrs_track_is_lapse(&fresh, ALLIANCE_FSRS_AGAIN, -1));
    alliance__fsrs_track t = step(fresh, ALLIANCE_FSRS_GOOD, -1);
    ck_assert(alliance__fsrs_track_is_lapse(&t, ALLIANCE_FSRS_AGAIN, 3));
    ck_assert(!alliance__fsrs_track_is_lapse(&t, ALLIANCE_FSRS_AGAIN, 0));
    ck_assert(!alliance__fsrs_track_is_lapse(&t, ALLIANCE_FSRS_HARD, 3));
}
END_TEST

START_TEST(bad_ratings_are_refused_also_in_a_drill_and_change_nothing)
{
    alliance__fsrs_track t = step((alliance__fsrs_track){{0, 0, 0}, 0}, ALLIANCE_FSRS_GOOD, -1);
    alliance__fsrs_track out = {{1, 2, 3}, 7};
    ck_assert_int_eq(alliance__fsrs_track_step(&params, &t, 5, 0, &out), ALLIANCE_EGRADE);
    ck_assert_int_eq(alliance__fsrs_track_step(&params, &t, 0, 4, &out), ALLIANCE_EGRADE);
    ck_assert_uint_eq(out.drill, 7);
    ck_assert_int_eq(alliance__fsrs_track_step(NULL, &t, 3, 4, &out), ALLIANCE_EINVAL);
}
END_TEST

START_TEST(an_absence_beyond_uint32_days_forgets_as_uint32_days_does)
{
    alliance__fsrs_track t = step((alliance__fsrs_track){{0, 0, 0}, 0}, ALLIANCE_FSRS_GOOD, -1);
    alliance__fsrs_track a = step(t, ALLIANCE_FSRS_GOOD, INT64_C(1) << 40);
    alliance__fsrs_track b = step(t, ALLIANCE_FSRS_GOOD, UINT32_MAX);
    assert_same_state(&a.state, &b.state);
}
END_TEST

static Suite *fsrs_track_suite(void)
{
    Suite *s = suite_create("fsrs_track");
    TCase *tc = tcase_create("fsrs_track");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, the_first_answer_is_the_new_card_step);
    tcase_add_test(tc, an_answer_on_a_later_day_steps_over_the_days_between);
    tcase_add_test(tc, an_again_owes_a_drill_the_same_day_that_leaves_the_memory_as_it_is);
    tcase_add_test(tc, a_lapse_is_an_again_on_another_day_of_a_card_answered_before);
    tcase_add_test(tc, bad_ratings_are_refused_also_in_a_drill_and_change_nothing);
    tcase_add_test(tc, an_absence_beyond_uint32_days_forgets_as_uint32_days_does);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(fsrs_track_suite());
}
