/* SPDX-License-Identifier: MIT */
/*
 * session.c - today's study session: which card comes next, within the daily
 * limits, with SM-2's same-day repeats spaced out. Nothing is loaded whole:
 * each next() runs a few indexed queries (sql.c) against the collection as
 * it is now, so answers given elsewhere (another session, another process)
 * are seen at once. The session itself only remembers the cards it answered
 * (for its count) and the card an undo handed back.
 *
 * Order: a card to repeat today that has waited for REPEAT_GAP other answers;
 * then due reviews (most overdue first); then new cards (file order); then,
 * when nothing else is left, a repeat that has not waited long enough (the
 * one answered longest ago, so never the card just answered while another remains).
 * "Waited" is read from today's newest rows of the review log, not from the
 * session's memory: a new session object (another screen, a restart) spaces
 * repeats exactly as the old one would have. */
#include "study/answer.h"
#include "study/exam_mode.h"
#include "study/retrievability.h"
#include "store/schedule.h"
#include "core/review_step.h"

#include <string.h>

/* A same-day repeat comes back after this many other answers in the session. */
#define REPEAT_GAP 3
/* Repeat candidates read per next(): more than REPEAT_GAP, so one has waited. */
#define REPEAT_CANDIDATES (REPEAT_GAP + 1)

struct alliance_session {
    alliance__attached attached;
    int64_t deck_id;       /* 0: every deck */
    int64_t *answered;     /* card rows answered in this session, oldest first */
    size_t answered_count;
    size_t answered_cap;
    int64_t pending_pk;    /* the card an undo gave back: shown next (0: none) */
    /* a cram session (alliance_cram_open): its kind of answer, text and days ahead */
    uint32_t kind;         /* ALLIANCE__KIND_REVIEW for today's session */
    char *text;
    uint32_t ahead_days;
};

/* ---- what today allows ---- */

/* Exam decks paced per call (docs/study-modes.md, "The pace"); more keep new_per_day. */
#define PACED_DECKS_MAX 16

typedef struct day_budget {
    int64_t today;
    int64_t new_left;     /* new cards still allowed today */
    int64_t reviews_left; /* reviews still allowed today */
    int exam_ahead;       /* a deck in scope has an exam after today: due days are clamped */
    int bury_siblings;    /* siblings apart: hold back the other cards of a note answered today */
    size_t paced;         /* exam decks in scope whose pace allows more new cards today */
    int64_t paced_deck[PACED_DECKS_MAX];
    int64_t paced_left[PACED_DECKS_MAX]; /* the pace minus the deck's cards introduced today */
} day_budget;

static int64_t left_of(uint32_t limit, int64_t done)
{
    return done >= (int64_t)limit ? 0 : (int64_t)limit - done;
}

/* The exam decks in scope and how many new cards each may still introduce today on its pace. */
static int read_exam_budget(alliance_db *db, int64_t deck_id, day_budget *out)
{
    alliance__exam_deck decks[PACED_DECKS_MAX];
    size_t n = 0;
    int rc = alliance__store_exam_active(db, out->today, deck_id, decks, PACED_DECKS_MAX, &n);
    out->exam_ahead = n > 0;
    out->paced = 0;
    for (size_t i = 0; i < n && rc == ALLIANCE_OK; i++) {
        alliance_exam_status st = ALLIANCE_EXAM_STATUS_INIT;
        if ((rc = alliance__exam_status_of(db, decks[i].deck_id, &decks[i].exam, out->today, &st)) != ALLIANCE_OK)
            break;
        if (st.pace > st.introduced_today) {
            out->paced_deck[out->paced] = decks[i].deck_id;
            out->paced_left[out->paced] = (int64_t)st.pace - st.introduced_today;
            out->paced++;
        }
    }
    return rc;
}

