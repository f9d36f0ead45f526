/* SPDX-License-Identifier: MIT */
/*
 * misuse: calling the API wrongly gives an error code, never a crash.
 *
 * NULL handles and NULL required arguments -> ALLIANCE_EINVAL; objects whose
 * collection was closed -> ALLIANCE_EMISUSE; a handle whose open failed ->
 * ALLIANCE_EMISUSE; unknown struct versions -> ALLIANCE_EVERSION; out-of-range
 * values and calls in the wrong order -> their documented codes. Closing or
 * freeing NULL is a no-op. (Calling anything on a pointer that was already
 * closed or freed is undefined behaviour: C cannot detect it; the sanitizer
 * build is what finds such bugs in callers. See docs/reliability.md.)
 */
#include "reliability.h"

#include <sys/stat.h>

#define EXPECT(call, code)                                                                   \
    do {                                                                                     \
        int rc_ = (call);                                                                    \
        ck_assert_msg(rc_ == (code), "%s returned %d (%s), want %s", #call, rc_,            \
                      alliance_strerror(rc_), #code);                                        \
    } while (0)

static alliance_db *db;
static int64_t deck;

static void open_fixture(void)
{
    const char *path = alliance_test_path("misuse.alliance");
    remove(path);
    ck_assert_int_eq(rel_make_collection(path, 3, ALLIANCE_TEST_NOW), 0);
    alliance_open_options options = rel_options(ALLIANCE_SYNC_FULL);
    ck_assert_int_eq(alliance_open(&db, path, &options), 0);
    ck_assert_int_eq(alliance_deck_id(db, "test deck", 0, &deck), 0);
}

static void close_fixture(void)
{
    ck_assert_int_eq(alliance_close(db), 0);
    db = NULL;
}

static int sink_write(void *opaque, const char *data, size_t len)
{
    (void)opaque;
    (void)data;
    (void)len;
    return 0;
}

static int refusing_write(void *opaque, const char *data, size_t len)
{
    (void)opaque;
    (void)data;
    (void)len;
    return 1;
}

START_TEST(closing_and_freeing_null_is_a_no_op)
{
    EXPECT(alliance_close(NULL), ALLIANCE_OK);
    EXPECT(alliance_close(NULL), ALLIANCE_OK);
    alliance_free(NULL);
    alliance_session_close(NULL);
    alliance_card_iter_free(NULL);
    alliance_review_iter_free(NULL);
    /* The message functions answer for a NULL handle too. */
    ck_assert_ptr_nonnull(alliance_errmsg(NULL));
    ck_assert_int_ne(alliance_errcode(NULL), ALLIANCE_OK);
}
END_TEST

START_TEST(pure_functions_refuse_null)
{
    alliance_sm2_params params;
    alliance_sm2_state state;
    int64_t day = 0;
    char *text = NULL;
    EXPECT(alliance_sm2_params_init(NULL, ALLIANCE_SM2_SUPERMEMO), ALLIANCE_EINVAL);
    EXPECT(alliance_sm2_params_init(&params, 7), ALLIANCE_EINVAL);
    EXPECT(alliance_sm2_params_init(&params, ALLIANCE_SM2_SUPERMEMO), ALLIANCE_OK);
    EXPECT(alliance_sm2_params_check(NULL), ALLIANCE_EINVAL);
    EXPECT(alliance_sm2_state_init(NULL, &state), ALLIANCE_EINVAL);
    EXPECT(alliance_sm2_state_init(&params, NULL), ALLIANCE_EINVAL);
    EXPECT(alliance_sm2_state_init(&params, &state), ALLIANCE_OK);
    EXPECT(alliance_sm2_next(NULL, &state, 4, &state), ALLIANCE_EINVAL);
    EXPECT(alliance_sm2_next(&params, NULL, 4, &state), ALLIANCE_EINVAL);
    EXPECT(alliance_sm2_next(&params, &state, 4, NULL), ALLIANCE_EINVAL);
    EXPECT(alliance_sm2_next(&params, &state, 6, &state), ALLIANCE_EGRADE);
    EXPECT(alliance_sm2_next(&params, &state, -1, &state), ALLIANCE_EGRADE);
    EXPECT(alliance_day_number(NULL, 0, 0, 4), ALLIANCE_EINVAL);
    EXPECT(alliance_day_number(&day, 0, 0, 24), ALLIANCE_EINVAL);
    EXPECT(alliance_day_number(&day, 0, 50401, 4), ALLIANCE_EINVAL);
    EXPECT(alliance_day_start(NULL, 0, 0, 4), ALLIANCE_EINVAL);
    EXPECT(alliance_cloze_render(NULL, "{{c1::x}}", 1, 0), ALLIANCE_EINVAL);
    EXPECT(alliance_cloze_render(&text, NULL, 1, 0), ALLIANCE_EINVAL);
    ck_assert_ptr_null(text);
    EXPECT(alliance_open_options_init(NULL, ALLIANCE_OPEN_OPTIONS_VERSION), ALLIANCE_EINVAL);
    EXPECT(alliance_config_init(NULL, ALLIANCE_CONFIG_VERSION), ALLIANCE_EINVAL);
    EXPECT(alliance_note_init(NULL, ALLIANCE_NOTE_VERSION), ALLIANCE_EINVAL);
    EXPECT(alliance_stats_init(NULL, ALLIANCE_STATS_VERSION), ALLIANCE_EINVAL);
    EXPECT(alliance_import_options_init(NULL, ALLIANCE_IMPORT_OPTIONS_VERSION), ALLIANCE_EINVAL);
    alliance_import_report *report = NULL;
    EXPECT(alliance_deck_check("x.deck", NULL, 5, ALLIANCE_FORMAT_DECK, &report), ALLIANCE_EINVAL);
    EXPECT(alliance_deck_check("x.deck", "deck: x\n", 8, 99, &report), ALLIANCE_EINVAL);
    ck_assert_ptr_null(report);
}
END_TEST

START_TEST(collection_functions_refuse_a_null_handle)
{
    alliance_config config;
    alliance_config_init(&config, ALLIANCE_CONFIG_VERSION);
    alliance_sm2_params params;
    alliance_sm2_params_init(&params, ALLIANCE_SM2_SUPERMEMO);
    alliance_note note;
    alliance_note_init(&note, ALLIANCE_NOTE_VERSION);
    note.type = ALLIANCE_CARD_BASIC;
    note.id = "x";
    note.front = "f";
    note.back = "b";
    alliance_stats stats;
    alliance_stats_init(&stats, ALLIANCE_STATS_VERSION);
    alliance_sm2_state state;
    int64_t value = 0;
    uint64_t mismatches = 0;
    uint32_t counts[4];
    char *text = NULL;
    alliance_card *card = NULL;
    alliance_card_iter *card_iter = NULL;
    alliance_review_iter *review_iter = NULL;
    alliance_session *session = NULL;
    alliance_import_report *report = NULL;

    EXPECT(alliance_set_utc_offset(NULL, 0), ALLIANCE_EINVAL);
    EXPECT(alliance_today(NULL, ALLIANCE_TEST_NOW, &value), ALLIANCE_EINVAL);
    EXPECT(alliance_config_get(NULL, &config), ALLIANCE_EINVAL);
    EXPECT(alliance_config_set(NULL, &config), ALLIANCE_EINVAL);
    EXPECT(alliance_sm2_params_get(NULL, &params), ALLIANCE_EINVAL);
    EXPECT(alliance_sm2_params_set(NULL, &params), ALLIANCE_EINVAL);
    EXPECT(alliance_deck_id(NULL, "d", 1, &value), ALLIANCE_EINVAL);
    EXPECT(alliance_deck_name(NULL, 1, &text), ALLIANCE_EINVAL);
    EXPECT(alliance_note_add(NULL, 1, &note, ALLIANCE_TEST_NOW), ALLIANCE_EINVAL);
    EXPECT(alliance_card_get(NULL, "x", &card), ALLIANCE_EINVAL);
    EXPECT(alliance_card_suspend(NULL, "x", 1, ALLIANCE_TEST_NOW), ALLIANCE_EINVAL);
    EXPECT(alliance_card_bury(NULL, "x", ALLIANCE_TEST_NOW), ALLIANCE_EINVAL);
    EXPECT(alliance_card_search(&card_iter, NULL, 0, NULL), ALLIANCE_EINVAL);
    EXPECT(alliance_card_iter_next(NULL, &card), ALLIANCE_EINVAL);
    EXPECT(alliance_answer(NULL, "x", 4, ALLIANCE_TEST_NOW, 0, &state), ALLIANCE_EINVAL);
    EXPECT(alliance_undo(NULL, &text), ALLIANCE_EINVAL);
    EXPECT(alliance_review_iter_open(&review_iter, NULL, NULL), ALLIANCE_EINVAL);
    alliance_review review;
    memset(&review, 0, sizeof review);
    review.version = ALLIANCE_REVIEW_VERSION;
    EXPECT(alliance_review_iter_next(NULL, &review), ALLIANCE_EINVAL);
    EXPECT(alliance_replay(NULL, "x", &state, &value), ALLIANCE_EINVAL);
    EXPECT(alliance_verify(NULL, &mismatches), ALLIANCE_EINVAL);
    EXPECT(alliance_integrity_check(NULL, &text), ALLIANCE_EINVAL);
    EXPECT(alliance_session_open(&session, NULL, 0, ALLIANCE_TEST_NOW), ALLIANCE_EINVAL);
    alliance_counts c;
    memset(&c, 0, sizeof c);
    c.version = ALLIANCE_COUNTS_VERSION;
    EXPECT(alliance_session_counts(NULL, ALLIANCE_TEST_NOW, &c), ALLIANCE_EINVAL);
    EXPECT(alliance_session_next(NULL, ALLIANCE_TEST_NOW, &card), ALLIANCE_EINVAL);
    EXPECT(alliance_session_next_with_counts(NULL, ALLIANCE_TEST_NOW, &card, &c), ALLIANCE_EINVAL);
    EXPECT(alliance_session_answer(NULL, "x", 4, ALLIANCE_TEST_NOW, 0, &state), ALLIANCE_EINVAL);
    EXPECT(alliance_session_undo(NULL, &text), ALLIANCE_EINVAL);
    EXPECT(alliance_stats_get(NULL, 0, ALLIANCE_TEST_NOW, 30, &stats), ALLIANCE_EINVAL);
    EXPECT(alliance_forecast(NULL, 0, ALLIANCE_TEST_NOW, counts, 4), ALLIANCE_EINVAL);
    EXPECT(alliance_deck_import(NULL, "x.deck", NULL, ALLIANCE_TEST_NOW, &report), ALLIANCE_EINVAL);
    EXPECT(alliance_deck_import_buffer(NULL, "x.deck", "deck: x\n", 8, NULL, ALLIANCE_TEST_NOW, &report),
           ALLIANCE_EINVAL);
    EXPECT(alliance_deck_export(NULL, 1, ALLIANCE_FORMAT_DECK, sink_write, NULL), ALLIANCE_EINVAL);
    EXPECT(alliance_deck_export_file(NULL, 1, ALLIANCE_FORMAT_DECK, alliance_test_path("x.deck")),
           ALLIANCE_EINVAL);
    /* Nothing was handed out. */
    ck_assert_ptr_null(text);
    ck_assert_ptr_null(card);
    ck_assert_ptr_null(card_iter);
    ck_assert_ptr_null(review_iter);
    ck_assert_ptr_null(session);
    ck_assert_ptr_null(report);
}
END_TEST

START_TEST(collection_functions_refuse_null_arguments)
{
    open_fixture();
    alliance_note note;
    alliance_note_init(&note, ALLIANCE_NOTE_VERSION);
    alliance_sm2_state state;
    int64_t value = 0;
    char *text = NULL;
    alliance_card *card = NULL;
    alliance_card_iter *card_iter = NULL;
    alliance_review_iter *review_iter = NULL;
    alliance_session *session = NULL;
    alliance_import_report *report = NULL;

    EXPECT(alliance_open(NULL, ":memory:", NULL), ALLIANCE_EINVAL);
    EXPECT(alliance_today(db, ALLIANCE_TEST_NOW, NULL), ALLIANCE_EINVAL);
    EXPECT(alliance_set_utc_offset(db, 50401), ALLIANCE_EINVAL);
    EXPECT(alliance_config_get(db, NULL), ALLIANCE_EINVAL);
    EXPECT(alliance_config_set(db, NULL), ALLIANCE_EINVAL);
    EXPECT(alliance_sm2_params_get(db, NULL), ALLIANCE_EINVAL);
    EXPECT(alliance_sm2_params_set(db, NULL), ALLIANCE_EINVAL);
    EXPECT(alliance_deck_id(db, NULL, 1, &value), ALLIANCE_EINVAL);
    EXPECT(alliance_deck_id(db, "d", 1, NULL), ALLIANCE_EINVAL);
    EXPECT(alliance_deck_name(db, deck, NULL), ALLIANCE_EINVAL);
    EXPECT(alliance_note_add(db, deck, NULL, ALLIANCE_TEST_NOW), ALLIANCE_EINVAL);
    note.type = ALLIANCE_CARD_BASIC; /* a note without id, front, back */
    EXPECT(alliance_note_add(db, deck, &note, ALLIANCE_TEST_NOW), ALLIANCE_EINVAL);
    note.id = "no-front";
    note.back = "b";
    EXPECT(alliance_note_add(db, deck, &note, ALLIANCE_TEST_NOW), ALLIANCE_EINVAL);
    note.front = "f";
    note.type = 99;
    EXPECT(alliance_note_add(db, deck, &note, ALLIANCE_TEST_NOW), ALLIANCE_EINVAL);
    EXPECT(alliance_card_get(db, NULL, &card), ALLIANCE_EINVAL);
    EXPECT(alliance_card_get(db, "k0000", NULL), ALLIANCE_EINVAL);
    EXPECT(alliance_card_suspend(db, NULL, 1, ALLIANCE_TEST_NOW), ALLIANCE_EINVAL);
    EXPECT(alliance_card_bury(db, NULL, ALLIANCE_TEST_NOW), ALLIANCE_EINVAL);
    EXPECT(alliance_card_search(NULL, db, 0, NULL), ALLIANCE_EINVAL);
    EXPECT(alliance_answer(db, NULL, 4, ALLIANCE_TEST_NOW, 0, &state), ALLIANCE_EINVAL);
    EXPECT(alliance_review_iter_open(NULL, db, NULL), ALLIANCE_EINVAL);
    EXPECT(alliance_replay(db, NULL, &state, &value), ALLIANCE_EINVAL);
    EXPECT(alliance_replay(db, "k0000", NULL, &value), ALLIANCE_EINVAL);
    EXPECT(alliance_verify(db, NULL), ALLIANCE_EINVAL);
    EXPECT(alliance_session_open(NULL, db, 0, ALLIANCE_TEST_NOW), ALLIANCE_EINVAL);
    EXPECT(alliance_stats_get(db, 0, ALLIANCE_TEST_NOW, 30, NULL), ALLIANCE_EINVAL);
    uint32_t counts[4];
    EXPECT(alliance_forecast(db, 0, ALLIANCE_TEST_NOW, NULL, 4), ALLIANCE_EINVAL);
    EXPECT(alliance_forecast(db, 0, ALLIANCE_TEST_NOW, counts, 0), ALLIANCE_EINVAL);
    EXPECT(alliance_forecast(db, 0, ALLIANCE_TEST_NOW, counts, 3651), ALLIANCE_EINVAL);
    EXPECT(alliance_deck_import(db, NULL, NULL, ALLIANCE_TEST_NOW, &report), ALLIANCE_EINVAL);
    EXPECT(alliance_deck_import_buffer(db, "x.deck", NULL, 8, NULL, ALLIANCE_TEST_NOW, &report), ALLIANCE_EINVAL);
    EXPECT(alliance_deck_export(db, deck, ALLIANCE_FORMAT_DECK, NULL, NULL), ALLIANCE_EINVAL);
    EXPECT(alliance_deck_export(db, deck, 99, sink_write, NULL), ALLIANCE_EINVAL);
    EXPECT(alliance_deck_export_file(db, deck, ALLIANCE_FORMAT_DECK, NULL), ALLIANCE_EINVAL);

    ck_assert_ptr_null(text);
    ck_assert_ptr_null(card);
    ck_assert_ptr_null(card_iter);
    ck_assert_ptr_null(review_iter);
    ck_assert_ptr_null(session);
    ck_assert_ptr_null(report);

    /* Iterator and session functions with their own NULL arguments. */
    ck_assert_int_eq(alliance_card_search(&card_iter, db, 0, NULL), 0);
    EXPECT(alliance_card_iter_next(card_iter, NULL), ALLIANCE_EINVAL);
    alliance_card_iter_free(card_iter);
    ck_assert_int_eq(alliance_review_iter_open(&review_iter, db, NULL), 0);
    EXPECT(alliance_review_iter_next(review_iter, NULL), ALLIANCE_EINVAL);
    alliance_review_iter_free(review_iter);
    ck_assert_int_eq(alliance_session_open(&session, db, 0, ALLIANCE_TEST_NOW), 0);
    EXPECT(alliance_session_counts(session, ALLIANCE_TEST_NOW, NULL), ALLIANCE_EINVAL);
    EXPECT(alliance_session_next(session, ALLIANCE_TEST_NOW, NULL), ALLIANCE_EINVAL);
    alliance_counts some_counts = ALLIANCE_COUNTS_INIT;
    EXPECT(alliance_session_next_with_counts(session, ALLIANCE_TEST_NOW, NULL, &some_counts), ALLIANCE_EINVAL);
    EXPECT(alliance_session_next_with_counts(session, ALLIANCE_TEST_NOW, &card, NULL), ALLIANCE_EINVAL);
    EXPECT(alliance_session_answer(session, NULL, 4, ALLIANCE_TEST_NOW, 0, NULL), ALLIANCE_EINVAL);
    alliance_session_close(session);

    /* The collection is untouched by all of the above. */
    uint64_t mismatches = 1;
    ck_assert_int_eq(alliance_verify(db, &mismatches), 0);
    ck_assert_uint_eq(mismatches, 0);
    ck_assert_int_eq(rel_log_count(db, NULL), 0);
    close_fixture();
}
END_TEST

START_TEST(unknown_struct_versions_are_refused)
{
    alliance_open_options options = rel_options(ALLIANCE_SYNC_FULL);
    options.version = 99;
    alliance_db *other = NULL;
    EXPECT(alliance_open(&other, ":memory:", &options), ALLIANCE_EVERSION);
    alliance_close(other);

    alliance_allocator allocator = {99, NULL, NULL, NULL, NULL};
    EXPECT(alliance_set_allocator(&allocator), ALLIANCE_EVERSION);

    alliance_sm2_params params;
    alliance_sm2_params_init(&params, ALLIANCE_SM2_SUPERMEMO);
    alliance_sm2_state state;
    alliance_sm2_state_init(&params, &state);
    params.version = 99;
    EXPECT(alliance_sm2_params_check(&params), ALLIANCE_EVERSION);
    EXPECT(alliance_sm2_next(&params, &state, 4, &state), ALLIANCE_EVERSION);

    open_fixture();
    EXPECT(alliance_sm2_params_set(db, &params), ALLIANCE_EVERSION);
    /* (alliance_sm2_params_get fills in the whole struct, version included: nothing to refuse.) */

    alliance_config config;
    alliance_config_init(&config, ALLIANCE_CONFIG_VERSION);
    config.version = 99;
    EXPECT(alliance_config_set(db, &config), ALLIANCE_EVERSION);
    EXPECT(alliance_config_get(db, &config), ALLIANCE_EVERSION);

    alliance_note note;
    alliance_note_init(&note, ALLIANCE_NOTE_VERSION);
    note.version = 99;
    note.type = ALLIANCE_CARD_BASIC;
    note.id = "v";
    note.front = "f";
    note.back = "b";
    EXPECT(alliance_note_add(db, deck, &note, ALLIANCE_TEST_NOW), ALLIANCE_EVERSION);

    alliance_stats stats;
    alliance_stats_init(&stats, ALLIANCE_STATS_VERSION);
    stats.version = 99;
    EXPECT(alliance_stats_get(db, 0, ALLIANCE_TEST_NOW, 30, &stats), ALLIANCE_EVERSION);

    alliance_import_options import;
    alliance_import_options_init(&import, ALLIANCE_IMPORT_OPTIONS_VERSION);

    /* An _init asked for a layout this library does not know writes nothing. */
    alliance_open_options untouched_options;
    memset(&untouched_options, 0xA5, sizeof untouched_options);
    EXPECT(alliance_open_options_init(&untouched_options, 99), ALLIANCE_EVERSION);
    ck_assert_uint_eq(untouched_options.version, 0xA5A5A5A5u);
    EXPECT(alliance_config_init(&config, 0), ALLIANCE_EVERSION);
    EXPECT(alliance_note_init(&note, 2), ALLIANCE_EVERSION);
    EXPECT(alliance_stats_init(&stats, 99), ALLIANCE_EVERSION);
    EXPECT(alliance_import_options_init(&import, 99), ALLIANCE_EVERSION);
    ck_assert_uint_eq(import.version, ALLIANCE_IMPORT_OPTIONS_VERSION);
    import.version = 99;
    alliance_import_report *report = NULL;
    EXPECT(alliance_deck_import_buffer(db, "x.deck", "deck: x\n", 8, &import, ALLIANCE_TEST_NOW, &report),
           ALLIANCE_EVERSION);
    ck_assert_ptr_null(report);

    alliance_review_iter *review_iter = NULL;
    ck_assert_int_eq(alliance_answer(db, "k0000", 4, ALLIANCE_TEST_NOW, 0, NULL), 0);
    ck_assert_int_eq(alliance_review_iter_open(&review_iter, db, NULL), 0);
    alliance_review review;
    memset(&review, 0, sizeof review);
    review.version = 99;
    EXPECT(alliance_review_iter_next(review_iter, &review), ALLIANCE_EVERSION);
    alliance_review_iter_free(review_iter);

    alliance_session *session = NULL;
    ck_assert_int_eq(alliance_session_open(&session, db, 0, ALLIANCE_TEST_NOW), 0);
    alliance_counts counts;
    memset(&counts, 0, sizeof counts);
    counts.version = 99;
    EXPECT(alliance_session_counts(session, ALLIANCE_TEST_NOW, &counts), ALLIANCE_EVERSION);
    alliance_card *card = NULL;
    EXPECT(alliance_session_next_with_counts(session, ALLIANCE_TEST_NOW, &card, &counts), ALLIANCE_EVERSION);
    ck_assert_ptr_null(card); /* refused before anything was read */
    alliance_session_close(session);
    close_fixture();
}
END_TEST

START_TEST(objects_of_a_closed_collection_report_misuse)
{
    open_fixture();
    ck_assert_int_eq(alliance_answer(db, "k0000", 4, ALLIANCE_TEST_NOW, 0, NULL), 0);
    alliance_session *session = NULL;
    alliance_card_iter *card_iter = NULL;
    alliance_review_iter *review_iter = NULL;
    ck_assert_int_eq(alliance_session_open(&session, db, 0, ALLIANCE_TEST_NOW), 0);
    ck_assert_int_eq(alliance_card_search(&card_iter, db, 0, NULL), 0);
    ck_assert_int_eq(alliance_review_iter_open(&review_iter, db, NULL), 0);
    close_fixture();

    alliance_card *card = NULL;
    char *text = NULL;
    alliance_counts counts;
    memset(&counts, 0, sizeof counts);
    counts.version = ALLIANCE_COUNTS_VERSION;
    alliance_review review;
    memset(&review, 0, sizeof review);
    review.version = ALLIANCE_REVIEW_VERSION;
    EXPECT(alliance_session_counts(session, ALLIANCE_TEST_NOW, &counts), ALLIANCE_EMISUSE);
    EXPECT(alliance_session_next(session, ALLIANCE_TEST_NOW, &card), ALLIANCE_EMISUSE);
    EXPECT(alliance_session_next_with_counts(session, ALLIANCE_TEST_NOW, &card, &counts), ALLIANCE_EMISUSE);
    EXPECT(alliance_session_answer(session, "k0001", 4, ALLIANCE_TEST_NOW, 0, NULL), ALLIANCE_EMISUSE);
    EXPECT(alliance_session_undo(session, &text), ALLIANCE_EMISUSE);
    EXPECT(alliance_card_iter_next(card_iter, &card), ALLIANCE_EMISUSE);
    EXPECT(alliance_review_iter_next(review_iter, &review), ALLIANCE_EMISUSE);
    ck_assert_ptr_null(card);
    ck_assert_ptr_null(text);
    /* They must still be released, and releasing them after the close is safe. */
    alliance_session_close(session);
    alliance_card_iter_free(card_iter);
    alliance_review_iter_free(review_iter);
}
END_TEST

START_TEST(objects_may_be_released_before_or_after_their_collection)
{
    open_fixture();
    alliance_session *session = NULL;
    alliance_card_iter *card_iter = NULL;
    ck_assert_int_eq(alliance_session_open(&session, db, 0, ALLIANCE_TEST_NOW), 0);
    ck_assert_int_eq(alliance_card_search(&card_iter, db, 0, NULL), 0);
    alliance_session_close(session); /* before */
    close_fixture();
    alliance_card_iter_free(card_iter); /* after */
}
END_TEST

START_TEST(a_handle_whose_open_failed_reports_misuse)
{
    /* A directory where the collection should be cannot be opened. */
    const char *dir = alliance_test_path("a-directory");
    ck_assert_int_eq(mkdir(dir, 0700), 0);
    alliance_db *failed = NULL;
    int rc = alliance_open(&failed, dir, NULL);
    ck_assert_int_lt(rc, 0);
    ck_assert_ptr_nonnull(failed); /* set even on failure, like sqlite3_open_v2 */
    ck_assert_int_eq(alliance_errcode(failed), rc);
    ck_assert_str_ne(alliance_errmsg(failed), "not an error");
    alliance_card *card = NULL;
    int64_t value = 0;
    EXPECT(alliance_card_get(failed, "x", &card), ALLIANCE_EMISUSE);
    EXPECT(alliance_answer(failed, "x", 4, ALLIANCE_TEST_NOW, 0, NULL), ALLIANCE_EMISUSE);
    EXPECT(alliance_deck_id(failed, "d", 1, &value), ALLIANCE_EMISUSE);
    alliance_session *session = NULL;
    EXPECT(alliance_session_open(&session, failed, 0, ALLIANCE_TEST_NOW), ALLIANCE_EMISUSE);
    ck_assert_ptr_null(session);
    EXPECT(alliance_close(failed), ALLIANCE_OK);
}
END_TEST

START_TEST(calls_out_of_order_or_range_get_their_codes)
{
    open_fixture();
    char *text = NULL;
    EXPECT(alliance_undo(db, &text), ALLIANCE_ENOUNDO);
    EXPECT(alliance_undo(db, NULL), ALLIANCE_ENOUNDO);
    EXPECT(alliance_answer(db, "no-such-card", 4, ALLIANCE_TEST_NOW, 0, NULL), ALLIANCE_ENOTFOUND);
    EXPECT(alliance_answer(db, "k0000", 6, ALLIANCE_TEST_NOW, 0, NULL), ALLIANCE_EGRADE);
    EXPECT(alliance_answer(db, "k0000", -1, ALLIANCE_TEST_NOW, 0, NULL), ALLIANCE_EGRADE);
    ck_assert_int_eq(alliance_answer(db, "k0000", 5, ALLIANCE_TEST_NOW, 0, NULL), 0);
    /* Answered with 5, it is not due again today. */
    EXPECT(alliance_answer(db, "k0000", 5, ALLIANCE_TEST_NOW + 60, 0, NULL), ALLIANCE_ENOTDUE);
    ck_assert_int_eq(alliance_card_suspend(db, "k0001", 1, ALLIANCE_TEST_NOW), 0);
    EXPECT(alliance_answer(db, "k0001", 4, ALLIANCE_TEST_NOW, 0, NULL), ALLIANCE_ENOTDUE);
    EXPECT(alliance_card_suspend(db, "no-such-card", 1, ALLIANCE_TEST_NOW), ALLIANCE_ENOTFOUND);
    int64_t value = 0;
    EXPECT(alliance_deck_id(db, "no such deck", 0, &value), ALLIANCE_ENOTFOUND);
    EXPECT(alliance_deck_name(db, 424242, &text), ALLIANCE_ENOTFOUND);
    ck_assert_ptr_null(text);
    alliance_note note;
    alliance_note_init(&note, ALLIANCE_NOTE_VERSION);
    note.type = ALLIANCE_CARD_BASIC;
    note.id = "k0002"; /* taken */
    note.front = "f";
    note.back = "b";
    EXPECT(alliance_note_add(db, deck, &note, ALLIANCE_TEST_NOW), ALLIANCE_EEXISTS);
    note.id = "fresh";
    EXPECT(alliance_note_add(db, 424242, &note, ALLIANCE_TEST_NOW), ALLIANCE_ENOTFOUND);
    /* A writer that refuses the export's text turns into ALLIANCE_EIO. */
    EXPECT(alliance_deck_export(db, deck, ALLIANCE_FORMAT_DECK, refusing_write, NULL), ALLIANCE_EIO);
    EXPECT(alliance_deck_export(db, 424242, ALLIANCE_FORMAT_DECK, sink_write, NULL), ALLIANCE_ENOTFOUND);
    /* The one real answer is all the log holds. */
    ck_assert_int_eq(rel_log_count(db, NULL), 1);
    close_fixture();
}
END_TEST

static Suite *misuse_suite(void)
{
    Suite *s = suite_create("misuse");
    TCase *tc = tcase_create("api");
    tcase_add_test(tc, closing_and_freeing_null_is_a_no_op);
    tcase_add_test(tc, pure_functions_refuse_null);
    tcase_add_test(tc, collection_functions_refuse_a_null_handle);
    tcase_add_test(tc, collection_functions_refuse_null_arguments);
    tcase_add_test(tc, unknown_struct_versions_are_refused);
    tcase_add_test(tc, objects_of_a_closed_collection_report_misuse);
    tcase_add_test(tc, objects_may_be_released_before_or_after_their_collection);
    tcase_add_test(tc, a_handle_whose_open_failed_reports_misuse);
    tcase_add_test(tc, calls_out_of_order_or_range_get_their_codes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(misuse_suite());
}
