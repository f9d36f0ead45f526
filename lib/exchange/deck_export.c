/* SPDX-License-Identifier: MIT */
/* deck_export.c - a collection's deck back to text (our format or Anki's), streamed card by card. */
#include "deck/deck.h"
#include "deck/deck_write.h"
#include "interop/anki_text.h"
#include "interop/apkg.h"
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Records a failure noticed outside the lock (the store functions record their own). */
static int fail(alliance_db *db, int rc, const char *message)
{
    if (alliance__db_enter(db) != 0)
        return rc;
    return alliance__db_leave(db, alliance__error_set(alliance__db_error(db), rc, "%s", message));
}

/* The deck's header, read under the lock, as new strings. */
static int read_head(alliance_db *db, int64_t deck_id, char **name, char **description, char **sources)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    rc = alliance__store_deck_get(db, deck_id, name, description, sources);
    return alliance__db_leave(db, rc);
}

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

/* *out_html = 1 if a card of the decks holds markup: Anki text then says #html:true (a first
 * pass over the cards, streamed like the second, as the header comes before every row). */
static int scan_markup(alliance_db *db, const int64_t *ids, uint32_t n, int *out_html)
{
    *out_html = 0;
    for (uint32_t d = 0; d < n && !*out_html; d++) {
        alliance_card_iter *iter = NULL;
        int rc = alliance__card_search_deck_file(&iter, db, ids[d]);
        while (!rc && !*out_html) {
            alliance_card *card = NULL;
            rc = alliance_card_iter_next(iter, &card);
            if (rc == ALLIANCE_DONE) {
                rc = 0;
                break;
            }
            if (rc)
                break;
            alliance__note_in note;
            card_note(card, &note);
            *out_html = alliance__anki_markup(&note);
            alliance_free(card);
        }
        alliance_card_iter_free(iter);
        if (rc)
            return rc;
    }
    return ALLIANCE_OK;
}

/* One deck's notes: cards come one at a time in the deck's order; a cloze note's cards give
 * one note, written at its first card. Only the ids of the notes written are remembered. */
static int write_notes(alliance_db *db, int64_t deck_id, const char *deck_name, int anki, int html,
                       alliance__sink *sink)
{
    alliance__deck written;
    alliance__deck_init(&written, "");
    alliance_card_iter *iter = NULL;
    int rc = alliance__card_search_deck_file(&iter, db, deck_id);
    while (!rc && !sink->rc) {
        alliance_card *card = NULL;
        rc = alliance_card_iter_next(iter, &card);
        if (rc == ALLIANCE_DONE) {
            rc = 0;
            break;
        }
        if (rc)
            break;
        if (!alliance__deck_find(&written, card->note_id)) {
            alliance__deck_note seen;
            memset(&seen, 0, sizeof seen);
            int arc = alliance__deck_intern(&written, card->note_id, strlen(card->note_id), &seen.field[ALLIANCE__F_ID]);
            if (!arc)
                arc = alliance__deck_add(&written, &seen, NULL);
            if (arc) {
                alliance_free(card);
                rc = fail(db, arc == ALLIANCE_ELIMIT ? ALLIANCE_ELIMIT : ALLIANCE_ENOMEM,
                          "alliance_deck_export: too many notes to remember which were written");
                break;
            }
            alliance__note_in note;
            card_note(card, &note);
            if (anki)
                alliance__anki_write_note(sink, deck_name, &note, html);
            else
                alliance__deck_write_note(sink, &note);
        }
        alliance_free(card);
    }
    alliance_card_iter_free(iter);
    alliance__deck_free(&written);
    return rc;
}

/* The decks as text: our format (one deck) or Anki text (every deck in one file). */
static int export_text(alliance_db *db, const int64_t *ids, uint32_t n, uint32_t format, alliance_write_fn write,
                       void *opaque)
{
    int anki = format == ALLIANCE_FORMAT_ANKI_TEXT;
    int html = 0;
    int rc = anki ? scan_markup(db, ids, n, &html) : 0;
    if (rc)
        return rc;
    char **names = alliance__calloc(n ? n : 1, sizeof *names);
    if (!names)
        return fail(db, ALLIANCE_ENOMEM, "alliance_deck_export: out of memory");
    alliance__sink sink;
    alliance__sink_init(&sink, write, opaque);
    for (uint32_t d = 0; d < n && !rc && !sink.rc; d++) {
        char *description = NULL, *sources = NULL;
        rc = read_head(db, ids[d], &names[d], &description, &sources);
        if (rc)
            break;
        alliance__deck_head head = {names[d], description, sources};
        if (!anki)
            alliance__deck_write_head(&sink, &head);
        else if (d == 0)
            alliance__anki_write_head(&sink, &head, html);
        else
            alliance__anki_write_deck_head(&sink, &head);
        alliance__free(description);
        alliance__free(sources);
    }
    for (uint32_t d = 0; d < n && !rc && !sink.rc; d++)
        rc = write_notes(db, ids[d], names[d], anki, html, &sink);
    if (!rc)
        rc = alliance__sink_flush(&sink);
    if (!rc && sink.rc)
        rc = sink.rc;
    if (rc == ALLIANCE_EIO)
        rc = fail(db, rc, "alliance_deck_export: the write callback asked to stop");
    else if (rc == ALLIANCE_ENOMEM && sink.rc)
        rc = fail(db, rc, "alliance_deck_export: out of memory");
    alliance__sink_free(&sink);
    for (uint32_t d = 0; d < n; d++)
        alliance__free(names[d]);
    alliance__free(names);
    return rc;
}

