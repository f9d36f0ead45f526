/* SPDX-License-Identifier: MIT */
/* test_deck_manage.c - alliance_deck_rename and alliance_deck_delete: the local rules
 * (refusals leave the collection as it was, history kept or removed in one transaction)
 * and how they merge under sync (docs/sync.md, "Renaming and deleting a deck"). */
#include "sync_fixture.h"

static alliance_db *open_new(void)
{
    alliance_open_options o;
    alliance_open_options_init(&o, ALLIANCE_OPEN_OPTIONS_VERSION);
    o.utc_offset_seconds = 0;
    alliance_db *db = NULL;
    ck_assert_int_eq(alliance_open(&db, ":memory:", &o), ALLIANCE_OK);
    return db;
}

static void import(alliance_db *db, const char *deck, int edited)
{
    char text[2048];
    int len = snprintf(text, sizeof text, "deck: %s\ndescription: about %s\n", deck, deck);
    for (int k = 0; k < 3; k++)
        len += snprintf(text + len, sizeof text - (size_t)len, "\ncard: %c%d\ntype: basic\nfront: q%d%s\nback: a%d\n",
                        deck[0] + 32, k, k, edited ? " (edited)" : "", k);
    int rc = alliance_deck_import_buffer(db, "x.deck", text, (size_t)len, NULL, ALLIANCE_TEST_NOW, NULL);
    ck_assert_msg(rc == ALLIANCE_OK, "import: %s", alliance_errmsg(db));
}

static int64_t deck_of(alliance_db *db, const char *name)
{
    int64_t id = 0;
    int rc = alliance_deck_id(db, name, 0, &id);
    ck_assert(rc == ALLIANCE_OK || rc == ALLIANCE_ENOTFOUND);
    return rc == ALLIANCE_OK ? id : 0;
}

static int64_t card_deck(alliance_db *db, const char *card_id)
{
    alliance_card *c = NULL;
    int rc = alliance_card_get(db, card_id, &c);
    if (rc == ALLIANCE_ENOTFOUND)
        return 0;
    ck_assert_int_eq(rc, ALLIANCE_OK);
    int64_t d = c->deck_id;
    alliance_free(c);
    return d;
}

static uint64_t review_count(alliance_db *db)
{
    alliance_review_iter *it = NULL;
    ck_assert_int_eq(alliance_review_iter_open(&it, db, NULL), ALLIANCE_OK);
    alliance_review r;
    memset(&r, 0, sizeof r);
    r.version = ALLIANCE_REVIEW_VERSION;
    uint64_t n = 0;
    while (alliance_review_iter_next(it, &r) == ALLIANCE_OK)
        n++;
    alliance_review_iter_free(it);
    return n;
}

static void assert_same_ex(alliance_db *a, alliance_db *b, int with_deck_ids)
{
    char *x = sync_dump_ex(a, with_deck_ids), *y = sync_dump_ex(b, with_deck_ids);
    ck_assert_msg(strcmp(x, y) == 0, "copies differ:%s", sync_dump_diff(x, y));
    free(x);
    free(y);
    ck_assert_uint_eq(sync_verify(a), 0);
    ck_assert_uint_eq(sync_verify(b), 0);
}

static void assert_same(alliance_db *a, alliance_db *b)
{
    assert_same_ex(a, b, 1);
}

