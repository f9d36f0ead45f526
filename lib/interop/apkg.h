/* SPDX-License-Identifier: MIT */
/*
 * apkg.h - Anki's packages (.apkg), docs/anki.md:
 *   apkg_zip.c    the zip and its members (libzip, libzstd), limits checked before allocating;
 *   apkg_read.c   the embedded collection (SQLite, opened read-only from memory, untrusted)
 *                 read into an alliance__apkg: note types, decks, notes, cards, review log;
 *   anki_sql.c    the SQL we run against Anki's database (not ours: store/sql.c has ours);
 *   apkg_map.c    an alliance__apkg as our in-memory deck (note types mapped, reported);
 *   anki_sched.c  Anki's card state and review log as SM-2 states (pure);
 *   apkg_write.c  a collection's decks written as a legacy package (schema 11).
 * Nothing here is API.
 */
#ifndef ALLIANCE_APKG_H
#define ALLIANCE_APKG_H

#include "deck/deck.h"

#include <sqlite3.h>

/* The limits of docs/anki.md ("Safety"), each checked before anything is allocated for it. */
#define ALLIANCE__APKG_COLLECTION_MAX ((uint64_t)512 << 20) /* the collection, uncompressed */
#define ALLIANCE__APKG_SMALL_MAX      ((uint64_t)1 << 20)   /* meta, media map */
#define ALLIANCE__APKG_MEMBERS_MAX    200000u               /* members of the zip (media included) */
#define ALLIANCE__APKG_NOTES_MAX      1000000u              /* as a deck file's cards */
#define ALLIANCE__APKG_CARDS_MAX      4000000u
#define ALLIANCE__APKG_REVLOG_MAX     20000000u
#define ALLIANCE__APKG_NOTETYPES_MAX  10000u
#define ALLIANCE__APKG_FIELDS_MAX     256u                  /* fields of a note type */
#define ALLIANCE__APKG_DECKS_MAX      ALLIANCE__DECK_DECKS_MAX

/* How a note type's notes become ours (docs/anki.md, "Note types"). */
enum {
    ALLIANCE__ANKI_BASIC = 1,        /* "Basic": one basic card from the first two fields */
    ALLIANCE__ANKI_REVERSED,         /* "Basic (and reversed card)", "(optional reversed card)": a reverse card too */
    ALLIANCE__ANKI_CLOZE,            /* a cloze note type: our cloze note */
    ALLIANCE__ANKI_OTHER,            /* anything else: a basic card from its first two fields, reported */
};

typedef struct alliance__anki_notetype {
    int64_t id;
    uint32_t name;                   /* offset into pkg->strings */
    uint32_t kind;                   /* Anki's: 0 standard, 1 cloze */
    uint32_t templates;              /* how many card templates */
    uint32_t field_count;
    uint32_t field_name[ALLIANCE__APKG_FIELDS_MAX]; /* offsets, by field order */
    uint32_t map;                    /* ALLIANCE__ANKI_* */
    uint32_t notes;                  /* notes of this type in the package */
} alliance__anki_notetype;

typedef struct alliance__anki_deck {
    int64_t id;
    uint32_t name;                   /* "A::B", as in schema 11 (schema 18's 0x1f separators replaced) */
} alliance__anki_deck;

typedef struct alliance__anki_note {
    int64_t id;
    int64_t mid;                     /* its note type */
    uint32_t guid;                   /* offsets into pkg->strings */
    uint32_t fields;                 /* the fields joined by 0x1f, as Anki stores them */
    uint32_t tags;
} alliance__anki_note;

/* A card as Anki stores it (docs/anki.md, "Scheduling"). */
typedef struct alliance__anki_card {
    int64_t id, nid, did, odid;
    uint32_t ord;
    int32_t type;                    /* 0 new, 1 learning, 2 review, 3 relearning */
    int32_t queue;                   /* -3 buried by the user, -2 buried as a sibling, -1 suspended, 0..4 */
    int64_t due;                     /* new: position; review: day since crt; learning: Unix seconds */
    int64_t odue;
    int64_t ivl;                     /* days (negative: seconds, learning) */
    int64_t factor;                  /* ease in permille (2500 = 2.5) */
    int64_t reps, lapses;
} alliance__anki_card;

