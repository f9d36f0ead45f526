/* SPDX-License-Identifier: MIT */
/*
 * cloze.h - cloze deletions {{cN::text}} and {{cN::text::hint}}: finding them,
 * checking them, rendering them. Shared by the parser, the Anki reader,
 * alliance_note_add and alliance_cloze_render. Nothing here is API.
 */
#ifndef ALLIANCE_CLOZE_H
#define ALLIANCE_CLOZE_H

#include "core/internal.h"

#include <stdint.h>

#define ALLIANCE__CLOZE_MAX 99u /* deletion numbers are 1..99 */

/* Scans `len` bytes of text. seen[N] is set to 1 for each deletion number N present
 * (seen has ALLIANCE__CLOZE_MAX + 1 entries); *out_distinct counts them.
 * Returns 0, or ALLIANCE_EPARSE with *out_offset at the offending byte and *out_message
 * a static text. Never reads past text + len. */
int alliance__cloze_scan(const char *text, size_t len, uint8_t *seen, uint32_t *out_distinct,
                         size_t *out_offset, const char **out_message);

/* One deletion as byte ranges of its text. */
typedef struct alliance__cloze_deletion {
    uint32_t number;            /* N of {{cN::...}} */
    size_t start, end;          /* "{{" .. just past "}}" */
    size_t text, text_len;      /* the hidden text */
} alliance__cloze_deletion;

/* The next deletion at or after *pos: 0 and *out filled (*pos moves past it),
 * ALLIANCE_DONE when there is none, ALLIANCE_EPARSE for a malformed text. */
int alliance__cloze_next(const char *text, size_t len, size_t *pos, alliance__cloze_deletion *out);

/* Appends the text with deletion `ordinal` hidden ("[...]" or "[hint]") unless reveal,
 * every other deletion shown. ALLIANCE_EPARSE if the text is malformed, ALLIANCE_ENOMEM. */
int alliance__cloze_render(alliance__buf *buf, const char *text, size_t len, uint32_t ordinal, int reveal);

#endif /* ALLIANCE_CLOZE_H */
