/* SPDX-License-Identifier: MIT */
/* lint: alliance_deck_lint warns a deck author about cards that are hard to learn from,
 * says where (file:line:column, card id) and what, with a pinned code; a clean deck gets none. */
#include "testutil.h"

#include "deck/deck.h"
#include "deck/deck_parse.h"
#include "deck/lint_similar.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Six unrelated cards: enough words that each is rare in the deck. */
#define BACKGROUND                                                                                       \
    "card: bg-1\ntype: basic\nfront: Which river flows through Cairo?\nback: The Nile.\n\n"                \
    "card: bg-2\ntype: basic\nfront: What colour do you get mixing blue and yellow?\nback: Green.\n\n"     \
    "card: bg-3\ntype: cloze\ntext: Water boils at {{c1::one hundred}} degrees Celsius at sea level.\n\n" \
    "card: bg-4\ntype: choice\nquestion: Which planet is known as the red planet?\nanswer: Mars\n"       \
    "wrong: Venus\nwrong: Jupiter\nwrong: Saturn\n\n"                                                    \
    "card: bg-5\ntype: basic\nfront: Who wrote the play Hamlet?\nback: William Shakespeare.\n\n"         \
    "card: bg-6\ntype: basic\nfront: How many legs does a spider have?\nback: Eight.\n\n"

static const char header[] = "deck: Lint\nsource: a.txt | The First Article: On Trust\n\n";

static alliance_lint_report *report;

static void teardown(void)
{
    alliance_free(report);
    report = NULL;
}

/* Lints header + cards with the default options (or `options`); returns the code. */
static int lint_with(const char *cards, const alliance_lint_options *options)
{
    alliance_free(report);
    report = NULL;
    size_t len = strlen(header) + strlen(cards);
    char *text = malloc(len + 1);
    ck_assert_ptr_nonnull(text);
    snprintf(text, len + 1, "%s%s", header, cards);
    int rc = alliance_deck_lint("t.deck", text, len, options, &report);
    free(text);
    return rc;
}

static void lint_ok(const char *cards)
{
    ck_assert_int_eq(lint_with(cards, NULL), ALLIANCE_OK);
    ck_assert_ptr_nonnull(report);
}

/* The only warning with this code (there must be exactly one). */
static const alliance_lint_warning *only(uint32_t code)
{
    const alliance_lint_warning *found = NULL;
    for (uint32_t i = 0; i < report->warning_count; i++) {
        if (report->warnings[i]->code != code)
            continue;
        ck_assert_msg(found == NULL, "more than one warning %u:\n%s", code, report->text);
        found = report->warnings[i];
    }
    ck_assert_msg(found != NULL, "no warning %u in:\n%s", code, report->text);
    return found;
}

static uint32_t count_code(uint32_t code)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < report->warning_count; i++)
        n += report->warnings[i]->code == code;
    return n;
}

/* The line where a card written right after BACKGROUND starts. */
static uint32_t after_background(void)
{
    static const char before[] = "deck: Lint\nsource: a.txt | The First Article: On Trust\n\n" BACKGROUND;
    uint32_t line = 1;
    for (const char *p = before; *p; p++)
        line += *p == '\n';
    return line;
}
#define AFTER_BACKGROUND after_background()

START_TEST(a_clean_deck_has_no_warning)
{
    lint_ok(BACKGROUND);
    ck_assert_uint_eq(report->version, 1);
    ck_assert_uint_eq(report->note_count, 6);
    ck_assert_uint_eq(report->warning_count, 0);
    ck_assert_str_eq(report->text, "");
    ck_assert_uint_eq(report->error_count, 0);
    ck_assert_str_eq(report->errors, "");
}
END_TEST

