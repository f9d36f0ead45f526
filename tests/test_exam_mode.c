/* SPDX-License-Identifier: MIT */
/* exam_mode: an exam date per deck in the collection (docs/study-modes.md, "An exam date per
 * deck"): the clamp of due days in sessions, counts, the forecast and answering; the pace of
 * new cards; plain SM-2 after the exam; replay, verify and sync stay exact. Also the schema-3
 * columns that record fuzz in review rows, replayed exactly. */
#include "collection_fixture.h"
#include "sync_fixture.h"

#include "store/handle.h"
#include "core/exam.h"
#include "core/fuzz.h"
#include "core/sm2.h"

static alliance_db *db;
static int64_t deck_a;

static void setup(void)
{
    db = fixture_open(":memory:");
    deck_a = fixture_add_cards(db, "A", "a", 10, ALLIANCE_TEST_NOW);
}

static void teardown(void)
{
    alliance_close(db);
    db = NULL;
}

static int64_t day_of(int64_t d)
{
    return FIXTURE_DAY0 + d;
}

static int64_t due_seen(const char *id, int64_t now)
{
    int64_t day = 0;
    int rc = alliance_card_due_day(db, id, now, &day);
    ck_assert_msg(rc == ALLIANCE_OK, "due day of %s: %s", id, alliance_errmsg(db));
    return day;
}

static uint64_t verify(alliance_db *d)
{
    uint64_t mismatches = 99;
    ck_assert_int_eq(alliance_verify(d, &mismatches), ALLIANCE_OK);
    return mismatches;
}

/* alliance_session_next, checked against alliance_session_next_with_counts: the same card
 * with the same counts as alliance_session_counts gives (exam pace, cram and siblings apart
 * all go through here). */
static int next_checked(alliance_session *s, int64_t now, alliance_card **out)
{
    alliance_counts expected = ALLIANCE_COUNTS_INIT, got = ALLIANCE_COUNTS_INIT;
    ck_assert_int_eq(alliance_session_counts(s, now, &expected), ALLIANCE_OK);
    alliance_card *together = NULL;
    int rc = alliance_session_next(s, now, out);
    ck_assert_int_eq(alliance_session_next_with_counts(s, now, &together, &got), rc);
    ck_assert_mem_eq(&got, &expected, sizeof got);
    if (rc == ALLIANCE_OK) {
        ck_assert_str_eq(together->id, (*out)->id);
        ck_assert_int_eq(together->due_day, (*out)->due_day);
    } else {
        ck_assert_ptr_null(together);
    }
    alliance_free(together);
    return rc;
}

/* The ids a session over `deck` offers at `now` (answering nothing), one per line. */
static int session_offers(int64_t deck, int64_t now, const char *id)
{
    alliance_session *s = NULL;
    ck_assert_int_eq(alliance_session_open(&s, db, deck, now), ALLIANCE_OK);
    alliance_card *card = NULL;
    int rc = alliance_session_next(s, now, &card);
    int found = rc == ALLIANCE_OK && strcmp(card->id, id) == 0;
    alliance_free(card);
    alliance_session_close(s);
    return found;
}

START_TEST(an_exam_is_set_read_back_and_cleared)
{
    alliance_exam_status st = ALLIANCE_EXAM_STATUS_INIT;
    ck_assert_int_eq(alliance_exam_get(db, deck_a, fixture_at(0, 9), &st), ALLIANCE_OK);
    ck_assert_uint_eq(st.has_exam, 0);
    ck_assert_int_eq(alliance_exam_set(db, deck_a, day_of(21), 0), ALLIANCE_OK);
    ck_assert_int_eq(alliance_exam_get(db, deck_a, fixture_at(0, 9), &st), ALLIANCE_OK);
    ck_assert_uint_eq(st.has_exam, 1);
    ck_assert_int_eq(st.exam_day, day_of(21));
    ck_assert_uint_eq(st.final_days, 3);
    ck_assert_uint_eq(st.new_cards, 10);
    ck_assert_int_eq(st.ready_by_day, day_of(21 - 3 - 1 - 6 - 1));
    ck_assert_int_eq(alliance_exam_clear(db, deck_a), ALLIANCE_OK);
    ck_assert_int_eq(alliance_exam_get(db, deck_a, fixture_at(0, 9), &st), ALLIANCE_OK);
    ck_assert_uint_eq(st.has_exam, 0);
}
END_TEST

