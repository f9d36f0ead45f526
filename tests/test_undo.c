/* SPDX-License-Identifier: MIT */
/* undo: undoing answers restores the exact previous card and removes exactly their log rows. */
#include "collection_fixture.h"

static alliance_db *db;

static void setup(void)
{
    db = fixture_open(":memory:");
    fixture_add_cards(db, "deck", "c", 3, ALLIANCE_TEST_NOW);
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

static void undo_expecting(const char *expected_id)
{
    char *id = NULL;
    int rc = alliance_undo(db, &id);
    ck_assert_msg(rc == ALLIANCE_OK, "undo: %d %s", rc, alliance_errmsg(db));
    ck_assert_str_eq(id, expected_id);
    alliance_free(id);
}

/* The review ids of the whole log, oldest first, in `ids` (up to `max`); returns how many. */
static int log_ids(int64_t *ids, int max)
{
    alliance_review_iter *iter = NULL;
    ck_assert_int_eq(alliance_review_iter_open(&iter, db, NULL), ALLIANCE_OK);
    alliance_review r;
    r.version = ALLIANCE_REVIEW_VERSION;
    int n = 0;
    while (n < max && alliance_review_iter_next(iter, &r) == ALLIANCE_OK)
        ids[n++] = r.review_id;
    alliance_review_iter_free(iter);
    return n;
}

START_TEST(undo_restores_the_exact_previous_card)
{
    fixture_answer(db, "c1", 5, fixture_at(0, 12));
    alliance_card *before = fixture_card(db, "c1");
    fixture_answer(db, "c1", 4, fixture_at(1, 12));
    undo_expecting("c1");
    alliance_card *after = fixture_card(db, "c1");
    fixture_assert_same_card(before, after);
    alliance_free(before);
    alliance_free(after);
}
END_TEST

START_TEST(undoing_a_new_cards_first_answer_makes_it_new_again)
{
    alliance_card *before = fixture_card(db, "c2");
    fixture_answer(db, "c2", 2, fixture_at(0, 12));
    undo_expecting("c2");
    alliance_card *after = fixture_card(db, "c2");
    fixture_assert_same_card(before, after);
    ck_assert_int_eq(after->last_review_day, -1);
    alliance_free(before);
    alliance_free(after);
    ck_assert_int_eq(fixture_log_rows(db, NULL), 0);
}
END_TEST

START_TEST(three_undos_in_a_row_restore_three_states_and_remove_three_rows)
{
    fixture_answer(db, "c1", 5, fixture_at(0, 10));
    fixture_answer(db, "c2", 5, fixture_at(0, 11));
    alliance_card *states[4];
    int64_t ids_before[8];
    int rows_before = log_ids(ids_before, 8);
    states[0] = fixture_card(db, "c1");
    fixture_answer(db, "c1", 3, fixture_at(1, 10));
    states[1] = fixture_card(db, "c1");
    fixture_answer(db, "c1", 2, fixture_at(1, 11)); /* during the repeat */
    states[2] = fixture_card(db, "c1");
    fixture_answer(db, "c1", 5, fixture_at(1, 12));
    states[3] = fixture_card(db, "c1");
    ck_assert_int_eq(fixture_log_rows(db, NULL), rows_before + 3);
    for (int i = 3; i > 0; i--) {
        undo_expecting("c1");
        alliance_card *now = fixture_card(db, "c1");
        fixture_assert_same_card(now, states[i - 1]);
        alliance_free(now);
        ck_assert_int_eq(fixture_log_rows(db, NULL), rows_before + i - 1);
    }
    /* exactly the three rows went: the others are the same rows as before */
    int64_t ids_after[8];
    ck_assert_int_eq(log_ids(ids_after, 8), rows_before);
    for (int i = 0; i < rows_before; i++)
        ck_assert_int_eq(ids_after[i], ids_before[i]);
    for (int i = 0; i < 4; i++)
        alliance_free(states[i]);
}
END_TEST

START_TEST(undo_takes_the_newest_answer_of_the_collection)
{
    fixture_answer(db, "c1", 5, fixture_at(0, 10));
    fixture_answer(db, "c3", 5, fixture_at(0, 11));
    fixture_answer(db, "c2", 5, fixture_at(0, 12));
    undo_expecting("c2");
    undo_expecting("c3");
    undo_expecting("c1");
    ck_assert_int_eq(alliance_undo(db, NULL), ALLIANCE_ENOUNDO);
}
END_TEST

START_TEST(an_empty_log_has_nothing_to_undo_and_nothing_changes)
{
    alliance_card *before = fixture_card(db, "c1");
    char *id = (char *)&id;
    ck_assert_int_eq(alliance_undo(db, &id), ALLIANCE_ENOUNDO);
    ck_assert_ptr_eq(id, (char *)&id);
    ck_assert_int_eq(alliance_errcode(db), ALLIANCE_ENOUNDO);
    alliance_card *after = fixture_card(db, "c1");
    fixture_assert_same_card(before, after);
    alliance_free(before);
    alliance_free(after);
    ck_assert_int_eq(alliance_undo(NULL, NULL), ALLIANCE_EINVAL);
}
END_TEST

START_TEST(undoing_the_answer_that_made_a_leech_unsuspends_and_unflags_it)
{
    alliance_config config;
    alliance_config_init(&config, ALLIANCE_CONFIG_VERSION);
    config.leech_threshold = 1;
    ck_assert_int_eq(alliance_config_set(db, &config), ALLIANCE_OK);
    fixture_answer(db, "c1", 4, fixture_at(0, 10));
    alliance_card *before = fixture_card(db, "c1");
    fixture_answer(db, "c1", 1, fixture_at(1, 10));
    alliance_card *leech = fixture_card(db, "c1");
    ck_assert_uint_eq(leech->leech, 1);
    ck_assert_uint_eq(leech->suspended, 1);
    alliance_free(leech);
    undo_expecting("c1");
    alliance_card *after = fixture_card(db, "c1");
    fixture_assert_same_card(before, after);
    ck_assert_uint_eq(after->lapses, 0);
    alliance_free(before);
    alliance_free(after);
}
END_TEST

START_TEST(a_new_answer_after_an_undo_gets_a_new_review_id)
{
    fixture_answer(db, "c1", 5, fixture_at(0, 10));
    int64_t first[1];
    ck_assert_int_eq(log_ids(first, 1), 1);
    undo_expecting("c1");
    fixture_answer(db, "c1", 4, fixture_at(0, 11));
    int64_t second[1];
    ck_assert_int_eq(log_ids(second, 1), 1);
    ck_assert_int_gt(second[0], first[0]);
}
END_TEST

START_TEST(undo_survives_reopening)
{
    const char *path = alliance_test_path("undo.alliance");
    alliance_close(db);
    db = fixture_open(path);
    fixture_add_cards(db, "deck", "c", 1, ALLIANCE_TEST_NOW);
    alliance_card *before = fixture_card(db, "c1");
    fixture_answer(db, "c1", 5, fixture_at(0, 10));
    alliance_close(db);
    db = fixture_open(path);
    undo_expecting("c1");
    alliance_card *after = fixture_card(db, "c1");
    fixture_assert_same_card(before, after);
    alliance_free(before);
    alliance_free(after);
}
END_TEST

/* ---- what undo keeps ---- */

static void undo_ok(void)
{
    int rc = alliance_undo(db, NULL);
    ck_assert_msg(rc == ALLIANCE_OK, "undo: %d %s", rc, alliance_errmsg(db));
}

static int collect(void *opaque, const char *data, size_t len)
{
    alliance__buf *buf = opaque;
    return alliance__buf_append(buf, data, len);
}

/* alliance_undo: "restores the card's exact previous state". A new card added
 * while the initial E-Factor was 2500 keeps 2500 until its first answer; if the
 * parameters changed in between, undoing that answer must give back 2500. */
START_TEST(undo_of_a_first_answer_after_a_params_change_restores_the_stored_state)
{
    fixture_add_cards(db, "deck", "c", 1, ALLIANCE_TEST_NOW);
    alliance_card *before = fixture_card(db, "c1");
    ck_assert_uint_eq(before->state.efactor_milli, 2500);
    alliance_sm2_params params;
    alliance_sm2_params_init(&params, ALLIANCE_SM2_SUPERMEMO);
    params.initial_efactor_milli = 2000;
    ck_assert_int_eq(alliance_sm2_params_set(db, &params), ALLIANCE_OK);
    fixture_answer(db, "c1", 5, fixture_at(0, 12));
    undo_ok();
    alliance_card *after = fixture_card(db, "c1");
    fixture_assert_same_card(before, after); /* efactor 2500 expected, 2000 found */
    alliance_free(before);
    alliance_free(after);
}
END_TEST

/* Undo "removes exactly the log row that answer created, nothing else": a
 * suspension the learner made after the answer is not part of that answer. */
START_TEST(undo_does_not_lift_a_suspension_made_after_the_answer)
{
    fixture_add_cards(db, "deck", "c", 2, ALLIANCE_TEST_NOW);
    fixture_answer(db, "c1", 5, fixture_at(0, 12));
    ck_assert_int_eq(alliance_card_suspend(db, "c1", 1, fixture_at(0, 13)), ALLIANCE_OK);
    undo_ok();
    alliance_card *card = fixture_card(db, "c1");
    ck_assert_msg(card->suspended == 1, "undo lifted the learner's later suspension of c1");
    alliance_free(card);
}
END_TEST

/* The same with an import that no longer finds the card (suspended = 2): after
 * undoing an older answer the card comes back into sessions although it is no
 * longer in the deck file. Simulated with the store calls the importer uses. */
START_TEST(undo_does_not_bring_back_a_card_an_import_removed)
{
    int64_t deck = fixture_add_cards(db, "deck", "c", 2, ALLIANCE_TEST_NOW);
    fixture_answer(db, "c1", 5, fixture_at(0, 12));
    /* a re-import whose file only has c2 */
    ck_assert_int_eq(alliance__db_enter(db), ALLIANCE_OK);
    ck_assert_int_eq(alliance__store_begin(db), ALLIANCE_OK);
    int64_t generation = 0;
    ck_assert_int_eq(alliance__store_next_generation(db, &generation), ALLIANCE_OK);
    alliance__card_row row = { "c2", "c2", 0, ALLIANCE_CARD_BASIC, "question c2", "answer c2", "", "tag", "", "", 2 };
    int result = 0;
    ck_assert_int_eq(alliance__store_card_put(db, deck, &row, generation, fixture_at(0, 13), &result), ALLIANCE_OK);
    uint32_t suspended = 0;
    ck_assert_int_eq(alliance__store_suspend_unseen(db, deck, generation, fixture_at(0, 13), &suspended), ALLIANCE_OK);
    ck_assert_int_eq(alliance__store_commit(db), ALLIANCE_OK);
    alliance__db_leave(db, 0);
    ck_assert_uint_eq(suspended, 1);
    undo_ok();
    alliance_card *card = fixture_card(db, "c1");
    ck_assert_msg(card->suspended == 1, "undo unsuspended c1, which the deck file no longer has");
    alliance_free(card);
}
END_TEST

/* Hence an export after that undo still leaves out the card the deck file
 * dropped (it is not written back into the file). */
START_TEST(after_an_undo_an_export_still_leaves_out_a_card_the_file_dropped)
{
    int64_t deck = fixture_add_cards(db, "deck", "c", 2, ALLIANCE_TEST_NOW);
    fixture_answer(db, "c1", 5, fixture_at(0, 12));
    ck_assert_int_eq(alliance__db_enter(db), ALLIANCE_OK);
    ck_assert_int_eq(alliance__store_begin(db), ALLIANCE_OK);
    int64_t generation = 0;
    ck_assert_int_eq(alliance__store_next_generation(db, &generation), ALLIANCE_OK);
    alliance__card_row row = { "c2", "c2", 0, ALLIANCE_CARD_BASIC, "question c2", "answer c2", "", "tag", "", "", 2 };
    int result = 0;
    ck_assert_int_eq(alliance__store_card_put(db, deck, &row, generation, fixture_at(0, 13), &result), ALLIANCE_OK);
    ck_assert_int_eq(alliance__store_suspend_unseen(db, deck, generation, fixture_at(0, 13), NULL), ALLIANCE_OK);
    ck_assert_int_eq(alliance__store_commit(db), ALLIANCE_OK);
    alliance__db_leave(db, 0);
    alliance__buf before = { 0 }, after = { 0 };
    ck_assert_int_eq(alliance_deck_export(db, deck, ALLIANCE_FORMAT_DECK, collect, &before), ALLIANCE_OK);
    undo_ok();
    ck_assert_int_eq(alliance_deck_export(db, deck, ALLIANCE_FORMAT_DECK, collect, &after), ALLIANCE_OK);
    int same = before.len == after.len && memcmp(before.data, after.data, before.len) == 0;
    alliance__buf_free(&before);
    alliance__buf_free(&after);
    ck_assert_msg(same, "undoing an answer changed what the deck exports (the dropped card c1 is back)");
}
END_TEST

/* A failed write names the card (the undo's card, found in the log). */
START_TEST(a_refused_undo_on_a_readonly_collection_names_the_card)
{
    const char *path = alliance_test_path("ro-undo.alliance");
    alliance_db *rw = fixture_open(path);
    fixture_add_cards(rw, "deck", "card-y", 1, ALLIANCE_TEST_NOW);
    ck_assert_int_eq(alliance_answer(rw, "card-y1", 5, fixture_at(0, 12), 0, NULL), ALLIANCE_OK);
    alliance_close(rw);
    alliance_open_options options;
    alliance_open_options_init(&options, ALLIANCE_OPEN_OPTIONS_VERSION);
    options.utc_offset_seconds = 0;
    options.flags = ALLIANCE_OPEN_READONLY;
    alliance_db *ro = NULL;
    ck_assert_int_eq(alliance_open(&ro, path, &options), ALLIANCE_OK);
    int rc = alliance_undo(ro, NULL);
    char message[1024];
    snprintf(message, sizeof message, "%s", alliance_errmsg(ro));
    alliance_close(ro);
    ck_assert_int_eq(rc, ALLIANCE_EREADONLY);
    ck_assert_msg(strstr(message, "card \"card-y1\": ") != NULL, "message does not name the card: %s", message);
}
END_TEST

static Suite *undo_suite(void)
{
    Suite *s = suite_create("undo");
    TCase *tc = tcase_create("undo");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, undo_restores_the_exact_previous_card);
    tcase_add_test(tc, undoing_a_new_cards_first_answer_makes_it_new_again);
    tcase_add_test(tc, three_undos_in_a_row_restore_three_states_and_remove_three_rows);
    tcase_add_test(tc, undo_takes_the_newest_answer_of_the_collection);
    tcase_add_test(tc, an_empty_log_has_nothing_to_undo_and_nothing_changes);
    tcase_add_test(tc, undoing_the_answer_that_made_a_leech_unsuspends_and_unflags_it);
    tcase_add_test(tc, a_new_answer_after_an_undo_gets_a_new_review_id);
    tcase_add_test(tc, undo_survives_reopening);
    suite_add_tcase(s, tc);
    TCase *keeps = tcase_create("what undo keeps");
    tcase_add_checked_fixture(keeps, setup_empty, teardown);
    tcase_add_test(keeps, undo_of_a_first_answer_after_a_params_change_restores_the_stored_state);
    tcase_add_test(keeps, undo_does_not_lift_a_suspension_made_after_the_answer);
    tcase_add_test(keeps, undo_does_not_bring_back_a_card_an_import_removed);
    tcase_add_test(keeps, after_an_undo_an_export_still_leaves_out_a_card_the_file_dropped);
    tcase_add_test(keeps, a_refused_undo_on_a_readonly_collection_names_the_card);
    suite_add_tcase(s, keeps);
    return s;
}

int main(void)
{
    return alliance_test_run(undo_suite());
}
