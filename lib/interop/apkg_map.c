/* SPDX-License-Identifier: MIT */
/*
 * apkg_map.c - a package's notes as our in-memory deck (docs/anki.md, ".apkg"): one deck per
 * Anki deck that holds a note, note types mapped (Basic, the two reversed kinds, Cloze, and any
 * other from its first two fields, reported), the GUID as the card id, HTML kept as Anki shows
 * it, tags as they are. Every note is checked by the rules of our deck format.
 */
#include "interop/apkg.h"

#include "core/cloze.h"
#include "core/html.h"
#include "core/text.h"
#include "interop/anki_text.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The note types our exporter writes (apkg_write.c) read back as what they are. */
#define OUR_BASIC "Basic (liballiance)"
/* The id of the card a reversed note type adds (its second template): the note's id and this. */
#define REVERSE_SUFFIX "~reverse"

static uint32_t classify(const alliance__apkg *pkg, const alliance__anki_notetype *nt)
{
    const char *name = alliance__apkg_str(pkg, nt->name);
    if (nt->kind == 1)
        return ALLIANCE__ANKI_CLOZE;
    if (strcmp(name, "Basic") == 0 || strcmp(name, OUR_BASIC) == 0)
        return ALLIANCE__ANKI_BASIC;
    if (strncmp(name, "Basic (and reversed card)", 25) == 0 || strncmp(name, "Basic (optional reversed card)", 30) == 0)
        return ALLIANCE__ANKI_REVERSED;
    return ALLIANCE__ANKI_OTHER;
}

typedef struct mapper {
    const alliance__apkg *pkg;
    alliance__deck *deck;
    uint32_t row;                   /* the note's row, 1-based */
    int deck0_named;
    int64_t last_did;               /* the last Anki deck looked up, and our index for it */
    uint32_t last_index;
    uint32_t field_of[ALLIANCE__F_COUNT]; /* the Anki field (1-based) each of our fields came from */
    alliance__buf *notices;
    uint32_t left_out;              /* notes our rules refuse (an empty Back...): left out, reported */
    uint32_t problems;              /* problems of the note being checked */
} mapper;

#define LEFT_OUT_SHOWN 20u

/* A note Anki accepts but our rules refuse (docs/deck-format.md: an empty Back, an empty cloze
 * deletion...) is left out of the import and named in the notices, not an error: the package
 * is valid, and the rest of it imports. */
static void problem(void *ctx, int f, size_t offset, int code, const char *message)
{
    mapper *m = ctx;
    (void)offset, (void)code;
    if (m->problems++ == 0 && m->left_out < LEFT_OUT_SHOWN &&
        alliance__buf_printf(m->notices, "%s:%u:%u: %s: note left out\n", m->deck->file, (unsigned)m->row,
                             f >= 0 && m->field_of[f] ? (unsigned)m->field_of[f] : 1u, message) != 0)
        m->deck->oom = 1;
}

static const alliance__anki_notetype *notetype_of(const alliance__apkg *pkg, int64_t mid)
{
    for (uint32_t i = 0; i < pkg->notetype_count; i++)
        if (pkg->notetypes[i].id == mid)
            return &pkg->notetypes[i];
    return NULL;
}

/* Our index of the deck holding Anki deck `did`: the first one met is deck 0. */
static int deck_index(mapper *m, int64_t did, uint32_t *out)
{
    if (m->deck0_named && did == m->last_did) {
        *out = m->last_index;
        return ALLIANCE_OK;
    }
    const alliance__apkg *pkg = m->pkg;
    const char *name = NULL;
    for (uint32_t i = 0; i < pkg->deck_count && !name; i++)
        if (pkg->decks[i].id == did)
            name = alliance__apkg_str(pkg, pkg->decks[i].name);
    if (!name) {
        alliance__deck_error(m->deck, m->row, 1, ALLIANCE_EPARSE, "the note's card is in deck %lld, which the package lacks",
                             (long long)did);
        return ALLIANCE_EPARSE;
    }
    /* The one rule for a deck name, whatever way it comes in (core/text.h): an export must read
     * back as this deck. The name is not quoted: it may hold the CR that is wrong with it. */
    const char *problem = alliance__text_check(ALLIANCE__TEXT_DECK_NAME, name, strlen(name), NULL);
    if (problem) {
        alliance__deck_error(m->deck, m->row, 1, ALLIANCE_EPARSE, "the note's deck %lld: invalid deck name: %s",
                             (long long)did, problem);
        return ALLIANCE_EPARSE;
    }
    int rc = ALLIANCE_OK;
    uint32_t index = 0;
    if (!m->deck0_named) {
        rc = alliance__deck_intern(m->deck, name, strlen(name), &m->deck->name);
        m->deck0_named = 1;
    } else if (strcmp(name, alliance__deck_str(m->deck, m->deck->name)) != 0) {
        rc = alliance__deck_more(m->deck, name, strlen(name), &index);
        if (rc == ALLIANCE_ELIMIT)
            alliance__deck_error(m->deck, m->row, 1, ALLIANCE_ELIMIT, "the package names more than %u decks",
                                 ALLIANCE__DECK_DECKS_MAX);
    }
    if (rc)
        return rc;
    m->last_did = did;
    m->last_index = index;
    *out = index;
    return ALLIANCE_OK;
}

