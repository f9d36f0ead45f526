# SPDX-License-Identifier: MIT
"""One Collection shared by Python threads: ctypes releases the GIL during each call and the
library serialises calls on the handle, so concurrent use is safe and every error keeps its own
code and message (the first version of this test caught messages of other threads' calls)."""

import threading
import unittest

import alliance
import support

THREADS = 4
ROUNDS = 60


class TestThreads(support.TempDirTestCase):
    def test_concurrent_reads_and_failures_on_one_collection(self):
        coll, deck = self.open_small()
        errors = []

        def reader():
            try:
                for _ in range(ROUNDS):
                    self.assertEqual(coll.card("alpha").front, "Front A")
                    self.assertEqual(coll.stats(deck).total, 3)
                    self.assertEqual(len(list(coll.cards(deck))), 3)
            except BaseException as e:  # reported by the main thread
                errors.append(e)

        def failer(n):
            try:
                for i in range(ROUNDS):
                    ghost = "ghost-%d-%d" % (n, i)
                    with self.assertRaises(alliance.NotFound) as cm:
                        coll.card(ghost)
                    self.assertEqual(cm.exception.code, alliance.capi.ENOTFOUND)
                    # alliance_errmsg reports the last failure of any thread on the handle: the binding
                    # reads it under the collection's lock, so the message is this call's own.
                    self.assertIn(ghost, cm.exception.message)
            except BaseException as e:
                errors.append(e)

        threads = [threading.Thread(target=reader) for _ in range(THREADS)]
        threads += [threading.Thread(target=failer, args=(n,)) for n in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])

    def test_sessions_in_threads_answer_different_cards(self):
        coll, _ = self.open_small()
        answered = []
        lock = threading.Lock()

        def answer(card_id):
            state = coll.answer(card_id, 5)
            with lock:
                answered.append((card_id, state.interval_days))

        threads = [threading.Thread(target=answer, args=(i,)) for i in support.SMALL_IDS]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(answered), sorted((i, 1) for i in support.SMALL_IDS))
        self.assertEqual(coll.verify(), 0)
        self.assertEqual(len(list(coll.reviews())), 3)


if __name__ == "__main__":
    unittest.main()
