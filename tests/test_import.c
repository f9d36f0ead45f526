/* SPDX-License-Identifier: MIT */
/* import: a deck file into a collection in one transaction that keeps each card's history;
 * export back to text; notes added by a program. Only the public API is used. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static alliance_db *db;
static alliance_import_report *report;

static void setup(void)
{
    alliance_open_options options;
    alliance_open_options_init(&options, ALLIANCE_OPEN_OPTIONS_VERSION);
    options.utc_offset_seconds = 0;
    ck_assert_int_eq(alliance_open(&db, ":memory:", &options), 0);
}

static void teardown(void)
{
    alliance_free(report);
    report = NULL;
    alliance_close(db);
    db = NULL;
}

static int import_as(const char *text, uint32_t format, const char *deck_name, int dry_run, int64_t now)
{
    alliance_import_options options;
    alliance_import_options_init(&options, ALLIANCE_IMPORT_OPTIONS_VERSION);
    options.format = format;
    options.deck_name = deck_name;
    options.dry_run = (uint32_t)dry_run;
    alliance_free(report);
    report = NULL;
    return alliance_deck_import_buffer(db, "t.deck", text, strlen(text), &options, now, &report);
}

static void import_ok(const char *text)
{
    int rc = import_as(text, ALLIANCE_FORMAT_DECK, NULL, 0, ALLIANCE_TEST_NOW);
    ck_assert_msg(rc == 0, "import failed (%d): %s", rc, alliance_errmsg(db));
}

static alliance_card *card(const char *id)
{
    alliance_card *c = NULL;
    int rc = alliance_card_get(db, id, &c);
    ck_assert_msg(rc == 0, "card %s: %d %s", id, rc, alliance_errmsg(db));
    return c;
}

static int card_exists(const char *id)
{
    alliance_card *c = NULL;
    int rc = alliance_card_get(db, id, &c);
    alliance_free(c);
    ck_assert(rc == 0 || rc == ALLIANCE_ENOTFOUND);
    return rc == 0;
}

static uint32_t count_cards(void)
{
    alliance_card_iter *it = NULL;
    ck_assert_int_eq(alliance_card_search(&it, db, 0, NULL), 0);
    uint32_t n = 0;
    alliance_card *c;
    while (alliance_card_iter_next(it, &c) == 0) {
        n++;
        alliance_free(c);
    }
    alliance_card_iter_free(it);
    return n;
}

static int collect(void *opaque, const char *data, size_t len)
{
    FILE *f = opaque;
    return fwrite(data, 1, len, f) == len ? 0 : -1;
}

/* The deck exported as text (free()). */
static char *export_as(int64_t deck_id, uint32_t format)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    int rc = alliance_deck_export(db, deck_id, format, collect, f);
    fclose(f);
    ck_assert_msg(rc == 0, "export failed (%d): %s", rc, alliance_errmsg(db));
    return text;
}

/* Version 1 of a deck, in canonical form. */
static const char v1[] =
    "deck: Alliance\n"
    "description: Exam preparation.\n"
    "source: a.txt | Article A\n"
    "\n"
    "card: basic-1\n"
    "type: basic\n"
    "front: What is the key?\n"
    "back: Strengths.\n"
    "tags: strengths\n"
    "source: a.txt\n"
    "quote: The answer lies in strengths.\n"
    "\n"
    "card: cloze-1\n"
    "type: cloze\n"
    "text: Not about {{c1::rules}} but {{c2::warmth}}.\n"
    "extra: Trust.\n"
    "\n"
    "card: choice-1\n"
    "type: choice\n"
    "question: Allow for what?\n"
    "answer: Openness\n"
    "wrong: Medication\n"
    "wrong: Strict frameworks\n";

/* Version 2: basic-1 reworded, choice-1 removed, a new card. */
static const char v2[] =
    "deck: Alliance\n"
    "description: Exam preparation.\n"
    "source: a.txt | Article A\n"
    "\n"
    "card: basic-1\n"
    "type: basic\n"
    "front: What, according to the article, is the key?\n"
    "back: Strengths.\n"
    "tags: strengths\n"
    "source: a.txt\n"
    "quote: The answer lies in strengths.\n"
    "\n"
    "card: cloze-1\n"
    "type: cloze\n"
    "text: Not about {{c1::rules}} but {{c2::warmth}}.\n"
    "extra: Trust.\n"
    "\n"
    "card: new-1\n"
    "type: basic\n"
    "front: New?\n"
    "back: Yes.\n";

/* ---- the first import ---- */

START_TEST(an_import_adds_every_card_and_reports_it)
{
    import_ok(v1);
    ck_assert_ptr_nonnull(report);
    ck_assert_uint_eq(report->added, 4); /* basic, cloze c1 and c2, choice */
    ck_assert_uint_eq(report->updated, 0);
    ck_assert_uint_eq(report->unchanged, 0);
    ck_assert_uint_eq(report->suspended, 0);
    ck_assert_uint_eq(report->error_count, 0);
    ck_assert_str_eq(report->errors, "");
    ck_assert_str_eq(report->deck_name, "Alliance");
    ck_assert_int_gt(report->deck_id, 0);

    alliance_card *c = card("cloze-1::c2");
    ck_assert_uint_eq(c->type, ALLIANCE_CARD_CLOZE);
    ck_assert_str_eq(c->note_id, "cloze-1");
    ck_assert_uint_eq(c->ordinal, 2);
    ck_assert_str_eq(c->front, "Not about {{c1::rules}} but {{c2::warmth}}.");
    ck_assert_str_eq(c->back, "Trust.");
    ck_assert_int_eq(c->deck_id, report->deck_id);
    alliance_free(c);
    c = card("choice-1");
    ck_assert_uint_eq(c->type, ALLIANCE_CARD_CHOICE);
    ck_assert_str_eq(c->wrong, "Medication\nStrict frameworks");
    alliance_free(c);
    c = card("basic-1");
    ck_assert_str_eq(c->source_file, "a.txt");
    ck_assert_str_eq(c->source_quote, "The answer lies in strengths.");
    ck_assert_str_eq(c->tags, "strengths");
    alliance_free(c);
}
END_TEST

