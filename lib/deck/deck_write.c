/* SPDX-License-Identifier: MIT */
/* deck_write.c - our deck format's canonical writer. */
#include "deck/deck_write.h"

#include <string.h>

/* "key: value", every further line of the value indented by two spaces (a continuation). */
static void put_value(alliance__sink *sink, const char *key, const char *value)
{
    alliance__sink_puts(sink, key);
    alliance__sink_put(sink, ": ", 2);
    for (const char *nl; (nl = strchr(value, '\n')) != NULL; value = nl + 1) {
        alliance__sink_put(sink, value, (size_t)(nl - value));
        alliance__sink_put(sink, "\n  ", 3);
    }
    alliance__sink_puts(sink, value);
    alliance__sink_put(sink, "\n", 1);
}

static int present(const char *s)
{
    return s && s[0];
}

int alliance__deck_write_head(alliance__sink *sink, const alliance__deck_head *head)
{
    put_value(sink, "deck", head->name);
    if (present(head->description))
        put_value(sink, "description", head->description);
    const char *s = head->sources;
    while (present(s)) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        alliance__sink_put(sink, "source: ", 8);
        alliance__sink_put(sink, s, len);
        alliance__sink_put(sink, "\n", 1);
        s = nl ? nl + 1 : NULL;
    }
    return sink->rc;
}

int alliance__deck_write_note(alliance__sink *sink, const alliance__note_in *note)
{
    alliance__sink_put(sink, "\n", 1);
    put_value(sink, "card", note->id);
    put_value(sink, "type", alliance__type_name(note->type));
    const char *front = note->field[ALLIANCE__F_FRONT], *back = note->field[ALLIANCE__F_BACK];
    put_value(sink, alliance__field_key(note->type, ALLIANCE__F_FRONT), front ? front : "");
    if (present(back) || note->type != ALLIANCE_CARD_CLOZE)
        put_value(sink, alliance__field_key(note->type, ALLIANCE__F_BACK), back ? back : "");
    if (note->type == ALLIANCE_CARD_CHOICE) {
        const char *w = note->field[ALLIANCE__F_WRONG];
        while (present(w)) {
            const char *nl = strchr(w, '\n');
            size_t len = nl ? (size_t)(nl - w) : strlen(w);
            alliance__sink_put(sink, "wrong: ", 7);
            alliance__sink_put(sink, w, len);
            alliance__sink_put(sink, "\n", 1);
            w = nl ? nl + 1 : NULL;
        }
    }
    static const int optional[] = {ALLIANCE__F_TAGS, ALLIANCE__F_SOURCE, ALLIANCE__F_QUOTE};
    for (size_t i = 0; i < sizeof optional / sizeof optional[0]; i++) {
        const char *v = note->field[optional[i]];
        if (present(v))
            put_value(sink, alliance__field_key(note->type, optional[i]), v);
    }
    return sink->rc;
}
