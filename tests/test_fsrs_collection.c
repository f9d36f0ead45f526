/* SPDX-License-Identifier: MIT */
/* fsrs_collection: a collection scheduled by FSRS (docs/fsrs.md, "FSRS in a collection"):
 * switching replays every card's log and keeps it, answering under FSRS, the same-day
 * drill after Again, fitted parameters, sync of the setting, and upgraded old files. */
#include "collection_fixture.h"
#include "sync_fixture.h"

#include <math.h>
#include <sqlite3.h>

static alliance_db *db;

static void setup(void)
{
    db = fixture_open(":memory:");
    fixture_add_cards(db, "deck", "c", 20, ALLIANCE_TEST_NOW);
}

static void teardown(void)
{
    alliance_close(db);
    db = NULL;
}

static uint64_t verify(alliance_db *d)
{
    uint64_t mismatches = 99;
    ck_assert_int_eq(alliance_verify(d, &mismatches), ALLIANCE_OK);
    return mismatches;
}

static alliance_scheduler_report *switch_to(alliance_db *d, uint32_t scheduler, int64_t now)
{
    alliance_scheduler_report *rep = NULL;
    int rc = alliance_scheduler_set(d, scheduler, now, &rep);
    ck_assert_msg(rc == ALLIANCE_OK, "scheduler_set %u: %d %s", scheduler, rc, alliance_errmsg(d));
    ck_assert_uint_eq(rep->version, 1);
    ck_assert_uint_eq(rep->scheduler, scheduler);
    return rep;
}

/* A deterministic grade: mostly recalled, sometimes failed. */
static int grade_for(uint64_t *seed)
{
    *seed = *seed * 6364136223846793005u + 1442695040888963407u;
    static const int grades[10] = { 5, 4, 4, 4, 3, 3, 5, 2, 1, 0 };
    return grades[(*seed >> 33) % 10];
}

/* Studies `days` days from `first_day` through sessions (new cards, reviews, same-day repeats). */
static int study(alliance_db *d, int64_t first_day, int days, uint64_t *seed)
{
    int answers = 0;
    for (int64_t day = first_day; day < first_day + days; day++) {
        int64_t now = fixture_at(day, 9);
        alliance_session *s = NULL;
        ck_assert_int_eq(alliance_session_open(&s, d, 0, now), ALLIANCE_OK);
        alliance_card *card = NULL;
        for (int n = 0; n < 200 && alliance_session_next(s, now, &card) == ALLIANCE_OK; n++) {
            int rc = alliance_session_answer(s, card->id, grade_for(seed), now, 1000, NULL);
            ck_assert_msg(rc == ALLIANCE_OK, "answer %s: %d %s", card->id, rc, alliance_errmsg(d));
            alliance_free(card);
            now += 20;
            answers++;
        }
        alliance_session_close(s);
    }
    return answers;
}

/* The FSRS oracle: the card's log replayed by alliance_fsrs_next alone, as docs/fsrs.md
 * states the rule (first answer: new-card step; a later day: a step over the days
 * between; the same day: a drill that keeps the state; due the same day after Again). */
static void assert_fsrs_is_replay_of_log(alliance_db *d, const char *card_id, const alliance_fsrs_params *p)
{
    alliance_fsrs_state st = { 0, 0, 0 };
    int64_t last = 0, n = 0;
    int drill = 0;
    alliance_review_iter *it = NULL;
    ck_assert_int_eq(alliance_review_iter_open(&it, d, card_id), ALLIANCE_OK);
    alliance_review r;
    memset(&r, 0, sizeof r);
    r.version = ALLIANCE_REVIEW_VERSION;
    while (alliance_review_iter_next(it, &r) == ALLIANCE_OK) {
        int rating = r.grade <= 2 ? 1 : r.grade - 1;
        if (n == 0)
            ck_assert_int_eq(alliance_fsrs_next(p, &st, rating, 0, &st), ALLIANCE_OK);
        else if (r.day > last)
            ck_assert_int_eq(alliance_fsrs_next(p, &st, rating, (uint32_t)(r.day - last), &st), ALLIANCE_OK);
        drill = rating == 1;
        last = r.day;
        n++;
    }
    alliance_review_iter_free(it);
    alliance_card *c = fixture_card(d, card_id);
    ck_assert_msg(memcmp(&c->fsrs.stability, &st.stability, sizeof(double)) == 0, "%s: stability %a, replay %a",
                  card_id, c->fsrs.stability, st.stability);
    ck_assert(memcmp(&c->fsrs.difficulty, &st.difficulty, sizeof(double)) == 0);
    ck_assert_uint_eq(c->fsrs.interval_days, st.interval_days);
    ck_assert_uint_eq(c->fsrs_drill, (uint32_t)drill);
    if (n > 0)
        ck_assert_int_eq(c->due_day, last + (drill ? 0 : st.interval_days));
    alliance_free(c);
}

static int fsrs_all_zero(const alliance_card *c)
{
    return c->fsrs.stability == 0 && c->fsrs.difficulty == 0 && c->fsrs.interval_days == 0 && c->fsrs_drill == 0;
}

/* ---- the "done when" of issue 17 ---- */

