/* SPDX-License-Identifier: MIT */
/* deck_import.c - a deck file into a collection: parse, then one transaction that keeps history. */
#include "core/cloze.h"
#include "deck/deck.h"
#include "deck/deck_parse.h"
#include "exchange/formats.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int alliance_import_options_init(alliance_import_options *options, uint32_t version)
{
    if (!options)
        return ALLIANCE_EINVAL;
    /* Only version 1 exists; a later one will write exactly the layout asked for. */
    if (version != ALLIANCE_IMPORT_OPTIONS_VERSION)
        return ALLIANCE_EVERSION;
    alliance_import_options init = ALLIANCE_IMPORT_OPTIONS_INIT;
    *options = init;
    return ALLIANCE_OK;
}

/* The first error line, for alliance_errmsg, with how many more there are. */
static int parse_failure(alliance_db *db, const alliance__deck *deck, int rc)
{
    const char *errors = deck->errors.data ? deck->errors.data : "";
    const char *nl = strchr(errors, '\n');
    int n = nl ? (int)(nl - errors) : (int)strlen(errors);
    if (deck->error_count > 1)
        return alliance__error_set(alliance__db_error(db), rc, "%.*s (and %u more errors)", n, errors,
                                   (unsigned)(deck->error_count - 1));
    return alliance__error_set(alliance__db_error(db), rc, "%.*s", n, errors);
}

/* Stores one note's cards (a cloze note: one per deletion number) and counts what happened. */
static int put_note(alliance_db *db, int64_t deck_id, const alliance__deck *deck, uint32_t index,
                    int64_t generation, int64_t now, alliance__buf *tags, alliance__report_counts *counts)
{
    const alliance__deck_note *n = &deck->notes[index];
    if (alliance__note_tags(deck, n, tags) != 0)
        return alliance__error_set(alliance__db_error(db), ALLIANCE_ENOMEM, "out of memory");
    alliance__card_row row;
    row.note_id = alliance__note_str(deck, n, ALLIANCE__F_ID);
    row.type = n->type;
    row.front = alliance__note_str(deck, n, ALLIANCE__F_FRONT);
    row.back = alliance__note_str(deck, n, ALLIANCE__F_BACK);
    row.wrong = alliance__note_str(deck, n, ALLIANCE__F_WRONG);
    row.tags = tags->data;
    row.source_file = alliance__note_str(deck, n, ALLIANCE__F_SOURCE);
    row.source_quote = alliance__note_str(deck, n, ALLIANCE__F_QUOTE);
    row.position = index;

    uint8_t seen[ALLIANCE__CLOZE_MAX + 1];
    memset(seen, 0, sizeof seen);
    if (n->type == ALLIANCE_CARD_CLOZE) {
        uint32_t distinct;
        size_t offset;
        const char *message;
        if (alliance__cloze_scan(row.front, strlen(row.front), seen, &distinct, &offset, &message) != 0)
            return alliance__error_set(alliance__db_error(db), ALLIANCE_EPARSE, "card '%s': %s", row.note_id, message);
    } else {
        seen[0] = 1;
    }
    char id[ALLIANCE__DECK_ID_MAX + 8];
    for (uint32_t ord = 0; ord <= ALLIANCE__CLOZE_MAX; ord++) {
        if (!seen[ord])
            continue;
        if (ord == 0) {
            row.id = row.note_id;
        } else {
            snprintf(id, sizeof id, "%s::c%u", row.note_id, (unsigned)ord);
            row.id = id;
        }
        row.ordinal = ord;
        int result = 0;
        int rc = alliance__store_card_put(db, deck_id, &row, generation, now, &result);
        if (rc)
            return rc;
        if (result == ALLIANCE__PUT_ADDED)
            counts->added++;
        else if (result == ALLIANCE__PUT_UPDATED)
            counts->updated++;
        else
            counts->unchanged++;
    }
    return ALLIANCE_OK;
}

/* The whole deck in one transaction: any failure rolls all of it back. A dry run rolls back
 * too, after counting exactly what a real import would do. The report (when wanted) is made
 * before the commit: running out of memory for it must not leave a committed import behind
 * a failed call. */
static int store_deck(alliance_db *db, const alliance__deck *deck, int dry_run, int64_t now,
                      alliance__report_counts *counts, alliance_import_report **out_report)
{
    int rc = alliance__store_begin(db);
    if (rc)
        return rc;
    int64_t generation = 0, deck_id = 0;
    rc = alliance__store_next_generation(db, &generation);
    if (!rc)
        rc = alliance__store_deck_put(db, alliance__deck_str(deck, deck->name), alliance__deck_str(deck, deck->description),
                                      alliance__deck_str(deck, deck->sources), now, &deck_id);
    alliance__buf tags = {0};
    for (uint32_t i = 0; i < deck->note_count && !rc; i++)
        rc = put_note(db, deck_id, deck, i, generation, now, &tags, counts);
    alliance__buf_free(&tags);
    if (!rc)
        rc = alliance__store_suspend_unseen(db, deck_id, generation, now, &counts->suspended);
    /* A dry run imported nothing, so its report names no deck (the header's "0 if nothing was imported"). */
    counts->deck_id = dry_run ? 0 : deck_id;
    alliance_import_report *report = NULL;
    if (!rc && out_report && alliance__report_make(&report, deck, counts) != 0)
        rc = alliance__error_set(alliance__db_error(db), ALLIANCE_ENOMEM, "out of memory for the import report");
    if (!rc && !dry_run)
        rc = alliance__store_commit(db);
    if (rc || dry_run)
        alliance__store_rollback(db);
    if (rc) {
        alliance_free(report);
        memset(counts, 0, sizeof *counts);
        return rc;
    }
    if (out_report)
        *out_report = report;
    return ALLIANCE_OK;
}

