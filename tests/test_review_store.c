/* review_store: a reviewer's confirming tests for defects found in the collection code.
 * Each test asserts what alliance.h, issue 3 or docs/collection.md promise; a failing
 * test here is a confirmed defect (see the reviewer's report). */
#define _POSIX_C_SOURCE 200809L
#include "collection_fixture.h"

#include <stdlib.h>
#include <time.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

static alliance_db *db;

static void setup(void)
{
    db = fixture_open(":memory:");
}

static void teardown(void)
{
    alliance_close(db);
    db = NULL;
}

static void answer_ok(const char *id, int grade, int64_t now)
{
    int rc = alliance_answer(db, id, grade, now, 0, NULL);
    ck_assert_msg(rc == ALLIANCE_OK, "answer %s %d: %d %s", id, grade, rc, alliance_errmsg(db));
}

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

/* ---- undo must restore EXACTLY the previous card ---- */

/* alliance_undo: "restores the card's exact previous state". A new card added
 * while the initial E-Factor was 2500 keeps 2500 until its first answer; if the
 * parameters changed in between, undoing that answer must give back 2500. */
START_TEST(undo_of_a_first_answer_after_a_params_change_restores_the_stored_state)
{
    fixture_add_cards(db, "deck", "c", 1, ALLIANCE_TEST_NOW);
    alliance_card *before = fixture_card(db, "c1");
    ck_assert_uint_eq(before->state.efactor_milli, 2500);
    alliance_sm2_params params;
    alliance_sm2_params_init(&params, ALLIANCE_SM2_SUPERMEMO);
    params.initial_efactor_milli = 2000;
    ck_assert_int_eq(alliance_sm2_params_set(db, &params), ALLIANCE_OK);
    answer_ok("c1", 5, fixture_at(0, 12));
    undo_ok();
    alliance_card *after = fixture_card(db, "c1");
    fixture_assert_same_card(before, after); /* efactor 2500 expected, 2000 found */
    alliance_free(before);
    alliance_free(after);
}
END_TEST

/* Undo "removes exactly the log row that answer created, nothing else": a
 * suspension the learner made after the answer is not part of that answer. */
START_TEST(undo_does_not_lift_a_suspension_made_after_the_answer)
{
    fixture_add_cards(db, "deck", "c", 2, ALLIANCE_TEST_NOW);
    answer_ok("c1", 5, fixture_at(0, 12));
    ck_assert_int_eq(alliance_card_suspend(db, "c1", 1, fixture_at(0, 13)), ALLIANCE_OK);
    undo_ok();
    alliance_card *card = fixture_card(db, "c1");
    ck_assert_msg(card->suspended == 1, "undo lifted the learner's later suspension of c1");
    alliance_free(card);
}
END_TEST

/* The same with an import that no longer finds the card (suspended = 2): after
 * undoing an older answer the card comes back into sessions although it is no
 * longer in the deck file. Simulated with the store calls the importer uses. */
START_TEST(undo_does_not_bring_back_a_card_an_import_removed)
{
    int64_t deck = fixture_add_cards(db, "deck", "c", 2, ALLIANCE_TEST_NOW);
    answer_ok("c1", 5, fixture_at(0, 12));
    /* a re-import whose file only has c2 */
    ck_assert_int_eq(alliance__db_enter(db), ALLIANCE_OK);
    ck_assert_int_eq(alliance__store_begin(db), ALLIANCE_OK);
    int64_t generation = 0;
    ck_assert_int_eq(alliance__store_next_generation(db, &generation), ALLIANCE_OK);
    alliance__card_row row = { "c2", "c2", 0, ALLIANCE_CARD_BASIC, "question c2", "answer c2", "", "tag", "", "", 2 };
    int result = 0;
    ck_assert_int_eq(alliance__store_card_put(db, deck, &row, generation, fixture_at(0, 13), &result), ALLIANCE_OK);
    uint32_t suspended = 0;
    ck_assert_int_eq(alliance__store_suspend_unseen(db, deck, generation, fixture_at(0, 13), &suspended), ALLIANCE_OK);
    ck_assert_int_eq(alliance__store_commit(db), ALLIANCE_OK);
    alliance__db_leave(db, 0);
    ck_assert_uint_eq(suspended, 1);
    undo_ok();
    alliance_card *card = fixture_card(db, "c1");
    ck_assert_msg(card->suspended == 1, "undo unsuspended c1, which the deck file no longer has");
    alliance_free(card);
}
END_TEST

