/* SPDX-License-Identifier: MIT */
/* fsrs_text.c - FSRS parameters as stored and synced text (fsrs_text.h). */
#include "core/fsrs_text.h"

#include <stdio.h>
#include <string.h>

static uint64_t bits_of(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

void alliance__fsrs_params_encode(const alliance_fsrs_params *params, char buf[ALLIANCE__FSRS_TEXT_MAX])
{
    size_t at = 0;
    for (int i = 0; i < 22; i++) {
        double d = i < 21 ? params->weights[i] : params->desired_retention;
        snprintf(buf + at, ALLIANCE__FSRS_TEXT_MAX - at, "%016llx ", (unsigned long long)bits_of(d));
        at += 17;
    }
    snprintf(buf + at, ALLIANCE__FSRS_TEXT_MAX - at, "%lu", (unsigned long)params->max_interval_days);
}

void alliance__fsrs_params_canonical(const alliance_fsrs_params *params, char buf[ALLIANCE__FSRS_TEXT_MAX])
{
    alliance_fsrs_params d = ALLIANCE_FSRS_PARAMS_INIT;
    int same = memcmp(d.weights, params->weights, sizeof d.weights) == 0 &&
               memcmp(&d.desired_retention, &params->desired_retention, sizeof(double)) == 0 &&
               d.max_interval_days == params->max_interval_days;
    if (same)
        buf[0] = '\0';
    else
        alliance__fsrs_params_encode(params, buf);
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

int alliance__fsrs_params_decode(const char *text, size_t len, alliance_fsrs_params *out)
{
    alliance_fsrs_params p = ALLIANCE_FSRS_PARAMS_INIT;
    if (len == 0) {
        *out = p;
        return ALLIANCE_OK;
    }
    if (len < 22 * 17 + 1 || len > 22 * 17 + 10)
        return ALLIANCE_EINVAL;
    for (int i = 0; i < 22; i++) {
        uint64_t u = 0;
        for (int k = 0; k < 16; k++) {
            int d = hex_digit(text[i * 17 + k]);
            if (d < 0)
                return ALLIANCE_EINVAL;
            u = u << 4 | (uint64_t)d;
        }
        if (text[i * 17 + 16] != ' ')
            return ALLIANCE_EINVAL;
        double v;
        memcpy(&v, &u, sizeof v);
        if (i < 21)
            p.weights[i] = v;
        else
            p.desired_retention = v;
    }
    uint64_t max = 0;
    for (size_t k = 22 * 17; k < len; k++) {
        if (text[k] < '0' || text[k] > '9' || (k == 22 * 17 && text[k] == '0'))
            return ALLIANCE_EINVAL;
        max = max * 10 + (uint64_t)(text[k] - '0');
    }
    if (max > UINT32_MAX)
        return ALLIANCE_EINVAL;
    p.max_interval_days = (uint32_t)max;
    if (alliance_fsrs_params_check(&p) != ALLIANCE_OK)
        return ALLIANCE_EINVAL;
    *out = p;
    return ALLIANCE_OK;
}
