/* SPDX-License-Identifier: MIT */
/* session: today's queue: order, daily limits, same-day repeats, undo, decks, and weeks of study. */
#include "collection_fixture.h"

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

static void set_limits(uint32_t new_per_day, uint32_t reviews_per_day)
{
    alliance_config config;
    alliance_config_init(&config, ALLIANCE_CONFIG_VERSION);
    config.new_per_day = new_per_day;
    config.reviews_per_day = reviews_per_day;
    ck_assert_int_eq(alliance_config_set(db, &config), ALLIANCE_OK);
}

static alliance_session *open_session(int64_t deck_id, int64_t now)
{
    alliance_session *s = NULL;
    int rc = alliance_session_open(&s, db, deck_id, now);
    ck_assert_msg(rc == ALLIANCE_OK, "session: %s", alliance_errmsg(db));
    return s;
}

static alliance_counts counts_of(alliance_session *s, int64_t now);

/* The id of the next card (in static storage), or "" when the session is done. Every call
 * also checks that alliance_session_next_with_counts gives the same card with the same
 * counts as alliance_session_counts and alliance_session_next, so that every step of every
 * session below holds it to that. */
static const char *next_id(alliance_session *s, int64_t now)
{
    static char id[256];
    alliance_counts expected = counts_of(s, now), got;
    alliance_card *card = NULL, *together = NULL;
    int rc = alliance_session_next(s, now, &card);
    memset(&got, 0xee, sizeof got);
    got.version = ALLIANCE_COUNTS_VERSION;
    int rc2 = alliance_session_next_with_counts(s, now, &together, &got);
    ck_assert_int_eq(rc2, rc);
    ck_assert_mem_eq(&got, &expected, sizeof got);
    if (rc == ALLIANCE_DONE) {
        ck_assert_ptr_null(card);
        ck_assert_ptr_null(together);
        return "";
    }
    ck_assert_msg(rc == ALLIANCE_OK, "next: %d %s", rc, alliance_errmsg(db));
    ck_assert_ptr_nonnull(together);
    ck_assert_str_eq(together->id, card->id);
    ck_assert_int_eq(together->due_day, card->due_day);
    ck_assert_int_eq(together->reviews, card->reviews);
    snprintf(id, sizeof id, "%s", card->id);
    alliance_free(card);
    alliance_free(together);
    return id;
}

/* Takes the next card, checks it is `expected`, answers it with `grade`. */
static void study(alliance_session *s, const char *expected, int grade, int64_t now)
{
    ck_assert_str_eq(next_id(s, now), expected);
    int rc = alliance_session_answer(s, expected, grade, now, 800, NULL);
    ck_assert_msg(rc == ALLIANCE_OK, "answer %s: %s", expected, alliance_errmsg(db));
}

static alliance_counts counts_of(alliance_session *s, int64_t now)
{
    alliance_counts c;
    c.version = ALLIANCE_COUNTS_VERSION;
    ck_assert_int_eq(alliance_session_counts(s, now, &c), ALLIANCE_OK);
    return c;
}

/* ---- the queue ---- */

/* The combined call is the two calls in one snapshot: also when the day is done, the counts
 * come (answers given in the session), and nothing else moves. */
START_TEST(the_next_card_with_its_counts_in_one_call)
{
    fixture_add_cards(db, "deck", "c", 3, ALLIANCE_TEST_NOW);
    set_limits(2, 200);
    int64_t now = fixture_at(0, 12);
    alliance_session *s = open_session(0, now);
    alliance_counts c = ALLIANCE_COUNTS_INIT;
    alliance_card *card = NULL;
    ck_assert_int_eq(alliance_session_next_with_counts(s, now, &card, &c), ALLIANCE_OK);
    ck_assert_str_eq(card->id, "c1");
    ck_assert_uint_eq(c.new_cards, 2); /* the card handed out is still counted */
    ck_assert_uint_eq(c.due + c.repeat + c.answered, 0);
    ck_assert_int_eq(alliance_session_answer(s, card->id, 5, now, 0, NULL), ALLIANCE_OK);
    alliance_free(card);
    study(s, "c2", 5, now);
    card = (alliance_card *)&c; /* must be overwritten with NULL */
    memset(&c, 0xee, sizeof c);
    c.version = ALLIANCE_COUNTS_VERSION;
    ck_assert_int_eq(alliance_session_next_with_counts(s, now, &card, &c), ALLIANCE_DONE);
    ck_assert_ptr_null(card);
    ck_assert_uint_eq(c.version, ALLIANCE_COUNTS_VERSION);
    ck_assert_uint_eq(c.new_cards + c.due + c.repeat, 0); /* c3 waits for tomorrow's limit */
    ck_assert_uint_eq(c.answered, 2);
    alliance_session_close(s);
}
END_TEST

