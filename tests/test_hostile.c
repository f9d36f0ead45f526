/* SPDX-License-Identifier: MIT */
/*
 * hostile: whatever text a card holds comes back byte for byte, or is refused
 * with a clear error that says where; it never reaches SQL as code, never
 * crashes the parser, and never splits or merges cards.
 */
#include "reliability.h"

#include <time.h>

#define NOW (ALLIANCE_TEST_NOW + ALLIANCE_TEST_DAY)

static alliance_db *db;
static int64_t deck;

static void open_fresh(void)
{
    alliance_open_options options = rel_options(ALLIANCE_SYNC_NORMAL);
    ck_assert_int_eq(alliance_open(&db, ":memory:", &options), 0);
    ck_assert_int_eq(alliance_deck_id(db, "hostile", 1, &deck), 0);
}

static void close_db(void)
{
    ck_assert_int_eq(alliance_close(db), 0);
    db = NULL;
}

static int add_basic(const char *id, const char *front, const char *back, const char *tags)
{
    alliance_note note;
    alliance_note_init(&note, ALLIANCE_NOTE_VERSION);
    note.type = ALLIANCE_CARD_BASIC;
    note.id = id;
    note.front = front;
    note.back = back;
    note.tags = tags;
    return alliance_note_add(db, deck, &note, NOW);
}

static alliance_card *get(const char *id)
{
    alliance_card *card = NULL;
    int rc = alliance_card_get(db, id, &card);
    ck_assert_msg(rc == 0, "card_get '%s': %d %s", id, rc, alliance_errmsg(db));
    return card;
}

static uint32_t total_cards(void)
{
    alliance_stats stats;
    alliance_stats_init(&stats, ALLIANCE_STATS_VERSION);
    ck_assert_int_eq(alliance_stats_get(db, 0, NOW, 30, &stats), 0);
    return stats.total;
}

static int import_text(const char *name, const char *text, size_t len, uint32_t format,
                       alliance_import_report **report)
{
    alliance_import_options options;
    alliance_import_options_init(&options, ALLIANCE_IMPORT_OPTIONS_VERSION);
    options.format = format;
    options.deck_name = "imported";
    return alliance_deck_import_buffer(db, name, text, len, &options, NOW, report);
}

/* The ids the search for `text` yields, blank-separated. */
static void search_ids(const char *text, char *out, size_t size)
{
    alliance_card_iter *iter = NULL;
    ck_assert_int_eq(alliance_card_search(&iter, db, 0, text), 0);
    alliance_card *card = NULL;
    size_t n = 0;
    out[0] = '\0';
    int rc;
    while ((rc = alliance_card_iter_next(iter, &card)) == 0) {
        n += (size_t)snprintf(out + n, size - n, "%s%s", n ? " " : "", card->id);
        alliance_free(card);
    }
    ck_assert_int_eq(rc, ALLIANCE_DONE);
    alliance_card_iter_free(iter);
}

/* ---- text that looks like SQL ---- */

static const char *const sql_fragments[] = {
    "'; DROP TABLE cards; --",
    "\"; DELETE FROM reviews; --",
    "Robert'); DROP TABLE decks;--",
    "1 OR 1=1",
    "%' OR '%'='",
    "x\\'; ATTACH DATABASE '/tmp/evil.db' AS evil; --",
};

