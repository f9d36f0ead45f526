/* SPDX-License-Identifier: MIT */
/*
 * sink.h - the output sink: writers put small pieces, the sink hands them to the
 * caller's alliance_write_fn in chunks. Nothing here is API.
 */
#ifndef ALLIANCE_SINK_H
#define ALLIANCE_SINK_H

#include "core/internal.h"

/* Collects small pieces and hands them to `write` in chunks of about 64 KiB. */
typedef struct alliance__sink {
    alliance_write_fn write;
    void *opaque;
    alliance__buf buf;
    int rc;                 /* the first failure: ALLIANCE_EIO (write said stop) or ALLIANCE_ENOMEM */
} alliance__sink;

void alliance__sink_init(alliance__sink *sink, alliance_write_fn write, void *opaque);
int alliance__sink_put(alliance__sink *sink, const char *data, size_t len);
int alliance__sink_puts(alliance__sink *sink, const char *s);
/* Hands over what is buffered; returns sink->rc. */
int alliance__sink_flush(alliance__sink *sink);
void alliance__sink_free(alliance__sink *sink);

#endif /* ALLIANCE_SINK_H */
