/* SPDX-License-Identifier: MIT */
/* sink.c - the output sink every writer streams through (alliance_write_fn in chunks). */
#include "deck/sink.h"

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
