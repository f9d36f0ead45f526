/* SPDX-License-Identifier: MIT */
/* deck_format: the plain-text deck format of docs/deck-format.md, read by alliance_deck_check
 * (no collection needed): every card type, every error with its line and column, the limits. */
#include "testutil.h"

#include "deck/deck.h"
#include "deck/deck_parse.h"
#include "exchange/formats.h"
#include "deck/deck_write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER "deck: D\n\n"

/* alliance_deck_check on a string; the report is kept in `last` until the next call. */
static alliance_import_report *last;

static int check_len(const char *data, size_t len)
{
    alliance_free(last);
    last = NULL;
    return alliance_deck_check("t.deck", data, len, ALLIANCE_FORMAT_DECK, &last);
}

static int check(const char *data)
{
    return check_len(data, strlen(data));
}

static void teardown(void)
{
    alliance_free(last);
    last = NULL;
}

/* Parses into an in-memory deck (the importer's view), failing the test on any error. */
static void parse_ok(alliance__deck *deck, const char *data)
{
    alliance__deck_init(deck, "t.deck");
    int rc = alliance__deck_parse(deck, data, strlen(data));
    ck_assert_msg(rc == 0, "parse failed (%d): %s", rc, deck->errors.data ? deck->errors.data : "");
}

static int collect(void *opaque, const char *data, size_t len)
{
    return alliance__buf_append(opaque, data, len);
}

/* The canonical text of a deck, as export writes it. */
static char *canonical(const alliance__deck *deck)
{
    alliance__buf out = {0};
    alliance__sink sink;
    alliance__sink_init(&sink, collect, &out);
    ck_assert_int_eq(alliance__deck_write(&sink, deck, ALLIANCE_FORMAT_DECK), 0);
    alliance__sink_free(&sink);
    return out.data;
}

/* ---- every card type ---- */

static const char sample[] =
    "# A comment before the header\n"
    "deck: Therapeutic alliance\n"
    "description: Exam preparation.\n"
    "source: a.txt | Article A\n"
    "source: b.txt|Article B\n"
    "\n"
    "card: basic-1\n"
    "type: basic\n"
    "front: What is the key?\n"
    "back: Strengths\n"
    "  and resilience.\n"
    "tags: strengths   resilience\n"
    "source: a.txt\n"
    "quote: The answer lies in focusing on strengths.\n"
    "\n"
    "\n"
    "card: cloze-1\n"
    "type: cloze\n"
    "text: Not about {{c1::strict rules}} but {{c2::warmth::a feeling}} and {{c1::protocols}}.\n"
    "extra: Trust fosters change.\n"
    "\n"
    "card: choice-1\n"
    "type:choice\n"
    "question: What should a social worker allow for?\n"
    "answer: Openness to the client's ideas\n"
    "wrong: Strict adherence to theoretical frameworks\n"
    "# a comment inside a card does not end it\n"
    "wrong: Prescribing medication\n";

START_TEST(every_card_type_is_read)
{
    alliance__deck deck;
    parse_ok(&deck, sample);
    ck_assert_str_eq(alliance__deck_str(&deck, deck.name), "Therapeutic alliance");
    ck_assert_str_eq(alliance__deck_str(&deck, deck.description), "Exam preparation.");
    ck_assert_str_eq(alliance__deck_str(&deck, deck.sources), "a.txt | Article A\nb.txt | Article B");
    ck_assert_uint_eq(deck.note_count, 3);

    const alliance__deck_note *b = &deck.notes[0];
    ck_assert_uint_eq(b->type, ALLIANCE_CARD_BASIC);
    ck_assert_uint_eq(b->line, 7);
    ck_assert_str_eq(alliance__note_str(&deck, b, ALLIANCE__F_ID), "basic-1");
    ck_assert_str_eq(alliance__note_str(&deck, b, ALLIANCE__F_FRONT), "What is the key?");
    ck_assert_str_eq(alliance__note_str(&deck, b, ALLIANCE__F_BACK), "Strengths\nand resilience.");
    ck_assert_str_eq(alliance__note_str(&deck, b, ALLIANCE__F_TAGS), "strengths resilience");
    ck_assert_str_eq(alliance__note_str(&deck, b, ALLIANCE__F_SOURCE), "a.txt");
    ck_assert_str_eq(alliance__note_str(&deck, b, ALLIANCE__F_QUOTE), "The answer lies in focusing on strengths.");

    const alliance__deck_note *c = &deck.notes[1];
    ck_assert_uint_eq(c->type, ALLIANCE_CARD_CLOZE);
    ck_assert_str_eq(alliance__note_str(&deck, c, ALLIANCE__F_BACK), "Trust fosters change.");
    ck_assert_str_eq(alliance__note_str(&deck, c, ALLIANCE__F_SOURCE), "");

    const alliance__deck_note *q = &deck.notes[2];
    ck_assert_uint_eq(q->type, ALLIANCE_CARD_CHOICE);
    ck_assert_str_eq(alliance__note_str(&deck, q, ALLIANCE__F_FRONT), "What should a social worker allow for?");
    ck_assert_str_eq(alliance__note_str(&deck, q, ALLIANCE__F_BACK), "Openness to the client's ideas");
    ck_assert_str_eq(alliance__note_str(&deck, q, ALLIANCE__F_WRONG),
                     "Strict adherence to theoretical frameworks\nPrescribing medication");
    alliance__deck_free(&deck);
}
END_TEST

