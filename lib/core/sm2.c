/* SPDX-License-Identifier: MIT */
/*
 * sm2.c - one SM-2 step on integers (see docs/sm2.md for the rules and why).
 *
 * Pure: no I/O, no clock, no allocation, no global state. The E-Factor is in
 * thousandths and every product fits in 64 bits (interval < 2^32, E-Factor
 * <= 10^6), so results are exact and identical on every platform.
 */
#include "core/sm2.h"

#define EF_MAX_MILLI 1000000u /* the documented ceiling of an E-Factor (1000.0) */

int alliance_sm2_params_init(alliance_sm2_params *params, int preset)
{
    if (params == NULL || (preset != ALLIANCE_SM2_SUPERMEMO && preset != ALLIANCE_SM2_CLASSIC))
        return ALLIANCE_EINVAL;
    /* Both presets share every number; they differ only in the rules. */
    params->version = ALLIANCE_SM2_PARAMS_VERSION;
    params->preset = (uint32_t)preset;
    params->initial_efactor_milli = 2500;
    params->min_efactor_milli = 1300;
    params->first_interval_days = 1;
    params->second_interval_days = 6;
    params->max_interval_days = 36500;
    return ALLIANCE_OK;
}

int alliance_sm2_params_init_v2(alliance_sm2_params *params, uint32_t version, uint32_t preset)
{
    if (params == NULL || preset > (uint32_t)ALLIANCE_SM2_CLASSIC)
        return ALLIANCE_EINVAL;
    /* Only version 1 exists; a later one will write exactly the layout asked for. */
    if (version != ALLIANCE_SM2_PARAMS_VERSION)
        return ALLIANCE_EVERSION;
    return alliance_sm2_params_init(params, (int)preset);
}

int alliance_sm2_params_check(const alliance_sm2_params *params)
{
    if (params == NULL)
        return ALLIANCE_EINVAL;
    if (params->version != ALLIANCE_SM2_PARAMS_VERSION)
        return ALLIANCE_EVERSION;
    if (params->preset != ALLIANCE_SM2_SUPERMEMO && params->preset != ALLIANCE_SM2_CLASSIC)
        return ALLIANCE_EINVAL;
    /* A new card must itself be a valid state: floor <= initial <= ceiling. */
    if (params->min_efactor_milli < 1 || params->initial_efactor_milli < params->min_efactor_milli ||
        params->initial_efactor_milli > EF_MAX_MILLI)
        return ALLIANCE_EINVAL;
    if (params->first_interval_days < 1 || params->second_interval_days < 1 || params->max_interval_days < 1)
        return ALLIANCE_EINVAL;
    return ALLIANCE_OK;
}

int alliance_sm2_state_init(const alliance_sm2_params *params, alliance_sm2_state *out)
{
    int rc = alliance_sm2_params_check(params);
    if (rc != ALLIANCE_OK)
        return rc;
    if (out == NULL)
        return ALLIANCE_EINVAL;
    out->repetitions = 0;
    out->efactor_milli = params->initial_efactor_milli;
    out->interval_days = 0;
    out->repeat_today = 0;
    return ALLIANCE_OK;
}

/* The invariants every state these params produce keeps (docs/sm2.md, "Impossible states"). */
static int state_possible(const alliance_sm2_params *p, const alliance_sm2_state *s)
{
    if (s->efactor_milli < p->min_efactor_milli || s->efactor_milli > EF_MAX_MILLI)
        return 0;
    if (s->repeat_today > 1 || (s->repeat_today && (p->preset == ALLIANCE_SM2_CLASSIC || s->repetitions == 0)))
        return 0;
    if (s->interval_days > p->max_interval_days)
        return 0;
    /* A recall always leaves an interval >= 1; a new or lapsed card has 0 (or CLASSIC's 1). */
    return s->repetitions > 0 ? s->interval_days >= 1 : s->interval_days <= 1;
}

