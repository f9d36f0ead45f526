/* SPDX-License-Identifier: MIT */
/*
 * store.c - decks and cards in the collection: transactions, deck rows, card
 * rows (for the importer and for the learner), and card iteration.
 * No scheduling decisions here; the SQL text is in sql.c.
 */
#include "store/schedule.h"

#include "core/text.h"

#include <string.h>

/* Ids longer than this are refused (deck ids are at most 128 bytes, plus "::cN"). */
#define CARD_ID_MAX 256

/* ---- transactions ------------------------------------------------------------ */

static int run_named(alliance_db *db, alliance__sql_id id, const char *what)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, id, &stmt);
    return rc ? rc : alliance__sql_run(db, stmt, what);
}

/* IMMEDIATE: take the write lock at the start, so a busy collection makes us
 * wait (busy timeout) before reading, never fail half-way at the first write. */
int alliance__store_begin(alliance_db *db)
{
    alliance__db_settings_forget(db); /* read again under the write lock */
    db->new_deck_id = 0;
    return run_named(db, ALLIANCE__SQL_BEGIN, "starting a transaction");
}

/* Every statement of an import that fires the sync triggers may abort half-way, so SQLite
 * keeps a statement journal (the pages the statement changed, undone if it fails). It lives in
 * memory up to 64 KiB and then in a temporary file for the rest of the transaction; in an
 * import of 100k cards one page split sends it there, and from then on every insert wrote
 * its pages to that file: 1.8 million pwrite calls, two thirds of the import's time, and the
 * learner's card text in a file under /var/tmp. With temp_store = MEMORY (fixed when the write
 * transaction begins) the journal stays in memory; it is emptied after each statement, so it
 * holds at most the pages one statement changes. The setting is put back after the
 * transaction: a whole-collection statement elsewhere (a migration, deleting a deck with its
 * cards) keeps a journal that may spill to disk. Changing temp_store drops the connection's
 * TEMP tables, of which the library keeps none between calls. */
int alliance__store_bulk_begin(alliance_db *db)
{
    /* A statement left on a row by an earlier call holds a read transaction, in which SQLite
     * refuses the change; nothing of the handle is read across calls, so reset them all. If
     * SQLite still refuses, the import runs as any transaction (only slower). */
    alliance__sql_reset_all(db);
    alliance__error saved = db->error;
    if (alliance__sql_exec_fresh(db, ALLIANCE__SQL_TEMP_STORE_MEMORY, "keeping the statement journal in memory") !=
        ALLIANCE_OK)
        db->error = saved;
    return alliance__store_begin(db);
}

void alliance__store_bulk_end(alliance_db *db)
{
    if (db->sqlite && sqlite3_get_autocommit(db->sqlite)) {
        alliance__error saved = db->error; /* the call's own outcome stands */
        alliance__sql_exec_fresh(db, ALLIANCE__SQL_TEMP_STORE_DEFAULT, "restoring the temporary store");
        db->error = saved;
    }
}

int alliance__store_commit(alliance_db *db)
{
    db->new_deck_id = 0;
    return run_named(db, ALLIANCE__SQL_COMMIT, "committing");
}

int alliance__store_read_begin(alliance_db *db)
{
    if (!sqlite3_get_autocommit(db->sqlite))
        return 0; /* already inside a transaction: its snapshot serves */
    return run_named(db, ALLIANCE__SQL_BEGIN_READ, "starting a read") == ALLIANCE_OK;
}

int alliance__store_snapshot_begin(alliance_db *db, int *out_began)
{
    *out_began = 0;
    if (!sqlite3_get_autocommit(db->sqlite))
        return ALLIANCE_OK;
    int rc = run_named(db, ALLIANCE__SQL_BEGIN_READ, "starting a read");
    *out_began = rc == ALLIANCE_OK;
    return rc;
}

void alliance__store_read_end(alliance_db *db, int began)
{
    if (began && !sqlite3_get_autocommit(db->sqlite)) {
        alliance__error saved = db->error; /* a read's end never hides the read's own failure */
        /* A read transaction left open would make the handle's next write fail: roll it back
         * if the commit could not run (out of memory preparing it, for instance). */
        if (run_named(db, ALLIANCE__SQL_COMMIT, "ending a read") != ALLIANCE_OK)
            run_named(db, ALLIANCE__SQL_ROLLBACK, "ending a read");
        db->error = saved;
    }
}

void alliance__store_rollback(alliance_db *db)
{
    db->new_deck_id = 0;
    if (db->sqlite && !sqlite3_get_autocommit(db->sqlite)) {
        alliance__error saved = db->error; /* keep the failure that made us roll back */
        run_named(db, ALLIANCE__SQL_ROLLBACK, "rolling back");
        db->error = saved;
    }
}

/* ---- small helpers --------------------------------------------------------------- */

static const char *column_text(sqlite3_stmt *stmt, int col)
{
    const unsigned char *text = sqlite3_column_text(stmt, col);
    return text ? (const char *)text : "";
}

static char *dup_column(sqlite3_stmt *stmt, int col)
{
    return alliance__strdup(column_text(stmt, col));
}

