/* SPDX-License-Identifier: MIT */
/*
 * rating.h - how SM-2 grades (0..5) and FSRS ratings (1..4) stand for one another
 * (docs/fsrs.md, "SM-2 grades and FSRS ratings"). Pure; nothing here is API.
 */
#ifndef ALLIANCE_RATING_H
#define ALLIANCE_RATING_H

/* 0-2 (failed) -> Again, 3 (recalled with serious difficulty) -> Hard, 4 -> Good,
 * 5 (perfect) -> Easy. A grade outside 0..5 gives 0 (no rating). */
static inline int alliance__rating_of_grade(int grade)
{
    if (grade < 0 || grade > 5)
        return 0;
    return grade <= 2 ? 1 : grade - 1;
}

/* The way back: Again -> 1, Hard -> 3, Good -> 4, Easy -> 5 (a failed answer becomes 1,
 * the grade SM-2 gives "incorrect, but the answer seemed familiar"). 0 -> -1. */
static inline int alliance__grade_of_rating(int rating)
{
    if (rating < 1 || rating > 4)
        return -1;
    return rating == 1 ? 1 : rating + 1;
}

#endif /* ALLIANCE_RATING_H */