START_TEST(an_empty_collection_has_nothing_to_study)
{
    alliance_session *s = open_session(0, fixture_at(0, 12));
    ck_assert_str_eq(next_id(s, fixture_at(0, 12)), "");
    alliance_counts c = counts_of(s, fixture_at(0, 12));
    ck_assert_uint_eq(c.new_cards + c.due + c.repeat + c.answered, 0);
    alliance_session_close(s);
}
END_TEST

START_TEST(counts_before_starting_respect_the_new_card_limit)
{
    fixture_add_cards(db, "deck", "c", 30, ALLIANCE_TEST_NOW);
    alliance_session *s = open_session(0, fixture_at(0, 12));
    alliance_counts c = counts_of(s, fixture_at(0, 12));
    ck_assert_uint_eq(c.new_cards, 20);
    ck_assert_uint_eq(c.due, 0);
    ck_assert_uint_eq(c.repeat, 0);
    set_limits(5, 200);
    ck_assert_uint_eq(counts_of(s, fixture_at(0, 12)).new_cards, 5);
    c.version = 99;
    ck_assert_int_eq(alliance_session_counts(s, fixture_at(0, 12), &c), ALLIANCE_EVERSION);
    alliance_session_close(s);
}
END_TEST

START_TEST(new_cards_come_in_file_order_up_to_the_daily_limit)
{
    fixture_add_cards(db, "deck", "c", 10, ALLIANCE_TEST_NOW);
    set_limits(3, 200);
    int64_t now = fixture_at(0, 12);
    alliance_session *s = open_session(0, now);
    study(s, "c1", 5, now);
    study(s, "c2", 5, now);
    ck_assert_uint_eq(counts_of(s, now).new_cards, 1);
    study(s, "c3", 5, now);
    ck_assert_str_eq(next_id(s, now), "");
    alliance_counts c = counts_of(s, now);
    ck_assert_uint_eq(c.new_cards, 0);
    ck_assert_uint_eq(c.answered, 3);
    alliance_session_close(s);
    /* another session the same day: the limit is per day, not per session */
    s = open_session(0, now);
    ck_assert_str_eq(next_id(s, now), "");
    alliance_session_close(s);
}
END_TEST

START_TEST(the_day_starts_at_the_rollover_hour)
{
    fixture_add_cards(db, "deck", "c", 10, ALLIANCE_TEST_NOW);
    set_limits(2, 200);
    alliance_session *s = open_session(0, fixture_at(0, 12));
    study(s, "c1", 4, fixture_at(0, 12));
    study(s, "c2", 4, fixture_at(0, 12));
    /* 03:59 next morning is still the same learner's day */
    ck_assert_str_eq(next_id(s, fixture_at(1, 3) + 59 * 60), "");
    /* 04:01: a new day: yesterday's cards are due, then new ones */
    int64_t morning = fixture_at(1, 4) + 60;
    alliance_counts c = counts_of(s, morning);
    ck_assert_uint_eq(c.due, 2);
    ck_assert_uint_eq(c.new_cards, 2);
    study(s, "c1", 5, morning);
    study(s, "c2", 5, morning);
    study(s, "c3", 5, morning);
    alliance_session_close(s);
}
END_TEST