START_TEST(bad_exams_are_refused_and_change_nothing)
{
    ck_assert_int_eq(alliance_exam_set(db, deck_a, day_of(21), 31), ALLIANCE_EINVAL);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "final window 31"));
    ck_assert_int_eq(alliance_exam_set(db, 0, day_of(21), 3), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_exam_set(db, deck_a, INT64_C(1) << 40, 3), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_exam_set(db, 999, day_of(21), 3), ALLIANCE_ENOTFOUND);
    alliance_exam_status st = ALLIANCE_EXAM_STATUS_INIT;
    ck_assert_int_eq(alliance_exam_get(db, 999, fixture_at(0, 9), &st), ALLIANCE_ENOTFOUND);
    st.version = 7;
    ck_assert_int_eq(alliance_exam_get(db, deck_a, fixture_at(0, 9), &st), ALLIANCE_EVERSION);
    ck_assert_int_eq(alliance_exam_status_init(&st, 2), ALLIANCE_EVERSION);
    st.version = ALLIANCE_EXAM_STATUS_VERSION;
    ck_assert_int_eq(alliance_exam_get(db, deck_a, fixture_at(0, 9), &st), ALLIANCE_OK);
    ck_assert_uint_eq(st.has_exam, 0);
}
END_TEST

/* a1 learned on days 0, 1 and 7: its next SM-2 interval crosses an exam on day 12, so it
 * comes back in the final window (days 9..11); the state and stored due day stay SM-2's. */
START_TEST(an_interval_that_crosses_the_exam_comes_back_in_the_final_window)
{
    ck_assert_int_eq(alliance_exam_set(db, deck_a, day_of(12), 3), ALLIANCE_OK);
    fixture_answer(db, "a1", 5, fixture_at(0, 9));
    fixture_answer(db, "a1", 5, fixture_at(1, 9));
    fixture_answer(db, "a1", 5, fixture_at(7, 9));
    alliance_card *c = fixture_card(db, "a1");
    int64_t sm2_due = c->due_day;
    ck_assert_int_ge(sm2_due, day_of(12)); /* SM-2 alone: after the exam */
    ck_assert_uint_eq(c->state.repetitions, 3);
    alliance_free(c);
    int64_t t = day_of(9) + (day_of(7) % 3);
    ck_assert_int_eq(due_seen("a1", fixture_at(8, 9)), t);
    ck_assert_int_le(t, day_of(11));
    /* not offered, and not answerable, before t; offered on t */
    ck_assert_int_eq(session_offers(deck_a, fixture_at(t - FIXTURE_DAY0 - 1, 9), "a1"), 0);
    ck_assert_int_eq(alliance_answer(db, "a1", 5, fixture_at(t - FIXTURE_DAY0 - 1, 9), 0, NULL), ALLIANCE_ENOTDUE);
    ck_assert_int_eq(session_offers(deck_a, fixture_at(t - FIXTURE_DAY0, 9), "a1"), 1);
    uint32_t forecast[30] = { 0 };
    ck_assert_int_eq(alliance_forecast_v2(db, deck_a, fixture_at(8, 9), forecast, 30), ALLIANCE_OK);
    ck_assert_uint_eq(forecast[t - day_of(8)], 1);
    /* answered in the window: a normal SM-2 step, due after the exam (its last look before it) */
    fixture_answer(db, "a1", 4, fixture_at(t - FIXTURE_DAY0, 9));
    c = fixture_card(db, "a1");
    ck_assert_int_ge(c->due_day, day_of(12));
    ck_assert_int_eq(due_seen("a1", fixture_at(t - FIXTURE_DAY0, 10)), c->due_day);
    alliance_free(c);
    ck_assert_uint_eq(verify(db), 0);
}
END_TEST

/* After the exam day, or once the exam is cleared, the card is due on its SM-2 day again. */
START_TEST(after_the_exam_plain_sm2_resumes_with_nothing_lost)
{
    ck_assert_int_eq(alliance_exam_set(db, deck_a, day_of(12), 3), ALLIANCE_OK);
    fixture_answer(db, "a1", 5, fixture_at(0, 9));
    fixture_answer(db, "a1", 5, fixture_at(1, 9));
    fixture_answer(db, "a1", 5, fixture_at(7, 9));
    alliance_card *c = fixture_card(db, "a1");
    int64_t sm2_due = c->due_day;
    alliance_free(c);
    ck_assert_int_lt(due_seen("a1", fixture_at(8, 9)), sm2_due);
    ck_assert_int_eq(due_seen("a1", fixture_at(12, 9)), sm2_due); /* the exam day itself */
    ck_assert_int_eq(alliance_exam_clear(db, deck_a), ALLIANCE_OK);
    ck_assert_int_eq(due_seen("a1", fixture_at(8, 9)), sm2_due);
    /* the replay of the log gives the same schedule whatever the exam */
    alliance_sm2_state state;
    int64_t replay_due = 0;
    ck_assert_int_eq(alliance_replay(db, "a1", &state, &replay_due), ALLIANCE_OK);
    ck_assert_int_eq(replay_due, sm2_due);
    ck_assert_uint_eq(verify(db), 0);
}
END_TEST