START_TEST(a_dry_run_counts_and_writes_nothing)
{
    ck_assert_int_eq(import_as(v1, ALLIANCE_FORMAT_DECK, NULL, 1, ALLIANCE_TEST_NOW), 0);
    ck_assert_uint_eq(report->added, 4);
    ck_assert_int_eq(report->deck_id, 0);
    ck_assert_uint_eq(count_cards(), 0);
    int64_t deck_id = 0;
    ck_assert_int_eq(alliance_deck_id(db, "Alliance", 0, &deck_id), ALLIANCE_ENOTFOUND);
}
END_TEST

START_TEST(a_parse_error_imports_nothing_and_says_where)
{
    import_ok(v1);
    /* v2 with a mistake in its last card. */
    char bad[sizeof v2 + 64];
    snprintf(bad, sizeof bad, "%sfrnot: x\n", v2);
    ck_assert_int_eq(import_as(bad, ALLIANCE_FORMAT_DECK, NULL, 0, ALLIANCE_TEST_NOW + 60), ALLIANCE_EPARSE);
    ck_assert_ptr_nonnull(report);
    ck_assert_uint_eq(report->error_count, 1);
    ck_assert_str_eq(report->errors, "t.deck:22:1: unknown key 'frnot' in card 'new-1'\n");
    ck_assert_uint_eq(report->added + report->updated + report->unchanged + report->suspended, 0);
    ck_assert_str_eq(alliance_errmsg(db), "t.deck:22:1: unknown key 'frnot' in card 'new-1'");
    ck_assert_int_eq(alliance_errcode(db), ALLIANCE_EPARSE);
    /* Nothing of v2 is there: old wording, no new card, nothing suspended. */
    alliance_card *c = card("basic-1");
    ck_assert_str_eq(c->front, "What is the key?");
    alliance_free(c);
    ck_assert(!card_exists("new-1"));
    c = card("choice-1");
    ck_assert_uint_eq(c->suspended, 0);
    alliance_free(c);
    ck_assert_uint_eq(count_cards(), 4);
}
END_TEST

START_TEST(a_store_error_at_the_last_card_rolls_back_the_whole_import)
{
    /* "taken" belongs to another deck: the last card of the import cannot be stored. */
    ck_assert_int_eq(import_as("deck: Other\n\ncard: taken\ntype: basic\nfront: f\nback: b\n", ALLIANCE_FORMAT_DECK,
                               NULL, 0, ALLIANCE_TEST_NOW), 0);
    import_ok(v1);
    char bad[sizeof v2 + 128];
    snprintf(bad, sizeof bad, "%s\ncard: taken\ntype: basic\nfront: f\nback: b\n", v2);
    ck_assert_int_eq(import_as(bad, ALLIANCE_FORMAT_DECK, NULL, 0, ALLIANCE_TEST_NOW + 60), ALLIANCE_EEXISTS);
    ck_assert_ptr_null(report); /* a report comes with success and parse errors only */
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "taken"));
    alliance_card *c = card("basic-1");
    ck_assert_str_eq(c->front, "What is the key?");
    alliance_free(c);
    ck_assert(!card_exists("new-1"));
    c = card("choice-1");
    ck_assert_uint_eq(c->suspended, 0);
    alliance_free(c);
    ck_assert_uint_eq(count_cards(), 5);
}
END_TEST

/* A deck the import creates is filled without looking each id up first: an id that is
 * another deck's is still refused, naming both decks, and nothing (not even the deck) stays. */
START_TEST(a_new_deck_holding_another_decks_card_is_refused_naming_both)
{
    ck_assert_int_eq(import_as("deck: Other\n\ncard: taken\ntype: basic\nfront: f\nback: b\n", ALLIANCE_FORMAT_DECK,
                               NULL, 0, ALLIANCE_TEST_NOW), 0);
    ck_assert_int_eq(import_as("deck: Brand new\n\ncard: fresh\ntype: basic\nfront: f\nback: b\n\n"
                               "card: taken\ntype: basic\nfront: f\nback: b\n",
                               ALLIANCE_FORMAT_DECK, NULL, 0, ALLIANCE_TEST_NOW + 60),
                     ALLIANCE_EEXISTS);
    ck_assert_msg(strstr(alliance_errmsg(db), "\"taken\" already belongs to deck \"Other\"") &&
                      strstr(alliance_errmsg(db), "\"Brand new\""),
                  "%s", alliance_errmsg(db));
    ck_assert(!card_exists("fresh"));
    int64_t deck = 0;
    ck_assert_int_eq(alliance_deck_id(db, "Brand new", 0, &deck), ALLIANCE_ENOTFOUND);
    ck_assert_uint_eq(count_cards(), 1);
}
END_TEST

