/* SPDX-License-Identifier: MIT */
/* study_stats: true retention (Anki's), mature retention, answer time, and
 * reviews per day, as docs/study-modes.md ("Statistics") defines them. */
#include "collection_fixture.h"

#include <stddef.h>

static alliance_db *db;
static int64_t deck_a, deck_b;

static void setup(void)
{
    db = fixture_open(":memory:");
    deck_a = fixture_add_cards(db, "A", "a", 4, ALLIANCE_TEST_NOW);
    deck_b = fixture_add_cards(db, "B", "b", 2, ALLIANCE_TEST_NOW);
}

static void teardown(void)
{
    alliance_close(db);
    db = NULL;
}

static void answer_timed(const char *id, int grade, int64_t now, uint32_t ms)
{
    int rc = alliance_answer(db, id, grade, now, ms, NULL);
    ck_assert_msg(rc == ALLIANCE_OK, "answer %s %d: %s", id, grade, alliance_errmsg(db));
}

static alliance_stats stats_of(int64_t deck_id, int64_t now, uint32_t window)
{
    alliance_stats stats = ALLIANCE_STATS_INIT;
    int rc = alliance_stats_get(db, deck_id, now, window, &stats);
    ck_assert_msg(rc == ALLIANCE_OK, "stats: %s", alliance_errmsg(db));
    return stats;
}

/* First answers of new cards and same-day repeats are not true reviews. */
START_TEST(true_retention_counts_only_cards_with_an_interval)
{
    fixture_answer(db, "a1", 3, fixture_at(0, 9));  /* new: n 1, I 1, repeat today */
    fixture_answer(db, "a1", 2, fixture_at(0, 10)); /* a same-day repeat, failed */
    fixture_answer(db, "a1", 4, fixture_at(0, 11)); /* the repeat passed: due day 1 */
    fixture_answer(db, "a2", 1, fixture_at(0, 9));  /* new, failed: due again today */
    fixture_answer(db, "a2", 4, fixture_at(0, 10)); /* a relearning step (interval 0) */
    alliance_stats day0 = stats_of(0, fixture_at(0, 12), 30);
    ck_assert_uint_eq(day0.reviews, 5);
    ck_assert_uint_eq(day0.correct, 3);
    ck_assert_uint_eq(day0.true_reviews, 0);
    fixture_answer(db, "a1", 5, fixture_at(1, 9)); /* interval 1: a true review, passed */
    fixture_answer(db, "a2", 2, fixture_at(1, 9)); /* interval 1: a true review, failed */
    alliance_stats day1 = stats_of(0, fixture_at(1, 12), 30);
    ck_assert_uint_eq(day1.reviews, 7);
    ck_assert_uint_eq(day1.true_reviews, 2);
    ck_assert_uint_eq(day1.true_passed, 1);
    ck_assert_uint_eq(day1.mature_reviews, 0);
}
END_TEST

/* A same-day repeat is not a true review; an answer on a later day to a card with an interval
 * is, even when SM-2 still owed it a repeat (a 3 whose repeat was not done that day). Under FSRS
 * that is every answer after a Hard (3): the SM-2 track keeps repeat_today while FSRS brings the
 * card back days later, and those reviews were left out of true retention. */
START_TEST(a_later_day_answer_is_a_true_review_even_with_a_repeat_owed)
{
    fixture_answer(db, "a1", 5, fixture_at(0, 9)); /* I 1 */
    fixture_answer(db, "a1", 3, fixture_at(1, 9)); /* a true review (passed), repeat owed today */
    fixture_answer(db, "a1", 4, fixture_at(3, 9)); /* the repeat, given two days later: true */
    alliance_stats st = stats_of(0, fixture_at(3, 12), 30);
    ck_assert_uint_eq(st.reviews, 3);
    ck_assert_uint_eq(st.true_reviews, 2);
    ck_assert_uint_eq(st.true_passed, 2);
    fixture_answer(db, "a2", 5, fixture_at(0, 9));
    fixture_answer(db, "a2", 3, fixture_at(1, 9));  /* repeat owed ... */
    fixture_answer(db, "a2", 4, fixture_at(1, 10)); /* ... and given the same day: not true */
    st = stats_of(0, fixture_at(3, 12), 30);
    ck_assert_uint_eq(st.true_reviews, 3);
}
END_TEST

