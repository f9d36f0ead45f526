/* SPDX-License-Identifier: MIT */
/*
 * text.h - the one rule for text that enters a collection, whatever the way in
 * (a deck file, an Anki file, alliance_note_add, alliance_deck_id, the import
 * options' deck name). docs/deck-format.md ("Text") states it; this is the only
 * code that decides it, so that a rule changes in one place and everything the
 * API accepts can be exported and read back. Nothing here is API.
 */
#ifndef ALLIANCE_TEXT_H
#define ALLIANCE_TEXT_H

#include <stddef.h>

/* The longest line of a deck file (docs/deck-format.md, "Limits"). */
#define ALLIANCE__TEXT_LINE_MAX ((size_t)1 << 20)
/* The longest card id (a note's id; a cloze note's cards add "::cN"). */
#define ALLIANCE__CARD_ID_MAX 128u

typedef enum alliance__text_kind {
    ALLIANCE__TEXT_BYTES,     /* any text: strict UTF-8, no NUL, no carriage return */
    ALLIANCE__TEXT_VALUE,     /* a card's field: BYTES, and no line after the first starts with '#' */
    ALLIANCE__TEXT_VALUE_LINES, /* VALUE for bytes already checked as BYTES line by line (the parser) */
    ALLIANCE__TEXT_LINE,      /* one line (a source, a 'wrong' option): BYTES without a line break */
    ALLIANCE__TEXT_DECK_NAME, /* LINE, not empty, without a blank at either end, fits "deck: NAME" in a line */
    ALLIANCE__TEXT_CARD_ID    /* 1..ALLIANCE__CARD_ID_MAX bytes of UTF-8 without controls or '::' */
} alliance__text_kind;

/* NULL if the `len` bytes at `s` follow the rule for `kind`; otherwise what is
 * wrong, as a static phrase ("invalid UTF-8", "a line break"...), and
 * *out_offset (may be NULL) is the first byte at fault. Length limits other
 * than the card id's are the caller's (they differ by format). */
const char *alliance__text_check(alliance__text_kind kind, const char *s, size_t len, size_t *out_offset);

/* NULL if every line of the `len` bytes at `s` fits the line limit once written in the
 * canonical form (docs/deck-format.md): the first line after `first_prefix` bytes
 * ("front: "), every later one after `other_prefix` bytes (two blanks, or "wrong: ").
 * Otherwise what is wrong, and *out_offset (may be NULL) is where that line starts.
 * Whatever is accepted must read back: a line over the limit does not. */
const char *alliance__text_lines_fit(const char *s, size_t len, size_t first_prefix, size_t other_prefix,
                                     size_t *out_offset);

#endif /* ALLIANCE_TEXT_H */