static int read_budget(alliance_db *db, int64_t deck_id, int64_t now, day_budget *out)
{
    alliance_config config = ALLIANCE_CONFIG_INIT;
    sqlite3_stmt *stmt;
    int rc;
    if ((rc = alliance__db_today(db, now, &out->today)) != ALLIANCE_OK ||
        (rc = alliance__db_config(db, &config)) != ALLIANCE_OK ||
        (rc = alliance__sql_stmt(db, ALLIANCE__SQL_DONE_TODAY, &stmt)) != ALLIANCE_OK)
        return rc;
    alliance__sql_bind_int(stmt, 1, out->today);
    if ((rc = alliance__sql_step(db, stmt, "counting today's answers")) < 0)
        return rc;
    int64_t new_done = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
    int64_t reviews_done = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 1) : 0;
    sqlite3_reset(stmt);
    out->new_left = left_of(config.new_per_day, new_done);
    out->reviews_left = left_of(config.reviews_per_day, reviews_done);
    uint32_t bury = 0, fuzz = 0;
    if ((rc = alliance__db_study_settings(db, &bury, &fuzz)) != ALLIANCE_OK)
        return rc;
    out->bury_siblings = (int)bury;
    return read_exam_budget(db, deck_id, out);
}

/* ---- today's newest answers ---- */

/* The cards of the collection's newest answers today, newest first. */
typedef struct recent_answers {
    int64_t pk[REPEAT_GAP];
    size_t count;
} recent_answers;

static int read_recent(alliance_db *db, int64_t today, recent_answers *out)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_REVIEW_RECENT_CARDS, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, today);
    alliance__sql_bind_int(stmt, 2, REPEAT_GAP);
    out->count = 0;
    while ((rc = alliance__sql_step(db, stmt, "reading today's newest answers")) == SQLITE_ROW)
        if (out->count < REPEAT_GAP)
            out->pk[out->count++] = sqlite3_column_int64(stmt, 0);
    return rc < 0 ? rc : ALLIANCE_OK;
}

/* How many answers ago card `pk` was answered (1 = the newest answer), or 0 if
 * not within the last REPEAT_GAP answers of today. */
static size_t answers_ago(const recent_answers *recent, int64_t pk)
{
    for (size_t i = 0; i < recent->count; i++)
        if (recent->pk[i] == pk)
            return i + 1;
    return 0;
}

/* Makes room for one more answer, so that remembering a committed answer cannot fail. */
static int reserve_answer_slot(alliance_db *db, alliance_session *s)
{
    if (s->answered_count == s->answered_cap) {
        size_t cap = s->answered_cap ? s->answered_cap * 2 : 32;
        int64_t *bigger = alliance__realloc(s->answered, cap * sizeof *bigger);
        if (!bigger)
            return alliance__error_set(&db->error, ALLIANCE_ENOMEM, "out of memory");
        s->answered = bigger;
        s->answered_cap = cap;
    }
    return ALLIANCE_OK;
}

/* ---- picking the next card ---- */

/* Scores a queue row for the session: 0 rejects it; otherwise the highest
 * score wins, the earlier row among equals. */
typedef long (*score_fn)(const recent_answers *recent, int64_t pk);

/* Runs a queue statement (?1 deck, ?2 today, ?3 how many rows) and gives the
 * best row (the first one when score is NULL) as a new card in *out, or NULL.
 * The card is made from the queue's own row, which holds every column. */
/* ?4 of the queue statements that have it: siblings apart on or off. */
static void bind_bury(sqlite3_stmt *stmt, int bury)
{
    if (sqlite3_bind_parameter_count(stmt) >= 4)
        alliance__sql_bind_int(stmt, 4, bury);
}