START_TEST(check_counts_cards_and_a_cloze_note_makes_one_per_number)
{
    ck_assert_int_eq(check(sample), 0);
    /* basic 1 + cloze c1 and c2 (c1 twice is one card) + choice 1 */
    ck_assert_uint_eq(last->added, 4);
    ck_assert_uint_eq(last->error_count, 0);
    ck_assert_str_eq(last->errors, "");
    ck_assert_str_eq(last->deck_name, "Therapeutic alliance");
    ck_assert_int_eq(last->deck_id, 0);
}
END_TEST

START_TEST(export_writes_the_canonical_form)
{
    alliance__deck deck;
    parse_ok(&deck, sample);
    char *text = canonical(&deck);
    ck_assert_str_eq(text,
                     "deck: Therapeutic alliance\n"
                     "description: Exam preparation.\n"
                     "source: a.txt | Article A\n"
                     "source: b.txt | Article B\n"
                     "\n"
                     "card: basic-1\n"
                     "type: basic\n"
                     "front: What is the key?\n"
                     "back: Strengths\n"
                     "  and resilience.\n"
                     "tags: strengths resilience\n"
                     "source: a.txt\n"
                     "quote: The answer lies in focusing on strengths.\n"
                     "\n"
                     "card: cloze-1\n"
                     "type: cloze\n"
                     "text: Not about {{c1::strict rules}} but {{c2::warmth::a feeling}} and {{c1::protocols}}.\n"
                     "extra: Trust fosters change.\n"
                     "\n"
                     "card: choice-1\n"
                     "type: choice\n"
                     "question: What should a social worker allow for?\n"
                     "answer: Openness to the client's ideas\n"
                     "wrong: Strict adherence to theoretical frameworks\n"
                     "wrong: Prescribing medication\n");
    /* The canonical form is a fixed point. */
    alliance__deck again;
    parse_ok(&again, text);
    char *text2 = canonical(&again);
    ck_assert_str_eq(text2, text);
    alliance__free(text);
    alliance__free(text2);
    alliance__deck_free(&deck);
    alliance__deck_free(&again);
}
END_TEST

START_TEST(continuation_lines_join_with_newlines_and_skip_comments)
{
    alliance__deck deck;
    parse_ok(&deck, HEADER "card: a\ntype: basic\nfront: one\n\ttwo  \n# not part of it\n   three\nback: b\n");
    ck_assert_str_eq(alliance__note_str(&deck, &deck.notes[0], ALLIANCE__F_FRONT), "one\ntwo\nthree");
    alliance__deck_free(&deck);
}
END_TEST

START_TEST(blank_only_lines_end_a_block)
{
    /* A line of blanks between two cards is a separator, not a continuation. */
    ck_assert_int_eq(check(HEADER "card: a\ntype: basic\nfront: f\nback: b\n \t \ncard: b\ntype: basic\nfront: f\nback: b\n"), 0);
    ck_assert_uint_eq(last->added, 2);
}
END_TEST

START_TEST(a_hash_inside_a_value_is_text)
{
    alliance__deck deck;
    parse_ok(&deck, HEADER "card: a\ntype: basic\nfront: C# and #1\nback: b # c\n");
    ck_assert_str_eq(alliance__note_str(&deck, &deck.notes[0], ALLIANCE__F_FRONT), "C# and #1");
    ck_assert_str_eq(alliance__note_str(&deck, &deck.notes[0], ALLIANCE__F_BACK), "b # c");
    alliance__deck_free(&deck);
}
END_TEST

