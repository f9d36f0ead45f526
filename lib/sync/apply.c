/* SPDX-License-Identifier: MIT */
/*
 * apply.c - alliance_sync_apply and alliance_sync_clone: a changeset is read
 * record by record straight into one transaction (never held whole), merged
 * (reviews and tombstones by union, field groups by their Lamport stamps),
 * the touched cards replayed, the version vector advanced - and all of it is
 * rolled back if anything fails, including a checksum mismatch at the very end.
 */
#include "sync/sync.h"
#include "study/replay.h"

#include <stdio.h>
#include <string.h>

#define CONFLICT_LINES 20

typedef struct applier {
    alliance_db *db;
    alliance__sync_reader r;
    alliance__sync_vector sender, base;
    alliance__sync_self self;
    int64_t max_lamport;
    alliance_sync_report rep;
    alliance__buf conflicts;
    uint32_t conflict_lines;
} applier;

int alliance_sync_options_init(alliance_sync_options *options, uint32_t version)
{
    if (!options)
        return ALLIANCE_EINVAL;
    if (version != ALLIANCE_SYNC_OPTIONS_VERSION)
        return ALLIANCE_EVERSION;
    alliance_sync_options defaults = ALLIANCE_SYNC_OPTIONS_INIT;
    *options = defaults;
    return ALLIANCE_OK;
}

static int no_memory(alliance_db *db)
{
    return alliance__error_set(&db->error, ALLIANCE_ENOMEM, "out of memory");
}

static int run_int(alliance_db *db, alliance__sql_id id, int64_t value, const char *what)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, id, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, value);
    return alliance__sql_run(db, stmt, what);
}

/* 1 if a row exists for the statement bound with (a, b). */
static int exists2(alliance_db *db, alliance__sql_id id, int64_t a, int64_t b, int64_t *out_col0, int64_t *out_col1)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, id, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, a);
    alliance__sql_bind_int(stmt, 2, b);
    rc = alliance__sql_step(db, stmt, "looking up an event");
    if (rc < 0)
        return rc;
    if (rc == SQLITE_ROW) {
        if (out_col0)
            *out_col0 = sqlite3_column_int64(stmt, 0);
        if (out_col1)
            *out_col1 = sqlite3_column_int64(stmt, 1);
        sqlite3_reset(stmt);
        return 1;
    }
    return 0;
}

/* Marks a card for replay; returns 1 if it was not marked yet. */
static int touch(applier *a, int64_t pk)
{
    int rc = run_int(a->db, ALLIANCE__SQL_SYNC_TOUCH, pk, "noting a card to replay");
    return rc ? rc : sqlite3_changes(a->db->sqlite) > 0;
}

static void see_lamport(applier *a, int64_t lamport)
{
    if (lamport > a->max_lamport)
        a->max_lamport = lamport;
}

/* ---- field writes ---- */

static void note_conflict(applier *a, const alliance__sync_group *g, const char *key, int kept_remote)
{
    a->rep.conflicts++;
    if (kept_remote)
        a->rep.conflicts_kept_remote++;
    else
        a->rep.conflicts_kept_local++;
    if (a->conflict_lines++ < CONFLICT_LINES) {
        const char *what = kept_remote ? "kept the other copy's newer write" : "kept this copy's newer write";
        if (g->kind == ALLIANCE__KIND_CONFIG)
            alliance__buf_printf(&a->conflicts, "%s: changed on both: %s\n", g->name, what);
        else
            alliance__buf_printf(&a->conflicts, "%s \"%s\": changed on both: %s\n", g->name, key, what);
    }
}

static int apply_keyed_write(applier *a, const alliance__sync_group *g, const char *key, alliance__sync_write *w);

static int apply_write(applier *a, alliance__sync_write *w)
{
    alliance_db *db = a->db;
    const alliance__sync_group *g = alliance__sync_group_find(w->kind, w->grp);
    if (g->kind != ALLIANCE__KIND_CONFIG && w->key_len == 0)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "a write of %s at byte %llu has an empty key",
                                   g->name, (unsigned long long)a->r.rec_offset);
    /* A key is bounded by its record (ALLIANCE__SYNC_MAX_RECORD), not by a fixed buffer: a deck's
     * name (its key) may be as long as the deck format's line. */
    char *key = alliance__malloc((size_t)w->key_len + 1);
    if (!key)
        return no_memory(db);
    memcpy(key, w->key, w->key_len);
    key[w->key_len] = '\0';
    int rc = apply_keyed_write(a, g, key, w);
    alliance__free(key);
    return rc;
}