static int pick(alliance_db *db, int64_t deck_id, alliance__sql_id id, const day_budget *b, int64_t limit,
                score_fn score, const recent_answers *recent, alliance_card **out)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, id, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, deck_id);
    alliance__sql_bind_int(stmt, 2, b->today);
    alliance__sql_bind_int(stmt, 3, limit);
    bind_bury(stmt, b->bury_siblings);
    alliance_card *best = NULL;
    long best_score = 0;
    while ((rc = alliance__sql_step(db, stmt, "reading today's queue")) == SQLITE_ROW) {
        int64_t pk = sqlite3_column_int64(stmt, ALLIANCE__COL_PK);
        long value = score ? score(recent, pk) : 1;
        if (value <= best_score)
            continue;
        alliance_card *card = NULL;
        if ((rc = alliance__store_card_from_row(db, stmt, &card)) != ALLIANCE_OK) {
            sqlite3_reset(stmt);
            break;
        }
        alliance__free(best);
        best = card;
        best_score = value;
        if (!score)
            break; /* the first row wins */
    }
    sqlite3_reset(stmt);
    if (rc < 0) {
        alliance__free(best);
        return rc;
    }
    *out = best;
    return ALLIANCE_OK;
}

/* A repeat that has waited REPEAT_GAP answers scores by queue order (first wins). */
static long rested_repeat(const recent_answers *recent, int64_t pk)
{
    static const long first_wins = 1000;
    return answers_ago(recent, pk) ? 0 : first_wins;
}

/* Any repeat; the one answered longest ago wins (never the last one while another remains). */
static long oldest_repeat(const recent_answers *recent, int64_t pk)
{
    size_t ago = answers_ago(recent, pk);
    return ago ? (long)ago : REPEAT_GAP + 1;
}

/* The card an undo handed back, if it is still in this session's deck and
 * can be answered today. */
static int pending_card(alliance_db *db, alliance_session *s, int64_t today, alliance_card **out)
{
    *out = NULL;
    if (!s->pending_pk)
        return ALLIANCE_OK;
    alliance_card *card = NULL;
    int rc = alliance__store_card_by_pk(db, s->pending_pk, &card);
    if (rc)
        return rc;
    int64_t due = card->due_day;
    if (card->reviews > 0 && due > today &&
        (rc = alliance__exam_card_due(db, card->deck_id, today, card->last_review_day, card->due_day, &due)) != ALLIANCE_OK) {
        alliance__free(card);
        return rc;
    }
    if ((!s->deck_id || card->deck_id == s->deck_id) && !card->suspended && card->buried_until_day <= today &&
        (card->reviews == 0 || due <= today))
        *out = card;
    else {
        alliance__free(card);
        s->pending_pk = 0;
    }
    return ALLIANCE_OK;
}

/* ---- cram ---- */

static int answered_in_session(const alliance_session *s, int64_t pk)
{
    for (size_t i = 0; i < s->answered_count; i++)
        if (s->answered[i] == pk)
            return 1;
    return 0;
}

/* Runs the cram query for at most `limit` rows (-1: all), and gives the first card this session
 * has not answered (*out, may be NULL to only count) and how many such cards there are, learned
 * and new. Answered cards may still match (a preview changes nothing), hence the skip. */
static int cram_scan(alliance_db *db, const alliance_session *s, int64_t today, int64_t limit, alliance_card **out,
                     uint32_t *out_learned, uint32_t *out_new)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_CRAM_NEXT, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, s->deck_id);
    alliance__sql_bind_int(stmt, 2, today);
    alliance__sql_bind_int(stmt, 3, limit);
    alliance__sql_bind_int(stmt, 4, s->ahead_days);
    alliance__sql_bind_int(stmt, 5, s->kind == ALLIANCE__KIND_PREVIEW);
    alliance__sql_bind_text(stmt, 6, s->text ? s->text : "");
    uint32_t learned = 0, fresh = 0;
    while ((rc = alliance__sql_step(db, stmt, "reading the cram session")) == SQLITE_ROW) {
        int64_t pk = sqlite3_column_int64(stmt, ALLIANCE__COL_PK);
        if (answered_in_session(s, pk))
            continue;
        if (out) {
            rc = alliance__store_card_from_row(db, stmt, out);
            sqlite3_reset(stmt);
            return rc;
        }
        if (sqlite3_column_int64(stmt, ALLIANCE__COL_REVIEWS) > 0)
            learned++;
        else
            fresh++;
    }
    if (rc < 0)
        return rc;
    if (out_learned)
        *out_learned = learned;
    if (out_new)
        *out_new = fresh;
    return ALLIANCE_OK;
}

