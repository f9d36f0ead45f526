/* SPDX-License-Identifier: MIT */
/* test_note_manage.c - alliance_note_update and alliance_note_delete: the re-import rules
 * through the API (an edit keeps history, a card the note loses is suspended out of the deck
 * file, a deletion removes cards and history), refusals that leave the collection as it was,
 * and how both reach other copies under sync (docs/deck-format.md, "Updating and deleting a note"). */
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

static const char deck_text[] = "deck: P\n"
                                "source: a.md | Article A\n"
                                "\ncard: b1\ntype: basic\nfront: What is two plus two?\nback: four\n"
                                "\ncard: z1\ntype: cloze\ntext: {{c1::Paris}} is the capital of {{c2::France}}.\n"
                                "\ncard: b2\ntype: basic\nfront: Last?\nback: yes\n";

static void import(alliance_db *db, const char *text)
{
    int rc = alliance_deck_import_buffer(db, "p.deck", text, strlen(text), NULL, ALLIANCE_TEST_NOW, NULL);
    ck_assert_msg(rc == ALLIANCE_OK, "import: %s", alliance_errmsg(db));
}

static alliance_card *card(alliance_db *db, const char *id)
{
    alliance_card *c = NULL;
    int rc = alliance_card_get(db, id, &c);
    ck_assert_msg(rc == ALLIANCE_OK, "card %s: %s", id, alliance_errmsg(db));
    return c;
}

static int has_card(alliance_db *db, const char *id)
{
    alliance_card *c = NULL;
    int rc = alliance_card_get(db, id, &c);
    ck_assert(rc == ALLIANCE_OK || rc == ALLIANCE_ENOTFOUND);
    alliance_free(c);
    return rc == ALLIANCE_OK;
}

static void answer(alliance_db *db, const char *id, int64_t at)
{
    int rc = alliance_answer(db, id, 4, at, 1000, NULL);
    ck_assert_msg(rc == ALLIANCE_OK, "answer %s: %s", id, alliance_errmsg(db));
}

static uint32_t reviews_of(alliance_db *db, const char *id)
{
    alliance_card *c = card(db, id);
    uint32_t n = c->reviews;
    alliance_free(c);
    return n;
}

static uint32_t suspended(alliance_db *db, const char *id)
{
    alliance_card *c = card(db, id);
    uint32_t s = c->suspended;
    alliance_free(c);
    return s;
}

static int export_has(alliance_db *db, const char *needle)
{
    int64_t deck = 0;
    ck_assert_int_eq(alliance_deck_id(db, "P", 0, &deck), ALLIANCE_OK);
    membuf out = {0};
    ck_assert_int_eq(alliance_deck_export(db, deck, ALLIANCE_FORMAT_DECK, membuf_write, &out), ALLIANCE_OK);
    membuf_write(&out, "", 1);
    int found = strstr(out.data, needle) != NULL;
    membuf_free(&out);
    return found;
}

static alliance_note note_of(uint32_t type, const char *id, const char *front, const char *back)
{
    alliance_note n;
    ck_assert_int_eq(alliance_note_init(&n, ALLIANCE_NOTE_VERSION), ALLIANCE_OK);
    n.type = type;
    n.id = id;
    n.front = front;
    n.back = back;
    return n;
}

static void assert_same(alliance_db *a, alliance_db *b)
{
    char *x = sync_dump(a), *y = sync_dump(b);
    ck_assert_msg(strcmp(x, y) == 0, "copies differ:%s", sync_dump_diff(x, y));
    free(x);
    free(y);
    ck_assert_uint_eq(sync_verify(a), 0);
    ck_assert_uint_eq(sync_verify(b), 0);
}

START_TEST(an_edited_text_keeps_the_card_history)
{
    alliance_db *db = open_new();
    import(db, deck_text);
    answer(db, "b1", ALLIANCE_TEST_NOW);
    alliance_card *before = card(db, "b1");
    alliance_note n = note_of(ALLIANCE_CARD_BASIC, "b1", "What is 2 + 2?", "4");
    ck_assert_msg(alliance_note_update(db, &n, ALLIANCE_TEST_NOW + 60) == ALLIANCE_OK, "%s", alliance_errmsg(db));
    alliance_card *after = card(db, "b1");
    ck_assert_str_eq(after->front, "What is 2 + 2?");
    ck_assert_str_eq(after->back, "4");
    ck_assert_uint_eq(after->reviews, 1);
    ck_assert_int_eq(after->due_day, before->due_day);
    ck_assert_int_eq(after->state.interval_days, before->state.interval_days);
    ck_assert_int_eq(after->deck_id, before->deck_id);
    ck_assert_int_eq(after->modified, ALLIANCE_TEST_NOW + 60);
    ck_assert_uint_eq(sync_verify(db), 0);
    /* the note keeps its place: the export still writes b1 before z1 */
    ck_assert(export_has(db, "card: b1\ntype: basic\nfront: What is 2 + 2?\nback: 4\n\ncard: z1"));
    alliance_free(before);
    alliance_free(after);
    alliance_close(db);
}
END_TEST