START_TEST(a_near_duplicate_names_both_cards_and_points_at_the_later_prompt)
{
    lint_ok(BACKGROUND "card: trust-1\ntype: basic\nfront: What do clients need before they open up about their "
                       "fears?\nback: Trust in the social worker.\n\n"
                       "card: trust-2\ntype: basic\nfront: Before clients open up about their fears, what do "
                       "they need?\nback: They need trust in their social worker.\n");
    const alliance_lint_warning *w = only(ALLIANCE_LINT_NEAR_DUPLICATE);
    ck_assert_uint_eq(w->version, 1);
    ck_assert_str_eq(w->name, "near-duplicate");
    ck_assert_str_eq(w->note_id, "trust-2");
    ck_assert_str_eq(w->other_id, "trust-1");
    ck_assert_uint_eq(w->line, AFTER_BACKGROUND + 7);
    ck_assert_uint_eq(w->column, 8); /* "front: " */
    char expected[128];
    snprintf(expected, sizeof expected, "t.deck:%u:8: warning: card 'trust-2' asks nearly what card 'trust-1'",
             (unsigned)(AFTER_BACKGROUND + 7));
    ck_assert_msg(strncmp(w->message, expected, strlen(expected)) == 0, "%s", w->message);
    ck_assert_ptr_nonnull(strstr(w->message, "[near-duplicate]"));
    ck_assert_int_eq(strcmp(report->text + strlen(report->text) - 1, "\n"), 0);
}
END_TEST

START_TEST(the_threshold_is_an_option_and_different_facts_stay_apart)
{
    const char *cards = BACKGROUND "card: trust-1\ntype: basic\nfront: What do clients need before they open up "
                                   "about their fears?\nback: Trust in the social worker.\n\n"
                                   "card: trust-2\ntype: basic\nfront: Before clients open up about their fears, "
                                   "what do they need?\nback: They need trust in their social worker.\n\n"
                                   "card: other\ntype: basic\nfront: What does a client with a strong support "
                                   "network gain?\nback: Resilience.\n";
    alliance_lint_options options;
    ck_assert_int_eq(alliance_lint_options_init(&options, ALLIANCE_LINT_OPTIONS_VERSION), ALLIANCE_OK);
    ck_assert_uint_eq(options.similarity_milli, 300);
    ck_assert_int_eq(lint_with(cards, &options), ALLIANCE_OK);
    ck_assert_uint_eq(count_code(ALLIANCE_LINT_NEAR_DUPLICATE), 1); /* 'other' is a different fact */
    options.similarity_milli = 1000;
    ck_assert_int_eq(lint_with(cards, &options), ALLIANCE_OK);
    ck_assert_uint_eq(count_code(ALLIANCE_LINT_NEAR_DUPLICATE), 0);
    options.similarity_milli = 0;
    ck_assert_int_eq(lint_with(cards, &options), ALLIANCE_EINVAL);
    options.similarity_milli = 1001;
    ck_assert_int_eq(lint_with(cards, &options), ALLIANCE_EINVAL);
}
END_TEST

START_TEST(choice_cards_sharing_two_wrong_options_are_the_same_question_twice)
{
    lint_ok(BACKGROUND "card: key\ntype: choice\nquestion: What is the key to a strong bond?\n"
                       "answer: Focusing on the client's strengths\nwrong: Imposing strict rules\n"
                       "wrong: Relying on assessments\nwrong: Meeting outside sessions\n\n"
                       "card: core\ntype: choice\nquestion: Which perspective sits at the centre?\n"
                       "answer: A strengths-based perspective\nwrong: Imposing strict rules\n"
                       "wrong: Dwelling on problems\nwrong: relying on assessments.\n");
    const alliance_lint_warning *w = only(ALLIANCE_LINT_NEAR_DUPLICATE);
    ck_assert_str_eq(w->note_id, "core");
    ck_assert_str_eq(w->other_id, "key");
    ck_assert_uint_eq(w->line, AFTER_BACKGROUND + 10);
    ck_assert_ptr_nonnull(strstr(w->message, "'Imposing strict rules' and 'relying on assessments.'"));
}
END_TEST

START_TEST(sharing_wrong_options_is_fine_when_the_answers_differ)
{
    lint_ok(BACKGROUND "card: q1\ntype: choice\nquestion: Which drink is made from beans?\nanswer: Coffee\n"
                       "wrong: Milk\nwrong: Lemonade\nwrong: Water\n\n"
                       "card: q2\ntype: choice\nquestion: Which hot drink comes from leaves?\nanswer: Tea\n"
                       "wrong: Milk\nwrong: Lemonade\nwrong: Cider\n");
    ck_assert_uint_eq(count_code(ALLIANCE_LINT_NEAR_DUPLICATE), 0);
}
END_TEST

