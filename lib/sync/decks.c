/* SPDX-License-Identifier: MIT */
/*
 * decks.c - renaming and deleting a deck, and the sweep that makes a deck's
 * deletion converge on every copy (docs/sync.md, "Renaming and deleting a deck").
 *
 * Sync keys a deck by its name. A deletion is a field write of its own group
 * (deck, group 2, no values), stamped like any other: a card whose deck's
 * deletion is newer than the card's content is deleted, with its answers (each
 * gets a tombstone of the replica that removes it, so the removal reaches every
 * copy whatever becomes of the card) and its learner flags (the flags group of a
 * removed card always holds the empty values: a flags write received for it is
 * stored as a newer empty one); a deck whose deletion is newer than its
 * header loses its header, and goes when no card is left in it. A card removed so
 * gets a removal of its own (card group 2), newer than the content it had: a copy
 * whose content of the card is older removes it too, whatever deck it names. A
 * card lives while its content is newer than its removal. A rename is the
 * deletion of the old name, the header of the new one and a content write of
 * each of its cards, all with one Lamport stamp: a card follows the newer of two
 * concurrent renames, and all of a deck's cards follow the same one.
 */
#include "sync/sync.h"
#include "core/text.h"

#include <string.h>

static int run(alliance_db *db, alliance__sql_id id, const char *what)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, id, &stmt);
    return rc ? rc : alliance__sql_run(db, stmt, what);
}

static int run_int(alliance_db *db, alliance__sql_id id, int64_t v, const char *what)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, id, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, v);
    return alliance__sql_run(db, stmt, what);
}

static int exists_int(alliance_db *db, alliance__sql_id id, int64_t v, int bind, const char *what, int64_t *out)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, id, &stmt);
    if (rc)
        return rc;
    if (bind)
        alliance__sql_bind_int(stmt, 1, v);
    rc = alliance__sql_step(db, stmt, what);
    if (rc < 0)
        return rc;
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
    if (rc == SQLITE_ROW)
        sqlite3_reset(stmt);
    return rc == SQLITE_ROW ? 1 : 0;
}

int alliance__sync_any_deck_deleted(alliance_db *db)
{
    int64_t v;
    return exists_int(db, ALLIANCE__SQL_DM_ANY_DELETION, 0, 0, "looking for deleted decks", &v);
}

int alliance__sync_deck_make_room(alliance_db *db, int64_t hint)
{
    int64_t v;
    int rc = exists_int(db, ALLIANCE__SQL_DM_DYING_BY_ID, hint, 1, "looking at a deleted deck", &v);
    if (rc <= 0)
        return rc;
    /* The deck holding the id is deleted by a newer write (a rename's old name): it moves to a new
     * id, so that the deck this write creates keeps the sender's id, as on the sender. */
    int64_t moved = 0;
    if ((rc = run(db, ALLIANCE__SQL_DM_DEFER_FK, "deferring foreign keys")) != ALLIANCE_OK ||
        (rc = exists_int(db, ALLIANCE__SQL_DM_DECK_MOVE, hint, 1, "moving a deleted deck", &moved)) < 0)
        return rc;
    sqlite3_stmt *stmt;
    if ((rc = alliance__sql_stmt(db, ALLIANCE__SQL_DM_CARDS_MOVE, &stmt)) != ALLIANCE_OK)
        return rc;
    alliance__sql_bind_int(stmt, 1, hint);
    alliance__sql_bind_int(stmt, 2, moved);
    return alliance__sql_run(db, stmt, "moving a deleted deck's cards");
}

int alliance__sync_sweep_begin(alliance_db *db)
{
    int rc = run(db, ALLIANCE__SQL_SW_DEAD_CREATE, "preparing the sweep");
    return rc ? rc : run(db, ALLIANCE__SQL_SW_DEAD_CLEAR, "preparing the sweep");
}

