# SPDX-License-Identifier: MIT
"""Study modes through the binding (docs/study-modes.md): an exam date per deck, its pace
and clamp, and cram sessions (preview and review ahead)."""

import unittest

import alliance
import support


class TestExam(support.TempDirTestCase):
    def test_an_exam_is_set_read_and_cleared(self):
        coll, deck = self.open_small()
        self.assertIsNone(coll.exam(deck))
        today = coll.today()
        coll.exam_set(deck, today + 21)
        exam = coll.exam(deck)
        self.assertEqual((exam.exam_day, exam.final_days, exam.new_cards), (today + 21, 3, 3))
        self.assertEqual(exam.ready_by_day, today + 21 - 3 - 1 - 6 - 1)
        coll.exam_set(deck, today + 21, final_days=5)
        self.assertEqual(coll.exam(deck).final_days, 5)
        coll.exam_clear(deck)
        self.assertIsNone(coll.exam(deck))

    def test_bad_exams_raise(self):
        coll, deck = self.open_small()
        with self.assertRaises(alliance.InvalidArgument):
            coll.exam_set(deck, coll.today() + 5, final_days=31)
        with self.assertRaises(alliance.NotFound):
            coll.exam_set(999, coll.today() + 5)
        with self.assertRaises(alliance.InvalidArgument):
            coll.exam_set(deck, coll.today(), final_days=-1)

    def test_an_interval_crossing_the_exam_is_clamped_and_sm2_resumes(self):
        coll, deck = self.open_small()
        today = coll.today()
        coll.exam_set(deck, today + 12)
        coll.answer("alpha", 5)
        self.clock.advance(days=1)
        coll.answer("alpha", 5)
        self.clock.advance(days=6)
        coll.answer("alpha", 5)  # SM-2: due after the exam
        card = coll.card("alpha")
        self.assertGreaterEqual(card.due_day, today + 12)
        self.assertEqual(coll.card_due_day("alpha"), today + 9 + (today + 7) % 3)
        coll.exam_clear(deck)
        self.assertEqual(coll.card_due_day("alpha"), card.due_day)
        self.assertEqual(coll.verify(), 0)


class TestSettings(support.TempDirTestCase):
    def test_siblings_apart_and_fuzz_are_settings(self):
        coll, _ = self.open_small()
        self.assertEqual(coll.study_settings, (False, False))
        coll.set_study_settings(bury_siblings=True, fuzz=True)
        self.assertEqual(coll.study_settings, (True, True))
        coll.set_study_settings(bury_siblings=False, fuzz=False)
        self.assertEqual(coll.study_settings, (False, False))


class TestCram(support.TempDirTestCase):
    def test_a_preview_changes_no_schedule(self):
        coll, deck = self.open_small()
        coll.answer("alpha", 5)
        before = {c.id: c for c in coll.cards(deck)}
        with coll.cram(deck) as s:
            self.assertEqual((s.counts().due, s.counts().new_cards), (1, 2))
            ids = []
            for card in s:
                ids.append(card.id)
                s.answer(card, 4)
        self.assertEqual(ids[0], "alpha")
        self.assertEqual(sorted(ids), sorted(before))
        self.assertEqual({c.id: c for c in coll.cards(deck)}, before)
        self.assertEqual(coll.stats(deck).reviews, 1)
        self.assertEqual(coll.verify(), 0)

    def test_a_review_ahead_counts(self):
        coll, deck = self.open_small()
        coll.answer("alpha", 5)
        self.clock.advance(days=1)
        coll.answer("alpha", 5)  # interval 6
        self.clock.advance(days=3)
        with coll.cram(deck, ahead=True, ahead_days=5) as s:
            card = s.next_card()
            self.assertEqual(card.id, "alpha")
            after = s.answer(card, 5)
            self.assertIsNone(s.next_card())
        self.assertEqual(coll.card("alpha").reviews, 3)
        self.assertEqual(coll.card("alpha").due_day, coll.today() + after.interval_days)
        self.assertEqual(coll.verify(), 0)


if __name__ == "__main__":
    unittest.main()
