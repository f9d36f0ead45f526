/* SPDX-License-Identifier: MIT */
/* note.c - alliance_note_add / _update / _delete: one note from a program, checked like a deck
 * file's and kept like a re-import keeps it, each in one transaction. */
#include "core/cloze.h"
#include "deck/deck.h"
#include "store/store.h"
#include "sync/sync.h"

#include <stdio.h>
#include <string.h>

int alliance_note_init(alliance_note *note, uint32_t version)
{
    if (!note)
        return ALLIANCE_EINVAL;
    /* Only version 1 exists; a later one will write exactly the layout asked for. */
    if (version != ALLIANCE_NOTE_VERSION)
        return ALLIANCE_EVERSION;
    memset(note, 0, sizeof *note);
    note->version = ALLIANCE_NOTE_VERSION;
    note->type = ALLIANCE_CARD_BASIC;
    return ALLIANCE_OK;
}

typedef struct first_problem {
    int code;
    char message[400];
} first_problem;

static void keep_first(void *ctx, int field, size_t offset, int code, const char *message)
{
    first_problem *p = ctx;
    (void)field;
    (void)offset;
    if (!p->code) {
        p->code = code;
        snprintf(p->message, sizeof p->message, "%s", message);
    }
}

/* The deck's "FILE | TITLE" lines as a source list, so that a card's source is checked
 * against its deck's header exactly as the parser checks it. */
static int load_sources(alliance__deck *deck, const char *sources)
{
    const char *s = sources ? sources : "";
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        const char *bar = memchr(s, '|', n);
        if (bar) {
            size_t f = (size_t)(bar - s);
            while (f > 0 && (s[f - 1] == ' ' || s[f - 1] == '\t'))
                f--;
            const char *t = bar + 1;
            while (t < s + n && (*t == ' ' || *t == '\t'))
                t++;
            int rc = alliance__deck_add_source(deck, s, f, t, (size_t)(s + n - t));
            if (rc && rc != ALLIANCE_EEXISTS)
                return rc;
        }
        s = nl ? nl + 1 : s + n;
    }
    return ALLIANCE_OK;
}

/* Each field in the form a deck file would hold it (lines trimmed, blank lines dropped), so
 * that exporting the note writes a file that reads back to the same note. */
static int normalise_note(const alliance_note *note, alliance__buf *text, size_t *off, int *have)
{
    const char *in[ALLIANCE__F_COUNT] = {0};
    in[ALLIANCE__F_FRONT] = note->front;
    in[ALLIANCE__F_BACK] = note->back;
    in[ALLIANCE__F_WRONG] = note->wrong;
    in[ALLIANCE__F_TAGS] = note->tags;
    in[ALLIANCE__F_SOURCE] = note->source_file;
    in[ALLIANCE__F_QUOTE] = note->source_quote;
    for (int f = ALLIANCE__F_FRONT; f < ALLIANCE__F_COUNT; f++) {
        have[f] = in[f] != NULL;
        if (!in[f])
            continue;
        off[f] = text->len;
        int rc = f == ALLIANCE__F_TAGS ? alliance__tags_normalise(text, in[f], strlen(in[f]))
                                       : alliance__value_normalise(text, in[f], strlen(in[f]));
        if (!rc)
            rc = alliance__buf_append(text, "", 1);
        if (rc)
            return rc;
    }
    return ALLIANCE_OK;
}

/* The card id of deletion `ord` of a note (ord 0: the note's own card). */
static const char *card_id_of(const char *note_id, uint32_t ord, char *buf, size_t size)
{
    if (ord == 0)
        return note_id;
    snprintf(buf, size, "%s::c%u", note_id, (unsigned)ord);
    return buf;
}

