/* SPDX-License-Identifier: MIT */
/*
 * deck_export.c - a collection's decks back to text (our format or Anki's) or to
 * an .apkg, streamed card by card. Every export holds the handle and reads one
 * snapshot (one read transaction) from its first read to its last, so that it
 * is the whole of the decks as they were when it began, whatever other
 * connections commit meanwhile. The caller's write function runs inside it:
 * calls back into the same handle from there are refused (ALLIANCE_EMISUSE),
 * other handles may read and write (alliance.h, alliance_write_fn).
 * To a file: export_file.c.
 */
#include "deck/deck.h"
#include "deck/deck_write.h"
#include "interop/anki_text.h"
#include "interop/apkg.h"
#include "store/store.h"

#include <string.h>

/* Records a failure noticed outside the lock (the store functions record their own). */
static int fail(alliance_db *db, int rc, const char *message)
{
    if (alliance__db_enter(db) != 0)
        return rc;
    return alliance__db_leave(db, alliance__error_set(alliance__db_error(db), rc, "%s", message));
}

/* ---- the caller's write function, run with the handle held ---- */

typedef struct guarded {
    alliance_db *db;
    alliance_write_fn write;
    void *opaque;
} guarded;

/* Calls the caller's function marked as a callback of this handle: a call back into the
 * handle from inside it gets ALLIANCE_EMISUSE instead of running inside the export. */
static int guarded_write(void *opaque, const char *data, size_t len)
{
    guarded *g = opaque;
    alliance_db *previous = alliance__db_callback_begin(g->db);
    int rc = g->write(g->opaque, data, len);
    alliance__db_callback_end(previous);
    return rc;
}

/* ---- text: our format (one deck) or Anki text (every deck in one file) ---- */

/* A card of the deck file as the writers take a note (a cloze note: at its first card). */
static void card_note(const alliance_card *card, alliance__note_in *note)
{
    memset(note, 0, sizeof *note);
    note->type = card->type;
    note->id = card->note_id;
    note->field[ALLIANCE__F_FRONT] = card->front;
    note->field[ALLIANCE__F_BACK] = card->back;
    note->field[ALLIANCE__F_WRONG] = card->wrong;
    note->field[ALLIANCE__F_TAGS] = card->tags;
    note->field[ALLIANCE__F_SOURCE] = card->source_file;
    note->field[ALLIANCE__F_QUOTE] = card->source_quote;
}

static int find_markup(void *ctx, const alliance_card *card)
{
    alliance__note_in note;
    card_note(card, &note);
    *(int *)ctx = alliance__anki_markup(&note);
    return *(int *)ctx; /* 1 stops the pass: one is enough */
}

/* *out_html = 1 if a card of the decks holds markup: Anki text then says #html:true (a first
 * pass over the cards, streamed like the second, as the header comes before every row). */
static int scan_markup(alliance_db *db, const int64_t *ids, uint32_t n, int *out_html)
{
    *out_html = 0;
    for (uint32_t d = 0; d < n && !*out_html; d++) {
        int rc = alliance__store_deck_file_each(db, ids[d], find_markup, out_html);
        if (rc < 0)
            return rc;
    }
    return ALLIANCE_OK;
}

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

typedef struct note_writer {
    alliance_db *db;
    alliance__sink *sink;
    const char *deck_name;
    int anki, html;
    alliance__deck written; /* the ids of the notes written */
} note_writer;

static int write_card(void *ctx, const alliance_card *card)
{
    note_writer *w = ctx;
    int seen = written_before(&w->written, card->note_id);
    if (seen < 0)
        return alliance__error_set(alliance__db_error(w->db), seen,
                                   "alliance_deck_export: too many notes to remember which were written");
    if (!seen) {
        alliance__note_in note;
        card_note(card, &note);
        if (w->anki)
            alliance__anki_write_note(w->sink, w->deck_name, &note, w->html);
        else
            alliance__deck_write_note(w->sink, &note);
    }
    return w->sink->rc ? 1 : 0; /* the sink failed: stop (reported by the caller) */
}

/* One deck's notes, in the deck's order, in one pass of one statement. */
static int write_notes(alliance_db *db, int64_t deck_id, const char *deck_name, int anki, int html,
                       alliance__sink *sink)
{
    note_writer w = {db, sink, deck_name, anki, html, {0}};
    alliance__deck_init(&w.written, "");
    int rc = alliance__store_deck_file_each(db, deck_id, write_card, &w);
    alliance__deck_free(&w.written);
    return rc == 1 ? ALLIANCE_OK : rc;
}