/* The clamp in SQL (sessions, counts, the forecast) is the clamp in C (alliance_card_due_day):
 * the forecast of every day equals the count of cards whose C due day is that day. */
START_TEST(the_sql_clamp_equals_the_c_clamp)
{
    static const int grades[] = { 5, 4, 3, 5, 2, 4, 5, 3, 4, 5 };
    char id[16];
    for (int d = 0; d < 14; d++)
        for (int i = 1; i <= 10; i++) {
            snprintf(id, sizeof id, "a%d", i);
            int64_t now = fixture_at(d, 9 + i % 5);
            alliance_card *c = fixture_card(db, id);
            int due = c->reviews == 0 ? (d == i % 4) : c->due_day <= day_of(d);
            alliance_free(c);
            if (due)
                fixture_answer(db, id, grades[(i + d) % 10], now);
        }
    for (int exam = 15; exam <= 40; exam += 5)
        for (uint32_t w = 1; w <= 7; w += 3) {
            ck_assert_int_eq(alliance_exam_set(db, deck_a, day_of(exam), w), ALLIANCE_OK);
            int64_t now = fixture_at(14, 12);
            uint32_t forecast[60] = { 0 }, expect[60] = { 0 };
            ck_assert_int_eq(alliance_forecast_v2(db, deck_a, now, forecast, 60), ALLIANCE_OK);
            for (int i = 1; i <= 10; i++) {
                snprintf(id, sizeof id, "a%d", i);
                alliance_card *c = fixture_card(db, id);
                if (c->reviews > 0) {
                    int64_t off = due_seen(id, now) - day_of(14);
                    if (off < 0)
                        off = 0;
                    if (off < 60)
                        expect[off]++;
                    alliance__exam e = { 1, day_of(exam), w };
                    ck_assert_int_eq(due_seen(id, now),
                                     alliance__exam_due_from(&e, day_of(14), c->last_review_day, c->due_day));
                }
                alliance_free(c);
            }
            for (int k = 0; k < 60; k++)
                ck_assert_msg(forecast[k] == expect[k], "exam %d, W %u, day +%d: forecast %u, C %u", exam,
                              (unsigned)w, k, forecast[k], expect[k]);
        }
}
END_TEST

/* The pace: 30 new cards, 2 a day, an exam 15 days ahead: R = E - 11 = day 4, so the first
 * day introduces ceil(30 / 5) = 6; the next day ceil(24 / 4) = 6 again. */
START_TEST(the_pace_rises_above_new_per_day_when_needed)
{
    int64_t deck_p = fixture_add_cards(db, "P", "p", 30, ALLIANCE_TEST_NOW);
    alliance_config config = ALLIANCE_CONFIG_INIT;
    ck_assert_int_eq(alliance_config_get(db, &config), ALLIANCE_OK);
    config.new_per_day = 2;
    ck_assert_int_eq(alliance_config_set(db, &config), ALLIANCE_OK);
    ck_assert_int_eq(alliance_exam_set(db, deck_p, day_of(15), 3), ALLIANCE_OK);
    for (int d = 0; d < 2; d++) {
        int64_t now = fixture_at(d, 9);
        alliance_exam_status st = ALLIANCE_EXAM_STATUS_INIT;
        ck_assert_int_eq(alliance_exam_get(db, deck_p, now, &st), ALLIANCE_OK);
        ck_assert_uint_eq(st.pace, 6);
        ck_assert_uint_eq(st.new_cards, 30 - 6 * (uint32_t)d);
        alliance_session *s = NULL;
        ck_assert_int_eq(alliance_session_open(&s, db, deck_p, now), ALLIANCE_OK);
        alliance_counts counts = ALLIANCE_COUNTS_INIT;
        ck_assert_int_eq(alliance_session_counts(s, now, &counts), ALLIANCE_OK);
        ck_assert_uint_eq(counts.new_cards, 6);
        int introduced = 0;
        alliance_card *card = NULL;
        while (next_checked(s, now, &card) == ALLIANCE_OK) {
            if (card->reviews == 0)
                introduced++;
            ck_assert_int_eq(alliance_session_answer(s, card->id, 5, now, 0, NULL), ALLIANCE_OK);
            alliance_free(card);
        }
        ck_assert_int_eq(introduced, 6);
        ck_assert_int_eq(alliance_exam_get(db, deck_p, now, &st), ALLIANCE_OK);
        ck_assert_uint_eq(st.introduced_today, 6);
        ck_assert_uint_eq(st.new_cards, 30 - 6 * (uint32_t)d); /* N does not move during the day */
        alliance_session_close(s);
    }
    /* the deck without an exam keeps new_per_day */
    alliance_session *s = NULL;
    ck_assert_int_eq(alliance_session_open(&s, db, deck_a, fixture_at(2, 9)), ALLIANCE_OK);
    alliance_counts counts = ALLIANCE_COUNTS_INIT;
    ck_assert_int_eq(alliance_session_counts(s, fixture_at(2, 9), &counts), ALLIANCE_OK);
    ck_assert_uint_eq(counts.new_cards, 2);
    alliance_session_close(s);
}
END_TEST

