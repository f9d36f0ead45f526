/* SPDX-License-Identifier: MIT */
/* answer: answering cards over days with a fake clock: due dates, repeats, lapses,
 * leeches, the review log, parameters, a backwards clock, and refusals that change nothing. */
#include "collection_fixture.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <time.h>

static alliance_db *db;

static void setup(void)
{
    db = fixture_open(":memory:");
    fixture_add_cards(db, "deck", "c", 3, ALLIANCE_TEST_NOW);
}

static void teardown(void)
{
    alliance_close(db);
    db = NULL;
}

static int64_t due_day(const char *id)
{
    alliance_card *card = fixture_card(db, id);
    int64_t due = card->due_day;
    alliance_free(card);
    return due;
}

/* The review log's newest row for card `id`. */
static alliance_review last_review(const char *id)
{
    alliance_review_iter *iter = NULL;
    ck_assert_int_eq(alliance_review_iter_open(&iter, db, id), ALLIANCE_OK);
    alliance_review review, last;
    review.version = ALLIANCE_REVIEW_VERSION;
    memset(&last, 0, sizeof last);
    while (alliance_review_iter_next(iter, &review) == ALLIANCE_OK) {
        last = review;
        last.card_id = NULL; /* only valid until the next call */
    }
    alliance_review_iter_free(iter);
    return last;
}

/* Answering `id` with `grade` at `now` fails with `expected` and changes neither the card nor the log. */
static void check_refused(const char *id, int grade, int64_t now, int expected, const char *message_part)
{
    alliance_card *before = fixture_card(db, id);
    int rows = fixture_log_rows(db, NULL);
    alliance_sm2_state after = { 77, 77, 77, 77 };
    ck_assert_int_eq(alliance_answer(db, id, grade, now, 0, &after), expected);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), message_part));
    ck_assert_int_eq(alliance_errcode(db), expected);
    ck_assert_uint_eq(after.repetitions, 77); /* out-parameter untouched */
    alliance_card *now_card = fixture_card(db, id);
    fixture_assert_same_card(before, now_card);
    ck_assert_int_eq(fixture_log_rows(db, NULL), rows);
    alliance_free(before);
    alliance_free(now_card);
}

/* ---- the schedule ---- */

START_TEST(a_new_card_answered_5_is_due_tomorrow)
{
    alliance_sm2_state after;
    ck_assert_int_eq(alliance_answer(db, "c1", 5, fixture_at(0, 12), 1500, &after), ALLIANCE_OK);
    ck_assert_uint_eq(after.repetitions, 1);
    ck_assert_uint_eq(after.efactor_milli, 2600);
    ck_assert_uint_eq(after.interval_days, 1);
    alliance_card *card = fixture_card(db, "c1");
    ck_assert_int_eq(card->due_day, FIXTURE_DAY0 + 1);
    ck_assert_int_eq(card->last_review_day, FIXTURE_DAY0);
    ck_assert_uint_eq(card->reviews, 1);
    ck_assert_uint_eq(card->lapses, 0);
    alliance_free(card);
}
END_TEST

START_TEST(the_log_row_records_the_whole_answer)
{
    fixture_answer(db, "c1", 4, fixture_at(0, 12));
    alliance_sm2_state after;
    ck_assert_int_eq(alliance_answer(db, "c1", 5, fixture_at(3, 9), 2345, &after), ALLIANCE_OK);
    alliance_review r = last_review("c1");
    ck_assert_int_gt(r.review_id, 0);
    ck_assert_int_eq(r.time, fixture_at(3, 9));
    ck_assert_int_eq(r.day, FIXTURE_DAY0 + 3);
    ck_assert_int_eq(r.grade, 5);
    ck_assert_uint_eq(r.before.repetitions, 1);
    ck_assert_uint_eq(r.before.interval_days, 1);
    ck_assert_uint_eq(r.after.repetitions, after.repetitions);
    ck_assert_uint_eq(r.after.efactor_milli, after.efactor_milli);
    ck_assert_uint_eq(r.after.interval_days, 6);
    ck_assert_int_eq(r.elapsed_days, 3);
    ck_assert_uint_eq(r.answer_ms, 2345);
    ck_assert_uint_eq(r.params.preset, ALLIANCE_SM2_SUPERMEMO);
    ck_assert_uint_eq(r.params.initial_efactor_milli, 2500);
    ck_assert_uint_eq(r.params.max_interval_days, 36500);
    alliance_review first;
    alliance_review_iter *iter = NULL;
    ck_assert_int_eq(alliance_review_iter_open(&iter, db, "c1"), ALLIANCE_OK);
    first.version = ALLIANCE_REVIEW_VERSION;
    ck_assert_int_eq(alliance_review_iter_next(iter, &first), ALLIANCE_OK);
    ck_assert_str_eq(first.card_id, "c1");
    ck_assert_int_eq(first.elapsed_days, -1);
    ck_assert_uint_eq(first.answer_ms, 0);
    alliance_review_iter_free(iter);
}
END_TEST