/* Today's next card, the day's budget read already (in the same snapshot). */
static int review_next(alliance_db *db, alliance_session *s, const day_budget *budget, alliance_card **out)
{
    recent_answers recent;
    int rc = pending_card(db, s, budget->today, out);
    if (rc || *out)
        return rc;
    if ((rc = read_recent(db, budget->today, &recent)) != ALLIANCE_OK)
        return rc;
    rc = pick(db, s->deck_id, ALLIANCE__SQL_QUEUE_REPEAT, budget, REPEAT_CANDIDATES, rested_repeat, &recent, out);
    if (rc || *out)
        return rc;
    alliance__sql_id due = budget->exam_ahead ? ALLIANCE__SQL_QUEUE_DUE_EXAM : ALLIANCE__SQL_QUEUE_DUE;
    if (budget->reviews_left > 0 && ((rc = pick(db, s->deck_id, due, budget, 1, NULL, &recent, out)) || *out))
        return rc;
    /* The exam decks' paced new cards first, then new_per_day's (which paced answers also use up). */
    for (size_t i = 0; i < budget->paced; i++)
        if ((rc = pick(db, budget->paced_deck[i], ALLIANCE__SQL_QUEUE_NEW, budget, 1, NULL, &recent, out)) || *out)
            return rc;
    if (budget->new_left > 0 &&
        ((rc = pick(db, s->deck_id, ALLIANCE__SQL_QUEUE_NEW, budget, 1, NULL, &recent, out)) || *out))
        return rc;
    return pick(db, s->deck_id, ALLIANCE__SQL_QUEUE_REPEAT, budget, REPEAT_CANDIDATES, oldest_repeat, &recent,
                out);
}

/* A cram session's next card: the first of its scope it has not answered. */
static int cram_next(alliance_db *db, alliance_session *s, int64_t now, alliance_card **out)
{
    int64_t today;
    int rc = alliance__db_today(db, now, &today);
    *out = NULL;
    /* answered_count + 1 rows hold at least one the session has not answered, if any */
    return rc ? rc : cram_scan(db, s, today, (int64_t)s->answered_count + 1, out, NULL, NULL);
}

/* ---- the API ---- */

int alliance_session_open(alliance_session **out, alliance_db *db, int64_t deck_id, int64_t now)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!out || deck_id < 0)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "alliance_session_open: out is NULL or deck_id is negative"));
    /* `now` is checked without reading the collection (the range does not depend on the
     * rollover hour): opening a session over every deck reads nothing; each call reads then. */
    int64_t day;
    if (alliance_day_number(&day, now, db->utc_offset_seconds, 0) != ALLIANCE_OK)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "time %lld is outside the supported range", (long long)now));
    if (deck_id && (rc = alliance__store_deck_get(db, deck_id, NULL, NULL, NULL)) != ALLIANCE_OK)
        return alliance__db_leave(db, rc);
    alliance_session *s = alliance__calloc(1, sizeof *s);
    if (!s)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_ENOMEM, "out of memory"));
    s->deck_id = deck_id;
    alliance__db_attach(db, &s->attached);
    *out = s;
    return alliance__db_leave(db, ALLIANCE_OK);
}

static int count(alliance_db *db, int64_t deck_id, alliance__sql_id id, const day_budget *b, int64_t limit,
                 uint32_t *out)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, id, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, deck_id);
    alliance__sql_bind_int(stmt, 2, b->today);
    alliance__sql_bind_int(stmt, 3, limit);
    bind_bury(stmt, b->bury_siblings);
    if ((rc = alliance__sql_step(db, stmt, "counting today's queue")) < 0)
        return rc;
    int64_t n = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
    sqlite3_reset(stmt);
    *out = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
    return ALLIANCE_OK;
}

/* The new cards next() will offer today: each paced exam deck's (up to its pace), then
 * new_per_day's from the whole scope, as review_next picks them. */
