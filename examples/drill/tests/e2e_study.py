#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of alliance-drill's study modes and statistics (docs/study-modes.md).

Usage: e2e_study.py PATH/TO/alliance-drill GROUP
GROUP is one of: stats, learner (one ctest test each).

The helpers (a fresh directory, --db, --now, the JSON readers) are e2e.py's.
"""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e  # noqa: E402
from e2e import UTC, DrillTest, plain  # noqa: E402

DAY0 = "2026-01-05"


def at(day, hour=9):
    """ISO time of `day` days after 2026-01-05 (a Monday), at `hour`:00 UTC."""
    import datetime
    d = datetime.date(2026, 1, 5) + datetime.timedelta(days=day)
    return "%sT%02d:00:00Z" % (d.isoformat(), hour)


class Stats(DrillTest):
    def setUp(self):
        super().setUp()
        self.deck = self.write("basics.deck", e2e.BASIC_DECK)

    def study(self, day, keys):
        return self.session(keys, "--deck", self.deck, now=at(day))

    def test_true_retention_and_reviews_per_day(self):
        # Day 0: five new cards, all 5 (first answers: not true reviews).
        self.study(0, "\n5\n" * 5 + "q\n")
        # Day 1: the five come back with interval 1: three passed, two failed then relearned.
        out = self.study(1, "\n5\n\n5\n\n5\n\n1\n\n1\n" + "\n4\n" * 4 + "q\n")
        self.assertIn("All done for today.", out.stdout)
        st = self.stats(now=at(1, 12))
        self.assertEqual(st["true_reviews"], 5)
        self.assertEqual(st["true_passed"], 3)
        self.assertEqual(st["true_retention"], 0.6)
        self.assertGreater(st["reviews"], st["true_reviews"])
        self.assertIsNone(st["mature_retention"])
        year = st["reviews_per_day"]
        self.assertEqual(len(year["counts"]), 366)
        self.assertEqual(year["from"], "2025-01-06")   # 365 days before 2026-01-06
        self.assertEqual(year["counts"][-2], 5)        # day 0
        self.assertEqual(year["counts"][-1], st["reviews"] - 5)
        self.assertEqual(sum(year["counts"]), st["reviews"])
        # Piped keys take about 0 ms, so whether an answer was timed depends on the machine.
        self.assertLessEqual(st["timed_answers"], st["reviews"])
        self.assertEqual(st["average_answer_ms"] is None, st["timed_answers"] == 0)

    def test_the_text_shows_true_retention_and_the_heatmap(self):
        self.study(0, "\n5\n" * 5 + "q\n")
        self.study(1, "\n5\n" * 5 + "q\n")
        out = plain(self.ok("stats", "--now", at(1, 12), *UTC, env=dict(self.env, LC_ALL="C.UTF-8")).stdout)
        self.assertIn("True retention  100%  (5 of 5 reviews of learned cards passed)", out)
        self.assertIn("Reviews per day  (10 answers in the last year, on 2 days)", out)
        rows = [line for line in out.split("\n") if line.startswith("  Mon ") or line.startswith("  Tue")]
        mon = [line for line in out.split("\n") if line.startswith("  Mon ")][0]
        self.assertEqual(len(mon), 6 + 53)                 # one column a week
        self.assertEqual(mon[-1], "\u2588")                # day 0, a Monday, in the last week: the busiest
        tue = out.split("\n")[out.split("\n").index(mon) + 1]
        self.assertEqual(tue.rstrip()[-1], "\u2588")       # day 1, Tuesday
        self.assertIn("less \u00b7 \u2591 \u2592 \u2593 \u2588 more (busiest day: 5)", out)
        self.assertTrue(rows)

    def test_ascii_without_a_utf8_locale(self):
        self.study(0, "\n5\n" * 5 + "q\n")
        env = dict(self.env, LC_ALL="C")
        out = self.ok("stats", "--now", at(0, 12), *UTC, env=env).stdout
        mon = [line for line in out.split("\n") if line.startswith("  Mon ")][0]
        self.assertEqual(mon[-1], "#")
        self.assertTrue(all(ord(ch) < 128 for ch in out))

    def test_the_forecast_of_each_deck(self):
        self.study(0, "\n5\n" * 5 + "q\n")
        other = self.write("other.deck", "deck: Other\n\ncard: o1\ntype: basic\nfront: Other?\nback: Yes\n")
        self.session("\n5\n", "--deck", other, now=at(0))
        st = self.stats(now=at(0, 12))
        decks = {d["name"]: d["forecast"] for d in st["decks"]}
        self.assertEqual(sorted(decks), ["Basics", "Other"])
        self.assertEqual(decks["Basics"][1], 5)
        self.assertEqual(decks["Other"][1], 1)
        self.assertEqual(st["forecast"][1], 6)
        text = plain(self.ok("stats", "--now", at(0, 12), *UTC).stdout)
        self.assertRegex(text, r"Basics\s+0\s+5\s+5")
        self.assertRegex(text, r"Other\s+0\s+1\s+1")
        only = json.loads(self.ok("stats", "--json", "--deck", other, "--now", at(0, 12), *UTC).stdout)
        self.assertEqual([d["name"] for d in only["decks"]], ["Other"])
        self.assertEqual(only["total"], 1)

    def test_a_long_non_ascii_deck_name_is_cut_at_a_character(self):
        # The per-deck table cut names at 32 bytes (printf "%-32.32s"): in the middle of a
        # character for a name like this one (1 + 2 x 20 bytes), and padded by bytes, so the
        # columns of a non-ASCII name did not line up with the others.
        name = "x" + "\u00e9" * 20
        self.study(0, "\n5\n" * 5 + "q\n")
        other = self.write("other.deck", "deck: %s\n\ncard: o1\ntype: basic\nfront: Other?\nback: Yes\n" % name)
        self.session("\n5\n", "--deck", other, now=at(0))
        p = self.run_drill("stats", "--now", at(0, 12), *UTC)   # text=True: invalid UTF-8 raises here
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = plain(p.stdout).split("\n")
        basics = [line for line in lines if line.startswith("  Basics ")][0]
        row = [line for line in lines if line.startswith("  x\u00e9")][0]
        self.assertTrue(row.startswith("  " + name[:32] + " "), row)
        self.assertEqual(len(row), len(basics))                 # the same columns, in characters


class Learner(DrillTest):
    def simulate(self, *args):
        return json.loads(self.ok("simulate", "--json", *args, db=False).stdout)

    def test_a_run_is_reproducible_and_seeded(self):
        a = self.simulate("--days", "30", "--seed", "5")
        b = self.simulate("--days", "30", "--seed", "5")
        c = self.simulate("--days", "30", "--seed", "6")
        self.assertEqual(a, b)
        self.assertNotEqual(a["modes"][0]["reviews_per_day"], c["modes"][0]["reviews_per_day"])

    def bundled_cards(self):
        """The number of cards of the bundled deck, as an import of its file says."""
        deck = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "decks",
                            "therapeutic-alliance.deck")
        return json.loads(self.ok("import", "--json", deck).stdout)["added"]

    def test_plain_sm2_studies_every_card_and_reports_the_exam(self):
        doc = self.simulate("--days", "30")
        cards = self.bundled_cards()
        self.assertGreater(cards, 50)
        self.assertEqual((doc["days"], doc["seed"], doc["cards"], doc["start"]), (30, 1, cards, DAY0))
        self.assertEqual((doc["exam_in"], doc["exam"]), (21, "2026-01-26"))
        plain_mode = doc["modes"][0]
        self.assertEqual(plain_mode["name"], "plain")
        per_day = plain_mode["reviews_per_day"]
        self.assertEqual(len(per_day), 30)
        self.assertEqual(sum(per_day), plain_mode["total"])
        # 20 new cards a day (and their same-day repeats): the deck is in by day 6.
        self.assertGreaterEqual(per_day[0], 20)
        self.assertTrue(0 <= plain_mode["final_week_share"] <= 1)
        self.assertTrue(0 < plain_mode["exam_score"] < 1)

    def test_the_text_table(self):
        out = self.ok("simulate", "--days", "25", "--exam-in", "10", db=False).stdout
        self.assertIn("Exam on 2026-01-15, day 10.", out)
        self.assertIn("<- exam", out)
        self.assertIn("cards seen in the final week before the exam", out)
        self.assertIn("expected exam score", out)

    def test_bad_options_are_usage_errors(self):
        self.fails(2, "simulate", "--days", "0", db=False)
        self.fails(2, "simulate", "--days", "x", db=False)
        self.fails(2, "simulate", "--seed", "3", db=False)
        self.fails(2, "simulate", "--days", "5", "5", "5", db=False)
        self.fails(2, "stats", "--days", "5")


GROUPS = {"stats": Stats, "learner": Learner}

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] not in GROUPS:
        sys.exit("usage: e2e_study.py ALLIANCE_DRILL {%s}" % ",".join(GROUPS))
    e2e.BINARY = os.path.abspath(sys.argv[1])
    suite = unittest.TestLoader().loadTestsFromTestCase(GROUPS[sys.argv[2]])
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)
