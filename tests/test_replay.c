/* SPDX-License-Identifier: MIT */
/* replay: the review log alone rebuilds every card's state; verify finds a card that disagrees. */
#include "collection_fixture.h"

#include <sqlite3.h>

#define CARDS 20
#define DAYS 120

static alliance_db *db;

static void setup(void)
{
    db = fixture_open(":memory:");
    fixture_add_cards(db, "deck", "c", CARDS, ALLIANCE_TEST_NOW);
}

/* For the tests that add their own cards. */
static void setup_empty(void)
{
    db = fixture_open(":memory:");
}

static void teardown(void)
{
    alliance_close(db);
    db = NULL;
}

/* A small deterministic generator, so that a failure can be replayed. */
static uint32_t next_random(uint64_t *seed)
{
    *seed = *seed * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(*seed >> 33);
}

static int is_due(const char *id, int64_t today)
{
    alliance_card *card = fixture_card(db, id);
    int due = !card->suspended && card->buried_until_day <= today && (card->reviews == 0 || card->due_day <= today);
    alliance_free(card);
    return due;
}

static void change_parameters(int preset, uint32_t min_efactor, uint32_t max_interval)
{
    alliance_sm2_params params;
    ck_assert_int_eq(alliance_sm2_params_init(&params, preset), ALLIANCE_OK);
    params.min_efactor_milli = min_efactor;
    params.max_interval_days = max_interval;
    ck_assert_int_eq(alliance_sm2_params_set(db, &params), ALLIANCE_OK);
}

/* Months of study with random grades, same-day repeats, undos and two changes of parameters. */
static void study_randomly(uint64_t seed)
{
    alliance_config config;
    alliance_config_init(&config, ALLIANCE_CONFIG_VERSION);
    config.leech_threshold = 4;
    config.leech_suspend = 0;
    ck_assert_int_eq(alliance_config_set(db, &config), ALLIANCE_OK);
    for (int day = 0; day < DAYS; day++) {
        if (day == 40)
            change_parameters(ALLIANCE_SM2_CLASSIC, 1300, 36500);
        if (day == 80)
            change_parameters(ALLIANCE_SM2_SUPERMEMO, 1700, 20); /* stored states must be adapted */
        int64_t today = FIXTURE_DAY0 + day;
        for (int pass = 0; pass < 4; pass++) /* several passes: same-day repeats come back */
            for (int i = 1; i <= CARDS; i++) {
                char id[16];
                snprintf(id, sizeof id, "c%d", i);
                if (!is_due(id, today) || next_random(&seed) % 3 == 0)
                    continue;
                int grade = (int)(next_random(&seed) % 6);
                int rc = alliance_answer(db, id, grade, fixture_at(day, 8 + pass), 1000, NULL);
                ck_assert_msg(rc == ALLIANCE_OK, "day %d %s: %s", day, id, alliance_errmsg(db));
                if (next_random(&seed) % 10 == 0)
                    ck_assert_int_eq(alliance_undo(db, NULL), ALLIANCE_OK);
            }
    }
}

START_TEST(replay_equals_the_stored_state_after_months_of_random_study)
{
    study_randomly(12345);
    ck_assert_int_gt(fixture_log_rows(db, NULL), 500);
    for (int i = 1; i <= CARDS; i++) {
        char id[16];
        snprintf(id, sizeof id, "c%d", i);
        alliance_sm2_state state;
        int64_t due = 0;
        ck_assert_int_eq(alliance_replay(db, id, &state, &due), ALLIANCE_OK);
        alliance_card *card = fixture_card(db, id);
        ck_assert_uint_eq(state.repetitions, card->state.repetitions);
        ck_assert_uint_eq(state.efactor_milli, card->state.efactor_milli);
        ck_assert_uint_eq(state.interval_days, card->state.interval_days);
        ck_assert_uint_eq(state.repeat_today, card->state.repeat_today);
        ck_assert_int_eq(due, card->due_day);
        alliance_free(card);
    }
    uint64_t mismatches = 99;
    ck_assert_int_eq(alliance_verify(db, &mismatches), ALLIANCE_OK);
    ck_assert_uint_eq(mismatches, 0);
}
END_TEST

START_TEST(replay_of_a_card_never_answered_is_its_new_state)
{
    alliance_sm2_state state = { 9, 9, 9, 9 };
    ck_assert_int_eq(alliance_replay(db, "c1", &state, NULL), ALLIANCE_OK);
    ck_assert_uint_eq(state.repetitions, 0);
    ck_assert_uint_eq(state.efactor_milli, 2500);
    ck_assert_uint_eq(state.interval_days, 0);
}
END_TEST

