#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Makes tests/data/v2/collection.db: a schema-version-2 collection (the first
with sync, docs/sync.md) written by this library, with real use in it - two
copies studied apart and synced, answers on the same card on both, undos on
both, a suspension, a re-import of an edited deck, changed settings - and
tests/data/v2/expected.json: what the library reads back from it.

Later versions must open this file, upgrade it and read back the same
(bindings/python/tests/test_sync.py, TestVersion2Collection). Made once; do not
regenerate it with a later library. Kept for the record of how it was made:

    ALLIANCE_LIBRARY=build/lib/liballiance.so.0 PYTHONPATH=bindings/python \\
        python3 tests/data/v2/make_fixture.py tests/data/v2
"""
import json
import os
import shutil
import sys
import tempfile

import alliance

DAY = 86400
T0 = 1767261600  # 2026-01-01 10:00 UTC
UTC = 3600

DECK = "deck: Two\ndescription: the v2 fixture\n" + "".join(
    "\ncard: t%d\ntype: basic\nfront: Question %d?\nback: Answer %d\ntags: v2\n" % (i, i, i) for i in range(1, 11))


def main(out_dir):
    work = tempfile.mkdtemp()
    laptop_path, phone_path = os.path.join(work, "collection.db"), os.path.join(work, "phone.db")
    clock = [T0]
    with alliance.Collection(laptop_path, utc_offset_seconds=UTC, clock=lambda: clock[0]) as laptop:
        laptop.configure(new_per_day=6, leech_threshold=2)
        laptop.import_deck_data(DECK.encode(), "two.deck", now=T0)
        phone, _ = alliance.Collection.clone(phone_path, laptop.sync_changes(), utc_offset_seconds=UTC,
                                             clock=lambda: clock[0])
        with phone:
            grades = [5, 4, 1, 3, 5, 0, 4, 2]
            for day in range(6):
                for i, coll in enumerate((laptop, phone)):
                    now = T0 + day * DAY + i * (DAY - 3600)  # the phone's clock is almost a day ahead
                    clock[0] = now
                    with coll.session(0, now=now) as s:
                        for n, card in enumerate(s):
                            clock[0] = now + 30 * n
                            s.answer(card, grades[(day + n + i) % len(grades)], now=now + 30 * n, answer_ms=900 + n)
                            if n == 3:
                                break
                        if day in (2, 4) and i == day // 2 - 1:
                            s.undo()
                if day == 1:
                    phone.suspend("t9", now=T0 + day * DAY)
                if day == 3:
                    laptop.import_deck_data(DECK.replace("Question 2?", "Question two?").replace(
                        "\ncard: t10\ntype: basic\nfront: Question 10?\nback: Answer 10\ntags: v2\n", "").encode(),
                        "two.deck", now=T0 + day * DAY)
                    phone.configure(new_per_day=4)
                if day % 2 == 1:
                    laptop.sync_with(phone)
            laptop.sync_with(phone)
        expected = {
            "made_by": "0.1.0 with sync (schema version 2)",
            "utc_offset_seconds": UTC,
            "config": laptop.config.__dict__,
            "replica_id": laptop.replica_id,
            "collection_id": laptop.collection_id.hex(),
            "cards": [c.__dict__ | {"state": c.state.__dict__} for c in laptop.cards(0)],
            "reviews": [r.__dict__ | {"before": r.before.__dict__, "after": r.after.__dict__,
                                      "params": r.params.__dict__} for r in laptop.reviews()],
            "verify_mismatches": laptop.verify(),
        }
    shutil.copy(laptop_path, os.path.join(out_dir, "collection.db"))
    with open(os.path.join(out_dir, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True, default=lambda o: o.__dict__)
    shutil.rmtree(work)


if __name__ == "__main__":
    main(sys.argv[1])
