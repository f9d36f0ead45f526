/* SPDX-License-Identifier: MIT */
/*
 * retrievability.h - a card's predicted recall on a given day, as alliance_card
 * carries it (fsrs_retrievability). Nothing here is API.
 */
#ifndef ALLIANCE_RETRIEVABILITY_H
#define ALLIANCE_RETRIEVABILITY_H

#include "core/internal.h"

/* Fills card->retrievability_day = today and card->fsrs_retrievability from the
 * collection's scheduler and FSRS parameters (0 under SM-2 or for a new card).
 * Mutex held. ALLIANCE_ECORRUPT (naming the card) for a stored state no answer produces. */
int alliance__card_retrievability(alliance_db *db, alliance_card *card, int64_t today);

#endif /* ALLIANCE_RETRIEVABILITY_H */