START_TEST(a_failed_import_leaves_the_collection_file_byte_identical)
{
    const char *path = alliance_test_path("bytes.alliance");
    alliance_close(db);
    alliance_open_options options;
    alliance_open_options_init(&options, ALLIANCE_OPEN_OPTIONS_VERSION);
    options.utc_offset_seconds = 0;
    ck_assert_int_eq(alliance_open(&db, path, &options), 0);
    import_ok(v1);
    ck_assert_int_eq(alliance_close(db), 0);
    size_t len_before, len_after;
    char *before = alliance_test_read_file(path, &len_before);

    options.flags = 0;
    ck_assert_int_eq(alliance_open(&db, path, &options), 0);
    char bad[sizeof v2 + 64];
    snprintf(bad, sizeof bad, "%stype: cloze\n", v2); /* a repeated key in the last card */
    ck_assert_int_eq(import_as(bad, ALLIANCE_FORMAT_DECK, NULL, 0, ALLIANCE_TEST_NOW + 60), ALLIANCE_EPARSE);
    ck_assert_int_eq(alliance_close(db), 0);
    db = NULL;
    char *after = alliance_test_read_file(path, &len_after);
    ck_assert_uint_eq(len_after, len_before);
    ck_assert(memcmp(before, after, len_before) == 0);
    free(before);
    free(after);
}
END_TEST

/* ---- re-import ---- */

START_TEST(reimporting_an_edited_deck_keeps_schedule_and_log)
{
    import_ok(v1);
    alliance_sm2_state after;
    ck_assert_int_eq(alliance_answer(db, "basic-1", 4, ALLIANCE_TEST_NOW + 10, 0, &after), 0);
    alliance_card *before = card("basic-1");

    ck_assert_int_eq(import_as(v2, ALLIANCE_FORMAT_DECK, NULL, 0, ALLIANCE_TEST_NOW + ALLIANCE_TEST_DAY), 0);
    ck_assert_uint_eq(report->added, 1);     /* new-1 */
    ck_assert_uint_eq(report->updated, 1);   /* basic-1 reworded */
    ck_assert_uint_eq(report->unchanged, 2); /* cloze-1::c1, ::c2 */
    ck_assert_uint_eq(report->suspended, 1); /* choice-1 left the file */

    alliance_card *c = card("basic-1");
    ck_assert_str_eq(c->front, "What, according to the article, is the key?");
    ck_assert_uint_eq(c->state.repetitions, before->state.repetitions);
    ck_assert_uint_eq(c->state.efactor_milli, before->state.efactor_milli);
    ck_assert_uint_eq(c->state.interval_days, before->state.interval_days);
    ck_assert_int_eq(c->due_day, before->due_day);
    ck_assert_uint_eq(c->reviews, 1);
    ck_assert_uint_eq(c->state.repetitions, after.repetitions);
    alliance_free(c);
    alliance_free(before);

    alliance_review_iter *it = NULL;
    ck_assert_int_eq(alliance_review_iter_open(&it, db, "basic-1"), 0);
    alliance_review r;
    r.version = ALLIANCE_REVIEW_VERSION;
    ck_assert_int_eq(alliance_review_iter_next(it, &r), 0);
    ck_assert_int_eq(r.grade, 4);
    ck_assert_int_eq(alliance_review_iter_next(it, &r), ALLIANCE_DONE);
    alliance_review_iter_free(it);
}
END_TEST

START_TEST(removed_cards_are_suspended_and_come_back_when_they_reappear)
{
    import_ok(v1);
    ck_assert_int_eq(alliance_card_suspend(db, "cloze-1::c1", 1, ALLIANCE_TEST_NOW), 0); /* the learner's own */
    import_ok(v2);
    ck_assert_uint_eq(report->suspended, 1);
    alliance_card *c = card("choice-1");
    ck_assert_uint_eq(c->suspended, 1);
    alliance_free(c);
    ck_assert_uint_eq(count_cards(), 5); /* suspended, never deleted */

    import_ok(v1);
    ck_assert_uint_eq(report->suspended, 1); /* new-1 is gone now */
    ck_assert_uint_eq(report->added, 0);
    ck_assert_uint_eq(report->updated, 1);   /* basic-1's wording back */
    c = card("choice-1");
    ck_assert_uint_eq(c->suspended, 0);
    alliance_free(c);
    c = card("cloze-1::c1");
    ck_assert_uint_eq(c->suspended, 1); /* a learner's suspension is not the importer's to lift */
    alliance_free(c);
    c = card("new-1");
    ck_assert_uint_eq(c->suspended, 1);
    alliance_free(c);
}
END_TEST

START_TEST(importing_the_same_deck_again_changes_nothing)
{
    import_ok(v1);
    import_ok(v1);
    ck_assert_uint_eq(report->added, 0);
    ck_assert_uint_eq(report->updated, 0);
    ck_assert_uint_eq(report->unchanged, 4);
    ck_assert_uint_eq(report->suspended, 0);
}
END_TEST

/* ---- export ---- */

START_TEST(export_gives_the_canonical_form_and_reimporting_it_changes_nothing)
{
    static const char messy[] =
        "\xEF\xBB\xBF# a comment\r\n"
        "deck:Alliance\r\n"
        "description:   Exam preparation.   \r\n"
        "source: a.txt|Article A\r\n"
        "\r\n\r\n"
        "card: basic-1\r\n"
        "type: basic\r\n"
        "tags: strengths\r\n"
        "back: Strengths.\r\n"
        "front: What is the key?\r\n"
        "quote: The answer lies in strengths.\r\n"
        "source: a.txt\r\n"
        "\r\n"
        "card: cloze-1\r\ntype: cloze\r\nextra: Trust.\r\ntext: Not about {{c1::rules}} but {{c2::warmth}}.\r\n"
        "\r\n"
        "card: choice-1\r\ntype: choice\r\nwrong: Medication\r\nquestion: Allow for what?\r\n"
        "# between wrong options\r\nanswer: Openness\r\nwrong: Strict frameworks\r\n";
    import_ok(messy);
    int64_t deck_id = report->deck_id;
    char *text = export_as(deck_id, ALLIANCE_FORMAT_DECK);
    ck_assert_str_eq(text, v1);
    import_ok(text);
    ck_assert_uint_eq(report->unchanged, 4);
    ck_assert_uint_eq(report->added + report->updated + report->suspended, 0);
    char *again = export_as(deck_id, ALLIANCE_FORMAT_DECK);
    ck_assert_str_eq(again, text);
    free(text);
    free(again);
}
END_TEST