START_TEST(a_cloze_blank_that_is_another_cards_answer_is_found_at_its_deletion)
{
    lint_ok(BACKGROUND "card: emphasis\ntype: basic\nfront: What does client-centred practice emphasize?\n"
                       "back: Collaboration.\n\n"
                       "card: ground\ntype: cloze\ntext: Positive relationships are fertile ground for\n"
                       "  {{c1::collaboration}} between worker and client.\n");
    const alliance_lint_warning *w = only(ALLIANCE_LINT_BLANK_IS_ANSWER);
    ck_assert_str_eq(w->name, "blank-is-answer");
    ck_assert_str_eq(w->note_id, "ground");
    ck_assert_str_eq(w->other_id, "emphasis");
    /* On the continuation line, where "{{" is, after two blanks. */
    ck_assert_uint_eq(w->line, AFTER_BACKGROUND + 8);
    ck_assert_uint_eq(w->column, 3);
    ck_assert_ptr_nonnull(strstr(w->message, "deletion c1 of card 'ground' hides what card 'emphasis'"));
}
END_TEST

START_TEST(two_clozes_hiding_the_same_words_are_reported_once_at_the_later)
{
    lint_ok(BACKGROUND "card: c-a\ntype: cloze\ntext: Without the connection, {{c1::communication}} stutters.\n\n"
                       "card: c-b\ntype: cloze\ntext: Sharing thoughts opens a channel for {{c2::communication}} "
                       "with the worker.\n");
    const alliance_lint_warning *w = only(ALLIANCE_LINT_BLANK_IS_ANSWER);
    ck_assert_str_eq(w->note_id, "c-b");
    ck_assert_str_eq(w->other_id, "c-a::c1");
    ck_assert_ptr_nonnull(strstr(w->message, "deletion c2 of card 'c-b'"));
}
END_TEST

START_TEST(a_blank_that_is_only_part_of_a_common_answer_is_fine)
{
    lint_ok(BACKGROUND "card: willing\ntype: basic\nfront: What most shapes the relationship with a client?\n"
                       "back: The client's willingness to engage in treatment.\n\n"
                       "card: cl\ntype: cloze\ntext: A good {{c1::client}} relationship takes time.\n");
    ck_assert_uint_eq(count_code(ALLIANCE_LINT_BLANK_IS_ANSWER), 0);
}
END_TEST

START_TEST(a_choice_card_needs_three_wrong_options)
{
    lint_ok(BACKGROUND "card: two\ntype: choice\nquestion: Which is a primary colour?\nanswer: Red\n"
                       "wrong: Purple\nwrong: Orange\n");
    const alliance_lint_warning *w = only(ALLIANCE_LINT_FEW_WRONG);
    ck_assert_str_eq(w->name, "few-wrong-options");
    ck_assert_str_eq(w->note_id, "two");
    ck_assert_uint_eq(w->line, AFTER_BACKGROUND);
    ck_assert_uint_eq(w->column, 1);
    ck_assert_ptr_nonnull(strstr(w->message, "has 2 wrong options"));
    lint_ok(BACKGROUND "card: three\ntype: choice\nquestion: Which is a primary colour?\nanswer: Red\n"
                       "wrong: Purple\nwrong: Orange\nwrong: Green\n");
    ck_assert_uint_eq(report->warning_count, 0);
}
END_TEST

START_TEST(an_option_offered_twice_is_found_in_any_case_or_word_order)
{
    lint_ok(BACKGROUND "card: meds\ntype: choice\nquestion: Which is outside a social worker's core role?\n"
                       "answer: Prescribing medication\nwrong: Building trust\nwrong: Listening actively\n"
                       "wrong: medication, prescribing\n\n"
                       "card: case\ntype: choice\nquestion: Which city is the capital of France?\nanswer: Paris\n"
                       "wrong: Lyon\nwrong: Nice\nwrong: lyon.\n");
    ck_assert_uint_eq(count_code(ALLIANCE_LINT_SAME_OPTION), 2);
    const alliance_lint_warning *w = report->warnings[0];
    ck_assert_uint_eq(w->code, ALLIANCE_LINT_SAME_OPTION);
    ck_assert_str_eq(w->name, "same-option");
    ck_assert_str_eq(w->note_id, "meds");
    ck_assert_uint_eq(w->line, AFTER_BACKGROUND + 6); /* the third wrong: line */
    ck_assert_uint_eq(w->column, 8);
    ck_assert_ptr_nonnull(strstr(w->message, "'Prescribing medication' and 'medication, prescribing'"));
    ck_assert_str_eq(report->warnings[1]->note_id, "case");
}
END_TEST

