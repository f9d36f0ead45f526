#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Makes tests/data/v5/collection.db: a schema-version-5 collection (each review records the
scheduler in force and its FSRS parameters, docs/fsrs.md "The scheduler of each review")
written by this library, with real use of what version 5 added - answers under SM-2, then
under FSRS with the default parameters, then with fitted ones, on two synced copies, an undo,
and a switch back to SM-2 that rewrites no record - and tests/data/v5/expected.json: what the
library reads back from it.

Later versions must open this file, upgrade it and read back the same
(bindings/python/tests/test_sync.py, TestVersion5Collection). Made once by the code that
introduced schema 5 (regenerate it only if that migration is renumbered before it lands):

    ALLIANCE_LIBRARY=build/lib/liballiance.so.0 PYTHONPATH=bindings/python \\
        python3 tests/data/v5/make_fixture.py tests/data/v5
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

DECK = "deck: Five\ndescription: the v5 fixture\n" + "".join(
    "\ncard: f%d\ntype: basic\nfront: Question %d?\nback: Answer %d\ntags: v5\n" % (i, i, i) for i in range(1, 11))


def study(laptop, phone, days, first, clock, undo_on=None):
    grades = [5, 4, 3, 5, 2, 4, 5, 4, 1]
    for day in range(first, first + days):
        for i, coll in enumerate((laptop, phone)):
            now = T0 + day * DAY + i * 7200
            clock[0] = now
            with coll.session(0, now=now) as s:
                for n, card in enumerate(s):
                    clock[0] = now + 30 * n
                    s.answer(card, grades[(day + n + i) % len(grades)], now=now + 30 * n, answer_ms=700 + n)
                    if n == 4:
                        break
                if undo_on == (day, i):
                    s.undo()
        laptop.sync_with(phone)


def main(out_dir):
    work = tempfile.mkdtemp()
    laptop_path, phone_path = os.path.join(work, "collection.db"), os.path.join(work, "phone.db")
    clock = [T0]
    with alliance.Collection(laptop_path, utc_offset_seconds=UTC, clock=lambda: clock[0]) as laptop:
        laptop.configure(new_per_day=3)
        laptop.import_deck_data(DECK.encode(), "five.deck", now=T0)
        phone, _ = alliance.Collection.clone(phone_path, laptop.sync_changes(), utc_offset_seconds=UTC,
                                             clock=lambda: clock[0])
        with phone:
            study(laptop, phone, 4, 0, clock)                       # SM-2
            laptop.set_scheduler(alliance.SCHEDULER_FSRS, now=T0 + 4 * DAY)
            laptop.sync_with(phone)
            study(laptop, phone, 4, 4, clock, undo_on=(5, 1))       # FSRS, the defaults
            fitted = alliance.FSRSParams(weights=(0.3,) + alliance.FSRSParams().weights[1:], desired_retention=0.85)
            phone.set_fsrs_params(fitted, now=T0 + 8 * DAY)
            laptop.sync_with(phone)
            study(laptop, phone, 4, 8, clock)                       # FSRS, fitted
            laptop.set_scheduler(alliance.SCHEDULER_SM2, now=T0 + 12 * DAY)
            laptop.sync_with(phone)
        expected = {
            "made_by": "0.1.0 with the scheduler of each review (schema version 5)",
            "utc_offset_seconds": UTC,
            "config": laptop.config.__dict__,
            "replica_id": laptop.replica_id,
            "collection_id": laptop.collection_id.hex(),
            "scheduler": laptop.scheduler,
            "fsrs_params": laptop.fsrs_params.__dict__,
            "cards": [{k: v for k, v in c.__dict__.items() if k not in ("retrievability_day", "fsrs_retrievability")}
                      | {"state": c.state.__dict__, "fsrs": c.fsrs.__dict__} for c in laptop.cards(0)],
            "reviews": [r.__dict__ | {"before": r.before.__dict__, "after": r.after.__dict__,
                                      "params": r.params.__dict__} for r in laptop.reviews()],
            "verify_mismatches": laptop.verify(),
        }
    con = sqlite3.connect(laptop_path)
    expected["param_sets"] = [list(r) for r in con.execute("SELECT id, params FROM fsrs_param_sets ORDER BY id")]
    expected["review_record"] = [list(r) for r in con.execute(
        "SELECT origin, seq, scheduler, fsrs_params FROM reviews ORDER BY origin, seq")]
    assert con.execute("PRAGMA user_version").fetchone()[0] == 5
    con.close()
    schedulers = {r[2] for r in expected["review_record"]}
    assert schedulers == {0, 1}, schedulers
    assert len(expected["param_sets"]) == 2, expected["param_sets"]
    assert not os.path.exists(laptop_path + "-wal") or os.path.getsize(laptop_path + "-wal") == 0
    shutil.copy(laptop_path, os.path.join(out_dir, "collection.db"))
    with open(os.path.join(out_dir, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True, default=lambda o: o.__dict__)
    shutil.rmtree(work)


if __name__ == "__main__":
    main(sys.argv[1])