START_TEST(perfect_answers_space_out_as_sm2_says)
{
    /* SUPERMEMO "55555": due after 1, 6, 17, 50, 150 days */
    const int64_t gaps[] = { 1, 6, 17, 50, 150 };
    int64_t day = 0;
    for (size_t i = 0; i < sizeof gaps / sizeof gaps[0]; i++) {
        fixture_answer(db, "c1", 5, fixture_at(day, 10));
        ck_assert_int_eq(due_day("c1"), FIXTURE_DAY0 + day + gaps[i]);
        check_refused("c1", 5, fixture_at(day + gaps[i] - 1, 22), ALLIANCE_ENOTDUE, "not due");
        day += gaps[i];
    }
}
END_TEST

START_TEST(an_answer_of_3_is_repeated_the_same_day_until_it_scores_4)
{
    fixture_answer(db, "c1", 5, fixture_at(0, 10));
    fixture_answer(db, "c1", 3, fixture_at(1, 10));
    alliance_card *card = fixture_card(db, "c1");
    ck_assert_uint_eq(card->state.repeat_today, 1);
    ck_assert_int_eq(card->due_day, FIXTURE_DAY0 + 1);
    uint32_t interval = card->state.interval_days;
    alliance_free(card);
    fixture_answer(db, "c1", 3, fixture_at(1, 11)); /* still owed */
    ck_assert_int_eq(due_day("c1"), FIXTURE_DAY0 + 1);
    fixture_answer(db, "c1", 4, fixture_at(1, 12));
    ck_assert_int_eq(due_day("c1"), FIXTURE_DAY0 + 1 + interval);
    ck_assert_int_eq(last_review("c1").elapsed_days, 0);
}
END_TEST

START_TEST(a_lapse_is_counted_and_the_card_comes_back_today)
{
    fixture_answer(db, "c1", 5, fixture_at(0, 10));
    fixture_answer(db, "c1", 1, fixture_at(1, 10));
    alliance_card *card = fixture_card(db, "c1");
    ck_assert_uint_eq(card->lapses, 1);
    ck_assert_uint_eq(card->state.repetitions, 0);
    ck_assert_int_eq(card->due_day, FIXTURE_DAY0 + 1);
    alliance_free(card);
    /* a wrong answer to a new card is not a lapse */
    fixture_answer(db, "c2", 0, fixture_at(1, 10));
    card = fixture_card(db, "c2");
    ck_assert_uint_eq(card->lapses, 0);
    alliance_free(card);
}
END_TEST

/* Makes c1 lapse `n` times (learn it, fail it, on consecutive days). */
static int64_t lapse_times(int n, int64_t day)
{
    for (int i = 0; i < n; i++) {
        fixture_answer(db, "c1", 4, fixture_at(day, 10));
        fixture_answer(db, "c1", 1, fixture_at(day + 1, 10));
        day += 2;
    }
    return day;
}

START_TEST(a_card_reaching_the_leech_threshold_is_flagged_and_suspended)
{
    alliance_config config;
    alliance_config_init(&config, ALLIANCE_CONFIG_VERSION);
    config.leech_threshold = 3;
    ck_assert_int_eq(alliance_config_set(db, &config), ALLIANCE_OK);
    int64_t day = lapse_times(2, 0);
    alliance_card *card = fixture_card(db, "c1");
    ck_assert_uint_eq(card->leech, 0);
    ck_assert_uint_eq(card->suspended, 0);
    alliance_free(card);
    lapse_times(1, day);
    card = fixture_card(db, "c1");
    ck_assert_uint_eq(card->lapses, 3);
    ck_assert_uint_eq(card->leech, 1);
    ck_assert_uint_eq(card->suspended, 1);
    alliance_free(card);
}
END_TEST