typedef struct alliance__anki_revlog {
    int64_t id;                      /* milliseconds since 1970: when the answer was given */
    int64_t cid;
    int32_t ease;                    /* the button: 1 again, 2 hard, 3 good, 4 easy; 0 = not an answer */
    int32_t type;                    /* 0 learn, 1 review, 2 relearn, 3 filtered, 4 manual, 5 rescheduled */
    int64_t ivl, last_ivl;           /* days, or negative seconds */
    int64_t factor;
    int64_t time_ms;                 /* how long the answer took */
} alliance__anki_revlog;

typedef struct alliance__apkg {
    char where[300];                 /* "PACKAGE:MEMBER", the name errors use */
    uint32_t schema;                 /* 11 (legacy) or 18 (current) */
    int64_t crt;                     /* the collection's creation, Unix seconds (day 0 of its review days) */
    uint32_t sched_ver;              /* Anki's scheduler: 1 (3 buttons while learning), 2 or 3 */
    uint32_t sched_guessed;          /* 1 if col.conf said none (sched_ver is the schema's default) */
    uint32_t media;                  /* media files the package holds */
    alliance__buf strings;           /* arena: offset 0 is "" */
    alliance__anki_notetype *notetypes;
    uint32_t notetype_count, notetype_cap;
    alliance__anki_deck *decks;
    uint32_t deck_count, deck_cap;
    alliance__anki_note *notes;
    uint32_t note_count, note_cap;
    alliance__anki_card *cards;      /* by note, then ordinal */
    uint32_t card_count, card_cap;
    alliance__anki_revlog *revlog;   /* by card, then time */
    uint32_t revlog_count, revlog_cap;
    char error[512];                 /* the failure, naming the member */
} alliance__apkg;

void alliance__apkg_init(alliance__apkg *pkg);
void alliance__apkg_free(alliance__apkg *pkg);

static inline const char *alliance__apkg_str(const alliance__apkg *pkg, uint32_t offset)
{
    return pkg->strings.data + offset;
}

/* Reads a package from the file `path` (members are read one by one: media are never loaded),
 * or from `len` bytes of `data` when path is NULL; `name` names it in messages. Returns 0,
 * ALLIANCE_EPARSE (not a package, a hostile or damaged member), ALLIANCE_ELIMIT (a member or
 * a count past its limit), ALLIANCE_ENOTFOUND / ALLIANCE_EIO (the file), ALLIANCE_ENOMEM;
 * pkg->error says what and which member. */
int alliance__apkg_read(alliance__apkg *pkg, const char *name, const char *path, const char *data, size_t len);

/* ---- apkg_zip.c: the members ---- */

typedef struct alliance__apkg_zip alliance__apkg_zip;

/* Opens the zip (file or memory) and checks every member's name. */
int alliance__apkg_zip_open(alliance__apkg_zip **out, alliance__apkg *pkg, const char *path, const char *data,
                            size_t len);
void alliance__apkg_zip_close(alliance__apkg_zip *zip);
/* 1 if the package has a member called `name`. */
int alliance__apkg_zip_has(alliance__apkg_zip *zip, const char *name);
/* The member `name`, uncompressed, at most `max` bytes (else ALLIANCE_ELIMIT): a new buffer;
 * with zstd, a zstd frame inside it is decompressed too (also within max). */
int alliance__apkg_zip_read(alliance__apkg_zip *zip, alliance__apkg *pkg, const char *name, uint64_t max, int zstd,
                            alliance__buf *out);

/* ---- apkg_read.c / anki_sql.c: the embedded database ---- */