/* The exam syncs as the deck's field group: the other copy clamps the same way. */
START_TEST(the_exam_syncs_and_both_copies_clamp_alike)
{
    fixture_answer(db, "a1", 5, fixture_at(0, 9));
    fixture_answer(db, "a1", 5, fixture_at(1, 9));
    fixture_answer(db, "a1", 5, fixture_at(7, 9));
    alliance_db *other = sync_clone_of(db, ":memory:");
    ck_assert_int_eq(alliance_exam_set(db, deck_a, day_of(12), 3), ALLIANCE_OK);
    sync_both(db, other);
    alliance_exam_status st = ALLIANCE_EXAM_STATUS_INIT;
    ck_assert_int_eq(alliance_exam_get(other, deck_a, fixture_at(8, 9), &st), ALLIANCE_OK);
    ck_assert_uint_eq(st.has_exam, 1);
    ck_assert_int_eq(st.exam_day, day_of(12));
    int64_t there = 0;
    ck_assert_int_eq(alliance_card_due_day(other, "a1", fixture_at(8, 9), &there), ALLIANCE_OK);
    ck_assert_int_eq(there, due_seen("a1", fixture_at(8, 9)));
    /* a later clear on the other copy wins */
    ck_assert_int_eq(alliance_exam_clear(other, deck_a), ALLIANCE_OK);
    sync_both(db, other);
    ck_assert_int_eq(alliance_exam_get(db, deck_a, fixture_at(8, 9), &st), ALLIANCE_OK);
    ck_assert_uint_eq(st.has_exam, 0);
    ck_assert_uint_eq(sync_verify(other), 0);
    alliance_close(other);
}
END_TEST

/* An exam day no call could store (|day| >= 2^31, written behind the library's back): the copy
 * that holds it reports it damaged rather than computing with it (its ready-by day is the
 * exam day less a few days: an exam day near INT64_MIN overflowed), and a copy that receives
 * it refuses the changeset whole. */
START_TEST(an_exam_day_no_call_could_store_is_damage_and_is_refused_by_sync)
{
    fixture_answer(db, "a1", 5, fixture_at(0, 9));
    alliance_db *other = sync_clone_of(db, ":memory:");
    fixture_answer(db, "a2", 5, fixture_at(0, 10));
    ck_assert_int_eq(sqlite3_exec(db->sqlite, "UPDATE decks SET exam_day = -9223372036854775807 WHERE name = 'A'",
                                  NULL, NULL, NULL), SQLITE_OK);
    alliance_exam_status st = ALLIANCE_EXAM_STATUS_INIT;
    ck_assert_int_eq(alliance_exam_get(db, deck_a, fixture_at(0, 11), &st), ALLIANCE_ECORRUPT);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(db), "exam"));
    char *before = sync_dump(other);
    alliance_sync_report *rep = NULL;
    ck_assert_int_eq(sync_one_way(db, other, &rep), ALLIANCE_ECORRUPT);
    ck_assert_ptr_nonnull(strstr(alliance_errmsg(other), "exam"));
    char *after = sync_dump(other); /* nothing applied: not even the answer to a2 */
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    alliance_free(rep);
    alliance_close(other);
}
END_TEST

static void set_fuzz(alliance_db *d, int on)
{
    ck_assert_int_eq(alliance__db_enter(d), ALLIANCE_OK);
    ck_assert_int_eq(sqlite3_exec(d->sqlite, on ? "UPDATE config SET fuzz = 1" : "UPDATE config SET fuzz = 0", NULL,
                                  NULL, NULL), SQLITE_OK);
    alliance__db_settings_forget(d);
    alliance__db_leave(d, 0);
}

/* Fuzz recorded in the row: the due day moves by the drawn fuzz; turning the setting off
 * later changes no past schedule; a clone replays the same due day. */