START_TEST(export_leaves_out_cards_the_deck_file_dropped)
{
    import_ok(v1);
    import_ok(v2); /* choice-1 dropped: suspended by the import */
    int64_t deck_id = report->deck_id;
    char *text = export_as(deck_id, ALLIANCE_FORMAT_DECK);
    ck_assert_ptr_null(strstr(text, "choice-1"));
    ck_assert_ptr_nonnull(strstr(text, "new-1"));
    import_ok(text);
    ck_assert_uint_eq(report->unchanged, 4);
    ck_assert_uint_eq(report->added + report->updated + report->suspended, 0);
    alliance_card *c = card("choice-1");
    ck_assert_uint_eq(c->suspended, 1); /* still suspended, still there */
    alliance_free(c);
    free(text);
}
END_TEST

START_TEST(an_anki_export_imports_back_unchanged)
{
    import_ok(v1);
    int64_t deck_id = report->deck_id;
    char *anki = export_as(deck_id, ALLIANCE_FORMAT_ANKI_TEXT);
    ck_assert_ptr_nonnull(strstr(anki, "#guid column:1\n"));
    /* Into the same collection: every card is found by its id and nothing changes. */
    ck_assert_int_eq(import_as(anki, ALLIANCE_FORMAT_ANKI_TEXT, NULL, 0, ALLIANCE_TEST_NOW + 60), 0);
    ck_assert_uint_eq(report->unchanged, 4);
    ck_assert_uint_eq(report->added + report->updated + report->suspended, 0);
    ck_assert_int_eq(report->deck_id, deck_id);
    /* Into a fresh collection: the same deck comes out in our format. */
    alliance_close(db);
    setup();
    ck_assert_int_eq(import_as(anki, ALLIANCE_FORMAT_ANKI_TEXT, NULL, 0, ALLIANCE_TEST_NOW), 0);
    ck_assert_uint_eq(report->added, 4);
    char *ours = export_as(report->deck_id, ALLIANCE_FORMAT_DECK);
    ck_assert_str_eq(ours, v1);
    free(anki);
    free(ours);
}
END_TEST

START_TEST(an_anki_file_without_a_deck_needs_a_deck_name)
{
    static const char anki[] = "#separator:tab\nf\tb\n";
    ck_assert_int_eq(import_as(anki, ALLIANCE_FORMAT_ANKI_TEXT, NULL, 0, ALLIANCE_TEST_NOW), ALLIANCE_EPARSE);
    ck_assert_str_eq(report->errors, "t.deck:1:1: the file names no deck (no #deck: line or deck column): "
                                     "set deck_name in the import options\n");
    ck_assert_int_eq(import_as(anki, ALLIANCE_FORMAT_ANKI_TEXT, "Imported", 0, ALLIANCE_TEST_NOW), 0);
    ck_assert_str_eq(report->deck_name, "Imported");
    ck_assert_uint_eq(report->added, 1);
}
END_TEST

START_TEST(export_to_a_file_replaces_it_whole)
{
    import_ok(v1);
    const char *path = alliance_test_path("out.deck");
    FILE *f = fopen(path, "w");
    fputs("old content\n", f);
    fclose(f);
    ck_assert_int_eq(alliance_deck_export_file(db, report->deck_id, ALLIANCE_FORMAT_DECK, path), 0);
    char *text = alliance_test_read_file(path, NULL);
    ck_assert_str_eq(text, v1);
    free(text);
    /* Nothing is left beside it. */
    char cmd[4300];
    snprintf(cmd, sizeof cmd, "ls '%s' | grep -c tmp- >/dev/null", alliance_test_tmpdir());
    ck_assert_int_ne(system(cmd), 0);
    /* A file that cannot be written says where. */
    ck_assert_int_eq(alliance_deck_export_file(db, report->deck_id, ALLIANCE_FORMAT_DECK,
                                               alliance_test_path("no/such/dir/out.deck")),
                     ALLIANCE_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "no/such/dir/out.deck"));
}
END_TEST

static int stop_at_once(void *opaque, const char *data, size_t len)
{
    (void)opaque;
    (void)data;
    (void)len;
    return 1;
}

START_TEST(export_stops_when_the_callback_says_so)
{
    import_ok(v1);
    ck_assert_int_eq(alliance_deck_export(db, report->deck_id, ALLIANCE_FORMAT_DECK, stop_at_once, NULL), ALLIANCE_EIO);
    ck_assert_int_eq(alliance_deck_export(db, 999, ALLIANCE_FORMAT_DECK, stop_at_once, NULL), ALLIANCE_ENOTFOUND);
    ck_assert_int_eq(alliance_deck_export(db, report->deck_id, 7, stop_at_once, NULL), ALLIANCE_EINVAL);
}
END_TEST

/* ---- files, options ---- */

START_TEST(import_reads_a_file_by_path)
{
    const char *path = alliance_test_path("v1.deck");
    FILE *f = fopen(path, "w");
    fputs(v1, f);
    fclose(f);
    ck_assert_int_eq(alliance_deck_import(db, path, NULL, ALLIANCE_TEST_NOW, &report), 0);
    ck_assert_uint_eq(report->added, 4);
    alliance_free(report);
    report = NULL;
    ck_assert_int_eq(alliance_deck_import(db, alliance_test_path("missing.deck"), NULL, ALLIANCE_TEST_NOW, &report),
                     ALLIANCE_ENOTFOUND);
    ck_assert_ptr_null(report);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "missing.deck"));
}
END_TEST

