/* SPDX-License-Identifier: MIT */
/* sm2.h - what the collection needs from the scheduler beyond the public API. */
#ifndef ALLIANCE_SM2_H
#define ALLIANCE_SM2_H

#include "core/internal.h"

/* Brings a stored state within what `params` can produce, so that a card
 * scheduled under older parameters (a higher cap, a lower E-Factor floor,
 * the other preset) can still be answered after the parameters changed:
 * E-Factor clamped to [floor, 1000.0], interval to the cap, a same-day repeat
 * dropped where these parameters have none. A state already valid for
 * `params` is left as it is. Deterministic, so replay applies it the same way. */
void alliance__sm2_adapt(const alliance_sm2_params *params, alliance_sm2_state *state);

/* A review ahead (sm2_ahead.c, docs/study-modes.md): a recall (grade >= 3) of a
 * learned card after elapsed_days < its interval grows the interval from the
 * elapsed days, never shrinking it: interval' = max(I, ceil(e x EF')) (CLASSIC:
 * half up with the E-Factor before the answer), repetitions + 1 only if it grew.
 * Anything else (a failure, a new or lapsed card, a pending same-day repeat, a
 * card on time) is exactly alliance_sm2_next. Same return codes; *out is
 * untouched on failure; in may be out. */
int alliance__sm2_ahead(const alliance_sm2_params *params, const alliance_sm2_state *in, int grade,
                        int64_t elapsed_days, alliance_sm2_state *out);

#endif
