/* SPDX-License-Identifier: MIT */
/*
 * store.h - the collection's persistence, as the other rooms of lib/ see it.
 * Implemented by handle.c, config.c and store.c (all SQL text lives in sql.c); used by
 * deck_import.c, deck_export.c, note.c, session.c, stats.c. Nothing here is API.
 *
 * Locking: every public entry point takes the handle's mutex with
 * alliance__db_enter() and releases it with alliance__db_leave(); the
 * alliance__store_* functions below expect the caller to hold it.
 * Errors: alliance__store_* functions record their failure in the handle's
 * error (alliance__db_error) and return its code.
 */
#ifndef ALLIANCE_STORE_H
#define ALLIANCE_STORE_H

#include "core/internal.h"

/* ---- the handle ---- */

/* Locks the handle and clears its error. Returns ALLIANCE_EINVAL for NULL,
 * ALLIANCE_EMISUSE if the handle is in a failed-open state (then it stays unlocked). */
int alliance__db_enter(alliance_db *db);
/* Unlocks; returns rc unchanged so that callers can `return alliance__db_leave(db, rc);`. */
int alliance__db_leave(alliance_db *db, int rc);
alliance__error *alliance__db_error(alliance_db *db);
/* While one of the caller's callbacks runs with the handle's mutex held (the
 * export's write function), calls on that handle from the same thread return
 * ALLIANCE_EMISUSE instead of deadlocking (freeing its iterators and sessions
 * works; alliance_close is refused). `held` (the caller's, on its stack) links
 * the handle to the callbacks it runs inside: a callback may export another
 * collection, and every handle of the chain stays refused until _end. */
typedef struct alliance__held {
    alliance_db *db;
    struct alliance__held *outer; /* the callback this one runs inside, if any */
} alliance__held;
void alliance__db_callback_begin(alliance__held *held, alliance_db *db);
void alliance__db_callback_end(alliance__held *held);
int alliance__db_held_by_callback(const alliance_db *db);
/* The handle's current day number for `now` (offset and rollover applied). */
int alliance__db_today(alliance_db *db, int64_t now, int64_t *out_day);
/* The day number of `unix_seconds` under the handle's offset and the given rollover hour (the
 * config's, read once by a caller that converts many times). */
int alliance__db_day_of(alliance_db *db, uint32_t rollover_hour, int64_t unix_seconds, int64_t *out_day);

/* Keyset paging: every loop that reads rows one call (or one statement) at a
 * time seeks past the key of the last row it read. Only a damaged file (a
 * broken index) can hand back a row whose key does not follow that one, and
 * the loop would then go round for ever; so each loop passes every new key
 * here. The key is `parts` integers compared in order. If *next follows *last
 * it becomes *last and 0 is returned; otherwise ALLIANCE_ECORRUPT, naming the
 * file and `what`, and *last is unchanged. */
#define ALLIANCE__KEY_MAX 4
typedef struct alliance__key {
    int64_t v[ALLIANCE__KEY_MAX];
} alliance__key;
int alliance__key_advance(alliance_db *db, alliance__key *last, const alliance__key *next, int parts,
                          const char *what);

/* Whether `path` names the collection's own file or one SQLite keeps beside it (-wal, -shm,
 * -journal), by any name (a symlink, a hard link, a file not made yet): an export to a file
 * must never replace them. */
int alliance__store_is_own_file(alliance_db *db, const char *path);

/* ---- transactions (BEGIN IMMEDIATE ... COMMIT; nesting is not supported) ---- */
int alliance__store_begin(alliance_db *db);
int alliance__store_commit(alliance_db *db);
void alliance__store_rollback(alliance_db *db); /* safe when no transaction is open */
/* A transaction of many small statements (an import): as _begin, with SQLite's statement
 * journals kept in memory until alliance__store_bulk_end, called after the commit or the
 * rollback (store.c says why). */
int alliance__store_bulk_begin(alliance_db *db);
void alliance__store_bulk_end(alliance_db *db);

/* Several reads in one snapshot: in WAL mode each statement outside a
 * transaction takes and drops its own read lock, which dominated the cost of
 * a session's queue queries. Returns 1 if it began a read transaction (pass
 * that to _read_end), 0 if one was already open or it could not begin (the
 * reads then run on their own, as before). */
int alliance__store_read_begin(alliance_db *db);
void alliance__store_read_end(alliance_db *db, int began);

