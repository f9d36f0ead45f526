/* SPDX-License-Identifier: MIT */
/*
 * answer.c - answering a card and undoing answers. Each is one transaction:
 * the card's new schedule and its review-log row are written together or not
 * at all. The SM-2 arithmetic itself is alliance_sm2_next (sm2.c).
 */
#include "study/answer.h"
#include "store/schedule.h"
#include "core/sm2.h"

#include <string.h>

/* A card may be answered when it is new or due, and neither suspended nor buried. */
static int check_due(alliance_db *db, const char *card_id, const alliance__sched *s, int64_t today)
{
    if (s->suspended)
        return alliance__error_set(&db->error, ALLIANCE_ENOTDUE, "card \"%s\" is suspended", card_id);
    if (s->buried_until_day > today)
        return alliance__error_set(&db->error, ALLIANCE_ENOTDUE, "card \"%s\" is buried until day %lld (today is %lld)",
                                   card_id, (long long)s->buried_until_day, (long long)today);
    if (s->reviews > 0 && s->due_day > today)
        return alliance__error_set(&db->error, ALLIANCE_ENOTDUE, "card \"%s\" is not due until day %lld (today is %lld)",
                                   card_id, (long long)s->due_day, (long long)today);
    return ALLIANCE_OK;
}

/* Lapses and leeches: an answer that sends a learned card back to the start
 * (repetitions > 0 before, 0 after) is a lapse. A failed same-day repeat is
 * not one: SM-2 keeps the card learned. The lapse that reaches the threshold
 * makes the card a leech (and suspends it if so configured); *out_suspended
 * says whether this answer suspended it, so that undo lifts only that
 * suspension. A leech the learner unsuspended is not suspended again. */
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

static int answer_in_transaction(alliance_db *db, const char *card_id, int grade, int64_t now, uint32_t answer_ms,
                                 int64_t today, alliance__sched *s, alliance_sm2_state *after)
{
    alliance_config config = ALLIANCE_CONFIG_INIT;
    alliance__review_row row;
    memset(&row, 0, sizeof row);
    int rc;
    if ((rc = alliance__store_sched_get(db, card_id, s)) != ALLIANCE_OK ||
        (rc = check_due(db, card_id, s, today)) != ALLIANCE_OK ||
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
    rc = alliance_sm2_next(&row.params, &input, grade, after);
    if (rc != ALLIANCE_OK)
        return alliance__error_set(&db->error, rc, "card \"%s\": its stored SM-2 state cannot occur (%s)", card_id,
                                   alliance_strerror(rc));
    /* A clock that went backwards: the answer counts on the day of the last
     * review, so elapsed days are never negative and the card is never due
     * before the day it was last answered. */
    int64_t day = s->reviews > 0 && s->last_review_day > today ? s->last_review_day : today;
    row.time = now;
    row.day = day;
    row.grade = grade;
    row.elapsed_days = s->reviews > 0 ? day - s->last_review_day : -1;
    row.answer_ms = answer_ms;
    row.after = *after;
    remember_previous(&row, s);

    s->state = *after;
    s->due_day = day + (after->repeat_today ? 0 : after->interval_days);
    s->last_review_day = day;
    s->reviews++;
    count_lapse(s, &config, &input, after, &row.leech_suspended);
    if ((rc = alliance__store_sched_put(db, s)) != ALLIANCE_OK || (rc = alliance__log_insert(db, &row)) != ALLIANCE_OK)
        return alliance__error_about_card(&db->error, rc, card_id);
    return ALLIANCE_OK;
}

int alliance__answer(alliance_db *db, const char *card_id, int grade, int64_t now, uint32_t answer_ms,
                     alliance_sm2_state *out_after, int64_t *out_card_pk)
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
    rc = answer_in_transaction(db, card_id, grade, now, answer_ms, today, &sched, &after);
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
    return alliance__db_leave(db, alliance__answer(db, card_id, grade, now, answer_ms, out_after, NULL));
}

/* ---- undo ---- */

/* Undo restores what the answer changed and nothing else: a suspension is
 * lifted only if this answer made it (a new leech); a suspension the learner
 * or an import made later stays. */
static int undo_in_transaction(alliance_db *db, alliance__review_row *row, alliance__sched *s)
{
    int rc = alliance__log_last(db, row);
    if (rc)
        return rc;
    if ((rc = alliance__store_sched_get(db, row->card_id, s)) != ALLIANCE_OK)
        return rc == ALLIANCE_ENOTFOUND ? rc : alliance__error_about_card(&db->error, rc, row->card_id);
    s->state = row->before;
    s->due_day = row->prev_due_day;
    s->last_review_day = row->prev_last_review_day;
    s->lapses = row->prev_lapses;
    s->leech = row->prev_leech;
    if (row->leech_suspended && s->suspended == 1)
        s->suspended = 0;
    s->reviews = s->reviews > 0 ? s->reviews - 1 : 0;
    if ((rc = alliance__store_sched_put(db, s)) != ALLIANCE_OK || (rc = alliance__log_delete(db, row->id)) != ALLIANCE_OK)
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
