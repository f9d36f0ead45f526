/* SPDX-License-Identifier: MIT */
/* stats: per-deck counts, reviews and retention over a window, and the forecast of due cards. */
#include "collection_fixture.h"

static alliance_db *db;
static int64_t deck_a, deck_b;

/* Deck A: a1 learned (due day 1), a2 failed as a new card (due day 0), a3 suspended, a4 a5 new.
 * Deck B: b1 a suspended leech (threshold 1), b2 b3 new. Reviews: 2 on day 0 in A, 2 in B over days 0-1. */
static void setup(void)
{
    db = fixture_open(":memory:");
    deck_a = fixture_add_cards(db, "A", "a", 5, ALLIANCE_TEST_NOW);
    deck_b = fixture_add_cards(db, "B", "b", 3, ALLIANCE_TEST_NOW);
    alliance_config config;
    alliance_config_init(&config, ALLIANCE_CONFIG_VERSION);
    config.leech_threshold = 1;
    ck_assert_int_eq(alliance_config_set(db, &config), ALLIANCE_OK);
    fixture_answer(db, "a1", 5, fixture_at(0, 10));
    fixture_answer(db, "a2", 1, fixture_at(0, 11));
    ck_assert_int_eq(alliance_card_suspend(db, "a3", 1, fixture_at(0, 12)), ALLIANCE_OK);
    fixture_answer(db, "b1", 4, fixture_at(0, 12));
    fixture_answer(db, "b1", 2, fixture_at(1, 12));
}

/* For the tests that add their own cards. */
static void setup_empty(void)
{
    db = fixture_open(":memory:");
}

static void teardown(void)
{
    alliance_close(db);
    db = NULL;
}

static alliance_stats stats_of(int64_t deck_id, int64_t now, uint32_t window)
{
    alliance_stats stats;
    ck_assert_int_eq(alliance_stats_init(&stats, ALLIANCE_STATS_VERSION), ALLIANCE_OK);
    int rc = alliance_stats_get(db, deck_id, now, window, &stats);
    ck_assert_msg(rc == ALLIANCE_OK, "stats: %s", alliance_errmsg(db));
    return stats;
}

START_TEST(an_empty_collection_has_zero_everything)
{
    alliance_db *empty = fixture_open(":memory:");
    alliance_stats stats;
    alliance_stats_init(&stats, ALLIANCE_STATS_VERSION);
    stats.total = 99;
    ck_assert_int_eq(alliance_stats_get(empty, 0, fixture_at(0, 12), 30, &stats), ALLIANCE_OK);
    ck_assert_uint_eq(stats.total + stats.new_cards + stats.learned + stats.due_today, 0);
    ck_assert_uint_eq(stats.suspended + stats.leeches + stats.reviews + stats.correct, 0);
    ck_assert_uint_eq(stats.window_days, 30);
    alliance_close(empty);
}
END_TEST

START_TEST(a_deck_counts_its_cards_by_kind)
{
    alliance_stats a = stats_of(deck_a, fixture_at(1, 12), 30);
    ck_assert_uint_eq(a.total, 5);
    ck_assert_uint_eq(a.new_cards, 3);
    ck_assert_uint_eq(a.learned, 2);
    ck_assert_uint_eq(a.due_today, 2); /* a1 due today, a2 overdue */
    ck_assert_uint_eq(a.suspended, 1);
    ck_assert_uint_eq(a.leeches, 0);
    alliance_stats b = stats_of(deck_b, fixture_at(1, 12), 30);
    ck_assert_uint_eq(b.total, 3);
    ck_assert_uint_eq(b.learned, 1);
    ck_assert_uint_eq(b.due_today, 0); /* the leech is suspended */
    ck_assert_uint_eq(b.suspended, 1);
    ck_assert_uint_eq(b.leeches, 1);
}
END_TEST

START_TEST(every_deck_adds_up_the_decks)
{
    alliance_stats all = stats_of(0, fixture_at(1, 12), 30);
    ck_assert_uint_eq(all.total, 8);
    ck_assert_uint_eq(all.new_cards, 5);
    ck_assert_uint_eq(all.learned, 3);
    ck_assert_uint_eq(all.suspended, 2);
    ck_assert_uint_eq(all.leeches, 1);
    ck_assert_uint_eq(all.reviews, 4);
    ck_assert_uint_eq(all.correct, 2);
}
END_TEST

START_TEST(reviews_and_retention_count_only_the_window)
{
    alliance_stats b = stats_of(deck_b, fixture_at(1, 12), 1); /* today only */
    ck_assert_uint_eq(b.reviews, 1);
    ck_assert_uint_eq(b.correct, 0);
    b = stats_of(deck_b, fixture_at(1, 12), 2);
    ck_assert_uint_eq(b.reviews, 2);
    ck_assert_uint_eq(b.correct, 1);
    alliance_stats a = stats_of(deck_a, fixture_at(1, 12), 1);
    ck_assert_uint_eq(a.reviews, 0);
    a = stats_of(deck_a, fixture_at(40, 12), 30); /* long ago: out of the window */
    ck_assert_uint_eq(a.reviews, 0);
    a = stats_of(deck_a, fixture_at(0, 23), 30);
    ck_assert_uint_eq(a.reviews, 2);
    ck_assert_uint_eq(a.correct, 1);
}
END_TEST

