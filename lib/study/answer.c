/* SPDX-License-Identifier: MIT */
/*
 * answer.c - answering a card and undoing answers. Each is one transaction:
 * the card's new schedule and its review-log row are written together or not
 * at all. The SM-2 arithmetic itself is alliance_sm2_next (sm2.c).
 */
#include "study/answer.h"
#include "study/replay.h"
#include "store/schedule.h"
#include "sync/sync.h"
#include "study/exam_mode.h"
#include "core/sm2.h"
#include "core/review_step.h"

#include <string.h>

/* A card may be answered when it is new or due (on its due day as seen today: exam mode may
 * bring it back before its SM-2 due day), and neither suspended nor buried. */
static int check_due(alliance_db *db, const char *card_id, const alliance__sched *s, int64_t today, uint32_t kind)
{
    int64_t due = s->due_day;
    int rc;
    if (kind == ALLIANCE__KIND_AHEAD && s->reviews == 0)
        return alliance__error_set(&db->error, ALLIANCE_EINVAL, "card \"%s\" is new: a review ahead is of a "
                                   "learned card", card_id);
    if (kind != ALLIANCE__KIND_REVIEW)
        due = today; /* a preview or a review ahead is of a card that is not due, by choice */
    else if (s->reviews > 0 && s->due_day > today &&
        (rc = alliance__exam_card_due(db, s->deck_id, today, s->last_review_day, s->due_day, &due)) != ALLIANCE_OK)
        return rc;
    if (s->suspended)
        return alliance__error_set(&db->error, ALLIANCE_ENOTDUE, "card \"%s\" is suspended", card_id);
    if (s->buried_until_day > today)
        return alliance__error_set(&db->error, ALLIANCE_ENOTDUE, "card \"%s\" is buried until day %lld (today is %lld)",
                                   card_id, (long long)s->buried_until_day, (long long)today);
    if (s->reviews > 0 && due > today)
        return alliance__error_set(&db->error, ALLIANCE_ENOTDUE, "card \"%s\" is not due until day %lld (today is %lld)",
                                   card_id, (long long)due, (long long)today);
    return ALLIANCE_OK;
}

/* Lapses and leeches: an answer that sends a learned card back to the start
 * (repetitions > 0 before, 0 after) is a lapse. A failed same-day repeat is
 * not one: SM-2 keeps the card learned. The lapse that reaches the threshold
 * makes the card a leech (and suspends it if so configured); *out_suspended
 * says whether this answer suspended it. A leech the learner unsuspended is
 * not suspended again. replay.c computes the same from the merged log. */
static void count_lapse(alliance__sched *s, const alliance_config *config, const alliance_sm2_state *before,
                        const alliance_sm2_state *after, uint32_t *out_suspended)
{
    *out_suspended = 0;
    if (before->repetitions == 0 || after->repetitions != 0)
        return;
    if (s->lapses < UINT32_MAX)
        s->lapses++;
    if (config->leech_threshold > 0 && s->lapses >= config->leech_threshold && !s->leech) {
        s->leech = 1;
        if (config->leech_suspend && !s->suspended) {
            s->suspended = 1;
            *out_suspended = 1;
        }
    }
}

static void remember_previous(alliance__review_row *row, const alliance__sched *s)
{
    row->card_pk = s->pk;
    row->prev_due_day = s->due_day;
    row->prev_last_review_day = s->last_review_day;
    row->prev_lapses = s->lapses;
    row->prev_leech = s->leech;
}

/* max(now, the newest sort_time of the card's log + 1) */
static int max_sort_time(alliance_db *db, int64_t pk, int64_t now, int64_t *out)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_REVIEW_MAX_SORT, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, pk);
    rc = alliance__sql_step(db, stmt, "reading the review log");
    if (rc < 0)
        return rc;
    *out = now;
    if (rc == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL) {
        int64_t newest = sqlite3_column_int64(stmt, 0);
        if (newest >= now)
            *out = newest == INT64_MAX ? INT64_MAX : newest + 1;
    }
    sqlite3_reset(stmt);
    return ALLIANCE_OK;
}

