/* SPDX-License-Identifier: MIT */
/*
 * groups.c - the field groups that sync merges by last-writer-wins, one row
 * each (docs/sync.md has the table). A later feature that adds synced data
 * adds its columns (a migration), a stamping trigger and two statements
 * (lib/store/sql.c), and one row here; the format, the writer, the reader and
 * the merge need no change.
 */
#include "sync/sync.h"
#include "core/fsrs_text.h"
#include "core/exam.h"
#include "core/cloze.h"
#include "core/text.h"

#include <stdio.h>
#include <string.h>

static int card_pk(alliance_db *db, const char *key, int64_t *out);

/* ---- reading a group's values ---- */

static int read_values(alliance_db *db, const alliance__sync_group *g, sqlite3_stmt *stmt, int first,
                       alliance__sync_write *w)
{
    size_t n = strlen(g->types);
    for (size_t i = 0; i < n; i++) {
        int col = first + (int)i;
        if (g->types[i] == 'i') {
            w->v[i].i = sqlite3_column_int64(stmt, col);
            w->v[i].s = NULL;
            w->v[i].len = 0;
        } else {
            const unsigned char *text = sqlite3_column_text(stmt, col);
            w->v[i].s = text ? (const char *)text : "";
            w->v[i].len = (uint32_t)sqlite3_column_bytes(stmt, col);
        }
    }
    w->n = (uint8_t)n;
    (void)db;
    return ALLIANCE_OK;
}

/* The statement stays on its row (texts point into it) until the next use of the statement. */
static int get_row(alliance_db *db, const alliance__sync_group *g, alliance__sql_id id, const char *key,
                   int first, alliance__sync_write *w)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, id, &stmt);
    if (rc)
        return rc;
    if (key)
        alliance__sql_bind_text(stmt, 1, key);
    rc = alliance__sql_step(db, stmt, "reading a field group");
    if (rc < 0)
        return rc;
    if (rc != SQLITE_ROW)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "%s \"%s\" has a stamp but no row", g->name,
                                   key ? key : "");
    return read_values(db, g, stmt, first, w);
}

static int get_card_content(alliance_db *db, const alliance__sync_group *g, const char *key, alliance__sync_write *w)
{
    return get_row(db, g, ALLIANCE__SQL_GROUP_CARD_CONTENT_GET, key, 0, w);
}

static int get_card_flags(alliance_db *db, const alliance__sync_group *g, const char *key, alliance__sync_write *w)
{
    int64_t pk = 0;
    int rc = card_pk(db, key, &pk);
    if (rc)
        return rc;
    if (pk == 0) { /* a removed card (decks.c): its flags are the empty values */
        memset(w->v, 0, 2 * sizeof w->v[0]);
        w->v[1].i = ALLIANCE__NO_DAY;
        w->n = 2;
        return ALLIANCE_OK;
    }
    return get_row(db, g, ALLIANCE__SQL_GROUP_CARD_FLAGS_GET, key, 0, w);
}

static int get_deck(alliance_db *db, const alliance__sync_group *g, const char *key, alliance__sync_write *w)
{
    return get_row(db, g, ALLIANCE__SQL_GROUP_DECK_GET, key, 0, w);
}

/* A deck's deletion and a card's removal have no values: their stamp is all there is. */
static int get_deck_deleted(alliance_db *db, const alliance__sync_group *g, const char *key, alliance__sync_write *w)
{
    (void)db;
    (void)g;
    (void)key;
    w->n = 0;
    return ALLIANCE_OK;
}

static int get_deck_exam(alliance_db *db, const alliance__sync_group *g, const char *key, alliance__sync_write *w)
{
    return get_row(db, g, ALLIANCE__SQL_GROUP_DECK_EXAM_GET, key, 0, w);
}

static int get_config(alliance_db *db, const alliance__sync_group *g, const char *key, alliance__sync_write *w)
{
    (void)key;
    return get_row(db, g, ALLIANCE__SQL_GROUP_CONFIG_GET, NULL, g->first, w);
}

/* ---- storing a group's values ---- */

static void bind_value(sqlite3_stmt *stmt, int index, const alliance__sync_value *v, char type)
{
    if (type == 'i')
        alliance__sql_bind_int(stmt, index, v->i);
    else
        sqlite3_bind_text(stmt, index, v->s, (int)v->len, SQLITE_TRANSIENT);
}

