/* SPDX-License-Identifier: MIT */
/* fsrs_track.c - one review-log row in a card's FSRS track (fsrs_track.h). */
#include "core/fsrs_track.h"

static int is_new(const alliance__fsrs_track *t)
{
    return t->state.stability == 0;
}

int alliance__fsrs_track_step(const alliance_fsrs_params *params, const alliance__fsrs_track *in, int rating,
                              int64_t elapsed_days, alliance__fsrs_track *out)
{
    if (!params || !in || !out)
        return ALLIANCE_EINVAL;
    alliance__fsrs_track next = *in;
    if (is_new(in) || elapsed_days > 0) {
        /* Days past UINT32_MAX (millions of years) forget as completely as UINT32_MAX does. */
        uint32_t t = is_new(in) ? 0 : elapsed_days > UINT32_MAX ? UINT32_MAX : (uint32_t)elapsed_days;
        int rc = alliance_fsrs_next(params, &in->state, rating, t, &next.state);
        if (rc)
            return rc;
    } else if (rating < ALLIANCE_FSRS_AGAIN || rating > ALLIANCE_FSRS_EASY) {
        return ALLIANCE_EGRADE; /* a drill checks its rating as a step would */
    }
    next.drill = rating == ALLIANCE_FSRS_AGAIN;
    *out = next;
    return ALLIANCE_OK;
}

uint32_t alliance__fsrs_track_due_in(const alliance__fsrs_track *track)
{
    return track->drill ? 0 : track->state.interval_days;
}

int alliance__fsrs_track_is_lapse(const alliance__fsrs_track *before, int rating, int64_t elapsed_days)
{
    return rating == ALLIANCE_FSRS_AGAIN && !is_new(before) && elapsed_days > 0;
}
