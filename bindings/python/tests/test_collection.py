# SPDX-License-Identifier: MIT
"""Collection: opening, closing, settings, decks, notes, cards, search, errors."""

import os
import unittest

import alliance
import support
from alliance import capi
from support import NOW, TODAY


class TestOpenClose(support.TempDirTestCase):
    def test_open_creates_the_file(self):
        self.open("new.alliance")
        self.assertTrue(os.path.exists(self.path("new.alliance")))

    def test_in_memory_collection(self):
        with alliance.Collection(":memory:", utc_offset_seconds=0, clock=self.clock) as coll:
            self.assertEqual(coll.today(), TODAY)

    def test_context_manager_closes(self):
        with alliance.Collection(self.path("x.alliance")) as coll:
            self.assertFalse(coll.closed)
        self.assertTrue(coll.closed)

    def test_close_is_idempotent(self):
        coll = self.open()
        coll.close()
        coll.close()
        self.assertTrue(coll.closed)

    def test_a_closed_collection_raises_misuse(self):
        coll = self.open()
        coll.close()
        with self.assertRaises(alliance.MisuseError) as cm:
            coll.card("a")
        self.assertEqual(cm.exception.code, capi.EMISUSE)
        self.assertIn("closed", cm.exception.message)
        for call in (coll.today, lambda: coll.config, coll.session, coll.cards, coll.reviews, coll.undo):
            with self.assertRaises(alliance.MisuseError):
                call()

    def test_without_create_a_missing_file_is_not_created(self):
        with self.assertRaises(alliance.Error):
            alliance.Collection(self.path("missing.alliance"), create=False)
        self.assertFalse(os.path.exists(self.path("missing.alliance")))

    def test_a_file_that_is_not_a_collection_is_refused_and_left_untouched(self):
        path = self.path("notes.txt")
        with open(path, "wb") as f:
            f.write(b"just some notes, not a database\n" * 100)
        with open(path, "rb") as f:
            before = f.read()
        with self.assertRaises(alliance.Error) as cm:
            alliance.Collection(path)
        self.assertIn(cm.exception.code, (capi.ENOTCOLLECTION, capi.ECORRUPT))
        self.assertTrue(cm.exception.message)
        with open(path, "rb") as f:
            self.assertEqual(f.read(), before)

    def test_reopening_keeps_the_cards(self):
        coll, _ = self.open_small()
        coll.close()
        coll = self.open()
        self.assertEqual(coll.card("alpha").front, "Front A")

    def test_readonly_refuses_writes(self):
        coll, _ = self.open_small()
        coll.close()
        ro = self.open(readonly=True)
        self.assertEqual(ro.card("alpha").id, "alpha")
        with self.assertRaises(alliance.ReadOnlyError) as cm:
            ro.answer("alpha", 4)
        self.assertEqual(cm.exception.code, capi.EREADONLY)

    def test_errmsg_and_errcode_report_the_last_failure(self):
        coll = self.open()
        with self.assertRaises(alliance.NotFound):
            coll.card("nope")
        self.assertEqual(coll.errcode(), capi.ENOTFOUND)
        self.assertIn("nope", coll.errmsg())


class TestSettings(support.TempDirTestCase):
    def test_defaults(self):
        self.assertEqual(alliance.Config.defaults(), alliance.Config(20, 200, 4, 8, True))
        self.assertEqual(self.open().config, alliance.Config.defaults())

    def test_config_is_stored_in_the_file(self):
        coll = self.open()
        changed = coll.configure(new_per_day=5, leech_suspend=False)
        self.assertEqual(changed.new_per_day, 5)
        coll.close()
        self.assertEqual(self.open().config, alliance.Config(5, 200, 4, 8, False))

    def test_a_bad_rollover_hour_is_refused(self):
        coll = self.open()
        with self.assertRaises(alliance.InvalidArgument):
            coll.configure(rollover_hour=24)
        self.assertEqual(coll.config.rollover_hour, 4, "nothing changes on failure")

    def test_sm2_params_round_trip(self):
        coll = self.open()
        self.assertEqual(coll.sm2_params, alliance.sm2_params())
        classic = alliance.sm2_params(alliance.SM2_CLASSIC)
        coll.sm2_params = classic
        self.assertEqual(coll.sm2_params, classic)

    def test_bad_sm2_params_are_refused(self):
        coll = self.open()
        with self.assertRaises(alliance.InvalidArgument):
            coll.sm2_params = alliance.SM2Params(max_interval_days=0)


