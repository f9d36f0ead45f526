/* SPDX-License-Identifier: MIT */
/* anki_text: Anki's "Notes in Plain Text" files, read and written (docs/anki.md). */
#include "testutil.h"

#include "interop/anki_text.h"
#include "deck/deck.h"
#include "deck/deck_parse.h"
#include "exchange/formats.h"
#include "deck/deck_write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static alliance__deck deck;
static int deck_used;

static void teardown(void)
{
    if (deck_used)
        alliance__deck_free(&deck);
    deck_used = 0;
}

static int read_anki(const char *text, const char *default_name)
{
    if (deck_used)
        alliance__deck_free(&deck);
    alliance__deck_init(&deck, "t.txt");
    deck_used = 1;
    return alliance__anki_read(&deck, text, strlen(text), default_name);
}

static void read_anki_ok(const char *text)
{
    int rc = read_anki(text, NULL);
    ck_assert_msg(rc == 0, "read failed (%d):\n%s", rc, deck.errors.data ? deck.errors.data : "");
}

static const char *field(uint32_t note, int f)
{
    ck_assert_uint_lt(note, deck.note_count);
    return alliance__note_str(&deck, &deck.notes[note], f);
}

static int collect(void *opaque, const char *data, size_t len)
{
    return alliance__buf_append(opaque, data, len);
}

static char *write_as(const alliance__deck *d, uint32_t format)
{
    alliance__buf out = {0};
    alliance__sink sink;
    alliance__sink_init(&sink, collect, &out);
    ck_assert_int_eq(alliance__deck_write(&sink, d, format), 0);
    alliance__sink_free(&sink);
    return out.data;
}

/* ---- reading what Anki writes ---- */

START_TEST(a_file_as_anki_exports_it_is_read)
{
    read_anki_ok("#separator:tab\n"
                 "#html:true\n"
                 "#guid column:1\n"
                 "#notetype column:2\n"
                 "#deck column:3\n"
                 "#tags column:6\n"
                 "e7V`x%Q8!L\tBasic\tSocial work\tWhat is the key?<br>Think.\tStrengths &amp; resilience\talliance exam\n"
                 "Bq3]p,W@1z\tCloze\tSocial work\tNot about {{c1::rules}}.\t\t\n");
    ck_assert_str_eq(alliance__deck_str(&deck, deck.name), "Social work");
    ck_assert_uint_eq(deck.note_count, 2);
    ck_assert_uint_eq(deck.notes[0].type, ALLIANCE_CARD_BASIC);
    ck_assert_str_eq(field(0, ALLIANCE__F_ID), "e7V`x%Q8!L");
    ck_assert_str_eq(field(0, ALLIANCE__F_FRONT), "What is the key?\nThink.");
    ck_assert_str_eq(field(0, ALLIANCE__F_BACK), "Strengths & resilience");
    ck_assert_str_eq(field(0, ALLIANCE__F_TAGS), "alliance exam");
    ck_assert_uint_eq(deck.notes[1].type, ALLIANCE_CARD_CLOZE);
    ck_assert_str_eq(field(1, ALLIANCE__F_ID), "Bq3]p,W@1z");
    ck_assert_str_eq(field(1, ALLIANCE__F_FRONT), "Not about {{c1::rules}}.");
    ck_assert_str_eq(field(1, ALLIANCE__F_BACK), "");
}
END_TEST

START_TEST(html_false_keeps_markup_as_text)
{
    read_anki_ok("#separator:tab\n#html:false\n#deck:D\nfront <b>x</b> &amp;\tback\n");
    ck_assert_str_eq(field(0, ALLIANCE__F_FRONT), "front <b>x</b> &amp;");
}
END_TEST

