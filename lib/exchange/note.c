/* SPDX-License-Identifier: MIT */
/* note.c - alliance_note_add: one note from a program, checked like a deck file's, in one transaction. */
#include "core/cloze.h"
#include "deck/deck.h"
#include "store/store.h"

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

static int add_cards(alliance_db *db, int64_t deck_id, const alliance__note_in *in, int64_t now)
{
    alliance__card_row row;
    memset(&row, 0, sizeof row);
    row.note_id = in->id;
    row.type = in->type;
    const char *v[ALLIANCE__F_COUNT];
    for (int f = 0; f < ALLIANCE__F_COUNT; f++)
        v[f] = in->field[f] ? in->field[f] : "";
    row.front = v[ALLIANCE__F_FRONT];
    row.back = v[ALLIANCE__F_BACK];
    row.wrong = in->type == ALLIANCE_CARD_CHOICE ? v[ALLIANCE__F_WRONG] : "";
    row.tags = v[ALLIANCE__F_TAGS];
    row.source_file = v[ALLIANCE__F_SOURCE];
    row.source_quote = v[ALLIANCE__F_QUOTE];
    /* After every note an import numbered (0, 1, ...) and, for notes added in the same second,
     * the store's insertion order decides. */
    row.position = now;

    uint8_t seen[ALLIANCE__CLOZE_MAX + 1];
    memset(seen, 0, sizeof seen);
    if (in->type == ALLIANCE_CARD_CLOZE) {
        uint32_t distinct;
        size_t offset;
        const char *message;
        (void)alliance__cloze_scan(row.front, strlen(row.front), seen, &distinct, &offset, &message);
    } else {
        seen[0] = 1;
    }

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
        if (ord == 0) {
            row.id = in->id;
        } else {
            snprintf(id, sizeof id, "%s::c%u", in->id, (unsigned)ord);
            row.id = id;
        }
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

int alliance_note_add(alliance_db *db, int64_t deck_id, const alliance_note *note, int64_t now)
{
    int rc = alliance__db_enter(db);
    if (rc)
        return rc;
    alliance__error *err = alliance__db_error(db);
    if (!note)
        return alliance__db_leave(db, alliance__error_set(err, ALLIANCE_EINVAL, "alliance_note_add: note is NULL"));
    if (note->version != ALLIANCE_NOTE_VERSION)
        return alliance__db_leave(db, alliance__error_set(err, ALLIANCE_EVERSION,
                                                          "alliance_note_add: unknown note version %u",
                                                          (unsigned)note->version));
    if (note->type != ALLIANCE_CARD_BASIC && note->type != ALLIANCE_CARD_CLOZE && note->type != ALLIANCE_CARD_CHOICE)
        return alliance__db_leave(db, alliance__error_set(err, ALLIANCE_EINVAL, "alliance_note_add: unknown card type %u",
                                                          (unsigned)note->type));
    if (deck_id <= 0)
        return alliance__db_leave(db, alliance__error_set(err, ALLIANCE_EINVAL, "alliance_note_add: deck_id is not a deck"));

    char *sources = NULL;
    rc = alliance__store_deck_get(db, deck_id, NULL, NULL, &sources);
    if (rc)
        return alliance__db_leave(db, rc);

    alliance__deck deck; /* only its source list and string arena are used */
    alliance__deck_init(&deck, "");
    alliance__buf text = {0};
    size_t off[ALLIANCE__F_COUNT] = {0};
    int have[ALLIANCE__F_COUNT] = {0};
    rc = load_sources(&deck, sources);
    if (!rc)
        rc = normalise_note(note, &text, off, have);
    if (rc) {
        rc = alliance__error_set(err, rc, "alliance_note_add: out of memory");
    } else {
        alliance__note_in in;
        memset(&in, 0, sizeof in);
        in.type = note->type;
        in.id = note->id;
        for (int f = ALLIANCE__F_FRONT; f < ALLIANCE__F_COUNT; f++) {
            /* An optional field given as "" is simply absent. */
            in.field[f] = have[f] ? text.data + off[f] : NULL;
            if (in.field[f] && !in.field[f][0] && f != ALLIANCE__F_FRONT &&
                !(f == ALLIANCE__F_BACK && note->type != ALLIANCE_CARD_CLOZE) &&
                !(f == ALLIANCE__F_WRONG && note->type == ALLIANCE_CARD_CHOICE))
                in.field[f] = NULL;
        }
        first_problem problem = {0, ""};
        alliance__note_check(&in, &deck, 0, keep_first, &problem);
        if (problem.code)
            rc = alliance__error_set(err, problem.code == ALLIANCE_ELIMIT ? ALLIANCE_ELIMIT : ALLIANCE_EINVAL,
                                     "alliance_note_add: %s", problem.message);
        else
            rc = add_cards(db, deck_id, &in, now);
    }
    alliance__buf_free(&text);
    alliance__deck_free(&deck);
    alliance__free(sources);
    return alliance__db_leave(db, rc);
}
