/* SPDX-License-Identifier: MIT */
/*
 * deck.h - a deck held in memory: what the two readers (deck_parse.c for our
 * format, anki_text.c for Anki's) build and what the importer and the writers
 * read. No SQLite here. Nothing here is API.
 *
 * Strings live in one arena (deck->strings) and notes refer to them by
 * offset, so a million-card deck costs a few allocations, not millions.
 */
#ifndef ALLIANCE_DECK_H
#define ALLIANCE_DECK_H

#include "core/internal.h"
#include "core/text.h"

#include <stdint.h>

/* The limits of docs/deck-format.md; checked before anything is allocated for them. */
#define ALLIANCE__DECK_FILE_MAX    ((size_t)64 << 20) /* bytes in a file */
#define ALLIANCE__DECK_VALUE_MAX   ((size_t)1 << 20)  /* bytes in a value (and a line) */
#define ALLIANCE__DECK_CARDS_MAX   1000000u           /* notes in a deck */
#define ALLIANCE__DECK_WRONG_MAX   16u                /* wrong options per choice card */
#define ALLIANCE__DECK_SOURCES_MAX 256u               /* sources in a file (all its decks) */
#define ALLIANCE__DECK_DECKS_MAX   4096u              /* decks one file names (Anki text, .apkg) */
#define ALLIANCE__DECK_ID_MAX      ALLIANCE__CARD_ID_MAX /* bytes in a card id (core/text.h) */
#define ALLIANCE__DECK_ERRORS_SHOWN 20u               /* errors kept as text; all are counted */

/* A note's strings, by index into alliance__deck_note.field. */
enum {
    ALLIANCE__F_ID,
    ALLIANCE__F_FRONT,  /* basic front, cloze text, choice question */
    ALLIANCE__F_BACK,   /* basic back, cloze extra, choice answer */
    ALLIANCE__F_WRONG,  /* choice: wrong options joined by '\n' */
    ALLIANCE__F_TAGS,   /* tags joined by one space */
    ALLIANCE__F_SOURCE,
    ALLIANCE__F_QUOTE,
    ALLIANCE__F_COUNT
};

typedef struct alliance__deck_note {
    uint32_t type;                      /* ALLIANCE_CARD_* */
    uint32_t line;                      /* where the note starts in its file (1-based) */
    uint32_t deck;                      /* 0: the file's deck (deck->name); i: deck->more[i - 1] */
    uint32_t field[ALLIANCE__F_COUNT];  /* offsets into deck->strings; 0 is "" */
} alliance__deck_note;

/* A further deck of a file that names several (Anki text, .apkg): offsets into the arena. */
typedef struct alliance__deck_entry {
    uint32_t name, description, sources;
} alliance__deck_entry;

/* A card an Anki package holds suspended or buried (interop/apkg_map.c): a card an import adds
 * is added so (docs/anki.md, "Suspended and buried cards"). */
#define ALLIANCE__HOLD_SUSPENDED 1u
#define ALLIANCE__HOLD_BURIED 2u
typedef struct alliance__deck_hold {
    uint32_t note;                      /* index into deck->notes */
    uint32_t ordinal;                   /* the card's ordinal: a cloze deletion's number, else 0 */
    uint32_t what;                      /* ALLIANCE__HOLD_* */
} alliance__deck_hold;

typedef struct alliance__deck {
    const char *file;                  /* the name used in messages */
    alliance__buf strings;             /* arena: offset 0 holds "" */
    uint32_t name, description;        /* offsets */
    uint32_t tags;                     /* tags every note has (Anki's #tags:), held once: see alliance__note_tags */
    uint32_t sources;                  /* "FILE | TITLE" lines joined by '\n' */
    uint32_t source_file[ALLIANCE__DECK_SOURCES_MAX]; /* offsets of the FILE parts */
    uint32_t source_title[ALLIANCE__DECK_SOURCES_MAX]; /* offsets of the TITLE parts */
    uint32_t source_deck[ALLIANCE__DECK_SOURCES_MAX]; /* the deck (index) whose header lists it */
    uint32_t source_count;
    alliance__deck_entry *more;        /* decks 1.. of a file that names several; deck 0 is name/description/sources */
    uint32_t more_count, more_cap;
    alliance__deck_note *notes;
    uint32_t note_count, note_cap;
    alliance__deck_hold *holds;        /* by note, in the order added; only an .apkg has any */
    uint32_t hold_count, hold_cap;
    uint32_t *id_set;                  /* open addressing: note index + 1, 0 = empty */
    uint32_t id_set_cap;               /* a power of two, or 0 */
    uint32_t error_count;              /* every error found */
    alliance__buf errors;              /* the first ALLIANCE__DECK_ERRORS_SHOWN, one per line */
    int limit_hit;                     /* an error was a limit: the result is ALLIANCE_ELIMIT */
    int oom;                           /* an allocation failed: the result is ALLIANCE_ENOMEM */
} alliance__deck;

