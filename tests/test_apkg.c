/* SPDX-License-Identifier: MIT */
/* apkg: Anki packages of both kinds, written by Anki itself, read into a collection; ours
 * written and read back; hostile packages refused naming the member, with nothing written. */
#include "testutil.h"
#include "sync_fixture.h"

#include "interop/apkg.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>
#include <zstd.h>

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

static const char *fixture(const char *name)
{
    static char path[4][1024];
    static int slot;
    slot = (slot + 1) % 4;
    snprintf(path[slot], sizeof path[slot], "%s/anki/%s", ALLIANCE_TEST_DATA, name);
    return path[slot];
}

static int import_file(const char *path, alliance_import_report **report)
{
    alliance_import_options options;
    alliance_import_options_init(&options, ALLIANCE_IMPORT_OPTIONS_VERSION);
    options.format = ALLIANCE_FORMAT_APKG;
    return alliance_deck_import(db, path, &options, ALLIANCE_TEST_NOW, report);
}

static int import_bytes(const char *name, const void *data, size_t len, alliance_import_report **report)
{
    alliance_import_options options;
    alliance_import_options_init(&options, ALLIANCE_IMPORT_OPTIONS_VERSION);
    options.format = ALLIANCE_FORMAT_APKG;
    return alliance_deck_import_buffer(db, name, data, len, &options, ALLIANCE_TEST_NOW, report);
}

static uint32_t total_cards(void)
{
    alliance_stats stats;
    alliance_stats_init(&stats, ALLIANCE_STATS_VERSION);
    ck_assert_int_eq(alliance_stats_get(db, 0, ALLIANCE_TEST_NOW, 7, &stats), 0);
    return stats.total;
}

static alliance_card *card(const char *id)
{
    alliance_card *c = NULL;
    ck_assert_msg(alliance_card_get(db, id, &c) == 0, "no card %s: %s", id, alliance_errmsg(db));
    return c;
}

/* ---- packages Anki wrote ---- */

START_TEST(a_current_package_written_by_anki_imports)
{
    alliance_import_report *r = NULL;
    ck_assert_int_eq(import_file(fixture("anki-current-example.apkg"), &r), ALLIANCE_OK);
    ck_assert_uint_eq(r->added, 4);
    ck_assert_uint_eq(r->deck_count, 1);
    ck_assert_str_eq(r->deck_name, "Example Deck");
    ck_assert_uint_eq(r->media, 0);
    alliance_free(r);
    /* The GUID is the card id; the note's fields are front and back. */
    alliance_card *c = card("CSf<OjWX?)");
    ck_assert_str_eq(c->front, "Hola");
    ck_assert_str_eq(c->back, "Hi");
    alliance_free(c);
    /* Its placeholder collection.anki2 ("Please update...") was not what was read. */
    alliance_card_iter *it = NULL;
    ck_assert_int_eq(alliance_card_search(&it, db, 0, "Please update"), 0);
    alliance_card *none = NULL;
    ck_assert_int_eq(alliance_card_iter_next(it, &none), ALLIANCE_DONE);
    alliance_card_iter_free(it);
    /* Again: the same cards, unchanged. */
    ck_assert_int_eq(import_file(fixture("anki-current-example.apkg"), &r), ALLIANCE_OK);
    ck_assert_uint_eq(r->unchanged, 4);
    alliance_free(r);
    /* A lint without a collection reads it the same way. */
    size_t n;
    char *bytes = alliance_test_read_file(fixture("anki-current-example.apkg"), &n);
    ck_assert_int_eq(alliance_deck_check("example.apkg", bytes, n, ALLIANCE_FORMAT_APKG, &r), 0);
    ck_assert_uint_eq(r->added, 4);
    alliance_free(r);
    bytes[0] = 'X';
    ck_assert_int_eq(alliance_deck_check("example.apkg", bytes, n, ALLIANCE_FORMAT_APKG, &r), ALLIANCE_EPARSE);
    ck_assert_ptr_nonnull(strstr(r->errors, "example.apkg: not a package"));
    alliance_free(r);
    free(bytes);
}
END_TEST

START_TEST(a_reviewed_collection_brings_decks_subdecks_tags_and_note_types)
{
    alliance_import_report *r = NULL;
    ck_assert_int_eq(import_file(fixture("anki-current-spanish-reviewed.apkg"), &r), ALLIANCE_OK);
    ck_assert_uint_eq(r->deck_count, 3);
    ck_assert_str_eq(r->decks[0]->deck_name, "Old Decks::Board Review 2023");
    ck_assert_str_eq(r->decks[1]->deck_name, "Spanish");
    ck_assert_uint_eq(r->decks[0]->added + r->decks[1]->added + r->decks[2]->added, r->added);
    /* Three notes Anki accepts and our rules refuse are left out and named; a note type we do
     * not know is read from its first two fields and reported. */
    ck_assert_ptr_nonnull(strstr(r->notices, ":484:2: empty value for 'back' in card 'Dg,-6QIi@L': note left out"));
    ck_assert_ptr_nonnull(strstr(r->notices, "note type 'Basic (type in the answer)' (29 notes)"));
    ck_assert_uint_eq(r->added, total_cards());
    alliance_free(r);
}
END_TEST

/* Legacy packages of each era Anki wrote (tests/data/anki/README.md). */
START_TEST(legacy_packages_written_by_anki_import)
{
    alliance_import_report *r = NULL;
    /* Anki 2.0's layout: only collection.anki2. A note type of the learner's own is read from
     * its first two fields and reported. */
    ck_assert_int_eq(import_file(fixture("anki-legacy-anki2-french-2notes.apkg"), &r), ALLIANCE_OK);
    ck_assert_uint_eq(r->added, 2);
    ck_assert_str_eq(r->deck_name, "Test");
    ck_assert_uint_eq(r->media, 0);
    ck_assert_ptr_nonnull(strstr(r->notices, "note type 'French Vocabulary' (2 notes)"));
    alliance_free(r);
    alliance_card *c = card("G*PzaY,&cZ");
    ck_assert_str_eq(c->front, "cat");
    ck_assert_str_eq(c->back, "le chat");
    alliance_free(c);
    /* Anki 2.1.2x: collection.anki21 beside a placeholder collection.anki2, no meta; deck
     * names in another script. The placeholder ("This file requires a newer version of Anki")
     * is not what was read. */
    ck_assert_int_eq(import_file(fixture("anki-legacy-basic-zh-learning.apkg"), &r), ALLIANCE_OK);
    ck_assert_uint_eq(r->added, 1);
    ck_assert_str_eq(r->deck_name, "\xe6\xb8\xac\xe8\xa9\xa6"); /* 測試 */
    alliance_free(r);
    c = card("O%YLT^fxui");
    ck_assert_str_eq(c->front, "\xe6\xad\xa3\xe9\x9d\xa2\xe6\xb8\xac\xe8\xa9\xa6"); /* 正面測試 */
    alliance_free(c);
    alliance_card_iter *it = NULL;
    ck_assert_int_eq(alliance_card_search(&it, db, 0, "newer version"), 0);
    alliance_card *none = NULL;
    ck_assert_int_eq(alliance_card_iter_next(it, &none), ALLIANCE_DONE);
    alliance_card_iter_free(it);
    /* Anki 2.1.5x-2.1.6x (meta "legacy 2"): tags, an optional reversed card that has its
     * reverse, and a cloze note without a deletion, which Anki accepts and our rules do not:
     * left out and named. */
    ck_assert_int_eq(import_file(fixture("anki-legacy-cloze-learning.apkg"), &r), ALLIANCE_OK);
    ck_assert_uint_eq(r->added, 5);
    ck_assert_str_eq(r->deck_name, "Test deck");
    ck_assert_ptr_nonnull(strstr(r->notices, "anki-legacy-cloze-learning.apkg:collection.anki21:3:1: cloze text of card "
                                             "'jsB!P|gom2' has no deletion"));
    ck_assert_ptr_nonnull(strstr(r->notices, "note left out"));
    alliance_free(r);
    c = card("r|EIC$_]pj");
    ck_assert_str_eq(c->front, "<b>Car</b>"); /* markup kept */
    ck_assert_str_eq(c->tags, "technic wheels");
    alliance_free(c);
    c = card("OU~g|+iYDa~reverse");
    ck_assert_str_eq(c->front, "back");
    ck_assert_str_eq(c->back, "optional reversed card");
    alliance_free(c);
    /* Anki 24.11+: cloze notes become a card per deletion, a reversed note two cards; the media
     * file is counted, not copied; an image-occlusion note ({{c0::...}}) is left out, named. */
    ck_assert_int_eq(import_file(fixture("anki-legacy-mixed-reviewed.apkg"), &r), ALLIANCE_OK);
    ck_assert_uint_eq(r->added, 10);
    ck_assert_str_eq(r->deck_name, "Test - Mixed Types");
    ck_assert_uint_eq(r->media, 1);
    ck_assert_ptr_nonnull(strstr(r->notices, ":collection.anki21:8:1: malformed cloze deletion"));
    ck_assert_ptr_nonnull(strstr(r->notices, "in card 'NPfQUC${7[': note left out"));
    alliance_free(r);
    c = card("cYo+,.?%Nh::c2");
    ck_assert_ptr_nonnull(strstr(c->front, "{{c2::hidden}}"));
    ck_assert_str_eq(c->back, "This is the \"Back Extra\" field of a cloze card.");
    alliance_free(c);
    c = card("AY~Y<|>p34~reverse");
    ck_assert_str_eq(c->back, "This note is of type \"Basic (and reversed card)\".");
    alliance_free(c);
    ck_assert_uint_eq(total_cards(), 2 + 1 + 5 + 10);
    /* Again: nothing changes. */
    ck_assert_int_eq(import_file(fixture("anki-legacy-mixed-reviewed.apkg"), &r), ALLIANCE_OK);
    ck_assert_uint_eq(r->unchanged, 10);
    ck_assert_uint_eq(r->added, 0);
    alliance_free(r);
}
END_TEST

