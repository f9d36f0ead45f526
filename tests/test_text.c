/* SPDX-License-Identifier: MIT */
/*
 * text: one rule for every way text enters a collection (docs/deck-format.md,
 * "Text"): a deck file, an Anki file, alliance_note_add, alliance_deck_id and
 * the import options' deck name apply the same checks with the same messages,
 * so that whatever the API accepts, its own export reads back unchanged.
 * (The fuzz target fuzz_note_roundtrip proves the round trip for random notes;
 * these are the cases the outside stress test found, kept as named tests.)
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOW ALLIANCE_TEST_NOW

static alliance_db *open_memory(void)
{
    alliance_db *db = NULL;
    ck_assert_int_eq(alliance_open(&db, ":memory:", NULL), ALLIANCE_OK);
    return db;
}

static int64_t new_deck(alliance_db *db, const char *name)
{
    int64_t deck = 0;
    int rc = alliance_deck_id(db, name, 1, &deck);
    ck_assert_msg(rc == 0, "deck %s: %d %s", name, rc, alliance_errmsg(db));
    return deck;
}

static unsigned count_cards(alliance_db *db)
{
    alliance_card_iter *iter = NULL;
    ck_assert_int_eq(alliance_card_search(&iter, db, 0, NULL), 0);
    alliance_card *card = NULL;
    unsigned n = 0;
    while (alliance_card_iter_next(iter, &card) == 0) {
        alliance_free(card);
        n++;
    }
    alliance_card_iter_free(iter);
    return n;
}

/* Bytes that are not UTF-8: an overlong '/', a lone continuation byte, a cut sequence, a surrogate. */
static const char *const not_utf8[] = {"a \xC0\xAF b", "\x80 lone", "cut \xE2\x82", "\xED\xA0\x80 surrogate"};

START_TEST(note_add_refuses_what_a_deck_file_could_not_hold)
{
    alliance_db *db = open_memory();
    int64_t deck = new_deck(db, "Text");
    for (size_t i = 0; i < sizeof not_utf8 / sizeof not_utf8[0]; i++) {
        for (int field = 0; field < 4; field++) {
            alliance_note note;
            alliance_note_init(&note, ALLIANCE_NOTE_VERSION);
            note.id = "n1";
            note.front = field == 0 ? not_utf8[i] : "front";
            note.back = field == 1 ? not_utf8[i] : "back";
            note.tags = field == 2 ? not_utf8[i] : NULL;
            note.source_quote = NULL;
            if (field == 3) {
                note.type = ALLIANCE_CARD_CHOICE;
                note.wrong = not_utf8[i];
            }
            int rc = alliance_note_add(db, deck, &note, NOW);
            ck_assert_msg(rc == ALLIANCE_EINVAL, "field %d = %s: %d %s", field, not_utf8[i], rc, alliance_errmsg(db));
            ck_assert_msg(strstr(alliance_errmsg(db), "invalid UTF-8") && strstr(alliance_errmsg(db), "'n1'"),
                          "the message says neither what nor which card: %s", alliance_errmsg(db));
        }
    }
    ck_assert_uint_eq(count_cards(db), 0);
    alliance_close(db);
}
END_TEST

/* Deck names the file formats could not hold, or would read back as another name. */
static const char *const bad_names[] = {"Deck ", " Deck", "\tDeck", "De\rck", "De\nck", "\xC0\xAF", "\x80", "Deck\r"};

START_TEST(deck_id_refuses_names_that_would_not_read_back)
{
    alliance_db *db = open_memory();
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        int64_t deck = 7;
        int rc = alliance_deck_id(db, bad_names[i], 1, &deck);
        ck_assert_msg(rc == ALLIANCE_EINVAL, "deck name %zu: %d %s", i, rc, alliance_errmsg(db));
        ck_assert_msg(strstr(alliance_errmsg(db), "invalid deck name"), "%s", alliance_errmsg(db));
        ck_assert_int_eq(deck, 7);
        /* Looking a name up is not creating it: an old collection may hold such a name. */
        ck_assert_int_eq(alliance_deck_id(db, bad_names[i], 0, &deck), ALLIANCE_ENOTFOUND);
    }
    ck_assert_int_gt(new_deck(db, "Deck"), 0);
    ck_assert_int_gt(new_deck(db, "Déck with inner  blanks and # and | and ::"), 0);
    alliance_close(db);
}
END_TEST

