/* SPDX-License-Identifier: MIT */
/* deck_source: an app can show the title of the article a card cites. */
#include "testutil.h"

#include <string.h>

static const char deck[] =
    "deck: Sources\n"
    "source: a.txt | The First Article\n"
    "source:   b.txt   |   Pipes | and all  \n"
    "\n"
    "card: one\ntype: basic\nfront: f\nback: b\nsource: b.txt\nquote: q\n";

static alliance_db *db;
static int64_t deck_id;

static void setup(void)
{
    ck_assert_int_eq(alliance_open(&db, ":memory:", NULL), ALLIANCE_OK);
    alliance_import_report *report = NULL;
    ck_assert_int_eq(alliance_deck_import_buffer(db, "s.deck", deck, strlen(deck), NULL, ALLIANCE_TEST_NOW, &report),
                     ALLIANCE_OK);
    deck_id = report->deck_id;
    alliance_free(report);
}

static void teardown(void)
{
    alliance_close(db);
    db = NULL;
}

START_TEST(the_header_names_the_title_of_each_source)
{
    char *title = NULL;
    ck_assert_int_eq(alliance_deck_source_title(db, deck_id, "a.txt", &title), ALLIANCE_OK);
    ck_assert_str_eq(title, "The First Article");
    alliance_free(title);
}
END_TEST

START_TEST(blanks_around_file_and_title_do_not_count_and_a_title_may_hold_a_bar)
{
    char *title = NULL;
    ck_assert_int_eq(alliance_deck_source_title(db, deck_id, "b.txt", &title), ALLIANCE_OK);
    ck_assert_str_eq(title, "Pipes | and all");
    alliance_free(title);
}
END_TEST

START_TEST(a_file_the_header_does_not_list_is_not_found_and_named)
{
    char *title = (char *)"untouched";
    ck_assert_int_eq(alliance_deck_source_title(db, deck_id, "c.txt", &title), ALLIANCE_ENOTFOUND);
    ck_assert_str_eq(title, "untouched");
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "c.txt"));
}
END_TEST

START_TEST(an_unknown_deck_is_not_found)
{
    char *title = NULL;
    ck_assert_int_eq(alliance_deck_source_title(db, deck_id + 1000, "a.txt", &title), ALLIANCE_ENOTFOUND);
    ck_assert_ptr_null(title);
}
END_TEST

START_TEST(null_arguments_are_refused)
{
    char *title = NULL;
    ck_assert_int_eq(alliance_deck_source_title(NULL, deck_id, "a.txt", &title), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_deck_source_title(db, deck_id, NULL, &title), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_deck_source_title(db, deck_id, "a.txt", NULL), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_deck_source_title(db, 0, "a.txt", &title), ALLIANCE_EINVAL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("deck_source");
    TCase *tc = tcase_create("titles");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, the_header_names_the_title_of_each_source);
    tcase_add_test(tc, blanks_around_file_and_title_do_not_count_and_a_title_may_hold_a_bar);
    tcase_add_test(tc, a_file_the_header_does_not_list_is_not_found_and_named);
    tcase_add_test(tc, an_unknown_deck_is_not_found);
    tcase_add_test(tc, null_arguments_are_refused);
    suite_add_tcase(s, tc);
    return alliance_test_run(s);
}