static int card_pk(alliance_db *db, const char *key, int64_t *out)
{
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_CARD_PK_BY_ID, &stmt);
    if (rc)
        return rc;
    alliance__sql_bind_text(stmt, 1, key);
    rc = alliance__sql_step(db, stmt, "looking up a card");
    if (rc < 0)
        return rc;
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
    sqlite3_reset(stmt);
    return ALLIANCE_OK;
}

/* A copy of a non-empty text value with its NUL, freed with alliance__free (a value is
 * bounded by its record, ALLIANCE__SYNC_MAX_RECORD; a deck name can be far longer than
 * any fixed buffer). */
static int text_dup(alliance_db *db, const alliance__sync_value *v, char **out, const char *what)
{
    *out = NULL;
    if (v->len == 0)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "%s is empty", what);
    char *s = alliance__malloc((size_t)v->len + 1);
    if (!s)
        return alliance__error_set(&db->error, ALLIANCE_ENOMEM, "out of memory");
    memcpy(s, v->s, v->len);
    s[v->len] = '\0';
    *out = s;
    return ALLIANCE_OK;
}

/* Texts a changeset brings in follow the rule of every other way in (core/text.h): a card id
 * or deck name with a line break, a text with a carriage return or a control character in an
 * id would be a card that no deck file can hold. */
static int text_ok(alliance_db *db, alliance__text_kind kind, const char *s, size_t len, const char *what,
                   const char *key)
{
    size_t at = 0;
    const char *problem = alliance__text_check(kind, s, len, &at);
    if (!problem)
        return ALLIANCE_OK;
    return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "%s of \"%.64s\" is not valid text (%s, byte %zu)",
                               what, key, problem, at);
}

/* A card's id is its note id, or NOTE::cN for cloze deletion N (its ordinal). */
static int card_text_ok(alliance_db *db, const char *key, const alliance__sync_write *w)
{
    const alliance__sync_value *note = &w->v[0];
    int rc = text_ok(db, ALLIANCE__TEXT_CARD_ID, note->s ? note->s : "", note->len, "the note id", key);
    if (rc)
        return rc;
    char expect[ALLIANCE__CARD_ID_MAX + 16];
    int64_t ordinal = w->v[1].i;
    if (ordinal < 0 || ordinal > (int64_t)ALLIANCE__CLOZE_MAX)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "card \"%.64s\" has ordinal %lld", key,
                                   (long long)ordinal);
    if (ordinal == 0)
        snprintf(expect, sizeof expect, "%.*s", (int)note->len, note->s);
    else
        snprintf(expect, sizeof expect, "%.*s::c%lld", (int)note->len, note->s, (long long)ordinal);
    if (strcmp(expect, key) != 0)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "card \"%.64s\" does not match its note id and "
                                   "ordinal (\"%s\")", key, expect);
    if ((rc = text_ok(db, ALLIANCE__TEXT_DECK_NAME, w->v[2].s ? w->v[2].s : "", w->v[2].len, "the deck name of card",
                      key)) != ALLIANCE_OK)
        return rc;
    for (int i = 4; i <= 9; i++) /* front, back, wrong, tags, source file, source quote */
        if ((rc = text_ok(db, ALLIANCE__TEXT_BYTES, w->v[i].s ? w->v[i].s : "", w->v[i].len, "a text", key)) !=
            ALLIANCE_OK)
            return rc;
    return ALLIANCE_OK;
}

/* Values: note id, ordinal, deck name, type, front, back, wrong, tags, source file,
 * source quote, position, in file, created, modified, initial E-Factor. */
static int put_card_content(alliance_db *db, const alliance__sync_group *g, const char *key,
                            const alliance__sync_write *w, int64_t *out_pk, int *out_created)
{
    char *deck_name = NULL;
    int64_t deck_id = 0, before = 0;
    int rc = card_text_ok(db, key, w);
    if (rc == ALLIANCE_OK)
        rc = text_dup(db, &w->v[2], &deck_name, "a card's deck name");
    if (rc == ALLIANCE_OK)
        rc = alliance__store_deck_ensure(db, deck_name, 0, &deck_id, NULL);
    alliance__free(deck_name);
    if (rc || (rc = card_pk(db, key, &before)) != ALLIANCE_OK)
        return rc;
    sqlite3_stmt *stmt;
    if ((rc = alliance__sql_stmt(db, ALLIANCE__SQL_GROUP_CARD_CONTENT_PUT, &stmt)) != ALLIANCE_OK)
        return rc;
    for (int i = 0; i < 15; i++) {
        if (i == 2)
            alliance__sql_bind_int(stmt, 3, deck_id);
        else
            bind_value(stmt, i + 1, &w->v[i], g->types[i]);
    }
    alliance__sql_bind_text(stmt, 16, key);
    if ((rc = alliance__sql_run(db, stmt, "storing a card")) != ALLIANCE_OK)
        return rc;
    /* an older content of a card removed since (decks.c): the sweep removes it again */
    if ((rc = alliance__sync_mark_dead(db, ALLIANCE__SQL_SW_DEAD_BY_CONTENT, key, w->lamport, w->origin)) != ALLIANCE_OK)
        return rc;
    *out_created = before == 0;
    return card_pk(db, key, out_pk);
}