static int no_memory(alliance_db *db)
{
    return alliance__error_set(&db->error, ALLIANCE_ENOMEM, "out of memory");
}

/* ---- decks ---------------------------------------------------------------------- */

/* *out_id = the deck's id, or 0 if there is none. */
static int deck_find(alliance_db *db, const char *name, int64_t *out_id)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_DECK_BY_NAME, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_text(stmt, 1, name);
    rc = alliance__sql_step(db, stmt, "looking up a deck");
    if (rc < 0)
        return rc;
    *out_id = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
    sqlite3_reset(stmt);
    return ALLIANCE_OK;
}

static int deck_id_taken(alliance_db *db, int64_t id, int *out_taken)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_DECK_ID_TAKEN, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, id);
    rc = alliance__sql_step(db, stmt, "looking up a deck");
    if (rc < 0)
        return rc;
    *out_taken = rc == SQLITE_ROW;
    sqlite3_reset(stmt);
    return ALLIANCE_OK;
}

/* A new deck's id: `hint` if it is positive and free (a deck received by sync keeps the
 * sender's id, so that a clone and its source agree on deck ids), else 0: SQLite's next
 * row id, so that decks made here keep their creation order. */
static int choose_deck_id(alliance_db *db, const char *name, int64_t hint, int64_t *out_id)
{
    (void)name;
    int taken = 0, rc;
    *out_id = 0;
    if (hint > 0) {
        if ((rc = deck_id_taken(db, hint, &taken)) != ALLIANCE_OK)
            return rc;
        if (!taken)
            *out_id = hint;
    }
    return ALLIANCE_OK;
}

static int deck_insert_with(alliance_db *db, const char *name, const char *description, const char *sources,
                            int64_t now, int64_t hint, int64_t *out_id)
{
    int64_t id = 0;
    sqlite3_stmt *stmt;
    int rc = choose_deck_id(db, name, hint, &id);
    if (rc || (rc = alliance__sql_stmt(db, ALLIANCE__SQL_DECK_INSERT, &stmt)) != ALLIANCE_OK)
        return rc;
    alliance__sql_bind_text(stmt, 1, name);
    alliance__sql_bind_text(stmt, 2, description);
    alliance__sql_bind_text(stmt, 3, sources);
    alliance__sql_bind_int(stmt, 4, now);
    if (id > 0)
        alliance__sql_bind_int(stmt, 5, id); /* else NULL: the next row id */
    if ((rc = alliance__sql_run(db, stmt, "creating a deck")) != ALLIANCE_OK)
        return rc;
    *out_id = id > 0 ? id : sqlite3_last_insert_rowid(db->sqlite);
    if (!sqlite3_get_autocommit(db->sqlite))
        db->new_deck_id = *out_id; /* until this transaction ends, it holds only what it puts in */
    return ALLIANCE_OK;
}

static int deck_insert(alliance_db *db, const char *name, const char *description, const char *sources,
                       int64_t now, int64_t *out_id)
{
    return deck_insert_with(db, name, description, sources, now, 0, out_id);
}

int alliance__store_deck_ensure(alliance_db *db, const char *name, int64_t hint, int64_t *out_deck_id,
                                int *out_created)
{
    if (!name || !*name)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "a deck without a name");
    int64_t id;
    int rc = deck_find(db, name, &id);
    if (rc)
        return rc;
    if (out_created)
        *out_created = id == 0;
    if (id == 0 && (rc = deck_insert_with(db, name, "", "", 0, hint, &id)) != ALLIANCE_OK)
        return rc;
    *out_deck_id = id;
    return ALLIANCE_OK;
}

int alliance__store_deck_put(alliance_db *db, const char *name, const char *description, const char *sources,
                             int64_t now, int64_t *out_deck_id)
{
    if (!name || !*name)
        return alliance__error_set(&db->error, ALLIANCE_EINVAL, "a deck needs a name");
    int64_t id;
    int rc = deck_find(db, name, &id);
    if (rc)
        return rc;
    if (id == 0) {
        rc = deck_insert(db, name, description, sources, now, &id);
    } else {
        sqlite3_stmt *stmt;
        if ((rc = alliance__sql_stmt(db, ALLIANCE__SQL_DECK_UPDATE, &stmt)) != ALLIANCE_OK)
            return rc;
        alliance__sql_bind_int(stmt, 1, id);
        alliance__sql_bind_text(stmt, 2, description);
        alliance__sql_bind_text(stmt, 3, sources);
        alliance__sql_bind_int(stmt, 4, now);
        rc = alliance__sql_run(db, stmt, "updating a deck");
    }
    if (rc == ALLIANCE_OK && out_deck_id)
        *out_deck_id = id;
    return rc;
}

/* Steps `id` for one deck row; SQLITE_ROW, or an error naming the missing deck. */
static int deck_row(alliance_db *db, alliance__sql_id id, int64_t deck_id, sqlite3_stmt **out)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, id, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, deck_id);
    rc = alliance__sql_step(db, stmt, "reading a deck");
    if (rc < 0)
        return rc;
    if (rc != SQLITE_ROW)
        return alliance__error_set(&db->error, ALLIANCE_ENOTFOUND, "no deck with id %lld", (long long)deck_id);
    *out = stmt;
    return SQLITE_ROW;
}