START_TEST(rename_keeps_cards_history_and_id)
{
    alliance_db *db = open_new();
    import(db, "P", 0);
    import(db, "Q", 0);
    int64_t p = deck_of(db, "P");
    ck_assert_int_eq(alliance_answer(db, "p0", 4, ALLIANCE_TEST_NOW, 1000, NULL), ALLIANCE_OK);
    char *before = sync_dump(db);
    /* refusals change nothing */
    ck_assert_int_eq(alliance_deck_rename(db, p, "Q"), ALLIANCE_EEXISTS);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "\"Q\""));
    ck_assert_int_eq(alliance_deck_rename(db, 999, "R"), ALLIANCE_ENOTFOUND);
    ck_assert_int_eq(alliance_deck_rename(db, p, ""), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_deck_rename(db, p, NULL), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_deck_rename(db, p, "bad\nname"), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_deck_rename(db, p, "P"), ALLIANCE_OK); /* its own name */
    char *after = sync_dump(db);
    ck_assert_str_eq(before, after);
    free(after);
    free(before);

    ck_assert_int_eq(alliance_deck_rename(db, p, "Renamed"), ALLIANCE_OK);
    ck_assert_int_eq(deck_of(db, "Renamed"), p);
    ck_assert_int_eq(deck_of(db, "P"), 0);
    ck_assert_int_eq(card_deck(db, "p0"), p);
    ck_assert_uint_eq(review_count(db), 1);
    char *name = NULL;
    ck_assert_int_eq(alliance_deck_name(db, p, &name), ALLIANCE_OK);
    ck_assert_str_eq(name, "Renamed");
    alliance_free(name);
    ck_assert_uint_eq(sync_verify(db), 0);
    /* a new deck may take the old name */
    int64_t again = 0;
    ck_assert_int_eq(alliance_deck_id(db, "P", 1, &again), ALLIANCE_OK);
    ck_assert_int_ne(again, p);
    alliance_close(db);
}
END_TEST

START_TEST(delete_refused_with_cards_unless_asked)
{
    alliance_db *db = open_new();
    import(db, "P", 0);
    import(db, "Q", 0);
    int64_t p = deck_of(db, "P"), q = deck_of(db, "Q");
    ck_assert_int_eq(alliance_answer(db, "p0", 4, ALLIANCE_TEST_NOW, 1000, NULL), ALLIANCE_OK);
    ck_assert_int_eq(alliance_answer(db, "q1", 2, ALLIANCE_TEST_NOW, 1000, NULL), ALLIANCE_OK);
    char *before = sync_dump(db);
    ck_assert_int_eq(alliance_deck_delete(db, p, 0), ALLIANCE_EINVAL);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "ALLIANCE_DECK_DELETE_CARDS"));
    ck_assert_int_eq(alliance_deck_delete(db, p, 0x80), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_deck_delete(db, 999, ALLIANCE_DECK_DELETE_CARDS), ALLIANCE_ENOTFOUND);
    char *after = sync_dump(db);
    ck_assert_str_eq(before, after);
    free(after);
    free(before);

    ck_assert_int_eq(alliance_deck_delete(db, p, ALLIANCE_DECK_DELETE_CARDS), ALLIANCE_OK);
    ck_assert_int_eq(deck_of(db, "P"), 0);
    ck_assert_int_eq(card_deck(db, "p0"), 0);
    ck_assert_int_eq(card_deck(db, "q1"), q);
    ck_assert_uint_eq(review_count(db), 1); /* q1's answer stays */
    ck_assert_uint_eq(sync_verify(db), 0);
    /* an empty deck goes without the flag */
    int64_t empty = 0;
    ck_assert_int_eq(alliance_deck_id(db, "Empty", 1, &empty), ALLIANCE_OK);
    ck_assert_int_eq(alliance_deck_delete(db, empty, 0), ALLIANCE_OK);
    ck_assert_int_eq(deck_of(db, "Empty"), 0);
    /* the name can be imported again: a new deck, new cards without history */
    import(db, "P", 0);
    ck_assert_int_ne(card_deck(db, "p0"), 0);
    alliance_card *c = NULL;
    ck_assert_int_eq(alliance_card_get(db, "p0", &c), ALLIANCE_OK);
    ck_assert_uint_eq(c->reviews, 0);
    alliance_free(c);
    ck_assert_uint_eq(sync_verify(db), 0);
    alliance_close(db);
}
END_TEST