START_TEST(due_reviews_come_first_most_overdue_first)
{
    fixture_add_cards(db, "deck", "c", 6, ALLIANCE_TEST_NOW);
    /* c3 learned on day 0, c1 on day 2, c2 on day 4: each due the next day */
    ck_assert_int_eq(alliance_answer(db, "c3", 5, fixture_at(0, 12), 0, NULL), ALLIANCE_OK);
    ck_assert_int_eq(alliance_answer(db, "c1", 5, fixture_at(2, 12), 0, NULL), ALLIANCE_OK);
    ck_assert_int_eq(alliance_answer(db, "c2", 5, fixture_at(4, 12), 0, NULL), ALLIANCE_OK);
    int64_t now = fixture_at(10, 12);
    alliance_session *s = open_session(0, now);
    ck_assert_uint_eq(counts_of(s, now).due, 3);
    study(s, "c3", 5, now);
    study(s, "c1", 5, now);
    study(s, "c2", 5, now);
    study(s, "c4", 5, now); /* then the new cards */
    alliance_session_close(s);
}
END_TEST

START_TEST(the_review_limit_caps_due_cards_and_counts)
{
    fixture_add_cards(db, "deck", "c", 5, ALLIANCE_TEST_NOW);
    for (int i = 1; i <= 5; i++) {
        char id[8];
        snprintf(id, sizeof id, "c%d", i);
        ck_assert_int_eq(alliance_answer(db, id, 5, fixture_at(0, 12), 0, NULL), ALLIANCE_OK);
    }
    set_limits(20, 2);
    int64_t now = fixture_at(1, 12);
    alliance_session *s = open_session(0, now);
    ck_assert_uint_eq(counts_of(s, now).due, 2);
    study(s, "c1", 5, now);
    study(s, "c2", 5, now);
    ck_assert_uint_eq(counts_of(s, now).due, 0);
    ck_assert_str_eq(next_id(s, now), "");
    alliance_session_close(s);
}
END_TEST

START_TEST(suspended_and_buried_cards_are_left_out)
{
    fixture_add_cards(db, "deck", "c", 3, ALLIANCE_TEST_NOW);
    ck_assert_int_eq(alliance_card_suspend(db, "c1", 1, fixture_at(0, 12)), ALLIANCE_OK);
    ck_assert_int_eq(alliance_card_bury(db, "c2", fixture_at(0, 12)), ALLIANCE_OK);
    alliance_session *s = open_session(0, fixture_at(0, 12));
    ck_assert_uint_eq(counts_of(s, fixture_at(0, 12)).new_cards, 1);
    study(s, "c3", 5, fixture_at(0, 12));
    ck_assert_str_eq(next_id(s, fixture_at(0, 13)), "");
    study(s, "c3", 5, fixture_at(1, 12));                  /* tomorrow: the due review first */
    ck_assert_str_eq(next_id(s, fixture_at(1, 12)), "c2"); /* then the card whose bury is over */
    alliance_session_close(s);
}
END_TEST

/* ---- same-day repeats ---- */

START_TEST(a_weak_answer_comes_back_after_three_other_cards)
{
    fixture_add_cards(db, "deck", "c", 6, ALLIANCE_TEST_NOW);
    int64_t now = fixture_at(0, 12);
    alliance_session *s = open_session(0, now);
    study(s, "c1", 3, now); /* recalled with difficulty: SM-2 repeats it today */
    ck_assert_uint_eq(counts_of(s, now).repeat, 1);
    study(s, "c2", 5, now);
    study(s, "c3", 5, now);
    study(s, "c4", 5, now);
    study(s, "c1", 3, now); /* still below 4: again later */
    study(s, "c5", 5, now);
    study(s, "c6", 5, now);
    study(s, "c1", 4, now); /* nothing else left: back at once, not right after itself */
    ck_assert_uint_eq(counts_of(s, now).repeat, 0);
    ck_assert_str_eq(next_id(s, now), "");
    alliance_session_close(s);
}
END_TEST

START_TEST(a_lapsed_card_comes_back_the_same_day)
{
    fixture_add_cards(db, "deck", "c", 2, ALLIANCE_TEST_NOW);
    ck_assert_int_eq(alliance_answer(db, "c1", 5, fixture_at(0, 12), 0, NULL), ALLIANCE_OK);
    set_limits(0, 200);
    int64_t now = fixture_at(1, 12);
    alliance_session *s = open_session(0, now);
    study(s, "c1", 1, now);
    alliance_counts c = counts_of(s, now);
    ck_assert_uint_eq(c.repeat, 1);
    ck_assert_uint_eq(c.due, 0);
    study(s, "c1", 5, now); /* the only card left may follow itself */
    ck_assert_str_eq(next_id(s, now), "");
    alliance_session_close(s);
}
END_TEST

