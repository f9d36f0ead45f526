/* SPDX-License-Identifier: MIT */
/*
 * formats.h - reading and writing a whole in-memory deck in any of the text
 * formats the API names (ALLIANCE_FORMAT_*): the one place that dispatches on
 * the format, so that our format (lib/deck) and Anki's (lib/interop) need not
 * know each other. Nothing here is API.
 */
#ifndef ALLIANCE_FORMATS_H
#define ALLIANCE_FORMATS_H

#include "deck/deck.h"
#include "deck/sink.h"

/* Reads either format (ALLIANCE_FORMAT_DECK or ALLIANCE_FORMAT_ANKI_TEXT) into *deck;
 * default_name names the deck when an Anki file does not (may be NULL). */
int alliance__deck_read(alliance__deck *deck, const char *data, size_t len, uint32_t format,
                        const char *default_name);

/* Writes a whole in-memory deck in `format` (used by the tests and by export). */
int alliance__deck_write(alliance__sink *sink, const alliance__deck *deck, uint32_t format);

/* What an .apkg import did with Anki's review log (apkg_history.c). */
typedef struct alliance__history_counts {
    uint32_t added;   /* answers written as imported review rows */
    uint32_t held;    /* answers the collection already held (a re-import) */
    uint32_t skipped; /* answers of cards answered here since: our schedule wins */
    uint32_t cards;   /* cards whose schedule the import set */
} alliance__history_counts;

struct alliance__apkg;
/* Writes the package's schedules and review log (docs/anki.md) into the collection, inside the
 * caller's transaction, after its notes were stored. */
int alliance__apkg_history_put(alliance_db *db, const struct alliance__apkg *pkg, alliance__history_counts *counts);

#endif /* ALLIANCE_FORMATS_H */
