/* SPDX-License-Identifier: MIT */
/*
 * review_step.c - what one answer does to a card's schedule, by kind: plain
 * SM-2, a review ahead, or a preview; then deterministic fuzz of the due day
 * (docs/study-modes.md). Shared by answering and replay.
 */
#include "core/review_step.h"
#include "core/fuzz.h"
#include "core/sm2.h"

int alliance__review_step_run(alliance__review_step *step)
{
    alliance_sm2_state after;
    int rc;
    switch (step->kind) {
    case ALLIANCE__KIND_PREVIEW:
        /* A preview is logged and changes nothing; its grade must still be a grade. */
        if (step->grade < 0 || step->grade > 5)
            return ALLIANCE_EGRADE;
        step->after = step->before;
        step->fuzz_days = 0;
        return ALLIANCE_OK;
    case ALLIANCE__KIND_REVIEW:
        rc = alliance_sm2_next(step->params, &step->before, step->grade, &after);
        break;
    case ALLIANCE__KIND_AHEAD:
        rc = alliance__sm2_ahead(step->params, &step->before, step->grade, step->elapsed_days, &after);
        break;
    default:
        return ALLIANCE_EINVAL;
    }
    if (rc != ALLIANCE_OK)
        return rc;
    int32_t fuzz = 0;
    /* Only an interval the card leaves with is fuzzed: not a same-day repeat or a failure. */
    if (step->fuzz && !after.repeat_today)
        fuzz = alliance__fuzz_days(after.interval_days, step->params->max_interval_days,
                                   alliance__fuzz_seed(step->card_id, step->review_count));
    step->after = after;
    step->fuzz_days = fuzz;
    return ALLIANCE_OK;
}

int64_t alliance__review_step_due(const alliance__review_step *step, int64_t day)
{
    if (step->after.repeat_today)
        return day;
    return day + (int64_t)step->after.interval_days + step->fuzz_days;
}
