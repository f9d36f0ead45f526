/* SPDX-License-Identifier: MIT */
/* cards: decks and cards in the store, getting, searching, suspending and burying cards. */
#include "collection_fixture.h"

#include <stdlib.h>

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

/* Runs one card_put in its own transaction, as the importer does. */
static int put(int64_t deck_id, const alliance__card_row *row, int64_t generation, int *result)
{
    ck_assert_int_eq(alliance__db_enter(db), ALLIANCE_OK);
    ck_assert_int_eq(alliance__store_begin(db), ALLIANCE_OK);
    int rc = alliance__store_card_put(db, deck_id, row, generation, ALLIANCE_TEST_NOW + 60, result);
    if (rc == ALLIANCE_OK)
        ck_assert_int_eq(alliance__store_commit(db), ALLIANCE_OK);
    else
        alliance__store_rollback(db);
    return alliance__db_leave(db, rc);
}

static int64_t new_generation(void)
{
    int64_t generation = 0;
    ck_assert_int_eq(alliance__db_enter(db), ALLIANCE_OK);
    ck_assert_int_eq(alliance__store_next_generation(db, &generation), ALLIANCE_OK);
    alliance__db_leave(db, 0);
    return generation;
}

static uint32_t suspend_unseen(int64_t deck_id, int64_t generation)
{
    uint32_t count = 99;
    ck_assert_int_eq(alliance__db_enter(db), ALLIANCE_OK);
    ck_assert_int_eq(alliance__store_suspend_unseen(db, deck_id, generation, ALLIANCE_TEST_NOW, &count), ALLIANCE_OK);
    alliance__db_leave(db, 0);
    return count;
}

static alliance_card *get(const char *id)
{
    alliance_card *card = NULL;
    int rc = alliance_card_get(db, id, &card);
    ck_assert_msg(rc == ALLIANCE_OK, "get %s: %s", id, alliance_errmsg(db));
    return card;
}

static uint32_t suspended(const char *id)
{
    alliance_card *card = get(id);
    uint32_t value = card->suspended;
    alliance_free(card);
    return value;
}

/* ---- decks ---- */

START_TEST(deck_ids_are_found_or_created_on_request)
{
    int64_t id = 0, again = 0;
    ck_assert_int_eq(alliance_deck_id(db, "Spanish", 0, &id), ALLIANCE_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "Spanish"));
    ck_assert_int_eq(id, 0);
    ck_assert_int_eq(alliance_deck_id(db, "Spanish", 1, &id), ALLIANCE_OK);
    ck_assert_int_gt(id, 0);
    ck_assert_int_eq(alliance_deck_id(db, "Spanish", 0, &again), ALLIANCE_OK);
    ck_assert_int_eq(again, id);
    char *name = NULL;
    ck_assert_int_eq(alliance_deck_name(db, id, &name), ALLIANCE_OK);
    ck_assert_str_eq(name, "Spanish");
    alliance_free(name);
    ck_assert_int_eq(alliance_deck_name(db, id + 100, &name), ALLIANCE_ENOTFOUND);
    ck_assert_int_eq(alliance_deck_id(db, "", 1, &id), ALLIANCE_EINVAL);
}
END_TEST

START_TEST(deck_headers_are_stored_and_updated)
{
    int64_t id = 0, same = 0;
    ck_assert_int_eq(alliance__db_enter(db), ALLIANCE_OK);
    ck_assert_int_eq(alliance__store_deck_put(db, "Alliance", "first", "a.txt | A", 10, &id), ALLIANCE_OK);
    ck_assert_int_eq(alliance__store_deck_put(db, "Alliance", "second", "b.txt | B", 20, &same), ALLIANCE_OK);
    ck_assert_int_eq(same, id);
    char *name = NULL, *description = NULL, *sources = NULL;
    ck_assert_int_eq(alliance__store_deck_get(db, id, &name, &description, &sources), ALLIANCE_OK);
    alliance__db_leave(db, 0);
    ck_assert_str_eq(name, "Alliance");
    ck_assert_str_eq(description, "second");
    ck_assert_str_eq(sources, "b.txt | B");
    alliance_free(name);
    alliance_free(description);
    alliance_free(sources);
}
END_TEST