/* One field as we hold it: HTML kept when it is markup, escaped text decoded, then normalised as
 * every reader normalises a value. */
static int field_value(alliance__buf *out, const char *s, size_t n, size_t *offset)
{
    alliance__buf plain = {0};
    *offset = out->len;
    int rc = alliance__html_field_in(&plain, s, n);
    if (!rc)
        rc = alliance__value_normalise(out, plain.data ? plain.data : "", plain.len);
    if (!rc)
        rc = alliance__buf_append(out, "", 1);
    alliance__buf_free(&plain);
    return rc;
}

/* The note's tags without our choice marker (whose presence sets *choice). */
static int note_tags(alliance__buf *out, const char *tags, int *choice, size_t *offset)
{
    *offset = out->len;
    int rc = alliance__buf_append(out, NULL, 0);
    const char *t = tags;
    while (!rc && *t) {
        while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r')
            t++;
        const char *e = t;
        while (*e && !(*e == ' ' || *e == '\t' || *e == '\n' || *e == '\r'))
            e++;
        size_t n = (size_t)(e - t);
        if (n == strlen(ALLIANCE__CHOICE_TAG) && strncasecmp(t, ALLIANCE__CHOICE_TAG, n) == 0)
            *choice = 1;
        else if (n && out->len > *offset)
            rc = alliance__buf_printf(out, " %.*s", (int)n, t);
        else if (n)
            rc = alliance__buf_append(out, t, n);
        t = e;
    }
    if (!rc)
        rc = alliance__buf_append(out, "", 1);
    return rc;
}

/* Checks a note and adds it to deck `index`; 0 or ALLIANCE_ENOMEM (a bad note is an error recorded). */
static int add_note(mapper *m, const alliance__note_in *in, uint32_t index)
{
    alliance__deck *deck = m->deck;
    /* Checked without a deck header: a package declares no sources (ours are fields). */
    m->problems = 0;
    alliance__note_check(in, NULL, 0, problem, m);
    if (m->problems) {
        m->left_out++;
        return ALLIANCE_OK;
    }
    /* The note's source is declared in its deck's header with its file name as title (as
     * Anki text's reader does), so that the deck converts to our format as it is. */
    const char *src = in->field[ALLIANCE__F_SOURCE];
    if (src && src[0] && !alliance__deck_has_source(deck, src)) {
        int arc = alliance__deck_add_source_to(deck, index, src, strlen(src), src, strlen(src));
        if (arc == ALLIANCE_ELIMIT) {
            alliance__deck_error(deck, m->row, 1, ALLIANCE_ELIMIT, "more than %u sources", ALLIANCE__DECK_SOURCES_MAX);
            return ALLIANCE_OK;
        }
        if (arc)
            return ALLIANCE_ENOMEM;
    }
    alliance__deck_note note;
    memset(&note, 0, sizeof note);
    note.type = in->type;
    note.line = m->row;
    note.deck = index;
    int rc = 0;
    for (int f = 0; f < ALLIANCE__F_COUNT && !rc; f++) {
        const char *v = f == ALLIANCE__F_ID ? in->id : in->field[f];
        if (v)
            rc = alliance__deck_intern(deck, v, strlen(v), &note.field[f]);
    }
    const alliance__deck_note *first = NULL;
    int add = rc ? rc : alliance__deck_add(deck, &note, &first);
    if (add == ALLIANCE_EEXISTS)
        alliance__deck_error(deck, m->row, 1, ALLIANCE_EPARSE, "duplicate card id '%.64s' (first in row %u)", in->id,
                             (unsigned)first->line);
    else if (add == ALLIANCE_ELIMIT)
        alliance__deck_error(deck, m->row, 1, ALLIANCE_ELIMIT, "more than %u cards in the package",
                             ALLIANCE__DECK_CARDS_MAX);
    else if (add)
        return ALLIANCE_ENOMEM;
    return ALLIANCE_OK;
}

/* Anki's suspended (queue -1) and buried (-2, -3) cards among cards[0..n) whose template is
 * `ord` (any, for a cloze note: ordinal = ord + 1) held on our note `note` (docs/anki.md). */