START_TEST(a_prompt_that_says_the_article_must_name_it)
{
    lint_ok(BACKGROUND "card: vague\ntype: basic\nfront: What does the article call the relationship?\n"
                       "back: Pivotal.\n\n"
                       "card: named\ntype: basic\nfront: What does the article \"The First Article\" stress?\n"
                       "back: Trust.\n\n"
                       "card: short\ntype: basic\nfront: In the article The First Article, what counts?\n"
                       "back: Listening.\n\n"
                       "card: plural\ntype: basic\nfront: What do all the articles agree on?\nback: Empathy.\n\n"
                       "card: wrapped\ntype: cloze\ntext: As this\n  Article puts it, {{c1::warmth}} fosters "
                       "change.\n");
    ck_assert_uint_eq(count_code(ALLIANCE_LINT_UNNAMED_ARTICLE), 2);
    const alliance_lint_warning *w = report->warnings[0];
    ck_assert_str_eq(w->name, "unnamed-article");
    ck_assert_str_eq(w->note_id, "vague");
    ck_assert_uint_eq(w->line, AFTER_BACKGROUND + 2);
    ck_assert_uint_eq(w->column, 18); /* "front: What does " */
    w = report->warnings[1];
    ck_assert_str_eq(w->note_id, "wrapped");
    ck_assert_uint_eq(w->line, AFTER_BACKGROUND + 22);
    ck_assert_uint_eq(w->column, 10); /* "text: As " */
}
END_TEST

/* ---- quotes against the source files ---- */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static const char *sources_dir(void)
{
    static char dir[4096];
    snprintf(dir, sizeof dir, "%s", alliance_test_path("sources"));
    mkdir(dir, 0700);
    char path[4200];
    snprintf(path, sizeof path, "%s/a.txt", dir);
    write_file(path, "The First Article: On Trust\n\nTrust \xE2\x80\x94 it\xE2\x80\x99s   built\nslowly, "
                     "session by session.\n");
    return dir;
}

static const char quoted_cards[] =
    "card: q-ok\ntype: basic\nfront: How is trust built?\nback: Slowly.\nsource: a.txt\n"
    "quote: it's built slowly, session by session.\n\n"
    "card: q-bad\ntype: basic\nfront: How fast is trust built?\nback: Quickly.\nsource: a.txt\n"
    "quote: it's built quickly\n";

START_TEST(a_quote_is_checked_verbatim_against_its_source)
{
    alliance_lint_options options = ALLIANCE_LINT_OPTIONS_INIT;
    ck_assert_int_eq(lint_with(quoted_cards, &options), ALLIANCE_OK);
    ck_assert_uint_eq(report->warning_count, 0); /* no sources_dir: quotes are not checked */
    options.sources_dir = sources_dir();
    ck_assert_int_eq(lint_with(quoted_cards, &options), ALLIANCE_OK);
    const alliance_lint_warning *w = only(ALLIANCE_LINT_QUOTE_NOT_FOUND);
    ck_assert_str_eq(w->name, "quote-not-found");
    ck_assert_str_eq(w->note_id, "q-bad");
    ck_assert_uint_eq(w->line, 16);
    ck_assert_uint_eq(w->column, 8);
    ck_assert_ptr_nonnull(strstr(w->message, "is not in a.txt"));
}
END_TEST

START_TEST(an_unreadable_source_is_said_once)
{
    alliance_lint_options options = ALLIANCE_LINT_OPTIONS_INIT;
    options.sources_dir = alliance_test_path("no-such-folder");
    ck_assert_int_eq(lint_with(quoted_cards, &options), ALLIANCE_OK);
    const alliance_lint_warning *w = only(ALLIANCE_LINT_SOURCE_UNREADABLE);
    ck_assert_str_eq(w->name, "source-unreadable");
    ck_assert_str_eq(w->note_id, "q-ok");
    ck_assert_uint_eq(w->line, 8); /* its source: line */
    ck_assert_ptr_nonnull(strstr(w->message, "a.txt"));
    ck_assert_uint_eq(count_code(ALLIANCE_LINT_QUOTE_NOT_FOUND), 0);
}
END_TEST