static int count_new(alliance_db *db, int64_t deck_id, const day_budget *b, uint32_t *out)
{
    int64_t paced = 0;
    for (size_t i = 0; i < b->paced; i++) {
        uint32_t n = 0;
        int rc = count(db, b->paced_deck[i], ALLIANCE__SQL_COUNT_NEW, b, b->paced_left[i], &n);
        if (rc)
            return rc;
        paced += n;
    }
    uint32_t all = 0;
    /* A paced answer uses up new_per_day's budget too: max(paced, new_left) in all. */
    int rc = count(db, deck_id, ALLIANCE__SQL_COUNT_NEW, b, paced > b->new_left ? paced : b->new_left, &all);
    if (rc == ALLIANCE_OK)
        *out = all;
    return rc;
}

int alliance_counts_init(alliance_counts *counts, uint32_t version)
{
    if (!counts)
        return ALLIANCE_EINVAL;
    /* Only version 1 exists; a later one will write exactly the layout asked for. */
    if (version != ALLIANCE_COUNTS_VERSION)
        return ALLIANCE_EVERSION;
    memset(counts, 0, sizeof *counts);
    counts->version = ALLIANCE_COUNTS_VERSION;
    return ALLIANCE_OK;
}

static uint32_t answered_of(const alliance_session *s)
{
    return s->answered_count > UINT32_MAX ? UINT32_MAX : (uint32_t)s->answered_count;
}

/* Today's counts, the day's budget read already (in the same snapshot). */
static int review_counts(alliance_db *db, const alliance_session *s, const day_budget *budget, alliance_counts *out)
{
    alliance_counts counts = { ALLIANCE_COUNTS_VERSION, 0, 0, 0, 0 };
    int64_t deck = s->deck_id;
    int rc;
    if ((rc = count_new(db, deck, budget, &counts.new_cards)) == ALLIANCE_OK &&
        (rc = count(db, deck, budget->exam_ahead ? ALLIANCE__SQL_COUNT_DUE_EXAM : ALLIANCE__SQL_COUNT_DUE, budget,
                    budget->reviews_left, &counts.due)) == ALLIANCE_OK &&
        (rc = count(db, deck, ALLIANCE__SQL_COUNT_REPEAT, budget, -1, &counts.repeat)) == ALLIANCE_OK) {
        counts.answered = answered_of(s);
        *out = counts;
    }
    return rc;
}

/* A cram session's counts: the learned and the new cards of its scope it has not answered. */
static int cram_counts(alliance_db *db, const alliance_session *s, int64_t now, alliance_counts *out)
{
    alliance_counts counts = { ALLIANCE_COUNTS_VERSION, 0, 0, 0, 0 };
    int64_t today;
    int rc;
    if ((rc = alliance__db_today(db, now, &today)) == ALLIANCE_OK &&
        (rc = cram_scan(db, s, today, -1, NULL, &counts.due, &counts.new_cards)) == ALLIANCE_OK) {
        counts.answered = answered_of(s);
        *out = counts;
    }
    return rc;
}

/* The counts (out_counts, may be NULL) and the next card (out, may be NULL) of one snapshot:
 * the caller holds the read transaction. The counts are taken before the card is picked, as
 * alliance_session_counts then alliance_session_next would. */
static int session_read_queue(alliance_db *db, alliance_session *s, int64_t now, alliance_counts *out_counts,
                              alliance_card **out)
{
    if (s->kind != ALLIANCE__KIND_REVIEW) {
        int rc = out_counts ? cram_counts(db, s, now, out_counts) : ALLIANCE_OK;
        return rc || !out ? rc : cram_next(db, s, now, out);
    }
    day_budget budget;
    int rc = read_budget(db, s->deck_id, now, &budget);
    if (rc == ALLIANCE_OK && out_counts)
        rc = review_counts(db, s, &budget, out_counts);
    if (rc == ALLIANCE_OK && out)
        rc = review_next(db, s, &budget, out);
    return rc;
}

