#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Makes the seed changesets of fuzz_sync_changeset (kept in this directory):
    ALLIANCE_LIBRARY=build/lib/liballiance.so.0 PYTHONPATH=bindings/python \\
        python3 fuzz/corpus/sync/make_seeds.py fuzz/corpus/sync
"""
import os
import sys

import alliance

NOW = 1767614400
DECK = b"deck: Seed\n\ncard: s1\ntype: basic\nfront: one\nback: 1\n\ncard: s2\ntype: basic\nfront: two\nback: 2\n"


def main(out):
    with alliance.Collection(":memory:", utc_offset_seconds=0) as a:
        a.import_deck_data(DECK, "seed.deck", now=NOW)
        a.answer("s1", 5, now=NOW)
        with open(os.path.join(out, "valid-clone.bin"), "wb") as f:
            f.write(a.sync_changes())
        b, _ = alliance.Collection.clone(":memory:", a.sync_changes(), utc_offset_seconds=0)
        with b:
            a.answer("s2", 2, now=NOW + 60)
            a.answer("s1", 1, now=NOW + 86400 * 2)
            a.undo()
            a.suspend("s2", now=NOW)
            a.configure(new_per_day=7)
            with open(os.path.join(out, "valid-incremental.bin"), "wb") as f:
                f.write(a.sync_changes(b.sync_state()))
            with open(os.path.join(out, "err-state.bin"), "wb") as f:
                f.write(b.sync_state())


if __name__ == "__main__":
    main(sys.argv[1])
