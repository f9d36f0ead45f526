/*
 * answer.c - answering a card and undoing answers. Each is one transaction:
 * the card's new schedule and its review-log row are written together or not
 * at all. The SM-2 arithmetic itself is alliance_sm2_next (sm2.c).
 */
#include "answer.h"
#include "schedule.h"
#include "sm2.h"

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

/* Lapses and leeches: a wrong answer to a card that had been learned is a
 * lapse; the lapse that reaches the threshold makes it a leech (and suspends
 * it if so configured). A leech the learner unsuspended is not suspended again. */
static void count_lapse(alliance__sched *s, const alliance_config *config, const alliance_sm2_state *before, int grade)
{
    if (grade >= 3 || before->repetitions == 0)
        return;
    if (s->lapses < UINT32_MAX)
        s->lapses++;
    if (config->leech_threshold > 0 && s->lapses >= config->leech_threshold && !s->leech) {
        s->leech = 1;
        if (config->leech_suspend)
            s->suspended = 1;
    }
}

static void remember_previous(alliance__review_row *row, const alliance__sched *s)
{
    row->card_pk = s->pk;
    row->prev_due_day = s->due_day;
    row->prev_last_review_day = s->last_review_day;
    row->prev_lapses = s->lapses;
    row->prev_leech = s->leech;
    row->prev_suspended = s->suspended;
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
    row.before = s->state;
    /* A new card starts from the parameters in force at its first answer,
     * exactly as replay starts from the parameters of the first log row. */
    if (s->reviews == 0 && alliance_sm2_state_init(&row.params, &row.before) != ALLIANCE_OK)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "the stored SM-2 parameters are invalid");
    /* States stored under older parameters are brought within the current
     * ones first (replay does the same with each row's parameters). */
    alliance_sm2_state input = row.before;
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
    count_lapse(s, &config, &row.before, grade);
    if ((rc = alliance__store_sched_put(db, s)) != ALLIANCE_OK)
        return rc;
    return alliance__log_insert(db, &row);
}

int alliance__answer(alliance_db *db, const char *card_id, int grade, int64_t now, uint32_t answer_ms,
                     alliance_sm2_state *out_after, int64_t *out_card_pk)
{
    if (grade < 0 || grade > 5)
        return alliance__error_set(&db->error, ALLIANCE_EGRADE, "grade %d for card \"%s\" is outside 0..5", grade,
                                   card_id);
    int64_t today;
    int rc = alliance__db_today(db, now, &today);
    if (rc || (rc = alliance__store_begin(db)) != ALLIANCE_OK)
        return rc;
    alliance__sched sched;
    alliance_sm2_state after;
    rc = answer_in_transaction(db, card_id, grade, now, answer_ms, today, &sched, &after);
    if (rc == ALLIANCE_OK)
        rc = alliance__store_commit(db);
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

static int undo_in_transaction(alliance_db *db, alliance__review_row *row, alliance__sched *s)
{
    int rc = alliance__log_last(db, row);
    if (rc || (rc = alliance__store_sched_get(db, row->card_id, s)) != ALLIANCE_OK)
        return rc;
    s->state = row->before;
    s->due_day = row->prev_due_day;
    s->last_review_day = row->prev_last_review_day;
    s->lapses = row->prev_lapses;
    s->leech = row->prev_leech;
    s->suspended = row->prev_suspended;
    s->reviews = s->reviews > 0 ? s->reviews - 1 : 0;
    if ((rc = alliance__store_sched_put(db, s)) != ALLIANCE_OK)
        return rc;
    return alliance__log_delete(db, row->id);
}

int alliance__undo(alliance_db *db, char **out_card_id, int64_t *out_card_pk)
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
    if (rc == ALLIANCE_OK)
        rc = alliance__store_commit(db);
    if (rc != ALLIANCE_OK) {
        alliance__store_rollback(db);
        alliance__free(card_id);
        return rc;
    }
    if (out_card_id)
        *out_card_id = card_id;
    if (out_card_pk)
        *out_card_pk = sched.pk;
    return ALLIANCE_OK;
}

int alliance_undo(alliance_db *db, char **out_card_id)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    return alliance__db_leave(db, alliance__undo(db, out_card_id, NULL));
}
