#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A simulated learner's review log, for fitting FSRS weights to it (README.md here).

Usage: learner_history.py COLLECTION.db [--cards N] [--days D] [--seed S]

Creates COLLECTION.db (it must not exist), adds N basic cards and studies them
for D days under the collection's scheduler (SM-2), 20 new cards a day. The
learner's memory is FSRS-6 with weights other than the defaults (TRUE_WEIGHTS):
each answer recalls with the probability those weights predict, and a recall
is graded 3, 4 or 5 (a failure 1). Then `alliance-drill --db COLLECTION.db
export --format fsrs-csv` writes what the optimizer fits, and fit.mjs fits it.
Seeded: the same arguments give the same collection.
"""
import argparse
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bindings", "python"))
import alliance  # noqa: E402

# A learner who forgets faster than the defaults assume (lower initial stabilities,
# a steeper decay) and finds cards harder: a fit should move towards these.
TRUE_WEIGHTS = (0.1, 0.6, 1.5, 5.0, 7.0, 0.6, 2.0, 0.01, 1.5, 0.2, 1.0, 1.8, 0.1, 0.3, 1.5, 0.5, 2.0,
                0.5, 0.1, 0.07, 0.3)
START = 1767614400  # 2026-01-05 12:00 UTC


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db")
    ap.add_argument("--cards", type=int, default=600)
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--seed", type=int, default=17)
    args = ap.parse_args()
    if os.path.exists(args.db):
        sys.exit("%s exists: give a new path" % args.db)
    rng = random.Random(args.seed)
    truth = alliance.FSRSParams(TRUE_WEIGHTS, 0.9, 36500)
    clock = [START]
    deck = "deck: Simulated\n" + "".join(
        "\ncard: s%d\ntype: basic\nfront: Question %d\nback: Answer %d\n" % (i, i, i) for i in range(args.cards))
    memory = {}  # card id -> (true FSRS state, day of its last answer)
    answers = 0
    with alliance.Collection(args.db, utc_offset_seconds=0, synchronous=alliance.SYNC_NORMAL,
                             clock=lambda: clock[0]) as coll:
        coll.import_deck_data(deck, "simulated.deck")
        for day in range(args.days):
            clock[0] = START + day * 86400
            with coll.session() as session:
                while True:
                    card = session.next_card()
                    if card is None:
                        break
                    state, last = memory.get(card.id, (alliance.FSRSState(), None))
                    elapsed = 0 if last is None else day - last
                    r = 0.0 if last is None else alliance.fsrs_retrievability(state, elapsed, truth)
                    recalled = last is not None and rng.random() < r
                    if last is None:  # a new card: how well the first look went
                        rating = rng.choices([1, 2, 3, 4], [0.3, 0.15, 0.45, 0.1])[0]
                    else:
                        rating = rng.choices([2, 3, 4], [0.15, 0.7, 0.15])[0] if recalled else 1
                    grade = {1: 1, 2: 3, 3: 4, 4: 5}[rating]
                    # The truth moves only on a card's first answer of a day (a same-day repeat is practice).
                    if last is None or elapsed > 0:
                        state = alliance.fsrs_next(state, rating, elapsed if last is not None else 0, truth)
                    memory[card.id] = (state, day)
                    clock[0] += rng.randint(5, 40)
                    session.answer(card, grade, answer_ms=rng.randint(1500, 12000))
                    answers += 1
        print("%d answers of %d cards over %d days in %s; verify: %d mismatches"
              % (answers, len(memory), args.days, args.db, coll.verify()))


if __name__ == "__main__":
    main()