static int hold_cards(alliance__deck *deck, uint32_t note, const alliance__anki_card *cards, uint32_t n, int cloze,
                      uint32_t ord)
{
    for (uint32_t c = 0; c < n; c++) {
        uint32_t what = cards[c].queue == -1 ? ALLIANCE__HOLD_SUSPENDED
                        : cards[c].queue == -2 || cards[c].queue == -3 ? ALLIANCE__HOLD_BURIED
                                                                        : 0;
        if (!what || (!cloze && cards[c].ord != ord) || (cloze && cards[c].ord >= ALLIANCE__CLOZE_MAX))
            continue;
        if (alliance__deck_hold_add(deck, note, cloze ? cards[c].ord + 1 : 0, what) != 0)
            return ALLIANCE_ENOMEM;
    }
    return ALLIANCE_OK;
}

static int map_note(mapper *m, const alliance__anki_note *an, const alliance__anki_card *cards, uint32_t ncards)
{
    const alliance__apkg *pkg = m->pkg;
    const alliance__anki_notetype *nt = notetype_of(pkg, an->mid);
    uint32_t map = nt->map;
    /* The note's deck: its first card's (the original deck of a card in a filtered deck). */
    uint32_t index = 0;
    int64_t did = cards[0].odid ? cards[0].odid : cards[0].did;
    int rc = deck_index(m, did, &index);
    if (rc)
        return rc == ALLIANCE_ENOMEM ? rc : ALLIANCE_OK;

    /* The fields: those named Wrong, Source and Quote are ours (docs/anki.md), the others are
     * the note's own, in order: the first two are the front and the back. */
    const char *flds = alliance__apkg_str(pkg, an->fields);
    alliance__buf text = {0};
    size_t off[ALLIANCE__F_COUNT] = {0};
    int have[ALLIANCE__F_COUNT] = {0};
    memset(m->field_of, 0, sizeof m->field_of);
    uint32_t own = 0;
    const char *p = flds;
    for (uint32_t k = 0; !rc; k++) {
        const char *end = strchr(p, 0x1f);
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *fname = k < nt->field_count ? alliance__apkg_str(pkg, nt->field_name[k]) : "";
        int f = strcasecmp(fname, "Wrong") == 0 ? ALLIANCE__F_WRONG
                : strcasecmp(fname, "Source") == 0 ? ALLIANCE__F_SOURCE
                : strcasecmp(fname, "Quote") == 0 ? ALLIANCE__F_QUOTE
                : own == 0 ? ALLIANCE__F_FRONT : own == 1 ? ALLIANCE__F_BACK : -1;
        if (f == ALLIANCE__F_FRONT || f == ALLIANCE__F_BACK || f == -1)
            own++;
        if (f >= 0 && !have[f]) {
            rc = field_value(&text, p, n, &off[f]);
            have[f] = 1;
            m->field_of[f] = k + 1;
        }
        if (!end)
            break;
        p = end + 1;
    }
    int choice = 0;
    if (!rc)
        rc = note_tags(&text, alliance__apkg_str(pkg, an->tags), &choice, &off[ALLIANCE__F_TAGS]);
    alliance__buf id = {0};
    if (!rc)
        rc = alliance__anki_guid_to_id(&id, alliance__apkg_str(pkg, an->guid));
    if (!rc)
        rc = alliance__buf_append(&id, "", 0);
    if (rc) {
        alliance__buf_free(&text);
        alliance__buf_free(&id);
        return ALLIANCE_ENOMEM;
    }
    alliance__note_in in;
    memset(&in, 0, sizeof in);
    in.type = map == ALLIANCE__ANKI_CLOZE ? ALLIANCE_CARD_CLOZE : choice ? ALLIANCE_CARD_CHOICE : ALLIANCE_CARD_BASIC;
    in.id = id.data;
    for (int f = ALLIANCE__F_FRONT; f < ALLIANCE__F_COUNT; f++) {
        const char *v = text.data + off[f];
        /* Empty optional fields are simply absent; front and back are always there. */
        int present = f == ALLIANCE__F_TAGS ? v[0] != '\0'
                      : f == ALLIANCE__F_FRONT || (f == ALLIANCE__F_BACK && in.type != ALLIANCE_CARD_CLOZE) ? 1
                                                                                                         : have[f] && v[0];
        if (f == ALLIANCE__F_WRONG && in.type != ALLIANCE_CARD_CHOICE)
            present = 0;
        in.field[f] = present ? (have[f] || f == ALLIANCE__F_TAGS ? v : "") : NULL;
    }
    uint32_t before = m->deck->note_count;
    rc = add_note(m, &in, index);
    if (!rc && m->deck->note_count > before)
        rc = hold_cards(m->deck, before, cards, ncards, map == ALLIANCE__ANKI_CLOZE, 0);

    /* A reversed note type's second card (when the package has it): back on the front. */
    int reverse = 0;
    for (uint32_t c = 0; c < ncards && map == ALLIANCE__ANKI_REVERSED; c++)
        reverse |= cards[c].ord == 1;
    if (!rc && reverse && in.type == ALLIANCE_CARD_BASIC) {
        alliance__buf rid = {0};
        if (alliance__buf_printf(&rid, "%s" REVERSE_SUFFIX, id.data) != 0) {
            rc = ALLIANCE_ENOMEM;
        } else {
            alliance__note_in rev = in;
            rev.id = rid.data;
            rev.field[ALLIANCE__F_FRONT] = in.field[ALLIANCE__F_BACK];
            rev.field[ALLIANCE__F_BACK] = in.field[ALLIANCE__F_FRONT];
            uint32_t front_of = m->field_of[ALLIANCE__F_FRONT];
            m->field_of[ALLIANCE__F_FRONT] = m->field_of[ALLIANCE__F_BACK];
            m->field_of[ALLIANCE__F_BACK] = front_of;
            before = m->deck->note_count;
            rc = add_note(m, &rev, index);
            if (!rc && m->deck->note_count > before)
                rc = hold_cards(m->deck, before, cards, ncards, 0, 1);
        }
        alliance__buf_free(&rid);
    }
    alliance__buf_free(&text);
    alliance__buf_free(&id);
    return rc;
}