START_TEST(replay_argument_errors)
{
    alliance_sm2_state state = { 9, 9, 9, 9 };
    ck_assert_int_eq(alliance_replay(db, "ghost", &state, NULL), ALLIANCE_ENOTFOUND);
    ck_assert_uint_eq(state.repetitions, 9);
    ck_assert_int_eq(alliance_replay(db, NULL, &state, NULL), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_replay(db, "c1", NULL, NULL), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_verify(db, NULL), ALLIANCE_EINVAL);
}
END_TEST

START_TEST(verify_counts_and_names_a_card_changed_behind_the_librarys_back)
{
    const char *path = alliance_test_path("tampered.alliance");
    alliance_close(db);
    db = fixture_open(path);
    fixture_add_cards(db, "deck", "c", 3, ALLIANCE_TEST_NOW);
    for (int i = 1; i <= 3; i++) {
        char id[8];
        snprintf(id, sizeof id, "c%d", i);
        ck_assert_int_eq(alliance_answer(db, id, 5, fixture_at(0, 12), 0, NULL), ALLIANCE_OK);
    }
    uint64_t mismatches = 99;
    ck_assert_int_eq(alliance_verify(db, &mismatches), ALLIANCE_OK);
    ck_assert_uint_eq(mismatches, 0);
    sqlite3 *raw = NULL;
    ck_assert_int_eq(sqlite3_open(path, &raw), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(raw, "UPDATE cards SET due_day = due_day + 5 WHERE id = 'c2'", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(raw);
    ck_assert_int_eq(alliance_verify(db, &mismatches), ALLIANCE_OK);
    ck_assert_uint_eq(mismatches, 1);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "\"c2\""));
    ck_assert_int_eq(alliance_errcode(db), ALLIANCE_OK);
}
END_TEST

/* verify reads the cards and the log in two passes merged by card: each cache it compares, changed
 * behind the library's back on one card among cards with and without a log, is found, and
 * names that card; the card before it and the one after it still match. */
