# SPDX-License-Identifier: MIT
"""What the binding's test modules share: paths, a fake clock, small collections."""

import ctypes
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import alliance

HERE = os.path.dirname(os.path.abspath(__file__))
REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
HEADER = os.path.join(REPOSITORY, "include", "alliance.h")
BUNDLED_DECK = os.path.join(REPOSITORY, "decks", "therapeutic-alliance.deck")
BINDING = os.path.join(REPOSITORY, "bindings", "python")

# 2026-01-05 12:00:00 UTC, a Monday: the same fake "now" as the C suites (tests/testutil.h).
NOW = 1767614400
DAY = 86400
TODAY = NOW // DAY  # with UTC offset 0 and rollover 4, noon is on its calendar day

# A deck of three basic cards, in the order they are added.
SMALL_DECK = """deck: Small
description: three cards for the binding's tests

card: alpha
type: basic
front: Front A
back: Back A
tags: first

card: bravo
type: basic
front: Front B
back: Back B

card: charlie
type: cloze
text: The {{c1::alliance}} is a bond.
extra: from the seed articles
"""
SMALL_IDS = ["alpha", "bravo", "charlie::c1"]


class FakeClock:
    """A collection's clock that only moves when told to."""

    def __init__(self, now=NOW):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, days=0, seconds=0):
        self.now += days * DAY + seconds


class TempDirTestCase(unittest.TestCase):
    """A test case with a fresh temporary directory and a fake clock."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="alliance-py-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.clock = FakeClock()

    def path(self, name):
        return os.path.join(self.tmp, name)

    def open(self, name="learner.alliance", **kwargs):
        """A collection in the temp dir, UTC offset 0, the fake clock; closed after the test."""
        kwargs.setdefault("utc_offset_seconds", 0)
        kwargs.setdefault("clock", self.clock)
        coll = alliance.Collection(self.path(name), **kwargs)
        self.addCleanup(coll.close)
        return coll

    def open_small(self, **kwargs):
        """A collection holding SMALL_DECK; returns (collection, deck_id)."""
        coll = self.open(**kwargs)
        report = coll.import_deck_data(SMALL_DECK, "small.deck")
        self.assertEqual(report.added, len(SMALL_IDS), report)
        return coll, report.deck_id


def run_python(args, cwd=None, env=None, timeout=300):
    """Runs python3 with this process's environment (library path, ASan preload):
    returns the CompletedProcess with text stdout/stderr."""
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    return subprocess.run([sys.executable] + list(args), cwd=cwd, env=full_env, capture_output=True,
                          text=True, timeout=timeout)


class CountingAllocator:
    """An allocator for alliance.set_allocator that tracks every live block
    (on top of the C library's malloc) and counts frees of unknown pointers."""

    def __init__(self):
        libc = ctypes.CDLL(None)
        self._malloc = libc.malloc
        self._malloc.restype = ctypes.c_void_p
        self._malloc.argtypes = [ctypes.c_size_t]
        self._realloc = libc.realloc
        self._realloc.restype = ctypes.c_void_p
        self._realloc.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
        self._free = libc.free
        self._free.argtypes = [ctypes.c_void_p]
        self.live = {}
        self.total = 0
        self.unknown = 0

    def malloc(self, size):
        p = self._malloc(size)
        if p:
            self.live[p] = size
            self.total += 1
        return p

    def realloc(self, ptr, size):
        if ptr and ptr not in self.live:
            self.unknown += 1
            return 0
        p = self._realloc(ptr or None, size)
        if p:
            self.live.pop(ptr, None)
            self.live[p] = size
            self.total += 1
        return p

    def free(self, ptr):
        if ptr and self.live.pop(ptr, None) is None:
            self.unknown += 1  # not ours: never hand it to free()
        elif ptr:
            self._free(ptr)
