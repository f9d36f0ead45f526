/* SPDX-License-Identifier: MIT */
/* apkg_history: Anki's schedules and review log written into the collection by an .apkg import
 * (docs/anki.md, "What a package's schedule becomes"): every card scheduled as mapped, every
 * answer of the revlog an imported row, verify exact after answering, undo and an FSRS switch,
 * a re-import adds nothing, two copies that imported the same package converge without
 * duplicate rows, and an export keeps the history. */
#include "testutil.h"
#include "sync_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static alliance_db *db;

static alliance_db *open_memory(void)
{
    alliance_open_options options;
    alliance_open_options_init(&options, ALLIANCE_OPEN_OPTIONS_VERSION);
    options.synchronous = ALLIANCE_SYNC_NORMAL;
    options.utc_offset_seconds = 0;
    alliance_db *d = NULL;
    ck_assert_int_eq(alliance_open(&d, ":memory:", &options), 0);
    return d;
}

static void setup(void)
{
    db = open_memory();
}

static void teardown(void)
{
    alliance_close(db);
    db = NULL;
}

static const char *fixture(const char *name)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/anki/%s", ALLIANCE_TEST_DATA, name);
    return path;
}

/* Imports a package into d; returns the report's notices (malloc'ed). */
static char *import_into(alliance_db *d, const char *path, const void *data, size_t len)
{
    alliance_import_options options;
    alliance_import_options_init(&options, ALLIANCE_IMPORT_OPTIONS_VERSION);
    options.format = ALLIANCE_FORMAT_APKG;
    alliance_import_report *r = NULL;
    int rc = data ? alliance_deck_import_buffer(d, path, data, len, &options, ALLIANCE_TEST_NOW, &r)
                  : alliance_deck_import(d, path, &options, ALLIANCE_TEST_NOW, &r);
    ck_assert_msg(rc == 0, "%s: %s", path, alliance_errmsg(d));
    char *notices = strdup(r->notices ? r->notices : "");
    alliance_free(r);
    return notices;
}

