/* SPDX-License-Identifier: MIT */
/* render: alliance_card_render shows every card type the one documented way - basic front/back,
 * cloze hidden/revealed with its extra, choice options in a reproducible shuffle. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A card as the library hands it out, built by hand (render is pure: it needs no collection). */
static alliance_card make_card(uint32_t type, const char *id, const char *front, const char *back,
                               const char *wrong, uint32_t ordinal)
{
    alliance_card card;
    memset(&card, 0, sizeof card);
    card.version = 1;
    card.type = type;
    card.id = id;
    card.note_id = id;
    card.ordinal = ordinal;
    card.front = front;
    card.back = back;
    card.wrong = wrong;
    card.tags = "";
    card.source_file = "";
    card.source_quote = "";
    return card;
}

static alliance_rendered_card *render(const alliance_card *card, uint32_t flags, uint64_t seed)
{
    alliance_render_options options = ALLIANCE_RENDER_OPTIONS_INIT;
    options.flags = flags;
    options.seed = seed;
    alliance_rendered_card *r = NULL;
    int rc = alliance_card_render(&r, card, &options);
    ck_assert_msg(rc == ALLIANCE_OK, "render %s: %d %s", card->id, rc, alliance_strerror(rc));
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(r->version, 1);
    ck_assert_uint_eq(r->type, card->type);
    return r;
}

/* The options of a rendered choice card joined by '|', into buf. */
static const char *joined(const alliance_rendered_card *r, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (uint32_t i = 0; i < r->option_count && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? "|" : "", r->options[i]);
    return buf;
}

START_TEST(a_basic_card_shows_its_front_then_its_back)
{
    alliance_card card = make_card(ALLIANCE_CARD_BASIC, "b1", "What is SM-2?", "A scheduler.", "", 0);
    alliance_rendered_card *r = render(&card, 0, 0);
    ck_assert_str_eq(r->prompt, "What is SM-2?");
    ck_assert_str_eq(r->answer, "A scheduler.");
    ck_assert_str_eq(r->extra, "");
    ck_assert_uint_eq(r->option_count, 0);
    ck_assert_uint_eq(r->correct_option, 0);
    ck_assert_ptr_null(r->options);
    alliance_free(r);
}
END_TEST

START_TEST(a_cloze_card_hides_only_its_own_deletion_and_reveals_it_with_the_extra)
{
    const char *text = "The {{c1::alliance}} is {{c2::pivotal::an adjective}} and {{c1::shared}}.";
    alliance_card c1 = make_card(ALLIANCE_CARD_CLOZE, "n::c1", text, "from article 0", "", 1);
    alliance_rendered_card *r = render(&c1, 0, 0);
    ck_assert_str_eq(r->prompt, "The [...] is pivotal and [...].");
    ck_assert_str_eq(r->answer, "The alliance is pivotal and shared.");
    ck_assert_str_eq(r->extra, "from article 0");
    ck_assert_uint_eq(r->option_count, 0);
    ck_assert_ptr_null(r->options);
    alliance_free(r);

    alliance_card c2 = make_card(ALLIANCE_CARD_CLOZE, "n::c2", text, "", "", 2);
    r = render(&c2, 0, 0);
    ck_assert_str_eq(r->prompt, "The alliance is [an adjective] and shared.");
    ck_assert_str_eq(r->answer, "The alliance is pivotal and shared.");
    ck_assert_str_eq(r->extra, "");
    alliance_free(r);
}
END_TEST

START_TEST(a_choice_card_offers_the_answer_and_every_wrong_option_once)
{
    alliance_card card = make_card(ALLIANCE_CARD_CHOICE, "ch1", "Which one?", "Right", "Wrong A\nWrong B\n\nWrong C", 0);
    alliance_rendered_card *r = render(&card, 0, 0);
    ck_assert_str_eq(r->prompt, "Which one?");
    ck_assert_str_eq(r->answer, "Right");
    ck_assert_str_eq(r->extra, "");
    ck_assert_uint_eq(r->option_count, 4); /* the empty line is not an option */
    ck_assert_uint_lt(r->correct_option, 4);
    ck_assert_str_eq(r->options[r->correct_option], "Right");
    const char *expected[] = {"Right", "Wrong A", "Wrong B", "Wrong C"};
    for (size_t e = 0; e < 4; e++) {
        int seen = 0;
        for (uint32_t i = 0; i < r->option_count; i++)
            seen += strcmp(r->options[i], expected[e]) == 0;
        ck_assert_msg(seen == 1, "option '%s' shown %d times", expected[e], seen);
    }
    alliance_free(r);
}
END_TEST