static int collect(void *opaque, const char *data, size_t len)
{
    alliance__buf *buf = opaque;
    return alliance__buf_append(buf, data, len);
}

/* The consequence of the previous defect: an export after that undo writes the
 * removed card back into the deck file. */
START_TEST(after_an_undo_an_export_still_leaves_out_a_card_the_file_dropped)
{
    int64_t deck = fixture_add_cards(db, "deck", "c", 2, ALLIANCE_TEST_NOW);
    answer_ok("c1", 5, fixture_at(0, 12));
    ck_assert_int_eq(alliance__db_enter(db), ALLIANCE_OK);
    ck_assert_int_eq(alliance__store_begin(db), ALLIANCE_OK);
    int64_t generation = 0;
    ck_assert_int_eq(alliance__store_next_generation(db, &generation), ALLIANCE_OK);
    alliance__card_row row = { "c2", "c2", 0, ALLIANCE_CARD_BASIC, "question c2", "answer c2", "", "tag", "", "", 2 };
    int result = 0;
    ck_assert_int_eq(alliance__store_card_put(db, deck, &row, generation, fixture_at(0, 13), &result), ALLIANCE_OK);
    ck_assert_int_eq(alliance__store_suspend_unseen(db, deck, generation, fixture_at(0, 13), NULL), ALLIANCE_OK);
    ck_assert_int_eq(alliance__store_commit(db), ALLIANCE_OK);
    alliance__db_leave(db, 0);
    alliance__buf before = { 0 }, after = { 0 };
    ck_assert_int_eq(alliance_deck_export(db, deck, ALLIANCE_FORMAT_DECK, collect, &before), ALLIANCE_OK);
    undo_ok();
    ck_assert_int_eq(alliance_deck_export(db, deck, ALLIANCE_FORMAT_DECK, collect, &after), ALLIANCE_OK);
    int same = before.len == after.len && memcmp(before.data, after.data, before.len) == 0;
    alliance__buf_free(&before);
    alliance__buf_free(&after);
    ck_assert_msg(same, "undoing an answer changed what the deck exports (the dropped card c1 is back)");
}
END_TEST

/* alliance_errmsg: "the message of the last failure on db". Freeing a session or
 * an iterator is not a failure, yet it wipes the message of the failure before. */
START_TEST(closing_a_session_keeps_the_last_failure_message)
{
    fixture_add_cards(db, "deck", "c", 1, ALLIANCE_TEST_NOW);
    alliance_session *s = NULL;
    ck_assert_int_eq(alliance_session_open(&s, db, 0, fixture_at(0, 12)), ALLIANCE_OK);
    ck_assert_int_eq(alliance_session_answer(s, "nope", 5, fixture_at(0, 12), 0, NULL), ALLIANCE_ENOTFOUND);
    alliance_session_close(s);
    ck_assert_int_eq(alliance_errcode(db), ALLIANCE_ENOTFOUND);
    ck_assert_msg(strstr(alliance_errmsg(db), "nope") != NULL, "message lost: %s", alliance_errmsg(db));
}
END_TEST

/* ---- sessions ---- */

/* alliance_session_undo on a deck's session undoes the collection's newest
 * answer, which may be of another deck: the session then offers that card,
 * refuses to answer it, and offers it again forever. */