START_TEST(a_month_of_sm2_switches_to_fsrs_studies_and_switches_back_losing_nothing)
{
    uint64_t seed = 17;
    int sm2_answers = study(db, 0, 30, &seed);
    ck_assert_int_gt(sm2_answers, 100);
    ck_assert_int_eq(fixture_log_rows(db, NULL), sm2_answers);
    ck_assert_uint_eq(verify(db), 0);
    alliance_card *before = fixture_card(db, "c3");
    ck_assert(fsrs_all_zero(before)); /* under SM-2 the FSRS track is not kept */

    alliance_scheduler_report *rep = switch_to(db, ALLIANCE_SCHEDULER_FSRS, fixture_at(30, 8));
    ck_assert_uint_eq(rep->cards, 20);
    ck_assert_uint_eq(rep->reviews, (uint64_t)sm2_answers);
    ck_assert_uint_gt(rep->due_earlier + rep->due_later, 0);
    alliance_free(rep);
    uint32_t scheduler = 99;
    ck_assert_int_eq(alliance_scheduler_get(db, &scheduler), ALLIANCE_OK);
    ck_assert_uint_eq(scheduler, ALLIANCE_SCHEDULER_FSRS);
    ck_assert_int_eq(fixture_log_rows(db, NULL), sm2_answers); /* every review kept */
    ck_assert_uint_eq(verify(db), 0);
    alliance_fsrs_params p;
    alliance_fsrs_params_init(&p, ALLIANCE_FSRS_PARAMS_VERSION);
    for (int i = 1; i <= 20; i++) {
        char id[8];
        snprintf(id, sizeof id, "c%d", i);
        assert_fsrs_is_replay_of_log(db, id, &p);
    }
    alliance_card *switched = fixture_card(db, "c3");
    ck_assert(switched->fsrs.stability > 0 && switched->fsrs.difficulty >= 1);
    /* the SM-2 state is the same replay: only the due day follows FSRS */
    ck_assert_uint_eq(switched->state.efactor_milli, before->state.efactor_milli);
    ck_assert_uint_eq(switched->lapses, before->lapses);

    int fsrs_answers = study(db, 30, 14, &seed);
    ck_assert_int_gt(fsrs_answers, 20);
    ck_assert_uint_eq(verify(db), 0);
    for (int i = 1; i <= 20; i++) {
        char id[8];
        snprintf(id, sizeof id, "c%d", i);
        assert_fsrs_is_replay_of_log(db, id, &p);
    }
    alliance_card *fsrs_c5 = fixture_card(db, "c5");

    rep = switch_to(db, ALLIANCE_SCHEDULER_SM2, fixture_at(44, 8));
    ck_assert_uint_eq(rep->reviews, (uint64_t)(sm2_answers + fsrs_answers));
    alliance_free(rep);
    ck_assert_int_eq(fixture_log_rows(db, NULL), sm2_answers + fsrs_answers);
    ck_assert_uint_eq(verify(db), 0);
    alliance_card *back = fixture_card(db, "c5");
    ck_assert(fsrs_all_zero(back));
    ck_assert_uint_eq(back->reviews, fsrs_c5->reviews);

    /* switching again gives the very same FSRS state: it is the replay of the log */
    alliance_free(switch_to(db, ALLIANCE_SCHEDULER_FSRS, fixture_at(44, 9)));
    alliance_card *again = fixture_card(db, "c5");
    fixture_assert_same_card(again, fsrs_c5);
    ck_assert_uint_eq(verify(db), 0);
    alliance_free(again);
    alliance_free(back);
    alliance_free(fsrs_c5);
    alliance_free(switched);
    alliance_free(before);
}
END_TEST

START_TEST(setting_the_scheduler_it_has_replays_nothing_and_an_unknown_one_is_refused)
{
    fixture_answer(db, "c1", 4, fixture_at(0, 9));
    alliance_scheduler_report *rep = switch_to(db, ALLIANCE_SCHEDULER_SM2, fixture_at(0, 10));
    ck_assert_uint_eq(rep->cards, 0);
    alliance_free(rep);
    ck_assert_int_eq(alliance_scheduler_set(db, 2, fixture_at(0, 10), &rep), ALLIANCE_EINVAL);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "scheduler 2"));
    uint32_t scheduler = 99;
    ck_assert_int_eq(alliance_scheduler_get(db, &scheduler), ALLIANCE_OK);
    ck_assert_uint_eq(scheduler, ALLIANCE_SCHEDULER_SM2);
    ck_assert_int_eq(alliance_scheduler_get(db, NULL), ALLIANCE_EINVAL);
}
END_TEST

/* ---- answering under FSRS ---- */

