/* SPDX-License-Identifier: MIT */
/* error.c - result codes, their static texts, and per-handle error state. */
#include "core/internal.h"

#include <stdio.h>
#include <string.h>

const char *alliance_strerror(int code)
{
    switch (code) {
    case ALLIANCE_OK: return "not an error";
    case ALLIANCE_DONE: return "no more rows";
    case ALLIANCE_EINVAL: return "invalid argument";
    case ALLIANCE_ENOMEM: return "out of memory";
    case ALLIANCE_EVERSION: return "unknown struct version";
    case ALLIANCE_EGRADE: return "grade out of range (SM-2 0..5, FSRS 1..4)";
    case ALLIANCE_ESTATE: return "impossible SM-2 or FSRS state";
    case ALLIANCE_ENOTFOUND: return "not found";
    case ALLIANCE_ENOTDUE: return "card is not due";
    case ALLIANCE_EEXISTS: return "id already exists";
    case ALLIANCE_ENOUNDO: return "nothing to undo";
    case ALLIANCE_EPARSE: return "malformed deck file";
    case ALLIANCE_ELIMIT: return "over a size limit";
    case ALLIANCE_EIO: return "input/output error";
    case ALLIANCE_EFULL: return "disk or collection full";
    case ALLIANCE_EREADONLY: return "collection is read-only";
    case ALLIANCE_EBUSY: return "collection is locked by another connection";
    case ALLIANCE_ECORRUPT: return "collection file is damaged";
    case ALLIANCE_ENOTCOLLECTION: return "file is not a liballiance collection";
    case ALLIANCE_ENEWER: return "collection was made by a newer liballiance";
    case ALLIANCE_EMISUSE: return "library misuse (call out of order, collection closed, or floating-point environment changed)";
    case ALLIANCE_EDB: return "database error";
    default: return "unknown error code";
    }
}

void alliance__error_clear(alliance__error *err)
{
    err->code = ALLIANCE_OK;
    err->message[0] = '\0';
}

int alliance__error_setv(alliance__error *err, int code, const char *fmt, va_list ap)
{
    err->code = code;
    if (fmt)
        vsnprintf(err->message, sizeof err->message, fmt, ap);
    else
        snprintf(err->message, sizeof err->message, "%s", alliance_strerror(code));
    return code;
}

int alliance__error_set(alliance__error *err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    alliance__error_setv(err, code, fmt, ap);
    va_end(ap);
    return code;
}

int alliance__error_about_card(alliance__error *err, int code, const char *card_id)
{
    char message[ALLIANCE__ERRMSG_MAX];
    snprintf(message, sizeof message, "%s", err->message[0] ? err->message : alliance_strerror(code));
    return alliance__error_set(err, code, "card \"%s\": %s", card_id, message);
}

const char *alliance__errno_text(int err, char *buf, size_t size)
{
    if (strerror_r(err, buf, size) != 0)
        snprintf(buf, size, "error %d", err);
    return buf;
}
