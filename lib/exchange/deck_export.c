/* SPDX-License-Identifier: MIT */
/* deck_export.c - a collection's deck back to text (our format or Anki's), streamed card by card. */
#include "deck/deck.h"
#include "deck/deck_write.h"
#include "interop/anki_text.h"
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

int alliance_deck_export(alliance_db *db, int64_t deck_id, uint32_t format, alliance_write_fn write, void *opaque)
{
    if (!db)
        return ALLIANCE_EINVAL;
    if (!write || deck_id <= 0 || (format != ALLIANCE_FORMAT_DECK && format != ALLIANCE_FORMAT_ANKI_TEXT))
        return fail(db, ALLIANCE_EINVAL, !write ? "alliance_deck_export: write is NULL"
                                         : deck_id <= 0 ? "alliance_deck_export: deck_id is not a deck"
                                                        : "alliance_deck_export: unknown format");

    char *name = NULL, *description = NULL, *sources = NULL;
    int rc = read_head(db, deck_id, &name, &description, &sources);
    if (rc)
        return rc;
    alliance__deck_head head = {name, description, sources};
    alliance__sink sink;
    alliance__sink_init(&sink, write, opaque);
    int anki = format == ALLIANCE_FORMAT_ANKI_TEXT;
    if (anki)
        alliance__anki_write_head(&sink, &head);
    else
        alliance__deck_write_head(&sink, &head);

    /* Cards come one at a time in the deck's order; a cloze note's cards give one note, written
     * at its first card. Only the ids of the notes written are remembered. */
    alliance__deck written;
    alliance__deck_init(&written, "");
    alliance_card_iter *iter = NULL;
    rc = alliance__card_search_deck_file(&iter, db, deck_id);
    while (!rc && !sink.rc) {
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
                alliance__anki_write_note(&sink, &head, &note);
            else
                alliance__deck_write_note(&sink, &note);
        }
        alliance_free(card);
    }
    alliance_card_iter_free(iter);
    alliance__deck_free(&written);
    if (!rc)
        rc = alliance__sink_flush(&sink);
    if (!rc && sink.rc)
        rc = sink.rc;
    if (rc == ALLIANCE_EIO)
        rc = fail(db, rc, "alliance_deck_export: the write callback asked to stop");
    else if (rc == ALLIANCE_ENOMEM && sink.rc)
        rc = fail(db, rc, "alliance_deck_export: out of memory");
    alliance__sink_free(&sink);
    alliance__free(name);
    alliance__free(description);
    alliance__free(sources);
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

int alliance_deck_export_file(alliance_db *db, int64_t deck_id, uint32_t format, const char *path)
{
    if (!db)
        return ALLIANCE_EINVAL;
    if (!path)
        return fail(db, ALLIANCE_EINVAL, "alliance_deck_export_file: path is NULL");
    alliance__buf tmp = {0};
    if (alliance__buf_printf(&tmp, "%s.tmp-XXXXXX", path) != 0)
        return fail(db, ALLIANCE_ENOMEM, "alliance_deck_export_file: out of memory");
    file_out out = {mkstemp(tmp.data), 0};
    if (out.fd < 0) {
        int rc = file_error(db, "cannot create", tmp.data, errno);
        alliance__buf_free(&tmp);
        return rc;
    }
    /* The new file keeps the mode of the one it replaces (mkstemp makes it 0600). */
    struct stat st;
    (void)fchmod(out.fd, stat(path, &st) == 0 ? (st.st_mode & 07777) : 0644);

    int rc = alliance_deck_export(db, deck_id, format, write_fd, &out);
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