START_TEST(under_fsrs_the_review_after_a_hard_is_a_true_review)
{
    alliance_scheduler_report *report = NULL;
    ck_assert_int_eq(alliance_scheduler_set(db, ALLIANCE_SCHEDULER_FSRS, ALLIANCE_TEST_NOW, &report), ALLIANCE_OK);
    alliance_free(report);
    fixture_answer(db, "a1", 4, fixture_at(0, 9)); /* good: a first answer */
    alliance_card *c = fixture_card(db, "a1");
    int64_t day0 = c->last_review_day, due = c->due_day;
    alliance_free(c);
    ck_assert_int_gt(due, day0);
    fixture_answer(db, "a1", 3, fixture_at(due - day0, 9)); /* hard, on the due day */
    c = fixture_card(db, "a1");
    int64_t due2 = c->due_day;
    alliance_free(c);
    ck_assert_int_gt(due2, due); /* FSRS: back days later, no same-day repeat */
    fixture_answer(db, "a1", 4, fixture_at(due2 - day0, 9)); /* good, on its due day */
    alliance_stats st = stats_of(0, fixture_at(due2 - day0, 12), 3650);
    ck_assert_uint_eq(st.reviews, 3);
    ck_assert_uint_eq(st.true_reviews, 2); /* both later-day answers */
    ck_assert_uint_eq(st.true_passed, 2);
}
END_TEST

/* Mature: the interval before the answer was at least 21 days. */
START_TEST(mature_reviews_had_an_interval_of_21_days_or_more)
{
    /* 5, 5, 5: intervals 1, 6, 17; a 4 after 17 days (young: interval 48), a 2 after 50 (mature) */
    int64_t day = 0;
    const int64_t gaps[] = { 0, 1, 6, 17, 50 };
    const int grades[] = { 5, 5, 5, 4, 2 };
    for (int i = 0; i < 5; i++) {
        day += gaps[i];
        fixture_answer(db, "a1", grades[i], fixture_at(day, 9));
    }
    alliance_stats st = stats_of(deck_a, fixture_at(day, 12), 3650);
    ck_assert_uint_eq(st.reviews, 5);
    ck_assert_uint_eq(st.true_reviews, 4);   /* every answer but the first */
    ck_assert_uint_eq(st.true_passed, 3);
    ck_assert_uint_eq(st.mature_reviews, 1); /* the answer after interval 48 */
    ck_assert_uint_eq(st.mature_passed, 0);
    st = stats_of(deck_a, fixture_at(day, 12), 1); /* today only: the mature failure */
    ck_assert_uint_eq(st.true_reviews, 1);
    ck_assert_uint_eq(st.mature_reviews, 1);
}
END_TEST

START_TEST(average_answer_time_ignores_unknown_times)
{
    answer_timed("a1", 5, fixture_at(0, 9), 1000);
    answer_timed("a2", 5, fixture_at(0, 9), 0); /* unknown */
    answer_timed("a3", 5, fixture_at(0, 9), 2001);
    answer_timed("b1", 5, fixture_at(0, 9), 9000);
    alliance_stats a = stats_of(deck_a, fixture_at(0, 12), 30);
    ck_assert_uint_eq(a.timed_answers, 2);
    ck_assert_uint_eq(a.average_answer_ms, 1501); /* 3001 / 2 = 1500.5, half up */
    alliance_stats all = stats_of(0, fixture_at(0, 12), 30);
    ck_assert_uint_eq(all.timed_answers, 3);
    ck_assert_uint_eq(all.average_answer_ms, 4000);
    alliance_stats none = stats_of(deck_b, fixture_at(40, 12), 30);
    ck_assert_uint_eq(none.timed_answers, 0);
    ck_assert_uint_eq(none.average_answer_ms, 0);
}
END_TEST