START_TEST(generations_strictly_increase)
{
    int64_t a = new_generation(), b = new_generation(), c = new_generation();
    ck_assert_int_lt(a, b);
    ck_assert_int_lt(b, c);
}
END_TEST

/* ---- card_put, as the importer uses it ---- */

START_TEST(a_new_card_is_added_with_a_new_state)
{
    int64_t deck = fixture_add_cards(db, "deck", "c", 1, ALLIANCE_TEST_NOW);
    alliance_card *card = get("c1");
    ck_assert_uint_eq(card->version, 3);
    ck_assert_uint_eq(card->type, ALLIANCE_CARD_BASIC);
    ck_assert_str_eq(card->id, "c1");
    ck_assert_str_eq(card->note_id, "c1");
    ck_assert_int_eq(card->deck_id, deck);
    ck_assert_str_eq(card->front, "question c1");
    ck_assert_str_eq(card->back, "answer c1");
    ck_assert_str_eq(card->wrong, "");
    ck_assert_str_eq(card->tags, "tag");
    ck_assert_str_eq(card->source_file, "");
    ck_assert_int_eq(card->created, ALLIANCE_TEST_NOW);
    ck_assert_int_eq(card->modified, ALLIANCE_TEST_NOW);
    ck_assert_uint_eq(card->state.repetitions, 0);
    ck_assert_uint_eq(card->state.efactor_milli, 2500);
    ck_assert_uint_eq(card->state.interval_days, 0);
    ck_assert_uint_eq(card->state.repeat_today, 0);
    ck_assert_int_eq(card->last_review_day, -1);
    ck_assert_int_eq(card->buried_until_day, INT64_MIN);
    ck_assert_uint_eq(card->reviews, 0);
    ck_assert_uint_eq(card->lapses, 0);
    ck_assert_uint_eq(card->suspended, 0);
    ck_assert_uint_eq(card->leech, 0);
    alliance_free(card);
}
END_TEST

START_TEST(putting_a_card_again_reports_unchanged_or_updated)
{
    int64_t deck = fixture_add_cards(db, "deck", "c", 1, ALLIANCE_TEST_NOW);
    alliance__card_row row = { "c1", "c1", 0, ALLIANCE_CARD_BASIC, "question c1", "answer c1", "", "tag", "", "", 1 };
    int result = 0;
    ck_assert_int_eq(put(deck, &row, new_generation(), &result), ALLIANCE_OK);
    ck_assert_int_eq(result, ALLIANCE__PUT_UNCHANGED);
    row.back = "a better answer";
    ck_assert_int_eq(put(deck, &row, new_generation(), &result), ALLIANCE_OK);
    ck_assert_int_eq(result, ALLIANCE__PUT_UPDATED);
    alliance_card *card = get("c1");
    ck_assert_str_eq(card->back, "a better answer");
    ck_assert_int_eq(card->created, ALLIANCE_TEST_NOW);
    ck_assert_int_eq(card->modified, ALLIANCE_TEST_NOW + 60);
    alliance_free(card);
}
END_TEST

START_TEST(a_card_id_of_another_deck_is_refused_naming_both_decks)
{
    fixture_add_cards(db, "First deck", "c", 1, ALLIANCE_TEST_NOW);
    int64_t other = fixture_add_cards(db, "Second deck", "d", 1, ALLIANCE_TEST_NOW);
    alliance__card_row row = { "c1", "c1", 0, ALLIANCE_CARD_BASIC, "stolen", "", "", "", "", "", 1 };
    int result = 0;
    ck_assert_int_eq(put(other, &row, new_generation(), &result), ALLIANCE_EEXISTS);
    const char *message = alliance_errmsg(db);
    ck_assert_ptr_nonnull(strstr(message, "First deck"));
    ck_assert_ptr_nonnull(strstr(message, "Second deck"));
    ck_assert_ptr_nonnull(strstr(message, "c1"));
    alliance_card *card = get("c1");
    ck_assert_str_eq(card->front, "question c1");
    alliance_free(card);
}
END_TEST