/* Made by the npm package anki-apkg-export (tests/anki/make_fixtures.js): a writer no one here wrote. */
START_TEST(a_package_of_a_third_party_writer_imports)
{
    alliance_import_report *r = NULL;
    ck_assert_int_eq(import_file(fixture("thirdparty-anki-apkg-export.apkg"), &r), ALLIANCE_OK);
    ck_assert_uint_eq(r->added, 4);
    ck_assert_str_eq(r->deck_name, "Third party::Social work");
    /* It names its note type after the deck: not one we know, so reported. */
    ck_assert_ptr_nonnull(strstr(r->notices, "note type 'Third party::Social work' (4 notes)"));
    alliance_free(r);
    alliance_card_iter *it = NULL;
    ck_assert_int_eq(alliance_card_search(&it, db, 0, "strong bond"), 0);
    alliance_card *c = NULL;
    ck_assert_int_eq(alliance_card_iter_next(it, &c), 0);
    ck_assert_str_eq(c->back, "The client&#39;s <b>strengths</b> &amp; resilience"); /* markup kept */
    ck_assert_str_eq(c->tags, "alliance exam");
    alliance_free(c);
    alliance_card_iter_free(it);
    ck_assert_int_eq(alliance_card_search(&it, db, 0, "Two lines"), 0);
    ck_assert_int_eq(alliance_card_iter_next(it, &c), 0);
    ck_assert_str_eq(c->back, "one\ntwo"); /* escaped text decoded */
    alliance_free(c);
    alliance_card_iter_free(it);
}
END_TEST

/* The schedule each card of the reviewed package maps to is one SM-2 can go on from. */
static int64_t day_of(void *ctx, int64_t t)
{
    (void)ctx;
    int64_t day;
    ck_assert_int_eq(alliance_day_number(&day, t, 0, 4), 0);
    return day;
}

START_TEST(every_anki_schedule_becomes_a_state_sm2_accepts)
{
    alliance__apkg pkg;
    alliance__apkg_init(&pkg);
    const char *path = fixture("anki-current-spanish-reviewed.apkg");
    ck_assert_int_eq(alliance__apkg_read(&pkg, path, path, NULL, 0), 0);
    ck_assert_uint_eq(pkg.schema, 18);
    ck_assert_uint_gt(pkg.revlog_count, 30000);
    alliance_sm2_params params;
    alliance_sm2_params_init(&params, ALLIANCE_SM2_SUPERMEMO);
    int64_t crt_day = day_of(NULL, pkg.crt);
    uint32_t r = 0, reviewed = 0, suspended = 0;
    for (uint32_t c = 0; c < pkg.card_count; c++) {
        const alliance__anki_card *card = &pkg.cards[c];
        while (r < pkg.revlog_count && pkg.revlog[r].cid < card->id)
            r++;
        uint32_t first = r;
        while (r < pkg.revlog_count && pkg.revlog[r].cid == card->id)
            r++;
        alliance__anki_schedule s;
        ck_assert_int_eq(alliance__anki_schedule_of(card, &pkg.revlog[first], r - first, crt_day, params.min_efactor_milli,
                                                    params.initial_efactor_milli, day_of, NULL, &s),
                         0);
        alliance_sm2_state next;
        ck_assert_msg(alliance_sm2_next(&params, &s.state, 4, &next) == 0, "card %lld: state {%u, %u, %u, %u}",
                      (long long)card->id, s.state.repetitions, s.state.efactor_milli, s.state.interval_days,
                      s.state.repeat_today);
        if (card->type == 2) {
            reviewed++;
            ck_assert_int_ge(s.due_day, s.last_review_day);
            /* The next good answer keeps Anki's pace: the interval grows by the ease. */
            ck_assert_uint_ge(next.interval_days, s.state.interval_days);
        }
        suspended += s.suspended;
    }
    ck_assert_uint_eq(reviewed, 2860);
    ck_assert_uint_eq(suspended, 4);
    alliance__apkg_free(&pkg);
}
END_TEST

START_TEST(anki_buttons_map_to_sm2_grades)
{
    /* Again, Hard, Good, Easy on a review: 1, 3, 4, 5. */
    ck_assert_int_eq(alliance__anki_grade(1, 1, 4), 1);
    ck_assert_int_eq(alliance__anki_grade(2, 1, 4), 3);
    ck_assert_int_eq(alliance__anki_grade(3, 1, 4), 4);
    ck_assert_int_eq(alliance__anki_grade(4, 1, 4), 5);
    /* Anki's first scheduler: Again, Good, Easy while learning. */
    ck_assert_int_eq(alliance__anki_grade(2, 0, 3), 4);
    ck_assert_int_eq(alliance__anki_grade(3, 2, 3), 5);
    /* Not answers: ease 0, manual and rescheduling rows. */
    ck_assert_int_eq(alliance__anki_grade(0, 1, 4), -1);
    ck_assert_int_eq(alliance__anki_grade(3, 4, 4), -1);
    ck_assert_int_eq(alliance__anki_grade(3, 5, 4), -1);
}
END_TEST

static int64_t day_utc(void *ctx, int64_t t)
{
    (void)ctx;
    return t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
}

START_TEST(each_kind_of_anki_card_maps_as_documented)
{
    alliance__anki_schedule s;
    /* A review card, interval 30, ease 2.3, due 400 days after crt: its log passes, fails, then
     * passes twice: repetitions 1 + 2 = 3; the last answer's day is its last review day. */
    alliance__anki_card review = {1, 1, 1, 0, 0, 2, 2, 400, 0, 30, 2300, 10, 1};
    alliance__anki_revlog log[] = {
        {86400000LL * 100, 1, 3, 1, 10, 5, 2500, 8000}, {86400000LL * 110, 1, 1, 1, 1, 10, 2300, 9000},
        {86400000LL * 111, 1, 3, 2, 4, 1, 2300, 5000},  {86400000LL * 115, 1, 3, 1, 12, 4, 2300, 4000},
        {86400000LL * 127, 1, 4, 1, 30, 12, 2300, 3000}, {86400000LL * 128, 1, 0, 4, 0, 30, 2300, 0},
    };
    ck_assert_int_eq(alliance__anki_schedule_of(&review, log, 6, 1000, 1300, 2500, day_utc, NULL, &s), 0);
    ck_assert_uint_eq(s.state.repetitions, 3);
    ck_assert_uint_eq(s.state.efactor_milli, 2300);
    ck_assert_uint_eq(s.state.interval_days, 30);
    ck_assert_uint_eq(s.state.repeat_today, 0);
    ck_assert_int_eq(s.due_day, 1400);
    ck_assert_int_eq(s.last_review_day, 127); /* the manual row (ease 0) is not an answer */
    ck_assert_uint_eq(s.reviews, 10);
    ck_assert_uint_eq(s.lapses, 1);
    /* Without a log the card still multiplies its interval: repetitions 2. */
    ck_assert_int_eq(alliance__anki_schedule_of(&review, NULL, 0, 1000, 1300, 2500, day_utc, NULL, &s), 0);
    ck_assert_uint_eq(s.state.repetitions, 2);
    ck_assert_int_eq(s.last_review_day, 1400 - 30);
    /* An ease below SM-2's floor is raised to it; Anki's 0 (never set) is the initial one. */
    review.factor = 1100;
    ck_assert_int_eq(alliance__anki_schedule_of(&review, NULL, 0, 1000, 1300, 2500, day_utc, NULL, &s), 0);
    ck_assert_uint_eq(s.state.efactor_milli, 1300);
    /* A relearning card due at a Unix time (queue 1): failed, due on that day. */
    alliance__anki_card relearn = {2, 2, 1, 0, 0, 3, 1, 86400LL * 2000 + 3600, 0, 0, 2100, 5, 2};
    ck_assert_int_eq(alliance__anki_schedule_of(&relearn, NULL, 0, 1000, 1300, 2500, day_utc, NULL, &s), 0);
    ck_assert_uint_eq(s.state.repetitions, 0);
    ck_assert_uint_eq(s.state.interval_days, 0);
    ck_assert_uint_eq(s.state.efactor_milli, 2100);
    ck_assert_int_eq(s.due_day, 2000);
    /* A suspended review card and a buried one stay so. */
    alliance__anki_card susp = review, bury = review;
    susp.queue = -1;
    bury.queue = -2;
    ck_assert_int_eq(alliance__anki_schedule_of(&susp, NULL, 0, 1000, 1300, 2500, day_utc, NULL, &s), 0);
    ck_assert_uint_eq(s.suspended, 1);
    ck_assert_int_eq(alliance__anki_schedule_of(&bury, NULL, 0, 1000, 1300, 2500, day_utc, NULL, &s), 0);
    ck_assert_uint_eq(s.buried, 1);
    /* A new card is new, whatever its old log says. */
    alliance__anki_card fresh = {3, 3, 1, 0, 0, 0, 0, 7, 0, 0, 0, 4, 0};
    ck_assert_int_eq(alliance__anki_schedule_of(&fresh, log, 6, 1000, 1300, 2500, day_utc, NULL, &s), 0);
    ck_assert_uint_eq(s.reviews, 0);
    ck_assert_int_eq(s.last_review_day, INT64_MIN);
    ck_assert_uint_eq(s.state.efactor_milli, 2500);
    /* A state Anki never writes. */
    fresh.reps = -1;
    ck_assert_int_eq(alliance__anki_schedule_of(&fresh, NULL, 0, 1000, 1300, 2500, day_utc, NULL, &s), ALLIANCE_ESTATE);
}
END_TEST