START_TEST(a_deck_session_never_offers_a_card_of_another_deck_after_undo)
{
    int64_t deck_a = fixture_add_cards(db, "A", "a", 2, ALLIANCE_TEST_NOW);
    fixture_add_cards(db, "B", "b", 2, ALLIANCE_TEST_NOW);
    int64_t now = fixture_at(0, 12);
    alliance_session *s = NULL;
    ck_assert_int_eq(alliance_session_open(&s, db, deck_a, now), ALLIANCE_OK);
    ck_assert_int_eq(alliance_session_answer(s, "a1", 5, now, 0, NULL), ALLIANCE_OK);
    answer_ok("b1", 5, now); /* answered elsewhere (another window, the drill tool) */
    char *undone = NULL;
    ck_assert_int_eq(alliance_session_undo(s, &undone), ALLIANCE_OK);
    alliance_free(undone);
    alliance_card *card = NULL;
    ck_assert_int_eq(alliance_session_next(s, now, &card), ALLIANCE_OK);
    int64_t its_deck = card->deck_id;
    char id[16];
    snprintf(id, sizeof id, "%s", card->id);
    alliance_free(card);
    int rc = alliance_session_answer(s, id, 5, now, 0, NULL);
    alliance_session_close(s);
    ck_assert_msg(its_deck == deck_a, "session over deck A offered %s of deck %lld; answering it gave %d",
                  id, (long long)its_deck, rc);
}
END_TEST

/* ---- lapses and leeches ---- */

/* A lapse is a wrong answer to a learned card, after which SM-2 starts it again.
 * In the SuperMemo preset a failed same-day repeat changes nothing in the state
 * (repetitions and interval are kept: the card is still "learned"), yet each
 * one is counted as a lapse: one bad evening makes a card answered correctly
 * once a leech, and suspends it. */
START_TEST(failed_same_day_repeats_are_not_lapses)
{
    fixture_add_cards(db, "deck", "c", 1, ALLIANCE_TEST_NOW);
    answer_ok("c1", 3, fixture_at(0, 12)); /* recalled with difficulty: repeat today */
    for (int i = 0; i < 8; i++)
        answer_ok("c1", 0, fixture_at(0, 13));
    alliance_card *card = fixture_card(db, "c1");
    uint32_t reps = card->state.repetitions, lapses = card->lapses, leech = card->leech, susp = card->suspended;
    alliance_free(card);
    ck_assert_msg(lapses == 0 && !leech && !susp,
                  "state still learned (repetitions %u) but lapses %u, leech %u, suspended %u", reps, lapses, leech,
                  susp);
}
END_TEST

/* ---- replay equals stored state on the unusual paths (expected to pass) ---- */

START_TEST(replay_matches_after_leech_clock_backwards_and_params_change)
{
    fixture_add_cards(db, "deck", "c", 3, ALLIANCE_TEST_NOW);
    alliance_config config;
    alliance_config_init(&config);
    config.leech_threshold = 2;
    ck_assert_int_eq(alliance_config_set(db, &config), ALLIANCE_OK);
    answer_ok("c1", 5, fixture_at(0, 12));
    answer_ok("c1", 5, fixture_at(1, 12));
    answer_ok("c1", 1, fixture_at(7, 12));
    answer_ok("c1", 5, fixture_at(7, 13));
    answer_ok("c1", 1, fixture_at(8, 12)); /* second lapse: leech, suspended */
    answer_ok("c2", 5, fixture_at(20, 12));
    answer_ok("c2", 3, fixture_at(21, 12));
    /* clock back by three days: the repeat is not due before day 21 */
    ck_assert_int_eq(alliance_answer(db, "c2", 4, fixture_at(18, 12), 0, NULL), ALLIANCE_ENOTDUE);
    alliance_sm2_params params;
    alliance_sm2_params_init(&params, ALLIANCE_SM2_CLASSIC);
    params.max_interval_days = 3;
    params.min_efactor_milli = 2400;
    params.initial_efactor_milli = 2400;
    ck_assert_int_eq(alliance_sm2_params_set(db, &params), ALLIANCE_OK);
    answer_ok("c2", 4, fixture_at(21, 13));
    answer_ok("c3", 2, fixture_at(21, 14));
    ck_assert_uint_eq(mismatches(), 0);
    undo_ok();
    undo_ok();
    ck_assert_uint_eq(mismatches(), 0);
}
END_TEST

/* Random study with everything that could make replay diverge: parameter and
 * preset changes, a clock that jumps back, undo, leeches, bury, offset changes.
 * (Expected to pass; kept as a regression test.) */