/* One snapshot for reads whose result must be consistent or complete (an
 * export, verify, replay, statistics): a read transaction, begun unless one is
 * already open. 0 with *out_began (pass it to _read_end), or the failure (the
 * reads must not run). WAL lets other connections write meanwhile; the reads
 * do not see their commits. */
int alliance__store_snapshot_begin(alliance_db *db, int *out_began);

/* ---- decks ---- */

/* Creates or updates the deck called `name`: its description and its sources
 * ("FILE | TITLE" lines joined by '\n'; may be "" or NULL). */
int alliance__store_deck_put(alliance_db *db, const char *name, const char *description, const char *sources,
                             int64_t now, int64_t *out_deck_id);

/* The id of the deck called `name`, created with an empty header if there is none
 * (with id `hint` if positive and free; *out_created, may be NULL, says so). For sync. */
int alliance__store_deck_ensure(alliance_db *db, const char *name, int64_t hint, int64_t *out_deck_id,
                                int *out_created);

/* The decks an export writes: every deck (deck_id 0), or deck_id and, when subdecks, the decks
 * named "NAME::..." under it; by name. *out_ids is a new array (alliance__free). ALLIANCE_ENOTFOUND
 * if deck_id is not a deck. */
int alliance__store_deck_list(alliance_db *db, int64_t deck_id, int subdecks, int64_t **out_ids,
                              uint32_t *out_count);

/* ---- exam mode (deck_exam.c; docs/study-modes.md) ---- */
#include "core/exam.h"

typedef struct alliance__exam_deck {
    int64_t deck_id;
    alliance__exam exam;
} alliance__exam_deck;

/* Deck deck_id's exam (present = 0: none). ALLIANCE_ENOTFOUND if there is no such deck. */
int alliance__store_exam_get(alliance_db *db, int64_t deck_id, alliance__exam *out);
/* Sets (day, final_days) or clears (day = ALLIANCE__NO_DAY) deck deck_id's exam; one UPDATE,
 * stamped for sync by its trigger. The caller holds the write transaction. */
int alliance__store_exam_put(alliance_db *db, int64_t deck_id, int64_t day, uint32_t final_days);
/* The decks (deck_id, or every deck for 0) whose exam is after `today`, at most cap, by id. */
int alliance__store_exam_active(alliance_db *db, int64_t today, int64_t deck_id, alliance__exam_deck *out,
                                size_t cap, size_t *out_count);
/* The pace's N for deck_id on `today` (cards still new + first answers today) and those first answers. */
int alliance__store_exam_new_cards(alliance_db *db, int64_t deck_id, int64_t today, uint32_t *out_at_day_start,
                                   uint32_t *out_introduced_today);

/* The deck's stored header, as new strings (alliance__free each). */
int alliance__store_deck_get(alliance_db *db, int64_t deck_id, char **out_name, char **out_description,
                             char **out_sources);

/* ---- cards (one row per schedulable card; a cloze note gives one row per deletion number) ---- */

typedef struct alliance__card_row {
    const char *id;           /* note id, or "NOTE::cN" for cloze deletion N */
    const char *note_id;
    uint32_t ordinal;         /* N for cloze, 0 otherwise */
    uint32_t type;            /* ALLIANCE_CARD_* */
    const char *front;
    const char *back;         /* "" when absent, never NULL */
    const char *wrong;        /* "" when absent */
    const char *tags;         /* "" when absent */
    const char *source_file;  /* "" when absent */
    const char *source_quote; /* "" when absent */
    int64_t position;         /* the note's index in its deck file; orders list/search/export */
} alliance__card_row;

#define ALLIANCE__PUT_ADDED     1 /* a new card with a new SM-2 state */
#define ALLIANCE__PUT_UPDATED   2 /* text changed; SM-2 state and review log kept */
#define ALLIANCE__PUT_UNCHANGED 3 /* nothing to write */

/* Inserts or updates one card of deck_id, marking it seen by import `generation`
 * (any value unique to this import, e.g. a counter). A card that had been
 * suspended only because an earlier import did not find it is unsuspended;
 * a learner's own suspension is kept. ALLIANCE_EEXISTS (with a message naming
 * both decks) if the id belongs to another deck. *out_result is ALLIANCE__PUT_*. */
int alliance__store_card_put(alliance_db *db, int64_t deck_id, const alliance__card_row *row,
                             int64_t generation, int64_t now, int *out_result);

