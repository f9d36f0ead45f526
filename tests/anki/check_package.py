#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Our .apkg checked by readers no one here wrote.

Usage: check_package.py ALLIANCE-DRILL [--node]

alliance-drill imports a small deck of every card type, answers three cards, and exports the
collection as an .apkg. Then Python's zipfile and sqlite3 check the invariants Anki's schema-11 importer relies
on (always), and, with --node, the npm package anki-reader reads the package back
(read_package.mjs; only where `npm ci` was run in tests/anki).
"""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import zipfile

NOW = ["--now", "2026-01-05T09:00:00Z", "--utc-offset", "+00:00"]

DECK = """\
deck: Package check
description: Every card type, with <b>markup</b> & plain text.
source: art.txt | An Article Title

card: b1
type: basic
front: What is the capital of France?
back: <b>Paris</b>
source: art.txt
quote: Paris is the capital of France.

card: c1
type: cloze
text: The sky is {{c1::blue}} on a clear day.
extra: Rayleigh scattering.

card: b2
type: basic
front: Two & two
back: four
  (on two lines)

card: q1
type: choice
question: What is two plus two?
answer: four
wrong: three
wrong: five
"""


def run(drill, db, *args, stdin=None):
    return subprocess.run([drill, "--db", db, *NOW, *args], input=stdin, capture_output=True, text=True, check=True)


def fail(message):
    print("FAIL:", message)
    sys.exit(1)


def check_schema11(path, cards, notes):
    with zipfile.ZipFile(path) as z:
        names = sorted(z.namelist())
        if names != ["collection.anki2", "media"]:
            fail("members %r" % names)
        if json.loads(z.read("media")) != {}:
            fail("the media map is not empty")
        if z.testzip() is not None:
            fail("a member's CRC is wrong")
        with tempfile.NamedTemporaryFile(suffix=".anki2") as f:
            f.write(z.read("collection.anki2"))
            f.flush()
            c = sqlite3.connect(f.name)
            q = lambda sql: c.execute(sql).fetchall()
            if q("PRAGMA integrity_check") != [("ok",)]:
                fail("integrity_check")
            (ver, crt, conf, models, decks, dconf), = q("SELECT ver, crt, conf, models, decks, dconf FROM col")
            if ver != 11:
                fail("col.ver %r" % ver)
            conf, models, decks, dconf = (json.loads(x) for x in (conf, models, decks, dconf))
            if "1" not in decks or decks["1"]["name"] != "Default":
                fail("no Default deck")
            for d in decks.values():
                if str(d["id"]) not in decks or d["conf"] != 1 or not isinstance(d["name"], str):
                    fail("deck %r" % d)
            if "1" not in dconf:
                fail("no deck config 1")
            for mid, m in models.items():
                if str(m["id"]) != mid or m["type"] not in (0, 1):
                    fail("note type %r" % mid)
                if [f["ord"] for f in m["flds"]] != list(range(len(m["flds"]))):
                    fail("field ords of %r" % m["name"])
                if [t["ord"] for t in m["tmpls"]] != list(range(len(m["tmpls"]))):
                    fail("template ords of %r" % m["name"])
            if q("SELECT count(*) FROM notes")[0][0] != notes or q("SELECT count(*) FROM cards")[0][0] != cards:
                fail("counts %r" % q("SELECT (SELECT count(*) FROM notes), (SELECT count(*) FROM cards)"))
            for nid, guid, mid, flds, csum, sfld in q("SELECT id, guid, mid, flds, csum, sfld FROM notes"):
                m = models.get(str(mid))
                if m is None:
                    fail("note %d: no note type %d" % (nid, mid))
                if len(flds.split("\x1f")) != len(m["flds"]):
                    fail("note %d: %d fields for %d" % (nid, len(flds.split("\x1f")), len(m["flds"])))
                import hashlib
                if int(hashlib.sha1(str(sfld).encode()).hexdigest()[:8], 16) != csum:
                    fail("note %d: csum" % nid)
            if q("SELECT count(*) FROM cards WHERE nid NOT IN (SELECT id FROM notes)")[0][0]:
                fail("a card without its note")
            for did, in q("SELECT DISTINCT did FROM cards"):
                if str(did) not in decks:
                    fail("a card in deck %d, which col.decks lacks" % did)
            if q("SELECT count(*) FROM cards AS c JOIN notes AS n ON n.id = c.nid WHERE "
                 "(n.mid = (SELECT id FROM notes LIMIT 0) OR 1) AND c.ord < 0")[0][0]:
                fail("a negative ord")
            for (mid, ords) in q("SELECT n.mid, group_concat(c.ord) FROM cards c JOIN notes n ON n.id = c.nid GROUP BY c.nid"):
                if models[str(mid)]["type"] == 0 and ords != "0":
                    fail("a standard note's cards are %s" % ords)
            if q("SELECT count(*) FROM revlog WHERE cid NOT IN (SELECT id FROM cards)")[0][0]:
                fail("a review of no card")
            if q("SELECT count(*) FROM revlog WHERE ease NOT BETWEEN 1 AND 4 OR type NOT BETWEEN 0 AND 3")[0][0]:
                fail("a review Anki cannot show")
            reviewed = q("SELECT count(*) FROM cards WHERE type = 2 AND queue = 2 AND ivl >= 1 AND factor >= 1300")[0][0]
            return reviewed, q("SELECT count(*) FROM revlog")[0][0]


def main():
    drill = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "c.db")
        pkg = os.path.join(tmp, "ours.apkg")
        deck = os.path.join(tmp, "check.deck")
        with open(deck, "w", encoding="utf-8") as f:
            f.write(DECK)
        run(drill, db, "import", deck)
        # b1: show, grade 5; c1: show, grade 4; b2: show, grade 1 (failed: due again today).
        run(drill, db, stdin="\n5\n\n4\n\n1\nq\n")
        run(drill, db, "export", "--format", "apkg", "-o", pkg)
        report = json.loads(run(drill, db, "stats", "--json").stdout)
        reviewed, revlog = check_schema11(pkg, report["total"], 4)
        if revlog != 3 or reviewed != 2:
            fail("%d reviews and %d review cards, not 3 and 2" % (revlog, reviewed))
        print("schema 11: ok (%d cards, %d review cards, %d reviews)" % (report["total"], reviewed, revlog))
        if "--node" in sys.argv:
            here = os.path.dirname(os.path.abspath(__file__))
            out = subprocess.run(["node", os.path.join(here, "read_package.mjs"), pkg], capture_output=True,
                                 text=True, check=True).stdout
            found = json.loads(out)
            cards = found.get("Package check")
            if cards is None or len(cards) != report["total"]:
                fail("anki-reader found %r" % {k: len(v) for k, v in found.items()})
            if sum(1 for c in cards if c["type"] == 2 and c["reps"] >= 1) != 2:
                fail("anki-reader does not see the two review cards")
            choice = [c for c in cards if c["fields"].startswith("What is two plus two?")]
            if not choice or choice[0]["fields"].split("\x1f")[1:3] != ["four", "three<br>five"]:
                fail("anki-reader does not see the choice card's answer and wrong options: %r" % choice)
            print("anki-reader: ok (%d cards)" % len(cards))
    print("1 passed, 0 failed")


if __name__ == "__main__":
    main()