/* Values: suspended (0, 1 learner, 2 import), buried until day. */
static int put_card_flags(alliance_db *db, const alliance__sync_group *g, const char *key,
                          const alliance__sync_write *w, int64_t *out_pk, int *out_created)
{
    int rc = card_pk(db, key, out_pk);
    if (rc)
        return rc;
    *out_created = 0;
    /* A removed card's flags are always the empty values (decks.c); its removal may come later
     * in the same changeset (card group 2 follows group 1: a deleted note's cards). */
    if (*out_pk == 0 && w->v[0].i == 0 && w->v[1].i == ALLIANCE__NO_DAY)
        return ALLIANCE_OK;
    if (*out_pk == 0 && (rc = alliance__sync_any_deck_deleted(db)) != 0) {
        if (rc < 0)
            return rc;
        /* A card this copy removed with its deck or note: its flags stay the empty values. A write
         * of others is answered by a newer empty one of this replica (*out_pk = -1: stamped here). */
        sqlite3_stmt *stmt;
        if ((rc = alliance__sql_stmt(db, ALLIANCE__SQL_SYNC_SEE_LAMPORT, &stmt)) != ALLIANCE_OK)
            return rc;
        alliance__sql_bind_int(stmt, 1, w->lamport);
        if ((rc = alliance__sql_run(db, stmt, "advancing the clock")) != ALLIANCE_OK ||
            (rc = alliance__sql_stmt(db, ALLIANCE__SQL_DM_FLAGS_RESET_ONE, &stmt)) != ALLIANCE_OK)
            return rc;
        alliance__sql_bind_text(stmt, 1, key);
        *out_pk = -1;
        return alliance__sql_run(db, stmt, "clearing a removed card's flags");
    }
    if (*out_pk == 0)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "flags of card \"%s\", which the changeset "
                                   "does not contain", key);
    sqlite3_stmt *stmt;
    if ((rc = alliance__sql_stmt(db, ALLIANCE__SQL_GROUP_CARD_FLAGS_PUT, &stmt)) != ALLIANCE_OK)
        return rc;
    bind_value(stmt, 1, &w->v[0], g->types[0]);
    bind_value(stmt, 2, &w->v[1], g->types[1]);
    alliance__sql_bind_text(stmt, 3, key);
    *out_created = 0;
    return alliance__sql_run(db, stmt, "storing a card's flags");
}

/* Values: description, sources, created, modified, and the sender's id for the deck
 * (used only to name a deck new to this copy, so that copies agree on deck ids). */
static int put_deck(alliance_db *db, const alliance__sync_group *g, const char *key, const alliance__sync_write *w,
                    int64_t *out_pk, int *out_created)
{
    int64_t id;
    int rc = text_ok(db, ALLIANCE__TEXT_DECK_NAME, key, strlen(key), "the name of deck", key);
    for (int i = 0; i < 2 && rc == ALLIANCE_OK; i++) /* description, sources */
        rc = text_ok(db, ALLIANCE__TEXT_BYTES, w->v[i].s ? w->v[i].s : "", w->v[i].len, "the header of deck", key);
    if (rc)
        return rc;
    sqlite3_stmt *stmt;
    if ((rc = alliance__sql_stmt(db, ALLIANCE__SQL_DECK_BY_NAME, &stmt)) != ALLIANCE_OK)
        return rc;
    alliance__sql_bind_text(stmt, 1, key);
    if ((rc = alliance__sql_step(db, stmt, "looking up a deck")) < 0)
        return rc;
    if (rc == SQLITE_ROW)
        sqlite3_reset(stmt);
    else if (w->v[4].i > 0 && (rc = alliance__sync_deck_make_room(db, w->v[4].i)) != ALLIANCE_OK)
        return rc;
    rc = alliance__store_deck_ensure(db, key, w->v[4].i, &id, out_created);
    if (rc || (rc = alliance__sql_stmt(db, ALLIANCE__SQL_GROUP_DECK_PUT, &stmt)) != ALLIANCE_OK)
        return rc;
    for (int i = 0; i < 4; i++)
        bind_value(stmt, i + 1, &w->v[i], g->types[i]);
    alliance__sql_bind_text(stmt, 6, key);
    *out_pk = 0;
    return alliance__sql_run(db, stmt, "storing a deck");
}