/* The SQL run against the package's collection, by name (anki_sql.c). */
typedef enum alliance__anki_sql_id {
    ALLIANCE__ANKI_SQL_COL,
    ALLIANCE__ANKI_SQL_NOTETYPES_11,
    ALLIANCE__ANKI_SQL_FIELDS_11,
    ALLIANCE__ANKI_SQL_DECKS_11,
    ALLIANCE__ANKI_SQL_NOTETYPES_18,
    ALLIANCE__ANKI_SQL_FIELDS_18,
    ALLIANCE__ANKI_SQL_TEMPLATES_18,
    ALLIANCE__ANKI_SQL_DECKS_18,
    ALLIANCE__ANKI_SQL_NOTES,
    ALLIANCE__ANKI_SQL_CARDS,
    ALLIANCE__ANKI_SQL_REVLOG,
    /* writing a legacy package (apkg_write.c) */
    ALLIANCE__ANKI_SQL_INSERT_COL,
    ALLIANCE__ANKI_SQL_INSERT_NOTE,
    ALLIANCE__ANKI_SQL_INSERT_CARD,
    ALLIANCE__ANKI_SQL_INSERT_REVLOG,
    ALLIANCE__ANKI_SQL_REBASE_DUE,
    ALLIANCE__ANKI_SQL_N
} alliance__anki_sql_id;

const char *alliance__anki_sql(alliance__anki_sql_id id);

/* The schema-11 collection a legacy package holds, written by apkg_write.c (anki_sql.c). */
const char *const *alliance__anki_sql_schema11(void);

/* ---- apkg_map.c: the package as our notes ---- */

/* Fills *deck (initialised by the caller, its file name the package's) with the package's
 * notes, one deck per Anki deck that holds one; note types are mapped as docs/anki.md says and
 * what was read in a lossy way is appended to *notices, one line each. Errors are recorded in
 * deck as "PACKAGE:MEMBER:ROW:FIELD: message" (ROW is the note's row in the notes table, FIELD
 * the field's number). Returns alliance__deck_result(deck). */
int alliance__apkg_to_deck(alliance__apkg *pkg, alliance__deck *deck, alliance__buf *notices);

/* ---- anki_sched.c: scheduling (pure) ---- */

/* One card's schedule as SM-2 sees it: what an import records as the card's state. */
typedef struct alliance__anki_schedule {
    alliance_sm2_state state;
    int64_t due_day;                 /* our day number */
    int64_t last_review_day;         /* our day number, or INT64_MIN if never reviewed */
    uint32_t reviews;                /* answers in its log (Anki's reps) */
    uint32_t lapses;
    uint32_t suspended;              /* 1 if Anki's queue is -1 */
    uint32_t buried;                 /* 1 if Anki's queue is -2 or -3 */
} alliance__anki_schedule;

/* The SM-2 grade (0..5) of an answer in Anki's review log, or -1 for a row that is not an
 * answer (ease 0, a manual or rescheduling row). buttons is 3 for the learning rows of
 * Anki's first scheduler (Again, Good, Easy), else 4. */
int alliance__anki_grade(int32_t ease, int32_t type, int buttons);

/* The schedule of `card` from its state and its review log (log[0..n), oldest first).
 * crt_day is our day number of the collection's creation (the day Anki's review "due" counts
 * from); day_of converts Unix seconds to our day number. Returns 0, or ALLIANCE_ESTATE for a
 * state Anki cannot have written (a negative interval on a review card...). */
int alliance__anki_schedule_of(const alliance__anki_card *card, const alliance__anki_revlog *log, size_t n,
                               int64_t crt_day, uint32_t min_efactor_milli, uint32_t initial_efactor_milli,
                               int64_t (*day_of)(void *ctx, int64_t unix_seconds), void *ctx,
                               alliance__anki_schedule *out);

/* ---- apkg_write.c ---- */

/* Writes the decks `ids` (n of them) of db as a legacy package (schema 11) to `write`. */
int alliance__apkg_export(alliance_db *db, const int64_t *ids, uint32_t n, int64_t now, alliance_write_fn write,
                          void *opaque);

#endif /* ALLIANCE_APKG_H */
