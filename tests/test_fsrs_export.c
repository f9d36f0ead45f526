/* SPDX-License-Identifier: MIT */
/* fsrs_export: the review log as the CSV the FSRS optimizer reads (alliance_review_export_fsrs). */
#include "collection_fixture.h"

#include <stdlib.h>

#define HEADER "card_id,review_time,review_rating,review_state,review_duration\n"

static alliance_db *db;
static int64_t deck_a, deck_b;

static void setup(void)
{
    db = fixture_open(":memory:");
    deck_a = fixture_add_cards(db, "A", "a", 3, ALLIANCE_TEST_NOW);
    deck_b = fixture_add_cards(db, "B", "b", 2, ALLIANCE_TEST_NOW);
}

static void teardown(void)
{
    alliance_close(db);
    db = NULL;
}

/* What the callback received, and how it was called. */
typedef struct capture {
    alliance__buf text;
    int calls;
    int stop_at_call;  /* 1-based; 0: never stop */
    alliance_db *other; /* a second connection that answers during the first call */
} capture;

static int capture_write(void *opaque, const char *data, size_t len)
{
    capture *c = opaque;
    c->calls++;
    if (c->other && c->calls == 1) {
        /* Another connection answers while the export is half-way: not part of its snapshot. */
        int rc = alliance_answer(c->other, "z3999", 5, fixture_at(3, 12), 777, NULL);
        ck_assert_msg(rc == ALLIANCE_OK, "second connection: %s", alliance_errmsg(c->other));
    }
    if (c->stop_at_call && c->calls == c->stop_at_call)
        return 1;
    ck_assert_int_eq(alliance__buf_append(&c->text, data, len), 0);
    return 0;
}

/* The export of deck_id as one string (freed by the caller), failing the test on error. */
static char *export_text(alliance_db *from, int64_t deck_id)
{
    capture c;
    memset(&c, 0, sizeof c);
    int rc = alliance_review_export_fsrs(from, deck_id, capture_write, &c);
    ck_assert_msg(rc == ALLIANCE_OK, "export: %d %s", rc, alliance_errmsg(from));
    if (!c.text.data)
        ck_assert_int_eq(alliance__buf_append(&c.text, "", 0), 0);
    return c.text.data;
}

static void answer_ms(const char *id, int grade, int64_t now, uint32_t ms)
{
    int rc = alliance_answer(db, id, grade, now, ms, NULL);
    ck_assert_msg(rc == ALLIANCE_OK, "answer %s %d: %d %s", id, grade, rc, alliance_errmsg(db));
}

START_TEST(an_empty_log_is_the_header_alone)
{
    char *text = export_text(db, 0);
    ck_assert_str_eq(text, HEADER);
    alliance__free(text);
}
END_TEST

/* One card through every state: first answer (new), again that day (learning), a later day
 * (review), a lapse and its same-day repeat (relearning); each SM-2 grade mapped to a rating. */
START_TEST(each_answer_is_one_line_with_rating_state_and_duration)
{
    answer_ms("a1", 2, fixture_at(0, 10), 4100);  /* new card, failed: again today */
    answer_ms("a1", 4, fixture_at(0, 11), 2500);  /* the same day: learning */
    answer_ms("a1", 5, fixture_at(1, 9), 1800);   /* a later day: review */
    answer_ms("a1", 0, fixture_at(7, 9), 9000);   /* a lapse: review, again today */
    answer_ms("a1", 3, fixture_at(7, 10), 0);     /* its repeat: relearning; duration unknown */
    char *text = export_text(db, 0);
    char expected[1024];
    snprintf(expected, sizeof expected,
             HEADER
             "a1,%lld000,1,0,4100\n"
             "a1,%lld000,3,1,2500\n"
             "a1,%lld000,4,2,1800\n"
             "a1,%lld000,1,2,9000\n"
             "a1,%lld000,2,3,0\n",
             (long long)fixture_at(0, 10), (long long)fixture_at(0, 11), (long long)fixture_at(1, 9),
             (long long)fixture_at(7, 9), (long long)fixture_at(7, 10));
    ck_assert_str_eq(text, expected);
    alliance__free(text);
}
END_TEST

