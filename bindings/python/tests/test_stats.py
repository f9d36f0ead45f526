# SPDX-License-Identifier: MIT
"""Statistics and the forecast through the binding."""

import ctypes
import unittest

import alliance
import support
from alliance import capi


class TestStats(support.TempDirTestCase):
    def test_a_fresh_deck_is_all_new(self):
        coll, deck = self.open_small()
        stats = coll.stats(deck)
        self.assertEqual((stats.total, stats.new_cards, stats.learned, stats.reviews, stats.correct),
                         (3, 3, 0, 0, 0))
        self.assertEqual(stats.window_days, 30)
        self.assertIsNone(stats.retention)

    def test_answers_count_in_the_window(self):
        coll, deck = self.open_small()
        coll.answer("alpha", 5)
        coll.answer("bravo", 2)
        stats = coll.stats(deck, window_days=7)
        self.assertEqual((stats.total, stats.new_cards, stats.learned), (3, 1, 2))
        self.assertEqual((stats.window_days, stats.reviews, stats.correct), (7, 2, 1))
        self.assertEqual(stats.retention, 0.5)

    def test_old_answers_leave_the_window(self):
        coll, _ = self.open_small()
        coll.answer("alpha", 5)
        self.clock.advance(days=10)
        self.assertEqual(coll.stats(window_days=7).reviews, 0)
        self.assertEqual(coll.stats(window_days=30).reviews, 1)

    def test_suspended_cards_are_counted(self):
        coll, _ = self.open_small()
        coll.suspend("bravo")
        self.assertEqual(coll.stats().suspended, 1)

    def test_a_one_day_window_is_today(self):
        coll, _ = self.open_small()
        coll.answer("alpha", 5)
        self.clock.advance(days=1)
        coll.answer("bravo", 5)
        self.assertEqual(coll.stats(window_days=1).reviews, 1)
        self.assertEqual(coll.stats(window_days=2).reviews, 2)

    def test_a_negative_deck_id_is_invalid(self):
        coll, _ = self.open_small()
        with self.assertRaises(alliance.InvalidArgument) as cm:
            coll.stats(-1)
        self.assertIn("-1", cm.exception.message)

    def test_unknown_stats_version_is_refused_with_a_message(self):
        import ctypes
        from alliance import capi
        coll, _ = self.open_small()
        stats = capi.alliance_stats()
        stats.version = 99
        rc = capi.lib.alliance_stats_get(coll._handle(), 0, support.NOW, 30, ctypes.byref(stats))
        self.assertEqual(rc, capi.EVERSION)
        self.assertTrue(coll.errmsg())
        self.assertEqual(coll.errcode(), capi.EVERSION)


class TestForecast(support.TempDirTestCase):
    def learned_deck(self):
        """All three cards answered twice with 5: due again 6 days after the second answer."""
        coll, deck = self.open_small()
        for card_id in support.SMALL_IDS:
            coll.answer(card_id, 5)
        self.clock.advance(days=1)
        for card_id in support.SMALL_IDS:
            coll.answer(card_id, 5)
        return coll, deck

    def test_forecast_counts_cards_per_day(self):
        coll, deck = self.learned_deck()
        self.assertEqual(coll.forecast(deck_id=deck, days=8), [0, 0, 0, 0, 0, 0, 3, 0])

    def test_overdue_cards_count_today(self):
        coll, _ = self.learned_deck()
        self.clock.advance(days=10)
        self.assertEqual(coll.forecast(days=3), [3, 0, 0])

    def test_suspended_cards_are_not_forecast(self):
        coll, _ = self.learned_deck()
        coll.suspend("alpha")
        self.assertEqual(coll.forecast(days=7)[6], 2)

    def test_days_must_be_1_to_3650(self):
        coll, _ = self.open_small()
        for days in (0, 3651):
            with self.subTest(days=days):
                with self.assertRaises(alliance.InvalidArgument):
                    coll.forecast(days=days)

    def test_forecast_and_stats_take_the_deck_first(self):
        coll, deck = self.learned_deck()
        other = coll.deck_id("Other", create=True)
        self.assertEqual(coll.forecast(deck_id=other, days=8), [0] * 8)
        self.assertEqual(coll.forecast(deck_id=deck, days=8)[6], 3)
        self.assertEqual(coll.stats(deck).total, 3)
        self.assertEqual(coll.stats(deck_id=other).total, 0)

    def test_positional_forecast_arguments_keep_their_old_meaning_with_a_warning(self):
        coll, deck = self.learned_deck()
        other = coll.deck_id("Other", create=True)
        with self.assertWarns(DeprecationWarning) as caught:
            counts = coll.forecast(8, other)  # (days, deck_id) as in 0.1.0
        self.assertEqual(counts, [0] * 8)
        self.assertIn("deck_id=", str(caught.warning))
        with self.assertWarns(DeprecationWarning):
            self.assertEqual(coll.forecast(8)[6], 3)
        with self.assertRaises(TypeError):
            coll.forecast(1, 2, 3, 4)

    def test_the_library_does_the_forecast(self):
        """forecast() is alliance_forecast_v2 (uint32_t days) when the library has it."""
        coll, deck = self.learned_deck()
        counts = (ctypes.c_uint32 * 8)()
        self.assertEqual(capi.lib.alliance_forecast_v2(coll._handle(), deck, support.NOW + support.DAY, counts, 8),
                         capi.OK)
        self.assertEqual(list(counts), coll.forecast(deck_id=deck, days=8))


if __name__ == "__main__":
    unittest.main()
