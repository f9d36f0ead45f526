# SPDX-License-Identifier: MIT
"""Deck files through the binding: the bundled deck, errors with positions, export round trips."""

import dataclasses
import io
import os
import re
import unittest

import alliance
import support

BUNDLED_NAME = "Therapeutic alliance in social work"


def bundled_card_ids():
    """The card ids the bundled deck should give, read independently of the library:
    one per note, a cloze note one per distinct deletion number."""
    with open(support.BUNDLED_DECK, encoding="utf-8") as f:
        text = f.read()
    ids = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [l for l in block.split("\n") if not l.lstrip().startswith("#")]
        keys = dict(re.match(r"([a-z-]+):\s*(.*)", l).groups() for l in lines if re.match(r"[a-z-]+:", l))
        if "card" not in keys:
            continue
        if keys["type"] == "cloze":
            numbers = sorted({int(n) for n in re.findall(r"\{\{c(\d+)::", block)})
            ids += ["%s::c%d" % (keys["card"], n) for n in numbers]
        else:
            ids.append(keys["card"])
    return ids


class TestBundledDeck(support.TempDirTestCase):
    def test_import_of_the_bundled_deck(self):
        coll = self.open()
        expected = bundled_card_ids()
        report = coll.import_deck(support.BUNDLED_DECK)
        self.assertEqual((report.deck_name, report.added, report.updated, report.unchanged, report.suspended),
                         (BUNDLED_NAME, len(expected), 0, 0, 0))
        self.assertEqual((report.error_count, report.errors), (0, ""))
        self.assertEqual(coll.deck_id(BUNDLED_NAME), report.deck_id)
        self.assertEqual([c.id for c in coll.cards(report.deck_id)], expected)
        self.assertEqual(coll.stats(report.deck_id).total, len(expected))

    def test_cards_keep_their_source_and_quote(self):
        coll = self.open()
        coll.import_deck(support.BUNDLED_DECK)
        card = coll.card("a0-strengths-key")
        self.assertEqual(card.type, alliance.CARD_CHOICE)
        self.assertEqual(card.back, "Focusing on the client's strengths and resilience")
        self.assertEqual(len(card.wrong_options), 4)
        self.assertEqual(card.source_file, "000_73690f9ff33baf4c.txt")
        self.assertEqual(card.source_quote, "The answer lies in focusing on the client\u2019s strengths and resilience.")

    def test_a_cards_source_has_the_title_the_header_gives_it(self):
        coll = self.open()
        deck = coll.import_deck(support.BUNDLED_DECK).deck_id
        card = coll.card("a0-strengths-key")
        self.assertEqual(coll.deck_source_title(deck, card.source_file),
                         "The Heart of the Therapeutic Alliance: Focusing on Client Strengths")
        with self.assertRaises(alliance.NotFound) as cm:
            coll.deck_source_title(deck, "no-such-file.txt")
        self.assertIn("no-such-file.txt", cm.exception.message)

    def test_reimport_changes_nothing(self):
        coll = self.open()
        first = coll.import_deck(support.BUNDLED_DECK)
        again = coll.import_deck(support.BUNDLED_DECK)
        self.assertEqual((again.deck_id, again.added, again.updated, again.unchanged, again.suspended),
                         (first.deck_id, 0, 0, first.added, 0))

    def test_dry_run_counts_and_writes_nothing(self):
        coll = self.open()
        report = coll.import_deck(support.BUNDLED_DECK, dry_run=True)
        self.assertEqual(report.added, len(bundled_card_ids()))
        self.assertEqual(coll.stats().total, 0)

    def test_check_deck_needs_no_collection(self):
        with open(support.BUNDLED_DECK, "rb") as f:
            report = alliance.check_deck(f.read(), "therapeutic-alliance.deck")
        self.assertEqual(report.added, len(bundled_card_ids()))

    def test_a_missing_file_is_not_found(self):
        coll = self.open()
        with self.assertRaises(alliance.NotFound) as cm:
            coll.import_deck(self.path("nowhere.deck"))
        self.assertIn("nowhere.deck", cm.exception.message)


BAD_DECK = """deck: Broken
description: line 8 has a typo in its key

card: one
type: basic
front: Q
back: A
frnot: typo
"""


class TestLint(unittest.TestCase):
    def test_the_bundled_deck_has_nothing_to_lint(self):
        with open(support.BUNDLED_DECK, "rb") as f:
            report = alliance.lint_deck(f.read(), "therapeutic-alliance.deck")
        self.assertEqual((report.note_count, report.warnings, report.text), (70, [], ""))

    def test_warnings_say_where_and_what(self):
        deck = ("deck: L\n\ncard: q\ntype: choice\nquestion: Which is red?\nanswer: Blood\n"
                "wrong: Grass\nwrong: Sky\n")
        report = alliance.lint_deck(deck, "l.deck")
        self.assertEqual(len(report.warnings), 1)
        w = report.warnings[0]
        self.assertEqual((w.code, w.name, w.line, w.column, w.note_id, w.other_id),
                         (alliance.capi.LINT_FEW_WRONG, "few-wrong-options", 3, 1, "q", ""))
        self.assertTrue(w.message.startswith("l.deck:3:1: warning: choice card 'q' has 2 wrong options"))
        self.assertEqual(report.text, w.message + "\n")

    def test_a_deck_that_does_not_parse_raises_with_its_errors(self):
        with self.assertRaises(alliance.ParseError) as cm:
            alliance.lint_deck("deck: L\n\ncard: x\ntype: basic\nfront: f\n", "bad.deck")
        self.assertIn("bad.deck:3:1:", cm.exception.message)