/* The note's cards as a row and the deletion numbers it has (seen[0]: a basic or choice card). */
static void note_row(const alliance__note_in *in, alliance__card_row *row, uint8_t *seen)
{
    memset(row, 0, sizeof *row);
    row->note_id = in->id;
    row->type = in->type;
    const char *v[ALLIANCE__F_COUNT];
    for (int f = 0; f < ALLIANCE__F_COUNT; f++)
        v[f] = in->field[f] ? in->field[f] : "";
    row->front = v[ALLIANCE__F_FRONT];
    row->back = v[ALLIANCE__F_BACK];
    row->wrong = in->type == ALLIANCE_CARD_CHOICE ? v[ALLIANCE__F_WRONG] : "";
    row->tags = v[ALLIANCE__F_TAGS];
    row->source_file = v[ALLIANCE__F_SOURCE];
    row->source_quote = v[ALLIANCE__F_QUOTE];
    memset(seen, 0, ALLIANCE__CLOZE_MAX + 1);
    if (in->type == ALLIANCE_CARD_CLOZE) {
        uint32_t distinct;
        size_t offset;
        const char *message;
        (void)alliance__cloze_scan(row->front, strlen(row->front), seen, &distinct, &offset, &message);
    } else {
        seen[0] = 1;
    }
}

static int add_cards(alliance_db *db, int64_t deck_id, const alliance__note_in *in, int64_t now)
{
    alliance__card_row row;
    uint8_t seen[ALLIANCE__CLOZE_MAX + 1];
    note_row(in, &row, seen);
    /* After every note an import numbered (0, 1, ...) and, for notes added in the same second,
     * the store's insertion order decides. */
    row.position = now;

    int rc = alliance__store_begin(db);
    if (rc)
        return rc;
    /* A note id is the collection's once: a basic "n1" and a cloze "n1" (cards n1::c1...)
     * would be two notes that an export writes as one. */
    if ((rc = alliance__store_note_free(db, in->id)) != ALLIANCE_OK) {
        alliance__store_rollback(db);
        if (rc == ALLIANCE_EEXISTS) {
            char message[ALLIANCE__ERRMSG_MAX];
            snprintf(message, sizeof message, "%s", alliance__db_error(db)->message);
            alliance__error_set(alliance__db_error(db), rc, "alliance_note_add: %s", message);
        }
        return rc;
    }
    /* The deck's generation: the note is part of the deck file until an import drops it. */
    int64_t generation = 0;
    rc = alliance__store_deck_generation(db, deck_id, &generation);
    char id[ALLIANCE__DECK_ID_MAX + 8];
    for (uint32_t ord = 0; ord <= ALLIANCE__CLOZE_MAX && !rc; ord++) {
        if (!seen[ord])
            continue;
        row.id = card_id_of(in->id, ord, id, sizeof id);
        row.ordinal = ord;
        int result = 0;
        rc = alliance__store_card_put(db, deck_id, &row, generation, now, &result);
        /* card_put would update a card that exists: here that is refused, and rolled back. */
        if (!rc && result != ALLIANCE__PUT_ADDED)
            rc = alliance__error_set(alliance__db_error(db), ALLIANCE_EEXISTS,
                                     "alliance_note_add: card '%s' is already in the collection", row.id);
    }
    if (!rc)
        rc = alliance__store_commit(db);
    if (rc)
        alliance__store_rollback(db);
    return rc;
}

/* A note checked as a deck file's note would be: its fields normalised into text, its card
 * type and id in `in`, the deck's sources loaded into `deck` (for the source check). */
typedef struct checked_note {
    alliance__deck deck;
    alliance__buf text;
    alliance__note_in in;
} checked_note;

static void checked_note_free(checked_note *c)
{
    alliance__buf_free(&c->text);
    alliance__deck_free(&c->deck);
}

