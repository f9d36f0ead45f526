#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Makes tests/data/v6/collection.db: a schema-version-6 collection (Anki history,
docs/anki.md) written by this library, with real use of what version 6 added - Anki's
review log imported from an .apkg (tests/data/anki/anki-legacy-cloze-learning.apkg) on two
synced copies that each imported it (one row kept per import key), answers given after the
imported history, an undo - and tests/data/v6/expected.json: what the library reads back.

Later versions must open this file, upgrade it and read back the same
(bindings/python/tests/test_sync.py, TestVersion6Collection). Made once by the code that
introduced schema 6 (regenerate it only if that migration is renumbered before it lands):

    ALLIANCE_LIBRARY=build/lib/liballiance.so.0 PYTHONPATH=bindings/python \\
        python3 tests/data/v6/make_fixture.py tests/data/v6
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
UTC = 0
PACKAGE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "anki", "anki-legacy-cloze-learning.apkg")


def main(out_dir):
    work = tempfile.mkdtemp()
    laptop_path, phone_path = os.path.join(work, "collection.db"), os.path.join(work, "phone.db")
    clock = [T0]
    with alliance.Collection(laptop_path, utc_offset_seconds=UTC, clock=lambda: clock[0]) as laptop:
        phone, _ = alliance.Collection.clone(phone_path, laptop.sync_changes(), utc_offset_seconds=UTC,
                                             clock=lambda: clock[0])
        with phone:
            # Both copies import the same package on their own: two events per import key.
            laptop.import_deck(PACKAGE, format=alliance.capi.FORMAT_APKG, now=T0)
            clock[0] = T0 + 60
            phone.import_deck(PACKAGE, format=alliance.capi.FORMAT_APKG, now=T0 + 60)
            grades = [4, 5, 3, 4, 1, 5]
            for day in range(4):
                for i, coll in enumerate((laptop, phone)):
                    now = T0 + day * DAY + i * 7200
                    clock[0] = now
                    with coll.session(0, now=now) as s:
                        for n, card in enumerate(s):
                            clock[0] = now + 30 * n
                            s.answer(card, grades[(day + n + i) % len(grades)], now=now + 30 * n, answer_ms=900 + n)
                            if n == 2:
                                break
                        if day == 1 and i == 0:
                            s.undo()
                laptop.sync_with(phone)
        expected = {
            "made_by": "0.1.0 with Anki history (schema version 6)",
            "utc_offset_seconds": UTC,
            "config": laptop.config.__dict__,
            "replica_id": laptop.replica_id,
            "collection_id": laptop.collection_id.hex(),
            "cards": [c.__dict__ | {"state": c.state.__dict__} for c in laptop.cards(0)],
            "reviews": [r.__dict__ | {"before": r.before.__dict__, "after": r.after.__dict__,
                                      "params": r.params.__dict__} for r in laptop.reviews()],
            "verify_mismatches": laptop.verify(),
        }
    con = sqlite3.connect(laptop_path)
    expected["review_imports"] = [list(r) for r in con.execute(
        "SELECT origin, seq, import_id, import_due_day, import_reviews, import_lapses FROM reviews "
        "WHERE import_id <> 0 ORDER BY origin, seq")]
    assert con.execute("PRAGMA user_version").fetchone()[0] == 6
    con.close()
    assert expected["verify_mismatches"] == 0
    assert len(expected["review_imports"]) == 6, expected["review_imports"]
    assert not os.path.exists(laptop_path + "-wal") or os.path.getsize(laptop_path + "-wal") == 0
    shutil.copy(laptop_path, os.path.join(out_dir, "collection.db"))
    with open(os.path.join(out_dir, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True, default=lambda o: o.__dict__)
    shutil.rmtree(work)


if __name__ == "__main__":
    main(sys.argv[1])