START_TEST(keep_order_shows_the_authors_order_with_the_answer_first)
{
    alliance_card card = make_card(ALLIANCE_CARD_CHOICE, "ch1", "Which one?", "Right", "Wrong A\nWrong B\nWrong C", 0);
    alliance_rendered_card *r = render(&card, ALLIANCE_RENDER_KEEP_ORDER, 12345);
    char buf[256];
    ck_assert_str_eq(joined(r, buf, sizeof buf), "Right|Wrong A|Wrong B|Wrong C");
    ck_assert_uint_eq(r->correct_option, 0);
    alliance_free(r);
}
END_TEST

/* The shuffle is part of the contract (alliance.h): FNV-1a 64 of the id XOR the seed drives
 * splitmix64 and a Fisher-Yates shuffle. These orders are pinned (computed from that text by
 * a separate Python implementation, not by this library): a change breaks every app that
 * stores or compares what it showed. */
START_TEST(the_shuffle_is_pinned_for_a_given_card_and_seed)
{
    alliance_card card = make_card(ALLIANCE_CARD_CHOICE, "working-alliance-allow", "Q?", "A", "B\nC\nD", 0);
    static const struct {
        uint64_t seed;
        const char *order;
    } pinned[] = {
        {0, "D|C|A|B"},
        {1, "C|B|D|A"},
        {UINT64_C(0xDEADBEEF), "D|A|B|C"},
    };
    for (size_t i = 0; i < sizeof pinned / sizeof pinned[0]; i++) {
        alliance_rendered_card *r = render(&card, 0, pinned[i].seed);
        char buf[64];
        ck_assert_msg(strcmp(joined(r, buf, sizeof buf), pinned[i].order) == 0, "seed %llu: %s, pinned %s",
                      (unsigned long long)pinned[i].seed, buf, pinned[i].order);
        ck_assert_str_eq(r->options[r->correct_option], "A");
        alliance_free(r);
    }
}
END_TEST

START_TEST(the_same_card_and_seed_always_give_the_same_order_and_seeds_vary_it)
{
    alliance_card card = make_card(ALLIANCE_CARD_CHOICE, "q-7", "Q?", "A", "B\nC\nD\nE", 0);
    char first[64], again[64];
    alliance_rendered_card *r = render(&card, 0, 42);
    joined(r, first, sizeof first);
    alliance_free(r);
    r = render(&card, 0, 42);
    ck_assert_str_eq(joined(r, again, sizeof again), first);
    alliance_free(r);
    /* Over 16 seeds the answer lands in more than one place. */
    unsigned places = 0;
    for (uint64_t seed = 0; seed < 16; seed++) {
        r = render(&card, 0, seed);
        places |= 1u << r->correct_option;
        alliance_free(r);
    }
    ck_assert_msg((places & (places - 1)) != 0, "the answer was always at the same place");
}
END_TEST

START_TEST(bad_arguments_are_refused_and_out_is_left_alone)
{
    alliance_card card = make_card(ALLIANCE_CARD_BASIC, "b1", "front", "back", "", 0);
    alliance_rendered_card *sentinel = (alliance_rendered_card *)&card, *out = sentinel;
    alliance_render_options options = ALLIANCE_RENDER_OPTIONS_INIT;

    ck_assert_int_eq(alliance_card_render(NULL, &card, NULL), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_card_render(&out, NULL, NULL), ALLIANCE_EINVAL);
    options.flags = 0x80000000u;
    ck_assert_int_eq(alliance_card_render(&out, &card, &options), ALLIANCE_EINVAL);
    options.flags = 0;
    options.version = ALLIANCE_RENDER_OPTIONS_VERSION + 1;
    ck_assert_int_eq(alliance_card_render(&out, &card, &options), ALLIANCE_EVERSION);
    options.version = 0;
    ck_assert_int_eq(alliance_card_render(&out, &card, &options), ALLIANCE_EVERSION);

    alliance_card unknown = make_card(7, "x", "front", "back", "", 0);
    ck_assert_int_eq(alliance_card_render(&out, &unknown, NULL), ALLIANCE_EINVAL);
    /* A cloze card whose text lacks its own deletion (or is malformed) has nothing to hide. */
    alliance_card missing = make_card(ALLIANCE_CARD_CLOZE, "n::c3", "A {{c1::b}}.", "", "", 3);
    ck_assert_int_eq(alliance_card_render(&out, &missing, NULL), ALLIANCE_EINVAL);
    alliance_card malformed = make_card(ALLIANCE_CARD_CLOZE, "n::c1", "A {{c1::b}", "", "", 1);
    ck_assert_int_eq(alliance_card_render(&out, &malformed, NULL), ALLIANCE_EINVAL);
    alliance_card no_front = make_card(ALLIANCE_CARD_BASIC, "b2", NULL, "back", "", 0);
    ck_assert_int_eq(alliance_card_render(&out, &no_front, NULL), ALLIANCE_EINVAL);
    ck_assert_ptr_eq(out, sentinel);
}
END_TEST