START_TEST(sql_fragments_are_stored_as_text)
{
    open_fresh();
    for (size_t i = 0; i < sizeof sql_fragments / sizeof sql_fragments[0]; i++) {
        char id[16];
        snprintf(id, sizeof id, "sql-%zu", i);
        ck_assert_int_eq(add_basic(id, sql_fragments[i], sql_fragments[i], "tag'quote"), 0);
    }
    int64_t evil = 0;
    ck_assert_int_eq(alliance_deck_id(db, "'; DROP TABLE decks; --", 1, &evil), 0);
    char *name = NULL;
    ck_assert_int_eq(alliance_deck_name(db, evil, &name), 0);
    ck_assert_str_eq(name, "'; DROP TABLE decks; --");
    alliance_free(name);
    for (size_t i = 0; i < sizeof sql_fragments / sizeof sql_fragments[0]; i++) {
        char id[16];
        snprintf(id, sizeof id, "sql-%zu", i);
        alliance_card *card = get(id);
        ck_assert_str_eq(card->front, sql_fragments[i]);
        ck_assert_str_eq(card->back, sql_fragments[i]);
        ck_assert_str_eq(card->tags, "tag'quote");
        alliance_free(card);
    }
    ck_assert_uint_eq(total_cards(), 6);
    /* The search text is data too. */
    char ids[256];
    search_ids("'; DROP TABLE cards; --", ids, sizeof ids);
    ck_assert_str_eq(ids, "sql-0");
    ck_assert_uint_eq(total_cards(), 6);
    close_db();
}
END_TEST

START_TEST(search_wildcards_match_only_themselves)
{
    open_fresh();
    ck_assert_int_eq(add_basic("percent", "100% sure", "yes", NULL), 0);
    ck_assert_int_eq(add_basic("percentless", "100 sure", "no", NULL), 0);
    ck_assert_int_eq(add_basic("underscore", "snake_case", "yes", NULL), 0);
    ck_assert_int_eq(add_basic("nounderscore", "snakeXcase", "no", NULL), 0);
    ck_assert_int_eq(add_basic("backslash", "a\\b", "yes", NULL), 0);
    char ids[256];
    search_ids("%", ids, sizeof ids);
    ck_assert_str_eq(ids, "percent");
    search_ids("0% s", ids, sizeof ids);
    ck_assert_str_eq(ids, "percent");
    search_ids("snake_case", ids, sizeof ids);
    ck_assert_str_eq(ids, "underscore");
    search_ids("\\", ids, sizeof ids);
    ck_assert_str_eq(ids, "backslash");
    close_db();
}
END_TEST

/* ---- Unicode ---- */

static const char *const unicode_texts[] = {
    "\xf0\x9f\x98\x80 \xf0\x9d\x84\x9e \xf0\xa0\x9c\x8e",                      /* 4-byte UTF-8: emoji, G clef, CJK ext. B */
    "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xd8\xa7\xd9\x84\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a\xd8\xa9", /* Hebrew, Arabic */
    "abc \xe2\x80\xae" "cba \xe2\x80\xac done",                                 /* RIGHT-TO-LEFT OVERRIDE ... POP */
    "\xe2\x80\x8f\xe2\x80\x8e\xe2\x81\xa6isolate\xe2\x81\xa9",                 /* RLM, LRM, isolates */
    "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7", /* ZWJ family */
    "e\xcc\x81 vs \xc3\xa9",                                                    /* NFD and NFC: kept apart */
    "\xef\xbb\xbf" "BOM inside a value",
};

START_TEST(unicode_text_is_returned_byte_for_byte)
{
    open_fresh();
    size_t n = sizeof unicode_texts / sizeof unicode_texts[0];
    for (size_t i = 0; i < n; i++) {
        char id[16];
        snprintf(id, sizeof id, "u-%zu", i);
        ck_assert_int_eq(add_basic(id, unicode_texts[i], unicode_texts[n - 1 - i], unicode_texts[0]), 0);
    }
    for (size_t i = 0; i < n; i++) {
        char id[16];
        snprintf(id, sizeof id, "u-%zu", i);
        alliance_card *card = get(id);
        ck_assert_str_eq(card->front, unicode_texts[i]);
        ck_assert_str_eq(card->back, unicode_texts[n - 1 - i]);
        ck_assert_str_eq(card->tags, unicode_texts[0]);
        alliance_free(card);
    }
    close_db();
}
END_TEST