START_TEST(rename_reaches_copies_with_the_same_deck_id)
{
    alliance_db *a = open_new();
    import(a, "P", 0);
    ck_assert_int_eq(alliance_answer(a, "p0", 4, ALLIANCE_TEST_NOW, 1000, NULL), ALLIANCE_OK);
    alliance_db *b = sync_clone_of(a, ":memory:");
    int64_t p = deck_of(a, "P");
    ck_assert_int_eq(alliance_deck_rename(a, p, "Q"), ALLIANCE_OK);
    /* meanwhile b answers a card of the deck under its old name */
    ck_assert_int_eq(alliance_answer(b, "p1", 3, ALLIANCE_TEST_NOW + 60, 1000, NULL), ALLIANCE_OK);
    sync_both(a, b);
    ck_assert_int_eq(deck_of(b, "Q"), p);
    ck_assert_int_eq(deck_of(b, "P"), 0);
    ck_assert_int_eq(card_deck(b, "p1"), p);
    ck_assert_uint_eq(review_count(b), 2);
    assert_same(a, b);
    /* and back again */
    ck_assert_int_eq(alliance_deck_rename(b, p, "P"), ALLIANCE_OK);
    sync_both(b, a);
    ck_assert_int_eq(deck_of(a, "P"), p);
    assert_same(a, b);
    alliance_close(a);
    alliance_close(b);
}
END_TEST

START_TEST(concurrent_renames_move_every_card_together)
{
    alliance_db *a = open_new();
    import(a, "P", 0);
    alliance_db *b = sync_clone_of(a, ":memory:");
    int64_t p = deck_of(a, "P");
    ck_assert_int_eq(alliance_deck_rename(a, p, "Q"), ALLIANCE_OK);
    ck_assert_int_eq(alliance_deck_rename(b, p, "R"), ALLIANCE_OK);
    sync_both(a, b);
    /* Both new names are decks made on two copies before they met: their ids may differ
     * (docs/sync.md, "Limits"); everything else is the same. */
    assert_same_ex(a, b, 0);
    for (int i = 0; i < 2; i++) {
        alliance_db *db = i ? b : a;
        int64_t d0 = card_deck(db, "p0");
        ck_assert_int_ne(d0, 0);
        ck_assert_int_eq(card_deck(db, "p1"), d0);
        ck_assert_int_eq(card_deck(db, "p2"), d0);
        ck_assert_int_eq(deck_of(db, "P"), 0);
        /* the other new name stays, empty */
        int64_t q = deck_of(db, "Q"), r = deck_of(db, "R");
        ck_assert(q != 0 && r != 0);
        ck_assert(d0 == q || d0 == r);
    }
    alliance_close(a);
    alliance_close(b);
}
END_TEST

START_TEST(a_concurrent_answer_does_not_resurrect_a_deleted_deck)
{
    alliance_db *a = open_new();
    import(a, "P", 0);
    import(a, "Q", 0);
    ck_assert_int_eq(alliance_answer(a, "p0", 4, ALLIANCE_TEST_NOW, 1000, NULL), ALLIANCE_OK);
    alliance_db *b = sync_clone_of(a, ":memory:");
    alliance_db *c = sync_clone_of(a, ":memory:");
    ck_assert_int_eq(alliance_deck_delete(a, deck_of(a, "P"), ALLIANCE_DECK_DELETE_CARDS), ALLIANCE_OK);
    /* meanwhile b answers, suspends and buries cards of P */
    ck_assert_int_eq(alliance_answer(b, "p1", 4, ALLIANCE_TEST_NOW + 60, 1000, NULL), ALLIANCE_OK);
    ck_assert_int_eq(alliance_card_suspend(b, "p2", 1, ALLIANCE_TEST_NOW + 60), ALLIANCE_OK);
    ck_assert_int_eq(alliance_answer(b, "q0", 4, ALLIANCE_TEST_NOW + 60, 1000, NULL), ALLIANCE_OK);
    /* b's answer reaches c before the deletion does, and a after it */
    ck_assert_int_eq(sync_one_way(b, c, NULL), ALLIANCE_OK);
    sync_both(a, b);
    sync_both(c, a);
    sync_both(b, c);
    for (int i = 0; i < 3; i++) {
        alliance_db *db = i == 0 ? a : i == 1 ? b : c;
        ck_assert_int_eq(deck_of(db, "P"), 0);
        ck_assert_int_eq(card_deck(db, "p1"), 0);
        ck_assert_int_eq(card_deck(db, "p2"), 0);
        ck_assert_uint_eq(review_count(db), 1); /* q0's */
    }
    assert_same(a, b);
    assert_same(a, c);
    /* one more sync changes nothing */
    alliance_sync_report *rep = NULL;
    ck_assert_int_eq(sync_one_way(b, a, &rep), ALLIANCE_OK);
    ck_assert_uint_eq(rep->reviews + rep->tombstones + rep->cards + rep->decks + rep->settings, 0);
    alliance_free(rep);
    alliance_close(a);
    alliance_close(b);
    alliance_close(c);
}
END_TEST