START_TEST(a_failed_fsrs_card_comes_back_the_same_day_as_a_drill_that_keeps_its_state)
{
    alliance_free(switch_to(db, ALLIANCE_SCHEDULER_FSRS, fixture_at(0, 8)));
    fixture_answer(db, "c1", 4, fixture_at(0, 9)); /* good */
    alliance_card *c = fixture_card(db, "c1");
    ck_assert_uint_eq(c->fsrs.interval_days, 3); /* FSRS-6 defaults: S0(good) = 2.3065 -> 2.3 ~ 3 days */
    int64_t due = c->due_day;
    alliance_free(c);
    fixture_answer(db, "c1", 1, fixture_at(due - FIXTURE_DAY0, 9)); /* again */
    alliance_card *failed = fixture_card(db, "c1");
    ck_assert_uint_eq(failed->fsrs_drill, 1);
    ck_assert_int_eq(failed->due_day, due); /* due again today */
    ck_assert_uint_eq(failed->lapses, 1);

    /* the session shows it again today */
    alliance_session *s = NULL;
    int64_t later = fixture_at(due - FIXTURE_DAY0, 11);
    ck_assert_int_eq(alliance_session_open(&s, db, 0, later), ALLIANCE_OK);
    int seen = 0;
    alliance_card *card = NULL;
    while (!seen && alliance_session_next(s, later, &card) == ALLIANCE_OK) {
        seen = strcmp(card->id, "c1") == 0;
        ck_assert_int_eq(alliance_session_answer(s, card->id, seen ? 1 : 4, later, 0, NULL), ALLIANCE_OK);
        alliance_free(card);
        later += 10;
    }
    ck_assert(seen);
    alliance_card *drilled = fixture_card(db, "c1"); /* a second Again the same day: still a drill */
    ck_assert(memcmp(&drilled->fsrs, &failed->fsrs, sizeof drilled->fsrs) == 0);
    ck_assert_uint_eq(drilled->fsrs_drill, 1);
    ck_assert_int_eq(drilled->due_day, due);
    ck_assert_uint_eq(drilled->reviews, failed->reviews + 1);
    ck_assert_int_eq(alliance_session_answer(s, "c1", 4, later, 0, NULL), ALLIANCE_OK);
    alliance_session_close(s);
    alliance_card *passed = fixture_card(db, "c1");
    ck_assert_uint_eq(passed->fsrs_drill, 0);
    ck_assert(memcmp(&passed->fsrs.stability, &failed->fsrs.stability, sizeof(double)) == 0);
    ck_assert(memcmp(&passed->fsrs.difficulty, &failed->fsrs.difficulty, sizeof(double)) == 0);
    ck_assert_int_eq(passed->due_day, due + passed->fsrs.interval_days);
    ck_assert_uint_eq(passed->lapses, 1); /* the drills are no lapses */
    ck_assert_uint_eq(verify(db), 0);
    /* undo under FSRS: the drill's pass is taken back exactly */
    ck_assert_int_eq(alliance_undo(db, NULL), ALLIANCE_OK);
    alliance_card *undone = fixture_card(db, "c1");
    fixture_assert_same_card(undone, drilled);
    ck_assert_uint_eq(verify(db), 0);
    alliance_free(undone);
    alliance_free(passed);
    alliance_free(drilled);
    alliance_free(failed);
}
END_TEST

/* ---- the predicted recall a card carries ---- */

static double expected_r(const alliance_card *c, uint32_t elapsed)
{
    alliance_fsrs_params p;
    ck_assert_int_eq(alliance_fsrs_params_get(db, &p), ALLIANCE_OK);
    double r = -1;
    ck_assert_int_eq(alliance_fsrs_retrievability(&p, &c->fsrs, elapsed, &r), ALLIANCE_OK);
    return r;
}

static alliance_card *card_at(const char *id, int64_t now)
{
    alliance_card *c = NULL;
    int rc = alliance_card_get_at(db, id, now, &c);
    ck_assert_msg(rc == ALLIANCE_OK, "card_get_at %s: %d %s", id, rc, alliance_errmsg(db));
    ck_assert_uint_eq(c->version, 3);
    return c;
}

START_TEST(a_card_read_at_a_time_carries_its_fsrs_retrievability_for_that_day)
{
    alliance_free(switch_to(db, ALLIANCE_SCHEDULER_FSRS, fixture_at(0, 8)));
    fixture_answer(db, "c1", 4, fixture_at(0, 9)); /* good: S = 2.3065 */
    alliance_card *same_day = card_at("c1", fixture_at(0, 18));
    ck_assert_int_eq(same_day->retrievability_day, FIXTURE_DAY0);
    ck_assert(same_day->fsrs_retrievability == 1.0); /* nothing forgotten yet */
    const int64_t days[] = { 1, 3, 10, 400 };
    double previous = 1.0;
    for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
        alliance_card *c = card_at("c1", fixture_at(days[i], 9));
        ck_assert_int_eq(c->retrievability_day, FIXTURE_DAY0 + days[i]);
        double want = expected_r(c, (uint32_t)days[i]);
        ck_assert_msg(memcmp(&c->fsrs_retrievability, &want, sizeof want) == 0, "day %lld: %.17g != %.17g",
                      (long long)days[i], c->fsrs_retrievability, want);
        ck_assert(c->fsrs_retrievability < previous && c->fsrs_retrievability > 0.0); /* it decays */
        previous = c->fsrs_retrievability;
        alliance_free(c);
    }
    /* the forgetting curve passes 0.9 at t = S: between days 2 and 3 for S = 2.3065 */
    alliance_card *d2 = card_at("c1", fixture_at(2, 9)), *d3 = card_at("c1", fixture_at(3, 9));
    ck_assert(d2->fsrs_retrievability > 0.9 && d3->fsrs_retrievability < 0.9);
    /* a clock that went back: no time has elapsed */
    alliance_card *before = card_at("c1", fixture_at(-5, 9));
    ck_assert(before->fsrs_retrievability == 1.0);
    /* a new card: 0, for the day asked */
    alliance_card *fresh = card_at("c2", fixture_at(3, 9));
    ck_assert_int_eq(fresh->retrievability_day, FIXTURE_DAY0 + 3);
    ck_assert(fresh->fsrs_retrievability == 0.0);
    /* without a `now` nothing is computed, and says so */
    alliance_card *plain = fixture_card(db, "c1");
    ck_assert_int_eq(plain->retrievability_day, INT64_MIN);
    ck_assert(plain->fsrs_retrievability == 0.0);
    alliance_free(plain);
    alliance_free(fresh);
    alliance_free(before);
    alliance_free(d3);
    alliance_free(d2);
    alliance_free(same_day);
}
END_TEST

