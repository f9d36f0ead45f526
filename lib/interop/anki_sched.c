/* SPDX-License-Identifier: MIT */
/*
 * anki_sched.c - Anki's card state and review log as SM-2 sees them (docs/anki.md,
 * "Scheduling"). Pure: no I/O, no clock (days come through the caller's day_of), no allocation.
 * What an import will record as a card's state once the collection can hold imported history.
 */
#include "interop/apkg.h"

int alliance__anki_grade(int32_t ease, int32_t type, int buttons)
{
    if (ease < 1 || ease > 4 || type == 4 || type == 5)
        return -1; /* not an answer: a manual change, a reschedule, a reset */
    if (buttons == 3 && (type == 0 || type == 2)) {
        /* Anki's first scheduler showed Again, Good, Easy while learning. */
        static const int three[] = {0, 1, 4, 5};
        return ease <= 3 ? three[ease] : 5;
    }
    /* Again is a failed recall; Hard, Good and Easy are SM-2's 3, 4 and 5. */
    static const int four[] = {0, 1, 3, 4, 5};
    return four[ease];
}

static uint32_t clamp_u32(int64_t v, uint32_t lo, uint32_t hi)
{
    return v < (int64_t)lo ? lo : v > (int64_t)hi ? hi : (uint32_t)v;
}

int alliance__anki_schedule_of(const alliance__anki_card *card, const alliance__anki_revlog *log, size_t n,
                               int64_t crt_day, uint32_t min_efactor_milli, uint32_t initial_efactor_milli,
                               int64_t (*day_of)(void *ctx, int64_t unix_seconds), void *ctx,
                               alliance__anki_schedule *out)
{
    if (card->reps < 0 || card->lapses < 0 || card->factor < 0 || card->type < 0 || card->type > 3)
        return ALLIANCE_ESTATE;
    alliance__anki_schedule s;
    s.reviews = clamp_u32(card->reps, 0, UINT32_MAX);
    s.lapses = clamp_u32(card->lapses, 0, UINT32_MAX);
    s.suspended = card->queue == -1;
    s.buried = card->queue == -2 || card->queue == -3;
    s.state.repetitions = 0;
    s.state.efactor_milli = card->factor ? clamp_u32(card->factor, min_efactor_milli, 1000000) : initial_efactor_milli;
    s.state.interval_days = 0;
    s.state.repeat_today = 0;
    s.due_day = 0;
    s.last_review_day = INT64_MIN;

    /* The last answer, and how many passing reviews follow the last failed answer. */
    int64_t last_answer = INT64_MIN;
    uint32_t streak = 0;
    for (size_t i = 0; i < n; i++) {
        int grade = alliance__anki_grade(log[i].ease, log[i].type, 4);
        if (grade < 0)
            continue;
        last_answer = log[i].id / 1000;
        if (grade < 3)
            streak = 0;
        else if (log[i].type == 1 || log[i].type == 3)
            streak++;
    }
    if (last_answer != INT64_MIN)
        s.last_review_day = day_of(ctx, last_answer);

    /* A card in a filtered deck keeps its own due in odue. */
    int64_t due = card->odid && card->odue ? card->odue : card->due;
    switch (card->type) {
    case 0: /* new: SM-2's new card; its position is ours (the deck file's order) */
        s.state.efactor_milli = initial_efactor_milli;
        s.reviews = 0;
        s.last_review_day = INT64_MIN;
        break;
    case 2: /* review: the interval goes on multiplying by the ease, as Anki's would */
        s.state.interval_days = clamp_u32(card->ivl, 1, 36500);
        s.state.repetitions = streak + 1 < 2 ? 2 : streak + 1;
        s.due_day = crt_day + due;
        if (s.last_review_day == INT64_MIN)
            s.last_review_day = s.due_day - s.state.interval_days;
        break;
    default: /* learning, relearning: SM-2 has no steps; a card failed or new, due when Anki said */
        /* A learning card's due is a Unix time in queue 1 (and 4, preview), a day from crt in
         * queue 3; suspended or buried it keeps the one it had: a Unix time is past 1e9 (2001). */
        if (card->queue == 1 || card->queue == 4 || (card->queue < 0 && due > 1000000000))
            s.due_day = day_of(ctx, due);
        else
            s.due_day = crt_day + due;
        if (s.last_review_day == INT64_MIN)
            s.last_review_day = s.due_day;
        break;
    }
    if (card->type != 0 && s.due_day < s.last_review_day)
        s.due_day = s.last_review_day; /* never due before it was answered */
    *out = s;
    return ALLIANCE_OK;
}
