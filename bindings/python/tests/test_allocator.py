# SPDX-License-Identifier: MIT
"""alliance.set_allocator: the library's allocations go through a Python allocator.

An allocator is installed before any object of the library exists, so each
scenario runs in a fresh interpreter."""

import ctypes
import textwrap
import unittest

import support
from alliance import capi

SCRIPT = textwrap.dedent("""
    import sys
    sys.path.insert(0, %(tests)r)
    import alliance, support

    counting = support.CountingAllocator()
    alliance.set_allocator(counting)
    text = alliance.cloze_render("{{c1::Trust}} first", 1, reveal=True)
    assert text == "Trust first", text
    used = counting.total
    with alliance.Collection(":memory:") as coll:
        coll.add_note("Deck", alliance.Note("n", "front", "back"))
        assert coll.card("n").front == "front"
    print("allocations", used, counting.total, "live", len(counting.live), "unknown", counting.unknown)
    alliance.set_allocator(None)  # back to the C library's, once nothing is allocated
    assert alliance.cloze_render("{{c1::x}}", 1) == "[...]"
""")

FAILING = textwrap.dedent("""
    import sys
    sys.path.insert(0, %(tests)r)
    import alliance

    class Refusing:
        def malloc(self, size):
            return 0
        def realloc(self, ptr, size):
            return 0
        def free(self, ptr):
            pass

    alliance.set_allocator(Refusing())
    try:
        alliance.cloze_render("{{c1::Trust}} first", 1)
    except alliance.OutOfMemory as e:
        print("refused", e.code)
""")


class TestAllocator(unittest.TestCase):
    def test_allocations_go_through_the_python_allocator(self):
        result = support.run_python(["-c", SCRIPT % {"tests": support.HERE}])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertRegex(result.stdout, r"allocations [1-9]\d* [1-9]\d* live 0 unknown 0")

    def test_a_failing_allocator_is_out_of_memory(self):
        result = support.run_python(["-c", FAILING % {"tests": support.HERE}])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(result.stdout.strip(), "refused -2")

    def test_unknown_version_is_refused(self):
        a = capi.alliance_allocator()
        a.version = 99
        self.assertEqual(capi.lib.alliance_set_allocator(ctypes.byref(a)), capi.EVERSION)

    def test_missing_function_is_invalid(self):
        a = capi.alliance_allocator()
        a.version = capi.ALLOCATOR_VERSION  # function pointers left NULL
        self.assertEqual(capi.lib.alliance_set_allocator(ctypes.byref(a)), capi.EINVAL)


if __name__ == "__main__":
    unittest.main()