static int apply_keyed_write(applier *a, const alliance__sync_group *g, const char *key, alliance__sync_write *w)
{
    alliance_db *db = a->db;
    see_lamport(a, w->lamport);

    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_STAMP_GET, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_int(stmt, 1, g->kind);
    alliance__sql_bind_text(stmt, 2, key);
    alliance__sql_bind_int(stmt, 3, g->grp);
    if ((rc = alliance__sql_step(db, stmt, "reading a stamp")) < 0)
        return rc;
    int have = rc == SQLITE_ROW;
    int64_t l_lamport = have ? sqlite3_column_int64(stmt, 0) : 0, l_origin = have ? sqlite3_column_int64(stmt, 1) : 0,
            l_seq = have ? sqlite3_column_int64(stmt, 2) : 0;
    if (have)
        sqlite3_reset(stmt);
    if (have && l_origin == w->origin && l_seq == w->seq) {
        a->rep.already_held++;
        return ALLIANCE_OK;
    }
    /* The sender had not seen this copy's write: both changed the group since they last met. */
    int concurrent = have && l_seq > alliance__sync_vector_get(&a->sender, l_origin);
    int remote_newer = !have || w->lamport > l_lamport || (w->lamport == l_lamport && w->origin > l_origin);
    if (!remote_newer) {
        if (concurrent)
            note_conflict(a, g, key, 0);
        else
            a->rep.already_held++; /* an older write, already superseded here */
        return ALLIANCE_OK;
    }
    if (concurrent)
        note_conflict(a, g, key, 1);
    int64_t pk = 0;
    int created = 0;
    if ((rc = g->put(db, g, key, w, &pk, &created)) != ALLIANCE_OK) {
        if (rc == ALLIANCE_EDB || rc == ALLIANCE_EINVAL) /* a CHECK constraint: a value that cannot be stored */
            rc = ALLIANCE_ECORRUPT;
        alliance__error *e = &db->error;
        char msg[ALLIANCE__ERRMSG_MAX];
        snprintf(msg, sizeof msg, "%s", e->message);
        return alliance__error_set(e, rc, "the write of %s \"%s\" at byte %llu was refused: %s", g->name, key,
                                   (unsigned long long)a->r.rec_offset, msg);
    }
    if (g->kind == ALLIANCE__KIND_CARD && pk < 0)
        return ALLIANCE_OK; /* the flags of a removed card, answered with a newer write (groups.c) */
    if ((rc = alliance__sql_stmt(db, ALLIANCE__SQL_STAMP_PUT, &stmt)) != ALLIANCE_OK)
        return rc;
    alliance__sql_bind_int(stmt, 1, g->kind);
    alliance__sql_bind_text(stmt, 2, key);
    alliance__sql_bind_int(stmt, 3, g->grp);
    alliance__sql_bind_int(stmt, 4, w->lamport);
    alliance__sql_bind_int(stmt, 5, w->origin);
    alliance__sql_bind_int(stmt, 6, w->seq);
    if ((rc = alliance__sql_run(db, stmt, "storing a stamp")) != ALLIANCE_OK)
        return rc;
    if (g->kind == ALLIANCE__KIND_CARD && pk == 0) {
        /* the (empty) flags of a removed card, or a card's removal: only the stamp is kept */
    } else if (g->kind == ALLIANCE__KIND_CARD) {
        int first = touch(a, pk);
        if (first < 0)
            return first;
        a->rep.cards += (uint32_t)first;
        a->rep.cards_added += (uint32_t)created;
    } else if (g->kind == ALLIANCE__KIND_DECK) {
        a->rep.decks++;
    } else {
        a->rep.settings++;
    }
    return ALLIANCE_OK;
}

/* ---- reviews and tombstones ---- */