/* A package Anki wrote with its SM-2 scheduler (schedVer 2, ease 2500, learning steps 1m 10m,
 * graduating interval 1, easy interval 4 with fuzz: 3): every card maps exactly as documented,
 * from Anki's own rows (tests/data/anki/README.md, anki-legacy-cloze-learning.apkg). */
static const alliance__anki_card *card_of(const alliance__apkg *pkg, int64_t id, uint32_t *first, uint32_t *n)
{
    for (uint32_t c = 0; c < pkg->card_count; c++) {
        if (pkg->cards[c].id != id)
            continue;
        *first = 0;
        while (*first < pkg->revlog_count && pkg->revlog[*first].cid != id)
            (*first)++;
        *n = 0;
        while (*first + *n < pkg->revlog_count && pkg->revlog[*first + *n].cid == id)
            (*n)++;
        return &pkg->cards[c];
    }
    ck_abort_msg("no card %lld", (long long)id);
    return NULL;
}

START_TEST(an_sm2_package_written_by_anki_maps_exactly)
{
    alliance__apkg pkg;
    alliance__apkg_init(&pkg);
    const char *path = fixture("anki-legacy-cloze-learning.apkg");
    ck_assert_int_eq(alliance__apkg_read(&pkg, path, path, NULL, 0), 0);
    ck_assert_uint_eq(pkg.schema, 11);
    ck_assert_uint_eq(pkg.sched_ver, 2);
    ck_assert_int_eq(pkg.crt, 1681171200); /* 2023-04-11 00:00 UTC: day 19458 */
    ck_assert_uint_eq(pkg.card_count, 6);
    ck_assert_uint_eq(pkg.revlog_count, 7);
    int64_t crt_day = day_utc(NULL, pkg.crt);
    ck_assert_int_eq(crt_day, 19458);
    /* Every row is an answer; Good 4, Easy 5, Again 1 (four buttons in schedVer 2). */
    int grades[6] = {0};
    for (uint32_t i = 0; i < pkg.revlog_count; i++) {
        int g = alliance__anki_grade(pkg.revlog[i].ease, pkg.revlog[i].type, pkg.sched_ver == 1 ? 3 : 4);
        ck_assert_int_ge(g, 0);
        grades[g]++;
    }
    ck_assert_int_eq(grades[1], 1);
    ck_assert_int_eq(grades[4], 5);
    ck_assert_int_eq(grades[5], 1);
    static const struct {
        int64_t id;
        uint32_t rows, repetitions, efactor, interval;
        int64_t due_day, last_day;
        uint32_t reviews;
    } want[] = {
        /* Good, Good: graduated to a review card, interval 1, due the next day. */
        {1681200886280LL, 2, 2, 2500, 1, 19459, 19458, 2},
        /* Easy on a new card: a review card, interval 3. */
        {1681201601848LL, 1, 2, 2500, 3, 19461, 19458, 1},
        /* Learning cards (one after Again, three after Good): SM-2's failed card, ease not yet
         * set (0: the initial one), due the day Anki's step ends. */
        {1681200930916LL, 1, 0, 2500, 0, 19458, 19458, 1},
        {1681201359240LL, 1, 0, 2500, 0, 19458, 19458, 1},
        {1681201523604LL, 1, 0, 2500, 0, 19458, 19458, 1},
        {1681201523605LL, 1, 0, 2500, 0, 19458, 19458, 1},
    };
    alliance_sm2_params params;
    alliance_sm2_params_init(&params, ALLIANCE_SM2_SUPERMEMO);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        uint32_t first, n;
        const alliance__anki_card *ac = card_of(&pkg, want[i].id, &first, &n);
        ck_assert_uint_eq(n, want[i].rows);
        alliance__anki_schedule s;
        ck_assert_int_eq(alliance__anki_schedule_of(ac, &pkg.revlog[first], n, crt_day, params.min_efactor_milli,
                                                    params.initial_efactor_milli, day_utc, NULL, &s),
                         0);
        ck_assert_msg(s.state.repetitions == want[i].repetitions && s.state.efactor_milli == want[i].efactor &&
                          s.state.interval_days == want[i].interval && s.state.repeat_today == 0,
                      "card %lld: {%u, %u, %u, %u}", (long long)want[i].id, s.state.repetitions,
                      s.state.efactor_milli, s.state.interval_days, s.state.repeat_today);
        ck_assert_int_eq(s.due_day, want[i].due_day);
        ck_assert_int_eq(s.last_review_day, want[i].last_day);
        ck_assert_uint_eq(s.reviews, want[i].reviews);
        ck_assert_uint_eq(s.lapses, 0);
        ck_assert_uint_eq(s.suspended, 0);
        ck_assert_uint_eq(s.buried, 0);
        /* SM-2 goes on from it: a good answer on the review cards multiplies the interval. */
        alliance_sm2_state next;
        ck_assert_int_eq(alliance_sm2_next(&params, &s.state, 4, &next), 0);
        if (want[i].repetitions >= 2)
            ck_assert_uint_eq(next.interval_days, (want[i].interval * 2500 + 999) / 1000); /* 3, 8: rounded up */
    }
    alliance__apkg_free(&pkg);
}
END_TEST

/* ---- ours, read back ---- */

static int collect(void *opaque, const char *data, size_t len)
{
    return alliance__buf_append(opaque, data, len);
}

/* The bundled deck into db: *cards its cards, *notes its notes ("card:" lines). */
static void import_bundled(uint32_t *cards, uint32_t *notes)
{
    char *deck = alliance_test_read_file(ALLIANCE_SOURCE_DIR "/decks/therapeutic-alliance.deck", NULL);
    ck_assert_ptr_nonnull(deck);
    alliance_import_report *r = NULL;
    ck_assert_int_eq(alliance_deck_import_buffer(db, "t.deck", deck, strlen(deck), NULL, ALLIANCE_TEST_NOW, &r), 0);
    *cards = r->added;
    alliance_free(r);
    *notes = 0;
    for (const char *p = deck; (p = strstr(p, "\ncard:")) != NULL; p++)
        (*notes)++;
    free(deck);
}

/* The id of the first card of `type` in the collection (a new string). */
static char *first_of_type(uint32_t type)
{
    alliance_card_iter *it = NULL;
    ck_assert_int_eq(alliance_card_search(&it, db, 0, NULL), 0);
    alliance_card *c = NULL;
    char *id = NULL;
    while (!id && alliance_card_iter_next(it, &c) == 0) {
        if (c->type == type)
            id = strdup(c->id);
        alliance_free(c);
    }
    alliance_card_iter_free(it);
    ck_assert_ptr_nonnull(id);
    return id;
}

START_TEST(our_package_reads_back_with_every_card_unchanged)
{
    uint32_t cards, notes;
    import_bundled(&cards, &notes);
    alliance_session *s = NULL;
    ck_assert_int_eq(alliance_session_open(&s, db, 0, ALLIANCE_TEST_NOW), 0);
    for (int i = 0; i < 6; i++) {
        alliance_card *c = NULL;
        ck_assert_int_eq(alliance_session_next(s, ALLIANCE_TEST_NOW, &c), 0);
        ck_assert_int_eq(alliance_session_answer(s, c->id, i % 6, ALLIANCE_TEST_NOW, 1500, NULL), 0);
        alliance_free(c);
    }
    alliance_session_close(s);
    alliance_export_options options;
    alliance_export_options_init(&options, ALLIANCE_EXPORT_OPTIONS_VERSION);
    options.format = ALLIANCE_FORMAT_APKG;
    alliance__buf pkg = {0};
    ck_assert_int_eq(alliance_export(db, 0, &options, ALLIANCE_TEST_NOW, collect, &pkg), 0);

    alliance_import_report *r = NULL;
    ck_assert_int_eq(import_bytes("ours.apkg", pkg.data, pkg.len, &r), 0);
    ck_assert_uint_eq(r->unchanged, cards);
    ck_assert_uint_eq(r->added + r->updated + r->suspended, 0);
    ck_assert_str_eq(r->notices, "");
    alliance_free(r);

    /* Into a new collection: the same cards, choice cards included. */
    alliance_db *other = db;
    setup();
    ck_assert_int_eq(import_bytes("ours.apkg", pkg.data, pkg.len, &r), 0);
    ck_assert_uint_eq(r->added, cards);
    alliance_free(r);
    alliance_card *a = NULL, *b = NULL;
    alliance_card_iter *it = NULL;
    ck_assert_int_eq(alliance_card_search(&it, other, 0, NULL), 0);
    unsigned n = 0;
    while (alliance_card_iter_next(it, &a) == 0) {
        ck_assert_int_eq(alliance_card_get(db, a->id, &b), 0);
        ck_assert_uint_eq(a->type, b->type);
        ck_assert_str_eq(a->front, b->front);
        ck_assert_str_eq(a->back, b->back);
        ck_assert_str_eq(a->wrong, b->wrong);
        ck_assert_str_eq(a->tags, b->tags);
        ck_assert_str_eq(a->source_file, b->source_file);
        ck_assert_str_eq(a->source_quote, b->source_quote);
        alliance_free(a);
        alliance_free(b);
        n++;
    }
    alliance_card_iter_free(it);
    ck_assert_uint_eq(n, cards);
    alliance_close(other);
    alliance__buf_free(&pkg);
}
END_TEST