START_TEST(the_session_hands_out_cards_with_their_retrievability_today)
{
    alliance_free(switch_to(db, ALLIANCE_SCHEDULER_FSRS, fixture_at(0, 8)));
    fixture_answer(db, "c1", 4, fixture_at(0, 9));
    alliance_card *c = fixture_card(db, "c1");
    int64_t due = c->due_day;
    alliance_free(c);
    int64_t now = fixture_at(due - FIXTURE_DAY0, 9);
    alliance_session *s = NULL;
    ck_assert_int_eq(alliance_session_open(&s, db, 0, now), ALLIANCE_OK);
    alliance_card *next = NULL;
    ck_assert_int_eq(alliance_session_next(s, now, &next), ALLIANCE_OK);
    ck_assert_str_eq(next->id, "c1"); /* the due review comes before new cards */
    ck_assert_int_eq(next->retrievability_day, due);
    double want = expected_r(next, (uint32_t)(due - FIXTURE_DAY0));
    ck_assert(memcmp(&next->fsrs_retrievability, &want, sizeof want) == 0);
    ck_assert(want > 0.85 && want < 0.9); /* due when recall falls just below the desired 0.9 */
    alliance_free(next);
    alliance_session_close(s);
}
END_TEST

START_TEST(under_sm2_the_retrievability_is_zero_and_bad_calls_are_refused)
{
    fixture_answer(db, "c1", 4, fixture_at(0, 9));
    alliance_card *c = card_at("c1", fixture_at(3, 9));
    ck_assert_int_eq(c->retrievability_day, FIXTURE_DAY0 + 3);
    ck_assert(c->fsrs_retrievability == 0.0); /* FSRS only: SM-2 keeps no FSRS state */
    alliance_free(c);
    alliance_card *none = NULL;
    ck_assert_int_eq(alliance_card_get_at(db, "nope", fixture_at(3, 9), &none), ALLIANCE_ENOTFOUND);
    ck_assert_ptr_null(none);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "nope"));
    ck_assert_int_eq(alliance_card_get_at(db, "c1", INT64_MAX, &none), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_card_get_at(db, NULL, fixture_at(3, 9), &none), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_card_get_at(db, "c1", fixture_at(3, 9), NULL), ALLIANCE_EINVAL);
    ck_assert_ptr_null(none);
}
END_TEST

START_TEST(a_damaged_fsrs_state_is_corruption_naming_the_card)
{
    char path[4200];
    snprintf(path, sizeof path, "%s", alliance_test_path("damaged-state.db"));
    alliance_db *a = fixture_open(path);
    fixture_add_cards(a, "deck", "d", 2, ALLIANCE_TEST_NOW);
    alliance_free(switch_to(a, ALLIANCE_SCHEDULER_FSRS, fixture_at(0, 8)));
    fixture_answer(a, "d1", 4, fixture_at(0, 9));
    sqlite3 *raw = NULL;
    ck_assert_int_eq(sqlite3_open(path, &raw), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(raw, "UPDATE cards SET fsrs_stability = -3 WHERE id = 'd1'", NULL, NULL, NULL),
                     SQLITE_OK);
    ck_assert_int_eq(sqlite3_changes(raw), 1);
    sqlite3_close(raw);
    alliance_card *c = NULL;
    ck_assert_int_eq(alliance_card_get_at(a, "d1", fixture_at(2, 9), &c), ALLIANCE_ECORRUPT);
    ck_assert_ptr_null(c);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(a), "\"d1\""));
    ck_assert_int_eq(alliance_card_get(a, "d1", &c), ALLIANCE_OK); /* a read without a time still works */
    alliance_free(c);
    alliance_close(a);
}
END_TEST

/* ---- parameters ---- */