class TestDeckErrors(support.TempDirTestCase):
    def test_a_parse_error_names_file_line_and_column(self):
        coll = self.open()
        with self.assertRaises(alliance.ParseError) as cm:
            coll.import_deck_data(BAD_DECK, "bad.deck")
        e = cm.exception
        self.assertEqual(e.code, alliance.capi.EPARSE)
        self.assertIn("bad.deck:8:1", e.message)
        self.assertEqual(e.report.error_count, 1)
        self.assertEqual(len(e.report.error_lines), 1)
        self.assertTrue(e.report.error_lines[0].startswith("bad.deck:8:1: "), e.report.errors)
        self.assertIn("frnot", e.report.errors)

    def test_a_failed_import_writes_nothing(self):
        coll = self.open()
        with self.assertRaises(alliance.ParseError):
            coll.import_deck_data(BAD_DECK, "bad.deck")
        self.assertEqual(coll.stats().total, 0)
        with self.assertRaises(alliance.NotFound):
            coll.deck_id("Broken")

    def test_check_deck_reports_the_same_error(self):
        with self.assertRaises(alliance.ParseError) as cm:
            alliance.check_deck(BAD_DECK, "bad.deck")
        self.assertTrue(cm.exception.report.error_lines[0].startswith("bad.deck:8:1: "))
        self.assertIn("bad.deck:8:1", cm.exception.message)

    def test_a_card_missing_from_a_reimport_is_suspended_not_deleted(self):
        coll, deck = self.open_small()
        shorter = support.SMALL_DECK.split("\ncard: charlie")[0]
        report = coll.import_deck_data(shorter, "small.deck")
        self.assertEqual((report.unchanged, report.suspended), (2, 1))
        self.assertTrue(coll.card("charlie::c1").suspended)


class TestExport(support.TempDirTestCase):
    def test_export_returns_the_text_and_reimport_changes_nothing(self):
        coll, deck = self.open_small()
        text = coll.export_deck(deck)
        self.assertIsInstance(text, bytes)
        self.assertIn(b"card: alpha", text)
        report = coll.import_deck_data(text, "exported.deck")
        self.assertEqual((report.deck_id, report.added, report.updated, report.unchanged), (deck, 0, 0, 3))

    def test_export_of_the_bundled_deck_imports_into_a_new_collection(self):
        coll = self.open()
        deck = coll.import_deck(support.BUNDLED_DECK).deck_id
        text = coll.export_deck(deck)
        other = self.open("other.alliance")
        report = other.import_deck_data(text, "exported.deck")
        self.assertEqual(report.added, len(bundled_card_ids()))
        # Same text, same fake import time: only the deck id may differ.
        self.assertEqual(other.card("a0-strengths-key"),
                         dataclasses.replace(coll.card("a0-strengths-key"), deck_id=report.deck_id))

    def test_export_streams_into_a_file_object(self):
        coll, deck = self.open_small()
        sink = io.BytesIO()
        self.assertIsNone(coll.export_deck(deck, file=sink))
        self.assertEqual(sink.getvalue(), coll.export_deck(deck))

    def test_an_exception_in_the_writer_propagates(self):
        coll, deck = self.open_small()

        class Refusing:
            def write(self, data):
                raise ValueError("the disk says no")

        with self.assertRaisesRegex(ValueError, "the disk says no"):
            coll.export_deck(deck, file=Refusing())
        self.assertEqual(coll.card("alpha").front, "Front A", "the collection still works")

    def test_export_file_is_the_same_text(self):
        coll, deck = self.open_small()
        path = self.path("out.deck")
        coll.export_deck_file(deck, path)
        with open(path, "rb") as f:
            self.assertEqual(f.read(), coll.export_deck(deck))
        leftovers = [n for n in os.listdir(self.tmp) if n != "out.deck" and not n.startswith("learner.alliance")]
        self.assertEqual(leftovers, [], "the file is written aside, then renamed")

    def test_export_file_takes_the_format_by_keyword_and_warns_for_the_old_position(self):
        coll, deck = self.open_small()
        path = self.path("out.txt")
        coll.export_deck_file(deck, path, format=alliance.FORMAT_ANKI_TEXT)
        with open(path, "rb") as f:
            self.assertEqual(f.read(), coll.export_deck(deck, alliance.FORMAT_ANKI_TEXT))
        with self.assertWarns(DeprecationWarning):
            coll.export_deck_file(deck, path, alliance.FORMAT_DECK)
        with open(path, "rb") as f:
            self.assertEqual(f.read(), coll.export_deck(deck))

    def test_exporting_an_unknown_deck_is_not_found(self):
        coll, _ = self.open_small()
        with self.assertRaises(alliance.NotFound):
            coll.export_deck(9999)


if __name__ == "__main__":
    unittest.main()
