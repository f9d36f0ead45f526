#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of alliance-drill's study modes and statistics (docs/study-modes.md).

Usage: e2e_study.py PATH/TO/alliance-drill GROUP
GROUP is one of: stats, learner, exam (one ctest test each).

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

    def test_fuzz_and_exam_mode_run_beside_plain_sm2(self):
        doc = self.simulate("--days", "30")
        modes = {m["name"]: m for m in doc["modes"]}
        self.assertEqual([m["name"] for m in doc["modes"]], ["plain", "fuzz", "exam"])
        for m in modes.values():
            self.assertEqual(sum(m["reviews_per_day"]), m["total"])
        # Exam mode sees every card in the final week (its final window is the last 3 days);
        # plain SM-2, whose intervals have grown past the exam, sees fewer.
        self.assertEqual(modes["exam"]["final_week_share"], 1.0)
        self.assertLess(modes["plain"]["final_week_share"], 1.0)
        self.assertGreater(modes["exam"]["exam_score"], modes["plain"]["exam_score"])
        # Fuzz moves due days: the days' loads differ from plain SM-2's.
        self.assertNotEqual(modes["fuzz"]["reviews_per_day"], modes["plain"]["reviews_per_day"])

    def test_the_text_table(self):
        out = self.ok("simulate", "--days", "25", "--exam-in", "10", db=False).stdout
        self.assertIn("Exam on 2026-01-15, day 10.", out)
        self.assertIn("<- exam", out)
        self.assertIn("cards seen in the final week before the exam", out)
        self.assertIn("expected exam score", out)

    def test_sm2_and_fsrs_run_side_by_side_on_the_same_learner(self):
        doc = self.simulate("--days", "60", "--scheduler", "fsrs")
        self.assertEqual(doc, self.simulate("--days", "60", "--scheduler", "fsrs"))  # seeded
        self.assertEqual((doc["days"], doc["seed"], doc["desired_retention"]), (60, 1, 0.9))
        self.assertEqual(doc["cards"], self.bundled_cards())
        sm2, fsrs = doc["schedulers"]
        self.assertEqual((sm2["name"], fsrs["name"]), ("sm2", "fsrs"))
        for s in (sm2, fsrs):
            self.assertEqual(len(s["reviews_per_day"]), 60)
            self.assertEqual(sum(s["reviews_per_day"]), s["total"])
            self.assertAlmostEqual(s["mean_per_day"], s["total"] / 60, places=4)
            self.assertTrue(0 < s["recalled"] <= s["reviews"] < s["total"])
            self.assertAlmostEqual(s["retention"], s["recalled"] / s["reviews"], places=4)
            self.assertTrue(0 < s["final_recall"] < 1)
        # Both introduce 20 new cards on the first day; SM-2 repeats the ones graded below 4 that
        # day, FSRS only the failed ones (a drill), so SM-2's first day is the longer one.
        self.assertGreaterEqual(fsrs["reviews_per_day"][0], 20)
        self.assertGreater(sm2["reviews_per_day"][0], fsrs["reviews_per_day"][0])
        self.assertNotEqual(sm2["reviews_per_day"][1:], fsrs["reviews_per_day"][1:])
        lower = self.simulate("--days", "60", "--scheduler", "fsrs", "--retention", "0.7")
        self.assertEqual(lower["schedulers"][0], sm2)  # SM-2 does not read the retention
        self.assertLess(lower["schedulers"][1]["total"], fsrs["total"])  # FSRS asks for less at 0.7
        out = self.ok("simulate", "--days", "20", "--scheduler", "fsrs", db=False).stdout
        self.assertIn("under SM-2 and under FSRS (desired retention 0.90)", out)
        self.assertIn("retention (reviews recalled)", out)
        self.fails(2, "simulate", "--days", "20", "--scheduler", "fsrs", "--exam-in", "5", db=False)
        self.fails(2, "simulate", "--days", "20", "--retention", "0.8", db=False)  # SM-2 has none

    def test_bad_options_are_usage_errors(self):
        self.fails(2, "simulate", "--days", "0", db=False)
        self.fails(2, "simulate", "--days", "x", db=False)
        self.fails(2, "simulate", "--seed", "3", db=False)
        self.fails(2, "simulate", "--days", "5", "5", "5", db=False)
        self.fails(2, "stats", "--days", "5")


