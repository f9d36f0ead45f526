# SPDX-License-Identifier: MIT
"""Sync through the binding (docs/sync.md), and a version-1 collection made by
liballiance 0.1.0 that upgrades, reads back exactly what 0.1.0 read, and syncs."""

import io
import json
import os
import shutil
import unittest

import alliance
import support
from support import DAY, NOW



def everything(coll):
    """What a user or the API can see, in a comparable form."""
    cards = [stored(c) | {"state": c.state.__dict__, "fsrs": c.fsrs.__dict__} for c in coll.cards(0)]
    reviews = [r.__dict__ | {"before": r.before.__dict__, "after": r.after.__dict__, "params": r.params.__dict__}
               for r in coll.reviews()]
    for r in reviews:
        del r["review_id"]  # this file's row id
    return {"cards": cards, "reviews": reviews, "config": coll.config.__dict__,
            "params": coll.sm2_params.__dict__}


class TestSync(support.TempDirTestCase):
    def setUp(self):
        super().setUp()
        self.laptop = self.open("laptop.alliance")
        self.laptop.import_deck_data(support.SMALL_DECK.encode(), "small.deck", now=NOW)

    def test_a_clone_shares_the_collection_and_reads_back_the_same(self):
        self.laptop.answer("alpha", 5, now=NOW)
        phone, report = alliance.Collection.clone(self.path("phone.alliance"), self.laptop.sync_changes(),
                                                  utc_offset_seconds=0, clock=self.clock)
        with phone:
            self.assertEqual(phone.collection_id, self.laptop.collection_id)
            self.assertEqual(len(phone.collection_id), 16)
            self.assertNotEqual(phone.replica_id, self.laptop.replica_id)
            self.assertEqual(report.reviews, 1)
            self.assertEqual(report.cards_added, 3)
            self.assertEqual(everything(phone), everything(self.laptop))
            self.assertEqual(phone.verify(), 0)

    def test_both_ways_merge_answers_undos_and_settings(self):
        phone, _ = alliance.Collection.clone(":memory:", self.laptop.sync_changes(), utc_offset_seconds=0)
        with phone:
            self.laptop.answer("alpha", 5, now=NOW)
            phone.answer("alpha", 3, now=NOW + 3600)
            phone.answer("bravo", 4, now=NOW + 3600)
            phone.undo()
            phone.configure(new_per_day=3)
            mine, theirs = self.laptop.sync_with(phone)
            self.assertEqual(mine.reviews, 1)
            self.assertEqual(mine.tombstones, 1)
            self.assertEqual(mine.settings, 1)
            self.assertEqual(theirs.reviews, 1)
            self.assertEqual(everything(phone), everything(self.laptop))
            self.assertEqual([r.grade for r in self.laptop.reviews("alpha")], [5, 3])
            origins = {r.origin_replica for r in self.laptop.reviews("alpha")}
            self.assertEqual(origins, {self.laptop.replica_id, phone.replica_id})
            again, _ = self.laptop.sync_with(phone)
            self.assertEqual(again.reviews + again.tombstones + again.cards + again.settings, 0)

    def test_streams_go_through_file_objects(self):
        self.laptop.answer("alpha", 5, now=NOW)
        other = self.open("other.alliance")
        other.close()
        os.remove(self.path("other.alliance"))
        changes = io.BytesIO()
        self.laptop.sync_changes(None, file=changes)
        phone, report = alliance.Collection.clone(self.path("other.alliance"), io.BytesIO(changes.getvalue()))
        with phone:
            state = io.BytesIO()
            phone.sync_state(file=state)
            self.assertEqual(state.getvalue(), phone.sync_state())
            self.assertEqual(report.bytes, len(changes.getvalue()))

    def test_another_learners_collection_is_refused_unless_forced(self):
        with alliance.Collection(":memory:", utc_offset_seconds=0) as stranger:
            stranger.import_deck_data(support.SMALL_DECK.encode(), "small.deck", now=NOW)
            changes = stranger.sync_changes(self.laptop.sync_state())
            with self.assertRaises(alliance.ForeignCollection) as e:
                self.laptop.sync_apply(changes)
            self.assertIn("another learner", str(e.exception))
            report = self.laptop.sync_apply(changes, force=True)
            self.assertGreaterEqual(report.conflicts, 1)  # both imported the same deck
            self.assertTrue(report.conflict_text)

    def test_a_damaged_changeset_raises_and_changes_nothing(self):
        phone, _ = alliance.Collection.clone(":memory:", self.laptop.sync_changes(), utc_offset_seconds=0)
        with phone:
            self.laptop.answer("alpha", 5, now=NOW)
            changes = self.laptop.sync_changes(phone.sync_state())
            before = everything(phone)
            with self.assertRaises(alliance.CorruptError):
                phone.sync_apply(changes[:-3])
            flipped = bytearray(changes)
            flipped[len(flipped) // 2] ^= 0x10
            with self.assertRaises(alliance.CorruptError):
                phone.sync_apply(bytes(flipped))
            self.assertEqual(everything(phone), before)

    def test_a_read_that_raises_is_re_raised(self):
        class Broken(io.RawIOBase):
            def read(self, n=-1):
                raise OSError("the cable came out")
        with self.assertRaises(OSError):
            self.laptop.sync_apply(Broken())

    def test_a_read_that_returns_more_than_asked_raises_before_copying(self):
        # read(n) of a file-like object that hands back more than n bytes must not be
        # copied into the library's n-byte buffer (it would write past it).
        changes = self.laptop.sync_changes()

        class Greedy(io.RawIOBase):
            def read(self, n=-1):
                return changes + b"\0" * 70000
        with alliance.Collection(":memory:", utc_offset_seconds=0) as phone:
            with self.assertRaises(ValueError) as e:
                phone.sync_apply(Greedy())
            self.assertIn("more than", str(e.exception))


class FixtureCollectionCase(support.TempDirTestCase):
    """Opens a copy of tests/data/<VERSION>/collection.db with its expected.json as
    self.expected, at the UTC offset it was made with."""

    VERSION = None

    def setUp(self):
        super().setUp()
        src = os.path.join(support.REPOSITORY, "tests", "data", self.VERSION)
        shutil.copy(os.path.join(src, "collection.db"), self.path(self.VERSION + ".db"))
        with open(os.path.join(src, "expected.json"), encoding="utf-8") as f:
            self.expected = json.load(f)
        self.coll = alliance.Collection(self.path(self.VERSION + ".db"),
                                        utc_offset_seconds=self.expected["utc_offset_seconds"])
        self.addCleanup(self.coll.close)


class TestVersion1Collection(FixtureCollectionCase):
    """tests/data/v1: a collection made by liballiance 0.1.0, with real use in it."""

    VERSION = "v1"

    def test_every_card_reads_back_as_0_1_0_read_it(self):
        cards = [card_of_v2(c) for c in self.coll.cards(0)]
        self.assertEqual(json.loads(json.dumps(cards, default=lambda o: o.__dict__)), self.expected["cards"])

    def test_every_review_reads_back_as_0_1_0_read_it(self):
        reviews = [old_review(r) | {"before": r.before.__dict__, "after": r.after.__dict__, "params": r.params.__dict__}
                   for r in self.coll.reviews()]
        for r in reviews:
            self.assertEqual(r.pop("origin_replica"), self.coll.replica_id)  # now events of this copy
            self.assertEqual(r.pop("origin_seq"), r["review_id"])
            self.assertEqual(r.pop("import_id"), 0)  # schema 6: none of them is imported history
        self.assertEqual(json.loads(json.dumps(reviews, default=lambda o: o.__dict__)), self.expected["reviews"])

    def test_the_settings_read_back_and_the_file_verifies(self):
        self.assertEqual(self.coll.config.__dict__, self.expected["config"])
        self.assertEqual(self.coll.verify(), 0)

    def test_the_upgraded_file_syncs(self):
        phone, report = alliance.Collection.clone(":memory:", self.coll.sync_changes(),
                                                  utc_offset_seconds=self.expected["utc_offset_seconds"])
        with phone:
            self.assertEqual(report.reviews, len(self.expected["reviews"]))
            self.assertEqual(everything(phone), everything(self.coll))
            self.assertEqual(phone.verify(), 0)
            card = next(c for c in phone.cards(0) if not c.suspended and c.reviews > 0)
            due_now = (card.due_day + 1) * DAY + 12 * 3600 - self.expected["utc_offset_seconds"]
            phone.answer(card.id, 4, now=due_now)
            self.coll.undo()
            self.coll.sync_with(phone)
            self.assertEqual(everything(phone), everything(self.coll))
            self.assertEqual(self.coll.verify(), 0)
            self.assertEqual(phone.verify(), 0)


def card_of_v2(card):
    """A card as the fixtures of schema versions 1 and 2 recorded it: before the FSRS fields
    (which stay all zeros while the collection is scheduled by SM-2)."""
    assert card.fsrs == alliance.FSRSState() and card.fsrs_drill == 0
    return {k: v for k, v in stored(card).items() if k not in ("fsrs", "fsrs_drill")} | {"state": card.state.__dict__}


def old_review(review):
    """A review as the fixtures of schema versions 1 to 4 recorded it: before each row recorded its
    scheduler (schema 5), which such rows read as SM-2."""
    assert review.scheduler == alliance.SCHEDULER_SM2 and review.fsrs_params is None
    return {k: v for k, v in review.__dict__.items() if k not in ("scheduler", "fsrs_params")}


def v5_review(review):
    """A review as the fixture of schema version 5 recorded it: before imported Anki history
    (schema 6), which none of its rows is."""
    assert review.import_id == 0
    return {k: v for k, v in review.__dict__.items() if k != "import_id"}


def stored(card):
    """A card's fields as the fixtures recorded them: without its retrievability, which is
    computed for the day asked (a search, having no time, leaves it unset)."""
    assert card.retrievability_day is None and card.fsrs_retrievability == 0.0
    return {k: v for k, v in card.__dict__.items() if k not in ("retrievability_day", "fsrs_retrievability")}


class TestVersion2Collection(FixtureCollectionCase):
    """tests/data/v2: the first schema with sync, made by tests/data/v2/make_fixture.py: later
    migrations start from it too."""

    VERSION = "v2"

    def test_it_reads_back_and_verifies(self):
        cards = [card_of_v2(c) for c in self.coll.cards(0)]
        self.assertEqual(json.loads(json.dumps(cards, default=lambda o: o.__dict__)), self.expected["cards"])
        reviews = [old_review(r) | {"before": r.before.__dict__, "after": r.after.__dict__, "params": r.params.__dict__}
                   for r in self.coll.reviews()]
        for r in reviews:
            self.assertEqual(r.pop("import_id"), 0)  # schema 6: none of them is imported history
        self.assertEqual(json.loads(json.dumps(reviews, default=lambda o: o.__dict__)), self.expected["reviews"])
        self.assertEqual(self.coll.replica_id, self.expected["replica_id"])
        self.assertEqual(self.coll.collection_id.hex(), self.expected["collection_id"])
        self.assertEqual(self.coll.config.__dict__, self.expected["config"])
        self.assertEqual(self.coll.verify(), 0)

    def test_it_syncs(self):
        phone, report = alliance.Collection.clone(":memory:", self.coll.sync_changes(),
                                                  utc_offset_seconds=self.expected["utc_offset_seconds"])
        with phone:
            self.assertEqual(report.reviews, len(self.expected["reviews"]))
            self.assertEqual(everything(phone), everything(self.coll))


class TestVersion3Collection(FixtureCollectionCase):
    """tests/data/v3: FSRS in the collection (a week of SM-2, fitted parameters, a week of
    FSRS on two copies, switched back), made by tests/data/v3/make_fixture.py."""

    VERSION = "v3"

    def test_it_reads_back_and_verifies(self):
        cards = [stored(c) | {"state": c.state.__dict__, "fsrs": c.fsrs.__dict__} for c in self.coll.cards(0)]
        self.assertEqual(json.loads(json.dumps(cards, default=lambda o: o.__dict__)), self.expected["cards"])
        reviews = [old_review(r) | {"before": r.before.__dict__, "after": r.after.__dict__, "params": r.params.__dict__}
                   for r in self.coll.reviews()]
        for r in reviews:
            self.assertEqual(r.pop("import_id"), 0)  # schema 6: none of them is imported history
        self.assertEqual(json.loads(json.dumps(reviews, default=lambda o: o.__dict__)), self.expected["reviews"])
        self.assertEqual(self.coll.scheduler, self.expected["scheduler"])
        self.assertEqual(json.loads(json.dumps(self.coll.fsrs_params.__dict__)), self.expected["fsrs_params"])
        self.assertEqual(self.coll.config.__dict__, self.expected["config"])
        self.assertEqual(self.coll.verify(), 0)

    def test_it_switches_to_fsrs_and_back_keeping_every_review(self):
        report = self.coll.set_scheduler(alliance.SCHEDULER_FSRS)
        self.assertEqual(report.reviews, len(self.expected["reviews"]))
        self.assertEqual(self.coll.verify(), 0)
        self.assertTrue(all(c.fsrs.stability > 0 for c in self.coll.cards(0) if c.reviews))
        self.coll.set_scheduler(alliance.SCHEDULER_SM2)
        self.assertEqual(self.coll.verify(), 0)
        self.test_it_reads_back_and_verifies()

    def test_it_syncs(self):
        phone, report = alliance.Collection.clone(":memory:", self.coll.sync_changes(),
                                                  utc_offset_seconds=self.expected["utc_offset_seconds"])
        with phone:
            self.assertEqual(report.reviews, len(self.expected["reviews"]))
            self.assertEqual(everything(phone), everything(self.coll))
            self.assertEqual(phone.fsrs_params, self.coll.fsrs_params)



class TestVersion4Collection(FixtureCollectionCase):
    """tests/data/v4: study modes (an exam, fuzz recorded in the rows), made by
    tests/data/v4/make_fixture.py: later migrations start from it too."""

    VERSION = "v4"

    def test_it_reads_back_and_verifies(self):
        cards = [stored(c) | {"state": c.state.__dict__} for c in self.coll.cards(0)]
        self.assertEqual(json.loads(json.dumps(cards, default=lambda o: o.__dict__)), self.expected["cards"])
        reviews = [old_review(r) | {"before": r.before.__dict__, "after": r.after.__dict__, "params": r.params.__dict__}
                   for r in self.coll.reviews()]
        for r in reviews:
            self.assertEqual(r.pop("import_id"), 0)  # schema 6: none of them is imported history
        self.assertEqual(json.loads(json.dumps(reviews, default=lambda o: o.__dict__)), self.expected["reviews"])
        self.assertEqual(self.coll.config.__dict__, self.expected["config"])
        self.assertEqual(self.coll.verify(), 0)

    def test_the_exam_and_the_clamped_due_days_read_back(self):
        now = 1767261600 + 11 * 86400
        deck_id = next(iter(self.coll.cards(0))).deck_id
        self.assertEqual(self.coll.exam(deck_id, now=now).__dict__, self.expected["exam"])
        seen = {c.id: self.coll.card_due_day(c.id, now=now) for c in self.coll.cards(0)}
        self.assertEqual(seen, self.expected["due_days_seen"])
        self.assertTrue(all(day < self.expected["exam"]["exam_day"] for day in seen.values()))

    def test_the_fuzz_of_each_row_replays_the_same(self):
        import sqlite3
        self.coll.close()
        con = sqlite3.connect(self.path("v4.db"))
        rows = [list(r) for r in con.execute(
            "SELECT origin, seq, kind, fuzz, fuzz_days FROM reviews ORDER BY origin, seq")]
        con.close()
        self.assertEqual(rows, self.expected["review_fuzz"])
        self.assertTrue(any(r[4] != 0 for r in rows))

    def test_it_syncs(self):
        phone, report = alliance.Collection.clone(":memory:", self.coll.sync_changes(),
                                                  utc_offset_seconds=self.expected["utc_offset_seconds"])
        with phone:
            self.assertEqual(report.reviews, len(self.expected["reviews"]))
            self.assertEqual(everything(phone), everything(self.coll))
            self.assertEqual(phone.verify(), 0)
            deck_id = next(iter(phone.cards(0))).deck_id
            self.assertEqual(phone.exam(deck_id, now=1767261600 + 11 * 86400).__dict__, self.expected["exam"])


class TestVersion5Collection(FixtureCollectionCase):
    """tests/data/v5: each review records its scheduler and FSRS parameters (answers under SM-2,
    FSRS defaults and fitted FSRS parameters on two copies, switched back to SM-2), made by
    tests/data/v5/make_fixture.py: later migrations start from it too."""

    VERSION = "v5"

    def reviews(self, coll):
        return [v5_review(r) | {"before": r.before.__dict__, "after": r.after.__dict__, "params": r.params.__dict__}
                for r in coll.reviews()]

    def test_it_reads_back_and_verifies(self):
        cards = [stored(c) | {"state": c.state.__dict__, "fsrs": c.fsrs.__dict__} for c in self.coll.cards(0)]
        self.assertEqual(json.loads(json.dumps(cards, default=lambda o: o.__dict__)), self.expected["cards"])
        reviews = self.reviews(self.coll)
        self.assertEqual(json.loads(json.dumps(reviews, default=lambda o: o.__dict__)), self.expected["reviews"])
        self.assertEqual(self.coll.scheduler, self.expected["scheduler"])
        self.assertEqual(json.loads(json.dumps(self.coll.fsrs_params.__dict__)), self.expected["fsrs_params"])
        self.assertEqual(self.coll.config.__dict__, self.expected["config"])
        self.assertEqual(self.coll.verify(), 0)
        # all three records are there: SM-2, FSRS with the defaults, FSRS with fitted parameters
        records = {(r["scheduler"], json.dumps(r["fsrs_params"])) for r in self.expected["reviews"]}
        self.assertEqual(len(records), 3)

    def test_the_records_and_their_parameter_sets_read_back(self):
        import sqlite3
        self.coll.close()
        con = sqlite3.connect(self.path("v5.db"))
        sets = [list(r) for r in con.execute("SELECT id, params FROM fsrs_param_sets ORDER BY id")]
        rows = [list(r) for r in con.execute(
            "SELECT origin, seq, scheduler, fsrs_params FROM reviews ORDER BY origin, seq")]
        con.close()
        self.assertEqual(sets, self.expected["param_sets"])
        self.assertEqual(rows, self.expected["review_record"])

    def test_switching_rewrites_no_record_and_a_copy_gets_the_same(self):
        before = self.reviews(self.coll)
        self.coll.set_scheduler(alliance.SCHEDULER_FSRS)
        self.assertEqual(self.coll.verify(), 0)
        self.assertEqual(self.reviews(self.coll), before)
        phone, report = alliance.Collection.clone(":memory:", self.coll.sync_changes(),
                                                  utc_offset_seconds=self.expected["utc_offset_seconds"])
        with phone:
            self.assertEqual(report.reviews, len(self.expected["reviews"]))
            self.assertEqual(everything(phone), everything(self.coll))
            self.assertEqual(phone.verify(), 0)


class TestVersion6Collection(FixtureCollectionCase):
    """tests/data/v6: Anki history (an .apkg's review log imported on two synced copies, one
    row kept per import key, answers after it, an undo), made by tests/data/v6/make_fixture.py:
    later migrations start from it too."""

    VERSION = "v6"

    def test_it_reads_back_and_verifies(self):
        cards = [c.__dict__ | {"state": c.state.__dict__} for c in self.coll.cards(0)]
        self.assertEqual(json.loads(json.dumps(cards, default=lambda o: o.__dict__)), self.expected["cards"])
        reviews = [r.__dict__ | {"before": r.before.__dict__, "after": r.after.__dict__, "params": r.params.__dict__}
                   for r in self.coll.reviews()]
        self.assertEqual(json.loads(json.dumps(reviews, default=lambda o: o.__dict__)), self.expected["reviews"])
        self.assertEqual(sum(1 for r in self.coll.reviews() if r.imported), 6)
        self.assertEqual(self.coll.config.__dict__, self.expected["config"])
        self.assertEqual(self.coll.verify(), 0)

    def test_the_imported_rows_read_back(self):
        import sqlite3
        self.coll.close()
        con = sqlite3.connect(self.path("v6.db"))
        rows = [list(r) for r in con.execute(
            "SELECT origin, seq, import_id, import_due_day, import_reviews, import_lapses FROM reviews "
            "WHERE import_id <> 0 ORDER BY origin, seq")]
        con.close()
        self.assertEqual(rows, self.expected["review_imports"])

    def test_it_syncs(self):
        phone, report = alliance.Collection.clone(":memory:", self.coll.sync_changes(),
                                                  utc_offset_seconds=self.expected["utc_offset_seconds"])
        with phone:
            self.assertEqual(report.reviews, len(self.expected["reviews"]))
            self.assertEqual(everything(phone), everything(self.coll))
            self.assertEqual(phone.verify(), 0)


class TestVersion7Collection(FixtureCollectionCase):
    """tests/data/v7: the UTC offset stored in the file (-05:00), and notes edited and deleted
    through the API, made by tests/data/v7/make_fixture.py: later migrations start from it too."""

    VERSION = "v7"

    def test_it_reads_back_and_verifies(self):
        cards = [c.__dict__ | {"state": c.state.__dict__} for c in self.coll.cards(0)]
        self.assertEqual(json.loads(json.dumps(cards, default=lambda o: o.__dict__)), self.expected["cards"])
        reviews = [r.__dict__ | {"before": r.before.__dict__, "after": r.after.__dict__, "params": r.params.__dict__}
                   for r in self.coll.reviews()]
        self.assertEqual(json.loads(json.dumps(reviews, default=lambda o: o.__dict__)), self.expected["reviews"])
        self.assertEqual(self.coll.config.__dict__, self.expected["config"])
        self.assertEqual(self.coll.verify(), 0)

    def test_a_handle_opened_without_an_offset_uses_the_stored_one(self):
        self.coll.close()
        with alliance.Collection(self.path("v7.db")) as coll:
            self.assertEqual(coll.utc_offset(), self.expected["stored_utc_offset_seconds"])
            seen = {str(t): coll.today(now=int(t)) for t in self.expected["today_at"]}
            self.assertEqual(seen, self.expected["today_at"])
        with alliance.Collection(self.path("v7.db"), utc_offset_seconds=0) as coll:
            self.assertEqual(coll.utc_offset(), 0)  # the option is the handle's only
            self.assertNotEqual({str(t): coll.today(now=int(t)) for t in self.expected["today_at"]},
                                self.expected["today_at"])


class TestStoredUtcOffsetFromEveryVersion(support.TempDirTestCase):
    """Files of versions 1-6 upgrade with no offset stored (the process time zone, as before),
    then keep the one set; a clone does not get it (each device has its own)."""

    def test_every_fixture(self):
        for version in ("v1", "v2", "v3", "v4", "v5", "v6"):
            with self.subTest(version=version):
                path = self.path(version + "-offset.db")
                shutil.copy(os.path.join(support.REPOSITORY, "tests", "data", version, "collection.db"), path)
                with alliance.Collection(path) as coll:
                    self.assertEqual(coll.utc_offset(), alliance.UTC_OFFSET_LOCAL)
                    coll.set_utc_offset(34200)
                    phone, _ = alliance.Collection.clone(":memory:", coll.sync_changes())
                    with phone:
                        self.assertEqual(phone.utc_offset(), alliance.UTC_OFFSET_LOCAL)
                with alliance.Collection(path) as coll:
                    self.assertEqual(coll.utc_offset(), 34200)
                    self.assertEqual(coll.verify(), 0)


class TestUpgradesGainStudyModes(support.TempDirTestCase):
    """A version-1, 2 or 3 file upgraded to version 4: no exam, no fuzz, and both work."""

    def test_v1_v2_and_v3_files_take_an_exam(self):
        for version in ("v1", "v2", "v3"):
            with self.subTest(version=version):
                src = os.path.join(support.REPOSITORY, "tests", "data", version)
                shutil.copy(os.path.join(src, "collection.db"), self.path(version + ".db"))
                with open(os.path.join(src, "expected.json"), encoding="utf-8") as f:
                    expected = json.load(f)
                with alliance.Collection(self.path(version + ".db"),
                                         utc_offset_seconds=expected["utc_offset_seconds"]) as coll:
                    card = next(iter(coll.cards(0)))
                    self.assertIsNone(coll.exam(card.deck_id))
                    self.assertEqual(coll.card_due_day(card.id, now=1767261600),
                                     card.due_day if card.reviews else coll.today(now=1767261600))
                    coll.exam_set(card.deck_id, card.due_day - 1 if card.reviews else 30000)
                    self.assertIsNotNone(coll.exam(card.deck_id))
                    self.assertEqual(coll.verify(), 0)


if __name__ == "__main__":
    unittest.main()