int alliance__store_deck_get(alliance_db *db, int64_t deck_id, char **out_name, char **out_description,
                             char **out_sources)
{
    sqlite3_stmt *stmt;
    int rc = deck_row(db, ALLIANCE__SQL_DECK_GET, deck_id, &stmt);
    if (rc != SQLITE_ROW)
        return rc;
    char *name = out_name ? dup_column(stmt, 0) : NULL;
    char *description = out_description ? dup_column(stmt, 1) : NULL;
    char *sources = out_sources ? dup_column(stmt, 2) : NULL;
    sqlite3_reset(stmt);
    if ((out_name && !name) || (out_description && !description) || (out_sources && !sources)) {
        alliance__free(name);
        alliance__free(description);
        alliance__free(sources);
        return no_memory(db);
    }
    if (out_name)
        *out_name = name;
    if (out_description)
        *out_description = description;
    if (out_sources)
        *out_sources = sources;
    return ALLIANCE_OK;
}

int alliance__store_deck_list(alliance_db *db, int64_t deck_id, int subdecks, int64_t **out_ids,
                              uint32_t *out_count)
{
    char *name = NULL;
    int rc = deck_id ? alliance__store_deck_get(db, deck_id, &name, NULL, NULL) : ALLIANCE_OK;
    sqlite3_stmt *stmt;
    if (rc || (rc = alliance__sql_stmt(db, ALLIANCE__SQL_DECK_LIST, &stmt)) != ALLIANCE_OK) {
        alliance__free(name);
        return rc;
    }
    alliance__sql_bind_int(stmt, 1, deck_id);
    alliance__sql_bind_int(stmt, 2, subdecks ? 1 : 0);
    alliance__sql_bind_text(stmt, 3, name);
    int64_t *ids = NULL;
    uint32_t n = 0, cap = 0;
    while ((rc = alliance__sql_step(db, stmt, "listing decks")) == SQLITE_ROW) {
        if (n == cap) {
            uint32_t more = cap ? cap * 2 : 16;
            int64_t *grown = more > cap ? alliance__realloc(ids, (size_t)more * sizeof *ids) : NULL;
            if (!grown) {
                sqlite3_reset(stmt);
                alliance__free(ids);
                alliance__free(name);
                return no_memory(db);
            }
            ids = grown;
            cap = more;
        }
        ids[n++] = sqlite3_column_int64(stmt, 0);
    }
    alliance__free(name);
    if (rc < 0) {
        alliance__free(ids);
        return rc;
    }
    *out_ids = ids;
    *out_count = n;
    return ALLIANCE_OK;
}

int alliance_deck_id(alliance_db *db, const char *name, int create, int64_t *out_deck_id)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!name || !*name || !out_deck_id)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "alliance_deck_id: name is NULL or empty, or out_deck_id is NULL"));
    int64_t id;
    rc = deck_find(db, name, &id);
    const char *problem = NULL;
    if (rc == ALLIANCE_OK && id == 0) {
        if (!create)
            rc = alliance__error_set(&db->error, ALLIANCE_ENOTFOUND, "no deck called \"%s\"", name);
        else if ((problem = alliance__text_check(ALLIANCE__TEXT_DECK_NAME, name, strlen(name), NULL)) != NULL)
            /* The rule every deck name follows (core/text.h): an export must read back as this deck. */
            rc = alliance__error_set(&db->error, ALLIANCE_EINVAL, "alliance_deck_id: invalid deck name: %s", problem);
        else /* no time is given here: the deck's created/modified stay 0 until an import sets them */
            rc = deck_insert(db, name, "", "", 0, &id);
    }
    if (rc == ALLIANCE_OK)
        *out_deck_id = id;
    return alliance__db_leave(db, rc);
}

int alliance_deck_name(alliance_db *db, int64_t deck_id, char **out_name)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!out_name)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL, "alliance_deck_name: out_name is NULL"));
    return alliance__db_leave(db, alliance__store_deck_get(db, deck_id, out_name, NULL, NULL));
}

/* ---- cards for the importer ------------------------------------------------------- */

static int generation_next(alliance_db *db, int64_t *out)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_GENERATION_NEXT, &stmt);
    if (rc)
        return rc;
    rc = alliance__sql_step(db, stmt, "numbering an import");
    if (rc < 0)
        return rc;
    if (rc != SQLITE_ROW)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "the collection has no settings row");
    *out = sqlite3_column_int64(stmt, 0);
    return alliance__sql_run(db, stmt, "numbering an import");
}

int alliance__store_next_generation(alliance_db *db, int64_t *out_generation)
{
    return generation_next(db, out_generation);
}

