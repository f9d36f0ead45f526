/* SPDX-License-Identifier: MIT */
/* deck_import.c - a deck file into a collection: parse, then one transaction that keeps history. */
#include "core/cloze.h"
#include "deck/deck.h"
#include "deck/deck_parse.h"
#include "exchange/formats.h"
#include "interop/apkg.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

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
    size_t id_len = strlen(row.note_id);
    if (n->type == ALLIANCE_CARD_CLOZE) { /* "NOTE::cN": the note's part once, then each N */
        memcpy(id, row.note_id, id_len);
        memcpy(id + id_len, "::c", 3);
    }
    for (uint32_t ord = 0; ord <= ALLIANCE__CLOZE_MAX; ord++) {
        if (!seen[ord])
            continue;
        if (ord == 0) {
            row.id = row.note_id;
        } else {
            char *digits = id + id_len + 3; /* ord is 1..99 */
            if (ord >= 10)
                *digits++ = (char)('0' + ord / 10);
            *digits++ = (char)('0' + ord % 10);
            *digits = '\0';
            row.id = id;
        }
        row.ordinal = ord;
        int result = 0;
        int rc = alliance__store_card_put(db, deck_id, &row, generation, now, &result);
        if (rc)
            return rc;
        /* A card Anki held suspended or buried is added so (only when added: a re-import keeps
         * what the learner did here). */
        uint32_t hold = result == ALLIANCE__PUT_ADDED ? alliance__deck_hold_of(deck, index, ord) : 0;
        if (hold && (rc = alliance__store_card_hold(db, row.id, (hold & ALLIANCE__HOLD_SUSPENDED) != 0,
                                                    (hold & ALLIANCE__HOLD_BURIED) != 0, now)) != ALLIANCE_OK)
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

/* Which decks of the file an import writes: every deck a row names or a header describes; the
 * file's first deck (deck 0, from '#deck:' or the caller) only if it holds notes, has a header
 * of its own, or is the only deck (an empty file still names its deck), and has a name. */
static int deck_wanted(const alliance__deck *deck, uint32_t index, const uint32_t *notes_in)
{
    if (index == 0 && deck->name == 0 && notes_in[0] == 0)
        return 0; /* nameless and empty: a package without notes (a text file must name its deck) */
    if (index > 0 || deck->more_count == 0 || notes_in[0] > 0)
        return 1;
    return deck->description != 0 || deck->sources != 0;
}

/* Every deck in one transaction: any failure rolls all of it back. A dry run rolls back too,
 * after counting exactly what a real import would do. The report (when wanted) is made before
 * the commit: running out of memory for it must not leave a committed import behind a failed
 * call. */
static int store_deck(alliance_db *db, const alliance__deck *deck, int dry_run, int64_t now,
                      const alliance__report_extra *more, const alliance__apkg *pkg, alliance__buf *notices,
                      alliance__report_counts *counts, alliance_import_report **out_report)
{
    uint32_t ndecks = alliance__deck_count(deck);
    int64_t *deck_ids = alliance__calloc(ndecks, sizeof *deck_ids);
    uint32_t *notes_in = alliance__calloc(ndecks, sizeof *notes_in);
    alliance__report_deck *per = alliance__calloc(ndecks, sizeof *per);
    if (!deck_ids || !notes_in || !per) {
        alliance__free(deck_ids);
        alliance__free(notes_in);
        alliance__free(per);
        return alliance__error_set(alliance__db_error(db), ALLIANCE_ENOMEM, "out of memory");
    }
    for (uint32_t i = 0; i < deck->note_count; i++)
        notes_in[deck->notes[i].deck < ndecks ? deck->notes[i].deck : 0]++;

    int rc = alliance__store_bulk_begin(db);
    int64_t generation = 0;
    if (!rc)
        rc = alliance__store_next_generation(db, &generation);
    uint32_t nper = 0;
    for (uint32_t d = 0; d < ndecks && !rc; d++) {
        if (!deck_wanted(deck, d, notes_in))
            continue;
        alliance__deck_entry e = alliance__deck_entry_at(deck, d);
        rc = alliance__store_deck_put(db, alliance__deck_str(deck, e.name), alliance__deck_str(deck, e.description),
                                      alliance__deck_str(deck, e.sources), now, &deck_ids[d]);
        per[nper].index = d;
        per[nper].counts.deck_id = deck_ids[d];
        notes_in[d] = nper++; /* from here on: where deck d's counts are */
    }
    alliance__buf tags = {0};
    for (uint32_t i = 0; i < deck->note_count && !rc; i++) {
        uint32_t d = deck->notes[i].deck < ndecks ? deck->notes[i].deck : 0;
        /* A deck holding a note is always wanted, so notes_in[d] is its place in per[]. */
        rc = put_note(db, deck_ids[d], deck, i, generation, now, &tags, &per[notes_in[d]].counts);
    }
    alliance__buf_free(&tags);
    /* A package's schedules and review log, once its cards are there (docs/anki.md). */
    alliance__history_counts hist = {0, 0, 0, 0};
    if (!rc && pkg && (rc = alliance__apkg_history_put(db, pkg, &hist)) == ALLIANCE_OK &&
        (hist.added || hist.skipped) &&
        alliance__buf_printf(notices, "Anki's review log: %u answers imported as history (%u cards scheduled as in "
                             "Anki), %u already held, %u skipped (cards answered here since)\n",
                             (unsigned)hist.added, (unsigned)hist.cards, (unsigned)hist.held,
                             (unsigned)hist.skipped) != 0)
        rc = alliance__error_set(alliance__db_error(db), ALLIANCE_ENOMEM, "out of memory");
    for (uint32_t k = 0; k < nper && !rc; k++)
        rc = alliance__store_suspend_unseen(db, per[k].counts.deck_id, generation, now, &per[k].counts.suspended);
    memset(counts, 0, sizeof *counts);
    for (uint32_t k = 0; k < nper; k++) {
        counts->added += per[k].counts.added;
        counts->updated += per[k].counts.updated;
        counts->unchanged += per[k].counts.unchanged;
        counts->suspended += per[k].counts.suspended;
        /* A dry run imported nothing, so its report names no deck (the header's "0 if nothing was imported"). */
        if (dry_run)
            per[k].counts.deck_id = 0;
    }
    counts->deck_id = dry_run || nper == 0 ? 0 : per[0].counts.deck_id;
    alliance__report_extra extra = {per, nper, more ? more->media : 0,
                                    notices ? notices->data : more ? more->notices : NULL};
    alliance_import_report *report = NULL;
    if (!rc && out_report && alliance__report_make(&report, deck, counts, &extra) != 0)
        rc = alliance__error_set(alliance__db_error(db), ALLIANCE_ENOMEM, "out of memory for the import report");
    if (!rc && !dry_run)
        rc = alliance__store_commit(db);
    if (rc || dry_run)
        alliance__store_rollback(db);
    alliance__store_bulk_end(db);
    alliance__free(deck_ids);
    alliance__free(notes_in);
    alliance__free(per);
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
    if (options->format < ALLIANCE_FORMAT_DECK || options->format > ALLIANCE_FORMAT_APKG)
        return ALLIANCE_EINVAL;
    if (options->dry_run > 1)
        return ALLIANCE_EINVAL;
    return ALLIANCE_OK;
}

/* An .apkg (from the file `path`, or from data when path is NULL): read without the lock, then
 * its notes imported like a deck file's, in one transaction (docs/anki.md). */
static int import_package(alliance_db *db, const char *name, const char *path, const char *data, size_t len,
                          int dry_run, int64_t now, alliance_import_report **out_report)
{
    alliance__apkg pkg;
    alliance__apkg_init(&pkg);
    alliance__deck deck;
    int rc = alliance__apkg_read(&pkg, name, path, data, len);
    alliance__deck_init(&deck, pkg.where);
    alliance__buf notices = {0};
    if (!rc)
        rc = alliance__apkg_to_deck(&pkg, &deck, &notices);
    int enter = alliance__db_enter(db);
    if (enter) {
        alliance__deck_free(&deck);
        alliance__apkg_free(&pkg);
        alliance__buf_free(&notices);
        return enter;
    }
    alliance__report_counts counts;
    memset(&counts, 0, sizeof counts);
    alliance__report_extra extra = {NULL, 0, pkg.media, notices.data};
    if (rc && !deck.error_count) {
        /* The package itself (its zip, a member, its database) is wrong: pkg.error says where. */
        rc = alliance__error_set(alliance__db_error(db), rc, "%s", rc == ALLIANCE_ENOMEM && !pkg.error[0]
                                                                       ? "out of memory" : pkg.error);
        /* A report for a package that is wrong (EPARSE, ELIMIT), as alliance.h says; not for
         * one that could not be read (ENOTFOUND, EIO) or memory. */
        if (out_report && (rc == ALLIANCE_EPARSE || rc == ALLIANCE_ELIMIT)) {
            alliance__deck_error(&deck, 0, 0, rc, "%s", pkg.error);
            if (alliance__report_make(out_report, &deck, &counts, &extra) != 0)
                rc = alliance__error_set(alliance__db_error(db), ALLIANCE_ENOMEM, "out of memory for the import report");
        }
    } else if (rc == ALLIANCE_ENOMEM) {
        rc = alliance__error_set(alliance__db_error(db), rc, "out of memory while reading %s", pkg.where);
    } else if (rc) {
        rc = parse_failure(db, &deck, rc);
        if (out_report && alliance__report_make(out_report, &deck, &counts, &extra) != 0)
            rc = alliance__error_set(alliance__db_error(db), ALLIANCE_ENOMEM, "out of memory for the import report");
    } else {
        rc = store_deck(db, &deck, dry_run, now, &extra, &pkg, &notices, &counts, out_report);
    }
    alliance__deck_free(&deck);
    alliance__apkg_free(&pkg);
    alliance__buf_free(&notices);
    return alliance__db_leave(db, rc);
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
    const char *default_name = options && options->deck_name && options->deck_name[0] ? options->deck_name : NULL;
    const char *problem = default_name ? alliance__text_check(ALLIANCE__TEXT_DECK_NAME, default_name,
                                                              strlen(default_name), NULL)
                                       : NULL;
    if (problem) {
        /* The rule every deck name follows (core/text.h), whatever way it comes in. */
        if ((rc = alliance__db_enter(db)) != ALLIANCE_OK)
            return rc;
        return alliance__db_leave(db, alliance__error_set(alliance__db_error(db), ALLIANCE_EINVAL,
                                                          "alliance_deck_import: invalid deck name in the options (deck_name): %s",
                                                          problem));
    }
    int dry_run = options ? options->dry_run != 0 : 0;
    if (format == ALLIANCE_FORMAT_APKG)
        return import_package(db, name ? name : "(buffer)", NULL, data ? data : "", len, dry_run, now, out_report);

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
        if (out_report && alliance__report_make(out_report, &deck, &counts, NULL) != 0)
            rc = alliance__error_set(alliance__db_error(db), ALLIANCE_ENOMEM, "out of memory for the import report");
    } else {
        rc = store_deck(db, &deck, dry_run, now, NULL, NULL, NULL, &counts, out_report);
    }
    alliance__deck_free(&deck);
    return alliance__db_leave(db, rc);
}