START_TEST(fitted_parameters_are_kept_bit_for_bit_and_replay_every_card)
{
    uint64_t seed = 5;
    study(db, 0, 10, &seed);
    alliance_free(switch_to(db, ALLIANCE_SCHEDULER_FSRS, fixture_at(10, 8)));
    alliance_card *c = fixture_card(db, "c2");
    alliance_fsrs_params p;
    alliance_fsrs_params_init(&p, ALLIANCE_FSRS_PARAMS_VERSION);
    for (int i = 0; i < 21; i++)
        p.weights[i] = nextafter(p.weights[i], 100.0); /* one ulp off: the text must keep it */
    p.desired_retention = 0.8;
    alliance_scheduler_report *rep = NULL;
    ck_assert_int_eq(alliance_fsrs_params_set(db, &p, fixture_at(10, 9), &rep), ALLIANCE_OK);
    ck_assert_uint_eq(rep->cards, 20);
    alliance_free(rep);
    alliance_fsrs_params got;
    alliance_fsrs_params_init(&got, ALLIANCE_FSRS_PARAMS_VERSION);
    ck_assert_int_eq(alliance_fsrs_params_get(db, &got), ALLIANCE_OK);
    ck_assert_mem_eq(got.weights, p.weights, sizeof p.weights);
    ck_assert(got.desired_retention == 0.8);
    ck_assert_uint_eq(got.max_interval_days, 36500);
    alliance_card *c2 = fixture_card(db, "c2");
    ck_assert_uint_gt(c2->fsrs.interval_days, c->fsrs.interval_days); /* lower retention, longer intervals */
    assert_fsrs_is_replay_of_log(db, "c2", &p);
    ck_assert_uint_eq(verify(db), 0);

    /* refused, and nothing changes */
    alliance_fsrs_params bad = p;
    bad.weights[4] = NAN;
    ck_assert_int_eq(alliance_fsrs_params_set(db, &bad, fixture_at(10, 9), NULL), ALLIANCE_EINVAL);
    /* the message names the member and its range (it used to point to the header only) */
    ck_assert_msg(strstr(alliance_errmsg(db), "weights[4] = nan is outside ["), "%s", alliance_errmsg(db));
    bad = p;
    bad.desired_retention = 1.5;
    ck_assert_int_eq(alliance_fsrs_params_set(db, &bad, fixture_at(10, 9), NULL), ALLIANCE_EINVAL);
    ck_assert_msg(strstr(alliance_errmsg(db), "desired_retention = 1.5 is outside (0, 1]"), "%s", alliance_errmsg(db));
    bad = p;
    bad.max_interval_days = 0;
    ck_assert_int_eq(alliance_fsrs_params_set(db, &bad, fixture_at(10, 9), NULL), ALLIANCE_EINVAL);
    ck_assert_msg(strstr(alliance_errmsg(db), "max_interval_days = 0 is outside [1, "), "%s", alliance_errmsg(db));
    ck_assert_int_eq(alliance_fsrs_params_get(db, &got), ALLIANCE_OK);
    ck_assert_mem_eq(got.weights, p.weights, sizeof p.weights);
    alliance_card *c3 = fixture_card(db, "c2");
    fixture_assert_same_card(c3, c2);
    ck_assert_uint_eq(verify(db), 0);
    alliance_free(c3);
    alliance_free(c2);
    alliance_free(c);
}
END_TEST

START_TEST(parameters_set_under_sm2_wait_for_the_switch)
{
    fixture_answer(db, "c1", 4, fixture_at(0, 9));
    alliance_fsrs_params p;
    alliance_fsrs_params_init(&p, ALLIANCE_FSRS_PARAMS_VERSION);
    p.desired_retention = 0.95;
    alliance_scheduler_report *rep = NULL;
    ck_assert_int_eq(alliance_fsrs_params_set(db, &p, fixture_at(0, 10), &rep), ALLIANCE_OK);
    ck_assert_uint_eq(rep->cards, 0);
    ck_assert_uint_eq(rep->scheduler, ALLIANCE_SCHEDULER_SM2);
    alliance_free(rep);
    alliance_free(switch_to(db, ALLIANCE_SCHEDULER_FSRS, fixture_at(0, 11)));
    assert_fsrs_is_replay_of_log(db, "c1", &p);
}
END_TEST

/* ---- the scheduler each review records (schema 5) ---- */

/* The n-th row (0 first) of card_id's log, read as version 3. */
static alliance_review review_of(alliance_db *d, const char *card_id, int n)
{
    alliance_review_iter *it = NULL;
    ck_assert_int_eq(alliance_review_iter_open(&it, d, card_id), ALLIANCE_OK);
    alliance_review r;
    ck_assert_int_eq(alliance_review_init(&r, ALLIANCE_REVIEW_VERSION), ALLIANCE_OK);
    for (int i = 0; i <= n; i++)
        ck_assert_int_eq(alliance_review_iter_next(it, &r), ALLIANCE_OK);
    alliance_review_iter_free(it);
    return r;
}

