/* SPDX-License-Identifier: MIT */
/* alloc.c - the library's allocator hook and the growable buffer. */
#include "core/internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *libc_malloc(void *opaque, size_t size) { (void)opaque; return malloc(size); }
static void *libc_realloc(void *opaque, void *ptr, size_t size) { (void)opaque; return realloc(ptr, size); }
static void libc_free(void *opaque, void *ptr) { (void)opaque; free(ptr); }

/* Global by design (like sqlite3_config): set once, before any object exists. */
static alliance_allocator current = {
    ALLIANCE_ALLOCATOR_VERSION, libc_malloc, libc_realloc, libc_free, NULL
};

int alliance_set_allocator(const alliance_allocator *allocator)
{
    if (allocator == NULL) {
        current.malloc_fn = libc_malloc;
        current.realloc_fn = libc_realloc;
        current.free_fn = libc_free;
        current.opaque = NULL;
        return ALLIANCE_OK;
    }
    if (allocator->version != ALLIANCE_ALLOCATOR_VERSION)
        return ALLIANCE_EVERSION;
    if (!allocator->malloc_fn || !allocator->realloc_fn || !allocator->free_fn)
        return ALLIANCE_EINVAL;
    current = *allocator;
    return ALLIANCE_OK;
}

int alliance_allocator_init(alliance_allocator *allocator, uint32_t version)
{
    if (allocator == NULL)
        return ALLIANCE_EINVAL;
    /* Only version 1 exists; a later one will write exactly the layout asked for. */
    if (version != ALLIANCE_ALLOCATOR_VERSION)
        return ALLIANCE_EVERSION;
    allocator->version = ALLIANCE_ALLOCATOR_VERSION;
    allocator->malloc_fn = NULL;
    allocator->realloc_fn = NULL;
    allocator->free_fn = NULL;
    allocator->opaque = NULL;
    return ALLIANCE_OK;
}

void *alliance__malloc(size_t size)
{
    return current.malloc_fn(current.opaque, size ? size : 1);
}

void *alliance__calloc(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    void *p = alliance__malloc(count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

void *alliance__realloc(void *ptr, size_t size)
{
    return current.realloc_fn(current.opaque, ptr, size ? size : 1);
}

void alliance__free(void *ptr)
{
    if (ptr)
        current.free_fn(current.opaque, ptr);
}

void alliance_free(void *ptr)
{
    alliance__free(ptr);
}

char *alliance__strndup(const char *s, size_t len)
{
    char *copy = alliance__malloc(len + 1);
    if (copy) {
        memcpy(copy, s, len);
        copy[len] = '\0';
    }
    return copy;
}

char *alliance__strdup(const char *s)
{
    return alliance__strndup(s, strlen(s));
}

int alliance__buf_reserve(alliance__buf *buf, size_t extra)
{
    if (extra > SIZE_MAX - buf->len - 1)
        return ALLIANCE_ENOMEM;
    size_t need = buf->len + extra + 1;
    if (need <= buf->cap)
        return ALLIANCE_OK;
    size_t cap = buf->cap ? buf->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *data = alliance__realloc(buf->data, cap);
    if (!data)
        return ALLIANCE_ENOMEM;
    buf->data = data;
    buf->cap = cap;
    return ALLIANCE_OK;
}

int alliance__buf_puts(alliance__buf *buf, const char *s)
{
    return alliance__buf_append(buf, s, strlen(s));
}

int alliance__buf_printf(alliance__buf *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return ALLIANCE_EINVAL;
    int rc = alliance__buf_reserve(buf, (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf->len += (size_t)n;
    return ALLIANCE_OK;
}

void alliance__buf_free(alliance__buf *buf)
{
    alliance__free(buf->data);
    buf->data = NULL;
    buf->len = buf->cap = 0;
}
