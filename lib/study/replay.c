/* SPDX-License-Identifier: MIT */
/*
 * replay.c - a card's schedule is the replay of its review log, in the merged
 * order every replica shares (docs/sync.md). Everything an answer used to
 * write once - the SM-2 state, due day, lapses, leech, the leech suspension,
 * and each row's before/after/day/prev_* - is a cache of this replay: sync and
 * undo rewrite it, alliance_verify compares it.
 */
#include "study/replay.h"
#include "core/sm2.h"
#include "core/rating.h"
#include "core/review_step.h"
#include "core/fsrs_text.h"

#include <stdio.h>
#include <string.h>

/* What replay needs besides the schedule: the new-card E-Factor and the flags group's stamp. */
typedef struct card_sync {
    uint32_t initial_efactor;
    uint32_t user_suspended;
    int64_t flags_lamport, flags_origin;
} card_sync;

static int card_sync_get(alliance_db *db, int64_t pk, card_sync *out)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_CARD_SYNC_GET, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, pk);
    rc = alliance__sql_step(db, stmt, "reading a card");
    if (rc < 0)
        return rc;
    if (rc != SQLITE_ROW)
        return alliance__error_set(&db->error, ALLIANCE_ENOTFOUND, "no card in row %lld", (long long)pk);
    out->initial_efactor = (uint32_t)sqlite3_column_int64(stmt, 0);
    out->user_suspended = (uint32_t)sqlite3_column_int64(stmt, 1);
    out->flags_lamport = sqlite3_column_int64(stmt, 2);
    out->flags_origin = sqlite3_column_int64(stmt, 3);
    sqlite3_reset(stmt);
    return ALLIANCE_OK;
}

static int same_state(const alliance_sm2_state *a, const alliance_sm2_state *b)
{
    return a->repetitions == b->repetitions && a->efactor_milli == b->efactor_milli &&
           a->interval_days == b->interval_days && a->repeat_today == b->repeat_today;
}

static int same_caches(const alliance__review_row *a, const alliance__review_row *b)
{
    return a->day == b->day && a->elapsed_days == b->elapsed_days && same_state(&a->before, &b->before) &&
           same_state(&a->after, &b->after) && a->prev_due_day == b->prev_due_day &&
           a->prev_last_review_day == b->prev_last_review_day && a->prev_lapses == b->prev_lapses &&
           a->prev_leech == b->prev_leech && a->leech_suspended == b->leech_suspended && a->fuzz_days == b->fuzz_days;
}

/* (a_lamport, a_origin) > (b_lamport, b_origin) */
static int stamp_newer(int64_t a_lamport, int64_t a_origin, int64_t b_lamport, int64_t b_origin)
{
    return a_lamport != b_lamport ? a_lamport > b_lamport : a_origin > b_origin;
}

static int same_fsrs(const alliance__fsrs_track *a, const alliance__fsrs_track *b)
{
    /* bit for bit: a double stored in a REAL column comes back with the same bits */
    return memcmp(&a->state.stability, &b->state.stability, sizeof(double)) == 0 &&
           memcmp(&a->state.difficulty, &b->state.difficulty, sizeof(double)) == 0 &&
           a->state.interval_days == b->state.interval_days && a->drill == b->drill;
}

int alliance__fsrs_answer(alliance_db *db, const char *card_id, const alliance_fsrs_params *params,
                          alliance__fsrs_track *track, int grade, int64_t elapsed_days)
{
    int rc = alliance__fsrs_track_step(params, track, alliance__rating_of_grade(grade), elapsed_days, track);
    if (rc != ALLIANCE_OK)
        return alliance__error_set(&db->error, rc == ALLIANCE_EMISUSE ? rc : ALLIANCE_ECORRUPT,
                                   "card \"%s\": its FSRS state cannot take an answer (%s)", card_id,
                                   alliance_strerror(rc));
    return ALLIANCE_OK;
}

