# SPDX-License-Identifier: MIT
"""The review log through the binding: its iterator, replay and verify."""

import io
import sqlite3
import unittest

import alliance
import support
from support import NOW, TODAY


class TestReviewLog(support.TempDirTestCase):
    def answer_twice(self):
        coll, _ = self.open_small()
        coll.answer("alpha", 5, answer_ms=1200)
        self.clock.advance(days=1)
        coll.answer("bravo", 3)
        coll.answer("alpha", 4, answer_ms=800)
        return coll

    def test_rows_record_every_answer(self):
        coll = self.answer_twice()
        rows = list(coll.reviews("alpha"))
        self.assertEqual([(r.card_id, r.grade, r.day, r.time) for r in rows],
                         [("alpha", 5, TODAY, NOW), ("alpha", 4, TODAY + 1, NOW + support.DAY)])
        self.assertEqual([r.elapsed_days for r in rows], [-1, 1])
        self.assertEqual([r.answer_ms for r in rows], [1200, 800])
        self.assertLess(rows[0].review_id, rows[1].review_id)

    def test_each_row_records_its_scheduler_and_fsrs_parameters(self):
        coll, _ = self.open_small()
        coll.answer("alpha", 4)
        coll.set_scheduler(alliance.SCHEDULER_FSRS)
        coll.answer("bravo", 4)
        fitted = alliance.FSRSParams(desired_retention=0.8)
        coll.set_fsrs_params(fitted)
        coll.answer("charlie::c1", 4)
        coll.set_scheduler(alliance.SCHEDULER_SM2)  # a switch rewrites no record
        rows = {r.card_id: r for r in coll.reviews()}
        self.assertEqual((rows["alpha"].scheduler, rows["alpha"].fsrs_params), (alliance.SCHEDULER_SM2, None))
        self.assertEqual(rows["bravo"].scheduler, alliance.SCHEDULER_FSRS)
        self.assertEqual(rows["bravo"].fsrs_params, alliance.FSRSParams())
        self.assertEqual(rows["charlie::c1"].fsrs_params, fitted)
        self.assertEqual(coll.verify(), 0)

    def test_states_are_the_sm2_steps(self):
        coll = self.answer_twice()
        first, second = coll.reviews("alpha")
        self.assertEqual(first.before, alliance.sm2_new_state())
        self.assertEqual(first.after, alliance.sm2_next(first.before, 5))
        self.assertEqual(second.before, first.after)
        self.assertEqual(second.after, alliance.sm2_next(first.after, 4))
        self.assertEqual(second.after, coll.card("alpha").state)
        self.assertEqual(first.params, coll.sm2_params)

    def test_the_whole_log_is_oldest_first(self):
        coll = self.answer_twice()
        self.assertEqual([r.card_id for r in coll.reviews()], ["alpha", "bravo", "alpha"])

    def test_a_card_never_answered_has_an_empty_log(self):
        coll = self.answer_twice()
        self.assertEqual(list(coll.reviews("charlie::c1")), [])

    def test_replay_matches_the_stored_state(self):
        coll = self.answer_twice()
        card = coll.card("alpha")
        self.assertEqual(coll.replay("alpha"), (card.state, card.due_day))
        self.assertEqual(card.due_day, TODAY + 1 + card.state.interval_days)

    def test_replay_of_an_unknown_card_is_not_found(self):
        coll = self.answer_twice()
        with self.assertRaises(alliance.NotFound) as cm:
            coll.replay("ghost")
        self.assertIn("ghost", cm.exception.message)

    def test_the_fsrs_optimizer_csv_has_every_answer(self):
        coll = self.answer_twice()
        text = coll.export_fsrs_csv().decode()
        self.assertEqual(text.splitlines(), [
            "card_id,review_time,review_rating,review_state,review_duration",
            "alpha,%d,4,0,1200" % (NOW * 1000),
            "alpha,%d,3,2,800" % ((NOW + support.DAY) * 1000),
            "bravo,%d,2,0,0" % ((NOW + support.DAY) * 1000),
        ])
        sink = io.BytesIO()
        self.assertIsNone(coll.export_fsrs_csv(file=sink))
        self.assertEqual(sink.getvalue().decode(), text)
        with self.assertRaises(alliance.NotFound):
            coll.export_fsrs_csv(deck_id=999)

    def test_verify_finds_a_healthy_collection(self):
        self.assertEqual(self.answer_twice().verify(), 0)

    def test_integrity_check_passes_a_sound_file_and_lists_a_damaged_index(self):
        coll = self.answer_twice()
        self.assertEqual(coll.integrity_check(), [])
        path = self.path("learner.alliance")
        coll.close()
        # One byte of cards_order's first record changes: SQLite finds the index damaged.
        raw = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
        root = raw.execute("SELECT rootpage FROM sqlite_schema WHERE name = 'cards_order'").fetchone()[0]
        page_size = raw.execute("PRAGMA page_size").fetchone()[0]
        raw.close()
        with open(path, "r+b") as f:
            page = (root - 1) * page_size
            f.seek(page + 8)
            cell = int.from_bytes(f.read(2), "big")
            f.seek(page + cell + 6)
            byte = f.read(1)[0]
            f.seek(page + cell + 6)
            f.write(bytes([byte ^ 0x40]))
        damaged = self.open()
        problems = damaged.integrity_check()  # SQLite's lines, not an exception
        self.assertTrue(problems)
        self.assertTrue(all(isinstance(line, str) and line for line in problems), problems)
        self.assertNotEqual(problems, ["ok"])

    def test_undo_deletes_exactly_the_last_row(self):
        coll = self.answer_twice()
        self.assertEqual(coll.undo(), "alpha")
        self.assertEqual([r.grade for r in coll.reviews()], [5, 3])
        self.assertEqual(coll.card("alpha").state, alliance.sm2_next(alliance.sm2_new_state(), 5))

    def test_review_iterator_after_close_of_the_collection_is_misuse(self):
        coll = self.answer_twice()
        it = coll.reviews()
        self.assertEqual(next(it).card_id, "alpha")
        coll.close()
        with self.assertRaises(alliance.MisuseError):
            next(it)
        it.close()


if __name__ == "__main__":
    unittest.main()