int alliance__store_note_free(alliance_db *db, const char *note_id)
{
    alliance__buf low = {0}, high = {0};
    if (alliance__buf_printf(&low, "%s::c", note_id) != 0 || alliance__buf_printf(&high, "%s::d", note_id) != 0) {
        alliance__buf_free(&low);
        alliance__buf_free(&high);
        return no_memory(db);
    }
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_NOTE_TAKEN, &stmt);
    if (rc == ALLIANCE_OK) {
        alliance__sql_bind_text(stmt, 1, note_id);
        alliance__sql_bind_text(stmt, 2, low.data);
        alliance__sql_bind_text(stmt, 3, high.data);
        rc = alliance__sql_step(db, stmt, "looking up a note");
        if (rc == SQLITE_ROW) {
            rc = alliance__error_set(&db->error, ALLIANCE_EEXISTS, "note '%s' is already in the collection (card '%s')",
                                     note_id, column_text(stmt, 0));
            sqlite3_reset(stmt);
        } else if (rc == SQLITE_DONE) {
            rc = ALLIANCE_OK;
        }
    }
    alliance__buf_free(&low);
    alliance__buf_free(&high);
    return rc;
}

static int check_card_row(alliance_db *db, const alliance__card_row *row)
{
    if (!row || !row->id || !*row->id || !row->note_id || !row->front)
        return alliance__error_set(&db->error, ALLIANCE_EINVAL, "a card needs an id, a note id and a front");
    if (strlen(row->id) > CARD_ID_MAX)
        return alliance__error_set(&db->error, ALLIANCE_ELIMIT, "card id \"%.40s...\" is longer than %d bytes",
                                   row->id, CARD_ID_MAX);
    if (row->type < ALLIANCE_CARD_BASIC || row->type > ALLIANCE_CARD_CHOICE)
        return alliance__error_set(&db->error, ALLIANCE_EINVAL, "card %s: unknown type %u", row->id,
                                   (unsigned)row->type);
    return ALLIANCE_OK;
}

static int same_text(sqlite3_stmt *stmt, int col, const char *value)
{
    return strcmp(column_text(stmt, col), value ? value : "") == 0;
}

/* Columns of CARD_FOR_PUT: pk, deck_id, note_id, ordinal, type, front, back,
 * wrong, tags, source_file, source_quote, position. */
static int text_unchanged(sqlite3_stmt *stmt, const alliance__card_row *row)
{
    return same_text(stmt, 2, row->note_id) && sqlite3_column_int64(stmt, 3) == row->ordinal &&
           sqlite3_column_int64(stmt, 4) == row->type && same_text(stmt, 5, row->front) &&
           same_text(stmt, 6, row->back) && same_text(stmt, 7, row->wrong) && same_text(stmt, 8, row->tags) &&
           same_text(stmt, 9, row->source_file) && same_text(stmt, 10, row->source_quote);
}

/* *out_taken (may be NULL) = 1 if the id is already another card's (UNIQUE): that is then not
 * a failure, the caller says whose it is. Without out_taken it is one (ECORRUPT: a lookup said
 * the id was free). The row's strings outlive the insert: they are bound without a copy. */
static int card_insert(alliance_db *db, int64_t deck_id, const alliance__card_row *row, int64_t generation,
                       int64_t now, int *out_taken)
{
    alliance_sm2_params params;
    int rc = alliance__db_params(db, &params);
    sqlite3_stmt *stmt;
    if (rc || (rc = alliance__sql_stmt(db, ALLIANCE__SQL_CARD_INSERT, &stmt)) != ALLIANCE_OK)
        return rc;
    alliance__sql_bind_static(stmt, 1, row->id);
    alliance__sql_bind_static(stmt, 2, row->note_id);
    alliance__sql_bind_int(stmt, 3, row->ordinal);
    alliance__sql_bind_int(stmt, 4, deck_id);
    alliance__sql_bind_int(stmt, 5, row->type);
    alliance__sql_bind_static(stmt, 6, row->front);
    alliance__sql_bind_static(stmt, 7, row->back);
    alliance__sql_bind_static(stmt, 8, row->wrong);
    alliance__sql_bind_static(stmt, 9, row->tags);
    alliance__sql_bind_static(stmt, 10, row->source_file);
    alliance__sql_bind_static(stmt, 11, row->source_quote);
    alliance__sql_bind_int(stmt, 12, row->position);
    alliance__sql_bind_int(stmt, 13, now);
    alliance__sql_bind_int(stmt, 14, params.initial_efactor_milli);
    alliance__sql_bind_int(stmt, 15, generation);
    alliance__sql_bind_int(stmt, 16, ALLIANCE__NO_DAY);
    if (!out_taken)
        return alliance__sql_run(db, stmt, "adding a card");
    *out_taken = 0;
    int step = sqlite3_step(stmt);
    if (step == SQLITE_DONE) {
        sqlite3_reset(stmt);
        return ALLIANCE_OK;
    }
    if (sqlite3_extended_errcode(db->sqlite) == SQLITE_CONSTRAINT_UNIQUE) {
        sqlite3_reset(stmt); /* only this statement is undone: the transaction goes on */
        *out_taken = 1;
        return ALLIANCE_OK;
    }
    rc = alliance__db_sqlite_error(db, step, "adding a card"); /* before the reset clears the message */
    sqlite3_reset(stmt);
    return rc;
}

