/* SPDX-License-Identifier: MIT */
/*
 * sm2_ahead.c - a review ahead: SM-2 applied to the real elapsed days rather
 * than the interval the card was scheduled for (docs/study-modes.md, "Cram").
 * Pure, in integers, built on alliance_sm2_next so that both presets keep
 * their E-Factor and rounding rules.
 */
#include "core/sm2.h"

int alliance__sm2_ahead(const alliance_sm2_params *params, const alliance_sm2_state *in, int grade,
                        int64_t elapsed_days, alliance_sm2_state *out)
{
    alliance_sm2_state next;
    int rc = alliance_sm2_next(params, in, grade, &next);
    if (rc != ALLIANCE_OK)
        return rc;
    /* Not early (new, lapsed, owed a repeat, or on time), or a failure: plain SM-2. */
    if (in->repetitions == 0 || in->repeat_today || elapsed_days >= (int64_t)in->interval_days || grade < 3) {
        *out = next;
        return ALLIANCE_OK;
    }
    uint64_t e = elapsed_days > 0 ? (uint64_t)elapsed_days : 0; /* < interval < 2^32 */
    uint64_t grown;
    if (params->preset == ALLIANCE_SM2_CLASSIC) /* the E-Factor before the answer, half up */
        grown = (e * in->efactor_milli + 500) / 1000;
    else /* the new E-Factor, rounded up */
        grown = (e * next.efactor_milli + 999) / 1000;
    if (grown > in->interval_days) {
        next.interval_days = grown > params->max_interval_days ? params->max_interval_days : (uint32_t)grown;
        next.repetitions = in->repetitions < UINT32_MAX ? in->repetitions + 1 : in->repetitions;
    } else { /* never shorter than what was planned */
        next.interval_days = in->interval_days;
        next.repetitions = in->repetitions;
    }
    *out = next;
    return ALLIANCE_OK;
}
