/* SPDX-License-Identifier: MIT */
/*
 * formats.h - reading and writing a whole in-memory deck in any of the text
 * formats the API names (ALLIANCE_FORMAT_*): the one place that dispatches on
 * the format, so that our format (lib/deck) and Anki's (lib/interop) need not
 * know each other. Nothing here is API.
 */
#ifndef ALLIANCE_FORMATS_H
#define ALLIANCE_FORMATS_H

#include "deck/deck.h"
#include "deck/sink.h"

/* Reads either format (ALLIANCE_FORMAT_DECK or ALLIANCE_FORMAT_ANKI_TEXT) into *deck;
 * default_name names the deck when an Anki file does not (may be NULL). */
int alliance__deck_read(alliance__deck *deck, const char *data, size_t len, uint32_t format,
                        const char *default_name);

/* Writes a whole in-memory deck in `format` (used by the tests and by export). */
int alliance__deck_write(alliance__sink *sink, const alliance__deck *deck, uint32_t format);

#endif /* ALLIANCE_FORMATS_H */
