# SPDX-License-Identifier: MIT
"""The example scripts run unattended, and `import alliance` works from the repository root."""

import os
import re
import unittest

import support
from alliance import capi

DRILL3 = os.path.join(support.BINDING, "examples", "drill3.py")


class TestDrill3(unittest.TestCase):
    def test_drills_three_cards_with_scripted_grades(self):
        result = support.run_python([DRILL3])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        out = result.stdout
        self.assertIn("into 'Therapeutic alliance in social work'", out)
        self.assertEqual(len(re.findall(r"^card \d of 3", out, re.M)), 3)
        self.assertEqual(re.findall(r"graded (\d)", out), ["5", "3", "4"])
        self.assertIn("graded 3 -> next review again today", out)
        self.assertRegex(out, r"3 of \d+ cards learned; 3 answers today, 3 correct")

    def test_grades_come_from_the_command_line(self):
        result = support.run_python([DRILL3, "0", "5", "5"])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(re.findall(r"graded (\d)", result.stdout), ["0", "5", "5"])
        self.assertRegex(result.stdout, r"3 answers today, 2 correct")


class TestImportFromRepository(unittest.TestCase):
    def test_import_alliance_from_the_repository_root(self):
        # Only the shim in the root can make it importable; the library is the one this process uses.
        env = {"PYTHONPATH": "", "ALLIANCE_LIBRARY": capi.lib.path}
        code = "import alliance; print(alliance.__file__); print(alliance.sm2_next(alliance.SM2State(), 5))"
        result = support.run_python(["-c", code], cwd=support.REPOSITORY, env=env)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        first = result.stdout.splitlines()[0]
        self.assertEqual(os.path.realpath(first),
                         os.path.realpath(os.path.join(support.BINDING, "alliance", "__init__.py")))
        self.assertIn("SM2State(repetitions=1", result.stdout)

    def test_the_thin_layer_is_a_submodule(self):
        env = {"PYTHONPATH": "", "ALLIANCE_LIBRARY": capi.lib.path}
        result = support.run_python(["-c", "import alliance.capi as c; print(c.lib.path)"],
                                    cwd=support.REPOSITORY, env=env)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)


if __name__ == "__main__":
    unittest.main()
