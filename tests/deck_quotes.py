#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check a liballiance deck against the articles it quotes.

Usage: python3 tests/deck_quotes.py DECK SEEDS_DIR

Parses the deck format of docs/deck-format.md (blocks, `key: value` lines,
continuation lines, `#` comments) and checks that:

  * every card has `source` and `quote`, and the source is listed in the header;
  * the quote occurs verbatim in that article, after collapsing whitespace runs
    to one space and mapping typographic quotes to ASCII ' and ";
  * card ids are valid and unique, types and keys are known, required keys are
    present and not repeated;
  * the deck holds between 60 and 120 cards (notes; a cloze note counts once);
  * choice cards have at least one `wrong`, cloze texts contain {{cN::...}}.

Every problem is printed as FILE:LINE:COLUMN: message, then a summary line.
Exit status: 1 if any problem, else 0. If SEEDS_DIR does not exist the quote
check is skipped (with a message) and the structure checks still run.
Standard library only.
"""

import os
import re
import sys

MIN_CARDS, MAX_CARDS = 60, 120

KEY_RE = re.compile(r"([a-z-]+):(.*)\Z", re.S)
CLOZE_RE = re.compile(r"\{\{c([0-9]+)::(.*?)\}\}", re.S)
HEADER_KEYS = {"deck": False, "description": False, "source": True}  # key -> repeatable
CARD_KEYS = {
    # key -> (types it belongs to, repeatable)
    "card": ({"basic", "cloze", "choice"}, False),
    "type": ({"basic", "cloze", "choice"}, False),
    "front": ({"basic"}, False),
    "back": ({"basic"}, False),
    "text": ({"cloze"}, False),
    "extra": ({"cloze"}, False),
    "question": ({"choice"}, False),
    "answer": ({"choice"}, False),
    "wrong": ({"choice"}, True),
    "tags": ({"basic", "cloze", "choice"}, False),
    "source": ({"basic", "cloze", "choice"}, False),
    "quote": ({"basic", "cloze", "choice"}, False),
}
REQUIRED = {
    "basic": ["front", "back"],
    "cloze": ["text"],
    "choice": ["question", "answer", "wrong"],
}
# Stricter than the format: this deck requires a citation on every card.
REQUIRED_ALL = ["type", "source", "quote"]

SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u2035\u02bc\uff07"
DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb\uff02"
QUOTE_MAP = {ord(c): "'" for c in SINGLE_QUOTES}
QUOTE_MAP.update({ord(c): '"' for c in DOUBLE_QUOTES})


def normalise(text):
    """Typographic quotes to ASCII, whitespace runs to one space, trimmed."""
    return re.sub(r"\s+", " ", text.translate(QUOTE_MAP)).strip()


class Field:
    def __init__(self, key, value, line, col):
        self.key, self.value, self.line, self.col = key, value, line, col


class Block:
    def __init__(self, line):
        self.line = line
        self.fields = []

    def get(self, key):
        return [f for f in self.fields if f.key == key]

    def first(self, key):
        found = self.get(key)
        return found[0] if found else None


class Checker:
    def __init__(self, deck_path):
        self.path = deck_path
        self.problems = []

    def report(self, line, col, message):
        self.problems.append((line, col, message))

    # ---- parsing -------------------------------------------------------

    def parse(self):
        with open(self.path, "rb") as fh:
            raw = fh.read()
        if raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if b"\0" in raw:
            self.report(1, 1, "file contains a NUL byte")
            raw = raw.replace(b"\0", b"")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            self.report(line, 1, "invalid UTF-8")
            text = raw.decode("utf-8", "replace")

        blocks = []
        current = None  # the block being read
        last = None  # the field a continuation line extends
        for lineno, line in enumerate(text.split("\n"), 1):
            if line.endswith("\r"):
                line = line[:-1]
            stripped = line.strip(" \t")
            if stripped == "":
                current, last = None, None
                continue
            if stripped.startswith("#"):
                continue  # comments are invisible, anywhere
            if line[0] in " \t":
                if last is None:
                    self.report(lineno, 1, "continuation line without a value to continue")
                else:
                    last.value += "\n" + stripped
                continue
            m = KEY_RE.match(line)
            if not m:
                self.report(lineno, 1, "expected 'key: value' or a continuation line")
                last = None
                continue
            key, rest = m.group(1), m.group(2)
            value = rest.strip(" \t")
            lead = len(rest) - len(rest.lstrip(" \t"))
            col = len(key) + 1 + lead + 1  # 1-based byte column of the value (key is ASCII)
            field = Field(key, value, lineno, col)
            if current is None:
                current = Block(lineno)
                blocks.append(current)
            current.fields.append(field)
            last = field
        return blocks

    # ---- checks --------------------------------------------------------

    def check_header(self, header):
        sources = {}
        if header.first("card"):
            self.report(header.line, 1, "the first block must be the deck header, not a card")
            return sources, False
        seen = set()
        for f in header.fields:
            if f.key not in HEADER_KEYS:
                self.report(f.line, 1, "unknown key '%s' in deck header" % f.key)
                continue
            if f.key in seen and not HEADER_KEYS[f.key]:
                self.report(f.line, 1, "repeated key '%s' in deck header" % f.key)
            seen.add(f.key)
            if f.value == "":
                self.report(f.line, f.col, "empty value for '%s'" % f.key)
                continue
            if f.key == "source":
                name, sep, title = f.value.partition("|")
                name, title = name.strip(), title.strip()
                if not sep or not name or not title:
                    self.report(f.line, f.col, "source must be 'FILE | TITLE'")
                elif re.search(r"\s", name):
                    self.report(f.line, f.col, "source file name '%s' contains blanks" % name)
                elif name in sources:
                    self.report(f.line, f.col, "source '%s' listed twice" % name)
                else:
                    sources[name] = (title, f)
        if "deck" not in seen:
            self.report(header.line, 1, "deck header has no 'deck' key")
        return sources, True

    def check_card(self, block, sources, ids):
        card = block.fields[0]
        if card.key != "card":
            self.report(card.line, 1, "a card block must start with 'card:' (found '%s')" % card.key)
            return None
        cid = card.value
        label = cid or "?"
        if not cid:
            self.report(card.line, card.col, "empty card id")
        elif (len(cid.encode("utf-8")) > 128 or "::" in cid
              or not all("!" <= ch <= "~" for ch in cid)):
            self.report(card.line, card.col, "invalid card id '%s'" % cid)
        elif cid in ids:
            self.report(card.line, card.col,
                        "duplicate card id '%s' (first at line %d)" % (cid, ids[cid]))
        else:
            ids[cid] = card.line

        type_field = block.first("type")
        ctype = type_field.value if type_field else None
        if type_field and ctype not in REQUIRED:
            self.report(type_field.line, type_field.col,
                        "unknown type '%s' in card '%s'" % (ctype, label))
            ctype = None

        seen = set()
        for f in block.fields:
            spec = CARD_KEYS.get(f.key)
            if spec is None:
                self.report(f.line, 1, "unknown key '%s' in card '%s'" % (f.key, label))
                continue
            types, repeatable = spec
            if f.key in seen and not repeatable:
                self.report(f.line, 1, "repeated key '%s' in card '%s'" % (f.key, label))
            if f.key == "card" and f is not card:
                continue
            seen.add(f.key)
            if ctype and ctype not in types:
                self.report(f.line, 1, "key '%s' is not allowed in a %s card '%s'"
                            % (f.key, ctype, label))
            if f.value == "" and f.key != "card":
                self.report(f.line, f.col, "empty value for '%s' in card '%s'" % (f.key, label))

        for key in REQUIRED_ALL + (REQUIRED[ctype] if ctype else []):
            if key not in seen:
                self.report(card.line, 1, "card '%s' has no '%s'" % (label, key))

        if ctype == "cloze":
            text = block.first("text")
            if text and text.value:
                numbers = [int(n) for n, body in CLOZE_RE.findall(text.value)]
                if not numbers:
                    self.report(text.line, text.col,
                                "cloze text of card '%s' has no {{cN::...}} deletion" % label)
                for n, body in CLOZE_RE.findall(text.value):
                    if not 1 <= int(n) <= 99 or not body.split("::")[0].strip():
                        self.report(text.line, text.col,
                                    "malformed deletion {{c%s::%s}} in card '%s'" % (n, body, label))
                if text.value.count("{{") != text.value.count("}}"):
                    self.report(text.line, text.col,
                                "unbalanced '{{' / '}}' in cloze text of card '%s'" % label)

        source = block.first("source")
        if source and source.value and source.value not in sources:
            self.report(source.line, source.col,
                        "source '%s' of card '%s' is not listed in the header"
                        % (source.value, label))
        return ctype

    def check_quotes(self, cards, sources, seeds_dir):
        texts = {}
        for name, (title, f) in sources.items():
            path = os.path.join(seeds_dir, name)
            try:
                with open(path, encoding="utf-8") as fh:
                    raw = fh.read()
            except (OSError, UnicodeDecodeError) as exc:
                self.report(f.line, f.col, "cannot read source '%s': %s" % (path, exc))
                continue
            texts[name] = normalise(raw)
            first = raw.lstrip("\ufeff").split("\n", 1)[0].strip()
            if normalise(first) != normalise(title):
                self.report(f.line, f.col, "title of '%s' is not the article's first line %r"
                            % (name, first))
        checked = 0
        for block in cards:
            source, quote = block.first("source"), block.first("quote")
            if not source or not quote or not quote.value or source.value not in texts:
                continue
            checked += 1
            if normalise(quote.value) not in texts[source.value]:
                self.report(quote.line, quote.col, "quote of card '%s' not found in %s"
                            % (block.fields[0].value, source.value))
        return checked

    def run(self, seeds_dir):
        blocks = self.parse()
        if not blocks:
            self.report(1, 1, "empty deck")
            return "empty deck", None
        sources, header_ok = self.check_header(blocks[0])
        cards = blocks[1:] if header_ok else blocks
        ids, types = {}, {"basic": 0, "cloze": 0, "choice": 0}
        for block in cards:
            ctype = self.check_card(block, sources, ids)
            if ctype:
                types[ctype] += 1
        if not MIN_CARDS <= len(cards) <= MAX_CARDS:
            self.report(blocks[0].line, 1, "deck has %d cards, expected %d to %d"
                        % (len(cards), MIN_CARDS, MAX_CARDS))
        summary = "%d cards (%d basic, %d cloze, %d choice), %d sources" % (
            len(cards), types["basic"], types["cloze"], types["choice"], len(sources))
        if os.path.isdir(seeds_dir):
            checked = self.check_quotes(cards, sources, seeds_dir)
            return summary + ", %d quotes checked" % checked, True
        return summary, False


def main(argv):
    if len(argv) != 3:
        print("usage: %s DECK SEEDS_DIR" % argv[0], file=sys.stderr)
        return 2
    deck, seeds_dir = argv[1], argv[2]
    checker = Checker(deck)
    try:
        summary, seeds_found = checker.run(seeds_dir)
    except OSError as exc:
        print("%s:1:1: cannot read deck: %s" % (deck, exc))
        print("deck_quotes: FAILED, cannot read deck")
        return 1
    for line, col, message in sorted(checker.problems):
        print("%s:%d:%d: %s" % (deck, line, col, message))
    if seeds_found is False:
        print("%s: seeds folder not found, quote check skipped" % seeds_dir)
    if checker.problems:
        print("deck_quotes: FAILED, %d problem(s); %s" % (len(checker.problems), summary))
        return 1
    print("deck_quotes: OK, %s" % summary)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
