#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Drills three cards of the bundled deck in a temporary collection, with
scripted grades, so that it runs unattended (it is also a test).

    PYTHONPATH=bindings/python python3 bindings/python/examples/drill3.py [GRADE GRADE GRADE]

The library is found as alliance.capi explains (ALLIANCE_LIBRARY, else the
liballiance that was installed with the binding, or the system's).
"""

import os
import sys
import tempfile

import alliance

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
DECK = os.path.join(REPOSITORY, "decks", "therapeutic-alliance.deck")
GRADES = [5, 3, 4]  # what a learner might answer: perfect, hesitant, good


def drill(grades):
    with tempfile.TemporaryDirectory(prefix="alliance-drill3-") as tmp:
        with alliance.Collection(os.path.join(tmp, "learner.alliance")) as coll:
            report = coll.import_deck(DECK)
            print("imported %d cards into %r" % (report.added, report.deck_name))
            with coll.session(report.deck_id) as session:
                counts = session.counts()
                print("today: %d new, %d due, %d to repeat" % (counts.new_cards, counts.due, counts.repeat))
                for number, grade in enumerate(grades, 1):
                    card = session.next_card()
                    if card is None:
                        break
                    print("\ncard %d of %d  [%s]" % (number, len(grades), card.id))
                    shown = card.render()  # the library shows every card type the same way
                    print("  Q: " + shown.prompt.replace("\n", "\n     "))
                    for letter, option in zip("abcdefghijklmnopqrstuvwxyz", shown.options):
                        print("     %s) %s" % (letter, option))
                    print("  A: " + shown.answer.replace("\n", "\n     "))
                    if shown.extra:
                        print("     " + shown.extra.replace("\n", "\n     "))
                    state = session.answer(card, grade)
                    when = "again today" if state.repeat_today else "in %d day(s)" % state.interval_days
                    print("  graded %d -> next review %s (E-Factor %.2f)" % (grade, when, state.efactor))
            stats = coll.stats(report.deck_id)
            print("\n%d of %d cards learned; %d answers today, %d correct"
                  % (stats.learned, stats.total, stats.reviews, stats.correct))
            return stats.reviews


def main(argv):
    grades = [int(g) for g in argv[1:]] or GRADES
    answered = drill(grades)
    return 0 if answered == len(grades) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