START_TEST(ids_are_case_sensitive)
{
    ck_assert_int_eq(check(HEADER "card: A1\ntype: basic\nfront: f\nback: b\n\ncard: a1\ntype: basic\nfront: f\nback: b\n"), 0);
    ck_assert_uint_eq(last->added, 2);
}
END_TEST

/* ---- BOM and CRLF ---- */

START_TEST(bom_and_crlf_read_like_plain_lf)
{
    static const char lf[] = HEADER "card: a\ntype: basic\nfront: one\n  two\nback: b\n";
    static const char crlf[] = "\xEF\xBB\xBF" "deck: D\r\n\r\ncard: a\r\ntype: basic\r\nfront: one\r\n  two\r\nback: b\r\n";
    alliance__deck x, y;
    parse_ok(&x, lf);
    parse_ok(&y, crlf);
    char *a = canonical(&x), *b = canonical(&y);
    ck_assert_str_eq(a, b);
    ck_assert_str_eq(alliance__note_str(&y, &y.notes[0], ALLIANCE__F_FRONT), "one\ntwo");
    alliance__free(a);
    alliance__free(b);
    alliance__deck_free(&x);
    alliance__deck_free(&y);
}
END_TEST

START_TEST(columns_count_from_after_the_bom)
{
    ck_assert_int_eq(check("\xEF\xBB\xBF" "deck: D\n\ncard: a\x01b\ntype: basic\nfront: f\nback: b\n"), ALLIANCE_EPARSE);
    ck_assert_str_eq(last->errors, "t.deck:3:8: invalid card id: a control character\n");
}
END_TEST

START_TEST(a_bom_elsewhere_is_text)
{
    alliance__deck deck;
    parse_ok(&deck, HEADER "card: a\ntype: basic\nfront: \xEF\xBB\xBFx\nback: b\n");
    ck_assert_str_eq(alliance__note_str(&deck, &deck.notes[0], ALLIANCE__F_FRONT), "\xEF\xBB\xBFx");
    alliance__deck_free(&deck);
}
END_TEST

/* ---- malformed inputs: the first error, exactly ---- */

typedef struct bad_case {
    const char *what;
    const char *input;
    size_t len;          /* 0: strlen(input) */
    int rc;
    const char *first;   /* the first line of the errors, without its '\n' */
} bad_case;

#define CARD "card: a\ntype: basic\n"