START_TEST(a_source_name_that_leaves_the_folder_is_not_read)
{
    alliance_lint_options options = ALLIANCE_LINT_OPTIONS_INIT;
    options.sources_dir = sources_dir();
    static const char deck[] = "deck: Escape\nsource: ../sources/a.txt | Up and back\n\n"
                               "card: e\ntype: basic\nfront: f\nback: b\nsource: ../sources/a.txt\n"
                               "quote: it's built slowly\n";
    ck_assert_int_eq(alliance_deck_lint("e.deck", deck, strlen(deck), &options, &report), ALLIANCE_OK);
    const alliance_lint_warning *w = only(ALLIANCE_LINT_SOURCE_UNREADABLE);
    ck_assert_ptr_nonnull(strstr(w->message, "leaves the sources folder"));
}
END_TEST

/* ---- the API's edges ---- */

START_TEST(a_deck_with_errors_reports_them_and_nothing_else)
{
    static const char bad[] = "deck: Bad\n\ncard: x\ntype: basic\nfront: f\n";
    ck_assert_int_eq(alliance_deck_lint("bad.deck", bad, strlen(bad), NULL, &report), ALLIANCE_EPARSE);
    ck_assert_ptr_nonnull(report);
    ck_assert_uint_eq(report->error_count, 1);
    ck_assert_ptr_nonnull(strstr(report->errors, "bad.deck:3:1: "));
    ck_assert_uint_eq(report->note_count, 0);
    ck_assert_uint_eq(report->warning_count, 0);
    ck_assert_str_eq(report->text, "");
}
END_TEST

START_TEST(bad_arguments_change_nothing)
{
    alliance_lint_report *untouched = (alliance_lint_report *)&report;
    alliance_lint_report *out = untouched;
    alliance_lint_options options = ALLIANCE_LINT_OPTIONS_INIT;
    ck_assert_int_eq(alliance_deck_lint("x", NULL, 3, NULL, &out), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_deck_lint("x", "", 0, NULL, NULL), ALLIANCE_EINVAL);
    options.format = 99;
    ck_assert_int_eq(alliance_deck_lint("x", "", 0, &options, &out), ALLIANCE_EINVAL);
    options = (alliance_lint_options)ALLIANCE_LINT_OPTIONS_INIT;
    options.version = 2;
    ck_assert_int_eq(alliance_deck_lint("x", "", 0, &options, &out), ALLIANCE_EVERSION);
    ck_assert_ptr_eq(out, untouched);
    ck_assert_int_eq(alliance_lint_options_init(&options, 2), ALLIANCE_EVERSION);
    ck_assert_int_eq(alliance_lint_options_init(NULL, ALLIANCE_LINT_OPTIONS_VERSION), ALLIANCE_EINVAL);
}
END_TEST

START_TEST(an_anki_text_file_is_linted_by_line)
{
    static const char anki[] = "#separator:tab\n#html:false\n#guid column:1\n#notetype column:2\n#deck:Anki\n"
                               "n1\tBasic\tWho wrote the play Hamlet?\tWilliam Shakespeare.\n"
                               "n2\tBasic\tWhich river flows through Cairo?\tThe Nile.\n"
                               "n3\tBasic\tThe play Hamlet: who wrote it?\tShakespeare wrote Hamlet.\n"
                               "n4\tBasic\tHow many legs does a spider have?\tEight.\n";
    alliance_lint_options options = ALLIANCE_LINT_OPTIONS_INIT;
    options.format = ALLIANCE_FORMAT_ANKI_TEXT;
    ck_assert_int_eq(alliance_deck_lint("n.txt", anki, strlen(anki), &options, &report), ALLIANCE_OK);
    const alliance_lint_warning *w = only(ALLIANCE_LINT_NEAR_DUPLICATE);
    ck_assert_str_eq(w->note_id, "n3");
    ck_assert_str_eq(w->other_id, "n1");
    ck_assert_uint_eq(w->line, 8);
    ck_assert_uint_eq(w->column, 1);
}
END_TEST

