# SPDX-License-Identifier: MIT
"""alliance.fsrs_next, the pure FSRS-6 step, through the binding: ts-fsrs's sequences and the refusals."""

import ctypes
import math
import os
import unittest

import alliance
import support
from alliance import capi

VECTORS = os.path.join(support.REPOSITORY, "tests", "fsrs", "vectors.txt")

# The start of seq 0 of tests/fsrs/vectors.txt (ts-fsrs 5.4.2, default parameters), as in
# tests/consumer/consumer.c: elapsed days, rating, then ts-fsrs's stability, difficulty, interval.
SEQUENCE = [
    (0, 3, 2.3065, 2.11810397, 3), (3, 3, 13.82690327, 2.11121424, 14), (14, 3, 56.95670978, 2.1043314, 57),
    (1, 3, 60.47506896, 2.09745544, 60), (83, 2, 169.98469165, 4.73915103, 170),
    (11, 3, 192.16935401, 4.72964025, 192), (192, 3, 462.34107252, 4.72013898, 462),
    (0, 1, 5.424186, 8.24977395, 5), (0, 3, 5.424186, 8.23675255, 6), (6, 1, 0.98070699, 9.40566093, 1),
]


def read_sequences():
    """(FSRSParams, [(elapsed, rating, R, [(S, D, I) for ratings 1..4])]) for every seq of the vectors."""
    params, sequences = {}, []
    with open(VECTORS, encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if not fields or fields[0] == "#":
                continue
            if fields[0] == "params":
                w = tuple(float(x) for x in fields[4:25])
                params[fields[1]] = alliance.FSRSParams(w, float(fields[2]), int(fields[3]))
            elif fields[0] == "seq":
                sequences.append((params[fields[2]], []))
            elif fields[0] == "step":
                outcomes = [(float(fields[4 + 3 * g]), float(fields[5 + 3 * g]), int(fields[6 + 3 * g]))
                            for g in range(4)]
                sequences[-1][1].append((int(fields[1]), int(fields[2]), float(fields[3]), outcomes))
    return sequences


class TestTsFsrs(unittest.TestCase):
    def test_the_start_of_a_sequence(self):
        state = alliance.FSRSState()
        self.assertTrue(state.is_new)
        for elapsed, rating, s, d, interval in SEQUENCE:
            state = alliance.fsrs_next(state, rating, elapsed)
            self.assertEqual((state.stability, state.difficulty, state.interval_days), (s, d, interval))
        self.assertFalse(state.is_new)

    def test_every_sequence_of_the_vectors_chained_through_the_binding(self):
        sequences = read_sequences()
        self.assertEqual(len(sequences), 130)
        answers = 0
        for params, steps in sequences:
            state = alliance.FSRSState()
            for elapsed, rating, r, outcomes in steps:
                self.assertTrue(math.isclose(alliance.fsrs_retrievability(state, elapsed, params), r,
                                             rel_tol=1e-6, abs_tol=0))
                s, d, interval = outcomes[rating - 1]
                state = alliance.fsrs_next(state, rating, elapsed, params)
                self.assertTrue(math.isclose(state.stability, s, rel_tol=1e-6), (state, s))
                self.assertTrue(math.isclose(state.difficulty, d, rel_tol=1e-6), (state, d))
                # Exact: every outcome of the file is bit-identical to ts-fsrs's (tests/test_fsrs.c), so no
                # interval needs the allowance near a rounding boundary.
                self.assertEqual(state.interval_days, interval)
                answers += 1
        self.assertEqual(answers, 2957)


class TestParams(unittest.TestCase):
    def test_defaults_are_the_librarys(self):
        self.assertEqual(alliance.FSRSParams(), alliance.fsrs_params())
        self.assertEqual(alliance.fsrs_params().weights[20], 0.1542)
        alliance.check_fsrs_params(alliance.FSRSParams())

    def test_weights_out_of_range_or_nan_are_refused(self):
        for index, value in ((0, 0.0), (4, 10.5), (20, 0.09), (7, math.nan), (13, math.inf)):
            with self.subTest(index=index, value=value):
                w = list(alliance.FSRSParams().weights)
                w[index] = value
                params = alliance.FSRSParams(tuple(w))
                with self.assertRaises(alliance.InvalidArgument):
                    alliance.check_fsrs_params(params)
                with self.assertRaises(alliance.InvalidArgument):
                    alliance.fsrs_next(alliance.FSRSState(), alliance.FSRS_GOOD, 0, params)

    def test_twenty_one_weights_exactly(self):
        with self.assertRaises(alliance.InvalidArgument):
            alliance.FSRSParams(alliance.FSRS6_DEFAULT_WEIGHTS[:19])

    def test_retention_and_cap(self):
        for retention in (0.0, 1.5, math.nan):
            with self.assertRaises(alliance.InvalidArgument):
                alliance.check_fsrs_params(alliance.FSRSParams(desired_retention=retention))
        with self.assertRaises(alliance.InvalidArgument):
            alliance.check_fsrs_params(alliance.FSRSParams(max_interval_days=0))
        capped = alliance.FSRSParams(max_interval_days=30)
        state = alliance.FSRSState(36500, 1, 36500)
        days = [alliance.fsrs_next(state, g, 36500, capped).interval_days for g in range(1, 5)]
        # A lapse forgets down to 26 days; hard is capped at 30, good and easy are ordered
        # past the cap, as ts-fsrs orders them.
        self.assertEqual(days, [26, 30, 31, 32])


class TestRetrievability(unittest.TestCase):
    def test_new_card_and_on_time(self):
        self.assertEqual(alliance.fsrs_retrievability(alliance.FSRSState(), 0), 0.0)
        self.assertEqual(alliance.fsrs_retrievability(alliance.FSRSState(10, 5, 10), 10), 0.9)
        self.assertEqual(alliance.fsrs_retrievability(alliance.FSRSState(10, 5, 10), 0), 1.0)


class TestErrors(unittest.TestCase):
    def test_ratings_outside_1_to_4_are_a_grade_error(self):
        for rating in (0, 5, -1, 2 ** 32 + 3, 2 ** 40):
            with self.subTest(rating=rating):
                with self.assertRaises(alliance.GradeError) as cm:
                    alliance.fsrs_next(alliance.FSRSState(), rating)
                self.assertEqual(cm.exception.code, capi.EGRADE)

    def test_impossible_states_are_a_state_error(self):
        for state in (alliance.FSRSState(0, 5, 0), alliance.FSRSState(5, 11, 3), alliance.FSRSState(5, 5, 0),
                      alliance.FSRSState(math.nan, 5, 1), alliance.FSRSState(0.0001, 5, 1)):
            with self.subTest(state=state):
                with self.assertRaises(alliance.StateError):
                    alliance.fsrs_next(state, alliance.FSRS_GOOD, 1)
                with self.assertRaises(alliance.StateError):
                    alliance.fsrs_retrievability(state, 1)

    def test_elapsed_days_must_be_a_uint32_and_zero_for_a_new_card(self):
        with self.assertRaises(alliance.InvalidArgument):
            alliance.fsrs_next(alliance.FSRSState(), alliance.FSRS_GOOD, 1)
        for days in (-1, 2 ** 32, 1.5):
            with self.subTest(days=days):
                with self.assertRaises(alliance.InvalidArgument):
                    alliance.fsrs_next(alliance.FSRSState(3, 5, 3), alliance.FSRS_GOOD, days)

    def test_integers_of_the_structs_must_fit_a_uint32(self):
        # ctypes would silently wrap them: -1 became the valid interval 4294967295 and
        # 2**32 + 7 the interval 7, so an impossible state was answered as another one.
        for days in (-1, 2 ** 32, 2 ** 32 + 7):
            with self.subTest(interval_days=days):
                state = alliance.FSRSState(5, 5, days)
                with self.assertRaises(alliance.InvalidArgument):
                    alliance.fsrs_next(state, alliance.FSRS_GOOD, 5)
                with self.assertRaises(alliance.InvalidArgument):
                    alliance.fsrs_retrievability(state, 5)
            with self.subTest(max_interval_days=days):
                with self.assertRaises(alliance.InvalidArgument):
                    alliance.check_fsrs_params(alliance.FSRSParams(max_interval_days=days))
        with self.assertRaises(TypeError):
            alliance.fsrs_next(alliance.FSRSState(5, 5, 2.5), alliance.FSRS_GOOD, 5)

    def test_unknown_params_version_leaves_out_untouched(self):
        lib = capi.lib
        params = capi.alliance_fsrs_params()
        self.assertEqual(lib.alliance_fsrs_params_init(ctypes.byref(params), capi.FSRS_PARAMS_VERSION), capi.OK)
        params.version = 2
        state = capi.alliance_fsrs_state(3, 5, 3)
        out = capi.alliance_fsrs_state(7, 7, 7)
        rc = lib.alliance_fsrs_next(ctypes.byref(params), ctypes.byref(state), 3, 3, ctypes.byref(out))
        self.assertEqual(rc, capi.EVERSION)
        self.assertEqual((out.stability, out.difficulty, out.interval_days), (7, 7, 7))
        self.assertEqual(lib.alliance_fsrs_params_init(ctypes.byref(params), 2), capi.EVERSION)


if __name__ == "__main__":
    unittest.main()