START_TEST(replay_matches_after_random_study_with_every_disturbance)
{
    enum { CARDS = 12 };
    fixture_add_cards(db, "deck", "c", CARDS, ALLIANCE_TEST_NOW);
    alliance_config config;
    alliance_config_init(&config);
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
            snprintf(id, sizeof id, "c%u", 1 + (r >> 8) % CARDS);
            alliance_card_bury(db, id, clock);
            break;
        }
        case 4: {
            char id[16];
            snprintf(id, sizeof id, "c%u", 1 + (r >> 8) % CARDS);
            alliance_card_suspend(db, id, 0, clock);
            break;
        }
        case 5: ck_assert_int_eq(alliance_set_utc_offset(db, (int32_t)((r >> 8) % 28800) - 14400), ALLIANCE_OK); break;
        case 6: case 7: case 8: clock += 3600 * (int64_t)(1 + (r >> 8) % 120); break;
        default: {
            char id[16];
            snprintf(id, sizeof id, "c%u", 1 + (r >> 8) % CARDS);
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

/* ---- the learner's day ---- */

START_TEST(local_days_are_contiguous_across_a_year_of_dst_in_several_zones)
{
    static const char *const zones[] = { "America/New_York", "Europe/Berlin", "Australia/Lord_Howe",
                                         "America/Santiago", "America/Havana", "Asia/Tehran" };
    for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++) {
        setenv("TZ", zones[z], 1);
        tzset();
        static const uint32_t rollovers[] = { 0, 1, 2, 3, 4, 23 };
        for (size_t r = 0; r < sizeof rollovers / sizeof rollovers[0]; r++) {
            uint32_t rollover = rollovers[r];
            int64_t prev = 0;
            ck_assert_int_eq(alliance_day_number(&prev, INT64_C(1704067200), ALLIANCE_UTC_OFFSET_LOCAL, rollover), 0);
            for (int64_t t = INT64_C(1704067200); t < INT64_C(1735689600); t += 1800) {
                int64_t d;
                ck_assert_int_eq(alliance_day_number(&d, t, ALLIANCE_UTC_OFFSET_LOCAL, rollover), 0);
                ck_assert_msg(d == prev || d == prev + 1, "%s rollover %u: day %lld after %lld at %lld", zones[z],
                              rollover, (long long)d, (long long)prev, (long long)t);
                if (d == prev + 1) {
                    int64_t start;
                    ck_assert_int_eq(alliance_day_start(&start, d, ALLIANCE_UTC_OFFSET_LOCAL, rollover), 0);
                    ck_assert_msg(start > t - 1800 && start <= t, "%s rollover %u: start of %lld", zones[z], rollover,
                                  (long long)d);
                }
                prev = d;
            }
        }
    }
    unsetenv("TZ");
    tzset();
}
END_TEST


/* ---- negative times ---- */

/* Day numbers are exact for negative times (docs/collection.md), but a card
 * that was never buried has buried_until_day 0, which hides it on every day
 * before day 0. With the default rollover (4:00) the epoch itself is day -1, so
 * a device whose clock was reset to 1970-01-01 cannot answer any card. */
START_TEST(a_card_never_buried_can_be_answered_before_day_0)
{
    fixture_add_cards(db, "deck", "c", 1, 0);
    int64_t today = 0;
    ck_assert_int_eq(alliance_today(db, 0, &today), ALLIANCE_OK);
    ck_assert_int_eq(today, -1); /* 00:00 UTC is before the 4:00 rollover */
    int rc = alliance_answer(db, "c1", 5, 0, 0, NULL);
    ck_assert_msg(rc == ALLIANCE_OK, "answer at the epoch: %d %s", rc, alliance_errmsg(db));
}
END_TEST

/* ---- error messages name the card (STYLE.md: "the card id for a review") ---- */

