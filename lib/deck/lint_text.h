/* SPDX-License-Identifier: MIT */
/*
 * lint_text.h - the deck lint's view of text: quotes compared after one
 * normalisation, and prompts compared as sets of content words (lower case,
 * English stop words left out, each word reduced to its stem by Snowball's
 * English stemmer, libstemmer). Nothing here is API.
 */
#ifndef ALLIANCE_LINT_TEXT_H
#define ALLIANCE_LINT_TEXT_H

#include "core/internal.h"

#include <stddef.h>

/* Appends s[0..len) with typographic quotes as ASCII ' and ", every run of
 * whitespace (Unicode spaces and NUL included) as one space, trimmed. The same
 * normalisation as tests/deck_quotes.py, so that both agree on "verbatim".
 * Bytes that are not UTF-8 are copied as they are. ALLIANCE_ENOMEM. */
int alliance__text_normalise(alliance__buf *out, const char *s, size_t len);

/* Lower-cases ASCII letters in place (titles and prompts are compared this way). */
void alliance__text_lower(char *s, size_t len);

/* The word splitter: one Snowball stemmer and a scratch buffer. Not thread-safe:
 * each lint call opens its own. */
typedef struct alliance__words alliance__words;

/* ALLIANCE_ENOMEM if the stemmer cannot be made. */
int alliance__words_open(alliance__words **out);
void alliance__words_close(alliance__words *w);

/* Called with each content word's stem (not NUL-terminated, valid until the next call). */
typedef int (*alliance__word_fn)(void *ctx, const char *stem, size_t len);

/* Splits s[0..len) into words (letters and digits; an apostrophe inside a word
 * joins it, so "client's" is read as "client"), lower-cases them, leaves out
 * English stop words and words of one byte, and calls each() with every other
 * word's stem. Stops at the first non-zero return of each() and returns it;
 * ALLIANCE_ENOMEM if the stemmer runs out of memory. */
int alliance__words_each(alliance__words *w, const char *s, size_t len, alliance__word_fn each, void *ctx);

#endif /* ALLIANCE_LINT_TEXT_H */