static int apply_review(applier *a, const alliance__sync_review *v)
{
    alliance_db *db = a->db;
    see_lamport(a, v->lamport);
    int rc = exists2(db, ALLIANCE__SQL_REVIEW_BY_EVENT, v->origin, v->seq, NULL, NULL);
    if (rc == 0)
        rc = exists2(db, ALLIANCE__SQL_TOMBSTONE_FOR_REVIEW, v->origin, v->seq, NULL, NULL);
    if (rc < 0)
        return rc;
    if (rc == 1) { /* held, or undone already */
        a->rep.already_held++;
        return ALLIANCE_OK;
    }
    char card_id[1024];
    if (v->card_id_len >= sizeof card_id)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "a review at byte %llu names a card id of %u bytes",
                                   (unsigned long long)a->r.rec_offset, (unsigned)v->card_id_len);
    memcpy(card_id, v->card_id, v->card_id_len);
    card_id[v->card_id_len] = '\0';
    alliance__sched s;
    if ((rc = alliance__store_sched_get(db, card_id, &s)) == ALLIANCE_ENOTFOUND &&
        (rc = alliance__sync_any_deck_deleted(db)) != 0) {
        if (rc < 0)
            return rc;
        /* An answer to a card of a deleted deck goes with the card. A tombstone of this copy
         * says so to the copies that still hold the answer, as the sweep's do (decks.c). */
        int64_t origin, seq, lamport;
        sqlite3_stmt *stmt;
        if ((rc = alliance__sync_next_event(db, &origin, &seq, &lamport)) != ALLIANCE_OK ||
            (rc = alliance__sql_stmt(db, ALLIANCE__SQL_TOMBSTONE_INSERT, &stmt)) != ALLIANCE_OK)
            return rc;
        const int64_t values[] = { origin, seq, lamport, v->origin, v->seq };
        for (int i = 0; i < 5; i++)
            alliance__sql_bind_int(stmt, i + 1, values[i]);
        if ((rc = alliance__sql_run(db, stmt, "recording a removed answer")) != ALLIANCE_OK)
            return rc;
        a->rep.already_held++;
        return ALLIANCE_OK;
    }
    if (rc != ALLIANCE_OK)
        return rc == ALLIANCE_ENOTFOUND
                   ? alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "a review at byte %llu is of card \"%s\", "
                                         "which neither this copy nor the changeset has",
                                         (unsigned long long)a->r.rec_offset, card_id)
                   : rc;
    /* An import key (card, Anki revlog id) is held once: two copies that imported the same
     * package made two events of one key, and every copy keeps the one with the smaller
     * (origin, seq) (docs/sync.md, "Imported history"). */
    if (v->import_id != 0) {
        sqlite3_stmt *stmt;
        if ((rc = alliance__sql_stmt(db, ALLIANCE__SQL_REVIEW_BY_IMPORT_KEY, &stmt)) != ALLIANCE_OK)
            return rc;
        alliance__sql_bind_int(stmt, 1, s.pk);
        alliance__sql_bind_int(stmt, 2, v->import_id);
        if ((rc = alliance__sql_step(db, stmt, "looking up an imported review")) < 0)
            return rc;
        if (rc == SQLITE_ROW) {
            int64_t held_id = sqlite3_column_int64(stmt, 0), held_origin = sqlite3_column_int64(stmt, 1),
                    held_seq = sqlite3_column_int64(stmt, 2);
            sqlite3_reset(stmt);
            if (held_origin < v->origin || (held_origin == v->origin && held_seq <= v->seq)) {
                a->rep.already_held++; /* the key's row is the one held */
                return ALLIANCE_OK;
            }
            if ((rc = alliance__log_delete(db, held_id)) != ALLIANCE_OK)
                return alliance__error_about_card(&db->error, rc, card_id);
        }
    }
    /* The caches (day, before/after, prev_*) are placeholders until the card is replayed below. */
    alliance__review_row row;
    memset(&row, 0, sizeof row);
    row.card_pk = s.pk;
    row.time = v->time;
    row.day = v->raw_day;
    row.grade = v->grade;
    row.elapsed_days = -1;
    row.answer_ms = v->answer_ms;
    row.before.efactor_milli = row.after.efactor_milli = v->params.initial_efactor_milli;
    row.params = v->params;
    row.prev_last_review_day = ALLIANCE__NO_DAY;
    row.origin = v->origin;
    row.seq = v->seq;
    row.lamport = v->lamport;
    row.sort_time = v->sort_time;
    row.raw_day = v->raw_day;
    row.leech_threshold = v->leech_threshold;
    row.leech_suspend = v->leech_suspend;
    row.kind = v->kind;
    row.fuzz = v->fuzz;
    row.scheduler = v->scheduler; /* the parser checked the pair (and the text's length) */
    memcpy(row.fsrs_params, v->fsrs_params, v->fsrs_params_len);
    row.fsrs_params[v->fsrs_params_len] = '\0';
    row.import_id = v->import_id;
    if (v->import_id != 0) {
        row.before = row.after = v->import_after;
        row.import_due_day = v->import_due_day;
        row.import_reviews = v->import_reviews;
        row.import_lapses = v->import_lapses;
    }
    if ((rc = alliance__log_insert(db, &row)) != ALLIANCE_OK)
        return alliance__error_about_card(&db->error, rc, card_id);
    rc = touch(a, s.pk);
    if (rc < 0)
        return rc;
    a->rep.reviews++;
    return ALLIANCE_OK;
}