/* The queue's next card (if out) carries its FSRS retrievability for `now`'s day. */
static int session_read(alliance_db *db, alliance_session *s, int64_t now, alliance_counts *out_counts,
                        alliance_card **out)
{
    int rc = session_read_queue(db, s, now, out_counts, out);
    int64_t today;
    if (rc == ALLIANCE_OK && out && *out &&
        ((rc = alliance__db_today(db, now, &today)) != ALLIANCE_OK ||
         (rc = alliance__card_retrievability(db, *out, today)) != ALLIANCE_OK)) {
        alliance__free(*out);
        *out = NULL;
    }
    return rc;
}

/* The caller's counts struct must be there and of a version we know. */
static int check_counts(alliance_db *db, const alliance_counts *out, const char *fn)
{
    if (!out)
        return alliance__error_set(&db->error, ALLIANCE_EINVAL, "%s: out is NULL", fn);
    if (out->version != ALLIANCE_COUNTS_VERSION)
        return alliance__error_set(&db->error, ALLIANCE_EVERSION, "%s: unknown version %u", fn,
                                   (unsigned)out->version);
    return ALLIANCE_OK;
}

int alliance_session_counts(alliance_session *session, int64_t now, alliance_counts *out)
{
    int rc = alliance__attached_enter(session ? &session->attached : NULL);
    if (rc)
        return rc;
    alliance_db *db = session->attached.db;
    if ((rc = check_counts(db, out, "alliance_session_counts")) != ALLIANCE_OK)
        return alliance__db_leave(db, rc);
    int began = alliance__store_read_begin(db);
    rc = session_read(db, session, now, out, NULL);
    alliance__store_read_end(db, began);
    return alliance__db_leave(db, rc);
}

int alliance_session_next(alliance_session *session, int64_t now, alliance_card **out)
{
    int rc = alliance__attached_enter(session ? &session->attached : NULL);
    if (rc)
        return rc;
    alliance_db *db = session->attached.db;
    if (!out)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL, "alliance_session_next: out is NULL"));
    alliance_card *card = NULL;
    int began = alliance__store_read_begin(db);
    rc = session_read(db, session, now, NULL, &card);
    alliance__store_read_end(db, began);
    if (rc == ALLIANCE_OK) {
        *out = card;
        rc = card ? ALLIANCE_OK : ALLIANCE_DONE;
    }
    return alliance__db_leave(db, rc);
}

int alliance_session_next_with_counts(alliance_session *session, int64_t now, alliance_card **out,
                                      alliance_counts *out_counts)
{
    int rc = alliance__attached_enter(session ? &session->attached : NULL);
    if (rc)
        return rc;
    alliance_db *db = session->attached.db;
    if (!out)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "alliance_session_next_with_counts: out is NULL"));
    if ((rc = check_counts(db, out_counts, "alliance_session_next_with_counts")) != ALLIANCE_OK)
        return alliance__db_leave(db, rc);
    alliance_card *card = NULL;
    alliance_counts counts = { ALLIANCE_COUNTS_VERSION, 0, 0, 0, 0 };
    int began = alliance__store_read_begin(db);
    rc = session_read(db, session, now, &counts, &card);
    alliance__store_read_end(db, began);
    if (rc == ALLIANCE_OK) {
        *out = card;
        *out_counts = counts;
        rc = card ? ALLIANCE_OK : ALLIANCE_DONE;
    }
    return alliance__db_leave(db, rc);
}

/* The session only answers cards of its deck. */
static int check_in_session(alliance_db *db, const alliance_session *s, const char *card_id)
{
    alliance__sched sched;
    int rc = alliance__store_sched_get(db, card_id, &sched);
    if (rc == ALLIANCE_OK && s->deck_id && sched.deck_id != s->deck_id)
        rc = alliance__error_set(&db->error, ALLIANCE_EINVAL, "card \"%s\" is not in this session's deck", card_id);
    return rc;
}