int alliance__sync_mark_dead(alliance_db *db, alliance__sql_id id, const char *card_id, int64_t lamport,
                             int64_t origin)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, id, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_text(stmt, 1, card_id);
    alliance__sql_bind_int(stmt, 2, lamport);
    alliance__sql_bind_int(stmt, 3, origin);
    return alliance__sql_run(db, stmt, "looking at a removed card");
}

int alliance__sync_sweep(alliance_db *db)
{
    int rc;
    if ((rc = run(db, ALLIANCE__SQL_SW_DEAD_FIND, "finding the cards of deleted decks")) != ALLIANCE_OK ||
        (rc = run(db, ALLIANCE__SQL_SW_REMOVALS, "recording the removed cards")) != ALLIANCE_OK)
        return rc;
    int64_t removals = sqlite3_changes(db->sqlite);
    if ((rc = run_int(db, ALLIANCE__SQL_DM_SEQ_ADD, removals, "numbering the removed cards")) != ALLIANCE_OK ||
        (rc = run(db, ALLIANCE__SQL_SW_TOMBSTONES, "recording the removed answers")) != ALLIANCE_OK)
        return rc;
    int64_t tombstones = sqlite3_changes(db->sqlite);
    if ((rc = run_int(db, ALLIANCE__SQL_DM_SEQ_ADD, tombstones, "numbering the removed answers")) != ALLIANCE_OK ||
        (rc = run(db, ALLIANCE__SQL_SW_FLAGS_RESET, "clearing the removed cards' flags")) != ALLIANCE_OK)
        return rc;
    int64_t resets = sqlite3_changes(db->sqlite);
    if (((resets || removals) && (rc = run(db, ALLIANCE__SQL_DM_TICK, "stamping removed cards")) != ALLIANCE_OK) ||
        (rc = run_int(db, ALLIANCE__SQL_DM_SEQ_ADD, resets, "numbering the removed cards' flags")) != ALLIANCE_OK ||
        (rc = run(db, ALLIANCE__SQL_SW_REVIEWS, "removing answers")) != ALLIANCE_OK ||
        (rc = run(db, ALLIANCE__SQL_SW_STAMPS, "removing cards' stamps")) != ALLIANCE_OK ||
        (rc = run(db, ALLIANCE__SQL_SW_CARDS, "removing cards")) != ALLIANCE_OK ||
        (rc = run(db, ALLIANCE__SQL_SW_DECKS_RESET, "clearing deleted decks' headers")) != ALLIANCE_OK ||
        (rc = run(db, ALLIANCE__SQL_SW_HEADER_STAMPS, "removing deleted decks' stamps")) != ALLIANCE_OK ||
        (rc = run(db, ALLIANCE__SQL_SW_EXAMS_RESET, "clearing deleted decks' exams")) != ALLIANCE_OK ||
        (rc = run(db, ALLIANCE__SQL_SW_EXAM_STAMPS, "removing deleted decks' exam stamps")) != ALLIANCE_OK ||
        (rc = run(db, ALLIANCE__SQL_SW_DECKS_DELETE, "removing deleted decks")) != ALLIANCE_OK)
        return rc;
    return run(db, ALLIANCE__SQL_SW_DEAD_CLEAR, "finishing the sweep");
}

/* One stamp of this replica at the current Lamport value (the caller ticked it once). */
static int stamp_one(alliance_db *db, int kind, const char *key, int grp)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_DM_STAMP_ONE, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, kind);
    alliance__sql_bind_text(stmt, 2, key);
    alliance__sql_bind_int(stmt, 3, grp);
    if ((rc = alliance__sql_run(db, stmt, "stamping a deck")) != ALLIANCE_OK)
        return rc;
    return run_int(db, ALLIANCE__SQL_DM_SEQ_ADD, 1, "numbering a write");
}

static int unstamp(alliance_db *db, int kind, const char *key, int grp)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_DM_STAMP_DELETE, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, kind);
    alliance__sql_bind_text(stmt, 2, key);
    alliance__sql_bind_int(stmt, 3, grp);
    return alliance__sql_run(db, stmt, "removing a stamp");
}

