/* SPDX-License-Identifier: MIT */
/* formats.c - a whole deck read from, or written to, any ALLIANCE_FORMAT_*. */
#include "exchange/formats.h"

#include "deck/deck_parse.h"
#include "deck/deck_write.h"
#include "interop/anki_text.h"

#include <string.h>
#include <strings.h>

int alliance__deck_read(alliance__deck *deck, const char *data, size_t len, uint32_t format,
                        const char *default_name)
{
    if (format == ALLIANCE_FORMAT_ANKI_TEXT)
        return alliance__anki_read(deck, data, len, default_name);
    return alliance__deck_parse(deck, data, len);
}

/* A note of the in-memory deck as the writers take it; tags joined into *tags. */
static int note_in(const alliance__deck *deck, const alliance__deck_note *n, alliance__buf *tags,
                   alliance__note_in *in)
{
    in->type = n->type;
    in->id = alliance__note_str(deck, n, ALLIANCE__F_ID);
    for (int f = 0; f < ALLIANCE__F_COUNT; f++)
        in->field[f] = alliance__note_str(deck, n, f);
    if (alliance__note_tags(deck, n, tags) != 0)
        return ALLIANCE_ENOMEM;
    in->field[ALLIANCE__F_TAGS] = tags->data;
    return ALLIANCE_OK;
}

static alliance__deck_head head_of(const alliance__deck *deck, uint32_t index)
{
    alliance__deck_entry e = alliance__deck_entry_at(deck, index);
    alliance__deck_head head = {
        alliance__deck_str(deck, e.name),
        alliance__deck_str(deck, e.description),
        alliance__deck_str(deck, e.sources),
    };
    return head;
}

int alliance__deck_write(alliance__sink *sink, const alliance__deck *deck, uint32_t format)
{
    int anki = format == ALLIANCE_FORMAT_ANKI_TEXT;
    if (!anki && deck->more_count > 0)
        return ALLIANCE_EINVAL; /* our format holds one deck */
    alliance__deck_head head = head_of(deck, 0);
    alliance__buf tags = {0};
    alliance__note_in in;
    int html = 0;
    for (uint32_t i = 0; anki && i < deck->note_count && !html; i++) {
        if (note_in(deck, &deck->notes[i], &tags, &in) != 0) {
            alliance__buf_free(&tags);
            return ALLIANCE_ENOMEM;
        }
        html = alliance__anki_markup(&in);
    }
    if (anki) {
        alliance__anki_write_head(sink, &head, html);
        for (uint32_t d = 1; d < alliance__deck_count(deck); d++) {
            alliance__deck_head more = head_of(deck, d);
            alliance__anki_write_deck_head(sink, &more);
        }
    } else {
        alliance__deck_write_head(sink, &head);
    }
    for (uint32_t i = 0; i < deck->note_count && !sink->rc; i++) {
        const alliance__deck_note *n = &deck->notes[i];
        if (note_in(deck, n, &tags, &in) != 0) {
            sink->rc = ALLIANCE_ENOMEM;
            break;
        }
        if (anki)
            alliance__anki_write_note(sink, alliance__deck_str(deck, alliance__deck_entry_at(deck, n->deck).name), &in,
                                      html);
        else
            alliance__deck_write_note(sink, &in);
    }
    alliance__buf_free(&tags);
    return alliance__sink_flush(sink);
}

/* "#key:" at the start of a line, key one of Anki's header keys (no blank after '#': a comment
 * of our format such as "# deck: ..." is not one). */
static int anki_header_line(const char *s, size_t n)
{
    static const char *const keys[] = {
        "separator:", "html:", "tags:", "columns:", "notetype:", "deck:", "notetype column:",
        "deck column:", "tags column:", "guid column:",
    };
    if (n < 2 || s[0] != '#')
        return 0;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        size_t k = strlen(keys[i]);
        if (n - 1 >= k && strncasecmp(s + 1, keys[i], k) == 0)
            return 1;
    }
    return 0;
}

int alliance_format_detect(const char *data, size_t len, uint32_t *out_format)
{
    if (!out_format || (!data && len))
        return ALLIANCE_EINVAL;
    *out_format = ALLIANCE_FORMAT_DECK;
    if (len >= 4 && data[0] == 'P' && data[1] == 'K' &&
        ((data[2] == 3 && data[3] == 4) || (data[2] == 5 && data[3] == 6))) {
        *out_format = ALLIANCE_FORMAT_APKG; /* a zip: a local file header, or an empty archive */
        return ALLIANCE_OK;
    }
    size_t pos = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    const char *nl = memchr(data + pos, '\n', len - pos);
    size_t n = nl ? (size_t)(nl - (data + pos)) : len - pos;
    const char *line = data + pos;
    if (anki_header_line(line, n) || (n >= 5 && memcmp(line, "tags:", 5) == 0) || memchr(line, '\t', n))
        *out_format = ALLIANCE_FORMAT_ANKI_TEXT;
    return ALLIANCE_OK;
}
