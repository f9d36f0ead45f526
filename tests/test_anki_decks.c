/* SPDX-License-Identifier: MIT */
/* anki_decks: Anki text files as Anki writes them (several decks, subdecks, HTML) in and out of a
 * collection: one transaction, a report per deck, export of a deck, its subdecks or every deck. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static alliance_db *db;

static void setup(void)
{
    alliance_open_options options;
    alliance_open_options_init(&options, ALLIANCE_OPEN_OPTIONS_VERSION);
    options.synchronous = ALLIANCE_SYNC_NORMAL;
    options.utc_offset_seconds = 0;
    ck_assert_int_eq(alliance_open(&db, ":memory:", &options), 0);
}

static void teardown(void)
{
    alliance_close(db);
    db = NULL;
}

static int import(const char *text, alliance_import_report **report, int dry_run)
{
    alliance_import_options options;
    alliance_import_options_init(&options, ALLIANCE_IMPORT_OPTIONS_VERSION);
    options.format = ALLIANCE_FORMAT_ANKI_TEXT;
    options.dry_run = (uint32_t)dry_run;
    return alliance_deck_import_buffer(db, "anki.txt", text, strlen(text), &options, ALLIANCE_TEST_NOW, report);
}

static int collect(void *opaque, const char *data, size_t len)
{
    char **text = opaque;
    size_t have = *text ? strlen(*text) : 0;
    char *grown = realloc(*text, have + len + 1);
    if (!grown)
        return -1;
    memcpy(grown + have, data, len);
    grown[have + len] = '\0';
    *text = grown;
    return 0;
}

static char *export(int64_t deck_id, uint32_t format, uint32_t flags, int *rc)
{
    alliance_export_options options;
    ck_assert_int_eq(alliance_export_options_init(&options, ALLIANCE_EXPORT_OPTIONS_VERSION), 0);
    options.format = format;
    options.flags = flags;
    char *text = NULL;
    *rc = alliance_export(db, deck_id, &options, ALLIANCE_TEST_NOW, collect, &text);
    return text;
}

static int64_t deck(const char *name)
{
    int64_t id = 0;
    ck_assert_int_eq(alliance_deck_id(db, name, 0, &id), 0);
    return id;
}

/* "Notes in Plain Text" of a deck with subdecks, as Anki 2.1.66 writes it (deck column on). */
static const char social_work[] =
    "#separator:tab\n"
    "#html:true\n"
    "#guid column:1\n"
    "#notetype column:2\n"
    "#deck column:3\n"
    "#tags column:6\n"
    "e7V`x%Q8!L\tBasic\tSocial Work\tWhat is the key?\t<b>Strengths</b> &amp; resilience\texam\n"
    "Bq3]p,W@1z\tCloze\tSocial Work::Alliance\tNot about {{c1::rules}}.\t\t\n"
    "xK9+Ua/2mM\tBasic\tSocial Work::Alliance::Bond\tBond?<br>Say it.\tTrust\t\n"
    "z:Q::r4e%1\tBasic\tSocial Work::Alliance\tGUID with '::'\tkept\t\n";

START_TEST(a_file_of_a_deck_and_its_subdecks_imports_whole_one_deck_per_name)
{
    alliance_import_report *r = NULL;
    ck_assert_int_eq(import(social_work, &r, 0), ALLIANCE_OK);
    ck_assert_uint_ge(r->version, 2);
    ck_assert_uint_eq(r->deck_count, 3);
    ck_assert_str_eq(r->deck_name, "Social Work");
    ck_assert_uint_eq(r->added, 4);
    ck_assert_str_eq(r->decks[0]->deck_name, "Social Work");
    ck_assert_str_eq(r->decks[1]->deck_name, "Social Work::Alliance");
    ck_assert_str_eq(r->decks[2]->deck_name, "Social Work::Alliance::Bond");
    ck_assert_uint_eq(r->decks[0]->added, 1);
    ck_assert_uint_eq(r->decks[1]->added, 2);
    ck_assert_uint_eq(r->decks[2]->added, 1);
    ck_assert_int_eq(r->decks[1]->deck_id, deck("Social Work::Alliance"));
    ck_assert_str_eq(r->notices, "");
    alliance_free(r);

    alliance_card *c = NULL;
    ck_assert_int_eq(alliance_card_get(db, "e7V`x%Q8!L", &c), 0);
    ck_assert_str_eq(c->back, "<b>Strengths</b> &amp; resilience"); /* markup kept as it is */
    ck_assert_int_eq(c->deck_id, deck("Social Work"));
    alliance_free(c);
    ck_assert_int_eq(alliance_card_get(db, "xK9+Ua/2mM", &c), 0);
    ck_assert_str_eq(c->front, "Bond?\nSay it."); /* escaped text decoded */
    alliance_free(c);

    /* Again: nothing changes, deck by deck. */
    ck_assert_int_eq(import(social_work, &r, 0), ALLIANCE_OK);
    ck_assert_uint_eq(r->unchanged, 4);
    ck_assert_uint_eq(r->decks[1]->unchanged, 2);
    ck_assert_uint_eq(r->added + r->updated + r->suspended, 0);
    alliance_free(r);
}
END_TEST

