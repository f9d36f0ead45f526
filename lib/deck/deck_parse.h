/* SPDX-License-Identifier: MIT */
/*
 * deck_parse.h - liballiance's deck format (docs/deck-format.md) -> alliance__deck.
 * No SQLite: alliance_deck_check, the importer and the fuzz targets call it alike.
 * Nothing here is API.
 */
#ifndef ALLIANCE_DECK_PARSE_H
#define ALLIANCE_DECK_PARSE_H

#include "deck/deck.h"

/* Parses len bytes of data into *deck (initialised by the caller with the file name used
 * in messages). Never reads past data + len; allocation is bounded by the format's limits.
 * Errors are recorded in deck (all counted, the first ones as text) and parsing goes on
 * to find more. Returns alliance__deck_result(deck): 0, ALLIANCE_EPARSE, ALLIANCE_ELIMIT
 * or ALLIANCE_ENOMEM. */
int alliance__deck_parse(alliance__deck *deck, const char *data, size_t len);

#endif /* ALLIANCE_DECK_PARSE_H */