START_TEST(every_separator_name_and_a_literal_one_are_understood)
{
    static const struct { const char *header; const char *row; } cases[] = {
        {"#separator:tab", "f\tb"},
        {"#separator:Comma", "f,b"},
        {"#separator:semicolon", "f;b"},
        {"#separator:PIPE", "f|b"},
        {"#separator:space", "f b"},
        {"#separator:colon", "f:b"},
        {"#separator:/", "f/b"},
        {"#separator: ", "f b"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[128];
        snprintf(text, sizeof text, "%s\n#deck:D\n%s\n", cases[i].header, cases[i].row);
        read_anki_ok(text);
        ck_assert_msg(strcmp(field(0, ALLIANCE__F_FRONT), "f") == 0 && strcmp(field(0, ALLIANCE__F_BACK), "b") == 0,
                      "%s: front '%s' back '%s'", cases[i].header, field(0, ALLIANCE__F_FRONT),
                      field(0, ALLIANCE__F_BACK));
    }
}
END_TEST

START_TEST(without_a_separator_line_a_tab_wins_else_a_comma)
{
    read_anki_ok("#deck:D\nf,1\tb\n");
    ck_assert_str_eq(field(0, ALLIANCE__F_FRONT), "f,1");
    read_anki_ok("#deck:D\nf,b\n");
    ck_assert_str_eq(field(0, ALLIANCE__F_BACK), "b");
}
END_TEST

START_TEST(an_unknown_separator_is_an_error)
{
    ck_assert_int_eq(read_anki("#separator:ab\n#deck:D\nf\tb\n", NULL), ALLIANCE_EPARSE);
    ck_assert_str_eq(deck.errors.data,
                     "t.txt:1:12: unknown separator (tab, comma, semicolon, space, pipe, colon or one character)\n");
}
END_TEST

START_TEST(quoted_fields_hold_separators_quotes_and_newlines)
{
    read_anki_ok("#separator:comma\n#deck:D\n\"a, \"\"b\"\"\",\"line 1\nline 2\"\nnext,row\n");
    ck_assert_uint_eq(deck.note_count, 2);
    ck_assert_str_eq(field(0, ALLIANCE__F_FRONT), "a, \"b\"");
    ck_assert_str_eq(field(0, ALLIANCE__F_BACK), "line 1\nline 2");
    ck_assert_str_eq(field(1, ALLIANCE__F_FRONT), "next");
    ck_assert_uint_eq(deck.notes[1].line, 5);
}
END_TEST

START_TEST(comments_blank_lines_and_crlf_between_rows_are_skipped)
{
    read_anki_ok("#separator:tab\r\n#deck:D\r\n\r\nf1\tb1\r\n# a comment\r\n\r\nf2\tb2\r\n");
    ck_assert_uint_eq(deck.note_count, 2);
    ck_assert_str_eq(field(0, ALLIANCE__F_BACK), "b1");
    ck_assert_str_eq(field(1, ALLIANCE__F_FRONT), "f2");
}
END_TEST

START_TEST(file_tags_are_added_to_every_note)
{
    read_anki_ok("tags:old\n#separator:tab\n#tags:global one\n#tags column:3\n#deck:D\nf\tb\tmine\n");
    alliance__buf tags = {0};
    ck_assert_int_eq(alliance__note_tags(&deck, &deck.notes[0], &tags), 0);
    int same = strcmp(tags.data, "mine old global one") == 0;
    alliance__buf_free(&tags);
    ck_assert_msg(same, "the note's tags are not its own and the file's");
}
END_TEST

START_TEST(the_deck_comes_from_the_column_the_header_or_the_caller)
{
    /* '#deck:' names the file's first deck; a row naming another deck puts its note there. */
    read_anki_ok("#separator:tab\n#deck:From header\n#deck column:1\nFrom column\tf\tb\n");
    ck_assert_str_eq(alliance__deck_str(&deck, deck.name), "From header");
    ck_assert_uint_eq(deck.more_count, 1);
    ck_assert_str_eq(alliance__deck_str(&deck, deck.more[0].name), "From column");
    ck_assert_uint_eq(deck.notes[0].deck, 1);
    read_anki_ok("#separator:tab\n#deck column:1\nFrom column\tf\tb\n");
    ck_assert_str_eq(alliance__deck_str(&deck, deck.name), "From column");
    ck_assert_uint_eq(deck.notes[0].deck, 0);
    read_anki_ok("#separator:tab\n#deck:From header\nf\tb\n");
    ck_assert_str_eq(alliance__deck_str(&deck, deck.name), "From header");
    ck_assert_int_eq(read_anki("#separator:tab\nf\tb\n", "From caller"), 0);
    ck_assert_str_eq(alliance__deck_str(&deck, deck.name), "From caller");
}
END_TEST

/* What Anki writes for a deck with a subdeck ("Notes in Plain Text", deck column on). */
START_TEST(rows_of_several_decks_at_any_depth_make_one_deck_each)
{
    read_anki_ok("#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n"
                 "g1\tBasic\tSocial Work\tf1\tb1\n"
                 "g2\tBasic\tSocial Work::Alliance\tf2\tb2\n"
                 "g3\tBasic\tSocial Work::Alliance::Bond\tf3\tb3\n"
                 "g4\tBasic\tSocial Work\tf4\tb4\n");
    ck_assert_uint_eq(alliance__deck_count(&deck), 3);
    ck_assert_str_eq(alliance__deck_str(&deck, deck.name), "Social Work");
    ck_assert_str_eq(alliance__deck_str(&deck, deck.more[0].name), "Social Work::Alliance");
    ck_assert_str_eq(alliance__deck_str(&deck, deck.more[1].name), "Social Work::Alliance::Bond");
    ck_assert_uint_eq(deck.notes[0].deck, 0);
    ck_assert_uint_eq(deck.notes[1].deck, 1);
    ck_assert_uint_eq(deck.notes[2].deck, 2);
    ck_assert_uint_eq(deck.notes[3].deck, 0);
}
END_TEST

START_TEST(alliance_deck_lines_give_each_deck_its_description_and_sources)
{
    read_anki_ok("#separator:tab\n#deck:A\n#deck column:3\n#guid column:1\n#alliance description:about A\n"
                 "#alliance source:a.txt | Article A\n#alliance deck:A::B\n#alliance description:about B\n"
                 "#alliance source:b.txt | Article B\n#columns:guid\tf\tdeck\tb\tSource\n"
                 "n1\tf1\tA\tb1\ta.txt\nn2\tf2\tA::B\tb2\tb.txt\nn3\tf3\tA::B\tb3\ta.txt\n");
    ck_assert_str_eq(alliance__deck_str(&deck, deck.description), "about A");
    ck_assert_str_eq(alliance__deck_str(&deck, deck.sources), "a.txt | Article A");
    ck_assert_str_eq(alliance__deck_str(&deck, deck.more[0].description), "about B");
    /* n3 cites A's source: B lists it too, so that B alone converts to our format. */
    ck_assert_str_eq(alliance__deck_str(&deck, deck.more[0].sources), "b.txt | Article B\na.txt | Article A");
}
END_TEST

START_TEST(a_global_cloze_notetype_makes_cloze_cards)
{
    read_anki_ok("#separator:tab\n#notetype:Cloze\n#deck:D\nA {{c1::b}}\textra\n");
    ck_assert_uint_eq(deck.notes[0].type, ALLIANCE_CARD_CLOZE);
    ck_assert_str_eq(field(0, ALLIANCE__F_BACK), "extra");
}
END_TEST

START_TEST(without_a_guid_the_id_is_derived_from_the_first_field)
{
    read_anki_ok("#separator:tab\n#deck:D\nsame front\tb\n");
    char first[64];
    snprintf(first, sizeof first, "%s", field(0, ALLIANCE__F_ID));
    ck_assert_int_eq(strncmp(first, "anki-", 5), 0);
    ck_assert_uint_eq(strlen(first), 5 + 16);
    read_anki_ok("#separator:tab\n#deck:D\nsame front\tanother back\n");
    ck_assert_str_eq(field(0, ALLIANCE__F_ID), first);
}
END_TEST

START_TEST(errors_name_line_and_column)
{
    static const struct { const char *text; const char *first; } cases[] = {
        {"#separator:tab\n#deck:D\nf\t\"b\n", "t.txt:3:3: a quoted field has no closing '\"'"},
        {"#separator:tab\n#deck:D\nf\t\"b\"x\n", "t.txt:3:6: text after the closing '\"' of a quoted field"},
        {"#separator:tab\n#deck:D\nf\tcaf\xC3(\n", "t.txt:3:6: invalid UTF-8"},
        {"#separator:tab\n#deck:D\nf\t\n", "t.txt:3:3: empty value for 'back' in card 'anki-"},
        {"#separator:tab\n#deck:D\n#notetype:Cloze\nno deletion\n", "t.txt:4:1: cloze text of card"},
        {"#separator:tab\n#guid column:1\n#deck:D\ng1\tf\tb\ng1\tf2\tb2\n",
         "t.txt:5:1: duplicate card id 'g1' (first on line 4)"},
        {"#separator:tab\n#guid column:1\n#deck:D\n\"a\x01b\"\tf\tb\n", "t.txt:4:1: invalid card id: a control character"},
        {"#separator:tab\n#tags column:3\n#deck:D\nq\ta\talliance::choice\n", "t.txt:4:1: missing key 'wrong' in card"},
        {"#separator:tab\n#guid column:99\n", "t.txt:2:14: a column number is 1 to 64"},
        {"#html:maybe\n", "t.txt:1:7: #html: is true or false"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = read_anki(cases[i].text, NULL);
        ck_assert_msg(rc == ALLIANCE_EPARSE, "case %zu: rc %d", i, rc);
        ck_assert_msg(strncmp(deck.errors.data, cases[i].first, strlen(cases[i].first)) == 0,
                      "case %zu:\n  got      %s  expected %s", i, deck.errors.data, cases[i].first);
    }
}
END_TEST

START_TEST(check_reads_anki_text_too)
{
    static const char text[] = "#separator:tab\n#deck:D\n#notetype:Cloze\n{{c1::a}} {{c2::b}}\t\n";
    alliance_import_report *r = NULL;
    ck_assert_int_eq(alliance_deck_check("t.txt", text, strlen(text), ALLIANCE_FORMAT_ANKI_TEXT, &r), 0);
    ck_assert_uint_eq(r->added, 2);
    ck_assert_str_eq(r->deck_name, "D");
    alliance_free(r);
}
END_TEST

/* ---- writing, and the round trip ---- */

static const char ours[] =
    "deck: Therapeutic alliance\n"
    "description: Exam preparation.\n"
    "  Second line.\n"
    "source: a.txt | Article A\n"
    "\n"
    "card: basic-1\n"
    "type: basic\n"
    "front: Tab\there, \"quotes\" and\n"
    "  a second line\n"
    "back: #1 answer\n"
    "tags: strengths resilience\n"
    "source: a.txt\n"
    "quote: The answer lies in focusing on strengths.\n"
    "\n"
    "card: cloze-1\n"
    "type: cloze\n"
    "text: Not about {{c1::strict rules}} but {{c2::warmth::a feeling}}.\n"
    "\n"
    "card: choice-1\n"
    "type: choice\n"
    "question: What should a social worker allow for?\n"
    "answer: Openness to the client's ideas\n"
    "wrong: Strict adherence to theoretical frameworks\n"
    "wrong: Prescribing medication\n"
    "tags: exam\n";

START_TEST(export_writes_anki_headers_and_quotes_as_anki_does)
{
    alliance__deck d;
    alliance__deck_init(&d, "t.deck");
    ck_assert_int_eq(alliance__deck_parse(&d, ours, strlen(ours)), 0);
    char *text = write_as(&d, ALLIANCE_FORMAT_ANKI_TEXT);
    ck_assert_str_eq(text,
        "#separator:tab\n"
        "#html:false\n"
        "#deck:Therapeutic alliance\n"
        "#guid column:1\n"
        "#notetype column:2\n"
        "#deck column:3\n"
        "#tags column:9\n"
        "#columns:guid\tnotetype\tdeck\tFront\tBack\tWrong\tSource\tQuote\ttags\n"
        "#alliance description:Exam preparation.\n"
        "#alliance description:Second line.\n"
        "#alliance source:a.txt | Article A\n"
        "basic-1\tBasic\tTherapeutic alliance\t\"Tab\there, \"\"quotes\"\" and\na second line\"\t\"#1 answer\"\t\t"
        "a.txt\tThe answer lies in focusing on strengths.\tstrengths resilience\n"
        "cloze-1\tCloze\tTherapeutic alliance\tNot about {{c1::strict rules}} but {{c2::warmth::a feeling}}.\t\t\t\t\t\n"
        "choice-1\tBasic\tTherapeutic alliance\tWhat should a social worker allow for?\tOpenness to the client's ideas\t"
        "\"Strict adherence to theoretical frameworks\nPrescribing medication\"\t\t\texam alliance::choice\n");
    alliance__free(text);
    alliance__deck_free(&d);
}
END_TEST

START_TEST(ours_to_anki_and_back_is_unchanged)
{
    alliance__deck d;
    alliance__deck_init(&d, "t.deck");
    ck_assert_int_eq(alliance__deck_parse(&d, ours, strlen(ours)), 0);
    char *canonical = write_as(&d, ALLIANCE_FORMAT_DECK);
    char *anki = write_as(&d, ALLIANCE_FORMAT_ANKI_TEXT);
    read_anki_ok(anki);
    char *back = write_as(&deck, ALLIANCE_FORMAT_DECK);
    ck_assert_str_eq(back, canonical);
    ck_assert_str_eq(back, ours);
    alliance__free(canonical);
    alliance__free(anki);
    alliance__free(back);
    alliance__deck_free(&d);
}
END_TEST

START_TEST(the_bundled_deck_survives_the_anki_round_trip)
{
    size_t len;
    char *text = alliance_test_read_file(ALLIANCE_SOURCE_DIR "/decks/therapeutic-alliance.deck", &len);
    ck_assert_ptr_nonnull(text);
    alliance__deck d;
    alliance__deck_init(&d, "therapeutic-alliance.deck");
    ck_assert_int_eq(alliance__deck_parse(&d, text, len), 0);
    char *canonical = write_as(&d, ALLIANCE_FORMAT_DECK);
    char *anki = write_as(&d, ALLIANCE_FORMAT_ANKI_TEXT);
    read_anki_ok(anki);
    ck_assert_uint_eq(deck.note_count, d.note_count);
    char *back = write_as(&deck, ALLIANCE_FORMAT_DECK);
    ck_assert_str_eq(back, canonical);
    alliance__free(canonical);
    alliance__free(anki);
    alliance__free(back);
    alliance__deck_free(&d);
    free(text);
}
END_TEST

/* Anki's GUIDs are base91 strings whose alphabet includes ':' and '%', so some contain "::",
 * which our ids reserve: such a GUID is read, ':' and '%' percent-encoded (docs/anki.md). */
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

/* A CRLF after a quoted last field (as spreadsheets write CSV) is one line end, so later
 * errors name the right line. */
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

/* The reader's memory follows the input's size: the "#tags:" header is held once, not
 * copied into every row (1 MiB of tags and 20 rows would otherwise hold 20 MiB). */
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

static Suite *anki_text_suite(void)
{
    Suite *s = suite_create("anki_text");
    TCase *r = tcase_create("read");
    tcase_add_checked_fixture(r, NULL, teardown);
    tcase_add_test(r, a_file_as_anki_exports_it_is_read);
    tcase_add_test(r, html_false_keeps_markup_as_text);
    tcase_add_test(r, every_separator_name_and_a_literal_one_are_understood);
    tcase_add_test(r, without_a_separator_line_a_tab_wins_else_a_comma);
    tcase_add_test(r, an_unknown_separator_is_an_error);
    tcase_add_test(r, quoted_fields_hold_separators_quotes_and_newlines);
    tcase_add_test(r, comments_blank_lines_and_crlf_between_rows_are_skipped);
    tcase_add_test(r, file_tags_are_added_to_every_note);
    tcase_add_test(r, the_deck_comes_from_the_column_the_header_or_the_caller);
    tcase_add_test(r, rows_of_several_decks_at_any_depth_make_one_deck_each);
    tcase_add_test(r, alliance_deck_lines_give_each_deck_its_description_and_sources);
    tcase_add_test(r, a_global_cloze_notetype_makes_cloze_cards);
    tcase_add_test(r, without_a_guid_the_id_is_derived_from_the_first_field);
    tcase_add_test(r, errors_name_line_and_column);
    tcase_add_test(r, check_reads_anki_text_too);
    tcase_add_test(r, an_anki_guid_with_a_double_colon_is_read);
    tcase_add_test(r, anki_error_lines_are_right_after_crlf_rows_ending_in_a_quoted_field);
    tcase_add_test(r, an_anki_tags_header_is_not_copied_into_every_row);
    tcase_add_test(r, an_anki_description_over_1_mib_is_refused);
    suite_add_tcase(s, r);
    TCase *w = tcase_create("write");
    tcase_add_checked_fixture(w, NULL, teardown);
    tcase_add_test(w, export_writes_anki_headers_and_quotes_as_anki_does);
    tcase_add_test(w, ours_to_anki_and_back_is_unchanged);
    tcase_add_test(w, the_bundled_deck_survives_the_anki_round_trip);
    suite_add_tcase(s, w);
    return s;
}

int main(void)
{
    return alliance_test_run(anki_text_suite());
}