static int deck_name_of(alliance_db *db, int64_t deck_id, char **out_name)
{
    char *desc = NULL, *sources = NULL;
    int rc = alliance__store_deck_get(db, deck_id, out_name, &desc, &sources);
    alliance__free(desc);
    alliance__free(sources);
    return rc;
}

static int rename_in_transaction(alliance_db *db, int64_t deck_id, const char *old_name, const char *new_name)
{
    int64_t other = 0;
    int rc;
    sqlite3_stmt *stmt;
    if ((rc = alliance__sql_stmt(db, ALLIANCE__SQL_DECK_BY_NAME, &stmt)) != ALLIANCE_OK)
        return rc;
    alliance__sql_bind_text(stmt, 1, new_name);
    if ((rc = alliance__sql_step(db, stmt, "looking up a deck")) < 0)
        return rc;
    if (rc == SQLITE_ROW) {
        other = sqlite3_column_int64(stmt, 0);
        sqlite3_reset(stmt);
        return alliance__error_set(&db->error, ALLIANCE_EEXISTS, "alliance_deck_rename: there is already a deck "
                                   "called \"%s\" (deck %lld)", new_name, (long long)other);
    }
    if ((rc = run(db, ALLIANCE__SQL_DM_TICK, "stamping a rename")) != ALLIANCE_OK ||
        (rc = run_int(db, ALLIANCE__SQL_SYNC_APPLYING, 1, "renaming a deck")) != ALLIANCE_OK ||
        (rc = alliance__sql_stmt(db, ALLIANCE__SQL_DM_DECK_RENAME, &stmt)) != ALLIANCE_OK)
        return rc;
    alliance__sql_bind_int(stmt, 1, deck_id);
    alliance__sql_bind_text(stmt, 2, new_name);
    if ((rc = alliance__sql_run(db, stmt, "renaming a deck")) != ALLIANCE_OK ||
        (rc = unstamp(db, ALLIANCE__KIND_DECK, old_name, 0)) != ALLIANCE_OK ||
        (rc = stamp_one(db, ALLIANCE__KIND_DECK, old_name, 2)) != ALLIANCE_OK ||
        (rc = stamp_one(db, ALLIANCE__KIND_DECK, new_name, 0)) != ALLIANCE_OK ||
        (rc = unstamp(db, ALLIANCE__KIND_DECK, old_name, 1)) != ALLIANCE_OK)
        return rc;
    /* the exam (migration 4) goes with the deck's row: written anew under the new name */
    if (sqlite3_changes(db->sqlite) > 0 && (rc = stamp_one(db, ALLIANCE__KIND_DECK, new_name, 1)) != ALLIANCE_OK)
        return rc;
    if ((rc = alliance__sql_stmt(db, ALLIANCE__SQL_DM_STAMP_CARDS, &stmt)) != ALLIANCE_OK)
        return rc;
    alliance__sql_bind_int(stmt, 1, deck_id);
    if ((rc = alliance__sql_run(db, stmt, "stamping the renamed deck's cards")) != ALLIANCE_OK)
        return rc;
    int64_t cards = sqlite3_changes(db->sqlite);
    if ((rc = run_int(db, ALLIANCE__SQL_DM_SEQ_ADD, cards, "numbering writes")) != ALLIANCE_OK)
        return rc;
    return run_int(db, ALLIANCE__SQL_SYNC_APPLYING, 0, "renaming a deck");
}

int alliance_deck_rename(alliance_db *db, int64_t deck_id, const char *new_name)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    const char *problem = NULL;
    if (!new_name || !*new_name || deck_id <= 0)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL, "alliance_deck_rename: "
                                                          "deck_id is not positive, or new_name is NULL or empty"));
    if ((problem = alliance__text_check(ALLIANCE__TEXT_DECK_NAME, new_name, strlen(new_name), NULL)) != NULL)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL,
                                                          "alliance_deck_rename: invalid deck name: %s", problem));
    if ((rc = alliance__store_begin(db)) != ALLIANCE_OK)
        return alliance__db_leave(db, rc);
    char *old_name = NULL;
    rc = deck_name_of(db, deck_id, &old_name);
    if (rc == ALLIANCE_OK && strcmp(old_name, new_name) != 0)
        rc = rename_in_transaction(db, deck_id, old_name, new_name);
    alliance__free(old_name);
    if (rc == ALLIANCE_OK)
        rc = alliance__store_commit(db);
    if (rc != ALLIANCE_OK)
        alliance__store_rollback(db);
    return alliance__db_leave(db, rc);
}