class Exam(DrillTest):
    """The 21-day exam scenario of docs/study-modes.md: the bundled deck, an exam 21 days
    ahead, new_per_day lowered to 5 so that the pace binds, and a learner who studies every
    day with --now."""

    EXAM = 21          # 2026-01-26
    WINDOW = 3         # the final window: days 18..20
    READY_BY = 10      # R = E - W - I(1) - I(2) - 1 = 21 - 3 - 1 - 6 - 1
    # "a" shows a basic or cloze card's answer and picks option a of a choice card; then the grade
    KEYS = "a\n4\na\n5\na\n4\na\n3\na\n4\na\n2\n" * 120 + "q\n"

    def day_number(self, day):
        return 20458 + day  # 2026-01-05 is day 20458

    def forecast_of_sm2_due_days(self, today):
        cards = json.loads(self.ok("list", "--json", "--now", at(today, 12), *UTC).stdout)
        hist = [0] * 30
        for c in cards:
            if c["reviews"] > 0 and not c["suspended"]:
                off = max(c["due_day"] - self.day_number(today), 0)
                if off < 30:
                    hist[off] += 1
        return hist

    def test_the_21_day_exam_scenario(self):
        self.session("q\n", now=at(0, 8))  # makes the collection with the bundled deck
        import sqlite3
        with sqlite3.connect(self.db) as con:
            con.execute("UPDATE config SET new_per_day = 5")
        total = self.stats(now=at(0, 8))["total"]
        out = self.ok("exam", "2026-01-26", "--now", at(0, 8), *UTC).stdout
        pace = -(-total // (self.READY_BY + 1))
        self.assertGreater(pace, 5)
        self.assertIn("Exam on 2026-01-26 (21 days away); every card seen from 2026-01-23.", out)
        self.assertIn("%d new today to be ready by 2026-01-15" % pace, out)
        for day in range(28):
            out = self.session(self.KEYS, now=at(day)).stdout
            if day == 0:
                self.assertIn("Today: 0 to review, %d new." % pace, out)
                self.assertIn("%d new today to be ready by 2026-01-15" % pace, out)
            st = self.stats(now=at(day, 12))
            self.assertEqual(st["due_today"], 0, "day %d: the learner finished the day" % day)
            if day == 0:
                exam = st["decks"][0]["exam"]
                self.assertEqual((exam["date"], exam["final_days"], exam["ready_by"], exam["pace"]),
                                 ("2026-01-26", 3, "2026-01-15", pace))
            if day == self.READY_BY:
                self.assertEqual(st["new"], 0, "every card is introduced by the ready-by day")
            if day < self.EXAM - self.WINDOW:
                # No card is due on or after the exam day: each comes back before it.
                after_exam = sum(st["forecast"][self.EXAM - day:])
                self.assertEqual(after_exam, 0, "day %d: %d cards due after the exam" % (day, after_exam))
                self.assertEqual(sum(st["forecast"]), st["learned"])
            if day >= self.EXAM:
                # Plain SM-2 again: the forecast is the SM-2 due days, unclamped.
                self.assertEqual(st["forecast"], self.forecast_of_sm2_due_days(day))
        with sqlite3.connect(self.db) as con:
            seen = con.execute("SELECT count(DISTINCT card) FROM reviews WHERE day BETWEEN ? AND ?",
                               (self.day_number(self.EXAM - self.WINDOW), self.day_number(self.EXAM - 1))).fetchone()[0]
            after = con.execute("SELECT count(*) FROM reviews WHERE day >= ?", (self.day_number(self.EXAM),)).fetchone()[0]
        self.assertEqual(seen, total, "every card is seen in the final window")
        self.assertGreater(after, 0)
        self.assertIn("passed; plain SM-2", self.ok("exam", "--now", at(22), *UTC).stdout)
        self.ok("verify", "--now", at(27, 12), *UTC)
        self.assertIn("No exam", self.ok("exam", "--clear", "--now", at(27, 12), *UTC).stdout)

    def test_cram_previews_change_nothing_and_reviews_ahead_count(self):
        self.session("q\n", now=at(0, 8))
        self.assertIn("Nothing to cram", self.ok("cram", "--ahead", "1", "--now", at(0, 8), *UTC).stdout)
        self.session("a\n5\n" * 3 + "q\n", now=at(0))  # three cards learned: due tomorrow
        before = json.loads(self.ok("list", "--json", "--now", at(0, 12), *UTC).stdout)
        stats_before = self.stats(now=at(0, 12))
        out = self.ok("cram", "--now", at(0, 12), *UTC, stdin="a\n4\n" * 5 + "q\n").stdout
        self.assertIn("Cram (preview: answers change no schedule): 3 learned,", out)
        self.assertEqual(json.loads(self.ok("list", "--json", "--now", at(0, 12), *UTC).stdout), before)
        stats_after = self.stats(now=at(0, 12))
        self.assertEqual(stats_after["reviews"], stats_before["reviews"])
        self.assertEqual(stats_after["new"], stats_before["new"])
        out = self.ok("cram", "--review", "--ahead", "1", "--now", at(0, 13), *UTC, stdin="a\n5\n" * 5 + "q\n").stdout
        self.assertIn("Cram (review ahead: answers count): 3 learned, 0 new.", out)
        after = {c["id"]: c for c in json.loads(self.ok("list", "--json", "--now", at(0, 14), *UTC).stdout)}
        learned = [c for c in before if c["reviews"] > 0]
        self.assertEqual(len(learned), 3)
        for c in learned:
            self.assertEqual(after[c["id"]]["reviews"], c["reviews"] + 1)
            # 0 days elapsed of an interval of 1: the ahead step keeps the interval, from today
            self.assertEqual(after[c["id"]]["interval_days"], 1)
            self.assertEqual(after[c["id"]]["due_day"], c["due_day"])
        self.assertEqual(self.stats(now=at(0, 14))["reviews"], stats_before["reviews"] + 3)
        self.ok("verify", "--now", at(0, 14), *UTC)

    def test_bad_exam_arguments(self):
        self.session("q\n", now=at(0, 8))
        self.fails(2, "exam", "2026-02-30", "--now", at(0), *UTC)
        self.fails(1, "exam", "2026-01-05", "--now", at(0), *UTC)
        self.fails(2, "exam", "2026-01-26", "--clear", "--now", at(0), *UTC)
        self.fails(2, "stats", "--clear", "--now", at(0), *UTC)
        self.fails(2, "stats", "--ahead", "3", "--now", at(0), *UTC)
        self.fails(2, "cram", "--ahead", "0", "--now", at(0), *UTC)
        self.assertIn("No exam", self.ok("exam", "--now", at(0), *UTC).stdout)


GROUPS = {"stats": Stats, "learner": Learner, "exam": Exam}

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] not in GROUPS:
        sys.exit("usage: e2e_study.py ALLIANCE_DRILL {%s}" % ",".join(GROUPS))
    e2e.BINARY = os.path.abspath(sys.argv[1])
    suite = unittest.TestLoader().loadTestsFromTestCase(GROUPS[sys.argv[2]])
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)