START_TEST(the_import_options_deck_name_follows_the_same_rule)
{
    alliance_db *db = open_memory();
    static const char anki[] = "#separator:tab\n#html:false\nfront\tback\n";
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        alliance_import_options options;
        alliance_import_options_init(&options, ALLIANCE_IMPORT_OPTIONS_VERSION);
        options.format = ALLIANCE_FORMAT_ANKI_TEXT;
        options.deck_name = bad_names[i];
        alliance_import_report *report = NULL;
        int rc = alliance_deck_import_buffer(db, "a.txt", anki, sizeof anki - 1, &options, NOW, &report);
        ck_assert_msg(rc == ALLIANCE_EINVAL, "deck_name %zu: %d %s", i, rc, alliance_errmsg(db));
        ck_assert_msg(strstr(alliance_errmsg(db), "invalid deck name"), "%s", alliance_errmsg(db));
        alliance_free(report);
    }
    ck_assert_uint_eq(count_cards(db), 0);
    alliance_close(db);
}
END_TEST

/* The same problem gets the same words whichever way the text came in. */
START_TEST(every_way_in_gives_the_same_message)
{
    alliance_db *db = open_memory();
    const char *phrase = "invalid deck name: a line break";
    int64_t deck = 0;
    ck_assert_int_eq(alliance_deck_id(db, "Two\nlines", 1, &deck), ALLIANCE_EINVAL);
    ck_assert_msg(strstr(alliance_errmsg(db), phrase), "deck_id: %s", alliance_errmsg(db));
    static const char deck_file[] = "deck: Two\n  lines\n\ncard: a\ntype: basic\nfront: f\nback: b\n";
    alliance_import_report *report = NULL;
    ck_assert_int_eq(alliance_deck_import_buffer(db, "d.deck", deck_file, sizeof deck_file - 1, NULL, NOW, &report),
                     ALLIANCE_EPARSE);
    ck_assert_msg(strstr(report->errors, phrase), "deck file: %s", report->errors);
    alliance_free(report);
    static const char anki_file[] = "#separator:tab\n#deck column:1\n\"Two\nlines\"\tfront\tback\n";
    alliance_import_options options;
    alliance_import_options_init(&options, ALLIANCE_IMPORT_OPTIONS_VERSION);
    options.format = ALLIANCE_FORMAT_ANKI_TEXT;
    report = NULL;
    ck_assert_int_eq(alliance_deck_import_buffer(db, "a.txt", anki_file, sizeof anki_file - 1, &options, NOW, &report),
                     ALLIANCE_EPARSE);
    ck_assert_msg(strstr(report->errors, phrase), "anki file: %s", report->errors);
    alliance_free(report);
    alliance_close(db);
}
END_TEST

/* ---- what is accepted comes back ---- */

typedef struct text_out {
    char data[65536];
    size_t len;
} text_out;

static int collect(void *opaque, const char *data, size_t len)
{
    text_out *out = opaque;
    if (out->len + len >= sizeof out->data)
        return 1;
    memcpy(out->data + out->len, data, len);
    out->len += len;
    out->data[out->len] = '\0';
    return 0;
}

