#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Copies an Anki package without its media files.

    python3 tests/anki/strip_media.py IN.apkg OUT.apkg

Every member Anki wrote (meta, collection.anki21, collection.anki2) is copied byte for byte,
with the compression Anki chose; the media files (members named 0, 1, ...) are left out and the
media map becomes "{}". tests/data/anki/anki-legacy-cloze-learning.apkg was made this way from
a package whose media may not be under the MIT licence (see tests/data/anki/README.md): the
collection, which is what the tests read, is Anki's own bytes.
"""
import sys
import zipfile


def main(src, dst):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename.isdigit():
                continue
            data = b"{}" if info.filename == "media" else zin.read(info)
            out = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            out.compress_type = info.compress_type
            out.external_attr = info.external_attr
            zout.writestr(out, data)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: strip_media.py IN.apkg OUT.apkg")
    main(sys.argv[1], sys.argv[2])