static const bad_case bad[] = {
    {"unknown key", HEADER CARD "frnot: x\nfront: f\nback: b\n", 0, ALLIANCE_EPARSE,
     "t.deck:5:1: unknown key 'frnot' in card 'a'"},
    {"unknown key in the header", "deck: D\nauthor: me\n", 0, ALLIANCE_EPARSE,
     "t.deck:2:1: unknown key 'author' in the deck header"},
    {"repeated key", HEADER CARD "front: x\nfront: y\nback: b\n", 0, ALLIANCE_EPARSE,
     "t.deck:6:1: repeated key 'front' in card 'a' (first on line 5)"},
    {"key of another type", HEADER CARD "front: f\nback: b\ntext: {{c1::x}}\n", 0, ALLIANCE_EPARSE,
     "t.deck:7:1: key 'text' does not belong to a basic card ('a')"},
    {"not a key line", HEADER CARD "Front: f\nback: b\n", 0, ALLIANCE_EPARSE,
     "t.deck:5:1: expected 'key: value' (a key is lower-case letters and '-' followed by ':')"},
    {"key without colon", HEADER CARD "front f\nback: b\n", 0, ALLIANCE_EPARSE,
     "t.deck:5:6: expected 'key: value' (a key is lower-case letters and '-' followed by ':')"},
    {"duplicate id", HEADER CARD "front: f\nback: b\n\n" CARD "front: g\nback: c\n", 0, ALLIANCE_EPARSE,
     "t.deck:8:7: duplicate card id 'a' (first on line 3)"},
    {"empty field", HEADER CARD "front:\nback: b\n", 0, ALLIANCE_EPARSE,
     "t.deck:5:7: empty value for 'front' in card 'a'"},
    {"empty optional field", HEADER CARD "front: f\nback: b\ntags:   \n", 0, ALLIANCE_EPARSE,
     "t.deck:7:6: empty value for 'tags' in card 'a'"},
    {"missing required field", HEADER CARD "front: f\n", 0, ALLIANCE_EPARSE,
     "t.deck:3:1: missing key 'back' in card 'a'"},
    {"missing type", HEADER "card: a\nfront: f\nback: b\n", 0, ALLIANCE_EPARSE,
     "t.deck:3:1: missing key 'type' in card 'a'"},
    {"unknown type", HEADER "card: a\ntype: flashcard\n", 0, ALLIANCE_EPARSE,
     "t.deck:4:7: unknown type 'flashcard' in card 'a' (basic, cloze or choice)"},
    {"cloze without a deletion", HEADER "card: c\ntype: cloze\ntext: no deletion here\n", 0, ALLIANCE_EPARSE,
     "t.deck:5:7: cloze text of card 'c' has no deletion {{c1::...}}"},
    {"malformed cloze: no '::'", HEADER "card: c\ntype: cloze\ntext: a {{c1:b}} c\n", 0, ALLIANCE_EPARSE,
     "t.deck:5:9: malformed cloze deletion: expected '::' after the deletion number in card 'c'"},
    {"malformed cloze: not closed", HEADER "card: c\ntype: cloze\ntext: a {{c1::b\n", 0, ALLIANCE_EPARSE,
     "t.deck:5:9: malformed cloze deletion: no closing '}}' in card 'c'"},
    {"malformed cloze: number 0, on a continued line", HEADER "card: c\ntype: cloze\ntext: first\n  and {{c0::x}}\n",
     0, ALLIANCE_EPARSE,
     "t.deck:6:7: malformed cloze deletion: expected 'c' and a number 1 to 99 after '{{' in card 'c'"},
    {"malformed cloze: number 100", HEADER "card: c\ntype: cloze\ntext: {{c100::x}}\n", 0, ALLIANCE_EPARSE,
     "t.deck:5:7: malformed cloze deletion: expected 'c' and a number 1 to 99 after '{{' in card 'c'"},
    {"malformed cloze: empty text", HEADER "card: c\ntype: cloze\ntext: {{c1::}}\n", 0, ALLIANCE_EPARSE,
     "t.deck:5:7: malformed cloze deletion: empty text in card 'c'"},
    {"malformed cloze: empty hint", HEADER "card: c\ntype: cloze\ntext: {{c1::x::}}\n", 0, ALLIANCE_EPARSE,
     "t.deck:5:7: malformed cloze deletion: empty hint in card 'c'"},
    {"malformed cloze: nested", HEADER "card: c\ntype: cloze\ntext: {{c1::a {{c2::b}} }}\n", 0, ALLIANCE_EPARSE,
     "t.deck:5:15: malformed cloze deletion: '{{' inside a deletion in card 'c'"},
    {"choice without wrong", HEADER "card: q\ntype: choice\nquestion: Q?\nanswer: A\n", 0, ALLIANCE_EPARSE,
     "t.deck:3:1: missing key 'wrong' in card 'q'"},
    {"choice with an empty wrong", HEADER "card: q\ntype: choice\nquestion: Q?\nanswer: A\nwrong: B\nwrong:\n", 0,
     ALLIANCE_EPARSE, "t.deck:8:7: empty value for 'wrong' in card 'q'"},
    {"wrong option equal to the answer", HEADER "card: q\ntype: choice\nquestion: Q?\nanswer: A\nwrong: B\nwrong: A\n",
     0, ALLIANCE_EPARSE, "t.deck:8:8: a 'wrong' option of card 'q' is the answer"},
    {"wrong option on two lines", HEADER "card: q\ntype: choice\nquestion: Q?\nanswer: A\nwrong: B\n  C\n", 0,
     ALLIANCE_EPARSE, "t.deck:7:8: a 'wrong' option is one line (card 'q')"},
    {"invalid UTF-8: lone lead byte", HEADER CARD "front: caf\xC3(\nback: b\n", 0, ALLIANCE_EPARSE,
     "t.deck:5:11: invalid UTF-8"},
    {"invalid UTF-8: overlong", HEADER CARD "front: \xC0\xAF\nback: b\n", 0, ALLIANCE_EPARSE,
     "t.deck:5:8: invalid UTF-8"},
    {"invalid UTF-8: surrogate", HEADER CARD "front: ab\xED\xA0\x80\nback: b\n", 0, ALLIANCE_EPARSE,
     "t.deck:5:10: invalid UTF-8"},
    {"invalid UTF-8: above U+10FFFF", HEADER CARD "front: \xF4\x90\x80\x80\nback: b\n", 0, ALLIANCE_EPARSE,
     "t.deck:5:8: invalid UTF-8"},
    {"invalid UTF-8: truncated at the end", HEADER CARD "front: f\nback: \xE2\x80", 0, ALLIANCE_EPARSE,
     "t.deck:6:7: invalid UTF-8"},
    {"NUL byte", HEADER CARD "front: a\0b\nback: b\n", sizeof(HEADER CARD "front: a\0b\nback: b\n") - 1,
     ALLIANCE_EPARSE, "t.deck:5:9: NUL byte"},
    {"continuation line at block start", HEADER "  indented\n", 0, ALLIANCE_EPARSE,
     "t.deck:3:1: a continuation line (starting with a blank) cannot start a block"},
    {"missing deck header", CARD "front: f\nback: b\n", 0, ALLIANCE_EPARSE,
     "t.deck:1:1: missing deck header: the first block must have 'deck:'"},
    {"empty file", "", 0, ALLIANCE_EPARSE, "t.deck:1:1: missing deck header: the file has no 'deck:' line"},
    {"only comments", "# nothing\n\n  # here\n", 0, ALLIANCE_EPARSE,
     "t.deck:1:1: missing deck header: the file has no 'deck:' line"},
    {"header without deck", "description: x\n", 0, ALLIANCE_EPARSE, "t.deck:1:1: missing key 'deck' in the deck header"},
    {"card block without card", HEADER "type: basic\ncard: a\n", 0, ALLIANCE_EPARSE,
     "t.deck:3:1: a card must start with 'card:', not 'type:'"},
    {"header source without title", "deck: D\nsource: a.txt\n", 0, ALLIANCE_EPARSE,
     "t.deck:2:9: a header source is one line: 'FILE | TITLE'"},
    {"header source listed twice", "deck: D\nsource: a.txt | A\nsource: a.txt | B\n", 0, ALLIANCE_EPARSE,
     "t.deck:3:9: source 'a.txt' is listed twice in the deck header"},
    {"source not in header", HEADER CARD "front: f\nback: b\nsource: nope.txt\n", 0, ALLIANCE_EPARSE,
     "t.deck:7:9: source 'nope.txt' of card 'a' is not listed in the deck header"},
    {"quote without source", HEADER CARD "front: f\nback: b\nquote: words\n", 0, ALLIANCE_EPARSE,
     "t.deck:7:8: quote without source in card 'a'"},
    {"bad id: a control character", HEADER "card: a\x7f b\ntype: basic\nfront: f\nback: b\n", 0, ALLIANCE_EPARSE,
     "t.deck:3:8: invalid card id: a control character"},
    {"bad id: '::'", HEADER "card: x::c1\ntype: basic\nfront: f\nback: b\n", 0, ALLIANCE_EPARSE,
     "t.deck:3:8: invalid card id: '::' is reserved for the cards of a cloze note"},
    {"bad id: a C1 control character", HEADER "card: caf\xC2\x85\ntype: basic\nfront: f\nback: b\n", 0, ALLIANCE_EPARSE,
     "t.deck:3:10: invalid card id: a control character"},
    {"an id of any UTF-8 text (an Anki GUID) is fine", HEADER "card: caf\xC3\xA9 a/b\"[]\ntype: basic\nfront: f\nback: b\n",
     0, 0, NULL},
    {"a continued line starting with '#' is a comment, so a value cannot hold one", HEADER CARD
     "front: f\nback: b\n  # comment\n", 0, 0, NULL},
};

