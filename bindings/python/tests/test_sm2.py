# SPDX-License-Identifier: MIT
"""alliance.sm2_next, the pure scheduler, through the binding: the worked examples and its errors."""

import ctypes
import unittest

import alliance
from alliance import capi

# (preset, grades, days until due after each answer): the worked examples of docs/sm2.md,
# the same table as tests/consumer/consumer.c.
WORKED_EXAMPLES = [
    (alliance.SM2_SUPERMEMO, "55555", [1, 6, 17, 50, 150]),
    (alliance.SM2_SUPERMEMO, "4334530133453", [1, 0, 0, 6, 15, 0, 0, 0, 0, 0, 35, 85, 0]),
    (alliance.SM2_SUPERMEMO, "4441444", [1, 6, 15, 0, 1, 6, 15]),
    (alliance.SM2_CLASSIC, "55555", [1, 6, 16, 45, 131]),
    (alliance.SM2_CLASSIC, "4441444", [1, 6, 15, 1, 1, 6, 12]),
]


class TestWorkedExamples(unittest.TestCase):
    def test_worked_examples(self):
        for preset, grades, expected in WORKED_EXAMPLES:
            with self.subTest(preset=preset, grades=grades):
                params = alliance.sm2_params(preset)
                state = alliance.sm2_new_state(params)
                days = []
                for g in grades:
                    state = alliance.sm2_next(state, int(g), params)
                    days.append(state.days_until_due)
                self.assertEqual(days, expected)

    def test_five_perfect_answers_raise_the_efactor_by_a_tenth_each(self):
        state = alliance.sm2_new_state()
        for _ in range(5):
            state = alliance.sm2_next(state, 5)
        self.assertEqual(state.efactor_milli, 3000)
        self.assertEqual(state.efactor, 3.0)
        self.assertEqual(state.repetitions, 5)


class TestParams(unittest.TestCase):
    def test_supermemo_defaults(self):
        self.assertEqual(alliance.sm2_params(alliance.SM2_SUPERMEMO),
                         alliance.SM2Params(alliance.SM2_SUPERMEMO, 2500, 1300, 1, 6, 36500))

    def test_classic_preset_is_named(self):
        self.assertEqual(alliance.sm2_params(alliance.SM2_CLASSIC).preset, alliance.SM2_CLASSIC)

    def test_preset_defaults_is_sm2_params(self):
        self.assertEqual(alliance.SM2Params.preset_defaults(alliance.SM2_CLASSIC),
                         alliance.sm2_params(alliance.SM2_CLASSIC))

    def test_new_state_has_the_initial_efactor(self):
        params = alliance.SM2Params(initial_efactor_milli=2100)
        self.assertEqual(alliance.sm2_new_state(params), alliance.SM2State(0, 2100, 0, 0))

    def test_unknown_preset_is_invalid(self):
        with self.assertRaises(alliance.InvalidArgument) as cm:
            alliance.sm2_params(7)
        self.assertEqual(cm.exception.code, capi.EINVAL)

    def test_check_accepts_the_defaults(self):
        alliance.check_sm2_params(alliance.sm2_params())

    def test_check_refuses_a_zero_floor(self):
        with self.assertRaises(alliance.InvalidArgument):
            alliance.check_sm2_params(alliance.SM2Params(min_efactor_milli=0))

    def test_check_refuses_an_initial_efactor_below_the_floor(self):
        with self.assertRaises(alliance.InvalidArgument):
            alliance.check_sm2_params(alliance.SM2Params(initial_efactor_milli=1200))


class TestErrors(unittest.TestCase):
    def test_grade_out_of_range_is_a_grade_error(self):
        for grade in (-1, 6, 100):
            with self.subTest(grade=grade):
                with self.assertRaises(alliance.GradeError) as cm:
                    alliance.sm2_next(alliance.sm2_new_state(), grade)
                self.assertEqual(cm.exception.code, -4)
                self.assertIn("grade %d" % grade, cm.exception.message)
                self.assertIsInstance(cm.exception, ValueError)

    def test_efactor_below_the_floor_is_a_state_error(self):
        with self.assertRaises(alliance.StateError) as cm:
            alliance.sm2_next(alliance.SM2State(1, 1000, 1, 0), 4)
        self.assertEqual(cm.exception.code, capi.ESTATE)

    def test_repeat_today_must_be_0_or_1(self):
        with self.assertRaises(alliance.StateError):
            alliance.sm2_next(alliance.SM2State(1, 2500, 1, 2), 4)

    def test_unknown_params_version_is_refused(self):
        lib = capi.lib
        params = capi.alliance_sm2_params()
        lib.alliance_sm2_params_init(ctypes.byref(params), capi.SM2_SUPERMEMO)
        params.version = 99
        state = capi.alliance_sm2_state(0, 2500, 0, 0)
        out = capi.alliance_sm2_state(7, 7, 7, 7)
        rc = lib.alliance_sm2_next(ctypes.byref(params), ctypes.byref(state), 4, ctypes.byref(out))
        self.assertEqual(rc, capi.EVERSION)
        self.assertEqual((out.repetitions, out.efactor_milli), (7, 7), "out is untouched on failure")
        self.assertEqual(lib.alliance_sm2_params_check(ctypes.byref(params)), capi.EVERSION)
        with self.assertRaises(alliance.VersionError) as cm:
            alliance._check_pure(rc)
        self.assertEqual(cm.exception.code, -3)


if __name__ == "__main__":
    unittest.main()
