# SPDX-License-Identifier: MIT
"""Session: today's queue, answering, same-day repeats, undo, and the errors on the way."""

import unittest

import alliance
import support
from alliance import capi
from support import TODAY


class TestSmallSession(support.TempDirTestCase):
    def test_a_full_small_session_with_undo(self):
        coll, deck = self.open_small()
        with coll.session(deck) as session:
            self.assertEqual(session.counts(), alliance.Counts(new_cards=3, due=0, repeat=0, answered=0))

            a = session.next_card()
            self.assertEqual((a.id, a.front, a.back), ("alpha", "Front A", "Back A"))
            after = session.answer(a, 3)  # weak: SM-2 repeats it today
            self.assertEqual(after.repeat_today, 1)
            self.assertEqual(session.counts().answered, 1)

            b = session.next_card()
            self.assertEqual(b.id, "bravo", "a repeat never comes right after itself while others remain")
            session.answer(b, 1)
            self.assertEqual(session.undo(), "bravo")
            self.assertEqual(coll.card("bravo").reviews, 0, "undo restores the exact previous state")
            again = session.next_card()
            self.assertEqual(again.id, "bravo", "the undone card is shown next again")
            self.assertEqual(again.state, b.state)
            self.assertEqual(session.answer(again, 5).interval_days, 1)

            # Left: charlie, and alpha's same-day repeat (the queue decides which comes first).
            rest = []
            for card in session:
                rest.append(card.id)
                if card.id == "charlie::c1":
                    self.assertEqual(card.prompt(), "The [...] is a bond.")
                    self.assertEqual(card.answer_text(), "The alliance is a bond.\nfrom the seed articles")
                    session.answer(card, 4)
                else:
                    self.assertEqual(card.id, "alpha", "the weak answer comes back the same day")
                    self.assertEqual(session.answer(card, 4).repeat_today, 0)
                self.assertLess(len(rest), 3, "each card leaves the queue once answered well")
            self.assertEqual(sorted(rest), ["alpha", "charlie::c1"])
            self.assertIsNone(session.next_card())
            self.assertEqual(session.counts().remaining, 0)

        self.assertTrue(session.closed)
        self.assertEqual([r.card_id for r in coll.reviews()], ["alpha", "bravo"] + rest)
        self.assertEqual(coll.verify(), 0)

    def test_iterating_yields_cards_until_done(self):
        coll, _ = self.open_small()
        seen = []
        with coll.session() as session:
            for card in session:
                seen.append(card.id)
                session.answer(card, 5)
        self.assertEqual(seen, support.SMALL_IDS)
        self.assertTrue(all(coll.card(i).state.interval_days == 1 for i in support.SMALL_IDS))

    def test_tomorrow_the_reviews_are_due(self):
        coll, _ = self.open_small()
        with coll.session() as session:
            for card in session:
                session.answer(card, 5)
        self.clock.advance(days=1)
        with coll.session() as session:
            self.assertEqual(session.counts(), alliance.Counts(new_cards=0, due=3, repeat=0, answered=0))
            self.assertEqual(session.next_card().due_day, TODAY + 1)

    def test_new_per_day_limits_the_queue(self):
        coll, _ = self.open_small()
        coll.configure(new_per_day=2)
        with coll.session() as session:
            self.assertEqual(session.counts().new_cards, 2)
            self.assertEqual(len([session.answer(c, 5) for c in session]), 2)


class TestSessionErrors(support.TempDirTestCase):
    def test_bad_grade_is_a_grade_error_naming_the_card(self):
        coll, _ = self.open_small()
        with coll.session() as session:
            card = session.next_card()
            with self.assertRaises(alliance.GradeError) as cm:
                session.answer(card, 6)
            self.assertEqual(cm.exception.code, -4)
            self.assertIn("alpha", cm.exception.message)
            self.assertEqual(coll.card("alpha").reviews, 0, "nothing changes on failure")

    def test_bad_grade_on_the_collection_names_the_card(self):
        coll, _ = self.open_small()
        with self.assertRaises(alliance.GradeError) as cm:
            coll.answer("charlie::c1", -1)
        self.assertEqual(cm.exception.code, capi.EGRADE)
        self.assertIn("charlie::c1", cm.exception.message)

    def test_unknown_card_is_not_found_naming_it(self):
        coll, _ = self.open_small()
        with self.assertRaises(alliance.NotFound) as cm:
            coll.answer("ghost", 4)
        self.assertIn("ghost", cm.exception.message)
        with coll.session() as session:
            with self.assertRaises(alliance.NotFound) as cm:
                session.answer("ghost", 4)
            self.assertIn("ghost", cm.exception.message)

    def test_answering_a_card_not_due_is_not_due(self):
        coll, _ = self.open_small()
        coll.answer("alpha", 5)
        with self.assertRaises(alliance.NotDue) as cm:
            coll.answer("alpha", 5)
        self.assertEqual(cm.exception.code, capi.ENOTDUE)
        self.assertIn("alpha", cm.exception.message)

    def test_undo_without_answers_is_nothing_to_undo(self):
        coll, _ = self.open_small()
        with self.assertRaises(alliance.NothingToUndo):
            coll.undo()
        with coll.session() as session:
            with self.assertRaises(alliance.NothingToUndo) as cm:
                session.undo()
            self.assertEqual(cm.exception.code, capi.ENOUNDO)

    def test_a_closed_session_raises_misuse(self):
        coll, _ = self.open_small()
        session = coll.session()
        session.close()
        session.close()
        with self.assertRaises(alliance.MisuseError):
            session.next_card()

    def test_closing_the_collection_detaches_its_session(self):
        coll, _ = self.open_small()
        session = coll.session()
        card = session.next_card()
        coll.close()
        with self.assertRaises(alliance.MisuseError) as cm:
            session.answer(card, 4)
        self.assertEqual(cm.exception.code, capi.EMISUSE)
        for call in (session.next_card, session.counts, session.undo):
            with self.assertRaises(alliance.MisuseError):
                call()
        session.close()

    def test_collection_level_answer_and_undo(self):
        coll, _ = self.open_small()
        self.assertEqual(coll.answer("bravo", 4, answer_ms=1500), alliance.SM2State(1, 2500, 1, 0))
        self.assertEqual(coll.undo(), "bravo")
        self.assertTrue(coll.card("bravo").is_new)
        self.assertEqual(list(coll.reviews()), [])


if __name__ == "__main__":
    unittest.main()
