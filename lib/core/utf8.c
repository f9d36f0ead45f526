/* SPDX-License-Identifier: MIT */
/* utf8.c - strict UTF-8 validation (RFC 3629, Unicode table 3-7). */
#include "core/utf8.h"

size_t alliance__utf8_check(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned char lo = 0x80, hi = 0xBF; /* the allowed range of the second byte */
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0)
                lo = 0xA0; /* overlong */
            else if (c == 0xED)
                hi = 0x9F; /* surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0)
                lo = 0x90; /* overlong */
            else if (c == 0xF4)
                hi = 0x8F; /* above U+10FFFF */
        } else {
            return i; /* continuation byte, C0/C1 overlong lead, or F5..FF */
        }
        /* A bad sequence is reported at its first byte, as Python's decoder does. */
        if (i + 1 >= len || p[i + 1] < lo || p[i + 1] > hi)
            return i;
        for (size_t k = 2; k <= need; k++)
            if (i + k >= len || p[i + k] < 0x80 || p[i + k] > 0xBF)
                return i;
        i += need + 1;
    }
    return len;
}