START_TEST(import_refuses_unknown_options)
{
    alliance_import_options options;
    ck_assert_int_eq(alliance_import_options_init(&options, ALLIANCE_IMPORT_OPTIONS_VERSION), 0);
    ck_assert_uint_eq(options.version, ALLIANCE_IMPORT_OPTIONS_VERSION);
    ck_assert_uint_eq(options.format, ALLIANCE_FORMAT_DECK);
    options.version = 99;
    ck_assert_int_eq(alliance_deck_import_buffer(db, "x", v1, strlen(v1), &options, 0, &report), ALLIANCE_EVERSION);
    options.version = ALLIANCE_IMPORT_OPTIONS_VERSION;
    options.format = 9;
    ck_assert_int_eq(alliance_deck_import_buffer(db, "x", v1, strlen(v1), &options, 0, &report), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_deck_import_buffer(NULL, "x", v1, strlen(v1), NULL, 0, &report), ALLIANCE_EINVAL);
    ck_assert_ptr_null(report);
    ck_assert_uint_eq(count_cards(), 0);
}
END_TEST

START_TEST(the_bundled_deck_imports)
{
    ck_assert_int_eq(alliance_deck_import(db, ALLIANCE_SOURCE_DIR "/decks/therapeutic-alliance.deck", NULL,
                                          ALLIANCE_TEST_NOW, &report), 0);
    ck_assert_uint_gt(report->added, 60);
    ck_assert_uint_eq(count_cards(), report->added);
}
END_TEST

/* ---- notes from a program ---- */

START_TEST(note_add_adds_a_card_per_cloze_number)
{
    import_ok(v1);
    int64_t deck_id = report->deck_id;
    alliance_note note;
    ck_assert_int_eq(alliance_note_init(&note, ALLIANCE_NOTE_VERSION), 0);
    note.type = ALLIANCE_CARD_CLOZE;
    note.id = "added";
    note.front = "  {{c1::One}} and {{c2::two::a number}} and {{c1::three}}  ";
    note.tags = "x   y";
    note.source_file = "a.txt";
    note.source_quote = "The answer lies in strengths.";
    ck_assert_int_eq(alliance_note_add(db, deck_id, &note, ALLIANCE_TEST_NOW + 5), 0);
    alliance_card *c = card("added::c2");
    ck_assert_str_eq(c->front, "{{c1::One}} and {{c2::two::a number}} and {{c1::three}}");
    ck_assert_str_eq(c->tags, "x y");
    ck_assert_uint_eq(c->ordinal, 2);
    alliance_free(c);
    ck_assert(card_exists("added::c1"));
    ck_assert_uint_eq(count_cards(), 6);
    /* It is exported after the imported notes. */
    char *text = export_as(deck_id, ALLIANCE_FORMAT_DECK);
    const char *at = strstr(text, "\ncard: added\n");
    ck_assert_ptr_nonnull(at);
    ck_assert_ptr_nonnull(strstr(text, "card: choice-1"));
    ck_assert(strstr(text, "card: choice-1") < at);
    ck_assert_int_eq(alliance_deck_check("x", text, strlen(text), ALLIANCE_FORMAT_DECK, NULL), 0);
    free(text);
}
END_TEST

/* A note id is the collection's once, whatever the note's type: a basic "n1" and a cloze "n1"
 * (cards n1::c1...) would be two notes that an export writes as one (found by fuzz_note_roundtrip). */
START_TEST(note_add_refuses_a_note_id_another_type_of_note_has)
{
    import_ok(v1);
    int64_t deck_id = report->deck_id;
    alliance_note note;
    alliance_note_init(&note, ALLIANCE_NOTE_VERSION);
    note.id = "basic-1"; /* a basic note of the deck */
    note.type = ALLIANCE_CARD_CLOZE;
    note.front = "a {{c1::cloze}} with the id of a basic note";
    ck_assert_int_eq(alliance_note_add(db, deck_id, &note, ALLIANCE_TEST_NOW), ALLIANCE_EEXISTS);
    alliance_card *c = NULL;
    ck_assert_int_eq(alliance_card_get(db, "basic-1::c1", &c), ALLIANCE_ENOTFOUND);
    note.id = "z9";
    ck_assert_int_eq(alliance_note_add(db, deck_id, &note, ALLIANCE_TEST_NOW), 0);
    note.type = ALLIANCE_CARD_BASIC; /* and the other way round */
    note.front = "a basic note with the id of a cloze note";
    note.back = "b";
    ck_assert_int_eq(alliance_note_add(db, deck_id, &note, ALLIANCE_TEST_NOW), ALLIANCE_EEXISTS);
    ck_assert_msg(strstr(alliance_errmsg(db), "z9::c1") != NULL, "%s", alliance_errmsg(db));
    ck_assert_int_eq(alliance_card_get(db, "z9", &c), ALLIANCE_ENOTFOUND);
}
END_TEST