START_TEST(each_malformed_input_names_its_line_and_column)
{
    const bad_case *c = &bad[_i];
    size_t len = c->len ? c->len : strlen(c->input);
    int rc = check_len(c->input, len);
    ck_assert_msg(rc == c->rc, "%s: rc %d, expected %d (%s)", c->what, rc, c->rc, last ? last->errors : "");
    ck_assert_ptr_nonnull(last);
    if (!c->first) {
        ck_assert_uint_eq(last->error_count, 0);
        return;
    }
    ck_assert_uint_ge(last->error_count, 1);
    const char *nl = strchr(last->errors, '\n');
    ck_assert_ptr_nonnull(nl);
    size_t n = (size_t)(nl - last->errors);
    ck_assert_msg(n == strlen(c->first) && memcmp(last->errors, c->first, n) == 0, "%s:\n  got      %.*s\n  expected %s",
                  c->what, (int)n, last->errors, c->first);
    ck_assert_uint_eq(last->added, 0);
}
END_TEST

START_TEST(a_long_invalid_id_is_reported_at_its_129th_byte)
{
    char input[512];
    char id[200];
    memset(id, 'x', 129);
    id[129] = '\0';
    snprintf(input, sizeof input, HEADER "card: %s\ntype: basic\nfront: f\nback: b\n", id);
    ck_assert_int_eq(check(input), ALLIANCE_EPARSE);
    ck_assert_msg(strncmp(last->errors, "t.deck:3:135: invalid card id: longer than 128 bytes\n", 53) == 0, "%s",
                  last->errors);
    id[128] = '\0';
    snprintf(input, sizeof input, HEADER "card: %s\ntype: basic\nfront: f\nback: b\n", id);
    ck_assert_int_eq(check(input), 0);
}
END_TEST

