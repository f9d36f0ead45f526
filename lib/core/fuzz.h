/* SPDX-License-Identifier: MIT */
/* fuzz.h - deterministic interval fuzz (docs/study-modes.md, "Deterministic fuzz"). Pure. */
#ifndef ALLIANCE_FUZZ_H
#define ALLIANCE_FUZZ_H

#include "core/internal.h"

/* Intervals below this many days are never fuzzed. */
#define ALLIANCE__FUZZ_MIN_INTERVAL 3u

/* The seed of the fuzz of a card's answer: a stable hash of the card id (its
 * UTF-8 bytes) and `review_count`, the card's scheduling reviews before this
 * answer. The same on every platform and in every language (FNV-1a 64, then
 * splitmix64's finaliser; the exact steps are in the document). */
uint64_t alliance__fuzz_seed(const char *card_id, uint32_t review_count);

/* Anki's range for an interval: *lo..*hi days (lo <= interval <= hi, both
 * within 1..max_interval). An interval below ALLIANCE__FUZZ_MIN_INTERVAL (or
 * above max_interval) has the range interval..interval. */
void alliance__fuzz_bounds(uint32_t interval, uint32_t max_interval, uint32_t *lo, uint32_t *hi);

/* The fuzz f in days (fuzzed interval - interval) that `seed` draws from the
 * range of `interval`: lo + seed mod (hi - lo + 1) - interval. */
int32_t alliance__fuzz_days(uint32_t interval, uint32_t max_interval, uint64_t seed);

#endif /* ALLIANCE_FUZZ_H */
