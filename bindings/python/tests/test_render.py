# SPDX-License-Identifier: MIT
"""Listing decks and rendering cards through the library: what an app needs to show a collection."""

import unittest

import alliance
import support


class TestDecks(support.TempDirTestCase):
    def test_decks_lists_every_deck_with_its_counts(self):
        coll, deck = self.open_small()
        other = coll.deck_id("Empty", create=True)
        coll.answer("alpha", 5)
        coll.suspend("bravo")
        decks = list(coll.decks())
        self.assertEqual([d.name for d in decks], ["Small", "Empty"])
        small, empty = decks
        self.assertEqual((small.id, small.total, small.new_cards, small.learned, small.suspended),
                         (deck, 3, 2, 1, 1))
        self.assertEqual(small.description, "three cards for the binding's tests")
        self.assertEqual((empty.id, empty.total, empty.created), (other, 0, 0))

    def test_counts_are_the_statistics_of_each_deck(self):
        coll, deck = self.open_small()
        coll.answer("alpha", 1)
        for d in coll.decks():
            stats = coll.stats(d.id)
            self.assertEqual((d.total, d.new_cards, d.learned, d.due_today, d.suspended, d.leeches),
                             (stats.total, stats.new_cards, stats.learned, stats.due_today, stats.suspended,
                              stats.leeches))
        self.assertEqual(next(iter(coll.decks())).due_today, 1)

    def test_an_empty_collection_has_no_deck(self):
        self.assertEqual(list(self.open().decks()), [])

    def test_the_iterator_is_a_context_manager(self):
        coll, _ = self.open_small()
        with coll.decks() as decks:
            self.assertEqual(next(decks).name, "Small")
        self.assertTrue(decks.closed)


CHOICE_DECK = """deck: Choices

card: pick
type: choice
question: Which one?
answer: Right
wrong: Wrong A
wrong: Wrong B
wrong: Wrong C
"""


class TestRender(support.TempDirTestCase):
    def test_a_basic_card(self):
        coll, _ = self.open_small()
        shown = coll.card("alpha").render()
        self.assertEqual((shown.prompt, shown.answer, shown.extra, shown.options), ("Front A", "Back A", "", []))
        self.assertEqual(shown.type, alliance.CARD_BASIC)

    def test_a_cloze_card(self):
        coll, _ = self.open_small()
        shown = coll.card("charlie::c1").render()
        self.assertEqual(shown.prompt, "The [...] is a bond.")
        self.assertEqual(shown.answer, "The alliance is a bond.")
        self.assertEqual(shown.extra, "from the seed articles")

    def test_a_choice_card_shuffles_reproducibly(self):
        coll = self.open()
        coll.import_deck_data(CHOICE_DECK, "choices.deck")
        card = coll.card("pick")
        shown = card.render()
        self.assertEqual(sorted(shown.options), ["Right", "Wrong A", "Wrong B", "Wrong C"])
        self.assertEqual(shown.options[shown.correct_option], "Right")
        self.assertEqual(shown.answer, "Right")
        self.assertEqual(card.render(seed=0), shown)
        self.assertEqual(card.render(keep_order=True).options, ["Right", "Wrong A", "Wrong B", "Wrong C"])
        # The documented shuffle (FNV-1a of the id XOR the seed, splitmix64, Fisher-Yates).
        self.assertEqual(card.render(seed=0).options, documented_order("pick", ["Right", "Wrong A", "Wrong B",
                                                                               "Wrong C"], 0))
        self.assertEqual(card.render(seed=7).options, documented_order("pick", ["Right", "Wrong A", "Wrong B",
                                                                               "Wrong C"], 7))

    def test_prompt_and_answer_text_come_from_the_library(self):
        coll, _ = self.open_small()
        card = coll.card("charlie::c1")
        self.assertEqual(card.prompt(), card.render().prompt)
        self.assertEqual(card.answer_text(), "The alliance is a bond.\nfrom the seed articles")

    def test_a_card_that_cannot_be_rendered_raises(self):
        coll, _ = self.open_small()
        import dataclasses
        broken = dataclasses.replace(coll.card("charlie::c1"), ordinal=5)  # no deletion 5 in its text
        with self.assertRaises(alliance.InvalidArgument):
            broken.render()