static void assert_same_cards(alliance_db *a, alliance_db *b, const char *what)
{
    alliance_card_iter *ia = NULL, *ib = NULL;
    ck_assert_int_eq(alliance_card_search(&ia, a, 0, NULL), 0);
    ck_assert_int_eq(alliance_card_search(&ib, b, 0, NULL), 0);
    unsigned n = 0;
    for (;;) {
        alliance_card *ca = NULL, *cb = NULL;
        int ra = alliance_card_iter_next(ia, &ca), rb = alliance_card_iter_next(ib, &cb);
        ck_assert_msg(ra == rb, "%s: card %u: %d then %d", what, n, ra, rb);
        if (ra != 0)
            break;
        ck_assert_str_eq(ca->id, cb->id);
        ck_assert_uint_eq(ca->type, cb->type);
        ck_assert_msg(strcmp(ca->front, cb->front) == 0, "%s: front of %s: [%s] vs [%s]", what, ca->id, ca->front, cb->front);
        ck_assert_msg(strcmp(ca->back, cb->back) == 0, "%s: back of %s: [%s] vs [%s]", what, ca->id, ca->back, cb->back);
        ck_assert_str_eq(ca->wrong, cb->wrong);
        ck_assert_str_eq(ca->tags, cb->tags);
        ck_assert_str_eq(ca->source_file, cb->source_file);
        ck_assert_str_eq(ca->source_quote, cb->source_quote);
        alliance_free(ca);
        alliance_free(cb);
        n++;
    }
    alliance_card_iter_free(ia);
    alliance_card_iter_free(ib);
    ck_assert_uint_gt(n, 0);
}

typedef struct heap_out {
    char *data;
    size_t len;
} heap_out;

static int collect_heap(void *opaque, const char *data, size_t len)
{
    heap_out *out = opaque;
    char *bigger = realloc(out->data, out->len + len + 1);
    if (!bigger)
        return 1;
    memcpy(bigger + out->len, data, len);
    out->data = bigger;
    out->len += len;
    out->data[out->len] = '\0';
    return 0;
}

START_TEST(whatever_the_api_accepts_exports_and_reads_back)
{
    static const struct {
        uint32_t type;
        const char *id, *front, *back, *wrong, *tags;
    } notes[] = {
        {ALLIANCE_CARD_BASIC, "b1", "#not a comment on the first line", "  blanks around  \n\n  and an empty line  ",
         NULL, "t1  t2\tt3"},
        {ALLIANCE_CARD_BASIC, "b2", "tabs\tinside\tand \xE2\x80\x8F direction marks", "4-byte \xF0\x9F\x98\x80", NULL,
         NULL},
        {ALLIANCE_CARD_BASIC, "b|3", "a | bar and \"quotes\" and 'apostrophes'", "semi;colons,commas\ttabs", NULL,
         "x"},
        {ALLIANCE_CARD_CHOICE, "c1", "which?", "this one", "not this\nnor that", NULL},
        {ALLIANCE_CARD_CLOZE, "z1", "a {{c1::hidden}} and {{c2::other::hint}}", "", NULL, "cloze"},
        {ALLIANCE_CARD_BASIC, "%3A%3A", "an id that looks like an encoded GUID", "b", NULL, NULL},
    };
    static const char *const names[] = {"Déck with inner  blanks and #", "x"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        for (uint32_t format = ALLIANCE_FORMAT_DECK; format <= ALLIANCE_FORMAT_ANKI_TEXT; format++) {
            alliance_db *a = open_memory();
            int64_t deck = new_deck(a, names[k]);
            for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++) {
                alliance_note note;
                alliance_note_init(&note, ALLIANCE_NOTE_VERSION);
                note.type = notes[i].type;
                note.id = notes[i].id;
                note.front = notes[i].front;
                note.back = notes[i].back;
                note.wrong = notes[i].wrong;
                note.tags = notes[i].tags;
                int rc = alliance_note_add(a, deck, &note, NOW + (int64_t)i);
                ck_assert_msg(rc == 0, "note %s: %d %s", notes[i].id, rc, alliance_errmsg(a));
            }
            static text_out out;
            out.len = 0;
            ck_assert_int_eq(alliance_deck_export(a, deck, format, collect, &out), 0);
            alliance_db *b = open_memory();
            alliance_import_options options;
            alliance_import_options_init(&options, ALLIANCE_IMPORT_OPTIONS_VERSION);
            options.format = format;
            alliance_import_report *report = NULL;
            int rc = alliance_deck_import_buffer(b, "export", out.data, out.len, &options, NOW, &report);
            ck_assert_msg(rc == 0, "import of the export (format %u): %d %s\n%s", format, rc, alliance_errmsg(b),
                          report ? report->errors : "");
            ck_assert_str_eq(report->deck_name, names[k]);
            alliance_free(report);
            assert_same_cards(a, b, format == ALLIANCE_FORMAT_DECK ? "deck format" : "anki text");
            alliance_close(a);
            alliance_close(b);
        }
    }
}
END_TEST

