/* SPDX-License-Identifier: MIT */
/*
 * apkg_history.c - Anki's schedules and review log written into the collection by an .apkg
 * import (docs/anki.md, "What a package's schedule becomes"): each answer of a card's revlog
 * becomes an imported review row (import_id = Anki's revlog id) recording the schedule Anki
 * had after it, the card's last one Anki's card state as anki_sched.c maps it; then the card
 * is replayed, so its stored schedule is the replay of its log and alliance_verify stays exact.
 * Runs inside the import's transaction (deck_import.c).
 */
#include "exchange/formats.h"
#include "interop/anki_text.h"
#include "interop/apkg.h"
#include "store/schedule.h"
#include "store/sql.h"
#include "store/store.h"
#include "study/replay.h"
#include "sync/sync.h"

#include <stdio.h>
#include <string.h>

typedef struct history {
    alliance_db *db;
    const alliance__apkg *pkg;
    alliance_sm2_params params;
    alliance_config config;
    int64_t crt_day;
    int failed;                      /* day_of could not convert a time */
    uint32_t scheduler;              /* the collection's: ALLIANCE_SCHEDULER_* */
    alliance__history_counts *counts;
} history;

static int64_t day_of(void *ctx, int64_t unix_seconds)
{
    history *h = ctx;
    int64_t day = 0;
    if (alliance__db_day_of(h->db, h->config.rollover_hour, unix_seconds, &day) != ALLIANCE_OK)
        h->failed = 1;
    return day;
}

/* Our id of Anki card `c` of note `n` (docs/anki.md, "Note types"), appended to *out (NUL
 * ended): 1, or 0 when no card of ours comes from it (a template past the first of a type we
 * read as basic cards), or ALLIANCE_ENOMEM. */
static int card_id_of(const alliance__apkg *pkg, const alliance__anki_note *n, const alliance__anki_card *c,
                      alliance__buf *out)
{
    uint32_t map = 0;
    for (uint32_t i = 0; i < pkg->notetype_count; i++)
        if (pkg->notetypes[i].id == n->mid)
            map = pkg->notetypes[i].map;
    out->len = 0;
    if (alliance__anki_guid_to_id(out, alliance__apkg_str(pkg, n->guid)) != 0)
        return ALLIANCE_ENOMEM;
    int rc = 0;
    if (map == ALLIANCE__ANKI_CLOZE)
        rc = alliance__buf_printf(out, "::c%u", (unsigned)c->ord + 1);
    else if (map == ALLIANCE__ANKI_REVERSED && c->ord == 1)
        rc = alliance__buf_printf(out, "~reverse");
    else if (c->ord != 0)
        return 0;
    if (rc || alliance__buf_append(out, "", 0) != 0)
        return ALLIANCE_ENOMEM;
    return 1;
}

/* The grade of answer r, or -1 for a row that is not one (anki_sched.c), or whose id (the
 * answer's time in ms, our import key) is not a time after 1970: a package Anki never wrote. */
static int answer_grade(const alliance__anki_revlog *r, int buttons)
{
    return r->id <= 0 ? -1 : alliance__anki_grade(r->ease, r->type, buttons);
}