START_TEST(a_changed_cloze_set_follows_the_reimport_rule)
{
    alliance_db *db = open_new();
    import(db, deck_text);
    answer(db, "z1::c1", ALLIANCE_TEST_NOW);
    answer(db, "z1::c2", ALLIANCE_TEST_NOW);
    alliance_note n = note_of(ALLIANCE_CARD_CLOZE, "z1", "{{c1::Paris}} lies on the {{c3::Seine}}.", NULL);
    ck_assert_msg(alliance_note_update(db, &n, ALLIANCE_TEST_NOW + 60) == ALLIANCE_OK, "%s", alliance_errmsg(db));
    ck_assert_uint_eq(reviews_of(db, "z1::c1"), 1); /* kept, text updated */
    ck_assert_uint_eq(suspended(db, "z1::c1"), 0);
    ck_assert_uint_eq(reviews_of(db, "z1::c3"), 0); /* new */
    ck_assert_uint_eq(reviews_of(db, "z1::c2"), 1); /* gone from the note: suspended, history kept */
    ck_assert_uint_eq(suspended(db, "z1::c2"), 1);
    ck_assert(!export_has(db, "c2::"));
    ck_assert(export_has(db, "{{c3::Seine}}"));
    /* the deletion comes back: so does its card, with its history */
    n.front = "{{c1::Paris}} is the capital of {{c2::France}}.";
    ck_assert_int_eq(alliance_note_update(db, &n, ALLIANCE_TEST_NOW + 120), ALLIANCE_OK);
    ck_assert_uint_eq(suspended(db, "z1::c2"), 0);
    ck_assert_uint_eq(reviews_of(db, "z1::c2"), 1);
    ck_assert_uint_eq(suspended(db, "z1::c3"), 1);
    ck_assert_uint_eq(sync_verify(db), 0);
    alliance_close(db);
}
END_TEST

START_TEST(a_learner_suspension_is_not_lifted_by_an_update)
{
    alliance_db *db = open_new();
    import(db, deck_text);
    ck_assert_int_eq(alliance_card_suspend(db, "z1::c2", 1, ALLIANCE_TEST_NOW), ALLIANCE_OK);
    alliance_note n = note_of(ALLIANCE_CARD_CLOZE, "z1", "{{c1::Paris}} is the capital of {{c2::France}}!", NULL);
    ck_assert_int_eq(alliance_note_update(db, &n, ALLIANCE_TEST_NOW + 60), ALLIANCE_OK);
    ck_assert_uint_eq(suspended(db, "z1::c2"), 1);
    ck_assert_uint_eq(suspended(db, "z1::c1"), 0);
    alliance_close(db);
}
END_TEST

START_TEST(basic_to_choice_keeps_the_card_and_cloze_makes_new_ones)
{
    alliance_db *db = open_new();
    import(db, deck_text);
    answer(db, "b1", ALLIANCE_TEST_NOW);
    alliance_note n = note_of(ALLIANCE_CARD_CHOICE, "b1", "What is two plus two?", "four");
    n.wrong = "three\nfive";
    ck_assert_msg(alliance_note_update(db, &n, ALLIANCE_TEST_NOW + 60) == ALLIANCE_OK, "%s", alliance_errmsg(db));
    alliance_card *c = card(db, "b1");
    ck_assert_uint_eq(c->type, ALLIANCE_CARD_CHOICE);
    ck_assert_uint_eq(c->reviews, 1);
    ck_assert_str_eq(c->wrong, "three\nfive");
    alliance_free(c);
    n = note_of(ALLIANCE_CARD_CLOZE, "b1", "Two plus two is {{c1::four}}.", NULL);
    ck_assert_int_eq(alliance_note_update(db, &n, ALLIANCE_TEST_NOW + 120), ALLIANCE_OK);
    ck_assert_uint_eq(suspended(db, "b1"), 1);
    ck_assert_uint_eq(reviews_of(db, "b1"), 1);
    ck_assert_uint_eq(reviews_of(db, "b1::c1"), 0);
    ck_assert_uint_eq(sync_verify(db), 0);
    alliance_close(db);
}
END_TEST