START_TEST(hostile_text_survives_a_deck_export_and_reimport)
{
    open_fresh();
    static const char deck_text[] =
        "deck: Hostile \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d\n"
        "\n"
        "card: h1\n"
        "type: basic\n"
        "front: '; DROP TABLE cards; -- \xf0\x9f\x98\x80\n"
        "back: abc \xe2\x80\xae" "cba \xe2\x80\xac | pipes | and # hashes\n"
        "  and a continuation line with {{braces}}\n"
        "\n"
        "card: h2\n"
        "type: cloze\n"
        "text: The {{c1::\xd8\xa7\xd9\x84\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a\xd8\xa9::\xf0\x9d\x84\x9e}} word\n"
        "\n"
        "card: h3\n"
        "type: choice\n"
        "question: \"quoted\" and 'single' and `back`?\n"
        "answer: \\n is not a newline\n"
        "wrong: %s %d %n\n"
        "wrong: \xe2\x80\x8f\n";
    alliance_import_report *report = NULL;
    int rc = import_text("hostile.deck", deck_text, sizeof deck_text - 1, ALLIANCE_FORMAT_DECK, &report);
    ck_assert_msg(rc == 0, "import: %d %s %s", rc, alliance_errmsg(db), report ? report->errors : "");
    ck_assert_uint_eq(report->added, 3);
    int64_t imported = report->deck_id;
    alliance_free(report);
    alliance_card *card = get("h1");
    ck_assert_str_eq(card->front, "'; DROP TABLE cards; -- \xf0\x9f\x98\x80");
    ck_assert_str_eq(card->back, "abc \xe2\x80\xae" "cba \xe2\x80\xac | pipes | and # hashes\n"
                                 "and a continuation line with {{braces}}");
    alliance_free(card);
    card = get("h3");
    ck_assert_str_eq(card->wrong, "%s %d %n\n\xe2\x80\x8f");
    alliance_free(card);

    for (uint32_t format = ALLIANCE_FORMAT_DECK; format <= ALLIANCE_FORMAT_ANKI_TEXT; format++) {
        const char *file = alliance_test_path(format == ALLIANCE_FORMAT_DECK ? "hostile-out.deck" : "hostile-out.txt");
        rc = alliance_deck_export_file(db, imported, format, file);
        ck_assert_msg(rc == 0, "export format %u: %d %s", format, rc, alliance_errmsg(db));
        size_t len = 0;
        char *text = alliance_test_read_file(file, &len);
        ck_assert_ptr_nonnull(text);
        rc = import_text(file, text, len, format, &report);
        ck_assert_msg(rc == 0, "reimport format %u: %d %s %s", format, rc, alliance_errmsg(db),
                      report ? report->errors : "");
        ck_assert_msg(report->added == 0 && report->updated == 0 && report->suspended == 0,
                      "format %u: reimporting the export changed something: +%u ~%u -%u\n%s", format,
                      report->added, report->updated, report->suspended, text);
        alliance_free(report);
        free(text);
    }
    close_db();
}
END_TEST

/* ---- sizes ---- */