START_TEST(a_leech_is_only_flagged_when_leech_suspend_is_off)
{
    alliance_config config;
    alliance_config_init(&config, ALLIANCE_CONFIG_VERSION);
    config.leech_threshold = 2;
    config.leech_suspend = 0;
    ck_assert_int_eq(alliance_config_set(db, &config), ALLIANCE_OK);
    lapse_times(2, 0);
    alliance_card *card = fixture_card(db, "c1");
    ck_assert_uint_eq(card->leech, 1);
    ck_assert_uint_eq(card->suspended, 0);
    alliance_free(card);
}
END_TEST

START_TEST(the_default_threshold_is_8_lapses)
{
    int64_t day = lapse_times(7, 0);
    alliance_card *card = fixture_card(db, "c1");
    ck_assert_uint_eq(card->leech, 0);
    alliance_free(card);
    lapse_times(1, day);
    card = fixture_card(db, "c1");
    ck_assert_uint_eq(card->lapses, 8);
    ck_assert_uint_eq(card->leech, 1);
    alliance_free(card);
}
END_TEST

/* ---- refusals ---- */

START_TEST(grades_outside_0_to_5_are_refused)
{
    check_refused("c1", -1, fixture_at(0, 12), ALLIANCE_EGRADE, "c1");
    check_refused("c1", 6, fixture_at(0, 12), ALLIANCE_EGRADE, "outside 0..5");
}
END_TEST

START_TEST(an_unknown_card_is_refused)
{
    int rows = fixture_log_rows(db, NULL);
    ck_assert_int_eq(alliance_answer(db, "ghost", 4, fixture_at(0, 12), 0, NULL), ALLIANCE_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "ghost"));
    ck_assert_int_eq(fixture_log_rows(db, NULL), rows);
    ck_assert_int_eq(alliance_answer(db, NULL, 4, fixture_at(0, 12), 0, NULL), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_answer(NULL, "c1", 4, fixture_at(0, 12), 0, NULL), ALLIANCE_EINVAL);
}
END_TEST

START_TEST(suspended_and_buried_cards_are_not_due)
{
    ck_assert_int_eq(alliance_card_suspend(db, "c1", 1, fixture_at(0, 12)), ALLIANCE_OK);
    check_refused("c1", 4, fixture_at(0, 12), ALLIANCE_ENOTDUE, "suspended");
    ck_assert_int_eq(alliance_card_bury(db, "c2", fixture_at(0, 12)), ALLIANCE_OK);
    check_refused("c2", 4, fixture_at(0, 23), ALLIANCE_ENOTDUE, "buried");
    fixture_answer(db, "c2", 4, fixture_at(1, 5)); /* tomorrow (after the 4:00 rollover) */
}
END_TEST

START_TEST(the_rollover_decides_which_day_an_answer_counts_on)
{
    fixture_answer(db, "c1", 5, fixture_at(0, 12)); /* due day 1 */
    check_refused("c1", 5, fixture_at(1, 3) + 59 * 60, ALLIANCE_ENOTDUE, "not due"); /* 03:59: still day 0 */
    fixture_answer(db, "c1", 5, fixture_at(1, 4) + 60);                                       /* 04:01: day 1 */
    ck_assert_int_eq(last_review("c1").day, FIXTURE_DAY0 + 1);
}
END_TEST

START_TEST(a_backwards_clock_never_makes_a_card_due_before_it_was_answered)
{
    fixture_answer(db, "c1", 5, fixture_at(10, 12)); /* the clock was wrong: 10 days ahead */
    check_refused("c1", 5, fixture_at(0, 12), ALLIANCE_ENOTDUE, "not due");
    check_refused("c1", 5, fixture_at(10, 20), ALLIANCE_ENOTDUE, "not due");
    fixture_answer(db, "c1", 5, fixture_at(11, 12));
    alliance_review r = last_review("c1");
    ck_assert_int_eq(r.elapsed_days, 1);
    /* every elapsed value in the log is -1 or more */
    alliance_review_iter *iter = NULL;
    ck_assert_int_eq(alliance_review_iter_open(&iter, db, NULL), ALLIANCE_OK);
    r.version = ALLIANCE_REVIEW_VERSION;
    while (alliance_review_iter_next(iter, &r) == ALLIANCE_OK)
        ck_assert_int_ge(r.elapsed_days, -1);
    alliance_review_iter_free(iter);
}
END_TEST

