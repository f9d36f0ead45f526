/* SPDX-License-Identifier: MIT */
/* day: the learner's day number from Unix time, a UTC offset and the rollover hour. */
#include "testutil.h"

#include <stdlib.h>
#include <time.h>

#define HOUR INT64_C(3600)
#define DAY INT64_C(86400)

static int64_t day_of(int64_t t, int32_t offset, uint32_t rollover)
{
    int64_t day = INT64_MIN;
    ck_assert_int_eq(alliance_day_number(&day, t, offset, rollover), ALLIANCE_OK);
    return day;
}

static int64_t start_of(int64_t day, int32_t offset, uint32_t rollover)
{
    int64_t t = INT64_MIN;
    ck_assert_int_eq(alliance_day_start(&t, day, offset, rollover), ALLIANCE_OK);
    return t;
}

static void use_time_zone(const char *tz)
{
    setenv("TZ", tz, 1);
    tzset();
}

START_TEST(epoch_is_day_zero)
{
    ck_assert_int_eq(day_of(0, 0, 0), 0);
    ck_assert_int_eq(day_of(DAY - 1, 0, 0), 0);
    ck_assert_int_eq(day_of(DAY, 0, 0), 1);
}
END_TEST

START_TEST(a_known_date_has_its_calendar_day_number)
{
    /* 2026-01-05 12:00 UTC is day 20458 (days since 1970-01-01). */
    ck_assert_int_eq(day_of(ALLIANCE_TEST_NOW, 0, 4), 20458);
}
END_TEST

START_TEST(rollover_at_3_59_is_the_previous_day_and_at_4_01_the_new_one)
{
    int64_t midnight = 20458 * DAY; /* 2026-01-05 00:00 UTC */
    ck_assert_int_eq(day_of(midnight + 3 * HOUR + 59 * 60, 0, 4), 20457);
    ck_assert_int_eq(day_of(midnight + 4 * HOUR + 60, 0, 4), 20458);
    ck_assert_int_eq(day_of(midnight + 4 * HOUR - 1, 0, 4), 20457);
    ck_assert_int_eq(day_of(midnight + 4 * HOUR, 0, 4), 20458);
}
END_TEST

START_TEST(a_review_at_1_30_local_belongs_to_the_previous_day)
{
    /* 01:30 at UTC+2 is 23:30 UTC the day before. */
    int64_t local_0130 = 20458 * DAY + 90 * 60 - 2 * HOUR;
    ck_assert_int_eq(day_of(local_0130, 2 * 3600, 4), 20457);
    ck_assert_int_eq(day_of(local_0130 + 3 * HOUR, 2 * 3600, 4), 20458); /* 04:30 local */
}
END_TEST

START_TEST(the_offset_moves_the_day_boundary)
{
    /* 2026-01-05 22:00 UTC is already 2026-01-06 10:00 in UTC+12, 2026-01-05 in UTC-10. */
    int64_t t = 20458 * DAY + 22 * HOUR;
    ck_assert_int_eq(day_of(t, 12 * 3600, 4), 20459);
    ck_assert_int_eq(day_of(t, -10 * 3600, 4), 20458);
}
END_TEST

START_TEST(times_before_1970_round_down)
{
    ck_assert_int_eq(day_of(-1, 0, 0), -1);
    ck_assert_int_eq(day_of(-DAY, 0, 0), -1);
    ck_assert_int_eq(day_of(-DAY - 1, 0, 0), -2);
    ck_assert_int_eq(day_of(0, 0, 4), -1);
}
END_TEST

START_TEST(dates_after_2038_work)
{
    ck_assert_int_eq(day_of(INT64_C(2208988800), 0, 0), 25567);        /* 2040-01-01 */
    ck_assert_int_eq(day_of(INT64_C(4107542400), 0, 0), 47541);        /* 2100-03-01 */
    ck_assert_int_eq(start_of(47541, 0, 0), INT64_C(4107542400));
    use_time_zone("Europe/Berlin");
    ck_assert_int_eq(day_of(INT64_C(4107542400) + 12 * HOUR, ALLIANCE_UTC_OFFSET_LOCAL, 4), 47541);
    int64_t start = start_of(47541, ALLIANCE_UTC_OFFSET_LOCAL, 4);
    ck_assert_int_eq(start, INT64_C(4107542400) + 3 * HOUR); /* 04:00 CET = 03:00 UTC */
}
END_TEST