START_TEST(fuzz_is_recorded_in_the_row_and_replays_exactly)
{
    set_fuzz(db, 1);
    int moved = 0;
    char id[16];
    for (int i = 1; i <= 10; i++) {
        snprintf(id, sizeof id, "a%d", i);
        fixture_answer(db, id, 5, fixture_at(0, 9));
        fixture_answer(db, id, 5, fixture_at(1, 9)); /* interval 6: fuzzed */
        alliance_card *c = fixture_card(db, id);
        ck_assert_uint_eq(c->state.interval_days, 6); /* the state stays SM-2's */
        int32_t f = alliance__fuzz_days(6, 36500, alliance__fuzz_seed(id, 1));
        ck_assert_int_eq(c->due_day, day_of(1) + 6 + f);
        moved += f != 0;
        alliance_free(c);
    }
    ck_assert_int_gt(moved, 0);
    set_fuzz(db, 0);
    ck_assert_uint_eq(verify(db), 0);
    alliance_db *other = sync_clone_of(db, ":memory:");
    ck_assert_uint_eq(sync_verify(other), 0);
    for (int i = 1; i <= 10; i++) {
        snprintf(id, sizeof id, "a%d", i);
        alliance_card *a = fixture_card(db, id), *b = fixture_card(other, id);
        ck_assert_int_eq(a->due_day, b->due_day);
        alliance_free(a);
        alliance_free(b);
    }
    /* undo and the same answer again: the same fuzz */
    set_fuzz(db, 1);
    alliance_card *before = fixture_card(db, "a10");
    ck_assert_int_eq(alliance_undo(db, NULL), ALLIANCE_OK);
    fixture_answer(db, "a10", 5, fixture_at(1, 9));
    alliance_card *after = fixture_card(db, "a10");
    ck_assert_int_eq(before->due_day, after->due_day);
    alliance_free(before);
    alliance_free(after);
    alliance_close(other);
}
END_TEST


/* ---- cram: preview and review ahead ---- */

static alliance_session *cram(uint32_t kind, uint32_t ahead, int64_t now)
{
    alliance_cram_options o = ALLIANCE_CRAM_OPTIONS_INIT;
    o.kind = kind;
    o.deck_id = deck_a;
    o.ahead_days = ahead;
    alliance_session *s = NULL;
    int rc = alliance_cram_open(&s, db, &o, now);
    ck_assert_msg(rc == ALLIANCE_OK, "cram: %s", alliance_errmsg(db));
    return s;
}

/* a1..a3 learned on day 0 (due day 1), a4 on days 0 and 1 (interval 6, due day 7). */
static void learn_some(void)
{
    fixture_answer(db, "a1", 5, fixture_at(0, 9));
    fixture_answer(db, "a2", 4, fixture_at(0, 9));
    fixture_answer(db, "a3", 5, fixture_at(0, 9));
    fixture_answer(db, "a4", 5, fixture_at(0, 9));
    fixture_answer(db, "a4", 5, fixture_at(1, 9));
}

START_TEST(a_preview_is_logged_and_changes_no_schedule)
{
    learn_some();
    int64_t now = fixture_at(2, 9); /* a1..a3 are due (not offered), a4 is not; a5..a10 are new */
    alliance_session *normal = NULL;
    ck_assert_int_eq(alliance_session_open(&normal, db, deck_a, now), ALLIANCE_OK);
    alliance_counts before_counts = ALLIANCE_COUNTS_INIT;
    ck_assert_int_eq(alliance_session_counts(normal, now, &before_counts), ALLIANCE_OK);
    alliance_stats before_stats = ALLIANCE_STATS_INIT;
    ck_assert_int_eq(alliance_stats_get(db, deck_a, now, 30, &before_stats), ALLIANCE_OK);

    alliance_session *s = cram(ALLIANCE_CRAM_PREVIEW, 0, now);
    alliance_counts counts = ALLIANCE_COUNTS_INIT;
    ck_assert_int_eq(alliance_session_counts(s, now, &counts), ALLIANCE_OK);
    ck_assert_uint_eq(counts.due, 1);       /* a4 */
    ck_assert_uint_eq(counts.new_cards, 6); /* a5..a10, last */
    const char *order[] = { "a4", "a5", "a6", "a7", "a8", "a9", "a10" };
    for (int i = 0; i < 7; i++) {
        alliance_card *card = NULL;
        ck_assert_int_eq(next_checked(s, now, &card), ALLIANCE_OK);
        ck_assert_str_eq(card->id, order[i]);
        alliance_card *stored = fixture_card(db, card->id);
        ck_assert_int_eq(alliance_session_answer(s, card->id, i % 2 ? 5 : 1, now, 700, NULL), ALLIANCE_OK);
        alliance_card *after = fixture_card(db, card->id);
        fixture_assert_same_card(stored, after); /* nothing moved */
        alliance_free(stored);
        alliance_free(after);
        alliance_free(card);
    }
    alliance_card *none = NULL;
    ck_assert_int_eq(next_checked(s, now, &none), ALLIANCE_DONE); /* each card once */
    ck_assert_int_eq(fixture_log_rows(db, "a5"), 1);                      /* logged */
    /* the FSRS optimizer's CSV holds the 5 answers of learn_some, not the 7 previews */
    membuf csv = { 0 };
    ck_assert_int_eq(alliance_review_export_fsrs(db, deck_a, membuf_write, &csv), ALLIANCE_OK);
    int lines = 0;
    for (size_t k = 0; k < csv.len; k++)
        lines += csv.data[k] == '\n';
    ck_assert_int_eq(lines, 1 + 5); /* the header and five answers */
    membuf_free(&csv);
    /* no daily limit and no retention figure moved */
    alliance_counts after_counts = ALLIANCE_COUNTS_INIT;
    ck_assert_int_eq(alliance_session_counts(normal, now, &after_counts), ALLIANCE_OK);
    ck_assert_uint_eq(after_counts.new_cards, before_counts.new_cards);
    ck_assert_uint_eq(after_counts.due, before_counts.due);
    alliance_stats after_stats = ALLIANCE_STATS_INIT;
    ck_assert_int_eq(alliance_stats_get(db, deck_a, now, 30, &after_stats), ALLIANCE_OK);
    ck_assert_uint_eq(after_stats.reviews, before_stats.reviews);
    ck_assert_uint_eq(after_stats.new_cards, before_stats.new_cards);
    ck_assert_uint_eq(verify(db), 0);
    /* undo takes a preview back: its row goes, and a clone replays the rest exactly */
    ck_assert_int_eq(alliance_session_undo(s, NULL), ALLIANCE_OK);
    ck_assert_int_eq(fixture_log_rows(db, "a10"), 0);
    alliance_card *again = NULL;
    ck_assert_int_eq(alliance_session_next(s, now, &again), ALLIANCE_OK);
    ck_assert_str_eq(again->id, "a10");
    alliance_free(again);
    alliance_db *other = sync_clone_of(db, ":memory:");
    ck_assert_uint_eq(sync_verify(other), 0);
    alliance_card *a5 = fixture_card(other, "a5");
    ck_assert_uint_eq(a5->reviews, 0);
    alliance_free(a5);
    alliance_close(other);
    alliance_session_close(s);
    alliance_session_close(normal);
}
END_TEST