START_TEST(dates_after_2038_and_2100_work)
{
    int64_t y2040 = INT64_C(2208988800) + 12 * 3600;
    fixture_answer(db, "c1", 5, y2040);
    ck_assert_int_eq(due_day("c1"), 25567 + 1);
    int64_t y2100 = INT64_C(4107542400) + 12 * 3600;
    fixture_answer(db, "c1", 5, y2100);
    ck_assert_int_eq(due_day("c1"), 47541 + 6);
    ck_assert_int_eq(last_review("c1").elapsed_days, 47541 - 25567);
}
END_TEST

/* ---- parameters ---- */

START_TEST(changing_parameters_applies_to_later_answers_only)
{
    fixture_answer(db, "c1", 5, fixture_at(0, 12));
    alliance_sm2_params params;
    ck_assert_int_eq(alliance_sm2_params_init(&params, ALLIANCE_SM2_CLASSIC), ALLIANCE_OK);
    params.first_interval_days = 2;
    ck_assert_int_eq(alliance_sm2_params_set(db, &params), ALLIANCE_OK);
    alliance_sm2_params stored;
    ck_assert_int_eq(alliance_sm2_params_get(db, &stored), ALLIANCE_OK);
    ck_assert_uint_eq(stored.preset, ALLIANCE_SM2_CLASSIC);
    ck_assert_uint_eq(stored.first_interval_days, 2);
    fixture_answer(db, "c2", 5, fixture_at(0, 12));
    ck_assert_int_eq(due_day("c2"), FIXTURE_DAY0 + 2);
    ck_assert_uint_eq(last_review("c1").params.preset, ALLIANCE_SM2_SUPERMEMO);
    ck_assert_uint_eq(last_review("c1").params.first_interval_days, 1);
    ck_assert_uint_eq(last_review("c2").params.preset, ALLIANCE_SM2_CLASSIC);
    ck_assert_int_eq(due_day("c1"), FIXTURE_DAY0 + 1);
}
END_TEST

START_TEST(invalid_parameters_are_refused_and_nothing_changes)
{
    alliance_sm2_params params;
    alliance_sm2_params_init(&params, ALLIANCE_SM2_SUPERMEMO);
    params.min_efactor_milli = 3000; /* above the initial E-Factor */
    ck_assert_int_eq(alliance_sm2_params_set(db, &params), ALLIANCE_EINVAL);
    params.min_efactor_milli = 1300;
    params.version = 9;
    ck_assert_int_eq(alliance_sm2_params_set(db, &params), ALLIANCE_EVERSION);
    ck_assert_int_eq(alliance_sm2_params_set(db, NULL), ALLIANCE_EINVAL);
    alliance_sm2_params stored;
    ck_assert_int_eq(alliance_sm2_params_get(db, &stored), ALLIANCE_OK);
    ck_assert_uint_eq(stored.min_efactor_milli, 1300);
    ck_assert_uint_eq(stored.initial_efactor_milli, 2500);
}
END_TEST

START_TEST(editing_a_cards_text_keeps_its_schedule_and_history)
{
    fixture_answer(db, "c1", 5, fixture_at(0, 12));
    int64_t deck = 0;
    ck_assert_int_eq(alliance_deck_id(db, "deck", 0, &deck), ALLIANCE_OK);
    ck_assert_int_eq(alliance__db_enter(db), ALLIANCE_OK);
    int64_t generation = 0;
    ck_assert_int_eq(alliance__store_next_generation(db, &generation), ALLIANCE_OK);
    alliance__card_row row = { "c1", "c1", 0, ALLIANCE_CARD_BASIC, "a reworded question", "answer c1", "", "tag", "", "", 1 };
    int result = 0;
    ck_assert_int_eq(alliance__store_card_put(db, deck, &row, generation, fixture_at(0, 13), &result), ALLIANCE_OK);
    alliance__db_leave(db, 0);
    ck_assert_int_eq(result, ALLIANCE__PUT_UPDATED);
    alliance_card *card = fixture_card(db, "c1");
    ck_assert_str_eq(card->front, "a reworded question");
    ck_assert_uint_eq(card->reviews, 1);
    ck_assert_int_eq(card->due_day, FIXTURE_DAY0 + 1);
    alliance_free(card);
    ck_assert_int_eq(fixture_log_rows(db, "c1"), 1);
}
END_TEST