START_TEST(null_options_mean_the_defaults)
{
    alliance_card card = make_card(ALLIANCE_CARD_CHOICE, "ch9", "Q?", "A", "B\nC", 0);
    alliance_rendered_card *with_null = NULL;
    ck_assert_int_eq(alliance_card_render(&with_null, &card, NULL), ALLIANCE_OK);
    alliance_rendered_card *with_defaults = render(&card, 0, 0);
    char a[64], b[64];
    ck_assert_str_eq(joined(with_null, a, sizeof a), joined(with_defaults, b, sizeof b));
    alliance_free(with_null);
    alliance_free(with_defaults);
}
END_TEST

START_TEST(render_options_init_writes_the_macros_values)
{
    alliance_render_options options;
    memset(&options, 0xab, sizeof options);
    ck_assert_int_eq(alliance_render_options_init(&options, ALLIANCE_RENDER_OPTIONS_VERSION), ALLIANCE_OK);
    alliance_render_options macro = ALLIANCE_RENDER_OPTIONS_INIT;
    ck_assert_uint_eq(options.version, macro.version);
    ck_assert_uint_eq(options.flags, macro.flags);
    ck_assert_uint_eq(options.seed, macro.seed);
    ck_assert_int_eq(alliance_render_options_init(NULL, ALLIANCE_RENDER_OPTIONS_VERSION), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_render_options_init(&options, 2), ALLIANCE_EVERSION);
}
END_TEST

/* Every card of the bundled deck, through a collection, as an app would show it: nothing of
 * the deck syntax leaks to the learner, and each choice card offers its answer. */
START_TEST(every_card_of_the_bundled_deck_renders_without_markup)
{
    alliance_db *db = NULL;
    alliance_open_options open_options = ALLIANCE_OPEN_OPTIONS_INIT;
    open_options.utc_offset_seconds = 0;
    ck_assert_int_eq(alliance_open(&db, ":memory:", &open_options), ALLIANCE_OK);
    int rc = alliance_deck_import(db, ALLIANCE_SOURCE_DIR "/decks/therapeutic-alliance.deck", NULL,
                                  ALLIANCE_TEST_NOW, NULL);
    ck_assert_msg(rc == ALLIANCE_OK, "import: %s", alliance_errmsg(db));
    alliance_card_iter *iter = NULL;
    ck_assert_int_eq(alliance_card_search(&iter, db, 0, NULL), ALLIANCE_OK);
    alliance_card *card = NULL;
    unsigned cards = 0, by_type[4] = {0};
    while ((rc = alliance_card_iter_next(iter, &card)) == ALLIANCE_OK) {
        alliance_rendered_card *r = render(card, 0, 0);
        cards++;
        by_type[card->type]++;
        ck_assert_msg(*r->prompt && *r->answer, "%s: an empty prompt or answer", card->id);
        ck_assert_msg(!strstr(r->prompt, "{{") && !strstr(r->answer, "{{"), "%s: cloze markup shown", card->id);
        if (card->type == ALLIANCE_CARD_CLOZE) {
            ck_assert_msg(strstr(r->prompt, "[") != NULL, "%s: nothing hidden in '%s'", card->id, r->prompt);
            ck_assert_msg(strcmp(r->prompt, r->answer) != 0, "%s: the prompt gives the answer", card->id);
        }
        if (card->type == ALLIANCE_CARD_CHOICE) {
            ck_assert_uint_ge(r->option_count, 2);
            ck_assert_str_eq(r->options[r->correct_option], card->back);
        } else {
            ck_assert_uint_eq(r->option_count, 0);
        }
        alliance_free(r);
        alliance_free(card);
    }
    ck_assert_int_eq(rc, ALLIANCE_DONE);
    alliance_card_iter_free(iter);
    alliance_close(db);
    ck_assert_uint_gt(cards, 0);
    ck_assert_msg(by_type[ALLIANCE_CARD_BASIC] && by_type[ALLIANCE_CARD_CLOZE] && by_type[ALLIANCE_CARD_CHOICE],
                  "the bundled deck should hold every card type (%u basic, %u cloze, %u choice)",
                  by_type[ALLIANCE_CARD_BASIC], by_type[ALLIANCE_CARD_CLOZE], by_type[ALLIANCE_CARD_CHOICE]);
}
END_TEST

