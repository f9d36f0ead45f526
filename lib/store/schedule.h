/* SPDX-License-Identifier: MIT */
/*
 * schedule.h - what answer.c, session.c and stats.c need from the store:
 * a card's scheduling columns, whole cards from a statement row, and the
 * review log's rows. Implemented by store.c and review_log.c. The caller
 * holds the handle's mutex; failures are recorded on the handle.
 */
#ifndef ALLIANCE_SCHEDULE_H
#define ALLIANCE_SCHEDULE_H

#include "core/fsrs_text.h"
#include "store/handle.h"
#include "core/fsrs_track.h"

/* "No such day" in last_review_day (never reviewed) and buried_until_day (not
 * buried): day numbers are negative before 1970, so 0 and -1 are real days. */
#define ALLIANCE__NO_DAY INT64_MIN

/* The columns of a card that answering and undo read and write. */
typedef struct alliance__sched {
    int64_t pk;
    int64_t deck_id;
    alliance_sm2_state state;
    int64_t due_day;
    int64_t last_review_day;  /* ALLIANCE__NO_DAY while never reviewed */
    int64_t buried_until_day; /* ALLIANCE__NO_DAY if not buried */
    uint32_t suspended; /* 0, 1 by the learner or as a leech, 2 by an import */
    uint32_t leech;
    uint32_t reviews;
    uint32_t lapses;
    alliance__fsrs_track fsrs; /* the FSRS track: all zeros while the collection is under SM-2 */
} alliance__sched;

/* ALLIANCE_ENOTFOUND (naming the card) if there is no card `card_id`. */
int alliance__store_sched_get(alliance_db *db, const char *card_id, alliance__sched *out);
int alliance__store_sched_put(alliance_db *db, const alliance__sched *sched);
/* The current row of a statement whose first columns are SCHED_GET's, into *out. */
void alliance__store_sched_read(sqlite3_stmt *stmt, alliance__sched *out);

/* A new alliance_card (one block) from the current row of a statement whose
 * columns are ALLIANCE__COL_*. */
int alliance__store_card_from_row(alliance_db *db, sqlite3_stmt *stmt, alliance_card **out);

/* The current row as an alliance_card whose strings point into the statement's columns
 * (valid until the statement steps again): no copy. */
void alliance__store_card_view(sqlite3_stmt *stmt, alliance_card *out);

/* The card with row `pk`, as a new alliance_card. */
int alliance__store_card_by_pk(alliance_db *db, int64_t pk, alliance_card **out);
/* The same by card id (ALLIANCE_ENOTFOUND naming it if there is none). */
int alliance__store_card_by_id(alliance_db *db, const char *card_id, alliance_card **out);

/* One review-log row, as stored. */
typedef struct alliance__review_row {
    int64_t id;
    int64_t card_pk;
    int64_t time;
    int64_t day;
    int32_t grade;
    int64_t elapsed_days;
    uint32_t answer_ms;
    alliance_sm2_state before;
    alliance_sm2_state after;
    alliance_sm2_params params;
    /* what else the answer changed, so that undo restores it exactly */
    int64_t prev_due_day;
    int64_t prev_last_review_day;
    uint32_t prev_lapses;
    uint32_t prev_leech;
    uint32_t leech_suspended; /* 1 if this answer made the card a leech with leech-suspend on */
    char card_id[512]; /* filled by the readers; card ids are at most a few hundred bytes */
    /* recorded with the answer and never changed (docs/sync.md) */
    int64_t origin;           /* the replica that gave it ... */
    int64_t seq;              /* ... and its number there: the review's global id */
    int64_t lamport;          /* its Lamport stamp (the leech rule compares it with the flags') */
    int64_t sort_time;        /* its place in the merged log: (sort_time, origin, seq) */
    int64_t raw_day;          /* the day its device saw */
    uint32_t leech_threshold; /* the leech settings in force */
    uint32_t leech_suspend;
    uint32_t kind;            /* ALLIANCE__KIND_* (core/review_step.h); schema 4 */
    uint32_t fuzz;            /* 1 if fuzz was on for this answer (an input of replay) */
    int32_t fuzz_days;        /* the fuzz it drew: a cache, like `after` */
    /* schema 6: a row an .apkg import wrote from Anki's revlog (docs/anki.md). For such a row
     * `after` is what Anki's schedule was after it (an input, never recomputed) and replay
     * starts the card afresh from it, with these: */
    int64_t import_id;        /* Anki's revlog id (ms); 0 for an answer given here */
    int64_t import_due_day;   /* the card's due day after it */
    uint32_t import_reviews;  /* the card's count of reviews after it */
    uint32_t import_lapses;   /* and of lapses */
    /* schema 5: the scheduler in force when it was answered (ALLIANCE_SCHEDULER_*) and, under
     * FSRS, its parameters as config.fsrs_params's text ('' for the defaults). A record of
     * history, carried by sync; replay does not read it. */
    uint32_t scheduler;
    char fsrs_params[ALLIANCE__FSRS_TEXT_MAX];
} alliance__review_row;

/* A review's place in the merged order of the log. */
typedef struct alliance__log_key {
    int64_t sort_time, origin, seq;
} alliance__log_key;
#define ALLIANCE__LOG_START { INT64_MIN, INT64_MIN, INT64_MIN }

int alliance__log_insert(alliance_db *db, const alliance__review_row *row);
/* The current row of a statement whose columns are ALLIANCE__RCOL_*, into *out. */
void alliance__log_read(sqlite3_stmt *stmt, alliance__review_row *out);
/* The newest answer this replica gave (`origin` = its replica id): 0, or ALLIANCE_ENOUNDO. */
int alliance__log_last_own(alliance_db *db, int64_t origin, alliance__review_row *out);
int alliance__log_delete(alliance_db *db, int64_t review_id);
/* The first row after `after` in the merged order (of card `card_pk`, or of every
 * card when 0): 0, or ALLIANCE_DONE. */
int alliance__log_next(alliance_db *db, const alliance__log_key *after, int64_t card_pk, alliance__review_row *out);
/* Rewrites the replay caches of row r->id (day, elapsed, before/after, prev_*, leech_suspended). */
int alliance__log_cache_put(alliance_db *db, const alliance__review_row *r);

/* One row of the log as alliance__log_scan hands it over. */
typedef struct alliance__scan_row {
    int64_t card_pk;
    const char *card_id; /* valid during the callback only */
    int64_t time;
    int32_t grade;
    int64_t elapsed_days;
    uint32_t answer_ms;
} alliance__scan_row;

/* Returns 0 to go on, or a code that stops the scan (and is returned by it). */
typedef int (*alliance__log_scan_fn)(void *opaque, const alliance__scan_row *row);

/* Hands every row of the log of deck_id (0: every deck) to fn, card after card (by row)
 * and in log order within a card, from one statement: one read snapshot. */
int alliance__log_scan(alliance_db *db, int64_t deck_id, alliance__log_scan_fn fn, void *opaque);

#endif /* ALLIANCE_SCHEDULE_H */
