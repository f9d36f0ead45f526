/* review_deck: a reviewer's confirming tests for the deck code. Each test states what the
 * docs (docs/deck-format.md, docs/anki.md, issue 4) promise and fails while the library
 * does otherwise. */
#include "testutil.h"

#include "anki_text.h"
#include "deck.h"
#include "deck_parse.h"
#include "deck_write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static alliance_db *db;
static alliance_import_report *report;

static void setup(void)
{
    alliance_open_options options;
    alliance_open_options_init(&options);
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

static int import_fmt(const char *text, uint32_t format)
{
    alliance_import_options options;
    alliance_import_options_init(&options);
    options.format = format;
    alliance_free(report);
    report = NULL;
    return alliance_deck_import_buffer(db, "t.deck", text, strlen(text), &options, ALLIANCE_TEST_NOW, &report);
}

static void import_ok(const char *text, uint32_t format)
{
    int rc = import_fmt(text, format);
    ck_assert_msg(rc == 0, "import failed (%d): %s", rc, alliance_errmsg(db));
}

static int collect(void *opaque, const char *data, size_t len)
{
    FILE *f = opaque;
    return fwrite(data, 1, len, f) == len ? 0 : -1;
}

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

/* ---- export after a re-import: "the deck file as last imported" ---- */

/* A cloze note whose deletion c1 the learner suspended; the author then rewords the note
 * and drops c1. Export must write the note's new text (the file as last imported), and
 * importing that export must change nothing. */
START_TEST(export_writes_the_current_text_of_a_note_whose_learner_suspended_card_was_dropped)
{
    static const char f1[] = "deck: D\n\ncard: n1\ntype: cloze\ntext: {{c1::a}} and {{c2::b}}\n";
    static const char f2[] = "deck: D\n\ncard: n1\ntype: cloze\ntext: Only {{c2::b}} now\n";
    import_ok(f1, ALLIANCE_FORMAT_DECK);
    int64_t deck_id = report->deck_id;
    ck_assert_int_eq(alliance_card_suspend(db, "n1::c1", 1, ALLIANCE_TEST_NOW), 0);
    import_ok(f2, ALLIANCE_FORMAT_DECK);
    char *out = export_as(deck_id, ALLIANCE_FORMAT_DECK);
    ck_assert_msg(strstr(out, "text: Only {{c2::b}} now") != NULL, "export wrote a stale note:\n%s", out);
    import_ok(out, ALLIANCE_FORMAT_DECK);
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
    import_ok(f1, ALLIANCE_FORMAT_DECK);
    int64_t deck_id = report->deck_id;
    ck_assert_int_eq(alliance_card_suspend(db, "b", 1, ALLIANCE_TEST_NOW), 0);
    import_ok(f2, ALLIANCE_FORMAT_DECK);
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
    import_ok(f1, ALLIANCE_FORMAT_DECK);
    int64_t deck_id = report->deck_id;
    alliance_note note;
    alliance_note_init(&note);
    note.id = "n";
    note.front = "N?";
    note.back = "N.";
    ck_assert_int_eq(alliance_note_add(db, deck_id, &note, ALLIANCE_TEST_NOW), 0);
    char *out = export_as(deck_id, ALLIANCE_FORMAT_DECK);
    int has_n = strstr(out, "card: n\n") != NULL;
    free(out);
    ck_assert(has_n);
    import_ok(f1, ALLIANCE_FORMAT_DECK);
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
    import_ok(f1, ALLIANCE_FORMAT_DECK);
    int64_t deck_id = report->deck_id;
    ck_assert_int_eq(alliance_card_suspend(db, "a", 1, ALLIANCE_TEST_NOW), 0);
    import_ok(f1, ALLIANCE_FORMAT_DECK);
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

/* ---- Anki -> ours -> ours: the description ---- */

/* An Anki file whose #alliance description: lines include an empty one imports fine, but the
 * deck then exports to a .deck file that does not parse (a blank continuation ends the
 * header block). Anki text -> ours -> export -> import must work. */
START_TEST(an_anki_description_with_an_empty_line_exports_to_a_deck_that_parses)
{
    static const char anki[] = "#separator:tab\n#html:false\n#deck:D\n"
                               "#alliance description:first\n#alliance description:\n#alliance description:third\n"
                               "Q?\tA.\n";
    import_ok(anki, ALLIANCE_FORMAT_ANKI_TEXT);
    int64_t deck_id = report->deck_id;
    char *out = export_as(deck_id, ALLIANCE_FORMAT_DECK);
    int rc = import_fmt(out, ALLIANCE_FORMAT_DECK);
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
    ck_assert_int_eq(import_fmt(anki, ALLIANCE_FORMAT_ANKI_TEXT), ALLIANCE_EPARSE);
    ck_assert_str_eq(alliance_errmsg(db),
                     "t.deck:5:24: a line of the description after the first cannot start with '#'");
}
END_TEST

/* The description is a value like any other: at most 1 MiB in all, however many lines. */
START_TEST(an_anki_description_over_1_mib_is_refused)
{
    size_t lines = 3000, cap = 64 + lines * 600, len = 0;
    char *b = malloc(cap);
    ck_assert_ptr_nonnull(b);
    len += (size_t)sprintf(b, "#separator:tab\n#deck:D\n");
    for (size_t i = 0; i < lines; i++) {
        len += (size_t)sprintf(b + len, "#alliance description:");
        memset(b + len, 'x', 500);
        len += 500;
        b[len++] = '\n';
    }
    len += (size_t)sprintf(b + len, "Q?\tA.\n");
    alliance__deck d;
    alliance__deck_init(&d, "a.txt");
    int rc = alliance__anki_read(&d, b, len, "D");
    int said = d.errors.data && strstr(d.errors.data, "the description is over 1 MiB") != NULL;
    alliance__deck_free(&d);
    free(b);
    ck_assert_int_eq(rc, ALLIANCE_ELIMIT);
    ck_assert(said);
}
END_TEST

/* ---- Anki files as Anki writes them ---- */

/* Anki's GUIDs are base91 strings whose alphabet includes ':' (and '#', ',', '|'...), so
 * some GUIDs contain "::". docs/anki.md: "The card id is the GUID". */
START_TEST(an_anki_guid_with_a_double_colon_is_read)
{
    static const char anki[] = "#separator:tab\n#html:false\n#guid column:1\n#notetype column:2\n"
                               "#deck column:3\n#tags column:6\n"
                               "Fx::q%5Bz\tBasic\tD\tQ?\tA.\t\n";
    alliance__deck d;
    alliance__deck_init(&d, "a.txt");
    int rc = alliance__anki_read(&d, anki, strlen(anki), NULL);
    ck_assert_msg(rc == 0, "refused (%d): %s", rc, d.errors.data ? d.errors.data : "");
    ck_assert_uint_eq(d.note_count, 1);
    ck_assert_str_eq(alliance__note_str(&d, &d.notes[0], ALLIANCE__F_ID), "Fx%3A%3Aq%255Bz");
    alliance__deck_free(&d);
}
END_TEST

/* ... and written back to Anki text as the same GUID, so Anki still matches the note. */
START_TEST(an_anki_guid_with_a_double_colon_is_written_back_unchanged)
{
    static const char anki[] = "#separator:tab\n#html:false\n#guid column:1\n#notetype column:2\n"
                               "#deck column:3\n#tags column:6\n"
                               "Fx::q%5Bz\tBasic\tD\tQ?\tA.\t\n";
    import_ok(anki, ALLIANCE_FORMAT_ANKI_TEXT);
    char *out = export_as(report->deck_id, ALLIANCE_FORMAT_ANKI_TEXT);
    int found = strstr(out, "\nFx::q%5Bz\tBasic\tD\tQ?\tA.\t") != NULL;
    free(out);
    ck_assert(found);
}
END_TEST

/* CRLF rows whose last field is quoted (as spreadsheets write CSV): each such row counts
 * two lines, so every later error points at the wrong line. */
START_TEST(anki_error_lines_are_right_after_crlf_rows_ending_in_a_quoted_field)
{
    static const char anki[] = "#separator:comma\r\n"   /* line 1 */
                               "\"Q1?\",\"A1.\"\r\n"    /* line 2 */
                               "\"Q2?\",\"A2.\"\r\n"    /* line 3 */
                               "\"Q3?\",\"\"\r\n";      /* line 4: empty back */
    alliance__deck d;
    alliance__deck_init(&d, "a.txt");
    int rc = alliance__anki_read(&d, anki, strlen(anki), "D");
    ck_assert_int_eq(rc, ALLIANCE_EPARSE);
    ck_assert_msg(strncmp(d.errors.data, "a.txt:4:", 8) == 0, "wrong position: %s", d.errors.data);
    alliance__deck_free(&d);
}
END_TEST

/* ---- our format ---- */

/* A value ending in '\r' (a line "front: A?\r\r\n") would be written back before "\n", where
 * it reads as a CRLF line end: import -> export -> import would change it. A CR that does not
 * end a line is refused where it is (docs/deck-format.md). */
START_TEST(a_carriage_return_inside_a_line_is_refused_at_its_position)
{
    static const char f1[] = "deck: D\n\ncard: a\ntype: basic\nfront: A?\r\r\nback: A.\n";
    ck_assert_int_eq(import_fmt(f1, ALLIANCE_FORMAT_DECK), ALLIANCE_EPARSE);
    ck_assert_str_eq(alliance_errmsg(db), "t.deck:5:10: a carriage return (CR) that does not end the line");
}
END_TEST

/* alliance_note_add refuses a CR in a value for the same reason. */
START_TEST(note_add_refuses_a_carriage_return_in_a_value)
{
    import_ok("deck: D\n", ALLIANCE_FORMAT_DECK);
    alliance_note note;
    alliance_note_init(&note);
    note.id = "a";
    note.front = "A?\r\r"; /* the last CR reads as a line end, the other stays */
    note.back = "A.";
    ck_assert_int_eq(alliance_note_add(db, report->deck_id, &note, ALLIANCE_TEST_NOW), ALLIANCE_EINVAL);
    ck_assert_msg(strstr(alliance_errmsg(db), "carriage return") != NULL, "%s", alliance_errmsg(db));
}
END_TEST

/* "alliance::choice" marks a choice card in Anki text, so a basic card tagged with it could
 * not come back from Anki as itself: the tag is reserved, refused where it is written. */
START_TEST(the_alliance_choice_tag_is_reserved_in_a_deck_file)
{
    static const char f1[] = "deck: D\n\ncard: a\ntype: basic\nfront: A?\nback: A.\ntags: x Alliance::Choice\n";
    ck_assert_int_eq(import_fmt(f1, ALLIANCE_FORMAT_DECK), ALLIANCE_EPARSE);
    ck_assert_str_eq(alliance_errmsg(db), "t.deck:7:9: the tag 'alliance::choice' is reserved: it marks choice "
                                          "cards in Anki text (card 'a')");
}
END_TEST

START_TEST(the_alliance_choice_tag_is_reserved_for_note_add)
{
    import_ok("deck: D\n", ALLIANCE_FORMAT_DECK);
    alliance_note note;
    alliance_note_init(&note);
    note.id = "a";
    note.front = "A?";
    note.back = "A.";
    note.tags = "alliance::choice";
    ck_assert_int_eq(alliance_note_add(db, report->deck_id, &note, ALLIANCE_TEST_NOW), ALLIANCE_EINVAL);
    ck_assert_msg(strstr(alliance_errmsg(db), "'alliance::choice' is reserved") != NULL, "%s", alliance_errmsg(db));
}
END_TEST

/* A choice card still goes to Anki text and back as itself (the tag is the marker). */
START_TEST(a_choice_card_survives_the_anki_round_trip)
{
    static const char f1[] = "deck: D\n\ncard: a\ntype: choice\nquestion: A?\nanswer: A.\nwrong: B.\ntags: t\n";
    import_ok(f1, ALLIANCE_FORMAT_DECK);
    int64_t deck_id = report->deck_id;
    char *anki = export_as(deck_id, ALLIANCE_FORMAT_ANKI_TEXT);
    int rc = import_fmt(anki, ALLIANCE_FORMAT_ANKI_TEXT);
    free(anki);
    ck_assert_msg(rc == 0, "our own Anki export does not import (%d): %s", rc, alliance_errmsg(db));
    ck_assert_uint_eq(report->unchanged, 1);
}
END_TEST

/* The parser "never allocates without bound": memory should follow the input's size. A
 * "#tags:" header line is copied into every row, so a file of N bytes holds about
 * N * rows bytes (1 MiB of tags and 20 one-line rows: 20 MiB from a 1 MiB file). */
START_TEST(an_anki_tags_header_is_not_copied_into_every_row)
{
    size_t tags = 1000000, rows = 20, cap = tags + 64 + rows * 16, len = 0;
    char *b = malloc(cap);
    ck_assert_ptr_nonnull(b);
    len += (size_t)sprintf(b, "#separator:tab\n#tags:");
    for (size_t i = 0; i < tags / 2; i++) {
        b[len++] = 'x';
        b[len++] = ' ';
    }
    b[len++] = '\n';
    for (size_t i = 0; i < rows; i++)
        len += (size_t)sprintf(b + len, "q%zu\ta\n", i);
    alliance__deck d;
    alliance__deck_init(&d, "a.txt");
    int rc = alliance__anki_read(&d, b, len, "D");
    size_t held = d.strings.len;
    alliance__deck_free(&d);
    free(b);
    ck_assert_int_eq(rc, 0);
    ck_assert_msg(held <= 4 * len, "a %zu-byte file holds %zu bytes of strings", len, held);
}
END_TEST

/* Held once, the file's tags still reach every card the import stores. */
START_TEST(an_anki_tags_header_reaches_every_stored_card)
{
    import_ok("#separator:tab\n#tags:g1 g2\n#tags column:3\n#deck:D\nq1\ta1\tmine\nq2\ta2\t\n",
              ALLIANCE_FORMAT_ANKI_TEXT);
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

static Suite *review_suite(void)
{
    Suite *s = suite_create("review_deck");
    TCase *tc = tcase_create("review");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, export_writes_the_current_text_of_a_note_whose_learner_suspended_card_was_dropped);
    tcase_add_test(tc, export_leaves_out_a_learner_suspended_card_the_file_dropped);
    tcase_add_test(tc, a_note_added_by_a_program_is_exported_until_an_import_drops_it);
    tcase_add_test(tc, a_learner_suspended_card_still_in_the_file_is_exported_and_stays_suspended);
    tcase_add_test(tc, an_anki_description_with_an_empty_line_exports_to_a_deck_that_parses);
    tcase_add_test(tc, an_anki_description_line_starting_with_hash_after_the_first_is_refused);
    tcase_add_test(tc, an_anki_description_over_1_mib_is_refused);
    tcase_add_test(tc, an_anki_guid_with_a_double_colon_is_read);
    tcase_add_test(tc, an_anki_guid_with_a_double_colon_is_written_back_unchanged);
    tcase_add_test(tc, anki_error_lines_are_right_after_crlf_rows_ending_in_a_quoted_field);
    tcase_add_test(tc, a_carriage_return_inside_a_line_is_refused_at_its_position);
    tcase_add_test(tc, note_add_refuses_a_carriage_return_in_a_value);
    tcase_add_test(tc, the_alliance_choice_tag_is_reserved_in_a_deck_file);
    tcase_add_test(tc, the_alliance_choice_tag_is_reserved_for_note_add);
    tcase_add_test(tc, a_choice_card_survives_the_anki_round_trip);
    tcase_add_test(tc, an_anki_tags_header_is_not_copied_into_every_row);
    tcase_add_test(tc, an_anki_tags_header_reaches_every_stored_card);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(review_suite());
}