START_TEST(errors_are_all_counted_and_the_first_twenty_shown)
{
    alliance__buf in = {0};
    alliance__buf_puts(&in, HEADER);
    for (int i = 0; i < 25; i++)
        alliance__buf_printf(&in, "card: c%d\ntype: nope\n\n", i);
    ck_assert_int_eq(check(in.data), ALLIANCE_EPARSE);
    ck_assert_uint_eq(last->error_count, 25);
    unsigned lines = 0;
    for (const char *p = last->errors; *p; p++)
        lines += *p == '\n';
    ck_assert_uint_eq(lines, 20);
    ck_assert_ptr_nonnull(strstr(last->errors, "t.deck:4:7: unknown type 'nope' in card 'c0'"));
    alliance__buf_free(&in);
}
END_TEST

START_TEST(parsing_goes_on_after_an_error)
{
    ck_assert_int_eq(check(HEADER CARD "frnot: x\nfront: f\nback: b\n\ncard: b\ntype: basic\nfront:\nback: b\n"),
                     ALLIANCE_EPARSE);
    ck_assert_uint_eq(last->error_count, 2);
    ck_assert_str_eq(last->errors, "t.deck:5:1: unknown key 'frnot' in card 'a'\n"
                                   "t.deck:11:7: empty value for 'front' in card 'b'\n");
}
END_TEST

START_TEST(check_refuses_bad_arguments)
{
    alliance_import_report *r = NULL;
    ck_assert_int_eq(alliance_deck_check("x", NULL, 3, ALLIANCE_FORMAT_DECK, &r), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_deck_check("x", "deck: D\n", 8, 99, &r), ALLIANCE_EINVAL);
    ck_assert_ptr_null(r);
    /* The report is optional. */
    ck_assert_int_eq(alliance_deck_check("x", "deck: D\n", 8, ALLIANCE_FORMAT_DECK, NULL), 0);
    ck_assert_int_eq(alliance_deck_check(NULL, "", 0, ALLIANCE_FORMAT_DECK, NULL), ALLIANCE_EPARSE);
}
END_TEST

/* ---- limits: exactly at and one over ---- */

/* A card whose front is a value of exactly `size` bytes built from lines of 1000 bytes. */
static char *card_with_value_of(size_t size, size_t *out_len)
{
    alliance__buf in = {0};
    alliance__buf_puts(&in, HEADER CARD "front: ");
    size_t left = size;
    int first = 1;
    while (left > 0) {
        if (!first) {
            alliance__buf_puts(&in, "\n  ");
            left--; /* the joining '\n' counts */
        }
        size_t n = left < 1000 ? left : 1000;
        char chunk[1000];
        memset(chunk, 'v', n);
        alliance__buf_append(&in, chunk, n);
        left -= n;
        first = 0;
    }
    alliance__buf_puts(&in, "\nback: b\n");
    *out_len = in.len;
    return in.data;
}

START_TEST(a_value_of_exactly_one_mebibyte_is_accepted)
{
    size_t len;
    char *in = card_with_value_of(ALLIANCE__DECK_VALUE_MAX, &len);
    ck_assert_int_eq(check_len(in, len), 0);
    alliance__free(in);
}
END_TEST