static int apply_tombstone(applier *a, const alliance__sync_tombstone *t)
{
    alliance_db *db = a->db;
    see_lamport(a, t->lamport);
    /* An undo takes back an answer of the replica that made it; the deletion of a deck removes
     * any replica's answers to its cards (decks.c): a tombstone may name any review. */
    int rc = exists2(db, ALLIANCE__SQL_TOMBSTONE_EXISTS, t->origin, t->seq, NULL, NULL);
    if (rc < 0)
        return rc;
    if (rc == 1) {
        a->rep.already_held++;
        return ALLIANCE_OK;
    }
    sqlite3_stmt *stmt;
    if ((rc = alliance__sql_stmt(db, ALLIANCE__SQL_TOMBSTONE_INSERT, &stmt)) != ALLIANCE_OK)
        return rc;
    const int64_t values[] = { t->origin, t->seq, t->lamport, t->review_origin, t->review_seq };
    for (int i = 0; i < 5; i++)
        alliance__sql_bind_int(stmt, i + 1, values[i]);
    if ((rc = alliance__sql_run(db, stmt, "recording an undo")) != ALLIANCE_OK)
        return rc;
    a->rep.tombstones++;
    int64_t id = 0, card = 0;
    rc = exists2(db, ALLIANCE__SQL_REVIEW_BY_EVENT, t->review_origin, t->review_seq, &id, &card);
    if (rc <= 0)
        return rc;
    if ((rc = alliance__log_delete(db, id)) != ALLIANCE_OK || (rc = touch(a, card)) < 0)
        return rc;
    a->rep.reviews_removed++;
    return ALLIANCE_OK;
}

/* ---- the end: replay, vector, clock ---- */

static int replay_touched(applier *a)
{
    alliance_db *db = a->db;
    int64_t after = 0;
    for (;;) {
        sqlite3_stmt *stmt;
        int rc = alliance__sql_stmt(db, ALLIANCE__SQL_SYNC_TOUCHED_NEXT, &stmt);
        if (rc)
            return rc;
        alliance__sql_bind_int(stmt, 1, after);
        if ((rc = alliance__sql_step(db, stmt, "listing the cards to replay")) < 0)
            return rc;
        if (rc == SQLITE_DONE)
            return ALLIANCE_OK;
        after = sqlite3_column_int64(stmt, 0);
        char id[1024];
        const unsigned char *text = sqlite3_column_text(stmt, 1);
        snprintf(id, sizeof id, "%s", text ? (const char *)text : "");
        sqlite3_reset(stmt);
        alliance__sched s;
        alliance__replayed r;
        if ((rc = alliance__store_sched_get(db, id, &s)) != ALLIANCE_OK ||
            (rc = alliance__replay_card(db, id, &s, 1, &r)) != ALLIANCE_OK)
            return rc;
        a->rep.cards_replayed++;
    }
}