static int answer_in_transaction(alliance_db *db, const char *card_id, int grade, int64_t now, uint32_t answer_ms,
                                 uint32_t kind, int64_t today, alliance__sched *s, alliance_sm2_state *after)
{
    alliance_config config = ALLIANCE_CONFIG_INIT;
    alliance__review_row row;
    memset(&row, 0, sizeof row);
    alliance__replay_how how;
    int rc;
    if ((rc = alliance__replay_how_get(db, &how)) != ALLIANCE_OK ||
        (rc = alliance__store_sched_get(db, card_id, s)) != ALLIANCE_OK ||
        (rc = check_due(db, card_id, s, today, kind)) != ALLIANCE_OK ||
        (rc = alliance__db_params(db, &row.params)) != ALLIANCE_OK || (rc = alliance__db_config(db, &config)) != ALLIANCE_OK)
        return rc;
    /* The log keeps the stored state as `before` (undo restores exactly it).
     * A new card is scheduled from the parameters in force at its first
     * answer, exactly as replay starts from the parameters of the first log
     * row; states stored under older parameters are brought within the
     * current ones first (replay does the same with each row's parameters). */
    row.before = s->state;
    alliance_sm2_state input = row.before;
    if (s->reviews == 0 && alliance_sm2_state_init(&row.params, &input) != ALLIANCE_OK)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "the stored SM-2 parameters are invalid");
    alliance__sm2_adapt(&row.params, &input);
    uint32_t bury_siblings = 0, fuzz = 0;
    if ((rc = alliance__db_study_settings(db, &bury_siblings, &fuzz)) != ALLIANCE_OK)
        return rc;
    /* A clock that went backwards: the answer counts on the day of the last
     * review, so elapsed days are never negative and the card is never due
     * before the day it was last answered. */
    int64_t day = s->reviews > 0 && s->last_review_day > today ? s->last_review_day : today;
    /* The step replay repeats (core/review_step.c): the fuzz it draws depends only on the card,
     * its count of reviews and the flag recorded in the row, never on the setting later. */
    alliance__review_step st;
    memset(&st, 0, sizeof st);
    st.params = &row.params;
    st.before = input;
    st.kind = kind;
    st.grade = grade;
    st.elapsed_days = s->reviews > 0 ? day - s->last_review_day : -1;
    st.fuzz = kind == ALLIANCE__KIND_PREVIEW ? 0 : fuzz; /* a preview moves no due day */
    st.card_id = card_id;
    st.review_count = s->reviews;
    rc = alliance__review_step_run(&st);
    if (rc != ALLIANCE_OK)
        return alliance__error_set(&db->error, rc, "card \"%s\": its stored SM-2 state cannot occur (%s)", card_id,
                                   alliance_strerror(rc));
    /* A preview logs the stored state as both before and after, as replay does. */
    *after = kind == ALLIANCE__KIND_PREVIEW ? row.before : st.after;
    row.kind = st.kind;
    row.fuzz = st.fuzz;
    row.fuzz_days = st.fuzz_days;
    row.time = now;
    row.day = day;
    row.grade = grade;
    row.elapsed_days = s->reviews > 0 ? day - s->last_review_day : -1;
    row.answer_ms = answer_ms;
    row.after = *after;
    row.raw_day = today;
    row.scheduler = how.scheduler; /* history only (schema 5): replay reads the settings */
    if (how.scheduler == ALLIANCE_SCHEDULER_FSRS)
        alliance__fsrs_params_canonical(&how.fsrs, row.fsrs_params);
    row.leech_threshold = config.leech_threshold;
    row.leech_suspend = config.leech_suspend;
    remember_previous(&row, s);
    /* Its global id and stamp; it sorts after every review of the card this replica holds,
     * so it is the last step of the card's replay (docs/sync.md). */
    if ((rc = alliance__sync_next_event(db, &row.origin, &row.seq, &row.lamport)) != ALLIANCE_OK ||
        (rc = max_sort_time(db, s->pk, now, &row.sort_time)) != ALLIANCE_OK)
        return alliance__error_about_card(&db->error, rc, card_id);

    if (kind == ALLIANCE__KIND_PREVIEW) { /* logged; the card is left exactly as it was */
        if ((rc = alliance__log_insert(db, &row)) != ALLIANCE_OK)
            return alliance__error_about_card(&db->error, rc, card_id);
        return ALLIANCE_OK;
    }
    s->state = *after;
    s->due_day = alliance__review_step_due(&st, day);
    /* Under FSRS the same answer, read as a rating, is a step of the card's FSRS track
     * (a drill on the day of its previous answer), and that track decides the due day. */
    if (how.scheduler == ALLIANCE_SCHEDULER_FSRS) {
        if ((rc = alliance__fsrs_answer(db, card_id, &how.fsrs, &s->fsrs, grade, row.elapsed_days)) != ALLIANCE_OK)
            return rc;
        s->due_day = day + alliance__fsrs_track_due_in(&s->fsrs);
    }
    s->last_review_day = day;
    s->reviews++;
    count_lapse(s, &config, &input, after, &row.leech_suspended);
    if ((rc = alliance__store_sched_put(db, s)) != ALLIANCE_OK || (rc = alliance__log_insert(db, &row)) != ALLIANCE_OK)
        return alliance__error_about_card(&db->error, rc, card_id);
    return ALLIANCE_OK;
}

