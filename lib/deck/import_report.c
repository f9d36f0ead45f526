/* SPDX-License-Identifier: MIT */
/* import_report.c - the report of an import or a check: one block the caller frees at once. */
#include "deck/deck.h"

#include "core/cloze.h"
#include "core/utf8.h"

#include <string.h>

uint32_t alliance__deck_card_count(const alliance__deck *deck)
{
    uint32_t cards = 0;
    for (uint32_t i = 0; i < deck->note_count; i++) {
        const alliance__deck_note *n = &deck->notes[i];
        if (n->type != ALLIANCE_CARD_CLOZE) {
            cards++;
            continue;
        }
        const char *text = alliance__note_str(deck, n, ALLIANCE__F_FRONT);
        uint8_t seen[ALLIANCE__CLOZE_MAX + 1];
        uint32_t distinct = 0;
        size_t offset;
        const char *message;
        if (alliance__cloze_scan(text, strlen(text), seen, &distinct, &offset, &message) == 0)
            cards += distinct;
    }
    return cards;
}

/* A deck name as the report may hand it out: UTF-8 (a file with invalid UTF-8 in its deck
 * line fails with an error that says so; the report's strings must still be UTF-8). */
static const char *report_name(const alliance__deck *deck, uint32_t offset)
{
    const char *name = deck && deck->strings.data ? alliance__deck_str(deck, offset) : "";
    return alliance__utf8_check(name, strlen(name)) == strlen(name) ? name : "";
}

/* One block: the report, the array of deck pointers, the decks, then every string. */
int alliance__report_make(alliance_import_report **out, const alliance__deck *deck,
                          const alliance__report_counts *counts, const alliance__report_extra *extra)
{
    static const alliance__report_extra none = {NULL, 0, 0, NULL};
    if (!extra)
        extra = &none;
    const char *name = report_name(deck, deck ? deck->name : 0);
    const char *errors = deck && deck->errors.data ? deck->errors.data : "";
    const char *notices = extra->notices ? extra->notices : "";
    size_t name_len = strlen(name), errors_len = strlen(errors), notices_len = strlen(notices);
    uint32_t n = extra->deck_count;
    /* Each part starts at a multiple of 8: the decks hold int64_t, also on 32-bit machines. */
    size_t head = (sizeof(alliance_import_report) + 7) & ~(size_t)7;
    size_t array = ((size_t)n * sizeof(alliance_import_deck *) + 7) & ~(size_t)7;
    size_t decks = (size_t)n * sizeof(alliance_import_deck);
    size_t size = head + array + decks + name_len + 1 + errors_len + 1 + notices_len + 1;
    for (uint32_t i = 0; i < n; i++)
        size += strlen(report_name(deck, alliance__deck_entry_at(deck, extra->decks[i].index).name)) + 1;
    alliance_import_report *r = alliance__malloc(size);
    if (!r)
        return ALLIANCE_ENOMEM;
    memset(r, 0, size);
    char *base = (char *)r;
    alliance_import_deck **pointers = (alliance_import_deck **)(void *)(base + head);
    alliance_import_deck *items = (alliance_import_deck *)(void *)(base + head + array);
    char *strings = base + head + array + decks;
    memcpy(strings, name, name_len + 1);
    r->deck_name = strings;
    strings += name_len + 1;
    memcpy(strings, errors, errors_len + 1);
    r->errors = strings;
    strings += errors_len + 1;
    memcpy(strings, notices, notices_len + 1);
    r->notices = strings;
    strings += notices_len + 1;
    for (uint32_t i = 0; i < n; i++) {
        const alliance__report_deck *d = &extra->decks[i];
        const char *dn = report_name(deck, alliance__deck_entry_at(deck, d->index).name);
        size_t dl = strlen(dn);
        memcpy(strings, dn, dl + 1);
        items[i].version = 1;
        items[i].deck_id = d->counts.deck_id;
        items[i].deck_name = strings;
        items[i].added = d->counts.added;
        items[i].updated = d->counts.updated;
        items[i].unchanged = d->counts.unchanged;
        items[i].suspended = d->counts.suspended;
        pointers[i] = &items[i];
        strings += dl + 1;
    }
    r->version = 2;
    r->deck_id = counts->deck_id;
    r->added = counts->added;
    r->updated = counts->updated;
    r->unchanged = counts->unchanged;
    r->suspended = counts->suspended;
    r->error_count = deck ? deck->error_count : 0;
    r->deck_count = n;
    r->decks = (const alliance_import_deck *const *)pointers;
    r->media = extra->media;
    *out = r;
    return ALLIANCE_OK;
}