START_TEST(warnings_come_in_file_order)
{
    lint_ok(BACKGROUND "card: z-late\ntype: choice\nquestion: According to the article, which is red?\n"
                       "answer: Blood\nwrong: Grass\n");
    ck_assert_uint_eq(report->warning_count, 2);
    ck_assert_uint_eq(report->warnings[0]->code, ALLIANCE_LINT_FEW_WRONG);   /* the card: line */
    ck_assert_uint_eq(report->warnings[1]->code, ALLIANCE_LINT_UNNAMED_ARTICLE); /* the line after */
    ck_assert_uint_lt(report->warnings[0]->line, report->warnings[1]->line);
}
END_TEST

/* ---- the comparisons' work budget ---- */

static uint32_t incomplete_at = UINT32_MAX;
static char incomplete_what[32];

static int no_hit(void *ctx, uint32_t a, uint32_t b, uint32_t c)
{
    (void)ctx, (void)a, (void)b, (void)c;
    return 0;
}
static int no_shared(void *ctx, uint32_t a, uint32_t b, const char *c, const char *d)
{
    (void)ctx, (void)a, (void)b, (void)c, (void)d;
    return 0;
}
static int no_blank(void *ctx, uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e)
{
    (void)ctx, (void)a, (void)b, (void)c, (void)d, (void)e;
    return 0;
}
static int on_incomplete(void *ctx, uint32_t note, const char *what)
{
    (void)ctx;
    if (incomplete_at == UINT32_MAX) {
        incomplete_at = note;
        snprintf(incomplete_what, sizeof incomplete_what, "%s", what);
    }
    return 0;
}

START_TEST(the_search_stops_at_its_budget_and_says_where)
{
    /* A hundred copies of one card: every pair is similar, the work grows with the square. */
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    fputs("deck: Copies\n", f);
    for (int i = 0; i < 100; i++)
        fprintf(f, "\ncard: c%03d\ntype: basic\nfront: What fosters real change?\nback: Warmth and trust.\n", i);
    fclose(f);
    alliance__deck deck;
    alliance__deck_init(&deck, "copies.deck");
    ck_assert_int_eq(alliance__deck_parse(&deck, text, size), 0);
    alliance__words *words = NULL;
    ck_assert_int_eq(alliance__words_open(&words), 0);
    alliance__lint_similar_hooks hooks = {NULL, no_hit, no_shared, no_blank, on_incomplete};
    ck_assert_int_eq(alliance__lint_similar(&deck, words, "", 0, 0.3, 500, &hooks), 0);
    ck_assert_uint_gt(incomplete_at, 0);
    ck_assert_uint_lt(incomplete_at, 100);
    ck_assert_str_eq(incomplete_what, "near-duplicate");
    incomplete_at = UINT32_MAX;
    ck_assert_int_eq(alliance__lint_similar(&deck, words, "", 0, 0.3, 1000000, &hooks), 0);
    ck_assert_uint_eq(incomplete_at, UINT32_MAX);
    alliance__words_close(words);
    alliance__deck_free(&deck);
    free(text);
}
END_TEST

/* ---- the pruned search finds exactly what comparing every pair finds ---- */

typedef struct word_list {
    char words[32][16];
    int count;
} word_list;

static int keep_word(void *ctx, const char *stem, size_t len)
{
    word_list *l = ctx;
    for (int i = 0; i < l->count; i++)
        if (strlen(l->words[i]) == len && memcmp(l->words[i], stem, len) == 0)
            return 0;
    ck_assert_int_lt(l->count, 32);
    ck_assert_uint_lt(len, 16);
    memcpy(l->words[l->count], stem, len);
    l->words[l->count++][len] = '\0';
    return 0;
}

static uint32_t found_best[600];

static int record_best(void *ctx, uint32_t note, uint32_t other, uint32_t similarity_milli)
{
    (void)ctx, (void)similarity_milli;
    found_best[note] = other;
    return 0;
}