/* The rows of d's log: all of them, and those an import wrote; ids[] gets the import ids. */
static uint32_t log_rows(alliance_db *d, const char *card_id, uint32_t *imported, int64_t *ids, uint32_t cap)
{
    alliance_review_iter *it = NULL;
    ck_assert_int_eq(alliance_review_iter_open(&it, d, card_id), 0);
    uint32_t n = 0, k = 0;
    alliance_review r;
    alliance_review_init(&r, ALLIANCE_REVIEW_VERSION);
    while (alliance_review_iter_next(it, &r) == 0) {
        n++;
        if (r.import_id != 0) {
            if (ids && k < cap)
                ids[k] = r.import_id;
            k++;
        }
    }
    alliance_review_iter_free(it);
    if (imported)
        *imported = k;
    return n;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Anki's SM-2 package (tests/data/anki/README.md, anki-legacy-cloze-learning.apkg): each card
 * as an_sm2_package_written_by_anki_maps_exactly in test_apkg.c says, through the collection. */
static const struct {
    const char *id;
    uint32_t repetitions, efactor, interval;
    int64_t due_day, last_day;
    uint32_t reviews;
} want[] = {
    {"r|EIC$_]pj", 2, 2500, 1, 19459, 19458, 2},
    {"k&[6p>ObDt", 2, 2500, 3, 19461, 19458, 1},
    {"G[H4:`awB!", 0, 2500, 0, 19458, 19458, 1},
    {"OU~g|+iYDa", 0, 2500, 0, 19458, 19458, 1},
    {"OU~g|+iYDa~reverse", 0, 2500, 0, 19458, 19458, 1},
};
/* Its revlog, less the row of the cloze note our rules leave out (no deletion). */
static const int64_t want_ids[] = {1681200966396LL, 1681201657886LL, 1681201660753LL, 1681201675872LL,
                                   1681201686274LL, 1681201689692LL};
#define NWANT (sizeof want / sizeof want[0])
#define NIDS (sizeof want_ids / sizeof want_ids[0])

static void check_mapped(alliance_db *d)
{
    for (size_t i = 0; i < NWANT; i++) {
        alliance_card *c = NULL;
        ck_assert_msg(alliance_card_get(d, want[i].id, &c) == 0, "%s: %s", want[i].id, alliance_errmsg(d));
        ck_assert_msg(c->state.repetitions == want[i].repetitions && c->state.efactor_milli == want[i].efactor &&
                          c->state.interval_days == want[i].interval && c->state.repeat_today == 0,
                      "%s: {%u, %u, %u, %u}", want[i].id, c->state.repetitions, c->state.efactor_milli,
                      c->state.interval_days, c->state.repeat_today);
        ck_assert_msg(c->due_day == want[i].due_day, "%s: due %lld", want[i].id, (long long)c->due_day);
        ck_assert_int_eq(c->last_review_day, want[i].last_day);
        ck_assert_uint_eq(c->reviews, want[i].reviews);
        ck_assert_uint_eq(c->lapses, 0);
        ck_assert_uint_eq(c->suspended, 0);
        alliance_free(c);
    }
    int64_t ids[16];
    uint32_t imported = 0;
    ck_assert_uint_eq(log_rows(d, NULL, &imported, ids, 16), NIDS);
    ck_assert_uint_eq(imported, NIDS);
    qsort(ids, imported, sizeof ids[0], cmp_i64);
    for (size_t i = 0; i < NIDS; i++)
        ck_assert_int_eq(ids[i], want_ids[i]);
}

START_TEST(anki_sm2_history_is_written_as_mapped_and_verifies)
{
    char *notices = import_into(db, fixture("anki-legacy-cloze-learning.apkg"), NULL, 0);
    ck_assert_msg(strstr(notices, "6 answers imported as history (5 cards scheduled as in Anki)"), "%s", notices);
    free(notices);
    check_mapped(db);
    ck_assert_uint_eq(sync_verify(db), 0);
    /* Grades as documented: Good 4, Again 1, Easy 5 (schedVer 2: four buttons). */
    alliance_review_iter *it = NULL;
    ck_assert_int_eq(alliance_review_iter_open(&it, db, "G[H4:`awB!"), 0);
    alliance_review r;
    alliance_review_init(&r, ALLIANCE_REVIEW_VERSION);
    ck_assert_int_eq(alliance_review_iter_next(it, &r), 0);
    ck_assert_int_eq(r.grade, 1);
    ck_assert_int_eq(r.import_id, 1681201657886LL);
    ck_assert_int_eq(r.time, 1681201657);
    ck_assert_uint_eq(r.answer_ms, 5097);
    ck_assert_int_eq(alliance_review_iter_next(it, &r), ALLIANCE_DONE);
    alliance_review_iter_free(it);
    ck_assert_int_eq(alliance_review_iter_open(&it, db, "k&[6p>ObDt"), 0);
    ck_assert_int_eq(alliance_review_iter_next(it, &r), 0);
    ck_assert_int_eq(r.grade, 5);
    alliance_review_iter_free(it);

    /* Statistics count the imported history: 6 answers on day 19458 (a window reaching it). */
    alliance_stats stats;
    alliance_stats_init(&stats, ALLIANCE_STATS_VERSION);
    int64_t at = 19458 * INT64_C(86400) + 12 * 3600;
    ck_assert_int_eq(alliance_stats_get(db, 0, at, 1, &stats), 0);
    ck_assert_uint_eq(stats.reviews, NIDS);
    ck_assert_uint_eq(stats.correct, NIDS - 1);

    /* SM-2 goes on from Anki's state: Good on the review card multiplies its interval. */
    alliance_sm2_state after;
    ck_assert_int_eq(alliance_answer(db, "r|EIC$_]pj", 4, ALLIANCE_TEST_NOW, 1000, &after), 0);
    ck_assert_uint_eq(after.repetitions, 3);
    ck_assert_uint_eq(after.interval_days, 3); /* ceil(1 * 2.5) */
    ck_assert_uint_eq(sync_verify(db), 0);
    alliance_sm2_state replayed;
    int64_t due = 0;
    ck_assert_int_eq(alliance_replay(db, "r|EIC$_]pj", &replayed, &due), 0);
    ck_assert_uint_eq(replayed.interval_days, 3);
    /* Undo takes it back to Anki's state; then it stops at the imported rows. */
    char *undone = NULL;
    ck_assert_int_eq(alliance_undo(db, &undone), 0);
    ck_assert_str_eq(undone, "r|EIC$_]pj");
    alliance_free(undone);
    check_mapped(db);
    ck_assert_int_eq(alliance_undo(db, NULL), ALLIANCE_ENOUNDO);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "imported from Anki"));
    check_mapped(db);
    ck_assert_uint_eq(sync_verify(db), 0);

    /* Under FSRS the imported rows are ratings of each card's track; verify stays exact, and
     * back under SM-2 every card is Anki's state again. */
    ck_assert_int_eq(alliance_scheduler_set(db, ALLIANCE_SCHEDULER_FSRS, ALLIANCE_TEST_NOW, NULL), 0);
    ck_assert_uint_eq(sync_verify(db), 0);
    alliance_card *c = NULL;
    ck_assert_int_eq(alliance_card_get(db, "k&[6p>ObDt", &c), 0);
    ck_assert(c->fsrs.stability > 0);
    alliance_free(c);
    ck_assert_int_eq(alliance_answer(db, "k&[6p>ObDt", 3, ALLIANCE_TEST_NOW, 1000, NULL), 0);
    ck_assert_uint_eq(sync_verify(db), 0);
    ck_assert_int_eq(alliance_undo(db, NULL), 0);
    ck_assert_int_eq(alliance_scheduler_set(db, ALLIANCE_SCHEDULER_SM2, ALLIANCE_TEST_NOW, NULL), 0);
    ck_assert_uint_eq(sync_verify(db), 0);
    check_mapped(db);
}
END_TEST

