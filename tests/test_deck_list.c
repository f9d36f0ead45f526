/* SPDX-License-Identifier: MIT */
/* deck_list: alliance_deck_iter_* lists every deck of a collection, in creation order, with
 * the same card counts alliance_stats_get gives for it. */
#include "collection_fixture.h"

static alliance_db *db;

static void setup(void)
{
    db = fixture_open(":memory:");
}

static void teardown(void)
{
    alliance_close(db);
    db = NULL;
}

/* Every deck the iterator gives at `now`, up to `max`; returns how many. */
static size_t list_decks(int64_t now, alliance_deck_info **out, size_t max)
{
    alliance_deck_iter *iter = NULL;
    int rc = alliance_deck_iter_open(&iter, db, now);
    ck_assert_msg(rc == ALLIANCE_OK, "open: %s", alliance_errmsg(db));
    size_t n = 0;
    alliance_deck_info *info = NULL;
    while ((rc = alliance_deck_iter_next(iter, &info)) == ALLIANCE_OK) {
        ck_assert_uint_lt(n, max);
        out[n++] = info;
    }
    ck_assert_msg(rc == ALLIANCE_DONE, "next: %d %s", rc, alliance_errmsg(db));
    ck_assert_ptr_null(info);
    alliance_deck_iter_free(iter);
    return n;
}

static void free_decks(alliance_deck_info **decks, size_t n)
{
    for (size_t i = 0; i < n; i++)
        alliance_free(decks[i]);
}

START_TEST(an_empty_collection_lists_no_deck)
{
    alliance_deck_info *decks[4];
    ck_assert_uint_eq(list_decks(ALLIANCE_TEST_NOW, decks, 4), 0);
}
END_TEST

static const char deck_text[] =
    "deck: Imported\n"
    "description: a deck with a header\n"
    "\n"
    "card: i1\n"
    "type: basic\n"
    "front: f\n"
    "back: b\n"
    "\n"
    "card: i2\n"
    "type: cloze\n"
    "text: {{c1::one}} and {{c2::two}}\n";

START_TEST(decks_come_in_creation_order_with_their_name_and_description)
{
    int64_t a = fixture_add_cards(db, "Zebra", "z", 2, ALLIANCE_TEST_NOW);
    int64_t empty = 0;
    ck_assert_int_eq(alliance_deck_id(db, "Aardvark", 1, &empty), ALLIANCE_OK);
    alliance_import_report *report = NULL;
    ck_assert_int_eq(alliance_deck_import_buffer(db, "i.deck", deck_text, sizeof deck_text - 1, NULL,
                                                 ALLIANCE_TEST_NOW + 60, &report), ALLIANCE_OK);
    int64_t imported = report->deck_id;
    alliance_free(report);

    alliance_deck_info *decks[8];
    size_t n = list_decks(ALLIANCE_TEST_NOW, decks, 8);
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(decks[0]->id, a);
    ck_assert_str_eq(decks[0]->name, "Zebra");
    ck_assert_uint_eq(decks[0]->total, 2);
    ck_assert_int_eq(decks[1]->id, empty);
    ck_assert_str_eq(decks[1]->name, "Aardvark");
    ck_assert_str_eq(decks[1]->description, "");
    ck_assert_uint_eq(decks[1]->total, 0);
    ck_assert_int_eq(decks[1]->created, 0); /* alliance_deck_id gives no time */
    ck_assert_int_eq(decks[2]->id, imported);
    ck_assert_str_eq(decks[2]->name, "Imported");
    ck_assert_str_eq(decks[2]->description, "a deck with a header");
    ck_assert_uint_eq(decks[2]->total, 3); /* one basic card, two cloze cards */
    ck_assert_int_eq(decks[2]->created, ALLIANCE_TEST_NOW + 60);
    ck_assert_int_eq(decks[2]->modified, ALLIANCE_TEST_NOW + 60);
    for (size_t i = 0; i < n; i++)
        ck_assert_uint_eq(decks[i]->version, 1);
    free_decks(decks, n);
}
END_TEST