START_TEST(a_repeat_never_follows_itself_while_another_card_remains)
{
    fixture_add_cards(db, "deck", "c", 2, ALLIANCE_TEST_NOW);
    int64_t now = fixture_at(0, 12);
    alliance_session *s = open_session(0, now);
    study(s, "c1", 3, now);
    study(s, "c2", 3, now);
    /* both wait for a repeat and neither has waited three answers: alternate */
    study(s, "c1", 3, now);
    study(s, "c2", 4, now);
    study(s, "c1", 4, now);
    ck_assert_str_eq(next_id(s, now), "");
    alliance_session_close(s);
}
END_TEST

/* The review log, not the session object, decides how long a repeat has waited:
 * a later session today spaces the repeat exactly as the first one would have. */
START_TEST(a_repeat_from_an_earlier_session_today_waits_for_other_answers)
{
    fixture_add_cards(db, "deck", "c", 5, ALLIANCE_TEST_NOW);
    int64_t now = fixture_at(0, 12);
    alliance_session *s = open_session(0, now);
    study(s, "c1", 3, now);
    alliance_session_close(s);
    s = open_session(0, fixture_at(0, 18));
    study(s, "c2", 5, fixture_at(0, 18));
    study(s, "c3", 5, fixture_at(0, 18));
    study(s, "c4", 5, fixture_at(0, 18));
    study(s, "c1", 5, fixture_at(0, 18));
    alliance_session_close(s);
}
END_TEST

/* ---- undo within a session ---- */

START_TEST(session_undo_shows_the_undone_card_next)
{
    fixture_add_cards(db, "deck", "c", 5, ALLIANCE_TEST_NOW);
    int64_t now = fixture_at(0, 12);
    alliance_session *s = open_session(0, now);
    study(s, "c1", 5, now);
    study(s, "c2", 5, now);
    char *id = NULL;
    ck_assert_int_eq(alliance_session_undo(s, &id), ALLIANCE_OK);
    ck_assert_str_eq(id, "c2");
    alliance_free(id);
    ck_assert_uint_eq(counts_of(s, now).answered, 1);
    ck_assert_int_eq(alliance_session_undo(s, NULL), ALLIANCE_OK); /* c1 too */
    ck_assert_str_eq(next_id(s, now), "c1");
    study(s, "c1", 4, now);
    study(s, "c2", 4, now);
    ck_assert_uint_eq(counts_of(s, now).answered, 2);
    ck_assert_int_eq(fixture_log_rows(db, NULL), 2);
    alliance_session_close(s);
}
END_TEST

START_TEST(session_undo_with_nothing_to_undo)
{
    alliance_session *s = open_session(0, fixture_at(0, 12));
    ck_assert_int_eq(alliance_session_undo(s, NULL), ALLIANCE_ENOUNDO);
    alliance_session_close(s);
}
END_TEST

/* ---- decks and misuse ---- */

START_TEST(a_session_over_one_deck_shows_only_its_cards)
{
    fixture_add_cards(db, "A", "a", 2, ALLIANCE_TEST_NOW);
    int64_t b = fixture_add_cards(db, "B", "b", 2, ALLIANCE_TEST_NOW);
    int64_t now = fixture_at(0, 12);
    alliance_session *s = open_session(b, now);
    ck_assert_uint_eq(counts_of(s, now).new_cards, 2);
    ck_assert_int_eq(alliance_session_answer(s, "a1", 5, now, 0, NULL), ALLIANCE_EINVAL);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "a1"));
    ck_assert_int_eq(fixture_log_rows(db, NULL), 0);
    study(s, "b1", 5, now);
    study(s, "b2", 5, now);
    ck_assert_str_eq(next_id(s, now), "");
    alliance_session_close(s);
    alliance_session *none = NULL;
    ck_assert_int_eq(alliance_session_open(&none, db, b + 10, now), ALLIANCE_ENOTFOUND);
    ck_assert_ptr_null(none);
}
END_TEST