START_TEST(html_fields_render_as_text_only_when_asked)
{
    alliance_card card = make_card(ALLIANCE_CARD_BASIC, "h1", "What is <b>SM-2</b>?&nbsp;<img src=\"x.png\">",
                                   "<ul><li>a scheduler</li><li>from 1990</li></ul>[sound:a.mp3]", "", 0);
    alliance_render_options options = ALLIANCE_RENDER_OPTIONS_INIT;
    alliance_rendered_card *r = NULL;

    /* Without the flag a field is shown exactly as stored. */
    ck_assert_int_eq(alliance_card_render(&r, &card, &options), 0);
    ck_assert_str_eq(r->prompt, card.front);
    alliance_free(r);

    options.flags = ALLIANCE_RENDER_HTML_TEXT;
    ck_assert_int_eq(alliance_card_render(&r, &card, &options), 0);
    ck_assert_str_eq(r->prompt, "What is SM-2? [image]"); /* &nbsp; is a blank on a terminal */
    ck_assert_msg(strstr(r->answer, "- a scheduler") && strstr(r->answer, "- from 1990") &&
                  strstr(r->answer, "[sound]") && !strchr(r->answer, '<'), "answer: '%s'", r->answer);
    alliance_free(r);

    options.flags = ALLIANCE_RENDER_HTML_TEXT | ALLIANCE_RENDER_HTML_SGR;
    ck_assert_int_eq(alliance_card_render(&r, &card, &options), 0);
    ck_assert_msg(strstr(r->prompt, "\x1b[1mSM-2\x1b[") != NULL, "prompt: '%s'", r->prompt);
    alliance_free(r);

    /* A field without markup is text, whatever the flag: "a < b" stays as it is. */
    alliance_card plain = make_card(ALLIANCE_CARD_BASIC, "h2", "Is a < b & c?", "yes", "", 0);
    ck_assert_int_eq(alliance_card_render(&r, &plain, &options), 0);
    ck_assert_str_eq(r->prompt, "Is a < b & c?");
    alliance_free(r);
}
END_TEST

static Suite *render_suite(void)
{
    Suite *s = suite_create("render");
    TCase *tc = tcase_create("render");
    tcase_add_test(tc, a_basic_card_shows_its_front_then_its_back);
    tcase_add_test(tc, a_cloze_card_hides_only_its_own_deletion_and_reveals_it_with_the_extra);
    tcase_add_test(tc, a_choice_card_offers_the_answer_and_every_wrong_option_once);
    tcase_add_test(tc, keep_order_shows_the_authors_order_with_the_answer_first);
    tcase_add_test(tc, the_shuffle_is_pinned_for_a_given_card_and_seed);
    tcase_add_test(tc, the_same_card_and_seed_always_give_the_same_order_and_seeds_vary_it);
    tcase_add_test(tc, bad_arguments_are_refused_and_out_is_left_alone);
    tcase_add_test(tc, null_options_mean_the_defaults);
    tcase_add_test(tc, render_options_init_writes_the_macros_values);
    tcase_add_test(tc, every_card_of_the_bundled_deck_renders_without_markup);
    tcase_add_test(tc, html_fields_render_as_text_only_when_asked);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(render_suite());
}