/* A row an .apkg import wrote (docs/anki.md, "Replay and verify"): Anki's schedule is not
 * SM-2's arithmetic, so the card starts afresh from what the row recorded (its `after`, due
 * day, reviews and lapses); its before/prev_* are caches like any row's. Under FSRS the row is
 * also read as a rating, a step of the card's FSRS track, which decides the due day. */
static int step_imported(alliance_db *db, const char *card_id, const alliance__replay_how *how, alliance__replayed *r,
                         alliance__review_row *row)
{
    alliance__review_row cached = *row;
    row->before = r->state;
    /* The day and elapsed days as for any row: never before the previous review. */
    row->day = r->reviews > 0 && r->last_review_day > row->raw_day ? r->last_review_day : row->raw_day;
    row->elapsed_days = r->reviews > 0 ? row->day - r->last_review_day : -1;
    row->fuzz_days = 0;
    row->prev_due_day = r->due_day;
    row->prev_last_review_day = r->last_review_day;
    row->prev_lapses = r->lapses;
    row->prev_leech = r->leech;
    row->leech_suspended = 0;
    r->state = row->after;
    r->due_day = row->import_due_day;
    if (how->scheduler == ALLIANCE_SCHEDULER_FSRS) {
        int rc = alliance__fsrs_answer(db, card_id, &how->fsrs, &r->fsrs, row->grade,
                                       r->reviews > 0 ? row->elapsed_days : -1);
        if (rc != ALLIANCE_OK)
            return rc;
        r->due_day = row->day + alliance__fsrs_track_due_in(&r->fsrs);
    }
    r->last_review_day = row->day;
    r->reviews = row->import_reviews;
    r->lapses = row->import_lapses;
    if (!same_caches(&cached, row))
        r->rows_differ++;
    return ALLIANCE_OK;
}

/* One answer of the merged log, exactly as alliance_answer computes it on one device. */
static int step(alliance_db *db, const char *card_id, const alliance__replay_how *how, alliance__replayed *r,
                alliance__review_row *row)
{
    if (row->import_id != 0)
        return step_imported(db, card_id, how, r, row);
    alliance__review_row cached = *row;
    row->before = r->state;
    alliance_sm2_state input = r->state;
    /* The first answer starts from a new card under the parameters it recorded. */
    if (r->reviews == 0 && alliance_sm2_state_init(&row->params, &input) != ALLIANCE_OK)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "card \"%s\": review %lld records invalid "
                                   "SM-2 parameters", card_id, (long long)row->id);
    alliance__sm2_adapt(&row->params, &input);
    /* A review never counts on a day before the card's previous review. */
    row->day = r->reviews > 0 && r->last_review_day > row->raw_day ? r->last_review_day : row->raw_day;
    row->elapsed_days = r->reviews > 0 ? row->day - r->last_review_day : -1;
    /* The same step as the answer (core/review_step.c): its kind, and the fuzz it recorded as on. */
    alliance__review_step st;
    memset(&st, 0, sizeof st);
    st.params = &row->params;
    st.before = input;
    st.kind = row->kind;
    st.grade = row->grade;
    st.elapsed_days = row->elapsed_days;
    st.fuzz = row->fuzz;
    st.card_id = card_id;
    st.review_count = r->reviews;
    int rc = alliance__review_step_run(&st);
    if (rc != ALLIANCE_OK)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "card \"%s\": review %lld cannot be replayed (%s)",
                                   card_id, (long long)row->id, alliance_strerror(rc));
    row->after = row->kind == ALLIANCE__KIND_PREVIEW ? row->before : st.after;
    row->fuzz_days = st.fuzz_days;
    row->prev_due_day = r->due_day;
    row->prev_last_review_day = r->last_review_day;
    row->prev_lapses = r->lapses;
    row->prev_leech = r->leech;
    row->leech_suspended = 0;
    if (row->kind == ALLIANCE__KIND_PREVIEW) { /* logged, changes nothing */
        if (!same_caches(&cached, row))
            r->rows_differ++;
        return ALLIANCE_OK;
    }
    r->state = row->after;
    r->due_day = alliance__review_step_due(&st, row->day);
    if (how->scheduler == ALLIANCE_SCHEDULER_FSRS) {
        int rc2 = alliance__fsrs_answer(db, card_id, &how->fsrs, &r->fsrs, row->grade,
                                        r->reviews > 0 ? row->elapsed_days : -1);
        if (rc2 != ALLIANCE_OK)
            return rc2;
        r->due_day = row->day + alliance__fsrs_track_due_in(&r->fsrs);
    }
    r->last_review_day = row->day;
    r->reviews++;
    /* A lapse sends a learned card back to the start; the one that reaches the threshold makes it a leech. */
    if (input.repetitions > 0 && row->after.repetitions == 0) {
        if (r->lapses < UINT32_MAX)
            r->lapses++;
        if (row->leech_threshold > 0 && r->lapses >= row->leech_threshold && !r->leech) {
            r->leech = 1;
            row->leech_suspended = row->leech_suspend;
        }
    }
    if (!same_caches(&cached, row))
        r->rows_differ++;
    return ALLIANCE_OK;
}