START_TEST(an_exam_follows_a_rename_and_goes_with_a_deletion)
{
    /* the deck's exam (migration 4, deck group 1) beside rename and deletion (deck group 2) */
    alliance_db *a = open_new();
    import(a, "P", 0);
    int64_t p = deck_of(a, "P"), today = 0;
    ck_assert_int_eq(alliance_today(a, ALLIANCE_TEST_NOW, &today), ALLIANCE_OK);
    ck_assert_int_eq(alliance_exam_set(a, p, today + 10, 4), ALLIANCE_OK);
    alliance_db *b = sync_clone_of(a, ":memory:");
    ck_assert_int_eq(alliance_deck_rename(a, p, "Q"), ALLIANCE_OK);
    sync_both(a, b);
    for (int k = 0; k < 2; k++) {
        alliance_db *db = k ? b : a;
        alliance_exam_status ex = ALLIANCE_EXAM_STATUS_INIT;
        ck_assert_int_eq(deck_of(db, "Q"), p);
        ck_assert_int_eq(alliance_exam_get(db, p, ALLIANCE_TEST_NOW, &ex), ALLIANCE_OK);
        ck_assert_uint_eq(ex.has_exam, 1);
        ck_assert_int_eq(ex.exam_day, today + 10);
        ck_assert_uint_eq(ex.final_days, 4);
    }
    assert_same(a, b);
    /* the deletion takes the exam with the deck, on both copies, and changesets still read it */
    ck_assert_int_eq(alliance_deck_delete(b, p, ALLIANCE_DECK_DELETE_CARDS), ALLIANCE_OK);
    sync_both(b, a);
    ck_assert_int_eq(deck_of(a, "Q"), 0);
    ck_assert_int_eq(deck_of(b, "Q"), 0);
    assert_same(a, b);
    /* a deck of that name made later has no exam */
    import(a, "Q", 0);
    sync_both(a, b);
    alliance_exam_status ex = ALLIANCE_EXAM_STATUS_INIT;
    ck_assert_int_eq(alliance_exam_get(b, deck_of(b, "Q"), ALLIANCE_TEST_NOW, &ex), ALLIANCE_OK);
    ck_assert_uint_eq(ex.has_exam, 0);
    assert_same(a, b);
    ck_assert_uint_eq(sync_verify(a), 0);
    ck_assert_uint_eq(sync_verify(b), 0);
    alliance_close(a);
    alliance_close(b);
}
END_TEST

START_TEST(a_newer_import_brings_a_deleted_deck_back)
{
    alliance_db *a = open_new();
    import(a, "P", 0);
    alliance_db *b = sync_clone_of(a, ":memory:");
    ck_assert_int_eq(alliance_deck_delete(a, deck_of(a, "P"), ALLIANCE_DECK_DELETE_CARDS), ALLIANCE_OK);
    sync_both(a, b);
    ck_assert_int_eq(deck_of(b, "P"), 0);
    /* after the deletion is known, an import of the deck on b makes it new on both */
    import(b, "P", 1);
    sync_both(b, a);
    ck_assert_int_ne(card_deck(a, "p0"), 0);
    assert_same(a, b);
    alliance_close(a);
    alliance_close(b);
}
END_TEST

