/* SPDX-License-Identifier: MIT */
/*
 * fuzz_note_roundtrip.c - whatever the API accepts comes back: random notes
 * through alliance_deck_id(create) and alliance_note_add, the deck exported
 * (our format or Anki text), the export imported into a fresh collection, and
 * the cards there must be the same cards (ids, types, every field) and export
 * to the same bytes (docs/deck-format.md, "Text": one rule for every way in).
 *
 * The input is fields separated by NUL bytes: the deck name, a flags field
 * (its first byte: bit 0 chooses Anki text), then notes of six fields each:
 * type ('b', 'c' or 'z' for basic, choice, cloze), id, front, back, wrong
 * options (one per line), tags. A field that ends the input is cut short.
 */
#include "fuzz.h"

#include "store/handle.h" /* the connection itself: emptied between inputs (below) */

#include <alliance.h>

#include <string.h>

#define NOW INT64_C(1767614400)
#define MAX_FIELDS 64

typedef struct text {
    char *data;
    size_t len, cap;
} text;

static int collect(void *opaque, const char *data, size_t len)
{
    text *t = opaque;
    if (t->len + len + 1 > t->cap) {
        size_t cap = (t->len + len + 1) * 2;
        char *bigger = realloc(t->data, cap);
        FUZZ_ASSERT(bigger != NULL, "out of memory");
        t->data = bigger;
        t->cap = cap;
    }
    memcpy(t->data + t->len, data, len);
    t->len += len;
    t->data[t->len] = '\0';
    return 0;
}

/* Two in-memory collections, opened once and emptied for every input: creating the schema
 * twice per input made this target twenty times slower than its checks. */
static alliance_db *collections[2];

static alliance_db *open_memory(int which)
{
    alliance_db **db = &collections[which];
    if (!*db) {
        int rc = alliance_open(db, ":memory:", NULL);
        FUZZ_ASSERT(rc == 0, "open :memory:: %d %s", rc, alliance_errmsg(*db));
    }
    int rc = sqlite3_exec((*db)->sqlite, "DELETE FROM reviews; DELETE FROM cards; DELETE FROM decks; "
                                         "UPDATE config SET generation = 0", NULL, NULL, NULL);
    FUZZ_ASSERT(rc == SQLITE_OK, "emptying the collection: %s", sqlite3_errmsg((*db)->sqlite));
    return *db;
}

static void export_deck(alliance_db *db, int64_t deck, uint32_t format, text *out)
{
    out->len = 0;
    collect(out, "", 0);
    int rc = alliance_deck_export(db, deck, format, collect, out);
    FUZZ_ASSERT(rc == 0, "export: %d %s", rc, alliance_errmsg(db));
}

/* Every card of both collections, in order, is the same card. */
static void assert_same_cards(alliance_db *a, alliance_db *b, const text *exported)
{
    alliance_card_iter *ia = NULL, *ib = NULL;
    FUZZ_ASSERT(alliance_card_search(&ia, a, 0, NULL) == 0 && alliance_card_search(&ib, b, 0, NULL) == 0, "search");
    for (;;) {
        alliance_card *ca = NULL, *cb = NULL;
        int ra = alliance_card_iter_next(ia, &ca), rb = alliance_card_iter_next(ib, &cb);
        FUZZ_ASSERT(ra == rb, "the collections hold different numbers of cards (%d, %d); the export:\n%s", ra, rb,
                    exported->data);
        if (ra != 0)
            break;
        FUZZ_ASSERT(strcmp(ca->id, cb->id) == 0 && ca->type == cb->type && ca->ordinal == cb->ordinal &&
                        strcmp(ca->note_id, cb->note_id) == 0 && strcmp(ca->front, cb->front) == 0 &&
                        strcmp(ca->back, cb->back) == 0 && strcmp(ca->wrong, cb->wrong) == 0 &&
                        strcmp(ca->tags, cb->tags) == 0,
                    "card %s came back as %s: front [%s] / [%s], back [%s] / [%s], wrong [%s] / [%s], tags [%s] / [%s]"
                    "\nthe export:\n%s",
                    ca->id, cb->id, ca->front, cb->front, ca->back, cb->back, ca->wrong, cb->wrong, ca->tags, cb->tags,
                    exported->data);
        alliance_free(ca);
        alliance_free(cb);
    }
    alliance_card_iter_free(ia);
    alliance_card_iter_free(ib);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Split at NUL bytes into NUL-terminated fields (a copy: the input is read-only). */
    char *copy = malloc(size + 1);
    FUZZ_ASSERT(copy != NULL, "out of memory");
    memcpy(copy, data, size);
    copy[size] = '\0';
    const char *field[MAX_FIELDS];
    size_t nfields = 0;
    for (size_t i = 0, start = 0; i <= size && nfields < MAX_FIELDS; i++) {
        if (i == size || copy[i] == '\0') {
            field[nfields++] = copy + start;
            start = i + 1;
        }
    }
    if (nfields < 2) {
        free(copy);
        return 0;
    }
    uint32_t format = (field[1][0] & 1) ? ALLIANCE_FORMAT_ANKI_TEXT : ALLIANCE_FORMAT_DECK;

    alliance_db *a = open_memory(0);
    int64_t deck = 0;
    int rc = alliance_deck_id(a, field[0], 1, &deck);
    FUZZ_ASSERT(rc == 0 || rc == ALLIANCE_EINVAL, "deck_id: %d %s", rc, alliance_errmsg(a));
    if (rc != 0) {
        free(copy);
        return 0;
    }
    for (size_t i = 2; i + 6 <= nfields; i += 6) {
        alliance_note note;
        alliance_note_init(&note, ALLIANCE_NOTE_VERSION);
        note.type = field[i][0] == 'c' ? ALLIANCE_CARD_CHOICE : field[i][0] == 'z' ? ALLIANCE_CARD_CLOZE
                                                                                    : ALLIANCE_CARD_BASIC;
        note.id = field[i + 1];
        note.front = field[i + 2];
        note.back = field[i + 3];
        note.wrong = field[i + 4];
        note.tags = field[i + 5];
        rc = alliance_note_add(a, deck, &note, NOW + (int64_t)i);
        FUZZ_ASSERT(rc == 0 || rc == ALLIANCE_EINVAL || rc == ALLIANCE_EEXISTS || rc == ALLIANCE_ELIMIT,
                    "note_add: %d %s", rc, alliance_errmsg(a));
    }

    text first = {0}, second = {0};
    export_deck(a, deck, format, &first);
    alliance_db *b = open_memory(1);
    alliance_import_options options;
    alliance_import_options_init(&options, ALLIANCE_IMPORT_OPTIONS_VERSION);
    options.format = format;
    alliance_import_report *report = NULL;
    rc = alliance_deck_import_buffer(b, "export", first.data, first.len, &options, NOW, &report);
    FUZZ_ASSERT(rc == 0, "the export of what the API accepted does not import (%d): %s\n%s\n--- the export:\n%s", rc,
                alliance_errmsg(b), report ? report->errors : "", first.data);
    FUZZ_ASSERT(strcmp(report->deck_name, field[0]) == 0, "the deck [%s] came back as [%s]", field[0],
                report->deck_name);
    int64_t deck_b = report->deck_id;
    alliance_free(report);
    assert_same_cards(a, b, &first);
    export_deck(b, deck_b, format, &second);
    FUZZ_ASSERT(first.len == second.len && memcmp(first.data, second.data, first.len) == 0,
                "exporting again gives other bytes:\n%s\n--- then:\n%s", first.data, second.data);
    free(first.data);
    free(second.data);
    free(copy);
    return 0;
}