START_TEST(refusals_name_the_note_and_change_nothing)
{
    alliance_db *db = open_new();
    import(db, deck_text);
    answer(db, "b1", ALLIANCE_TEST_NOW);
    char *before = sync_dump(db);

    alliance_note n = note_of(ALLIANCE_CARD_BASIC, "nope", "q", "a");
    ck_assert_int_eq(alliance_note_update(db, &n, ALLIANCE_TEST_NOW), ALLIANCE_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "'nope'"));
    ck_assert_int_eq(alliance_note_delete(db, "nope", 0), ALLIANCE_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "alliance_note_delete"));
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "'nope'"));
    /* malformed as alliance_note_add refuses it */
    n = note_of(ALLIANCE_CARD_CLOZE, "z1", "no deletion here", NULL);
    ck_assert_int_eq(alliance_note_update(db, &n, ALLIANCE_TEST_NOW), ALLIANCE_EINVAL);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "alliance_note_update"));
    n = note_of(ALLIANCE_CARD_BASIC, "b1", "q", "a");
    n.source_file = "unknown.md";
    ck_assert_int_eq(alliance_note_update(db, &n, ALLIANCE_TEST_NOW), ALLIANCE_EINVAL);
    n.source_file = NULL;
    n.version = 99;
    ck_assert_int_eq(alliance_note_update(db, &n, ALLIANCE_TEST_NOW), ALLIANCE_EVERSION);
    ck_assert_int_eq(alliance_note_update(db, NULL, ALLIANCE_TEST_NOW), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_note_delete(db, NULL, 0), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_note_delete(db, "", 0), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_note_delete(db, "b1", 0x80), ALLIANCE_EINVAL);

    char *after = sync_dump(db);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    alliance_close(db);
}
END_TEST

START_TEST(delete_removes_the_cards_and_their_history)
{
    alliance_db *db = open_new();
    import(db, deck_text);
    answer(db, "z1::c1", ALLIANCE_TEST_NOW);
    answer(db, "b1", ALLIANCE_TEST_NOW);
    ck_assert_int_eq(alliance_note_delete(db, "z1", 0), ALLIANCE_OK);
    ck_assert(!has_card(db, "z1::c1"));
    ck_assert(!has_card(db, "z1::c2"));
    ck_assert_uint_eq(reviews_of(db, "b1"), 1);
    ck_assert(!export_has(db, "z1"));
    ck_assert_uint_eq(sync_verify(db), 0);
    ck_assert_int_eq(alliance_note_delete(db, "z1", 0), ALLIANCE_ENOTFOUND);
    /* the id is free again: the same note comes back as new cards */
    alliance_note n = note_of(ALLIANCE_CARD_CLOZE, "z1", "{{c1::Paris}} again", NULL);
    int64_t deck = 0;
    ck_assert_int_eq(alliance_deck_id(db, "P", 0, &deck), ALLIANCE_OK);
    ck_assert_msg(alliance_note_add(db, deck, &n, ALLIANCE_TEST_NOW + 60) == ALLIANCE_OK, "%s", alliance_errmsg(db));
    ck_assert_uint_eq(reviews_of(db, "z1::c1"), 0);
    ck_assert_uint_eq(sync_verify(db), 0);
    alliance_close(db);
}
END_TEST

START_TEST(delete_keeping_history_is_a_reimport_without_the_note)
{
    alliance_db *db = open_new();
    import(db, deck_text);
    answer(db, "b1", ALLIANCE_TEST_NOW);
    ck_assert_int_eq(alliance_note_delete(db, "b1", ALLIANCE_NOTE_DELETE_KEEP_HISTORY), ALLIANCE_OK);
    ck_assert_uint_eq(suspended(db, "b1"), 1);
    ck_assert_uint_eq(reviews_of(db, "b1"), 1);
    ck_assert(!export_has(db, "card: b1"));
    /* an update brings it back into the deck file, history kept */
    alliance_note n = note_of(ALLIANCE_CARD_BASIC, "b1", "What is two plus two?", "four");
    ck_assert_int_eq(alliance_note_update(db, &n, ALLIANCE_TEST_NOW + 60), ALLIANCE_OK);
    ck_assert_uint_eq(suspended(db, "b1"), 0);
    ck_assert_uint_eq(reviews_of(db, "b1"), 1);
    ck_assert(export_has(db, "card: b1"));
    ck_assert_uint_eq(sync_verify(db), 0);
    alliance_close(db);
}
END_TEST