static int card_update(alliance_db *db, int64_t pk, const alliance__card_row *row, int text_changed,
                       int64_t generation, int64_t now)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, text_changed ? ALLIANCE__SQL_CARD_UPDATE_TEXT : ALLIANCE__SQL_CARD_MARK_SEEN,
                                &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, pk);
    if (!text_changed) {
        alliance__sql_bind_int(stmt, 2, row->position);
        alliance__sql_bind_int(stmt, 3, generation);
        return alliance__sql_run(db, stmt, "marking a card as seen");
    }
    alliance__sql_bind_text(stmt, 2, row->note_id);
    alliance__sql_bind_int(stmt, 3, row->ordinal);
    alliance__sql_bind_int(stmt, 4, row->type);
    alliance__sql_bind_text(stmt, 5, row->front);
    alliance__sql_bind_text(stmt, 6, row->back);
    alliance__sql_bind_text(stmt, 7, row->wrong);
    alliance__sql_bind_text(stmt, 8, row->tags);
    alliance__sql_bind_text(stmt, 9, row->source_file);
    alliance__sql_bind_text(stmt, 10, row->source_quote);
    alliance__sql_bind_int(stmt, 11, row->position);
    alliance__sql_bind_int(stmt, 12, now);
    alliance__sql_bind_int(stmt, 13, generation);
    return alliance__sql_run(db, stmt, "updating a card");
}

static int card_in_other_deck(alliance_db *db, const char *card_id, int64_t its_deck, int64_t wanted_deck)
{
    char *its_name = NULL, *wanted_name = NULL;
    alliance__store_deck_get(db, its_deck, &its_name, NULL, NULL);
    alliance__store_deck_get(db, wanted_deck, &wanted_name, NULL, NULL);
    alliance__error_set(&db->error, ALLIANCE_EEXISTS,
                        "card id \"%s\" already belongs to deck \"%s\"; it cannot also be in deck \"%s\"", card_id,
                        its_name ? its_name : "?", wanted_name ? wanted_name : "?");
    alliance__free(its_name);
    alliance__free(wanted_name);
    return ALLIANCE_EEXISTS;
}

int alliance__store_card_put(alliance_db *db, int64_t deck_id, const alliance__card_row *row, int64_t generation,
                             int64_t now, int *out_result)
{
    int rc = check_card_row(db, row);
    if (rc)
        return rc;
    int taken = 1;
    if (deck_id == db->new_deck_id && deck_id != 0) {
        /* A deck this transaction created holds only cards it put in, each new: insert at
         * once; an id that is taken belongs to another deck, looked up below to say which. */
        if ((rc = card_insert(db, deck_id, row, generation, now, &taken)) != ALLIANCE_OK)
            return rc;
        if (!taken) {
            if (out_result)
                *out_result = ALLIANCE__PUT_ADDED;
            return ALLIANCE_OK;
        }
    }
    sqlite3_stmt *stmt;
    if ((rc = alliance__sql_stmt(db, ALLIANCE__SQL_CARD_FOR_PUT, &stmt)) != ALLIANCE_OK)
        return rc;
    alliance__sql_bind_static(stmt, 1, row->id);
    rc = alliance__sql_step(db, stmt, "looking up a card");
    if (rc < 0)
        return rc;
    if (rc == SQLITE_DONE) {
        sqlite3_reset(stmt);
        rc = card_insert(db, deck_id, row, generation, now, NULL);
        if (rc == ALLIANCE_OK && out_result)
            *out_result = ALLIANCE__PUT_ADDED;
        return rc;
    }
    int64_t pk = sqlite3_column_int64(stmt, 0);
    int64_t its_deck = sqlite3_column_int64(stmt, 1);
    int changed = !text_unchanged(stmt, row);
    sqlite3_reset(stmt);
    if (its_deck != deck_id)
        return card_in_other_deck(db, row->id, its_deck, deck_id);
    rc = card_update(db, pk, row, changed, generation, now);
    if (rc == ALLIANCE_OK && out_result)
        *out_result = changed ? ALLIANCE__PUT_UPDATED : ALLIANCE__PUT_UNCHANGED;
    return rc;
}