START_TEST(a_session_on_a_deleted_deck_ends_and_its_cards_are_gone_everywhere)
{
    /* review-decks: a session open on the deck when it is deleted (same handle) */
    alliance_db *db = open_new();
    import(db, "P", 0);
    import(db, "Q", 0);
    int64_t p = deck_of(db, "P");
    alliance_session *s = NULL;
    ck_assert_int_eq(alliance_session_open(&s, db, p, ALLIANCE_TEST_NOW), ALLIANCE_OK);
    alliance_card *c = NULL;
    ck_assert_int_eq(alliance_session_next(s, ALLIANCE_TEST_NOW, &c), ALLIANCE_OK);
    char id[64];
    snprintf(id, sizeof id, "%s", c->id);
    alliance_free(c);
    ck_assert_int_eq(alliance_session_answer(s, id, 1, ALLIANCE_TEST_NOW, 1000, NULL), ALLIANCE_OK);
    ck_assert_int_eq(alliance_answer(db, "q0", 4, ALLIANCE_TEST_NOW, 1000, NULL), ALLIANCE_OK);
    ck_assert_int_eq(alliance_deck_delete(db, p, ALLIANCE_DECK_DELETE_CARDS), ALLIANCE_OK);
    c = NULL;
    ck_assert_int_eq(alliance_session_next(s, ALLIANCE_TEST_NOW + 60, &c), ALLIANCE_DONE);
    ck_assert_ptr_null(c);
    ck_assert_int_eq(alliance_session_answer(s, id, 4, ALLIANCE_TEST_NOW + 60, 1000, NULL), ALLIANCE_ENOTFOUND);
    /* undo reaches the newest answer left (q0's): the deleted deck's answers are gone */
    char *u = NULL;
    ck_assert_int_eq(alliance_session_undo(s, &u), ALLIANCE_OK);
    ck_assert_str_eq(u, "q0");
    alliance_free(u);
    ck_assert_int_eq(alliance_session_undo(s, &u), ALLIANCE_ENOUNDO);
    alliance_session_close(s);
    /* the deleted deck's id is refused everywhere, without a change */
    char *before = sync_dump(db);
    alliance_stats st = ALLIANCE_STATS_INIT;
    ck_assert_int_eq(alliance_stats_get(db, p, ALLIANCE_TEST_NOW, 30, &st), ALLIANCE_ENOTFOUND);
    uint32_t fc[7];
    ck_assert_int_eq(alliance_forecast_v2(db, p, ALLIANCE_TEST_NOW, fc, 7), ALLIANCE_ENOTFOUND);
    ck_assert_int_eq(alliance_exam_set(db, p, 20000, 3), ALLIANCE_ENOTFOUND);
    ck_assert_int_eq(alliance_deck_rename(db, p, "Z"), ALLIANCE_ENOTFOUND);
    ck_assert_int_eq(alliance_deck_delete(db, p, ALLIANCE_DECK_DELETE_CARDS), ALLIANCE_ENOTFOUND);
    char *after = sync_dump(db);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    ck_assert_uint_eq(review_count(db), 0);
    ck_assert_uint_eq(sync_verify(db), 0);
    alliance_close(db);
}
END_TEST

START_TEST(names_deleted_or_renamed_away_can_be_used_again)
{
    /* review-decks: a deck re-made under a deleted name, and a rename there and back, survive
     * the sweep of a later deletion; refused names leave the collection as it was */
    alliance_db *db = open_new();
    import(db, "P", 0);
    ck_assert_int_eq(alliance_deck_delete(db, deck_of(db, "P"), ALLIANCE_DECK_DELETE_CARDS), ALLIANCE_OK);
    int64_t p2 = 0, e = 0;
    ck_assert_int_eq(alliance_deck_id(db, "P", 1, &p2), ALLIANCE_OK);
    ck_assert_int_eq(alliance_deck_id(db, "E", 1, &e), ALLIANCE_OK);
    ck_assert_int_eq(alliance_deck_delete(db, e, 0), ALLIANCE_OK);
    ck_assert_int_eq(deck_of(db, "P"), p2);
    import(db, "R", 0);
    int64_t r = deck_of(db, "R");
    ck_assert_int_eq(alliance_deck_rename(db, r, "S"), ALLIANCE_OK);
    ck_assert_int_eq(alliance_deck_rename(db, r, "R"), ALLIANCE_OK);
    ck_assert_int_eq(alliance_deck_rename(db, r, "r"), ALLIANCE_OK); /* names are case-sensitive */
    ck_assert_int_eq(alliance_deck_delete(db, p2, 0), ALLIANCE_OK);
    ck_assert_int_eq(deck_of(db, "r"), r);
    ck_assert_int_eq(card_deck(db, "r0"), r);
    ck_assert_int_eq(deck_of(db, "S"), 0);
    char *before = sync_dump(db);
    ck_assert_int_eq(alliance_deck_rename(db, r, " lead"), ALLIANCE_EINVAL);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "blank at its start"));
    ck_assert_int_eq(alliance_deck_rename(db, r, "two\nlines"), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_deck_rename(db, r, ""), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_deck_rename(db, r, NULL), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_deck_rename(db, 0, "x"), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_deck_rename(db, 12345, "x"), ALLIANCE_ENOTFOUND);
    ck_assert_int_eq(alliance_deck_delete(db, 0, 0), ALLIANCE_EINVAL);
    char *after = sync_dump(db);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    ck_assert_int_eq(alliance_deck_rename(db, r, "a::b"), ALLIANCE_OK); /* a subdeck name is a name */
    ck_assert_uint_eq(sync_verify(db), 0);
    alliance_close(db);
}
END_TEST

