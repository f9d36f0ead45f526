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

int alliance__report_make(alliance_import_report **out, const alliance__deck *deck,
                          const alliance__report_counts *counts)
{
    const char *name = deck && deck->strings.data ? alliance__deck_str(deck, deck->name) : "";
    const char *errors = deck && deck->errors.data ? deck->errors.data : "";
    size_t name_len = strlen(name), errors_len = strlen(errors);
    /* A file with invalid UTF-8 in its deck line fails with an error that says so; the
     * report's strings must still be UTF-8, so such a name is not handed out. */
    if (alliance__utf8_check(name, name_len) != name_len)
        name = "", name_len = 0;
    size_t size = sizeof(alliance_import_report) + name_len + 1 + errors_len + 1;
    alliance_import_report *r = alliance__malloc(size);
    if (!r)
        return ALLIANCE_ENOMEM;
    memset(r, 0, sizeof *r);
    char *strings = (char *)(r + 1);
    memcpy(strings, name, name_len + 1);
    memcpy(strings + name_len + 1, errors, errors_len + 1);
    r->version = 1;
    r->deck_id = counts->deck_id;
    r->deck_name = strings;
    r->added = counts->added;
    r->updated = counts->updated;
    r->unchanged = counts->unchanged;
    r->suspended = counts->suspended;
    r->error_count = deck ? deck->error_count : 0;
    r->errors = strings + name_len + 1;
    *out = r;
    return ALLIANCE_OK;
}