M64 = (1 << 64) - 1


def documented_order(card_id, options, seed):
    h = 14695981039346656037
    for b in card_id.encode():
        h = ((h ^ b) * 1099511628211) & M64
    state = h ^ seed
    order = list(range(len(options)))
    for i in range(len(options) - 1, 0, -1):
        state = (state + 0x9E3779B97F4A7C15) & M64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        z ^= z >> 31
        j = z % (i + 1)
        order[i], order[j] = order[j], order[i]
    return [options[k] for k in order]


class TestVersion(unittest.TestCase):
    def test_version_is_the_headers(self):
        self.assertEqual(alliance.__version__, alliance.capi.VERSION_STRING)
        self.assertRegex(alliance.__version__, r"^\d+\.\d+\.\d+$")

    def test_the_loaded_library_has_the_same_major_version(self):
        self.assertEqual(alliance.library_version_number() // 1000000, alliance.VERSION_NUMBER // 1000000)


APP_DECK = """deck: Mixed
description: one card of each type

card: b
type: basic
front: Capital of France?
back: Paris

card: z
type: cloze
text: The sky is {{c1::blue}} and grass is {{c2::green}}.

card: pick
type: choice
question: Two plus two?
answer: four
wrong: three
wrong: five
"""


class TestApp(support.TempDirTestCase):
    """What an app does with the API alone: list, rename and delete decks, show every card."""

    def test_an_app_manages_decks_and_shows_every_card_type(self):
        coll, small = self.open_small()
        mixed = coll.import_deck_data(APP_DECK, "mixed.deck").deck_id
        self.assertEqual([(d.name, d.total) for d in coll.decks()], [("Small", 3), ("Mixed", 4)])
        shown = {}
        for card in coll.cards(mixed):
            r = card.render(seed=7)
            self.assertTrue(r.prompt, card.id)
            self.assertTrue(r.answer, card.id)
            shown[card.id] = r
        self.assertEqual(shown["b"].prompt, "Capital of France?")
        self.assertEqual(shown["b"].answer, "Paris")
        clozes = sorted(i for i in shown if i.startswith("z"))
        self.assertEqual(len(clozes), 2)
        self.assertNotIn("{{", shown[clozes[0]].prompt)
        self.assertIn("blue", shown[clozes[0]].answer)
        self.assertEqual(sorted(shown["pick"].options), ["five", "four", "three"])
        self.assertEqual(shown["pick"].options, coll.card("pick").render(seed=7).options)  # reproducible

        coll.answer("b", 5)
        with self.assertRaises(alliance.AlreadyExists):
            coll.rename_deck(mixed, "Small")
        coll.rename_deck(mixed, "Everything")
        self.assertEqual(coll.deck_name(mixed), "Everything")
        self.assertEqual(coll.card("b").reviews, 1)
        with self.assertRaises(alliance.InvalidArgument):
            coll.delete_deck("Small")
        self.assertEqual([d.name for d in coll.decks()], ["Small", "Everything"])
        coll.delete_deck("Small", with_cards=True)
        self.assertEqual([d.name for d in coll.decks()], ["Everything"])
        with self.assertRaises(alliance.NotFound):
            coll.card("alpha")
        empty = coll.deck_id("Empty", create=True)
        coll.delete_deck(empty)
        self.assertEqual([d.name for d in coll.decks()], ["Everything"])
        self.assertEqual(coll.verify(), 0)
        self.assertNotIn(small, [d.id for d in coll.decks()])


if __name__ == "__main__":
    unittest.main()
