/* SPDX-License-Identifier: MIT */
/* exam.h - an exam date per deck: the clamp of due days and the new-card pace
 * (docs/study-modes.md, "An exam date per deck"). Pure: no I/O, no clock. */
#ifndef ALLIANCE_EXAM_H
#define ALLIANCE_EXAM_H

#include "core/internal.h"

/* final_days: the final window before the exam (every card is seen in it). */
#define ALLIANCE__EXAM_FINAL_DAYS_DEFAULT 3u
#define ALLIANCE__EXAM_FINAL_DAYS_MAX 30u
/* An exam day is within +-2^31 of day 0 (alliance_exam_set); a stored day outside is damage. */
#define ALLIANCE__EXAM_DAY_LIMIT (INT64_C(1) << 31)
#define ALLIANCE__EXAM_DAY_OK(d) ((d) > -ALLIANCE__EXAM_DAY_LIMIT && (d) < ALLIANCE__EXAM_DAY_LIMIT)

/* A deck's exam: its day, and the final window's length W (1..30).
 * present == 0: the deck has no exam (then the other fields are ignored). */
typedef struct alliance__exam {
    int present;
    int64_t day;
    uint32_t final_days;
} alliance__exam;

/* The day a card is due as seen on day `today`: its SM-2 due day U, or, while
 * the exam is ahead (today < exam day E), when U >= E and its last review D was
 * before the final window (D < E - W), the day E - W + (D mod W) in the window. */
int64_t alliance__exam_due_from(const alliance__exam *exam, int64_t today, int64_t last_review_day,
                                int64_t sm2_due_day);

/* The ready-by day R = E - W - I(1) - I(2) - 1: a card introduced on R is seen
 * on R, R + I(1), R + I(1) + I(2), all before the final window, then in it. */
int64_t alliance__exam_ready_by(const alliance__exam *exam, uint32_t first_interval_days,
                                uint32_t second_interval_days);

/* The pace on day `today` for `new_at_day_start` new cards (those still new
 * plus those introduced today): ceil(N / L) with L = max(1, R - today + 1)
 * days left; 0 once the exam day has come (or without an exam). */
uint32_t alliance__exam_pace(const alliance__exam *exam, int64_t today, int64_t ready_by_day,
                             uint32_t new_at_day_start);

#endif /* ALLIANCE_EXAM_H */
