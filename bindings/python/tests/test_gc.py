# SPDX-License-Identifier: MIT
"""Handles freed by Python's garbage collector in any order: no crash, no leak.

The library's contract (include/alliance.h): closing a collection detaches the
sessions and iterators still open on it, and those must still be freed, before
or after. Python may finalise a Collection, its Sessions and iterators in any
order (reference cycles are collected in an unspecified one), so every order is
exercised here, many times; the sanitizer build runs this under ASan. Leaks of
the library's own allocations are counted with a custom allocator in a fresh
interpreter (the allocator must be installed before any object exists).
"""

import gc
import itertools
import textwrap
import unittest

import alliance
import support

ROUNDS = 25


def open_everything(tmp_path, clock):
    """A collection with a session mid-way, a card iterator and a review iterator mid-way."""
    coll = alliance.Collection(tmp_path, utc_offset_seconds=0, clock=clock)
    if coll.stats().total == 0:
        coll.import_deck_data(support.SMALL_DECK, "small.deck")
    session = coll.session()
    card = session.next_card()
    if card is not None:
        session.answer(card, 3)
    cards = coll.cards()
    next(cards)
    reviews = coll.reviews()
    next(reviews, None)
    return {"collection": coll, "session": session, "cards": cards, "reviews": reviews}


class TestGarbageCollection(support.TempDirTestCase):
    def test_every_deletion_order(self):
        names = ["collection", "session", "cards", "reviews"]
        for order in itertools.permutations(names):
            with self.subTest(order=order):
                objects = open_everything(self.path("gc.alliance"), self.clock)
                for name in order:
                    del objects[name]
                    gc.collect()
        # The file is intact and every handle is gone: it opens and verifies.
        with alliance.Collection(self.path("gc.alliance"), clock=self.clock) as coll:
            self.assertEqual(coll.verify(), 0)

    def test_reference_cycles_collected_together(self):
        for _ in range(ROUNDS):
            objects = open_everything(self.path("cycle.alliance"), self.clock)
            coll = objects["collection"]
            # Cycles through the collection: the collector finalises them in an order of its choosing.
            coll.keep = objects
            objects["session"].back = coll
            del objects, coll
            gc.collect()

    def test_explicit_close_then_garbage(self):
        for i in range(ROUNDS):
            objects = open_everything(self.path("close.alliance"), self.clock)
            objects["collection"].close()
            with self.assertRaises(alliance.MisuseError):
                objects["session"].next_card()
            with self.assertRaises(alliance.MisuseError):
                next(objects["cards"])
            if i % 2:
                objects["session"].close()  # explicit close after the collection's
            del objects
            gc.collect()

    def test_children_keep_the_collection_object_alive(self):
        objects = open_everything(self.path("alive.alliance"), self.clock)
        session = objects.pop("session")
        del objects
        gc.collect()
        self.assertFalse(session.collection.closed)
        self.assertIsNotNone(session.counts())
        session.collection.close()
        self.assertTrue(session.collection.closed)

    def test_dropping_iterators_half_way(self):
        coll, _ = self.open_small()
        for _ in range(ROUNDS * 4):
            it = coll.cards()
            next(it)
            del it
            rit = coll.reviews()
            del rit
        gc.collect()
        self.assertEqual(len(list(coll.cards())), 3)

    def test_a_collection_that_failed_to_open_is_finalised_quietly(self):
        path = self.path("not-a-collection")
        with open(path, "wb") as f:
            f.write(b"\x00garbage" * 512)
        for _ in range(ROUNDS):
            with self.assertRaises(alliance.Error):
                alliance.Collection(path)
        gc.collect()


LEAK_SCRIPT = textwrap.dedent("""
    import gc, itertools, sys
    sys.path.insert(0, %(tests)r)
    import alliance, support

    counting = support.CountingAllocator()
    alliance.set_allocator(counting)  # before any object of the library exists
    import test_gc

    path, clock = %(path)r, support.FakeClock()
    names = ["collection", "session", "cards", "reviews"]
    for order in itertools.permutations(names):
        objects = test_gc.open_everything(path, clock)
        for name in order:
            del objects[name]
            gc.collect()
    for _ in range(5):
        objects = test_gc.open_everything(path, clock)
        objects["collection"].keep = objects
        del objects
        gc.collect()
        objects = test_gc.open_everything(path, clock)
        objects["collection"].close()
        del objects
        gc.collect()
    gc.collect()
    print("allocations", counting.total, "live", len(counting.live), "unknown frees", counting.unknown)
    sys.exit(0 if counting.total > 0 and not counting.live and not counting.unknown else 1)
""")


class TestNoLeak(support.TempDirTestCase):
    def test_no_allocation_of_the_library_outlives_its_handles(self):
        script = LEAK_SCRIPT % {"tests": support.HERE, "path": self.path("leak.alliance")}
        result = support.run_python(["-c", script])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertRegex(result.stdout, r"allocations [1-9]\d* live 0 unknown frees 0")


if __name__ == "__main__":
    unittest.main()