class TestDecksAndNotes(support.TempDirTestCase):
    def test_deck_id_creates_and_finds(self):
        coll = self.open()
        with self.assertRaises(alliance.NotFound):
            coll.deck_id("Physics")
        deck = coll.deck_id("Physics", create=True)
        self.assertGreater(deck, 0)
        self.assertEqual(coll.deck_id("Physics"), deck)
        self.assertEqual(coll.deck_name(deck), "Physics")

    def test_unicode_names_round_trip(self):
        coll = self.open()
        deck = coll.deck_id("Allianz thérapeutique – 治療同盟", create=True)
        self.assertEqual(coll.deck_name(deck), "Allianz thérapeutique – 治療同盟")

    def test_add_basic_note(self):
        coll = self.open()
        deck = coll.add_note("Mine", alliance.Note("n1", "What is SM-2?", "A scheduler", tags="algo"))
        card = coll.card("n1")
        self.assertEqual((card.id, card.note_id, card.type, card.deck_id), ("n1", "n1", alliance.CARD_BASIC, deck))
        self.assertEqual((card.front, card.back, card.tags), ("What is SM-2?", "A scheduler", "algo"))
        self.assertEqual((card.wrong, card.source_file, card.source_quote), ("", "", ""))
        self.assertTrue(card.is_new)
        self.assertEqual(card.created, NOW)
        self.assertEqual(card.last_review_day, -1)
        self.assertEqual(card.state, alliance.SM2State(0, 2500, 0, 0))
        self.assertFalse(card.suspended)

    def test_add_cloze_note_makes_one_card_per_deletion(self):
        coll = self.open()
        coll.add_note("Mine", alliance.Note("z", "{{c1::Trust}} builds {{c2::alliance}}", type=alliance.CARD_CLOZE))
        first = coll.card("z::c1")
        self.assertEqual((first.note_id, first.ordinal), ("z", 1))
        self.assertEqual(coll.card("z::c2").ordinal, 2)
        self.assertEqual(first.prompt(), "[...] builds alliance")
        self.assertEqual(first.answer_text(), "Trust builds alliance")

    def test_add_choice_note_with_a_list_of_wrong_options(self):
        coll = self.open()
        coll.add_note("Mine", alliance.Note("q", "Key?", "Strengths", type=alliance.CARD_CHOICE,
                                            wrong=["Rules", "Protocols"]))
        self.assertEqual(coll.card("q").wrong_options, ["Rules", "Protocols"])

    def test_update_note_keeps_history_and_follows_the_cloze_set(self):
        coll = self.open()
        coll.add_note("Mine", alliance.Note("z", "{{c1::Trust}} builds {{c2::alliance}}", type=alliance.CARD_CLOZE))
        coll.answer("z::c1", 4, now=NOW)
        coll.update_note(alliance.Note("z", "{{c1::Trust}} builds {{c3::bonds}}", type=alliance.CARD_CLOZE),
                         now=NOW + 60)
        first = coll.card("z::c1")
        self.assertEqual((first.front, first.reviews), ("{{c1::Trust}} builds {{c3::bonds}}", 1))
        self.assertTrue(coll.card("z::c2").suspended)
        self.assertTrue(coll.card("z::c3").is_new)
        with self.assertRaises(alliance.NotFound) as e:
            coll.update_note(alliance.Note("nope", "q", "a"))
        self.assertIn("nope", str(e.exception))
        with self.assertRaises(alliance.InvalidArgument):
            coll.update_note(alliance.Note("z", "no deletion", type=alliance.CARD_CLOZE))

    def test_delete_note_removes_cards_and_history_or_keeps_them(self):
        coll = self.open()
        coll.add_note("Mine", alliance.Note("a", "q1", "a1"))
        coll.add_note("Mine", alliance.Note("b", "q2", "a2"))
        coll.answer("a", 4, now=NOW)
        coll.answer("b", 4, now=NOW)
        coll.delete_note("a")
        with self.assertRaises(alliance.NotFound):
            coll.card("a")
        self.assertEqual([r.card_id for r in coll.reviews()], ["b"])
        coll.delete_note("b", keep_history=True)
        self.assertTrue(coll.card("b").suspended)
        self.assertEqual(coll.card("b").reviews, 1)
        with self.assertRaises(alliance.NotFound):
            coll.delete_note("a")
        self.assertEqual(coll.verify(), 0)

    def test_a_taken_id_is_already_exists(self):
        coll = self.open()
        coll.add_note("Mine", alliance.Note("n1", "f", "b"))
        with self.assertRaises(alliance.AlreadyExists) as cm:
            coll.add_note("Mine", alliance.Note("n1", "f2", "b2"))
        self.assertIn("n1", cm.exception.message)
        self.assertEqual(coll.card("n1").front, "f")

    def test_a_cloze_without_deletion_is_invalid_with_a_message(self):
        coll = self.open()
        with self.assertRaises(alliance.InvalidArgument) as cm:
            coll.add_note("Mine", alliance.Note("z", "no deletion here", type=alliance.CARD_CLOZE))
        self.assertTrue(cm.exception.message)

    def test_a_nul_in_a_string_is_refused_before_the_call(self):
        coll = self.open()
        with self.assertRaises(alliance.InvalidArgument):
            coll.card("a\0b")