START_TEST(a_malformed_card_row_is_refused)
{
    int64_t deck = fixture_add_cards(db, "deck", "c", 1, ALLIANCE_TEST_NOW);
    alliance__card_row row = { "x", "x", 0, 9, "front", "", "", "", "", "", 1 };
    int result = 0;
    ck_assert_int_eq(put(deck, &row, 1, &result), ALLIANCE_EINVAL);
    char long_id[400];
    memset(long_id, 'a', sizeof long_id - 1);
    long_id[sizeof long_id - 1] = '\0';
    alliance__card_row too_long = { long_id, long_id, 0, ALLIANCE_CARD_BASIC, "front", "", "", "", "", "", 1 };
    ck_assert_int_eq(put(deck, &too_long, 1, &result), ALLIANCE_ELIMIT);
    alliance_card *card = NULL;
    ck_assert_int_eq(alliance_card_get(db, "x", &card), ALLIANCE_ENOTFOUND);
}
END_TEST

START_TEST(cards_missing_from_an_import_are_suspended_and_come_back_when_seen_again)
{
    int64_t deck = fixture_add_cards(db, "deck", "c", 3, ALLIANCE_TEST_NOW);
    ck_assert_int_eq(alliance_card_suspend(db, "c3", 1, ALLIANCE_TEST_NOW), ALLIANCE_OK); /* the learner's own */
    /* an import that only has c1 */
    int64_t g = new_generation();
    alliance__card_row c1 = { "c1", "c1", 0, ALLIANCE_CARD_BASIC, "question c1", "answer c1", "", "tag", "", "", 1 };
    int result = 0;
    ck_assert_int_eq(put(deck, &c1, g, &result), ALLIANCE_OK);
    /* c2 and c3 left the file (c3's suspension stays the learner's) */
    ck_assert_uint_eq(suspend_unseen(deck, g), 2);
    ck_assert_uint_eq(suspended("c1"), 0);
    ck_assert_uint_eq(suspended("c2"), 1);
    ck_assert_uint_eq(suspended("c3"), 1);
    /* the next import has all three again */
    g = new_generation();
    for (int i = 1; i <= 3; i++) {
        char id[8], front[32], back[32];
        snprintf(id, sizeof id, "c%d", i);
        snprintf(front, sizeof front, "question %s", id);
        snprintf(back, sizeof back, "answer %s", id);
        alliance__card_row row = { id, id, 0, ALLIANCE_CARD_BASIC, front, back, "", "tag", "", "", i };
        ck_assert_int_eq(put(deck, &row, g, &result), ALLIANCE_OK);
        ck_assert_int_eq(result, ALLIANCE__PUT_UNCHANGED);
    }
    ck_assert_uint_eq(suspend_unseen(deck, g), 0);
    ck_assert_uint_eq(suspended("c2"), 0); /* the import's suspension is lifted */
    ck_assert_uint_eq(suspended("c3"), 1); /* the learner's is kept */
}
END_TEST

/* ---- getting ---- */

START_TEST(getting_an_unknown_card_names_it)
{
    alliance_card *card = (alliance_card *)&card; /* must stay untouched */
    ck_assert_int_eq(alliance_card_get(db, "nope", &card), ALLIANCE_ENOTFOUND);
    ck_assert_ptr_eq(card, (alliance_card *)&card);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "nope"));
    ck_assert_int_eq(alliance_card_get(db, NULL, &card), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_card_get(NULL, "x", &card), ALLIANCE_EINVAL);
}
END_TEST

/* ---- searching ---- */

/* The ids of a search, joined by blanks. */
static char *search_ids(int64_t deck_id, const char *text)
{
    static char ids[4096];
    ids[0] = '\0';
    alliance_card_iter *iter = NULL;
    ck_assert_int_eq(alliance_card_search(&iter, db, deck_id, text), ALLIANCE_OK);
    alliance_card *card = NULL;
    int rc;
    while ((rc = alliance_card_iter_next(iter, &card)) == ALLIANCE_OK) {
        if (ids[0])
            strcat(ids, " ");
        strcat(ids, card->id);
        alliance_free(card);
    }
    ck_assert_int_eq(rc, ALLIANCE_DONE);
    ck_assert_ptr_null(card);
    ck_assert_int_eq(alliance_card_iter_next(iter, &card), ALLIANCE_DONE); /* stays done */
    alliance_card_iter_free(iter);
    return ids;
}

