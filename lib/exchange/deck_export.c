/* SPDX-License-Identifier: MIT */
/* deck_export.c - a collection's deck back to text (our format or Anki's), streamed card by card. */
#include "deck/deck.h"
#include "deck/deck_write.h"
#include "interop/anki_text.h"
#include "store/store.h"

#include <string.h>

/* Remembers the notes written (a cloze note's cards give one note, written at its first card).
 * 0 if `note_id` is new, 1 if it was written already, or a failure code. */
static int written_before(alliance__deck *written, const char *note_id)
{
    if (alliance__deck_find(written, note_id))
        return 1;
    alliance__deck_note seen;
    memset(&seen, 0, sizeof seen);
    int rc = alliance__deck_intern(written, note_id, strlen(note_id), &seen.field[ALLIANCE__F_ID]);
    if (!rc)
        rc = alliance__deck_add(written, &seen, NULL);
    return rc == ALLIANCE_ELIMIT ? ALLIANCE_ELIMIT : rc ? ALLIANCE_ENOMEM : 0;
}

static void write_card(alliance__sink *sink, const alliance__deck_head *head, const alliance_card *card, int anki)
{
    alliance__note_in note;
    memset(&note, 0, sizeof note);
    note.type = card->type;
    note.id = card->note_id;
    note.field[ALLIANCE__F_FRONT] = card->front;
    note.field[ALLIANCE__F_BACK] = card->back;
    note.field[ALLIANCE__F_WRONG] = card->wrong;
    note.field[ALLIANCE__F_TAGS] = card->tags;
    note.field[ALLIANCE__F_SOURCE] = card->source_file;
    note.field[ALLIANCE__F_QUOTE] = card->source_quote;
    if (anki)
        alliance__anki_write_note(sink, head, &note);
    else
        alliance__deck_write_note(sink, &note);
}

typedef struct export_state {
    alliance_db *db;
    alliance__sink *sink;
    const alliance__deck_head *head;
    int anki;
    alliance__deck written; /* the ids of the notes written */
} export_state;

static int export_card(void *ctx, const alliance_card *card)
{
    export_state *e = ctx;
    int seen = written_before(&e->written, card->note_id);
    if (seen < 0)
        return alliance__error_set(alliance__db_error(e->db), seen,
                                   "alliance_deck_export: too many notes to remember which were written");
    if (!seen)
        write_card(e->sink, e->head, card, e->anki);
    return e->sink->rc ? 1 : 0; /* the sink failed: stop (reported below) */
}

/* The export itself, with the handle held and inside one read transaction: the header and
 * every card come from one snapshot, whatever other connections commit meanwhile. */
static int export_snapshot(alliance_db *db, int64_t deck_id, int anki, alliance__sink *sink)
{
    char *name = NULL, *description = NULL, *sources = NULL;
    int rc = alliance__store_deck_get(db, deck_id, &name, &description, &sources);
    if (rc)
        return rc;
    alliance__deck_head head = {name, description, sources};
    if (anki)
        alliance__anki_write_head(sink, &head);
    else
        alliance__deck_write_head(sink, &head);
    /* Cards come one at a time in the deck's order (one statement: the snapshot is held
     * anyway); a cloze note's cards give one note, written at its first card. */
    export_state e = {db, sink, &head, anki, {0}};
    alliance__deck_init(&e.written, "");
    if (!sink->rc)
        rc = alliance__store_deck_file_each(db, deck_id, export_card, &e);
    if (rc == 1)
        rc = 0; /* stopped by the sink: its failure is reported below */
    alliance__deck_free(&e.written);
    if (!rc)
        rc = alliance__sink_flush(sink);
    if (!rc && sink->rc)
        rc = sink->rc;
    if (rc == ALLIANCE_EIO && sink->rc == ALLIANCE_EIO)
        rc = alliance__error_set(alliance__db_error(db), rc, "alliance_deck_export: the write callback asked to stop");
    else if (rc == ALLIANCE_ENOMEM && sink->rc == ALLIANCE_ENOMEM)
        rc = alliance__error_set(alliance__db_error(db), rc, "alliance_deck_export: out of memory");
    alliance__free(name);
    alliance__free(description);
    alliance__free(sources);
    return rc;
}

int alliance_deck_export(alliance_db *db, int64_t deck_id, uint32_t format, alliance_write_fn write, void *opaque)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!write || deck_id <= 0 || (format != ALLIANCE_FORMAT_DECK && format != ALLIANCE_FORMAT_ANKI_TEXT))
        return alliance__db_leave(db, alliance__error_set(alliance__db_error(db), ALLIANCE_EINVAL, "%s",
                                                          !write ? "alliance_deck_export: write is NULL"
                                                          : deck_id <= 0 ? "alliance_deck_export: deck_id is not a deck"
                                                                         : "alliance_deck_export: unknown format"));
    alliance__sink sink;
    alliance__sink_init(&sink, write, opaque);
    int began = 0;
    rc = alliance__store_snapshot_begin(db, &began);
    if (rc == ALLIANCE_OK) {
        /* The callback runs with the handle held: calls back into it are refused, not deadlocked. */
        alliance_db *previous = alliance__db_callback_begin(db);
        rc = export_snapshot(db, deck_id, format == ALLIANCE_FORMAT_ANKI_TEXT, &sink);
        alliance__db_callback_end(previous);
        alliance__store_read_end(db, began);
    }
    alliance__sink_free(&sink);
    return alliance__db_leave(db, rc);
}