int alliance__store_suspend_unseen(alliance_db *db, int64_t deck_id, int64_t generation, int64_t now,
                                   uint32_t *out_count)
{
    (void)now; /* a suspension is not a change of the card's text: `modified` stays */
    sqlite3_stmt *stmt;
    int rc;
    int64_t left = 0;
    /* A deck this transaction created holds only what this import put in: nothing left it. */
    if (deck_id == db->new_deck_id && deck_id != 0)
        goto record;
    if ((rc = alliance__sql_stmt(db, ALLIANCE__SQL_CARD_COUNT_LEFT_FILE, &stmt)) != ALLIANCE_OK)
        return rc;
    alliance__sql_bind_int(stmt, 1, deck_id);
    alliance__sql_bind_int(stmt, 2, generation);
    rc = alliance__sql_step(db, stmt, "counting cards missing from the deck file");
    if (rc < 0)
        return rc;
    left = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
    sqlite3_reset(stmt);

    if ((rc = alliance__sql_stmt(db, ALLIANCE__SQL_CARD_SUSPEND_UNSEEN, &stmt)) != ALLIANCE_OK)
        return rc;
    alliance__sql_bind_int(stmt, 1, deck_id);
    alliance__sql_bind_int(stmt, 2, generation);
    if ((rc = alliance__sql_run(db, stmt, "suspending cards missing from the deck file")) != ALLIANCE_OK)
        return rc;
    if ((rc = alliance__sql_stmt(db, ALLIANCE__SQL_CARD_LEAVE_FILE, &stmt)) != ALLIANCE_OK)
        return rc;
    alliance__sql_bind_int(stmt, 1, deck_id);
    alliance__sql_bind_int(stmt, 2, generation);
    if ((rc = alliance__sql_run(db, stmt, "taking cards out of the deck file")) != ALLIANCE_OK)
        return rc;

record:
    /* From now on the deck file is this import's: export writes only the cards it saw. */
    if ((rc = alliance__sql_stmt(db, ALLIANCE__SQL_DECK_GENERATION_SET, &stmt)) != ALLIANCE_OK)
        return rc;
    alliance__sql_bind_int(stmt, 1, deck_id);
    alliance__sql_bind_int(stmt, 2, generation);
    if ((rc = alliance__sql_run(db, stmt, "recording the deck's import")) != ALLIANCE_OK)
        return rc;
    if (out_count)
        *out_count = left > UINT32_MAX ? UINT32_MAX : (uint32_t)left;
    return ALLIANCE_OK;
}

int alliance__store_deck_generation(alliance_db *db, int64_t deck_id, int64_t *out_generation)
{
    sqlite3_stmt *stmt;
    int rc = deck_row(db, ALLIANCE__SQL_DECK_GENERATION_GET, deck_id, &stmt);
    if (rc != SQLITE_ROW)
        return rc;
    *out_generation = sqlite3_column_int64(stmt, 0);
    sqlite3_reset(stmt);
    return ALLIANCE_OK;
}

/* ---- cards as the library hands them out ------------------------------------------ */

static const int card_text_columns[] = {
    ALLIANCE__COL_ID, ALLIANCE__COL_NOTE_ID, ALLIANCE__COL_FRONT, ALLIANCE__COL_BACK,
    ALLIANCE__COL_WRONG, ALLIANCE__COL_TAGS, ALLIANCE__COL_SOURCE_FILE, ALLIANCE__COL_SOURCE_QUOTE,
};
#define CARD_TEXTS (sizeof card_text_columns / sizeof card_text_columns[0])

static uint32_t column_u32(sqlite3_stmt *stmt, int col)
{
    return (uint32_t)sqlite3_column_int64(stmt, col);
}

static void fill_card_numbers(alliance_card *card, sqlite3_stmt *stmt)
{
    card->version = 3;
    card->retrievability_day = INT64_MIN; /* no `now`: see alliance__card_retrievability */
    card->type = column_u32(stmt, ALLIANCE__COL_TYPE);
    card->ordinal = column_u32(stmt, ALLIANCE__COL_ORDINAL);
    card->deck_id = sqlite3_column_int64(stmt, ALLIANCE__COL_DECK_ID);
    card->created = sqlite3_column_int64(stmt, ALLIANCE__COL_CREATED);
    card->modified = sqlite3_column_int64(stmt, ALLIANCE__COL_MODIFIED);
    card->suspended = column_u32(stmt, ALLIANCE__COL_SUSPENDED) != 0; /* who suspended it is internal */
    card->leech = column_u32(stmt, ALLIANCE__COL_LEECH);
    card->state.repetitions = column_u32(stmt, ALLIANCE__COL_REPETITIONS);
    card->state.efactor_milli = column_u32(stmt, ALLIANCE__COL_EFACTOR);
    card->state.interval_days = column_u32(stmt, ALLIANCE__COL_INTERVAL);
    card->state.repeat_today = column_u32(stmt, ALLIANCE__COL_REPEAT_TODAY);
    card->due_day = sqlite3_column_int64(stmt, ALLIANCE__COL_DUE_DAY);
    int64_t last_review_day = sqlite3_column_int64(stmt, ALLIANCE__COL_LAST_REVIEW_DAY);
    card->last_review_day = last_review_day == ALLIANCE__NO_DAY ? -1 : last_review_day; /* as documented */
    card->buried_until_day = sqlite3_column_int64(stmt, ALLIANCE__COL_BURIED_UNTIL_DAY);
    card->reviews = column_u32(stmt, ALLIANCE__COL_REVIEWS);
    card->lapses = column_u32(stmt, ALLIANCE__COL_LAPSES);
    card->fsrs.stability = sqlite3_column_double(stmt, ALLIANCE__COL_FSRS_STABILITY);
    card->fsrs.difficulty = sqlite3_column_double(stmt, ALLIANCE__COL_FSRS_DIFFICULTY);
    card->fsrs.interval_days = column_u32(stmt, ALLIANCE__COL_FSRS_INTERVAL);
    card->fsrs_drill = column_u32(stmt, ALLIANCE__COL_FSRS_DRILL);
}