/* A caller built against version 1 allocated 40 bytes: nothing past them is written. */
START_TEST(a_version_1_caller_gets_exactly_the_version_1_layout)
{
    fixture_answer(db, "a1", 5, fixture_at(0, 9));
    fixture_answer(db, "a1", 5, fixture_at(1, 9));
    size_t v1 = offsetof(alliance_stats, true_reviews);
    ck_assert_uint_eq(v1, 40);
    unsigned char buf[sizeof(alliance_stats) + 8];
    memset(buf, 0xAB, sizeof buf);
    alliance_stats *st = (alliance_stats *)(void *)buf;
    ck_assert_int_eq(alliance_stats_init(st, 1), ALLIANCE_OK);
    for (size_t i = v1; i < sizeof buf; i++)
        ck_assert_uint_eq(buf[i], 0xAB);
    ck_assert_int_eq(alliance_stats_get(db, 0, fixture_at(1, 12), 30, st), ALLIANCE_OK);
    ck_assert_uint_eq(st->version, 1);
    ck_assert_uint_eq(st->reviews, 2);
    for (size_t i = v1; i < sizeof buf; i++)
        ck_assert_msg(buf[i] == 0xAB, "byte %zu past the version 1 layout was written", i);
    ck_assert_int_eq(alliance_stats_init(st, 3), ALLIANCE_EVERSION);
}
END_TEST

START_TEST(reviews_per_day_count_back_from_today)
{
    fixture_answer(db, "a1", 3, fixture_at(0, 9)); /* 2 answers on day 0 (a same-day repeat) */
    fixture_answer(db, "a1", 4, fixture_at(0, 10));
    fixture_answer(db, "b1", 5, fixture_at(2, 9)); /* day 2 */
    fixture_answer(db, "a2", 5, fixture_at(5, 9)); /* day 5 = today */
    uint32_t counts[7];
    memset(counts, 0xff, sizeof counts);
    ck_assert_int_eq(alliance_review_history(db, 0, fixture_at(5, 12), counts, 7), ALLIANCE_OK);
    const uint32_t want[7] = { 1, 0, 0, 1, 0, 2, 0 }; /* today, yesterday, ... */
    for (int i = 0; i < 7; i++)
        ck_assert_msg(counts[i] == want[i], "%d days ago: %u, expected %u", i, counts[i], want[i]);
    ck_assert_int_eq(alliance_review_history(db, deck_a, fixture_at(5, 12), counts, 7), ALLIANCE_OK);
    ck_assert_uint_eq(counts[3], 0); /* b1 is in deck B */
    ck_assert_uint_eq(counts[5], 2);
    uint32_t one;
    ck_assert_int_eq(alliance_review_history(db, 0, fixture_at(5, 12), &one, 1), ALLIANCE_OK);
    ck_assert_uint_eq(one, 1);
    uint32_t year[366];
    ck_assert_int_eq(alliance_review_history(db, 0, fixture_at(370, 12), year, 366), ALLIANCE_OK);
    ck_assert_uint_eq(year[365], 1); /* day 5, 365 days before day 370 */
    ck_assert_uint_eq(year[0] + year[1], 0);
}
END_TEST

START_TEST(history_refuses_bad_arguments_and_leaves_counts_alone)
{
    uint32_t counts[2] = { 7, 7 };
    ck_assert_int_eq(alliance_review_history(db, 0, fixture_at(0, 12), counts, 0), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_review_history(db, 0, fixture_at(0, 12), counts, 3651), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_review_history(db, 0, fixture_at(0, 12), NULL, 2), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_review_history(db, -1, fixture_at(0, 12), counts, 2), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_review_history(db, deck_b + 9, fixture_at(0, 12), counts, 2), ALLIANCE_ENOTFOUND);
    ck_assert(strstr(alliance_errmsg(db), "deck") != NULL);
    ck_assert_int_eq(alliance_review_history(NULL, 0, fixture_at(0, 12), counts, 2), ALLIANCE_EINVAL);
    ck_assert_uint_eq(counts[0], 7);
    ck_assert_uint_eq(counts[1], 7);
}
END_TEST

static Suite *study_stats_suite(void)
{
    Suite *s = suite_create("study_stats");
    TCase *tc = tcase_create("stats");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, true_retention_counts_only_cards_with_an_interval);
    tcase_add_test(tc, a_later_day_answer_is_a_true_review_even_with_a_repeat_owed);
    tcase_add_test(tc, under_fsrs_the_review_after_a_hard_is_a_true_review);
    tcase_add_test(tc, mature_reviews_had_an_interval_of_21_days_or_more);
    tcase_add_test(tc, average_answer_time_ignores_unknown_times);
    tcase_add_test(tc, a_version_1_caller_gets_exactly_the_version_1_layout);
    tcase_add_test(tc, reviews_per_day_count_back_from_today);
    tcase_add_test(tc, history_refuses_bad_arguments_and_leaves_counts_alone);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(study_stats_suite());
}