/* Reads at most the file limit plus one byte, so that an oversized file is reported, not loaded.
 * *out_size is the file's size when the system knows it (a regular file), else -1. */
static int read_file(const char *path, alliance__buf *out, int *out_errno, long long *out_size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *out_errno = errno;
        return errno == ENOENT ? ALLIANCE_ENOTFOUND : ALLIANCE_EIO;
    }
    struct stat st;
    *out_size = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) ? (long long)st.st_size : -1;
    if (*out_size > (long long)ALLIANCE__DECK_FILE_MAX) {
        fclose(f);
        return ALLIANCE_ELIMIT; /* not read at all */
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
    if (!rc && out->len > ALLIANCE__DECK_FILE_MAX)
        rc = ALLIANCE_ELIMIT; /* a pipe or a file that grew: only the limit is known to be passed */
    return rc;
}

/* A file over the limit, reported with its real size as a parse failure is (report and message). */
static int refuse_oversized(alliance_db *db, const char *path, long long size, alliance_import_report **out_report)
{
    alliance__deck deck;
    alliance__deck_init(&deck, path);
    if (size > (long long)ALLIANCE__DECK_FILE_MAX)
        alliance__deck_error(&deck, 1, 1, ALLIANCE_ELIMIT, "the file is over 64 MiB (%lld bytes)", size);
    else
        alliance__deck_error(&deck, 1, 1, ALLIANCE_ELIMIT, "the file is over 64 MiB (more than %zu bytes)",
                             ALLIANCE__DECK_FILE_MAX);
    int rc = alliance__db_enter(db);
    if (rc == ALLIANCE_OK) {
        alliance__report_counts counts;
        memset(&counts, 0, sizeof counts);
        rc = parse_failure(db, &deck, alliance__deck_result(&deck));
        if (out_report && alliance__report_make(out_report, &deck, &counts, NULL) != 0)
            rc = alliance__error_set(alliance__db_error(db), ALLIANCE_ENOMEM, "out of memory for the import report");
        rc = alliance__db_leave(db, rc);
    }
    alliance__deck_free(&deck);
    return rc;
}