void alliance__store_card_view(sqlite3_stmt *stmt, alliance_card *out)
{
    memset(out, 0, sizeof *out);
    fill_card_numbers(out, stmt);
    const char **fields[CARD_TEXTS] = {
        &out->id, &out->note_id, &out->front, &out->back,
        &out->wrong, &out->tags, &out->source_file, &out->source_quote,
    };
    for (size_t i = 0; i < CARD_TEXTS; i++)
        *fields[i] = column_text(stmt, card_text_columns[i]);
}

/* One allocation: the struct, then every string, so alliance_free releases it all. */
int alliance__store_card_from_row(alliance_db *db, sqlite3_stmt *stmt, alliance_card **out)
{
    size_t lengths[CARD_TEXTS], total = sizeof(alliance_card);
    for (size_t i = 0; i < CARD_TEXTS; i++) {
        lengths[i] = strlen(column_text(stmt, card_text_columns[i]));
        total += lengths[i] + 1;
    }
    alliance_card *card = alliance__calloc(1, total);
    if (!card)
        return no_memory(db);
    fill_card_numbers(card, stmt);
    const char **fields[CARD_TEXTS] = {
        &card->id, &card->note_id, &card->front, &card->back,
        &card->wrong, &card->tags, &card->source_file, &card->source_quote,
    };
    char *p = (char *)(card + 1);
    for (size_t i = 0; i < CARD_TEXTS; i++) {
        memcpy(p, column_text(stmt, card_text_columns[i]), lengths[i] + 1);
        *fields[i] = p;
        p += lengths[i] + 1;
    }
    *out = card;
    return ALLIANCE_OK;
}

static int card_by(alliance_db *db, alliance__sql_id id, const char *card_id, int64_t pk, alliance_card **out)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, id, &stmt);
    if (rc)
        return rc;
    if (card_id)
        alliance__sql_bind_text(stmt, 1, card_id);
    else
        alliance__sql_bind_int(stmt, 1, pk);
    rc = alliance__sql_step(db, stmt, "reading a card");
    if (rc < 0)
        return rc;
    if (rc == SQLITE_DONE) {
        if (card_id)
            return alliance__error_set(&db->error, ALLIANCE_ENOTFOUND, "no card with id \"%s\"", card_id);
        return alliance__error_set(&db->error, ALLIANCE_ENOTFOUND, "no card in row %lld", (long long)pk);
    }
    rc = alliance__store_card_from_row(db, stmt, out);
    sqlite3_reset(stmt);
    return rc;
}

int alliance__store_card_by_pk(alliance_db *db, int64_t pk, alliance_card **out)
{
    return card_by(db, ALLIANCE__SQL_CARD_GET_PK, NULL, pk, out);
}

int alliance__store_card_by_id(alliance_db *db, const char *card_id, alliance_card **out)
{
    return card_by(db, ALLIANCE__SQL_CARD_GET, card_id, 0, out);
}

int alliance_card_get(alliance_db *db, const char *card_id, alliance_card **out)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!card_id || !out)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "alliance_card_get: card_id or out is NULL"));
    alliance_card *card = NULL;
    rc = card_by(db, ALLIANCE__SQL_CARD_GET, card_id, 0, &card);
    if (rc == ALLIANCE_OK)
        *out = card;
    return alliance__db_leave(db, rc);
}

/* ---- the learner's suspend and bury ------------------------------------------------ */

static int set_card_column(alliance_db *db, alliance__sql_id id, const char *card_id, int64_t value,
                           const char *what)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, id, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_text(stmt, 1, card_id);
    alliance__sql_bind_int(stmt, 2, value);
    if ((rc = alliance__sql_run(db, stmt, what)) != ALLIANCE_OK)
        return alliance__error_about_card(&db->error, rc, card_id);
    if (sqlite3_changes(db->sqlite) == 0)
        return alliance__error_set(&db->error, ALLIANCE_ENOTFOUND, "no card with id \"%s\"", card_id);
    return ALLIANCE_OK;
}

int alliance__store_card_hold(alliance_db *db, const char *card_id, int suspend, int bury, int64_t now)
{
    int rc = ALLIANCE_OK;
    if (suspend)
        rc = set_card_column(db, ALLIANCE__SQL_CARD_SET_SUSPENDED, card_id, 1, "suspending a card");
    int64_t today;
    if (!rc && bury && (rc = alliance__db_today(db, now, &today)) == ALLIANCE_OK)
        rc = set_card_column(db, ALLIANCE__SQL_CARD_SET_BURIED, card_id, today + 1, "burying a card");
    return rc;
}

int alliance_card_suspend(alliance_db *db, const char *card_id, int suspended, int64_t now)
{
    (void)now; /* kept in the API for a future "suspended at"; nothing time-dependent today */
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!card_id || (suspended != 0 && suspended != 1))
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "alliance_card_suspend: card_id is NULL or suspended is not 0/1"));
    return alliance__db_leave(db, set_card_column(db, ALLIANCE__SQL_CARD_SET_SUSPENDED, card_id, suspended,
                                                  "suspending a card"));
}