START_TEST(the_search_finds_exactly_what_comparing_every_pair_finds)
{
    /* 600 cards of 3 to 9 words drawn from vocabularies of 20, 60 and 200 words: many pairs
     * near the threshold, from every kind of word. */
    enum { NOTES = 600 };
    static const char letters[] = "bcdfghjklmnpqrstvz";
    uint32_t seed = 12345;
#define NEXT() (seed = seed * 1103515245u + 12345u, (seed >> 8) & 0xFFFF)
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    fputs("deck: Random\n", f);
    for (int i = 0; i < NOTES; i++) {
        fprintf(f, "\ncard: n%d\ntype: basic\nfront:", i);
        unsigned vocab = (unsigned[]){20, 60, 200}[NEXT() % 3], words = 3 + NEXT() % 7;
        for (unsigned w = 0; w < words + 2; w++) {
            unsigned k = NEXT() % vocab;
            if (w == words)
                fputs("\nback:", f);
            fprintf(f, " %c%c%co", letters[k % 18], letters[(k / 18) % 18], letters[(k / 324) % 18]);
        }
        fputc('\n', f);
    }
    fclose(f);
#undef NEXT
    alliance__deck deck;
    alliance__deck_init(&deck, "random.deck");
    ck_assert_int_eq(alliance__deck_parse(&deck, text, size), 0);
    ck_assert_uint_eq(deck.note_count, NOTES);
    alliance__words *words = NULL;
    ck_assert_int_eq(alliance__words_open(&words), 0);

    /* Every pair, by the documented measure. */
    static word_list sets[NOTES];
    memset(sets, 0, sizeof sets);
    for (uint32_t i = 0; i < NOTES; i++) {
        char joined[512];
        snprintf(joined, sizeof joined, "%s\n%s", alliance__note_str(&deck, &deck.notes[i], ALLIANCE__F_FRONT),
                 alliance__note_str(&deck, &deck.notes[i], ALLIANCE__F_BACK));
        ck_assert_int_eq(alliance__words_each(words, joined, strlen(joined), keep_word, &sets[i]), 0);
    }
    static double idf[NOTES][32], norm[NOTES];
    for (uint32_t i = 0; i < NOTES; i++) {
        norm[i] = 0;
        for (int a = 0; a < sets[i].count; a++) {
            unsigned df = 0;
            for (uint32_t j = 0; j < NOTES; j++)
                for (int b = 0; b < sets[j].count; b++)
                    df += strcmp(sets[i].words[a], sets[j].words[b]) == 0;
            idf[i][a] = log((NOTES + 1.0) / (df + 0.5));
            norm[i] += idf[i][a] * idf[i][a];
        }
        norm[i] = sqrt(norm[i]);
    }
    unsigned expected_pairs = 0, found_pairs = 0;
    for (uint32_t i = 0; i < NOTES; i++)
        found_best[i] = UINT32_MAX;
    alliance__lint_similar_hooks hooks = {NULL, record_best, no_shared, no_blank, on_incomplete};
    incomplete_at = UINT32_MAX;
    ck_assert_int_eq(alliance__lint_similar(&deck, words, "", 0, 0.3, 1000000000, &hooks), 0);
    ck_assert_uint_eq(incomplete_at, UINT32_MAX);
    for (uint32_t i = 0; i < NOTES; i++) {
        uint32_t best = UINT32_MAX;
        double best_sim = 0;
        for (uint32_t j = 0; j < i; j++) {
            double dot = 0;
            for (int a = 0; a < sets[i].count; a++)
                for (int b = 0; b < sets[j].count; b++)
                    if (strcmp(sets[i].words[a], sets[j].words[b]) == 0)
                        dot += idf[i][a] * idf[i][a];
            double sim = dot / (norm[i] * norm[j]);
            if (sim >= 0.3 && sim > best_sim + 1e-12) {
                best = j;
                best_sim = sim;
            }
        }
        expected_pairs += best != UINT32_MAX;
        found_pairs += found_best[i] != UINT32_MAX;
        ck_assert_msg(found_best[i] == best, "card n%u: the search says n%d, every pair says n%d", i,
                      (int)found_best[i], (int)best);
    }
    ck_assert_uint_gt(expected_pairs, 100); /* the deck does test something */
    ck_assert_uint_eq(found_pairs, expected_pairs);
    alliance__words_close(words);
    alliance__deck_free(&deck);
    free(text);
}
END_TEST

/* ---- the first edition of the bundled deck: the duplicates an independent review found ---- */

static int has(uint32_t code, const char *note, const char *other)
{
    for (uint32_t i = 0; i < report->warning_count; i++) {
        const alliance_lint_warning *w = report->warnings[i];
        if (w->code == code && strcmp(w->note_id, note) == 0 && strcmp(w->other_id, other) == 0)
            return 1;
    }
    return 0;
}