START_TEST(a_reimport_adds_nothing_and_our_answers_win)
{
    free(import_into(db, fixture("anki-legacy-cloze-learning.apkg"), NULL, 0));
    char *notices = import_into(db, fixture("anki-legacy-cloze-learning.apkg"), NULL, 0);
    ck_assert_msg(strstr(notices, "answers imported") == NULL, "%s", notices);
    free(notices);
    check_mapped(db);
    ck_assert_uint_eq(sync_verify(db), 0);

    /* Answered here since: the same package again leaves our answer the last word. */
    alliance_sm2_state after;
    ck_assert_int_eq(alliance_answer(db, "k&[6p>ObDt", 4, ALLIANCE_TEST_NOW, 1000, &after), 0);
    notices = import_into(db, fixture("anki-legacy-cloze-learning.apkg"), NULL, 0);
    ck_assert_msg(strstr(notices, "answers imported") == NULL, "%s", notices);
    free(notices);
    alliance_card *c = NULL;
    ck_assert_int_eq(alliance_card_get(db, "k&[6p>ObDt", &c), 0);
    ck_assert_uint_eq(c->state.interval_days, after.interval_days);
    ck_assert_uint_eq(c->reviews, 2);
    alliance_free(c);
    ck_assert_uint_eq(log_rows(db, NULL, NULL, NULL, 0), NIDS + 1);
    ck_assert_uint_eq(sync_verify(db), 0);
}
END_TEST

/* The current-format package of a real learner: 31,363 revlog rows, 31,345 of them answers of
 * cards our rules keep. In seconds (ctest's timeout for the suite is 120 s). */
START_TEST(a_real_learners_history_imports_whole_and_verifies)
{
    char *notices = import_into(db, fixture("anki-current-spanish-reviewed.apkg"), NULL, 0);
    ck_assert_msg(strstr(notices, "31345 answers imported as history (2875 cards scheduled as in Anki)"), "%s",
                  notices);
    free(notices);
    uint32_t imported = 0;
    ck_assert_uint_eq(log_rows(db, NULL, &imported, NULL, 0), 31345);
    ck_assert_uint_eq(imported, 31345);
    ck_assert_uint_eq(sync_verify(db), 0);
    alliance_stats stats;
    alliance_stats_init(&stats, ALLIANCE_STATS_VERSION);
    ck_assert_int_eq(alliance_stats_get(db, 0, ALLIANCE_TEST_NOW, 7, &stats), 0);
    ck_assert_uint_eq(stats.learned, 2875);
    ck_assert_uint_eq(stats.suspended, 4);
    /* Again: nothing added. */
    notices = import_into(db, fixture("anki-current-spanish-reviewed.apkg"), NULL, 0);
    ck_assert_msg(strstr(notices, "answers imported") == NULL, "%s", notices);
    free(notices);
    ck_assert_uint_eq(log_rows(db, NULL, NULL, NULL, 0), 31345);
    ck_assert_uint_eq(sync_verify(db), 0);
}
END_TEST