START_TEST(a_value_one_byte_over_is_refused)
{
    size_t len;
    char *in = card_with_value_of(ALLIANCE__DECK_VALUE_MAX + 1, &len);
    ck_assert_int_eq(check_len(in, len), ALLIANCE_ELIMIT);
    /* 1000-byte lines: the value reaches 1 MiB + 1 on the 1048th line of it (line 1052). */
    ck_assert_str_eq(last->errors, "t.deck:1052:3: the value of 'front' is over 1 MiB\n");
    alliance__free(in);
}
END_TEST

static char *long_comment_line(size_t n, size_t *out_len)
{
    size_t len = strlen(HEADER) + n + 1;
    char *in = malloc(len + 1);
    memcpy(in, HEADER, strlen(HEADER));
    memset(in + strlen(HEADER), 'c', n);
    in[strlen(HEADER)] = '#';
    in[len - 1] = '\n';
    in[len] = '\0';
    *out_len = len;
    return in;
}

START_TEST(a_line_of_exactly_one_mebibyte_is_accepted_and_one_more_byte_is_not)
{
    size_t len;
    char *in = long_comment_line(ALLIANCE__DECK_VALUE_MAX, &len);
    ck_assert_int_eq(check_len(in, len), 0);
    free(in);
    in = long_comment_line(ALLIANCE__DECK_VALUE_MAX + 1, &len);
    ck_assert_int_eq(check_len(in, len), ALLIANCE_ELIMIT);
    ck_assert_str_eq(last->errors, "t.deck:3:1048577: the line is over 1 MiB\n");
    free(in);
}
END_TEST

static char *choice_with_wrongs(int n)
{
    alliance__buf in = {0};
    alliance__buf_puts(&in, HEADER "card: q\ntype: choice\nquestion: Q?\nanswer: A\n");
    for (int i = 0; i < n; i++)
        alliance__buf_printf(&in, "wrong: W%d\n", i);
    return in.data;
}

START_TEST(sixteen_wrong_options_are_accepted_seventeen_are_not)
{
    char *in = choice_with_wrongs(16);
    ck_assert_int_eq(check(in), 0);
    alliance__free(in);
    in = choice_with_wrongs(17);
    ck_assert_int_eq(check(in), ALLIANCE_ELIMIT);
    ck_assert_str_eq(last->errors, "t.deck:23:1: more than 16 'wrong' options in card 'q'\n");
    alliance__free(in);
}
END_TEST

static char *header_with_sources(int n)
{
    alliance__buf in = {0};
    alliance__buf_puts(&in, "deck: D\n");
    for (int i = 0; i < n; i++)
        alliance__buf_printf(&in, "source: s%d.txt | Source %d\n", i, i);
    return in.data;
}

START_TEST(two_hundred_fifty_six_sources_are_accepted_257_are_not)
{
    char *in = header_with_sources(256);
    ck_assert_int_eq(check(in), 0);
    alliance__free(in);
    in = header_with_sources(257);
    ck_assert_int_eq(check(in), ALLIANCE_ELIMIT);
    ck_assert_str_eq(last->errors, "t.deck:258:1: more than 256 sources in the deck header\n");
    alliance__free(in);
}
END_TEST

/* A file of `size` bytes: a header, then comment lines. */
static char *file_of(size_t size)
{
    char *in = malloc(size);
    memcpy(in, "deck: D\n", 8);
    size_t pos = 8;
    while (pos < size) {
        size_t n = size - pos < 60000 ? size - pos : 60000;
        memset(in + pos, 'x', n);
        in[pos] = '#';
        in[pos + n - 1] = '\n';
        pos += n;
    }
    return in;
}

START_TEST(a_file_of_exactly_64_mebibytes_is_accepted_and_one_byte_more_is_not)
{
    char *in = file_of(ALLIANCE__DECK_FILE_MAX + 1);
    ck_assert_int_eq(check_len(in, ALLIANCE__DECK_FILE_MAX), 0);
    ck_assert_int_eq(check_len(in, ALLIANCE__DECK_FILE_MAX + 1), ALLIANCE_ELIMIT);
    ck_assert_str_eq(last->errors, "t.deck:1:1: the file is over 64 MiB (67108865 bytes)\n");
    free(in);
}
END_TEST