START_TEST(a_review_ahead_applies_sm2_to_the_real_elapsed_days)
{
    learn_some();
    int64_t now = fixture_at(3, 9); /* a4: interval 6 from day 1, due day 7: 2 days elapsed */
    alliance_card *a4 = fixture_card(db, "a4");
    alliance_sm2_params params = ALLIANCE_SM2_PARAMS_INIT;
    ck_assert_int_eq(alliance_sm2_params_get(db, &params), ALLIANCE_OK);
    alliance_sm2_state want;
    ck_assert_int_eq(alliance__sm2_ahead(&params, &a4->state, 5, 2, &want), ALLIANCE_OK);
    alliance_free(a4);
    alliance_session *s = cram(ALLIANCE_CRAM_AHEAD, 0, now);
    alliance_counts counts = ALLIANCE_COUNTS_INIT;
    ck_assert_int_eq(alliance_session_counts(s, now, &counts), ALLIANCE_OK);
    ck_assert_uint_eq(counts.new_cards, 0); /* a review ahead is of learned cards */
    alliance_card *card = NULL;
    ck_assert_int_eq(alliance_session_next(s, now, &card), ALLIANCE_OK);
    ck_assert_str_eq(card->id, "a4");
    alliance_free(card);
    alliance_sm2_state got;
    ck_assert_int_eq(alliance_session_answer(s, "a4", 5, now, 0, &got), ALLIANCE_OK);
    ck_assert_uint_eq(got.interval_days, want.interval_days);
    ck_assert_uint_eq(got.efactor_milli, want.efactor_milli);
    a4 = fixture_card(db, "a4");
    ck_assert_int_eq(a4->due_day, day_of(3) + want.interval_days);
    ck_assert_int_eq(a4->last_review_day, day_of(3));
    ck_assert_uint_eq(a4->reviews, 3);
    alliance_free(a4);
    /* a new card cannot be reviewed ahead */
    ck_assert_int_eq(alliance_session_answer(s, "a5", 5, now, 0, NULL), ALLIANCE_EINVAL);
    ck_assert_uint_eq(verify(db), 0);
    alliance_db *other = sync_clone_of(db, ":memory:");
    alliance_card *x = fixture_card(db, "a4"), *y = fixture_card(other, "a4");
    fixture_assert_same_card(x, y);
    alliance_free(x);
    alliance_free(y);
    alliance_close(other);
    alliance_session_close(s);
}
END_TEST

