/* SPDX-License-Identifier: MIT */
/* exam: the clamp of due days before an exam and the new-card pace, as docs/study-modes.md states them. */
#include "testutil.h"
#include "core/exam.h"

static const alliance__exam exam21 = { 1, 121, 3 }; /* exam on day 121, final window days 118..120 */
static const alliance__exam no_exam = { 0, 0, 0 };

START_TEST(a_due_day_before_the_exam_is_left_alone)
{
    ck_assert_int_eq(alliance__exam_due_from(&exam21, 100, 95, 110), 110);
    ck_assert_int_eq(alliance__exam_due_from(&exam21, 100, 95, 120), 120);
}
END_TEST

START_TEST(an_interval_crossing_the_exam_comes_back_in_the_final_window)
{
    /* reviewed on day 100, SM-2 says day 140: back on 118 + (100 mod 3) = 119 */
    ck_assert_int_eq(alliance__exam_due_from(&exam21, 105, 100, 140), 119);
    ck_assert_int_eq(alliance__exam_due_from(&exam21, 105, 99, 121), 118); /* U = E crosses it too */
    ck_assert_int_eq(alliance__exam_due_from(&exam21, 105, 101, 500), 120);
}
END_TEST

START_TEST(a_card_seen_in_the_final_window_keeps_its_sm2_day)
{
    ck_assert_int_eq(alliance__exam_due_from(&exam21, 119, 118, 124), 124);
    ck_assert_int_eq(alliance__exam_due_from(&exam21, 120, 120, 126), 126);
}
END_TEST

START_TEST(from_the_exam_day_on_plain_sm2_resumes)
{
    ck_assert_int_eq(alliance__exam_due_from(&exam21, 120, 100, 140), 119); /* the day before: clamped */
    ck_assert_int_eq(alliance__exam_due_from(&exam21, 121, 100, 140), 140); /* the exam day: SM-2's */
    ck_assert_int_eq(alliance__exam_due_from(&exam21, 300, 100, 140), 140);
}
END_TEST

START_TEST(without_an_exam_the_due_day_is_sm2s)
{
    ck_assert_int_eq(alliance__exam_due_from(&no_exam, 100, 95, 500), 500);
    ck_assert_int_eq(alliance__exam_due_from(NULL, 100, 95, 500), 500);
}
END_TEST

/* Every review before the window whose due day crosses the exam comes back
 * inside the window, after the review, and on each of its days for some D. */
START_TEST(the_clamp_spreads_over_the_window_and_never_goes_back_in_time)
{
    for (uint32_t w = 1; w <= ALLIANCE__EXAM_FINAL_DAYS_MAX; w++) {
        alliance__exam e = { 1, 1000, w };
        int hit[ALLIANCE__EXAM_FINAL_DAYS_MAX] = { 0 };
        for (int64_t d = 1000 - w - 200; d < 1000 - (int64_t)w; d++) {
            for (int64_t u = 1000; u < 1010; u++) {
                int64_t due = alliance__exam_due_from(&e, d, d, u);
                ck_assert_int_ge(due, 1000 - (int64_t)w);
                ck_assert_int_le(due, 999);
                ck_assert_int_gt(due, d);
                hit[due - (1000 - w)] = 1;
            }
        }
        for (uint32_t i = 0; i < w; i++)
            ck_assert_msg(hit[i], "window %u: day %u of it never used", w, i);
    }
}
END_TEST

START_TEST(days_before_1970_spread_the_same_way)
{
    alliance__exam e = { 1, -100, 3 }; /* window -103..-101 */
    ck_assert_int_eq(alliance__exam_due_from(&e, -150, -150, -50), -103); /* -150 mod 3 = 0 */
    ck_assert_int_eq(alliance__exam_due_from(&e, -149, -149, -50), -102);
    ck_assert_int_eq(alliance__exam_due_from(&e, -148, -148, -50), -101);
}
END_TEST

START_TEST(ready_by_leaves_room_for_three_looks_before_the_window)
{
    /* default SM-2: I(1) = 1, I(2) = 6; W = 3: R = E - 11 */
    int64_t r = alliance__exam_ready_by(&exam21, 1, 6);
    ck_assert_int_eq(r, 110);
    /* introduced on R: seen on R, R + 1, R + 7 = 117, all before the window (118) */
    ck_assert_int_lt(r + 1 + 6, exam21.day - (int64_t)exam21.final_days);
}
END_TEST

START_TEST(the_documented_pace)
{
    /* 121 cards, exam 21 days ahead (day 100 -> 121), ready by 110: 11 days */
    ck_assert_uint_eq(alliance__exam_pace(&exam21, 100, 110, 121), 11);
    ck_assert_uint_eq(alliance__exam_pace(&exam21, 110, 110, 7), 7);  /* the last day: everything */
    ck_assert_uint_eq(alliance__exam_pace(&exam21, 115, 110, 7), 7);  /* past it: everything */
    ck_assert_uint_eq(alliance__exam_pace(&exam21, 121, 110, 7), 0);  /* the exam day: no pace */
    ck_assert_uint_eq(alliance__exam_pace(&exam21, 100, 110, 0), 0);
    ck_assert_uint_eq(alliance__exam_pace(&exam21, 0, 110, 5), 1);    /* far ahead: one a day */
    ck_assert_uint_eq(alliance__exam_pace(&no_exam, 100, 110, 121), 0);
}
END_TEST

/* A learner who introduces exactly the pace every day has every card in by the
 * ready-by day, and never more than the first day's pace + 1 on a day. */
START_TEST(following_the_pace_introduces_everything_by_the_ready_by_day)
{
    for (uint32_t n = 1; n <= 400; n += 7) {
        for (int64_t start = 60; start <= 110; start += 5) {
            uint32_t left = n, first = alliance__exam_pace(&exam21, start, 110, n);
            int64_t day;
            for (day = start; left > 0 && day < exam21.day; day++) {
                uint32_t p = alliance__exam_pace(&exam21, day, 110, left);
                ck_assert_uint_le(p, first + 1);
                left -= p < left ? p : left;
            }
            ck_assert_msg(left == 0 && day - 1 <= 110, "%u cards from day %lld: %u left, last day %lld", n,
                          (long long)start, left, (long long)(day - 1));
        }
    }
}
END_TEST

static Suite *exam_suite(void)
{
    Suite *s = suite_create("exam");
    TCase *clamp = tcase_create("clamp");
    tcase_add_test(clamp, a_due_day_before_the_exam_is_left_alone);
    tcase_add_test(clamp, an_interval_crossing_the_exam_comes_back_in_the_final_window);
    tcase_add_test(clamp, a_card_seen_in_the_final_window_keeps_its_sm2_day);
    tcase_add_test(clamp, from_the_exam_day_on_plain_sm2_resumes);
    tcase_add_test(clamp, without_an_exam_the_due_day_is_sm2s);
    tcase_add_test(clamp, the_clamp_spreads_over_the_window_and_never_goes_back_in_time);
    tcase_add_test(clamp, days_before_1970_spread_the_same_way);
    suite_add_tcase(s, clamp);
    TCase *pace = tcase_create("pace");
    tcase_add_test(pace, ready_by_leaves_room_for_three_looks_before_the_window);
    tcase_add_test(pace, the_documented_pace);
    tcase_add_test(pace, following_the_pace_introduces_everything_by_the_ready_by_day);
    suite_add_tcase(s, pace);
    return s;
}

int main(void)
{
    return alliance_test_run(exam_suite());
}