/* The first row of card `cid` in the log (sorted by card, then time). */
static uint32_t log_first(const alliance__apkg *pkg, int64_t cid)
{
    uint32_t lo = 0, hi = pkg->revlog_count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (pkg->revlog[mid].cid < cid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Card pk's newest imported row: its revlog id (0: none) and place; and whether an answer given
 * here follows it (then the card's schedule is ours and a re-import adds nothing). */
static int import_state(alliance_db *db, int64_t pk, int64_t *last_id, int *ours_after)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_REVIEW_IMPORT_LAST, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, pk);
    rc = alliance__sql_step(db, stmt, "reading the review log");
    if (rc < 0)
        return rc;
    int64_t since = INT64_MIN;
    *last_id = 0;
    if (rc == SQLITE_ROW) {
        *last_id = sqlite3_column_int64(stmt, 0);
        since = sqlite3_column_int64(stmt, 1);
    }
    sqlite3_reset(stmt);
    if ((rc = alliance__sql_stmt(db, ALLIANCE__SQL_REVIEW_OWN_AFTER, &stmt)) != ALLIANCE_OK)
        return rc;
    alliance__sql_bind_int(stmt, 1, pk);
    alliance__sql_bind_int(stmt, 2, since);
    rc = alliance__sql_step(db, stmt, "reading the review log");
    if (rc < 0)
        return rc;
    *ours_after = rc == SQLITE_ROW;
    sqlite3_reset(stmt);
    return ALLIANCE_OK;
}

/* 1 if card pk has an answer given here at `time`, else 0; or an error. */
static int own_answer_at(alliance_db *db, int64_t pk, int64_t time)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_REVIEW_OWN_AT, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, pk);
    alliance__sql_bind_int(stmt, 2, time);
    rc = alliance__sql_step(db, stmt, "reading the review log");
    if (rc < 0)
        return rc;
    sqlite3_reset(stmt);
    return rc == SQLITE_ROW;
}

/* The schedule Anki had after answer `k` of log[0..n) (not the last): a card of the kind the
 * row's interval says (a review card for days, a learning one for seconds), as anki_sched.c
 * maps a card, from the log up to it. */
static int schedule_after_row(history *h, const alliance__anki_card *card, const alliance__anki_revlog *log,
                              uint32_t k, uint32_t answers, uint32_t lapses, alliance__anki_schedule *out)
{
    const alliance__anki_revlog *r = &log[k];
    alliance__anki_card c = *card;
    c.odid = 0;
    c.reps = answers;
    c.lapses = lapses;
    c.factor = r->factor > 0 ? r->factor : card->factor;
    c.ivl = r->ivl;
    int64_t day = day_of(h, r->id / 1000);
    if (r->ivl > 0) {
        c.type = c.queue = 2;
        c.due = day + (r->ivl > 36500 ? 36500 : r->ivl) - h->crt_day; /* the interval SM-2 keeps */
    } else {
        c.type = c.queue = 1;
        c.due = r->id / 1000 + (r->ivl < -86400 ? 86400 : -r->ivl); /* a learning step: seconds */
    }
    return alliance__anki_schedule_of(&c, log, k + 1, h->crt_day, h->params.min_efactor_milli,
                                      h->params.initial_efactor_milli, day_of, h, out);
}