/* ---- the review log iterator ---- */

START_TEST(the_log_is_read_oldest_first_per_card_or_whole)
{
    fixture_answer(db, "c1", 5, fixture_at(0, 12));
    fixture_answer(db, "c2", 4, fixture_at(0, 13));
    fixture_answer(db, "c1", 5, fixture_at(1, 12));
    ck_assert_int_eq(fixture_log_rows(db, NULL), 3);
    ck_assert_int_eq(fixture_log_rows(db, "c1"), 2);
    ck_assert_int_eq(fixture_log_rows(db, "c3"), 0);
    alliance_review_iter *iter = NULL;
    ck_assert_int_eq(alliance_review_iter_open(&iter, db, NULL), ALLIANCE_OK);
    alliance_review r;
    r.version = ALLIANCE_REVIEW_VERSION;
    const char *expected[] = { "c1", "c2", "c1" };
    int64_t previous = 0;
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(alliance_review_iter_next(iter, &r), ALLIANCE_OK);
        ck_assert_str_eq(r.card_id, expected[i]);
        ck_assert_int_gt(r.review_id, previous);
        previous = r.review_id;
    }
    ck_assert_int_eq(alliance_review_iter_next(iter, &r), ALLIANCE_DONE);
    r.version = 5;
    ck_assert_int_eq(alliance_review_iter_next(iter, &r), ALLIANCE_EVERSION);
    alliance_review_iter_free(iter);
    ck_assert_int_eq(alliance_review_iter_open(&iter, db, "ghost"), ALLIANCE_ENOTFOUND);
}
END_TEST

START_TEST(closing_the_collection_detaches_a_review_iterator)
{
    fixture_answer(db, "c1", 5, fixture_at(0, 12));
    alliance_review_iter *iter = NULL;
    ck_assert_int_eq(alliance_review_iter_open(&iter, db, NULL), ALLIANCE_OK);
    alliance_close(db);
    db = NULL;
    alliance_review r;
    r.version = ALLIANCE_REVIEW_VERSION;
    ck_assert_int_eq(alliance_review_iter_next(iter, &r), ALLIANCE_EMISUSE);
    alliance_review_iter_free(iter);
}
END_TEST

/* ---- the process time zone ---- */

START_TEST(answers_across_dst_changes_keep_whole_days)
{
    setenv("TZ", "Europe/Berlin", 1);
    tzset();
    ck_assert_int_eq(alliance_set_utc_offset(db, ALLIANCE_UTC_OFFSET_LOCAL), ALLIANCE_OK);
    /* daily at 08:00 local (07:00 UTC in winter, 06:00 UTC in summer), around 2026-03-29 */
    int64_t day = 20538; /* 2026-03-26 */
    fixture_answer(db, "c1", 5, day * ALLIANCE_TEST_DAY + 7 * 3600);
    ck_assert_int_eq(due_day("c1"), day + 1);
    fixture_answer(db, "c1", 5, (day + 1) * ALLIANCE_TEST_DAY + 7 * 3600);
    ck_assert_int_eq(due_day("c1"), day + 7);
    /* 03:30 CEST on 2026-04-02 (01:30 UTC) still belongs to 2026-04-01 */
    int64_t early = (day + 7) * ALLIANCE_TEST_DAY + 90 * 60;
    check_refused("c1", 5, early, ALLIANCE_ENOTDUE, "not due");
    fixture_answer(db, "c1", 5, (day + 7) * ALLIANCE_TEST_DAY + 6 * 3600);
    ck_assert_int_eq(last_review("c1").elapsed_days, 6);
    setenv("TZ", "UTC", 1);
    tzset();
}
END_TEST