START_TEST(ahead_days_limit_the_cram_to_cards_due_soon)
{
    learn_some();
    fixture_answer(db, "a1", 5, fixture_at(1, 9)); /* interval 6: due day 7 */
    int64_t now = fixture_at(2, 9);
    alliance_session *s = cram(ALLIANCE_CRAM_PREVIEW, 5, now); /* due by day 7 */
    alliance_counts counts = ALLIANCE_COUNTS_INIT;
    ck_assert_int_eq(alliance_session_counts(s, now, &counts), ALLIANCE_OK);
    ck_assert_uint_eq(counts.due, 2);       /* a1 and a4, due day 7 */
    ck_assert_uint_eq(counts.new_cards, 0); /* new cards have no due day */
    alliance_session_close(s);
    s = cram(ALLIANCE_CRAM_PREVIEW, 4, now);
    ck_assert_int_eq(alliance_session_counts(s, now, &counts), ALLIANCE_OK);
    ck_assert_uint_eq(counts.due, 0);
    alliance_session_close(s);
    alliance_cram_options o = ALLIANCE_CRAM_OPTIONS_INIT;
    o.kind = 3;
    ck_assert_int_eq(alliance_cram_open(&s, db, &o, now), ALLIANCE_EINVAL);
    o.kind = ALLIANCE_CRAM_AHEAD;
    o.deck_id = 999;
    ck_assert_int_eq(alliance_cram_open(&s, db, &o, now), ALLIANCE_ENOTFOUND);
    o.deck_id = deck_a;
    o.text = "question a4";
    ck_assert_int_eq(alliance_cram_open(&s, db, &o, now), ALLIANCE_OK);
    ck_assert_int_eq(alliance_session_counts(s, now, &counts), ALLIANCE_OK);
    ck_assert_uint_eq(counts.due, 1);
    alliance_session_close(s);
}
END_TEST

/* ---- siblings apart and the study settings ---- */

static int64_t import_cloze(void)
{
    static const char deck[] = "deck: C\n"
                               "\ncard: n1\ntype: cloze\ntext: one {{c1::x}} two {{c2::y}} three {{c3::z}}\n"
                               "\ncard: n2\ntype: cloze\ntext: four {{c1::u}} five {{c2::v}}\n";
    int rc = alliance_deck_import_buffer(db, "c.deck", deck, sizeof deck - 1, NULL, ALLIANCE_TEST_NOW, NULL);
    ck_assert_msg(rc == ALLIANCE_OK, "import: %s", alliance_errmsg(db));
    int64_t id = 0;
    ck_assert_int_eq(alliance_deck_id(db, "C", 0, &id), ALLIANCE_OK);
    return id;
}

/* The ids a session over `deck` gives at `now`, answering each with 5, joined by spaces. */
static void study_all(int64_t deck, int64_t now, char *out, size_t size)
{
    alliance_session *s = NULL;
    ck_assert_int_eq(alliance_session_open(&s, db, deck, now), ALLIANCE_OK);
    out[0] = '\0';
    alliance_card *card = NULL;
    while (next_checked(s, now, &card) == ALLIANCE_OK) {
        size_t len = strlen(out);
        snprintf(out + len, size - len, "%s%s", len ? " " : "", card->id);
        ck_assert_int_eq(alliance_session_answer(s, card->id, 5, now, 0, NULL), ALLIANCE_OK);
        alliance_free(card);
    }
    alliance_session_close(s);
}

static void bury_siblings(int on)
{
    alliance_study_settings st = ALLIANCE_STUDY_SETTINGS_INIT;
    st.bury_siblings = (uint32_t)on;
    ck_assert_int_eq(alliance_study_settings_set(db, &st), ALLIANCE_OK);
}

START_TEST(siblings_of_a_note_answered_today_wait_for_tomorrow)
{
    int64_t deck = import_cloze();
    bury_siblings(1);
    char ids[256];
    study_all(deck, fixture_at(0, 9), ids, sizeof ids);
    ck_assert_str_eq(ids, "n1::c1 n2::c1");
    study_all(deck, fixture_at(1, 9), ids, sizeof ids); /* the day-0 cards are due, and answered first */
    ck_assert_str_eq(ids, "n1::c1 n2::c1");
    study_all(deck, fixture_at(2, 9), ids, sizeof ids);
    ck_assert_str_eq(ids, "n1::c2 n2::c2");
    ck_assert_uint_eq(verify(db), 0);
}
END_TEST

START_TEST(siblings_apart_is_a_setting)
{
    int64_t deck = import_cloze();
    alliance_study_settings st = ALLIANCE_STUDY_SETTINGS_INIT;
    ck_assert_int_eq(alliance_study_settings_get(db, &st), ALLIANCE_OK);
    ck_assert_uint_eq(st.bury_siblings, 0); /* off by default: sessions as before schema 4 */
    ck_assert_uint_eq(st.fuzz, 0);
    char ids[256];
    study_all(deck, fixture_at(0, 9), ids, sizeof ids);
    ck_assert_str_eq(ids, "n1::c1 n1::c2 n1::c3 n2::c1 n2::c2");
    st.fuzz = 2;
    ck_assert_int_eq(alliance_study_settings_set(db, &st), ALLIANCE_EINVAL);
    st.version = 9;
    ck_assert_int_eq(alliance_study_settings_get(db, &st), ALLIANCE_EVERSION);
    ck_assert_int_eq(alliance_study_settings_init(&st, 9), ALLIANCE_EVERSION);
}
END_TEST