START_TEST(update_and_delete_reach_other_copies)
{
    alliance_db *a = open_new();
    import(a, deck_text);
    answer(a, "b1", ALLIANCE_TEST_NOW);
    alliance_db *b = sync_clone_of(a, ":memory:");
    alliance_note n = note_of(ALLIANCE_CARD_CLOZE, "z1", "{{c1::Paris}} lies on the {{c3::Seine}}.", NULL);
    ck_assert_int_eq(alliance_note_update(a, &n, ALLIANCE_TEST_NOW + 60), ALLIANCE_OK);
    ck_assert_int_eq(alliance_note_delete(a, "b2", 0), ALLIANCE_OK);
    /* meanwhile b answers the card a deletes, and a card a changes */
    answer(b, "b2", ALLIANCE_TEST_NOW + 30);
    answer(b, "z1::c2", ALLIANCE_TEST_NOW + 30);
    sync_both(a, b);
    sync_both(b, a);
    ck_assert(!has_card(b, "b2"));
    ck_assert(!has_card(a, "b2"));
    ck_assert_uint_eq(reviews_of(b, "b1"), 1);
    ck_assert_uint_eq(suspended(b, "z1::c2"), 1);
    ck_assert_uint_eq(reviews_of(a, "z1::c2"), 1);
    ck_assert(has_card(b, "z1::c3"));
    assert_same(a, b);
    /* one more sync changes nothing */
    alliance_sync_report *rep = NULL;
    ck_assert_int_eq(sync_one_way(b, a, &rep), ALLIANCE_OK);
    ck_assert_uint_eq(rep->reviews + rep->tombstones + rep->cards + rep->decks + rep->settings, 0);
    alliance_free(rep);
    alliance_close(a);
    alliance_close(b);
}
END_TEST

START_TEST(a_note_id_shared_by_two_decks_names_the_first_card_note)
{
    /* Imports can leave a cloze "x" (card x::c1) in one deck beside a basic "x" in another. */
    alliance_db *db = open_new();
    import(db, "deck: A\n\ncard: x\ntype: cloze\ntext: {{c1::one}} two\n");
    import(db, "deck: B\n\ncard: x\ntype: basic\nfront: q\nback: a\n");
    answer(db, "x::c1", ALLIANCE_TEST_NOW);
    alliance_note n = note_of(ALLIANCE_CARD_BASIC, "x", "q2", "a2");
    ck_assert_msg(alliance_note_update(db, &n, ALLIANCE_TEST_NOW + 60) == ALLIANCE_OK, "%s", alliance_errmsg(db));
    alliance_card *c = card(db, "x");
    ck_assert_str_eq(c->front, "q2");
    alliance_free(c);
    ck_assert_uint_eq(suspended(db, "x::c1"), 0); /* the other deck's note is left alone */
    ck_assert_int_eq(alliance_note_delete(db, "x", 0), ALLIANCE_OK);
    ck_assert(!has_card(db, "x"));
    ck_assert_uint_eq(reviews_of(db, "x::c1"), 1);
    ck_assert_uint_eq(sync_verify(db), 0);
    alliance_close(db);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("note_manage");
    TCase *t = tcase_create("notes");
    tcase_add_test(t, an_edited_text_keeps_the_card_history);
    tcase_add_test(t, a_changed_cloze_set_follows_the_reimport_rule);
    tcase_add_test(t, a_learner_suspension_is_not_lifted_by_an_update);
    tcase_add_test(t, basic_to_choice_keeps_the_card_and_cloze_makes_new_ones);
    tcase_add_test(t, refusals_name_the_note_and_change_nothing);
    tcase_add_test(t, delete_removes_the_cards_and_their_history);
    tcase_add_test(t, delete_keeping_history_is_a_reimport_without_the_note);
    tcase_add_test(t, update_and_delete_reach_other_copies);
    tcase_add_test(t, a_note_id_shared_by_two_decks_names_the_first_card_note);
    suite_add_tcase(s, t);
    return alliance_test_run(s);
}