static int check_options(const alliance_import_options *options)
{
    if (!options)
        return ALLIANCE_OK;
    if (options->version != ALLIANCE_IMPORT_OPTIONS_VERSION)
        return ALLIANCE_EVERSION;
    if (options->format != ALLIANCE_FORMAT_DECK && options->format != ALLIANCE_FORMAT_ANKI_TEXT)
        return ALLIANCE_EINVAL;
    if (options->dry_run > 1)
        return ALLIANCE_EINVAL;
    return ALLIANCE_OK;
}

int alliance_deck_import_buffer(alliance_db *db, const char *name, const char *data, size_t len,
                                const alliance_import_options *options, int64_t now,
                                alliance_import_report **out_report)
{
    if (!db)
        return ALLIANCE_EINVAL;
    int rc = check_options(options);
    if (rc || (!data && len)) {
        int enter = alliance__db_enter(db);
        if (enter)
            return enter;
        if (rc == ALLIANCE_EVERSION)
            return alliance__db_leave(db, alliance__error_set(alliance__db_error(db), rc,
                                                              "alliance_deck_import: unknown options version %u",
                                                              (unsigned)options->version));
        return alliance__db_leave(db, alliance__error_set(alliance__db_error(db), ALLIANCE_EINVAL,
                                                          rc ? "alliance_deck_import: unknown format or dry_run value"
                                                             : "alliance_deck_import: data is NULL"));
    }
    uint32_t format = options ? options->format : ALLIANCE_FORMAT_DECK;
    const char *default_name = options ? options->deck_name : NULL;
    int dry_run = options ? options->dry_run != 0 : 0;

    /* Parsing needs no lock: other threads keep using the collection meanwhile. */
    alliance__deck deck;
    alliance__deck_init(&deck, name ? name : "(buffer)");
    rc = alliance__deck_read(&deck, data ? data : "", len, format, default_name);
    if (rc == 0 && alliance__deck_str(&deck, deck.name)[0] == '\0') {
        alliance__deck_error(&deck, 1, 1, ALLIANCE_EPARSE,
                             "the file names no deck (no #deck: line or deck column): set deck_name in the import options");
        rc = alliance__deck_result(&deck);
    }

    int enter = alliance__db_enter(db);
    if (enter) {
        alliance__deck_free(&deck);
        return enter;
    }
    alliance__report_counts counts;
    memset(&counts, 0, sizeof counts);
    if (rc == ALLIANCE_ENOMEM) {
        rc = alliance__error_set(alliance__db_error(db), rc, "out of memory while reading %s", deck.file);
    } else if (rc) {
        rc = parse_failure(db, &deck, rc);
        if (out_report && alliance__report_make(out_report, &deck, &counts) != 0)
            rc = alliance__error_set(alliance__db_error(db), ALLIANCE_ENOMEM, "out of memory for the import report");
    } else {
        rc = store_deck(db, &deck, dry_run, now, &counts, out_report);
    }
    alliance__deck_free(&deck);
    return alliance__db_leave(db, rc);
}

/* Reads at most the file limit plus one byte, so that an oversized file is reported, not loaded. */
static int read_file(const char *path, alliance__buf *out, int *out_errno)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *out_errno = errno;
        return errno == ENOENT ? ALLIANCE_ENOTFOUND : ALLIANCE_EIO;
    }
    char chunk[65536];
    size_t n;
    int rc = 0;
    while (!rc && out->len <= ALLIANCE__DECK_FILE_MAX && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        size_t room = ALLIANCE__DECK_FILE_MAX + 1 - out->len;
        rc = alliance__buf_append(out, chunk, n < room ? n : room);
    }
    if (!rc && ferror(f)) {
        *out_errno = errno;
        rc = ALLIANCE_EIO;
    }
    fclose(f);
    return rc;
}

int alliance_deck_import(alliance_db *db, const char *path, const alliance_import_options *options, int64_t now,
                         alliance_import_report **out_report)
{
    if (!db)
        return ALLIANCE_EINVAL;
    int err = 0, rc;
    alliance__buf data = {0};
    if (!path)
        rc = ALLIANCE_EINVAL;
    else
        rc = read_file(path, &data, &err);
    if (rc) {
        alliance__buf_free(&data);
        int enter = alliance__db_enter(db);
        if (enter)
            return enter;
        if (!path)
            return alliance__db_leave(db, alliance__error_set(alliance__db_error(db), rc, "alliance_deck_import: path is NULL"));
        if (rc == ALLIANCE_ENOMEM)
            return alliance__db_leave(db, alliance__error_set(alliance__db_error(db), rc, "out of memory reading %s", path));
        char reason[256];
        if (strerror_r(err, reason, sizeof reason) != 0)
            snprintf(reason, sizeof reason, "error %d", err);
        return alliance__db_leave(db, alliance__error_set(alliance__db_error(db), rc, "cannot read %s: %s", path,
                                                          reason));
    }
    rc = alliance_deck_import_buffer(db, path, data.data ? data.data : "", data.len, options, now, out_report);
    alliance__buf_free(&data);
    return rc;
}