int alliance_deck_export(alliance_db *db, int64_t deck_id, uint32_t format, alliance_write_fn write, void *opaque)
{
    if (!db)
        return ALLIANCE_EINVAL;
    if (!write || deck_id <= 0 || (format != ALLIANCE_FORMAT_DECK && format != ALLIANCE_FORMAT_ANKI_TEXT))
        return fail(db, ALLIANCE_EINVAL, !write ? "alliance_deck_export: write is NULL"
                                         : deck_id <= 0 ? "alliance_deck_export: deck_id is not a deck"
                                                        : "alliance_deck_export: unknown format (an .apkg needs alliance_export)");
    return export_text(db, &deck_id, 1, format, write, opaque);
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
    int64_t *ids = NULL;
    uint32_t n = 0;
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    rc = alliance__db_leave(db, alliance__store_deck_list(db, deck_id, (opt.flags & ALLIANCE_EXPORT_SUBDECKS) != 0,
                                                          &ids, &n));
    if (rc)
        return rc;
    if (opt.format == ALLIANCE_FORMAT_DECK && n != 1)
        rc = fail(db, ALLIANCE_EINVAL, n == 0 ? "alliance_export: the collection has no deck"
                                              : "alliance_export: our deck format holds one deck; "
                                                "export several as Anki text or .apkg, or one by one");
    else if (opt.format == ALLIANCE_FORMAT_APKG)
        rc = alliance__apkg_export(db, ids, n, now, write, opaque);
    else
        rc = export_text(db, ids, n, opt.format, write, opaque);
    alliance__free(ids);
    return rc;
}

/* ---- to a file, replaced atomically ---- */

typedef struct file_out {
    int fd;
    int err; /* errno of the first failed write */
} file_out;

static int write_fd(void *opaque, const char *data, size_t len)
{
    file_out *out = opaque;
    while (len > 0) {
        ssize_t n = write(out->fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            out->err = errno;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

static int file_error(alliance_db *db, const char *what, const char *path, int err)
{
    char reason[256];
    if (strerror_r(err, reason, sizeof reason) != 0)
        snprintf(reason, sizeof reason, "error %d", err);
    int rc = err == ENOSPC || err == EDQUOT ? ALLIANCE_EFULL : err == ENOENT ? ALLIANCE_ENOTFOUND : ALLIANCE_EIO;
    if (alliance__db_enter(db) != 0)
        return rc;
    return alliance__db_leave(db, alliance__error_set(alliance__db_error(db), rc, "%s %s: %s", what, path, reason));
}

/* fsync of the directory makes the rename itself durable. */
static void sync_parent(const char *path)
{
    char *dir = alliance__strdup(path);
    if (!dir)
        return;
    char *slash = strrchr(dir, '/');
    const char *d = ".";
    if (slash == dir)
        d = "/";
    else if (slash) {
        *slash = '\0';
        d = dir;
    }
    int fd = open(d, O_RDONLY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    alliance__free(dir);
}

/* Runs `export` into a file written aside, then renamed over `path`. */
typedef int (*export_fn)(alliance_db *db, const void *args, alliance_write_fn write, void *opaque);

static int export_to_file(alliance_db *db, const char *path, const char *what, export_fn export, const void *args)
{
    if (!db)
        return ALLIANCE_EINVAL;
    if (!path)
        return fail(db, ALLIANCE_EINVAL, what);
    alliance__buf tmp = {0};
    if (alliance__buf_printf(&tmp, "%s.tmp-XXXXXX", path) != 0)
        return fail(db, ALLIANCE_ENOMEM, "export: out of memory");
    file_out out = {mkstemp(tmp.data), 0};
    if (out.fd < 0) {
        int rc = file_error(db, "cannot create", tmp.data, errno);
        alliance__buf_free(&tmp);
        return rc;
    }
    /* The new file keeps the mode of the one it replaces (mkstemp makes it 0600). */
    struct stat st;
    (void)fchmod(out.fd, stat(path, &st) == 0 ? (st.st_mode & 07777) : 0644);

    int rc = export(db, args, write_fd, &out);
    if (rc == ALLIANCE_EIO && out.err)
        rc = file_error(db, "cannot write", tmp.data, out.err);
    if (!rc && fsync(out.fd) != 0)
        rc = file_error(db, "cannot sync", tmp.data, errno);
    if (close(out.fd) != 0 && !rc)
        rc = file_error(db, "cannot close", tmp.data, errno);
    if (!rc && rename(tmp.data, path) != 0)
        rc = file_error(db, "cannot rename to", path, errno);
    if (rc)
        (void)unlink(tmp.data);
    else
        sync_parent(path);
    alliance__buf_free(&tmp);
    return rc;
}

typedef struct deck_args {
    int64_t deck_id;
    uint32_t format;
    const alliance_export_options *options;
    int64_t now;
} deck_args;

static int run_deck_export(alliance_db *db, const void *args, alliance_write_fn write, void *opaque)
{
    const deck_args *a = args;
    return alliance_deck_export(db, a->deck_id, a->format, write, opaque);
}

static int run_export(alliance_db *db, const void *args, alliance_write_fn write, void *opaque)
{
    const deck_args *a = args;
    return alliance_export(db, a->deck_id, a->options, a->now, write, opaque);
}

int alliance_deck_export_file(alliance_db *db, int64_t deck_id, uint32_t format, const char *path)
{
    deck_args args = {deck_id, format, NULL, 0};
    return export_to_file(db, path, "alliance_deck_export_file: path is NULL", run_deck_export, &args);
}

int alliance_export_file(alliance_db *db, int64_t deck_id, const alliance_export_options *options, int64_t now,
                         const char *path)
{
    deck_args args = {deck_id, 0, options, now};
    return export_to_file(db, path, "alliance_export_file: path is NULL", run_export, &args);
}