/* The receiver advances its entry for a replica to the sender's only if it already held
 * everything the changeset left out (its entry is at least the base the changeset was
 * written against): a changeset written for another peer, or kept and applied late,
 * never makes a copy believe it holds events it was not sent. */
static int advance_vector(applier *a)
{
    alliance_db *db = a->db;
    int rc = ALLIANCE_OK;
    for (size_t i = 0; i < a->sender.n && rc == ALLIANCE_OK; i++) {
        int64_t replica = a->sender.replica[i], seq = a->sender.seq[i];
        int64_t base = alliance__sync_vector_get(&a->base, replica);
        if (replica == a->self.replica_id) {
            if (a->self.seq >= base)
                rc = run_int(db, ALLIANCE__SQL_SYNC_SEQ_FLOOR, seq, "advancing the version vector");
            continue;
        }
        int64_t mine = 0;
        sqlite3_stmt *stmt;
        /* our entry: there is no single-row statement; the vector table is small */
        if ((rc = alliance__sql_stmt(db, ALLIANCE__SQL_SYNC_VECTOR_ALL, &stmt)) != ALLIANCE_OK)
            break;
        while ((rc = alliance__sql_step(db, stmt, "reading the version vector")) == SQLITE_ROW)
            if (sqlite3_column_int64(stmt, 0) == replica) {
                mine = sqlite3_column_int64(stmt, 1);
                sqlite3_reset(stmt);
                rc = SQLITE_DONE;
                break;
            }
        if (rc < 0)
            break;
        rc = ALLIANCE_OK;
        /* Not advanced, the entry is still made (at 0 if there is none): this copy may now
         * hold events of that replica beyond its entry, and the writer passes on the events
         * of every replica its vector names. */
        if (mine < base)
            seq = 0;
        else if (seq <= mine && (mine > 0 || seq > 0))
            continue; /* the entry exists and is at least the sender's */
        if ((rc = alliance__sql_stmt(db, ALLIANCE__SQL_SYNC_VECTOR_PUT, &stmt)) != ALLIANCE_OK)
            break;
        alliance__sql_bind_int(stmt, 1, replica);
        alliance__sql_bind_int(stmt, 2, seq);
        rc = alliance__sql_run(db, stmt, "advancing the version vector");
    }
    return rc;
}

/* Every event's replica is named by the sender's vector (the writer sends only those): the
 * receiver's vector then names it too, and it passes the event on (advance_vector). */
static int origin_named(applier *a, int64_t origin)
{
    if (alliance__sync_vector_has(&a->sender, origin))
        return ALLIANCE_OK;
    return alliance__error_set(&a->db->error, ALLIANCE_ECORRUPT, "the record at byte %llu is an event of replica "
                               "%lld, which the changeset's version vector does not name",
                               (unsigned long long)a->r.rec_offset, (long long)origin);
}

static int apply_records(applier *a)
{
    int rc;
    while ((rc = alliance__sync_reader_next(&a->r)) == ALLIANCE_OK) {
        if (a->r.type == ALLIANCE__REC_WRITE) {
            alliance__sync_write w;
            if ((rc = alliance__sync_parse_write(&a->r, &w)) == ALLIANCE_OK &&
                (rc = origin_named(a, w.origin)) == ALLIANCE_OK)
                rc = apply_write(a, &w);
        } else if (a->r.type == ALLIANCE__REC_REVIEW) {
            alliance__sync_review v;
            if ((rc = alliance__sync_parse_review(&a->r, &v)) == ALLIANCE_OK &&
                (rc = origin_named(a, v.origin)) == ALLIANCE_OK)
                rc = apply_review(a, &v);
        } else {
            alliance__sync_tombstone t;
            if ((rc = alliance__sync_parse_tombstone(&a->r, &t)) == ALLIANCE_OK &&
                (rc = origin_named(a, t.origin)) == ALLIANCE_OK)
                rc = apply_tombstone(a, &t);
        }
        if (rc)
            return rc;
    }
    return rc == ALLIANCE_DONE ? ALLIANCE_OK : rc;
}