/* A deck's deletion: only its stamp is stored (the sweep at the end of the apply acts on it). */
static int put_deck_deleted(alliance_db *db, const alliance__sync_group *g, const char *key,
                            const alliance__sync_write *w, int64_t *out_pk, int *out_created)
{
    (void)db;
    (void)g;
    (void)key;
    (void)w;
    *out_pk = 0;
    *out_created = 0;
    return ALLIANCE_OK;
}

/* A card's removal (decks.c): stored as a stamp; the card goes if its content here is older. */
static int put_card_removed(alliance_db *db, const alliance__sync_group *g, const char *key,
                            const alliance__sync_write *w, int64_t *out_pk, int *out_created)
{
    (void)g;
    *out_pk = 0;
    *out_created = 0;
    return alliance__sync_mark_dead(db, ALLIANCE__SQL_SW_DEAD_BY_REMOVAL, key, w->lamport, w->origin);
}

/* Values: the exam day (ALLIANCE__NO_DAY: none), the final window (1..30 days), and the
 * sender's id for the deck (names a deck new to this copy, as put_deck). */
static int put_deck_exam(alliance_db *db, const alliance__sync_group *g, const char *key,
                         const alliance__sync_write *w, int64_t *out_pk, int *out_created)
{
    if (w->v[1].i < 1 || w->v[1].i > 30)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "the exam of deck \"%s\" has a final window of "
                                   "%lld days (1..30)", key, (long long)w->v[1].i);
    if (w->v[0].i != ALLIANCE__NO_DAY && !ALLIANCE__EXAM_DAY_OK(w->v[0].i))
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "the exam of deck \"%s\" is on day %lld "
                                   "(|day| < 2^31)", key, (long long)w->v[0].i);
    int64_t id;
    int rc = alliance__store_deck_ensure(db, key, w->v[2].i, &id, out_created);
    sqlite3_stmt *stmt;
    if (rc || (rc = alliance__sql_stmt(db, ALLIANCE__SQL_GROUP_DECK_EXAM_PUT, &stmt)) != ALLIANCE_OK)
        return rc;
    bind_value(stmt, 1, &w->v[0], g->types[0]);
    bind_value(stmt, 2, &w->v[1], g->types[1]);
    alliance__sql_bind_text(stmt, 3, key);
    *out_pk = 0;
    return alliance__sql_run(db, stmt, "storing a deck's exam");
}