/* What can be refused before the collection is read: the struct's version and the card type. */
static int check_note_header(alliance_db *db, const char *fn, const alliance_note *note)
{
    alliance__error *err = alliance__db_error(db);
    if (!note)
        return alliance__error_set(err, ALLIANCE_EINVAL, "%s: note is NULL", fn);
    if (note->version != ALLIANCE_NOTE_VERSION)
        return alliance__error_set(err, ALLIANCE_EVERSION, "%s: unknown note version %u", fn, (unsigned)note->version);
    if (note->type != ALLIANCE_CARD_BASIC && note->type != ALLIANCE_CARD_CLOZE && note->type != ALLIANCE_CARD_CHOICE)
        return alliance__error_set(err, ALLIANCE_EINVAL, "%s: unknown card type %u", fn, (unsigned)note->type);
    return ALLIANCE_OK;
}

/* Checks note against deck_id's sources and the deck format's rules. *c is initialised in every
 * case and released with checked_note_free. */
static int check_note(alliance_db *db, const char *fn, int64_t deck_id, const alliance_note *note, checked_note *c)
{
    alliance__error *err = alliance__db_error(db);
    memset(c, 0, sizeof *c);
    alliance__deck_init(&c->deck, ""); /* only its source list and string arena are used */
    char *sources = NULL;
    int rc = alliance__store_deck_get(db, deck_id, NULL, NULL, &sources);
    if (rc)
        return rc;
    size_t off[ALLIANCE__F_COUNT] = {0};
    int have[ALLIANCE__F_COUNT] = {0};
    rc = load_sources(&c->deck, sources);
    alliance__free(sources);
    if (!rc)
        rc = normalise_note(note, &c->text, off, have);
    if (rc)
        return alliance__error_set(err, rc, "%s: out of memory", fn);
    c->in.type = note->type;
    c->in.id = note->id;
    for (int f = ALLIANCE__F_FRONT; f < ALLIANCE__F_COUNT; f++) {
        /* An optional field given as "" is simply absent. */
        c->in.field[f] = have[f] ? c->text.data + off[f] : NULL;
        if (c->in.field[f] && !c->in.field[f][0] && f != ALLIANCE__F_FRONT &&
            !(f == ALLIANCE__F_BACK && note->type != ALLIANCE_CARD_CLOZE) &&
            !(f == ALLIANCE__F_WRONG && note->type == ALLIANCE_CARD_CHOICE))
            c->in.field[f] = NULL;
    }
    first_problem problem = {0, ""};
    alliance__note_check(&c->in, &c->deck, 0, keep_first, &problem);
    if (problem.code)
        return alliance__error_set(err, problem.code == ALLIANCE_ELIMIT ? ALLIANCE_ELIMIT : ALLIANCE_EINVAL, "%s: %s",
                                   fn, problem.message);
    return ALLIANCE_OK;
}

int alliance_note_add(alliance_db *db, int64_t deck_id, const alliance_note *note, int64_t now)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if ((rc = check_note_header(db, "alliance_note_add", note)) != ALLIANCE_OK)
        return alliance__db_leave(db, rc);
    if (deck_id <= 0)
        return alliance__db_leave(db, alliance__error_set(alliance__db_error(db), ALLIANCE_EINVAL,
                                                          "alliance_note_add: deck_id is not a deck"));
    checked_note c;
    rc = check_note(db, "alliance_note_add", deck_id, note, &c);
    if (!rc)
        rc = add_cards(db, deck_id, &c.in, now);
    checked_note_free(&c);
    return alliance__db_leave(db, rc);
}

static int no_such_note(alliance_db *db, const char *fn, const char *note_id)
{
    return alliance__error_set(alliance__db_error(db), ALLIANCE_ENOTFOUND, "%s: there is no note '%s' in the collection",
                               fn, note_id);
}

/* Puts the note's cards as a re-import of its deck file would (text changed: updated, history
 * kept; a new deletion: a new card) and takes out of the file, suspended, the cards it no longer
 * has. Inside the caller's transaction. */