int alliance__answer(alliance_db *db, const char *card_id, int grade, int64_t now, uint32_t answer_ms,
                     uint32_t kind, alliance_sm2_state *out_after, int64_t *out_card_pk)
{
    if (grade < 0 || grade > 5)
        return alliance__error_set(&db->error, ALLIANCE_EGRADE, "grade %d for card \"%s\" is outside 0..5", grade,
                                   card_id);
    int64_t today;
    int rc = alliance__store_begin(db);
    if (rc != ALLIANCE_OK)
        return alliance__error_about_card(&db->error, rc, card_id);
    /* Inside the write transaction: no read transaction of its own. */
    if ((rc = alliance__db_today(db, now, &today)) != ALLIANCE_OK) {
        alliance__store_rollback(db);
        return rc;
    }
    alliance__sched sched;
    alliance_sm2_state after;
    rc = answer_in_transaction(db, card_id, grade, now, answer_ms, kind, today, &sched, &after);
    if (rc == ALLIANCE_OK && (rc = alliance__store_commit(db)) != ALLIANCE_OK)
        alliance__error_about_card(&db->error, rc, card_id);
    if (rc != ALLIANCE_OK) {
        alliance__store_rollback(db);
        return rc;
    }
    if (out_after)
        *out_after = after;
    if (out_card_pk)
        *out_card_pk = sched.pk;
    return ALLIANCE_OK;
}

int alliance_answer(alliance_db *db, const char *card_id, int grade, int64_t now, uint32_t answer_ms,
                    alliance_sm2_state *out_after)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!card_id)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL, "alliance_answer: card_id is NULL"));
    return alliance__db_leave(db, alliance__answer(db, card_id, grade, now, answer_ms, ALLIANCE__KIND_REVIEW, out_after, NULL));
}

/* ---- undo ---- */

/* Undo takes back the newest answer this replica gave (never one it received):
 * it deletes the row, writes a tombstone that carries the undo to the other
 * replicas, and replays the card. When that answer is the last of the card's
 * log - always, unless another device's answers came in after it - this
 * restores exactly what the answer changed: a suspension is lifted only if
 * this answer made it (a new leech); a suspension the learner or an import
 * made later stays. */
static int undo_in_transaction(alliance_db *db, alliance__review_row *row, alliance__sched *s)
{
    alliance__sync_self self;
    int rc = alliance__sync_self_get(db, &self);
    if (rc || (rc = alliance__log_last_own(db, self.replica_id, row)) != ALLIANCE_OK)
        return rc;
    /* Undo takes back answers given here: it stops at history an .apkg import wrote. */
    if (row->import_id != 0)
        return alliance__error_set(&db->error, ALLIANCE_ENOUNDO, "nothing to undo: the newest review of this device "
                                   "is history imported from Anki (card \"%s\"), not an answer given here",
                                   row->card_id);
    if ((rc = alliance__store_sched_get(db, row->card_id, s)) != ALLIANCE_OK)
        return rc == ALLIANCE_ENOTFOUND ? rc : alliance__error_about_card(&db->error, rc, row->card_id);
    int64_t origin, seq, lamport;
    sqlite3_stmt *stmt;
    if ((rc = alliance__log_delete(db, row->id)) != ALLIANCE_OK ||
        (rc = alliance__sync_next_event(db, &origin, &seq, &lamport)) != ALLIANCE_OK ||
        (rc = alliance__sql_stmt(db, ALLIANCE__SQL_TOMBSTONE_INSERT, &stmt)) != ALLIANCE_OK)
        return alliance__error_about_card(&db->error, rc, row->card_id);
    alliance__sql_bind_int(stmt, 1, origin);
    alliance__sql_bind_int(stmt, 2, seq);
    alliance__sql_bind_int(stmt, 3, lamport);
    alliance__sql_bind_int(stmt, 4, row->origin);
    alliance__sql_bind_int(stmt, 5, row->seq);
    alliance__replayed r;
    if ((rc = alliance__sql_run(db, stmt, "recording an undo")) != ALLIANCE_OK ||
        (rc = alliance__replay_card(db, row->card_id, s, 1, &r)) != ALLIANCE_OK)
        return alliance__error_about_card(&db->error, rc, row->card_id);
    return ALLIANCE_OK;
}

int alliance__undo(alliance_db *db, char **out_card_id, int64_t *out_card_pk, int64_t *out_deck_id)
{
    int rc = alliance__store_begin(db);
    if (rc)
        return rc;
    alliance__review_row row;
    alliance__sched sched;
    char *card_id = NULL;
    rc = undo_in_transaction(db, &row, &sched);
    if (rc == ALLIANCE_OK && out_card_id && !(card_id = alliance__strdup(row.card_id)))
        rc = alliance__error_set(&db->error, ALLIANCE_ENOMEM, "out of memory");
    if (rc == ALLIANCE_OK && (rc = alliance__store_commit(db)) != ALLIANCE_OK)
        alliance__error_about_card(&db->error, rc, row.card_id);
    if (rc != ALLIANCE_OK) {
        alliance__store_rollback(db);
        alliance__free(card_id);
        return rc;
    }
    if (out_card_id)
        *out_card_id = card_id;
    if (out_card_pk)
        *out_card_pk = sched.pk;
    if (out_deck_id)
        *out_deck_id = sched.deck_id;
    return ALLIANCE_OK;
}

int alliance_undo(alliance_db *db, char **out_card_id)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    return alliance__db_leave(db, alliance__undo(db, out_card_id, NULL, NULL));
}
