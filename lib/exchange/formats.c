/* SPDX-License-Identifier: MIT */
/* formats.c - a whole deck read from, or written to, any ALLIANCE_FORMAT_*. */
#include "exchange/formats.h"

#include "deck/deck_parse.h"
#include "deck/deck_write.h"
#include "interop/anki_text.h"

int alliance__deck_read(alliance__deck *deck, const char *data, size_t len, uint32_t format,
                        const char *default_name)
{
    if (format == ALLIANCE_FORMAT_ANKI_TEXT)
        return alliance__anki_read(deck, data, len, default_name);
    return alliance__deck_parse(deck, data, len);
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