START_TEST(a_concurrent_edit_keeps_its_cards_with_the_editing_copys_answers)
{
    /* review-decks: b answers cards of P, then re-imports P edited, while a deletes P; the edited
     * cards live on both copies with b's later answers only (docs/sync.md), replay exact */
    alliance_db *a = open_new();
    import(a, "P", 0);
    import(a, "Q", 0);
    ck_assert_int_eq(alliance_answer(a, "p0", 4, ALLIANCE_TEST_NOW, 1000, NULL), ALLIANCE_OK);
    alliance_db *b = sync_clone_of(a, ":memory:");
    ck_assert_int_eq(alliance_deck_delete(a, deck_of(a, "P"), ALLIANCE_DECK_DELETE_CARDS), ALLIANCE_OK);
    ck_assert_int_eq(alliance_answer(b, "p0", 4, ALLIANCE_TEST_NOW + 86400, 1000, NULL), ALLIANCE_OK);
    ck_assert_int_eq(alliance_answer(b, "p1", 2, ALLIANCE_TEST_NOW + 86400, 1000, NULL), ALLIANCE_OK);
    ck_assert_int_eq(alliance_card_suspend(b, "p2", 1, ALLIANCE_TEST_NOW + 60), ALLIANCE_OK);
    import(b, "P", 1);
    ck_assert_int_eq(alliance_answer(b, "p0", 3, ALLIANCE_TEST_NOW + 40 * 86400, 1000, NULL), ALLIANCE_OK);
    sync_both(a, b);
    sync_both(b, a);
    for (int i = 0; i < 2; i++) {
        alliance_db *db = i ? b : a;
        alliance_card *c = NULL;
        ck_assert_int_eq(alliance_card_get(db, "p0", &c), ALLIANCE_OK);
        ck_assert_uint_eq(c->reviews, 2); /* the answer a gave before the deletion went with it */
        ck_assert_int_eq(c->deck_id, deck_of(db, "P"));
        alliance_free(c);
        ck_assert_uint_eq(review_count(db), 3);
    }
    /* the deck comes back on a under a new id (docs/sync.md, "Limits") */
    assert_same_ex(a, b, 0);
    alliance_sync_report *rep = NULL;
    ck_assert_int_eq(sync_one_way(b, a, &rep), ALLIANCE_OK);
    ck_assert_uint_eq(rep->reviews + rep->tombstones + rep->cards + rep->decks + rep->settings, 0);
    alliance_free(rep);
    alliance_close(a);
    alliance_close(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("deck_manage");
    TCase *t = tcase_create("decks");
    tcase_add_test(t, rename_keeps_cards_history_and_id);
    tcase_add_test(t, delete_refused_with_cards_unless_asked);
    tcase_add_test(t, rename_reaches_copies_with_the_same_deck_id);
    tcase_add_test(t, concurrent_renames_move_every_card_together);
    tcase_add_test(t, a_concurrent_answer_does_not_resurrect_a_deleted_deck);
    tcase_add_test(t, a_newer_import_brings_a_deleted_deck_back);
    tcase_add_test(t, an_exam_follows_a_rename_and_goes_with_a_deletion);
    tcase_add_test(t, a_session_on_a_deleted_deck_ends_and_its_cards_are_gone_everywhere);
    tcase_add_test(t, names_deleted_or_renamed_away_can_be_used_again);
    tcase_add_test(t, a_concurrent_edit_keeps_its_cards_with_the_editing_copys_answers);
    suite_add_tcase(s, t);
    return alliance_test_run(s);
}