START_TEST(the_forecast_counts_cards_due_on_each_coming_day)
{
    /* a4 due day 2+1 = 3, a5 due day 2+6 = 8 (learned on day 2 after an earlier answer on day 1) */
    fixture_answer(db, "a4", 5, fixture_at(2, 12));
    fixture_answer(db, "a5", 5, fixture_at(1, 12));
    fixture_answer(db, "a5", 5, fixture_at(2, 12));
    uint32_t counts[10];
    memset(counts, 0xff, sizeof counts);
    ck_assert_int_eq(alliance_forecast(db, deck_a, fixture_at(2, 13), counts, 10), ALLIANCE_OK);
    /* today (day 2): a1 (due day 1) and a2 (due day 0) are overdue */
    const uint32_t expected[10] = { 2, 1, 0, 0, 0, 0, 1, 0, 0, 0 };
    for (int i = 0; i < 10; i++)
        ck_assert_msg(counts[i] == expected[i], "day +%d: %u cards, expected %u", i, counts[i], expected[i]);
    uint32_t one = 99;
    ck_assert_int_eq(alliance_forecast(db, 0, fixture_at(2, 13), &one, 1), ALLIANCE_OK);
    ck_assert_uint_eq(one, 2); /* b1 is a suspended leech: not counted */
}
END_TEST

START_TEST(bad_arguments_are_refused_and_leave_outputs_alone)
{
    alliance_stats stats;
    alliance_stats_init(&stats, ALLIANCE_STATS_VERSION);
    stats.version = 0;
    stats.total = 77;
    ck_assert_int_eq(alliance_stats_get(db, 0, fixture_at(1, 12), 30, &stats), ALLIANCE_EVERSION);
    ck_assert_uint_eq(stats.total, 77);
    ck_assert_int_eq(alliance_stats_get(db, 0, fixture_at(1, 12), 30, NULL), ALLIANCE_EINVAL);
    alliance_stats_init(&stats, ALLIANCE_STATS_VERSION);
    ck_assert_int_eq(alliance_stats_get(db, deck_b + 50, fixture_at(1, 12), 30, &stats), ALLIANCE_ENOTFOUND);
    ck_assert_int_eq(alliance_stats_get(db, -1, fixture_at(1, 12), 30, &stats), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_stats_init(NULL, ALLIANCE_STATS_VERSION), ALLIANCE_EINVAL);
    uint32_t counts[3] = { 7, 7, 7 };
    ck_assert_int_eq(alliance_forecast(db, 0, fixture_at(1, 12), counts, 0), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_forecast(db, 0, fixture_at(1, 12), counts, 3651), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_forecast(db, 0, fixture_at(1, 12), NULL, 3), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_forecast(db, deck_b + 50, fixture_at(1, 12), counts, 3), ALLIANCE_ENOTFOUND);
    ck_assert_uint_eq(counts[0], 7);
    ck_assert_uint_eq(counts[2], 7);
}
END_TEST

START_TEST(forecast_and_stats_windows_have_no_off_by_one)
{
    fixture_add_cards(db, "deck", "c", 4, ALLIANCE_TEST_NOW);
    fixture_answer(db, "c1", 5, fixture_at(0, 12)); /* due day 1 */
    fixture_answer(db, "c2", 5, fixture_at(0, 12));
    fixture_answer(db, "c2", 5, fixture_at(1, 12)); /* due day 7 */
    fixture_answer(db, "c3", 2, fixture_at(1, 12)); /* never learned: due today (day 1), repeat */
    uint32_t counts[7];
    ck_assert_int_eq(alliance_forecast(db, 0, fixture_at(1, 12), counts, 7), ALLIANCE_OK);
    ck_assert_uint_eq(counts[0], 2); /* c1 due today, c3 repeat */
    ck_assert_uint_eq(counts[6], 1); /* c2 is due on day 7 = today + 6 */
    uint32_t more[7];
    ck_assert_int_eq(alliance_forecast(db, 0, fixture_at(0, 12), more, 7), ALLIANCE_OK);
    ck_assert_uint_eq(more[1], 2);
    alliance_stats st;
    alliance_stats_init(&st, ALLIANCE_STATS_VERSION);
    ck_assert_int_eq(alliance_stats_get(db, 0, fixture_at(1, 12), 1, &st), ALLIANCE_OK);
    ck_assert_uint_eq(st.reviews, 2); /* today only */
    ck_assert_uint_eq(st.correct, 1);
    ck_assert_int_eq(alliance_stats_get(db, 0, fixture_at(1, 12), 2, &st), ALLIANCE_OK);
    ck_assert_uint_eq(st.reviews, 4);
    ck_assert_uint_eq(st.learned, 3);
    ck_assert_uint_eq(st.new_cards, 1);
    ck_assert_uint_eq(st.due_today, 2);
}
END_TEST

static Suite *stats_suite(void)
{
    Suite *s = suite_create("stats");
    TCase *tc = tcase_create("stats");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, an_empty_collection_has_zero_everything);
    tcase_add_test(tc, a_deck_counts_its_cards_by_kind);
    tcase_add_test(tc, every_deck_adds_up_the_decks);
    tcase_add_test(tc, reviews_and_retention_count_only_the_window);
    tcase_add_test(tc, the_forecast_counts_cards_due_on_each_coming_day);
    tcase_add_test(tc, bad_arguments_are_refused_and_leave_outputs_alone);
    suite_add_tcase(s, tc);
    TCase *bounds = tcase_create("window boundaries");
    tcase_add_checked_fixture(bounds, setup_empty, teardown);
    tcase_add_test(bounds, forecast_and_stats_windows_have_no_off_by_one);
    suite_add_tcase(s, bounds);
    return s;
}

int main(void)
{
    return alliance_test_run(stats_suite());
}