START_TEST(day_start_inverts_day_number_for_fixed_offsets)
{
    const int32_t offsets[] = { 0, 3600, -5 * 3600, 19800, 50400, -50400 };
    for (size_t i = 0; i < sizeof offsets / sizeof offsets[0]; i++)
        for (uint32_t rollover = 0; rollover < 24; rollover += 5)
            for (int64_t day = -800; day < 60000; day += 997) {
                int64_t start = start_of(day, offsets[i], rollover);
                ck_assert_int_eq(day_of(start, offsets[i], rollover), day);
                ck_assert_int_eq(day_of(start - 1, offsets[i], rollover), day - 1);
            }
}
END_TEST

/* In a DST zone, every day from `first` to `last` starts where day_start says,
 * consecutive days follow each other without gaps or repeats. */
static void check_days_are_contiguous(int64_t first, int64_t last, uint32_t rollover)
{
    for (int64_t day = first; day <= last; day++) {
        int64_t start = start_of(day, ALLIANCE_UTC_OFFSET_LOCAL, rollover);
        ck_assert_int_eq(day_of(start, ALLIANCE_UTC_OFFSET_LOCAL, rollover), day);
        ck_assert_int_eq(day_of(start - 1, ALLIANCE_UTC_OFFSET_LOCAL, rollover), day - 1);
        /* hour by hour through the day: never another day number */
        int64_t next = start_of(day + 1, ALLIANCE_UTC_OFFSET_LOCAL, rollover);
        for (int64_t t = start; t < next; t += 600)
            ck_assert_int_eq(day_of(t, ALLIANCE_UTC_OFFSET_LOCAL, rollover), day);
    }
}

START_TEST(dst_in_berlin_never_skips_or_repeats_a_day)
{
    use_time_zone("Europe/Berlin");
    /* 2026-03-29 02:00 CET -> 03:00 CEST; 2026-10-25 03:00 CEST -> 02:00 CET. */
    check_days_are_contiguous(20537, 20545, 4);
    check_days_are_contiguous(20747, 20755, 4);
    check_days_are_contiguous(20537, 20545, 2); /* rollover inside the skipped hour */
    check_days_are_contiguous(20747, 20755, 2); /* rollover inside the repeated hour */
    /* with rollover 4 the day holding the change is 23 and 25 hours long */
    ck_assert_int_eq(start_of(20541, ALLIANCE_UTC_OFFSET_LOCAL, 4) - start_of(20540, ALLIANCE_UTC_OFFSET_LOCAL, 4),
                     23 * HOUR);
    ck_assert_int_eq(start_of(20751, ALLIANCE_UTC_OFFSET_LOCAL, 4) - start_of(20750, ALLIANCE_UTC_OFFSET_LOCAL, 4),
                     25 * HOUR);
}
END_TEST

START_TEST(dst_in_new_york_never_skips_or_repeats_a_day)
{
    use_time_zone("America/New_York");
    /* 2026-03-08 02:00 EST -> 03:00 EDT; 2026-11-01 02:00 EDT -> 01:00 EST. */
    check_days_are_contiguous(20517, 20523, 4);
    check_days_are_contiguous(20755, 20761, 4);
    check_days_are_contiguous(20755, 20761, 1);
    check_days_are_contiguous(20517, 20523, 0);
}
END_TEST

START_TEST(local_rollover_at_3_59_and_4_01)
{
    use_time_zone("Europe/Berlin");
    /* 2026-07-01 is day 20635; 03:59 CEST = 01:59 UTC, 04:01 CEST = 02:01 UTC */
    int64_t midnight_utc = 20635 * DAY;
    ck_assert_int_eq(day_of(midnight_utc + HOUR + 59 * 60, ALLIANCE_UTC_OFFSET_LOCAL, 4), 20634);
    ck_assert_int_eq(day_of(midnight_utc + 2 * HOUR + 60, ALLIANCE_UTC_OFFSET_LOCAL, 4), 20635);
}
END_TEST