/* Suspends the card (as the learner's own suspension) and/or buries it until tomorrow, as
 * alliance_card_suspend and alliance_card_bury do, inside the caller's transaction: what an
 * import does to a card it adds that Anki held so. The flags group is stamped (it syncs). */
int alliance__store_card_hold(alliance_db *db, const char *card_id, int suspend, int bury, int64_t now);

/* Ends import `generation` of deck_id: suspends the cards it did not see (never
 * deletes them; a learner's own suspension is kept as it is) and makes it the
 * deck's generation, so that a card is in the deck file iff its generation is the
 * deck's. *out_count is how many cards the previous import saw and this one did
 * not (newly missing from the file, whoever had suspended them). */
int alliance__store_suspend_unseen(alliance_db *db, int64_t deck_id, int64_t generation, int64_t now,
                                   uint32_t *out_count);

/* The deck's generation: its last import's (0 before any). alliance_note_add gives
 * its cards this one, so that they belong to the deck file until an import drops them. */
int alliance__store_deck_generation(alliance_db *db, int64_t deck_id, int64_t *out_generation);

/* ---- reading cards one at a time (card_iter.c) ---- */

/* Where a walk over cards in list order stands. Each step seeks past the key of the last card
 * returned (keyset paging): nothing is held between steps. */
typedef struct alliance__card_cursor {
    int64_t deck_id;         /* 0: every deck */
    const char *text;        /* only cards containing it ("": all); not owned */
    int deck_file_only;      /* only the cards of the deck file as last imported: what an export writes */
    int done;
    alliance__key last;      /* (deck_id, position, ordinal) of the last card returned ... */
    char last_id[512];       /* ... and its id, which breaks ties the same way on every copy */
} alliance__card_cursor;

void alliance__card_cursor_init(alliance__card_cursor *cursor, int64_t deck_id, const char *text, int deck_file_only);
/* The next card (a new alliance_card), or ALLIANCE_DONE; a failure is recorded on the handle. */
int alliance__card_cursor_next(alliance_db *db, alliance__card_cursor *cursor, alliance_card **out);

/* Whether the collection has a card of note `note_id` (its own id, or a cloze card
 * "NOTE::cN"): 0 if not, ALLIANCE_EEXISTS naming the card if so (note ids are unique in a
 * collection: an export writes each note once). */
int alliance__store_note_free(alliance_db *db, const char *note_id);

/* Like alliance_card_search(db, deck_id, NULL) but only the cards of the deck file as last
 * imported (generation equal to the deck's), whoever suspended the others: what an export
 * writes back (the .apkg writer pages through it). */
int alliance__card_search_deck_file(alliance_card_iter **out, alliance_db *db, int64_t deck_id);

/* Calls fn(ctx, card) for every card of the deck file as last imported (what an export
 * writes), in the deck's order, in one pass of one statement: only for a caller holding a
 * snapshot (alliance__store_snapshot_begin). The card and its strings are valid during the
 * call only. Each row's key must follow the last one's (a damaged index: ECORRUPT). Returns
 * 0, a failure, or fn's first non-zero return. */
typedef int (*alliance__card_fn)(void *ctx, const alliance_card *card);
int alliance__store_deck_file_each(alliance_db *db, int64_t deck_id, alliance__card_fn fn, void *ctx);

/* A new generation number for an import (strictly increasing per collection). */
int alliance__store_next_generation(alliance_db *db, int64_t *out_generation);

/* ---- a note's cards (alliance_note_update, alliance_note_delete) ---- */

/* The ids of note_id's cards (its own card, then its cloze deletions) in the deck of the first,
 * with that deck and the deck-file position of the first (imports can leave a basic "x" in one
 * deck beside a cloze "x" in another: the first is the note). count 0 (and no error) when the collection has no such note.
 * Released with alliance__note_cards_free. */
typedef struct alliance__note_cards {
    char **ids;
    size_t count;
    int64_t deck_id;
    int64_t position;
} alliance__note_cards;
int alliance__store_note_cards(alliance_db *db, const char *note_id, alliance__note_cards *out);
void alliance__note_cards_free(alliance__note_cards *cards);

/* A card its note no longer has (a cloze deletion removed, a type changed), treated as an import
 * treats a card its file no longer has: suspended (a learner's own suspension kept as it is) and
 * out of the deck file, its history kept. A later update or import that has it again brings it
 * back (alliance__store_card_put). */
int alliance__store_card_leave_note(alliance_db *db, const char *card_id);

#endif /* ALLIANCE_STORE_H */