static int delete_in_transaction(alliance_db *db, int64_t deck_id, uint32_t flags)
{
    char *name = NULL;
    int64_t cards = 0;
    int rc = deck_name_of(db, deck_id, &name);
    if (rc == ALLIANCE_OK &&
        (rc = exists_int(db, ALLIANCE__SQL_DM_DECK_CARDS, deck_id, 1, "counting a deck's cards", &cards)) > 0)
        rc = ALLIANCE_OK;
    if (rc == ALLIANCE_OK && cards > 0 && !(flags & ALLIANCE_DECK_DELETE_CARDS))
        rc = alliance__error_set(&db->error, ALLIANCE_EINVAL, "alliance_deck_delete: deck \"%s\" has %lld cards "
                                 "(pass ALLIANCE_DECK_DELETE_CARDS to delete them and their history)", name,
                                 (long long)cards);
    /* The deletion is the newest write of this copy: the sweep removes every card of the deck. */
    if (rc == ALLIANCE_OK && (rc = run(db, ALLIANCE__SQL_DM_TICK, "stamping a deletion")) == ALLIANCE_OK &&
        (rc = stamp_one(db, ALLIANCE__KIND_DECK, name, 2)) == ALLIANCE_OK &&
        (rc = run_int(db, ALLIANCE__SQL_SYNC_APPLYING, 1, "deleting a deck")) == ALLIANCE_OK &&
        (rc = alliance__sync_sweep_begin(db)) == ALLIANCE_OK && (rc = alliance__sync_sweep(db)) == ALLIANCE_OK)
        rc = run_int(db, ALLIANCE__SQL_SYNC_APPLYING, 0, "deleting a deck");
    alliance__free(name);
    return rc;
}

int alliance_deck_delete(alliance_db *db, int64_t deck_id, uint32_t flags)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (deck_id <= 0 || (flags & ~(uint32_t)ALLIANCE_DECK_DELETE_CARDS))
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EINVAL, "alliance_deck_delete: "
                                                          "deck_id is not positive, or an unknown flag"));
    if ((rc = alliance__store_begin(db)) != ALLIANCE_OK)
        return alliance__db_leave(db, rc);
    rc = delete_in_transaction(db, deck_id, flags);
    if (rc == ALLIANCE_OK)
        rc = alliance__store_commit(db);
    if (rc != ALLIANCE_OK)
        alliance__store_rollback(db);
    return alliance__db_leave(db, rc);
}

int alliance__sync_remove_note(alliance_db *db, const char *note_id, int64_t deck_id)
{
    sqlite3_stmt *stmt;
    int rc;
    if ((rc = alliance__sync_sweep_begin(db)) != ALLIANCE_OK ||
        (rc = alliance__sql_stmt(db, ALLIANCE__SQL_NOTE_DEAD, &stmt)) != ALLIANCE_OK)
        return rc;
    alliance__sql_bind_text(stmt, 1, note_id);
    alliance__sql_bind_int(stmt, 2, deck_id);
    /* The sweep stamps each removal one past this copy's clock, newer than any content it holds. */
    if ((rc = alliance__sql_run(db, stmt, "finding a note's cards")) != ALLIANCE_OK ||
        (rc = run_int(db, ALLIANCE__SQL_SYNC_APPLYING, 1, "deleting a note")) != ALLIANCE_OK ||
        (rc = alliance__sync_sweep(db)) != ALLIANCE_OK)
        return rc;
    return run_int(db, ALLIANCE__SQL_SYNC_APPLYING, 0, "deleting a note");
}