START_TEST(search_lists_every_card_by_deck_then_file_order)
{
    int64_t b = fixture_add_cards(db, "B", "b", 3, ALLIANCE_TEST_NOW);
    int64_t a = fixture_add_cards(db, "A", "a", 2, ALLIANCE_TEST_NOW);
    ck_assert_int_lt(b, a);
    ck_assert_str_eq(search_ids(0, NULL), "b1 b2 b3 a1 a2");
    ck_assert_str_eq(search_ids(0, ""), "b1 b2 b3 a1 a2");
    ck_assert_str_eq(search_ids(a, NULL), "a1 a2");
    ck_assert_str_eq(search_ids(a + 1, NULL), "");
}
END_TEST

START_TEST(search_orders_by_position_not_by_insertion)
{
    int64_t deck = fixture_add_cards(db, "deck", "c", 2, ALLIANCE_TEST_NOW);
    alliance__card_row first = { "zero", "zero", 0, ALLIANCE_CARD_BASIC, "front", "", "", "", "", "", 0 };
    int result = 0;
    ck_assert_int_eq(put(deck, &first, new_generation(), &result), ALLIANCE_OK);
    alliance__card_row cloze2 = { "n::c2", "n", 2, ALLIANCE_CARD_CLOZE, "{{c1::a}} {{c2::b}}", "", "", "", "", "", 5 };
    alliance__card_row cloze1 = { "n::c1", "n", 1, ALLIANCE_CARD_CLOZE, "{{c1::a}} {{c2::b}}", "", "", "", "", "", 5 };
    ck_assert_int_eq(put(deck, &cloze2, new_generation(), &result), ALLIANCE_OK);
    ck_assert_int_eq(put(deck, &cloze1, new_generation(), &result), ALLIANCE_OK);
    ck_assert_str_eq(search_ids(deck, NULL), "zero c1 c2 n::c1 n::c2");
}
END_TEST

START_TEST(search_matches_fields_and_tags_ignoring_ascii_case)
{
    int64_t deck = fixture_add_cards(db, "deck", "c", 12, ALLIANCE_TEST_NOW);
    alliance__card_row row = { "x", "x", 0, ALLIANCE_CARD_CHOICE, "Capital?", "Paris", "Lyon\nNice", "Geo Europe",
                               "", "", 20 };
    int result = 0;
    ck_assert_int_eq(put(deck, &row, new_generation(), &result), ALLIANCE_OK);
    ck_assert_str_eq(search_ids(0, "QUESTION C1"), "c1 c10 c11 c12");
    ck_assert_str_eq(search_ids(0, "paris"), "x");
    ck_assert_str_eq(search_ids(0, "nice"), "x");
    ck_assert_str_eq(search_ids(0, "europe"), "x");
    ck_assert_str_eq(search_ids(0, "capital"), "x");
    ck_assert_str_eq(search_ids(0, "%"), ""); /* no wildcards */
    ck_assert_str_eq(search_ids(0, "nowhere"), "");
}
END_TEST

START_TEST(closing_the_collection_detaches_an_open_iterator)
{
    fixture_add_cards(db, "deck", "c", 3, ALLIANCE_TEST_NOW);
    alliance_card_iter *iter = NULL;
    ck_assert_int_eq(alliance_card_search(&iter, db, 0, NULL), ALLIANCE_OK);
    alliance_card *card = NULL;
    ck_assert_int_eq(alliance_card_iter_next(iter, &card), ALLIANCE_OK);
    alliance_free(card);
    alliance_close(db);
    db = NULL;
    card = NULL;
    ck_assert_int_eq(alliance_card_iter_next(iter, &card), ALLIANCE_EMISUSE);
    ck_assert_ptr_null(card);
    alliance_card_iter_free(iter);
    alliance_card_iter_free(NULL);
}
END_TEST

START_TEST(search_argument_errors)
{
    alliance_card_iter *iter = NULL;
    ck_assert_int_eq(alliance_card_search(NULL, db, 0, NULL), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_card_search(&iter, NULL, 0, NULL), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_card_search(&iter, db, -1, NULL), ALLIANCE_EINVAL);
    ck_assert_ptr_null(iter);
    alliance_card *card = NULL;
    ck_assert_int_eq(alliance_card_iter_next(NULL, &card), ALLIANCE_EINVAL);
}
END_TEST

/* ---- suspend and bury ---- */