START_TEST(note_add_refuses_what_a_deck_file_would_refuse)
{
    import_ok(v1);
    int64_t deck_id = report->deck_id;
    alliance_note note;
    alliance_note_init(&note, ALLIANCE_NOTE_VERSION);
    note.id = "n1";
    note.front = "f";
    note.back = "b";

    note.id = "basic-1";
    ck_assert_int_eq(alliance_note_add(db, deck_id, &note, ALLIANCE_TEST_NOW), ALLIANCE_EEXISTS);
    ck_assert_str_eq(alliance_errmsg(db),
                     "alliance_note_add: note 'basic-1' is already in the collection (card 'basic-1')");
    alliance_card *c = card("basic-1");
    ck_assert_str_eq(c->front, "What is the key?"); /* untouched */
    alliance_free(c);

    note.id = "has\ttab";
    ck_assert_int_eq(alliance_note_add(db, deck_id, &note, ALLIANCE_TEST_NOW), ALLIANCE_EINVAL);
    ck_assert_str_eq(alliance_errmsg(db), "alliance_note_add: invalid card id: a control character");

    note.id = "n1";
    note.type = ALLIANCE_CARD_CLOZE;
    ck_assert_int_eq(alliance_note_add(db, deck_id, &note, ALLIANCE_TEST_NOW), ALLIANCE_EINVAL);
    ck_assert_str_eq(alliance_errmsg(db), "alliance_note_add: cloze text of card 'n1' has no deletion {{c1::...}}");

    note.type = ALLIANCE_CARD_CHOICE;
    ck_assert_int_eq(alliance_note_add(db, deck_id, &note, ALLIANCE_TEST_NOW), ALLIANCE_EINVAL);
    ck_assert_str_eq(alliance_errmsg(db), "alliance_note_add: missing key 'wrong' in card 'n1'");

    note.type = ALLIANCE_CARD_BASIC;
    note.source_file = "b.txt";
    ck_assert_int_eq(alliance_note_add(db, deck_id, &note, ALLIANCE_TEST_NOW), ALLIANCE_EINVAL);
    ck_assert_str_eq(alliance_errmsg(db),
                     "alliance_note_add: source 'b.txt' of card 'n1' is not listed in the deck header");

    note.source_file = NULL;
    note.version = 2;
    ck_assert_int_eq(alliance_note_add(db, deck_id, &note, ALLIANCE_TEST_NOW), ALLIANCE_EVERSION);
    note.version = ALLIANCE_NOTE_VERSION;
    ck_assert_int_eq(alliance_note_add(db, 999, &note, ALLIANCE_TEST_NOW), ALLIANCE_ENOTFOUND);
    ck_assert_int_eq(alliance_note_add(db, deck_id, NULL, ALLIANCE_TEST_NOW), ALLIANCE_EINVAL);
    ck_assert_uint_eq(count_cards(), 4);
    ck_assert_int_eq(alliance_note_add(db, deck_id, &note, ALLIANCE_TEST_NOW), 0);
    ck_assert_uint_eq(count_cards(), 5);
}
END_TEST


/* ---- round trips: the deck file as last imported, and Anki text ---- */

static void import_anki_ok(const char *text)
{
    int rc = import_as(text, ALLIANCE_FORMAT_ANKI_TEXT, NULL, 0, ALLIANCE_TEST_NOW);
    ck_assert_msg(rc == 0, "import failed (%d): %s", rc, alliance_errmsg(db));
}

/* A cloze note whose deletion c1 the learner suspended; the author then rewords the note
 * and drops c1. Export must write the note's new text (the file as last imported), and
 * importing that export must change nothing. */
START_TEST(export_writes_the_current_text_of_a_note_whose_learner_suspended_card_was_dropped)
{
    static const char f1[] = "deck: D\n\ncard: n1\ntype: cloze\ntext: {{c1::a}} and {{c2::b}}\n";
    static const char f2[] = "deck: D\n\ncard: n1\ntype: cloze\ntext: Only {{c2::b}} now\n";
    import_ok(f1);
    int64_t deck_id = report->deck_id;
    ck_assert_int_eq(alliance_card_suspend(db, "n1::c1", 1, ALLIANCE_TEST_NOW), 0);
    import_ok(f2);
    char *out = export_as(deck_id, ALLIANCE_FORMAT_DECK);
    ck_assert_msg(strstr(out, "text: Only {{c2::b}} now") != NULL, "export wrote a stale note:\n%s", out);
    import_ok(out);
    ck_assert_uint_eq(report->updated, 0);
    free(out);
}
END_TEST

/* A basic card the learner suspended, then dropped from the file: export must not bring it
 * back ("the deck file as last imported"), and the import should count it as suspended. */
START_TEST(export_leaves_out_a_learner_suspended_card_the_file_dropped)
{
    static const char f1[] = "deck: D\n\ncard: a\ntype: basic\nfront: A?\nback: A.\n\n"
                             "card: b\ntype: basic\nfront: B?\nback: B.\n";
    static const char f2[] = "deck: D\n\ncard: a\ntype: basic\nfront: A?\nback: A.\n";
    import_ok(f1);
    int64_t deck_id = report->deck_id;
    ck_assert_int_eq(alliance_card_suspend(db, "b", 1, ALLIANCE_TEST_NOW), 0);
    import_ok(f2);
    uint32_t suspended = report->suspended;
    char *out = export_as(deck_id, ALLIANCE_FORMAT_DECK);
    ck_assert_msg(strcmp(out, f2) == 0, "export is not the file as last imported:\n%s", out);
    ck_assert_uint_eq(suspended, 1);
    free(out);
}
END_TEST

/* A note added with alliance_note_add belongs to the deck file until an import drops it;
 * then it is counted as missing and no longer exported. */
START_TEST(a_note_added_by_a_program_is_exported_until_an_import_drops_it)
{
    static const char f1[] = "deck: D\n\ncard: a\ntype: basic\nfront: A?\nback: A.\n";
    import_ok(f1);
    int64_t deck_id = report->deck_id;
    alliance_note note;
    alliance_note_init(&note, ALLIANCE_NOTE_VERSION);
    note.id = "n";
    note.front = "N?";
    note.back = "N.";
    ck_assert_int_eq(alliance_note_add(db, deck_id, &note, ALLIANCE_TEST_NOW), 0);
    char *out = export_as(deck_id, ALLIANCE_FORMAT_DECK);
    int has_n = strstr(out, "card: n\n") != NULL;
    free(out);
    ck_assert(has_n);
    import_ok(f1);
    ck_assert_uint_eq(report->suspended, 1);
    out = export_as(deck_id, ALLIANCE_FORMAT_DECK);
    int same = strcmp(out, f1) == 0;
    free(out);
    ck_assert(same);
}
END_TEST

