#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Makes tests/data/v3/collection.db: a schema-version-3 collection (FSRS in the
collection, docs/fsrs.md) written by this library, with a mixed history: two copies
studied a week under SM-2 and synced, fitted FSRS parameters set on the phone, the
collection switched to FSRS there, studied a week under FSRS on both (with failed
cards drilled the same day), synced - and tests/data/v3/expected.json: what the
library reads back from it. It is left scheduled by SM-2 (the switch back is part
of its history), so tests/test_fsrs_collection.c opens it as it opens v1 and v2.

Later versions must open this file, upgrade it and read back the same. Made once; do
not regenerate it with a later library. Kept for the record of how it was made:

    ALLIANCE_LIBRARY=build/lib/liballiance.so.0 PYTHONPATH=bindings/python \\
        python3 tests/data/v3/make_fixture.py tests/data/v3
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

DECK = "deck: Three\ndescription: the v3 fixture\n" + "".join(
    "\ncard: f%d\ntype: basic\nfront: Question %d?\nback: Answer %d\ntags: v3\n" % (i, i, i) for i in range(1, 13))

# A fitted set (as the optimizer would hand back): the defaults nudged, so that they differ.
WEIGHTS = tuple(round(w * (1.0 + 0.01 * ((i % 5) - 2)), 4) for i, w in enumerate(alliance.FSRS6_DEFAULT_WEIGHTS))


def study(coll, day, grades, offset, clock):
    now = T0 + day * DAY + offset
    clock[0] = now
    with coll.session(0, now=now) as s:
        for n, card in enumerate(s):
            clock[0] = now + 30 * n
            s.answer(card, grades[(day + n) % len(grades)], now=now + 30 * n, answer_ms=800 + n)
            if n == 14:
                break


def main(out_dir):
    work = tempfile.mkdtemp()
    laptop_path, phone_path = os.path.join(work, "collection.db"), os.path.join(work, "phone.db")
    clock = [T0]
    with alliance.Collection(laptop_path, utc_offset_seconds=UTC, clock=lambda: clock[0]) as laptop:
        laptop.configure(new_per_day=8, leech_threshold=3)
        laptop.import_deck_data(DECK.encode(), "three.deck", now=T0)
        phone, _ = alliance.Collection.clone(phone_path, laptop.sync_changes(), utc_offset_seconds=UTC,
                                             clock=lambda: clock[0])
        with phone:
            for day in range(7):  # SM-2
                study(laptop, day, [5, 4, 1, 3, 4, 0, 5], 0, clock)
                study(phone, day, [4, 2, 5, 4, 3], 7200, clock)
                if day % 3 == 2:
                    laptop.sync_with(phone)
            laptop.sync_with(phone)
            phone.set_fsrs_params(alliance.FSRSParams(weights=WEIGHTS, desired_retention=0.88), now=T0 + 7 * DAY)
            phone.set_scheduler(alliance.SCHEDULER_FSRS, now=T0 + 7 * DAY)
            laptop.sync_with(phone)
            for day in range(7, 14):  # FSRS: grade 1 = Again, 3 hard, 4 good, 5 easy
                study(laptop, day, [4, 1, 4, 5, 3, 4], 0, clock)
                study(phone, day, [1, 4, 4, 3, 5], 7200, clock)
                if day % 3 == 0:
                    laptop.sync_with(phone)
            laptop.sync_with(phone)
            laptop.set_scheduler(alliance.SCHEDULER_SM2, now=T0 + 14 * DAY)
            laptop.sync_with(phone)
        expected = {
            "made_by": "0.1.0 with FSRS in the collection (schema version 3)",
            "utc_offset_seconds": UTC,
            "config": laptop.config.__dict__,
            "scheduler": laptop.scheduler,
            "fsrs_params": laptop.fsrs_params.__dict__,
            "replica_id": laptop.replica_id,
            "collection_id": laptop.collection_id.hex(),
            "cards": [c.__dict__ | {"state": c.state.__dict__, "fsrs": c.fsrs.__dict__} for c in laptop.cards(0)],
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