START_TEST(two_copies_that_imported_one_package_converge_without_duplicates)
{
    alliance_db *b = sync_clone_of(db, ":memory:");
    free(import_into(db, fixture("anki-legacy-cloze-learning.apkg"), NULL, 0));
    free(import_into(b, fixture("anki-legacy-cloze-learning.apkg"), NULL, 0));
    ck_assert_int_eq(alliance_answer(b, "k&[6p>ObDt", 4, ALLIANCE_TEST_NOW, 1000, NULL), 0);
    sync_both(db, b);
    sync_both(db, b);
    char *x = sync_dump(db), *y = sync_dump(b);
    ck_assert_msg(strcmp(x, y) == 0, "%s", sync_dump_diff(x, y));
    free(x);
    free(y);
    uint32_t ia = 0, ib = 0;
    ck_assert_uint_eq(log_rows(db, NULL, &ia, NULL, 0), NIDS + 1);
    ck_assert_uint_eq(log_rows(b, NULL, &ib, NULL, 0), NIDS + 1);
    ck_assert_uint_eq(ia, NIDS);
    ck_assert_uint_eq(ib, NIDS);
    ck_assert_uint_eq(sync_verify(db), 0);
    ck_assert_uint_eq(sync_verify(b), 0);
    /* A third copy that imported it too, synced with one of them: still one row per key. */
    alliance_db *c = sync_clone_of(db, ":memory:");
    free(import_into(c, fixture("anki-legacy-cloze-learning.apkg"), NULL, 0));
    sync_both(c, b);
    sync_both(db, c);
    sync_both(b, db);
    ck_assert_uint_eq(log_rows(c, NULL, &ib, NULL, 0), NIDS + 1);
    ck_assert_uint_eq(ib, NIDS);
    x = sync_dump(c);
    y = sync_dump(db);
    ck_assert_msg(strcmp(x, y) == 0, "%s", sync_dump_diff(x, y));
    free(x);
    free(y);
    ck_assert_uint_eq(sync_verify(c), 0);
    alliance_close(c);
    alliance_close(b);
}
END_TEST

static int collect(void *opaque, const char *data, size_t len)
{
    membuf *b = opaque;
    return membuf_write(b, data, len);
}

START_TEST(an_exported_package_keeps_the_history)
{
    free(import_into(db, fixture("anki-legacy-cloze-learning.apkg"), NULL, 0));
    alliance_export_options options;
    alliance_export_options_init(&options, ALLIANCE_EXPORT_OPTIONS_VERSION);
    options.format = ALLIANCE_FORMAT_APKG;
    membuf pkg = {0};
    ck_assert_int_eq(alliance_export(db, 0, &options, ALLIANCE_TEST_NOW, collect, &pkg), 0);
    /* Into a fresh collection: the same cards, states, due days and revlog rows. */
    alliance_db *fresh = open_memory();
    char *notices = import_into(fresh, "ours.apkg", pkg.data, pkg.len);
    ck_assert_msg(strstr(notices, "6 answers imported as history (5 cards scheduled as in Anki)"), "%s", notices);
    free(notices);
    check_mapped(fresh);
    ck_assert_uint_eq(sync_verify(fresh), 0);
    /* The original package into it adds nothing: the rows came back with Anki's ids. */
    notices = import_into(fresh, fixture("anki-legacy-cloze-learning.apkg"), NULL, 0);
    ck_assert_msg(strstr(notices, "answers imported") == NULL, "%s", notices);
    free(notices);
    check_mapped(fresh);
    /* Nor does ours into the collection it came from. */
    notices = import_into(db, "ours.apkg", pkg.data, pkg.len);
    ck_assert_msg(strstr(notices, "answers imported") == NULL, "%s", notices);
    free(notices);
    check_mapped(db);
    alliance_close(fresh);
    membuf_free(&pkg);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("apkg_history");
    TCase *t = tcase_create("history");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 120);
    tcase_add_test(t, anki_sm2_history_is_written_as_mapped_and_verifies);
    tcase_add_test(t, a_reimport_adds_nothing_and_our_answers_win);
    tcase_add_test(t, a_real_learners_history_imports_whole_and_verifies);
    tcase_add_test(t, two_copies_that_imported_one_package_converge_without_duplicates);
    tcase_add_test(t, an_exported_package_keeps_the_history);
    suite_add_tcase(s, t);
    return alliance_test_run(s);
}