START_TEST(a_dry_run_names_the_decks_and_writes_nothing)
{
    alliance_import_report *r = NULL;
    ck_assert_int_eq(import(social_work, &r, 1), ALLIANCE_OK);
    ck_assert_uint_eq(r->deck_count, 3);
    ck_assert_int_eq(r->decks[2]->deck_id, 0);
    ck_assert_uint_eq(r->decks[2]->added, 1);
    alliance_free(r);
    int64_t id;
    ck_assert_int_eq(alliance_deck_id(db, "Social Work", 0, &id), ALLIANCE_ENOTFOUND);
}
END_TEST

START_TEST(one_bad_row_in_any_deck_imports_nothing)
{
    char bad[sizeof social_work + 64];
    snprintf(bad, sizeof bad, "%s%s", social_work, "g5\tBasic\tOther deck\tno back\t\t\n");
    alliance_import_report *r = NULL;
    ck_assert_int_eq(import(bad, &r, 0), ALLIANCE_EPARSE);
    ck_assert_msg(strstr(r->errors, "anki.txt:11:") != NULL, "%s", r->errors);
    alliance_free(r);
    alliance_stats stats;
    alliance_stats_init(&stats, ALLIANCE_STATS_VERSION);
    ck_assert_int_eq(alliance_stats_get(db, 0, ALLIANCE_TEST_NOW, 7, &stats), 0);
    ck_assert_uint_eq(stats.total, 0);
}
END_TEST

START_TEST(export_writes_a_deck_its_subdecks_or_every_deck)
{
    ck_assert_int_eq(import(social_work, NULL, 0), ALLIANCE_OK);
    int64_t other = 0;
    ck_assert_int_eq(alliance_deck_id(db, "Social Workers", 1, &other), 0); /* a name prefix, not a subdeck */
    int rc;
    char *one = export(deck("Social Work::Alliance"), ALLIANCE_FORMAT_ANKI_TEXT, 0, &rc);
    ck_assert_int_eq(rc, 0);
    ck_assert_ptr_nonnull(strstr(one, "\tSocial Work::Alliance\tNot about"));
    ck_assert_ptr_null(strstr(one, "Bond"));
    char *sub = export(deck("Social Work::Alliance"), ALLIANCE_FORMAT_ANKI_TEXT, ALLIANCE_EXPORT_SUBDECKS, &rc);
    ck_assert_int_eq(rc, 0);
    ck_assert_ptr_nonnull(strstr(sub, "\tSocial Work::Alliance::Bond\t"));
    ck_assert_ptr_null(strstr(sub, "\tSocial Work\t"));
    char *all = export(0, ALLIANCE_FORMAT_ANKI_TEXT, 0, &rc);
    ck_assert_int_eq(rc, 0);
    ck_assert_ptr_nonnull(strstr(all, "#alliance deck:Social Workers\n"));
    ck_assert_ptr_nonnull(strstr(all, "\tSocial Work\tWhat is the key?"));
    /* The GUID holding '::' goes back to Anki as it was. */
    ck_assert_ptr_nonnull(strstr(all, "\nz:Q::r4e%1\tBasic\t"));
    free(one);
    free(sub);

    /* Our format holds one deck. */
    char *ours = export(deck("Social Work"), ALLIANCE_FORMAT_DECK, ALLIANCE_EXPORT_SUBDECKS, &rc);
    ck_assert_int_eq(rc, ALLIANCE_EINVAL);
    free(ours);

    /* What we wrote imports back unchanged. */
    alliance_import_report *r = NULL;
    ck_assert_int_eq(import(all, &r, 0), ALLIANCE_OK);
    ck_assert_uint_eq(r->deck_count, 4);
    ck_assert_uint_eq(r->unchanged, 4);
    ck_assert_uint_eq(r->added + r->updated + r->suspended, 0);
    alliance_free(r);
    free(all);
}
END_TEST