START_TEST(each_decks_counts_equal_its_statistics_at_the_iterators_time)
{
    fixture_add_cards(db, "A", "a", 5, ALLIANCE_TEST_NOW);
    fixture_add_cards(db, "B", "b", 3, ALLIANCE_TEST_NOW);
    alliance_config config = ALLIANCE_CONFIG_INIT;
    config.leech_threshold = 1;
    ck_assert_int_eq(alliance_config_set(db, &config), ALLIANCE_OK);
    fixture_answer(db, "a1", 5, fixture_at(0, 10)); /* due on day 1 */
    fixture_answer(db, "a2", 1, fixture_at(0, 11)); /* due again today */
    ck_assert_int_eq(alliance_card_suspend(db, "a3", 1, fixture_at(0, 12)), ALLIANCE_OK);
    fixture_answer(db, "b1", 4, fixture_at(0, 12));
    fixture_answer(db, "b1", 2, fixture_at(1, 12)); /* a lapse: a suspended leech */

    for (int day = 0; day <= 2; day++) {
        int64_t now = fixture_at(day, 13);
        alliance_deck_info *decks[4];
        size_t n = list_decks(now, decks, 4);
        ck_assert_uint_eq(n, 2);
        for (size_t i = 0; i < n; i++) {
            alliance_stats stats = ALLIANCE_STATS_INIT;
            ck_assert_int_eq(alliance_stats_get(db, decks[i]->id, now, 30, &stats), ALLIANCE_OK);
            ck_assert_uint_eq(decks[i]->total, stats.total);
            ck_assert_uint_eq(decks[i]->new_cards, stats.new_cards);
            ck_assert_uint_eq(decks[i]->learned, stats.learned);
            ck_assert_uint_eq(decks[i]->due_today, stats.due_today);
            ck_assert_uint_eq(decks[i]->suspended, stats.suspended);
            ck_assert_uint_eq(decks[i]->leeches, stats.leeches);
        }
        /* The figures themselves, so that agreeing with stats is not agreeing on zero. */
        ck_assert_uint_eq(decks[0]->total, 5);
        ck_assert_uint_eq(decks[0]->new_cards, 3);
        ck_assert_uint_eq(decks[0]->learned, 2);
        ck_assert_uint_eq(decks[0]->suspended, 1);
        ck_assert_uint_eq(decks[0]->due_today, (day == 0 ? 1u : 2u));
        ck_assert_uint_eq(decks[1]->leeches, 1); /* b1 lapsed (on day 1, before the listing) */
        free_decks(decks, n);
    }
}
END_TEST

START_TEST(a_deck_created_while_listing_is_listed)
{
    fixture_add_cards(db, "First", "f", 1, ALLIANCE_TEST_NOW);
    alliance_deck_iter *iter = NULL;
    ck_assert_int_eq(alliance_deck_iter_open(&iter, db, ALLIANCE_TEST_NOW), ALLIANCE_OK);
    alliance_deck_info *info = NULL;
    ck_assert_int_eq(alliance_deck_iter_next(iter, &info), ALLIANCE_OK);
    ck_assert_str_eq(info->name, "First");
    alliance_free(info);
    /* The iterator holds no statement between calls: writing is allowed and seen. */
    fixture_add_cards(db, "Second", "s", 1, ALLIANCE_TEST_NOW);
    ck_assert_int_eq(alliance_deck_iter_next(iter, &info), ALLIANCE_OK);
    ck_assert_str_eq(info->name, "Second");
    ck_assert_uint_eq(info->total, 1);
    alliance_free(info);
    ck_assert_int_eq(alliance_deck_iter_next(iter, &info), ALLIANCE_DONE);
    ck_assert_int_eq(alliance_deck_iter_next(iter, &info), ALLIANCE_DONE); /* and stays done */
    ck_assert_ptr_null(info);
    alliance_deck_iter_free(iter);
}
END_TEST

START_TEST(misuse_is_refused)
{
    alliance_deck_iter *iter = NULL;
    ck_assert_int_eq(alliance_deck_iter_open(NULL, db, ALLIANCE_TEST_NOW), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_deck_iter_open(&iter, NULL, ALLIANCE_TEST_NOW), ALLIANCE_EINVAL);
    ck_assert_ptr_null(iter);
    alliance_deck_info *info = NULL;
    ck_assert_int_eq(alliance_deck_iter_next(NULL, &info), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_deck_iter_open(&iter, db, ALLIANCE_TEST_NOW), ALLIANCE_OK);
    ck_assert_int_eq(alliance_deck_iter_next(iter, NULL), ALLIANCE_EINVAL);
    alliance_deck_iter_free(NULL);
    /* Closing the collection detaches the iterator: EMISUSE, and it can still be freed. */
    alliance_close(db);
    db = NULL;
    ck_assert_int_eq(alliance_deck_iter_next(iter, &info), ALLIANCE_EMISUSE);
    ck_assert_ptr_null(info);
    alliance_deck_iter_free(iter);
}
END_TEST

static Suite *deck_list_suite(void)
{
    Suite *s = suite_create("deck_list");
    TCase *tc = tcase_create("deck_list");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, an_empty_collection_lists_no_deck);
    tcase_add_test(tc, decks_come_in_creation_order_with_their_name_and_description);
    tcase_add_test(tc, each_decks_counts_equal_its_statistics_at_the_iterators_time);
    tcase_add_test(tc, a_deck_created_while_listing_is_listed);
    tcase_add_test(tc, misuse_is_refused);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(deck_list_suite());
}