/* The decks as text, with the handle held and inside the export's snapshot. */
static int export_text(alliance_db *db, const int64_t *ids, uint32_t n, uint32_t format, alliance__sink *sink)
{
    int anki = format == ALLIANCE_FORMAT_ANKI_TEXT;
    int html = 0;
    int rc = anki ? scan_markup(db, ids, n, &html) : 0;
    if (rc)
        return rc;
    char **names = alliance__calloc(n ? n : 1, sizeof *names);
    if (!names)
        return alliance__error_set(alliance__db_error(db), ALLIANCE_ENOMEM, "alliance_deck_export: out of memory");
    for (uint32_t d = 0; d < n && !rc && !sink->rc; d++) {
        char *description = NULL, *sources = NULL;
        rc = alliance__store_deck_get(db, ids[d], &names[d], &description, &sources);
        if (rc)
            break;
        alliance__deck_head head = {names[d], description, sources};
        if (!anki)
            alliance__deck_write_head(sink, &head);
        else if (d == 0)
            alliance__anki_write_head(sink, &head, html);
        else
            alliance__anki_write_deck_head(sink, &head);
        alliance__free(description);
        alliance__free(sources);
    }
    for (uint32_t d = 0; d < n && !rc && !sink->rc; d++)
        rc = write_notes(db, ids[d], names[d], anki, html, sink);
    if (!rc)
        rc = alliance__sink_flush(sink);
    if (!rc && sink->rc)
        rc = sink->rc;
    if (rc == ALLIANCE_EIO && sink->rc == ALLIANCE_EIO)
        rc = alliance__error_set(alliance__db_error(db), rc, "alliance_deck_export: the write callback asked to stop");
    else if (rc == ALLIANCE_ENOMEM && sink->rc == ALLIANCE_ENOMEM)
        rc = alliance__error_set(alliance__db_error(db), rc, "alliance_deck_export: out of memory");
    for (uint32_t d = 0; d < n; d++)
        alliance__free(names[d]);
    alliance__free(names);
    return rc;
}

/* ---- the entry points ---- */

/* Runs the export of `ids` with the handle held (alliance__db_enter done by the caller) in one
 * read snapshot, the caller's write function guarded. */
static int export_locked(alliance_db *db, const int64_t *ids, uint32_t n, uint32_t format, int64_t now,
                         alliance_write_fn write, void *opaque)
{
    guarded g = {db, write, opaque};
    int began = 0;
    int rc = alliance__store_snapshot_begin(db, &began);
    if (rc == ALLIANCE_OK && format == ALLIANCE_FORMAT_APKG) {
        /* The .apkg writer calls the collection's functions itself: the handle's mutex lets
         * the thread that holds it in again, and the snapshot is the connection's. */
        rc = alliance__apkg_export(db, ids, n, now, guarded_write, &g);
    } else if (rc == ALLIANCE_OK) {
        alliance__sink sink;
        alliance__sink_init(&sink, guarded_write, &g);
        rc = export_text(db, ids, n, format, &sink);
        alliance__sink_free(&sink);
    }
    alliance__store_read_end(db, began);
    return rc;
}

int alliance_deck_export(alliance_db *db, int64_t deck_id, uint32_t format, alliance_write_fn write, void *opaque)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!write || deck_id <= 0 || (format != ALLIANCE_FORMAT_DECK && format != ALLIANCE_FORMAT_ANKI_TEXT))
        return alliance__db_leave(
            db, alliance__error_set(alliance__db_error(db), ALLIANCE_EINVAL, "%s",
                                    !write ? "alliance_deck_export: write is NULL"
                                    : deck_id <= 0 ? "alliance_deck_export: deck_id is not a deck"
                                                   : "alliance_deck_export: unknown format (an .apkg needs alliance_export)"));
    return alliance__db_leave(db, export_locked(db, &deck_id, 1, format, 0, write, opaque));
}

int alliance_export_options_init(alliance_export_options *options, uint32_t version)
{
    if (!options)
        return ALLIANCE_EINVAL;
    if (version != ALLIANCE_EXPORT_OPTIONS_VERSION)
        return ALLIANCE_EVERSION;
    alliance_export_options init = ALLIANCE_EXPORT_OPTIONS_INIT;
    *options = init;
    return ALLIANCE_OK;
}

int alliance_export(alliance_db *db, int64_t deck_id, const alliance_export_options *options, int64_t now,
                    alliance_write_fn write, void *opaque)
{
    if (!db)
        return ALLIANCE_EINVAL;
    alliance_export_options opt = ALLIANCE_EXPORT_OPTIONS_INIT;
    if (options && options->version != ALLIANCE_EXPORT_OPTIONS_VERSION)
        return fail(db, ALLIANCE_EVERSION, "alliance_export: unknown options version");
    if (options)
        opt = *options;
    if (!write || deck_id < 0 || opt.format < ALLIANCE_FORMAT_DECK || opt.format > ALLIANCE_FORMAT_APKG ||
        (opt.flags & ~ALLIANCE_EXPORT_SUBDECKS))
        return fail(db, ALLIANCE_EINVAL, !write ? "alliance_export: write is NULL"
                                         : deck_id < 0 ? "alliance_export: deck_id is not a deck (0: every deck)"
                                                       : "alliance_export: unknown format or flags");
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    int64_t *ids = NULL;
    uint32_t n = 0;
    int began = 0;
    /* The list of decks belongs to the snapshot too. */
    if ((rc = alliance__store_snapshot_begin(db, &began)) == ALLIANCE_OK)
        rc = alliance__store_deck_list(db, deck_id, (opt.flags & ALLIANCE_EXPORT_SUBDECKS) != 0, &ids, &n);
    if (rc == ALLIANCE_OK && opt.format == ALLIANCE_FORMAT_DECK && n != 1)
        rc = alliance__error_set(alliance__db_error(db), ALLIANCE_EINVAL, "%s",
                                 n == 0 ? "alliance_export: the collection has no deck"
                                        : "alliance_export: our deck format holds one deck; "
                                          "export several as Anki text or .apkg, or one by one");
    if (rc == ALLIANCE_OK)
        rc = export_locked(db, ids, n, opt.format, now, write, opaque);
    alliance__store_read_end(db, began);
    alliance__free(ids);
    return alliance__db_leave(db, rc);
}