/* A group of settings: its columns of GROUP_CONFIG_PUT, the others NULL (kept). */
static int put_config(alliance_db *db, const alliance__sync_group *g, const char *key, const alliance__sync_write *w,
                      int64_t *out_pk, int *out_created)
{
    (void)key;
    if (g->first == 5) { /* the SM-2 parameters are checked as alliance_sm2_params_set does */
        alliance_sm2_params p = { ALLIANCE_SM2_PARAMS_VERSION, 0, 0, 0, 0, 0, 0 };
        uint32_t *fields[] = { &p.preset, &p.initial_efactor_milli, &p.min_efactor_milli,
                               &p.first_interval_days, &p.second_interval_days, &p.max_interval_days };
        for (int i = 0; i < 6; i++) {
            if (w->v[i].i < 0 || w->v[i].i > UINT32_MAX)
                return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "SM-2 parameter %d is out of range", i);
            *fields[i] = (uint32_t)w->v[i].i;
        }
        if (alliance_sm2_params_check(&p) != ALLIANCE_OK)
            return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "the SM-2 parameters received are invalid");
    }
    alliance_fsrs_params fsrs;
    if (g->first == 11 && w->v[0].i != ALLIANCE_SCHEDULER_SM2 && w->v[0].i != ALLIANCE_SCHEDULER_FSRS)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "the scheduler received (%lld) is unknown",
                                   (long long)w->v[0].i);
    if (g->first == 12 && alliance__fsrs_params_decode(w->v[0].s, w->v[0].len, &fsrs) != ALLIANCE_OK)
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "the FSRS parameters received are invalid");
    if (g->first >= 13 && (w->v[0].i < 0 || w->v[0].i > 1)) /* bury_siblings, fuzz: on or off */
        return alliance__error_set(&db->error, ALLIANCE_ECORRUPT, "%s received as %lld (0 or 1)", g->name,
                                   (long long)w->v[0].i);
    sqlite3_stmt *stmt;
    int rc = alliance__sql_stmt(db, ALLIANCE__SQL_GROUP_CONFIG_PUT, &stmt);
    if (rc)
        return rc;
    for (int i = 0; i < w->n; i++)
        bind_value(stmt, g->first + i + 1, &w->v[i], g->types[i]);
    *out_pk = 0;
    *out_created = 0;
    if ((rc = alliance__sql_run(db, stmt, "storing a setting")) != ALLIANCE_OK)
        return rc;
    if (g->first < 11)
        return ALLIANCE_OK;
    /* The scheduler, or the FSRS parameters under FSRS: every card's schedule is the replay of
     * its log under them, so every card is replayed at the end of the apply (as locally). */
    uint32_t scheduler;
    alliance__db_settings_forget(db);
    if ((rc = alliance__db_scheduler(db, &scheduler, NULL)) != ALLIANCE_OK)
        return rc;
    if (g->first == 12 && scheduler != ALLIANCE_SCHEDULER_FSRS)
        return ALLIANCE_OK;
    if ((rc = alliance__sql_stmt(db, ALLIANCE__SQL_SYNC_TOUCH_ALL, &stmt)) != ALLIANCE_OK)
        return rc;
    return alliance__sql_run(db, stmt, "noting the cards to replay");
}

/* ---- the table ---- */

static const alliance__sync_group groups[] = {
    /* before the headers: a rename's old name is deleted before its new name takes the deck id */
    { ALLIANCE__KIND_DECK, 2, "deck deletion", "", get_deck_deleted, put_deck_deleted, 0 },
    { ALLIANCE__KIND_DECK, 0, "deck", "ssiii", get_deck, put_deck, 0 },
    { ALLIANCE__KIND_DECK, 1, "deck exam", "iii", get_deck_exam, put_deck_exam, 0 },
    { ALLIANCE__KIND_CARD, 0, "card content", "sisissssssiiiii", get_card_content, put_card_content, 0 },
    { ALLIANCE__KIND_CARD, 1, "card flags", "ii", get_card_flags, put_card_flags, 0 },
    { ALLIANCE__KIND_CARD, 2, "card removal", "", get_deck_deleted, put_card_removed, 0 },
    { ALLIANCE__KIND_CONFIG, 0, "setting new_per_day", "i", get_config, put_config, 0 },
    { ALLIANCE__KIND_CONFIG, 1, "setting reviews_per_day", "i", get_config, put_config, 1 },
    { ALLIANCE__KIND_CONFIG, 2, "setting rollover_hour", "i", get_config, put_config, 2 },
    { ALLIANCE__KIND_CONFIG, 3, "setting leech_threshold", "i", get_config, put_config, 3 },
    { ALLIANCE__KIND_CONFIG, 4, "setting leech_suspend", "i", get_config, put_config, 4 },
    { ALLIANCE__KIND_CONFIG, 5, "SM-2 parameters", "iiiiii", get_config, put_config, 5 },
    { ALLIANCE__KIND_CONFIG, 6, "scheduler", "i", get_config, put_config, 11 },
    { ALLIANCE__KIND_CONFIG, 7, "FSRS parameters", "s", get_config, put_config, 12 },
    { ALLIANCE__KIND_CONFIG, 8, "setting bury_siblings", "i", get_config, put_config, 13 },
    { ALLIANCE__KIND_CONFIG, 9, "setting fuzz", "i", get_config, put_config, 14 },
};

const alliance__sync_group *alliance__sync_group_find(uint8_t kind, uint8_t grp)
{
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
        if (groups[i].kind == kind && groups[i].grp == grp)
            return &groups[i];
    return NULL;
}

const alliance__sync_group *alliance__sync_group_at(size_t i)
{
    return i < sizeof groups / sizeof groups[0] ? &groups[i] : NULL;
}

size_t alliance__sync_group_count(void)
{
    return sizeof groups / sizeof groups[0];
}
