#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Makes tests/data/v7/collection.db: a schema-version-7 collection (the learner's UTC offset
stored in the file as this device's setting, docs/collection.md) written by this library, with
real use of what version 7 added - an offset set once and stored (-05:00), days counted with it
by a handle opened without one - and of the note API that came with it (a note edited: history
kept, a cloze deletion dropped and suspended; a note deleted with its history), and
tests/data/v7/expected.json: what the library reads back from it.

Later versions must open this file, upgrade it and read back the same
(bindings/python/tests/test_sync.py, TestVersion7Collection). Made once by the code that
introduced schema 7 (regenerate it only if that migration is renumbered before it lands):

    ALLIANCE_LIBRARY=build/lib/liballiance.so.0 PYTHONPATH=bindings/python \\
        python3 tests/data/v7/make_fixture.py tests/data/v7
"""
import json
import os
import shutil
import sqlite3
import sys
import tempfile

import alliance

DAY = 86400
T0 = 1767261600  # 2026-01-01 10:00 UTC (05:00 at -05:00, after the 4:00 rollover)
UTC = -5 * 3600

DECK = ("deck: Five\ndescription: the v7 fixture\n" + "".join(
    "\ncard: f%d\ntype: basic\nfront: Question %d?\nback: Answer %d\ntags: v7\n" % (i, i, i) for i in range(1, 9))
    + "\ncard: z\ntype: cloze\ntext: {{c1::Trust}} builds {{c2::alliance}}.\n")


def main(out_dir):
    work = tempfile.mkdtemp()
    path = os.path.join(work, "collection.db")
    clock = [T0]
    with alliance.Collection(path, clock=lambda: clock[0]) as coll:
        coll.set_utc_offset(UTC)  # stored: later opens without an offset use it
    # a handle opened without an offset: every day below is counted at -05:00
    with alliance.Collection(path, clock=lambda: clock[0]) as coll:
        assert coll.utc_offset() == UTC
        coll.configure(new_per_day=5)
        coll.import_deck_data(DECK.encode(), "five.deck", now=T0)
        grades = [5, 4, 3, 5, 2, 4]
        for day in range(8):
            now = T0 + day * DAY
            clock[0] = now
            with coll.session(0, now=now) as s:
                for n, card in enumerate(s):
                    clock[0] = now + 30 * n
                    s.answer(card, grades[(day + n) % len(grades)], now=now + 30 * n, answer_ms=700 + n)
                    if n == 3:
                        break
        clock[0] = T0 + 8 * DAY
        coll.update_note(alliance.Note("z", "{{c1::Trust}} builds {{c3::bonds}}.", type=alliance.CARD_CLOZE))
        coll.update_note(alliance.Note("f1", "Question one?", "Answer 1", tags="v7 edited"))
        coll.delete_note("f2")
        expected = {
            "made_by": "0.1.0 with the stored UTC offset (schema version 7)",
            "utc_offset_seconds": UTC,
            "stored_utc_offset_seconds": coll.utc_offset(),
            "today_at": {str(T0 + 8 * DAY + h * 3600): coll.today(now=T0 + 8 * DAY + h * 3600) for h in range(-12, 24, 2)},
            "config": coll.config.__dict__,
            "replica_id": coll.replica_id,
            "cards": [c.__dict__ | {"state": c.state.__dict__} for c in coll.cards(0)],
            "reviews": [r.__dict__ | {"before": r.before.__dict__, "after": r.after.__dict__,
                                      "params": r.params.__dict__} for r in coll.reviews()],
            "verify_mismatches": coll.verify(),
        }
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 7
    assert con.execute("SELECT utc_offset FROM sync_self").fetchone()[0] == UTC
    con.close()
    assert not os.path.exists(path + "-wal") or os.path.getsize(path + "-wal") == 0
    shutil.copy(path, os.path.join(out_dir, "collection.db"))
    with open(os.path.join(out_dir, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True, default=lambda o: o.__dict__)
    shutil.rmtree(work)


if __name__ == "__main__":
    main(sys.argv[1])
