/* SPDX-License-Identifier: MIT */
/*
 * apkg_zip.c - the members of a package, read with libzip and libzstd (Debian's). A package
 * is hostile input: members are looked up by name and never written anywhere, a name that is
 * a path is refused, and a member's size is checked against its limit before a byte is
 * allocated for it (the declared size, then the bytes actually read, then zstd's output).
 */
#include "interop/apkg.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <zip.h>
#include <zstd.h>

struct alliance__apkg_zip {
    zip_t *zip;
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int fail(alliance__apkg *pkg, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pkg->error, sizeof pkg->error, fmt, ap);
    va_end(ap);
    return code;
}

/* A member name Anki writes is a plain file name ("collection.anki21b", "meta", "media", "0"). */
static int safe_name(const char *name)
{
    if (!name[0] || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p == '/' || *p == '\\' || *p < 0x20 || *p == 0x7F)
            return 0;
    return 1;
}

static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

int alliance__apkg_zip_open(alliance__apkg_zip **out, alliance__apkg *pkg, const char *path, const char *data,
                            size_t len)
{
    *out = NULL;
    alliance__apkg_zip *z = alliance__calloc(1, sizeof *z);
    if (!z)
        return fail(pkg, ALLIANCE_ENOMEM, "out of memory");
    zip_error_t error;
    zip_error_init(&error);
    if (path) {
        int zerr = 0;
        z->zip = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
        if (!z->zip) {
            zip_error_init_with_code(&error, zerr);
            int rc = zerr == ZIP_ER_NOENT ? ALLIANCE_ENOTFOUND
                     : zerr == ZIP_ER_OPEN || zerr == ZIP_ER_READ ? ALLIANCE_EIO : ALLIANCE_EPARSE;
            if (zerr == ZIP_ER_MEMORY)
                rc = ALLIANCE_ENOMEM;
            fail(pkg, rc, "%s: not a package (a zip archive): %s", pkg->where, zip_error_strerror(&error));
            zip_error_fini(&error);
            alliance__free(z);
            return rc;
        }
    } else {
        zip_source_t *src = zip_source_buffer_create(data, len, 0, &error);
        if (src)
            z->zip = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &error);
        if (!z->zip) {
            int rc = zip_error_code_zip(&error) == ZIP_ER_MEMORY ? ALLIANCE_ENOMEM : ALLIANCE_EPARSE;
            fail(pkg, rc, "%s: not a package (a zip archive): %s", pkg->where, zip_error_strerror(&error));
            if (src)
                zip_source_free(src);
            zip_error_fini(&error);
            alliance__free(z);
            return rc;
        }
    }
    zip_error_fini(&error);
    zip_int64_t n = zip_get_num_entries(z->zip, 0);
    if (n < 0 || (uint64_t)n > ALLIANCE__APKG_MEMBERS_MAX) {
        alliance__apkg_zip_close(z);
        return fail(pkg, ALLIANCE_ELIMIT, "%s: more than %u members", pkg->where, ALLIANCE__APKG_MEMBERS_MAX);
    }
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(z->zip, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
        if (!name || !safe_name(name)) {
            char shown[80];
            snprintf(shown, sizeof shown, "%s", name ? name : "?");
            for (char *p = shown; *p; p++)
                if ((unsigned char)*p < 0x20 || *p == 0x7F)
                    *p = '?';
            alliance__apkg_zip_close(z);
            return fail(pkg, ALLIANCE_EPARSE, "%s: member '%s': a path, not a file name (a package is flat)",
                        pkg->where, shown);
        }
        if (all_digits(name))
            pkg->media++;
    }
    *out = z;
    return ALLIANCE_OK;
}

void alliance__apkg_zip_close(alliance__apkg_zip *zip)
{
    if (!zip)
        return;
    if (zip->zip)
        zip_discard(zip->zip);
    alliance__free(zip);
}

int alliance__apkg_zip_has(alliance__apkg_zip *zip, const char *name)
{
    return zip_name_locate(zip->zip, name, ZIP_FL_ENC_RAW) >= 0;
}

