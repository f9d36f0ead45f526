# SPDX-License-Identifier: MIT
"""Statistics and the forecast through the binding."""

import ctypes
import unittest
import warnings

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


class TestStudyStats(support.TempDirTestCase):
    def test_true_retention_leaves_out_first_answers_and_repeats(self):
        coll, deck = self.open_small()
        coll.answer("alpha", 5, answer_ms=1200)
        coll.answer("bravo", 1, answer_ms=800)   # failed: due again today
        coll.answer("bravo", 4)                  # a relearning step, not a true review
        self.clock.advance(days=1)
        coll.answer("alpha", 2, answer_ms=4000)  # interval 1: a true review, failed
        stats = coll.stats(deck)
        self.assertEqual((stats.reviews, stats.correct), (4, 2))
        self.assertEqual((stats.true_reviews, stats.true_passed), (1, 0))
        self.assertEqual(stats.true_retention, 0.0)
        self.assertIsNone(stats.mature_retention)
        self.assertEqual((stats.timed_answers, stats.average_answer_ms), (3, 2000))

    def test_review_history_counts_back_from_today(self):
        coll, deck = self.open_small()
        coll.answer("alpha", 5)
        self.clock.advance(days=2)
        coll.answer("bravo", 5)
        coll.answer("charlie::c1", 5)
        self.assertEqual(coll.review_history(deck_id=deck, days=4), [2, 0, 1, 0])
        self.assertEqual(len(coll.review_history()), 366)
        with self.assertRaises(alliance.InvalidArgument):
            coll.review_history(days=0)

    def test_review_history_refuses_bad_arguments_before_making_an_array(self):
        # days outside 1..3650 is the library's EINVAL; a huge one used to build an array of
        # that many counts first (2**40 of them: MemoryError, or gigabytes zeroed), and a
        # deck id outside int64 was ctypes' ArgumentError instead of InvalidArgument.
        coll, _ = self.open_small()
        for days in (-1, 3651, 2 ** 32, 2 ** 40, 2 ** 70):
            with self.subTest(days=days):
                with self.assertRaises(alliance.InvalidArgument):
                    coll.review_history(days=days)
        for deck_id in (-1, 2 ** 63, -2 ** 64):
            with self.subTest(deck_id=deck_id):
                with self.assertRaises(alliance.InvalidArgument):
                    coll.review_history(deck_id=deck_id)


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

    def test_an_argument_given_both_by_position_and_by_keyword_is_a_type_error(self):
        coll, deck = self.learned_deck()
        other = coll.deck_id("Other", create=True)
        # As Python says for any function: not one of the two values chosen silently.
        for args, kwargs in (((8, other), {"deck_id": deck}), ((8,), {"days": 3}), ((8, deck, None), {"now": 0}),
                             ((8, other), {"deck_id": 0})):
            with self.subTest(args=args, kwargs=kwargs):
                with self.assertRaises(TypeError), warnings.catch_warnings():
                    warnings.simplefilter("ignore", DeprecationWarning)
                    coll.forecast(*args, **kwargs)

    def test_the_library_does_the_forecast(self):
        """forecast() is alliance_forecast_v2 (uint32_t days) when the library has it."""
        coll, deck = self.learned_deck()
        counts = (ctypes.c_uint32 * 8)()
        self.assertEqual(capi.lib.alliance_forecast_v2(coll._handle(), deck, support.NOW + support.DAY, counts, 8),
                         capi.OK)
        self.assertEqual(list(counts), coll.forecast(deck_id=deck, days=8))


if __name__ == "__main__":
    unittest.main()