class TestCards(support.TempDirTestCase):
    def test_unknown_card_is_not_found_naming_it(self):
        coll, _ = self.open_small()
        with self.assertRaises(alliance.NotFound) as cm:
            coll.card("no-such-card")
        self.assertEqual(cm.exception.code, capi.ENOTFOUND)
        self.assertIn("no-such-card", cm.exception.message)
        self.assertIsInstance(cm.exception, LookupError)

    def test_suspend_and_unsuspend(self):
        coll, _ = self.open_small()
        coll.suspend("alpha")
        self.assertTrue(coll.card("alpha").suspended)
        coll.unsuspend("alpha")
        self.assertFalse(coll.card("alpha").suspended)

    def test_bury_hides_until_tomorrow(self):
        coll, _ = self.open_small()
        coll.bury("alpha")
        self.assertEqual(coll.card("alpha").buried_until_day, TODAY + 1)
        with self.assertRaises(alliance.NotDue):
            coll.answer("alpha", 4)

    def test_a_card_carries_its_fsrs_retrievability_for_the_day_asked(self):
        coll, _ = self.open_small()
        coll.set_scheduler(alliance.SCHEDULER_FSRS)
        coll.answer("alpha", 4)  # good: FSRS-6's first stability 2.3065 days
        card = coll.card("alpha")
        self.assertEqual((card.retrievability_day, card.fsrs_retrievability), (TODAY, 1.0))
        later = coll.card("alpha", now=support.NOW + 10 * support.DAY)
        self.assertEqual(later.retrievability_day, TODAY + 10)
        self.assertEqual(later.fsrs_retrievability, alliance.fsrs_retrievability(later.fsrs, 10))
        self.assertLess(later.fsrs_retrievability, 0.9)
        self.assertEqual(coll.card("bravo").fsrs_retrievability, 0.0)  # never reviewed
        self.assertIsNone(next(iter(coll.cards())).retrievability_day)  # a search has no time

    def test_under_sm2_a_card_has_no_fsrs_retrievability(self):
        coll, _ = self.open_small()
        coll.answer("alpha", 4)
        card = coll.card("alpha", now=support.NOW + 3 * support.DAY)
        self.assertEqual((card.retrievability_day, card.fsrs_retrievability), (TODAY + 3, 0.0))

    def test_search_iterates_in_the_order_added(self):
        coll, deck = self.open_small()
        self.assertEqual([c.id for c in coll.cards()], support.SMALL_IDS)
        self.assertEqual([c.id for c in coll.cards(deck)], support.SMALL_IDS)

    def test_search_text_is_case_insensitive(self):
        coll, _ = self.open_small()
        self.assertEqual([c.id for c in coll.cards(text="front b")], ["bravo"])
        self.assertEqual([c.id for c in coll.cards(text="FIRST")], ["alpha"])  # a tag
        self.assertEqual(list(coll.cards(text="nowhere")), [])

    def test_an_iterator_can_be_closed_early(self):
        coll, _ = self.open_small()
        with coll.cards() as it:
            self.assertEqual(next(it).id, "alpha")
        self.assertTrue(it.closed)
        self.assertEqual(list(it), [])

    def test_cloze_render(self):
        text = "{{c1::Empathy}} and {{c2::trust::a feeling}} matter"
        self.assertEqual(alliance.cloze_render(text, 1), "[...] and trust matter")
        self.assertEqual(alliance.cloze_render(text, 2), "Empathy and [a feeling] matter")
        self.assertEqual(alliance.cloze_render(text, 2, reveal=True), "Empathy and trust matter")


if __name__ == "__main__":
    unittest.main()