int alliance_session_answer(alliance_session *session, const char *card_id, int grade, int64_t now,
                            uint32_t answer_ms, alliance_sm2_state *out_after)
{
    int rc = alliance__attached_enter(session ? &session->attached : NULL);
    if (rc)
        return rc;
    alliance_db *db = session->attached.db;
    if (!card_id)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL, "alliance_session_answer: card_id is NULL"));
    int64_t pk = 0;
    if ((rc = reserve_answer_slot(db, session)) == ALLIANCE_OK && (rc = check_in_session(db, session, card_id)) == ALLIANCE_OK &&
        (rc = alliance__answer(db, card_id, grade, now, answer_ms, session->kind, out_after, &pk)) == ALLIANCE_OK) {
        session->answered[session->answered_count++] = pk;
        session->pending_pk = 0;
    }
    return alliance__db_leave(db, rc);
}

int alliance_session_undo(alliance_session *session, char **out_card_id)
{
    int rc = alliance__attached_enter(session ? &session->attached : NULL);
    if (rc)
        return rc;
    alliance_db *db = session->attached.db;
    int64_t pk = 0, deck_id = 0;
    rc = alliance__undo(db, out_card_id, &pk, &deck_id);
    if (rc == ALLIANCE_OK) {
        if (session->answered_count && session->answered[session->answered_count - 1] == pk)
            session->answered_count--;
        /* The undo is the collection's; only a card of this session's deck is offered again
         * (a cram session offers it again by itself: it is no longer among its answers). */
        session->pending_pk = session->kind == ALLIANCE__KIND_REVIEW && (!session->deck_id || deck_id == session->deck_id)
                                  ? pk : 0;
    }
    return alliance__db_leave(db, rc);
}

void alliance_session_close(alliance_session *session)
{
    if (!session)
        return;
    alliance__attached_release(&session->attached);
    alliance__free(session->answered);
    alliance__free(session->text);
    alliance__free(session);
}

int alliance_cram_options_init(alliance_cram_options *options, uint32_t version)
{
    if (!options)
        return ALLIANCE_EINVAL;
    if (version != ALLIANCE_CRAM_OPTIONS_VERSION)
        return ALLIANCE_EVERSION;
    alliance_cram_options defaults = ALLIANCE_CRAM_OPTIONS_INIT;
    *options = defaults;
    return ALLIANCE_OK;
}

int alliance_cram_open(alliance_session **out, alliance_db *db, const alliance_cram_options *options, int64_t now)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!out || !options)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "alliance_cram_open: out or options is NULL"));
    if (options->version != ALLIANCE_CRAM_OPTIONS_VERSION)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EVERSION,
                                                          "alliance_cram_open: unknown options version %u",
                                                          (unsigned)options->version));
    uint32_t kind = options->kind == 0 ? ALLIANCE_CRAM_PREVIEW : options->kind;
    if ((kind != ALLIANCE_CRAM_PREVIEW && kind != ALLIANCE_CRAM_AHEAD) || options->deck_id < 0 ||
        options->ahead_days > 36500)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "alliance_cram_open: kind %u, deck %lld, %u days ahead "
                                                          "(ALLIANCE_CRAM_PREVIEW or _AHEAD, a deck id >= 0, "
                                                          "0..36500 days)", (unsigned)options->kind,
                                                          (long long)options->deck_id, (unsigned)options->ahead_days));
    int64_t day;
    if (alliance_day_number(&day, now, db->utc_offset_seconds, 0) != ALLIANCE_OK)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "time %lld is outside the supported range", (long long)now));
    if (options->deck_id && (rc = alliance__store_deck_get(db, options->deck_id, NULL, NULL, NULL)) != ALLIANCE_OK)
        return alliance__db_leave(db, rc);
    alliance_session *s = alliance__calloc(1, sizeof *s);
    if (!s || (options->text && options->text[0] && !(s->text = alliance__strdup(options->text)))) {
        alliance__free(s);
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_ENOMEM, "out of memory"));
    }
    s->deck_id = options->deck_id;
    s->kind = kind == ALLIANCE_CRAM_PREVIEW ? ALLIANCE__KIND_PREVIEW : ALLIANCE__KIND_AHEAD;
    s->ahead_days = options->ahead_days;
    alliance__db_attach(db, &s->attached);
    *out = s;
    return alliance__db_leave(db, ALLIANCE_OK);
}