int alliance__replay_how_get(alliance_db *db, alliance__replay_how *out)
{
    return alliance__db_scheduler(db, &out->scheduler, &out->fsrs);
}

/* One card's replay in progress: where it started and what its rows have decided so far. */
typedef struct replay_run {
    const alliance__replay_how *how;
    int64_t pk;
    card_sync cs;
    int have_stamp; /* cs.flags_* read (verify reads them only for a row that suspended a leech) */
    int leech_suspends;
    alliance__replayed r;
} replay_run;

static void run_start(replay_run *run, const alliance__replay_how *how, int64_t pk, const card_sync *cs,
                      int have_stamp)
{
    memset(run, 0, sizeof *run);
    run->how = how;
    run->pk = pk;
    run->cs = *cs;
    run->have_stamp = have_stamp;
    run->r.state.efactor_milli = cs->initial_efactor;
    run->r.due_day = 0;
    run->r.last_review_day = ALLIANCE__NO_DAY;
}

/* The next row of the card's merged log. */
static int run_row(alliance_db *db, const char *card_id, replay_run *run, alliance__review_row *row, int write)
{
    uint64_t differ = run->r.rows_differ;
    int rc = step(db, card_id, run->how, &run->r, row);
    if (rc != ALLIANCE_OK)
        return rc;
    /* verify (and a replay that writes nothing) checks each row's record of its scheduler:
     * FSRS parameters a call could have set (the schema's CHECK keeps SM-2 rows without) */
    alliance_fsrs_params recorded;
    if (!write && row->scheduler == ALLIANCE_SCHEDULER_FSRS &&
        alliance__fsrs_params_decode(row->fsrs_params, strlen(row->fsrs_params), &recorded) != ALLIANCE_OK)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "%s is damaged: review %lld of card \"%s\" "
                                   "records FSRS parameters that are not parameters", alliance__db_file(db),
                                   (long long)row->id, card_id);
    /* The leech suspension holds unless the flags group was written after that answer. */
    if (row->leech_suspended) {
        if (!run->have_stamp) {
            card_sync cs;
            if ((rc = card_sync_get(db, run->pk, &cs)) != ALLIANCE_OK)
                return rc;
            run->cs.flags_lamport = cs.flags_lamport;
            run->cs.flags_origin = cs.flags_origin;
            run->have_stamp = 1;
        }
        if (stamp_newer(row->lamport, row->origin, run->cs.flags_lamport, run->cs.flags_origin))
            run->leech_suspends = 1;
    }
    if (write && run->r.rows_differ != differ && (rc = alliance__log_cache_put(db, row)) != ALLIANCE_OK)
        return alliance__error_about_card(&db->error, rc, card_id);
    return ALLIANCE_OK;
}