START_TEST(siblings_are_not_held_back_the_day_before_the_exam)
{
    int64_t deck = import_cloze();
    ck_assert_int_eq(alliance_exam_set(db, deck, day_of(1), 1), ALLIANCE_OK);
    bury_siblings(1);
    char ids[256];
    study_all(deck, fixture_at(0, 9), ids, sizeof ids);
    ck_assert_str_eq(ids, "n1::c1 n1::c2 n1::c3 n2::c1 n2::c2");
}
END_TEST

/* The settings sync; fuzz set through the API applies to later answers only. */
START_TEST(the_study_settings_sync_and_fuzz_applies_to_later_answers)
{
    fixture_answer(db, "a1", 5, fixture_at(0, 9));
    fixture_answer(db, "a1", 5, fixture_at(1, 9)); /* without fuzz: due day 7 */
    alliance_db *other = sync_clone_of(db, ":memory:");
    alliance_study_settings st = ALLIANCE_STUDY_SETTINGS_INIT;
    st.bury_siblings = 1;
    st.fuzz = 1;
    ck_assert_int_eq(alliance_study_settings_set(db, &st), ALLIANCE_OK);
    sync_both(db, other);
    alliance_study_settings there = ALLIANCE_STUDY_SETTINGS_INIT;
    ck_assert_int_eq(alliance_study_settings_get(other, &there), ALLIANCE_OK);
    ck_assert_uint_eq(there.bury_siblings, 1);
    ck_assert_uint_eq(there.fuzz, 1);
    alliance_card *a1 = fixture_card(db, "a1");
    ck_assert_int_eq(a1->due_day, day_of(7)); /* the past stays as it was */
    alliance_free(a1);
    int moved = 0;
    char id[16];
    for (int i = 2; i <= 10; i++) {
        snprintf(id, sizeof id, "a%d", i);
        fixture_answer(other, id, 5, fixture_at(0, 9));
        fixture_answer(other, id, 5, fixture_at(1, 9));
        alliance_card *c = fixture_card(other, id);
        moved += c->due_day != day_of(7);
        alliance_free(c);
    }
    ck_assert_int_gt(moved, 0);
    sync_both(db, other);
    ck_assert_uint_eq(verify(db), 0);
    ck_assert_uint_eq(sync_verify(other), 0);
    alliance_close(other);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("exam_mode");
    TCase *t = tcase_create("exam");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, an_exam_is_set_read_back_and_cleared);
    tcase_add_test(t, bad_exams_are_refused_and_change_nothing);
    tcase_add_test(t, an_interval_that_crosses_the_exam_comes_back_in_the_final_window);
    tcase_add_test(t, after_the_exam_plain_sm2_resumes_with_nothing_lost);
    tcase_add_test(t, the_sql_clamp_equals_the_c_clamp);
    tcase_add_test(t, the_pace_rises_above_new_per_day_when_needed);
    tcase_add_test(t, the_exam_syncs_and_both_copies_clamp_alike);
    tcase_add_test(t, an_exam_day_no_call_could_store_is_damage_and_is_refused_by_sync);
    suite_add_tcase(s, t);
    TCase *f = tcase_create("fuzz");
    tcase_add_checked_fixture(f, setup, teardown);
    tcase_add_test(f, fuzz_is_recorded_in_the_row_and_replays_exactly);
    suite_add_tcase(s, f);
    TCase *c = tcase_create("cram");
    tcase_add_checked_fixture(c, setup, teardown);
    tcase_add_test(c, a_preview_is_logged_and_changes_no_schedule);
    tcase_add_test(c, a_review_ahead_applies_sm2_to_the_real_elapsed_days);
    tcase_add_test(c, ahead_days_limit_the_cram_to_cards_due_soon);
    suite_add_tcase(s, c);
    TCase *b = tcase_create("siblings");
    tcase_add_checked_fixture(b, setup, teardown);
    tcase_add_test(b, siblings_of_a_note_answered_today_wait_for_tomorrow);
    tcase_add_test(b, siblings_apart_is_a_setting);
    tcase_add_test(b, siblings_are_not_held_back_the_day_before_the_exam);
    tcase_add_test(b, the_study_settings_sync_and_fuzz_applies_to_later_answers);
    suite_add_tcase(s, b);
    return alliance_test_run(s);
}
