#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of alliance-drill: they run the real binary.

Usage: e2e.py PATH/TO/alliance-drill GROUP
GROUP is one of: cli, simulate, session, pty, kill, week, lint, verify (one ctest test each).

Every test works in a fresh temporary directory with its own --db, HOME and
XDG_DATA_HOME, so a learner's real collection is never touched. Time is
pinned with --now and --utc-offset so that runs are reproducible.
"""
import csv
import fcntl
import io
import json
import shlex
import os
import re
import select
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
import unittest

BINARY = None
SOURCE_DIR = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
NOW = "2026-01-05T09:00:00Z"   # a Monday, 09:00 UTC
UTC = ["--utc-offset", "+00:00"]

TEST_DECK = """\
# A small deck whose cards cover the three card types.
deck: Test deck
source: art.txt | An Article Title

card: b1
type: basic
front: What is the capital of France?
back: Paris
source: art.txt
quote: Paris is the capital of France.

card: c1
type: cloze
text: The sky is {{c1::blue}} on a clear day.
extra: Rayleigh scattering.

card: q1
type: choice
question: What is two plus two?
answer: four
wrong: three
wrong: five
wrong: twenty-two
"""

BASIC_DECK = "deck: Basics\n" + "".join(
    "\ncard: k%d\ntype: basic\nfront: Question number %d?\nback: Answer %d\n" % (i, i, i) for i in range(1, 6))

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def plain(text):
    return ANSI.sub("", text)


# --- the documented option order of choice cards (alliance_card_render, seed 0)

M64 = (1 << 64) - 1


def fnv1a64(text):
    h = 14695981039346656037
    for b in text.encode():
        h ^= b
        h = (h * 1099511628211) & M64
    return h


def shuffled(card_id, options):
    """The order alliance-drill shows options in: FNV-1a seeds splitmix64, Fisher-Yates."""
    order = list(range(len(options)))
    state = fnv1a64(card_id)
    for i in range(len(options) - 1, 0, -1):
        state = (state + 0x9E3779B97F4A7C15) & M64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        z ^= z >> 31
        j = z % (i + 1)
        order[i], order[j] = order[j], order[i]
    return [options[k] for k in order]


def letter_of(card_id, options, answer):
    return "abcdefghijklmnopqrstuvwxyz"[shuffled(card_id, options).index(answer)]


class DrillTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="drill-e2e-")
        self.dir = self.tmp.name
        self.db = os.path.join(self.dir, "collection.db")
        self.env = dict(os.environ)
        self.env["HOME"] = os.path.join(self.dir, "home")
        self.env["XDG_DATA_HOME"] = os.path.join(self.dir, "xdg")
        self.env.pop("NO_COLOR", None)
        self.env["LC_ALL"] = "C.UTF-8"
        os.makedirs(self.env["HOME"])

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def run_drill(self, *args, stdin="", env=None, db=True, cwd=None):
        argv = [BINARY]
        if db:
            argv += ["--db", self.db]
        argv += list(args)
        p = subprocess.run(argv, input=stdin, capture_output=True, text=True, env=env or self.env,
                           cwd=cwd or self.dir, timeout=120)
        self.assertNotIn("ERROR: AddressSanitizer", p.stderr)
        self.assertNotIn("runtime error", p.stderr)
        return p

    def ok(self, *args, **kw):
        p = self.run_drill(*args, **kw)
        self.assertEqual(p.returncode, 0, "exit %d\nstdout:\n%s\nstderr:\n%s" % (p.returncode, p.stdout, p.stderr))
        return p

    def fails(self, code, *args, **kw):
        p = self.run_drill(*args, **kw)
        self.assertEqual(p.returncode, code, "stdout:\n%s\nstderr:\n%s" % (p.stdout, p.stderr))
        lines = p.stderr.strip("\n").split("\n")
        self.assertEqual(len(lines), 1, "a one-line message, got:\n" + p.stderr)
        self.assertTrue(lines[0].startswith("alliance-drill: "), lines[0])
        return lines[0]

    def cards(self, *extra):
        p = self.ok("list", "--json", *extra)
        return {c["id"]: c for c in json.loads(p.stdout)}

    def stats(self, now=NOW):
        return json.loads(self.ok("stats", "--json", "--now", now, *UTC).stdout)

    def session(self, stdin, *extra, now=NOW):
        return self.ok("--now", now, *UTC, *extra, stdin=stdin)


# --- bad arguments, bad files, the non-interactive commands ------------------

class Cli(DrillTest):
    def test_help_lists_every_command_and_option_with_examples(self):
        out = self.ok("--help", db=False).stdout
        for word in ["drill", "import FILE", "export", "stats", "list", "search TEXT", "undo", "decks rename OLD NEW",
                     "decks delete NAME", "--with-cards", "note delete ID", "--keep-history",
                     "simulate GRADES", "lint FILE", "--db", "--deck", "--now", "--utc-offset", "--json",
                     "--format", "--output", "--preset", "--scheduler", "--retention", "fsrs-csv",
                     "--sources", "--help", "--version", "alliance-drill import", "alliance-drill lint",
                     "scheduler [sm2 | fsrs", "--weights"]:
            self.assertIn(word, out)
        self.assertIn("Exit status", out)

    def test_version_names_the_library_too(self):
        out = self.ok("--version", db=False).stdout
        self.assertRegex(out, r"^alliance-drill \d+\.\d+\.\d+ \(liballiance \d+\.\d+\.\d+\)\n$")

    def test_usage_errors_exit_2_with_one_line(self):
        self.assertIn("--frobnicate", self.fails(2, "--frobnicate"))
        self.assertIn("dance", self.fails(2, "dance"))
        self.assertIn("--now", self.fails(2, "--now", "yesterday", "stats"))
        self.assertIn("--now", self.fails(2, "--now", "2026-02-30T10:00:00Z", "stats"))
        self.assertIn("--utc-offset", self.fails(2, "--utc-offset", "+25:00", "stats"))
        self.fails(2, "import")
        self.fails(2, "search")
        self.fails(2, "--db")
        self.fails(2, "simulate")
        self.fails(2, "simulate", "5", "7")
        self.fails(2, "--preset", "fancy", "simulate", "5")
        self.fails(2, "--format", "pdf", "export")
        self.fails(2, "--json", "undo")
        self.fails(2, "list", "extra")
        self.assertFalse(os.path.exists(self.db), "a usage error must not create the collection")

    def test_user_errors_exit_1_with_one_line(self):
        self.assertIn("no-such.deck", self.fails(1, "import", os.path.join(self.dir, "no-such.deck")))
        self.assertIn("no collection", self.fails(1, "stats", db=False))
        self.ok("--now", NOW, "import", self.write("t.deck", TEST_DECK))
        self.assertIn("nothing to undo", self.fails(1, "undo"))
        self.assertIn("not in the collection", self.fails(1, "list", "--deck", self.write(
            "other.deck", "deck: Other\n\ncard: o1\ntype: basic\nfront: f\nback: b\n")))
        self.assertIn("no deck called", self.fails(1, "export", "No such deck"))
        self.assertRegex(self.fails(1, "--deck", self.write("broken.deck", "deck: B\n\ncard: x\ntype: odd\n")),
                         r"broken\.deck:4:\d+")
        not_a_db = self.write("notes.txt", "just some text, not SQLite\n" * 100)
        self.fails(1, "--db", not_a_db, "stats")

    def test_malformed_deck_names_file_line_and_column(self):
        bad = self.write("bad.deck", "deck: Broken\n\ncard: x1\ntype: basic\nfrnot: oops\nback: b\n")
        line = self.fails(1, "import", bad)
        self.assertRegex(line, r"bad\.deck:5:1")
        p = self.run_drill("import", "--json", bad)
        self.assertEqual(p.returncode, 1)
        report = json.loads(p.stdout)
        self.assertFalse(report["ok"])
        self.assertGreaterEqual(report["error_count"], 1)
        self.assertRegex(report["errors"][0], r"bad\.deck:5:1")

    def test_import_reports_then_reimport_changes_nothing(self):
        deck = self.write("t.deck", TEST_DECK)
        out = self.ok("--now", NOW, "import", deck).stdout
        self.assertIn("Test deck", out)
        self.assertIn("3 new", out)
        report = json.loads(self.ok("--now", NOW, "import", "--json", deck).stdout)
        self.assertTrue(report["ok"])
        self.assertEqual((report["added"], report["updated"], report["unchanged"]), (0, 0, 3))

    def test_export_round_trips(self):
        deck = self.write("t.deck", TEST_DECK)
        self.ok("--now", NOW, "import", deck)
        out = self.ok("export").stdout
        self.assertIn("deck: Test deck", out)
        self.assertIn("card: q1", out)
        again = os.path.join(self.dir, "again.deck")
        self.ok("export", "-o", again)
        report = json.loads(self.ok("--now", NOW, "import", "--json", again).stdout)
        self.assertEqual((report["added"], report["updated"], report["unchanged"]), (0, 0, 3))
        anki = self.ok("export", "--format", "anki").stdout
        self.assertIn("capital of France", anki)

    def test_apkg_export_and_import_are_told_apart_by_content(self):
        deck = self.write("t.deck", TEST_DECK)
        self.ok("--now", NOW, "import", deck)
        pkg = os.path.join(self.dir, "deck.apkg")
        self.ok("--now", NOW, "export", "--format", "apkg", "-o", pkg)
        with open(pkg, "rb") as f:
            self.assertEqual(f.read(4), b"PK\x03\x04")
        # A copy with a name that says nothing: the content tells it is a package.
        plain = os.path.join(self.dir, "no-extension")
        with open(pkg, "rb") as f, open(plain, "wb") as g:
            g.write(f.read())
        report = json.loads(self.ok("--now", NOW, "import", "--json", plain).stdout)
        self.assertEqual((report["added"], report["updated"], report["unchanged"]), (0, 0, 3))
        self.assertEqual([d["deck_name"] for d in report["decks"]], ["Test deck"])
        # Anki text is told from our format too.
        anki = self.write("notes.txt", self.ok("export", "--format", "anki").stdout)
        report = json.loads(self.ok("--now", NOW, "import", "--json", anki).stdout)
        self.assertEqual(report["unchanged"], 3)

    def test_a_deck_file_with_a_tab_on_its_first_line_imports_as_ours(self):
        # A tab inside a deck name is allowed; the format detection took such a file for Anki text.
        deck = self.write("tab.deck", "deck: Tab\there\n\ncard: c1\ntype: basic\nfront: f\nback: b\n")
        report = json.loads(self.ok("--now", NOW, "import", "--json", deck).stdout)
        self.assertEqual(report["added"], 1)
        again = os.path.join(self.dir, "again.deck")
        self.ok("export", "-o", again)
        report = json.loads(self.ok("--now", NOW, "import", "--json", again).stdout)
        self.assertEqual((report["added"], report["unchanged"]), (0, 1))
        commented = self.write("c.deck", "# Spanish\tvocabulary\n" + TEST_DECK)
        self.assertEqual(json.loads(self.ok("--now", NOW, "import", "--json", commented).stdout)["added"], 3)

    def test_list_and_search_json_is_valid_and_escaped(self):
        tricky = ('deck: Tricky\n\ncard: t1\ntype: basic\nfront: Say "hi" \\ back\\slash\n'
                  '  and a second line\tTab\nback: ok\n')
        self.ok("--now", NOW, "import", self.write("tricky.deck", tricky))
        self.ok("--now", NOW, "import", self.write("t.deck", TEST_DECK))
        cards = self.cards()
        self.assertEqual(cards["t1"]["front"], 'Say "hi" \\ back\\slash\nand a second line\tTab')
        self.assertEqual(len(cards), 4)
        self.assertEqual(cards["b1"]["due_date"], None)
        found = json.loads(self.ok("search", "CAPITAL", "--json").stdout)
        self.assertEqual([c["id"] for c in found], ["b1"])
        text = self.ok("search", "capital").stdout
        self.assertIn("b1", text)
        self.assertIn("1 card match", text)
        self.assertEqual(json.loads(self.ok("search", "zzz-nothing", "--json").stdout), [])

    def test_decks_list_rename_and_delete(self):
        self.ok("--now", NOW, "import", self.write("t.deck", TEST_DECK))
        self.ok("--now", NOW, "import", self.write("tricky.deck", 'deck: Tricky "one"\n\ncard: t1\ntype: basic\n'
                                                                  'front: f\nback: b\n'))
        decks = json.loads(self.ok("decks", "--json").stdout)
        self.assertEqual([d["name"] for d in decks], ["Test deck", 'Tricky "one"'])
        self.assertEqual([d["cards"] for d in decks], [3, 1])
        self.assertIn("2 decks.", self.ok("decks").stdout)
        self.ok("--now", NOW, *UTC, stdin="\n5\n")  # one answer to the first card
        answered = [c for c in self.cards().values() if c["reviews"] > 0]
        self.assertEqual(len(answered), 1)
        # rename: refused onto a taken name, then done with the cards and their history
        self.assertIn("already a deck called", self.fails(1, "decks", "rename", "Test deck", 'Tricky "one"'))
        self.assertIn("no deck called", self.fails(1, "decks", "rename", "Nope", "X"))
        self.assertIn("Renamed", self.ok("decks", "rename", "Test deck", "Capitals").stdout)
        self.assertEqual([d["name"] for d in json.loads(self.ok("decks", "--json").stdout)], ["Capitals", 'Tricky "one"'])
        self.assertEqual(self.cards()[answered[0]["id"]]["reviews"], 1)
        # delete: refused while it has cards, unless --with-cards
        self.assertIn("--with-cards", self.fails(1, "decks", "delete", "Capitals"))
        self.assertEqual(len(self.cards()), 4)
        self.ok("decks", "delete", "Capitals", "--with-cards")
        self.assertEqual(sorted(self.cards()), ["t1"])
        self.assertEqual([d["name"] for d in json.loads(self.ok("decks", "--json").stdout)], ['Tricky "one"'])
        self.assertIn("healthy", self.ok("verify").stdout)
        # usage errors
        self.fails(2, "decks", "bogus")
        self.fails(2, "decks", "rename", "Tricky")
        self.fails(2, "decks", "delete")
        self.fails(2, "list", "--with-cards")
        self.fails(2, "decks", "rename", "a", "b", "--json")

    def test_note_delete_with_or_without_history(self):
        self.ok("--now", NOW, "import", self.write("t.deck", TEST_DECK))
        self.ok("--now", NOW, *UTC, stdin="\n5\n")  # one answer to the first card
        before = self.cards()
        self.assertEqual(len(before), 3)
        answered = [i for i, c in before.items() if c["reviews"] > 0][0]
        others = sorted(i for i in before if i != answered)
        note = answered.split("::")[0]
        self.assertIn("Suspended", self.ok("note", "delete", note, "--keep-history").stdout)
        self.assertEqual(self.cards()[answered]["reviews"], 1)
        self.assertIn("Deleted", self.ok("note", "delete", note).stdout)
        self.assertEqual(sorted(self.cards()), others)
        self.assertIn("no note 'nope'", self.fails(1, "note", "delete", "nope"))
        self.assertIn("healthy", self.ok("verify").stdout)
        # usage errors
        self.fails(2, "note")
        self.fails(2, "note", "bogus", "x")
        self.fails(2, "note", "delete", "a", "b")
        self.fails(2, "list", "--keep-history")

    def test_stats_text_and_json(self):
        self.ok("--now", NOW, "import", self.write("t.deck", TEST_DECK))
        st = self.stats()
        self.assertEqual((st["total"], st["new"], st["reviews"]), (3, 3, 0))
        self.assertEqual(len(st["forecast"]), 30)
        self.assertIsNone(st["retention"])
        out = self.ok("stats", "--now", NOW, *UTC).stdout
        self.assertIn("Retention", out)
        self.assertIn("Due in the next 30 days", out)

    def test_works_from_any_directory(self):
        elsewhere = os.path.join(self.dir, "elsewhere")
        os.makedirs(elsewhere)
        p = self.ok("--now", NOW, *UTC, stdin="q\n", cwd=elsewhere)
        self.assertIn("Therapeutic alliance", p.stdout)


# --- pure SM-2 ---------------------------------------------------------------

class Simulate(DrillTest):
    def intervals(self, *args):
        doc = json.loads(self.ok("simulate", "--json", *args, db=False).stdout)
        return [s["interval_days"] for s in doc["steps"]], doc

    def test_supermemo_five_fives(self):
        got, doc = self.intervals("5", "5", "5", "5", "5")
        self.assertEqual(got, [1, 6, 17, 50, 150])
        self.assertEqual(doc["preset"], "supermemo")
        self.assertEqual([s["repetitions"] for s in doc["steps"]], [1, 2, 3, 4, 5])

    def test_classic_five_fives(self):
        got, _ = self.intervals("--preset", "classic", "5", "5", "5", "5", "5")
        self.assertEqual(got, [1, 6, 16, 45, 131])

    def test_text_table(self):
        out = self.ok("simulate", "5", "5", "5", "5", "5", db=False).stdout
        rows = [line.split() for line in out.splitlines() if re.match(r"^\s+\d+\s+\d", line)]
        self.assertEqual([int(r[4]) for r in rows], [1, 6, 17, 50, 150])
        self.assertEqual([r[3] for r in rows], ["2.60", "2.70", "2.80", "2.90", "3.00"])

    def fsrs_steps(self, ratings, retention=None):
        args = ["simulate", "--json", "--scheduler", "fsrs"]
        if retention is not None:
            args += ["--retention", repr(retention)]
        doc = json.loads(self.ok(*args, *map(str, ratings), db=False).stdout)
        self.assertEqual(doc["scheduler"], "fsrs")
        return doc["steps"]

    def test_fsrs_agrees_with_ts_fsrs_when_each_answer_is_on_its_due_day(self):
        # tests/fsrs/vectors.txt (ts-fsrs 5.4.2): every sequence under the default weights,
        # up to the first answer not given on the day the previous one scheduled.
        defaults = "0.212 1.2931 2.3065 8.2956 6.4133 0.8334 3.0194 0.001 1.8722 0.1666 0.796 " \
                   "1.4835 0.0614 0.2629 1.6483 0.6014 1.8729 0.5425 0.0912 0.0658 0.1542"
        params, seqs, seq = {}, [], None
        with open(os.path.join(SOURCE_DIR, "tests", "fsrs", "vectors.txt")) as f:
            for line in f:
                w = line.split()
                if w and w[0] == "params" and " ".join(w[4:25]) == defaults and w[3] == "36500":
                    params[w[1]] = float(w[2])
                elif w and w[0] == "seq":
                    seq = {"retention": params.get(w[2]), "steps": [], "open": w[2] in params}
                    seqs.append(seq)
                elif w and w[0] == "step" and seq and seq["open"]:
                    elapsed, rating = int(w[1]), int(w[2])
                    due = seq["steps"][-1][3] if seq["steps"] else 0
                    if elapsed != due:
                        seq["open"] = False
                        continue
                    s, d, i = w[4 + 3 * (rating - 1): 7 + 3 * (rating - 1)]
                    seq["steps"].append((rating, float(s), float(d), int(i)))
        checked = 0
        for seq in seqs:
            if seq["retention"] is None or len(seq["steps"]) < 2:
                continue
            got = self.fsrs_steps([st[0] for st in seq["steps"]], seq["retention"])
            for want, step in zip(seq["steps"], got):
                self.assertEqual((step["stability"], step["difficulty"], step["interval_days"]), want[1:])
                checked += 1
        self.assertGreaterEqual(checked, 20)

    def test_fsrs_text_table(self):
        out = self.ok("simulate", "--scheduler", "fsrs", "3", "3", "1", db=False).stdout
        self.assertIn("desired retention 0.9", out)
        rows = [line.split() for line in out.splitlines() if re.match(r"^\s+\d+\s+[a-z]", line)]
        self.assertEqual([r[1] for r in rows], ["good", "good", "again"])
        self.assertEqual([r[2] for r in rows], ["0", "3", "14"])   # elapsed: each on its due day
        self.assertEqual([r[3] for r in rows], ["-", "88.1%", "89.9%"])
        self.assertEqual([r[4] for r in rows], ["2.31", "13.83", "1.73"])
        self.assertEqual([r[6] for r in rows], ["3", "14", "2"])

    def test_fsrs_usage_errors(self):
        self.assertIn("rating", self.fails(2, "simulate", "--scheduler", "fsrs", "3", "5", db=False))
        self.assertIn("ratings (1-4)", self.fails(2, "simulate", "--scheduler", "fsrs", db=False))
        self.assertIn("--retention", self.fails(2, "simulate", "--scheduler", "fsrs", "--retention", "0", "3",
                                                db=False))
        self.assertIn("--retention", self.fails(2, "simulate", "--scheduler", "fsrs", "--retention", "1.5", "3",
                                                db=False))
        self.assertIn("--retention", self.fails(2, "simulate", "--retention", "0.8", "5", db=False))
        self.assertIn("--scheduler", self.fails(2, "simulate", "--scheduler", "sm3", "5", db=False))
        self.assertIn("--preset", self.fails(2, "simulate", "--scheduler", "fsrs", "--preset", "classic", "3",
                                             db=False))
        self.assertIn("--scheduler", self.fails(2, "stats", "--scheduler", "fsrs"))

    def test_a_lapse_starts_over(self):
        _, doc = self.intervals("5", "5", "1")
        last = doc["steps"][-1]
        self.assertEqual(last["repetitions"], 0)
        self.assertEqual(last["due_in_days"], 0, "supermemo: a failed card is repeated the same day")
        _, doc = self.intervals("--preset", "classic", "5", "5", "1")
        self.assertEqual(doc["steps"][-1]["repetitions"], 0)
        self.assertEqual(doc["steps"][-1]["interval_days"], 1)


# --- scripted sessions through piped stdin ----------------------------------

class Session(DrillTest):
    def setUp(self):
        super().setUp()
        self.deck = self.write("t.deck", TEST_DECK)
        self.basics = self.write("basics.deck", BASIC_DECK)

    def test_a_whole_session(self):
        pick = letter_of("q1", ["four", "three", "five", "twenty-two"], "four")
        p = self.session("\n5\n" "\n4\n" + pick + "\n\n", "--deck", self.deck)
        out = p.stdout
        self.assertIn("1/3", out)
        self.assertIn("What is the capital of France?", out)
        self.assertIn("Paris", out)
        self.assertIn("The sky is [...] on a clear day.", out)
        self.assertIn("The sky is blue on a clear day.", out)
        self.assertIn("Rayleigh scattering.", out)
        self.assertIn('"Paris is the capital of France."', out)
        self.assertIn("Source: An Article Title (art.txt)", out)
        self.assertIn("Right!", out)
        self.assertIn("<- suggested", out)
        for line in ["5 perfect", "4 good", "3 hard", "2 wrong", "1 wrong", "0 blackout"]:
            self.assertIn(line, out)
        options = shuffled("q1", ["four", "three", "five", "twenty-two"])
        for i, text in enumerate(options):
            self.assertIn("%s) %s" % ("abcd"[i], text), out)
        self.assertIn("All done for today.", out)
        self.assertRegex(out, r"Studied\s+3 cards \(3 answers\)")
        self.assertRegex(out, r"Right\s+3\s+wrong 0")
        self.assertRegex(out, r"Tomorrow\s+3 cards due")
        self.assertNotIn("\x1b[", out, "no colour when stdout is not a terminal")
        cards = self.cards()
        self.assertEqual(cards["b1"]["efactor"], 2.6)
        self.assertEqual(cards["b1"]["due_date"], "2026-01-06")
        self.assertEqual(cards["c1::c1"]["efactor"], 2.5)
        self.assertEqual(cards["q1"]["efactor"], 2.5, "Enter accepted the suggested 4")
        self.assertEqual([c["reviews"] for c in cards.values()], [1, 1, 1])
        self.assertEqual(self.stats()["reviews"], 3)

    def test_html_from_anki_is_shown_as_text(self):
        anki = ("#separator:tab\n#html:true\n#deck:Html\n"
                "What is <b>SM-2</b>?<br>Name it.\t<ul><li>a scheduler</li></ul>&amp; more [sound:a.mp3]\n")
        self.ok("--now", NOW, "import", self.write("h.txt", anki))
        out = self.session("\n5\n").stdout
        self.assertIn("What is SM-2?", out)
        self.assertIn("Name it.", out)
        self.assertIn("- a scheduler", out)
        self.assertIn("& more [sound]", out)
        self.assertNotIn("<b>", out)
        self.assertNotIn("<li>", out)
        listed = self.ok("list").stdout
        self.assertIn("What is SM-2?", listed)
        self.assertNotIn("<b>", listed)

    def test_a_wrong_pick_suggests_1(self):
        wrong = letter_of("q1", ["four", "three", "five", "twenty-two"], "three")
        p = self.session("\n5\n\n5\n" + wrong + "\n\nq\n", "--deck", self.deck)
        self.assertIn("Wrong.", p.stdout)
        self.assertEqual(self.cards()["q1"]["reviews"], 1)
        self.assertEqual(self.cards()["q1"]["repetitions"], 0)

    def test_choice_order_is_reproducible(self):
        def options(out):
            return [line for line in out.splitlines() if re.match(r"^    [a-d]\) ", line)]
        a = self.session("\n5\n\n5\nq\n", "--deck", self.deck).stdout
        b = self.session("q\n", "--deck", self.deck).stdout  # q1 comes first now
        self.assertEqual(len(options(a)), 4)
        self.assertEqual(options(a), options(b))

    def test_a_failed_card_comes_back_the_same_day(self):
        p = self.session("\n2\n" + "\n5\n" * 12, "--deck", self.basics)
        out = p.stdout
        self.assertEqual(out.count("Question number 1?"), 2)
        self.assertIn("to repeat", out)
        self.assertIn("again today", out)
        self.assertRegex(out, r"Studied\s+5 cards \(6 answers\)")
        self.assertRegex(out, r"Right\s+5\s+wrong 1")
        k1 = self.cards()["k1"]
        self.assertEqual(k1["reviews"], 2)
        self.assertFalse(k1["repeat_today"])

    def test_the_review_log_exports_as_the_fsrs_optimizer_reads_it(self):
        # Day 0: k1 failed (2 -> again), k2 good (4), k3 k4 k5 easy (5), then k1's repeat the same
        # day (5 -> easy, learning); day 1: k1 again (5, a review).
        self.session("\n2\n\n4\n\n5\n\n5\n\n5\n\n5\n", "--deck", self.basics)
        self.session("\n5\nq\n", "--deck", self.basics, now="2026-01-06T09:00:00Z")
        out = self.ok("export", "--format", "fsrs-csv").stdout
        rows = list(csv.DictReader(io.StringIO(out)))
        self.assertEqual(out.splitlines()[0], "card_id,review_time,review_rating,review_state,review_duration")
        t0 = 1767603600000  # 2026-01-05T09:00:00Z in ms
        got = [(r["card_id"], int(r["review_time"]), int(r["review_rating"]), int(r["review_state"]))
               for r in rows]
        # --now holds time still: a card's answers in one second are 1 ms apart.
        self.assertEqual(got, [("k1", t0, 1, 0), ("k1", t0 + 1, 4, 1), ("k1", t0 + 86400000, 4, 2),
                               ("k2", t0, 3, 0), ("k3", t0, 4, 0), ("k4", t0, 4, 0), ("k5", t0, 4, 0)])
        self.assertTrue(all(r["review_duration"].isdigit() for r in rows))
        path = os.path.join(self.dir, "revlog.csv")
        report = self.ok("export", "--format", "fsrs-csv", "-o", path, *UTC).stdout
        self.assertIn("Exported 7 answers to", report)
        self.assertIn("next_day_starts_at 4", report)
        self.assertIn("UTC offset +00:00", report)
        with open(path) as f:
            self.assertEqual(f.read(), out)
        self.assertEqual(self.ok("export", "--format", "fsrs-csv", "Basics").stdout, out)
        self.assertIn("no deck called", self.fails(1, "export", "--format", "fsrs-csv", "Nope"))
        self.assertIn("fsrs-csv", self.fails(2, "import", "--format", "fsrs-csv", path))

    def test_the_fsrs_export_refuses_subdecks_rather_than_ignore_it(self):
        # alliance_review_export_fsrs exports one deck or every deck: --subdecks, which asks for
        # "DECK and the decks under it", was accepted and silently dropped (only DECK came out).
        self.session("\n5\n\n5\nq\n", "--deck", self.basics)
        err = self.fails(2, "export", "--format", "fsrs-csv", "Basics", "--subdecks")
        self.assertIn("--subdecks", err)
        self.assertIn("fsrs-csv", err)

    def test_quit_keeps_the_answers_given(self):
        p = self.session("\n5\n\n4\nq\n", "--deck", self.basics)
        self.assertIn("See you soon.", p.stdout)
        self.assertEqual(self.stats()["reviews"], 2)

    def test_end_of_input_quits_cleanly(self):
        p = self.session("\n5\n\n", "--deck", self.basics)
        self.assertRegex(p.stdout, r"Studied\s+1 card \(1 answer\)")
        self.assertEqual(self.stats()["reviews"], 1)

    def test_undo_shows_the_card_again(self):
        p = self.session("\n5\nu\n\n3\nq\n", "--deck", self.basics)
        self.assertIn("Undone", p.stdout)
        self.assertEqual(p.stdout.count("Question number 1?"), 2)
        k1 = self.cards()["k1"]
        self.assertEqual((k1["reviews"], k1["efactor"]), (1, 2.36))
        self.assertEqual(self.stats()["reviews"], 1)

    def test_suspend(self):
        p = self.session("s\n\n5\nq\n", "--deck", self.basics)
        self.assertIn("Suspended k1", p.stdout)
        cards = self.cards()
        self.assertTrue(cards["k1"]["suspended"])
        self.assertEqual(cards["k1"]["reviews"], 0)
        self.assertEqual(cards["k2"]["reviews"], 1)

    def test_undo_command(self):
        self.session("\n5\n\n5\nq\n", "--deck", self.basics)
        out = self.ok("undo").stdout
        self.assertIn("k2", out)
        self.ok("undo")
        self.assertIn("nothing to undo", self.fails(1, "undo"))

    def test_first_run_imports_the_bundled_deck(self):
        p = self.ok("--now", NOW, *UTC, stdin="q\n", db=False)
        self.assertIn("Welcome", p.stdout)
        path = os.path.join(self.env["XDG_DATA_HOME"], "alliance", "collection.db")
        self.assertIn(path, p.stdout)
        self.assertTrue(os.path.exists(path))
        total = json.loads(self.ok("stats", "--json", db=False).stdout)["total"]
        self.assertEqual(total, 72)  # the bundled deck's cards (70 notes, README)
        self.assertIn("20 new", p.stdout)
        again = self.ok("--now", NOW, *UTC, stdin="q\n", db=False)
        self.assertNotIn("Welcome", again.stdout)
        self.assertEqual(json.loads(self.ok("stats", "--json", db=False).stdout)["total"], total)

    def test_without_xdg_it_uses_local_share(self):
        env = dict(self.env)
        del env["XDG_DATA_HOME"]
        self.ok("--now", NOW, *UTC, stdin="q\n", db=False, env=env)
        self.assertTrue(os.path.exists(os.path.join(env["HOME"], ".local/share/alliance/collection.db")))


# --- a real terminal ----------------------------------------------------------

class Pty(DrillTest):
    def spawn(self, *args, no_color=False):
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 80, 0, 0))
        env = dict(self.env, TERM="xterm-256color")
        if no_color:
            env["NO_COLOR"] = "1"

        def controlling_tty():
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        proc = subprocess.Popen([BINARY, "--db", self.db, "--now", NOW, *UTC, *args], stdin=slave, stdout=slave,
                                stderr=slave, env=env, cwd=self.dir, preexec_fn=controlling_tty)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        self.addCleanup(self.close_fds)
        self.master, self.slave, self.proc, self.screen = master, slave, proc, ""
        return proc

    def close_fds(self):
        for fd in (self.master, self.slave):
            if fd is not None:
                os.close(fd)

    def expect(self, pattern, timeout=30):
        """Reads the terminal until `pattern` (a regex) appears in the plain text; returns all read."""
        deadline = time.time() + timeout
        while not re.search(pattern, plain(self.screen)):
            left = deadline - time.time()
            if left <= 0:
                self.fail("timed out waiting for %r; the screen shows:\n%s" % (pattern, plain(self.screen)[-2000:]))
            r, _, _ = select.select([self.master], [], [], min(left, 0.5))
            if r:
                try:
                    self.screen += os.read(self.master, 65536).decode("utf-8", "replace")
                except OSError:
                    pass
        return self.screen

    def send(self, keys):
        os.write(self.master, keys.encode())

    def wait_exit(self):
        code = self.proc.wait(timeout=60)
        time.sleep(0.05)
        r, _, _ = select.select([self.master], [], [], 0.2)
        if r:
            try:
                self.screen += os.read(self.master, 65536).decode("utf-8", "replace")
            except OSError:
                pass
        return code

    def assert_terminal_restored(self):
        attrs = termios.tcgetattr(self.slave)
        self.assertTrue(attrs[3] & termios.ICANON, "canonical mode restored")
        self.assertTrue(attrs[3] & termios.ECHO, "echo restored")

    def test_what_the_learner_sees(self):
        self.spawn("--deck", self.write("t.deck", TEST_DECK))
        self.expect(r"Any key shows the answer")
        text = plain(self.screen)
        self.assertIn("1/3", text)
        self.assertIn("What is the capital of France?", text)
        self.assertNotIn("Paris", text, "the answer stays hidden until a key is pressed")
        self.assertIn("\x1b[", self.screen, "colour on a terminal")
        attrs = termios.tcgetattr(self.slave)
        self.assertFalse(attrs[3] & termios.ICANON, "raw mode while drilling")
        self.send(" ")  # one keystroke, no Enter
        self.expect(r"0 blackout")
        text = plain(self.screen)
        self.assertIn("Paris", text)
        self.assertIn("5 perfect", text)
        self.assertIn("Source: An Article Title (art.txt)", text)
        self.send("5")
        self.expect(r"2/3")
        self.expect(r"The sky is \[\.\.\.\] on a clear day\.")
        self.send("q")
        self.expect(r"Studied\s+1 card")
        self.assertEqual(self.wait_exit(), 0)
        self.assert_terminal_restored()

    def test_no_colour_with_NO_COLOR(self):
        self.spawn("--deck", self.write("t.deck", TEST_DECK), no_color=True)
        self.expect(r"Any key shows the answer")
        self.send(" ")
        self.expect(r"0 blackout")
        self.send("q")
        self.assertEqual(self.wait_exit(), 0)
        self.assertNotIn("\x1b[", self.screen)

    def test_ctrl_c_quits_cleanly(self):
        self.spawn("--deck", self.write("basics.deck", BASIC_DECK))
        self.expect(r"Any key shows the answer")
        self.send(" ")
        self.expect(r"0 blackout")
        self.send("4")
        self.expect(r"2/5")
        self.send("\x03")
        self.expect(r"Studied\s+1 card")
        self.assertEqual(self.wait_exit(), 0)
        self.assert_terminal_restored()
        self.assertEqual(self.stats()["reviews"], 1)

    def test_sigterm_restores_the_terminal(self):
        self.spawn("--deck", self.write("basics.deck", BASIC_DECK))
        self.expect(r"Any key shows the answer")
        self.proc.send_signal(signal.SIGTERM)
        self.assertEqual(self.wait_exit(), -signal.SIGTERM)
        self.assert_terminal_restored()

    def test_ctrl_d_quits(self):
        self.spawn("--deck", self.write("basics.deck", BASIC_DECK))
        self.expect(r"Any key shows the answer")
        self.send("\x04")
        self.expect(r"See you soon")
        self.assertEqual(self.wait_exit(), 0)


# --- SIGKILL mid-session --------------------------------------------------------

    def test_a_card_answered_elsewhere_meanwhile_is_skipped_not_fatal(self):
        deck = self.write("basics.deck", BASIC_DECK)
        self.spawn("--deck", deck)
        self.expect(r"Question number 1\?[\s\S]*Any key shows the answer")
        # Another process (another window) answers the card on the screen first.
        self.session("\n5\nq\n", "--deck", deck)
        self.assertEqual(self.cards()["k1"]["reviews"], 1)
        self.send(" ")
        self.expect(r"Answer 1[\s\S]*Your grade")
        self.send("3")
        self.expect(r"answered elsewhere[\s\S]*Question number 2\?[\s\S]*Any key shows the answer")
        self.send(" ")
        self.expect(r"Answer 2[\s\S]*Your grade")
        self.send("4")
        self.expect(r"Question number 3\?")
        self.send("q")
        self.assertEqual(self.wait_exit(), 0)
        cards = self.cards()
        self.assertEqual([cards["k%d" % i]["reviews"] for i in (1, 2)], [1, 1])

    def test_a_deck_deleted_elsewhere_meanwhile_ends_the_session_cleanly(self):
        # review-decks: another window deletes the deck (with its cards) while its card is on the
        # screen; the grade given then is for a card that is gone: said plainly, not a fatal error.
        self.spawn("--deck", self.write("basics.deck", BASIC_DECK))
        self.expect(r"Question number 1\?[\s\S]*Any key shows the answer")
        self.send(" ")
        self.expect(r"Answer 1[\s\S]*Your grade")
        self.send("4")
        self.expect(r"Question number 2\?[\s\S]*Any key shows the answer")
        self.ok("decks", "delete", "Basics", "--with-cards")
        self.send(" ")
        self.expect(r"Answer 2[\s\S]*Your grade")
        self.send("3")
        self.expect(r"deleted elsewhere")
        self.assertEqual(self.wait_exit(), 0)
        self.assertEqual(self.cards(), {})
        self.assertEqual(self.stats()["reviews"], 0)


class Kill(Pty):
    def test_answers_before_a_kill_survive(self):
        self.spawn("--deck", self.write("basics.deck", BASIC_DECK))
        for n in range(1, 4):
            self.expect(r"%d/5" % n)
            self.expect(r"Question number %d\?[\s\S]*Any key shows the answer" % n)
            self.send(" ")
            self.expect(r"Answer %d[\s\S]*Your grade" % n)
            self.send("5")
        self.expect(r"Question number 4\?")
        self.proc.send_signal(signal.SIGKILL)
        self.assertEqual(self.proc.wait(timeout=30), -signal.SIGKILL)
        self.assertEqual(self.stats()["reviews"], 3)
        cards = self.cards()
        self.assertEqual([cards["k%d" % i]["reviews"] for i in range(1, 6)], [1, 1, 1, 0, 0])
        for _ in range(3):
            self.ok("undo")
        self.fails(1, "undo")
        # The collection is healthy after the kill: a new session picks up where it was.
        self.ok("--now", NOW, *UTC, "--deck", os.path.join(self.dir, "basics.deck"), stdin="q\n")


    def test_a_closed_terminal_loses_nothing(self):
        self.spawn("--deck", self.write("basics.deck", BASIC_DECK))
        for n in range(1, 3):
            self.expect(r"Question number %d\?[\s\S]*Any key shows the answer" % n)
            self.send(" ")
            self.expect(r"Answer %d[\s\S]*Your grade" % n)
            self.send("4")
        self.expect(r"Question number 3\?")
        os.close(self.master)  # the terminal window goes away
        self.master = None
        self.proc.wait(timeout=30)
        self.assertEqual(self.stats()["reviews"], 2)


# --- the health check ---------------------------------------------------------------

class Verify(DrillTest):
    def setUp(self):
        super().setUp()
        self.ok("--now", NOW, "import", self.write("basics.deck", BASIC_DECK))
        self.session("\n5\n\n3\nq\n")

    def raw(self):
        import sqlite3
        return sqlite3.connect(self.db)

    def test_a_healthy_collection_exits_0(self):
        out = self.ok("verify").stdout
        self.assertIn("integrity_check: ok", out)
        self.assertIn("5 cards", out)
        self.assertIn("healthy", out)
        doc = json.loads(self.ok("verify", "--json").stdout)
        self.assertEqual((doc["ok"], doc["integrity"], doc["mismatches"], doc["cards"]), (True, ["ok"], 0, 5))

    def test_a_schedule_that_is_not_its_log_exits_1(self):
        with self.raw() as con:
            con.execute("UPDATE cards SET interval_days = 99 WHERE id = 'k1'")
        p = self.run_drill("verify")
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("k1", p.stdout)
        p = self.run_drill("verify", "--json")
        self.assertEqual(p.returncode, 1)
        doc = json.loads(p.stdout)
        self.assertEqual((doc["ok"], doc["integrity"], doc["mismatches"], doc["first_mismatch"]),
                         (False, ["ok"], 1, "k1"))

    def test_every_card_verify_counts_is_named(self):
        # alliance_verify compares the state, the due day, the last review's day and the number of
        # reviews: a card that differs only in the last two is counted, and must be named too.
        with self.raw() as con:
            answered = [r[0] for r in con.execute("SELECT id FROM cards WHERE reviews > 0 ORDER BY id")]
            self.assertGreaterEqual(len(answered), 2, answered)
            con.execute("UPDATE cards SET last_review_day = last_review_day - 1 WHERE id = ?", (answered[0],))
            con.execute("UPDATE cards SET reviews = reviews + 1 WHERE id = ?", (answered[1],))
        p = self.run_drill("verify", "--json")
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        doc = json.loads(p.stdout)
        self.assertEqual((doc["ok"], doc["mismatches"]), (False, 2), doc)
        self.assertIn(doc["first_mismatch"], answered[:2], doc)
        out = self.run_drill("verify").stdout
        for card in answered[:2]:
            self.assertIn(" " + card, out)
        self.assertNotIn("...", out)

    def test_a_damaged_file_exits_1_with_what_sqlite_found(self):
        with self.raw() as con:
            root = con.execute("SELECT rootpage FROM sqlite_schema WHERE name = 'cards_order'").fetchone()[0]
            page_size = con.execute("PRAGMA page_size").fetchone()[0]
        with open(self.db, "r+b") as f:
            page = (root - 1) * page_size
            f.seek(page + 3)  # a leaf index page: its number of cells, then (at 8) their pointers
            cells = int.from_bytes(f.read(2), "big")
            f.seek(page + 8 + 2 * (cells - 1))  # the last record: k5, at position 4
            cell = int.from_bytes(f.read(2), "big")
            # payload size, then the record header (size, deck_id, position, ordinal, rowid),
            # then the values: the position's one byte comes first.
            f.seek(page + cell + 6)
            byte = f.read(1)
            self.assertEqual(byte, b"\x04")
            f.seek(page + cell + 6)
            f.write(b"\x44")
        p = self.run_drill("verify", "--json")
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        doc = json.loads(p.stdout)
        self.assertFalse(doc["ok"])
        self.assertNotEqual(doc["integrity"], ["ok"])
        self.assertTrue(any("cards_order" in line for line in doc["integrity"]), doc["integrity"])
        out = self.run_drill("verify").stdout
        self.assertIn("damaged", out)

    def test_a_collection_too_damaged_to_open_is_reported_in_json_too(self):
        with self.raw() as con:
            con.execute("DELETE FROM config")  # the settings row: alliance_open refuses the file
        p = self.run_drill("verify", "--json")
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        doc = json.loads(p.stdout)
        self.assertFalse(doc["ok"])
        self.assertEqual(doc["path"], self.db)
        self.assertIn("settings row", doc["error"])
        p = self.run_drill("verify")
        self.assertEqual(p.returncode, 1)
        self.assertIn("settings row", p.stderr)

    def test_verify_changes_nothing_and_is_in_the_help(self):
        with open(self.db, "rb") as f:
            before = f.read()
        self.ok("verify")
        with open(self.db, "rb") as f:
            self.assertEqual(f.read(), before)
        self.assertIn("verify", self.ok("--help", db=False).stdout)


# --- a week of study --------------------------------------------------------------

class Week(DrillTest):
    def day(self, n, hour=9):
        return "2026-01-%02dT%02d:00:00Z" % (5 + n, hour)

    def test_five_five_five_comes_back_after_1_then_6_days(self):
        deck = self.write("basics.deck", "deck: One\n\ncard: only\ntype: basic\nfront: The one question?\nback: Yes\n")
        shown_on = []
        for n in range(0, 9):
            p = self.session("\n5\n" * 3, "--deck", deck, now=self.day(n))
            if "The one question?" in p.stdout:
                shown_on.append(n)
                self.assertIn("All done for today.", p.stdout)
            else:
                self.assertIn("Nothing to study today.", p.stdout)
        self.assertEqual(shown_on, [0, 1, 7])
        card = self.cards()["only"]
        self.assertEqual(card["reviews"], 3)
        self.assertEqual(card["repetitions"], 3)
        # Day 7 + the third SM-2 interval, as `simulate 5 5 5` says.
        sim = json.loads(self.ok("simulate", "--json", "5", "5", "5", db=False).stdout)
        third = sim["steps"][2]["interval_days"]
        self.assertEqual(card["interval_days"], third)
        self.assertEqual(card["due_date"], "2026-01-%02d" % (12 + third) if 12 + third <= 31
                         else "2026-02-%02d" % (12 + third - 31))

    def test_eight_lapses_make_a_leech(self):
        deck = self.write("basics.deck", "deck: One\n\ncard: only\ntype: basic\nfront: The one question?\nback: Yes\n")
        self.session("\n5\n", "--deck", deck, now=self.day(0))
        for n in range(1, 9):
            out = self.session("\n1\n\n5\n", "--deck", deck, now=self.day(n)).stdout
            self.assertEqual("now a leech" in out, n == 8, "day %d:\n%s" % (n, out))
        card = self.cards()["only"]
        self.assertEqual((card["lapses"], card["leech"], card["suspended"]), (8, True, True))
        self.assertIn("Nothing to study today.", self.session("\n5\n", "--deck", deck, now=self.day(9)).stdout)

    def test_the_day_starts_at_the_rollover_hour(self):
        deck = self.write("basics.deck", "deck: One\n\ncard: only\ntype: basic\nfront: The one question?\nback: Yes\n")
        self.session("\n5\n", "--deck", deck, now=self.day(0))
        # 02:00 on day 1 still belongs to day 0 (the day starts at 04:00): nothing due.
        early = self.session("\n5\n", "--deck", deck, now=self.day(1, hour=2))
        self.assertIn("Nothing to study today.", early.stdout)
        self.assertIn("Next: 1 card on 2026-01-06 (tomorrow).", early.stdout)
        later = self.session("\n5\n", "--deck", deck, now=self.day(1, hour=5))
        self.assertIn("The one question?", later.stdout)

    def test_a_utc_offset_moves_the_day(self):
        deck = self.write("basics.deck", "deck: One\n\ncard: only\ntype: basic\nfront: The one question?\nback: Yes\n")
        self.ok("--now", "2026-01-05T09:00:00Z", "--utc-offset", "+02:00", "--deck", deck, stdin="\n5\n")
        # 2026-01-06T01:30Z is 03:30 at +02:00: before the rollover, still day 0.
        p = self.ok("--now", "2026-01-06T01:30:00Z", "--utc-offset", "+02:00", "--deck", deck, stdin="\n5\n")
        self.assertIn("Nothing to study today.", p.stdout)
        p = self.ok("--now", "2026-01-06T04:30:00+02:00", "--utc-offset", "+02:00", "--deck", deck, stdin="\n5\n")
        self.assertIn("The one question?", p.stdout)


SYNC_DECK = "deck: Sync\n" + "".join(
    "\ncard: s%d\ntype: basic\nfront: Sync question %d?\nback: Answer %d\n" % (i, i, i) for i in range(1, 13))


class Sync(DrillTest):
    """Two copies of a collection (a laptop and a phone) studied for a week and synced."""

    def setUp(self):
        super().setUp()
        self.laptop = os.path.join(self.dir, "laptop.db")
        self.phone = os.path.join(self.dir, "phone.db")

    def on(self, db, *args, **kw):
        return self.ok("--db", db, *args, db=False, **kw)

    def study(self, db, when, grades, undo=False):
        keys = "".join("\n%d\n" % g for g in grades) + ("u\n" if undo else "") + "q\n"
        return self.on(db, "--now", when, *UTC, stdin=keys)

    def seen(self, db, when):
        return (self.on(db, "list", "--json", "--now", when, *UTC).stdout,
                self.on(db, "stats", "--json", "--now", when, *UTC).stdout)

    def test_a_week_on_two_devices_converges(self):
        deck = self.write("sync.deck", SYNC_DECK)
        self.on(self.laptop, "--now", "2026-01-05T08:00:00Z", *UTC, "import", deck)
        p = self.on(self.laptop, "sync", self.phone)  # a new path: the phone becomes a copy
        self.assertIn("Cloned", p.stdout)
        grades = [5, 4, 3, 5, 1, 4, 2, 5]
        for n in range(7):
            laptop_now = "2026-01-%02dT09:00:00Z" % (5 + n)
            phone_now = "2026-01-%02dT20:00:00Z" % (4 + n)  # the phone's clock is a day behind
            self.study(self.laptop, laptop_now, grades[n:] + grades[:n])
            self.study(self.phone, phone_now, grades[::-1][:3 + n % 3], undo=(n == 3))
            if n == 4:  # the laptop re-imports an edited deck: one card edited, one dropped, one new
                edited = SYNC_DECK.replace("Sync question 2?", "Sync question two?").replace(
                    "\ncard: s12\ntype: basic\nfront: Sync question 12?\nback: Answer 12\n", "")
                edited += "\ncard: s13\ntype: basic\nfront: A new question?\nback: New\n"
                self.on(self.laptop, "--now", laptop_now, *UTC, "import", self.write("sync.deck", edited))
            if n % 3 == 0:
                out = self.on(self.laptop, "sync", self.phone).stdout
            elif n % 3 == 1:
                out = self.on(self.phone, "sync", self.laptop).stdout
            else:
                remote = "%s --db %s serve" % (shlex.quote(BINARY), shlex.quote(self.phone))
                out = self.on(self.laptop, "sync", "--remote", remote).stdout
            self.assertIn("Synced with", out)
        report = json.loads(self.on(self.phone, "sync", self.laptop, "--json").stdout)
        self.assertTrue(report["ok"])
        self.on(self.laptop, "sync", self.phone)
        end = "2026-01-12T12:00:00Z"
        self.assertEqual(self.seen(self.laptop, end), self.seen(self.phone, end))
        cards = {c["id"]: c for c in json.loads(self.seen(self.laptop, end)[0])}
        self.assertEqual(cards["s2"]["front"], "Sync question two?")
        self.assertTrue(cards["s12"]["suspended"])  # dropped by the re-import on the laptop
        self.assertIn("s13", cards)
        self.assertGreater(sum(c["reviews"] for c in cards.values()), 20)
        for db in (self.laptop, self.phone):
            self.assertIn("The collection is healthy.", self.on(db, "verify").stdout)
        again = json.loads(self.on(self.laptop, "sync", "--json", self.phone).stdout)
        self.assertEqual(again["received"]["reviews"] + again["sent"]["reviews"], 0)

    def test_a_collection_of_another_learner_is_refused(self):
        deck = self.write("sync.deck", SYNC_DECK)
        self.on(self.laptop, "--now", "2026-01-05T08:00:00Z", *UTC, "import", deck)
        self.on(self.phone, "--now", "2026-01-05T08:00:00Z", *UTC, "import", deck)
        line = self.fails(1, "--db", self.laptop, "sync", self.phone, db=False)
        self.assertIn("another learner", line)

    def test_usage(self):
        self.assertIn("PATH", self.fails(2, "sync"))
        self.assertIn("--remote", self.fails(2, "--remote", "x", "stats"))

    def test_an_interrupted_clone_is_finished_by_the_next_sync(self):
        # kill -9 of `sync NEWPATH` while it clones: the next sync must clone (or sync) and
        # succeed, never find a half-made file that is "another learner's collection".
        big = "deck: Big\n" + "".join("\ncard: b%d\ntype: basic\nfront: Big question %d?\nback: Answer %d\n"
                                      % (i, i, i) for i in range(5000))
        self.on(self.laptop, "--now", "2026-01-05T08:00:00Z", *UTC, "import", self.write("big.deck", big))
        for delay in (0.05, 0.1, 0.2, 0.3, 0.45):
            for name in os.listdir(self.dir):
                if name.startswith("phone.db"):
                    os.remove(os.path.join(self.dir, name))
            client = subprocess.Popen([BINARY, "--db", self.laptop, "sync", self.phone], env=self.env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            client.kill()
            client.wait()
            p = self.run_drill("--db", self.laptop, "sync", self.phone, db=False)
            self.assertEqual(p.returncode, 0, "killed after %.2f s, the next sync: %s" % (delay, p.stderr))
            self.assertIn("The collection is healthy.", self.on(self.phone, "verify").stdout)
            end = "2026-01-05T12:00:00Z"
            self.assertEqual(self.seen(self.laptop, end), self.seen(self.phone, end))

    def test_an_interrupted_remote_sync_leaves_both_consistent_and_the_next_one_finishes(self):
        deck = self.write("sync.deck", SYNC_DECK)
        self.on(self.laptop, "--now", "2026-01-05T08:00:00Z", *UTC, "import", deck)
        self.on(self.laptop, "sync", self.phone)
        self.study(self.laptop, "2026-01-05T09:00:00Z", [5, 4, 3, 5, 1, 4])
        self.study(self.phone, "2026-01-05T10:00:00Z", [3, 5, 2])
        # the serving end dies at once, then after a few bytes: never a half-applied changeset
        serve = "%s --db %s serve" % (shlex.quote(BINARY), shlex.quote(self.phone))
        self.env["ALLIANCE_DRILL_SYNC_TIMEOUT"] = "2"  # a cut that leaves the link open goes silent
        cut = "dd bs=1 count=%d status=none"  # forwards byte by byte, then ends the pipe
        interrupted = 0
        for remote in ["kill -9 $$"] + ["%s | %s" % (cut % n, serve) for n in (60, 150, 300)] + \
                      ["%s | %s" % (serve, cut % n) for n in (60, 150, 300)]:
            p = self.run_drill("--db", self.laptop, "sync", "--remote", remote, db=False)
            self.assertIn(p.returncode, (0, 1), p.stderr)  # a cut may fall after the last byte
            interrupted += p.returncode == 1
            for db in (self.laptop, self.phone):
                self.assertIn("The collection is healthy.", self.on(db, "verify").stdout)
        self.assertGreaterEqual(interrupted, 5)
        # the client killed (-9) at several points of a sync through --remote
        for delay in (0.0, 0.02, 0.05, 0.1):
            client = subprocess.Popen([BINARY, "--db", self.laptop, "sync", "--remote", serve], env=self.env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            client.kill()
            client.wait()
            time.sleep(0.2)  # the server sees its input end and stops
            for db in (self.laptop, self.phone):
                self.assertIn("The collection is healthy.", self.on(db, "verify").stdout)
        self.on(self.laptop, "sync", "--remote", serve)
        end = "2026-01-05T12:00:00Z"
        self.assertEqual(self.seen(self.laptop, end), self.seen(self.phone, end))
        cards = {c["id"]: c for c in json.loads(self.seen(self.laptop, end)[0])}
        self.assertEqual(sum(c["reviews"] for c in cards.values()), 9)


# --- lint: advice for a deck's author, no collection needed ------------------

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SEEDS = os.environ.get("ALLIANCE_SEEDS_DIR") or os.path.join(ROOT, "..", "shared", "seeds")

LINTED_DECK = """\
deck: Linted
source: art.txt | An Article Title: Its Subtitle