START_TEST(session_answer_refusals_change_nothing)
{
    fixture_add_cards(db, "deck", "c", 2, ALLIANCE_TEST_NOW);
    int64_t now = fixture_at(0, 12);
    alliance_session *s = open_session(0, now);
    ck_assert_int_eq(alliance_session_answer(s, "c1", 7, now, 0, NULL), ALLIANCE_EGRADE);
    ck_assert_int_eq(alliance_session_answer(s, "zz", 4, now, 0, NULL), ALLIANCE_ENOTFOUND);
    ck_assert_int_eq(alliance_session_answer(s, NULL, 4, now, 0, NULL), ALLIANCE_EINVAL);
    ck_assert_uint_eq(counts_of(s, now).answered, 0);
    ck_assert_int_eq(fixture_log_rows(db, NULL), 0);
    study(s, "c1", 5, now);
    ck_assert_int_eq(alliance_session_answer(s, "c1", 5, now, 0, NULL), ALLIANCE_ENOTDUE);
    ck_assert_uint_eq(counts_of(s, now).answered, 1);
    alliance_session_close(s);
}
END_TEST

START_TEST(closing_the_collection_detaches_a_session)
{
    fixture_add_cards(db, "deck", "c", 2, ALLIANCE_TEST_NOW);
    alliance_session *s = open_session(0, fixture_at(0, 12));
    alliance_close(db);
    db = NULL;
    alliance_card *card = NULL;
    alliance_counts c;
    c.version = ALLIANCE_COUNTS_VERSION;
    ck_assert_int_eq(alliance_session_next(s, fixture_at(0, 12), &card), ALLIANCE_EMISUSE);
    ck_assert_int_eq(alliance_session_counts(s, fixture_at(0, 12), &c), ALLIANCE_EMISUSE);
    ck_assert_int_eq(alliance_session_answer(s, "c1", 5, fixture_at(0, 12), 0, NULL), ALLIANCE_EMISUSE);
    ck_assert_int_eq(alliance_session_undo(s, NULL), ALLIANCE_EMISUSE);
    alliance_session_close(s);
    alliance_session_close(NULL);
    ck_assert_int_eq(alliance_session_next(NULL, 0, &card), ALLIANCE_EINVAL);
}
END_TEST

/* ---- weeks of study ---- */

START_TEST(four_weeks_of_daily_sessions_keep_every_rule)
{
    fixture_add_cards(db, "deck", "c", 60, ALLIANCE_TEST_NOW);
    set_limits(8, 30);
    uint64_t seed = 7;
    int total_new = 0;
    for (int day = 0; day < 28; day++) {
        int64_t now = fixture_at(day, 9);
        alliance_session *s = open_session(0, now);
        alliance_counts before = counts_of(s, now);
        ck_assert_uint_le(before.new_cards, 8);
        ck_assert_uint_le(before.due, 30);
        int new_today = 0, reviews_today = 0, answers = 0;
        char last[64] = "";
        alliance_card *card = NULL;
        while (alliance_session_next(s, now, &card) == ALLIANCE_OK) {
            /* never the same card twice in a row while the queue holds others */
            alliance_counts c = counts_of(s, now);
            if (strcmp(card->id, last) == 0)
                ck_assert_uint_le(c.new_cards + c.due + c.repeat, 1);
            if (card->reviews == 0)
                new_today++;
            else if (card->last_review_day < FIXTURE_DAY0 + day)
                reviews_today++;
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            int grade = (int)((seed >> 33) % 10) < 7 ? 5 : (int)((seed >> 33) % 5);
            snprintf(last, sizeof last, "%s", card->id);
            ck_assert_int_eq(alliance_session_answer(s, card->id, grade, now, 1000, NULL), ALLIANCE_OK);
            alliance_free(card);
            ck_assert_int_lt(++answers, 500);
        }
        ck_assert_int_le(new_today, 8);
        ck_assert_int_le(reviews_today, 30);
        ck_assert_uint_eq(new_today, before.new_cards);
        alliance_counts after = counts_of(s, now);
        ck_assert_uint_eq(after.new_cards + after.due + after.repeat, 0);
        ck_assert_uint_eq(after.answered, (uint32_t)answers);
        total_new += new_today;
        alliance_session_close(s);
    }
    ck_assert_int_eq(total_new, 60);
    uint64_t mismatches = 1;
    ck_assert_int_eq(alliance_verify(db, &mismatches), ALLIANCE_OK);
    ck_assert_uint_eq(mismatches, 0);
}
END_TEST

/* ---- undo across decks, repeats across session objects, errors ---- */