static int update_cards(alliance_db *db, const alliance__note_in *in, const alliance__note_cards *old, int64_t now)
{
    alliance__card_row row;
    uint8_t seen[ALLIANCE__CLOZE_MAX + 1];
    note_row(in, &row, seen);
    row.position = old->position; /* the note keeps its place in the deck */
    /* The deck's generation: the note is (again) part of the deck file, as in an import that has it. */
    int64_t generation = 0;
    int rc = alliance__store_deck_generation(db, old->deck_id, &generation);
    char id[ALLIANCE__DECK_ID_MAX + 8];
    for (uint32_t ord = 0; ord <= ALLIANCE__CLOZE_MAX && !rc; ord++) {
        if (!seen[ord])
            continue;
        row.id = card_id_of(in->id, ord, id, sizeof id);
        row.ordinal = ord;
        rc = alliance__store_card_put(db, old->deck_id, &row, generation, now, NULL);
    }
    for (size_t k = 0; k < old->count && !rc; k++) {
        int kept = 0;
        for (uint32_t ord = 0; ord <= ALLIANCE__CLOZE_MAX && !kept; ord++)
            kept = seen[ord] && strcmp(old->ids[k], card_id_of(in->id, ord, id, sizeof id)) == 0;
        if (!kept)
            rc = alliance__store_card_leave_note(db, old->ids[k]);
    }
    return rc;
}

int alliance_note_update(alliance_db *db, const alliance_note *note, int64_t now)
{
    static const char fn[] = "alliance_note_update";
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if ((rc = check_note_header(db, fn, note)) != ALLIANCE_OK)
        return alliance__db_leave(db, rc);
    if (!note->id || !*note->id)
        return alliance__db_leave(db, alliance__error_set(alliance__db_error(db), ALLIANCE_EINVAL,
                                                          "%s: the note has no id", fn));
    if ((rc = alliance__store_begin(db)) != ALLIANCE_OK)
        return alliance__db_leave(db, rc);
    alliance__note_cards old;
    checked_note c;
    memset(&c, 0, sizeof c);
    int checked = 0;
    rc = alliance__store_note_cards(db, note->id, &old);
    if (!rc && old.count == 0)
        rc = no_such_note(db, fn, note->id);
    if (!rc) {
        checked = 1;
        rc = check_note(db, fn, old.deck_id, note, &c);
    }
    if (!rc)
        rc = update_cards(db, &c.in, &old, now);
    if (!rc)
        rc = alliance__store_commit(db);
    if (rc)
        alliance__store_rollback(db);
    if (checked)
        checked_note_free(&c);
    alliance__note_cards_free(&old);
    return alliance__db_leave(db, rc);
}

int alliance_note_delete(alliance_db *db, const char *note_id, uint32_t flags)
{
    static const char fn[] = "alliance_note_delete";
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    if (!note_id || !*note_id || (flags & ~(uint32_t)ALLIANCE_NOTE_DELETE_KEEP_HISTORY))
        return alliance__db_leave(db, alliance__error_set(alliance__db_error(db), ALLIANCE_EINVAL,
                                                          "%s: note_id is NULL or empty, or an unknown flag", fn));
    if ((rc = alliance__store_begin(db)) != ALLIANCE_OK)
        return alliance__db_leave(db, rc);
    alliance__note_cards old;
    rc = alliance__store_note_cards(db, note_id, &old);
    if (!rc && old.count == 0)
        rc = no_such_note(db, fn, note_id);
    if (!rc && (flags & ALLIANCE_NOTE_DELETE_KEEP_HISTORY)) {
        for (size_t k = 0; k < old.count && !rc; k++)
            rc = alliance__store_card_leave_note(db, old.ids[k]);
    } else if (!rc) {
        rc = alliance__sync_remove_note(db, note_id, old.deck_id);
    }
    if (!rc)
        rc = alliance__store_commit(db);
    if (rc)
        alliance__store_rollback(db);
    alliance__note_cards_free(&old);
    return alliance__db_leave(db, rc);
}