card: few
type: choice
question: According to the article, which colour is the sky?
answer: Blue
wrong: Green

card: fine
type: basic
front: In "An Article Title", what is the capital of France?
back: Paris
source: art.txt
quote: Paris is the capital of France.
"""


class Lint(DrillTest):
    def test_the_bundled_deck_has_no_warning(self):
        deck = os.path.join(ROOT, "decks", "therapeutic-alliance.deck")
        args = ["lint", deck]
        if os.path.isdir(SEEDS):
            args += ["--sources", SEEDS]
        else:
            print("lint: %s is absent; the quotes were not checked" % SEEDS, file=sys.stderr)
        p = self.ok(*args, db=False)
        self.assertEqual(p.stdout, "%s: 70 cards, 0 warnings%s\n"
                         % (deck, "" if os.path.isdir(SEEDS) else " (quotes not checked: no --sources)"))

    def test_each_warning_says_where_and_what_and_the_exit_status_is_1(self):
        deck = self.write("t.deck", LINTED_DECK)
        p = self.run_drill("lint", deck, db=False)
        self.assertEqual(p.returncode, 1, p.stderr)
        lines = p.stdout.splitlines()
        self.assertEqual(lines[0], "%s:4:1: warning: choice card 'few' has 1 wrong option: with fewer than 3, "
                         "its answer is guessed more than recalled [few-wrong-options]" % deck)
        self.assertTrue(lines[1].startswith("%s:6:24: warning: the question of card 'few' says \"the article\""
                                            % deck), lines[1])
        self.assertTrue(lines[1].endswith("[unnamed-article]"), lines[1])
        self.assertEqual(lines[2], "%s: 2 cards, 2 warnings (quotes not checked: no --sources)" % deck)
        self.assertEqual(p.stderr, "")
        self.assertFalse(os.path.exists(self.db), "lint opens no collection")

    def test_sources_check_each_quote(self):
        deck = self.write("t.deck", LINTED_DECK)
        os.makedirs(os.path.join(self.dir, "src"))
        self.write(os.path.join("src", "art.txt"), "An Article Title: Its Subtitle\n\nParis is the capital "
                                                   "of France.\n")
        p = self.run_drill("lint", "--sources", os.path.join(self.dir, "src"), deck, db=False)
        self.assertNotIn("quote-not-found", p.stdout)
        self.write(os.path.join("src", "art.txt"), "Lyon is not the capital.\n")
        p = self.run_drill("lint", "--sources", os.path.join(self.dir, "src"), deck, db=False)
        self.assertIn("%s:15:8: warning: the quote of card 'fine' is not in art.txt" % deck, p.stdout)

    def test_json_lists_every_warning(self):
        deck = self.write("t.deck", LINTED_DECK)
        p = self.run_drill("lint", "--json", deck, db=False)
        self.assertEqual(p.returncode, 1)
        doc = json.loads(p.stdout)
        self.assertFalse(doc["ok"])
        self.assertEqual(doc["notes"], 2)
        self.assertEqual([(w["code"], w["name"], w["line"], w["column"], w["card"]) for w in doc["warnings"]],
                         [(3, "few-wrong-options", 4, 1, "few"), (5, "unnamed-article", 6, 24, "few")])
        self.assertEqual(doc["errors"], [])

    def test_a_deck_with_errors_is_not_linted(self):
        deck = self.write("bad.deck", "deck: Bad\n\ncard: x\ntype: basic\nfront: f\n")
        p = self.run_drill("lint", deck, db=False)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(p.stdout, "")
        lines = p.stderr.rstrip("\n").split("\n")
        self.assertEqual(lines[0], "%s:3:1: missing key 'back' in card 'x'" % deck)
        self.assertEqual(lines[-1], "alliance-drill: %s has 1 error: it cannot be imported, nor linted" % deck)

    def test_usage(self):
        self.assertIn("lint needs a FILE", self.fails(2, "lint", db=False))
        self.assertIn("--sources applies to lint", self.fails(2, "stats", "--sources", "x", db=False))
        self.assertIn("cannot read", self.fails(1, "lint", os.path.join(self.dir, "none.deck"), db=False))


class Scheduler(DrillTest):
    """scheduler sm2 | fsrs (docs/fsrs.md, "FSRS in a collection"): the switch replays every
    card, the drill takes four ratings and shows FSRS's predicted recall."""

    def setUp(self):
        super().setUp()
        self.ok("--now", NOW, "import", self.write("basics.deck", BASIC_DECK))
        self.session("\n5\n\n3\n\n4\nq\n")  # three cards answered under SM-2

    def test_switching_to_fsrs_and_back_keeps_every_review_and_verifies(self):
        self.assertIn("scheduler: sm2", self.ok("scheduler").stdout)
        out = self.ok("--now", NOW, *UTC, "scheduler", "fsrs", "--retention", "0.85").stdout
        self.assertIn("Switched to FSRS: replayed 3 reviews of 5 cards", out)
        shown = self.ok("scheduler").stdout
        self.assertIn("scheduler: fsrs", shown)
        self.assertIn("retention: 0.85", shown)
        self.assertIn("healthy", self.ok("verify").stdout)
        out = self.ok("--now", NOW, *UTC, "scheduler", "sm2").stdout
        self.assertIn("Switched to SM-2: replayed 3 reviews", out)
        self.assertIn("healthy", self.ok("verify").stdout)
        self.assertEqual(sum(c["reviews"] for c in self.cards().values()), 3)

    def test_fsrs_takes_four_ratings_drills_a_failure_and_predicts_recall(self):
        self.ok("--now", NOW, *UTC, "scheduler", "fsrs")
        out = plain(self.session("\n1\n\n3\nq\n").stdout)  # two new cards: again, good
        self.assertIn("Your rating (1-4", out)
        self.assertIn("4 easy", out)
        self.assertIn("again today, as a drill", out)
        self.assertIn("next in 3 days", out)  # FSRS-6 defaults: good on a new card
        later = "2026-01-10T09:00:00Z"
        out = plain(self.session("\n3\nq\n", now=later).stdout)
        self.assertRegex(out, r"FSRS predicted a \d+% chance of recall today")
        self.assertIn("Type a rating 1-4", plain(self.session("\n5\nq\n", now=later).stdout))
        self.assertIn("healthy", self.ok("verify").stdout)

    def test_fitted_weights_are_accepted_and_bad_ones_refused(self):
        weights = ",".join(["0.2", "1.3", "2.3", "8.3", "6.4", "0.83", "3.0", "0.001", "1.87", "0.17", "0.8",
                            "1.48", "0.06", "0.26", "1.65", "0.6", "1.87", "0.54", "0.09", "0.066", "0.15"])
        self.ok("--now", NOW, *UTC, "scheduler", "fsrs", "--weights", weights)
        self.assertIn("FSRS weights: 0.2,1.3,2.3,8.3", self.ok("scheduler").stdout)
        self.assertIn("--weights", self.fails(1, "scheduler", "fsrs", "--weights", "1,2,3"))
        self.assertIn("refused", self.fails(1, "scheduler", "fsrs", "--weights", weights.replace("8.3", "1e9")))
        self.assertIn("0.2,1.3,2.3,8.3", self.ok("scheduler").stdout)  # unchanged
        self.assertIn("unknown scheduler", self.fails(2, "scheduler", "sm3"))
        self.assertIn("--retention", self.fails(2, "scheduler", "sm2", "--retention", "0.8"))
        self.assertIn("--weights", self.fails(2, "stats", "--weights", weights))


GROUPS = {"cli": Cli, "simulate": Simulate, "session": Session, "pty": Pty, "kill": Kill, "week": Week,
          "lint": Lint, "verify": Verify, "sync": Sync, "scheduler": Scheduler}

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] not in GROUPS:
        sys.exit("usage: e2e.py ALLIANCE_DRILL {%s}" % ",".join(GROUPS))
    BINARY = os.path.abspath(sys.argv[1])
    suite = unittest.TestLoader().loadTestsFromTestCase(GROUPS[sys.argv[2]])
    if sys.argv[2] == "kill":  # Kill inherits Pty's helpers, not its tests
        suite = unittest.TestSuite(t for t in suite if t.id().split(".")[-1] in
                                   ("test_answers_before_a_kill_survive", "test_a_closed_terminal_loses_nothing"))
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)