START_TEST(out_of_range_arguments_are_refused)
{
    int64_t out = 42;
    ck_assert_int_eq(alliance_day_number(NULL, 0, 0, 4), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_day_number(&out, 0, 0, 24), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_day_number(&out, 0, 50401, 4), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_day_number(&out, 0, -50401, 4), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_day_number(&out, INT64_MAX, 0, 4), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_day_number(&out, INT64_MIN, 0, 4), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_day_start(&out, INT64_MAX / 2, 0, 4), ALLIANCE_EINVAL);
    ck_assert_int_eq(alliance_day_start(NULL, 0, 0, 4), ALLIANCE_EINVAL);
    ck_assert_int_eq(out, 42); /* untouched on failure */
}
END_TEST

START_TEST(local_days_are_contiguous_across_a_year_of_dst_in_several_zones)
{
    static const char *const zones[] = { "America/New_York", "Europe/Berlin", "Australia/Lord_Howe",
                                         "America/Santiago", "America/Havana", "Asia/Tehran" };
    for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++) {
        setenv("TZ", zones[z], 1);
        tzset();
        static const uint32_t rollovers[] = { 0, 1, 2, 3, 4, 23 };
        for (size_t r = 0; r < sizeof rollovers / sizeof rollovers[0]; r++) {
            uint32_t rollover = rollovers[r];
            int64_t prev = 0;
            ck_assert_int_eq(alliance_day_number(&prev, INT64_C(1704067200), ALLIANCE_UTC_OFFSET_LOCAL, rollover), 0);
            for (int64_t t = INT64_C(1704067200); t < INT64_C(1735689600); t += 1800) {
                int64_t d;
                ck_assert_int_eq(alliance_day_number(&d, t, ALLIANCE_UTC_OFFSET_LOCAL, rollover), 0);
                ck_assert_msg(d == prev || d == prev + 1, "%s rollover %u: day %lld after %lld at %lld", zones[z],
                              rollover, (long long)d, (long long)prev, (long long)t);
                if (d == prev + 1) {
                    int64_t start;
                    ck_assert_int_eq(alliance_day_start(&start, d, ALLIANCE_UTC_OFFSET_LOCAL, rollover), 0);
                    ck_assert_msg(start > t - 1800 && start <= t, "%s rollover %u: start of %lld", zones[z], rollover,
                                  (long long)d);
                }
                prev = d;
            }
        }
    }
    unsetenv("TZ");
    tzset();
}
END_TEST

static Suite *day_suite(void)
{
    Suite *s = suite_create("day");
    TCase *fixed = tcase_create("fixed offset");
    tcase_add_test(fixed, epoch_is_day_zero);
    tcase_add_test(fixed, a_known_date_has_its_calendar_day_number);
    tcase_add_test(fixed, rollover_at_3_59_is_the_previous_day_and_at_4_01_the_new_one);
    tcase_add_test(fixed, a_review_at_1_30_local_belongs_to_the_previous_day);
    tcase_add_test(fixed, the_offset_moves_the_day_boundary);
    tcase_add_test(fixed, times_before_1970_round_down);
    tcase_add_test(fixed, day_start_inverts_day_number_for_fixed_offsets);
    tcase_add_test(fixed, out_of_range_arguments_are_refused);
    suite_add_tcase(s, fixed);
    TCase *local = tcase_create("process time zone");
    tcase_add_test(local, dates_after_2038_work);
    tcase_add_test(local, dst_in_berlin_never_skips_or_repeats_a_day);
    tcase_add_test(local, dst_in_new_york_never_skips_or_repeats_a_day);
    tcase_add_test(local, local_rollover_at_3_59_and_4_01);
    suite_add_tcase(s, local);
    TCase *year = tcase_create("a year in several zones");
    tcase_set_timeout(year, 120);
    tcase_add_test(year, local_days_are_contiguous_across_a_year_of_dst_in_several_zones);
    suite_add_tcase(s, year);
    return s;
}

int main(void)
{
    return alliance_test_run(day_suite());
}
