# SPDX-License-Identifier: MIT
"""The learner's day through the binding: day_number, day_start, Collection.today."""

import unittest

import alliance
import support
from support import DAY, NOW

JAN5 = 20458  # 2026-01-05 as days since 1970-01-01
HOUR = 3600


class TestDayNumber(unittest.TestCase):
    def test_noon_utc_is_its_calendar_day(self):
        self.assertEqual(alliance.day_number(NOW, 0, 0), JAN5)
        self.assertEqual(alliance.day_number(NOW, 0, 4), JAN5)

    def test_before_the_rollover_hour_is_the_previous_day(self):
        half_past_one = JAN5 * DAY + HOUR + 30 * 60
        self.assertEqual(alliance.day_number(half_past_one, 0, 4), JAN5 - 1)
        self.assertEqual(alliance.day_number(half_past_one, 0, 0), JAN5)

    def test_the_offset_moves_the_local_calendar(self):
        east10 = 10 * HOUR
        self.assertEqual(alliance.day_number(NOW, east10, 0), JAN5)          # 22:00 local
        self.assertEqual(alliance.day_number(NOW + 3 * HOUR, east10, 0), JAN5 + 1)  # 01:00 local
        self.assertEqual(alliance.day_number(NOW + 3 * HOUR, east10, 4), JAN5)

    def test_day_start_is_the_rollover_instant(self):
        self.assertEqual(alliance.day_start(JAN5, 0, 4), JAN5 * DAY + 4 * HOUR)
        self.assertEqual(alliance.day_start(JAN5, -5 * HOUR, 0), JAN5 * DAY + 5 * HOUR)

    def test_day_start_is_the_inverse_of_day_number(self):
        for offset in (0, 3600, -19800, 50400, -50400):
            for rollover in (0, 4, 23):
                with self.subTest(offset=offset, rollover=rollover):
                    start = alliance.day_start(JAN5, offset, rollover)
                    self.assertEqual(alliance.day_number(start, offset, rollover), JAN5)
                    self.assertEqual(alliance.day_number(start - 1, offset, rollover), JAN5 - 1)

    def test_out_of_range_arguments_are_invalid(self):
        with self.assertRaises(alliance.InvalidArgument) as cm:
            alliance.day_number(NOW, 0, 24)
        self.assertEqual(cm.exception.code, -1)
        with self.assertRaises(alliance.InvalidArgument):
            alliance.day_number(NOW, 50401, 4)


class TestToday(support.TempDirTestCase):
    def test_today_uses_the_collections_offset_and_rollover(self):
        coll = self.open()
        self.assertEqual(coll.today(), JAN5)
        self.assertEqual(coll.today(JAN5 * DAY + 2 * HOUR), JAN5 - 1)  # before the default rollover 4

    def test_set_utc_offset_changes_today(self):
        coll = self.open()
        coll.set_utc_offset(13 * HOUR)  # noon UTC is 01:00 tomorrow, before the rollover
        self.assertEqual(coll.today(), JAN5)
        coll.set_utc_offset(14 * HOUR)  # 02:00 tomorrow, still before the rollover
        self.assertEqual(coll.today(NOW + 3 * HOUR), JAN5 + 1)  # 05:00 tomorrow

    def test_a_bad_offset_is_invalid_with_a_message(self):
        coll = self.open()
        with self.assertRaises(alliance.InvalidArgument) as cm:
            coll.set_utc_offset(99 * HOUR)
        self.assertTrue(cm.exception.message)


if __name__ == "__main__":
    unittest.main()