START_TEST(verify_finds_each_cache_changed_on_one_card)
{
    static const char *const tamper[] = {
        "UPDATE cards SET repetitions = repetitions + 1 WHERE id = 'c3'",
        "UPDATE cards SET efactor = efactor + 1 WHERE id = 'c3'",
        "UPDATE cards SET interval_days = interval_days + 1 WHERE id = 'c3'",
        "UPDATE cards SET repeat_today = 1 - repeat_today WHERE id = 'c3'",
        "UPDATE cards SET last_review_day = last_review_day - 1 WHERE id = 'c3'",
        "UPDATE cards SET reviews = reviews + 1 WHERE id = 'c3'",
        "UPDATE cards SET lapses = lapses + 1 WHERE id = 'c3'",
        "UPDATE cards SET leech = 1 WHERE id = 'c3'",
        "UPDATE cards SET suspended = 1 WHERE id = 'c3'",
        "UPDATE cards SET fsrs_stability = 1e-300 WHERE id = 'c3'",
        "UPDATE cards SET fsrs_drill = 1 WHERE id = 'c3'",
        /* a card never answered: its stored state is the new card's */
        "UPDATE cards SET efactor = efactor + 1 WHERE id = 'c5'",
        /* the caches of one review row of c3 (its second) */
        "UPDATE reviews SET day = day + 1 WHERE id = (SELECT r.id FROM reviews AS r JOIN cards AS c ON c.pk = r.card "
        "WHERE c.id = 'c3' ORDER BY r.sort_time LIMIT 1 OFFSET 1)",
        "UPDATE reviews SET before_efactor = before_efactor + 1 WHERE id = (SELECT r.id FROM reviews AS r JOIN cards "
        "AS c ON c.pk = r.card WHERE c.id = 'c3' ORDER BY r.sort_time LIMIT 1 OFFSET 1)",
        "UPDATE reviews SET after_interval = after_interval + 1 WHERE id = (SELECT r.id FROM reviews AS r JOIN cards "
        "AS c ON c.pk = r.card WHERE c.id = 'c3' ORDER BY r.sort_time LIMIT 1 OFFSET 1)",
        "UPDATE reviews SET prev_due_day = prev_due_day + 1 WHERE id = (SELECT r.id FROM reviews AS r JOIN cards "
        "AS c ON c.pk = r.card WHERE c.id = 'c3' ORDER BY r.sort_time LIMIT 1 OFFSET 1)",
        "UPDATE reviews SET prev_lapses = prev_lapses + 1 WHERE id = (SELECT r.id FROM reviews AS r JOIN cards "
        "AS c ON c.pk = r.card WHERE c.id = 'c3' ORDER BY r.sort_time LIMIT 1 OFFSET 1)",
        "UPDATE reviews SET leech_suspended = 1 WHERE id = (SELECT r.id FROM reviews AS r JOIN cards "
        "AS c ON c.pk = r.card WHERE c.id = 'c3' ORDER BY r.sort_time LIMIT 1 OFFSET 1)",
        "UPDATE reviews SET fuzz_days = fuzz_days + 1 WHERE id = (SELECT r.id FROM reviews AS r JOIN cards "
        "AS c ON c.pk = r.card WHERE c.id = 'c3' ORDER BY r.sort_time LIMIT 1 OFFSET 1)",
        /* a review grade changed: the replay itself differs */
        "UPDATE reviews SET grade = 1 WHERE id = (SELECT r.id FROM reviews AS r JOIN cards "
        "AS c ON c.pk = r.card WHERE c.id = 'c3' ORDER BY r.sort_time LIMIT 1)",
    };
    const char *path = alliance_test_path("tampered_each.alliance");
    for (size_t t = 0; t < sizeof tamper / sizeof tamper[0]; t++) {
        alliance_close(db);
        remove(path);
        db = fixture_open(path);
        fixture_add_cards(db, "deck", "c", 6, ALLIANCE_TEST_NOW);
        /* c1, c3 and c6 have logs (c3 three answers), c2, c4 and c5 none */
        fixture_answer(db, "c1", 4, fixture_at(0, 12));
        fixture_answer(db, "c3", 5, fixture_at(0, 12));
        fixture_answer(db, "c3", 4, fixture_at(1, 12));
        fixture_answer(db, "c3", 5, fixture_at(7, 12));
        fixture_answer(db, "c6", 3, fixture_at(0, 13));
        uint64_t mismatches = 99;
        ck_assert_int_eq(alliance_verify(db, &mismatches), ALLIANCE_OK);
        ck_assert_uint_eq(mismatches, 0);
        sqlite3 *raw = NULL;
        ck_assert_int_eq(sqlite3_open(path, &raw), SQLITE_OK);
        ck_assert_msg(sqlite3_exec(raw, tamper[t], NULL, NULL, NULL) == SQLITE_OK, "%s: %s", tamper[t],
                      sqlite3_errmsg(raw));
        ck_assert_int_eq(sqlite3_changes(raw), 1);
        sqlite3_close(raw);
        ck_assert_int_eq(alliance_verify(db, &mismatches), ALLIANCE_OK);
        ck_assert_msg(mismatches == 1, "%s: %llu mismatches", tamper[t], (unsigned long long)mismatches);
        const char *want = strstr(tamper[t], "'c5'") ? "\"c5\"" : "\"c3\"";
        ck_assert_msg(strstr(alliance_errmsg(db), want) != NULL, "%s: %s", tamper[t], alliance_errmsg(db));
    }
}
END_TEST

/* ---- the unusual paths ---- */

static void undo_ok(void)
{
    int rc = alliance_undo(db, NULL);
    ck_assert_msg(rc == ALLIANCE_OK, "undo: %d %s", rc, alliance_errmsg(db));
}

static uint64_t mismatches(void)
{
    uint64_t n = 99;
    ck_assert_int_eq(alliance_verify(db, &n), ALLIANCE_OK);
    return n;
}

START_TEST(replay_matches_after_leech_clock_backwards_and_params_change)
{
    fixture_add_cards(db, "deck", "c", 3, ALLIANCE_TEST_NOW);
    alliance_config config;
    alliance_config_init(&config, ALLIANCE_CONFIG_VERSION);
    config.leech_threshold = 2;
    ck_assert_int_eq(alliance_config_set(db, &config), ALLIANCE_OK);
    fixture_answer(db, "c1", 5, fixture_at(0, 12));
    fixture_answer(db, "c1", 5, fixture_at(1, 12));
    fixture_answer(db, "c1", 1, fixture_at(7, 12));
    fixture_answer(db, "c1", 5, fixture_at(7, 13));
    fixture_answer(db, "c1", 1, fixture_at(8, 12)); /* second lapse: leech, suspended */
    fixture_answer(db, "c2", 5, fixture_at(20, 12));
    fixture_answer(db, "c2", 3, fixture_at(21, 12));
    /* clock back by three days: the repeat is not due before day 21 */
    ck_assert_int_eq(alliance_answer(db, "c2", 4, fixture_at(18, 12), 0, NULL), ALLIANCE_ENOTDUE);
    alliance_sm2_params params;
    alliance_sm2_params_init(&params, ALLIANCE_SM2_CLASSIC);
    params.max_interval_days = 3;
    params.min_efactor_milli = 2400;
    params.initial_efactor_milli = 2400;
    ck_assert_int_eq(alliance_sm2_params_set(db, &params), ALLIANCE_OK);
    fixture_answer(db, "c2", 4, fixture_at(21, 13));
    fixture_answer(db, "c3", 2, fixture_at(21, 14));
    ck_assert_uint_eq(mismatches(), 0);
    undo_ok();
    undo_ok();
    ck_assert_uint_eq(mismatches(), 0);
}
END_TEST

