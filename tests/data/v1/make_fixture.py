#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Makes tests/data/v1/collection.db: a schema-version-1 collection written by
liballiance 0.1.0 (commit 50230e7, whose schema is 0.1.0's), with real use in it,
and tests/data/v1/expected.json: what 0.1.0's own API reads back from it (every
card, every review, the settings, the SM-2 parameters, stats and forecast).

Later versions must open this file, upgrade it in one transaction and read back
the same cards and reviews (tests/test_migration.c). It was made once, with
0.1.0; do not regenerate it with a later library (that would no longer be a
version-1 file). Kept for the record of how it was made:

    ALLIANCE_LIBRARY=build/lib/liballiance.so.0 PYTHONPATH=bindings/python \
        python3 tests/data/v1/make_fixture.py tests/data/v1
"""
import json
import os
import shutil
import sys
import tempfile

import alliance

DAY = 86400
T0 = 1767261600  # 2026-01-01 10:00 UTC
UTC = 3600       # the learner is at UTC+1


def deck_text(path, drop=(), edit=None, extra=""):
    """The bundled deck with some notes dropped, one edited and some added."""
    text = open(path, encoding="utf-8").read()
    blocks = text.split("\n\n")
    kept = []
    for b in blocks:
        ident = next((l[6:] for l in b.splitlines() if l.startswith("card: ")), None)
        if ident in drop:
            continue
        if edit and ident == edit[0]:
            b = b.replace(edit[1], edit[2])
        kept.append(b)
    return "\n\n".join(kept) + extra


def main(out_dir):
    # The deck as 0.1.0 bundled it (its first edition, kept for the lint's tests).
    src = os.path.join(os.path.dirname(__file__), "..", "lint", "first-edition.deck")
    work = tempfile.mkdtemp()
    path = os.path.join(work, "collection.db")
    clock = [T0]
    with alliance.Collection(path, utc_offset_seconds=UTC, clock=lambda: clock[0]) as coll:
        coll.configure(new_per_day=12, leech_threshold=2)
        rep = coll.import_deck(src, now=T0)
        deck = rep.deck_id
        # a second deck, from Anki text
        anki = "#separator:tab\n#html:false\n#deck:Second deck\nWhat is SM-2?\tA scheduler\nWhat is a lapse?\tA forgotten card\n"
        coll.import_deck_data(anki.encode(), "second.txt", format=alliance.FORMAT_ANKI_TEXT, now=T0)
        coll.add_note(deck, alliance.Note(type=alliance.CARD_BASIC, id="added-by-api",
                                          front="Front added through the API", back="Its back"), now=T0 + 60)
        grades = [5, 4, 3, 2, 5, 1, 4, 4, 0, 5, 3, 5, 2, 4]
        g = 0
        for day in range(10):
            now = T0 + day * DAY
            clock[0] = now
            if day == 5:  # the learner switches to the classic reading half-way
                coll.sm2_params = alliance.SM2Params.preset_defaults(alliance.SM2_CLASSIC)
            with coll.session(0, now=now) as s:
                answered = 0
                for card in s:
                    clock[0] = now + answered * 30
                    s.answer(card, grades[g % len(grades)], now=clock[0], answer_ms=1000 + g)
                    g += 1
                    answered += 1
                    if answered == 20:
                        break
                if day in (1, 6):
                    s.undo()
            if day == 2:
                first = next(iter(coll.cards(deck)))
                coll.suspend(first.id, now=now)
            if day == 3:
                cards = list(coll.cards(deck))
                coll.suspend(cards[1].id, now=now)
                coll.unsuspend(cards[1].id, now=now + 10)
                coll.bury(cards[2].id, now=now)
            if day == 4:  # re-import an edited deck: one note dropped, one edited, one new
                text = deck_text(src, drop=("a0-not-rules",),
                                 edit=("a0-warmth-trust-change", "The warmth and trust", "The warmth and the trust"),
                                 extra="\n\ncard: v1-new-note\ntype: basic\nfront: A note new in the second import\nback: yes\n")
                coll.import_deck_data(text.encode(), "therapeutic-alliance.deck", now=now)
        coll.set_utc_offset(UTC)
        expected = {
            "made_by": alliance.version_string() if hasattr(alliance, "version_string") else "0.1.0",
            "utc_offset_seconds": UTC,
            "config": coll.config.__dict__ if hasattr(coll.config, "__dict__") else None,
            "cards": [c.__dict__ | {"state": c.state.__dict__} for c in coll.cards(0)],
            "reviews": [r.__dict__ | {"before": r.before.__dict__, "after": r.after.__dict__,
                                      "params": r.params.__dict__} for r in coll.reviews()],
            "verify_mismatches": coll.verify(),
        }
    shutil.copy(path, os.path.join(out_dir, "collection.db"))
    with open(os.path.join(out_dir, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True, default=lambda o: o.__dict__)
    shutil.rmtree(work)


if __name__ == "__main__":
    main(sys.argv[1])
