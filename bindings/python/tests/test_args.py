# SPDX-License-Identifier: MIT
"""Arguments: every integer is range-checked and every string or path is
checked for NUL before it reaches C, where ctypes would silently truncate
them (a grade of 2**32 logged as 0, a path "victim.txt\\0.deck" opened as
"victim.txt"). Out of range is ValueError (alliance.InvalidArgument, or the
library's own class where one fits: GradeError), as Python's open() refuses
a NUL with ValueError; nothing is written."""

import dataclasses
import os
import unittest

import alliance
import support
from support import NOW, SMALL_IDS


class TestIntegers(support.TempDirTestCase):
    def setUp(self):
        super().setUp()
        self.coll, self.deck = self.open_small()

    def log_size(self):
        return sum(1 for _ in self.coll.reviews())

    def test_a_grade_outside_int_is_a_grade_error_not_a_wrapped_grade(self):
        for grade in (2 ** 32, 2 ** 32 + 5, -2 ** 32, 2 ** 31, -1, 6):
            with self.subTest(grade=grade):
                with self.coll.session(self.deck) as session:
                    card = session.next_card()
                    with self.assertRaises(alliance.GradeError):
                        session.answer(card, grade)
                with self.assertRaises(alliance.GradeError):
                    self.coll.answer(SMALL_IDS[0], grade)
                with self.assertRaises(alliance.GradeError):
                    alliance.sm2_next(alliance.sm2_new_state(), grade)
        self.assertEqual(self.log_size(), 0)

    def test_a_time_outside_int64_is_refused(self):
        for now in (2 ** 64 + 1700000000, 2 ** 63, -2 ** 63 - 1):
            with self.subTest(now=now):
                with self.assertRaises(ValueError):
                    self.coll.answer(SMALL_IDS[0], 4, now=now)
                with self.assertRaises(ValueError):
                    self.coll.today(now)
                with self.assertRaises(ValueError):
                    alliance.day_number(now, 0)
        self.assertEqual(self.log_size(), 0)

    def test_a_negative_or_huge_answer_time_is_refused(self):
        for ms in (-1, 2 ** 32):
            with self.subTest(ms=ms):
                with self.assertRaises(ValueError):
                    self.coll.answer(SMALL_IDS[0], 4, answer_ms=ms)
                with self.coll.session(self.deck) as session:
                    with self.assertRaises(ValueError):
                        session.answer(session.next_card(), 4, answer_ms=ms)
        self.assertEqual(self.log_size(), 0)

    def test_a_utc_offset_outside_int32_does_not_become_local_time(self):
        before = self.coll.today(NOW)
        for offset in (2 ** 31, -2 ** 31 - 1, 2 ** 32):
            with self.subTest(offset=offset):
                with self.assertRaises(ValueError):
                    self.coll.set_utc_offset(offset)
                with self.assertRaises(ValueError):
                    alliance.day_number(NOW, offset)
                with self.assertRaises(ValueError):
                    alliance.Collection(self.path("o.alliance"), utc_offset_seconds=offset)
        self.assertEqual(self.coll.today(NOW), before)

    def test_settings_outside_uint32_are_refused_and_nothing_is_stored(self):
        before = self.coll.config
        for name in ("new_per_day", "reviews_per_day", "rollover_hour", "leech_threshold"):
            for value in (2 ** 32, -1):
                with self.subTest(name=name, value=value):
                    with self.assertRaises(ValueError):
                        self.coll.configure(**{name: value})
        self.assertEqual(self.coll.config, before)
        params = self.coll.sm2_params
        with self.assertRaises(ValueError):
            self.coll.sm2_params = alliance.SM2Params(first_interval_days=2 ** 32 + 1)
        self.assertEqual(self.coll.sm2_params, params)
        with self.assertRaises(ValueError):
            alliance.sm2_next(alliance.SM2State(interval_days=2 ** 32), 4)

    def test_other_counts_and_ids_are_range_checked(self):
        with self.assertRaises(ValueError):
            self.coll.stats(window_days=2 ** 32)
        with self.assertRaises(ValueError):
            self.coll.forecast(days=2 ** 64)
        with self.assertRaises(ValueError):
            self.coll.deck_name(2 ** 64 + self.deck)
        with self.assertRaises(ValueError):
            self.coll.session(2 ** 64 + self.deck)
        with self.assertRaises(ValueError):
            list(self.coll.cards(2 ** 64))
        with self.assertRaises(ValueError):
            self.coll.export_deck(2 ** 64 + self.deck)
        with self.assertRaises(ValueError):
            alliance.cloze_render("a {{c1::b}}", 2 ** 32 + 1)
        with self.assertRaises(ValueError):
            alliance.Collection(self.path("b.alliance"), busy_timeout_ms=2 ** 32)
        with self.assertRaises(ValueError):
            self.coll.export_deck(self.deck, format=2 ** 32 + 1)

    def test_a_card_rendered_from_python_values_is_range_checked(self):
        card = self.coll.card(SMALL_IDS[0])
        self.assertEqual(card.render().prompt, alliance.render_card(card).prompt)
        with self.assertRaises(ValueError):
            alliance.render_card(card, flags=2 ** 32)  # would be flags 0
        for field, value in (("type", 2 ** 32 + card.type), ("ordinal", 2 ** 32), ("deck_id", 2 ** 64),
                             ("due_day", -2 ** 64), ("reviews", -1)):
            with self.subTest(field=field):
                with self.assertRaises(ValueError):
                    dataclasses.replace(card, **{field: value}).render()


class TestNul(support.TempDirTestCase):
    def test_a_path_with_nul_is_refused_as_open_refuses_it(self):
        victim = self.path("victim.txt")
        with open(victim, "w") as f:
            f.write("precious\n")
        coll, deck = self.open_small()
        with self.assertRaises(ValueError):
            coll.export_deck_file(deck, victim + "\0.deck")
        with open(victim) as f:
            self.assertEqual(f.read(), "precious\n")
        with self.assertRaises(ValueError):
            alliance.Collection(self.path("x") + "\0.db")
        self.assertFalse(os.path.exists(self.path("x")))
        with self.assertRaises(ValueError):
            alliance.Collection(os.fsencode(self.path("y")) + b"\0.db")
        self.assertFalse(os.path.exists(self.path("y")))
        with self.assertRaises(ValueError):
            coll.import_deck(victim + "\0.deck")

    def test_a_string_with_nul_is_refused_str_or_bytes(self):
        coll, deck = self.open_small()
        for text in ("al\0pha", b"al\0pha"):
            with self.subTest(text=text):
                with self.assertRaises(ValueError):
                    coll.card(text)
                with self.assertRaises(ValueError):
                    coll.deck_id(text, create=True)
                with self.assertRaises(ValueError):
                    coll.add_note(deck, alliance.Note(id="n1", front=text, back="b"))
        self.assertEqual(len(list(coll.cards())), len(SMALL_IDS))


if __name__ == "__main__":
    unittest.main()