int alliance_deck_import(alliance_db *db, const char *path, const alliance_import_options *options, int64_t now,
                         alliance_import_report **out_report)
{
    if (!db)
        return ALLIANCE_EINVAL;
    int err = 0, rc;
    long long size = -1;
    alliance__buf data = {0};
    /* A package is read member by member from its file: its media are never loaded. */
    if (path && options && options->version == ALLIANCE_IMPORT_OPTIONS_VERSION && options->format == ALLIANCE_FORMAT_APKG &&
        options->dry_run <= 1)
        return import_package(db, path, path, NULL, 0, options->dry_run != 0, now, out_report);
    if (!path)
        rc = ALLIANCE_EINVAL;
    else
        rc = read_file(path, &data, &err, &size);
    if (rc == ALLIANCE_ELIMIT) {
        alliance__buf_free(&data);
        return refuse_oversized(db, path, size, out_report);
    }
    if (rc) {
        alliance__buf_free(&data);
        int enter = alliance__db_enter(db);
        if (enter)
            return enter;
        if (!path)
            return alliance__db_leave(db, alliance__error_set(alliance__db_error(db), rc, "alliance_deck_import: path is NULL"));
        if (rc == ALLIANCE_ENOMEM)
            return alliance__db_leave(db, alliance__error_set(alliance__db_error(db), rc, "out of memory reading %s", path));
        char reason[128];
        return alliance__db_leave(db, alliance__error_set(alliance__db_error(db), rc, "cannot read %s: %s", path,
                                                          alliance__errno_text(err, reason, sizeof reason)));
    }
    rc = alliance_deck_import_buffer(db, path, data.data ? data.data : "", data.len, options, now, out_report);
    alliance__buf_free(&data);
    return rc;
}
