// SPDX-License-Identifier: MIT
'use strict';
// What the test files share: paths, a fake clock, small collections.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPOSITORY = path.resolve(__dirname, '..', '..', '..');
const HEADER = process.env.ALLIANCE_HEADER || path.join(REPOSITORY, 'include', 'alliance.h');
const BUNDLED_DECK = path.join(REPOSITORY, 'decks', 'therapeutic-alliance.deck');

// 2026-01-05 12:00:00 UTC, a Monday: the same fake "now" as the C suites (tests/testutil.h).
const NOW = 1767614400;
const DAY = 86400;

const SMALL_DECK = `deck: Small
description: three cards and a choice

card: alpha
type: basic
front: Front A
back: Back A
tags: first

card: charlie
type: cloze
text: The {{c1::alliance}} is a {{c2::bond}}.
extra: from the seed articles

card: pick
type: choice
question: Which one?
answer: Right
wrong: Wrong A
wrong: Wrong B
wrong: Wrong C
`;

function tempDir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alliance-node-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A collection with UTC as the learner's zone and a clock the test moves. */
function open(t, alliance, file = ':memory:') {
  const clock = { now: NOW };
  const coll = new alliance.Collection(file, { utcOffsetSeconds: 0, clock: () => clock.now });
  t.after(() => coll.close());
  return { coll, clock };
}

module.exports = { REPOSITORY, HEADER, BUNDLED_DECK, NOW, DAY, SMALL_DECK, tempDir, open };