START_TEST(answers_across_the_autumn_change_in_new_york)
{
    setenv("TZ", "America/New_York", 1);
    tzset();
    ck_assert_int_eq(alliance_set_utc_offset(db, ALLIANCE_UTC_OFFSET_LOCAL), ALLIANCE_OK);
    /* 2026-10-31 08:00 EDT (12:00 UTC) is day 20757; the clocks go back at 2026-11-01 02:00 EDT */
    fixture_answer(db, "c1", 5, INT64_C(20757) * ALLIANCE_TEST_DAY + 12 * 3600);
    ck_assert_int_eq(due_day("c1"), 20758);
    /* 01:30 EST on 2026-11-01 (06:30 UTC), after the change, is still 2026-10-31's learner day */
    check_refused("c1", 5, INT64_C(20758) * ALLIANCE_TEST_DAY + 6 * 3600 + 1800, ALLIANCE_ENOTDUE, "not due");
    /* 04:00 EST (09:00 UTC) starts 2026-11-01, a 25-hour day later */
    fixture_answer(db, "c1", 5, INT64_C(20758) * ALLIANCE_TEST_DAY + 9 * 3600);
    ck_assert_int_eq(last_review("c1").elapsed_days, 1);
    setenv("TZ", "UTC", 1);
    tzset();
}
END_TEST

/* ---- a second connection holding the write lock ---- */

struct holder {
    sqlite3 *raw;
    int hold_ms;
};