static void run_finish(replay_run *run)
{
    run->r.suspended = run->cs.user_suspended != 0 ? run->cs.user_suspended : (uint32_t)run->leech_suspends;
}

int alliance__replay_card(alliance_db *db, const char *card_id, const alliance__sched *s, int write,
                          alliance__replayed *out)
{
    card_sync cs = { 0, 0, 0, 0 };
    alliance__replay_how how;
    int rc = alliance__replay_how_get(db, &how);
    if (rc || (rc = card_sync_get(db, s->pk, &cs)) != ALLIANCE_OK)
        return rc;
    replay_run run;
    run_start(&run, &how, s->pk, &cs, 1);
    alliance__log_key after = ALLIANCE__LOG_START;
    alliance__review_row row;
    while ((rc = alliance__log_next(db, &after, s->pk, &row)) == ALLIANCE_OK) {
        after.sort_time = row.sort_time;
        after.origin = row.origin;
        after.seq = row.seq;
        if ((rc = run_row(db, card_id, &run, &row, write)) != ALLIANCE_OK)
            return rc;
    }
    if (rc != ALLIANCE_DONE)
        return rc;
    run_finish(&run);
    alliance__replayed r = run.r;
    if (write) {
        alliance__sched put = *s;
        put.state = r.state;
        put.due_day = r.due_day;
        put.last_review_day = r.last_review_day;
        put.reviews = r.reviews;
        put.lapses = r.lapses;
        put.leech = r.leech;
        put.suspended = r.suspended;
        put.fsrs = r.fsrs;
        if ((rc = alliance__store_sched_put(db, &put)) != ALLIANCE_OK)
            return alliance__error_about_card(&db->error, rc, card_id);
    }
    *out = r;
    return ALLIANCE_OK;
}

int alliance__replay_matches(const alliance__sched *s, const alliance__replayed *r)
{
    return same_state(&s->state, &r->state) && s->due_day == r->due_day && s->last_review_day == r->last_review_day &&
           s->reviews == r->reviews && s->lapses == r->lapses && s->leech == r->leech &&
           s->suspended == r->suspended && same_fsrs(&s->fsrs, &r->fsrs) && r->rows_differ == 0;
}

int alliance_replay(alliance_db *db, const char *card_id, alliance_sm2_state *out_state, int64_t *out_due_day)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!card_id || !out_state)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "alliance_replay: card_id or out_state is NULL"));
    alliance__sched s;
    alliance__replayed r;
    int began = 0; /* the card and its log from one snapshot */
    if ((rc = alliance__store_snapshot_begin(db, &began)) == ALLIANCE_OK &&
        (rc = alliance__store_sched_get(db, card_id, &s)) == ALLIANCE_OK &&
        (rc = alliance__replay_card(db, card_id, &s, 0, &r)) == ALLIANCE_OK) {
        *out_state = r.state;
        if (out_due_day)
            *out_due_day = r.due_day;
    }
    alliance__store_read_end(db, began);
    return alliance__db_leave(db, rc);
}

/* Steps verify's review pass: 1 with *row filled, 0 at its end, or a failure. Its key (card,
 * then the merged order) must follow the last one's: only a damaged index breaks that. */
static int next_review(alliance_db *db, sqlite3_stmt *stmt, alliance__key *last, alliance__review_row *row)
{
    int rc = alliance__sql_step(db, stmt, "reading the review log");
    if (rc == SQLITE_DONE)
        return 0;
    if (rc < 0)
        return rc;
    alliance__log_read(stmt, row);
    alliance__key key = {{row->card_pk, row->sort_time, row->origin, row->seq}};
    rc = alliance__key_advance(db, last, &key, 4, "reading the review log");
    return rc ? rc : 1;
}

/* The text id in column `col` of the current row (valid until the statement steps). */
static const char *card_text_id(sqlite3_stmt *stmt, int col)
{
    const unsigned char *text = sqlite3_column_text(stmt, col);
    return text ? (const char *)text : "";
}