START_TEST(a_field_with_markup_makes_the_file_html_and_comes_back_as_it_was)
{
    ck_assert_int_eq(import(social_work, NULL, 0), ALLIANCE_OK);
    alliance_note note;
    alliance_note_init(&note, ALLIANCE_NOTE_VERSION);
    note.id = "plain";
    note.front = "a & b < c";
    note.back = "line one\nline two";
    ck_assert_int_eq(alliance_note_add(db, deck("Social Work"), &note, ALLIANCE_TEST_NOW), 0);
    int rc;
    char *text = export(deck("Social Work"), ALLIANCE_FORMAT_ANKI_TEXT, 0, &rc);
    ck_assert_int_eq(rc, 0);
    ck_assert_ptr_nonnull(strstr(text, "#html:true\n"));
    ck_assert_ptr_nonnull(strstr(text, "\t<b>Strengths</b> &amp; resilience\t"));
    ck_assert_ptr_nonnull(strstr(text, "\ta &amp; b &lt; c\tline one<br>line two\t"));
    alliance_import_report *r = NULL;
    ck_assert_int_eq(import(text, &r, 0), ALLIANCE_OK);
    ck_assert_uint_eq(r->unchanged, 2);
    ck_assert_uint_eq(r->updated, 0);
    alliance_free(r);
    free(text);
    /* A deck without markup stays #html:false. */
    text = export(deck("Social Work::Alliance"), ALLIANCE_FORMAT_ANKI_TEXT, 0, &rc);
    ck_assert_ptr_nonnull(strstr(text, "#html:false\n"));
    free(text);
}
END_TEST

static unsigned search_count(const char *text)
{
    alliance_card_iter *it = NULL;
    ck_assert_int_eq(alliance_card_search(&it, db, 0, text), 0);
    unsigned n = 0;
    alliance_card *c = NULL;
    while (alliance_card_iter_next(it, &c) == ALLIANCE_OK) {
        n++;
        alliance_free(c);
    }
    alliance_card_iter_free(it);
    return n;
}

START_TEST(search_matches_the_text_not_the_tags)
{
    ck_assert_int_eq(import(social_work, NULL, 0), ALLIANCE_OK);
    ck_assert_uint_eq(search_count("strengths & resilience"), 1);
    ck_assert_uint_eq(search_count("<b>"), 0);
    ck_assert_uint_eq(search_count("amp;"), 0);
    ck_assert_uint_eq(search_count("Say it"), 1);
}
END_TEST

START_TEST(the_format_is_told_from_the_content)
{
    uint32_t f = 0;
    ck_assert_int_eq(alliance_format_detect("PK\x03\x04rest", 8, &f), 0);
    ck_assert_uint_eq(f, ALLIANCE_FORMAT_APKG);
    ck_assert_int_eq(alliance_format_detect(social_work, strlen(social_work), &f), 0);
    ck_assert_uint_eq(f, ALLIANCE_FORMAT_ANKI_TEXT);
    ck_assert_int_eq(alliance_format_detect("front\tback\n", 11, &f), 0);
    ck_assert_uint_eq(f, ALLIANCE_FORMAT_ANKI_TEXT);
    static const char ours[] = "# deck: a comment of our format\ndeck: D\n";
    ck_assert_int_eq(alliance_format_detect(ours, sizeof ours - 1, &f), 0);
    ck_assert_uint_eq(f, ALLIANCE_FORMAT_DECK);
    ck_assert_int_eq(alliance_format_detect("", 0, &f), 0);
    ck_assert_uint_eq(f, ALLIANCE_FORMAT_DECK);
    ck_assert_int_eq(alliance_format_detect(NULL, 0, NULL), ALLIANCE_EINVAL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("anki_decks");
    TCase *t = tcase_create("decks");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, a_file_of_a_deck_and_its_subdecks_imports_whole_one_deck_per_name);
    tcase_add_test(t, a_dry_run_names_the_decks_and_writes_nothing);
    tcase_add_test(t, one_bad_row_in_any_deck_imports_nothing);
    tcase_add_test(t, export_writes_a_deck_its_subdecks_or_every_deck);
    tcase_add_test(t, a_field_with_markup_makes_the_file_html_and_comes_back_as_it_was);
    tcase_add_test(t, search_matches_the_text_not_the_tags);
    tcase_add_test(t, the_format_is_told_from_the_content);
    suite_add_tcase(s, t);
    return alliance_test_run(s);
}