static void hex16(char out[33], const uint8_t id[16])
{
    for (int i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", id[i]);
}

/* Reads the header and both vectors; checks what the changeset is and whose. */
static int read_head(applier *a, const alliance_sync_options *o, int adopt)
{
    alliance_db *db = a->db;
    int rc = alliance__sync_reader_header(&a->r);
    if (rc)
        return rc;
    if (a->r.flags & ALLIANCE__SYNC_FLAG_STATE)
        return alliance__error_set(&db->error, ALLIANCE_EINVAL, "this is a sync state, not a changeset (give it to "
                                   "alliance_sync_changes)");
    if ((rc = alliance__sync_vector_read(&a->r, &a->sender)) != ALLIANCE_OK ||
        (rc = alliance__sync_vector_read(&a->r, &a->base)) != ALLIANCE_OK ||
        (rc = alliance__sync_self_get(db, &a->self)) != ALLIANCE_OK)
        return rc;
    if (!adopt && memcmp(a->r.collection_id, a->self.collection_id, 16) != 0 && !(o && o->force)) {
        char theirs[33], ours[33];
        hex16(theirs, a->r.collection_id);
        hex16(ours, a->self.collection_id);
        return alliance__error_set(&db->error, ALLIANCE_EFOREIGN, "the changeset belongs to collection %s, not to this "
                                   "one (%s): refusing to merge another learner's collection (force it with "
                                   "alliance_sync_options.force)", theirs, ours);
    }
    if (a->r.sender == a->self.replica_id && !adopt)
        return alliance__error_set(&db->error, ALLIANCE_EINVAL, "the changeset was written by this very copy "
                                   "(replica %lld)", (long long)a->self.replica_id);
    return ALLIANCE_OK;
}

static int apply_in_transaction(applier *a, int adopt)
{
    alliance_db *db = a->db;
    sqlite3_stmt *stmt;
    int rc;
    if ((rc = run_int(db, ALLIANCE__SQL_SYNC_APPLYING, 1, "starting to apply")) != ALLIANCE_OK ||
        (rc = alliance__sql_stmt(db, ALLIANCE__SQL_SYNC_TOUCHED_CREATE, &stmt)) != ALLIANCE_OK ||
        (rc = alliance__sql_run(db, stmt, "preparing to apply")) != ALLIANCE_OK ||
        (rc = alliance__sql_stmt(db, ALLIANCE__SQL_SYNC_TOUCHED_CLEAR, &stmt)) != ALLIANCE_OK ||
        (rc = alliance__sql_run(db, stmt, "preparing to apply")) != ALLIANCE_OK ||
        (rc = alliance__sync_sweep_begin(db)) != ALLIANCE_OK)
        return rc;
    if (adopt) {
        if ((rc = alliance__sql_stmt(db, ALLIANCE__SQL_SYNC_SET_COLLECTION, &stmt)) != ALLIANCE_OK)
            return rc;
        sqlite3_bind_blob(stmt, 1, a->r.collection_id, 16, SQLITE_TRANSIENT);
        if ((rc = alliance__sql_run(db, stmt, "taking the collection's id")) != ALLIANCE_OK)
            return rc;
    }
    /* The clock first takes in every stamp seen: what the sweep stamps is newer than all of them. */
    if ((rc = apply_records(a)) != ALLIANCE_OK ||
        (rc = run_int(db, ALLIANCE__SQL_SYNC_SEE_LAMPORT, a->max_lamport, "advancing the clock")) != ALLIANCE_OK ||
        (rc = alliance__sync_sweep(db)) != ALLIANCE_OK ||
        (rc = replay_touched(a)) != ALLIANCE_OK ||
        (rc = advance_vector(a)) != ALLIANCE_OK ||
        (rc = run_int(db, ALLIANCE__SQL_SYNC_SEE_LAMPORT, a->max_lamport, "advancing the clock")) != ALLIANCE_OK ||
        (rc = alliance__sql_stmt(db, ALLIANCE__SQL_SYNC_TOUCHED_CLEAR, &stmt)) != ALLIANCE_OK ||
        (rc = alliance__sql_run(db, stmt, "finishing the apply")) != ALLIANCE_OK)
        return rc;
    return run_int(db, ALLIANCE__SQL_SYNC_APPLYING, 0, "finishing the apply");
}

static int make_report(applier *a, alliance_sync_report **out)
{
    const char *text = a->conflicts.data ? a->conflicts.data : "";
    if (a->conflict_lines > CONFLICT_LINES)
        alliance__buf_printf(&a->conflicts, "... and %u more\n", (unsigned)(a->conflict_lines - CONFLICT_LINES));
    text = a->conflicts.data ? a->conflicts.data : "";
    size_t len = strlen(text);
    alliance_sync_report *rep = alliance__calloc(1, sizeof *rep + len + 1);
    if (!rep)
        return no_memory(a->db);
    *rep = a->rep;
    rep->version = 1;
    rep->sender_replica = a->r.sender;
    rep->bytes = a->r.offset;
    char *p = (char *)(rep + 1);
    memcpy(p, text, len + 1);
    rep->conflict_text = p;
    *out = rep;
    return ALLIANCE_OK;
}

static int sync_apply(alliance_db *db, const alliance_sync_options *options, alliance_read_fn read, void *opaque,
                      int adopt, alliance_sync_report **out_report)
{
    if (!read)
        return alliance__error_set(&db->error, ALLIANCE_EINVAL, "alliance_sync_apply: read is NULL");
    if (options && options->version != ALLIANCE_SYNC_OPTIONS_VERSION)
        return alliance__error_set(&db->error, ALLIANCE_EVERSION, "sync options: unknown version %u",
                                   (unsigned)options->version);
    applier *a = alliance__calloc(1, sizeof *a);
    if (!a)
        return no_memory(db);
    a->db = db;
    alliance__sync_reader_init(&a->r, &db->error, read, opaque);
    int rc = read_head(a, options, adopt);
    if (rc == ALLIANCE_OK && (rc = alliance__store_begin(db)) == ALLIANCE_OK) {
        rc = apply_in_transaction(a, adopt);
        alliance_sync_report *rep = NULL;
        if (rc == ALLIANCE_OK && out_report)
            rc = make_report(a, &rep);
        if (rc == ALLIANCE_OK)
            rc = alliance__store_commit(db);
        if (rc != ALLIANCE_OK) {
            alliance__store_rollback(db);
            alliance__free(rep);
        } else if (out_report) {
            *out_report = rep;
        }
    }
    alliance__sync_reader_free(&a->r);
    alliance__sync_vector_free(&a->sender);
    alliance__sync_vector_free(&a->base);
    alliance__buf_free(&a->conflicts);
    alliance__free(a);
    return rc;
}

int alliance_sync_apply(alliance_db *db, const alliance_sync_options *options, alliance_read_fn read, void *opaque,
                        alliance_sync_report **out_report)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    return alliance__db_leave(db, sync_apply(db, options, read, opaque, 0, out_report));
}

int alliance_sync_clone(alliance_db *db, alliance_read_fn read, void *opaque, alliance_sync_report **out_report)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    alliance__sync_self self;
    if ((rc = alliance__sync_self_get(db, &self)) != ALLIANCE_OK)
        return alliance__db_leave(db, rc);
    /* A collection that has made or received any change is a replica already. */
    sqlite3_stmt *stmt;
    if ((rc = alliance__sql_stmt(db, ALLIANCE__SQL_SYNC_VECTOR_ALL, &stmt)) != ALLIANCE_OK)
        return alliance__db_leave(db, rc);
    if ((rc = alliance__sql_step(db, stmt, "reading the version vector")) < 0)
        return alliance__db_leave(db, rc);
    int received = rc == SQLITE_ROW;
    if (received)
        sqlite3_reset(stmt);
    if (self.seq != 0 || received)
        return alliance__db_leave(db, alliance__error_set(&db->error, ALLIANCE_EMISUSE,
                                                          "alliance_sync_clone: the collection is not new (it has "
                                                          "changes of its own or from another copy); clone into a "
                                                          "newly created collection"));
    return alliance__db_leave(db, sync_apply(db, NULL, read, opaque, 1, out_report));
}
