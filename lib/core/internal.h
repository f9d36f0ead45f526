/* SPDX-License-Identifier: MIT */
/*
 * internal.h - what every room of lib/ shares. Nothing here is API.
 * Internal functions that cross files are named alliance__* (two underscores)
 * so they never collide with a program linking the static library.
 */
#ifndef ALLIANCE_INTERNAL_H
#define ALLIANCE_INTERNAL_H

#include "alliance.h"

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

/* ---- memory (alloc.c): every allocation of the library goes through here ---- */
void *alliance__malloc(size_t size);
void *alliance__calloc(size_t count, size_t size); /* overflow-checked, zeroed */
void *alliance__realloc(void *ptr, size_t size);
void alliance__free(void *ptr);
char *alliance__strdup(const char *s);
char *alliance__strndup(const char *s, size_t len);

/* A growable byte buffer, always NUL-terminated when data != NULL. */
typedef struct alliance__buf {
    char *data;
    size_t len;
    size_t cap;
} alliance__buf;
/* Room for `extra` more bytes and the NUL after them: 0 or ALLIANCE_ENOMEM. */
int alliance__buf_reserve(alliance__buf *buf, size_t extra);
/* Appends len bytes (0 or ALLIANCE_ENOMEM). Inline: the parsers append a few bytes at a time,
 * and the call cost more than the copy. */
static inline int alliance__buf_append(alliance__buf *buf, const char *data, size_t len)
{
    if (len >= buf->cap - buf->len && alliance__buf_reserve(buf, len) != 0) /* also when cap is 0 */
        return ALLIANCE_ENOMEM;
    if (len)
        memcpy(buf->data + buf->len, data, len);
    buf->len += len;
    buf->data[buf->len] = '\0';
    return 0;
}
int alliance__buf_puts(alliance__buf *buf, const char *s);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
int alliance__buf_printf(alliance__buf *buf, const char *fmt, ...);
void alliance__buf_free(alliance__buf *buf);

/* ---- errors (error.c) ---- */
#define ALLIANCE__ERRMSG_MAX 1024

/* The last failure on a handle. A fixed buffer: reporting an error never allocates. */
typedef struct alliance__error {
    int code;
    char message[ALLIANCE__ERRMSG_MAX];
} alliance__error;

void alliance__error_clear(alliance__error *err);
/* Records code and a printf-style message; returns code so callers can `return alliance__error_set(...)`. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
int alliance__error_set(alliance__error *err, int code, const char *fmt, ...);
#if defined(__GNUC__)
__attribute__((format(printf, 3, 0)))
#endif
int alliance__error_setv(alliance__error *err, int code, const char *fmt, va_list ap);
/* strerror_r into buf: the OS's text for an errno value (thread-safe); returns buf. */
const char *alliance__errno_text(int err, char *buf, size_t size);
/* Puts `card "<card_id>": ` before the recorded message (a store failure that
 * happened while writing that card); returns code. */
int alliance__error_about_card(alliance__error *err, int code, const char *card_id);

#endif /* ALLIANCE_INTERNAL_H */