/* Every card against the replay of its log: one pass over the cards (by row) merged with one
 * pass over the log (by card, then in the merged order), two statements however large the
 * collection; the same replay and the same comparison as alliance__replay_card's. */
static int verify_all(alliance_db *db, uint64_t *out_mismatches, char *first, size_t first_size)
{
    alliance__replay_how how;
    sqlite3_stmt *cards, *reviews;
    int rc = alliance__replay_how_get(db, &how);
    if (rc == ALLIANCE_OK)
        rc = alliance__sql_stmt(db, ALLIANCE__SQL_VERIFY_CARDS, &cards);
    if (rc == ALLIANCE_OK)
        rc = alliance__sql_stmt(db, ALLIANCE__SQL_VERIFY_REVIEWS, &reviews);
    if (rc)
        return rc;
    alliance__key last_card = {{0}}, last_review = {{INT64_MIN, INT64_MIN, INT64_MIN, INT64_MIN}};
    alliance__review_row row;
    int have = next_review(db, reviews, &last_review, &row); /* 1: `row` holds the next review */
    uint64_t mismatches = 0;
    for (;;) {
        if (have < 0) {
            rc = have;
            break;
        }
        rc = alliance__sql_step(db, cards, "listing cards");
        if (rc == SQLITE_DONE) {
            rc = ALLIANCE_OK;
            break;
        }
        if (rc < 0)
            break;
        alliance__sched s;
        memset(&s, 0, sizeof s);
        alliance__store_sched_read(cards, &s);
        alliance__key key = {{s.pk}};
        if ((rc = alliance__key_advance(db, &last_card, &key, 1, "listing cards")) != ALLIANCE_OK)
            break;
        const char *id = NULL; /* read when a message needs it: most cards have no log and match */
        card_sync cs = { (uint32_t)sqlite3_column_int64(cards, 18), (uint32_t)sqlite3_column_int64(cards, 19), 0, 0 };
        replay_run run;
        run_start(&run, &how, s.pk, &cs, 0);
        /* Rows of a card that is not there (the join keeps none) are passed over. */
        while (have > 0 && row.card_pk < s.pk)
            have = next_review(db, reviews, &last_review, &row);
        rc = ALLIANCE_OK;
        while (have > 0 && row.card_pk == s.pk) {
            if (!id)
                id = card_text_id(cards, 17);
            if ((rc = run_row(db, id, &run, &row, 0)) != ALLIANCE_OK)
                break;
            have = next_review(db, reviews, &last_review, &row);
        }
        if (rc != ALLIANCE_OK)
            break;
        if (have < 0)
            continue; /* reported at the top of the loop */
        run_finish(&run);
        if (!alliance__replay_matches(&s, &run.r) && mismatches++ == 0)
            snprintf(first, first_size, "%s", id ? id : card_text_id(cards, 17));
    }
    sqlite3_reset(cards);
    sqlite3_reset(reviews);
    if (rc == ALLIANCE_OK)
        *out_mismatches = mismatches;
    return rc;
}

int alliance_verify(alliance_db *db, uint64_t *out_mismatches)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!out_mismatches)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL, "alliance_verify: out is NULL"));
    uint64_t mismatches = 0;
    char first[512] = "";
    /* One snapshot: an answer committed elsewhere between reading a card and reading its log
     * would otherwise count as a mismatch. */
    int began = 0;
    if ((rc = alliance__store_snapshot_begin(db, &began)) == ALLIANCE_OK)
        rc = verify_all(db, &mismatches, first, sizeof first);
    alliance__store_read_end(db, began);
    if (rc != ALLIANCE_OK)
        return alliance__db_leave(db, rc);
    /* Not a failure of the call: the message only names the first card that differs. */
    if (mismatches)
        alliance__error_set(&db->error, ALLIANCE_OK, "%llu card(s) differ from the replay of their review log; "
                            "the first is \"%s\"", (unsigned long long)mismatches, first);
    *out_mismatches = mismatches;
    return alliance__db_leave(db, ALLIANCE_OK);
}