/* A card the learner suspended that is still in the file is exported, and a re-import
 * leaves the learner's suspension as it is. */
START_TEST(a_learner_suspended_card_still_in_the_file_is_exported_and_stays_suspended)
{
    static const char f1[] = "deck: D\n\ncard: a\ntype: basic\nfront: A?\nback: A.\n";
    import_ok(f1);
    int64_t deck_id = report->deck_id;
    ck_assert_int_eq(alliance_card_suspend(db, "a", 1, ALLIANCE_TEST_NOW), 0);
    import_ok(f1);
    ck_assert_uint_eq(report->suspended, 0);
    char *out = export_as(deck_id, ALLIANCE_FORMAT_DECK);
    int same = strcmp(out, f1) == 0;
    free(out);
    ck_assert(same);
    alliance_card *card = NULL;
    ck_assert_int_eq(alliance_card_get(db, "a", &card), 0);
    uint32_t suspended = card->suspended;
    alliance_free(card);
    ck_assert_uint_eq(suspended, 1);
}
END_TEST

/* An empty #alliance description: line is dropped, as a blank line of a value is, so the
 * deck exports to a .deck file that parses (a blank continuation would end the header). */
START_TEST(an_anki_description_with_an_empty_line_exports_to_a_deck_that_parses)
{
    static const char anki[] = "#separator:tab\n#html:false\n#deck:D\n"
                               "#alliance description:first\n#alliance description:\n#alliance description:third\n"
                               "Q?\tA.\n";
    import_anki_ok(anki);
    int64_t deck_id = report->deck_id;
    char *out = export_as(deck_id, ALLIANCE_FORMAT_DECK);
    int rc = import_as(out, ALLIANCE_FORMAT_DECK, NULL, 0, ALLIANCE_TEST_NOW);
    ck_assert_msg(rc == 0, "our own export does not import (%d): %s\n%s", rc, alliance_errmsg(db), out);
    free(out);
}
END_TEST

/* A description line starting with '#' (after the first) cannot be held by our format (it
 * reads as a comment there): the Anki reader refuses it where it is, rather than let it
 * vanish on the way through a .deck file (docs/anki.md). */
START_TEST(an_anki_description_line_starting_with_hash_after_the_first_is_refused)
{
    static const char anki[] = "#separator:tab\n#html:false\n#deck:D\n"
                               "#alliance description:first\n#alliance description: #2 second\n"
                               "Q?\tA.\n";
    ck_assert_int_eq(import_as(anki, ALLIANCE_FORMAT_ANKI_TEXT, NULL, 0, ALLIANCE_TEST_NOW), ALLIANCE_EPARSE);
    ck_assert_str_eq(alliance_errmsg(db),
                     "t.deck:5:24: a line of the description after the first cannot start with '#'");
}
END_TEST

/* An Anki GUID holding "::" is stored encoded and written back to Anki text as the same
 * GUID, so Anki still matches the note (docs/anki.md). */
START_TEST(an_anki_guid_with_a_double_colon_is_written_back_unchanged)
{
    static const char anki[] = "#separator:tab\n#html:false\n#guid column:1\n#notetype column:2\n"
                               "#deck column:3\n#tags column:6\n"
                               "Fx::q%5Bz\tBasic\tD\tQ?\tA.\t\n";
    import_anki_ok(anki);
    char *out = export_as(report->deck_id, ALLIANCE_FORMAT_ANKI_TEXT);
    int found = strstr(out, "\nFx::q%5Bz\tBasic\tD\tQ?\tA.\t") != NULL;
    free(out);
    ck_assert(found);
}
END_TEST

/* "alliance::choice" marks a choice card in Anki text, so a basic card tagged with it could
 * not come back from Anki as itself: the tag is reserved, refused where it is written. */
START_TEST(the_alliance_choice_tag_is_reserved_in_a_deck_file)
{
    static const char f1[] = "deck: D\n\ncard: a\ntype: basic\nfront: A?\nback: A.\ntags: x Alliance::Choice\n";
    ck_assert_int_eq(import_as(f1, ALLIANCE_FORMAT_DECK, NULL, 0, ALLIANCE_TEST_NOW), ALLIANCE_EPARSE);
    ck_assert_str_eq(alliance_errmsg(db), "t.deck:7:9: the tag 'alliance::choice' is reserved: it marks choice "
                                          "cards in Anki text (card 'a')");
}
END_TEST

/* A choice card still goes to Anki text and back as itself (the tag is the marker). */
START_TEST(a_choice_card_survives_the_anki_round_trip)
{
    static const char f1[] = "deck: D\n\ncard: a\ntype: choice\nquestion: A?\nanswer: A.\nwrong: B.\ntags: t\n";
    import_ok(f1);
    int64_t deck_id = report->deck_id;
    char *anki = export_as(deck_id, ALLIANCE_FORMAT_ANKI_TEXT);
    int rc = import_as(anki, ALLIANCE_FORMAT_ANKI_TEXT, NULL, 0, ALLIANCE_TEST_NOW);
    free(anki);
    ck_assert_msg(rc == 0, "our own Anki export does not import (%d): %s", rc, alliance_errmsg(db));
    ck_assert_uint_eq(report->unchanged, 1);
}
END_TEST