START_TEST(a_refused_answer_on_a_readonly_collection_names_the_card)
{
    const char *path = alliance_test_path("ro.alliance");
    alliance_db *rw = fixture_open(path);
    fixture_add_cards(rw, "deck", "card-x", 1, ALLIANCE_TEST_NOW);
    alliance_close(rw);
    alliance_open_options options;
    alliance_open_options_init(&options);
    options.utc_offset_seconds = 0;
    options.flags = ALLIANCE_OPEN_READONLY;
    alliance_db *ro = NULL;
    ck_assert_int_eq(alliance_open(&ro, path, &options), ALLIANCE_OK);
    int rc = alliance_answer(ro, "card-x1", 5, fixture_at(0, 12), 0, NULL);
    char message[1024];
    snprintf(message, sizeof message, "%s", alliance_errmsg(ro));
    alliance_close(ro);
    ck_assert_int_eq(rc, ALLIANCE_EREADONLY);
    ck_assert_msg(strstr(message, "card-x1") != NULL, "message does not name the card: %s", message);
}
END_TEST

/* ---- same-day repeats across sessions ---- */

/* Issue 3: a repeat comes back "not immediately after itself when other cards
 * remain". An app that opens a new session object per screen (or after a
 * restart) sees the card it just failed again at once, before 4 others. */
START_TEST(a_repeat_does_not_follow_itself_across_a_new_session_object)
{
    fixture_add_cards(db, "deck", "c", 5, ALLIANCE_TEST_NOW);
    int64_t now = fixture_at(0, 12);
    alliance_session *s = NULL;
    ck_assert_int_eq(alliance_session_open(&s, db, 0, now), ALLIANCE_OK);
    ck_assert_int_eq(alliance_session_answer(s, "c1", 3, now, 0, NULL), ALLIANCE_OK);
    alliance_session_close(s);
    ck_assert_int_eq(alliance_session_open(&s, db, 0, now + 1), ALLIANCE_OK);
    alliance_card *card = NULL;
    ck_assert_int_eq(alliance_session_next(s, now + 1, &card), ALLIANCE_OK);
    char id[16];
    snprintf(id, sizeof id, "%s", card->id);
    alliance_free(card);
    alliance_session_close(s);
    ck_assert_msg(strcmp(id, "c1") != 0, "c1, answered one second ago, is shown right after itself");
}
END_TEST

/* ---- stats and forecast boundaries (expected to pass) ---- */

START_TEST(forecast_and_stats_windows_have_no_off_by_one)
{
    fixture_add_cards(db, "deck", "c", 4, ALLIANCE_TEST_NOW);
    answer_ok("c1", 5, fixture_at(0, 12)); /* due day 1 */
    answer_ok("c2", 5, fixture_at(0, 12));
    answer_ok("c2", 5, fixture_at(1, 12)); /* due day 7 */
    answer_ok("c3", 2, fixture_at(1, 12)); /* never learned: due today (day 1), repeat */
    uint32_t counts[7];
    ck_assert_int_eq(alliance_forecast(db, 0, fixture_at(1, 12), counts, 7), ALLIANCE_OK);
    ck_assert_uint_eq(counts[0], 2); /* c1 due today, c3 repeat */
    ck_assert_uint_eq(counts[6], 1); /* c2 is due on day 7 = today + 6 */
    uint32_t more[7];
    ck_assert_int_eq(alliance_forecast(db, 0, fixture_at(0, 12), more, 7), ALLIANCE_OK);
    ck_assert_uint_eq(more[1], 2);
    alliance_stats st;
    alliance_stats_init(&st);
    ck_assert_int_eq(alliance_stats_get(db, 0, fixture_at(1, 12), 1, &st), ALLIANCE_OK);
    ck_assert_uint_eq(st.reviews, 2); /* today only */
    ck_assert_uint_eq(st.correct, 1);
    ck_assert_int_eq(alliance_stats_get(db, 0, fixture_at(1, 12), 2, &st), ALLIANCE_OK);
    ck_assert_uint_eq(st.reviews, 4);
    ck_assert_uint_eq(st.learned, 3);
    ck_assert_uint_eq(st.new_cards, 1);
    ck_assert_uint_eq(st.due_today, 2);
}
END_TEST

/* ---- refusing a file never modifies it ---- */