/* One card: its new answers as imported rows, then its replay. */
static int card_history(history *h, const char *card_id, const alliance__anki_card *card)
{
    alliance_db *db = h->db;
    const alliance__apkg *pkg = h->pkg;
    uint32_t first = log_first(pkg, card->id), n = 0;
    while (first + n < pkg->revlog_count && pkg->revlog[first + n].cid == card->id)
        n++;
    if (n == 0)
        return ALLIANCE_OK; /* no review log: the card starts new, as it is */
    const alliance__anki_revlog *log = &pkg->revlog[first];
    int buttons = pkg->sched_ver == 1 ? 3 : 4;
    uint32_t last_answer = UINT32_MAX, answers_total = 0;
    for (uint32_t k = 0; k < n; k++)
        if (answer_grade(&log[k], buttons) >= 0) {
            last_answer = k;
            answers_total++;
        }
    if (answers_total == 0)
        return ALLIANCE_OK; /* nothing answered: the card starts new, as it is */
    /* Days and times far past any calendar would overflow the day arithmetic (anki_sched.c). */
    const int64_t far = INT64_C(1) << 40;
    if (card->due < -far || card->due > far || card->odue < -far || card->odue > far)
        return alliance__error_set(&h->db->error, ALLIANCE_EPARSE, "%s: card %lld (\"%s\"): due %lld, a schedule "
                                   "Anki cannot have written", h->pkg->where, (long long)card->id, card_id,
                                   (long long)(card->due < -far || card->due > far ? card->due : card->odue));

    /* A note our rules left out (reported) has no card to hold its history. */
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_CARD_PK_BY_ID, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_text(stmt, 1, card_id);
    rc = alliance__sql_step(db, stmt, "reading a card");
    if (rc < 0)
        return rc;
    sqlite3_reset(stmt);
    if (rc != SQLITE_ROW)
        return ALLIANCE_OK;
    alliance__sched s;
    if ((rc = alliance__store_sched_get(db, card_id, &s)) != ALLIANCE_OK)
        return rc;
    int64_t last_id = 0;
    int ours_after = 0;
    if ((rc = import_state(db, s.pk, &last_id, &ours_after)) != ALLIANCE_OK)
        return rc;

    /* The answers to add, numbered as events in one step. */
    uint32_t to_add = 0, answers = 0;
    for (uint32_t k = 0; k < n; k++) {
        if (answer_grade(&log[k], buttons) < 0)
            continue;
        if (log[k].id <= last_id) {
            h->counts->held++;
        } else if (ours_after) {
            /* a row of a package we wrote may be an answer given here: held, not skipped */
            int own = own_answer_at(db, s.pk, log[k].id / 1000);
            if (own < 0)
                return own;
            if (own)
                h->counts->held++;
            else
                h->counts->skipped++;
        } else {
            to_add++;
        }
    }
    if (to_add == 0)
        return ALLIANCE_OK;
    int64_t origin, seq, lamport;
    if ((rc = alliance__sync_next_events(db, to_add, &origin, &seq, &lamport)) != ALLIANCE_OK)
        return alliance__error_about_card(&db->error, rc, card_id);
    /* Each row's caches as replay computes them (lib/study/replay.c, step_imported), from the
     * card's stored schedule, so that the replay below finds every row as written. */
    alliance_sm2_state state = s.state;
    int64_t due_day = s.due_day, last_day = s.last_review_day;
    uint32_t reviews = s.reviews, card_lapses = s.lapses, lapses = 0, added = 0;
    for (uint32_t k = 0; k < n; k++) {
        int grade = answer_grade(&log[k], buttons);
        if (grade < 0)
            continue;
        answers++;
        if (grade < 3 && log[k].type == 1)
            lapses++; /* Again on a review card */
        if (log[k].id <= last_id || ours_after)
            continue;
        alliance__anki_schedule sched;
        if (k == last_answer)
            rc = alliance__anki_schedule_of(card, log, n, h->crt_day, h->params.min_efactor_milli,
                                            h->params.initial_efactor_milli, day_of, h, &sched);
        else
            rc = schedule_after_row(h, card, log, k, answers, lapses, &sched);
        if (rc == ALLIANCE_OK && h->failed)
            rc = ALLIANCE_EINVAL;
        if (rc != ALLIANCE_OK)
            return alliance__error_set(&db->error, ALLIANCE_EPARSE, "%s: card %lld (\"%s\"): revlog row %lld: a "
                                       "schedule Anki cannot have written", pkg->where, (long long)card->id,
                                       card_id, (long long)log[k].id);
        alliance__review_row row;
        memset(&row, 0, sizeof row);
        row.card_pk = s.pk;
        row.time = log[k].id / 1000;
        row.raw_day = day_of(h, row.time);
        row.day = reviews > 0 && last_day > row.raw_day ? last_day : row.raw_day;
        row.elapsed_days = reviews > 0 ? row.day - last_day : -1;
        row.grade = grade;
        row.answer_ms = log[k].time_ms < 0 ? 0 : log[k].time_ms > UINT32_MAX ? UINT32_MAX : (uint32_t)log[k].time_ms;
        row.before = state;
        row.after = sched.state;
        row.params = h->params;
        row.prev_due_day = due_day;
        row.prev_last_review_day = last_day;
        row.prev_lapses = card_lapses;
        row.prev_leech = s.leech;
        row.leech_threshold = h->config.leech_threshold;
        row.leech_suspend = h->config.leech_suspend;
        row.sort_time = row.time;
        row.import_id = log[k].id;
        row.import_due_day = sched.due_day;
        row.import_reviews = k == last_answer ? sched.reviews : answers;
        row.import_lapses = k == last_answer ? sched.lapses : lapses;
        row.origin = origin;
        row.seq = seq + added;
        row.lamport = lamport + added;
        if ((rc = alliance__log_insert(db, &row)) != ALLIANCE_OK)
            return alliance__error_about_card(&db->error, rc, card_id);
        state = row.after;
        due_day = row.import_due_day;
        last_day = row.day;
        reviews = row.import_reviews;
        card_lapses = row.import_lapses;
        added++;
    }
    if (added == 0)
        return ALLIANCE_OK;
    h->counts->added += added;
    h->counts->cards++;
    if (h->scheduler == ALLIANCE_SCHEDULER_SM2) {
        /* The replay of the card is known: the rows were written with its caches, and the last
         * one sets the schedule (leech and suspension as they were: an imported row changes
         * neither). alliance_verify checks this equals the replay (the apkg_history suite). */
        alliance__sched put = s;
        put.state = state;
        put.due_day = due_day;
        put.last_review_day = last_day;
        put.reviews = reviews;
        put.lapses = card_lapses;
        if ((rc = alliance__store_sched_put(db, &put)) != ALLIANCE_OK)
            return alliance__error_about_card(&db->error, rc, card_id);
        return ALLIANCE_OK;
    }
    /* Under FSRS the rows are ratings of the card's track: the replay computes it. */
    alliance__replayed r;
    if ((rc = alliance__replay_card(db, card_id, &s, 1, &r)) != ALLIANCE_OK)
        return alliance__error_about_card(&db->error, rc, card_id);
    return ALLIANCE_OK;
}