START_TEST(the_first_edition_shows_its_duplicates)
{
    size_t len = 0;
    char *text = alliance_test_read_file(ALLIANCE_TEST_DATA "/lint/first-edition.deck", &len);
    ck_assert_ptr_nonnull(text);
    ck_assert_int_eq(alliance_deck_lint("first-edition.deck", text, len, NULL, &report), ALLIANCE_OK);
    free(text);
    ck_assert_uint_eq(report->note_count, 106);
    /* The strengths key twice, with the same wrong options. */
    ck_assert(has(ALLIANCE_LINT_NEAR_DUPLICATE, "a0-strengths-core", "a0-strengths-key"));
    /* "Supported clients engage", asked again in the same article. */
    ck_assert(has(ALLIANCE_LINT_NEAR_DUPLICATE, "a1-empowerment-heart", "a1-supported-respected"));
    ck_assert(has(ALLIANCE_LINT_NEAR_DUPLICATE, "a3-engagement-requires", "a3-engagement-cornerstone"));
    ck_assert(has(ALLIANCE_LINT_NEAR_DUPLICATE, "a2-robust-bond", "a2-interventions"));
    ck_assert(has(ALLIANCE_LINT_NEAR_DUPLICATE, "a4-safe-space", "a2-bedrock-strategies"));
    /* Cloze blanks that are another card's answer. */
    ck_assert(has(ALLIANCE_LINT_BLANK_IS_ANSWER, "a4-fertile-ground", "a1-collaboration"));
    ck_assert(has(ALLIANCE_LINT_BLANK_IS_ANSWER, "a3-real-narrative", "a3-schizophrenia-influence"));
    ck_assert(has(ALLIANCE_LINT_BLANK_IS_ANSWER, "a2-trust-empathy-collab", "a2-core-role"));
    ck_assert(has(ALLIANCE_LINT_BLANK_IS_ANSWER, "a2-relationship-defined", "a0-relationship-pivotal"));
    /* The dance-partner card had one wrong option; "How does the article describe..." named none. */
    ck_assert(has(ALLIANCE_LINT_FEW_WRONG, "a1-dance-partner", ""));
    ck_assert(has(ALLIANCE_LINT_UNNAMED_ARTICLE, "a0-relationship-pivotal", ""));
}
END_TEST

static Suite *lint_suite(void)
{
    Suite *s = suite_create("lint");
    TCase *tc = tcase_create("lint");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, a_clean_deck_has_no_warning);
    tcase_add_test(tc, a_near_duplicate_names_both_cards_and_points_at_the_later_prompt);
    tcase_add_test(tc, the_threshold_is_an_option_and_different_facts_stay_apart);
    tcase_add_test(tc, choice_cards_sharing_two_wrong_options_are_the_same_question_twice);
    tcase_add_test(tc, sharing_wrong_options_is_fine_when_the_answers_differ);
    tcase_add_test(tc, a_cloze_blank_that_is_another_cards_answer_is_found_at_its_deletion);
    tcase_add_test(tc, two_clozes_hiding_the_same_words_are_reported_once_at_the_later);
    tcase_add_test(tc, a_blank_that_is_only_part_of_a_common_answer_is_fine);
    tcase_add_test(tc, a_choice_card_needs_three_wrong_options);
    tcase_add_test(tc, an_option_offered_twice_is_found_in_any_case_or_word_order);
    tcase_add_test(tc, a_prompt_that_says_the_article_must_name_it);
    tcase_add_test(tc, a_quote_is_checked_verbatim_against_its_source);
    tcase_add_test(tc, an_unreadable_source_is_said_once);
    tcase_add_test(tc, a_source_name_that_leaves_the_folder_is_not_read);
    tcase_add_test(tc, a_deck_with_errors_reports_them_and_nothing_else);
    tcase_add_test(tc, bad_arguments_change_nothing);
    tcase_add_test(tc, an_anki_text_file_is_linted_by_line);
    tcase_add_test(tc, warnings_come_in_file_order);
    tcase_add_test(tc, the_search_stops_at_its_budget_and_says_where);
    tcase_add_test(tc, the_search_finds_exactly_what_comparing_every_pair_finds);
    tcase_add_test(tc, the_first_edition_shows_its_duplicates);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(lint_suite());
}
