/* SPDX-License-Identifier: MIT */
/*
 * day.c - the learner's day: Unix seconds + UTC offset + rollover hour -> day number.
 * Pure: no SQLite, no clock. int64 throughout, so dates after 2038 just work.
 *
 * With a fixed offset a day number is a floor division of the shifted time.
 * With the process time zone (ALLIANCE_UTC_OFFSET_LOCAL) the local calendar
 * date decides, converted to a day number with an exact days-from-civil
 * algorithm: a DST change makes a day 23 or 25 hours long, but can never skip
 * or repeat a date, so it can never skip or repeat a day number.
 */
#include "core/internal.h"

#include <time.h>

#define SECONDS_PER_DAY INT64_C(86400)
#define SECONDS_PER_HOUR INT64_C(3600)
#define MAX_UTC_OFFSET 50400 /* UTC+14:00 / UTC-14:00 */
/* Far beyond any calendar use, and small enough that no sum below overflows. */
#define MAX_ABS_SECONDS (INT64_C(1) << 55)
#define MAX_ABS_DAY (MAX_ABS_SECONDS / SECONDS_PER_DAY)

/* Division rounding towards minus infinity (C's '/' rounds towards zero). */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

/* Days since 1970-01-01 of the proleptic Gregorian date y-m-d (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;                                  /* [0, 399] */
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

static int check_args(int32_t utc_offset_seconds, uint32_t rollover_hour)
{
    if (rollover_hour > 23)
        return ALLIANCE_EINVAL;
    if (utc_offset_seconds != ALLIANCE_UTC_OFFSET_LOCAL &&
        (utc_offset_seconds < -MAX_UTC_OFFSET || utc_offset_seconds > MAX_UTC_OFFSET))
        return ALLIANCE_EINVAL;
    return ALLIANCE_OK;
}

static int local_day_number(int64_t *out_day, int64_t unix_seconds, uint32_t rollover_hour)
{
    time_t t = (time_t)unix_seconds;
    struct tm tm;
    if ((int64_t)t != unix_seconds || localtime_r(&t, &tm) == NULL)
        return ALLIANCE_EINVAL;
    int64_t day = days_from_civil((int64_t)tm.tm_year + 1900, (int64_t)tm.tm_mon + 1, tm.tm_mday);
    /* Before the rollover hour the learner is still in the previous day. */
    if ((uint32_t)tm.tm_hour < rollover_hour)
        day--;
    *out_day = day;
    return ALLIANCE_OK;
}

int alliance_day_number(int64_t *out_day, int64_t unix_seconds, int32_t utc_offset_seconds,
                        uint32_t rollover_hour)
{
    if (!out_day || check_args(utc_offset_seconds, rollover_hour) != ALLIANCE_OK)
        return ALLIANCE_EINVAL;
    if (unix_seconds > MAX_ABS_SECONDS || unix_seconds < -MAX_ABS_SECONDS)
        return ALLIANCE_EINVAL;
    if (utc_offset_seconds == ALLIANCE_UTC_OFFSET_LOCAL)
        return local_day_number(out_day, unix_seconds, rollover_hour);
    int64_t shifted = unix_seconds + utc_offset_seconds - (int64_t)rollover_hour * SECONDS_PER_HOUR;
    *out_day = floor_div(shifted, SECONDS_PER_DAY);
    return ALLIANCE_OK;
}

/* The first second whose local day number is >= day. The day number is
 * monotonic in time (a DST change moves the wall clock by less than the
 * distance between a transition hour and the next rollover), so a binary
 * search over a window that surely contains the answer finds it exactly. */
static int local_day_start(int64_t *out, int64_t day, uint32_t rollover_hour)
{
    int64_t lo = day * SECONDS_PER_DAY - 2 * SECONDS_PER_DAY;
    int64_t hi = day * SECONDS_PER_DAY + 3 * SECONDS_PER_DAY;
    int64_t d;
    if (local_day_number(&d, lo, rollover_hour) != ALLIANCE_OK || d >= day)
        return ALLIANCE_EINVAL;
    if (local_day_number(&d, hi, rollover_hour) != ALLIANCE_OK || d < day)
        return ALLIANCE_EINVAL;
    while (hi - lo > 1) { /* invariant: day_number(lo) < day <= day_number(hi) */
        int64_t mid = lo + (hi - lo) / 2;
        if (local_day_number(&d, mid, rollover_hour) != ALLIANCE_OK)
            return ALLIANCE_EINVAL;
        if (d >= day)
            hi = mid;
        else
            lo = mid;
    }
    *out = hi;
    return ALLIANCE_OK;
}

int alliance_day_start(int64_t *out_unix_seconds, int64_t day, int32_t utc_offset_seconds,
                       uint32_t rollover_hour)
{
    if (!out_unix_seconds || check_args(utc_offset_seconds, rollover_hour) != ALLIANCE_OK)
        return ALLIANCE_EINVAL;
    if (day > MAX_ABS_DAY || day < -MAX_ABS_DAY)
        return ALLIANCE_EINVAL;
    if (utc_offset_seconds == ALLIANCE_UTC_OFFSET_LOCAL)
        return local_day_start(out_unix_seconds, day, rollover_hour);
    *out_unix_seconds = day * SECONDS_PER_DAY + (int64_t)rollover_hour * SECONDS_PER_HOUR - utc_offset_seconds;
    return ALLIANCE_OK;
}