/* alliance_session_undo on a deck's session undoes the collection's newest
 * answer, which may be of another deck: that answer is undone, but the session
 * offers only cards of its own deck (it could not answer another deck's card). */
START_TEST(a_deck_session_never_offers_a_card_of_another_deck_after_undo)
{
    int64_t deck_a = fixture_add_cards(db, "A", "a", 2, ALLIANCE_TEST_NOW);
    fixture_add_cards(db, "B", "b", 2, ALLIANCE_TEST_NOW);
    int64_t now = fixture_at(0, 12);
    alliance_session *s = NULL;
    ck_assert_int_eq(alliance_session_open(&s, db, deck_a, now), ALLIANCE_OK);
    ck_assert_int_eq(alliance_session_answer(s, "a1", 5, now, 0, NULL), ALLIANCE_OK);
    fixture_answer(db, "b1", 5, now); /* answered elsewhere (another window, the drill tool) */
    char *undone = NULL;
    ck_assert_int_eq(alliance_session_undo(s, &undone), ALLIANCE_OK);
    ck_assert_str_eq(undone, "b1");
    alliance_free(undone);
    alliance_card *b1 = fixture_card(db, "b1");
    ck_assert_uint_eq(b1->reviews, 0); /* the collection's undo happened */
    alliance_free(b1);
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

/* A repeat comes back "not immediately after itself when other cards remain",
 * also for an app that opens a new session object per screen (or after a
 * restart): the review log, not the session object, says what was answered. */
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

static Suite *session_suite(void)
{
    Suite *s = suite_create("session");
    TCase *queue = tcase_create("queue");
    tcase_add_checked_fixture(queue, setup, teardown);
    tcase_add_test(queue, an_empty_collection_has_nothing_to_study);
    tcase_add_test(queue, the_next_card_with_its_counts_in_one_call);
    tcase_add_test(queue, counts_before_starting_respect_the_new_card_limit);
    tcase_add_test(queue, new_cards_come_in_file_order_up_to_the_daily_limit);
    tcase_add_test(queue, the_day_starts_at_the_rollover_hour);
    tcase_add_test(queue, due_reviews_come_first_most_overdue_first);
    tcase_add_test(queue, the_review_limit_caps_due_cards_and_counts);
    tcase_add_test(queue, suspended_and_buried_cards_are_left_out);
    suite_add_tcase(s, queue);
    TCase *repeats = tcase_create("repeats");
    tcase_add_checked_fixture(repeats, setup, teardown);
    tcase_add_test(repeats, a_weak_answer_comes_back_after_three_other_cards);
    tcase_add_test(repeats, a_lapsed_card_comes_back_the_same_day);
    tcase_add_test(repeats, a_repeat_never_follows_itself_while_another_card_remains);
    tcase_add_test(repeats, a_repeat_from_an_earlier_session_today_waits_for_other_answers);
    tcase_add_test(repeats, a_repeat_does_not_follow_itself_across_a_new_session_object);
    suite_add_tcase(s, repeats);
    TCase *undo = tcase_create("undo");
    tcase_add_checked_fixture(undo, setup, teardown);
    tcase_add_test(undo, session_undo_shows_the_undone_card_next);
    tcase_add_test(undo, session_undo_with_nothing_to_undo);
    tcase_add_test(undo, a_deck_session_never_offers_a_card_of_another_deck_after_undo);
    suite_add_tcase(s, undo);
    TCase *misuse = tcase_create("decks and misuse");
    tcase_add_checked_fixture(misuse, setup, teardown);
    tcase_add_test(misuse, a_session_over_one_deck_shows_only_its_cards);
    tcase_add_test(misuse, session_answer_refusals_change_nothing);
    tcase_add_test(misuse, closing_the_collection_detaches_a_session);
    tcase_add_test(misuse, closing_a_session_keeps_the_last_failure_message);
    suite_add_tcase(s, misuse);
    TCase *weeks = tcase_create("weeks");
    tcase_add_checked_fixture(weeks, setup, teardown);
    tcase_set_timeout(weeks, 300);
    tcase_add_test(weeks, four_weeks_of_daily_sessions_keep_every_rule);
    suite_add_tcase(s, weeks);
    return s;
}

int main(void)
{
    return alliance_test_run(session_suite());
}
