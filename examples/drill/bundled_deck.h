/* SPDX-License-Identifier: MIT */
/* bundled_deck.h - the therapeutic-alliance deck, compiled into the binary
 * (the definitions are generated at build time by embed.cmake). */
#ifndef DRILL_BUNDLED_DECK_H
#define DRILL_BUNDLED_DECK_H

#include <stddef.h>

extern const char drill_bundled_deck_name[];   /* "therapeutic-alliance.deck" */
extern const size_t drill_bundled_deck_size;   /* bytes, without the final NUL */
extern const unsigned char drill_bundled_deck[]; /* the file's bytes, then a NUL */

#endif