static void *release_later(void *arg)
{
    struct holder *h = arg;
    struct timespec ts = { h->hold_ms / 1000, (long)(h->hold_ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
    sqlite3_exec(h->raw, "COMMIT", NULL, NULL, NULL);
    return NULL;
}

static alliance_db *open_file_with_timeout(const char *path, uint32_t busy_timeout_ms)
{
    alliance_open_options options;
    alliance_open_options_init(&options, ALLIANCE_OPEN_OPTIONS_VERSION);
    options.utc_offset_seconds = 0;
    options.busy_timeout_ms = busy_timeout_ms;
    alliance_db *file_db = NULL;
    ck_assert_int_eq(alliance_open(&file_db, path, &options), ALLIANCE_OK);
    return file_db;
}

static void answer_while_locked(const char *path, uint32_t busy_timeout_ms, int hold_ms, int expected)
{
    alliance_close(db);
    db = open_file_with_timeout(path, busy_timeout_ms);
    fixture_add_cards(db, "deck", "c", 1, ALLIANCE_TEST_NOW);
    struct holder h = { NULL, hold_ms };
    ck_assert_int_eq(sqlite3_open(path, &h.raw), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(h.raw, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    pthread_t thread;
    ck_assert_int_eq(pthread_create(&thread, NULL, release_later, &h), 0);
    ck_assert_int_eq(alliance_answer(db, "c1", 5, fixture_at(0, 12), 0, NULL), expected);
    pthread_join(thread, NULL);
    sqlite3_close(h.raw);
}

START_TEST(an_answer_waits_for_a_busy_collection)
{
    answer_while_locked(alliance_test_path("answer-wait.alliance"), 5000, 200, ALLIANCE_OK);
    ck_assert_int_eq(fixture_log_rows(db, "c1"), 1);
}
END_TEST

START_TEST(an_answer_past_the_busy_timeout_fails_and_changes_nothing)
{
    answer_while_locked(alliance_test_path("answer-busy.alliance"), 20, 300, ALLIANCE_EBUSY);
    ck_assert_int_eq(fixture_log_rows(db, "c1"), 0);
    alliance_card *card = fixture_card(db, "c1");
    ck_assert_uint_eq(card->reviews, 0);
    alliance_free(card);
    fixture_answer(db, "c1", 5, fixture_at(0, 12)); /* the lock is gone: it works now */
}
END_TEST

/* A lapse is a wrong answer to a learned card, after which SM-2 starts it again.
 * In the SuperMemo preset a failed same-day repeat changes nothing in the state
 * (repetitions and interval are kept: the card is still "learned"), so it is no
 * lapse: one bad evening must not make a card answered correctly once a leech. */
START_TEST(failed_same_day_repeats_are_not_lapses)
{
    fixture_add_cards(db, "deck", "c", 1, ALLIANCE_TEST_NOW);
    fixture_answer(db, "c1", 3, fixture_at(0, 12)); /* recalled with difficulty: repeat today */
    for (int i = 0; i < 8; i++)
        fixture_answer(db, "c1", 0, fixture_at(0, 13));
    alliance_card *card = fixture_card(db, "c1");
    uint32_t reps = card->state.repetitions, lapses = card->lapses, leech = card->leech, susp = card->suspended;
    alliance_free(card);
    ck_assert_msg(lapses == 0 && !leech && !susp,
                  "state still learned (repetitions %u) but lapses %u, leech %u, suspended %u", reps, lapses, leech,
                  susp);
}
END_TEST

/* Day numbers are exact for negative times (docs/collection.md): "not buried"
 * must not be a real day. With the default rollover (4:00) the epoch itself is
 * day -1, and a device whose clock was reset to 1970-01-01 can still answer. */
START_TEST(a_card_never_buried_can_be_answered_before_day_0)
{
    fixture_add_cards(db, "deck", "c", 1, 0);
    int64_t today = 0;
    ck_assert_int_eq(alliance_today(db, 0, &today), ALLIANCE_OK);
    ck_assert_int_eq(today, -1); /* 00:00 UTC is before the 4:00 rollover */
    int rc = alliance_answer(db, "c1", 5, 0, 0, NULL);
    ck_assert_msg(rc == ALLIANCE_OK, "answer at the epoch: %d %s", rc, alliance_errmsg(db));
}
END_TEST

START_TEST(a_refused_answer_on_a_readonly_collection_names_the_card)
{
    const char *path = alliance_test_path("ro.alliance");
    alliance_db *rw = fixture_open(path);
    fixture_add_cards(rw, "deck", "card-x", 1, ALLIANCE_TEST_NOW);
    alliance_close(rw);
    alliance_open_options options;
    alliance_open_options_init(&options, ALLIANCE_OPEN_OPTIONS_VERSION);
    options.utc_offset_seconds = 0;
    options.flags = ALLIANCE_OPEN_READONLY;
    alliance_db *ro = NULL;
    ck_assert_int_eq(alliance_open(&ro, path, &options), ALLIANCE_OK);
    int rc = alliance_answer(ro, "card-x1", 5, fixture_at(0, 12), 0, NULL);
    char message[1024];
    snprintf(message, sizeof message, "%s", alliance_errmsg(ro));
    alliance_close(ro);
    ck_assert_int_eq(rc, ALLIANCE_EREADONLY);
    ck_assert_msg(strstr(message, "card-x1") != NULL, "message does not name the card: %s", message);
}
END_TEST

static Suite *answer_suite(void)
{
    Suite *s = suite_create("answer");
    TCase *tc = tcase_create("schedule");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, a_new_card_answered_5_is_due_tomorrow);
    tcase_add_test(tc, the_log_row_records_the_whole_answer);
    tcase_add_test(tc, perfect_answers_space_out_as_sm2_says);
    tcase_add_test(tc, an_answer_of_3_is_repeated_the_same_day_until_it_scores_4);
    tcase_add_test(tc, a_lapse_is_counted_and_the_card_comes_back_today);
    tcase_add_test(tc, a_card_reaching_the_leech_threshold_is_flagged_and_suspended);
    tcase_add_test(tc, a_leech_is_only_flagged_when_leech_suspend_is_off);
    tcase_add_test(tc, the_default_threshold_is_8_lapses);
    tcase_add_test(tc, failed_same_day_repeats_are_not_lapses);
    tcase_add_test(tc, grades_outside_0_to_5_are_refused);
    tcase_add_test(tc, an_unknown_card_is_refused);
    tcase_add_test(tc, suspended_and_buried_cards_are_not_due);
    tcase_add_test(tc, the_rollover_decides_which_day_an_answer_counts_on);
    tcase_add_test(tc, a_backwards_clock_never_makes_a_card_due_before_it_was_answered);
    tcase_add_test(tc, dates_after_2038_and_2100_work);
    tcase_add_test(tc, a_card_never_buried_can_be_answered_before_day_0);
    tcase_add_test(tc, a_refused_answer_on_a_readonly_collection_names_the_card);
    tcase_add_test(tc, changing_parameters_applies_to_later_answers_only);
    tcase_add_test(tc, invalid_parameters_are_refused_and_nothing_changes);
    tcase_add_test(tc, editing_a_cards_text_keeps_its_schedule_and_history);
    tcase_add_test(tc, the_log_is_read_oldest_first_per_card_or_whole);
    tcase_add_test(tc, closing_the_collection_detaches_a_review_iterator);
    tcase_add_test(tc, answers_across_dst_changes_keep_whole_days);
    tcase_add_test(tc, answers_across_the_autumn_change_in_new_york);
    tcase_add_test(tc, an_answer_waits_for_a_busy_collection);
    tcase_add_test(tc, an_answer_past_the_busy_timeout_fails_and_changes_nothing);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(answer_suite());
}
