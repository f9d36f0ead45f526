/* SPDX-License-Identifier: MIT */
/* text.c - the one rule for text that enters a collection (docs/deck-format.md, "Text"). */
#include "core/text.h"

#include "core/utf8.h"

#include <stdint.h>
#include <string.h>

static const char *at(size_t *out_offset, size_t offset, const char *problem)
{
    if (out_offset)
        *out_offset = offset;
    return problem;
}

/* Bytes [0, n) are plain ASCII without NUL and CR (the common case, checked eight at a time).
 * Returns how many bytes from the start are known to be such. */
static size_t plain_ascii_prefix(const char *s, size_t len)
{
    const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
    const uint64_t crs = ones * '\r';
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t v;
        memcpy(&v, s + i, 8);
        uint64_t cr = v ^ crs;
        /* a high bit set, a zero byte, or a CR byte (zero after the xor) stops the fast path */
        if ((v & highs) || ((v - ones) & ~v & highs) || ((cr - ones) & ~cr & highs))
            break;
    }
    while (i < len && (unsigned char)s[i] < 0x80 && s[i] != '\0' && s[i] != '\r')
        i++;
    return i;
}

/* Strict UTF-8, no NUL, no carriage return: the first problem by position. A CR written
 * back before "\n" would read as a CRLF line end, so the text would not survive an export. */
static const char *check_bytes(const char *s, size_t len, size_t *out_offset)
{
    size_t start = plain_ascii_prefix(s, len);
    if (start == len)
        return NULL;
    size_t bad = start + alliance__utf8_check(s + start, len - start);
    const char *nul = memchr(s + start, '\0', bad - start);
    const char *cr = memchr(s + start, '\r', bad - start);
    if (nul && (!cr || nul < cr))
        return at(out_offset, (size_t)(nul - s), "NUL byte");
    if (cr)
        return at(out_offset, (size_t)(cr - s), "a carriage return (CR) that does not end the line");
    if (bad < len)
        return at(out_offset, bad, "invalid UTF-8");
    return NULL;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Any GUID Anki can write (docs/deck-format.md, "Card ids"): 1 to 128 bytes of UTF-8
 * without control characters (C0, DEL, C1), not starting or ending with a space (a value is
 * trimmed), without "::" (reserved for the cards of a cloze note; Anki text and .apkg GUIDs
 * holding it are encoded, docs/anki.md). */
static const char *check_card_id(const char *s, size_t len, size_t *out_offset)
{
    if (len == 0)
        return at(out_offset, 0, "empty");
    if (len > ALLIANCE__CARD_ID_MAX)
        return at(out_offset, ALLIANCE__CARD_ID_MAX, "longer than 128 bytes");
    size_t bad = alliance__utf8_check(s, len);
    if (bad < len)
        return at(out_offset, bad, "not UTF-8");
    if (s[0] == ' ' || s[len - 1] == ' ')
        return at(out_offset, s[0] == ' ' ? 0 : len - 1, "it starts or ends with a blank");
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        unsigned char next = i + 1 < len ? (unsigned char)s[i + 1] : 0;
        if (c < 0x20 || c == 0x7F || (c == 0xC2 && next >= 0x80 && next <= 0x9F))
            return at(out_offset, i, "a control character");
        if (c == ':' && next == ':')
            return at(out_offset, i, "'::' is reserved for the cards of a cloze note");
    }
    return NULL;
}

const char *alliance__text_check(alliance__text_kind kind, const char *s, size_t len, size_t *out_offset)
{
    if (kind == ALLIANCE__TEXT_CARD_ID)
        return check_card_id(s, len, out_offset);
    const char *problem = kind == ALLIANCE__TEXT_VALUE_LINES ? NULL : check_bytes(s, len, out_offset);
    if (problem || kind == ALLIANCE__TEXT_BYTES)
        return problem;
    if (kind == ALLIANCE__TEXT_VALUE || kind == ALLIANCE__TEXT_VALUE_LINES) {
        /* A '#' at the start of a continued line would read back as a comment. */
        for (const char *nl = memchr(s, '\n', len); nl; nl = memchr(nl + 1, '\n', len - (size_t)(nl + 1 - s)))
            if ((size_t)(nl + 1 - s) < len && nl[1] == '#')
                return at(out_offset, (size_t)(nl + 1 - s), "a line after the first starts with '#'");
        return NULL;
    }
    const char *nl = memchr(s, '\n', len);
    if (nl)
        return at(out_offset, (size_t)(nl - s), "a line break (it is one line)");
    if (kind == ALLIANCE__TEXT_DECK_NAME) {
        if (len == 0)
            return at(out_offset, 0, "empty");
        if (alliance__text_lines_fit(s, len, sizeof "deck: " - 1, 0, out_offset))
            return "longer than the 'deck: ' line of a deck file can hold (1 MiB)";
        if (is_blank(s[0]))
            return at(out_offset, 0, "a blank at its start");
        if (is_blank(s[len - 1]))
            return at(out_offset, len - 1, "a blank at its end");
    }
    return NULL;
}

const char *alliance__text_lines_fit(const char *s, size_t len, size_t first_prefix, size_t other_prefix,
                                     size_t *out_offset)
{
    if (len + (first_prefix > other_prefix ? first_prefix : other_prefix) <= ALLIANCE__TEXT_LINE_MAX)
        return NULL; /* no line can be too long */
    size_t start = 0, prefix = first_prefix;
    while (start <= len) {
        const char *nl = memchr(s + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - s) : len;
        if (prefix + (end - start) > ALLIANCE__TEXT_LINE_MAX)
            return at(out_offset, start, "a line too long to be written back in a deck file (over 1 MiB with its key)");
        if (!nl)
            break;
        start = end + 1;
        prefix = other_prefix;
    }
    return NULL;
}