static int fsrs_param_sets(const char *path)
{
    sqlite3 *raw = NULL;
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(raw, "SELECT count(*) FROM fsrs_param_sets", -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(raw);
    return n;
}

START_TEST(each_review_records_its_scheduler_and_parameters_and_a_switch_keeps_them)
{
    char path[4200];
    snprintf(path, sizeof path, "%s", alliance_test_path("record.db"));
    alliance_db *d = fixture_open(path);
    fixture_add_cards(d, "deck", "r", 2, ALLIANCE_TEST_NOW);
    fixture_answer(d, "r1", 4, fixture_at(0, 9)); /* under SM-2 */
    alliance_free(switch_to(d, ALLIANCE_SCHEDULER_FSRS, fixture_at(0, 10)));
    fixture_answer(d, "r2", 4, fixture_at(0, 11)); /* FSRS, the defaults */
    alliance_fsrs_params fitted;
    alliance_fsrs_params_init(&fitted, ALLIANCE_FSRS_PARAMS_VERSION);
    fitted.weights[0] = 0.5;
    fitted.desired_retention = 0.85;
    ck_assert_int_eq(alliance_fsrs_params_set(d, &fitted, fixture_at(0, 12), NULL), ALLIANCE_OK);
    alliance_card *r1 = fixture_card(d, "r1");
    fixture_answer(d, "r1", 3, fixture_at(r1->due_day - FIXTURE_DAY0, 9)); /* FSRS, fitted */
    alliance_free(r1);

    alliance_fsrs_params defaults;
    alliance_fsrs_params_init(&defaults, ALLIANCE_FSRS_PARAMS_VERSION);
    alliance_review sm2 = review_of(d, "r1", 0), fsrs = review_of(d, "r2", 0), fit = review_of(d, "r1", 1);
    ck_assert_uint_eq(sm2.version, ALLIANCE_REVIEW_VERSION);
    ck_assert_uint_eq(sm2.scheduler, ALLIANCE_SCHEDULER_SM2);
    ck_assert_uint_eq(sm2.fsrs_params.version, 0); /* all zeros under SM-2 */
    ck_assert(sm2.fsrs_params.desired_retention == 0.0 && sm2.fsrs_params.weights[0] == 0.0);
    ck_assert_uint_eq(fsrs.scheduler, ALLIANCE_SCHEDULER_FSRS);
    ck_assert_mem_eq(fsrs.fsrs_params.weights, defaults.weights, sizeof defaults.weights);
    ck_assert(fsrs.fsrs_params.desired_retention == 0.9);
    ck_assert_uint_eq(fit.scheduler, ALLIANCE_SCHEDULER_FSRS);
    ck_assert_mem_eq(fit.fsrs_params.weights, fitted.weights, sizeof fitted.weights);
    ck_assert(fit.fsrs_params.desired_retention == 0.85);
    ck_assert_int_eq(fsrs_param_sets(path), 2); /* each set once, however many rows use it */

    /* switching never rewrites history: every row keeps its record, and verify is exact */
    char *before = sync_dump(d);
    alliance_free(switch_to(d, ALLIANCE_SCHEDULER_SM2, fixture_at(1, 9)));
    alliance_free(switch_to(d, ALLIANCE_SCHEDULER_FSRS, fixture_at(1, 9)));
    ck_assert_int_eq(alliance_fsrs_params_set(d, &fitted, fixture_at(1, 9), NULL), ALLIANCE_OK);
    char *after = sync_dump(d);
    ck_assert_msg(strcmp(before, after) == 0, "changed:%s", sync_dump_diff(before, after));
    ck_assert_uint_eq(verify(d), 0);

    /* a copy receives the same records (changeset format 3) */
    alliance_db *copy = sync_clone_of(d, ":memory:");
    char *copied = sync_dump(copy);
    ck_assert_msg(strcmp(after, copied) == 0, "the copy differs:%s", sync_dump_diff(after, copied));
    alliance_review got = review_of(copy, "r1", 1);
    ck_assert_mem_eq(got.fsrs_params.weights, fitted.weights, sizeof fitted.weights);
    ck_assert_uint_eq(review_of(copy, "r1", 0).scheduler, ALLIANCE_SCHEDULER_SM2);

    /* a caller of layout version 2 gets nothing written past its struct */
    alliance_review_iter *it = NULL;
    ck_assert_int_eq(alliance_review_iter_open(&it, d, "r2"), ALLIANCE_OK);
    alliance_review v2;
    memset(&v2, 0xAB, sizeof v2);
    ck_assert_int_eq(alliance_review_init(&v2, 2), ALLIANCE_OK);
    memset(&v2.scheduler, 0xAB, sizeof v2 - offsetof(alliance_review, scheduler));
    ck_assert_int_eq(alliance_review_iter_next(it, &v2), ALLIANCE_OK);
    ck_assert_uint_eq(v2.scheduler, 0xABABABABu);
    alliance_review_iter_free(it);

    /* undo takes the row and its record back */
    ck_assert_int_eq(alliance_undo(d, NULL), ALLIANCE_OK);
    ck_assert_int_eq(fixture_log_rows(d, "r1"), 1);
    ck_assert_uint_eq(verify(d), 0);
    free(copied);
    free(before);
    free(after);
    alliance_close(copy);
    alliance_close(d);
}
END_TEST

START_TEST(verify_finds_a_damaged_record_of_parameters)
{
    char path[4200];
    snprintf(path, sizeof path, "%s", alliance_test_path("record-damaged.db"));
    alliance_db *d = fixture_open(path);
    fixture_add_cards(d, "deck", "v", 1, ALLIANCE_TEST_NOW);
    alliance_free(switch_to(d, ALLIANCE_SCHEDULER_FSRS, fixture_at(0, 8)));
    fixture_answer(d, "v1", 4, fixture_at(0, 9));
    ck_assert_uint_eq(verify(d), 0);
    sqlite3 *raw = NULL;
    ck_assert_int_eq(sqlite3_open(path, &raw), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(raw, "UPDATE fsrs_param_sets SET params = 'not parameters'", NULL, NULL, NULL),
                     SQLITE_OK);
    ck_assert_int_eq(sqlite3_changes(raw), 1);
    sqlite3_close(raw);
    uint64_t mismatches = 0;
    ck_assert_int_eq(alliance_verify(d, &mismatches), ALLIANCE_ECORRUPT);
    ck_assert_msg(strstr(alliance_errmsg(d), "card \"v1\" records FSRS parameters"), "%s", alliance_errmsg(d));
    alliance_review_iter *it = NULL;
    ck_assert_int_eq(alliance_review_iter_open(&it, d, "v1"), ALLIANCE_OK);
    alliance_review r;
    ck_assert_int_eq(alliance_review_init(&r, ALLIANCE_REVIEW_VERSION), ALLIANCE_OK);
    ck_assert_int_eq(alliance_review_iter_next(it, &r), ALLIANCE_ECORRUPT);
    alliance_review_iter_free(it);
    alliance_close(d);
}
END_TEST

START_TEST(a_changeset_whose_review_record_is_not_parameters_is_refused)
{
    alliance_db *b = sync_clone_of(db, ":memory:");
    alliance_free(switch_to(db, ALLIANCE_SCHEDULER_FSRS, fixture_at(0, 8)));
    fixture_answer(db, "c1", 4, fixture_at(0, 9));
    membuf cs = { 0 };
    ck_assert_int_eq(sync_changes_for(db, b, &cs), ALLIANCE_OK);
    ck_assert_uint_eq(cs.data[8], 4); /* format 4 (format 3 brought the record) */
    char *before = sync_dump(b);
    /* the review record ends with its scheduler (1), then its parameters' text ("" the defaults,
     * a u32 length 0), then (format 4) an import id of 0 (an i64): make the scheduler say 2, and mend the changeset's CRC so that only the
     * record is wrong */
    const uint8_t *p = (const uint8_t *)cs.data;
    size_t pos = 36, at = 0; /* past magic, version, flags, collection id, sender */
    for (int v = 0; v < 2; v++) /* the two version vectors */
        pos += 4 + 16 * (size_t)(p[pos] | p[pos + 1] << 8 | p[pos + 2] << 16 | (uint32_t)p[pos + 3] << 24);
    while (pos + 5 <= cs.len && p[pos] != 0xFF) {
        size_t len = p[pos + 1] | p[pos + 2] << 8 | p[pos + 3] << 16 | (uint32_t)p[pos + 4] << 24;
        if (p[pos] == 2) /* the review: it ends with u8 scheduler, u32 0 (the defaults' text ""), i64 0 */
            at = pos + 5 + len - 13;
        pos += 5 + len;
    }
    ck_assert_uint_gt(at, 0);
    ck_assert_uint_eq(p[at], 1);
    cs.data[at] = 2;
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i + 4 < cs.len; i++) {
        crc ^= (uint8_t)cs.data[i];
        for (int k = 0; k < 8; k++)
            crc = (crc & 1) ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
    }
    crc = ~crc;
    for (int k = 0; k < 4; k++)
        cs.data[cs.len - 4 + k] = (char)(crc >> (8 * k));
    memreader r = memreader_of(&cs, 0);
    ck_assert_int_eq(alliance_sync_apply(b, NULL, memreader_read, &r, NULL), ALLIANCE_ECORRUPT);
    ck_assert_msg(strstr(alliance_errmsg(b), "a review at byte"), "%s", alliance_errmsg(b));
    char *after = sync_dump(b);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    membuf_free(&cs);
    alliance_close(b);
}
END_TEST