/* Random study with everything that could make replay diverge: parameter and
 * preset changes, a clock that jumps back, undo, leeches, bury, offset changes. */
START_TEST(replay_matches_after_random_study_with_every_disturbance)
{
    enum { STUDIED = 12 };
    fixture_add_cards(db, "deck", "c", STUDIED, ALLIANCE_TEST_NOW);
    alliance_config config;
    alliance_config_init(&config, ALLIANCE_CONFIG_VERSION);
    config.leech_threshold = 3;
    ck_assert_int_eq(alliance_config_set(db, &config), ALLIANCE_OK);
    uint64_t seed = 42;
    int64_t clock = fixture_at(0, 12);
    for (int step = 0; step < 20000; step++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        uint32_t r = (uint32_t)(seed >> 33);
        switch (r % 23) {
        case 0: { /* new parameters */
            alliance_sm2_params params;
            alliance_sm2_params_init(&params, (int)((r >> 8) % 2));
            params.max_interval_days = 1 + (r >> 9) % 60;
            params.min_efactor_milli = 1100 + (r >> 12) % 400;
            params.initial_efactor_milli = params.min_efactor_milli + (r >> 14) % 1500;
            params.first_interval_days = 1 + (r >> 16) % 3;
            params.second_interval_days = 1 + (r >> 18) % 8;
            ck_assert_int_eq(alliance_sm2_params_set(db, &params), ALLIANCE_OK);
            break;
        }
        case 1: clock -= (int64_t)((r >> 8) % 5) * ALLIANCE_TEST_DAY; break;
        case 2: alliance_undo(db, NULL); break;
        case 3: {
            char id[16];
            snprintf(id, sizeof id, "c%u", 1 + (r >> 8) % STUDIED);
            alliance_card_bury(db, id, clock);
            break;
        }
        case 4: {
            char id[16];
            snprintf(id, sizeof id, "c%u", 1 + (r >> 8) % STUDIED);
            alliance_card_suspend(db, id, 0, clock);
            break;
        }
        case 5: ck_assert_int_eq(alliance_set_utc_offset(db, (int32_t)((r >> 8) % 28800) - 14400), ALLIANCE_OK); break;
        case 6: case 7: case 8: clock += 3600 * (int64_t)(1 + (r >> 8) % 120); break;
        default: {
            char id[16];
            snprintf(id, sizeof id, "c%u", 1 + (r >> 8) % STUDIED);
            int rc = alliance_answer(db, id, (int)((r >> 12) % 6), clock, 0, NULL);
            ck_assert_msg(rc == ALLIANCE_OK || rc == ALLIANCE_ENOTDUE, "step %d %s: %s", step, id, alliance_errmsg(db));
        }
        }
    }
    ck_assert_int_gt(fixture_log_rows(db, NULL), 300);
    uint64_t n = 99;
    ck_assert_int_eq(alliance_verify(db, &n), ALLIANCE_OK);
    ck_assert_msg(n == 0, "%llu mismatches: %s", (unsigned long long)n, alliance_errmsg(db));
}
END_TEST

static Suite *replay_suite(void)
{
    Suite *s = suite_create("replay");
    TCase *tc = tcase_create("replay");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, replay_equals_the_stored_state_after_months_of_random_study);
    tcase_add_test(tc, replay_of_a_card_never_answered_is_its_new_state);
    tcase_add_test(tc, replay_argument_errors);
    tcase_add_test(tc, verify_counts_and_names_a_card_changed_behind_the_librarys_back);
    tcase_add_test(tc, verify_finds_each_cache_changed_on_one_card);
    suite_add_tcase(s, tc);
    TCase *unusual = tcase_create("unusual paths");
    tcase_add_checked_fixture(unusual, setup_empty, teardown);
    tcase_set_timeout(unusual, 300);
    tcase_add_test(unusual, replay_matches_after_leech_clock_backwards_and_params_change);
    tcase_add_test(unusual, replay_matches_after_random_study_with_every_disturbance);
    suite_add_tcase(s, unusual);
    return s;
}

int main(void)
{
    return alliance_test_run(replay_suite());
}