START_TEST(grades_map_to_ratings_0_to_2_again_3_hard_4_good_5_easy)
{
    /* Six new cards' first answers, one per grade. */
    alliance_db *d = fixture_open(":memory:");
    fixture_add_cards(d, "G", "g", 6, ALLIANCE_TEST_NOW);
    for (int grade = 0; grade <= 5; grade++) {
        char id[8];
        snprintf(id, sizeof id, "g%d", grade + 1);
        fixture_answer(d, id, grade, fixture_at(0, 10));
    }
    char *text = export_text(d, 0);
    const int expected[6] = { 1, 1, 1, 2, 3, 4 };
    const char *line = strchr(text, '\n') + 1;
    for (int grade = 0; grade <= 5; grade++) {
        char want[64];
        snprintf(want, sizeof want, "g%d,%lld000,%d,0,0\n", grade + 1, (long long)fixture_at(0, 10), expected[grade]);
        ck_assert_msg(strncmp(line, want, strlen(want)) == 0, "grade %d: got %.40s, want %s", grade, line, want);
        line += strlen(want);
    }
    ck_assert_str_eq(line, "");
    alliance__free(text);
    alliance_close(d);
}
END_TEST

/* Sorting by (card_id, review_time), as the optimizer does, must keep the log's order. */
START_TEST(answers_in_one_second_or_after_the_clock_went_back_are_1_ms_apart)
{
    answer_ms("a1", 1, fixture_at(0, 10), 0);
    answer_ms("a1", 1, fixture_at(0, 10), 0);        /* the same second */
    answer_ms("a1", 4, fixture_at(0, 10) - 60, 0);   /* the clock went back a minute */
    char *text = export_text(db, 0);
    long long t = (long long)fixture_at(0, 10) * 1000;
    char expected[512];
    snprintf(expected, sizeof expected, HEADER "a1,%lld,1,0,0\na1,%lld,1,1,0\na1,%lld,3,1,0\n", t, t + 1, t + 2);
    ck_assert_str_eq(text, expected);
    alliance__free(text);
}
END_TEST

START_TEST(cards_come_in_row_order_each_with_its_answers_in_log_order)
{
    fixture_answer(db, "b1", 5, fixture_at(0, 8));
    fixture_answer(db, "a2", 5, fixture_at(0, 9));
    fixture_answer(db, "a1", 5, fixture_at(0, 10));
    fixture_answer(db, "a2", 5, fixture_at(1, 9));
    char *text = export_text(db, 0);
    char expected[512];
    snprintf(expected, sizeof expected, HEADER "a1,%lld000,4,0,0\na2,%lld000,4,0,0\na2,%lld000,4,2,0\nb1,%lld000,4,0,0\n",
             (long long)fixture_at(0, 10), (long long)fixture_at(0, 9), (long long)fixture_at(1, 9),
             (long long)fixture_at(0, 8));
    ck_assert_str_eq(text, expected);
    alliance__free(text);
}
END_TEST

START_TEST(a_deck_exports_only_its_own_cards)
{
    fixture_answer(db, "a1", 5, fixture_at(0, 9));
    fixture_answer(db, "b2", 4, fixture_at(0, 10));
    char *text = export_text(db, deck_b);
    char expected[256];
    snprintf(expected, sizeof expected, HEADER "b2,%lld000,3,0,0\n", (long long)fixture_at(0, 10));
    ck_assert_str_eq(text, expected);
    alliance__free(text);
    text = export_text(db, deck_a);
    snprintf(expected, sizeof expected, HEADER "a1,%lld000,4,0,0\n", (long long)fixture_at(0, 9));
    ck_assert_str_eq(text, expected);
    alliance__free(text);
}
END_TEST

START_TEST(an_id_with_a_comma_or_a_quote_is_quoted_as_rfc_4180_says)
{
    fixture_add_cards(db, "Q", "q,\"x\"", 1, ALLIANCE_TEST_NOW);
    fixture_answer(db, "q,\"x\"1", 5, fixture_at(0, 9));
    char *text = export_text(db, 0);
    char expected[256];
    snprintf(expected, sizeof expected, HEADER "\"q,\"\"x\"\"1\",%lld000,4,0,0\n", (long long)fixture_at(0, 9));
    ck_assert_str_eq(text, expected);
    alliance__free(text);
}
END_TEST

START_TEST(bad_arguments_are_refused_with_a_message)
{
    capture c;
    memset(&c, 0, sizeof c);
    ck_assert_int_eq(alliance_review_export_fsrs(NULL, 0, capture_write, &c), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_review_export_fsrs(db, 0, NULL, &c), ALLIANCE_EINVAL);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "write is NULL"));
    ck_assert_int_eq(alliance_review_export_fsrs(db, -4, capture_write, &c), ALLIANCE_EINVAL);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "-4"));
    ck_assert_int_eq(alliance_review_export_fsrs(db, deck_b + 100, capture_write, &c), ALLIANCE_ENOTFOUND);
    ck_assert_int_eq(c.calls, 0);
}
END_TEST