void alliance__deck_init(alliance__deck *deck, const char *file);
void alliance__deck_free(alliance__deck *deck);

/* 0 if no error was recorded, else ALLIANCE_ENOMEM, ALLIANCE_ELIMIT or ALLIANCE_EPARSE. */
int alliance__deck_result(const alliance__deck *deck);

static inline const char *alliance__deck_str(const alliance__deck *deck, uint32_t offset)
{
    return deck->strings.data + offset;
}
static inline const char *alliance__note_str(const alliance__deck *deck, const alliance__deck_note *note, int f)
{
    return deck->strings.data + note->field[f];
}

/* A note's tags as stored and exported: its own, then the deck's (deck->tags), joined by one
 * space into *out (emptied first). Joined here, at use, so that a file's tags are held once
 * and not copied into every note. ALLIANCE_ENOMEM. */
int alliance__note_tags(const alliance__deck *deck, const alliance__deck_note *note, alliance__buf *out);

/* Records "FILE:LINE:COLUMN: message". code is ALLIANCE_EPARSE or ALLIANCE_ELIMIT. */
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
void alliance__deck_error(alliance__deck *deck, uint32_t line, uint32_t column, int code, const char *fmt, ...);

/* Copies len bytes into the arena; *out is the offset. ALLIANCE_ENOMEM or ALLIANCE_ELIMIT. */
int alliance__deck_intern(alliance__deck *deck, const char *s, size_t len, uint32_t *out);

/* Records that card `ordinal` of note `note` (the last note added, or an earlier one: notes
 * in increasing order) is held (ALLIANCE__HOLD_*). ALLIANCE_ENOMEM. */
int alliance__deck_hold_add(alliance__deck *deck, uint32_t note, uint32_t ordinal, uint32_t what);

/* The ALLIANCE__HOLD_* flags of card `ordinal` of note `note` (0: none). */
uint32_t alliance__deck_hold_of(const alliance__deck *deck, uint32_t note, uint32_t ordinal);

/* The note with this id, or NULL. */
const alliance__deck_note *alliance__deck_find(const alliance__deck *deck, const char *id);

/* Appends a validated note (strings already interned). ALLIANCE_EEXISTS if its id is taken
 * (*out_first then points at the note that has it), ALLIANCE_ELIMIT past
 * ALLIANCE__DECK_CARDS_MAX, ALLIANCE_ENOMEM. Does not record an error itself. */
int alliance__deck_add(alliance__deck *deck, const alliance__deck_note *note,
                       const alliance__deck_note **out_first);

/* Adds a header source "FILE | TITLE" to deck 0. ALLIANCE_EEXISTS, ALLIANCE_ELIMIT, ALLIANCE_ENOMEM. */
int alliance__deck_add_source(alliance__deck *deck, const char *file, size_t file_len,
                              const char *title, size_t title_len);
/* The same for deck `index` (a FILE is listed once per deck). */
int alliance__deck_add_source_to(alliance__deck *deck, uint32_t index, const char *file, size_t file_len,
                                 const char *title, size_t title_len);
/* 1 if FILE is one of the sources the file lists (for any of its decks). */
int alliance__deck_has_source(const alliance__deck *deck, const char *file);
/* Lists, in the header of each note's own deck, a source the note cites that only another deck
 * of the file lists (with that deck's title), so that every deck converts to our format alone. */
int alliance__deck_complete_sources(alliance__deck *deck);

/* ---- the decks of a file: deck 0 is deck->name/description/sources, the others deck->more ---- */

