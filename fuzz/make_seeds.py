#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the seed corpora of the two collection-level fuzz targets.

  fuzz/corpus/open/  small real collections (512-byte pages, so a few KB each)
                     for fuzz_open, which opens arbitrary bytes as a collection;
  fuzz/corpus/note/  NUL-separated notes for fuzz_note_roundtrip (see its header).

Usage (after building the library): PYTHONPATH=bindings/python python3 fuzz/make_seeds.py
The output is deterministic (a fixed clock); re-run it after a schema change and
commit the files. Files named crash-*, timeout-*... in those directories are
regression inputs saved by scripts/fuzz.sh and are left alone.
"""
import os
import sqlite3
import sys

import alliance

HERE = os.path.dirname(os.path.abspath(__file__))
NOW = 1767614400  # 2026-01-05 12:00 UTC, as the suites
DAY = 86400

SMALL_DECK = """deck: Seeds
description: a deck for the fuzzer's seed collections
source: a.txt | An article

card: b1
type: basic
front: What is a seed?
back: Where the fuzzer starts
tags: one two
source: a.txt
quote: A seed is where it starts.

card: z1
type: cloze
text: A {{c1::seed}} grows into a {{c2::tree::plant}}.
extra: botany

card: q1
type: choice
question: Which one is a fruit?
answer: apple
wrong: stone
wrong: chair
"""


def empty_database(path):
    """An empty SQLite database with 512-byte pages: the library makes its schema inside it."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    con = sqlite3.connect(path)
    con.execute("PRAGMA page_size = 512")
    con.execute("CREATE TABLE x (a)")
    con.execute("DROP TABLE x")
    con.commit()
    con.execute("VACUUM")
    con.close()


def collection(path):
    empty_database(path)
    return alliance.Collection(path, utc_offset_seconds=0, synchronous=alliance.SYNC_NORMAL, clock=lambda: NOW)


def write_open_seeds(out):
    os.makedirs(out, exist_ok=True)
    with collection(os.path.join(out, "seed-empty.alliance")):
        pass
    with collection(os.path.join(out, "seed-small.alliance")) as coll:
        report = coll.import_deck_data(SMALL_DECK, "seeds.deck")
        other = coll.deck_id("Other", create=True)
        coll.add_note(other, alliance.Note(id="o1", front="other front", back="other back", tags="t"))
        coll.add_note(other, alliance.Note(id="o2", front="second", back="back"))
        with coll.session(report.deck_id) as session:
            for grade in (5, 2, 4):
                card = session.next_card()
                if card is None:
                    break
                session.answer(card, grade)
        coll.answer("o1", 3, now=NOW + 10)
        coll.answer("o1", 5, now=NOW + 2 * DAY)
        coll.suspend("o2")


NOTES = [
    # deck name, flags, then (type, id, front, back, wrong, tags)...
    ["Seeds", "0",
     "b", "n1", "a front", "a back", "", "tag1 tag2",
     "c", "n2", "which?", "this", "not this\nnor that", "",
     "z", "n3", "a {{c1::cloze}} and {{c2::two::hint}}", "extra", "", "x"],
    ["Déck with  inner blanks", "1",
     "b", "n1", "#first line\n  second line  ", "tabs\tinside", "", "",
     "b", "n|2", "quotes \"and\" 'these'", "semi;colons,commas", "", "a b"],
    ["x", "1", "b", "%3A%3A", "an id like an encoded GUID", "b", "", ""],
]


def write_note_seeds(out):
    os.makedirs(out, exist_ok=True)
    for i, fields in enumerate(NOTES):
        with open(os.path.join(out, "seed-%d" % i), "wb") as f:
            f.write(b"\0".join(x.encode("utf-8") for x in fields))


def main():
    write_open_seeds(os.path.join(HERE, "corpus", "open"))
    write_note_seeds(os.path.join(HERE, "corpus", "note"))
    for name in ("open", "note"):
        d = os.path.join(HERE, "corpus", name)
        for f in sorted(os.listdir(d)):
            print("%s/%s: %d bytes" % (name, f, os.path.getsize(os.path.join(d, f))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