int alliance__apkg_history_put(alliance_db *db, const alliance__apkg *pkg, alliance__history_counts *counts)
{
    memset(counts, 0, sizeof *counts);
    history h;
    memset(&h, 0, sizeof h);
    h.db = db;
    h.pkg = pkg;
    h.counts = counts;
    h.config = (alliance_config)ALLIANCE_CONFIG_INIT;
    int rc;
    alliance__replay_how how;
    if ((rc = alliance__db_params(db, &h.params)) != ALLIANCE_OK || (rc = alliance__db_config(db, &h.config)) != ALLIANCE_OK ||
        (rc = alliance__replay_how_get(db, &how)) != ALLIANCE_OK)
        return rc;
    h.scheduler = how.scheduler;
    /* crt is the start of Anki's first day, at Anki's rollover hour: its day is the one the
     * next twelve hours fall in, whatever our rollover hour (docs/anki.md). */
    if ((rc = alliance__db_day_of(db, h.config.rollover_hour, pkg->crt + 43200, &h.crt_day)) != ALLIANCE_OK)
        return rc;
    alliance__buf id = {0};
    uint32_t c = 0;
    for (uint32_t i = 0; i < pkg->note_count && rc == ALLIANCE_OK; i++) {
        const alliance__anki_note *n = &pkg->notes[i];
        while (c < pkg->card_count && pkg->cards[c].nid < n->id)
            c++;
        for (; c < pkg->card_count && pkg->cards[c].nid == n->id && rc == ALLIANCE_OK; c++) {
            int has = card_id_of(pkg, n, &pkg->cards[c], &id);
            if (has < 0)
                rc = alliance__error_set(&db->error, ALLIANCE_ENOMEM, "out of memory");
            else if (has == 1)
                rc = card_history(&h, id.data, &pkg->cards[c]);
        }
    }
    alliance__buf_free(&id);
    return rc;
}
