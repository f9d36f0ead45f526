/* SPDX-License-Identifier: MIT */
/* struct_init: every struct the caller fills in has an _init function and an _INIT macro that
 * agree field for field; _init refuses NULL and unknown versions without writing anything; the
 * _v2 functions that fix an integer type behave exactly as the function they replace. */
#include "collection_fixture.h"

#include <stdlib.h>
#include <string.h>

/* A byte pattern no _init writes: what an untouched struct still holds. */
#define GARBAGE 0xab

static int untouched(const void *p, size_t size)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < size; i++)
        if (b[i] != GARBAGE)
            return 0;
    return 1;
}

/* Runs the three refusals of an _init on a struct of `size` bytes. */
#define CHECK_REFUSALS(type, init, version)                                        \
    do {                                                                           \
        type s_;                                                                   \
        memset(&s_, GARBAGE, sizeof s_);                                           \
        ck_assert_int_eq(init(NULL, (version)), ALLIANCE_EINVAL);                  \
        ck_assert_int_eq(init(&s_, 0), ALLIANCE_EVERSION);                         \
        ck_assert_int_eq(init(&s_, (version) + 1), ALLIANCE_EVERSION);             \
        ck_assert_msg(untouched(&s_, sizeof s_), #init " wrote to a refused struct"); \
    } while (0)

START_TEST(allocator_init)
{
    alliance_allocator a, m = ALLIANCE_ALLOCATOR_INIT;
    memset(&a, GARBAGE, sizeof a);
    ck_assert_int_eq(alliance_allocator_init(&a, ALLIANCE_ALLOCATOR_VERSION), ALLIANCE_OK);
    ck_assert_uint_eq(a.version, m.version);
    ck_assert(a.malloc_fn == m.malloc_fn && a.realloc_fn == m.realloc_fn && a.free_fn == m.free_fn);
    ck_assert_ptr_eq(a.opaque, m.opaque);
    /* Without the three functions it is refused, as documented: the caller must set them. */
    ck_assert_int_eq(alliance_set_allocator(&a), ALLIANCE_EINVAL);
    CHECK_REFUSALS(alliance_allocator, alliance_allocator_init, ALLIANCE_ALLOCATOR_VERSION);
}
END_TEST

static void assert_params_eq(const alliance_sm2_params *a, const alliance_sm2_params *b)
{
    ck_assert_uint_eq(a->version, b->version);
    ck_assert_uint_eq(a->preset, b->preset);
    ck_assert_uint_eq(a->initial_efactor_milli, b->initial_efactor_milli);
    ck_assert_uint_eq(a->min_efactor_milli, b->min_efactor_milli);
    ck_assert_uint_eq(a->first_interval_days, b->first_interval_days);
    ck_assert_uint_eq(a->second_interval_days, b->second_interval_days);
    ck_assert_uint_eq(a->max_interval_days, b->max_interval_days);
}

START_TEST(sm2_params_v2_takes_the_version_and_a_uint32_preset)
{
    alliance_sm2_params v2, old, m = ALLIANCE_SM2_PARAMS_INIT;
    ck_assert_int_eq(alliance_sm2_params_init_v2(&v2, ALLIANCE_SM2_PARAMS_VERSION, ALLIANCE_SM2_SUPERMEMO), ALLIANCE_OK);
    assert_params_eq(&v2, &m);
    for (uint32_t preset = 0; preset <= 1; preset++) {
        ck_assert_int_eq(alliance_sm2_params_init_v2(&v2, ALLIANCE_SM2_PARAMS_VERSION, preset), ALLIANCE_OK);
        ck_assert_int_eq(alliance_sm2_params_init(&old, (int)preset), ALLIANCE_OK);
        assert_params_eq(&v2, &old);
    }
    memset(&v2, GARBAGE, sizeof v2);
    ck_assert_int_eq(alliance_sm2_params_init_v2(&v2, ALLIANCE_SM2_PARAMS_VERSION, 2), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_sm2_params_init_v2(&v2, ALLIANCE_SM2_PARAMS_VERSION, UINT32_MAX), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_sm2_params_init_v2(&v2, 0, ALLIANCE_SM2_CLASSIC), ALLIANCE_EVERSION);
    ck_assert_int_eq(alliance_sm2_params_init_v2(&v2, 2, ALLIANCE_SM2_CLASSIC), ALLIANCE_EVERSION);
    ck_assert_int_eq(alliance_sm2_params_init_v2(NULL, ALLIANCE_SM2_PARAMS_VERSION, 0), ALLIANCE_EINVAL);
    ck_assert(untouched(&v2, sizeof v2));
}
END_TEST

START_TEST(open_options_init)
{
    alliance_open_options o, m = ALLIANCE_OPEN_OPTIONS_INIT;
    ck_assert_int_eq(alliance_open_options_init(&o, ALLIANCE_OPEN_OPTIONS_VERSION), ALLIANCE_OK);
    ck_assert_uint_eq(o.version, m.version);
    ck_assert_uint_eq(o.flags, m.flags);
    ck_assert_uint_eq(o.synchronous, m.synchronous);
    ck_assert_uint_eq(o.busy_timeout_ms, m.busy_timeout_ms);
    ck_assert_int_eq(o.utc_offset_seconds, m.utc_offset_seconds);
    CHECK_REFUSALS(alliance_open_options, alliance_open_options_init, ALLIANCE_OPEN_OPTIONS_VERSION);
}
END_TEST

START_TEST(config_init)
{
    alliance_config c, m = ALLIANCE_CONFIG_INIT;
    ck_assert_int_eq(alliance_config_init(&c, ALLIANCE_CONFIG_VERSION), ALLIANCE_OK);
    ck_assert_uint_eq(c.version, m.version);
    ck_assert_uint_eq(c.new_per_day, m.new_per_day);
    ck_assert_uint_eq(c.reviews_per_day, m.reviews_per_day);
    ck_assert_uint_eq(c.rollover_hour, m.rollover_hour);
    ck_assert_uint_eq(c.leech_threshold, m.leech_threshold);
    ck_assert_uint_eq(c.leech_suspend, m.leech_suspend);
    CHECK_REFUSALS(alliance_config, alliance_config_init, ALLIANCE_CONFIG_VERSION);
}
END_TEST

START_TEST(note_init)
{
    alliance_note n, m = ALLIANCE_NOTE_INIT;
    memset(&n, GARBAGE, sizeof n);
    ck_assert_int_eq(alliance_note_init(&n, ALLIANCE_NOTE_VERSION), ALLIANCE_OK);
    ck_assert_uint_eq(n.version, m.version);
    ck_assert_uint_eq(n.type, m.type);
    ck_assert(n.id == m.id && n.front == m.front && n.back == m.back && n.wrong == m.wrong);
    ck_assert(n.tags == m.tags && n.source_file == m.source_file && n.source_quote == m.source_quote);
    ck_assert_ptr_null(n.id);
    CHECK_REFUSALS(alliance_note, alliance_note_init, ALLIANCE_NOTE_VERSION);
}
END_TEST

START_TEST(import_options_init)
{
    alliance_import_options o, m = ALLIANCE_IMPORT_OPTIONS_INIT;
    ck_assert_int_eq(alliance_import_options_init(&o, ALLIANCE_IMPORT_OPTIONS_VERSION), ALLIANCE_OK);
    ck_assert_uint_eq(o.version, m.version);
    ck_assert_uint_eq(o.format, m.format);
    ck_assert_ptr_eq(o.deck_name, m.deck_name);
    ck_assert_uint_eq(o.dry_run, m.dry_run);
    CHECK_REFUSALS(alliance_import_options, alliance_import_options_init, ALLIANCE_IMPORT_OPTIONS_VERSION);
}
END_TEST

START_TEST(review_init)
{
    alliance_review r, m = ALLIANCE_REVIEW_INIT;
    memset(&r, GARBAGE, sizeof r);
    ck_assert_int_eq(alliance_review_init(&r, ALLIANCE_REVIEW_VERSION), ALLIANCE_OK);
    ck_assert_uint_eq(r.version, m.version);
    ck_assert_int_eq(r.review_id, m.review_id);
    ck_assert_ptr_eq(r.card_id, m.card_id);
    ck_assert_int_eq(r.time, m.time);
    ck_assert_int_eq(r.day, m.day);
    ck_assert_int_eq(r.grade, m.grade);
    ck_assert_int_eq(memcmp(&r.before, &m.before, sizeof r.before), 0);
    ck_assert_int_eq(memcmp(&r.after, &m.after, sizeof r.after), 0);
    ck_assert_int_eq(r.elapsed_days, m.elapsed_days);
    ck_assert_uint_eq(r.answer_ms, m.answer_ms);
    assert_params_eq(&r.params, &m.params);
    CHECK_REFUSALS(alliance_review, alliance_review_init, ALLIANCE_REVIEW_VERSION);
}
END_TEST

START_TEST(counts_init)
{
    alliance_counts c, m = ALLIANCE_COUNTS_INIT;
    memset(&c, GARBAGE, sizeof c);
    ck_assert_int_eq(alliance_counts_init(&c, ALLIANCE_COUNTS_VERSION), ALLIANCE_OK);
    ck_assert_uint_eq(c.version, m.version);
    ck_assert_uint_eq(c.new_cards, m.new_cards);
    ck_assert_uint_eq(c.due, m.due);
    ck_assert_uint_eq(c.repeat, m.repeat);
    ck_assert_uint_eq(c.answered, m.answered);
    CHECK_REFUSALS(alliance_counts, alliance_counts_init, ALLIANCE_COUNTS_VERSION);
}
END_TEST

START_TEST(stats_init)
{
    alliance_stats s, m = ALLIANCE_STATS_INIT;
    memset(&s, GARBAGE, sizeof s);
    ck_assert_int_eq(alliance_stats_init(&s, ALLIANCE_STATS_VERSION), ALLIANCE_OK);
    ck_assert_uint_eq(s.version, m.version);
    ck_assert_uint_eq(s.total + s.new_cards + s.learned + s.due_today + s.suspended, 0);
    ck_assert_uint_eq(s.leeches + s.window_days + s.reviews + s.correct, 0);
    ck_assert_uint_eq(m.total + m.new_cards + m.learned + m.due_today + m.suspended, 0);
    ck_assert_uint_eq(m.leeches + m.window_days + m.reviews + m.correct, 0);
    CHECK_REFUSALS(alliance_stats, alliance_stats_init, ALLIANCE_STATS_VERSION);
}
END_TEST

START_TEST(render_options_init)
{
    alliance_render_options o, m = ALLIANCE_RENDER_OPTIONS_INIT;
    memset(&o, GARBAGE, sizeof o);
    ck_assert_int_eq(alliance_render_options_init(&o, ALLIANCE_RENDER_OPTIONS_VERSION), ALLIANCE_OK);
    ck_assert_uint_eq(o.version, m.version);
    ck_assert_uint_eq(o.flags, m.flags);
    ck_assert_uint_eq(o.seed, m.seed);
    CHECK_REFUSALS(alliance_render_options, alliance_render_options_init, ALLIANCE_RENDER_OPTIONS_VERSION);
}
END_TEST

/* The structs an _INIT macro fills are usable as they are. */
START_TEST(macro_initialised_structs_work_in_calls)
{
    alliance_db *db = fixture_open(":memory:");
    fixture_add_cards(db, "D", "d", 2, ALLIANCE_TEST_NOW);
    fixture_answer(db, "d1", 4, ALLIANCE_TEST_NOW);
    alliance_session *session = NULL;
    ck_assert_int_eq(alliance_session_open(&session, db, 0, ALLIANCE_TEST_NOW), ALLIANCE_OK);
    alliance_counts counts = ALLIANCE_COUNTS_INIT;
    ck_assert_int_eq(alliance_session_counts(session, ALLIANCE_TEST_NOW, &counts), ALLIANCE_OK);
    ck_assert_uint_eq(counts.new_cards, 1);
    alliance_session_close(session);
    alliance_review_iter *iter = NULL;
    ck_assert_int_eq(alliance_review_iter_open(&iter, db, NULL), ALLIANCE_OK);
    alliance_review review = ALLIANCE_REVIEW_INIT;
    ck_assert_int_eq(alliance_review_iter_next(iter, &review), ALLIANCE_OK);
    ck_assert_str_eq(review.card_id, "d1");
    ck_assert_int_eq(review.grade, 4);
    alliance_review_iter_free(iter);
    alliance_stats stats = ALLIANCE_STATS_INIT;
    ck_assert_int_eq(alliance_stats_get(db, 0, ALLIANCE_TEST_NOW, 7, &stats), ALLIANCE_OK);
    ck_assert_uint_eq(stats.reviews, 1);
    alliance_close(db);
}
END_TEST

START_TEST(forecast_v2_takes_a_uint32_day_count_and_agrees_with_forecast)
{
    alliance_db *db = fixture_open(":memory:");
    fixture_add_cards(db, "D", "d", 4, ALLIANCE_TEST_NOW);
    fixture_answer(db, "d1", 5, fixture_at(0, 10)); /* due tomorrow */
    fixture_answer(db, "d2", 1, fixture_at(0, 10)); /* due today */
    fixture_answer(db, "d3", 4, fixture_at(0, 10)); /* due tomorrow */
    uint32_t old[10], v2[10];
    memset(old, 0xee, sizeof old);
    memset(v2, 0xee, sizeof v2);
    ck_assert_int_eq(alliance_forecast(db, 0, fixture_at(0, 12), old, 10), ALLIANCE_OK);
    ck_assert_int_eq(alliance_forecast_v2(db, 0, fixture_at(0, 12), v2, 10), ALLIANCE_OK);
    ck_assert_int_eq(memcmp(old, v2, sizeof old), 0);
    ck_assert_uint_eq(v2[0], 1);
    ck_assert_uint_eq(v2[1], 2);
    /* The same range, refused the same way, leaving the array alone. */
    memset(v2, 0xee, sizeof v2);
    ck_assert_int_eq(alliance_forecast_v2(db, 0, fixture_at(0, 12), v2, 0), ALLIANCE_EINVAL);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "alliance_forecast_v2"));
    ck_assert_int_eq(alliance_forecast_v2(db, 0, fixture_at(0, 12), v2, 3651), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_forecast_v2(db, 0, fixture_at(0, 12), NULL, 10), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_forecast_v2(db, -1, fixture_at(0, 12), v2, 10), ALLIANCE_EINVAL);
    ck_assert_uint_eq(v2[0], 0xeeeeeeeeu);
    uint32_t *big = calloc(3650, sizeof *big);
    ck_assert_int_eq(alliance_forecast_v2(db, 0, fixture_at(0, 12), big, 3650), ALLIANCE_OK);
    ck_assert_uint_eq(big[1], 2);
    free(big);
    alliance_close(db);
}
END_TEST

static Suite *struct_init_suite(void)
{
    Suite *s = suite_create("struct_init");
    TCase *tc = tcase_create("struct_init");
    tcase_add_test(tc, allocator_init);
    tcase_add_test(tc, sm2_params_v2_takes_the_version_and_a_uint32_preset);
    tcase_add_test(tc, open_options_init);
    tcase_add_test(tc, config_init);
    tcase_add_test(tc, note_init);
    tcase_add_test(tc, import_options_init);
    tcase_add_test(tc, review_init);
    tcase_add_test(tc, counts_init);
    tcase_add_test(tc, stats_init);
    tcase_add_test(tc, render_options_init);
    tcase_add_test(tc, macro_initialised_structs_work_in_calls);
    tcase_add_test(tc, forecast_v2_takes_a_uint32_day_count_and_agrees_with_forecast);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return alliance_test_run(struct_init_suite());
}