/* A package Anki wrote, imported, exported by us and imported again: into the same collection
 * nothing changes; into a new one, the same cards with the same text, tags and flags
 * (suspended, buried). The schedule and history will join this once an import writes them. */
START_TEST(an_anki_package_round_trips_through_ours)
{
    static const char *const names[] = {"anki-legacy-cloze-learning.apkg", "anki-legacy-mixed-reviewed.apkg",
                                         "anki-legacy-anki2-french-2notes.apkg", "anki-legacy-basic-zh-learning.apkg",
                                         "anki-current-spanish-reviewed.apkg"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        alliance_import_report *r = NULL;
        ck_assert_int_eq(import_file(fixture(names[k]), &r), ALLIANCE_OK);
        uint32_t cards = r->added;
        alliance_free(r);
        alliance_export_options options;
        alliance_export_options_init(&options, ALLIANCE_EXPORT_OPTIONS_VERSION);
        options.format = ALLIANCE_FORMAT_APKG;
        alliance__buf pkg = {0};
        ck_assert_msg(alliance_export(db, 0, &options, ALLIANCE_TEST_NOW, collect, &pkg) == 0, "%s: %s", names[k],
                      alliance_errmsg(db));
        ck_assert_int_eq(import_bytes("ours.apkg", pkg.data, pkg.len, &r), ALLIANCE_OK);
        ck_assert_msg(r->unchanged == cards && r->added + r->updated + r->suspended == 0,
                      "%s: %u unchanged of %u, %u added, %u updated, %u suspended", names[k], r->unchanged, cards,
                      r->added, r->updated, r->suspended);
        alliance_free(r);
        ck_assert_uint_eq(sync_verify(db), 0);

        alliance_db *other = db;
        setup();
        ck_assert_int_eq(import_bytes("ours.apkg", pkg.data, pkg.len, &r), ALLIANCE_OK);
        ck_assert_uint_eq(r->added, cards);
        alliance_free(r);
        alliance_card_iter *it = NULL;
        ck_assert_int_eq(alliance_card_search(&it, other, 0, NULL), 0);
        alliance_card *a = NULL, *b = NULL;
        uint32_t n = 0, held = 0;
        while (alliance_card_iter_next(it, &a) == 0) {
            ck_assert_msg(alliance_card_get(db, a->id, &b) == 0, "%s: %s missing", names[k], a->id);
            ck_assert_uint_eq(a->type, b->type);
            ck_assert_str_eq(a->front, b->front);
            ck_assert_str_eq(a->back, b->back);
            ck_assert_str_eq(a->tags, b->tags);
            ck_assert_msg(a->suspended == b->suspended && a->buried_until_day == b->buried_until_day,
                          "%s: %s flags", names[k], a->id);
            held += a->suspended;
            alliance_free(a);
            alliance_free(b);
            n++;
        }
        alliance_card_iter_free(it);
        ck_assert_uint_eq(n, cards);
        if (k == 4)
            ck_assert_uint_eq(held, 4); /* the learner's suspended cards came along both ways */
        alliance_close(other);
        alliance__buf_free(&pkg);
        teardown();
        setup();
    }
}
END_TEST

/* An Anki package counts time in milliseconds in 64 bits: a time the API accepts (up to 2^55
 * seconds) may not fit. The writer multiplied it by 1000 anyway, a signed overflow (undefined
 * behaviour; the sanitizer build aborts). An export dated so, or of a card answered so, is
 * refused with ALLIANCE_EINVAL saying why, the card named. */
START_TEST(a_time_a_package_cannot_hold_is_refused_not_overflowed)
{
    const int64_t far = (INT64_C(1) << 55) - 100000; /* accepted by alliance_answer */
    int64_t deck = 0;
    ck_assert_int_eq(alliance_deck_id(db, "Far", 1, &deck), 0);
    alliance_note note;
    alliance_note_init(&note, ALLIANCE_NOTE_VERSION);
    note.type = ALLIANCE_CARD_BASIC;
    note.id = "far-card";
    note.front = "front";
    note.back = "back";
    ck_assert_int_eq(alliance_note_add(db, deck, &note, ALLIANCE_TEST_NOW), 0);
    alliance_export_options options;
    alliance_export_options_init(&options, ALLIANCE_EXPORT_OPTIONS_VERSION);
    options.format = ALLIANCE_FORMAT_APKG;
    alliance__buf pkg = {0};
    ck_assert_int_eq(alliance_export(db, 0, &options, far, collect, &pkg), ALLIANCE_EINVAL);
    ck_assert_msg(strstr(alliance_errmsg(db), "Anki package") != NULL, "%s", alliance_errmsg(db));
    ck_assert_int_eq(alliance_export(db, 0, &options, -far, collect, &pkg), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_answer(db, "far-card", 5, far, 1000, NULL), 0);
    ck_assert_int_eq(alliance_export(db, 0, &options, ALLIANCE_TEST_NOW, collect, &pkg), ALLIANCE_EINVAL);
    ck_assert_msg(strstr(alliance_errmsg(db), "far-card") != NULL, "%s", alliance_errmsg(db));
    alliance__buf_free(&pkg);
}
END_TEST

