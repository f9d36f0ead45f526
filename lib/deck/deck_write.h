/* SPDX-License-Identifier: MIT */
/*
 * deck_write.h - writing our deck format in its canonical form, piece by piece
 * through a sink. Nothing here is API.
 */
#ifndef ALLIANCE_DECK_WRITE_H
#define ALLIANCE_DECK_WRITE_H

#include "deck/deck.h"
#include "deck/sink.h"

/* A deck's header as the writers need it. sources: "FILE | TITLE" lines joined by '\n'. */
typedef struct alliance__deck_head {
    const char *name;
    const char *description; /* may be NULL or "" */
    const char *sources;     /* may be NULL or "" */
} alliance__deck_head;

/* Our format: the header block, then one block per note (alliance__note_in with every
 * absent field NULL or ""). The output is the canonical form: the parser reads it back to
 * the same deck, and writing that deck again gives the same bytes. */
int alliance__deck_write_head(alliance__sink *sink, const alliance__deck_head *head);
int alliance__deck_write_note(alliance__sink *sink, const alliance__note_in *note);

#endif /* ALLIANCE_DECK_WRITE_H */
