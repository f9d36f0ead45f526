/* SPDX-License-Identifier: MIT */
/*
 * exam.c - exam mode's two rules as pure integer functions: when a card comes
 * back before the exam (the clamp) and how many new cards a day keep the deck
 * on time (the pace). See docs/study-modes.md. The SM-2 state is never an
 * input or an output here: the clamp moves due days only.
 */
#include "core/exam.h"

int64_t alliance__exam_due_from(const alliance__exam *exam, int64_t today, int64_t last_review_day,
                                int64_t sm2_due_day)
{
    if (!exam || !exam->present || exam->final_days < 1 || today >= exam->day || sm2_due_day < exam->day)
        return sm2_due_day;
    int64_t w = exam->final_days;
    int64_t window_start = exam->day - w;
    if (last_review_day >= window_start)
        return sm2_due_day; /* seen in the final window: its last look before the exam */
    int64_t spread = ((last_review_day % w) + w) % w; /* a modulo that is never negative */
    return window_start + spread;
}

int64_t alliance__exam_ready_by(const alliance__exam *exam, uint32_t first_interval_days,
                                uint32_t second_interval_days)
{
    return exam->day - (int64_t)exam->final_days - (int64_t)first_interval_days - (int64_t)second_interval_days - 1;
}

uint32_t alliance__exam_pace(const alliance__exam *exam, int64_t today, int64_t ready_by_day,
                             uint32_t new_at_day_start)
{
    if (!exam || !exam->present || today >= exam->day || new_at_day_start == 0)
        return 0;
    int64_t left = ready_by_day - today + 1;
    if (left <= 1)
        return new_at_day_start;
    if (left >= new_at_day_start)
        return 1;
    return (uint32_t)(((int64_t)new_at_day_start + left - 1) / left);
}
