#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Makes tests/data/v4/collection.db: a schema-version-4 collection (study modes,
docs/study-modes.md) written by this library, with real use of what version 4 added -
an exam date on a deck, fuzz turned on (so every row records it, and some moved their due
day), answers on two synced copies, an undo - and tests/data/v4/expected.json: what the
library reads back from it.

Later versions must open this file, upgrade it and read back the same
(bindings/python/tests/test_sync.py, TestVersion4Collection). Made once by the code that
introduced schema 4 (regenerate it only if that migration is renumbered before it lands):

    ALLIANCE_LIBRARY=build/lib/liballiance.so.0 PYTHONPATH=bindings/python \\
        python3 tests/data/v4/make_fixture.py tests/data/v4
"""
import json
import os
import shutil
import sqlite3
import sys
import tempfile

import alliance

DAY = 86400
T0 = 1767261600  # 2026-01-01 10:00 UTC
UTC = 3600
DAY0 = 20454     # the day number of 2026-01-01

DECK = "deck: Four\ndescription: the v4 fixture\n" + "".join(
    "\ncard: t%d\ntype: basic\nfront: Question %d?\nback: Answer %d\ntags: v4\n" % (i, i, i) for i in range(1, 13))


def main(out_dir):
    work = tempfile.mkdtemp()
    laptop_path, phone_path = os.path.join(work, "collection.db"), os.path.join(work, "phone.db")
    clock = [T0]
    with alliance.Collection(laptop_path, utc_offset_seconds=UTC, clock=lambda: clock[0]) as laptop:
        laptop.configure(new_per_day=4)
        laptop.import_deck_data(DECK.encode(), "four.deck", now=T0)
        deck_id = next(iter(laptop.cards(0))).deck_id
        laptop.exam_set(deck_id, DAY0 + 20)  # an exam 20 days after the first day
        laptop.set_study_settings(fuzz=True)
        phone, _ = alliance.Collection.clone(phone_path, laptop.sync_changes(), utc_offset_seconds=UTC,
                                             clock=lambda: clock[0])
        with phone:
            grades = [5, 4, 3, 5, 2, 4, 5, 4]
            for day in range(12):
                for i, coll in enumerate((laptop, phone)):
                    now = T0 + day * DAY + i * 7200
                    clock[0] = now
                    with coll.session(0, now=now) as s:
                        for n, card in enumerate(s):
                            clock[0] = now + 30 * n
                            s.answer(card, grades[(day + n + i) % len(grades)], now=now + 30 * n, answer_ms=800 + n)
                            if n == 4:
                                break
                        if day == 3 and i == 1:
                            s.undo()
                laptop.sync_with(phone)
        deck_id = next(iter(laptop.cards(0))).deck_id
        exam = laptop.exam(deck_id, now=T0 + 11 * DAY)
        expected = {
            "made_by": "0.1.0 with study modes (schema version 4)",
            "utc_offset_seconds": UTC,
            "config": laptop.config.__dict__,
            "replica_id": laptop.replica_id,
            "collection_id": laptop.collection_id.hex(),
            "exam": exam.__dict__,
            "due_days_seen": {c.id: laptop.card_due_day(c.id, now=T0 + 11 * DAY) for c in laptop.cards(0)},
            "cards": [c.__dict__ | {"state": c.state.__dict__} for c in laptop.cards(0)],
            "reviews": [r.__dict__ | {"before": r.before.__dict__, "after": r.after.__dict__,
                                      "params": r.params.__dict__} for r in laptop.reviews()],
            "verify_mismatches": laptop.verify(),
        }
    con = sqlite3.connect(laptop_path)
    expected["review_fuzz"] = [list(r) for r in con.execute(
        "SELECT origin, seq, kind, fuzz, fuzz_days FROM reviews ORDER BY origin, seq")]
    assert con.execute("PRAGMA user_version").fetchone()[0] == 4
    con.close()
    assert not os.path.exists(laptop_path + "-wal") or os.path.getsize(laptop_path + "-wal") == 0
    shutil.copy(laptop_path, os.path.join(out_dir, "collection.db"))
    with open(os.path.join(out_dir, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True, default=lambda o: o.__dict__)
    shutil.rmtree(work)


if __name__ == "__main__":
    main(sys.argv[1])