/* The package's collection, checked with SQL as Anki's schema-11 importer relies on it. */
START_TEST(our_package_holds_the_schedule_and_the_history)
{
    uint32_t cards, notes;
    import_bundled(&cards, &notes);
    char *cloze = first_of_type(ALLIANCE_CARD_CLOZE), *basic = first_of_type(ALLIANCE_CARD_BASIC);
    ck_assert_int_eq(alliance_answer(db, cloze, 5, ALLIANCE_TEST_NOW, 2000, NULL), 0);
    ck_assert_int_eq(alliance_answer(db, cloze, 4, ALLIANCE_TEST_NOW + ALLIANCE_TEST_DAY, 2000, NULL), 0);
    ck_assert_int_eq(alliance_card_suspend(db, basic, 1, ALLIANCE_TEST_NOW), 0);
    free(cloze);
    free(basic);
    alliance_export_options options;
    alliance_export_options_init(&options, ALLIANCE_EXPORT_OPTIONS_VERSION);
    options.format = ALLIANCE_FORMAT_APKG;
    const char *path = alliance_test_path("ours.apkg");
    ck_assert_int_eq(alliance_export_file(db, 0, &options, ALLIANCE_TEST_NOW + 2 * ALLIANCE_TEST_DAY, path), 0);

    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    ck_assert_ptr_nonnull(z);
    ck_assert_int_eq(zip_get_num_entries(z, 0), 2);
    zip_stat_t st;
    ck_assert_int_eq(zip_stat(z, "collection.anki2", 0, &st), 0);
    char *bytes = malloc(st.size);
    zip_file_t *f = zip_fopen(z, "collection.anki2", 0);
    ck_assert_int_eq(zip_fread(f, bytes, st.size), (zip_int64_t)st.size);
    zip_fclose(f);
    zip_discard(z);
    const char *dbpath = alliance_test_path("ours.anki2");
    FILE *out = fopen(dbpath, "wb");
    fwrite(bytes, 1, st.size, out);
    fclose(out);
    free(bytes);

    sqlite3 *anki = NULL;
    ck_assert_int_eq(sqlite3_open_v2(dbpath, &anki, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    static const struct { const char *sql; int64_t want; } checks[] = {
        {"SELECT ver FROM col", 11},
        {"SELECT count(*) FROM notes", 0},        /* checked below: the deck's notes */
        {"SELECT count(*) FROM cards", 0},        /* and its cards */
        {"SELECT count(*) FROM cards WHERE nid NOT IN (SELECT id FROM notes)", 0},
        {"SELECT count(*) FROM notes WHERE mid NOT IN (SELECT CAST(key AS INTEGER) FROM col, json_each(col.models))", 0},
        {"SELECT count(*) FROM cards WHERE did NOT IN (SELECT CAST(key AS INTEGER) FROM col, json_each(col.decks))", 0},
        {"SELECT count(*) FROM notes AS n, col WHERE (length(n.flds) - length(replace(n.flds, char(31), '')) + 1) <> "
         "json_array_length(json_extract(col.models, '$.' || n.mid || '.flds'))", 0},
        {"SELECT count(DISTINCT guid) FROM notes", 0}, /* one per note */
        {"SELECT count(*) FROM revlog", 2},
        {"SELECT group_concat(ease) FROM (SELECT ease FROM revlog ORDER BY id)", 0}, /* checked below */
        {"SELECT count(*) FROM cards WHERE type = 2 AND queue = 2", 1},
        {"SELECT count(*) FROM cards WHERE queue = -1", 1},
        {"SELECT count(*) FROM notes WHERE tags LIKE '% alliance::choice %'", 0}, /* checked below */
        {"SELECT json_extract(col.decks, '$.1.name') = 'Default' FROM col", 1},
    };
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        sqlite3_stmt *stmt = NULL;
        ck_assert_msg(sqlite3_prepare_v2(anki, checks[i].sql, -1, &stmt, NULL) == SQLITE_OK, "%s: %s", checks[i].sql,
                      sqlite3_errmsg(anki));
        ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
        if (i == 1 || i == 7)
            ck_assert_int_eq(sqlite3_column_int64(stmt, 0), notes);
        else if (i == 2)
            ck_assert_int_eq(sqlite3_column_int64(stmt, 0), cards);
        else if (i == 9)
            ck_assert_str_eq((const char *)sqlite3_column_text(stmt, 0), "4,3"); /* grades 5, 4: Easy, Good */
        else if (i == 12)
            ck_assert_int_gt(sqlite3_column_int64(stmt, 0), 0);
        else
            ck_assert_msg(sqlite3_column_int64(stmt, 0) == checks[i].want, "%s: %lld", checks[i].sql,
                          (long long)sqlite3_column_int64(stmt, 0));
        sqlite3_finalize(stmt);
    }
    sqlite3_close(anki);
}
END_TEST

/* ---- hostile packages ---- */

typedef struct member {
    const char *name;
    const void *data;
    size_t len;
} member;

/* A zip of the members, in memory (freed by the caller). */
static char *zip_of(const member *members, size_t n, size_t *out_len)
{
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t *out = zip_source_buffer_create(NULL, 0, 0, &error);
    zip_t *z = zip_open_from_source(out, ZIP_TRUNCATE, &error);
    ck_assert_ptr_nonnull(z);
    zip_source_keep(out);
    for (size_t i = 0; i < n; i++) {
        zip_source_t *src = zip_source_buffer(z, members[i].data, members[i].len, 0);
        ck_assert_int_ge(zip_file_add(z, members[i].name, src, ZIP_FL_ENC_UTF_8), 0);
    }
    ck_assert_int_eq(zip_close(z), 0);
    zip_stat_t st;
    zip_source_stat(out, &st);
    char *bytes = malloc(st.size);
    zip_source_open(out);
    ck_assert_int_eq(zip_source_read(out, bytes, st.size), (zip_int64_t)st.size);
    zip_source_close(out);
    zip_source_free(out);
    zip_error_fini(&error);
    *out_len = st.size;
    return bytes;
}

/* A member of a fixture package, as stored (zstd left compressed). */
static char *member_of(const char *package, const char *name, size_t *len)
{
    int zerr = 0;
    zip_t *z = zip_open(fixture(package), ZIP_RDONLY, &zerr);
    ck_assert_ptr_nonnull(z);
    zip_stat_t st;
    ck_assert_int_eq(zip_stat(z, name, 0, &st), 0);
    char *bytes = malloc(st.size + 1);
    zip_file_t *f = zip_fopen(z, name, 0);
    ck_assert_int_eq(zip_fread(f, bytes, st.size), (zip_int64_t)st.size);
    zip_fclose(f);
    zip_discard(z);
    *len = st.size;
    return bytes;
}

/* Refused with `code`, a message holding `says`, and nothing written. */
static void refused(const char *data, size_t len, int code, const char *says)
{
    alliance_import_report *r = NULL;
    ck_assert_int_eq(import_bytes("bad.apkg", data, len, &r), code);
    ck_assert_msg(strstr(alliance_errmsg(db), says) != NULL, "message: %s", alliance_errmsg(db));
    if (r)
        ck_assert_uint_eq(r->added, 0);
    alliance_free(r);
    ck_assert_uint_eq(total_cards(), 0);
}

START_TEST(a_member_that_is_a_path_is_refused_by_name)
{
    size_t len;
    member m[] = {{"collection.anki2", "x", 1}, {"../../x", "evil", 4}};
    char *z = zip_of(m, 2, &len);
    refused(z, len, ALLIANCE_EPARSE, "member '../../x': a path, not a file name");
    free(z);
    member abs[] = {{"/etc/passwd", "evil", 4}};
    z = zip_of(abs, 1, &len);
    refused(z, len, ALLIANCE_EPARSE, "member '/etc/passwd'");
    free(z);
}
END_TEST

START_TEST(not_a_zip_or_a_zip_without_a_collection_is_refused)
{
    refused("just text", 9, ALLIANCE_EPARSE, "bad.apkg: not a package");
    size_t len;
    member m[] = {{"media", "{}", 2}};
    char *z = zip_of(m, 1, &len);
    refused(z, len, ALLIANCE_EPARSE, "no collection in the package");
    free(z);
    member notdb[] = {{"collection.anki2", "SQLite format 2 but not really, and long enough to look at", 59}};
    z = zip_of(notdb, 1, &len);
    refused(z, len, ALLIANCE_EPARSE, "bad.apkg:collection.anki2: not a SQLite database");
    free(z);
}
END_TEST

START_TEST(the_placeholder_of_a_current_package_is_never_imported)
{
    size_t n, len;
    char *placeholder = member_of("anki-current-example.apkg", "collection.anki2", &n);
    member m[] = {{"collection.anki2", placeholder, n}};
    char *z = zip_of(m, 1, &len);
    refused(z, len, ALLIANCE_EPARSE, "the placeholder a current package holds");
    free(z);
    /* With meta saying "current" and no anki21b, the package says what is missing. */
    member meta[] = {{"meta", "\x08\x03", 2}, {"collection.anki2", placeholder, n}};
    z = zip_of(meta, 2, &len);
    refused(z, len, ALLIANCE_EPARSE, "member 'collection.anki21b' is missing");
    free(z);
    free(placeholder);
}
END_TEST

START_TEST(a_damaged_zstd_frame_is_refused_by_member)
{
    size_t n, len;
    char *frame = member_of("anki-current-example.apkg", "collection.anki21b", &n);
    /* The frame header's reserved bit (Frame_Header_Descriptor, bit 3): no decoder accepts it.
     * (Anki writes frames without a checksum, so a flipped byte inside a raw block would go
     * unnoticed by zstd: SQLite then reads a damaged page, which is its own check.) */
    frame[4] |= 0x08;
    member m[] = {{"meta", "\x08\x03", 2}, {"collection.anki21b", frame, n}};
    char *z = zip_of(m, 2, &len);
    refused(z, len, ALLIANCE_EPARSE, "bad.apkg: member 'collection.anki21b': not zstd-compressed");
    free(z);
    /* Cut short. */
    frame[4] &= (char)~0x08;
    member cut[] = {{"meta", "\x08\x03", 2}, {"collection.anki21b", frame, 200}};
    z = zip_of(cut, 2, &len);
    refused(z, len, ALLIANCE_EPARSE, "member 'collection.anki21b': the zstd data ends inside a frame");
    free(z);
    free(frame);
}
END_TEST

START_TEST(a_zstd_bomb_is_refused_before_it_is_inflated)
{
    /* 600 MiB of zeros in a few KiB, declaring its size: over the 512 MiB limit. */
    ZSTD_CCtx *cctx = ZSTD_createCCtx();
    size_t total = (size_t)600 << 20;
    ck_assert(!ZSTD_isError(ZSTD_CCtx_setPledgedSrcSize(cctx, total)));
    static char zeros[1 << 20];
    size_t cap = 1 << 20, len = 0;
    char *bomb = malloc(cap);
    for (size_t fed = 0; fed < total; fed += sizeof zeros) {
        ZSTD_inBuffer in = {zeros, sizeof zeros, 0};
        ZSTD_EndDirective end = fed + sizeof zeros >= total ? ZSTD_e_end : ZSTD_e_continue;
        size_t left;
        do {
            ZSTD_outBuffer out = {bomb + len, cap - len, 0};
            left = ZSTD_compressStream2(cctx, &out, &in, end);
            ck_assert(!ZSTD_isError(left));
            len += out.pos;
        } while (in.pos < in.size || (end == ZSTD_e_end && left != 0));
    }
    ZSTD_freeCCtx(cctx);
    ck_assert_uint_lt(len, 64 << 10);
    member m[] = {{"meta", "\x08\x03", 2}, {"collection.anki21b", bomb, len}};
    size_t zlen;
    char *z = zip_of(m, 2, &zlen);
    refused(z, zlen, ALLIANCE_ELIMIT, "member 'collection.anki21b': 629145600 bytes uncompressed, over the limit");
    free(z);
    free(bomb);
}
END_TEST

/* A deflated member that inflates past the size it declares is cut at that size plus one byte. */
START_TEST(a_member_larger_than_it_declares_is_refused)
{
    static char zeros[1 << 20];
    size_t len;
    member m[] = {{"collection.anki2", zeros, sizeof zeros}};
    char *z = zip_of(m, 1, &len);
    /* Declare 1000 bytes in the local and the central header (uncompressed size fields). */
    uint32_t small = 1000;
    ck_assert_int_eq(memcmp(z, "PK\x03\x04", 4), 0);
    memcpy(z + 22, &small, 4);
    char *central = NULL;
    for (size_t i = 0; i + 4 <= len && !central; i++)
        if (memcmp(z + i, "PK\x01\x02", 4) == 0)
            central = z + i;
    ck_assert_ptr_nonnull(central);
    memcpy(central + 24, &small, 4);
    alliance_import_report *r = NULL;
    int rc = import_bytes("bad.apkg", z, len, &r);
    ck_assert_int_eq(rc, ALLIANCE_EPARSE);
    ck_assert_msg(strstr(alliance_errmsg(db), "collection.anki2") != NULL || strstr(alliance_errmsg(db), "not a package"),
                  "%s", alliance_errmsg(db));
    alliance_free(r);
    ck_assert_uint_eq(total_cards(), 0);
    free(z);
}
END_TEST

/* A schema-11 database whose notes table is a view (and with a trigger): the embedded database
 * runs nothing of its own; the package is refused naming the member. */
START_TEST(a_crafted_database_runs_nothing_and_is_refused)
{
    const char *path = alliance_test_path("crafted.anki2");
    remove(path);
    sqlite3 *c = NULL;
    ck_assert_int_eq(sqlite3_open(path, &c), SQLITE_OK);
    const char *sql =
        "CREATE TABLE col (id integer primary key, crt integer, mod integer, scm integer, ver integer, dty integer,"
        " usn integer, ls integer, conf text, models text, decks text, dconf text, tags text);"
        "INSERT INTO col VALUES (1, 0, 0, 0, 11, 0, 0, 0, '{}', '{\"1\":{\"name\":\"Basic\",\"type\":0,\"tmpls\":[{}],"
        "\"flds\":[{\"name\":\"Front\"},{\"name\":\"Back\"}]}}', '{\"1\":{\"name\":\"Default\"}}', '{}', '{}');"
        "CREATE TABLE cards (id integer primary key, nid integer, did integer, odid integer, ord integer, type integer,"
        " queue integer, due integer, odue integer, ivl integer, factor integer, reps integer, lapses integer);"
        "CREATE TABLE revlog (id integer primary key, cid integer, ease integer, type integer, ivl integer,"
        " lastIvl integer, factor integer, time integer);"
        "CREATE TABLE log (x);"
        "CREATE TRIGGER t AFTER INSERT ON cards BEGIN INSERT INTO log VALUES (1); END;"
        "CREATE VIEW notes AS SELECT 1 AS id, 'g' AS guid, 1 AS mid, 'f' || char(31) || 'b' AS flds, '' AS tags;";
    ck_assert_int_eq(sqlite3_exec(c, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(c);
    size_t n, len;
    char *bytes = alliance_test_read_file(path, &n);
    member m[] = {{"collection.anki2", bytes, n}};
    char *z = zip_of(m, 1, &len);
    refused(z, len, ALLIANCE_EPARSE, "bad.apkg:collection.anki2: reading the notes");
    free(z);
    free(bytes);
}
END_TEST

/* A deck name from a package follows the one text rule (core/text.h) as a deck file's does:
 * "Deck " would export as "deck: Deck", which reads back as another deck (the card is then
 * "already in deck \"Deck \""); a CR or a line break could not be written back at all. */
START_TEST(a_package_deck_name_follows_the_text_rule)
{
    static const char *const names[] = {"Deck ", " Deck", "De\rck", "Line\nBreak"};
    static const char *const problems[] = {"a blank at its end", "a blank at its start",
                                           "a carriage return", "a line break"};
    size_t media_len = 0;
    /* Anki 2.0's package of two notes in the deck "Test" (id 1498741796675). */
    char *media = member_of("anki-legacy-anki2-french-2notes.apkg", "media", &media_len);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t n = 0, len = 0;
        char *bytes = member_of("anki-legacy-anki2-french-2notes.apkg", "collection.anki2", &n);
        const char *path = alliance_test_path("renamed.anki2");
        FILE *f = fopen(path, "wb");
        ck_assert_ptr_nonnull(f);
        ck_assert_uint_eq(fwrite(bytes, 1, n, f), n);
        ck_assert_int_eq(fclose(f), 0);
        free(bytes);
        sqlite3 *c = NULL;
        sqlite3_stmt *stmt = NULL;
        ck_assert_int_eq(sqlite3_open(path, &c), SQLITE_OK);
        ck_assert_int_eq(sqlite3_prepare_v2(c, "UPDATE col SET decks = json_set(decks, '$.\"1498741796675\".name', ?1)", -1,
                                            &stmt, NULL), SQLITE_OK);
        sqlite3_bind_text(stmt, 1, names[i], -1, SQLITE_STATIC);
        ck_assert_int_eq(sqlite3_step(stmt), SQLITE_DONE);
        ck_assert_int_eq(sqlite3_changes(c), 1);
        sqlite3_finalize(stmt);
        sqlite3_close(c);
        bytes = alliance_test_read_file(path, &n);
        member m[] = {{"collection.anki2", bytes, n}, {"media", media, media_len}};
        char *z = zip_of(m, 2, &len);
        alliance_import_report *r = NULL;
        ck_assert_int_eq(import_bytes("bad.apkg", z, len, &r), ALLIANCE_EPARSE);
        const char *msg = alliance_errmsg(db);
        ck_assert_msg(strstr(msg, "invalid deck name") && strstr(msg, problems[i]), "deck name %zu: %s", i, msg);
        ck_assert_msg(!strchr(msg, '\r'), "the message holds a raw CR: %s", msg);
        alliance_free(r);
        ck_assert_uint_eq(total_cards(), 0);
        free(z);
        free(bytes);
    }
    free(media);
}
END_TEST

START_TEST(a_package_without_notes_imports_nothing)
{
    const char *path = alliance_test_path("empty.anki2");
    remove(path);
    sqlite3 *c = NULL;
    ck_assert_int_eq(sqlite3_open(path, &c), SQLITE_OK);
    const char *sql =
        "CREATE TABLE col (id integer primary key, crt integer, mod integer, scm integer, ver integer, dty integer,"
        " usn integer, ls integer, conf text, models text, decks text, dconf text, tags text);"
        "INSERT INTO col VALUES (1, 0, 0, 0, 11, 0, 0, 0, '{}', '{}', '{\"1\":{\"name\":\"Default\"}}', '{}', '{}');"
        "CREATE TABLE notes (id integer primary key, guid text, mid integer, mod integer, usn integer, tags text,"
        " flds text, sfld text, csum integer, flags integer, data text);"
        "CREATE TABLE cards (id integer primary key, nid integer, did integer, odid integer, ord integer, type integer,"
        " queue integer, due integer, odue integer, ivl integer, factor integer, reps integer, lapses integer);"
        "CREATE TABLE revlog (id integer primary key, cid integer, ease integer, type integer, ivl integer,"
        " lastIvl integer, factor integer, time integer);";
    ck_assert_int_eq(sqlite3_exec(c, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(c);
    size_t n, len;
    char *bytes = alliance_test_read_file(path, &n);
    member m[] = {{"collection.anki2", bytes, n}};
    char *z = zip_of(m, 1, &len);
    alliance_import_report *r = NULL;
    ck_assert_int_eq(import_bytes("empty.apkg", z, len, &r), ALLIANCE_OK);
    ck_assert_uint_eq(r->added, 0);
    ck_assert_uint_eq(r->deck_count, 0);
    ck_assert_int_eq(r->deck_id, 0);
    alliance_free(r);
    int64_t id;
    ck_assert_int_eq(alliance_deck_id(db, "Default", 0, &id), ALLIANCE_ENOTFOUND);
    free(z);
    free(bytes);
}
END_TEST

/* A package that cannot be read at all is the file system's failure, as for a deck file: a
 * missing file is ALLIANCE_ENOTFOUND, a directory or an unreadable file ALLIANCE_EIO, each with
 * the OS's reason; and, as alliance.h says, no report (one is made for EPARSE and ELIMIT only).
 * The package reader said "not a package (a zip archive): No such file" (a directory:
 * ALLIANCE_EPARSE, "Operation not supported") and handed out a report the caller, following
 * the header, would not free. */
START_TEST(a_package_that_cannot_be_read_is_the_file_systems_failure_without_a_report)
{
    alliance_import_report *r = NULL;
    ck_assert_int_eq(import_file(alliance_test_path("no-such.apkg"), &r), ALLIANCE_ENOTFOUND);
    ck_assert_ptr_null(r);
    ck_assert_msg(strstr(alliance_errmsg(db), "cannot read ") && strstr(alliance_errmsg(db), "no-such.apkg: No such file"),
                  "%s", alliance_errmsg(db));
    const char *dir = alliance_test_path("a-directory.apkg");
    mkdir(dir, 0700);
    ck_assert_int_eq(import_file(dir, &r), ALLIANCE_EIO);
    ck_assert_ptr_null(r);
    ck_assert_msg(strstr(alliance_errmsg(db), "cannot read ") && strstr(alliance_errmsg(db), "a-directory.apkg: Is a directory"),
                  "%s", alliance_errmsg(db));
    rmdir(dir);
    ck_assert_uint_eq(total_cards(), 0);
}
END_TEST

/* The tables of a schema-11 collection as Anki 2.1 writes them; `rows` fills them. */
static const char legacy_tables[] =
    "CREATE TABLE col (id integer primary key, crt integer, mod integer, scm integer, ver integer, dty integer,"
    " usn integer, ls integer, conf text, models text, decks text, dconf text, tags text);"
    "CREATE TABLE notes (id integer primary key, guid text, mid integer, mod integer, usn integer, tags text,"
    " flds text, sfld text, csum integer, flags integer, data text);"
    "CREATE TABLE cards (id integer primary key, nid integer, did integer, ord integer, mod integer, usn integer,"
    " type integer, queue integer, due integer, ivl integer, factor integer, reps integer, lapses integer,"
    " left integer, odue integer, odid integer, flags integer, data text);"
    "CREATE TABLE revlog (id integer primary key, cid integer, usn integer, ease integer, ivl integer,"
    " lastIvl integer, factor integer, time integer, type integer);";

/* A legacy package (collection.anki2 and an empty media map) whose collection `rows` fills. */
static char *legacy_package(const char *rows, size_t *out_len)
{
    const char *path = alliance_test_path("legacy.anki2");
    remove(path);
    sqlite3 *c = NULL;
    ck_assert_int_eq(sqlite3_open(path, &c), SQLITE_OK);
    ck_assert_msg(sqlite3_exec(c, legacy_tables, NULL, NULL, NULL) == SQLITE_OK, "%s", sqlite3_errmsg(c));
    ck_assert_msg(sqlite3_exec(c, rows, NULL, NULL, NULL) == SQLITE_OK, "%s", sqlite3_errmsg(c));
    sqlite3_close(c);
    size_t n;
    char *bytes = alliance_test_read_file(path, &n);
    member m[] = {{"collection.anki2", bytes, n}, {"media", "{}", 2}};
    char *z = zip_of(m, 2, out_len);
    free(bytes);
    return z;
}

#define BASIC_MODEL \
    "'{\"1\":{\"name\":\"Basic\",\"type\":0,\"tmpls\":[{}],\"flds\":[{\"name\":\"Front\"},{\"name\":\"Back\"}]}}'"

/* Anki trims every level of a deck's name and keeps control characters out of it; a package
 * whose deck name breaks the rule every deck name follows here (docs/deck-format.md, "Text")
 * was stored as it was: " Spaced " exported as "deck:  Spaced " and read back as another deck,
 * "Two\nlines" as a broken file. It is refused, naming the member and the row. */
START_TEST(a_deck_name_no_anki_writes_is_refused_naming_the_row)
{
    static const char *const names[] = {" Spaced ", "Two\\nlines", "Tab\\tEnd\\t"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char rows[2048];
        snprintf(rows, sizeof rows,
                 "INSERT INTO col VALUES (1, 1700000000, 0, 0, 11, 0, 0, 0, '{}', " BASIC_MODEL ","
                 " '{\"1\":{\"name\":\"Default\"},\"2\":{\"name\":\"Good\"},\"3\":{\"name\":\"%s\"}}', '{}', '{}');"
                 "INSERT INTO notes VALUES (1, 'g1', 1, 0, 0, '', 'f1' || char(31) || 'b1', '', 0, 0, '');"
                 "INSERT INTO notes VALUES (2, 'g2', 1, 0, 0, '', 'f2' || char(31) || 'b2', '', 0, 0, '');"
                 "INSERT INTO cards VALUES (11, 1, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, '');"
                 "INSERT INTO cards VALUES (12, 2, 3, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, '');",
                 names[i]);
        size_t len;
        char *z = legacy_package(rows, &len);
        alliance_import_report *r = NULL;
        ck_assert_int_eq(import_bytes("decks.apkg", z, len, &r), ALLIANCE_EPARSE);
        ck_assert_msg(strstr(alliance_errmsg(db), "decks.apkg:collection.anki2:2:1: ") == alliance_errmsg(db) &&
                          strstr(alliance_errmsg(db), "invalid deck name") && !strchr(alliance_errmsg(db), '\n'),
                      "%s", alliance_errmsg(db));
        ck_assert_ptr_nonnull(r);
        ck_assert_uint_eq(r->error_count, 1);
        alliance_free(r);
        ck_assert_uint_eq(total_cards(), 0);
        int64_t id;
        ck_assert_int_eq(alliance_deck_id(db, "Good", 0, &id), ALLIANCE_ENOTFOUND);
        free(z);
    }
}
END_TEST

/* Anki's suspended (queue -1) and buried (-2, -3) cards are added suspended and buried: a
 * basic card, the reverse card of a reversed note, a cloze deletion. The learner's own choice
 * here wins on a re-import; verify stays exact and a clone holds the same. */
START_TEST(suspended_and_buried_cards_stay_so)
{
    const char *rows =
        "INSERT INTO col VALUES (1, 1700000000, 0, 0, 11, 0, 0, 0, '{}', '{"
        "\"1\":{\"name\":\"Basic\",\"type\":0,\"tmpls\":[{}],\"flds\":[{\"name\":\"Front\"},{\"name\":\"Back\"}]},"
        "\"2\":{\"name\":\"Basic (and reversed card)\",\"type\":0,\"tmpls\":[{},{}],"
        "\"flds\":[{\"name\":\"Front\"},{\"name\":\"Back\"}]},"
        "\"3\":{\"name\":\"Cloze\",\"type\":1,\"tmpls\":[{}],\"flds\":[{\"name\":\"Text\"},{\"name\":\"Back Extra\"}]}}',"
        " '{\"1\":{\"name\":\"Default\"},\"7\":{\"name\":\"Held\"}}', '{}', '{}');"
        "INSERT INTO notes VALUES (1, 'gs', 1, 0, 0, '', 'sf' || char(31) || 'sb', '', 0, 0, '');"
        "INSERT INTO notes VALUES (2, 'gb', 1, 0, 0, '', 'bf' || char(31) || 'bb', '', 0, 0, '');"
        "INSERT INTO notes VALUES (3, 'gr', 2, 0, 0, '', 'rf' || char(31) || 'rb', '', 0, 0, '');"
        "INSERT INTO notes VALUES (4, 'gc', 3, 0, 0, '', 'x {{c1::a}} {{c2::b}}' || char(31) || '', '', 0, 0, '');"
        "INSERT INTO notes VALUES (5, 'gn', 1, 0, 0, '', 'nf' || char(31) || 'nb', '', 0, 0, '');"
        "INSERT INTO cards VALUES (11, 1, 7, 0, 0, 0, 0, -1, 1, 0, 0, 0, 0, 0, 0, 0, 0, '');"
        "INSERT INTO cards VALUES (12, 2, 7, 0, 0, 0, 0, -2, 2, 0, 0, 0, 0, 0, 0, 0, 0, '');"
        "INSERT INTO cards VALUES (13, 3, 7, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, '');"
        "INSERT INTO cards VALUES (14, 3, 7, 1, 0, 0, 0, -1, 3, 0, 0, 0, 0, 0, 0, 0, 0, '');"
        "INSERT INTO cards VALUES (15, 4, 7, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, '');"
        "INSERT INTO cards VALUES (16, 4, 7, 1, 0, 0, 0, -3, 4, 0, 0, 0, 0, 0, 0, 0, 0, '');"
        "INSERT INTO cards VALUES (17, 5, 7, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, '');";
    size_t len;
    char *z = legacy_package(rows, &len);
    alliance_import_report *r = NULL;
    ck_assert_int_eq(import_bytes("held.apkg", z, len, &r), ALLIANCE_OK);
    ck_assert_uint_eq(r->added, 7);
    ck_assert_str_eq(r->deck_name, "Held");
    ck_assert_ptr_nonnull(strstr(r->notices, "2 cards suspended and 2 buried in Anki: a card this import adds stays so"));
    alliance_free(r);
    int64_t today;
    ck_assert_int_eq(alliance_today(db, ALLIANCE_TEST_NOW, &today), 0);
    static const struct {
        const char *id;
        uint32_t suspended;
        int buried;
    } want[] = {{"gs", 1, 0}, {"gb", 0, 1}, {"gr", 0, 0}, {"gr~reverse", 1, 0},
                {"gc::c1", 0, 0}, {"gc::c2", 0, 1}, {"gn", 0, 0}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        alliance_card *c = card(want[i].id);
        ck_assert_msg(c->suspended == want[i].suspended, "%s: suspended %u", want[i].id, c->suspended);
        ck_assert_msg(c->buried_until_day == (want[i].buried ? today + 1 : INT64_MIN), "%s: buried until %lld",
                      want[i].id, (long long)c->buried_until_day);
        alliance_free(c);
    }
    ck_assert_uint_eq(sync_verify(db), 0);
    /* A clone holds the same: the flags group was stamped. */
    alliance_db *clone = sync_clone_of(db, ":memory:");
    char *a = sync_dump(db), *b = sync_dump(clone);
    ck_assert_msg(strcmp(a, b) == 0, "%s", sync_dump_diff(a, b));
    free(a);
    free(b);
    alliance_card *cc = NULL;
    ck_assert_int_eq(alliance_card_get(clone, "gr~reverse", &cc), 0);
    ck_assert_uint_eq(cc->suspended, 1);
    alliance_free(cc);
    ck_assert_uint_eq(sync_verify(clone), 0);
    alliance_close(clone);
    /* The learner lifts a suspension here; the same package again keeps it lifted. */
    ck_assert_int_eq(alliance_card_suspend(db, "gs", 0, ALLIANCE_TEST_NOW), 0);
    ck_assert_int_eq(import_bytes("held.apkg", z, len, &r), ALLIANCE_OK);
    ck_assert_uint_eq(r->unchanged, 7);
    alliance_free(r);
    alliance_card *c = card("gs");
    ck_assert_uint_eq(c->suspended, 0);
    alliance_free(c);
    ck_assert_uint_eq(sync_verify(db), 0);
    free(z);
}
END_TEST

/* The real learner's package: its 4 suspended cards are suspended here too (those whose notes
 * our rules keep), the collection verifies clean, and a clone holds the same. */
START_TEST(a_reviewed_package_keeps_its_suspended_cards_and_syncs)
{
    alliance_import_report *r = NULL;
    ck_assert_int_eq(import_file(fixture("anki-current-spanish-reviewed.apkg"), &r), ALLIANCE_OK);
    ck_assert_ptr_nonnull(strstr(r->notices, "4 cards suspended and 0 buried in Anki"));
    alliance_free(r);
    alliance_stats stats;
    alliance_stats_init(&stats, ALLIANCE_STATS_VERSION);
    ck_assert_int_eq(alliance_stats_get(db, 0, ALLIANCE_TEST_NOW, 7, &stats), 0);
    ck_assert_uint_eq(stats.suspended, 4);
    ck_assert_uint_eq(sync_verify(db), 0);
    alliance_db *clone = sync_clone_of(db, ":memory:");
    ck_assert_int_eq(alliance_stats_get(clone, 0, ALLIANCE_TEST_NOW, 7, &stats), 0);
    ck_assert_uint_eq(stats.suspended, 4);
    ck_assert_uint_eq(sync_verify(clone), 0);
    alliance_close(clone);
}
END_TEST

/* Importing a newer version of a package updates the cards by GUID and keeps what the learner
 * did here: the answers, the schedule. */
START_TEST(a_reimport_updates_by_guid_and_keeps_our_history)
{
    alliance_import_report *r = NULL;
    ck_assert_int_eq(import_file(fixture("anki-legacy-anki2-french-2notes.apkg"), &r), ALLIANCE_OK);
    alliance_free(r);
    alliance_sm2_state after;
    ck_assert_int_eq(alliance_answer(db, "G*PzaY,&cZ", 4, ALLIANCE_TEST_NOW, 2000, &after), ALLIANCE_OK);

    /* The same package after the learner edited one note in Anki. */
    size_t n = 0, media_len = 0, len = 0;
    char *bytes = member_of("anki-legacy-anki2-french-2notes.apkg", "collection.anki2", &n);
    char *media = member_of("anki-legacy-anki2-french-2notes.apkg", "media", &media_len);
    const char *path = alliance_test_path("edited.anki2");
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(bytes, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
    free(bytes);
    sqlite3 *c = NULL;
    ck_assert_int_eq(sqlite3_open(path, &c), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(c, "UPDATE notes SET flds = 'cat' || char(31) || 'le chat (m.)' || substr(flds, "
                                     "instr(flds, char(31) || 'noun')) WHERE guid = 'G*PzaY,&cZ'",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    ck_assert_int_eq(sqlite3_changes(c), 1);
    sqlite3_close(c);
    bytes = alliance_test_read_file(path, &n);
    member m[] = {{"collection.anki2", bytes, n}, {"media", media, media_len}};
    char *z = zip_of(m, 2, &len);
    ck_assert_int_eq(import_bytes("edited.apkg", z, len, &r), ALLIANCE_OK);
    ck_assert_uint_eq(r->updated, 1);
    ck_assert_uint_eq(r->unchanged, 1);
    ck_assert_uint_eq(r->added + r->suspended, 0);
    alliance_free(r);
    alliance_card *card_now = card("G*PzaY,&cZ");
    ck_assert_str_eq(card_now->back, "le chat (m.)");
    ck_assert_uint_eq(card_now->reviews, 1);
    ck_assert_uint_eq(card_now->state.repetitions, after.repetitions);
    ck_assert_uint_eq(card_now->state.interval_days, after.interval_days);
    ck_assert_uint_eq(card_now->state.efactor_milli, after.efactor_milli);
    alliance_free(card_now);
    ck_assert_uint_eq(sync_verify(db), 0);
    free(z);
    free(bytes);
    free(media);
}
END_TEST

START_TEST(a_package_of_garbage_members_never_crashes)
{
    /* Every byte of a real package flipped in turn, a few at a time: each read ends in 0 or an
     * error, never a crash (the fuzz target does this at length: fuzz/fuzz_apkg.c). */
    size_t n;
    char *pkg = alliance_test_read_file(fixture("anki-legacy-anki2-french-2notes.apkg"), &n);
    ck_assert_ptr_nonnull(pkg);
    for (size_t i = 0; i < n; i += 97) {
        pkg[i] ^= 0xFF;
        alliance__apkg p;
        alliance__apkg_init(&p);
        int rc = alliance__apkg_read(&p, "flipped.apkg", NULL, pkg, n);
        ck_assert_msg(rc == 0 || rc == ALLIANCE_EPARSE || rc == ALLIANCE_ELIMIT, "byte %zu: %d", i, rc);
        ck_assert_msg(rc == 0 || p.error[0], "byte %zu: no message", i);
        alliance__apkg_free(&p);
        pkg[i] ^= 0xFF;
    }
    free(pkg);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("apkg");
    TCase *anki = tcase_create("written_by_anki");
    tcase_add_checked_fixture(anki, setup, teardown);
    tcase_set_timeout(anki, 120);
    tcase_add_test(anki, a_current_package_written_by_anki_imports);
    tcase_add_test(anki, a_reviewed_collection_brings_decks_subdecks_tags_and_note_types);
    tcase_add_test(anki, legacy_packages_written_by_anki_import);
    tcase_add_test(anki, a_package_of_a_third_party_writer_imports);
    tcase_add_test(anki, every_anki_schedule_becomes_a_state_sm2_accepts);
    tcase_add_test(anki, anki_buttons_map_to_sm2_grades);
    tcase_add_test(anki, each_kind_of_anki_card_maps_as_documented);
    tcase_add_test(anki, an_sm2_package_written_by_anki_maps_exactly);
    suite_add_tcase(s, anki);
    TCase *ours = tcase_create("ours");
    tcase_add_checked_fixture(ours, setup, teardown);
    tcase_add_test(anki, a_reviewed_package_keeps_its_suspended_cards_and_syncs);
    tcase_add_test(ours, suspended_and_buried_cards_stay_so);
    tcase_add_test(ours, an_anki_package_round_trips_through_ours);
    tcase_add_test(anki, a_reimport_updates_by_guid_and_keeps_our_history);
    tcase_add_test(ours, our_package_reads_back_with_every_card_unchanged);
    tcase_add_test(ours, our_package_holds_the_schedule_and_the_history);
    tcase_add_test(ours, a_time_a_package_cannot_hold_is_refused_not_overflowed);
    suite_add_tcase(s, ours);
    TCase *hostile = tcase_create("hostile");
    tcase_add_checked_fixture(hostile, setup, teardown);
    tcase_set_timeout(hostile, 120);
    tcase_add_test(hostile, a_member_that_is_a_path_is_refused_by_name);
    tcase_add_test(hostile, not_a_zip_or_a_zip_without_a_collection_is_refused);
    tcase_add_test(hostile, the_placeholder_of_a_current_package_is_never_imported);
    tcase_add_test(hostile, a_damaged_zstd_frame_is_refused_by_member);
    tcase_add_test(hostile, a_zstd_bomb_is_refused_before_it_is_inflated);
    tcase_add_test(hostile, a_member_larger_than_it_declares_is_refused);
    tcase_add_test(hostile, a_crafted_database_runs_nothing_and_is_refused);
    tcase_add_test(hostile, a_package_without_notes_imports_nothing);
    tcase_add_test(hostile, a_package_deck_name_follows_the_text_rule);
    tcase_add_test(hostile, a_package_of_garbage_members_never_crashes);
    tcase_add_test(hostile, a_deck_name_no_anki_writes_is_refused_naming_the_row);
    tcase_add_test(hostile, a_package_that_cannot_be_read_is_the_file_systems_failure_without_a_report);
    suite_add_tcase(s, hostile);
    return alliance_test_run(s);
}