static char *repeat_char(char c, size_t n)
{
    char *s = malloc(n + 1);
    ck_assert_ptr_nonnull(s);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

/* "front: " + the value on one line: docs/deck-format.md limits a line to 1 MiB too. */
static char *one_line_deck(size_t value_len, size_t *out_len)
{
    size_t cap = value_len + 128;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    size_t len = (size_t)snprintf(text, cap, "deck: Big values\n\ncard: big\ntype: basic\nfront: ");
    memset(text + len, 'x', value_len);
    len += value_len;
    len += (size_t)snprintf(text + len, cap - len, "\nback: b\n");
    *out_len = len;
    return text;
}

/* The value as `lines` continuation lines: joined with '\n', it is value_len bytes long. */
static char *continued_deck(size_t value_len, size_t lines, size_t *out_len)
{
    size_t cap = value_len + 2 * lines + 128;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    size_t len = (size_t)snprintf(text, cap, "deck: Big values\n\ncard: big\ntype: basic\nfront: ");
    size_t content = value_len - (lines - 1); /* the joining newlines count */
    for (size_t i = 0; i < lines; i++) {
        size_t n = content / lines + (i < content % lines ? 1 : 0);
        if (i > 0) {
            text[len++] = '\n';
            text[len++] = ' ';
        }
        memset(text + len, 'y', n);
        len += n;
    }
    len += (size_t)snprintf(text + len, cap - len, "\nback: b\n");
    *out_len = len;
    return text;
}

static size_t front_length(void)
{
    alliance_card *card = get("big");
    size_t n = strlen(card->front);
    alliance_free(card);
    return n;
}

START_TEST(values_and_lines_up_to_1_mib_are_kept_and_longer_ones_refused_with_their_place)
{
    open_fresh();
    const size_t mib = 1024 * 1024, prefix = strlen("front: ");
    alliance_import_report *report = NULL;
    size_t len = 0;

    /* A line of exactly 1 MiB is kept whole. */
    char *text = one_line_deck(mib - prefix, &len);
    int rc = import_text("big.deck", text, len, ALLIANCE_FORMAT_DECK, &report);
    ck_assert_msg(rc == 0, "a 1 MiB line: %d %s", rc, report ? report->errors : "");
    alliance_free(report);
    ck_assert_uint_eq(front_length(), mib - prefix);
    free(text);

    /* A value of exactly 1 MiB, over several lines, is kept whole. */
    text = continued_deck(mib, 16, &len);
    rc = import_text("big.deck", text, len, ALLIANCE_FORMAT_DECK, &report);
    ck_assert_msg(rc == 0, "a 1 MiB value: %d %s", rc, report ? report->errors : "");
    alliance_free(report);
    ck_assert_uint_eq(front_length(), mib);
    free(text);

    /* One byte more, either way: ALLIANCE_ELIMIT where it happens, and all or nothing. */
    text = one_line_deck(mib - prefix + 1, &len);
    rc = import_text("big.deck", text, len, ALLIANCE_FORMAT_DECK, &report);
    ck_assert_msg(rc == ALLIANCE_ELIMIT, "a line of 1 MiB + 1: %d", rc);
    ck_assert_msg(strncmp(report->errors, "big.deck:5:", 11) == 0, "not at line 5: %.200s", report->errors);
    alliance_free(report);
    free(text);
    text = continued_deck(mib + 1, 16, &len);
    rc = import_text("big.deck", text, len, ALLIANCE_FORMAT_DECK, &report);
    ck_assert_msg(rc == ALLIANCE_ELIMIT, "a value of 1 MiB + 1: %d", rc);
    /* Reported on the line where the joined value goes over: one of the value's 16 lines. */
    unsigned line = 0;
    ck_assert_msg(sscanf(report->errors, "big.deck:%u:", &line) == 1 && line >= 5 && line <= 20,
                  "not on the value's lines 5..20: %.200s", report->errors);
    alliance_free(report);
    free(text);
    ck_assert_uint_eq(front_length(), mib);
    close_db();
}
END_TEST

START_TEST(a_large_field_through_note_add_is_kept_or_refused_with_elimit)
{
    open_fresh();
    /* "front: " + a line must fit the deck format's 1 MiB line limit, or the export of what
     * was accepted would not read back (docs/deck-format.md, "Text"). */
    const size_t sizes[] = {1024 * 1024 - 7, 1024 * 1024, 4 * 1024 * 1024};
    for (size_t i = 0; i < 3; i++) {
        char *value = repeat_char((char)('a' + i), sizes[i]);
        if (i == 1) { /* exactly 1 MiB: kept before, though its export could not be read back */
            ck_assert_int_eq(add_basic("large-1", value, "b", NULL), ALLIANCE_ELIMIT);
            free(value);
            continue;
        }
        char id[16];
        snprintf(id, sizeof id, "large-%zu", i);
        int rc = add_basic(id, value, "b", NULL);
        if (rc == 0) {
            alliance_card *card = get(id);
            ck_assert_uint_eq(strlen(card->front), sizes[i]);
            ck_assert_int_eq(memcmp(card->front, value, sizes[i]), 0);
            alliance_free(card);
        } else {
            ck_assert_msg(rc == ALLIANCE_ELIMIT && i > 0, "a %zu-byte front: %d %s", sizes[i], rc,
                          alliance_errmsg(db));
            alliance_card *card = NULL;
            ck_assert_int_eq(alliance_card_get(db, id, &card), ALLIANCE_ENOTFOUND);
        }
        free(value);
    }
    close_db();
}
END_TEST

START_TEST(a_deck_of_100k_cards_imports_whole)
{
    long cards = rel_env_long("ALLIANCE_HOSTILE_DECK_CARDS", 100000);
    size_t cap = 64 + (size_t)cards * 96;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    size_t len = (size_t)snprintf(text, cap, "deck: Huge\n");
    for (long i = 0; i < cards; i++)
        len += (size_t)snprintf(text + len, cap - len, "\ncard: c%ld\ntype: basic\nfront: q%ld\nback: a%ld\n", i, i, i);
    open_fresh();
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    alliance_import_report *report = NULL;
    int rc = import_text("huge.deck", text, len, ALLIANCE_FORMAT_DECK, &report);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ck_assert_msg(rc == 0, "import of %ld cards: %d %s", cards, rc, report ? report->errors : alliance_errmsg(db));
    ck_assert_uint_eq(report->added, (uint32_t)cards);
    alliance_free(report);
    fprintf(stderr, "hostile: imported %ld cards (%zu bytes) in %.2f s\n", cards, len,
            (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    ck_assert_uint_eq(total_cards(), (uint32_t)cards);
    char last[32];
    snprintf(last, sizeof last, "c%ld", cards - 1);
    alliance_card *card = get(last);
    ck_assert_str_eq(card->back + 1, last + 1);
    alliance_free(card);
    /* Again: nothing changes. */
    rc = import_text("huge.deck", text, len, ALLIANCE_FORMAT_DECK, &report);
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(report->unchanged, (uint32_t)cards);
    ck_assert_uint_eq(report->added + report->updated + report->suspended, 0);
    alliance_free(report);
    free(text);
    close_db();
}
END_TEST

/* ---- ids ---- */

START_TEST(a_duplicate_id_is_refused_where_it_repeats_and_nothing_is_imported)
{
    open_fresh();
    static const char text[] =
        "deck: Dups\n"              /* 1 */
        "\n"                        /* 2 */
        "card: same\n"              /* 3 */
        "type: basic\n"             /* 4 */
        "front: first\n"            /* 5 */
        "back: b\n"                 /* 6 */
        "\n"                        /* 7 */
        "card: other\n"             /* 8 */
        "type: basic\n"             /* 9 */
        "front: f\n"                /* 10 */
        "back: b\n"                 /* 11 */
        "\n"                        /* 12 */
        "card: same\n"              /* 13 */
        "type: basic\n"
        "front: second\n"
        "back: b\n";
    alliance_import_report *report = NULL;
    int rc = import_text("dups.deck", text, sizeof text - 1, ALLIANCE_FORMAT_DECK, &report);
    ck_assert_int_eq(rc, ALLIANCE_EPARSE);
    ck_assert_msg(strncmp(report->errors, "dups.deck:13:", 13) == 0, "error not at line 13: %s", report->errors);
    ck_assert_ptr_nonnull(strstr(report->errors, "same"));
    alliance_free(report);
    ck_assert_uint_eq(total_cards(), 0);
    /* Through note_add, a taken id is ALLIANCE_EEXISTS, in any deck. */
    ck_assert_int_eq(add_basic("taken", "f", "b", NULL), 0);
    int64_t other = 0;
    ck_assert_int_eq(alliance_deck_id(db, "other deck", 1, &other), 0);
    alliance_note note;
    alliance_note_init(&note, ALLIANCE_NOTE_VERSION);
    note.type = ALLIANCE_CARD_BASIC;
    note.id = "taken";
    note.front = "f2";
    note.back = "b2";
    ck_assert_int_eq(alliance_note_add(db, other, &note, NOW), ALLIANCE_EEXISTS);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "taken"));
    alliance_card *card = get("taken");
    ck_assert_str_eq(card->front, "f");
    alliance_free(card);
    close_db();
}
END_TEST

START_TEST(ids_differing_only_in_case_are_two_cards)
{
    open_fresh();
    static const char text[] =
        "deck: Case\n\n"
        "card: Alliance\ntype: basic\nfront: upper\nback: b\n\n"
        "card: alliance\ntype: basic\nfront: lower\nback: b\n\n"
        "card: ALLIANCE\ntype: basic\nfront: shout\nback: b\n";
    alliance_import_report *report = NULL;
    int rc = import_text("case.deck", text, sizeof text - 1, ALLIANCE_FORMAT_DECK, &report);
    ck_assert_msg(rc == 0, "%d %s", rc, report ? report->errors : "");
    ck_assert_uint_eq(report->added, 3);
    alliance_free(report);
    alliance_card *card = get("Alliance");
    ck_assert_str_eq(card->front, "upper");
    ck_assert_str_eq(card->id, "Alliance");
    alliance_free(card);
    card = get("alliance");
    ck_assert_str_eq(card->front, "lower");
    alliance_free(card);
    card = get("ALLIANCE");
    ck_assert_str_eq(card->front, "shout");
    alliance_free(card);
    /* Answering one leaves the others alone. */
    ck_assert_int_eq(alliance_answer(db, "alliance", 5, NOW, 0, NULL), 0);
    card = get("Alliance");
    ck_assert_uint_eq(card->reviews, 0);
    alliance_free(card);
    ck_assert_int_eq(add_basic("aLLiance", "mixed", "b", NULL), 0);
    close_db();
}
END_TEST

START_TEST(ids_are_utf8_compared_as_bytes_and_control_characters_are_refused)
{
    open_fresh();
    /* "café" in NFC (U+00E9) and NFD (e + U+0301): any UTF-8 an Anki GUID holds is an id, and
     * ids are compared as bytes, so these are two cards (no normalisation merges them). */
    static const char both[] = "deck: N\n\ncard: caf\xc3\xa9\ntype: basic\nfront: f\nback: b\n\n"
                               "card: cafe\xcc\x81\ntype: basic\nfront: g\nback: c\n";
    alliance_import_report *report = NULL;
    ck_assert_int_eq(import_text("ids.deck", both, sizeof both - 1, ALLIANCE_FORMAT_DECK, &report), ALLIANCE_OK);
    ck_assert_uint_eq(report->added, 2);
    alliance_free(report);
    ck_assert_uint_eq(total_cards(), 2);
    static const char ctl[] = "deck: N\n\ncard: a\x1b[0m\ntype: basic\nfront: f\nback: b\n";
    ck_assert_int_eq(import_text("ids.deck", ctl, sizeof ctl - 1, ALLIANCE_FORMAT_DECK, &report), ALLIANCE_EPARSE);
    ck_assert_msg(strncmp(report->errors, "ids.deck:3:", 11) == 0, "error not on line 3: %s", report->errors);
    alliance_free(report);
    /* note_add applies the same rule. */
    ck_assert_int_eq(add_basic("\xc3\xa9t\xc3\xa9 \xe2\x80\x94 ok", "f", "b", NULL), ALLIANCE_OK);
    ck_assert_int_eq(add_basic("tab\there", "f", "b", NULL), ALLIANCE_EINVAL);
    ck_assert_int_eq(add_basic(" lead", "f", "b", NULL), ALLIANCE_EINVAL);
    ck_assert_int_eq(add_basic("bad \xc3(", "f", "b", NULL), ALLIANCE_EINVAL);
    ck_assert_int_eq(add_basic("", "f", "b", NULL), ALLIANCE_EINVAL);
    ck_assert_int_eq(add_basic("a::b", "f", "b", NULL), ALLIANCE_EINVAL);
    ck_assert_uint_eq(total_cards(), 3);
    close_db();
}
END_TEST

START_TEST(a_nul_byte_is_refused_at_its_line_and_column)
{
    open_fresh();
    static const char text[] = "deck: Nul\n\ncard: n\ntype: basic\nfront: ab\0cd\nback: b\n";
    alliance_import_report *report = NULL;
    int rc = import_text("nul.deck", text, sizeof text - 1, ALLIANCE_FORMAT_DECK, &report);
    ck_assert_int_eq(rc, ALLIANCE_EPARSE);
    /* Line 5, "front: ab" is 9 bytes: the NUL is column 10. */
    ck_assert_msg(strncmp(report->errors, "nul.deck:5:10:", 14) == 0, "%s", report->errors);
    alliance_free(report);
    static const char anki[] = "#separator:tab\n#html:false\nfront\tba\0ck\n";
    rc = import_text("nul.txt", anki, sizeof anki - 1, ALLIANCE_FORMAT_ANKI_TEXT, &report);
    ck_assert_int_eq(rc, ALLIANCE_EPARSE);
    ck_assert_msg(strncmp(report->errors, "nul.txt:3:9:", 12) == 0, "%s", report->errors);
    alliance_free(report);
    ck_assert_uint_eq(total_cards(), 0);
    close_db();
}
END_TEST

START_TEST(invalid_utf8_is_refused_or_kept_exactly)
{
    open_fresh();
    static const char text[] = "deck: Bad\n\ncard: u\ntype: basic\nfront: ok \xc3\x28 bad\nback: b\n";
    alliance_import_report *report = NULL;
    int rc = import_text("utf8.deck", text, sizeof text - 1, ALLIANCE_FORMAT_DECK, &report);
    ck_assert_int_eq(rc, ALLIANCE_EPARSE);
    ck_assert_msg(strncmp(report->errors, "utf8.deck:5:11:", 15) == 0, "%s", report->errors);
    alliance_free(report);
    /* Through note_add: stored exactly or refused with ALLIANCE_EINVAL, never mangled. */
    rc = add_basic("bad-utf8", "ok \xc3\x28 bad \xed\xa0\x80", "b", NULL);
    if (rc == 0) {
        alliance_card *card = get("bad-utf8");
        ck_assert_str_eq(card->front, "ok \xc3\x28 bad \xed\xa0\x80");
        alliance_free(card);
    } else {
        ck_assert_int_eq(rc, ALLIANCE_EINVAL);
    }
    close_db();
}
END_TEST

static Suite *hostile_suite(void)
{
    Suite *s = suite_create("hostile");
    TCase *tc = tcase_create("content");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, sql_fragments_are_stored_as_text);
    tcase_add_test(tc, search_wildcards_match_only_themselves);
    tcase_add_test(tc, unicode_text_is_returned_byte_for_byte);
    tcase_add_test(tc, hostile_text_survives_a_deck_export_and_reimport);
    tcase_add_test(tc, values_and_lines_up_to_1_mib_are_kept_and_longer_ones_refused_with_their_place);
    tcase_add_test(tc, a_large_field_through_note_add_is_kept_or_refused_with_elimit);
    tcase_add_test(tc, a_deck_of_100k_cards_imports_whole);
    tcase_add_test(tc, a_duplicate_id_is_refused_where_it_repeats_and_nothing_is_imported);
    tcase_add_test(tc, ids_differing_only_in_case_are_two_cards);
    tcase_add_test(tc, ids_are_utf8_compared_as_bytes_and_control_characters_are_refused);
    tcase_add_test(tc, a_nul_byte_is_refused_at_its_line_and_column);
    tcase_add_test(tc, invalid_utf8_is_refused_or_kept_exactly);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(hostile_suite());
}