int alliance_card_bury(alliance_db *db, const char *card_id, int64_t now)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!card_id)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL, "alliance_card_bury: card_id is NULL"));
    int64_t today;
    if ((rc = alliance__db_today(db, now, &today)) != ALLIANCE_OK)
        return alliance__db_leave(db, rc);
    return alliance__db_leave(db, set_card_column(db, ALLIANCE__SQL_CARD_SET_BURIED, card_id, today + 1,
                                                  "burying a card"));
}

/* ---- the scheduling columns ---------------------------------------------------------- */

void alliance__store_sched_read(sqlite3_stmt *stmt, alliance__sched *out)
{
    out->pk = sqlite3_column_int64(stmt, 0);
    out->deck_id = sqlite3_column_int64(stmt, 1);
    out->state.repetitions = column_u32(stmt, 2);
    out->state.efactor_milli = column_u32(stmt, 3);
    out->state.interval_days = column_u32(stmt, 4);
    out->state.repeat_today = column_u32(stmt, 5);
    out->due_day = sqlite3_column_int64(stmt, 6);
    out->last_review_day = sqlite3_column_int64(stmt, 7);
    out->buried_until_day = sqlite3_column_int64(stmt, 8);
    out->suspended = column_u32(stmt, 9);
    out->leech = column_u32(stmt, 10);
    out->reviews = column_u32(stmt, 11);
    out->lapses = column_u32(stmt, 12);
    out->fsrs.state.stability = sqlite3_column_double(stmt, 13);
    out->fsrs.state.difficulty = sqlite3_column_double(stmt, 14);
    out->fsrs.state.interval_days = column_u32(stmt, 15);
    out->fsrs.drill = column_u32(stmt, 16);
}

int alliance__store_sched_get(alliance_db *db, const char *card_id, alliance__sched *out)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_SCHED_GET, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_text(stmt, 1, card_id);
    rc = alliance__sql_step(db, stmt, "reading a card");
    if (rc < 0)
        return rc;
    if (rc == SQLITE_DONE)
        return alliance__error_set(&db->error, ALLIANCE_ENOTFOUND, "no card with id \"%s\"", card_id);
    alliance__store_sched_read(stmt, out);
    sqlite3_reset(stmt);
    return ALLIANCE_OK;
}

int alliance__store_sched_put(alliance_db *db, const alliance__sched *s)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_SCHED_PUT, &stmt);
    if (rc)
        return rc;
    const int64_t values[] = {
        s->pk, s->state.repetitions, s->state.efactor_milli, s->state.interval_days, s->state.repeat_today,
        s->due_day, s->last_review_day, s->buried_until_day, s->suspended, s->leech, s->reviews, s->lapses,
    };
    for (int i = 0; i < (int)(sizeof values / sizeof values[0]); i++)
        alliance__sql_bind_int(stmt, i + 1, values[i]);
    /* REAL columns keep a double's 64 bits exactly: replay compares them bit for bit */
    sqlite3_bind_double(stmt, 13, s->fsrs.state.stability);
    sqlite3_bind_double(stmt, 14, s->fsrs.state.difficulty);
    alliance__sql_bind_int(stmt, 15, s->fsrs.state.interval_days);
    alliance__sql_bind_int(stmt, 16, s->fsrs.drill);
    return alliance__sql_run(db, stmt, "storing a card's schedule");
}

int alliance__store_note_cards(alliance_db *db, const char *note_id, alliance__note_cards *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_NOTE_CARDS, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_text(stmt, 1, note_id);
    while ((rc = alliance__sql_step(db, stmt, "looking up a note's cards")) == SQLITE_ROW) {
        if (out->count == 0) {
            out->deck_id = sqlite3_column_int64(stmt, 1);
            out->position = sqlite3_column_int64(stmt, 2);
        } else if (sqlite3_column_int64(stmt, 1) != out->deck_id) {
            continue; /* another deck's note of the same id (a basic "x" beside a cloze "x::c1") */
        }
        char **ids = alliance__realloc(out->ids, (out->count + 1) * sizeof *ids);
        char *id = ids ? alliance__strdup(column_text(stmt, 0)) : NULL;
        if (ids)
            out->ids = ids;
        if (!id) {
            sqlite3_reset(stmt);
            alliance__note_cards_free(out);
            return no_memory(db);
        }
        out->ids[out->count++] = id;
    }
    if (rc < 0) {
        alliance__note_cards_free(out);
        return rc;
    }
    return ALLIANCE_OK;
}

void alliance__note_cards_free(alliance__note_cards *cards)
{
    for (size_t i = 0; i < cards->count; i++)
        alliance__free(cards->ids[i]);
    alliance__free(cards->ids);
    memset(cards, 0, sizeof *cards);
}

int alliance__store_card_leave_note(alliance_db *db, const char *card_id)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_NOTE_CARD_SUSPEND, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_text(stmt, 1, card_id);
    if ((rc = alliance__sql_run(db, stmt, "suspending a card its note no longer has")) != ALLIANCE_OK ||
        (rc = alliance__sql_stmt(db, ALLIANCE__SQL_NOTE_CARD_LEAVE_FILE, &stmt)) != ALLIANCE_OK)
        return rc;
    alliance__sql_bind_text(stmt, 1, card_id);
    return alliance__sql_run(db, stmt, "taking a card out of the deck file");
}