int alliance__apkg_to_deck(alliance__apkg *pkg, alliance__deck *deck, alliance__buf *notices)
{
    mapper m;
    memset(&m, 0, sizeof m);
    m.pkg = pkg;
    m.deck = deck;
    m.notices = notices;
    uint32_t empty;
    if (alliance__deck_intern(deck, "", 0, &empty) != 0) {
        deck->oom = 1;
        return alliance__deck_result(deck);
    }
    for (uint32_t i = 0; i < pkg->notetype_count; i++)
        pkg->notetypes[i].map = classify(pkg, &pkg->notetypes[i]);

    /* Notes by id and cards by note: one walk pairs them. */
    uint32_t c = 0, without_cards = 0;
    int rc = 0;
    for (uint32_t i = 0; i < pkg->note_count && !rc && !deck->oom; i++) {
        const alliance__anki_note *an = &pkg->notes[i];
        while (c < pkg->card_count && pkg->cards[c].nid < an->id)
            c++;
        uint32_t first = c;
        while (c < pkg->card_count && pkg->cards[c].nid == an->id)
            c++;
        m.row = i + 1;
        if (c == first) {
            without_cards++; /* Anki never leaves a note without a card: nothing to study */
            continue;
        }
        rc = map_note(&m, an, &pkg->cards[first], c - first);
        if (deck->limit_hit && deck->error_count > ALLIANCE__DECK_ERRORS_SHOWN)
            break;
    }
    if (rc == ALLIANCE_ENOMEM)
        deck->oom = 1;
    if (!m.deck0_named && !deck->oom && alliance__deck_intern(deck, "", 0, &deck->name) != 0)
        deck->oom = 1;
    if (!deck->oom && alliance__deck_complete_sources(deck) != 0)
        deck->oom = 1;

    /* What was read in a lossy way, one line each. */
    for (uint32_t i = 0; i < pkg->notetype_count && !deck->oom; i++) {
        const alliance__anki_notetype *nt = &pkg->notetypes[i];
        if (nt->notes == 0 || nt->map == ALLIANCE__ANKI_BASIC || nt->map == ALLIANCE__ANKI_CLOZE ||
            nt->map == ALLIANCE__ANKI_REVERSED)
            continue;
        if (alliance__buf_printf(notices, "note type '%s' (%u notes): read as basic cards from its first two fields\n",
                                 alliance__apkg_str(pkg, nt->name), (unsigned)nt->notes) != 0)
            deck->oom = 1;
    }
    uint32_t held[3] = {0, 0, 0};
    for (uint32_t i = 0; i < deck->hold_count; i++)
        held[deck->holds[i].what & 3u]++;
    if ((held[ALLIANCE__HOLD_SUSPENDED] || held[ALLIANCE__HOLD_BURIED]) && !deck->oom &&
        alliance__buf_printf(notices, "%u cards suspended and %u buried in Anki: a card this import adds stays so\n",
                             (unsigned)held[ALLIANCE__HOLD_SUSPENDED], (unsigned)held[ALLIANCE__HOLD_BURIED]) != 0)
        deck->oom = 1;
    if (without_cards && !deck->oom && alliance__buf_printf(notices, "%u notes without cards: skipped\n", without_cards) != 0)
        deck->oom = 1;
    if (m.left_out > LEFT_OUT_SHOWN && !deck->oom &&
        alliance__buf_printf(notices, "%u more notes left out\n", m.left_out - LEFT_OUT_SHOWN) != 0)
        deck->oom = 1;
    return alliance__deck_result(deck);
}