/* ---- sync ---- */

START_TEST(a_switch_on_one_copy_reaches_the_other_and_both_verify)
{
    uint64_t seed = 9;
    study(db, 0, 8, &seed);
    alliance_db *phone = sync_clone_of(db, ":memory:");
    alliance_fsrs_params p;
    alliance_fsrs_params_init(&p, ALLIANCE_FSRS_PARAMS_VERSION);
    p.desired_retention = 0.85;
    ck_assert_int_eq(alliance_fsrs_params_set(phone, &p, fixture_at(8, 8), NULL), ALLIANCE_OK);
    alliance_free(switch_to(phone, ALLIANCE_SCHEDULER_FSRS, fixture_at(8, 8)));
    study(phone, 8, 3, &seed);
    study(db, 8, 3, &seed); /* the laptop still under SM-2 meanwhile */
    sync_both(db, phone);
    uint32_t scheduler = 99;
    ck_assert_int_eq(alliance_scheduler_get(db, &scheduler), ALLIANCE_OK);
    ck_assert_uint_eq(scheduler, ALLIANCE_SCHEDULER_FSRS);
    char *x = sync_dump(db), *y = sync_dump(phone);
    ck_assert_msg(strcmp(x, y) == 0, "the copies differ:%s", sync_dump_diff(x, y));
    free(x);
    free(y);
    ck_assert_uint_eq(verify(db), 0);
    ck_assert_uint_eq(verify(phone), 0);
    assert_fsrs_is_replay_of_log(db, "c4", &p);
    alliance_close(phone);
}
END_TEST

/* FSRS parameters that no call could store (written behind the library's back): this copy
 * reports its file damaged, and a copy that receives them refuses the changeset whole. */
START_TEST(parameters_no_call_could_store_are_damage_and_are_refused_by_sync)
{
    char path[4200];
    snprintf(path, sizeof path, "%s", alliance_test_path("tampered.db"));
    alliance_db *a = fixture_open(path);
    fixture_add_cards(a, "deck", "t", 3, ALLIANCE_TEST_NOW);
    fixture_answer(a, "t1", 4, fixture_at(0, 9));
    alliance_db *b = sync_clone_of(a, ":memory:");
    fixture_answer(a, "t2", 4, fixture_at(0, 10));
    sqlite3 *raw = NULL;
    ck_assert_int_eq(sqlite3_open(path, &raw), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(raw, "UPDATE config SET fsrs_params = 'not parameters'", NULL, NULL, NULL),
                     SQLITE_OK);
    ck_assert_int_eq(sqlite3_changes(raw), 1);
    sqlite3_close(raw);
    uint32_t scheduler = 0;
    ck_assert_int_eq(alliance_scheduler_get(a, &scheduler), ALLIANCE_ECORRUPT);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(a), "tampered.db"));
    char *before = sync_dump(b);
    alliance_sync_report *rep = NULL;
    ck_assert_int_eq(sync_one_way(a, b, &rep), ALLIANCE_ECORRUPT);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(b), "FSRS parameters"));
    char *after = sync_dump(b); /* nothing applied: not even the answer to t2 */
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    alliance_close(b);
    alliance_close(a);
}
END_TEST

/* ---- files of earlier versions ---- */