/* Held once, the file's tags still reach every card the import stores. */
START_TEST(an_anki_tags_header_reaches_every_stored_card)
{
    import_anki_ok("#separator:tab\n#tags:g1 g2\n#tags column:3\n#deck:D\nq1\ta1\tmine\nq2\ta2\t\n");
    alliance_card_iter *iter = NULL;
    ck_assert_int_eq(alliance_card_search(&iter, db, report->deck_id, NULL), 0);
    alliance_card *c1 = NULL, *c2 = NULL;
    int rc1 = alliance_card_iter_next(iter, &c1), rc2 = alliance_card_iter_next(iter, &c2);
    alliance_card_iter_free(iter);
    int ok = rc1 == 0 && rc2 == 0 && strcmp(c1->tags, "mine g1 g2") == 0 && strcmp(c2->tags, "g1 g2") == 0;
    alliance_free(c1);
    alliance_free(c2);
    ck_assert(ok);
}
END_TEST

/* alliance_note_add refuses a CR left in a value (a CR that does not end a line): written
 * before "\n" it would read as a CRLF line end (docs/deck-format.md). */
START_TEST(note_add_refuses_a_carriage_return_in_a_value)
{
    import_ok("deck: D\n");
    alliance_note note;
    alliance_note_init(&note, ALLIANCE_NOTE_VERSION);
    note.id = "a";
    note.front = "A?\r\r"; /* the last CR reads as a line end, the other stays */
    note.back = "A.";
    ck_assert_int_eq(alliance_note_add(db, report->deck_id, &note, ALLIANCE_TEST_NOW), ALLIANCE_EINVAL);
    ck_assert_msg(strstr(alliance_errmsg(db), "carriage return") != NULL, "%s", alliance_errmsg(db));
}
END_TEST

START_TEST(the_alliance_choice_tag_is_reserved_for_note_add)
{
    import_ok("deck: D\n");
    alliance_note note;
    alliance_note_init(&note, ALLIANCE_NOTE_VERSION);
    note.id = "a";
    note.front = "A?";
    note.back = "A.";
    note.tags = "alliance::choice";
    ck_assert_int_eq(alliance_note_add(db, report->deck_id, &note, ALLIANCE_TEST_NOW), ALLIANCE_EINVAL);
    ck_assert_msg(strstr(alliance_errmsg(db), "'alliance::choice' is reserved") != NULL, "%s", alliance_errmsg(db));
}
END_TEST

static Suite *import_suite(void)
{
    Suite *s = suite_create("import");
    TCase *tc = tcase_create("import");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, an_import_adds_every_card_and_reports_it);
    tcase_add_test(tc, a_dry_run_counts_and_writes_nothing);
    tcase_add_test(tc, a_parse_error_imports_nothing_and_says_where);
    tcase_add_test(tc, a_store_error_at_the_last_card_rolls_back_the_whole_import);
    tcase_add_test(tc, a_new_deck_holding_another_decks_card_is_refused_naming_both);
    tcase_add_test(tc, a_failed_import_leaves_the_collection_file_byte_identical);
    tcase_add_test(tc, reimporting_an_edited_deck_keeps_schedule_and_log);
    tcase_add_test(tc, removed_cards_are_suspended_and_come_back_when_they_reappear);
    tcase_add_test(tc, importing_the_same_deck_again_changes_nothing);
    tcase_add_test(tc, import_reads_a_file_by_path);
    tcase_add_test(tc, import_refuses_unknown_options);
    tcase_add_test(tc, the_bundled_deck_imports);
    suite_add_tcase(s, tc);
    TCase *ex = tcase_create("export");
    tcase_add_checked_fixture(ex, setup, teardown);
    tcase_add_test(ex, export_gives_the_canonical_form_and_reimporting_it_changes_nothing);
    tcase_add_test(ex, export_leaves_out_cards_the_deck_file_dropped);
    tcase_add_test(ex, an_anki_export_imports_back_unchanged);
    tcase_add_test(ex, an_anki_file_without_a_deck_needs_a_deck_name);
    tcase_add_test(ex, export_to_a_file_replaces_it_whole);
    tcase_add_test(ex, export_stops_when_the_callback_says_so);
    tcase_add_test(ex, export_writes_the_current_text_of_a_note_whose_learner_suspended_card_was_dropped);
    tcase_add_test(ex, export_leaves_out_a_learner_suspended_card_the_file_dropped);
    tcase_add_test(ex, a_note_added_by_a_program_is_exported_until_an_import_drops_it);
    tcase_add_test(ex, a_learner_suspended_card_still_in_the_file_is_exported_and_stays_suspended);
    suite_add_tcase(s, ex);
    TCase *rt = tcase_create("anki round trip");
    tcase_add_checked_fixture(rt, setup, teardown);
    tcase_add_test(rt, an_anki_description_with_an_empty_line_exports_to_a_deck_that_parses);
    tcase_add_test(rt, an_anki_description_line_starting_with_hash_after_the_first_is_refused);
    tcase_add_test(rt, an_anki_guid_with_a_double_colon_is_written_back_unchanged);
    tcase_add_test(rt, the_alliance_choice_tag_is_reserved_in_a_deck_file);
    tcase_add_test(rt, a_choice_card_survives_the_anki_round_trip);
    tcase_add_test(rt, an_anki_tags_header_reaches_every_stored_card);
    suite_add_tcase(s, rt);
    TCase *notes = tcase_create("notes");
    tcase_add_checked_fixture(notes, setup, teardown);
    tcase_add_test(notes, note_add_adds_a_card_per_cloze_number);
    tcase_add_test(notes, note_add_refuses_what_a_deck_file_would_refuse);
    tcase_add_test(notes, note_add_refuses_a_note_id_another_type_of_note_has);
    tcase_add_test(notes, note_add_refuses_a_carriage_return_in_a_value);
    tcase_add_test(notes, the_alliance_choice_tag_is_reserved_for_note_add);
    suite_add_tcase(s, notes);
    return s;
}

int main(void)
{
    return alliance_test_run(import_suite());
}
