/* SPDX-License-Identifier: MIT */
/*
 * fuzz.c - deterministic interval fuzz: Anki's ranges, drawn from a seed that
 * the card id and its review count decide (docs/study-modes.md). Pure and in
 * integers (thousandths of a day), so every platform draws the same days.
 */
#include "core/fuzz.h"

/* The half-width of the range in thousandths of a day, for interval >= 3:
 * 1 day + 15% of the days between 2.5 and 7, 10% of those between 7 and 20,
 * 5% of those above 20. */
static uint64_t delta_milli(uint64_t interval)
{
    uint64_t upto7 = interval < 7 ? interval : 7;
    uint64_t upto20 = interval < 20 ? interval : 20;
    uint64_t delta = 1000 + (150 * upto7 - 375);
    if (upto20 > 7)
        delta += 100 * (upto20 - 7);
    if (interval > 20)
        delta += 50 * (interval - 20);
    return delta;
}

void alliance__fuzz_bounds(uint32_t interval, uint32_t max_interval, uint32_t *lo, uint32_t *hi)
{
    if (interval < ALLIANCE__FUZZ_MIN_INTERVAL || interval > max_interval) {
        *lo = *hi = interval;
        return;
    }
    uint64_t milli = (uint64_t)interval * 1000; /* < 2^42: no overflow below */
    uint64_t delta = delta_milli(interval);    /* < milli for every interval >= 3 */
    uint64_t low = (milli - delta + 500) / 1000, high = (milli + delta + 500) / 1000;
    *lo = low < 1 ? 1 : (uint32_t)low;
    *hi = high > max_interval ? max_interval : (uint32_t)high;
}

int32_t alliance__fuzz_days(uint32_t interval, uint32_t max_interval, uint64_t seed)
{
    uint32_t lo, hi;
    alliance__fuzz_bounds(interval, max_interval, &lo, &hi);
    uint64_t fuzzed = lo + seed % ((uint64_t)hi - lo + 1);
    return (int32_t)((int64_t)fuzzed - (int64_t)interval);
}

uint64_t alliance__fuzz_seed(const char *card_id, uint32_t review_count)
{
    uint64_t h = UINT64_C(14695981039346656037); /* FNV-1a 64 */
    for (const unsigned char *p = (const unsigned char *)card_id; p && *p; p++) {
        h ^= *p;
        h *= UINT64_C(1099511628211);
    }
    uint64_t x = h + ((uint64_t)review_count + 1) * UINT64_C(0x9E3779B97F4A7C15);
    x ^= x >> 30; /* splitmix64's finaliser */
    x *= UINT64_C(0xBF58476D1CE4E5B9);
    x ^= x >> 27;
    x *= UINT64_C(0x94D049BB133111EB);
    x ^= x >> 31;
    return x;
}
