/* SPDX-License-Identifier: MIT */
/*
 * apkg.h - Anki's packages (.apkg): the package read into memory (apkg_read.c), what of it
 * becomes our notes (apkg_map.c), Anki's schedules as SM-2 states (anki_sched.c), and a
 * collection's decks written as a legacy package (apkg_write.c). docs/anki.md says what maps.
 * Nothing here is API.
 */
#ifndef ALLIANCE_APKG_H
#define ALLIANCE_APKG_H

#include "deck/deck.h"

/* Writes the decks `ids` (n of them) of db as a legacy package (schema 11) to `write`. */
int alliance__apkg_export(alliance_db *db, const int64_t *ids, uint32_t n, int64_t now, alliance_write_fn write,
                          void *opaque);

#endif /* ALLIANCE_APKG_H */
