/* SPDX-License-Identifier: MIT */
/* cloze.c - cloze deletions: one scanner used to check, to count and to render. */
#include "core/cloze.h"

#include <string.h>

/* One deletion found at text[start]: its number, its text and optional hint (as ranges). */
typedef struct deletion {
    size_t start, end;          /* "{{" .. just past "}}" */
    uint32_t number;
    size_t text, text_len;
    size_t hint, hint_len;      /* hint_len == 0: no hint */
} deletion;

static int at(const char *text, size_t len, size_t i, const char *lit)
{
    size_t n = strlen(lit);
    return i <= len && len - i >= n && memcmp(text + i, lit, n) == 0;
}

/* Parses the deletion starting at text[i] == "{{". 0 or ALLIANCE_EPARSE. */
static int parse_deletion(const char *text, size_t len, size_t i, deletion *d, size_t *err_offset,
                          const char **err)
{
    d->start = i;
    size_t p = i + 2;
    if (p >= len || text[p] != 'c' || p + 1 >= len || text[p + 1] < '1' || text[p + 1] > '9') {
        *err_offset = i;
        *err = "malformed cloze deletion: expected 'c' and a number 1 to 99 after '{{'";
        return ALLIANCE_EPARSE;
    }
    p++;
    uint32_t number = 0;
    size_t digits = 0;
    while (p < len && text[p] >= '0' && text[p] <= '9' && digits < 3) {
        number = number * 10 + (uint32_t)(text[p] - '0');
        p++;
        digits++;
    }
    if (number > ALLIANCE__CLOZE_MAX) {
        *err_offset = i;
        *err = "malformed cloze deletion: expected 'c' and a number 1 to 99 after '{{'";
        return ALLIANCE_EPARSE;
    }
    if (!at(text, len, p, "::")) {
        *err_offset = i;
        *err = "malformed cloze deletion: expected '::' after the deletion number";
        return ALLIANCE_EPARSE;
    }
    p += 2;
    d->number = number;
    d->text = p;
    d->hint = 0;
    d->hint_len = 0;
    int in_hint = 0;
    for (;;) {
        if (p + 1 >= len) {
            *err_offset = i;
            *err = "malformed cloze deletion: no closing '}}'";
            return ALLIANCE_EPARSE;
        }
        if (text[p] == '{' && text[p + 1] == '{') {
            *err_offset = p;
            *err = "malformed cloze deletion: '{{' inside a deletion";
            return ALLIANCE_EPARSE;
        }
        if (text[p] == '}' && text[p + 1] == '}')
            break;
        /* Like Anki, the first "::" ends the hidden text and starts the hint. */
        if (!in_hint && text[p] == ':' && text[p + 1] == ':') {
            d->text_len = p - d->text;
            in_hint = 1;
            p += 2;
            d->hint = p;
            continue;
        }
        p++;
    }
    if (in_hint)
        d->hint_len = p - d->hint;
    else
        d->text_len = p - d->text;
    d->end = p + 2;
    if (d->text_len == 0) {
        *err_offset = i;
        *err = "malformed cloze deletion: empty text";
        return ALLIANCE_EPARSE;
    }
    if (in_hint && d->hint_len == 0) {
        *err_offset = i;
        *err = "malformed cloze deletion: empty hint";
        return ALLIANCE_EPARSE;
    }
    return ALLIANCE_OK;
}

/* Calls `each` for every deletion in order; every "{{" starts one (a literal "{{" cannot
 * appear in a cloze text, so a typo such as "{{C1::" is reported, not shown as text). */
static const char *next_open(const char *text, size_t len, size_t from)
{
    while (from + 1 < len) {
        const char *brace = memchr(text + from, '{', len - from - 1);
        if (!brace)
            return NULL;
        if (brace[1] == '{')
            return brace;
        from = (size_t)(brace - text) + 1;
    }
    return NULL;
}

int alliance__cloze_scan(const char *text, size_t len, uint8_t *seen, uint32_t *out_distinct,
                         size_t *out_offset, const char **out_message)
{
    memset(seen, 0, ALLIANCE__CLOZE_MAX + 1);
    uint32_t distinct = 0;
    size_t i = 0;
    const char *open;
    while ((open = next_open(text, len, i)) != NULL) {
        deletion d;
        int rc = parse_deletion(text, len, (size_t)(open - text), &d, out_offset, out_message);
        if (rc)
            return rc;
        if (!seen[d.number]) {
            seen[d.number] = 1;
            distinct++;
        }
        i = d.end;
    }
    *out_distinct = distinct;
    return ALLIANCE_OK;
}

int alliance__cloze_next(const char *text, size_t len, size_t *pos, alliance__cloze_deletion *out)
{
    const char *open = next_open(text, len, *pos);
    if (!open)
        return ALLIANCE_DONE;
    deletion d;
    size_t offset;
    const char *message;
    int rc = parse_deletion(text, len, (size_t)(open - text), &d, &offset, &message);
    if (rc)
        return rc;
    out->number = d.number;
    out->start = d.start;
    out->end = d.end;
    out->text = d.text;
    out->text_len = d.text_len;
    *pos = d.end;
    return ALLIANCE_OK;
}

int alliance__cloze_render(alliance__buf *buf, const char *text, size_t len, uint32_t ordinal, int reveal)
{
    size_t i = 0, offset;
    const char *message, *open;
    int rc;
    while ((open = next_open(text, len, i)) != NULL) {
        deletion d;
        if ((rc = parse_deletion(text, len, (size_t)(open - text), &d, &offset, &message)) != 0)
            return rc;
        if ((rc = alliance__buf_append(buf, text + i, d.start - i)) != 0)
            return rc;
        if (d.number == ordinal && !reveal) {
            if (d.hint_len) {
                if ((rc = alliance__buf_append(buf, "[", 1)) != 0 ||
                    (rc = alliance__buf_append(buf, text + d.hint, d.hint_len)) != 0 ||
                    (rc = alliance__buf_append(buf, "]", 1)) != 0)
                    return rc;
            } else if ((rc = alliance__buf_append(buf, "[...]", 5)) != 0) {
                return rc;
            }
        } else if ((rc = alliance__buf_append(buf, text + d.text, d.text_len)) != 0) {
            return rc;
        }
        i = d.end;
    }
    return alliance__buf_append(buf, text + i, len - i);
}

int alliance_cloze_render(char **out, const char *text, uint32_t ordinal, int reveal)
{
    if (!out || !text || ordinal < 1 || ordinal > ALLIANCE__CLOZE_MAX)
        return ALLIANCE_EINVAL;
    size_t len = strlen(text), offset;
    uint8_t seen[ALLIANCE__CLOZE_MAX + 1];
    uint32_t distinct;
    const char *message;
    if (alliance__cloze_scan(text, len, seen, &distinct, &offset, &message) != 0)
        return ALLIANCE_EINVAL;
    if (!seen[ordinal])
        return ALLIANCE_ENOTFOUND;
    alliance__buf buf = {0};
    int rc = alliance__cloze_render(&buf, text, len, ordinal, reveal);
    if (rc == 0 && !buf.data)
        rc = alliance__buf_append(&buf, "", 0);
    if (rc) {
        alliance__buf_free(&buf);
        return rc == ALLIANCE_EPARSE ? ALLIANCE_EINVAL : rc;
    }
    *out = buf.data;
    return ALLIANCE_OK;
}