static void upgrade_and_switch(const char *fixture, const char *name)
{
    size_t len = 0;
    char *bytes = alliance_test_read_file(fixture, &len);
    ck_assert_ptr_nonnull(bytes);
    const char *path = alliance_test_path(name);
    FILE *f = fopen(path, "wb");
    ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
    fclose(f);
    free(bytes);
    alliance_db *old = fixture_open(path);
    int rows = fixture_log_rows(old, NULL);
    ck_assert_int_gt(rows, 0);
    uint32_t scheduler = 99;
    ck_assert_int_eq(alliance_scheduler_get(old, &scheduler), ALLIANCE_OK);
    ck_assert_uint_eq(scheduler, ALLIANCE_SCHEDULER_SM2);
    ck_assert_uint_eq(verify(old), 0);
    char *sm2 = sync_dump(old);
    alliance_scheduler_report *rep = switch_to(old, ALLIANCE_SCHEDULER_FSRS, ALLIANCE_TEST_NOW);
    ck_assert_uint_eq(rep->reviews, (uint64_t)rows);
    alliance_free(rep);
    ck_assert_uint_eq(verify(old), 0);
    alliance_close(old);
    old = fixture_open(path); /* the switch was committed */
    ck_assert_int_eq(alliance_scheduler_get(old, &scheduler), ALLIANCE_OK);
    ck_assert_uint_eq(scheduler, ALLIANCE_SCHEDULER_FSRS);
    ck_assert_uint_eq(verify(old), 0);
    alliance_free(switch_to(old, ALLIANCE_SCHEDULER_SM2, ALLIANCE_TEST_NOW));
    char *back = sync_dump(old);
    /* back under SM-2 the collection reads exactly as before the switch but for the setting's stamp */
    ck_assert_msg(strcmp(sm2, back) == 0, "the collection changed:%s", sync_dump_diff(sm2, back));
    free(sm2);
    free(back);
    ck_assert_int_eq(fixture_log_rows(old, NULL), rows);
    /* rows from before schema 5 say SM-2 (it was not recorded), whatever the scheduler since */
    alliance_review_iter *it = NULL;
    ck_assert_int_eq(alliance_review_iter_open(&it, old, NULL), ALLIANCE_OK);
    alliance_review r;
    ck_assert_int_eq(alliance_review_init(&r, ALLIANCE_REVIEW_VERSION), ALLIANCE_OK);
    int seen = 0;
    while (alliance_review_iter_next(it, &r) == ALLIANCE_OK) {
        ck_assert_uint_eq(r.scheduler, ALLIANCE_SCHEDULER_SM2);
        ck_assert_uint_eq(r.fsrs_params.version, 0);
        seen++;
    }
    alliance_review_iter_free(it);
    ck_assert_int_eq(seen, rows);
    alliance_close(old);
}

START_TEST(a_version_1_file_upgrades_and_switches_both_ways)
{
    upgrade_and_switch(ALLIANCE_TEST_DATA "/v1/collection.db", "v1.db");
}
END_TEST

START_TEST(a_version_2_file_upgrades_and_switches_both_ways)
{
    upgrade_and_switch(ALLIANCE_TEST_DATA "/v2/collection.db", "v2.db");
}
END_TEST

START_TEST(a_version_3_file_with_fsrs_history_opens_and_verifies)
{
    upgrade_and_switch(ALLIANCE_TEST_DATA "/v3/collection.db", "v3.db");
}
END_TEST

START_TEST(a_version_4_file_upgrades_and_its_rows_say_sm2)
{
    upgrade_and_switch(ALLIANCE_TEST_DATA "/v4/collection.db", "v4.db");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fsrs_collection");
    TCase *t = tcase_create("switch");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 60);
    tcase_add_test(t, a_month_of_sm2_switches_to_fsrs_studies_and_switches_back_losing_nothing);
    tcase_add_test(t, setting_the_scheduler_it_has_replays_nothing_and_an_unknown_one_is_refused);
    tcase_add_test(t, a_failed_fsrs_card_comes_back_the_same_day_as_a_drill_that_keeps_its_state);
    tcase_add_test(t, a_card_read_at_a_time_carries_its_fsrs_retrievability_for_that_day);
    tcase_add_test(t, the_session_hands_out_cards_with_their_retrievability_today);
    tcase_add_test(t, under_sm2_the_retrievability_is_zero_and_bad_calls_are_refused);
    tcase_add_test(t, a_damaged_fsrs_state_is_corruption_naming_the_card);
    tcase_add_test(t, fitted_parameters_are_kept_bit_for_bit_and_replay_every_card);
    tcase_add_test(t, parameters_set_under_sm2_wait_for_the_switch);
    tcase_add_test(t, a_switch_on_one_copy_reaches_the_other_and_both_verify);
    tcase_add_test(t, each_review_records_its_scheduler_and_parameters_and_a_switch_keeps_them);
    tcase_add_test(t, a_changeset_whose_review_record_is_not_parameters_is_refused);
    tcase_add_test(t, verify_finds_a_damaged_record_of_parameters);
    tcase_add_test(t, parameters_no_call_could_store_are_damage_and_are_refused_by_sync);
    suite_add_tcase(s, t);
    t = tcase_create("upgrade");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, a_version_1_file_upgrades_and_switches_both_ways);
    tcase_add_test(t, a_version_2_file_upgrades_and_switches_both_ways);
    tcase_add_test(t, a_version_3_file_with_fsrs_history_opens_and_verifies);
    tcase_add_test(t, a_version_4_file_upgrades_and_its_rows_say_sm2);
    suite_add_tcase(s, t);
    return alliance_test_run(s);
}