START_TEST(suspend_and_unsuspend_a_card)
{
    fixture_add_cards(db, "deck", "c", 2, ALLIANCE_TEST_NOW);
    ck_assert_int_eq(alliance_card_suspend(db, "c1", 1, ALLIANCE_TEST_NOW), ALLIANCE_OK);
    ck_assert_uint_eq(suspended("c1"), 1);
    ck_assert_uint_eq(suspended("c2"), 0);
    ck_assert_int_eq(alliance_card_suspend(db, "c1", 0, ALLIANCE_TEST_NOW), ALLIANCE_OK);
    ck_assert_uint_eq(suspended("c1"), 0);
}
END_TEST

START_TEST(suspend_errors_change_nothing)
{
    fixture_add_cards(db, "deck", "c", 1, ALLIANCE_TEST_NOW);
    ck_assert_int_eq(alliance_card_suspend(db, "ghost", 1, ALLIANCE_TEST_NOW), ALLIANCE_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "ghost"));
    ck_assert_int_eq(alliance_card_suspend(db, "c1", 2, ALLIANCE_TEST_NOW), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_card_suspend(db, NULL, 1, ALLIANCE_TEST_NOW), ALLIANCE_EINVAL);
    ck_assert_uint_eq(suspended("c1"), 0);
}
END_TEST

START_TEST(burying_hides_a_card_until_tomorrow)
{
    fixture_add_cards(db, "deck", "c", 1, ALLIANCE_TEST_NOW);
    ck_assert_int_eq(alliance_card_bury(db, "c1", ALLIANCE_TEST_NOW), ALLIANCE_OK);
    alliance_card *card = get("c1");
    ck_assert_int_eq(card->buried_until_day, 20458 + 1);
    alliance_free(card);
    ck_assert_int_eq(alliance_card_bury(db, "ghost", ALLIANCE_TEST_NOW), ALLIANCE_ENOTFOUND);
    ck_assert_int_eq(alliance_card_bury(db, "c1", INT64_MAX), ALLIANCE_EINVAL);
}
END_TEST

/* Freeing an iterator is not a failure: alliance_errmsg still tells the last one. */
START_TEST(freeing_an_iterator_keeps_the_last_failure_message)
{
    alliance_card_iter *cards = NULL;
    alliance_review_iter *reviews = NULL;
    ck_assert_int_eq(alliance_card_search(&cards, db, 0, NULL), ALLIANCE_OK);
    ck_assert_int_eq(alliance_review_iter_open(&reviews, db, NULL), ALLIANCE_OK);
    alliance_card *card = NULL;
    ck_assert_int_eq(alliance_card_get(db, "nope", &card), ALLIANCE_ENOTFOUND);
    alliance_card_iter_free(cards);
    alliance_review_iter_free(reviews);
    ck_assert_int_eq(alliance_errcode(db), ALLIANCE_ENOTFOUND);
    ck_assert_msg(strstr(alliance_errmsg(db), "nope") != NULL, "message lost: %s", alliance_errmsg(db));
}
END_TEST

static Suite *cards_suite(void)
{
    Suite *s = suite_create("cards");
    TCase *tc = tcase_create("cards");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, deck_ids_are_found_or_created_on_request);
    tcase_add_test(tc, deck_headers_are_stored_and_updated);
    tcase_add_test(tc, generations_strictly_increase);
    tcase_add_test(tc, a_new_card_is_added_with_a_new_state);
    tcase_add_test(tc, putting_a_card_again_reports_unchanged_or_updated);
    tcase_add_test(tc, a_card_id_of_another_deck_is_refused_naming_both_decks);
    tcase_add_test(tc, a_malformed_card_row_is_refused);
    tcase_add_test(tc, cards_missing_from_an_import_are_suspended_and_come_back_when_seen_again);
    tcase_add_test(tc, getting_an_unknown_card_names_it);
    tcase_add_test(tc, search_lists_every_card_by_deck_then_file_order);
    tcase_add_test(tc, search_orders_by_position_not_by_insertion);
    tcase_add_test(tc, search_matches_fields_and_tags_ignoring_ascii_case);
    tcase_add_test(tc, closing_the_collection_detaches_an_open_iterator);
    tcase_add_test(tc, freeing_an_iterator_keeps_the_last_failure_message);
    tcase_add_test(tc, search_argument_errors);
    tcase_add_test(tc, suspend_and_unsuspend_a_card);
    tcase_add_test(tc, suspend_errors_change_nothing);
    tcase_add_test(tc, burying_hides_a_card_until_tomorrow);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(cards_suite());
}