/* A value is written back as "front: LINE" and "  LINE": the API accepts no line that would
 * not fit the deck format's 1 MiB line limit so (before, a 1 MiB front exported to a line
 * its own import refused). */
START_TEST(what_is_accepted_fits_the_line_limit_once_written_back)
{
    const size_t line_max = (size_t)1 << 20;
    alliance_db *a = open_memory();
    int64_t deck = new_deck(a, "Long");
    char *value = malloc(line_max + 1);
    ck_assert_ptr_nonnull(value);
    memset(value, 'v', line_max);
    value[line_max] = '\0';
    alliance_note note;
    alliance_note_init(&note, ALLIANCE_NOTE_VERSION);
    note.id = "too-long";
    note.front = value; /* 1 MiB: "front: " makes it 7 bytes too long */
    note.back = "b";
    ck_assert_int_eq(alliance_note_add(a, deck, &note, NOW), ALLIANCE_ELIMIT);
    ck_assert_msg(strstr(alliance_errmsg(a), "too long"), "%s", alliance_errmsg(a));
    value[line_max - 7] = '\0'; /* "front: " + this is exactly 1 MiB */
    note.id = "just-fits";
    ck_assert_int_eq(alliance_note_add(a, deck, &note, NOW), 0);
    int64_t other = 0;
    value[line_max - 7] = 'v';
    value[line_max - 5] = '\0'; /* "deck: " + this is 1 MiB + 1 */
    ck_assert_int_eq(alliance_deck_id(a, value, 1, &other), ALLIANCE_EINVAL);

    /* What was accepted reads back: the export holds a line of exactly 1 MiB. */
    heap_out out = {NULL, 0};
    ck_assert_int_eq(alliance_deck_export(a, deck, ALLIANCE_FORMAT_DECK, collect_heap, &out), 0);
    alliance_db *b = open_memory();
    alliance_import_report *report = NULL;
    int rc = alliance_deck_import_buffer(b, "long.deck", out.data, out.len, NULL, NOW, &report);
    ck_assert_msg(rc == 0, "import of the export: %d %s", rc, report ? report->errors : alliance_errmsg(b));
    alliance_free(report);
    alliance_card *card = NULL;
    ck_assert_int_eq(alliance_card_get(b, "just-fits", &card), 0);
    ck_assert_uint_eq(strlen(card->front), line_max - 7);
    alliance_free(card);
    free(out.data);
    free(value);
    alliance_close(a);
    alliance_close(b);
}
END_TEST

static Suite *text_suite(void)
{
    Suite *s = suite_create("text");
    TCase *tc = tcase_create("text");
    tcase_add_test(tc, note_add_refuses_what_a_deck_file_could_not_hold);
    tcase_add_test(tc, deck_id_refuses_names_that_would_not_read_back);
    tcase_add_test(tc, the_import_options_deck_name_follows_the_same_rule);
    tcase_add_test(tc, every_way_in_gives_the_same_message);
    tcase_add_test(tc, whatever_the_api_accepts_exports_and_reads_back);
    tcase_add_test(tc, what_is_accepted_fits_the_line_limit_once_written_back);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(text_suite());
}