void alliance__sm2_adapt(const alliance_sm2_params *p, alliance_sm2_state *s)
{
    if (s->efactor_milli < p->min_efactor_milli)
        s->efactor_milli = p->min_efactor_milli;
    if (s->efactor_milli > EF_MAX_MILLI)
        s->efactor_milli = EF_MAX_MILLI;
    if (s->repeat_today > 1 || p->preset == ALLIANCE_SM2_CLASSIC || s->repetitions == 0)
        s->repeat_today = 0;
    if (s->interval_days > p->max_interval_days)
        s->interval_days = p->max_interval_days;
    if (s->repetitions > 0 && s->interval_days == 0)
        s->interval_days = 1;
    if (s->repetitions == 0 && s->interval_days > 1)
        s->interval_days = 1;
}

/* EF' = EF + (0.1 - (5-q)(0.08 + (5-q)0.02)), in thousandths, kept within [floor, ceiling]. */
static uint32_t efactor_after(const alliance_sm2_params *p, uint32_t ef, int grade)
{
    int64_t d = 5 - grade;
    int64_t next = (int64_t)ef + 100 - d * (80 + d * 20);
    if (next < (int64_t)p->min_efactor_milli)
        return p->min_efactor_milli;
    return next > (int64_t)EF_MAX_MILLI ? EF_MAX_MILLI : (uint32_t)next;
}

/* I(n) for the n'-th recall in a row: I(1), I(2), then I(n-1) x EF, capped. */
static uint32_t interval_for(const alliance_sm2_params *p, uint32_t n, uint32_t prev, uint32_t ef,
                             uint64_t rounding)
{
    uint64_t days;
    if (n == 1)
        days = p->first_interval_days;
    else if (n == 2)
        days = p->second_interval_days;
    else /* < 2^32 * 10^6 + 999 < 2^63: no overflow */
        days = ((uint64_t)prev * ef + rounding) / 1000;
    return days > p->max_interval_days ? p->max_interval_days : (uint32_t)days;
}

int alliance_sm2_next(const alliance_sm2_params *params, const alliance_sm2_state *in, int grade,
                      alliance_sm2_state *out)
{
    int rc = alliance_sm2_params_check(params);
    if (rc != ALLIANCE_OK)
        return rc;
    if (in == NULL || out == NULL)
        return ALLIANCE_EINVAL;
    if (grade < 0 || grade > 5)
        return ALLIANCE_EGRADE;
    if (!state_possible(params, in))
        return ALLIANCE_ESTATE;

    /* Work on a copy: in may be out, and out must stay untouched until we succeed. */
    alliance_sm2_state s = *in;
    /* Saturate rather than wrap after 2^32 - 1 recalls in a row. */
    uint32_t n = s.repetitions < UINT32_MAX ? s.repetitions + 1 : s.repetitions;

    if (params->preset == ALLIANCE_SM2_CLASSIC) {
        /* The interval uses the E-Factor before this answer's update; failures update it too. */
        if (grade >= 3) {
            s.interval_days = interval_for(params, n, s.interval_days, s.efactor_milli, 500); /* half up */
            s.repetitions = n;
        } else {
            s.repetitions = 0;
            s.interval_days = 1;
        }
        s.efactor_milli = efactor_after(params, s.efactor_milli, grade);
    } else if (s.repeat_today) {
        /* Step 7: repeat until it scores at least four; nothing else changes. */
        s.repeat_today = grade >= 4 ? 0 : 1;
    } else if (grade >= 3) {
        /* The interval uses the new E-Factor, rounded up. */
        s.efactor_milli = efactor_after(params, s.efactor_milli, grade);
        s.interval_days = interval_for(params, n, s.interval_days, s.efactor_milli, 999);
        s.repetitions = n;
        s.repeat_today = grade == 3;
    } else {
        /* Step 6: start again from the beginning, E-Factor unchanged, due again today. */
        s.repetitions = 0;
        s.interval_days = 0;
    }
    *out = s;
    return ALLIANCE_OK;
}
