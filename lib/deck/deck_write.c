/* deck_write.c - the output sink and our deck format's canonical writer. */
#include "deck/deck_write.h"

#include <string.h>

#define SINK_CHUNK ((size_t)64 << 10)

void alliance__sink_init(alliance__sink *sink, alliance_write_fn write, void *opaque)
{
    memset(sink, 0, sizeof *sink);
    sink->write = write;
    sink->opaque = opaque;
}

int alliance__sink_flush(alliance__sink *sink)
{
    if (!sink->rc && sink->buf.len) {
        if (sink->write(sink->opaque, sink->buf.data, sink->buf.len) != 0)
            sink->rc = ALLIANCE_EIO;
    }
    sink->buf.len = 0;
    return sink->rc;
}

int alliance__sink_put(alliance__sink *sink, const char *data, size_t len)
{
    if (sink->rc)
        return sink->rc;
    if (alliance__buf_append(&sink->buf, data, len) != 0)
        return sink->rc = ALLIANCE_ENOMEM;
    if (sink->buf.len >= SINK_CHUNK)
        return alliance__sink_flush(sink);
    return ALLIANCE_OK;
}

int alliance__sink_puts(alliance__sink *sink, const char *s)
{
    return alliance__sink_put(sink, s, strlen(s));
}

void alliance__sink_free(alliance__sink *sink)
{
    alliance__buf_free(&sink->buf);
}

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

int alliance__deck_write(alliance__sink *sink, const alliance__deck *deck, uint32_t format)
{
    int anki = format == ALLIANCE_FORMAT_ANKI_TEXT;
    alliance__deck_head head = {
        alliance__deck_str(deck, deck->name),
        alliance__deck_str(deck, deck->description),
        alliance__deck_str(deck, deck->sources),
    };
    if (anki)
        alliance__anki_write_head(sink, &head);
    else
        alliance__deck_write_head(sink, &head);
    alliance__buf tags = {0};
    for (uint32_t i = 0; i < deck->note_count && !sink->rc; i++) {
        const alliance__deck_note *n = &deck->notes[i];
        alliance__note_in in;
        in.type = n->type;
        in.id = alliance__note_str(deck, n, ALLIANCE__F_ID);
        for (int f = 0; f < ALLIANCE__F_COUNT; f++)
            in.field[f] = alliance__note_str(deck, n, f);
        if (alliance__note_tags(deck, n, &tags) != 0) {
            sink->rc = ALLIANCE_ENOMEM;
            break;
        }
        in.field[ALLIANCE__F_TAGS] = tags.data;
        if (anki)
            alliance__anki_write_note(sink, &head, &in);
        else
            alliance__deck_write_note(sink, &in);
    }
    alliance__buf_free(&tags);
    return alliance__sink_flush(sink);
}