/* Decompresses the zstd frames of in[0, n) into out, at most max bytes. */
static int unzstd(alliance__apkg *pkg, const char *member, const char *in, size_t n, uint64_t max, alliance__buf *out)
{
    unsigned long long size = ZSTD_getFrameContentSize(in, n);
    if (size == ZSTD_CONTENTSIZE_ERROR)
        return fail(pkg, ALLIANCE_EPARSE, "%s: member '%s': not zstd-compressed", pkg->where, member);
    if (size != ZSTD_CONTENTSIZE_UNKNOWN && size > max)
        return fail(pkg, ALLIANCE_ELIMIT, "%s: member '%s': %llu bytes uncompressed, over the limit of %llu",
                    pkg->where, member, size, (unsigned long long)max);
    ZSTD_DCtx *dctx = ZSTD_createDCtx();
    if (!dctx)
        return fail(pkg, ALLIANCE_ENOMEM, "out of memory");
    /* Streamed into a growing buffer: a declared size is a hint, never trusted for allocation
     * beyond the limit, and a frame without one is read the same way. */
    ZSTD_inBuffer input = {in, n, 0};
    int rc = ALLIANCE_OK;
    size_t chunk = ZSTD_DStreamOutSize();
    for (;;) {
        if (out->len + chunk > max + 1) {
            chunk = (size_t)(max + 1 - out->len);
            if (chunk == 0) {
                rc = fail(pkg, ALLIANCE_ELIMIT, "%s: member '%s': over the limit of %llu bytes uncompressed",
                          pkg->where, member, (unsigned long long)max);
                break;
            }
        }
        if (out->cap - out->len < chunk + 1) {
            size_t want = out->len + chunk + 1;
            size_t cap = out->cap ? out->cap : 65536;
            while (cap < want)
                cap *= 2;
            if (cap > max + 2)
                cap = (size_t)max + 2;
            char *grown = alliance__realloc(out->data, cap);
            if (!grown) {
                rc = fail(pkg, ALLIANCE_ENOMEM, "out of memory for member '%s'", member);
                break;
            }
            out->data = grown;
            out->cap = cap;
        }
        ZSTD_outBuffer output = {out->data + out->len, chunk, 0};
        size_t ret = ZSTD_decompressStream(dctx, &output, &input);
        out->len += output.pos;
        out->data[out->len] = '\0';
        if (ZSTD_isError(ret)) {
            rc = fail(pkg, ALLIANCE_EPARSE, "%s: member '%s': a damaged zstd frame (%s)", pkg->where, member,
                      ZSTD_getErrorName(ret));
            break;
        }
        if (out->len > max) {
            rc = fail(pkg, ALLIANCE_ELIMIT, "%s: member '%s': over the limit of %llu bytes uncompressed",
                      pkg->where, member, (unsigned long long)max);
            break;
        }
        if (ret == 0 && input.pos == input.size)
            break; /* the last frame is complete */
        if (input.pos == input.size && output.pos < output.size) {
            rc = fail(pkg, ALLIANCE_EPARSE, "%s: member '%s': the zstd data ends inside a frame", pkg->where,
                      member);
            break;
        }
    }
    ZSTD_freeDCtx(dctx);
    return rc;
}

int alliance__apkg_zip_read(alliance__apkg_zip *zip, alliance__apkg *pkg, const char *name, uint64_t max, int zstd,
                            alliance__buf *out)
{
    out->len = 0;
    zip_stat_t st;
    zip_stat_init(&st);
    zip_int64_t index = zip_name_locate(zip->zip, name, ZIP_FL_ENC_RAW);
    if (index < 0 || zip_stat_index(zip->zip, (zip_uint64_t)index, 0, &st) != 0)
        return fail(pkg, ALLIANCE_EPARSE, "%s: member '%s' is missing", pkg->where, name);
    if (!(st.valid & ZIP_STAT_SIZE))
        return fail(pkg, ALLIANCE_EPARSE, "%s: member '%s' has no size", pkg->where, name);
    /* The compressed form of a zstd member is within the limit too: zstd never expands much. */
    if (st.size > max)
        return fail(pkg, ALLIANCE_ELIMIT, "%s: member '%s' is %llu bytes, over the limit of %llu", pkg->where,
                    name, (unsigned long long)st.size, (unsigned long long)max);
    zip_file_t *f = zip_fopen_index(zip->zip, (zip_uint64_t)index, 0);
    if (!f)
        return fail(pkg, ALLIANCE_EPARSE, "%s: member '%s' cannot be read: %s", pkg->where, name,
                    zip_strerror(zip->zip));
    alliance__buf raw = {0};
    int rc = alliance__buf_append(&raw, NULL, 0);
    if (!rc && st.size > 0) {
        /* The declared size, plus one byte to notice a member longer than it says. */
        char *buf = alliance__malloc((size_t)st.size + 1);
        if (!buf) {
            rc = ALLIANCE_ENOMEM;
        } else {
            alliance__free(raw.data);
            raw.data = buf;
            raw.cap = (size_t)st.size + 1;
        }
    }
    zip_uint64_t got = 0;
    while (!rc && got <= st.size) {
        zip_int64_t n = zip_fread(f, raw.data + got, st.size + 1 - got);
        if (n < 0) {
            rc = fail(pkg, ALLIANCE_EPARSE, "%s: member '%s' is damaged: %s", pkg->where, name, zip_file_strerror(f));
            break;
        }
        if (n == 0)
            break;
        got += (zip_uint64_t)n;
    }
    if (rc == ALLIANCE_ENOMEM)
        fail(pkg, rc, "out of memory for member '%s'", name);
    else if (!rc && got != st.size)
        rc = fail(pkg, ALLIANCE_EPARSE, "%s: member '%s' holds %llu bytes, not the %llu it declares", pkg->where,
                  name, (unsigned long long)got, (unsigned long long)st.size);
    if (zip_fclose(f) != 0 && !rc)
        rc = fail(pkg, ALLIANCE_EPARSE, "%s: member '%s' is damaged (checksum)", pkg->where, name);
    if (rc) {
        alliance__buf_free(&raw);
        return rc;
    }
    raw.len = (size_t)got;
    raw.data[raw.len] = '\0';
    if (!zstd) {
        alliance__buf_free(out);
        *out = raw;
        return ALLIANCE_OK;
    }
    rc = unzstd(pkg, name, raw.data, raw.len, max, out);
    alliance__buf_free(&raw);
    return rc;
}