/* Cards z1..z<n> in deck Z, each answered once: enough lines for several 64 KiB chunks. */
static void add_many_answered(alliance_db *d, int n)
{
    fixture_add_cards(d, "Z", "z", n, ALLIANCE_TEST_NOW);
    alliance_config config;
    alliance_config_init(&config, ALLIANCE_CONFIG_VERSION);
    config.new_per_day = 100000;
    ck_assert_int_eq(alliance_config_set(d, &config), ALLIANCE_OK);
    for (int i = 1; i < n; i++) { /* the last card is left new */
        char id[16];
        snprintf(id, sizeof id, "z%d", i);
        int rc = alliance_answer(d, id, 4, fixture_at(0, 9), (uint32_t)i, NULL);
        ck_assert_msg(rc == ALLIANCE_OK, "%s: %s", id, alliance_errmsg(d));
    }
}

START_TEST(a_long_log_is_streamed_in_chunks_and_a_stop_is_eio)
{
    add_many_answered(db, 4000);
    capture c;
    memset(&c, 0, sizeof c);
    ck_assert_int_eq(alliance_review_export_fsrs(db, 0, capture_write, &c), ALLIANCE_OK);
    ck_assert_int_ge(c.calls, 2);
    size_t lines = 0;
    for (const char *p = c.text.data; *p; p++)
        lines += *p == '\n';
    ck_assert_uint_eq(lines, 1 + 3999);
    alliance__buf_free(&c.text);

    memset(&c, 0, sizeof c);
    c.stop_at_call = 1;
    ck_assert_int_eq(alliance_review_export_fsrs(db, 0, capture_write, &c), ALLIANCE_EIO);
    ck_assert_int_eq(c.calls, 1);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "asked to stop"));
    alliance__buf_free(&c.text);
}
END_TEST

START_TEST(the_export_is_one_snapshot_while_another_connection_answers)
{
    const char *path = alliance_test_path("snapshot.db");
    alliance_open_options options;
    alliance_open_options_init(&options, ALLIANCE_OPEN_OPTIONS_VERSION);
    options.utc_offset_seconds = 0;
    options.synchronous = ALLIANCE_SYNC_NORMAL; /* thousands of answers, no fsync each */
    alliance_db *a = NULL, *other = NULL;
    ck_assert_int_eq(alliance_open(&a, path, &options), ALLIANCE_OK);
    add_many_answered(a, 3999);
    ck_assert_int_eq(alliance_open(&other, path, &options), ALLIANCE_OK);
    capture c;
    memset(&c, 0, sizeof c);
    c.other = other;
    ck_assert_int_eq(alliance_review_export_fsrs(a, 0, capture_write, &c), ALLIANCE_OK);
    ck_assert_int_ge(c.calls, 2); /* the other answer came while rows were still being read */
    ck_assert_ptr_null(strstr(c.text.data, "z3999,"));
    alliance__buf_free(&c.text);
    /* The next export sees it. */
    char *text = export_text(a, 0);
    char want[64];
    snprintf(want, sizeof want, "\nz3999,%lld000,4,0,777\n", (long long)fixture_at(3, 12));
    ck_assert_ptr_nonnull(strstr(text, want));
    alliance__free(text);
    alliance_close(other);
    alliance_close(a);
}
END_TEST

static Suite *fsrs_export_suite(void)
{
    Suite *s = suite_create("fsrs_export");
    TCase *tc = tcase_create("fsrs_export");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, an_empty_log_is_the_header_alone);
    tcase_add_test(tc, each_answer_is_one_line_with_rating_state_and_duration);
    tcase_add_test(tc, grades_map_to_ratings_0_to_2_again_3_hard_4_good_5_easy);
    tcase_add_test(tc, answers_in_one_second_or_after_the_clock_went_back_are_1_ms_apart);
    tcase_add_test(tc, cards_come_in_row_order_each_with_its_answers_in_log_order);
    tcase_add_test(tc, a_deck_exports_only_its_own_cards);
    tcase_add_test(tc, an_id_with_a_comma_or_a_quote_is_quoted_as_rfc_4180_says);
    tcase_add_test(tc, bad_arguments_are_refused_with_a_message);
    tcase_add_test(tc, a_long_log_is_streamed_in_chunks_and_a_stop_is_eio);
    tcase_add_test(tc, the_export_is_one_snapshot_while_another_connection_answers);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(fsrs_export_suite());
}