static char *many_cards(uint32_t n, size_t *out_len)
{
    alliance__buf in = {0};
    alliance__buf_puts(&in, "deck: D\n");
    char card[64];
    for (uint32_t i = 0; i < n; i++) {
        int len = snprintf(card, sizeof card, "\ncard: %u\ntype: basic\nfront: f\nback: b\n", (unsigned)i);
        alliance__buf_append(&in, card, (size_t)len);
    }
    *out_len = in.len;
    return in.data;
}

START_TEST(a_million_cards_are_accepted_and_one_more_is_not)
{
    size_t len;
    char *in = many_cards(ALLIANCE__DECK_CARDS_MAX + 1, &len);
    const char *last_card = strstr(in + len - 64, "\ncard: 1000000\n");
    ck_assert_ptr_nonnull(last_card);
    ck_assert_int_eq(check_len(in, (size_t)(last_card - in)), 0);
    ck_assert_uint_eq(last->added, ALLIANCE__DECK_CARDS_MAX);
    ck_assert_int_eq(check_len(in, len), ALLIANCE_ELIMIT);
    /* header line 1, then 5 lines per card: card number 1000000 starts on line 5000003. */
    ck_assert_str_eq(last->errors, "t.deck:5000003:1: more than 1000000 cards in the deck\n");
    alliance__free(in);
}
END_TEST

/* A value ending in '\r' (a line "front: A?\r\r\n") would be written back before "\n", where
 * it reads as a CRLF line end: import -> export -> import would change it. A CR that does not
 * end a line is refused where it is (docs/deck-format.md). */
START_TEST(a_carriage_return_inside_a_line_is_refused_at_its_position)
{
    static const char f1[] = "deck: D\n\ncard: a\ntype: basic\nfront: A?\r\r\nback: A.\n";
    ck_assert_int_eq(check(f1), ALLIANCE_EPARSE);
    ck_assert_str_eq(last->errors, "t.deck:5:10: a carriage return (CR) that does not end the line\n");
}
END_TEST

static Suite *deck_format_suite(void)
{
    Suite *s = suite_create("deck_format");
    TCase *tc = tcase_create("read");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, every_card_type_is_read);
    tcase_add_test(tc, check_counts_cards_and_a_cloze_note_makes_one_per_number);
    tcase_add_test(tc, export_writes_the_canonical_form);
    tcase_add_test(tc, continuation_lines_join_with_newlines_and_skip_comments);
    tcase_add_test(tc, blank_only_lines_end_a_block);
    tcase_add_test(tc, a_hash_inside_a_value_is_text);
    tcase_add_test(tc, ids_are_case_sensitive);
    tcase_add_test(tc, bom_and_crlf_read_like_plain_lf);
    tcase_add_test(tc, a_carriage_return_inside_a_line_is_refused_at_its_position);
    tcase_add_test(tc, columns_count_from_after_the_bom);
    tcase_add_test(tc, a_bom_elsewhere_is_text);
    suite_add_tcase(s, tc);

    TCase *errors = tcase_create("errors");
    tcase_add_checked_fixture(errors, NULL, teardown);
    tcase_add_loop_test(errors, each_malformed_input_names_its_line_and_column, 0, (int)(sizeof bad / sizeof bad[0]));
    tcase_add_test(errors, a_long_invalid_id_is_reported_at_its_129th_byte);
    tcase_add_test(errors, errors_are_all_counted_and_the_first_twenty_shown);
    tcase_add_test(errors, parsing_goes_on_after_an_error);
    tcase_add_test(errors, check_refuses_bad_arguments);
    suite_add_tcase(s, errors);

    TCase *limits = tcase_create("limits");
    tcase_add_checked_fixture(limits, NULL, teardown);
    tcase_set_timeout(limits, 300);
    tcase_add_test(limits, a_value_of_exactly_one_mebibyte_is_accepted);
    tcase_add_test(limits, a_value_one_byte_over_is_refused);
    tcase_add_test(limits, a_line_of_exactly_one_mebibyte_is_accepted_and_one_more_byte_is_not);
    tcase_add_test(limits, sixteen_wrong_options_are_accepted_seventeen_are_not);
    tcase_add_test(limits, two_hundred_fifty_six_sources_are_accepted_257_are_not);
    tcase_add_test(limits, a_file_of_exactly_64_mebibytes_is_accepted_and_one_byte_more_is_not);
    tcase_add_test(limits, a_million_cards_are_accepted_and_one_more_is_not);
    suite_add_tcase(s, limits);
    return s;
}

int main(void)
{
    return alliance_test_run(deck_format_suite());
}
