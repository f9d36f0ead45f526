/*
 * deck_write.h - writing decks as text, piece by piece through alliance_write_fn:
 * our format in its canonical form (deck_write.c) and Anki's text (anki_text.c).
 * Nothing here is API.
 */
#ifndef ALLIANCE_DECK_WRITE_H
#define ALLIANCE_DECK_WRITE_H

#include "deck/deck.h"

/* Collects small pieces and hands them to `write` in chunks of about 64 KiB. */
typedef struct alliance__sink {
    alliance_write_fn write;
    void *opaque;
    alliance__buf buf;
    int rc;                 /* the first failure: ALLIANCE_EIO (write said stop) or ALLIANCE_ENOMEM */
} alliance__sink;

void alliance__sink_init(alliance__sink *sink, alliance_write_fn write, void *opaque);
int alliance__sink_put(alliance__sink *sink, const char *data, size_t len);
int alliance__sink_puts(alliance__sink *sink, const char *s);
/* Hands over what is buffered; returns sink->rc. */
int alliance__sink_flush(alliance__sink *sink);
void alliance__sink_free(alliance__sink *sink);

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

/* Anki's "Notes in Plain Text" (docs/anki.md). */
int alliance__anki_write_head(alliance__sink *sink, const alliance__deck_head *head);
int alliance__anki_write_note(alliance__sink *sink, const alliance__deck_head *head, const alliance__note_in *note);

/* Writes a whole in-memory deck in `format` (used by the tests and by export). */
int alliance__deck_write(alliance__sink *sink, const alliance__deck *deck, uint32_t format);

#endif /* ALLIANCE_DECK_WRITE_H */