static inline uint32_t alliance__deck_count(const alliance__deck *deck)
{
    return 1 + deck->more_count;
}
/* Deck `index`'s name, description and sources, as offsets. */
alliance__deck_entry alliance__deck_entry_at(const alliance__deck *deck, uint32_t index);
/* The index of the further deck called name (len bytes), added when new: never deck 0, whose name
 * the reader decides. ALLIANCE_ELIMIT past ALLIANCE__DECK_DECKS_MAX, ALLIANCE_ENOMEM. */
int alliance__deck_more(alliance__deck *deck, const char *name, size_t len, uint32_t *out_index);
/* Sets deck `index`'s description (an offset into the arena). */
void alliance__deck_set_description(alliance__deck *deck, uint32_t index, uint32_t description);

/* ---- one note's rules, shared by the parser, the Anki reader and alliance_note_add ---- */

/* A note as plain strings; NULL means the key is absent, "" that it is present but empty. */
typedef struct alliance__note_in {
    uint32_t type;          /* ALLIANCE_CARD_*, or 0 when the type is unknown or missing */
    const char *id;
    const char *field[ALLIANCE__F_COUNT]; /* field[ALLIANCE__F_ID] is ignored */
} alliance__note_in;

/* Called for each problem: field (ALLIANCE__F_*, or -1 for the note as a whole), the byte
 * offset inside that field's value where the problem is, and the message. */
typedef void (*alliance__note_problem_fn)(void *ctx, int field, size_t offset, int code, const char *message);

/* The tag that marks a choice card exported as an Anki Basic note (docs/anki.md); reserved:
 * no card may carry it as a tag of its own. */
#define ALLIANCE__CHOICE_TAG "alliance::choice"

#define ALLIANCE__CHECK_EMPTY_OPTIONAL 0x1u /* an optional key present with "" is an error */
#define ALLIANCE__CHECK_BYTES_DONE     0x2u /* every byte was checked as ALLIANCE__TEXT_BYTES already */

/* Checks every rule of docs/deck-format.md for one note (id, required and empty fields,
 * the text rule of core/text.h for every value, cloze deletions, wrong options, one-line
 * values, source listed in `deck` when deck is non-NULL, quote needs source). Returns the
 * number of problems reported. */
unsigned alliance__note_check(const alliance__note_in *note, const alliance__deck *deck, unsigned flags,
                              alliance__note_problem_fn problem, void *ctx);

/* The key name of a field for this type ("front", "text", "question"...). */
const char *alliance__field_key(uint32_t type, int field);
/* "basic", "cloze", "choice" (or "?"). */
const char *alliance__type_name(uint32_t type);

/* Appends `value` to buf in the form every reader produces: each line's surrounding blanks
 * removed, blank lines dropped, "\r\n" read as "\n". Tags: runs of blanks become one space. */
int alliance__value_normalise(alliance__buf *buf, const char *value, size_t len);
int alliance__tags_normalise(alliance__buf *buf, const char *value, size_t len);

/* ---- what alliance_deck_check and the importer hand back ---- */

/* Cards the deck's notes make (a cloze note makes one per deletion number). */
uint32_t alliance__deck_card_count(const alliance__deck *deck);

typedef struct alliance__report_counts {
    int64_t deck_id;
    uint32_t added, updated, unchanged, suspended;
} alliance__report_counts;

/* One deck of an import: its index in the file (alliance__deck_entry_at) and its counts. */
typedef struct alliance__report_deck {
    uint32_t index;
    alliance__report_counts counts;
} alliance__report_deck;

/* What a report holds besides the counts: the decks one by one, the media a package holds,
 * and what was read in a lossy way (one line each). All may be 0 / NULL. */
typedef struct alliance__report_extra {
    const alliance__report_deck *decks;
    uint32_t deck_count;
    uint32_t media;
    const char *notices;
} alliance__report_extra;

/* A report in one block (struct, deck names and errors text) freed with alliance_free.
 * deck may be NULL (no name, no errors); extra may be NULL. ALLIANCE_ENOMEM. */
int alliance__report_make(alliance_import_report **out, const alliance__deck *deck,
                          const alliance__report_counts *counts, const alliance__report_extra *extra);

#endif /* ALLIANCE_DECK_H */