/* A newer liballiance (like this one) keeps its file in WAL mode. If its last
 * writer died before a checkpoint, the WAL holds committed pages. Opening the
 * file to refuse it must not fold them into the main file ("it is never modified"),
 * yet the read-write connection checkpoints on close. */
START_TEST(a_newer_collection_with_a_pending_wal_is_left_untouched)
{
    const char *path = alliance_test_path("newer-wal.alliance");
    alliance_close(fixture_open(path));
    pid_t child = fork();
    ck_assert_int_ne(child, -1);
    if (child == 0) { /* the newer program: writes, then dies before any checkpoint */
        sqlite3 *raw = NULL;
        if (sqlite3_open(path, &raw) != SQLITE_OK ||
            sqlite3_exec(raw, "PRAGMA wal_autocheckpoint = 0; PRAGMA user_version = 99; "
                              "CREATE TABLE newer_things (x INTEGER);", NULL, NULL, NULL) != SQLITE_OK)
            _exit(1);
        _exit(0);
    }
    int status = 0;
    ck_assert_int_eq(waitpid(child, &status, 0), child);
    ck_assert_int_eq(WEXITSTATUS(status), 0);
    size_t before_len = 0, after_len = 0;
    char *before = alliance_test_read_file(path, &before_len);
    alliance_db *newer = NULL;
    ck_assert_int_eq(alliance_open(&newer, path, NULL), ALLIANCE_ENEWER);
    alliance_close(newer);
    char *after = alliance_test_read_file(path, &after_len);
    int same = before_len == after_len && memcmp(before, after, before_len) == 0;
    free(before);
    free(after);
    ck_assert_msg(same, "refusing the newer collection rewrote its main file (%zu -> %zu bytes)", before_len,
                  after_len);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("review_store");
    TCase *undo = tcase_create("undo");
    tcase_add_checked_fixture(undo, setup, teardown);
    tcase_add_test(undo, undo_of_a_first_answer_after_a_params_change_restores_the_stored_state);
    tcase_add_test(undo, undo_does_not_lift_a_suspension_made_after_the_answer);
    tcase_add_test(undo, undo_does_not_bring_back_a_card_an_import_removed);
    tcase_add_test(undo, after_an_undo_an_export_still_leaves_out_a_card_the_file_dropped);
    suite_add_tcase(suite, undo);
    TCase *session = tcase_create("session");
    tcase_add_checked_fixture(session, setup, teardown);
    tcase_add_test(session, a_deck_session_never_offers_a_card_of_another_deck_after_undo);
    tcase_add_test(session, a_repeat_does_not_follow_itself_across_a_new_session_object);
    suite_add_tcase(suite, session);
    TCase *leech = tcase_create("leech");
    tcase_add_checked_fixture(leech, setup, teardown);
    tcase_add_test(leech, failed_same_day_repeats_are_not_lapses);
    suite_add_tcase(suite, leech);
    TCase *replay = tcase_create("replay");
    tcase_add_checked_fixture(replay, setup, teardown);
    tcase_add_test(replay, replay_matches_after_leech_clock_backwards_and_params_change);
    tcase_add_test(replay, replay_matches_after_random_study_with_every_disturbance);
    suite_add_tcase(suite, replay);
    TCase *misc = tcase_create("misc");
    tcase_add_checked_fixture(misc, setup, teardown);
    tcase_add_test(misc, a_card_never_buried_can_be_answered_before_day_0);
    tcase_add_test(misc, a_refused_answer_on_a_readonly_collection_names_the_card);
    tcase_add_test(misc, forecast_and_stats_windows_have_no_off_by_one);
    tcase_add_test(misc, closing_a_session_keeps_the_last_failure_message);
    tcase_add_test(misc, a_newer_collection_with_a_pending_wal_is_left_untouched);
    suite_add_tcase(suite, misc);
    TCase *day = tcase_create("day");
    tcase_set_timeout(day, 120);
    tcase_add_test(day, local_days_are_contiguous_across_a_year_of_dst_in_several_zones);
    suite_add_tcase(suite, day);
    return alliance_test_run(suite);
}
